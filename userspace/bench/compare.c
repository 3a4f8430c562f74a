// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-bench compare: the headline figures of reports (zsv-bench -j) made
 * with two builds of zsv, side by side. `make bench BASE=REV` loads the
 * modules of REV and of the working tree in turn in one VM, runs the same
 * benchmarks with each and has this print them: the figures of one run,
 * so their ratios mean something on a noisy host.
 *
 * Each file is one report of overhead, latency or share. Figures of the
 * same name from several files of one side (rounds) are printed one after
 * the other; the ratio is of their means, new over base.
 *
 *   overhead  useful engine time and jobs/s, per slice count (rows of the
 *             same count are averaged), named after the pdev's timeslice
 *   latency   each op's median, and its median over INFO's
 *   share     per case, the worst error in percentage points and, where
 *             a slice is capped, the most it went over its cap in a period
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "bench.h"

#define COMPARE_FILES_MAX 16
#define COMPARE_FIGURES_MAX 64
#define COMPARE_ROUNDS_MAX COMPARE_FILES_MAX
#define COMPARE_NAME_MAX 80

enum side { BASE, NEW, SIDES };

struct figure {
	char name[COMPARE_NAME_MAX];
	enum report_fmt fmt;
	double val[SIDES][COMPARE_ROUNDS_MAX];
	size_t n[SIDES];
};

struct compare {
	struct bench *b;
	const char *file[SIDES][COMPARE_FILES_MAX];
	size_t nfiles[SIDES];
	const char *label[SIDES];
	struct figure fig[COMPARE_FIGURES_MAX];
	size_t nfig;
};

void compare_usage(FILE *f)
{
	fputs("Usage: zsv-bench compare [OPTIONS] -b FILE... -n FILE...\n"
	      "\n"
	      "Print the headline figures of zsv-bench -j reports (overhead,\n"
	      "latency, share) of two builds side by side: each figure's values\n"
	      "from the base files, from the new ones, and the ratio of their\n"
	      "means (new / base). Files of one side are rounds of the same\n"
	      "benchmarks, in any order.\n"
	      "\n"
	      "Options:\n"
	      "  -b, --base FILE         a report made with the base build\n"
	      "                          (again for more)\n"
	      "  -n, --new FILE          a report made with the new build\n"
	      "      --labels BASE,NEW   the two columns' names (default base,new)\n"
	      "  -j, --json, -p, --pretty, -h, --help   as for zsv-bench\n",
	      f);
}

static int add_file(struct compare *c, enum side s, const char *path)
{
	if (c->nfiles[s] == COMPARE_FILES_MAX)
		return bench_usage_error(compare_usage,
					 "at most %d files per side",
					 COMPARE_FILES_MAX);
	c->file[s][c->nfiles[s]++] = path;
	return 0;
}

static int parse_args(struct compare *c, int argc, char **argv)
{
	enum { OPT_LABELS = 0x100 };
	static const struct option long_opts[] = {
		{ "base", required_argument, NULL, 'b' },
		{ "new", required_argument, NULL, 'n' },
		{ "labels", required_argument, NULL, OPT_LABELS },
		BENCH_LONG_OPTS_COMMON,
	};
	static char labels[2 * COMPARE_NAME_MAX];
	char *comma;
	int opt, ret;

	c->label[BASE] = "base";
	c->label[NEW] = "new";
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "b:n:" BENCH_OPTS_COMMON,
				  long_opts, NULL)) != -1) {
		switch (opt) {
		case 'b':
			ret = add_file(c, BASE, optarg);
			break;
		case 'n':
			ret = add_file(c, NEW, optarg);
			break;
		case OPT_LABELS:
			snprintf(labels, sizeof(labels), "%s", optarg);
			comma = strchr(labels, ',');
			if (!comma || comma == labels || !comma[1] ||
			    strchr(comma + 1, ',') ||
			    strlen(optarg) >= sizeof(labels))
				return bench_usage_error(
					compare_usage,
					"--labels: '%s' is not two names, BASE,NEW",
					optarg);
			*comma = '\0';
			c->label[BASE] = labels;
			c->label[NEW] = comma + 1;
			ret = 0;
			break;
		default:
			ret = bench_opt_common(c->b, compare_usage, opt, argv);
			break;
		}
		if (ret)
			return ret;
	}
	if (optind < argc)
		return bench_usage_error(compare_usage,
					 "unexpected argument '%s'",
					 argv[optind]);
	if (!c->nfiles[BASE] || !c->nfiles[NEW])
		return bench_usage_error(compare_usage,
					 "give at least one file of each side (-b and -n)");
	return 0;
}

