// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-fuzz's judge of netlink requests: the bytes that go out, read back
 * the way the kernel's strict parser reads them (each command's policy is
 * the uapi's list of what it takes), and what the uapi then says must
 * happen, over the model of the objects: refusals the policy makes,
 * refusals of values that break a documented rule, reads and changes that
 * must succeed, and what a change that succeeded must have done. As root,
 * requests are first kept to the fuzzer's own objects (sanitize()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nlfuzz.h"

/* Which request attributes each command takes (uapi/linux/zsv.h). */
/* clang-format off */
const struct op_policy ops[ZSV_CMD_MAX + 1] = {
	[ZSV_CMD_DEV_GET] = {
		ZSV_A_DEV_NAME,
		{ [ZSV_A_DEV_ID] = P_U32, [ZSV_A_DEV_NAME] = P_NULSTR },
		.dump = true,
	},
	[ZSV_CMD_DEV_SET] = {
		ZSV_A_DEV_OVERSUB_PCT,
		{ [ZSV_A_DEV_ID] = P_U32, [ZSV_A_DEV_NAME] = P_NULSTR,
		  [ZSV_A_DEV_POLICY] = P_U32, [ZSV_A_DEV_TIMESLICE_NS] = P_U64,
		  [ZSV_A_DEV_PERIOD_NS] = P_U64, [ZSV_A_DEV_OVERSUB_PCT] = P_U32 },
		.admin = true,
	},
	[ZSV_CMD_DEV_NEW] = {
		ZSV_A_DEV_ENGINES,
		{ [ZSV_A_DEV_BACKEND] = P_NULSTR, [ZSV_A_DEV_MEM_TOTAL] = P_U64,
		  [ZSV_A_DEV_ENGINES] = P_U32 },
		{ [ZSV_A_DEV_BACKEND] = ZSV_NAME_MAX },
		.admin = true,
	},
	[ZSV_CMD_DEV_DEL] = {
		ZSV_A_DEV_NAME,
		{ [ZSV_A_DEV_ID] = P_U32, [ZSV_A_DEV_NAME] = P_NULSTR },
		.admin = true,
	},
	[ZSV_CMD_SLICE_NEW] = {
		ZSV_A_SLICE_TENANT,
		{ [ZSV_A_SLICE_NAME] = P_NULSTR, [ZSV_A_SLICE_DEV_ID] = P_U32,
		  [ZSV_A_SLICE_DEV_NAME] = P_NULSTR,
		  [ZSV_A_SLICE_MEM_BYTES] = P_U64, [ZSV_A_SLICE_MEM_MODE] = P_U32,
		  [ZSV_A_SLICE_WEIGHT] = P_U32, [ZSV_A_SLICE_CAP_PCT] = P_U32,
		  [ZSV_A_SLICE_TIMESLICE_NS] = P_U64, [ZSV_A_SLICE_UID] = P_U32,
		  [ZSV_A_SLICE_GID] = P_U32, [ZSV_A_SLICE_NODE_MODE] = P_U32,
		  [ZSV_A_SLICE_PLACEMENT] = P_U32,
		  [ZSV_A_SLICE_BACKEND] = P_NULSTR,
		  [ZSV_A_SLICE_TENANT] = P_NULSTR },
		.admin = true,
	},
	[ZSV_CMD_SLICE_SET] = {
		ZSV_A_SLICE_TENANT,
		{ [ZSV_A_SLICE_ID] = P_U32, [ZSV_A_SLICE_NAME] = P_NULSTR,
		  [ZSV_A_SLICE_MEM_BYTES] = P_U64, [ZSV_A_SLICE_WEIGHT] = P_U32,
		  [ZSV_A_SLICE_CAP_PCT] = P_U32,
		  [ZSV_A_SLICE_TIMESLICE_NS] = P_U64, [ZSV_A_SLICE_UID] = P_U32,
		  [ZSV_A_SLICE_GID] = P_U32, [ZSV_A_SLICE_NODE_MODE] = P_U32,
		  [ZSV_A_SLICE_TENANT] = P_NULSTR },
		.admin = true,
	},
	[ZSV_CMD_SLICE_DEL] = {
		ZSV_A_SLICE_FORCE,
		{ [ZSV_A_SLICE_ID] = P_U32, [ZSV_A_SLICE_NAME] = P_NULSTR,
		  [ZSV_A_SLICE_FORCE] = P_FLAG },
		.admin = true,
	},
	[ZSV_CMD_SLICE_GET] = {
		ZSV_A_SLICE_DEV_NAME,
		{ [ZSV_A_SLICE_ID] = P_U32, [ZSV_A_SLICE_NAME] = P_NULSTR,
		  [ZSV_A_SLICE_DEV_ID] = P_U32, [ZSV_A_SLICE_DEV_NAME] = P_NULSTR },
		.dump = true,
	},
	[ZSV_CMD_TENANT_NEW] = {
		ZSV_A_TENANT_WEIGHT,
		{ [ZSV_A_TENANT_NAME] = P_NULSTR,
		  [ZSV_A_TENANT_MEM_MAX] = P_U64,
		  [ZSV_A_TENANT_SLICES_MAX] = P_U64,
		  [ZSV_A_TENANT_COMPUTE_MAX] = P_U64,
		  [ZSV_A_TENANT_WEIGHT] = P_U32 },
		.admin = true,
	},
	[ZSV_CMD_TENANT_SET] = {
		ZSV_A_TENANT_WEIGHT,
		{ [ZSV_A_TENANT_ID] = P_U32, [ZSV_A_TENANT_NAME] = P_NULSTR,
		  [ZSV_A_TENANT_MEM_MAX] = P_U64,
		  [ZSV_A_TENANT_SLICES_MAX] = P_U64,
		  [ZSV_A_TENANT_COMPUTE_MAX] = P_U64,
		  [ZSV_A_TENANT_WEIGHT] = P_U32 },
		.admin = true,
	},
	[ZSV_CMD_TENANT_DEL] = {
		ZSV_A_TENANT_NAME,
		{ [ZSV_A_TENANT_ID] = P_U32, [ZSV_A_TENANT_NAME] = P_NULSTR },
		.admin = true,
	},
	[ZSV_CMD_TENANT_GET] = {
		ZSV_A_TENANT_NAME,
		{ [ZSV_A_TENANT_ID] = P_U32, [ZSV_A_TENANT_NAME] = P_NULSTR },
		.dump = true,
	},
	[ZSV_CMD_GROUP_NEW] = {
		ZSV_A_SLICE_DISTINCT,
		{ [ZSV_A_SLICE_MEM_BYTES] = P_U64, [ZSV_A_SLICE_MEM_MODE] = P_U32,
		  [ZSV_A_SLICE_WEIGHT] = P_U32, [ZSV_A_SLICE_CAP_PCT] = P_U32,
		  [ZSV_A_SLICE_TIMESLICE_NS] = P_U64, [ZSV_A_SLICE_UID] = P_U32,
		  [ZSV_A_SLICE_GID] = P_U32, [ZSV_A_SLICE_NODE_MODE] = P_U32,
		  [ZSV_A_SLICE_PLACEMENT] = P_U32,
		  [ZSV_A_SLICE_BACKEND] = P_NULSTR,
		  [ZSV_A_SLICE_TENANT] = P_NULSTR,
		  [ZSV_A_SLICE_GROUP] = P_NULSTR, [ZSV_A_SLICE_COUNT] = P_U32,
		  [ZSV_A_SLICE_DISTINCT] = P_U8 },
		.admin = true,
	},
	[ZSV_CMD_GROUP_DEL] = {
		ZSV_A_SLICE_GROUP,
		{ [ZSV_A_SLICE_FORCE] = P_FLAG, [ZSV_A_SLICE_GROUP] = P_NULSTR },
		.admin = true,
	},
};
/* clang-format on */

bool q_has(const struct req *q, int t)
{
	return q->val[t] != NULL;
}

