// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual PCI accelerator of an mdev slice (Documentation/vfio.rst).
 *
 * Config space and BAR0 are emulated here; BAR2 is the slice's memory
 * partition, one BO of a context that the device opens on its slice while
 * a VFIO user holds it, so that the partition is charged, backed, mapped
 * and revoked exactly as a /dev/zsv tenant's BOs are. Ring entries become
 * jobs of that context and run under the slice's weight and cap on the
 * pdev's engines; DMA entries copy between BAR2 and guest memory through
 * vfio_dma_rw(), in ring order.
 *
 * Lifetime: the slice is made in .init and destroyed in .release, so an
 * mdev holds its capacity from creation to removal. The context and BO
 * exist from open_device to close_device and are remade by a reset.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/pci_regs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "../compat.h"
#include "zsv_mdev.h"

#define ZSV_VDEV_OFFSET_SHIFT	40
#define ZSV_VDEV_INDEX(pos)	((pos) >> ZSV_VDEV_OFFSET_SHIFT)
#define ZSV_VDEV_OFFSET(pos)	((pos) & (BIT_ULL(ZSV_VDEV_OFFSET_SHIFT) - 1))
#define ZSV_VDEV_REGION(index)	((u64)(index) << ZSV_VDEV_OFFSET_SHIFT)
#define ZSV_VDEV_BAR2_PGOFF	(ZSV_VDEV_REGION(VFIO_PCI_BAR2_REGION_INDEX) >> PAGE_SHIFT)
#define ZSV_VDEV_RING_POS	(ZSV_VDEV_REGION(VFIO_PCI_BAR0_REGION_INDEX) + \
				 ZSV_RING_OFFSET)
#define ZSV_VDEV_RING_PGOFF	(ZSV_VDEV_RING_POS >> PAGE_SHIFT)
#define ZSV_VDEV_RING_BYTES	(ZSV_RING_ENTRIES * sizeof(struct zsv_ring_entry))
/*
 * The ring page can be mapped where it is exactly one page; with larger
 * pages BAR0 stays trapped whole, as before there was a ring page.
 */
#define ZSV_VDEV_RING_MAPPABLE	(PAGE_SIZE == ZSV_VDEV_RING_BYTES)

/* The MSI capability: 64-bit addresses, one vector. */
#define ZSV_VDEV_MSI_CAP	0x50

static struct zsv_vdev *to_zsv_vdev(struct vfio_device *vdev)
{
	return container_of(vdev, struct zsv_vdev, vdev);
}

static void zsv_eventfd_signal(struct eventfd_ctx *trigger)
{
#ifdef ZSV_COMPAT_EVENTFD_SIGNAL_NO_COUNT
	eventfd_signal(trigger);
#else
	eventfd_signal(trigger, 1);
#endif
}

/* --- config space ---------------------------------------------------- */

static void zsv_cfg_put(struct zsv_vdev *v, unsigned int off, u32 val,
			u32 wmask, unsigned int size)
{
	unsigned int i;

	for (i = 0; i < size; i++) {
		v->cfg[off + i] = val >> (8 * i);
		v->cfg_wmask[off + i] = wmask >> (8 * i);
	}
}

static void zsv_cfg_init(struct zsv_vdev *v)
{
	u64 bar2_mask = ~(v->bar2_size - 1);

	memset(v->cfg, 0, sizeof(v->cfg));
	memset(v->cfg_wmask, 0, sizeof(v->cfg_wmask));
	zsv_cfg_put(v, PCI_VENDOR_ID, ZSV_PCI_VENDOR_ID, 0, 2);
	zsv_cfg_put(v, PCI_DEVICE_ID, ZSV_PCI_DEVICE_ID, 0, 2);
	zsv_cfg_put(v, PCI_COMMAND, 0, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
		    PCI_COMMAND_INTX_DISABLE, 2);
	zsv_cfg_put(v, PCI_STATUS, PCI_STATUS_CAP_LIST, 0, 2);
	zsv_cfg_put(v, PCI_CLASS_REVISION,
		    ZSV_PCI_CLASS << 8 | ZSV_PCI_REVISION, 0, 4);
	zsv_cfg_put(v, PCI_HEADER_TYPE, PCI_HEADER_TYPE_NORMAL, 0, 1);
	zsv_cfg_put(v, PCI_BASE_ADDRESS_0, PCI_BASE_ADDRESS_SPACE_MEMORY |
		    PCI_BASE_ADDRESS_MEM_TYPE_32, ~(ZSV_BAR0_SIZE - 1), 4);
	zsv_cfg_put(v, PCI_BASE_ADDRESS_2, PCI_BASE_ADDRESS_SPACE_MEMORY |
		    PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH,
		    (u32)bar2_mask & PCI_BASE_ADDRESS_MEM_MASK, 4);
	zsv_cfg_put(v, PCI_BASE_ADDRESS_3, 0, bar2_mask >> 32, 4);
	zsv_cfg_put(v, PCI_SUBSYSTEM_VENDOR_ID, ZSV_PCI_SUBSYS_VENDOR_ID, 0, 2);
	zsv_cfg_put(v, PCI_SUBSYSTEM_ID, ZSV_PCI_SUBSYS_ID, 0, 2);
	zsv_cfg_put(v, PCI_CAPABILITY_LIST, ZSV_VDEV_MSI_CAP, 0, 1);
	zsv_cfg_put(v, PCI_INTERRUPT_LINE, 0, 0xff, 1);
	zsv_cfg_put(v, PCI_INTERRUPT_PIN, 1, 0, 1);
	zsv_cfg_put(v, ZSV_VDEV_MSI_CAP + PCI_CAP_LIST_ID, PCI_CAP_ID_MSI, 0, 1);
	zsv_cfg_put(v, ZSV_VDEV_MSI_CAP + PCI_MSI_FLAGS, PCI_MSI_FLAGS_64BIT,
		    PCI_MSI_FLAGS_ENABLE, 2);
	zsv_cfg_put(v, ZSV_VDEV_MSI_CAP + PCI_MSI_ADDRESS_LO, 0, ~3U, 4);
	zsv_cfg_put(v, ZSV_VDEV_MSI_CAP + PCI_MSI_ADDRESS_HI, 0, ~0U, 4);
	zsv_cfg_put(v, ZSV_VDEV_MSI_CAP + PCI_MSI_DATA_64, 0, 0xffff, 2);
}

static bool zsv_access_ok(loff_t off, size_t count, u64 size)
{
	return (count == 1 || count == 2 || count == 4 || count == 8) &&
	       !(off & (count - 1)) && off < size && count <= size - off;
}

