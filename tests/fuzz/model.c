// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the fuzzer believes the kernel holds, and the invariants it checks
 * against what the kernel reports.
 *
 * The cache is a full dump, refreshed after every change the fuzzer makes
 * or sees succeed. Nothing else changes pdevs, slices or tenants while it runs (the
 * test VM runs one test at a time), so the cache is exact for everything
 * but usage (mem_used, contexts) and counters, which jobs move on their own.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

struct model model;

void model_refresh(void)
{
	int err = nl_snapshot(&nl_main, &model.cur);

	if (err)
		fz_fail("cannot dump pdevs, slices and tenants: %s",
			errname(err));
}

const struct obj *model_tenant_by_id(uint32_t id)
{
	for (int i = 0; i < model.cur.ntenant; i++)
		if (model.cur.tenant[i].v[ZSV_A_TENANT_ID] == id)
			return &model.cur.tenant[i];
	return NULL;
}

const struct obj *model_tenant_by_name(const char *name)
{
	for (int i = 0; i < model.cur.ntenant; i++)
		if (!strcmp(model.cur.tenant[i].name, name))
			return &model.cur.tenant[i];
	return NULL;
}

bool model_tenant_ours(const struct obj *tenant)
{
	return !strncmp(tenant->name, FZ_PREFIX, 3);
}

const struct obj *model_dev_by_id(uint32_t id)
{
	for (int i = 0; i < model.cur.ndev; i++)
		if (model.cur.dev[i].v[ZSV_A_DEV_ID] == id)
			return &model.cur.dev[i];
	return NULL;
}

const struct obj *model_dev_by_name(const char *name)
{
	for (int i = 0; i < model.cur.ndev; i++)
		if (!strcmp(model.cur.dev[i].name, name))
			return &model.cur.dev[i];
	return NULL;
}

const struct obj *model_slice_by_id(uint32_t id)
{
	for (int i = 0; i < model.cur.nslice; i++)
		if (model.cur.slice[i].v[ZSV_A_SLICE_ID] == id)
			return &model.cur.slice[i];
	return NULL;
}

const struct obj *model_slice_by_name(const char *name)
{
	for (int i = 0; i < model.cur.nslice; i++)
		if (!strcmp(model.cur.slice[i].name, name))
			return &model.cur.slice[i];
	return NULL;
}

/* The slices of the group @group in the model: 0 when there is none. */
int model_group_size(const char *group)
{
	int n = 0;

	for (int i = 0; i < model.cur.nslice; i++)
		n += model.cur.slice[i].has[ZSV_A_SLICE_GROUP] &&
		     !strcmp(model.cur.slice[i].group, group);
	return n;
}

bool model_slice_ours(const struct obj *slice)
{
	uint32_t id = (uint32_t)slice->v[ZSV_A_SLICE_ID];

	return !strncmp(slice->name, FZ_PREFIX, 3) ||
	       (id < (1u << 20) && model.made_slice[id / 8] & (1u << (id % 8)));
}

void model_slice_made(uint32_t id)
{
	if (id < (1u << 20))
		model.made_slice[id / 8] |= (uint8_t)(1u << (id % 8));
}

bool model_owns_dev(uint32_t id)
{
	for (int i = 0; i < model.nowned_dev; i++)
		if (model.owned_dev[i] == id)
			return true;
	return false;
}

/* [a-z0-9][a-z0-9_.-]{0,62}, as uapi/linux/zsv.h states it. */
bool name_valid(const char *s)
{
	size_t len = strlen(s);

	if (!len || len > ZSV_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			  (i && (c == '_' || c == '.' || c == '-'));

		if (!ok)
			return false;
	}
	return true;
}

void model_fresh_name(char *buf, size_t len)
{
	snprintf(buf, len, FZ_PREFIX "%u", model.slice_serial++);
}

