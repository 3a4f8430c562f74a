// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-guest: what the nested test runs inside the guest, on a slice of the
 * zsv_pci pdev, through the /dev/zsv ioctls alone (the guest's initramfs
 * holds no libraries for it: it is linked statically, with zlib's CRC).
 *
 *   zsv-guest bo SLICE BYTES      make a BO; print "ok" or the errno's name
 *   zsv-guest data SLICE ROUNDS   FILL, COPY and CHECKSUM jobs over a 1 MiB
 *                                 BO, the CRC checked against zlib's; print
 *                                 "ok" and the data rate, or what was wrong
 *   zsv-guest share SLICE SECONDS keep every engine busy with COMPUTE jobs;
 *                                 print the share of engines x time they got
 *   zsv-guest rate SLICE SECONDS  the same with COMPUTE jobs of 1 us: print
 *                                 "ok", the jobs retired per second and, for
 *                                 scale, the INFO ioctls made per second
 *   zsv-guest load SLICE SECONDS  run jobs until one fails, for at most
 *                                 SECONDS (and succeed if one fails); print
 *                                 its errno, what a mapping of a BO reads
 *                                 then and what INFO answers
 *   zsv-guest probe-faults DEVICE unbind the PCI device (0000:00:02.0) from
 *                                 zsv_pci and bind it again with each of
 *                                 probe's steps failing in turn (debugfs
 *                                 zsv_pci/fail_probe) until a bind works;
 *                                 print "ok" and the step count, or what a
 *                                 failed probe left behind
 *
 * Exit status: 0 when the command did what it says, 1 otherwise.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include <linux/zsv.h>

#define MIB (1024 * 1024)

static const char *errname(int err)
{
	switch (err) {
	case EDQUOT: return "EDQUOT";
	case ENODEV: return "ENODEV";
	case EIO: return "EIO";
	case ENOMEM: return "ENOMEM";
	case ECANCELED: return "ECANCELED";
	case EINVAL: return "EINVAL";
	default: return strerror(err);
	}
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int slice_open(const char *name)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/dev/zsv/%s", name);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
	return fd;
}

/* A BO's handle, or 0 with errno set. */
static uint32_t bo_new(int fd, uint64_t size)
{
	struct zsv_bo_create c = { .size = size };

	return ioctl(fd, ZSV_IOCTL_BO_CREATE, &c) ? 0 : c.handle;
}

static void *bo_map(int fd, uint32_t handle, uint64_t size)
{
	struct zsv_bo_mmap_offset o = { .handle = handle };
	void *p;

	if (ioctl(fd, ZSV_IOCTL_BO_MMAP_OFFSET, &o))
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, o.offset);
	return p == MAP_FAILED ? NULL : p;
}

/* Queue a job; its sequence number, or 0 with errno set. */
static uint64_t submit(int fd, const struct zsv_job_cmd *cmds, uint32_t n)
{
	struct zsv_submit s = {
		.cmds = (uintptr_t)cmds,
		.count = n,
		.cmd_size = sizeof(*cmds),
	};

	while (ioctl(fd, ZSV_IOCTL_SUBMIT, &s)) {
		if (errno != EINTR)
			return 0;
	}
	return s.seqno;
}

/* Wait for @seqno; 0, or the errno of the call or of the latest failure. */
static int wait_for(int fd, uint64_t seqno, uint64_t *failed)
{
	struct zsv_wait w = {
		.seqno = seqno,
		.timeout_ns = (int64_t)(now_ns() + 60000000000ULL),
	};

	while (ioctl(fd, ZSV_IOCTL_WAIT, &w)) {
		if (errno != EINTR)
			return errno;
	}
	if (failed)
		*failed = w.error_seqno;
	return w.error;
}

static int cmd_bo(int fd, const char *size)
{
	if (bo_new(fd, strtoull(size, NULL, 0)))
		puts("ok");
	else
		puts(errname(errno));
	return 0;
}

