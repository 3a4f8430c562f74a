// SPDX-License-Identifier: GPL-2.0-only
/*
 * Buffer objects against the real module (zsv_sim with two 16 GiB
 * devices, zsv0 and zsv1): every rejected input of BO_CREATE, BO_DESTROY
 * and BO_MMAP_OFFSET, exact quota and shared-pool enforcement (also under
 * racing threads), lazily backed zeroed memory, mappings and what happens
 * to them when a BO, its context or its slice goes away. Every test cleans
 * up after itself (slices named "t-*").
 */
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nl_helpers.h"
#include "zsv_helpers.h"

static long page_size;

/* Delete every "t-*" slice by force and put oversubscription back to 100 %. */
static void cleanup_slices(struct zsv_nl *nl)
{
	delete_test_slices(nl);
	dev_set_u32(nl, "zsv0", ZSV_A_DEV_OVERSUB_PCT, 100);
	dev_set_u32(nl, "zsv1", ZSV_A_DEV_OVERSUB_PCT, 100);
}

static uint64_t slice_mem_used(struct zsv_nl *nl, const char *name)
{
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));
	uint64_t v;

	zsv_slice_get(nl, r, name);
	v = zsv_r_u64(r, ZSV_A_SLICE_MEM_USED);
	zsv_nl_reply_free(r);
	free(r);
	return v;
}

/* Make slice NAME on DEV with MEM bytes in MODE and open its node. */
static int new_slice_fd(struct zsv_nl *nl, const char *name, const char *dev,
			uint64_t mem, uint32_t mode)
{
	struct nl_msg *msg = zsv_slice_new_msg(nl, name, dev, mem);

	nla_put_u32(msg, ZSV_A_SLICE_MEM_MODE, mode);
	return slice_new_open(nl, msg, name);
}

static uint64_t info_mem_used(int fd)
{
	struct zsv_info info;

	if (ioctl(fd, ZSV_IOCTL_INFO, &info))
		return ~0ULL;
	return info.mem_used;
}

/* Whether touching P in a child process kills it with SIGBUS. */
static bool touch_raises_sigbus(volatile uint8_t *p)
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		p[0] = 1;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS;
}

FIXTURE(bo)
{
	struct zsv_nl nl;
	struct zsv_nl_reply *r;
	int fd; /* a context of t-a: zsv0, reserved, 64 MiB */
};

FIXTURE_SETUP(bo)
{
	self->fd = -1;
	if (access("/sys/class/zsv/zsv1", F_OK))
		SKIP(return, "needs zsv_sim with two devices");
	page_size = sysconf(_SC_PAGESIZE);
	ASSERT_EQ(0, zsv_nl_open(&self->nl));
	self->r = calloc(1, sizeof(*self->r));
	ASSERT_NE(NULL, self->r);
	cleanup_slices(&self->nl);
	self->fd = new_slice_fd(&self->nl, "t-a", "zsv0", 64 * MiB,
				ZSV_MEM_MODE_RESERVED);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(bo)
{
	if (!self->r)
		return;
	if (self->fd >= 0)
		close(self->fd);
	zsv_nl_reply_free(self->r);
	cleanup_slices(&self->nl);
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_USED));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv1", ZSV_A_DEV_MEM_USED));
	free(self->r);
	zsv_nl_close(&self->nl);
}

/* --- rejected input ------------------------------------------------------ */

TEST_F(bo, create_rejects_unknown_flags)
{
	struct zsv_bo_create c = { .size = 4096, .flags = 1 };

	EXPECT_EQ(-1, ioctl(self->fd, ZSV_IOCTL_BO_CREATE, &c));
	EXPECT_EQ(EINVAL, errno);
	c.flags = 0x80000000;
	EXPECT_EQ(-1, ioctl(self->fd, ZSV_IOCTL_BO_CREATE, &c));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0ULL, info_mem_used(self->fd));
}

TEST_F(bo, create_rejects_zero_size)
{
	EXPECT_EQ(EINVAL, bo_create(self->fd, 0, NULL));
}

TEST_F(bo, create_rejects_sizes_that_overflow)
{
	EXPECT_EQ(EINVAL, bo_create(self->fd, ~0ULL, NULL));
	EXPECT_EQ(EINVAL, bo_create(self->fd, ~0ULL - 4095, NULL));
	EXPECT_EQ(EINVAL, bo_create(self->fd, ZSV_BO_SIZE_MAX + 1, NULL));
	EXPECT_EQ(0ULL, info_mem_used(self->fd));
}

