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
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/xarray.h>

#include "compat.h"
#include "zsv.h"

/* What it protects, and the rule for device_del(), is in zsv.h. */
struct mutex zsv_lock = __MUTEX_INITIALIZER(zsv_lock);
EXPORT_SYMBOL_GPL(zsv_lock);

/* Registered pdevs by id; modified under zsv_lock. */
static DEFINE_XARRAY_ALLOC(zsv_pdevs);

/* Registered backends; zsv_lock. */
static LIST_HEAD(zsv_backends);

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
ZSV_PDEV_ATTR(mem_shared_bytes, "%llu", pdev->mem_shared_bytes);
ZSV_PDEV_ATTR(oversub_pct, "%u", pdev->oversub_pct);

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
	&dev_attr_mem_shared_bytes.attr,
	&dev_attr_oversub_pct.attr,
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
	struct zsv_pdev *pdev = to_zsv_pdev(dev);

	zsv_sched_pdev_free(pdev);
	kfree(pdev);
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
	pdev->oversub_pct = ZSV_OVERSUB_PCT_MIN;
	INIT_LIST_HEAD(&pdev->slices);
	err = zsv_sched_pdev_init(pdev);
	if (err) {
		kfree(pdev);
		return ERR_PTR(err);
	}

	device_initialize(&pdev->dev);
	pdev->dev.class = &zsv_class;
	pdev->dev.type = &zsv_pdev_type;
	pdev->dev.parent = desc->parent;

	/*
	 * Reserve the id (a NULL entry: invisible to lookups), add the device
	 * without zsv_lock (a failing device_add() waits for sysfs readers,
	 * which take it), then publish it. Nobody sees a half-made pdev.
	 */
	mutex_lock(&zsv_lock);
	err = xa_alloc(&zsv_pdevs, &id, NULL, XA_LIMIT(0, ZSV_PDEVS_MAX - 1),
		       GFP_KERNEL);
	mutex_unlock(&zsv_lock);
	if (err) {
		err = err == -EBUSY ? -ENOSPC : err;
		goto err_put;
	}
	pdev->id = id;

	err = dev_set_name(&pdev->dev, "zsv%u", id);
	if (err)
		goto err_erase;
	err = device_add(&pdev->dev);
	if (err)
		goto err_erase;

	dev_info(&pdev->dev, "registered by %s: %llu bytes, %u engines\n",
		 backend->name, pdev->mem_total_bytes, pdev->engines);

	mutex_lock(&zsv_lock);
	WARN_ON(xa_err(xa_store(&zsv_pdevs, id, pdev, GFP_KERNEL)));
	zsv_event_locked(ZSV_EVENT_DEV_NEW, pdev);
	mutex_unlock(&zsv_lock);
	zsv_event_unlocked(ZSV_EVENT_DEV_ADDED, pdev);
	return pdev;

err_erase:
	mutex_lock(&zsv_lock);
	xa_erase(&zsv_pdevs, id);
	mutex_unlock(&zsv_lock);
err_put:
	put_device(&pdev->dev);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_GPL(zsv_pdev_register);

/**
 * zsv_pdev_unregister() - take a physical accelerator away from zsv
 * @pdev: a pdev returned by zsv_pdev_register()
 *
 * The pdev disappears from the registry, sysfs and netlink before this
 * returns; the backend may free @pdev's private data afterwards. Slices
 * still carved from it are destroyed with force, as for slice-del: their
 * contexts are revoked. (For zsv_sim this cannot happen, since slices pin
 * its module and dev-del refuses a pdev with slices; a hardware backend's
 * device can go away at any time.)
 */
void zsv_pdev_unregister(struct zsv_pdev *pdev)
{
	struct zsv_slice *slice, *next;
	u32 id = pdev->id;

	/* Clients (zsv_mdev) let go of the pdev first, without zsv_lock. */
	mutex_lock(&zsv_lock);
	pdev->gone = true;
	mutex_unlock(&zsv_lock);
	zsv_event_unlocked(ZSV_EVENT_DEV_REMOVING, pdev);

	mutex_lock(&zsv_lock);
	list_for_each_entry_safe(slice, next, &pdev->slices, pdev_link)
		zsv_slice_del_locked(slice, true, NULL);
	/*
	 * Keep the id reserved until the sysfs directory "zsv<id>" is gone,
	 * so that a new pdev cannot be given the same name before.
	 */
	xa_store(&zsv_pdevs, id, NULL, GFP_KERNEL);
	zsv_event_locked(ZSV_EVENT_DEV_DEL, pdev);
	mutex_unlock(&zsv_lock);

	/* The slices' jobs are cancelled: wait for the engines to be idle. */
	zsv_sched_pdev_stop(pdev);

	dev_info(&pdev->dev, "unregistered\n");
	/* Waits for sysfs readers, which take zsv_lock: call it unlocked. */
	device_unregister(&pdev->dev);

	mutex_lock(&zsv_lock);
	xa_erase(&zsv_pdevs, id);
	mutex_unlock(&zsv_lock);
}
EXPORT_SYMBOL_GPL(zsv_pdev_unregister);

