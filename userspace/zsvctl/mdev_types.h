/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The mdev types zsv_mdev offers on a pdev, as sysfs lists them:
 *
 *   <root>/class/zsv/<dev>/mdev_supported_types/<type>/
 *	name, description, available_instances
 *
 * <root> is zsvctl_sysfs_root().  Netlink knows nothing of them, so
 * "dev show" reads them here and monitor events never carry them.
 */
#ifndef ZSVCTL_MDEV_TYPES_H
#define ZSVCTL_MDEV_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json_object.h>

/* The error text mdev_types_read() leaves: "PATH: why". */
#define MDEV_TYPES_ERR_MAX 4352

/**
 * struct mdev_type - one type directory
 * @type: the directory's name, the type id mdevctl takes ("zsv-8G")
 * @name: its name file, NULL when it has none
 * @description: its description file, NULL when it has none
 * @available: its available_instances file
 * @has_available: false when it has no available_instances file
 * @size_bytes: the size in @type after its last '-', 0 when none parses
 */
struct mdev_type {
	char *type;
	char *name;
	char *description;
	uint64_t available;
	bool has_available;
	uint64_t size_bytes;
};

struct mdev_types {
	struct mdev_type *types; /* largest size first, then by type id */
	size_t count;
};

/*
 * Read the types of the pdev @dev under the sysfs tree @root into @out
 * (free it with mdev_types_free()).  0; -ENOENT when @dev has no
 * mdev_supported_types directory (zsv_mdev is not loaded), @out then
 * empty; or another negated errno (-EINVAL for an available_instances
 * that is no number) with "PATH: why" in @err.
 */
int mdev_types_read(const char *root, const char *dev, struct mdev_types *out,
		    char *err, size_t err_len);

void mdev_types_free(struct mdev_types *types);

/*
 * [{"type": "zsv-8G", "name": "zsv-8G", "description": "mem=8G, ...",
 * "available_instances": 2}, ...]; a member is null when its file is
 * missing.  NULL when out of memory.
 */
struct json_object *mdev_types_to_json(const struct mdev_types *types);

/*
 * The "mdev types:" lines of "dev show", one per type:
 *   "mdev types:   zsv-16G  1 available  mem=16G, engines=4, ..."
 * "none" when the directory holds no type.
 */
void mdev_types_print(FILE *f, const struct mdev_types *types);

#endif /* ZSVCTL_MDEV_TYPES_H */
