// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory partitions: admission of slices against their pdev's memory, and
 * the buffer objects (BOs) that use a slice's partition.
 *
 * A pdev's memory is split in two. Reserved slices carve their bytes out
 * of it at creation, and their sizes never sum past the pdev's memory.
 * What is left is the shared pool; the quotas of shared slices may sum to
 * the pool times the pdev's oversubscription ratio (oversub_pct / 100),
 * and never more. Both sums live in the pdev and change only under
 * zsv_lock, through zsv_mem_admit_locked() and zsv_mem_account_locked().
 *
 * BOs are charged at creation for their page-rounded size: to their
 * slice, which may not go past its partition (EDQUOT), and, for a shared
 * slice, to the pdev's shared pool, which the BOs of all shared slices
 * may not overflow (ENOMEM) whatever their quotas say. The charge and the
 * pool are kept under zsv_lock, so no interleaving of creations
 * overshoots by a byte, and reserving memory never shrinks the pool
 * below what shared BOs use.
 *
 * A BO is backed lazily: a page is allocated, zeroed, when it is first
 * touched (a fault on a mapping, or zsv_bo_page()), so a large partition
 * costs nothing until used and no slice ever sees another's bytes. The
 * pages go, and the charge with them, when the BO is destroyed: by
 * BO_DESTROY, by closing its context, or by a forced deletion of its
 * slice. In each case the BO is first revoked (taken out of its context
 * and marked under the context's bo_sem, so no fault maps it again), then
 * every mapping of it is zapped, and only then are its pages freed.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/netlink.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "compat.h"
#include "zsv.h"

/**
 * zsv_fmt_bytes() - format a byte count as the shortest exact unit
 * @buf: output
 * @len: size of @buf
 * @bytes: the count
 *
 * "16G", "1536M", "4097B": exact, so a message never rounds a limit.
 * Return: the number of characters written.
 */
int zsv_fmt_bytes(char *buf, size_t len, u64 bytes)
{
	static const char units[] = "BKMGTPE";
	unsigned int unit = 0;

	while (bytes && !(bytes & 1023) && unit < sizeof(units) - 2) {
		bytes >>= 10;
		unit++;
	}
	return scnprintf(buf, len, "%llu%c", bytes, units[unit]);
}
EXPORT_SYMBOL_GPL(zsv_fmt_bytes);

/**
 * zsv_mem_pct() - @pct percent of @bytes, saturating at U64_MAX
 * @bytes: a byte count
 * @pct: a percentage, up to ZSV_OVERSUB_PCT_MAX
 *
 * mul_u64_u32_div() traps when the quotient overflows (a pdev of 8E at
 * 200%), so split @bytes to keep every step in range.
 */
u64 zsv_mem_pct(u64 bytes, u32 pct)
{
	u64 whole, part;

	if (check_mul_overflow(bytes / 100, (u64)pct, &whole) ||
	    check_add_overflow(whole, (bytes % 100) * pct / 100, &part))
		return U64_MAX;
	return part;
}

static u64 zsv_mem_shared_limit(u64 pool_bytes, u32 oversub_pct)
{
	return zsv_mem_pct(pool_bytes, oversub_pct);
}

/**
 * zsv_mem_admit_locked() - may a slice's partition go from one size to another
 * @pdev: the pdev it is carved from
 * @mode: the slice's memory mode
 * @old_bytes: its current size (0 for a new slice)
 * @new_bytes: the size asked for
 * @extack: where a refusal says what was asked, what is left and the limit
 *
 * Return: 0, or -ENOSPC when the partition would not fit.
 */
int zsv_mem_admit_locked(struct zsv_pdev *pdev, enum zsv_mem_mode mode,
			 u64 old_bytes, u64 new_bytes,
			 struct netlink_ext_ack *extack)
{
	u64 total = pdev->mem_total_bytes;
	char asked[24], left[24], limit[24];
	u64 others, avail, cap;

	lockdep_assert_held(&zsv_lock);
	zsv_fmt_bytes(asked, sizeof(asked), new_bytes);

	if (mode == ZSV_MEM_MODE_RESERVED) {
		others = pdev->mem_reserved_bytes - old_bytes;
		avail = total - others;
		if (new_bytes > avail) {
			zsv_fmt_bytes(left, sizeof(left), avail);
			zsv_fmt_bytes(limit, sizeof(limit), total);
			NL_SET_ERR_MSG_FMT(extack,
					   "asked %s reserved, %s left (reserved slices share %s)",
					   asked, left, limit);
			return -ENOSPC;
		}
		/* Reserving must leave the shared pool what shared BOs use. */
		if (avail - new_bytes < pdev->mem_shared_used_bytes) {
			zsv_fmt_bytes(left, sizeof(left), avail - new_bytes);
			zsv_fmt_bytes(limit, sizeof(limit),
				      pdev->mem_shared_used_bytes);
			NL_SET_ERR_MSG_FMT(extack,
					   "asked %s reserved; shared pool would hold %s < %s in use",
					   asked, left, limit);
			return -ENOSPC;
		}
		/* Reserving shrinks the shared pool under the shared quotas. */
		cap = zsv_mem_shared_limit(avail - new_bytes, pdev->oversub_pct);
		if (pdev->mem_shared_bytes > cap) {
			zsv_fmt_bytes(left, sizeof(left), cap);
			zsv_fmt_bytes(limit, sizeof(limit),
				      pdev->mem_shared_bytes);
			NL_SET_ERR_MSG_FMT(extack,
					   "asked %s reserved; shared pool would hold %s < %s of quotas",
					   asked, left, limit);
			return -ENOSPC;
		}
		return 0;
	}

	others = pdev->mem_shared_bytes - old_bytes;
	cap = zsv_mem_shared_limit(total - pdev->mem_reserved_bytes,
				   pdev->oversub_pct);
	avail = cap > others ? cap - others : 0;
	if (new_bytes > avail) {
		zsv_fmt_bytes(left, sizeof(left), avail);
		zsv_fmt_bytes(limit, sizeof(limit), cap);
		NL_SET_ERR_MSG_FMT(extack,
				   "asked %s shared, %s left (shared quotas limit %s at %u%%)",
				   asked, left, limit, pdev->oversub_pct);
		return -ENOSPC;
	}
	return 0;
}

/**
 * zsv_mem_headroom_locked() - the largest new slice a pdev would admit
 * @pdev: the pdev
 * @mode: the new slice's memory mode
 *
 * Each condition of zsv_mem_admit_locked() for a new slice only gets
 * harder as the size grows, so a new slice of @mode and n bytes is
 * admitted exactly when n is at most this. For a reserved slice the pool
 * left behind must still cover the shared BOs and, times the
 * oversubscription ratio, the shared quotas; the smallest such pool is
 * found by bisection, at most 64 steps (none on a pdev without shared
 * quotas).
 *
 * Return: the headroom in bytes (0 when nothing fits).
 */
u64 zsv_mem_headroom_locked(struct zsv_pdev *pdev, enum zsv_mem_mode mode)
{
	u64 avail, cap, lo, hi, mid;

	lockdep_assert_held(&zsv_lock);

	if (mode != ZSV_MEM_MODE_RESERVED) {
		cap = zsv_mem_shared_limit(pdev->mem_total_bytes -
					   pdev->mem_reserved_bytes,
					   pdev->oversub_pct);
		return cap > pdev->mem_shared_bytes ?
		       cap - pdev->mem_shared_bytes : 0;
	}

	avail = pdev->mem_total_bytes - pdev->mem_reserved_bytes;
	if (avail < pdev->mem_shared_used_bytes ||
	    zsv_mem_shared_limit(avail, pdev->oversub_pct) <
	    pdev->mem_shared_bytes)
		return 0;
	/*
	 * The smallest pool, in [shared BOs in use, avail], that holds the
	 * quotas: without quotas, the BOs' bytes, at once. Placement asks
	 * this of every pdev, and most have no shared slices.
	 */
	lo = pdev->mem_shared_used_bytes;
	if (!pdev->mem_shared_bytes)
		return avail - lo;
	hi = avail;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (zsv_mem_shared_limit(mid, pdev->oversub_pct) >=
		    pdev->mem_shared_bytes)
			hi = mid;
		else
			lo = mid + 1;
	}
	return avail - lo;
}

