// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsvctl stats: Prometheus metrics of every device, slice and tenant.
 *
 *   zsvctl stats [--textfile DIR [--interval DUR]]
 *
 * Without --textfile, the text exposition format on stdout, for a
 * scrape through a wrapper or for people.  With it, DIR/zsv.prom is
 * replaced atomically, for node_exporter's textfile collector; with
 * --interval too, every DUR until SIGTERM, SIGINT or SIGHUP, which end
 * it with status 0 and no temporary file left behind.
 *
 * Names follow Prometheus' conventions (prefix_noun_unit, base units,
 * _total counters, _ratio 0 to 1, _info series of value 1) and are
 * chosen so that alerts written for HAMi and DCGM port by renaming:
 * Documentation/metrics.rst has the table.  Everything comes from the
 * device and slice dumps that "dev" and "slice" print; a sample whose
 * attribute the kernel did not report is left out, never written as 0.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "stats.h"
#include "zsvctl.h"

/* ------------------------------------------------------------------ */
/* The families */

enum stats_unit {
	STATS_PLAIN, /* an integer, written as it is (bytes, counts) */
	STATS_NS, /* nanoseconds, written as seconds */
	STATS_PPM, /* millionths, written as a ratio */
	STATS_PCT, /* percent, written as a ratio */
};

/**
 * struct stats_family - one metric family over devices or slices
 * @name: the metric's name
 * @type: "gauge" or "counter"
 * @help: the HELP text: no backslash, no newline (nothing to escape)
 * @attr: the netlink attribute the value comes from; a device or slice
 *	that did not report it has no sample
 * @offset: of the value in struct zsv_dev_info or struct zsv_slice_info
 * @size: of the value: 4 or 8 bytes
 * @unit: how the value is written
 */
struct stats_family {
	const char *name;
	const char *type;
	const char *help;
	int attr;
	size_t offset;
	size_t size;
	enum stats_unit unit;
};

#define DEV_FIELD(m) \
	offsetof(struct zsv_dev_info, m), sizeof(((struct zsv_dev_info *)0)->m)
#define SLICE_FIELD(m)                      \
	offsetof(struct zsv_slice_info, m), \
		sizeof(((struct zsv_slice_info *)0)->m)

/* clang-format off */
static const struct stats_family dev_families[] = {
	{ "zsv_device_memory_total_bytes", "gauge",
	  "Device memory of the device.",
	  ZSV_A_DEV_MEM_TOTAL, DEV_FIELD(mem_total_bytes), STATS_PLAIN },
	{ "zsv_device_memory_reserved_bytes", "gauge",
	  "Device memory carved out by reserved slices.",
	  ZSV_A_DEV_MEM_RESERVED, DEV_FIELD(mem_reserved_bytes), STATS_PLAIN },
	{ "zsv_device_memory_shared_bytes", "gauge",
	  "Sum of the quotas of the device's shared slices.",
	  ZSV_A_DEV_MEM_SHARED, DEV_FIELD(mem_shared_bytes), STATS_PLAIN },
	{ "zsv_device_memory_used_bytes", "gauge",
	  "Device memory backing live buffer objects, all slices together.",
	  ZSV_A_DEV_MEM_USED, DEV_FIELD(mem_used_bytes), STATS_PLAIN },
	{ "zsv_device_memory_oversubscription_ratio", "gauge",
	  "How far shared quotas may sum past the unreserved memory (1: not at all).",
	  ZSV_A_DEV_OVERSUB_PCT, DEV_FIELD(oversub_pct), STATS_PCT },
	{ "zsv_device_engines", "gauge",
	  "Engines of the device that run jobs.",
	  ZSV_A_DEV_ENGINES, DEV_FIELD(engines), STATS_PLAIN },
	{ "zsv_device_timeslice_seconds", "gauge",
	  "Scheduling quantum of the device.",
	  ZSV_A_DEV_TIMESLICE_NS, DEV_FIELD(timeslice_ns), STATS_NS },
	{ "zsv_device_period_seconds", "gauge",
	  "Accounting period of the device (shares and caps are per period).",
	  ZSV_A_DEV_PERIOD_NS, DEV_FIELD(period_ns), STATS_NS },
	{ "zsv_device_slices", "gauge",
	  "Slices carved from the device.",
	  ZSV_A_DEV_SLICE_COUNT, DEV_FIELD(slice_count), STATS_PLAIN },
	{ "zsv_device_busy_seconds_total", "counter",
	  "Engine time used on the device, summed over its engines.",
	  ZSV_A_DEV_BUSY_NS, DEV_FIELD(busy_ns), STATS_NS },
	{ "zsv_device_jobs_completed_total", "counter",
	  "Jobs the device retired, failed ones included.",
	  ZSV_A_DEV_JOBS_COMPLETED, DEV_FIELD(jobs_completed), STATS_PLAIN },
};