static int cmd_data(int fd, const char *arg)
{
	unsigned int rounds = strtoul(arg, NULL, 0), i;
	uint32_t src, dst, sum, want;
	uint64_t t0, bytes = 0;
	uint32_t *s, *d, *c;
	double secs;
	int err;

	src = bo_new(fd, MIB);
	dst = bo_new(fd, MIB);
	sum = bo_new(fd, 4096);
	s = bo_map(fd, src, MIB);
	d = bo_map(fd, dst, MIB);
	c = bo_map(fd, sum, 4096);
	if (!src || !dst || !sum || !s || !d || !c) {
		printf("cannot make the BOs: %s\n", strerror(errno));
		return 1;
	}
	t0 = now_ns();
	for (i = 0; i < rounds; i++) {
		/* An offset and length off the page grid, different each round. */
		uint64_t off = 4 * (i * 1237 % 4096), len = MIB - off - 4 * i;
		struct zsv_job_cmd cmds[3] = {
			{ .op = ZSV_OP_FILL, .dst = src, .length = MIB,
			  .arg = 0x9e3779b9u * (i + 1) },
			{ .op = ZSV_OP_COPY, .dst = dst, .src = src,
			  .dst_offset = off, .src_offset = 4 * i, .length = len },
			{ .op = ZSV_OP_CHECKSUM, .dst = sum, .src = dst,
			  .dst_offset = 4 * (i % 1024), .src_offset = off,
			  .length = len },
		};
		uint64_t seq = submit(fd, cmds, 3);

		if (!seq) {
			printf("round %u: SUBMIT: %s\n", i, errname(errno));
			return 1;
		}
		err = wait_for(fd, seq, NULL);
		if (err) {
			printf("round %u: the job failed: %s\n", i, errname(err));
			return 1;
		}
		want = crc32(crc32(0, NULL, 0), (const unsigned char *)d + off,
			     len);
		if (c[i % 1024] != want || s[0] != 0x9e3779b9u * (i + 1) ||
		    d[off / 4 + 7] != s[i + 7]) {
			printf("round %u: CRC %08x, zlib says %08x (or the FILL/COPY is wrong)\n",
			       i, c[i % 1024], want);
			return 1;
		}
		bytes += MIB + 2 * len;
	}
	secs = (now_ns() - t0) / 1e9;
	printf("ok %u rounds of FILL+COPY+CHECKSUM, %.1f MiB/s\n", rounds,
	       bytes / secs / MIB);
	return 0;
}

/*
 * Keep twice the engines in flight with COMPUTE jobs of @job_ns for
 * @arg seconds, so that none ever waits for work; the jobs retired in
 * the window (the ones still running are not counted), its length and
 * the engine count. 0, or 1 with what went wrong printed.
 */
static int stream(int fd, uint64_t job_ns, const char *arg, uint64_t *done,
		  double *secs, unsigned int *engines)
{
	struct zsv_job_cmd cmd = { .op = ZSV_OP_COMPUTE, .arg = job_ns };
	uint64_t next = 1, end, t0, seq, inflight;
	struct zsv_info info;
	int err;

	if (ioctl(fd, ZSV_IOCTL_INFO, &info)) {
		printf("INFO: %s\n", errname(errno));
		return 1;
	}
	inflight = 2 * info.engines;
	for (seq = 0; seq < inflight; seq++)
		if (!submit(fd, &cmd, 1)) {
			printf("SUBMIT: %s\n", errname(errno));
			return 1;
		}
	*done = 0;
	t0 = now_ns();
	end = t0 + (uint64_t)(strtod(arg, NULL) * 1e9);
	while (now_ns() < end) {
		err = wait_for(fd, next, NULL);
		if (err) {
			printf("job %" PRIu64 ": %s\n", next, errname(err));
			return 1;
		}
		(*done)++;
		next++;
		if (!submit(fd, &cmd, 1)) {
			printf("SUBMIT: %s\n", errname(errno));
			return 1;
		}
	}
	*secs = (now_ns() - t0) / 1e9;
	*engines = info.engines;
	wait_for(fd, next + inflight - 1, NULL);
	return 0;
}

static int cmd_share(int fd, const char *arg)
{
	const uint64_t job_ns = 10000000;
	unsigned int engines;
	uint64_t done;
	double secs;

	if (stream(fd, job_ns, arg, &done, &secs, &engines))
		return 1;
	printf("share %.2f %% of %u engines over %.2f s (%" PRIu64 " jobs of %" PRIu64 " us)\n",
	       100.0 * done * job_ns / (secs * 1e9 * engines),
	       engines, secs, done, job_ns / 1000);
	return 0;
}

