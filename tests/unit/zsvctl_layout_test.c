// SPDX-License-Identifier: GPL-2.0-only
/*
 * The layout file of zsvctl save/apply/assert and the plans between a
 * file and the live state (userspace/zsvctl/layout.c), as functions: no
 * kernel.  The live state is made of the structs libzsv hands out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json_object.h>

#include "kselftest_harness.h"

#include "layout.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)

static char err[LAYOUT_ERR_MAX];

static int parse(const char *text, struct layout *l)
{
	err[0] = '\0';
	return layout_parse(text, strlen(text), l, err, sizeof(err));
}

/* Two 16G devices and what is carved from them. */
struct live {
	struct zsv_dev_info dev[2];
	struct zsv_dev_info *devp[2];
	struct zsv_slice_info slice[8];
	struct zsv_slice_info *slicep[8];
	size_t nslices;
	struct layout l;
};

static void live_init(struct live *lv)
{
	int i;

	memset(lv, 0, sizeof(*lv));
	for (i = 0; i < 2; i++) {
		struct zsv_dev_info *d = &lv->dev[i];

		/* Reported in reverse: the layout sorts by id. */
		d->id = 1 - i;
		d->name = i ? "zsv0" : "zsv1";
		d->backend = "sim";
		d->mem_total_bytes = 16 * GiB;
		d->policy = ZSV_POLICY_WEIGHTED;
		d->timeslice_ns = 2000000;
		d->period_ns = 100000000;
		d->oversub_pct = 100;
		lv->devp[i] = d;
	}
}

static struct zsv_slice_info *live_slice(struct live *lv, const char *name,
					 const char *dev, uint64_t mem)
{
	struct zsv_slice_info *s = &lv->slice[lv->nslices];

	s->id = (uint32_t)lv->nslices;
	s->name = name;
	s->dev_name = dev;
	s->node = "";
	s->mem_bytes = mem;
	s->mem_mode = ZSV_MEM_MODE_RESERVED;
	s->weight = 100;
	s->cap_pct = 100;
	s->node_mode = 0600;
	lv->slicep[lv->nslices++] = s;
	return s;
}

static int live_layout(struct live *lv)
{
	return layout_from_live(lv->devp, 2, lv->slicep, lv->nslices, &lv->l);
}

/* plan_text(&plan): every step's text, one per line. */
static const char *plan_text(const struct plan *p)
{
	static char buf[4096];
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < p->nsteps; i++) {
		strncat(buf, p->steps[i].text, sizeof(buf) - strlen(buf) - 2);
		strcat(buf, "\n");
	}
	return buf;
}

/* ------------------------------------------------------------------ */
/* The file */

TEST(layout_parses_every_key_and_defaults_the_rest)
{
	struct layout l;

	ASSERT_EQ(0, parse("{\"version\": 1,"
			   " \"devices\": [{\"name\": \"zsv0\", \"policy\": \"fixed\","
			   "   \"timeslice\": \"1ms\", \"period\": \"50ms\", \"oversub\": \"1.5\"},"
			   "  {\"name\": \"zsv1\"}],"
			   " \"slices\": [{\"name\": \"a\", \"dev\": \"zsv0\", \"mem\": \"1.5G\","
			   "   \"mode\": \"shared\", \"weight\": 300, \"cap\": \"50%\","
			   "   \"timeslice\": \"500us\", \"owner\": \"root\", \"group\": 7,"
			   "   \"perm\": \"0660\"},"
			   "  {\"name\": \"b\", \"dev\": \"zsv1\", \"mem\": \"512M\"}]}",
			   &l))
		TH_LOG("%s", err);
	ASSERT_EQ(2, l.ndevs);
	EXPECT_STREQ("zsv0", l.devs[0].name);
	EXPECT_EQ((1U << LAYOUT_DEV_KEYS) - 1, l.devs[0].given);
	EXPECT_EQ(ZSV_POLICY_FIXED, l.devs[0].policy);
	EXPECT_EQ(1000000, l.devs[0].timeslice_ns);
	EXPECT_EQ(50000000, l.devs[0].period_ns);
	EXPECT_EQ(150, l.devs[0].oversub_pct);
	EXPECT_EQ(0, l.devs[1].given);
	ASSERT_EQ(2, l.nslices);
	EXPECT_STREQ("a", l.slices[0].name);
	EXPECT_STREQ("zsv0", l.slices[0].dev);
	EXPECT_EQ(1536 * MiB, l.slices[0].mem_bytes);
	EXPECT_EQ(ZSV_MEM_MODE_SHARED, l.slices[0].mem_mode);
	EXPECT_EQ(300, l.slices[0].weight);
	EXPECT_EQ(50, l.slices[0].cap_pct);
	EXPECT_EQ(500000, l.slices[0].timeslice_ns);
	EXPECT_EQ(0, l.slices[0].uid);
	EXPECT_EQ(7, l.slices[0].gid);
	EXPECT_EQ(0660, l.slices[0].node_mode);
	/* slice create's defaults */
	EXPECT_EQ(ZSV_MEM_MODE_RESERVED, l.slices[1].mem_mode);
	EXPECT_EQ(ZSV_WEIGHT_DEFAULT, l.slices[1].weight);
	EXPECT_EQ(100, l.slices[1].cap_pct);
	EXPECT_EQ(0, l.slices[1].timeslice_ns);
	EXPECT_EQ(ZSV_NODE_MODE_DEFAULT, l.slices[1].node_mode);
	layout_free(&l);
}

