// SPDX-License-Identifier: GPL-2.0-only
/*
 * Slices over netlink against the real module (zsv_sim with two 16 GiB
 * devices, zsv0 and zsv1): carving, admission, live changes, deletion,
 * the device node and its INFO ioctl, events, and every rejected input.
 * Every test cleans up after itself (slices named "t-*").
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nl_helpers.h"
#include "zsv_helpers.h"

static void drop_net_admin(void)
{
	cap_t caps = cap_get_proc();
	cap_value_t v = CAP_NET_ADMIN;

	cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, CAP_CLEAR);
	cap_set_proc(caps);
	cap_free(caps);
}

FIXTURE(slice)
{
	struct zsv_nl nl;
	struct zsv_nl_reply *r;
};

FIXTURE_SETUP(slice)
{
	if (access("/sys/class/zsv/zsv1", F_OK))
		SKIP(return, "needs zsv_sim with two devices");
	ASSERT_EQ(0, zsv_nl_open(&self->nl));
	self->r = calloc(1, sizeof(*self->r));
	ASSERT_NE(NULL, self->r);
	cleanup_all(&self->nl);
}

FIXTURE_TEARDOWN(slice)
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

TEST_F(slice, new_replies_with_the_slice_and_its_node)
{
	struct nl_msg *msg = NEW("t-a", "zsv0", 4 * GiB);
	struct stat st;

	nla_put_u32(msg, ZSV_A_SLICE_WEIGHT, 300);
	nla_put_u32(msg, ZSV_A_SLICE_CAP_PCT, 50);
	ASSERT_EQ(0, XFER(msg));
	ASSERT_EQ(1, self->r->count);
	EXPECT_EQ(4 * GiB, zsv_r_u64(self->r, ZSV_A_SLICE_MEM_BYTES));
	EXPECT_EQ(300U, zsv_r_u32(self->r, ZSV_A_SLICE_WEIGHT));
	EXPECT_EQ(50U, zsv_r_u32(self->r, ZSV_A_SLICE_CAP_PCT));
	EXPECT_EQ(0U, zsv_r_u32(self->r, ZSV_A_SLICE_MEM_MODE));
	EXPECT_EQ(0600U, zsv_r_u32(self->r, ZSV_A_SLICE_NODE_MODE));
	EXPECT_STREQ("/dev/zsv/t-a",
		     nla_get_string(self->r->attrs[0][ZSV_A_SLICE_NODE]));
	EXPECT_STREQ("zsv0",
		     nla_get_string(self->r->attrs[0][ZSV_A_SLICE_DEV_NAME]));
	ASSERT_EQ(0, stat("/dev/zsv/t-a", &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600U, st.st_mode & 07777);
	EXPECT_EQ(4 * GiB, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_RESERVED));
	EXPECT_EQ(1ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_SLICE_COUNT));
	EXPECT_EQ(0, access("/sys/class/zsv_slice/t-a", F_OK));
}

TEST_F(slice, new_rejects_missing_name)
{
	EXPECT_EQ(-EINVAL, XFER(NEW(NULL, "zsv0", GiB)));
	EXPECT_STREQ("a slice name is required", self->r->extack);
}

TEST_F(slice, new_rejects_missing_memory)
{
	EXPECT_EQ(-EINVAL, XFER(NEW("t-a", "zsv0", (uint64_t)-1)));
	EXPECT_STREQ("mem-bytes is required", self->r->extack);
}

/* Without a device the kernel places the slice (place_test.c). */
TEST_F(slice, new_without_device_is_placed)
{
	ASSERT_EQ(0, XFER(NEW("t-a", NULL, GiB))) TH_LOG("%s", self->r->extack);
	EXPECT_STREQ("zsv0",
		     nla_get_string(self->r->attrs[0][ZSV_A_SLICE_DEV_NAME]));
	EXPECT_EQ(GiB, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_RESERVED));
}

TEST_F(slice, new_rejects_unknown_device)
{
	EXPECT_EQ(-ENODEV, XFER(NEW("t-a", "zsv77", GiB)));
	EXPECT_STREQ("no device named 'zsv77'", self->r->extack);
}

TEST_F(slice, new_rejects_bad_names)
{
	static const char *const bad[] = {
		"", "A", "-t", ".t", "_t", "t a", "t/a", "t\xc3\xa4", "T-a",
		/* Latin-1 letters, which the kernel's islower() accepts */
		"\xe4", "t\xff",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, XFER(NEW(bad[i], "zsv0", GiB)))
			TH_LOG("name '%s' was accepted", bad[i]);
		EXPECT_NE(0, self->r->extack[0]);
	}
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_SLICE_COUNT));
}

TEST_F(slice, new_accepts_longest_name)
{
	char name[ZSV_NAME_MAX + 1] = "t-";

	memset(name + 2, 'x', ZSV_NAME_MAX - 2);
	EXPECT_EQ(0, XFER(NEW(name, "zsv0", GiB)));
}

TEST_F(slice, new_rejects_duplicate_name_on_any_device)
{
	ASSERT_EQ(0, XFER(NEW("t-a", "zsv0", GiB)));
	EXPECT_EQ(-EEXIST, XFER(NEW("t-a", "zsv1", GiB)));
	EXPECT_STREQ("a slice named 't-a' exists", self->r->extack);
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv1", ZSV_A_DEV_SLICE_COUNT));
}

TEST_F(slice, new_rejects_zero_memory)
{
	EXPECT_EQ(-EINVAL, XFER(NEW("t-a", "zsv0", 0)));
	EXPECT_STREQ("mem-bytes must be nonzero", self->r->extack);
}

TEST_F(slice, new_rejects_memory_larger_than_device)
{
	EXPECT_EQ(-ENOSPC, XFER(NEW("t-a", "zsv0", 17 * GiB)));
	EXPECT_STREQ("asked 17G reserved, 16G left (reserved slices share 16G)",
		     self->r->extack);
}

TEST_F(slice, new_rejects_reserved_overcommit)
{
	ASSERT_EQ(0, XFER(NEW("t-a", "zsv0", 10 * GiB)));
	EXPECT_EQ(-ENOSPC, XFER(NEW("t-b", "zsv0", 7 * GiB)));
	EXPECT_STREQ("asked 7G reserved, 6G left (reserved slices share 16G)",
		     self->r->extack);
	EXPECT_EQ(0, XFER(NEW("t-b", "zsv0", 6 * GiB)));
	EXPECT_EQ(16 * GiB, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_RESERVED));
	EXPECT_EQ(-ENOSPC, XFER(NEW("t-c", "zsv0", 1)));
}