/* Any range of config space: QEMU reads it whole, drivers a field at once. */
static ssize_t zsv_cfg_rw(struct zsv_vdev *v, char __user *buf, size_t count,
			  loff_t off, bool write)
{
	u8 val[ZSV_VDEV_CFG_SIZE];
	size_t i;

	if (off >= ZSV_VDEV_CFG_SIZE || count > ZSV_VDEV_CFG_SIZE - off)
		return -EINVAL;
	if (write) {
		if (copy_from_user(val, buf, count))
			return -EFAULT;
		mutex_lock(&v->lock);
		for (i = 0; i < count; i++)
			v->cfg[off + i] = (v->cfg[off + i] & ~v->cfg_wmask[off + i]) |
					  (val[i] & v->cfg_wmask[off + i]);
		mutex_unlock(&v->lock);
		return count;
	}
	mutex_lock(&v->lock);
	memcpy(val, v->cfg + off, count);
	mutex_unlock(&v->lock);
	return copy_to_user(buf, val, count) ? -EFAULT : count;
}

/* --- interrupts --------------------------------------------------------- */

/*
 * Signal what is raised and unmasked: MSI when set up, else INTx unless
 * the command register disables it. A failed entry is the driver's
 * business (ZSV_IRQ_ERROR), never VFIO's error IRQ, on which QEMU stops
 * the whole VM: the device has no unrecoverable errors to report.
 */
static void zsv_vdev_irq_locked(struct zsv_vdev *v, u32 raised)
{
	struct eventfd_ctx *trigger = v->msi;

	lockdep_assert_held(&v->ring_lock);
	if (!trigger && !(READ_ONCE(v->cfg[PCI_COMMAND + 1]) &
			  (PCI_COMMAND_INTX_DISABLE >> 8)))
		trigger = v->intx;
	v->irq_status |= raised;
	if ((raised & ~v->irq_mask) && trigger)
		zsv_eventfd_signal(trigger);
}

/* --- the ring ----------------------------------------------------------- */

/* Complete entries in order; @ring_lock and the context's job_lock held. */
static void zsv_vdev_advance_locked(struct zsv_vdev *v, struct zsv_ctx *ctx)
{
	u32 raised = 0, slot, status;

	lockdep_assert_held(&ctx->job_lock);
	lockdep_assert_held(&v->ring_lock);
	while (v->done != v->head) {
		slot = v->done % ZSV_RING_ENTRIES;
		if (v->seq[slot] > ctx->completed_seqno)
			break;
		status = v->status[slot];
		if (v->seq[slot] && v->seq[slot] == ctx->error_seqno)
			status = -ctx->error;
		WRITE_ONCE(v->ring[slot].status, status);
		/*
		 * Status, then the flag: a driver that sees DONE in the
		 * entry reads the status next (Documentation/vfio.rst).
		 */
		smp_store_release(&v->ring[slot].flags,
				  v->flags[slot] | ZSV_RING_FLAG_DONE);
		if (status) {
			v->error = status;
			v->errors++;
			raised |= ZSV_IRQ_ERROR;
		}
		v->seq[slot] = 0;
		v->status[slot] = 0;
		v->flags[slot] = 0;
		v->done++;
		raised |= ZSV_IRQ_DONE;
	}
	if (raised)
		zsv_vdev_irq_locked(v, raised);
	if (v->stalled && v->done == v->head)
		schedule_work(&v->ring_work);
}

/* The context's jobs moved on: called under its job_lock. */
static void zsv_vdev_retired(struct zsv_ctx *ctx)
{
	struct zsv_vdev *v = ctx->client;

	spin_lock(&v->ring_lock);
	zsv_vdev_advance_locked(v, ctx);
	spin_unlock(&v->ring_lock);
}

static void zsv_vdev_advance(struct zsv_vdev *v)
{
	unsigned long flags;
	struct zsv_ctx *ctx = v->ctx;

	spin_lock_irqsave(&ctx->job_lock, flags);
	spin_lock(&v->ring_lock);
	zsv_vdev_advance_locked(v, ctx);
	spin_unlock(&v->ring_lock);
	spin_unlock_irqrestore(&ctx->job_lock, flags);
}

static bool zsv_range_in(u64 offset, u64 length, u64 size)
{
	return length && offset <= size && length <= size - offset;
}

/* Copy between BAR2 and guest memory, a page at a time. */
static int zsv_vdev_dma(struct zsv_vdev *v, const struct zsv_ring_entry *e)
{
	bool to_bar = e->op == ZSV_RING_OP_DMA_READ;
	u64 bar = to_bar ? e->dst : e->src, iova = to_bar ? e->src : e->dst;
	u64 done = 0, chunk, off;
	struct zsv_bo *bo;
	struct page *page;
	void *kaddr;
	int err = 0;

	if (!zsv_range_in(bar, e->length, v->slice->mem_bytes) ||
	    e->length > ZSV_RING_DMA_MAX)
		return -EINVAL;
	bo = zsv_bo_pin_handle(v->ctx, v->bo->handle);
	if (!bo)
		return -ENODEV;
	while (done < e->length && !err) {
		off = offset_in_page(bar + done);
		chunk = min_t(u64, PAGE_SIZE - off, e->length - done);
		page = zsv_bo_page(bo, (bar + done) >> PAGE_SHIFT);
		if (!page) {
			err = -ENOMEM;
			break;
		}
		if (to_bar) {
			err = vfio_dma_rw(&v->vdev, iova + done, v->bounce,
					  chunk, false);
			if (!err) {
				kaddr = kmap_local_page(page);
				memcpy(kaddr + off, v->bounce, chunk);
				kunmap_local(kaddr);
			}
		} else {
			kaddr = kmap_local_page(page);
			memcpy(v->bounce, kaddr + off, chunk);
			kunmap_local(kaddr);
			err = vfio_dma_rw(&v->vdev, iova + done, v->bounce,
					  chunk, true);
		}
		done += chunk;
	}
	zsv_bo_unpin(bo);
	/* vfio_dma_rw() says EINVAL for an IOVA nobody mapped. */
	return err == -ENOMEM ? err : err ? -EFAULT : 0;
}

/* Turn a data-plane entry into a job. Return: 0 or a negative errno. */
static int zsv_vdev_submit(struct zsv_vdev *v, const struct zsv_ring_entry *e,
			   u64 *seqno)
{
	struct zsv_job_cmd cmd = {
		.dst_offset = e->dst,
		.src_offset = e->src,
		.length = e->length,
		.arg = e->arg,
	};
	u32 handle = v->bo->handle;

	switch (e->op) {
	case ZSV_RING_OP_FILL:
		cmd.op = ZSV_OP_FILL;
		cmd.dst = handle;
		break;
	case ZSV_RING_OP_COPY:
		cmd.op = ZSV_OP_COPY;
		cmd.dst = handle;
		cmd.src = handle;
		break;
	case ZSV_RING_OP_COMPUTE:
		cmd.op = ZSV_OP_COMPUTE;
		break;
	case ZSV_RING_OP_CHECKSUM:
		cmd.op = ZSV_OP_CHECKSUM;
		cmd.dst = handle;
		cmd.src = handle;
		break;
	default:
		return -EINVAL;
	}
	/* A FILL or COMPUTE has no source: the offset must say so. */
	if (!cmd.src && cmd.src_offset)
		return -EINVAL;
	return zsv_job_submit(v->ctx, &cmd, 1, seqno);
}