uint32_t q_u32(const struct req *q, int t)
{
	uint32_t v;

	memcpy(&v, q->val[t], 4);
	return v;
}

uint64_t q_u64(const struct req *q, int t)
{
	uint64_t v;

	memcpy(&v, q->val[t], 8);
	return v;
}

const char *q_str(const struct req *q, int t)
{
	return (const char *)q->val[t];
}

static void not_clean(struct req *q, const char *fmt, int type)
{
	if (q->clean)
		snprintf(q->why, sizeof(q->why), fmt, type);
	q->clean = false;
}

void req_parse(struct req *q, const uint8_t *buf, size_t sent)
{
	const struct nlmsghdr *nlh = (const void *)buf;
	const struct genlmsghdr *g = (const void *)(buf + NLMSG_HDRLEN);
	const struct op_policy *p;
	const uint8_t *a;
	int rem;

	memset(q, 0, sizeof(*q));
	q->nlmsg_len = nlh->nlmsg_len;
	q->sent = sent;
	q->nltype = nlh->nlmsg_type;
	q->nlflags = nlh->nlmsg_flags;
	q->cmd = g->cmd;
	q->version = g->version;
	q->reserved = g->reserved;
	q->dump = (q->nlflags & NLM_F_DUMP) == NLM_F_DUMP;
	q->clean = true;
	if (q->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN || q->nlmsg_len > sent ||
	    q->cmd < ZSV_CMD_DEV_GET || q->cmd > ZSV_CMD_MAX) {
		not_clean(q, "no attributes to read%.0d", 0);
		return;
	}
	p = &ops[q->cmd];
	a = buf + NLMSG_HDRLEN + GENL_HDRLEN;
	rem = (int)q->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	while (rem >= NLA_HDRLEN) {
		struct nlattr na;
		const uint8_t *data = a + NLA_HDRLEN;
		int len, type;

		memcpy(&na, a, sizeof(na));
		if (na.nla_len < NLA_HDRLEN || na.nla_len > rem)
			break;
		len = na.nla_len - NLA_HDRLEN;
		type = na.nla_type & NLA_TYPE_MASK;
		if (!type || type > p->maxattr) {
			not_clean(q, "unknown attribute %d", type);
		} else if (na.nla_type & NLA_F_NESTED) {
			not_clean(q, "NLA_F_NESTED on attribute %d", type);
		} else {
			switch (p->pol[type]) {
			case P_NONE:
				not_clean(q, "attribute %d not taken", type);
				break;
			case P_U32:
				if (len != 4)
					not_clean(q, "attribute %d not 4 bytes",
						  type);
				break;
			case P_U64:
				if (len != 8)
					not_clean(q, "attribute %d not 8 bytes",
						  type);
				break;
			case P_FLAG:
				if (len)
					not_clean(q, "flag %d with a payload",
						  type);
				break;
			case P_U8:
				if (len != 1)
					not_clean(q, "attribute %d not 1 byte",
						  type);
				break;
			case P_NULSTR: {
				int minlen =
					p->strmax[type] && p->strmax[type] + 1 <
								   len ?
						p->strmax[type] + 1 :
						len;
				int slen = len;

				if (!minlen ||
				    !memchr(data, 0, (size_t)minlen)) {
					not_clean(q, "string %d without a NUL",
						  type);
					break;
				}
				if (!data[slen - 1])
					slen--;
				if (p->strmax[type] && slen > p->strmax[type])
					not_clean(q, "string %d too long",
						  type);
				break;
			}
			}
		}
		if (type < ZSV_FUZZ_ATTRS) {
			q->val[type] = data;
			q->len[type] = (uint16_t)len;
		}
		a += NLA_ALIGN(na.nla_len);
		rem -= NLA_ALIGN(na.nla_len);
	}
	if (rem > 0)
		not_clean(q, "%d bytes that are no attribute", rem);
}

/* --- the uapi's rules, over the model ----------------------------------- */

static const struct obj *keep_dev(struct verdict *v, const struct obj *o)
{
	if (!o)
		return NULL;
	v->dev_copy = *o;
	return &v->dev_copy;
}

static const struct obj *keep_slice(struct verdict *v, const struct obj *o)
{
	if (!o)
		return NULL;
	v->slice_copy = *o;
	return &v->slice_copy;
}

enum expect fail_because(struct verdict *v, const char *why)
{
	if (v->exp != EXP_FAIL)
		snprintf(v->why, sizeof(v->why), "%s", why);
	v->exp = EXP_FAIL;
	return EXP_FAIL;
}

/* The pdev named by an id, a name or both; NULL with the reason in @v. */
static const struct obj *sel_dev(const struct req *q, struct verdict *v,
				 int id_t, int name_t)
{
	const struct obj *by_id = NULL, *by_name = NULL;

	if (!q_has(q, id_t) && !q_has(q, name_t)) {
		fail_because(v, "no pdev named");
		return NULL;
	}
	if (q_has(q, id_t)) {
		by_id = model_dev_by_id(q_u32(q, id_t));
		if (!by_id) {
			fail_because(v, "no pdev with that id");
			return NULL;
		}
	}
	if (q_has(q, name_t)) {
		if (strlen(q_str(q, name_t)) > ZSV_NAME_MAX) {
			fail_because(v, "pdev name too long");
			return NULL;
		}
		by_name = model_dev_by_name(q_str(q, name_t));
		if (!by_name || (by_id && by_id != by_name)) {
			fail_because(v, "no such pdev name, or not the id's");
			return NULL;
		}
	}
	return by_name ? by_name : by_id;
}

static const struct obj *sel_dev_kept(const struct req *q, struct verdict *v,
				      int id_t, int name_t)
{
	return keep_dev(v, sel_dev(q, v, id_t, name_t));
}

static const struct obj *sel_slice(const struct req *q, struct verdict *v)
{
	const struct obj *by_id = NULL, *by_name = NULL;

	if (!q_has(q, ZSV_A_SLICE_ID) && !q_has(q, ZSV_A_SLICE_NAME)) {
		fail_because(v, "no slice named");
		return NULL;
	}
	if (q_has(q, ZSV_A_SLICE_ID)) {
		by_id = model_slice_by_id(q_u32(q, ZSV_A_SLICE_ID));
		if (!by_id) {
			fail_because(v, "no slice with that id");
			return NULL;
		}
	}
	if (q_has(q, ZSV_A_SLICE_NAME)) {
		if (strlen(q_str(q, ZSV_A_SLICE_NAME)) > ZSV_NAME_MAX) {
			fail_because(v, "slice name too long");
			return NULL;
		}
		by_name = model_slice_by_name(q_str(q, ZSV_A_SLICE_NAME));
		if (!by_name || (by_id && by_id != by_name)) {
			fail_because(v, "no such slice name, or not the id's");
			return NULL;
		}
	}
	return by_name ? by_name : by_id;
}

/* The settings slice-new and slice-set share; false when one is out of range. */
static bool slice_settings_ok(const struct req *q, struct verdict *v)
{
	uint64_t ts;

	if (q_has(q, ZSV_A_SLICE_MEM_BYTES) && !q_u64(q, ZSV_A_SLICE_MEM_BYTES))
		return fail_because(v, "mem-bytes 0"), false;
	if (q_has(q, ZSV_A_SLICE_WEIGHT) &&
	    (q_u32(q, ZSV_A_SLICE_WEIGHT) < ZSV_WEIGHT_MIN ||
	     q_u32(q, ZSV_A_SLICE_WEIGHT) > ZSV_WEIGHT_MAX))
		return fail_because(v, "weight out of range"), false;
	if (q_has(q, ZSV_A_SLICE_CAP_PCT) &&
	    (!q_u32(q, ZSV_A_SLICE_CAP_PCT) ||
	     q_u32(q, ZSV_A_SLICE_CAP_PCT) > ZSV_CAP_PCT_MAX))
		return fail_because(v, "cap out of range"), false;
	if (q_has(q, ZSV_A_SLICE_TIMESLICE_NS)) {
		ts = q_u64(q, ZSV_A_SLICE_TIMESLICE_NS);
		if (ts &&
		    (ts < ZSV_TIMESLICE_MIN_NS || ts > ZSV_TIMESLICE_MAX_NS))
			return fail_because(v, "timeslice out of range"), false;
	}
	/* (uid_t)-1 is no user: init_user_ns maps every other value. */
	if ((q_has(q, ZSV_A_SLICE_UID) &&
	     q_u32(q, ZSV_A_SLICE_UID) == UINT32_MAX) ||
	    (q_has(q, ZSV_A_SLICE_GID) &&
	     q_u32(q, ZSV_A_SLICE_GID) == UINT32_MAX))
		return fail_because(v, "uid or gid -1"), false;
	if (q_has(q, ZSV_A_SLICE_NODE_MODE) &&
	    q_u32(q, ZSV_A_SLICE_NODE_MODE) > 0777)
		return fail_because(v, "node mode past 0777"), false;
	return true;
}

