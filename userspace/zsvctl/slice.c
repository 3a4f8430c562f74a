// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsvctl slice: slices, the virtual accelerators carved from devices.
 *
 *   zsvctl slice create [DEV] name NAME mem SIZE [mode reserved|shared]
 *	[weight N] [cap PCT] [timeslice DUR|default] [owner USER|UID]
 *	[group GROUP|GID] [perm OCTAL] [tenant TENANT]
 *   zsvctl slice [list] [dev DEV]
 *   zsvctl slice show NAME
 *   zsvctl slice set NAME [mem SIZE] [weight N] [cap PCT]
 *	[timeslice DUR|default] [owner USER|UID] [group GROUP|GID] [perm OCTAL]
 *	[tenant TENANT|none]
 *   zsvctl slice destroy NAME [force]
 *
 * JSON: "slice list" prints an array of slice objects, "slice show" and
 * "slice create" one slice object; raw numbers (bytes, ns, ppm), see
 * slice_to_json() and zsvctl(8).  create, set and destroy keep the CDI spec current (cdi.c).
 */
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json_object.h>

#include "args.h"
#include "table.h"
#include "zsvctl.h"

static int slice_create_main(struct zsvctl *ctl, int argc, char **argv);
static int slice_list_main(struct zsvctl *ctl, int argc, char **argv);
static int slice_show_main(struct zsvctl *ctl, int argc, char **argv);
static int slice_set_main(struct zsvctl *ctl, int argc, char **argv);
static int slice_destroy_main(struct zsvctl *ctl, int argc, char **argv);
static int slice_help_main(struct zsvctl *ctl, int argc, char **argv);

/* Append only: the order decides what an abbreviation means. */
static const struct zsvctl_cmd slice_cmds[] = {
	{ "create", slice_create_main, NULL, "carve a slice out of a device" },
	{ "list", slice_list_main, NULL,
	  "list every slice, or a device's (the default)" },
	{ "show", slice_show_main, NULL, "show every field of one slice" },
	{ "set", slice_set_main, NULL,
	  "change a slice's limits or owner, live" },
	{ "destroy", slice_destroy_main, NULL, "destroy a slice" },
	{ "help", slice_help_main, NULL, "this help" },
	{ .name = NULL },
};

void slice_usage(FILE *f)
{
	fputs("Usage: zsvctl [OPTIONS] slice create [DEV] name NAME mem SIZE [mode reserved|shared]\n"
	      "                      [weight N] [cap PCT] [timeslice DUR|default]\n"
	      "                      [owner USER|UID] [group GROUP|GID] [perm OCTAL]\n"
	      "                      [placement spread|binpack] [backend B] [tenant TENANT]\n"
	      "       zsvctl [OPTIONS] slice [list] [dev DEV]\n"
	      "       zsvctl [OPTIONS] slice show NAME\n"
	      "       zsvctl slice set NAME [mem SIZE] [weight N] [cap PCT] [timeslice DUR|default]\n"
	      "                      [owner USER|UID] [group GROUP|GID] [perm OCTAL]\n"
	      "                      [tenant TENANT|none]\n"
	      "       zsvctl slice destroy NAME [force]\n"
	      "       zsvctl slice help\n"
	      "\n"
	      "Commands:\n",
	      f);
	zsvctl_cmds_print(f, slice_cmds);
	fputs("\n"
	      "mem is a binary size (4G, 512M); mode reserved (the default) carves it out of\n"
	      "the device, shared makes it a quota over the unreserved memory.  weight is\n"
	      "1 to 10000 (default 100), cap 1% to 100% (default 100%), timeslice 100us to 1s\n"
	      "or default (the device's).  owner, group and perm (default 0600) are those of\n"
	      "the slice's node, /dev/zsv/NAME.  destroy fails while the node is open, unless\n"
	      "force: open files are then revoked.  create, set and destroy need CAP_NET_ADMIN.\n"
	      "Without DEV the kernel picks the device (placement spread, the default: the\n"
	      "most headroom left; binpack: the least that fits), only of backend B if given.\n"
	      "MDEV is - for a slice made here, yes for a VFIO mediated device (zsv_mdev),\n"
	      "open while a VFIO user (a VM) holds it; remove those with mdevctl stop.\n"
	      "tenant counts the slice against a tenant's limits (zsvctl tenant); on set,\n"
	      "none takes it out of its tenant.  TENANT is - for a slice in none.\n",
	      f);
}