TEST_F(slice, new_rejects_shared_over_oversubscription)
{
	struct nl_msg *msg = NEW("t-a", "zsv0", 4 * GiB);

	ASSERT_EQ(0, XFER(msg));	/* reserved: the pool is 12G */
	msg = NEW("t-s1", "zsv0", 12 * GiB);
	nla_put_u32(msg, ZSV_A_SLICE_MEM_MODE, ZSV_MEM_MODE_SHARED);
	ASSERT_EQ(0, XFER(msg));
	msg = NEW("t-s2", "zsv0", 1 * GiB);
	nla_put_u32(msg, ZSV_A_SLICE_MEM_MODE, ZSV_MEM_MODE_SHARED);
	EXPECT_EQ(-ENOSPC, XFER(msg));
	EXPECT_STREQ("asked 1G shared, 0B left (shared quotas limit 12G at 100%)",
		     self->r->extack);

	/* 150% oversubscription admits 6G more, and no more. */
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_SET, 0);
	nla_put_string(msg, ZSV_A_DEV_NAME, "zsv0");
	nla_put_u32(msg, ZSV_A_DEV_OVERSUB_PCT, 150);
	ASSERT_EQ(0, XFER(msg));
	msg = NEW("t-s2", "zsv0", 6 * GiB);
	nla_put_u32(msg, ZSV_A_SLICE_MEM_MODE, ZSV_MEM_MODE_SHARED);
	EXPECT_EQ(0, XFER(msg));
	msg = NEW("t-s3", "zsv0", 1);
	nla_put_u32(msg, ZSV_A_SLICE_MEM_MODE, ZSV_MEM_MODE_SHARED);
	EXPECT_EQ(-ENOSPC, XFER(msg));
	EXPECT_EQ(18 * GiB, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_SHARED));
}

TEST_F(slice, new_rejects_reserving_under_shared_quotas)
{
	struct nl_msg *msg = NEW("t-s1", "zsv0", 10 * GiB);

	nla_put_u32(msg, ZSV_A_SLICE_MEM_MODE, ZSV_MEM_MODE_SHARED);
	ASSERT_EQ(0, XFER(msg));
	EXPECT_EQ(-ENOSPC, XFER(NEW("t-a", "zsv0", 7 * GiB)));
	EXPECT_NE(NULL, strstr(self->r->extack, "shared pool would hold 9G"));
	EXPECT_EQ(0, XFER(NEW("t-a", "zsv0", 6 * GiB)));
}

TEST_F(slice, new_rejects_out_of_range_limits)
{
	static const struct { int type; uint64_t value; int bits; } bad[] = {
		{ ZSV_A_SLICE_WEIGHT, 0, 32 },
		{ ZSV_A_SLICE_WEIGHT, 10001, 32 },
		{ ZSV_A_SLICE_CAP_PCT, 0, 32 },
		{ ZSV_A_SLICE_CAP_PCT, 101, 32 },
		{ ZSV_A_SLICE_TIMESLICE_NS, 99999, 64 },
		{ ZSV_A_SLICE_TIMESLICE_NS, 1000000001, 64 },
		{ ZSV_A_SLICE_NODE_MODE, 01000, 32 },
		{ ZSV_A_SLICE_MEM_MODE, 2, 32 },
		{ ZSV_A_SLICE_UID, 0xffffffff, 32 },
		{ ZSV_A_SLICE_GID, 0xffffffff, 32 },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nl_msg *msg = NEW("t-a", "zsv0", GiB);
		int err;

		if (bad[i].bits == 32)
			nla_put_u32(msg, bad[i].type, bad[i].value);
		else
			nla_put_u64(msg, bad[i].type, bad[i].value);
		err = XFER(msg);
		EXPECT_TRUE(err == -EINVAL || err == -ERANGE)
			TH_LOG("attribute %d = %llu: %d", bad[i].type,
			       (unsigned long long)bad[i].value, err);
		EXPECT_NE(0, self->r->extack[0]);
	}
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_SLICE_COUNT));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_RESERVED));
}

TEST_F(slice, new_accepts_limits_at_their_bounds)
{
	struct nl_msg *msg = NEW("t-a", "zsv0", GiB);

	nla_put_u32(msg, ZSV_A_SLICE_WEIGHT, 10000);
	nla_put_u32(msg, ZSV_A_SLICE_CAP_PCT, 1);
	nla_put_u64(msg, ZSV_A_SLICE_TIMESLICE_NS, 100000);
	nla_put_u32(msg, ZSV_A_SLICE_NODE_MODE, 0);
	EXPECT_EQ(0, XFER(msg));
	msg = NEW("t-b", "zsv0", GiB);
	nla_put_u32(msg, ZSV_A_SLICE_WEIGHT, 1);
	nla_put_u32(msg, ZSV_A_SLICE_CAP_PCT, 100);
	nla_put_u64(msg, ZSV_A_SLICE_TIMESLICE_NS, 1000000000);
	nla_put_u32(msg, ZSV_A_SLICE_NODE_MODE, 0777);
	EXPECT_EQ(0, XFER(msg));
}

TEST_F(slice, new_rejects_unknown_attribute)
{
	struct nl_msg *msg = NEW("t-a", "zsv0", GiB);

	nla_put_u32(msg, 250, 1);
	EXPECT_EQ(-EINVAL, XFER(msg));
	EXPECT_NE(0, self->r->extack[0]);
}

TEST_F(slice, new_rejects_reply_only_attributes)
{
	static const int reply_only[] = {
		ZSV_A_SLICE_ID, ZSV_A_SLICE_NODE, ZSV_A_SLICE_CONTEXTS,
		ZSV_A_SLICE_MEM_USED, ZSV_A_SLICE_FORCE, ZSV_A_SLICE_PAD,
	};

	for (size_t i = 0; i < sizeof(reply_only) / sizeof(reply_only[0]); i++) {
		struct nl_msg *msg = NEW("t-a", "zsv0", GiB);

		nla_put(msg, reply_only[i], 0, NULL);
		EXPECT_EQ(-EINVAL, XFER(msg)) TH_LOG("attribute %d", reply_only[i]);
	}
}

