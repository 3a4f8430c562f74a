// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-fuzz's netlink socket: raw generic netlink to the zsv family, the
 * kernel's answers read and checked (every reply message well formed, the
 * extended ack's message kept), dumps of every pdev, slice and tenant, and the
 * few well-formed requests the fuzzer makes for itself.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nlfuzz.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define NL_TIMEOUT_MS 5000

enum kind { K_NONE, K_U8, K_U32, K_U64, K_STR, K_FLAG, K_PAD };

/* clang-format off */
static const uint8_t dev_kind[ZSV_A_DEV_MAX + 1] = {
	[ZSV_A_DEV_PAD] = K_PAD,
	[ZSV_A_DEV_ID] = K_U32,
	[ZSV_A_DEV_NAME] = K_STR,
	[ZSV_A_DEV_BACKEND] = K_STR,
	[ZSV_A_DEV_MEM_TOTAL] = K_U64,
	[ZSV_A_DEV_MEM_RESERVED] = K_U64,
	[ZSV_A_DEV_MEM_USED] = K_U64,
	[ZSV_A_DEV_ENGINES] = K_U32,
	[ZSV_A_DEV_POLICY] = K_U32,
	[ZSV_A_DEV_TIMESLICE_NS] = K_U64,
	[ZSV_A_DEV_PERIOD_NS] = K_U64,
	[ZSV_A_DEV_SLICE_COUNT] = K_U32,
	[ZSV_A_DEV_OVERSUB_PCT] = K_U32,
	[ZSV_A_DEV_MEM_SHARED] = K_U64,
	[ZSV_A_DEV_BUSY_NS] = K_U64,
	[ZSV_A_DEV_JOBS_COMPLETED] = K_U64,
	[ZSV_A_DEV_HEADROOM_RESERVED] = K_U64,
	[ZSV_A_DEV_HEADROOM_SHARED] = K_U64,
	[ZSV_A_DEV_HEADROOM_ENGINE_PCT] = K_U32,
};
/* clang-format on */

/* clang-format off */
static const uint8_t slice_kind[ZSV_A_SLICE_MAX + 1] = {
	[ZSV_A_SLICE_PAD] = K_PAD,
	[ZSV_A_SLICE_ID] = K_U32,
	[ZSV_A_SLICE_NAME] = K_STR,
	[ZSV_A_SLICE_DEV_ID] = K_U32,
	[ZSV_A_SLICE_DEV_NAME] = K_STR,
	[ZSV_A_SLICE_MEM_BYTES] = K_U64,
	[ZSV_A_SLICE_MEM_MODE] = K_U32,
	[ZSV_A_SLICE_WEIGHT] = K_U32,
	[ZSV_A_SLICE_CAP_PCT] = K_U32,
	[ZSV_A_SLICE_TIMESLICE_NS] = K_U64,
	[ZSV_A_SLICE_UID] = K_U32,
	[ZSV_A_SLICE_GID] = K_U32,
	[ZSV_A_SLICE_NODE_MODE] = K_U32,
	[ZSV_A_SLICE_NODE] = K_STR,
	[ZSV_A_SLICE_FORCE] = K_FLAG,
	[ZSV_A_SLICE_CONTEXTS] = K_U32,
	[ZSV_A_SLICE_MEM_USED] = K_U64,
	[ZSV_A_SLICE_MEM_PEAK] = K_U64,
	[ZSV_A_SLICE_QUOTA_HITS] = K_U64,
	[ZSV_A_SLICE_BUSY_NS] = K_U64,
	[ZSV_A_SLICE_JOBS_SUBMITTED] = K_U64,
	[ZSV_A_SLICE_JOBS_COMPLETED] = K_U64,
	[ZSV_A_SLICE_JOBS_FAILED] = K_U64,
	[ZSV_A_SLICE_THROTTLED_NS] = K_U64,
	[ZSV_A_SLICE_CTX_SWITCHES] = K_U64,
	[ZSV_A_SLICE_SHARE_PROMISED_PPM] = K_U32,
	[ZSV_A_SLICE_SHARE_DELIVERED_PPM] = K_U32,
	[ZSV_A_SLICE_MEDIATED] = K_U8,
	[ZSV_A_SLICE_VFIO_OPEN] = K_U8,
	[ZSV_A_SLICE_TENANT] = K_STR,
	[ZSV_A_SLICE_GROUP] = K_STR,
	[ZSV_A_SLICE_COUNT] = K_U32,
	[ZSV_A_SLICE_DISTINCT] = K_U8,
};
/* clang-format on */