/*
 * Copy entry @slot out of the ring. The ring page may be mapped by the
 * VFIO user, who can rewrite it at any moment: copy the entry once, and
 * look only at the copy from then on.
 */
static void zsv_vdev_entry_copy(struct zsv_vdev *v, u32 slot,
				struct zsv_ring_entry *e)
{
	memcpy(e, &v->ring[slot], sizeof(*e));
	/* No later use of @e may be turned into a read of the ring. */
	barrier();
	/* The driver's stale completion flag is not the entry's business. */
	e->flags &= ~ZSV_RING_FLAG_DONE;
}

/* Take the entries the driver gave; @lock held, the device open. */
static void zsv_vdev_fetch(struct zsv_vdev *v)
{
	struct zsv_ring_entry e;
	u32 slot, status;
	u64 seqno;

	lockdep_assert_held(&v->lock);
	for (;;) {
		spin_lock_irq(&v->ring_lock);
		v->stalled = false;
		if (v->head == v->tail) {
			spin_unlock_irq(&v->ring_lock);
			break;
		}
		slot = v->head % ZSV_RING_ENTRIES;
		zsv_vdev_entry_copy(v, slot, &e);
		/* A fence or DMA waits until everything before it is done. */
		if ((e.op == ZSV_RING_OP_DMA_READ ||
		     e.op == ZSV_RING_OP_DMA_WRITE ||
		     e.flags == ZSV_RING_FLAG_FENCE) && v->done != v->head) {
			v->stalled = true;
			spin_unlock_irq(&v->ring_lock);
			zsv_vdev_advance(v);
			break;
		}
		spin_unlock_irq(&v->ring_lock);

		seqno = 0;
		if ((e.flags & ~ZSV_RING_FLAG_FENCE) || e.pad ||
		    e.reserved[0] || e.reserved[1])
			status = EINVAL;
		else if (e.op == ZSV_RING_OP_DMA_READ ||
			 e.op == ZSV_RING_OP_DMA_WRITE)
			status = -zsv_vdev_dma(v, &e);
		else
			status = -zsv_vdev_submit(v, &e, &seqno);

		spin_lock_irq(&v->ring_lock);
		v->seq[slot] = status ? 0 : seqno;
		v->status[slot] = status;
		v->flags[slot] = e.flags;
		v->head++;
		spin_unlock_irq(&v->ring_lock);
		zsv_vdev_advance(v);
	}
}

static void zsv_vdev_ring_work(struct work_struct *work)
{
	struct zsv_vdev *v = container_of(work, struct zsv_vdev, ring_work);

	mutex_lock(&v->lock);
	if (v->ctx)
		zsv_vdev_fetch(v);
	mutex_unlock(&v->lock);
}

/* The driver moved TAIL: take what it gave, or refuse a bad TAIL. */
static void zsv_vdev_doorbell(struct zsv_vdev *v, u32 tail)
{
	bool ok;

	spin_lock_irq(&v->ring_lock);
	/* TAIL never moves back, nor more than the ring past DONE. */
	ok = tail - v->done <= ZSV_RING_ENTRIES &&
	     (s32)(tail - v->tail) >= 0;
	if (ok) {
		v->tail = tail;
	} else {
		v->error = EINVAL;
		v->errors++;
		zsv_vdev_irq_locked(v, ZSV_IRQ_ERROR);
	}
	spin_unlock_irq(&v->ring_lock);
	if (ok)
		zsv_vdev_fetch(v);
}

/* --- open, close, reset ------------------------------------------------- */

/* Open a context with the partition as one BO; @lock held. */
static int zsv_vdev_start(struct zsv_vdev *v)
{
	struct zsv_ctx *ctx;
	struct zsv_bo *bo;

	lockdep_assert_held(&v->lock);
	ctx = zsv_ctx_open(v->slice);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	ctx->client = v;
	ctx->retired = zsv_vdev_retired;
	bo = zsv_bo_create(ctx, v->slice->mem_bytes);
	if (IS_ERR(bo)) {
		zsv_ctx_close(ctx);
		return PTR_ERR(bo);
	}
	down_write(&v->map_sem);
	v->ctx = ctx;
	v->bo = bo;
	up_write(&v->map_sem);
	return 0;
}

/*
 * Take the device's mappings away; refaults see BAR2's current BO, or
 * none. The ring page is never freed under a mapping (see @ring_page),
 * so a refault of it maps it again; it is zapped too only so that one
 * rule holds for every mapping of the device.
 */
static void zsv_vdev_zap(struct zsv_vdev *v)
{
	struct address_space *mapping = READ_ONCE(v->mapping);

	if (!mapping)
		return;
	unmap_mapping_range(mapping,
			    ZSV_VDEV_REGION(VFIO_PCI_BAR2_REGION_INDEX),
			    v->bar2_size, 1);
	if (ZSV_VDEV_RING_MAPPABLE)
		unmap_mapping_range(mapping, ZSV_VDEV_RING_POS, PAGE_SIZE, 1);
}

/* Clear the ring and its registers; @lock held, no entry in flight. */
static void zsv_vdev_ring_clear(struct zsv_vdev *v)
{
	spin_lock_irq(&v->ring_lock);
	/* In place: mappings of the ring page see the zeroes at once. */
	memset(v->ring, 0, PAGE_SIZE);
	memset(v->flags, 0, sizeof(v->flags));
	memset(v->seq, 0, sizeof(v->seq));
	memset(v->status, 0, sizeof(v->status));
	v->head = 0;
	v->tail = 0;
	v->done = 0;
	v->error = 0;
	v->errors = 0;
	v->irq_status = 0;
	v->irq_mask = 0;
	v->stalled = false;
	spin_unlock_irq(&v->ring_lock);
}

/* Cancel every entry, free the memory, clear the ring (close); @lock held. */
static void zsv_vdev_stop(struct zsv_vdev *v)
{
	unsigned long flags;
	struct zsv_ctx *ctx = v->ctx;
	struct zsv_bo *bo = v->bo;

	lockdep_assert_held(&v->lock);
	if (!ctx)
		return;
	spin_lock_irqsave(&ctx->job_lock, flags);
	ctx->retired = NULL;
	spin_unlock_irqrestore(&ctx->job_lock, flags);

	down_write(&v->map_sem);
	v->ctx = NULL;
	v->bo = NULL;
	up_write(&v->map_sem);
	zsv_vdev_zap(v);
	zsv_bo_put(bo);
	zsv_ctx_close(ctx);
	zsv_vdev_ring_clear(v);
}

/*
 * Cancel every entry and zero the partition in place; @lock held. It
 * allocates nothing, so a reset cannot fail and leave the device half
 * made: the BO and its charge stay, its backed pages are cleared once no
 * job can write them any more.
 */
