// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: zsvctl top's option parsers and its frame
 * (userspace/zsvctl/top_model.c).
 *
 * The input's first byte picks what to do with the rest:
 *   0-2  parse it as -d, -n or -s: 0 or -EINVAL; what is accepted is
 *        within the limits and parses again to the same from the way
 *        top prints it;
 *   3    take it as figures of devices and slices (names, shares,
 *        sizes, counters, rates), a width, a height and a sort key, and
 *        render two samples: every line fits the width and the height,
 *        is printable ASCII, and a slice name that fits shows whole.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libfuzzer.h"
#include "top_model.h"

/* Bytes of the input, one at a time; zeros once it runs out. */
struct reader {
	const uint8_t *p;
	size_t left;
};

static uint64_t take(struct reader *r, size_t bytes)
{
	uint64_t v = 0;

	while (bytes--) {
		v = v << 8 | (r->left ? *r->p : 0);
		if (r->left) {
			r->p++;
			r->left--;
		}
	}
	return v;
}

static void take_name(struct reader *r, char *name)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789_.-";
	size_t len = take(r, 1) % (TOP_NAME_MAX - 1) + 1, i;

	for (i = 0; i < len; i++)
		name[i] = chars[take(r, 1) % (sizeof(chars) - 1)];
	name[len] = '\0';
}

static void take_entry(struct reader *r, struct top_entry *e, bool is_dev,
		       const char *dev)
{
	memset(e, 0, sizeof(*e));
	e->id = (uint32_t)take(r, 1);
	take_name(r, e->name);
	e->is_dev = is_dev;
	snprintf(e->dev, sizeof(e->dev), "%s", is_dev ? "" : dev);
	e->slices = (uint32_t)take(r, 4);
	e->has = (unsigned int)take(r, 1);
	e->promised_ppm = (uint32_t)take(r, 4);
	e->delivered_ppm = (uint32_t)take(r, 4);
	e->mem_used_bytes = take(r, 8);
	e->mem_limit_bytes = take(r, 8);
	e->throttled_ns = take(r, 8);
	e->jobs_completed = take(r, 8);
}

static void check_frame(const struct top_frame *f, const struct top_view *v)
{
	size_t i, k;

	if (v->height)
		CHECK(f->nlines <= v->height);
	for (i = 0; i < f->nlines; i++) {
		fuzz_text = f->lines[i];
		if (v->width)
			CHECK(strlen(f->lines[i]) <= v->width);
		CHECK(strlen(f->lines[i]) < TOP_LINE_MAX);
		for (k = 0; f->lines[i][k]; k++)
			CHECK(f->lines[i][k] >= ' ' && f->lines[i][k] <= '~');
	}
	fuzz_text = NULL;
}

/* A line of @f starts with @name, then a space. */
static void check_shown(const struct top_frame *f, const char *name)
{
	size_t k, n = strlen(name);
	bool found = false;

	for (k = 0; k < f->nlines && !found; k++)
		found = !strncmp(f->lines[k], name, n) && f->lines[k][n] == ' ';
	fuzz_text = name;
	CHECK(found);
	fuzz_text = NULL;
}

static void fuzz_frame(struct reader *r)
{
	struct top_entry devs[2][4], slices[2][8];
	struct top_snapshot snap[2];
	struct top_frame f = { 0 };
	struct top_view v = { 0 };
	size_t ndevs = take(r, 1) % 5, nslices = take(r, 1) % 9, s, i;

	v.width = (unsigned int)take(r, 2) % 600;
	v.height = (unsigned int)take(r, 1);
	v.interval_ns = take(r, 8);
	v.sort = (enum top_sort_key)(take(r, 1) % TOP_SORT_NKEYS);
	v.sort_reverse = take(r, 1) & 1;
	v.keys = take(r, 1) & 1;
	v.clock = take(r, 1) & 1 ? "12:34:56" : NULL;
	for (s = 0; s < 2; s++) {
		for (i = 0; i < ndevs; i++)
			take_entry(r, &devs[s][i], true, "");
		for (i = 0; i < nslices; i++)
			take_entry(r, &slices[s][i], false,
				   ndevs ? devs[s][take(r, 1) % ndevs].name :
					   "zsv0");
		snap[s] = (struct top_snapshot){
			.time_ns = take(r, 8),
			.devs = devs[s],
			.ndevs = ndevs,
			.slices = slices[s],
			.nslices = nslices,
		};
	}
	top_snapshot_rates(&snap[0], NULL);
	top_snapshot_rates(&snap[1], &snap[0]);
	for (s = 0; s < 2; s++) {
		CHECK(!top_render(&f, &snap[s], &v));
		check_frame(&f, &v);
		/* Without a width or a height every slice shows, whole. */
		if (!v.width && !v.height)
			for (i = 0; i < nslices; i++)
				check_shown(&f, slices[s][i].name);
	}
	top_frame_free(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader r = { data + 1, size ? size - 1 : 0 };
	char word[64], again[64];
	enum top_sort_key key, key2;
	uint64_t val, val2;
	size_t len;

	if (!size)
		return 0;
	len = size - 1 < sizeof(word) - 1 ? size - 1 : sizeof(word) - 1;
	memcpy(word, data + 1, len);
	word[len] = '\0';
	fuzz_text = word;
	switch (data[0] % 4) {
	case 0:
		val = 7;
		if (top_parse_interval(word, &val)) {
			CHECK(val == 7);
			break;
		}
		CHECK(val >= TOP_INTERVAL_MIN_NS && val <= TOP_INTERVAL_MAX_NS);
		snprintf(again, sizeof(again), "%" PRIu64 ".%09" PRIu64,
			 val / 1000000000, val % 1000000000);
		CHECK(!top_parse_interval(again, &val2) && val2 == val);
		break;
	case 1:
		if (top_parse_iterations(word, &val))
			break;
		CHECK(val >= 1);
		snprintf(again, sizeof(again), "%" PRIu64, val);
		CHECK(!top_parse_iterations(again, &val2) && val2 == val);
		break;
	case 2:
		if (top_sort_key_parse(word, &key))
			break;
		CHECK((unsigned int)key < TOP_SORT_NKEYS);
		CHECK(!top_sort_key_parse(top_sort_key_name(key), &key2) &&
		      key2 == key);
		break;
	default:
		fuzz_text = NULL;
		fuzz_frame(&r);
		break;
	}
	fuzz_text = NULL;
	return 0;
}
