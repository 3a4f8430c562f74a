// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-fuzz's jobs: SUBMIT of jobs that are valid but for (at most) one
 * field of one command or of the call, judged against a model of each
 * command's rules (uapi/linux/zsv.h) and of the context's BOs; WAIT with
 * random sequence numbers, deadlines at most a few ms ahead and, now and
 * then, a signal; poll().
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>

#include "iofuzz.h"

/* Job commands, up to 65 of up to ZSV_JOB_CMD_SIZE_MAX + 1 bytes each. */
static uint8_t cmdbuf[65 * (ZSV_JOB_CMD_SIZE_MAX + 8)] __attribute__((aligned(64)));

static void on_alarm(int sig)
{
	(void)sig;
}

/* A valid command over the context's small BOs (a COMPUTE when it has none). */
static void gen_job_cmd(struct ctx *c, struct zsv_job_cmd *j)
{
	struct bo *small[MAX_BOS];
	int n = 0;
	struct bo *d, *s;

	memset(j, 0, sizeof(*j));
	for (int i = 0; i < c->nbos; i++)
		if (c->bos[i].size <= SMALL_BO)
			small[n++] = &c->bos[i];
	j->op = n ? PICK(ZSV_OP_FILL, ZSV_OP_COPY, ZSV_OP_COMPUTE,
			 ZSV_OP_CHECKSUM) :
		    ZSV_OP_COMPUTE;
	d = n ? small[rnd_below((uint64_t)n)] : NULL;
	s = n ? small[rnd_below((uint64_t)n)] : NULL;
	switch (j->op) {
	case ZSV_OP_FILL:
		j->dst = d->handle;
		j->dst_offset = 4 * rnd_below(d->size / 4);
		j->length = 4 * (1 + rnd_below((d->size - j->dst_offset) / 4));
		j->arg = (uint32_t)rnd();
		break;
	case ZSV_OP_COPY:
		j->dst = d->handle;
		j->src = s->handle;
		if (d == s) {
			/* two halves of one BO */
			j->length = 1 + rnd_below(d->size / 2);
			j->src_offset = rnd_below(d->size / 2 - j->length + 1);
			j->dst_offset = d->size / 2 +
					rnd_below(d->size / 2 - j->length + 1);
		} else {
			uint64_t max = d->size < s->size ? d->size : s->size;

			j->length = 1 + rnd_below(max);
			j->src_offset = rnd_below(s->size - j->length + 1);
			j->dst_offset = rnd_below(d->size - j->length + 1);
		}
		break;
	case ZSV_OP_CHECKSUM:
		j->dst = d->handle;
		j->src = s->handle;
		if (d == s) {
			j->dst_offset = 0;
			j->src_offset = 4 + rnd_below(d->size - 4);
			j->length = 1 + rnd_below(d->size - j->src_offset);
		} else {
			j->dst_offset = 4 * rnd_below(d->size / 4);
			j->src_offset = rnd_below(s->size);
			j->length = 1 + rnd_below(s->size - j->src_offset);
		}
		break;
	default:
		j->arg = 1 + rnd_below(200000);
		break;
	}
}

static uint64_t u64_edge(uint64_t near)
{
	return PICK(0ull, 1ull, 2ull, 3ull, 4ull, near - 1, near, near + 1,
		    near + 4, UINT32_MAX, (uint64_t)UINT32_MAX + 1, UINT64_MAX,
		    UINT64_MAX - 3, ZSV_COMPUTE_NS_MAX, ZSV_COMPUTE_NS_MAX + 1,
		    rnd());
}

/* One field of a command, changed. */
static void perturb_cmd(struct ctx *c, struct zsv_job_cmd *j)
{
	struct bo *b = find_bo(c, j->dst);
	uint64_t size = b ? b->size : 4096;

	switch (rnd_below(8)) {
	case 0:
		j->op = (uint32_t)PICK(0ull, 5ull, 0x80000000ull, UINT32_MAX,
				       (uint64_t)(1 + rnd_below(4)));
		break;
	case 1:
		j->flags = (uint32_t)PICK(1ull, 2ull, 0x80000000ull, rnd());
		break;
	case 2:
		j->dst = pick_handle(c, true);
		break;
	case 3:
		j->src = pick_handle(c, true);
		break;
	case 4:
		j->dst_offset = u64_edge(size);
		break;
	case 5:
		j->src_offset = u64_edge(size);
		break;
	case 6:
		j->length = u64_edge(size);
		/* Only small BOs are ever named, so a long one fails its range check. */
		break;
	default:
		j->arg = u64_edge(ZSV_COMPUTE_NS_MAX);
		/* A COMPUTE of seconds is valid; keep them rare. */
		if (j->op == ZSV_OP_COMPUTE && j->arg > 50000000 &&
		    j->arg <= ZSV_COMPUTE_NS_MAX && chance(80))
			j->arg = 1 + rnd_below(50000000);
		break;
	}
}

