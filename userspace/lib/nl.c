// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One netlink request and its replies.
 *
 * libnl reports a refused request as a bare -NLE_* code and drops the
 * extended ACK, so every incoming message is first looked at here
 * (NL_CB_MSG_IN): an NLMSG_ERROR or an NLMSG_DONE carrying an error
 * gives us the kernel's errno and its NLMSGERR_ATTR_MSG.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>

#include "nl.h"

struct transaction {
	struct zsv_handle *h;
	uint32_t seq;
	zsv_reply_fn fn;
	void *arg;
	int err; /* first error, a negated errno */
	bool done; /* the ACK, error or NLMSG_DONE came */
	bool dump_intr; /* the kernel flagged the dump inconsistent */
};

int zsv_nlerr_to_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_SUCCESS:
		return 0;
	case NLE_INTR:
		return -EINTR;
	case NLE_BAD_SOCK:
		return -EBADF;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_RANGE:
		return -ERANGE;
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:
		return -EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_PERM:
		return -EPERM;
	case NLE_NODEV:
		return -ENODEV;
	case NLE_DUMP_INTR:
		return -EAGAIN;
	default:
		/* Truncated, out-of-sequence or malformed messages. */
		return -EPROTO;
	}
}

/*
 * Keep the NLMSGERR_ATTR_MSG of an error or done message whose
 * attributes start @offset bytes into its payload.
 */
static void save_ext_msg(struct zsv_handle *h, const struct nlmsghdr *nlh,
			 size_t offset)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t payload_len;
	size_t len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	payload_len = (size_t)nlmsg_datalen(nlh);
	if (offset >= payload_len)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlmsg_data(nlh) + offset),
		      (int)(payload_len - offset), NULL) < 0)
		return;
	if (!tb[NLMSGERR_ATTR_MSG])
		return;
	nla_strlcpy(h->ext_msg, tb[NLMSGERR_ATTR_MSG], sizeof(h->ext_msg));
	len = strlen(h->ext_msg);
	while (len && h->ext_msg[len - 1] == '\n')
		h->ext_msg[--len] = '\0';
}

static void transaction_fail(struct transaction *t, int err)
{
	if (!t->err)
		t->err = err;
}

/* Called first for every message, before libnl's own handling. */
static int on_msg_in(struct nl_msg *msg, void *arg)
{
	struct transaction *t = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	size_t payload_len = (size_t)nlmsg_datalen(nlh);

	/* libnl's sequence check fails it right after this. */
	if (nlh->nlmsg_seq != t->seq)
		return NL_OK;
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		t->dump_intr = true;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = nlmsg_data(nlh);
		size_t offset = sizeof(*e);

		t->done = true;
		if (payload_len < sizeof(*e)) {
			transaction_fail(t, -EPROTO);
			return NL_OK;
		}
		if (!e->error)
			return NL_OK; /* the ACK */
		/* Without NLM_F_CAPPED our request is echoed first. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    e->msg.nlmsg_len >= NLMSG_HDRLEN)
			offset += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
		save_ext_msg(t->h, nlh, offset);
		/* The kernel's verdict wins over a parser's complaint. */
		t->err = e->error < 0 ? e->error : -e->error;
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		int dump_err = 0;

		t->done = true;
		if (payload_len >= sizeof(dump_err))
			memcpy(&dump_err, nlmsg_data(nlh), sizeof(dump_err));
		if (dump_err < 0) {
			save_ext_msg(t->h, nlh, NLMSG_ALIGN(sizeof(dump_err)));
			t->err = dump_err;
		}
	}
	return NL_OK;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct transaction *t = arg;
	int err;

	if (t->err || !t->fn)
		return NL_OK;
	err = t->fn(nlmsg_hdr(msg), t->arg);
	if (err)
		transaction_fail(t, err);
	return NL_OK;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	(void)nla;
	(void)e;
	(void)arg;
	return NL_STOP; /* on_msg_in() recorded it */
}

static int on_stop(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_STOP;
}

int zsv_transact(struct zsv_handle *h, struct nl_msg *msg, zsv_reply_fn fn,
		 void *arg)
{
	struct transaction t = { .h = h, .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int err;

	h->ext_msg[0] = '\0';
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_MSG_IN, NL_CB_CUSTOM, on_msg_in, &t);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_stop, &t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_stop, &t);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &t);

	/* Sets NLM_F_REQUEST, NLM_F_ACK, our port and the next seq. */
	err = nl_send_auto(h->sk, msg);
	if (err < 0) {
		t.err = zsv_nlerr_to_errno(err);
		goto out;
	}
	t.seq = nlmsg_hdr(msg)->nlmsg_seq;

	/* Read to the end even after an error: the next request must
	 * not find this one's replies on the socket. */
	while (!t.done) {
		err = nl_recvmsgs(h->sk, cb);
		if (err < 0) {
			if (!t.done)
				transaction_fail(&t, zsv_nlerr_to_errno(err));
			break;
		}
	}
	if (!t.err && t.dump_intr)
		t.err = -EAGAIN;
out:
	nl_cb_put(cb);
	nlmsg_free(msg);
	return t.err;
}

struct nl_msg *zsv_msg_new(struct zsv_handle *h, uint8_t cmd, int flags)
{
	struct nl_msg *msg;

	msg = nlmsg_alloc();
	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, h->family_id, 0, flags,
			 cmd, ZSV_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}
