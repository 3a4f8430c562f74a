// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-fuzz - a bounded, seeded, reproducible random fuzzer of zsv's
 * control plane (generic netlink, nlfuzz.c) and data plane (slice node
 * ioctls, mmap and poll, iofuzz.c), run in the test VM against the real
 * module:
 *
 *   zsv-fuzz [--seed N] [--iterations N] [--unprivileged] [--uid N]
 *            [--max-seconds N] [-v]
 *
 * As root (the default) it mixes malformed and well-formed-but-wrong
 * requests with data-plane calls on contexts of its own slices, checking
 * every answer against the uapi and its model of the objects, and the
 * admission sums every few hundred iterations (model.c). It then closes
 * everything, deletes what it made, puts back the pdev settings it
 * changed, and checks that nothing of its own is left and the pdevs use
 * no more memory than before.
 *
 * With --unprivileged, root makes a few fz-u* slices (some the
 * unprivileged user may open), dumps everything, and forks a child that
 * drops to --uid (default 65534) with no capabilities. The child fuzzes
 * the same way, on its own netlink socket and on one root opened: every
 * change must fail EPERM. Once it has exited, the dump must be what it
 * was (counters aside).
 *
 * Prints one summary line ("... N fuzz iterations ...") with counts per
 * category; exit status 0, 1 when an invariant broke, 2 when the run
 * could not be set up. Each failure names the seed and the iteration;
 * -v logs every call, to follow a failure up.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

struct fz_run run = { .seed = 1,
		      .iterations = 1000,
		      .uid = 65534,
		      .gid = 65534 };
struct nl nl_main;
static unsigned long max_seconds;
/* Percent of the root phase's iterations that go to the VFIO target. */
#define MD_PCT 10

const char *const cat_names[__CAT_MAX] = {
	[CAT_NETLINK] = "netlink",
	[CAT_NL_FRAMING] = "netlink-framing",
	[CAT_OPEN] = "open",
	[CAT_CLOSE] = "close",
	[CAT_INFO] = "info",
	[CAT_BO_CREATE] = "bo-create",
	[CAT_BO_DESTROY] = "bo-destroy",
	[CAT_BO_OFFSET] = "bo-mmap-offset",
	[CAT_SUBMIT] = "submit",
	[CAT_WAIT] = "wait",
	[CAT_POLL] = "poll",
	[CAT_MMAP] = "mmap",
	[CAT_TOUCH] = "touch",
	[CAT_VMA] = "vma",
	[CAT_RAW_IOCTL] = "raw-ioctl",
	[CAT_MDEV] = "mdev",
	[CAT_VFIO] = "vfio",
	[CAT_VFIO_RW] = "vfio-rw",
	[CAT_RING] = "ring",
	[CAT_CHECK] = "invariant-checks",
};

/* --- PRNG ------------------------------------------------------------------ */

static uint64_t rng_state;

/*
 * Each iteration draws from its own stream, seeded by the run's seed and
 * the iteration's number: a run that drifts from another of the same
 * seed (a job that retired sooner) still makes the same choices after.
 */
void rng_seed_iteration(unsigned long iter)
{
	rng_seed(run.seed ^ (iter * 0x9e3779b97f4a7c15ull) ^ 0x5a5a);
}

void rng_seed(uint64_t seed)
{
	/* splitmix64, so that seeds 1 and 2 start far apart (and 0 works) */
	uint64_t z = seed + 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	rng_state = (z ^ (z >> 31)) | 1;
}

uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

bool chance(unsigned int pct)
{
	return rnd_below(100) < pct;
}

void rnd_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;

	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)rnd();
}

/* --- reporting --------------------------------------------------------------- */

static const char *phase(void)
{
	return run.unpriv ? "unprivileged" : "root";
}

