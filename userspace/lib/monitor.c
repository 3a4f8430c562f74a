// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Events: the "monitor" multicast group of the zsv family.
 *
 * Events arrive on a socket of their own, so that a handle can make
 * requests between reads: on the request socket they would be mistaken
 * for replies.  The socket is read with plain recvfrom() rather than
 * libnl's receive loop, which retries on EINTR (a monitor must stop on
 * a signal), checks sequence numbers (events have none) and folds
 * ENOBUFS into a generic error (lost events must be reported as such).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "nl.h"

/*
 * One event message is a page at most (the kernel's NLMSG_GOODSIZE); a
 * datagram may hold several.  Big enough that nothing is truncated.
 */
#define MONITOR_BUF_SIZE 65536

/* Receive buffer of the event socket: room for bursts of changes. */
#define MONITOR_RCVBUF_SIZE (1 << 20)

static const char *const event_names[][4] = {
	[ZSV_EVENT_DEV] = { NULL, "dev-new", "dev-set", "dev-del" },
	[ZSV_EVENT_SLICE] = { NULL, "slice-new", "slice-set", "slice-del" },
	[ZSV_EVENT_TENANT] = { NULL, "tenant-new", "tenant-set", "tenant-del" },
};

const char *zsv_event_name(const struct zsv_event *ev)
{
	if (!ev || ev->kind < ZSV_EVENT_DEV || ev->kind > ZSV_EVENT_TENANT ||
	    ev->action < ZSV_EVENT_NEW || ev->action > ZSV_EVENT_DEL)
		return NULL;
	return event_names[ev->kind][ev->action];
}

void zsv_monitor_close(struct zsv_handle *h)
{
	if (h->monitor_sk)
		nl_socket_free(h->monitor_sk);
	free(h->monitor_buf);
	h->monitor_sk = NULL;
	h->monitor_buf = NULL;
}

int zsv_monitor_subscribe(struct zsv_handle *h)
{
	struct nl_sock *sk;
	int err;

	if (h->monitor_sk)
		return 0;
	if (!h->monitor_group)
		return -EOPNOTSUPP;
	h->monitor_buf = malloc(MONITOR_BUF_SIZE);
	sk = nl_socket_alloc();
	if (!sk || !h->monitor_buf) {
		err = -ENOMEM;
		goto err_free;
	}
	/* Nothing is sent on this socket: no ACKs to wait for. */
	nl_socket_disable_seq_check(sk);
	errno = 0;
	err = nl_connect(sk, NETLINK_GENERIC);
	if (err < 0) {
		err = errno ? -errno : zsv_nlerr_to_errno(err);
		goto err_free;
	}
	/* Best effort: a smaller buffer only loses events sooner. */
	nl_socket_set_buffer_size(sk, MONITOR_RCVBUF_SIZE, 0);
	err = nl_socket_add_membership(sk, (int)h->monitor_group);
	if (err < 0) {
		err = zsv_nlerr_to_errno(err);
		goto err_free;
	}
	h->monitor_sk = sk;
	return 0;

err_free:
	if (sk)
		nl_socket_free(sk);
	free(h->monitor_buf);
	h->monitor_buf = NULL;
	return err;
}

int zsv_monitor_fd(const struct zsv_handle *h)
{
	return h->monitor_sk ? nl_socket_get_fd(h->monitor_sk) : -1;
}

/* What happened, from the command of an event message; 0 if unknown. */
static void event_from_cmd(uint8_t cmd, struct zsv_event *ev)
{
	static const struct {
		int kind;
		int action;
	} cmds[] = {
		[ZSV_CMD_DEV_NEW] = { ZSV_EVENT_DEV, ZSV_EVENT_NEW },
		[ZSV_CMD_DEV_SET] = { ZSV_EVENT_DEV, ZSV_EVENT_SET },
		[ZSV_CMD_DEV_DEL] = { ZSV_EVENT_DEV, ZSV_EVENT_DEL },
		[ZSV_CMD_SLICE_NEW] = { ZSV_EVENT_SLICE, ZSV_EVENT_NEW },
		[ZSV_CMD_SLICE_SET] = { ZSV_EVENT_SLICE, ZSV_EVENT_SET },
		[ZSV_CMD_SLICE_DEL] = { ZSV_EVENT_SLICE, ZSV_EVENT_DEL },
		[ZSV_CMD_TENANT_NEW] = { ZSV_EVENT_TENANT, ZSV_EVENT_NEW },
		[ZSV_CMD_TENANT_SET] = { ZSV_EVENT_TENANT, ZSV_EVENT_SET },
		[ZSV_CMD_TENANT_DEL] = { ZSV_EVENT_TENANT, ZSV_EVENT_DEL },
	};

	memset(ev, 0, sizeof(*ev));
	if (cmd < sizeof(cmds) / sizeof(cmds[0])) {
		ev->kind = cmds[cmd].kind;
		ev->action = cmds[cmd].action;
	}
}

/* One event message: parse it and pass it on; unknown ones are skipped. */
static int event_deliver(struct zsv_handle *h, struct nlmsghdr *nlh,
			 zsv_event_cb cb, void *arg)
{
	struct zsv_dev_info *dev = NULL;
	struct zsv_slice_info *slice = NULL;
	struct zsv_tenant_info *tenant = NULL;
	struct zsv_event ev;
	int err;

	if (nlh->nlmsg_type != h->family_id ||
	    nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return 0;
	event_from_cmd(((struct genlmsghdr *)nlmsg_data(nlh))->cmd, &ev);
	if (ev.kind == ZSV_EVENT_DEV) {
		err = zsv_dev_info_parse(nlh, &dev);
		ev.dev = dev;
	} else if (ev.kind == ZSV_EVENT_SLICE) {
		err = zsv_slice_info_parse(nlh, &slice);
		ev.slice = slice;
	} else if (ev.kind == ZSV_EVENT_TENANT) {
		err = zsv_tenant_info_parse(nlh, &tenant);
		ev.tenant = tenant;
	} else {
		return 0;
	}
	if (err)
		return err;
	err = cb(&ev, arg);
	zsv_dev_info_free(dev);
	zsv_slice_info_free(slice);
	zsv_tenant_info_free(tenant);
	return err;
}

int zsv_monitor_read(struct zsv_handle *h, zsv_event_cb cb, void *arg)
{
	struct sockaddr_nl from;
	socklen_t from_len = sizeof(from);
	struct nlmsghdr *nlh;
	ssize_t n;
	int len, err;

	if (!h->monitor_sk || !cb)
		return -EINVAL;
	n = recvfrom(zsv_monitor_fd(h), h->monitor_buf, MONITOR_BUF_SIZE,
		     MSG_TRUNC, (struct sockaddr *)&from, &from_len);
	if (n < 0)
		return -errno;
	if (n > MONITOR_BUF_SIZE)
		return -EMSGSIZE;
	/* Only the kernel speaks for the group. */
	if (from_len != sizeof(from) || from.nl_family != AF_NETLINK ||
	    from.nl_pid != 0)
		return 0;
	len = (int)n;
	for (nlh = h->monitor_buf; nlmsg_ok(nlh, len);
	     nlh = nlmsg_next(nlh, &len)) {
		err = event_deliver(h, nlh, cb, arg);
		if (err)
			return err;
	}
	return 0;
}

int zsv_monitor_run(struct zsv_handle *h, zsv_event_cb cb, void *arg)
{
	int err;

	err = zsv_monitor_subscribe(h);
	while (!err)
		err = zsv_monitor_read(h, cb, arg);
	return err;
}