void *zsv_pdev_priv(const struct zsv_pdev *pdev)
{
	return pdev->priv;
}
EXPORT_SYMBOL_GPL(zsv_pdev_priv);

u32 zsv_pdev_id(const struct zsv_pdev *pdev)
{
	return pdev->id;
}
EXPORT_SYMBOL_GPL(zsv_pdev_id);

const char *zsv_pdev_name(const struct zsv_pdev *pdev)
{
	return dev_name(&pdev->dev);
}
EXPORT_SYMBOL_GPL(zsv_pdev_name);

/**
 * zsv_backend_register() - make a backend known to the core
 * @backend: the backend; its name must be unique
 *
 * Return: 0, -EINVAL for a bad backend or -EEXIST for a taken name.
 */
int zsv_backend_register(struct zsv_backend *backend)
{
	struct zsv_backend *b;
	int err = 0;

	if (!backend->name || strlen(backend->name) > ZSV_NAME_MAX ||
	    !backend->ops || !backend->ops->run)
		return -EINVAL;
	mutex_lock(&zsv_lock);
	list_for_each_entry(b, &zsv_backends, link) {
		if (!strcmp(b->name, backend->name)) {
			err = -EEXIST;
			break;
		}
	}
	if (!err)
		list_add_tail(&backend->link, &zsv_backends);
	mutex_unlock(&zsv_lock);
	return err;
}
EXPORT_SYMBOL_GPL(zsv_backend_register);

void zsv_backend_unregister(struct zsv_backend *backend)
{
	mutex_lock(&zsv_lock);
	list_del(&backend->link);
	mutex_unlock(&zsv_lock);
}
EXPORT_SYMBOL_GPL(zsv_backend_unregister);

/**
 * zsv_pdev_new() - make a pdev through its backend (dev-new)
 * @backend: name of the backend
 * @mem_bytes: memory of the new pdev
 * @engines: engines of the new pdev
 * @extack: the reason for a refusal
 *
 * Called without zsv_lock. The pdev may be gone again by the time the
 * caller looks at it, so the caller looks it up by the returned id.
 * Return: the new pdev's id, or a negative errno.
 */
int zsv_pdev_new(const char *backend, u64 mem_bytes, u32 engines,
		 struct netlink_ext_ack *extack)
{
	struct zsv_pdev_desc desc = { .mem_bytes = mem_bytes,
				      .engines = engines };
	struct zsv_backend *b, *found = NULL;
	int id;

	if (!mem_bytes) {
		NL_SET_ERR_MSG(extack, "mem-total must be nonzero");
		return -EINVAL;
	}
	if (!engines || engines > ZSV_ENGINES_MAX) {
		NL_SET_ERR_MSG_FMT(extack, "engines %u is out of range (1-%u)",
				   engines, ZSV_ENGINES_MAX);
		return -ERANGE;
	}

	mutex_lock(&zsv_lock);
	list_for_each_entry(b, &zsv_backends, link) {
		if (!strcmp(b->name, backend) && try_module_get(b->owner)) {
			found = b;
			break;
		}
	}
	mutex_unlock(&zsv_lock);
	if (!found) {
		NL_SET_ERR_MSG_FMT(extack, "no backend named '%.32s' is loaded",
				   backend);
		return -ENOENT;
	}
	if (!found->ops || !found->ops->dev_new) {
		NL_SET_ERR_MSG_FMT(extack, "backend '%.32s' cannot add devices",
				   backend);
		module_put(found->owner);
		return -EOPNOTSUPP;
	}

	id = found->ops->dev_new(&desc);
	if (id < 0)
		NL_SET_ERR_MSG(extack, "the backend could not add the device");
	module_put(found->owner);
	return id;
}

/**
 * zsv_pdev_del_locked() - remove a pdev through its backend (dev-del)
 * @pdev: the pdev, found under zsv_lock, which the caller still holds
 * @extack: the reason for a refusal
 *
 * Drops and retakes zsv_lock around the backend call.
 * Return: 0, -EBUSY while the pdev has slices or is being removed,
 * -EOPNOTSUPP when its backend cannot remove devices.
 */
int zsv_pdev_del_locked(struct zsv_pdev *pdev, struct netlink_ext_ack *extack)
{
	const struct zsv_backend *backend = pdev->backend;
	int err;

	lockdep_assert_held(&zsv_lock);
	if (pdev->slice_count) {
		NL_SET_ERR_MSG_FMT(extack, "the device has %u slice(s); destroy them first",
				   pdev->slice_count);
		return -EBUSY;
	}
	if (pdev->removing) {
		NL_SET_ERR_MSG(extack, "the device is being removed");
		return -EBUSY;
	}
	if (!backend->ops || !backend->ops->dev_del) {
		NL_SET_ERR_MSG_FMT(extack, "backend '%.32s' cannot remove devices",
				   backend->name);
		return -EOPNOTSUPP;
	}
	if (!try_module_get(backend->owner)) {
		NL_SET_ERR_MSG(extack, "the device's backend is unloading");
		return -ENODEV;
	}

	pdev->removing = true;
	get_device(&pdev->dev);
	mutex_unlock(&zsv_lock);
	err = backend->ops->dev_del(pdev);
	mutex_lock(&zsv_lock);
	if (err) {
		pdev->removing = false;
		NL_SET_ERR_MSG(extack, "the backend could not remove the device");
	}
	put_device(&pdev->dev);
	module_put(backend->owner);
	return err;
}

