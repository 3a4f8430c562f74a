// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Memory modes of slices by name.  The names are the ones of the netlink
 * spec (Documentation/netlink/specs/zsv.yaml), which YNL clients use too.
 */
#include <errno.h>
#include <string.h>

#include "libzsv.h"
#include "internal.h"

static const char *const mem_mode_names[] = {
	[ZSV_MEM_MODE_RESERVED] = "reserved",
	[ZSV_MEM_MODE_SHARED] = "shared",
};

_Static_assert(ARRAY_SIZE(mem_mode_names) == ZSV_MEM_MODE_MAX + 1,
	       "every enum zsv_mem_mode value needs a name");

const char *zsv_mem_mode_name(uint32_t mode)
{
	if (mode >= ARRAY_SIZE(mem_mode_names))
		return NULL;
	return mem_mode_names[mode];
}

int zsv_mem_mode_parse(const char *str, enum zsv_mem_mode *mode)
{
	unsigned int i;

	if (!str)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(mem_mode_names); i++) {
		if (!strcmp(str, mem_mode_names[i])) {
			*mode = (enum zsv_mem_mode)i;
			return 0;
		}
	}
	return -EINVAL;
}
