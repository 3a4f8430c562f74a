// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsvctl top's model: rows, rates, order and the lines of a frame.  No
 * netlink, no terminal: see top_model.h.
 *
 * Every cell is ASCII, so a line's columns are its bytes.  Columns have
 * fixed widths but the first (the name), which takes what the terminal
 * leaves, down to TOP_NAME_WIDTH_MIN; a name longer than its column is
 * cut and ends in '~'.  A line that still does not fit is cut at the
 * width: never wrapped.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "top_model.h"
#include "zsvctl.h"

#define PPM 1000000ULL
#define NS_PER_S 1000000000ULL

/* ------------------------------------------------------------------ */
/* Rows */

static void copy_name(char *dst, const char *src)
{
	snprintf(dst, TOP_NAME_MAX, "%s", src ? src : "");
}

void top_entry_from_slice(struct top_entry *e,
			  const struct zsv_slice_info *slice)
{
	memset(e, 0, sizeof(*e));
	e->id = slice->id;
	copy_name(e->name, slice->name);
	copy_name(e->dev, zsv_slice_has(slice, ZSV_A_SLICE_DEV_NAME) ?
				  slice->dev_name :
				  "-");
	if (zsv_slice_has(slice, ZSV_A_SLICE_SHARE_PROMISED_PPM)) {
		e->has |= TOP_HAS_PROMISED;
		e->promised_ppm = slice->share_promised_ppm;
	}
	if (zsv_slice_has(slice, ZSV_A_SLICE_SHARE_DELIVERED_PPM)) {
		e->has |= TOP_HAS_DELIVERED;
		e->delivered_ppm = slice->share_delivered_ppm;
	}
	if (zsv_slice_has(slice, ZSV_A_SLICE_MEM_USED)) {
		e->has |= TOP_HAS_MEM_USED;
		e->mem_used_bytes = slice->mem_used_bytes;
	}
	if (zsv_slice_has(slice, ZSV_A_SLICE_MEM_BYTES)) {
		e->has |= TOP_HAS_MEM_LIMIT;
		e->mem_limit_bytes = slice->mem_bytes;
	}
	if (zsv_slice_has(slice, ZSV_A_SLICE_THROTTLED_NS)) {
		e->has |= TOP_HAS_THROTTLED;
		e->throttled_ns = slice->throttled_ns;
	}
	if (zsv_slice_has(slice, ZSV_A_SLICE_JOBS_COMPLETED)) {
		e->has |= TOP_HAS_JOBS;
		e->jobs_completed = slice->jobs_completed;
	}
}

void top_entry_from_dev(struct top_entry *e, const struct zsv_dev_info *dev,
			const struct top_entry *slices, size_t nslices)
{
	size_t i;

	memset(e, 0, sizeof(*e));
	e->id = dev->id;
	copy_name(e->name, dev->name);
	e->is_dev = true;
	/* A device's shares are its slices': present even with none. */
	e->has = TOP_HAS_PROMISED | TOP_HAS_DELIVERED | TOP_HAS_THROTTLED;
	for (i = 0; i < nslices; i++) {
		const struct top_entry *s = &slices[i];

		if (s->is_dev || strcmp(s->dev, e->name))
			continue;
		e->slices++;
		if (!(s->has & TOP_HAS_PROMISED))
			e->has &= ~TOP_HAS_PROMISED;
		if (!(s->has & TOP_HAS_DELIVERED))
			e->has &= ~TOP_HAS_DELIVERED;
		if (!(s->has & TOP_HAS_THROTTLED))
			e->has &= ~TOP_HAS_THROTTLED;
		e->promised_ppm += s->promised_ppm;
		e->delivered_ppm += s->delivered_ppm;
		e->throttled_ns += s->throttled_ns;
	}
	if (zsv_dev_has(dev, ZSV_A_DEV_MEM_USED)) {
		e->has |= TOP_HAS_MEM_USED;
		e->mem_used_bytes = dev->mem_used_bytes;
	}
	if (zsv_dev_has(dev, ZSV_A_DEV_MEM_TOTAL)) {
		e->has |= TOP_HAS_MEM_LIMIT;
		e->mem_limit_bytes = dev->mem_total_bytes;
	}
	if (zsv_dev_has(dev, ZSV_A_DEV_JOBS_COMPLETED)) {
		e->has |= TOP_HAS_JOBS;
		e->jobs_completed = dev->jobs_completed;
	}
}

