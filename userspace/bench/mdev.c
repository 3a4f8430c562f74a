// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mediated devices of a pdev, through sysfs as mdevctl drives them: the
 * pdev's types under /sys/class/mdev_bus/<pdev>/mdev_supported_types
 * (zsv-<SIZE>), "create" with a UUID, and the device's own directory
 * /sys/bus/mdev/devices/<uuid> with "remove", "iommu_group" and zsv's
 * attributes (weight, cap, timeslice).  Each mdev of zsv is a slice
 * named by its UUID.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

#define MDEV_BUS "/sys/class/mdev_bus"
#define MDEV_DEVICES "/sys/bus/mdev/devices"

/* Write @val to the sysfs file @path: 0 or a negated errno. */
static int sysfs_write(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

static int sysfs_read_u64(const char *path, uint64_t *val)
{
	char buf[32], *end;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EPROTO;
	buf[n] = '\0';
	errno = 0;
	*val = strtoull(buf, &end, 10);
	return errno || end == buf ? -EPROTO : 0;
}

bool mdev_parent_exists(const char *dev)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), MDEV_BUS "/%s", dev);
	return !access(path, F_OK);
}

/* "zsv-256M" -> 256 MiB; 0 when it is no type of ours. */
static uint64_t type_bytes(const char *type)
{
	const char *dash = strrchr(type, '-');
	uint64_t bytes;

	if (!dash || zsv_parse_size(dash + 1, &bytes))
		return 0;
	return bytes;
}

int mdev_pick_type(const char *dev, const char *want, struct mdev_type *t)
{
	char path[PATH_MAX];
	struct dirent *de;
	uint64_t bytes;
	DIR *dir;

	memset(t, 0, sizeof(*t));
	snprintf(path, sizeof(path), MDEV_BUS "/%s/mdev_supported_types", dev);
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		bytes = type_bytes(de->d_name);
		if (!bytes)
			continue;
		if (want ? !strcmp(de->d_name, want) :
			   !t->mem_bytes || bytes < t->mem_bytes) {
			snprintf(t->name, sizeof(t->name), "%s", de->d_name);
			t->mem_bytes = bytes;
			if (want)
				break;
		}
	}
	closedir(dir);
	if (!t->mem_bytes)
		return -ENOENT;
	snprintf(t->dev, sizeof(t->dev), "%s", dev);
	return 0;
}

int mdev_type_available(const struct mdev_type *t, uint64_t *count)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path),
		 MDEV_BUS "/%s/mdev_supported_types/%s/available_instances",
		 t->dev, t->name);
	return sysfs_read_u64(path, count);
}

int mdev_uuid_new(char *uuid)
{
	ssize_t n;
	int fd;

	fd = open("/proc/sys/kernel/random/uuid", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, uuid, MDEV_UUID_LEN);
	close(fd);
	if (n != MDEV_UUID_LEN)
		return n < 0 ? -errno : -EPROTO;
	uuid[MDEV_UUID_LEN] = '\0';
	return 0;
}

int mdev_create(const struct mdev_type *t, const char *uuid)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path),
		 MDEV_BUS "/%s/mdev_supported_types/%s/create", t->dev,
		 t->name);
	return sysfs_write(path, uuid);
}

int mdev_remove(const char *uuid)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), MDEV_DEVICES "/%s/remove", uuid);
	return sysfs_write(path, "1");
}

bool mdev_exists(const char *uuid)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), MDEV_DEVICES "/%s", uuid);
	return !access(path, F_OK);
}

int mdev_set_attr(const char *uuid, const char *attr, uint64_t val)
{
	char path[PATH_MAX], buf[24];

	snprintf(path, sizeof(path), MDEV_DEVICES "/%s/%s", uuid, attr);
	snprintf(buf, sizeof(buf), "%" PRIu64, val);
	return sysfs_write(path, buf);
}

int mdev_iommu_group(const char *uuid)
{
	char path[PATH_MAX], target[PATH_MAX], *base, *end;
	ssize_t n;
	long group;

	snprintf(path, sizeof(path), MDEV_DEVICES "/%s/iommu_group", uuid);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	errno = 0;
	group = strtol(base, &end, 10);
	if (errno || end == base || *end || group < 0 || group > INT_MAX)
		return -EPROTO;
	return (int)group;
}
