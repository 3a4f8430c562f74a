// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-bench place: how long slice-new without a device takes, and
 * whether that grows with the number of pdevs the kernel chooses among.
 *
 * For each pdev count D (ascending), sim pdevs of our own are added by
 * dev-new until the host has D pdevs in all (those of the previous count
 * stay), then N times: one probe slice is placed (slice-new without a
 * device, by the policy asked for) and destroyed, and the same slice is
 * made on a named pdev (the first) and destroyed, the baseline: what a
 * slice-new costs without a choice to make.  Each slice-new is timed
 * around its full netlink round trip, as an admin tool sees it, so the
 * difference between the two is the cost of choosing.  Before
 * the timed loop, one untimed probe checks that the host has exactly D
 * pdevs (by a dev dump and by sysfs) and records where the probe went:
 * under spread, where it left the most headroom; under binpack, the
 * fullest pdev that fits; a tenth of N more untimed pairs warm up.  Everything we made (the probe, our pdevs,
 * newest first) is removed at the end, on errors and on SIGINT.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define PLACE_COUNTS_MAX 16
#define PLACE_DEFAULT_COUNTS "1,64,1024"
#define PLACE_DEFAULT_ITERATIONS 1000
#define PLACE_DEFAULT_MEM "1M"
#define PLACE_DEFAULT_DEV_MEM "1G"
#define PLACE_DEFAULT_PREFIX "zsv-bench"
/* Retries of a dump the kernel flagged as inconsistent. */
#define PLACE_DUMP_RETRIES 5
/* The kernel's bound (ZSV_PDEVS_MAX): more pdevs are never asked for. */
#define PLACE_PDEVS_MAX 1024

/* What the run measured at one pdev count. */
struct place_point {
	uint32_t pdevs; /* on the host, ours and the others */
	char first_dev[ZSV_NAME_MAX + 1]; /* where the untimed probe went */
	struct summary create;
	struct summary named;
};

struct place {
	struct bench *b;
	const char *prefix;
	uint32_t counts[PLACE_COUNTS_MAX];
	size_t ncounts;
	uint32_t iterations;
	uint32_t placement; /* enum zsv_placement */
	struct zsv_slice_params params;
	uint64_t dev_mem;

	uint32_t base_pdevs; /* on the host before we started */
	char (*made)[ZSV_NAME_MAX + 1]; /* our pdevs, in the order made */
	uint32_t nmade;
	bool probe_live;
	char probe[ZSV_NAME_MAX + 1];
	char named_dev[ZSV_NAME_MAX + 1]; /* the first pdev: the baseline's */
	struct samples create;
	struct samples named;
	struct place_point points[PLACE_COUNTS_MAX];
	size_t npoints;
};

void place_usage(FILE *f)
{
	fputs("Usage: zsv-bench place [OPTIONS]\n"
	      "\n"
	      "Place a probe slice (slice-new without a device: the kernel picks\n"
	      "the pdev), and make it on a named pdev, in a loop while the host\n"
	      "has each count of pdevs, adding sim pdevs as needed, and report\n"
	      "the latency of both (median, p99) per count and whether it grows\n"
	      "with the count.\n"
	      "\n"
	      "Options:\n"
	      "  -c, --counts LIST       pdevs on the host, comma-separated, at\n"
	      "                          most 1024 (default " PLACE_DEFAULT_COUNTS
	      ")\n"
	      "  -n, --iterations N      placements (and as many slice-new on a\n"
	      "                          named pdev) per count (default 1000)\n"
	      "  -m, --mem SIZE          the probe's memory, reserved (default " PLACE_DEFAULT_MEM
	      ")\n"
	      "      --dev-mem SIZE      memory of each pdev we add (default " PLACE_DEFAULT_DEV_MEM
	      ")\n"
	      "      --placement POLICY  spread (default) or binpack\n"
	      "      --prefix NAME       the probe's name: NAME-probe (default\n"
	      "                          " PLACE_DEFAULT_PREFIX ")\n"
	      "  -j, --json, -p, --pretty, -h, --help   as for zsv-bench\n"
	      "\n"
	      "The pdevs we add use the sim backend, and are removed at the end.\n"
	      "A count below the pdevs the host already has is measured at what it\n"
	      "has. A median growth of at most 1.5x from the smallest to the\n"
	      "largest count is reported as \"flat\", more as \"grows\".\n",
	      f);
}

