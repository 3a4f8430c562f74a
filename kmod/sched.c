// SPDX-License-Identifier: GPL-2.0-only
/*
 * DOC: scheduler
 *
 * Each pdev has one scheduler that hands its engines to the jobs of its
 * slices. A slice with queued jobs is an entity in its tenant's red-black
 * tree, and a tenant with such an entity is in the pdev's tree (a slice
 * without a tenant, or any slice under a policy other than weighted, is
 * alone in a tenant of its own). An idle engine takes the job at the head
 * of the queue of the leftmost entity of the leftmost tenant
 * and runs it for one quantum (the slice's timeslice, else the pdev's),
 * then the backend hands the engine back through zsv_engine_done(). A job
 * that is not finished goes back to the head of its slice's queue, so a
 * long job is preempted at every quantum boundary and competes again.
 * Every decision is two tree lookups plus re-insertions: O(log n) in the
 * number of runnable slices, independent of how many are idle.
 *
 * The tree's order depends on the pdev's policy:
 *
 * weighted
 *	Two levels, as CFS does for task groups. The key of a tenant is its
 *	virtual runtime: the engine time its slices used, scaled by
 *	ZSV_WEIGHT_DEFAULT / tenant weight; within a tenant, the key of a
 *	slice is its own, scaled by its weight. The tenant that has used
 *	least for its weight runs next, and in it the slice that has, so
 *	busy tenants share engine time in proportion to their weights and a
 *	tenant's busy slices share its part in proportion to theirs; idle
 *	time goes to the busy (work-conserving). A tenant or slice that
 *	becomes busy starts at the smallest virtual runtime of its tree, so
 *	idling earns no credit. Several engines are served from one tree: a
 *	dispatch charges the whole quantum in advance, to the slice and its
 *	tenant, and the charges are corrected to the time actually used when
 *	the engine comes back, so one slice cannot take every engine at once
 *	just because its key has not moved yet.
 *
 * fixed
 *	As weighted, but each slice may use at most weight / (sum of the
 *	weights of all slices on the pdev) of the pdev's engine time per
 *	period, even when the others are idle (not work-conserving).
 *
 * best-effort
 *	Round robin: the key is a ticket taken each time the slice goes back
 *	into the tree, so busy slices take turns, a quantum each; weights
 *	are ignored.
 *
 * Under every policy, a slice with a cap below 100 % may use at most
 * cap % of the pdev's engine time (engines x period) per accounting
 * period. A dispatch never gives a slice more than its allowance left in
 * the period (less what its other running jobs may still use), so a cap
 * is exceeded at most by the backend's overrun of a budget: one command
 * chunk for the sim backend, whose engines stop a job at its deadline
 * and say when, however late they hand back. A period boundary charges a
 * running job up to its deadline at most; the rest, if the backend
 * overran, is charged when it hands back. What a slice uses past its
 * allowance is carried into the next period as debt (up to a whole
 * allowance), so over several periods the cap holds however late the
 * backend is. A slice out of allowance is throttled (off the tree) until
 * the next period; the time it waits with work queued is its throttled
 * time.
 *
 * Engine time is charged to the slice whose job held the engine, from
 * dispatch to zsv_engine_done(), and split at period boundaries. At each
 * boundary the scheduler records each slice's delivered share (engine
 * time used / engines x period) and promised share (what the policy
 * entitles it to given the slices that had work in the period: for
 * weighted, tenant weights water-filled under the sums of their slices'
 * caps, then slice weights under the caps within each tenant; an equal
 * split with caps for best-effort; the fixed share for fixed). The
 * period timer runs only while there is work.
 *
 * Guarantees: with every slice saturating, each slice's engine time per
 * period is its promised share to within one quantum per engine (plus
 * backend overrun); no slice exceeds its cap by more than the backend's
 * overrun in a period, and that is taken from its next period; a slice
 * with queued work and allowance left is not starved: its virtual
 * runtime stands still while the others' grow, so it runs within about
 * (sum of the other busy weights / its weight) quanta.
 * Changes of weight, cap and timeslice apply from the next dispatch;
 * policy and period changes from the next period boundary at the latest.
 *
 * Locking: the scheduler's lock (interrupts off, since a backend may
 * give an engine back from its interrupt handler) covers the trees,
 * the entities, the tenants, the engines and the statistics; a context's
 * job_lock nests inside it. A pdev's shared tenants are made and freed,
 * and their list changed, under zsv_lock as well (so it may be walked
 * under either), when the first slice of a tenant joins the pdev and
 * when the last leaves it. The backend's run() is called under the lock and must not
 * sleep; zsv_engine_done() is called by the backend in process context.
 * Jobs are retired (BOs unpinned, waiters woken) outside the lock.
 */
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/rbtree.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "zsv.h"

/* Less engine time than this left in a period is not worth a dispatch. */
#define ZSV_SCHED_MIN_RUN_NS	(20 * NSEC_PER_USEC)
#define ZSV_PPM			1000000U

static inline struct zsv_slice *zsv_se_slice(struct zsv_sched_entity *se)
{
	return container_of(se, struct zsv_slice, se);
}

static inline struct zsv_pdev *zsv_sched_pdev(struct zsv_sched *s)
{
	return container_of(s, struct zsv_pdev, sched);
}

static u64 zsv_sched_vtime(u64 ns, u32 weight)
{
	return mul_u64_u32_div(ns, ZSV_WEIGHT_DEFAULT, weight);
}

/* Engine time @se may use per period, or U64_MAX for no limit. */
static u64 zsv_sched_limit(const struct zsv_sched *s,
			   const struct zsv_sched_entity *se)
{
	u64 total = s->nr_engines * s->period_ns;
	u64 limit = U64_MAX;

	if (se->cap_pct < ZSV_CAP_PCT_MAX)
		limit = div_u64(total * se->cap_pct, 100);
	if (s->policy == ZSV_POLICY_FIXED && s->weight_sum)
		limit = min(limit, div64_u64(total * se->weight, s->weight_sum));
	return limit;
}