static const struct stats_family slice_families[] = {
	{ "zsv_slice_memory_limit_bytes", "gauge",
	  "Size of the slice's memory partition (its quota when shared).",
	  ZSV_A_SLICE_MEM_BYTES, SLICE_FIELD(mem_bytes), STATS_PLAIN },
	{ "zsv_slice_memory_used_bytes", "gauge",
	  "Memory of the slice's partition backing live buffer objects.",
	  ZSV_A_SLICE_MEM_USED, SLICE_FIELD(mem_used_bytes), STATS_PLAIN },
	{ "zsv_slice_memory_peak_bytes", "gauge",
	  "Most memory of the slice's partition ever in use at once.",
	  ZSV_A_SLICE_MEM_PEAK, SLICE_FIELD(mem_peak_bytes), STATS_PLAIN },
	{ "zsv_slice_memory_quota_hits_total", "counter",
	  "Buffer creations refused because the slice's partition was full.",
	  ZSV_A_SLICE_QUOTA_HITS, SLICE_FIELD(quota_hits), STATS_PLAIN },
	{ "zsv_slice_weight", "gauge",
	  "Share of engine time the slice gets under contention, relative to the others' weights.",
	  ZSV_A_SLICE_WEIGHT, SLICE_FIELD(weight), STATS_PLAIN },
	{ "zsv_slice_cap_ratio", "gauge",
	  "Ceiling on the slice's share of the device's engine time per period.",
	  ZSV_A_SLICE_CAP_PCT, SLICE_FIELD(cap_pct), STATS_PCT },
	{ "zsv_slice_contexts", "gauge",
	  "Open files of the slice's device node.",
	  ZSV_A_SLICE_CONTEXTS, SLICE_FIELD(contexts), STATS_PLAIN },
	{ "zsv_slice_busy_seconds_total", "counter",
	  "Engine time charged to the slice, all engines together.",
	  ZSV_A_SLICE_BUSY_NS, SLICE_FIELD(busy_ns), STATS_NS },
	{ "zsv_slice_throttled_seconds_total", "counter",
	  "Time the slice's queued work waited because the slice had used its cap.",
	  ZSV_A_SLICE_THROTTLED_NS, SLICE_FIELD(throttled_ns), STATS_NS },
	{ "zsv_slice_share_promised_ratio", "gauge",
	  "Share of the device's engine time the policy entitled the slice to over the last period.",
	  ZSV_A_SLICE_SHARE_PROMISED_PPM, SLICE_FIELD(share_promised_ppm),
	  STATS_PPM },
	{ "zsv_slice_share_delivered_ratio", "gauge",
	  "Share of the device's engine time the slice got over the last period.",
	  ZSV_A_SLICE_SHARE_DELIVERED_PPM, SLICE_FIELD(share_delivered_ppm),
	  STATS_PPM },
	{ "zsv_slice_jobs_submitted_total", "counter",
	  "Jobs queued by the slice's contexts.",
	  ZSV_A_SLICE_JOBS_SUBMITTED, SLICE_FIELD(jobs_submitted), STATS_PLAIN },
	{ "zsv_slice_jobs_completed_total", "counter",
	  "Jobs of the slice retired, failed ones included.",
	  ZSV_A_SLICE_JOBS_COMPLETED, SLICE_FIELD(jobs_completed), STATS_PLAIN },
	{ "zsv_slice_jobs_failed_total", "counter",
	  "Jobs of the slice retired with an error.",
	  ZSV_A_SLICE_JOBS_FAILED, SLICE_FIELD(jobs_failed), STATS_PLAIN },
	{ "zsv_slice_context_switches_total", "counter",
	  "Times an engine switched to the slice.",
	  ZSV_A_SLICE_CTX_SWITCHES, SLICE_FIELD(ctx_switches), STATS_PLAIN },
};

