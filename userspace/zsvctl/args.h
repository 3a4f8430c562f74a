/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The words of the commands that change things, parsed into libzsv's
 * request structs.  Pure functions of their arguments (owner and group
 * names are looked up in the user database), so tests/unit tests them
 * directly.
 *
 * Each parser returns 0, or -EINVAL with one sentence in @err: a usage
 * error, which the caller prints with the object's usage (exit status
 * 2).  Values are checked against the limits of uapi/linux/zsv.h here,
 * so that a typo never reaches the kernel; what depends on the state of
 * a device (memory left, a name in use) is the kernel's to refuse.
 *
 * Keywords take one value each, in any order, at most once; they are
 * not abbreviated.
 */
#ifndef ZSVCTL_ARGS_H
#define ZSVCTL_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "libzsv.h"

/* Long enough for every message the parsers write. */
#define ARGS_ERR_MAX 512

/* slice create [DEV] name NAME mem SIZE [mode M] [weight N] [cap PCT]
 *	[timeslice DUR|default] [owner U] [group G] [perm OCTAL]
 *	[placement spread|binpack] [backend B] [tenant T|none]: without DEV (dev NULL) the
 *	kernel places the slice; placement and backend need no DEV */
struct slice_create_args {
	const char *dev;
	const char *name;
	struct zsv_slice_params params;
	uint32_t placement;
	const char *backend;
	bool placement_set;
};

int args_slice_create(int argc, char **argv, struct slice_create_args *a,
		      char *err, size_t len);

/* slice set NAME [mem SIZE] [weight N] [cap PCT] [timeslice DUR|default]
 *	[owner U] [group G] [perm OCTAL] [tenant T|none]: at least one of
 *	them; "tenant none" takes the slice out of its tenant */
struct slice_set_args {
	const char *name;
	struct zsv_slice_params params;
};

int args_slice_set(int argc, char **argv, struct slice_set_args *a, char *err,
		   size_t len);

/* slice destroy NAME [force] */
struct slice_destroy_args {
	const char *name;
	bool force;
};

int args_slice_destroy(int argc, char **argv, struct slice_destroy_args *a,
		       char *err, size_t len);

/* group create NAME count N mem SIZE [any] [placement spread|binpack]
 *	[backend B] [mode M] [weight N] [cap PCT] [timeslice DUR|default]
 *	[owner U] [group G] [perm OCTAL] [tenant T|none]: N slices
 *	NAME-0 .. NAME-(N-1) of that shape, each on a device of its own
 *	(distinct) unless "any" */
struct group_create_args {
	const char *name;
	uint32_t count;
	bool distinct;
	struct zsv_slice_params params;
	uint32_t placement;
	const char *backend;
	bool placement_set;
};

int args_group_create(int argc, char **argv, struct group_create_args *a,
		      char *err, size_t len);

/* group destroy NAME [force] */
struct group_destroy_args {
	const char *name;
	bool force;
};

int args_group_destroy(int argc, char **argv, struct group_destroy_args *a,
		       char *err, size_t len);

/*
 * A group name: args_name()'s rule, with room after it for "-<N - 1>",
 * the name of its last slice, when @count (N) is not 0.
 */
int args_group_name(const char *word, uint32_t count, char *err, size_t len);

/* The word for "no tenant" and "no limit"; never a tenant's name. */
#define ARGS_TENANT_NONE "none"

/* tenant add NAME [mem SIZE|none] [slices N|none] [compute PCT|none]
 *	[weight N]
 * tenant set NAME ... (the same, at least one): a limit "none" is
 *	ZSV_LIMIT_NONE; compute is percent of one engine ("400%": four);
 *	weight is ZSV_WEIGHT_MIN to ZSV_WEIGHT_MAX */
struct tenant_args {
	const char *name;
	struct zsv_tenant_params params;
};

int args_tenant_add(int argc, char **argv, struct tenant_args *a, char *err,
		    size_t len);
int args_tenant_set(int argc, char **argv, struct tenant_args *a, char *err,
		    size_t len);

/* A tenant name: args_name()'s rule, and not "none". */
int args_tenant_name(const char *word, char *err, size_t len);

/* dev set DEV [policy P] [timeslice DUR] [period DUR] [oversub RATIO] */
struct dev_set_args {
	const char *name;
	struct zsv_dev_params params;
};

int args_dev_set(int argc, char **argv, struct dev_set_args *a, char *err,
		 size_t len);

/* dev add [backend NAME] mem SIZE [engines N] */
int args_dev_add(int argc, char **argv, struct zsv_dev_params *p, char *err,
		 size_t len);

/* cdi generate [-o FILE] [vendor PREFIX] */
struct cdi_generate_args {
	const char *output; /* NULL: stdout */
	const char *vendor; /* NULL: $ZSV_CDI_VENDOR or the default */
};

int args_cdi_generate(int argc, char **argv, struct cdi_generate_args *a,
		      char *err, size_t len);

/* A device or slice name, with the rule in the message when it is not. */
int args_name(const char *what, const char *word, char *err, size_t len);

#endif /* ZSVCTL_ARGS_H */