TEST_F(slice, new_rejects_wrong_attribute_types)
{
	uint64_t wide = 100;
	uint16_t narrow = 1;
	struct nl_msg *msg;

	msg = NEW("t-a", "zsv0", GiB);
	nla_put(msg, ZSV_A_SLICE_WEIGHT, sizeof(wide), &wide);
	EXPECT_EQ(-EINVAL, XFER(msg));
	msg = NEW("t-a", "zsv0", GiB);
	nla_put(msg, ZSV_A_SLICE_UID, sizeof(narrow), &narrow);
	EXPECT_EQ(-EINVAL, XFER(msg));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_NEW, 0);
	nla_put(msg, ZSV_A_SLICE_NAME, 3, "t-a");	/* no NUL */
	nla_put_string(msg, ZSV_A_SLICE_DEV_NAME, "zsv0");
	nla_put_u64(msg, ZSV_A_SLICE_MEM_BYTES, GiB);
	EXPECT_EQ(-EINVAL, XFER(msg));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_NEW, 0);
	nla_put_string(msg, ZSV_A_SLICE_NAME, "t-a");
	nla_put_string(msg, ZSV_A_SLICE_DEV_NAME, "zsv0");
	nla_put_u32(msg, ZSV_A_SLICE_MEM_BYTES, 1024);	/* u64 as u32 */
	EXPECT_EQ(-EINVAL, XFER(msg));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_SLICE_COUNT));
}

TEST_F(slice, mutations_need_net_admin)
{
	struct nl_msg *msg;

	ASSERT_EQ(0, XFER(NEW("t-a", "zsv0", GiB)));
	drop_net_admin();
	EXPECT_EQ(-EPERM, XFER(NEW("t-b", "zsv0", GiB)));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_SET, 0);
	nla_put_string(msg, ZSV_A_SLICE_NAME, "t-a");
	nla_put_u32(msg, ZSV_A_SLICE_WEIGHT, 5);
	EXPECT_EQ(-EPERM, XFER(msg));
	EXPECT_EQ(-EPERM, zsv_slice_del(&self->nl, self->r, "t-a", true));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_SET, 0);
	nla_put_string(msg, ZSV_A_DEV_NAME, "zsv0");
	nla_put_u32(msg, ZSV_A_DEV_POLICY, ZSV_POLICY_FIXED);
	EXPECT_EQ(-EPERM, XFER(msg));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_NEW, 0);
	nla_put_u64(msg, ZSV_A_DEV_MEM_TOTAL, GiB);
	EXPECT_EQ(-EPERM, XFER(msg));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_DEL, 0);
	nla_put_string(msg, ZSV_A_DEV_NAME, "zsv1");
	EXPECT_EQ(-EPERM, XFER(msg));
	/* Reading still works, and nothing changed. */
	ASSERT_EQ(0, zsv_slice_get(&self->nl, self->r, "t-a"));
	EXPECT_EQ(100U, zsv_r_u32(self->r, ZSV_A_SLICE_WEIGHT));
	EXPECT_EQ(-ENOENT, zsv_slice_get(&self->nl, self->r, "t-b"));
}

TEST_F(slice, set_changes_limits_live)
{
	struct nl_msg *msg;

	ASSERT_EQ(0, XFER(NEW("t-a", "zsv0", 2 * GiB)));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_SET, 0);
	nla_put_string(msg, ZSV_A_SLICE_NAME, "t-a");
	nla_put_u64(msg, ZSV_A_SLICE_MEM_BYTES, 8 * GiB);
	nla_put_u32(msg, ZSV_A_SLICE_WEIGHT, 700);
	nla_put_u32(msg, ZSV_A_SLICE_CAP_PCT, 30);
	nla_put_u64(msg, ZSV_A_SLICE_TIMESLICE_NS, 500000);
	ASSERT_EQ(0, XFER(msg));
	ASSERT_EQ(0, zsv_slice_get(&self->nl, self->r, "t-a"));
	EXPECT_EQ(8 * GiB, zsv_r_u64(self->r, ZSV_A_SLICE_MEM_BYTES));
	EXPECT_EQ(700U, zsv_r_u32(self->r, ZSV_A_SLICE_WEIGHT));
	EXPECT_EQ(30U, zsv_r_u32(self->r, ZSV_A_SLICE_CAP_PCT));
	EXPECT_EQ(500000ULL, zsv_r_u64(self->r, ZSV_A_SLICE_TIMESLICE_NS));
	EXPECT_EQ(8 * GiB, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_RESERVED));
}

TEST_F(slice, set_is_all_or_nothing)
{
	struct nl_msg *msg;

	ASSERT_EQ(0, XFER(NEW("t-a", "zsv0", 2 * GiB)));
	ASSERT_EQ(0, XFER(NEW("t-b", "zsv0", 12 * GiB)));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_SET, 0);
	nla_put_string(msg, ZSV_A_SLICE_NAME, "t-a");
	nla_put_u32(msg, ZSV_A_SLICE_WEIGHT, 700);
	nla_put_u64(msg, ZSV_A_SLICE_MEM_BYTES, 5 * GiB);	/* 4G left */
	EXPECT_EQ(-ENOSPC, XFER(msg));
	EXPECT_STREQ("asked 5G reserved, 4G left (reserved slices share 16G)",
		     self->r->extack);
	ASSERT_EQ(0, zsv_slice_get(&self->nl, self->r, "t-a"));
	EXPECT_EQ(2 * GiB, zsv_r_u64(self->r, ZSV_A_SLICE_MEM_BYTES));
	EXPECT_EQ(100U, zsv_r_u32(self->r, ZSV_A_SLICE_WEIGHT));
	EXPECT_EQ(14 * GiB, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_RESERVED));
}

TEST_F(slice, set_rejects_bad_input)
{
	struct nl_msg *msg;

	ASSERT_EQ(0, XFER(NEW("t-a", "zsv0", GiB)));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_SET, 0);
	nla_put_string(msg, ZSV_A_SLICE_NAME, "t-a");
	EXPECT_EQ(-EINVAL, XFER(msg));
	EXPECT_STREQ("nothing to set", self->r->extack);
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_SET, 0);
	nla_put_string(msg, ZSV_A_SLICE_NAME, "t-zz");
	nla_put_u32(msg, ZSV_A_SLICE_WEIGHT, 5);
	EXPECT_EQ(-ENOENT, XFER(msg));
	EXPECT_STREQ("no slice named 't-zz'", self->r->extack);
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_SET, 0);
	nla_put_string(msg, ZSV_A_SLICE_NAME, "t-a");
	nla_put_u32(msg, ZSV_A_SLICE_CAP_PCT, 101);
	EXPECT_EQ(-ERANGE, XFER(msg));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_SET, 0);
	nla_put_string(msg, ZSV_A_SLICE_NAME, "t-a");
	nla_put_u64(msg, ZSV_A_SLICE_MEM_BYTES, 0);
	EXPECT_EQ(-EINVAL, XFER(msg));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_SET, 0);
	nla_put_string(msg, ZSV_A_SLICE_NAME, "t-a");
	nla_put_u32(msg, ZSV_A_SLICE_MEM_MODE, ZSV_MEM_MODE_SHARED);
	EXPECT_EQ(-EINVAL, XFER(msg));	/* the mode is fixed at creation */
}