TEST_F(bo, create_of_the_largest_size_meets_the_quota)
{
	EXPECT_EQ(EDQUOT, bo_create(self->fd, ZSV_BO_SIZE_MAX, NULL));
}

TEST_F(bo, create_rejects_a_longer_struct_with_a_nonzero_tail)
{
	struct {
		struct zsv_bo_create c;
		uint64_t future;
	} big = { .c.size = 4096, .future = 1 };

	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(ZSV_IOCTL_BASE, 0x41, big), &big));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(0ULL, info_mem_used(self->fd));
	/* The same with a zero tail is a newer caller: accepted. */
	big.future = 0;
	ASSERT_EQ(0, ioctl(self->fd, _IOWR(ZSV_IOCTL_BASE, 0x41, big), &big));
	EXPECT_NE(0U, big.c.handle);
	EXPECT_EQ(0ULL, big.future);
	EXPECT_EQ((uint64_t)page_size, info_mem_used(self->fd));
}

TEST_F(bo, create_rejects_a_short_struct)
{
	uint64_t size = 4096;

	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(ZSV_IOCTL_BASE, 0x41, uint64_t),
			    &size));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(bo, create_rejects_the_wrong_direction)
{
	struct zsv_bo_create c = { .size = 4096 };

	EXPECT_EQ(-1, ioctl(self->fd, _IOW(ZSV_IOCTL_BASE, 0x41, c), &c));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOR(ZSV_IOCTL_BASE, 0x41, c), &c));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IO(ZSV_IOCTL_BASE, 0x41), &c));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0ULL, info_mem_used(self->fd));
}

TEST_F(bo, create_rejects_an_unwritable_struct)
{
	EXPECT_EQ(-1, ioctl(self->fd, ZSV_IOCTL_BO_CREATE, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0ULL, info_mem_used(self->fd));
}

TEST_F(bo, destroy_rejects_nonzero_pad)
{
	struct zsv_bo_destroy d = { .pad = 1 };

	ASSERT_EQ(0, bo_create(self->fd, 4096, &d.handle));
	EXPECT_EQ(-1, ioctl(self->fd, ZSV_IOCTL_BO_DESTROY, &d));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ((uint64_t)page_size, info_mem_used(self->fd));
}

TEST_F(bo, destroy_rejects_unknown_handles)
{
	uint32_t h;

	EXPECT_EQ(ENOENT, bo_destroy(self->fd, 0));
	EXPECT_EQ(ENOENT, bo_destroy(self->fd, 12345));
	EXPECT_EQ(ENOENT, bo_destroy(self->fd, ~0U));
	ASSERT_EQ(0, bo_create(self->fd, 4096, &h));
	EXPECT_EQ(0, bo_destroy(self->fd, h));
	EXPECT_EQ(ENOENT, bo_destroy(self->fd, h));
}

TEST_F(bo, destroy_rejects_the_wrong_direction)
{
	struct zsv_bo_destroy d = {};

	ASSERT_EQ(0, bo_create(self->fd, 4096, &d.handle));
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(ZSV_IOCTL_BASE, 0x42, d), &d));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOR(ZSV_IOCTL_BASE, 0x42, d), &d));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ((uint64_t)page_size, info_mem_used(self->fd));
}

TEST_F(bo, destroy_rejects_a_longer_struct_with_a_nonzero_tail)
{
	struct {
		struct zsv_bo_destroy d;
		uint64_t future;
	} big = { .future = 1 };

	ASSERT_EQ(0, bo_create(self->fd, 4096, &big.d.handle));
	EXPECT_EQ(-1, ioctl(self->fd, _IOW(ZSV_IOCTL_BASE, 0x42, big), &big));
	EXPECT_EQ(E2BIG, errno);
	big.future = 0;
	EXPECT_EQ(0, ioctl(self->fd, _IOW(ZSV_IOCTL_BASE, 0x42, big), &big));
	EXPECT_EQ(0ULL, info_mem_used(self->fd));
}

