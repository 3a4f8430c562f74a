// SPDX-License-Identifier: GPL-2.0-only
/*
 * Groups: group-new makes COUNT slices of one shape, each placed by the
 * kernel, on distinct pdevs unless asked otherwise, all or none; group-del
 * destroys them all or none. Against the real module (zsv_sim with two
 * 16 GiB devices, zsv0 and zsv1; tests that need four add two with
 * dev-new and remove them). Groups are named "t-*", so their slices are
 * "t-*" too and the fixture's cleanup takes them.
 */
#include <stdlib.h>

#include "kselftest_harness.h"
#include "nl_helpers.h"
#include "zsv_helpers.h"

FIXTURE(group)
{
	struct zsv_nl nl;
	struct zsv_nl_reply *r;
	uint32_t added[2];
	int nadded;
};

FIXTURE_SETUP(group)
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

FIXTURE_TEARDOWN(group)
{
	if (!self->r)
		return;
	zsv_nl_reply_free(self->r);
	cleanup_all(&self->nl);
	for (int i = 0; i < self->nadded; i++) {
		struct nl_msg *msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_DEL, 0);

		nla_put_u32(msg, ZSV_A_DEV_ID, self->added[i]);
		EXPECT_EQ(0, xfer(&self->nl, msg, ZSV_A_DEV_MAX));
	}
	free(self->r);
	zsv_nl_close(&self->nl);
}

#define XFER(msg) zsv_nl_xfer(&self->nl, (msg), self->r, ZSV_A_SLICE_MAX)

/* One attribute of the slice @name, as slice-get says; ~0 if none. */
static uint64_t slice_stat(struct zsv_nl *nl, const char *name, int type)
{
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));
	uint64_t v;

	zsv_slice_get(nl, r, name);
	v = r->count && r->attrs[0][type] ? attr_uint(r->attrs[0][type]) : ~0ULL;
	zsv_nl_reply_free(r);
	free(r);
	return v;
}

static struct nl_msg *group_msg(struct zsv_nl *nl, const char *group,
				uint32_t count, uint64_t mem)
{
	struct nl_msg *msg = zsv_nl_msg(nl, ZSV_CMD_GROUP_NEW, 0);

	nla_put_string(msg, ZSV_A_SLICE_GROUP, group);
	nla_put_u32(msg, ZSV_A_SLICE_COUNT, count);
	nla_put_u64(msg, ZSV_A_SLICE_MEM_BYTES, mem);
	return msg;
}

static struct nl_msg *group_del_msg(struct zsv_nl *nl, const char *group,
				    bool force)
{
	struct nl_msg *msg = zsv_nl_msg(nl, ZSV_CMD_GROUP_DEL, 0);

	nla_put_string(msg, ZSV_A_SLICE_GROUP, group);
	if (force)
		nla_put_flag(msg, ZSV_A_SLICE_FORCE);
	return msg;
}

/* Two more 16G sim pdevs, removed by the teardown. */
static void add_two(struct __test_metadata *_metadata,
		    FIXTURE_DATA(group) *self)
{
	for (int i = 0; i < 2; i++) {
		struct nl_msg *msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_NEW, 0);

		nla_put_u64(msg, ZSV_A_DEV_MEM_TOTAL, 16 * GiB);
		ASSERT_EQ(0, zsv_nl_xfer(&self->nl, msg, self->r, ZSV_A_DEV_MAX))
			TH_LOG("%s", self->r->extack);
		self->added[self->nadded++] = zsv_r_u32(self->r, ZSV_A_DEV_ID);
		zsv_nl_reply_free(self->r);
	}
	ASSERT_EQ(4, dev_count(&self->nl));
}

/*
 * The slices whose name starts with @prefix, from a dump: how many, and
 * in @devs (if not NULL) the pdev id of each, by the number after the
 * last '-'; each must carry @group (NULL: no group attribute).
 */
static int members(struct __test_metadata *_metadata, struct zsv_nl *nl,
		   const char *prefix, const char *group, uint32_t *devs)
{
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));
	int n = 0;

	zsv_nl_xfer(nl, zsv_nl_msg(nl, ZSV_CMD_SLICE_GET, NLM_F_DUMP), r,
		    ZSV_A_SLICE_MAX);
	for (int i = 0; i < r->count; i++) {
		const char *name = nla_get_string(r->attrs[i][ZSV_A_SLICE_NAME]);
		struct nlattr *g = r->attrs[i][ZSV_A_SLICE_GROUP];

		if (strncmp(name, prefix, strlen(prefix)))
			continue;
		n++;
		if (group) {
			EXPECT_NE(NULL, g) TH_LOG("%s has no group", name);
			if (g)
				EXPECT_STREQ(group, nla_get_string(g));
		} else {
			EXPECT_EQ(NULL, g) TH_LOG("%s has a group", name);
		}
		if (devs)
			devs[atoi(strrchr(name, '-') + 1)] =
				nla_get_u32(r->attrs[i][ZSV_A_SLICE_DEV_ID]);
	}
	zsv_nl_reply_free(r);
	free(r);
	return n;
}

