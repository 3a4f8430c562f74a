// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control plane: generic netlink family "zsv", as specified in
 * Documentation/netlink/specs/zsv.yaml.
 *
 * Every operation has its own strict policy; anything the policy does not
 * name is rejected by the genetlink core, and every rejection made here
 * carries an extack message naming the attribute and the rule it broke.
 * Requests are carried out and replies built under zsv_lock, so each reply
 * is a consistent snapshot and notifications go out in the order of the
 * changes they report.
 */
#include <linux/cred.h>
#include <net/genetlink.h>

#include "compat.h"
#include "zsv.h"

static struct genl_family zsv_nl_family;

enum {
	ZSV_NL_MCGRP_MONITOR,
};

/*
 * Bumped under zsv_lock whenever the set of pdevs, slices or tenants
 * changes, so
 * that a dump spanning several messages can flag NLM_F_DUMP_INTR.
 */
static unsigned int zsv_nl_generation = 1;

static void zsv_nl_objects_changed_locked(void)
{
	lockdep_assert_held(&zsv_lock);
	/* 0 means "not tracked" to the dump consistency check. */
	zsv_nl_generation = zsv_nl_generation + 1 ?: 1;
}

/* --- policies ----------------------------------------------------------- */

/* Lengths of names are checked by zsv_nl_name(), to say what the limit is. */
static const struct nla_policy zsv_dev_get_policy[ZSV_A_DEV_NAME + 1] = {
	[ZSV_A_DEV_ID] = { .type = NLA_U32 },
	[ZSV_A_DEV_NAME] = { .type = NLA_NUL_STRING },
};

static const struct nla_policy zsv_dev_set_policy[ZSV_A_DEV_OVERSUB_PCT + 1] = {
	[ZSV_A_DEV_ID] = { .type = NLA_U32 },
	[ZSV_A_DEV_NAME] = { .type = NLA_NUL_STRING },
	[ZSV_A_DEV_POLICY] = { .type = NLA_U32 },
	[ZSV_A_DEV_TIMESLICE_NS] = { .type = NLA_U64 },
	[ZSV_A_DEV_PERIOD_NS] = { .type = NLA_U64 },
	[ZSV_A_DEV_OVERSUB_PCT] = { .type = NLA_U32 },
};

static const struct nla_policy zsv_dev_new_policy[ZSV_A_DEV_ENGINES + 1] = {
	[ZSV_A_DEV_BACKEND] = { .type = NLA_NUL_STRING, .len = ZSV_NAME_MAX },
	[ZSV_A_DEV_MEM_TOTAL] = { .type = NLA_U64 },
	[ZSV_A_DEV_ENGINES] = { .type = NLA_U32 },
};

static const struct nla_policy zsv_slice_new_policy[ZSV_A_SLICE_TENANT + 1] = {
	[ZSV_A_SLICE_NAME] = { .type = NLA_NUL_STRING },
	[ZSV_A_SLICE_DEV_ID] = { .type = NLA_U32 },
	[ZSV_A_SLICE_DEV_NAME] = { .type = NLA_NUL_STRING },
	[ZSV_A_SLICE_MEM_BYTES] = { .type = NLA_U64 },
	[ZSV_A_SLICE_MEM_MODE] = { .type = NLA_U32 },
	[ZSV_A_SLICE_WEIGHT] = { .type = NLA_U32 },
	[ZSV_A_SLICE_CAP_PCT] = { .type = NLA_U32 },
	[ZSV_A_SLICE_TIMESLICE_NS] = { .type = NLA_U64 },
	[ZSV_A_SLICE_UID] = { .type = NLA_U32 },
	[ZSV_A_SLICE_GID] = { .type = NLA_U32 },
	[ZSV_A_SLICE_NODE_MODE] = { .type = NLA_U32 },
	[ZSV_A_SLICE_PLACEMENT] = { .type = NLA_U32 },
	[ZSV_A_SLICE_BACKEND] = { .type = NLA_NUL_STRING },
	[ZSV_A_SLICE_TENANT] = { .type = NLA_NUL_STRING },
};

static const struct nla_policy zsv_slice_set_policy[ZSV_A_SLICE_TENANT + 1] = {
	[ZSV_A_SLICE_ID] = { .type = NLA_U32 },
	[ZSV_A_SLICE_NAME] = { .type = NLA_NUL_STRING },
	[ZSV_A_SLICE_MEM_BYTES] = { .type = NLA_U64 },
	[ZSV_A_SLICE_WEIGHT] = { .type = NLA_U32 },
	[ZSV_A_SLICE_CAP_PCT] = { .type = NLA_U32 },
	[ZSV_A_SLICE_TIMESLICE_NS] = { .type = NLA_U64 },
	[ZSV_A_SLICE_UID] = { .type = NLA_U32 },
	[ZSV_A_SLICE_GID] = { .type = NLA_U32 },
	[ZSV_A_SLICE_NODE_MODE] = { .type = NLA_U32 },
	[ZSV_A_SLICE_TENANT] = { .type = NLA_NUL_STRING },
};

static const struct nla_policy zsv_slice_del_policy[ZSV_A_SLICE_FORCE + 1] = {
	[ZSV_A_SLICE_ID] = { .type = NLA_U32 },
	[ZSV_A_SLICE_NAME] = { .type = NLA_NUL_STRING },
	[ZSV_A_SLICE_FORCE] = { .type = NLA_FLAG },
};

static const struct nla_policy zsv_group_new_policy[ZSV_A_SLICE_DISTINCT + 1] = {
	[ZSV_A_SLICE_MEM_BYTES] = { .type = NLA_U64 },
	[ZSV_A_SLICE_MEM_MODE] = { .type = NLA_U32 },
	[ZSV_A_SLICE_WEIGHT] = { .type = NLA_U32 },
	[ZSV_A_SLICE_CAP_PCT] = { .type = NLA_U32 },
	[ZSV_A_SLICE_TIMESLICE_NS] = { .type = NLA_U64 },
	[ZSV_A_SLICE_UID] = { .type = NLA_U32 },
	[ZSV_A_SLICE_GID] = { .type = NLA_U32 },
	[ZSV_A_SLICE_NODE_MODE] = { .type = NLA_U32 },
	[ZSV_A_SLICE_PLACEMENT] = { .type = NLA_U32 },
	[ZSV_A_SLICE_BACKEND] = { .type = NLA_NUL_STRING },
	[ZSV_A_SLICE_TENANT] = { .type = NLA_NUL_STRING },
	[ZSV_A_SLICE_GROUP] = { .type = NLA_NUL_STRING },
	[ZSV_A_SLICE_COUNT] = { .type = NLA_U32 },
	[ZSV_A_SLICE_DISTINCT] = { .type = NLA_U8 },
};

static const struct nla_policy zsv_group_del_policy[ZSV_A_SLICE_GROUP + 1] = {
	[ZSV_A_SLICE_FORCE] = { .type = NLA_FLAG },
	[ZSV_A_SLICE_GROUP] = { .type = NLA_NUL_STRING },
};

static const struct nla_policy zsv_slice_get_policy[ZSV_A_SLICE_DEV_NAME + 1] = {
	[ZSV_A_SLICE_ID] = { .type = NLA_U32 },
	[ZSV_A_SLICE_NAME] = { .type = NLA_NUL_STRING },
	[ZSV_A_SLICE_DEV_ID] = { .type = NLA_U32 },
	[ZSV_A_SLICE_DEV_NAME] = { .type = NLA_NUL_STRING },
};

