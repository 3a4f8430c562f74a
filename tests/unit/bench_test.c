// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-bench's model of what a pdev's policy promises each slice
 * (userspace/bench/share_model.c): the yardstick zsv-bench share holds
 * the kernel to, so it must be right on its own.
 */
#include <stdbool.h>
#include <stdint.h>

#include "kselftest_harness.h"

#include "bench.h"

#define N_MAX 8

struct model_case {
	enum zsv_policy policy;
	size_t n;
	uint32_t weight[N_MAX];
	uint32_t cap[N_MAX];
	bool busy[N_MAX];
};

static void promised(const struct model_case *c, double *share)
{
	share_promised(c->policy, c->n, c->weight, c->cap, c->busy, share);
}

static double distance(double a, double b)
{
	return a > b ? a - b : b - a;
}

#define EXPECT_SHARE(want, got)                     \
	EXPECT_TRUE(distance((want), (got)) < 1e-9) \
	TH_LOG("want %f, got %f", (double)(want), (double)(got))

TEST(weighted_splits_by_weight)
{
	struct model_case c = { ZSV_POLICY_WEIGHTED,
				2,
				{ 300, 100 },
				{ 100, 100 },
				{ true, true } };
	double s[N_MAX];

	promised(&c, s);
	EXPECT_SHARE(0.75, s[0]);
	EXPECT_SHARE(0.25, s[1]);
}

TEST(weighted_gives_idle_slices_time_to_busy_ones)
{
	struct model_case c = { ZSV_POLICY_WEIGHTED,
				3,
				{ 100, 100, 200 },
				{ 100, 100, 100 },
				{ true, true, false } };
	double s[N_MAX];

	promised(&c, s);
	EXPECT_SHARE(0.5, s[0]);
	EXPECT_SHARE(0.5, s[1]);
	EXPECT_SHARE(0, s[2]);
}

TEST(weighted_water_fills_caps)
{
	/* 1:1, one capped at 25%: the other gets the rest. */
	struct model_case c = { ZSV_POLICY_WEIGHTED,
				2,
				{ 100, 100 },
				{ 25, 100 },
				{ true, true } };
	double s[N_MAX];

	promised(&c, s);
	EXPECT_SHARE(0.25, s[0]);
	EXPECT_SHARE(0.75, s[1]);
}

TEST(weighted_water_fills_caps_in_rounds)
{
	/*
	 * 1:1:2 is 25/25/50; the 50 is capped at 40, its 10 goes 5/5 to
	 * the others, then one of those (cap 28) is capped again.
	 */
	struct model_case c = { ZSV_POLICY_WEIGHTED,
				3,
				{ 100, 100, 200 },
				{ 28, 100, 40 },
				{ true, true, true } };
	double s[N_MAX];

	promised(&c, s);
	EXPECT_SHARE(0.28, s[0]);
	EXPECT_SHARE(0.32, s[1]);
	EXPECT_SHARE(0.40, s[2]);
}

TEST(weighted_leaves_time_unused_when_every_slice_is_capped)
{
	struct model_case c = {
		ZSV_POLICY_WEIGHTED, 2, { 100, 300 }, { 10, 20 }, { true, true }
	};
	double s[N_MAX];

	promised(&c, s);
	EXPECT_SHARE(0.10, s[0]);
	EXPECT_SHARE(0.20, s[1]);
}

TEST(fixed_counts_idle_slices_and_gives_nothing_more)
{
	struct model_case c = { ZSV_POLICY_FIXED,
				4,
				{ 100, 100, 100, 100 },
				{ 100, 100, 100, 100 },
				{ true, true, false, false } };
	double s[N_MAX];

	promised(&c, s);
	EXPECT_SHARE(0.25, s[0]);
	EXPECT_SHARE(0.25, s[1]);
	EXPECT_SHARE(0, s[2]);
	EXPECT_SHARE(0, s[3]);
}

TEST(fixed_keeps_caps)
{
	struct model_case c = {
		ZSV_POLICY_FIXED, 2, { 300, 100 }, { 50, 100 }, { true, true }
	};
	double s[N_MAX];

	promised(&c, s);
	EXPECT_SHARE(0.50, s[0]);
	EXPECT_SHARE(0.25, s[1]);
}

TEST(best_effort_ignores_weights)
{
	struct model_case c = { ZSV_POLICY_BEST_EFFORT,
				3,
				{ 100, 200, 300 },
				{ 100, 100, 100 },
				{ true, true, true } };
	double s[N_MAX];

	promised(&c, s);
	EXPECT_SHARE(1.0 / 3, s[0]);
	EXPECT_SHARE(1.0 / 3, s[1]);
	EXPECT_SHARE(1.0 / 3, s[2]);
}

TEST(best_effort_water_fills_caps)
{
	struct model_case c = { ZSV_POLICY_BEST_EFFORT,
				3,
				{ 1, 1, 1 },
				{ 10, 100, 100 },
				{ true, true, true } };
	double s[N_MAX];

	promised(&c, s);
	EXPECT_SHARE(0.10, s[0]);
	EXPECT_SHARE(0.45, s[1]);
	EXPECT_SHARE(0.45, s[2]);
}

TEST(cap_zero_means_uncapped)
{
	struct model_case c = {
		ZSV_POLICY_WEIGHTED, 1, { 100 }, { 0 }, { true }
	};
	double s[N_MAX];

	promised(&c, s);
	EXPECT_SHARE(1.0, s[0]);
}

