// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv_mdev: an mdev parent for every pdev, whose types are slice profiles.
 *
 * A type is a memory size: the whole pdev, then halves down to
 * ZSV_MDEV_TYPE_MIN_BYTES. Creating an mdev of a type makes a reserved
 * slice of that size, named by the mdev's UUID, through the same
 * admission as netlink's slice-new, under zsv_lock: available_instances is
 * what that admission would still accept, so the two never disagree and
 * nothing is counted twice.
 *
 * The core tells us of pdevs through its notifier: a parent is added on
 * ZSV_EVENT_DEV_ADDED (and for every pdev present at load) and removed on
 * ZSV_EVENT_DEV_REMOVING (and at unload). zsv_mdev_lock serialises the
 * parents; it nests outside zsv_lock, and the mdev core's locks nest
 * inside it (unregistering a parent removes its mdevs, whose release
 * takes zsv_lock).
 */
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "zsv_mdev.h"

static DEFINE_MUTEX(zsv_mdev_lock);
static DEFINE_XARRAY(zsv_mdev_parents);	/* by pdev id; zsv_mdev_lock */

static struct zsv_mdev_type *to_zsv_mdev_type(struct mdev_type *type)
{
	return container_of(type, struct zsv_mdev_type, type);
}

static struct zsv_mdev_parent *to_zsv_mdev_parent(struct mdev_parent *parent)
{
	return container_of(parent, struct zsv_mdev_parent, parent);
}

static unsigned int zsv_mdev_get_available(struct mdev_type *mtype)
{
	struct zsv_mdev_parent *p = to_zsv_mdev_parent(mtype->parent);
	unsigned int n;

	mutex_lock(&zsv_lock);
	n = zsv_mem_reserved_fit_locked(p->pdev,
					to_zsv_mdev_type(mtype)->mem_bytes);
	mutex_unlock(&zsv_lock);
	return n;
}

static ssize_t zsv_mdev_show_description(struct mdev_type *mtype, char *buf)
{
	struct zsv_mdev_parent *p = to_zsv_mdev_parent(mtype->parent);
	struct zsv_mdev_type *t = to_zsv_mdev_type(mtype);

	return sysfs_emit(buf, "mem=%s, engines=%u, weight=%u, cap=%u%%, max_instance=%llu\n",
			  t->sysfs_name, p->pdev->engines, ZSV_WEIGHT_DEFAULT,
			  ZSV_CAP_PCT_MAX,
			  div64_u64(p->pdev->mem_total_bytes, t->mem_bytes));
}

struct mdev_driver zsv_mdev_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = "zsv_mdev",
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
		.dev_groups = zsv_vdev_groups,
	},
	.probe = zsv_vdev_probe,
	.remove = zsv_vdev_remove,
	.get_available = zsv_mdev_get_available,
	.show_description = zsv_mdev_show_description,
};

static void zsv_mdev_types_init(struct zsv_mdev_parent *p, u64 total)
{
	u64 size = total;

	while (p->nr_types < ZSV_MDEV_TYPES_MAX && size &&
	       PAGE_ALIGNED(size)) {
		struct zsv_mdev_type *t = &p->types[p->nr_types];
		char name[24];

		t->mem_bytes = size;
		zsv_fmt_bytes(name, sizeof(name), size);
		strscpy(t->sysfs_name, name, sizeof(t->sysfs_name));
		snprintf(t->pretty_name, sizeof(t->pretty_name), "zsv-%s",
			 name);
		t->type.sysfs_name = t->sysfs_name;
		t->type.pretty_name = t->pretty_name;
		p->type_ptrs[p->nr_types++] = &t->type;
		if (size / 2 < ZSV_MDEV_TYPE_MIN_BYTES || size & 1)
			break;
		size /= 2;
	}
}

/* Add @pdev's parent unless it has one or is going away. */
static int zsv_mdev_parent_add(struct zsv_pdev *pdev)
{
	struct zsv_mdev_parent *p;
	u32 id;
	int err;

	lockdep_assert_held(&zsv_mdev_lock);
	mutex_lock(&zsv_lock);
	id = pdev->id;
	err = pdev->gone ? -ENODEV : 0;
	mutex_unlock(&zsv_lock);
	if (err || xa_load(&zsv_mdev_parents, id))
		return 0;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->pdev = pdev;
	zsv_mdev_types_init(p, pdev->mem_total_bytes);
	if (!p->nr_types) {
		kfree(p);
		return 0;
	}
	err = xa_insert(&zsv_mdev_parents, id, p, GFP_KERNEL);
	if (err)
		goto err_free;
	get_device(&pdev->dev);
	err = mdev_register_parent(&p->parent, &pdev->dev, &zsv_mdev_driver,
				   p->type_ptrs, p->nr_types);
	if (err)
		goto err_erase;
	return 0;

err_erase:
	put_device(&pdev->dev);
	xa_erase(&zsv_mdev_parents, id);
err_free:
	kfree(p);
	return err;
}