static const struct nla_policy zsv_tenant_new_policy[ZSV_A_TENANT_WEIGHT + 1] = {
	[ZSV_A_TENANT_NAME] = { .type = NLA_NUL_STRING },
	[ZSV_A_TENANT_MEM_MAX] = { .type = NLA_U64 },
	[ZSV_A_TENANT_SLICES_MAX] = { .type = NLA_U64 },
	[ZSV_A_TENANT_COMPUTE_MAX] = { .type = NLA_U64 },
	[ZSV_A_TENANT_WEIGHT] = { .type = NLA_U32 },
};

static const struct nla_policy zsv_tenant_set_policy[ZSV_A_TENANT_WEIGHT + 1] = {
	[ZSV_A_TENANT_ID] = { .type = NLA_U32 },
	[ZSV_A_TENANT_NAME] = { .type = NLA_NUL_STRING },
	[ZSV_A_TENANT_MEM_MAX] = { .type = NLA_U64 },
	[ZSV_A_TENANT_SLICES_MAX] = { .type = NLA_U64 },
	[ZSV_A_TENANT_COMPUTE_MAX] = { .type = NLA_U64 },
	[ZSV_A_TENANT_WEIGHT] = { .type = NLA_U32 },
};

static const struct nla_policy zsv_tenant_get_policy[ZSV_A_TENANT_NAME + 1] = {
	[ZSV_A_TENANT_ID] = { .type = NLA_U32 },
	[ZSV_A_TENANT_NAME] = { .type = NLA_NUL_STRING },
};

/* --- replies -------------------------------------------------------------- */

static int zsv_nl_fill_dev(struct sk_buff *skb, struct zsv_pdev *pdev,
			   u32 portid, u32 seq, int flags, u8 cmd,
			   struct netlink_callback *cb)
{
	u64 busy_ns, jobs;
	void *hdr;

	zsv_sched_pdev_stats(pdev, &busy_ns, &jobs);
	hdr = genlmsg_put(skb, portid, seq, &zsv_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	if (nla_put_u32(skb, ZSV_A_DEV_ID, pdev->id) ||
	    nla_put_string(skb, ZSV_A_DEV_NAME, dev_name(&pdev->dev)) ||
	    nla_put_string(skb, ZSV_A_DEV_BACKEND, pdev->backend->name) ||
	    nla_put_u64_64bit(skb, ZSV_A_DEV_MEM_TOTAL, pdev->mem_total_bytes,
			      ZSV_A_DEV_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_DEV_MEM_RESERVED,
			      pdev->mem_reserved_bytes, ZSV_A_DEV_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_DEV_MEM_USED, pdev->mem_used_bytes,
			      ZSV_A_DEV_PAD) ||
	    nla_put_u32(skb, ZSV_A_DEV_ENGINES, pdev->engines) ||
	    nla_put_u32(skb, ZSV_A_DEV_POLICY, pdev->policy) ||
	    nla_put_u64_64bit(skb, ZSV_A_DEV_TIMESLICE_NS, pdev->timeslice_ns,
			      ZSV_A_DEV_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_DEV_PERIOD_NS, pdev->period_ns,
			      ZSV_A_DEV_PAD) ||
	    nla_put_u32(skb, ZSV_A_DEV_SLICE_COUNT, pdev->slice_count) ||
	    nla_put_u32(skb, ZSV_A_DEV_OVERSUB_PCT, pdev->oversub_pct) ||
	    nla_put_u64_64bit(skb, ZSV_A_DEV_MEM_SHARED, pdev->mem_shared_bytes,
			      ZSV_A_DEV_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_DEV_BUSY_NS, busy_ns, ZSV_A_DEV_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_DEV_JOBS_COMPLETED, jobs,
			      ZSV_A_DEV_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_DEV_HEADROOM_RESERVED,
			      zsv_mem_headroom_locked(pdev,
						      ZSV_MEM_MODE_RESERVED),
			      ZSV_A_DEV_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_DEV_HEADROOM_SHARED,
			      zsv_mem_headroom_locked(pdev,
						      ZSV_MEM_MODE_SHARED),
			      ZSV_A_DEV_PAD) ||
	    nla_put_u32(skb, ZSV_A_DEV_HEADROOM_ENGINE_PCT,
			zsv_slice_engine_headroom_locked(pdev))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}

	genlmsg_end(skb, hdr);
	return 0;
}

static int zsv_nl_fill_slice(struct sk_buff *skb,
			     struct zsv_slice *slice, u32 portid,
			     u32 seq, int flags, u8 cmd,
			     struct netlink_callback *cb)
{
	char node[sizeof("/dev/zsv/") + ZSV_NAME_MAX];
	struct zsv_slice_stats st;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &zsv_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	snprintf(node, sizeof(node), "/dev/zsv/%s", slice->name);
	zsv_sched_slice_stats(slice, &st);
	if (nla_put_u32(skb, ZSV_A_SLICE_ID, slice->id) ||
	    nla_put_string(skb, ZSV_A_SLICE_NAME, slice->name) ||
	    nla_put_u32(skb, ZSV_A_SLICE_DEV_ID, slice->pdev->id) ||
	    nla_put_string(skb, ZSV_A_SLICE_DEV_NAME,
			   dev_name(&slice->pdev->dev)) ||
	    nla_put_u64_64bit(skb, ZSV_A_SLICE_MEM_BYTES, slice->mem_bytes,
			      ZSV_A_SLICE_PAD) ||
	    nla_put_u32(skb, ZSV_A_SLICE_MEM_MODE, slice->mem_mode) ||
	    nla_put_u32(skb, ZSV_A_SLICE_WEIGHT, slice->weight) ||
	    nla_put_u32(skb, ZSV_A_SLICE_CAP_PCT, slice->cap_pct) ||
	    nla_put_u64_64bit(skb, ZSV_A_SLICE_TIMESLICE_NS,
			      slice->timeslice_ns, ZSV_A_SLICE_PAD) ||
	    nla_put_u32(skb, ZSV_A_SLICE_UID,
			from_kuid_munged(&init_user_ns, slice->uid)) ||
	    nla_put_u32(skb, ZSV_A_SLICE_GID,
			from_kgid_munged(&init_user_ns, slice->gid)) ||
	    nla_put_u32(skb, ZSV_A_SLICE_NODE_MODE, slice->node_mode) ||
	    nla_put_string(skb, ZSV_A_SLICE_NODE, node) ||
	    nla_put_u32(skb, ZSV_A_SLICE_CONTEXTS, slice->nr_contexts) ||
	    nla_put_u64_64bit(skb, ZSV_A_SLICE_MEM_USED, slice->mem_used_bytes,
			      ZSV_A_SLICE_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_SLICE_MEM_PEAK, slice->mem_peak_bytes,
			      ZSV_A_SLICE_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_SLICE_QUOTA_HITS, slice->quota_hits,
			      ZSV_A_SLICE_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_SLICE_BUSY_NS, st.busy_ns,
			      ZSV_A_SLICE_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_SLICE_JOBS_SUBMITTED,
			      st.jobs_submitted, ZSV_A_SLICE_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_SLICE_JOBS_COMPLETED,
			      st.jobs_completed, ZSV_A_SLICE_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_SLICE_JOBS_FAILED, st.jobs_failed,
			      ZSV_A_SLICE_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_SLICE_THROTTLED_NS, st.throttled_ns,
			      ZSV_A_SLICE_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_SLICE_CTX_SWITCHES, st.ctx_switches,
			      ZSV_A_SLICE_PAD) ||
	    nla_put_u32(skb, ZSV_A_SLICE_SHARE_PROMISED_PPM, st.promised_ppm) ||
	    nla_put_u8(skb, ZSV_A_SLICE_MEDIATED, slice->mediated) ||
	    nla_put_u8(skb, ZSV_A_SLICE_VFIO_OPEN, slice->vfio_open) ||
	    nla_put_u32(skb, ZSV_A_SLICE_SHARE_DELIVERED_PPM,
			st.delivered_ppm) ||
	    (slice->tenant &&
	     nla_put_string(skb, ZSV_A_SLICE_TENANT, slice->tenant->name)) ||
	    (slice->group[0] &&
	     nla_put_string(skb, ZSV_A_SLICE_GROUP, slice->group))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}

