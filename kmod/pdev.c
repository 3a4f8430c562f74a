// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pdev registry: physical accelerators registered by backends.
 *
 * Lifetime: a pdev is created by zsv_pdev_register() and is visible (in the
 * registry, sysfs and netlink) until zsv_pdev_unregister(). Its memory is
 * owned by its struct device and freed by zsv_pdev_release() when the last
 * reference goes. Lookups are done under zsv_lock and use the pdev only
 * while holding it, so they need no reference of their own.
 */
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/xarray.h>

#include "compat.h"
#include "zsv.h"

/* What it protects, and the rule for device_del(), is in zsv.h. */
DEFINE_MUTEX(zsv_lock);

/* Registered pdevs by id; modified under zsv_lock. */
static DEFINE_XARRAY_ALLOC(zsv_pdevs);

static const char * const zsv_policy_names[] = {
	[ZSV_POLICY_WEIGHTED] = "weighted",
	[ZSV_POLICY_FIXED] = "fixed",
	[ZSV_POLICY_BEST_EFFORT] = "best-effort",
};

const char *zsv_policy_name(enum zsv_policy policy)
{
	if (policy > ZSV_POLICY_MAX)
		return "unknown";
	return zsv_policy_names[policy];
}

/*
 * sysfs: read-only attributes under /sys/class/zsv/<pdev>/. Each show takes
 * zsv_lock, which is why unregistration drops it before device_del().
 */
#define ZSV_PDEV_ATTR(_name, _fmt, _expr)				\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct zsv_pdev *pdev = to_zsv_pdev(dev);			\
	ssize_t len;							\
									\
	mutex_lock(&zsv_lock);						\
	len = sysfs_emit(buf, _fmt "\n", _expr);			\
	mutex_unlock(&zsv_lock);					\
	return len;							\
}									\
static DEVICE_ATTR_RO(_name)

ZSV_PDEV_ATTR(id, "%u", pdev->id);
ZSV_PDEV_ATTR(backend, "%s", pdev->backend->name);
ZSV_PDEV_ATTR(mem_total_bytes, "%llu", pdev->mem_total_bytes);
ZSV_PDEV_ATTR(mem_reserved_bytes, "%llu", pdev->mem_reserved_bytes);
ZSV_PDEV_ATTR(mem_used_bytes, "%llu", pdev->mem_used_bytes);
ZSV_PDEV_ATTR(engines, "%u", pdev->engines);
ZSV_PDEV_ATTR(policy, "%s", zsv_policy_name(pdev->policy));
ZSV_PDEV_ATTR(timeslice_ns, "%llu", pdev->timeslice_ns);
ZSV_PDEV_ATTR(period_ns, "%llu", pdev->period_ns);
ZSV_PDEV_ATTR(slice_count, "%u", pdev->slice_count);

static struct attribute *zsv_pdev_attrs[] = {
	&dev_attr_id.attr,
	&dev_attr_backend.attr,
	&dev_attr_mem_total_bytes.attr,
	&dev_attr_mem_reserved_bytes.attr,
	&dev_attr_mem_used_bytes.attr,
	&dev_attr_engines.attr,
	&dev_attr_policy.attr,
	&dev_attr_timeslice_ns.attr,
	&dev_attr_period_ns.attr,
	&dev_attr_slice_count.attr,
	NULL,
};
ATTRIBUTE_GROUPS(zsv_pdev);

/* Lets udev rules match pdevs by backend: ENV{ZSV_BACKEND}=="sim". */
static int zsv_pdev_uevent(zsv_uevent_device *dev, struct kobj_uevent_env *env)
{
	const struct zsv_pdev *pdev = to_zsv_pdev(dev);

	return add_uevent_var(env, "ZSV_BACKEND=%s", pdev->backend->name);
}

static void zsv_pdev_release(struct device *dev)
{
	kfree(to_zsv_pdev(dev));
}

static const struct device_type zsv_pdev_type = {
	.name = "zsv_pdev",
	.groups = zsv_pdev_groups,
	.uevent = zsv_pdev_uevent,
	.release = zsv_pdev_release,
};

struct class zsv_class = {
	.name = "zsv",
};

/**
 * zsv_pdev_register() - put a physical accelerator under zsv
 * @backend: the backend driving it
 * @desc: its memory size, engine count, parent device and backend data
 *
 * The pdev gets the lowest free id and the name "zsv<id>", and appears in
 * sysfs and netlink before this returns.
 *
 * Return: the new pdev, or an ERR_PTR(): -EINVAL for a bad description,
 * -ENOSPC when ZSV_PDEVS_MAX pdevs exist, -ENOMEM.
 */
