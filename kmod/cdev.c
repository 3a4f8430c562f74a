// SPDX-License-Identifier: GPL-2.0-only
/*
 * Slice nodes: /dev/zsv/<slice>, the data plane.
 *
 * One character device region covers every possible slice; the minor is
 * the slice id. Each slice has a device in class zsv_slice (a child of its
 * pdev's device) that makes devtmpfs create the node with the slice's
 * owner, group and mode. Opening the node creates a context, which holds
 * a reference on the slice and owns buffer objects (mem.c); its calls
 * fail -ENODEV once the slice is destroyed, and its mappings are zapped.
 */
#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/pseudo_fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "zsv.h"

static dev_t zsv_slice_devt_base;
static struct cdev zsv_slice_cdev;

/*
 * A pseudo filesystem whose only use is one inode per slice: every
 * context's file shares that inode's address space, however the node was
 * reached (devtmpfs, a container's own mknod), so unmap_mapping_range()
 * on it reaches every mapping of the slice.
 */
#define ZSV_FS_MAGIC	0x7a737666	/* "zsvf" */

static int zsv_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, ZSV_FS_MAGIC) ? 0 : -ENOMEM;
}

static struct file_system_type zsv_fs_type = {
	.name = "zsv",
	.owner = THIS_MODULE,
	.init_fs_context = zsv_fs_init_fs_context,
	.kill_sb = kill_anon_super,
};

/*
 * Mounted while any slice exists (each pins it), like DRM's: a mount
 * holds a reference on this module, so a mount kept from init to exit
 * would make zsv impossible to unload.
 */
static struct vfsmount *zsv_fs_mnt;
static int zsv_fs_count;

struct inode *zsv_fs_inode_new(void)
{
	struct inode *inode;
	int err;

	err = simple_pin_fs(&zsv_fs_type, &zsv_fs_mnt, &zsv_fs_count);
	if (err)
		return ERR_PTR(err);
	inode = alloc_anon_inode(zsv_fs_mnt->mnt_sb);
	if (IS_ERR(inode))
		simple_release_fs(&zsv_fs_mnt, &zsv_fs_count);
	return inode;
}

void zsv_fs_inode_put(struct inode *inode)
{
	iput(inode);
	simple_release_fs(&zsv_fs_mnt, &zsv_fs_count);
}

void zsv_slice_revoke_mappings(struct zsv_slice *slice)
{
	unmap_mapping_range(slice->inode->i_mapping, 0, 0, 1);
}

/* sysfs: /sys/class/zsv_slice/<name>/, read without zsv_lock. */
#define ZSV_SLICE_ATTR(_name, _fmt, _expr)				\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	const struct zsv_slice *slice = dev_get_drvdata(dev);		\
									\
	return sysfs_emit(buf, _fmt "\n", _expr);			\
}									\
static DEVICE_ATTR_RO(_name)

ZSV_SLICE_ATTR(id, "%u", slice->id);
ZSV_SLICE_ATTR(pdev, "%s", dev_name(&slice->pdev->dev));
ZSV_SLICE_ATTR(mem_bytes, "%llu", READ_ONCE(slice->mem_bytes));
ZSV_SLICE_ATTR(mem_mode, "%s", slice->mem_mode == ZSV_MEM_MODE_SHARED ?
	       "shared" : "reserved");
ZSV_SLICE_ATTR(weight, "%u", READ_ONCE(slice->weight));
ZSV_SLICE_ATTR(cap_pct, "%u", READ_ONCE(slice->cap_pct));
ZSV_SLICE_ATTR(timeslice_ns, "%llu", READ_ONCE(slice->timeslice_ns));

static struct attribute *zsv_slice_attrs[] = {
	&dev_attr_id.attr,
	&dev_attr_pdev.attr,
	&dev_attr_mem_bytes.attr,
	&dev_attr_mem_mode.attr,
	&dev_attr_weight.attr,
	&dev_attr_cap_pct.attr,
	&dev_attr_timeslice_ns.attr,
	NULL,
};
ATTRIBUTE_GROUPS(zsv_slice);

static int zsv_slice_uevent(zsv_uevent_device *dev,
			    struct kobj_uevent_env *env)
{
	const struct zsv_slice *slice = dev_get_drvdata(dev);