	genlmsg_end(skb, hdr);
	return 0;
}

static int zsv_nl_fill_tenant(struct sk_buff *skb, struct zsv_tenant *tenant,
			      u32 portid, u32 seq, int flags, u8 cmd,
			      struct netlink_callback *cb)
{
	u64 mem_used, busy_ns;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &zsv_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	zsv_tenant_usage_locked(tenant, &mem_used, &busy_ns);
	if (nla_put_u32(skb, ZSV_A_TENANT_ID, tenant->id) ||
	    nla_put_string(skb, ZSV_A_TENANT_NAME, tenant->name) ||
	    nla_put_u64_64bit(skb, ZSV_A_TENANT_MEM_MAX, tenant->mem_max,
			      ZSV_A_TENANT_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_TENANT_SLICES_MAX, tenant->slices_max,
			      ZSV_A_TENANT_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_TENANT_COMPUTE_MAX,
			      tenant->compute_max, ZSV_A_TENANT_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_TENANT_MEM, tenant->mem,
			      ZSV_A_TENANT_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_TENANT_SLICES, tenant->slices,
			      ZSV_A_TENANT_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_TENANT_COMPUTE, tenant->compute,
			      ZSV_A_TENANT_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_TENANT_MEM_USED, mem_used,
			      ZSV_A_TENANT_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_TENANT_BUSY_NS, busy_ns,
			      ZSV_A_TENANT_PAD) ||
	    nla_put_u64_64bit(skb, ZSV_A_TENANT_QUOTA_HITS, tenant->quota_hits,
			      ZSV_A_TENANT_PAD) ||
	    nla_put_u32(skb, ZSV_A_TENANT_WEIGHT, tenant->weight)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}

	genlmsg_end(skb, hdr);
	return 0;
}

/* --- notifications ------------------------------------------------------- */

static void zsv_nl_multicast(struct sk_buff *skb)
{
	genlmsg_multicast(&zsv_nl_family, skb, 0, ZSV_NL_MCGRP_MONITOR,
			  GFP_KERNEL);
}

/*
 * An event that could not be built is not dropped in silence: listeners
 * get ENOBUFS, as for one their socket had no room for, and know to
 * dump the state again.
 */
static void zsv_nl_event_lost(struct sk_buff *skb)
{
	nlmsg_free(skb);
	genl_set_err(&zsv_nl_family, &init_net, 0, ZSV_NL_MCGRP_MONITOR,
		     -ENOBUFS);
}

/**
 * zsv_nl_notify_dev_locked() - tell the monitor group about a pdev change
 * @pdev: the pdev, in its new state (its last, for a removal)
 * @cmd: ZSV_CMD_DEV_NEW, ZSV_CMD_DEV_SET or ZSV_CMD_DEV_DEL
 */
static void zsv_nl_notify_dev_locked(struct zsv_pdev *pdev, u8 cmd)
{
	struct sk_buff *skb;

	lockdep_assert_held(&zsv_lock);
	if (!genl_has_listeners(&zsv_nl_family, &init_net,
				ZSV_NL_MCGRP_MONITOR))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb || zsv_nl_fill_dev(skb, pdev, 0, 0, 0, cmd, NULL)) {
		zsv_nl_event_lost(skb);
		return;
	}
	zsv_nl_multicast(skb);
}

/* Like zsv_nl_notify_dev_locked(), for ZSV_CMD_SLICE_NEW/_SET/_DEL. */
static void zsv_nl_notify_slice_locked(struct zsv_slice *slice, u8 cmd)
{
	struct sk_buff *skb;

	lockdep_assert_held(&zsv_lock);
	if (!genl_has_listeners(&zsv_nl_family, &init_net,
				ZSV_NL_MCGRP_MONITOR))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb || zsv_nl_fill_slice(skb, slice, 0, 0, 0, cmd, NULL)) {
		zsv_nl_event_lost(skb);
		return;
	}
	zsv_nl_multicast(skb);
}

/* Like zsv_nl_notify_dev_locked(), for ZSV_CMD_TENANT_NEW/_SET/_DEL. */
static void zsv_nl_notify_tenant_locked(struct zsv_tenant *tenant, u8 cmd)
{
	struct sk_buff *skb;

	lockdep_assert_held(&zsv_lock);
	if (!genl_has_listeners(&zsv_nl_family, &init_net,
				ZSV_NL_MCGRP_MONITOR))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb || zsv_nl_fill_tenant(skb, tenant, 0, 0, 0, cmd, NULL)) {
		zsv_nl_event_lost(skb);
		return;
	}
	zsv_nl_multicast(skb);
}

/* --- lookups ---------------------------------------------------------- */

/* Return: the name in @attr, or NULL (with extack) when it is too long. */
static const char *zsv_nl_name(struct nlattr *attr,
			       struct netlink_ext_ack *extack)
{
	const char *name = nla_data(attr);

	if (strlen(name) > ZSV_NAME_MAX) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, attr,
					"name is longer than %u bytes",
					ZSV_NAME_MAX);
		return NULL;
	}
	return name;
}

/*
 * Find the pdev named by an id attribute, a name attribute or both.
 * Return: the pdev, or an ERR_PTR() with the reason in the extack.
 */
static struct zsv_pdev *zsv_nl_pdev_lookup_locked(struct nlattr *id_attr,
						  struct nlattr *name_attr,
						  int missing_type,
						  struct netlink_ext_ack *extack)
{
	struct zsv_pdev *pdev = NULL, *named;
	const char *name;

	lockdep_assert_held(&zsv_lock);

	if (!id_attr && !name_attr) {
		NL_SET_ERR_MSG(extack, "a device id or name is required");
		NL_SET_ERR_ATTR_MISS(extack, NULL, missing_type);
		return ERR_PTR(-EINVAL);
	}

	if (id_attr) {
		pdev = zsv_pdev_find_locked(nla_get_u32(id_attr));
		if (!pdev) {
			NL_SET_ERR_MSG_ATTR_FMT(extack, id_attr,
						"no device with id %u",
						nla_get_u32(id_attr));
			return ERR_PTR(-ENODEV);
		}
	}

