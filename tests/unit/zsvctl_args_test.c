// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsvctl's parsers of the commands that change things, its CDI spec
 * builder and writer, and its JSON and event-line formats, as functions
 * (linked from userspace/zsvctl/libzsvctl.a): no kernel, no process.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json_object.h>
#include <json-c/json_tokener.h>

#include "kselftest_harness.h"

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "args.h"
#include "cdi.h"
#include "group.h"
#include "libzsv.h"
#include "nl.h"
#include "zsvctl.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)

#define ARGV(...) ((char *[]){ __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)))

static char err[ARGS_ERR_MAX];

/* parse(args_x, &out, "word", ...): run a parser on those words. */
#define parse(fn, out, ...)                                             \
	(err[0] = '\0', fn(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), out, err, \
			   sizeof(err)))

#define BIT(a) ZSV_ATTR_BIT(a)

/* ------------------------------------------------------------------ */
/* slice create */

TEST(slice_create_takes_a_tenant)
{
	struct slice_create_args a;

	ASSERT_EQ(0, parse(args_slice_create, &a, "zsv0", "name", "a", "mem",
			   "1G", "tenant", "acme"))
		TH_LOG("%s", err);
	EXPECT_EQ(BIT(ZSV_A_SLICE_MEM_BYTES) | BIT(ZSV_A_SLICE_TENANT),
		  a.params.mask);
	EXPECT_STREQ("acme", a.params.tenant);
	/* "none" is no tenant: nothing is sent. */
	ASSERT_EQ(0, parse(args_slice_create, &a, "name", "a", "mem", "1G",
			   "tenant", "none"))
		TH_LOG("%s", err);
	EXPECT_EQ(BIT(ZSV_A_SLICE_MEM_BYTES), a.params.mask);
	EXPECT_EQ(-EINVAL, parse(args_slice_create, &a, "zsv0", "name", "a",
				 "mem", "1G", "tenant", "Acme"));
	EXPECT_TRUE(strstr(err, "'Acme' is not a tenant name") == err) TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, parse(args_slice_create, &a, "zsv0", "name", "a",
				 "mem", "1G", "tenant"));
	EXPECT_STREQ("'tenant' needs a value: a tenant name, or none", err);
}

TEST(slice_set_moves_between_tenants_and_out)
{
	struct slice_set_args a;

	ASSERT_EQ(0, parse(args_slice_set, &a, "a", "tenant", "acme"))
		TH_LOG("%s", err);
	EXPECT_EQ(BIT(ZSV_A_SLICE_TENANT), a.params.mask);
	EXPECT_STREQ("acme", a.params.tenant);
	/* "none" takes the slice out: "" to the kernel. */
	ASSERT_EQ(0, parse(args_slice_set, &a, "a", "tenant", "none"))
		TH_LOG("%s", err);
	EXPECT_EQ(BIT(ZSV_A_SLICE_TENANT), a.params.mask);
	EXPECT_STREQ("", a.params.tenant);
	EXPECT_EQ(-EINVAL, parse(args_slice_set, &a, "a", "tenant", "x",
				 "tenant", "y"));
	EXPECT_STREQ("'tenant' is given twice", err);
}

/* ------------------------------------------------------------------ */
/* tenant add, set */

TEST(tenant_add_parses_every_limit)
{
	struct tenant_args a;

	ASSERT_EQ(0, parse(args_tenant_add, &a, "acme", "compute", "400%",
			   "slices", "8", "mem", "64G"))
		TH_LOG("%s", err);
	EXPECT_STREQ("acme", a.name);
	EXPECT_EQ(BIT(ZSV_A_TENANT_MEM_MAX) | BIT(ZSV_A_TENANT_SLICES_MAX) |
			  BIT(ZSV_A_TENANT_COMPUTE_MAX),
		  a.params.mask);
	EXPECT_EQ(64 * GiB, a.params.mem_max_bytes);
	EXPECT_EQ(8, a.params.slices_max);
	EXPECT_EQ(400, a.params.compute_max);
	/* The percent sign is optional; 0 is a limit (nothing allowed). */
	ASSERT_EQ(0, parse(args_tenant_add, &a, "acme", "compute", "150",
			   "slices", "0"))
		TH_LOG("%s", err);
	EXPECT_EQ(150, a.params.compute_max);
	EXPECT_EQ(0, a.params.slices_max);
	/* No limit given: nothing sent, the kernel's default is none. */
	ASSERT_EQ(0, parse(args_tenant_add, &a, "acme")) TH_LOG("%s", err);
	EXPECT_EQ(0, a.params.mask);
}

TEST(tenant_weight_is_1_to_10000)
{
	struct tenant_args a;

	ASSERT_EQ(0, parse(args_tenant_add, &a, "acme", "weight", "300",
			   "mem", "1G"))
		TH_LOG("%s", err);
	EXPECT_EQ(BIT(ZSV_A_TENANT_WEIGHT) | BIT(ZSV_A_TENANT_MEM_MAX),
		  a.params.mask);
	EXPECT_EQ(300, a.params.weight);
	/* set takes the weight alone, and both ends of the range. */
	ASSERT_EQ(0, parse(args_tenant_set, &a, "acme", "weight", "1"))
		TH_LOG("%s", err);
	EXPECT_EQ(BIT(ZSV_A_TENANT_WEIGHT), a.params.mask);
	EXPECT_EQ(1, a.params.weight);
	ASSERT_EQ(0, parse(args_tenant_set, &a, "acme", "weight", "10000"))
		TH_LOG("%s", err);
	EXPECT_EQ(10000, a.params.weight);

	EXPECT_EQ(-EINVAL, parse(args_tenant_set, &a, "acme", "weight", "0"));
	EXPECT_STREQ("weight '0': out of range (1 to 10000)", err);
	EXPECT_EQ(-EINVAL,
		  parse(args_tenant_add, &a, "acme", "weight", "10001"));
	EXPECT_STREQ("weight '10001': out of range (1 to 10000)", err);
	EXPECT_EQ(-EINVAL, parse(args_tenant_set, &a, "acme", "weight", "abc"));
	EXPECT_STREQ("weight 'abc': not a number", err);
	EXPECT_EQ(-EINVAL, parse(args_tenant_set, &a, "acme", "weight",
				 "99999999999"));
	EXPECT_STREQ("weight '99999999999': out of range (1 to 10000)", err);
	/* "none" is for limits; a weight always has a value. */
	EXPECT_EQ(-EINVAL, parse(args_tenant_set, &a, "acme", "weight", "none"));
	EXPECT_STREQ("weight 'none': not a number", err);
	EXPECT_EQ(-EINVAL, parse(args_tenant_set, &a, "acme", "weight"));
	EXPECT_STREQ("'weight' needs a value: 1 to 10000", err);
	EXPECT_EQ(-EINVAL, parse(args_tenant_set, &a, "acme", "weight", "2",
				 "weight", "3"));
	EXPECT_STREQ("'weight' is given twice", err);
}

TEST(tenant_limit_none_is_no_limit)
{
	struct tenant_args a;

	ASSERT_EQ(0, parse(args_tenant_set, &a, "acme", "mem", "none",
			   "slices", "none", "compute", "none"))
		TH_LOG("%s", err);
	EXPECT_EQ(BIT(ZSV_A_TENANT_MEM_MAX) | BIT(ZSV_A_TENANT_SLICES_MAX) |
			  BIT(ZSV_A_TENANT_COMPUTE_MAX),
		  a.params.mask);
	EXPECT_EQ(ZSV_LIMIT_NONE, a.params.mem_max_bytes);
	EXPECT_EQ(ZSV_LIMIT_NONE, a.params.slices_max);
	EXPECT_EQ(ZSV_LIMIT_NONE, a.params.compute_max);
}

TEST(tenant_set_needs_a_name_and_a_change)
{
	struct tenant_args a;

	EXPECT_EQ(-EINVAL, parse(args_tenant_set, &a, "acme"));
	EXPECT_STREQ("tenant set needs something to change: mem, slices, compute or weight",
		     err);
	EXPECT_EQ(-EINVAL, args_tenant_set(0, ARGV(NULL), &a, err, sizeof(err)));
	EXPECT_STREQ("tenant set needs a NAME", err);
	EXPECT_EQ(-EINVAL, args_tenant_add(0, ARGV(NULL), &a, err, sizeof(err)));
	EXPECT_STREQ("tenant add needs a NAME", err);
}

TEST(tenant_name_none_is_refused)
{
	struct tenant_args a;

	EXPECT_EQ(-EINVAL, parse(args_tenant_add, &a, "none"));
	EXPECT_STREQ("'none' cannot name a tenant: it means no tenant (slice set NAME tenant none)",
		     err);
	EXPECT_EQ(-EINVAL, parse(args_tenant_set, &a, "none", "mem", "1G"));
	EXPECT_EQ(-EINVAL, args_tenant_name("none", err, sizeof(err)));
	EXPECT_EQ(0, args_tenant_name("none2", err, sizeof(err)));
	EXPECT_EQ(-EINVAL, parse(args_tenant_add, &a, "Acme"));
	EXPECT_TRUE(strstr(err, "'Acme' is not a tenant name") == err) TH_LOG("%s", err);
}

