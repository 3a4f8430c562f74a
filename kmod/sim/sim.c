// SPDX-License-Identifier: GPL-2.0-only
/*
 * DOC: zsv_sim
 *
 * zsv_sim is a software backend for zsv, as vkms is for DRM: it registers
 * pdevs that exist only in memory, so that everything above the backend
 * interface (slices, scheduling, the control and data planes, mdev) can be
 * run and tested on any machine. Its module parameters describe the pdevs
 * created at load time:
 *
 *   devices  number of pdevs (0 to 64, default 1)
 *   mem      memory of each pdev, with K/M/G/T/P/E suffixes (default 16G)
 *   engines  engines of each pdev (1 to 64, default 4)
 *
 * More can be added and removed at run time with dev-new and dev-del
 * (`zsvctl dev add`, `zsvctl dev del`). Memory is never allocated up
 * front, so a sim pdev may be larger than the machine it runs on (but a
 * tenant that touches its memory uses the host's).
 *
 * Each engine runs the jobs the core's scheduler gives it. COMPUTE holds
 * the engine for its time with an hrtimer, without using a CPU, so that
 * contention between slices can be measured on a small machine (a
 * stretch under 10 us ends from an irq_work instead, at once); it is
 * started right from run() and from the timer itself, as a device's
 * interrupt would. FILL, COPY and CHECKSUM do real memory work on the
 * BOs' pages from a work item (they may allocate pages), a page at a
 * time, checking the budget between pages. Time on an engine is the
 * device's own, as with a firmware scheduler: a COMPUTE stretch ends when
 * its time is done, however late its timer fires, and the next one goes
 * on from then; an engine stops a job at its deadline (the quantum the
 * scheduler gave as budget is spent), at the deadline itself or, for
 * memory work, at the next page. A timer or a work item that runs late
 * leaves the engine idle meanwhile, so it adds nothing to the time the
 * job is charged. The engine is handed back with zsv_engine_done_at() and
 * the time the job ended: from the timer (hard IRQ) when the job ends on
 * a COMPUTE, from the work item otherwise.
 *
 * Each engine also holds the job the core queues behind the one it runs,
 * as a device's ring would, and starts it where the first one ended, and
 * the core charges the two jobs on either side of that time.
 */
#include <linux/crc32.h>
#include <linux/ctype.h>
#include <linux/highmem.h>
#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <uapi/linux/zsv.h>

#include "../zsv_backend.h"

#define ZSV_SIM_DEVICES_MAX	64

static unsigned int devices = 1;
module_param(devices, uint, 0444);
MODULE_PARM_DESC(devices, "Number of sim pdevs to create (0-64, default 1)");

static char *mem = "16G";
module_param(mem, charp, 0444);
MODULE_PARM_DESC(mem, "Memory of each sim pdev, e.g. 512M, 16G (default 16G)");

static unsigned int engines = 4;
module_param(engines, uint, 0444);
MODULE_PARM_DESC(engines, "Engines of each sim pdev (1-64, default 4)");

/* Read at each timer start; a test's stand-in for a slow host. */
static unsigned int late_us;
module_param(late_us, uint, 0644);
MODULE_PARM_DESC(late_us, "Fire every COMPUTE timer this many us late, as a slow host would (tests; default 0)");

/**
 * struct zsv_sim_engine - one engine of a sim pdev
 * @pdev: the pdev, as run() gave it
 * @index: the engine's number
 * @exec: the job it runs, from run() to zsv_engine_done()
 * @deadline_ns: when the job's budget runs out
 * @compute_ns: the COMPUTE time the armed @timer stands for, 0 if none
 * @started_ns: when @timer was armed
 * @work: runs the job
 * @timer: ends a COMPUTE stretch
 * @soon: ends a COMPUTE stretch shorter than ZSV_SIM_SHORT_NS
 * @lock: covers @next, @next_budget_ns and @idle, which queue() sets
 *	while the job before runs
 * @next: the job queued behind @exec, or NULL
 * @next_budget_ns: @next's budget
 * @idle: @exec has ended and no job was queued: queue() starts its job
 *	at once
 *
 * The fields belong to whichever of run(), the work item and the timer
 * runs the job at the time: exactly one does, since each hands over to
 * the next (run() starts the timer, queues @soon or queues the work; the
 * work starts the timer and returns; the timer, or @soon, restarts the
 * timer, queues the work or gives the engine back), and the core gives the engine no other job
 * until zsv_engine_done().
 */
