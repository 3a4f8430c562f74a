// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-failnth: systematic fault injection into every zsv netlink operation
 * and every data-plane call, with /proc/thread-self/fail-nth.
 *
 * For each operation, and N = 1, 2, 3, ...: set up the operation's
 * precondition from scratch (fresh slices, contexts, BOs and jobs), take a
 * dump of the object model, make the N-th fault point the task meets fail
 * (slab and page allocations, sleeping, highmem and order-0 ones included),
 * make the call, and read back whether the fault fired. Then:
 *
 *   - the call failed: the fault must have fired, and the model must be
 *     exactly as before (nothing half-applied);
 *   - the call succeeded: the model must be exactly what the same call
 *     makes without any fault (the reference run), whether or not the fault
 *     fired (a fired fault the call survived is "absorbed": a fallback, a
 *     retried page fault, or an allocation whose failure nobody sees);
 *   - the outcome is unknown (the kernel lost the netlink ack itself): the
 *     model must be one of the two;
 *
 * and everything the iteration made is destroyed again, back to the state
 * the tool started from. The sweep of an operation ends at the first N at
 * which no fault fires and the call succeeds: the call has N - 1 fault
 * points. Kernel splats are the VM runner's to catch, leaks kmemleak's
 * (tests/faults/run).
 *
 * The object model is: every pdev, slice and tenant as dev-get, slice-get
 * and tenant-get dumps report them, less what moves by itself (busy time, completed and failed
 * jobs, throttled time, context switches, shares) and slice ids (handed
 * out cyclically, so every iteration's slices get new ones; each node's
 * minor is checked against its slice's id instead); every character node
 * of zsv's major in /dev/zsv, and /dev/<slice> for the tool's slices (where
 * devtmpfs puts a node whose devnode name could not be allocated), with
 * mode and owner; the class directories in sysfs; and what INFO says on
 * the tool's open context. A slice's mem_peak is compared too, but a failed
 * call that moved only it is a note, not a failure. A monitor-group
 * listener counts notifications: a failed call must send none, and a
 * successful one that sends fewer than the reference run without the
 * listener seeing ENOBUFS lost one silently (a note, not a failure).
 *
 * When a check fails (and for the first note of each kind), the same call
 * is made again failing at the same N with the fault's stack trace in the
 * kernel log (verbose 2), which is printed: where the fault was.
 *
 * The calls in the window between arming fail-nth and reading it back are
 * raw system calls on memory that is already mapped and locked, so that
 * nothing but the call itself meets fault points. Prints TAP: one line per
 * operation ("N fault points swept") and a summary comment with totals.
 *
 * Usage: zsv-failnth [--only OP[,OP...]] [--max N] [--passes N] [--list]
 *                    [--no-inject] [--verbose]
 *   --passes N   sweep everything N times: which allocation is the N-th
 *                varies a little between runs (slab refills, the debug
 *                allocators' own pools), so a second pass reaches points
 *                a first one stepped over
 *   --plan-extra N  plan N more TAP lines, which the caller prints
 *   --no-inject  run each operation's reference run only (kernels without
 *                CONFIG_FAULT_INJECTION; for developing the tool)
 *   --verbose    every iteration's outcome, the reference runs' changes and
 *                where the time goes
 * Without /proc/thread-self/fail-nth (and without --no-inject) it prints
 * "1..0 # SKIP no fail-nth". Needs zsv and zsv_sim loaded, root.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#define ZSV_SELFTEST_NO_BUILDERS
#include "../selftests/nl_helpers.h"
#include "../fuzz/vfio_mdev.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define MS 1000000ULL
#define SEC 1000000000ULL

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define PREFIX "fn-"
#define SLICE_A PREFIX "a"
#define SLICE_B PREFIX "b"
#define TENANT_1 PREFIX "t1"
#define GROUP PREFIX "g"
#define TENANT_2 PREFIX "t2"
#define BO_SIZE MiB
/* Far more fault points than any call has: a runaway sweep stops here. */
#define MAX_N_DEFAULT 3000

/* --- little helpers --------------------------------------------------------- */

static long page_size;
static int tap_n;
static bool verbose;

static void __attribute__((noreturn, format(printf, 1, 2))) bail(const char *fmt, ...)
{
	va_list ap;

	printf("Bail out! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	exit(1);
}

static void __attribute__((format(printf, 1, 2))) note(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * (int64_t)SEC + ts.tv_nsec;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* A growable string. */
struct sb {
	char *s;
	size_t len, cap;
};

static void __attribute__((format(printf, 2, 3))) sb_printf(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL,
			      b->s ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (b->s && (size_t)n < b->cap - b->len) {
			b->len += n;
			return;
		}
		b->cap = (b->cap + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			bail("out of memory");
	}
}

/* --- fault injection --------------------------------------------------------- */

#define DBG "/sys/kernel/debug"

static const struct knob {
	const char *path;
	const char *value;
} knobs[] = {
	{ DBG "/failslab/ignore-gfp-wait", "N" },
	{ DBG "/failslab/verbose", "0" },
	{ DBG "/failslab/task-filter", "N" },
	{ DBG "/fail_page_alloc/ignore-gfp-wait", "N" },
	{ DBG "/fail_page_alloc/ignore-gfp-highmem", "N" },
	{ DBG "/fail_page_alloc/min-order", "0" },
	{ DBG "/fail_page_alloc/verbose", "0" },
	{ DBG "/fail_page_alloc/task-filter", "N" },
};

static char knob_saved[ARRAY_SIZE(knobs)][32];

static int knob_read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static int knob_write(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	close(fd);
	return n < 0 ? -errno : 0;
}

static void injection_restore(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(knobs); i++)
		if (knob_saved[i][0])
			knob_write(knobs[i].path, knob_saved[i]);
}

/* Let every allocation be failed: see Documentation/fault-injection. */
static void injection_configure(void)
{
	if (access(DBG "/failslab", F_OK) &&
	    mount("debugfs", DBG, "debugfs", 0, NULL) && errno != EBUSY)
		bail("cannot mount debugfs on " DBG ": %s", strerror(errno));
	for (size_t i = 0; i < ARRAY_SIZE(knobs); i++) {
		int err = knob_read(knobs[i].path, knob_saved[i],
				    sizeof(knob_saved[i]));

		if (err)
			bail("%s: %s (needs CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC and CONFIG_FAULT_INJECTION_DEBUG_FS)",
			     knobs[i].path, strerror(-err));
		err = knob_write(knobs[i].path, knobs[i].value);
		if (err)
			bail("cannot write %s to %s: %s", knobs[i].value,
			     knobs[i].path, strerror(-err));
	}
	atexit(injection_restore);
}


/*
 * Upstream VFIO WARNs when an allocation inside vfio_create_group() fails
 * (drivers/vfio/group.c: cdev_device_add() fails, put_device() runs
 * vfio_group_release(), which WARNs on the iommu_group it still holds),
 * and panic_on_warn then takes the VM down. That is VFIO's bug, not
 * zsv's, and mdev create is the one operation whose call chain passes
 * there (the mdev's probe registers its VFIO device, which makes its
 * group). So fault points under vfio_create_group() are left out with
 * the fault-injection stack filter (CONFIG_FAULT_INJECTION_STACKTRACE_FILTER:
 * an allocation with a frame in [reject-start, reject-end) is never
 * failed, and fail-nth does not count it); every other point of the
 * create, zsv_mdev's probe and slice creation, the mdev core's and the
 * rest of VFIO's registration included, is still swept. Without the
 * filter (or without the symbol) nothing is left out.
 */
static bool filter_set;

static void filter_restore(void)
{
	static const char *const knob[] = {
		DBG "/failslab/reject-start", DBG "/failslab/reject-end",
		DBG "/fail_page_alloc/reject-start", DBG "/fail_page_alloc/reject-end",
	};

	if (filter_set)
		for (size_t i = 0; i < ARRAY_SIZE(knob); i++)
			knob_write(knob[i], "0");
}

static void filter_out_function(const char *sym)
{
	unsigned long start = 0, end = ~0ul, a;
	char line[256], name[128], type;
	FILE *f = fopen("/proc/kallsyms", "r");
	char val[32];

	if (!f || access(DBG "/failslab/reject-start", W_OK)) {
		note("no stack filter: faults under %s are swept too", sym);
		if (f)
			fclose(f);
		return;
	}
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx %c %127s", &a, &type, name) == 3 &&
		    !strcmp(name, sym))
			start = a;
	rewind(f);
	while (start && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx %c %127s", &a, &type, name) == 3 &&
		    a > start && a < end)
			end = a;
	fclose(f);
	if (!start || end == ~0ul) {
		note("no %s in /proc/kallsyms: nothing filtered", sym);
		return;
	}
	filter_set = true;
	atexit(filter_restore);
	for (int i = 0; i < 2; i++) {
		const char *dir = i ? DBG "/fail_page_alloc" : DBG "/failslab";
		char path[128];

		snprintf(path, sizeof(path), "%s/reject-start", dir);
		snprintf(val, sizeof(val), "%#lx", start);
		if (knob_write(path, val))
			bail("cannot write %s", path);
		snprintf(path, sizeof(path), "%s/reject-end", dir);
		snprintf(val, sizeof(val), "%#lx", end);
		if (knob_write(path, val))
			bail("cannot write %s", path);
	}
	note("fault points under %s (%#lx-%#lx) are left out: VFIO's WARN in vfio_group_release",
	     sym, start, end);
}

static int fail_nth_fd = -1;
static bool inject = true;

/*
 * arm() makes the N-th fault point from here on fail; disarm() says
 * whether it did and switches injection off. Nothing between the two may
 * allocate but the call under test: they are one write and one read.
 */
static char arm_buf[24];
static size_t arm_len;

static void arm_prepare(unsigned int n)
{
	arm_len = snprintf(arm_buf, sizeof(arm_buf), "%u", n);
}

static void arm(void)
{
	if (inject && pwrite(fail_nth_fd, arm_buf, arm_len, 0) != (ssize_t)arm_len)
		bail("cannot arm fail-nth: %s", strerror(errno));
}

static char disarm_buf[24];

static bool disarm(void)
{
	ssize_t n;

	if (!inject)
		return false;
	n = pread(fail_nth_fd, disarm_buf, sizeof(disarm_buf) - 1, 0);
	if (n <= 0)
		bail("cannot read fail-nth: %s", strerror(errno));
	disarm_buf[n] = 0;
	if (pwrite(fail_nth_fd, "0", 1, 0) != 1)
		bail("cannot disarm fail-nth: %s", strerror(errno));
	return atoi(disarm_buf) == 0;
}

/* --- netlink: the control socket (libnl) and raw requests ---------------------- */

static struct zsv_nl nl;
static struct zsv_nl_reply *rep;
static unsigned int monitor_grp;

static int nl_do(struct nl_msg *msg, int maxattr)
{
	int err = zsv_nl_xfer(&nl, msg, rep, maxattr);

	zsv_nl_reply_free(rep);
	return err;
}

static int nl_slice_new(const char *name, const char *dev, uint64_t mem,
			uint32_t mode)
{
	struct nl_msg *msg = zsv_nl_msg(&nl, ZSV_CMD_SLICE_NEW, 0);

	nla_put_string(msg, ZSV_A_SLICE_NAME, name);
	nla_put_string(msg, ZSV_A_SLICE_DEV_NAME, dev);
	nla_put_u64(msg, ZSV_A_SLICE_MEM_BYTES, mem);
	nla_put_u32(msg, ZSV_A_SLICE_MEM_MODE, mode);
	return nl_do(msg, ZSV_A_SLICE_MAX);
}

static int nl_slice_del(const char *name)
{
	struct nl_msg *msg = zsv_nl_msg(&nl, ZSV_CMD_SLICE_DEL, 0);

	nla_put_string(msg, ZSV_A_SLICE_NAME, name);
	nla_put_flag(msg, ZSV_A_SLICE_FORCE);
	return nl_do(msg, ZSV_A_SLICE_MAX);
}

/* tenant-new of NAME with a memory and a slice limit. */
static int nl_tenant_new(const char *name, uint64_t mem_max,
			 uint64_t slices_max)
{
	struct nl_msg *msg = zsv_nl_msg(&nl, ZSV_CMD_TENANT_NEW, 0);

	nla_put_string(msg, ZSV_A_TENANT_NAME, name);
	nla_put_u64(msg, ZSV_A_TENANT_MEM_MAX, mem_max);
	nla_put_u64(msg, ZSV_A_TENANT_SLICES_MAX, slices_max);
	return nl_do(msg, ZSV_A_TENANT_MAX);
}

static int nl_tenant_del(const char *name)
{
	struct nl_msg *msg = zsv_nl_msg(&nl, ZSV_CMD_TENANT_DEL, 0);

	nla_put_string(msg, ZSV_A_TENANT_NAME, name);
	return nl_do(msg, ZSV_A_TENANT_MAX);
}

/* slice-set of NAME into TENANT ("" for none). */
static int nl_slice_tenant(const char *name, const char *tenant)
{
	struct nl_msg *msg = zsv_nl_msg(&nl, ZSV_CMD_SLICE_SET, 0);

	nla_put_string(msg, ZSV_A_SLICE_NAME, name);
	nla_put_string(msg, ZSV_A_SLICE_TENANT, tenant);
	return nl_do(msg, ZSV_A_SLICE_MAX);
}

/* group-new of GROUP: COUNT slices of MEM, each on its own pdev. */
static int nl_group_new(const char *group, uint32_t count, uint64_t mem)
{
	struct nl_msg *msg = zsv_nl_msg(&nl, ZSV_CMD_GROUP_NEW, 0);

	nla_put_string(msg, ZSV_A_SLICE_GROUP, group);
	nla_put_u32(msg, ZSV_A_SLICE_COUNT, count);
	nla_put_u64(msg, ZSV_A_SLICE_MEM_BYTES, mem);
	return nl_do(msg, ZSV_A_SLICE_MAX);
}

/* dev-new; returns the new pdev's id or a negative errno. */
static int nl_dev_new(uint64_t mem, uint32_t engines)
{
	struct nl_msg *msg = zsv_nl_msg(&nl, ZSV_CMD_DEV_NEW, 0);
	int err, id;

	nla_put_string(msg, ZSV_A_DEV_BACKEND, "sim");
	nla_put_u64(msg, ZSV_A_DEV_MEM_TOTAL, mem);
	nla_put_u32(msg, ZSV_A_DEV_ENGINES, engines);
	err = zsv_nl_xfer(&nl, msg, rep, ZSV_A_DEV_MAX);
	id = err ? err : rep->count && rep->attrs[0][ZSV_A_DEV_ID] ?
			 (int)nla_get_u32(rep->attrs[0][ZSV_A_DEV_ID]) : -EIO;
	zsv_nl_reply_free(rep);
	return id;
}

static int nl_dev_del(uint32_t id)
{
	struct nl_msg *msg = zsv_nl_msg(&nl, ZSV_CMD_DEV_DEL, 0);

	nla_put_u32(msg, ZSV_A_DEV_ID, id);
	return nl_do(msg, ZSV_A_DEV_MAX);
}

/* A request built by hand in locked memory, for the window. */
struct req {
	unsigned char buf[512];
	size_t len;
};

static uint32_t req_seq = 1000;

static void req_init(struct req *q, uint8_t cmd, bool dump)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)q->buf;
	struct genlmsghdr *g = NLMSG_DATA(nlh);

	memset(q, 0, sizeof(*q));
	nlh->nlmsg_type = nl.family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0);
	nlh->nlmsg_seq = ++req_seq;
	g->cmd = cmd;
	g->version = ZSV_GENL_VERSION;
	q->len = NLMSG_HDRLEN + GENL_HDRLEN;
	nlh->nlmsg_len = q->len;
}

