// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tenants, against the real module (zsv_sim with two 16 GiB devices, zsv0
 * and zsv1): tenant-new/get/set/del, and the limits every admission
 * checks (slice-new with or without a device, slice-set growth, a move
 * between tenants). A refusal is EDQUOT with an extack naming the limit,
 * counts a quota hit and changes nothing else. Two admins racing for a
 * tenant's last slice never both get it. Every test cleans up after
 * itself (slices and tenants named "t-*").
 */
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/capability.h>

#include "kselftest_harness.h"
#include "nl_helpers.h"
#include "zsv_helpers.h"

#define NONE ZSV_LIMIT_NONE

FIXTURE(tenant)
{
	struct zsv_nl nl;
	struct zsv_nl_reply *r;
	uint64_t engines;	/* of zsv0 and zsv1 alike */
	int64_t extra_dev;	/* a pdev a test added, or -1 */
};

static void cleanup_tenants(struct zsv_nl *nl)
{
	cleanup_all(nl);
	delete_test_tenants(nl);
}

FIXTURE_SETUP(tenant)
{
	if (access("/sys/class/zsv/zsv1", F_OK))
		SKIP(return, "needs zsv_sim with two devices");
	ASSERT_EQ(0, zsv_nl_open(&self->nl));
	if (dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_TOTAL) != 16 * GiB ||
	    dev_stat(&self->nl, "zsv1", ZSV_A_DEV_MEM_TOTAL) != 16 * GiB)
		SKIP(return, "needs zsv0 and zsv1 of 16G");
	self->engines = dev_stat(&self->nl, "zsv0", ZSV_A_DEV_ENGINES);
	if (self->engines != dev_stat(&self->nl, "zsv1", ZSV_A_DEV_ENGINES))
		SKIP(return, "needs zsv0 and zsv1 with as many engines");
	self->extra_dev = -1;
	self->r = calloc(1, sizeof(*self->r));
	ASSERT_NE(NULL, self->r);
	cleanup_tenants(&self->nl);
}

FIXTURE_TEARDOWN(tenant)
{
	if (!self->r)
		return;
	zsv_nl_reply_free(self->r);
	cleanup_tenants(&self->nl);
	if (self->extra_dev >= 0) {
		struct nl_msg *msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_DEL, 0);

		nla_put_u32(msg, ZSV_A_DEV_ID, (uint32_t)self->extra_dev);
		EXPECT_EQ(0, xfer(&self->nl, msg, ZSV_A_DEV_MAX));
	}
	free(self->r);
	zsv_nl_close(&self->nl);
}

#define TXFER(msg) zsv_nl_xfer(&self->nl, (msg), self->r, ZSV_A_TENANT_MAX)
#define SXFER(msg) zsv_nl_xfer(&self->nl, (msg), self->r, ZSV_A_SLICE_MAX)
#define TSTAT(name, type) tenant_stat(&self->nl, (name), (type))

/* slice-new of NAME, MEM bytes and CAP percent, in TENANT, on DEV or placed. */
static struct nl_msg *snew(struct zsv_nl *nl, const char *name,
			   const char *dev, uint64_t mem, int cap,
			   const char *tenant)
{
	struct nl_msg *msg = zsv_slice_new_msg(nl, name, dev, mem);

	if (cap >= 0)
		nla_put_u32(msg, ZSV_A_SLICE_CAP_PCT, cap);
	if (tenant)
		nla_put_string(msg, ZSV_A_SLICE_TENANT, tenant);
	return msg;
}

/* slice-set of NAME: into TENANT when not NULL, MEM when not ~0, CAP when >= 0. */
static struct nl_msg *sset(struct zsv_nl *nl, const char *name,
			   const char *tenant, uint64_t mem, int cap)
{
	struct nl_msg *msg = zsv_nl_msg(nl, ZSV_CMD_SLICE_SET, 0);

	nla_put_string(msg, ZSV_A_SLICE_NAME, name);
	if (tenant)
		nla_put_string(msg, ZSV_A_SLICE_TENANT, tenant);
	if (mem != ~0ULL)
		nla_put_u64(msg, ZSV_A_SLICE_MEM_BYTES, mem);
	if (cap >= 0)
		nla_put_u32(msg, ZSV_A_SLICE_CAP_PCT, cap);
	return msg;
}

static bool slice_exists(struct zsv_nl *nl, const char *name)
{
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));
	bool found = !zsv_slice_get(nl, r, name) && r->count == 1;

	zsv_nl_reply_free(r);
	free(r);
	return found;
}

/* The tenant slice NAME is in: "" for none, "?" when the slice is gone. */
static void slice_tenant(struct zsv_nl *nl, const char *name, char *buf,
			 size_t len)
{
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));

	if (zsv_slice_get(nl, r, name) || r->count != 1)
		snprintf(buf, len, "?");
	else if (r->attrs[0][ZSV_A_SLICE_TENANT])
		snprintf(buf, len, "%s",
			 nla_get_string(r->attrs[0][ZSV_A_SLICE_TENANT]));
	else
		buf[0] = '\0';
	zsv_nl_reply_free(r);
	free(r);
}

static uint64_t slice_u64(struct zsv_nl *nl, const char *name, int type)
{
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));
	uint64_t v = ~0ULL;

	if (!zsv_slice_get(nl, r, name) && r->count == 1)
		v = attr_uint(r->attrs[0][type]);
	zsv_nl_reply_free(r);
	free(r);
	return v;
}

/* Expect tenant NAME's usage to be MEM bytes, SLICES slices, COMPUTE. */
#define EXPECT_USAGE(name, mem, slices, compute)                              \
	do {                                                                  \
		EXPECT_EQ((uint64_t)(mem), TSTAT(name, ZSV_A_TENANT_MEM));    \
		EXPECT_EQ((uint64_t)(slices),                                 \
			  TSTAT(name, ZSV_A_TENANT_SLICES));                  \
		EXPECT_EQ((uint64_t)(compute),                                \
			  TSTAT(name, ZSV_A_TENANT_COMPUTE));                 \
	} while (0)

#define EXPECT_EXTACK_HAS(text)                                               \
	EXPECT_NE(NULL, strstr(self->r->extack, (text)))                      \
		TH_LOG("extack: '%s'", self->r->extack)

/* --- the objects -------------------------------------------------------- */

