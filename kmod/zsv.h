/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal interfaces of the zsv core (zsv.ko).
 */
#ifndef _ZSV_H
#define _ZSV_H

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/hrtimer.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/rbtree.h>
#include <linux/rhashtable-types.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <uapi/linux/zsv.h>

#include "zsv_backend.h"

/*
 * Limits of the registries. Slice ids are also device minors, handed out
 * cyclically from ZSV_SLICE_MINORS so that a destroyed slice's device
 * number comes back only after about a million creations: a container
 * that kept the old number in its own node and its devices cgroup must
 * not reach the next tenant's slice. ZSV_SLICES_MAX bounds live slices.
 */
#define ZSV_SLICE_MINORS		BIT(MINORBITS)
#define ZSV_SLICES_MAX			65536
#define ZSV_SLICES_PER_PDEV_MAX		4096

/* Scheduling defaults of a new pdev (DESIGN.md section 1). */
#define ZSV_TIMESLICE_DEFAULT_NS	(2 * NSEC_PER_MSEC)
#define ZSV_PERIOD_DEFAULT_NS		(100 * NSEC_PER_MSEC)

/*
 * A BO's mmap offset is its handle shifted left by ZSV_BO_OFFSET_SHIFT
 * bits, so each BO has ZSV_BO_SIZE_MAX bytes of offsets to itself and
 * offset 0 stays the status page's. Handles stay below 2^23 so that every
 * offset is a positive off_t.
 */
#define ZSV_BO_OFFSET_SHIFT		40
#define ZSV_BO_PGOFF_SHIFT		(ZSV_BO_OFFSET_SHIFT - PAGE_SHIFT)
#define ZSV_BO_HANDLE_MAX		((1U << (63 - ZSV_BO_OFFSET_SHIFT)) - 1)

/*
 * zsv_lock serialises every change to the object model (the pdev registry
 * and each pdev's configuration) and every reader that needs a consistent
 * view of it (netlink replies, sysfs). It is never held across a call that
 * waits for sysfs readers (device_del()), since those readers take it.
 *
 * It also covers memory accounting: a BO is charged to its slice and pdev
 * (and published in its context) under zsv_lock, and uncharged under it,
 * so that admission sees every byte in use and no race between contexts
 * or slices can overshoot a quota or the shared pool.
 *
 * Lock order: zsv_lock and mmap_lock each come before a context's bo_sem
 * and a slice's revoke_sem; the two semaphores never nest in each other,
 * and neither is held across user memory access or while taking zsv_lock.
 */
struct netlink_ext_ack;
struct poll_table_struct;

extern struct mutex zsv_lock;

/**
 * struct zsv_engine_slot - a job given to an engine, with its quantum
 * @job: the job, or NULL
 * @budget_ns: how long @job may run this time
 * @vcharge: virtual time charged to the slice in advance, at dispatch
 * @tvcharge: virtual time charged to @st in advance, at dispatch
 * @st: the tenant @tvcharge was charged to; compared, never followed
 *	(cleared when that tenant is freed)
 */
struct zsv_engine_slot {
	struct zsv_job *job;
	u64 budget_ns;
	u64 vcharge;
	u64 tvcharge;
	const struct zsv_sched_tenant *st;
};

/**
 * struct zsv_engine - the scheduler's view of one engine of a pdev
 * @cur: the job it runs; @cur.job is NULL when idle
 * @next: the job queued behind @cur, which the engine starts as soon as
 *	@cur's ends (backends with a queue() operation only); @next.job is
 *	NULL when none, always when @cur.job is
 * @dispatched_ns: when @cur's job started
 * @charged_ns: up to when @cur's job's time has been charged to its slice
 * @last_slice: id + 1 of the slice it last ran or queued, 0 for none
 */
struct zsv_engine {
	struct zsv_engine_slot cur;
	struct zsv_engine_slot next;
	u64 dispatched_ns;
	u64 charged_ns;
	u32 last_slice;
};

/**
 * struct zsv_sched_tenant - a tenant as one pdev's scheduler sees it
 * @node: in the scheduler's runnable tree, when @on_rq
 * @link: in the scheduler's tenants list (a shared one only)
 * @runnable: its entities with queued jobs that may run now, by vruntime
 * @key: the scheduler tree's order: @vruntime, or a round-robin ticket
 * @vruntime: engine time its slices used, scaled by
 *	ZSV_WEIGHT_DEFAULT / @weight
 * @min_vruntime: never decreases; its newly busy entities start here
 * @weight: the tenant's weight; a slice's own tenant has the slice's
 * @tenant_id: the tenant's id (a shared one only)
 * @refs: slices of the pdev in the tenant (a shared one only); zsv_lock
 * @on_rq: in the scheduler's runnable tree
 * @nr_active: scratch for the share computation: its active entities
 * @active_weight: see @nr_active: their weights, summed
 * @ceiling_ppm: see @nr_active: their caps, summed, at most all
 * @share_ppm: see @nr_active: the tenant's promised share
 *
 * The scheduler's lock covers all but @refs. A shared one is made when
 * the first slice of its tenant joins the pdev and freed when the last
 * leaves it; every slice also has one of its own, embedded in its
 * entity, used when it has no tenant or the policy is not weighted.
 */
