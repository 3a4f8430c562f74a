// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-bench share: does each slice get the share of engine time that its
 * pdev's policy promises?
 *
 * Each case carves slices with given weights and caps out of one pdev,
 * keeps the busy ones saturated with COMPUTE jobs (load.c) and samples
 * every slice's busy_ns with a slice dump at a fixed step.  Over each
 * window (--interval, 1 s) a slice's delivered share is
 *   delta busy_ns / (engines x delta wall time),
 * which the bench compares with what it computes itself from the weights,
 * caps and policy (share_model.c), in percentage points; the same over
 * the busy slices' total (delta busy / sum of delta busy) shows how the
 * time that was used was split.  Cases with a cap also sample at the
 * pdev's period and report the most a capped slice got past its cap in
 * one period; the case that changes weights mid-run reports how long
 * the new shares took to hold.  The kernel's own figures for the last
 * period (share_promised_ppm, share_delivered_ppm) are compared too.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define SHARE_DEFAULT_DURATION "5s"
#define SHARE_DEFAULT_INTERVAL "1s"
#define SHARE_DEFAULT_JOB_MIN "2ms"
#define SHARE_DEFAULT_JOB_MAX "5ms"
#define SHARE_DEFAULT_PREFIX "zsv-bench-share"
#define SHARE_DEFAULT_TOLERANCE_PP 2.0
/* How long the new shares must hold to count as settled. */
#define SHARE_HOLD_NS 1000000000ULL
/* Sampling steps (periods) per window when judging that. */
#define SHARE_SETTLE_STEPS 5
#define SHARE_SLICE_MEM (16ULL << 20)
#define SHARE_DEV_MEM (16ULL << 30)
#define SHARE_CASES_MAX 16

enum share_case_id {
	CASE_W2,
	CASE_W8,
	CASE_W64,
	CASE_CAP,
	CASE_FIXED,
	CASE_BEST_EFFORT,
	CASE_REWEIGHT,
	CASE_T1V8,
	CASE_TMIX,
	CASE_TCAP,
};

struct share_case {
	enum share_case_id id;
	const char *name;
	const char *what;
	enum zsv_policy policy;
	uint32_t slices;
	uint32_t tenants;
};

/* Append only: JSON consumers may key on the names. */
static const struct share_case share_cases[] = {
	{ CASE_W2, "w2", "weighted, 2 slices, weights 3:1", ZSV_POLICY_WEIGHTED,
	  2, 0 },
	{ CASE_W8, "w8", "weighted, 8 slices, weights 100, 200, ... 800",
	  ZSV_POLICY_WEIGHTED, 8, 0 },
	{ CASE_W64, "w64", "weighted, 64 slices, weights 100 ... 800 (8 each)",
	  ZSV_POLICY_WEIGHTED, 64, 0 },
	{ CASE_CAP, "cap", "weighted, 2 slices 1:1, one capped at 25%",
	  ZSV_POLICY_WEIGHTED, 2, 0 },
	{ CASE_FIXED, "fixed", "fixed, 4 slices 1:1:1:1, 2 of them idle",
	  ZSV_POLICY_FIXED, 4, 0 },
	{ CASE_BEST_EFFORT, "be",
	  "best-effort, 3 slices, weights 1:2:3 (ignored)",
	  ZSV_POLICY_BEST_EFFORT, 3, 0 },
	{ CASE_REWEIGHT, "reweight",
	  "weighted, 2 slices 1:1, then 3:1 (twice the duration)",
	  ZSV_POLICY_WEIGHTED, 2, 0 },
	{ CASE_T1V8, "t1v8",
	  "weighted, tenants 1:1, one with 1 slice, one with 8",
	  ZSV_POLICY_WEIGHTED, 9, 2 },
	{ CASE_TMIX, "tmix",
	  "weighted, tenants 3:1 (slices 1:1, 1:3), a slice of none",
	  ZSV_POLICY_WEIGHTED, 5, 2 },
	{ CASE_TCAP, "tcap",
	  "weighted, tenants 1:1, one with 2 slices, one capped at 10%",
	  ZSV_POLICY_WEIGHTED, 3, 2 },
};

#define SHARE_NCASES (sizeof(share_cases) / sizeof(share_cases[0]))

/* The weight of tenant @t of @sc. */
static uint32_t case_tenant_weight(const struct share_case *sc, uint32_t t)
{
	return sc->id == CASE_TMIX && !t ? 300 : 100;
}

/*
 * Weight, cap, tenant (-1 for none) and whether slice @i of @sc is busy,
 * in @phase 0 or 1.
 */
static void case_slice(const struct share_case *sc, uint32_t i, int phase,
		       uint32_t *weight, uint32_t *cap, int *tenant,
		       bool *busy)
{
	*weight = 100;
	*cap = 100;
	*tenant = -1;
	*busy = true;
	switch (sc->id) {
	case CASE_W2:
		*weight = i ? 100 : 300;
		break;
	case CASE_W8:
		*weight = 100 * (i + 1);
		break;
	case CASE_W64:
		*weight = 100 * (i % 8 + 1);
		break;
	case CASE_CAP:
		*cap = i ? 100 : 25;
		break;
	case CASE_FIXED:
		*busy = i < 2;
		break;
	case CASE_BEST_EFFORT:
		*weight = 100 * (i + 1);
		break;
	case CASE_REWEIGHT:
		*weight = phase && !i ? 300 : 100;
		break;
	case CASE_T1V8:
		*tenant = i ? 1 : 0;
		break;
	case CASE_TMIX:
		/* Tenant 0: slices 0 and 1; tenant 1: slices 2 and 3. */
		*tenant = i < 4 ? (int)i / 2 : -1;
		*weight = i == 3 ? 300 : 100;
		break;
	case CASE_TCAP:
		/* The capped slice's leftover goes to its sibling. */
		*tenant = i < 2 ? 0 : 1;
		*cap = i ? 100 : 10;
		break;
	}
}

