/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Raw generic netlink access to the zsv family for the selftests. Tests
 * build requests attribute by attribute (including malformed ones) and get
 * back the kernel's errno, its extack message and the reply attributes.
 */
#ifndef ZSV_SELFTEST_NL_HELPERS_H
#define ZSV_SELFTEST_NL_HELPERS_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/zsv.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#define ZSV_NL_MAX_REPLIES 1100

struct zsv_nl_reply {
	/* attributes of each reply message, indexed by type */
	struct nlattr *attrs[ZSV_NL_MAX_REPLIES][64];
	struct nl_msg *msgs[ZSV_NL_MAX_REPLIES];
	int count;
	int error;		/* 0 or a negative errno from the kernel */
	bool dump_intr;		/* a reply carried NLM_F_DUMP_INTR */
	char extack[256];	/* the kernel's extack message, if any */
	unsigned int bad_attr_offset;
	int missing_type;	/* NLMSGERR_ATTR_MISS_TYPE or -1 */
	int max_attr;
};

struct zsv_nl {
	struct nl_sock *sock;
	int family;
};

static inline int zsv_nl_open(struct zsv_nl *nl)
{
	int one = 1;

	nl->sock = nl_socket_alloc();
	if (!nl->sock)
		return -ENOMEM;
	if (genl_connect(nl->sock))
		return -ECONNREFUSED;
	setsockopt(nl_socket_get_fd(nl->sock), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	nl_socket_disable_auto_ack(nl->sock);
	nl->family = genl_ctrl_resolve(nl->sock, ZSV_GENL_NAME);
	return nl->family < 0 ? -ENOENT : 0;
}

static inline void zsv_nl_close(struct zsv_nl *nl)
{
	nl_socket_free(nl->sock);
}

static int zsv_nl_valid_cb(struct nl_msg *msg, void *arg)
{
	struct zsv_nl_reply *r = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		r->dump_intr = true;
	if (r->count >= ZSV_NL_MAX_REPLIES)
		return NL_SKIP;
	nlmsg_get(msg);
	r->msgs[r->count] = msg;
	genlmsg_parse(nlh, 0, r->attrs[r->count], r->max_attr, NULL);
	r->count++;
	return NL_OK;
}

static int zsv_nl_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *err,
			 void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)err - NLMSG_HDRLEN);
	struct zsv_nl_reply *r = arg;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
	unsigned int skip = sizeof(*err);
	int len;

	(void)nla;
	r->error = err->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		skip += err->msg.nlmsg_len - NLMSG_HDRLEN;
	len = nlh->nlmsg_len - NLMSG_HDRLEN - skip;
	if (len <= 0)
		return NL_STOP;
	nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)err + skip),
		  len, NULL);
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(r->extack, sizeof(r->extack), "%s",
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS])
		r->bad_attr_offset = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		r->missing_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	return NL_STOP;
}

static int zsv_nl_ack_cb(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_STOP;
}

/* Start a request; the caller appends attributes with nla_put*(). */
static inline struct nl_msg *zsv_nl_msg(struct zsv_nl *nl, uint8_t cmd,
					int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg)
		genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			    flags | NLM_F_ACK, cmd, ZSV_GENL_VERSION);
	return msg;
}

/* Send @msg (consumed) and collect the replies or the error into @r. */
static inline int zsv_nl_xfer(struct zsv_nl *nl, struct nl_msg *msg,
			      struct zsv_nl_reply *r, int max_attr)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int err;

	memset(r, 0, sizeof(*r));
	r->missing_type = -1;
	r->max_attr = max_attr;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, zsv_nl_valid_cb, r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, zsv_nl_ack_cb, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, zsv_nl_ack_cb, r);
	nl_cb_err(cb, NL_CB_CUSTOM, zsv_nl_err_cb, r);

	err = nl_send_auto(nl->sock, msg);
	nlmsg_free(msg);
	if (err < 0) {
		nl_cb_put(cb);
		return -EIO;
	}
	/* Runs until the ack, the error or NLMSG_DONE. */
	nl_recvmsgs(nl->sock, cb);
	nl_cb_put(cb);
	return r->error;
}

static inline void zsv_nl_reply_free(struct zsv_nl_reply *r)
{
	for (int i = 0; i < r->count; i++)
		nlmsg_free(r->msgs[i]);
	r->count = 0;
}

#endif /* ZSV_SELFTEST_NL_HELPERS_H */
