/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * zsv-fuzz: what its netlink parts share. netlink.c talks to the kernel,
 * nlgen.c builds requests, nlrules.c judges them, nlfuzz.c sends one.
 */
#ifndef ZSV_FUZZ_NLFUZZ_H
#define ZSV_FUZZ_NLFUZZ_H

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "fuzz.h"

/* --- netlink.c ---------------------------------------------------------------- */

/* What the kernel answered to one request. */
struct reply {
	int err;
	bool answered; /* an ack, error or done came */
	bool timed_out;
	bool dump_intr;
	char extack[256];
	int nobjs;
	int max_objs;
	struct obj *objs; /* NULL: count only */
	uint8_t cmd; /* of the last reply message */
	bool dev; /* the objects are pdevs */
	bool tenant; /* the objects are tenants (neither: slices) */
	int bad; /* malformed reply messages */
	char bad_why[160];
};

struct msgbuf {
	uint8_t b[65536] __attribute__((aligned(8)));
	size_t len;
};

static inline bool cmd_is_dev(uint8_t cmd)
{
	return cmd >= ZSV_CMD_DEV_GET && cmd <= ZSV_CMD_DEV_DEL;
}

static inline bool cmd_is_tenant(uint8_t cmd)
{
	return cmd >= ZSV_CMD_TENANT_NEW && cmd <= ZSV_CMD_TENANT_GET;
}

/* Room for @len bytes (zeroed, padded to 4) at the end of @m. */
void *msg_put(struct msgbuf *m, size_t len);
void msg_start(struct msgbuf *m, uint16_t type, uint16_t flags, uint32_t seq,
	       uint8_t cmd, uint8_t version);
void msg_attr(struct msgbuf *m, uint16_t type, const void *data, size_t len);
void msg_end(struct msgbuf *m);
int nl_send(struct nl *nl, const void *buf, size_t len);
/*
 * Read what the kernel answers to @seq into @r, and to @probe_seq into
 * @probe; stop at the answer of the last one asked for.
 */
int nl_recv(struct nl *nl, uint32_t seq, struct reply *r, uint32_t probe_seq,
	    struct reply *probe);
/* A message buffer for the fuzzer's own requests. */
struct msgbuf *nl_scratch(void);
/* Send @m on @nl and read the answer into @r: 0 or a negative errno. */
int nl_xfer(struct nl *nl, struct msgbuf *m, struct reply *r);

/* --- nlgen.c ------------------------------------------------------------------- */

/* A mostly valid request for @cmd, kept until serialize() writes it out. */
void gen_template(uint8_t cmd, bool dump);
/* One mutation of that request's attributes. */
void mutate_attrs(uint8_t cmd);
/* Append the request's attributes to @m. */
void serialize(struct msgbuf *m);

/* --- nlrules.c ------------------------------------------------------------------ */

enum pol { P_NONE, P_U32, P_U64, P_NULSTR, P_FLAG, P_U8 };

/* Request attribute types the judge tracks: every one a command takes. */
#define ZSV_FUZZ_ATTRS 40
_Static_assert(ZSV_A_SLICE_MAX < ZSV_FUZZ_ATTRS, "grow ZSV_FUZZ_ATTRS");

struct op_policy {
	int maxattr;
	uint8_t pol[ZSV_FUZZ_ATTRS];
	uint16_t strmax[ZSV_FUZZ_ATTRS];
	bool dump;
	bool admin;
};

/* Which request attributes each command takes (uapi/linux/zsv.h). */
extern const struct op_policy ops[ZSV_CMD_MAX + 1];

/* A request as the kernel sees it. */
struct req {
	uint32_t nlmsg_len;
	size_t sent;
	uint16_t nltype, nlflags;
	uint8_t cmd, version;
	uint16_t reserved;
	bool dump;
	bool clean; /* the attributes pass the op's policy */
	char why[96]; /* why not */
	const uint8_t *val[ZSV_FUZZ_ATTRS]; /* the last of each type */
	uint16_t len[ZSV_FUZZ_ATTRS];
};

enum expect { EXP_ANY, EXP_FAIL, EXP_OK };

struct verdict {
	enum expect exp;
	int err; /* the exact errno, when known; 0 otherwise */
	bool silent; /* no answer at all */
	char why[128];
	/* The objects the request names, as they were (copies: the cache moves). */
	const struct obj *dev;
	const struct obj *slice;
	const struct obj *tenant;
	struct obj dev_copy, slice_copy, tenant_copy;
};

void req_parse(struct req *q, const uint8_t *buf, size_t sent);
bool q_has(const struct req *q, int t);
uint32_t q_u32(const struct req *q, int t);
uint64_t q_u64(const struct req *q, int t);
const char *q_str(const struct req *q, int t);
/* What must happen to request @q, sent as who we are. */
void judge(const struct req *q, struct verdict *v);
enum expect fail_because(struct verdict *v, const char *why);
/* As root: redirect what would touch objects that are not the fuzzer's. */
void sanitize(uint8_t *buf, size_t sent);
/* After a read succeeded: it reported the model's objects. */
void check_read(const struct req *q, const struct verdict *v,
		const struct reply *r);
/* After a change succeeded (and the model was refreshed): it did what it said. */
void check_change(const struct req *q, const struct verdict *v,
		  const struct reply *r, const struct snapshot *before);

#endif /* ZSV_FUZZ_NLFUZZ_H */