	if (name_attr) {
		name = zsv_nl_name(name_attr, extack);
		if (!name)
			return ERR_PTR(-EINVAL);
		named = zsv_pdev_find_by_name_locked(name);
		if (!named) {
			NL_SET_ERR_MSG_ATTR_FMT(extack, name_attr,
						"no device named '%.40s'", name);
			return ERR_PTR(-ENODEV);
		}
		if (pdev && pdev != named) {
			NL_SET_ERR_MSG_ATTR_FMT(extack, name_attr,
						"device id %u is not named '%.40s'",
						pdev->id, name);
			return ERR_PTR(-EINVAL);
		}
		pdev = named;
	}

	return pdev;
}

static struct zsv_pdev *zsv_nl_dev_lookup_locked(struct genl_info *info)
{
	return zsv_nl_pdev_lookup_locked(info->attrs[ZSV_A_DEV_ID],
					 info->attrs[ZSV_A_DEV_NAME],
					 ZSV_A_DEV_NAME, info->extack);
}

/* Like zsv_nl_pdev_lookup_locked(), for a slice named by a request. */
static struct zsv_slice *zsv_nl_slice_lookup_locked(struct genl_info *info)
{
	struct nlattr *id_attr = info->attrs[ZSV_A_SLICE_ID];
	struct nlattr *name_attr = info->attrs[ZSV_A_SLICE_NAME];
	struct zsv_slice *slice = NULL, *named;
	const char *name;

	lockdep_assert_held(&zsv_lock);

	if (!id_attr && !name_attr) {
		NL_SET_ERR_MSG(info->extack, "a slice id or name is required");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, ZSV_A_SLICE_NAME);
		return ERR_PTR(-EINVAL);
	}

	if (id_attr) {
		slice = zsv_slice_find_locked(nla_get_u32(id_attr));
		if (!slice) {
			NL_SET_ERR_MSG_ATTR_FMT(info->extack, id_attr,
						"no slice with id %u",
						nla_get_u32(id_attr));
			return ERR_PTR(-ENOENT);
		}
	}

	if (name_attr) {
		name = zsv_nl_name(name_attr, info->extack);
		if (!name)
			return ERR_PTR(-EINVAL);
		named = zsv_slice_find_by_name_locked(name);
		if (!named) {
			NL_SET_ERR_MSG_ATTR_FMT(info->extack, name_attr,
						"no slice named '%.40s'", name);
			return ERR_PTR(-ENOENT);
		}
		if (slice && slice != named) {
			NL_SET_ERR_MSG_ATTR_FMT(info->extack, name_attr,
						"slice id %u is not named '%.40s'",
						slice->id, name);
			return ERR_PTR(-EINVAL);
		}
		slice = named;
	}

	return slice;
}

static int zsv_nl_nothing_to_set(struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG(extack, "nothing to set");
	return -EINVAL;
}

/* --- dev operations ---------------------------------------------------- */

static int zsv_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct zsv_pdev *pdev;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&zsv_lock);
	pdev = zsv_nl_dev_lookup_locked(info);
	if (IS_ERR(pdev))
		err = PTR_ERR(pdev);
	else
		err = zsv_nl_fill_dev(msg, pdev, info->snd_portid,
				      info->snd_seq, 0, ZSV_CMD_DEV_GET, NULL);
	mutex_unlock(&zsv_lock);

	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* A dump lists every pdev; it takes no selectors. */
static int zsv_nl_dev_get_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = zsv_dump_attrs(cb);
	int type;

	for (type = 1; type <= ZSV_A_DEV_NAME; type++) {
		if (attrs[type]) {
			NL_SET_ERR_MSG_ATTR(cb->extack, attrs[type],
					    "dev-get dump takes no attributes");
			return -EINVAL;
		}
	}
	return 0;
}

static int zsv_nl_dev_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	unsigned long index = cb->args[0];
	struct zsv_pdev *pdev;
	int err = 0;

	mutex_lock(&zsv_lock);
	cb->seq = zsv_nl_generation;
	while ((pdev = zsv_pdev_next_locked(&index))) {
		err = zsv_nl_fill_dev(skb, pdev, NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI,
				      ZSV_CMD_DEV_GET, cb);
		if (err) {
			/* Full: resume with this pdev in the next message. */
			index = pdev->id;
			break;
		}
	}
	mutex_unlock(&zsv_lock);

	cb->args[0] = index;
	/* A pdev that does not fit even an empty message is an error. */
	if (err && !skb->len)
		return err;
	return skb->len;
}

static int zsv_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct zsv_dev_config cfg = {};
	struct nlattr **attrs = info->attrs;
	struct zsv_pdev *pdev;
	int err;

	if (attrs[ZSV_A_DEV_POLICY]) {
		cfg.set |= BIT_ULL(ZSV_A_DEV_POLICY);
		cfg.policy = nla_get_u32(attrs[ZSV_A_DEV_POLICY]);
	}
	if (attrs[ZSV_A_DEV_TIMESLICE_NS]) {
		cfg.set |= BIT_ULL(ZSV_A_DEV_TIMESLICE_NS);
		cfg.timeslice_ns = nla_get_u64(attrs[ZSV_A_DEV_TIMESLICE_NS]);
	}
	if (attrs[ZSV_A_DEV_PERIOD_NS]) {
		cfg.set |= BIT_ULL(ZSV_A_DEV_PERIOD_NS);
		cfg.period_ns = nla_get_u64(attrs[ZSV_A_DEV_PERIOD_NS]);
	}
	if (attrs[ZSV_A_DEV_OVERSUB_PCT]) {
		cfg.set |= BIT_ULL(ZSV_A_DEV_OVERSUB_PCT);
		cfg.oversub_pct = nla_get_u32(attrs[ZSV_A_DEV_OVERSUB_PCT]);
	}

	mutex_lock(&zsv_lock);
	pdev = zsv_nl_dev_lookup_locked(info);
	if (IS_ERR(pdev))
		err = PTR_ERR(pdev);
	else if (cfg.set)
		err = zsv_pdev_set_locked(pdev, &cfg, info->extack);
	else
		err = zsv_nl_nothing_to_set(info->extack);
	mutex_unlock(&zsv_lock);
	return err;
}

static int zsv_nl_dev_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	const char *backend = "sim";
	struct zsv_pdev *pdev;
	struct sk_buff *msg;
	u32 engines = 4;
	int err, id;

	if (GENL_REQ_ATTR_CHECK(info, ZSV_A_DEV_MEM_TOTAL)) {
		NL_SET_ERR_MSG(info->extack, "mem-total is required");
		return -EINVAL;
	}
	if (attrs[ZSV_A_DEV_BACKEND])
		backend = nla_data(attrs[ZSV_A_DEV_BACKEND]);
	if (attrs[ZSV_A_DEV_ENGINES])
		engines = nla_get_u32(attrs[ZSV_A_DEV_ENGINES]);

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	id = zsv_pdev_new(backend, nla_get_u64(attrs[ZSV_A_DEV_MEM_TOTAL]),
			  engines, info->extack);
	if (id < 0) {
		nlmsg_free(msg);
		return id;
	}

	mutex_lock(&zsv_lock);
	pdev = zsv_pdev_find_locked(id);
	err = pdev ? zsv_nl_fill_dev(msg, pdev, info->snd_portid,
				     info->snd_seq, 0, ZSV_CMD_DEV_NEW, NULL) :
		     -ENODEV;
	mutex_unlock(&zsv_lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int zsv_nl_dev_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct zsv_pdev *pdev;
	int err;

	mutex_lock(&zsv_lock);
	pdev = zsv_nl_dev_lookup_locked(info);
	if (IS_ERR(pdev))
		err = PTR_ERR(pdev);
	else
		err = zsv_pdev_del_locked(pdev, info->extack);
	mutex_unlock(&zsv_lock);
	return err;
}