/*
 * Take a parent away: revoke its mdevs' slices first (their VFIO users
 * are asked to let go and lose the memory), so that removing the mdevs
 * waits only for the users to close their files.
 */
static void zsv_mdev_parent_del(struct zsv_mdev_parent *p)
{
	struct zsv_slice *slice, *next;

	lockdep_assert_held(&zsv_mdev_lock);
	xa_erase(&zsv_mdev_parents, p->pdev->id);
	mutex_lock(&zsv_lock);
	list_for_each_entry_safe(slice, next, &p->pdev->slices, pdev_link)
		if (slice->mediated)
			zsv_slice_del_locked(slice, true, NULL);
	mutex_unlock(&zsv_lock);
	mdev_unregister_parent(&p->parent);
	put_device(&p->pdev->dev);
	kfree(p);
}

static int zsv_mdev_event(struct notifier_block *nb, unsigned long event,
			  void *object)
{
	struct zsv_mdev_parent *p;
	struct zsv_slice *slice;
	int err;

	switch (event) {
	case ZSV_EVENT_DEV_ADDED:
		mutex_lock(&zsv_mdev_lock);
		err = zsv_mdev_parent_add(object);
		mutex_unlock(&zsv_mdev_lock);
		if (err)
			pr_warn("%s: no mdev parent (%d)\n",
				zsv_pdev_name(object), err);
		break;
	case ZSV_EVENT_DEV_REMOVING:
		mutex_lock(&zsv_mdev_lock);
		p = xa_load(&zsv_mdev_parents, ((struct zsv_pdev *)object)->id);
		if (p)
			zsv_mdev_parent_del(p);
		mutex_unlock(&zsv_mdev_lock);
		break;
	case ZSV_EVENT_SLICE_DEL:
		/* Under zsv_lock: a mediated slice destroyed by force. */
		slice = object;
		if (slice->mediated && slice->client)
			zsv_vdev_slice_gone_locked(slice->client);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block zsv_mdev_notifier = {
	.notifier_call = zsv_mdev_event,
};

static void zsv_mdev_parents_del(void)
{
	struct zsv_mdev_parent *p;
	unsigned long index;

	mutex_lock(&zsv_mdev_lock);
	xa_for_each(&zsv_mdev_parents, index, p)
		zsv_mdev_parent_del(p);
	mutex_unlock(&zsv_mdev_lock);
}

static int __init zsv_mdev_init(void)
{
	struct zsv_pdev **pdevs, *pdev;
	unsigned long index = 0;
	unsigned int n = 0, i;
	int err;

	pdevs = kcalloc(ZSV_PDEVS_MAX, sizeof(*pdevs), GFP_KERNEL);
	if (!pdevs)
		return -ENOMEM;
	err = mdev_register_driver(&zsv_mdev_driver);
	if (err)
		goto err_free;
	/* From here on no pdev is missed; one may be seen twice. */
	err = zsv_notifier_register(&zsv_mdev_notifier);
	if (err)
		goto err_driver;

	mutex_lock(&zsv_mdev_lock);
	mutex_lock(&zsv_lock);
	while ((pdev = zsv_pdev_next_locked(&index))) {
		get_device(&pdev->dev);
		pdevs[n++] = pdev;
	}
	mutex_unlock(&zsv_lock);
	for (i = 0; i < n; i++) {
		if (!err)
			err = zsv_mdev_parent_add(pdevs[i]);
		put_device(&pdevs[i]->dev);
	}
	mutex_unlock(&zsv_mdev_lock);
	if (err)
		goto err_parents;
	kfree(pdevs);
	return 0;

err_parents:
	zsv_notifier_unregister(&zsv_mdev_notifier);
	zsv_mdev_parents_del();
err_driver:
	mdev_unregister_driver(&zsv_mdev_driver);
err_free:
	kfree(pdevs);
	return err;
}

static void __exit zsv_mdev_exit(void)
{
	zsv_notifier_unregister(&zsv_mdev_notifier);
	zsv_mdev_parents_del();
	mdev_unregister_driver(&zsv_mdev_driver);
}

module_init(zsv_mdev_init);
module_exit(zsv_mdev_exit);
MODULE_DESCRIPTION("zsv: slices as VFIO mediated devices");
MODULE_LICENSE("GPL");
MODULE_SOFTDEP("pre: vfio_iommu_type1 mdev");
