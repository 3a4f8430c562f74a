// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-bench overhead: what slicing costs.  One slice owning the whole
 * pdev is the baseline; then the same pdev is split among more and more
 * slices, all saturated with COMPUTE jobs (load.c), and each count
 * reports the engine utilisation (the pdev's busy_ns over engines x wall
 * time, from dev-get before and after), the part of it that did work
 * (the COMPUTE time of the jobs that retired: busy_ns also counts the
 * time an engine is held between quanta, dispatch to hand-back) and the
 * jobs retired per second (the pdev's jobs_completed), the first and
 * the last also as a ratio to the baseline.  A
 * scheduler whose cost grows with the slice count shows as utilisation
 * and throughput that fall, and as more CPU time (the whole system's,
 * from /proc/stat; the bench's own, from getrusage) for the same work.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <string.h>
#include <sys/resource.h>

#include "bench.h"

#define OVERHEAD_COUNTS_MAX 16
#define OVERHEAD_DEFAULT_COUNTS "1,8,64,1024"
#define OVERHEAD_DEFAULT_DURATION "4s"
#define OVERHEAD_DEFAULT_WARMUP "1s"
#define OVERHEAD_DEFAULT_JOB_MIN "2ms"
#define OVERHEAD_DEFAULT_JOB_MAX "5ms"
#define OVERHEAD_DEFAULT_PREFIX "zsv-bench-ovh"
#define OVERHEAD_SLICE_MEM (1ULL << 20)
#define OVERHEAD_DEV_MEM (16ULL << 30)

struct overhead_point {
	uint32_t slices;
	uint64_t setup_ns;
	uint64_t wall_ns;
	uint64_t busy_ns;
	uint64_t jobs;
	uint64_t failed;
	double util;
	double useful; /* COMPUTE time retired / engines x wall */
	double jobs_per_s;
	double bench_cpu; /* of one CPU */
	double system_cpu; /* of all CPUs */
};

struct overhead {
	struct bench *b;
	const char *dev;
	const char *prefix;
	uint32_t engines;
	uint32_t counts[OVERHEAD_COUNTS_MAX];
	size_t ncounts;
	uint64_t duration_ns;
	uint64_t warmup_ns;
	uint64_t job_min_ns;
	uint64_t job_max_ns;
	uint32_t inflight;
	uint64_t timeslice_ns; /* --timeslice, or 0; then what the pdev had */

	struct testbed tb;
	/* One per count, then the baseline again. */
	struct overhead_point points[OVERHEAD_COUNTS_MAX + 1];
	size_t npoints;
};

void overhead_usage(FILE *f)
{
	fputs("Usage: zsv-bench overhead [OPTIONS]\n"
	      "\n"
	      "Saturate one pdev from 1 slice (the baseline), then from each count\n"
	      "of slices, then from 1 slice again, and report engine utilisation and\n"
	      "job throughput, and their ratio to the baseline.\n"
	      "\n"
	      "Options:\n"
	      "  -d, --dev NAME          use this pdev (its settings are put back);\n"
	      "                          default: a new sim pdev, removed at the end\n"
	      "  -e, --engines N         engines of the new pdev (default 4)\n"
	      "  -c, --counts LIST       slice counts, comma-separated; 1 is always\n"
	      "                          measured (default " OVERHEAD_DEFAULT_COUNTS
	      ")\n"
	      "  -t, --duration DUR      measured time per count (default " OVERHEAD_DEFAULT_DURATION
	      ")\n"
	      "  -w, --warmup DUR        saturated time before it (default " OVERHEAD_DEFAULT_WARMUP
	      ")\n"
	      "      --job-min DUR       shortest job (default " OVERHEAD_DEFAULT_JOB_MIN
	      ")\n"
	      "      --job-max DUR       longest job (default " OVERHEAD_DEFAULT_JOB_MAX
	      ")\n"
	      "  -T, --timeslice DUR     the pdev's timeslice for the run (default:\n"
	      "                          what it has; a new pdev, the kernel's)\n"
	      "      --inflight N        jobs kept in flight per slice\n"
	      "                          (default three times the engines)\n"
	      "      --prefix NAME       names of our slices: NAME-I\n"
	      "                          (default " OVERHEAD_DEFAULT_PREFIX
	      ")\n"
	      "  -j, --json, -p, --pretty, -h, --help   as for zsv-bench\n",
	      f);
}

static int parse_args(struct overhead *o, int argc, char **argv)
{
	enum { OPT_JOB_MIN = 0x100, OPT_JOB_MAX, OPT_INFLIGHT, OPT_PREFIX };
	static const struct option long_opts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "engines", required_argument, NULL, 'e' },
		{ "counts", required_argument, NULL, 'c' },
		{ "duration", required_argument, NULL, 't' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "timeslice", required_argument, NULL, 'T' },
		{ "job-min", required_argument, NULL, OPT_JOB_MIN },
		{ "job-max", required_argument, NULL, OPT_JOB_MAX },
		{ "inflight", required_argument, NULL, OPT_INFLIGHT },
		{ "prefix", required_argument, NULL, OPT_PREFIX },
		BENCH_LONG_OPTS_COMMON,
	};
	const char *counts = OVERHEAD_DEFAULT_COUNTS;
	char name[ZSV_NAME_MAX + 16];
	int opt, ret;

	o->engines = 4;
	o->prefix = OVERHEAD_DEFAULT_PREFIX;
	zsv_parse_duration(OVERHEAD_DEFAULT_DURATION, &o->duration_ns);
	zsv_parse_duration(OVERHEAD_DEFAULT_WARMUP, &o->warmup_ns);
	zsv_parse_duration(OVERHEAD_DEFAULT_JOB_MIN, &o->job_min_ns);
	zsv_parse_duration(OVERHEAD_DEFAULT_JOB_MAX, &o->job_max_ns);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "d:e:c:t:w:T:" BENCH_OPTS_COMMON,
				  long_opts, NULL)) != -1) {
		ret = 0;
		switch (opt) {
		case 'd':
			o->dev = optarg;
			break;
		case 'e':
			ret = bench_opt_u32(overhead_usage, "--engines", optarg,
					    &o->engines, 0);
			break;
		case 'c':
			counts = optarg;
			break;
		case 't':
			ret = bench_opt_duration(overhead_usage, "--duration",
						 optarg, &o->duration_ns,
						 false);
			break;
		case 'w':
			ret = bench_opt_duration(overhead_usage, "--warmup",
						 optarg, &o->warmup_ns, true);
			break;
		case 'T':
			ret = bench_opt_duration(overhead_usage, "--timeslice",
						 optarg, &o->timeslice_ns,
						 false);
			break;
		case OPT_JOB_MIN:
			ret = bench_opt_duration(overhead_usage, "--job-min",
						 optarg, &o->job_min_ns, false);
			break;
		case OPT_JOB_MAX:
			ret = bench_opt_duration(overhead_usage, "--job-max",
						 optarg, &o->job_max_ns, false);
			break;
		case OPT_INFLIGHT:
			ret = bench_opt_u32(overhead_usage, "--inflight",
					    optarg, &o->inflight,
					    ZSV_JOBS_INFLIGHT_MAX);
			break;
		case OPT_PREFIX:
			o->prefix = optarg;
			break;
		default:
			ret = bench_opt_common(o->b, overhead_usage, opt, argv);
			break;
		}
		if (ret)
			return ret;
	}
	if (optind < argc)
		return bench_usage_error(overhead_usage,
					 "unexpected argument '%s'",
					 argv[optind]);
	/* 1, the baseline, is always measured. */
	o->counts[0] = 1;
	o->ncounts = 1;
	if (bench_parse_counts(counts, o->counts, OVERHEAD_COUNTS_MAX,
			       &o->ncounts, false))
		return bench_usage_error(
			overhead_usage,
			"--counts: '%s' is not a list of up to %d numbers from 1",
			counts, OVERHEAD_COUNTS_MAX - 1);
	if (o->job_max_ns < o->job_min_ns || o->job_max_ns > ZSV_COMPUTE_NS_MAX)
		return bench_usage_error(
			overhead_usage,
			"--job-min must not exceed --job-max, nor that 10s");
	snprintf(name, sizeof(name), "%s-%" PRIu32, o->prefix,
		 o->counts[o->ncounts - 1]);
	return bench_opt_names(overhead_usage, name, o->dev);
}