int slice_main(struct zsvctl *ctl, int argc, char **argv)
{
	return zsvctl_dispatch(ctl, slice_cmds, "list", slice_usage, argc,
			       argv);
}

static int slice_help_main(struct zsvctl *ctl, int argc, char **argv)
{
	(void)ctl;
	if (argc)
		return zsvctl_usage_error(slice_usage,
					  "unexpected argument '%s'", argv[0]);
	slice_usage(stdout);
	return ZSVCTL_EXIT_OK;
}

/* A memory mode by name; "unknown(N)" for a value newer than libzsv. */
static const char *mem_mode_str(uint32_t mode, char *buf, size_t len)
{
	const char *name = zsv_mem_mode_name(mode);

	if (name)
		return name;
	snprintf(buf, len, "unknown(%" PRIu32 ")", mode);
	return buf;
}

/*
 * Is the slice in a tenant?  The kernel leaves the attribute out when it
 * is not; a struct made by hand (tests, fuzzers) may set the bit with no
 * name, which is none either.
 */
bool slice_has_tenant(const struct zsv_slice_info *slice)
{
	return zsv_slice_has(slice, ZSV_A_SLICE_TENANT) && slice->tenant &&
	       *slice->tenant;
}

/* Was the slice made in a group?  The same rule as slice_has_tenant(). */
bool slice_has_group(const struct zsv_slice_info *slice)
{
	return zsv_slice_has(slice, ZSV_A_SLICE_GROUP) && slice->group &&
	       *slice->group;
}

/* ------------------------------------------------------------------ */
/* JSON */

static bool json_add_u64(struct json_object *obj,
			 const struct zsv_slice_info *slice, const char *key,
			 int attr, uint64_t val)
{
	return zsvctl_json_add_u64(obj, key, zsv_slice_has(slice, attr), val);
}

static bool json_add_str(struct json_object *obj,
			 const struct zsv_slice_info *slice, const char *key,
			 int attr, const char *val)
{
	return zsvctl_json_add_str(obj, key, zsv_slice_has(slice, attr), val);
}

/* @key is true or false; never null. */
static bool json_add_bool(struct json_object *obj, const char *key, bool val)
{
	struct json_object *v = json_object_new_boolean(val);

	if (!v || json_object_object_add(obj, key, v)) {
		json_object_put(v);
		return false;
	}
	return true;
}

/*
 * One slice.  Keys are the netlink attribute names in snake_case (the
 * device's name is "dev") and never change meaning; a key is null when
 * the kernel did not report the attribute, except the booleans
 * "mediated" and "vfio_open", false when a kernel without zsv_mdev's
 * attributes leaves them out.  "tenant" is null for a slice in no
 * tenant, "group" for one made by slice create.  NULL when out of
 * memory.
 */
struct json_object *slice_to_json(const struct zsv_slice_info *slice)
{
	struct json_object *obj = json_object_new_object();
	char buf[32];