/* @pct percent of @bytes, saturating, rounded as the kernel documents. */
uint64_t mem_pct(uint64_t bytes, uint32_t pct)
{
	unsigned __int128 v = (unsigned __int128)(bytes / 100) * pct +
			      (bytes % 100) * pct / 100;

	return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

/* --- keeping the fuzzer's own objects bounded --------------------------- */

static int owned_slices(void)
{
	int n = 0;

	for (int i = 0; i < model.cur.nslice; i++)
		n += model_slice_ours(&model.cur.slice[i]);
	return n;
}

void model_make_room_for_slice(void)
{
	int n = owned_slices(), pick, err;

	if (n < OWNED_SLICES_MAX)
		return;
	pick = (int)rnd_below((uint64_t)n);
	for (int i = 0; i < model.cur.nslice; i++) {
		const char *name = model.cur.slice[i].name;

		if (!model_slice_ours(&model.cur.slice[i]) || pick--)
			continue;
		err = nl_slice_del_id(
			&nl_main,
			(uint32_t)model.cur.slice[i].v[ZSV_A_SLICE_ID], true);
		if (err)
			fz_fail("cannot delete slice %s to make room: %s", name,
				errname(err));
		break;
	}
	model_refresh();
	io_slices_changed();
}

void model_make_room_for_dev(void)
{
	uint32_t id;
	int err;

	if (model.nowned_dev < OWNED_DEVS_MAX)
		return;
	id = model.owned_dev[0];
	/* Its slices first: a pdev with slices cannot go. */
	for (int i = 0; i < model.cur.nslice; i++) {
		if (model.cur.slice[i].v[ZSV_A_SLICE_DEV_ID] != id)
			continue;
		err = nl_slice_del_id(
			&nl_main,
			(uint32_t)model.cur.slice[i].v[ZSV_A_SLICE_ID], true);
		if (err)
			fz_fail("cannot delete slice %s of pdev %u: %s",
				model.cur.slice[i].name, id, errname(err));
	}
	err = nl_dev_del(&nl_main, id);
	if (err && err != -ENODEV)
		fz_fail("cannot delete its own pdev %u: %s", id, errname(err));
	model.nowned_dev--;
	memmove(model.owned_dev, model.owned_dev + 1,
		sizeof(model.owned_dev[0]) * (size_t)model.nowned_dev);
	model_refresh();
	io_slices_changed();
}

/* --- invariants ------------------------------------------------------------ */

/* Counters and usage move on their own; everything else only when told. */
static bool dev_attr_is_counter(int type)
{
	return type == ZSV_A_DEV_BUSY_NS || type == ZSV_A_DEV_JOBS_COMPLETED;
}

/* Reserved headroom keeps back what shared BOs use of the pool. */
static bool dev_attr_is_usage(int type)
{
	return type == ZSV_A_DEV_MEM_USED ||
	       type == ZSV_A_DEV_HEADROOM_RESERVED;
}

static bool slice_attr_is_counter(int type)
{
	switch (type) {
	case ZSV_A_SLICE_MEM_PEAK:
	case ZSV_A_SLICE_QUOTA_HITS:
	case ZSV_A_SLICE_BUSY_NS:
	case ZSV_A_SLICE_JOBS_SUBMITTED:
	case ZSV_A_SLICE_JOBS_COMPLETED:
	case ZSV_A_SLICE_JOBS_FAILED:
	case ZSV_A_SLICE_THROTTLED_NS:
	case ZSV_A_SLICE_CTX_SWITCHES:
	case ZSV_A_SLICE_SHARE_PROMISED_PPM:
	case ZSV_A_SLICE_SHARE_DELIVERED_PPM:
		return true;
	}
	return false;
}

static bool slice_attr_is_usage(int type)
{
	return type == ZSV_A_SLICE_MEM_USED || type == ZSV_A_SLICE_CONTEXTS ||
	       type == ZSV_A_SLICE_VFIO_OPEN;
}

static bool tenant_attr_is_counter(int type)
{
	return type == ZSV_A_TENANT_QUOTA_HITS || type == ZSV_A_TENANT_BUSY_NS;
}

static bool tenant_attr_is_usage(int type)
{
	return type == ZSV_A_TENANT_MEM_USED;
}

enum { OBJ_DEV, OBJ_SLICE, OBJ_TENANT };

static bool obj_same(const struct obj *a, const struct obj *b, int kind,
		     bool usage, char *why, size_t len)
{
	static const char *const what[] = { "pdev", "slice", "tenant" };
	int max = kind == OBJ_DEV   ? ZSV_A_DEV_MAX :
		  kind == OBJ_SLICE ? ZSV_A_SLICE_MAX :
				      ZSV_A_TENANT_MAX;

	if (strcmp(a->name, b->name) || strcmp(a->dev_name, b->dev_name) ||
	    strcmp(a->node, b->node) || strcmp(a->tenant, b->tenant)) {
		snprintf(why, len, "%s '%s' (tenant '%s') became '%s' ('%s')",
			 what[kind], a->name, a->tenant, b->name, b->tenant);
		return false;
	}
	for (int t = 1; t <= max; t++) {
		if (kind == OBJ_DEV   ? dev_attr_is_counter(t) :
		    kind == OBJ_SLICE ? slice_attr_is_counter(t) :
					tenant_attr_is_counter(t))
			continue;
		if (!usage && (kind == OBJ_DEV	 ? dev_attr_is_usage(t) :
			       kind == OBJ_SLICE ? slice_attr_is_usage(t) :
						   tenant_attr_is_usage(t)))
			continue;
		if (a->has[t] != b->has[t] || a->v[t] != b->v[t]) {
			snprintf(why, len,
				 "%s %s: attribute %d went from %llu to %llu",
				 what[kind], a->name, t,
				 (unsigned long long)a->v[t],
				 (unsigned long long)b->v[t]);
			return false;
		}
	}
	return true;
}

bool snapshot_same(const struct snapshot *a, const struct snapshot *b,
		   bool usage, char *why, size_t len)
{
	if (a->ndev != b->ndev) {
		snprintf(why, len, "%d pdevs became %d", a->ndev, b->ndev);
		return false;
	}
	if (a->nslice != b->nslice) {
		snprintf(why, len, "%d slices became %d", a->nslice, b->nslice);
		return false;
	}
	if (a->ntenant != b->ntenant) {
		snprintf(why, len, "%d tenants became %d", a->ntenant,
			 b->ntenant);
		return false;
	}
	/* Dumps list objects by id, so the orders agree. */
	for (int i = 0; i < a->ndev; i++)
		if (!obj_same(&a->dev[i], &b->dev[i], OBJ_DEV, usage, why,
			      len))
			return false;
	for (int i = 0; i < a->nslice; i++)
		if (!obj_same(&a->slice[i], &b->slice[i], OBJ_SLICE, usage, why,
			      len))
			return false;
	for (int i = 0; i < a->ntenant; i++)
		if (!obj_same(&a->tenant[i], &b->tenant[i], OBJ_TENANT, usage,
			      why, len))
			return false;
	return true;
}

static const struct obj *tenant_of(const struct snapshot *s, const char *name)
{
	for (int i = 0; i < s->ntenant; i++)
		if (!strcmp(s->tenant[i].name, name))
			return &s->tenant[i];
	return NULL;
}

static uint64_t engines_of(const struct snapshot *s, uint64_t dev_id)
{
	for (int d = 0; d < s->ndev; d++)
		if (s->dev[d].v[ZSV_A_DEV_ID] == dev_id)
			return s->dev[d].v[ZSV_A_DEV_ENGINES];
	return 0;
}

/*
 * Each tenant's usage is the sum over its slices: partitions, slices,
 * cap x engines, and (settling, like the pdevs') the bytes they use.
 * Limits may be below the usage (lowered later), so they bound nothing
 * here; admission is judged request by request (nlrules.c).
 */
static bool tenants_consistent(const struct snapshot *s, char *why, size_t len,
			       bool *settling)
{
	for (int i = 0; i < s->ntenant; i++) {
		const struct obj *tn = &s->tenant[i];
		const uint64_t *v = tn->v;
		uint64_t mem = 0, slices = 0, compute = 0, used = 0;

		for (int t = ZSV_A_TENANT_ID; t <= ZSV_A_TENANT_MAX; t++) {
			if (!tn->has[t]) {
				snprintf(why, len,
					 "tenant %s lacks attribute %d",
					 tn->name, t);
				return false;
			}
		}
		for (int j = 0; j < s->nslice; j++) {
			const struct obj *sl = &s->slice[j];

			if (!sl->has[ZSV_A_SLICE_TENANT] ||
			    strcmp(sl->tenant, tn->name))
				continue;
			mem += sl->v[ZSV_A_SLICE_MEM_BYTES];
			slices++;
			compute += sl->v[ZSV_A_SLICE_CAP_PCT] *
				   engines_of(s, sl->v[ZSV_A_SLICE_DEV_ID]);
			used += sl->v[ZSV_A_SLICE_MEM_USED];
		}
		if (!name_valid(tn->name))
			snprintf(why, len, "tenant '%s' has a bad name",
				 tn->name);
		else if (v[ZSV_A_TENANT_WEIGHT] < ZSV_WEIGHT_MIN ||
			 v[ZSV_A_TENANT_WEIGHT] > ZSV_WEIGHT_MAX)
			snprintf(why, len, "tenant %s has weight %llu",
				 tn->name,
				 (unsigned long long)v[ZSV_A_TENANT_WEIGHT]);
		else if (mem != v[ZSV_A_TENANT_MEM] ||
			 slices != v[ZSV_A_TENANT_SLICES] ||
			 compute != v[ZSV_A_TENANT_COMPUTE])
			snprintf(why, len,
				 "tenant %s: its slices sum to %llu bytes, %llu slices, compute %llu; it says %llu, %llu, %llu",
				 tn->name, (unsigned long long)mem,
				 (unsigned long long)slices,
				 (unsigned long long)compute,
				 (unsigned long long)v[ZSV_A_TENANT_MEM],
				 (unsigned long long)v[ZSV_A_TENANT_SLICES],
				 (unsigned long long)v[ZSV_A_TENANT_COMPUTE]);
		else if (used != v[ZSV_A_TENANT_MEM_USED] && (*settling = true))
			snprintf(why, len,
				 "tenant %s: its slices use %llu, mem-used is %llu",
				 tn->name, (unsigned long long)used,
				 (unsigned long long)v[ZSV_A_TENANT_MEM_USED]);
		else
			continue;
		return false;
	}
	return true;
}

/*
 * The sums and ranges over one snapshot; the first broken one in @why.
 * @settling is set when only usage is off, which jobs still settle.
 */
static bool snapshot_consistent(const struct snapshot *s, char *why, size_t len,
				bool *settling)
{
	*settling = false;
	for (int d = 0; d < s->ndev; d++) {
		const struct obj *dev = &s->dev[d];
		const uint64_t *v = dev->v;
		uint64_t total = v[ZSV_A_DEV_MEM_TOTAL];
		uint64_t reserved = 0, shared = 0, used = 0, pool;
		uint32_t count = 0;

		for (int t = ZSV_A_DEV_ID; t <= ZSV_A_DEV_MAX; t++) {
			if (!dev->has[t]) {
				snprintf(why, len, "pdev %s lacks attribute %d",
					 dev->name, t);
				return false;
			}
		}
		for (int i = 0; i < s->nslice; i++) {
			const uint64_t *sv = s->slice[i].v;

			if (sv[ZSV_A_SLICE_DEV_ID] != v[ZSV_A_DEV_ID])
				continue;
			count++;
			if (sv[ZSV_A_SLICE_MEM_MODE] == ZSV_MEM_MODE_RESERVED)
				reserved += sv[ZSV_A_SLICE_MEM_BYTES];
			else
				shared += sv[ZSV_A_SLICE_MEM_BYTES];
			used += sv[ZSV_A_SLICE_MEM_USED];
		}
		pool = total - v[ZSV_A_DEV_MEM_RESERVED];
		if (v[ZSV_A_DEV_MEM_RESERVED] > total)
			snprintf(why, len,
				 "pdev %s: mem-reserved %llu > mem-total %llu",
				 dev->name,
				 (unsigned long long)v[ZSV_A_DEV_MEM_RESERVED],
				 (unsigned long long)total);
		else if (reserved != v[ZSV_A_DEV_MEM_RESERVED])
			snprintf(
				why, len,
				"pdev %s: reserved slices sum to %llu, mem-reserved is %llu",
				dev->name, (unsigned long long)reserved,
				(unsigned long long)v[ZSV_A_DEV_MEM_RESERVED]);
		else if (shared != v[ZSV_A_DEV_MEM_SHARED])
			snprintf(
				why, len,
				"pdev %s: shared quotas sum to %llu, mem-shared is %llu",
				dev->name, (unsigned long long)shared,
				(unsigned long long)v[ZSV_A_DEV_MEM_SHARED]);
		else if (shared >
			 mem_pct(pool, (uint32_t)v[ZSV_A_DEV_OVERSUB_PCT]))
			snprintf(
				why, len,
				"pdev %s: shared quotas %llu exceed the pool %llu at %llu%%",
				dev->name, (unsigned long long)shared,
				(unsigned long long)pool,
				(unsigned long long)v[ZSV_A_DEV_OVERSUB_PCT]);
		else if (v[ZSV_A_DEV_HEADROOM_SHARED] !=
			 mem_pct(pool, (uint32_t)v[ZSV_A_DEV_OVERSUB_PCT]) -
				 shared)
			snprintf(why, len,
				 "pdev %s: shared headroom %llu, not the pool's limit less %llu",
				 dev->name,
				 (unsigned long long)v[ZSV_A_DEV_HEADROOM_SHARED],
				 (unsigned long long)shared);
		else if (v[ZSV_A_DEV_HEADROOM_RESERVED] > pool ||
			 v[ZSV_A_DEV_HEADROOM_ENGINE_PCT] > ZSV_CAP_PCT_MAX)
			snprintf(why, len,
				 "pdev %s: reserved headroom %llu past the pool %llu, or engine headroom %llu%%",
				 dev->name,
				 (unsigned long long)v[ZSV_A_DEV_HEADROOM_RESERVED],
				 (unsigned long long)pool,
				 (unsigned long long)v[ZSV_A_DEV_HEADROOM_ENGINE_PCT]);
		else if (used != v[ZSV_A_DEV_MEM_USED] && (*settling = true))
			snprintf(why, len,
				 "pdev %s: slices use %llu, mem-used is %llu",
				 dev->name, (unsigned long long)used,
				 (unsigned long long)v[ZSV_A_DEV_MEM_USED]);
		else if (count != v[ZSV_A_DEV_SLICE_COUNT])
			snprintf(why, len,
				 "pdev %s: %u slices, slice-count is %llu",
				 dev->name, count,
				 (unsigned long long)v[ZSV_A_DEV_SLICE_COUNT]);
		else if (v[ZSV_A_DEV_POLICY] > ZSV_POLICY_MAX ||
			 v[ZSV_A_DEV_TIMESLICE_NS] < ZSV_TIMESLICE_MIN_NS ||
			 v[ZSV_A_DEV_TIMESLICE_NS] > ZSV_TIMESLICE_MAX_NS ||
			 v[ZSV_A_DEV_PERIOD_NS] < ZSV_PERIOD_MIN_NS ||
			 v[ZSV_A_DEV_PERIOD_NS] > ZSV_PERIOD_MAX_NS ||
			 v[ZSV_A_DEV_PERIOD_NS] < v[ZSV_A_DEV_TIMESLICE_NS] ||
			 v[ZSV_A_DEV_OVERSUB_PCT] < ZSV_OVERSUB_PCT_MIN ||
			 v[ZSV_A_DEV_OVERSUB_PCT] > ZSV_OVERSUB_PCT_MAX)
			snprintf(
				why, len,
				"pdev %s: a setting is out of range (policy %llu, timeslice %llu, period %llu, oversub %llu)",
				dev->name,
				(unsigned long long)v[ZSV_A_DEV_POLICY],
				(unsigned long long)v[ZSV_A_DEV_TIMESLICE_NS],
				(unsigned long long)v[ZSV_A_DEV_PERIOD_NS],
				(unsigned long long)v[ZSV_A_DEV_OVERSUB_PCT]);
		else
			continue;
		return false;
	}

	for (int i = 0; i < s->nslice; i++) {
		const struct obj *sl = &s->slice[i];
		const uint64_t *v = sl->v;
		char node[sizeof(sl->node)];
		bool dev_found = false;

		for (int t = ZSV_A_SLICE_ID; t <= ZSV_A_SLICE_MAX; t++) {
			/*
			 * Request-only: force, placement, backend, count,
			 * distinct; tenant and group only when the slice
			 * has one.
			 */
			if (!sl->has[t] && t != ZSV_A_SLICE_FORCE &&
			    t != ZSV_A_SLICE_PLACEMENT &&
			    t != ZSV_A_SLICE_BACKEND &&
			    t != ZSV_A_SLICE_TENANT &&
			    t != ZSV_A_SLICE_GROUP &&
			    t != ZSV_A_SLICE_COUNT &&
			    t != ZSV_A_SLICE_DISTINCT) {
				snprintf(why, len,
					 "slice %s lacks attribute %d",
					 sl->name, t);
				return false;
			}
		}
		for (int d = 0; d < s->ndev; d++)
			dev_found |= s->dev[d].v[ZSV_A_DEV_ID] ==
					     v[ZSV_A_SLICE_DEV_ID] &&
				     !strcmp(s->dev[d].name, sl->dev_name);
		snprintf(node, sizeof(node), "/dev/zsv/%s", sl->name);
		if (v[ZSV_A_SLICE_MEM_USED] > v[ZSV_A_SLICE_MEM_BYTES])
			snprintf(why, len, "slice %s uses %llu of %llu bytes",
				 sl->name,
				 (unsigned long long)v[ZSV_A_SLICE_MEM_USED],
				 (unsigned long long)v[ZSV_A_SLICE_MEM_BYTES]);
		else if (!dev_found)
			snprintf(
				why, len,
				"slice %s names pdev %llu '%s', which is not there",
				sl->name,
				(unsigned long long)v[ZSV_A_SLICE_DEV_ID],
				sl->dev_name);
		else if (!name_valid(sl->name) || strcmp(node, sl->node))
			snprintf(why, len, "slice '%s' has node '%s'", sl->name,
				 sl->node);
		else if (!v[ZSV_A_SLICE_MEM_BYTES] ||
			 v[ZSV_A_SLICE_MEM_MODE] > ZSV_MEM_MODE_MAX ||
			 v[ZSV_A_SLICE_WEIGHT] < ZSV_WEIGHT_MIN ||
			 v[ZSV_A_SLICE_WEIGHT] > ZSV_WEIGHT_MAX ||
			 !v[ZSV_A_SLICE_CAP_PCT] ||
			 v[ZSV_A_SLICE_CAP_PCT] > ZSV_CAP_PCT_MAX ||
			 (v[ZSV_A_SLICE_TIMESLICE_NS] &&
			  (v[ZSV_A_SLICE_TIMESLICE_NS] < ZSV_TIMESLICE_MIN_NS ||
			   v[ZSV_A_SLICE_TIMESLICE_NS] >
				   ZSV_TIMESLICE_MAX_NS)) ||
			 v[ZSV_A_SLICE_NODE_MODE] > 0777 ||
			 v[ZSV_A_SLICE_UID] == UINT32_MAX ||
			 v[ZSV_A_SLICE_GID] == UINT32_MAX)
			snprintf(why, len,
				 "slice %s: a setting is out of range",
				 sl->name);
		else if (v[ZSV_A_SLICE_MEDIATED] > 1 ||
			 v[ZSV_A_SLICE_VFIO_OPEN] > v[ZSV_A_SLICE_MEDIATED])
			snprintf(why, len, "slice %s: mediated %llu, vfio_open %llu",
				 sl->name,
				 (unsigned long long)v[ZSV_A_SLICE_MEDIATED],
				 (unsigned long long)v[ZSV_A_SLICE_VFIO_OPEN]);
		else if (v[ZSV_A_SLICE_SHARE_PROMISED_PPM] > 1000000)
			snprintf(why, len, "slice %s is promised %llu ppm",
				 sl->name,
				 (unsigned long long)
					 v[ZSV_A_SLICE_SHARE_PROMISED_PPM]);
		else if (sl->has[ZSV_A_SLICE_TENANT] &&
			 !tenant_of(s, sl->tenant))
			snprintf(why, len, "slice %s is in tenant '%s', which is not there",
				 sl->name, sl->tenant);
		else
			continue;
		return false;
	}
	return tenants_consistent(s, why, len, settling);
}

/*
 * A slice's node is a character device of the slice's minor with its
 * owner and mode; devtmpfs makes a node asked for with mode 0 as 0600, so
 * zsv gives such a node to root, which keeps everyone else out.
 */
static bool node_matches(const struct stat *st, const struct obj *sl)
{
	unsigned int mode = st->st_mode & 07777;
	bool locked = !sl->v[ZSV_A_SLICE_NODE_MODE];

	if (!S_ISCHR(st->st_mode) ||
	    minor(st->st_rdev) != sl->v[ZSV_A_SLICE_ID])
		return false;
	if (locked)
		return (!mode || mode == 0600) && !st->st_uid && !st->st_gid;
	return mode == sl->v[ZSV_A_SLICE_NODE_MODE] &&
	       st->st_uid == sl->v[ZSV_A_SLICE_UID] &&
	       st->st_gid == sl->v[ZSV_A_SLICE_GID];
}

/* Each slice's node, and no node without a slice. */
static bool nodes_consistent(const struct snapshot *s, char *why, size_t len)
{
	struct dirent *de;
	struct stat st;
	DIR *dir;

	for (int i = 0; i < s->nslice; i++) {
		const struct obj *sl = &s->slice[i];

		if (stat(sl->node, &st)) {
			snprintf(why, len, "slice %s has no node %s: %m",
				 sl->name, sl->node);
			return false;
		}
		if (!node_matches(&st, sl)) {
			snprintf(
				why, len,
				"node %s is %o %u:%u minor %u, the slice says %llo %llu:%llu id %llu",
				sl->node, st.st_mode, st.st_uid, st.st_gid,
				minor(st.st_rdev),
				(unsigned long long)sl->v[ZSV_A_SLICE_NODE_MODE],
				(unsigned long long)sl->v[ZSV_A_SLICE_UID],
				(unsigned long long)sl->v[ZSV_A_SLICE_GID],
				(unsigned long long)sl->v[ZSV_A_SLICE_ID]);
			return false;
		}
	}
	/* No node outlives its slice. */
	dir = opendir("/dev/zsv");
	if (!dir)
		return true;
	while ((de = readdir(dir))) {
		bool found = false;

		if (de->d_name[0] == '.')
			continue;
		for (int i = 0; i < s->nslice; i++)
			found |= !strcmp(s->slice[i].name, de->d_name);
		if (!found) {
			snprintf(why, len, "/dev/zsv/%.64s has no slice",
				 de->d_name);
			closedir(dir);
			return false;
		}
	}
	closedir(dir);
	return true;
}

/*
 * Usage settles on its own: a job that still pins a destroyed BO holds its
 * bytes on the pdev (and, for a slice just deleted by force, off every
 * slice) until it stops. So a snapshot is judged until it holds, for up
 * to a few seconds, and only the last one counts.
 */
bool model_check_invariants(const char *when)
{
	static struct snapshot s;
	bool settling = true;
	char why[256] = "";
	int err;

	run.count[CAT_CHECK]++;
	for (int tries = 0; tries < 100 && settling; tries++) {
		err = nl_snapshot(&nl_main, &s);
		if (err) {
			snprintf(why, sizeof(why), "cannot dump: %s",
				 errname(err));
		} else if (snapshot_consistent(&s, why, sizeof(why),
					       &settling) &&
			   nodes_consistent(&s, why, sizeof(why))) {
			run.ok[CAT_CHECK]++;
			return true;
		}
		if (settling)
			usleep(tries < 10 ? 2000 : 50000);
	}
	fz_fail("invariant broken %s: %s", when, why);
	return false;
}