#define TENANT_FIELD(m)                      \
	offsetof(struct zsv_tenant_info, m), \
		sizeof(((struct zsv_tenant_info *)0)->m)

/*
 * A limit of ZSV_LIMIT_NONE has no sample: no limit.  busy is a gauge,
 * not a counter: it sums the tenant's live slices, so it drops when one
 * is destroyed or leaves the tenant.
 */
static const struct stats_family tenant_families[] = {
	{ "zsv_tenant_memory_limit_bytes", "gauge",
	  "Most memory the tenant's slices' partitions may sum to; no sample when unlimited.",
	  ZSV_A_TENANT_MEM_MAX, TENANT_FIELD(mem_max_bytes), STATS_PLAIN },
	{ "zsv_tenant_slices_limit", "gauge",
	  "Most slices the tenant may have; no sample when unlimited.",
	  ZSV_A_TENANT_SLICES_MAX, TENANT_FIELD(slices_max), STATS_PLAIN },
	{ "zsv_tenant_compute_limit_engines", "gauge",
	  "Most compute the tenant's slices may sum to (caps times engines), in whole engines; no sample when unlimited.",
	  ZSV_A_TENANT_COMPUTE_MAX, TENANT_FIELD(compute_max), STATS_PCT },
	{ "zsv_tenant_weight", "gauge",
	  "Share of a device's engine time the tenant's busy slices get under the weighted policy, relative to the other busy tenants' weights.",
	  ZSV_A_TENANT_WEIGHT, TENANT_FIELD(weight), STATS_PLAIN },
	{ "zsv_tenant_memory_bytes", "gauge",
	  "Size of the tenant's slices' partitions, summed (reserved sizes and shared quotas).",
	  ZSV_A_TENANT_MEM, TENANT_FIELD(mem_bytes), STATS_PLAIN },
	{ "zsv_tenant_slices", "gauge",
	  "Slices of the tenant.",
	  ZSV_A_TENANT_SLICES, TENANT_FIELD(slices), STATS_PLAIN },
	{ "zsv_tenant_compute_engines", "gauge",
	  "Compute of the tenant's slices (caps times engines), in whole engines.",
	  ZSV_A_TENANT_COMPUTE, TENANT_FIELD(compute), STATS_PCT },
	{ "zsv_tenant_memory_used_bytes", "gauge",
	  "Memory backing the live buffer objects of the tenant's slices.",
	  ZSV_A_TENANT_MEM_USED, TENANT_FIELD(mem_used_bytes), STATS_PLAIN },
	{ "zsv_tenant_busy_seconds", "gauge",
	  "Engine time charged to the tenant's live slices; drops when a slice goes.",
	  ZSV_A_TENANT_BUSY_NS, TENANT_FIELD(busy_ns), STATS_NS },
	{ "zsv_tenant_quota_hits_total", "counter",
	  "Slice admissions (creations, growth, moves) refused by the tenant's limits.",
	  ZSV_A_TENANT_QUOTA_HITS, TENANT_FIELD(quota_hits), STATS_PLAIN },
};
/* clang-format on */

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t family_value(const struct stats_family *fam, const void *info)
{
	const char *p = (const char *)info + fam->offset;
	uint32_t v32;
	uint64_t v64;

	if (fam->size == sizeof(v32)) {
		memcpy(&v32, p, sizeof(v32));
		return v32;
	}
	memcpy(&v64, p, sizeof(v64));
	return v64;
}

/* ------------------------------------------------------------------ */
/* Writing the format */

