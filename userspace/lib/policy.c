// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Scheduling policies by name.  The names are the ones of the netlink
 * spec (Documentation/netlink/specs/zsv.yaml), which YNL clients use too.
 */
#include <errno.h>
#include <string.h>

#include "libzsv.h"
#include "internal.h"

static const char *const policy_names[] = {
	[ZSV_POLICY_WEIGHTED] = "weighted",
	[ZSV_POLICY_FIXED] = "fixed",
	[ZSV_POLICY_BEST_EFFORT] = "best-effort",
};

_Static_assert(ARRAY_SIZE(policy_names) == ZSV_POLICY_MAX + 1,
	       "every enum zsv_policy value needs a name");

const char *zsv_policy_name(uint32_t policy)
{
	if (policy >= ARRAY_SIZE(policy_names))
		return NULL;
	return policy_names[policy];
}

int zsv_policy_parse(const char *str, enum zsv_policy *policy)
{
	unsigned int i;

	if (!str)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(policy_names); i++) {
		if (!strcmp(str, policy_names[i])) {
			*policy = (enum zsv_policy)i;
			return 0;
		}
	}
	return -EINVAL;
}