struct zsv_sim_engine {
	struct zsv_pdev *pdev;
	unsigned int index;
	struct zsv_job_exec *exec;
	u64 deadline_ns;
	u64 compute_ns;
	u64 started_ns;
	struct work_struct work;
	struct hrtimer timer;
	struct irq_work soon;
	spinlock_t lock; /* @next, @next_budget_ns, @idle */
	struct zsv_job_exec *next;
	u64 next_budget_ns;
	bool idle;
};

/*
 * A COMPUTE stretch this short ends from an irq_work, which runs in hard
 * IRQ as soon as run()'s caller lets interrupts in again, rather than from
 * the timer, whose interrupt comes tens of microseconds late under TCG.
 * The stretch counts as the time the engine was held, as for a late
 * timer, which is at least what it asked for.
 */
#define ZSV_SIM_SHORT_NS	(10 * NSEC_PER_USEC)

/**
 * struct zsv_sim_dev - one simulated accelerator
 * @pdev: its registration with the core
 * @link: in zsv_sim_devs
 * @nr_engines: entries in @engine
 * @engine: its engines
 */
struct zsv_sim_dev {
	struct zsv_pdev *pdev;
	struct list_head link;
	unsigned int nr_engines;
	struct zsv_sim_engine engine[] __counted_by(nr_engines);
};

static struct workqueue_struct *zsv_sim_wq;

/* Every sim pdev; zsv_sim_lock. */
static LIST_HEAD(zsv_sim_devs);
static DEFINE_MUTEX(zsv_sim_lock);

static int zsv_sim_dev_new(const struct zsv_pdev_desc *desc);
static int zsv_sim_dev_del(struct zsv_pdev *pdev);
static void zsv_sim_run(struct zsv_pdev *pdev, unsigned int engine,
			struct zsv_job_exec *exec, u64 budget_ns);
static void zsv_sim_queue(struct zsv_pdev *pdev, unsigned int engine,
			  struct zsv_job_exec *exec, u64 budget_ns);
static void zsv_sim_start(struct zsv_sim_engine *e, struct zsv_job_exec *exec,
			  u64 budget_ns, u64 start_ns);

static const struct zsv_backend_ops zsv_sim_ops = {
	.dev_new = zsv_sim_dev_new,
	.dev_del = zsv_sim_dev_del,
	.run = zsv_sim_run,
	.queue = zsv_sim_queue,
};

static struct zsv_backend zsv_sim_backend = {
	.name = "sim",
	.owner = THIS_MODULE,
	.ops = &zsv_sim_ops,
};

/*
 * Parse a size such as "16G", "512M", "4096" or "1T" (binary units). Unlike
 * memparse() this rejects trailing garbage, zero and overflow.
 */
static int zsv_sim_parse_size(const char *str, u64 *bytes)
{
	static const char suffixes[] = "KMGTPE";
	char digits[24];
	unsigned int shift = 0;
	const char *unit;
	size_t len;
	u64 value;
	int err;

	len = strlen(str);
	if (len && str[len - 1] == '\n')
		len--;
	if (!len || len >= sizeof(digits))
		return -EINVAL;
	memcpy(digits, str, len);
	digits[len] = '\0';

	unit = strchr(suffixes, toupper(digits[len - 1]));
	if (unit) {
		shift = 10 * (unit - suffixes + 1);
		digits[--len] = '\0';
	}

	err = kstrtou64(digits, 10, &value);
	if (err)
		return err;
	if (!value)
		return -EINVAL;
	if (check_shl_overflow(value, shift, bytes))
		return -ERANGE;
	return 0;
}

/*
 * Data commands advance by at most one page of each BO involved; an
 * unbacked source page reads as zeroes without being allocated.
 */