TEST_F(tenant, new_get_dump_set_del)
{
	struct nl_msg *msg;
	uint32_t id;
	int found = 0;

	ASSERT_EQ(0, TXFER(tenant_msg(&self->nl, ZSV_CMD_TENANT_NEW, "t-a")))
		TH_LOG("%s", self->r->extack);
	/* The reply is the new tenant, with no limits and no usage. */
	ASSERT_EQ(1, self->r->count);
	EXPECT_STREQ("t-a",
		     nla_get_string(self->r->attrs[0][ZSV_A_TENANT_NAME]));
	ASSERT_NE(NULL, self->r->attrs[0][ZSV_A_TENANT_ID]);
	id = nla_get_u32(self->r->attrs[0][ZSV_A_TENANT_ID]);
	EXPECT_EQ(NONE, zsv_r_u64(self->r, ZSV_A_TENANT_MEM_MAX));
	EXPECT_EQ(NONE, zsv_r_u64(self->r, ZSV_A_TENANT_SLICES_MAX));
	EXPECT_EQ(NONE, zsv_r_u64(self->r, ZSV_A_TENANT_COMPUTE_MAX));
	EXPECT_EQ(0ULL, zsv_r_u64(self->r, ZSV_A_TENANT_MEM));
	EXPECT_EQ(0ULL, zsv_r_u64(self->r, ZSV_A_TENANT_SLICES));
	EXPECT_EQ(0ULL, zsv_r_u64(self->r, ZSV_A_TENANT_COMPUTE));
	EXPECT_EQ(0ULL, zsv_r_u64(self->r, ZSV_A_TENANT_MEM_USED));
	EXPECT_EQ(0ULL, zsv_r_u64(self->r, ZSV_A_TENANT_BUSY_NS));
	EXPECT_EQ(0ULL, zsv_r_u64(self->r, ZSV_A_TENANT_QUOTA_HITS));

	ASSERT_EQ(0, tenant_new(&self->nl, "t-b", 2 * GiB, 3, 150));
	EXPECT_EQ(2 * GiB, TSTAT("t-b", ZSV_A_TENANT_MEM_MAX));
	EXPECT_EQ(3ULL, TSTAT("t-b", ZSV_A_TENANT_SLICES_MAX));
	EXPECT_EQ(150ULL, TSTAT("t-b", ZSV_A_TENANT_COMPUTE_MAX));

	/* Get by id, by both, and not by an id and another's name. */
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_TENANT_GET, 0);
	nla_put_u32(msg, ZSV_A_TENANT_ID, id);
	ASSERT_EQ(0, TXFER(msg));
	EXPECT_STREQ("t-a",
		     nla_get_string(self->r->attrs[0][ZSV_A_TENANT_NAME]));
	msg = tenant_msg(&self->nl, ZSV_CMD_TENANT_GET, "t-a");
	nla_put_u32(msg, ZSV_A_TENANT_ID, id);
	EXPECT_EQ(0, TXFER(msg));
	msg = tenant_msg(&self->nl, ZSV_CMD_TENANT_GET, "t-b");
	nla_put_u32(msg, ZSV_A_TENANT_ID, id);
	EXPECT_EQ(-EINVAL, TXFER(msg));
	EXPECT_EQ(-EINVAL, TXFER(zsv_nl_msg(&self->nl, ZSV_CMD_TENANT_GET, 0)));

	/* The dump has both, and takes no selectors. */
	ASSERT_EQ(0, TXFER(zsv_nl_msg(&self->nl, ZSV_CMD_TENANT_GET,
				      NLM_F_DUMP)));
	for (int i = 0; i < self->r->count; i++) {
		const char *n =
			nla_get_string(self->r->attrs[i][ZSV_A_TENANT_NAME]);

		found += !strcmp(n, "t-a") + !strcmp(n, "t-b");
	}
	EXPECT_EQ(2, found);
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_TENANT_GET, NLM_F_DUMP);
	nla_put_string(msg, ZSV_A_TENANT_NAME, "t-a");
	EXPECT_EQ(-EINVAL, TXFER(msg));

	/* Set changes only what it names; nothing to set is refused. */
	ASSERT_EQ(0, tenant_set_u64(&self->nl, "t-b", ZSV_A_TENANT_MEM_MAX,
				    5 * GiB));
	EXPECT_EQ(5 * GiB, TSTAT("t-b", ZSV_A_TENANT_MEM_MAX));
	EXPECT_EQ(3ULL, TSTAT("t-b", ZSV_A_TENANT_SLICES_MAX));
	EXPECT_EQ(150ULL, TSTAT("t-b", ZSV_A_TENANT_COMPUTE_MAX));
	ASSERT_EQ(0, tenant_set_u64(&self->nl, "t-b", ZSV_A_TENANT_COMPUTE_MAX,
				    NONE));
	EXPECT_EQ(NONE, TSTAT("t-b", ZSV_A_TENANT_COMPUTE_MAX));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_TENANT_SET, 0);
	nla_put_u32(msg, ZSV_A_TENANT_ID, id);
	nla_put_u64(msg, ZSV_A_TENANT_SLICES_MAX, 7);
	EXPECT_EQ(0, TXFER(msg));
	EXPECT_EQ(7ULL, TSTAT("t-a", ZSV_A_TENANT_SLICES_MAX));
	EXPECT_EQ(-EINVAL, TXFER(tenant_msg(&self->nl, ZSV_CMD_TENANT_SET,
					    "t-a")));

	ASSERT_EQ(0, tenant_del(&self->nl, "t-a"));
	EXPECT_EQ(-ENOENT, TXFER(tenant_msg(&self->nl, ZSV_CMD_TENANT_GET,
					    "t-a")));
	/* The name is free again. */
	EXPECT_EQ(0, tenant_new(&self->nl, "t-a", NONE, NONE, NONE));
}