	if (!obj)
		return NULL;
	if (json_add_u64(obj, slice, "id", ZSV_A_SLICE_ID, slice->id) &&
	    json_add_str(obj, slice, "name", ZSV_A_SLICE_NAME, slice->name) &&
	    json_add_u64(obj, slice, "dev_id", ZSV_A_SLICE_DEV_ID,
			 slice->dev_id) &&
	    json_add_str(obj, slice, "dev", ZSV_A_SLICE_DEV_NAME,
			 slice->dev_name) &&
	    json_add_u64(obj, slice, "mem_bytes", ZSV_A_SLICE_MEM_BYTES,
			 slice->mem_bytes) &&
	    json_add_str(obj, slice, "mem_mode", ZSV_A_SLICE_MEM_MODE,
			 mem_mode_str(slice->mem_mode, buf, sizeof(buf))) &&
	    json_add_u64(obj, slice, "weight", ZSV_A_SLICE_WEIGHT,
			 slice->weight) &&
	    json_add_u64(obj, slice, "cap_pct", ZSV_A_SLICE_CAP_PCT,
			 slice->cap_pct) &&
	    json_add_u64(obj, slice, "timeslice_ns", ZSV_A_SLICE_TIMESLICE_NS,
			 slice->timeslice_ns) &&
	    json_add_u64(obj, slice, "uid", ZSV_A_SLICE_UID, slice->uid) &&
	    json_add_u64(obj, slice, "gid", ZSV_A_SLICE_GID, slice->gid) &&
	    json_add_u64(obj, slice, "node_mode", ZSV_A_SLICE_NODE_MODE,
			 slice->node_mode) &&
	    json_add_str(obj, slice, "node", ZSV_A_SLICE_NODE, slice->node) &&
	    json_add_u64(obj, slice, "contexts", ZSV_A_SLICE_CONTEXTS,
			 slice->contexts) &&
	    json_add_u64(obj, slice, "mem_used", ZSV_A_SLICE_MEM_USED,
			 slice->mem_used_bytes) &&
	    json_add_u64(obj, slice, "mem_peak", ZSV_A_SLICE_MEM_PEAK,
			 slice->mem_peak_bytes) &&
	    json_add_u64(obj, slice, "quota_hits", ZSV_A_SLICE_QUOTA_HITS,
			 slice->quota_hits) &&
	    json_add_u64(obj, slice, "busy_ns", ZSV_A_SLICE_BUSY_NS,
			 slice->busy_ns) &&
	    json_add_u64(obj, slice, "jobs_submitted",
			 ZSV_A_SLICE_JOBS_SUBMITTED, slice->jobs_submitted) &&
	    json_add_u64(obj, slice, "jobs_completed",
			 ZSV_A_SLICE_JOBS_COMPLETED, slice->jobs_completed) &&
	    json_add_u64(obj, slice, "jobs_failed", ZSV_A_SLICE_JOBS_FAILED,
			 slice->jobs_failed) &&
	    json_add_u64(obj, slice, "throttled_ns", ZSV_A_SLICE_THROTTLED_NS,
			 slice->throttled_ns) &&
	    json_add_u64(obj, slice, "ctx_switches", ZSV_A_SLICE_CTX_SWITCHES,
			 slice->ctx_switches) &&
	    json_add_u64(obj, slice, "share_promised_ppm",
			 ZSV_A_SLICE_SHARE_PROMISED_PPM,
			 slice->share_promised_ppm) &&
	    json_add_u64(obj, slice, "share_delivered_ppm",
			 ZSV_A_SLICE_SHARE_DELIVERED_PPM,
			 slice->share_delivered_ppm) &&
	    json_add_bool(obj, "mediated", slice->mediated) &&
	    json_add_bool(obj, "vfio_open", slice->vfio_open) &&
	    zsvctl_json_add_str(obj, "tenant", slice_has_tenant(slice),
				slice->tenant) &&
	    zsvctl_json_add_str(obj, "group", slice_has_group(slice),
				slice->group))
		return obj;
	json_object_put(obj);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Text */

/* Cell text for people; "-" when the kernel did not report @attr. */
static const char *cell_size(const struct zsv_slice_info *slice, int attr,
			     uint64_t bytes, char *buf, size_t len)
{
	if (!zsv_slice_has(slice, attr) || zsv_format_size(bytes, buf, len))
		return "-";
	return buf;
}

static const char *cell_u32(const struct zsv_slice_info *slice, int attr,
			    uint32_t val, char *buf, size_t len)
{
	if (!zsv_slice_has(slice, attr))
		return "-";
	snprintf(buf, len, "%" PRIu32, val);
	return buf;
}

static const char *cell_str(const struct zsv_slice_info *slice, int attr,
			    const char *val)
{
	return zsv_slice_has(slice, attr) ? val : "-";
}

static const char *cell_mode(const struct zsv_slice_info *slice, char *buf,
			     size_t len)
{
	if (!zsv_slice_has(slice, ZSV_A_SLICE_MEM_MODE))
		return "-";
	return mem_mode_str(slice->mem_mode, buf, len);
}

static const char *cell_cap(const struct zsv_slice_info *slice, char *buf,
			    size_t len)
{
	if (!zsv_slice_has(slice, ZSV_A_SLICE_CAP_PCT))
		return "-";
	snprintf(buf, len, "%" PRIu32 "%%", slice->cap_pct);
	return buf;
}

/* 0 is the device's timeslice: "default". */
static const char *cell_timeslice(const struct zsv_slice_info *slice, char *buf,
				  size_t len)
{
	if (!zsv_slice_has(slice, ZSV_A_SLICE_TIMESLICE_NS))
		return "-";
	if (!slice->timeslice_ns)
		return "default";
	if (zsv_format_duration(slice->timeslice_ns, buf, len))
		return "-";
	return buf;
}

/* "24.8/25.0%": delivered over promised, the last period. */
static const char *cell_share(const struct zsv_slice_info *slice, char *buf,
			      size_t len)
{
	char delivered[16], promised[16];
	size_t n;

	if (!zsv_slice_has(slice, ZSV_A_SLICE_SHARE_DELIVERED_PPM) ||
	    !zsv_slice_has(slice, ZSV_A_SLICE_SHARE_PROMISED_PPM) ||
	    zsvctl_format_ppm_pct(slice->share_delivered_ppm, delivered,
				  sizeof(delivered)) ||
	    zsvctl_format_ppm_pct(slice->share_promised_ppm, promised,
				  sizeof(promised)))
		return "-";
	/* One percent sign, at the end. */
	n = strlen(delivered);
	delivered[n - 1] = '\0';
	snprintf(buf, len, "%s/%s", delivered, promised);
	return buf;
}

const char *slice_mdev_str(const struct zsv_slice_info *slice)
{
	if (!slice->mediated)
		return "-";
	return slice->vfio_open ? "open" : "yes";
}

static const char *cell_perm(const struct zsv_slice_info *slice, char *buf,
			     size_t len)
{
	if (!zsv_slice_has(slice, ZSV_A_SLICE_NODE_MODE))
		return "-";
	snprintf(buf, len, "%04" PRIo32, slice->node_mode);
	return buf;
}

/* clang-format off */
static const struct table_col slice_cols[] = {
	{ "NAME", false },
	{ "ID", true },
	{ "DEV", false },
	{ "MEM", true },
	{ "MODE", false },
	{ "USED", true },
	{ "WEIGHT", true },
	{ "CAP", true },
	{ "SHARE", true },
	{ "TIMESLICE", true },
	{ "CONTEXTS", true },
	{ "MDEV", false },
	{ "NODE", false },
	{ "TENANT", false },
};
/* clang-format on */

#define SLICE_COLS (sizeof(slice_cols) / sizeof(slice_cols[0]))

static int slice_table_add(struct table *t, const struct zsv_slice_info *slice)
{
	char id[16], mem[ZSV_UNIT_STR_MAX], mode[32], used[ZSV_UNIT_STR_MAX];
	char weight[16], cap[16], share[40], timeslice[ZSV_UNIT_STR_MAX];
	char contexts[16];
	const char *cells[SLICE_COLS] = {
		slice->name,
		cell_u32(slice, ZSV_A_SLICE_ID, slice->id, id, sizeof(id)),
		cell_str(slice, ZSV_A_SLICE_DEV_NAME, slice->dev_name),
		cell_size(slice, ZSV_A_SLICE_MEM_BYTES, slice->mem_bytes, mem,
			  sizeof(mem)),
		cell_mode(slice, mode, sizeof(mode)),
		cell_size(slice, ZSV_A_SLICE_MEM_USED, slice->mem_used_bytes,
			  used, sizeof(used)),
		cell_u32(slice, ZSV_A_SLICE_WEIGHT, slice->weight, weight,
			 sizeof(weight)),
		cell_cap(slice, cap, sizeof(cap)),
		cell_share(slice, share, sizeof(share)),
		cell_timeslice(slice, timeslice, sizeof(timeslice)),
		cell_u32(slice, ZSV_A_SLICE_CONTEXTS, slice->contexts, contexts,
			 sizeof(contexts)),
		slice_mdev_str(slice),
		cell_str(slice, ZSV_A_SLICE_NODE, slice->node),
		slice_has_tenant(slice) ? slice->tenant : "-",
	};

	return table_add_row(t, cells);
}

/* "4G (4294967296 bytes)": the human size, then the exact one. */
static void show_size(const struct zsv_slice_info *slice, const char *label,
		      int attr, uint64_t bytes)
{
	char human[ZSV_UNIT_STR_MAX];

	if (!zsv_slice_has(slice, attr) ||
	    zsv_format_size(bytes, human, sizeof(human))) {
		printf("%-14s-\n", label);
		return;
	}
	printf("%-14s%s (%" PRIu64 " bytes)\n", label, human, bytes);
}

/* "1000 (alice)": the id, then its name when the user database has one. */
static void show_id(const struct zsv_slice_info *slice, const char *label,
		    int attr, uint32_t id, bool user)
{
	const char *name = NULL;
	struct passwd *pw;
	struct group *gr;

	if (!zsv_slice_has(slice, attr)) {
		printf("%-14s-\n", label);
		return;
	}
	if (user) {
		pw = getpwuid((uid_t)id);
		name = pw ? pw->pw_name : NULL;
	} else {
		gr = getgrgid((gid_t)id);
		name = gr ? gr->gr_name : NULL;
	}
	if (name)
		printf("%-14s%" PRIu32 " (%s)\n", label, id, name);
	else
		printf("%-14s%" PRIu32 "\n", label, id);
}

/* "1.2s (1234567890 ns)": the human duration, then the exact one. */
static void show_duration(const struct zsv_slice_info *slice, const char *label,
			  int attr, uint64_t ns)
{
	char human[ZSV_UNIT_STR_MAX];

	if (!zsv_slice_has(slice, attr) ||
	    zsvctl_format_duration_human(ns, human, sizeof(human))) {
		printf("%-14s-\n", label);
		return;
	}
	printf("%-14s%s (%" PRIu64 " ns)\n", label, human, ns);
}

static void show_u64(const struct zsv_slice_info *slice, const char *label,
		     int attr, uint64_t val)
{
	if (!zsv_slice_has(slice, attr))
		printf("%-14s-\n", label);
	else
		printf("%-14s%" PRIu64 "\n", label, val);
}

/* "12 submitted, 11 completed, 0 failed"; "-" for a count not reported. */
static void show_jobs(const struct zsv_slice_info *slice)
{
	static const struct {
		int attr;
		const char *what;
	} counts[] = {
		{ ZSV_A_SLICE_JOBS_SUBMITTED, "submitted" },
		{ ZSV_A_SLICE_JOBS_COMPLETED, "completed" },
		{ ZSV_A_SLICE_JOBS_FAILED, "failed" },
	};
	const uint64_t vals[] = { slice->jobs_submitted, slice->jobs_completed,
				  slice->jobs_failed };
	bool any = false;
	size_t i;

	for (i = 0; i < 3; i++)
		any |= zsv_slice_has(slice, counts[i].attr);
	if (!any) {
		printf("%-14s-\n", "jobs:");
		return;
	}
	printf("%-14s", "jobs:");
	for (i = 0; i < 3; i++) {
		if (zsv_slice_has(slice, counts[i].attr))
			printf("%s%" PRIu64 " %s", i ? ", " : "", vals[i],
			       counts[i].what);
		else
			printf("%s- %s", i ? ", " : "", counts[i].what);
	}
	putchar('\n');
}

/* "24.8% delivered, 25.0% promised (last period)". */
static void show_share(const struct zsv_slice_info *slice)
{
	char delivered[16] = "-", promised[16] = "-";

	if (!zsv_slice_has(slice, ZSV_A_SLICE_SHARE_DELIVERED_PPM) &&
	    !zsv_slice_has(slice, ZSV_A_SLICE_SHARE_PROMISED_PPM)) {
		printf("%-14s-\n", "share:");
		return;
	}
	if (zsv_slice_has(slice, ZSV_A_SLICE_SHARE_DELIVERED_PPM))
		zsvctl_format_ppm_pct(slice->share_delivered_ppm, delivered,
				      sizeof(delivered));
	if (zsv_slice_has(slice, ZSV_A_SLICE_SHARE_PROMISED_PPM))
		zsvctl_format_ppm_pct(slice->share_promised_ppm, promised,
				      sizeof(promised));
	printf("%-14s%s delivered, %s promised (last period)\n",
	       "share:", delivered, promised);
}

static void slice_show_text(const struct zsv_slice_info *slice)
{
	char buf[ZSV_UNIT_STR_MAX + 32];

	printf("%-14s%s\n", "name:", slice->name);
	printf("%-14s%" PRIu32 "\n", "id:", slice->id);
	printf("%-14s%s\n",
	       "dev:", cell_str(slice, ZSV_A_SLICE_DEV_NAME, slice->dev_name));
	show_size(slice, "mem:", ZSV_A_SLICE_MEM_BYTES, slice->mem_bytes);
	printf("%-14s%s\n", "mode:", cell_mode(slice, buf, sizeof(buf)));
	show_size(slice, "mem used:", ZSV_A_SLICE_MEM_USED,
		  slice->mem_used_bytes);
	printf("%-14s%s\n", "weight:",
	       cell_u32(slice, ZSV_A_SLICE_WEIGHT, slice->weight, buf,
			sizeof(buf)));
	printf("%-14s%s\n", "cap:", cell_cap(slice, buf, sizeof(buf)));
	printf("%-14s%s\n",
	       "timeslice:", cell_timeslice(slice, buf, sizeof(buf)));
	show_id(slice, "owner:", ZSV_A_SLICE_UID, slice->uid, true);
	show_id(slice, "group:", ZSV_A_SLICE_GID, slice->gid, false);
	printf("%-14s%s\n", "perm:", cell_perm(slice, buf, sizeof(buf)));
	printf("%-14s%s\n",
	       "node:", cell_str(slice, ZSV_A_SLICE_NODE, slice->node));
	printf("%-14s%s\n", "contexts:",
	       cell_u32(slice, ZSV_A_SLICE_CONTEXTS, slice->contexts, buf,
			sizeof(buf)));
	printf("%-14s%s\n", "mdev:", slice_mdev_str(slice));
	printf("%-14s%s\n", "tenant:",
	       slice_has_tenant(slice) ? slice->tenant : "-");
	/* "group:" is the node's; a slice of a group says which here. */
	if (slice_has_group(slice))
		printf("%-14s%s\n", "in group:", slice->group);
	show_size(slice, "mem peak:", ZSV_A_SLICE_MEM_PEAK,
		  slice->mem_peak_bytes);
	show_u64(slice, "quota hits:", ZSV_A_SLICE_QUOTA_HITS,
		 slice->quota_hits);
	show_duration(slice, "busy:", ZSV_A_SLICE_BUSY_NS, slice->busy_ns);
	show_jobs(slice);
	show_duration(slice, "throttled:", ZSV_A_SLICE_THROTTLED_NS,
		      slice->throttled_ns);
	show_u64(slice, "ctx switches:", ZSV_A_SLICE_CTX_SWITCHES,
		 slice->ctx_switches);
	show_share(slice);
}

void slice_print_line(FILE *f, const struct zsv_slice_info *slice)
{
	char buf[ZSV_UNIT_STR_MAX + 16];

	fputs(slice->name, f);
	if (zsv_slice_has(slice, ZSV_A_SLICE_ID))
		fprintf(f, " id %" PRIu32, slice->id);
	if (zsv_slice_has(slice, ZSV_A_SLICE_DEV_NAME))
		fprintf(f, " dev %s", slice->dev_name);
	/* Exact sizes, so that the line reads back as a command would. */
	if (zsv_slice_has(slice, ZSV_A_SLICE_MEM_BYTES) &&
	    !zsv_format_size_exact(slice->mem_bytes, buf, sizeof(buf)))
		fprintf(f, " mem %s", buf);
	if (zsv_slice_has(slice, ZSV_A_SLICE_MEM_MODE))
		fprintf(f, " mode %s", cell_mode(slice, buf, sizeof(buf)));
	if (zsv_slice_has(slice, ZSV_A_SLICE_WEIGHT))
		fprintf(f, " weight %" PRIu32, slice->weight);
	if (zsv_slice_has(slice, ZSV_A_SLICE_CAP_PCT))
		fprintf(f, " cap %s", cell_cap(slice, buf, sizeof(buf)));
	if (zsv_slice_has(slice, ZSV_A_SLICE_TIMESLICE_NS))
		fprintf(f, " timeslice %s",
			cell_timeslice(slice, buf, sizeof(buf)));
	if (zsv_slice_has(slice, ZSV_A_SLICE_UID))
		fprintf(f, " owner %" PRIu32, slice->uid);
	if (zsv_slice_has(slice, ZSV_A_SLICE_GID))
		fprintf(f, " group %" PRIu32, slice->gid);
	if (zsv_slice_has(slice, ZSV_A_SLICE_NODE_MODE))
		fprintf(f, " perm %s", cell_perm(slice, buf, sizeof(buf)));
	if (zsv_slice_has(slice, ZSV_A_SLICE_NODE))
		fprintf(f, " node %s", slice->node);
	if (slice_has_tenant(slice))
		fprintf(f, " tenant %s", slice->tenant);
}

/* ------------------------------------------------------------------ */
/* Commands */

/*
 * "zsvctl: cannot VERB slice 'NAME': why"; without the kernel's message,
 * ENOENT and ENODEV meant that there is no such slice.
 */
static int slice_fail(struct zsvctl *ctl, int err, const char *verb,
		      const char *name)
{
	if ((err == -ENOENT || err == -ENODEV) && !zsv_ext_msg(ctl->zh)) {
		fprintf(stderr,
			"zsvctl: cannot %s slice '%s': no slice named '%s'\n",
			verb, name, name);
		return ZSVCTL_EXIT_FAIL;
	}
	return zsvctl_fail(ctl, err, "cannot %s slice '%s'", verb, name);
}

static int slice_create_main(struct zsvctl *ctl, int argc, char **argv)
{
	static const char doing[] = "creating a slice";
	struct slice_create_args a;
	char err_msg[ARGS_ERR_MAX];
	struct zsv_slice_info *slice;
	int ret, err;

	if (args_slice_create(argc, argv, &a, err_msg, sizeof(err_msg)))
		return zsvctl_usage_error(slice_usage, "%s", err_msg);
	ret = zsvctl_connect_admin(ctl, doing);
	if (ret)
		return ret;
	if (a.dev)
		err = zsv_slice_create(ctl->zh, a.dev, a.name, &a.params,
				       &slice);
	else
		err = zsv_slice_place(ctl->zh, a.name, a.placement, a.backend,
				      &a.params, &slice);
	if (err == -EPERM)
		return zsvctl_no_admin(doing);
	if (err == -ENODEV && a.dev && !zsv_ext_msg(ctl->zh)) {
		fprintf(stderr,
			"zsvctl: cannot create slice '%s': no device named '%s'\n",
			a.name, a.dev);
		return ZSVCTL_EXIT_FAIL;
	}
	if (err)
		return zsvctl_fail(ctl, err, "cannot create slice '%s'",
				   a.name);
	if (ctl->json)
		ret = zsvctl_json_print(ctl, slice_to_json(slice));
	else
		slice_show_text(slice);
	zsv_slice_info_free(slice);
	cdi_refresh(ctl);
	return ret;
}

static int slice_cmp_id(const void *a, const void *b)
{
	const struct zsv_slice_info *x =
		*(const struct zsv_slice_info *const *)a;
	const struct zsv_slice_info *y =
		*(const struct zsv_slice_info *const *)b;

	return (x->id > y->id) - (x->id < y->id);
}

static int slice_list_json(struct zsvctl *ctl,
			   struct zsv_slice_info *const *slices, size_t count)
{
	struct json_object *array = json_object_new_array();
	size_t i;

