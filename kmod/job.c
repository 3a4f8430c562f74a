// SPDX-License-Identifier: GPL-2.0-only
/*
 * Jobs: SUBMIT, WAIT and poll() on a context, and the lifetime of a job.
 *
 * A job is checked whole and its BOs pinned before it is queued, so a bad
 * job fails SUBMIT with nothing run. Once queued it belongs to its pdev's
 * scheduler (sched.c) until it finishes; then it is retired: its BOs are
 * unpinned, and the context's completed sequence number moves past it as
 * soon as every earlier job has retired too. A retired job is freed when
 * the completed sequence number passes it. Each job holds a reference on
 * its context, which holds the slice, so a context whose file is closed
 * lives until its last job is freed.
 */
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/overflow.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "zsv.h"

static bool zsv_range_ok(const struct zsv_bo *bo, u64 offset, u64 length)
{
	return offset <= bo->size_bytes && length <= bo->size_bytes - offset;
}

/* Both ranges lie inside one BO, so the sums cannot overflow. */
static bool zsv_ranges_overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

/*
 * Check one command and pin its BOs into @c. On error @c may hold pins,
 * which the caller drops with the rest of the job's.
 */
static int zsv_job_cmd_prepare(struct zsv_ctx *ctx,
			       const struct zsv_job_cmd *u, struct zsv_cmd *c)
{
	bool dst = true, src = true;

	if (u->flags)
		return -EINVAL;
	switch (u->op) {
	case ZSV_OP_FILL:
		if (u->src || u->src_offset || !u->length || u->arg > U32_MAX ||
		    (u->dst_offset | u->length) & 3)
			return -EINVAL;
		src = false;
		break;
	case ZSV_OP_COPY:
		if (!u->length || u->arg)
			return -EINVAL;
		break;
	case ZSV_OP_COMPUTE:
		if (u->dst || u->src || u->dst_offset || u->src_offset ||
		    u->length || !u->arg || u->arg > ZSV_COMPUTE_NS_MAX)
			return -EINVAL;
		dst = false;
		src = false;
		break;
	case ZSV_OP_CHECKSUM:
		if (!u->length || u->arg || u->dst_offset & 3)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}

	c->op = u->op;
	c->dst_offset = u->dst_offset;
	c->src_offset = u->src_offset;
	c->length = u->length;
	c->arg = u->arg;
	if (dst) {
		c->dst = zsv_bo_pin_handle(ctx, u->dst);
		if (!c->dst)
			return -ENOENT;
	}
	if (src) {
		c->src = zsv_bo_pin_handle(ctx, u->src);
		if (!c->src)
			return -ENOENT;
	}

	switch (c->op) {
	case ZSV_OP_FILL:
		if (!zsv_range_ok(c->dst, c->dst_offset, c->length))
			return -EINVAL;
		break;
	case ZSV_OP_COPY:
		if (!zsv_range_ok(c->dst, c->dst_offset, c->length) ||
		    !zsv_range_ok(c->src, c->src_offset, c->length))
			return -EINVAL;
		if (c->dst == c->src &&
		    zsv_ranges_overlap(c->dst_offset, c->length,
				       c->src_offset, c->length))
			return -EINVAL;
		break;
	case ZSV_OP_CHECKSUM:
		if (!zsv_range_ok(c->src, c->src_offset, c->length) ||
		    !zsv_range_ok(c->dst, c->dst_offset, sizeof(u32)))
			return -EINVAL;
		if (c->dst == c->src &&
		    zsv_ranges_overlap(c->dst_offset, sizeof(u32),
				       c->src_offset, c->length))
			return -EINVAL;
		break;
	}
	return 0;
}

static void zsv_job_unpin(struct zsv_job *job)
{
	u32 i;

	for (i = 0; i < job->exec.ncmds; i++) {
		if (job->cmds[i].dst)
			zsv_bo_unpin(job->cmds[i].dst);
		if (job->cmds[i].src)
			zsv_bo_unpin(job->cmds[i].src);
		job->cmds[i].dst = NULL;
		job->cmds[i].src = NULL;
	}
}

static void zsv_ctx_release(struct kref *ref)
{
	struct zsv_ctx *ctx = container_of(ref, struct zsv_ctx, ref);

	xa_destroy(&ctx->bos);
	zsv_slice_put(ctx->slice);
	kfree(ctx);
}

/* May sleep: the last reference puts the slice. */
void zsv_ctx_put(struct zsv_ctx *ctx)
{
	kref_put(&ctx->ref, zsv_ctx_release);
}