TEST_F(tenant, names_and_unknown_tenants)
{
	static const char *const bad[] = {
		"", "A", "-a", ".a", "_a", "a b", "a/b", "a\xe9",
		/* 64 characters */
		"t-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	const char *longest =
		"t-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	char in[80];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, TXFER(tenant_msg(&self->nl,
						    ZSV_CMD_TENANT_NEW,
						    bad[i])))
			TH_LOG("'%s' was taken", bad[i]);
	}
	ASSERT_EQ(63, (int)strlen(longest));
	EXPECT_EQ(0, tenant_new(&self->nl, longest, NONE, NONE, NONE));
	EXPECT_EQ(0, tenant_del(&self->nl, longest));
	/* A name is required. */
	EXPECT_EQ(-EINVAL, TXFER(tenant_msg(&self->nl, ZSV_CMD_TENANT_NEW,
					    NULL)));

	ASSERT_EQ(0, tenant_new(&self->nl, "t-a", 4 * GiB, NONE, NONE));
	EXPECT_EQ(-EEXIST, TXFER(tenant_msg(&self->nl, ZSV_CMD_TENANT_NEW,
					    "t-a")));
	EXPECT_EXTACK_HAS("t-a");
	/* The duplicate changed nothing of the first. */
	EXPECT_EQ(4 * GiB, TSTAT("t-a", ZSV_A_TENANT_MEM_MAX));

	EXPECT_EQ(-ENOENT, TXFER(tenant_msg(&self->nl, ZSV_CMD_TENANT_GET,
					    "t-nope")));
	EXPECT_EQ(-ENOENT, tenant_set_u64(&self->nl, "t-nope",
					  ZSV_A_TENANT_MEM_MAX, GiB));
	EXPECT_EQ(-ENOENT, tenant_del(&self->nl, "t-nope"));

	/* A slice naming an unknown tenant is not made, nor moved there. */
	EXPECT_EQ(-ENOENT, SXFER(snew(&self->nl, "t-s", "zsv0", GiB, -1,
				      "t-nope")));
	EXPECT_EXTACK_HAS("t-nope");
	EXPECT_FALSE(slice_exists(&self->nl, "t-s"));
	EXPECT_EQ(-ENOENT, SXFER(snew(&self->nl, "t-s", NULL, GiB, -1,
				      "t-nope")));
	EXPECT_FALSE(slice_exists(&self->nl, "t-s"));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_RESERVED));
	ASSERT_EQ(0, SXFER(snew(&self->nl, "t-s", "zsv0", GiB, -1, "t-a")));
	EXPECT_EQ(-ENOENT, SXFER(sset(&self->nl, "t-s", "t-nope", ~0ULL, -1)));
	slice_tenant(&self->nl, "t-s", in, sizeof(in));
	EXPECT_STREQ("t-a", in);
	EXPECT_USAGE("t-a", GiB, 1, 100 * self->engines);
	/* "" on slice-new is no tenant. */
	ASSERT_EQ(0, SXFER(snew(&self->nl, "t-t", "zsv0", GiB, -1, "")));
	slice_tenant(&self->nl, "t-t", in, sizeof(in));
	EXPECT_STREQ("", in);
}

/* --- each limit refuses slice-new, and nothing changes -------------------- */

TEST_F(tenant, slices_max_refuses_slice_new)
{
	ASSERT_EQ(0, tenant_new(&self->nl, "t-a", NONE, 1, NONE));
	ASSERT_EQ(0, SXFER(snew(&self->nl, "t-s1", "zsv0", GiB, -1, "t-a")));
	EXPECT_EQ(-EDQUOT, SXFER(snew(&self->nl, "t-s2", "zsv1", GiB, -1,
				      "t-a")));
	EXPECT_EXTACK_HAS("tenant slice limit 1: 1 in use ('t-a')");
	EXPECT_FALSE(slice_exists(&self->nl, "t-s2"));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv1", ZSV_A_DEV_MEM_RESERVED));
	EXPECT_USAGE("t-a", GiB, 1, 100 * self->engines);
	EXPECT_EQ(1ULL, TSTAT("t-a", ZSV_A_TENANT_QUOTA_HITS));
	/* Outside the tenant, the same slice is welcome. */
	EXPECT_EQ(0, SXFER(snew(&self->nl, "t-s2", "zsv1", GiB, -1, NULL)));
	EXPECT_USAGE("t-a", GiB, 1, 100 * self->engines);
}

TEST_F(tenant, mem_max_refuses_slice_new)
{
	struct nl_msg *msg;

	ASSERT_EQ(0, tenant_new(&self->nl, "t-a", 3 * GiB, NONE, NONE));
	ASSERT_EQ(0, SXFER(snew(&self->nl, "t-s1", "zsv0", 2 * GiB, 10,
				"t-a")));
	EXPECT_EQ(-EDQUOT, SXFER(snew(&self->nl, "t-s2", "zsv0", 2 * GiB, 10,
				      "t-a")));
	EXPECT_EXTACK_HAS("t-a");
	EXPECT_EXTACK_HAS("memory limit 3G");
	EXPECT_EXTACK_HAS("2G in use");
	EXPECT_EXTACK_HAS("2G more asked");
	EXPECT_FALSE(slice_exists(&self->nl, "t-s2"));
	EXPECT_EQ(2 * GiB, dev_stat(&self->nl, "zsv0",
				    ZSV_A_DEV_MEM_RESERVED));
	EXPECT_USAGE("t-a", 2 * GiB, 1, 10 * self->engines);
	EXPECT_EQ(1ULL, TSTAT("t-a", ZSV_A_TENANT_QUOTA_HITS));
	/* A shared quota counts like a reservation. */
	msg = snew(&self->nl, "t-s2", "zsv1", 2 * GiB, 10, "t-a");
	nla_put_u32(msg, ZSV_A_SLICE_MEM_MODE, ZSV_MEM_MODE_SHARED);
	EXPECT_EQ(-EDQUOT, SXFER(msg));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv1", ZSV_A_DEV_MEM_SHARED));
	EXPECT_EQ(2ULL, TSTAT("t-a", ZSV_A_TENANT_QUOTA_HITS));
	/* Exactly the limit fits. */
	EXPECT_EQ(0, SXFER(snew(&self->nl, "t-s2", "zsv1", GiB, 10, "t-a")))
		TH_LOG("%s", self->r->extack);
	EXPECT_USAGE("t-a", 3 * GiB, 2, 20 * self->engines);
	EXPECT_EQ(2ULL, TSTAT("t-a", ZSV_A_TENANT_QUOTA_HITS));
}

