/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers that several selftests share, on top of nl_helpers.h: the unit
 * macros and a monotonic clock; netlink calls that drop their replies
 * (set a slice or pdev attribute, delete a slice, read a pdev attribute;
 * make, change, read and delete tenants);
 * putting the simulator back as loaded (no "t-*" slices, default pdev
 * settings); making a slice and opening its node; reading the status page
 * consistently; the data-plane ioctls (BO create, destroy, mmap offset and
 * map, SUBMIT and WAIT) returning 0 or an errno, with builders for job
 * commands; and checks of memory (every byte equal, zlib's CRC-32).
 *
 * Everything is static inline: a test uses what it needs and the rest
 * costs nothing.
 */
#ifndef ZSV_SELFTEST_ZSV_HELPERS_H
#define ZSV_SELFTEST_ZSV_HELPERS_H

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#include <linux/zsv.h>

#include "nl_helpers.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)
#define MS 1000000ULL
#define SEC 1000000000ULL

static inline int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * (int64_t)SEC + ts.tv_nsec;
}

/* --- netlink -------------------------------------------------------------- */

/* Send @msg, drop the replies: 0 or a negative errno. */
static inline int xfer(struct zsv_nl *nl, struct nl_msg *msg, int maxattr)
{
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));
	int err = zsv_nl_xfer(nl, msg, r, maxattr);

	zsv_nl_reply_free(r);
	free(r);
	return err;
}

/* How many pdevs a dev-get dump lists. */
static inline int dev_count(struct zsv_nl *nl)
{
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));
	int n;

	zsv_nl_xfer(nl, zsv_nl_msg(nl, ZSV_CMD_DEV_GET, NLM_F_DUMP), r,
		    ZSV_A_DEV_MAX);
	n = r->count;
	zsv_nl_reply_free(r);
	free(r);
	return n;
}

/* A u32 or u64 attribute, or ~0 when it is missing. */
static inline uint64_t attr_uint(struct nlattr *a)
{
	if (!a)
		return ~0ULL;
	return nla_len(a) == 8 ? nla_get_u64(a) : nla_get_u32(a);
}

/* A u32 or u64 attribute of pdev DEV, or ~0 when it or the pdev is gone. */
static inline uint64_t dev_stat(struct zsv_nl *nl, const char *dev, int type)
{
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));
	struct nl_msg *msg = zsv_nl_msg(nl, ZSV_CMD_DEV_GET, 0);
	uint64_t v;

	nla_put_string(msg, ZSV_A_DEV_NAME, dev);
	zsv_nl_xfer(nl, msg, r, ZSV_A_DEV_MAX);
	v = r->count ? attr_uint(r->attrs[0][type]) : ~0ULL;
	zsv_nl_reply_free(r);
	free(r);
	return v;
}

static inline int dev_set_u32(struct zsv_nl *nl, const char *dev, int type,
			      uint32_t v)
{
	struct nl_msg *msg = zsv_nl_msg(nl, ZSV_CMD_DEV_SET, 0);

	nla_put_string(msg, ZSV_A_DEV_NAME, dev);
	nla_put_u32(msg, type, v);
	return xfer(nl, msg, ZSV_A_DEV_MAX);
}

static inline int slice_set_u32(struct zsv_nl *nl, const char *name, int type,
				uint32_t v)
{
	struct nl_msg *msg = zsv_nl_msg(nl, ZSV_CMD_SLICE_SET, 0);

	nla_put_string(msg, ZSV_A_SLICE_NAME, name);
	nla_put_u32(msg, type, v);
	return xfer(nl, msg, ZSV_A_SLICE_MAX);
}

static inline int slice_del(struct zsv_nl *nl, const char *name, bool force)
{
	struct nl_msg *msg = zsv_nl_msg(nl, ZSV_CMD_SLICE_DEL, 0);

	nla_put_string(msg, ZSV_A_SLICE_NAME, name);
	if (force)
		nla_put_flag(msg, ZSV_A_SLICE_FORCE);
	return xfer(nl, msg, ZSV_A_SLICE_MAX);
}

/* Force-delete every "t-*" slice. */
static inline void delete_test_slices(struct zsv_nl *nl)
{
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));
	struct nl_msg *msg = zsv_nl_msg(nl, ZSV_CMD_SLICE_GET, NLM_F_DUMP);

	zsv_nl_xfer(nl, msg, r, ZSV_A_SLICE_MAX);
	for (int i = 0; i < r->count; i++) {
		const char *name =
			nla_get_string(r->attrs[i][ZSV_A_SLICE_NAME]);

		if (!strncmp(name, "t-", 2))
			slice_del(nl, name, true);
	}
	zsv_nl_reply_free(r);
	free(r);
}

