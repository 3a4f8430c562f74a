// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control plane: generic netlink family "zsv", as specified in
 * Documentation/netlink/specs/zsv.yaml.
 *
 * Every operation has its own strict policy; anything the policy does not
 * name is rejected by the genetlink core, and every rejection made here
 * carries an extack message naming the attribute and the rule it broke.
 * Replies are built under zsv_lock, so each one is a consistent snapshot.
 */
#include <net/genetlink.h>

#include "compat.h"
#include "zsv.h"

static struct genl_family zsv_nl_family;

/*
 * Bumped under zsv_lock whenever the set of pdevs changes, so that a dump
 * spanning several messages can flag NLM_F_DUMP_INTR when it was torn.
 */
static unsigned int zsv_nl_generation;

void zsv_nl_objects_changed_locked(void)
{
	lockdep_assert_held(&zsv_lock);
	zsv_nl_generation++;
}

static const struct nla_policy zsv_dev_get_policy[ZSV_A_DEV_NAME + 1] = {
	[ZSV_A_DEV_ID] = { .type = NLA_U32 },
	/* Length checked by zsv_nl_name() to say what the limit is. */
	[ZSV_A_DEV_NAME] = { .type = NLA_NUL_STRING },
};

static int zsv_nl_fill_dev(struct sk_buff *skb, const struct zsv_pdev *pdev,
			   u32 portid, u32 seq, int flags,
			   struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &zsv_nl_family, flags,
			  ZSV_CMD_DEV_GET);
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
	    nla_put_u32(skb, ZSV_A_DEV_SLICE_COUNT, pdev->slice_count)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}

	genlmsg_end(skb, hdr);
	return 0;
}

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
 * Find the pdev a request names by ZSV_A_DEV_ID, ZSV_A_DEV_NAME or both.
 * Return: the pdev, or an ERR_PTR() with the reason in the extack.
 */
static struct zsv_pdev *zsv_nl_pdev_lookup_locked(struct genl_info *info)
{
	struct nlattr *id_attr = info->attrs[ZSV_A_DEV_ID];
	struct nlattr *name_attr = info->attrs[ZSV_A_DEV_NAME];
	struct zsv_pdev *pdev = NULL, *named;
	const char *name;

	lockdep_assert_held(&zsv_lock);

	if (!id_attr && !name_attr) {
		NL_SET_ERR_MSG(info->extack,
			       "a device id or name is required");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, ZSV_A_DEV_NAME);
		return ERR_PTR(-EINVAL);
	}

	if (id_attr) {
		pdev = zsv_pdev_find_locked(nla_get_u32(id_attr));
		if (!pdev) {
			NL_SET_ERR_MSG_ATTR_FMT(info->extack, id_attr,
						"no device with id %u",
						nla_get_u32(id_attr));
			return ERR_PTR(-ENODEV);
		}
	}

	if (name_attr) {
		name = zsv_nl_name(name_attr, info->extack);
		if (!name)
			return ERR_PTR(-EINVAL);
		named = zsv_pdev_find_by_name_locked(name);
		if (!named) {
			NL_SET_ERR_MSG_ATTR_FMT(info->extack, name_attr,
						"no device named '%s'", name);
			return ERR_PTR(-ENODEV);
		}
		if (pdev && pdev != named) {
			NL_SET_ERR_MSG_ATTR_FMT(info->extack, name_attr,
						"device id %u is not named '%s'",
						pdev->id, name);
			return ERR_PTR(-EINVAL);
		}
		pdev = named;
	}

	return pdev;
}

static int zsv_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct zsv_pdev *pdev;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&zsv_lock);
	pdev = zsv_nl_pdev_lookup_locked(info);
	if (IS_ERR(pdev))
		err = PTR_ERR(pdev);
	else
		err = zsv_nl_fill_dev(msg, pdev, info->snd_portid,
				      info->snd_seq, 0, NULL);
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
				      cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
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

static const struct genl_ops zsv_nl_ops[] = {
	{
		.cmd = ZSV_CMD_DEV_GET,
		.policy = zsv_dev_get_policy,
		.maxattr = ZSV_A_DEV_NAME,
		.doit = zsv_nl_dev_get_doit,
		.start = zsv_nl_dev_get_start,
		.dumpit = zsv_nl_dev_get_dumpit,
	},
};

static struct genl_family zsv_nl_family __ro_after_init = {
	.name = ZSV_GENL_NAME,
	.version = ZSV_GENL_VERSION,
	.module = THIS_MODULE,
	.ops = zsv_nl_ops,
	.n_ops = ARRAY_SIZE(zsv_nl_ops),
	/* Strict header and attribute validation for every command. */
	.resv_start_op = ZSV_CMD_DEV_GET,
};

int __init zsv_netlink_init(void)
{
	return genl_register_family(&zsv_nl_family);
}

void zsv_netlink_exit(void)
{
	genl_unregister_family(&zsv_nl_family);
}