TEST_F(slice, set_owner_and_mode_remake_the_node)
{
	struct nl_msg *msg;
	struct stat st;

	ASSERT_EQ(0, XFER(NEW("t-a", "zsv0", GiB)));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_SET, 0);
	nla_put_string(msg, ZSV_A_SLICE_NAME, "t-a");
	nla_put_u32(msg, ZSV_A_SLICE_UID, 1234);
	nla_put_u32(msg, ZSV_A_SLICE_GID, 4321);
	nla_put_u32(msg, ZSV_A_SLICE_NODE_MODE, 0660);
	ASSERT_EQ(0, XFER(msg));
	ASSERT_EQ(0, stat("/dev/zsv/t-a", &st));
	EXPECT_EQ(1234U, st.st_uid);
	EXPECT_EQ(4321U, st.st_gid);
	EXPECT_EQ(0660U, st.st_mode & 07777);
}

TEST_F(slice, get_by_id_and_dump_by_device)
{
	struct nl_msg *msg;
	uint32_t id;

	ASSERT_EQ(0, XFER(NEW("t-a", "zsv0", GiB)));
	id = zsv_r_u32(self->r, ZSV_A_SLICE_ID);
	ASSERT_EQ(0, XFER(NEW("t-b", "zsv1", GiB)));
	ASSERT_EQ(0, XFER(NEW("t-c", "zsv1", GiB)));

	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_GET, 0);
	nla_put_u32(msg, ZSV_A_SLICE_ID, id);
	ASSERT_EQ(0, XFER(msg));
	EXPECT_STREQ("t-a", nla_get_string(self->r->attrs[0][ZSV_A_SLICE_NAME]));

	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_GET, NLM_F_DUMP);
	nla_put_string(msg, ZSV_A_SLICE_DEV_NAME, "zsv1");
	ASSERT_EQ(0, XFER(msg));
	EXPECT_EQ(2, self->r->count);

	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_GET, NLM_F_DUMP);
	nla_put_string(msg, ZSV_A_SLICE_NAME, "t-a");
	EXPECT_EQ(-EINVAL, XFER(msg));

	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_GET, NLM_F_DUMP);
	nla_put_string(msg, ZSV_A_SLICE_DEV_NAME, "zsv9");
	EXPECT_EQ(-ENODEV, XFER(msg));

	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_GET, 0);
	nla_put_u32(msg, ZSV_A_SLICE_ID, 999999);
	EXPECT_EQ(-ENOENT, XFER(msg));

	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_GET, 0);
	EXPECT_EQ(-EINVAL, XFER(msg));
	EXPECT_EQ(ZSV_A_SLICE_NAME, self->r->missing_type);
}

TEST_F(slice, del_refuses_busy_slice_without_force)
{
	int fd;

	ASSERT_EQ(0, XFER(NEW("t-a", "zsv0", GiB)));
	fd = open("/dev/zsv/t-a", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, zsv_slice_get(&self->nl, self->r, "t-a"));
	EXPECT_EQ(1U, zsv_r_u32(self->r, ZSV_A_SLICE_CONTEXTS));
	EXPECT_EQ(-EBUSY, zsv_slice_del(&self->nl, self->r, "t-a", false));
	EXPECT_STREQ("the slice has 1 open context(s); force revokes them",
		     self->r->extack);
	close(fd);
	EXPECT_EQ(0, zsv_slice_del(&self->nl, self->r, "t-a", false));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_RESERVED));
	EXPECT_NE(0, access("/dev/zsv/t-a", F_OK));
	EXPECT_NE(0, access("/sys/class/zsv_slice/t-a", F_OK));
}

TEST_F(slice, forced_del_revokes_open_contexts)
{
	struct zsv_info info;
	int fd;

	ASSERT_EQ(0, XFER(NEW("t-a", "zsv0", GiB)));
	fd = open("/dev/zsv/t-a", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, ZSV_IOCTL_INFO, &info));
	ASSERT_EQ(0, zsv_slice_del(&self->nl, self->r, "t-a", true));
	EXPECT_EQ(-1, ioctl(fd, ZSV_IOCTL_INFO, &info));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_NE(0, access("/dev/zsv/t-a", F_OK));
	/* The name is free again at once, with a new node. */
	ASSERT_EQ(0, XFER(NEW("t-a", "zsv0", GiB)));
	EXPECT_EQ(-1, ioctl(fd, ZSV_IOCTL_INFO, &info));
	EXPECT_EQ(0, close(fd));
}

TEST_F(slice, del_rejects_unknown_slice)
{
	EXPECT_EQ(-ENOENT, zsv_slice_del(&self->nl, self->r, "t-zz", false));
	EXPECT_STREQ("no slice named 't-zz'", self->r->extack);
}

TEST_F(slice, info_ioctl_reports_limits)
{
	struct nl_msg *msg = NEW("t-a", "zsv1", 3 * GiB);
	struct {
		struct zsv_info info;
		char future[32];
	} big;
	struct zsv_info info;
	int fd;

	nla_put_u32(msg, ZSV_A_SLICE_MEM_MODE, ZSV_MEM_MODE_SHARED);
	nla_put_u32(msg, ZSV_A_SLICE_WEIGHT, 42);
	nla_put_u32(msg, ZSV_A_SLICE_CAP_PCT, 25);
	ASSERT_EQ(0, XFER(msg));
	fd = open("/dev/zsv/t-a", O_RDWR);
	ASSERT_LE(0, fd);
	memset(&info, 0xff, sizeof(info));
	ASSERT_EQ(0, ioctl(fd, ZSV_IOCTL_INFO, &info));
	EXPECT_EQ(zsv_r_u32(self->r, ZSV_A_SLICE_ID), info.slice_id);
	EXPECT_EQ(3 * GiB, info.mem_bytes);
	EXPECT_EQ(0ULL, info.mem_used);
	EXPECT_EQ((uint32_t)ZSV_MEM_MODE_SHARED, info.mem_mode);
	EXPECT_EQ(42U, info.weight);
	EXPECT_EQ(25U, info.cap_pct);
	EXPECT_EQ(4U, info.engines);
	EXPECT_EQ(2000000ULL, info.timeslice_ns);
	EXPECT_EQ(100000000ULL, info.period_ns);
	EXPECT_STREQ("t-a", info.name);
	EXPECT_STREQ("zsv1", info.dev_name);

	/* A caller built against a longer struct gets zeroes past ours. */
	memset(&big, 0xff, sizeof(big));
	ASSERT_EQ(0, ioctl(fd, _IOR(ZSV_IOCTL_BASE, 0x40, big), &big));
	for (size_t i = 0; i < sizeof(big.future); i++)
		ASSERT_EQ(0, big.future[i]);

	/* Too short, the wrong direction, unknown commands. */
	EXPECT_EQ(-1, ioctl(fd, _IOR(ZSV_IOCTL_BASE, 0x40, uint64_t), &info));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, _IOW(ZSV_IOCTL_BASE, 0x40, struct zsv_info), &info));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, _IOR(ZSV_IOCTL_BASE, 0x7f, struct zsv_info), &info));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(fd, _IOR('q', 0x40, struct zsv_info), &info));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(fd, ZSV_IOCTL_INFO, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	close(fd);
}

