/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfio_mdev.h - reaching a zsv mdev from a test: sysfs create and remove,
 * and the VFIO container/type1 API (a container per device, its group set
 * on it, the device fd), as a VMM does. Static inline: the fuzzer, the
 * fail-nth sweep and the stress test include it.
 *
 * Regions are at index << 40 in the device file (vfio-pci's layout, which
 * zsv_mdev keeps). Every function returns 0 or a negative errno.
 */
#ifndef ZSV_TESTS_VFIO_MDEV_H
#define ZSV_TESTS_VFIO_MDEV_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/vfio.h>
#include <linux/zsv.h>

#define MDEV_BUS_CLASS "/sys/class/mdev_bus"
#define MDEV_DEVICES "/sys/bus/mdev/devices"
#define VFIO_REGION_OFF(index) ((uint64_t)(index) << 40)

/* Write @val to @path in one write(). */
static inline int sysfs_write(const char *path, const char *val, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	err = n < 0 ? -errno : 0;
	close(fd);
	return err;
}

static inline int sysfs_read_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static inline int sysfs_read_u64(const char *path, uint64_t *v)
{
	char buf[64];
	int err = sysfs_read_str(path, buf, sizeof(buf));

	if (!err)
		*v = strtoull(buf, NULL, 0);
	return err;
}

static inline bool mdev_parent_exists(const char *parent)
{
	char path[512];

	snprintf(path, sizeof(path), MDEV_BUS_CLASS "/%s", parent);
	return !access(path, F_OK);
}

/* "zsv-<size>" types of @parent into @names (up to @max): how many. */
static inline int mdev_types(const char *parent, char names[][32], int max)
{
	char path[512];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), MDEV_BUS_CLASS "/%s/mdev_supported_types",
		 parent);
	d = opendir(path);
	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max)
		if (e->d_name[0] != '.')
			snprintf(names[n++], 32, "%.31s", e->d_name);
	closedir(d);
	return n;
}

/* Bytes of "zsv-<N><unit>". */
static inline uint64_t mdev_type_bytes(const char *type)
{
	const char *p = strchr(type, '-');
	char *end;
	uint64_t v;

	if (!p)
		return 0;
	v = strtoull(p + 1, &end, 10);
	switch (*end) {
	case 'K': return v << 10;
	case 'M': return v << 20;
	case 'G': return v << 30;
	case 'T': return v << 40;
	}
	return v;
}

static inline int mdev_type_available(const char *parent, const char *type,
				      uint64_t *n)
{
	char path[512];

	snprintf(path, sizeof(path),
		 MDEV_BUS_CLASS "/%.63s/mdev_supported_types/%.63s/available_instances",
		 parent, type);
	return sysfs_read_u64(path, n);
}

static inline int mdev_create(const char *parent, const char *type,
			      const char *uuid, size_t len)
{
	char path[512];

	snprintf(path, sizeof(path),
		 MDEV_BUS_CLASS "/%.63s/mdev_supported_types/%.63s/create", parent,
		 type);
	return sysfs_write(path, uuid, len);
}

static inline int mdev_remove(const char *uuid)
{
	char path[512];

	snprintf(path, sizeof(path), MDEV_DEVICES "/%s/remove", uuid);
	return sysfs_write(path, "1", 1);
}

static inline bool mdev_exists(const char *uuid)
{
	char path[512];

	snprintf(path, sizeof(path), MDEV_DEVICES "/%s", uuid);
	return !access(path, F_OK);
}

/* A per-instance attribute: weight, cap, timeslice. */
static inline int mdev_attr_write(const char *uuid, const char *attr,
				  const char *val, size_t len)
{
	char path[512];

	snprintf(path, sizeof(path), MDEV_DEVICES "/%s/%s", uuid, attr);
	return sysfs_write(path, val, len);
}

static inline int mdev_attr_read(const char *uuid, const char *attr,
				 uint64_t *v)
{
	char path[512];

	snprintf(path, sizeof(path), MDEV_DEVICES "/%s/%s", uuid, attr);
	return sysfs_read_u64(path, v);
}