/* Bytes the shared slices of @dev use, which reserving must leave them. */
static uint64_t dev_shared_used(const struct obj *dev)
{
	uint64_t used = 0;

	for (int i = 0; i < model.cur.nslice; i++)
		if (model.cur.slice[i].v[ZSV_A_SLICE_DEV_ID] ==
			    dev->v[ZSV_A_DEV_ID] &&
		    model.cur.slice[i].v[ZSV_A_SLICE_MEM_MODE] ==
			    ZSV_MEM_MODE_SHARED)
			used += model.cur.slice[i].v[ZSV_A_SLICE_MEM_USED];
	return used;
}

/* Bytes the pdev uses that no slice of the dump does. */
static uint64_t dev_orphaned(const struct obj *dev)
{
	uint64_t used = 0;

	for (int i = 0; i < model.cur.nslice; i++)
		if (model.cur.slice[i].v[ZSV_A_SLICE_DEV_ID] ==
		    dev->v[ZSV_A_DEV_ID])
			used += model.cur.slice[i].v[ZSV_A_SLICE_MEM_USED];
	return dev->v[ZSV_A_DEV_MEM_USED] > used ?
		       dev->v[ZSV_A_DEV_MEM_USED] - used :
		       0;
}

/*
 * Admission of a partition going from @old to @new bytes: EXP_FAIL when
 * the uapi's sums forbid it, EXP_OK when they clearly allow it, EXP_ANY
 * when what shared BOs use (which the dump does not show per pool) decides.
 */
static enum expect admit(const struct obj *dev, uint32_t mode, uint64_t old,
			 uint64_t new, struct verdict *v)
{
	uint64_t total = dev->v[ZSV_A_DEV_MEM_TOTAL];
	uint64_t reserved = dev->v[ZSV_A_DEV_MEM_RESERVED];
	uint64_t shared = dev->v[ZSV_A_DEV_MEM_SHARED];
	uint32_t oversub = (uint32_t)dev->v[ZSV_A_DEV_OVERSUB_PCT];
	uint64_t avail, cap, others;

	if (mode == ZSV_MEM_MODE_RESERVED) {
		avail = total - (reserved - old);
		if (new > avail)
			return fail_because(v, "reserved past the pdev");
		if (mem_pct(avail - new, oversub) < shared)
			return fail_because(v,
					    "reserving past the shared quotas");
		if (avail - new < dev_shared_used(dev))
			return fail_because(v, "reserving what shared BOs use");
		/*
		 * What shared BOs use of the pool is not in the dump: the
		 * shared slices' usage, and bytes of slices deleted by force
		 * that jobs still pin (the pdev's usage past its slices').
		 */
		return dev_shared_used(dev) || dev_orphaned(dev) ? EXP_ANY :
								   EXP_OK;
	}
	others = shared - old;
	cap = mem_pct(total - reserved, oversub);
	if (cap < others || new > cap - others)
		return fail_because(v, "shared quota past the pool");
	return EXP_OK;
}

/* A tenant weight out of range; true (and the reason in @v) when it is. */
static bool tenant_weight_bad(const struct req *q, struct verdict *v)
{
	if (q_has(q, ZSV_A_TENANT_WEIGHT) &&
	    (q_u32(q, ZSV_A_TENANT_WEIGHT) < ZSV_WEIGHT_MIN ||
	     q_u32(q, ZSV_A_TENANT_WEIGHT) > ZSV_WEIGHT_MAX)) {
		fail_because(v, "tenant weight out of range");
		v->err = -EINVAL;
		return true;
	}
	return false;
}

/* The tenant named by an id, a name or both; NULL with the reason in @v. */
static const struct obj *sel_tenant(const struct req *q, struct verdict *v)
{
	const struct obj *by_id = NULL, *by_name = NULL;

	if (!q_has(q, ZSV_A_TENANT_ID) && !q_has(q, ZSV_A_TENANT_NAME)) {
		fail_because(v, "no tenant named");
		return NULL;
	}
	if (q_has(q, ZSV_A_TENANT_ID)) {
		by_id = model_tenant_by_id(q_u32(q, ZSV_A_TENANT_ID));
		if (!by_id) {
			fail_because(v, "no tenant with that id");
			return NULL;
		}
	}
	if (q_has(q, ZSV_A_TENANT_NAME)) {
		if (strlen(q_str(q, ZSV_A_TENANT_NAME)) > ZSV_NAME_MAX) {
			fail_because(v, "tenant name too long");
			return NULL;
		}
		by_name = model_tenant_by_name(q_str(q, ZSV_A_TENANT_NAME));
		if (!by_name || (by_id && by_id != by_name)) {
			fail_because(v, "no such tenant name, or not the id's");
			return NULL;
		}
	}
	v->tenant_copy = by_name ? *by_name : *by_id;
	return &v->tenant_copy;
}

/*
 * The tenant a slice request names in ZSV_A_SLICE_TENANT: false (and
 * failure in @v) when it is too long or unknown; *@t is NULL for "".
 */
static bool slice_tenant(const struct req *q, struct verdict *v,
			 const struct obj **t)
{
	const char *name = q_str(q, ZSV_A_SLICE_TENANT);

	*t = NULL;
	if (strlen(name) > ZSV_NAME_MAX)
		return fail_because(v, "tenant name too long"), false;
	if (!name[0])
		return true;
	*t = model_tenant_by_name(name);
	if (!*t)
		return fail_because(v, "no such tenant"), false;
	return true;
}

static bool tenant_over(uint64_t used, uint64_t more, uint64_t max)
{
	return more && (used + more < used || used + more > max);
}

/*
 * A tenant's admission of @mem bytes, @slices slices and @compute more:
 * true (and failure in @v) when one of its limits refuses it.
 */
static bool tenant_refuses(const struct obj *t, uint64_t mem, uint64_t slices,
			   uint64_t compute, struct verdict *v)
{
	if (!t)
		return false;
	if (tenant_over(t->v[ZSV_A_TENANT_SLICES], slices,
			t->v[ZSV_A_TENANT_SLICES_MAX]))
		return fail_because(v, "past the tenant's slices-max"), true;
	if (tenant_over(t->v[ZSV_A_TENANT_MEM], mem,
			t->v[ZSV_A_TENANT_MEM_MAX]))
		return fail_because(v, "past the tenant's mem-max"), true;
	if (tenant_over(t->v[ZSV_A_TENANT_COMPUTE], compute,
			t->v[ZSV_A_TENANT_COMPUTE_MAX]))
		return fail_because(v, "past the tenant's compute-max"), true;
	return false;
}

static uint32_t req_cap(const struct req *q, uint32_t dflt)
{
	return q_has(q, ZSV_A_SLICE_CAP_PCT) ? q_u32(q, ZSV_A_SLICE_CAP_PCT) :
					       dflt;
}

static void judge_attrs(const struct req *q, struct verdict *v);

