// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-bench vfio: what a slice costs when a VM drives it as a mediated
 * device, against the same slice driven through its /dev/zsv node.
 *
 * The bench creates an mdev of one type of a pdev (the slice named by
 * its UUID) and opens it as QEMU does: a VFIO container with the type1
 * IOMMU (v2), the mdev's group, the device fd from the group, BAR0 found
 * with VFIO_DEVICE_GET_REGION_INFO, its ring page mapped (the sparse mmap
 * area QEMU maps into the guest) and an eventfd as its MSI trigger. Then
 * the same COMPUTE jobs run two ways on that slice:
 *
 *   ring:  write the entries in the mapped ring page, pwrite TAIL (the
 *          one trapped access), read the MSI eventfd, see completions
 *          by ZSV_RING_FLAG_DONE in the entries: what a guest driver
 *          costs under QEMU, one VM exit and one interrupt per job;
 *   cdev:  ZSV_IOCTL_SUBMIT and ZSV_IOCTL_WAIT on /dev/zsv/<uuid>.
 *
 * Latency is one job at a time, in blocks that alternate the two ways
 * (drift hits both alike); a job's wait is a blocking read of the
 * eventfd, which a watchdog thread wakes should a job never complete.
 * Throughput keeps a number of longer jobs in flight for a fixed time,
 * in halves ordered ring, cdev, cdev, ring; it counts only the entries
 * whose DONE flag it saw, in order, and checks RING_DONE against that
 * count once the ring has drained.
 * While the VFIO device is open its whole partition is charged to the
 * slice, so the node's context can make no buffer objects: COMPUTE is
 * the one op both ways can run.
 *
 * Then the mdev shares its pdev with a slice made by netlink: both kept
 * saturated (the mdev through its ring from a thread of its own, the
 * other through its node with load.c), first at weights 1:3, then 1:1
 * with the mdev capped at 25% through its sysfs attributes; each
 * slice's delivered share comes from the kernel's busy_ns (busy.c), as
 * for zsv-bench share, and is held against what share_model.c promises.
 *
 * Jobs the bench counts are checked against the slices' jobs_completed;
 * the mdev and the netlink slice are removed at the end, also on errors
 * and stop signals.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "bench.h"

#define VFIO_DEFAULT_DEV "zsv0"
#define VFIO_DEFAULT_ITERATIONS 2000
#define VFIO_DEFAULT_BLOCK 100
#define VFIO_DEFAULT_LAT_JOB "1us"
#define VFIO_DEFAULT_TPUT_JOB "100us"
#define VFIO_DEFAULT_INFLIGHT 32
#define VFIO_DEFAULT_DURATION "4s"
#define VFIO_DEFAULT_PERIODS 20
#define VFIO_DEFAULT_SHARE_JOB "2ms"
/*
 * Deep queues for the shares: a submitter the (virtual) CPU holds up
 * for a few jobs' time must not leave its slice idle.
 */
#define VFIO_DEFAULT_SHARE_INFLIGHT 32
#define VFIO_DEFAULT_PREFIX "zsv-bench-vfio"
/* The netlink slice's memory, reserved. */
#define VFIO_SLICE_MEM (16ULL << 20)
#define VFIO_WARMUP 20
/* Give up on a job after this long: something is broken. */
#define VFIO_WAIT_NS 10000000000LL
#define VFIO_WAIT_MS 10000
/* How often the watchdog looks at a blocking wait. */
#define VFIO_WATCHDOG_US 100000
/* Goals: ring / cdev at least this, share errors at most this. */
#define VFIO_GOAL_RATIO 0.9
#define VFIO_GOAL_PP 1.0

enum { WAY_RING, WAY_CDEV, WAYS };

/* The mdev, opened through VFIO. */
struct vdev {
	struct mdev_type type;
	char uuid[MDEV_UUID_LEN + 1];
	bool created;
	uint32_t slice_id;
	int container;
	int group;
	int device;
	int irq; /* the MSI eventfd, blocking */
	uint64_t bar0; /* offset of BAR0's region in the device fd */
	struct zsv_ring_entry *ring; /* BAR0's ring page, mapped */
	uint32_t engines; /* as ZSV_REG_ENGINES says */
	uint32_t tail; /* entries given */
	uint32_t done; /* entries seen completed */
	uint64_t jobs; /* entries completed, in all */
	uint64_t failed; /* of those, with a nonzero status */
	uint64_t irqs; /* eventfd wake-ups */
	/* When a blocking wait began, 0 while none is: the watchdog's. */
	atomic_uint_fast64_t wait_since_ns;
	atomic_bool watchdog_stop;
	/* Reaps that found every entry done: the ring had run dry. */
	atomic_uint_fast64_t dry;
};

/* One share case: promised and delivered per slice (0 mdev, 1 netlink). */
struct share_case_result {
	const char *name;
	uint32_t weight[2];
	uint32_t cap[2];
	double promised[2];
	double delivered[2]; /* over all the periods */
	double of_busy[2]; /* of the time the two used */
	double period_min[2];
	double period_max[2];
	double err_pp; /* worst |delivered - promised|, over all periods */
	double period_err_pp; /* the same, worst single period */
	uint32_t periods;
	uint64_t dry[2]; /* times a slice's submitter let it run dry */
};

struct vfio_bench {
	struct bench *b;
	const char *dev;
	const char *type_name;
	const char *prefix;
	uint32_t iterations;
	uint32_t block;
	uint64_t lat_job_ns;
	uint64_t tput_job_ns;
	uint32_t inflight;
	uint64_t duration_ns;
	uint32_t periods;
	uint64_t share_job_ns;
	uint32_t share_inflight;

	struct vdev v;
	struct tb_slice cdev; /* the mdev slice's node, for load.c */
	uint64_t cdev_jobs; /* jobs of cdev retired, in all */
	struct testbed tb; /* the pdev and the netlink slice */
	uint32_t slices_before;

	struct samples lat[WAYS];
	struct summary lat_sum[WAYS];
	double tput[WAYS]; /* jobs per second */
	uint64_t tput_jobs[WAYS];
	uint64_t tput_ns[WAYS];
	struct share_case_result cases[2];
	char nl_name[ZSV_NAME_MAX + 1]; /* the netlink slice */
	uint64_t nl_jobs; /* its jobs retired */
	struct zsv_slice_info *mdev_info; /* at the end, before removal */
	struct zsv_slice_info *nl_info;
	uint32_t ring_errors;
};