	return add_uevent_var(env, "ZSV_SLICE=%s", slice->name) ?:
	       add_uevent_var(env, "ZSV_PDEV=%s", dev_name(&slice->pdev->dev));
}

/*
 * Called by devtmpfs as the node is made and removed (under zsv_lock) and
 * by uevent reads (without it); the fields change only while the node is
 * being remade, so a racing reader sees old or new values, never a mix
 * that matters.
 *
 * devtmpfs makes a node asked for with mode 0 as 0600, which would let
 * the owner in; such a node is given to root instead, which is what mode
 * 0 means (only a process that overrides permissions opens it).
 *
 * The name is allocated with __GFP_NOFAIL (it is under 80 bytes): the
 * driver core cannot report a failure here. Given NULL, it falls back to
 * the device's name, so the node would be made as /dev/<name> and, on
 * removal, /dev/zsv/<name> would be left behind with a dead minor.
 */
static char *zsv_slice_devnode(zsv_devnode_device *dev, umode_t *mode,
			       kuid_t *uid, kgid_t *gid)
{
	const struct zsv_slice *slice = dev_get_drvdata(dev);
	bool locked = !slice->node_mode;

	if (mode)
		*mode = slice->node_mode;
	if (uid)
		*uid = locked ? GLOBAL_ROOT_UID : slice->uid;
	if (gid)
		*gid = locked ? GLOBAL_ROOT_GID : slice->gid;
	return kasprintf(GFP_KERNEL | __GFP_NOFAIL, "zsv/%s", slice->name);
}

static void zsv_slice_node_release(struct device *dev)
{
	kfree(dev);
}

static const struct device_type zsv_slice_node_type = {
	.name = "zsv_slice",
	.groups = zsv_slice_groups,
	.uevent = zsv_slice_uevent,
	.devnode = zsv_slice_devnode,
	.release = zsv_slice_node_release,
};

struct class zsv_slice_class = {
	.name = "zsv_slice",
};

int zsv_slice_node_add_locked(struct zsv_slice *slice)
{
	struct device *dev;
	int err;

	lockdep_assert_held(&zsv_lock);
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	device_initialize(dev);
	dev->class = &zsv_slice_class;
	dev->type = &zsv_slice_node_type;
	/*
	 * Not a child of the pdev's device: as a class device without a glue
	 * directory, the pdev would share its sysfs directory with its
	 * slices, and a slice named like a pdev attribute would clash.
	 */
	dev->parent = NULL;
	dev->devt = MKDEV(MAJOR(zsv_slice_devt_base), slice->id);
	dev_set_drvdata(dev, slice);
	err = dev_set_name(dev, "%s", slice->name);
	if (!err)
		err = device_add(dev);
	if (err) {
		put_device(dev);
		return err;
	}
	slice->node = dev;
	return 0;
}

/*
 * The node's sysfs readers do not take zsv_lock, so removing it under the
 * lock cannot deadlock on them.
 */
void zsv_slice_node_del_locked(struct zsv_slice *slice)
{
	lockdep_assert_held(&zsv_lock);
	if (slice->node) {
		device_unregister(slice->node);
		slice->node = NULL;
	}
}

/**
 * zsv_slice_node_replace_locked() - remake the node with a new owner or mode
 * @slice: the slice, whose uid, gid and node_mode hold the new values
 * @old_uid: the values the current node was made with
 * @old_gid: see @old_uid
 * @old_mode: see @old_uid
 *
 * devtmpfs sets owner and mode only when it makes a node. When the new
 * node cannot be made, the old values are restored and the old node made
 * again, so the slice is never left without one.
 * Return: 0 or a negative errno (with the old values back in place).
 */
int zsv_slice_node_replace_locked(struct zsv_slice *slice, kuid_t old_uid,
				  kgid_t old_gid, umode_t old_mode)
{
	int err;

	zsv_slice_node_del_locked(slice);
	err = zsv_slice_node_add_locked(slice);
	if (!err)
		return 0;
	slice->uid = old_uid;
	slice->gid = old_gid;
	slice->node_mode = old_mode;
	if (zsv_slice_node_add_locked(slice))
		pr_err("slice %s lost its device node\n", slice->name);
	return err;
}