static bool zsv_st_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct zsv_sched_tenant, node)->key <
	       rb_entry(b, struct zsv_sched_tenant, node)->key;
}

static bool zsv_se_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct zsv_sched_entity, node)->vruntime <
	       rb_entry(b, struct zsv_sched_entity, node)->vruntime;
}

static void zsv_st_enqueue(struct zsv_sched *s, struct zsv_sched_tenant *st)
{
	st->key = s->policy == ZSV_POLICY_BEST_EFFORT ? ++s->ticket :
							 st->vruntime;
	rb_add_cached(&st->node, &s->runnable, zsv_st_less);
	st->on_rq = true;
}

static void zsv_st_dequeue(struct zsv_sched *s, struct zsv_sched_tenant *st)
{
	if (st->on_rq) {
		rb_erase_cached(&st->node, &s->runnable);
		st->on_rq = false;
	}
}

/* Move @st's virtual runtime by @add - @sub, keeping its place right. */
static void zsv_st_adjust(struct zsv_sched *s, struct zsv_sched_tenant *st,
			  u64 add, u64 sub)
{
	bool queued = st->on_rq;

	zsv_st_dequeue(s, st);
	st->vruntime = st->vruntime + add - sub;
	if (queued)
		zsv_st_enqueue(s, st);
}

/* Put @se in its tenant's tree, and the tenant in the scheduler's. */
static void zsv_se_enqueue(struct zsv_sched *s, struct zsv_sched_entity *se)
{
	struct zsv_sched_tenant *st = se->st;

	rb_add_cached(&se->node, &st->runnable, zsv_se_less);
	se->on_rq = true;
	if (!st->on_rq)
		zsv_st_enqueue(s, st);
}

/* Undo zsv_se_enqueue(): a tenant with no entity left leaves the tree. */
static void zsv_se_dequeue(struct zsv_sched *s, struct zsv_sched_entity *se)
{
	struct zsv_sched_tenant *st = se->st;

	if (!se->on_rq)
		return;
	rb_erase_cached(&se->node, &st->runnable);
	se->on_rq = false;
	if (RB_EMPTY_ROOT(&st->runnable.rb_root))
		zsv_st_dequeue(s, st);
}

/*
 * Put @se in the tree if it has work and may run. Neither it nor its
 * tenant keeps credit for the time it was idle: each starts no lower
 * than the smallest virtual runtime of the tree it joins. An entity with
 * jobs on engines was not idle, only out of queued jobs because engines
 * took them all (on a backend that queues, they hold two jobs each): it
 * and its tenant may stay behind by what those jobs were charged in
 * advance.
 */
static void zsv_se_wake(struct zsv_sched *s, struct zsv_sched_entity *se)
{
	struct zsv_sched_tenant *st = se->st;
	u64 lag = 0, tlag = 0;

	if (se->on_rq || se->throttled || se->dead || !se->nr_queued)
		return;
	if (se->nr_running) {
		lag = zsv_sched_vtime(se->reserved_ns, se->weight);
		tlag = zsv_sched_vtime(se->reserved_ns, st->weight);
	}
	se->vruntime = max(se->vruntime,
			   st->min_vruntime - min(lag, st->min_vruntime));
	if (!st->on_rq)
		st->vruntime = max(st->vruntime,
				   s->min_vruntime - min(tlag, s->min_vruntime));
	zsv_se_enqueue(s, se);
}

/* The tenant @se is scheduled in under the scheduler's policy. */
static struct zsv_sched_tenant *zsv_se_tenant(const struct zsv_sched *s,
					      struct zsv_sched_entity *se)
{
	if (s->policy == ZSV_POLICY_WEIGHTED && se->shared)
		return se->shared;
	return &se->own;
}

static void zsv_se_throttle(struct zsv_sched *s, struct zsv_sched_entity *se,
			    u64 now)
{
	zsv_se_dequeue(s, se);
	se->throttled = true;
	se->throttled_since_ns = now;
	list_add_tail(&se->throttle_link, &s->throttled);
}

static void zsv_se_unthrottle(struct zsv_sched *s,
			      struct zsv_sched_entity *se, u64 now)
{
	list_del_init(&se->throttle_link);
	se->throttled = false;
	se->throttled_ns += now - se->throttled_since_ns;
	zsv_se_wake(s, se);
}

static void zsv_sched_arm(struct zsv_sched *s)
{
	if (s->timer_armed || s->stopped)
		return;
	s->timer_armed = true;
	s->period_start_ns = ktime_get_ns();
	hrtimer_start(&s->period_timer, ns_to_ktime(s->period_ns),
		      HRTIMER_MODE_REL);
}

/* Charge @eng's job for its time up to @now. */
/*
 * Up to when @eng's running job may be charged at @now, before its backend
 * hands the engine back: not past its budget. A backend that stopped the
 * job there and says so late says when (zsv_engine_done_at()); one that
 * overran charges the rest when it hands back.
 */
static u64 zsv_engine_charge_to(const struct zsv_engine *eng, u64 now)
{
	return clamp(eng->dispatched_ns + eng->cur.budget_ns, eng->charged_ns,
		     now);
}

static void zsv_sched_charge(struct zsv_sched *s, struct zsv_engine *eng,
			     u64 now)
{
	struct zsv_sched_entity *se = eng->cur.job->se;
	u64 used = now - eng->charged_ns;

	eng->charged_ns = now;
	se->busy_ns += used;
	se->period_used_ns += used;
	s->busy_ns += used;
}