void top_snapshot_free(struct top_snapshot *snap)
{
	free(snap->devs);
	free(snap->slices);
	memset(snap, 0, sizeof(*snap));
}

/* ------------------------------------------------------------------ */
/* Rates */

bool top_counter_rate(uint64_t prev, uint64_t cur, uint64_t dt_ns,
		      double *per_s)
{
	if (!dt_ns || cur < prev)
		return false;
	*per_s = (double)(cur - prev) * (double)NS_PER_S / (double)dt_ns;
	return true;
}

static const struct top_entry *find_row(const struct top_entry *rows, size_t n,
					const struct top_entry *e)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rows[i].id == e->id && !strcmp(rows[i].name, e->name))
			return &rows[i];
	return NULL;
}

static void row_rates(struct top_entry *e, const struct top_entry *old,
		      uint64_t dt_ns, bool throttled)
{
	double rate;

	e->has &= ~(TOP_HAS_THROTTLED_RATE | TOP_HAS_JOBS_RATE);
	if (!old)
		return;
	if (throttled && (e->has & old->has & TOP_HAS_THROTTLED) &&
	    top_counter_rate(old->throttled_ns, e->throttled_ns, dt_ns,
			     &rate)) {
		/* Seconds per second, in millionths; no more than 10^18. */
		rate = rate / (double)NS_PER_S * (double)PPM;
		e->throttled_ppm = rate < 1e18 ? (uint64_t)(rate + 0.5) :
						 1000000000000000000ULL;
		e->has |= TOP_HAS_THROTTLED_RATE;
	}
	if ((e->has & old->has & TOP_HAS_JOBS) &&
	    top_counter_rate(old->jobs_completed, e->jobs_completed, dt_ns,
			     &rate)) {
		e->jobs_per_s = rate;
		e->has |= TOP_HAS_JOBS_RATE;
	}
}