void stats_write_label_value(FILE *f, const char *val)
{
	const char *p;

	putc('"', f);
	for (p = val; *p; p++) {
		switch (*p) {
		case '\\':
			fputs("\\\\", f);
			break;
		case '"':
			fputs("\\\"", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		default:
			putc(*p, f);
		}
	}
	putc('"', f);
}

/* name="value", after a comma unless @first. */
static void write_label(FILE *f, bool first, const char *name, const char *val)
{
	fprintf(f, "%s%s=", first ? "" : ",", name);
	stats_write_label_value(f, val);
}

/*
 * @val / 10^@digits, exactly and shortest: 1500000000 ns is "1.5",
 * 250000 ppm "0.25", 100 percent "1".
 */
static void write_fixed(FILE *f, uint64_t val, unsigned int digits)
{
	uint64_t div = 1;
	char frac[24];
	unsigned int i;
	size_t n;

	for (i = 0; i < digits; i++)
		div *= 10;
	if (!(val % div)) {
		fprintf(f, "%" PRIu64, val / div);
		return;
	}
	snprintf(frac, sizeof(frac), "%0*" PRIu64, (int)digits, val % div);
	n = strlen(frac);
	while (n && frac[n - 1] == '0')
		frac[--n] = '\0';
	fprintf(f, "%" PRIu64 ".%s", val / div, frac);
}

static void write_value(FILE *f, enum stats_unit unit, uint64_t val)
{
	switch (unit) {
	case STATS_NS:
		write_fixed(f, val, 9);
		break;
	case STATS_PPM:
		write_fixed(f, val, 6);
		break;
	case STATS_PCT:
		write_fixed(f, val, 2);
		break;
	default:
		fprintf(f, "%" PRIu64, val);
	}
}

static void write_header(FILE *f, const char *name, const char *type,
			 const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A sample's labels: {device="zsv0"} or {slice="a",device="zsv0"}. */
static void write_dev_labels(FILE *f, const struct zsv_dev_info *dev)
{
	putc('{', f);
	write_label(f, true, "device", dev->name);
	putc('}', f);
}

static void write_slice_labels(FILE *f, const struct zsv_slice_info *slice)
{
	putc('{', f);
	write_label(f, true, "slice", slice->name);
	write_label(f, false, "device", slice->dev_name);
	putc('}', f);
}

static void write_dev_info(FILE *f, struct zsv_dev_info *const *devs,
			   size_t ndevs)
{
	char id[16];
	size_t i;

	if (!ndevs)
		return;
	write_header(f, "zsv_device_info", "gauge",
		     "Always 1; the labels describe the device.");
	for (i = 0; i < ndevs; i++) {
		const struct zsv_dev_info *dev = devs[i];
		const char *policy = zsv_policy_name(dev->policy);

		fputs("zsv_device_info{", f);
		write_label(f, true, "device", dev->name);
		if (zsv_dev_has(dev, ZSV_A_DEV_ID)) {
			snprintf(id, sizeof(id), "%" PRIu32, dev->id);
			write_label(f, false, "id", id);
		}
		if (zsv_dev_has(dev, ZSV_A_DEV_BACKEND))
			write_label(f, false, "backend", dev->backend);
		if (zsv_dev_has(dev, ZSV_A_DEV_POLICY)) {
			snprintf(id, sizeof(id), "%" PRIu32, dev->policy);
			write_label(f, false, "policy", policy ? policy : id);
		}
		fputs("} 1\n", f);
	}
}

static void write_slice_info(FILE *f, struct zsv_slice_info *const *slices,
			     size_t nslices)
{
	char num[16];
	size_t i;

	if (!nslices)
		return;
	write_header(f, "zsv_slice_info", "gauge",
		     "Always 1; the labels describe the slice.");
	for (i = 0; i < nslices; i++) {
		const struct zsv_slice_info *slice = slices[i];
		const char *mode = zsv_mem_mode_name(slice->mem_mode);

		fputs("zsv_slice_info{", f);
		write_label(f, true, "slice", slice->name);
		write_label(f, false, "device", slice->dev_name);
		if (zsv_slice_has(slice, ZSV_A_SLICE_ID)) {
			snprintf(num, sizeof(num), "%" PRIu32, slice->id);
			write_label(f, false, "id", num);
		}
		if (zsv_slice_has(slice, ZSV_A_SLICE_MEM_MODE)) {
			snprintf(num, sizeof(num), "%" PRIu32, slice->mem_mode);
			write_label(f, false, "mem_mode", mode ? mode : num);
		}
		write_label(f, false, "mediated",
			    slice->mediated ? "true" : "false");
		fputs("} 1\n", f);
	}
}

int stats_write(FILE *f, struct zsv_dev_info *const *devs, size_t ndevs,
		struct zsv_slice_info *const *slices, size_t nslices)
{
	const struct stats_family *fam;
	size_t i, k;
	bool any;

	write_dev_info(f, devs, ndevs);
	for (k = 0; k < ARRAY_LEN(dev_families); k++) {
		fam = &dev_families[k];
		for (i = 0, any = false; i < ndevs && !any; i++)
			any = zsv_dev_has(devs[i], fam->attr);
		if (!any)
			continue;
		write_header(f, fam->name, fam->type, fam->help);
		for (i = 0; i < ndevs; i++) {
			if (!zsv_dev_has(devs[i], fam->attr))
				continue;
			fputs(fam->name, f);
			write_dev_labels(f, devs[i]);
			putc(' ', f);
			write_value(f, fam->unit, family_value(fam, devs[i]));
			putc('\n', f);
		}
	}

	write_slice_info(f, slices, nslices);
	for (k = 0; k < ARRAY_LEN(slice_families); k++) {
		fam = &slice_families[k];
		for (i = 0, any = false; i < nslices && !any; i++)
			any = zsv_slice_has(slices[i], fam->attr);
		if (!any)
			continue;
		write_header(f, fam->name, fam->type, fam->help);
		for (i = 0; i < nslices; i++) {
			if (!zsv_slice_has(slices[i], fam->attr))
				continue;
			fputs(fam->name, f);
			write_slice_labels(f, slices[i]);
			putc(' ', f);
			write_value(f, fam->unit, family_value(fam, slices[i]));
			putc('\n', f);
		}
	}
	return ferror(f) ? -EIO : 0;
}

/* Does @tenant have a sample of @fam? */
static bool tenant_has_sample(const struct stats_family *fam,
			      const struct zsv_tenant_info *tenant)
{
	if (!zsv_tenant_has(tenant, fam->attr))
		return false;
	switch (fam->attr) {
	case ZSV_A_TENANT_MEM_MAX:
	case ZSV_A_TENANT_SLICES_MAX:
	case ZSV_A_TENANT_COMPUTE_MAX:
		return family_value(fam, tenant) != ZSV_LIMIT_NONE;
	default:
		return true;
	}
}

static void write_tenant_labels(FILE *f, const struct zsv_tenant_info *tenant)
{
	putc('{', f);
	write_label(f, true, "tenant", tenant->name);
	putc('}', f);
}

int stats_write_tenants(FILE *f, struct zsv_tenant_info *const *tenants,
			size_t ntenants)
{
	const struct stats_family *fam;
	char id[16];
	size_t i, k;
	bool any;

	if (ntenants)
		write_header(f, "zsv_tenant_info", "gauge",
			     "Always 1; the labels describe the tenant.");
	for (i = 0; i < ntenants; i++) {
		fputs("zsv_tenant_info{", f);
		write_label(f, true, "tenant", tenants[i]->name);
		snprintf(id, sizeof(id), "%" PRIu32, tenants[i]->id);
		write_label(f, false, "id", id);
		fputs("} 1\n", f);
	}
	for (k = 0; k < ARRAY_LEN(tenant_families); k++) {
		fam = &tenant_families[k];
		for (i = 0, any = false; i < ntenants && !any; i++)
			any = tenant_has_sample(fam, tenants[i]);
		if (!any)
			continue;
		write_header(f, fam->name, fam->type, fam->help);
		for (i = 0; i < ntenants; i++) {
			if (!tenant_has_sample(fam, tenants[i]))
				continue;
			fputs(fam->name, f);
			write_tenant_labels(f, tenants[i]);
			putc(' ', f);
			write_value(f, fam->unit,
				    family_value(fam, tenants[i]));
			putc('\n', f);
		}
	}
	return ferror(f) ? -EIO : 0;
}

/* ------------------------------------------------------------------ */
/* The textfile */

int stats_textfile_write(const char *dir, const char *text, size_t len)
{
	char *path;
	int err;

	if (asprintf(&path, "%s/" STATS_TEXTFILE_NAME, dir) < 0)
		return -ENOMEM;
	/* node_exporter runs as its own user: the file is 0644. */
	err = zsvctl_replace_file(path, text, len);
	free(path);
	return err;
}

/* ------------------------------------------------------------------ */
/* The words */

/* "--NAME VALUE" or "--NAME=VALUE" at argv[*i]; NULL when it is not --NAME. */
static const char *option_value(int argc, char **argv, int *i, const char *name,
				bool *missing)
{
	const char *word = argv[*i];
	size_t n = strlen(name);

	*missing = false;
	if (strncmp(word, "--", 2) || strncmp(word + 2, name, n))
		return NULL;
	if (word[2 + n] == '=')
		return word + 2 + n + 1;
	if (word[2 + n])
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

int args_stats(int argc, char **argv, struct stats_args *a, char *err,
	       size_t len)
{
	bool missing, seen_interval = false;
	const char *val;
	int i, word;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < argc; i++) {
		word = i;
		val = option_value(argc, argv, &i, "textfile", &missing);
		if (missing)
			goto missing;
		if (val) {
			if (a->textfile_dir)
				goto twice;
			if (!*val) {
				snprintf(
					err, len,
					"--textfile needs a directory, not an empty word");
				return -EINVAL;
			}
			a->textfile_dir = val;
			continue;
		}
		val = option_value(argc, argv, &i, "interval", &missing);
		if (missing)
			goto missing;
		if (val) {
			if (seen_interval)
				goto twice;
			seen_interval = true;
			if (zsv_parse_duration(val, &a->interval_ns) ||
			    a->interval_ns < STATS_INTERVAL_MIN_NS ||
			    a->interval_ns > STATS_INTERVAL_MAX_NS) {
				snprintf(
					err, len,
					"invalid interval '%s': a duration from 100ms to 86400s in s, ms, us or ns (\"15s\")",
					val);
				return -EINVAL;
			}
			continue;
		}
		snprintf(err, len, "unexpected argument '%s'", argv[i]);
		return -EINVAL;
	}
	if (a->interval_ns && !a->textfile_dir) {
		snprintf(
			err, len,
			"--interval needs --textfile: it rewrites the textfile every interval");
		return -EINVAL;
	}
	return 0;
missing:
	snprintf(err, len, "'%s' needs a value", argv[i]);
	return -EINVAL;
twice:
	snprintf(err, len, "'%.*s' given twice", (int)strcspn(argv[word], "="),
		 argv[word]);
	return -EINVAL;
}

/* ------------------------------------------------------------------ */
/* The command */

void stats_usage(FILE *f)
{
	fputs("Usage: zsvctl stats [--textfile DIR [--interval DUR]]\n"
	      "       zsvctl stats help\n"
	      "\n"
	      "Prints the metrics of every device and slice in Prometheus' text format.\n"
	      "--textfile writes them to DIR/" STATS_TEXTFILE_NAME
	      " instead, atomically, for node_exporter's\n"
	      "textfile collector; --interval rewrites it every DUR (100ms to 86400s) until\n"
	      "SIGTERM, SIGINT or SIGHUP.  Memory is in bytes, time in seconds, shares are\n"
	      "ratios from 0 to 1.  Needs no privilege.  See Documentation/metrics.rst.\n",
	      f);
}

static int dev_cmp_id(const void *a, const void *b)
{
	const struct zsv_dev_info *x = *(const struct zsv_dev_info *const *)a;
	const struct zsv_dev_info *y = *(const struct zsv_dev_info *const *)b;

	return (x->id > y->id) - (x->id < y->id);
}

static int slice_cmp_id(const void *a, const void *b)
{
	const struct zsv_slice_info *x =
		*(const struct zsv_slice_info *const *)a;
	const struct zsv_slice_info *y =
		*(const struct zsv_slice_info *const *)b;

	return (x->id > y->id) - (x->id < y->id);
}

static int tenant_cmp_id(const void *a, const void *b)
{
	const struct zsv_tenant_info *x =
		*(const struct zsv_tenant_info *const *)a;
	const struct zsv_tenant_info *y =
		*(const struct zsv_tenant_info *const *)b;

	return (x->id > y->id) - (x->id < y->id);
}

/*
 * The exposition as it is now, in *text (malloc'd, *len bytes).  0 or a
 * negated errno; *what says what failed.
 */
static int stats_render(struct zsv_handle *zh, char **text, size_t *len,
			const char **what)
{
	struct zsv_tenant_info **tenants = NULL;
	struct zsv_slice_info **slices = NULL;
	struct zsv_dev_info **devs = NULL;
	size_t ndevs = 0, nslices = 0, ntenants = 0;
	FILE *f;
	int err;

	*text = NULL;
	*what = "cannot list devices";
	err = zsv_dev_list(zh, &devs, &ndevs);
	if (err)
		return err;
	*what = "cannot list slices";
	err = zsv_slice_list(zh, NULL, &slices, &nslices);
	if (err)
		goto out_devs;
	*what = "cannot list tenants";
	err = zsv_tenant_list(zh, &tenants, &ntenants);
	/* A zsv older than tenants has none to report. */
	if (err == -EOPNOTSUPP)
		err = 0;
	if (err)
		goto out_slices;
	qsort(devs, ndevs, sizeof(*devs), dev_cmp_id);
	qsort(slices, nslices, sizeof(*slices), slice_cmp_id);
	qsort(tenants, ntenants, sizeof(*tenants), tenant_cmp_id);
	*what = "cannot build the metrics";
	f = open_memstream(text, len);
	if (!f) {
		err = -errno;
		goto out;
	}
	err = stats_write(f, devs, ndevs, slices, nslices);
	if (!err)
		err = stats_write_tenants(f, tenants, ntenants);
	if (fclose(f) && !err)
		err = -ENOMEM;
	if (err) {
		free(*text);
		*text = NULL;
	}
out:
	zsv_tenant_list_free(tenants, ntenants);
out_slices:
	zsv_slice_list_free(slices, nslices);
out_devs:
	zsv_dev_list_free(devs, ndevs);
	return err;
}

static int stats_stdout(struct zsvctl *ctl)
{
	const char *what;
	size_t len;
	char *text;
	int err;

	err = stats_render(ctl->zh, &text, &len, &what);
	if (err)
		return zsvctl_fail(ctl, err, "%s", what);
	fwrite(text, 1, len, stdout);
	free(text);
	return ZSVCTL_EXIT_OK;
}

/*
 * Render and replace the textfile once.  0, or an exit status after
 * saying what failed after "zsvctl: " and @prefix; nothing is said when
 * @prefix is NULL.
 */
static int stats_textfile_once(struct zsv_handle *zh, const char *dir,
			       const char *prefix)
{
	const char *what;
	size_t len;
	char *text;
	int err;

	err = stats_render(zh, &text, &len, &what);
	if (err) {
		if (prefix)
			fprintf(stderr, "zsvctl: %s%s: %s\n", prefix, what,
				zsv_error(zh, err));
		return ZSVCTL_EXIT_FAIL;
	}
	err = stats_textfile_write(dir, text, len);
	free(text);
	if (err) {
		if (prefix)
			fprintf(stderr, "zsvctl: %scannot write %s/%s: %s\n",
				prefix, dir, STATS_TEXTFILE_NAME,
				strerror(-err));
		return ZSVCTL_EXIT_FAIL;
	}
	return ZSVCTL_EXIT_OK;
}

/* The directory must be one: a typo fails before anything is written. */
static int stats_check_dir(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) < 0) {
		fprintf(stderr, "zsvctl: cannot write metrics to '%s': %s\n",
			dir, strerror(errno));
		return ZSVCTL_EXIT_FAIL;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr,
			"zsvctl: cannot write metrics to '%s': not a directory\n",
			dir);
		return ZSVCTL_EXIT_FAIL;
	}
	return ZSVCTL_EXIT_OK;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * Rewrite the textfile every interval.  The signals that end the loop
 * stay blocked and are taken by sigtimedwait() between two writes, so a
 * write is never cut short and no temporary file is left.  A failure
 * after the first write is a warning (once until the next success): the
 * old file stays, and node_exporter's node_textfile_mtime_seconds shows
 * how old it is.  The handle is reopened after a failure, so that the
 * loop lives through an unload and reload of the module.
 */
