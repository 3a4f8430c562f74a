// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-bench latency: how long a tiny job takes from SUBMIT to the WAIT
 * that sees it retired, on an idle pdev: a 1-ns COMPUTE (the cost of
 * the job path itself) and a FILL of 4 KiB (one that touches memory).
 * Next to them, a bare ZSV_IOCTL_INFO round trip is the floor: what any
 * ioctl on a slice node costs.  Each is timed N times, one at a time,
 * after a few untimed rounds; the FILL's result is checked through a
 * mapping of its buffer at the end.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "bench.h"

#define LATENCY_DEFAULT_ITERATIONS 1000
#define LATENCY_WARMUP 20
#define LATENCY_FILL_BYTES 4096
#define LATENCY_DEFAULT_PREFIX "zsv-bench-lat"
#define LATENCY_SLICE_MEM (1ULL << 20)
#define LATENCY_DEV_MEM (1ULL << 30)
/* Give up on a job after this long: something is broken. */
#define LATENCY_WAIT_NS 10000000000LL

struct latency {
	struct bench *b;
	const char *dev;
	const char *prefix;
	uint32_t engines;
	uint32_t iterations;

	struct testbed tb;
	uint32_t bo;
	struct samples info;
	struct samples compute;
	struct samples fill;
	struct summary sum[3];
	uint64_t fill_checked; /* pattern seen through the mapping */
};

void latency_usage(FILE *f)
{
	fputs("Usage: zsv-bench latency [OPTIONS]\n"
	      "\n"
	      "Time a 1-ns COMPUTE job and a 4 KiB FILL job from SUBMIT until WAIT\n"
	      "returns with it retired, one at a time on an idle pdev, next to a bare\n"
	      "ZSV_IOCTL_INFO round trip (the floor); median and p99.\n"
	      "\n"
	      "Options:\n"
	      "  -d, --dev NAME          use this pdev; default: a new sim pdev,\n"
	      "                          removed at the end\n"
	      "  -e, --engines N         engines of the new pdev (default 4)\n"
	      "  -n, --iterations N      timed rounds of each (default 1000)\n"
	      "      --prefix NAME       name of our slice: NAME-0\n"
	      "                          (default " LATENCY_DEFAULT_PREFIX ")\n"
	      "  -j, --json, -p, --pretty, -h, --help   as for zsv-bench\n",
	      f);
}

static int parse_args(struct latency *l, int argc, char **argv)
{
	enum { OPT_PREFIX = 0x100 };
	static const struct option long_opts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "engines", required_argument, NULL, 'e' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "prefix", required_argument, NULL, OPT_PREFIX },
		BENCH_LONG_OPTS_COMMON,
	};
	char name[ZSV_NAME_MAX + 16];
	int opt, ret;

	l->engines = 4;
	l->iterations = LATENCY_DEFAULT_ITERATIONS;
	l->prefix = LATENCY_DEFAULT_PREFIX;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "d:e:n:" BENCH_OPTS_COMMON,
				  long_opts, NULL)) != -1) {
		ret = 0;
		switch (opt) {
		case 'd':
			l->dev = optarg;
			break;
		case 'e':
			ret = bench_opt_u32(latency_usage, "--engines", optarg,
					    &l->engines, 0);
			break;
		case 'n':
			ret = bench_opt_u32(latency_usage, "--iterations",
					    optarg, &l->iterations, 0);
			break;
		case OPT_PREFIX:
			l->prefix = optarg;
			break;
		default:
			ret = bench_opt_common(l->b, latency_usage, opt, argv);
			break;
		}
		if (ret)
			return ret;
	}
	if (optind < argc)
		return bench_usage_error(latency_usage,
					 "unexpected argument '%s'",
					 argv[optind]);
	snprintf(name, sizeof(name), "%s-0", l->prefix);
	return bench_opt_names(latency_usage, name, l->dev);
}

/* ------------------------------------------------------------------ */
/* Measuring */

static int time_info(struct latency *l, int fd, uint64_t *ns)
{
	struct zsv_info info;
	uint64_t t0;
	int err;

	t0 = bench_now_ns();
	err = zsv_slice_get_info(fd, &info);
	*ns = bench_now_ns() - t0;
	if (err)
		return bench_fail(l->b, err, "INFO on /dev/zsv/%s",
				  l->tb.slices[0].name);
	return BENCH_EXIT_OK;
}

