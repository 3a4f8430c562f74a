// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Placement policies (slice-new and group-new without a device) by name.
 * The names are the ones of the netlink spec
 * (Documentation/netlink/specs/zsv.yaml), which YNL clients use too.
 */
#include <errno.h>
#include <string.h>

#include "libzsv.h"
#include "internal.h"

static const char *const placement_names[] = {
	[ZSV_PLACEMENT_SPREAD] = "spread",
	[ZSV_PLACEMENT_BINPACK] = "binpack",
};

_Static_assert(ARRAY_SIZE(placement_names) == ZSV_PLACEMENT_MAX + 1,
	       "every enum zsv_placement value needs a name");

const char *zsv_placement_name(uint32_t placement)
{
	if (placement >= ARRAY_SIZE(placement_names))
		return NULL;
	return placement_names[placement];
}

int zsv_placement_parse(const char *str, uint32_t *placement)
{
	unsigned int i;

	if (!str)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(placement_names); i++) {
		if (!strcmp(str, placement_names[i])) {
			*placement = i;
			return 0;
		}
	}
	return -EINVAL;
}