static void req_put(struct req *q, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(q->buf + q->len);

	if (q->len + NLA_HDRLEN + NLA_ALIGN(len) > sizeof(q->buf))
		bail("request too long");
	a->nla_len = NLA_HDRLEN + len;
	a->nla_type = type;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	q->len += NLA_ALIGN(a->nla_len);
	((struct nlmsghdr *)q->buf)->nlmsg_len = q->len;
}

static void req_u32(struct req *q, uint16_t type, uint32_t v)
{
	req_put(q, type, &v, sizeof(v));
}

static void req_u64(struct req *q, uint16_t type, uint64_t v)
{
	req_put(q, type, &v, sizeof(v));
}

static void req_str(struct req *q, uint16_t type, const char *s)
{
	req_put(q, type, s, strlen(s) + 1);
}

/* A fresh socket for one request: bound, with extended acks. */
static int raw_socket(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, rcvbuf = 1 << 20;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (fd < 0)
		bail("netlink socket: %s", strerror(errno));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		bail("netlink bind: %s", strerror(errno));
	return fd;
}

enum result { RES_OK, RES_FAILED, RES_UNKNOWN };

static const char *const result_names[] = { "succeeded", "failed", "unknown" };

static unsigned char rbuf[1 << 16] __attribute__((aligned(8)));
static const struct sockaddr_nl kernel_sa = { .nl_family = AF_NETLINK };

/*
 * Send @q on @fd and read until its ack, error or NLMSG_DONE. RES_UNKNOWN
 * when the socket itself reports an error (ENOBUFS: the kernel could not
 * queue an ack or reply), so whether the request was carried out is not
 * known. Only system calls on locked memory.
 */
static enum result raw_xfer(int fd, struct req *q, int *err)
{
	struct nlmsghdr *nlh;
	ssize_t n;

	*err = 0;
	if (sendto(fd, q->buf, q->len, 0, (const struct sockaddr *)&kernel_sa,
		   sizeof(kernel_sa)) < 0) {
		*err = errno;
		return RES_FAILED;
	}
	for (;;) {
		n = recv(fd, rbuf, sizeof(rbuf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*err = errno;
			return RES_UNKNOWN;
		}
		for (nlh = (struct nlmsghdr *)rbuf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);

				*err = -e->error;
				return e->error ? RES_FAILED : RES_OK;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int e = nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) ?
					*(int *)NLMSG_DATA(nlh) : 0;

				*err = -e;
				return e ? RES_FAILED : RES_OK;
			}
		}
	}
}

/* The monitor listener: counts notifications, notices overruns. */
static int mon_fd = -1;

static void monitor_open(void)
{
	mon_fd = raw_socket();
	if (setsockopt(mon_fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
		       &monitor_grp, sizeof(monitor_grp)))
		bail("cannot join the monitor group: %s", strerror(errno));
}

/* Read every pending notification: their number; *overrun on ENOBUFS. */
static int monitor_drain(bool *overrun)
{
	static unsigned char buf[1 << 16];
	struct nlmsghdr *nlh;
	int count = 0;
	ssize_t n;

	for (;;) {
		n = recv(mon_fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				if (overrun)
					*overrun = true;
				continue;
			}
			break;
		}
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n))
			count++;
	}
	return count;
}

/* --- the object model ----------------------------------------------------- */

static int zsv_major = -1;

struct fx;
static void ctx_lines(struct fx *f, char ***lines, int *n);
static void mdev_lines(struct fx *f, char ***lines, int *n);

struct model {
	char *text;	/* every line, sorted */
	char *hard;	/* the same without soft fields (statistics) */
};

static void model_free(struct model *m)
{
	free(m->text);
	free(m->hard);
	m->text = m->hard = NULL;
}

static bool model_eq(const struct model *a, const struct model *b)
{
	return !strcmp(a->text, b->text);
}

static bool model_eq_hard(const struct model *a, const struct model *b)
{
	return !strcmp(a->hard, b->hard);
}

static uint64_t attr_uint(struct nlattr *a)
{
	if (!a)
		return ~0ULL;
	return nla_len(a) == 8 ? nla_get_u64(a) : nla_get_u32(a);
}

static void add_line(char ***lines, int *n, char *s)
{
	*lines = realloc(*lines, (*n + 1) * sizeof(**lines));
	if (!*lines)
		bail("out of memory");
	(*lines)[(*n)++] = s;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Soft fields are marked "~name=value" in a line; hard text drops them. */
static char *strip_soft(const char *line)
{
	struct sb b = {};
	const char *p = line;

	while (*p) {
		const char *sp = strchr(p, ' ');
		size_t len = sp ? (size_t)(sp - p) : strlen(p);

		if (*p != '~')
			sb_printf(&b, "%s%.*s", b.len ? " " : "", (int)len, p);
		p += len;
		while (*p == ' ')
			p++;
	}
	if (!b.s)
		sb_printf(&b, "%s", "");
	return b.s;
}

struct slice_id {
	uint32_t id;
	char name[ZSV_NAME_MAX + 1];
};

/* A line for @path if it is a node of zsv's major, naming its slice. */
static void scan_node(const char *path, struct slice_id *ids, int nids,
		      char ***lines, int *n)
{
	const char *owner = NULL;
	struct sb b = {};
	struct stat st;

	if (lstat(path, &st) || !S_ISCHR(st.st_mode) ||
	    (int)major(st.st_rdev) != zsv_major)
		return;
	for (int i = 0; i < nids; i++)
		if (ids[i].id == minor(st.st_rdev))
			owner = ids[i].name;
	if (owner)
		sb_printf(&b, "node %s mode=%04o uid=%u gid=%u of-slice=%s",
			  path, st.st_mode & 07777, st.st_uid, st.st_gid, owner);
	else
		sb_printf(&b, "node %s mode=%04o uid=%u gid=%u minor=%u-of-no-slice",
			  path, st.st_mode & 07777, st.st_uid, st.st_gid,
			  minor(st.st_rdev));
	add_line(lines, n, b.s);
}

static void scan_nodes(const char *dir, struct slice_id *ids, int nids,
		       char ***lines, int *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[512];

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		scan_node(path, ids, nids, lines, n);
	}
	closedir(d);
}

static void scan_class(const char *class, char ***lines, int *n)
{
	char dir[128];
	DIR *d;
	struct dirent *e;

	snprintf(dir, sizeof(dir), "/sys/class/%s", class);
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d))) {
		struct sb b = {};

		if (e->d_name[0] == '.')
			continue;
		sb_printf(&b, "sysfs %s/%s", class, e->d_name);
		add_line(lines, n, b.s);
	}
	closedir(d);
}

static const char *const dev_attr_names[ZSV_A_DEV_MAX + 1] = {
	[ZSV_A_DEV_ID] = "id", [ZSV_A_DEV_BACKEND] = "backend",
	[ZSV_A_DEV_MEM_TOTAL] = "mem_total",
	[ZSV_A_DEV_MEM_RESERVED] = "mem_reserved",
	[ZSV_A_DEV_MEM_USED] = "mem_used", [ZSV_A_DEV_ENGINES] = "engines",
	[ZSV_A_DEV_POLICY] = "policy", [ZSV_A_DEV_TIMESLICE_NS] = "timeslice",
	[ZSV_A_DEV_PERIOD_NS] = "period",
	[ZSV_A_DEV_SLICE_COUNT] = "slice_count",
	[ZSV_A_DEV_OVERSUB_PCT] = "oversub",
	[ZSV_A_DEV_MEM_SHARED] = "mem_shared",
	/* name is the line's key; busy_ns and jobs_completed move alone */
};

static const char *const slice_attr_names[ZSV_A_SLICE_MAX + 1] = {
	[ZSV_A_SLICE_DEV_ID] = "dev_id", [ZSV_A_SLICE_DEV_NAME] = "dev",
	[ZSV_A_SLICE_MEM_BYTES] = "mem_bytes",
	[ZSV_A_SLICE_MEM_MODE] = "mem_mode", [ZSV_A_SLICE_WEIGHT] = "weight",
	[ZSV_A_SLICE_CAP_PCT] = "cap", [ZSV_A_SLICE_TIMESLICE_NS] = "timeslice",
	[ZSV_A_SLICE_UID] = "uid", [ZSV_A_SLICE_GID] = "gid",
	[ZSV_A_SLICE_NODE_MODE] = "node_mode", [ZSV_A_SLICE_NODE] = "node",
	[ZSV_A_SLICE_CONTEXTS] = "contexts", [ZSV_A_SLICE_MEM_USED] = "mem_used",
	[ZSV_A_SLICE_MEM_PEAK] = "~mem_peak",
	[ZSV_A_SLICE_QUOTA_HITS] = "quota_hits",
	[ZSV_A_SLICE_JOBS_SUBMITTED] = "jobs_submitted",
	[ZSV_A_SLICE_MEDIATED] = "mediated",
	[ZSV_A_SLICE_VFIO_OPEN] = "vfio_open",
	[ZSV_A_SLICE_TENANT] = "tenant",
	[ZSV_A_SLICE_GROUP] = "group",
	/*
	 * Left out: the id (cyclic), and what moves by itself: busy_ns,
	 * jobs_completed, jobs_failed, throttled_ns, ctx_switches, shares.
	 */
};

/*
 * A tenant's limits, weight and usage; its id is cyclic, its busy time
 * moves alone.
 */
static const char *const tenant_attr_names[ZSV_A_TENANT_MAX + 1] = {
	[ZSV_A_TENANT_MEM_MAX] = "mem_max",
	[ZSV_A_TENANT_SLICES_MAX] = "slices_max",
	[ZSV_A_TENANT_COMPUTE_MAX] = "compute_max",
	[ZSV_A_TENANT_MEM] = "mem", [ZSV_A_TENANT_SLICES] = "slices",
	[ZSV_A_TENANT_COMPUTE] = "compute",
	[ZSV_A_TENANT_MEM_USED] = "mem_used",
	[ZSV_A_TENANT_QUOTA_HITS] = "quota_hits",
	[ZSV_A_TENANT_WEIGHT] = "weight",
};

static bool is_string_attr(bool slice, int type)
{
	if (slice)
		return type == ZSV_A_SLICE_NAME || type == ZSV_A_SLICE_DEV_NAME ||
		       type == ZSV_A_SLICE_NODE || type == ZSV_A_SLICE_TENANT ||
		       type == ZSV_A_SLICE_GROUP;
	return type == ZSV_A_DEV_NAME || type == ZSV_A_DEV_BACKEND;
}

/* Dump dev-get or slice-get, retrying a dump a change interrupted. */
static int dump(uint8_t cmd, int maxattr)
{
	int err = -EIO;

	for (int i = 0; i < 10; i++) {
		err = zsv_nl_xfer(&nl, zsv_nl_msg(&nl, cmd, NLM_F_DUMP), rep,
				  maxattr);
		if (!err && !rep->dump_intr)
			return 0;
		zsv_nl_reply_free(rep);
	}
	return err ? err : -EINTR;
}