TEST(tenant_rejects_bad_limits)
{
	static const struct {
		const char *word, *value, *msg;
	} cases[] = {
		{ "mem", "0", "mem '0': must be more than 0 bytes" },
		{ "mem", "16GB", "mem '16GB': not a size (such as 4G, 512M or 1.5G)" },
		{ "mem", "16E", "mem '16E': too big" },
		{ "slices", "-1", "slices '-1': not a number, or none" },
		{ "slices", "18446744073709551615", "slices '18446744073709551615': too big" },
		{ "slices", "99999999999999999999", "slices '99999999999999999999': too big" },
		{ "compute", "4x00", "compute '4x00': not a percentage of an engine (such as 400% for four engines), or none" },
		{ "compute", "%", "compute '%': not a percentage of an engine (such as 400% for four engines), or none" },
		{ "compute", "", "compute '': not a percentage of an engine (such as 400% for four engines), or none" },
		{ "compute", "18446744073709551615%", "compute '18446744073709551615%': too big" },
		{ "compute", "None", "compute 'None': not a percentage of an engine (such as 400% for four engines), or none" },
	};
	struct tenant_args a;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_EQ(-EINVAL, parse(args_tenant_add, &a, "acme",
					 (char *)cases[i].word,
					 (char *)cases[i].value));
		EXPECT_STREQ(cases[i].msg, err);
	}
	EXPECT_EQ(-EINVAL, parse(args_tenant_add, &a, "acme", "mem", "1G",
				 "mem", "2G"));
	EXPECT_STREQ("'mem' is given twice", err);
	EXPECT_EQ(-EINVAL, parse(args_tenant_add, &a, "acme", "cap", "50"));
	EXPECT_STREQ("unexpected argument 'cap'", err);
	EXPECT_EQ(-EINVAL, parse(args_tenant_add, &a, "acme", "slices"));
	EXPECT_STREQ("'slices' needs a value: a number of slices, or none", err);
}

TEST(slice_create_parses_the_issue_example)
{
	struct slice_create_args a;

	ASSERT_EQ(0, parse(args_slice_create, &a, "zsv0", "name", "a", "mem",
			   "4G", "weight", "300", "cap", "50")) TH_LOG("%s", err);
	EXPECT_STREQ("zsv0", a.dev);
	EXPECT_STREQ("a", a.name);
	EXPECT_EQ(BIT(ZSV_A_SLICE_MEM_BYTES) | BIT(ZSV_A_SLICE_WEIGHT) |
			  BIT(ZSV_A_SLICE_CAP_PCT),
		  a.params.mask);
	EXPECT_EQ(4 * GiB, a.params.mem_bytes);
	EXPECT_EQ(300, a.params.weight);
	EXPECT_EQ(50, a.params.cap_pct);
}

TEST(slice_create_parses_every_keyword_in_any_order)
{
	struct slice_create_args a;

	ASSERT_EQ(0, parse(args_slice_create, &a, "zsv1", "perm", "0660",
			   "group", "root", "owner", "0", "timeslice", "1.5ms",
			   "cap", "25%", "weight", "10000", "mode", "shared",
			   "mem", "1.5G", "name", "team-a.0_x"))
		TH_LOG("%s", err);
	EXPECT_STREQ("zsv1", a.dev);
	EXPECT_STREQ("team-a.0_x", a.name);
	EXPECT_EQ(BIT(ZSV_A_SLICE_MEM_BYTES) | BIT(ZSV_A_SLICE_MEM_MODE) |
			  BIT(ZSV_A_SLICE_WEIGHT) | BIT(ZSV_A_SLICE_CAP_PCT) |
			  BIT(ZSV_A_SLICE_TIMESLICE_NS) | BIT(ZSV_A_SLICE_UID) |
			  BIT(ZSV_A_SLICE_GID) | BIT(ZSV_A_SLICE_NODE_MODE),
		  a.params.mask);
	EXPECT_EQ(1536 * MiB, a.params.mem_bytes);
	EXPECT_EQ(ZSV_MEM_MODE_SHARED, a.params.mem_mode);
	EXPECT_EQ(10000, a.params.weight);
	EXPECT_EQ(25, a.params.cap_pct);
	EXPECT_EQ(1500000, a.params.timeslice_ns);
	EXPECT_EQ(0, a.params.uid);
	EXPECT_EQ(0, a.params.gid);
	EXPECT_EQ(0660, a.params.node_mode);
}

TEST(slice_create_takes_user_and_group_names_and_ids)
{
	struct slice_create_args a;

	ASSERT_EQ(0, parse(args_slice_create, &a, "zsv0", "name", "a", "mem",
			   "1G", "owner", "root", "group", "1234"))
		TH_LOG("%s", err);
	EXPECT_EQ(0, a.params.uid);
	EXPECT_EQ(1234, a.params.gid);
	ASSERT_EQ(0, parse(args_slice_create, &a, "zsv0", "name", "a", "mem",
			   "1G", "owner", "4294967294", "perm", "7"));
	EXPECT_EQ(4294967294u, a.params.uid);
	EXPECT_EQ(07, a.params.node_mode);
}

TEST(slice_create_timeslice_default_is_zero)
{
	struct slice_create_args a;

	ASSERT_EQ(0, parse(args_slice_create, &a, "zsv0", "name", "a", "mem",
			   "1G", "timeslice", "default"));
	EXPECT_TRUE(a.params.mask & BIT(ZSV_A_SLICE_TIMESLICE_NS));
	EXPECT_EQ(0, a.params.timeslice_ns);
}

TEST(slice_create_sends_only_what_was_given)
{
	struct slice_create_args a;

	ASSERT_EQ(0, parse(args_slice_create, &a, "zsv0", "name", "a", "mem",
			   "512M"));
	EXPECT_EQ(BIT(ZSV_A_SLICE_MEM_BYTES), a.params.mask);
	EXPECT_EQ(512 * MiB, a.params.mem_bytes);
}

TEST(slice_create_needs_name_and_mem)
{
	struct slice_create_args a;

	EXPECT_EQ(-EINVAL, args_slice_create(0, ARGV(NULL), &a, err, sizeof(err)));
	EXPECT_STREQ("slice create needs 'name NAME' and 'mem SIZE'", err);
	EXPECT_EQ(-EINVAL, parse(args_slice_create, &a, "zsv0", "mem", "1G"));
	EXPECT_STREQ("slice create needs 'name NAME'", err);
	EXPECT_EQ(-EINVAL, parse(args_slice_create, &a, "zsv0", "name", "a"));
	EXPECT_STREQ("slice create needs 'mem SIZE'", err);
	EXPECT_EQ(-EINVAL, parse(args_slice_create, &a, "name", "a"));
	EXPECT_STREQ("slice create needs 'mem SIZE'", err);
}

TEST(slice_create_without_dev_is_placed)
{
	struct slice_create_args a;

	ASSERT_EQ(0, parse(args_slice_create, &a, "name", "a", "mem", "8G"))
		TH_LOG("%s", err);
	EXPECT_EQ(NULL, a.dev);
	EXPECT_STREQ("a", a.name);
	EXPECT_EQ(8 * GiB, a.params.mem_bytes);
	EXPECT_EQ(ZSV_PLACEMENT_SPREAD, a.placement);
	EXPECT_EQ(NULL, a.backend);
	ASSERT_EQ(0, parse(args_slice_create, &a, "name", "a", "mem", "1G",
			   "placement", "binpack", "backend", "sim"))
		TH_LOG("%s", err);
	EXPECT_EQ(ZSV_PLACEMENT_BINPACK, a.placement);
	EXPECT_STREQ("sim", a.backend);
	EXPECT_EQ(BIT(ZSV_A_SLICE_MEM_BYTES), a.params.mask);
}

TEST(slice_create_placement_needs_no_dev)
{
	struct slice_create_args a;

	EXPECT_EQ(-EINVAL, parse(args_slice_create, &a, "name", "a", "mem",
				 "1G", "placement", "fullest"));
	EXPECT_STREQ("placement 'fullest': not a placement (spread or binpack)",
		     err);
	EXPECT_EQ(-EINVAL, parse(args_slice_create, &a, "zsv0", "name", "a",
				 "mem", "1G", "placement", "spread"));
	EXPECT_STREQ("slice create takes a DEV or 'placement'/'backend', not both",
		     err);
	EXPECT_EQ(-EINVAL, parse(args_slice_create, &a, "zsv0", "name", "a",
				 "mem", "1G", "backend", "sim"));
	EXPECT_EQ(-EINVAL, parse(args_slice_create, &a, "name", "a", "mem",
				 "1G", "backend", "Sim"));
}

TEST(slice_create_rejects_invalid_names)
{
	struct slice_create_args a;

	EXPECT_EQ(-EINVAL, parse(args_slice_create, &a, "zsv0", "name", "Team",
				 "mem", "1G"));
	EXPECT_NE(NULL, strstr(err, "'Team' is not a slice name")) TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, parse(args_slice_create, &a, "zsv0", "name", "../x",
				 "mem", "1G"));
	EXPECT_EQ(-EINVAL, parse(args_slice_create, &a, "ZSV0", "name", "a",
				 "mem", "1G"));
	EXPECT_NE(NULL, strstr(err, "'ZSV0' is not a device name")) TH_LOG("%s", err);
}

TEST(slice_create_rejects_bad_sizes)
{
	struct slice_create_args a;

	EXPECT_EQ(-EINVAL, parse(args_slice_create, &a, "zsv0", "name", "a",
				 "mem", "4GB"));
	EXPECT_STREQ("mem '4GB': not a size (such as 4G, 512M or 1.5G)", err);
	EXPECT_EQ(-EINVAL, parse(args_slice_create, &a, "zsv0", "name", "a",
				 "mem", "0"));
	EXPECT_STREQ("mem '0': must be more than 0 bytes", err);
	EXPECT_EQ(-EINVAL, parse(args_slice_create, &a, "zsv0", "name", "a",
				 "mem", "0.3K"));
	EXPECT_STREQ("mem '0.3K': not a whole number of bytes", err);
	EXPECT_EQ(-EINVAL, parse(args_slice_create, &a, "zsv0", "name", "a",
				 "mem", "16E"));
	EXPECT_STREQ("mem '16E': too big", err);
}

