// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-stress - a bounded concurrency stress of the zsv module.
 *
 * Usage: zsv-stress [--seconds N | --ops N] [--seed N] [--threads N]
 *                   [--pdevs N] [--pdev-mem BYTES] [--try-unload] [-v]
 *
 * It adds --pdevs sim pdevs with dev-new and, for the given time or number
 * of calls, has --threads threads at once carve, resize and destroy slices
 * named "st-<n>" on them (with and without force), open and close
 * contexts, create, map, touch and destroy BOs, submit FILL, COPY,
 * COMPUTE (at most 2 ms) and CHECKSUM jobs, WAIT with deadlines of at most
 * 5 ms, poll(), change the pdevs' policy, timeslice, period and
 * oversubscription, attempt dev-del on pdevs that have slices, and now and
 * then drain a pdev (force-delete its slices under their open contexts,
 * running jobs and live mappings), remove it with dev-del and dev-new
 * another. Besides each thread's own contexts, two contexts are used by
 * every thread at once, so that calls also race inside one context. With
 * --try-unload, one more thread tries to unload zsv_sim and zsv all along.
 * Slices are made in, moved between and taken out of tenants: "st-t<n>",
 * which threads make, delete and change the limits of (below the usage
 * too) all along, and "st-f<n>", made at the start with small limits that
 * never change, which the consistency checks hold them to: racing
 * admissions never overcommit a tenant, and each tenant's usage is the
 * sum over its slices.
 * It never touches slices or pdevs it did not make.
 *
 * Every call's result is checked against the errnos the ABI allows for it
 * in the situations this stress creates; anything else is a failure:
 *
 *   slice-new        EEXIST, ENOSPC, ENODEV (pdev removed or going),
 *                    ENOENT (its tenant deleted), EDQUOT (tenant limits)
 *   slice-set        ENOENT, EBUSY (shrink below use), ENOSPC (growth),
 *                    EDQUOT (growth or a move past a tenant's limits)
 *   tenant-new       EEXIST          tenant-set  ENOENT
 *   tenant-del       ENOENT, EBUSY (it has slices)
 *   slice-del        ENOENT, EBUSY (contexts open; not with force)
 *   slice-get        ENOENT          slice/dev dumps  none
 *   dev-set          ENODEV, EBUSY (oversubscription below quotas)
 *   dev-del          ENODEV, EBUSY (slices, or being removed)
 *   dev-new          none
 *   open             ENOENT (no node), ENODEV (slice went meanwhile)
 *   INFO, status mmap, BO_CREATE, BO_DESTROY, BO_MMAP_OFFSET, mmap,
 *   SUBMIT, WAIT     ENODEV (slice destroyed), and:
 *     BO_CREATE      EDQUOT, ENOMEM (shared pool)
 *     SUBMIT         EAGAIN (in-flight limit)
 *     WAIT           ETIME
 *     BO_DESTROY, BO_MMAP_OFFSET, SUBMIT: ENOENT, and mmap of a BO: EINVAL,
 *                    only when INFO then says the slice is destroyed
 *   poll, close, munmap, touching a mapping: no error, no SIGBUS
 *   on a shared context, another thread's BO_DESTROY also explains ENOENT
 *   (BO_DESTROY, BO_MMAP_OFFSET, SUBMIT), EINVAL (mmap) and SIGBUS on a
 *   mapping (counted as EFAULT)
 *   delete_module  EWOULDBLOCK (zsv_sim in use; zsv used by zsv_sim)
 *
 * Beyond errnos: a new BO reads zeroes; a word written through a mapping
 * reads back; a job's FILL and CHECKSUM show in the mapping once WAIT
 * says it retired; seqnos follow each other; INFO and the status page
 * name the context's own slice and never show more used than its size;
 * poll() reports EPOLLERR only for a destroyed slice; jobs fail only
 * ENOMEM or ENODEV. Every 2 s, with the other threads held off, the pdevs'
 * reserved bytes, shared quotas and slice counts must equal what their
 * slices add up to. At the end every job must retire, every byte come
 * back, every slice go without force and every pdev of the run with
 * dev-del.
 *
 * Prints the calls made per kind with their expected errors, and exits
 * 0 when nothing failed, 1 when something did, 77 when zsv is not loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "stress.h"

struct options opt = {
	.seconds = 10,
	.seed = 1,
	.threads = 6,
	.pdevs = 2,
	.pdev_mem = 64 * MiB,
};
volatile sig_atomic_t stop_flag;
pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
struct stress_pdev pdev[PDEVS_MAX];
pthread_rwlock_t quiesce;

static uint64_t ops_started;
static int failures;
static pthread_mutex_t fail_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const kind_names[K_NR] = {
	[K_SLICE_NEW] = "slice-new",
	[K_SLICE_SET] = "slice-set",
	[K_SLICE_DEL] = "slice-del",
	[K_SLICE_DEL_FORCE] = "slice-del force",
	[K_SLICE_GET] = "slice-get",
	[K_SLICE_DUMP] = "slice-get dump",
	[K_DEV_GET] = "dev-get",
	[K_DEV_SET] = "dev-set",
	[K_DEV_DEL] = "dev-del",
	[K_TENANT_NEW] = "tenant-new",
	[K_TENANT_SET] = "tenant-set",
	[K_TENANT_DEL] = "tenant-del",
	[K_TENANT_DUMP] = "tenant-get dump",
	[K_GROUP_NEW] = "group-new",
	[K_GROUP_DEL] = "group-del",
	[K_DEV_NEW] = "dev-new",
	[K_OPEN] = "open",
	[K_CLOSE] = "close",
	[K_INFO] = "INFO",
	[K_STATUS_MMAP] = "status mmap",
	[K_STATUS_READ] = "status read",
	[K_BO_CREATE] = "BO_CREATE",
	[K_BO_DESTROY] = "BO_DESTROY",
	[K_BO_OFFSET] = "BO_MMAP_OFFSET",
	[K_BO_MMAP] = "BO mmap",
	[K_TOUCH] = "BO touch",
	[K_SUBMIT] = "SUBMIT",
	[K_WAIT] = "WAIT",
	[K_POLL] = "poll",
	[K_VERIFY] = "job verify",
	[K_CHECK] = "consistency check",
	[K_RMMOD_SIM] = "rmmod zsv_sim",
	[K_RMMOD_CORE] = "rmmod zsv",
	[K_MDEV_CREATE] = "mdev create",
	[K_MDEV_REMOVE] = "mdev remove",
	[K_VFIO_OPEN] = "VFIO open",
	[K_VFIO_CLOSE] = "VFIO close",
	[K_VFIO_RESET] = "VFIO RESET",
	[K_RING] = "ring jobs",
	[K_MDEV_ATTR] = "mdev attr write",
	[K_MDEV_SLICE_SET] = "mdev slice-set",
	[K_MDEV_SLICE_DEL] = "mdev slice-del force",
};

/* --- helpers ------------------------------------------------------------- */

uint64_t rnd(struct thr *t)
{
	/* xorshift64* */
	t->rng ^= t->rng >> 12;
	t->rng ^= t->rng << 25;
	t->rng ^= t->rng >> 27;
	return t->rng * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [lo, hi]. */
uint64_t rnd_range(struct thr *t, uint64_t lo, uint64_t hi)
{
	return hi <= lo ? lo : lo + rnd(t) % (hi - lo + 1);
}

int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * (int64_t)SEC + ts.tv_nsec;
}

const char *errname(int err)
{
	static __thread char buf[16];
	const char *name = err ? strerrorname_np(err) : "0";

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

void fail(struct thr *t, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&fail_lock);
	if (++failures <= FAILS_SHOWN) {
		fprintf(stderr, "FAIL [thread %d]: ", t ? t->idx : -1);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	pthread_mutex_unlock(&fail_lock);
}

bool expect_(struct thr *t, enum kind k, int err, const int *ok)
{
	struct kind_stats *st = &t->st[k];

	st->calls++;
	if (!err) {
		st->ok++;
		return true;
	}
	for (; *ok; ok++) {
		if (*ok == err) {
			if (err < ERRNO_SLOTS)
				st->err[err]++;
			return true;
		}
	}
	st->unexpected++;
	fail(t, "%s: unexpected %s%s%s", kind_names[k], errname(err),
	     t->extack[0] && k <= K_DEV_NEW ? ": " : "",
	     k <= K_DEV_NEW ? t->extack : "");
	return false;
}

/* A pdev of this run (none being drained, @for_new), or "" if none. */
void pick_pdev(struct thr *t, char *name, bool for_new)
{
	int i0 = rnd(t) % opt.pdevs;

	name[0] = '\0';
	pthread_mutex_lock(&table_lock);
	for (int i = 0; i < opt.pdevs; i++) {
		struct stress_pdev *p = &pdev[(i0 + i) % opt.pdevs];

		if (p->name[0] && !(for_new && p->draining)) {
			snprintf(name, ZSV_NAME_MAX + 1, "%s", p->name);
			break;
		}
	}
	pthread_mutex_unlock(&table_lock);
}

/* --- the threads --------------------------------------------------------- */

struct op {
	void (*fn)(struct thr *t);
	int weight;
};

static void op_slice_del_plain(struct thr *t)
{
	op_slice_del(t, false);
}

static void op_slice_del_force(struct thr *t)
{
	op_slice_del(t, true);
}

/* Relative frequencies of the operations. */
static const struct op ops[] = {
	{ op_slice_new, 50 },
	{ op_slice_set, 40 },
	{ op_slice_del_plain, 15 },
	{ op_slice_del_force, 12 },
	{ op_slice_get, 8 },
	{ op_slice_dump, 3 },
	{ op_dev_set, 12 },
	{ op_dev_del, 4 },
	{ op_drain, 2 },
	{ op_tenant_new, 6 },
	{ op_tenant_set, 10 },
	{ op_tenant_del, 5 },
	{ op_group_new, 6 },
	{ op_group_del, 5 },
	{ op_open, 50 },
	{ op_close, 30 },
	{ op_info, 25 },
	{ op_status, 20 },
	{ op_bo_create, 80 },
	{ op_bo_destroy, 40 },
	{ op_bo_mmap, 50 },
	{ op_touch, 60 },
	{ op_submit, 120 },
	{ op_wait, 100 },
	{ op_poll, 30 },
	{ op_verify, 15 },
	{ op_shared, 120 },
	{ op_mdev, 60 }, /* nothing without zsv_mdev */
};

static int weight_sum;

static void *thread_main(void *arg)
{
	struct thr *t = arg;
	int64_t next_check = now_ns() + 2 * SEC;

	while (!stop_flag) {
		int w;
		size_t i;

		if (opt.ops && __atomic_fetch_add(&ops_started, 1,
						  __ATOMIC_RELAXED) >= opt.ops)
			break;
		w = rnd(t) % weight_sum;
		for (i = 0; w >= ops[i].weight; i++)
			w -= ops[i].weight;
		pthread_rwlock_rdlock(&quiesce);
		ops[i].fn(t);
		pthread_rwlock_unlock(&quiesce);
		if (t->idx == 0 && now_ns() >= next_check) {
			check_consistency(t, false);
			next_check = now_ns() + 2 * SEC;
		}
	}
	close_all(t);
	return NULL;
}

/*
 * --try-unload: try to unload both modules all along, as rmmod(8) does.
 * Something that outlives the run must pin zsv_sim (a slice of its own),
 * so every attempt must fail EWOULDBLOCK: zsv_sim is in use, and zsv is
 * used by zsv_sim. One that succeeds ends the run.
 */
static void *unloader_main(void *arg)
{
	static const char *const modules[] = { "zsv_sim", "zsv" };
	struct thr *t = arg;

	while (!stop_flag) {
		for (int i = 0; i < 2; i++) {
			int err = syscall(SYS_delete_module, modules[i],
					  O_NONBLOCK) ?
					  errno :
					  0;

			if (!expect(t, i ? K_RMMOD_CORE : K_RMMOD_SIM, err,
				    EWOULDBLOCK, 0) ||
			    !err) {
				fail(t, "rmmod %s during the stress: %s",
				     modules[i], errname(err));
				stop_flag = 1;
			}
		}
		nanosleep(&(struct timespec){ 0, 2 * 1000000L }, NULL);
	}
	return NULL;
}

/* --- main ------------------------------------------------------------------- */

static void on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: zsv-stress [--seconds N | --ops N] [--seed N] [--threads N]\n"
		"                  [--pdevs N] [--pdev-mem BYTES]\n"
		"                  [--try-unload] [-v]\n"
		"  --seconds N    run for N seconds (default 10)\n"
		"  --ops N        stop after N operations instead\n"
		"  --seed N       random seed (default 1)\n"
		"  --threads N    threads at once (1-64, default 6)\n"
		"  --pdevs N      sim pdevs to add and stress (1-%d, default 2)\n"
		"  --pdev-mem B   memory of each, in bytes (default 64 MiB)\n"
		"  --try-unload   also try to unload zsv_sim and zsv all along (each\n"
		"                 attempt must fail: keep a slice of your own open)\n"
		"  -v             say what happens to pdevs\n"
		"SIGINT or SIGTERM end the run early, with the usual checks.\n",
		PDEVS_MAX);
}