struct zsv_sched_tenant {
	struct rb_node node;
	struct list_head link;
	struct rb_root_cached runnable;
	u64 key;
	u64 vruntime;
	u64 min_vruntime;
	u32 weight;
	u32 tenant_id;
	u32 refs;
	bool on_rq;
	u32 nr_active;
	u64 active_weight;
	u64 ceiling_ppm;
	u64 share_ppm;
};

/**
 * struct zsv_sched - the scheduler of one pdev (sched.c)
 * @lock: protects everything here and every entity of the pdev's slices;
 *	taken with bottom halves off. Nests outside a context's job lock
 * @runnable: tenants with entities that may run now, by key
 * @tenants: the shared tenants of the pdev's slices, by
 *	zsv_sched_tenant.link
 * @throttled: entities with queued jobs held back until the next period
 * @entities: every slice of the pdev, by zsv_sched_entity.link
 * @nr_entities: entries in @entities
 * @order: scratch for the period's share computation, @order_cap entries
 * @torder: likewise, for tenants
 * @order_cap: see @order; grown under zsv_lock before an entity is added
 * @min_vruntime: never decreases; newly busy tenants start here
 * @ticket: round-robin order of best-effort entities
 * @weight_sum: weights of all entities (policy fixed)
 * @policy: enum zsv_policy, copied from the pdev
 * @timeslice_ns: copied from the pdev
 * @period_ns: copied from the pdev
 * @nr_engines: of @engine
 * @busy_engines: engines running a job
 * @queued_engines: engines with a job queued behind the one they run
 * @stopped: the pdev is going away; no job starts any more
 * @timer_armed: @period_timer will fire
 * @period_start_ns: when the current period began
 * @busy_ns: engine time charged, all engines, since registration
 * @busy_shown_ns: the most busy time zsv_sched_pdev_stats() reported
 * @jobs_completed: jobs retired by the pdev
 * @period_timer: ends each period while there is work; queues @tick
 * @tick: does the period's accounting, in process context
 * @idle_wq: woken when the last busy engine goes idle
 * @engine: per engine
 */
struct zsv_sched {
	spinlock_t lock; /* see above */
	struct rb_root_cached runnable;
	struct list_head tenants;
	struct list_head throttled;
	struct list_head entities;
	u32 nr_entities;
	struct zsv_sched_entity **order;
	struct zsv_sched_tenant **torder;
	u32 order_cap;
	u64 min_vruntime;
	u64 ticket;
	u64 weight_sum;
	enum zsv_policy policy;
	u64 timeslice_ns;
	u64 period_ns;
	u32 nr_engines;
	u32 busy_engines;
	u32 queued_engines;
	bool stopped;
	bool timer_armed;
	u64 period_start_ns;
	u64 busy_ns;
	u64 busy_shown_ns;
	u64 jobs_completed;
	struct hrtimer period_timer;
	struct work_struct tick;
	wait_queue_head_t idle_wq;
	struct zsv_engine *engine;
};

/**
 * struct zsv_sched_entity - a slice as its pdev's scheduler sees it
 * @node: in its tenant's runnable tree, when @on_rq
 * @link: in the scheduler's entities list, until the slice is deleted
 * @throttle_link: in the scheduler's throttled list, when @throttled
 * @st: the tenant it is scheduled in: @shared under the weighted policy,
 *	else @own
 * @shared: its tenant's on this pdev, or NULL for a slice without one
 * @own: the tenant of its own
 * @vruntime: engine time used, scaled by ZSV_WEIGHT_DEFAULT / @weight
 * @queue: jobs waiting for an engine, oldest first
 * @nr_queued: entries in @queue
 * @nr_running: jobs of the slice on engines
 * @on_rq: in the runnable tree
 * @throttled: out of engine time until the next period
 * @dead: the slice is deleted; nothing is queued or dispatched any more
 * @active: had work at some time in the current period
 * @weight: copied from the slice
 * @cap_pct: copied from the slice
 * @timeslice_ns: copied from the slice (0: the pdev's)
 * @period_used_ns: engine time charged in the current period
 * @reserved_ns: budgets of the slice's jobs on engines, not yet charged
 * @throttled_since_ns: when @throttled was set
 * @busy_ns: engine time charged, in all
 * @busy_shown_ns: the most busy time zsv_sched_slice_stats() reported
 * @jobs_submitted: statistics, see ZSV_A_SLICE_*
 * @jobs_completed: see @jobs_submitted
 * @jobs_failed: see @jobs_submitted
 * @throttled_ns: see @jobs_submitted
 * @ctx_switches: see @jobs_submitted
 * @promised_ppm: entitled share of the last period, millionths
 * @delivered_ppm: used share of the last period, millionths
 *
 * All under the scheduler's lock.
 */