static int zsv_vdev_reset(struct zsv_vdev *v)
{
	u64 pages = v->slice->mem_bytes >> PAGE_SHIFT, i;
	struct zsv_bo *bo;
	struct page *page;

	if (READ_ONCE(v->slice->dead) || !v->ctx)
		return -ENODEV;
	zsv_ctx_quiesce(v->ctx);
	zsv_vdev_ring_clear(v);
	bo = zsv_bo_pin_handle(v->ctx, v->bo->handle);
	if (!bo)
		return -ENODEV;	/* revoked meanwhile: the slice is gone */
	for (i = 0; i < pages; i++) {
		page = zsv_bo_peek_page(bo, i);
		if (page)
			clear_highpage(page);
		if (!(i & 1023))
			cond_resched();
	}
	zsv_bo_unpin(bo);
	return 0;
}

static int zsv_vdev_open_device(struct vfio_device *vdev)
{
	struct zsv_vdev *v = to_zsv_vdev(vdev);
	int err;

	mutex_lock(&v->lock);
	zsv_cfg_init(v);
	err = zsv_vdev_start(v);
	mutex_unlock(&v->lock);
	if (err)
		return err;
	mutex_lock(&zsv_lock);
	zsv_slice_vfio_open_locked(v->slice, true);
	mutex_unlock(&zsv_lock);
	return 0;
}

static void zsv_vdev_close_device(struct vfio_device *vdev)
{
	struct zsv_vdev *v = to_zsv_vdev(vdev);
	struct eventfd_ctx *trigger[3];
	unsigned int i;

	mutex_lock(&v->lock);
	zsv_vdev_stop(v);
	WRITE_ONCE(v->mapping, NULL);
	spin_lock_irq(&v->ring_lock);
	trigger[0] = v->intx;
	trigger[1] = v->msi;
	trigger[2] = v->req;
	v->intx = NULL;
	v->msi = NULL;
	v->req = NULL;
	spin_unlock_irq(&v->ring_lock);
	mutex_unlock(&v->lock);
	cancel_work_sync(&v->ring_work);
	for (i = 0; i < ARRAY_SIZE(trigger); i++)
		if (trigger[i])
			eventfd_ctx_put(trigger[i]);

	mutex_lock(&zsv_lock);
	zsv_slice_vfio_open_locked(v->slice, false);
	mutex_unlock(&zsv_lock);
}

/**
 * zsv_vdev_slice_gone_locked() - the slice was destroyed with force
 * @v: its device
 *
 * Under zsv_lock: the core has revoked the device's context. Ask the VFIO
 * user to let go, and take BAR2's mappings away (refaults show the
 * slice's dummy page).
 */
void zsv_vdev_slice_gone_locked(struct zsv_vdev *v)
{
	lockdep_assert_held(&zsv_lock);
	spin_lock_irq(&v->ring_lock);
	if (v->req)
		zsv_eventfd_signal(v->req);
	spin_unlock_irq(&v->ring_lock);
	zsv_vdev_zap(v);
}

/* --- BAR0 ----------------------------------------------------------------- */

static u32 zsv_reg_read32(struct zsv_vdev *v, u32 off)
{
	const struct zsv_slice *s = v->slice;

	lockdep_assert_held(&v->ring_lock);
	switch (off) {
	case ZSV_REG_ID:
		return ZSV_DEV_MAGIC;
	case ZSV_REG_VERSION:
		return ZSV_DEV_VERSION;
	case ZSV_REG_FEATURES:
		return ZSV_FEATURE_DONE_FLAG;
	case ZSV_REG_ENGINES:
		return s->pdev->engines;
	case ZSV_REG_MEM_SIZE:
		return lower_32_bits(READ_ONCE(s->mem_bytes));
	case ZSV_REG_MEM_SIZE + 4:
		return upper_32_bits(READ_ONCE(s->mem_bytes));
	case ZSV_REG_WEIGHT:
		return READ_ONCE(s->weight);
	case ZSV_REG_CAP_PCT:
		return READ_ONCE(s->cap_pct);
	case ZSV_REG_TIMESLICE_NS:
		return lower_32_bits(READ_ONCE(s->timeslice_ns));
	case ZSV_REG_TIMESLICE_NS + 4:
		return upper_32_bits(READ_ONCE(s->timeslice_ns));
	case ZSV_REG_RING_SIZE:
		return ZSV_RING_ENTRIES;
	case ZSV_REG_RING_HEAD:
		return v->head;
	case ZSV_REG_RING_TAIL:
		return v->tail;
	case ZSV_REG_RING_DONE:
		return v->done;
	case ZSV_REG_RING_ERROR:
		return v->error;
	case ZSV_REG_RING_ERRORS:
		return v->errors;
	case ZSV_REG_IRQ_STATUS:
		return v->irq_status;
	case ZSV_REG_IRQ_MASK:
		return v->irq_mask;
	}
	return 0;
}

static bool zsv_reg_is64(u32 off)
{
	return off == ZSV_REG_MEM_SIZE || off == ZSV_REG_TIMESLICE_NS;
}

/* @lock held. */
static void zsv_reg_write32(struct zsv_vdev *v, u32 off, u32 val)
{
	u32 pending;

	switch (off) {
	case ZSV_REG_RING_TAIL:
		zsv_vdev_doorbell(v, val);
		break;
	case ZSV_REG_IRQ_STATUS:
		spin_lock_irq(&v->ring_lock);
		v->irq_status &= ~val;
		spin_unlock_irq(&v->ring_lock);
		break;
	case ZSV_REG_IRQ_MASK:
		spin_lock_irq(&v->ring_lock);
		/* Unmasking what is pending signals it. */
		pending = v->irq_status & v->irq_mask;
		v->irq_mask = val & (ZSV_IRQ_DONE | ZSV_IRQ_ERROR);
		pending &= ~v->irq_mask;
		if (pending)
			zsv_vdev_irq_locked(v, pending);
		spin_unlock_irq(&v->ring_lock);
		break;
	case ZSV_REG_CONTROL:
		if (val & ZSV_CONTROL_RESET)
			zsv_vdev_reset(v);
		break;
	}
}