/*
 * slice-new without a device: the kernel places it on any pdev (of the
 * backend asked) that admits it, so it must succeed when one surely does,
 * and fail when none may.
 */
static enum expect judge_placement(const struct req *q, uint32_t mode,
				   const struct obj *tenant, struct verdict *v)
{
	const char *backend = q_has(q, ZSV_A_SLICE_BACKEND) ?
				      q_str(q, ZSV_A_SLICE_BACKEND) : NULL;
	enum expect best = EXP_FAIL;
	struct verdict scratch;
	bool any = false;

	for (int i = 0; i < model.cur.ndev; i++) {
		const struct obj *dev = &model.cur.dev[i];
		enum expect e;

		if (backend && strcmp(backend, "sim"))
			continue;
		any = true;
		memset(&scratch, 0, sizeof(scratch));
		/* The tenant's compute is cap x this pdev's engines. */
		if (tenant_refuses(tenant, 0, 0,
				   (uint64_t)req_cap(q, ZSV_CAP_PCT_MAX) *
					   dev->v[ZSV_A_DEV_ENGINES],
				   &scratch))
			continue;
		e = admit(dev, mode, 0, q_u64(q, ZSV_A_SLICE_MEM_BYTES),
			  &scratch);
		if (e == EXP_OK)
			return EXP_OK;
		if (e == EXP_ANY)
			best = EXP_ANY;
	}
	if (best == EXP_FAIL)
		fail_because(v, any ? "no pdev fits (or the tenant's compute)" :
				      "no pdev of that backend");
	return best;
}

/* What must happen to request @q, sent as who we are. */
void judge(const struct req *q, struct verdict *v)
{
	const struct op_policy *p;

	memset(v, 0, sizeof(*v));
	v->exp = EXP_ANY;
	if (q->nlmsg_len < NLMSG_HDRLEN || q->nlmsg_len > q->sent) {
		v->silent = true; /* netlink drops it */
		return;
	}
	if (!(q->nlflags & NLM_F_REQUEST) || q->nltype < NLMSG_MIN_TYPE) {
		v->exp = EXP_OK; /* not for a family: acked */
		return;
	}
	if (q->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) {
		v->exp = EXP_FAIL;
		v->err = -EINVAL;
		return;
	}
	/*
	 * genetlink checks the header of every command from the family's
	 * first: no reserved byte, and no netlink flag but REQUEST, ACK,
	 * ECHO and the two of DUMP together.
	 */
	if (q->cmd >= ZSV_CMD_DEV_GET &&
	    (q->reserved || ((q->dump ? q->nlflags & ~NLM_F_DUMP : q->nlflags) &
			     ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO)))) {
		v->exp = EXP_FAIL;
		v->err = -EINVAL;
		return;
	}
	if (q->cmd < ZSV_CMD_DEV_GET || q->cmd > ZSV_CMD_MAX) {
		v->exp = EXP_FAIL;
		v->err = -EOPNOTSUPP;
		return;
	}
	p = &ops[q->cmd];
	if (p->admin && run.unpriv) {
		v->exp = EXP_FAIL;
		/* 6.1 checks the permission first, 6.12 the dump op first. */
		v->err = q->dump ? 0 : -EPERM;
		snprintf(v->why, sizeof(v->why), "needs CAP_NET_ADMIN");
		return;
	}
	if (q->dump && !p->dump) {
		v->exp = EXP_FAIL;
		v->err = -EOPNOTSUPP;
		return;
	}
	if (!q->clean) {
		fail_because(v, q->why);
		return;
	}
	judge_attrs(q, v);
}

/*
 * slice-set's tenant admission: of the growth, or, when the slice moves
 * to another tenant, of all of it, at its new size and cap. False (and
 * failure in @v) when refused.
 */
static bool slice_set_tenant_admits(const struct req *q, const struct obj *sl,
				    struct verdict *v)
{
	const struct obj *cur = sl->has[ZSV_A_SLICE_TENANT] ?
					model_tenant_by_name(sl->tenant) :
					NULL;
	const struct obj *dev =
		model_dev_by_id((uint32_t)sl->v[ZSV_A_SLICE_DEV_ID]);
	uint64_t engines = dev ? dev->v[ZSV_A_DEV_ENGINES] : 0;
	uint64_t old_mem = sl->v[ZSV_A_SLICE_MEM_BYTES];
	uint64_t new_mem = q_has(q, ZSV_A_SLICE_MEM_BYTES) ?
				   q_u64(q, ZSV_A_SLICE_MEM_BYTES) :
				   old_mem;
	uint32_t old_cap = (uint32_t)sl->v[ZSV_A_SLICE_CAP_PCT];
	uint32_t new_cap = req_cap(q, old_cap);
	const struct obj *to = cur;

	if (q_has(q, ZSV_A_SLICE_TENANT) && !slice_tenant(q, v, &to))
		return false;
	if (to != cur)
		return !tenant_refuses(to, new_mem, 1,
				       (uint64_t)new_cap * engines, v);
	return !tenant_refuses(to, new_mem > old_mem ? new_mem - old_mem : 0,
			       0,
			       new_cap > old_cap ?
				       (uint64_t)(new_cap - old_cap) * engines :
				       0,
			       v);
}