struct zsv_pdev *zsv_pdev_register(const struct zsv_backend *backend,
				   const struct zsv_pdev_desc *desc)
{
	struct zsv_pdev *pdev;
	u32 id;
	int err;

	if (!backend || !backend->name || !desc || !desc->mem_bytes ||
	    !desc->engines || desc->engines > ZSV_ENGINES_MAX ||
	    strlen(backend->name) > ZSV_NAME_MAX)
		return ERR_PTR(-EINVAL);

	pdev = kzalloc(sizeof(*pdev), GFP_KERNEL);
	if (!pdev)
		return ERR_PTR(-ENOMEM);

	pdev->backend = backend;
	pdev->priv = desc->priv;
	pdev->mem_total_bytes = desc->mem_bytes;
	pdev->engines = desc->engines;
	pdev->policy = ZSV_POLICY_WEIGHTED;
	pdev->timeslice_ns = ZSV_TIMESLICE_DEFAULT_NS;
	pdev->period_ns = ZSV_PERIOD_DEFAULT_NS;

	device_initialize(&pdev->dev);
	pdev->dev.class = &zsv_class;
	pdev->dev.type = &zsv_pdev_type;
	pdev->dev.parent = desc->parent;

	/*
	 * Hold zsv_lock from id allocation to publication so that nobody sees
	 * a half-made pdev; device_add() does not wait on sysfs readers.
	 */
	mutex_lock(&zsv_lock);
	err = xa_alloc(&zsv_pdevs, &id, pdev, XA_LIMIT(0, ZSV_PDEVS_MAX - 1),
		       GFP_KERNEL);
	if (err) {
		err = err == -EBUSY ? -ENOSPC : err;
		goto err_unlock;
	}
	pdev->id = id;

	err = dev_set_name(&pdev->dev, "zsv%u", id);
	if (err)
		goto err_erase;

	err = device_add(&pdev->dev);
	if (err)
		goto err_erase;
	zsv_nl_objects_changed_locked();
	mutex_unlock(&zsv_lock);

	dev_info(&pdev->dev, "registered by %s: %llu bytes, %u engines\n",
		 backend->name, pdev->mem_total_bytes, pdev->engines);
	return pdev;

err_erase:
	xa_erase(&zsv_pdevs, id);
err_unlock:
	mutex_unlock(&zsv_lock);
	put_device(&pdev->dev);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_GPL(zsv_pdev_register);

/**
 * zsv_pdev_unregister() - take a physical accelerator away from zsv
 * @pdev: a pdev returned by zsv_pdev_register()
 *
 * The pdev disappears from the registry, sysfs and netlink before this
 * returns; the backend may free @pdev's private data afterwards.
 */
void zsv_pdev_unregister(struct zsv_pdev *pdev)
{
	mutex_lock(&zsv_lock);
	xa_erase(&zsv_pdevs, pdev->id);
	zsv_nl_objects_changed_locked();
	mutex_unlock(&zsv_lock);

	dev_info(&pdev->dev, "unregistered\n");
	/* Waits for sysfs readers, which take zsv_lock: call it unlocked. */
	device_unregister(&pdev->dev);
}
EXPORT_SYMBOL_GPL(zsv_pdev_unregister);

void *zsv_pdev_priv(const struct zsv_pdev *pdev)
{
	return pdev->priv;
}
EXPORT_SYMBOL_GPL(zsv_pdev_priv);

const char *zsv_pdev_name(const struct zsv_pdev *pdev)
{
	return dev_name(&pdev->dev);
}
EXPORT_SYMBOL_GPL(zsv_pdev_name);

struct zsv_pdev *zsv_pdev_find_locked(u32 id)
{
	lockdep_assert_held(&zsv_lock);
	return xa_load(&zsv_pdevs, id);
}

/* Linear, but over at most ZSV_PDEVS_MAX entries and off every hot path. */
struct zsv_pdev *zsv_pdev_find_by_name_locked(const char *name)
{
	struct zsv_pdev *pdev;
	unsigned long id;

	lockdep_assert_held(&zsv_lock);
	xa_for_each(&zsv_pdevs, id, pdev)
		if (!strcmp(dev_name(&pdev->dev), name))
			return pdev;
	return NULL;
}

/**
 * zsv_pdev_next_locked() - iterate over registered pdevs in id order
 * @index: id to start at; on return, the id after the pdev returned
 *
 * Return: the registered pdev with the lowest id >= *@index, or NULL.
 */
struct zsv_pdev *zsv_pdev_next_locked(unsigned long *index)
{
	struct zsv_pdev *pdev;

	lockdep_assert_held(&zsv_lock);
	pdev = xa_find(&zsv_pdevs, index, ULONG_MAX, XA_PRESENT);
	if (pdev)
		(*index)++;
	return pdev;
}

int zsv_pdev_init(void)
{
	return class_register(&zsv_class);
}

void zsv_pdev_exit(void)
{
	WARN_ON(!xa_empty(&zsv_pdevs));
	class_unregister(&zsv_class);
}