/* Record an admitted change; a deletion is a change to 0 bytes. */
void zsv_mem_account_locked(struct zsv_pdev *pdev, enum zsv_mem_mode mode,
			    u64 old_bytes, u64 new_bytes)
{
	u64 *sum = mode == ZSV_MEM_MODE_RESERVED ? &pdev->mem_reserved_bytes :
						   &pdev->mem_shared_bytes;

	lockdep_assert_held(&zsv_lock);
	*sum = *sum - old_bytes + new_bytes;
}

/**
 * zsv_mem_charge_locked() - take a BO's bytes from a slice's partition
 * @slice: the slice
 * @bytes: page-rounded size of the BO
 *
 * Return: 0; -EDQUOT when the slice's partition has less left (counted in
 * quota_hits); -ENOMEM when the slice is shared and the pdev's shared pool
 * has less left, although the slice is within its quota.
 */
int zsv_mem_charge_locked(struct zsv_slice *slice, u64 bytes)
{
	struct zsv_pdev *pdev = slice->pdev;
	u64 pool;

	lockdep_assert_held(&zsv_lock);
	if (slice->mem_used_bytes > slice->mem_bytes ||
	    bytes > slice->mem_bytes - slice->mem_used_bytes) {
		slice->quota_hits++;
		return -EDQUOT;
	}
	if (slice->mem_mode == ZSV_MEM_MODE_SHARED) {
		pool = pdev->mem_total_bytes - pdev->mem_reserved_bytes;
		if (pdev->mem_shared_used_bytes > pool ||
		    bytes > pool - pdev->mem_shared_used_bytes)
			return -ENOMEM;
		pdev->mem_shared_used_bytes += bytes;
	}
	pdev->mem_used_bytes += bytes;
	slice->mem_used_bytes += bytes;
	slice->mem_peak_bytes = max(slice->mem_peak_bytes,
				    slice->mem_used_bytes);
	zsv_slice_status_update_locked(slice);
	return 0;
}

