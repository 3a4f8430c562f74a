// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Slices: ZSV_CMD_SLICE_GET (do and dump), ZSV_CMD_SLICE_NEW,
 * ZSV_CMD_SLICE_SET and ZSV_CMD_SLICE_DEL; groups of slices:
 * ZSV_CMD_GROUP_NEW and ZSV_CMD_GROUP_DEL.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "nl.h"

/* How many times zsv_slice_list() retries a dump the kernel flagged. */
#define SLICE_LIST_RETRIES 5

static const struct nla_policy slice_policy[ZSV_A_SLICE_MAX + 1] = {
	[ZSV_A_SLICE_ID] = { .type = NLA_U32 },
	[ZSV_A_SLICE_NAME] = { .type = NLA_STRING, .maxlen = ZSV_NAME_MAX + 1 },
	[ZSV_A_SLICE_DEV_ID] = { .type = NLA_U32 },
	[ZSV_A_SLICE_DEV_NAME] = { .type = NLA_STRING,
				   .maxlen = ZSV_NAME_MAX + 1 },
	[ZSV_A_SLICE_MEM_BYTES] = { .type = NLA_U64 },
	[ZSV_A_SLICE_MEM_MODE] = { .type = NLA_U32 },
	[ZSV_A_SLICE_WEIGHT] = { .type = NLA_U32 },
	[ZSV_A_SLICE_CAP_PCT] = { .type = NLA_U32 },
	[ZSV_A_SLICE_TIMESLICE_NS] = { .type = NLA_U64 },
	[ZSV_A_SLICE_UID] = { .type = NLA_U32 },
	[ZSV_A_SLICE_GID] = { .type = NLA_U32 },
	[ZSV_A_SLICE_NODE_MODE] = { .type = NLA_U32 },
	[ZSV_A_SLICE_NODE] = { .type = NLA_STRING },
	[ZSV_A_SLICE_FORCE] = { .type = NLA_FLAG },
	[ZSV_A_SLICE_CONTEXTS] = { .type = NLA_U32 },
	[ZSV_A_SLICE_MEM_USED] = { .type = NLA_U64 },
	[ZSV_A_SLICE_MEM_PEAK] = { .type = NLA_U64 },
	[ZSV_A_SLICE_QUOTA_HITS] = { .type = NLA_U64 },
	[ZSV_A_SLICE_BUSY_NS] = { .type = NLA_U64 },
	[ZSV_A_SLICE_JOBS_SUBMITTED] = { .type = NLA_U64 },
	[ZSV_A_SLICE_JOBS_COMPLETED] = { .type = NLA_U64 },
	[ZSV_A_SLICE_JOBS_FAILED] = { .type = NLA_U64 },
	[ZSV_A_SLICE_THROTTLED_NS] = { .type = NLA_U64 },
	[ZSV_A_SLICE_CTX_SWITCHES] = { .type = NLA_U64 },
	[ZSV_A_SLICE_SHARE_PROMISED_PPM] = { .type = NLA_U32 },
	[ZSV_A_SLICE_SHARE_DELIVERED_PPM] = { .type = NLA_U32 },
	[ZSV_A_SLICE_MEDIATED] = { .type = NLA_U8 },
	[ZSV_A_SLICE_VFIO_OPEN] = { .type = NLA_U8 },
	[ZSV_A_SLICE_TENANT] = { .type = NLA_STRING,
				 .maxlen = ZSV_NAME_MAX + 1 },
	[ZSV_A_SLICE_GROUP] = { .type = NLA_STRING,
				.maxlen = ZSV_NAME_MAX + 1 },
};

_Static_assert(ZSV_A_SLICE_MAX < 64, "zsv_slice_info.present has 64 bits");

/* What slice-new and slice-set take from struct zsv_slice_params. */
#define SLICE_SET_ATTRS                                                  \
	(ZSV_ATTR_BIT(ZSV_A_SLICE_MEM_BYTES) |                           \
	 ZSV_ATTR_BIT(ZSV_A_SLICE_WEIGHT) |                              \
	 ZSV_ATTR_BIT(ZSV_A_SLICE_CAP_PCT) |                             \
	 ZSV_ATTR_BIT(ZSV_A_SLICE_TIMESLICE_NS) |                        \
	 ZSV_ATTR_BIT(ZSV_A_SLICE_UID) | ZSV_ATTR_BIT(ZSV_A_SLICE_GID) | \
	 ZSV_ATTR_BIT(ZSV_A_SLICE_NODE_MODE) |                           \
	 ZSV_ATTR_BIT(ZSV_A_SLICE_TENANT))