static struct zsv_ctx *zsv_ctx_alloc(void)
{
	struct zsv_ctx *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return NULL;
	kref_init(&ctx->ref);
	xa_init_flags(&ctx->bos, XA_FLAGS_ALLOC1);
	init_rwsem(&ctx->bo_sem);
	spin_lock_init(&ctx->job_lock);
	INIT_LIST_HEAD(&ctx->jobs);
	init_waitqueue_head(&ctx->wq);
	return ctx;
}

static int zsv_cdev_open(struct inode *inode, struct file *file)
{
	struct zsv_slice *slice;
	struct zsv_ctx *ctx;

	ctx = zsv_ctx_alloc();
	if (!ctx)
		return -ENOMEM;
	slice = zsv_slice_get_by_minor(iminor(inode), ctx);
	if (!slice) {
		kfree(ctx);
		return -ENODEV;
	}
	file->private_data = ctx;
	file->f_mapping = slice->inode->i_mapping;
	return nonseekable_open(inode, file);
}

/**
 * zsv_ctx_open() - open a context on a slice for an in-kernel client
 * @slice: the slice, held by the caller
 *
 * The context counts as an open file of the slice (and is revoked like
 * one); the client sets @retired and @client before its first job.
 * Return: the context, or ERR_PTR(-ENODEV) once the slice is destroyed,
 * ERR_PTR(-ENOMEM).
 */
struct zsv_ctx *zsv_ctx_open(struct zsv_slice *slice)
{
	struct zsv_ctx *ctx;

	ctx = zsv_ctx_alloc();
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	mutex_lock(&zsv_lock);
	if (slice->dead) {
		mutex_unlock(&zsv_lock);
		kfree(ctx);
		return ERR_PTR(-ENODEV);
	}
	zsv_slice_attach_ctx_locked(slice, ctx);
	mutex_unlock(&zsv_lock);
	return ctx;
}
EXPORT_SYMBOL_GPL(zsv_ctx_open);

/**
 * zsv_ctx_close() - close a context, as closing its file does
 * @ctx: a context from zsv_ctx_open() or a slice node's file
 *
 * Process context, without zsv_lock. Jobs still on engines keep the
 * context until they come back, so a client clears @retired first.
 */
void zsv_ctx_close(struct zsv_ctx *ctx)
{
	struct zsv_slice *slice = ctx->slice;

	mutex_lock(&zsv_lock);
	list_del(&ctx->slice_link);
	slice->nr_contexts--;
	mutex_unlock(&zsv_lock);
	/*
	 * Queued jobs go now, running ones when their engines come back;
	 * they keep the context (and their BOs' pages) until then.
	 */
	zsv_ctx_cancel_jobs(ctx);
	/* A forced deletion has already taken them, or cannot now. */
	zsv_ctx_destroy_bos(ctx);
	zsv_ctx_put(ctx);
}
EXPORT_SYMBOL_GPL(zsv_ctx_close);

static int zsv_cdev_release(struct inode *inode, struct file *file)
{
	zsv_ctx_close(file->private_data);
	return 0;
}

/*
 * INFO is served from the status page, without zsv_lock or revoke_sem:
 * a tenant calling it in a loop contends with nobody, and the copy to
 * user memory (which may fault for as long as the tenant likes) holds no
 * lock at all.
 */
static long zsv_ioctl_info(struct zsv_ctx *ctx, void __user *uarg,
			   unsigned int usize)
{
	struct zsv_info info;

	if (!zsv_slice_status_read(ctx->slice, &info))
		return -ENODEV;

	/* An older caller gets a prefix; a newer one, zeroes past ours. */
	if (usize > sizeof(info) && clear_user(uarg + sizeof(info),
					       usize - sizeof(info)))
		return -EFAULT;
	if (copy_to_user(uarg, &info, min_t(size_t, usize, sizeof(info))))
		return -EFAULT;
	return 0;
}

/*
 * Input structs are read as copy_struct_from_user() does: a caller's
 * longer struct must be zero past ours (-E2BIG), a shorter one than the
 * first version is refused (-EINVAL, checked by the caller).
 */