/* Give back what zsv_mem_charge_locked() took, once the pages are gone. */
void zsv_mem_uncharge_locked(struct zsv_slice *slice, u64 bytes)
{
	struct zsv_pdev *pdev = slice->pdev;

	lockdep_assert_held(&zsv_lock);
	if (slice->mem_mode == ZSV_MEM_MODE_SHARED)
		pdev->mem_shared_used_bytes -= bytes;
	pdev->mem_used_bytes -= bytes;
	slice->mem_used_bytes -= bytes;
	zsv_slice_status_update_locked(slice);
}

static void zsv_bo_release(struct kref *ref)
{
	struct zsv_bo *bo = container_of(ref, struct zsv_bo, ref);

	zsv_slice_put(bo->slice);
	kfree(bo);
}

void zsv_bo_put(struct zsv_bo *bo)
{
	kref_put(&bo->ref, zsv_bo_release);
}
EXPORT_SYMBOL_GPL(zsv_bo_put);

static void zsv_bo_free_pages(struct zsv_bo *bo)
{
	struct page *page;
	unsigned long index;

	xa_for_each(&bo->pages, index, page) {
		__free_page(page);
		cond_resched();
	}
	xa_destroy(&bo->pages);
}

/**
 * zsv_bo_unpin() - drop a pin; the last one frees the backing
 * @bo: the BO
 *
 * Sleeps (takes zsv_lock). The BO's mappings must already be zapped.
 */
void zsv_bo_unpin(struct zsv_bo *bo)
{
	if (!refcount_dec_and_test(&bo->pins))
		return;
	zsv_bo_free_pages(bo);
	mutex_lock(&zsv_lock);
	zsv_mem_uncharge_locked(bo->slice, bo->size_bytes);
	mutex_unlock(&zsv_lock);
	zsv_bo_put(bo);
}
EXPORT_SYMBOL_GPL(zsv_bo_unpin);

/* zsv_bo_unpin() for each BO on @revoked, with zsv_lock held. */
void zsv_bos_unpin_locked(struct list_head *revoked)
{
	struct zsv_bo *bo, *next;

	lockdep_assert_held(&zsv_lock);
	list_for_each_entry_safe(bo, next, revoked, revoke_link) {
		list_del(&bo->revoke_link);
		if (!refcount_dec_and_test(&bo->pins))
			continue;
		zsv_bo_free_pages(bo);
		zsv_mem_uncharge_locked(bo->slice, bo->size_bytes);
		zsv_bo_put(bo);
	}
}

/**
 * zsv_bo_peek_page() - a BO's page if it is backed
 * @bo: the BO, pinned
 * @index: page index inside it
 *
 * For readers, to which an unbacked page reads as zeroes.
 * Return: the page, or NULL when it has never been touched.
 */
