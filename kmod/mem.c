// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory partitions: admission of slices against their pdev's memory.
 *
 * A pdev's memory is split in two. Reserved slices carve their bytes out
 * of it at creation, and their sizes never sum past the pdev's memory.
 * What is left is the shared pool; the quotas of shared slices may sum to
 * the pool times the pdev's oversubscription ratio (oversub_pct / 100),
 * and never more. Both sums live in the pdev and change only under
 * zsv_lock, through zsv_mem_admit_locked() and zsv_mem_account_locked().
 */
#include <linux/overflow.h>
#include <linux/netlink.h>

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

/* Record an admitted change; a deletion is a change to 0 bytes. */
void zsv_mem_account_locked(struct zsv_pdev *pdev, enum zsv_mem_mode mode,
			    u64 old_bytes, u64 new_bytes)
{
	u64 *sum = mode == ZSV_MEM_MODE_RESERVED ? &pdev->mem_reserved_bytes :
						   &pdev->mem_shared_bytes;

	lockdep_assert_held(&zsv_lock);
	*sum = *sum - old_bytes + new_bytes;
}
