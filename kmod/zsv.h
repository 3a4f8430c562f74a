/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal interfaces of the zsv core (zsv.ko).
 */
#ifndef _ZSV_H
#define _ZSV_H

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rhashtable-types.h>
#include <linux/rwsem.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <uapi/linux/zsv.h>

#include "zsv_backend.h"

/*
 * Limits of the registries. Slice ids are also device minors, handed out
 * cyclically from ZSV_SLICE_MINORS so that a destroyed slice's device
 * number comes back only after about a million creations: a container
 * that kept the old number in its own node and its devices cgroup must
 * not reach the next tenant's slice. ZSV_SLICES_MAX bounds live slices.
 */
#define ZSV_SLICE_MINORS		BIT(MINORBITS)
#define ZSV_SLICES_MAX			65536
#define ZSV_SLICES_PER_PDEV_MAX		4096

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
 * @mem_shared_bytes: sum of the quotas of shared slices; zsv_lock
 * @oversub_pct: shared pool oversubscription in percent; zsv_lock
 * @slices: the pdev's slices, by zsv_slice.pdev_link; zsv_lock
 * @removing: dev-del is taking the pdev away, no new slices; zsv_lock
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
	u64 mem_shared_bytes;
	u32 oversub_pct;
	struct list_head slices;
	bool removing;
};

/**
 * struct zsv_slice - a virtual accelerator carved from a pdev
 * @ref: held by the registry (until slice-del) and by each open context
 * @id: registry index, also the minor of its device node
 * @name: NUL-padded, so that it is the key of the name hash as it stands
 * @hash_node: link in the name hash; zsv_lock
 * @pdev: the pdev it is carved from; holds a reference to it
 * @pdev_link: link in pdev->slices; zsv_lock
 * @node: its device in class zsv_slice, which makes /dev/zsv/<name>;
 *	replaced when the owner or mode changes; zsv_lock
 * @mem_bytes: size of the memory partition; zsv_lock
 * @mem_mode: enum zsv_mem_mode; immutable
 * @mem_used_bytes: bytes backing live buffers; zsv_lock
 * @weight: share of engine time under contention; zsv_lock
 * @cap_pct: ceiling on engine time per period; zsv_lock
 * @timeslice_ns: quantum override, 0 for the pdev's; zsv_lock
 * @uid: owner of the device node; zsv_lock
 * @gid: group of the device node; zsv_lock
 * @node_mode: permission bits of the device node; zsv_lock
 * @nr_contexts: open files of the device node; zsv_lock
 * @status_page: the page behind struct zsv_status; written under zsv_lock
 * @inode: gives every context's file one address space, so that
 *	destruction can zap every mapping of the slice at once
 * @revoke_sem: page faults on the slice's mappings hold it for reading;
 *	forced deletion sets @dead holding it for writing, then zaps every
 *	mapping, so no fault maps slice memory after deletion. It nests
 *	inside zsv_lock and mmap_lock: nothing may take zsv_lock, touch user
 *	memory or wait for long while holding it.
 * @dead: the slice was destroyed; its contexts answer -ENODEV. Written
 *	under zsv_lock and revoke_sem, read with READ_ONCE() elsewhere
 */
struct zsv_slice {
	struct kref ref;
	u32 id;
	char name[ZSV_NAME_MAX + 1];
	struct rhash_head hash_node;
	struct zsv_pdev *pdev;
	struct list_head pdev_link;
	struct device *node;

	u64 mem_bytes;
	enum zsv_mem_mode mem_mode;
	u64 mem_used_bytes;
	u32 weight;
	u32 cap_pct;
	u64 timeslice_ns;
	kuid_t uid;
	kgid_t gid;
	umode_t node_mode;
	u32 nr_contexts;

	struct page *status_page;
	struct inode *inode;
	struct rw_semaphore revoke_sem;
	bool dead;
};

/**
 * struct zsv_dev_config - what dev-set asks for
 * @set: which fields are given, as a mask of BIT_ULL(ZSV_A_DEV_*)
 */
struct zsv_dev_config {
	u64 set;
	enum zsv_policy policy;
	u64 timeslice_ns;
	u64 period_ns;
	u32 oversub_pct;
};