static void render_attrs(struct sb *b, struct nlattr **tb, bool slice)
{
	const char *const *names = slice ? slice_attr_names : dev_attr_names;
	int max = slice ? ZSV_A_SLICE_MAX : ZSV_A_DEV_MAX;

	for (int t = 1; t <= max; t++) {
		if (!names[t])
			continue;
		if (!tb[t])
			sb_printf(b, " %s=(none)", names[t]);
		else if (is_string_attr(slice, t))
			sb_printf(b, " %s=%s", names[t], nla_get_string(tb[t]));
		else
			sb_printf(b, " %s=%" PRIu64, names[t], attr_uint(tb[t]));
	}
}

static double t_dumps, t_nodes, t_rest;	/* where model_take's time goes */
static double t_td_close, t_td_delete, t_td_settle; /* and teardown()'s */

static double since(int64_t *mark)
{
	int64_t now = now_ns(), d = now - *mark;

	*mark = now;
	return d / 1e9;
}

static void model_take(struct model *m, struct fx *f)
{
	int64_t mark = now_ns();
	struct slice_id ids[64];
	char **lines = NULL;
	int n = 0, nids = 0, err;
	struct sb b = {}, h = {};

	err = dump(ZSV_CMD_DEV_GET, ZSV_A_DEV_MAX);
	if (err)
		bail("dev-get dump failed: %s", strerror(-err));
	for (int i = 0; i < rep->count; i++) {
		struct sb l = {};

		sb_printf(&l, "dev %s", nla_get_string(rep->attrs[i][ZSV_A_DEV_NAME]));
		render_attrs(&l, rep->attrs[i], false);
		add_line(&lines, &n, l.s);
	}
	zsv_nl_reply_free(rep);

	err = dump(ZSV_CMD_SLICE_GET, ZSV_A_SLICE_MAX);
	if (err)
		bail("slice-get dump failed: %s", strerror(-err));
	for (int i = 0; i < rep->count; i++) {
		struct nlattr **tb = rep->attrs[i];
		struct sb l = {};

		if (nids < (int)(ARRAY_SIZE(ids))) {
			ids[nids].id = nla_get_u32(tb[ZSV_A_SLICE_ID]);
			snprintf(ids[nids].name, sizeof(ids[nids].name), "%s",
				 nla_get_string(tb[ZSV_A_SLICE_NAME]));
			nids++;
		}
		sb_printf(&l, "slice %s", nla_get_string(tb[ZSV_A_SLICE_NAME]));
		render_attrs(&l, tb, true);
		add_line(&lines, &n, l.s);
	}
	zsv_nl_reply_free(rep);

	err = dump(ZSV_CMD_TENANT_GET, ZSV_A_TENANT_MAX);
	if (err)
		bail("tenant-get dump failed: %s", strerror(-err));
	for (int i = 0; i < rep->count; i++) {
		struct nlattr **tb = rep->attrs[i];
		struct sb l = {};

		sb_printf(&l, "tenant %s",
			  nla_get_string(tb[ZSV_A_TENANT_NAME]));
		for (int t = 1; t <= ZSV_A_TENANT_MAX; t++)
			if (tenant_attr_names[t])
				sb_printf(&l, " %s=%" PRIu64,
					  tenant_attr_names[t],
					  attr_uint(tb[t]));
		add_line(&lines, &n, l.s);
	}
	zsv_nl_reply_free(rep);

	t_dumps += since(&mark);
	/* Only a slice of ours could leave a misplaced node in /dev. */
	scan_node("/dev/" SLICE_A, ids, nids, &lines, &n);
	scan_node("/dev/" SLICE_B, ids, nids, &lines, &n);
	scan_nodes("/dev/zsv", ids, nids, &lines, &n);
	t_nodes += since(&mark);
	scan_class("zsv", &lines, &n);
	scan_class("zsv_slice", &lines, &n);
	ctx_lines(f, &lines, &n);
	mdev_lines(f, &lines, &n);
	t_rest += since(&mark);

	qsort(lines, n, sizeof(*lines), cmp_str);
	for (int i = 0; i < n; i++) {
		char *hl = strip_soft(lines[i]);

		sb_printf(&b, "%s\n", lines[i]);
		sb_printf(&h, "%s\n", hl);
		free(hl);
		free(lines[i]);
	}
	free(lines);
	if (!b.s)
		sb_printf(&b, "%s", "");
	if (!h.s)
		sb_printf(&h, "%s", "");
	m->text = b.s;
	m->hard = h.s;
}

static bool has_line(const char *text, const char *line, size_t len)
{
	for (const char *p = text; *p;) {
		const char *nl_ = strchr(p, '\n');
		size_t l = nl_ ? (size_t)(nl_ - p) : strlen(p);

		if (l == len && !memcmp(p, line, len))
			return true;
		p += l + (nl_ ? 1 : 0);
	}
	return false;
}

/* Print the lines of @a not in @b as "-" and those of @b not in @a as "+". */
static void model_diff(const char *what_a, const struct model *a,
		       const char *what_b, const struct model *b)
{
	note("  - %s, + %s:", what_a, what_b);
	for (int pass = 0; pass < 2; pass++) {
		const char *x = pass ? b->text : a->text;
		const char *y = pass ? a->text : b->text;

		for (const char *p = x; *p;) {
			const char *e = strchr(p, '\n');
			size_t l = e ? (size_t)(e - p) : strlen(p);

			if (!has_line(y, p, l))
				note("  %c %.*s", pass ? '+' : '-', (int)l, p);
			p += l + (e ? 1 : 0);
		}
	}
}

/* --- data plane helpers --------------------------------------------------- */

/*
 * Everything an iteration made: reset by teardown. Lives in .bss, which
 * is locked, so the kernel's copies to and from it meet no fault point.
 */
struct fx {
	int fd;			/* a context of fn-a */
	uint32_t h1, h2;	/* two BOs of BO_SIZE in it */
	uint64_t off1;		/* h1's mmap offset */
	void *map;		/* a mapping of h1 */
	void *smap;		/* the status page */
	int zero_fd;		/* /dev/zero */
	uint64_t seq;		/* the job to wait for */
	int nlfd;		/* the raw socket of a netlink operation */
	struct req q;		/* its request */
	bool dev_changed;	/* zsv0's settings may have changed */
	/* arguments and results of the calls */
	int err;
	struct zsv_info info;
	struct zsv_bo_create bc;
	struct zsv_bo_destroy bd;
	struct zsv_bo_mmap_offset bo;
	struct zsv_job_cmd cmds[4];
	struct zsv_submit sub;
	struct zsv_wait w;
	struct pollfd pfd;
	volatile uint32_t sink;
	/* the mdev operations */
	bool mdev;		/* MDEV_UUID exists, or may */
	int sysfd;		/* a sysfs file written in the window */
	struct vfio_mdev v;	/* v.dev >= 0: the device is open */
	int efd;		/* an eventfd for SET_IRQS */
	struct vfio_device_info dinfo;
	struct vfio_region_info rinfo;
	struct vfio_irq_info iinfo;
	struct { struct vfio_irq_set s; int32_t fd; } irqs;
	struct zsv_ring_entry ent;
	uint32_t reg;
	uint8_t cfg[64];
	uint8_t page[256];
};

static struct fx fx;

/* The tool's one mdev: a 256 MiB slice of zsv0, when zsv_mdev is loaded. */
#define MDEV_PARENT "zsv0"
#define MDEV_UUID "f4000000-0000-4000-8000-00000000f41d"
/* BAR2 offsets the ring's FILL and the pwrite touch: pages nothing else has. */
#define BAR2_FILL_OFF (8 * MiB)
#define BAR2_TOUCH_OFF (16 * MiB)
static char mdev_type[32];	/* the smallest type of zsv0 */
static bool have_mdev;

/* The mdev: its slice and settings, available_instances, and the device. */
static void mdev_lines(struct fx *f, char ***lines, int *n)
{
	char types[16][32];
	int nt;

	if (!have_mdev)
		return;
	/*
	 * Every type's instances follow zsv0's free memory, as the smallest
	 * type's do, and reading them all took most of the sweep's time on
	 * the debug kernel: the other types are only listed.
	 */
	nt = mdev_types(MDEV_PARENT, types, 16);
	for (int i = 0; i < nt; i++) {
		uint64_t avail = 0;
		struct sb b = {};

		if (strcmp(types[i], mdev_type))
			sb_printf(&b, "mdev type %s", types[i]);
		else if (mdev_type_available(MDEV_PARENT, types[i], &avail))
			sb_printf(&b, "mdev type %s: no available_instances", types[i]);
		else
			sb_printf(&b, "mdev type %s available %" PRIu64, types[i], avail);
		add_line(lines, n, b.s);
	}
	if (mdev_exists(MDEV_UUID)) {
		uint64_t w = 0, c = 0, t = 0;
		struct sb b = {};

		mdev_attr_read(MDEV_UUID, "weight", &w);
		mdev_attr_read(MDEV_UUID, "cap", &c);
		mdev_attr_read(MDEV_UUID, "timeslice", &t);
		sb_printf(&b, "mdev %s weight=%" PRIu64 " cap=%" PRIu64
			  " timeslice=%" PRIu64, MDEV_UUID, w, c, t);
		add_line(lines, n, b.s);
	}
	if (f && f->v.dev >= 0) {
		uint32_t mask = 0, id = 0;
		uint8_t cmd[2] = {}, fill[16] = {}, touch[16] = {};
		struct sb b = {};

		vfio_reg_rd(f->v.dev, ZSV_REG_IRQ_MASK, &mask);
		vfio_reg_rd(f->v.dev, ZSV_REG_ID, &id);
		vfio_rd(f->v.dev, VFIO_PCI_CONFIG_REGION_INDEX, 4, cmd, 2);
		vfio_rd(f->v.dev, VFIO_PCI_BAR2_REGION_INDEX, BAR2_FILL_OFF, fill, 16);
		vfio_rd(f->v.dev, VFIO_PCI_BAR2_REGION_INDEX, BAR2_TOUCH_OFF, touch, 16);
		sb_printf(&b, "vdev id=%#x irq_mask=%#x command=%#x fill=", id, mask,
			  cmd[0] | cmd[1] << 8);
		for (int i = 0; i < 16; i++)
			sb_printf(&b, "%02x", fill[i]);
		sb_printf(&b, " touch=");
		for (int i = 0; i < 16; i++)
			sb_printf(&b, "%02x", touch[i]);
		add_line(lines, n, b.s);
	}
}

static void ctx_lines(struct fx *f, char ***lines, int *n)
{
	struct zsv_info info = {};
	struct sb b = {};

	if (!f || f->fd < 0)
		return;
	if (ioctl(f->fd, ZSV_IOCTL_INFO, &info)) {
		sb_printf(&b, "ctx INFO: %s", strerror(errno));
	} else {
		sb_printf(&b, "ctx INFO: slice=%s dev=%s mem=%" PRIu64
			  " used=%" PRIu64 " mode=%u weight=%u cap=%u engines=%u timeslice=%" PRIu64
			  " period=%" PRIu64,
			  info.name, info.dev_name, (uint64_t)info.mem_bytes,
			  (uint64_t)info.mem_used, info.mem_mode, info.weight,
			  info.cap_pct, info.engines, (uint64_t)info.timeslice_ns,
			  (uint64_t)info.period_ns);
	}
	add_line(lines, n, b.s);
}

static int ctx_open(const char *slice)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/dev/zsv/%s", slice);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return fd;
}

static int bo_create(int fd, uint64_t size, uint32_t *handle)
{
	struct zsv_bo_create c = { .size = size };

	if (ioctl(fd, ZSV_IOCTL_BO_CREATE, &c))
		return -errno;
	*handle = c.handle;
	return 0;
}

static int bo_offset(int fd, uint32_t handle, uint64_t *off)
{
	struct zsv_bo_mmap_offset o = { .handle = handle };

	if (ioctl(fd, ZSV_IOCTL_BO_MMAP_OFFSET, &o))
		return -errno;
	*off = o.offset;
	return 0;
}

static int submit(int fd, struct zsv_job_cmd *cmds, uint32_t n, uint64_t *seq)
{
	struct zsv_submit s = {
		.cmds = (uintptr_t)cmds,
		.count = n,
		.cmd_size = sizeof(*cmds),
	};

	if (ioctl(fd, ZSV_IOCTL_SUBMIT, &s))
		return -errno;
	*seq = s.seqno;
	return 0;
}

static int wait_seq(int fd, uint64_t seq)
{
	struct zsv_wait w = { .seqno = seq, .timeout_ns = now_ns() + 60 * SEC };

	while (ioctl(fd, ZSV_IOCTL_WAIT, &w)) {
		if (errno != EINTR)
			return -errno;
	}
	return w.error ? -w.error : 0;
}

static struct zsv_job_cmd cmd_fill(uint32_t dst, uint64_t len, uint32_t pattern)
{
	return (struct zsv_job_cmd){ .op = ZSV_OP_FILL, .dst = dst,
				     .length = len, .arg = pattern };
}

static struct zsv_job_cmd cmd_compute(uint64_t ns)
{
	return (struct zsv_job_cmd){ .op = ZSV_OP_COMPUTE, .arg = ns };
}

