// SPDX-License-Identifier: GPL-2.0-only
/*
 * Samples of durations and their percentiles.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

int samples_add(struct samples *s, uint64_t ns)
{
	if (s->count == s->size) {
		size_t size = s->size ? 2 * s->size : 256;
		uint64_t *grown = reallocarray(s->ns, size, sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		s->ns = grown;
		s->size = size;
	}
	s->ns[s->count++] = ns;
	return 0;
}

void samples_reset(struct samples *s)
{
	s->count = 0;
}

void samples_free(struct samples *s)
{
	free(s->ns);
	memset(s, 0, sizeof(*s));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Nearest rank: the sample at rank ceil(pct / 100 * count), from 1. */
static uint64_t percentile(const struct samples *s, unsigned int pct)
{
	size_t rank = (pct * s->count + 99) / 100;

	return s->ns[rank ? rank - 1 : 0];
}

void samples_summarise(struct samples *s, struct summary *sum)
{
	uint64_t total = 0;
	size_t i;

	memset(sum, 0, sizeof(*sum));
	if (!s->count)
		return;
	qsort(s->ns, s->count, sizeof(*s->ns), cmp_u64);
	for (i = 0; i < s->count; i++)
		total += s->ns[i];
	sum->count = s->count;
	sum->min_ns = s->ns[0];
	sum->median_ns = percentile(s, 50);
	sum->p99_ns = percentile(s, 99);
	sum->max_ns = s->ns[s->count - 1];
	sum->mean_ns = total / s->count;
}