static bool range_ok(const struct bo *b, uint64_t off, uint64_t len)
{
	return off <= b->size && len <= b->size - off;
}

static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/*
 * What the uapi says of one command: EINVAL for a field it breaks, ENOENT
 * for a handle the context does not hold (either, when it does both), 0.
 */
static void judge_cmd(struct ctx *c, const struct zsv_job_cmd *j, bool *inval,
		      bool *noent)
{
	bool dst = true, src = true;
	struct bo *d, *s;

	*inval = *noent = false;
	if (j->flags)
		*inval = true;
	switch (j->op) {
	case ZSV_OP_FILL:
		src = false;
		if (j->src || j->src_offset || !j->length ||
		    j->arg > UINT32_MAX || (j->dst_offset | j->length) & 3)
			*inval = true;
		break;
	case ZSV_OP_COPY:
		if (!j->length || j->arg)
			*inval = true;
		break;
	case ZSV_OP_COMPUTE:
		dst = src = false;
		if (j->dst || j->src || j->dst_offset || j->src_offset ||
		    j->length || !j->arg || j->arg > ZSV_COMPUTE_NS_MAX)
			*inval = true;
		break;
	case ZSV_OP_CHECKSUM:
		if (!j->length || j->arg || j->dst_offset & 3)
			*inval = true;
		break;
	default:
		*inval = true;
		return;
	}
	d = dst ? find_bo(c, j->dst) : NULL;
	s = src ? find_bo(c, j->src) : NULL;
	if ((dst && !d) || (src && !s)) {
		*noent = true;
		return;
	}
	if (*inval)
		return;
	switch (j->op) {
	case ZSV_OP_FILL:
		*inval = !range_ok(d, j->dst_offset, j->length);
		break;
	case ZSV_OP_COPY:
		*inval = !range_ok(d, j->dst_offset, j->length) ||
			 !range_ok(s, j->src_offset, j->length) ||
			 (d == s && overlap(j->dst_offset, j->length,
					    j->src_offset, j->length));
		break;
	case ZSV_OP_CHECKSUM:
		*inval = !range_ok(s, j->src_offset, j->length) ||
			 !range_ok(d, j->dst_offset, 4) ||
			 (d == s &&
			  overlap(j->dst_offset, 4, j->src_offset, j->length));
		break;
	}
}

