// SPDX-License-Identifier: GPL-2.0-only
/*
 * Placement: slice-new without a device, against the real module (zsv_sim
 * with two 16 GiB devices, zsv0 and zsv1; the race adds six more with
 * dev-new and removes them). The kernel picks the device under the lock
 * that serialises admission, so two admins racing for the last room never
 * both succeed and neither is refused while another device has room.
 * Every test cleans up after itself (slices named "t-*").
 */
#include <pthread.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "nl_helpers.h"
#include "zsv_helpers.h"

FIXTURE(place)
{
	struct zsv_nl nl;
	struct zsv_nl_reply *r;
};

FIXTURE_SETUP(place)
{
	if (access("/sys/class/zsv/zsv1", F_OK))
		SKIP(return, "needs zsv_sim with two devices");
	ASSERT_EQ(0, zsv_nl_open(&self->nl));
	if (dev_count(&self->nl) != 2 ||
	    dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_TOTAL) != 16 * GiB ||
	    dev_stat(&self->nl, "zsv1", ZSV_A_DEV_MEM_TOTAL) != 16 * GiB)
		SKIP(return, "needs exactly zsv0 and zsv1 of 16G");
	self->r = calloc(1, sizeof(*self->r));
	ASSERT_NE(NULL, self->r);
	cleanup_all(&self->nl);
}

FIXTURE_TEARDOWN(place)
{
	if (!self->r)
		return;
	zsv_nl_reply_free(self->r);
	cleanup_all(&self->nl);
	free(self->r);
	zsv_nl_close(&self->nl);
}

#define XFER(msg) zsv_nl_xfer(&self->nl, (msg), self->r, ZSV_A_SLICE_MAX)
#define NEW(name, dev, mem) zsv_slice_new_msg(&self->nl, (name), (dev), (mem))

static struct nl_msg *place_msg(struct zsv_nl *nl, const char *name,
				uint64_t mem, int how)
{
	struct nl_msg *msg = zsv_slice_new_msg(nl, name, NULL, mem);

	if (how >= 0)
		nla_put_u32(msg, ZSV_A_SLICE_PLACEMENT, how);
	return msg;
}

static const char *r_dev(struct zsv_nl_reply *r)
{
	return r->count && r->attrs[0][ZSV_A_SLICE_DEV_NAME] ?
	       nla_get_string(r->attrs[0][ZSV_A_SLICE_DEV_NAME]) : "";
}

TEST_F(place, new_without_device_spreads_by_default)
{
	ASSERT_EQ(0, XFER(NEW("t-a", "zsv0", 4 * GiB)));
	/* zsv1 is left with 15G, zsv0 would be left with 11G. */
	ASSERT_EQ(0, XFER(place_msg(&self->nl, "t-b", GiB, -1)))
		TH_LOG("%s", self->r->extack);
	EXPECT_STREQ("zsv1", r_dev(self->r));
	EXPECT_EQ(GiB, dev_stat(&self->nl, "zsv1", ZSV_A_DEV_MEM_RESERVED));
	/* Now 12G against 15G: spread still picks zsv1. */
	ASSERT_EQ(0, XFER(place_msg(&self->nl, "t-c", GiB,
				    ZSV_PLACEMENT_SPREAD)));
	EXPECT_STREQ("zsv1", r_dev(self->r));
}

TEST_F(place, equal_devices_go_to_the_lowest_id)
{
	ASSERT_EQ(0, XFER(place_msg(&self->nl, "t-a", GiB, -1)));
	EXPECT_STREQ("zsv0", r_dev(self->r));
	ASSERT_EQ(0, XFER(place_msg(&self->nl, "t-b", GiB, -1)));
	EXPECT_STREQ("zsv1", r_dev(self->r));
}