static ssize_t zsv_bar0_rw(struct zsv_vdev *v, char __user *buf, size_t count,
			   loff_t off, bool write)
{
	u8 bounce[sizeof(struct zsv_ring_entry)];
	size_t done = 0, chunk;
	u64 val = 0;

	if (off < ZSV_RING_OFFSET) {
		/*
		 * Registers: one naturally aligned access. A register is 4
		 * bytes (8 for a 64-bit one); any other width reads as zero
		 * and writes nothing.
		 */
		if (!zsv_access_ok(off, count, ZSV_RING_OFFSET))
			return -EINVAL;
		if (write) {
			if (copy_from_user(&val, buf, count))
				return -EFAULT;
			mutex_lock(&v->lock);
			if (!v->ctx) {
				mutex_unlock(&v->lock);
				return -ENODEV;
			}
			if (count == 4)
				zsv_reg_write32(v, off, val);
			mutex_unlock(&v->lock);
			return count;
		}
		spin_lock_irq(&v->ring_lock);
		if (count == 4)
			val = zsv_reg_read32(v, off);
		else if (count == 8 && zsv_reg_is64(off))
			val = zsv_reg_read32(v, off) |
			      (u64)zsv_reg_read32(v, off + 4) << 32;
		spin_unlock_irq(&v->ring_lock);
		return copy_to_user(buf, &val, count) ? -EFAULT : count;
	}

	/* The ring: plain memory, any size within it. */
	if (off >= ZSV_BAR0_SIZE || count > ZSV_BAR0_SIZE - off)
		return -EINVAL;
	off -= ZSV_RING_OFFSET;
	while (done < count) {
		chunk = min_t(size_t, count - done, sizeof(bounce));
		if (write && copy_from_user(bounce, buf + done, chunk))
			return done ?: -EFAULT;
		spin_lock_irq(&v->ring_lock);
		if (write)
			memcpy((u8 *)v->ring + off + done, bounce, chunk);
		else
			memcpy(bounce, (u8 *)v->ring + off + done, chunk);
		spin_unlock_irq(&v->ring_lock);
		if (!write && copy_to_user(buf + done, bounce, chunk))
			return done ?: -EFAULT;
		done += chunk;
	}
	return count;
}

/* --- BAR2 ----------------------------------------------------------------- */

static ssize_t zsv_bar2_rw(struct zsv_vdev *v, char __user *buf, size_t count,
			   loff_t off, bool write)
{
	u64 mem = v->slice->mem_bytes;
	size_t done = 0, chunk, left;
	struct zsv_bo *bo = NULL;
	struct page *page;
	void *kaddr;
	int err = 0;

	if (off >= v->bar2_size || count > v->bar2_size - off)
		return -EINVAL;
	down_read(&v->map_sem);
	if (v->bo)
		bo = zsv_bo_pin_handle(v->ctx, v->bo->handle);
	up_read(&v->map_sem);
	if (!bo)
		return -ENODEV;

	while (done < count && !err) {
		u64 pos = off + done;

		chunk = min_t(size_t, count - done,
			      PAGE_SIZE - offset_in_page(pos));
		if (pos >= mem) {
			/* Past the partition: zeroes, and writes go nowhere. */
			if (!write && clear_user(buf + done, chunk))
				err = -EFAULT;
			done += chunk;
			continue;
		}
		page = write ? zsv_bo_page(bo, pos >> PAGE_SHIFT) :
			       zsv_bo_peek_page(bo, pos >> PAGE_SHIFT);
		if (!page) {
			if (write)
				err = -ENOMEM;
			else if (clear_user(buf + done, chunk))
				err = -EFAULT;
			if (!err)
				done += chunk;
			continue;
		}
		kaddr = kmap_local_page(page);
		if (write)
			left = copy_from_user(kaddr + offset_in_page(pos),
					      buf + done, chunk);
		else
			left = copy_to_user(buf + done,
					    kaddr + offset_in_page(pos), chunk);
		kunmap_local(kaddr);
		if (left)
			err = -EFAULT;
		else
			done += chunk;
	}
	zsv_bo_unpin(bo);
	return done ?: err;
}

static vm_fault_t zsv_bar2_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct zsv_vdev *v = vma->vm_private_data;
	pgoff_t index = vmf->pgoff - ZSV_VDEV_BAR2_PGOFF;
	vm_fault_t ret = VM_FAULT_SIGBUS;

	if (index >= v->slice->mem_bytes >> PAGE_SHIFT) {
		/* Past the partition: the zero page, never written. */
		if (vmf->flags & FAULT_FLAG_WRITE)
			return VM_FAULT_SIGBUS;
		return vmf_insert_pfn_prot(vma, vmf->address,
					   my_zero_pfn(vmf->address),
					   vm_get_page_prot(vma->vm_flags &
							    ~VM_WRITE));
	}
	down_read(&v->map_sem);
	if (v->bo)
		ret = zsv_bo_fault_page(v->ctx, v->bo, vma, vmf->address,
					index);
	up_read(&v->map_sem);
	return ret;
}

/* A write to a page mapped read-only: allowed only inside the partition. */
static vm_fault_t zsv_bar2_pfn_mkwrite(struct vm_fault *vmf)
{
	struct zsv_vdev *v = vmf->vma->vm_private_data;
	pgoff_t index = vmf->pgoff - ZSV_VDEV_BAR2_PGOFF;

	return index >= v->slice->mem_bytes >> PAGE_SHIFT ? VM_FAULT_SIGBUS : 0;
}

static const struct vm_operations_struct zsv_bar2_vm_ops = {
	.fault = zsv_bar2_fault,
	.pfn_mkwrite = zsv_bar2_pfn_mkwrite,
};

/*
 * The ring page: the device's own page, whatever the device's state. The
 * mapping holds the device file, so the page outlives it (@ring_page).
 */
static vm_fault_t zsv_ring_fault(struct vm_fault *vmf)
{
	struct zsv_vdev *v = vmf->vma->vm_private_data;

	return vmf_insert_pfn(vmf->vma, vmf->address,
			      page_to_pfn(v->ring_page));
}

static const struct vm_operations_struct zsv_ring_vm_ops = {
	.fault = zsv_ring_fault,
};

/* Which mapping @vma asks for: its ops, or NULL for none we have. */
static const struct vm_operations_struct *
zsv_vdev_mmap_ops(struct zsv_vdev *v, struct vm_area_struct *vma)
{
	unsigned long pages = vma_pages(vma);
	pgoff_t first;

	/* BAR0: the ring page alone; the registers stay trapped. */
	if (vma->vm_pgoff == ZSV_VDEV_RING_PGOFF && ZSV_VDEV_RING_MAPPABLE)
		return pages == 1 ? &zsv_ring_vm_ops : NULL;
	if (vma->vm_pgoff < ZSV_VDEV_BAR2_PGOFF ||
	    ZSV_VDEV_INDEX((u64)vma->vm_pgoff << PAGE_SHIFT) !=
	    VFIO_PCI_BAR2_REGION_INDEX)
		return NULL;
	first = vma->vm_pgoff - ZSV_VDEV_BAR2_PGOFF;
	if (first >= v->bar2_size >> PAGE_SHIFT ||
	    pages > (v->bar2_size >> PAGE_SHIFT) - first)
		return NULL;
	return &zsv_bar2_vm_ops;
}