static long zsv_ioctl_bo_create(struct zsv_ctx *ctx, void __user *uarg,
				unsigned int usize)
{
	struct zsv_bo_create args;
	struct zsv_bo *bo;
	long err;

	err = copy_struct_from_user(&args, sizeof(args), uarg, usize);
	if (err)
		return err;
	if (args.flags || !args.size || args.size > ZSV_BO_SIZE_MAX)
		return -EINVAL;

	bo = zsv_bo_create(ctx, args.size);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	args.handle = bo->handle;
	err = 0;
	/* A handle the caller never learns would hold its bytes till close. */
	if (copy_to_user(uarg, &args, sizeof(args))) {
		zsv_bo_destroy(ctx, args.handle, bo);
		err = -EFAULT;
	}
	zsv_bo_put(bo);
	return err;
}

static long zsv_ioctl_bo_destroy(struct zsv_ctx *ctx, void __user *uarg,
				 unsigned int usize)
{
	struct zsv_bo_destroy args;
	long err;

	err = copy_struct_from_user(&args, sizeof(args), uarg, usize);
	if (err)
		return err;
	if (args.pad)
		return -EINVAL;
	return zsv_bo_destroy(ctx, args.handle, NULL);
}

static long zsv_ioctl_bo_mmap_offset(struct zsv_ctx *ctx, void __user *uarg,
				     unsigned int usize)
{
	struct zsv_bo_mmap_offset args;
	struct zsv_bo *bo;
	long err;

	err = copy_struct_from_user(&args, sizeof(args), uarg, usize);
	if (err)
		return err;
	if (args.pad)
		return -EINVAL;
	bo = zsv_bo_lookup(ctx, args.handle);
	if (!bo)
		return -ENOENT;
	zsv_bo_put(bo);
	args.offset = zsv_bo_offset(args.handle);
	if (copy_to_user(uarg, &args, sizeof(args)))
		return -EFAULT;
	return 0;
}

/* Direction and minimum size of each command's struct. */
static bool zsv_ioctl_shape_ok(unsigned int cmd, unsigned int dir,
			       unsigned int min_size)
{
	return _IOC_DIR(cmd) == dir && _IOC_SIZE(cmd) >= min_size;
}

/*
 * Data-plane calls check for revocation themselves and never hold
 * revoke_sem (which only orders page faults against forced deletion)
 * across a copy to or from user memory.
 */
static long zsv_cdev_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct zsv_ctx *ctx = file->private_data;
	void __user *uarg = (void __user *)arg;
	unsigned int usize = _IOC_SIZE(cmd);

	if (_IOC_TYPE(cmd) != ZSV_IOCTL_BASE)
		return -ENOTTY;
	if (READ_ONCE(ctx->slice->dead))
		return -ENODEV;

	switch (_IOC_NR(cmd)) {
	case _IOC_NR(ZSV_IOCTL_INFO):
		if (!zsv_ioctl_shape_ok(cmd, _IOC_READ,
					offsetofend(struct zsv_info, dev_name)))
			return -EINVAL;
		return zsv_ioctl_info(ctx, uarg, usize);
	case _IOC_NR(ZSV_IOCTL_BO_CREATE):
		if (!zsv_ioctl_shape_ok(cmd, _IOC_READ | _IOC_WRITE,
					offsetofend(struct zsv_bo_create, handle)))
			return -EINVAL;
		return zsv_ioctl_bo_create(ctx, uarg, usize);
	case _IOC_NR(ZSV_IOCTL_BO_DESTROY):
		if (!zsv_ioctl_shape_ok(cmd, _IOC_WRITE,
					offsetofend(struct zsv_bo_destroy, pad)))
			return -EINVAL;
		return zsv_ioctl_bo_destroy(ctx, uarg, usize);
	case _IOC_NR(ZSV_IOCTL_BO_MMAP_OFFSET):
		if (!zsv_ioctl_shape_ok(cmd, _IOC_READ | _IOC_WRITE,
					offsetofend(struct zsv_bo_mmap_offset,
						    offset)))
			return -EINVAL;
		return zsv_ioctl_bo_mmap_offset(ctx, uarg, usize);
	case _IOC_NR(ZSV_IOCTL_SUBMIT):
		if (!zsv_ioctl_shape_ok(cmd, _IOC_READ | _IOC_WRITE,
					offsetofend(struct zsv_submit, seqno)))
			return -EINVAL;
		return zsv_ioctl_submit(ctx, uarg, usize);
	case _IOC_NR(ZSV_IOCTL_WAIT):
		if (!zsv_ioctl_shape_ok(cmd, _IOC_READ | _IOC_WRITE,
					offsetofend(struct zsv_wait, pad2)))
			return -EINVAL;
		return zsv_ioctl_wait(ctx, uarg, usize);
	default:
		return -ENOTTY;
	}
}