static void judge_attrs(const struct req *q, struct verdict *v)
{
	const struct obj *dev, *sl, *tn = NULL;
	enum expect e;

	switch (q->cmd) {
	case ZSV_CMD_DEV_GET:
		if (q->dump) {
			if (q_has(q, ZSV_A_DEV_ID) || q_has(q, ZSV_A_DEV_NAME))
				fail_because(v, "dev dump takes no attributes");
			else
				v->exp = EXP_OK;
			break;
		}
		v->dev = sel_dev_kept(q, v, ZSV_A_DEV_ID, ZSV_A_DEV_NAME);
		if (v->dev)
			v->exp = EXP_OK;
		break;
	case ZSV_CMD_DEV_SET: {
		uint64_t ts, period;

		dev = v->dev = sel_dev_kept(q, v, ZSV_A_DEV_ID, ZSV_A_DEV_NAME);
		if (!dev)
			break;
		if (!q_has(q, ZSV_A_DEV_POLICY) &&
		    !q_has(q, ZSV_A_DEV_TIMESLICE_NS) &&
		    !q_has(q, ZSV_A_DEV_PERIOD_NS) &&
		    !q_has(q, ZSV_A_DEV_OVERSUB_PCT)) {
			fail_because(v, "nothing to set");
			break;
		}
		ts = q_has(q, ZSV_A_DEV_TIMESLICE_NS) ?
			     q_u64(q, ZSV_A_DEV_TIMESLICE_NS) :
			     dev->v[ZSV_A_DEV_TIMESLICE_NS];
		period = q_has(q, ZSV_A_DEV_PERIOD_NS) ?
				 q_u64(q, ZSV_A_DEV_PERIOD_NS) :
				 dev->v[ZSV_A_DEV_PERIOD_NS];
		if (q_has(q, ZSV_A_DEV_POLICY) &&
		    q_u32(q, ZSV_A_DEV_POLICY) > ZSV_POLICY_MAX)
			fail_because(v, "policy out of range");
		else if (ts < ZSV_TIMESLICE_MIN_NS || ts > ZSV_TIMESLICE_MAX_NS)
			fail_because(v, "timeslice out of range");
		else if (period < ZSV_PERIOD_MIN_NS ||
			 period > ZSV_PERIOD_MAX_NS)
			fail_because(v, "period out of range");
		else if (period < ts)
			fail_because(v, "period shorter than the timeslice");
		else if (q_has(q, ZSV_A_DEV_OVERSUB_PCT) &&
			 (q_u32(q, ZSV_A_DEV_OVERSUB_PCT) <
				  ZSV_OVERSUB_PCT_MIN ||
			  q_u32(q, ZSV_A_DEV_OVERSUB_PCT) >
				  ZSV_OVERSUB_PCT_MAX))
			fail_because(v, "oversubscription out of range");
		else if (q_has(q, ZSV_A_DEV_OVERSUB_PCT) &&
			 mem_pct(dev->v[ZSV_A_DEV_MEM_TOTAL] -
					 dev->v[ZSV_A_DEV_MEM_RESERVED],
				 q_u32(q, ZSV_A_DEV_OVERSUB_PCT)) <
				 dev->v[ZSV_A_DEV_MEM_SHARED])
			fail_because(
				v, "oversubscription below the shared quotas");
		else
			v->exp = EXP_OK;
		break;
	}
	case ZSV_CMD_DEV_NEW:
		if (!q_has(q, ZSV_A_DEV_MEM_TOTAL) ||
		    !q_u64(q, ZSV_A_DEV_MEM_TOTAL))
			fail_because(v, "no memory");
		else if (q_has(q, ZSV_A_DEV_ENGINES) &&
			 (!q_u32(q, ZSV_A_DEV_ENGINES) ||
			  q_u32(q, ZSV_A_DEV_ENGINES) > 64))
			fail_because(v, "engines out of range");
		else if (q_has(q, ZSV_A_DEV_BACKEND) &&
			 strcmp(q_str(q, ZSV_A_DEV_BACKEND), "sim"))
			fail_because(v, "no such backend");
		else
			v->exp = EXP_OK;
		break;
	case ZSV_CMD_DEV_DEL:
		dev = v->dev = sel_dev_kept(q, v, ZSV_A_DEV_ID, ZSV_A_DEV_NAME);
		if (!dev)
			break;
		if (dev->v[ZSV_A_DEV_SLICE_COUNT])
			fail_because(v, "the pdev has slices");
		else
			v->exp = EXP_OK;
		break;
	case ZSV_CMD_SLICE_NEW: {
		uint32_t mode = q_has(q, ZSV_A_SLICE_MEM_MODE) ?
					q_u32(q, ZSV_A_SLICE_MEM_MODE) :
					0;

		if (!q_has(q, ZSV_A_SLICE_NAME) ||
		    !q_has(q, ZSV_A_SLICE_MEM_BYTES)) {
			fail_because(v, "name or mem-bytes missing");
			break;
		}
		if (!name_valid(q_str(q, ZSV_A_SLICE_NAME))) {
			fail_because(v, "bad slice name");
			break;
		}
		if (!slice_settings_ok(q, v))
			break;
		if (mode > ZSV_MEM_MODE_MAX) {
			fail_because(v, "memory mode out of range");
			break;
		}
		if ((q_has(q, ZSV_A_SLICE_PLACEMENT) ||
		     q_has(q, ZSV_A_SLICE_BACKEND)) &&
		    (q_has(q, ZSV_A_SLICE_DEV_ID) ||
		     q_has(q, ZSV_A_SLICE_DEV_NAME))) {
			fail_because(v, "placement with a device");
			break;
		}
		if (q_has(q, ZSV_A_SLICE_PLACEMENT) &&
		    q_u32(q, ZSV_A_SLICE_PLACEMENT) > ZSV_PLACEMENT_MAX) {
			fail_because(v, "placement out of range");
			break;
		}
		if (q_has(q, ZSV_A_SLICE_BACKEND) &&
		    strlen(q_str(q, ZSV_A_SLICE_BACKEND)) > ZSV_NAME_MAX) {
			fail_because(v, "backend name too long");
			break;
		}
		if (model_slice_by_name(q_str(q, ZSV_A_SLICE_NAME))) {
			fail_because(v, "the name is taken");
			break;
		}
		if (q_has(q, ZSV_A_SLICE_TENANT) && !slice_tenant(q, v, &tn))
			break;
		if (!q_has(q, ZSV_A_SLICE_DEV_ID) &&
		    !q_has(q, ZSV_A_SLICE_DEV_NAME)) {
			/* The tenant's memory and slices before any pdev. */
			if (tenant_refuses(tn, q_u64(q, ZSV_A_SLICE_MEM_BYTES),
					   1, 0, v))
				break;
			v->exp = judge_placement(q, mode, tn, v);
			break;
		}
		dev = v->dev = sel_dev_kept(q, v, ZSV_A_SLICE_DEV_ID,
					    ZSV_A_SLICE_DEV_NAME);
		if (!dev)
			break;
		if (tenant_refuses(tn, q_u64(q, ZSV_A_SLICE_MEM_BYTES), 1,
				   (uint64_t)req_cap(q, ZSV_CAP_PCT_MAX) *
					   dev->v[ZSV_A_DEV_ENGINES],
				   v))
			break;
		v->exp =
			admit(dev, mode, 0, q_u64(q, ZSV_A_SLICE_MEM_BYTES), v);
		break;
	}
	case ZSV_CMD_SLICE_SET:
		if (!slice_settings_ok(q, v))
			break;
		sl = v->slice = keep_slice(v, sel_slice(q, v));
		if (!sl)
			break;
		if (!q_has(q, ZSV_A_SLICE_MEM_BYTES) &&
		    !q_has(q, ZSV_A_SLICE_WEIGHT) &&
		    !q_has(q, ZSV_A_SLICE_CAP_PCT) &&
		    !q_has(q, ZSV_A_SLICE_TIMESLICE_NS) &&
		    !q_has(q, ZSV_A_SLICE_UID) && !q_has(q, ZSV_A_SLICE_GID) &&
		    !q_has(q, ZSV_A_SLICE_NODE_MODE) &&
		    !q_has(q, ZSV_A_SLICE_TENANT)) {
			fail_because(v, "nothing to set");
			break;
		}
		e = EXP_OK;
		if (q_has(q, ZSV_A_SLICE_MEM_BYTES) &&
		    q_u64(q, ZSV_A_SLICE_MEM_BYTES) !=
			    sl->v[ZSV_A_SLICE_MEM_BYTES]) {
			uint64_t new = q_u64(q, ZSV_A_SLICE_MEM_BYTES);

			dev = model_dev_by_id(
				(uint32_t)sl->v[ZSV_A_SLICE_DEV_ID]);
			/* Usage only falls on its own (jobs retiring). */
			if (new < sl->v[ZSV_A_SLICE_MEM_USED])
				e = EXP_ANY;
			if (dev) {
				enum expect a = admit(
					dev,
					(uint32_t)sl->v[ZSV_A_SLICE_MEM_MODE],
					sl->v[ZSV_A_SLICE_MEM_BYTES], new, v);

				if (a != EXP_OK)
					e = a;
			}
		}
		if (e != EXP_FAIL && !slice_set_tenant_admits(q, sl, v))
			e = EXP_FAIL;
		v->exp = e;
		break;
	case ZSV_CMD_TENANT_NEW: {
		const char *name = q_has(q, ZSV_A_TENANT_NAME) ?
					   q_str(q, ZSV_A_TENANT_NAME) :
					   NULL;

		if (!name) {
			fail_because(v, "no tenant name");
		} else if (!name_valid(name)) {
			fail_because(v, "bad tenant name");
		} else if (tenant_weight_bad(q, v)) {
			/* The kernel checks it before the name is taken. */
			break;
		} else if (model_tenant_by_name(name)) {
			fail_because(v, "the tenant name is taken");
			v->err = -EEXIST;
		} else if (model.cur.ntenant >= ZSV_TENANTS_MAX) {
			fail_because(v, "the most tenants");
		} else {
			v->exp = EXP_OK;
		}
		break;
	}
	case ZSV_CMD_TENANT_SET:
		v->tenant = sel_tenant(q, v);
		if (!v->tenant)
			break;
		if (!q_has(q, ZSV_A_TENANT_MEM_MAX) &&
		    !q_has(q, ZSV_A_TENANT_SLICES_MAX) &&
		    !q_has(q, ZSV_A_TENANT_COMPUTE_MAX) &&
		    !q_has(q, ZSV_A_TENANT_WEIGHT))
			fail_because(v, "nothing to set");
		else if (!tenant_weight_bad(q, v))
			v->exp = EXP_OK; /* any limit, below usage too */
		break;
	case ZSV_CMD_TENANT_DEL:
		v->tenant = sel_tenant(q, v);
		if (!v->tenant)
			break;
		if (v->tenant->v[ZSV_A_TENANT_SLICES]) {
			fail_because(v, "the tenant has slices");
			v->err = -EBUSY;
		} else {
			v->exp = EXP_OK;
		}
		break;
	case ZSV_CMD_TENANT_GET:
		if (q->dump) {
			if (q_has(q, ZSV_A_TENANT_ID) ||
			    q_has(q, ZSV_A_TENANT_NAME))
				fail_because(v, "tenant dump takes no attributes");
			else
				v->exp = EXP_OK;
			break;
		}
		v->tenant = sel_tenant(q, v);
		if (v->tenant)
			v->exp = EXP_OK;
		break;
	case ZSV_CMD_GROUP_NEW: {
		uint32_t count, mode = q_has(q, ZSV_A_SLICE_MEM_MODE) ?
					       q_u32(q, ZSV_A_SLICE_MEM_MODE) :
					       0;
		const char *g;

		if (!q_has(q, ZSV_A_SLICE_GROUP) ||
		    !q_has(q, ZSV_A_SLICE_COUNT) ||
		    !q_has(q, ZSV_A_SLICE_MEM_BYTES)) {
			fail_because(v, "group, count or mem-bytes missing");
			break;
		}
		g = q_str(q, ZSV_A_SLICE_GROUP);
		count = q_u32(q, ZSV_A_SLICE_COUNT);
		if (!name_valid(g)) {
			fail_because(v, "bad group name");
			break;
		}
		if (!count || count > ZSV_GROUP_MAX) {
			fail_because(v, "count out of range");
			break;
		}
		if (strlen(g) + 1 + (size_t)snprintf(NULL, 0, "%u", count - 1) >
		    ZSV_NAME_MAX) {
			fail_because(v, "no room in a name for <group>-<n>");
			break;
		}
		if (q_has(q, ZSV_A_SLICE_DISTINCT) &&
		    *(const uint8_t *)q->val[ZSV_A_SLICE_DISTINCT] > 1) {
			fail_because(v, "distinct not 0 or 1");
			break;
		}
		if (!slice_settings_ok(q, v))
			break;
		if (mode > ZSV_MEM_MODE_MAX) {
			fail_because(v, "memory mode out of range");
			break;
		}
		if (q_has(q, ZSV_A_SLICE_PLACEMENT) &&
		    q_u32(q, ZSV_A_SLICE_PLACEMENT) > ZSV_PLACEMENT_MAX) {
			fail_because(v, "placement out of range");
			break;
		}
		if (q_has(q, ZSV_A_SLICE_BACKEND) &&
		    strlen(q_str(q, ZSV_A_SLICE_BACKEND)) > ZSV_NAME_MAX) {
			fail_because(v, "backend name too long");
			break;
		}
		if (model_group_size(g)) {
			fail_because(v, "the group exists");
			break;
		}
		if (q_has(q, ZSV_A_SLICE_TENANT) && !slice_tenant(q, v, &tn))
			break;
		/*
		 * Whether all its slices fit is the kernel's to say; the
		 * caller checks that all of them or none were made.
		 */
		v->exp = EXP_ANY;
		break;
	}
	case ZSV_CMD_GROUP_DEL:
		if (!q_has(q, ZSV_A_SLICE_GROUP)) {
			fail_because(v, "group missing");
			break;
		}
		if (strlen(q_str(q, ZSV_A_SLICE_GROUP)) > ZSV_NAME_MAX) {
			fail_because(v, "group name too long");
			break;
		}
		if (!model_group_size(q_str(q, ZSV_A_SLICE_GROUP))) {
			fail_because(v, "no slice is in the group");
			v->err = -ENOENT;
			break;
		}
		/* Contexts are only ours; EBUSY exactly while one is open. */
		v->exp = EXP_ANY;
		break;
	case ZSV_CMD_SLICE_DEL:
		sl = v->slice = keep_slice(v, sel_slice(q, v));
		if (!sl)
			break;
		/* Contexts are only ours; the caller counts them. */
		v->exp = EXP_ANY;
		break;
	case ZSV_CMD_SLICE_GET:
		if (q->dump) {
			if (q_has(q, ZSV_A_SLICE_ID) ||
			    q_has(q, ZSV_A_SLICE_NAME)) {
				fail_because(v, "slice dump takes only a pdev");
				break;
			}
			if (q_has(q, ZSV_A_SLICE_DEV_ID) ||
			    q_has(q, ZSV_A_SLICE_DEV_NAME)) {
				v->dev = sel_dev_kept(q, v, ZSV_A_SLICE_DEV_ID,
						      ZSV_A_SLICE_DEV_NAME);
				if (!v->dev)
					break;
			}
			v->exp = EXP_OK;
			break;
		}
		if (q_has(q, ZSV_A_SLICE_DEV_ID) ||
		    q_has(q, ZSV_A_SLICE_DEV_NAME)) {
			fail_because(v, "slice get takes no pdev");
			break;
		}
		v->slice = keep_slice(v, sel_slice(q, v));
		if (v->slice)
			v->exp = EXP_OK;
		break;
	}
}