struct zsv_sched_entity {
	struct rb_node node;
	struct list_head link;
	struct list_head throttle_link;
	struct zsv_sched_tenant *st;
	struct zsv_sched_tenant *shared;
	struct zsv_sched_tenant own;
	u64 vruntime;
	struct list_head queue;
	u32 nr_queued;
	u32 nr_running;
	bool on_rq;
	bool throttled;
	bool dead;
	bool active;
	u32 weight;
	u32 cap_pct;
	u64 timeslice_ns;
	u64 period_used_ns;
	u64 reserved_ns;
	u64 throttled_since_ns;
	u64 busy_ns;
	u64 busy_shown_ns;
	u64 jobs_submitted;
	u64 jobs_completed;
	u64 jobs_failed;
	u64 throttled_ns;
	u64 ctx_switches;
	u32 promised_ppm;
	u32 delivered_ppm;
};

/**
 * struct zsv_pdev - one physical accelerator under zsv
 * @dev: the pdev's device in class "zsv"; its refcount is the pdev's
 * @id: registry index, also the number in the name ("zsv<id>")
 * @backend: the driver; immutable
 * @priv: backend data; immutable
 * @mem_total_bytes: device memory; immutable
 * @engines: engine count; immutable
 * @mem_reserved_bytes: carved by reserved slices; zsv_lock
 * @mem_used_bytes: charged to live buffers, of all slices; zsv_lock
 * @mem_shared_used_bytes: the part of @mem_used_bytes charged to shared
 *	slices' buffers, never more than the shared pool (@mem_total_bytes
 *	less @mem_reserved_bytes); zsv_lock
 * @policy: enum zsv_policy; zsv_lock
 * @timeslice_ns: scheduling quantum; zsv_lock
 * @period_ns: accounting period; zsv_lock
 * @slice_count: slices carved from this pdev; zsv_lock
 * @mem_shared_bytes: sum of the quotas of shared slices; zsv_lock
 * @oversub_pct: shared pool oversubscription in percent; zsv_lock
 * @slices: the pdev's slices, by zsv_slice.pdev_link; zsv_lock
 * @removing: dev-del is taking the pdev away, no new slices; zsv_lock
 * @gone: zsv_pdev_unregister() has begun; set under zsv_lock before
 *	ZSV_EVENT_DEV_REMOVING is sent
 * @sched: the scheduler of its engines; see there
 * @group_taken: a slice of the group being made is on it, so group-new
 *	places no other one there; set and cleared within one hold of
 *	zsv_lock by zsv_group_new_locked()
 */
struct zsv_pdev {
	struct device dev;
	u32 id;
	const struct zsv_backend *backend;
	void *priv;
	u64 mem_total_bytes;
	u32 engines;

	u64 mem_reserved_bytes;
	u64 mem_used_bytes;
	u64 mem_shared_used_bytes;
	enum zsv_policy policy;
	u64 timeslice_ns;
	u64 period_ns;
	u32 slice_count;
	u64 mem_shared_bytes;
	u32 oversub_pct;
	struct list_head slices;
	bool removing;
	bool gone;
	struct zsv_sched sched;
	bool group_taken;
};

/**
 * struct zsv_tenant - who pays: limits across every pdev (tenant.c)
 * @id: registry index
 * @name: NUL-padded, the key of the name hash
 * @hash_node: link in the name hash
 * @mem_max: most bytes its slices' partitions may sum to
 * @slices_max: most slices it may have
 * @compute_max: most cap_pct x engines its slices may sum to
 * @mem: bytes of its slices' partitions
 * @slices: its slices
 * @compute: its slices' cap_pct x engines, summed
 * @quota_hits: admissions refused by its limits
 * @weight: its share of a pdev against the other tenants (weighted policy)
 * @slices_list: its slices, by zsv_slice.tenant_link
 *
 * All under zsv_lock. A limit of ZSV_LIMIT_NONE is no limit.
 */