/*
 * A job that finishes in interrupt context on the CPU that is submitting
 * it, while SUBMIT dispatches it (a short COMPUTE ends from an irq_work as
 * soon as the scheduler lets interrupts in again), is retired by SUBMIT
 * itself, so that no work item has to be scheduled between SUBMIT and the
 * WAIT that follows. zsv_retire_here is set on this CPU, preemption off,
 * across the dispatch; zsv_jobs_retire_later() run by an interrupt on it
 * meanwhile leaves its jobs pending, sets zsv_retire_left and queues no
 * work; SUBMIT retires what is pending once preemption is back on.
 * Both are only ever written on their own CPU.
 */
static DEFINE_PER_CPU(bool, zsv_retire_here);
static DEFINE_PER_CPU(bool, zsv_retire_left);

static void zsv_jobs_retire_pending(void);

/* Queue a prepared job; on failure the caller unpins and frees it. */
static int zsv_job_queue(struct zsv_ctx *ctx, struct zsv_job *job, u64 *seqno,
			 bool retire_here)
{
	bool left = false;
	int err;

	job->ctx = ctx;
	job->se = &ctx->slice->se;
	INIT_LIST_HEAD(&job->queue_link);
	INIT_LIST_HEAD(&job->ctx_link);
	kref_get(&ctx->ref);
	if (retire_here) {
		preempt_disable();
		this_cpu_write(zsv_retire_here, true);
	}
	err = zsv_sched_submit(job, seqno);
	if (retire_here) {
		this_cpu_write(zsv_retire_here, false);
		left = this_cpu_xchg(zsv_retire_left, false);
		preempt_enable();
	}
	if (err)
		zsv_ctx_put(ctx);
	if (left)
		zsv_jobs_retire_pending();
	return err;
}

/**
 * zsv_job_submit() - submit a job for an in-kernel client
 * @ctx: a context from zsv_ctx_open()
 * @cmds: the commands, as SUBMIT takes them, with handles of @ctx's BOs
 * @count: how many, 1 to ZSV_JOB_CMDS_MAX
 * @seqno: where the job's sequence number goes
 *
 * Checks the job exactly as ZSV_IOCTL_SUBMIT does.
 * Return: 0, or the errno SUBMIT would fail with.
 */
int zsv_job_submit(struct zsv_ctx *ctx, const struct zsv_job_cmd *cmds,
		   u32 count, u64 *seqno)
{
	struct zsv_job *job;
	int err = 0;
	u32 i;

	if (!count || count > ZSV_JOB_CMDS_MAX)
		return -EINVAL;
	job = kzalloc(struct_size(job, cmds, count), GFP_KERNEL_ACCOUNT);
	if (!job)
		return -ENOMEM;
	job->exec.cmds = job->cmds;
	job->exec.ncmds = count;
	for (i = 0; i < count && !err; i++)
		err = zsv_job_cmd_prepare(ctx, &cmds[i], &job->cmds[i]);
	/* In-kernel clients may submit under their own locks: no retiring. */
	if (!err)
		err = zsv_job_queue(ctx, job, seqno, false);
	if (err) {
		zsv_job_unpin(job);
		kfree(job);
	}
	return err;
}
EXPORT_SYMBOL_GPL(zsv_job_submit);

long zsv_ioctl_submit(struct zsv_ctx *ctx, void __user *uarg,
		      unsigned int usize)
{
	struct zsv_submit args;
	struct zsv_job_cmd ucmd;
	struct zsv_job *job;
	u64 seqno;
	long err;
	u32 i;

	err = copy_struct_from_user(&args, sizeof(args), uarg, usize);
	if (err)
		return err;
	if (args.flags || args.pad || !args.count ||
	    args.count > ZSV_JOB_CMDS_MAX || args.cmd_size < sizeof(ucmd) ||
	    args.cmd_size > ZSV_JOB_CMD_SIZE_MAX)
		return -EINVAL;
	/* Learn now, not after queueing, that the seqno cannot be stored. */
	if (put_user(0ULL, (u64 __user *)(uarg +
					  offsetof(struct zsv_submit, seqno))))
		return -EFAULT;

	job = kzalloc(struct_size(job, cmds, args.count), GFP_KERNEL_ACCOUNT);
	if (!job)
		return -ENOMEM;
	job->exec.cmds = job->cmds;
	job->exec.ncmds = args.count;
	for (i = 0; i < args.count; i++) {
		err = copy_struct_from_user(&ucmd, sizeof(ucmd),
					    u64_to_user_ptr(args.cmds +
							    (u64)i * args.cmd_size),
					    args.cmd_size);
		if (!err)
			err = zsv_job_cmd_prepare(ctx, &ucmd, &job->cmds[i]);
		if (err)
			goto err_free;
	}

	err = zsv_job_queue(ctx, job, &seqno, true);
	if (err)
		goto err_free;
	/* The job may have retired and been freed already. */
	if (put_user(seqno, (u64 __user *)(uarg +
					   offsetof(struct zsv_submit, seqno))))
		return -EFAULT;
	return 0;

err_free:
	zsv_job_unpin(job);
	kfree(job);
	return err;
}