static int stats_textfile_loop(struct zsvctl *ctl, const struct stats_args *a)
{
	bool failing = false;
	uint64_t next, now;
	struct timespec ts;
	sigset_t set;
	int ret, sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0) {
		fprintf(stderr, "zsvctl: cannot block signals: %s\n",
			strerror(errno));
		return ZSVCTL_EXIT_FAIL;
	}
	ret = stats_textfile_once(ctl->zh, a->textfile_dir, "");
	if (ret)
		return ret;
	next = now_ns();
	for (;;) {
		next += a->interval_ns;
		now = now_ns();
		if (next <= now) /* a write took longer than an interval */
			next = now;
		ts.tv_sec = (time_t)((next - now) / 1000000000ULL);
		ts.tv_nsec = (long)((next - now) % 1000000000ULL);
		sig = sigtimedwait(&set, NULL, &ts);
		if (sig > 0)
			return ZSVCTL_EXIT_OK;
		if (sig < 0 && errno != EAGAIN && errno != EINTR) {
			fprintf(stderr, "zsvctl: cannot wait for signals: %s\n",
				strerror(errno));
			return ZSVCTL_EXIT_FAIL;
		}
		if (!ctl->zh && zsv_open(&ctl->zh)) {
			if (!failing)
				zsvctl_warn(
					"cannot reach the zsv netlink family; retrying every interval");
			ctl->zh = NULL;
			failing = true;
			continue;
		}
		/* Only the first failure in a row is said. */
		ret = stats_textfile_once(ctl->zh, a->textfile_dir,
					  failing ? NULL : "warning: ");
		if (ret && !failing)
			zsvctl_warn(
				"%s/%s keeps its last metrics; retrying every interval",
				a->textfile_dir, STATS_TEXTFILE_NAME);
		failing = ret != 0;
		if (ret) {
			zsv_close(ctl->zh);
			ctl->zh = NULL;
		}
	}
}

int stats_main(struct zsvctl *ctl, int argc, char **argv)
{
	char err_msg[256];
	struct stats_args a;
	int ret;

	if (argc == 1 && (!strcmp(argv[0], "help") || !strcmp(argv[0], "-h") ||
			  !strcmp(argv[0], "--help"))) {
		stats_usage(stdout);
		return ZSVCTL_EXIT_OK;
	}
	if (args_stats(argc, argv, &a, err_msg, sizeof(err_msg)))
		return zsvctl_usage_error(stats_usage, "%s", err_msg);
	if (ctl->json)
		return zsvctl_usage_error(
			stats_usage,
			"stats prints Prometheus' text format; -j and -p do not apply");
	if (a.textfile_dir) {
		ret = stats_check_dir(a.textfile_dir);
		if (ret)
			return ret;
	}
	ret = zsvctl_connect(ctl);
	if (ret)
		return ret;
	if (!a.textfile_dir)
		return stats_stdout(ctl);
	if (a.interval_ns)
		return stats_textfile_loop(ctl, &a);
	return stats_textfile_once(ctl->zh, a.textfile_dir, "");
}