/* clang-format off */
static const uint8_t tenant_kind[ZSV_A_TENANT_MAX + 1] = {
	[ZSV_A_TENANT_PAD] = K_PAD,
	[ZSV_A_TENANT_ID] = K_U32,
	[ZSV_A_TENANT_NAME] = K_STR,
	[ZSV_A_TENANT_MEM_MAX] = K_U64,
	[ZSV_A_TENANT_SLICES_MAX] = K_U64,
	[ZSV_A_TENANT_COMPUTE_MAX] = K_U64,
	[ZSV_A_TENANT_MEM] = K_U64,
	[ZSV_A_TENANT_SLICES] = K_U64,
	[ZSV_A_TENANT_COMPUTE] = K_U64,
	[ZSV_A_TENANT_MEM_USED] = K_U64,
	[ZSV_A_TENANT_BUSY_NS] = K_U64,
	[ZSV_A_TENANT_QUOTA_HITS] = K_U64,
	[ZSV_A_TENANT_WEIGHT] = K_U32,
};
/* clang-format on */

static void reply_bad(struct reply *r, const char *why)
{
	if (!r->bad++)
		snprintf(r->bad_why, sizeof(r->bad_why), "%s", why);
}

/* One reply message: a genl header and the object's attributes. */
static void parse_obj(const struct nlmsghdr *nlh, struct reply *r)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	const uint8_t *p = (const uint8_t *)g + GENL_HDRLEN;
	int rem = (int)nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	const uint8_t *kinds;
	int max, id_t, name_t;
	struct obj o = {};
	bool slice;

	if (rem < 0) {
		reply_bad(r, "reply shorter than a genl header");
		return;
	}
	if (g->cmd < ZSV_CMD_DEV_GET || g->cmd > ZSV_CMD_MAX) {
		reply_bad(r, "reply with an unknown command");
		return;
	}
	r->cmd = g->cmd;
	r->dev = cmd_is_dev(g->cmd);
	r->tenant = cmd_is_tenant(g->cmd);
	kinds = r->dev ? dev_kind : r->tenant ? tenant_kind : slice_kind;
	max = r->dev ? ZSV_A_DEV_MAX : r->tenant ? ZSV_A_TENANT_MAX :
						     ZSV_A_SLICE_MAX;
	id_t = r->dev ? ZSV_A_DEV_ID : r->tenant ? ZSV_A_TENANT_ID :
						   ZSV_A_SLICE_ID;
	name_t = r->dev ? ZSV_A_DEV_NAME : r->tenant ? ZSV_A_TENANT_NAME :
						       ZSV_A_SLICE_NAME;
	slice = !r->dev && !r->tenant;
	while (rem >= NLA_HDRLEN) {
		struct nlattr a;
		const uint8_t *data = p + NLA_HDRLEN;
		int len, type;

		memcpy(&a, p, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || a.nla_len > rem) {
			reply_bad(r, "reply attribute with a bad length");
			return;
		}
		len = a.nla_len - NLA_HDRLEN;
		type = a.nla_type & NLA_TYPE_MASK;
		if (type < 1 || type > max || kinds[type] == K_NONE) {
			reply_bad(r, "reply attribute of an unknown type");
			return;
		}
		switch (kinds[type]) {
		case K_U8:
			if (len != 1)
				goto bad_len;
			o.v[type] = data[0];
			break;
		case K_U32:
			if (len != 4)
				goto bad_len;
			{
				uint32_t v;

				memcpy(&v, data, 4);
				o.v[type] = v;
			}
			break;
		case K_U64:
			if (len != 8)
				goto bad_len;
			memcpy(&o.v[type], data, 8);
			break;
		case K_STR: {
			char *dst = type == name_t ? o.name :
				    slice && type == ZSV_A_SLICE_DEV_NAME ?
					    o.dev_name :
				    slice && type == ZSV_A_SLICE_NODE ?
					    o.node :
				    slice && type == ZSV_A_SLICE_TENANT ?
					    o.tenant :
				    slice && type == ZSV_A_SLICE_GROUP ?
					    o.group :
					    NULL;
			size_t cap = dst == o.node ? sizeof(o.node) :
						     sizeof(o.name);

			if (!len || data[len - 1] ||
			    strlen((const char *)data) != (size_t)len - 1)
				goto bad_len;
			if ((size_t)len > cap) {
				reply_bad(r, "reply string too long");
				return;
			}
			if (dst)
				memcpy(dst, data, (size_t)len);
			o.v[type] = (uint64_t)len - 1;
			break;
		}
		case K_FLAG:
		case K_PAD:
			break;
		}
		if (o.has[type] && kinds[type] != K_PAD) {
			reply_bad(r, "reply with a duplicate attribute");
			return;
		}
		o.has[type] = true;
		p += NLA_ALIGN(a.nla_len);
		rem -= NLA_ALIGN(a.nla_len);
		continue;
bad_len:
		reply_bad(r, "reply attribute of the wrong size");
		return;
	}
	if (!o.has[id_t] || !o.has[name_t]) {
		reply_bad(r, "reply without an id or a name");
		return;
	}
	if (r->objs && r->nobjs < r->max_objs)
		r->objs[r->nobjs] = o;
	r->nobjs++;
}