/* One job, from SUBMIT until WAIT says it retired. */
static int time_job(struct latency *l, int fd, const struct zsv_job_cmd *cmd,
		    uint64_t *ns)
{
	struct zsv_job_status st;
	uint64_t t0, seqno;
	int err;

	t0 = bench_now_ns();
	err = zsv_job_submit(fd, cmd, 1, sizeof(*cmd), &seqno);
	if (!err)
		err = zsv_job_wait(fd, seqno,
				   zsv_monotonic_ns() + LATENCY_WAIT_NS, &st,
				   sizeof(st));
	*ns = bench_now_ns() - t0;
	if (err == -ENOTTY)
		return bench_fail(
			l->b, err,
			"SUBMIT on /dev/zsv/%s: this kernel has no data plane",
			l->tb.slices[0].name);
	if (err == -EINTR && bench_stop)
		return BENCH_EXIT_OK;
	if (err)
		return bench_fail(l->b, err, "job on /dev/zsv/%s",
				  l->tb.slices[0].name);
	if (st.error_seqno == seqno) {
		fprintf(stderr, "zsv-bench: job %" PRIu64 " failed: %s\n",
			seqno, strerror(st.error));
		return BENCH_EXIT_FAIL;
	}
	return BENCH_EXIT_OK;
}

/* The last FILL's pattern must be what the buffer holds. */
static int check_fill(struct latency *l, int fd, uint32_t pattern)
{
	uint64_t offset;
	uint32_t *p;
	size_t i;
	int err;

	err = zsv_bo_mmap_offset(fd, l->bo, &offset);
	if (err)
		return bench_fail(l->b, err, "BO_MMAP_OFFSET");
	p = mmap(NULL, LATENCY_FILL_BYTES, PROT_READ, MAP_SHARED, fd,
		 (off_t)offset);
	if (p == MAP_FAILED)
		return bench_fail(l->b, -errno, "mmap of the FILL's buffer");
	for (i = 0; i < LATENCY_FILL_BYTES / 4; i++)
		if (p[i] != pattern)
			break;
	munmap(p, LATENCY_FILL_BYTES);
	if (i < LATENCY_FILL_BYTES / 4) {
		fprintf(stderr,
			"zsv-bench: FILL of 0x%08" PRIx32
			" retired, but word %zu of the buffer holds something else\n",
			pattern, i);
		return BENCH_EXIT_FAIL;
	}
	l->fill_checked = pattern;
	return BENCH_EXIT_OK;
}