void op_submit(struct ctx *c)
{
	unsigned int size = pick_size(sizeof(struct zsv_submit));
	unsigned int dir = pick_dir(_IOC_READ | _IOC_WRITE);
	enum ptr where = pick_ptr(size);
	unsigned long cmd = _IOC(dir, ZSV_IOCTL_BASE, 0x44, size);
	struct zsv_submit a = {};
	struct zsv_job_cmd j;
	struct want w = {};
	uint32_t count;
	size_t stride;
	int bad_at = -1, cmds_ptr = 0, perturbed = -1;
	bool tail, cmd_tail = false, inval = false, noent = false;
	int got;

	if (c->last_seqno - c->completed >= OUTSTANDING_MAX && !c->dead)
		op_wait_some(c);
	run.count[CAT_SUBMIT]++;
	count = chance(90) ?
			1 + (uint32_t)rnd_below(8) :
			(uint32_t)PICK(0ull, 1ull, ZSV_JOB_CMDS_MAX,
				       ZSV_JOB_CMDS_MAX + 1ull, UINT32_MAX);
	stride = chance(90) ?
			 sizeof(j) :
			 PICK(sizeof(j) - 1, sizeof(j) + 8, sizeof(j) + 8, 64ul,
			      (size_t)ZSV_JOB_CMD_SIZE_MAX,
			      (size_t)ZSV_JOB_CMD_SIZE_MAX + 1, 0ul, 8ul);
	a.count = count;
	a.cmd_size = (uint32_t)stride;
	a.flags = chance(97) ? 0 : (uint32_t)(1 + rnd_below(UINT32_MAX));
	a.pad = chance(97) ? 0 : (uint32_t)(1 + rnd_below(UINT32_MAX));
	a.seqno = chance(90) ? 0 : rnd();

	/* The commands: valid, then perhaps one field of one of them changed. */
	if (count <= ZSV_JOB_CMDS_MAX + 1 && stride <= ZSV_JOB_CMD_SIZE_MAX + 1ul &&
	    stride) {
		if (chance(60))
			perturbed = (int)rnd_below(count);
		memset(cmdbuf, 0, count * stride);
		for (uint32_t i = 0; i < count; i++) {
			gen_job_cmd(c, &j);
			if ((int)i == perturbed)
				perturb_cmd(c, &j);
			memcpy(cmdbuf + i * stride, &j,
			       stride < sizeof(j) ? stride : sizeof(j));
			if (stride > sizeof(j) && chance(5)) {
				cmdbuf[i * stride + sizeof(j) +
				       rnd_below(stride - sizeof(j))] = 0x5a;
				if (bad_at < 0) {
					bad_at = (int)i;
					cmd_tail = true;
				}
			}
			if (bad_at < 0 && stride >= sizeof(j)) {
				judge_cmd(c, &j, &inval, &noent);
				if (inval || noent)
					bad_at = (int)i;
			}
		}
	}
	a.cmds = (uint64_t)(uintptr_t)cmdbuf;
	if (chance(4)) {
		cmds_ptr = 1 + (int)rnd_below(3);
		a.cmds = cmds_ptr == 1 ?
				 0 :
			 cmds_ptr == 2 ?
				 PICK((uint64_t)(uintptr_t)hole,
				      0x8000000000000000ull) :
				 /* runs off the end of a page into the hole */
				 (uint64_t)(uintptr_t)(rw_page + page -
						       stride / 2);
		if (cmds_ptr == 3 && count && stride)
			memcpy(rw_page + page - stride / 2, cmdbuf, stride / 2);
	}
	memset(argbuf, 0, size);
	memcpy(argbuf, &a, size < sizeof(a) ? size : sizeof(a));
	tail = fill_tail(sizeof(a), size);

	if (common(&w, c, dir, _IOC_READ | _IOC_WRITE, size, sizeof(a), where,
		   true)) {
		if (tail)
			want_only(&w, -E2BIG, "nonzero bytes past the struct");
		else if (a.flags || a.pad || !a.count ||
			 a.count > ZSV_JOB_CMDS_MAX || a.cmd_size < sizeof(j) ||
			 a.cmd_size > ZSV_JOB_CMD_SIZE_MAX)
			want_only(&w, -EINVAL,
				  "bad count, cmd_size, flags or pad");
		else if (where == PTR_RO)
			want_only(&w, -EFAULT, "read-only struct");
		else if (cmds_ptr)
			want_only(&w, -EFAULT, "commands not readable");
		else if (cmd_tail)
			want_only(&w, -E2BIG, "nonzero bytes past a command");
		else if (bad_at >= 0) {
			w.n = 0;
			w.why = "a bad command";
			if (inval)
				want_also(&w, -EINVAL);
			if (noent)
				want_also(&w, -ENOENT);
		} else {
			want_only(&w, 0, NULL);
		}
	}
	got = call(c->fd, cmd, size, where);
	if (run.verbose)
		fz_log("SUBMIT %u cmds of %zu bytes on %s (bad at %d): %s",
		       a.count, stride, c->slice, bad_at, errname(got));
	judge_call("SUBMIT", c, &w, got, cmd, size, where);
	if (got)
		return;
	run.ok[CAT_SUBMIT]++;
	mark_dirty();
	memcpy(&a, argbuf, sizeof(a));
	if (a.seqno != c->last_seqno + 1)
		fz_fail("SUBMIT on %s gave seqno %llu, want %llu", c->slice,
			(unsigned long long)a.seqno,
			(unsigned long long)c->last_seqno + 1);
	c->last_seqno = a.seqno;
}