TEST(layout_rejects_bad_files_naming_the_place)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "", "not valid JSON at line 1, column 1: " },
		{ "{\"version\": 1,\n \"slices\": [}",
		  "not valid JSON at line 2, column 13: " },
		{ "{\"version\": 1} x", "not valid JSON at line 1, column 16: " },
		{ "[]", "the file must hold a JSON object" },
		{ "{}", "needs \"version\": 1" },
		{ "{\"version\": \"1\"}", "\"version\" must be an integer" },
		{ "{\"version\": 2}",
		  "version 2 is not one this zsvctl reads (it reads 1)" },
		{ "{\"version\": 1, \"slice\": []}",
		  "unknown key \"slice\" (the file has version, devices, tenants and slices)" },
		{ "{\"version\": 1, \"slices\": {}}",
		  "\"slices\" must be an array" },
		{ "{\"version\": 1, \"slices\": [1]}", "slices[0]: must be an object" },
		{ "{\"version\": 1, \"slices\": [{\"dev\": \"zsv0\", \"mem\": \"1G\"}]}",
		  "slices[0]: needs \"name\"" },
		{ "{\"version\": 1, \"slices\": [{\"name\": \"a\", \"mem\": \"1G\"}]}",
		  "slices[0] (a): needs \"dev\"" },
		{ "{\"version\": 1, \"slices\": [{\"name\": \"a\", \"dev\": \"zsv0\"}]}",
		  "slices[0] (a): needs \"mem\"" },
		{ "{\"version\": 1, \"slices\": [{\"name\": \"a\", \"dev\": \"zsv0\", \"mem\": \"1G\", \"colour\": 1}]}",
		  "slices[0] (a): unknown key \"colour\"" },
		{ "{\"version\": 1, \"slices\": [{\"name\": \"a\", \"dev\": \"zsv0\", \"mem\": \"4GB\"}]}",
		  "slices[0] (a): mem '4GB': not a size (such as 4G, 512M or 1.5G)" },
		{ "{\"version\": 1, \"slices\": [{\"name\": \"a\", \"dev\": \"zsv0\", \"mem\": 4}]}",
		  "slices[0] (a): \"mem\" must be a string" },
		{ "{\"version\": 1, \"slices\": [{\"name\": \"a\", \"dev\": \"zsv0\", \"mem\": \"1G\", \"weight\": \"3\"}]}",
		  "slices[0] (a): \"weight\" must be an integer" },
		{ "{\"version\": 1, \"slices\": [{\"name\": \"a\", \"dev\": \"zsv0\", \"mem\": \"1G\", \"weight\": 0}]}",
		  "slices[0] (a): weight '0': out of range (1 to 10000)" },
		{ "{\"version\": 1, \"slices\": [{\"name\": \"a\", \"dev\": \"zsv0\", \"mem\": \"1G\", \"weight\": 1.5}]}",
		  "slices[0] (a): \"weight\" must be an integer" },
		{ "{\"version\": 1, \"slices\": [{\"name\": \"a\", \"dev\": \"zsv0\", \"mem\": \"1G\", \"cap\": \"101%\"}]}",
		  "slices[0] (a): cap '101%': out of range (1% to 100%)" },
		{ "{\"version\": 1, \"slices\": [{\"name\": \"a\", \"dev\": \"zsv0\", \"mem\": \"1G\", \"owner\": -1}]}",
		  "slices[0] (a): owner '-1': no such user" },
		{ "{\"version\": 1, \"slices\": [{\"name\": \"a\", \"dev\": \"ZSV0\", \"mem\": \"1G\"}]}",
		  "slices[0] (a): 'ZSV0' is not a device name" },
		{ "{\"version\": 1, \"slices\": [{\"name\": \"A\", \"dev\": \"zsv0\", \"mem\": \"1G\"}]}",
		  "slices[0]: 'A' is not a slice name" },
		{ "{\"version\": 1, \"slices\": [{\"name\": \"a\", \"dev\": \"zsv0\", \"mem\": \"1G\"},"
		  " {\"name\": \"a\", \"dev\": \"zsv1\", \"mem\": \"1G\"}]}",
		  "slices[1] (a): slice 'a' is named twice (slices[0])" },
		{ "{\"version\": 1, \"slices\": [{\"name\": \"a\\u0000\", \"dev\": \"zsv0\", \"mem\": \"1G\"}]}",
		  "slices[0]: \"name\" holds a NUL character" },
		{ "{\"version\": 1, \"devices\": [{\"name\": \"zsv0\", \"policy\": \"fair\"}]}",
		  "devices[0] (zsv0): policy 'fair'" },
		{ "{\"version\": 1, \"devices\": [{\"name\": \"zsv0\", \"timeslice\": \"20ms\", \"period\": \"10ms\"}]}",
		  "devices[0] (zsv0): period '10ms' is shorter than timeslice '20ms'" },
		{ "{\"version\": 1, \"devices\": [{\"name\": \"zsv0\", \"speed\": \"1\"}]}",
		  "devices[0] (zsv0): unknown key \"speed\"" },
		{ "{\"version\": 1, \"devices\": [{\"name\": \"zsv0\"}, {\"name\": \"zsv0\"}]}",
		  "devices[1] (zsv0): device 'zsv0' is named twice (devices[0])" },
	};
	struct layout l;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_EQ(-EINVAL, parse(cases[i].text, &l)) TH_LOG("%s", cases[i].text);
		EXPECT_EQ(0, strncmp(err, cases[i].msg, strlen(cases[i].msg)))
			TH_LOG("got '%s', want '%s...'", err, cases[i].msg);
		EXPECT_EQ(NULL, l.slices);
	}
	EXPECT_EQ(-EINVAL, layout_parse("{\"version\": 1}\0", 15, &l, err,
					sizeof(err)));
	EXPECT_STREQ("the file holds a NUL byte: it is not JSON text", err);
}

