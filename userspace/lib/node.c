// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Slice nodes, /dev/zsv/<name>: the data plane.  Each open file is a
 * context of the slice; these need no netlink and no privilege beyond
 * the node's permissions, so they work inside a container.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

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
