// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsvctl tenant: tenants, who pays; limits on the memory, the slices and
 * the compute of all their slices together, across every device, and a
 * weight, their share of a device's engine time under the weighted policy.
 *
 *   zsvctl tenant add NAME [mem SIZE|none] [slices N|none]
 *	[compute PCT|none] [weight N]
 *   zsvctl tenant set NAME [mem SIZE|none] [slices N|none]
 *	[compute PCT|none] [weight N]
 *   zsvctl tenant del NAME
 *   zsvctl tenant [show [NAME]]
 *
 * JSON: "tenant show" prints an array of tenant objects, "tenant show
 * NAME" and "tenant add" one tenant object; raw numbers (bytes, ns,
 * percent of an engine), null for "no limit"; see tenant_to_json().
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json_object.h>

#include "args.h"
#include "table.h"
#include "zsvctl.h"

static int tenant_add_main(struct zsvctl *ctl, int argc, char **argv);
static int tenant_set_main(struct zsvctl *ctl, int argc, char **argv);
static int tenant_del_main(struct zsvctl *ctl, int argc, char **argv);
static int tenant_show_main(struct zsvctl *ctl, int argc, char **argv);
static int tenant_help_main(struct zsvctl *ctl, int argc, char **argv);

/* Append only: the order decides what an abbreviation means. */
static const struct zsvctl_cmd tenant_cmds[] = {
	{ "add", tenant_add_main, NULL, "create a tenant, with limits" },
	{ "set", tenant_set_main, NULL,
	  "change a tenant's limits or weight, live" },
	{ "del", tenant_del_main, NULL, "delete a tenant that has no slices" },
	{ "show", tenant_show_main, NULL,
	  "limits, weight and usage of every tenant, or of one (the default)" },
	{ "help", tenant_help_main, NULL, "this help" },
	{ .name = NULL },
};

void tenant_usage(FILE *f)
{
	fputs("Usage: zsvctl [OPTIONS] tenant add NAME [mem SIZE|none] [slices N|none]\n"
	      "                      [compute PCT|none] [weight N]\n"
	      "       zsvctl tenant set NAME [mem SIZE|none] [slices N|none] [compute PCT|none]\n"
	      "                      [weight N]\n"
	      "       zsvctl tenant del NAME\n"
	      "       zsvctl [OPTIONS] tenant [show [NAME]]\n"
	      "       zsvctl tenant help\n"
	      "\n"
	      "Commands:\n",
	      f);
	zsvctl_cmds_print(f, tenant_cmds);
	fputs("\n"
	      "A tenant's limits hold for all its slices together, on every device: mem\n"
	      "(their partitions, reserved and shared), slices (how many) and compute (their\n"
	      "caps times their device's engines: 400% is four whole engines).  none, the\n"
	      "default, is no limit.  A slice joins a tenant with 'slice create ... tenant\n"
	      "NAME' or 'slice set NAME tenant NAME|none'.  Past a limit, creating or growing\n"
	      "a slice fails; lowering a limit below the usage takes nothing away.  del fails\n"
	      "while the tenant has slices.  'none' names no tenant.  weight (1 to 10000,\n"
	      "default 100) is the tenant's share of a device's engine time under the\n"
	      "weighted policy: busy tenants share the device by weight, then each tenant's\n"
	      "busy slices share its time by theirs.  add, set and del need CAP_NET_ADMIN.\n",
	      f);
}

int tenant_main(struct zsvctl *ctl, int argc, char **argv)
{
	return zsvctl_dispatch(ctl, tenant_cmds, "show", tenant_usage, argc,
			       argv);
}

