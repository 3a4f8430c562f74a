// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-fuzz's netlink requests: a mostly valid request for a command, built
 * attribute by attribute from values at and past the uapi's limits and
 * names of the model's objects, then mutated: wrong widths and lengths,
 * unknown, foreign, duplicate and missing attributes, NLA_F_NESTED and
 * nested blobs, huge and unterminated strings, lying nla_len, new order.
 */
#include <stdio.h>
#include <string.h>

#include "nlfuzz.h"

#define GA_MAX 24
#define GA_DATA_MAX 9000

struct gattr {
	uint16_t type; /* with NLA_F_* flags */
	int len_field; /* nla_len to claim, or -1 for the real one */
	size_t len;
	uint8_t data[GA_DATA_MAX];
};

static struct gattr ga[GA_MAX];
static int nga;

static struct gattr *ga_add(uint16_t type)
{
	struct gattr *a;

	if (nga == GA_MAX)
		return NULL;
	a = &ga[nga++];
	a->type = type;
	a->len_field = -1;
	a->len = 0;
	return a;
}

static void ga_u32(uint16_t type, uint32_t v)
{
	struct gattr *a = ga_add(type);

	if (a) {
		memcpy(a->data, &v, 4);
		a->len = 4;
	}
}

static void ga_u64(uint16_t type, uint64_t v)
{
	struct gattr *a = ga_add(type);

	if (a) {
		memcpy(a->data, &v, 8);
		a->len = 8;
	}
}

static void ga_u8(uint16_t type, uint8_t v)
{
	struct gattr *a = ga_add(type);

	if (a) {
		a->data[0] = v;
		a->len = 1;
	}
}

static void ga_str(uint16_t type, const char *s)
{
	struct gattr *a = ga_add(type);
	size_t len = strlen(s) + 1;

	if (a) {
		if (len > GA_DATA_MAX)
			len = GA_DATA_MAX;
		memcpy(a->data, s, len);
		a->len = len;
	}
}

static uint32_t u32_boundary(void)
{
	return PICK(0u, 1u, 2u, 0x7fffffffu, 0x80000000u, UINT32_MAX,
		    UINT32_MAX - 1, (uint32_t)rnd());
}

static uint64_t u64_boundary(void)
{
	return PICK(0ull, 1ull, 4095ull, 4096ull, 1ull << 32, 1ull << 40,
		    1ull << 63, (1ull << 63) - 1, UINT64_MAX, UINT64_MAX - 4095,
		    rnd());
}

static uint32_t max_dev_id(void)
{
	uint32_t max = 0;

	for (int i = 0; i < model.cur.ndev; i++)
		if (model.cur.dev[i].v[ZSV_A_DEV_ID] > max)
			max = (uint32_t)model.cur.dev[i].v[ZSV_A_DEV_ID];
	return max;
}

static const struct obj *rnd_dev(bool prefer_owned)
{
	if (prefer_owned && model.nowned_dev && chance(80)) {
		const struct obj *d = model_dev_by_id(
			model.owned_dev[rnd_below((uint64_t)model.nowned_dev)]);

		if (d)
			return d;
	}
	if (!model.cur.ndev)
		return NULL;
	return &model.cur.dev[rnd_below((uint64_t)model.cur.ndev)];
}

static const struct obj *rnd_slice(bool fz_only)
{
	int n = 0, pick;

	for (int i = 0; i < model.cur.nslice; i++)
		n += !fz_only || model_slice_ours(&model.cur.slice[i]);
	if (!n)
		return NULL;
	pick = (int)rnd_below((uint64_t)n);
	for (int i = 0; i < model.cur.nslice; i++) {
		if (fz_only && !model_slice_ours(&model.cur.slice[i]))
			continue;
		if (!pick--)
			return &model.cur.slice[i];
	}
	return NULL;
}