/* ------------------------------------------------------------------ */
/* Figures */

static struct figure *figure_get(struct compare *c, const char *name,
				 enum report_fmt fmt)
{
	size_t i;

	for (i = 0; i < c->nfig; i++)
		if (!strcmp(c->fig[i].name, name))
			return &c->fig[i];
	if (c->nfig == COMPARE_FIGURES_MAX)
		return NULL;
	snprintf(c->fig[c->nfig].name, COMPARE_NAME_MAX, "%s", name);
	c->fig[c->nfig].fmt = fmt;
	return &c->fig[c->nfig++];
}

static int figure_add(struct compare *c, enum side s, enum report_fmt fmt,
		      double val, const char *fmt_name, ...)
	__attribute__((format(printf, 5, 6)));

static int figure_add(struct compare *c, enum side s, enum report_fmt fmt,
		      double val, const char *fmt_name, ...)
{
	char name[COMPARE_NAME_MAX];
	struct figure *f;
	va_list ap;

	va_start(ap, fmt_name);
	vsnprintf(name, sizeof(name), fmt_name, ap);
	va_end(ap);
	f = figure_get(c, name, fmt);
	if (!f)
		return -E2BIG;
	if (f->n[s] == COMPARE_ROUNDS_MAX)
		return -E2BIG;
	f->val[s][f->n[s]++] = val;
	return 0;
}

/* @obj's member @key as a number: true when it is one (null is not). */
static bool get_num(json_object *obj, const char *key, double *val)
{
	json_object *v;

	if (!obj || !json_object_object_get_ex(obj, key, &v) || !v)
		return false;
	switch (json_object_get_type(v)) {
	case json_type_int:
	case json_type_double:
		*val = json_object_get_double(v);
		return true;
	default:
		return false;
	}
}