struct zsv_tenant {
	u32 id;
	char name[ZSV_NAME_MAX + 1];
	struct rhash_head hash_node;
	u64 mem_max;
	u64 slices_max;
	u64 compute_max;
	u64 mem;
	u64 slices;
	u64 compute;
	u64 quota_hits;
	u32 weight;
	struct list_head slices_list;
};

/**
 * struct zsv_tenant_config - what tenant-new and tenant-set ask for
 * @set: which fields are given, as a mask of BIT_ULL(ZSV_A_TENANT_*)
 */
struct zsv_tenant_config {
	u64 set;
	char name[ZSV_NAME_MAX + 1];
	u64 mem_max;
	u64 slices_max;
	u64 compute_max;
	u32 weight;
};

/**
 * struct zsv_slice - a virtual accelerator carved from a pdev
 * @ref: held by the registry (until slice-del) and by each open context
 * @id: registry index, also the minor of its device node
 * @name: NUL-padded, so that it is the key of the name hash as it stands
 * @hash_node: link in the name hash; zsv_lock
 * @pdev: the pdev it is carved from; holds a reference to it
 * @pdev_link: link in pdev->slices; zsv_lock
 * @node: its device in class zsv_slice, which makes /dev/zsv/<name>;
 *	replaced when the owner or mode changes; zsv_lock
 * @mem_bytes: size of the memory partition; zsv_lock
 * @mem_mode: enum zsv_mem_mode; immutable
 * @mem_used_bytes: bytes charged to live buffers (page-rounded sizes),
 *	never more than @mem_bytes; zsv_lock
 * @mem_peak_bytes: the most @mem_used_bytes has been; zsv_lock
 * @quota_hits: buffer creations refused EDQUOT; zsv_lock
 * @weight: share of engine time under contention; zsv_lock
 * @cap_pct: ceiling on engine time per period; zsv_lock
 * @timeslice_ns: quantum override, 0 for the pdev's; zsv_lock
 * @uid: owner of the device node; zsv_lock
 * @gid: group of the device node; zsv_lock
 * @node_mode: permission bits of the device node; zsv_lock
 * @nr_contexts: open files of the device node; zsv_lock
 * @contexts: the open contexts, by zsv_ctx.slice_link; zsv_lock
 * @status_page: the page behind struct zsv_status; written under zsv_lock
 * @inode: gives every context's file one address space, so that
 *	destruction can zap every mapping of the slice at once
 * @revoke_sem: status-page faults hold it for reading; forced deletion
 *	sets @dead holding it for writing, then zaps every mapping, so no
 *	fault maps the status page after deletion (BO faults are ordered by
 *	their context's bo_sem instead). It nests inside zsv_lock and
 *	mmap_lock: nothing may take zsv_lock, touch user memory or wait for
 *	long while holding it.
 * @dead: the slice was destroyed; its contexts answer -ENODEV. Written
 *	under zsv_lock and revoke_sem, read with READ_ONCE() elsewhere
 * @mediated: a VFIO mediated device of zsv_mdev; immutable
 * @vfio_open: a VFIO user holds the mediated device; zsv_lock
 * @client: data of the in-kernel client that made the slice (zsv_mdev);
 *	immutable
 * @dummy_page: what BO mappings show once the slice is dead, so that the
 *	tenant is not killed; allocated at the first such fault, set once
 * @tenant: the tenant it counts against, or NULL; zsv_lock
 * @tenant_link: in @tenant->slices_list; zsv_lock
 * @group: the group it was made in, "" for none; immutable
 * @unannounced: made by group-new, which sends no event for it until the
 *	whole group is made; a slice undone before that goes without an
 *	event either; zsv_lock
 * @se: the slice in its pdev's scheduler; see there
 */
struct zsv_slice {
	struct kref ref;
	u32 id;
	char name[ZSV_NAME_MAX + 1];
	struct rhash_head hash_node;
	struct zsv_pdev *pdev;
	struct list_head pdev_link;
	struct device *node;

	u64 mem_bytes;
	enum zsv_mem_mode mem_mode;
	u64 mem_used_bytes;
	u64 mem_peak_bytes;
	u64 quota_hits;
	u32 weight;
	u32 cap_pct;
	u64 timeslice_ns;
	kuid_t uid;
	kgid_t gid;
	umode_t node_mode;
	u32 nr_contexts;
	struct list_head contexts;