TEST(layout_saved_file_parses_back_to_the_same_layout)
{
	struct json_object *obj;
	struct layout back;
	struct live lv;
	const char *text;
	size_t i;

	live_init(&lv);
	live_slice(&lv, "b", "zsv1", 1536 * MiB)->weight = 7;
	lv.slice[0].mem_mode = ZSV_MEM_MODE_SHARED;
	lv.slice[0].timeslice_ns = 300000;
	lv.slice[0].uid = 1000;
	lv.slice[0].gid = 1001;
	lv.slice[0].node_mode = 0660;
	lv.slice[0].cap_pct = 25;
	live_slice(&lv, "a", "zsv0", 4 * GiB);
	live_slice(&lv, "vm", "zsv0", 1 * GiB)->mediated = 1;
	lv.dev[0].oversub_pct = 150;
	ASSERT_EQ(0, live_layout(&lv));
	obj = layout_to_json(&lv.l);
	ASSERT_NE(NULL, obj);
	text = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN);
	EXPECT_STREQ("{\"version\":1,\"devices\":["
		     "{\"name\":\"zsv0\",\"policy\":\"weighted\",\"timeslice\":\"2ms\",\"period\":\"100ms\",\"oversub\":\"1\"},"
		     "{\"name\":\"zsv1\",\"policy\":\"weighted\",\"timeslice\":\"2ms\",\"period\":\"100ms\",\"oversub\":\"1.5\"}],"
		     "\"slices\":["
		     "{\"name\":\"a\",\"dev\":\"zsv0\",\"mem\":\"4G\",\"mode\":\"reserved\",\"weight\":100,\"cap\":\"100%\",\"timeslice\":\"default\",\"owner\":0,\"group\":0,\"perm\":\"0600\"},"
		     "{\"name\":\"b\",\"dev\":\"zsv1\",\"mem\":\"1536M\",\"mode\":\"shared\",\"weight\":7,\"cap\":\"25%\",\"timeslice\":\"300us\",\"owner\":1000,\"group\":1001,\"perm\":\"0660\"}]}",
		     text);
	ASSERT_EQ(0, parse(text, &back)) TH_LOG("%s", err);
	json_object_put(obj);
	ASSERT_EQ(2, back.ndevs);
	ASSERT_EQ(2, back.nslices);
	for (i = 0; i < 2; i++) {
		struct layout_slice *s = &lv.l.slices[i];

		s->contexts = 0;
		s->mem_used_bytes = 0;
		EXPECT_EQ(0, memcmp(s, &back.slices[i], sizeof(*s)));
		back.devs[i].mem_total_bytes = lv.l.devs[i].mem_total_bytes;
		EXPECT_EQ(0, memcmp(&lv.l.devs[i], &back.devs[i],
				    sizeof(back.devs[i])));
	}
	layout_free(&back);
	layout_free(&lv.l);
}

/* ------------------------------------------------------------------ */
/* Plans */

/* Plan @file against @lv with @flags; 0 or the error. */
static int plan_for(struct live *lv, const char *file, unsigned int flags,
		    struct plan *p)
{
	struct layout want;
	int ret;