/* A lowercase UUID (version 4 bits) from 16 random bytes. */
static inline void uuid_format(char out[37], const uint8_t b[16])
{
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], (b[6] & 0x0f) | 0x40, b[7],
		 (b[8] & 0x3f) | 0x80, b[9], b[10], b[11], b[12], b[13], b[14],
		 b[15]);
}

struct vfio_mdev {
	int container;
	int group;
	int dev;
};

static inline void vfio_mdev_close(struct vfio_mdev *v)
{
	if (v->dev >= 0)
		close(v->dev);
	if (v->group >= 0)
		close(v->group);
	if (v->container >= 0)
		close(v->container);
	v->dev = v->group = v->container = -1;
}

/*
 * Open the container and the mdev's group, put the group in the
 * container with type1, and get the device fd (this opens the device:
 * the slice's partition is charged from here).
 */
static inline int vfio_mdev_open(const char *uuid, struct vfio_mdev *v)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	char path[512], link[160];
	const char *grp;
	ssize_t n;
	int err;

	v->container = v->group = v->dev = -1;
	snprintf(path, sizeof(path), MDEV_DEVICES "/%s/iommu_group", uuid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = 0;
	grp = strrchr(link, '/');
	snprintf(path, sizeof(path), "/dev/vfio/%s", grp ? grp + 1 : link);
	v->group = open(path, O_RDWR | O_CLOEXEC);
	if (v->group < 0)
		goto err;
	if (ioctl(v->group, VFIO_GROUP_GET_STATUS, &st))
		goto err;
	if (!(st.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		errno = EBUSY;
		goto err;
	}
	v->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (v->container < 0)
		goto err;
	if (ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container))
		goto err;
	if (ioctl(v->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) &&
	    ioctl(v->container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU))
		goto err;
	v->dev = ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, uuid);
	if (v->dev < 0)
		goto err;
	return 0;
err:
	err = -errno;
	vfio_mdev_close(v);
	return err;
}

static inline int vfio_map_dma(int container, void *buf, uint64_t iova,
			       uint64_t size)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)buf,
		.iova = iova,
		.size = size,
	};

	return ioctl(container, VFIO_IOMMU_MAP_DMA, &m) ? -errno : 0;
}

static inline int vfio_rd(int dev, int index, uint64_t off, void *buf,
			  size_t len)
{
	ssize_t n = pread(dev, buf, len, (off_t)(VFIO_REGION_OFF(index) + off));

	return n < 0 ? -errno : n == (ssize_t)len ? 0 : -EIO;
}

static inline int vfio_wr(int dev, int index, uint64_t off, const void *buf,
			  size_t len)
{
	ssize_t n = pwrite(dev, buf, len, (off_t)(VFIO_REGION_OFF(index) + off));

	return n < 0 ? -errno : n == (ssize_t)len ? 0 : -EIO;
}

static inline int vfio_reg_rd(int dev, uint32_t reg, uint32_t *val)
{
	return vfio_rd(dev, VFIO_PCI_BAR0_REGION_INDEX, reg, val, 4);
}

static inline int vfio_reg_wr(int dev, uint32_t reg, uint32_t val)
{
	return vfio_wr(dev, VFIO_PCI_BAR0_REGION_INDEX, reg, &val, 4);
}

/* Put @e at slot @tail % ENTRIES and ring the doorbell with @tail + 1. */
static inline int vfio_ring_submit(int dev, uint32_t tail,
				   const struct zsv_ring_entry *e)
{
	int err = vfio_wr(dev, VFIO_PCI_BAR0_REGION_INDEX,
			  ZSV_RING_OFFSET + (tail % ZSV_RING_ENTRIES) * sizeof(*e),
			  e, sizeof(*e));

	return err ?: vfio_reg_wr(dev, ZSV_REG_RING_TAIL, tail + 1);
}

/* Wait up to @ms for RING_DONE to reach @done. */
static inline int vfio_ring_wait(int dev, uint32_t done, unsigned int ms)
{
	uint32_t d;
	int err;

	for (unsigned int i = 0; i <= ms; i++) {
		err = vfio_reg_rd(dev, ZSV_REG_RING_DONE, &d);
		if (err)
			return err;
		if ((int32_t)(d - done) >= 0)
			return 0;
		usleep(1000);
	}
	return -ETIME;
}

#endif /* ZSV_TESTS_VFIO_MDEV_H */