/* --- keeping root's requests to the fuzzer's own objects ------------------ */

static bool foreign_slice_name(const char *name)
{
	const struct obj *s = model_slice_by_name(name);

	return s && !model_slice_ours(s);
}

static bool foreign_tenant_name(const char *name)
{
	const struct obj *t = model_tenant_by_name(name);

	return t && !model_tenant_ours(t);
}

void sanitize(uint8_t *buf, size_t sent)
{
	struct nlmsghdr *nlh = (void *)buf;
	uint8_t cmd = ((struct genlmsghdr *)(buf + NLMSG_HDRLEN))->cmd;
	size_t end = nlh->nlmsg_len < sent ? nlh->nlmsg_len : sent;
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN;

	while (off + NLA_HDRLEN <= end) {
		struct nlattr a;
		uint8_t *data = buf + off + NLA_HDRLEN;
		size_t len, slen;
		int type;

		memcpy(&a, buf + off, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || off + a.nla_len > end)
			break;
		len = a.nla_len - NLA_HDRLEN;
		type = a.nla_type & NLA_TYPE_MASK;
		slen = strnlen((const char *)data, len);
		switch (cmd) {
		case ZSV_CMD_DEV_DEL:
			/* Only pdevs it added; the id gets a number nobody has. */
			if (type == ZSV_A_DEV_ID && len >= 4) {
				uint32_t id;

				memcpy(&id, data, 4);
				if (model_dev_by_id(id) &&
				    !model_owns_dev(id)) {
					id = UINT32_MAX - 7;
					memcpy(data, &id, 4);
				}
			}
			if (type == ZSV_A_DEV_NAME && slen < len) {
				const struct obj *d =
					model_dev_by_name((const char *)data);

				if (d && !model_owns_dev(
						 (uint32_t)d->v[ZSV_A_DEV_ID]))
					data[0] = 'X';
			}
			break;
		case ZSV_CMD_SLICE_NEW:
			if (type == ZSV_A_SLICE_NAME && slen < len &&
			    name_valid((const char *)data) &&
			    strncmp((const char *)data, FZ_PREFIX, 3))
				data[0] = 'A';
			/* Nor charges a tenant that is not its own. */
			if (type == ZSV_A_SLICE_TENANT && slen < len &&
			    foreign_tenant_name((const char *)data))
				data[0] = 'X';
			break;
		case ZSV_CMD_GROUP_NEW:
			/* Its slices are <group>-<n>: fz-* groups only. */
			if (type == ZSV_A_SLICE_GROUP && slen < len &&
			    name_valid((const char *)data) &&
			    strncmp((const char *)data, FZ_PREFIX, 3))
				data[0] = 'A';
			if (type == ZSV_A_SLICE_TENANT && slen < len &&
			    foreign_tenant_name((const char *)data))
				data[0] = 'X';
			break;
		case ZSV_CMD_GROUP_DEL:
			/* Only its own groups: no other slice is touched. */
			if (type == ZSV_A_SLICE_GROUP && slen < len &&
			    strncmp((const char *)data, FZ_PREFIX, 3))
				data[0] = 'X';
			break;
		case ZSV_CMD_TENANT_NEW:
			if (type == ZSV_A_TENANT_NAME && slen < len &&
			    name_valid((const char *)data) &&
			    strncmp((const char *)data, FZ_PREFIX, 3))
				data[0] = 'A';
			break;
		case ZSV_CMD_TENANT_SET:
		case ZSV_CMD_TENANT_DEL:
			if (type == ZSV_A_TENANT_ID && len >= 4) {
				uint32_t id;
				const struct obj *t;

				memcpy(&id, data, 4);
				t = model_tenant_by_id(id);
				if (t && !model_tenant_ours(t)) {
					id = UINT32_MAX - 7;
					memcpy(data, &id, 4);
				}
			}
			if (type == ZSV_A_TENANT_NAME && slen < len &&
			    foreign_tenant_name((const char *)data))
				data[0] = 'X';
			break;
		case ZSV_CMD_SLICE_SET:
		case ZSV_CMD_SLICE_DEL:
			if (type == ZSV_A_SLICE_ID && len >= 4) {
				uint32_t id;
				const struct obj *s;

				memcpy(&id, data, 4);
				s = model_slice_by_id(id);
				if (s && !model_slice_ours(s)) {
					id = UINT32_MAX - 7;
					memcpy(data, &id, 4);
				}
			}
			if (type == ZSV_A_SLICE_NAME && slen < len &&
			    foreign_slice_name((const char *)data))
				data[0] = 'X';
			if (cmd == ZSV_CMD_SLICE_SET &&
			    type == ZSV_A_SLICE_TENANT && slen < len &&
			    foreign_tenant_name((const char *)data))
				data[0] = 'X';
			break;
		}
		off += NLA_ALIGN(a.nla_len);
	}
}