static int zsv_sim_fill_step(const struct zsv_cmd *cmd, u64 done, u64 *len)
{
	u64 off = cmd->dst_offset + done;
	struct page *page;
	void *addr;

	*len = min(cmd->length - done, PAGE_SIZE - offset_in_page(off));
	page = zsv_bo_page(cmd->dst, off >> PAGE_SHIFT);
	if (!page)
		return -ENOMEM;
	addr = kmap_local_page(page);
	/* Offsets and lengths are multiples of 4: whole, aligned words. */
	memset32(addr + offset_in_page(off),
		 (__force u32)cpu_to_le32((u32)cmd->arg), *len / 4);
	kunmap_local(addr);
	return 0;
}

static int zsv_sim_copy_step(const struct zsv_cmd *cmd, u64 done, u64 *len)
{
	u64 soff = cmd->src_offset + done, doff = cmd->dst_offset + done;
	struct page *spage, *dpage;
	void *src, *dst;

	*len = min3(cmd->length - done, PAGE_SIZE - offset_in_page(soff),
		    PAGE_SIZE - offset_in_page(doff));
	dpage = zsv_bo_page(cmd->dst, doff >> PAGE_SHIFT);
	if (!dpage)
		return -ENOMEM;
	spage = zsv_bo_peek_page(cmd->src, soff >> PAGE_SHIFT);
	dst = kmap_local_page(dpage);
	if (spage) {
		src = kmap_local_page(spage);
		memcpy(dst + offset_in_page(doff), src + offset_in_page(soff),
		       *len);
		kunmap_local(src);
	} else {
		memset(dst + offset_in_page(doff), 0, *len);
	}
	kunmap_local(dst);
	return 0;
}

static int zsv_sim_checksum_step(const struct zsv_cmd *cmd,
				 struct zsv_job_exec *exec, u64 *len)
{
	u64 off = cmd->src_offset + exec->done;
	struct page *page;
	__le32 result;
	void *addr;

	if (!exec->done)
		exec->crc = ~0U;
	*len = min(cmd->length - exec->done, PAGE_SIZE - offset_in_page(off));
	page = zsv_bo_peek_page(cmd->src, off >> PAGE_SHIFT);
	addr = kmap_local_page(page ?: ZERO_PAGE(0));
	exec->crc = crc32_le(exec->crc, addr + (page ? offset_in_page(off) : 0),
			     *len);
	kunmap_local(addr);
	if (exec->done + *len < cmd->length)
		return 0;

	/* The last piece: store the result, which never crosses a page. */
	page = zsv_bo_page(cmd->dst, cmd->dst_offset >> PAGE_SHIFT);
	if (!page)
		return -ENOMEM;
	result = cpu_to_le32(~exec->crc);
	addr = kmap_local_page(page);
	memcpy(addr + offset_in_page(cmd->dst_offset), &result, sizeof(result));
	kunmap_local(addr);
	return 0;
}

/* Whether @e's job has a command to run now, within its budget. */
static bool zsv_sim_more(struct zsv_sim_engine *e, u64 now)
{
	struct zsv_job_exec *exec = e->exec;

	return exec->cmd < exec->ncmds && !exec->error &&
	       !READ_ONCE(exec->cancel) && now < e->deadline_ns;
}

/*
 * If @e's job goes on with a COMPUTE from @from (now, or when the job
 * before ended), set the stretch its timer stands for and return true:
 * the caller starts the timer.
 */
static bool zsv_sim_compute(struct zsv_sim_engine *e, u64 from)
{
	struct zsv_job_exec *exec = e->exec;

	if (!zsv_sim_more(e, from) ||
	    exec->cmds[exec->cmd].op != ZSV_OP_COMPUTE)
		return false;
	e->compute_ns = min(exec->cmds[exec->cmd].arg - exec->done,
			    e->deadline_ns - from);
	e->started_ns = from;
	return true;
}