/* --- preconditions ----------------------------------------------------------- */

#define CHECK(expr)                                                          \
	do {                                                                 \
		int __e = (expr);                                            \
		if (__e < 0)                                                 \
			bail("setup: %s: %s", #expr, strerror(-__e));        \
	} while (0)

static void need_slice_a(void)
{
	CHECK(nl_slice_new(SLICE_A, "zsv0", 64 * MiB, ZSV_MEM_MODE_RESERVED));
}

/* fn-a (64 MiB reserved on zsv0) with a context and two BOs. */
static void need_ctx(void)
{
	need_slice_a();
	fx.fd = ctx_open(SLICE_A);
	CHECK(fx.fd);
	CHECK(bo_create(fx.fd, BO_SIZE, &fx.h1));
	CHECK(bo_create(fx.fd, BO_SIZE, &fx.h2));
	CHECK(bo_offset(fx.fd, fx.h1, &fx.off1));
}

/* ...and a mapping of h1 with its first page backed. */
static void need_touched_map(void)
{
	need_ctx();
	fx.map = mmap(NULL, BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fx.fd,
		      fx.off1);
	if (fx.map == MAP_FAILED)
		bail("setup: mmap: %s", strerror(errno));
	*(volatile uint32_t *)fx.map = 0x5a5a5a5a;
}

/* ...and a job running (a FILL of h1, then 300 ms of COMPUTE). */
static void need_job(uint64_t compute_ns)
{
	struct zsv_job_cmd c[2] = { cmd_fill(fx.h1, BO_SIZE, 0xabcdef01),
				    cmd_compute(compute_ns) };

	CHECK(submit(fx.fd, c, 2, &fx.seq));
}

/* A raw socket and a request for a netlink operation. */
static void need_req(uint8_t cmd, bool dump)
{
	fx.nlfd = raw_socket();
	req_init(&fx.q, cmd, dump);
}

/* --- the operations -------------------------------------------------------- */

struct op {
	const char *name;
	const char *what;
	void (*setup)(void);
	enum result (*call)(void);	/* in the window: system calls only */
	void (*settle)(void);		/* after success, outside the window */
	bool dev_changed;		/* may change zsv0's settings */
	bool mdev;			/* needs zsv_mdev */
	/*
	 * A failed call may announce an object it then took back: mdev
	 * create makes the slice before VFIO registration (which can still
	 * fail), and VFIO's open calls open_device (vfio_open=1) before
	 * steps that can fail and close it again. The state must still be
	 * the old one; the notifications are counted, not a problem.
	 */
	bool transient_events;
};

static enum result call_nl(void)
{
	return raw_xfer(fx.nlfd, &fx.q, &fx.err);
}

/* dev-get do */
static void setup_dev_get(void)
{
	need_req(ZSV_CMD_DEV_GET, false);
	req_str(&fx.q, ZSV_A_DEV_NAME, "zsv0");
}

/* dev-get dump, with a slice on each pdev for company */
static void setup_dev_dump(void)
{
	need_req(ZSV_CMD_DEV_GET, true);
}

static void setup_dev_set(void)
{
	need_req(ZSV_CMD_DEV_SET, false);
	req_str(&fx.q, ZSV_A_DEV_NAME, "zsv0");
	req_u32(&fx.q, ZSV_A_DEV_POLICY, ZSV_POLICY_FIXED);
	req_u64(&fx.q, ZSV_A_DEV_TIMESLICE_NS, 3 * MS);
	req_u64(&fx.q, ZSV_A_DEV_PERIOD_NS, 50 * MS);
	req_u32(&fx.q, ZSV_A_DEV_OVERSUB_PCT, 150);
}

/* dev-set with slices on the pdev: their status pages follow. */
static void setup_dev_set_slices(void)
{
	need_slice_a();
	fx.fd = ctx_open(SLICE_A);
	CHECK(fx.fd);
	setup_dev_set();
}

static void setup_dev_new(void)
{
	need_req(ZSV_CMD_DEV_NEW, false);
	req_str(&fx.q, ZSV_A_DEV_BACKEND, "sim");
	req_u64(&fx.q, ZSV_A_DEV_MEM_TOTAL, GiB);
	req_u32(&fx.q, ZSV_A_DEV_ENGINES, 2);
}

static void setup_dev_del(void)
{
	int id = nl_dev_new(GiB, 2);

	CHECK(id);
	need_req(ZSV_CMD_DEV_DEL, false);
	req_u32(&fx.q, ZSV_A_DEV_ID, id);
}

static void setup_slice_new(void)
{
	need_req(ZSV_CMD_SLICE_NEW, false);
	req_str(&fx.q, ZSV_A_SLICE_NAME, SLICE_A);
	req_str(&fx.q, ZSV_A_SLICE_DEV_NAME, "zsv0");
	req_u64(&fx.q, ZSV_A_SLICE_MEM_BYTES, 4 * GiB);
	req_u32(&fx.q, ZSV_A_SLICE_WEIGHT, 200);
	req_u32(&fx.q, ZSV_A_SLICE_CAP_PCT, 50);
	req_u64(&fx.q, ZSV_A_SLICE_TIMESLICE_NS, MS);
	req_u32(&fx.q, ZSV_A_SLICE_UID, 1000);
	req_u32(&fx.q, ZSV_A_SLICE_GID, 1000);
	req_u32(&fx.q, ZSV_A_SLICE_NODE_MODE, 0660);
}

/* slice-new next to another slice (the pseudo fs is already mounted) */
static void setup_slice_new_second(void)
{
	CHECK(nl_slice_new(SLICE_B, "zsv0", GiB, ZSV_MEM_MODE_RESERVED));
	setup_slice_new();
}

static void setup_slice_new_shared(void)
{
	need_req(ZSV_CMD_SLICE_NEW, false);
	req_str(&fx.q, ZSV_A_SLICE_NAME, SLICE_A);
	req_u32(&fx.q, ZSV_A_SLICE_DEV_ID, 1);
	req_u64(&fx.q, ZSV_A_SLICE_MEM_BYTES, 2 * GiB);
	req_u32(&fx.q, ZSV_A_SLICE_MEM_MODE, ZSV_MEM_MODE_SHARED);
}

/* slice-new without a device: the kernel places it (binpack, on zsv1) */
static void setup_slice_new_placed(void)
{
	CHECK(nl_slice_new(SLICE_B, "zsv1", GiB, ZSV_MEM_MODE_RESERVED));
	need_req(ZSV_CMD_SLICE_NEW, false);
	req_str(&fx.q, ZSV_A_SLICE_NAME, SLICE_A);
	req_u64(&fx.q, ZSV_A_SLICE_MEM_BYTES, 2 * GiB);
	req_u32(&fx.q, ZSV_A_SLICE_PLACEMENT, ZSV_PLACEMENT_BINPACK);
	req_str(&fx.q, ZSV_A_SLICE_BACKEND, "sim");
}

static void setup_slice_set(void)
{
	need_slice_a();
	fx.fd = ctx_open(SLICE_A);
	CHECK(fx.fd);
	need_req(ZSV_CMD_SLICE_SET, false);
	req_str(&fx.q, ZSV_A_SLICE_NAME, SLICE_A);
	req_u64(&fx.q, ZSV_A_SLICE_MEM_BYTES, 128 * MiB);
	req_u32(&fx.q, ZSV_A_SLICE_WEIGHT, 300);
	req_u32(&fx.q, ZSV_A_SLICE_CAP_PCT, 80);
	req_u64(&fx.q, ZSV_A_SLICE_TIMESLICE_NS, 5 * MS);
}

/* slice-set of the node's owner and mode: the node is remade */
static void setup_slice_set_node(void)
{
	need_slice_a();
	need_req(ZSV_CMD_SLICE_SET, false);
	req_str(&fx.q, ZSV_A_SLICE_NAME, SLICE_A);
	req_u32(&fx.q, ZSV_A_SLICE_UID, 1000);
	req_u32(&fx.q, ZSV_A_SLICE_GID, 100);
	req_u32(&fx.q, ZSV_A_SLICE_NODE_MODE, 0640);
}

static void setup_slice_del(void)
{
	need_slice_a();
	need_req(ZSV_CMD_SLICE_DEL, false);
	req_str(&fx.q, ZSV_A_SLICE_NAME, SLICE_A);
}

/* slice-del --force under an open context, a touched mapping, a job */
static void setup_slice_del_force(void)
{
	need_touched_map();
	need_job(300 * MS);
	need_req(ZSV_CMD_SLICE_DEL, false);
	req_str(&fx.q, ZSV_A_SLICE_NAME, SLICE_A);
	req_put(&fx.q, ZSV_A_SLICE_FORCE, NULL, 0);
}

static void setup_slice_get(void)
{
	need_slice_a();
	need_req(ZSV_CMD_SLICE_GET, false);
	req_str(&fx.q, ZSV_A_SLICE_NAME, SLICE_A);
}

static void setup_slice_dump(void)
{
	need_slice_a();
	CHECK(nl_slice_new(SLICE_B, "zsv1", GiB, ZSV_MEM_MODE_SHARED));
	need_req(ZSV_CMD_SLICE_GET, true);
}

static void setup_slice_dump_dev(void)
{
	setup_slice_dump();
	req_str(&fx.q, ZSV_A_SLICE_DEV_NAME, "zsv1");
}

/* Tenants. */
static void setup_tenant_new(void)
{
	need_req(ZSV_CMD_TENANT_NEW, false);
	req_str(&fx.q, ZSV_A_TENANT_NAME, TENANT_1);
	req_u64(&fx.q, ZSV_A_TENANT_MEM_MAX, 8 * GiB);
	req_u64(&fx.q, ZSV_A_TENANT_SLICES_MAX, 4);
	req_u64(&fx.q, ZSV_A_TENANT_COMPUTE_MAX, 400);
}

/* fn-a (64 MiB on zsv0) in tenant fn-t1. */
static void need_slice_in_tenant(void)
{
	CHECK(nl_tenant_new(TENANT_1, GiB, 4));
	need_slice_a();
	CHECK(nl_slice_tenant(SLICE_A, TENANT_1));
}

/*
 * tenant-set of every limit, one below the usage, and of the weight, with
 * a slice in it
 */
static void setup_tenant_set(void)
{
	need_slice_in_tenant();
	need_req(ZSV_CMD_TENANT_SET, false);
	req_str(&fx.q, ZSV_A_TENANT_NAME, TENANT_1);
	req_u64(&fx.q, ZSV_A_TENANT_MEM_MAX, 32 * MiB);
	req_u64(&fx.q, ZSV_A_TENANT_SLICES_MAX, 2);
	req_u64(&fx.q, ZSV_A_TENANT_COMPUTE_MAX, ZSV_LIMIT_NONE);
	req_u32(&fx.q, ZSV_A_TENANT_WEIGHT, 300);
}

static void setup_tenant_del(void)
{
	CHECK(nl_tenant_new(TENANT_1, GiB, 4));
	need_req(ZSV_CMD_TENANT_DEL, false);
	req_str(&fx.q, ZSV_A_TENANT_NAME, TENANT_1);
}

static void setup_tenant_dump(void)
{
	need_slice_in_tenant();
	CHECK(nl_tenant_new(TENANT_2, ZSV_LIMIT_NONE, ZSV_LIMIT_NONE));
	need_req(ZSV_CMD_TENANT_GET, true);
}

/* slice-new into a tenant that already has a slice */
static void setup_slice_new_tenant(void)
{
	CHECK(nl_tenant_new(TENANT_1, GiB, 4));
	CHECK(nl_slice_new(SLICE_B, "zsv1", 64 * MiB, ZSV_MEM_MODE_RESERVED));
	CHECK(nl_slice_tenant(SLICE_B, TENANT_1));
	need_req(ZSV_CMD_SLICE_NEW, false);
	req_str(&fx.q, ZSV_A_SLICE_NAME, SLICE_A);
	req_str(&fx.q, ZSV_A_SLICE_DEV_NAME, "zsv0");
	req_u64(&fx.q, ZSV_A_SLICE_MEM_BYTES, 128 * MiB);
	req_u32(&fx.q, ZSV_A_SLICE_CAP_PCT, 30);
	req_str(&fx.q, ZSV_A_SLICE_TENANT, TENANT_1);
}

/* slice-new without a device, into a tenant */
static void setup_slice_new_tenant_placed(void)
{
	CHECK(nl_tenant_new(TENANT_1, GiB, 4));
	need_req(ZSV_CMD_SLICE_NEW, false);
	req_str(&fx.q, ZSV_A_SLICE_NAME, SLICE_A);
	req_u64(&fx.q, ZSV_A_SLICE_MEM_BYTES, 128 * MiB);
	req_str(&fx.q, ZSV_A_SLICE_TENANT, TENANT_1);
}

/* slice-set moving fn-a from fn-t1 to fn-t2, growing it */
static void setup_slice_set_tenant(void)
{
	need_slice_in_tenant();
	CHECK(nl_tenant_new(TENANT_2, GiB, 4));
	need_req(ZSV_CMD_SLICE_SET, false);
	req_str(&fx.q, ZSV_A_SLICE_NAME, SLICE_A);
	req_str(&fx.q, ZSV_A_SLICE_TENANT, TENANT_2);
	req_u64(&fx.q, ZSV_A_SLICE_MEM_BYTES, 128 * MiB);
	req_u32(&fx.q, ZSV_A_SLICE_CAP_PCT, 60);
}

/* slice-set taking fn-a out of its tenant */
static void setup_slice_set_untenant(void)
{
	need_slice_in_tenant();
	need_req(ZSV_CMD_SLICE_SET, false);
	req_str(&fx.q, ZSV_A_SLICE_NAME, SLICE_A);
	req_str(&fx.q, ZSV_A_SLICE_TENANT, "");
}

/* slice-del of a slice in a tenant: the tenant's usage follows */
static void setup_slice_del_tenant(void)
{
	need_slice_in_tenant();
	need_req(ZSV_CMD_SLICE_DEL, false);
	req_str(&fx.q, ZSV_A_SLICE_NAME, SLICE_A);
}

/* Groups. */

/* group-new of two slices on the two pdevs, in a tenant with a slice */
static void setup_group_new(void)
{
	need_slice_in_tenant();
	need_req(ZSV_CMD_GROUP_NEW, false);
	req_str(&fx.q, ZSV_A_SLICE_GROUP, GROUP);
	req_u32(&fx.q, ZSV_A_SLICE_COUNT, 2);
	req_u64(&fx.q, ZSV_A_SLICE_MEM_BYTES, 64 * MiB);
	req_u32(&fx.q, ZSV_A_SLICE_CAP_PCT, 20);
	req_str(&fx.q, ZSV_A_SLICE_TENANT, TENANT_1);
}

/* group-del of two slices, forced, one of them with an open context */
static void setup_group_del(void)
{
	CHECK(nl_group_new(GROUP, 2, 64 * MiB));
	fx.fd = open("/dev/zsv/" GROUP "-1", O_RDWR | O_CLOEXEC);
	if (fx.fd < 0)
		bail("open /dev/zsv/" GROUP "-1: %s", strerror(errno));
	need_req(ZSV_CMD_GROUP_DEL, false);
	req_str(&fx.q, ZSV_A_SLICE_GROUP, GROUP);
	req_put(&fx.q, ZSV_A_SLICE_FORCE, NULL, 0);
}

/* Data plane. */

static void setup_open(void)
{
	need_slice_a();
}

static enum result call_open(void)
{
	fx.fd = open("/dev/zsv/" SLICE_A, O_RDWR | O_CLOEXEC);
	fx.err = fx.fd < 0 ? errno : 0;
	return fx.fd < 0 ? RES_FAILED : RES_OK;
}

static enum result ioctl_result(int ret)
{
	fx.err = ret ? errno : 0;
	return ret ? RES_FAILED : RES_OK;
}

static void setup_info(void)
{
	need_ctx();
}

static enum result call_info(void)
{
	return ioctl_result(ioctl(fx.fd, ZSV_IOCTL_INFO, &fx.info));
}

static void setup_bo_create(void)
{
	need_ctx();
	fx.bc = (struct zsv_bo_create){ .size = 3 * MiB + 1 };
}

/* The context's first BO: its handle table grows a node. */
static void setup_bo_create_first(void)
{
	need_slice_a();
	fx.fd = ctx_open(SLICE_A);
	CHECK(fx.fd);
	fx.bc = (struct zsv_bo_create){ .size = 3 * MiB + 1 };
}

static enum result call_bo_create(void)
{
	return ioctl_result(ioctl(fx.fd, ZSV_IOCTL_BO_CREATE, &fx.bc));
}

static void setup_bo_destroy(void)
{
	need_touched_map();
	fx.bd = (struct zsv_bo_destroy){ .handle = fx.h1 };
}

static enum result call_bo_destroy(void)
{
	return ioctl_result(ioctl(fx.fd, ZSV_IOCTL_BO_DESTROY, &fx.bd));
}

static void setup_bo_mmap_offset(void)
{
	need_ctx();
	fx.bo = (struct zsv_bo_mmap_offset){ .handle = fx.h2 };
}

static enum result call_bo_mmap_offset(void)
{
	return ioctl_result(ioctl(fx.fd, ZSV_IOCTL_BO_MMAP_OFFSET, &fx.bo));
}

static enum result call_bo_mmap_touch(void)
{
	fx.map = mmap(NULL, BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fx.fd,
		      fx.off1);
	if (fx.map == MAP_FAILED) {
		fx.err = errno;
		return RES_FAILED;
	}
	/* The first touch: a page fault that backs the page (retried on OOM). */
	*(volatile uint32_t *)fx.map = 0x12345678;
	return RES_OK;
}

/* The first touch of a mapped BO page by the kernel (read() into it). */
static void setup_bo_touch_kernel(void)
{
	need_ctx();
	fx.map = mmap(NULL, BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fx.fd,
		      fx.off1);
	if (fx.map == MAP_FAILED)
		bail("setup: mmap: %s", strerror(errno));
	fx.zero_fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	CHECK(fx.zero_fd);
}

static enum result call_bo_touch_kernel(void)
{
	ssize_t n = read(fx.zero_fd, fx.map, page_size);

	if (n == page_size)
		return RES_OK;
	fx.err = n < 0 ? errno : EFAULT;
	return RES_FAILED;
}

static enum result call_status_mmap(void)
{
	fx.smap = mmap(NULL, page_size, PROT_READ, MAP_SHARED, fx.fd,
		       ZSV_STATUS_OFFSET);
	if (fx.smap == MAP_FAILED) {
		fx.err = errno;
		return RES_FAILED;
	}
	fx.sink = ((volatile struct zsv_status *)fx.smap)->seq;
	return RES_OK;
}

static void setup_submit(const struct zsv_job_cmd *c, uint32_t n)
{
	need_ctx();
	for (uint32_t i = 0; i < n; i++) {
		fx.cmds[i] = c[i];
		if (fx.cmds[i].dst == 1)
			fx.cmds[i].dst = fx.h1;
		if (fx.cmds[i].src == 2)
			fx.cmds[i].src = fx.h2;
	}
	fx.sub = (struct zsv_submit){ .cmds = (uintptr_t)fx.cmds, .count = n,
				      .cmd_size = sizeof(fx.cmds[0]) };
}

/* In the commands below, BO 1 stands for h1 and BO 2 for h2. */
static void setup_submit_fill(void)
{
	struct zsv_job_cmd c = cmd_fill(1, BO_SIZE, 0x01020304);

	setup_submit(&c, 1);
}

static void setup_submit_copy(void)
{
	struct zsv_job_cmd c = { .op = ZSV_OP_COPY, .dst = 1, .src = 2,
				 .dst_offset = 4096, .length = 64 * 1024 };

	setup_submit(&c, 1);
}

static void setup_submit_compute(void)
{
	struct zsv_job_cmd c = cmd_compute(MS);

	setup_submit(&c, 1);
}

static void setup_submit_checksum(void)
{
	struct zsv_job_cmd c = { .op = ZSV_OP_CHECKSUM, .dst = 1, .src = 2,
				 .length = 256 * 1024 };

	setup_submit(&c, 1);
}

/* A job of every op at once. */
static void setup_submit_all(void)
{
	struct zsv_job_cmd c[4] = {
		cmd_fill(2, BO_SIZE, 0xfeedface),
		{ .op = ZSV_OP_COPY, .dst = 1, .src = 2, .length = BO_SIZE },
		cmd_compute(MS),
		{ .op = ZSV_OP_CHECKSUM, .dst = 1, .src = 2, .length = 4096,
		  .dst_offset = 8192 },
	};

	setup_submit(c, 4);
}

static enum result call_submit(void)
{
	enum result r = ioctl_result(ioctl(fx.fd, ZSV_IOCTL_SUBMIT, &fx.sub));

	fx.seq = fx.sub.seqno;
	return r;
}

static void settle_job(void)
{
	int err = wait_seq(fx.fd, fx.seq);

	if (err)
		bail("job %" PRIu64 " failed: %s", fx.seq, strerror(-err));
}

static void setup_wait(void)
{
	need_ctx();
	need_job(20 * MS);
	fx.w = (struct zsv_wait){ .seqno = fx.seq,
				  .timeout_ns = now_ns() + 60 * SEC };
}

static enum result call_wait(void)
{
	int ret;

	do
		ret = ioctl(fx.fd, ZSV_IOCTL_WAIT, &fx.w);
	while (ret && errno == EINTR);
	return ioctl_result(ret);
}

static void setup_poll(void)
{
	need_ctx();
	need_job(20 * MS);
	fx.pfd = (struct pollfd){ .fd = fx.fd, .events = POLLIN };
}

static enum result call_poll(void)
{
	int ret = poll(&fx.pfd, 1, 60000);

	if (ret == 1 && (fx.pfd.revents & POLLIN))
		return RES_OK;
	fx.err = ret < 0 ? errno : ETIME;
	return RES_FAILED;
}

static void setup_close_job(void)
{
	need_ctx();
	need_job(300 * MS);
}

static enum result call_close(void)
{
	int ret = close(fx.fd);

	fx.fd = -1;
	return ioctl_result(ret);
}

static void settle_quiet(void);

/* The mdev operations (zsv_mdev loaded). */

static int open_sysfs(const char *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		bail("setup: open %s: %s", path, strerror(errno));
	return fd;
}

static void need_mdev(void)
{
	CHECK(mdev_create(MDEV_PARENT, mdev_type, MDEV_UUID, 36));
	fx.mdev = true;
}

/* ...with its group in a type1 container, the device not yet open. */
static void need_vfio_group(void)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	char path[512], link[256];
	ssize_t len;

	need_mdev();
	snprintf(path, sizeof(path), MDEV_DEVICES "/%s/iommu_group", MDEV_UUID);
	len = readlink(path, link, sizeof(link) - 1);
	if (len < 0)
		bail("setup: readlink %s: %s", path, strerror(errno));
	link[len] = 0;
	snprintf(path, sizeof(path), "/dev/vfio/%s", strrchr(link, '/') + 1);
	fx.v.group = open(path, O_RDWR | O_CLOEXEC);
	fx.v.container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (fx.v.group < 0 || fx.v.container < 0 ||
	    ioctl(fx.v.group, VFIO_GROUP_GET_STATUS, &st) ||
	    ioctl(fx.v.group, VFIO_GROUP_SET_CONTAINER, &fx.v.container) ||
	    ioctl(fx.v.container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		bail("setup: the VFIO group of the mdev: %s", strerror(errno));
}

/* ...and the device open. */
static void need_vfio_dev(void)
{
	need_vfio_group();
	fx.v.dev = ioctl(fx.v.group, VFIO_GROUP_GET_DEVICE_FD, MDEV_UUID);
	if (fx.v.dev < 0)
		bail("setup: VFIO_GROUP_GET_DEVICE_FD: %s", strerror(errno));
}

static enum result write_result(ssize_t n, size_t len)
{
	fx.err = n < 0 ? errno : n != (ssize_t)len ? EIO : 0;
	return fx.err ? RES_FAILED : RES_OK;
}

static void setup_mdev_create(void)
{
	char path[256];

	snprintf(path, sizeof(path), MDEV_BUS_CLASS "/" MDEV_PARENT
		 "/mdev_supported_types/%s/create", mdev_type);
	fx.sysfd = open_sysfs(path);
	fx.mdev = true;
}

static enum result call_sysfs_write(void)
{
	return write_result(write(fx.sysfd, fx.page, strlen((char *)fx.page)),
			    strlen((char *)fx.page));
}

static enum result call_mdev_create(void)
{
	return write_result(write(fx.sysfd, MDEV_UUID, 36), 36);
}

static void setup_mdev_remove(void)
{
	need_mdev();
	fx.sysfd = open_sysfs(MDEV_DEVICES "/" MDEV_UUID "/remove");
	strcpy((char *)fx.page, "1");
}

static void setup_mdev_attr(void)
{
	need_mdev();
	fx.sysfd = open_sysfs(MDEV_DEVICES "/" MDEV_UUID "/weight");
	strcpy((char *)fx.page, "300");
}

static enum result call_vfio_open(void)
{
	fx.v.dev = ioctl(fx.v.group, VFIO_GROUP_GET_DEVICE_FD, MDEV_UUID);
	fx.err = fx.v.dev < 0 ? errno : 0;
	return fx.v.dev < 0 ? RES_FAILED : RES_OK;
}

static enum result call_vfio_info(void)
{
	fx.dinfo.argsz = sizeof(fx.dinfo);
	fx.rinfo.argsz = sizeof(fx.rinfo);
	fx.rinfo.index = VFIO_PCI_BAR2_REGION_INDEX;
	fx.iinfo.argsz = sizeof(fx.iinfo);
	fx.iinfo.index = VFIO_PCI_MSI_IRQ_INDEX;
	if (ioctl(fx.v.dev, VFIO_DEVICE_GET_INFO, &fx.dinfo) ||
	    ioctl(fx.v.dev, VFIO_DEVICE_GET_REGION_INFO, &fx.rinfo) ||
	    ioctl(fx.v.dev, VFIO_DEVICE_GET_IRQ_INFO, &fx.iinfo))
		return ioctl_result(-1);
	return ioctl_result(0);
}

static void setup_vfio_set_irqs(void)
{
	need_vfio_dev();
	fx.efd = eventfd(0, EFD_CLOEXEC);
	if (fx.efd < 0)
		bail("setup: eventfd: %s", strerror(errno));
	fx.irqs.s.argsz = sizeof(fx.irqs);
	fx.irqs.s.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	fx.irqs.s.index = VFIO_PCI_MSI_IRQ_INDEX;
	fx.irqs.s.count = 1;
	fx.irqs.fd = fx.efd;
}

static enum result call_vfio_set_irqs(void)
{
	return ioctl_result(ioctl(fx.v.dev, VFIO_DEVICE_SET_IRQS, &fx.irqs));
}

/* A device with memory to lose: a touched page and an IRQ mask. */
static void setup_vfio_reset(void)
{
	need_vfio_dev();
	CHECK(vfio_wr(fx.v.dev, VFIO_PCI_BAR2_REGION_INDEX, BAR2_TOUCH_OFF,
		      "touched", 7));
	CHECK(vfio_reg_wr(fx.v.dev, ZSV_REG_IRQ_MASK, ZSV_IRQ_DONE));
}

static enum result call_vfio_reset(void)
{
	return ioctl_result(ioctl(fx.v.dev, VFIO_DEVICE_RESET));
}

static enum result call_vfio_config(void)
{
	ssize_t n = pread(fx.v.dev, fx.cfg, 64,
			  VFIO_REGION_OFF(VFIO_PCI_CONFIG_REGION_INDEX));

	if (n != 64)
		return write_result(n, 64);
	fx.cfg[4] |= 0x6;	/* memory space and bus master on */
	return write_result(pwrite(fx.v.dev, &fx.cfg[4], 2,
				   VFIO_REGION_OFF(VFIO_PCI_CONFIG_REGION_INDEX) + 4), 2);
}

static enum result call_vfio_bar0(void)
{
	ssize_t n = pread(fx.v.dev, &fx.reg, 4,
			  VFIO_REGION_OFF(VFIO_PCI_BAR0_REGION_INDEX) + ZSV_REG_ID);

	if (n != 4)
		return write_result(n, 4);
	fx.reg = ZSV_IRQ_ERROR;
	return write_result(pwrite(fx.v.dev, &fx.reg, 4,
				   VFIO_REGION_OFF(VFIO_PCI_BAR0_REGION_INDEX) +
				   ZSV_REG_IRQ_MASK), 4);
}

static enum result call_vfio_bar2(void)
{
	ssize_t n;

	memcpy(fx.page, "written by pwrite", 17);
	n = pwrite(fx.v.dev, fx.page, 17,
		   VFIO_REGION_OFF(VFIO_PCI_BAR2_REGION_INDEX) + BAR2_TOUCH_OFF);
	if (n != 17)
		return write_result(n, 17);
	return write_result(pread(fx.v.dev, fx.page, 17,
				  VFIO_REGION_OFF(VFIO_PCI_BAR2_REGION_INDEX) +
				  BAR2_TOUCH_OFF), 17);
}

static void setup_vfio_ring(void)
{
	need_vfio_dev();
	fx.ent = (struct zsv_ring_entry){ .op = ZSV_RING_OP_FILL,
					  .dst = BAR2_FILL_OFF,
					  .length = 64 * 1024,
					  .arg = 0x5a5aa5a5 };
}

/*
 * The entry, the doorbell, and its completion: a failed entry is the
 * device's to report (RING_ERRORS, RING_ERROR), which makes the call
 * failed. Waiting is preads and nanosleep, which meet no fault point.
 */
static enum result call_vfio_ring(void)
{
	static const struct timespec ms = { 0, 1000000 };
	uint64_t bar0 = VFIO_REGION_OFF(VFIO_PCI_BAR0_REGION_INDEX);
	ssize_t n;

	n = pwrite(fx.v.dev, &fx.ent, sizeof(fx.ent), bar0 + ZSV_RING_OFFSET);
	if (n != (ssize_t)sizeof(fx.ent))
		return write_result(n, sizeof(fx.ent));
	fx.reg = 1;
	n = pwrite(fx.v.dev, &fx.reg, 4, bar0 + ZSV_REG_RING_TAIL);
	if (n != 4)
		return write_result(n, 4);
	for (int i = 0; i < 10000; i++) {
		n = pread(fx.v.dev, &fx.reg, 4, bar0 + ZSV_REG_RING_DONE);
		if (n != 4)
			return write_result(n, 4);
		if (fx.reg == 1)
			break;
		nanosleep(&ms, NULL);
	}
	if (fx.reg != 1) {
		fx.err = ETIME;
		return RES_FAILED;
	}
	n = pread(fx.v.dev, &fx.reg, 4, bar0 + ZSV_REG_RING_ERROR);
	if (n != 4)
		return write_result(n, 4);
	fx.err = (int)fx.reg;
	return fx.reg ? RES_FAILED : RES_OK;
}

/* Close of a device with a job running on its ring. */
static void setup_vfio_close(void)
{
	struct zsv_ring_entry e = { .op = ZSV_RING_OP_COMPUTE, .arg = 300 * MS };

	need_vfio_dev();
	CHECK(vfio_ring_submit(fx.v.dev, 0, &e));
}

static enum result call_vfio_close(void)
{
	int ret = close(fx.v.dev);

	fx.v.dev = -1;
	return ioctl_result(ret);
}

static void settle_vfio_close(void)
{
	settle_quiet();
}

static const struct op ops[] = {
	{ "dev-get", "dev-get do of zsv0", setup_dev_get, call_nl },
	{ "dev-get-dump", "dev-get dump", setup_dev_dump, call_nl },
	{ "dev-set", "dev-set of policy, timeslice, period, oversubscription",
	  setup_dev_set, call_nl, NULL, true },
	{ "dev-set-busy", "dev-set on a pdev with a slice and an open context",
	  setup_dev_set_slices, call_nl, NULL, true },
	{ "dev-new", "dev-new of a sim pdev", setup_dev_new, call_nl },
	{ "dev-del", "dev-del of a sim pdev", setup_dev_del, call_nl },
	{ "slice-new", "slice-new, reserved, every attribute", setup_slice_new,
	  call_nl },
	{ "slice-new-second", "slice-new next to another slice",
	  setup_slice_new_second, call_nl },
	{ "slice-new-shared", "slice-new, shared, on a pdev by id",
	  setup_slice_new_shared, call_nl },
	{ "slice-new-placed", "slice-new without a device, placed by binpack",
	  setup_slice_new_placed, call_nl },
	{ "slice-set", "slice-set of memory, weight, cap, timeslice",
	  setup_slice_set, call_nl },
	{ "slice-set-node", "slice-set of uid, gid, mode (node remade)",
	  setup_slice_set_node, call_nl },
	{ "slice-del", "slice-del without force", setup_slice_del, call_nl },
	{ "slice-del-force",
	  "slice-del with force: open context, touched mapping, running job",
	  setup_slice_del_force, call_nl, settle_quiet },
	{ "slice-get", "slice-get do", setup_slice_get, call_nl },
	{ "slice-get-dump", "slice-get dump", setup_slice_dump, call_nl },
	{ "slice-get-dump-dev", "slice-get dump of one pdev",
	  setup_slice_dump_dev, call_nl },
	{ "tenant-new", "tenant-new with every limit", setup_tenant_new,
	  call_nl },
	{ "tenant-set",
	  "tenant-set of every limit, below the usage, and of the weight",
	  setup_tenant_set, call_nl },
	{ "tenant-del", "tenant-del of a tenant without slices",
	  setup_tenant_del, call_nl },
	{ "tenant-get-dump", "tenant-get dump", setup_tenant_dump, call_nl },
	{ "slice-new-tenant", "slice-new into a tenant with a slice",
	  setup_slice_new_tenant, call_nl },
	{ "slice-new-tenant-placed", "slice-new without a device, in a tenant",
	  setup_slice_new_tenant_placed, call_nl },
	{ "slice-set-tenant", "slice-set moving a slice to another tenant, grown",
	  setup_slice_set_tenant, call_nl },
	{ "slice-set-untenant", "slice-set of tenant \"\": out of its tenant",
	  setup_slice_set_untenant, call_nl },
	{ "slice-del-tenant", "slice-del of a slice in a tenant",
	  setup_slice_del_tenant, call_nl },
	{ "group-new", "group-new of two slices on two pdevs, in a tenant",
	  setup_group_new, call_nl },
	{ "group-del", "group-del, forced, of two slices, one open",
	  setup_group_del, call_nl, settle_quiet },
	{ "open", "open of a slice node (context creation)", setup_open,
	  call_open },
	{ "info", "ZSV_IOCTL_INFO", setup_info, call_info },
	{ "bo-create", "ZSV_IOCTL_BO_CREATE next to two BOs", setup_bo_create,
	  call_bo_create },
	{ "bo-create-first", "ZSV_IOCTL_BO_CREATE of a context's first BO",
	  setup_bo_create_first, call_bo_create },
	{ "bo-destroy", "ZSV_IOCTL_BO_DESTROY of a mapped, touched BO",
	  setup_bo_destroy, call_bo_destroy },
	{ "bo-mmap-offset", "ZSV_IOCTL_BO_MMAP_OFFSET", setup_bo_mmap_offset,
	  call_bo_mmap_offset },
	{ "bo-mmap-touch", "mmap of a BO and the first touch of a page",
	  setup_info, call_bo_mmap_touch },
	{ "bo-touch-kernel", "first touch of a mapped BO page by read()",
	  setup_bo_touch_kernel, call_bo_touch_kernel },
	{ "status-mmap", "mmap of the status page and a read of it",
	  setup_info, call_status_mmap },
	{ "submit-fill", "ZSV_IOCTL_SUBMIT of a FILL", setup_submit_fill,
	  call_submit, settle_job },
	{ "submit-copy", "ZSV_IOCTL_SUBMIT of a COPY", setup_submit_copy,
	  call_submit, settle_job },
	{ "submit-compute", "ZSV_IOCTL_SUBMIT of a COMPUTE",
	  setup_submit_compute, call_submit, settle_job },
	{ "submit-checksum", "ZSV_IOCTL_SUBMIT of a CHECKSUM",
	  setup_submit_checksum, call_submit, settle_job },
	{ "submit-all", "ZSV_IOCTL_SUBMIT of a job of every op",
	  setup_submit_all, call_submit, settle_job },
	{ "wait", "ZSV_IOCTL_WAIT for a running job", setup_wait, call_wait },
	{ "poll", "poll() for a running job", setup_poll, call_poll },
	{ "close-job", "close of a context with a job in flight",
	  setup_close_job, call_close, settle_quiet },
	/* zsv_mdev: skipped when it is not loaded */
	{ "mdev-create", "mdev create (sysfs): the slice, the VFIO device",
	  setup_mdev_create, call_mdev_create, NULL, false, true, true },
	{ "mdev-remove", "mdev remove (sysfs)", setup_mdev_remove,
	  call_sysfs_write, NULL, false, true },
	{ "mdev-attr", "a per-instance attribute write (weight)",
	  setup_mdev_attr, call_sysfs_write, NULL, false, true },
	{ "vfio-open", "VFIO_GROUP_GET_DEVICE_FD: the device opened",
	  need_vfio_group, call_vfio_open, NULL, false, true, true },
	{ "vfio-info", "VFIO GET_INFO, GET_REGION_INFO, GET_IRQ_INFO",
	  need_vfio_dev, call_vfio_info, NULL, false, true },
	{ "vfio-set-irqs", "VFIO SET_IRQS of an eventfd (MSI)",
	  setup_vfio_set_irqs, call_vfio_set_irqs, NULL, false, true },
	{ "vfio-reset", "VFIO_DEVICE_RESET of a touched device",
	  setup_vfio_reset, call_vfio_reset, NULL, false, true },
	{ "vfio-config", "config space read and write", need_vfio_dev,
	  call_vfio_config, NULL, false, true },
	{ "vfio-bar0", "BAR0 register read and write", need_vfio_dev,
	  call_vfio_bar0, NULL, false, true },
	{ "vfio-bar2", "BAR2 pwrite of a new page and pread", need_vfio_dev,
	  call_vfio_bar2, NULL, false, true },
	{ "vfio-ring", "a ring entry (FILL), the doorbell, its completion",
	  setup_vfio_ring, call_vfio_ring, NULL, false, true },
	{ "vfio-close", "close of the device with a ring job running",
	  setup_vfio_close, call_vfio_close, settle_vfio_close, false, true },
};

#define NOPS (ARRAY_SIZE(ops))

/* --- teardown and settling ------------------------------------------------- */

static struct model base;
static char base_devs[16][ZSV_NAME_MAX + 1];
static int nbase_devs;
static struct { uint32_t policy, oversub; uint64_t timeslice, period; } zsv0_cfg;

/*
 * Wait until no job holds a BO: every pdev's mem_used is what its slices
 * use, and a slice without contexts uses nothing.
 */
static void settle_quiet(void)
{
	int64_t end = now_ns() + 30 * SEC;

	for (;;) {
		uint64_t pdev_used[16] = {}, slice_used[16] = {};
		bool busy = false;
		int err;

		err = dump(ZSV_CMD_SLICE_GET, ZSV_A_SLICE_MAX);
		if (err)
			bail("slice-get dump failed: %s", strerror(-err));
		for (int i = 0; i < rep->count; i++) {
			struct nlattr **tb = rep->attrs[i];
			uint32_t dev = nla_get_u32(tb[ZSV_A_SLICE_DEV_ID]);
			uint64_t used = attr_uint(tb[ZSV_A_SLICE_MEM_USED]);

			if (dev < 16)
				slice_used[dev] += used;
			if (used && !attr_uint(tb[ZSV_A_SLICE_CONTEXTS]))
				busy = true;
		}
		zsv_nl_reply_free(rep);
		err = dump(ZSV_CMD_DEV_GET, ZSV_A_DEV_MAX);
		if (err)
			bail("dev-get dump failed: %s", strerror(-err));
		for (int i = 0; i < rep->count; i++) {
			uint32_t id = nla_get_u32(rep->attrs[i][ZSV_A_DEV_ID]);

			if (id < 16)
				pdev_used[id] = attr_uint(rep->attrs[i][ZSV_A_DEV_MEM_USED]);
		}
		zsv_nl_reply_free(rep);
		for (int i = 0; i < 16; i++)
			if (pdev_used[i] != slice_used[i])
				busy = true;
		if (!busy)
			return;
		if (now_ns() > end)
			bail("jobs still hold BOs 30 s on");
		sleep_ms(20);
	}
}

static bool is_base_dev(const char *name)
{
	for (int i = 0; i < nbase_devs; i++)
		if (!strcmp(base_devs[i], name))
			return true;
	return false;
}

static void reset_zsv0(void)
{
	struct nl_msg *msg = zsv_nl_msg(&nl, ZSV_CMD_DEV_SET, 0);
	int err;

	nla_put_string(msg, ZSV_A_DEV_NAME, "zsv0");
	nla_put_u32(msg, ZSV_A_DEV_POLICY, zsv0_cfg.policy);
	nla_put_u64(msg, ZSV_A_DEV_TIMESLICE_NS, zsv0_cfg.timeslice);
	nla_put_u64(msg, ZSV_A_DEV_PERIOD_NS, zsv0_cfg.period);
	nla_put_u32(msg, ZSV_A_DEV_OVERSUB_PCT, zsv0_cfg.oversub);
	err = nl_do(msg, ZSV_A_DEV_MAX);
	if (err)
		bail("cannot reset zsv0: %s", strerror(-err));
}

/* Unlink nodes of our slices' names whose minor no live slice has. */
static void remove_stale_nodes(void)
{
	static const char *const paths[] = {
		"/dev/" SLICE_A, "/dev/" SLICE_B,
		"/dev/zsv/" SLICE_A, "/dev/zsv/" SLICE_B,
	};
	uint32_t ids[64];
	int nids = 0, err;

	err = dump(ZSV_CMD_SLICE_GET, ZSV_A_SLICE_MAX);
	if (err)
		bail("slice-get dump failed: %s", strerror(-err));
	for (int i = 0; i < rep->count && nids < 64; i++)
		ids[nids++] = nla_get_u32(rep->attrs[i][ZSV_A_SLICE_ID]);
	zsv_nl_reply_free(rep);
	for (size_t p = 0; p < ARRAY_SIZE(paths); p++) {
		struct stat st;
		bool live = false;

		if (lstat(paths[p], &st) || !S_ISCHR(st.st_mode) ||
		    (int)major(st.st_rdev) != zsv_major)
			continue;
		for (int i = 0; i < nids; i++)
			live |= ids[i] == minor(st.st_rdev);
		if (!live && unlink(paths[p]))
			note("cannot remove the stale node %s: %s", paths[p],
			     strerror(errno));
	}
}

/* The names of the tool's slices (PREFIX), up to 64: how many. */
static int our_slices(char names[64][ZSV_NAME_MAX + 1])
{
	int n = 0, err = dump(ZSV_CMD_SLICE_GET, ZSV_A_SLICE_MAX);

	if (err)
		bail("slice-get dump failed: %s", strerror(-err));
	for (int i = 0; i < rep->count && n < 64; i++) {
		const char *name = nla_get_string(rep->attrs[i][ZSV_A_SLICE_NAME]);

		if (!strncmp(name, PREFIX, strlen(PREFIX)))
			snprintf(names[n++], ZSV_NAME_MAX + 1, "%s", name);
	}
	zsv_nl_reply_free(rep);
	return n;
}

/* Destroy everything an iteration made and wait for the base state. */
static void teardown(void)
{
	char names[64][ZSV_NAME_MAX + 1];
	uint32_t ids[16];
	int n = 0, nids = 0, err;
	struct model m;
	int64_t end, mark = now_ns();

	if (fx.map && fx.map != MAP_FAILED)
		munmap(fx.map, BO_SIZE);
	if (fx.smap && fx.smap != MAP_FAILED)
		munmap(fx.smap, page_size);
	if (fx.fd >= 0)
		close(fx.fd);
	if (fx.zero_fd >= 0)
		close(fx.zero_fd);
	if (fx.nlfd >= 0)
		close(fx.nlfd);
	if (fx.sysfd >= 0)
		close(fx.sysfd);
	if (fx.efd >= 0)
		close(fx.efd);
	vfio_mdev_close(&fx.v);
	if (fx.mdev && mdev_exists(MDEV_UUID)) {
		err = mdev_remove(MDEV_UUID);
		if (err)
			bail("teardown: remove of the mdev: %s", strerror(-err));
	}

	t_td_close += since(&mark);
	n = our_slices(names);
	for (int i = 0; i < n; i++) {
		err = nl_slice_del(names[i]);
		if (err)
			bail("teardown: slice-del %s: %s", names[i], strerror(-err));
	}

	/* Then its tenants, which have no slices left. */
	err = dump(ZSV_CMD_TENANT_GET, ZSV_A_TENANT_MAX);
	if (err)
		bail("tenant-get dump failed: %s", strerror(-err));
	n = 0;
	for (int i = 0; i < rep->count && n < 64; i++) {
		const char *name = nla_get_string(rep->attrs[i][ZSV_A_TENANT_NAME]);

		if (!strncmp(name, PREFIX, strlen(PREFIX)))
			snprintf(names[n++], ZSV_NAME_MAX + 1, "%s", name);
	}
	zsv_nl_reply_free(rep);
	for (int i = 0; i < n; i++) {
		err = nl_tenant_del(names[i]);
		if (err)
			bail("teardown: tenant-del %s: %s", names[i], strerror(-err));
	}

	err = dump(ZSV_CMD_DEV_GET, ZSV_A_DEV_MAX);
	if (err)
		bail("dev-get dump failed: %s", strerror(-err));
	for (int i = 0; i < rep->count && nids < 16; i++)
		if (!is_base_dev(nla_get_string(rep->attrs[i][ZSV_A_DEV_NAME])))
			ids[nids++] = nla_get_u32(rep->attrs[i][ZSV_A_DEV_ID]);
	zsv_nl_reply_free(rep);
	for (int i = 0; i < nids; i++) {
		err = nl_dev_del(ids[i]);
		if (err)
			bail("teardown: dev-del %u: %s", ids[i], strerror(-err));
	}
	if (fx.dev_changed)
		reset_zsv0();

	memset(&fx, 0, sizeof(fx));
	fx.fd = fx.zero_fd = fx.nlfd = fx.sysfd = fx.efd = -1;
	fx.v.dev = fx.v.group = fx.v.container = -1;

	t_td_delete += since(&mark);
	/*
	 * A node that outlived its slice (a check has reported it already)
	 * would fail every later iteration: take it away.
	 */
	remove_stale_nodes();

	/* Jobs cancelled above let go of their BOs when their engines stop. */
	end = now_ns() + 30 * SEC;
	for (;;) {
		model_take(&m, &fx);
		if (model_eq(&m, &base))
			break;
		if (now_ns() > end) {
			model_diff("the start", &base, "after teardown", &m);
			bail("teardown does not get back to the state of the start");
		}
		model_free(&m);
		sleep_ms(20);
	}
	model_free(&m);
	t_td_settle += since(&mark);
}

/* --- the sweep ----------------------------------------------------------------- */

struct tally {
	unsigned int points;	/* faults fired */
	unsigned int failed;	/* ... and the call failed cleanly */
	unsigned int absorbed;	/* ... and the call succeeded all the same */
	unsigned int unknown;	/* ... and the ack was lost */
	unsigned int lost_events; /* successes short of notifications */
	unsigned int soft;	/* failures that moved a statistic only */
	unsigned int transient;	/* failures that notified what they took back */
	unsigned int problems;	/* iterations that failed a check */
	char first[200];	/* the first problem, in short */
	char errnos[256];	/* the errnos failed calls returned */
	double t_setup, t_model, t_call, t_teardown; /* seconds spent */
};

static unsigned int max_n = MAX_N_DEFAULT;

static void tally_errno(struct tally *t, int err)
{
	char name[32];

	snprintf(name, sizeof(name), " %s", strerrorname_np(err) ?: "?");
	if (!strstr(t->errnos, name) &&
	    strlen(t->errnos) + strlen(name) < sizeof(t->errnos))
		strcat(t->errnos, name);
}

/* One iteration's call: N = 0 is the reference run, without injection. */
static enum result run_call(const struct op *op, unsigned int n, bool *fired,
			    int *events, bool *overrun)
{
	enum result r;

	fx.dev_changed = op->dev_changed;
	monitor_drain(NULL);
	if (n) {
		arm_prepare(n);
		arm();
		r = op->call();
		*fired = disarm();
	} else {
		r = op->call();
		*fired = false;
	}
	*overrun = false;
	if (r != RES_FAILED && op->settle)
		op->settle();
	*events = monitor_drain(overrun);
	return r;
}

/*
 * After a check failed at N: make the same call fail at N again with the
 * fault's stack trace in the kernel log (verbose 2), and show the trace.
 */
static void explain(const struct op *op, unsigned int n)
{
	static char log[1 << 18];
	static const char *const verb[] = { DBG "/failslab/verbose",
			       DBG "/fail_page_alloc/verbose" };
	bool fired, overrun;
	int events, len, lines = 0, err;
	enum result r;
	char *p;

	for (int i = 0; i < 2; i++)
		knob_write(verb[i], "2");
	klogctl(5 /* SYSLOG_ACTION_CLEAR */, NULL, 0);
	op->setup();
	r = run_call(op, n, &fired, &events, &overrun);
	err = fx.err;
	teardown();
	for (int i = 0; i < 2; i++)
		knob_write(verb[i], "0");
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof(log) - 1);
	if (len <= 0)
		return;
	log[len] = 0;
	p = strstr(log, "FAULT_INJECTION");
	if (!fired || !p) {
		note("  the fault at N=%u did not fire again", n);
		return;
	}
	/* Fault points may shift a little from run to run (slab refills). */
	note("  where the fault at N=%u is (the same call again, verbose; it %s%s%s):",
	     n, result_names[r], r != RES_OK ? " with " : "",
	     r != RES_OK ? strerrorname_np(err) ?: "?" : "");
	while (p && *p && lines++ < 60) {
		char *e = strchr(p, '\n');

		if (e)
			*e = 0;
		/* "<5>[  1.234] text": keep the text */
		if (*p == '<' && strchr(p, ']'))
			p = strchr(p, ']') + 1;
		note("  | %s", p);
		p = e ? e + 1 : NULL;
	}
}

/* Report a problem of iteration N: the first few in full. */
static bool __attribute__((format(printf, 3, 4)))
problem(struct tally *t, unsigned int n, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!t->problems++)
		snprintf(t->first, sizeof(t->first), "N=%u: %s", n, msg);
	if (t->problems <= 3)
		note("PROBLEM at N=%u: %s", n, msg);
	return t->problems <= 3;
}

