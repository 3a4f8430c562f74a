/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * zsvctl top without the terminal and without netlink: samples of the
 * devices and slices, rates from the counters' deltas between two
 * samples, the sort orders, and the frame as lines of text that fit a
 * width.  top.c fetches the samples and draws the lines; tests/unit and
 * the fuzzer call these directly.
 */
#ifndef ZSVCTL_TOP_MODEL_H
#define ZSVCTL_TOP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libzsv.h"

/* Longest device or slice name, NUL included ([a-z0-9][a-z0-9_.-]{0,62}). */
#define TOP_NAME_MAX 64

/* The refresh interval: -d takes 0.1 s to 1 h, the default is 1 s. */
#define TOP_INTERVAL_MIN_NS 100000000ULL
#define TOP_INTERVAL_MAX_NS 3600000000000ULL
#define TOP_INTERVAL_DEFAULT_NS 1000000000ULL

/* Narrowest NAME column a terminal width squeezes it to. */
#define TOP_NAME_WIDTH_MIN 8

/* Longest line top_render() writes, NUL included, whatever the width. */
#define TOP_LINE_MAX 512

/* What a row is sorted by: descending, but names ascending. */
enum top_sort_key {
	TOP_SORT_DELIVERED,
	TOP_SORT_PROMISED,
	TOP_SORT_MEM,
	TOP_SORT_THROTTLED,
	TOP_SORT_JOBS,
	TOP_SORT_NAME,
	TOP_SORT_NKEYS,
};

/**
 * struct top_entry - one row: a device or a slice at one sample
 * @id: the device's or slice's id
 * @name: its name
 * @dev: a slice's device; "" for a device
 * @is_dev: a device (summed over its slices where it has no figure)
 * @slices: a device's slices (shown)
 * @has: which of the figures below the kernel reported (TOP_HAS_x)
 * @promised_ppm: share of the device's engine time due, last period
 * @delivered_ppm: share of it used, last period
 * @mem_used_bytes: memory backing buffers
 * @mem_limit_bytes: a slice's partition, a device's total memory
 * @throttled_ns: time held back by the cap, since creation (a device:
 *	the sum over its slices)
 * @jobs_completed: jobs retired, since creation
 * @throttled_ppm: rate of @throttled_ns over the interval, millionths
 *	of wall time; a device's is the sum of its slices' rates, so it
 *	may pass 1000000 when several are held back
 * @jobs_per_s: rate of @jobs_completed over the interval
 *
 * A slice's rates are valid when TOP_HAS_THROTTLED_RATE and
 * TOP_HAS_JOBS_RATE are in @has: the previous sample had the same row,
 * its counter did not go back, and time went forward.
 */
struct top_entry {
	uint32_t id;
	char name[TOP_NAME_MAX];
	char dev[TOP_NAME_MAX];
	bool is_dev;
	uint32_t slices;
	unsigned int has;
	uint32_t promised_ppm;
	uint32_t delivered_ppm;
	uint64_t mem_used_bytes;
	uint64_t mem_limit_bytes;
	uint64_t throttled_ns;
	uint64_t jobs_completed;
	uint64_t throttled_ppm;
	double jobs_per_s;
};

enum {
	TOP_HAS_PROMISED = 1 << 0,
	TOP_HAS_DELIVERED = 1 << 1,
	TOP_HAS_MEM_USED = 1 << 2,
	TOP_HAS_MEM_LIMIT = 1 << 3,
	TOP_HAS_THROTTLED = 1 << 4,
	TOP_HAS_JOBS = 1 << 5,
	TOP_HAS_THROTTLED_RATE = 1 << 6,
	TOP_HAS_JOBS_RATE = 1 << 7,
};

/**
 * struct top_snapshot - every row at one sample
 * @time_ns: CLOCK_MONOTONIC when it was taken
 * @devs, @ndevs: the devices, in the kernel's order until sorted
 * @slices, @nslices: the slices
 */
struct top_snapshot {
	uint64_t time_ns;
	struct top_entry *devs;
	size_t ndevs;
	struct top_entry *slices;
	size_t nslices;
};