static int measure(struct latency *l)
{
	struct zsv_job_cmd compute = { .op = ZSV_OP_COMPUTE, .arg = 1 };
	struct zsv_job_cmd fill = { .op = ZSV_OP_FILL,
				    .length = LATENCY_FILL_BYTES };
	int fd = l->tb.slices[0].fd;
	uint32_t i, n = l->iterations + LATENCY_WARMUP;
	uint64_t ns;
	int ret = 0, err;

	err = zsv_bo_create(fd, LATENCY_FILL_BYTES, 0, &l->bo);
	if (err)
		return bench_fail(l->b, err, "BO_CREATE of %d bytes",
				  LATENCY_FILL_BYTES);
	fill.dst = l->bo;
	/* Interleaved, so that a drift in the machine hits all three. */
	for (i = 0; !ret && i < n && !bench_stop; i++) {
		ret = time_info(l, fd, &ns);
		if (!ret && i >= LATENCY_WARMUP && samples_add(&l->info, ns))
			ret = bench_fail(l->b, -ENOMEM, "samples");
		if (!ret)
			ret = time_job(l, fd, &compute, &ns);
		if (!ret && i >= LATENCY_WARMUP && samples_add(&l->compute, ns))
			ret = bench_fail(l->b, -ENOMEM, "samples");
		fill.arg = 0xa5000000u | i;
		if (!ret)
			ret = time_job(l, fd, &fill, &ns);
		if (!ret && i >= LATENCY_WARMUP && samples_add(&l->fill, ns))
			ret = bench_fail(l->b, -ENOMEM, "samples");
	}
	if (!ret && !bench_stop)
		ret = check_fill(l, fd, (uint32_t)fill.arg);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Reporting */

static const struct report_col latency_cols[] = {
	{ "op", "op", REPORT_STR },
	{ "count", "ns.count", REPORT_UINT },
	{ "min", "ns.min", REPORT_NS },
	{ "median", "ns.median", REPORT_NS },
	{ "p99", "ns.p99", REPORT_NS },
	{ "max", "ns.max", REPORT_NS },
	{ "vs info", "median_vs_info", REPORT_RATIO },
};

static int build_report(struct latency *l, struct report *r)
{
	static const char *const ops[] = { "info", "compute-1ns", "fill-4k" };
	static const char *const what[] = {
		"ZSV_IOCTL_INFO round trip (the floor)",
		"SUBMIT of one 1-ns COMPUTE until WAIT sees it retired",
		"SUBMIT of one FILL of 4096 bytes until WAIT sees it retired",
	};
	struct samples *s[] = { &l->info, &l->compute, &l->fill };
	json_object *params = report_params(r);
	size_t i;

	if (report_put_str(params, "dev", l->tb.dev) ||
	    report_put_bool(params, "dev_made", l->tb.made) ||
	    report_put_u64(params, "engines", l->tb.engines) ||
	    report_put_u64(params, "iterations", l->iterations) ||
	    report_put_u64(params, "warmup", LATENCY_WARMUP) ||
	    report_put_u64(params, "fill_bytes", LATENCY_FILL_BYTES))
		return -ENOMEM;
	for (i = 0; i < 3; i++)
		samples_summarise(s[i], &l->sum[i]);
	for (i = 0; i < 3; i++) {
		json_object *row = report_row(r);
		double ratio = l->sum[0].median_ns ?
				       (double)l->sum[i].median_ns /
					       l->sum[0].median_ns :
				       0;

		if (!row || report_put_str(row, "op", ops[i]) ||
		    report_put_str(row, "what", what[i]) ||
		    report_put_summary(row, "ns", &l->sum[i]) ||
		    report_put_double(row, "median_vs_info", ratio))
			return -ENOMEM;
	}
	if (report_put_u64(report_summary(r), "fill_checked_pattern",
			   l->fill_checked))
		return -ENOMEM;
	if (report_title(r,
			 "zsv-bench latency on %s (%" PRIu32
			 " engines, idle): %" PRIu32
			 " rounds of each, one at a time",
			 l->tb.dev, l->tb.engines, l->iterations))
		return -ENOMEM;
	return report_line(
		r,
		"compute-1ns and fill-4k: SUBMIT until WAIT returns; the FILL's\n"
		"bytes were checked through a mapping of its buffer");
}

int latency_main(struct bench *b, int argc, char **argv)
{
	struct latency l = { .b = b };
	struct report *r = NULL;
	int ret, err;

	ret = parse_args(&l, argc, argv);
	if (ret)
		return ret < 0 ? BENCH_EXIT_OK : ret;
	ret = bench_connect(b);
	if (ret)
		return ret;
	bench_catch_signals();
	ret = tb_open(&l.tb, b, l.prefix, l.dev, l.engines, LATENCY_DEV_MEM);
	if (ret)
		return ret;
	ret = tb_add_slice(&l.tb, LATENCY_SLICE_MEM, ZSV_WEIGHT_DEFAULT, 100);
	if (!ret && !bench_stop)
		ret = measure(&l);
	err = tb_close(&l.tb);
	if (!ret)
		ret = err;
	if (bench_stop) {
		ret = bench_stopped_status();
		goto out;
	}
	if (ret)
		goto out;
	r = report_new("latency", latency_cols,
		       sizeof(latency_cols) / sizeof(latency_cols[0]));
	err = r ? build_report(&l, r) : -ENOMEM;
	if (!err)
		err = report_print(r, b, stdout);
	if (err)
		ret = bench_fail(b, err, "report");
out:
	report_free(r);
	samples_free(&l.info);
	samples_free(&l.compute);
	samples_free(&l.fill);
	return ret;
}