TEST(no_busy_slice_promises_nothing)
{
	struct model_case c = { ZSV_POLICY_WEIGHTED,
				2,
				{ 100, 100 },
				{ 100, 100 },
				{ false, false } };
	double s[N_MAX] = { 1, 1 };

	promised(&c, s);
	EXPECT_SHARE(0, s[0]);
	EXPECT_SHARE(0, s[1]);
}

TEST(weighted_shares_sum_to_one_without_caps)
{
	struct model_case c = { ZSV_POLICY_WEIGHTED,
				8,
				{ 100, 200, 300, 400, 500, 600, 700, 800 },
				{ 100, 100, 100, 100, 100, 100, 100, 100 },
				{ true, true, true, true, true, true, true,
				  true } };
	double s[N_MAX], sum = 0;
	size_t i;

	promised(&c, s);
	for (i = 0; i < c.n; i++)
		sum += s[i];
	EXPECT_SHARE(1.0, sum);
	EXPECT_SHARE(800.0 / 3600, s[7]);
}

TEST(rand_is_a_fixed_sequence_without_zero)
{
	uint64_t a = 0, b = 0;
	int i;

	for (i = 0; i < 1000; i++) {
		uint64_t x = bench_rand(&a);

		EXPECT_NE(0, x);
		EXPECT_EQ(x, bench_rand(&b));
	}
}

/* Two levels: tenants by tenant weight, then their slices by weight. */
TEST(tenants_split_first_then_their_slices)
{
	uint32_t weight[9], cap[9], tw[2] = { 100, 100 };
	bool busy[9];
	int tenant[9];
	double s[9];
	size_t i;

	/* One tenant with 1 slice, one with 8: 50/50, not 11/89. */
	for (i = 0; i < 9; i++) {
		weight[i] = 100;
		cap[i] = 100;
		busy[i] = true;
		tenant[i] = i ? 1 : 0;
	}
	share_promised_tenants(ZSV_POLICY_WEIGHTED, 9, weight, cap, busy,
			       tenant, tw, s);
	EXPECT_SHARE(0.5, s[0]);
	for (i = 1; i < 9; i++) {
		EXPECT_SHARE(0.0625, s[i]);
	}

	/* Without tenants, it is the flat split. */
	share_promised_tenants(ZSV_POLICY_WEIGHTED, 9, weight, cap, busy,
			       NULL, tw, s);
	for (i = 0; i < 9; i++) {
		EXPECT_SHARE(1.0 / 9, s[i]);
	}
}

TEST(tenant_weights_and_a_slice_of_no_tenant)
{
	uint32_t weight[5] = { 100, 100, 100, 300, 100 };
	uint32_t cap[5] = { 100, 100, 100, 100, 100 };
	bool busy[5] = { true, true, true, true, true };
	int tenant[5] = { 0, 0, 1, 1, -1 };
	uint32_t tw[2] = { 300, 100 };
	double s[5];

	share_promised_tenants(ZSV_POLICY_WEIGHTED, 5, weight, cap, busy,
			       tenant, tw, s);
	EXPECT_SHARE(0.30, s[0]);
	EXPECT_SHARE(0.30, s[1]);
	EXPECT_SHARE(0.05, s[2]);
	EXPECT_SHARE(0.15, s[3]);
	EXPECT_SHARE(0.20, s[4]);

	/* An idle tenant's time goes to the busy ones, by their weights. */
	busy[0] = false;
	busy[1] = false;
	share_promised_tenants(ZSV_POLICY_WEIGHTED, 5, weight, cap, busy,
			       tenant, tw, s);
	EXPECT_SHARE(0, s[0]);
	EXPECT_SHARE(0.125, s[2]);
	EXPECT_SHARE(0.375, s[3]);
	EXPECT_SHARE(0.5, s[4]);
}

TEST(caps_hold_at_both_levels)
{
	uint32_t weight[3] = { 100, 100, 100 };
	uint32_t cap[3] = { 10, 100, 100 };
	bool busy[3] = { true, true, true };
	int tenant[3] = { 0, 0, 1 };
	uint32_t tw[2] = { 100, 100 };
	double s[3];

	/* The capped slice's leftover stays with its tenant. */
	share_promised_tenants(ZSV_POLICY_WEIGHTED, 3, weight, cap, busy,
			       tenant, tw, s);
	EXPECT_SHARE(0.10, s[0]);
	EXPECT_SHARE(0.40, s[1]);
	EXPECT_SHARE(0.50, s[2]);

	/* A tenant whose busy slices are all capped gets their sum. */
	cap[1] = 20;
	share_promised_tenants(ZSV_POLICY_WEIGHTED, 3, weight, cap, busy,
			       tenant, tw, s);
	EXPECT_SHARE(0.10, s[0]);
	EXPECT_SHARE(0.20, s[1]);
	EXPECT_SHARE(0.70, s[2]);

	/* Other policies ignore tenants: an equal split under the caps. */
	cap[1] = 100;
	share_promised_tenants(ZSV_POLICY_BEST_EFFORT, 3, weight, cap, busy,
			       tenant, tw, s);
	EXPECT_SHARE(0.10, s[0]);
	EXPECT_SHARE(0.45, s[1]);
	EXPECT_SHARE(0.45, s[2]);
}

TEST_HARNESS_MAIN