/*
 * An engine for a job of @slice_id, preferring one that last ran that
 * slice: an idle one, or else (when @queue) a busy one with nothing queued.
 */
static struct zsv_engine *zsv_sched_free_engine(struct zsv_sched *s,
						u32 slice_id, bool queue,
						u32 *index)
{
	struct zsv_engine *idle = NULL;
	u32 i;

	for (i = 0; i < s->nr_engines; i++) {
		struct zsv_engine *eng = &s->engine[i];

		if (queue ? eng->next.job : eng->cur.job)
			continue;
		if (eng->last_slice == slice_id + 1) {
			*index = i;
			return eng;
		}
		if (!idle) {
			idle = eng;
			*index = i;
		}
	}
	return idle;
}

/*
 * Give every idle engine a job, and on a backend that queues, every busy
 * engine a job to run next, as long as some slice may run one.
 */
static void zsv_sched_dispatch(struct zsv_sched *s)
{
	struct zsv_pdev *pdev = zsv_sched_pdev(s);
	const struct zsv_backend_ops *ops = pdev->backend->ops;
	u64 now = 0;

	lockdep_assert_held(&s->lock);
	while (!s->stopped && (s->busy_engines < s->nr_engines ||
			       (ops->queue && s->queued_engines < s->nr_engines))) {
		struct rb_node *leftmost = rb_first_cached(&s->runnable);
		struct zsv_engine_slot *slot;
		struct zsv_sched_tenant *st;
		struct zsv_sched_entity *se;
		struct zsv_engine *eng;
		struct zsv_job *job;
		u64 budget, limit;
		u32 id, index;
		bool queue;

		if (!leftmost)
			break;
		st = rb_entry(leftmost, struct zsv_sched_tenant, node);
		se = rb_entry(rb_first_cached(&st->runnable),
			      struct zsv_sched_entity, node);
		if (!now)
			now = ktime_get_ns();

		budget = se->timeslice_ns ?: s->timeslice_ns;
		limit = zsv_sched_limit(s, se);
		if (limit != U64_MAX) {
			u64 spent = se->period_used_ns + se->reserved_ns;

			if (spent + ZSV_SCHED_MIN_RUN_NS > limit) {
				zsv_se_throttle(s, se, now);
				continue;
			}
			budget = min(budget, limit - spent);
		}

		id = zsv_se_slice(se)->id;
		queue = s->busy_engines == s->nr_engines;
		eng = zsv_sched_free_engine(s, id, queue, &index);
		slot = queue ? &eng->next : &eng->cur;
		job = list_first_entry(&se->queue, struct zsv_job, queue_link);
		list_del_init(&job->queue_link);
		se->nr_queued--;
		job->state = ZSV_JOB_RUNNING;
		se->nr_running++;
		se->reserved_ns += budget;
		se->active = true;
		if (eng->last_slice != id + 1) {
			se->ctx_switches++;
			eng->last_slice = id + 1;
		}
		slot->job = job;
		slot->budget_ns = budget;

		/*
		 * The quantum is charged in advance at both levels, to the
		 * slice in its tenant and to the tenant in the pdev, and
		 * corrected when the engine comes back.
		 */
		zsv_se_dequeue(s, se);
		slot->vcharge = 0;
		slot->tvcharge = 0;
		slot->st = st;
		if (s->policy != ZSV_POLICY_BEST_EFFORT) {
			s->min_vruntime = max(s->min_vruntime, st->vruntime);
			st->min_vruntime = max(st->min_vruntime, se->vruntime);
			slot->vcharge = zsv_sched_vtime(budget, se->weight);
			se->vruntime += slot->vcharge;
			slot->tvcharge = zsv_sched_vtime(budget, st->weight);
			zsv_st_adjust(s, st, slot->tvcharge, 0);
		}
		if (se->nr_queued)
			zsv_se_enqueue(s, se);

		if (queue) {
			s->queued_engines++;
			ops->queue(pdev, index, &job->exec, budget);
		} else {
			eng->dispatched_ns = now;
			eng->charged_ns = now;
			s->busy_engines++;
			ops->run(pdev, index, &job->exec, budget);
		}
	}
}

/**
 * zsv_engine_done_at() - a backend's engine ended its job
 * @pdev: the pdev
 * @engine: the engine, which zsv_backend_ops.run() gave a job
 * @end_ns: when the job ended (ktime_get_ns()); a time before the job's
 *	last charge, or in the future, counts as that charge or now
 *
 * Charges the job's engine time up to @end_ns to its slice, finishes the
 * job if it is done (or requeues it at the head of its slice's queue if
 * not), and gives the engine its next job at once: the one queued behind
 * it, which the backend started at @end_ns and which is charged from
 * then, or a new one through the backend's run(); and, on a backend that
 * queues, the job to queue behind that one.
 * Any context: hard IRQ (a device's completion interrupt, an hrtimer),
 * softirq, or process context. A finished job is retired (its BOs
 * unpinned, its waiters woken) right here in process context, which may
 * then sleep, and from a work item otherwise.
 */