static int zsv_vdev_mmap(struct vfio_device *vdev, struct vm_area_struct *vma)
{
	struct zsv_vdev *v = to_zsv_vdev(vdev);
	const struct vm_operations_struct *ops = zsv_vdev_mmap_ops(v, vma);

	if (!ops)
		return -EINVAL;
	if (vma->vm_flags & VM_EXEC)
		return -EPERM;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (READ_ONCE(v->slice->dead))
		return -ENODEV;

	/*
	 * Not under @lock: DMA holds it while type1 takes mmap_lock. Before
	 * 6.6 every VFIO file shares the anonymous inode's mapping: zapping
	 * our range there also zaps other devices' mappings of the same
	 * offsets, which only costs them a refault.
	 */
	WRITE_ONCE(v->mapping, vma->vm_file->f_mapping);
	vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vm_flags_clear(vma, VM_MAYEXEC);
	vma->vm_ops = ops;
	vma->vm_private_data = v;
	return 0;
}

/* --- region access -------------------------------------------------------- */

static ssize_t zsv_vdev_rw(struct zsv_vdev *v, char __user *buf, size_t count,
			   loff_t *ppos, bool write)
{
	u64 off = ZSV_VDEV_OFFSET((u64)*ppos);
	ssize_t ret;

	if (*ppos < 0 || READ_ONCE(v->slice->dead))
		return *ppos < 0 ? -EINVAL : -ENODEV;
	if (!count)
		return 0;
	switch (ZSV_VDEV_INDEX((u64)*ppos)) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		ret = zsv_cfg_rw(v, buf, count, off, write);
		break;
	case VFIO_PCI_BAR0_REGION_INDEX:
		ret = zsv_bar0_rw(v, buf, count, off, write);
		break;
	case VFIO_PCI_BAR2_REGION_INDEX:
		ret = zsv_bar2_rw(v, buf, count, off, write);
		break;
	default:
		ret = -EINVAL;
	}
	if (ret > 0)
		*ppos += ret;
	return ret;
}

static ssize_t zsv_vdev_read(struct vfio_device *vdev, char __user *buf,
			     size_t count, loff_t *ppos)
{
	return zsv_vdev_rw(to_zsv_vdev(vdev), buf, count, ppos, false);
}

static ssize_t zsv_vdev_write(struct vfio_device *vdev, const char __user *buf,
			      size_t count, loff_t *ppos)
{
	return zsv_vdev_rw(to_zsv_vdev(vdev), (char __user *)buf, count, ppos,
			   true);
}

/* --- ioctls ------------------------------------------------------------- */

static int zsv_vdev_irq_count(unsigned int index)
{
	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_REQ_IRQ_INDEX:
		return 1;
	}
	return 0;
}

static struct eventfd_ctx **zsv_vdev_trigger(struct zsv_vdev *v,
					     unsigned int index)
{
	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		return &v->intx;
	case VFIO_PCI_MSI_IRQ_INDEX:
		return &v->msi;
	case VFIO_PCI_REQ_IRQ_INDEX:
		return &v->req;
	}
	return NULL;
}

static long zsv_vdev_set_irqs(struct zsv_vdev *v, unsigned long arg)
{
	struct vfio_irq_set hdr;
	struct eventfd_ctx *new = NULL, *old, **slot;
	size_t data_size = 0;
	s32 fd;
	int err;

	if (copy_from_user(&hdr, (void __user *)arg,
			   offsetofend(struct vfio_irq_set, count)))
		return -EFAULT;
	err = vfio_set_irqs_validate_and_prepare(&hdr,
						 zsv_vdev_irq_count(hdr.index),
						 VFIO_PCI_NUM_IRQS, &data_size);
	if (err)
		return err;
	slot = zsv_vdev_trigger(v, hdr.index);
	if (!slot)
		return -EINVAL;

	switch (hdr.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) {
	case VFIO_IRQ_SET_ACTION_MASK:
	case VFIO_IRQ_SET_ACTION_UNMASK:
		/* INTx masking is the driver's, through IRQ_MASK. */
		if (hdr.index != VFIO_PCI_INTX_IRQ_INDEX ||
		    (hdr.flags & VFIO_IRQ_SET_DATA_EVENTFD))
			return -EINVAL;
		return 0;
	case VFIO_IRQ_SET_ACTION_TRIGGER:
		break;
	default:
		return -EINVAL;
	}

	if (hdr.flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		if (hdr.count != 1)
			return -EINVAL;
		if (get_user(fd, (s32 __user *)(arg + sizeof(hdr))))
			return -EFAULT;
		if (fd >= 0) {
			new = eventfd_ctx_fdget(fd);
			if (IS_ERR(new))
				return PTR_ERR(new);
		} else if (fd != -1) {
			return -EINVAL;
		}
		spin_lock_irq(&v->ring_lock);
		old = *slot;
		*slot = new;
		spin_unlock_irq(&v->ring_lock);
		if (old)
			eventfd_ctx_put(old);
		return 0;
	}

	if (!hdr.count) {
		/* DATA_NONE with no count: tear the trigger down. */
		if (!(hdr.flags & VFIO_IRQ_SET_DATA_NONE))
			return -EINVAL;
		spin_lock_irq(&v->ring_lock);
		old = *slot;
		*slot = NULL;
		spin_unlock_irq(&v->ring_lock);
		if (old)
			eventfd_ctx_put(old);
		return 0;
	}
	/* DATA_NONE or a true DATA_BOOL: fire it, for testing. */
	if (hdr.flags & VFIO_IRQ_SET_DATA_BOOL) {
		u8 fire;

		if (get_user(fire, (u8 __user *)(arg + sizeof(hdr))))
			return -EFAULT;
		if (!fire)
			return 0;
	}
	spin_lock_irq(&v->ring_lock);
	if (*slot)
		zsv_eventfd_signal(*slot);
	spin_unlock_irq(&v->ring_lock);
	return 0;
}

/* BAR0's one mmappable area: the ring page. */
static int zsv_vdev_ring_sparse_cap(struct vfio_info_cap *caps)
{
	struct vfio_region_info_cap_sparse_mmap *sparse;
	size_t size = struct_size(sparse, areas, 1);
	int err;

	sparse = kzalloc(size, GFP_KERNEL);
	if (!sparse)
		return -ENOMEM;
	sparse->header.id = VFIO_REGION_INFO_CAP_SPARSE_MMAP;
	sparse->header.version = 1;
	sparse->nr_areas = 1;
	sparse->areas[0].offset = ZSV_RING_OFFSET;
	sparse->areas[0].size = ZSV_VDEV_RING_BYTES;
	err = vfio_info_add_capability(caps, &sparse->header, size);
	kfree(sparse);
	return err;
}

