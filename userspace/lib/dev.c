// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Physical devices (pdevs): ZSV_CMD_DEV_GET (do and dump), and the
 * changes: ZSV_CMD_DEV_SET, ZSV_CMD_DEV_NEW and ZSV_CMD_DEV_DEL.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "nl.h"

/* How many times zsv_dev_list() retries a dump the kernel flagged. */
#define DEV_LIST_RETRIES 5

static const struct nla_policy dev_policy[ZSV_A_DEV_MAX + 1] = {
	[ZSV_A_DEV_ID] = { .type = NLA_U32 },
	[ZSV_A_DEV_NAME] = { .type = NLA_STRING, .maxlen = ZSV_NAME_MAX + 1 },
	[ZSV_A_DEV_BACKEND] = { .type = NLA_STRING },
	[ZSV_A_DEV_MEM_TOTAL] = { .type = NLA_U64 },
	[ZSV_A_DEV_MEM_RESERVED] = { .type = NLA_U64 },
	[ZSV_A_DEV_MEM_USED] = { .type = NLA_U64 },
	[ZSV_A_DEV_ENGINES] = { .type = NLA_U32 },
	[ZSV_A_DEV_POLICY] = { .type = NLA_U32 },
	[ZSV_A_DEV_TIMESLICE_NS] = { .type = NLA_U64 },
	[ZSV_A_DEV_PERIOD_NS] = { .type = NLA_U64 },
	[ZSV_A_DEV_SLICE_COUNT] = { .type = NLA_U32 },
	[ZSV_A_DEV_OVERSUB_PCT] = { .type = NLA_U32 },
	[ZSV_A_DEV_MEM_SHARED] = { .type = NLA_U64 },
	[ZSV_A_DEV_BUSY_NS] = { .type = NLA_U64 },
	[ZSV_A_DEV_JOBS_COMPLETED] = { .type = NLA_U64 },
	[ZSV_A_DEV_HEADROOM_RESERVED] = { .type = NLA_U64 },
	[ZSV_A_DEV_HEADROOM_SHARED] = { .type = NLA_U64 },
	[ZSV_A_DEV_HEADROOM_ENGINE_PCT] = { .type = NLA_U32 },
};

_Static_assert(ZSV_A_DEV_MAX < 64, "zsv_dev_info.present has 64 bits");

static uint32_t get_u32(struct nlattr **tb, int attr)
{
	return tb[attr] ? nla_get_u32(tb[attr]) : 0;
}

static uint64_t get_u64(struct nlattr **tb, int attr)
{
	return tb[attr] ? nla_get_u64(tb[attr]) : 0;
}

int zsv_dev_info_parse(struct nlmsghdr *nlh, struct zsv_dev_info **out)
{
	struct nlattr *tb[ZSV_A_DEV_MAX + 1];
	const char *name, *backend;
	struct zsv_dev_info *dev;
	size_t name_len, backend_len;
	char *strings;
	int attr;

	if (genlmsg_parse(nlh, 0, tb, ZSV_A_DEV_MAX,
			  (struct nla_policy *)dev_policy) < 0)
		return -EPROTO;
	/* Without these two a reply names nothing. */
	if (!tb[ZSV_A_DEV_ID] || !tb[ZSV_A_DEV_NAME])
		return -EPROTO;
	name = nla_get_string(tb[ZSV_A_DEV_NAME]);
	backend = tb[ZSV_A_DEV_BACKEND] ?
			  nla_get_string(tb[ZSV_A_DEV_BACKEND]) :
			  "";
	name_len = strlen(name) + 1;
	backend_len = strlen(backend) + 1;

	/* One allocation: the struct, then its strings. */
	dev = calloc(1, sizeof(*dev) + name_len + backend_len);
	if (!dev)
		return -ENOMEM;
	strings = (char *)(dev + 1);
	dev->name = memcpy(strings, name, name_len);
	dev->backend = memcpy(strings + name_len, backend, backend_len);

	for (attr = 1; attr <= ZSV_A_DEV_MAX; attr++)
		if (tb[attr])
			dev->present |= 1ULL << attr;
	dev->id = get_u32(tb, ZSV_A_DEV_ID);
	dev->mem_total_bytes = get_u64(tb, ZSV_A_DEV_MEM_TOTAL);
	dev->mem_reserved_bytes = get_u64(tb, ZSV_A_DEV_MEM_RESERVED);
	dev->mem_used_bytes = get_u64(tb, ZSV_A_DEV_MEM_USED);
	dev->engines = get_u32(tb, ZSV_A_DEV_ENGINES);
	dev->policy = get_u32(tb, ZSV_A_DEV_POLICY);
	dev->timeslice_ns = get_u64(tb, ZSV_A_DEV_TIMESLICE_NS);
	dev->period_ns = get_u64(tb, ZSV_A_DEV_PERIOD_NS);
	dev->slice_count = get_u32(tb, ZSV_A_DEV_SLICE_COUNT);
	dev->oversub_pct = get_u32(tb, ZSV_A_DEV_OVERSUB_PCT);
	dev->mem_shared_bytes = get_u64(tb, ZSV_A_DEV_MEM_SHARED);
	dev->busy_ns = get_u64(tb, ZSV_A_DEV_BUSY_NS);
	dev->jobs_completed = get_u64(tb, ZSV_A_DEV_JOBS_COMPLETED);
	dev->headroom_reserved_bytes = get_u64(tb, ZSV_A_DEV_HEADROOM_RESERVED);
	dev->headroom_shared_bytes = get_u64(tb, ZSV_A_DEV_HEADROOM_SHARED);
	dev->headroom_engine_pct = get_u32(tb, ZSV_A_DEV_HEADROOM_ENGINE_PCT);
	*out = dev;
	return 0;
}

