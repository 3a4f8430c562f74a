/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The interface between the zsv core and the backends that drive physical
 * accelerators. A backend describes each device it drives with
 * zsv_pdev_register() and takes it away with zsv_pdev_unregister(); the core
 * owns naming, the control plane, slices and scheduling.
 */
#ifndef _ZSV_BACKEND_H
#define _ZSV_BACKEND_H

#include <linux/device.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/types.h>

struct zsv_bo;
struct zsv_job_exec;
struct zsv_pdev;
struct zsv_pdev_desc;

/**
 * struct zsv_backend_ops - what the core may ask of a backend
 * @dev_new: make a new pdev as described and register it, and return its
 *	id (zsv_pdev_id(), read while the backend still knows the pdev
 *	exists) or a negative errno; optional, for backends whose devices
 *	exist in software (dev-new)
 * @dev_del: unregister and free a pdev made by @dev_new, or any pdev of
 *	this backend; optional (dev-del). The pdev has no slices.
 *
 * @run: run @exec on engine @engine of @pdev for at most @budget_ns of
 *	engine time, from where it stopped (@exec->cmd and @exec->done), then
 *	call zsv_engine_done(). Required. Called with the pdev's scheduler
 *	lock held and interrupts off, in any context (often from within
 *	zsv_engine_done(), so possibly from the backend's own interrupt
 *	handler): it must not sleep, only start the work (write the job to
 *	the device and ring its doorbell; the sim backend starts a timer or
 *	queues a work item). It must not call zsv_engine_done() itself. The
 *	engine is the core's from the call until zsv_engine_done(); the core
 *	gives a busy engine a second job only through @queue.
 * @queue: queue @exec on engine @engine of @pdev, which runs a job, to run
 *	for at most @budget_ns as soon as that job ends, with no gap between
 *	them (as a device's ring holds its next job), and report the switch
 *	with zsv_engine_done_at(pdev, engine, when the first job ended). From
 *	that call the queued job is the one the engine runs, and the core may
 *	queue another behind it; at most one is queued per engine. If the
 *	engine's job has ended but the backend has not reported it yet, it
 *	starts @exec at once. Optional: without it, an engine gets its next
 *	job only when it is handed back, which leaves it idle for as long as
 *	the hand-back takes. Same context rules as @run.
 *
 * zsv_engine_done() gives an engine back, or with zsv_engine_done_at(),
 * says when its job ended (the job is charged up to then, and the queued
 * job from then). Until then the core counts a running job's time, at
 * period boundaries and in statistics, up to its budget at most: a
 * backend whose engine stops a job when its budget is spent (the sim's
 * do, as a firmware scheduler would) says when, however late it learns
 * of it; one that overran is charged the rest as it hands the engine
 * back. They may be called from any
 * context: hard IRQ (a completion interrupt, an hrtimer), softirq or
 * process context, without the backend holding any lock that run() or
 * queue() takes.
 * It dispatches the engine's next job at once, through @run; finished
 * jobs are retired (BOs unpinned, waiters woken) outside interrupt
 * context: inline when it is called from process context, where it may
 * then sleep (so the caller must not be atomic there), from a work item
 * otherwise, unless it interrupted a SUBMIT dispatching on the same CPU,
 * which then retires them on its way out (a short job submitted that way
 * is retired before SUBMIT returns, without a work item in between).
 *
 * The core calls @dev_new and @dev_del without zsv_lock and holding a
 * reference on the backend's module.
 */
struct zsv_backend_ops {
	int (*dev_new)(const struct zsv_pdev_desc *desc);
	int (*dev_del)(struct zsv_pdev *pdev);
	void (*run)(struct zsv_pdev *pdev, unsigned int engine,
		    struct zsv_job_exec *exec, u64 budget_ns);
	void (*queue)(struct zsv_pdev *pdev, unsigned int engine,
		      struct zsv_job_exec *exec, u64 budget_ns);
};