void zsv_engine_done_at(struct zsv_pdev *pdev, unsigned int engine,
			u64 end_ns)
{
	unsigned long flags;
	struct zsv_sched *s = &pdev->sched;
	struct zsv_sched_entity *se;
	struct zsv_engine *eng;
	struct zsv_job *job;
	LIST_HEAD(retire);
	u64 now;

	if (WARN_ON_ONCE(engine >= s->nr_engines))
		return;
	spin_lock_irqsave(&s->lock, flags);
	eng = &s->engine[engine];
	job = eng->cur.job;
	if (WARN_ON_ONCE(!job)) {
		spin_unlock_irqrestore(&s->lock, flags);
		return;
	}
	se = job->se;
	now = clamp(end_ns, eng->charged_ns, ktime_get_ns());
	zsv_sched_charge(s, eng, now);
	se->reserved_ns -= eng->cur.budget_ns;
	se->nr_running--;
	if (eng->cur.vcharge) {
		u64 used = now - eng->dispatched_ns;
		bool queued = se->on_rq;

		zsv_se_dequeue(s, se);
		se->vruntime += zsv_sched_vtime(used, se->weight) -
				eng->cur.vcharge;
		if (queued)
			zsv_se_enqueue(s, se);
		/* Unless the slice changed tenant since, or the tenant went. */
		if (eng->cur.st == se->st)
			zsv_st_adjust(s, se->st,
				      zsv_sched_vtime(used, se->st->weight),
				      eng->cur.tvcharge);
	}
	eng->cur = eng->next;
	eng->next = (struct zsv_engine_slot){};
	if (eng->cur.job) {
		/* The backend went straight on with the queued job. */
		eng->dispatched_ns = now;
		eng->charged_ns = now;
		s->queued_engines--;
	} else {
		s->busy_engines--;
	}

	if (job->exec.cmd >= job->exec.ncmds || job->exec.error ||
	    READ_ONCE(job->exec.cancel) || se->dead) {
		if (!job->exec.error && job->exec.cmd < job->exec.ncmds)
			job->exec.error = se->dead ? -ENODEV : -ECANCELED;
		job->state = ZSV_JOB_FINISHED;
		se->jobs_completed++;
		if (job->exec.error)
			se->jobs_failed++;
		s->jobs_completed++;
		list_add_tail(&job->queue_link, &retire);
	} else {
		job->state = ZSV_JOB_QUEUED;
		list_add(&job->queue_link, &se->queue);
		se->nr_queued++;
		zsv_se_wake(s, se);
	}
	zsv_sched_dispatch(s);
	if (!s->busy_engines)
		wake_up_all(&s->idle_wq);
	spin_unlock_irqrestore(&s->lock, flags);

	if (in_task())
		zsv_jobs_retire(&retire);
	else
		zsv_jobs_retire_later(&retire);
}
EXPORT_SYMBOL_GPL(zsv_engine_done_at);

/**
 * zsv_engine_done() - a backend gives an engine back
 * @pdev: the pdev
 * @engine: the engine, which zsv_backend_ops.run() gave a job
 *
 * zsv_engine_done_at() for a job that ended now.
 */
void zsv_engine_done(struct zsv_pdev *pdev, unsigned int engine)
{
	zsv_engine_done_at(pdev, engine, ktime_get_ns());
}
EXPORT_SYMBOL_GPL(zsv_engine_done);

/**
 * zsv_sched_submit() - queue a job on its slice
 * @job: the job, with its commands checked and its BOs pinned
 * @seqno: gets the job's sequence number
 *
 * Gives the job the context's next sequence number and queues it.
 * Return: 0; -ENODEV when the slice or pdev is gone; -EAGAIN when the
 * context has ZSV_JOBS_INFLIGHT_MAX jobs not retired. On error the job
 * is not queued and is still the caller's.
 */
int zsv_sched_submit(struct zsv_job *job, u64 *seqno)
{
	unsigned long flags;
	struct zsv_sched_entity *se = job->se;
	struct zsv_sched *s = &zsv_se_slice(se)->pdev->sched;
	struct zsv_ctx *ctx = job->ctx;
	int err = 0;

	spin_lock_irqsave(&s->lock, flags);
	if (se->dead || s->stopped) {
		err = -ENODEV;
		goto out;
	}
	spin_lock(&ctx->job_lock);
	if (ctx->nr_jobs >= ZSV_JOBS_INFLIGHT_MAX) {
		err = -EAGAIN;
	} else {
		job->seqno = ++ctx->last_seqno;
		*seqno = job->seqno;
		list_add_tail(&job->ctx_link, &ctx->jobs);
		ctx->nr_jobs++;
	}
	spin_unlock(&ctx->job_lock);
	if (err)
		goto out;

	job->state = ZSV_JOB_QUEUED;
	list_add_tail(&job->queue_link, &se->queue);
	se->nr_queued++;
	se->jobs_submitted++;
	se->active = true;
	zsv_se_wake(s, se);
	zsv_sched_arm(s);
	zsv_sched_dispatch(s);
out:
	spin_unlock_irqrestore(&s->lock, flags);
	return err;
}

/**
 * zsv_sched_cancel_ctx() - take a closing context's jobs off the pdev
 * @ctx: the context, whose file is being released
 * @cancelled: gets the queued jobs, finished with -ECANCELED, to retire
 *
 * Running jobs are told to stop; they retire when their engine comes
 * back. No job can be submitted to @ctx afterwards.
 */
void zsv_sched_cancel_ctx(struct zsv_ctx *ctx, struct list_head *cancelled)
{
	unsigned long flags;
	struct zsv_sched_entity *se = &ctx->slice->se;
	struct zsv_sched *s = &ctx->slice->pdev->sched;
	struct zsv_job *job;

	spin_lock_irqsave(&s->lock, flags);
	spin_lock(&ctx->job_lock);
	ctx->closed = true;
	list_for_each_entry(job, &ctx->jobs, ctx_link) {
		if (job->state == ZSV_JOB_QUEUED) {
			list_del(&job->queue_link);
			se->nr_queued--;
			job->exec.error = -ECANCELED;
			job->state = ZSV_JOB_FINISHED;
			se->jobs_completed++;
			se->jobs_failed++;
			s->jobs_completed++;
			list_add_tail(&job->queue_link, cancelled);
		} else if (job->state == ZSV_JOB_RUNNING) {
			WRITE_ONCE(job->exec.cancel, true);
		}
	}
	spin_unlock(&ctx->job_lock);
	if (!se->nr_queued)
		zsv_se_dequeue(s, se);
	spin_unlock_irqrestore(&s->lock, flags);
}

