/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal interfaces of the zsv core (zsv.ko).
 */
#ifndef _ZSV_H
#define _ZSV_H

#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <uapi/linux/zsv.h>

#include "zsv_backend.h"

/* Scheduling defaults of a new pdev (DESIGN.md section 1). */
#define ZSV_TIMESLICE_DEFAULT_NS	(2 * NSEC_PER_MSEC)
#define ZSV_PERIOD_DEFAULT_NS		(100 * NSEC_PER_MSEC)

/*
 * zsv_lock serialises every change to the object model (the pdev registry
 * and each pdev's configuration) and every reader that needs a consistent
 * view of it (netlink replies, sysfs). It is never held across a call that
 * waits for sysfs readers (device_del()), since those readers take it.
 */
extern struct mutex zsv_lock;

/**
 * struct zsv_pdev - one physical accelerator under zsv
 * @dev: the pdev's device in class "zsv"; its refcount is the pdev's
 * @id: registry index, also the number in the name ("zsv<id>")
 * @backend: the driver; immutable
 * @priv: backend data; immutable
 * @mem_total_bytes: device memory; immutable
 * @engines: engine count; immutable
 * @mem_reserved_bytes: carved by reserved slices; zsv_lock
 * @mem_used_bytes: backing live buffers; zsv_lock
 * @policy: enum zsv_policy; zsv_lock
 * @timeslice_ns: scheduling quantum; zsv_lock
 * @period_ns: accounting period; zsv_lock
 * @slice_count: slices carved from this pdev; zsv_lock
 */
struct zsv_pdev {
	struct device dev;
	u32 id;
	const struct zsv_backend *backend;
	void *priv;
	u64 mem_total_bytes;
	u32 engines;

	u64 mem_reserved_bytes;
	u64 mem_used_bytes;
	enum zsv_policy policy;
	u64 timeslice_ns;
	u64 period_ns;
	u32 slice_count;
};

static inline struct zsv_pdev *to_zsv_pdev(const struct device *dev)
{
	return container_of(dev, struct zsv_pdev, dev);
}

extern struct class zsv_class;

int zsv_pdev_init(void);
void zsv_pdev_exit(void);
struct zsv_pdev *zsv_pdev_find_locked(u32 id);
struct zsv_pdev *zsv_pdev_find_by_name_locked(const char *name);
struct zsv_pdev *zsv_pdev_next_locked(unsigned long *index);
const char *zsv_policy_name(enum zsv_policy policy);

int zsv_netlink_init(void);
void zsv_nl_objects_changed_locked(void);
void zsv_netlink_exit(void);

#endif /* _ZSV_H */