struct share {
	struct bench *b;
	const char *dev;
	const char *prefix;
	uint32_t engines;
	uint64_t duration_ns;
	uint64_t interval_ns;
	uint64_t job_min_ns;
	uint64_t job_max_ns;
	uint32_t inflight;
	double tolerance_pp;
	const struct share_case *cases[SHARE_CASES_MAX];
	size_t ncases;

	struct testbed tb;
	struct load load;
	struct report *r;
	bool kernel_shares; /* the kernel reported share_*_ppm */
	double worst_pp;
	bool said_head; /* the per-slice lines' heading */
};

/* What one case ran with and measured. */
struct share_run {
	const struct share_case *sc;
	size_t n;
	uint32_t *weight[2];
	uint32_t *cap[2];
	int *tenant; /* per slice, -1 for none */
	uint32_t *tenant_weight;
	bool *busy;
	double *promised[2]; /* fractions of engines x wall */
	uint32_t *ids; /* the slices' ids, for the dumps */
	struct busy_sample *samples;
	size_t nsamples;
	size_t size;
	size_t change; /* sample the weights changed after; 0: none */
	uint64_t step_ns;
	uint64_t change_ns; /* when the new weights were in */
};

void share_usage(FILE *f)
{
	size_t i;

	fputs("Usage: zsv-bench share [OPTIONS]\n"
	      "\n"
	      "Keep slices of one pdev saturated with COMPUTE jobs and measure,\n"
	      "every window, the share of the pdev's engine time each one got\n"
	      "against the share its weight, cap and the policy promise.\n"
	      "\n"
	      "Options:\n"
	      "  -d, --dev NAME          use this pdev (its settings are put back;\n"
	      "                          other busy slices on it skew the figures);\n"
	      "                          default: a new sim pdev, removed at the end\n"
	      "  -e, --engines N         engines of the new pdev (default 4)\n"
	      "  -c, --cases LIST        cases to run, comma-separated (default all)\n"
	      "  -t, --duration DUR      per case, after one window of warm-up\n"
	      "                          (default " SHARE_DEFAULT_DURATION ")\n"
	      "  -i, --interval DUR      window (default " SHARE_DEFAULT_INTERVAL
	      ")\n"
	      "      --job-min DUR       shortest job (default " SHARE_DEFAULT_JOB_MIN
	      ")\n"
	      "      --job-max DUR       longest job (default " SHARE_DEFAULT_JOB_MAX
	      ")\n"
	      "      --inflight N        jobs kept in flight per busy slice\n"
	      "                          (default three times the engines)\n"
	      "      --tolerance PP      how close a share must come to count as\n"
	      "                          settled, percentage points (default 2)\n"
	      "      --prefix NAME       names of our slices: NAME-I\n"
	      "                          (default " SHARE_DEFAULT_PREFIX ")\n"
	      "  -j, --json, -p, --pretty, -h, --help   as for zsv-bench\n"
	      "\n"
	      "Cases:\n",
	      f);
	for (i = 0; i < SHARE_NCASES; i++)
		fprintf(f, "  %-9s %s\n", share_cases[i].name,
			share_cases[i].what);
	fputs("\n"
	      "Columns: err max/mean: |delivered - promised| over the busy slices'\n"
	      "windows, in points of the pdev's engine time; busy err: the same for\n"
	      "the split of the time that was used; cap over: most a capped slice\n"
	      "got past its cap between two samples a period apart (not aligned\n"
	      "with the kernel's periods: such a window can hold the end of one\n"
	      "period's allowance and the start of the next); +-read: how much of\n"
	      "that the two slice dumps' time can account for; k-over: the same in\n"
	      "the kernel's own periods; k-prom, k-dlv: the kernel's own\n"
	      "promised share and mean delivered share against the bench's; util:\n"
	      "engine time used; settle: time from the change until the shares,\n"
	      "over windows of 5 periods, held within the tolerance for 1 s.\n",
	      f);
}

static const struct share_case *case_find(const char *name)
{
	size_t i;

	for (i = 0; i < SHARE_NCASES; i++)
		if (!strcmp(share_cases[i].name, name))
			return &share_cases[i];
	return NULL;
}

static int parse_cases(struct share *sh, const char *arg)
{
	char *list, *word, *save;
	int err = 0;

	list = strdup(arg);
	if (!list)
		return -ENOMEM;
	sh->ncases = 0;
	for (word = strtok_r(list, ",", &save); word;
	     word = strtok_r(NULL, ",", &save)) {
		const struct share_case *sc = case_find(word);

		if (!sc || sh->ncases == SHARE_CASES_MAX) {
			err = -EINVAL;
			break;
		}
		sh->cases[sh->ncases++] = sc;
	}
	free(list);
	return err ? err : sh->ncases ? 0 : -EINVAL;
}