/* --- slice operations --------------------------------------------------- */

/* Parse the optional fields shared by slice-new and slice-set. */
static int zsv_nl_slice_config(struct genl_info *info,
			       struct zsv_slice_config *cfg)
{
	struct nlattr **attrs = info->attrs;
	struct nlattr *attr;

	attr = attrs[ZSV_A_SLICE_MEM_BYTES];
	if (attr) {
		cfg->set |= BIT_ULL(ZSV_A_SLICE_MEM_BYTES);
		cfg->mem_bytes = nla_get_u64(attr);
	}
	attr = attrs[ZSV_A_SLICE_WEIGHT];
	if (attr) {
		cfg->set |= BIT_ULL(ZSV_A_SLICE_WEIGHT);
		cfg->weight = nla_get_u32(attr);
	}
	attr = attrs[ZSV_A_SLICE_CAP_PCT];
	if (attr) {
		cfg->set |= BIT_ULL(ZSV_A_SLICE_CAP_PCT);
		cfg->cap_pct = nla_get_u32(attr);
	}
	attr = attrs[ZSV_A_SLICE_TIMESLICE_NS];
	if (attr) {
		cfg->set |= BIT_ULL(ZSV_A_SLICE_TIMESLICE_NS);
		cfg->timeslice_ns = nla_get_u64(attr);
	}
	attr = attrs[ZSV_A_SLICE_UID];
	if (attr) {
		cfg->set |= BIT_ULL(ZSV_A_SLICE_UID);
		cfg->uid = make_kuid(&init_user_ns, nla_get_u32(attr));
		if (!uid_valid(cfg->uid)) {
			NL_SET_ERR_MSG_ATTR_FMT(info->extack, attr,
						"uid %u is not mapped",
						nla_get_u32(attr));
			return -EINVAL;
		}
	}
	attr = attrs[ZSV_A_SLICE_GID];
	if (attr) {
		cfg->set |= BIT_ULL(ZSV_A_SLICE_GID);
		cfg->gid = make_kgid(&init_user_ns, nla_get_u32(attr));
		if (!gid_valid(cfg->gid)) {
			NL_SET_ERR_MSG_ATTR_FMT(info->extack, attr,
						"gid %u is not mapped",
						nla_get_u32(attr));
			return -EINVAL;
		}
	}
	attr = attrs[ZSV_A_SLICE_NODE_MODE];
	if (attr) {
		cfg->set |= BIT_ULL(ZSV_A_SLICE_NODE_MODE);
		if (nla_get_u32(attr) > 0777) {
			NL_SET_ERR_MSG_ATTR_FMT(info->extack, attr,
						"node mode %#o is out of range (0-0777)",
						nla_get_u32(attr));
			return -ERANGE;
		}
		cfg->node_mode = nla_get_u32(attr);
	}
	attr = attrs[ZSV_A_SLICE_TENANT];
	if (attr) {
		const char *name = zsv_nl_name(attr, info->extack);

		if (!name)
			return -EINVAL;
		cfg->set |= BIT_ULL(ZSV_A_SLICE_TENANT);
		strscpy(cfg->tenant, name, sizeof(cfg->tenant));
	}
	return 0;
}

/*
 * Placement (a policy, a backend) applies only when slice-new names no
 * device; named together with one it is refused, not ignored.
 */
static int zsv_nl_slice_placement(struct genl_info *info,
				  enum zsv_placement *how,
				  const char **backend)
{
	struct nlattr **attrs = info->attrs;
	struct nlattr *attr;

	attr = attrs[ZSV_A_SLICE_PLACEMENT] ?: attrs[ZSV_A_SLICE_BACKEND];
	if (attr && (attrs[ZSV_A_SLICE_DEV_ID] || attrs[ZSV_A_SLICE_DEV_NAME])) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "placement and backend apply only when no device is named");
		return -EINVAL;
	}
	attr = attrs[ZSV_A_SLICE_PLACEMENT];
	if (attr) {
		if (nla_get_u32(attr) > ZSV_PLACEMENT_MAX) {
			NL_SET_ERR_MSG_ATTR_FMT(info->extack, attr,
						"placement %u is not 0 (spread) or 1 (binpack)",
						nla_get_u32(attr));
			return -EINVAL;
		}
		*how = nla_get_u32(attr);
	}
	attr = attrs[ZSV_A_SLICE_BACKEND];
	if (attr) {
		*backend = zsv_nl_name(attr, info->extack);
		if (!*backend)
			return -EINVAL;
	}
	return 0;
}

static int zsv_nl_slice_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	enum zsv_placement how = ZSV_PLACEMENT_SPREAD;
	struct zsv_slice_config cfg = {};
	const char *backend = NULL;
	struct nlattr **attrs = info->attrs;
	struct zsv_slice *slice;
	struct zsv_pdev *pdev;
	struct sk_buff *msg;
	const char *name;
	bool place;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, ZSV_A_SLICE_NAME)) {
		NL_SET_ERR_MSG(info->extack, "a slice name is required");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, ZSV_A_SLICE_MEM_BYTES)) {
		NL_SET_ERR_MSG(info->extack, "mem-bytes is required");
		return -EINVAL;
	}
	name = zsv_nl_name(attrs[ZSV_A_SLICE_NAME], info->extack);
	if (!name)
		return -EINVAL;
	strscpy(cfg.name, name, sizeof(cfg.name));
	if (attrs[ZSV_A_SLICE_MEM_MODE]) {
		cfg.set |= BIT_ULL(ZSV_A_SLICE_MEM_MODE);
		cfg.mem_mode = nla_get_u32(attrs[ZSV_A_SLICE_MEM_MODE]);
	}
	err = zsv_nl_slice_config(info, &cfg);
	if (err)
		return err;
	err = zsv_nl_slice_placement(info, &how, &backend);
	if (err)
		return err;
	place = !attrs[ZSV_A_SLICE_DEV_ID] && !attrs[ZSV_A_SLICE_DEV_NAME];

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	/*
	 * Without a device the kernel places the slice: the choice and the
	 * admission happen under one hold of zsv_lock (see
	 * zsv_slice_place_locked()), so no other admission comes between.
	 */
	mutex_lock(&zsv_lock);
	if (place)
		pdev = zsv_slice_place_locked(&cfg, how, backend,
					      info->extack);
	else
		pdev = zsv_nl_pdev_lookup_locked(attrs[ZSV_A_SLICE_DEV_ID],
						 attrs[ZSV_A_SLICE_DEV_NAME],
						 ZSV_A_SLICE_DEV_NAME,
						 info->extack);
	if (IS_ERR(pdev)) {
		err = PTR_ERR(pdev);
		goto out;
	}
	slice = zsv_slice_new_locked(pdev, &cfg, info->extack);
	if (IS_ERR(slice)) {
		err = PTR_ERR(slice);
		goto out;
	}
	err = zsv_nl_fill_slice(msg, slice, info->snd_portid, info->snd_seq,
				0, ZSV_CMD_SLICE_NEW, NULL);