#define SLICE_NEW_ATTRS (SLICE_SET_ATTRS | ZSV_ATTR_BIT(ZSV_A_SLICE_MEM_MODE))

static uint32_t get_u32(struct nlattr **tb, int attr)
{
	return tb[attr] ? nla_get_u32(tb[attr]) : 0;
}

static uint8_t get_u8(struct nlattr **tb, int attr)
{
	return tb[attr] ? nla_get_u8(tb[attr]) : 0;
}

static uint64_t get_u64(struct nlattr **tb, int attr)
{
	return tb[attr] ? nla_get_u64(tb[attr]) : 0;
}

static const char *get_str(struct nlattr **tb, int attr)
{
	return tb[attr] ? nla_get_string(tb[attr]) : "";
}

int zsv_slice_info_parse(struct nlmsghdr *nlh, struct zsv_slice_info **out)
{
	struct nlattr *tb[ZSV_A_SLICE_MAX + 1];
	const char *name, *dev_name, *node, *tenant, *group;
	size_t name_len, dev_name_len, node_len, tenant_len, group_len;
	struct zsv_slice_info *slice;
	char *strings;
	int attr;

	if (genlmsg_parse(nlh, 0, tb, ZSV_A_SLICE_MAX,
			  (struct nla_policy *)slice_policy) < 0)
		return -EPROTO;
	/* Without these two a reply names nothing. */
	if (!tb[ZSV_A_SLICE_ID] || !tb[ZSV_A_SLICE_NAME])
		return -EPROTO;
	name = get_str(tb, ZSV_A_SLICE_NAME);
	dev_name = get_str(tb, ZSV_A_SLICE_DEV_NAME);
	node = get_str(tb, ZSV_A_SLICE_NODE);
	name_len = strlen(name) + 1;
	dev_name_len = strlen(dev_name) + 1;
	tenant = get_str(tb, ZSV_A_SLICE_TENANT);
	node_len = strlen(node) + 1;
	tenant_len = strlen(tenant) + 1;
	group = get_str(tb, ZSV_A_SLICE_GROUP);
	group_len = strlen(group) + 1;

	/* One allocation: the struct, then its strings. */
	slice = calloc(1, sizeof(*slice) + name_len + dev_name_len + node_len +
				  tenant_len + group_len);
	if (!slice)
		return -ENOMEM;
	strings = (char *)(slice + 1);
	slice->name = memcpy(strings, name, name_len);
	slice->dev_name = memcpy(strings + name_len, dev_name, dev_name_len);
	strings += name_len + dev_name_len;
	slice->node = memcpy(strings, node, node_len);
	slice->tenant = memcpy(strings + node_len, tenant, tenant_len);
	strings += node_len + tenant_len;
	slice->group = memcpy(strings, group, group_len);

	for (attr = 1; attr <= ZSV_A_SLICE_MAX; attr++)
		if (tb[attr])
			slice->present |= ZSV_ATTR_BIT(attr);
	slice->id = get_u32(tb, ZSV_A_SLICE_ID);
	slice->dev_id = get_u32(tb, ZSV_A_SLICE_DEV_ID);
	slice->mem_bytes = get_u64(tb, ZSV_A_SLICE_MEM_BYTES);
	slice->mem_mode = get_u32(tb, ZSV_A_SLICE_MEM_MODE);
	slice->weight = get_u32(tb, ZSV_A_SLICE_WEIGHT);
	slice->cap_pct = get_u32(tb, ZSV_A_SLICE_CAP_PCT);
	slice->timeslice_ns = get_u64(tb, ZSV_A_SLICE_TIMESLICE_NS);
	slice->uid = get_u32(tb, ZSV_A_SLICE_UID);
	slice->gid = get_u32(tb, ZSV_A_SLICE_GID);
	slice->node_mode = get_u32(tb, ZSV_A_SLICE_NODE_MODE);
	slice->contexts = get_u32(tb, ZSV_A_SLICE_CONTEXTS);
	slice->mem_used_bytes = get_u64(tb, ZSV_A_SLICE_MEM_USED);
	slice->mem_peak_bytes = get_u64(tb, ZSV_A_SLICE_MEM_PEAK);
	slice->quota_hits = get_u64(tb, ZSV_A_SLICE_QUOTA_HITS);
	slice->busy_ns = get_u64(tb, ZSV_A_SLICE_BUSY_NS);
	slice->jobs_submitted = get_u64(tb, ZSV_A_SLICE_JOBS_SUBMITTED);
	slice->jobs_completed = get_u64(tb, ZSV_A_SLICE_JOBS_COMPLETED);
	slice->jobs_failed = get_u64(tb, ZSV_A_SLICE_JOBS_FAILED);
	slice->throttled_ns = get_u64(tb, ZSV_A_SLICE_THROTTLED_NS);
	slice->ctx_switches = get_u64(tb, ZSV_A_SLICE_CTX_SWITCHES);
	slice->share_promised_ppm = get_u32(tb, ZSV_A_SLICE_SHARE_PROMISED_PPM);
	slice->share_delivered_ppm =
		get_u32(tb, ZSV_A_SLICE_SHARE_DELIVERED_PPM);
	slice->mediated = get_u8(tb, ZSV_A_SLICE_MEDIATED);
	slice->vfio_open = get_u8(tb, ZSV_A_SLICE_VFIO_OPEN);
	*out = slice;
	return 0;
}