static int parse_args(struct share *sh, int argc, char **argv)
{
	enum {
		OPT_JOB_MIN = 0x100,
		OPT_JOB_MAX,
		OPT_INFLIGHT,
		OPT_TOLERANCE,
		OPT_PREFIX,
	};
	static const struct option long_opts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "engines", required_argument, NULL, 'e' },
		{ "cases", required_argument, NULL, 'c' },
		{ "duration", required_argument, NULL, 't' },
		{ "interval", required_argument, NULL, 'i' },
		{ "job-min", required_argument, NULL, OPT_JOB_MIN },
		{ "job-max", required_argument, NULL, OPT_JOB_MAX },
		{ "inflight", required_argument, NULL, OPT_INFLIGHT },
		{ "tolerance", required_argument, NULL, OPT_TOLERANCE },
		{ "prefix", required_argument, NULL, OPT_PREFIX },
		BENCH_LONG_OPTS_COMMON,
	};
	char name[ZSV_NAME_MAX + 16], *end;
	size_t i;
	int opt, ret;

	sh->engines = 4;
	sh->prefix = SHARE_DEFAULT_PREFIX;
	sh->tolerance_pp = SHARE_DEFAULT_TOLERANCE_PP;
	zsv_parse_duration(SHARE_DEFAULT_DURATION, &sh->duration_ns);
	zsv_parse_duration(SHARE_DEFAULT_INTERVAL, &sh->interval_ns);
	zsv_parse_duration(SHARE_DEFAULT_JOB_MIN, &sh->job_min_ns);
	zsv_parse_duration(SHARE_DEFAULT_JOB_MAX, &sh->job_max_ns);
	for (i = 0; i < SHARE_NCASES; i++)
		sh->cases[i] = &share_cases[i];
	sh->ncases = SHARE_NCASES;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "d:e:c:t:i:" BENCH_OPTS_COMMON,
				  long_opts, NULL)) != -1) {
		ret = 0;
		switch (opt) {
		case 'd':
			sh->dev = optarg;
			break;
		case 'e':
			ret = bench_opt_u32(share_usage, "--engines", optarg,
					    &sh->engines, 0);
			break;
		case 'c':
			if (parse_cases(sh, optarg))
				return bench_usage_error(
					share_usage,
					"--cases: '%s' is not a list of cases",
					optarg);
			break;
		case 't':
			ret = bench_opt_duration(share_usage, "--duration",
						 optarg, &sh->duration_ns,
						 false);
			break;
		case 'i':
			ret = bench_opt_duration(share_usage, "--interval",
						 optarg, &sh->interval_ns,
						 false);
			break;
		case OPT_JOB_MIN:
			ret = bench_opt_duration(share_usage, "--job-min",
						 optarg, &sh->job_min_ns,
						 false);
			break;
		case OPT_JOB_MAX:
			ret = bench_opt_duration(share_usage, "--job-max",
						 optarg, &sh->job_max_ns,
						 false);
			break;
		case OPT_INFLIGHT:
			ret = bench_opt_u32(share_usage, "--inflight", optarg,
					    &sh->inflight,
					    ZSV_JOBS_INFLIGHT_MAX);
			break;
		case OPT_TOLERANCE:
			errno = 0;
			sh->tolerance_pp = strtod(optarg, &end);
			if (errno || *end || end == optarg ||
			    !(sh->tolerance_pp > 0 && sh->tolerance_pp <= 100))
				return bench_usage_error(
					share_usage,
					"--tolerance: '%s' is not a number of points above 0",
					optarg);
			break;
		case OPT_PREFIX:
			sh->prefix = optarg;
			break;
		default:
			ret = bench_opt_common(sh->b, share_usage, opt, argv);
			break;
		}
		if (ret)
			return ret;
	}
	if (optind < argc)
		return bench_usage_error(
			share_usage, "unexpected argument '%s'", argv[optind]);
	if (sh->job_max_ns < sh->job_min_ns ||
	    sh->job_max_ns > ZSV_COMPUTE_NS_MAX)
		return bench_usage_error(
			share_usage,
			"--job-min must not exceed --job-max, nor that 10s");
	if (sh->duration_ns < sh->interval_ns)
		return bench_usage_error(
			share_usage,
			"--duration must be one --interval or more");
	snprintf(name, sizeof(name), "%s-63", sh->prefix);
	return bench_opt_names(share_usage, name, sh->dev);
}

/* ------------------------------------------------------------------ */
/* Sampling */

static void run_free(struct share_run *run)
{
	size_t i;

	for (i = 0; i < run->nsamples; i++)
		busy_sample_free(&run->samples[i]);
	free(run->samples);
	free(run->ids);
	for (i = 0; i < 2; i++) {
		free(run->weight[i]);
		free(run->cap[i]);
		free(run->promised[i]);
	}
	free(run->busy);
	free(run->tenant);
	free(run->tenant_weight);
	memset(run, 0, sizeof(*run));
}