TEST_F(place, engine_headroom_breaks_memory_ties)
{
	struct nl_msg *msg = NEW("t-a", "zsv0", GiB);

	nla_put_u32(msg, ZSV_A_SLICE_CAP_PCT, 30);
	ASSERT_EQ(0, XFER(msg));
	msg = NEW("t-b", "zsv1", GiB);
	nla_put_u32(msg, ZSV_A_SLICE_CAP_PCT, 60);
	ASSERT_EQ(0, XFER(msg));
	EXPECT_EQ(70ULL, dev_stat(&self->nl, "zsv0",
				  ZSV_A_DEV_HEADROOM_ENGINE_PCT));
	EXPECT_EQ(40ULL, dev_stat(&self->nl, "zsv1",
				  ZSV_A_DEV_HEADROOM_ENGINE_PCT));
	ASSERT_EQ(0, XFER(place_msg(&self->nl, "t-c", GiB, -1)));
	EXPECT_STREQ("zsv0", r_dev(self->r));
	ASSERT_EQ(0, XFER(place_msg(&self->nl, "t-d", GiB,
				    ZSV_PLACEMENT_BINPACK)));
	/* zsv0 is now fuller in memory (13G left after, against 14G). */
	EXPECT_STREQ("zsv0", r_dev(self->r));
}

TEST_F(place, binpack_picks_the_fullest_that_fits)
{
	ASSERT_EQ(0, XFER(NEW("t-a", "zsv1", 10 * GiB)));
	ASSERT_EQ(0, XFER(place_msg(&self->nl, "t-b", 4 * GiB,
				    ZSV_PLACEMENT_BINPACK)));
	EXPECT_STREQ("zsv1", r_dev(self->r));
	/* zsv1 has 2G left: 3G goes to zsv0, the only one it fits. */
	ASSERT_EQ(0, XFER(place_msg(&self->nl, "t-c", 3 * GiB,
				    ZSV_PLACEMENT_BINPACK)));
	EXPECT_STREQ("zsv0", r_dev(self->r));
	ASSERT_EQ(0, XFER(place_msg(&self->nl, "t-d", 2 * GiB,
				    ZSV_PLACEMENT_BINPACK)));
	EXPECT_STREQ("zsv1", r_dev(self->r));
	EXPECT_EQ(16 * GiB, dev_stat(&self->nl, "zsv1",
				     ZSV_A_DEV_MEM_RESERVED));
}

TEST_F(place, shared_slices_use_the_shared_headroom)
{
	struct nl_msg *msg;

	ASSERT_EQ(0, XFER(NEW("t-a", "zsv0", 8 * GiB)));
	ASSERT_EQ(0, dev_set_u32(&self->nl, "zsv0", ZSV_A_DEV_OVERSUB_PCT,
				 300));
	/* zsv0: 8G unreserved at 300% is 24G of quotas; zsv1: 16G. */
	EXPECT_EQ(24 * GiB, dev_stat(&self->nl, "zsv0",
				     ZSV_A_DEV_HEADROOM_SHARED));
	EXPECT_EQ(8 * GiB, dev_stat(&self->nl, "zsv0",
				    ZSV_A_DEV_HEADROOM_RESERVED));
	msg = place_msg(&self->nl, "t-b", 20 * GiB, -1);
	nla_put_u32(msg, ZSV_A_SLICE_MEM_MODE, ZSV_MEM_MODE_SHARED);
	ASSERT_EQ(0, XFER(msg)) TH_LOG("%s", self->r->extack);
	EXPECT_STREQ("zsv0", r_dev(self->r));
	/* The quotas now need 20G / 3 of pool: 6.67G, so 1.33G reservable. */
	EXPECT_EQ(8 * GiB - (20 * GiB + 2) / 3, dev_stat(&self->nl, "zsv0",
				     ZSV_A_DEV_HEADROOM_RESERVED));
}

