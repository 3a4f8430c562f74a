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
int share_main(struct bench *b, int argc, char **argv);
void share_usage(FILE *f);
int overhead_main(struct bench *b, int argc, char **argv);
int compare_main(struct bench *b, int argc, char **argv);
void compare_usage(FILE *f);
void overhead_usage(FILE *f);
int latency_main(struct bench *b, int argc, char **argv);
void latency_usage(FILE *f);
int vfio_main(struct bench *b, int argc, char **argv);
void vfio_usage(FILE *f);
int place_main(struct bench *b, int argc, char **argv);
void place_usage(FILE *f);

/*
 * Growth of a latency from the smallest count to the largest (churn,
 * place): @last / @first, 0 when @first is 0; a median growth of at most
 * BENCH_FLAT_RATIO is "flat", more "grows".
 */
#define BENCH_FLAT_RATIO 1.5

static inline double bench_growth(uint64_t first, uint64_t last)
{
	return first ? (double)last / (double)first : 0.0;
}

static inline const char *bench_flat(double ratio)
{
	return ratio <= BENCH_FLAT_RATIO ? "flat" : "grows";
}

/* "zsv-bench: <message>" and @usage on stderr; returns BENCH_EXIT_USAGE. */
int bench_usage_error(void (*usage)(FILE *f), const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * "zsv-bench: <what failed>: <the kernel's message or strerror>" on
 * stderr; returns BENCH_EXIT_FAIL.  @err is what libzsv returned.
 */
int bench_fail(struct bench *b, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The same for a system call (sysfs, VFIO), whose @err (a negated
 * errno) is no kernel reply of libzsv's: strerror only.
 */
int bench_sys_fail(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Open b->zh, or say why not; returns an exit status. */
int bench_connect(struct bench *b);

/* ------------------------------------------------------------------ */
/* Options (opts.c): what the subcommands' parsers share */

/*
 * -j, -p and -h, which every subcommand takes: the end of its short
 * options, and of its long ones (with the terminator).
 */
#define BENCH_OPTS_COMMON "jph"
/* clang-format off */
#define BENCH_LONG_OPTS_COMMON				\
	{ "json", no_argument, NULL, 'j' },		\
	{ "pretty", no_argument, NULL, 'p' },		\
	{ "help", no_argument, NULL, 'h' },		\
	{ NULL, 0, NULL, 0 }
/* clang-format on */

/*
 * Handle those three, and getopt's complaint about any other option
 * (unknown, or without its argument): call it for every @opt the
 * subcommand does not handle itself.  0 after -j or -p; -1 after -h
 * (@usage is on stdout, the subcommand is done); else a usage error
 * naming the option.
 */
int bench_opt_common(struct bench *b, void (*usage)(FILE *f), int opt,
		     char **argv);

/*
 * @arg as a number from 1 (to @max, unless @max is 0) into @val; else a
 * usage error naming @opt.
 */
int bench_opt_u32(void (*usage)(FILE *f), const char *opt, const char *arg,
		  uint32_t *val, uint32_t max);

/* @arg as a duration (nonzero unless @zero_ok), or a usage error. */
int bench_opt_duration(void (*usage)(FILE *f), const char *opt, const char *arg,
		       uint64_t *ns, bool zero_ok);

/*
 * @name (the longest of ours) and @dev (NULL: none given) must be valid
 * names; else a usage error.
 */
int bench_opt_names(void (*usage)(FILE *f), const char *name, const char *dev);

/*
 * A comma-separated list of numbers ("1,64,1024") into @counts after
 * the *@n already there, at most @max in all; 0 is refused unless
 * @zero_ok.  Then @counts is sorted ascending without duplicates and *@n
 * says how many it holds.  0, or -ENOMEM, -E2BIG, or -EINVAL (not a
 * number, or no number at all).
 */
int bench_parse_counts(const char *arg, uint32_t *counts, size_t max, size_t *n,
		       bool zero_ok);

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

/* How a table column prints its value for people. */
enum report_fmt {
	REPORT_UINT, /* as is */
	REPORT_NS, /* nanoseconds, printed as microseconds: "812.3us" */
	REPORT_STR, /* a string, aligned on the left */
	REPORT_PCT, /* a percent, one decimal: "24.9%" */
	REPORT_PP, /* percentage points, two decimals: "0.42" */
	REPORT_RATIO, /* a ratio, two decimals: "0.98x" */
	REPORT_REAL, /* a number, one decimal: "1142.6" */
	REPORT_MS, /* nanoseconds, printed as milliseconds: "312.0ms" */
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

/* @d as a column of @fmt shows it ("24.9%", "812.3us", ...). */
void report_format_num(char *buf, size_t len, enum report_fmt fmt, double d);

/* Print @r as @b asks; 0 or a negated errno. */
int report_print(const struct report *r, const struct bench *b, FILE *f);

/*
 * Add a member to @obj; 0 or -ENOMEM (then @obj is as it was).  Doubles
 * are written with three decimals.
 */
int report_put(json_object *obj, const char *key, json_object *val);
int report_put_null(json_object *obj, const char *key);
int report_put_u64(json_object *obj, const char *key, uint64_t val);
int report_put_i64(json_object *obj, const char *key, int64_t val);
int report_put_str(json_object *obj, const char *key, const char *val);
int report_put_double(json_object *obj, const char *key, double val);
int report_put_bool(json_object *obj, const char *key, bool val);

/* {"count", "min", "median", "p99", "max", "mean"} of @sum, in ns. */
int report_put_summary(json_object *obj, const char *key,
		       const struct summary *sum);

/* ------------------------------------------------------------------ */
/* Test beds (testbed.c): a pdev and slices with an open context each */

/**
 * struct tb_slice - one slice of a test bed
 * @name: its name, <prefix>-<index>
 * @id: its id
 * @fd: its context, -1 when closed
 * @weight, @cap_pct: what it was given last
 * @submitted: sequence number of its last submitted job
 * @completed: every job up to this one has retired
 * @inflight: jobs the load keeps submitted and not retired; 0: idle
 * @failed: failures seen (WAIT reports only the latest: a lower bound)
 * @error_seqno: the latest job that failed, as WAIT last said
 * @error: the errno it failed with
 * @job_ns: the COMPUTE time of each job in flight, by seqno % @ring
 * @ring: entries of @job_ns, a power of two, at least @inflight
 */
struct tb_slice {
	char name[ZSV_NAME_MAX + 1];
	uint32_t id;
	int fd;
	uint32_t weight;
	uint32_t cap_pct;
	uint64_t submitted;
	uint64_t completed;
	uint32_t inflight;
	uint64_t failed;
	uint64_t error_seqno;
	int error;
	uint64_t *job_ns;
	uint32_t ring;
};

/**
 * struct testbed - a pdev to measure on, left as it was found
 * @b: the bench (its handle)
 * @prefix: names of our slices: <prefix>-<index>
 * @dev: the pdev's name
 * @made: we made it with dev-new, and remove it at the end
 * @saved: its settings before we changed any, restored at the end
 * @engines: its engines
 * @period_ns: its accounting period
 * @slices: ours, @count of them
 * @tenants: how many tenants we made: <prefix>-t<index>
 */
struct testbed {
	struct bench *b;
	const char *prefix;
	char dev[ZSV_NAME_MAX + 1];
	bool made;
	struct zsv_dev_info *saved;
	uint32_t engines;
	uint64_t period_ns;
	struct tb_slice *slices;
	size_t count;
	size_t size;
	size_t tenants;
};

/*
 * Set up on the pdev @dev, or, when @dev is NULL, on a new sim pdev of
 * @engines engines and @mem_bytes of memory.  Returns an exit status
 * (it said why it failed).
 */
int tb_open(struct testbed *tb, struct bench *b, const char *prefix,
	    const char *dev, uint32_t engines, uint64_t mem_bytes);

/*
 * Destroy our slices (contexts first), restore the pdev's settings or
 * remove the pdev we made.  Goes on past failures; returns an exit
 * status.
 */
int tb_close(struct testbed *tb);

/* Set the pdev's policy; an exit status. */
int tb_set_policy(struct testbed *tb, enum zsv_policy policy);

/*
 * One more slice of @mem_bytes (reserved), @weight and @cap_pct, with a
 * context open on it; an exit status.
 */
int tb_add_slice(struct testbed *tb, uint64_t mem_bytes, uint32_t weight,
		 uint32_t cap_pct);

/*
 * One more tenant, <prefix>-t<index>, of @weight and no limits; an exit
 * status.  tb_clear() deletes it after the slices.
 */
int tb_add_tenant(struct testbed *tb, uint32_t weight);

/*
 * As tb_add_slice(), in our tenant of index @tenant (from
 * tb_add_tenant()), or in none when it is negative.
 */
int tb_add_slice_in(struct testbed *tb, uint64_t mem_bytes, uint32_t weight,
		    uint32_t cap_pct, int tenant);

/* Change a slice's weight and cap, live; an exit status. */
int tb_set_slice(struct testbed *tb, struct tb_slice *s, uint32_t weight,
		 uint32_t cap_pct);

/* Close every context, then destroy every slice; an exit status. */
int tb_clear(struct testbed *tb);

/* The pdev as dev-get reports it now; free with zsv_dev_info_free(). */
int tb_dev_get(struct testbed *tb, struct zsv_dev_info **dev);

/*
 * Raise the soft limit of open files to what @fds more need, as far as
 * the hard limit lets; an exit status.
 */
int tb_reserve_fds(struct bench *b, size_t fds);

/* ------------------------------------------------------------------ */
/* Load (load.c): keep slices busy with COMPUTE jobs */

/**
 * struct load - saturating job streams on some slices of a test bed
 * @epfd: epoll set of the busy slices' contexts
 * @min_ns, @max_ns: each job is one COMPUTE of a length drawn uniformly
 *	from this range
 * @rng: state of the job lengths' generator (fixed seed: runs repeat)
 * @retired: jobs retired since load_init()
 * @retired_ns: their COMPUTE time: the engine time that did work
 * @failed: of them, failed
 * @syscalls: ioctls and epoll_waits the load made, for its CPU cost
 * @dry: times a busy slice was found with no job left in flight: the
 *	load (held up on the CPU), not the pdev, left it idle for a while
 */
struct load {
	int epfd;
	uint64_t min_ns;
	uint64_t max_ns;
	uint64_t rng;
	uint64_t retired;
	uint64_t retired_ns;
	uint64_t failed;
	uint64_t syscalls;
	uint64_t dry;
};

/* An exit status. */
int load_init(struct load *l, struct bench *b, uint64_t min_ns,
	      uint64_t max_ns);
void load_fini(struct load *l);

/*
 * Keep @inflight jobs (1 to ZSV_JOBS_INFLIGHT_MAX) of @s submitted and
 * not retired from now on; 0 makes it idle (what it has queued still
 * runs).  An exit status.
 */
int load_set(struct load *l, struct bench *b, struct tb_slice *s,
	     uint32_t inflight);

/*
 * Serve the busy slices (resubmit as jobs retire) until CLOCK_MONOTONIC
 * @until_ns or a stop signal.  An exit status.
 */
int load_run(struct load *l, struct bench *b, uint64_t until_ns);

/* ------------------------------------------------------------------ */
/* Shares (share_model.c) */

/*
 * What the pdev's policy promises each of @n slices, as a fraction of
 * its engine time (engines x wall time), when the slices with @busy set
 * keep it saturated and the others ask nothing:
 *   weighted:    weight / sum of the busy slices' weights, with caps
 *                water-filled (a capped slice gets its cap, the rest is
 *                shared by weight among the others)
 *   fixed:       weight / sum of all the slices' weights, at most the
 *                cap; no redistribution
 *   best-effort: like weighted with equal weights
 * Idle slices are promised 0 (they use nothing).  @cap_pct 0 means 100.
 */
void share_promised(enum zsv_policy policy, size_t n, const uint32_t *weight,
		    const uint32_t *cap_pct, const bool *busy, double *share);

/*
 * As share_promised(), with tenants: slice @i is in tenant @tenant[i]
 * (an index into @tenant_weight), or in none when it is negative.  Under
 * the weighted policy the busy tenants split the pdev by tenant weight,
 * then each tenant's part goes to its busy slices by slice weight, caps
 * holding at both levels; a slice without a tenant is a tenant of its
 * own, of its weight.  A NULL @tenant is share_promised().
 */
void share_promised_tenants(enum zsv_policy policy, size_t n,
			    const uint32_t *weight, const uint32_t *cap_pct,
			    const bool *busy, const int *tenant,
			    const uint32_t *tenant_weight, double *share);

/* ------------------------------------------------------------------ */
/* Busy time (busy.c): slices' busy_ns, sampled by a slice dump */

/**
 * struct busy_sample - one slice dump of a pdev
 * @t_ns: when (CLOCK_MONOTONIC, the middle of the dump)
 * @span_ns: how long the dump took: each slice was read within @t_ns
 *	plus or minus half of it
 * @busy_ns: each asked-for slice's busy_ns, in the order of the ids
 * @promised_ppm, @delivered_ppm: the kernel's share figures of the last
 *	period, 0 where it did not report them
 */
struct busy_sample {
	uint64_t t_ns;
	uint64_t span_ns;
	uint64_t *busy_ns;
	uint32_t *promised_ppm;
	uint32_t *delivered_ppm;
};

/* Room for @n slices; 0 or -ENOMEM. */
int busy_sample_alloc(struct busy_sample *smp, size_t n);
void busy_sample_free(struct busy_sample *smp);

/*
 * Dump @dev's slices into @smp for the @n slices of @ids (others are
 * skipped; one not found keeps its zeros); sets *@kernel_shares (may be
 * NULL) when the kernel reported share_*_ppm.  An exit status: it fails
 * when the kernel does not report busy_ns.
 */
int busy_sample_take(struct bench *b, const char *dev, const uint32_t *ids,
		     size_t n, struct busy_sample *smp, bool *kernel_shares);

/*
 * Share of the pdev's engine time (@engines x wall) slice @i got from
 * @a to @b, a fraction.
 */
double busy_share(const struct busy_sample *a, const struct busy_sample *b,
		  size_t i, uint32_t engines);

/* ------------------------------------------------------------------ */
/* Mediated devices (mdev.c), through sysfs */

/* "0f8e4a5c-...": 36 characters. */
#define MDEV_UUID_LEN 36

/**
 * struct mdev_type - an mdev type of a pdev
 * @dev: the pdev (the mdev parent)
 * @name: the type's directory, "zsv-256M"
 * @mem_bytes: the memory of each of its slices
 */
struct mdev_type {
	char dev[ZSV_NAME_MAX + 1];
	char name[256]; /* NAME_MAX + 1 */
	uint64_t mem_bytes;
};

/* Whether @dev is an mdev parent (zsv_mdev is loaded). */
bool mdev_parent_exists(const char *dev);

/*
 * The type of @dev named @want, or when @want is NULL its smallest; 0,
 * -ENOENT (no such type) or another negated errno.
 */
int mdev_pick_type(const char *dev, const char *want, struct mdev_type *t);

/* Its available_instances; 0 or a negated errno. */
int mdev_type_available(const struct mdev_type *t, uint64_t *count);

/* A random UUID, lowercase, into @uuid (MDEV_UUID_LEN + 1 bytes). */
int mdev_uuid_new(char *uuid);

/* Create (write @uuid to the type's "create"), remove; 0 or -errno. */
int mdev_create(const struct mdev_type *t, const char *uuid);
int mdev_remove(const char *uuid);
bool mdev_exists(const char *uuid);

/* Write @val to the device's attribute @attr (weight, cap, ...). */
int mdev_set_attr(const char *uuid, const char *attr, uint64_t val);

/* The number of its IOMMU group (/dev/vfio/N), or a negated errno. */
int mdev_iommu_group(const char *uuid);

/* xorshift64: a fixed sequence for a seed; never returns 0. */
uint64_t bench_rand(uint64_t *state);

#endif /* ZSV_BENCH_H */
