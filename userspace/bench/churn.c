// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-bench churn: how long slice-new and slice-del take, and whether
 * that grows with the number of slices a pdev already has.
 *
 * For each background count C (ascending), the pdev is filled up to C
 * slices of our own (<prefix>-bg-0, -1, ...; those of the previous count
 * stay), then one probe slice is created and destroyed N times.  Every
 * request is timed around its full netlink round trip (request, the
 * kernel's work, the reply and the ack), as an admin tool sees it.
 * Before the timed loop, one untimed probe checks that the pdev holds
 * exactly what we think: its count by dev-get, by sysfs and by a slice
 * dump must agree, which also proves the peak (C + 1 on one pdev).
 * Everything we made is removed at the end, on errors and on SIGINT.
 *
 * With --mdev the probe is a mediated device of the pdev's smallest
 * type instead, made and removed through sysfs as mdevctl does (write a
 * UUID to the type's "create", 1 to the device's "remove"; each timed
 * from open to close), next to the same netlink background slices.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>

#include "bench.h"

#define CHURN_COUNTS_MAX 16
#define CHURN_DEFAULT_COUNTS "1,64,1024"
#define CHURN_DEFAULT_ITERATIONS 1000
/* An mdev's create and remove cost more (a device, sysfs, udev). */
#define CHURN_DEFAULT_MDEV_ITERATIONS 200
#define CHURN_DEFAULT_MEM "1M"
#define CHURN_DEFAULT_PREFIX "zsv-bench"
/* Retries of a slice dump the kernel flagged as inconsistent. */
#define CHURN_DUMP_RETRIES 5

/* What the run measured at one background count. */
struct churn_point {
	uint32_t existing; /* our background slices */
	uint32_t pdev_slices; /* on the pdev with the probe, all sources */
	struct summary create;
	struct summary destroy;
};

struct churn {
	struct bench *b;
	const char *dev;
	const char *prefix;
	uint32_t counts[CHURN_COUNTS_MAX];
	size_t ncounts;
	uint32_t iterations;
	struct zsv_slice_params params;
	bool mdev; /* the probe is an mdev */
	struct mdev_type type;

	uint32_t base_slices; /* on the pdev before we started */
	uint32_t bg_made; /* <prefix>-bg-0 .. bg_made - 1 exist */
	bool probe_live;
	char probe[ZSV_NAME_MAX + 1]; /* with --mdev, its UUID */
	struct samples create;
	struct samples destroy;
	struct churn_point points[CHURN_COUNTS_MAX];
	size_t npoints;
	uint32_t peak_slices;
};

void churn_usage(FILE *f)
{
	fputs("Usage: zsv-bench churn [OPTIONS]\n"
	      "\n"
	      "Create and destroy a probe slice in a loop while the pdev holds\n"
	      "each count of background slices, and report the latency of both\n"
	      "(median, p99) per count and whether it grows with the count.\n"
	      "\n"
	      "Options:\n"
	      "  -d, --dev NAME          pdev to carve (default zsv0)\n"
	      "  -c, --counts LIST       background slice counts, comma-separated\n"
	      "                          (default " CHURN_DEFAULT_COUNTS ")\n"
	      "  -n, --iterations N      create+destroy pairs per count (default 1000,\n"
	      "                          200 with --mdev)\n"
	      "  -m, --mem SIZE          per slice, reserved (default " CHURN_DEFAULT_MEM
	      ")\n"
	      "      --prefix NAME       names of our slices: NAME-bg-I, NAME-probe\n"
	      "                          (default " CHURN_DEFAULT_PREFIX ")\n"
	      "      --mdev              the probe is an mdev of the pdev's smallest\n"
	      "                          type, made and removed through sysfs (needs\n"
	      "                          zsv_mdev); the background stays netlink's\n"
	      "  -j, --json, -p, --pretty, -h, --help   as for zsv-bench\n"
	      "\n"
	      "A median growth of at most 1.5x from the smallest to the largest\n"
	      "count is reported as \"flat\", more as \"grows\".\n",
	      f);
}

static int parse_args(struct churn *c, int argc, char **argv)
{
	enum { OPT_PREFIX = 0x100, OPT_MDEV };
	static const struct option long_opts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "counts", required_argument, NULL, 'c' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "mem", required_argument, NULL, 'm' },
		{ "prefix", required_argument, NULL, OPT_PREFIX },
		{ "mdev", no_argument, NULL, OPT_MDEV },
		BENCH_LONG_OPTS_COMMON,
	};
	const char *counts = CHURN_DEFAULT_COUNTS, *mem = CHURN_DEFAULT_MEM;
	bool iterations_given = false;
	char name[ZSV_NAME_MAX + 16];
	int opt, ret;

	c->dev = "zsv0";
	c->prefix = CHURN_DEFAULT_PREFIX;
	c->iterations = CHURN_DEFAULT_ITERATIONS;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "d:c:n:m:" BENCH_OPTS_COMMON,
				  long_opts, NULL)) != -1) {
		ret = 0;
		switch (opt) {
		case 'd':
			c->dev = optarg;
			break;
		case 'c':
			counts = optarg;
			break;
		case 'n':
			ret = bench_opt_u32(churn_usage, "--iterations", optarg,
					    &c->iterations, 0);
			iterations_given = true;
			break;
		case 'm':
			mem = optarg;
			break;
		case OPT_PREFIX:
			c->prefix = optarg;
			break;
		case OPT_MDEV:
			c->mdev = true;
			break;
		default:
			ret = bench_opt_common(c->b, churn_usage, opt, argv);
			break;
		}
		if (ret)
			return ret;
	}
	if (optind < argc)
		return bench_usage_error(
			churn_usage, "unexpected argument '%s'", argv[optind]);
	if (c->mdev && !iterations_given)
		c->iterations = CHURN_DEFAULT_MDEV_ITERATIONS;
	if (bench_parse_counts(counts, c->counts, CHURN_COUNTS_MAX, &c->ncounts,
			       true))
		return bench_usage_error(
			churn_usage,
			"--counts: '%s' is not a list of up to %d numbers",
			counts, CHURN_COUNTS_MAX);
	if (zsv_parse_size(mem, &c->params.mem_bytes) || !c->params.mem_bytes)
		return bench_usage_error(
			churn_usage, "--mem: '%s' is not a nonzero size", mem);
	c->params.mask = ZSV_ATTR_BIT(ZSV_A_SLICE_MEM_BYTES);

	/* The longest name we will make must be valid. */
	snprintf(name, sizeof(name), "%s-bg-%" PRIu32, c->prefix,
		 c->counts[c->ncounts - 1]);
	if (zsv_name_check(name) || zsv_name_check(c->dev))
		return bench_usage_error(
			churn_usage,
			"'%s' or '%s' is not a valid name ([a-z0-9][a-z0-9_.-]{0,62})",
			name, c->dev);
	snprintf(c->probe, sizeof(c->probe), "%s-probe", c->prefix);
	return 0;
}