/*
 * Rows from libzsv's structs.  A device's share, throttled time and
 * slice count are the sums over the slices of @snap that name it:
 * call top_entry_from_dev() after the slices are in.
 */
void top_entry_from_slice(struct top_entry *e,
			  const struct zsv_slice_info *slice);
void top_entry_from_dev(struct top_entry *e, const struct zsv_dev_info *dev,
			const struct top_entry *slices, size_t nslices);

void top_snapshot_free(struct top_snapshot *snap);

/*
 * Per second: (@cur - @prev) / @dt_ns.  False when there is no rate: a
 * counter that went back (reset, or a different object of that id) or
 * no time passed.
 */
bool top_counter_rate(uint64_t prev, uint64_t cur, uint64_t dt_ns,
		      double *per_s);

/*
 * Fill the rates of @cur's rows from @prev's (may be NULL: no rates).
 * A row matches the previous one of the same kind, id and name.  A
 * device's throttled rate is the sum of its slices' (a destroyed slice
 * does not make it go back); its jobs rate is from its own counter.
 */
void top_snapshot_rates(struct top_snapshot *cur,
			const struct top_snapshot *prev);

/* Sort rows by @key, ties by name then id; @reverse turns it around. */
void top_sort(struct top_entry *rows, size_t n, enum top_sort_key key,
	      bool reverse);

/*
 * Sort keys by name ("delivered", "promised", "mem", "throttled", "jobs",
 * "name"; any unambiguous prefix), by the key that picks them in the
 * live view (d, p, m, t, j, n), and back.  Parsers return 0 or -EINVAL.
 */
int top_sort_key_parse(const char *word, enum top_sort_key *key);
int top_sort_key_from_char(int c, enum top_sort_key *key);
const char *top_sort_key_name(enum top_sort_key key);

/*
 * The refresh interval: decimal seconds ("1", "0.5") or a duration
 * ("500ms"), within TOP_INTERVAL_MIN_NS and _MAX_NS.  0 or -EINVAL.
 */
int top_parse_interval(const char *word, uint64_t *ns);

/* -n: 1 or more iterations.  0 or -EINVAL. */
int top_parse_iterations(const char *word, uint64_t *n);

/*
 * Cells for people, as the view prints them; "-" for a figure not
 * reported or a rate not known yet.
 *   share:     "75.0%"
 *   throttled: "12.5%" (of wall time), "250%" past 100 % for devices
 *   jobs/s:    "0", "12.3", "1234", "12.3k", "1.2M"
 *   memory:    zsv_format_size()
 */
void top_cell_share(const struct top_entry *e, bool delivered, char *buf,
		    size_t len);
void top_cell_throttled(const struct top_entry *e, char *buf, size_t len);
void top_cell_jobs(const struct top_entry *e, char *buf, size_t len);
void top_cell_mem(const struct top_entry *e, bool limit, char *buf, size_t len);

/**
 * struct top_view - what the frame shows
 * @width: columns of the terminal; 0: no limit (batch mode, names whole)
 * @height: lines of the terminal; 0: no limit
 * @interval_ns: shown in the header
 * @sort: @sort_reverse: the slices' order
 * @clock: wall-clock time for the header ("12:34:56"), or NULL
 * @keys: say which keys do what (the live view)
 */
struct top_view {
	unsigned int width;
	unsigned int height;
	uint64_t interval_ns;
	enum top_sort_key sort;
	bool sort_reverse;
	const char *clock;
	bool keys;
};

/**
 * struct top_frame - the lines of one frame
 * @lines: @nlines lines, each NUL-terminated, without '\n', at most
 *	@width columns (of ASCII) when the view has a width
 */
struct top_frame {
	char (*lines)[TOP_LINE_MAX];
	size_t nlines;
	size_t capacity;
};

/*
 * The frame of @snap as @view says: a header, the devices, the slices
 * in the view's order (top_render sorts @snap's slices).  When the view
 * has a height and the slices do not fit, the last line says how many
 * more there are.  Returns 0 or -ENOMEM.
 */
int top_render(struct top_frame *frame, struct top_snapshot *snap,
	       const struct top_view *view);
void top_frame_free(struct top_frame *frame);

#endif /* ZSVCTL_TOP_MODEL_H */