TEST_F(slice, status_page_follows_changes)
{
	struct nl_msg *msg = NEW("t-a", "zsv0", 2 * GiB);
	const volatile struct zsv_status *st;
	struct zsv_status now;
	uint32_t seq;
	int fd;

	ASSERT_EQ(0, XFER(msg));
	fd = open("/dev/zsv/t-a", O_RDWR);
	ASSERT_LE(0, fd);
	st = mmap(NULL, getpagesize(), PROT_READ, MAP_SHARED, fd,
		  ZSV_STATUS_OFFSET);
	ASSERT_NE(MAP_FAILED, st);
	read_status(st, &now);
	EXPECT_LE(2U, now.seq);
	EXPECT_EQ(0U, now.seq & 1);
	EXPECT_STREQ("t-a", now.info.name);
	EXPECT_EQ(2 * GiB, now.info.mem_bytes);
	EXPECT_EQ(100U, now.info.weight);
	seq = now.seq;

	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_SET, 0);
	nla_put_string(msg, ZSV_A_SLICE_NAME, "t-a");
	nla_put_u32(msg, ZSV_A_SLICE_WEIGHT, 77);
	ASSERT_EQ(0, XFER(msg));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_SET, 0);
	nla_put_string(msg, ZSV_A_DEV_NAME, "zsv0");
	nla_put_u64(msg, ZSV_A_DEV_PERIOD_NS, 50000000);
	ASSERT_EQ(0, XFER(msg));
	read_status(st, &now);
	EXPECT_LT(seq, now.seq);
	EXPECT_EQ(77U, now.info.weight);
	EXPECT_EQ(50000000ULL, now.info.period_ns);
	munmap((void *)st, getpagesize());
	close(fd);
}

TEST_F(slice, status_page_rejects_bad_mappings)
{
	void *p;
	int fd;

	ASSERT_EQ(0, XFER(NEW("t-a", "zsv0", GiB)));
	fd = open("/dev/zsv/t-a", O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE,
				   MAP_SHARED, fd, 0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, getpagesize(), PROT_READ | PROT_EXEC,
				   MAP_SHARED, fd, 0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, getpagesize(), PROT_READ, MAP_SHARED,
				   fd, getpagesize()));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 2 * getpagesize(), PROT_READ,
				   MAP_SHARED, fd, 0));
	EXPECT_EQ(EINVAL, errno);
	/* A read-only mapping cannot be made writable later. */
	p = mmap(NULL, getpagesize(), PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, mprotect(p, getpagesize(), PROT_READ | PROT_WRITE));
	munmap(p, getpagesize());
	close(fd);
}

TEST_F(slice, forced_del_zaps_live_mappings)
{
	const volatile struct zsv_status *st;
	struct zsv_info info;
	int fd;

	ASSERT_EQ(0, XFER(NEW("t-a", "zsv0", GiB)));
	fd = open("/dev/zsv/t-a", O_RDONLY);
	ASSERT_LE(0, fd);
	st = mmap(NULL, getpagesize(), PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, st);
	ASSERT_LE(2U, st->seq);
	ASSERT_EQ(0, zsv_slice_del(&self->nl, self->r, "t-a", true));
	/* The mapping still reads, but the slice's page is gone from it. */
	EXPECT_EQ(0U, st->seq);
	EXPECT_EQ(0, st->info.name[0]);
	EXPECT_EQ(-1, ioctl(fd, ZSV_IOCTL_INFO, &info));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, getpagesize(), PROT_READ, MAP_SHARED,
				   fd, 0));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(0, munmap((void *)st, getpagesize()));
	EXPECT_EQ(0, close(fd));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_SLICE_COUNT));
}

struct info_hammer {
	int fd;
	int calls;
	int enodev;
};

static void *hammer_info(void *p)
{
	struct info_hammer *h = p;
	struct zsv_info info;

	for (;;) {
		h->calls++;
		if (ioctl(h->fd, ZSV_IOCTL_INFO, &info)) {
			h->enodev = errno == ENODEV;
			return NULL;
		}
	}
}

TEST_F_TIMEOUT(slice, forced_del_while_info_is_hammered_completes, 60)
{
	struct info_hammer h[2];
	pthread_t t[2];

	ASSERT_EQ(0, XFER(NEW("t-a", "zsv0", GiB)));
	for (int i = 0; i < 2; i++) {
		h[i] = (struct info_hammer){ .fd = open("/dev/zsv/t-a", O_RDONLY) };
		ASSERT_LE(0, h[i].fd);
		ASSERT_EQ(0, pthread_create(&t[i], NULL, hammer_info, &h[i]));
	}
	usleep(200000);
	/* A deletion that deadlocked against INFO would never return. */
	EXPECT_EQ(0, zsv_slice_del(&self->nl, self->r, "t-a", true));
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		EXPECT_TRUE(h[i].enodev);
		EXPECT_LT(1, h[i].calls);
		close(h[i].fd);
	}
}

TEST_F(slice, device_numbers_are_not_reused_at_once)
{
	struct stat a, b;

	ASSERT_EQ(0, XFER(NEW("t-a", "zsv0", GiB)));
	ASSERT_EQ(0, stat("/dev/zsv/t-a", &a));
	ASSERT_EQ(0, zsv_slice_del(&self->nl, self->r, "t-a", false));
	ASSERT_EQ(0, XFER(NEW("t-b", "zsv0", GiB)));
	ASSERT_EQ(0, stat("/dev/zsv/t-b", &b));
	/* A container that kept t-a's number must not reach t-b. */
	EXPECT_NE(a.st_rdev, b.st_rdev);
}

