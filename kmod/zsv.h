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
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/rwsem.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/xarray.h>
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
 * A BO's mmap offset is its handle shifted left by ZSV_BO_OFFSET_SHIFT
 * bits, so each BO has ZSV_BO_SIZE_MAX bytes of offsets to itself and
 * offset 0 stays the status page's. Handles stay below 2^23 so that every
 * offset is a positive off_t.
 */
#define ZSV_BO_OFFSET_SHIFT		40
#define ZSV_BO_PGOFF_SHIFT		(ZSV_BO_OFFSET_SHIFT - PAGE_SHIFT)
#define ZSV_BO_HANDLE_MAX		((1U << (63 - ZSV_BO_OFFSET_SHIFT)) - 1)

/*
 * zsv_lock serialises every change to the object model (the pdev registry
 * and each pdev's configuration) and every reader that needs a consistent
 * view of it (netlink replies, sysfs). It is never held across a call that
 * waits for sysfs readers (device_del()), since those readers take it.
 *
 * It also covers memory accounting: a BO is charged to its slice and pdev
 * (and published in its context) under zsv_lock, and uncharged under it,
 * so that admission sees every byte in use and no race between contexts
 * or slices can overshoot a quota or the shared pool.
 *
 * Lock order: zsv_lock and mmap_lock each come before a context's bo_sem
 * and a slice's revoke_sem; the two semaphores never nest in each other,
 * and neither is held across user memory access or while taking zsv_lock.
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
 * @mem_used_bytes: charged to live buffers, of all slices; zsv_lock
 * @mem_shared_used_bytes: the part of @mem_used_bytes charged to shared
 *	slices' buffers, never more than the shared pool (@mem_total_bytes
 *	less @mem_reserved_bytes); zsv_lock
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
	u64 mem_shared_used_bytes;
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
 * @mem_used_bytes: bytes charged to live buffers (page-rounded sizes),
 *	never more than @mem_bytes; zsv_lock
 * @mem_peak_bytes: the most @mem_used_bytes has been; zsv_lock
 * @quota_hits: buffer creations refused EDQUOT; zsv_lock
 * @weight: share of engine time under contention; zsv_lock
 * @cap_pct: ceiling on engine time per period; zsv_lock
 * @timeslice_ns: quantum override, 0 for the pdev's; zsv_lock
 * @uid: owner of the device node; zsv_lock
 * @gid: group of the device node; zsv_lock
 * @node_mode: permission bits of the device node; zsv_lock
 * @nr_contexts: open files of the device node; zsv_lock
 * @contexts: the open contexts, by zsv_ctx.slice_link; zsv_lock
 * @status_page: the page behind struct zsv_status; written under zsv_lock
 * @inode: gives every context's file one address space, so that
 *	destruction can zap every mapping of the slice at once
 * @revoke_sem: status-page faults hold it for reading; forced deletion
 *	sets @dead holding it for writing, then zaps every mapping, so no
 *	fault maps the status page after deletion (BO faults are ordered by
 *	their context's bo_sem instead). It nests inside zsv_lock and
 *	mmap_lock: nothing may take zsv_lock, touch user memory or wait for
 *	long while holding it.
 * @dead: the slice was destroyed; its contexts answer -ENODEV. Written
 *	under zsv_lock and revoke_sem, read with READ_ONCE() elsewhere
 * @dummy_page: what BO mappings show once the slice is dead, so that the
 *	tenant is not killed; allocated at the first such fault, set once
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
	u64 mem_peak_bytes;
	u64 quota_hits;
	u32 weight;
	u32 cap_pct;
	u64 timeslice_ns;
	kuid_t uid;
	kgid_t gid;
	umode_t node_mode;
	u32 nr_contexts;
	struct list_head contexts;

	struct page *status_page;
	struct inode *inode;
	struct rw_semaphore revoke_sem;
	bool dead;
	struct page *dummy_page;
};

/**
 * struct zsv_ctx - one open file of a slice node
 * @slice: the slice; a reference
 * @slice_link: in slice->contexts; zsv_lock
 * @bos: the context's BOs by handle, from 1. Entries are added under
 *	zsv_lock (with the charge, so that forced deletion finds every
 *	charged BO) and removed under @bo_sem held for writing
 * @bo_sem: a fault on a BO mapping holds it for reading while it checks
 *	that the BO is not revoked and maps a page; revoking a BO holds it
 *	for writing, so no fault maps the BO's pages once its mappings are
 *	zapped. Nests inside zsv_lock; see there.
 */
struct zsv_ctx {
	struct zsv_slice *slice;
	struct list_head slice_link;
	struct xarray bos;
	struct rw_semaphore bo_sem;
};

/**
 * struct zsv_bo - a buffer object: device memory of a slice
 * @ref: keeps the struct; held by the pins (together, as one), by each
 *	mapping and by lookups
 * @pins: keep the backing; held by the handle and by anything that uses
 *	the pages (zsv_bo_page()) without the owning context's bo_sem. The
 *	last unpin frees the pages and returns the bytes to the partition
 * @slice: whose partition the bytes are charged to; a reference
 * @size_bytes: page-rounded; immutable
 * @handle: in the owning context; immutable once published
 * @pages: the backing, by page index; a page is allocated, zeroed, at its
 *	first touch and freed with the last pin
 * @revoked: the handle is gone and the mappings zapped or about to be;
 *	written under the owning context's bo_sem held for writing
 * @revoke_link: on a list of BOs revoked together (forced deletion)
 */
struct zsv_bo {
	struct kref ref;
	refcount_t pins;
	struct zsv_slice *slice;
	u64 size_bytes;
	u32 handle;
	struct xarray pages;
	bool revoked;
	struct list_head revoke_link;
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
struct zsv_slice *zsv_slice_get_by_minor(unsigned int minor,
					 struct zsv_ctx *ctx);
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
int zsv_mem_charge_locked(struct zsv_slice *slice, u64 bytes);
void zsv_mem_uncharge_locked(struct zsv_slice *slice, u64 bytes);

struct zsv_bo *zsv_bo_create(struct zsv_ctx *ctx, u64 size_bytes);
int zsv_bo_destroy(struct zsv_ctx *ctx, u32 handle, struct zsv_bo *expect);
struct zsv_bo *zsv_bo_lookup(struct zsv_ctx *ctx, u32 handle);
void zsv_bo_put(struct zsv_bo *bo);
struct zsv_bo *zsv_bo_pin_handle(struct zsv_ctx *ctx, u32 handle);
void zsv_bo_unpin(struct zsv_bo *bo);
struct page *zsv_bo_page(struct zsv_bo *bo, pgoff_t index);
int zsv_bo_mmap(struct zsv_ctx *ctx, struct vm_area_struct *vma);
void zsv_ctx_destroy_bos(struct zsv_ctx *ctx);
void zsv_slice_revoke_bos_locked(struct zsv_slice *slice,
				 struct list_head *revoked);
void zsv_bos_unpin_locked(struct list_head *revoked);

static inline u64 zsv_bo_offset(u32 handle)
{
	return (u64)handle << ZSV_BO_OFFSET_SHIFT;
}

int zsv_netlink_init(void);
void zsv_nl_objects_changed_locked(void);
void zsv_nl_notify_dev_locked(const struct zsv_pdev *pdev, u8 cmd);
void zsv_nl_notify_slice_locked(const struct zsv_slice *slice, u8 cmd);
void zsv_netlink_exit(void);

#endif /* _ZSV_H */
