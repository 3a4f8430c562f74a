// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-probe - a tiny workload for slices in containers.
 *
 *   zsv-probe [-d NODE] COMMAND...
 *
 * Linked statically, so that it runs in an image that holds nothing but
 * busybox. It opens NODE (default /dev/zsv/$ZSV_SLICE, as a workload given
 * a slice through CDI would) once and runs the commands in order on that
 * one context, printing one line per command, so that a test can assert
 * what a container saw:
 *
 *   info            ZSV_IOCTL_INFO, printed as the ZSV_SLICE_* variables of
 *                   the CDI spec ("info ZSV_SLICE_MEM_BYTES=8388608")
 *   fill SIZE PAT   a BO of SIZE bytes filled with the 32-bit PAT and its
 *                   CRC-32 computed by a job; both checked through mmap
 *   verify          every BO of "fill" still holds its pattern, and a new
 *                   checksum job still gets its CRC
 *   alloc SIZE      one BO_CREATE: "ok" or the errno's name (EDQUOT)
 *   calls           each data-plane ioctl once, with its result
 *   ready FILE      create FILE (tells the test this point is reached)
 *   wait FILE       wait until FILE exists (the test says go on)
 *
 * A failed call is a result, not an error: it is printed by its errno's
 * name and the next command runs. Exit status: 0, or 1 when a buffer or
 * checksum is wrong, the node cannot be opened or a wait times out, or 2
 * for bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/zsv.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PAGE_BYTES 4096
#define FILLS_MAX 16
/* How long a job or a "wait FILE" may take under TCG. */
#define JOB_TIMEOUT_S 30
#define WAIT_FILE_TIMEOUT_S 120

struct fill {
	uint32_t data; /* BO filled with @pattern */
	uint32_t result; /* BO whose first word gets the CRC */
	uint64_t size;
	uint32_t pattern;
	uint32_t crc;
	const uint32_t *map; /* @data, mapped */
	const uint32_t *result_map;
};

static int fd = -1;
static struct fill fills[FILLS_MAX];
static unsigned int nr_fills;

/* An errno by name ("EDQUOT"), as a test asserts it. */
static const char *err_name(int err)
{
	static char buf[16];
	const char *name = strerrorname_np(err);

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

/* zlib's CRC-32: reflected 0x04C11DB7, init and final ~0. */
static uint32_t crc32_buf(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uint32_t c = ~0U;
	int k;

	while (len--) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320U ^ (c >> 1) : c >> 1;
	}
	return ~c;
}

/* SIZE with an optional K, M or G suffix (powers of 1024). */
static bool parse_size(const char *str, uint64_t *size)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(str, &end, 0);
	if (errno || end == str || *str == '-')
		return false;
	switch (*end) {
	case 'G':
		n <<= 10;
		/* fall through */
	case 'M':
		n <<= 10;
		/* fall through */
	case 'K':
		n <<= 10;
		end++;
		break;
	}
	*size = n;
	return !*end;
}

static int bo_create(uint64_t size, uint32_t *handle)
{
	struct zsv_bo_create c = { .size = size };

	if (ioctl(fd, ZSV_IOCTL_BO_CREATE, &c) < 0)
		return errno;
	*handle = c.handle;
	return 0;
}

static int bo_map(uint32_t handle, uint64_t size, const uint32_t **map)
{
	struct zsv_bo_mmap_offset o = { .handle = handle };
	void *p;

	if (ioctl(fd, ZSV_IOCTL_BO_MMAP_OFFSET, &o) < 0)
		return errno;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)o.offset);
	if (p == MAP_FAILED)
		return errno;
	*map = p;
	return 0;
}

static int submit(const struct zsv_job_cmd *cmds, uint32_t count,
		  uint64_t *seqno)
{
	struct zsv_submit s = {
		.cmds = (uintptr_t)cmds,
		.count = count,
		.cmd_size = sizeof(*cmds),
	};

	if (ioctl(fd, ZSV_IOCTL_SUBMIT, &s) < 0)
		return errno;
	*seqno = s.seqno;
	return 0;
}

/* Wait for job @seqno; a job that failed counts as its errno. */
static int wait_job(uint64_t seqno)
{
	struct zsv_wait w = { .seqno = seqno };
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	w.timeout_ns =
		(now.tv_sec + JOB_TIMEOUT_S) * 1000000000LL + now.tv_nsec;
	if (ioctl(fd, ZSV_IOCTL_WAIT, &w) < 0)
		return errno;
	if (w.error_seqno == seqno)
		return w.error;
	return 0;
}