TEST_F(tenant, compute_max_refuses_slice_new)
{
	uint64_t e = self->engines;
	char want[64];

	ASSERT_EQ(0, tenant_new(&self->nl, "t-a", NONE, NONE, 50 * e));
	EXPECT_EQ(-EDQUOT, SXFER(snew(&self->nl, "t-s1", "zsv0", GiB, -1,
				      "t-a")));	/* the default cap is 100 */
	EXPECT_EXTACK_HAS("t-a");
	EXPECT_EXTACK_HAS("compute limit");
	EXPECT_FALSE(slice_exists(&self->nl, "t-s1"));
	EXPECT_EQ(1ULL, TSTAT("t-a", ZSV_A_TENANT_QUOTA_HITS));
	EXPECT_EQ(0, SXFER(snew(&self->nl, "t-s1", "zsv0", GiB, 30, "t-a")));
	EXPECT_EQ(-EDQUOT, SXFER(snew(&self->nl, "t-s2", "zsv1", GiB, 21,
				      "t-a")));
	/* In engines: the limit, the usage and the ask. */
	snprintf(want, sizeof(want), "compute limit %llu.%02llu engines",
		 (unsigned long long)(50 * e / 100),
		 (unsigned long long)(50 * e % 100));
	EXPECT_EXTACK_HAS(want);
	snprintf(want, sizeof(want), "%llu.%02llu in use",
		 (unsigned long long)(30 * e / 100),
		 (unsigned long long)(30 * e % 100));
	EXPECT_EXTACK_HAS(want);
	snprintf(want, sizeof(want), "%llu.%02llu more asked",
		 (unsigned long long)(21 * e / 100),
		 (unsigned long long)(21 * e % 100));
	EXPECT_EXTACK_HAS(want);
	EXPECT_FALSE(slice_exists(&self->nl, "t-s2"));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv1", ZSV_A_DEV_MEM_RESERVED));
	EXPECT_USAGE("t-a", GiB, 1, 30 * e);
	EXPECT_EQ(2ULL, TSTAT("t-a", ZSV_A_TENANT_QUOTA_HITS));
	EXPECT_EQ(0, SXFER(snew(&self->nl, "t-s2", "zsv1", GiB, 20, "t-a")));
	EXPECT_USAGE("t-a", 2 * GiB, 2, 50 * e);
}

/* --- slice-set ------------------------------------------------------------- */

TEST_F(tenant, slice_set_growth_is_admitted)
{
	uint64_t e = self->engines;

	ASSERT_EQ(0, tenant_new(&self->nl, "t-a", 3 * GiB, NONE, 50 * e));
	ASSERT_EQ(0, SXFER(snew(&self->nl, "t-s", "zsv0", 2 * GiB, 40, "t-a")));
	EXPECT_EQ(-EDQUOT, SXFER(sset(&self->nl, "t-s", NULL, 4 * GiB, -1)));
	EXPECT_EXTACK_HAS("memory limit");
	EXPECT_EQ(2 * GiB, slice_u64(&self->nl, "t-s", ZSV_A_SLICE_MEM_BYTES));
	EXPECT_EQ(2 * GiB, dev_stat(&self->nl, "zsv0",
				    ZSV_A_DEV_MEM_RESERVED));
	EXPECT_EQ(-EDQUOT, SXFER(sset(&self->nl, "t-s", NULL, ~0ULL, 60)));
	EXPECT_EXTACK_HAS("compute limit");
	EXPECT_EQ(40ULL, slice_u64(&self->nl, "t-s", ZSV_A_SLICE_CAP_PCT));
	/* All or nothing: the fitting half of a refused set stays undone. */
	EXPECT_EQ(-EDQUOT, SXFER(sset(&self->nl, "t-s", NULL, 3 * GiB, 60)));
	EXPECT_EQ(2 * GiB, slice_u64(&self->nl, "t-s", ZSV_A_SLICE_MEM_BYTES));
	EXPECT_USAGE("t-a", 2 * GiB, 1, 40 * e);
	EXPECT_EQ(3ULL, TSTAT("t-a", ZSV_A_TENANT_QUOTA_HITS));

	EXPECT_EQ(0, SXFER(sset(&self->nl, "t-s", NULL, 3 * GiB, 50)));
	EXPECT_USAGE("t-a", 3 * GiB, 1, 50 * e);
	/* Shrinking is always allowed and counts no hit. */
	EXPECT_EQ(0, SXFER(sset(&self->nl, "t-s", NULL, GiB, 10)));
	EXPECT_USAGE("t-a", GiB, 1, 10 * e);
	EXPECT_EQ(3ULL, TSTAT("t-a", ZSV_A_TENANT_QUOTA_HITS));
}

TEST_F(tenant, a_move_is_admitted_like_a_new_slice)
{
	uint64_t e = self->engines;
	char in[80];

	ASSERT_EQ(0, tenant_new(&self->nl, "t-a", NONE, NONE, NONE));
	ASSERT_EQ(0, tenant_new(&self->nl, "t-b", GiB, NONE, NONE));
	ASSERT_EQ(0, SXFER(snew(&self->nl, "t-s", "zsv0", 2 * GiB, 30, "t-a")));
	slice_tenant(&self->nl, "t-s", in, sizeof(in));
	EXPECT_STREQ("t-a", in);

	/* All of the slice counts against the tenant it moves to. */
	EXPECT_EQ(-EDQUOT, SXFER(sset(&self->nl, "t-s", "t-b", ~0ULL, -1)));
	EXPECT_EXTACK_HAS("t-b");
	EXPECT_EXTACK_HAS("memory limit");
	slice_tenant(&self->nl, "t-s", in, sizeof(in));
	EXPECT_STREQ("t-a", in);
	EXPECT_USAGE("t-a", 2 * GiB, 1, 30 * e);
	EXPECT_USAGE("t-b", 0, 0, 0);
	EXPECT_EQ(1ULL, TSTAT("t-b", ZSV_A_TENANT_QUOTA_HITS));
	EXPECT_EQ(0ULL, TSTAT("t-a", ZSV_A_TENANT_QUOTA_HITS));

	ASSERT_EQ(0, tenant_set_u64(&self->nl, "t-b", ZSV_A_TENANT_SLICES_MAX,
				    0));
	ASSERT_EQ(0, tenant_set_u64(&self->nl, "t-b", ZSV_A_TENANT_MEM_MAX,
				    2 * GiB));
	EXPECT_EQ(-EDQUOT, SXFER(sset(&self->nl, "t-s", "t-b", ~0ULL, -1)));
	EXPECT_EXTACK_HAS("slice");
	ASSERT_EQ(0, tenant_set_u64(&self->nl, "t-b", ZSV_A_TENANT_SLICES_MAX,
				    1));
	ASSERT_EQ(0, tenant_set_u64(&self->nl, "t-b", ZSV_A_TENANT_COMPUTE_MAX,
				    30 * e));
	/* A move with growth: the new size is what the new tenant admits. */
	EXPECT_EQ(-EDQUOT, SXFER(sset(&self->nl, "t-s", "t-b", 3 * GiB, -1)));
	EXPECT_EQ(-EDQUOT, SXFER(sset(&self->nl, "t-s", "t-b", ~0ULL, 31)));
	EXPECT_EXTACK_HAS("compute limit");
	EXPECT_USAGE("t-a", 2 * GiB, 1, 30 * e);
	EXPECT_EQ(4ULL, TSTAT("t-b", ZSV_A_TENANT_QUOTA_HITS));

	ASSERT_EQ(0, SXFER(sset(&self->nl, "t-s", "t-b", ~0ULL, -1)))
		TH_LOG("%s", self->r->extack);
	slice_tenant(&self->nl, "t-s", in, sizeof(in));
	EXPECT_STREQ("t-b", in);
	EXPECT_USAGE("t-a", 0, 0, 0);
	EXPECT_USAGE("t-b", 2 * GiB, 1, 30 * e);
	/* Moving to the tenant it is in is no growth. */
	EXPECT_EQ(0, SXFER(sset(&self->nl, "t-s", "t-b", ~0ULL, -1)));
	EXPECT_USAGE("t-b", 2 * GiB, 1, 30 * e);

	/* "" takes it out of its tenant. */
	ASSERT_EQ(0, SXFER(sset(&self->nl, "t-s", "", ~0ULL, -1)));
	slice_tenant(&self->nl, "t-s", in, sizeof(in));
	EXPECT_STREQ("", in);
	EXPECT_USAGE("t-b", 0, 0, 0);
	EXPECT_EQ(2 * GiB, dev_stat(&self->nl, "zsv0",
				    ZSV_A_DEV_MEM_RESERVED));
	/* Out of any tenant, it may grow past what t-b allowed. */
	EXPECT_EQ(0, SXFER(sset(&self->nl, "t-s", NULL, 4 * GiB, 100)));
	EXPECT_USAGE("t-b", 0, 0, 0);
	EXPECT_EQ(0, tenant_del(&self->nl, "t-b"));
}