	ret = parse(file, &want);
	if (ret)
		return ret;
	if (!lv->l.devs && live_layout(lv))
		return -ENOMEM;
	ret = layout_plan(&want, &lv->l, flags, p, err, sizeof(err));
	layout_free(&want);
	return ret;
}

#define FILE_AB                                                             \
	"{\"version\": 1, \"slices\": ["                                    \
	"{\"name\": \"a\", \"dev\": \"zsv0\", \"mem\": \"4G\"},"            \
	"{\"name\": \"b\", \"dev\": \"zsv1\", \"mem\": \"2G\", \"weight\": 50}]}"

TEST(plan_of_the_live_state_is_empty)
{
	struct live lv;
	struct plan p;

	live_init(&lv);
	live_slice(&lv, "a", "zsv0", 4 * GiB);
	live_slice(&lv, "b", "zsv1", 2 * GiB)->weight = 50;
	ASSERT_EQ(0, plan_for(&lv, FILE_AB, LAYOUT_PRUNE, &p)) TH_LOG("%s", err);
	EXPECT_EQ(0, p.nsteps) TH_LOG("%s", plan_text(&p));
	plan_free(&p);
	layout_free(&lv.l);
}

TEST(plan_orders_shrink_and_destroy_before_grow_and_create)
{
	struct live lv;
	struct plan p;

	live_init(&lv);
	live_slice(&lv, "a", "zsv0", 2 * GiB);
	live_slice(&lv, "b", "zsv1", 8 * GiB)->weight = 50;
	live_slice(&lv, "old", "zsv0", 8 * GiB);
	/* a grows into what old and b give back; c is new */
	ASSERT_EQ(0, plan_for(&lv,
			      "{\"version\": 1,"
			      " \"devices\": [{\"name\": \"zsv0\", \"policy\": \"fixed\"}],"
			      " \"slices\": ["
			      "{\"name\": \"a\", \"dev\": \"zsv0\", \"mem\": \"12G\"},"
			      "{\"name\": \"c\", \"dev\": \"zsv0\", \"mem\": \"4G\"},"
			      "{\"name\": \"b\", \"dev\": \"zsv1\", \"mem\": \"2G\"}]}",
			      LAYOUT_PRUNE, &p))
		TH_LOG("%s", err);
	EXPECT_STREQ("destroy slice old\n"
		     "set slice b mem 2G weight 100 (was mem 8G weight 50)\n"
		     "set device zsv0 policy fixed (was policy weighted)\n"
		     "set slice a mem 12G (was mem 2G)\n"
		     "create slice c on zsv0 mem 4G mode reserved weight 100 cap 100% timeslice default owner 0 group 0 perm 0600\n",
		     plan_text(&p));
	ASSERT_EQ(5, p.nsteps);
	EXPECT_EQ(PLAN_SLICE_DESTROY, p.steps[0].op);
	/* undoing a destroy creates the slice again, as it was */
	EXPECT_STREQ("zsv0", p.steps[0].dev);
	EXPECT_EQ(8 * GiB, p.steps[0].slice_undo.mem_bytes);
	EXPECT_EQ(PLAN_SLICE_SHRINK, p.steps[1].op);
	EXPECT_EQ(ZSV_ATTR_BIT(ZSV_A_SLICE_MEM_BYTES) |
			  ZSV_ATTR_BIT(ZSV_A_SLICE_WEIGHT),
		  p.steps[1].slice.mask);
	EXPECT_EQ(50, p.steps[1].slice_undo.weight);
	EXPECT_EQ(8 * GiB, p.steps[1].slice_undo.mem_bytes);
	EXPECT_EQ(PLAN_DEV_SET, p.steps[2].op);
	EXPECT_EQ(ZSV_ATTR_BIT(ZSV_A_DEV_POLICY), p.steps[2].devp.mask);
	EXPECT_EQ(ZSV_POLICY_WEIGHTED, p.steps[2].dev_undo.policy);
	EXPECT_EQ(PLAN_SLICE_GROW, p.steps[3].op);
	EXPECT_EQ(PLAN_SLICE_CREATE, p.steps[4].op);
	EXPECT_STREQ("slice old: not in the file", p.steps[0].diff);
	EXPECT_STREQ("slice b: mem is 8G, the file says 2G; weight is 50, the file says 100",
		     p.steps[1].diff);
	EXPECT_STREQ("device zsv0: policy is weighted, the file says fixed",
		     p.steps[2].diff);
	EXPECT_STREQ("slice c: missing (the file puts it on zsv0)",
		     p.steps[4].diff);
	plan_free(&p);
	layout_free(&lv.l);
}