TEST(slice_create_rejects_out_of_range_limits)
{
	static const struct {
		const char *word, *value, *msg;
	} cases[] = {
		{ "weight", "0", "weight '0': out of range (1 to 10000)" },
		{ "weight", "10001", "weight '10001': out of range (1 to 10000)" },
		{ "weight", "99999999999", "weight '99999999999': out of range (1 to 10000)" },
		{ "weight", "-1", "weight '-1': not a number" },
		{ "cap", "0", "cap '0': out of range (1% to 100%)" },
		{ "cap", "101%", "cap '101%': out of range (1% to 100%)" },
		{ "cap", "half", "cap 'half': not a percentage (such as 50%)" },
		{ "cap", "50.5%", "cap '50.5%': not a percentage (such as 50%)" },
		{ "timeslice", "50us", "timeslice '50us': out of range (100us to 1s, or default)" },
		{ "timeslice", "2s", "timeslice '2s': out of range (100us to 1s, or default)" },
		{ "timeslice", "2", "timeslice '2': not a duration (such as 2ms, 500us or 1s, or default)" },
		{ "timeslice", "1.5ns", "timeslice '1.5ns': not a whole number of nanoseconds" },
		{ "perm", "0999", "perm '0999': not octal permission bits (such as 0660, at most 0777)" },
		{ "perm", "1777", "perm '1777': not octal permission bits (such as 0660, at most 0777)" },
		{ "perm", "rw", "perm 'rw': not octal permission bits (such as 0660, at most 0777)" },
		{ "perm", "00600", "perm '00600': not octal permission bits (such as 0660, at most 0777)" },
		{ "mode", "both", "mode 'both': not a memory mode (reserved or shared)" },
		{ "owner", "4294967295", "owner '4294967295': out of range (0 to 4294967294)" },
		{ "owner", "no-such-user-zsv", "owner 'no-such-user-zsv': no such user" },
		{ "group", "no-such-group-zsv", "group 'no-such-group-zsv': no such group" },
	};
	struct slice_create_args a;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_EQ(-EINVAL,
			  parse(args_slice_create, &a, "zsv0", "name", "a", "mem",
				"1G", (char *)cases[i].word,
				(char *)cases[i].value))
			TH_LOG("%s %s", cases[i].word, cases[i].value);
		EXPECT_STREQ(cases[i].msg, err);
	}
}

TEST(slice_create_rejects_repeats_missing_values_and_unknown_words)
{
	struct slice_create_args a;

	EXPECT_EQ(-EINVAL, parse(args_slice_create, &a, "zsv0", "name", "a",
				 "mem", "1G", "weight", "1", "weight", "2"));
	EXPECT_STREQ("'weight' is given twice", err);
	EXPECT_EQ(-EINVAL, parse(args_slice_create, &a, "zsv0", "name", "a",
				 "mem", "1G", "cap"));
	EXPECT_STREQ("'cap' needs a value: a percentage such as 50%", err);
	EXPECT_EQ(-EINVAL, parse(args_slice_create, &a, "zsv0", "name", "a",
				 "mem", "1G", "color", "blue"));
	EXPECT_STREQ("unexpected argument 'color'", err);
	/* Keywords are never abbreviated. */
	EXPECT_EQ(-EINVAL, parse(args_slice_create, &a, "zsv0", "name", "a",
				 "mem", "1G", "w", "3"));
	EXPECT_STREQ("unexpected argument 'w'", err);
	/* force belongs to destroy. */
	EXPECT_EQ(-EINVAL, parse(args_slice_create, &a, "zsv0", "name", "a",
				 "mem", "1G", "force"));
	EXPECT_STREQ("unexpected argument 'force'", err);
}

/* ------------------------------------------------------------------ */
/* slice set and destroy */

TEST(slice_set_parses_changes)
{
	struct slice_set_args a;

	ASSERT_EQ(0, parse(args_slice_set, &a, "team-a", "cap", "30%"));
	EXPECT_STREQ("team-a", a.name);
	EXPECT_EQ(BIT(ZSV_A_SLICE_CAP_PCT), a.params.mask);
	EXPECT_EQ(30, a.params.cap_pct);

	ASSERT_EQ(0, parse(args_slice_set, &a, "a", "mem", "8G", "weight", "1",
			   "timeslice", "default", "owner", "65534", "group",
			   "65534", "perm", "644"));
	EXPECT_EQ(BIT(ZSV_A_SLICE_MEM_BYTES) | BIT(ZSV_A_SLICE_WEIGHT) |
			  BIT(ZSV_A_SLICE_TIMESLICE_NS) | BIT(ZSV_A_SLICE_UID) |
			  BIT(ZSV_A_SLICE_GID) | BIT(ZSV_A_SLICE_NODE_MODE),
		  a.params.mask);
	EXPECT_EQ(8 * GiB, a.params.mem_bytes);
	EXPECT_EQ(0, a.params.timeslice_ns);
	EXPECT_EQ(65534, a.params.uid);
	EXPECT_EQ(0644, a.params.node_mode);
}

TEST(slice_set_needs_a_change)
{
	struct slice_set_args a;

	EXPECT_EQ(-EINVAL, parse(args_slice_set, &a, "a"));
	EXPECT_STREQ("slice set needs something to change: mem, weight, cap, timeslice, owner, group, perm or tenant",
		     err);
	EXPECT_EQ(-EINVAL, args_slice_set(0, ARGV(NULL), &a, err, sizeof(err)));
	EXPECT_STREQ("slice set needs a NAME", err);
}

TEST(slice_set_cannot_change_the_memory_mode_or_name)
{
	struct slice_set_args a;

	EXPECT_EQ(-EINVAL, parse(args_slice_set, &a, "a", "mode", "shared"));
	EXPECT_STREQ("unexpected argument 'mode'", err);
	EXPECT_EQ(-EINVAL, parse(args_slice_set, &a, "a", "name", "b"));
	EXPECT_STREQ("unexpected argument 'name'", err);
}

TEST(slice_destroy_takes_force)
{
	struct slice_destroy_args a;

	ASSERT_EQ(0, parse(args_slice_destroy, &a, "a"));
	EXPECT_STREQ("a", a.name);
	EXPECT_FALSE(a.force);
	ASSERT_EQ(0, parse(args_slice_destroy, &a, "a", "force"));
	EXPECT_TRUE(a.force);
	EXPECT_EQ(-EINVAL, parse(args_slice_destroy, &a, "a", "now"));
	EXPECT_STREQ("unexpected argument 'now'", err);
	EXPECT_EQ(-EINVAL, parse(args_slice_destroy, &a, "a", "force", "x"));
	EXPECT_STREQ("unexpected argument 'x'", err);
	EXPECT_EQ(-EINVAL, args_slice_destroy(0, ARGV(NULL), &a, err, sizeof(err)));
	EXPECT_STREQ("slice destroy needs a NAME", err);
}

/* ------------------------------------------------------------------ */
/* dev set and add */

TEST(dev_set_parses_every_keyword)
{
	struct dev_set_args a;

	ASSERT_EQ(0, parse(args_dev_set, &a, "zsv0", "policy", "best-effort",
			   "timeslice", "500us", "period", "50ms", "oversub",
			   "1.5")) TH_LOG("%s", err);
	EXPECT_STREQ("zsv0", a.name);
	EXPECT_EQ(BIT(ZSV_A_DEV_POLICY) | BIT(ZSV_A_DEV_TIMESLICE_NS) |
			  BIT(ZSV_A_DEV_PERIOD_NS) | BIT(ZSV_A_DEV_OVERSUB_PCT),
		  a.params.mask);
	EXPECT_EQ(ZSV_POLICY_BEST_EFFORT, a.params.policy);
	EXPECT_EQ(500000, a.params.timeslice_ns);
	EXPECT_EQ(50000000, a.params.period_ns);
	EXPECT_EQ(150, a.params.oversub_pct);
}

TEST(dev_set_oversub_takes_ratio_or_percent)
{
	struct dev_set_args a;

	ASSERT_EQ(0, parse(args_dev_set, &a, "zsv0", "oversub", "150%"));
	EXPECT_EQ(BIT(ZSV_A_DEV_OVERSUB_PCT), a.params.mask);
	EXPECT_EQ(150, a.params.oversub_pct);
	ASSERT_EQ(0, parse(args_dev_set, &a, "zsv0", "oversub", "1"));
	EXPECT_EQ(100, a.params.oversub_pct);
	ASSERT_EQ(0, parse(args_dev_set, &a, "zsv0", "oversub", "100"));
	EXPECT_EQ(10000, a.params.oversub_pct);
}

TEST(dev_set_rejects_out_of_range_values)
{
	static const struct {
		const char *word, *value, *msg;
	} cases[] = {
		{ "oversub", "0.5", "oversub '0.5': out of range (1 to 100, or 100% to 10000%)" },
		{ "oversub", "99%", "oversub '99%': out of range (1 to 100, or 100% to 10000%)" },
		{ "oversub", "101", "oversub '101': out of range (1 to 100, or 100% to 10000%)" },
		{ "oversub", "1.555", "oversub '1.555': not a whole percent" },
		{ "oversub", "lots", "oversub 'lots': not a ratio (such as 1.5 or 150%)" },
		{ "policy", "fair", "policy 'fair': not a policy (weighted, fixed or best-effort)" },
		{ "timeslice", "default", "timeslice 'default': not a duration (such as 2ms, 500us or 1s)" },
		{ "timeslice", "99us", "timeslice '99us': out of range (100us to 1s)" },
		{ "period", "9ms", "period '9ms': out of range (10ms to 10s)" },
		{ "period", "11s", "period '11s': out of range (10ms to 10s)" },
	};
	struct dev_set_args a;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_EQ(-EINVAL, parse(args_dev_set, &a, "zsv0",
					 (char *)cases[i].word,
					 (char *)cases[i].value))
			TH_LOG("%s %s", cases[i].word, cases[i].value);
		EXPECT_STREQ(cases[i].msg, err);
	}
}