/* ------------------------------------------------------------------ */
/* CPU time */

struct cpu_mark {
	uint64_t wall_ns;
	uint64_t self_ns; /* user + system, this process */
	uint64_t sys_busy; /* /proc/stat ticks, all CPUs */
	uint64_t sys_total;
};

static uint64_t tv_ns(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000000000ULL +
	       (uint64_t)tv->tv_usec * 1000ULL;
}

static void cpu_mark(struct cpu_mark *m)
{
	unsigned long long v[8] = { 0 };
	struct rusage ru;
	FILE *f;
	int i;

	memset(m, 0, sizeof(*m));
	m->wall_ns = bench_now_ns();
	if (!getrusage(RUSAGE_SELF, &ru))
		m->self_ns = tv_ns(&ru.ru_utime) + tv_ns(&ru.ru_stime);
	f = fopen("/proc/stat", "re");
	if (!f)
		return;
	/* user nice system idle iowait irq softirq steal */
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) == 8) {
		for (i = 0; i < 8; i++)
			m->sys_total += v[i];
		m->sys_busy = m->sys_total - v[3] - v[4];
	}
	fclose(f);
}

/* ------------------------------------------------------------------ */
/* Measuring */

static int measure_point(struct overhead *o, uint32_t count)
{
	struct overhead_point *pt = &o->points[o->npoints];
	uint32_t inflight = o->inflight ? o->inflight : 3 * o->tb.engines;
	struct zsv_dev_info *before = NULL, *after = NULL;
	struct cpu_mark c0, c1;
	struct load load;
	uint64_t t0, useful0 = 0;
	size_t i;
	int ret, err;

	memset(pt, 0, sizeof(*pt));
	pt->slices = count;
	ret = load_init(&load, o->b, o->job_min_ns, o->job_max_ns);
	if (ret)
		return ret;
	t0 = bench_now_ns();
	for (i = 0; !ret && i < count && !bench_stop; i++)
		ret = tb_add_slice(&o->tb, OVERHEAD_SLICE_MEM,
				   ZSV_WEIGHT_DEFAULT, 100);
	pt->setup_ns = bench_now_ns() - t0;
	for (i = 0; !ret && i < o->tb.count && !bench_stop; i++)
		ret = load_set(&load, o->b, &o->tb.slices[i], inflight);
	if (!ret && !bench_stop)
		ret = load_run(&load, o->b, bench_now_ns() + o->warmup_ns);
	if (!ret && !bench_stop)
		ret = tb_dev_get(&o->tb, &before);
	cpu_mark(&c0);
	useful0 = load.retired_ns;
	if (!ret && !bench_stop)
		ret = load_run(&load, o->b, c0.wall_ns + o->duration_ns);
	cpu_mark(&c1);
	if (!ret && !bench_stop)
		ret = tb_dev_get(&o->tb, &after);
	if (!ret && !bench_stop) {
		if (!zsv_dev_has(after, ZSV_A_DEV_BUSY_NS) ||
		    !zsv_dev_has(after, ZSV_A_DEV_JOBS_COMPLETED)) {
			fprintf(stderr,
				"zsv-bench: the kernel does not report busy_ns and jobs_completed for %s\n",
				o->tb.dev);
			ret = BENCH_EXIT_FAIL;
		}
	}
	if (!ret && !bench_stop) {
		pt->wall_ns = c1.wall_ns - c0.wall_ns;
		pt->busy_ns = after->busy_ns - before->busy_ns;
		pt->jobs = after->jobs_completed - before->jobs_completed;
		pt->failed = load.failed;
		pt->util = (double)pt->busy_ns /
			   ((double)o->tb.engines * pt->wall_ns);
		pt->useful = (double)(load.retired_ns - useful0) /
			     ((double)o->tb.engines * pt->wall_ns);
		pt->jobs_per_s = pt->jobs * 1e9 / pt->wall_ns;
		pt->bench_cpu = (double)(c1.self_ns - c0.self_ns) / pt->wall_ns;
		pt->system_cpu = c1.sys_total > c0.sys_total ?
					 (double)(c1.sys_busy - c0.sys_busy) /
						 (c1.sys_total - c0.sys_total) :
					 0;
		o->npoints++;
	}
	zsv_dev_info_free(before);
	zsv_dev_info_free(after);
	load_fini(&load);
	err = tb_clear(&o->tb);
	return ret ? ret : err;
}