TEST_F(bo, destroy_rejects_a_short_struct)
{
	uint32_t h;

	ASSERT_EQ(0, bo_create(self->fd, 4096, &h));
	EXPECT_EQ(-1,
		  ioctl(self->fd, _IOW(ZSV_IOCTL_BASE, 0x42, uint32_t), &h));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(bo, mmap_offset_rejects_nonzero_pad)
{
	struct zsv_bo_mmap_offset o = { .pad = 1 };

	ASSERT_EQ(0, bo_create(self->fd, 4096, &o.handle));
	EXPECT_EQ(-1, ioctl(self->fd, ZSV_IOCTL_BO_MMAP_OFFSET, &o));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(bo, mmap_offset_rejects_unknown_handles)
{
	uint64_t off;
	uint32_t h;

	EXPECT_EQ(ENOENT, bo_offset(self->fd, 0, &off));
	EXPECT_EQ(ENOENT, bo_offset(self->fd, 1, &off));
	ASSERT_EQ(0, bo_create(self->fd, 4096, &h));
	ASSERT_EQ(0, bo_destroy(self->fd, h));
	EXPECT_EQ(ENOENT, bo_offset(self->fd, h, &off));
}

TEST_F(bo, mmap_offset_rejects_the_wrong_direction)
{
	struct zsv_bo_mmap_offset o = {};

	ASSERT_EQ(0, bo_create(self->fd, 4096, &o.handle));
	EXPECT_EQ(-1, ioctl(self->fd, _IOW(ZSV_IOCTL_BASE, 0x43, o), &o));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOR(ZSV_IOCTL_BASE, 0x43, o), &o));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(bo, mmap_offset_rejects_a_longer_struct_with_a_nonzero_tail)
{
	struct {
		struct zsv_bo_mmap_offset o;
		uint64_t future;
	} big = { .future = 1 };

	ASSERT_EQ(0, bo_create(self->fd, 4096, &big.o.handle));
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(ZSV_IOCTL_BASE, 0x43, big), &big));
	EXPECT_EQ(E2BIG, errno);
	big.future = 0;
	EXPECT_EQ(0, ioctl(self->fd, _IOWR(ZSV_IOCTL_BASE, 0x43, big), &big));
	EXPECT_NE(0ULL, big.o.offset);
}

TEST_F(bo, mmap_offset_rejects_a_short_struct)
{
	struct zsv_bo_destroy d = {};

	ASSERT_EQ(0, bo_create(self->fd, 4096, &d.handle));
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(ZSV_IOCTL_BASE, 0x43, d), &d));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(bo, handles_are_private_to_their_context)
{
	uint32_t h, h2;
	uint64_t off;
	int fd2 = open("/dev/zsv/t-a", O_RDWR);

	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, bo_create(self->fd, 4096, &h));
	EXPECT_NE(0U, h);
	EXPECT_EQ(ENOENT, bo_destroy(fd2, h));
	EXPECT_EQ(ENOENT, bo_offset(fd2, h, &off));
	ASSERT_EQ(0, bo_offset(self->fd, h, &off));
	EXPECT_EQ(MAP_FAILED,
		  mmap(NULL, page_size, PROT_READ, MAP_SHARED, fd2, off));
	EXPECT_EQ(EINVAL, errno);
	/* Each context numbers its own, from 1. */
	ASSERT_EQ(0, bo_create(fd2, 4096, &h2));
	EXPECT_EQ(h, h2);
	EXPECT_EQ((uint64_t)2 * page_size, info_mem_used(fd2));
	close(fd2);
	EXPECT_EQ((uint64_t)page_size, info_mem_used(self->fd));
	EXPECT_EQ(0, bo_destroy(self->fd, h));
}

TEST_F(bo, mmap_offsets_are_distinct_page_aligned_and_not_the_status_page)
{
	uint64_t off1, off2;
	uint32_t h1, h2;

	ASSERT_EQ(0, bo_create(self->fd, 4096, &h1));
	ASSERT_EQ(0, bo_create(self->fd, 4096, &h2));
	EXPECT_NE(h1, h2);
	ASSERT_EQ(0, bo_offset(self->fd, h1, &off1));
	ASSERT_EQ(0, bo_offset(self->fd, h2, &off2));
	EXPECT_NE(off1, off2);
	EXPECT_NE((uint64_t)ZSV_STATUS_OFFSET, off1);
	EXPECT_EQ(0ULL, off1 % page_size);
	EXPECT_GE(off2 > off1 ? off2 - off1 : off1 - off2, ZSV_BO_SIZE_MAX);
}