out:
	mutex_unlock(&zsv_lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int zsv_nl_slice_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct zsv_slice_config cfg = {};
	struct zsv_slice *slice;
	int err;

	err = zsv_nl_slice_config(info, &cfg);
	if (err)
		return err;

	mutex_lock(&zsv_lock);
	slice = zsv_nl_slice_lookup_locked(info);
	if (IS_ERR(slice))
		err = PTR_ERR(slice);
	else if (cfg.set)
		err = zsv_slice_set_locked(slice, &cfg, info->extack);
	else
		err = zsv_nl_nothing_to_set(info->extack);
	mutex_unlock(&zsv_lock);
	return err;
}

static int zsv_nl_slice_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	bool force = nla_get_flag(info->attrs[ZSV_A_SLICE_FORCE]);
	struct zsv_slice *slice;
	int err;

	mutex_lock(&zsv_lock);
	slice = zsv_nl_slice_lookup_locked(info);
	if (IS_ERR(slice)) {
		err = PTR_ERR(slice);
	} else if (slice->mediated && !force) {
		NL_SET_ERR_MSG(info->extack,
			       "the slice is a mediated device; remove the mdev (mdevctl stop), or force");
		err = -EBUSY;
	} else {
		err = zsv_slice_del_locked(slice, force, info->extack);
	}
	mutex_unlock(&zsv_lock);
	return err;
}

static int zsv_nl_group_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	enum zsv_placement how = ZSV_PLACEMENT_SPREAD;
	struct nlattr **attrs = info->attrs;
	struct zsv_slice_config cfg = {};
	const char *backend = NULL;
	const char *group;
	bool distinct = true;
	u32 count;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, ZSV_A_SLICE_GROUP)) {
		NL_SET_ERR_MSG(info->extack, "a group name is required");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, ZSV_A_SLICE_COUNT)) {
		NL_SET_ERR_MSG(info->extack, "count is required");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, ZSV_A_SLICE_MEM_BYTES)) {
		NL_SET_ERR_MSG(info->extack, "mem-bytes is required");
		return -EINVAL;
	}
	group = zsv_nl_name(attrs[ZSV_A_SLICE_GROUP], info->extack);
	if (!group)
		return -EINVAL;
	count = nla_get_u32(attrs[ZSV_A_SLICE_COUNT]);
	if (attrs[ZSV_A_SLICE_DISTINCT]) {
		if (nla_get_u8(attrs[ZSV_A_SLICE_DISTINCT]) > 1) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    attrs[ZSV_A_SLICE_DISTINCT],
					    "distinct is 0 (any device) or 1 (each its own)");
			return -EINVAL;
		}
		distinct = nla_get_u8(attrs[ZSV_A_SLICE_DISTINCT]);
	}
	if (attrs[ZSV_A_SLICE_MEM_MODE]) {
		cfg.set |= BIT_ULL(ZSV_A_SLICE_MEM_MODE);
		cfg.mem_mode = nla_get_u32(attrs[ZSV_A_SLICE_MEM_MODE]);
	}
	err = zsv_nl_slice_config(info, &cfg);
	if (err)
		return err;
	err = zsv_nl_slice_placement(info, &how, &backend);
	if (err)
		return err;

	mutex_lock(&zsv_lock);
	err = zsv_group_new_locked(&cfg, group, count, distinct, how, backend,
				   info->extack);
	mutex_unlock(&zsv_lock);
	return err;
}

static int zsv_nl_group_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	bool force = nla_get_flag(info->attrs[ZSV_A_SLICE_FORCE]);
	const char *group;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, ZSV_A_SLICE_GROUP)) {
		NL_SET_ERR_MSG(info->extack, "a group name is required");
		return -EINVAL;
	}
	group = zsv_nl_name(info->attrs[ZSV_A_SLICE_GROUP], info->extack);
	if (!group)
		return -EINVAL;

	mutex_lock(&zsv_lock);
	err = zsv_group_del_locked(group, force, info->extack);
	mutex_unlock(&zsv_lock);
	return err;
}

static int zsv_nl_slice_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct zsv_slice *slice;
	struct sk_buff *msg;
	int err;

	if (attrs[ZSV_A_SLICE_DEV_ID] || attrs[ZSV_A_SLICE_DEV_NAME]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    attrs[ZSV_A_SLICE_DEV_ID] ?: attrs[ZSV_A_SLICE_DEV_NAME],
				    "slice-get takes a slice id or name; a device only in dumps");
		return -EINVAL;
	}

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&zsv_lock);
	slice = zsv_nl_slice_lookup_locked(info);
	if (IS_ERR(slice))
		err = PTR_ERR(slice);
	else
		err = zsv_nl_fill_slice(msg, slice, info->snd_portid,
					info->snd_seq, 0, ZSV_CMD_SLICE_GET,
					NULL);
	mutex_unlock(&zsv_lock);

	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * A slice dump may name one pdev; cb->args[1] keeps its id plus one (0 for
 * every pdev), checked once here so each round need not parse again.
 */
static int zsv_nl_slice_get_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = zsv_dump_attrs(cb);
	struct zsv_pdev *pdev;
	int err = 0;

	if (attrs[ZSV_A_SLICE_ID] || attrs[ZSV_A_SLICE_NAME]) {
		NL_SET_ERR_MSG_ATTR(cb->extack,
				    attrs[ZSV_A_SLICE_ID] ?: attrs[ZSV_A_SLICE_NAME],
				    "slice-get dump takes only a device");
		return -EINVAL;
	}
	if (!attrs[ZSV_A_SLICE_DEV_ID] && !attrs[ZSV_A_SLICE_DEV_NAME])
		return 0;

	mutex_lock(&zsv_lock);
	pdev = zsv_nl_pdev_lookup_locked(attrs[ZSV_A_SLICE_DEV_ID],
					 attrs[ZSV_A_SLICE_DEV_NAME],
					 ZSV_A_SLICE_DEV_NAME, cb->extack);
	if (IS_ERR(pdev))
		err = PTR_ERR(pdev);
	else
		cb->args[1] = (unsigned long)pdev->id + 1;
	mutex_unlock(&zsv_lock);
	return err;
}

static int zsv_nl_slice_get_dumpit(struct sk_buff *skb,
				   struct netlink_callback *cb)
{
	unsigned long index = cb->args[0];
	unsigned long dev_filter = cb->args[1];
	struct zsv_slice *slice;
	int err = 0;

	mutex_lock(&zsv_lock);
	cb->seq = zsv_nl_generation;
	while ((slice = zsv_slice_next_locked(&index))) {
		if (dev_filter && slice->pdev->id + 1 != dev_filter)
			continue;
		err = zsv_nl_fill_slice(skb, slice, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI,
					ZSV_CMD_SLICE_GET, cb);
		if (err) {
			index = slice->id;
			break;
		}
	}
	mutex_unlock(&zsv_lock);

	cb->args[0] = index;
	if (err && !skb->len)
		return err;
	return skb->len;
}

/* --- tenant operations ------------------------------------------------ */

