/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The netlink side of libzsv: the handle and one request/reply exchange
 * ("transaction").  Each command file (dev.c, later slice.c, ...) builds
 * a message with zsv_msg_new(), adds its attributes, and hands it to
 * zsv_transact() with a parser for the replies.  Events (monitor.c)
 * arrive on a second socket and are parsed by the same parsers.
 */
#ifndef LIBZSV_NL_H
#define LIBZSV_NL_H

#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "libzsv.h"

/* Longest extended-ack message kept; the kernel's are shorter. */
#define ZSV_EXT_MSG_MAX 256

struct zsv_handle {
	struct nl_sock *sk;
	int family_id;
	uint32_t family_version;
	uint32_t family_maxattr;
	/* Id of the "monitor" multicast group, 0 when the family has none. */
	uint32_t monitor_group;
	/* Extended-ack message of the last refused request, or "". */
	char ext_msg[ZSV_EXT_MSG_MAX];
	/* Events: a socket of their own (monitor.c), NULL until subscribed. */
	struct nl_sock *monitor_sk;
	void *monitor_buf;
};

/*
 * Parse one reply message of a transaction.  Returns 0 or a negative
 * errno; after an error the remaining replies are read and dropped.
 */
typedef int (*zsv_reply_fn)(struct nlmsghdr *nlh, void *arg);

/* A request of the zsv family with its generic netlink header. */
struct nl_msg *zsv_msg_new(struct zsv_handle *h, uint8_t cmd, int flags);

/*
 * Send @msg (which this consumes; any generic netlink family), pass
 * every reply to @fn (may be NULL) and wait for the final ACK, error or
 * end of dump.  Returns 0, the
 * kernel's negated errno (its extack message is in h->ext_msg), the
 * parser's error, or -EAGAIN for a dump the kernel flagged as
 * inconsistent.
 */
int zsv_transact(struct zsv_handle *h, struct nl_msg *msg, zsv_reply_fn fn,
		 void *arg);

/* A libnl error code (-NLE_*) as a negated errno. */
int zsv_nlerr_to_errno(int nlerr);

/*
 * One message of dev attributes (a reply or an event) to a newly
 * allocated zsv_dev_info; 0 or a negated errno.
 */
int zsv_dev_info_parse(struct nlmsghdr *nlh, struct zsv_dev_info **out);

/* The same for slice attributes (slice.c). */
int zsv_slice_info_parse(struct nlmsghdr *nlh, struct zsv_slice_info **out);

/* The same for tenant attributes (tenant.c). */
int zsv_tenant_info_parse(struct nlmsghdr *nlh, struct zsv_tenant_info **out);

/* Free what the monitor set up on @h (monitor.c). */
void zsv_monitor_close(struct zsv_handle *h);

#endif /* LIBZSV_NL_H */
