// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Slice nodes, /dev/zsv/<name>: the data plane.  Each open file is a
 * context of the slice; these need no netlink and no privilege beyond
 * the node's permissions, so they work inside a container.  Each call is
 * one ioctl; the library keeps no state of its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "libzsv.h"

#define ZSV_NODE_DIR "/dev/zsv/"

int zsv_slice_open(const char *name)
{
	char path[sizeof(ZSV_NODE_DIR) + ZSV_NAME_MAX];
	int fd;

	/* The name check also keeps '/' and ".." out of the path. */
	if (zsv_name_check(name))
		return -EINVAL;
	snprintf(path, sizeof(path), ZSV_NODE_DIR "%s", name);
	fd = open(path, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int zsv_slice_get_info(int fd, struct zsv_info *info)
{
	if (!info)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	if (ioctl(fd, ZSV_IOCTL_INFO, info) < 0)
		return -errno;
	/* Strings the kernel filled must end within their arrays. */
	info->name[sizeof(info->name) - 1] = '\0';
	info->dev_name[sizeof(info->dev_name) - 1] = '\0';
	return 0;
}

int zsv_bo_create(int fd, uint64_t size, uint32_t flags, uint32_t *handle)
{
	struct zsv_bo_create c = { .size = size, .flags = flags };

	if (!handle)
		return -EINVAL;
	if (ioctl(fd, ZSV_IOCTL_BO_CREATE, &c) < 0)
		return -errno;
	*handle = c.handle;
	return 0;
}

int zsv_bo_destroy(int fd, uint32_t handle)
{
	struct zsv_bo_destroy d = { .handle = handle };

	if (ioctl(fd, ZSV_IOCTL_BO_DESTROY, &d) < 0)
		return -errno;
	return 0;
}

int zsv_bo_mmap_offset(int fd, uint32_t handle, uint64_t *offset)
{
	struct zsv_bo_mmap_offset o = { .handle = handle };

	if (!offset)
		return -EINVAL;
	if (ioctl(fd, ZSV_IOCTL_BO_MMAP_OFFSET, &o) < 0)
		return -errno;
	*offset = o.offset;
	return 0;
}

/*
 * The stride of the caller's commands goes to the kernel as cmd_size: a
 * caller built against a longer struct zsv_job_cmd than the kernel's is
 * accepted when the extra bytes are zero, and one built against a
 * shorter (older) one than ours is padded by the kernel.  Only a stride
 * below the first version cannot be right.
 */
int zsv_job_submit(int fd, const struct zsv_job_cmd *cmds, size_t count,
		   size_t cmd_size, uint64_t *seqno)
{
	struct zsv_submit s = { 0 };

	if (!cmds || !count || count > ZSV_JOB_CMDS_MAX ||
	    cmd_size < sizeof(struct zsv_job_cmd) || cmd_size > UINT32_MAX)
		return -EINVAL;
	s.cmds = (uint64_t)(uintptr_t)cmds;
	s.count = (uint32_t)count;
	s.cmd_size = (uint32_t)cmd_size;
	if (ioctl(fd, ZSV_IOCTL_SUBMIT, &s) < 0)
		return -errno;
	if (seqno)
		*seqno = s.seqno;
	return 0;
}

int zsv_job_wait(int fd, uint64_t seqno, int64_t deadline_ns,
		 struct zsv_job_status *status, size_t status_size)
{
	struct zsv_wait w = { .seqno = seqno, .timeout_ns = deadline_ns };
	struct zsv_job_status st = { 0 };
	int ret = 0;

	if (status && !status_size)
		return -EINVAL;
	if (ioctl(fd, ZSV_IOCTL_WAIT, &w) < 0)
		ret = -errno;
	if (ret && ret != -ETIME)
		return ret;
	if (status) {
		st.completed_seqno = w.completed_seqno;
		st.error_seqno = w.error_seqno;
		st.error = w.error;
		/* An older caller's struct is shorter: fill what it has. */
		memcpy(status, &st,
		       status_size < sizeof(st) ? status_size : sizeof(st));
	}
	return ret;
}

int64_t zsv_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}