/* Like zsv_nl_slice_lookup_locked(), for a tenant. */
static struct zsv_tenant *zsv_nl_tenant_lookup_locked(struct genl_info *info)
{
	struct nlattr *id_attr = info->attrs[ZSV_A_TENANT_ID];
	struct nlattr *name_attr = info->attrs[ZSV_A_TENANT_NAME];
	struct zsv_tenant *tenant = NULL, *named;
	const char *name;

	lockdep_assert_held(&zsv_lock);

	if (!id_attr && !name_attr) {
		NL_SET_ERR_MSG(info->extack, "a tenant id or name is required");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, ZSV_A_TENANT_NAME);
		return ERR_PTR(-EINVAL);
	}

	if (id_attr) {
		tenant = zsv_tenant_find_locked(nla_get_u32(id_attr));
		if (!tenant) {
			NL_SET_ERR_MSG_ATTR_FMT(info->extack, id_attr,
						"no tenant with id %u",
						nla_get_u32(id_attr));
			return ERR_PTR(-ENOENT);
		}
	}

	if (name_attr) {
		name = zsv_nl_name(name_attr, info->extack);
		if (!name)
			return ERR_PTR(-EINVAL);
		named = zsv_tenant_find_by_name_locked(name);
		if (!named) {
			NL_SET_ERR_MSG_ATTR_FMT(info->extack, name_attr,
						"no tenant named '%.40s'", name);
			return ERR_PTR(-ENOENT);
		}
		if (tenant && tenant != named) {
			NL_SET_ERR_MSG_ATTR_FMT(info->extack, name_attr,
						"tenant id %u is not named '%.40s'",
						tenant->id, name);
			return ERR_PTR(-EINVAL);
		}
		tenant = named;
	}

	return tenant;
}

/* The limits of tenant-new and tenant-set. */
static void zsv_nl_tenant_config(struct genl_info *info,
				 struct zsv_tenant_config *cfg)
{
	struct nlattr **attrs = info->attrs;

	if (attrs[ZSV_A_TENANT_MEM_MAX]) {
		cfg->set |= BIT_ULL(ZSV_A_TENANT_MEM_MAX);
		cfg->mem_max = nla_get_u64(attrs[ZSV_A_TENANT_MEM_MAX]);
	}
	if (attrs[ZSV_A_TENANT_SLICES_MAX]) {
		cfg->set |= BIT_ULL(ZSV_A_TENANT_SLICES_MAX);
		cfg->slices_max = nla_get_u64(attrs[ZSV_A_TENANT_SLICES_MAX]);
	}
	if (attrs[ZSV_A_TENANT_COMPUTE_MAX]) {
		cfg->set |= BIT_ULL(ZSV_A_TENANT_COMPUTE_MAX);
		cfg->compute_max = nla_get_u64(attrs[ZSV_A_TENANT_COMPUTE_MAX]);
	}
	if (attrs[ZSV_A_TENANT_WEIGHT]) {
		cfg->set |= BIT_ULL(ZSV_A_TENANT_WEIGHT);
		cfg->weight = nla_get_u32(attrs[ZSV_A_TENANT_WEIGHT]);
	}
}

static int zsv_nl_tenant_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct zsv_tenant_config cfg = {};
	struct zsv_tenant *tenant;
	struct sk_buff *msg;
	const char *name;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, ZSV_A_TENANT_NAME)) {
		NL_SET_ERR_MSG(info->extack, "a tenant name is required");
		return -EINVAL;
	}
	name = zsv_nl_name(info->attrs[ZSV_A_TENANT_NAME], info->extack);
	if (!name)
		return -EINVAL;
	strscpy(cfg.name, name, sizeof(cfg.name));
	zsv_nl_tenant_config(info, &cfg);

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&zsv_lock);
	tenant = zsv_tenant_new_locked(&cfg, info->extack);
	if (IS_ERR(tenant))
		err = PTR_ERR(tenant);
	else
		err = zsv_nl_fill_tenant(msg, tenant, info->snd_portid,
					 info->snd_seq, 0, ZSV_CMD_TENANT_NEW,
					 NULL);
	mutex_unlock(&zsv_lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int zsv_nl_tenant_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct zsv_tenant_config cfg = {};
	struct zsv_tenant *tenant;
	int err;

	zsv_nl_tenant_config(info, &cfg);

	mutex_lock(&zsv_lock);
	tenant = zsv_nl_tenant_lookup_locked(info);
	if (IS_ERR(tenant))
		err = PTR_ERR(tenant);
	else if (cfg.set)
		err = zsv_tenant_set_locked(tenant, &cfg, info->extack);
	else
		err = zsv_nl_nothing_to_set(info->extack);
	mutex_unlock(&zsv_lock);
	return err;
}

static int zsv_nl_tenant_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct zsv_tenant *tenant;
	int err;

	mutex_lock(&zsv_lock);
	tenant = zsv_nl_tenant_lookup_locked(info);
	if (IS_ERR(tenant))
		err = PTR_ERR(tenant);
	else
		err = zsv_tenant_del_locked(tenant, info->extack);
	mutex_unlock(&zsv_lock);
	return err;
}

static int zsv_nl_tenant_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct zsv_tenant *tenant;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&zsv_lock);
	tenant = zsv_nl_tenant_lookup_locked(info);
	if (IS_ERR(tenant))
		err = PTR_ERR(tenant);
	else
		err = zsv_nl_fill_tenant(msg, tenant, info->snd_portid,
					 info->snd_seq, 0, ZSV_CMD_TENANT_GET,
					 NULL);
	mutex_unlock(&zsv_lock);

	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* A dump lists every tenant; it takes no selectors. */
static int zsv_nl_tenant_get_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = zsv_dump_attrs(cb);
	int type;

	for (type = 1; type <= ZSV_A_TENANT_NAME; type++) {
		if (attrs[type]) {
			NL_SET_ERR_MSG_ATTR(cb->extack, attrs[type],
					    "tenant-get dump takes no attributes");
			return -EINVAL;
		}
	}
	return 0;
}

static int zsv_nl_tenant_get_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	unsigned long index = cb->args[0];
	struct zsv_tenant *tenant;
	int err = 0;

	mutex_lock(&zsv_lock);
	cb->seq = zsv_nl_generation;
	while ((tenant = zsv_tenant_next_locked(&index))) {
		err = zsv_nl_fill_tenant(skb, tenant,
					 NETLINK_CB(cb->skb).portid,
					 cb->nlh->nlmsg_seq, NLM_F_MULTI,
					 ZSV_CMD_TENANT_GET, cb);
		if (err) {
			index = tenant->id;
			break;
		}
	}
	mutex_unlock(&zsv_lock);

	cb->args[0] = index;
	if (err && !skb->len)
		return err;
	return skb->len;
}