static uint32_t pick_dev_id(bool prefer_owned)
{
	const struct obj *d;

	switch (rnd_below(8)) {
	case 0 ... 4:
		d = rnd_dev(prefer_owned);
		if (d)
			return (uint32_t)d->v[ZSV_A_DEV_ID];
		/* fall through */
	case 5:
		return max_dev_id() + 1 + (uint32_t)rnd_below(3);
	default:
		return u32_boundary();
	}
}

/* Names that break the rules, one way each. */
static const char *const bad_names[] = {
	"",
	"A",
	"-fz",
	".fz",
	"_fz",
	"fz a",
	"fz/a",
	"fz\xc3\xa4",
	"FZ-a",
	".",
	"..",
	"fz\n",
	"fz\t1",
	"fz*",
	"zsv0 ",
	" zsv0",
	/* 64 characters: one too many */
	"fz-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
};

static void pick_dev_name(char *buf, size_t len, bool prefer_owned)
{
	const struct obj *d;

	switch (rnd_below(8)) {
	case 0 ... 4:
		d = rnd_dev(prefer_owned);
		if (d) {
			snprintf(buf, len, "%s", d->name);
			return;
		}
		/* fall through */
	case 5:
		snprintf(buf, len, "zsv%u",
			 max_dev_id() + 1 + (uint32_t)rnd_below(50));
		return;
	default:
		snprintf(buf, len, "%s",
			 bad_names[rnd_below(ARRAY_SIZE(bad_names))]);
	}
}

static void pick_slice_name(char *buf, size_t len, bool fresh)
{
	const struct obj *s;
	unsigned int r = (unsigned int)rnd_below(10);

	if (fresh && r < 7) {
		model_fresh_name(buf, len);
		return;
	}
	if (r < 8 || (fresh && r < 9)) {
		s = rnd_slice(!chance(10));
		if (s) {
			snprintf(buf, len, "%s", s->name);
			return;
		}
		model_fresh_name(buf, len);
		return;
	}
	if (chance(30)) {
		/* the longest valid name */
		snprintf(buf, len, FZ_PREFIX "%060u",
			 (unsigned int)rnd_below(1000));
		return;
	}
	snprintf(buf, len, "%s", bad_names[rnd_below(ARRAY_SIZE(bad_names))]);
}

static uint32_t pick_slice_id(void)
{
	const struct obj *s;

	if (chance(70)) {
		s = rnd_slice(!chance(10));
		if (s)
			return (uint32_t)s->v[ZSV_A_SLICE_ID];
	}
	return u32_boundary();
}

static void ga_dev_selector(bool prefer_owned)
{
	char name[128];

	switch (rnd_below(10)) {
	case 0 ... 3:
		pick_dev_name(name, sizeof(name), prefer_owned);
		ga_str(ZSV_A_DEV_NAME, name);
		break;
	case 4 ... 6:
		ga_u32(ZSV_A_DEV_ID, pick_dev_id(prefer_owned));
		break;
	case 7 ... 8:
		ga_u32(ZSV_A_DEV_ID, pick_dev_id(prefer_owned));
		pick_dev_name(name, sizeof(name), prefer_owned);
		ga_str(ZSV_A_DEV_NAME, name);
		break;
	default:
		break; /* none */
	}
}

/* A slice's pdev, for slice-new and slice dumps. */
static void ga_slice_dev(void)
{
	char name[128];

	switch (rnd_below(10)) {
	case 0 ... 4:
		pick_dev_name(name, sizeof(name), false);
		ga_str(ZSV_A_SLICE_DEV_NAME, name);
		break;
	case 5 ... 7:
		ga_u32(ZSV_A_SLICE_DEV_ID, pick_dev_id(false));
		break;
	case 8:
		ga_u32(ZSV_A_SLICE_DEV_ID, pick_dev_id(false));
		pick_dev_name(name, sizeof(name), false);
		ga_str(ZSV_A_SLICE_DEV_NAME, name);
		break;
	default:
		break;
	}
}