TEST_F(bo, mappings_past_the_end_or_of_no_bo_are_refused)
{
	uint64_t off;
	uint32_t h;
	void *p;

	ASSERT_EQ(0, bo_create(self->fd, 2 * page_size, &h));
	ASSERT_EQ(0, bo_offset(self->fd, h, &off));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 3 * page_size, PROT_READ | PROT_WRITE,
				   MAP_SHARED, self->fd, off));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ | PROT_WRITE,
				   MAP_SHARED, self->fd, off + 2 * page_size));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 2 * page_size, PROT_READ | PROT_WRITE,
				   MAP_SHARED, self->fd, off + page_size));
	EXPECT_EQ(EINVAL, errno);
	/* An offset between BOs, or of a handle not (or no longer) held. */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ, MAP_SHARED,
				   self->fd, off + (ZSV_BO_SIZE_MAX / 2)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ, MAP_SHARED,
				   self->fd, off + ZSV_BO_SIZE_MAX));
	EXPECT_EQ(EINVAL, errno);
	/* The last page alone is fine. */
	p = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		 off + page_size);
	ASSERT_NE(MAP_FAILED, p);
	munmap(p, page_size);
}

TEST_F(bo, private_writable_and_executable_mappings_are_refused)
{
	uint64_t off;
	uint32_t h;

	ASSERT_EQ(0, bo_create(self->fd, page_size, &h));
	ASSERT_EQ(0, bo_offset(self->fd, h, &off));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE, self->fd, off));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ | PROT_EXEC,
				   MAP_SHARED, self->fd, off));
	EXPECT_EQ(EPERM, errno);
}

/* --- memory partitions --------------------------------------------------- */

TEST_F(bo, sizes_are_rounded_up_to_pages)
{
	uint32_t h;

	ASSERT_EQ(0, bo_create(self->fd, 1, &h));
	EXPECT_EQ((uint64_t)page_size, info_mem_used(self->fd));
	ASSERT_EQ(0, bo_create(self->fd, page_size + 1, &h));
	EXPECT_EQ((uint64_t)3 * page_size, info_mem_used(self->fd));
}

TEST_F(bo, quota_is_enforced_to_the_byte)
{
	uint32_t h[4], extra;

	ASSERT_EQ(0, bo_create(self->fd, 16 * MiB, &h[0]));
	ASSERT_EQ(0, bo_create(self->fd, 16 * MiB, &h[1]));
	ASSERT_EQ(0, bo_create(self->fd, 32 * MiB - page_size, &h[2]));
	ASSERT_EQ(0, bo_create(self->fd, 1, &h[3]));
	EXPECT_EQ(64 * MiB, info_mem_used(self->fd));
	EXPECT_EQ(EDQUOT, bo_create(self->fd, 1, NULL));
	EXPECT_EQ(EDQUOT, bo_create(self->fd, 16 * MiB, NULL));
	EXPECT_EQ(64 * MiB, info_mem_used(self->fd));

	ASSERT_EQ(0, bo_destroy(self->fd, h[1]));
	EXPECT_EQ(48 * MiB, info_mem_used(self->fd));
	EXPECT_EQ(EDQUOT, bo_create(self->fd, 16 * MiB + 1, NULL));
	ASSERT_EQ(0, bo_create(self->fd, 16 * MiB, &extra));
	EXPECT_EQ(EDQUOT, bo_create(self->fd, 1, NULL));
	EXPECT_EQ(64 * MiB, slice_mem_used(&self->nl, "t-a"));
	EXPECT_EQ(64 * MiB, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_USED));
}

TEST_F(bo, quota_is_shared_by_every_context_of_the_slice)
{
	int fd2 = open("/dev/zsv/t-a", O_RDWR);

	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, bo_create(self->fd, 40 * MiB, NULL));
	EXPECT_EQ(EDQUOT, bo_create(fd2, 24 * MiB + 1, NULL));
	ASSERT_EQ(0, bo_create(fd2, 24 * MiB, NULL));
	EXPECT_EQ(64 * MiB, info_mem_used(self->fd));
	close(fd2);
	EXPECT_EQ(40 * MiB, info_mem_used(self->fd));
}