/* Mark @job retired and free the jobs the completed seqno moves past. */
static void zsv_job_retire(struct zsv_job *job)
{
	unsigned long flags;
	struct zsv_ctx *ctx = job->ctx;
	struct zsv_job *j, *tmp;
	LIST_HEAD(done);

	zsv_job_unpin(job);

	spin_lock_irqsave(&ctx->job_lock, flags);
	job->retired = true;
	if (job->exec.error && job->seqno > ctx->error_seqno) {
		ctx->error_seqno = job->seqno;
		ctx->error = job->exec.error;
	}
	while (!list_empty(&ctx->jobs)) {
		j = list_first_entry(&ctx->jobs, struct zsv_job, ctx_link);
		if (!j->retired)
			break;
		ctx->completed_seqno = j->seqno;
		list_move_tail(&j->ctx_link, &done);
		ctx->nr_jobs--;
	}
	if (!list_empty(&done) && ctx->retired)
		ctx->retired(ctx);
	spin_unlock_irqrestore(&ctx->job_lock, flags);

	if (list_empty(&done))
		return;
	wake_up_all(&ctx->wq);
	list_for_each_entry_safe(j, tmp, &done, ctx_link) {
		kfree(j);
		zsv_ctx_put(ctx);
	}
}

/**
 * zsv_jobs_retire() - retire finished jobs
 * @jobs: the jobs, linked by queue_link; the list is emptied
 *
 * Process context, without zsv_lock: unpinning a BO may take it.
 */
void zsv_jobs_retire(struct list_head *jobs)
{
	struct zsv_job *job, *tmp;

	list_for_each_entry_safe(job, tmp, jobs, queue_link) {
		list_del_init(&job->queue_link);
		zsv_job_retire(job);
	}
}

static DEFINE_SPINLOCK(zsv_retire_lock);
static LIST_HEAD(zsv_retire_jobs);

/* Retire the jobs zsv_jobs_retire_later() left. Process context. */
static void zsv_jobs_retire_pending(void)
{
	LIST_HEAD(jobs);

	spin_lock_irq(&zsv_retire_lock);
	list_splice_init(&zsv_retire_jobs, &jobs);
	spin_unlock_irq(&zsv_retire_lock);
	zsv_jobs_retire(&jobs);
}

static void zsv_retire_fn(struct work_struct *work)
{
	zsv_jobs_retire_pending();
}

static DECLARE_WORK(zsv_retire_work, zsv_retire_fn);

/**
 * zsv_jobs_retire_later() - retire finished jobs from a work item
 * @jobs: the jobs, linked by queue_link; the list is emptied
 *
 * For callers that hold zsv_lock or run in interrupt context (any
 * context will do). The jobs' waiters are woken at once: a waiter retires
 * what is pending itself (zsv_ioctl_wait()), which spares a round trip
 * the work item's scheduling. No work item is queued when this interrupts
 * a SUBMIT's dispatch on this CPU: that SUBMIT retires them.
 */
void zsv_jobs_retire_later(struct list_head *jobs)
{
	struct zsv_job *job;
	unsigned long flags;
	bool here;

	if (list_empty(jobs))
		return;
	/*
	 * Under the lock a waiter must take to retire them, so that it
	 * finds them and none is freed while its context is woken.
	 */
	spin_lock_irqsave(&zsv_retire_lock, flags);
	list_for_each_entry(job, jobs, queue_link)
		wake_up_all(&job->ctx->wq);
	list_splice_tail_init(jobs, &zsv_retire_jobs);
	/* Interrupts are off: this CPU's SUBMIT cannot close its window. */
	here = this_cpu_read(zsv_retire_here);
	if (here)
		this_cpu_write(zsv_retire_left, true);
	spin_unlock_irqrestore(&zsv_retire_lock, flags);
	if (!here)
		queue_work(system_highpri_wq, &zsv_retire_work);
}

/**
 * zsv_ctx_cancel_jobs() - cancel a closing context's jobs
 * @ctx: the context
 *
 * Queued jobs retire now with -ECANCELED; running ones when their engine
 * comes back. Process context, without zsv_lock.
 */
void zsv_ctx_cancel_jobs(struct zsv_ctx *ctx)
{
	LIST_HEAD(cancelled);

	zsv_sched_cancel_ctx(ctx, &cancelled);
	zsv_jobs_retire(&cancelled);
}

