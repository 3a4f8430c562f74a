// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsvctl group: groups, one job's slices on several devices, made and
 * destroyed together.
 *
 *   zsvctl group create NAME count N mem SIZE [any]
 *	[placement spread|binpack] [backend B] [mode reserved|shared]
 *	[weight N] [cap PCT] [timeslice DUR|default] [owner USER|UID]
 *	[group GROUP|GID] [perm OCTAL] [tenant TENANT]
 *   zsvctl group destroy NAME [force]
 *   zsvctl group [show [NAME]]
 *
 * The kernel keeps no group object: a group is the slices that carry its
 * name (ZSV_A_SLICE_GROUP), so "show" is a slice dump gathered by group.
 *
 * JSON: "group create" prints its slices as "slice list" does, an array
 * of slice objects; "group show" an array of group objects, "group show
 * NAME" one; see group_to_json().  create and destroy keep the CDI spec
 * current (cdi.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json_object.h>

#include "args.h"
#include "group.h"
#include "table.h"
#include "zsvctl.h"

static int group_create_main(struct zsvctl *ctl, int argc, char **argv);
static int group_destroy_main(struct zsvctl *ctl, int argc, char **argv);
static int group_show_main(struct zsvctl *ctl, int argc, char **argv);
static int group_help_main(struct zsvctl *ctl, int argc, char **argv);

/* Append only: the order decides what an abbreviation means. */
static const struct zsvctl_cmd group_cmds[] = {
	{ "create", group_create_main, NULL,
	  "make N slices of one shape, each on its own device, all or none" },
	{ "destroy", group_destroy_main, NULL,
	  "destroy every slice of a group, all or none" },
	{ "show", group_show_main, NULL,
	  "list every group, or one (the default)" },
	{ "help", group_help_main, NULL, "this help" },
	{ .name = NULL },
};

void group_usage(FILE *f)
{
	fputs("Usage: zsvctl [OPTIONS] group create NAME count N mem SIZE [any]\n"
	      "                      [placement spread|binpack] [backend B]\n"
	      "                      [mode reserved|shared] [weight N] [cap PCT]\n"
	      "                      [timeslice DUR|default] [owner USER|UID]\n"
	      "                      [group GROUP|GID] [perm OCTAL] [tenant TENANT]\n"
	      "       zsvctl group destroy NAME [force]\n"
	      "       zsvctl [OPTIONS] group [show [NAME]]\n"
	      "       zsvctl group help\n"
	      "\n"
	      "Commands:\n",
	      f);
	zsvctl_cmds_print(f, group_cmds);
	fputs("\n"
	      "create makes the slices NAME-0 .. NAME-(N-1), N from 1 to 64, each placed by\n"
	      "the kernel as 'slice create' without DEV places one, on N different devices\n"
	      "unless any (then several may share one); all of them or, with the kernel's\n"
	      "reason, none.  The other words are those of 'slice create', for every slice;\n"
	      "group is the group of their nodes.  create prints the slices it made.\n"
	      "destroy fails, destroying nothing, while a slice of the group is open, unless\n"
	      "force.  The slices are slices like any other (slice set, slice destroy).\n"
	      "show lists each group's slices, devices, memory (all slices together) and\n"
	      "tenant (- when its slices are in none, or not all in one).  create and\n"
	      "destroy need CAP_NET_ADMIN.\n",
	      f);
}

int group_main(struct zsvctl *ctl, int argc, char **argv)
{
	return zsvctl_dispatch(ctl, group_cmds, "show", group_usage, argc,
			       argv);
}

static int group_help_main(struct zsvctl *ctl, int argc, char **argv)
{
	(void)ctl;
	if (argc)
		return zsvctl_usage_error(group_usage,
					  "unexpected argument '%s'", argv[0]);
	group_usage(stdout);
	return ZSVCTL_EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* Gathering slices into groups, as pure functions */

int group_slice_cmp(const void *a, const void *b)
{
	const struct zsv_slice_info *x =
		*(const struct zsv_slice_info *const *)a;
	const struct zsv_slice_info *y =
		*(const struct zsv_slice_info *const *)b;
	size_t x_len = strlen(x->name), y_len = strlen(y->name);
	int cmp = strcmp(x->group, y->group);

	if (cmp)
		return cmp;
	/* <group>-<index>: the shorter index is the smaller one. */
	if (x_len != y_len)
		return x_len < y_len ? -1 : 1;
	return strcmp(x->name, y->name);
}

void groups_free(struct group_info *groups, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		free(groups[i].slices);
	free(groups);
}

/* The group of @slices[0], which is sorted by group_slice_cmp(). */
static int group_fill(struct group_info *g,
		      struct zsv_slice_info *const *slices, size_t count)
{
	size_t i, n = 0;

	while (n < count && !strcmp(slices[n]->group, slices[0]->group))
		n++;
	g->slices = calloc(n, sizeof(*g->slices));
	if (!g->slices)
		return -ENOMEM;
	memcpy(g->slices, slices, n * sizeof(*g->slices));
	g->name = slices[0]->group;
	g->count = n;
	g->first_id = slices[0]->id;
	g->tenant = slice_has_tenant(slices[0]) ? slices[0]->tenant : NULL;
	for (i = 0; i < n; i++) {
		g->mem_bytes += slices[i]->mem_bytes;
		if (slices[i]->id < g->first_id)
			g->first_id = slices[i]->id;
		if (g->tenant && (!slice_has_tenant(slices[i]) ||
				  strcmp(g->tenant, slices[i]->tenant)))
			g->tenant = NULL;
	}
	return 0;
}

static int group_cmp_first_id(const void *a, const void *b)
{
	const struct group_info *x = a, *y = b;

	return (x->first_id > y->first_id) - (x->first_id < y->first_id);
}

int groups_gather(struct zsv_slice_info *const *slices, size_t count,
		  const char *only, struct group_info **groups,
		  size_t *group_count)
{
	struct zsv_slice_info **members;
	struct group_info *out = NULL;
	size_t i, n = 0, g = 0;
	int err = 0;

	*groups = NULL;
	*group_count = 0;
	members = calloc(count ? count : 1, sizeof(*members));
	if (!members)
		return -ENOMEM;
	for (i = 0; i < count; i++)
		if (slice_has_group(slices[i]) &&
		    (!only || !strcmp(slices[i]->group, only)))
			members[n++] = slices[i];
	qsort(members, n, sizeof(*members), group_slice_cmp);
	/* At most one group per member. */
	out = calloc(n ? n : 1, sizeof(*out));
	if (!out) {
		free(members);
		return -ENOMEM;
	}
	for (i = 0; i < n; i += out[g++].count) {
		err = group_fill(&out[g], members + i, n - i);
		if (err) {
			groups_free(out, g);
			free(members);
			return err;
		}
	}
	free(members);
	qsort(out, g, sizeof(*out), group_cmp_first_id);
	*groups = out;
	*group_count = g;
	return 0;
}

/*
 * The distinct devices of @g's slices, in the order of its slices, into
 * @devs (room for g->count); returns how many.
 */
static size_t group_devs(const struct group_info *g, const char **devs)
{
	size_t i, j, n = 0;

	for (i = 0; i < g->count; i++) {
		if (!zsv_slice_has(g->slices[i], ZSV_A_SLICE_DEV_NAME))
			continue;
		for (j = 0; j < n; j++)
			if (!strcmp(devs[j], g->slices[i]->dev_name))
				break;
		if (j == n)
			devs[n++] = g->slices[i]->dev_name;
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* Output */

static bool json_add_strings(struct json_object *obj, const char *key,
			     const char *const *strs, size_t n)
{
	struct json_object *array = json_object_new_array();
	size_t i;

	if (!array || json_object_object_add(obj, key, array)) {
		json_object_put(array);
		return false;
	}
	for (i = 0; i < n; i++) {
		struct json_object *s = json_object_new_string(strs[i]);

		if (!s || json_object_array_add(array, s)) {
			json_object_put(s);
			return false;
		}
	}
	return true;
}

struct json_object *group_to_json(const struct group_info *g)
{
	struct json_object *obj = json_object_new_object();
	const char **names = calloc(g->count ? g->count : 1, sizeof(*names));
	const char **devs = calloc(g->count ? g->count : 1, sizeof(*devs));
	size_t i, n_devs;
	bool ok;

	if (!obj || !names || !devs) {
		json_object_put(obj);
		free(names);
		free(devs);
		return NULL;
	}
	for (i = 0; i < g->count; i++)
		names[i] = g->slices[i]->name;
	n_devs = group_devs(g, devs);
	ok = zsvctl_json_add_str(obj, "name", true, g->name) &&
	     json_add_strings(obj, "slices", names, g->count) &&
	     json_add_strings(obj, "devs", devs, n_devs) &&
	     zsvctl_json_add_u64(obj, "mem_bytes", true, g->mem_bytes) &&
	     zsvctl_json_add_str(obj, "tenant", g->tenant, g->tenant);
	free(names);
	free(devs);
	if (ok)
		return obj;
	json_object_put(obj);
	return NULL;
}

/* clang-format off */
static const struct table_col group_cols[] = {
	{ "NAME", false },
	{ "SLICES", true },
	{ "DEVS", false },
	{ "MEM", true },
	{ "TENANT", false },
};
/* clang-format on */

#define GROUP_COLS (sizeof(group_cols) / sizeof(group_cols[0]))

/* "zsv0,zsv1": the devices of @g, into @buf; "-" when none is known. */
static const char *cell_devs(const struct group_info *g, char *buf, size_t len)
{
	const char **devs = calloc(g->count ? g->count : 1, sizeof(*devs));
	size_t i, n, used = 0;
	int w;

	if (!devs)
		return NULL;
	n = group_devs(g, devs);
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		w = snprintf(buf + used, len - used, "%s%s", i ? "," : "",
			     devs[i]);
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
	free(devs);
	return n ? buf : "-";
}

static int group_table_add(struct table *t, const struct group_info *g)
{
	/* Every device name, and a comma after each. */
	char devs[ZSV_GROUP_MAX * (ZSV_NAME_MAX + 1) + 1];
	char slices[16], mem[ZSV_UNIT_STR_MAX];
	const char *cells[GROUP_COLS];

	snprintf(slices, sizeof(slices), "%zu", g->count);
	cells[0] = g->name;
	cells[1] = slices;
	cells[2] = cell_devs(g, devs, sizeof(devs));
	if (!cells[2])
		return -ENOMEM;
	cells[3] = zsv_format_size(g->mem_bytes, mem, sizeof(mem)) ? "-" : mem;
	cells[4] = g->tenant ? g->tenant : "-";
	return table_add_row(t, cells);
}

int group_print_table(FILE *f, const struct group_info *groups, size_t count)
{
	struct table t;
	size_t i;
	int err;

	table_init(&t, group_cols, GROUP_COLS);
	for (i = 0; i < count; i++) {
		err = group_table_add(&t, &groups[i]);
		if (err) {
			table_free(&t);
			return err;
		}
	}
	table_print(&t, f);
	table_free(&t);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Commands */

/*
 * The slices of the group @name, in index order, as a slice list that
 * the caller frees with zsv_slice_list_free(); ctl->zh has the kernel's
 * message on failure.
 */
static int group_slices(struct zsvctl *ctl, const char *name,
			struct zsv_slice_info ***out, size_t *out_count)
{
	struct zsv_slice_info **slices;
	size_t i, n = 0, count;
	int err;

	err = zsv_slice_list(ctl->zh, NULL, &slices, &count);
	if (err)
		return err;
	/* Keep the group's, free the others. */
	for (i = 0; i < count; i++) {
		if (slice_has_group(slices[i]) &&
		    !strcmp(slices[i]->group, name))
			slices[n++] = slices[i];
		else
			zsv_slice_info_free(slices[i]);
	}
	qsort(slices, n, sizeof(*slices), group_slice_cmp);
	*out = slices;
	*out_count = n;
	return 0;
}

static int group_create_main(struct zsvctl *ctl, int argc, char **argv)
{
	static const char doing[] = "creating a group";
	struct zsv_slice_info **slices;
	struct group_create_args a;
	char err_msg[ARGS_ERR_MAX];
	size_t count;
	int ret, err;

	if (args_group_create(argc, argv, &a, err_msg, sizeof(err_msg)))
		return zsvctl_usage_error(group_usage, "%s", err_msg);
	ret = zsvctl_connect_admin(ctl, doing);
	if (ret)
		return ret;
	err = zsv_group_create(ctl->zh, a.name, a.count, a.distinct,
			       a.placement, a.backend, &a.params);
	if (err == -EPERM)
		return zsvctl_no_admin(doing);
	if (err)
		return zsvctl_fail(ctl, err, "cannot create group '%s'",
				   a.name);
	cdi_refresh(ctl);
	/* The kernel acks; what it made is in the slice dump. */
	err = group_slices(ctl, a.name, &slices, &count);
	if (err)
		return zsvctl_fail(
			ctl, err,
			"group '%s' was created, but cannot list its slices",
			a.name);
	ret = slice_list_print(ctl, slices, count);
	zsv_slice_list_free(slices, count);
	return ret;
}

static int group_destroy_main(struct zsvctl *ctl, int argc, char **argv)
{
	static const char doing[] = "destroying a group";
	struct group_destroy_args a;
	char err_msg[ARGS_ERR_MAX];
	int ret, err;

	if (args_group_destroy(argc, argv, &a, err_msg, sizeof(err_msg)))
		return zsvctl_usage_error(group_usage, "%s", err_msg);
	ret = zsvctl_connect_admin(ctl, doing);
	if (ret)
		return ret;
	err = zsv_group_destroy(ctl->zh, a.name, a.force);
	if (err == -EPERM)
		return zsvctl_no_admin(doing);
	if (err == -ENOENT && !zsv_ext_msg(ctl->zh)) {
		fprintf(stderr,
			"zsvctl: cannot destroy group '%s': no group named '%s'\n",
			a.name, a.name);
		return ZSVCTL_EXIT_FAIL;
	}
	if (err)
		return zsvctl_fail(ctl, err, "cannot destroy group '%s'",
				   a.name);
	cdi_refresh(ctl);
	return ZSVCTL_EXIT_OK;
}

static int group_list_json(struct zsvctl *ctl, const struct group_info *groups,
			   size_t count)
{
	struct json_object *array = json_object_new_array();
	size_t i;

	for (i = 0; array && i < count; i++) {
		struct json_object *obj = group_to_json(&groups[i]);

		if (!obj || json_object_array_add(array, obj)) {
			json_object_put(obj);
			json_object_put(array);
			array = NULL;
		}
	}
	return zsvctl_json_print(ctl, array);
}

static int group_show_main(struct zsvctl *ctl, int argc, char **argv)
{
	struct zsv_slice_info **slices;
	const char *name = argc ? argv[0] : NULL;
	struct group_info *groups;
	char err_msg[ARGS_ERR_MAX];
	size_t count, group_count;
	int ret, err;

	if (argc > 1)
		return zsvctl_usage_error(group_usage,
					  "unexpected argument '%s'", argv[1]);
	if (name && args_group_name(name, 0, err_msg, sizeof(err_msg)))
		return zsvctl_usage_error(group_usage, "%s", err_msg);
	ret = zsvctl_connect(ctl);
	if (ret)
		return ret;
	err = zsv_slice_list(ctl->zh, NULL, &slices, &count);
	if (err)
		return zsvctl_fail(ctl, err, "cannot list slices");
	err = groups_gather(slices, count, name, &groups, &group_count);
	if (err) {
		zsv_slice_list_free(slices, count);
		return zsvctl_fail(ctl, err, "cannot gather groups");
	}
	if (name && !group_count) {
		fprintf(stderr,
			"zsvctl: cannot show group '%s': no group named '%s'\n",
			name, name);
		ret = ZSVCTL_EXIT_FAIL;
	} else if (ctl->json && name) {
		ret = zsvctl_json_print(ctl, group_to_json(&groups[0]));
	} else if (ctl->json) {
		ret = group_list_json(ctl, groups, group_count);
	} else if (group_print_table(stdout, groups, group_count)) {
		ret = zsvctl_fail(ctl, -ENOMEM, "cannot build the table");
	}
	groups_free(groups, group_count);
	zsv_slice_list_free(slices, count);
	return ret;
}
