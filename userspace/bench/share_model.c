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

/* The busy slices by weight alone, caps left out. */
static void by_weight(size_t n, const uint32_t *weight, const bool *busy,
		      double *share)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += busy[i] ? weight[i] : 0;
	for (i = 0; i < n; i++)
		share[i] = busy[i] && sum ? weight[i] / sum : 0;
}

/*
 * Water-filling: the busy slices split the whole pdev in proportion to
 * @weight; a slice whose part comes above its cap gets the cap, and what
 * it leaves is split again among the others, until no part is above its
 * cap.  Each round fixes at least one slice, so it ends within @n rounds.
 */
static void fill(size_t n, const uint32_t *weight, const double *cap,
		 const bool *busy, double *share)
{
	bool *fixed = calloc(n ? n : 1, sizeof(*fixed));
	double left = 1.0;
	size_t i;

	if (!fixed) {
		/* Without the scratch array, no caps: still a fair answer. */
		by_weight(n, weight, busy, share);
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
			if (fixed[i] || left * weight[i] / sum <= cap[i])
				continue;
			share[i] = cap[i];
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

static void water_fill(size_t n, const uint32_t *weight,
		       const uint32_t *cap_pct, const bool *busy, double *share)
{
	double *cap = calloc(n ? n : 1, sizeof(*cap));
	size_t i;

	if (!cap) {
		by_weight(n, weight, busy, share);
		return;
	}
	for (i = 0; i < n; i++)
		cap[i] = cap_of(cap_pct, i);
	fill(n, weight, cap, busy, share);
	free(cap);
}

/*
 * The weighted policy's two levels: the busy tenants split the pdev by
 * tenant weight, none above the sum of its busy slices' caps; each
 * tenant's part is split among its busy slices by slice weight, none
 * above its cap.  A slice without a tenant (@tenant[i] < 0) is a tenant
 * of its own, of its weight.  Water-filling at each level, in shares of
 * the tenant's part.
 */
static int two_levels(size_t n, const uint32_t *weight, const uint32_t *cap_pct,
		      const bool *busy, const int *tenant,
		      const uint32_t *tenant_weight, double *share)
{
	uint32_t *gw = calloc(n ? n : 1, sizeof(*gw));
	double *gcap = calloc(n ? n : 1, sizeof(*gcap));
	double *icap = calloc(n ? n : 1, sizeof(*icap));
	double *gshare = calloc(n ? n : 1, sizeof(*gshare));
	double *ishare = calloc(n ? n : 1, sizeof(*ishare));
	bool *gbusy = calloc(n ? n : 1, sizeof(*gbusy));
	bool *ibusy = calloc(n ? n : 1, sizeof(*ibusy));
	size_t *group = calloc(n ? n : 1, sizeof(*group));
	size_t ng = 0, g, i, j;
	int err = -1;

	if (!gw || !gcap || !icap || !gshare || !ishare || !gbusy || !ibusy ||
	    !group)
		goto out;
	/* Group g: a tenant (the group of its first slice), or a lone slice. */
	for (i = 0; i < n; i++) {
		for (j = 0; tenant[i] >= 0 && j < i; j++) {
			if (tenant[j] == tenant[i]) {
				group[i] = group[j];
				break;
			}
		}
		if (tenant[i] < 0 || j == i) {
			group[i] = ng++;
			gw[group[i]] = tenant[i] >= 0 ? tenant_weight[tenant[i]] :
							weight[i];
		}
		if (!busy[i])
			continue;
		g = group[i];
		gbusy[g] = true;
		gcap[g] += cap_of(cap_pct, i);
	}
	for (g = 0; g < ng; g++)
		gcap[g] = gcap[g] < 1 ? gcap[g] : 1;
	fill(ng, gw, gcap, gbusy, gshare);
	for (g = 0; g < ng; g++) {
		if (!(gshare[g] > 0))
			continue;
		/* Caps as shares of the tenant's part. */
		for (i = 0; i < n; i++) {
			ibusy[i] = busy[i] && group[i] == g;
			icap[i] = cap_of(cap_pct, i) / gshare[g];
		}
		fill(n, weight, icap, ibusy, ishare);
		for (i = 0; i < n; i++)
			if (ibusy[i])
				share[i] = ishare[i] * gshare[g];
	}
	err = 0;
out:
	free(gw);
	free(gcap);
	free(icap);
	free(gshare);
	free(ishare);
	free(gbusy);
	free(ibusy);
	free(group);
	return err;
}

void share_promised_tenants(enum zsv_policy policy, size_t n,
			    const uint32_t *weight, const uint32_t *cap_pct,
			    const bool *busy, const int *tenant,
			    const uint32_t *tenant_weight, double *share)
{
	size_t i;

	for (i = 0; i < n; i++)
		share[i] = 0;
	if (policy == ZSV_POLICY_WEIGHTED && tenant &&
	    !two_levels(n, weight, cap_pct, busy, tenant, tenant_weight, share))
		return;
	share_promised(policy, n, weight, cap_pct, busy, share);
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