TEST_F(tenant, lowering_a_limit_below_usage_destroys_nothing)
{
	uint64_t e = self->engines;

	ASSERT_EQ(0, tenant_new(&self->nl, "t-a", NONE, NONE, NONE));
	ASSERT_EQ(0, SXFER(snew(&self->nl, "t-s1", "zsv0", 2 * GiB, 50, "t-a")));
	ASSERT_EQ(0, SXFER(snew(&self->nl, "t-s2", "zsv1", 2 * GiB, 50, "t-a")));
	ASSERT_EQ(0, tenant_set_u64(&self->nl, "t-a", ZSV_A_TENANT_MEM_MAX,
				    GiB));
	ASSERT_EQ(0, tenant_set_u64(&self->nl, "t-a", ZSV_A_TENANT_SLICES_MAX,
				    1));
	ASSERT_EQ(0, tenant_set_u64(&self->nl, "t-a", ZSV_A_TENANT_COMPUTE_MAX,
				    40 * e));
	EXPECT_TRUE(slice_exists(&self->nl, "t-s1"));
	EXPECT_TRUE(slice_exists(&self->nl, "t-s2"));
	EXPECT_EQ(2 * GiB, slice_u64(&self->nl, "t-s1",
				     ZSV_A_SLICE_MEM_BYTES));
	EXPECT_EQ(50ULL, slice_u64(&self->nl, "t-s2", ZSV_A_SLICE_CAP_PCT));
	EXPECT_USAGE("t-a", 4 * GiB, 2, 100 * e);

	/* Over: any growth is refused, of any kind. */
	EXPECT_EQ(-EDQUOT, SXFER(snew(&self->nl, "t-s3", "zsv0", MiB, 1,
				      "t-a")));
	EXPECT_EQ(-EDQUOT, SXFER(sset(&self->nl, "t-s1", NULL,
				      2 * GiB + MiB, -1)));
	EXPECT_EQ(-EDQUOT, SXFER(sset(&self->nl, "t-s1", NULL, ~0ULL, 51)));
	EXPECT_EQ(3ULL, TSTAT("t-a", ZSV_A_TENANT_QUOTA_HITS));
	/* Shrinking is allowed while over. */
	EXPECT_EQ(0, SXFER(sset(&self->nl, "t-s1", NULL, GiB, 20)));
	EXPECT_EQ(0, slice_del(&self->nl, "t-s2", false));
	EXPECT_USAGE("t-a", GiB, 1, 20 * e);
	/* At the limits: still no growth. */
	EXPECT_EQ(-EDQUOT, SXFER(sset(&self->nl, "t-s1", NULL, GiB + MiB,
				      -1)));
	ASSERT_EQ(0, tenant_set_u64(&self->nl, "t-a", ZSV_A_TENANT_MEM_MAX,
				    2 * GiB));
	EXPECT_EQ(0, SXFER(sset(&self->nl, "t-s1", NULL, 2 * GiB, 40)));
	EXPECT_USAGE("t-a", 2 * GiB, 1, 40 * e);
}

TEST_F(tenant, placement_honours_tenant_limits)
{
	uint64_t e = self->engines;

	ASSERT_EQ(0, tenant_new(&self->nl, "t-a", 3 * GiB, 2, 60 * e));
	EXPECT_EQ(-EDQUOT, SXFER(snew(&self->nl, "t-s1", NULL, 4 * GiB, 10,
				      "t-a")));
	EXPECT_EXTACK_HAS("memory limit");
	EXPECT_EQ(-EDQUOT, SXFER(snew(&self->nl, "t-s1", NULL, GiB, 70,
				      "t-a")));
	EXPECT_EXTACK_HAS("compute limit");
	EXPECT_FALSE(slice_exists(&self->nl, "t-s1"));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_RESERVED));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv1", ZSV_A_DEV_MEM_RESERVED));
	EXPECT_EQ(2ULL, TSTAT("t-a", ZSV_A_TENANT_QUOTA_HITS));

	ASSERT_EQ(0, SXFER(snew(&self->nl, "t-s1", NULL, 2 * GiB, 30, "t-a")));
	ASSERT_EQ(0, SXFER(snew(&self->nl, "t-s2", NULL, GiB, 30, "t-a")));
	EXPECT_USAGE("t-a", 3 * GiB, 2, 60 * e);
	EXPECT_EQ(-EDQUOT, SXFER(snew(&self->nl, "t-s3", NULL, MiB, 1,
				      "t-a")));
	EXPECT_EXTACK_HAS("slice");
	EXPECT_FALSE(slice_exists(&self->nl, "t-s3"));
	EXPECT_EQ(3ULL, TSTAT("t-a", ZSV_A_TENANT_QUOTA_HITS));
	EXPECT_EQ(3 * GiB, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_RESERVED) +
				   dev_stat(&self->nl, "zsv1",
					    ZSV_A_DEV_MEM_RESERVED));
}