TEST_F(bo, exhausted_shared_pool_fails_enomem_under_the_quota)
{
	uint32_t h1, h2;
	int fd1, fd2;

	/* 16G of pool, 24G of quotas. */
	dev_set_u32(&self->nl, "zsv1", ZSV_A_DEV_OVERSUB_PCT, 200);
	fd1 = new_slice_fd(&self->nl, "t-s1", "zsv1", 12 * GiB,
			   ZSV_MEM_MODE_SHARED);
	ASSERT_LE(0, fd1);
	fd2 = new_slice_fd(&self->nl, "t-s2", "zsv1", 12 * GiB,
			   ZSV_MEM_MODE_SHARED);
	ASSERT_LE(0, fd2);

	ASSERT_EQ(0, bo_create(fd1, 10 * GiB, &h1));
	EXPECT_EQ(ENOMEM, bo_create(fd2, 8 * GiB, NULL));
	ASSERT_EQ(0, bo_create(fd2, 6 * GiB, &h2));
	EXPECT_EQ(ENOMEM, bo_create(fd2, 1, NULL));
	EXPECT_EQ(ENOMEM, bo_create(fd1, 1, NULL));
	/* The quota still comes first. */
	EXPECT_EQ(EDQUOT, bo_create(fd1, 2 * GiB + 1, NULL));
	EXPECT_EQ(16 * GiB, dev_stat(&self->nl, "zsv1", ZSV_A_DEV_MEM_USED));
	EXPECT_EQ(6 * GiB, info_mem_used(fd2));

	ASSERT_EQ(0, bo_destroy(fd1, h1));
	EXPECT_EQ(0, bo_create(fd2, 6 * GiB, NULL));
	EXPECT_EQ(EDQUOT, bo_create(fd2, 1, NULL));
	EXPECT_EQ(12 * GiB, dev_stat(&self->nl, "zsv1", ZSV_A_DEV_MEM_USED));
	close(fd1);
	close(fd2);
}

TEST_F(bo, reserving_memory_that_shared_bos_use_is_refused)
{
	struct nl_msg *msg;
	int fd;

	dev_set_u32(&self->nl, "zsv1", ZSV_A_DEV_OVERSUB_PCT, 200);
	fd = new_slice_fd(&self->nl, "t-s", "zsv1", 16 * GiB,
			  ZSV_MEM_MODE_SHARED);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bo_create(fd, 12 * GiB, NULL));
	/* The quotas would fit (16G <= 2 x 8G), the BOs would not. */
	msg = zsv_slice_new_msg(&self->nl, "t-r", "zsv1", 8 * GiB);
	EXPECT_EQ(-ENOSPC,
		  zsv_nl_xfer(&self->nl, msg, self->r, ZSV_A_SLICE_MAX));
	EXPECT_STREQ(
		"asked 8G reserved; shared pool would hold 8G < 12G in use",
		self->r->extack);
	msg = zsv_slice_new_msg(&self->nl, "t-r", "zsv1", 4 * GiB);
	EXPECT_EQ(0, zsv_nl_xfer(&self->nl, msg, self->r, ZSV_A_SLICE_MAX));
	EXPECT_EQ(ENOMEM, bo_create(fd, 1, NULL));
	close(fd);
}

TEST_F(bo, slice_set_cannot_shrink_below_what_bos_use)
{
	struct nl_msg *msg;
	uint32_t h;

	ASSERT_EQ(0, bo_create(self->fd, 32 * MiB, &h));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_SET, 0);
	nla_put_string(msg, ZSV_A_SLICE_NAME, "t-a");
	nla_put_u64(msg, ZSV_A_SLICE_MEM_BYTES, 16 * MiB);
	EXPECT_EQ(-EBUSY,
		  zsv_nl_xfer(&self->nl, msg, self->r, ZSV_A_SLICE_MAX));
	EXPECT_STREQ("the slice uses 32M; it cannot shrink to 16M",
		     self->r->extack);

	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_SET, 0);
	nla_put_string(msg, ZSV_A_SLICE_NAME, "t-a");
	nla_put_u64(msg, ZSV_A_SLICE_MEM_BYTES, 32 * MiB);
	ASSERT_EQ(0, zsv_nl_xfer(&self->nl, msg, self->r, ZSV_A_SLICE_MAX));
	EXPECT_EQ(EDQUOT, bo_create(self->fd, 1, NULL));

	ASSERT_EQ(0, bo_destroy(self->fd, h));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_SLICE_SET, 0);
	nla_put_string(msg, ZSV_A_SLICE_NAME, "t-a");
	nla_put_u64(msg, ZSV_A_SLICE_MEM_BYTES, 16 * MiB);
	EXPECT_EQ(0, zsv_nl_xfer(&self->nl, msg, self->r, ZSV_A_SLICE_MAX));
}