/*
 * Sweep one operation: the reference run, then N = 1, 2, ... until the
 * call meets no fault. Return: false when the reference run itself failed.
 */
static bool sweep(const struct op *op, struct tally *t)
{
	struct model ref_before, ref_after, before, after;
	int ref_events, events;
	bool fired, overrun, show;
	unsigned int n, explain_n;
	enum result r;
	int64_t mark;

	memset(t, 0, sizeof(*t));

	/* The reference run: what the call does without a fault. */
	op->setup();
	model_take(&ref_before, &fx);
	r = run_call(op, 0, &fired, &ref_events, &overrun);
	if (r != RES_OK) {
		snprintf(t->first, sizeof(t->first),
			 "fails without injection: %s (%s)", result_names[r],
			 strerror(fx.err));
		t->problems++;
		teardown();
		model_free(&ref_before);
		return false;
	}
	model_take(&ref_after, &fx);
	teardown();
	if (verbose)
		model_diff("before", &ref_before, "after the reference call",
			   &ref_after);
	if (!inject) {
		model_free(&ref_before);
		model_free(&ref_after);
		return true;
	}

	for (n = 1; n <= max_n; n++) {
		mark = now_ns();
		explain_n = 0;
		op->setup();
		t->t_setup += since(&mark);
		model_take(&before, &fx);
		t->t_model += since(&mark);
		r = run_call(op, n, &fired, &events, &overrun);
		t->t_call += since(&mark);
		model_take(&after, &fx);
		t->t_model += since(&mark);

		if (fired)
			t->points++;
		if (!model_eq(&before, &ref_before)) {
			if (problem(t, n, "the precondition differs from the reference run's"))
				model_diff("reference", &ref_before, "this run", &before);
		} else if (r == RES_OK) {
			if (fired)
				t->absorbed++;
			if (!model_eq(&after, &ref_after)) {
				show = problem(t, n, "the call succeeded%s, but the state is not the success state",
					       fired ? " despite the fault" : "");
				if (show) {
					model_diff("success state", &ref_after,
						   "this run", &after);
					explain_n = fired ? n : 0;
				}
			}
			if (events < ref_events && !overrun &&
			    !t->lost_events++) {
				note("%s: N=%u: %d notification(s), %d without the fault, and no ENOBUFS:",
				     op->name, n, events, ref_events);
				explain_n = n;
			}
		} else if (r == RES_FAILED) {
			t->failed++;
			tally_errno(t, fx.err);
			if (!fired) {
				problem(t, n, "the call failed (%s) without an injected fault",
					strerror(fx.err));
			} else if (!model_eq_hard(&after, &before)) {
				show = problem(t, n, "the call failed (%s) but changed the state",
					       strerror(fx.err));
				if (show) {
					model_diff("before", &before, "after", &after);
					explain_n = n;
				}
			} else if (!model_eq(&after, &before)) {
				if (!t->soft++) {
					note("%s: N=%u: the failed call (%s) moved a statistic:",
					     op->name, n, strerror(fx.err));
					model_diff("before", &before, "after", &after);
					explain_n = n;
				}
			}
			if (events && op->transient_events)
				t->transient++;
			else if (events &&
			    problem(t, n, "the call failed (%s) but %d notification(s) went out",
				    strerror(fx.err), events))
				explain_n = n;
		} else {
			/* The ack was lost: either outcome, whole. */
			t->unknown++;
			if (!model_eq(&after, &before) && !model_eq(&after, &ref_after) &&
			    problem(t, n, "the ack was lost (%s) and the state is neither the old nor the new one",
				    strerror(fx.err))) {
				model_diff("before", &before, "after", &after);
				model_diff("success state", &ref_after, "after", &after);
				explain_n = n;
			}
		}
		if (verbose)
			note("%s: N=%u: fault %s, call %s%s%s", op->name, n,
			     fired ? "fired" : "not reached", result_names[r],
			     r != RES_OK ? ": " : "", r != RES_OK ? strerror(fx.err) : "");
		model_free(&before);
		model_free(&after);
		teardown();
		t->t_teardown += since(&mark);
		if (explain_n)
			explain(op, explain_n);
		if (!fired && r == RES_OK)
			break;
		if (!fired) {
			/* The call fails by itself: sweeping on would not end. */
			break;
		}
	}
	if (n > max_n)
		problem(t, n, "still meets faults after %u fault points", max_n);
	model_free(&ref_before);
	model_free(&ref_after);
	return true;
}