void zsv_slice_info_free(struct zsv_slice_info *slice)
{
	free(slice);
}

/* ------------------------------------------------------------------ */
/* Reading */

struct slice_dump {
	zsv_slice_cb cb;
	void *arg;
};

static int slice_dump_reply(struct nlmsghdr *nlh, void *arg)
{
	struct slice_dump *dump = arg;
	struct zsv_slice_info *slice;
	int err;

	err = zsv_slice_info_parse(nlh, &slice);
	if (err)
		return err;
	err = dump->cb(slice, dump->arg);
	zsv_slice_info_free(slice);
	return err;
}

/* A dump request, of one pdev's slices when @dev is not NULL. */
static struct nl_msg *slice_dump_msg(struct zsv_handle *h, const char *dev)
{
	struct nl_msg *msg;

	msg = zsv_msg_new(h, ZSV_CMD_SLICE_GET, NLM_F_DUMP);
	if (msg && dev && nla_put_string(msg, ZSV_A_SLICE_DEV_NAME, dev) < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int zsv_slice_dump(struct zsv_handle *h, const char *dev, zsv_slice_cb cb,
		   void *arg)
{
	struct slice_dump dump = { .cb = cb, .arg = arg };
	struct nl_msg *msg;

	msg = slice_dump_msg(h, dev);
	if (!msg)
		return -ENOMEM;
	return zsv_transact(h, msg, slice_dump_reply, &dump);
}

struct slice_array {
	struct zsv_slice_info **slices;
	size_t count;
	size_t size;
};

static int slice_array_add(struct slice_array *a, struct zsv_slice_info *slice)
{
	struct zsv_slice_info **slices;
	size_t size;

	if (a->count == a->size) {
		size = a->size ? 2 * a->size : 8;
		slices = reallocarray(a->slices, size, sizeof(*slices));
		if (!slices)
			return -ENOMEM;
		a->slices = slices;
		a->size = size;
	}
	a->slices[a->count++] = slice;
	return 0;
}

static int slice_list_reply(struct nlmsghdr *nlh, void *arg)
{
	struct zsv_slice_info *slice;
	int err;

	err = zsv_slice_info_parse(nlh, &slice);
	if (err)
		return err;
	err = slice_array_add(arg, slice);
	if (err)
		zsv_slice_info_free(slice);
	return err;
}

void zsv_slice_list_free(struct zsv_slice_info **slices, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		zsv_slice_info_free(slices[i]);
	free(slices);
}

int zsv_slice_list(struct zsv_handle *h, const char *dev,
		   struct zsv_slice_info ***slices, size_t *count)
{
	struct slice_array a;
	struct nl_msg *msg;
	int err, tries = 0;

	do {
		memset(&a, 0, sizeof(a));
		msg = slice_dump_msg(h, dev);
		if (!msg)
			return -ENOMEM;
		err = zsv_transact(h, msg, slice_list_reply, &a);
		if (err)
			zsv_slice_list_free(a.slices, a.count);
	} while (err == -EAGAIN && ++tries < SLICE_LIST_RETRIES);
	if (err)
		return err;
	*slices = a.slices;
	*count = a.count;
	return 0;
}

static int slice_get_reply(struct nlmsghdr *nlh, void *arg)
{
	struct zsv_slice_info **out = arg;

	/* A do request has exactly one reply. */
	if (*out)
		return -EPROTO;
	return zsv_slice_info_parse(nlh, out);
}

/*
 * Send @msg (consumed) and take its one reply into *slice when @slice is
 * not NULL; a missing reply is the kernel breaking the ABI.
 */
static int slice_transact_one(struct zsv_handle *h, struct nl_msg *msg,
			      struct zsv_slice_info **slice)
{
	struct zsv_slice_info *found = NULL;
	int err;

	err = zsv_transact(h, msg, slice_get_reply, &found);
	if (!err && !found)
		err = -EPROTO;
	if (err || !slice)
		zsv_slice_info_free(found);
	else
		*slice = found;
	return err;
}

int zsv_slice_get_by_name(struct zsv_handle *h, const char *name,
			  struct zsv_slice_info **slice)
{
	struct nl_msg *msg;

	if (!name || !slice)
		return -EINVAL;
	msg = zsv_msg_new(h, ZSV_CMD_SLICE_GET, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, ZSV_A_SLICE_NAME, name) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return slice_transact_one(h, msg, slice);
}

int zsv_slice_get_by_id(struct zsv_handle *h, uint32_t id,
			struct zsv_slice_info **slice)
{
	struct nl_msg *msg;

	if (!slice)
		return -EINVAL;
	msg = zsv_msg_new(h, ZSV_CMD_SLICE_GET, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, ZSV_A_SLICE_ID, id) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return slice_transact_one(h, msg, slice);
}

/* ------------------------------------------------------------------ */
/* Changes */

/* Does @p send only what @allowed names, and a tenant when it sends one? */
static bool slice_params_valid(const struct zsv_slice_params *p,
			       uint64_t allowed)
{
	if (p->mask & ~allowed)
		return false;
	return !(p->mask & ZSV_ATTR_BIT(ZSV_A_SLICE_TENANT)) || p->tenant;
}

/* Add the members of @p that its mask names; 0 or -ENOMEM. */
static int slice_params_put(struct nl_msg *msg,
			    const struct zsv_slice_params *p)
{
	uint64_t m = p->mask;

	if (((m & ZSV_ATTR_BIT(ZSV_A_SLICE_MEM_BYTES)) &&
	     nla_put_u64(msg, ZSV_A_SLICE_MEM_BYTES, p->mem_bytes) < 0) ||
	    ((m & ZSV_ATTR_BIT(ZSV_A_SLICE_MEM_MODE)) &&
	     nla_put_u32(msg, ZSV_A_SLICE_MEM_MODE, p->mem_mode) < 0) ||
	    ((m & ZSV_ATTR_BIT(ZSV_A_SLICE_WEIGHT)) &&
	     nla_put_u32(msg, ZSV_A_SLICE_WEIGHT, p->weight) < 0) ||
	    ((m & ZSV_ATTR_BIT(ZSV_A_SLICE_CAP_PCT)) &&
	     nla_put_u32(msg, ZSV_A_SLICE_CAP_PCT, p->cap_pct) < 0) ||
	    ((m & ZSV_ATTR_BIT(ZSV_A_SLICE_TIMESLICE_NS)) &&
	     nla_put_u64(msg, ZSV_A_SLICE_TIMESLICE_NS, p->timeslice_ns) < 0) ||
	    ((m & ZSV_ATTR_BIT(ZSV_A_SLICE_UID)) &&
	     nla_put_u32(msg, ZSV_A_SLICE_UID, p->uid) < 0) ||
	    ((m & ZSV_ATTR_BIT(ZSV_A_SLICE_GID)) &&
	     nla_put_u32(msg, ZSV_A_SLICE_GID, p->gid) < 0) ||
	    ((m & ZSV_ATTR_BIT(ZSV_A_SLICE_NODE_MODE)) &&
	     nla_put_u32(msg, ZSV_A_SLICE_NODE_MODE, p->node_mode) < 0) ||
	    ((m & ZSV_ATTR_BIT(ZSV_A_SLICE_TENANT)) &&
	     nla_put_string(msg, ZSV_A_SLICE_TENANT, p->tenant) < 0))
		return -ENOMEM;
	return 0;
}

int zsv_slice_create(struct zsv_handle *h, const char *dev, const char *name,
		     const struct zsv_slice_params *p,
		     struct zsv_slice_info **slice)
{
	struct nl_msg *msg;

	if (!dev || !name || !p || !slice_params_valid(p, SLICE_NEW_ATTRS))
		return -EINVAL;
	msg = zsv_msg_new(h, ZSV_CMD_SLICE_NEW, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, ZSV_A_SLICE_NAME, name) < 0 ||
	    nla_put_string(msg, ZSV_A_SLICE_DEV_NAME, dev) < 0 ||
	    slice_params_put(msg, p)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return slice_transact_one(h, msg, slice);
}

int zsv_slice_place(struct zsv_handle *h, const char *name,
		    uint32_t placement, const char *backend,
		    const struct zsv_slice_params *p,
		    struct zsv_slice_info **slice)
{
	struct nl_msg *msg;

	if (!name || !p || !slice_params_valid(p, SLICE_NEW_ATTRS) ||
	    placement > ZSV_PLACEMENT_MAX)
		return -EINVAL;
	msg = zsv_msg_new(h, ZSV_CMD_SLICE_NEW, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, ZSV_A_SLICE_NAME, name) < 0 ||
	    nla_put_u32(msg, ZSV_A_SLICE_PLACEMENT, placement) < 0 ||
	    (backend && nla_put_string(msg, ZSV_A_SLICE_BACKEND, backend) < 0) ||
	    slice_params_put(msg, p)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return slice_transact_one(h, msg, slice);
}

int zsv_slice_set(struct zsv_handle *h, const char *name,
		  const struct zsv_slice_params *p)
{
	struct nl_msg *msg;

	if (!name || !p || !p->mask || !slice_params_valid(p, SLICE_SET_ATTRS))
		return -EINVAL;
	msg = zsv_msg_new(h, ZSV_CMD_SLICE_SET, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, ZSV_A_SLICE_NAME, name) < 0 ||
	    slice_params_put(msg, p)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return zsv_transact(h, msg, NULL, NULL);
}

int zsv_slice_destroy(struct zsv_handle *h, const char *name, bool force)
{
	struct nl_msg *msg;

	if (!name)
		return -EINVAL;
	msg = zsv_msg_new(h, ZSV_CMD_SLICE_DEL, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, ZSV_A_SLICE_NAME, name) < 0 ||
	    (force && nla_put_flag(msg, ZSV_A_SLICE_FORCE) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return zsv_transact(h, msg, NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* Groups */

int zsv_group_create(struct zsv_handle *h, const char *group, uint32_t count,
		     bool distinct, uint32_t placement, const char *backend,
		     const struct zsv_slice_params *p)
{
	struct nl_msg *msg;

	if (!group || !p || !slice_params_valid(p, SLICE_NEW_ATTRS) ||
	    placement > ZSV_PLACEMENT_MAX)
		return -EINVAL;
	msg = zsv_msg_new(h, ZSV_CMD_GROUP_NEW, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, ZSV_A_SLICE_GROUP, group) < 0 ||
	    nla_put_u32(msg, ZSV_A_SLICE_COUNT, count) < 0 ||
	    nla_put_u8(msg, ZSV_A_SLICE_DISTINCT, distinct) < 0 ||
	    nla_put_u32(msg, ZSV_A_SLICE_PLACEMENT, placement) < 0 ||
	    (backend &&
	     nla_put_string(msg, ZSV_A_SLICE_BACKEND, backend) < 0) ||
	    slice_params_put(msg, p)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return zsv_transact(h, msg, NULL, NULL);
}

int zsv_group_destroy(struct zsv_handle *h, const char *group, bool force)
{
	struct nl_msg *msg;

	if (!group)
		return -EINVAL;
	msg = zsv_msg_new(h, ZSV_CMD_GROUP_DEL, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, ZSV_A_SLICE_GROUP, group) < 0 ||
	    (force && nla_put_flag(msg, ZSV_A_SLICE_FORCE) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return zsv_transact(h, msg, NULL, NULL);
}