TEST(plan_keeps_slices_not_in_the_file_without_prune)
{
	struct live lv;
	struct plan p;

	live_init(&lv);
	live_slice(&lv, "a", "zsv0", 4 * GiB);
	live_slice(&lv, "b", "zsv1", 2 * GiB)->weight = 50;
	live_slice(&lv, "extra", "zsv0", 1 * GiB);
	ASSERT_EQ(0, plan_for(&lv, FILE_AB, 0, &p)) TH_LOG("%s", err);
	EXPECT_EQ(0, p.nsteps) TH_LOG("%s", plan_text(&p));
	plan_free(&p);
	ASSERT_EQ(0, plan_for(&lv, FILE_AB, LAYOUT_PRUNE, &p));
	EXPECT_STREQ("destroy slice extra\n", plan_text(&p));
	plan_free(&p);
	layout_free(&lv.l);
}

TEST(plan_destroys_busy_slices_only_with_force)
{
	struct live lv;
	struct plan p;

	live_init(&lv);
	live_slice(&lv, "a", "zsv0", 4 * GiB);
	live_slice(&lv, "b", "zsv1", 2 * GiB)->weight = 50;
	live_slice(&lv, "busy", "zsv0", 1 * GiB)->contexts = 2;
	EXPECT_EQ(-EINVAL, plan_for(&lv, FILE_AB, LAYOUT_PRUNE, &p));
	EXPECT_STREQ("slice 'busy' is not in the file but busy (2 open contexts): --prune destroys it only with --force",
		     err);
	EXPECT_EQ(0, p.nsteps);
	ASSERT_EQ(0, plan_for(&lv, FILE_AB, LAYOUT_PRUNE | LAYOUT_FORCE, &p));
	EXPECT_STREQ("destroy slice busy (force: revokes 2 open contexts)\n",
		     plan_text(&p));
	EXPECT_TRUE(p.steps[0].force);
	plan_free(&p);
	/* assert only compares */
	ASSERT_EQ(0, plan_for(&lv, FILE_AB, LAYOUT_PRUNE | LAYOUT_ASSERT, &p));
	EXPECT_EQ(1, p.nsteps);
	plan_free(&p);
	layout_free(&lv.l);
}

TEST(plan_recreates_a_slice_that_changes_device_or_mode)
{
	struct live lv;
	struct plan p;

	live_init(&lv);
	live_slice(&lv, "a", "zsv1", 4 * GiB);
	live_slice(&lv, "b", "zsv1", 2 * GiB)->weight = 50;
	ASSERT_EQ(0, plan_for(&lv, FILE_AB, 0, &p)) TH_LOG("%s", err);
	EXPECT_STREQ("destroy slice a, to create it again\n"
		     "create slice a on zsv0 mem 4G mode reserved weight 100 cap 100% timeslice default owner 0 group 0 perm 0600\n",
		     plan_text(&p));
	EXPECT_STREQ("slice a: dev is zsv1, the file says zsv0", p.steps[0].diff);
	EXPECT_STREQ("", p.steps[1].diff);
	plan_free(&p);
	layout_free(&lv.l);
	lv.slice[0].contexts = 1;
	EXPECT_EQ(-EINVAL, plan_for(&lv, FILE_AB, 0, &p));
	EXPECT_STREQ("slices[0] (a): changing its dev destroys and creates it again, and it is busy (1 open contexts): that needs --force",
		     err);
	layout_free(&lv.l);
}

TEST(plan_refuses_a_layout_that_cannot_fit)
{
	struct live lv;
	struct plan p;

	live_init(&lv);
	live_slice(&lv, "extra", "zsv0", 13 * GiB);
	live_slice(&lv, "vm", "zsv1", 15 * GiB)->mediated = 1;
	/* extra stays without --prune: 4G more does not fit */
	EXPECT_EQ(-EINVAL, plan_for(&lv, FILE_AB, 0, &p));
	EXPECT_STREQ("device zsv0: its reserved slices would hold 17G, more than its 16G (slices not in the file stay without --prune)",
		     err) TH_LOG("%s", err);
	/* with --prune zsv0 fits; zsv1 holds the mediated slice */
	EXPECT_EQ(-EINVAL, plan_for(&lv, FILE_AB, LAYOUT_PRUNE, &p));
	EXPECT_STREQ("device zsv1: its reserved slices would hold 17G, more than its 16G",
		     err);
	layout_free(&lv.l);

	/* shared quotas against the pool and the oversub ratio */
	live_init(&lv);
	EXPECT_EQ(-EINVAL,
		  plan_for(&lv,
			   "{\"version\": 1, \"slices\": ["
			   "{\"name\": \"r\", \"dev\": \"zsv0\", \"mem\": \"8G\"},"
			   "{\"name\": \"s\", \"dev\": \"zsv0\", \"mem\": \"10G\", \"mode\": \"shared\"}]}",
			   0, &p));
	EXPECT_STREQ("device zsv0: its shared slices' quotas would sum to 10G; its unreserved 8G at oversub 100% allows 8G",
		     err);
	layout_free(&lv.l);
	live_init(&lv);
	ASSERT_EQ(0, plan_for(&lv,
			      "{\"version\": 1,"
			      " \"devices\": [{\"name\": \"zsv0\", \"oversub\": \"1.25\"}],"
			      " \"slices\": ["
			      "{\"name\": \"r\", \"dev\": \"zsv0\", \"mem\": \"8G\"},"
			      "{\"name\": \"s\", \"dev\": \"zsv0\", \"mem\": \"10G\", \"mode\": \"shared\"}]}",
			      0, &p))
		TH_LOG("%s", err);
	EXPECT_EQ(3, p.nsteps);
	EXPECT_EQ(PLAN_DEV_SET, p.steps[0].op);
	plan_free(&p);
	layout_free(&lv.l);
}