/*
 * Job throughput: jobs so short (1 us) that their path is all they cost;
 * and, for scale, INFO ioctls for half a second (a system call that
 * touches no device: what this CPU does without the device's path).
 */
static int cmd_rate(int fd, const char *arg)
{
	uint64_t done, infos = 0, t0, end;
	struct zsv_info info;
	unsigned int engines;
	double secs;

	if (stream(fd, 1000, arg, &done, &secs, &engines))
		return 1;
	t0 = now_ns();
	end = t0 + 500000000;
	do {
		if (ioctl(fd, ZSV_IOCTL_INFO, &info)) {
			printf("INFO: %s\n", errname(errno));
			return 1;
		}
		infos++;
	} while (now_ns() < end);
	printf("ok %.0f jobs/s (%" PRIu64 " COMPUTE jobs of 1 us in %.2f s, %u in flight); %.0f INFO/s\n",
	       done / secs, done, secs, 2 * engines,
	       infos / ((now_ns() - t0) / 1e9));
	return 0;
}

static int cmd_load(int fd, const char *arg)
{
	struct zsv_job_cmd cmds[2] = {
		{ .op = ZSV_OP_COMPUTE, .arg = 1000000 },
		{ .op = ZSV_OP_FILL, .length = MIB, .arg = 0x5a5a5a5a },
	};
	uint64_t n = 0, seq = 0, failed = 0, end, t0;
	struct zsv_info info;
	uint32_t bo, *p;
	int err = 0, r;

	bo = bo_new(fd, MIB);
	p = bo ? bo_map(fd, bo, MIB) : NULL;
	if (!p) {
		printf("cannot make the BO: %s\n", strerror(errno));
		return 1;
	}
	cmds[1].dst = bo;
	printf("load: running\n");
	fflush(stdout);
	end = now_ns() + (uint64_t)(strtod(arg, NULL) * 1e9);
	while (now_ns() < end) {
		seq = submit(fd, cmds, 2);
		if (!seq) {
			err = errno;
			printf("load: SUBMIT after %" PRIu64 " jobs: %s\n", n,
			       errname(err));
			break;
		}
		err = wait_for(fd, seq, &failed);
		if (err) {
			printf("load: job %" PRIu64 " (after %" PRIu64 " jobs): %s\n",
			       failed ? failed : seq, n, errname(err));
			break;
		}
		n++;
	}
	if (!err)
		printf("load: no job failed in %s s (%" PRIu64 " jobs)\n", arg, n);
	/* The mapping outlives the device: it reads, and nothing crashes. */
	printf("load: the mapping reads %08x\n", p[MIB / 8]);
	/*
	 * A job fails as soon as the driver gives up on the device; the
	 * slice goes a little later, when the pdev is unregistered.
	 */
	t0 = now_ns();
	while (!(r = ioctl(fd, ZSV_IOCTL_INFO, &info)) &&
	       now_ns() - t0 < 2000000000ULL)
		usleep(10000);
	printf("load: INFO: %s after %" PRIu64 " ms\n",
	       r ? errname(errno) : "ok", (now_ns() - t0) / 1000000);
	return err ? 0 : 1;
}

/* Write @s to @path; return 0 or the errno of the write. */
static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, s, strlen(s)) < 0)
		err = errno;
	close(fd);
	return err;
}