/* Checksum @f's data into its result BO with a job; 0 or an errno. */
static int checksum_job(const struct fill *f)
{
	struct zsv_job_cmd cmd = {
		.op = ZSV_OP_CHECKSUM,
		.dst = f->result,
		.src = f->data,
		.length = f->size,
	};
	uint64_t seqno = 0;
	int err;

	err = submit(&cmd, 1, &seqno);
	return err ? err : wait_job(seqno);
}

/* Does @f's mapping hold its pattern everywhere?  Says where not. */
static bool fill_intact(const struct fill *f, const char *what)
{
	uint64_t i;

	for (i = 0; i < f->size / 4; i++) {
		if (f->map[i] != f->pattern) {
			printf("%s: word %" PRIu64
			       " of the buffer is 0x%08" PRIx32
			       ", not 0x%08" PRIx32 "\n",
			       what, i, f->map[i], f->pattern);
			return false;
		}
	}
	return true;
}

static void print_info(void)
{
	static const char *const modes[] = {
		[ZSV_MEM_MODE_RESERVED] = "reserved",
		[ZSV_MEM_MODE_SHARED] = "shared",
	};
	struct zsv_info info;

	if (ioctl(fd, ZSV_IOCTL_INFO, &info) < 0) {
		printf("info: %s\n", err_name(errno));
		return;
	}
	printf("info ZSV_SLICE=%s\n", info.name);
	printf("info ZSV_SLICE_DEV=%s\n", info.dev_name);
	printf("info ZSV_SLICE_MEM_BYTES=%" PRIu64 "\n",
	       (uint64_t)info.mem_bytes);
	if (info.mem_mode < ARRAY_SIZE(modes))
		printf("info ZSV_SLICE_MEM_MODE=%s\n", modes[info.mem_mode]);
	else
		printf("info ZSV_SLICE_MEM_MODE=%" PRIu32 "\n", info.mem_mode);
	printf("info ZSV_SLICE_WEIGHT=%" PRIu32 "\n", info.weight);
	printf("info ZSV_SLICE_CAP_PCT=%" PRIu32 "\n", info.cap_pct);
}

/* fill SIZE PATTERN; false when the device computed something wrong. */
static bool do_fill(uint64_t size, uint32_t pattern)
{
	struct fill *f = &fills[nr_fills];
	struct zsv_job_cmd cmds[2] = {
		{ .op = ZSV_OP_FILL, .length = size, .arg = pattern },
		{ .op = ZSV_OP_CHECKSUM, .length = size },
	};
	const char *step;
	uint64_t seqno = 0;
	int err;

	printf("fill %" PRIu64 " 0x%08" PRIx32 ": ", size, pattern);
	if (nr_fills == FILLS_MAX || !size || size % PAGE_BYTES) {
		printf("at most %d fills of whole pages\n", FILLS_MAX);
		return false;
	}
	f->size = size;
	f->pattern = pattern;
	step = "BO_CREATE";
	err = bo_create(size, &f->data) ?: bo_create(PAGE_BYTES, &f->result);
	if (err)
		goto fail;
	cmds[0].dst = f->data;
	cmds[1].src = f->data;
	cmds[1].dst = f->result;
	step = "SUBMIT";
	err = submit(cmds, ARRAY_SIZE(cmds), &seqno);
	if (err)
		goto fail;
	step = "WAIT";
	err = wait_job(seqno);
	if (err)
		goto fail;
	step = "mmap";
	err = bo_map(f->data, size, &f->map) ?:
		      bo_map(f->result, PAGE_BYTES, &f->result_map);
	if (err)
		goto fail;
	nr_fills++;
	if (!fill_intact(f, "mismatch"))
		return false;
	f->crc = crc32_buf(f->map, size);
	if (f->result_map[0] != f->crc) {
		printf("mismatch: the job's CRC-32 is %08" PRIx32
		       ", the buffer's %08" PRIx32 "\n",
		       f->result_map[0], f->crc);
		return false;
	}
	printf("ok crc32=%08" PRIx32 "\n", f->crc);
	return true;
fail:
	printf("%s: %s\n", step, err_name(err));
	return true;
}

