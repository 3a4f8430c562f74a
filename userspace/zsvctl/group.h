/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Groups as zsvctl sees them: the kernel keeps no group object, only a
 * group name on each slice made by group-new, so a group is gathered
 * from a slice dump.  Pure functions of the slices (tests/unit tests
 * them); "group show" and the CDI spec's group devices use them.
 */
#ifndef ZSVCTL_GROUP_H
#define ZSVCTL_GROUP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json_object.h>

#include "libzsv.h"

/**
 * struct group_info - one group, gathered from a slice dump
 * @name: the group's name (the slices' @group)
 * @slices: its slices in index order (<name>-0, <name>-1, ...); the
 *	pointers are the dump's, the array is the group's
 * @count: how many
 * @mem_bytes: the memory of all of them together
 * @tenant: the tenant of its slices when they all are in the same one,
 *	else NULL
 * @first_id: the smallest id of its slices: groups list in that order
 */
struct group_info {
	const char *name;
	struct zsv_slice_info **slices;
	size_t count;
	uint64_t mem_bytes;
	const char *tenant;
	uint32_t first_id;
};

/*
 * qsort(3) order of slice pointers: by group name, then by index within
 * a group (<group>-2 before <group>-10).
 */
int group_slice_cmp(const void *a, const void *b);

/*
 * The groups of @slices (only the group @only when not NULL), oldest
 * first, into *groups (*group_count of them; free with groups_free()
 * before the slices).  Slices in no group are in none.  0 or -ENOMEM.
 */
int groups_gather(struct zsv_slice_info *const *slices, size_t count,
		  const char *only, struct group_info **groups,
		  size_t *group_count);
void groups_free(struct group_info *groups, size_t count);

/*
 * One group: {"name", "slices": [names in index order], "devs": [their
 * devices, each once, in that order], "mem_bytes": all together,
 * "tenant": null unless all its slices are in that one}.  NULL when out
 * of memory.
 */
struct json_object *group_to_json(const struct group_info *g);

/* The table of "group show": a row per group.  0 or -ENOMEM. */
int group_print_table(FILE *f, const struct group_info *groups, size_t count);

#endif /* ZSVCTL_GROUP_H */