TEST(dev_set_needs_a_change)
{
	struct dev_set_args a;

	EXPECT_EQ(-EINVAL, parse(args_dev_set, &a, "zsv0"));
	EXPECT_STREQ("dev set needs something to change: policy, timeslice, period or oversub",
		     err);
	EXPECT_EQ(-EINVAL, parse(args_dev_set, &a, "zsv0", "mem", "1G"));
	EXPECT_STREQ("unexpected argument 'mem'", err);
}

TEST(dev_add_parses_backend_mem_and_engines)
{
	struct zsv_dev_params p;

	ASSERT_EQ(0, parse(args_dev_add, &p, "mem", "8G"));
	EXPECT_EQ(BIT(ZSV_A_DEV_MEM_TOTAL), p.mask);
	EXPECT_EQ(8 * GiB, p.mem_total_bytes);
	ASSERT_EQ(0, parse(args_dev_add, &p, "backend", "sim", "mem", "80G",
			   "engines", "8"));
	EXPECT_EQ(BIT(ZSV_A_DEV_BACKEND) | BIT(ZSV_A_DEV_MEM_TOTAL) |
			  BIT(ZSV_A_DEV_ENGINES),
		  p.mask);
	EXPECT_STREQ("sim", p.backend);
	EXPECT_EQ(80 * GiB, p.mem_total_bytes);
	EXPECT_EQ(8, p.engines);
}

TEST(dev_add_rejects_bad_values)
{
	struct zsv_dev_params p;

	EXPECT_EQ(-EINVAL, args_dev_add(0, ARGV(NULL), &p, err, sizeof(err)));
	EXPECT_STREQ("dev add needs 'mem SIZE'", err);
	EXPECT_EQ(-EINVAL, parse(args_dev_add, &p, "mem", "1G", "engines", "0"));
	EXPECT_STREQ("engines '0': a device needs at least 1", err);
	EXPECT_EQ(-EINVAL, parse(args_dev_add, &p, "mem", "1G", "engines", "x"));
	EXPECT_STREQ("engines 'x': not a number", err);
	EXPECT_EQ(-EINVAL, parse(args_dev_add, &p, "mem", "0"));
	EXPECT_STREQ("mem '0': must be more than 0 bytes", err);
	EXPECT_EQ(-EINVAL, parse(args_dev_add, &p, "backend", "Sim", "mem", "1G"));
	EXPECT_NE(NULL, strstr(err, "'Sim' is not a backend name")) TH_LOG("%s", err);
}

/* ------------------------------------------------------------------ */
/* CDI */

TEST(cdi_generate_parses_output_and_vendor)
{
	struct cdi_generate_args a;

	ASSERT_EQ(0, args_cdi_generate(0, ARGV(NULL), &a, err, sizeof(err)));
	EXPECT_EQ(NULL, a.output);
	EXPECT_EQ(NULL, a.vendor);
	ASSERT_EQ(0, parse(args_cdi_generate, &a, "-o", "/etc/cdi/zsv.json",
			   "vendor", "example.com"));
	EXPECT_STREQ("/etc/cdi/zsv.json", a.output);
	EXPECT_STREQ("example.com", a.vendor);
	EXPECT_EQ(-EINVAL, parse(args_cdi_generate, &a, "vendor", "-bad"));
	EXPECT_STREQ("vendor '-bad': " CDI_VENDOR_RULE, err);
	EXPECT_EQ(-EINVAL, parse(args_cdi_generate, &a, "-o"));
	EXPECT_STREQ("'-o' needs a value: a file name", err);
}

TEST(cdi_vendor_follows_cdi_rules)
{
	EXPECT_EQ(0, cdi_vendor_check("zsv.io"));
	EXPECT_EQ(0, cdi_vendor_check("example.com"));
	EXPECT_EQ(0, cdi_vendor_check("Vendor_1-x.y"));
	EXPECT_EQ(0, cdi_vendor_check("a"));
	EXPECT_EQ(-EINVAL, cdi_vendor_check(""));
	EXPECT_EQ(-EINVAL, cdi_vendor_check(NULL));
	EXPECT_EQ(-EINVAL, cdi_vendor_check("1vendor")); /* starts with a letter */
	EXPECT_EQ(-EINVAL, cdi_vendor_check("vendor.")); /* ends with alnum */
	EXPECT_EQ(-EINVAL, cdi_vendor_check("zsv.io/slice"));
	EXPECT_EQ(-EINVAL, cdi_vendor_check("a b"));
	EXPECT_EQ(-EINVAL, cdi_vendor_check("a=b"));
}

TEST(cdi_device_names_follow_cdi_rules)
{
	EXPECT_TRUE(cdi_device_name_ok("team-a"));
	EXPECT_TRUE(cdi_device_name_ok("0"));
	EXPECT_TRUE(cdi_device_name_ok("a.b_c-d"));
	/* zsv allows these slice names; CDI does not take them. */
	EXPECT_FALSE(cdi_device_name_ok("a-"));
	EXPECT_FALSE(cdi_device_name_ok("a."));
	EXPECT_FALSE(cdi_device_name_ok("a_"));
	EXPECT_FALSE(cdi_device_name_ok(""));
	EXPECT_FALSE(cdi_device_name_ok(NULL));
}

static struct zsv_slice_info fake_slice(const char *name, const char *dev,
					uint64_t mem, uint32_t mode,
					uint32_t weight, uint32_t cap)
{
	static char nodes[8][80];
	static unsigned int n;
	char *node = nodes[n++ % 8];
	struct zsv_slice_info s = {
		.present = ~0ULL,
		.name = name,
		.dev_name = dev,
		.mem_bytes = mem,
		.mem_mode = mode,
		.weight = weight,
		.cap_pct = cap,
		.node = node,
	};

	snprintf(node, 80, "/dev/zsv/%s", name);
	return s;
}

/* The spec as a JSON object, parsed back from the text written out. */
static struct json_object *build_and_reparse(const char *vendor,
					     struct zsv_slice_info *const *s,
					     size_t n)
{
	struct json_object *spec = cdi_spec_build(vendor, s, n, NULL, 0);
	struct json_object *again;

	if (!spec)
		return NULL;
	again = json_tokener_parse(cdi_spec_text(spec));
	json_object_put(spec);
	return again;
}

static const char *get_str(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v))
		return NULL;
	return json_object_get_string(v);
}

static struct zsv_dev_info fake_dev(uint32_t id, uint32_t engines,
				    uint64_t timeslice_ns)
{
	return (struct zsv_dev_info){
		.present = ~0ULL,
		.id = id,
		.name = id ? "zsv1" : "zsv0",
		.backend = "sim",
		.engines = engines,
		.timeslice_ns = timeslice_ns,
	};
}

/* The spec of @n slices on @nd pdevs, parsed back from its text. */
static struct json_object *build_with_devs(struct zsv_slice_info *const *s,
					   size_t n,
					   struct zsv_dev_info *const *d,
					   size_t nd)
{
	struct json_object *spec = cdi_spec_build("zsv.io", s, n, d, nd);
	struct json_object *again;

	if (!spec)
		return NULL;
	again = json_tokener_parse(cdi_spec_text(spec));
	json_object_put(spec);
	return again;
}

TEST(cdi_spec_has_one_device_per_slice_sorted_by_name)
{
	struct zsv_slice_info b = fake_slice("team-b", "zsv1", 2 * GiB,
					     ZSV_MEM_MODE_SHARED, 50, 30);
	struct zsv_slice_info a = fake_slice("team-a", "zsv0", 4 * GiB,
					     ZSV_MEM_MODE_RESERVED, 300, 50);
	struct zsv_dev_info zsv0 = fake_dev(0, 8, 2000000);
	struct zsv_dev_info zsv1 = fake_dev(1, 4, 3000000);
	struct zsv_dev_info *devs[] = { &zsv1, &zsv0 };
	struct zsv_slice_info *slices[] = { &b, &a };
	struct json_object *spec, *devices, *dev, *edits, *nodes, *env;
	static const char *const want_env[] = {
		"ZSV_SLICE=team-a",
		"ZSV_SLICE_DEV=zsv0",
		"ZSV_SLICE_MEM_BYTES=4294967296",
		"ZSV_SLICE_MEM_MODE=reserved",
		"ZSV_SLICE_WEIGHT=300",
		"ZSV_SLICE_CAP_PCT=50",
		"ZSV_SLICE_TIMESLICE_NS=2000000", /* the pdev's */
		"ZSV_SLICE_ENGINES=8",
	};
	size_t i;

	b.dev_id = 1;
	b.timeslice_ns = 500000; /* its own */
	spec = build_with_devs(slices, 2, devs, 2);
	ASSERT_NE(NULL, spec);
	/* The lowest version with digit-led device names; see cdi.h. */
	EXPECT_STREQ("0.5.0", get_str(spec, "cdiVersion"));
	EXPECT_STREQ("zsv.io/slice", get_str(spec, "kind"));
	ASSERT_TRUE(json_object_object_get_ex(spec, "devices", &devices));
	ASSERT_EQ(2, json_object_array_length(devices));
	EXPECT_EQ(3, json_object_object_length(spec));

	dev = json_object_array_get_idx(devices, 0);
	EXPECT_STREQ("team-a", get_str(dev, "name"));
	EXPECT_EQ(2, json_object_object_length(dev));
	ASSERT_TRUE(json_object_object_get_ex(dev, "containerEdits", &edits));
	ASSERT_TRUE(json_object_object_get_ex(edits, "deviceNodes", &nodes));
	ASSERT_EQ(1, json_object_array_length(nodes));
	EXPECT_STREQ("/dev/zsv/team-a",
		     get_str(json_object_array_get_idx(nodes, 0), "path"));
	ASSERT_TRUE(json_object_object_get_ex(edits, "env", &env));
	ASSERT_EQ(8, json_object_array_length(env));
	for (i = 0; i < 8; i++)
		EXPECT_STREQ(want_env[i], json_object_get_string(
						  json_object_array_get_idx(env, i)));

	dev = json_object_array_get_idx(devices, 1);
	EXPECT_STREQ("team-b", get_str(dev, "name"));
	ASSERT_TRUE(json_object_object_get_ex(dev, "containerEdits", &edits));
	ASSERT_TRUE(json_object_object_get_ex(edits, "env", &env));
	EXPECT_STREQ("ZSV_SLICE_MEM_MODE=shared",
		     json_object_get_string(json_object_array_get_idx(env, 3)));
	EXPECT_STREQ("ZSV_SLICE_CAP_PCT=30",
		     json_object_get_string(json_object_array_get_idx(env, 5)));
	EXPECT_STREQ("ZSV_SLICE_TIMESLICE_NS=500000",
		     json_object_get_string(json_object_array_get_idx(env, 6)));
	EXPECT_STREQ("ZSV_SLICE_ENGINES=4",
		     json_object_get_string(json_object_array_get_idx(env, 7)));
	json_object_put(spec);
}

