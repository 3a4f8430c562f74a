// SPDX-License-Identifier: GPL-2.0-only
/*
 * Slice nodes: /dev/zsv/<slice>, the data plane.
 *
 * One character device region covers every possible slice; the minor is
 * the slice id. Each slice has a device in class zsv_slice (a child of its
 * pdev's device) that makes devtmpfs create the node with the slice's
 * owner, group and mode. Opening the node creates a context, which holds
 * a reference on the slice; the context's calls hold the slice's
 * revoke_sem for reading and fail -ENODEV once the slice is destroyed.
 */
#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "zsv.h"

static dev_t zsv_slice_devt_base;
static struct cdev zsv_slice_cdev;

/**
 * struct zsv_ctx - one open file of a slice node
 * @slice: the slice; a reference
 */
struct zsv_ctx {
	struct zsv_slice *slice;
};

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

/* Called by devtmpfs as the node is made and removed, under zsv_lock. */
static char *zsv_slice_devnode(zsv_devnode_device *dev, umode_t *mode,
			       kuid_t *uid, kgid_t *gid)
{
	const struct zsv_slice *slice = dev_get_drvdata(dev);

	if (mode)
		*mode = slice->node_mode;
	if (uid)
		*uid = slice->uid;
	if (gid)
		*gid = slice->gid;
	return kasprintf(GFP_KERNEL, "zsv/%s", slice->name);
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
	dev->parent = &slice->pdev->dev;
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

/* Remake the node so that devtmpfs applies a new owner, group or mode. */
int zsv_slice_node_replace_locked(struct zsv_slice *slice)
{
	zsv_slice_node_del_locked(slice);
	return zsv_slice_node_add_locked(slice);
}

static int zsv_cdev_open(struct inode *inode, struct file *file)
{
	struct zsv_slice *slice;
	struct zsv_ctx *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	slice = zsv_slice_get_by_minor(iminor(inode));
	if (!slice) {
		kfree(ctx);
		return -ENODEV;
	}
	ctx->slice = slice;
	file->private_data = ctx;
	return nonseekable_open(inode, file);
}

static int zsv_cdev_release(struct inode *inode, struct file *file)
{
	struct zsv_ctx *ctx = file->private_data;
	struct zsv_slice *slice = ctx->slice;

	mutex_lock(&zsv_lock);
	slice->nr_contexts--;
	mutex_unlock(&zsv_lock);
	zsv_slice_put(slice);
	kfree(ctx);
	return 0;
}

static void zsv_fill_info_locked(const struct zsv_slice *slice,
				 struct zsv_info *info)
{
	const struct zsv_pdev *pdev = slice->pdev;

	info->slice_id = slice->id;
	info->dev_id = pdev->id;
	info->mem_bytes = slice->mem_bytes;
	info->mem_used = slice->mem_used_bytes;
	info->mem_mode = slice->mem_mode;
	info->weight = slice->weight;
	info->cap_pct = slice->cap_pct;
	info->engines = pdev->engines;
	info->timeslice_ns = slice->timeslice_ns ?: pdev->timeslice_ns;
	info->period_ns = pdev->period_ns;
	strscpy(info->name, slice->name, sizeof(info->name));
	strscpy(info->dev_name, dev_name(&pdev->dev), sizeof(info->dev_name));
}

static long zsv_ioctl_info(struct zsv_ctx *ctx, void __user *uarg,
			   unsigned int usize)
{
	struct zsv_info info = {};

	mutex_lock(&zsv_lock);
	zsv_fill_info_locked(ctx->slice, &info);
	mutex_unlock(&zsv_lock);

	/* An older caller gets a prefix; a newer one, zeroes past ours. */
	if (usize > sizeof(info) && clear_user(uarg + sizeof(info),
					       usize - sizeof(info)))
		return -EFAULT;
	if (copy_to_user(uarg, &info, min_t(size_t, usize, sizeof(info))))
		return -EFAULT;
	return 0;
}

static long zsv_cdev_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct zsv_ctx *ctx = file->private_data;
	struct zsv_slice *slice = ctx->slice;
	void __user *uarg = (void __user *)arg;
	unsigned int usize = _IOC_SIZE(cmd);
	long ret;

	if (_IOC_TYPE(cmd) != ZSV_IOCTL_BASE)
		return -ENOTTY;

	down_read(&slice->revoke_sem);
	if (slice->dead) {
		ret = -ENODEV;
		goto out;
	}

	switch (_IOC_NR(cmd)) {
	case _IOC_NR(ZSV_IOCTL_INFO):
		if (_IOC_DIR(cmd) != _IOC_READ ||
		    usize < offsetofend(struct zsv_info, dev_name)) {
			ret = -EINVAL;
			break;
		}
		ret = zsv_ioctl_info(ctx, uarg, usize);
		break;
	default:
		ret = -ENOTTY;
		break;
	}
out:
	up_read(&slice->revoke_sem);
	return ret;
}

static const struct file_operations zsv_cdev_fops = {
	.owner = THIS_MODULE,
	.open = zsv_cdev_open,
	.release = zsv_cdev_release,
	.unlocked_ioctl = zsv_cdev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

int zsv_cdev_init(void)
{
	int err;

	err = alloc_chrdev_region(&zsv_slice_devt_base, 0, ZSV_SLICES_MAX,
				  "zsv");
	if (err)
		goto err_region;

	cdev_init(&zsv_slice_cdev, &zsv_cdev_fops);
	zsv_slice_cdev.owner = THIS_MODULE;
	err = cdev_add(&zsv_slice_cdev, zsv_slice_devt_base, ZSV_SLICES_MAX);
	if (err)
		goto err_cdev;

	err = class_register(&zsv_slice_class);
	if (err)
		goto err_class;
	return 0;

err_class:
	cdev_del(&zsv_slice_cdev);
err_cdev:
	unregister_chrdev_region(zsv_slice_devt_base, ZSV_SLICES_MAX);
err_region:
	return err;
}

void zsv_cdev_exit(void)
{
	class_unregister(&zsv_slice_class);
	cdev_del(&zsv_slice_cdev);
	unregister_chrdev_region(zsv_slice_devt_base, ZSV_SLICES_MAX);
}