static int run_alloc(struct share_run *run, const struct share_case *sc)
{
	size_t n = sc->slices, i;
	int phase;

	memset(run, 0, sizeof(*run));
	run->sc = sc;
	run->n = n;
	run->busy = calloc(n, sizeof(*run->busy));
	run->tenant = calloc(n, sizeof(*run->tenant));
	run->tenant_weight = calloc(sc->tenants + 1,
				    sizeof(*run->tenant_weight));
	if (!run->busy || !run->tenant || !run->tenant_weight)
		return -ENOMEM;
	for (i = 0; i < sc->tenants; i++)
		run->tenant_weight[i] = case_tenant_weight(sc, (uint32_t)i);
	for (phase = 0; phase < 2; phase++) {
		run->weight[phase] = calloc(n, sizeof(uint32_t));
		run->cap[phase] = calloc(n, sizeof(uint32_t));
		run->promised[phase] = calloc(n, sizeof(double));
		if (!run->weight[phase] || !run->cap[phase] ||
		    !run->promised[phase])
			return -ENOMEM;
		for (i = 0; i < n; i++)
			case_slice(sc, (uint32_t)i, phase,
				   &run->weight[phase][i], &run->cap[phase][i],
				   &run->tenant[i], &run->busy[i]);
		share_promised_tenants(sc->policy, n, run->weight[phase],
				       run->cap[phase], run->busy,
				       sc->tenants ? run->tenant : NULL,
				       run->tenant_weight,
				       run->promised[phase]);
	}
	return 0;
}

/* Dump the pdev's slices into a new sample of @run. */
static int take_sample(struct share *sh, struct share_run *run)
{
	struct busy_sample *smp;
	size_t i;

	if (!run->ids) {
		run->ids = calloc(run->n, sizeof(*run->ids));
		if (!run->ids)
			return bench_fail(sh->b, -ENOMEM, "samples");
		for (i = 0; i < run->n; i++)
			run->ids[i] = sh->tb.slices[i].id;
	}
	if (run->nsamples == run->size) {
		size_t size = run->size ? 2 * run->size : 64;

		smp = reallocarray(run->samples, size, sizeof(*smp));
		if (!smp)
			return bench_fail(sh->b, -ENOMEM, "samples");
		run->samples = smp;
		run->size = size;
	}
	smp = &run->samples[run->nsamples];
	if (busy_sample_alloc(smp, run->n))
		return bench_fail(sh->b, -ENOMEM, "samples");
	run->nsamples++;
	return busy_sample_take(sh->b, sh->tb.dev, run->ids, run->n, smp,
				&sh->kernel_shares);
}

/* Run the load, sampling every run->step_ns, until @end_ns. */
static int sample_until(struct share *sh, struct share_run *run,
			uint64_t end_ns)
{
	int ret = BENCH_EXIT_OK;

	while (!ret && !bench_stop) {
		uint64_t next =
			run->samples[run->nsamples - 1].t_ns + run->step_ns;

		if (next > end_ns)
			break;
		ret = load_run(&sh->load, sh->b, next);
		if (!ret && !bench_stop)
			ret = take_sample(sh, run);
	}
	return ret;
}

static int run_case(struct share *sh, struct share_run *run)
{
	const struct share_case *sc = run->sc;
	uint32_t inflight = sh->inflight ? sh->inflight : 3 * sh->tb.engines;
	uint64_t start, end;
	size_t i;
	int ret;

	ret = tb_set_policy(&sh->tb, sc->policy);
	for (i = 0; !ret && i < sc->tenants; i++)
		ret = tb_add_tenant(&sh->tb, run->tenant_weight[i]);
	for (i = 0; !ret && i < run->n && !bench_stop; i++)
		ret = tb_add_slice_in(&sh->tb, SHARE_SLICE_MEM,
				      run->weight[0][i], run->cap[0][i],
				      run->tenant[i]);
	if (ret || bench_stop)
		return ret;
	for (i = 0; !ret && i < run->n; i++)
		if (run->busy[i])
			ret = load_set(&sh->load, sh->b, &sh->tb.slices[i],
				       inflight);
	if (ret)
		return ret;

	/* Fine samples where a period matters: caps and the change. */
	run->step_ns = sh->interval_ns;
	for (i = 0; i < run->n; i++)
		if (run->cap[0][i] < 100)
			run->step_ns = sh->tb.period_ns;
	if (sc->id == CASE_REWEIGHT)
		run->step_ns = sh->tb.period_ns;
	if (run->step_ns > sh->interval_ns)
		run->step_ns = sh->interval_ns;

	/* One window of warm-up, then the first sample. */
	start = bench_now_ns();
	ret = load_run(&sh->load, sh->b, start + sh->interval_ns);
	if (!ret && !bench_stop)
		ret = take_sample(sh, run);
	if (ret || bench_stop)
		return ret;
	start = run->samples[0].t_ns;
	end = start + sh->duration_ns + run->step_ns / 2;
	if (sc->id != CASE_REWEIGHT)
		return sample_until(sh, run, end);

	ret = sample_until(sh, run, start + sh->duration_ns + run->step_ns / 2);
	if (ret || bench_stop)
		return ret;
	for (i = 0; !ret && i < run->n; i++)
		if (run->weight[1][i] != run->weight[0][i])
			ret = tb_set_slice(&sh->tb, &sh->tb.slices[i],
					   run->weight[1][i], run->cap[1][i]);
	if (ret)
		return ret;
	run->change = run->nsamples - 1;
	run->change_ns = bench_now_ns();
	return sample_until(
		sh, run, run->change_ns + sh->duration_ns + run->step_ns / 2);
}

/* ------------------------------------------------------------------ */
/* Analysis */

struct slice_stats {
	double delivered_sum; /* fractions, over the counted windows */
	double delivered_min;
	double delivered_max;
	double of_busy_sum;
	double kernel_delivered_sum; /* over the counted windows' ends */
	uint32_t kernel_promised_ppm; /* at the last counted window */
};