	for (i = 0; array && i < count; i++) {
		struct json_object *obj = slice_to_json(slices[i]);

		if (!obj || json_object_array_add(array, obj)) {
			json_object_put(obj);
			json_object_put(array);
			array = NULL;
		}
	}
	return zsvctl_json_print(ctl, array);
}

static int slice_list_table(struct zsvctl *ctl,
			    struct zsv_slice_info *const *slices, size_t count)
{
	struct table t;
	size_t i;
	int err;

	table_init(&t, slice_cols, SLICE_COLS);
	for (i = 0; i < count; i++) {
		err = slice_table_add(&t, slices[i]);
		if (err) {
			table_free(&t);
			return zsvctl_fail(ctl, err, "cannot build the table");
		}
	}
	table_print(&t, stdout);
	table_free(&t);
	return ZSVCTL_EXIT_OK;
}

int slice_list_print(struct zsvctl *ctl, struct zsv_slice_info *const *slices,
		     size_t count)
{
	if (ctl->json)
		return slice_list_json(ctl, slices, count);
	return slice_list_table(ctl, slices, count);
}

static int slice_list_main(struct zsvctl *ctl, int argc, char **argv)
{
	struct zsv_slice_info **slices;
	char err_msg[ARGS_ERR_MAX];
	const char *dev = NULL;
	size_t count;
	int ret, err;

	if (argc >= 1 && !strcmp(argv[0], "dev")) {
		if (argc < 2)
			return zsvctl_usage_error(
				slice_usage,
				"'dev' needs a value: a device name");
		dev = argv[1];
		if (args_name("device", dev, err_msg, sizeof(err_msg)))
			return zsvctl_usage_error(slice_usage, "%s", err_msg);
		argc -= 2;
		argv += 2;
	}
	if (argc)
		return zsvctl_usage_error(slice_usage,
					  "unexpected argument '%s'", argv[0]);
	ret = zsvctl_connect(ctl);
	if (ret)
		return ret;
	err = zsv_slice_list(ctl->zh, dev, &slices, &count);
	if (err == -ENODEV && dev && !zsv_ext_msg(ctl->zh)) {
		fprintf(stderr,
			"zsvctl: cannot list slices: no device named '%s'\n",
			dev);
		return ZSVCTL_EXIT_FAIL;
	}
	if (err)
		return zsvctl_fail(ctl, err, "cannot list slices");
	qsort(slices, count, sizeof(*slices), slice_cmp_id);
	ret = slice_list_print(ctl, slices, count);
	zsv_slice_list_free(slices, count);
	return ret;
}

static int slice_show_main(struct zsvctl *ctl, int argc, char **argv)
{
	struct zsv_slice_info *slice;
	char err_msg[ARGS_ERR_MAX];
	int ret, err;

	if (argc < 1)
		return zsvctl_usage_error(slice_usage,
					  "slice show needs a NAME");
	if (argc > 1)
		return zsvctl_usage_error(slice_usage,
					  "unexpected argument '%s'", argv[1]);
	if (args_name("slice", argv[0], err_msg, sizeof(err_msg)))
		return zsvctl_usage_error(slice_usage, "%s", err_msg);
	ret = zsvctl_connect(ctl);
	if (ret)
		return ret;
	err = zsv_slice_get_by_name(ctl->zh, argv[0], &slice);
	if (err)
		return slice_fail(ctl, err, "show", argv[0]);
	if (ctl->json)
		ret = zsvctl_json_print(ctl, slice_to_json(slice));
	else
		slice_show_text(slice);
	zsv_slice_info_free(slice);
	return ret;
}

static int slice_set_main(struct zsvctl *ctl, int argc, char **argv)
{
	static const char doing[] = "changing a slice";
	struct slice_set_args a;
	char err_msg[ARGS_ERR_MAX];
	int ret, err;

	if (args_slice_set(argc, argv, &a, err_msg, sizeof(err_msg)))
		return zsvctl_usage_error(slice_usage, "%s", err_msg);
	ret = zsvctl_connect_admin(ctl, doing);
	if (ret)
		return ret;
	err = zsv_slice_set(ctl->zh, a.name, &a.params);
	if (err == -EPERM)
		return zsvctl_no_admin(doing);
	if (err)
		return slice_fail(ctl, err, "change", a.name);
	cdi_refresh(ctl);
	return ZSVCTL_EXIT_OK;
}

static int slice_destroy_main(struct zsvctl *ctl, int argc, char **argv)
{
	static const char doing[] = "destroying a slice";
	struct slice_destroy_args a;
	char err_msg[ARGS_ERR_MAX];
	int ret, err;

	if (args_slice_destroy(argc, argv, &a, err_msg, sizeof(err_msg)))
		return zsvctl_usage_error(slice_usage, "%s", err_msg);
	ret = zsvctl_connect_admin(ctl, doing);
	if (ret)
		return ret;
	err = zsv_slice_destroy(ctl->zh, a.name, a.force);
	if (err == -EPERM)
		return zsvctl_no_admin(doing);
	if (err)
		return slice_fail(ctl, err, "destroy", a.name);
	cdi_refresh(ctl);
	return ZSVCTL_EXIT_OK;
}