/* --- one request ------------------------------------------------------------ */

static const struct obj *find_in(const struct obj *objs, int n,
				 const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(objs[i].name, name))
			return &objs[i];
	return NULL;
}

/* The objects a successful read reported are the model's. */
void check_read(const struct req *q, const struct verdict *v,
		const struct reply *r)
{
	char why[256];
	int want = 0;

	if (q->dump && q->cmd == ZSV_CMD_TENANT_GET) {
		if (r->nobjs != model.cur.ntenant)
			fz_fail("a tenant dump gave %d objects, the model has %d",
				r->nobjs, model.cur.ntenant);
		return;
	}
	if (q->dump) {
		const struct obj *all = q->cmd == ZSV_CMD_DEV_GET ?
						model.cur.dev :
						model.cur.slice;
		int n = q->cmd == ZSV_CMD_DEV_GET ? model.cur.ndev :
						    model.cur.nslice;

		for (int i = 0; i < n; i++)
			want += !v->dev || q->cmd == ZSV_CMD_DEV_GET ||
				all[i].v[ZSV_A_SLICE_DEV_ID] ==
					v->dev->v[ZSV_A_DEV_ID];
		if (r->nobjs != want)
			fz_fail("a %s dump gave %d objects, the model has %d",
				q->cmd == ZSV_CMD_DEV_GET ? "dev" : "slice",
				r->nobjs, want);
		return;
	}
	if (r->nobjs != 1) {
		fz_fail("get command %u gave %d objects", q->cmd, r->nobjs);
		return;
	}
	{
		struct snapshot *a = calloc(1, sizeof(*a)),
				*b = calloc(1, sizeof(*b));
		const struct obj *mine = q->cmd == ZSV_CMD_DEV_GET    ? v->dev :
					 q->cmd == ZSV_CMD_TENANT_GET ? v->tenant :
									v->slice;

		if (!a || !b || !mine) {
			free(a);
			free(b);
			return;
		}
		if (q->cmd == ZSV_CMD_DEV_GET) {
			a->dev[0] = *mine;
			b->dev[0] = r->objs[0];
			a->ndev = b->ndev = 1;
		} else if (q->cmd == ZSV_CMD_TENANT_GET) {
			a->tenant[0] = *mine;
			b->tenant[0] = r->objs[0];
			a->ntenant = b->ntenant = 1;
		} else {
			a->slice[0] = *mine;
			b->slice[0] = r->objs[0];
			a->nslice = b->nslice = 1;
		}
		if (!snapshot_same(a, b, false, why, sizeof(why)))
			fz_fail("get command %u reported something else than the model: %s",
				q->cmd, why);
		free(a);
		free(b);
	}
}