TEST_F(slice, names_may_match_sysfs_attribute_names)
{
	static const char *const names[] = { "power", "uevent", "id", "policy",
					     "subsystem", "engines" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[64];

		EXPECT_EQ(0, XFER(NEW(names[i], "zsv0", MiB)))
			TH_LOG("%s: %s", names[i], self->r->extack);
		snprintf(path, sizeof(path), "/dev/zsv/%s", names[i]);
		EXPECT_EQ(0, access(path, F_OK));
		EXPECT_EQ(0, zsv_slice_del(&self->nl, self->r, names[i], true));
	}
	EXPECT_EQ(0, access("/sys/class/zsv/zsv0/engines", F_OK));
}

TEST_F(slice, huge_device_oversubscription_saturates)
{
	struct nl_msg *msg;
	char name[16];

	/* 8E at 200% overflows 64 bits: admission saturates, never traps. */
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_NEW, 0);
	nla_put_u64(msg, ZSV_A_DEV_MEM_TOTAL, 8ULL << 60);
	ASSERT_EQ(0, XFER(msg));
	snprintf(name, sizeof(name), "%s",
		 nla_get_string(self->r->attrs[0][ZSV_A_DEV_NAME]));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_SET, 0);
	nla_put_string(msg, ZSV_A_DEV_NAME, name);
	nla_put_u32(msg, ZSV_A_DEV_OVERSUB_PCT, 10000);
	EXPECT_EQ(0, XFER(msg));
	msg = NEW("t-huge", name, 15ULL << 60);
	nla_put_u32(msg, ZSV_A_SLICE_MEM_MODE, ZSV_MEM_MODE_SHARED);
	EXPECT_EQ(0, XFER(msg));
	EXPECT_EQ(0, zsv_slice_del(&self->nl, self->r, "t-huge", false));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_DEL, 0);
	nla_put_string(msg, ZSV_A_DEV_NAME, name);
	EXPECT_EQ(0, XFER(msg));
}

TEST_F(slice, node_permissions_keep_others_out)
{
	struct nl_msg *msg = NEW("t-a", "zsv0", GiB);
	pid_t pid;
	int status;

	nla_put_u32(msg, ZSV_A_SLICE_UID, 65534);
	nla_put_u32(msg, ZSV_A_SLICE_NODE_MODE, 0600);
	ASSERT_EQ(0, XFER(msg));
	ASSERT_EQ(0, XFER(NEW("t-b", "zsv0", GiB)));	/* root's */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int mine, theirs;

		if (setgid(65534) || setuid(65534))
			_exit(10);
		mine = open("/dev/zsv/t-a", O_RDWR);
		theirs = open("/dev/zsv/t-b", O_RDWR);
		_exit(mine >= 0 && theirs < 0 && errno == EACCES ? 0 : 11);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_F(slice, dev_set_changes_and_rejects)
{
	static const struct { int type; uint64_t value; int bits; int err; } bad[] = {
		{ ZSV_A_DEV_POLICY, 3, 32, -ERANGE },
		{ ZSV_A_DEV_TIMESLICE_NS, 99999, 64, -ERANGE },
		{ ZSV_A_DEV_TIMESLICE_NS, 1000000001, 64, -ERANGE },
		{ ZSV_A_DEV_PERIOD_NS, 9999999, 64, -ERANGE },
		{ ZSV_A_DEV_PERIOD_NS, 10000000001ULL, 64, -ERANGE },
		{ ZSV_A_DEV_OVERSUB_PCT, 99, 32, -ERANGE },
		{ ZSV_A_DEV_OVERSUB_PCT, 10001, 32, -ERANGE },
		{ ZSV_A_DEV_MEM_TOTAL, 1, 64, -EINVAL },
		{ ZSV_A_DEV_ENGINES, 1, 32, -EINVAL },
	};
	struct nl_msg *msg;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_SET, 0);
		nla_put_string(msg, ZSV_A_DEV_NAME, "zsv0");
		if (bad[i].bits == 32)
			nla_put_u32(msg, bad[i].type, bad[i].value);
		else
			nla_put_u64(msg, bad[i].type, bad[i].value);
		EXPECT_EQ(bad[i].err, XFER(msg)) TH_LOG("case %zu", i);
		EXPECT_NE(0, self->r->extack[0]);
	}

	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_SET, 0);
	nla_put_string(msg, ZSV_A_DEV_NAME, "zsv0");
	nla_put_u64(msg, ZSV_A_DEV_TIMESLICE_NS, 50000000);
	nla_put_u64(msg, ZSV_A_DEV_PERIOD_NS, 20000000);
	EXPECT_EQ(-EINVAL, XFER(msg));
	EXPECT_STREQ("period 20000000 ns is shorter than timeslice 50000000 ns",
		     self->r->extack);

	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_SET, 0);
	nla_put_string(msg, ZSV_A_DEV_NAME, "zsv0");
	EXPECT_EQ(-EINVAL, XFER(msg));
	EXPECT_STREQ("nothing to set", self->r->extack);

	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_SET, 0);
	nla_put_string(msg, ZSV_A_DEV_NAME, "zsv0");
	nla_put_u32(msg, ZSV_A_DEV_POLICY, ZSV_POLICY_BEST_EFFORT);
	nla_put_u64(msg, ZSV_A_DEV_TIMESLICE_NS, 4000000);
	nla_put_u64(msg, ZSV_A_DEV_PERIOD_NS, 200000000);
	ASSERT_EQ(0, XFER(msg));
	EXPECT_EQ((uint64_t)ZSV_POLICY_BEST_EFFORT,
		  dev_stat(&self->nl, "zsv0", ZSV_A_DEV_POLICY));
	EXPECT_EQ(4000000ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_TIMESLICE_NS));
	EXPECT_EQ(200000000ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_PERIOD_NS));
}

TEST_F(slice, dev_set_refuses_oversubscription_below_quotas)
{
	struct nl_msg *msg;

	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_SET, 0);
	nla_put_string(msg, ZSV_A_DEV_NAME, "zsv0");
	nla_put_u32(msg, ZSV_A_DEV_OVERSUB_PCT, 200);
	ASSERT_EQ(0, XFER(msg));
	msg = NEW("t-s", "zsv0", 20 * GiB);
	nla_put_u32(msg, ZSV_A_SLICE_MEM_MODE, ZSV_MEM_MODE_SHARED);
	ASSERT_EQ(0, XFER(msg));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_SET, 0);
	nla_put_string(msg, ZSV_A_DEV_NAME, "zsv0");
	nla_put_u32(msg, ZSV_A_DEV_OVERSUB_PCT, 100);
	EXPECT_EQ(-EBUSY, XFER(msg));
	EXPECT_STREQ("shared quotas hold 20G; 100% allows only 16G", self->r->extack);
	EXPECT_EQ(200ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_OVERSUB_PCT));
}