struct case_result {
	size_t windows;
	size_t last_phase_windows; /* the slices' stats cover these */
	json_object *window_err; /* each window's worst error, pp */
	double max_err_pp;
	double mean_err_pp;
	double max_busy_err_pp;
	double util_sum;
	bool capped;
	double cap_over_pp;
	double cap_over_read_pp;
	double kernel_cap_over_pp;
	double kernel_promised_err_pp;
	double kernel_delivered_err_pp;
	bool settled;
	uint64_t settle_ns;
	struct slice_stats *slices;
};

static double delivered(const struct share *sh, const struct busy_sample *a,
			const struct busy_sample *b, size_t i)
{
	return busy_share(a, b, i, sh->tb.engines);
}

/*
 * Windows: from a sample to the first one at least an interval later
 * (less half a step, as samples jitter).  The weight change starts the
 * windows afresh, and the first window after it is the transition:
 * settle time covers it, the error figures do not.
 */
static size_t next_window(const struct share *sh, const struct share_run *run,
			  size_t a)
{
	size_t b;

	for (b = a + 1; b < run->nsamples; b++) {
		if (run->change && a < run->change && b > run->change)
			return run->change;
		if (run->samples[b].t_ns - run->samples[a].t_ns +
			    run->step_ns / 2 >=
		    sh->interval_ns)
			return b;
	}
	return 0;
}

static void analyse_windows(const struct share *sh, const struct share_run *run,
			    struct case_result *cr)
{
	double err_sum = 0, window_err;
	size_t err_count = 0, a, b, i;

	for (i = 0; i < run->n; i++) {
		cr->slices[i].delivered_min = INFINITY;
		cr->slices[i].delivered_max = 0;
	}
	for (a = 0; (b = next_window(sh, run, a)); a = b) {
		int phase = run->change && a >= run->change;
		const double *p = run->promised[phase];
		const struct busy_sample *sa = &run->samples[a];
		const struct busy_sample *sb = &run->samples[b];
		double used = 0, promised_busy = 0, util = 0;

		if (run->change && a == run->change)
			continue; /* the transition */
		/* The slices' figures are those of the last phase. */
		if (phase && !cr->last_phase_windows && cr->windows) {
			for (i = 0; i < run->n; i++) {
				memset(&cr->slices[i], 0,
				       sizeof(cr->slices[i]));
				cr->slices[i].delivered_min = INFINITY;
			}
		}
		if (run->change && b == run->change &&
		    sb->t_ns - sa->t_ns + run->step_ns / 2 < sh->interval_ns)
			continue; /* a short window before the change */
		for (i = 0; i < run->n; i++) {
			if (sb->busy_ns[i] > sa->busy_ns[i])
				used += (double)(sb->busy_ns[i] -
						 sa->busy_ns[i]);
			if (run->busy[i])
				promised_busy += p[i];
		}
		window_err = 0;
		for (i = 0; i < run->n; i++) {
			struct slice_stats *ss = &cr->slices[i];
			double d = delivered(sh, sa, sb, i), err;
			double of_busy = 0;

			util += d;
			if (sb->busy_ns[i] > sa->busy_ns[i] && used > 0)
				of_busy = (sb->busy_ns[i] - sa->busy_ns[i]) /
					  used;
			ss->delivered_sum += d;
			ss->of_busy_sum += of_busy;
			if (d < ss->delivered_min)
				ss->delivered_min = d;
			if (d > ss->delivered_max)
				ss->delivered_max = d;
			ss->kernel_delivered_sum += sb->delivered_ppm[i] / 1e6;
			ss->kernel_promised_ppm = sb->promised_ppm[i];
			if (!run->busy[i])
				continue;
			err = fabs(d - p[i]) * 100;
			err_sum += err;
			err_count++;
			if (err > cr->max_err_pp)
				cr->max_err_pp = err;
			if (err > window_err)
				window_err = err;
			if (promised_busy > 0) {
				err = fabs(of_busy - p[i] / promised_busy) *
				      100;
				if (err > cr->max_busy_err_pp)
					cr->max_busy_err_pp = err;
			}
			err = fabs(sb->promised_ppm[i] / 1e6 - p[i]) * 100;
			if (err > cr->kernel_promised_err_pp)
				cr->kernel_promised_err_pp = err;
		}
		cr->util_sum += util;
		cr->windows++;
		if (phase || !run->change)
			cr->last_phase_windows++;
		if (cr->window_err) {
			char buf[32];

			snprintf(buf, sizeof(buf), "%.3f", window_err);
			json_object_array_add(
				cr->window_err,
				json_object_new_double_s(window_err, buf));
		}
	}
	cr->mean_err_pp = err_count ? err_sum / err_count : 0;
	for (i = 0; i < run->n; i++) {
		struct slice_stats *ss = &cr->slices[i];
		double diff;

		if (!cr->last_phase_windows) {
			ss->delivered_min = 0;
			continue;
		}
		diff = fabs(ss->kernel_delivered_sum - ss->delivered_sum) /
		       cr->last_phase_windows * 100;
		if (run->busy[i] && diff > cr->kernel_delivered_err_pp)
			cr->kernel_delivered_err_pp = diff;
	}
}