/*
 * A tenant's compute is cap x the engines of the pdev: placement puts a
 * slice that the limit keeps off the 4-engine pdevs on one with a single
 * engine, and refuses it (EDQUOT, naming compute) when none is left.
 */
TEST_F(tenant, placement_finds_the_pdev_the_compute_limit_allows)
{
	struct nl_msg *msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_NEW, 0);
	char one[ZSV_NAME_MAX + 1];

	if (self->engines < 2)
		SKIP(return, "needs zsv0 and zsv1 with more than one engine");
	nla_put_u64(msg, ZSV_A_DEV_MEM_TOTAL, 4 * GiB);
	nla_put_u32(msg, ZSV_A_DEV_ENGINES, 1);
	ASSERT_EQ(0, zsv_nl_xfer(&self->nl, msg, self->r, ZSV_A_DEV_MAX))
		TH_LOG("%s", self->r->extack);
	self->extra_dev = zsv_r_u32(self->r, ZSV_A_DEV_ID);
	snprintf(one, sizeof(one), "%s",
		 nla_get_string(self->r->attrs[0][ZSV_A_DEV_NAME]));

	ASSERT_EQ(0, tenant_new(&self->nl, "t-a", NONE, NONE, 100));
	/* zsv0 and zsv1 have far more memory left: only compute decides. */
	ASSERT_EQ(0, SXFER(snew(&self->nl, "t-s1", NULL, GiB, 50, "t-a")))
		TH_LOG("%s", self->r->extack);
	EXPECT_STREQ(one, nla_get_string(self->r->attrs[0][ZSV_A_SLICE_DEV_NAME]));
	EXPECT_USAGE("t-a", GiB, 1, 50);
	/* Another 50 fits there too, exactly; then nothing fits anywhere. */
	ASSERT_EQ(0, SXFER(snew(&self->nl, "t-s2", NULL, GiB, 50, "t-a")));
	EXPECT_STREQ(one, nla_get_string(self->r->attrs[0][ZSV_A_SLICE_DEV_NAME]));
	EXPECT_EQ(-EDQUOT, SXFER(snew(&self->nl, "t-s3", NULL, GiB, 1, "t-a")));
	EXPECT_EXTACK_HAS("compute limit");
	EXPECT_FALSE(slice_exists(&self->nl, "t-s3"));
	EXPECT_USAGE("t-a", 2 * GiB, 2, 100);
	EXPECT_EQ(1ULL, TSTAT("t-a", ZSV_A_TENANT_QUOTA_HITS));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_RESERVED));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv1", ZSV_A_DEV_MEM_RESERVED));
	EXPECT_EQ(0, slice_del(&self->nl, "t-s1", false));
	EXPECT_EQ(0, slice_del(&self->nl, "t-s2", false));
}

TEST_F(tenant, del_is_refused_while_it_has_slices)
{
	ASSERT_EQ(0, tenant_new(&self->nl, "t-a", NONE, NONE, NONE));
	ASSERT_EQ(0, SXFER(snew(&self->nl, "t-s", "zsv0", GiB, -1, "t-a")));
	EXPECT_EQ(-EBUSY, TXFER(tenant_msg(&self->nl, ZSV_CMD_TENANT_DEL,
					   "t-a")));
	EXPECT_EXTACK_HAS("1 slice");
	EXPECT_USAGE("t-a", GiB, 1, 100 * self->engines);
	EXPECT_EQ(0, slice_del(&self->nl, "t-s", false));
	EXPECT_EQ(0, tenant_del(&self->nl, "t-a"));
	EXPECT_EQ(~0ULL, TSTAT("t-a", ZSV_A_TENANT_ID));
}

TEST_F(tenant, usage_is_exact)
{
	uint64_t e = self->engines;
	struct nl_msg *msg;

	ASSERT_EQ(0, tenant_new(&self->nl, "t-a", NONE, NONE, NONE));
	ASSERT_EQ(0, SXFER(snew(&self->nl, "t-s1", "zsv0", 2 * GiB, 30, "t-a")));
	msg = snew(&self->nl, "t-s2", "zsv1", GiB, -1, "t-a");
	nla_put_u32(msg, ZSV_A_SLICE_MEM_MODE, ZSV_MEM_MODE_SHARED);
	ASSERT_EQ(0, SXFER(msg)) TH_LOG("%s", self->r->extack);
	ASSERT_EQ(0, SXFER(snew(&self->nl, "t-s3", NULL, 3 * MiB, 7, "t-a")));
	EXPECT_USAGE("t-a", 3 * GiB + 3 * MiB, 3, (30 + 100 + 7) * e);
	EXPECT_EQ(0ULL, TSTAT("t-a", ZSV_A_TENANT_MEM_USED));

	ASSERT_EQ(0, SXFER(sset(&self->nl, "t-s1", NULL, GiB, 45)));
	EXPECT_USAGE("t-a", 2 * GiB + 3 * MiB, 3, (45 + 100 + 7) * e);
	ASSERT_EQ(0, SXFER(sset(&self->nl, "t-s2", NULL, 5 * GiB, 1)));
	EXPECT_USAGE("t-a", 6 * GiB + 3 * MiB, 3, (45 + 1 + 7) * e);
	ASSERT_EQ(0, slice_del(&self->nl, "t-s2", false));
	EXPECT_USAGE("t-a", GiB + 3 * MiB, 2, (45 + 7) * e);
	ASSERT_EQ(0, slice_del(&self->nl, "t-s3", true));
	EXPECT_USAGE("t-a", GiB, 1, 45 * e);
	ASSERT_EQ(0, slice_del(&self->nl, "t-s1", false));
	EXPECT_USAGE("t-a", 0, 0, 0);
}