/* Order for water-filling: ascending ceiling per unit of weight. */
static int zsv_sched_cmp_ceiling(const void *a, const void *b)
{
	const struct zsv_sched_entity *x = *(struct zsv_sched_entity * const *)a;
	const struct zsv_sched_entity *y = *(struct zsv_sched_entity * const *)b;
	u64 l = (u64)x->cap_pct * y->weight, r = (u64)y->cap_pct * x->weight;

	return l < r ? -1 : l > r;
}

/* Entities by tenant, then for water-filling within it. */
static int zsv_sched_cmp_tenant(const void *a, const void *b)
{
	const struct zsv_sched_entity *x = *(struct zsv_sched_entity * const *)a;
	const struct zsv_sched_entity *y = *(struct zsv_sched_entity * const *)b;

	if (x->st != y->st)
		return (unsigned long)x->st < (unsigned long)y->st ? -1 : 1;
	return zsv_sched_cmp_ceiling(a, b);
}

static int zsv_sched_cmp_tenant_ceiling(const void *a, const void *b)
{
	const struct zsv_sched_tenant *x = *(struct zsv_sched_tenant * const *)a;
	const struct zsv_sched_tenant *y = *(struct zsv_sched_tenant * const *)b;
	u64 l = x->ceiling_ppm * y->weight, r = y->ceiling_ppm * x->weight;

	return l < r ? -1 : l > r;
}

/*
 * Split @left ppm among @n entities by weight (all 1 when @equal), none
 * above its cap: those whose fair part is above their cap get the cap,
 * the rest is split among the others. @order is sorted by ascending cap
 * per unit of weight, so each entity's part is final when it is reached.
 */
static void zsv_sched_fill(struct zsv_sched_entity **order, u32 n, u64 left,
			   bool equal)
{
	u64 wsum = 0;
	u32 i;

	for (i = 0; i < n; i++)
		wsum += equal ? 1 : order[i]->weight;
	for (i = 0; i < n; i++) {
		struct zsv_sched_entity *se = order[i];
		u32 w = equal ? 1 : se->weight;
		u64 share = div64_u64(left * w, wsum);

		share = min_t(u64, share, se->cap_pct * (ZSV_PPM / 100));
		se->promised_ppm = share;
		left -= share;
		wsum -= w;
	}
}

/*
 * Record each entity's delivered and promised share of the period that
 * lasted @elapsed ns. Under the weighted policy the promise has two
 * levels, as the time is handed out: the tenants with active slices
 * split the pdev by tenant weight, none above the sum of its active
 * slices' caps; then each tenant's part is split among its active slices
 * by slice weight, none above its cap. A slice without a tenant is a
 * tenant of its own, so without tenants this is one water-filling of the
 * slices' weights under their caps. Best-effort splits equally under the
 * caps; fixed promises each slice its fixed share.
 */
static void zsv_sched_shares(struct zsv_sched *s, u64 elapsed)
{
	u64 total = s->nr_engines * elapsed, left = ZSV_PPM, wsum = 0;
	bool be = s->policy == ZSV_POLICY_BEST_EFFORT;
	struct zsv_sched_entity *se;
	struct zsv_sched_tenant *st;
	u32 n = 0, m = 0, i, j;

	if (!total)
		return;
	list_for_each_entry(se, &s->entities, link) {
		u64 cap = se->cap_pct * (ZSV_PPM / 100);

		se->delivered_ppm = min_t(u64, ZSV_PPM,
					  div64_u64(se->period_used_ns * ZSV_PPM,
						    total));
		se->promised_ppm = 0;
		se->st->nr_active = 0;
		if (s->policy == ZSV_POLICY_FIXED) {
			se->promised_ppm = min(cap, div64_u64((u64)se->weight * ZSV_PPM,
							      s->weight_sum));
			continue;
		}
		if (!se->active || WARN_ON_ONCE(n >= s->order_cap))
			continue;
		s->order[n++] = se;
	}
	if (be) {
		zsv_sched_fill(s->order, n, ZSV_PPM, true);
		return;
	}

	/* The tenants of the active slices, with their weights and caps. */
	for (i = 0; i < n; i++) {
		se = s->order[i];
		st = se->st;
		if (!st->nr_active++) {
			st->active_weight = 0;
			st->ceiling_ppm = 0;
			s->torder[m++] = st;
		}
		st->active_weight += se->weight;
		st->ceiling_ppm += se->cap_pct * (ZSV_PPM / 100);
	}
	for (i = 0; i < m; i++) {
		st = s->torder[i];
		st->ceiling_ppm = min_t(u64, st->ceiling_ppm, ZSV_PPM);
		wsum += st->weight;
	}
	sort(s->torder, m, sizeof(*s->torder), zsv_sched_cmp_tenant_ceiling,
	     NULL);
	for (i = 0; i < m; i++) {
		st = s->torder[i];
		st->share_ppm = min(div64_u64(left * st->weight, wsum),
				    st->ceiling_ppm);
		left -= st->share_ppm;
		wsum -= st->weight;
	}

	/* Each tenant's part among its slices. */
	sort(s->order, n, sizeof(*s->order), zsv_sched_cmp_tenant, NULL);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && s->order[j]->st == s->order[i]->st; j++)
			;
		zsv_sched_fill(s->order + i, j - i, s->order[i]->st->share_ppm,
			       false);
	}
}