TEST(cdi_spec_leaves_out_what_an_unknown_pdev_would_say)
{
	struct zsv_slice_info a = fake_slice("a", "zsv1", GiB, 0, 100, 100);
	struct zsv_slice_info b = fake_slice("b", "zsv1", GiB, 0, 100, 100);
	struct zsv_dev_info zsv0 = fake_dev(0, 8, 2000000);
	struct zsv_dev_info *devs[] = { &zsv0 };
	struct zsv_slice_info *slices[] = { &a, &b };
	struct json_object *spec, *devices, *edits, *env;

	/* zsv1 is not among the pdevs: made after their dump, say. */
	a.dev_id = 1;
	b.dev_id = 1;
	b.timeslice_ns = 700000;
	spec = build_with_devs(slices, 2, devs, 1);
	ASSERT_NE(NULL, spec);
	ASSERT_TRUE(json_object_object_get_ex(spec, "devices", &devices));
	ASSERT_TRUE(json_object_object_get_ex(
		json_object_array_get_idx(devices, 0), "containerEdits", &edits));
	ASSERT_TRUE(json_object_object_get_ex(edits, "env", &env));
	EXPECT_EQ(6, json_object_array_length(env));
	ASSERT_TRUE(json_object_object_get_ex(
		json_object_array_get_idx(devices, 1), "containerEdits", &edits));
	ASSERT_TRUE(json_object_object_get_ex(edits, "env", &env));
	ASSERT_EQ(7, json_object_array_length(env));
	EXPECT_STREQ("ZSV_SLICE_TIMESLICE_NS=700000",
		     json_object_get_string(json_object_array_get_idx(env, 6)));
	json_object_put(spec);
}

TEST(cdi_spec_leaves_out_names_cdi_refuses)
{
	struct zsv_slice_info ok = fake_slice("ok", "zsv0", GiB, 0, 100, 100);
	struct zsv_slice_info bad = fake_slice("bad-", "zsv0", GiB, 0, 100, 100);
	struct zsv_slice_info *slices[] = { &bad, &ok };
	struct json_object *spec, *devices;

	spec = build_and_reparse("example.com", slices, 2);
	ASSERT_NE(NULL, spec);
	EXPECT_STREQ("example.com/slice", get_str(spec, "kind"));
	ASSERT_TRUE(json_object_object_get_ex(spec, "devices", &devices));
	ASSERT_EQ(1, json_object_array_length(devices));
	EXPECT_STREQ("ok", get_str(json_object_array_get_idx(devices, 0), "name"));
	json_object_put(spec);
}

TEST(cdi_spec_without_slices_has_no_devices)
{
	struct json_object *spec, *devices;

	spec = build_and_reparse("zsv.io", NULL, 0);
	ASSERT_NE(NULL, spec);
	ASSERT_TRUE(json_object_object_get_ex(spec, "devices", &devices));
	EXPECT_TRUE(json_object_is_type(devices, json_type_array));
	EXPECT_EQ(0, json_object_array_length(devices));
	json_object_put(spec);
}

TEST(cdi_spec_names_an_unknown_memory_mode_by_number)
{
	struct zsv_slice_info s = fake_slice("a", "zsv0", GiB, 7, 100, 100);
	struct zsv_slice_info *slices[] = { &s };
	struct json_object *spec;

	spec = cdi_spec_build("zsv.io", slices, 1, NULL, 0);
	ASSERT_NE(NULL, spec);
	EXPECT_NE(NULL, strstr(cdi_spec_text(spec), "\"ZSV_SLICE_MEM_MODE=7\""));
	json_object_put(spec);
}

TEST(cdi_spec_vendor_comes_from_kind)
{
	char vendor[CDI_VENDOR_MAX + 1];

	ASSERT_EQ(0, cdi_spec_vendor("{\"cdiVersion\":\"0.5.0\",\"kind\":\"example.com/slice\",\"devices\":[]}",
				     vendor, sizeof(vendor)));
	EXPECT_STREQ("example.com", vendor);
	EXPECT_EQ(-EINVAL, cdi_spec_vendor("{\"kind\":\"example.com/gpu\"}",
					   vendor, sizeof(vendor)));
	EXPECT_EQ(-EINVAL, cdi_spec_vendor("{\"kind\":\"/slice\"}", vendor,
					   sizeof(vendor)));
	EXPECT_EQ(-EINVAL, cdi_spec_vendor("{\"kind\":\"1x/slice\"}", vendor,
					   sizeof(vendor)));
	EXPECT_EQ(-EINVAL, cdi_spec_vendor("{\"kind\":7}", vendor, sizeof(vendor)));
	EXPECT_EQ(-EINVAL, cdi_spec_vendor("{}", vendor, sizeof(vendor)));
	EXPECT_EQ(-EINVAL, cdi_spec_vendor("[]", vendor, sizeof(vendor)));
	EXPECT_EQ(-EINVAL, cdi_spec_vendor("{\"kind\":\"zsv.io/sl", vendor,
					   sizeof(vendor)));
	EXPECT_EQ(-EINVAL, cdi_spec_vendor("", vendor, sizeof(vendor)));
	EXPECT_EQ(-EINVAL, cdi_spec_vendor("{\"kind\":\"example.com/slice\"}",
					   vendor, 4));
}

static int count_entries(const char *dir)
{
	struct dirent *e;
	int n = 0;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

TEST(cdi_spec_write_replaces_the_file_and_leaves_nothing_else)
{
	char dir[] = "/tmp/zsvctl_args_test.XXXXXX", path[64], buf[64];
	struct stat st;
	FILE *f;
	size_t n;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/zsv.json", dir);
	ASSERT_EQ(0, cdi_spec_write(path, "{ \"old\": 1 }"));
	ASSERT_EQ(0, cdi_spec_write(path, "{ \"new\": 2 }"));
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0644, st.st_mode & 07777);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	EXPECT_STREQ("{ \"new\": 2 }\n", buf);
	EXPECT_EQ(1, count_entries(dir));
	unlink(path);
	rmdir(dir);
}

TEST(cdi_spec_write_fails_cleanly)
{
	EXPECT_EQ(-ENOENT, cdi_spec_write("/nonexistent-zsv-dir/zsv.json", "{}"));
}

/* ------------------------------------------------------------------ */
/* JSON objects and event lines */

static char *print_line(void (*fn)(FILE *, const void *), const void *obj)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fn(f, obj);
	fclose(f);
	return buf;
}