/* What its slices' buffers use and their engine time are the tenant's. */
TEST_F(tenant, bytes_in_use_and_busy_time_follow_the_slices)
{
	uint64_t before, busy, after;
	uint32_t h;
	int fd;

	ASSERT_EQ(0, tenant_new(&self->nl, "t-a", NONE, NONE, NONE));
	ASSERT_EQ(0, SXFER(snew(&self->nl, "t-s", "zsv0", 64 * MiB, -1, "t-a")));
	fd = slice_open("t-s");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bo_create(fd, MiB, &h));
	ASSERT_EQ(0, run1_within(fd, cmd_fill(h, 0, MiB, 7), 10 * SEC));
	ASSERT_EQ(0, run1_within(fd, cmd_compute(2 * MS), 10 * SEC));

	EXPECT_EQ(MiB, slice_u64(&self->nl, "t-s", ZSV_A_SLICE_MEM_USED));
	EXPECT_EQ(MiB, TSTAT("t-a", ZSV_A_TENANT_MEM_USED));
	/* The only slice's engine time, read before and after it. */
	before = slice_u64(&self->nl, "t-s", ZSV_A_SLICE_BUSY_NS);
	busy = TSTAT("t-a", ZSV_A_TENANT_BUSY_NS);
	after = slice_u64(&self->nl, "t-s", ZSV_A_SLICE_BUSY_NS);
	EXPECT_LT(0ULL, before);
	EXPECT_LE(before, busy);
	EXPECT_LE(busy, after);

	/* Out of the tenant, they are not its any more. */
	ASSERT_EQ(0, SXFER(sset(&self->nl, "t-s", "", ~0ULL, -1)));
	EXPECT_EQ(0ULL, TSTAT("t-a", ZSV_A_TENANT_MEM_USED));
	EXPECT_EQ(0ULL, TSTAT("t-a", ZSV_A_TENANT_BUSY_NS));
	close(fd);
}

/* --- the most tenants ------------------------------------------------------ */

struct dump_count {
	int n, dups;
	uint8_t seen[ZSV_TENANTS_MAX * 16 / 8];
};

static int count_tenant(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[ZSV_A_TENANT_MAX + 1] = {};
	struct dump_count *c = arg;
	uint32_t id;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, ZSV_A_TENANT_MAX, NULL) ||
	    !tb[ZSV_A_TENANT_ID])
		return NL_SKIP;
	id = nla_get_u32(tb[ZSV_A_TENANT_ID]);
	if (id >= sizeof(c->seen) * 8 || c->seen[id / 8] & (1u << (id % 8)))
		c->dups++;
	else
		c->seen[id / 8] |= (uint8_t)(1u << (id % 8));
	c->n++;
	return NL_OK;
}

/* Every tenant, by a dump of many messages: how many, and any twice. */
static int dump_tenants(struct zsv_nl *nl, struct dump_count *c)
{
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));
	struct nl_cb *cb = zsv_nl_reply_cb(r, ZSV_A_TENANT_MAX);
	struct nl_msg *msg = zsv_nl_msg(nl, ZSV_CMD_TENANT_GET, NLM_F_DUMP);
	int err;

	memset(c, 0, sizeof(*c));
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, count_tenant, c);
	err = nl_send_auto(nl->sock, msg);
	nlmsg_free(msg);
	while (err >= 0 && !r->done) {
		if (nl_recvmsgs(nl->sock, cb) < 0 && !r->done) {
			r->error = -EIO;
			r->done = true;
		}
	}
	nl_cb_put(cb);
	err = err < 0 ? -EIO : r->error;
	free(r);
	return err;
}

/*
 * ZSV_TENANTS_MAX tenants exist at most (ENOSPC past it, and nothing
 * made); a dump of them all spans many messages and lists each once.
 */
TEST_F_TIMEOUT(tenant, the_most_tenants_and_a_dump_of_them_all, 600)
{
	struct dump_count *c = calloc(1, sizeof(*c));
	char name[32];
	int have;

	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, dump_tenants(&self->nl, c));
	have = c->n;
	for (int i = 0; have < ZSV_TENANTS_MAX; i++, have++) {
		snprintf(name, sizeof(name), "t-n%d", i);
		ASSERT_EQ(0, tenant_new(&self->nl, name, NONE, NONE, NONE))
			TH_LOG("tenant %d of %d", have + 1, ZSV_TENANTS_MAX);
	}
	EXPECT_EQ(-ENOSPC, TXFER(tenant_msg(&self->nl, ZSV_CMD_TENANT_NEW,
					    "t-over")));
	EXPECT_EXTACK_HAS("most tenants");
	EXPECT_EQ(~0ULL, TSTAT("t-over", ZSV_A_TENANT_ID));
	ASSERT_EQ(0, dump_tenants(&self->nl, c));
	EXPECT_EQ(ZSV_TENANTS_MAX, c->n);
	EXPECT_EQ(0, c->dups);
	/* A deleted tenant's place is free again. */
	ASSERT_EQ(0, tenant_del(&self->nl, "t-n0"));
	EXPECT_EQ(0, tenant_new(&self->nl, "t-over", NONE, NONE, NONE));
	free(c);
}

/* --- monitor ---------------------------------------------------------------- */

struct tenant_events {
	int cmds[8];
	uint64_t mem_max[8];
	int n;
};

static int tenant_event(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct nlattr *tb[ZSV_A_TENANT_MAX + 1] = {};
	struct tenant_events *ev = arg;

	if (gh->cmd < ZSV_CMD_TENANT_NEW || gh->cmd > ZSV_CMD_TENANT_DEL ||
	    genlmsg_parse(nlh, 0, tb, ZSV_A_TENANT_MAX, NULL) ||
	    !tb[ZSV_A_TENANT_NAME] ||
	    strcmp(nla_get_string(tb[ZSV_A_TENANT_NAME]), "t-m") ||
	    ev->n >= 8)
		return NL_OK;
	ev->cmds[ev->n] = gh->cmd;
	ev->mem_max[ev->n] = attr_uint(tb[ZSV_A_TENANT_MEM_MAX]);
	ev->n++;
	return NL_OK;
}

TEST_F(tenant, monitor_sees_new_set_del)
{
	struct nl_sock *sock = nl_socket_alloc();
	struct tenant_events ev = {};
	int64_t end;
	int grp;

	ASSERT_NE(NULL, sock);
	ASSERT_EQ(0, genl_connect(sock));
	grp = genl_ctrl_resolve_grp(sock, ZSV_GENL_NAME, ZSV_MCGRP_MONITOR);
	ASSERT_LE(0, grp);
	ASSERT_EQ(0, nl_socket_add_membership(sock, grp));
	nl_socket_disable_seq_check(sock);
	nl_socket_modify_cb(sock, NL_CB_VALID, NL_CB_CUSTOM, tenant_event, &ev);

	ASSERT_EQ(0, tenant_new(&self->nl, "t-m", GiB, NONE, NONE));
	ASSERT_EQ(0, tenant_set_u64(&self->nl, "t-m", ZSV_A_TENANT_MEM_MAX,
				    2 * GiB));
	ASSERT_EQ(0, tenant_del(&self->nl, "t-m"));

	end = now_ns() + 20 * SEC;
	while (ev.n < 3 && now_ns() < end) {
		struct pollfd pfd = { nl_socket_get_fd(sock), POLLIN, 0 };

		if (poll(&pfd, 1, 1000) == 1)
			nl_recvmsgs_default(sock);
	}
	nl_socket_free(sock);
	ASSERT_EQ(3, ev.n);
	EXPECT_EQ(ZSV_CMD_TENANT_NEW, ev.cmds[0]);
	EXPECT_EQ(GiB, ev.mem_max[0]);
	EXPECT_EQ(ZSV_CMD_TENANT_SET, ev.cmds[1]);
	EXPECT_EQ(2 * GiB, ev.mem_max[1]);
	/* A deletion carries the last state. */
	EXPECT_EQ(ZSV_CMD_TENANT_DEL, ev.cmds[2]);
	EXPECT_EQ(2 * GiB, ev.mem_max[2]);
}