/* ------------------------------------------------------------------ */
/* Reporting */

static const struct report_col overhead_cols[] = {
	{ "slices", "slices", REPORT_UINT },
	{ "in flight", "inflight", REPORT_UINT },
	{ "util", "util_pct", REPORT_PCT },
	{ "useful", "useful_pct", REPORT_PCT },
	{ "jobs/s", "jobs_per_s", REPORT_REAL },
	{ "util vs 1", "util_ratio", REPORT_RATIO },
	{ "jobs/s vs 1", "jobs_per_s_ratio", REPORT_RATIO },
	{ "bench cpu", "bench_cpu_pct", REPORT_PCT },
	{ "system cpu", "system_cpu_pct", REPORT_PCT },
	{ "setup", "setup_ns", REPORT_MS },
};

static int build_report(struct overhead *o, struct report *r)
{
	const struct overhead_point *first = &o->points[0];
	const struct overhead_point *again = &o->points[o->npoints - 1];
	json_object *params = report_params(r), *summary = report_summary(r);
	uint32_t inflight = o->inflight ? o->inflight : 3 * o->tb.engines;
	double worst_util = 1e9, worst_tput = 1e9, base_util, base_tput;
	double drift;
	size_t i;

	/* The baseline ran first and last: the machine may have drifted. */
	base_util = (first->util + again->util) / 2;
	base_tput = (first->jobs_per_s + again->jobs_per_s) / 2;
	drift = first->jobs_per_s > 0 ? again->jobs_per_s / first->jobs_per_s :
					0;
	if (report_put_str(params, "dev", o->tb.dev) ||
	    report_put_bool(params, "dev_made", o->tb.made) ||
	    report_put_u64(params, "engines", o->tb.engines) ||
	    report_put_u64(params, "duration_ns", o->duration_ns) ||
	    report_put_u64(params, "warmup_ns", o->warmup_ns) ||
	    report_put_u64(params, "job_min_ns", o->job_min_ns) ||
	    report_put_u64(params, "job_max_ns", o->job_max_ns) ||
	    report_put_u64(params, "inflight_per_slice", inflight) ||
	    report_put_u64(params, "timeslice_ns", o->timeslice_ns))
		return -ENOMEM;
	for (i = 0; i < o->npoints; i++) {
		const struct overhead_point *pt = &o->points[i];
		double ur = base_util > 0 ? pt->util / base_util : 0;
		double tr = base_tput > 0 ? pt->jobs_per_s / base_tput : 0;
		bool baseline = !i || i + 1 == o->npoints;
		json_object *row = report_row(r);

		if (!baseline && ur < worst_util)
			worst_util = ur;
		if (!baseline && tr < worst_tput)
			worst_tput = tr;
		if (!row || report_put_u64(row, "slices", pt->slices) ||
		    report_put_bool(row, "baseline", baseline) ||
		    report_put_u64(row, "inflight",
				   (uint64_t)pt->slices * inflight) ||
		    report_put_u64(row, "wall_ns", pt->wall_ns) ||
		    report_put_u64(row, "busy_ns", pt->busy_ns) ||
		    report_put_u64(row, "jobs", pt->jobs) ||
		    report_put_u64(row, "jobs_failed", pt->failed) ||
		    report_put_double(row, "util", pt->util) ||
		    report_put_double(row, "util_pct", pt->util * 100) ||
		    report_put_double(row, "useful_pct", pt->useful * 100) ||
		    report_put_double(row, "jobs_per_s", pt->jobs_per_s) ||
		    report_put_double(row, "util_ratio", ur) ||
		    report_put_double(row, "jobs_per_s_ratio", tr) ||
		    report_put_double(row, "bench_cpu_pct",
				      pt->bench_cpu * 100) ||
		    report_put_double(row, "system_cpu_pct",
				      pt->system_cpu * 100) ||
		    report_put_u64(row, "setup_ns", pt->setup_ns))
			return -ENOMEM;
	}
	if (report_title(r,
			 "zsv-bench overhead on %s (%" PRIu32
			 " engines, timeslice %.0f us): %.1f s saturated per count, %" PRIu32
			 " jobs of %.1f-%.1f ms in flight per slice",
			 o->tb.dev, o->tb.engines, o->timeslice_ns / 1e3,
			 o->duration_ns / 1e9,
			 inflight, o->job_min_ns / 1e6, o->job_max_ns / 1e6))
		return -ENOMEM;
	if (report_put_double(summary, "baseline_drift", drift))
		return -ENOMEM;
	if (o->npoints > 2 &&
	    (report_put_double(summary, "min_util_ratio", worst_util) ||
	     report_put_double(summary, "min_jobs_per_s_ratio", worst_tput) ||
	     report_line(
		     r,
		     "worst against 1 slice: utilisation %.2fx, throughput %.2fx",
		     worst_util, worst_tput)))
		return -ENOMEM;
	return report_line(
		r,
		"1 slice ran first and last (ratios are to their mean); its\n"
		"throughput moved %.2fx between the two: more means a noisy machine.\n"
		"util: busy_ns of the pdev over engines x wall; useful: COMPUTE time of\n"
		"the jobs retired over the same; bench cpu: this process, of one CPU;\n"
		"system cpu: all CPUs busy (/proc/stat)",
		drift);
}

