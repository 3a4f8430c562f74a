/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Prometheus metrics of devices, slices and tenants, in the text exposition
 * format (version 0.0.4), for "zsvctl stats" and node_exporter's
 * textfile collector.  Documentation/metrics.rst lists every family.
 *
 * The parser, the escaper and the writer are pure functions of their
 * arguments (tests/unit and tests/fuzz test them directly); the textfile
 * writer replaces a file atomically.
 */
#ifndef ZSVCTL_STATS_H
#define ZSVCTL_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "libzsv.h"

/* The file "stats --textfile DIR" keeps current in DIR. */
#define STATS_TEXTFILE_NAME "zsv.prom"

/* Bounds of "--interval DUR". */
#define STATS_INTERVAL_MIN_NS 100000000ULL /* 100ms */
#define STATS_INTERVAL_MAX_NS 86400000000000ULL /* 24h */

/* stats [--textfile DIR [--interval DUR]] */
struct stats_args {
	const char *textfile_dir; /* NULL: stdout */
	uint64_t interval_ns; /* 0: once */
};

/*
 * Parse the words after "stats"; 0, or -EINVAL with one sentence in
 * @err (a usage error).  "--opt VALUE" and "--opt=VALUE" both work.
 */
int args_stats(int argc, char **argv, struct stats_args *a, char *err,
	       size_t len);

/*
 * Write @val to @f as a label value: quoted, with backslash, double
 * quote and newline escaped as the format asks ("\\", "\"", "\n").
 */
void stats_write_label_value(FILE *f, const char *val);

/*
 * The exposition of @ndevs devices and @nslices slices, as they come
 * (callers sort them): for each family with at least one sample, its
 * HELP, its TYPE and one sample per device or slice that reports the
 * attribute it comes from.  Values are in base units (bytes, seconds,
 * ratios 0 to 1), written exactly.  0, or -EIO when @f failed.
 */
int stats_write(FILE *f, struct zsv_dev_info *const *devs, size_t ndevs,
		struct zsv_slice_info *const *slices, size_t nslices);

/*
 * The tenants' families, as stats_write() writes the devices' and
 * slices' (zsvctl stats writes them after those): zsv_tenant_info, then
 * each family with a sample, labelled {tenant="NAME"}.  A limit that is
 * ZSV_LIMIT_NONE has no sample.  0, or -EIO when @f failed.
 */
int stats_write_tenants(FILE *f, struct zsv_tenant_info *const *tenants,
			size_t ntenants);

/*
 * Replace DIR/zsv.prom with @len bytes of @text, atomically: a temporary
 * file in DIR (a dot name, which the textfile collector does not read),
 * mode 0644, synced, then rename(2)d over it.  0 or a negated errno;
 * nothing is left behind on failure.
 */
int stats_textfile_write(const char *dir, const char *text, size_t len);

#endif /* ZSVCTL_STATS_H */