/* --- privilege ---------------------------------------------------------- */

static int set_net_admin(cap_flag_value_t v)
{
	cap_value_t cap = CAP_NET_ADMIN;
	cap_t caps = cap_get_proc();
	int err;

	cap_set_flag(caps, CAP_EFFECTIVE, 1, &cap, v);
	err = cap_set_proc(caps);
	cap_free(caps);
	return err;
}

TEST_F(tenant, mutations_need_net_admin)
{
	char in[80];

	ASSERT_EQ(0, tenant_new(&self->nl, "t-a", GiB, NONE, NONE));
	ASSERT_EQ(0, tenant_new(&self->nl, "t-b", NONE, NONE, NONE));
	ASSERT_EQ(0, SXFER(snew(&self->nl, "t-s", "zsv0", GiB, -1, "t-a")));

	ASSERT_EQ(0, set_net_admin(CAP_CLEAR));
	EXPECT_EQ(-EPERM, tenant_new(&self->nl, "t-c", NONE, NONE, NONE));
	EXPECT_EQ(-EPERM, tenant_set_u64(&self->nl, "t-a",
					 ZSV_A_TENANT_MEM_MAX, 8 * GiB));
	EXPECT_EQ(-EPERM, tenant_del(&self->nl, "t-b"));
	EXPECT_EQ(-EPERM, SXFER(sset(&self->nl, "t-s", "t-b", ~0ULL, -1)));
	EXPECT_EQ(-EPERM, SXFER(snew(&self->nl, "t-s2", "zsv0", GiB, -1,
				     "t-b")));
	/* Reading needs nothing. */
	EXPECT_EQ(GiB, TSTAT("t-a", ZSV_A_TENANT_MEM_MAX));
	EXPECT_EQ(0, TXFER(zsv_nl_msg(&self->nl, ZSV_CMD_TENANT_GET,
				      NLM_F_DUMP)));
	ASSERT_EQ(0, set_net_admin(CAP_SET));

	EXPECT_EQ(~0ULL, TSTAT("t-c", ZSV_A_TENANT_ID));
	EXPECT_NE(~0ULL, TSTAT("t-b", ZSV_A_TENANT_ID));
	EXPECT_EQ(GiB, TSTAT("t-a", ZSV_A_TENANT_MEM_MAX));
	slice_tenant(&self->nl, "t-s", in, sizeof(in));
	EXPECT_STREQ("t-a", in);
	EXPECT_FALSE(slice_exists(&self->nl, "t-s2"));
	EXPECT_USAGE("t-b", 0, 0, 0);
}

/* --- races ------------------------------------------------------------------ */

struct racer {
	pthread_barrier_t *go;
	const char *name;
	const char *dev;	/* NULL: placed */
	int err;
};

static void *race_admit(void *arg)
{
	struct racer *rc = arg;
	struct zsv_nl nl;

	if (zsv_nl_open(&nl)) {
		rc->err = -ENOTCONN;
		return NULL;
	}
	pthread_barrier_wait(rc->go);
	rc->err = xfer(&nl, snew(&nl, rc->name, rc->dev, 64 * MiB, 10, "t-r"),
		       ZSV_A_SLICE_MAX);
	zsv_nl_close(&nl);
	return NULL;
}

/*
 * Two admins race for a tenant's last slice, on the same pdev, on both, or
 * placed: exactly one wins, the other is EDQUOT, and the usage is the
 * winner's alone.
 */
TEST_F(tenant, racing_admissions_never_overcommit)
{
	static const char *const devs[][2] = {
		{ "zsv0", "zsv0" }, { "zsv0", "zsv1" }, { NULL, NULL },
	};

	ASSERT_EQ(0, tenant_new(&self->nl, "t-r", NONE, 2, NONE));
	ASSERT_EQ(0, SXFER(snew(&self->nl, "t-base", "zsv1", MiB, 1, "t-r")));
	for (int round = 0; round < 50; round++) {
		pthread_barrier_t go;
		struct racer rc[2] = {
			{ &go, "t-r0", devs[round % 3][0], 0 },
			{ &go, "t-r1", devs[round % 3][1], 0 },
		};
		pthread_t th[2];
		int won;

		pthread_barrier_init(&go, NULL, 2);
		for (int i = 0; i < 2; i++)
			ASSERT_EQ(0, pthread_create(&th[i], NULL, race_admit,
						    &rc[i]));
		for (int i = 0; i < 2; i++)
			pthread_join(th[i], NULL);
		pthread_barrier_destroy(&go);

		won = (rc[0].err == 0) + (rc[1].err == 0);
		ASSERT_EQ(1, won)
			TH_LOG("round %d: %d and %d", round, rc[0].err,
			       rc[1].err);
		ASSERT_EQ(-EDQUOT, rc[0].err ? rc[0].err : rc[1].err);
		ASSERT_EQ(2ULL, TSTAT("t-r", ZSV_A_TENANT_SLICES));
		ASSERT_EQ(MiB + 64 * MiB, TSTAT("t-r", ZSV_A_TENANT_MEM));
		ASSERT_EQ(11 * self->engines,
			  TSTAT("t-r", ZSV_A_TENANT_COMPUTE));
		ASSERT_EQ((uint64_t)round + 1,
			  TSTAT("t-r", ZSV_A_TENANT_QUOTA_HITS));
		ASSERT_EQ(0, slice_del(&self->nl, rc[0].err ? "t-r1" : "t-r0",
				       false));
		ASSERT_FALSE(slice_exists(&self->nl, "t-r0"));
		ASSERT_FALSE(slice_exists(&self->nl, "t-r1"));
	}
	EXPECT_USAGE("t-r", MiB, 1, self->engines);
}

TEST_HARNESS_MAIN
