// SPDX-License-Identifier: GPL-2.0-only
/*
 * Saturating load: each busy slice keeps a number of COMPUTE jobs
 * submitted and not retired, and one thread serves them all through
 * epoll on their contexts.  When a context reports EPOLLIN, one WAIT
 * that does not wait (seqno 0) says how far its jobs have retired (and
 * rearms the poll), and as many jobs are submitted as retired.
 *
 * Jobs retire in order, so a finished job behind a longer one still
 * counts as in flight: keep more jobs in flight than the pdev's engines
 * hold (on a backend that queues, a running and a queued job each; the
 * callers' default is three times the engines), or a single slice leaves
 * engines idle.  The cost to the (virtual) CPU is two ioctls per
 * retired job and an epoll_wait per batch, whatever the slice count.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "bench.h"

#define LOAD_EVENTS 256

int load_init(struct load *l, struct bench *b, uint64_t min_ns, uint64_t max_ns)
{
	memset(l, 0, sizeof(*l));
	l->min_ns = min_ns;
	l->max_ns = max_ns < min_ns ? min_ns : max_ns;
	l->rng = 0x5eed5eed5eedULL;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0)
		return bench_fail(b, -errno, "epoll_create1");
	return BENCH_EXIT_OK;
}

void load_fini(struct load *l)
{
	if (l->epfd >= 0)
		close(l->epfd);
	l->epfd = -1;
}

static uint64_t job_ns(struct load *l)
{
	uint64_t span = l->max_ns - l->min_ns;

	return l->min_ns + (span ? bench_rand(&l->rng) % (span + 1) : 0);
}

/*
 * Submit until @s has its jobs in flight; EAGAIN (the kernel's own
 * limit) just waits for the next retirement.
 */
static int top_up(struct load *l, struct bench *b, struct tb_slice *s)
{
	struct zsv_job_cmd cmd = { .op = ZSV_OP_COMPUTE };
	uint64_t seqno;
	int err;

	while (s->submitted - s->completed < s->inflight) {
		cmd.arg = job_ns(l);
		err = zsv_job_submit(s->fd, &cmd, 1, sizeof(cmd), &seqno);
		l->syscalls++;
		if (err == -EAGAIN)
			return BENCH_EXIT_OK;
		if (err == -ENOTTY)
			return bench_fail(
				b, err,
				"SUBMIT on /dev/zsv/%s: this kernel has no data plane",
				s->name);
		if (err)
			return bench_fail(b, err, "SUBMIT on /dev/zsv/%s",
					  s->name);
		s->submitted = seqno;
		s->job_ns[seqno & (s->ring - 1)] = cmd.arg;
	}
	return BENCH_EXIT_OK;
}

int load_set(struct load *l, struct bench *b, struct tb_slice *s,
	     uint32_t inflight)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = s };
	uint64_t q;
	int op = 0;

	if (inflight > ZSV_JOBS_INFLIGHT_MAX)
		inflight = ZSV_JOBS_INFLIGHT_MAX;
	/* Lengths of the jobs in flight, to add up what retires. */
	if (inflight > s->ring) {
		uint32_t ring = 1;
		uint64_t *job_ns;

		while (ring < inflight || ring < s->submitted - s->completed)
			ring *= 2;
		job_ns = calloc(ring, sizeof(*job_ns));
		if (!job_ns)
			return bench_fail(b, -ENOMEM, "job ring");
		for (q = s->completed + 1; q <= s->submitted; q++)
			job_ns[q & (ring - 1)] = s->job_ns[q & (s->ring - 1)];
		free(s->job_ns);
		s->job_ns = job_ns;
		s->ring = ring;
	}
	if (inflight && !s->inflight)
		op = EPOLL_CTL_ADD;
	else if (!inflight && s->inflight)
		op = EPOLL_CTL_DEL;
	if (op && epoll_ctl(l->epfd, op, s->fd, &ev))
		return bench_fail(b, -errno, "epoll_ctl on /dev/zsv/%s",
				  s->name);
	s->inflight = inflight;
	return top_up(l, b, s);
}

/* What retired on @s since we last asked; then submit as many. */
static int serve(struct load *l, struct bench *b, struct tb_slice *s,
		 uint32_t events)
{
	struct zsv_job_status st;
	int err;

	if (events & (EPOLLERR | EPOLLHUP)) {
		fprintf(stderr, "zsv-bench: slice '%s' went away\n", s->name);
		return BENCH_EXIT_FAIL;
	}
	err = zsv_job_wait(s->fd, 0, 0, &st, sizeof(st));
	l->syscalls++;
	if (err && err != -ETIME)
		return bench_fail(b, err, "WAIT on /dev/zsv/%s", s->name);
	while (s->completed < st.completed_seqno &&
	       s->completed < s->submitted) {
		s->completed++;
		l->retired++;
		l->retired_ns += s->job_ns[s->completed & (s->ring - 1)];
	}
	if (s->completed == s->submitted)
		l->dry++;
	/* Only the latest failure is reported: count the ones we see. */
	if (st.error_seqno && st.error_seqno != s->error_seqno) {
		s->error_seqno = st.error_seqno;
		s->error = st.error;
		s->failed++;
		l->failed++;
	}
	return top_up(l, b, s);
}

int load_run(struct load *l, struct bench *b, uint64_t until_ns)
{
	struct epoll_event events[LOAD_EVENTS];
	int n, i, ret;

	while (!bench_stop) {
		uint64_t now = bench_now_ns();
		int timeout_ms;

		if (now >= until_ns)
			break;
		timeout_ms = (int)((until_ns - now + 999999) / 1000000);
		n = epoll_wait(l->epfd, events, LOAD_EVENTS, timeout_ms);
		l->syscalls++;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return bench_fail(b, -errno, "epoll_wait");
		for (i = 0; i < n; i++) {
			ret = serve(l, b, events[i].data.ptr, events[i].events);
			if (ret)
				return ret;
		}
	}
	return BENCH_EXIT_OK;
}
