// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the layout files of zsvctl save/apply/assert and the
 * plans between a file and the live state (userspace/zsvctl/layout.c).
 *
 * The input is a file.  layout_parse() must refuse it with a message or
 * read it; what it reads must save (layout_to_json) to a file that reads
 * back to the same layout.  Planned against a fixed live state with every
 * combination of flags, a plan must be refused with a message or come in
 * the order apply runs it, each step with its text, no tenant deleted
 * and every tenant it sends owned by its step; planned against a live
 * state made from the file itself (its tenants included), it must be
 * empty.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json_object.h>

#include "layout.h"
#include "libfuzzer.h"

#define GiB (1ULL << 30)

static struct zsv_dev_info fixed_devs[2] = {
	{ .id = 0, .name = "zsv0", .backend = "sim", .mem_total_bytes = 16 * GiB,
	  .policy = ZSV_POLICY_WEIGHTED, .timeslice_ns = 2000000,
	  .period_ns = 100000000, .oversub_pct = 100 },
	{ .id = 1, .name = "zsv1", .backend = "sim", .mem_total_bytes = 16 * GiB,
	  .policy = ZSV_POLICY_FIXED, .timeslice_ns = 1000000,
	  .period_ns = 50000000, .oversub_pct = 150 },
};

static struct zsv_slice_info fixed_slices[3] = {
	{ .name = "a", .dev_name = "zsv0", .node = "", .mem_bytes = 2 * GiB,
	  .weight = 100, .cap_pct = 100, .node_mode = 0600,
	  .mem_used_bytes = GiB, .tenant = "acme",
	  .present = ZSV_ATTR_BIT(ZSV_A_SLICE_TENANT) },
	{ .name = "b", .dev_name = "zsv1", .node = "", .mem_bytes = GiB,
	  .mem_mode = ZSV_MEM_MODE_SHARED, .weight = 7, .cap_pct = 30,
	  .node_mode = 0660, .contexts = 2 },
	{ .name = "vm", .dev_name = "zsv1", .node = "", .mem_bytes = GiB,
	  .weight = 100, .cap_pct = 100, .node_mode = 0600, .mediated = 1 },
};

static struct zsv_tenant_info fixed_tenants[2] = {
	{ .name = "acme", .mem_max_bytes = 8 * GiB, .slices_max = 2,
	  .compute_max = ZSV_LIMIT_NONE, .weight = ZSV_WEIGHT_DEFAULT },
	{ .name = "idle", .mem_max_bytes = ZSV_LIMIT_NONE,
	  .slices_max = ZSV_LIMIT_NONE, .compute_max = 400, .weight = 300 },
};

static void check_plan(const struct layout *want, const struct layout *live,
		       unsigned int flags)
{
	char err[LAYOUT_ERR_MAX] = "";
	struct plan plan;
	size_t i;
	int ret;

	ret = layout_plan(want, live, flags, &plan, err, sizeof(err));
	if (ret) {
		CHECK(ret == -EINVAL && err[0]);
		CHECK(!plan.nsteps);
		return;
	}
	for (i = 0; i < plan.nsteps; i++) {
		CHECK(plan.steps[i].text[0]);
		CHECK(!i || plan.steps[i - 1].op <= plan.steps[i].op);
		/* mediated slices are never touched */
		CHECK(strcmp(plan.steps[i].name, "vm") ||
		      plan.steps[i].op == PLAN_DEV_SET);
		/* The layouts go before the plan runs. */
		if (plan.steps[i].slice.mask & ZSV_ATTR_BIT(ZSV_A_SLICE_TENANT))
			CHECK(plan.steps[i].slice.tenant ==
			      plan.steps[i].slice_tenant);
		if (plan.steps[i].slice_undo.mask &
		    ZSV_ATTR_BIT(ZSV_A_SLICE_TENANT))
			CHECK(plan.steps[i].slice_undo.tenant ==
			      plan.steps[i].slice_tenant_undo);
		/* A tenant is added only when the host has none of its name. */
		if (plan.steps[i].op == PLAN_TENANT_CREATE)
			for (size_t t = 0; t < live->ntenants; t++)
				CHECK(strcmp(live->tenants[t].name,
					     plan.steps[i].name));
	}
	plan_free(&plan);
}