TEST_F(bo, mem_used_shows_in_info_status_page_slice_get_and_dev_get)
{
	const volatile struct zsv_status *st;
	struct zsv_status now;
	uint32_t h;

	st = mmap(NULL, page_size, PROT_READ, MAP_SHARED, self->fd,
		  ZSV_STATUS_OFFSET);
	ASSERT_NE(MAP_FAILED, st);
	ASSERT_EQ(0, bo_create(self->fd, 3 * MiB, &h));
	ASSERT_EQ(0, bo_create(self->fd, 5 * MiB + 1, NULL));
	EXPECT_EQ(8 * MiB + page_size, info_mem_used(self->fd));
	read_status(st, &now);
	EXPECT_EQ(8 * MiB + page_size, now.info.mem_used);
	EXPECT_EQ(8 * MiB + page_size, slice_mem_used(&self->nl, "t-a"));
	EXPECT_EQ(8 * MiB + page_size,
		  dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_USED));

	ASSERT_EQ(0, bo_destroy(self->fd, h));
	read_status(st, &now);
	EXPECT_EQ(5 * MiB + page_size, now.info.mem_used);
	EXPECT_EQ(5 * MiB + page_size, slice_mem_used(&self->nl, "t-a"));
	munmap((void *)st, page_size);
}

TEST_F(bo, closing_the_context_frees_everything)
{
	uint8_t *p;
	uint32_t h;

	for (int i = 0; i < 8; i++)
		ASSERT_EQ(0, bo_create(self->fd, 4 * MiB, &h));
	p = bo_map(self->fd, h, 0, 4 * MiB);
	ASSERT_NE(MAP_FAILED, p);
	memset(p, 0x5a, 4 * MiB);
	munmap(p, 4 * MiB);
	EXPECT_EQ(32 * MiB, slice_mem_used(&self->nl, "t-a"));
	close(self->fd);
	self->fd = -1;
	EXPECT_EQ(0ULL, slice_mem_used(&self->nl, "t-a"));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_USED));
}

TEST_F(bo, a_mapping_keeps_its_context_and_bos_until_unmapped)
{
	uint8_t *p;
	uint32_t h;

	ASSERT_EQ(0, bo_create(self->fd, MiB, &h));
	p = bo_map(self->fd, h, 0, MiB);
	ASSERT_NE(MAP_FAILED, p);
	memset(p, 0x11, MiB);
	close(self->fd);
	self->fd = -1;
	EXPECT_TRUE(all_bytes(p, MiB, 0x11));
	EXPECT_EQ(MiB, slice_mem_used(&self->nl, "t-a"));
	munmap(p, MiB);
	EXPECT_EQ(0ULL, slice_mem_used(&self->nl, "t-a"));
}

/* --- data ---------------------------------------------------------------- */

TEST_F(bo, data_written_through_a_mapping_reads_back)
{
	size_t len = 2 * MiB;
	uint32_t *p, *q;
	uint32_t h;

	ASSERT_EQ(0, bo_create(self->fd, len, &h));
	p = bo_map(self->fd, h, 0, len);
	ASSERT_NE(MAP_FAILED, p);
	for (size_t i = 0; i < len / 4; i++)
		p[i] = i * 2654435761u;
	ASSERT_EQ(0, munmap(p, len));

	/* A new mapping of the second half sees the same bytes. */
	q = bo_map(self->fd, h, len / 2, len / 2);
	ASSERT_NE(MAP_FAILED, q);
	for (size_t i = 0; i < len / 8; i++)
		ASSERT_EQ((uint32_t)((i + len / 8) * 2654435761u), q[i]);
	/* So does a second mapping made while the first is live. */
	p = bo_map(self->fd, h, 0, len);
	ASSERT_NE(MAP_FAILED, p);
	q[0] = 0xdeadbeef;
	EXPECT_EQ(0xdeadbeefu, p[len / 8]);
	munmap(p, len);
	munmap(q, len / 2);
}

TEST_F(bo, a_child_shares_the_parents_mapping)
{
	volatile uint32_t *p;
	int status;
	uint32_t h;
	pid_t pid;

	ASSERT_EQ(0, bo_create(self->fd, page_size, &h));
	p = bo_map(self->fd, h, 0, page_size);
	ASSERT_NE(MAP_FAILED, p);
	pid = fork();
	if (!pid) {
		p[1] = 42;
		_exit(p[0] == 7 ? 0 : 1);
	}
	ASSERT_LT(0, pid);
	p[0] = 7;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(42U, p[1]);
	munmap((void *)p, page_size);
}

TEST_F(bo, a_new_bo_reads_zeroes)
{
	size_t len = 4 * MiB;
	uint8_t *p;
	uint32_t h;

	ASSERT_EQ(0, bo_create(self->fd, len, &h));
	p = bo_map(self->fd, h, 0, len);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_TRUE(all_bytes(p, len, 0));
	munmap(p, len);
}

