// SPDX-License-Identifier: GPL-2.0-only
/*
 * The shares a pdev's policy promises, computed from the slices'
 * weights and caps alone: what zsv-bench share holds the kernel to.
 * Pure functions, tested on the host (tests/unit/bench_test.c).
 */
#include <stdlib.h>

#include "bench.h"

uint64_t bench_rand(uint64_t *state)
{
	uint64_t x = *state ? *state : 0x9e3779b97f4a7c15ULL;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

static double cap_of(const uint32_t *cap_pct, size_t i)
{
	uint32_t pct = cap_pct[i];

	return pct && pct < 100 ? pct / 100.0 : 1.0;
}

/*
 * Water-filling: the busy slices split the whole pdev in proportion to
 * @weight; a slice whose part comes above its cap gets the cap, and what
 * it leaves is split again among the others, until no part is above its
 * cap.  Each round fixes at least one slice, so it ends within @n rounds.
 */
static void water_fill(size_t n, const uint32_t *weight,
		       const uint32_t *cap_pct, const bool *busy, double *share)
{
	bool *fixed = calloc(n ? n : 1, sizeof(*fixed));
	double left = 1.0;
	size_t i;

	if (!fixed) {
		/* Without the scratch array, no caps: still a fair answer. */
		double sum = 0;

		for (i = 0; i < n; i++)
			sum += busy[i] ? weight[i] : 0;
		for (i = 0; i < n; i++)
			share[i] = busy[i] && sum ? weight[i] / sum : 0;
		return;
	}
	for (i = 0; i < n; i++) {
		share[i] = 0;
		fixed[i] = !busy[i];
	}
	for (;;) {
		double sum = 0;
		bool capped = false;

		for (i = 0; i < n; i++)
			if (!fixed[i])
				sum += weight[i];
		if (sum <= 0 || left <= 0)
			break;
		for (i = 0; i < n; i++) {
			if (fixed[i] ||
			    left * weight[i] / sum <= cap_of(cap_pct, i))
				continue;
			share[i] = cap_of(cap_pct, i);
			fixed[i] = true;
			capped = true;
		}
		if (capped) {
			left = 1.0;
			for (i = 0; i < n; i++)
				if (busy[i] && fixed[i])
					left -= share[i];
			continue;
		}
		for (i = 0; i < n; i++)
			if (!fixed[i])
				share[i] = left * weight[i] / sum;
		break;
	}
	free(fixed);
}

void share_promised(enum zsv_policy policy, size_t n, const uint32_t *weight,
		    const uint32_t *cap_pct, const bool *busy, double *share)
{
	uint32_t *equal;
	double sum = 0;
	size_t i;

	switch (policy) {
	case ZSV_POLICY_FIXED:
		for (i = 0; i < n; i++)
			sum += weight[i];
		for (i = 0; i < n; i++) {
			double part = sum ? weight[i] / sum : 0;
			double cap = cap_of(cap_pct, i);

			share[i] = busy[i] ? (part < cap ? part : cap) : 0;
		}
		return;
	case ZSV_POLICY_BEST_EFFORT:
		equal = malloc((n ? n : 1) * sizeof(*equal));
		/* Without it, the weights are a fair stand-in. */
		if (!equal)
			break;
		for (i = 0; i < n; i++)
			equal[i] = 1;
		water_fill(n, equal, cap_pct, busy, share);
		free(equal);
		return;
	case ZSV_POLICY_WEIGHTED:
	default:
		break;
	}
	water_fill(n, weight, cap_pct, busy, share);
}