/* When @e's timer fires for its stretch: at its end, or late_us after. */
static ktime_t zsv_sim_expiry(const struct zsv_sim_engine *e)
{
	return ns_to_ktime(e->started_ns + e->compute_ns +
			   READ_ONCE(late_us) * NSEC_PER_USEC);
}

/*
 * Start what stands for @e's COMPUTE stretch of e->compute_ns from
 * e->started_ns (which may be a little in the past).
 */
static void zsv_sim_compute_start(struct zsv_sim_engine *e)
{
	if (e->compute_ns < ZSV_SIM_SHORT_NS)
		irq_work_queue(&e->soon);
	else
		hrtimer_start(&e->timer, zsv_sim_expiry(e),
			      HRTIMER_MODE_ABS_HARD);
}

/*
 * @e's job ended at @end_ns: go on with the job queued behind it, from
 * then, or note that the engine is idle; then tell the core, which may
 * queue another job meanwhile (zsv_sim_queue() keeps it for later, as
 * @e->idle is false while a job runs).
 */
static void zsv_sim_switch(struct zsv_sim_engine *e, u64 end_ns)
{
	struct zsv_job_exec *next;
	unsigned long flags;
	u64 budget;

	spin_lock_irqsave(&e->lock, flags);
	next = e->next;
	budget = e->next_budget_ns;
	e->next = NULL;
	e->idle = !next;
	spin_unlock_irqrestore(&e->lock, flags);
	zsv_engine_done_at(e->pdev, e->index, end_ns);
	if (next)
		zsv_sim_start(e, next, budget, end_ns);
}

static void zsv_sim_engine_work(struct work_struct *work)
{
	struct zsv_sim_engine *e = container_of(work, struct zsv_sim_engine,
						work);
	struct zsv_job_exec *exec = e->exec;

	while (exec->cmd < exec->ncmds && !exec->error &&
	       !READ_ONCE(exec->cancel)) {
		const struct zsv_cmd *cmd = &exec->cmds[exec->cmd];
		u64 now = ktime_get_ns(), len = 0;
		int err = 0;

		if (now >= e->deadline_ns)
			break;
		switch (cmd->op) {
		case ZSV_OP_COMPUTE:
			if (!zsv_sim_compute(e, ktime_get_ns()))
				continue;
			zsv_sim_compute_start(e);
			return;
		case ZSV_OP_FILL:
			err = zsv_sim_fill_step(cmd, exec->done, &len);
			break;
		case ZSV_OP_COPY:
			err = zsv_sim_copy_step(cmd, exec->done, &len);
			break;
		case ZSV_OP_CHECKSUM:
			err = zsv_sim_checksum_step(cmd, exec, &len);
			break;
		default:
			err = -EINVAL;
			break;
		}
		if (err) {
			exec->error = err;
			break;
		}
		exec->done += len;
		if (exec->done >= cmd->length) {
			exec->cmd++;
			exec->done = 0;
		}
		cond_resched();
	}
	/*
	 * The engine stops a job at its deadline, should the work item have
	 * run late. It may get its next job, and this work item be requeued.
	 */
	zsv_sim_switch(e, min(ktime_get_ns(), e->deadline_ns));
}

/*
 * A COMPUTE stretch ended, in hard IRQ context: go on with the next one
 * (return true), hand memory work to the work item, or give the engine
 * back, which may start the next stretch for the engine's next job.
 */
static bool zsv_sim_compute_end(struct zsv_sim_engine *e)
{
	struct zsv_job_exec *exec = e->exec;
	/*
	 * The stretch ended when its time was done, however late the timer
	 * fired: at the end of the command, or at the deadline, where the
	 * engine stopped the job itself. The engine was idle since.
	 */
	u64 end = e->started_ns + e->compute_ns;

	exec->done += e->compute_ns;
	e->compute_ns = 0;
	if (exec->done >= exec->cmds[exec->cmd].arg) {
		exec->cmd++;
		exec->done = 0;
	}
	if (zsv_sim_compute(e, end))
		return true;
	if (zsv_sim_more(e, end))
		queue_work(zsv_sim_wq, &e->work);
	else
		zsv_sim_switch(e, end);
	return false;
}