	struct page *status_page;
	struct inode *inode;
	struct rw_semaphore revoke_sem;
	bool dead;
	bool mediated;
	bool vfio_open;
	void *client;
	struct page *dummy_page;
	struct zsv_tenant *tenant;
	struct list_head tenant_link;
	char group[ZSV_NAME_MAX + 1];
	bool unannounced;
	struct zsv_sched_entity se;
};

/**
 * struct zsv_ctx - one open file of a slice node
 * @ref: held by the file and by each job not yet freed
 * @slice: the slice; a reference
 * @slice_link: in slice->contexts; zsv_lock
 * @bos: the context's BOs by handle, from 1. Entries are added under
 *	zsv_lock (with the charge, so that forced deletion finds every
 *	charged BO) and removed under @bo_sem held for writing
 * @bo_sem: a fault on a BO mapping holds it for reading while it checks
 *	that the BO is not revoked and maps a page; revoking a BO holds it
 *	for writing, so no fault maps the BO's pages once its mappings are
 *	zapped. Nests inside zsv_lock; see there.
 * @job_lock: protects the fields below; nests inside the scheduler's lock
 * @jobs: submitted jobs not yet retired, by zsv_job.ctx_link, in
 *	sequence order
 * @nr_jobs: entries in @jobs
 * @last_seqno: of the last job submitted
 * @completed_seqno: every job up to this one has retired
 * @seen_seqno: @completed_seqno as WAIT last reported it (poll())
 * @error_seqno: the latest job that failed, or 0
 * @error: its errno, negative
 * @closed: the file is released; jobs cannot be submitted
 * @wq: WAIT and poll() sleep here; woken as jobs retire and when the
 *	slice is destroyed
 * @retired: for a context of an in-kernel client (zsv_ctx_open()): called
 *	with @job_lock held, in process context, each time
 *	@completed_seqno moves; it must not sleep. Cleared under @job_lock
 * @client: the in-kernel client's data, for @retired
 */
struct zsv_ctx {
	struct kref ref;
	struct zsv_slice *slice;
	struct list_head slice_link;
	struct xarray bos;
	struct rw_semaphore bo_sem;

	spinlock_t job_lock; /* see above */
	struct list_head jobs;
	u32 nr_jobs;
	u64 last_seqno;
	u64 completed_seqno;
	u64 seen_seqno;
	u64 error_seqno;
	int error;
	bool closed;
	wait_queue_head_t wq;
	void (*retired)(struct zsv_ctx *ctx);
	void *client;
};

enum zsv_job_state {
	ZSV_JOB_QUEUED,
	ZSV_JOB_RUNNING,
	ZSV_JOB_FINISHED,
};

/**
 * struct zsv_job - a submitted job (job.c, sched.c)
 * @exec: what the engine runs; see there
 * @ctx: the context that submitted it; a reference
 * @se: its slice's scheduling entity (the slice is held through @ctx)
 * @queue_link: in @se->queue while queued; on a retire list once finished
 * @ctx_link: in @ctx->jobs until freed
 * @free_link: on a list of jobs to free
 * @seqno: in @ctx; immutable
 * @state: enum zsv_job_state; the scheduler's lock
 * @retired: finished and counted; @ctx->job_lock
 * @cmds: the commands, with their BOs pinned
 */
struct zsv_job {
	struct zsv_job_exec exec;
	struct zsv_ctx *ctx;
	struct zsv_sched_entity *se;
	struct list_head queue_link;
	struct list_head ctx_link;
	struct list_head free_link;
	u64 seqno;
	enum zsv_job_state state;
	bool retired;
	struct zsv_cmd cmds[];
};

/**
 * struct zsv_bo - a buffer object: device memory of a slice
 * @ref: keeps the struct; held by the pins (together, as one), by each
 *	mapping and by lookups
 * @pins: keep the backing; held by the handle and by anything that uses
 *	the pages (zsv_bo_page()) without the owning context's bo_sem. The
 *	last unpin frees the pages and returns the bytes to the partition
 * @slice: whose partition the bytes are charged to; a reference
 * @size_bytes: page-rounded; immutable
 * @handle: in the owning context; immutable once published
 * @pages: the backing, by page index; a page is allocated, zeroed, at its
 *	first touch and freed with the last pin
 * @revoked: the handle is gone and the mappings zapped or about to be;
 *	written under the owning context's bo_sem held for writing
 * @revoke_link: on a list of BOs revoked together (forced deletion)
 */
struct zsv_bo {
	struct kref ref;
	refcount_t pins;
	struct zsv_slice *slice;
	u64 size_bytes;
	u32 handle;
	struct xarray pages;
	bool revoked;
	struct list_head revoke_link;
};

/**
 * struct zsv_dev_config - what dev-set asks for
 * @set: which fields are given, as a mask of BIT_ULL(ZSV_A_DEV_*)
 */