static int parse_args(struct place *p, int argc, char **argv)
{
	enum { OPT_PREFIX = 0x100, OPT_DEV_MEM, OPT_PLACEMENT };
	static const struct option long_opts[] = {
		{ "counts", required_argument, NULL, 'c' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "mem", required_argument, NULL, 'm' },
		{ "dev-mem", required_argument, NULL, OPT_DEV_MEM },
		{ "placement", required_argument, NULL, OPT_PLACEMENT },
		{ "prefix", required_argument, NULL, OPT_PREFIX },
		BENCH_LONG_OPTS_COMMON,
	};
	const char *counts = PLACE_DEFAULT_COUNTS, *mem = PLACE_DEFAULT_MEM;
	const char *dev_mem = PLACE_DEFAULT_DEV_MEM, *placement = "spread";
	int opt, ret;

	p->prefix = PLACE_DEFAULT_PREFIX;
	p->iterations = PLACE_DEFAULT_ITERATIONS;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "c:n:m:" BENCH_OPTS_COMMON,
				  long_opts, NULL)) != -1) {
		ret = 0;
		switch (opt) {
		case 'c':
			counts = optarg;
			break;
		case 'n':
			ret = bench_opt_u32(place_usage, "--iterations", optarg,
					    &p->iterations, 0);
			break;
		case 'm':
			mem = optarg;
			break;
		case OPT_DEV_MEM:
			dev_mem = optarg;
			break;
		case OPT_PLACEMENT:
			placement = optarg;
			break;
		case OPT_PREFIX:
			p->prefix = optarg;
			break;
		default:
			ret = bench_opt_common(p->b, place_usage, opt, argv);
			break;
		}
		if (ret)
			return ret;
	}
	if (optind < argc)
		return bench_usage_error(
			place_usage, "unexpected argument '%s'", argv[optind]);
	if (bench_parse_counts(counts, p->counts, PLACE_COUNTS_MAX, &p->ncounts,
			       false) ||
	    p->counts[p->ncounts - 1] > PLACE_PDEVS_MAX)
		return bench_usage_error(
			place_usage,
			"--counts: '%s' is not a list of up to %d numbers from 1 to %d",
			counts, PLACE_COUNTS_MAX, PLACE_PDEVS_MAX);
	if (zsv_parse_size(mem, &p->params.mem_bytes) || !p->params.mem_bytes)
		return bench_usage_error(
			place_usage, "--mem: '%s' is not a nonzero size", mem);
	if (zsv_parse_size(dev_mem, &p->dev_mem) ||
	    p->dev_mem < p->params.mem_bytes)
		return bench_usage_error(
			place_usage,
			"--dev-mem: '%s' is not a size of at least --mem", dev_mem);
	if (zsv_placement_parse(placement, &p->placement))
		return bench_usage_error(
			place_usage,
			"--placement: '%s' is not spread or binpack", placement);
	p->params.mask = ZSV_ATTR_BIT(ZSV_A_SLICE_MEM_BYTES);

	snprintf(p->probe, sizeof(p->probe), "%s-probe", p->prefix);
	return bench_opt_names(place_usage, p->probe, NULL);
}

/* ------------------------------------------------------------------ */
/* Counting pdevs two ways */

static int count_one(const struct zsv_dev_info *dev, void *arg)
{
	(void)dev;
	++*(uint32_t *)arg;
	return 0;
}

static int count_by_dump(struct place *p, uint32_t *count)
{
	int err, tries = 0;

	do {
		*count = 0;
		err = zsv_dev_dump(p->b->zh, count_one, count);
	} while (err == -EAGAIN && ++tries < PLACE_DUMP_RETRIES);
	return err;
}

static int count_by_sysfs(uint32_t *count)
{
	DIR *d = opendir("/sys/class/zsv");
	struct dirent *e;

	if (!d)
		return -errno;
	*count = 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			++*count;
	closedir(d);
	return 0;
}