static void parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "ops", required_argument, NULL, 'o' },
		{ "seed", required_argument, NULL, 'r' },
		{ "threads", required_argument, NULL, 't' },
		{ "pdevs", required_argument, NULL, 'p' },
		{ "pdev-mem", required_argument, NULL, 'm' },
		{ "try-unload", no_argument, NULL, 'u' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		errno = 0;
		switch (c) {
		case 's':
			opt.seconds = strtod(optarg, &end);
			if (*end || opt.seconds <= 0)
				goto bad;
			break;
		case 'o':
			opt.ops = strtoull(optarg, &end, 0);
			if (*end || !opt.ops)
				goto bad;
			opt.seconds = 0;
			break;
		case 'r':
			opt.seed = strtoull(optarg, &end, 10);
			if (*end || errno)
				goto bad;
			break;
		case 't':
			opt.threads = strtol(optarg, &end, 0);
			if (*end || opt.threads < 1 || opt.threads > 64)
				goto bad;
			break;
		case 'p':
			opt.pdevs = strtol(optarg, &end, 0);
			if (*end || opt.pdevs < 1 || opt.pdevs > PDEVS_MAX)
				goto bad;
			break;
		case 'm':
			opt.pdev_mem = strtoull(optarg, &end, 0);
			if (*end || opt.pdev_mem < 16 * MiB)
				goto bad;
			break;
		case 'u':
			opt.try_unload = true;
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (optind == argc)
		return;
bad:
	fprintf(stderr, "zsv-stress: bad argument '%s'\n",
		optind < argc ? argv[optind] : optarg);
	usage(stderr);
	exit(2);
}

static void report(struct thr *threads, struct thr *main_thr, double secs)
{
	struct kind_stats sum[K_NR] = {};
	uint64_t calls = 0, unexpected = 0, checks, skipped;

	for (int i = 0; i <= opt.threads + 1; i++) {
		struct thr *t = i <= opt.threads ? &threads[i] : main_thr;

		for (int k = 0; k < K_NR; k++) {
			sum[k].calls += t->st[k].calls;
			sum[k].ok += t->st[k].ok;
			sum[k].unexpected += t->st[k].unexpected;
			for (int e = 0; e < ERRNO_SLOTS; e++)
				sum[k].err[e] += t->st[k].err[e];
		}
	}
	printf("%-18s %9s %9s  %s\n", "kind", "calls", "ok", "expected errors");
	for (int k = 0; k < K_NR; k++) {
		calls += sum[k].calls;
		unexpected += sum[k].unexpected;
		if (!sum[k].calls && k >= K_RMMOD_SIM)
			continue; /* no --try-unload */
		printf("%-18s %9llu %9llu ", kind_names[k],
		       (unsigned long long)sum[k].calls,
		       (unsigned long long)sum[k].ok);
		for (int e = 0; e < ERRNO_SLOTS; e++)
			if (sum[k].err[e])
				printf(" %s %llu", errname(e),
				       (unsigned long long)sum[k].err[e]);
		if (sum[k].unexpected)
			printf("  UNEXPECTED %llu",
			       (unsigned long long)sum[k].unexpected);
		putchar('\n');
	}
	check_counts(&checks, &skipped);
	printf("stress operations: %llu calls in %.1f s (%.0f/s) by %d threads on %d pdevs, seed %llu\n",
	       (unsigned long long)calls, secs, calls / secs, opt.threads,
	       opt.pdevs, (unsigned long long)opt.seed);
	printf("consistency checks: %llu made, %llu skipped (dump interrupted)\n",
	       (unsigned long long)checks, (unsigned long long)skipped);
	printf("unexpected errors: %llu; failures: %d\n",
	       (unsigned long long)unexpected, failures);
}

int main(int argc, char **argv)
{
	struct thr *threads, main_thr = { .idx = -1 };
	struct sigaction sa = { .sa_handler = on_stop };
	pthread_rwlockattr_t rwa;
	int64_t start, deadline;
	double secs;
	int err;

	parse_args(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		weight_sum += ops[i].weight;
	data_init();
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Writers first: a consistency check must not wait forever. */
	pthread_rwlockattr_init(&rwa);
	pthread_rwlockattr_setkind_np(
		&rwa, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&quiesce, &rwa);

	main_thr.rng = opt.seed * 0x9e3779b97f4a7c15ULL + 1;
	err = ctl_open(&main_thr);
	if (err == -ENOENT) {
		printf("zsv-stress: the zsv netlink family is not there (module not loaded?)\n");
		return 77;
	}
	if (err) {
		fprintf(stderr, "zsv-stress: cannot open generic netlink: %s\n",
			errname(-err));
		return 1;
	}
	mdev_remove_leftovers();
	remove_leftovers(&main_thr);
	err = tenants_init(&main_thr);
	if (err) {
		fprintf(stderr, "zsv-stress: tenant-new: %s (%s)\n",
			errname(err), main_thr.extack);
		return 1;
	}
	mdev_init(&main_thr);
	for (int i = 0; i < opt.pdevs; i++) {
		err = ctl_dev_new(&main_thr, opt.pdev_mem, 2 + i % 3,
				  pdev[i].name);
		if (!expect(&main_thr, K_DEV_NEW, err, 0)) {
			fprintf(stderr, "zsv-stress: dev-new: %s (%s)\n",
				errname(err), main_thr.extack);
			return 1;
		}
	}
	printf("zsv-stress: seed %llu, %d threads, pdevs",
	       (unsigned long long)opt.seed, opt.threads);
	for (int i = 0; i < opt.pdevs; i++)
		printf(" %s", pdev[i].name);
	if (opt.ops)
		printf(", %llu operations\n", (unsigned long long)opt.ops);
	else
		printf(", %.1f s\n", opt.seconds);

	/* The workers, and one more for --try-unload. */
	threads = calloc(opt.threads + 1, sizeof(*threads));
	start = now_ns();
	deadline = opt.seconds ? start + (int64_t)(opt.seconds * SEC) : 0;
	for (int i = 0; i < opt.threads; i++) {
		struct thr *t = &threads[i];

		t->idx = i;
		t->rng = (opt.seed + i + 1) * 0x9e3779b97f4a7c15ULL | 1;
		if (ctl_open(t)) {
			fprintf(stderr, "zsv-stress: cannot open netlink\n");
			return 1;
		}
		if (pthread_create(&t->tid, NULL, thread_main, t)) {
			fprintf(stderr, "zsv-stress: cannot start threads\n");
			return 1;
		}
	}
	threads[opt.threads].idx = opt.threads;
	if (opt.try_unload &&
	    pthread_create(&threads[opt.threads].tid, NULL, unloader_main,
			   &threads[opt.threads])) {
		fprintf(stderr, "zsv-stress: cannot start threads\n");
		return 1;
	}
	while (!stop_flag) {
		struct timespec ts = { 0, 50 * 1000000L };

		if (deadline && now_ns() >= deadline)
			break;
		if (opt.ops &&
		    __atomic_load_n(&ops_started, __ATOMIC_RELAXED) >= opt.ops)
			break;
		nanosleep(&ts, NULL);
	}
	stop_flag = 1;
	for (int i = 0; i < opt.threads; i++)
		pthread_join(threads[i].tid, NULL);
	if (opt.try_unload)
		pthread_join(threads[opt.threads].tid, NULL);
	secs = (now_ns() - start) / 1e9;
	shared_close_all(&main_thr);

	mdev_final(&main_thr);
	final_cleanup(&main_thr);
	report(threads, &main_thr, secs);
	for (int i = 0; i < opt.threads; i++)
		ctl_close(&threads[i]);
	ctl_close(&main_thr);
	free(threads);
	return failures ? 1 : 0;
}