/* The extended ack's message, from the TLVs after @off bytes of payload. */
static void parse_extack(const struct nlmsghdr *nlh, size_t off,
			 struct reply *r)
{
	const uint8_t *p = (const uint8_t *)NLMSG_DATA(nlh) + off;
	int rem = (int)nlh->nlmsg_len - NLMSG_HDRLEN - (int)off;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	while (rem >= NLA_HDRLEN) {
		struct nlattr a;

		memcpy(&a, p, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || a.nla_len > rem)
			return;
		if ((a.nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
			snprintf(r->extack, sizeof(r->extack), "%.*s",
				 (int)(a.nla_len - NLA_HDRLEN),
				 (const char *)(p + NLA_HDRLEN));
		p += NLA_ALIGN(a.nla_len);
		rem -= NLA_ALIGN(a.nla_len);
	}
}

static void parse_answer(const struct nlmsghdr *nlh, struct reply *r)
{
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nlh);

		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
			reply_bad(r, "short error message");
			r->answered = true;
			return;
		}
		r->err = e->error;
		r->answered = true;
		parse_extack(
			nlh,
			nlh->nlmsg_flags & NLM_F_CAPPED ?
				sizeof(*e) :
				NLMSG_ALIGN(sizeof(int) + e->msg.nlmsg_len),
			r);
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		int err = 0;

		if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
			memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
		r->err = err;
		r->answered = true;
		parse_extack(nlh, sizeof(int), r);
	} else {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			r->dump_intr = true;
		parse_obj(nlh, r);
	}
}

/*
 * Read what the kernel answers to @seq into @r, and to @probe_seq into
 * @probe; stop at the answer of the last one asked for.
 */
int nl_recv(struct nl *nl, uint32_t seq, struct reply *r, uint32_t probe_seq,
	    struct reply *probe)
{
	static uint8_t buf[1 << 17];
	struct reply *last = probe ? probe : r;

	while (!last->answered) {
		struct pollfd pfd = { .fd = nl->fd, .events = POLLIN };
		const struct nlmsghdr *nlh;
		ssize_t len;
		int n = poll(&pfd, 1, NL_TIMEOUT_MS);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			last->timed_out = true;
			return -ETIMEDOUT;
		}
		len = recv(nl->fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
		if (len < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		if ((size_t)len > sizeof(buf)) {
			reply_bad(last,
				  "a netlink datagram larger than 128 KiB");
			len = sizeof(buf);
		}
		for (nlh = (const void *)buf; NLMSG_OK(nlh, (size_t)len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq == seq && r)
				parse_answer(nlh, r);
			else if (probe && nlh->nlmsg_seq == probe_seq)
				parse_answer(nlh, probe);
		}
	}
	return 0;
}

int nl_send(struct nl *nl, const void *buf, size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n;

	do
		n = sendto(nl->fd, buf, len, 0, (struct sockaddr *)&kernel,
			   sizeof(kernel));
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : 0;
}

/* --- building requests -------------------------------------------------- */

void *msg_put(struct msgbuf *m, size_t len)
{
	void *p = m->b + m->len;

	if (m->len + NLMSG_ALIGN(len) > sizeof(m->b))
		abort();
	memset(p, 0, NLMSG_ALIGN(len));
	m->len += NLMSG_ALIGN(len);
	return p;
}

void msg_start(struct msgbuf *m, uint16_t type, uint16_t flags, uint32_t seq,
	       uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	m->len = 0;
	nlh = msg_put(m, NLMSG_HDRLEN);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	g = msg_put(m, GENL_HDRLEN);
	g->cmd = cmd;
	g->version = version;
}

void msg_attr(struct msgbuf *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = msg_put(m, NLA_HDRLEN + len);

	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	if (len)
		memcpy(a + 1, data, len);
}

void msg_end(struct msgbuf *m)
{
	((struct nlmsghdr *)m->b)->nlmsg_len = (uint32_t)m->len;
}

/* Send @m (its own seq) and wait for the answer. */
int nl_xfer(struct nl *nl, struct msgbuf *m, struct reply *r)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->b;
	int err;