static void bg_name(const struct churn *c, uint32_t i, char *buf, size_t len)
{
	snprintf(buf, len, "%s-bg-%" PRIu32, c->prefix, i);
}

/* ------------------------------------------------------------------ */
/* Counting slices three ways */

static int count_by_dev_get(struct churn *c, uint32_t *count)
{
	struct zsv_dev_info *dev;
	int err;

	err = zsv_dev_get_by_name(c->b->zh, c->dev, &dev);
	if (err)
		return err;
	*count = dev->slice_count;
	zsv_dev_info_free(dev);
	return 0;
}

static int count_by_sysfs(const struct churn *c, uint32_t *count)
{
	char path[128];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/sys/class/zsv/%s/slice_count", c->dev);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	n = fscanf(f, "%" SCNu32, count);
	fclose(f);
	return n == 1 ? 0 : -EPROTO;
}

static int count_one(const struct zsv_slice_info *slice, void *arg)
{
	(void)slice;
	++*(uint32_t *)arg;
	return 0;
}

static int count_by_dump(struct churn *c, uint32_t *count)
{
	int err, tries = 0;

	do {
		*count = 0;
		err = zsv_slice_dump(c->b->zh, c->dev, count_one, count);
	} while (err == -EAGAIN && ++tries < CHURN_DUMP_RETRIES);
	return err;
}

/*
 * With the probe alive: the pdev must hold the slices it had before, our
 * background slices and the probe, by every account.
 */