void vfio_usage(FILE *f)
{
	fputs("Usage: zsv-bench vfio [OPTIONS]\n"
	      "\n"
	      "Create an mdev of a pdev, open it through VFIO (type1 container, its\n"
	      "group, MSI on an eventfd) as QEMU does, and run the same COMPUTE jobs\n"
	      "on its slice through the BAR0 ring and through /dev/zsv/<uuid>:\n"
	      "latency one job at a time (median, p99) and throughput with the ring\n"
	      "kept full. Then share the pdev between the mdev (driven through its\n"
	      "ring) and a netlink slice (through its node), both saturated, at\n"
	      "weights 1:3, then 1:1 with the mdev capped at 25%, and compare each\n"
	      "slice's delivered share (busy_ns) with the promised one.\n"
	      "\n"
	      "Options:\n"
	      "  -d, --dev NAME          pdev, an mdev parent (default " VFIO_DEFAULT_DEV
	      ")\n"
	      "  -T, --type NAME         mdev type, e.g. zsv-256M (default the smallest)\n"
	      "  -n, --iterations N      timed jobs each way for latency (default 2000)\n"
	      "      --block N           jobs per block; blocks alternate the ways\n"
	      "                          (default 100)\n"
	      "      --latency-job DUR   COMPUTE time of those (default " VFIO_DEFAULT_LAT_JOB
	      ")\n"
	      "  -t, --duration DUR      throughput: time each way (default " VFIO_DEFAULT_DURATION
	      ")\n"
	      "      --job DUR           COMPUTE time of its jobs (default " VFIO_DEFAULT_TPUT_JOB
	      ")\n"
	      "      --inflight N        jobs kept in flight, at most 64 (default 32)\n"
	      "      --periods N         share: the pdev's periods per case (default 20)\n"
	      "      --share-job DUR     COMPUTE time of its jobs (default " VFIO_DEFAULT_SHARE_JOB
	      ")\n"
	      "      --share-inflight N  jobs each slice keeps in flight, at most 64\n"
	      "                          (default 32)\n"
	      "      --prefix NAME       name of the netlink slice: NAME-0\n"
	      "                          (default " VFIO_DEFAULT_PREFIX ")\n"
	      "  -j, --json, -p, --pretty, -h, --help   as for zsv-bench\n"
	      "\n"
	      "Needs zsv_mdev, vfio and vfio_iommu_type1 loaded. ratio is the ring's\n"
	      "rate against the node's (jobs/s ring / cdev; for latencies cdev / ring,\n"
	      "so higher is better for both): \"met\" when at least 0.9. Share errors\n"
	      "are |delivered - promised| in points of the pdev's engine time, over\n"
	      "all the periods of a case (goal: at most 1) and in the worst period;\n"
	      "\"ran dry\": how often the mdev's and the netlink slice's submitter\n"
	      "found all its jobs done (held up on the CPU, it let its slice idle).\n",
	      f);
}

static int parse_args(struct vfio_bench *vb, int argc, char **argv)
{
	enum {
		OPT_BLOCK = 0x100,
		OPT_LAT_JOB,
		OPT_JOB,
		OPT_INFLIGHT,
		OPT_PERIODS,
		OPT_SHARE_JOB,
		OPT_SHARE_INFLIGHT,
		OPT_PREFIX,
	};
	static const struct option long_opts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "type", required_argument, NULL, 'T' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "block", required_argument, NULL, OPT_BLOCK },
		{ "latency-job", required_argument, NULL, OPT_LAT_JOB },
		{ "duration", required_argument, NULL, 't' },
		{ "job", required_argument, NULL, OPT_JOB },
		{ "inflight", required_argument, NULL, OPT_INFLIGHT },
		{ "periods", required_argument, NULL, OPT_PERIODS },
		{ "share-job", required_argument, NULL, OPT_SHARE_JOB },
		{ "share-inflight", required_argument, NULL,
		  OPT_SHARE_INFLIGHT },
		{ "prefix", required_argument, NULL, OPT_PREFIX },
		BENCH_LONG_OPTS_COMMON,
	};
	char name[ZSV_NAME_MAX + 16];
	int opt, ret;

	vb->dev = VFIO_DEFAULT_DEV;
	vb->prefix = VFIO_DEFAULT_PREFIX;
	vb->iterations = VFIO_DEFAULT_ITERATIONS;
	vb->block = VFIO_DEFAULT_BLOCK;
	vb->inflight = VFIO_DEFAULT_INFLIGHT;
	vb->periods = VFIO_DEFAULT_PERIODS;
	vb->share_inflight = VFIO_DEFAULT_SHARE_INFLIGHT;
	zsv_parse_duration(VFIO_DEFAULT_LAT_JOB, &vb->lat_job_ns);
	zsv_parse_duration(VFIO_DEFAULT_TPUT_JOB, &vb->tput_job_ns);
	zsv_parse_duration(VFIO_DEFAULT_DURATION, &vb->duration_ns);
	zsv_parse_duration(VFIO_DEFAULT_SHARE_JOB, &vb->share_job_ns);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "d:T:n:t:" BENCH_OPTS_COMMON,
				  long_opts, NULL)) != -1) {
		ret = 0;
		switch (opt) {
		case 'd':
			vb->dev = optarg;
			break;
		case 'T':
			vb->type_name = optarg;
			break;
		case 'n':
			ret = bench_opt_u32(vfio_usage, "--iterations", optarg,
					    &vb->iterations, 0);
			break;
		case OPT_BLOCK:
			ret = bench_opt_u32(vfio_usage, "--block", optarg,
					    &vb->block, 0);
			break;
		case OPT_LAT_JOB:
			ret = bench_opt_duration(vfio_usage, "--latency-job",
						 optarg, &vb->lat_job_ns,
						 false);
			break;
		case 't':
			ret = bench_opt_duration(vfio_usage, "--duration",
						 optarg, &vb->duration_ns,
						 false);
			break;
		case OPT_JOB:
			ret = bench_opt_duration(vfio_usage, "--job", optarg,
						 &vb->tput_job_ns, false);
			break;
		case OPT_INFLIGHT:
			ret = bench_opt_u32(vfio_usage, "--inflight", optarg,
					    &vb->inflight, ZSV_RING_ENTRIES);
			break;
		case OPT_PERIODS:
			ret = bench_opt_u32(vfio_usage, "--periods", optarg,
					    &vb->periods, 0);
			break;
		case OPT_SHARE_JOB:
			ret = bench_opt_duration(vfio_usage, "--share-job",
						 optarg, &vb->share_job_ns,
						 false);
			break;
		case OPT_SHARE_INFLIGHT:
			ret = bench_opt_u32(vfio_usage, "--share-inflight",
					    optarg, &vb->share_inflight,
					    ZSV_RING_ENTRIES);
			break;
		case OPT_PREFIX:
			vb->prefix = optarg;
			break;
		default:
			ret = bench_opt_common(vb->b, vfio_usage, opt, argv);
			break;
		}
		if (ret)
			return ret;
	}
	if (optind < argc)
		return bench_usage_error(vfio_usage, "unexpected argument '%s'",
					 argv[optind]);
	if (vb->lat_job_ns > ZSV_COMPUTE_NS_MAX ||
	    vb->tput_job_ns > ZSV_COMPUTE_NS_MAX ||
	    vb->share_job_ns > ZSV_COMPUTE_NS_MAX)
		return bench_usage_error(
			vfio_usage, "a job must not exceed 10s of COMPUTE");
	snprintf(name, sizeof(name), "%s-0", vb->prefix);
	return bench_opt_names(vfio_usage, name, vb->dev);
}

/* ------------------------------------------------------------------ */
/* The device: VFIO as QEMU drives it */

static int reg_read(struct vdev *v, uint32_t reg, uint32_t *val)
{
	ssize_t n = pread(v->device, val, sizeof(*val), v->bar0 + reg);

	if (n == sizeof(*val))
		return 0;
	return n < 0 ? -errno : -EIO;
}

static int reg_write(struct vdev *v, uint32_t reg, uint32_t val)
{
	ssize_t n = pwrite(v->device, &val, sizeof(val), v->bar0 + reg);

	if (n == sizeof(val))
		return 0;
	return n < 0 ? -errno : -EIO;
}