struct zsv_dev_config {
	u64 set;
	enum zsv_policy policy;
	u64 timeslice_ns;
	u64 period_ns;
	u32 oversub_pct;
};

/**
 * struct zsv_slice_config - what slice-new and slice-set ask for
 * @set: which fields are given, as a mask of BIT_ULL(ZSV_A_SLICE_*)
 * @tenant: the tenant's name, "" for none (BIT_ULL(ZSV_A_SLICE_TENANT))
 * @group: group-new's: the group of the slice, "" for none
 * @unannounced: group-new's: send no ZSV_EVENT_SLICE_NEW yet
 */
struct zsv_slice_config {
	u64 set;
	char name[ZSV_NAME_MAX + 1];
	u64 mem_bytes;
	enum zsv_mem_mode mem_mode;
	u32 weight;
	u32 cap_pct;
	u64 timeslice_ns;
	kuid_t uid;
	kgid_t gid;
	umode_t node_mode;
	bool mediated;
	void *client;
	char tenant[ZSV_NAME_MAX + 1];
	char group[ZSV_NAME_MAX + 1];
	bool unannounced;
};

static inline struct zsv_pdev *to_zsv_pdev(const struct device *dev)
{
	return container_of(dev, struct zsv_pdev, dev);
}

extern struct class zsv_class;
extern struct class zsv_slice_class;

int zsv_pdev_init(void);
void zsv_pdev_exit(void);
struct zsv_pdev *zsv_pdev_find_locked(u32 id);
struct zsv_pdev *zsv_pdev_find_by_name_locked(const char *name);
struct zsv_pdev *zsv_pdev_next_locked(unsigned long *index);
const char *zsv_policy_name(enum zsv_policy policy);
int zsv_pdev_set_locked(struct zsv_pdev *pdev, const struct zsv_dev_config *cfg,
			struct netlink_ext_ack *extack);
int zsv_pdev_new(const char *backend, u64 mem_bytes, u32 engines,
		 struct netlink_ext_ack *extack);
int zsv_pdev_del_locked(struct zsv_pdev *pdev, struct netlink_ext_ack *extack);

bool zsv_name_valid(const char *name);
int zsv_slice_init(void);
void zsv_slice_exit(void);
u32 zsv_slice_engine_headroom_locked(struct zsv_pdev *pdev);
struct zsv_pdev *zsv_slice_place_locked(const struct zsv_slice_config *cfg,
					enum zsv_placement how,
					const char *backend,
					struct netlink_ext_ack *extack);
struct zsv_slice *zsv_slice_new_locked(struct zsv_pdev *pdev,
				       const struct zsv_slice_config *cfg,
				       struct netlink_ext_ack *extack);
int zsv_slice_set_locked(struct zsv_slice *slice,
			 const struct zsv_slice_config *cfg,
			 struct netlink_ext_ack *extack);
int zsv_slice_del_locked(struct zsv_slice *slice, bool force,
			 struct netlink_ext_ack *extack);
int zsv_group_new_locked(const struct zsv_slice_config *tmpl,
			 const char *group, u32 count, bool distinct,
			 enum zsv_placement how, const char *backend,
			 struct netlink_ext_ack *extack);
int zsv_group_del_locked(const char *group, bool force,
			 struct netlink_ext_ack *extack);
struct zsv_slice *zsv_slice_find_locked(u32 id);
struct zsv_slice *zsv_slice_find_by_name_locked(const char *name);
struct zsv_slice *zsv_slice_next_locked(unsigned long *index);
void zsv_slice_attach_ctx_locked(struct zsv_slice *slice, struct zsv_ctx *ctx);
struct zsv_slice *zsv_slice_get_by_minor(unsigned int minor,
					 struct zsv_ctx *ctx);
void zsv_slice_put(struct zsv_slice *slice);

int zsv_tenant_init(void);
void zsv_tenant_exit(void);
struct zsv_tenant *zsv_tenant_find_locked(u32 id);
struct zsv_tenant *zsv_tenant_find_by_name_locked(const char *name);
struct zsv_tenant *zsv_tenant_next_locked(unsigned long *index);
struct zsv_tenant *zsv_tenant_resolve_locked(const char *name,
					     struct netlink_ext_ack *extack);
struct zsv_tenant *zsv_tenant_new_locked(const struct zsv_tenant_config *cfg,
					 struct netlink_ext_ack *extack);
int zsv_tenant_set_locked(struct zsv_tenant *tenant,
			  const struct zsv_tenant_config *cfg,
			  struct netlink_ext_ack *extack);
