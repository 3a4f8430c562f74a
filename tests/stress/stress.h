/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * zsv-stress: shared state of the concurrency stress (see zsv-stress.c).
 */
#ifndef ZSV_STRESS_H
#define ZSV_STRESS_H

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/zsv.h>
#include <netlink/handlers.h>
#include <netlink/netlink.h>

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define MS 1000000ULL
#define SEC 1000000000ULL

/* Slices are named "st-<slot>"; SLOTS bounds how many exist at once. */
#define STRESS_PREFIX "st-"
#define SLOTS 24
/*
 * Tenants: "st-t<n>" are made, changed (limits lowered below their usage
 * too) and deleted all along; "st-f<n>" are made once, with small limits
 * that are never changed, so their usage must never be past them.
 */
#define TENANT_SLOTS 4
/* Groups are named "st-g<slot>", their slices "st-g<slot>-<i>". */
#define GROUP_SLOTS 4
#define FIXED_TENANTS 2
#define FIXED_MEM_MAX (40 * MiB)
#define FIXED_SLICES_MAX 3
#define FIXED_COMPUTE_MAX 300
#define PDEVS_MAX 8
#define CTX_MAX 3 /* open contexts per thread */
#define BO_MAX 6 /* BOs per context */
#define ORPHAN_MAX 16 /* mappings kept past their context's close */
#define FAILS_SHOWN 40

/* What the report counts: one entry per kind of call made to the module. */
enum kind {
	K_SLICE_NEW,
	K_SLICE_SET,
	K_SLICE_DEL,
	K_SLICE_DEL_FORCE,
	K_SLICE_GET,
	K_SLICE_DUMP,
	K_DEV_GET,
	K_DEV_SET,
	K_DEV_DEL,
	K_TENANT_NEW,
	K_TENANT_SET,
	K_TENANT_DEL,
	K_TENANT_DUMP,
	K_GROUP_NEW,
	K_GROUP_DEL,
	K_DEV_NEW,
	K_OPEN,
	K_CLOSE,
	K_INFO,
	K_STATUS_MMAP,
	K_STATUS_READ,
	K_BO_CREATE,
	K_BO_DESTROY,
	K_BO_OFFSET,
	K_BO_MMAP,
	K_TOUCH,
	K_SUBMIT,
	K_WAIT,
	K_POLL,
	K_VERIFY,
	K_CHECK,
	K_RMMOD_SIM,
	K_RMMOD_CORE,
	K_MDEV_CREATE,
	K_MDEV_REMOVE,
	K_VFIO_OPEN,
	K_VFIO_CLOSE,
	K_VFIO_RESET,
	K_RING,
	K_MDEV_ATTR,
	K_MDEV_SLICE_SET,
	K_MDEV_SLICE_DEL,
	K_NR
};

#define ERRNO_SLOTS 160

struct kind_stats {
	uint64_t calls;
	uint64_t ok;
	uint64_t err[ERRNO_SLOTS]; /* expected errors, by errno */
	uint64_t unexpected;
};

struct bo {
	uint32_t handle;
	uint64_t size;
	uint8_t *map; /* whole BO, or NULL */
	bool written; /* a job or a touch may have written it */
};

/* One open file of a slice node. */
struct ctx {
	int fd;
	char slice[ZSV_NAME_MAX + 1];
	uint32_t slice_id;
	const volatile struct zsv_status *status; /* or NULL */
	struct bo bo[BO_MAX];
	int nbo;
	uint64_t last_seq; /* last job submitted */
	uint64_t completed; /* as WAIT last said */
};

struct orphan {
	void *addr;
	size_t len;
};

struct thr {
	int idx;
	pthread_t tid;
	uint64_t rng;
	struct nl_sock *sock;
	int family;
	struct nl_cb *cb;
	char extack[256];
	struct ctx ctx[CTX_MAX];
	int nctx;
	struct orphan orphan[ORPHAN_MAX];
	int norphan;
	struct kind_stats st[K_NR];
};

/* A slice as a dump reports it. */
struct slice_rec {
	char name[ZSV_NAME_MAX + 1];
	char dev[ZSV_NAME_MAX + 1];
	char tenant[ZSV_NAME_MAX + 1]; /* "" for none */
	char group[ZSV_NAME_MAX + 1]; /* "" for none */
	uint64_t mem_bytes, mem_used;
	uint32_t mem_mode, contexts, cap_pct;
	uint64_t jobs_submitted, jobs_completed;
};