TEST_F(group, four_on_four_devices_then_five_makes_none)
{
	uint32_t devs[4] = { ~0U, ~0U, ~0U, ~0U };
	struct nl_msg *msg;

	add_two(_metadata, self);
	msg = group_msg(&self->nl, "t-g", 4, GiB);
	nla_put_u32(msg, ZSV_A_SLICE_CAP_PCT, 50);
	ASSERT_EQ(0, XFER(msg)) TH_LOG("%s", self->r->extack);
	EXPECT_EQ(0, self->r->count);	/* an ack, no reply */
	ASSERT_EQ(4, members(_metadata, &self->nl, "t-g-", "t-g", devs));
	for (int i = 0; i < 4; i++) {
		for (int k = i + 1; k < 4; k++) {
			if (devs[i] == devs[k])
				TH_LOG("t-g-%d and t-g-%d share pdev %u", i, k,
				       devs[i]);
			EXPECT_NE(devs[i], devs[k]);
		}
	}
	EXPECT_EQ(50ULL, slice_stat(&self->nl, "t-g-3", ZSV_A_SLICE_CAP_PCT));
	EXPECT_EQ(GiB, slice_stat(&self->nl, "t-g-0", ZSV_A_SLICE_MEM_BYTES));

	EXPECT_EQ(-ENOSPC, XFER(group_msg(&self->nl, "t-h", 5, GiB)));
	EXPECT_STREQ("a group of 5 on distinct devices needs 5 devices; there are 4",
		     self->r->extack);
	EXPECT_EQ(0, members(_metadata, &self->nl, "t-h-", NULL, NULL));

	/* Any pdev: five fit on four. */
	msg = group_msg(&self->nl, "t-h", 5, GiB);
	nla_put_u8(msg, ZSV_A_SLICE_DISTINCT, 0);
	EXPECT_EQ(0, XFER(msg)) TH_LOG("%s", self->r->extack);
	EXPECT_EQ(5, members(_metadata, &self->nl, "t-h-", "t-h", NULL));

	ASSERT_EQ(0, XFER(group_del_msg(&self->nl, "t-g", false)));
	EXPECT_EQ(0, members(_metadata, &self->nl, "t-g-", NULL, NULL));
	EXPECT_EQ(5, members(_metadata, &self->nl, "t-h-", "t-h", NULL));
	ASSERT_EQ(0, XFER(group_del_msg(&self->nl, "t-h", false)));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_SLICE_COUNT));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv1", ZSV_A_DEV_SLICE_COUNT));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_RESERVED));
	EXPECT_EQ(-ENOENT, XFER(group_del_msg(&self->nl, "t-g", false)));
	EXPECT_STREQ("no slice is in a group named 't-g'", self->r->extack);
}

static int seq_ok(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

/*
 * A refusal of the second slice undoes the first, sends no event for
 * either, and leaves the pdevs as they were; a success sends one
 * slice-new event per slice.
 */
TEST_F(group, refusal_undoes_the_slices_made_without_events)
{
	struct zsv_nl_reply *ev = calloc(1, sizeof(*ev));
	struct genlmsghdr *gh;
	struct zsv_nl mon;
	struct nl_cb *cb;
	int grp;

	ASSERT_EQ(0, zsv_slice_new(&self->nl, self->r, "t-big", "zsv1",
				   15 * GiB));
	zsv_nl_reply_free(self->r);
	ASSERT_EQ(0, zsv_nl_open(&mon));
	grp = genl_ctrl_resolve_grp(mon.sock, ZSV_GENL_NAME, ZSV_MCGRP_MONITOR);
	ASSERT_LE(0, grp);
	nl_socket_disable_seq_check(mon.sock);
	ASSERT_EQ(0, nl_socket_add_membership(mon.sock, grp));

	/* t-g-0 goes to zsv0, the roomiest; zsv1 has 1G left for t-g-1. */
	EXPECT_EQ(-ENOSPC, XFER(group_msg(&self->nl, "t-g", 2, 2 * GiB)));
	EXPECT_STREQ("no device fits 2G reserved; the roomiest, zsv1, has 1G left",
		     self->r->extack);
	EXPECT_EQ(0, members(_metadata, &self->nl, "t-g-", NULL, NULL));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_SLICE_COUNT));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_RESERVED));
	EXPECT_EQ(1ULL, dev_stat(&self->nl, "zsv1", ZSV_A_DEV_SLICE_COUNT));
	EXPECT_NE(0, access("/dev/zsv/t-g-0", F_OK));

	ASSERT_EQ(0, XFER(group_msg(&self->nl, "t-g", 2, GiB)))
		TH_LOG("%s", self->r->extack);

	/* The first events the monitor sees are the two slices made. */
	for (int i = 0; i < 2; i++) {
		char want[8];

		memset(ev, 0, sizeof(*ev));
		ev->max_attr = ZSV_A_SLICE_MAX;
		cb = nl_cb_alloc(NL_CB_DEFAULT);
		nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, zsv_nl_valid_cb, ev);
		nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, seq_ok, NULL);
		ASSERT_LT(0, nl_recvmsgs_report(mon.sock, cb));
		nl_cb_put(cb);
		ASSERT_EQ(1, ev->count);
		gh = nlmsg_data(nlmsg_hdr(ev->msgs[0]));
		EXPECT_EQ(ZSV_CMD_SLICE_NEW, gh->cmd);
		snprintf(want, sizeof(want), "t-g-%d", i);
		EXPECT_STREQ(want, nla_get_string(ev->attrs[0][ZSV_A_SLICE_NAME]));
		EXPECT_STREQ("t-g", nla_get_string(ev->attrs[0][ZSV_A_SLICE_GROUP]));
		zsv_nl_reply_free(ev);
	}
	zsv_nl_close(&mon);
	free(ev);
}