static enum hrtimer_restart zsv_sim_engine_timer(struct hrtimer *timer)
{
	struct zsv_sim_engine *e = container_of(timer, struct zsv_sim_engine,
						timer);

	if (!zsv_sim_compute_end(e))
		return HRTIMER_NORESTART;
	if (e->compute_ns < ZSV_SIM_SHORT_NS) {
		irq_work_queue(&e->soon);
		return HRTIMER_NORESTART;
	}
	/* From when the last stretch ended, which may be past. */
	hrtimer_set_expires(timer, zsv_sim_expiry(e));
	return HRTIMER_RESTART;
}

static void zsv_sim_engine_soon(struct irq_work *work)
{
	struct zsv_sim_engine *e = container_of(work, struct zsv_sim_engine,
						soon);

	if (zsv_sim_compute_end(e))
		zsv_sim_compute_start(e);
}

/* Run @exec on @e from @start_ns (now, or when the job before ended). */
static void zsv_sim_start(struct zsv_sim_engine *e, struct zsv_job_exec *exec,
			  u64 budget_ns, u64 start_ns)
{
	e->exec = exec;
	e->deadline_ns = start_ns + budget_ns;
	e->compute_ns = 0;
	/* Even if @start_ns is a quantum ago: the timer then fires at once. */
	if (zsv_sim_compute(e, start_ns))
		zsv_sim_compute_start(e);
	else
		queue_work(zsv_sim_wq, &e->work);
}

/*
 * Called under the core's scheduler lock, in any context: only start the
 * work. A COMPUTE starts its timer here, without a work item's delay.
 */
static void zsv_sim_run(struct zsv_pdev *pdev, unsigned int engine,
			struct zsv_job_exec *exec, u64 budget_ns)
{
	struct zsv_sim_dev *sim = zsv_pdev_priv(pdev);
	struct zsv_sim_engine *e = &sim->engine[engine];

	e->pdev = pdev;
	spin_lock(&e->lock);
	e->idle = false;
	spin_unlock(&e->lock);
	zsv_sim_start(e, exec, budget_ns, ktime_get_ns());
}

/*
 * As run(), for the job to run after the engine's current one: kept until
 * that one ends, or started at once if it has. In that last case the core
 * charges it from when the job before ended, a little before it started;
 * and should it end before the core has heard of the job before, the two
 * hand-backs are taken in the other order, so that each job is finished
 * right but the time between the two ends goes to the first.
 */
static void zsv_sim_queue(struct zsv_pdev *pdev, unsigned int engine,
			  struct zsv_job_exec *exec, u64 budget_ns)
{
	struct zsv_sim_dev *sim = zsv_pdev_priv(pdev);
	struct zsv_sim_engine *e = &sim->engine[engine];
	bool idle;

	spin_lock(&e->lock);
	idle = e->idle;
	if (idle) {
		e->idle = false;
	} else {
		e->next = exec;
		e->next_budget_ns = budget_ns;
	}
	spin_unlock(&e->lock);
	if (idle)
		zsv_sim_start(e, exec, budget_ns, ktime_get_ns());
}