TEST(plan_refuses_unknown_devices_mediated_slices_and_memory_in_use)
{
	struct live lv;
	struct plan p;

	live_init(&lv);
	live_slice(&lv, "vm", "zsv1", 1 * GiB)->mediated = 1;
	live_slice(&lv, "a", "zsv0", 4 * GiB)->mem_used_bytes = 3 * GiB;
	EXPECT_EQ(-EINVAL,
		  plan_for(&lv,
			   "{\"version\": 1, \"devices\": [{\"name\": \"zsv9\", \"policy\": \"fixed\"}]}",
			   0, &p));
	EXPECT_STREQ("devices[0]: no device named 'zsv9'", err);
	EXPECT_EQ(-EINVAL,
		  plan_for(&lv,
			   "{\"version\": 1, \"slices\": [{\"name\": \"x\", \"dev\": \"zsv9\", \"mem\": \"1G\"}]}",
			   0, &p));
	EXPECT_STREQ("slices[0] (x): no device named 'zsv9'", err);
	EXPECT_EQ(-EINVAL,
		  plan_for(&lv,
			   "{\"version\": 1, \"slices\": [{\"name\": \"vm\", \"dev\": \"zsv1\", \"mem\": \"1G\"}]}",
			   0, &p));
	EXPECT_STREQ("slices[0] (vm): slice 'vm' is a VFIO mediated device, which mdevctl manages: leave it out of the file",
		     err);
	EXPECT_EQ(-EINVAL,
		  plan_for(&lv,
			   "{\"version\": 1, \"slices\": [{\"name\": \"a\", \"dev\": \"zsv0\", \"mem\": \"2G\"}]}",
			   0, &p));
	EXPECT_STREQ("slices[0] (a): mem 2G is less than the 3G it uses", err);
	EXPECT_EQ(-EINVAL,
		  plan_for(&lv,
			   "{\"version\": 1, \"devices\": [{\"name\": \"zsv0\", \"period\": \"10ms\", \"timeslice\": \"20ms\"}]}",
			   0, &p));
	/* a period that meets the live timeslice */
	EXPECT_EQ(-EINVAL,
		  plan_for(&lv,
			   "{\"version\": 1, \"devices\": [{\"name\": \"zsv0\", \"timeslice\": \"200ms\"}]}",
			   0, &p));
	EXPECT_STREQ("devices[0] (zsv0): period 100ms would be shorter than timeslice 200ms",
		     err);
	/* pruning never touches the mediated slice */
	ASSERT_EQ(0, plan_for(&lv, "{\"version\": 1}", LAYOUT_PRUNE, &p));
	EXPECT_EQ(1, p.nsteps);
	EXPECT_STREQ("destroy slice a\n", plan_text(&p));
	plan_free(&p);
	layout_free(&lv.l);
}

/* ------------------------------------------------------------------ */
/* Tenants */

static struct zsv_tenant_info live_tenants[2] = {
	{ .name = "acme", .mem_max_bytes = 8 * GiB, .slices_max = 2,
	  .compute_max = ZSV_LIMIT_NONE, .weight = ZSV_WEIGHT_DEFAULT },
	{ .name = "old", .mem_max_bytes = 1 * GiB, .slices_max = ZSV_LIMIT_NONE,
	  .compute_max = 400, .weight = 300 },
};

static void slice_tenant(struct zsv_slice_info *s, const char *tenant)
{
	s->tenant = tenant;
	s->present |= ZSV_ATTR_BIT(ZSV_A_SLICE_TENANT);
}