TEST(slice_json_has_every_key)
{
	struct zsv_slice_info s = fake_slice("a", "zsv0", 4 * GiB,
					     ZSV_MEM_MODE_RESERVED, 300, 50);
	struct json_object *obj;

	s.id = 7;
	s.dev_id = 0;
	s.uid = 65534;
	s.gid = 100;
	s.node_mode = 0640;
	s.contexts = 2;
	s.mem_used_bytes = 4096;
	s.mem_peak_bytes = 8192;
	s.quota_hits = 3;
	s.busy_ns = 1500000000;
	s.jobs_submitted = 12;
	s.jobs_completed = 11;
	s.jobs_failed = 1;
	s.throttled_ns = 250000;
	s.ctx_switches = 40;
	s.share_promised_ppm = 250000;
	s.share_delivered_ppm = 248000;
	obj = slice_to_json(&s);
	ASSERT_NE(NULL, obj);
	EXPECT_STREQ("{\"id\":7,\"name\":\"a\",\"dev_id\":0,\"dev\":\"zsv0\",\"mem_bytes\":4294967296,\"mem_mode\":\"reserved\",\"weight\":300,\"cap_pct\":50,\"timeslice_ns\":0,\"uid\":65534,\"gid\":100,\"node_mode\":416,\"node\":\"/dev/zsv/a\",\"contexts\":2,\"mem_used\":4096,"
		     "\"mem_peak\":8192,\"quota_hits\":3,\"busy_ns\":1500000000,\"jobs_submitted\":12,\"jobs_completed\":11,\"jobs_failed\":1,\"throttled_ns\":250000,\"ctx_switches\":40,\"share_promised_ppm\":250000,\"share_delivered_ppm\":248000,\"mediated\":false,\"vfio_open\":false,\"tenant\":null,\"group\":null}",
		     json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
								 JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
}

TEST(slice_json_has_null_for_what_the_kernel_left_out)
{
	struct zsv_slice_info s = fake_slice("a", "", 0, 9, 0, 0);
	struct json_object *obj, *v;

	s.present = ZSV_ATTR_BIT(ZSV_A_SLICE_ID) |
		    ZSV_ATTR_BIT(ZSV_A_SLICE_NAME) |
		    ZSV_ATTR_BIT(ZSV_A_SLICE_MEM_MODE);
	obj = slice_to_json(&s);
	ASSERT_NE(NULL, obj);
	EXPECT_EQ(29, json_object_object_length(obj));
	ASSERT_TRUE(json_object_object_get_ex(obj, "mem_used", &v));
	EXPECT_EQ(NULL, v);
	/* A kernel without the stats: null, not a misleading 0. */
	ASSERT_TRUE(json_object_object_get_ex(obj, "busy_ns", &v));
	EXPECT_EQ(NULL, v);
	ASSERT_TRUE(json_object_object_get_ex(obj, "share_delivered_ppm", &v));
	EXPECT_EQ(NULL, v);
	ASSERT_TRUE(json_object_object_get_ex(obj, "dev", &v));
	EXPECT_EQ(NULL, v);
	EXPECT_STREQ("unknown(9)", get_str(obj, "mem_mode"));
	json_object_put(obj);
}

TEST(dev_json_has_oversub_and_mem_shared)
{
	struct zsv_dev_info d = {
		.present = ~0ULL, .id = 1, .name = "zsv1", .backend = "sim",
		.oversub_pct = 150, .mem_shared_bytes = 3 * GiB,
	};
	struct json_object *obj, *v;

	obj = dev_to_json(&d);
	ASSERT_NE(NULL, obj);
	ASSERT_TRUE(json_object_object_get_ex(obj, "oversub_pct", &v));
	EXPECT_EQ(150, json_object_get_uint64(v));
	ASSERT_TRUE(json_object_object_get_ex(obj, "mem_shared", &v));
	EXPECT_EQ(3 * GiB, json_object_get_uint64(v));
	json_object_put(obj);
}

TEST(dev_json_has_busy_and_jobs_completed)
{
	struct zsv_dev_info d = {
		.present = ~0ULL, .id = 1, .name = "zsv1", .backend = "sim",
		.busy_ns = 123456789012ULL, .jobs_completed = 4242,
	};
	struct json_object *obj, *v;

	obj = dev_to_json(&d);
	ASSERT_NE(NULL, obj);
	ASSERT_TRUE(json_object_object_get_ex(obj, "busy_ns", &v));
	EXPECT_EQ(123456789012ULL, json_object_get_uint64(v));
	ASSERT_TRUE(json_object_object_get_ex(obj, "jobs_completed", &v));
	EXPECT_EQ(4242, json_object_get_uint64(v));
	json_object_put(obj);
	d.present &= ~(ZSV_ATTR_BIT(ZSV_A_DEV_BUSY_NS) |
		       ZSV_ATTR_BIT(ZSV_A_DEV_JOBS_COMPLETED));
	obj = dev_to_json(&d);
	ASSERT_NE(NULL, obj);
	ASSERT_TRUE(json_object_object_get_ex(obj, "busy_ns", &v));
	EXPECT_EQ(NULL, v);
	json_object_put(obj);
}

/* ------------------------------------------------------------------ */
/* Stats for people */

static const char *human(uint64_t ns)
{
	static char buf[ZSV_UNIT_STR_MAX];

	if (zsvctl_format_duration_human(ns, buf, sizeof(buf)))
		return "(error)";
	return buf;
}

TEST(duration_human_uses_the_largest_unit_with_one_decimal)
{
	EXPECT_STREQ("0ns", human(0));
	EXPECT_STREQ("999ns", human(999));
	EXPECT_STREQ("1us", human(1000));
	EXPECT_STREQ("1.5us", human(1599));
	EXPECT_STREQ("812.3us", human(812345));
	EXPECT_STREQ("2ms", human(2000000));
	EXPECT_STREQ("1.2s", human(1234567890));
	EXPECT_STREQ("59.9s", human(59999999999ULL));
}

TEST(duration_human_shows_minutes_hours_days)
{
	EXPECT_STREQ("1m00s", human(60000000000ULL));
	EXPECT_STREQ("12m05s", human(725000000000ULL));
	EXPECT_STREQ("3h07m", human((3 * 3600 + 7 * 60 + 59) * 1000000000ULL));
	EXPECT_STREQ("2d04h", human((2 * 86400 + 4 * 3600 + 5) * 1000000000ULL));
	EXPECT_STREQ("213503d23h", human(UINT64_MAX));
}

TEST(duration_human_reports_short_buffer)
{
	char buf[8];

	EXPECT_EQ(-ENOSPC, zsvctl_format_duration_human(1234567, buf, 5));
	EXPECT_EQ(0, zsvctl_format_duration_human(999, buf, 6));
	EXPECT_STREQ("999ns", buf);
}

TEST(ppm_as_percent_rounds_to_one_decimal)
{
	static const struct {
		uint32_t ppm;
		const char *str;
	} cases[] = {
		{ 0, "0.0%" }, { 250000, "25.0%" }, { 333333, "33.3%" },
		{ 249999, "25.0%" }, { 249499, "24.9%" }, { 1000000, "100.0%" },
		{ 500, "0.1%" }, { 499, "0.0%" },
	};
	char buf[16];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ASSERT_EQ(0, zsvctl_format_ppm_pct(cases[i].ppm, buf, sizeof(buf)));
		EXPECT_STREQ(cases[i].str, buf) TH_LOG("%u ppm", cases[i].ppm);
	}
	EXPECT_EQ(-ENOSPC, zsvctl_format_ppm_pct(1000000, buf, 6));
}

static void slice_line(FILE *f, const void *s)
{
	slice_print_line(f, s);
}

static void dev_line(FILE *f, const void *d)
{
	dev_print_line(f, d);
}

TEST(slice_event_line_reads_like_the_command)
{
	struct zsv_slice_info s = fake_slice("a", "zsv0", 1536 * MiB,
					     ZSV_MEM_MODE_SHARED, 300, 50);
	char *line;

	s.id = 3;
	s.node_mode = 0600;
	line = print_line(slice_line, &s);
	ASSERT_NE(NULL, line);
	EXPECT_STREQ("a id 3 dev zsv0 mem 1536M mode shared weight 300 cap 50% timeslice default owner 0 group 0 perm 0600 node /dev/zsv/a",
		     line);
	free(line);
	s.timeslice_ns = 500000;
	s.present = ZSV_ATTR_BIT(ZSV_A_SLICE_NAME) |
		    ZSV_ATTR_BIT(ZSV_A_SLICE_TIMESLICE_NS);
	line = print_line(slice_line, &s);
	ASSERT_NE(NULL, line);
	EXPECT_STREQ("a timeslice 500us", line);
	free(line);
}

TEST(dev_event_line_names_every_setting)
{
	struct zsv_dev_info d = {
		.present = ~0ULL, .id = 2, .name = "zsv2", .backend = "sim",
		.mem_total_bytes = 8 * GiB, .engines = 2,
		.policy = ZSV_POLICY_FIXED, .timeslice_ns = 1000000,
		.period_ns = 50000000, .oversub_pct = 125, .slice_count = 1,
	};
	char *line = print_line(dev_line, &d);

	ASSERT_NE(NULL, line);
	EXPECT_STREQ("zsv2 id 2 backend sim mem 8G engines 2 policy fixed timeslice 1ms period 50ms oversub 1.25 slices 1",
		     line);
	free(line);
}

/* ------------------------------------------------------------------ */
/* Tenants: JSON, table, event line */

static struct zsv_tenant_info fake_tenant(void)
{
	struct zsv_tenant_info t = {
		.present = ~0ULL,
		.id = 4,
		.name = "acme",
		.mem_max_bytes = 64 * GiB,
		.slices_max = ZSV_LIMIT_NONE,
		.compute_max = 400,
		.mem_bytes = 1536 * MiB,
		.slices = 2,
		.compute = 150,
		.mem_used_bytes = 4096,
		.busy_ns = 1500000000,
		.quota_hits = 3,
		.weight = 250,
	};

	return t;
}

TEST(tenant_json_has_every_key_and_null_for_no_limit)
{
	struct zsv_tenant_info t = fake_tenant();
	struct json_object *obj;

	obj = tenant_to_json(&t);
	ASSERT_NE(NULL, obj);
	EXPECT_STREQ("{\"id\":4,\"name\":\"acme\",\"mem_max\":68719476736,\"slices_max\":null,\"compute_max\":400,\"weight\":250,\"mem\":1610612736,\"slices\":2,\"compute\":150,\"mem_used\":4096,\"busy_ns\":1500000000,\"quota_hits\":3}",
		     json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN));
	json_object_put(obj);
	/* Usage the kernel left out is null too. */
	t.present = ZSV_ATTR_BIT(ZSV_A_TENANT_ID) |
		    ZSV_ATTR_BIT(ZSV_A_TENANT_NAME);
	t.mem_max_bytes = ZSV_LIMIT_NONE;
	obj = tenant_to_json(&t);
	ASSERT_NE(NULL, obj);
	EXPECT_STREQ("{\"id\":4,\"name\":\"acme\",\"mem_max\":null,\"slices_max\":null,\"compute_max\":400,\"weight\":250,\"mem\":null,\"slices\":null,\"compute\":null,\"mem_used\":null,\"busy_ns\":null,\"quota_hits\":null}",
		     json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN));
	json_object_put(obj);
}

static void tenant_table(FILE *f, const void *t)
{
	struct zsv_tenant_info *const *tenants = t;

	tenant_print_table(f, tenants, 2);
}