static void zsv_sched_tick(struct work_struct *work)
{
	unsigned long flags;
	struct zsv_sched *s = container_of(work, struct zsv_sched, tick);
	struct zsv_sched_entity *se, *tmp;
	bool busy = false;
	u64 now;
	u32 i;

	spin_lock_irqsave(&s->lock, flags);
	now = ktime_get_ns();
	for (i = 0; i < s->nr_engines; i++) {
		struct zsv_engine *eng = &s->engine[i];

		if (eng->cur.job)
			zsv_sched_charge(s, eng, zsv_engine_charge_to(eng, now));
	}
	zsv_sched_shares(s, now - s->period_start_ns);
	list_for_each_entry(se, &s->entities, link) {
		u64 limit = zsv_sched_limit(s, se);

		/*
		 * Time used past the allowance (a budget that ended late: a
		 * slow timer, a stalled host) is owed to the next period, up
		 * to a whole allowance, so that over time a cap holds
		 * whatever the backend's latency.
		 */
		if (limit != U64_MAX && se->period_used_ns > limit)
			se->period_used_ns = min(se->period_used_ns - limit,
						 limit);
		else
			se->period_used_ns = 0;
		se->active = se->nr_queued || se->nr_running;
		busy |= se->active;
	}
	list_for_each_entry_safe(se, tmp, &s->throttled, throttle_link)
		zsv_se_unthrottle(s, se, now);
	s->period_start_ns = now;
	if (busy && !s->stopped)
		hrtimer_start(&s->period_timer, ns_to_ktime(s->period_ns),
			      HRTIMER_MODE_REL);
	else
		s->timer_armed = false;
	zsv_sched_dispatch(s);
	spin_unlock_irqrestore(&s->lock, flags);
}

static enum hrtimer_restart zsv_sched_timer(struct hrtimer *timer)
{
	struct zsv_sched *s = container_of(timer, struct zsv_sched,
					   period_timer);

	queue_work(system_highpri_wq, &s->tick);
	return HRTIMER_NORESTART;
}