/* The most a capped slice got past its cap, per sampled period. */
static void analyse_caps(const struct share *sh, const struct share_run *run,
			 struct case_result *cr)
{
	size_t k, i;

	for (i = 0; i < run->n; i++) {
		if (run->cap[0][i] >= 100)
			continue;
		cr->capped = true;
		for (k = 1; k < run->nsamples; k++) {
			double cap = run->cap[0][i] / 100.0;
			double over = (delivered(sh, &run->samples[k - 1],
						 &run->samples[k], i) -
				       cap) *
				      100;
			double kover =
				(run->samples[k].delivered_ppm[i] / 1e6 - cap) *
				100;

			if (over > cr->cap_over_pp) {
				const struct busy_sample *a =
					&run->samples[k - 1];
				const struct busy_sample *b = &run->samples[k];

				cr->cap_over_pp = over;
				/*
				 * What the reads' timing allows: the window
				 * may be longer or shorter by half of each
				 * dump, all of it on every engine.
				 */
				cr->cap_over_read_pp =
					(double)(a->span_ns + b->span_ns) / 2 /
					(double)(b->t_ns - a->t_ns) * 100;
			}
			if (kover > cr->kernel_cap_over_pp)
				cr->kernel_cap_over_pp = kover;
		}
	}
}

/*
 * Error of the busy slices over the window of samples @k to the first one
 * SHARE_SETTLE_STEPS steps later: a one-period window is noisy (a few
 * quanta more or less), so settling is judged over several.  -1 when the
 * run ended first.
 */
static double settle_err(const struct share *sh, const struct share_run *run,
			 size_t k)
{
	uint64_t span = SHARE_SETTLE_STEPS * run->step_ns;
	double worst = 0;
	size_t j, i;

	for (j = k + 1; j < run->nsamples; j++)
		if (run->samples[j].t_ns - run->samples[k].t_ns +
			    run->step_ns / 2 >=
		    span)
			break;
	if (j == run->nsamples)
		return -1;
	for (i = 0; i < run->n; i++) {
		double d = delivered(sh, &run->samples[k], &run->samples[j], i);
		double err = fabs(d - run->promised[1][i]) * 100;

		if (run->busy[i] && err > worst)
			worst = err;
	}
	return worst;
}

/*
 * After the weight change: the start of the first window (of
 * SHARE_SETTLE_STEPS sampling steps, each a period) from which every
 * window starting within SHARE_HOLD_NS has every busy slice within the
 * tolerance of its new share.  Measured from the moment slice-set
 * returned; 0 when the first window after it is already within.
 */
static void analyse_settle(const struct share *sh, const struct share_run *run,
			   struct case_result *cr)
{
	size_t k, j;