/* Put the policy, timeslice, period and oversubscription of both pdevs back. */
static inline void reset_devs(struct zsv_nl *nl)
{
	static const char *const devs[] = { "zsv0", "zsv1" };
	struct nl_msg *msg;

	for (int i = 0; i < 2; i++) {
		msg = zsv_nl_msg(nl, ZSV_CMD_DEV_SET, 0);
		nla_put_string(msg, ZSV_A_DEV_NAME, devs[i]);
		nla_put_u32(msg, ZSV_A_DEV_POLICY, ZSV_POLICY_WEIGHTED);
		nla_put_u64(msg, ZSV_A_DEV_TIMESLICE_NS, 2 * MS);
		nla_put_u64(msg, ZSV_A_DEV_PERIOD_NS, 100 * MS);
		nla_put_u32(msg, ZSV_A_DEV_OVERSUB_PCT, 100);
		xfer(nl, msg, ZSV_A_DEV_MAX);
	}
}

/* Delete every "t-*" slice by force and put both pdevs back as loaded. */
static inline void cleanup_all(struct zsv_nl *nl)
{
	delete_test_slices(nl);
	reset_devs(nl);
}

/* --- tenants -------------------------------------------------------------- */

/* Start a tenant request of CMD naming NAME; add more, then xfer. */
static inline struct nl_msg *tenant_msg(struct zsv_nl *nl, uint8_t cmd,
					const char *name)
{
	struct nl_msg *msg = zsv_nl_msg(nl, cmd, 0);

	if (name)
		nla_put_string(msg, ZSV_A_TENANT_NAME, name);
	return msg;
}

/* Make tenant NAME with its three limits (ZSV_LIMIT_NONE: none). */
static inline int tenant_new(struct zsv_nl *nl, const char *name,
			     uint64_t mem_max, uint64_t slices_max,
			     uint64_t compute_max)
{
	struct nl_msg *msg = tenant_msg(nl, ZSV_CMD_TENANT_NEW, name);

	nla_put_u64(msg, ZSV_A_TENANT_MEM_MAX, mem_max);
	nla_put_u64(msg, ZSV_A_TENANT_SLICES_MAX, slices_max);
	nla_put_u64(msg, ZSV_A_TENANT_COMPUTE_MAX, compute_max);
	return xfer(nl, msg, ZSV_A_TENANT_MAX);
}

/* Set one u64 attribute (a limit) of tenant NAME. */
static inline int tenant_set_u64(struct zsv_nl *nl, const char *name, int type,
				 uint64_t v)
{
	struct nl_msg *msg = tenant_msg(nl, ZSV_CMD_TENANT_SET, name);

	nla_put_u64(msg, type, v);
	return xfer(nl, msg, ZSV_A_TENANT_MAX);
}

static inline int tenant_del(struct zsv_nl *nl, const char *name)
{
	return xfer(nl, tenant_msg(nl, ZSV_CMD_TENANT_DEL, name),
		    ZSV_A_TENANT_MAX);
}

/* A u32 or u64 attribute of tenant NAME, or ~0 when it or the tenant is gone. */
static inline uint64_t tenant_stat(struct zsv_nl *nl, const char *name,
				   int type)
{
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));
	uint64_t v;

	zsv_nl_xfer(nl, tenant_msg(nl, ZSV_CMD_TENANT_GET, name), r,
		    ZSV_A_TENANT_MAX);
	v = r->count ? attr_uint(r->attrs[0][type]) : ~0ULL;
	zsv_nl_reply_free(r);
	free(r);
	return v;
}

/*
 * Delete every "t-*" tenant (their slices first: delete_test_slices()).
 * A reply holds at most ZSV_NL_MAX_REPLIES tenants: dump again until a
 * dump has none left to delete.
 */
static inline void delete_test_tenants(struct zsv_nl *nl)
{
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));
	int deleted;

	do {
		struct nl_msg *msg = zsv_nl_msg(nl, ZSV_CMD_TENANT_GET,
						NLM_F_DUMP);

		deleted = 0;
		zsv_nl_xfer(nl, msg, r, ZSV_A_TENANT_MAX);
		for (int i = 0; i < r->count; i++) {
			const char *name =
				nla_get_string(r->attrs[i][ZSV_A_TENANT_NAME]);

			if (!strncmp(name, "t-", 2) && !tenant_del(nl, name))
				deleted++;
		}
		zsv_nl_reply_free(r);
	} while (deleted);
	free(r);
}

/* --- slice nodes ---------------------------------------------------------- */

/* Open a context of slice NAME: the fd, or -1 with errno set. */
static inline int slice_open(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/dev/zsv/%s", name);
	return open(path, O_RDWR);
}

/*
 * Send @msg, a slice-new for NAME (consumed), and open a context of the
 * new slice: the fd, or a negative errno of the request.
 */
static inline int slice_new_open(struct zsv_nl *nl, struct nl_msg *msg,
				 const char *name)
{
	int err = xfer(nl, msg, ZSV_A_SLICE_MAX);

	if (err)
		return err;
	return slice_open(name);
}

/* Copy the status page at ST to OUT, retrying while it changes. */
static inline void read_status(const volatile struct zsv_status *st,
			       struct zsv_status *out)
{
	uint32_t seq;