static void do_wait(struct ctx *c, uint64_t seqno, int64_t deadline, bool fuzz)
{
	unsigned int size = fuzz ? pick_size(sizeof(struct zsv_wait)) :
				   sizeof(struct zsv_wait);
	unsigned int dir = fuzz ? pick_dir(_IOC_READ | _IOC_WRITE) :
				  _IOC_READ | _IOC_WRITE;
	enum ptr where = fuzz ? pick_ptr(size) : PTR_OK;
	unsigned long cmd = _IOC(dir, ZSV_IOCTL_BASE, 0x45, size);
	struct zsv_wait a = { .seqno = seqno, .timeout_ns = deadline };
	struct itimerval one_ms = { .it_value = { 0, 1000 } }, off = {};
	bool tail, alarm_armed = false, restart = false;
	struct want w = {};
	int got;

	run.count[CAT_WAIT]++;
	/* A signal a millisecond in: EINTR, or a restart with the same deadline. */
	if (fuzz && chance(10) && where == PTR_OK && a.seqno > c->completed &&
	    deadline > now_ns()) {
		struct sigaction sa = { .sa_handler = on_alarm };

		restart = chance(50);
		sa.sa_flags = restart ? SA_RESTART : 0;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGALRM, &sa, NULL);
		alarm_armed = true;
	}
	if (fuzz) {
		a.flags = chance(97) ? 0 :
				       (uint32_t)(1 + rnd_below(UINT32_MAX));
		a.pad = chance(97) ? 0 : (uint32_t)(1 + rnd_below(UINT32_MAX));
		a.completed_seqno = chance(90) ? 0 : rnd();
		a.error = chance(90) ? 0 : (int32_t)rnd();
	}
	memset(argbuf, 0, size);
	memcpy(argbuf, &a, size < sizeof(a) ? size : sizeof(a));
	tail = fill_tail(sizeof(a), size);
	if (common(&w, c, dir, _IOC_READ | _IOC_WRITE, size, sizeof(a), where,
		   true)) {
		if (tail)
			want_only(&w, -E2BIG, "nonzero bytes past the struct");
		else if (a.flags || a.pad)
			want_only(&w, -EINVAL, "flags or pad");
		else if (a.seqno > c->last_seqno)
			want_only(&w, -EINVAL, "past the last job");
		else if (where == PTR_RO)
			want_only(&w, -EFAULT, "read-only struct");
		else if (a.seqno <= c->completed)
			want_only(&w, 0, "retired already");
		else {
			want_only(&w, 0, NULL);
			want_also(&w, -ETIME);
			if (alarm_armed && !restart)
				want_also(&w, -EINTR);
		}
	}
	if (alarm_armed)
		setitimer(ITIMER_REAL, &one_ms, NULL);
	got = call(c->fd, cmd, size, where);
	if (alarm_armed)
		setitimer(ITIMER_REAL, &off, NULL);
	if (run.verbose)
		fz_log("WAIT %llu on %s (last %llu, completed %llu): %s",
		       (unsigned long long)seqno, c->slice,
		       (unsigned long long)c->last_seqno,
		       (unsigned long long)c->completed, errname(got));
	/* A deleted slice's WAIT may also have been racing a signal: no. */
	judge_call("WAIT", c, &w, got, cmd, size, where);
	if ((got && got != -ETIME) || where != PTR_OK || !wanted(&w, got))
		return;
	if (alarm_armed && got == -ETIME && now_ns() < deadline)
		fz_fail("WAIT restarted after a signal gave ETIME before its deadline");
	if (!got)
		run.ok[CAT_WAIT]++;
	memcpy(&a, argbuf, sizeof(a));
	if (a.completed_seqno < c->completed ||
	    a.completed_seqno > c->last_seqno ||
	    (!got && a.completed_seqno < seqno) ||
	    (got == -ETIME &&
	     (a.completed_seqno >= seqno || now_ns() < deadline)) ||
	    a.error_seqno > c->last_seqno || !a.error != !a.error_seqno ||
	    (a.error && a.error != ENOMEM && a.error != ECANCELED &&
	     a.error != ENODEV) ||
	    a.pad2)
		fz_fail("WAIT %llu on %s (%s): completed %llu (was %llu, last %llu), error %d at %llu, pad2 %u",
			(unsigned long long)seqno, c->slice, errname(got),
			(unsigned long long)a.completed_seqno,
			(unsigned long long)c->completed,
			(unsigned long long)c->last_seqno, a.error,
			(unsigned long long)a.error_seqno, a.pad2);
	if (a.completed_seqno > c->completed &&
	    a.completed_seqno <= c->last_seqno)
		c->completed = a.completed_seqno;
}

/* Let a context's jobs drain a little, never for long. */
void op_wait_some(struct ctx *c)
{
	do_wait(c, c->last_seqno, now_ns() + 3000000, false);
}

void op_wait(struct ctx *c)
{
	uint64_t seqno = PICK(0ull, c->completed, c->last_seqno, c->last_seqno,
			      c->last_seqno + 1, c->last_seqno + 1000,
			      c->completed + 1, UINT64_MAX, rnd());
	int64_t now = now_ns();
	int64_t deadline = PICK(now - 1000000000, (int64_t)0, (int64_t)-1,
				INT64_MIN, now,
				now + (int64_t)rnd_below(3000000),
				now + (int64_t)rnd_below(3000000));

	/* Far deadlines only where nothing will be waited for. */
	if (seqno <= c->completed && chance(30))
		deadline = INT64_MAX;
	do_wait(c, seqno, deadline, true);
}

void op_poll(struct ctx *c)
{
	struct pollfd p = { .fd = c->fd,
			    .events = PICK((short)POLLIN,
					   (short)(POLLIN | POLLOUT | POLLPRI),
					   (short)0) };
	int n;

	run.count[CAT_POLL]++;
	n = poll(&p, 1, (int)rnd_below(2));
	if (n < 0) {
		fz_fail("poll on %s: %m", c->slice);
		return;
	}
	run.ok[CAT_POLL]++;
	if (c->dead ? (p.revents & (POLLERR | POLLHUP)) != (POLLERR | POLLHUP) :
		      (p.revents & ~(POLLIN | POLLRDNORM)) != 0)
		fz_fail("poll on %s%s: revents %#x", c->slice,
			c->dead ? " (deleted)" : "", p.revents);
}