static bool do_verify(void)
{
	unsigned int i;
	int err;

	printf("verify: ");
	for (i = 0; i < nr_fills; i++) {
		struct fill *f = &fills[i];

		if (!fill_intact(f, "mismatch"))
			return false;
		/* A stale result would pass: clear it first. */
		((uint32_t *)f->result_map)[0] = ~f->crc;
		err = checksum_job(f);
		if (err) {
			printf("checksum job: %s\n", err_name(err));
			return true;
		}
		if (f->result_map[0] != f->crc) {
			printf("mismatch: CRC-32 %08" PRIx32 ", was %08" PRIx32
			       "\n",
			       f->result_map[0], f->crc);
			return false;
		}
	}
	printf("ok (%u buffers)\n", nr_fills);
	return true;
}

static void do_alloc(uint64_t size)
{
	uint32_t handle;
	int err = bo_create(size, &handle);

	printf("alloc %" PRIu64 ": %s\n", size, err ? err_name(err) : "ok");
}

static const char *call_result(int err)
{
	return err ? err_name(err) : "ok";
}

static int ioctl_err(unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? errno : 0;
}

/* Each data-plane call once, as after the slice is gone. */
static void do_calls(void)
{
	struct zsv_job_cmd cmd = { .op = ZSV_OP_COMPUTE, .arg = 1000 };
	struct zsv_bo_mmap_offset o = { .handle = 1 };
	struct zsv_wait w = { 0 };
	struct zsv_info info;
	uint32_t handle;
	uint64_t seqno = 0;

	printf("calls: INFO=%s", call_result(ioctl_err(ZSV_IOCTL_INFO, &info)));
	printf(" BO_CREATE=%s", call_result(bo_create(PAGE_BYTES, &handle)));
	printf(" SUBMIT=%s", call_result(submit(&cmd, 1, &seqno)));
	printf(" WAIT=%s", call_result(ioctl_err(ZSV_IOCTL_WAIT, &w)));
	printf(" BO_MMAP_OFFSET=%s\n",
	       call_result(ioctl_err(ZSV_IOCTL_BO_MMAP_OFFSET, &o)));
}

static bool do_ready(const char *path)
{
	int f = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (f < 0) {
		printf("ready %s: %s\n", path, strerror(errno));
		return false;
	}
	close(f);
	return true;
}

static bool do_wait(const char *path)
{
	struct timespec step = { .tv_nsec = 20 * 1000 * 1000 };
	int i;

	for (i = 0; i < WAIT_FILE_TIMEOUT_S * 50; i++) {
		if (!access(path, F_OK))
			return true;
		nanosleep(&step, NULL);
	}
	printf("wait %s: timed out after %d s\n", path, WAIT_FILE_TIMEOUT_S);
	return false;
}

static void usage(void)
{
	fputs("Usage: zsv-probe [-d NODE] COMMAND...\n"
	      "Commands: info, fill SIZE PATTERN, verify, alloc SIZE, calls,\n"
	      "          ready FILE, wait FILE\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	char node[sizeof("/dev/zsv/") + ZSV_NAME_MAX];
	const char *slice = getenv("ZSV_SLICE");
	uint64_t size, pattern;
	bool ok = true;
	int i = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 2 && !strcmp(argv[1], "-d")) {
		snprintf(node, sizeof(node), "%s", argv[2]);
		i = 3;
	} else if (slice) {
		snprintf(node, sizeof(node), "/dev/zsv/%s", slice);
	} else {
		fputs("zsv-probe: no -d NODE and no $ZSV_SLICE\n", stderr);
		return 2;
	}
	if (i == argc)
		usage();
	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("open %s: %s\n", node, err_name(errno));
		return 1;
	}
	for (; ok && i < argc; i++) {
		const char *cmd = argv[i],
			   *arg = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(cmd, "info")) {
			print_info();
		} else if (!strcmp(cmd, "verify")) {
			ok = do_verify();
		} else if (!strcmp(cmd, "calls")) {
			do_calls();
		} else if (!strcmp(cmd, "fill") && arg && i + 2 < argc &&
			   parse_size(arg, &size) &&
			   parse_size(argv[i + 2], &pattern) &&
			   pattern <= UINT32_MAX) {
			ok = do_fill(size, (uint32_t)pattern);
			i += 2;
		} else if (!strcmp(cmd, "alloc") && arg &&
			   parse_size(arg, &size)) {
			do_alloc(size);
			i++;
		} else if (!strcmp(cmd, "ready") && arg) {
			ok = do_ready(arg);
			i++;
		} else if (!strcmp(cmd, "wait") && arg) {
			ok = do_wait(arg);
			i++;
		} else {
			fprintf(stderr, "zsv-probe: bad command '%s'\n", cmd);
			usage();
		}
	}
	close(fd);
	return ok ? 0 : 1;
}