/* How many times @path holds @needle (0 if it cannot be read). */
static int file_count(const char *path, const char *needle)
{
	static char buf[1 << 16];
	ssize_t n = 0, r;
	int fd = open(path, O_RDONLY), count = 0;
	const char *p = buf;

	if (fd < 0)
		return 0;
	while (n < (ssize_t)sizeof(buf) - 1 &&
	       (r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = 0;
	while ((p = strstr(p, needle))) {
		count++;
		p += strlen(needle);
	}
	return count;
}

/* The pdevs of backend pci in sysfs. */
static int pci_pdevs(void)
{
	DIR *d = opendir("/sys/class/zsv");
	struct dirent *e;
	char path[300];
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		snprintf(path, sizeof(path), "/sys/class/zsv/%s/backend",
			 e->d_name);
		n += file_count(path, "pci\n");
	}
	closedir(d);
	return n;
}

/* Whether the kernel logged @needle since the last call; @kmsg nonblocking. */
static int kmsg_has(int kmsg, const char *needle)
{
	char rec[2048];
	ssize_t r;
	int found = 0;

	/* EPIPE: records were overwritten before they were read. */
	while ((r = read(kmsg, rec, sizeof(rec) - 1)) > 0 ||
	       (r < 0 && errno == EPIPE)) {
		if (r <= 0)
			continue;
		rec[r] = 0;
		found |= strstr(rec, needle) != NULL;
	}
	return found;
}

/*
 * What a failed probe must leave as it was before: the pdevs of backend
 * pci, the IRQs and I/O memory named zsv_pci (other devices of zsv_pci
 * keep theirs).
 */
struct probe_traces {
	int pdevs;
	int irqs;
	int iomem;
};

static void probe_traces(struct probe_traces *t)
{
	t->pdevs = pci_pdevs();
	t->irqs = file_count("/proc/interrupts", "zsv_pci");
	t->iomem = file_count("/proc/iomem", "zsv_pci");
}

static int cmd_probe_faults(const char *device)
{
	const char *drv = "/sys/bus/pci/drivers/zsv_pci";
	char path[256], want[64], left[1024] = "";
	struct probe_traces before, now;
	int kmsg, step, err = 0;
	size_t l;

	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsg < 0 || lseek(kmsg, 0, SEEK_END) < 0) {
		printf("cannot read /dev/kmsg: %s\n", strerror(errno));
		return 1;
	}
	snprintf(path, sizeof(path), "%s/unbind", drv);
	err = write_file(path, device);
	if (err) {
		printf("cannot unbind %s: %s\n", device, strerror(err));
		return 1;
	}
	probe_traces(&before);
	for (step = 1; step <= 40; step++) {
		snprintf(want, sizeof(want), "%d", step);
		err = write_file("/sys/kernel/debug/zsv_pci/fail_probe", want);
		if (err) {
			printf("cannot write fail_probe: %s\n", strerror(err));
			return 1;
		}
		snprintf(path, sizeof(path), "%s/bind", drv);
		if (!write_file(path, device))
			break;
		l = strlen(left);
		snprintf(want, sizeof(want), "probe step %d fails", step);
		if (!kmsg_has(kmsg, want))
			snprintf(left + l, sizeof(left) - l, " %d:no-message", step);
		probe_traces(&now);
		l = strlen(left);
		if (now.pdevs != before.pdevs)
			snprintf(left + l, sizeof(left) - l, " %d:pdev", step);
		l = strlen(left);
		if (now.irqs != before.irqs)
			snprintf(left + l, sizeof(left) - l, " %d:irq", step);
		l = strlen(left);
		if (now.iomem != before.iomem)
			snprintf(left + l, sizeof(left) - l, " %d:iomem", step);
		l = strlen(left);
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/enable",
			 device);
		if (file_count(path, "0\n") != 1)
			snprintf(left + l, sizeof(left) - l, " %d:enabled", step);
	}
	close(kmsg);
	if (step > 40) {
		printf("no bind worked in 40 tries:%s\n", left);
		return 1;
	}
	if (left[0]) {
		printf("failed probes left behind:%s\n", left);
		return 1;
	}
	printf("ok %d steps\n", step - 1);
	return 0;
}

int main(int argc, char **argv)
{
	int fd;

	/* Lines reach a redirected output even if the process is killed. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 3) {
		fprintf(stderr, "usage: zsv-guest bo|data|share|rate|load SLICE [ARG]\n"
			"       zsv-guest probe-faults DEVICE\n");
		return 2;
	}
	if (!strcmp(argv[1], "probe-faults") && argc == 3)
		return cmd_probe_faults(argv[2]);
	fd = slice_open(argv[2]);
	if (fd < 0)
		return 1;
	if (!strcmp(argv[1], "bo") && argc == 4)
		return cmd_bo(fd, argv[3]);
	if (!strcmp(argv[1], "data") && argc == 4)
		return cmd_data(fd, argv[3]);
	if (!strcmp(argv[1], "share") && argc == 4)
		return cmd_share(fd, argv[3]);
	if (!strcmp(argv[1], "rate") && argc == 4)
		return cmd_rate(fd, argv[3]);
	if (!strcmp(argv[1], "load") && argc == 4)
		return cmd_load(fd, argv[3]);
	fprintf(stderr, "zsv-guest: bad arguments\n");
	return 2;
}