TEST(layout_saves_tenants_and_reads_them_back)
{
	struct zsv_tenant_info *tp[] = { &live_tenants[1], &live_tenants[0] };
	struct json_object *obj;
	struct layout back;
	struct live lv;
	const char *text;

	live_init(&lv);
	slice_tenant(live_slice(&lv, "a", "zsv0", 4 * GiB), "acme");
	live_slice(&lv, "b", "zsv1", 1 * GiB);
	ASSERT_EQ(0, live_layout(&lv));
	ASSERT_EQ(0, layout_add_live_tenants(&lv.l, tp, 2));
	obj = layout_to_json(&lv.l);
	ASSERT_NE(NULL, obj);
	text = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN);
	/* Tenants by name, between devices and slices; "tenant" only when
	 * the slice has one. */
	EXPECT_STREQ("{\"version\":1,\"devices\":["
		     "{\"name\":\"zsv0\",\"policy\":\"weighted\",\"timeslice\":\"2ms\",\"period\":\"100ms\",\"oversub\":\"1\"},"
		     "{\"name\":\"zsv1\",\"policy\":\"weighted\",\"timeslice\":\"2ms\",\"period\":\"100ms\",\"oversub\":\"1\"}],"
		     "\"tenants\":["
		     "{\"name\":\"acme\",\"mem\":\"8G\",\"slices\":2,\"compute\":\"none\",\"weight\":100},"
		     "{\"name\":\"old\",\"mem\":\"1G\",\"slices\":\"none\",\"compute\":\"400%\",\"weight\":300}],"
		     "\"slices\":["
		     "{\"name\":\"a\",\"dev\":\"zsv0\",\"mem\":\"4G\",\"mode\":\"reserved\",\"weight\":100,\"cap\":\"100%\",\"timeslice\":\"default\",\"owner\":0,\"group\":0,\"perm\":\"0600\",\"tenant\":\"acme\"},"
		     "{\"name\":\"b\",\"dev\":\"zsv1\",\"mem\":\"1G\",\"mode\":\"reserved\",\"weight\":100,\"cap\":\"100%\",\"timeslice\":\"default\",\"owner\":0,\"group\":0,\"perm\":\"0600\"}]}",
		     text);
	ASSERT_EQ(0, parse(text, &back)) TH_LOG("%s", err);
	json_object_put(obj);
	ASSERT_EQ(2, back.ntenants);
	EXPECT_EQ(0, memcmp(back.tenants, lv.l.tenants,
			    2 * sizeof(*back.tenants)));
	EXPECT_STREQ("acme", back.slices[0].tenant);
	EXPECT_STREQ("", back.slices[1].tenant);
	layout_free(&back);
	layout_free(&lv.l);
}

TEST(layout_rejects_bad_tenants_naming_the_place)
{
	static const struct {
		const char *file, *msg;
	} cases[] = {
		{ "{\"version\": 1, \"tenants\": [{\"name\": \"none\"}]}",
		  "tenants[0]: 'none' cannot name a tenant" },
		{ "{\"version\": 1, \"tenants\": [{\"mem\": \"1G\"}]}",
		  "tenants[0]: needs \"name\"" },
		{ "{\"version\": 1, \"tenants\": [{\"name\": \"t\", \"cap\": \"1\"}]}",
		  "tenants[0] (t): unknown key \"cap\" (a tenant has name, mem, slices, compute and weight)" },
		{ "{\"version\": 1, \"tenants\": [{\"name\": \"t\", \"weight\": \"300\"}]}",
		  "tenants[0] (t): \"weight\" must be an integer" },
		{ "{\"version\": 1, \"tenants\": [{\"name\": \"t\", \"weight\": 0}]}",
		  "tenants[0] (t): weight '0': out of range (1 to 10000)" },
		{ "{\"version\": 1, \"tenants\": [{\"name\": \"t\", \"weight\": 10001}]}",
		  "tenants[0] (t): weight '10001': out of range (1 to 10000)" },
		{ "{\"version\": 1, \"tenants\": [{\"name\": \"t\"}, {\"name\": \"t\"}]}",
		  "tenants[1] (t): tenant 't' is named twice (tenants[0])" },
		{ "{\"version\": 1, \"tenants\": [{\"name\": \"t\", \"slices\": \"x\"}]}",
		  "tenants[0] (t): slices 'x': not a number, or none" },
		{ "{\"version\": 1, \"tenants\": [{\"name\": \"t\", \"mem\": 5}]}",
		  "tenants[0] (t): \"mem\" must be a string" },
		{ "{\"version\": 1, \"tenants\": {}}",
		  "\"tenants\" must be an array" },
		{ "{\"version\": 1, \"slices\": [{\"name\": \"a\", \"dev\": \"zsv0\", \"mem\": \"1G\", \"tenant\": \"A\"}]}",
		  "slices[0] (a): 'A' is not a tenant name" },
	};
	struct layout l;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_EQ(-EINVAL, parse(cases[i].file, &l)) TH_LOG("case %zu", i);
		EXPECT_EQ(0, strncmp(err, cases[i].msg, strlen(cases[i].msg)))
			TH_LOG("got '%s', want '%s'", err, cases[i].msg);
	}
}