struct page *zsv_bo_peek_page(struct zsv_bo *bo, pgoff_t index)
{
	return xa_load(&bo->pages, index);
}
EXPORT_SYMBOL_GPL(zsv_bo_peek_page);

/**
 * zsv_bo_page() - the page backing one page of a BO, allocated on demand
 * @bo: the BO; the caller keeps its backing alive, with a pin or with the
 *	owning context's bo_sem held and @bo not revoked
 * @index: page index in the BO, below size_bytes >> PAGE_SHIFT
 *
 * A page is allocated zeroed at its first touch; racing first touches
 * agree on one page. Usable from any context that may sleep.
 * Return: the page (it stays until the last pin goes), or NULL when no
 * memory could be had.
 */
struct page *zsv_bo_page(struct zsv_bo *bo, pgoff_t index)
{
	struct page *page, *old;

	if (WARN_ON_ONCE(index >= bo->size_bytes >> PAGE_SHIFT))
		return NULL;
	page = xa_load(&bo->pages, index);
	if (page)
		return page;
	page = alloc_page(GFP_HIGHUSER | __GFP_ZERO);
	if (!page)
		return NULL;
	old = xa_cmpxchg(&bo->pages, index, NULL, page, GFP_KERNEL);
	if (!old)
		return page;
	__free_page(page);
	return xa_is_err(old) ? NULL : old;
}
EXPORT_SYMBOL_GPL(zsv_bo_page);

/**
 * zsv_bo_create() - make a BO in a context, charged to its slice
 * @ctx: the context
 * @size_bytes: 1 to ZSV_BO_SIZE_MAX
 *
 * The BO is published (its handle usable by other threads of the context)
 * before this returns.
 * Return: the BO, with a reference for the caller, or an ERR_PTR():
 * -EDQUOT, -ENOMEM (see zsv_mem_charge_locked()), -ENOSPC when the context
 * has no handle left, -ENODEV when the slice was destroyed.
 */
struct zsv_bo *zsv_bo_create(struct zsv_ctx *ctx, u64 size_bytes)
{
	struct zsv_slice *slice = ctx->slice;
	struct zsv_bo *bo;
	int err;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL_ACCOUNT);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	kref_init(&bo->ref);		/* the pins' */
	kref_get(&bo->ref);		/* the caller's */
	refcount_set(&bo->pins, 1);	/* the handle's */
	kref_get(&slice->ref);
	bo->slice = slice;
	bo->size_bytes = PAGE_ALIGN(size_bytes);
	xa_init(&bo->pages);
	INIT_LIST_HEAD(&bo->revoke_link);

	mutex_lock(&zsv_lock);
	err = slice->dead ? -ENODEV :
			    zsv_mem_charge_locked(slice, bo->size_bytes);
	if (!err) {
		err = xa_alloc(&ctx->bos, &bo->handle, bo,
			       XA_LIMIT(1, ZSV_BO_HANDLE_MAX),
			       GFP_KERNEL_ACCOUNT);
		if (err)
			zsv_mem_uncharge_locked(slice, bo->size_bytes);
	}
	mutex_unlock(&zsv_lock);
	if (err) {
		zsv_slice_put(slice);
		kfree(bo);
		return ERR_PTR(err == -EBUSY ? -ENOSPC : err);
	}
	return bo;
}
EXPORT_SYMBOL_GPL(zsv_bo_create);

/*
 * Take a BO out of its context and mark it revoked, so that no fault maps
 * its pages again. Return: the BO, whose handle pin is now the caller's,
 * or NULL when @handle does not name @expect (or any BO, for NULL).
 */
static struct zsv_bo *zsv_bo_revoke(struct zsv_ctx *ctx, u32 handle,
				    struct zsv_bo *expect)
{
	struct zsv_bo *bo;

	down_write(&ctx->bo_sem);
	xa_lock(&ctx->bos);
	bo = xa_load(&ctx->bos, handle);
	if (bo && (!expect || bo == expect))
		__xa_erase(&ctx->bos, handle);
	else
		bo = NULL;
	xa_unlock(&ctx->bos);
	if (bo)
		bo->revoked = true;
	up_write(&ctx->bo_sem);
	return bo;
}