static const struct genl_ops zsv_nl_ops[] = {
	{
		.cmd = ZSV_CMD_DEV_GET,
		.policy = zsv_dev_get_policy,
		.maxattr = ARRAY_SIZE(zsv_dev_get_policy) - 1,
		.doit = zsv_nl_dev_get_doit,
		.start = zsv_nl_dev_get_start,
		.dumpit = zsv_nl_dev_get_dumpit,
	},
	{
		.cmd = ZSV_CMD_DEV_SET,
		.flags = GENL_ADMIN_PERM,
		.policy = zsv_dev_set_policy,
		.maxattr = ARRAY_SIZE(zsv_dev_set_policy) - 1,
		.doit = zsv_nl_dev_set_doit,
	},
	{
		.cmd = ZSV_CMD_DEV_NEW,
		.flags = GENL_ADMIN_PERM,
		.policy = zsv_dev_new_policy,
		.maxattr = ARRAY_SIZE(zsv_dev_new_policy) - 1,
		.doit = zsv_nl_dev_new_doit,
	},
	{
		.cmd = ZSV_CMD_DEV_DEL,
		.flags = GENL_ADMIN_PERM,
		.policy = zsv_dev_get_policy,
		.maxattr = ARRAY_SIZE(zsv_dev_get_policy) - 1,
		.doit = zsv_nl_dev_del_doit,
	},
	{
		.cmd = ZSV_CMD_SLICE_NEW,
		.flags = GENL_ADMIN_PERM,
		.policy = zsv_slice_new_policy,
		.maxattr = ARRAY_SIZE(zsv_slice_new_policy) - 1,
		.doit = zsv_nl_slice_new_doit,
	},
	{
		.cmd = ZSV_CMD_SLICE_SET,
		.flags = GENL_ADMIN_PERM,
		.policy = zsv_slice_set_policy,
		.maxattr = ARRAY_SIZE(zsv_slice_set_policy) - 1,
		.doit = zsv_nl_slice_set_doit,
	},
	{
		.cmd = ZSV_CMD_SLICE_DEL,
		.flags = GENL_ADMIN_PERM,
		.policy = zsv_slice_del_policy,
		.maxattr = ARRAY_SIZE(zsv_slice_del_policy) - 1,
		.doit = zsv_nl_slice_del_doit,
	},
	{
		.cmd = ZSV_CMD_SLICE_GET,
		.policy = zsv_slice_get_policy,
		.maxattr = ARRAY_SIZE(zsv_slice_get_policy) - 1,
		.doit = zsv_nl_slice_get_doit,
		.start = zsv_nl_slice_get_start,
		.dumpit = zsv_nl_slice_get_dumpit,
	},
	{
		.cmd = ZSV_CMD_TENANT_NEW,
		.flags = GENL_ADMIN_PERM,
		.policy = zsv_tenant_new_policy,
		.maxattr = ARRAY_SIZE(zsv_tenant_new_policy) - 1,
		.doit = zsv_nl_tenant_new_doit,
	},
	{
		.cmd = ZSV_CMD_TENANT_SET,
		.flags = GENL_ADMIN_PERM,
		.policy = zsv_tenant_set_policy,
		.maxattr = ARRAY_SIZE(zsv_tenant_set_policy) - 1,
		.doit = zsv_nl_tenant_set_doit,
	},
	{
		.cmd = ZSV_CMD_TENANT_DEL,
		.flags = GENL_ADMIN_PERM,
		.policy = zsv_tenant_get_policy,
		.maxattr = ARRAY_SIZE(zsv_tenant_get_policy) - 1,
		.doit = zsv_nl_tenant_del_doit,
	},
	{
		.cmd = ZSV_CMD_TENANT_GET,
		.policy = zsv_tenant_get_policy,
		.maxattr = ARRAY_SIZE(zsv_tenant_get_policy) - 1,
		.doit = zsv_nl_tenant_get_doit,
		.start = zsv_nl_tenant_get_start,
		.dumpit = zsv_nl_tenant_get_dumpit,
	},
	{
		.cmd = ZSV_CMD_GROUP_NEW,
		.flags = GENL_ADMIN_PERM,
		.policy = zsv_group_new_policy,
		.maxattr = ARRAY_SIZE(zsv_group_new_policy) - 1,
		.doit = zsv_nl_group_new_doit,
	},
	{
		.cmd = ZSV_CMD_GROUP_DEL,
		.flags = GENL_ADMIN_PERM,
		.policy = zsv_group_del_policy,
		.maxattr = ARRAY_SIZE(zsv_group_del_policy) - 1,
		.doit = zsv_nl_group_del_doit,
	},
};

static const struct genl_multicast_group zsv_nl_mcgrps[] = {
	[ZSV_NL_MCGRP_MONITOR] = { .name = ZSV_MCGRP_MONITOR },
};

static struct genl_family zsv_nl_family __ro_after_init = {
	.name = ZSV_GENL_NAME,
	.version = ZSV_GENL_VERSION,
	.module = THIS_MODULE,
	.ops = zsv_nl_ops,
	.n_ops = ARRAY_SIZE(zsv_nl_ops),
	.mcgrps = zsv_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(zsv_nl_mcgrps),
	/* Strict header and attribute validation for every command. */
	.resv_start_op = ZSV_CMD_DEV_GET,
	/*
	 * zsv_lock serialises what needs it; without this, a request that
	 * waits would hold the genetlink mutex of every family with it.
	 */
	.parallel_ops = true,
};

/*
 * The monitor group follows the core's events, sent under zsv_lock: each
 * creation and deletion also moves the dump generation.
 */
static int zsv_nl_event(struct notifier_block *nb, unsigned long event,
			void *object)
{
	switch (event) {
	case ZSV_EVENT_DEV_NEW:
		zsv_nl_objects_changed_locked();
		zsv_nl_notify_dev_locked(object, ZSV_CMD_DEV_NEW);
		break;
	case ZSV_EVENT_DEV_SET:
		zsv_nl_notify_dev_locked(object, ZSV_CMD_DEV_SET);
		break;
	case ZSV_EVENT_DEV_DEL:
		zsv_nl_objects_changed_locked();
		zsv_nl_notify_dev_locked(object, ZSV_CMD_DEV_DEL);
		break;
	case ZSV_EVENT_SLICE_NEW:
		zsv_nl_objects_changed_locked();
		zsv_nl_notify_slice_locked(object, ZSV_CMD_SLICE_NEW);
		break;
	case ZSV_EVENT_SLICE_SET:
		zsv_nl_notify_slice_locked(object, ZSV_CMD_SLICE_SET);
		break;
	case ZSV_EVENT_SLICE_DEL:
		zsv_nl_objects_changed_locked();
		zsv_nl_notify_slice_locked(object, ZSV_CMD_SLICE_DEL);
		break;
	case ZSV_EVENT_TENANT_NEW:
		zsv_nl_objects_changed_locked();
		zsv_nl_notify_tenant_locked(object, ZSV_CMD_TENANT_NEW);
		break;
	case ZSV_EVENT_TENANT_SET:
		zsv_nl_notify_tenant_locked(object, ZSV_CMD_TENANT_SET);
		break;
	case ZSV_EVENT_TENANT_DEL:
		zsv_nl_objects_changed_locked();
		zsv_nl_notify_tenant_locked(object, ZSV_CMD_TENANT_DEL);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block zsv_nl_notifier = {
	.notifier_call = zsv_nl_event,
};

int __init zsv_netlink_init(void)
{
	int err;

	err = genl_register_family(&zsv_nl_family);
	if (err)
		return err;
	err = zsv_notifier_register(&zsv_nl_notifier);
	if (err)
		genl_unregister_family(&zsv_nl_family);
	return err;
}

void zsv_netlink_exit(void)
{
	zsv_notifier_unregister(&zsv_nl_notifier);
	genl_unregister_family(&zsv_nl_family);
}