void fz_fail(const char *fmt, ...)
{
	va_list ap;

	if (run.failures++ >= 30)
		return;
	fprintf(stderr, "zsv-fuzz: FAIL (seed %llu, %s, iteration %lu): ",
		(unsigned long long)run.seed, phase(), run.iter);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void fz_note(const char *fmt, ...)
{
	va_list ap;

	if (run.notes++ >= 10)
		return;
	fprintf(stderr, "zsv-fuzz: note (seed %llu, %s, iteration %lu): ",
		(unsigned long long)run.seed, phase(), run.iter);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void fz_log(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "[%lu] ", run.iter);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void fz_hexdump(const char *what, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (run.failures > 30)
		return;
	if (len > 256)
		len = 256;
	fprintf(stderr, "zsv-fuzz:   %s:", what);
	for (size_t i = 0; i < len; i++)
		fprintf(stderr, "%s%02x", i % 32 ? " " : "\n    ", p[i]);
	fputc('\n', stderr);
}

const char *errname(int err)
{
	static char buf[32];
	const char *name;

	if (!err)
		return "success";
	name = strerrorname_np(err < 0 ? -err : err);
	if (name)
		return name;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void summary(double secs)
{
	unsigned long total = 0;

	for (int c = 0; c < __CAT_MAX; c++)
		if (c != CAT_CHECK)
			total += run.count[c];
	printf("zsv-fuzz: seed %llu (%s): %lu fuzz iterations in %.1f s:",
	       (unsigned long long)run.seed, phase(), run.iter, secs);
	for (int c = 0; c < __CAT_MAX; c++)
		printf("%s %s %lu/%lu", c ? "," : "", cat_names[c], run.ok[c],
		       run.count[c]);
	printf(" (succeeded/tried; %lu calls); %u failures, %u notes\n", total,
	       run.failures, run.notes);
	fflush(stdout);
}

/* --- the fuzzer's own objects ------------------------------------------------- */

/* Delete every fz-* slice (by force), then fz-* tenant, and every pdev it added. */
static void delete_own(void)
{
	int err;

	model_refresh();
	for (int i = 0; i < model.cur.nslice; i++) {
		if (!model_slice_ours(&model.cur.slice[i]))
			continue;
		err = nl_slice_del_id(
			&nl_main,
			(uint32_t)model.cur.slice[i].v[ZSV_A_SLICE_ID], true);
		if (err)
			fz_fail("cannot delete slice %s: %s",
				model.cur.slice[i].name, errname(err));
	}
	model_refresh();
	for (int i = 0; i < model.cur.ntenant; i++) {
		if (!model_tenant_ours(&model.cur.tenant[i]))
			continue;
		err = nl_tenant_del(&nl_main, model.cur.tenant[i].name);
		if (err)
			fz_fail("cannot delete tenant %s: %s",
				model.cur.tenant[i].name, errname(err));
	}
	for (int i = 0; i < model.nowned_dev; i++) {
		err = nl_dev_del(&nl_main, model.owned_dev[i]);
		if (err)
			fz_fail("cannot delete pdev %u it added: %s",
				model.owned_dev[i], errname(err));
	}
	model.nowned_dev = 0;
	model_refresh();
	io_slices_changed();
}

/* A slice for contexts, on the @n-th pdev (or the first). */
static int make_slice(const char *name, int n, uint64_t mem, uint32_t mode,
		      uint32_t uid, uint32_t gid, uint32_t node_mode)
{
	const struct obj *dev;
	int err = -ENODEV;

	for (int i = 0; i < model.cur.ndev; i++) {
		dev = &model.cur.dev[(n + i) % model.cur.ndev];
		err = nl_slice_new(&nl_main, name, dev->name, mem, mode, uid,
				   gid, node_mode);
		if (err != -ENOSPC)
			break;
	}
	if (err)
		fz_fail("cannot make slice %s: %s", name, errname(err));
	model_refresh();
	return err;
}

/* Keep a slice to open contexts on, whatever the netlink side deleted. */
static void keep_a_slice(void)
{
	char name[32];

	for (int i = 0; i < model.cur.nslice; i++)
		if (model_slice_ours(&model.cur.slice[i]))
			return;
	model_fresh_name(name, sizeof(name));
	make_slice(name, (int)rnd_below(2), 16 << 20, (uint32_t)rnd_below(2), 0,
		   0, 0600);
}

/*
 * Once everything of the fuzzer's is closed and deleted: nothing of it
 * is left, the pdevs it found have their settings back, and their
 * memory use is what it was (jobs retire on their own, so this settles).
 */
static void check_end_state(void)
{
	static struct snapshot s;
	char why[256] = "";
	bool same = false;

	for (int tries = 0; tries < 200 && !same; tries++) {
		if (tries)
			usleep(50000);
		if (nl_snapshot(&nl_main, &s))
			continue;
		same = snapshot_same(&model.start, &s, true, why, sizeof(why));
	}
	if (!same)
		fz_fail("after clean-up the objects are not as they were: %s",
			why);
	for (int i = 0; i < s.nslice; i++)
		if (model_slice_ours(&s.slice[i]))
			fz_fail("slice %s is still there", s.slice[i].name);
	model_check_invariants("at the end");
}

static bool out_of_time(double start)
{
	return max_seconds && now_s() - start > (double)max_seconds;
}

/* --- root ----------------------------------------------------------------------- */

static void root_phase(double start)
{
	double t_nl = 0, t_io = 0, t_check = 0, t_md = 0;
	char name[32];

	model_fresh_name(name, sizeof(name));
	make_slice(name, 0, 16 << 20, ZSV_MEM_MODE_RESERVED, 0, 0, 0600);
	model_fresh_name(name, sizeof(name));
	make_slice(name, 1, 16 << 20, ZSV_MEM_MODE_SHARED, 0, 0, 0600);
	if (!model_check_invariants("before fuzzing"))
		return;

	for (run.iter = 0; run.iter < run.iterations && !out_of_time(start);
	     run.iter++) {
		double t0 = now_s();

		rng_seed_iteration(run.iter);
		keep_a_slice();
		if (md_enabled && chance(MD_PCT)) {
			md_fuzz_one();
			t_md += now_s() - t0;
		} else if (chance(45)) {
			nl_fuzz_one(&nl_main, NULL);
			t_nl += now_s() - t0;
		} else {
			io_fuzz_one();
			t_io += now_s() - t0;
		}
		if (run.iter % 250 == 249) {
			t0 = now_s();
			model_check_invariants("during the run");
			t_check += now_s() - t0;
		}
	}
	if (run.verbose)
		fz_log("time: netlink %.1f s, data plane %.1f s, mdev %.1f s, checks %.1f s",
		       t_nl, t_io, t_md, t_check);
	model_check_invariants("after the run, before clean-up");
	md_close_all();
	io_close_all();
	delete_own();
	for (int i = 0; i < model.start.ndev; i++) {
		const struct obj *now = model_dev_by_id(
			(uint32_t)model.start.dev[i].v[ZSV_A_DEV_ID]);
		int err;

		if (!now)
			continue;
		err = nl_dev_set(&nl_main, &model.start.dev[i]);
		if (err)
			fz_fail("cannot put back the settings of %s: %s",
				model.start.dev[i].name, errname(err));
	}
	model_refresh();
	check_end_state();
}

/* --- unprivileged ----------------------------------------------------------------- */

static void drop_privileges(void)
{
	cap_flag_value_t v = CAP_SET;
	cap_t caps;

	if (setgroups(0, NULL) || setresgid(run.gid, run.gid, run.gid) ||
	    setresuid(run.uid, run.uid, run.uid)) {
		perror("zsv-fuzz: dropping to the unprivileged user");
		_exit(2);
	}
	caps = cap_init(); /* the empty set */
	if (!caps || cap_set_proc(caps)) {
		perror("zsv-fuzz: cap_set_proc");
		_exit(2);
	}
	cap_free(caps);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	caps = cap_get_proc();
	if (!caps || cap_get_flag(caps, CAP_NET_ADMIN, CAP_EFFECTIVE, &v) ||
	    v == CAP_SET || !getuid() || !geteuid()) {
		fprintf(stderr, "zsv-fuzz: still privileged after dropping\n");
		_exit(2);
	}
	cap_free(caps);
}

static int unpriv_child(struct nl *root_sock, double start)
{
	struct nl own;
	int err;

	drop_privileges();
	run.unpriv = true;
	err = nl_open(&own);
	if (err) {
		fprintf(stderr, "zsv-fuzz: unprivileged netlink socket: %s\n",
			errname(err));
		return 2;
	}
	nl_main = own;
	for (run.iter = 0; run.iter < run.iterations && !out_of_time(start);
	     run.iter++) {
		rng_seed_iteration(run.iter);
		if (chance(50))
			nl_fuzz_one(&own, root_sock);
		else
			io_fuzz_one();
		if (run.iter % 250 == 249)
			model_check_invariants("during the unprivileged run");
	}
	io_close_all();
	summary(now_s() - start);
	return run.failures ? 1 : 0;
}

static void unpriv_phase(double start)
{
	/* What the unprivileged user may open, and what not. */
	static const struct {
		int dev;
		uint32_t mode, node_mode;
		bool owner, group;
	} mine[] = {
		{ 0, ZSV_MEM_MODE_RESERVED, 0600, true, false },
		{ 1, ZSV_MEM_MODE_SHARED, 0600, false, false },
		{ 0, ZSV_MEM_MODE_SHARED, 0660, false, true },
		{ 1, ZSV_MEM_MODE_RESERVED, 0606, false, false },
		{ 0, ZSV_MEM_MODE_RESERVED, 0400, true, false },
	};
	static struct snapshot before, after;
	struct nl root_sock;
	char name[32], why[256] = "";
	bool same = false;
	int status, err;
	pid_t pid;

	for (size_t i = 0; i < ARRAY_SIZE(mine); i++) {
		snprintf(name, sizeof(name), FZ_PREFIX "u%zu", i);
		make_slice(name, mine[i].dev, 8 << 20, mine[i].mode,
			   mine[i].owner ? run.uid : 0,
			   mine[i].group ? run.gid : 0, mine[i].node_mode);
	}
	if (!model_check_invariants("before the unprivileged run"))
		return;
	err = nl_snapshot(&nl_main, &before);
	if (!err)
		err = nl_open(&root_sock);
	if (err) {
		fz_fail("setting up the unprivileged run: %s", errname(err));
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fz_fail("fork: %m");
		return;
	}
	if (!pid)
		_exit(unpriv_child(&root_sock, start));
	nl_close(&root_sock);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 2)
		fz_fail("the unprivileged child ended with status %#x", status);
	else if (WEXITSTATUS(status))
		run.failures++; /* it said what */

	/* Nothing changed, usage included once its contexts are gone. */
	for (int tries = 0; tries < 200 && !same; tries++) {
		if (tries)
			usleep(50000);
		if (!nl_snapshot(&nl_main, &after))
			same = snapshot_same(&before, &after, true, why,
					     sizeof(why));
	}
	if (!same)
		fz_fail("the unprivileged run changed something: %s", why);
	printf("zsv-fuzz: seed %llu (unprivileged): the objects %s\n",
	       (unsigned long long)run.seed,
	       same ? "are as they were" : "changed");
	model_check_invariants("after the unprivileged run");
	delete_own();
	check_end_state();
}

/* --- main ------------------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: zsv-fuzz [--seed N] [--iterations N] [--unprivileged] [--uid N] [--gid N] [--max-seconds N] [-v]\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "unprivileged", no_argument, NULL, 'u' },
		{ "uid", required_argument, NULL, 'U' },
		{ "gid", required_argument, NULL, 'G' },
		{ "max-seconds", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	bool unpriv = false;
	double start;
	int opt, err;

	while ((opt = getopt_long(argc, argv, "s:n:uU:G:t:vh", opts, NULL)) !=
	       -1) {
		switch (opt) {
		case 's':
			run.seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			run.iterations = strtoul(optarg, NULL, 0);
			break;
		case 'u':
			unpriv = true;
			break;
		case 'U':
			run.uid = (uid_t)strtoul(optarg, NULL, 0);
			break;
		case 'G':
			run.gid = (gid_t)strtoul(optarg, NULL, 0);
			break;
		case 't':
			max_seconds = strtoul(optarg, NULL, 0);
			break;
		case 'v':
			run.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc || !run.uid) {
		usage(stderr);
		return 2;
	}
	if (geteuid()) {
		fprintf(stderr,
			"zsv-fuzz: needs root (it drops privileges itself for --unprivileged)\n");
		return 2;
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	rng_seed(run.seed);
	io_init();
	err = nl_open(&nl_main);
	if (err) {
		fprintf(stderr,
			"zsv-fuzz: netlink family %s: %s (is zsv loaded?)\n",
			ZSV_GENL_NAME, errname(err));
		return 2;
	}
	start = now_s();
	/* What an earlier, interrupted run left is the fuzzer's to delete. */
	if (!unpriv)
		md_init();
	md_remove_leftovers();
	delete_own();
	run.failures = 0;
	model.start = model.cur;
	if (!model.start.ndev) {
		fprintf(stderr, "zsv-fuzz: no pdev to fuzz (load zsv_sim)\n");
		return 2;
	}

	if (unpriv)
		unpriv_phase(start);
	else
		root_phase(start);
	if (!unpriv)
		summary(now_s() - start);
	if (run.failures)
		fprintf(stderr,
			"zsv-fuzz: %u failures; reproduce with: tests/vm/run --sim 'devices=2' -- tests/fuzz/zsv-fuzz --seed %llu --iterations %lu%s -v\n",
			run.failures, (unsigned long long)run.seed,
			run.iterations, unpriv ? " --unprivileged" : "");
	return run.failures ? 1 : 0;
}
