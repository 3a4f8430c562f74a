// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Tenants: ZSV_CMD_TENANT_GET (do and dump), ZSV_CMD_TENANT_NEW,
 * ZSV_CMD_TENANT_SET and ZSV_CMD_TENANT_DEL.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "nl.h"

/* How many times zsv_tenant_list() retries a dump the kernel flagged. */
#define TENANT_LIST_RETRIES 5

static const struct nla_policy tenant_policy[ZSV_A_TENANT_MAX + 1] = {
	[ZSV_A_TENANT_ID] = { .type = NLA_U32 },
	[ZSV_A_TENANT_NAME] = { .type = NLA_STRING,
				.maxlen = ZSV_NAME_MAX + 1 },
	[ZSV_A_TENANT_MEM_MAX] = { .type = NLA_U64 },
	[ZSV_A_TENANT_SLICES_MAX] = { .type = NLA_U64 },
	[ZSV_A_TENANT_COMPUTE_MAX] = { .type = NLA_U64 },
	[ZSV_A_TENANT_MEM] = { .type = NLA_U64 },
	[ZSV_A_TENANT_SLICES] = { .type = NLA_U64 },
	[ZSV_A_TENANT_COMPUTE] = { .type = NLA_U64 },
	[ZSV_A_TENANT_MEM_USED] = { .type = NLA_U64 },
	[ZSV_A_TENANT_BUSY_NS] = { .type = NLA_U64 },
	[ZSV_A_TENANT_QUOTA_HITS] = { .type = NLA_U64 },
	[ZSV_A_TENANT_WEIGHT] = { .type = NLA_U32 },
};

_Static_assert(ZSV_A_TENANT_MAX < 64, "zsv_tenant_info.present has 64 bits");

/* What tenant-new and tenant-set take from struct zsv_tenant_params. */
#define TENANT_PARAM_ATTRS                        \
	(ZSV_ATTR_BIT(ZSV_A_TENANT_MEM_MAX) |     \
	 ZSV_ATTR_BIT(ZSV_A_TENANT_SLICES_MAX) |  \
	 ZSV_ATTR_BIT(ZSV_A_TENANT_COMPUTE_MAX) | \
	 ZSV_ATTR_BIT(ZSV_A_TENANT_WEIGHT))

static uint64_t get_u64(struct nlattr **tb, int attr)
{
	return tb[attr] ? nla_get_u64(tb[attr]) : 0;
}

/* A limit the kernel did not send is no limit, not 0. */
static uint64_t get_limit(struct nlattr **tb, int attr)
{
	return tb[attr] ? nla_get_u64(tb[attr]) : ZSV_LIMIT_NONE;
}

int zsv_tenant_info_parse(struct nlmsghdr *nlh, struct zsv_tenant_info **out)
{
	struct nlattr *tb[ZSV_A_TENANT_MAX + 1];
	struct zsv_tenant_info *tenant;
	const char *name;
	size_t name_len;
	int attr;

	if (genlmsg_parse(nlh, 0, tb, ZSV_A_TENANT_MAX,
			  (struct nla_policy *)tenant_policy) < 0)
		return -EPROTO;
	/* Without these two a reply names nothing. */
	if (!tb[ZSV_A_TENANT_ID] || !tb[ZSV_A_TENANT_NAME])
		return -EPROTO;
	name = nla_get_string(tb[ZSV_A_TENANT_NAME]);
	name_len = strlen(name) + 1;

	/* One allocation: the struct, then its name. */
	tenant = calloc(1, sizeof(*tenant) + name_len);
	if (!tenant)
		return -ENOMEM;
	tenant->name = memcpy(tenant + 1, name, name_len);
	for (attr = 1; attr <= ZSV_A_TENANT_MAX; attr++)
		if (tb[attr])
			tenant->present |= ZSV_ATTR_BIT(attr);
	tenant->id = nla_get_u32(tb[ZSV_A_TENANT_ID]);
	tenant->mem_max_bytes = get_limit(tb, ZSV_A_TENANT_MEM_MAX);
	tenant->slices_max = get_limit(tb, ZSV_A_TENANT_SLICES_MAX);
	tenant->compute_max = get_limit(tb, ZSV_A_TENANT_COMPUTE_MAX);
	tenant->mem_bytes = get_u64(tb, ZSV_A_TENANT_MEM);
	tenant->slices = get_u64(tb, ZSV_A_TENANT_SLICES);
	tenant->compute = get_u64(tb, ZSV_A_TENANT_COMPUTE);
	tenant->mem_used_bytes = get_u64(tb, ZSV_A_TENANT_MEM_USED);
	tenant->busy_ns = get_u64(tb, ZSV_A_TENANT_BUSY_NS);
	tenant->quota_hits = get_u64(tb, ZSV_A_TENANT_QUOTA_HITS);
	/* A kernel before tenant weights gives every tenant the default. */
	tenant->weight = tb[ZSV_A_TENANT_WEIGHT] ?
				 nla_get_u32(tb[ZSV_A_TENANT_WEIGHT]) :
				 ZSV_WEIGHT_DEFAULT;
	*out = tenant;
	return 0;
}

