// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsvctl dev: physical accelerators (pdevs).
 *
 *   zsvctl dev [list]
 *   zsvctl dev show NAME
 *   zsvctl dev set NAME [policy P] [timeslice DUR] [period DUR] [oversub R]
 *   zsvctl dev add [backend NAME] mem SIZE [engines N]
 *   zsvctl dev del NAME
 *
 * JSON: "dev list" prints an array of device objects, "dev show" one
 * device object; both carry raw numbers (bytes, nanoseconds), see
 * dev_to_json() and zsvctl(8).  "dev show" adds the pdev's mdev types
 * from sysfs (mdev_types.c) when zsv_mdev offers some.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json_object.h>

#include "args.h"
#include "mdev_types.h"
#include "table.h"
#include "zsvctl.h"

static int dev_list_main(struct zsvctl *ctl, int argc, char **argv);
static int dev_show_main(struct zsvctl *ctl, int argc, char **argv);
static int dev_help_main(struct zsvctl *ctl, int argc, char **argv);
static int dev_set_main(struct zsvctl *ctl, int argc, char **argv);
static int dev_add_main(struct zsvctl *ctl, int argc, char **argv);
static int dev_del_main(struct zsvctl *ctl, int argc, char **argv);

/* Append only: the order decides what an abbreviation means. */
static const struct zsvctl_cmd dev_cmds[] = {
	{ "list", dev_list_main, NULL, "list every device (the default)" },
	{ "show", dev_show_main, NULL, "show every field of one device" },
	{ "help", dev_help_main, NULL, "this help" },
	{ "set", dev_set_main, NULL, "change a device's scheduling, live" },
	{ "add", dev_add_main, NULL, "create a simulated device" },
	{ "del", dev_del_main, NULL, "remove a device made by dev add" },
	{ .name = NULL },
};

void dev_usage(FILE *f)
{
	fputs("Usage: zsvctl [OPTIONS] dev [list]\n"
	      "       zsvctl [OPTIONS] dev show NAME\n"
	      "       zsvctl dev set NAME [policy weighted|fixed|best-effort] [timeslice DUR]\n"
	      "                           [period DUR] [oversub RATIO]\n"
	      "       zsvctl [OPTIONS] dev add [backend sim] mem SIZE [engines N]\n"
	      "       zsvctl dev del NAME\n"
	      "       zsvctl dev help\n"
	      "\n"
	      "Commands:\n",
	      f);
	zsvctl_cmds_print(f, dev_cmds);
	fputs("\n"
	      "Sizes are binary (1G = 1024M); FREE is memory no reserved slice holds.\n"
	      "SHARED is the sum of the shared slices' quotas, which may exceed FREE\n"
	      "by the OVERSUB ratio (1.5 or 150%: half again as much).\n"
	      "timeslice is 100us to 1s, period 10ms to 10s, oversub 1 to 100.\n"
	      "show adds the device's mdev types when zsv_mdev is loaded (from sysfs).\n"
	      "set, add and del need CAP_NET_ADMIN.\n",
	      f);
}

int dev_main(struct zsvctl *ctl, int argc, char **argv)
{
	return zsvctl_dispatch(ctl, dev_cmds, "list", dev_usage, argc, argv);
}

static int dev_help_main(struct zsvctl *ctl, int argc, char **argv)
{
	(void)ctl;
	if (argc)
		return zsvctl_usage_error(dev_usage, "unexpected argument '%s'",
					  argv[0]);
	dev_usage(stdout);
	return ZSVCTL_EXIT_OK;
}

/* Memory that no reserved slice holds: what a new one can still get. */
static uint64_t dev_mem_free_bytes(const struct zsv_dev_info *dev)
{
	if (dev->mem_reserved_bytes > dev->mem_total_bytes)
		return 0;
	return dev->mem_total_bytes - dev->mem_reserved_bytes;
}