int zsv_sched_pdev_init(struct zsv_pdev *pdev)
{
	struct zsv_sched *s = &pdev->sched;

	s->engine = kcalloc(pdev->engines, sizeof(*s->engine), GFP_KERNEL);
	if (!s->engine)
		return -ENOMEM;
	spin_lock_init(&s->lock);
	s->runnable = RB_ROOT_CACHED;
	INIT_LIST_HEAD(&s->tenants);
	INIT_LIST_HEAD(&s->throttled);
	INIT_LIST_HEAD(&s->entities);
	s->nr_engines = pdev->engines;
	s->policy = pdev->policy;
	s->timeslice_ns = pdev->timeslice_ns;
	s->period_ns = pdev->period_ns;
	hrtimer_init(&s->period_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	s->period_timer.function = zsv_sched_timer;
	INIT_WORK(&s->tick, zsv_sched_tick);
	init_waitqueue_head(&s->idle_wq);
	return 0;
}

static bool zsv_sched_idle(struct zsv_sched *s)
{
	unsigned long flags;
	bool idle;

	spin_lock_irqsave(&s->lock, flags);
	idle = !s->busy_engines;
	spin_unlock_irqrestore(&s->lock, flags);
	return idle;
}

/**
 * zsv_sched_pdev_stop() - stop a pdev's scheduler for good
 * @pdev: the pdev, whose slices are all deleted (their jobs cancelled)
 *
 * Waits for every engine to come back from the backend, so that the
 * backend may free its engines when zsv_pdev_unregister() returns.
 */
void zsv_sched_pdev_stop(struct zsv_pdev *pdev)
{
	unsigned long flags;
	struct zsv_sched *s = &pdev->sched;

	spin_lock_irqsave(&s->lock, flags);
	s->stopped = true;
	spin_unlock_irqrestore(&s->lock, flags);
	wait_event(s->idle_wq, zsv_sched_idle(s));
	hrtimer_cancel(&s->period_timer);
	cancel_work_sync(&s->tick);
}

void zsv_sched_pdev_free(struct zsv_pdev *pdev)
{
	WARN_ON(!list_empty(&pdev->sched.tenants));
	kvfree(pdev->sched.torder);
	kvfree(pdev->sched.order);
	kfree(pdev->sched.engine);
}

void zsv_sched_pdev_config_locked(struct zsv_pdev *pdev)
{
	unsigned long flags;
	struct zsv_sched *s = &pdev->sched;
	struct zsv_sched_entity *se;

	lockdep_assert_held(&zsv_lock);
	spin_lock_irqsave(&s->lock, flags);
	s->timeslice_ns = pdev->timeslice_ns;
	s->period_ns = pdev->period_ns;
	if (s->policy != pdev->policy) {
		/* The keys mean something else now: rebuild the tree. */
		s->policy = pdev->policy;
		list_for_each_entry(se, &s->entities, link)
			zsv_se_dequeue(s, se);
		list_for_each_entry(se, &s->entities, link) {
			se->st = zsv_se_tenant(s, se);
			zsv_se_wake(s, se);
		}
		zsv_sched_dispatch(s);
	}
	spin_unlock_irqrestore(&s->lock, flags);
}

static void zsv_st_init(struct zsv_sched_tenant *st, u32 weight, u64 vruntime)
{
	RB_CLEAR_NODE(&st->node);
	INIT_LIST_HEAD(&st->link);
	st->runnable = RB_ROOT_CACHED;
	st->weight = weight;
	st->vruntime = vruntime;
}

/**
 * zsv_sched_tenant_get_locked() - a tenant's share of a pdev, for a slice
 * @pdev: the pdev the slice is on
 * @tenant: the slice's tenant, or NULL
 *
 * Finds the pdev's scheduler tenant for @tenant, or makes it, and takes
 * a reference for the slice that is joining it. Give it to
 * zsv_sched_slice_add_locked() or zsv_sched_slice_config_locked(), or
 * back with zsv_sched_tenant_put_locked().
 * Return: the tenant, NULL for a NULL @tenant, or ERR_PTR(-ENOMEM).
 */
struct zsv_sched_tenant *zsv_sched_tenant_get_locked(struct zsv_pdev *pdev,
						     const struct zsv_tenant *tenant)
{
	unsigned long flags;
	struct zsv_sched *s = &pdev->sched;
	struct zsv_sched_tenant *st;

	lockdep_assert_held(&zsv_lock);
	if (!tenant)
		return NULL;
	/* The list changes only under zsv_lock, which is held. */
	list_for_each_entry(st, &s->tenants, link) {
		if (st->tenant_id == tenant->id) {
			st->refs++;
			return st;
		}
	}
	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return ERR_PTR(-ENOMEM);
	spin_lock_irqsave(&s->lock, flags);
	zsv_st_init(st, tenant->weight, s->min_vruntime);
	st->tenant_id = tenant->id;
	st->refs = 1;
	list_add_tail(&st->link, &s->tenants);
	spin_unlock_irqrestore(&s->lock, flags);
	return st;
}

/* Drop a reference zsv_sched_tenant_get_locked() took; NULL is none. */
void zsv_sched_tenant_put_locked(struct zsv_pdev *pdev,
				 struct zsv_sched_tenant *st)
{
	unsigned long flags;
	struct zsv_sched *s = &pdev->sched;
	u32 i;

	lockdep_assert_held(&zsv_lock);
	if (!st || --st->refs)
		return;
	spin_lock_irqsave(&s->lock, flags);
	WARN_ON(st->on_rq);
	list_del(&st->link);
	for (i = 0; i < s->nr_engines; i++) {
		if (s->engine[i].cur.st == st)
			s->engine[i].cur.st = NULL;
		if (s->engine[i].next.st == st)
			s->engine[i].next.st = NULL;
	}
	spin_unlock_irqrestore(&s->lock, flags);
	kfree(st);
}

/**
 * zsv_sched_tenant_weight_locked() - a tenant's weight changed
 * @tenant: the tenant, with its new weight
 *
 * Applies from the next dispatch on every pdev it has slices on.
 */
void zsv_sched_tenant_weight_locked(const struct zsv_tenant *tenant)
{
	unsigned long flags;
	struct zsv_slice *slice;

	lockdep_assert_held(&zsv_lock);
	list_for_each_entry(slice, &tenant->slices_list, tenant_link) {
		struct zsv_sched *s = &slice->pdev->sched;

		spin_lock_irqsave(&s->lock, flags);
		slice->se.shared->weight = tenant->weight;
		spin_unlock_irqrestore(&s->lock, flags);
	}
}

/**
 * zsv_sched_slice_add_locked() - make a new slice known to its scheduler
 * @slice: the slice, with its weight, cap and timeslice set
 * @tenant: the tenant it will be in, or NULL
 *
 * Return: 0 or -ENOMEM, with nothing changed.
 */
int zsv_sched_slice_add_locked(struct zsv_slice *slice,
			       const struct zsv_tenant *tenant)
{
	unsigned long flags;
	struct zsv_sched *s = &slice->pdev->sched;
	struct zsv_sched_entity *se = &slice->se, **order = NULL, **old;
	struct zsv_sched_tenant **torder = NULL, **told, *st;
	u32 cap = 0;

	lockdep_assert_held(&zsv_lock);
	INIT_LIST_HEAD(&se->queue);
	INIT_LIST_HEAD(&se->throttle_link);
	RB_CLEAR_NODE(&se->node);

	/* nr_entities changes only under zsv_lock, so this stays true. */
	if (s->nr_entities + 1 > s->order_cap) {
		cap = max3(s->nr_entities + 1, 2 * s->order_cap, 16U);
		order = kvmalloc_array(cap, sizeof(*order), GFP_KERNEL);
		torder = kvmalloc_array(cap, sizeof(*torder), GFP_KERNEL);
		if (!order || !torder)
			goto err_free;
	}
	st = zsv_sched_tenant_get_locked(slice->pdev, tenant);
	if (IS_ERR(st))
		goto err_free;

	spin_lock_irqsave(&s->lock, flags);
	old = NULL;
	told = NULL;
	if (order) {
		old = s->order;
		told = s->torder;
		s->order = order;
		s->torder = torder;
		s->order_cap = cap;
	}
	se->weight = slice->weight;
	se->cap_pct = slice->cap_pct;
	se->timeslice_ns = slice->timeslice_ns;
	se->vruntime = s->min_vruntime;
	zsv_st_init(&se->own, slice->weight, s->min_vruntime);
	se->shared = st;
	if (st)
		se->vruntime = st->min_vruntime;
	se->st = zsv_se_tenant(s, se);
	list_add_tail(&se->link, &s->entities);
	s->nr_entities++;
	s->weight_sum += se->weight;
	spin_unlock_irqrestore(&s->lock, flags);
	kvfree(old);
	kvfree(told);
	return 0;

err_free:
	kvfree(torder);
	kvfree(order);
	return -ENOMEM;
}

/**
 * zsv_sched_slice_config_locked() - a slice's scheduling changed
 * @slice: the slice, with its new weight, cap and timeslice
 * @moved: it changed tenant
 * @st: when @moved, its new tenant's, from zsv_sched_tenant_get_locked()
 *
 * A slice that moved competes in its new tenant from the next dispatch,
 * without the credit or debt of the old one.
 */
void zsv_sched_slice_config_locked(struct zsv_slice *slice, bool moved,
				   struct zsv_sched_tenant *st)
{
	unsigned long flags;
	struct zsv_sched *s = &slice->pdev->sched;
	struct zsv_sched_entity *se = &slice->se;
	struct zsv_sched_tenant *old = NULL;
	bool queued;

	lockdep_assert_held(&zsv_lock);
	spin_lock_irqsave(&s->lock, flags);
	s->weight_sum = s->weight_sum - se->weight + slice->weight;
	se->weight = slice->weight;
	se->own.weight = slice->weight;
	se->cap_pct = slice->cap_pct;
	se->timeslice_ns = slice->timeslice_ns;
	if (moved) {
		queued = se->on_rq;
		zsv_se_dequeue(s, se);
		old = se->shared;
		se->shared = st;
		se->st = zsv_se_tenant(s, se);
		if (queued)
			zsv_se_wake(s, se);
	}
	spin_unlock_irqrestore(&s->lock, flags);
	zsv_sched_tenant_put_locked(slice->pdev, old);
}

/**
 * zsv_sched_slice_del_locked() - take a deleted slice off its scheduler
 * @slice: the slice, marked dead
 *
 * Its queued jobs fail with -ENODEV (retired from a work item, since
 * retiring takes zsv_lock); its running jobs are told to stop, and fail
 * the same way when their engines come back. Its contexts' waiters are
 * woken to see the slice gone.
 */
void zsv_sched_slice_del_locked(struct zsv_slice *slice)
{
	unsigned long flags;
	struct zsv_sched *s = &slice->pdev->sched;
	struct zsv_sched_entity *se = &slice->se;
	struct zsv_sched_tenant *st;
	struct zsv_job *job;
	struct zsv_ctx *ctx;
	LIST_HEAD(cancelled);
	u32 i;

	lockdep_assert_held(&zsv_lock);
	spin_lock_irqsave(&s->lock, flags);
	se->dead = true;
	zsv_se_dequeue(s, se);
	if (se->throttled)
		zsv_se_unthrottle(s, se, ktime_get_ns());
	list_del(&se->link);
	s->nr_entities--;
	s->weight_sum -= se->weight;
	st = se->shared;
	se->shared = NULL;
	se->st = &se->own;
	list_for_each_entry(job, &se->queue, queue_link) {
		job->exec.error = -ENODEV;
		job->state = ZSV_JOB_FINISHED;
		se->jobs_completed++;
		se->jobs_failed++;
		s->jobs_completed++;
	}
	list_splice_init(&se->queue, &cancelled);
	se->nr_queued = 0;
	for (i = 0; i < s->nr_engines; i++) {
		job = s->engine[i].cur.job;
		if (job && job->se == se)
			WRITE_ONCE(job->exec.cancel, true);
		job = s->engine[i].next.job;
		if (job && job->se == se)
			WRITE_ONCE(job->exec.cancel, true);
	}
	spin_unlock_irqrestore(&s->lock, flags);
	zsv_sched_tenant_put_locked(slice->pdev, st);

	zsv_jobs_retire_later(&cancelled);
	list_for_each_entry(ctx, &slice->contexts, slice_link)
		wake_up_all(&ctx->wq);
}

/*
 * Busy time as a statistic, which only grows: @busy_ns, the time charged
 * plus what the jobs on engines have used up to now (up to their
 * deadlines), unless less than was shown before (*@shown), as it can be
 * when a backend says late that a job ended earlier than that. The time
 * charged catches up within a quantum. Under the scheduler lock.
 */
static u64 zsv_sched_busy_shown(u64 *shown, u64 busy_ns)
{
	*shown = max(*shown, busy_ns);
	return *shown;
}

void zsv_sched_slice_stats(struct zsv_slice *slice,
			   struct zsv_slice_stats *st)
{
	unsigned long flags;
	struct zsv_sched *s = &slice->pdev->sched;
	struct zsv_sched_entity *se = &slice->se;
	u64 now;
	u32 i;

	spin_lock_irqsave(&s->lock, flags);
	now = ktime_get_ns();
	st->busy_ns = se->busy_ns;
	for (i = 0; i < s->nr_engines; i++) {
		struct zsv_engine *eng = &s->engine[i];

		if (eng->cur.job && eng->cur.job->se == se)
			st->busy_ns += zsv_engine_charge_to(eng, now) -
				       eng->charged_ns;
	}
	/* A counter: see zsv_sched_busy_shown(). */
	st->busy_ns = zsv_sched_busy_shown(&se->busy_shown_ns, st->busy_ns);
	st->jobs_submitted = se->jobs_submitted;
	st->jobs_completed = se->jobs_completed;
	st->jobs_failed = se->jobs_failed;
	st->throttled_ns = se->throttled_ns;
	if (se->throttled)
		st->throttled_ns += now - se->throttled_since_ns;
	st->ctx_switches = se->ctx_switches;
	st->promised_ppm = se->promised_ppm;
	st->delivered_ppm = se->delivered_ppm;
	spin_unlock_irqrestore(&s->lock, flags);
}

void zsv_sched_pdev_stats(struct zsv_pdev *pdev, u64 *busy_ns,
			  u64 *jobs_completed)
{
	unsigned long flags;
	struct zsv_sched *s = &pdev->sched;
	u64 now;
	u32 i;

	spin_lock_irqsave(&s->lock, flags);
	now = ktime_get_ns();
	*busy_ns = s->busy_ns;
	for (i = 0; i < s->nr_engines; i++) {
		const struct zsv_engine *eng = &s->engine[i];

		if (eng->cur.job)
			*busy_ns += zsv_engine_charge_to(eng, now) -
				    eng->charged_ns;
	}
	*busy_ns = zsv_sched_busy_shown(&s->busy_shown_ns, *busy_ns);
	*jobs_completed = s->jobs_completed;
	spin_unlock_irqrestore(&s->lock, flags);
}