TEST_F(place, headroom_is_exactly_what_admission_takes)
{
	uint64_t room;

	ASSERT_EQ(0, XFER(NEW("t-a", "zsv0", 3 * GiB)));
	room = dev_stat(&self->nl, "zsv0", ZSV_A_DEV_HEADROOM_RESERVED);
	EXPECT_EQ(13 * GiB, room);
	EXPECT_EQ(16 * GiB, dev_stat(&self->nl, "zsv1",
				     ZSV_A_DEV_HEADROOM_RESERVED));
	EXPECT_EQ(100ULL, dev_stat(&self->nl, "zsv1",
				   ZSV_A_DEV_HEADROOM_ENGINE_PCT));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv0",
				 ZSV_A_DEV_HEADROOM_ENGINE_PCT));
	EXPECT_EQ(-ENOSPC, XFER(NEW("t-b", "zsv0", room + 1)));
	EXPECT_EQ(0, XFER(NEW("t-b", "zsv0", room)));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv0",
				 ZSV_A_DEV_HEADROOM_RESERVED));
}

TEST_F(place, refusal_names_the_roomiest_device)
{
	ASSERT_EQ(0, XFER(NEW("t-a", "zsv0", 4 * GiB)));
	EXPECT_EQ(-ENOSPC, XFER(place_msg(&self->nl, "t-b", 17 * GiB, -1)));
	EXPECT_STREQ("no device fits 17G reserved; the roomiest, zsv1, has 16G left",
		     self->r->extack);
	EXPECT_EQ(1ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_SLICE_COUNT));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv1", ZSV_A_DEV_SLICE_COUNT));
}

TEST_F(place, backend_filter)
{
	struct nl_msg *msg = place_msg(&self->nl, "t-a", GiB, -1);

	nla_put_string(msg, ZSV_A_SLICE_BACKEND, "nope");
	EXPECT_EQ(-ENODEV, XFER(msg));
	EXPECT_STREQ("no device of backend 'nope'", self->r->extack);
	msg = place_msg(&self->nl, "t-a", GiB, -1);
	nla_put_string(msg, ZSV_A_SLICE_BACKEND, "sim");
	EXPECT_EQ(0, XFER(msg)) TH_LOG("%s", self->r->extack);
	EXPECT_STREQ("zsv0", r_dev(self->r));
}

TEST_F(place, rejects_placement_with_a_device)
{
	struct nl_msg *msg = NEW("t-a", "zsv0", GiB);

	nla_put_u32(msg, ZSV_A_SLICE_PLACEMENT, ZSV_PLACEMENT_BINPACK);
	EXPECT_EQ(-EINVAL, XFER(msg));
	EXPECT_STREQ("placement and backend apply only when no device is named",
		     self->r->extack);
	EXPECT_NE(0U, self->r->bad_attr_offset);
	msg = NEW("t-a", "zsv0", GiB);
	nla_put_string(msg, ZSV_A_SLICE_BACKEND, "sim");
	EXPECT_EQ(-EINVAL, XFER(msg));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_SLICE_COUNT));
}

TEST_F(place, rejects_unknown_placement)
{
	EXPECT_EQ(-EINVAL, XFER(place_msg(&self->nl, "t-a", GiB, 2)));
	EXPECT_STREQ("placement 2 is not 0 (spread) or 1 (binpack)",
		     self->r->extack);
}

TEST_F(place, other_refusals_still_come_first)
{
	struct nl_msg *msg;

	ASSERT_EQ(0, XFER(place_msg(&self->nl, "t-a", GiB, -1)));
	EXPECT_EQ(-EEXIST, XFER(place_msg(&self->nl, "t-a", GiB, -1)));
	EXPECT_STREQ("a slice named 't-a' exists", self->r->extack);
	msg = place_msg(&self->nl, "t-b", GiB, -1);
	nla_put_u32(msg, ZSV_A_SLICE_MEM_MODE, 7);
	EXPECT_EQ(-EINVAL, XFER(msg));
	EXPECT_STREQ("memory mode 7 is not 0 (reserved) or 1 (shared)",
		     self->r->extack);
}

/* --- two admins racing over eight devices -------------------------------- */

#define RACE_SLICE (1536 * MiB)
/*
 * The 100 rounds on the stock kernels; on the debug tier
 * (ZSV_DEBUG_TIER, tests/guest/kmemleak-suite), where a round takes
 * seconds, 10 rounds give lockdep and KASAN the same paths.
 */