/* A policy by name; "unknown(N)" for a value newer than libzsv. */
static const char *policy_str(uint32_t policy, char *buf, size_t len)
{
	const char *name = zsv_policy_name(policy);

	if (name)
		return name;
	snprintf(buf, len, "unknown(%" PRIu32 ")", policy);
	return buf;
}

/* ------------------------------------------------------------------ */
/* JSON */

static bool json_add_u64(struct json_object *obj,
			 const struct zsv_dev_info *dev, const char *key,
			 int attr, uint64_t val)
{
	return zsvctl_json_add_u64(obj, key, zsv_dev_has(dev, attr), val);
}

static bool json_add_str(struct json_object *obj,
			 const struct zsv_dev_info *dev, const char *key,
			 int attr, const char *val)
{
	return zsvctl_json_add_str(obj, key, zsv_dev_has(dev, attr), val);
}

/*
 * One device.  Keys are the netlink attribute names in snake_case and
 * never change meaning; a key is null when the kernel did not report
 * the attribute.  Returns NULL when out of memory.
 */
struct json_object *dev_to_json(const struct zsv_dev_info *dev)
{
	struct json_object *obj = json_object_new_object();
	char buf[32];

	if (!obj)
		return NULL;
	if (json_add_u64(obj, dev, "id", ZSV_A_DEV_ID, dev->id) &&
	    json_add_str(obj, dev, "name", ZSV_A_DEV_NAME, dev->name) &&
	    json_add_str(obj, dev, "backend", ZSV_A_DEV_BACKEND,
			 dev->backend) &&
	    json_add_u64(obj, dev, "mem_total", ZSV_A_DEV_MEM_TOTAL,
			 dev->mem_total_bytes) &&
	    json_add_u64(obj, dev, "mem_reserved", ZSV_A_DEV_MEM_RESERVED,
			 dev->mem_reserved_bytes) &&
	    json_add_u64(obj, dev, "mem_used", ZSV_A_DEV_MEM_USED,
			 dev->mem_used_bytes) &&
	    json_add_u64(obj, dev, "engines", ZSV_A_DEV_ENGINES,
			 dev->engines) &&
	    json_add_str(obj, dev, "policy", ZSV_A_DEV_POLICY,
			 policy_str(dev->policy, buf, sizeof(buf))) &&
	    json_add_u64(obj, dev, "timeslice_ns", ZSV_A_DEV_TIMESLICE_NS,
			 dev->timeslice_ns) &&
	    json_add_u64(obj, dev, "period_ns", ZSV_A_DEV_PERIOD_NS,
			 dev->period_ns) &&
	    json_add_u64(obj, dev, "slice_count", ZSV_A_DEV_SLICE_COUNT,
			 dev->slice_count) &&
	    json_add_u64(obj, dev, "oversub_pct", ZSV_A_DEV_OVERSUB_PCT,
			 dev->oversub_pct) &&
	    json_add_u64(obj, dev, "mem_shared", ZSV_A_DEV_MEM_SHARED,
			 dev->mem_shared_bytes) &&
	    json_add_u64(obj, dev, "busy_ns", ZSV_A_DEV_BUSY_NS,
			 dev->busy_ns) &&
	    json_add_u64(obj, dev, "jobs_completed", ZSV_A_DEV_JOBS_COMPLETED,
			 dev->jobs_completed) &&
	    json_add_u64(obj, dev, "headroom_reserved",
			 ZSV_A_DEV_HEADROOM_RESERVED,
			 dev->headroom_reserved_bytes) &&
	    json_add_u64(obj, dev, "headroom_shared", ZSV_A_DEV_HEADROOM_SHARED,
			 dev->headroom_shared_bytes) &&
	    json_add_u64(obj, dev, "headroom_engine_pct",
			 ZSV_A_DEV_HEADROOM_ENGINE_PCT,
			 dev->headroom_engine_pct))
		return obj;
	json_object_put(obj);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Text */

/* Cell text for people; "-" when the kernel did not report @attr. */
static const char *cell_size(const struct zsv_dev_info *dev, int attr,
			     uint64_t bytes, char *buf, size_t len)
{
	if (!zsv_dev_has(dev, attr) || zsv_format_size(bytes, buf, len))
		return "-";
	return buf;
}

static const char *cell_duration(const struct zsv_dev_info *dev, int attr,
				 uint64_t ns, char *buf, size_t len)
{
	if (!zsv_dev_has(dev, attr) || zsv_format_duration(ns, buf, len))
		return "-";
	return buf;
}

static const char *cell_u32(const struct zsv_dev_info *dev, int attr,
			    uint32_t val, char *buf, size_t len)
{
	if (!zsv_dev_has(dev, attr))
		return "-";
	snprintf(buf, len, "%" PRIu32, val);
	return buf;
}

static const char *cell_pct(const struct zsv_dev_info *dev, int attr,
			    uint32_t val, char *buf, size_t len)
{
	if (!zsv_dev_has(dev, attr))
		return "-";
	snprintf(buf, len, "%" PRIu32 "%%", val);
	return buf;
}

/* FREE needs both numbers it is derived from. */
static const char *cell_mem_free(const struct zsv_dev_info *dev, char *buf,
				 size_t len)
{
	if (!zsv_dev_has(dev, ZSV_A_DEV_MEM_RESERVED))
		return "-";
	return cell_size(dev, ZSV_A_DEV_MEM_TOTAL, dev_mem_free_bytes(dev), buf,
			 len);
}

static const char *cell_policy(const struct zsv_dev_info *dev, char *buf,
			       size_t len)
{
	if (!zsv_dev_has(dev, ZSV_A_DEV_POLICY))
		return "-";
	return policy_str(dev->policy, buf, len);
}

/* The oversubscription ratio: "1", "1.5". */
static const char *cell_ratio(const struct zsv_dev_info *dev, char *buf,
			      size_t len)
{
	if (!zsv_dev_has(dev, ZSV_A_DEV_OVERSUB_PCT) ||
	    zsv_format_ratio(dev->oversub_pct, buf, len))
		return "-";
	return buf;
}

/* clang-format off */
static const struct table_col dev_cols[] = {
	{ "NAME", false },
	{ "ID", true },
	{ "BACKEND", false },
	{ "TOTAL", true },
	{ "RESERVED", true },
	{ "FREE", true },
	{ "SHARED", true },
	{ "OVERSUB", true },
	{ "USED", true },
	{ "ENGINES", true },
	{ "POLICY", false },
	{ "TIMESLICE", true },
	{ "SLICES", true },
	{ "ROOM_RES", true },
	{ "ROOM_SHR", true },
	{ "ROOM_ENG", true },
};
/* clang-format on */

#define DEV_COLS (sizeof(dev_cols) / sizeof(dev_cols[0]))

static int dev_table_add(struct table *t, const struct zsv_dev_info *dev)
{
	char id[16], total[ZSV_UNIT_STR_MAX], reserved[ZSV_UNIT_STR_MAX];
	char mem_free[ZSV_UNIT_STR_MAX], used[ZSV_UNIT_STR_MAX];
	char shared[ZSV_UNIT_STR_MAX], oversub[ZSV_UNIT_STR_MAX];
	char engines[16], policy[32], timeslice[ZSV_UNIT_STR_MAX], slices[16];
	char room_res[ZSV_UNIT_STR_MAX], room_shr[ZSV_UNIT_STR_MAX];
	char room_eng[16];
	const char *cells[DEV_COLS] = {
		dev->name,
		cell_u32(dev, ZSV_A_DEV_ID, dev->id, id, sizeof(id)),
		zsv_dev_has(dev, ZSV_A_DEV_BACKEND) ? dev->backend : "-",
		cell_size(dev, ZSV_A_DEV_MEM_TOTAL, dev->mem_total_bytes, total,
			  sizeof(total)),
		cell_size(dev, ZSV_A_DEV_MEM_RESERVED, dev->mem_reserved_bytes,
			  reserved, sizeof(reserved)),
		cell_mem_free(dev, mem_free, sizeof(mem_free)),
		cell_size(dev, ZSV_A_DEV_MEM_SHARED, dev->mem_shared_bytes,
			  shared, sizeof(shared)),
		cell_ratio(dev, oversub, sizeof(oversub)),
		cell_size(dev, ZSV_A_DEV_MEM_USED, dev->mem_used_bytes, used,
			  sizeof(used)),
		cell_u32(dev, ZSV_A_DEV_ENGINES, dev->engines, engines,
			 sizeof(engines)),
		cell_policy(dev, policy, sizeof(policy)),
		cell_duration(dev, ZSV_A_DEV_TIMESLICE_NS, dev->timeslice_ns,
			      timeslice, sizeof(timeslice)),
		cell_u32(dev, ZSV_A_DEV_SLICE_COUNT, dev->slice_count, slices,
			 sizeof(slices)),
		cell_size(dev, ZSV_A_DEV_HEADROOM_RESERVED,
			  dev->headroom_reserved_bytes, room_res,
			  sizeof(room_res)),
		cell_size(dev, ZSV_A_DEV_HEADROOM_SHARED,
			  dev->headroom_shared_bytes, room_shr,
			  sizeof(room_shr)),
		cell_pct(dev, ZSV_A_DEV_HEADROOM_ENGINE_PCT,
			 dev->headroom_engine_pct, room_eng, sizeof(room_eng)),
	};

	return table_add_row(t, cells);
}

/* ------------------------------------------------------------------ */
/* Commands */

static int dev_cmp_id(const void *a, const void *b)
{
	const struct zsv_dev_info *x = *(const struct zsv_dev_info *const *)a;
	const struct zsv_dev_info *y = *(const struct zsv_dev_info *const *)b;

	return (x->id > y->id) - (x->id < y->id);
}

static int dev_list_json(struct zsvctl *ctl, struct zsv_dev_info **devs,
			 size_t count)
{
	struct json_object *array = json_object_new_array();
	size_t i;

	for (i = 0; array && i < count; i++) {
		struct json_object *obj = dev_to_json(devs[i]);

		if (!obj || json_object_array_add(array, obj)) {
			json_object_put(obj);
			json_object_put(array);
			array = NULL;
		}
	}
	return zsvctl_json_print(ctl, array);
}

static int dev_list_table(struct zsvctl *ctl, struct zsv_dev_info **devs,
			  size_t count)
{
	struct table t;
	size_t i;
	int err;

	table_init(&t, dev_cols, DEV_COLS);
	for (i = 0; i < count; i++) {
		err = dev_table_add(&t, devs[i]);
		if (err) {
			table_free(&t);
			return zsvctl_fail(ctl, err, "cannot build the table");
		}
	}
	table_print(&t, stdout);
	table_free(&t);
	return ZSVCTL_EXIT_OK;
}

static int dev_list_main(struct zsvctl *ctl, int argc, char **argv)
{
	struct zsv_dev_info **devs;
	size_t count;
	int ret, err;

	if (argc)
		return zsvctl_usage_error(dev_usage, "unexpected argument '%s'",
					  argv[0]);
	ret = zsvctl_connect(ctl);
	if (ret)
		return ret;
	err = zsv_dev_list(ctl->zh, &devs, &count);
	if (err)
		return zsvctl_fail(ctl, err, "cannot list devices");
	qsort(devs, count, sizeof(*devs), dev_cmp_id);
	if (ctl->json)
		ret = dev_list_json(ctl, devs, count);
	else
		ret = dev_list_table(ctl, devs, count);
	zsv_dev_list_free(devs, count);
	return ret;
}

/* "80G (85899345920 bytes)": the human size, then the exact one. */
static void show_size(const struct zsv_dev_info *dev, const char *label,
		      int attr, uint64_t bytes, bool present)
{
	char human[ZSV_UNIT_STR_MAX];

	if (!present || !zsv_dev_has(dev, attr) ||
	    zsv_format_size(bytes, human, sizeof(human))) {
		printf("%-14s-\n", label);
		return;
	}
	printf("%-14s%s (%" PRIu64 " bytes)\n", label, human, bytes);
}

/* "1.5 (150%)": the ratio, then the percent the kernel keeps. */
static void show_ratio(const struct zsv_dev_info *dev, const char *label)
{
	char ratio[ZSV_UNIT_STR_MAX];

	if (!zsv_dev_has(dev, ZSV_A_DEV_OVERSUB_PCT) ||
	    zsv_format_ratio(dev->oversub_pct, ratio, sizeof(ratio))) {
		printf("%-14s-\n", label);
		return;
	}
	printf("%-14s%s (%" PRIu32 "%%)\n", label, ratio, dev->oversub_pct);
}

/* "1.2s (1234567890 ns)": the human duration, then the exact one. */
static void show_busy(const struct zsv_dev_info *dev)
{
	char human[ZSV_UNIT_STR_MAX];

	if (!zsv_dev_has(dev, ZSV_A_DEV_BUSY_NS) ||
	    zsvctl_format_duration_human(dev->busy_ns, human, sizeof(human))) {
		printf("%-14s-\n", "busy:");
		return;
	}
	printf("%-14s%s (%" PRIu64 " ns)\n", "busy:", human, dev->busy_ns);
}

static void dev_show_text(const struct zsv_dev_info *dev)
{
	char buf[ZSV_UNIT_STR_MAX + 32];

	printf("%-14s%s\n", "name:", dev->name);
	printf("%-14s%" PRIu32 "\n", "id:", dev->id);
	printf("%-14s%s\n", "backend:",
	       zsv_dev_has(dev, ZSV_A_DEV_BACKEND) ? dev->backend : "-");
	show_size(dev, "mem total:", ZSV_A_DEV_MEM_TOTAL, dev->mem_total_bytes,
		  true);
	show_size(dev, "mem reserved:", ZSV_A_DEV_MEM_RESERVED,
		  dev->mem_reserved_bytes, true);
	show_size(dev, "mem free:", ZSV_A_DEV_MEM_TOTAL,
		  dev_mem_free_bytes(dev),
		  zsv_dev_has(dev, ZSV_A_DEV_MEM_RESERVED));
	show_size(dev, "mem shared:", ZSV_A_DEV_MEM_SHARED,
		  dev->mem_shared_bytes, true);
	show_ratio(dev, "oversub:");
	show_size(dev, "mem used:", ZSV_A_DEV_MEM_USED, dev->mem_used_bytes,
		  true);
	show_size(dev, "room resv:", ZSV_A_DEV_HEADROOM_RESERVED,
		  dev->headroom_reserved_bytes, true);
	show_size(dev, "room shrd:", ZSV_A_DEV_HEADROOM_SHARED,
		  dev->headroom_shared_bytes, true);
	printf("%-14s%s\n", "room eng:",
	       cell_pct(dev, ZSV_A_DEV_HEADROOM_ENGINE_PCT,
			dev->headroom_engine_pct, buf, sizeof(buf)));
	printf("%-14s%s\n", "engines:",
	       cell_u32(dev, ZSV_A_DEV_ENGINES, dev->engines, buf,
			sizeof(buf)));
	printf("%-14s%s\n", "policy:", cell_policy(dev, buf, sizeof(buf)));
	printf("%-14s%s\n", "timeslice:",
	       cell_duration(dev, ZSV_A_DEV_TIMESLICE_NS, dev->timeslice_ns,
			     buf, sizeof(buf)));
	printf("%-14s%s\n", "period:",
	       cell_duration(dev, ZSV_A_DEV_PERIOD_NS, dev->period_ns, buf,
			     sizeof(buf)));
	printf("%-14s%s\n", "slices:",
	       cell_u32(dev, ZSV_A_DEV_SLICE_COUNT, dev->slice_count, buf,
			sizeof(buf)));
	show_busy(dev);
	if (zsv_dev_has(dev, ZSV_A_DEV_JOBS_COMPLETED))
		printf("%-14s%" PRIu64 " completed\n",
		       "jobs:", dev->jobs_completed);
	else
		printf("%-14s-\n", "jobs:");
}

/*
 * "zsvctl: cannot VERB device 'NAME': why"; ENODEV without the kernel's
 * message meant that there is no such device.
 */
static int dev_fail(struct zsvctl *ctl, int err, const char *verb,
		    const char *name)
{
	if (err == -ENODEV && !zsv_ext_msg(ctl->zh)) {
		fprintf(stderr,
			"zsvctl: cannot %s device '%s': no device named '%s'\n",
			verb, name, name);
		return ZSVCTL_EXIT_FAIL;
	}
	return zsvctl_fail(ctl, err, "cannot %s device '%s'", verb, name);
}

/*
 * "dev show -j": the device and, when sysfs has a mdev_supported_types
 * directory for it, "mdev_types".  Only here: monitor events come from
 * netlink and print dev_to_json() alone.
 */
static struct json_object *dev_show_json(const struct zsv_dev_info *dev,
					 const struct mdev_types *types,
					 bool has_types)
{
	struct json_object *obj = dev_to_json(dev), *array;

	if (!obj || !has_types)
		return obj;
	array = mdev_types_to_json(types);
	if (!array || json_object_object_add(obj, "mdev_types", array)) {
		json_object_put(array);
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

static int dev_show_main(struct zsvctl *ctl, int argc, char **argv)
{
	char err_msg[ARGS_ERR_MAX], types_err[MDEV_TYPES_ERR_MAX];
	struct mdev_types types;
	struct zsv_dev_info *dev;
	const char *name;
	bool has_types;
	int ret, err;

	if (argc < 1)
		return zsvctl_usage_error(dev_usage, "dev show needs a NAME");
	if (argc > 1)
		return zsvctl_usage_error(dev_usage, "unexpected argument '%s'",
					  argv[1]);
	name = argv[0];
	if (args_name("device", name, err_msg, sizeof(err_msg)))
		return zsvctl_usage_error(dev_usage, "%s", err_msg);
	ret = zsvctl_connect(ctl);
	if (ret)
		return ret;
	err = zsv_dev_get_by_name(ctl->zh, name, &dev);
	if (err)
		return dev_fail(ctl, err, "show", name);
	/* Read before printing: a failure prints nothing on stdout. */
	err = mdev_types_read(zsvctl_sysfs_root(), dev->name, &types, types_err,
			      sizeof(types_err));
	if (err && err != -ENOENT) {
		fprintf(stderr,
			"zsvctl: cannot read the mdev types of device '%s': %s\n",
			dev->name, types_err);
		zsv_dev_info_free(dev);
		return ZSVCTL_EXIT_FAIL;
	}
	has_types = !err;
	if (ctl->json) {
		ret = zsvctl_json_print(ctl,
					dev_show_json(dev, &types, has_types));
	} else {
		dev_show_text(dev);
		if (has_types)
			mdev_types_print(stdout, &types);
	}
	mdev_types_free(&types);
	zsv_dev_info_free(dev);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Changes */

static int dev_set_main(struct zsvctl *ctl, int argc, char **argv)
{
	static const char doing[] = "changing a device";
	char err_msg[ARGS_ERR_MAX];
	struct dev_set_args a;
	int ret, err;

	if (args_dev_set(argc, argv, &a, err_msg, sizeof(err_msg)))
		return zsvctl_usage_error(dev_usage, "%s", err_msg);
	ret = zsvctl_connect_admin(ctl, doing);
	if (ret)
		return ret;
	err = zsv_dev_set(ctl->zh, a.name, &a.params);
	if (err == -EPERM)
		return zsvctl_no_admin(doing);
	if (err)
		return dev_fail(ctl, err, "change", a.name);
	return ZSVCTL_EXIT_OK;
}

static int dev_add_main(struct zsvctl *ctl, int argc, char **argv)
{
	static const char doing[] = "adding a device";
	char err_msg[ARGS_ERR_MAX];
	struct zsv_dev_params p;
	struct zsv_dev_info *dev;
	int ret, err;

	if (args_dev_add(argc, argv, &p, err_msg, sizeof(err_msg)))
		return zsvctl_usage_error(dev_usage, "%s", err_msg);
	ret = zsvctl_connect_admin(ctl, doing);
	if (ret)
		return ret;
	err = zsv_dev_new(ctl->zh, &p, &dev);
	if (err == -EPERM)
		return zsvctl_no_admin(doing);
	if (err)
		return zsvctl_fail(ctl, err, "cannot add a device");
	if (ctl->json)
		ret = zsvctl_json_print(ctl, dev_to_json(dev));
	else
		dev_show_text(dev);
	zsv_dev_info_free(dev);
	return ret;
}

static int dev_del_main(struct zsvctl *ctl, int argc, char **argv)
{
	static const char doing[] = "removing a device";
	char err_msg[ARGS_ERR_MAX];
	int ret, err;

	if (argc < 1)
		return zsvctl_usage_error(dev_usage, "dev del needs a NAME");
	if (argc > 1)
		return zsvctl_usage_error(dev_usage, "unexpected argument '%s'",
					  argv[1]);
	if (args_name("device", argv[0], err_msg, sizeof(err_msg)))
		return zsvctl_usage_error(dev_usage, "%s", err_msg);
	ret = zsvctl_connect_admin(ctl, doing);
	if (ret)
		return ret;
	err = zsv_dev_del(ctl->zh, argv[0]);
	if (err == -EPERM)
		return zsvctl_no_admin(doing);
	if (err)
		return dev_fail(ctl, err, "remove", argv[0]);
	return ZSVCTL_EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* Events */

void dev_print_line(FILE *f, const struct zsv_dev_info *dev)
{
	char buf[ZSV_UNIT_STR_MAX + 16];

	fputs(dev->name, f);
	if (zsv_dev_has(dev, ZSV_A_DEV_ID))
		fprintf(f, " id %" PRIu32, dev->id);
	if (zsv_dev_has(dev, ZSV_A_DEV_BACKEND))
		fprintf(f, " backend %s", dev->backend);
	if (zsv_dev_has(dev, ZSV_A_DEV_MEM_TOTAL) &&
	    !zsv_format_size_exact(dev->mem_total_bytes, buf, sizeof(buf)))
		fprintf(f, " mem %s", buf);
	if (zsv_dev_has(dev, ZSV_A_DEV_ENGINES))
		fprintf(f, " engines %" PRIu32, dev->engines);
	if (zsv_dev_has(dev, ZSV_A_DEV_POLICY))
		fprintf(f, " policy %s",
			policy_str(dev->policy, buf, sizeof(buf)));
	if (zsv_dev_has(dev, ZSV_A_DEV_TIMESLICE_NS) &&
	    !zsv_format_duration(dev->timeslice_ns, buf, sizeof(buf)))
		fprintf(f, " timeslice %s", buf);
	if (zsv_dev_has(dev, ZSV_A_DEV_PERIOD_NS) &&
	    !zsv_format_duration(dev->period_ns, buf, sizeof(buf)))
		fprintf(f, " period %s", buf);
	if (zsv_dev_has(dev, ZSV_A_DEV_OVERSUB_PCT) &&
	    !zsv_format_ratio(dev->oversub_pct, buf, sizeof(buf)))
		fprintf(f, " oversub %s", buf);
	if (zsv_dev_has(dev, ZSV_A_DEV_SLICE_COUNT))
		fprintf(f, " slices %" PRIu32, dev->slice_count);
}