/* The baseline's pdev: the first in the kernel's order. */
static int pick_named(struct place *p)
{
	struct zsv_dev_info **devs;
	size_t n;
	int err;

	err = zsv_dev_list(p->b->zh, &devs, &n);
	if (err)
		return bench_fail(p->b, err, "dev dump");
	if (n)
		snprintf(p->named_dev, sizeof(p->named_dev), "%s", devs[0]->name);
	zsv_dev_list_free(devs, n);
	if (!n)
		return bench_fail(p->b, -ENODEV, "no pdev");
	return 0;
}

static int check_pdevs(struct place *p, uint32_t want)
{
	uint32_t by_dump = 0, by_sysfs = 0;
	int err;

	err = count_by_dump(p, &by_dump);
	if (err)
		return bench_fail(p->b, err, "dev dump");
	err = count_by_sysfs(&by_sysfs);
	if (err)
		return bench_sys_fail(err, "/sys/class/zsv");
	if (by_dump != want || by_sysfs != want) {
		fprintf(stderr,
			"zsv-bench: the host should have %" PRIu32
			" pdevs, but a dev dump says %" PRIu32
			" and sysfs %" PRIu32 "\n",
			want, by_dump, by_sysfs);
		return BENCH_EXIT_FAIL;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Measuring */

static int add_pdevs(struct place *p, uint32_t want)
{
	struct zsv_dev_params dp = {
		.mask = ZSV_ATTR_BIT(ZSV_A_DEV_BACKEND) |
			ZSV_ATTR_BIT(ZSV_A_DEV_MEM_TOTAL),
		.backend = "sim",
		.mem_total_bytes = p->dev_mem,
	};
	struct zsv_dev_info *dev;
	int err;

	while (p->base_pdevs + p->nmade < want && !bench_stop) {
		err = zsv_dev_new(p->b->zh, &dp, &dev);
		if (err)
			return bench_fail(p->b, err,
					  "cannot add sim pdev %" PRIu32
					  " of %" PRIu32,
					  p->base_pdevs + p->nmade + 1, want);
		snprintf(p->made[p->nmade++], ZSV_NAME_MAX + 1, "%s",
			 dev->name);
		zsv_dev_info_free(dev);
	}
	return 0;
}

/* Place the probe (@dev NULL) or make it on @dev; time the request. */
static int probe_create(struct place *p, const char *dev, uint64_t *ns,
			char *where, size_t len)
{
	struct zsv_slice_info *slice;
	uint64_t t0, t1;
	int err;

	t0 = bench_now_ns();
	if (dev)
		err = zsv_slice_create(p->b->zh, dev, p->probe, &p->params,
				       &slice);
	else
		err = zsv_slice_place(p->b->zh, p->probe, p->placement, NULL,
				      &p->params, &slice);
	t1 = bench_now_ns();
	if (err)
		return bench_fail(p->b, err, "cannot %s slice '%s'%s%s",
				  dev ? "make" : "place", p->probe,
				  dev ? " on " : "", dev ?: "");
	p->probe_live = true;
	if (where)
		snprintf(where, len, "%s", slice->dev_name ?: "?");
	zsv_slice_info_free(slice);
	*ns = t1 - t0;
	return 0;
}

static int probe_destroy(struct place *p)
{
	int err;

	err = zsv_slice_destroy(p->b->zh, p->probe, false);
	if (err)
		return bench_fail(p->b, err, "cannot destroy slice '%s'",
				  p->probe);
	p->probe_live = false;
	return 0;
}

/* One placement and one slice-new on the named pdev, each destroyed. */
static int probe_pair(struct place *p, uint64_t *place_ns, uint64_t *named_ns,
		      char *where, size_t len)
{
	int ret;

	ret = probe_create(p, NULL, place_ns, where, len);
	if (!ret)
		ret = probe_destroy(p);
	if (!ret)
		ret = probe_create(p, p->named_dev, named_ns, NULL, 0);
	if (!ret)
		ret = probe_destroy(p);
	return ret;
}

static int measure_point(struct place *p, uint32_t count)
{
	struct place_point *pt = &p->points[p->npoints];
	uint64_t place_ns = 0, named_ns = 0;
	uint32_t i;
	int ret;

	ret = add_pdevs(p, count);
	if (ret || bench_stop)
		return ret;
	pt->pdevs = p->base_pdevs + p->nmade;
	/* A count below what the host had is measured at what it has. */
	if (p->npoints && p->points[p->npoints - 1].pdevs == pt->pdevs)
		return 0;

	/*
	 * Untimed: prove the count, see where it goes, and warm up with a
	 * tenth of the pairs, so that the first count is not the one that
	 * pays for cold caches.
	 */
	ret = check_pdevs(p, pt->pdevs);
	if (!ret && !p->named_dev[0])
		ret = pick_named(p);
	if (!ret)
		ret = probe_pair(p, &place_ns, &named_ns, pt->first_dev,
				 sizeof(pt->first_dev));
	for (i = 1; !ret && i < p->iterations / 10 && !bench_stop; i++)
		ret = probe_pair(p, &place_ns, &named_ns, NULL, 0);
	if (ret)
		return ret;

	samples_reset(&p->create);
	samples_reset(&p->named);
	for (i = 0; i < p->iterations && !bench_stop; i++) {
		ret = probe_pair(p, &place_ns, &named_ns, NULL, 0);
		if (ret)
			return ret;
		if (samples_add(&p->create, place_ns) ||
		    samples_add(&p->named, named_ns))
			return bench_fail(p->b, -ENOMEM, "samples");
	}
	if (bench_stop)
		return 0;
	samples_summarise(&p->create, &pt->create);
	samples_summarise(&p->named, &pt->named);
	p->npoints++;
	return 0;
}

/*
 * Remove everything we made, newest first; go on past failures so that
 * as little as possible is left behind.  Returns an exit status.
 */
static int cleanup(struct place *p)
{
	int err, ret = 0;

	if (p->probe_live) {
		err = zsv_slice_destroy(p->b->zh, p->probe, false);
		if (err)
			ret = bench_fail(p->b, err, "cleanup: slice '%s'",
					 p->probe);
		else
			p->probe_live = false;
	}
	while (p->nmade) {
		const char *name = p->made[p->nmade - 1];

		err = zsv_dev_del(p->b->zh, name);
		if (err && err != -ENODEV && err != -ENOENT)
			ret = bench_fail(p->b, err, "cleanup: pdev %s", name);
		p->nmade--;
	}
	return ret;
}

/* ------------------------------------------------------------------ */
/* Reporting */

static const struct report_col place_cols[] = {
	{ "pdevs", "pdevs", REPORT_UINT },
	{ "placed on", "first_dev", REPORT_STR },
	{ "place median", "create_ns.median", REPORT_NS },
	{ "place p99", "create_ns.p99", REPORT_NS },
	{ "named median", "named_ns.median", REPORT_NS },
	{ "named p99", "named_ns.p99", REPORT_NS },
};

static int report_growth(struct place *p, struct report *r)
{
	const struct place_point *lo = &p->points[0];
	const struct place_point *hi = &p->points[p->npoints - 1];
	double cr = bench_growth(lo->create.median_ns, hi->create.median_ns);
	double pr = bench_growth(lo->create.p99_ns, hi->create.p99_ns);
	double nr = bench_growth(lo->named.median_ns, hi->named.median_ns);
	json_object *g;

	if (p->npoints < 2)
		return report_line(r, "growth: needs two counts or more");
	g = json_object_new_object();
	if (!g || report_put(report_summary(r), "growth", g))
		return -ENOMEM;
	if (report_put_u64(g, "from", lo->pdevs) ||
	    report_put_u64(g, "to", hi->pdevs) ||
	    report_put_double(g, "flat_max_ratio", BENCH_FLAT_RATIO) ||
	    report_put_double(g, "place_ratio", cr) ||
	    report_put_str(g, "place", bench_flat(cr)) ||
	    report_put_double(g, "place_p99_ratio", pr) ||
	    report_put_double(g, "named_ratio", nr) ||
	    report_put_str(g, "named", bench_flat(nr)))
		return -ENOMEM;
	return report_line(r,
			   "growth from %" PRIu32 " to %" PRIu32
			   " pdevs (flat if the median grows <= %.1fx):\n"
			   "  place median %.2fx  %s\n"
			   "  place p99    %.2fx\n"
			   "  named median %.2fx  %s (slice-new on %s)",
			   lo->pdevs, hi->pdevs, BENCH_FLAT_RATIO, cr,
			   bench_flat(cr), pr, nr, bench_flat(nr), p->named_dev);
}

static int build_report(struct place *p, struct report *r, uint32_t after,
			uint64_t elapsed_ns)
{
	json_object *params = report_params(r), *summary = report_summary(r);
	json_object *counts = json_object_new_array();
	char mem[ZSV_UNIT_STR_MAX];
	size_t i;
	int err;

	if (!counts || report_put(params, "counts", counts))
		return -ENOMEM;
	for (i = 0; i < p->ncounts; i++)
		if (json_object_array_add(counts,
					  json_object_new_uint64(p->counts[i])))
			return -ENOMEM;
	if (report_put_u64(params, "iterations", p->iterations) ||
	    report_put_u64(params, "mem_bytes", p->params.mem_bytes) ||
	    report_put_u64(params, "dev_mem_bytes", p->dev_mem) ||
	    report_put_str(params, "placement", zsv_placement_name(p->placement)) ||
	    report_put_str(params, "named_dev", p->named_dev))
		return -ENOMEM;

	for (i = 0; i < p->npoints; i++) {
		const struct place_point *pt = &p->points[i];
		json_object *row = report_row(r);

		if (!row || report_put_u64(row, "pdevs", pt->pdevs) ||
		    report_put_str(row, "first_dev", pt->first_dev) ||
		    report_put_summary(row, "create_ns", &pt->create) ||
		    report_put_summary(row, "named_ns", &pt->named))
			return -ENOMEM;
	}

	if (report_put_u64(summary, "pdevs_before", p->base_pdevs) ||
	    report_put_u64(summary, "pdevs_after", after) ||
	    report_put_u64(summary, "elapsed_ns", elapsed_ns))
		return -ENOMEM;

	zsv_format_size(p->params.mem_bytes, mem, sizeof(mem));
	err = report_title(r,
			   "zsv-bench place (%s): %" PRIu32
			   " placements of a %s reserved slice per pdev count, and as many slice-new on a named pdev",
			   zsv_placement_name(p->placement), p->iterations, mem);
	if (!err)
		err = report_growth(p, r);
	if (!err)
		err = report_line(r,
				  "cleanup: the host has %" PRIu32
				  " pdevs, as before; took %.1f s in all",
				  after, elapsed_ns / 1e9);
	return err;
}

int place_main(struct bench *b, int argc, char **argv)
{
	struct place p = { .b = b };
	struct report *r = NULL;
	uint32_t after = 0;
	uint64_t start_ns;
	size_t i;
	int ret, err;

	ret = parse_args(&p, argc, argv);
	if (ret)
		return ret < 0 ? BENCH_EXIT_OK : ret;
	ret = bench_connect(b);
	if (ret)
		return ret;
	err = count_by_dump(&p, &p.base_pdevs);
	if (err)
		return bench_fail(b, err, "dev dump");
	p.made = calloc(PLACE_PDEVS_MAX, sizeof(*p.made));
	if (!p.made)
		return bench_fail(b, -ENOMEM, "pdev names");

	bench_catch_signals();
	start_ns = bench_now_ns();
	for (i = 0; i < p.ncounts && !ret && !bench_stop; i++)
		ret = measure_point(&p, p.counts[i]);
	err = cleanup(&p);
	if (!ret)
		ret = err;
	if (bench_stop) {
		ret = bench_stopped_status();
		goto out;
	}
	if (ret)
		goto out;

	err = count_by_dump(&p, &after);
	if (err) {
		ret = bench_fail(b, err, "dev dump");
		goto out;
	}
	if (after != p.base_pdevs) {
		fprintf(stderr,
			"zsv-bench: the host had %" PRIu32
			" pdevs before and %" PRIu32 " after\n",
			p.base_pdevs, after);
		ret = BENCH_EXIT_FAIL;
		goto out;
	}

	r = report_new("place", place_cols,
		       sizeof(place_cols) / sizeof(place_cols[0]));
	err = r ? build_report(&p, r, after, bench_now_ns() - start_ns) :
		  -ENOMEM;
	if (!err)
		err = report_print(r, b, stdout);
	if (err)
		ret = bench_fail(b, err, "report");
out:
	report_free(r);
	samples_free(&p.create);
	samples_free(&p.named);
	free(p.made);
	return ret;
}
