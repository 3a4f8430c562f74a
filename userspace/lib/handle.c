// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The handle: a generic netlink socket bound to the zsv family.
 *
 * The family is resolved with our own CTRL_CMD_GETFAMILY rather than
 * genl_ctrl_resolve(), so that "no such family" (ENOENT from nlctrl)
 * can be told apart from every other failure and reported as
 * ZSV_ENOTLOADED, and so that the family's version comes with it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/*
 * Socket options that make the kernel's answers useful; kernels too old
 * to know one simply do without, hence no error check.
 */
static void set_netlink_opts(struct nl_sock *sk)
{
	int fd = nl_socket_get_fd(sk), one = 1;

	/* Error messages and offending attributes in the ACK. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	/* Do not echo our request back in error ACKs. */
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* Reject dump requests carrying what the kernel would ignore. */
	setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
}

/* The id of the "monitor" group among the family's CTRL_ATTR_MCAST_GROUPS. */
static uint32_t find_monitor_group(struct nlattr *groups)
{
	static const struct nla_policy policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
		[CTRL_ATTR_MCAST_GRP_NAME] = { .type = NLA_STRING },
		[CTRL_ATTR_MCAST_GRP_ID] = { .type = NLA_U32 },
	};
	struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	struct nlattr *group;
	int rem;

	nla_for_each_nested(group, groups, rem) {
		if (nla_parse_nested(tb, CTRL_ATTR_MCAST_GRP_MAX, group,
				     (struct nla_policy *)policy) < 0)
			continue;
		if (tb[CTRL_ATTR_MCAST_GRP_NAME] &&
		    tb[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(nla_get_string(tb[CTRL_ATTR_MCAST_GRP_NAME]),
			    ZSV_MCGRP_MONITOR))
			return nla_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return 0;
}

static int parse_family(struct nlmsghdr *nlh, void *arg)
{
	static const struct nla_policy policy[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_ID] = { .type = NLA_U16 },
		[CTRL_ATTR_FAMILY_NAME] = { .type = NLA_STRING },
		[CTRL_ATTR_VERSION] = { .type = NLA_U32 },
		[CTRL_ATTR_MAXATTR] = { .type = NLA_U32 },
		[CTRL_ATTR_MCAST_GROUPS] = { .type = NLA_NESTED },
	};
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct zsv_handle *h = arg;

	if (genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX,
			  (struct nla_policy *)policy) < 0)
		return -EPROTO;
	if (!tb[CTRL_ATTR_FAMILY_ID] || !tb[CTRL_ATTR_FAMILY_NAME] ||
	    strcmp(nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]), ZSV_GENL_NAME))
		return -EPROTO;
	h->family_id = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION])
		h->family_version = nla_get_u32(tb[CTRL_ATTR_VERSION]);
	if (tb[CTRL_ATTR_MAXATTR])
		h->family_maxattr = nla_get_u32(tb[CTRL_ATTR_MAXATTR]);
	if (tb[CTRL_ATTR_MCAST_GROUPS])
		h->monitor_group =
			find_monitor_group(tb[CTRL_ATTR_MCAST_GROUPS]);
	return 0;
}

static int resolve_family(struct zsv_handle *h)
{
	struct nl_msg *msg;
	int err;

	msg = nlmsg_alloc();
	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0, 0,
			 CTRL_CMD_GETFAMILY, 1) ||
	    nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, ZSV_GENL_NAME) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	err = zsv_transact(h, msg, parse_family, h);
	if (err == -ENOENT)
		return -ZSV_ENOTLOADED;
	if (!err && !h->family_id)
		return -EPROTO;
	return err;
}

int zsv_open(struct zsv_handle **hp)
{
	struct zsv_handle *h;
	int err;

	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->sk = nl_socket_alloc();
	if (!h->sk) {
		err = -ENOMEM;
		goto err_free;
	}
	errno = 0;
	err = genl_connect(h->sk);
	if (err < 0) {
		/* libnl folds socket() errors into one code; errno has it. */
		err = errno ? -errno : zsv_nlerr_to_errno(err);
		goto err_socket;
	}
	set_netlink_opts(h->sk);
	err = resolve_family(h);
	if (err)
		goto err_socket;
	*hp = h;
	return 0;

err_socket:
	nl_socket_free(h->sk);
err_free:
	free(h);
	return err;
}

void zsv_close(struct zsv_handle *h)
{
	if (!h)
		return;
	zsv_monitor_close(h);
	nl_socket_free(h->sk);
	free(h);
}

const char *zsv_ext_msg(const struct zsv_handle *h)
{
	if (!h || !h->ext_msg[0])
		return NULL;
	return h->ext_msg;
}

const char *zsv_error(const struct zsv_handle *h, int err)
{
	const char *msg = zsv_ext_msg(h);

	return msg ? msg : zsv_strerror(err);
}

uint32_t zsv_family_version(const struct zsv_handle *h)
{
	return h->family_version;
}