/* After a change succeeded: the objects are as the request said. */
void check_change(const struct req *q, const struct verdict *v,
		  const struct reply *r, const struct snapshot *before)
{
	const struct obj *o;

	switch (q->cmd) {
	case ZSV_CMD_DEV_SET:
		o = v->dev ?
			    model_dev_by_id((uint32_t)v->dev->v[ZSV_A_DEV_ID]) :
			    NULL;
		if (!o)
			break;
		for (int t = ZSV_A_DEV_POLICY; t <= ZSV_A_DEV_OVERSUB_PCT;
		     t++) {
			uint64_t want;
			const struct obj *old;

			if (t == ZSV_A_DEV_SLICE_COUNT)
				continue;
			if (q_has(q, t)) {
				want = ops[q->cmd].pol[t] == P_U64 ?
					       q_u64(q, t) :
					       q_u32(q, t);
			} else {
				old = find_in(before->dev, before->ndev,
					      o->name);
				want = old ? old->v[t] : o->v[t];
			}
			if (o->v[t] != want)
				fz_fail("dev-set of %s: attribute %d is %llu, want %llu",
					o->name, t, (unsigned long long)o->v[t],
					(unsigned long long)want);
		}
		break;
	case ZSV_CMD_DEV_NEW:
		if (r->nobjs != 1) {
			fz_fail("dev-new replied with %d objects", r->nobjs);
			break;
		}
		o = &r->objs[0];
		if (o->v[ZSV_A_DEV_MEM_TOTAL] !=
			    q_u64(q, ZSV_A_DEV_MEM_TOTAL) ||
		    o->v[ZSV_A_DEV_ENGINES] !=
			    (q_has(q, ZSV_A_DEV_ENGINES) ?
				     q_u32(q, ZSV_A_DEV_ENGINES) :
				     4) ||
		    o->v[ZSV_A_DEV_MEM_RESERVED] || o->v[ZSV_A_DEV_MEM_USED] ||
		    o->v[ZSV_A_DEV_SLICE_COUNT] || o->v[ZSV_A_DEV_MEM_SHARED] ||
		    o->v[ZSV_A_DEV_POLICY] != ZSV_POLICY_WEIGHTED ||
		    o->v[ZSV_A_DEV_OVERSUB_PCT] != 100 ||
		    o->v[ZSV_A_DEV_TIMESLICE_NS] != 2000000 ||
		    o->v[ZSV_A_DEV_PERIOD_NS] != 100000000)
			fz_fail("dev-new made pdev %s not as asked or not with the defaults",
				o->name);
		if (!model_dev_by_id((uint32_t)o->v[ZSV_A_DEV_ID]))
			fz_fail("dev-new's pdev %s is not in the dump",
				o->name);
		if (model.nowned_dev < (int)ARRAY_SIZE(model.owned_dev))
			model.owned_dev[model.nowned_dev++] =
				(uint32_t)o->v[ZSV_A_DEV_ID];
		break;
	case ZSV_CMD_DEV_DEL:
		if (!v->dev)
			break;
		if (model_dev_by_id((uint32_t)v->dev->v[ZSV_A_DEV_ID]))
			fz_fail("dev-del of %s succeeded and it is still there",
				v->dev->name);
		for (int i = 0; i < model.nowned_dev; i++) {
			if (model.owned_dev[i] != v->dev->v[ZSV_A_DEV_ID])
				continue;
			model.owned_dev[i] =
				model.owned_dev[--model.nowned_dev];
			break;
		}
		break;
	case ZSV_CMD_SLICE_NEW: {
		const char *name = q_str(q, ZSV_A_SLICE_NAME);

		if (r->nobjs != 1) {
			fz_fail("slice-new replied with %d objects", r->nobjs);
			break;
		}
		o = &r->objs[0];
#define WANT(t, d)                                                           \
	(q_has(q, t) ?                                                       \
		 (ops[q->cmd].pol[t] == P_U64 ? q_u64(q, t) : q_u32(q, t)) : \
		 (d))
		if (strcmp(o->name, name) ||
		    o->v[ZSV_A_SLICE_MEM_BYTES] !=
			    q_u64(q, ZSV_A_SLICE_MEM_BYTES) ||
		    o->v[ZSV_A_SLICE_MEM_MODE] !=
			    WANT(ZSV_A_SLICE_MEM_MODE, 0) ||
		    o->v[ZSV_A_SLICE_WEIGHT] !=
			    WANT(ZSV_A_SLICE_WEIGHT, ZSV_WEIGHT_DEFAULT) ||
		    o->v[ZSV_A_SLICE_CAP_PCT] !=
			    WANT(ZSV_A_SLICE_CAP_PCT, 100) ||
		    o->v[ZSV_A_SLICE_TIMESLICE_NS] !=
			    WANT(ZSV_A_SLICE_TIMESLICE_NS, 0) ||
		    o->v[ZSV_A_SLICE_UID] != WANT(ZSV_A_SLICE_UID, 0) ||
		    o->v[ZSV_A_SLICE_GID] != WANT(ZSV_A_SLICE_GID, 0) ||
		    o->v[ZSV_A_SLICE_NODE_MODE] !=
			    WANT(ZSV_A_SLICE_NODE_MODE,
				 ZSV_NODE_MODE_DEFAULT) ||
		    /* Placed (no device asked): on a pdev that exists. */
		    (v->dev ? o->v[ZSV_A_SLICE_DEV_ID] !=
				      v->dev->v[ZSV_A_DEV_ID] :
			      !model_dev_by_id(
				      (uint32_t)o->v[ZSV_A_SLICE_DEV_ID])) ||
		    o->v[ZSV_A_SLICE_CONTEXTS] || o->v[ZSV_A_SLICE_MEM_USED])
			fz_fail("slice-new made %s not as asked", o->name);
		if (!model_slice_by_name(name))
			fz_fail("slice-new's %s is not in the dump", name);
		if (strcmp(o->tenant, q_has(q, ZSV_A_SLICE_TENANT) ?
					      q_str(q, ZSV_A_SLICE_TENANT) :
					      ""))
			fz_fail("slice-new put %s in tenant '%s', not as asked",
				o->name, o->tenant);
		break;
	}
	case ZSV_CMD_SLICE_SET:
		o = v->slice ? model_slice_by_id(
				       (uint32_t)v->slice->v[ZSV_A_SLICE_ID]) :
			       NULL;
		if (!o) {
			fz_fail("slice-set succeeded and the slice is gone");
			break;
		}
		for (int t = ZSV_A_SLICE_MEM_BYTES; t <= ZSV_A_SLICE_NODE_MODE;
		     t++) {
			const struct obj *old =
				find_in(before->slice, before->nslice, o->name);
			uint64_t want;

			if (t == ZSV_A_SLICE_MEM_MODE)
				continue;
			want = WANT(t, old ? old->v[t] : o->v[t]);
			if (o->v[t] != want)
				fz_fail("slice-set of %s: attribute %d is %llu, want %llu",
					o->name, t, (unsigned long long)o->v[t],
					(unsigned long long)want);
		}
#undef WANT
		if (q_has(q, ZSV_A_SLICE_TENANT) &&
		    strcmp(o->tenant, q_str(q, ZSV_A_SLICE_TENANT)))
			fz_fail("slice-set left %s in tenant '%s', want '%s'",
				o->name, o->tenant,
				q_str(q, ZSV_A_SLICE_TENANT));
		break;
	case ZSV_CMD_SLICE_DEL:
		if (v->slice &&
		    model_slice_by_id((uint32_t)v->slice->v[ZSV_A_SLICE_ID]))
			fz_fail("slice-del of %s succeeded and it is still there",
				v->slice->name);
		break;
	case ZSV_CMD_TENANT_NEW:
		if (r->nobjs != 1) {
			fz_fail("tenant-new replied with %d objects", r->nobjs);
			break;
		}
		o = &r->objs[0];
#define LIMIT(t) (q_has(q, t) ? q_u64(q, t) : ZSV_LIMIT_NONE)
		if (strcmp(o->name, q_str(q, ZSV_A_TENANT_NAME)) ||
		    o->v[ZSV_A_TENANT_MEM_MAX] != LIMIT(ZSV_A_TENANT_MEM_MAX) ||
		    o->v[ZSV_A_TENANT_SLICES_MAX] !=
			    LIMIT(ZSV_A_TENANT_SLICES_MAX) ||
		    o->v[ZSV_A_TENANT_COMPUTE_MAX] !=
			    LIMIT(ZSV_A_TENANT_COMPUTE_MAX) ||
		    o->v[ZSV_A_TENANT_WEIGHT] !=
			    (q_has(q, ZSV_A_TENANT_WEIGHT) ?
				     q_u32(q, ZSV_A_TENANT_WEIGHT) :
				     ZSV_WEIGHT_DEFAULT) ||
		    o->v[ZSV_A_TENANT_MEM] || o->v[ZSV_A_TENANT_SLICES] ||
		    o->v[ZSV_A_TENANT_COMPUTE] || o->v[ZSV_A_TENANT_MEM_USED] ||
		    o->v[ZSV_A_TENANT_BUSY_NS] || o->v[ZSV_A_TENANT_QUOTA_HITS])
			fz_fail("tenant-new made %s not as asked", o->name);
		if (!model_tenant_by_name(o->name))
			fz_fail("tenant-new's %s is not in the dump", o->name);
		break;
	case ZSV_CMD_TENANT_SET: {
		const struct obj *old = v->tenant;
		uint64_t weight;

		o = old ? model_tenant_by_id(
				  (uint32_t)old->v[ZSV_A_TENANT_ID]) :
			  NULL;
		if (!o) {
			fz_fail("tenant-set succeeded and the tenant is gone");
			break;
		}
		for (int t = ZSV_A_TENANT_MEM_MAX; t <= ZSV_A_TENANT_COMPUTE;
		     t++) {
			uint64_t want = t <= ZSV_A_TENANT_COMPUTE_MAX &&
							q_has(q, t) ?
						q_u64(q, t) :
						old->v[t];

			if (o->v[t] != want)
				fz_fail("tenant-set of %s: attribute %d is %llu, want %llu",
					o->name, t, (unsigned long long)o->v[t],
					(unsigned long long)want);
		}
		weight = q_has(q, ZSV_A_TENANT_WEIGHT) ?
				 q_u32(q, ZSV_A_TENANT_WEIGHT) :
				 old->v[ZSV_A_TENANT_WEIGHT];
		if (o->v[ZSV_A_TENANT_WEIGHT] != weight)
			fz_fail("tenant-set of %s: weight is %llu, want %llu",
				o->name,
				(unsigned long long)o->v[ZSV_A_TENANT_WEIGHT],
				(unsigned long long)weight);
#undef LIMIT
		break;
	}
	case ZSV_CMD_TENANT_DEL:
		if (v->tenant &&
		    model_tenant_by_id((uint32_t)v->tenant->v[ZSV_A_TENANT_ID]))
			fz_fail("tenant-del of %s succeeded and it is still there",
				v->tenant->name);
		break;
	}
}