void zsv_dev_info_free(struct zsv_dev_info *dev)
{
	free(dev);
}

struct dev_dump {
	zsv_dev_cb cb;
	void *arg;
};

static int dev_dump_reply(struct nlmsghdr *nlh, void *arg)
{
	struct dev_dump *dump = arg;
	struct zsv_dev_info *dev;
	int err;

	err = zsv_dev_info_parse(nlh, &dev);
	if (err)
		return err;
	err = dump->cb(dev, dump->arg);
	zsv_dev_info_free(dev);
	return err;
}

int zsv_dev_dump(struct zsv_handle *h, zsv_dev_cb cb, void *arg)
{
	struct dev_dump dump = { .cb = cb, .arg = arg };
	struct nl_msg *msg;

	msg = zsv_msg_new(h, ZSV_CMD_DEV_GET, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	return zsv_transact(h, msg, dev_dump_reply, &dump);
}

struct dev_array {
	struct zsv_dev_info **devs;
	size_t count;
	size_t size;
};

static int dev_array_add(struct dev_array *a, struct zsv_dev_info *dev)
{
	struct zsv_dev_info **devs;
	size_t size;

	if (a->count == a->size) {
		size = a->size ? 2 * a->size : 8;
		devs = reallocarray(a->devs, size, sizeof(*devs));
		if (!devs)
			return -ENOMEM;
		a->devs = devs;
		a->size = size;
	}
	a->devs[a->count++] = dev;
	return 0;
}

static int dev_list_reply(struct nlmsghdr *nlh, void *arg)
{
	struct zsv_dev_info *dev;
	int err;

	err = zsv_dev_info_parse(nlh, &dev);
	if (err)
		return err;
	err = dev_array_add(arg, dev);
	if (err)
		zsv_dev_info_free(dev);
	return err;
}

void zsv_dev_list_free(struct zsv_dev_info **devs, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		zsv_dev_info_free(devs[i]);
	free(devs);
}

int zsv_dev_list(struct zsv_handle *h, struct zsv_dev_info ***devs,
		 size_t *count)
{
	struct dev_array a;
	struct nl_msg *msg;
	int err, tries = 0;

	do {
		memset(&a, 0, sizeof(a));
		msg = zsv_msg_new(h, ZSV_CMD_DEV_GET, NLM_F_DUMP);
		if (!msg)
			return -ENOMEM;
		err = zsv_transact(h, msg, dev_list_reply, &a);
		if (err)
			zsv_dev_list_free(a.devs, a.count);
	} while (err == -EAGAIN && ++tries < DEV_LIST_RETRIES);
	if (err)
		return err;
	*devs = a.devs;
	*count = a.count;
	return 0;
}

static int dev_get_reply(struct nlmsghdr *nlh, void *arg)
{
	struct zsv_dev_info **out = arg;

	/* A do request has exactly one reply. */
	if (*out)
		return -EPROTO;
	return zsv_dev_info_parse(nlh, out);
}

static int dev_get(struct zsv_handle *h, struct nl_msg *msg,
		   struct zsv_dev_info **dev)
{
	struct zsv_dev_info *found = NULL;
	int err;

	err = zsv_transact(h, msg, dev_get_reply, &found);
	if (!err && !found)
		err = -EPROTO;
	if (err) {
		zsv_dev_info_free(found);
		return err;
	}
	*dev = found;
	return 0;
}

int zsv_dev_get_by_name(struct zsv_handle *h, const char *name,
			struct zsv_dev_info **dev)
{
	struct nl_msg *msg;

	if (!name)
		return -EINVAL;
	msg = zsv_msg_new(h, ZSV_CMD_DEV_GET, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, ZSV_A_DEV_NAME, name) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return dev_get(h, msg, dev);
}

int zsv_dev_get_by_id(struct zsv_handle *h, uint32_t id,
		      struct zsv_dev_info **dev)
{
	struct nl_msg *msg;

	msg = zsv_msg_new(h, ZSV_CMD_DEV_GET, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, ZSV_A_DEV_ID, id) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return dev_get(h, msg, dev);
}

/* ------------------------------------------------------------------ */
/* Changes */

#define DEV_SET_ATTRS                           \
	(ZSV_ATTR_BIT(ZSV_A_DEV_POLICY) |       \
	 ZSV_ATTR_BIT(ZSV_A_DEV_TIMESLICE_NS) | \
	 ZSV_ATTR_BIT(ZSV_A_DEV_PERIOD_NS) |    \
	 ZSV_ATTR_BIT(ZSV_A_DEV_OVERSUB_PCT))
#define DEV_NEW_ATTRS                                                          \
	(ZSV_ATTR_BIT(ZSV_A_DEV_BACKEND) | ZSV_ATTR_BIT(ZSV_A_DEV_MEM_TOTAL) | \
	 ZSV_ATTR_BIT(ZSV_A_DEV_ENGINES))

/* Add the members of @p that its mask names; 0 or -ENOMEM. */
static int dev_params_put(struct nl_msg *msg, const struct zsv_dev_params *p)
{
	uint64_t m = p->mask;

	if (((m & ZSV_ATTR_BIT(ZSV_A_DEV_BACKEND)) &&
	     nla_put_string(msg, ZSV_A_DEV_BACKEND, p->backend) < 0) ||
	    ((m & ZSV_ATTR_BIT(ZSV_A_DEV_MEM_TOTAL)) &&
	     nla_put_u64(msg, ZSV_A_DEV_MEM_TOTAL, p->mem_total_bytes) < 0) ||
	    ((m & ZSV_ATTR_BIT(ZSV_A_DEV_ENGINES)) &&
	     nla_put_u32(msg, ZSV_A_DEV_ENGINES, p->engines) < 0) ||
	    ((m & ZSV_ATTR_BIT(ZSV_A_DEV_POLICY)) &&
	     nla_put_u32(msg, ZSV_A_DEV_POLICY, p->policy) < 0) ||
	    ((m & ZSV_ATTR_BIT(ZSV_A_DEV_TIMESLICE_NS)) &&
	     nla_put_u64(msg, ZSV_A_DEV_TIMESLICE_NS, p->timeslice_ns) < 0) ||
	    ((m & ZSV_ATTR_BIT(ZSV_A_DEV_PERIOD_NS)) &&
	     nla_put_u64(msg, ZSV_A_DEV_PERIOD_NS, p->period_ns) < 0) ||
	    ((m & ZSV_ATTR_BIT(ZSV_A_DEV_OVERSUB_PCT)) &&
	     nla_put_u32(msg, ZSV_A_DEV_OVERSUB_PCT, p->oversub_pct) < 0))
		return -ENOMEM;
	return 0;
}

int zsv_dev_set(struct zsv_handle *h, const char *name,
		const struct zsv_dev_params *p)
{
	struct nl_msg *msg;

	if (!name || !p || !p->mask || (p->mask & ~DEV_SET_ATTRS))
		return -EINVAL;
	msg = zsv_msg_new(h, ZSV_CMD_DEV_SET, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, ZSV_A_DEV_NAME, name) < 0 ||
	    dev_params_put(msg, p)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return zsv_transact(h, msg, NULL, NULL);
}

int zsv_dev_new(struct zsv_handle *h, const struct zsv_dev_params *p,
		struct zsv_dev_info **dev)
{
	struct zsv_dev_info *made = NULL;
	struct nl_msg *msg;
	int err;

	if (!p || (p->mask & ~DEV_NEW_ATTRS) ||
	    ((p->mask & ZSV_ATTR_BIT(ZSV_A_DEV_BACKEND)) && !p->backend))
		return -EINVAL;
	msg = zsv_msg_new(h, ZSV_CMD_DEV_NEW, 0);
	if (!msg)
		return -ENOMEM;
	if (dev_params_put(msg, p)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	err = zsv_transact(h, msg, dev_get_reply, &made);
	/* The kernel replies with the new pdev; without it, it broke the ABI. */
	if (!err && !made)
		err = -EPROTO;
	if (err || !dev)
		zsv_dev_info_free(made);
	else
		*dev = made;
	return err;
}

int zsv_dev_del(struct zsv_handle *h, const char *name)
{
	struct nl_msg *msg;

	if (!name)
		return -EINVAL;
	msg = zsv_msg_new(h, ZSV_CMD_DEV_DEL, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, ZSV_A_DEV_NAME, name) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return zsv_transact(h, msg, NULL, NULL);
}