TEST_F(group, counts_against_its_tenant_as_the_sum)
{
	struct nl_msg *msg = zsv_nl_msg(&self->nl, ZSV_CMD_TENANT_NEW, 0);

	nla_put_string(msg, ZSV_A_TENANT_NAME, "t-acme");
	nla_put_u64(msg, ZSV_A_TENANT_MEM_MAX, 3 * GiB);
	ASSERT_EQ(0, zsv_nl_xfer(&self->nl, msg, self->r, ZSV_A_TENANT_MAX))
		TH_LOG("%s", self->r->extack);
	zsv_nl_reply_free(self->r);

	/* Two of 2G are 4G, over 3G: refused, and nothing is charged. */
	msg = group_msg(&self->nl, "t-g", 2, 2 * GiB);
	nla_put_string(msg, ZSV_A_SLICE_TENANT, "t-acme");
	EXPECT_EQ(-EDQUOT, XFER(msg));
	EXPECT_STREQ("tenant memory limit 3G: 2G in use, 2G more asked ('t-acme')",
		     self->r->extack);
	EXPECT_EQ(0, members(_metadata, &self->nl, "t-g-", NULL, NULL));

	msg = group_msg(&self->nl, "t-g", 2, GiB + GiB / 2);
	nla_put_string(msg, ZSV_A_SLICE_TENANT, "t-acme");
	ASSERT_EQ(0, XFER(msg)) TH_LOG("%s", self->r->extack);
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_TENANT_GET, 0);
	nla_put_string(msg, ZSV_A_TENANT_NAME, "t-acme");
	ASSERT_EQ(0, zsv_nl_xfer(&self->nl, msg, self->r, ZSV_A_TENANT_MAX));
	EXPECT_EQ(3 * GiB, zsv_r_u64(self->r, ZSV_A_TENANT_MEM));
	EXPECT_EQ(2ULL, zsv_r_u64(self->r, ZSV_A_TENANT_SLICES));
	zsv_nl_reply_free(self->r);

	ASSERT_EQ(0, XFER(group_del_msg(&self->nl, "t-g", false)));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_TENANT_DEL, 0);
	nla_put_string(msg, ZSV_A_TENANT_NAME, "t-acme");
	EXPECT_EQ(0, zsv_nl_xfer(&self->nl, msg, self->r, ZSV_A_TENANT_MAX))
		TH_LOG("%s", self->r->extack);
}

TEST_F(group, delete_is_all_or_none_and_force_revokes)
{
	int fd;

	ASSERT_EQ(0, XFER(group_msg(&self->nl, "t-g", 2, GiB)));
	fd = slice_open("t-g-1");
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EBUSY, XFER(group_del_msg(&self->nl, "t-g", false)));
	EXPECT_STREQ("slice 't-g-1' of the group has 1 open context(s); force revokes them",
		     self->r->extack);
	EXPECT_EQ(2, members(_metadata, &self->nl, "t-g-", "t-g", NULL));
	EXPECT_EQ(0, XFER(group_del_msg(&self->nl, "t-g", true)));
	EXPECT_EQ(0, members(_metadata, &self->nl, "t-g-", NULL, NULL));
	close(fd);
}