	nlh->nlmsg_seq = ++nl->seq;
	msg_end(m);
	err = nl_send(nl, m->b, m->len);
	if (!err)
		err = nl_recv(nl, nlh->nlmsg_seq, r, 0, NULL);
	if (err)
		return err;
	if (r->bad)
		fz_fail("malformed answer to command %u: %s",
			((struct genlmsghdr *)NLMSG_DATA(nlh))->cmd,
			r->bad_why);
	return r->err;
}

struct msgbuf *nl_scratch(void)
{
	static struct msgbuf m;

	return &m;
}

/* The family id a controller reply carries, or 0. */
static uint16_t ctrl_family_id(const struct nlmsghdr *nlh)
{
	const uint8_t *p = (const uint8_t *)NLMSG_DATA(nlh) + GENL_HDRLEN;
	int rem = (int)nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	uint16_t id = 0;

	while (rem >= NLA_HDRLEN) {
		struct nlattr a;

		memcpy(&a, p, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || a.nla_len > rem)
			break;
		if (a.nla_type == CTRL_ATTR_FAMILY_ID &&
		    a.nla_len >= NLA_HDRLEN + 2)
			memcpy(&id, p + NLA_HDRLEN, 2);
		p += NLA_ALIGN(a.nla_len);
		rem -= NLA_ALIGN(a.nla_len);
	}
	return id;
}

int nl_open(struct nl *nl)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	struct msgbuf *m = nl_scratch();
	int one = 1, rcvbuf = 1 << 20;
	static uint8_t buf[8192];
	struct reply r = {};
	int err;

	nl->family = 0;
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		return -errno;
	if (bind(nl->fd, (struct sockaddr *)&addr, sizeof(addr)))
		return -errno;
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	/* Errors need not echo a 8 KiB request back. */
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));

	/* The family's id, from the controller (whose reply is no zsv object). */
	msg_start(m, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, ++nl->seq,
		  CTRL_CMD_GETFAMILY, 1);
	msg_attr(m, CTRL_ATTR_FAMILY_NAME, ZSV_GENL_NAME,
		 sizeof(ZSV_GENL_NAME));
	msg_end(m);
	err = nl_send(nl, m->b, m->len);
	while (!err && !r.answered) {
		const struct nlmsghdr *nlh;
		ssize_t len = recv(nl->fd, buf, sizeof(buf), 0);

		if (len < 0) {
			err = -errno;
			break;
		}
		for (nlh = (const void *)buf; NLMSG_OK(nlh, (size_t)len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_type == NLMSG_ERROR)
				parse_answer(nlh, &r);
			else if (!nl->family)
				nl->family = ctrl_family_id(nlh);
		}
	}
	if (!err)
		err = r.err;
	if (!err && !nl->family)
		err = -ENOENT;
	return err;
}

void nl_close(struct nl *nl)
{
	close(nl->fd);
	nl->fd = -1;
}

int nl_snapshot(struct nl *nl, struct snapshot *s)
{
	struct msgbuf *m = nl_scratch();
	struct reply r;
	int err;

	for (int tries = 0; tries < 10; tries++) {
		memset(&r, 0, sizeof(r));
		r.objs = s->dev;
		r.max_objs = MAX_OBJS;
		msg_start(m, nl->family, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
			  0, ZSV_CMD_DEV_GET, ZSV_GENL_VERSION);
		err = nl_xfer(nl, m, &r);
		if (err)
			return err;
		s->ndev = r.nobjs < MAX_OBJS ? r.nobjs : MAX_OBJS;
		if (r.dump_intr)
			continue;
		memset(&r, 0, sizeof(r));
		r.objs = s->slice;
		r.max_objs = MAX_OBJS;
		msg_start(m, nl->family, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
			  0, ZSV_CMD_SLICE_GET, ZSV_GENL_VERSION);
		err = nl_xfer(nl, m, &r);
		if (err)
			return err;
		s->nslice = r.nobjs < MAX_OBJS ? r.nobjs : MAX_OBJS;
		if (r.dump_intr)
			continue;
		memset(&r, 0, sizeof(r));
		r.objs = s->tenant;
		r.max_objs = MAX_OBJS;
		msg_start(m, nl->family, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
			  0, ZSV_CMD_TENANT_GET, ZSV_GENL_VERSION);
		err = nl_xfer(nl, m, &r);
		if (err)
			return err;
		s->ntenant = r.nobjs < MAX_OBJS ? r.nobjs : MAX_OBJS;
		if (!r.dump_intr)
			return 0;
	}
	return -EAGAIN;
}