static int tenant_help_main(struct zsvctl *ctl, int argc, char **argv)
{
	(void)ctl;
	if (argc)
		return zsvctl_usage_error(tenant_usage,
					  "unexpected argument '%s'", argv[0]);
	tenant_usage(stdout);
	return ZSVCTL_EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* JSON */

/* A limit: null when there is none. */
static bool json_add_limit(struct json_object *obj, const char *key,
			   uint64_t limit)
{
	return zsvctl_json_add_u64(obj, key, limit != ZSV_LIMIT_NONE, limit);
}

static bool json_add_usage(struct json_object *obj,
			   const struct zsv_tenant_info *tenant,
			   const char *key, int attr, uint64_t val)
{
	return zsvctl_json_add_u64(obj, key, zsv_tenant_has(tenant, attr), val);
}

/*
 * One tenant.  Keys are the netlink attribute names in snake_case and
 * never change meaning; a limit is null when there is none, a usage when
 * the kernel did not report it.  NULL when out of memory.
 */
struct json_object *tenant_to_json(const struct zsv_tenant_info *tenant)
{
	struct json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	if (zsvctl_json_add_u64(obj, "id", true, tenant->id) &&
	    zsvctl_json_add_str(obj, "name", true, tenant->name) &&
	    json_add_limit(obj, "mem_max", tenant->mem_max_bytes) &&
	    json_add_limit(obj, "slices_max", tenant->slices_max) &&
	    json_add_limit(obj, "compute_max", tenant->compute_max) &&
	    zsvctl_json_add_u64(obj, "weight", true, tenant->weight) &&
	    json_add_usage(obj, tenant, "mem", ZSV_A_TENANT_MEM,
			   tenant->mem_bytes) &&
	    json_add_usage(obj, tenant, "slices", ZSV_A_TENANT_SLICES,
			   tenant->slices) &&
	    json_add_usage(obj, tenant, "compute", ZSV_A_TENANT_COMPUTE,
			   tenant->compute) &&
	    json_add_usage(obj, tenant, "mem_used", ZSV_A_TENANT_MEM_USED,
			   tenant->mem_used_bytes) &&
	    json_add_usage(obj, tenant, "busy_ns", ZSV_A_TENANT_BUSY_NS,
			   tenant->busy_ns) &&
	    json_add_usage(obj, tenant, "quota_hits", ZSV_A_TENANT_QUOTA_HITS,
			   tenant->quota_hits))
		return obj;
	json_object_put(obj);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Text */

/*
 * Cells.  A limit is "none" when there is none; a usage is "-" when the
 * kernel did not report it.  @exact: sizes as zsv_format_size_exact()
 * writes them, which read back as the command's values.
 */
static const char *cell_mem_limit(uint64_t bytes, bool exact, char *buf,
				  size_t len)
{
	int err;

	if (bytes == ZSV_LIMIT_NONE)
		return ARGS_TENANT_NONE;
	err = exact ? zsv_format_size_exact(bytes, buf, len) :
		      zsv_format_size(bytes, buf, len);
	return err ? "-" : buf;
}

static const char *cell_count_limit(uint64_t val, const char *suffix, char *buf,
				    size_t len)
{
	if (val == ZSV_LIMIT_NONE)
		return ARGS_TENANT_NONE;
	snprintf(buf, len, "%" PRIu64 "%s", val, suffix);
	return buf;
}

static const char *cell_size(const struct zsv_tenant_info *tenant, int attr,
			     uint64_t bytes, char *buf, size_t len)
{
	if (!zsv_tenant_has(tenant, attr) || zsv_format_size(bytes, buf, len))
		return "-";
	return buf;
}

static const char *cell_count(const struct zsv_tenant_info *tenant, int attr,
			      uint64_t val, const char *suffix, char *buf,
			      size_t len)
{
	if (!zsv_tenant_has(tenant, attr))
		return "-";
	snprintf(buf, len, "%" PRIu64 "%s", val, suffix);
	return buf;
}

static const char *cell_busy(const struct zsv_tenant_info *tenant, char *buf,
			     size_t len)
{
	if (!zsv_tenant_has(tenant, ZSV_A_TENANT_BUSY_NS) ||
	    zsvctl_format_duration_human(tenant->busy_ns, buf, len))
		return "-";
	return buf;
}

/* clang-format off */
static const struct table_col tenant_cols[] = {
	{ "NAME", false },
	{ "ID", true },
	{ "MEM", true },
	{ "MEM_MAX", true },
	{ "SLICES", true },
	{ "SLICES_MAX", true },
	{ "COMPUTE", true },
	{ "COMPUTE_MAX", true },
	{ "WEIGHT", true },
	{ "USED", true },
	{ "BUSY", true },
	{ "QUOTA_HITS", true },
};
/* clang-format on */

#define TENANT_COLS (sizeof(tenant_cols) / sizeof(tenant_cols[0]))

static int tenant_table_add(struct table *t,
			    const struct zsv_tenant_info *tenant)
{
	char id[16], mem[ZSV_UNIT_STR_MAX], mem_max[ZSV_UNIT_STR_MAX];
	char slices[24], slices_max[24], compute[24], compute_max[24];
	char weight[16], used[ZSV_UNIT_STR_MAX], busy[ZSV_UNIT_STR_MAX];
	char hits[24];
	const char *cells[TENANT_COLS];

	snprintf(id, sizeof(id), "%" PRIu32, tenant->id);
	cells[0] = tenant->name;
	cells[1] = id;
	cells[2] = cell_size(tenant, ZSV_A_TENANT_MEM, tenant->mem_bytes, mem,
			     sizeof(mem));
	cells[3] = cell_mem_limit(tenant->mem_max_bytes, false, mem_max,
				  sizeof(mem_max));
	cells[4] = cell_count(tenant, ZSV_A_TENANT_SLICES, tenant->slices, "",
			      slices, sizeof(slices));
	cells[5] = cell_count_limit(tenant->slices_max, "", slices_max,
				    sizeof(slices_max));
	cells[6] = cell_count(tenant, ZSV_A_TENANT_COMPUTE, tenant->compute,
			      "%", compute, sizeof(compute));
	cells[7] = cell_count_limit(tenant->compute_max, "%", compute_max,
				    sizeof(compute_max));
	snprintf(weight, sizeof(weight), "%" PRIu32, tenant->weight);
	cells[8] = weight;
	cells[9] = cell_size(tenant, ZSV_A_TENANT_MEM_USED,
			     tenant->mem_used_bytes, used, sizeof(used));
	cells[10] = cell_busy(tenant, busy, sizeof(busy));
	cells[11] = cell_count(tenant, ZSV_A_TENANT_QUOTA_HITS,
			       tenant->quota_hits, "", hits, sizeof(hits));
	return table_add_row(t, cells);
}

int tenant_print_table(FILE *f, struct zsv_tenant_info *const *tenants,
		       size_t count)
{
	struct table t;
	size_t i;
	int err;

	table_init(&t, tenant_cols, TENANT_COLS);
	for (i = 0; i < count; i++) {
		err = tenant_table_add(&t, tenants[i]);
		if (err) {
			table_free(&t);
			return err;
		}
	}
	table_print(&t, f);
	table_free(&t);
	return 0;
}

void tenant_print_line(FILE *f, const struct zsv_tenant_info *tenant)
{
	char buf[ZSV_UNIT_STR_MAX + 16];

	fprintf(f, "%s id %" PRIu32, tenant->name, tenant->id);
	/* The limits as tenant add takes them, then the usage. */
	fprintf(f, " mem %s",
		cell_mem_limit(tenant->mem_max_bytes, true, buf, sizeof(buf)));
	fprintf(f, " slices %s",
		cell_count_limit(tenant->slices_max, "", buf, sizeof(buf)));
	fprintf(f, " compute %s",
		cell_count_limit(tenant->compute_max, "%", buf, sizeof(buf)));
	fprintf(f, " weight %" PRIu32, tenant->weight);
	fputs(" usage", f);
	if (zsv_tenant_has(tenant, ZSV_A_TENANT_MEM) &&
	    !zsv_format_size_exact(tenant->mem_bytes, buf, sizeof(buf)))
		fprintf(f, " mem %s", buf);
	if (zsv_tenant_has(tenant, ZSV_A_TENANT_SLICES))
		fprintf(f, " slices %" PRIu64, tenant->slices);
	if (zsv_tenant_has(tenant, ZSV_A_TENANT_COMPUTE))
		fprintf(f, " compute %" PRIu64 "%%", tenant->compute);
}

/* ------------------------------------------------------------------ */
/* Commands */

/*
 * "zsvctl: cannot VERB tenant 'NAME': why"; without the kernel's
 * message, ENOENT meant that there is no such tenant.
 */
static int tenant_fail(struct zsvctl *ctl, int err, const char *verb,
		       const char *name)
{
	if (err == -ENOENT && !zsv_ext_msg(ctl->zh)) {
		fprintf(stderr,
			"zsvctl: cannot %s tenant '%s': no tenant named '%s'\n",
			verb, name, name);
		return ZSVCTL_EXIT_FAIL;
	}
	return zsvctl_fail(ctl, err, "cannot %s tenant '%s'", verb, name);
}

static int tenant_print(struct zsvctl *ctl, struct zsv_tenant_info *tenant)
{
	if (ctl->json)
		return zsvctl_json_print(ctl, tenant_to_json(tenant));
	if (tenant_print_table(stdout, &tenant, 1))
		return zsvctl_fail(ctl, -ENOMEM, "cannot build the table");
	return ZSVCTL_EXIT_OK;
}

static int tenant_add_main(struct zsvctl *ctl, int argc, char **argv)
{
	static const char doing[] = "adding a tenant";
	struct zsv_tenant_info *tenant;
	char err_msg[ARGS_ERR_MAX];
	struct tenant_args a;
	int ret, err;

	if (args_tenant_add(argc, argv, &a, err_msg, sizeof(err_msg)))
		return zsvctl_usage_error(tenant_usage, "%s", err_msg);
	ret = zsvctl_connect_admin(ctl, doing);
	if (ret)
		return ret;
	err = zsv_tenant_new(ctl->zh, a.name, &a.params, &tenant);
	if (err == -EPERM)
		return zsvctl_no_admin(doing);
	if (err)
		return tenant_fail(ctl, err, "add", a.name);
	ret = tenant_print(ctl, tenant);
	zsv_tenant_info_free(tenant);
	return ret;
}

static int tenant_set_main(struct zsvctl *ctl, int argc, char **argv)
{
	static const char doing[] = "changing a tenant";
	char err_msg[ARGS_ERR_MAX];
	struct tenant_args a;
	int ret, err;

	if (args_tenant_set(argc, argv, &a, err_msg, sizeof(err_msg)))
		return zsvctl_usage_error(tenant_usage, "%s", err_msg);
	ret = zsvctl_connect_admin(ctl, doing);
	if (ret)
		return ret;
	err = zsv_tenant_set(ctl->zh, a.name, &a.params);
	if (err == -EPERM)
		return zsvctl_no_admin(doing);
	if (err)
		return tenant_fail(ctl, err, "change", a.name);
	return ZSVCTL_EXIT_OK;
}

static int tenant_del_main(struct zsvctl *ctl, int argc, char **argv)
{
	static const char doing[] = "deleting a tenant";
	char err_msg[ARGS_ERR_MAX];
	int ret, err;

	if (argc < 1)
		return zsvctl_usage_error(tenant_usage,
					  "tenant del needs a NAME");
	if (argc > 1)
		return zsvctl_usage_error(tenant_usage,
					  "unexpected argument '%s'", argv[1]);
	if (args_tenant_name(argv[0], err_msg, sizeof(err_msg)))
		return zsvctl_usage_error(tenant_usage, "%s", err_msg);
	ret = zsvctl_connect_admin(ctl, doing);
	if (ret)
		return ret;
	err = zsv_tenant_del(ctl->zh, argv[0]);
	if (err == -EPERM)
		return zsvctl_no_admin(doing);
	if (err)
		return tenant_fail(ctl, err, "delete", argv[0]);
	return ZSVCTL_EXIT_OK;
}

static int tenant_cmp_id(const void *a, const void *b)
{
	const struct zsv_tenant_info *x =
		*(const struct zsv_tenant_info *const *)a;
	const struct zsv_tenant_info *y =
		*(const struct zsv_tenant_info *const *)b;

	return (x->id > y->id) - (x->id < y->id);
}

static int tenant_list_json(struct zsvctl *ctl,
			    struct zsv_tenant_info **tenants, size_t count)
{
	struct json_object *array = json_object_new_array();
	size_t i;

	for (i = 0; array && i < count; i++) {
		struct json_object *obj = tenant_to_json(tenants[i]);

		if (!obj || json_object_array_add(array, obj)) {
			json_object_put(obj);
			json_object_put(array);
			array = NULL;
		}
	}
	return zsvctl_json_print(ctl, array);
}

static int tenant_show_main(struct zsvctl *ctl, int argc, char **argv)
{
	struct zsv_tenant_info **tenants, *tenant;
	char err_msg[ARGS_ERR_MAX];
	size_t count;
	int ret, err;

	if (argc > 1)
		return zsvctl_usage_error(tenant_usage,
					  "unexpected argument '%s'", argv[1]);
	if (argc && args_tenant_name(argv[0], err_msg, sizeof(err_msg)))
		return zsvctl_usage_error(tenant_usage, "%s", err_msg);
	ret = zsvctl_connect(ctl);
	if (ret)
		return ret;
	if (argc) {
		err = zsv_tenant_get_by_name(ctl->zh, argv[0], &tenant);
		if (err)
			return tenant_fail(ctl, err, "show", argv[0]);
		ret = tenant_print(ctl, tenant);
		zsv_tenant_info_free(tenant);
		return ret;
	}
	err = zsv_tenant_list(ctl->zh, &tenants, &count);
	if (err)
		return zsvctl_fail(ctl, err, "cannot list tenants");
	qsort(tenants, count, sizeof(*tenants), tenant_cmp_id);
	if (ctl->json)
		ret = tenant_list_json(ctl, tenants, count);
	else if (tenant_print_table(stdout, tenants, count))
		ret = zsvctl_fail(ctl, -ENOMEM, "cannot build the table");
	zsv_tenant_list_free(tenants, count);
	return ret;
}