/* Return: the new pdev's id, read before anyone can remove it, or -errno. */
static int zsv_sim_dev_new(const struct zsv_pdev_desc *desc)
{
	struct zsv_pdev_desc d = *desc;
	struct zsv_sim_dev *sim;
	struct zsv_pdev *pdev;
	unsigned int i;
	int id;

	if (!desc->engines || desc->engines > ZSV_ENGINES_MAX)
		return -EINVAL;
	sim = kzalloc(struct_size(sim, engine, desc->engines), GFP_KERNEL);
	if (!sim)
		return -ENOMEM;
	sim->nr_engines = desc->engines;
	for (i = 0; i < sim->nr_engines; i++) {
		struct zsv_sim_engine *e = &sim->engine[i];

		e->index = i;
		INIT_WORK(&e->work, zsv_sim_engine_work);
		spin_lock_init(&e->lock);
		hrtimer_init(&e->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
		e->timer.function = zsv_sim_engine_timer;
		e->soon = IRQ_WORK_INIT_HARD(zsv_sim_engine_soon);
	}
	d.priv = sim;

	mutex_lock(&zsv_sim_lock);
	pdev = zsv_pdev_register(&zsv_sim_backend, &d);
	if (IS_ERR(pdev)) {
		mutex_unlock(&zsv_sim_lock);
		kfree(sim);
		return PTR_ERR(pdev);
	}
	sim->pdev = pdev;
	list_add_tail(&sim->link, &zsv_sim_devs);
	id = zsv_pdev_id(pdev);
	mutex_unlock(&zsv_sim_lock);
	return id;
}

static void zsv_sim_dev_free_locked(struct zsv_sim_dev *sim)
{
	unsigned int i;

	lockdep_assert_held(&zsv_sim_lock);
	list_del(&sim->link);
	/* Returns once every engine is back: nothing requeues the work. */
	zsv_pdev_unregister(sim->pdev);
	for (i = 0; i < sim->nr_engines; i++) {
		hrtimer_cancel(&sim->engine[i].timer);
		irq_work_sync(&sim->engine[i].soon);
		cancel_work_sync(&sim->engine[i].work);
	}
	kfree(sim);
}

static int zsv_sim_dev_del(struct zsv_pdev *pdev)
{
	mutex_lock(&zsv_sim_lock);
	zsv_sim_dev_free_locked(zsv_pdev_priv(pdev));
	mutex_unlock(&zsv_sim_lock);
	return 0;
}

static void zsv_sim_remove_all(void)
{
	mutex_lock(&zsv_sim_lock);
	while (!list_empty(&zsv_sim_devs))
		zsv_sim_dev_free_locked(list_first_entry(&zsv_sim_devs,
							 struct zsv_sim_dev,
							 link));
	mutex_unlock(&zsv_sim_lock);
}

static int __init zsv_sim_init(void)
{
	struct zsv_pdev_desc desc = {};
	unsigned int i;
	int err;

	if (devices > ZSV_SIM_DEVICES_MAX) {
		pr_err("devices=%u is out of range (0-%u)\n", devices,
		       ZSV_SIM_DEVICES_MAX);
		return -EINVAL;
	}
	if (!engines || engines > ZSV_ENGINES_MAX) {
		pr_err("engines=%u is out of range (1-%u)\n", engines,
		       ZSV_ENGINES_MAX);
		return -EINVAL;
	}
	err = zsv_sim_parse_size(mem, &desc.mem_bytes);
	if (err) {
		pr_err("mem=%s is not a valid size (a positive number of bytes with an optional K, M, G, T, P or E suffix, below 16E)\n",
		       mem);
		return -EINVAL;
	}
	desc.engines = engines;

	zsv_sim_wq = alloc_workqueue("zsv_sim", WQ_UNBOUND | WQ_HIGHPRI, 0);
	if (!zsv_sim_wq)
		return -ENOMEM;

	err = zsv_backend_register(&zsv_sim_backend);
	if (err) {
		pr_err("cannot register the sim backend: %d\n", err);
		goto err_wq;
	}

	for (i = 0; i < devices; i++) {
		err = zsv_sim_dev_new(&desc);
		if (err < 0) {
			pr_err("cannot register sim device %u: %d\n", i, err);
			goto err_remove;
		}
	}

	pr_info("%u device(s), %llu bytes and %u engines each\n", devices,
		desc.mem_bytes, engines);
	return 0;

err_remove:
	zsv_sim_remove_all();
	zsv_backend_unregister(&zsv_sim_backend);
err_wq:
	destroy_workqueue(zsv_sim_wq);
	return err;
}

/* The module cannot unload while slices exist: each holds a reference. */
static void __exit zsv_sim_exit(void)
{
	zsv_backend_unregister(&zsv_sim_backend);
	zsv_sim_remove_all();
	destroy_workqueue(zsv_sim_wq);
}

module_init(zsv_sim_init);
module_exit(zsv_sim_exit);
MODULE_DESCRIPTION("zsv_sim: software backend for zsv");
MODULE_LICENSE("GPL");