TEST(tenant_table_has_limits_and_usage)
{
	struct zsv_tenant_info a = fake_tenant(), b = fake_tenant();
	struct zsv_tenant_info *tenants[] = { &a, &b };
	char *out;

	b.id = 5;
	b.name = "free";
	b.mem_max_bytes = ZSV_LIMIT_NONE;
	b.compute_max = ZSV_LIMIT_NONE;
	b.weight = ZSV_WEIGHT_DEFAULT;
	b.present = ZSV_ATTR_BIT(ZSV_A_TENANT_ID) |
		    ZSV_ATTR_BIT(ZSV_A_TENANT_NAME);
	out = print_line(tenant_table, tenants);
	ASSERT_NE(NULL, out);
	EXPECT_STREQ("NAME  ID   MEM  MEM_MAX  SLICES  SLICES_MAX  COMPUTE  COMPUTE_MAX  WEIGHT  USED  BUSY  QUOTA_HITS\n"
		     "acme   4  1.5G      64G       2        none     150%         400%     250    4K  1.5s           3\n"
		     "free   5     -     none       -        none        -         none     100     -     -           -\n",
		     out);
	free(out);
}

static void tenant_line(FILE *f, const void *t)
{
	tenant_print_line(f, t);
}

TEST(tenant_event_line_has_limits_then_usage)
{
	struct zsv_tenant_info t = fake_tenant();
	char *line = print_line(tenant_line, &t);

	ASSERT_NE(NULL, line);
	EXPECT_STREQ("acme id 4 mem 64G slices none compute 400% weight 250 usage mem 1536M slices 2 compute 150%",
		     line);
	free(line);
}

TEST(slice_in_a_tenant_says_so_in_json_and_the_event_line)
{
	struct zsv_slice_info s = fake_slice("a", "zsv0", 1536 * MiB,
					     ZSV_MEM_MODE_SHARED, 300, 50);
	struct json_object *obj;
	char *line;

	s.id = 3;
	s.node_mode = 0600;
	s.tenant = "acme";
	line = print_line(slice_line, &s);
	ASSERT_NE(NULL, line);
	EXPECT_STREQ("a id 3 dev zsv0 mem 1536M mode shared weight 300 cap 50% timeslice default owner 0 group 0 perm 0600 node /dev/zsv/a tenant acme",
		     line);
	free(line);
	obj = slice_to_json(&s);
	ASSERT_NE(NULL, obj);
	EXPECT_STREQ("acme", get_str(obj, "tenant"));
	json_object_put(obj);
	/* The kernel leaves the attribute out for a slice in no tenant. */
	s.present &= ~ZSV_ATTR_BIT(ZSV_A_SLICE_TENANT);
	line = print_line(slice_line, &s);
	ASSERT_NE(NULL, line);
	EXPECT_EQ(NULL, strstr(line, "tenant"));
	free(line);
}

/* ------------------------------------------------------------------ */
/* Groups */

TEST(group_create_parses_every_keyword_in_any_order)
{
	struct group_create_args a;

	ASSERT_EQ(0, parse(args_group_create, &a, "job", "mem", "4G", "any",
			   "count", "3", "placement", "binpack", "backend",
			   "sim", "mode", "shared", "weight", "200", "cap",
			   "50%", "timeslice", "2ms", "owner", "0", "group",
			   "0", "perm", "0660", "tenant", "acme"))
		TH_LOG("%s", err);
	EXPECT_STREQ("job", a.name);
	EXPECT_EQ(3, a.count);
	EXPECT_FALSE(a.distinct);
	EXPECT_EQ(ZSV_PLACEMENT_BINPACK, a.placement);
	EXPECT_TRUE(a.placement_set);
	EXPECT_STREQ("sim", a.backend);
	EXPECT_EQ(4 * GiB, a.params.mem_bytes);
	EXPECT_EQ(ZSV_MEM_MODE_SHARED, a.params.mem_mode);
	EXPECT_EQ(200, a.params.weight);
	EXPECT_EQ(50, a.params.cap_pct);
	EXPECT_EQ(2000000, a.params.timeslice_ns);
	EXPECT_EQ(0660, a.params.node_mode);
	EXPECT_STREQ("acme", a.params.tenant);
	EXPECT_EQ(BIT(ZSV_A_SLICE_MEM_BYTES) | BIT(ZSV_A_SLICE_MEM_MODE) |
			  BIT(ZSV_A_SLICE_WEIGHT) | BIT(ZSV_A_SLICE_CAP_PCT) |
			  BIT(ZSV_A_SLICE_TIMESLICE_NS) | BIT(ZSV_A_SLICE_UID) |
			  BIT(ZSV_A_SLICE_GID) | BIT(ZSV_A_SLICE_NODE_MODE) |
			  BIT(ZSV_A_SLICE_TENANT),
		  a.params.mask);
}

TEST(group_create_is_distinct_and_sends_only_mem_by_default)
{
	struct group_create_args a;

	ASSERT_EQ(0, parse(args_group_create, &a, "job", "count", "2", "mem",
			   "1G"))
		TH_LOG("%s", err);
	EXPECT_TRUE(a.distinct);
	EXPECT_FALSE(a.placement_set);
	EXPECT_EQ(ZSV_PLACEMENT_SPREAD, a.placement);
	EXPECT_EQ(NULL, a.backend);
	EXPECT_EQ(BIT(ZSV_A_SLICE_MEM_BYTES), a.params.mask);
	/* "tenant none" at create is no tenant: nothing sent. */
	ASSERT_EQ(0, parse(args_group_create, &a, "job", "count", "2", "mem",
			   "1G", "tenant", "none"));
	EXPECT_EQ(BIT(ZSV_A_SLICE_MEM_BYTES), a.params.mask);
}

TEST(group_create_needs_name_count_and_mem)
{
	struct group_create_args a;

	EXPECT_EQ(-EINVAL, parse(args_group_create, &a, "job", "mem", "1G"));
	EXPECT_STREQ("group create needs 'count N'", err);
	EXPECT_EQ(-EINVAL, parse(args_group_create, &a, "job", "count", "2"));
	EXPECT_STREQ("group create needs 'mem SIZE'", err);
	EXPECT_EQ(-EINVAL, args_group_create(0, ARGV(NULL), &a, err,
					     sizeof(err)));
	EXPECT_STREQ("group create needs a NAME, 'count N' and 'mem SIZE'", err);
	EXPECT_EQ(-EINVAL, parse(args_group_create, &a, "Job", "count", "2",
				 "mem", "1G"));
	EXPECT_TRUE(strstr(err, "'Job' is not a group name") == err)
		TH_LOG("%s", err);
}

TEST(group_create_count_is_1_to_64)
{
	struct group_create_args a;

	EXPECT_EQ(-EINVAL, parse(args_group_create, &a, "job", "count", "0",
				 "mem", "1G"));
	EXPECT_STREQ("count '0': out of range (1 to 64)", err);
	EXPECT_EQ(-EINVAL, parse(args_group_create, &a, "job", "count", "65",
				 "mem", "1G"));
	EXPECT_STREQ("count '65': out of range (1 to 64)", err);
	EXPECT_EQ(-EINVAL, parse(args_group_create, &a, "job", "count", "x",
				 "mem", "1G"));
	EXPECT_STREQ("count 'x': not a number", err);
	ASSERT_EQ(0, parse(args_group_create, &a, "job", "count", "64", "mem",
			   "1G"));
	EXPECT_EQ(64, a.count);
}

TEST(group_create_leaves_room_for_the_last_slice_name)
{
	/* 61 characters, then "-9": 63, a slice name; "-10" is one too many. */
	static const char name61[] =
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	struct group_create_args a;

	ASSERT_EQ(61, strlen(name61));
	ASSERT_EQ(0, parse(args_group_create, &a, (char *)name61, "count",
			   "10", "mem", "1G"))
		TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, parse(args_group_create, &a, (char *)name61,
				 "count", "11", "mem", "1G"));
	EXPECT_TRUE(strstr(err, "too long for its slices' names") != NULL)
		TH_LOG("%s", err);
	EXPECT_TRUE(strstr(err, "-10' is more than 63 characters") != NULL)
		TH_LOG("%s", err);
}

TEST(group_create_any_takes_no_value_and_comes_once)
{
	struct group_create_args a;

	EXPECT_EQ(-EINVAL, parse(args_group_create, &a, "job", "count", "2",
				 "mem", "1G", "any", "any"));
	EXPECT_STREQ("'any' is given twice", err);
	/* After "any" comes a keyword, not its value. */
	EXPECT_EQ(-EINVAL, parse(args_group_create, &a, "job", "any", "yes",
				 "count", "2", "mem", "1G"));
	EXPECT_STREQ("unexpected argument 'yes'", err);
	EXPECT_EQ(-EINVAL, parse(args_group_create, &a, "job", "count", "2",
				 "mem"));
	EXPECT_STREQ("'mem' needs a value: a size such as 4G", err);
	/* slice create's own words are not a group's. */
	EXPECT_EQ(-EINVAL, parse(args_group_create, &a, "job", "count", "2",
				 "mem", "1G", "name", "x"));
	EXPECT_STREQ("unexpected argument 'name'", err);
}

TEST(group_destroy_takes_force)
{
	struct group_destroy_args a;

	ASSERT_EQ(0, parse(args_group_destroy, &a, "job"));
	EXPECT_STREQ("job", a.name);
	EXPECT_FALSE(a.force);
	ASSERT_EQ(0, parse(args_group_destroy, &a, "job", "force"));
	EXPECT_TRUE(a.force);
	EXPECT_EQ(-EINVAL, parse(args_group_destroy, &a, "job", "now"));
	EXPECT_STREQ("unexpected argument 'now'", err);
	EXPECT_EQ(-EINVAL, parse(args_group_destroy, &a, "job", "force", "x"));
	EXPECT_STREQ("unexpected argument 'x'", err);
	EXPECT_EQ(-EINVAL, args_group_destroy(0, ARGV(NULL), &a, err,
					      sizeof(err)));
	EXPECT_STREQ("group destroy needs a NAME", err);
}