/* Route the MSI to @fd, or with -1 take it away. */
static int vdev_set_msi(struct vdev *v, int fd)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int32_t)];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;
	int32_t efd = fd;

	memset(buf, 0, sizeof(buf));
	set->argsz = sizeof(buf);
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = VFIO_PCI_MSI_IRQ_INDEX;
	set->start = 0;
	set->count = 1;
	memcpy(set->data, &efd, sizeof(efd));
	return ioctl(v->device, VFIO_DEVICE_SET_IRQS, set) ? -errno : 0;
}

static int vdev_open(struct vfio_bench *vb)
{
	struct vdev *v = &vb->v;
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	struct vfio_device_info di = { .argsz = sizeof(di) };
	struct vfio_region_info ri = { .argsz = sizeof(ri) };
	struct vfio_irq_info ii = { .argsz = sizeof(ii) };
	char path[64];
	uint32_t id, features = 0;
	int group, err;

	v->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (v->container < 0)
		return bench_sys_fail(-errno, "/dev/vfio/vfio (modprobe vfio)");
	if (ioctl(v->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION ||
	    ioctl(v->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) <= 0)
		return bench_sys_fail(
			-ENOTSUP, "VFIO type1 v2 (modprobe vfio_iommu_type1)");
	group = mdev_iommu_group(v->uuid);
	if (group < 0)
		return bench_sys_fail(group, "the IOMMU group of mdev %s",
				      v->uuid);
	snprintf(path, sizeof(path), "/dev/vfio/%d", group);
	v->group = open(path, O_RDWR | O_CLOEXEC);
	if (v->group < 0)
		return bench_sys_fail(-errno, "%s", path);
	if (ioctl(v->group, VFIO_GROUP_GET_STATUS, &gs))
		return bench_sys_fail(-errno, "VFIO_GROUP_GET_STATUS");
	if (!(gs.flags & VFIO_GROUP_FLAGS_VIABLE))
		return bench_sys_fail(-EBUSY, "group %d is not viable", group);
	if (ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container))
		return bench_sys_fail(-errno, "VFIO_GROUP_SET_CONTAINER");
	if (ioctl(v->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return bench_sys_fail(-errno, "VFIO_SET_IOMMU");
	v->device = ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, v->uuid);
	if (v->device < 0)
		return bench_sys_fail(-errno, "VFIO_GROUP_GET_DEVICE_FD %s",
				      v->uuid);
	if (ioctl(v->device, VFIO_DEVICE_GET_INFO, &di))
		return bench_sys_fail(-errno, "VFIO_DEVICE_GET_INFO");
	if (!(di.flags & VFIO_DEVICE_FLAGS_PCI) ||
	    di.num_regions <= VFIO_PCI_BAR0_REGION_INDEX ||
	    di.num_irqs <= VFIO_PCI_MSI_IRQ_INDEX)
		return bench_sys_fail(-ENODEV, "mdev %s is no PCI device",
				      v->uuid);
	ri.index = VFIO_PCI_BAR0_REGION_INDEX;
	if (ioctl(v->device, VFIO_DEVICE_GET_REGION_INFO, &ri))
		return bench_sys_fail(-errno, "VFIO_DEVICE_GET_REGION_INFO");
	if (ri.size < ZSV_BAR0_SIZE ||
	    (ri.flags &
	     (VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE)) !=
		    (VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE))
		return bench_sys_fail(-ENODEV, "BAR0 of %llu bytes",
				      (unsigned long long)ri.size);
	v->bar0 = ri.offset;
	if (!(ri.flags & VFIO_REGION_INFO_FLAG_MMAP))
		return bench_sys_fail(-EOPNOTSUPP,
				      "BAR0 of mdev %s has no mappable ring page",
				      v->uuid);
	ii.index = VFIO_PCI_MSI_IRQ_INDEX;
	if (ioctl(v->device, VFIO_DEVICE_GET_IRQ_INFO, &ii))
		return bench_sys_fail(-errno, "VFIO_DEVICE_GET_IRQ_INFO");
	if (ii.count < 1 || !(ii.flags & VFIO_IRQ_INFO_EVENTFD))
		return bench_sys_fail(-ENODEV, "no MSI eventfd");
	err = reg_read(v, ZSV_REG_ID, &id);
	if (!err && id != ZSV_DEV_MAGIC)
		err = -ENODEV;
	if (!err)
		err = reg_read(v, ZSV_REG_ENGINES, &v->engines);
	if (!err)
		err = reg_read(v, ZSV_REG_FEATURES, &features);
	if (!err && !(features & ZSV_FEATURE_DONE_FLAG))
		err = -EOPNOTSUPP;
	if (err)
		return bench_sys_fail(err, "BAR0 of mdev %s", v->uuid);
	v->ring = mmap(NULL, ZSV_RING_ENTRIES * sizeof(*v->ring),
		       PROT_READ | PROT_WRITE, MAP_SHARED, v->device,
		       (off_t)(v->bar0 + ZSV_RING_OFFSET));
	if (v->ring == MAP_FAILED) {
		v->ring = NULL;
		return bench_sys_fail(-errno, "mmap the ring of mdev %s",
				      v->uuid);
	}
	/* Blocking: a latency wait is one read (ring_wait_one()). */
	v->irq = eventfd(0, EFD_CLOEXEC);
	if (v->irq < 0)
		return bench_sys_fail(-errno, "eventfd");
	err = vdev_set_msi(v, v->irq);
	if (err)
		return bench_sys_fail(err, "VFIO_DEVICE_SET_IRQS (MSI)");
	return BENCH_EXIT_OK;
}

static void vdev_close(struct vdev *v)
{
	if (v->ring)
		munmap(v->ring, ZSV_RING_ENTRIES * sizeof(*v->ring));
	v->ring = NULL;
	if (v->device >= 0) {
		if (v->irq >= 0)
			vdev_set_msi(v, -1);
		close(v->device);
	}
	if (v->irq >= 0)
		close(v->irq);
	if (v->group >= 0) {
		ioctl(v->group, VFIO_GROUP_UNSET_CONTAINER);
		close(v->group);
	}
	if (v->container >= 0)
		close(v->container);
	v->device = v->irq = v->group = v->container = -1;
}

/*
 * Write @count COMPUTE entries of @ns after TAIL in the mapped ring, then
 * ring the bell: one trapped access for them all.
 */
static int ring_give(struct vdev *v, uint32_t count, uint64_t ns)
{
	uint32_t i;

	if (!count)
		return 0;
	for (i = 0; i < count; i++) {
		/* Whole entries, ZSV_RING_FLAG_DONE clear. */
		v->ring[(v->tail + i) % ZSV_RING_ENTRIES] =
			(struct zsv_ring_entry){ .op = ZSV_RING_OP_COMPUTE,
						 .arg = ns };
	}
	/* The entries before the doorbell (a driver's wmb()). */
	atomic_thread_fence(memory_order_release);
	v->tail += count;
	return reg_write(v, ZSV_REG_RING_TAIL, v->tail);
}

/*
 * Take what the ring shows completed: the entries from v->done whose DONE
 * flag is set, in order (the device sets them in order). The number taken.
 */
static uint32_t ring_collect(struct vdev *v)
{
	uint32_t taken = 0;

	while (v->done != v->tail) {
		struct zsv_ring_entry *e = &v->ring[v->done % ZSV_RING_ENTRIES];

		/* The flag, then the status it publishes. */
		if (!(__atomic_load_n(&e->flags, __ATOMIC_ACQUIRE) &
		      ZSV_RING_FLAG_DONE))
			break;
		if (e->status)
			v->failed++;
		v->done++;
		taken++;
	}
	v->jobs += taken;
	return taken;
}

/*
 * Take what completed; when nothing had, wait up to @timeout_ms for the
 * MSI first. 0, -ETIME, -EINTR (a signal) or another negated errno.
 */
static int ring_reap(struct vdev *v, int timeout_ms)
{
	struct pollfd p = { .fd = v->irq, .events = POLLIN };
	uint64_t count;
	int n;

	if (!ring_collect(v)) {
		n = poll(&p, 1, timeout_ms);
		if (n < 0)
			return -errno;
		if (!n)
			return -ETIME;
		/* Readable: this read does not block. */
		if (read(v->irq, &count, sizeof(count)) < 0)
			return -errno;
		v->irqs++;
		/*
		 * The device signals every completion that raises
		 * ZSV_IRQ_DONE, after writing its entries' flags, whether
		 * or not the bit is still set (Documentation/vfio.rst), so
		 * a driver that reads the flags need not clear IRQ_STATUS.
		 */
		ring_collect(v);
	}
	if (v->done == v->tail)
		atomic_fetch_add(&v->dry, 1);
	return 0;
}

/*
 * Wait until every entry given has completed, then hold what the flags
 * said against RING_DONE.
 */
static int ring_drain(struct vdev *v)
{
	uint32_t done;
	int err = 0;

	while (!err && v->done != v->tail) {
		err = ring_reap(v, VFIO_WAIT_MS);
		if (err == -EINTR)
			err = 0;
	}
	if (!err)
		err = reg_read(v, ZSV_REG_RING_DONE, &done);
	if (!err && done != v->done)
		err = -EPROTO; /* the flags and RING_DONE disagree */
	return err;
}

/* Wakes a blocking wait of ring_wait_one() that has waited too long. */
static void *ring_watchdog(void *arg)
{
	struct vdev *v = arg;
	uint64_t since, one = 1;

	while (!atomic_load(&v->watchdog_stop)) {
		usleep(VFIO_WATCHDOG_US);
		since = atomic_load(&v->wait_since_ns);
		if (since && bench_now_ns() - since >= VFIO_WAIT_NS &&
		    write(v->irq, &one, sizeof(one)) < 0)
			break;
	}
	return NULL;
}

/*
 * Wait for the last entry given, sleeping in a read of the MSI eventfd:
 * the one syscall of the wait. 0, -ETIME or -EINTR (a signal).
 */
static int ring_wait_one(struct vdev *v)
{
	uint64_t t0 = bench_now_ns(), count;
	ssize_t n;

	while (!ring_collect(v)) {
		atomic_store(&v->wait_since_ns, t0);
		n = read(v->irq, &count, sizeof(count));
		atomic_store(&v->wait_since_ns, 0);
		if (n < 0 && (errno != EINTR || bench_stop))
			return -errno;
		if (n > 0)
			v->irqs++;
		if (v->done != v->tail && bench_now_ns() - t0 >= VFIO_WAIT_NS)
			return -ETIME;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Latency */

/* One job through the ring, from writing the entry to seeing DONE. */
static int ring_one(struct vfio_bench *vb, uint64_t *ns)
{
	struct vdev *v = &vb->v;
	uint64_t t0 = bench_now_ns();
	int err;

	err = ring_give(v, 1, vb->lat_job_ns);
	if (!err)
		err = ring_wait_one(v);
	*ns = bench_now_ns() - t0;
	if (err && !bench_stop)
		return bench_sys_fail(err, "a job through the ring of %s",
				      v->uuid);
	return BENCH_EXIT_OK;
}

/* One job through the node, from SUBMIT until WAIT returns. */
static int cdev_one(struct vfio_bench *vb, uint64_t *ns)
{
	struct zsv_job_cmd cmd = { .op = ZSV_OP_COMPUTE,
				   .arg = vb->lat_job_ns };
	struct zsv_job_status st = { 0 };
	struct tb_slice *s = &vb->cdev;
	uint64_t t0 = bench_now_ns(), seqno;
	int err;

	err = zsv_job_submit(s->fd, &cmd, 1, sizeof(cmd), &seqno);
	if (!err) {
		s->submitted = seqno;
		do {
			err = zsv_job_wait(s->fd, seqno,
					   zsv_monotonic_ns() + VFIO_WAIT_NS,
					   &st, sizeof(st));
		} while (err == -EINTR && !bench_stop);
	}
	*ns = bench_now_ns() - t0;
	if (err && !bench_stop)
		return bench_fail(vb->b, err, "a job through /dev/zsv/%s",
				  s->name);
	if (!err) {
		vb->cdev_jobs += seqno - s->completed;
		s->completed = seqno;
		if (st.error_seqno && st.error_seqno != s->error_seqno) {
			s->error_seqno = st.error_seqno;
			s->failed++;
		}
	}
	return BENCH_EXIT_OK;
}

static int one_job(struct vfio_bench *vb, int way, uint64_t *ns)
{
	return way == WAY_RING ? ring_one(vb, ns) : cdev_one(vb, ns);
}

/* Warm up, then the timed jobs, in blocks that alternate the ways. */
static int measure_latency_blocks(struct vfio_bench *vb)
{
	uint32_t i, blk, nblocks = (vb->iterations + vb->block - 1) / vb->block;
	uint64_t ns;
	int w, k, ret = BENCH_EXIT_OK;

	for (i = 0; i < VFIO_WARMUP && !ret && !bench_stop; i++)
		for (w = 0; w < WAYS && !ret; w++)
			ret = one_job(vb, w, &ns);
	for (blk = 0; blk < nblocks && !ret && !bench_stop; blk++) {
		uint32_t first = blk * vb->block;
		uint32_t count = vb->iterations - first < vb->block ?
					 vb->iterations - first :
					 vb->block;

		/* ring, cdev; cdev, ring; ... */
		for (k = 0; k < WAYS && !ret; k++) {
			w = blk % 2 ? WAYS - 1 - k : k;
			for (i = 0; i < count && !ret && !bench_stop; i++) {
				ret = one_job(vb, w, &ns);
				if (!ret && !bench_stop &&
				    samples_add(&vb->lat[w], ns))
					ret = bench_fail(vb->b, -ENOMEM,
							 "samples");
			}
		}
	}
	return ret;
}

static int measure_latency(struct vfio_bench *vb)
{
	pthread_t watchdog;
	int w, ret, err;

	atomic_init(&vb->v.wait_since_ns, 0);
	atomic_init(&vb->v.watchdog_stop, false);
	err = pthread_create(&watchdog, NULL, ring_watchdog, &vb->v);
	if (err)
		return bench_sys_fail(-err, "pthread_create");
	ret = measure_latency_blocks(vb);
	atomic_store(&vb->v.watchdog_stop, true);
	pthread_join(watchdog, NULL);
	if (ret || bench_stop)
		return ret;
	for (w = 0; w < WAYS; w++)
		samples_summarise(&vb->lat[w], &vb->lat_sum[w]);
	return BENCH_EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* Throughput */

/*
 * Keep @inflight entries of @ns given until @until_ns or @stop; the
 * entries that completed by then, and when that was, are the rate's.
 * Drains the ring after.
 */
static int ring_saturate(struct vdev *v, uint32_t inflight, uint64_t ns,
			 uint64_t until_ns, const atomic_bool *stop,
			 uint64_t *jobs, uint64_t *end_ns)
{
	uint64_t jobs0 = v->jobs, now;
	int err = 0;

	while (!err && !bench_stop && !(stop && atomic_load(stop))) {
		err = ring_give(v, inflight - (v->tail - v->done), ns);
		now = bench_now_ns();
		if (err || now >= until_ns)
			break;
		err = ring_reap(
			v, stop ? 100 :
				  (int)((until_ns - now + 999999) / 1000000));
		if (err == -ETIME || err == -EINTR)
			err = 0;
	}
	*end_ns = bench_now_ns();
	*jobs = v->jobs - jobs0;
	if (!err)
		err = ring_drain(v);
	return err;
}

/* Wait until every job of the node's context has retired. */
static int cdev_drain(struct vfio_bench *vb, struct tb_slice *s,
		      uint64_t *retired)
{
	struct zsv_job_status st = { 0 };
	int err = 0;

	if (s->completed == s->submitted)
		return 0;
	do {
		err = zsv_job_wait(s->fd, s->submitted,
				   zsv_monotonic_ns() + VFIO_WAIT_NS, &st,
				   sizeof(st));
	} while (err == -EINTR);
	if (err)
		return bench_fail(vb->b, err, "WAIT on /dev/zsv/%s", s->name);
	*retired += s->submitted - s->completed;
	s->completed = s->submitted;
	if (st.error_seqno && st.error_seqno != s->error_seqno) {
		s->error_seqno = st.error_seqno;
		s->failed++;
	}
	return 0;
}

/* The node's half: load.c keeps the jobs in flight. */
static int cdev_saturate(struct vfio_bench *vb, uint64_t until_ns,
			 uint64_t *jobs, uint64_t *end_ns)
{
	struct load l;
	uint64_t before = vb->cdev.completed;
	int ret;

	ret = load_init(&l, vb->b, vb->tput_job_ns, vb->tput_job_ns);
	if (!ret)
		ret = load_set(&l, vb->b, &vb->cdev, vb->inflight);
	if (!ret)
		ret = load_run(&l, vb->b, until_ns);
	*end_ns = bench_now_ns();
	*jobs = vb->cdev.completed - before;
	if (!ret)
		ret = load_set(&l, vb->b, &vb->cdev, 0);
	vb->cdev_jobs += vb->cdev.completed - before;
	if (!ret)
		ret = cdev_drain(vb, &vb->cdev, &vb->cdev_jobs);
	load_fini(&l);
	return ret;
}

static int measure_throughput(struct vfio_bench *vb)
{
	uint64_t half = vb->duration_ns / 2, start, end, jobs;
	int k, w, ret = BENCH_EXIT_OK, err;

	/* ring, cdev, cdev, ring: a drift over the run cancels out. */
	for (k = 0; k < 4 && !ret && !bench_stop; k++) {
		w = k == 1 || k == 2 ? WAY_CDEV : WAY_RING;
		start = bench_now_ns();
		if (w == WAY_RING) {
			err = ring_saturate(&vb->v, vb->inflight,
					    vb->tput_job_ns, start + half, NULL,
					    &jobs, &end);
			if (err && !bench_stop)
				ret = bench_sys_fail(err, "the ring of %s",
						     vb->v.uuid);
		} else {
			ret = cdev_saturate(vb, start + half, &jobs, &end);
		}
		vb->tput_jobs[w] += jobs;
		vb->tput_ns[w] += end - start;
	}
	for (w = 0; w < WAYS; w++)
		vb->tput[w] = vb->tput_ns[w] ?
				      vb->tput_jobs[w] * 1e9 / vb->tput_ns[w] :
				      0;
	return ret;
}

/* ------------------------------------------------------------------ */
/* Shares: the mdev and a netlink slice on one pdev */

/* The mdev's ring, kept full from a thread of its own. */
struct ring_feeder {
	struct vdev *v;
	uint32_t inflight;
	uint64_t ns;
	atomic_bool stop;
	int err;
	pthread_t thread;
};

static void *ring_feed(void *arg)
{
	struct ring_feeder *f = arg;
	uint64_t jobs, end;

	f->err = ring_saturate(f->v, f->inflight, f->ns, UINT64_MAX, &f->stop,
			       &jobs, &end);
	return NULL;
}

/*
 * Apply case @c's weights and caps: the mdev's through its sysfs
 * attributes (as mdevctl would), the netlink slice's by slice-set.
 */
static int share_apply(struct vfio_bench *vb, const struct share_case_result *c)
{
	int err;

	err = mdev_set_attr(vb->v.uuid, "weight", c->weight[0]);
	if (!err)
		err = mdev_set_attr(vb->v.uuid, "cap", c->cap[0]);
	if (err)
		return bench_sys_fail(err, "weight and cap of mdev %s",
				      vb->v.uuid);
	return tb_set_slice(&vb->tb, &vb->tb.slices[0], c->weight[1],
			    c->cap[1]);
}

static int share_case(struct vfio_bench *vb, struct load *l,
		      struct share_case_result *c)
{
	const uint32_t ids[2] = { vb->v.slice_id, vb->tb.slices[0].id };
	const bool busy[2] = { true, true };
	struct busy_sample smp[2] = { 0 };
	uint64_t period = vb->tb.period_ns, first_t = 0;
	uint64_t first_busy[2] = { 0 };
	uint32_t k, i;
	int ret, cur = 0;

	uint64_t dry0[2] = { 0 };

	share_promised(ZSV_POLICY_WEIGHTED, 2, c->weight, c->cap, busy,
		       c->promised);
	ret = share_apply(vb, c);
	if (ret)
		return ret;
	if (busy_sample_alloc(&smp[0], 2) || busy_sample_alloc(&smp[1], 2)) {
		ret = bench_fail(vb->b, -ENOMEM, "samples");
		goto out;
	}
	for (i = 0; i < 2; i++) {
		c->period_min[i] = INFINITY;
		c->period_max[i] = 0;
	}
	/* A period to settle, then one sample per period. */
	ret = load_run(l, vb->b, bench_now_ns() + period);
	for (k = 0; k <= vb->periods && !ret && !bench_stop; k++) {
		struct busy_sample *a = &smp[!cur], *b = &smp[cur];

		if (k)
			ret = load_run(l, vb->b, a->t_ns + period);
		if (ret || bench_stop)
			break;
		ret = busy_sample_take(vb->b, vb->tb.dev, ids, 2, b, NULL);
		if (ret)
			break;
		if (!k) {
			dry0[0] = atomic_load(&vb->v.dry);
			dry0[1] = l->dry;
			first_t = b->t_ns;
			memcpy(first_busy, b->busy_ns, sizeof(first_busy));
		} else {
			for (i = 0; i < 2; i++) {
				double d = busy_share(a, b, i, vb->tb.engines);
				double err = fabs(d - c->promised[i]) * 100;

				if (d < c->period_min[i])
					c->period_min[i] = d;
				if (d > c->period_max[i])
					c->period_max[i] = d;
				if (err > c->period_err_pp)
					c->period_err_pp = err;
			}
			c->periods++;
		}
		cur = !cur;
	}
	if (ret || bench_stop || !c->periods)
		goto out;
	c->dry[0] = atomic_load(&vb->v.dry) - dry0[0];
	c->dry[1] = l->dry - dry0[1];
	{
		const struct busy_sample *last = &smp[!cur];
		struct busy_sample first = { .t_ns = first_t,
					     .busy_ns = first_busy };
		double used = 0;

		for (i = 0; i < 2; i++) {
			c->delivered[i] =
				busy_share(&first, last, i, vb->tb.engines);
			used += c->delivered[i];
		}
		for (i = 0; i < 2; i++) {
			double err =
				fabs(c->delivered[i] - c->promised[i]) * 100;

			c->of_busy[i] = used > 0 ? c->delivered[i] / used : 0;
			if (err > c->err_pp)
				c->err_pp = err;
		}
	}
out:
	busy_sample_free(&smp[0]);
	busy_sample_free(&smp[1]);
	return ret;
}

static int measure_shares(struct vfio_bench *vb)
{
	struct ring_feeder f = { .v = &vb->v,
				 .ns = vb->share_job_ns,
				 .inflight = vb->share_inflight };
	struct load l = { .epfd = -1 };
	uint32_t inflight = vb->share_inflight;
	int ret, err;
	size_t i;

	ret = tb_open(&vb->tb, vb->b, vb->prefix, vb->dev, 0, 0);
	if (ret)
		return ret;
	ret = tb_set_policy(&vb->tb, ZSV_POLICY_WEIGHTED);
	if (!ret)
		ret = tb_add_slice(&vb->tb, VFIO_SLICE_MEM, 100, 100);
	if (!ret)
		ret = load_init(&l, vb->b, vb->share_job_ns, vb->share_job_ns);
	if (!ret)
		ret = load_set(&l, vb->b, &vb->tb.slices[0], inflight);
	if (ret)
		goto out;
	atomic_init(&f.stop, false);
	err = pthread_create(&f.thread, NULL, ring_feed, &f);
	if (err) {
		ret = bench_sys_fail(-err, "pthread_create");
		goto out;
	}
	for (i = 0; i < 2 && !ret && !bench_stop; i++)
		ret = share_case(vb, &l, &vb->cases[i]);
	atomic_store(&f.stop, true);
	pthread_join(f.thread, NULL);
	if (f.err && !ret && !bench_stop)
		ret = bench_sys_fail(f.err, "the ring of %s", vb->v.uuid);
	if (!ret)
		ret = load_set(&l, vb->b, &vb->tb.slices[0], 0);
	snprintf(vb->nl_name, sizeof(vb->nl_name), "%s", vb->tb.slices[0].name);
	vb->nl_jobs = vb->tb.slices[0].completed;
	if (!ret)
		ret = cdev_drain(vb, &vb->tb.slices[0], &vb->nl_jobs);
	if (!ret) {
		err = zsv_slice_get_by_id(vb->b->zh, vb->tb.slices[0].id,
					  &vb->nl_info);
		if (err)
			ret = bench_fail(vb->b, err, "slice-get %s",
					 vb->tb.slices[0].name);
	}
out:
	load_fini(&l);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Set-up and clean-up */

static int count_slices(struct vfio_bench *vb, uint32_t *count)
{
	struct zsv_dev_info *dev;
	int err;

	err = zsv_dev_get_by_name(vb->b->zh, vb->dev, &dev);
	if (err)
		return bench_fail(vb->b, err, "dev-get %s", vb->dev);
	*count = dev->slice_count;
	zsv_dev_info_free(dev);
	return BENCH_EXIT_OK;
}

static int setup(struct vfio_bench *vb)
{
	struct vdev *v = &vb->v;
	struct zsv_slice_info *info;
	int err, ret;

	if (!mdev_parent_exists(vb->dev)) {
		fprintf(stderr,
			"zsv-bench: %s is no mdev parent (is zsv_mdev loaded?)\n",
			vb->dev);
		return BENCH_EXIT_FAIL;
	}
	ret = count_slices(vb, &vb->slices_before);
	if (ret)
		return ret;
	err = mdev_pick_type(vb->dev, vb->type_name, &v->type);
	if (err)
		return bench_sys_fail(err, "mdev type %s of %s",
				      vb->type_name ? vb->type_name :
						      "(the smallest)",
				      vb->dev);
	err = mdev_uuid_new(v->uuid);
	if (err)
		return bench_sys_fail(err, "a UUID");
	err = mdev_create(&v->type, v->uuid);
	if (err)
		return bench_sys_fail(err, "cannot create an mdev of %s on %s",
				      v->type.name, vb->dev);
	v->created = true;
	err = zsv_slice_get_by_name(vb->b->zh, v->uuid, &info);
	if (err)
		return bench_fail(vb->b, err, "slice-get %s", v->uuid);
	v->slice_id = info->id;
	zsv_slice_info_free(info);
	ret = vdev_open(vb);
	if (ret)
		return ret;
	snprintf(vb->cdev.name, sizeof(vb->cdev.name), "%s", v->uuid);
	vb->cdev.id = v->slice_id;
	vb->cdev.fd = zsv_slice_open(v->uuid);
	if (vb->cdev.fd < 0) {
		err = vb->cdev.fd;
		vb->cdev.fd = -1;
		return bench_fail(vb->b, err, "cannot open /dev/zsv/%s",
				  v->uuid);
	}
	return BENCH_EXIT_OK;
}

/* The mdev slice's counters, once nothing of it runs. */
static int read_mdev_counters(struct vfio_bench *vb)
{
	int err = reg_read(&vb->v, ZSV_REG_RING_ERRORS, &vb->ring_errors);

	if (err)
		return bench_sys_fail(err, "RING_ERRORS of %s", vb->v.uuid);
	err = zsv_slice_get_by_id(vb->b->zh, vb->v.slice_id, &vb->mdev_info);
	if (err)
		return bench_fail(vb->b, err, "slice-get %s", vb->v.uuid);
	return BENCH_EXIT_OK;
}

/* Remove what we made, whatever failed; an exit status. */
static int teardown(struct vfio_bench *vb, uint32_t *slices_after)
{
	int ret = BENCH_EXIT_OK, err;

	if (vb->cdev.fd >= 0)
		close(vb->cdev.fd);
	vb->cdev.fd = -1;
	free(vb->cdev.job_ns);
	vb->cdev.job_ns = NULL;
	vdev_close(&vb->v);
	if (vb->v.created) {
		err = mdev_remove(vb->v.uuid);
		if (err)
			ret = bench_sys_fail(err, "cleanup: remove mdev %s",
					     vb->v.uuid);
		else
			vb->v.created = false;
	}
	if (vb->tb.b) {
		err = tb_close(&vb->tb);
		if (!ret)
			ret = err;
	}
	if (!ret)
		ret = count_slices(vb, slices_after);
	if (!ret &&
	    (mdev_exists(vb->v.uuid) || *slices_after != vb->slices_before)) {
		fprintf(stderr,
			"zsv-bench: left behind: mdev %s %s, %s has %" PRIu32
			" slices (%" PRIu32 " before)\n",
			vb->v.uuid, mdev_exists(vb->v.uuid) ? "exists" : "gone",
			vb->dev, *slices_after, vb->slices_before);
		ret = BENCH_EXIT_FAIL;
	}
	return ret;
}

/* ------------------------------------------------------------------ */
/* Reporting */

static const struct report_col vfio_cols[] = {
	{ "figure", "figure", REPORT_STR }, { "unit", "unit", REPORT_STR },
	{ "ring", "ring", REPORT_REAL },    { "cdev", "cdev", REPORT_REAL },
	{ "ratio", "ratio", REPORT_RATIO }, { "goal", "goal", REPORT_STR },
};

static const char *verdict(bool met)
{
	return met ? "met" : "missed";
}

static int put_row(struct report *r, const char *figure, const char *unit,
		   double ring, double cdev, double ratio)
{
	json_object *row = report_row(r);
	char goal[32];

	snprintf(goal, sizeof(goal), ">= %.1f %s", VFIO_GOAL_RATIO,
		 verdict(ratio >= VFIO_GOAL_RATIO));
	if (!row || report_put_str(row, "figure", figure) ||
	    report_put_str(row, "unit", unit) ||
	    report_put_double(row, "ring", ring) ||
	    report_put_double(row, "cdev", cdev) ||
	    report_put_double(row, "ratio", ratio) ||
	    report_put_str(row, "goal", goal) ||
	    report_put_str(row, "verdict", verdict(ratio >= VFIO_GOAL_RATIO)))
		return -ENOMEM;
	return 0;
}

static double ratio_of(double num, double den)
{
	return den > 0 ? num / den : 0;
}

static int report_slice_share(json_object *arr,
			      const struct share_case_result *c, int i,
			      const char *kind, const char *name)
{
	json_object *o = json_object_new_object();

	if (!o || json_object_array_add(arr, o)) {
		json_object_put(o);
		return -ENOMEM;
	}
	if (report_put_str(o, "kind", kind) ||
	    report_put_str(o, "name", name) ||
	    report_put_u64(o, "weight", c->weight[i]) ||
	    report_put_u64(o, "cap_pct", c->cap[i]) ||
	    report_put_double(o, "promised_pct", c->promised[i] * 100) ||
	    report_put_double(o, "delivered_pct", c->delivered[i] * 100) ||
	    report_put_double(o, "of_busy_pct", c->of_busy[i] * 100) ||
	    report_put_double(o, "period_min_pct", c->period_min[i] * 100) ||
	    report_put_double(o, "period_max_pct", c->period_max[i] * 100) ||
	    report_put_double(o, "err_pp",
			      fabs(c->delivered[i] - c->promised[i]) * 100) ||
	    report_put_u64(o, "ran_dry", c->dry[i]))
		return -ENOMEM;
	return 0;
}

static int report_shares(struct vfio_bench *vb, struct report *r)
{
	json_object *share = json_object_new_object();
	json_object *cases = json_object_new_array();
	double worst = 0, worst_period = 0;
	size_t k;

	if (!share || report_put(report_summary(r), "share", share)) {
		json_object_put(share);
		json_object_put(cases);
		return -ENOMEM;
	}
	if (!cases || report_put(share, "cases", cases))
		return -ENOMEM;
	if (report_line(
		    r,
		    "share of %s's engine time, promised/delivered %% over %" PRIu32
		    " periods of %.0f ms (mdev %s, netlink %s):",
		    vb->tb.dev, vb->periods, vb->tb.period_ns / 1e6, vb->v.uuid,
		    vb->nl_name))
		return -ENOMEM;
	for (k = 0; k < 2; k++) {
		const struct share_case_result *c = &vb->cases[k];
		json_object *o = json_object_new_object();
		json_object *sl = json_object_new_array();

		if (!o || json_object_array_add(cases, o)) {
			json_object_put(o);
			json_object_put(sl);
			return -ENOMEM;
		}
		if (!sl || report_put(o, "slices", sl) ||
		    report_put_str(o, "case", c->name) ||
		    report_put_u64(o, "periods", c->periods) ||
		    report_put_double(o, "err_pp", c->err_pp) ||
		    report_put_double(o, "period_err_pp", c->period_err_pp) ||
		    report_slice_share(sl, c, 0, "mdev", vb->v.uuid) ||
		    report_slice_share(sl, c, 1, "netlink", vb->nl_name))
			return -ENOMEM;
		if (report_line(
			    r,
			    "  %-22s mdev %.1f/%.1f  netlink %.1f/%.1f  err %.2f pp (worst period %.2f); ran dry %" PRIu64
			    "/%" PRIu64,
			    c->name, c->promised[0] * 100,
			    c->delivered[0] * 100, c->promised[1] * 100,
			    c->delivered[1] * 100, c->err_pp, c->period_err_pp,
			    c->dry[0], c->dry[1]))
			return -ENOMEM;
		if (c->err_pp > worst)
			worst = c->err_pp;
		if (c->period_err_pp > worst_period)
			worst_period = c->period_err_pp;
	}
	if (report_put_double(share, "max_err_pp", worst) ||
	    report_put_double(share, "max_period_err_pp", worst_period) ||
	    report_put_double(share, "goal_pp", VFIO_GOAL_PP) ||
	    report_put_str(share, "verdict", verdict(worst <= VFIO_GOAL_PP)))
		return -ENOMEM;
	return report_line(r, "  max error %.2f pp (goal <= %.1f): %s", worst,
			   VFIO_GOAL_PP, verdict(worst <= VFIO_GOAL_PP));
}

static int report_jobs(struct vfio_bench *vb, struct report *r)
{
	json_object *jobs = json_object_new_object();
	uint64_t mdev_counted = vb->v.jobs + vb->cdev_jobs;

	if (!jobs || report_put(report_summary(r), "jobs", jobs)) {
		json_object_put(jobs);
		return -ENOMEM;
	}
	if (report_put_u64(jobs, "mdev_ring", vb->v.jobs) ||
	    report_put_u64(jobs, "mdev_cdev", vb->cdev_jobs) ||
	    report_put_u64(jobs, "mdev_counted", mdev_counted) ||
	    report_put_u64(jobs, "mdev_kernel_completed",
			   vb->mdev_info->jobs_completed) ||
	    report_put_u64(jobs, "mdev_kernel_failed",
			   vb->mdev_info->jobs_failed) ||
	    report_put_u64(jobs, "mdev_cdev_failed", vb->cdev.failed) ||
	    report_put_u64(jobs, "ring_errors", vb->ring_errors) ||
	    report_put_u64(jobs, "ring_failed_seen", vb->v.failed) ||
	    report_put_u64(jobs, "ring_irqs", vb->v.irqs) ||
	    report_put_u64(jobs, "netlink_counted", vb->nl_jobs) ||
	    report_put_u64(jobs, "netlink_kernel_completed",
			   vb->nl_info->jobs_completed) ||
	    report_put_u64(jobs, "netlink_kernel_failed",
			   vb->nl_info->jobs_failed))
		return -ENOMEM;
	return report_line(r,
			   "jobs: mdev slice %" PRIu64 " (ring %" PRIu64
			   ", cdev %" PRIu64 "), kernel says %" PRIu64
			   " completed, %" PRIu64 " failed, %" PRIu32
			   " ring errors; netlink slice %" PRIu64
			   ", kernel says %" PRIu64,
			   mdev_counted, vb->v.jobs, vb->cdev_jobs,
			   vb->mdev_info->jobs_completed,
			   vb->mdev_info->jobs_failed, vb->ring_errors,
			   vb->nl_jobs, vb->nl_info->jobs_completed);
}

static int build_report(struct vfio_bench *vb, struct report *r,
			uint32_t slices_after, uint64_t elapsed_ns)
{
	json_object *params = report_params(r), *summary = report_summary(r);
	json_object *lat = json_object_new_object();
	json_object *tput = json_object_new_object();
	json_object *clean = json_object_new_object();
	const struct summary *rs = &vb->lat_sum[WAY_RING];
	const struct summary *cs = &vb->lat_sum[WAY_CDEV];
	double med = ratio_of(cs->median_ns, rs->median_ns);
	double p99 = ratio_of(cs->p99_ns, rs->p99_ns);
	double tr = ratio_of(vb->tput[WAY_RING], vb->tput[WAY_CDEV]);
	char mem[ZSV_UNIT_STR_MAX];

	if (report_put(summary, "latency", lat)) {
		json_object_put(lat);
		lat = NULL;
	}
	if (report_put(summary, "throughput", tput)) {
		json_object_put(tput);
		tput = NULL;
	}
	if (report_put(summary, "cleanup", clean)) {
		json_object_put(clean);
		clean = NULL;
	}
	if (!lat || !tput || !clean)
		return -ENOMEM;
	if (report_put_str(params, "dev", vb->dev) ||
	    report_put_str(params, "type", vb->v.type.name) ||
	    report_put_u64(params, "mem_bytes", vb->v.type.mem_bytes) ||
	    report_put_str(params, "uuid", vb->v.uuid) ||
	    report_put_u64(params, "engines", vb->v.engines) ||
	    report_put_u64(params, "period_ns", vb->tb.period_ns) ||
	    report_put_u64(params, "iterations", vb->iterations) ||
	    report_put_u64(params, "block", vb->block) ||
	    report_put_u64(params, "latency_job_ns", vb->lat_job_ns) ||
	    report_put_u64(params, "duration_ns", vb->duration_ns) ||
	    report_put_u64(params, "job_ns", vb->tput_job_ns) ||
	    report_put_u64(params, "inflight", vb->inflight) ||
	    report_put_u64(params, "periods", vb->periods) ||
	    report_put_u64(params, "share_job_ns", vb->share_job_ns) ||
	    report_put_u64(params, "share_inflight", vb->share_inflight) ||
	    report_put_double(params, "goal_ratio", VFIO_GOAL_RATIO) ||
	    report_put_double(params, "goal_pp", VFIO_GOAL_PP))
		return -ENOMEM;

	if (put_row(r, "latency median", "us", rs->median_ns / 1e3,
		    cs->median_ns / 1e3, med) ||
	    put_row(r, "latency p99", "us", rs->p99_ns / 1e3, cs->p99_ns / 1e3,
		    p99) ||
	    put_row(r, "throughput", "jobs/s", vb->tput[WAY_RING],
		    vb->tput[WAY_CDEV], tr))
		return -ENOMEM;

	if (report_put_summary(lat, "ring_ns", rs) ||
	    report_put_summary(lat, "cdev_ns", cs) ||
	    report_put_double(lat, "median_ratio", med) ||
	    report_put_double(lat, "p99_ratio", p99) ||
	    report_put_str(lat, "verdict", verdict(med >= VFIO_GOAL_RATIO)) ||
	    report_put_double(tput, "ring_jobs_per_s", vb->tput[WAY_RING]) ||
	    report_put_double(tput, "cdev_jobs_per_s", vb->tput[WAY_CDEV]) ||
	    report_put_u64(tput, "ring_jobs", vb->tput_jobs[WAY_RING]) ||
	    report_put_u64(tput, "cdev_jobs", vb->tput_jobs[WAY_CDEV]) ||
	    report_put_double(tput, "ideal_jobs_per_s",
			      vb->v.engines * 1e9 / vb->tput_job_ns) ||
	    report_put_double(tput, "ratio", tr) ||
	    report_put_str(tput, "verdict", verdict(tr >= VFIO_GOAL_RATIO)))
		return -ENOMEM;

	zsv_format_size(vb->v.type.mem_bytes, mem, sizeof(mem));
	if (report_title(
		    r,
		    "zsv-bench vfio on %s: mdev %s (%s, %s), %" PRIu32
		    " engines; latency: %" PRIu32
		    " jobs of %.1f us each way; throughput: %.1f s each way, %" PRIu32
		    " jobs of %.0f us in flight",
		    vb->dev, vb->v.uuid, vb->v.type.name, mem, vb->v.engines,
		    vb->iterations, vb->lat_job_ns / 1e3, vb->duration_ns / 1e9,
		    vb->inflight, vb->tput_job_ns / 1e3) ||
	    report_line(
		    r,
		    "ring: entries in the mapped ring page, TAIL doorbell, MSI eventfd, DONE flags; cdev: SUBMIT+WAIT on /dev/zsv/%s",
		    vb->v.uuid) ||
	    report_line(
		    r, "ratio: ring rate / cdev rate (latency: cdev / ring)") ||
	    report_shares(vb, r) || report_jobs(vb, r))
		return -ENOMEM;

	if (report_put_bool(clean, "mdev_removed", !mdev_exists(vb->v.uuid)) ||
	    report_put_u64(clean, "slices_before", vb->slices_before) ||
	    report_put_u64(clean, "slices_after", slices_after) ||
	    report_put_u64(summary, "elapsed_ns", elapsed_ns))
		return -ENOMEM;
	return report_line(r,
			   "cleanup: mdev removed, %s has %" PRIu32
			   " slices, as before; took %.1f s in all",
			   vb->dev, slices_after, elapsed_ns / 1e9);
}

int vfio_main(struct bench *b, int argc, char **argv)
{
	struct vfio_bench vb = {
		.b = b,
		.v = { .container = -1, .group = -1, .device = -1, .irq = -1 },
		.cdev = { .fd = -1 },
		.cases = {
			{ .name = "weights 1:3",
			  .weight = { 100, 300 }, .cap = { 100, 100 } },
			{ .name = "1:1, mdev cap 25%",
			  .weight = { 100, 100 }, .cap = { 25, 100 } },
		},
	};
	struct report *r = NULL;
	uint32_t slices_after = 0;
	uint64_t start_ns;
	int ret, err, w;

	ret = parse_args(&vb, argc, argv);
	if (ret)
		return ret < 0 ? BENCH_EXIT_OK : ret;
	ret = bench_connect(b);
	if (ret)
		return ret;
	bench_catch_signals();
	start_ns = bench_now_ns();
	ret = setup(&vb);
	if (!ret && !bench_stop)
		ret = measure_latency(&vb);
	if (!ret && !bench_stop)
		ret = measure_throughput(&vb);
	if (!ret && !bench_stop)
		ret = measure_shares(&vb);
	if (!ret && !bench_stop)
		ret = read_mdev_counters(&vb);
	err = teardown(&vb, &slices_after);
	if (!ret)
		ret = err;
	if (bench_stop) {
		ret = bench_stopped_status();
		goto out;
	}
	if (ret)
		goto out;
	r = report_new("vfio", vfio_cols,
		       sizeof(vfio_cols) / sizeof(vfio_cols[0]));
	err = r ? build_report(&vb, r, slices_after,
			       bench_now_ns() - start_ns) :
		  -ENOMEM;
	if (!err)
		err = report_print(r, b, stdout);
	if (err)
		ret = bench_fail(b, err, "report");
out:
	report_free(r);
	for (w = 0; w < WAYS; w++)
		samples_free(&vb.lat[w]);
	zsv_slice_info_free(vb.mdev_info);
	zsv_slice_info_free(vb.nl_info);
	return ret;
}