static bool selected(const char *only, const char *name)
{
	size_t len = strlen(name);

	if (!only)
		return true;
	for (const char *p = only; p; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		if (!strncmp(p, name, len) && (p[len] == ',' || !p[len]))
			return true;
	}
	return false;
}

/* The stack the window runs on is touched, and everything locked, first. */
static void __attribute__((noinline)) pretouch_stack(void)
{
	volatile char buf[256 * 1024];

	for (size_t i = 0; i < sizeof(buf); i += 512)
		buf[i] = 0;
}

static int find_zsv_major(void)
{
	FILE *f = fopen("/proc/devices", "r");
	char line[128];
	bool chr = false;
	int major = -1, m;
	char name[64];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Character", 9))
			chr = true;
		else if (!strncmp(line, "Block", 5))
			chr = false;
		else if (chr && sscanf(line, "%d %63s", &m, name) == 2 &&
			 !strcmp(name, "zsv"))
			major = m;
	}
	fclose(f);
	return major;
}

static void take_base(void)
{
	int err = dump(ZSV_CMD_DEV_GET, ZSV_A_DEV_MAX);
	bool have_zsv0 = false, have_zsv1 = false;

	if (err)
		bail("dev-get dump failed: %s", strerror(-err));
	for (int i = 0; i < rep->count && nbase_devs < 16; i++) {
		struct nlattr **tb = rep->attrs[i];
		const char *name = nla_get_string(tb[ZSV_A_DEV_NAME]);

		snprintf(base_devs[nbase_devs++], sizeof(base_devs[0]), "%s", name);
		if (!strcmp(name, "zsv0")) {
			have_zsv0 = true;
			zsv0_cfg.policy = attr_uint(tb[ZSV_A_DEV_POLICY]);
			zsv0_cfg.oversub = attr_uint(tb[ZSV_A_DEV_OVERSUB_PCT]);
			zsv0_cfg.timeslice = attr_uint(tb[ZSV_A_DEV_TIMESLICE_NS]);
			zsv0_cfg.period = attr_uint(tb[ZSV_A_DEV_PERIOD_NS]);
		}
		if (!strcmp(name, "zsv1"))
			have_zsv1 = true;
	}
	zsv_nl_reply_free(rep);
	if (!have_zsv0 || !have_zsv1) {
		printf("1..0 # SKIP needs zsv_sim with two devices (zsv0, zsv1) of at least 8G\n");
		exit(0);
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "only", required_argument, NULL, 'o' },
		{ "max", required_argument, NULL, 'm' },
		{ "list", no_argument, NULL, 'l' },
		{ "no-inject", no_argument, NULL, 'n' },
		{ "passes", required_argument, NULL, 'p' },
		{ "plan-extra", required_argument, NULL, 'x' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct tally t, total = {};
	const char *only = NULL;
	unsigned int nsel = 0, swept = 0, failures = 0, passes = 1, plan_extra = 0;
	int64_t start = now_ns(), op_start;
	int c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt_long(argc, argv, "o:m:lnp:x:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			only = optarg;
			break;
		case 'm':
			max_n = strtoul(optarg, NULL, 0);
			break;
		case 'l':
			for (size_t i = 0; i < NOPS; i++)
				printf("%-20s %s\n", ops[i].name, ops[i].what);
			return 0;
		case 'n':
			inject = false;
			break;
		case 'x':
			plan_extra = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			passes = strtoul(optarg, NULL, 0);
			if (!passes)
				passes = 1;
			break;
		case 'v':
			verbose = true;
			break;
		default:
			fprintf(stderr, "usage: %s [--only OP[,OP...]] [--max N] [--passes N] [--list] [--no-inject] [--verbose]\n",
				argv[0]);
			return c == 'h' ? 0 : 2;
		}
	}
	page_size = sysconf(_SC_PAGESIZE);

	if (inject) {
		fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
		if (fail_nth_fd < 0) {
			printf("1..0 # SKIP no fail-nth\n");
			return 0;
		}
	}
	if (zsv_nl_open(&nl)) {
		printf("1..0 # SKIP zsv is not loaded\n");
		return 0;
	}
	rep = calloc(1, sizeof(*rep));
	if (!rep)
		bail("out of memory");
	monitor_grp = genl_ctrl_resolve_grp(nl.sock, ZSV_GENL_NAME,
					    ZSV_MCGRP_MONITOR);
	if ((int)monitor_grp < 0)
		bail("no monitor group");
	zsv_major = find_zsv_major();
	if (zsv_major < 0)
		bail("zsv has no character major in /proc/devices");
	take_base();
	if (mdev_parent_exists(MDEV_PARENT)) {
		char types[16][32];
		int nt = mdev_types(MDEV_PARENT, types, 16);
		uint64_t best = UINT64_MAX;

		for (int i = 0; i < nt; i++)
			if (mdev_type_bytes(types[i]) < best) {
				best = mdev_type_bytes(types[i]);
				snprintf(mdev_type, sizeof(mdev_type), "%s", types[i]);
			}
		have_mdev = nt > 0;
		if (mdev_exists(MDEV_UUID) && mdev_remove(MDEV_UUID))
			bail("cannot remove the mdev of an earlier run");
	}

	for (size_t i = 0; i < NOPS; i++)
		nsel += selected(only, ops[i].name);
	if (!nsel)
		bail("no operation named %s (--list lists them)", only);

	if (inject)
		injection_configure();
	if (inject && have_mdev)
		filter_out_function("vfio_create_group");
	monitor_open();
	memset(&fx, 0, sizeof(fx));
	fx.fd = fx.zero_fd = fx.nlfd = fx.sysfd = fx.efd = -1;
	fx.v.dev = fx.v.group = fx.v.container = -1;
	{
		/* Leftovers of an earlier run go first; then the base state. */
		char names[64][ZSV_NAME_MAX + 1];
		int n = our_slices(names);

		for (int i = 0; i < n; i++)
			nl_slice_del(names[i]);
		settle_quiet();
		model_take(&base, &fx);
		if (strstr(base.text, "slice " PREFIX))
			bail("cannot remove the slices of an earlier run");
	}
	pretouch_stack();
	if (mlockall(MCL_CURRENT))
		note("mlockall: %s (page faults of the tool itself may be injected)",
		     strerror(errno));

	if (!inject)
		passes = 1;
	printf("TAP version 13\n1..%u\n", nsel * passes + 1 + plan_extra);
	for (unsigned int k = 0; k < nsel * passes; k++) {
		size_t i = k % NOPS;
		char pass_note[24] = "";

		if (passes > 1 && k % nsel == 0)
			note("pass %u of %u", k / nsel + 1, passes);
		/* the k-th selected operation */
		for (size_t j = 0, seen = 0; j < NOPS; j++) {
			if (!selected(only, ops[j].name))
				continue;
			if (seen++ == k % nsel) {
				i = j;
				break;
			}
		}
		if (passes > 1)
			snprintf(pass_note, sizeof(pass_note), " (pass %u)",
				 k / nsel + 1);
		op_start = now_ns();
		if (ops[i].mdev && !have_mdev) {
			printf("ok %d - %s # SKIP zsv_mdev is not loaded\n", ++tap_n,
			       ops[i].name);
			continue;
		}
		if (!sweep(&ops[i], &t)) {
			printf("not ok %d - %s: %s\n", ++tap_n, ops[i].name, t.first);
			failures++;
			continue;
		}
		if (!inject) {
			printf("ok %d - %s: reference run only (no fail-nth) # SKIP %s\n",
			       ++tap_n, ops[i].name, ops[i].what);
			continue;
		}
		swept++;
		total.points += t.points;
		total.failed += t.failed;
		total.absorbed += t.absorbed;
		total.unknown += t.unknown;
		total.lost_events += t.lost_events;
		total.soft += t.soft;
		total.problems += t.problems;
		if (t.problems) {
			failures++;
			printf("not ok %d - %s%s: %u fault points swept, %u problem(s), the first at %s\n",
			       ++tap_n, ops[i].name, pass_note, t.points, t.problems, t.first);
		} else {
			printf("ok %d - %s%s: %u fault points swept (%u failed cleanly, %u absorbed, %u ack lost) in %.1f s\n",
			       ++tap_n, ops[i].name, pass_note, t.points, t.failed,
			       t.absorbed, t.unknown, (now_ns() - op_start) / 1e9);
		}
		if (verbose)
			note("%s: time in setup %.1f s, dumps %.1f s, calls %.1f s, teardown %.1f s",
			     ops[i].name, t.t_setup, t.t_model, t.t_call, t.t_teardown);
		if (t.errnos[0])
			note("%s: %s; errors returned:%s", ops[i].name, ops[i].what,
			     t.errnos);
		else
			note("%s: %s", ops[i].name, ops[i].what);
		if (t.transient)
			note("%s: %u failed call(s) notified a change they took back (slice-new and slice-del, or vfio_open 1 and 0)",
			     ops[i].name, t.transient);
		if (t.lost_events)
			note("%s: %u successful call(s) sent fewer notifications than without a fault, and the listener saw no ENOBUFS",
			     ops[i].name, t.lost_events);
	}

	/* Everything made is gone; no pdev has memory in use. */
	{
		struct model m;
		bool used = false;
		int err;

		model_take(&m, &fx);
		err = dump(ZSV_CMD_DEV_GET, ZSV_A_DEV_MAX);
		if (err)
			bail("dev-get dump failed: %s", strerror(-err));
		for (int i = 0; i < rep->count; i++)
			if (attr_uint(rep->attrs[i][ZSV_A_DEV_MEM_USED]))
				used = true;
		zsv_nl_reply_free(rep);
		if (!model_eq(&m, &base) || used) {
			printf("not ok %d - cleanup: the state differs from the start%s\n",
			       ++tap_n, used ? " (memory in use)" : "");
			model_diff("the start", &base, "the end", &m);
			failures++;
		} else {
			printf("ok %d - cleanup: everything the sweep made is gone, every pdev's mem_used is 0\n",
			       ++tap_n);
		}
		model_free(&m);
	}

	if (verbose) {
		note("model dumps: netlink %.1f s, nodes %.1f s, sysfs and INFO %.1f s",
		     t_dumps, t_nodes, t_rest);
		note("teardowns: closing %.1f s, deleting %.1f s, back to the start %.1f s",
		     t_td_close, t_td_delete, t_td_settle);
	}
	if (inject)
		printf("# failnth summary: %u operations swept, %u failure points injected (%u failed cleanly, %u absorbed, %u ack lost), %u notification losses, %u statistic-only changes, %u problem(s) in %u operation(s), %.0f s\n",
		       swept, total.points, total.failed, total.absorbed,
		       total.unknown, total.lost_events, total.soft,
		       total.problems, failures, (now_ns() - start) / 1e9);
	zsv_nl_close(&nl);
	return failures ? 1 : 0;
}