void zsv_tenant_info_free(struct zsv_tenant_info *tenant)
{
	free(tenant);
}

/* ------------------------------------------------------------------ */
/* Reading */

struct tenant_dump {
	zsv_tenant_cb cb;
	void *arg;
};

static int tenant_dump_reply(struct nlmsghdr *nlh, void *arg)
{
	struct tenant_dump *dump = arg;
	struct zsv_tenant_info *tenant;
	int err;

	err = zsv_tenant_info_parse(nlh, &tenant);
	if (err)
		return err;
	err = dump->cb(tenant, dump->arg);
	zsv_tenant_info_free(tenant);
	return err;
}

int zsv_tenant_dump(struct zsv_handle *h, zsv_tenant_cb cb, void *arg)
{
	struct tenant_dump dump = { .cb = cb, .arg = arg };
	struct nl_msg *msg;

	if (!cb)
		return -EINVAL;
	msg = zsv_msg_new(h, ZSV_CMD_TENANT_GET, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	return zsv_transact(h, msg, tenant_dump_reply, &dump);
}

struct tenant_array {
	struct zsv_tenant_info **tenants;
	size_t count;
	size_t size;
};

static int tenant_list_reply(struct nlmsghdr *nlh, void *arg)
{
	struct tenant_array *a = arg;
	struct zsv_tenant_info **tenants, *tenant;
	size_t size;
	int err;

	if (a->count == a->size) {
		size = a->size ? 2 * a->size : 8;
		tenants = reallocarray(a->tenants, size, sizeof(*tenants));
		if (!tenants)
			return -ENOMEM;
		a->tenants = tenants;
		a->size = size;
	}
	err = zsv_tenant_info_parse(nlh, &tenant);
	if (err)
		return err;
	a->tenants[a->count++] = tenant;
	return 0;
}

void zsv_tenant_list_free(struct zsv_tenant_info **tenants, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		zsv_tenant_info_free(tenants[i]);
	free(tenants);
}

int zsv_tenant_list(struct zsv_handle *h, struct zsv_tenant_info ***tenants,
		    size_t *count)
{
	struct tenant_array a;
	struct nl_msg *msg;
	int err, tries = 0;

	if (!tenants || !count)
		return -EINVAL;
	do {
		memset(&a, 0, sizeof(a));
		msg = zsv_msg_new(h, ZSV_CMD_TENANT_GET, NLM_F_DUMP);
		if (!msg)
			return -ENOMEM;
		err = zsv_transact(h, msg, tenant_list_reply, &a);
		if (err)
			zsv_tenant_list_free(a.tenants, a.count);
	} while (err == -EAGAIN && ++tries < TENANT_LIST_RETRIES);
	if (err)
		return err;
	*tenants = a.tenants;
	*count = a.count;
	return 0;
}

static int tenant_get_reply(struct nlmsghdr *nlh, void *arg)
{
	struct zsv_tenant_info **out = arg;

	/* A do request has exactly one reply. */
	if (*out)
		return -EPROTO;
	return zsv_tenant_info_parse(nlh, out);
}

/*
 * Send @msg (consumed) and take its one reply into *tenant when @tenant
 * is not NULL; a missing reply is the kernel breaking the ABI.
 */
static int tenant_transact_one(struct zsv_handle *h, struct nl_msg *msg,
			       struct zsv_tenant_info **tenant)
{
	struct zsv_tenant_info *found = NULL;
	int err;

	err = zsv_transact(h, msg, tenant_get_reply, &found);
	if (!err && !found)
		err = -EPROTO;
	if (err || !tenant)
		zsv_tenant_info_free(found);
	else
		*tenant = found;
	return err;
}

/* A request of @cmd naming the tenant @name; NULL when out of memory. */
static struct nl_msg *tenant_msg(struct zsv_handle *h, uint8_t cmd,
				 const char *name)
{
	struct nl_msg *msg = zsv_msg_new(h, cmd, 0);

	if (msg && nla_put_string(msg, ZSV_A_TENANT_NAME, name) < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int zsv_tenant_get_by_name(struct zsv_handle *h, const char *name,
			   struct zsv_tenant_info **tenant)
{
	struct nl_msg *msg;

	if (!name || !tenant)
		return -EINVAL;
	msg = tenant_msg(h, ZSV_CMD_TENANT_GET, name);
	if (!msg)
		return -ENOMEM;
	return tenant_transact_one(h, msg, tenant);
}

/* ------------------------------------------------------------------ */
/* Changes */

/* Add the limits and weight of @p that its mask names; 0 or -ENOMEM. */
static int tenant_params_put(struct nl_msg *msg,
			     const struct zsv_tenant_params *p)
{
	uint64_t m = p->mask;

	if (((m & ZSV_ATTR_BIT(ZSV_A_TENANT_MEM_MAX)) &&
	     nla_put_u64(msg, ZSV_A_TENANT_MEM_MAX, p->mem_max_bytes) < 0) ||
	    ((m & ZSV_ATTR_BIT(ZSV_A_TENANT_SLICES_MAX)) &&
	     nla_put_u64(msg, ZSV_A_TENANT_SLICES_MAX, p->slices_max) < 0) ||
	    ((m & ZSV_ATTR_BIT(ZSV_A_TENANT_COMPUTE_MAX)) &&
	     nla_put_u64(msg, ZSV_A_TENANT_COMPUTE_MAX, p->compute_max) < 0) ||
	    ((m & ZSV_ATTR_BIT(ZSV_A_TENANT_WEIGHT)) &&
	     nla_put_u32(msg, ZSV_A_TENANT_WEIGHT, p->weight) < 0))
		return -ENOMEM;
	return 0;
}

int zsv_tenant_new(struct zsv_handle *h, const char *name,
		   const struct zsv_tenant_params *p,
		   struct zsv_tenant_info **tenant)
{
	struct nl_msg *msg;

	if (!name || (p && (p->mask & ~TENANT_PARAM_ATTRS)))
		return -EINVAL;
	msg = tenant_msg(h, ZSV_CMD_TENANT_NEW, name);
	if (!msg)
		return -ENOMEM;
	if (p && tenant_params_put(msg, p)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return tenant_transact_one(h, msg, tenant);
}

int zsv_tenant_set(struct zsv_handle *h, const char *name,
		   const struct zsv_tenant_params *p)
{
	struct nl_msg *msg;

	if (!name || !p || !p->mask || (p->mask & ~TENANT_PARAM_ATTRS))
		return -EINVAL;
	msg = tenant_msg(h, ZSV_CMD_TENANT_SET, name);
	if (!msg)
		return -ENOMEM;
	if (tenant_params_put(msg, p)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return zsv_transact(h, msg, NULL, NULL);
}

int zsv_tenant_del(struct zsv_handle *h, const char *name)
{
	struct nl_msg *msg;

	if (!name)
		return -EINVAL;
	msg = tenant_msg(h, ZSV_CMD_TENANT_DEL, name);
	if (!msg)
		return -ENOMEM;
	return zsv_transact(h, msg, NULL, NULL);
}