/**
 * zsv_pdev_set_locked() - change a pdev's settings, live (dev-set)
 * @pdev: the pdev
 * @cfg: the fields to change
 * @extack: the reason for a refusal
 *
 * All or nothing. Return: 0 or a negative errno.
 */
int zsv_pdev_set_locked(struct zsv_pdev *pdev, const struct zsv_dev_config *cfg,
			struct netlink_ext_ack *extack)
{
	u64 timeslice = pdev->timeslice_ns, period = pdev->period_ns;
	char need[24], limit[24];
	u64 cap;

	lockdep_assert_held(&zsv_lock);

	if ((cfg->set & BIT_ULL(ZSV_A_DEV_POLICY)) &&
	    cfg->policy > ZSV_POLICY_MAX) {
		NL_SET_ERR_MSG_FMT(extack, "policy %u is out of range (0-%u)",
				   cfg->policy, ZSV_POLICY_MAX);
		return -ERANGE;
	}
	if (cfg->set & BIT_ULL(ZSV_A_DEV_TIMESLICE_NS))
		timeslice = cfg->timeslice_ns;
	if (cfg->set & BIT_ULL(ZSV_A_DEV_PERIOD_NS))
		period = cfg->period_ns;
	if (timeslice < ZSV_TIMESLICE_MIN_NS || timeslice > ZSV_TIMESLICE_MAX_NS) {
		NL_SET_ERR_MSG_FMT(extack,
				   "timeslice %llu ns is out of range (%llu-%llu ns)",
				   timeslice, ZSV_TIMESLICE_MIN_NS,
				   ZSV_TIMESLICE_MAX_NS);
		return -ERANGE;
	}
	if (period < ZSV_PERIOD_MIN_NS || period > ZSV_PERIOD_MAX_NS) {
		NL_SET_ERR_MSG_FMT(extack,
				   "period %llu ns is out of range (%llu-%llu ns)",
				   period, ZSV_PERIOD_MIN_NS, ZSV_PERIOD_MAX_NS);
		return -ERANGE;
	}
	if (period < timeslice) {
		NL_SET_ERR_MSG_FMT(extack,
				   "period %llu ns is shorter than timeslice %llu ns",
				   period, timeslice);
		return -EINVAL;
	}
	if (cfg->set & BIT_ULL(ZSV_A_DEV_OVERSUB_PCT)) {
		if (cfg->oversub_pct < ZSV_OVERSUB_PCT_MIN ||
		    cfg->oversub_pct > ZSV_OVERSUB_PCT_MAX) {
			NL_SET_ERR_MSG_FMT(extack,
					   "oversubscription %u%% is out of range (%u-%u%%)",
					   cfg->oversub_pct, ZSV_OVERSUB_PCT_MIN,
					   ZSV_OVERSUB_PCT_MAX);
			return -ERANGE;
		}
		cap = zsv_mem_pct(pdev->mem_total_bytes -
				  pdev->mem_reserved_bytes, cfg->oversub_pct);
		if (pdev->mem_shared_bytes > cap) {
			zsv_fmt_bytes(need, sizeof(need), pdev->mem_shared_bytes);
			zsv_fmt_bytes(limit, sizeof(limit), cap);
			NL_SET_ERR_MSG_FMT(extack,
					   "shared quotas hold %s; %u%% allows only %s",
					   need, cfg->oversub_pct, limit);
			return -EBUSY;
		}
	}

	if (cfg->set & BIT_ULL(ZSV_A_DEV_POLICY))
		pdev->policy = cfg->policy;
	pdev->timeslice_ns = timeslice;
	pdev->period_ns = period;
	if (cfg->set & BIT_ULL(ZSV_A_DEV_OVERSUB_PCT))
		pdev->oversub_pct = cfg->oversub_pct;
	zsv_sched_pdev_config_locked(pdev);
	zsv_pdev_status_update_locked(pdev);
	zsv_event_locked(ZSV_EVENT_DEV_SET, pdev);
	return 0;
}

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
EXPORT_SYMBOL_GPL(zsv_pdev_next_locked);

int zsv_pdev_init(void)
{
	return class_register(&zsv_class);
}

void zsv_pdev_exit(void)
{
	WARN_ON(!xa_empty(&zsv_pdevs));
	class_unregister(&zsv_class);
}