TEST_F(bo, memory_another_slice_freed_reads_zeroes)
{
	size_t len = 16 * MiB;
	uint8_t *p;
	uint32_t h;
	int fdb;

	fdb = new_slice_fd(&self->nl, "t-b", "zsv1", 64 * MiB,
			   ZSV_MEM_MODE_RESERVED);
	ASSERT_LE(0, fdb);
	for (int round = 0; round < 4; round++) {
		/* t-b fills a BO, then frees it: by destroy, then by close. */
		ASSERT_EQ(0, bo_create(fdb, len, &h));
		p = bo_map(fdb, h, 0, len);
		ASSERT_NE(MAP_FAILED, p);
		memset(p, 0xa5, len);
		munmap(p, len);
		if (round & 1) {
			close(fdb);
			fdb = open("/dev/zsv/t-b", O_RDWR);
			ASSERT_LE(0, fdb);
		} else {
			ASSERT_EQ(0, bo_destroy(fdb, h));
		}
		/* t-a gets memory, some of it likely t-b's pages. */
		ASSERT_EQ(0, bo_create(self->fd, len, &h));
		p = bo_map(self->fd, h, 0, len);
		ASSERT_NE(MAP_FAILED, p);
		EXPECT_TRUE(all_bytes(p, len, 0)) TH_LOG("round %d", round);
		munmap(p, len);
		ASSERT_EQ(0, bo_destroy(self->fd, h));
	}
	close(fdb);
}

TEST_F(bo, memory_is_backed_only_when_touched)
{
	struct zsv_nl_reply *r = self->r;
	uint32_t h;
	int fd;

	/* 12G of BOs in a 1G guest: nothing is allocated until touched. */
	fd = new_slice_fd(&self->nl, "t-big", "zsv1", 12 * GiB,
			  ZSV_MEM_MODE_RESERVED);
	ASSERT_LE(0, fd);
	for (int i = 0; i < 12; i++)
		ASSERT_EQ(0, bo_create(fd, GiB, &h));
	EXPECT_EQ(12 * GiB, info_mem_used(fd));
	zsv_slice_get(&self->nl, r, "t-big");
	EXPECT_EQ(12 * GiB, zsv_r_u64(r, ZSV_A_SLICE_MEM_USED));
	close(fd);
}

/* --- going away ---------------------------------------------------------- */

TEST_F(bo, destroy_zaps_live_mappings)
{
	volatile uint8_t *p;
	uint32_t h, h2;

	ASSERT_EQ(0, bo_create(self->fd, 2 * page_size, &h));
	p = bo_map(self->fd, h, 0, 2 * page_size);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	EXPECT_FALSE(touch_raises_sigbus(p));
	ASSERT_EQ(0, bo_destroy(self->fd, h));
	EXPECT_EQ(0ULL, info_mem_used(self->fd));
	EXPECT_TRUE(touch_raises_sigbus(p));
	EXPECT_TRUE(touch_raises_sigbus(p + page_size));
	/* A new BO that gets the same handle is not reached either. */
	ASSERT_EQ(0, bo_create(self->fd, 2 * page_size, &h2));
	EXPECT_EQ(h, h2);
	EXPECT_TRUE(touch_raises_sigbus(p));
	munmap((void *)p, 2 * page_size);
}

TEST_F(bo, forced_deletion_under_a_live_mapping_does_not_kill)
{
	struct zsv_bo_create c = { .size = page_size };
	size_t len = 4 * MiB;
	volatile uint8_t *p;
	uint32_t h;

	ASSERT_EQ(0, bo_create(self->fd, len, &h));
	p = bo_map(self->fd, h, 0, len);
	ASSERT_NE(MAP_FAILED, p);
	memset((void *)p, 0x77, len / 2);
	ASSERT_EQ(0, zsv_slice_del(&self->nl, self->r, "t-a", true));
	/* The memory is freed at once, not at close. */
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_USED));
	/* Touched or not, every page reads zeroes, and writes do no harm. */
	EXPECT_EQ(0, p[0]);
	EXPECT_EQ(0, p[len - 1]);
	p[1] = 9;
	p[len - 2] = 9;
	EXPECT_FALSE(touch_raises_sigbus(p));
	EXPECT_EQ(-1, ioctl(self->fd, ZSV_IOCTL_BO_CREATE, &c));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(ENODEV, bo_destroy(self->fd, h));
	EXPECT_EQ(MAP_FAILED,
		  mmap(NULL, page_size, PROT_READ, MAP_SHARED, self->fd, 0));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(0, munmap((void *)p, len));
	EXPECT_EQ(0, close(self->fd));
	self->fd = -1;
}

/* --- races --------------------------------------------------------------- */