static const char *get_str(json_object *obj, const char *key)
{
	json_object *v;

	if (!obj || !json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* "2 ms", "500 us": a timeslice as a figure's name shows it. */
static void fmt_timeslice(char *buf, size_t len, double ns)
{
	if (ns >= 1e6 && fmod(ns, 1e6) == 0)
		snprintf(buf, len, "%.0f ms", ns / 1e6);
	else
		snprintf(buf, len, "%.0f us", ns / 1e3);
}

/* Rows of the same slice count: their mean. */
static int take_overhead(struct compare *c, enum side s, json_object *params,
			 json_object *rows)
{
	size_t n = json_object_array_length(rows), i, j;
	double ts, slices, other, useful, tput;
	char tsname[32] = "";
	int err;

	if (get_num(params, "timeslice_ns", &ts))
		fmt_timeslice(tsname, sizeof(tsname), ts);
	for (i = 0; i < n; i++) {
		json_object *row = json_object_array_get_idx(rows, i);
		double sum_useful = 0, sum_tput = 0;
		size_t k = 0;
		bool seen = false;

		if (!get_num(row, "slices", &slices))
			return -EPROTO;
		for (j = 0; j < i && !seen; j++)
			seen = get_num(json_object_array_get_idx(rows, j),
				       "slices", &other) &&
			       other == slices;
		if (seen)
			continue;
		for (j = i; j < n; j++) {
			json_object *r = json_object_array_get_idx(rows, j);

			if (!get_num(r, "slices", &other) || other != slices)
				continue;
			if (!get_num(r, "useful_pct", &useful) ||
			    !get_num(r, "jobs_per_s", &tput))
				return -EPROTO;
			sum_useful += useful;
			sum_tput += tput;
			k++;
		}
		err = figure_add(c, s, REPORT_PCT, sum_useful / k,
				 "overhead%s%s: useful, %.0f slice%s",
				 tsname[0] ? " " : "", tsname, slices,
				 slices == 1 ? "" : "s");
		if (!err)
			err = figure_add(c, s, REPORT_REAL, sum_tput / k,
					 "overhead%s%s: jobs/s, %.0f slice%s",
					 tsname[0] ? " " : "", tsname, slices,
					 slices == 1 ? "" : "s");
		if (err)
			return err;
	}
	return 0;
}

static int take_latency(struct compare *c, enum side s, json_object *rows)
{
	size_t n = json_object_array_length(rows), i;
	double median, ratio;
	json_object *ns;
	int err;

	for (i = 0; i < n; i++) {
		json_object *row = json_object_array_get_idx(rows, i);
		const char *op = get_str(row, "op");

		if (!op || !json_object_object_get_ex(row, "ns", &ns) ||
		    !get_num(ns, "median", &median) ||
		    !get_num(row, "median_vs_info", &ratio))
			return -EPROTO;
		err = figure_add(c, s, REPORT_NS, median,
				 "latency: %s median", op);
		if (!err && strcmp(op, "info"))
			err = figure_add(c, s, REPORT_RATIO, ratio,
					 "latency: %s median vs info", op);
		if (err)
			return err;
	}
	return 0;
}

static int take_share(struct compare *c, enum side s, json_object *rows)
{
	size_t n = json_object_array_length(rows), i;
	double err_pp, over;
	int err;

	for (i = 0; i < n; i++) {
		json_object *row = json_object_array_get_idx(rows, i);
		const char *name = get_str(row, "case");

		if (!name || !get_num(row, "max_err_pp", &err_pp))
			return -EPROTO;
		err = figure_add(c, s, REPORT_PP, err_pp,
				 "share %s: worst error (pp)", name);
		/* null: no slice of the case is capped. */
		if (!err && get_num(row, "cap_over_pp", &over))
			err = figure_add(c, s, REPORT_PP, over,
					 "share %s: over the cap in a period (pp)",
					 name);
		if (!err && get_num(row, "kernel_cap_over_pp", &over))
			err = figure_add(c, s, REPORT_PP, over,
					 "share %s: over, kernel's periods (pp)",
					 name);
		if (err)
			return err;
	}
	return 0;
}

static int take_file(struct compare *c, enum side s, const char *path)
{
	json_object *root = json_object_from_file(path), *params, *rows;
	const char *bench;
	int err;

	if (!root) {
		fprintf(stderr, "zsv-bench: compare: %s: %s\n", path,
			json_util_get_last_err() ?: "not JSON");
		return BENCH_EXIT_FAIL;
	}
	bench = get_str(root, "bench");
	if (!bench || !json_object_object_get_ex(root, "results", &rows) ||
	    !json_object_is_type(rows, json_type_array)) {
		fprintf(stderr,
			"zsv-bench: compare: %s: not a zsv-bench -j report\n",
			path);
		json_object_put(root);
		return BENCH_EXIT_FAIL;
	}
	json_object_object_get_ex(root, "params", &params);
	if (!strcmp(bench, "overhead"))
		err = take_overhead(c, s, params, rows);
	else if (!strcmp(bench, "latency"))
		err = take_latency(c, s, rows);
	else if (!strcmp(bench, "share"))
		err = take_share(c, s, rows);
	else
		err = -EOPNOTSUPP;
	if (err) {
		fprintf(stderr, "zsv-bench: compare: %s: %s\n", path,
			err == -EOPNOTSUPP ?
				"only overhead, latency and share reports compare" :
			err == -E2BIG ?
				"too many figures or rounds" :
				"a row lacks a figure this compares");
		json_object_put(root);
		return BENCH_EXIT_FAIL;
	}
	json_object_put(root);
	return BENCH_EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* The report */

static double mean(const double *v, size_t n)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += v[i];
	return n ? sum / n : 0;
}

/* The values of one side, "95.8% 95.7%", or "-" when it has none. */
static void fmt_values(char *buf, size_t len, const struct figure *f,
		       enum side s)
{
	size_t i, used = 0;

	buf[0] = '\0';
	if (!f->n[s]) {
		snprintf(buf, len, "-");
		return;
	}
	for (i = 0; i < f->n[s] && used + 1 < len; i++) {
		char one[32];

		report_format_num(one, sizeof(one), f->fmt, f->val[s][i]);
		used += snprintf(buf + used, len - used, "%s%s", i ? " " : "",
				 one);
	}
}

static const struct report_col compare_cols[] = {
	{ "figure", "figure", REPORT_STR },
	{ "base", "base_text", REPORT_STR },
	{ "new", "new_text", REPORT_STR },
	{ "new/base", "ratio", REPORT_RATIO },
};

static int put_values(json_object *row, const char *key, const double *v,
		      size_t n)
{
	json_object *arr = json_object_new_array();
	size_t i;

	if (!arr)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (json_object_array_add(arr, json_object_new_double(v[i]))) {
			json_object_put(arr);
			return -ENOMEM;
		}
	return report_put(row, key, arr);
}

static int build_report(struct compare *c, struct report *r)
{
	json_object *params = report_params(r);
	size_t i;
	int err;

	if (report_put_str(params, "base", c->label[BASE]) ||
	    report_put_str(params, "new", c->label[NEW]) ||
	    report_put_u64(params, "base_files", c->nfiles[BASE]) ||
	    report_put_u64(params, "new_files", c->nfiles[NEW]))
		return -ENOMEM;
	err = report_title(r, "zsv-bench compare: %s (%zu report%s) vs %s (%zu report%s)",
			   c->label[BASE], c->nfiles[BASE],
			   c->nfiles[BASE] == 1 ? "" : "s", c->label[NEW],
			   c->nfiles[NEW], c->nfiles[NEW] == 1 ? "" : "s");
	if (err)
		return err;
	for (i = 0; i < c->nfig; i++) {
		const struct figure *f = &c->fig[i];
		double b = mean(f->val[BASE], f->n[BASE]);
		double n = mean(f->val[NEW], f->n[NEW]);
		json_object *row = report_row(r);
		char text[SIDES][COMPARE_ROUNDS_MAX * 12];

		fmt_values(text[BASE], sizeof(text[BASE]), f, BASE);
		fmt_values(text[NEW], sizeof(text[NEW]), f, NEW);
		if (!row || report_put_str(row, "figure", f->name) ||
		    report_put_str(row, "base_text", text[BASE]) ||
		    report_put_str(row, "new_text", text[NEW]) ||
		    put_values(row, "base", f->val[BASE], f->n[BASE]) ||
		    put_values(row, "new", f->val[NEW], f->n[NEW]) ||
		    (f->n[BASE] && f->n[NEW] && b != 0 ?
			     report_put_double(row, "ratio", n / b) :
			     report_put_null(row, "ratio")))
			return -ENOMEM;
	}
	return report_line(r, "new/base: the ratio of the means; a figure one side lacks shows -");
}

int compare_main(struct bench *b, int argc, char **argv)
{
	struct compare *c = calloc(1, sizeof(*c));
	struct report *r = NULL;
	enum side s;
	size_t i;
	int ret, err;

	if (!c)
		return bench_sys_fail(ENOMEM, "compare");
	c->b = b;
	ret = parse_args(c, argc, argv);
	if (ret) {
		free(c);
		return ret < 0 ? BENCH_EXIT_OK : ret;
	}
	for (s = BASE; s < SIDES && !ret; s++)
		for (i = 0; i < c->nfiles[s] && !ret; i++)
			ret = take_file(c, s, c->file[s][i]);
	if (!ret) {
		r = report_new("compare", compare_cols,
			       sizeof(compare_cols) / sizeof(compare_cols[0]));
		err = r ? build_report(c, r) : -ENOMEM;
		if (!err)
			err = report_print(r, b, stdout);
		if (err)
			ret = bench_sys_fail(err, "report");
		report_free(r);
	}
	free(c);
	return ret;
}
