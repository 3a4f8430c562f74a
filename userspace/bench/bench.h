/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * zsv-bench: what the subcommands (churn.c, ...) share.
 *
 * A subcommand is an entry {name, function, usage, help} in the table in
 * zsv-bench.c.  It measures, puts every number into a report (report.c)
 * and prints the report once: a table for people, or JSON with -j.  Both
 * come from the same report, so they always carry the same numbers.
 */
#ifndef ZSV_BENCH_H
#define ZSV_BENCH_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <json-c/json_object.h>

#include "libzsv.h"

/* Exit status, as zsvctl's; 128 + N after a signal N stopped a run. */
enum {
	BENCH_EXIT_OK = 0,
	BENCH_EXIT_FAIL = 1, /* the kernel or the system refused */
	BENCH_EXIT_USAGE = 2, /* the command line is wrong */
};

struct bench {
	bool json;
	bool pretty;
	struct zsv_handle *zh; /* opened by bench_connect() */
};

/**
 * struct bench_cmd - one subcommand
 * @name: the word that selects it
 * @fn: runs it with the words that follow it; returns an exit status
 * @usage: prints its usage
 * @help: one line for the help text
 */
struct bench_cmd {
	const char *name;
	int (*fn)(struct bench *b, int argc, char **argv);
	void (*usage)(FILE *f);
	const char *help;
};

int churn_main(struct bench *b, int argc, char **argv);
void churn_usage(FILE *f);

/* "zsv-bench: <message>" and @usage on stderr; returns BENCH_EXIT_USAGE. */
int bench_usage_error(void (*usage)(FILE *f), const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * "zsv-bench: <what failed>: <the kernel's message or strerror>" on
 * stderr; returns BENCH_EXIT_FAIL.  @err is what libzsv returned.
 */
int bench_fail(struct bench *b, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Open b->zh, or say why not; returns an exit status. */
int bench_connect(struct bench *b);

/*
 * Signals that stop a run (SIGINT, SIGTERM, SIGHUP): once one arrived,
 * bench_stop is its number, and a subcommand winds down, removes what
 * it made and returns bench_stopped_status().  Requests in flight are
 * finished first (libnl retries an interrupted receive).
 */
extern volatile sig_atomic_t bench_stop;
void bench_catch_signals(void);
int bench_stopped_status(void);

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* ------------------------------------------------------------------ */
/* Samples (stats.c) */

/* Durations of one kind of operation, in nanoseconds. */
struct samples {
	uint64_t *ns;
	size_t count;
	size_t size;
};

int samples_add(struct samples *s, uint64_t ns);
void samples_reset(struct samples *s);
void samples_free(struct samples *s);

/**
 * struct summary - the distribution of a set of samples
 * @count: how many samples
 * @min_ns, @median_ns, @p99_ns, @max_ns: nearest-rank percentiles (the
 *	smallest sample with at least that share of samples at or below it)
 * @mean_ns: arithmetic mean
 */
struct summary {
	size_t count;
	uint64_t min_ns;
	uint64_t median_ns;
	uint64_t p99_ns;
	uint64_t max_ns;
	uint64_t mean_ns;
};

/* Summarise @s (sorts it); all zero when it is empty. */
void samples_summarise(struct samples *s, struct summary *sum);

/* ------------------------------------------------------------------ */
/* Reports (report.c) */

/* How a table column prints its number for people. */
enum report_fmt {
	REPORT_UINT, /* as is */
	REPORT_NS, /* nanoseconds, printed as microseconds: "812.3us" */
};

/**
 * struct report_col - one column of the table
 * @header: its header
 * @key: where its value is in each row object; "a.b" is member b of
 *	member a
 * @fmt: how it prints
 */
struct report_col {
	const char *header;
	const char *key;
	enum report_fmt fmt;
};

/*
 * A report is one JSON object:
 *   { "bench": NAME, "params": {...}, "results": [ ROW, ... ],
 *     "summary": {...} }
 * For people it prints as a title line, a table with one line per ROW
 * and the summary lines the subcommand wrote, in that order.
 */
struct report;

struct report *report_new(const char *bench, const struct report_col *cols,
			  size_t ncols);
void report_free(struct report *r);

/* Members of the report, to add to with the report_put_*() helpers. */
json_object *report_params(struct report *r);
json_object *report_summary(struct report *r);

/* A new ROW at the end of "results"; NULL when out of memory. */
json_object *report_row(struct report *r);

/* Title line and summary lines, for people; 0 or -ENOMEM. */
int report_title(struct report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int report_line(struct report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Print @r as @b asks; 0 or a negated errno. */
int report_print(const struct report *r, const struct bench *b, FILE *f);

/*
 * Add a member to @obj; 0 or -ENOMEM (then @obj is as it was).  Doubles
 * are written with three decimals.
 */
int report_put(json_object *obj, const char *key, json_object *val);
int report_put_u64(json_object *obj, const char *key, uint64_t val);
int report_put_i64(json_object *obj, const char *key, int64_t val);
int report_put_str(json_object *obj, const char *key, const char *val);
int report_put_double(json_object *obj, const char *key, double val);
int report_put_bool(json_object *obj, const char *key, bool val);

/* {"count", "min", "median", "p99", "max", "mean"} of @sum, in ns. */
int report_put_summary(json_object *obj, const char *key,
		       const struct summary *sum);

#endif /* ZSV_BENCH_H */
