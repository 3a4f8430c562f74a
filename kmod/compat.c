// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fallbacks for kernels that lack an API zsv uses; see compat.h.
 */
#include <linux/atomic.h>
#include <linux/kernel.h>

#include "compat.h"

#ifndef ZSV_COMPAT_HAVE_EXTACK_FMT
static char zsv_extack_ring[ZSV_EXTACK_RING][ZSV_EXTACK_MSG_LEN];
static atomic_t zsv_extack_next = ATOMIC_INIT(0);

const char *zsv_extack_fmt(const char *fmt, ...)
{
	unsigned int slot = atomic_inc_return(&zsv_extack_next) % ZSV_EXTACK_RING;
	char *buf = zsv_extack_ring[slot];
	va_list args;

	va_start(args, fmt);
	vscnprintf(buf, ZSV_EXTACK_MSG_LEN, fmt, args);
	va_end(args);
	return buf;
}
#endif