static void ga_slice_selector(void)
{
	char name[128];

	switch (rnd_below(10)) {
	case 0 ... 4:
		pick_slice_name(name, sizeof(name), false);
		ga_str(ZSV_A_SLICE_NAME, name);
		break;
	case 5 ... 7:
		ga_u32(ZSV_A_SLICE_ID, pick_slice_id());
		break;
	case 8:
		ga_u32(ZSV_A_SLICE_ID, pick_slice_id());
		pick_slice_name(name, sizeof(name), false);
		ga_str(ZSV_A_SLICE_NAME, name);
		break;
	default:
		break;
	}
}

static uint64_t pick_mem(void)
{
	if (chance(60))
		return (1 + rnd_below(64)) << (chance(50) ? 20 : 12);
	return PICK(0ull, 1ull, 4095ull, 4096ull, 1ull << 30, 16ull << 30,
		    (16ull << 30) + 1, 17ull << 30, 1ull << 40, UINT64_MAX,
		    rnd());
}

static uint64_t pick_timeslice(bool slice)
{
	if (chance(50))
		return slice && chance(30) ?
			       0 :
			       ZSV_TIMESLICE_MIN_NS + rnd_below(5000000);
	return PICK(0ull, ZSV_TIMESLICE_MIN_NS - 1, ZSV_TIMESLICE_MIN_NS,
		    ZSV_TIMESLICE_MAX_NS, ZSV_TIMESLICE_MAX_NS + 1, UINT64_MAX,
		    rnd());
}

static uint64_t pick_period(void)
{
	if (chance(50))
		return ZSV_PERIOD_MIN_NS + rnd_below(200000000);
	return PICK(0ull, ZSV_PERIOD_MIN_NS - 1, ZSV_PERIOD_MIN_NS,
		    ZSV_PERIOD_MAX_NS, ZSV_PERIOD_MAX_NS + 1, UINT64_MAX,
		    rnd());
}

static uint32_t pick_id(void)
{
	return PICK(0u, 0u, run.uid, run.gid, 1000u, 65534u, UINT32_MAX - 1,
		    UINT32_MAX, (uint32_t)rnd());
}

/* Each optional setting of a slice, each with probability @pct. */
static void ga_slice_settings(unsigned int pct, bool mode)
{
	if (chance(pct))
		ga_u32(ZSV_A_SLICE_WEIGHT,
		       chance(50) ? 1 + (uint32_t)rnd_below(ZSV_WEIGHT_MAX) :
				    PICK(0u, 1u, ZSV_WEIGHT_MAX,
					 ZSV_WEIGHT_MAX + 1, UINT32_MAX));
	if (chance(pct))
		ga_u32(ZSV_A_SLICE_CAP_PCT,
		       chance(50) ? 1 + (uint32_t)rnd_below(ZSV_CAP_PCT_MAX) :
				    PICK(0u, 1u, ZSV_CAP_PCT_MAX,
					 ZSV_CAP_PCT_MAX + 1, UINT32_MAX));
	if (chance(pct))
		ga_u64(ZSV_A_SLICE_TIMESLICE_NS, pick_timeslice(true));
	if (chance(pct / 2))
		ga_u32(ZSV_A_SLICE_UID, pick_id());
	if (chance(pct / 2))
		ga_u32(ZSV_A_SLICE_GID, pick_id());
	if (chance(pct))
		ga_u32(ZSV_A_SLICE_NODE_MODE,
		       PICK(0600u, 0660u, 0666u, 0644u, 0u, 0777u, 01000u,
			    04755u, UINT32_MAX));
	if (mode && chance(pct))
		ga_u32(ZSV_A_SLICE_MEM_MODE, PICK(0u, 1u, 1u, 2u, UINT32_MAX));
}

/*
 * A tenant's name: mostly one of a few of its own (so that they stay few
 * and slices meet them), now and then the model's, a foreign or bad one.
 */