/*
 * --timeslice, which tb_close() puts back on a pdev of --dev; then the
 * timeslice the run has, for the report.
 */
static int set_timeslice(struct overhead *o)
{
	struct zsv_dev_params p = {
		.mask = ZSV_ATTR_BIT(ZSV_A_DEV_TIMESLICE_NS),
		.timeslice_ns = o->timeslice_ns,
	};
	struct zsv_dev_info *info;
	int err, ret;

	if (o->timeslice_ns) {
		err = zsv_dev_set(o->b->zh, o->tb.dev, &p);
		if (err)
			return bench_fail(o->b, err,
					  "cannot set %s's timeslice to %" PRIu64
					  " ns",
					  o->tb.dev, o->timeslice_ns);
	}
	ret = tb_dev_get(&o->tb, &info);
	if (ret)
		return ret;
	o->timeslice_ns = info->timeslice_ns;
	zsv_dev_info_free(info);
	return BENCH_EXIT_OK;
}

int overhead_main(struct bench *b, int argc, char **argv)
{
	struct overhead o = { .b = b };
	struct report *r = NULL;
	size_t i;
	int ret, err;

	ret = parse_args(&o, argc, argv);
	if (ret)
		return ret < 0 ? BENCH_EXIT_OK : ret;
	ret = tb_reserve_fds(b, o.counts[o.ncounts - 1]);
	if (!ret)
		ret = bench_connect(b);
	if (ret)
		return ret;
	bench_catch_signals();
	ret = tb_open(&o.tb, b, o.prefix, o.dev, o.engines, OVERHEAD_DEV_MEM);
	if (ret)
		return ret;
	/* The baseline's policy: the default one, whatever the pdev had. */
	ret = tb_set_policy(&o.tb, ZSV_POLICY_WEIGHTED);
	if (!ret)
		ret = set_timeslice(&o);
	for (i = 0; !ret && i < o.ncounts && !bench_stop; i++)
		ret = measure_point(&o, o.counts[i]);
	if (!ret && !bench_stop)
		ret = measure_point(&o, 1);
	err = tb_close(&o.tb);
	if (!ret)
		ret = err;
	if (bench_stop)
		return bench_stopped_status();
	if (ret)
		return ret;
	r = report_new("overhead", overhead_cols,
		       sizeof(overhead_cols) / sizeof(overhead_cols[0]));
	err = r ? build_report(&o, r) : -ENOMEM;
	if (!err)
		err = report_print(r, b, stdout);
	if (err)
		ret = bench_fail(b, err, "report");
	report_free(r);
	return ret;
}