int zsv_tenant_del_locked(struct zsv_tenant *tenant,
			  struct netlink_ext_ack *extack);
u64 zsv_slice_compute(const struct zsv_pdev *pdev, u32 cap_pct);
int zsv_tenant_admit_locked(struct zsv_tenant *tenant, u64 mem, u64 slices,
			    u64 compute, struct netlink_ext_ack *extack);
void zsv_tenant_attach_locked(struct zsv_slice *slice,
			      struct zsv_tenant *tenant);
void zsv_tenant_detach_locked(struct zsv_slice *slice);
void zsv_tenant_usage_locked(struct zsv_tenant *tenant, u64 *mem_used,
			     u64 *busy_ns);

int zsv_cdev_init(void);
void zsv_cdev_exit(void);
void zsv_slice_info_locked(const struct zsv_slice *slice,
			   struct zsv_info *info);
void zsv_slice_status_update_locked(struct zsv_slice *slice);
void zsv_pdev_status_update_locked(struct zsv_pdev *pdev);
struct inode *zsv_fs_inode_new(void);
void zsv_fs_inode_put(struct inode *inode);
void zsv_slice_revoke_mappings(struct zsv_slice *slice);
int zsv_slice_node_add_locked(struct zsv_slice *slice);
int zsv_slice_node_replace_locked(struct zsv_slice *slice, kuid_t old_uid,
				  kgid_t old_gid, umode_t old_mode);
bool zsv_slice_status_read(const struct zsv_slice *slice,
			   struct zsv_info *info);
u64 zsv_mem_pct(u64 bytes, u32 pct);
void zsv_slice_node_del_locked(struct zsv_slice *slice);
int zsv_fmt_bytes(char *buf, size_t len, u64 bytes);
u64 zsv_mem_headroom_locked(struct zsv_pdev *pdev, enum zsv_mem_mode mode);
int zsv_mem_admit_locked(struct zsv_pdev *pdev, enum zsv_mem_mode mode,
			 u64 old_bytes, u64 new_bytes,
			 struct netlink_ext_ack *extack);
void zsv_mem_account_locked(struct zsv_pdev *pdev, enum zsv_mem_mode mode,
			    u64 old_bytes, u64 new_bytes);
int zsv_mem_charge_locked(struct zsv_slice *slice, u64 bytes);
void zsv_mem_uncharge_locked(struct zsv_slice *slice, u64 bytes);

struct zsv_bo *zsv_bo_create(struct zsv_ctx *ctx, u64 size_bytes);
int zsv_bo_destroy(struct zsv_ctx *ctx, u32 handle, struct zsv_bo *expect);
struct zsv_bo *zsv_bo_lookup(struct zsv_ctx *ctx, u32 handle);
void zsv_bo_put(struct zsv_bo *bo);
struct zsv_bo *zsv_bo_pin_handle(struct zsv_ctx *ctx, u32 handle);
void zsv_bo_unpin(struct zsv_bo *bo);
int zsv_bo_mmap(struct zsv_ctx *ctx, struct vm_area_struct *vma);
void zsv_ctx_destroy_bos(struct zsv_ctx *ctx);
void zsv_slice_revoke_bos_locked(struct zsv_slice *slice,
				 struct list_head *revoked);
void zsv_bos_unpin_locked(struct list_head *revoked);

static inline u64 zsv_bo_offset(u32 handle)
{
	return (u64)handle << ZSV_BO_OFFSET_SHIFT;
}

int zsv_sched_pdev_init(struct zsv_pdev *pdev);
void zsv_sched_pdev_stop(struct zsv_pdev *pdev);
void zsv_sched_pdev_free(struct zsv_pdev *pdev);
void zsv_sched_pdev_config_locked(struct zsv_pdev *pdev);
struct zsv_sched_tenant *zsv_sched_tenant_get_locked(struct zsv_pdev *pdev,
						     const struct zsv_tenant *tenant);
void zsv_sched_tenant_put_locked(struct zsv_pdev *pdev,
				 struct zsv_sched_tenant *st);
void zsv_sched_tenant_weight_locked(const struct zsv_tenant *tenant);
int zsv_sched_slice_add_locked(struct zsv_slice *slice,
			       const struct zsv_tenant *tenant);
void zsv_sched_slice_config_locked(struct zsv_slice *slice,
				   bool moved, struct zsv_sched_tenant *st);
void zsv_sched_slice_del_locked(struct zsv_slice *slice);
int zsv_sched_submit(struct zsv_job *job, u64 *seqno);
void zsv_sched_cancel_ctx(struct zsv_ctx *ctx, struct list_head *cancelled);