	if (!run->change)
		return;
	for (k = run->change; k < run->nsamples; k++) {
		bool holds = settle_err(sh, run, k) >= 0;

		for (j = k; holds && j < run->nsamples; j++) {
			double err;

			if (run->samples[j].t_ns - run->samples[k].t_ns >
			    SHARE_HOLD_NS)
				break;
			err = settle_err(sh, run, j);
			if (err > sh->tolerance_pp)
				holds = false;
		}
		if (holds) {
			cr->settled = true;
			cr->settle_ns =
				run->samples[k].t_ns > run->change_ns ?
					run->samples[k].t_ns - run->change_ns :
					0;
			return;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Reporting */

static const struct report_col share_cols[] = {
	{ "case", "case", REPORT_STR },
	{ "policy", "policy", REPORT_STR },
	{ "busy/all", "shape", REPORT_STR },
	{ "windows", "windows", REPORT_UINT },
	{ "err max", "max_err_pp", REPORT_PP },
	{ "err mean", "mean_err_pp", REPORT_PP },
	{ "busy err", "max_busy_err_pp", REPORT_PP },
	{ "cap over", "cap_over_pp", REPORT_PP },
	{ "+-read", "cap_over_read_pp", REPORT_PP },
	{ "k-over", "kernel_cap_over_pp", REPORT_PP },
	{ "k-prom", "kernel_promised_err_pp", REPORT_PP },
	{ "k-dlv", "kernel_delivered_err_pp", REPORT_PP },
	{ "util", "util_pct", REPORT_PCT },
	{ "settle", "settle_ns", REPORT_MS },
};

/* @val, or null where it does not apply or was not reported. */
static int put_pp_or_null(json_object *o, const char *key, bool present,
			  double val)
{
	return present ? report_put_double(o, key, val) :
			 report_put_null(o, key);
}

static int report_slices(const struct share *sh, const struct share_run *run,
			 const struct case_result *cr, json_object *row)
{
	json_object *arr = json_object_new_array();
	size_t i;

	if (!arr || report_put(row, "slices_detail", arr))
		return -ENOMEM;
	for (i = 0; i < run->n; i++) {
		const struct slice_stats *ss = &cr->slices[i];
		int phase = run->change ? 1 : 0;
		double w = cr->last_phase_windows ? cr->last_phase_windows : 1;
		json_object *o = json_object_new_object();

		if (!o || json_object_array_add(arr, o)) {
			json_object_put(o);
			return -ENOMEM;
		}
		if (report_put_str(o, "name", sh->tb.slices[i].name) ||
		    report_put_u64(o, "weight", run->weight[phase][i]) ||
		    report_put_u64(o, "cap_pct", run->cap[phase][i]) ||
		    report_put_bool(o, "busy", run->busy[i]) ||
		    report_put_double(o, "promised_pct",
				      run->promised[phase][i] * 100) ||
		    report_put_double(o, "delivered_pct",
				      ss->delivered_sum / w * 100) ||
		    report_put_double(o, "delivered_min_pct",
				      ss->delivered_min * 100) ||
		    report_put_double(o, "delivered_max_pct",
				      ss->delivered_max * 100) ||
		    report_put_double(o, "of_busy_pct",
				      ss->of_busy_sum / w * 100) ||
		    report_put_double(o, "kernel_promised_pct",
				      ss->kernel_promised_ppm / 1e4) ||
		    report_put_double(o, "kernel_delivered_pct",
				      ss->kernel_delivered_sum / w * 100) ||
		    report_put_u64(o, "jobs_failed", sh->tb.slices[i].failed))
			return -ENOMEM;
	}
	return 0;
}

/*
 * Cases sampled every period, with few slices: each period's delivered
 * share per slice, the bench's and the kernel's, from the change (or
 * the first sample) on, to see a cap or a change at work.
 */
static int report_fine(const struct share *sh, const struct share_run *run,
		       json_object *row)
{
	size_t k, i, from = run->change;
	json_object *arr;

	if (run->step_ns >= sh->interval_ns || run->n > 8)
		return 0;
	arr = json_object_new_array();
	if (!arr || report_put(row, "periods", arr))
		return -ENOMEM;
	for (k = from + 1; k < run->nsamples; k++) {
		const struct busy_sample *sa = &run->samples[k - 1];
		const struct busy_sample *sb = &run->samples[k];
		json_object *o = json_object_new_object();
		json_object *d = json_object_new_array();
		json_object *kd = json_object_new_array();

		if (!o || json_object_array_add(arr, o)) {
			json_object_put(o);
			json_object_put(d);
			json_object_put(kd);
			return -ENOMEM;
		}
		if (report_put_double(
			    o, "end_ms",
			    (double)(sb->t_ns - run->samples[from].t_ns) /
				    1e6) ||
		    report_put(o, "delivered_pct", d) ||
		    report_put(o, "kernel_delivered_pct", kd))
			return -ENOMEM;
		for (i = 0; i < run->n; i++) {
			char buf[32];
			double v = delivered(sh, sa, sb, i) * 100;

			snprintf(buf, sizeof(buf), "%.2f", v);
			if (json_object_array_add(
				    d, json_object_new_double_s(v, buf)))
				return -ENOMEM;
			v = sb->delivered_ppm[i] / 1e4;
			snprintf(buf, sizeof(buf), "%.2f", v);
			if (json_object_array_add(
				    kd, json_object_new_double_s(v, buf)))
				return -ENOMEM;
		}
	}
	return 0;
}

/* "w2: 75.0/74.8 25.0/25.2": promised/delivered, for small cases. */
static int report_case_line(const struct share_run *run,
			    const struct case_result *cr, struct report *r,
			    bool *said_head)
{
	char line[512];
	size_t len, i;
	int phase = run->change ? 1 : 0;

	if (run->n > 9 || !cr->last_phase_windows)
		return 0;
	if (!*said_head && report_line(r, "promised/delivered %% per slice:"))
		return -ENOMEM;
	*said_head = true;
	len = (size_t)snprintf(line, sizeof(line), "  %-9s", run->sc->name);
	for (i = 0; i < run->n && len < sizeof(line); i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len,
					" %.1f/%.1f",
					run->promised[phase][i] * 100,
					cr->slices[i].delivered_sum /
						cr->last_phase_windows * 100);
	return report_line(r, "%s", line);
}

static int report_case(struct share *sh, const struct share_run *run,
		       const struct case_result *cr)
{
	json_object *row = report_row(sh->r);
	char shape[32];
	size_t busy = 0, i;

	for (i = 0; i < run->n; i++)
		busy += run->busy[i];
	snprintf(shape, sizeof(shape), "%zu/%zu", busy, run->n);
	if (!row || report_put_str(row, "case", run->sc->name) ||
	    report_put_str(row, "what", run->sc->what) ||
	    report_put_str(row, "policy", zsv_policy_name(run->sc->policy)) ||
	    report_put_str(row, "shape", shape) ||
	    report_put_u64(row, "slices", run->n) ||
	    report_put_u64(row, "busy_slices", busy) ||
	    report_put_u64(row, "windows", cr->windows) ||
	    report_put_u64(row, "step_ns", run->step_ns) ||
	    report_put_double(row, "max_err_pp", cr->max_err_pp) ||
	    report_put_double(row, "mean_err_pp", cr->mean_err_pp) ||
	    report_put_double(row, "max_busy_err_pp", cr->max_busy_err_pp) ||
	    put_pp_or_null(row, "cap_over_pp", cr->capped, cr->cap_over_pp) ||
	    put_pp_or_null(row, "cap_over_read_pp", cr->capped,
			   cr->cap_over_read_pp) ||
	    put_pp_or_null(row, "kernel_cap_over_pp",
			   cr->capped && sh->kernel_shares,
			   cr->kernel_cap_over_pp) ||
	    put_pp_or_null(row, "kernel_promised_err_pp", sh->kernel_shares,
			   cr->kernel_promised_err_pp) ||
	    put_pp_or_null(row, "kernel_delivered_err_pp", sh->kernel_shares,
			   cr->kernel_delivered_err_pp) ||
	    report_put_double(row, "util_pct",
			      cr->windows ? cr->util_sum / cr->windows * 100 :
					    0))
		return -ENOMEM;
	if (run->change) {
		if (report_put_bool(row, "settled", cr->settled) ||
		    (cr->settled ?
			     report_put_u64(row, "settle_ns", cr->settle_ns) :
			     report_put_null(row, "settle_ns")))
			return -ENOMEM;
	}
	if (report_put(row, "window_err_pp", json_object_get(cr->window_err)) ||
	    report_slices(sh, run, cr, row) || report_fine(sh, run, row))
		return -ENOMEM;
	if (cr->max_err_pp > sh->worst_pp)
		sh->worst_pp = cr->max_err_pp;
	return report_case_line(run, cr, sh->r, &sh->said_head);
}

static int measure_case(struct share *sh, const struct share_case *sc)
{
	struct case_result cr = { 0 };
	struct share_run run;
	int ret, err;

	if (run_alloc(&run, sc)) {
		run_free(&run);
		return bench_fail(sh->b, -ENOMEM, "case %s", sc->name);
	}
	ret = load_init(&sh->load, sh->b, sh->job_min_ns, sh->job_max_ns);
	if (!ret)
		ret = run_case(sh, &run);
	load_fini(&sh->load);
	if (!ret && !bench_stop) {
		cr.slices = calloc(run.n, sizeof(*cr.slices));
		cr.window_err = json_object_new_array();
		if (!cr.slices || !cr.window_err) {
			ret = bench_fail(sh->b, -ENOMEM, "case %s", sc->name);
		} else {
			analyse_windows(sh, &run, &cr);
			analyse_caps(sh, &run, &cr);
			analyse_settle(sh, &run, &cr);
			err = report_case(sh, &run, &cr);
			if (err)
				ret = bench_fail(sh->b, err, "report");
		}
	}
	/* Slices go between cases; the pdev stays. */
	err = tb_clear(&sh->tb);
	if (!ret)
		ret = err;
	free(cr.slices);
	json_object_put(cr.window_err);
	run_free(&run);
	return ret;
}

static int report_head(struct share *sh)
{
	json_object *params = report_params(sh->r);
	json_object *cases = json_object_new_array();
	size_t i;

	if (!cases || report_put(params, "cases", cases))
		return -ENOMEM;
	for (i = 0; i < sh->ncases; i++)
		if (json_object_array_add(
			    cases, json_object_new_string(sh->cases[i]->name)))
			return -ENOMEM;
	if (report_put_str(params, "dev", sh->tb.dev) ||
	    report_put_bool(params, "dev_made", sh->tb.made) ||
	    report_put_u64(params, "engines", sh->tb.engines) ||
	    report_put_u64(params, "period_ns", sh->tb.period_ns) ||
	    report_put_u64(params, "duration_ns", sh->duration_ns) ||
	    report_put_u64(params, "interval_ns", sh->interval_ns) ||
	    report_put_u64(params, "job_min_ns", sh->job_min_ns) ||
	    report_put_u64(params, "job_max_ns", sh->job_max_ns) ||
	    report_put_u64(params, "inflight",
			   sh->inflight ? sh->inflight : 3 * sh->tb.engines) ||
	    report_put_double(params, "tolerance_pp", sh->tolerance_pp))
		return -ENOMEM;
	return report_title(
		sh->r,
		"zsv-bench share on %s (%" PRIu32
		" engines, period %.0f ms): %.1f s per case, %.1f s windows, jobs of %.1f-%.1f ms",
		sh->tb.dev, sh->tb.engines, sh->tb.period_ns / 1e6,
		sh->duration_ns / 1e9, sh->interval_ns / 1e9,
		sh->job_min_ns / 1e6, sh->job_max_ns / 1e6);
}

int share_main(struct bench *b, int argc, char **argv)
{
	struct share sh = { .b = b };
	size_t i, most = 0;
	int ret, err;

	ret = parse_args(&sh, argc, argv);
	if (ret)
		return ret < 0 ? BENCH_EXIT_OK : ret;
	for (i = 0; i < sh.ncases; i++)
		if (sh.cases[i]->slices > most)
			most = sh.cases[i]->slices;
	ret = tb_reserve_fds(b, most);
	if (!ret)
		ret = bench_connect(b);
	if (ret)
		return ret;
	bench_catch_signals();
	ret = tb_open(&sh.tb, b, sh.prefix, sh.dev, sh.engines, SHARE_DEV_MEM);
	if (ret)
		return ret;
	sh.r = report_new("share", share_cols,
			  sizeof(share_cols) / sizeof(share_cols[0]));
	if (!sh.r || report_head(&sh))
		ret = bench_fail(b, -ENOMEM, "report");
	for (i = 0; !ret && i < sh.ncases && !bench_stop; i++)
		ret = measure_case(&sh, sh.cases[i]);
	err = tb_close(&sh.tb);
	if (!ret)
		ret = err;
	if (bench_stop) {
		ret = bench_stopped_status();
	} else if (!ret) {
		if (report_put_double(report_summary(sh.r), "max_err_pp",
				      sh.worst_pp) ||
		    report_put_bool(report_summary(sh.r), "kernel_shares",
				    sh.kernel_shares) ||
		    report_print(sh.r, b, stdout))
			ret = bench_fail(b, -ENOMEM, "report");
	}
	report_free(sh.r);
	return ret;
}