#define FILE_TENANTS                                                          \
	"{\"version\": 1,"                                                    \
	" \"tenants\": [{\"name\": \"acme\", \"mem\": \"16G\", \"slices\": 2," \
	"   \"weight\": 500},"                                                  \
	"  {\"name\": \"new\", \"compute\": \"800%\"}],"                          \
	" \"slices\": [{\"name\": \"a\", \"dev\": \"zsv0\", \"mem\": \"4G\", \"tenant\": \"new\"}," \
	"  {\"name\": \"b\", \"dev\": \"zsv1\", \"mem\": \"1G\"},"              \
	"  {\"name\": \"c\", \"dev\": \"zsv1\", \"mem\": \"2G\", \"tenant\": \"old\"}]}"

TEST(plan_adds_and_sets_tenants_before_the_slices_they_admit)
{
	struct zsv_tenant_info *tp[] = { &live_tenants[0], &live_tenants[1] };
	struct live lv;
	struct plan p;
	size_t i;

	live_init(&lv);
	slice_tenant(live_slice(&lv, "a", "zsv0", 4 * GiB), "acme");
	slice_tenant(live_slice(&lv, "b", "zsv1", 1 * GiB), "old");
	ASSERT_EQ(0, live_layout(&lv));
	ASSERT_EQ(0, layout_add_live_tenants(&lv.l, tp, 2));
	/* Tenants the file does not name ("old") stay, --prune or not. */
	ASSERT_EQ(0, plan_for(&lv, FILE_TENANTS, LAYOUT_PRUNE, &p))
		TH_LOG("%s", err);
	EXPECT_STREQ("add tenant new mem none slices none compute 800% weight 100\n"
		     "set tenant acme mem 16G weight 500 (was mem 8G weight 100)\n"
		     "set slice b tenant none (was tenant old)\n"
		     "set slice a tenant new (was tenant acme)\n"
		     "create slice c on zsv1 mem 2G mode reserved weight 100 cap 100% timeslice default owner 0 group 0 perm 0600 tenant old\n",
		     plan_text(&p));
	ASSERT_EQ(5, p.nsteps);
	EXPECT_EQ(PLAN_TENANT_CREATE, p.steps[0].op);
	EXPECT_EQ(ZSV_LIMIT_NONE, p.steps[0].tenant.mem_max_bytes);
	EXPECT_EQ(800, p.steps[0].tenant.compute_max);
	/* A weight the file leaves out is the default, sent like the rest. */
	EXPECT_TRUE(p.steps[0].tenant.mask & ZSV_ATTR_BIT(ZSV_A_TENANT_WEIGHT));
	EXPECT_EQ(ZSV_WEIGHT_DEFAULT, p.steps[0].tenant.weight);
	EXPECT_STREQ("tenant new: missing", p.steps[0].diff);
	EXPECT_EQ(PLAN_TENANT_SET, p.steps[1].op);
	EXPECT_EQ(ZSV_ATTR_BIT(ZSV_A_TENANT_MEM_MAX) |
			  ZSV_ATTR_BIT(ZSV_A_TENANT_WEIGHT),
		  p.steps[1].tenant.mask);
	EXPECT_EQ(8 * GiB, p.steps[1].tenant_undo.mem_max_bytes);
	EXPECT_EQ(500, p.steps[1].tenant.weight);
	EXPECT_EQ(ZSV_WEIGHT_DEFAULT, p.steps[1].tenant_undo.weight);
	EXPECT_STREQ("tenant acme: mem is 8G, the file says 16G; weight is 100, the file says 500",
		     p.steps[1].diff);
	/* Leaving a tenant sends "", and its undo the old tenant. */
	EXPECT_STREQ("", p.steps[2].slice.tenant);
	EXPECT_STREQ("old", p.steps[2].slice_undo.tenant);
	/* The steps own their tenant names: the layouts may go first. */
	for (i = 0; i < p.nsteps; i++) {
		if (p.steps[i].slice.mask & ZSV_ATTR_BIT(ZSV_A_SLICE_TENANT))
			EXPECT_TRUE(p.steps[i].slice.tenant ==
				    p.steps[i].slice_tenant);
		if (p.steps[i].slice_undo.mask & ZSV_ATTR_BIT(ZSV_A_SLICE_TENANT))
			EXPECT_TRUE(p.steps[i].slice_undo.tenant ==
				    p.steps[i].slice_tenant_undo);
	}
	EXPECT_STREQ("new", p.steps[3].slice.tenant);
	EXPECT_STREQ("old", p.steps[4].slice.tenant);
	plan_free(&p);
	layout_free(&lv.l);
}

TEST(plan_refuses_a_slice_of_a_tenant_nobody_has)
{
	struct live lv;
	struct plan p;

	live_init(&lv);
	ASSERT_EQ(-EINVAL,
		  plan_for(&lv,
			   "{\"version\": 1, \"slices\": [{\"name\": \"a\", \"dev\": \"zsv0\", \"mem\": \"1G\", \"tenant\": \"ghost\"}]}",
			   0, &p));
	EXPECT_STREQ("slices[0] (a): no tenant named 'ghost', in the file or on the host",
		     err);
	layout_free(&lv.l);
}

TEST_HARNESS_MAIN