TEST_F(slice, dev_new_and_del_round_trip)
{
	struct nl_msg *msg;
	char name[16];

	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_NEW, 0);
	nla_put_u64(msg, ZSV_A_DEV_MEM_TOTAL, 2 * GiB);
	nla_put_u32(msg, ZSV_A_DEV_ENGINES, 2);
	ASSERT_EQ(0, XFER(msg));
	ASSERT_EQ(1, self->r->count);
	snprintf(name, sizeof(name), "%s",
		 nla_get_string(self->r->attrs[0][ZSV_A_DEV_NAME]));
	EXPECT_EQ(2 * GiB, nla_get_u64(self->r->attrs[0][ZSV_A_DEV_MEM_TOTAL]));
	EXPECT_EQ(0, access("/sys/class/zsv/", F_OK));

	ASSERT_EQ(0, XFER(NEW("t-a", name, GiB)));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_DEL, 0);
	nla_put_string(msg, ZSV_A_DEV_NAME, name);
	EXPECT_EQ(-EBUSY, XFER(msg));
	EXPECT_STREQ("the device has 1 slice(s); destroy them first",
		     self->r->extack);
	ASSERT_EQ(0, zsv_slice_del(&self->nl, self->r, "t-a", false));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_DEL, 0);
	nla_put_string(msg, ZSV_A_DEV_NAME, name);
	EXPECT_EQ(0, XFER(msg));
	EXPECT_EQ(~0ULL, dev_stat(&self->nl, name, ZSV_A_DEV_ID));
}

TEST_F(slice, dev_new_rejects_bad_input)
{
	struct nl_msg *msg;

	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_NEW, 0);
	EXPECT_EQ(-EINVAL, XFER(msg));
	EXPECT_STREQ("mem-total is required", self->r->extack);
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_NEW, 0);
	nla_put_u64(msg, ZSV_A_DEV_MEM_TOTAL, 0);
	EXPECT_EQ(-EINVAL, XFER(msg));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_NEW, 0);
	nla_put_u64(msg, ZSV_A_DEV_MEM_TOTAL, GiB);
	nla_put_u32(msg, ZSV_A_DEV_ENGINES, 65);
	EXPECT_EQ(-ERANGE, XFER(msg));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_NEW, 0);
	nla_put_u64(msg, ZSV_A_DEV_MEM_TOTAL, GiB);
	nla_put_string(msg, ZSV_A_DEV_BACKEND, "gpu9000");
	EXPECT_EQ(-ENOENT, XFER(msg));
	EXPECT_STREQ("no backend named 'gpu9000' is loaded", self->r->extack);
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_NEW, 0);
	nla_put_u64(msg, ZSV_A_DEV_MEM_TOTAL, GiB);
	nla_put_u32(msg, ZSV_A_DEV_ID, 5);
	EXPECT_EQ(-EINVAL, XFER(msg));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_DEL, 0);
	nla_put_string(msg, ZSV_A_DEV_NAME, "zsv99");
	EXPECT_EQ(-ENODEV, XFER(msg));
}

static int seq_ok(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

/* --- events --------------------------------------------------------------- */

TEST_F(slice, monitor_sees_each_change_with_full_state)
{
	struct zsv_nl mon;
	struct zsv_nl_reply *ev = calloc(1, sizeof(*ev));
	static const uint8_t want[] = { ZSV_CMD_SLICE_NEW, ZSV_CMD_SLICE_SET,
					ZSV_CMD_DEV_SET, ZSV_CMD_SLICE_DEL };
	struct nl_msg *msg;
	int grp;

	ASSERT_EQ(0, zsv_nl_open(&mon));
	grp = genl_ctrl_resolve_grp(mon.sock, ZSV_GENL_NAME, ZSV_MCGRP_MONITOR);
	ASSERT_LE(0, grp);
	nl_socket_disable_seq_check(mon.sock);
	ASSERT_EQ(0, nl_socket_add_membership(mon.sock, grp));

	ASSERT_EQ(0, XFER(NEW("t-a", "zsv0", GiB)));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_SET, 0);
	nla_put_string(msg, ZSV_A_SLICE_NAME, "t-a");
	nla_put_u32(msg, ZSV_A_SLICE_WEIGHT, 9);
	ASSERT_EQ(0, XFER(msg));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_SET, 0);
	nla_put_string(msg, ZSV_A_DEV_NAME, "zsv0");
	nla_put_u32(msg, ZSV_A_DEV_POLICY, ZSV_POLICY_FIXED);
	ASSERT_EQ(0, XFER(msg));
	/* A refused change sends nothing. */
	EXPECT_EQ(-EEXIST, XFER(NEW("t-a", "zsv0", GiB)));
	ASSERT_EQ(0, zsv_slice_del(&self->nl, self->r, "t-a", false));

	for (size_t i = 0; i < sizeof(want); i++) {
		struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
		struct genlmsghdr *gh;

		memset(ev, 0, sizeof(*ev));
		ev->max_attr = ZSV_A_SLICE_MAX;
		nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, zsv_nl_valid_cb, ev);
		nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, seq_ok, NULL);
		ASSERT_LT(0, nl_recvmsgs_report(mon.sock, cb));
		nl_cb_put(cb);
		ASSERT_EQ(1, ev->count);
		gh = nlmsg_data(nlmsg_hdr(ev->msgs[0]));
		EXPECT_EQ(want[i], gh->cmd) TH_LOG("event %zu", i);
		if (gh->cmd != ZSV_CMD_DEV_SET) {
			EXPECT_STREQ("t-a", nla_get_string(ev->attrs[0][ZSV_A_SLICE_NAME]));
			EXPECT_NE(NULL, ev->attrs[0][ZSV_A_SLICE_MEM_BYTES]);
			EXPECT_EQ(i == 0 ? 100U : 9U,
				  nla_get_u32(ev->attrs[0][ZSV_A_SLICE_WEIGHT]));
		} else {
			EXPECT_EQ((uint32_t)ZSV_POLICY_FIXED,
				  nla_get_u32(ev->attrs[0][ZSV_A_DEV_POLICY]));
		}
		zsv_nl_reply_free(ev);
	}
	/* Nothing more is queued. */
	nl_socket_set_nonblocking(mon.sock);
	{
		struct sockaddr_nl peer;
		unsigned char *buf = NULL;

		EXPECT_EQ(-NLE_AGAIN, nl_recv(mon.sock, &peer, &buf, NULL));
		free(buf);
	}
	zsv_nl_close(&mon);
	free(ev);
}