/* The live state the file describes, on devices big enough for it. */
static void check_self_plan(const struct layout *want)
{
	size_t nd = want->ndevs + want->nslices, ndevs = 0, i, j;
	struct zsv_dev_info *devs = calloc(nd + 1, sizeof(*devs));
	struct zsv_dev_info **devp = calloc(nd + 1, sizeof(*devp));
	struct zsv_slice_info *sl = calloc(want->nslices + 1, sizeof(*sl));
	struct zsv_slice_info **slp = calloc(want->nslices + 1, sizeof(*slp));
	size_t nt = want->ntenants + want->nslices, ntenants = 0;
	struct zsv_tenant_info *tn = calloc(nt + 1, sizeof(*tn));
	struct zsv_tenant_info **tnp = calloc(nt + 1, sizeof(*tnp));
	char err[LAYOUT_ERR_MAX] = "";
	struct layout live;
	struct plan plan;

	CHECK(devs && devp && sl && slp && tn && tnp);
	/* The file's tenants, then those its slices name without limits. */
	for (i = 0; i < nt; i++) {
		const struct layout_tenant *wt =
			i < want->ntenants ? &want->tenants[i] : NULL;
		const char *name = wt ? wt->name :
					want->slices[i - want->ntenants].tenant;

		if (!name[0])
			continue;
		for (j = 0; j < ntenants; j++)
			if (!strcmp(tn[j].name, name))
				break;
		if (j < ntenants)
			continue;
		tn[ntenants] = (struct zsv_tenant_info){
			.id = (uint32_t)ntenants, .name = name,
			.mem_max_bytes = wt ? wt->mem_max_bytes : ZSV_LIMIT_NONE,
			.slices_max = wt ? wt->slices_max : ZSV_LIMIT_NONE,
			.compute_max = wt ? wt->compute_max : ZSV_LIMIT_NONE,
			.weight = wt ? wt->weight : ZSV_WEIGHT_DEFAULT,
		};
		tnp[ntenants] = &tn[ntenants];
		ntenants++;
	}
	for (i = 0; i < nd; i++) {
		const struct layout_dev *wd =
			i < want->ndevs ? &want->devs[i] : NULL;
		const char *name = wd ? wd->name :
					want->slices[i - want->ndevs].dev;

		for (j = 0; j < ndevs; j++)
			if (!strcmp(devs[j].name, name))
				break;
		if (j < ndevs)
			continue;
		devs[ndevs] = (struct zsv_dev_info){
			.id = (uint32_t)ndevs, .name = name, .backend = "sim",
			.mem_total_bytes = UINT64_MAX / 2, .timeslice_ns = 2000000,
			.period_ns = 100000000, .oversub_pct = 10000,
		};
		if (wd) {
			devs[ndevs].policy = wd->policy;
			if (wd->given & (1U << LAYOUT_DEV_TIMESLICE))
				devs[ndevs].timeslice_ns = wd->timeslice_ns;
			if (wd->given & (1U << LAYOUT_DEV_PERIOD))
				devs[ndevs].period_ns = wd->period_ns;
			if (wd->given & (1U << LAYOUT_DEV_OVERSUB))
				devs[ndevs].oversub_pct = wd->oversub_pct;
		}
		devp[ndevs] = &devs[ndevs];
		ndevs++;
	}
	for (i = 0; i < want->nslices; i++) {
		const struct layout_slice *s = &want->slices[i];

		sl[i] = (struct zsv_slice_info){
			.id = (uint32_t)i, .name = s->name, .dev_name = s->dev,
			.node = "", .mem_bytes = s->mem_bytes,
			.mem_mode = s->mem_mode, .weight = s->weight,
			.cap_pct = s->cap_pct, .timeslice_ns = s->timeslice_ns,
			.uid = s->uid, .gid = s->gid, .node_mode = s->node_mode,
			.tenant = s->tenant,
			.present = s->tenant[0] ?
					   ZSV_ATTR_BIT(ZSV_A_SLICE_TENANT) :
					   0,
		};
		slp[i] = &sl[i];
	}
	CHECK(!layout_from_live(devp, ndevs, slp, want->nslices, &live));
	CHECK(!layout_add_live_tenants(&live, tnp, ntenants));
	/* Sums may pass any device: a huge file is refused, never planned. */
	if (!layout_plan(want, &live, LAYOUT_PRUNE, &plan, err, sizeof(err))) {
		CHECK(plan.nsteps == 0);
		plan_free(&plan);
	}
	CHECK(!layout_plan(want, &live, LAYOUT_PRUNE | LAYOUT_ASSERT, &plan,
			   err, sizeof(err)));
	CHECK(plan.nsteps == 0);
	plan_free(&plan);
	layout_free(&live);
	free(devs);
	free(devp);
	free(sl);
	free(slp);
	free(tn);
	free(tnp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zsv_slice_info *slp[3] = { &fixed_slices[0], &fixed_slices[1],
					  &fixed_slices[2] };
	struct zsv_dev_info *devp[2] = { &fixed_devs[0], &fixed_devs[1] };
	struct zsv_tenant_info *tnp[2] = { &fixed_tenants[0],
					   &fixed_tenants[1] };
	char err[LAYOUT_ERR_MAX] = "";
	struct layout want, back, live;
	struct json_object *obj;
	const char *text;
	unsigned int flags;
	size_t i;
	int ret;

	fuzz_text = NULL;
	ret = layout_parse((const char *)data, size, &want, err, sizeof(err));
	if (ret) {
		CHECK(ret == -EINVAL && err[0]);
		CHECK(!want.devs && !want.slices && !want.tenants);
		return 0;
	}

	/* What reads must save and read back the same. */
	obj = layout_to_json(&want);
	CHECK(obj);
	text = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY);
	CHECK(text);
	fuzz_text = text;
	CHECK(!layout_parse(text, strlen(text), &back, err, sizeof(err)));
	CHECK(back.ndevs == want.ndevs && back.nslices == want.nslices &&
	      back.ntenants == want.ntenants);
	for (i = 0; i < want.ntenants; i++)
		CHECK(!memcmp(&back.tenants[i], &want.tenants[i],
			      sizeof(back.tenants[i])));
	for (i = 0; i < want.ndevs; i++)
		CHECK(!memcmp(&back.devs[i], &want.devs[i], sizeof(back.devs[i])));
	for (i = 0; i < want.nslices; i++)
		CHECK(!memcmp(&back.slices[i], &want.slices[i],
			      sizeof(back.slices[i])));
	layout_free(&back);
	json_object_put(obj);
	fuzz_text = NULL;

	CHECK(!layout_from_live(devp, 2, slp, 3, &live));
	CHECK(!layout_add_live_tenants(&live, tnp, 2));
	for (flags = 0; flags < 8; flags++)
		check_plan(&want, &live, flags);
	layout_free(&live);
	check_self_plan(&want);
	layout_free(&want);
	return 0;
}
