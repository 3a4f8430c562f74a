/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * zsv_mdev: every slice as a VFIO mediated device.
 *
 * parent.c gives each pdev an mdev parent whose types are slice profiles;
 * vfio.c is the virtual PCI accelerator each mdev shows a VM
 * (Documentation/vfio.rst).
 */
#ifndef _ZSV_MDEV_H
#define _ZSV_MDEV_H

#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/vfio.h>
#include <linux/workqueue.h>

#include "../zsv.h"

/* Types: the whole pdev, then halves down to this floor. */
#define ZSV_MDEV_TYPE_MIN_BYTES		(256ULL << 20)
#define ZSV_MDEV_TYPES_MAX		16

/**
 * struct zsv_mdev_type - one slice profile of a pdev
 * @type: the mdev core's; its sysfs directory is "zsv-<size>"
 * @mem_bytes: memory of a slice of this type
 * @sysfs_name: "<size>", as zsv_fmt_bytes() writes it
 * @pretty_name: "zsv-<size>"
 */
struct zsv_mdev_type {
	struct mdev_type type;
	u64 mem_bytes;
	char sysfs_name[24];
	char pretty_name[32];
};

/**
 * struct zsv_mdev_parent - the mdev parent of one pdev
 * @parent: the mdev core's
 * @pdev: the pdev; a reference on its device
 * @nr_types: entries in @types
 * @type_ptrs: what mdev_register_parent() takes
 * @types: the profiles, largest first
 */
struct zsv_mdev_parent {
	struct mdev_parent parent;
	struct zsv_pdev *pdev;
	unsigned int nr_types;
	struct mdev_type *type_ptrs[ZSV_MDEV_TYPES_MAX];
	struct zsv_mdev_type types[ZSV_MDEV_TYPES_MAX];
};

#define ZSV_VDEV_CFG_SIZE	256

/**
 * struct zsv_vdev - one mdev: a slice and the PCI device a VM sees
 * @vdev: the VFIO core's; its refcount is ours
 * @slice: the slice, made at init and destroyed at release; a reference
 * @bar2_size: BAR2's size, the partition rounded up to a power of two
 * @lock: serialises open, close, reset, config and register writes, the
 *	ring's fetching and DMA. Nests outside zsv_lock, @map_sem and (DMA
 *	copies user memory under it) mmap_lock: never take it under those
 * @map_sem: BAR2 faults hold it for reading; swapping @ctx and @bo (open,
 *	close, reset) holds it for writing
 * @ctx: the context the device's jobs and memory live in, while open
 * @bo: the BO behind BAR2, the whole partition, while open; a reference
 * @mapping: the address space BAR2 or the ring page was last mmapped
 *	through; written with WRITE_ONCE() at mmap and close, read with
 *	READ_ONCE()
 * @cfg: config space
 * @cfg_wmask: which bits of @cfg a write changes
 * @ring_page: the ring: one zeroed page from init to release, which
 *	BAR0's ring range reads and writes and which the VFIO user may map
 *	(zsv_ring_vm_ops). It outlives every mapping: a mapping holds the
 *	device file, and release comes after the last file is closed
 * @ring: @ring_page's address. Shared with the VFIO user, hostile: the
 *	device copies an entry once and looks only at the copy, and writes
 *	only @status and @flags back, with WRITE_ONCE(); @ring_lock orders
 *	the device's own accesses, not the user's
 * @ring_lock: protects the registers below and the device's accesses to
 *	@ring; nests inside @ctx's job_lock (the retired callback runs
 *	under it)
 * @flags: per entry taken: its flags as taken, written back with
 *	ZSV_RING_FLAG_DONE once it completes
 * @seq: per entry taken and not completed: its job's seqno, or 0 when
 *	it completed at once (a refused entry, a DMA)
 * @status: per entry completed at once: its errno, positive
 * @head: entries taken
 * @tail: entries given by the driver
 * @done: entries completed
 * @error: errno of the last entry that failed
 * @errors: entries failed
 * @irq_status: ZSV_IRQ_* raised and not cleared
 * @irq_mask: ZSV_IRQ_* not signalled
 * @stalled: fetching waits for the ring to drain before a fence or DMA
 * @intx: eventfd of the INTx trigger, or NULL; @ring_lock
 * @msi: eventfd of the MSI trigger, or NULL; @ring_lock
 * @req: eventfd of the request IRQ, or NULL; @ring_lock
 * @ring_work: fetches again once a stalled ring has drained
 * @bounce: a page for DMA; @lock
 */
struct zsv_vdev {
	struct vfio_device vdev;
	struct zsv_slice *slice;
	u64 bar2_size;
	struct mutex lock;	/* see above */
	struct rw_semaphore map_sem;
	struct zsv_ctx *ctx;
	struct zsv_bo *bo;
	struct address_space *mapping;
	u8 cfg[ZSV_VDEV_CFG_SIZE];
	u8 cfg_wmask[ZSV_VDEV_CFG_SIZE];

	struct page *ring_page;
	struct zsv_ring_entry *ring;
	spinlock_t ring_lock;	/* see above */
	u32 flags[ZSV_RING_ENTRIES];
	u64 seq[ZSV_RING_ENTRIES];
	u32 status[ZSV_RING_ENTRIES];
	u32 head;
	u32 tail;
	u32 done;
	u32 error;
	u32 errors;
	u32 irq_status;
	u32 irq_mask;
	bool stalled;
	struct eventfd_ctx *intx;
	struct eventfd_ctx *msi;
	struct eventfd_ctx *req;
	struct work_struct ring_work;
	void *bounce;
};

extern struct mdev_driver zsv_mdev_driver;
extern const struct attribute_group *zsv_vdev_groups[];

int zsv_vdev_probe(struct mdev_device *mdev);
void zsv_vdev_remove(struct mdev_device *mdev);
void zsv_vdev_slice_gone_locked(struct zsv_vdev *v);

#endif /* _ZSV_MDEV_H */