static int check_peak(struct churn *c, struct churn_point *pt)
{
	uint32_t want = c->base_slices + c->bg_made + 1;
	uint32_t by_get, by_sysfs, by_dump;
	int err;

	err = count_by_dev_get(c, &by_get);
	if (err)
		return bench_fail(c->b, err, "dev-get %s", c->dev);
	err = count_by_sysfs(c, &by_sysfs);
	if (err)
		return bench_fail(c->b, err, "/sys/class/zsv/%s/slice_count",
				  c->dev);
	err = count_by_dump(c, &by_dump);
	if (err)
		return bench_fail(c->b, err, "slice dump of %s", c->dev);
	if (by_get != want || by_sysfs != want || by_dump != want) {
		fprintf(stderr,
			"zsv-bench: %s should hold %" PRIu32
			" slices, but dev-get says %" PRIu32 ", sysfs %" PRIu32
			" and a slice dump %" PRIu32 "\n",
			c->dev, want, by_get, by_sysfs, by_dump);
		return BENCH_EXIT_FAIL;
	}
	pt->pdev_slices = want;
	if (want > c->peak_slices)
		c->peak_slices = want;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Measuring */

/* The mdev's, with a fresh UUID (made before the clock starts). */
static int probe_create_mdev(struct churn *c, uint64_t *ns)
{
	uint64_t t0, t1;
	int err;

	err = mdev_uuid_new(c->probe);
	if (err)
		return bench_sys_fail(err, "a UUID");
	t0 = bench_now_ns();
	err = mdev_create(&c->type, c->probe);
	t1 = bench_now_ns();
	if (err)
		return bench_sys_fail(err, "cannot create an mdev of %s on %s",
				      c->type.name, c->dev);
	c->probe_live = true;
	*ns = t1 - t0;
	return 0;
}

static int probe_destroy_mdev(struct churn *c, uint64_t *ns)
{
	uint64_t t0, t1;
	int err;

	t0 = bench_now_ns();
	err = mdev_remove(c->probe);
	t1 = bench_now_ns();
	if (err)
		return bench_sys_fail(err, "cannot remove mdev %s", c->probe);
	c->probe_live = false;
	*ns = t1 - t0;
	return 0;
}

static int probe_create(struct churn *c, uint64_t *ns)
{
	uint64_t t0, t1;
	int err;

	if (c->mdev)
		return probe_create_mdev(c, ns);
	t0 = bench_now_ns();
	err = zsv_slice_create(c->b->zh, c->dev, c->probe, &c->params, NULL);
	t1 = bench_now_ns();
	if (err)
		return bench_fail(c->b, err, "cannot create slice '%s' on %s",
				  c->probe, c->dev);
	c->probe_live = true;
	*ns = t1 - t0;
	return 0;
}

static int probe_destroy(struct churn *c, uint64_t *ns)
{
	uint64_t t0, t1;
	int err;

	if (c->mdev)
		return probe_destroy_mdev(c, ns);
	t0 = bench_now_ns();
	err = zsv_slice_destroy(c->b->zh, c->probe, false);
	t1 = bench_now_ns();
	if (err)
		return bench_fail(c->b, err, "cannot destroy slice '%s'",
				  c->probe);
	c->probe_live = false;
	*ns = t1 - t0;
	return 0;
}

static int fill_background(struct churn *c, uint32_t count)
{
	char name[ZSV_NAME_MAX + 1];
	int err;

	while (c->bg_made < count && !bench_stop) {
		bg_name(c, c->bg_made, name, sizeof(name));
		err = zsv_slice_create(c->b->zh, c->dev, name, &c->params,
				       NULL);
		if (err)
			return bench_fail(
				c->b, err,
				"cannot create background slice %" PRIu32
				" of %" PRIu32 " ('%s') on %s",
				c->bg_made + 1, count, name, c->dev);
		c->bg_made++;
	}
	return 0;
}

static int measure_point(struct churn *c, uint32_t count)
{
	struct churn_point *pt = &c->points[c->npoints];
	uint64_t create_ns = 0, destroy_ns = 0;
	uint32_t i;
	int ret;

	ret = fill_background(c, count);
	if (ret || bench_stop)
		return ret;

	/* Untimed: prove the count, and warm the paths up. */
	ret = probe_create(c, &create_ns);
	if (ret)
		return ret;
	ret = check_peak(c, pt);
	if (ret)
		return ret;
	ret = probe_destroy(c, &destroy_ns);
	if (ret)
		return ret;

	samples_reset(&c->create);
	samples_reset(&c->destroy);
	for (i = 0; i < c->iterations && !bench_stop; i++) {
		ret = probe_create(c, &create_ns);
		if (ret)
			return ret;
		ret = probe_destroy(c, &destroy_ns);
		if (ret)
			return ret;
		if (samples_add(&c->create, create_ns) ||
		    samples_add(&c->destroy, destroy_ns))
			return bench_fail(c->b, -ENOMEM, "samples");
	}
	if (bench_stop)
		return 0;
	pt->existing = count;
	samples_summarise(&c->create, &pt->create);
	samples_summarise(&c->destroy, &pt->destroy);
	c->npoints++;
	return 0;
}

/*
 * Remove everything we made, newest first; go on past failures so that
 * as little as possible is left behind.  Returns an exit status.
 */
static int cleanup(struct churn *c)
{
	char name[ZSV_NAME_MAX + 1];
	int err, ret = 0;

	if (c->probe_live && c->mdev) {
		err = mdev_remove(c->probe);
		if (err)
			ret = bench_sys_fail(err, "cleanup: mdev %s", c->probe);
		else
			c->probe_live = false;
	} else if (c->probe_live) {
		err = zsv_slice_destroy(c->b->zh, c->probe, false);
		if (err)
			ret = bench_fail(c->b, err, "cleanup: slice '%s'",
					 c->probe);
		else
			c->probe_live = false;
	}
	while (c->bg_made) {
		bg_name(c, c->bg_made - 1, name, sizeof(name));
		err = zsv_slice_destroy(c->b->zh, name, false);
		if (err && err != -ENOENT && err != -ENODEV)
			ret = bench_fail(c->b, err, "cleanup: slice '%s'",
					 name);
		c->bg_made--;
	}
	return ret;
}

/* ------------------------------------------------------------------ */
/* Reporting */

static const struct report_col churn_cols[] = {
	{ "existing", "existing", REPORT_UINT },
	{ "on pdev", "pdev_slices", REPORT_UINT },
	{ "create median", "create_ns.median", REPORT_NS },
	{ "create p99", "create_ns.p99", REPORT_NS },
	{ "destroy median", "destroy_ns.median", REPORT_NS },
	{ "destroy p99", "destroy_ns.p99", REPORT_NS },
};

static int report_growth(struct churn *c, struct report *r)
{
	const struct churn_point *lo = &c->points[0];
	const struct churn_point *hi = &c->points[c->npoints - 1];
	double cr = bench_growth(lo->create.median_ns, hi->create.median_ns);
	double dr = bench_growth(lo->destroy.median_ns, hi->destroy.median_ns);
	json_object *g;

	if (c->npoints < 2)
		return report_line(r, "growth: needs two counts or more");
	g = json_object_new_object();
	if (!g || report_put(report_summary(r), "growth", g))
		return -ENOMEM;
	if (report_put_u64(g, "from", lo->existing) ||
	    report_put_u64(g, "to", hi->existing) ||
	    report_put_double(g, "flat_max_ratio", BENCH_FLAT_RATIO) ||
	    report_put_double(g, "create_ratio", cr) ||
	    report_put_str(g, "create", bench_flat(cr)) ||
	    report_put_double(g, "destroy_ratio", dr) ||
	    report_put_str(g, "destroy", bench_flat(dr)))
		return -ENOMEM;
	return report_line(r,
			   "growth from %" PRIu32 " to %" PRIu32
			   " existing slices (median, flat if <= %.1fx):\n"
			   "  create  %.2fx  %s\n"
			   "  destroy %.2fx  %s",
			   lo->existing, hi->existing, BENCH_FLAT_RATIO, cr,
			   bench_flat(cr), dr, bench_flat(dr));
}

static int build_report(struct churn *c, struct report *r,
			uint32_t slices_after, uint64_t elapsed_ns)
{
	json_object *params = report_params(r), *summary = report_summary(r);
	json_object *counts = json_object_new_array();
	char mem[ZSV_UNIT_STR_MAX];
	size_t i;
	int err;

	if (!counts || report_put(params, "counts", counts))
		return -ENOMEM;
	for (i = 0; i < c->ncounts; i++)
		if (json_object_array_add(counts,
					  json_object_new_uint64(c->counts[i])))
			return -ENOMEM;
	if (report_put_str(params, "dev", c->dev) ||
	    report_put_u64(params, "iterations", c->iterations) ||
	    report_put_u64(params, "mem_bytes", c->params.mem_bytes) ||
	    report_put_str(params, "mem_mode", "reserved") ||
	    report_put_str(params, "probe", c->mdev ? "mdev" : "slice") ||
	    (c->mdev ? report_put_str(params, "mdev_type", c->type.name) :
		       report_put_null(params, "mdev_type")))
		return -ENOMEM;

	for (i = 0; i < c->npoints; i++) {
		const struct churn_point *pt = &c->points[i];
		json_object *row = report_row(r);

		if (!row || report_put_u64(row, "existing", pt->existing) ||
		    report_put_u64(row, "pdev_slices", pt->pdev_slices) ||
		    report_put_summary(row, "create_ns", &pt->create) ||
		    report_put_summary(row, "destroy_ns", &pt->destroy))
			return -ENOMEM;
	}

	if (report_put_u64(summary, "slices_before", c->base_slices) ||
	    report_put_u64(summary, "peak_slices", c->peak_slices) ||
	    report_put_u64(summary, "slices_after", slices_after) ||
	    report_put_u64(summary, "elapsed_ns", elapsed_ns))
		return -ENOMEM;

	zsv_format_size(c->params.mem_bytes, mem, sizeof(mem));
	if (c->mdev)
		err = report_title(
			r,
			"zsv-bench churn --mdev on %s: %" PRIu32
			" create+remove pairs of an mdev of %s per count (sysfs), next to %s reserved slices",
			c->dev, c->iterations, c->type.name, mem);
	else
		err = report_title(
			r,
			"zsv-bench churn on %s: %" PRIu32
			" create+destroy pairs per count, %s reserved slices",
			c->dev, c->iterations, mem);
	if (!err)
		err = report_line(
			r,
			"peak: %" PRIu32
			" slices on %s at once (dev-get, sysfs and a slice dump agree)",
			c->peak_slices, c->dev);
	if (!err)
		err = report_growth(c, r);
	if (!err)
		err = report_line(r,
				  "cleanup: %s has %" PRIu32
				  " slices, as before; took %.1f s in all",
				  c->dev, slices_after, elapsed_ns / 1e9);
	return err;
}

int churn_main(struct bench *b, int argc, char **argv)
{
	struct churn c = { .b = b };
	struct report *r = NULL;
	uint32_t slices_after = 0;
	uint64_t start_ns;
	size_t i;
	int ret, err;

	ret = parse_args(&c, argc, argv);
	if (ret)
		return ret < 0 ? BENCH_EXIT_OK : ret;
	ret = bench_connect(b);
	if (ret)
		return ret;
	err = count_by_dev_get(&c, &c.base_slices);
	if (err)
		return bench_fail(b, err, "no pdev '%s'", c.dev);
	if (c.mdev && !mdev_parent_exists(c.dev)) {
		fprintf(stderr,
			"zsv-bench: %s is no mdev parent (is zsv_mdev loaded?)\n",
			c.dev);
		return BENCH_EXIT_FAIL;
	}
	if (c.mdev) {
		err = mdev_pick_type(c.dev, NULL, &c.type);
		if (err)
			return bench_sys_fail(err, "the mdev types of %s",
					      c.dev);
	}

	bench_catch_signals();
	start_ns = bench_now_ns();
	for (i = 0; i < c.ncounts && !ret && !bench_stop; i++)
		ret = measure_point(&c, c.counts[i]);
	err = cleanup(&c);
	if (!ret)
		ret = err;
	if (bench_stop) {
		ret = bench_stopped_status();
		goto out;
	}
	if (ret)
		goto out;

	err = count_by_dev_get(&c, &slices_after);
	if (err) {
		ret = bench_fail(b, err, "dev-get %s", c.dev);
		goto out;
	}
	if (slices_after != c.base_slices) {
		fprintf(stderr,
			"zsv-bench: %s had %" PRIu32
			" slices before and %" PRIu32 " after\n",
			c.dev, c.base_slices, slices_after);
		ret = BENCH_EXIT_FAIL;
		goto out;
	}

	r = report_new("churn", churn_cols,
		       sizeof(churn_cols) / sizeof(churn_cols[0]));
	err = r ? build_report(&c, r, slices_after, bench_now_ns() - start_ns) :
		  -ENOMEM;
	if (!err)
		err = report_print(r, b, stdout);
	if (err)
		ret = bench_fail(b, err, "report");
out:
	report_free(r);
	samples_free(&c.create);
	samples_free(&c.destroy);
	return ret;
}