	do {
		seq = st->seq;
		__sync_synchronize();
		memcpy(out, (const void *)st, sizeof(*out));
		__sync_synchronize();
	} while ((seq & 1) || seq != st->seq);
}

/* --- the data plane: ioctls returning 0 or an errno ----------------------- */

static inline int bo_create(int fd, uint64_t size, uint32_t *handle)
{
	struct zsv_bo_create c = { .size = size };
	int err = ioctl(fd, ZSV_IOCTL_BO_CREATE, &c) ? errno : 0;

	if (handle)
		*handle = c.handle;
	return err;
}

static inline int bo_destroy(int fd, uint32_t handle)
{
	struct zsv_bo_destroy d = { .handle = handle };

	return ioctl(fd, ZSV_IOCTL_BO_DESTROY, &d) ? errno : 0;
}

static inline int bo_offset(int fd, uint32_t handle, uint64_t *offset)
{
	struct zsv_bo_mmap_offset o = { .handle = handle };
	int err = ioctl(fd, ZSV_IOCTL_BO_MMAP_OFFSET, &o) ? errno : 0;

	*offset = o.offset;
	return err;
}

/* Map LEN bytes of BO HANDLE from byte OFF, read and write. */
static inline void *bo_map(int fd, uint32_t handle, size_t off, size_t len)
{
	uint64_t offset;

	if (bo_offset(fd, handle, &offset))
		return MAP_FAILED;
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		    offset + off);
}

static inline int submit_raw(int fd, struct zsv_submit *s)
{
	return ioctl(fd, ZSV_IOCTL_SUBMIT, s) ? errno : 0;
}

static inline int submit(int fd, const struct zsv_job_cmd *cmds, uint32_t n,
			 uint64_t *seqno)
{
	struct zsv_submit s = {
		.cmds = (uintptr_t)cmds,
		.count = n,
		.cmd_size = sizeof(*cmds),
	};
	int err = submit_raw(fd, &s);

	if (seqno)
		*seqno = s.seqno;
	return err;
}

/* Wait for SEQNO until the absolute CLOCK_MONOTONIC time DEADLINE. */
static inline int wait_seq(int fd, uint64_t seqno, int64_t deadline,
			   struct zsv_wait *out)
{
	struct zsv_wait w = { .seqno = seqno, .timeout_ns = deadline };
	int err = ioctl(fd, ZSV_IOCTL_WAIT, &w) ? errno : 0;

	if (out)
		*out = w;
	return err;
}

/*
 * Submit one command and wait for it, for up to TIMEOUT_NS from when it
 * was queued: 0, or the errno of the call or of the job.
 */
static inline int run1_within(int fd, struct zsv_job_cmd c, int64_t timeout_ns)
{
	struct zsv_wait w;
	uint64_t seq;
	int err = submit(fd, &c, 1, &seq);

	if (!err)
		err = wait_seq(fd, seq, now_ns() + timeout_ns, &w);
	return err ? err : w.error;
}

static inline struct zsv_job_cmd cmd_fill(uint32_t dst, uint64_t off,
					  uint64_t len, uint64_t pattern)
{
	return (struct zsv_job_cmd){ .op = ZSV_OP_FILL, .dst = dst,
				     .dst_offset = off, .length = len,
				     .arg = pattern };
}

static inline struct zsv_job_cmd cmd_copy(uint32_t dst, uint64_t doff,
					  uint32_t src, uint64_t soff,
					  uint64_t len)
{
	return (struct zsv_job_cmd){ .op = ZSV_OP_COPY, .dst = dst,
				     .src = src, .dst_offset = doff,
				     .src_offset = soff, .length = len };
}

static inline struct zsv_job_cmd cmd_compute(uint64_t ns)
{
	return (struct zsv_job_cmd){ .op = ZSV_OP_COMPUTE, .arg = ns };
}

static inline struct zsv_job_cmd cmd_checksum(uint32_t dst, uint64_t doff,
					      uint32_t src, uint64_t soff,
					      uint64_t len)
{
	return (struct zsv_job_cmd){ .op = ZSV_OP_CHECKSUM, .dst = dst,
				     .src = src, .dst_offset = doff,
				     .src_offset = soff, .length = len };
}

/* --- memory --------------------------------------------------------------- */

/* Whether all LEN bytes at P are V; read as volatile (P may be revoked). */
static inline bool all_bytes(const volatile void *p, size_t len, uint8_t v)
{
	const volatile uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i] != v)
			return false;
	return true;
}

/* CRC-32 of zlib: reflected 0x04C11DB7, init and final ~0. */
static uint32_t crc_table[256];

/* Fill the table; crc32_buf() does it on first use if nothing did before. */
static inline void crc32_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static inline uint32_t crc32_buf(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t c = ~0u;

	if (!crc_table[1])
		crc32_init();
	while (len--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return ~c;
}

#endif /* ZSV_SELFTEST_ZSV_HELPERS_H */