/**
 * struct zsv_cmd - one command of a job, as a backend runs it
 * @op: enum zsv_op
 * @dst: the BO written, or NULL; pinned for the job's life
 * @src: the BO read, or NULL; pinned for the job's life
 * @dst_offset: see struct zsv_job_cmd; checked against @dst
 * @src_offset: see struct zsv_job_cmd; checked against @src
 * @length: see struct zsv_job_cmd
 * @arg: see struct zsv_job_cmd
 *
 * The core has checked every field: ranges lie inside their BOs, and a
 * backend need not check them again.
 */
struct zsv_cmd {
	u32 op;
	struct zsv_bo *dst;
	struct zsv_bo *src;
	u64 dst_offset;
	u64 src_offset;
	u64 length;
	u64 arg;
};

/**
 * struct zsv_job_exec - a job as its engine sees it
 * @cmds: the commands, in order; immutable
 * @ncmds: how many; immutable
 * @cmd: the next command to run; the backend's while the job runs
 * @done: progress within @cmds[@cmd] (bytes, or nanoseconds of COMPUTE);
 *	the backend's while the job runs
 * @crc: CHECKSUM state between runs; the backend's while the job runs
 * @error: a negative errno that fails the job (its later commands do not
 *	run); set by the backend, or by the core before the job runs
 * @cancel: the job's context or slice is gone: the backend should stop at
 *	its next chance and call zsv_engine_done(); read with READ_ONCE()
 *
 * The job is finished when @cmd reaches @ncmds or @error is set. When it
 * is not, the core runs it again later, on any engine.
 */
struct zsv_job_exec {
	const struct zsv_cmd *cmds;
	u32 ncmds;
	u32 cmd;
	u64 done;
	u32 crc;
	int error;
	bool cancel;
};

/**
 * struct zsv_backend - a driver for one kind of physical accelerator
 * @name: short name shown to users ("sim"); at most ZSV_NAME_MAX bytes
 * @owner: the module implementing the backend (THIS_MODULE)
 * @ops: optional operations
 * @link: in the core's list of backends; the core's
 *
 * One static instance per backend module, registered with
 * zsv_backend_register() before its first pdev and unregistered after
 * its last.
 */
struct zsv_backend {
	const char *name;
	struct module *owner;
	const struct zsv_backend_ops *ops;
	struct list_head link;
};

/**
 * struct zsv_pdev_desc - what a backend tells the core about a new pdev
 * @mem_bytes: device memory that slices may be carved from; nonzero
 * @engines: engines that execute jobs; 1 to ZSV_ENGINES_MAX
 * @parent: the backend's own device, or NULL
 * @priv: backend data, returned by zsv_pdev_priv()
 */
struct zsv_pdev_desc {
	u64 mem_bytes;
	u32 engines;
	struct device *parent;
	void *priv;
};

#define ZSV_ENGINES_MAX		64
#define ZSV_PDEVS_MAX		1024

int zsv_backend_register(struct zsv_backend *backend);
void zsv_backend_unregister(struct zsv_backend *backend);
struct zsv_pdev *zsv_pdev_register(const struct zsv_backend *backend,
				   const struct zsv_pdev_desc *desc);
void zsv_pdev_unregister(struct zsv_pdev *pdev);
void *zsv_pdev_priv(const struct zsv_pdev *pdev);
u32 zsv_pdev_id(const struct zsv_pdev *pdev);
const char *zsv_pdev_name(const struct zsv_pdev *pdev);
void zsv_engine_done(struct zsv_pdev *pdev, unsigned int engine);
void zsv_engine_done_at(struct zsv_pdev *pdev, unsigned int engine,
			u64 end_ns);
struct page *zsv_bo_page(struct zsv_bo *bo, pgoff_t index);
struct page *zsv_bo_peek_page(struct zsv_bo *bo, pgoff_t index);

#endif /* _ZSV_BACKEND_H */