/* A pdev as a dump reports it. */
struct dev_rec {
	char name[ZSV_NAME_MAX + 1];
	uint64_t mem_total, mem_reserved, mem_shared, mem_used;
	uint32_t slice_count, oversub_pct, engines;
};

/* A tenant as a dump reports it. */
struct tenant_rec {
	char name[ZSV_NAME_MAX + 1];
	uint64_t mem_max, slices_max, compute_max;
	uint64_t mem, slices, compute;
	uint64_t weight;
};

/* The pdevs this run made (dev-new), which are the only ones it changes. */
struct stress_pdev {
	char name[ZSV_NAME_MAX + 1];
	bool draining; /* no new slices: it is being emptied */
};

struct options {
	double seconds;
	uint64_t ops;
	uint64_t seed;
	int threads;
	int pdevs;
	uint64_t pdev_mem;
	bool try_unload;
	bool verbose;
};

extern struct options opt;
extern volatile sig_atomic_t stop_flag;
extern pthread_mutex_t table_lock;
extern struct stress_pdev pdev[PDEVS_MAX];
/* Held for reading around every call, for writing by a consistency check. */
extern pthread_rwlock_t quiesce;

/* zsv-stress.c */
uint64_t rnd(struct thr *t);
uint64_t rnd_range(struct thr *t, uint64_t lo, uint64_t hi);
int64_t now_ns(void);
void fail(struct thr *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool expect_(struct thr *t, enum kind k, int err, const int *ok);
/* expect(t, kind, err, E1, E2, ..., 0): count a call; err 0 or an Ei is fine. */
#define expect(t, k, err, ...) expect_(t, k, err, (const int[]){ __VA_ARGS__ })
const char *errname(int err);
void pick_pdev(struct thr *t, char *name, bool for_new);

/* control.c: the control plane over generic netlink */
int ctl_open(struct thr *t);
void ctl_close(struct thr *t);
int ctl_slice_new(struct thr *t, const char *name, const char *dev,
		  uint64_t mem, uint32_t mode, uint32_t weight, uint32_t cap,
		  uint64_t timeslice, const char *tenant);
int ctl_slice_del(struct thr *t, const char *name, bool force);
int ctl_dev_new(struct thr *t, uint64_t mem, uint32_t engines, char *name);
int ctl_dev_del(struct thr *t, const char *name);
int ctl_dump_slices(struct thr *t, const char *dev, struct slice_rec *recs,
		    int max, bool *intr);
int ctl_dump_devs(struct thr *t, struct dev_rec *recs, int max, bool *intr);
int ctl_dev_get(struct thr *t, const char *name, struct dev_rec *rec);
void op_slice_new(struct thr *t);
void op_slice_set(struct thr *t);
void op_slice_del(struct thr *t, bool force);
void op_slice_get(struct thr *t);
void op_slice_dump(struct thr *t);
void op_dev_set(struct thr *t);
void op_dev_del(struct thr *t);
void op_drain(struct thr *t);
void op_tenant_new(struct thr *t);
void op_group_new(struct thr *t);
void op_group_del(struct thr *t);
void op_tenant_set(struct thr *t);
void op_tenant_del(struct thr *t);
/* Make the fixed tenants; 0 or a positive errno. */
int tenants_init(struct thr *t);
int pick_slot(struct thr *t);
bool check_consistency(struct thr *t, bool final);
void check_counts(uint64_t *done, uint64_t *skipped);
void final_cleanup(struct thr *t);
void remove_leftovers(struct thr *t);

/* data.c: slice nodes */
void op_open(struct thr *t);
void op_close(struct thr *t);
void op_info(struct thr *t);
void op_status(struct thr *t);
void op_bo_create(struct thr *t);
void op_bo_destroy(struct thr *t);
void op_bo_mmap(struct thr *t);
void op_touch(struct thr *t);
void op_submit(struct thr *t);
void op_wait(struct thr *t);
void op_poll(struct thr *t);
void op_verify(struct thr *t);
void close_all(struct thr *t);
void op_shared(struct thr *t);
void shared_close_all(struct thr *t);
void data_init(void);

/* control.c */
int ctl_slice_set_share(struct thr *t, const char *name, uint32_t weight,
			uint32_t cap);

/* mdev.c: mediated devices of zsv0, when zsv_mdev is loaded */
extern bool mdev_enabled;
void mdev_init(struct thr *t);
void mdev_remove_leftovers(void);
void op_mdev(struct thr *t);
void mdev_final(struct thr *t);

#endif /* ZSV_STRESS_H */