/* A slice of @group (NULL: none) on @dev, with @id and @tenant. */
static struct zsv_slice_info group_slice(const char *name, const char *group,
					 const char *dev, uint32_t id,
					 const char *tenant)
{
	struct zsv_slice_info s = fake_slice(name, dev, GiB,
					     ZSV_MEM_MODE_RESERVED, 100, 100);

	s.id = id;
	s.group = group ? group : "";
	s.tenant = tenant ? tenant : "";
	if (!group)
		s.present &= ~BIT(ZSV_A_SLICE_GROUP);
	if (!tenant)
		s.present &= ~BIT(ZSV_A_SLICE_TENANT);
	return s;
}

static void group_table(FILE *f, const void *g)
{
	const struct group_info *groups = g;

	/* Two in a row: see groups_gather_sorts_and_sums. */
	group_print_table(f, groups, 2);
}

TEST(groups_gather_sorts_and_sums)
{
	struct zsv_slice_info s[] = {
		group_slice("job-10", "job", "zsv1", 20, "acme"),
		group_slice("solo", NULL, "zsv0", 1, NULL),
		group_slice("old-1", "old", "zsv0", 3, NULL),
		group_slice("job-2", "job", "zsv0", 12, "acme"),
		group_slice("old-0", "old", "zsv0", 2, "acme"),
		group_slice("job-0", "job", "zsv1", 10, "acme"),
	};
	struct zsv_slice_info *slices[6];
	struct group_info *groups;
	struct json_object *obj;
	size_t i, n;
	char *out;

	for (i = 0; i < 6; i++)
		slices[i] = &s[i];
	ASSERT_EQ(0, groups_gather(slices, 6, NULL, &groups, &n));
	ASSERT_EQ(2, n);
	/* Oldest first; slices by index, 2 before 10. */
	EXPECT_STREQ("old", groups[0].name);
	EXPECT_EQ(2, groups[0].first_id);
	EXPECT_STREQ("job", groups[1].name);
	ASSERT_EQ(3, groups[1].count);
	EXPECT_STREQ("job-0", groups[1].slices[0]->name);
	EXPECT_STREQ("job-2", groups[1].slices[1]->name);
	EXPECT_STREQ("job-10", groups[1].slices[2]->name);
	EXPECT_EQ(3 * GiB, groups[1].mem_bytes);
	EXPECT_STREQ("acme", groups[1].tenant);
	/* One slice in acme, one in none: no tenant for the group. */
	EXPECT_EQ(NULL, groups[0].tenant);

	obj = group_to_json(&groups[1]);
	ASSERT_NE(NULL, obj);
	EXPECT_STREQ("{\"name\":\"job\",\"slices\":[\"job-0\",\"job-2\",\"job-10\"],\"devs\":[\"zsv1\",\"zsv0\"],\"mem_bytes\":3221225472,\"tenant\":\"acme\"}",
		     json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
								 JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
	obj = group_to_json(&groups[0]);
	ASSERT_NE(NULL, obj);
	EXPECT_STREQ("{\"name\":\"old\",\"slices\":[\"old-0\",\"old-1\"],\"devs\":[\"zsv0\"],\"mem_bytes\":2147483648,\"tenant\":null}",
		     json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
								 JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);

	out = print_line(group_table, groups);
	ASSERT_NE(NULL, out);
	EXPECT_STREQ("NAME  SLICES  DEVS       MEM  TENANT\n"
		     "old        2  zsv0        2G  -\n"
		     "job        3  zsv1,zsv0   3G  acme\n",
		     out);
	free(out);
	groups_free(groups, n);

	/* Only one; none at all. */
	ASSERT_EQ(0, groups_gather(slices, 6, "old", &groups, &n));
	ASSERT_EQ(1, n);
	EXPECT_EQ(2, groups[0].count);
	groups_free(groups, n);
	ASSERT_EQ(0, groups_gather(slices, 6, "nope", &groups, &n));
	EXPECT_EQ(0, n);
	groups_free(groups, n);
	ASSERT_EQ(0, groups_gather(slices, 0, NULL, &groups, &n));
	EXPECT_EQ(0, n);
	groups_free(groups, n);
}

TEST(slice_json_and_show_say_the_group)
{
	struct zsv_slice_info s = group_slice("job-0", "job", "zsv0", 4, NULL);
	struct json_object *obj;

	obj = slice_to_json(&s);
	ASSERT_NE(NULL, obj);
	EXPECT_STREQ("job", get_str(obj, "group"));
	json_object_put(obj);
	EXPECT_TRUE(slice_has_group(&s));
	/* The bit without a name is no group either. */
	s.group = "";
	EXPECT_FALSE(slice_has_group(&s));
}

/* A slice-get reply for "job-1" of group @group (NULL: left out). */
static struct zsv_slice_info *parse_group_reply(const char *group)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct zsv_slice_info *slice = NULL;

	if (!msg)
		return NULL;
	if (genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 42, 0, 0,
			ZSV_CMD_SLICE_GET, ZSV_GENL_VERSION) &&
	    !nla_put_u32(msg, ZSV_A_SLICE_ID, 3) &&
	    !nla_put_string(msg, ZSV_A_SLICE_NAME, "job-1") &&
	    !nla_put_string(msg, ZSV_A_SLICE_TENANT, "acme") &&
	    (!group || !nla_put_string(msg, ZSV_A_SLICE_GROUP, group)) &&
	    zsv_slice_info_parse(nlmsg_hdr(msg), &slice))
		slice = NULL;
	nlmsg_free(msg);
	return slice;
}

TEST(slice_reply_group_is_parsed_and_empty_without_it)
{
	struct zsv_slice_info *slice = parse_group_reply("job");

	ASSERT_NE(NULL, slice);
	EXPECT_STREQ("job", slice->group);
	EXPECT_STREQ("acme", slice->tenant);
	EXPECT_TRUE(zsv_slice_has(slice, ZSV_A_SLICE_GROUP));
	zsv_slice_info_free(slice);
	slice = parse_group_reply(NULL);
	ASSERT_NE(NULL, slice);
	EXPECT_STREQ("", slice->group);
	EXPECT_FALSE(zsv_slice_has(slice, ZSV_A_SLICE_GROUP));
	EXPECT_FALSE(slice_has_group(slice));
	zsv_slice_info_free(slice);
}

TEST(cdi_spec_has_a_device_per_group_with_every_node)
{
	struct zsv_slice_info s[] = {
		group_slice("job-1", "job", "zsv1", 2, NULL),
		group_slice("a", NULL, "zsv0", 0, NULL),
		group_slice("job-0", "job", "zsv0", 1, NULL),
	};
	struct zsv_slice_info *slices[] = { &s[0], &s[1], &s[2] };
	struct json_object *spec, *devices, *dev, *edits, *v;
	static const char *const want_env[] = {
		"ZSV_GROUP=job",
		"ZSV_GROUP_COUNT=2",
		"ZSV_GROUP_SLICES=job-0,job-1",
		"ZSV_GROUP_DEVS=zsv0,zsv1",
		"ZSV_GROUP_MEM_BYTES=1073741824,1073741824",
	};
	static const char *const want_names[] = { "a", "job", "job-0",
						  "job-1" };
	size_t i;

	spec = build_and_reparse("zsv.io", slices, 3);
	ASSERT_NE(NULL, spec);
	ASSERT_TRUE(json_object_object_get_ex(spec, "devices", &devices));
	ASSERT_EQ(4, json_object_array_length(devices));
	/* Slices and the group together, by name. */
	for (i = 0; i < 4; i++)
		EXPECT_STREQ(want_names[i],
			     get_str(json_object_array_get_idx(devices, i),
				     "name"));
	dev = json_object_array_get_idx(devices, 1);
	ASSERT_TRUE(json_object_object_get_ex(dev, "containerEdits", &edits));
	ASSERT_TRUE(json_object_object_get_ex(edits, "deviceNodes", &v));
	ASSERT_EQ(2, json_object_array_length(v));
	EXPECT_STREQ("/dev/zsv/job-0",
		     get_str(json_object_array_get_idx(v, 0), "path"));
	EXPECT_STREQ("/dev/zsv/job-1",
		     get_str(json_object_array_get_idx(v, 1), "path"));
	ASSERT_TRUE(json_object_object_get_ex(edits, "env", &v));
	ASSERT_EQ(5, json_object_array_length(v));
	for (i = 0; i < 5; i++)
		EXPECT_STREQ(want_env[i], json_object_get_string(
						  json_object_array_get_idx(v, i)));
	json_object_put(spec);
}

TEST(cdi_spec_leaves_out_a_group_a_slice_is_named_after)
{
	struct zsv_slice_info s[] = {
		group_slice("job-0", "job", "zsv0", 1, NULL),
		group_slice("job", NULL, "zsv1", 2, NULL),
		group_slice("bad--0", "bad-", "zsv1", 3, NULL),
	};
	struct zsv_slice_info *slices[] = { &s[0], &s[1], &s[2] };
	struct json_object *spec, *devices;

	EXPECT_FALSE(cdi_group_ok("job", slices, 3));
	EXPECT_FALSE(cdi_group_ok("bad-", slices, 3));
	EXPECT_TRUE(cdi_group_ok("other", slices, 3));
	spec = build_and_reparse("zsv.io", slices, 3);
	ASSERT_NE(NULL, spec);
	ASSERT_TRUE(json_object_object_get_ex(spec, "devices", &devices));
	/* The slices only: "job" is the slice's, "bad-" no CDI name. */
	ASSERT_EQ(3, json_object_array_length(devices));
	EXPECT_STREQ("bad--0",
		     get_str(json_object_array_get_idx(devices, 0), "name"));
	EXPECT_STREQ("job",
		     get_str(json_object_array_get_idx(devices, 1), "name"));
	EXPECT_STREQ("job-0",
		     get_str(json_object_array_get_idx(devices, 2), "name"));
	json_object_put(spec);
}

TEST_HARNESS_MAIN