static long zsv_vdev_region_info(struct zsv_vdev *v, void __user *uarg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_info_cap caps = {};
	struct vfio_region_info info;
	int err = 0;

	if (copy_from_user(&info, uarg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	info.offset = ZSV_VDEV_REGION(info.index);
	info.cap_offset = 0;
	info.flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
	switch (info.index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		info.size = ZSV_VDEV_CFG_SIZE;
		break;
	case VFIO_PCI_BAR0_REGION_INDEX:
		info.size = ZSV_BAR0_SIZE;
		if (!ZSV_VDEV_RING_MAPPABLE)
			break;
		info.flags |= VFIO_REGION_INFO_FLAG_MMAP;
		err = zsv_vdev_ring_sparse_cap(&caps);
		if (err)
			return err;
		break;
	case VFIO_PCI_BAR2_REGION_INDEX:
		info.size = v->bar2_size;
		info.flags |= VFIO_REGION_INFO_FLAG_MMAP;
		break;
	default:
		info.size = 0;
		info.flags = 0;
	}

	/* Capabilities follow the info, when the caller left room for them. */
	if (caps.size) {
		info.flags |= VFIO_REGION_INFO_FLAG_CAPS;
		if (info.argsz < sizeof(info) + caps.size) {
			info.argsz = sizeof(info) + caps.size;
		} else {
			vfio_info_cap_shift(&caps, sizeof(info));
			if (copy_to_user(uarg + sizeof(info), caps.buf,
					 caps.size))
				err = -EFAULT;
			info.cap_offset = sizeof(info);
		}
		kfree(caps.buf);
	}
	if (!err && copy_to_user(uarg, &info, minsz))
		err = -EFAULT;
	return err;
}

static long zsv_vdev_ioctl(struct vfio_device *vdev, unsigned int cmd,
			   unsigned long arg)
{
	struct zsv_vdev *v = to_zsv_vdev(vdev);
	void __user *uarg = (void __user *)arg;
	unsigned long minsz;
	int err;

	if (READ_ONCE(v->slice->dead))
		return -ENODEV;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO: {
		struct vfio_device_info info;

		minsz = offsetofend(struct vfio_device_info, num_irqs);
		if (copy_from_user(&info, uarg, minsz))
			return -EFAULT;
		if (info.argsz < minsz)
			return -EINVAL;
		info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
		info.num_regions = VFIO_PCI_NUM_REGIONS;
		info.num_irqs = VFIO_PCI_NUM_IRQS;
		return copy_to_user(uarg, &info, minsz) ? -EFAULT : 0;
	}
	case VFIO_DEVICE_GET_REGION_INFO:
		return zsv_vdev_region_info(v, uarg);
	case VFIO_DEVICE_GET_IRQ_INFO: {
		struct vfio_irq_info info;

		minsz = offsetofend(struct vfio_irq_info, count);
		if (copy_from_user(&info, uarg, minsz))
			return -EFAULT;
		if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
			return -EINVAL;
		info.count = zsv_vdev_irq_count(info.index);
		info.flags = info.count ? VFIO_IRQ_INFO_EVENTFD : 0;
		if (info.index == VFIO_PCI_INTX_IRQ_INDEX)
			info.flags |= VFIO_IRQ_INFO_MASKABLE;
		else if (info.index == VFIO_PCI_MSI_IRQ_INDEX)
			info.flags |= VFIO_IRQ_INFO_NORESIZE;
		return copy_to_user(uarg, &info, minsz) ? -EFAULT : 0;
	}
	case VFIO_DEVICE_SET_IRQS:
		return zsv_vdev_set_irqs(v, arg);
	case VFIO_DEVICE_RESET:
		mutex_lock(&v->lock);
		err = zsv_vdev_reset(v);
		mutex_unlock(&v->lock);
		return err;
	}
	return -ENOTTY;
}

/* The VFIO user is asked to let go (unregistration waits for it). */
static void zsv_vdev_request(struct vfio_device *vdev, unsigned int count)
{
	struct zsv_vdev *v = to_zsv_vdev(vdev);

	spin_lock_irq(&v->ring_lock);
	if (v->req)
		zsv_eventfd_signal(v->req);
	else if (!count)
		dev_notice(vdev->dev, "no request IRQ: waiting for the VFIO user to close the device\n");
	spin_unlock_irq(&v->ring_lock);
}

/*
 * The device pins no guest pages: each DMA entry goes through
 * vfio_dma_rw(), which looks the IOVA up under type1's own lock, so an
 * unmapped range is never touched afterwards and there is nothing to
 * drop here. (Taking @lock here would invert type1's lock against DMA.)
 */
static void zsv_vdev_dma_unmap(struct vfio_device *vdev, u64 iova, u64 length)
{
}

/* --- life cycle ------------------------------------------------------------ */

static int zsv_vdev_init(struct vfio_device *vdev)
{
	struct zsv_vdev *v = to_zsv_vdev(vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);
	struct zsv_mdev_type *type = container_of(mdev->type,
						  struct zsv_mdev_type, type);
	struct zsv_mdev_parent *p = container_of(mdev->type->parent,
						 struct zsv_mdev_parent,
						 parent);
	struct zsv_slice_config cfg = {
		.set = BIT_ULL(ZSV_A_SLICE_NAME) | BIT_ULL(ZSV_A_SLICE_MEM_BYTES),
		.mem_bytes = type->mem_bytes,
		.mem_mode = ZSV_MEM_MODE_RESERVED,
		.mediated = true,
		.client = v,
	};
	struct netlink_ext_ack extack = {};
	struct zsv_slice *slice;

	mutex_init(&v->lock);
	init_rwsem(&v->map_sem);
	spin_lock_init(&v->ring_lock);
	INIT_WORK(&v->ring_work, zsv_vdev_ring_work);
	v->bar2_size = max_t(u64, roundup_pow_of_two(type->mem_bytes),
			     ZSV_BAR2_SIZE_MIN);
	v->bounce = (void *)__get_free_page(GFP_KERNEL);
	if (!v->bounce)
		return -ENOMEM;
	v->ring_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!v->ring_page) {
		free_page((unsigned long)v->bounce);
		return -ENOMEM;
	}
	v->ring = page_address(v->ring_page);
	snprintf(cfg.name, sizeof(cfg.name), "%pUl", &mdev->uuid);

	mutex_lock(&zsv_lock);
	slice = zsv_slice_new_locked(p->pdev, &cfg, &extack);
	if (!IS_ERR(slice))
		kref_get(&slice->ref);
	mutex_unlock(&zsv_lock);
	if (IS_ERR(slice)) {
		dev_info(vdev->dev, "no slice for the mdev: %s\n",
			 extack._msg ?: "error");
		__free_page(v->ring_page);
		free_page((unsigned long)v->bounce);
		return PTR_ERR(slice);
	}
	v->slice = slice;
	return 0;
}

static void zsv_vdev_release(struct vfio_device *vdev)
{
	struct zsv_vdev *v = to_zsv_vdev(vdev);

	mutex_lock(&zsv_lock);
	if (!v->slice->dead)
		zsv_slice_del_locked(v->slice, true, NULL);
	mutex_unlock(&zsv_lock);
	zsv_slice_put(v->slice);
	/* No mapping is left: each held the device file (@ring_page). */
	__free_page(v->ring_page);
	free_page((unsigned long)v->bounce);
	mutex_destroy(&v->lock);
#ifdef ZSV_COMPAT_VFIO_RELEASE_FREES
	vfio_free_device(vdev);
#endif
}