TEST_F(group, names_and_counts_are_checked)
{
	char longname[72];
	struct nl_msg *msg;

	EXPECT_EQ(-EINVAL, XFER(group_msg(&self->nl, "T-bad", 2, GiB)));
	EXPECT_STREQ("group name 'T-bad' is not [a-z0-9][a-z0-9_.-]{0,62}",
		     self->r->extack);
	EXPECT_EQ(-ERANGE, XFER(group_msg(&self->nl, "t-g", 0, GiB)));
	EXPECT_STREQ("a group has 1 to 64 slices, not 0", self->r->extack);
	EXPECT_EQ(-ERANGE, XFER(group_msg(&self->nl, "t-g", 65, GiB)));

	/* 61 bytes and "-1" fit in 63, 62 do not... */
	memset(longname, 'a', sizeof(longname));
	longname[0] = 't';
	longname[1] = '-';
	longname[62] = 0;
	EXPECT_EQ(-EINVAL, XFER(group_msg(&self->nl, longname, 2, GiB)));
	longname[61] = 0;
	EXPECT_EQ(0, XFER(group_msg(&self->nl, longname, 2, GiB)))
		TH_LOG("%s", self->r->extack);
	/* ...and a name carried by a group is taken. */
	EXPECT_EQ(-EEXIST, XFER(group_msg(&self->nl, longname, 1, GiB)));

	/* A slice in the way of a member's name: none is made. */
	ASSERT_EQ(0, zsv_slice_new(&self->nl, self->r, "t-x-1", "zsv0", GiB));
	zsv_nl_reply_free(self->r);
	EXPECT_EQ(-EEXIST, XFER(group_msg(&self->nl, "t-x", 2, GiB)));
	EXPECT_STREQ("a slice named 't-x-1' exists", self->r->extack);
	EXPECT_EQ(1, members(_metadata, &self->nl, "t-x-", NULL, NULL));

	msg = group_msg(&self->nl, "t-y", 1, GiB);
	nla_put_u8(msg, ZSV_A_SLICE_DISTINCT, 2);
	EXPECT_EQ(-EINVAL, XFER(msg));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_GROUP_NEW, 0);
	nla_put_string(msg, ZSV_A_SLICE_GROUP, "t-y");
	nla_put_u64(msg, ZSV_A_SLICE_MEM_BYTES, GiB);
	EXPECT_EQ(-EINVAL, XFER(msg));
	EXPECT_STREQ("count is required", self->r->extack);
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_GROUP_NEW, 0);
	nla_put_u32(msg, ZSV_A_SLICE_COUNT, 1);
	nla_put_u64(msg, ZSV_A_SLICE_MEM_BYTES, GiB);
	EXPECT_EQ(-EINVAL, XFER(msg));
	EXPECT_STREQ("a group name is required", self->r->extack);
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_GROUP_NEW, 0);
	nla_put_string(msg, ZSV_A_SLICE_GROUP, "t-y");
	nla_put_u32(msg, ZSV_A_SLICE_COUNT, 1);
	EXPECT_EQ(-EINVAL, XFER(msg));
	EXPECT_STREQ("mem-bytes is required", self->r->extack);
	msg = group_msg(&self->nl, "t-y", 1, GiB);
	nla_put_u32(msg, ZSV_A_SLICE_PLACEMENT, 2);
	EXPECT_EQ(-EINVAL, XFER(msg));
	EXPECT_STREQ("placement 2 is not 0 (spread) or 1 (binpack)",
		     self->r->extack);
	memset(longname, 'a', sizeof(longname));
	longname[sizeof(longname) - 1] = 0;
	msg = group_msg(&self->nl, "t-y", 1, GiB);
	nla_put_string(msg, ZSV_A_SLICE_BACKEND, longname);
	EXPECT_EQ(-EINVAL, XFER(msg));
	EXPECT_STREQ("name is longer than 63 bytes", self->r->extack);
	EXPECT_EQ(-EINVAL, XFER(group_msg(&self->nl, longname, 1, GiB)));
	EXPECT_STREQ("name is longer than 63 bytes", self->r->extack);
	/* group-del: a name, not too long, that some slice carries. */
	EXPECT_EQ(-EINVAL, XFER(zsv_nl_msg(&self->nl, ZSV_CMD_GROUP_DEL, 0)));
	EXPECT_STREQ("a group name is required", self->r->extack);
	EXPECT_EQ(-EINVAL, XFER(group_del_msg(&self->nl, longname, true)));
	EXPECT_STREQ("name is longer than 63 bytes", self->r->extack);
	EXPECT_EQ(-ENOENT, XFER(group_del_msg(&self->nl, "t-x", true)));

	/* A device is not something group-new takes. */
	msg = group_msg(&self->nl, "t-y", 1, GiB);
	nla_put_string(msg, ZSV_A_SLICE_DEV_NAME, "zsv0");
	EXPECT_EQ(-EINVAL, XFER(msg));
	EXPECT_EQ(0, members(_metadata, &self->nl, "t-y-", NULL, NULL));
}

TEST_HARNESS_MAIN