/**
 * struct zsv_slice_config - what slice-new and slice-set ask for
 * @set: which fields are given, as a mask of BIT_ULL(ZSV_A_SLICE_*)
 */
struct zsv_slice_config {
	u64 set;
	char name[ZSV_NAME_MAX + 1];
	u64 mem_bytes;
	enum zsv_mem_mode mem_mode;
	u32 weight;
	u32 cap_pct;
	u64 timeslice_ns;
	kuid_t uid;
	kgid_t gid;
	umode_t node_mode;
};

static inline struct zsv_pdev *to_zsv_pdev(const struct device *dev)
{
	return container_of(dev, struct zsv_pdev, dev);
}

extern struct class zsv_class;
extern struct class zsv_slice_class;

int zsv_pdev_init(void);
void zsv_pdev_exit(void);
struct zsv_pdev *zsv_pdev_find_locked(u32 id);
struct zsv_pdev *zsv_pdev_find_by_name_locked(const char *name);
struct zsv_pdev *zsv_pdev_next_locked(unsigned long *index);
const char *zsv_policy_name(enum zsv_policy policy);
int zsv_pdev_set_locked(struct zsv_pdev *pdev, const struct zsv_dev_config *cfg,
			struct netlink_ext_ack *extack);
int zsv_pdev_new(const char *backend, u64 mem_bytes, u32 engines,
		 struct netlink_ext_ack *extack);
int zsv_pdev_del_locked(struct zsv_pdev *pdev, struct netlink_ext_ack *extack);

int zsv_slice_init(void);
void zsv_slice_exit(void);
struct zsv_slice *zsv_slice_new_locked(struct zsv_pdev *pdev,
				       const struct zsv_slice_config *cfg,
				       struct netlink_ext_ack *extack);
int zsv_slice_set_locked(struct zsv_slice *slice,
			 const struct zsv_slice_config *cfg,
			 struct netlink_ext_ack *extack);
int zsv_slice_del_locked(struct zsv_slice *slice, bool force,
			 struct netlink_ext_ack *extack);
struct zsv_slice *zsv_slice_find_locked(u32 id);
struct zsv_slice *zsv_slice_find_by_name_locked(const char *name);
struct zsv_slice *zsv_slice_next_locked(unsigned long *index);
struct zsv_slice *zsv_slice_get_by_minor(unsigned int minor);
void zsv_slice_put(struct zsv_slice *slice);

int zsv_cdev_init(void);
void zsv_cdev_exit(void);
void zsv_slice_info_locked(const struct zsv_slice *slice,
			   struct zsv_info *info);
void zsv_slice_status_update_locked(struct zsv_slice *slice);
void zsv_pdev_status_update_locked(struct zsv_pdev *pdev);
struct inode *zsv_fs_inode_new(void);
void zsv_fs_inode_put(struct inode *inode);
void zsv_slice_revoke_mappings(struct zsv_slice *slice);
int zsv_slice_node_add_locked(struct zsv_slice *slice);
int zsv_slice_node_replace_locked(struct zsv_slice *slice, kuid_t old_uid,
				  kgid_t old_gid, umode_t old_mode);
bool zsv_slice_status_read(const struct zsv_slice *slice,
			   struct zsv_info *info);
u64 zsv_mem_pct(u64 bytes, u32 pct);
void zsv_slice_node_del_locked(struct zsv_slice *slice);
int zsv_fmt_bytes(char *buf, size_t len, u64 bytes);
int zsv_mem_admit_locked(struct zsv_pdev *pdev, enum zsv_mem_mode mode,
			 u64 old_bytes, u64 new_bytes,
			 struct netlink_ext_ack *extack);
void zsv_mem_account_locked(struct zsv_pdev *pdev, enum zsv_mem_mode mode,
			    u64 old_bytes, u64 new_bytes);

int zsv_netlink_init(void);
void zsv_nl_objects_changed_locked(void);
void zsv_nl_notify_dev_locked(const struct zsv_pdev *pdev, u8 cmd);
void zsv_nl_notify_slice_locked(const struct zsv_slice *slice, u8 cmd);
void zsv_netlink_exit(void);

#endif /* _ZSV_H */