/**
 * zsv_bo_destroy() - revoke a BO and free it
 * @ctx: the context that holds it
 * @handle: its handle
 * @expect: the BO the handle must name, or NULL for any
 *
 * The handle is gone when this returns; so are the BO's mappings, and its
 * pages and charge unless something else still pins it. Contexts of a
 * slice share one address space and number their handles alike, so the
 * zap may also take another context's pages out of its page tables; they
 * come back at its next touch.
 * Return: 0, or -ENOENT when @ctx holds no such BO.
 */
int zsv_bo_destroy(struct zsv_ctx *ctx, u32 handle, struct zsv_bo *expect)
{
	struct zsv_bo *bo = zsv_bo_revoke(ctx, handle, expect);

	if (!bo)
		return -ENOENT;
	/* No fault maps it from here on; take away what earlier ones did. */
	unmap_mapping_range(ctx->slice->inode->i_mapping,
			    zsv_bo_offset(handle), bo->size_bytes, 1);
	zsv_bo_unpin(bo);
	return 0;
}
EXPORT_SYMBOL_GPL(zsv_bo_destroy);

/**
 * zsv_bo_lookup() - the BO a context's handle names
 * @ctx: the context
 * @handle: the handle
 *
 * Return: the BO with a reference (zsv_bo_put()), or NULL.
 */
struct zsv_bo *zsv_bo_lookup(struct zsv_ctx *ctx, u32 handle)
{
	struct zsv_bo *bo;

	xa_lock(&ctx->bos);
	bo = xa_load(&ctx->bos, handle);
	if (bo)
		kref_get(&bo->ref);
	xa_unlock(&ctx->bos);
	return bo;
}
EXPORT_SYMBOL_GPL(zsv_bo_lookup);

/**
 * zsv_bo_pin_handle() - pin the BO a context's handle names
 * @ctx: the context
 * @handle: the handle
 *
 * For users of the pages outside the fault path (jobs): the pages and the
 * charge stay until zsv_bo_unpin(), even if the handle is destroyed or
 * the slice deleted meanwhile (the mappings go at once all the same).
 * Return: the BO, pinned, or NULL.
 */
struct zsv_bo *zsv_bo_pin_handle(struct zsv_ctx *ctx, u32 handle)
{
	struct zsv_bo *bo;

	/* While it is in @ctx->bos, the handle's pin is held. */
	xa_lock(&ctx->bos);
	bo = xa_load(&ctx->bos, handle);
	if (bo)
		refcount_inc(&bo->pins);
	xa_unlock(&ctx->bos);
	return bo;
}
EXPORT_SYMBOL_GPL(zsv_bo_pin_handle);

/*
 * Closing a context destroys its BOs. Its file has no mapping left (each
 * holds a reference to it), so there is nothing to zap.
 */
void zsv_ctx_destroy_bos(struct zsv_ctx *ctx)
{
	struct zsv_bo *bo;
	unsigned long handle;

	xa_for_each(&ctx->bos, handle, bo) {
		bo = zsv_bo_revoke(ctx, handle, bo);
		if (bo)
			zsv_bo_unpin(bo);
	}
}

/**
 * zsv_slice_revoke_bos_locked() - take every BO of a dead slice
 * @slice: the slice, already marked dead
 * @revoked: where the BOs go, for zsv_bos_unpin_locked() once the slice's
 *	mappings are zapped
 *
 * Runs under zsv_lock, so no context can charge a BO after it.
 */
void zsv_slice_revoke_bos_locked(struct zsv_slice *slice,
				 struct list_head *revoked)
{
	struct zsv_ctx *ctx;
	struct zsv_bo *bo;
	unsigned long handle;

	lockdep_assert_held(&zsv_lock);
	list_for_each_entry(ctx, &slice->contexts, slice_link) {
		down_write(&ctx->bo_sem);
		xa_for_each(&ctx->bos, handle, bo) {
			xa_erase(&ctx->bos, handle);
			bo->revoked = true;
			list_add_tail(&bo->revoke_link, revoked);
		}
		up_write(&ctx->bo_sem);
	}
}

/* A dead slice's BO mappings show this page, set once, freed with it. */
static struct page *zsv_slice_dummy_page(struct zsv_slice *slice)
{
	struct page *page = READ_ONCE(slice->dummy_page), *old;

	if (page)
		return page;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return NULL;
	old = cmpxchg(&slice->dummy_page, NULL, page);
	if (!old)
		return page;
	__free_page(page);
	return old;
}