/*
 * The status page is mapped by PFN at fault time. A fault holds
 * revoke_sem for reading, so it either finds the slice alive and maps the
 * page before destruction zaps the mappings, or finds it dead and maps the
 * zero page: a revoked tenant reads zeroes (seq 0) and is not killed.
 */
static vm_fault_t zsv_status_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct zsv_ctx *ctx = vma->vm_private_data;
	struct zsv_slice *slice = ctx->slice;
	struct page *page;
	vm_fault_t ret;

	down_read(&slice->revoke_sem);
	page = slice->dead ? ZERO_PAGE(vmf->address) : slice->status_page;
	ret = vmf_insert_pfn(vma, vmf->address, page_to_pfn(page));
	up_read(&slice->revoke_sem);
	return ret;
}

static const struct vm_operations_struct zsv_status_vm_ops = {
	.fault = zsv_status_fault,
};

static int zsv_cdev_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct zsv_ctx *ctx = file->private_data;

	/*
	 * No revoke_sem here (mmap_lock is held for writing): a deletion
	 * racing with this is caught by the fault handler, which maps zeroes
	 * once the slice is dead.
	 */
	if (READ_ONCE(ctx->slice->dead))
		return -ENODEV;
	if (vma->vm_pgoff >> ZSV_BO_PGOFF_SHIFT)
		return zsv_bo_mmap(ctx, vma);
	if (vma->vm_pgoff != ZSV_STATUS_OFFSET >> PAGE_SHIFT ||
	    vma->vm_end - vma->vm_start != PAGE_SIZE)
		return -EINVAL;
	if (vma->vm_flags & (VM_WRITE | VM_EXEC))
		return -EPERM;

	vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP | VM_DONTCOPY);
	vm_flags_clear(vma, VM_MAYWRITE | VM_MAYEXEC);
	vma->vm_ops = &zsv_status_vm_ops;
	vma->vm_private_data = ctx;
	return 0;
}

static __poll_t zsv_cdev_poll(struct file *file,
			      struct poll_table_struct *wait)
{
	return zsv_ctx_poll(file->private_data, file, wait);
}

static const struct file_operations zsv_cdev_fops = {
	.owner = THIS_MODULE,
	.open = zsv_cdev_open,
	.release = zsv_cdev_release,
	.unlocked_ioctl = zsv_cdev_ioctl,
	.mmap = zsv_cdev_mmap,
	.poll = zsv_cdev_poll,
	.compat_ioctl = compat_ptr_ioctl,
};

int zsv_cdev_init(void)
{
	int err;

	err = alloc_chrdev_region(&zsv_slice_devt_base, 0, ZSV_SLICE_MINORS,
				  "zsv");
	if (err)
		goto err_region;

	cdev_init(&zsv_slice_cdev, &zsv_cdev_fops);
	zsv_slice_cdev.owner = THIS_MODULE;
	err = cdev_add(&zsv_slice_cdev, zsv_slice_devt_base, ZSV_SLICE_MINORS);
	if (err)
		goto err_cdev;

	err = class_register(&zsv_slice_class);
	if (err)
		goto err_class;
	return 0;

err_class:
	cdev_del(&zsv_slice_cdev);
err_cdev:
	unregister_chrdev_region(zsv_slice_devt_base, ZSV_SLICE_MINORS);
err_region:
	return err;
}

void zsv_cdev_exit(void)
{
	class_unregister(&zsv_slice_class);
	cdev_del(&zsv_slice_cdev);
	unregister_chrdev_region(zsv_slice_devt_base, ZSV_SLICE_MINORS);
}