/* Whether @ctx has no job left; if so it takes new ones again. */
static bool zsv_ctx_reopen_if_idle(struct zsv_ctx *ctx)
{
	unsigned long flags;
	bool idle;

	spin_lock_irqsave(&ctx->job_lock, flags);
	idle = list_empty(&ctx->jobs);
	if (idle)
		ctx->closed = false;
	spin_unlock_irqrestore(&ctx->job_lock, flags);
	return idle;
}

/**
 * zsv_ctx_quiesce() - cancel every job of a context and wait for them
 * @ctx: a context from zsv_ctx_open()
 *
 * Queued jobs retire at once with -ECANCELED, running ones when their
 * engines give them back (within a timeslice). Afterwards the context
 * takes jobs again. Process context, without zsv_lock; allocates nothing,
 * so it cannot fail.
 */
void zsv_ctx_quiesce(struct zsv_ctx *ctx)
{
	zsv_ctx_cancel_jobs(ctx);
	wait_event(ctx->wq, zsv_ctx_reopen_if_idle(ctx));
}
EXPORT_SYMBOL_GPL(zsv_ctx_quiesce);

static bool zsv_ctx_retired(struct zsv_ctx *ctx, u64 seqno)
{
	unsigned long flags;
	bool retired;

	spin_lock_irqsave(&ctx->job_lock, flags);
	retired = ctx->completed_seqno >= seqno;
	spin_unlock_irqrestore(&ctx->job_lock, flags);
	return retired;
}

long zsv_ioctl_wait(struct zsv_ctx *ctx, void __user *uarg,
		    unsigned int usize)
{
	unsigned long flags;
	struct zsv_slice *slice = ctx->slice;
	struct zsv_wait args;
	DEFINE_WAIT(wait);
	ktime_t expires;
	long err;

	err = copy_struct_from_user(&args, sizeof(args), uarg, usize);
	if (err)
		return err;
	if (args.flags || args.pad)
		return -EINVAL;
	spin_lock_irqsave(&ctx->job_lock, flags);
	err = args.seqno > ctx->last_seqno ? -EINVAL : 0;
	spin_unlock_irqrestore(&ctx->job_lock, flags);
	if (err)
		return err;

	expires = ns_to_ktime(max_t(s64, args.timeout_ns, 0));
	for (;;) {
		/* Jobs that finished in interrupt context retire here first. */
		zsv_jobs_retire_pending();
		prepare_to_wait(&ctx->wq, &wait, TASK_INTERRUPTIBLE);
		if (READ_ONCE(slice->dead)) {
			err = -ENODEV;
			break;
		}
		if (zsv_ctx_retired(ctx, args.seqno)) {
			err = 0;
			break;
		}
		if (signal_pending(current)) {
			/* The deadline is absolute: a restart keeps it. */
			err = -ERESTARTSYS;
			break;
		}
		if (ktime_compare(ktime_get(), expires) >= 0) {
			err = -ETIME;
			break;
		}
		schedule_hrtimeout_range(&expires, current->timer_slack_ns,
					 HRTIMER_MODE_ABS);
	}
	finish_wait(&ctx->wq, &wait);
	if (err && err != -ETIME)
		return err;

	spin_lock_irqsave(&ctx->job_lock, flags);
	args.completed_seqno = ctx->completed_seqno;
	/*
	 * The job may have retired since the deadline was seen: the answer
	 * follows the numbers reported with it, so the caller never reads
	 * ETIME next to a completed sequence number that covers its job.
	 */
	if (err == -ETIME && args.completed_seqno >= args.seqno)
		err = 0;
	args.error_seqno = ctx->error_seqno;
	args.error = -ctx->error;
	ctx->seen_seqno = max(ctx->seen_seqno, ctx->completed_seqno);
	spin_unlock_irqrestore(&ctx->job_lock, flags);
	args.pad2 = 0;
	if (copy_to_user(uarg, &args, min_t(size_t, usize, sizeof(args))))
		return -EFAULT;
	return err;
}

__poll_t zsv_ctx_poll(struct zsv_ctx *ctx, struct file *file,
		      struct poll_table_struct *wait)
{
	unsigned long flags;
	__poll_t mask = 0;

	poll_wait(file, &ctx->wq, wait);
	if (READ_ONCE(ctx->slice->dead))
		return EPOLLERR | EPOLLHUP;
	spin_lock_irqsave(&ctx->job_lock, flags);
	if (ctx->completed_seqno > ctx->seen_seqno)
		mask = EPOLLIN | EPOLLRDNORM;
	spin_unlock_irqrestore(&ctx->job_lock, flags);
	return mask;
}

void zsv_job_exit(void)
{
	flush_work(&zsv_retire_work);
}