#define RACE_ROUNDS 100
#define RACE_ROUNDS_DEBUG 10

struct racer {
	struct zsv_nl nl;
	struct zsv_nl_reply *r;
	pthread_barrier_t *go;
	int id, round, placed, refused_err;
	char extack[256];
};

static void *race(void *arg)
{
	struct racer *t = arg;
	char name[32];
	int err;

	pthread_barrier_wait(t->go);
	for (;;) {
		snprintf(name, sizeof(name), "t-r%d-%d-%d", t->id, t->round,
			 t->placed);
		err = zsv_nl_xfer(&t->nl,
				  place_msg(&t->nl, name, RACE_SLICE,
					    t->id & 1 ? ZSV_PLACEMENT_BINPACK :
							ZSV_PLACEMENT_SPREAD),
				  t->r, ZSV_A_SLICE_MAX);
		if (err) {
			t->refused_err = err;
			snprintf(t->extack, sizeof(t->extack), "%s",
				 t->r->extack);
			zsv_nl_reply_free(t->r);
			return NULL;
		}
		zsv_nl_reply_free(t->r);
		t->placed++;
	}
}

/* Slow under KASAN and lockdep: 7200 slice-new and slice-del. */
TEST_F_TIMEOUT(place, racing_admins_fill_exactly_what_fits, 900)
{
	static const uint64_t extra[] = { 2 * GiB, 3 * GiB, 4 * GiB, 5 * GiB,
					  6 * GiB, 7 * GiB };
	uint64_t fits = 2 * (16 * GiB / RACE_SLICE);
	struct racer t[2] = {};
	pthread_barrier_t go;
	uint32_t ids[6];
	int round, rounds = getenv("ZSV_DEBUG_TIER") ? RACE_ROUNDS_DEBUG :
						     RACE_ROUNDS;

	for (size_t i = 0; i < 6; i++) {
		struct nl_msg *msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_NEW, 0);

		nla_put_u64(msg, ZSV_A_DEV_MEM_TOTAL, extra[i]);
		ASSERT_EQ(0, XFER(msg)) TH_LOG("%s", self->r->extack);
		ids[i] = zsv_r_u32(self->r, ZSV_A_DEV_ID);
		fits += extra[i] / RACE_SLICE;
	}
	ASSERT_EQ(8, dev_count(&self->nl));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, zsv_nl_open(&t[i].nl));
		t[i].r = calloc(1, sizeof(*t[i].r));
		ASSERT_NE(NULL, t[i].r);
		t[i].id = i;
		t[i].go = &go;
	}

	for (round = 0; round < rounds; round++) {
		pthread_t th[2];

		pthread_barrier_init(&go, NULL, 2);
		for (int i = 0; i < 2; i++) {
			t[i].round = round;
			t[i].placed = 0;
			ASSERT_EQ(0, pthread_create(&th[i], NULL, race, &t[i]));
		}
		for (int i = 0; i < 2; i++)
			pthread_join(th[i], NULL);
		pthread_barrier_destroy(&go);
		for (int i = 0; i < 2; i++) {
			EXPECT_EQ(-ENOSPC, t[i].refused_err)
				TH_LOG("round %d: %s", round, t[i].extack);
		}
		/* No false refusal and no overcommit. */
		ASSERT_EQ(fits, (uint64_t)(t[0].placed + t[1].placed))
			TH_LOG("round %d: %d + %d placed, %s", round,
			       t[0].placed, t[1].placed, t[0].extack);
		delete_test_slices(&self->nl);
	}
	for (int i = 0; i < 2; i++)
		free(t[i].r);
	for (size_t i = 0; i < 6; i++) {
		struct nl_msg *msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_DEL, 0);

		nla_put_u32(msg, ZSV_A_DEV_ID, ids[i]);
		EXPECT_EQ(0, XFER(msg)) TH_LOG("%s", self->r->extack);
	}
}

TEST_HARNESS_MAIN