struct creator {
	int fd;
	uint64_t size;
	bool churn; /* also destroy what was made */
	uint64_t made; /* bytes made and still held */
	int edquot;
	int enomem;
	int other; /* unexpected errors */
	uint64_t over; /* the most INFO ever showed past the quota */
	uint64_t quota;
};

static void *create_until_full(void *arg)
{
	struct creator *c = arg;
	uint32_t held[64];
	int n = 0;

	while (c->edquot + c->enomem < 200) {
		uint32_t h;
		int err = bo_create(c->fd, c->size, &h);
		uint64_t used = info_mem_used(c->fd);

		if (used > c->quota && used - c->quota > c->over)
			c->over = used - c->quota;
		if (err == EDQUOT || err == ENOMEM) {
			c->edquot += err == EDQUOT;
			c->enomem += err == ENOMEM;
			if (c->churn && n) {
				bo_destroy(c->fd, held[--n]);
				c->made -= c->size;
			}
			continue;
		}
		if (err) {
			c->other++;
			break;
		}
		c->made += c->size;
		if (c->churn && n < 64)
			held[n++] = h;
	}
	return NULL;
}

TEST_F_TIMEOUT(bo, racing_contexts_never_overshoot_the_quota, 120)
{
	struct creator c[4] = {};
	pthread_t t[4];
	int fd2 = open("/dev/zsv/t-a", O_RDWR);
	uint64_t quota = 64 * MiB, made = 0, extra = 0;

	ASSERT_LE(0, fd2);
	for (int i = 0; i < 4; i++) {
		c[i].fd = i & 1 ? fd2 : self->fd;
		c[i].size = i < 2 ? 16 * page_size : page_size;
		c[i].churn = i == 3;
		c[i].quota = quota;
		ASSERT_EQ(0, pthread_create(&t[i], NULL, create_until_full,
					    &c[i]));
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, c[i].other);
		EXPECT_EQ(0, c[i].enomem);
		EXPECT_EQ(0ULL, c[i].over);
		made += c[i].made;
	}
	/* Every byte accounted for, and the quota reached exactly. */
	EXPECT_EQ(made, info_mem_used(self->fd));
	EXPECT_EQ(made, slice_mem_used(&self->nl, "t-a"));
	EXPECT_GE(quota, made);
	while (!bo_create(self->fd, page_size, NULL))
		extra += page_size;
	EXPECT_EQ(quota, made + extra);
	/* The second context's BOs go with it. */
	close(fd2);
	EXPECT_EQ(c[0].made + c[2].made + extra, info_mem_used(self->fd));
}

TEST_F_TIMEOUT(bo, racing_shared_slices_never_overflow_the_pool, 120)
{
	struct creator c[4] = {};
	struct nl_msg *msg;
	pthread_t t[4];
	uint64_t pool = 32 * MiB, quota = 48 * MiB, made = 0;
	int fd[2];

	/*
	 * Leave a 32 MiB pool and give two shared slices 48 MiB each, so
	 * neither can reach its quota even if it wins every race: only the
	 * pool can say no.
	 */
	msg = zsv_slice_new_msg(&self->nl, "t-r", "zsv1", 16 * GiB - pool);
	ASSERT_EQ(0, zsv_nl_xfer(&self->nl, msg, self->r, ZSV_A_SLICE_MAX));
	dev_set_u32(&self->nl, "zsv1", ZSV_A_DEV_OVERSUB_PCT, 300);
	fd[0] = new_slice_fd(&self->nl, "t-s1", "zsv1", quota,
			     ZSV_MEM_MODE_SHARED);
	ASSERT_LE(0, fd[0]);
	fd[1] = new_slice_fd(&self->nl, "t-s2", "zsv1", quota,
			     ZSV_MEM_MODE_SHARED);
	ASSERT_LE(0, fd[1]);
	for (int i = 0; i < 4; i++) {
		c[i].fd = fd[i & 1];
		c[i].size = 4 * page_size;
		c[i].quota = quota;
		ASSERT_EQ(0, pthread_create(&t[i], NULL, create_until_full,
					    &c[i]));
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		/* Each slice is under its quota: the pool says no. */
		EXPECT_EQ(0, c[i].edquot);
		EXPECT_EQ(0, c[i].other);
		made += c[i].made;
	}
	EXPECT_EQ(pool, made);
	EXPECT_EQ(pool, info_mem_used(fd[0]) + info_mem_used(fd[1]));
	EXPECT_EQ(ENOMEM, bo_create(fd[0], page_size, NULL));
	close(fd[0]);
	close(fd[1]);
}

TEST_HARNESS_MAIN