static const struct vfio_device_ops zsv_vdev_ops = {
	.name = "zsv-vfio",
	.init = zsv_vdev_init,
	.release = zsv_vdev_release,
	.open_device = zsv_vdev_open_device,
	.close_device = zsv_vdev_close_device,
	.read = zsv_vdev_read,
	.write = zsv_vdev_write,
	.ioctl = zsv_vdev_ioctl,
	.mmap = zsv_vdev_mmap,
	.request = zsv_vdev_request,
	.dma_unmap = zsv_vdev_dma_unmap,
#ifdef ZSV_COMPAT_HAVE_VFIO_IOMMUFD
	.bind_iommufd = vfio_iommufd_emulated_bind,
	.unbind_iommufd = vfio_iommufd_emulated_unbind,
	.attach_ioas = vfio_iommufd_emulated_attach_ioas,
#endif
#ifdef ZSV_COMPAT_HAVE_VFIO_DETACH_IOAS
	.detach_ioas = vfio_iommufd_emulated_detach_ioas,
#endif
};

int zsv_vdev_probe(struct mdev_device *mdev)
{
	struct zsv_vdev *v;
	int err;

	v = vfio_alloc_device(zsv_vdev, vdev, &mdev->dev, &zsv_vdev_ops);
	if (IS_ERR(v))
		return PTR_ERR(v);
	dev_set_drvdata(&mdev->dev, v);
	err = vfio_register_emulated_iommu_dev(&v->vdev);
	if (err) {
		vfio_put_device(&v->vdev);
		return err;
	}
	return 0;
}

void zsv_vdev_remove(struct mdev_device *mdev)
{
	struct zsv_vdev *v = dev_get_drvdata(&mdev->dev);

	vfio_unregister_group_dev(&v->vdev);
	vfio_put_device(&v->vdev);
}

/* --- per-instance attributes ------------------------------------------------ */

/* Which slice setting a per-instance attribute is. */
static u32 zsv_vdev_attr_id(const struct device_attribute *attr)
{
	if (!strcmp(attr->attr.name, "weight"))
		return ZSV_A_SLICE_WEIGHT;
	if (!strcmp(attr->attr.name, "cap"))
		return ZSV_A_SLICE_CAP_PCT;
	return ZSV_A_SLICE_TIMESLICE_NS;
}

static ssize_t zsv_vdev_attr_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct zsv_vdev *v = dev_get_drvdata(dev);
	struct zsv_slice *s = v->slice;
	u32 id = zsv_vdev_attr_id(attr);
	ssize_t ret;

	mutex_lock(&zsv_lock);
	if (s->dead)
		ret = -ENODEV;
	else if (id == ZSV_A_SLICE_WEIGHT)
		ret = sysfs_emit(buf, "%u\n", s->weight);
	else if (id == ZSV_A_SLICE_CAP_PCT)
		ret = sysfs_emit(buf, "%u\n", s->cap_pct);
	else
		ret = sysfs_emit(buf, "%llu\n", s->timeslice_ns);
	mutex_unlock(&zsv_lock);
	return ret;
}

/* Apply @cfg live, as slice-set does; a refusal is logged with its why. */
static int zsv_vdev_slice_set(struct device *dev, struct zsv_vdev *v,
			      const struct zsv_slice_config *cfg)
{
	struct netlink_ext_ack extack = {};
	int err;

	mutex_lock(&zsv_lock);
	err = v->slice->dead ? -ENODEV :
			       zsv_slice_set_locked(v->slice, cfg, &extack);
	mutex_unlock(&zsv_lock);
	if (err && extack._msg)
		dev_info(dev, "%s\n", extack._msg);
	return err;
}

/* A write applies live, as slice-set. */
static ssize_t zsv_vdev_attr_store(struct device *dev,
				   struct device_attribute *attr,
				   const char *buf, size_t count)
{
	struct zsv_vdev *v = dev_get_drvdata(dev);
	u32 id = zsv_vdev_attr_id(attr);
	struct zsv_slice_config cfg = { .set = BIT_ULL(id) };
	int err;

	if (id == ZSV_A_SLICE_TIMESLICE_NS)
		err = kstrtou64(buf, 0, &cfg.timeslice_ns);
	else if (id == ZSV_A_SLICE_WEIGHT)
		err = kstrtou32(buf, 0, &cfg.weight);
	else
		err = kstrtou32(buf, 0, &cfg.cap_pct);
	if (err)
		return err;
	return zsv_vdev_slice_set(dev, v, &cfg) ?: count;
}

/*
 * The slice's tenant: its name, or an empty line for none. A write of a
 * name moves the slice into that tenant, admitted like a new slice of
 * its size and cap (EDQUOT past a limit); an empty write takes it out.
 * mdevctl writes its attributes when it starts the mdev, so
 * "--addattr tenant --value NAME" bills the VM's slice to NAME, and a
 * refusal fails the start.
 */
static ssize_t tenant_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct zsv_vdev *v = dev_get_drvdata(dev);
	struct zsv_slice *s = v->slice;
	ssize_t ret;

	mutex_lock(&zsv_lock);
	if (s->dead)
		ret = -ENODEV;
	else
		ret = sysfs_emit(buf, "%s\n", s->tenant ? s->tenant->name : "");
	mutex_unlock(&zsv_lock);
	return ret;
}

static ssize_t tenant_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	struct zsv_slice_config cfg = { .set = BIT_ULL(ZSV_A_SLICE_TENANT) };
	struct zsv_vdev *v = dev_get_drvdata(dev);
	size_t len = count;

	if (len && buf[len - 1] == '\n')
		len--;
	if (len >= sizeof(cfg.tenant) || memchr(buf, '\0', len))
		return -EINVAL;
	memcpy(cfg.tenant, buf, len);
	return zsv_vdev_slice_set(dev, v, &cfg) ?: count;
}
static DEVICE_ATTR_RW(tenant);

/* One pair of handlers serves the three settings. */
static struct device_attribute dev_attr_weight =
	__ATTR(weight, 0644, zsv_vdev_attr_show, zsv_vdev_attr_store);
static struct device_attribute dev_attr_cap =
	__ATTR(cap, 0644, zsv_vdev_attr_show, zsv_vdev_attr_store);
static struct device_attribute dev_attr_timeslice =
	__ATTR(timeslice, 0644, zsv_vdev_attr_show, zsv_vdev_attr_store);

static struct attribute *zsv_vdev_attrs[] = {
	&dev_attr_weight.attr,
	&dev_attr_cap.attr,
	&dev_attr_timeslice.attr,
	&dev_attr_tenant.attr,
	NULL,
};

static const struct attribute_group zsv_vdev_group = {
	.attrs = zsv_vdev_attrs,
};

const struct attribute_group *zsv_vdev_groups[] = {
	&zsv_vdev_group,
	NULL,
};