int nl_slice_new(struct nl *nl, const char *name, const char *dev, uint64_t mem,
		 uint32_t mode, uint32_t uid, uint32_t gid, uint32_t node_mode)
{
	struct msgbuf *m = nl_scratch();
	struct reply r = {};

	msg_start(m, nl->family, NLM_F_REQUEST | NLM_F_ACK, 0,
		  ZSV_CMD_SLICE_NEW, ZSV_GENL_VERSION);
	msg_attr(m, ZSV_A_SLICE_NAME, name, strlen(name) + 1);
	msg_attr(m, ZSV_A_SLICE_DEV_NAME, dev, strlen(dev) + 1);
	msg_attr(m, ZSV_A_SLICE_MEM_BYTES, &mem, 8);
	msg_attr(m, ZSV_A_SLICE_MEM_MODE, &mode, 4);
	msg_attr(m, ZSV_A_SLICE_UID, &uid, 4);
	msg_attr(m, ZSV_A_SLICE_GID, &gid, 4);
	msg_attr(m, ZSV_A_SLICE_NODE_MODE, &node_mode, 4);
	return nl_xfer(nl, m, &r);
}

int nl_slice_del(struct nl *nl, const char *name, bool force)
{
	struct msgbuf *m = nl_scratch();
	struct reply r = {};

	msg_start(m, nl->family, NLM_F_REQUEST | NLM_F_ACK, 0,
		  ZSV_CMD_SLICE_DEL, ZSV_GENL_VERSION);
	msg_attr(m, ZSV_A_SLICE_NAME, name, strlen(name) + 1);
	if (force)
		msg_attr(m, ZSV_A_SLICE_FORCE, NULL, 0);
	return nl_xfer(nl, m, &r);
}

int nl_slice_del_id(struct nl *nl, uint32_t id, bool force)
{
	struct msgbuf *m = nl_scratch();
	struct reply r = {};

	msg_start(m, nl->family, NLM_F_REQUEST | NLM_F_ACK, 0,
		  ZSV_CMD_SLICE_DEL, ZSV_GENL_VERSION);
	msg_attr(m, ZSV_A_SLICE_ID, &id, 4);
	if (force)
		msg_attr(m, ZSV_A_SLICE_FORCE, NULL, 0);
	return nl_xfer(nl, m, &r);
}

int nl_dev_del(struct nl *nl, uint32_t id)
{
	struct msgbuf *m = nl_scratch();
	struct reply r = {};

	msg_start(m, nl->family, NLM_F_REQUEST | NLM_F_ACK, 0, ZSV_CMD_DEV_DEL,
		  ZSV_GENL_VERSION);
	msg_attr(m, ZSV_A_DEV_ID, &id, 4);
	return nl_xfer(nl, m, &r);
}

/* Put a pdev's settings back as @dev has them. */
int nl_dev_set(struct nl *nl, const struct obj *dev)
{
	struct msgbuf *m = nl_scratch();
	struct reply r = {};
	uint32_t id = (uint32_t)dev->v[ZSV_A_DEV_ID];
	uint32_t policy = (uint32_t)dev->v[ZSV_A_DEV_POLICY];
	uint32_t oversub = (uint32_t)dev->v[ZSV_A_DEV_OVERSUB_PCT];

	msg_start(m, nl->family, NLM_F_REQUEST | NLM_F_ACK, 0, ZSV_CMD_DEV_SET,
		  ZSV_GENL_VERSION);
	msg_attr(m, ZSV_A_DEV_ID, &id, 4);
	msg_attr(m, ZSV_A_DEV_POLICY, &policy, 4);
	msg_attr(m, ZSV_A_DEV_TIMESLICE_NS, &dev->v[ZSV_A_DEV_TIMESLICE_NS], 8);
	msg_attr(m, ZSV_A_DEV_PERIOD_NS, &dev->v[ZSV_A_DEV_PERIOD_NS], 8);
	msg_attr(m, ZSV_A_DEV_OVERSUB_PCT, &oversub, 4);
	return nl_xfer(nl, m, &r);
}

int nl_tenant_del(struct nl *nl, const char *name)
{
	struct msgbuf *m = nl_scratch();
	struct reply r = {};

	msg_start(m, nl->family, NLM_F_REQUEST | NLM_F_ACK, 0,
		  ZSV_CMD_TENANT_DEL, ZSV_GENL_VERSION);
	msg_attr(m, ZSV_A_TENANT_NAME, name, strlen(name) + 1);
	return nl_xfer(nl, m, &r);
}