void top_snapshot_rates(struct top_snapshot *cur,
			const struct top_snapshot *prev)
{
	uint64_t dt_ns = 0;
	size_t i, k;

	if (prev && cur->time_ns > prev->time_ns)
		dt_ns = cur->time_ns - prev->time_ns;
	for (i = 0; i < cur->nslices; i++)
		row_rates(&cur->slices[i],
			  prev ? find_row(prev->slices, prev->nslices,
					  &cur->slices[i]) :
				 NULL,
			  dt_ns, true);
	for (i = 0; i < cur->ndevs; i++) {
		struct top_entry *d = &cur->devs[i];

		row_rates(d, prev ? find_row(prev->devs, prev->ndevs, d) : NULL,
			  dt_ns, false);
		if (!dt_ns)
			continue;
		/* The sum of the slices' rates, over those that have one. */
		d->throttled_ppm = 0;
		d->has |= TOP_HAS_THROTTLED_RATE;
		for (k = 0; k < cur->nslices; k++) {
			const struct top_entry *s = &cur->slices[k];

			if (strcmp(s->dev, d->name))
				continue;
			if (s->has & TOP_HAS_THROTTLED_RATE)
				d->throttled_ppm += s->throttled_ppm;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Order */

struct sort_key_desc {
	const char *name;
	char key;
};

static const struct sort_key_desc sort_keys[TOP_SORT_NKEYS] = {
	[TOP_SORT_DELIVERED] = { "delivered", 'd' },
	[TOP_SORT_PROMISED] = { "promised", 'p' },
	[TOP_SORT_MEM] = { "mem", 'm' },
	[TOP_SORT_THROTTLED] = { "throttled", 't' },
	[TOP_SORT_JOBS] = { "jobs", 'j' },
	[TOP_SORT_NAME] = { "name", 'n' },
};

int top_sort_key_parse(const char *word, enum top_sort_key *key)
{
	size_t len = strlen(word), i;
	int found = -1;

	if (!len)
		return -EINVAL;
	for (i = 0; i < TOP_SORT_NKEYS; i++) {
		if (!strcmp(word, sort_keys[i].name)) {
			*key = (enum top_sort_key)i;
			return 0;
		}
		if (!strncmp(word, sort_keys[i].name, len)) {
			if (found >= 0)
				return -EINVAL;
			found = (int)i;
		}
	}
	if (found < 0)
		return -EINVAL;
	*key = (enum top_sort_key)found;
	return 0;
}

int top_sort_key_from_char(int c, enum top_sort_key *key)
{
	size_t i;

	for (i = 0; i < TOP_SORT_NKEYS; i++) {
		if (sort_keys[i].key == c) {
			*key = (enum top_sort_key)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *top_sort_key_name(enum top_sort_key key)
{
	if ((unsigned int)key >= TOP_SORT_NKEYS)
		return "?";
	return sort_keys[key].name;
}

/* Larger first; a figure not known after every known one. */
static int cmp_known_u64(bool hx, uint64_t x, bool hy, uint64_t y)
{
	if (hx != hy)
		return hx ? -1 : 1;
	return (x < y) - (x > y);
}

static int cmp_known_double(bool hx, double x, bool hy, double y)
{
	if (hx != hy)
		return hx ? -1 : 1;
	return (x < y) - (x > y);
}

struct sort_order {
	enum top_sort_key key;
	bool reverse;
};

static int cmp_rows(const void *a, const void *b, void *arg)
{
	const struct top_entry *x = a, *y = b;
	const struct sort_order *order = arg;
	int c = 0;

	switch (order->key) {
	case TOP_SORT_DELIVERED:
		c = cmp_known_u64(x->has & TOP_HAS_DELIVERED, x->delivered_ppm,
				  y->has & TOP_HAS_DELIVERED, y->delivered_ppm);
		break;
	case TOP_SORT_PROMISED:
		c = cmp_known_u64(x->has & TOP_HAS_PROMISED, x->promised_ppm,
				  y->has & TOP_HAS_PROMISED, y->promised_ppm);
		break;
	case TOP_SORT_MEM:
		c = cmp_known_u64(x->has & TOP_HAS_MEM_USED, x->mem_used_bytes,
				  y->has & TOP_HAS_MEM_USED, y->mem_used_bytes);
		break;
	case TOP_SORT_THROTTLED:
		c = cmp_known_u64(x->has & TOP_HAS_THROTTLED_RATE,
				  x->throttled_ppm,
				  y->has & TOP_HAS_THROTTLED_RATE,
				  y->throttled_ppm);
		break;
	case TOP_SORT_JOBS:
		c = cmp_known_double(x->has & TOP_HAS_JOBS_RATE, x->jobs_per_s,
				     y->has & TOP_HAS_JOBS_RATE, y->jobs_per_s);
		break;
	default:
		break;
	}
	if (!c)
		c = strcmp(x->name, y->name);
	if (!c)
		c = (x->id > y->id) - (x->id < y->id);
	return order->reverse ? -c : c;
}

void top_sort(struct top_entry *rows, size_t n, enum top_sort_key key,
	      bool reverse)
{
	struct sort_order order = { key, reverse };

	if (n)
		qsort_r(rows, n, sizeof(*rows), cmp_rows, &order);
}

/* ------------------------------------------------------------------ */
/* Options */

int top_parse_interval(const char *word, uint64_t *ns)
{
	uint64_t val = 0, frac_ns = 0, scale = NS_PER_S / 10;
	const char *p = word;

	if (!zsv_parse_duration(word, &val))
		goto check;
	/* Decimal seconds: DIGITS ["." DIGITS], at most 9 decimals. */
	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (val > TOP_INTERVAL_MAX_NS / NS_PER_S)
			return -EINVAL;
		val = val * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (!scale)
				return -EINVAL;
			frac_ns += (uint64_t)(*p - '0') * scale;
			scale /= 10;
		}
	}
	if (*p)
		return -EINVAL;
	if (val > TOP_INTERVAL_MAX_NS / NS_PER_S)
		return -EINVAL;
	val = val * NS_PER_S + frac_ns;
check:
	if (val < TOP_INTERVAL_MIN_NS || val > TOP_INTERVAL_MAX_NS)
		return -EINVAL;
	*ns = val;
	return 0;
}

int top_parse_iterations(const char *word, uint64_t *n)
{
	uint64_t val;

	if (zsv_parse_u64(word, &val) || !val)
		return -EINVAL;
	*n = val;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Cells */

void top_cell_share(const struct top_entry *e, bool delivered, char *buf,
		    size_t len)
{
	unsigned int bit = delivered ? TOP_HAS_DELIVERED : TOP_HAS_PROMISED;
	uint32_t ppm = delivered ? e->delivered_ppm : e->promised_ppm;

	if (!(e->has & bit) || zsvctl_format_ppm_pct(ppm, buf, len))
		snprintf(buf, len, "-");
}

void top_cell_throttled(const struct top_entry *e, char *buf, size_t len)
{
	uint64_t tenths;

	if (!(e->has & TOP_HAS_THROTTLED_RATE)) {
		snprintf(buf, len, "-");
		return;
	}
	tenths = (e->throttled_ppm + 500) / 1000;
	if (tenths < 1000)
		snprintf(buf, len, "%" PRIu64 ".%" PRIu64 "%%", tenths / 10,
			 tenths % 10);
	else
		snprintf(buf, len, "%" PRIu64 "%%", (tenths + 5) / 10);
}

void top_cell_jobs(const struct top_entry *e, char *buf, size_t len)
{
	static const struct {
		double div;
		const char *unit;
	} big[] = { { 1e3, "k" }, { 1e6, "M" }, { 1e9, "G" } };
	double r = e->jobs_per_s;
	size_t i;

	if (!(e->has & TOP_HAS_JOBS_RATE) || !isfinite(r) || r < 0) {
		snprintf(buf, len, "-");
		return;
	}
	if (r < 0.05) {
		snprintf(buf, len, "0");
		return;
	}
	if (r < 99.95) {
		snprintf(buf, len, "%.1f", r);
		return;
	}
	if (r < 9999.5) {
		snprintf(buf, len, "%.0f", r);
		return;
	}
	for (i = 0; i < 3; i++) {
		if (r / big[i].div < 999.95 || i == 2) {
			r /= big[i].div;
			snprintf(buf, len, "%.1f%s", r < 999.9 ? r : 999.9,
				 big[i].unit);
			return;
		}
	}
}

void top_cell_mem(const struct top_entry *e, bool limit, char *buf, size_t len)
{
	unsigned int bit = limit ? TOP_HAS_MEM_LIMIT : TOP_HAS_MEM_USED;
	uint64_t bytes = limit ? e->mem_limit_bytes : e->mem_used_bytes;

	if (!(e->has & bit) || zsv_format_size(bytes, buf, len))
		snprintf(buf, len, "-");
}

/* ------------------------------------------------------------------ */
/* Frame */

struct top_col {
	const char *header;
	unsigned int width; /* 0: the name, as wide as the view leaves */
	bool right;
};

/* Shared by both tables so that their columns line up. */
#define TOP_NCOLS 8
#define COL_GAP 2

/* clang-format off */
static const struct top_col dev_cols[TOP_NCOLS] = {
	{ "DEVICE", 0, false },
	{ "SLICES", 6, true },
	{ "PROM", 6, true },
	{ "DELIV", 6, true },
	{ "USED", 7, true },
	{ "TOTAL", 7, true },
	{ "THROT", 6, true },
	{ "JOBS/S", 7, true },
};

static const struct top_col slice_cols[TOP_NCOLS] = {
	{ "SLICE", 0, false },
	{ "DEV", 6, false },
	{ "PROM", 6, true },
	{ "DELIV", 6, true },
	{ "USED", 7, true },
	{ "LIMIT", 7, true },
	{ "THROT", 6, true },
	{ "JOBS/S", 7, true },
};
/* clang-format on */

static unsigned int fixed_width(const struct top_col *cols)
{
	unsigned int w = 0, i;

	for (i = 1; i < TOP_NCOLS; i++)
		w += COL_GAP + cols[i].width;
	return w;
}

/* Append @s to @line at @pos, cut at @max; returns the new position. */
static size_t put(char *line, size_t pos, size_t max, const char *s, size_t n)
{
	if (pos >= max)
		return pos;
	if (n > max - pos)
		n = max - pos;
	memcpy(line + pos, s, n);
	return pos + n;
}

static size_t pad(char *line, size_t pos, size_t max, size_t n)
{
	while (n-- && pos < max)
		line[pos++] = ' ';
	return pos;
}

/*
 * One row: @cells in @cols, the name cut to @name_width (a cut name
 * ends in '~'), the line to @max - 1 bytes.
 */
static void format_row(char *line, size_t max, const struct top_col *cols,
		       const char *const *cells, size_t name_width)
{
	size_t pos = 0, i, n;

	for (i = 0; i < TOP_NCOLS; i++) {
		size_t w = cols[i].width ? cols[i].width : name_width;

		n = strlen(cells[i]);
		if (i)
			pos = pad(line, pos, max - 1, COL_GAP);
		if (n > w && w) {
			pos = put(line, pos, max - 1, cells[i], w - 1);
			pos = put(line, pos, max - 1, "~", 1);
			continue;
		}
		if (cols[i].right)
			pos = pad(line, pos, max - 1, w - n);
		pos = put(line, pos, max - 1, cells[i], n);
		if (!cols[i].right && i + 1 < TOP_NCOLS)
			pos = pad(line, pos, max - 1, w - n);
	}
	line[pos] = '\0';
}

static int frame_add(struct top_frame *f, size_t max, const char *text)
{
	if (f->nlines == f->capacity) {
		size_t cap = f->capacity ? 2 * f->capacity : 32;
		char(*lines)[TOP_LINE_MAX] =
			reallocarray(f->lines, cap, sizeof(*f->lines));

		if (!lines)
			return -ENOMEM;
		f->lines = lines;
		f->capacity = cap;
	}
	snprintf(f->lines[f->nlines], max, "%s", text);
	f->nlines++;
	return 0;
}

/* The line for a new row, to be filled in place; NULL on ENOMEM. */
static char *frame_next(struct top_frame *f)
{
	if (frame_add(f, 1, ""))
		return NULL;
	return f->lines[f->nlines - 1];
}

static void entry_cells(const struct top_entry *e, char cells[][32],
			const char **ptrs)
{
	size_t i;

	snprintf(cells[0], 32, "%s", "");
	if (e->is_dev)
		snprintf(cells[1], 32, "%" PRIu32, e->slices);
	else
		snprintf(cells[1], 32, "%s", e->dev);
	top_cell_share(e, false, cells[2], 32);
	top_cell_share(e, true, cells[3], 32);
	top_cell_mem(e, false, cells[4], 32);
	top_cell_mem(e, true, cells[5], 32);
	top_cell_throttled(e, cells[6], 32);
	top_cell_jobs(e, cells[7], 32);
	for (i = 0; i < TOP_NCOLS; i++)
		ptrs[i] = cells[i];
	ptrs[0] = e->name;
}

/* The name column's width: what the view leaves, or the longest name. */
static size_t name_width(const struct top_view *view,
			 const struct top_snapshot *snap)
{
	size_t w = strlen(dev_cols[0].header), i, fixed;

	if (!view->width) {
		for (i = 0; i < snap->ndevs; i++)
			w = w > strlen(snap->devs[i].name) ?
				    w :
				    strlen(snap->devs[i].name);
		for (i = 0; i < snap->nslices; i++)
			w = w > strlen(snap->slices[i].name) ?
				    w :
				    strlen(snap->slices[i].name);
		return w;
	}
	fixed = fixed_width(slice_cols);
	if (view->width < fixed + TOP_NAME_WIDTH_MIN)
		return TOP_NAME_WIDTH_MIN;
	return view->width - fixed;
}

static int add_table(struct top_frame *f, size_t max,
		     const struct top_col *cols, const struct top_entry *rows,
		     size_t nrows, size_t nw, size_t room)
{
	const char *ptrs[TOP_NCOLS];
	char cells[TOP_NCOLS][32];
	char more[80];
	size_t i, shown = nrows;
	char *line;

	for (i = 0; i < TOP_NCOLS; i++)
		ptrs[i] = cols[i].header;
	line = frame_next(f);
	if (!line)
		return -ENOMEM;
	format_row(line, max, cols, ptrs, nw);
	/* Rows past the room: all but one shown, then how many more. */
	if (room != SIZE_MAX && nrows > room)
		shown = room ? room - 1 : 0;
	for (i = 0; i < shown; i++) {
		entry_cells(&rows[i], cells, ptrs);
		line = frame_next(f);
		if (!line)
			return -ENOMEM;
		format_row(line, max, cols, ptrs, nw);
	}
	if (shown < nrows && room) {
		snprintf(more, sizeof(more), "... %zu more", nrows - shown);
		if (frame_add(f, max, more))
			return -ENOMEM;
	}
	return 0;
}

int top_render(struct top_frame *frame, struct top_snapshot *snap,
	       const struct top_view *view)
{
	size_t max = TOP_LINE_MAX, nw, room = SIZE_MAX, head;
	char interval[ZSV_UNIT_STR_MAX], text[TOP_LINE_MAX];
	int err;

	if (view->width && view->width + 1 < max)
		max = view->width + 1;
	frame->nlines = 0;
	top_sort(snap->devs, snap->ndevs, view->sort, view->sort_reverse);
	top_sort(snap->slices, snap->nslices, view->sort, view->sort_reverse);
	nw = name_width(view, snap);
	if (nw > max)
		nw = max;

	if (zsv_format_duration(view->interval_ns, interval, sizeof(interval)))
		snprintf(interval, sizeof(interval), "?");
	snprintf(text, sizeof(text),
		 "zsvctl top%s%s - every %s - %zu device%s, %zu slice%s",
		 view->clock ? " - " : "", view->clock ? view->clock : "",
		 interval, snap->ndevs, snap->ndevs == 1 ? "" : "s",
		 snap->nslices, snap->nslices == 1 ? "" : "s");
	err = frame_add(frame, max, text);
	snprintf(text, sizeof(text), "sort: %s%s%s",
		 top_sort_key_name(view->sort),
		 view->sort_reverse ? ", reversed" : "",
		 view->keys ? "   keys: d p m t j n sort, r reverse, q quit" :
			      "");
	if (!err)
		err = frame_add(frame, max, text);
	if (!err)
		err = frame_add(frame, max, "");
	if (!err)
		err = add_table(frame, max, dev_cols, snap->devs, snap->ndevs,
				nw, SIZE_MAX);
	if (!err)
		err = frame_add(frame, max, "");
	if (err)
		goto fail;
	/* The slices get the lines left below their header. */
	head = frame->nlines + 1;
	if (view->height)
		room = view->height > head ? view->height - head : 0;
	err = add_table(frame, max, slice_cols, snap->slices, snap->nslices, nw,
			room);
	if (err)
		goto fail;
	if (view->height && frame->nlines > view->height)
		frame->nlines = view->height;
	return 0;
fail:
	frame->nlines = 0;
	return err;
}

void top_frame_free(struct top_frame *frame)
{
	free(frame->lines);
	memset(frame, 0, sizeof(*frame));
}