/* --- scale and concurrency ------------------------------------------------ */

struct churn_arg {
	int thread;
	int created, deleted;
};

/*
 * Create and destroy 1000 slices over the same 8 names as the other thread;
 * 250 on the debug tier (ZSV_DEBUG_TIER), where 1000 took over a minute.
 */
static void *churn(void *p)
{
	struct churn_arg *a = p;
	struct zsv_nl nl;
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));
	int rounds = getenv("ZSV_DEBUG_TIER") ? 250 : 1000;
	char name[16];

	if (zsv_nl_open(&nl))
		return NULL;
	for (int i = 0; i < rounds; i++) {
		snprintf(name, sizeof(name), "t-c%d", i % 8);
		if (!zsv_slice_new(&nl, r, name, a->thread ? "zsv1" : "zsv0", MiB))
			a->created++;
		zsv_nl_reply_free(r);
		snprintf(name, sizeof(name), "t-c%d", (i + 3 * a->thread) % 8);
		if (!zsv_slice_del(&nl, r, name, true))
			a->deleted++;
		zsv_nl_reply_free(r);
	}
	zsv_nl_close(&nl);
	free(r);
	return NULL;
}

TEST_F_TIMEOUT(slice, two_threads_churning_the_same_names_stay_consistent, 300)
{
	struct churn_arg a[2] = { { .thread = 0 }, { .thread = 1 } };
	pthread_t t[2];
	struct nl_msg *msg;
	int left;

	for (int i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, churn, &a[i]));
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);

	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_GET, NLM_F_DUMP);
	ASSERT_EQ(0, XFER(msg));
	left = self->r->count;
	TH_LOG("created %d+%d, deleted %d+%d, left %d", a[0].created,
	       a[1].created, a[0].deleted, a[1].deleted, left);
	EXPECT_EQ(a[0].created + a[1].created - a[0].deleted - a[1].deleted, left);
	EXPECT_GT(a[0].created + a[1].created, 100);
	EXPECT_EQ((uint64_t)left, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_SLICE_COUNT) +
				dev_stat(&self->nl, "zsv1", ZSV_A_DEV_SLICE_COUNT));
	EXPECT_EQ(dev_stat(&self->nl, "zsv0", ZSV_A_DEV_SLICE_COUNT) * MiB,
		  dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_RESERVED));
	EXPECT_EQ(dev_stat(&self->nl, "zsv1", ZSV_A_DEV_SLICE_COUNT) * MiB,
		  dev_stat(&self->nl, "zsv1", ZSV_A_DEV_MEM_RESERVED));
	for (int i = 0; i < self->r->count; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/dev/zsv/%s",
			 nla_get_string(self->r->attrs[i][ZSV_A_SLICE_NAME]));
		EXPECT_EQ(0, access(path, F_OK)) TH_LOG("%s missing", path);
	}
}

TEST_F_TIMEOUT(slice, holds_1024_slices_on_one_device_and_64_devices, 300)
{
	char name[32];
	int devs = 0;

	for (int i = 0; i < 1024; i++) {
		snprintf(name, sizeof(name), "t-s%d", i);
		ASSERT_EQ(0, zsv_slice_new(&self->nl, self->r, name, "zsv0", MiB))
			TH_LOG("slice %d: %s", i, self->r->extack);
		zsv_nl_reply_free(self->r);
	}
	EXPECT_EQ(1024ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_SLICE_COUNT));
	EXPECT_EQ(0, access("/dev/zsv/t-s1023", F_OK));

	/* 62 more devices make 64, each with a slice. */
	for (int i = 0; i < 62; i++) {
		struct nl_msg *msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_NEW, 0);

		nla_put_u64(msg, ZSV_A_DEV_MEM_TOTAL, GiB);
		ASSERT_EQ(0, XFER(msg));
		snprintf(name, sizeof(name), "t-d%d", i);
		ASSERT_EQ(0, zsv_slice_new(&self->nl, self->r, name,
					   nla_get_string(self->r->attrs[0][ZSV_A_DEV_NAME]) ?: "",
					   MiB));
		devs++;
	}
	{
		struct nl_msg *msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_GET, NLM_F_DUMP);

		ASSERT_EQ(0, XFER(msg));
		EXPECT_EQ(64, self->r->count);
		EXPECT_FALSE(self->r->dump_intr);
	}
	cleanup_all(&self->nl);
	for (int i = 2; i < 2 + devs; i++) {
		struct nl_msg *msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_DEL, 0);

		nla_put_u32(msg, ZSV_A_DEV_ID, i);
		EXPECT_EQ(0, XFER(msg)) TH_LOG("dev %d: %s", i, self->r->extack);
	}
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_SLICE_COUNT));
}

static int count_intr(struct nl_msg *msg, void *arg)
{
	int *flags = arg;

	flags[0]++;
	if (nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP_INTR)
		flags[1]++;
	return NL_OK;
}

TEST_F_TIMEOUT(slice, dump_torn_by_a_change_is_flagged_interrupted, 120)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int seen[2] = { 0, 0 };	/* messages, messages flagged */
	struct sockaddr_nl peer;
	struct nl_msg *msg;
	unsigned char *buf;
	char name[32];

	/* Enough slices that a dump needs many rounds. */
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "t-d%d", i);
		ASSERT_EQ(0, zsv_slice_new(&self->nl, self->r, name, "zsv0", MiB));
		zsv_nl_reply_free(self->r);
	}
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_GET, NLM_F_DUMP);
	ASSERT_LT(0, nl_send_auto(self->nl.sock, msg));
	nlmsg_free(msg);
	/* Take the first round only, then change the set of slices. */
	ASSERT_LT(0, nl_recv(self->nl.sock, &peer, &buf, NULL));
	free(buf);
	{
		struct zsv_nl other;

		ASSERT_EQ(0, zsv_nl_open(&other));
		EXPECT_EQ(0, zsv_slice_del(&other, self->r, "t-d299", false));
		zsv_nl_close(&other);
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, count_intr, seen);
	nl_recvmsgs(self->nl.sock, cb);
	nl_cb_put(cb);
	EXPECT_LT(0, seen[0]);
	EXPECT_LT(0, seen[1]);
}

TEST_HARNESS_MAIN