static void pick_tenant_name(char *buf, size_t len)
{
	switch (rnd_below(10)) {
	case 0 ... 6:
		snprintf(buf, len, FZ_PREFIX "t%u", (unsigned int)rnd_below(5));
		return;
	case 7:
		if (model.cur.ntenant) {
			snprintf(buf, len, "%s",
				 model.cur.tenant[rnd_below(
							  (uint64_t)model.cur
								  .ntenant)]
					 .name);
			return;
		}
		/* fall through */
	case 8:
		snprintf(buf, len, "%s",
			 PICK("tenant", FZ_PREFIX
			      "t-nobody", FZ_PREFIX
			      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
		return;
	default:
		snprintf(buf, len, "%s",
			 bad_names[rnd_below(ARRAY_SIZE(bad_names))]);
	}
}

static uint32_t pick_tenant_id(void)
{
	if (model.cur.ntenant && chance(70))
		return (uint32_t)model.cur
			.tenant[rnd_below((uint64_t)model.cur.ntenant)]
			.v[ZSV_A_TENANT_ID];
	return u32_boundary();
}

static void ga_tenant_selector(void)
{
	char name[128];

	switch (rnd_below(10)) {
	case 0 ... 5:
		pick_tenant_name(name, sizeof(name));
		ga_str(ZSV_A_TENANT_NAME, name);
		break;
	case 6 ... 7:
		ga_u32(ZSV_A_TENANT_ID, pick_tenant_id());
		break;
	case 8:
		ga_u32(ZSV_A_TENANT_ID, pick_tenant_id());
		pick_tenant_name(name, sizeof(name));
		ga_str(ZSV_A_TENANT_NAME, name);
		break;
	default:
		break;
	}
}

/*
 * Limits near what the fuzzer's slices ask for, so that they bite, and a
 * weight, in range or at and past its ends.
 */
static void ga_tenant_limits(unsigned int pct)
{
	if (chance(pct))
		ga_u32(ZSV_A_TENANT_WEIGHT,
		       chance(50) ? 1 + (uint32_t)rnd_below(ZSV_WEIGHT_MAX) :
				    PICK(0u, 1u, ZSV_WEIGHT_MAX,
					 ZSV_WEIGHT_MAX + 1, UINT32_MAX));
	if (chance(pct))
		ga_u64(ZSV_A_TENANT_MEM_MAX,
		       chance(60) ? (1 + rnd_below(256)) << 20 :
				    PICK(0ull, 1ull, ZSV_LIMIT_NONE,
					 ZSV_LIMIT_NONE - 1, 16ull << 30,
					 u64_boundary()));
	if (chance(pct))
		ga_u64(ZSV_A_TENANT_SLICES_MAX,
		       chance(60) ? rnd_below(6) :
				    PICK(0ull, ZSV_LIMIT_NONE, u64_boundary()));
	if (chance(pct))
		ga_u64(ZSV_A_TENANT_COMPUTE_MAX,
		       chance(60) ? rnd_below(1000) :
				    PICK(0ull, 100ull, 400ull, ZSV_LIMIT_NONE,
					 u64_boundary()));
}

/* Now and then, a slice request's tenant: "" is none. */
static void ga_slice_tenant(unsigned int pct)
{
	char name[128];

	if (!chance(pct))
		return;
	if (chance(15)) {
		ga_str(ZSV_A_SLICE_TENANT, "");
		return;
	}
	pick_tenant_name(name, sizeof(name));
	ga_str(ZSV_A_SLICE_TENANT, name);
}

/*
 * A group's name: mostly one of the model's groups or a fresh short one
 * of its own, now and then one too long for "-<n>" or not a name.
 */
static void pick_group_name(char *buf, size_t len)
{
	const struct obj *s;

	switch (rnd_below(10)) {
	case 0 ... 2:
		s = rnd_slice(true);
		if (s && s->has[ZSV_A_SLICE_GROUP]) {
			snprintf(buf, len, "%s", s->group);
			return;
		}
		/* fall through */
	case 3 ... 7:
		snprintf(buf, len, FZ_PREFIX "g%u", (unsigned int)rnd_below(50));
		return;
	case 8:
		/* 62 bytes: no room for "-0" */
		snprintf(buf, len, FZ_PREFIX "%059u",
			 (unsigned int)rnd_below(1000));
		return;
	default:
		snprintf(buf, len, "%s", PICK("", "G", "fz g", "-fz"));
		return;
	}
}

/* A mostly valid request for @cmd, into ga[]. */
void gen_template(uint8_t cmd, bool dump)
{
	char name[128];

	nga = 0;
	switch (cmd) {
	case ZSV_CMD_DEV_GET:
		if (!dump || chance(5))
			ga_dev_selector(false);
		break;
	case ZSV_CMD_DEV_SET:
		ga_dev_selector(true);
		if (chance(50))
			ga_u32(ZSV_A_DEV_POLICY,
			       chance(70) ? (uint32_t)rnd_below(3) :
					    u32_boundary());
		if (chance(50))
			ga_u64(ZSV_A_DEV_TIMESLICE_NS, pick_timeslice(false));
		if (chance(50))
			ga_u64(ZSV_A_DEV_PERIOD_NS, pick_period());
		if (chance(50))
			ga_u32(ZSV_A_DEV_OVERSUB_PCT,
			       chance(50) ? 100 + (uint32_t)rnd_below(400) :
					    PICK(0u, 99u, 100u, 10000u, 10001u,
						 UINT32_MAX));
		break;
	case ZSV_CMD_DEV_NEW:
		if (chance(70))
			ga_str(ZSV_A_DEV_BACKEND,
			       chance(80) ?
				       "sim" :
				       PICK("", "SIM", "sim0", "vfio", "sim ",
					    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
		if (chance(90))
			ga_u64(ZSV_A_DEV_MEM_TOTAL, pick_mem());
		if (chance(60))
			ga_u32(ZSV_A_DEV_ENGINES,
			       chance(60) ? 1 + (uint32_t)rnd_below(8) :
					    PICK(0u, 64u, 65u, UINT32_MAX));
		break;
	case ZSV_CMD_DEV_DEL:
		ga_dev_selector(true);
		break;
	case ZSV_CMD_SLICE_NEW:
		if (chance(95)) {
			pick_slice_name(name, sizeof(name), true);
			ga_str(ZSV_A_SLICE_NAME, name);
		}
		ga_slice_dev();
		if (chance(92))
			ga_u64(ZSV_A_SLICE_MEM_BYTES, pick_mem());
		ga_slice_settings(40, true);
		ga_slice_tenant(40);
		break;
	case ZSV_CMD_SLICE_SET:
		ga_slice_selector();
		if (chance(40))
			ga_u64(ZSV_A_SLICE_MEM_BYTES, pick_mem());
		ga_slice_settings(35, false);
		ga_slice_tenant(25);
		break;
	case ZSV_CMD_SLICE_DEL:
		ga_slice_selector();
		if (chance(50)) {
			struct gattr *a = ga_add(ZSV_A_SLICE_FORCE);

			(void)a;
		}
		break;
	case ZSV_CMD_SLICE_GET:
		if (dump) {
			if (chance(50))
				ga_slice_dev();
			if (chance(5))
				ga_slice_selector();
		} else {
			ga_slice_selector();
			if (chance(5))
				ga_slice_dev();
		}
		break;
	case ZSV_CMD_TENANT_NEW:
		if (chance(95)) {
			pick_tenant_name(name, sizeof(name));
			ga_str(ZSV_A_TENANT_NAME, name);
		}
		ga_tenant_limits(50);
		break;
	case ZSV_CMD_TENANT_SET:
		ga_tenant_selector();
		ga_tenant_limits(45);
		break;
	case ZSV_CMD_TENANT_DEL:
		ga_tenant_selector();
		break;
	case ZSV_CMD_TENANT_GET:
		if (!dump || chance(5))
			ga_tenant_selector();
		break;
	case ZSV_CMD_GROUP_NEW:
		if (chance(95)) {
			pick_group_name(name, sizeof(name));
			ga_str(ZSV_A_SLICE_GROUP, name);
		}
		if (chance(95))
			ga_u32(ZSV_A_SLICE_COUNT,
			       chance(85) ? 1 + (uint32_t)rnd_below(4) :
					    PICK(0u, ZSV_GROUP_MAX + 1,
						 UINT32_MAX));
		if (chance(30))
			ga_u8(ZSV_A_SLICE_DISTINCT,
			      chance(80) ? (uint8_t)rnd_below(2) :
					   (uint8_t)PICK(2, 0xff));
		if (chance(92))
			ga_u64(ZSV_A_SLICE_MEM_BYTES, pick_mem());
		if (chance(20))
			ga_u32(ZSV_A_SLICE_PLACEMENT,
			       chance(80) ? (uint32_t)rnd_below(2) :
					    u32_boundary());
		if (chance(10))
			ga_str(ZSV_A_SLICE_BACKEND, PICK("sim", "nope", ""));
		if (chance(5))
			ga_slice_dev(); /* not taken: refused */
		ga_slice_settings(30, true);
		ga_slice_tenant(30);
		break;
	case ZSV_CMD_GROUP_DEL:
		if (chance(95)) {
			pick_group_name(name, sizeof(name));
			ga_str(ZSV_A_SLICE_GROUP, name);
		}
		if (chance(50))
			ga_add(ZSV_A_SLICE_FORCE);
		break;
	default:
		/* an unknown command: whatever attributes */
		for (int i = (int)rnd_below(4); i > 0; i--)
			ga_u32((uint16_t)(1 + rnd_below(ZSV_A_SLICE_MAX + 2)),
			       u32_boundary());
		break;
	}
}

/* Random attributes, serialized, for a nested payload. */
static size_t gen_nested(uint8_t *buf, size_t cap, int depth)
{
	size_t off = 0;

	for (int n = 1 + (int)rnd_below(4); n > 0; n--) {
		struct nlattr a;
		size_t len = rnd_below(13);

		if (off + NLA_HDRLEN + 64 > cap)
			break;
		a.nla_type = (uint16_t)rnd_below(ZSV_A_SLICE_MAX + 3);
		if (depth < 3 && chance(30)) {
			a.nla_type |= NLA_F_NESTED;
			len = gen_nested(buf + off + NLA_HDRLEN, 60, depth + 1);
		} else {
			rnd_bytes(buf + off + NLA_HDRLEN, len);
		}
		a.nla_len = (uint16_t)(NLA_HDRLEN + len);
		memcpy(buf + off, &a, sizeof(a));
		memset(buf + off + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
		off += NLA_ALIGN(NLA_HDRLEN + len);
	}
	return off;
}

static int set_max(uint8_t cmd)
{
	return cmd_is_dev(cmd)	  ? ZSV_A_DEV_MAX :
	       cmd_is_tenant(cmd) ? ZSV_A_TENANT_MAX :
				    ZSV_A_SLICE_MAX;
}

/* One mutation of the attribute list. */
void mutate_attrs(uint8_t cmd)
{
	struct gattr *a = nga ? &ga[rnd_below((uint64_t)nga)] : NULL;
	int max = set_max(cmd);

	switch (rnd_below(14)) {
	case 0: /* a value at a boundary, in a random width */
		if (!a)
			break;
		switch (rnd_below(4)) {
		case 0: {
			uint32_t v = u32_boundary();

			memcpy(a->data, &v, 4);
			a->len = 4;
			break;
		}
		case 1: {
			uint64_t v = u64_boundary();

			memcpy(a->data, &v, 8);
			a->len = 8;
			break;
		}
		case 2:
			a->len = rnd_below(3) * 1 + PICK(0u, 1u, 2u);
			rnd_bytes(a->data, a->len);
			break;
		default:
			a->len = rnd_below(24);
			rnd_bytes(a->data, a->len);
			break;
		}
		break;
	case 1: /* too short or too long */
		if (!a)
			break;
		if (a->len && chance(50)) {
			a->len -= 1 + rnd_below(a->len);
		} else {
			size_t more = 1 + rnd_below(8);

			rnd_bytes(a->data + a->len, more);
			a->len += more;
		}
		break;
	case 2: { /* unknown attribute numbers */
		struct gattr *u =
			ga_add((uint16_t)PICK(0, max + 1, max + 2, max + 50,
					      (int)rnd_below(0x4000), 0x3fff));

		if (u) {
			u->len = rnd_below(16);
			rnd_bytes(u->data, u->len);
		}
		break;
	}
	case 3: { /* an attribute of the set that this command does not take */
		struct gattr *u =
			ga_add((uint16_t)(1 + rnd_below((uint64_t)max)));

		if (u) {
			u->len = PICK(0u, 4u, 8u, 4u, 8u);
			rnd_bytes(u->data, u->len);
		}
		break;
	}
	case 4: /* a duplicate, same or different value */
		if (a && nga < GA_MAX) {
			ga[nga] = *a;
			if (chance(50) && ga[nga].len)
				ga[nga].data[0] ^=
					(uint8_t)(1 + rnd_below(255));
			nga++;
		}
		break;
	case 5: /* a required one goes */
		if (a) {
			*a = ga[nga - 1];
			nga--;
		}
		break;
	case 6:
		if (a)
			a->type |= NLA_F_NESTED;
		break;
	case 7:
		if (a)
			a->type |= NLA_F_NET_BYTEORDER;
		break;
	case 8: /* a nested blob instead of the value */
		if (a) {
			a->len = gen_nested(a->data, 256, 0);
			if (chance(70))
				a->type |= NLA_F_NESTED;
		}
		break;
	case 9: /* a huge string */
		if (a) {
			size_t len = 64 + rnd_below(GA_DATA_MAX - 64);

			for (size_t i = 0; i < len; i++)
				a->data[i] = (uint8_t)('a' + rnd_below(26));
			if (chance(70))
				a->data[len - 1] = 0;
			a->len = len;
		}
		break;
	case 10: /* a string without its NUL, or with one inside */
		if (a && a->len) {
			if (chance(50))
				a->data[a->len - 1] =
					(uint8_t)('a' + rnd_below(26));
			else
				a->data[rnd_below(a->len)] = 0;
		}
		break;
	case 11: /* nla_len that lies */
		if (a)
			a->len_field = (int)PICK(0, 1, 3, 4,
						 NLA_HDRLEN + (int)a->len + 1,
						 NLA_HDRLEN + (int)a->len + 4,
						 NLA_HDRLEN + (int)a->len + 64,
						 0xffff);
		break;
	case 12: /* another order */
		for (int i = nga - 1; i > 0; i--) {
			int j = (int)rnd_below((uint64_t)i + 1);
			struct gattr t;

			if (i == j)
				continue;
			t = ga[i];
			ga[i] = ga[j];
			ga[j] = t;
		}
		break;
	default: /* a zero-length attribute */
		if (a)
			a->len = 0;
		break;
	}
}

void serialize(struct msgbuf *m)
{
	for (int i = 0; i < nga; i++) {
		struct gattr *a = &ga[i];
		struct nlattr *na;

		if (m->len + NLA_ALIGN(NLA_HDRLEN + a->len) > sizeof(m->b))
			break;
		na = msg_put(m, NLA_HDRLEN + a->len);
		na->nla_type = a->type;
		na->nla_len = (uint16_t)(a->len_field >= 0 ?
						 a->len_field :
						 (int)(NLA_HDRLEN + a->len));
		memcpy(na + 1, a->data, a->len);
	}
}
