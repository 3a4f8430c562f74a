/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The interface between the zsv core and the backends that drive physical
 * accelerators. A backend describes each device it drives with
 * zsv_pdev_register() and takes it away with zsv_pdev_unregister(); the core
 * owns naming, the control plane, slices and scheduling.
 */
#ifndef _ZSV_BACKEND_H
#define _ZSV_BACKEND_H

#include <linux/device.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/types.h>

struct zsv_pdev;
struct zsv_pdev_desc;

/**
 * struct zsv_backend_ops - what the core may ask of a backend
 * @dev_new: make a new pdev as described and register it, and return its
 *	id (zsv_pdev_id(), read while the backend still knows the pdev
 *	exists) or a negative errno; optional, for backends whose devices
 *	exist in software (dev-new)
 * @dev_del: unregister and free a pdev made by @dev_new, or any pdev of
 *	this backend; optional (dev-del). The pdev has no slices.
 *
 * The core calls these without zsv_lock and holding a reference on the
 * backend's module.
 */
struct zsv_backend_ops {
	int (*dev_new)(const struct zsv_pdev_desc *desc);
	int (*dev_del)(struct zsv_pdev *pdev);
};

/**
 * struct zsv_backend - a driver for one kind of physical accelerator
 * @name: short name shown to users ("sim"); at most ZSV_NAME_MAX bytes
 * @owner: the module implementing the backend (THIS_MODULE)
 * @ops: optional operations
 * @link: in the core's list of backends; the core's
 *
 * One static instance per backend module, registered with
 * zsv_backend_register() before its first pdev and unregistered after
 * its last.
 */
struct zsv_backend {
	const char *name;
	struct module *owner;
	const struct zsv_backend_ops *ops;
	struct list_head link;
};

/**
 * struct zsv_pdev_desc - what a backend tells the core about a new pdev
 * @mem_bytes: device memory that slices may be carved from; nonzero
 * @engines: engines that execute jobs; 1 to ZSV_ENGINES_MAX
 * @parent: the backend's own device, or NULL
 * @priv: backend data, returned by zsv_pdev_priv()
 */
struct zsv_pdev_desc {
	u64 mem_bytes;
	u32 engines;
	struct device *parent;
	void *priv;
};

#define ZSV_ENGINES_MAX		64
#define ZSV_PDEVS_MAX		1024

int zsv_backend_register(struct zsv_backend *backend);
void zsv_backend_unregister(struct zsv_backend *backend);
struct zsv_pdev *zsv_pdev_register(const struct zsv_backend *backend,
				   const struct zsv_pdev_desc *desc);
void zsv_pdev_unregister(struct zsv_pdev *pdev);
void *zsv_pdev_priv(const struct zsv_pdev *pdev);
u32 zsv_pdev_id(const struct zsv_pdev *pdev);
const char *zsv_pdev_name(const struct zsv_pdev *pdev);

#endif /* _ZSV_BACKEND_H */
