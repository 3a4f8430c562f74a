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
	bool done;		/* the ack, error or NLMSG_DONE came */
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
	r->done = true;
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
	struct zsv_nl_reply *r = arg;

	(void)msg;
	if (r)
		r->done = true;
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

/*
 * Empty @r for replies parsed up to @max_attr and return callbacks that
 * collect them into it; the caller puts the callbacks with nl_cb_put().
 */
static inline struct nl_cb *zsv_nl_reply_cb(struct zsv_nl_reply *r,
					    int max_attr)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);

	memset(r, 0, sizeof(*r));
	r->missing_type = -1;
	r->max_attr = max_attr;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, zsv_nl_valid_cb, r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, zsv_nl_ack_cb, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, zsv_nl_ack_cb, r);
	nl_cb_err(cb, NL_CB_CUSTOM, zsv_nl_err_cb, r);
	return cb;
}

/* Send @msg (consumed) and collect the replies or the error into @r. */
static inline int zsv_nl_xfer(struct zsv_nl *nl, struct nl_msg *msg,
			      struct zsv_nl_reply *r, int max_attr)
{
	struct nl_cb *cb = zsv_nl_reply_cb(r, max_attr);
	int err;

	err = nl_send_auto(nl->sock, msg);
	nlmsg_free(msg);
	if (err < 0) {
		nl_cb_put(cb);
		return -EIO;
	}
	/*
	 * A reply and its ack may come in separate reads: go on until the
	 * ack, the error or NLMSG_DONE, so nothing is left for the next call.
	 */
	while (!r->done) {
		err = nl_recvmsgs(nl->sock, cb);
		if (err < 0 && err != -NLE_DUMP_INTR && !r->done) {
			r->error = -EIO;
			break;
		}
	}
	nl_cb_put(cb);
	return r->error;
}

static inline void zsv_nl_reply_free(struct zsv_nl_reply *r)
{
	for (int i = 0; i < r->count; i++)
		nlmsg_free(r->msgs[i]);
	r->count = 0;
}

/* --- request builders for the slice tests -------------------------------- */

#ifndef ZSV_SELFTEST_NO_BUILDERS
/* Start a slice-new for NAME on DEV with MEM bytes; add more, then xfer. */
static inline struct nl_msg *zsv_slice_new_msg(struct zsv_nl *nl,
					       const char *name,
					       const char *dev, uint64_t mem)
{
	struct nl_msg *msg = zsv_nl_msg(nl, ZSV_CMD_SLICE_NEW, 0);

	if (name)
		nla_put_string(msg, ZSV_A_SLICE_NAME, name);
	if (dev)
		nla_put_string(msg, ZSV_A_SLICE_DEV_NAME, dev);
	if (mem != (uint64_t)-1)
		nla_put_u64(msg, ZSV_A_SLICE_MEM_BYTES, mem);
	return msg;
}

static inline int zsv_slice_new(struct zsv_nl *nl, struct zsv_nl_reply *r,
				const char *name, const char *dev, uint64_t mem)
{
	return zsv_nl_xfer(nl, zsv_slice_new_msg(nl, name, dev, mem), r,
			   ZSV_A_SLICE_MAX);
}

static inline int zsv_slice_del(struct zsv_nl *nl, struct zsv_nl_reply *r,
				const char *name, bool force)
{
	struct nl_msg *msg = zsv_nl_msg(nl, ZSV_CMD_SLICE_DEL, 0);

	nla_put_string(msg, ZSV_A_SLICE_NAME, name);
	if (force)
		nla_put_flag(msg, ZSV_A_SLICE_FORCE);
	return zsv_nl_xfer(nl, msg, r, ZSV_A_SLICE_MAX);
}

static inline int zsv_slice_get(struct zsv_nl *nl, struct zsv_nl_reply *r,
				const char *name)
{
	struct nl_msg *msg = zsv_nl_msg(nl, ZSV_CMD_SLICE_GET, 0);

	nla_put_string(msg, ZSV_A_SLICE_NAME, name);
	return zsv_nl_xfer(nl, msg, r, ZSV_A_SLICE_MAX);
}

/* A u64 attribute of the first reply, or ~0 when it is missing. */
static inline uint64_t zsv_r_u64(struct zsv_nl_reply *r, int type)
{
	return r->count && r->attrs[0][type] ? nla_get_u64(r->attrs[0][type]) :
					       ~0ULL;
}

static inline uint32_t zsv_r_u32(struct zsv_nl_reply *r, int type)
{
	return r->count && r->attrs[0][type] ? nla_get_u32(r->attrs[0][type]) :
					       ~0U;
}
#endif /* ZSV_SELFTEST_NO_BUILDERS */

#endif /* ZSV_SELFTEST_NL_HELPERS_H */
