// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-stress, the data plane: contexts (open files of slice nodes), their
 * BOs, mappings, jobs, WAIT and poll(), and what each call may answer
 * while other threads resize, drain and force-delete the slices under it.
 *
 * A call that fails ENODEV found its slice destroyed; the context stays
 * open (later calls must keep failing ENODEV) until a close picks it.
 * Errors that only a destroyed slice explains (ENOENT for a handle this
 * context holds, a mapping that reads back wrong) are accepted only when
 * INFO then says ENODEV.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "stress.h"

static long page_size;

/* --- SIGBUS: only where another thread destroyed a shared BO ------------ */

static __thread sigjmp_buf touch_jmp;
static __thread volatile sig_atomic_t touching;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	if (touching)
		siglongjmp(touch_jmp, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* --- CRC-32 of zlib ------------------------------------------------------ */

static uint32_t crc_table[256];

static uint32_t crc32_buf(const uint8_t *p, size_t len)
{
	uint32_t c = ~0u;

	while (len--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return ~c;
}

void data_init(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus,
				.sa_flags = SA_SIGINFO | SA_NODEFER };

	page_size = sysconf(_SC_PAGESIZE);
	sigaction(SIGBUS, &sa, NULL);
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t le32(const volatile uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* --- contexts ------------------------------------------------------------ */

static struct ctx *pick_ctx(struct thr *t)
{
	return t->nctx ? &t->ctx[rnd(t) % t->nctx] : NULL;
}

static int do_info(struct thr *t, struct ctx *c, struct zsv_info *info)
{
	int err = ioctl(c->fd, ZSV_IOCTL_INFO, info) ? errno : 0;

	expect(t, K_INFO, err, ENODEV, 0);
	return err;
}

/* Whether @c's slice is destroyed: INFO fails ENODEV, for good. */
static bool ctx_dead(struct thr *t, struct ctx *c)
{
	struct zsv_info info;

	return do_info(t, c, &info) == ENODEV;
}

static void check_info(struct thr *t, struct ctx *c,
		       const struct zsv_info *info, const char *how)
{
	if (info->slice_id != c->slice_id || strcmp(info->name, c->slice))
		fail(t, "%s of a context of %s (id %u) names slice %s (id %u)",
		     how, c->slice, c->slice_id, info->name, info->slice_id);
	if (info->mem_used > info->mem_bytes)
		fail(t, "%s of %s: %llu bytes used of %llu", how, c->slice,
		     (unsigned long long)info->mem_used,
		     (unsigned long long)info->mem_bytes);
}

void op_open(struct thr *t)
{
	char path[sizeof("/dev/zsv/") + ZSV_NAME_MAX];
	struct zsv_info info;
	struct ctx *c;
	int fd, err;

	if (t->nctx == CTX_MAX) {
		op_close(t);
		return;
	}
	snprintf(path, sizeof(path), "/dev/zsv/" STRESS_PREFIX "%d",
		 pick_slot(t));
	fd = open(path, O_RDWR | O_CLOEXEC);
	err = fd < 0 ? errno : 0;
	/*
	 * ENOENT: no such node (no slice, or its node being remade by a
	 * slice-set of its mode); ENODEV: the slice went as it was opened.
	 */
	if (!expect(t, K_OPEN, err, ENOENT, ENODEV, 0) || err)
		return;
	c = &t->ctx[t->nctx++];
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	snprintf(c->slice, sizeof(c->slice), "%s", path + strlen("/dev/zsv/"));
	if (do_info(t, c, &info))
		return;
	c->slice_id = info.slice_id;
	check_info(t, c, &info, "INFO");
}

static void unmap_bo(struct thr *t, struct bo *b, bool may_orphan)
{
	if (!b->map)
		return;
	if (may_orphan && t->norphan < ORPHAN_MAX && rnd(t) % 4 == 0) {
		/* The mapping keeps the file, and so its BOs, until unmapped. */
		t->orphan[t->norphan++] = (struct orphan){ b->map, b->size };
	} else if (munmap(b->map, b->size)) {
		fail(t, "munmap of a BO: %s", errname(errno));
	}
	b->map = NULL;
}

static void close_ctx(struct thr *t, struct ctx *c)
{
	int err;

	for (int i = 0; i < c->nbo; i++)
		unmap_bo(t, &c->bo[i], true);
	if (c->status)
		munmap((void *)c->status, page_size);
	err = close(c->fd) ? errno : 0;
	expect(t, K_CLOSE, err, 0);
	*c = t->ctx[--t->nctx];
}

void op_close(struct thr *t)
{
	struct ctx *c = pick_ctx(t);

	if (t->norphan && (!c || rnd(t) % 2)) {
		struct orphan *o = &t->orphan[--t->norphan];

		munmap(o->addr, o->len);
	}
	if (c)
		close_ctx(t, c);
}

void close_all(struct thr *t)
{
	while (t->nctx)
		close_ctx(t, &t->ctx[0]);
	while (t->norphan) {
		struct orphan *o = &t->orphan[--t->norphan];

		munmap(o->addr, o->len);
	}
}

void op_info(struct thr *t)
{
	struct ctx *c = pick_ctx(t);
	struct zsv_info info;

	if (!c)
		return op_open(t);
	if (!do_info(t, c, &info))
		check_info(t, c, &info, "INFO");
	else if (rnd(t) % 2)
		close_ctx(t, c); /* revoked: let it go */
}

/* Map the status page if need be, then read it as a tenant would. */
void op_status(struct thr *t)
{
	struct ctx *c = pick_ctx(t);
	struct zsv_info info;
	uint32_t seq;
	void *p;
	int err, tries = 0;

	if (!c)
		return op_open(t);
	if (!c->status) {
		p = mmap(NULL, page_size, PROT_READ, MAP_SHARED, c->fd,
			 ZSV_STATUS_OFFSET);
		err = p == MAP_FAILED ? errno : 0;
		if (!expect(t, K_STATUS_MMAP, err, ENODEV, 0) || err)
			return;
		c->status = p;
	}
	do {
		seq = c->status->seq;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		memcpy(&info, (const void *)&c->status->info, sizeof(info));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while (((seq & 1) || seq != c->status->seq) && ++tries < 100000);
	if (tries == 100000) {
		fail(t, "status page of %s never settles (seq %u)", c->slice,
		     seq);
		return;
	}
	expect(t, K_STATUS_READ, 0, 0);
	if (!seq) {
		/* Destroyed: the page reads zeroes, and INFO agrees. */
		if (!ctx_dead(t, c))
			fail(t, "status page of live slice %s reads seq 0",
			     c->slice);
		return;
	}
	check_info(t, c, &info, "status page");
}

/* --- BOs ----------------------------------------------------------------- */

void op_bo_create(struct thr *t)
{
	struct ctx *c = pick_ctx(t);
	struct zsv_bo_create args = {};
	int err;

	if (!c)
		return op_open(t);
	if (c->nbo == BO_MAX)
		return op_bo_destroy(t);
	if (rnd(t) % 10)
		args.size = rnd_range(t, 1, 64) * page_size;
	else
		args.size = rnd_range(t, 1, 8) * MiB;
	if (rnd(t) % 4 == 0)
		args.size -= rnd(t) % page_size;
	err = ioctl(c->fd, ZSV_IOCTL_BO_CREATE, &args) ? errno : 0;
	/*
	 * EDQUOT: past the slice's partition; ENOMEM: a shared slice's
	 * pdev pool is used up; ENODEV: the slice is destroyed.
	 */
	if (!expect(t, K_BO_CREATE, err, EDQUOT, ENOMEM, ENODEV, 0) || err)
		return;
	if (!args.handle)
		fail(t, "BO_CREATE on %s gave handle 0", c->slice);
	for (int i = 0; i < c->nbo; i++)
		if (c->bo[i].handle == args.handle)
			fail(t, "BO_CREATE on %s gave handle %u twice",
			     c->slice, args.handle);
	c->bo[c->nbo++] = (struct bo){
		.handle = args.handle,
		.size = (args.size + page_size - 1) / page_size * page_size,
	};
}

void op_bo_destroy(struct thr *t)
{
	struct ctx *c = pick_ctx(t);
	struct zsv_bo_destroy args = {};
	struct bo *b;
	int err;

	if (!c || !c->nbo)
		return op_bo_create(t);
	b = &c->bo[rnd(t) % c->nbo];
	/* Our own mapping goes first: touching it afterwards is SIGBUS. */
	unmap_bo(t, b, false);
	args.handle = b->handle;
	err = ioctl(c->fd, ZSV_IOCTL_BO_DESTROY, &args) ? errno : 0;
	/* ENOENT: a forced deletion took the BO after the ENODEV check. */
	if (expect(t, K_BO_DESTROY, err, ENODEV, ENOENT, 0) && err == ENOENT &&
	    !ctx_dead(t, c))
		fail(t, "BO_DESTROY of held handle %u of live slice %s: ENOENT",
		     b->handle, c->slice);
	*b = c->bo[--c->nbo];
}

static struct bo *pick_bo(struct thr *t, struct ctx *c, bool mapped)
{
	int i0 = c->nbo ? rnd(t) % c->nbo : 0;

	for (int i = 0; i < c->nbo; i++) {
		struct bo *b = &c->bo[(i0 + i) % c->nbo];

		if (!!b->map == mapped)
			return b;
	}
	return NULL;
}

/*
 * Read the first word of up to 8 pages of a never-written BO: zeroes,
 * whoever used the memory before. Return: false on SIGBUS.
 */
static bool reads_zero(struct thr *t, struct ctx *c, struct bo *b)
{
	uint64_t pages = b->size / page_size;
	volatile uint8_t *p = b->map;
	bool ok = true;

	touching = 1;
	if (sigsetjmp(touch_jmp, 1)) {
		touching = 0;
		fail(t, "SIGBUS reading new BO %u of %s", b->handle, c->slice);
		return false;
	}
	for (int i = 0; i < 8 && ok; i++) {
		uint64_t off = (rnd(t) % pages) * page_size +
			       (rnd(t) % (page_size / 4)) * 4;

		ok = !le32(p + off);
	}
	touching = 0;
	if (!ok && !ctx_dead(t, c))
		fail(t, "new BO %u of live slice %s does not read zeroes",
		     b->handle, c->slice);
	return true;
}

void op_bo_mmap(struct thr *t)
{
	struct ctx *c = pick_ctx(t);
	struct zsv_bo_mmap_offset args = {};
	struct bo *b;
	void *p;
	int err;

	if (!c)
		return op_open(t);
	b = pick_bo(t, c, false);
	if (!b)
		return op_bo_create(t);
	args.handle = b->handle;
	err = ioctl(c->fd, ZSV_IOCTL_BO_MMAP_OFFSET, &args) ? errno : 0;
	if (!expect(t, K_BO_OFFSET, err, ENODEV, ENOENT, 0))
		return;
	if (err == ENOENT && !ctx_dead(t, c))
		fail(t,
		     "BO_MMAP_OFFSET of held handle %u of live slice %s: ENOENT",
		     b->handle, c->slice);
	if (err)
		return;
	if (!args.offset || args.offset % page_size)
		fail(t, "BO %u of %s has offset %#llx", b->handle, c->slice,
		     (unsigned long long)args.offset);
	p = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd,
		 args.offset);
	err = p == MAP_FAILED ? errno : 0;
	/* EINVAL: the offset names no BO any more (forced deletion). */
	if (!expect(t, K_BO_MMAP, err, ENODEV, EINVAL, 0))
		return;
	if (err == EINVAL && !ctx_dead(t, c))
		fail(t, "mmap of BO %u of live slice %s: EINVAL", b->handle,
		     c->slice);
	if (err)
		return;
	b->map = p;
	if (!b->written)
		reads_zero(t, c, b);
}

/* Write a word through a mapping and read it back. */
void op_touch(struct thr *t)
{
	struct ctx *c = pick_ctx(t);
	uint32_t v = rnd(t), got;
	volatile uint8_t *p;
	uint64_t off;
	struct bo *b;

	if (!c)
		return op_open(t);
	b = pick_bo(t, c, true);
	if (!b)
		return op_bo_mmap(t);
	off = (rnd(t) % (b->size / 4)) * 4;
	p = b->map + off;
	touching = 1;
	if (sigsetjmp(touch_jmp, 1)) {
		touching = 0;
		expect(t, K_TOUCH, EFAULT, 0);
		fail(t, "SIGBUS touching BO %u of %s at %#llx", b->handle,
		     c->slice, (unsigned long long)off);
		return;
	}
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
	got = le32(p);
	touching = 0;
	b->written = true;
	expect(t, K_TOUCH, 0, 0);
	/* Only our own jobs may write there too; none runs once retired. */
	if (got != v && c->completed == c->last_seq && !ctx_dead(t, c))
		fail(t, "BO %u of live slice %s read back %#x for %#x",
		     b->handle, c->slice, got, v);
}

/* --- jobs ---------------------------------------------------------------- */

/* A random valid command over @c's BOs (COMPUTE when it has none). */
static struct zsv_job_cmd random_cmd(struct thr *t, struct ctx *c)
{
	struct zsv_job_cmd cmd = { .op = ZSV_OP_COMPUTE };
	struct bo *d, *s;
	uint64_t len, half;

	cmd.arg = rnd_range(t, 10000, 2 * MS);
	if (!c->nbo || rnd(t) % 4 == 0)
		return cmd;
	d = &c->bo[rnd(t) % c->nbo];
	s = &c->bo[rnd(t) % c->nbo];
	half = d->size / 2;
	cmd.op = ZSV_OP_FILL + rnd(t) % 4;
	if (cmd.op == ZSV_OP_COMPUTE)
		cmd.op = ZSV_OP_CHECKSUM;
	cmd.arg = 0;
	cmd.dst = d->handle;
	d->written = true;
	switch (cmd.op) {
	case ZSV_OP_FILL:
		len = rnd_range(t, 1, (d->size < 65536 ? d->size : 65536) / 4) *
		      4;
		cmd.dst_offset = rnd_range(t, 0, (d->size - len) / 4) * 4;
		cmd.length = len;
		cmd.arg = (uint32_t)rnd(t);
		break;
	case ZSV_OP_COPY:
		cmd.src = s->handle;
		if (s == d) { /* halves: the ranges may not overlap */
			len = rnd_range(t, 1, half < 65536 ? half : 65536);
			cmd.src_offset = rnd_range(t, 0, half - len);
			cmd.dst_offset = rnd_range(t, half, d->size - len);
		} else {
			uint64_t max = d->size < s->size ? d->size : s->size;

			len = rnd_range(t, 1, max < 65536 ? max : 65536);
			cmd.src_offset = rnd_range(t, 0, s->size - len);
			cmd.dst_offset = rnd_range(t, 0, d->size - len);
		}
		cmd.length = len;
		break;
	default: /* CHECKSUM */
		cmd.src = s->handle;
		if (s == d) {
			len = rnd_range(t, 1, half < 65536 ? half : 65536);
			cmd.src_offset = rnd_range(t, 0, half - len);
			cmd.dst_offset =
				rnd_range(t, half / 4, d->size / 4 - 1) * 4;
		} else {
			len = rnd_range(t, 1,
					s->size < 65536 ? s->size : 65536);
			cmd.src_offset = rnd_range(t, 0, s->size - len);
			cmd.dst_offset = rnd_range(t, 0, d->size / 4 - 1) * 4;
		}
		cmd.length = len;
		break;
	}
	return cmd;
}

/* SUBMIT @n commands on @c: 0 with the seqno, or the errno. */
static int submit(struct thr *t, struct ctx *c, struct zsv_job_cmd *cmds,
		  uint32_t n, uint64_t *seq)
{
	struct zsv_submit args = {
		.cmds = (uintptr_t)cmds,
		.count = n,
		.cmd_size = sizeof(*cmds),
	};
	int err = ioctl(c->fd, ZSV_IOCTL_SUBMIT, &args) ? errno : 0;

	/*
	 * ENODEV: the slice is destroyed; EAGAIN: ZSV_JOBS_INFLIGHT_MAX
	 * jobs not retired; ENOENT: a forced deletion took a BO the job
	 * names after the ENODEV check.
	 */
	if (!expect(t, K_SUBMIT, err, ENODEV, EAGAIN, ENOENT, 0))
		return err;
	if (err == ENOENT && !ctx_dead(t, c))
		fail(t, "SUBMIT on live slice %s: ENOENT for held handles",
		     c->slice);
	if (err)
		return err;
	if (args.seqno != c->last_seq + 1)
		fail(t, "SUBMIT on %s gave seqno %llu after %llu", c->slice,
		     (unsigned long long)args.seqno,
		     (unsigned long long)c->last_seq);
	c->last_seq = args.seqno;
	*seq = args.seqno;
	return 0;
}

void op_submit(struct thr *t)
{
	struct ctx *c = pick_ctx(t);
	struct zsv_job_cmd cmds[4];
	uint32_t n = rnd_range(t, 1, 4);
	uint64_t seq;

	if (!c)
		return op_open(t);
	for (uint32_t i = 0; i < n; i++)
		cmds[i] = random_cmd(t, c);
	submit(t, c, cmds, n, &seq);
}

/* WAIT for @seq until @timeout_ns from now: 0, ETIME or ENODEV. */
static int wait_seq(struct thr *t, struct ctx *c, uint64_t seq,
		    int64_t timeout_ns, struct zsv_wait *w)
{
	int err;

	*w = (struct zsv_wait){ .seqno = seq,
				.timeout_ns = now_ns() + timeout_ns };
	err = ioctl(c->fd, ZSV_IOCTL_WAIT, w) ? errno : 0;
	if (!expect(t, K_WAIT, err, ETIME, ENODEV, 0) || err == ENODEV)
		return err;
	/* On ETIME, jobs may retire between the verdict and the copy. */
	if (w->completed_seqno > c->last_seq ||
	    (!err && w->completed_seqno < seq))
		fail(t, "WAIT %s for %llu of %s: completed %llu of %llu",
		     errname(err), (unsigned long long)seq, c->slice,
		     (unsigned long long)w->completed_seqno,
		     (unsigned long long)c->last_seq);
	/* A job fails for want of memory or a forced deletion, no more. */
	if (w->error && w->error != ENOMEM && w->error != ENODEV)
		fail(t, "WAIT on %s: job %llu failed %s", c->slice,
		     (unsigned long long)w->error_seqno, errname(w->error));
	if (w->error_seqno > c->last_seq || (!w->error) != (!w->error_seqno))
		fail(t, "WAIT on %s: error %d at seqno %llu", c->slice,
		     w->error, (unsigned long long)w->error_seqno);
	if (w->completed_seqno > c->completed)
		c->completed = w->completed_seqno;
	return err;
}

void op_wait(struct thr *t)
{
	struct ctx *c = pick_ctx(t);
	struct zsv_wait w;
	uint64_t seq;

	if (!c)
		return op_open(t);
	switch (rnd(t) % 4) {
	case 0:
		seq = 0; /* only asks */
		break;
	case 1:
		seq = c->last_seq;
		break;
	default:
		seq = c->completed < c->last_seq ?
			      rnd_range(t, c->completed + 1, c->last_seq) :
			      c->last_seq;
	}
	wait_seq(t, c, seq, rnd_range(t, 0, 5 * MS), &w);
}

void op_poll(struct thr *t)
{
	struct ctx *c = pick_ctx(t);
	struct pollfd pfd;
	int n;

	if (!c)
		return op_open(t);
	pfd = (struct pollfd){ .fd = c->fd, .events = POLLIN };
	n = poll(&pfd, 1, rnd(t) % 2);
	if (!expect(t, K_POLL, n < 0 ? errno : 0, 0) || n < 0)
		return;
	if (pfd.revents & ~(POLLIN | POLLRDNORM | POLLERR | POLLHUP))
		fail(t, "poll on %s: revents %#x", c->slice, pfd.revents);
	if ((pfd.revents & (POLLERR | POLLHUP)) && !ctx_dead(t, c))
		fail(t, "poll on live slice %s: revents %#x", c->slice,
		     pfd.revents);
}

/*
 * FILL a mapped BO with a pattern and CHECKSUM it in one job, once every
 * earlier job of the context has retired; when the job succeeds, the
 * mapping must show exactly the pattern and its CRC.
 */
void op_verify(struct thr *t)
{
	struct ctx *c = pick_ctx(t);
	struct zsv_job_cmd cmds[2];
	uint32_t pattern = rnd(t);
	volatile uint8_t *p;
	struct zsv_wait w;
	uint64_t len, seq;
	struct bo *b;
	bool ok = true;

	if (!c)
		return op_open(t);
	b = pick_bo(t, c, true);
	if (!b)
		return op_bo_mmap(t);
	if (c->last_seq && wait_seq(t, c, c->last_seq, SEC, &w))
		return;
	len = b->size - 4 < 65536 ? b->size - 4 : 65536;
	cmds[0] = (struct zsv_job_cmd){ .op = ZSV_OP_FILL,
					.dst = b->handle,
					.length = len,
					.arg = pattern };
	cmds[1] = (struct zsv_job_cmd){ .op = ZSV_OP_CHECKSUM,
					.dst = b->handle,
					.src = b->handle,
					.dst_offset = len,
					.length = len };
	b->written = true;
	if (submit(t, c, cmds, 2, &seq))
		return;
	if (wait_seq(t, c, seq, 3 * SEC, &w) || w.error_seqno == seq)
		return;
	p = b->map;
	touching = 1;
	if (sigsetjmp(touch_jmp, 1)) {
		touching = 0;
		expect(t, K_VERIFY, EFAULT, 0);
		fail(t, "SIGBUS verifying BO %u of %s", b->handle, c->slice);
		return;
	}
	for (uint64_t off = 0; off < len && ok; off += 4)
		ok = le32(p + off) == pattern;
	if (ok) {
		uint8_t *buf = malloc(len);

		for (uint64_t off = 0; off < len; off++)
			buf[off] = pattern >> (off % 4 * 8);
		ok = le32(p + len) == crc32_buf(buf, len);
		free(buf);
	}
	touching = 0;
	expect(t, K_VERIFY, 0, 0);
	if (!ok && !ctx_dead(t, c))
		fail(t,
		     "BO %u of live slice %s does not hold what its job wrote",
		     b->handle, c->slice);
}

/* --- contexts shared by every thread -------------------------------------- */

/*
 * Two contexts that all threads use at once, so that calls race inside
 * one context too: a BO destroyed while another thread's job names it, a
 * mapping faulting while the BO is revoked, WAIT and SUBMIT together.
 * Here another thread's BO_DESTROY explains ENOENT (handle gone), EINVAL
 * from mmap (handle gone or reused by a smaller BO) and SIGBUS on a
 * mapping (BO destroyed under it), so those are expected; nothing else
 * new is. The rwlock keeps the fd open while a call uses it.
 */
#define SHARED_CTX 2
#define SHARED_BOS 8

struct shared_ctx {
	pthread_rwlock_t lock;
	int fd; /* -1: closed; the lock's writer */
	uint64_t bo[SHARED_BOS]; /* handle << 32 | pages, or 0 */
	uint64_t last_seq; /* the most any SUBMIT returned */
};

static struct shared_ctx shared[SHARED_CTX] = {
	{ PTHREAD_RWLOCK_INITIALIZER, -1, {}, 0 },
	{ PTHREAD_RWLOCK_INITIALIZER, -1, {}, 0 },
};

static void shared_open_or_close(struct thr *t, struct shared_ctx *sc)
{
	char path[sizeof("/dev/zsv/") + ZSV_NAME_MAX];
	int err;

	pthread_rwlock_wrlock(&sc->lock);
	if (sc->fd >= 0) {
		err = close(sc->fd) ? errno : 0;
		expect(t, K_CLOSE, err, 0);
		sc->fd = -1;
		memset(sc->bo, 0, sizeof(sc->bo));
		sc->last_seq = 0;
	} else {
		snprintf(path, sizeof(path), "/dev/zsv/" STRESS_PREFIX "%d",
			 pick_slot(t));
		sc->fd = open(path, O_RDWR | O_CLOEXEC);
		expect(t, K_OPEN, sc->fd < 0 ? errno : 0, ENOENT, ENODEV, 0);
	}
	pthread_rwlock_unlock(&sc->lock);
}

/* A BO some thread made in @sc (it may be gone by now), or 0. */
static uint64_t shared_bo(struct thr *t, struct shared_ctx *sc)
{
	int i0 = rnd(t) % SHARED_BOS;

	for (int i = 0; i < SHARED_BOS; i++) {
		uint64_t v = __atomic_load_n(&sc->bo[(i0 + i) % SHARED_BOS],
					     __ATOMIC_RELAXED);

		if (v)
			return v;
	}
	return 0;
}

static void shared_forget(struct shared_ctx *sc, uint64_t v)
{
	for (int i = 0; i < SHARED_BOS; i++) {
		uint64_t old = v;

		__atomic_compare_exchange_n(&sc->bo[i], &old, 0, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	}
}

static void shared_bo_create(struct thr *t, struct shared_ctx *sc)
{
	struct zsv_bo_create args = { .size = rnd_range(t, 1, 16) * page_size };
	struct zsv_bo_destroy d = {};
	uint64_t v;
	int err;

	err = ioctl(sc->fd, ZSV_IOCTL_BO_CREATE, &args) ? errno : 0;
	if (!expect(t, K_BO_CREATE, err, EDQUOT, ENOMEM, ENODEV, 0) || err)
		return;
	v = (uint64_t)args.handle << 32 | args.size / page_size;
	for (int i = 0; i < SHARED_BOS; i++) {
		uint64_t old = 0;

		if (__atomic_compare_exchange_n(&sc->bo[i], &old, v, false,
						__ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return;
	}
	/* No room to remember it: destroy it again. */
	d.handle = args.handle;
	err = ioctl(sc->fd, ZSV_IOCTL_BO_DESTROY, &d) ? errno : 0;
	expect(t, K_BO_DESTROY, err, ENODEV, ENOENT, 0);
}

static void shared_bo_destroy(struct thr *t, struct shared_ctx *sc)
{
	uint64_t v = shared_bo(t, sc);
	struct zsv_bo_destroy d = { .handle = v >> 32 };
	int err;

	if (!v)
		return shared_bo_create(t, sc);
	err = ioctl(sc->fd, ZSV_IOCTL_BO_DESTROY, &d) ? errno : 0;
	/* ENOENT: another thread destroyed it first. */
	expect(t, K_BO_DESTROY, err, ENODEV, ENOENT, 0);
	shared_forget(sc, v);
}

/* Map a shared BO, touch its pages, unmap it: SIGBUS if it went. */
static void shared_bo_touch(struct thr *t, struct shared_ctx *sc)
{
	uint64_t v = shared_bo(t, sc), len = (v & 0xffffffff) * page_size;
	struct zsv_bo_mmap_offset o = { .handle = v >> 32 };
	volatile uint8_t *p;
	int err;

	if (!v)
		return shared_bo_create(t, sc);
	err = ioctl(sc->fd, ZSV_IOCTL_BO_MMAP_OFFSET, &o) ? errno : 0;
	if (!expect(t, K_BO_OFFSET, err, ENODEV, ENOENT, 0) || err)
		return;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, sc->fd,
		 o.offset);
	err = p == MAP_FAILED ? errno : 0;
	if (!expect(t, K_BO_MMAP, err, ENODEV, EINVAL, 0) || err)
		return;
	touching = 1;
	if (sigsetjmp(touch_jmp, 1)) {
		touching = 0;
		expect(t, K_TOUCH, EFAULT, EFAULT, 0); /* SIGBUS: destroyed */
	} else {
		for (uint64_t off = 0; off < len; off += page_size)
			p[off] = p[off] + 1;
		touching = 0;
		expect(t, K_TOUCH, 0, 0);
	}
	munmap((void *)p, len);
}

static void shared_submit(struct thr *t, struct shared_ctx *sc)
{
	uint64_t a = shared_bo(t, sc), b = shared_bo(t, sc), seq, last;
	struct zsv_job_cmd cmds[2] = {
		{ .op = ZSV_OP_COMPUTE, .arg = rnd_range(t, 10000, MS) },
	};
	struct zsv_submit args = { .cmds = (uintptr_t)cmds,
				   .count = 1,
				   .cmd_size = sizeof(cmds[0]) };
	int err;

	if (a && b) {
		/* Both at least a page; the ranges fit whatever is reused. */
		cmds[1] = (struct zsv_job_cmd){ .op = ZSV_OP_COPY,
						.dst = a >> 32,
						.src = b >> 32,
						.length = 64 };
		if (a >> 32 == b >> 32) /* one BO: two ranges */
			cmds[1].dst_offset = 64;
		args.count = 2;
	}
	err = ioctl(sc->fd, ZSV_IOCTL_SUBMIT, &args) ? errno : 0;
	/* ENOENT: a BO it names was destroyed by another thread. */
	if (!expect(t, K_SUBMIT, err, ENODEV, EAGAIN, ENOENT, 0) || err)
		return;
	seq = args.seqno;
	last = __atomic_load_n(&sc->last_seq, __ATOMIC_RELAXED);
	while (seq > last &&
	       !__atomic_compare_exchange_n(&sc->last_seq, &last, seq, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

static void shared_wait(struct thr *t, struct shared_ctx *sc)
{
	uint64_t last = __atomic_load_n(&sc->last_seq, __ATOMIC_RELAXED);
	struct zsv_wait w = { .seqno = last ? rnd_range(t, 1, last) : 0,
			      .timeout_ns =
				      now_ns() + rnd_range(t, 0, 3 * MS) };
	int err = ioctl(sc->fd, ZSV_IOCTL_WAIT, &w) ? errno : 0;

	if (!expect(t, K_WAIT, err, ETIME, ENODEV, 0) || err == ENODEV)
		return;
	/* Jobs fail for want of memory, a forced deletion, or none. */
	if (w.error && w.error != ENOMEM && w.error != ENODEV)
		fail(t, "WAIT on a shared context: job %llu failed %s",
		     (unsigned long long)w.error_seqno, errname(w.error));
	if (!err && w.completed_seqno < w.seqno)
		fail(t, "WAIT on a shared context returned %llu before %llu",
		     (unsigned long long)w.completed_seqno,
		     (unsigned long long)w.seqno);
}

void op_shared(struct thr *t)
{
	struct shared_ctx *sc = &shared[rnd(t) % SHARED_CTX];
	int what = rnd(t) % 32;

	if (what == 0)
		return shared_open_or_close(t, sc);
	pthread_rwlock_rdlock(&sc->lock);
	if (sc->fd < 0) {
		pthread_rwlock_unlock(&sc->lock);
		return shared_open_or_close(t, sc);
	}
	if (what < 8)
		shared_bo_create(t, sc);
	else if (what < 13)
		shared_bo_destroy(t, sc);
	else if (what < 20)
		shared_bo_touch(t, sc);
	else if (what < 27)
		shared_submit(t, sc);
	else
		shared_wait(t, sc);
	pthread_rwlock_unlock(&sc->lock);
}

void shared_close_all(struct thr *t)
{
	for (int i = 0; i < SHARED_CTX; i++)
		if (shared[i].fd >= 0)
			shared_open_or_close(t, &shared[i]);
}