/*
 * BO pages are mapped by PFN at fault time, under the context's bo_sem,
 * so a fault either maps a page before revocation (and the zap that
 * follows it takes the page away) or sees the BO revoked: SIGBUS when the
 * tenant destroyed it, the slice's dummy page when the slice was
 * destroyed under the tenant (it reads zeroes and is not killed).
 */
/**
 * zsv_bo_fault_page() - map one page of a BO at a fault
 * @ctx: the context that holds @bo
 * @bo: the BO, referenced by the mapping
 * @vma: the mapping
 * @address: the faulting address
 * @index: the page of @bo
 *
 * A revoked BO of a destroyed slice shows the slice's dummy page, so that
 * the tenant is not killed; one destroyed by its owner gets SIGBUS.
 */
vm_fault_t zsv_bo_fault_page(struct zsv_ctx *ctx, struct zsv_bo *bo,
			     struct vm_area_struct *vma, unsigned long address,
			     pgoff_t index)
{
	struct page *page;
	vm_fault_t ret;

	down_read(&ctx->bo_sem);
	if (bo->revoked) {
		if (!READ_ONCE(ctx->slice->dead)) {
			ret = VM_FAULT_SIGBUS;
			goto out;
		}
		page = zsv_slice_dummy_page(ctx->slice);
	} else if (index >= bo->size_bytes >> PAGE_SHIFT) {
		ret = VM_FAULT_SIGBUS;
		goto out;
	} else {
		page = zsv_bo_page(bo, index);
	}
	ret = page ? vmf_insert_pfn(vma, address, page_to_pfn(page)) :
		     VM_FAULT_OOM;
out:
	up_read(&ctx->bo_sem);
	return ret;
}
EXPORT_SYMBOL_GPL(zsv_bo_fault_page);

static vm_fault_t zsv_bo_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct zsv_bo *bo = vma->vm_private_data;

	return zsv_bo_fault_page(vma->vm_file->private_data, bo, vma,
				 vmf->address, vmf->pgoff -
				 ((pgoff_t)bo->handle << ZSV_BO_PGOFF_SHIFT));
}

static void zsv_bo_vm_open(struct vm_area_struct *vma)
{
	struct zsv_bo *bo = vma->vm_private_data;

	kref_get(&bo->ref);
}

static void zsv_bo_vm_close(struct vm_area_struct *vma)
{
	zsv_bo_put(vma->vm_private_data);
}

static const struct vm_operations_struct zsv_bo_vm_ops = {
	.open = zsv_bo_vm_open,
	.close = zsv_bo_vm_close,
	.fault = zsv_bo_fault,
};

/**
 * zsv_bo_mmap() - map (part of) a BO
 * @ctx: the context of the file being mapped
 * @vma: the new mapping; its offset names the BO (zsv_bo_offset())
 *
 * The mapping holds a reference to the BO itself, not to its handle: once
 * the BO is destroyed, a later BO with the same handle is not reached
 * through it.
 * Return: 0, -EINVAL for an offset that names no BO of @ctx, a range past
 * the BO's end or a private writable mapping, -EPERM for an executable one.
 */
int zsv_bo_mmap(struct zsv_ctx *ctx, struct vm_area_struct *vma)
{
	unsigned long handle = vma->vm_pgoff >> ZSV_BO_PGOFF_SHIFT;
	pgoff_t first = vma->vm_pgoff & (BIT(ZSV_BO_PGOFF_SHIFT) - 1);
	unsigned long pages = vma_pages(vma);
	struct zsv_bo *bo;
	u64 bo_pages;

	if (vma->vm_flags & VM_EXEC)
		return -EPERM;
	/* PFN mappings cannot be copied on write. */
	if (is_cow_mapping(vma->vm_flags))
		return -EINVAL;
	if (handle > ZSV_BO_HANDLE_MAX)
		return -EINVAL;
	bo = zsv_bo_lookup(ctx, handle);
	if (!bo)
		return -EINVAL;
	bo_pages = bo->size_bytes >> PAGE_SHIFT;
	if (first >= bo_pages || pages > bo_pages - first) {
		zsv_bo_put(bo);
		return -EINVAL;
	}

	vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vm_flags_clear(vma, VM_MAYEXEC);
	vma->vm_ops = &zsv_bo_vm_ops;
	vma->vm_private_data = bo;
	return 0;
}