/**
 * struct zsv_slice_stats - a slice's scheduling statistics
 */
struct zsv_slice_stats {
	u64 busy_ns;
	u64 jobs_submitted;
	u64 jobs_completed;
	u64 jobs_failed;
	u64 throttled_ns;
	u64 ctx_switches;
	u32 promised_ppm;
	u32 delivered_ppm;
};

void zsv_sched_slice_stats(struct zsv_slice *slice,
			   struct zsv_slice_stats *stats);
void zsv_sched_pdev_stats(struct zsv_pdev *pdev, u64 *busy_ns,
			  u64 *jobs_completed);

void zsv_ctx_put(struct zsv_ctx *ctx);
long zsv_ioctl_submit(struct zsv_ctx *ctx, void __user *uarg,
		      unsigned int usize);
long zsv_ioctl_wait(struct zsv_ctx *ctx, void __user *uarg,
		    unsigned int usize);
__poll_t zsv_ctx_poll(struct zsv_ctx *ctx, struct file *file,
		      struct poll_table_struct *wait);
void zsv_jobs_retire(struct list_head *jobs);
void zsv_jobs_retire_later(struct list_head *jobs);
void zsv_ctx_cancel_jobs(struct zsv_ctx *ctx);
void zsv_job_exit(void);

int zsv_netlink_init(void);
void zsv_netlink_exit(void);

/**
 * enum zsv_event - what the core tells its subscribers (event.c)
 * @ZSV_EVENT_DEV_NEW: a pdev was registered (struct zsv_pdev)
 * @ZSV_EVENT_DEV_SET: a pdev's settings changed
 * @ZSV_EVENT_DEV_DEL: a pdev left the registry (its last state)
 * @ZSV_EVENT_SLICE_NEW: a slice was made (struct zsv_slice)
 * @ZSV_EVENT_SLICE_SET: a slice's settings or state changed
 * @ZSV_EVENT_SLICE_DEL: a slice was destroyed (its last state); its
 *	contexts are revoked
 * @ZSV_EVENT_DEV_ADDED: a pdev is ready for clients (struct zsv_pdev)
 * @ZSV_EVENT_DEV_REMOVING: a pdev is about to go; once subscribers
 *	return, its remaining slices are destroyed with force
 * @ZSV_EVENT_TENANT_NEW: a tenant was made (struct zsv_tenant)
 * @ZSV_EVENT_TENANT_SET: a tenant's limits changed
 * @ZSV_EVENT_TENANT_DEL: a tenant was deleted (its last state)
 *
 * The _NEW, _SET and _DEL events (of every object) are sent with zsv_lock held: a
 * subscriber sees the object model as the change left it and must not
 * sleep for long or take zsv_lock. _ADDED and _REMOVING are sent without
 * it, from the thread that registers or unregisters the pdev, which holds
 * a reference; a subscriber may sleep and take zsv_lock.
 */
enum zsv_event {
	ZSV_EVENT_DEV_NEW,
	ZSV_EVENT_DEV_SET,
	ZSV_EVENT_DEV_DEL,
	ZSV_EVENT_SLICE_NEW,
	ZSV_EVENT_SLICE_SET,
	ZSV_EVENT_SLICE_DEL,
	ZSV_EVENT_DEV_ADDED,
	ZSV_EVENT_DEV_REMOVING,
	ZSV_EVENT_TENANT_NEW,
	ZSV_EVENT_TENANT_SET,
	ZSV_EVENT_TENANT_DEL,
};

struct notifier_block;
void zsv_event_init(void);
void zsv_event_exit(void);
int zsv_notifier_register(struct notifier_block *nb);
void zsv_notifier_unregister(struct notifier_block *nb);
void zsv_event_locked(enum zsv_event event, void *object);
void zsv_event_unlocked(enum zsv_event event, void *object);

/* In-kernel clients of slices (zsv_mdev). */
struct zsv_ctx *zsv_ctx_open(struct zsv_slice *slice);
void zsv_ctx_close(struct zsv_ctx *ctx);
void zsv_ctx_quiesce(struct zsv_ctx *ctx);
int zsv_job_submit(struct zsv_ctx *ctx, const struct zsv_job_cmd *cmds,
		   u32 count, u64 *seqno);
u32 zsv_mem_reserved_fit_locked(struct zsv_pdev *pdev, u64 bytes);
void zsv_slice_vfio_open_locked(struct zsv_slice *slice, bool open);
vm_fault_t zsv_bo_fault_page(struct zsv_ctx *ctx, struct zsv_bo *bo,
			     struct vm_area_struct *vma, unsigned long address,
			     pgoff_t index);

#endif /* _ZSV_H */
