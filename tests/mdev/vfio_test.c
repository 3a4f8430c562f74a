// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv_mdev's virtual PCI accelerator seen the way QEMU sees it, against the
 * real modules (tests/vm/run --mdev --sim 'devices=2 mem=2G'): each test
 * creates a zsv-256M mdev of zsv0 through sysfs, opens it through the VFIO
 * container API (type1 IOMMU, the group, the device fd) and checks what
 * Documentation/vfio.rst promises: the device and IRQ info, config space
 * and BAR sizing, the regions, BAR0's registers, BAR2 through mmap and
 * pread, jobs on the ring with an MSI eventfd, DMA through mapped IOVAs,
 * the ring page mapped (entries written there, completions seen there by
 * ZSV_RING_FLAG_DONE, hostile rewrites while the device takes them),
 * reset, every malformed input refused without harm, the slice's netlink
 * view (mediated, vfio-open, mem-used) and what a forced deletion does to
 * an open device. A pdev of 1536M added for two tests gives a partition
 * that is not a power of two (BAR2 past it) and a pdev that cannot be
 * deleted while its mdev lives. Every test removes its mdev.
 */
#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "kselftest_harness.h"
#include "nl_helpers.h"
#include "zsv_helpers.h"

#define TYPE_DIR "/sys/class/mdev_bus/zsv0/mdev_supported_types/zsv-256M"
#define PART_BYTES (256 * MiB)
#define IRQ_WAIT_MS 10000
/* IOVAs of the DMA tests: mapped, and one nobody mapped. */
#define IOVA_A 0x100000ULL
#define IOVA_B 0x200000ULL
#define IOVA_UNMAPPED 0x40000000ULL
#define DMA_BUF 0x10000

/* --- sysfs ---------------------------------------------------------------- */

/* Write S to PATH: 0 or the errno of the write. */
static int sysfs_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;
	int err;

	if (fd < 0)
		return errno;
	n = write(fd, s, strlen(s));
	err = n < 0 ? errno : 0;
	close(fd);
	return err;
}

static void new_uuid(char uuid[37])
{
	int fd = open("/proc/sys/kernel/random/uuid", O_RDONLY);

	memset(uuid, 0, 37);
	if (fd >= 0) {
		if (read(fd, uuid, 36) != 36)
			uuid[0] = 0;
		close(fd);
	}
}

static int mdev_remove(const char *uuid)
{
	char path[384];

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/remove", uuid);
	return sysfs_write(path, "1");
}

static bool mdev_exists(const char *uuid)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s", uuid);
	return !access(path, F_OK);
}

/*
 * Remove the mdevs of zsv0 that an earlier test left behind (its setup
 * failed after creating one, so its teardown did not run).
 */
static void remove_leftover_mdevs(void)
{
	char types[] = "/sys/class/mdev_bus/zsv0/mdev_supported_types";
	char path[512];
	struct dirent *t, *d;
	DIR *td, *dd;

	td = opendir(types);
	if (!td)
		return;
	while ((t = readdir(td))) {
		if (t->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/devices", types, t->d_name);
		dd = opendir(path);
		if (!dd)
			continue;
		while ((d = readdir(dd)))
			if (d->d_name[0] != '.')
				mdev_remove(d->d_name);
		closedir(dd);
	}
	closedir(td);
}

/* --- the VFIO device ------------------------------------------------------ */

struct vdev {
	int container, group, fd;
	struct vfio_region_info bar0, bar2, cfg;
	int msi;		/* eventfd set on VFIO_PCI_MSI_IRQ_INDEX */
};

/* Open mdev UUID as QEMU does with the legacy container: 0 or an errno. */
static int vdev_open(struct vdev *v, const char *uuid, const char **step)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	char link[256], path[300];
	ssize_t n;

	v->container = v->group = v->fd = v->msi = -1;
	*step = "open /dev/vfio/vfio";
	v->container = open("/dev/vfio/vfio", O_RDWR);
	if (v->container < 0)
		return errno;
	*step = "VFIO_GET_API_VERSION";
	if (ioctl(v->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		return EPROTO;
	*step = "VFIO_CHECK_EXTENSION(VFIO_TYPE1v2_IOMMU)";
	if (ioctl(v->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) <= 0)
		return EOPNOTSUPP;
	*step = "readlink iommu_group";
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/iommu_group",
		 uuid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return errno;
	link[n] = 0;
	snprintf(path, sizeof(path), "/dev/vfio/%s", basename(link));
	*step = "open the group";
	v->group = open(path, O_RDWR);
	if (v->group < 0)
		return errno;
	*step = "VFIO_GROUP_GET_STATUS";
	if (ioctl(v->group, VFIO_GROUP_GET_STATUS, &gs))
		return errno;
	if (!(gs.flags & VFIO_GROUP_FLAGS_VIABLE))
		return EBUSY;
	*step = "VFIO_GROUP_SET_CONTAINER";
	if (ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container))
		return errno;
	*step = "VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU)";
	if (ioctl(v->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return errno;
	*step = "VFIO_GROUP_GET_DEVICE_FD";
	v->fd = ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, uuid);
	if (v->fd < 0)
		return errno;
	*step = "VFIO_DEVICE_GET_REGION_INFO";
	v->bar0 = (struct vfio_region_info){ .argsz = sizeof(v->bar0),
					     .index = VFIO_PCI_BAR0_REGION_INDEX };
	v->bar2 = (struct vfio_region_info){ .argsz = sizeof(v->bar2),
					     .index = VFIO_PCI_BAR2_REGION_INDEX };
	v->cfg = (struct vfio_region_info){ .argsz = sizeof(v->cfg),
					    .index = VFIO_PCI_CONFIG_REGION_INDEX };
	if (ioctl(v->fd, VFIO_DEVICE_GET_REGION_INFO, &v->bar0) ||
	    ioctl(v->fd, VFIO_DEVICE_GET_REGION_INFO, &v->bar2) ||
	    ioctl(v->fd, VFIO_DEVICE_GET_REGION_INFO, &v->cfg))
		return errno;
	return 0;
}

static void vdev_close(struct vdev *v)
{
	if (v->fd >= 0)
		close(v->fd);
	if (v->group >= 0)
		close(v->group);
	if (v->container >= 0)
		close(v->container);
	if (v->msi >= 0)
		close(v->msi);
	v->fd = v->group = v->container = v->msi = -1;
}

/* Set (FD >= 0) or remove (FD -1) the eventfd of IRQ INDEX: 0 or an errno. */
static int set_irq_eventfd(struct vdev *v, unsigned int index, int fd)
{
	struct {
		struct vfio_irq_set set;
		int32_t fd;
	} s = {
		.set = { .argsz = sizeof(s), .index = index, .start = 0,
			 .count = 1,
			 .flags = VFIO_IRQ_SET_DATA_EVENTFD |
				  VFIO_IRQ_SET_ACTION_TRIGGER },
		.fd = fd,
	};

	return ioctl(v->fd, VFIO_DEVICE_SET_IRQS, &s) ? errno : 0;
}

/* pread/pwrite of a region: the byte count, or -errno. */
static ssize_t rd(struct vdev *v, const struct vfio_region_info *r,
		  uint64_t off, void *buf, size_t len)
{
	ssize_t n = pread(v->fd, buf, len, r->offset + off);

	return n < 0 ? -errno : n;
}

static ssize_t wr(struct vdev *v, const struct vfio_region_info *r,
		  uint64_t off, const void *buf, size_t len)
{
	ssize_t n = pwrite(v->fd, buf, len, r->offset + off);

	return n < 0 ? -errno : n;
}

/* A BAR0 register or config dword; 0xdeadbeef when the read fails. */
static uint32_t reg32(struct vdev *v, uint32_t off)
{
	uint32_t x;

	return rd(v, &v->bar0, off, &x, 4) == 4 ? x : 0xdeadbeef;
}

static uint64_t reg64(struct vdev *v, uint32_t off)
{
	uint64_t x;

	return rd(v, &v->bar0, off, &x, 8) == 8 ? x : ~0ULL;
}

static ssize_t reg_write(struct vdev *v, uint32_t off, uint32_t val)
{
	return wr(v, &v->bar0, off, &val, 4);
}

static uint32_t cfg32(struct vdev *v, uint32_t off)
{
	uint32_t x;

	return rd(v, &v->cfg, off, &x, 4) == 4 ? x : 0xdeadbeef;
}

static uint16_t cfg16(struct vdev *v, uint32_t off)
{
	uint16_t x;

	return rd(v, &v->cfg, off, &x, 2) == 2 ? x : 0xdead;
}

static uint8_t cfg8(struct vdev *v, uint32_t off)
{
	uint8_t x;

	return rd(v, &v->cfg, off, &x, 1) == 1 ? x : 0xde;
}

static ssize_t cfg_write32(struct vdev *v, uint32_t off, uint32_t val)
{
	return wr(v, &v->cfg, off, &val, 4);
}

/* --- the ring ------------------------------------------------------------- */

static struct zsv_ring_entry ent(uint32_t op, uint32_t flags, uint64_t dst,
				 uint64_t src, uint64_t len, uint64_t arg)
{
	return (struct zsv_ring_entry){ .op = op, .flags = flags, .dst = dst,
					.src = src, .length = len, .arg = arg };
}

/*
 * Write N entries from the current TAIL and ring the doorbell once: the
 * new TAIL, or ~0 when a write failed.
 */
static uint32_t ring_give(struct vdev *v, const struct zsv_ring_entry *e,
			  unsigned int n)
{
	uint32_t tail = reg32(v, ZSV_REG_RING_TAIL);

	for (unsigned int i = 0; i < n; i++) {
		uint64_t slot = (tail + i) % ZSV_RING_ENTRIES;

		if (wr(v, &v->bar0, ZSV_RING_OFFSET + slot * sizeof(*e), &e[i],
		       sizeof(*e)) != sizeof(*e))
			return ~0u;
	}
	if (reg_write(v, ZSV_REG_RING_TAIL, tail + n) != 4)
		return ~0u;
	return tail + n;
}

/* The status field of the entry N (it lives in slot N % 64). */
static uint32_t ring_status(struct vdev *v, uint32_t n)
{
	uint64_t off = ZSV_RING_OFFSET +
		       (n % ZSV_RING_ENTRIES) * sizeof(struct zsv_ring_entry) +
		       offsetof(struct zsv_ring_entry, status);

	return reg32(v, off);
}

/* Wait up to MS for eventfd FD to fire and consume it: whether it fired. */
static bool eventfd_fired(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint64_t count;

	if (poll(&p, 1, ms) != 1)
		return false;
	return read(fd, &count, sizeof(count)) == sizeof(count) && count;
}

/*
 * Wait for DONE to reach TARGET, sleeping only on the MSI eventfd, and
 * clear IRQ_STATUS at each signal (an interrupt handler's job). Returns
 * whether DONE got there; *IRQ gets the causes seen.
 */
static bool ring_wait(struct vdev *v, uint32_t target, uint32_t *irq)
{
	int64_t deadline = now_ns() + IRQ_WAIT_MS * MS;
	uint32_t st;

	*irq = 0;
	while (now_ns() < deadline) {
		if (!eventfd_fired(v->msi, (deadline - now_ns()) / MS + 1))
			break;
		st = reg32(v, ZSV_REG_IRQ_STATUS);
		*irq |= st;
		reg_write(v, ZSV_REG_IRQ_STATUS, st);
		if ((int32_t)(reg32(v, ZSV_REG_RING_DONE) - target) >= 0) {
			/* What was raised after our read, with the last DONE. */
			st = reg32(v, ZSV_REG_IRQ_STATUS);
			*irq |= st;
			reg_write(v, ZSV_REG_IRQ_STATUS, st);
			return true;
		}
	}
	return false;
}

/* Give N entries and wait for them: whether all completed in time. */
static bool ring_run(struct vdev *v, const struct zsv_ring_entry *e,
		     unsigned int n, uint32_t *irq)
{
	uint32_t tail = ring_give(v, e, n);

	return tail != ~0u && ring_wait(v, tail, irq);
}

/* Map BAR0's ring page: the mapping, or MAP_FAILED. */
static struct zsv_ring_entry *ring_map(struct vdev *v)
{
	return mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd,
		    v->bar0.offset + ZSV_RING_OFFSET);
}

/*
 * As ring_give(), with the entries written through the mapping RING: the
 * new TAIL, or ~0 when the doorbell failed.
 */
static uint32_t ring_give_mapped(struct vdev *v, struct zsv_ring_entry *ring,
				 const struct zsv_ring_entry *e, unsigned int n)
{
	uint32_t tail = reg32(v, ZSV_REG_RING_TAIL);

	for (unsigned int i = 0; i < n; i++)
		ring[(tail + i) % ZSV_RING_ENTRIES] = e[i];
	/* The entries before the doorbell, as a driver's wmb(). */
	atomic_thread_fence(memory_order_release);
	if (reg_write(v, ZSV_REG_RING_TAIL, tail + n) != 4)
		return ~0u;
	return tail + n;
}

/* Entry N's flags in the mapping RING, read as a driver reads them. */
static uint32_t ring_flags(struct zsv_ring_entry *ring, uint32_t n)
{
	return __atomic_load_n(&ring[n % ZSV_RING_ENTRIES].flags,
			       __ATOMIC_ACQUIRE);
}

/*
 * Wait for ZSV_RING_FLAG_DONE in entry N of the mapping RING, sleeping only
 * on the MSI eventfd and reading no register: whether it came in time.
 */
static bool ring_wait_flag(struct vdev *v, struct zsv_ring_entry *ring,
			   uint32_t n)
{
	int64_t deadline = now_ns() + IRQ_WAIT_MS * MS;

	while (!(ring_flags(ring, n) & ZSV_RING_FLAG_DONE)) {
		if (now_ns() >= deadline)
			return false;
		eventfd_fired(v->msi, (deadline - now_ns()) / MS + 1);
	}
	return true;
}

/* --- netlink view of the slice ------------------------------------------- */

/* Attribute TYPE of slice NAME as a number; -1 when missing, -2 no slice. */
static int64_t slice_attr(struct zsv_nl *nl, const char *name, int type)
{
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));
	struct nlattr *a;
	int64_t v = -2;

	if (!zsv_slice_get(nl, r, name) && r->count) {
		a = r->attrs[0][type];
		if (!a)
			v = -1;
		else if (nla_len(a) == 1)
			v = nla_get_u8(a);
		else if (nla_len(a) == 4)
			v = nla_get_u32(a);
		else
			v = nla_get_u64(a);
	}
	zsv_nl_reply_free(r);
	free(r);
	return v;
}

/* --- the fixture ---------------------------------------------------------- */

/* A zsv-256M mdev of zsv0, open, with an MSI eventfd; BAR2 mapped whole. */
FIXTURE(mdev)
{
	struct zsv_nl nl;
	char uuid[37];
	bool created;
	struct vdev v;
	uint8_t *bar2;
};

static void vm_mdev_open(struct __test_metadata *_metadata,
		       FIXTURE_DATA(mdev) *self)
{
	const char *step = "";
	int err;

	self->v.fd = self->v.group = self->v.container = self->v.msi = -1;
	self->bar2 = MAP_FAILED;
	if (access("/sys/class/mdev_bus/zsv0", F_OK))
		SKIP(return, "zsv_mdev is not loaded (tests/vm/run --mdev)");
	if (access(TYPE_DIR, F_OK))
		SKIP(return, "zsv0 has no zsv-256M type (--sim 'devices=2 mem=2G')");
	crc32_init();
	ASSERT_EQ(0, zsv_nl_open(&self->nl));
	remove_leftover_mdevs();
	new_uuid(self->uuid);
	ASSERT_EQ(36u, strlen(self->uuid));
	ASSERT_EQ(0, sysfs_write(TYPE_DIR "/create", self->uuid));
	self->created = true;
	err = vdev_open(&self->v, self->uuid, &step);
	ASSERT_EQ(0, err) TH_LOG("%s: %s", step, strerror(err));
	self->v.msi = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	ASSERT_LE(0, self->v.msi);
	ASSERT_EQ(0, set_irq_eventfd(&self->v, VFIO_PCI_MSI_IRQ_INDEX,
				     self->v.msi));
	ASSERT_NE(0u, self->v.bar2.flags & VFIO_REGION_INFO_FLAG_MMAP);
	self->bar2 = mmap(NULL, self->v.bar2.size, PROT_READ | PROT_WRITE,
			  MAP_SHARED, self->v.fd, self->v.bar2.offset);
	ASSERT_NE(MAP_FAILED, self->bar2) TH_LOG("mmap BAR2: %s", strerror(errno));
}

static void vm_mdev_close(struct __test_metadata *_metadata,
			  FIXTURE_DATA(mdev) *self)
{
	if (self->bar2 != MAP_FAILED)
		munmap(self->bar2, self->v.bar2.size);
	vdev_close(&self->v);
	if (self->created) {
		EXPECT_EQ(0, mdev_remove(self->uuid));
		/* The slice goes with the mdev. */
		EXPECT_EQ(-2, slice_attr(&self->nl, self->uuid,
					 ZSV_A_SLICE_MEM_BYTES));
		zsv_nl_close(&self->nl);
	}
}

FIXTURE_SETUP(mdev)
{
	vm_mdev_open(_metadata, self);
}

FIXTURE_TEARDOWN(mdev)
{
	vm_mdev_close(_metadata, self);
}

/* --- the device, its config space and regions ---------------------------- */

TEST_F(mdev, device_info_is_pci_with_reset_9_regions_5_irqs)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };

	ASSERT_EQ(0, ioctl(self->v.fd, VFIO_DEVICE_GET_INFO, &info));
	EXPECT_EQ((uint32_t)(VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET),
		  info.flags & (VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET));
	EXPECT_EQ((uint32_t)VFIO_PCI_NUM_REGIONS, info.num_regions);
	EXPECT_EQ((uint32_t)VFIO_PCI_NUM_IRQS, info.num_irqs);
}

TEST_F(mdev, irq_info_has_intx_msi_req_and_no_msix_or_err)
{
	static const uint32_t count[VFIO_PCI_NUM_IRQS] = {
		[VFIO_PCI_INTX_IRQ_INDEX] = 1, [VFIO_PCI_MSI_IRQ_INDEX] = 1,
		[VFIO_PCI_MSIX_IRQ_INDEX] = 0, [VFIO_PCI_ERR_IRQ_INDEX] = 0,
		[VFIO_PCI_REQ_IRQ_INDEX] = 1,
	};

	for (uint32_t i = 0; i < VFIO_PCI_NUM_IRQS; i++) {
		struct vfio_irq_info irq = { .argsz = sizeof(irq), .index = i };

		ASSERT_EQ(0, ioctl(self->v.fd, VFIO_DEVICE_GET_IRQ_INFO, &irq));
		EXPECT_EQ(count[i], irq.count) TH_LOG("irq index %u", i);
		if (count[i])
			EXPECT_NE(0u, irq.flags & VFIO_IRQ_INFO_EVENTFD);
	}
	/* No error IRQ to set. */
	EXPECT_EQ(EINVAL, set_irq_eventfd(&self->v, VFIO_PCI_ERR_IRQ_INDEX,
					  self->v.msi));
}

TEST_F(mdev, config_space_has_zsv_identity_and_msi_capability)
{
	uint8_t all[256];

	EXPECT_EQ(ZSV_PCI_VENDOR_ID, cfg16(&self->v, PCI_VENDOR_ID));
	EXPECT_EQ(ZSV_PCI_DEVICE_ID, cfg16(&self->v, PCI_DEVICE_ID));
	EXPECT_EQ(ZSV_PCI_REVISION, cfg8(&self->v, PCI_REVISION_ID));
	EXPECT_EQ((uint32_t)ZSV_PCI_CLASS, cfg32(&self->v, PCI_CLASS_REVISION) >> 8);
	EXPECT_EQ(0, cfg8(&self->v, PCI_HEADER_TYPE));
	EXPECT_EQ(ZSV_PCI_SUBSYS_VENDOR_ID,
		  cfg16(&self->v, PCI_SUBSYSTEM_VENDOR_ID));
	EXPECT_EQ(ZSV_PCI_SUBSYS_ID, cfg16(&self->v, PCI_SUBSYSTEM_ID));
	EXPECT_EQ(1, cfg8(&self->v, PCI_INTERRUPT_PIN));
	EXPECT_EQ(PCI_STATUS_CAP_LIST, cfg16(&self->v, PCI_STATUS));
	EXPECT_EQ(0, cfg16(&self->v, PCI_COMMAND));
	EXPECT_EQ(0x50, cfg8(&self->v, PCI_CAPABILITY_LIST));
	EXPECT_EQ(PCI_CAP_ID_MSI, cfg8(&self->v, 0x50));
	EXPECT_EQ(0, cfg8(&self->v, 0x51));
	EXPECT_EQ(PCI_MSI_FLAGS_64BIT,
		  cfg16(&self->v, 0x50 + PCI_MSI_FLAGS) &
			  (PCI_MSI_FLAGS_64BIT | PCI_MSI_FLAGS_QMASK |
			   PCI_MSI_FLAGS_MASKBIT | PCI_MSI_FLAGS_ENABLE));
	/* QEMU reads it whole. */
	ASSERT_EQ(256, rd(&self->v, &self->v.cfg, 0, all, sizeof(all)));
	EXPECT_EQ(ZSV_PCI_VENDOR_ID, all[0] | all[1] << 8);
	EXPECT_EQ(0x50, all[PCI_CAPABILITY_LIST]);
	/* Read-only fields keep their value; the writable command bits stick. */
	EXPECT_EQ(4, cfg_write32(&self->v, PCI_VENDOR_ID, 0x12345678));
	EXPECT_EQ(ZSV_PCI_VENDOR_ID, cfg16(&self->v, PCI_VENDOR_ID));
	EXPECT_EQ(ZSV_PCI_DEVICE_ID, cfg16(&self->v, PCI_DEVICE_ID));
	EXPECT_EQ(4, cfg_write32(&self->v, PCI_CLASS_REVISION, 0));
	EXPECT_EQ((uint32_t)ZSV_PCI_CLASS, cfg32(&self->v, PCI_CLASS_REVISION) >> 8);
	EXPECT_EQ(4, cfg_write32(&self->v, PCI_COMMAND, 0xffff));
	EXPECT_EQ(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
			  PCI_COMMAND_INTX_DISABLE,
		  cfg16(&self->v, PCI_COMMAND));
	EXPECT_EQ(PCI_STATUS_CAP_LIST, cfg16(&self->v, PCI_STATUS));
}

TEST_F(mdev, bars_size_the_standard_way)
{
	uint64_t mem = reg64(&self->v, ZSV_REG_MEM_SIZE), bar2 = 4096;

	while (bar2 < mem)
		bar2 <<= 1;
	ASSERT_EQ(PART_BYTES, mem);
	EXPECT_EQ(bar2, self->v.bar2.size);

	EXPECT_EQ(4, cfg_write32(&self->v, PCI_BASE_ADDRESS_0, 0xffffffff));
	EXPECT_EQ((uint32_t)~(ZSV_BAR0_SIZE - 1),
		  cfg32(&self->v, PCI_BASE_ADDRESS_0));
	EXPECT_EQ(4, cfg_write32(&self->v, PCI_BASE_ADDRESS_1, 0xffffffff));
	EXPECT_EQ(0u, cfg32(&self->v, PCI_BASE_ADDRESS_1));
	EXPECT_EQ(4, cfg_write32(&self->v, PCI_BASE_ADDRESS_2, 0xffffffff));
	EXPECT_EQ(4, cfg_write32(&self->v, PCI_BASE_ADDRESS_3, 0xffffffff));
	EXPECT_EQ(((uint32_t)~(bar2 - 1) & ~0xfu) |
			  PCI_BASE_ADDRESS_MEM_TYPE_64 |
			  PCI_BASE_ADDRESS_MEM_PREFETCH,
		  cfg32(&self->v, PCI_BASE_ADDRESS_2));
	EXPECT_EQ((uint32_t)(~(bar2 - 1) >> 32),
		  cfg32(&self->v, PCI_BASE_ADDRESS_3));
	for (int i = 0; i < 3; i++) {
		static const int unused[] = { PCI_BASE_ADDRESS_4,
					      PCI_BASE_ADDRESS_5,
					      PCI_ROM_ADDRESS };

		EXPECT_EQ(4, cfg_write32(&self->v, unused[i], 0xffffffff));
		EXPECT_EQ(0u, cfg32(&self->v, unused[i]))
			TH_LOG("offset %#x", unused[i]);
	}
	/* Then an address is assigned and reads back with the flags. */
	EXPECT_EQ(4, cfg_write32(&self->v, PCI_BASE_ADDRESS_0, 0xfe000000));
	EXPECT_EQ(0xfe000000u, cfg32(&self->v, PCI_BASE_ADDRESS_0));
	EXPECT_EQ(4, cfg_write32(&self->v, PCI_BASE_ADDRESS_2, 0));
	EXPECT_EQ(4, cfg_write32(&self->v, PCI_BASE_ADDRESS_3, 0x8));
	EXPECT_EQ(0xcu, cfg32(&self->v, PCI_BASE_ADDRESS_2));
	EXPECT_EQ(0x8u, cfg32(&self->v, PCI_BASE_ADDRESS_3));
}

TEST_F(mdev, regions_config_bar0_bar2_and_no_others)
{
	const uint32_t rw = VFIO_REGION_INFO_FLAG_READ |
			    VFIO_REGION_INFO_FLAG_WRITE;

	EXPECT_EQ(256u, self->v.cfg.size);
	EXPECT_EQ(rw, self->v.cfg.flags);
	EXPECT_EQ((uint64_t)ZSV_BAR0_SIZE, self->v.bar0.size);
	/* The ring page is mappable: a sparse mmap area, in a capability. */
	EXPECT_EQ(rw | VFIO_REGION_INFO_FLAG_MMAP | VFIO_REGION_INFO_FLAG_CAPS,
		  self->v.bar0.flags);
	EXPECT_EQ(PART_BYTES, self->v.bar2.size);
	EXPECT_EQ(rw | VFIO_REGION_INFO_FLAG_MMAP, self->v.bar2.flags);
	for (uint32_t i = 0; i < VFIO_PCI_NUM_REGIONS; i++) {
		struct vfio_region_info r = { .argsz = sizeof(r), .index = i };

		if (i == VFIO_PCI_BAR0_REGION_INDEX ||
		    i == VFIO_PCI_BAR2_REGION_INDEX ||
		    i == VFIO_PCI_CONFIG_REGION_INDEX)
			continue;
		EXPECT_EQ(0, ioctl(self->v.fd, VFIO_DEVICE_GET_REGION_INFO, &r))
			TH_LOG("region %u: %s", i, strerror(errno));
		EXPECT_EQ(0u, r.size) TH_LOG("region %u", i);
		EXPECT_EQ(0u, r.flags) TH_LOG("region %u", i);
	}
	/* Past the last region. */
	{
		struct vfio_region_info r = { .argsz = sizeof(r),
					      .index = VFIO_PCI_NUM_REGIONS };

		EXPECT_EQ(-1, ioctl(self->v.fd, VFIO_DEVICE_GET_REGION_INFO, &r));
		EXPECT_EQ(EINVAL, errno);
	}
}

/* --- BAR0 registers ------------------------------------------------------- */

TEST_F(mdev, bar0_identity_registers_describe_the_slice)
{
	uint64_t engines = dev_stat(&self->nl, "zsv0", ZSV_A_DEV_ENGINES);

	EXPECT_EQ((uint32_t)ZSV_DEV_MAGIC, reg32(&self->v, ZSV_REG_ID));
	EXPECT_EQ((uint32_t)ZSV_DEV_VERSION, reg32(&self->v, ZSV_REG_VERSION));
	EXPECT_EQ((uint32_t)ZSV_FEATURE_DONE_FLAG,
		  reg32(&self->v, ZSV_REG_FEATURES));
	EXPECT_EQ(engines, reg32(&self->v, ZSV_REG_ENGINES));
	EXPECT_EQ(PART_BYTES, reg64(&self->v, ZSV_REG_MEM_SIZE));
	/* As two halves, low first. */
	EXPECT_EQ((uint32_t)PART_BYTES, reg32(&self->v, ZSV_REG_MEM_SIZE));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_MEM_SIZE + 4));
	EXPECT_EQ(100u, reg32(&self->v, ZSV_REG_WEIGHT));
	EXPECT_EQ(100u, reg32(&self->v, ZSV_REG_CAP_PCT));
	EXPECT_EQ(0u, reg64(&self->v, ZSV_REG_TIMESLICE_NS));
	EXPECT_EQ((uint32_t)ZSV_RING_ENTRIES, reg32(&self->v, ZSV_REG_RING_SIZE));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_RING_HEAD));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_RING_TAIL));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_RING_DONE));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_RING_ERROR));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_RING_ERRORS));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_IRQ_STATUS));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_IRQ_MASK));
}

TEST_F(mdev, bar0_reads_slice_settings_live)
{
	ASSERT_EQ(0, slice_set_u32(&self->nl, self->uuid, ZSV_A_SLICE_WEIGHT,
				   300));
	ASSERT_EQ(0, slice_set_u32(&self->nl, self->uuid, ZSV_A_SLICE_CAP_PCT,
				   40));
	EXPECT_EQ(300u, reg32(&self->v, ZSV_REG_WEIGHT));
	EXPECT_EQ(40u, reg32(&self->v, ZSV_REG_CAP_PCT));
}

TEST_F(mdev, read_only_registers_ignore_writes)
{
	static const uint32_t ro[] = {
		ZSV_REG_ID, ZSV_REG_VERSION, ZSV_REG_ENGINES,
		ZSV_REG_MEM_SIZE, ZSV_REG_MEM_SIZE + 4, ZSV_REG_WEIGHT,
		ZSV_REG_CAP_PCT, ZSV_REG_RING_SIZE, ZSV_REG_RING_HEAD,
		ZSV_REG_RING_DONE, ZSV_REG_RING_ERROR, ZSV_REG_RING_ERRORS,
	};
	uint32_t before[sizeof(ro) / sizeof(ro[0])];

	for (size_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++)
		before[i] = reg32(&self->v, ro[i]);
	for (size_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++)
		EXPECT_EQ(4, reg_write(&self->v, ro[i], 0x5a5a5a5a));
	for (size_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++) {
		EXPECT_EQ(before[i], reg32(&self->v, ro[i]))
			TH_LOG("register %#x", ro[i]);
	}
	/* CONTROL is write-only; IRQ_MASK keeps only the ZSV_IRQ_* bits. */
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_CONTROL));
	EXPECT_EQ(4, reg_write(&self->v, ZSV_REG_IRQ_MASK, 0xffffffff));
	EXPECT_EQ((uint32_t)(ZSV_IRQ_DONE | ZSV_IRQ_ERROR),
		  reg32(&self->v, ZSV_REG_IRQ_MASK));
	/* An unused offset in the register range reads zero. */
	EXPECT_EQ(4, reg_write(&self->v, 0x800, 0x12345678));
	EXPECT_EQ(0u, reg32(&self->v, 0x800));
}

TEST_F(mdev, narrow_and_wide_register_accesses_read_zero)
{
	uint8_t b = 0xff;
	uint16_t h = 0xffff;
	uint64_t q = ~0ULL;
	uint32_t w;

	EXPECT_EQ(1, rd(&self->v, &self->v.bar0, ZSV_REG_ID, &b, 1));
	EXPECT_EQ(0, b);
	EXPECT_EQ(2, rd(&self->v, &self->v.bar0, ZSV_REG_ID + 2, &h, 2));
	EXPECT_EQ(0, h);
	/* 8 bytes at a 32-bit register. */
	EXPECT_EQ(8, rd(&self->v, &self->v.bar0, ZSV_REG_ID, &q, 8));
	EXPECT_EQ(0u, q);
	/* 8 bytes at a 64-bit one give the value. */
	EXPECT_EQ(8, rd(&self->v, &self->v.bar0, ZSV_REG_MEM_SIZE, &q, 8));
	EXPECT_EQ(PART_BYTES, q);
	/* Narrow and 8-byte writes are ignored. */
	h = ZSV_IRQ_DONE;
	EXPECT_EQ(2, wr(&self->v, &self->v.bar0, ZSV_REG_IRQ_MASK, &h, 2));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_IRQ_MASK));
	q = 5;
	EXPECT_EQ(8, wr(&self->v, &self->v.bar0, ZSV_REG_RING_TAIL, &q, 8));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_RING_TAIL));
	/* Unaligned, or across the end of the register range: EINVAL. */
	EXPECT_EQ(-EINVAL, rd(&self->v, &self->v.bar0, ZSV_REG_ID + 1, &w, 4));
	EXPECT_EQ(-EINVAL, rd(&self->v, &self->v.bar0, 0xffe, &w, 4));
	EXPECT_EQ(-EINVAL, wr(&self->v, &self->v.bar0, ZSV_REG_RING_TAIL + 2,
			      &w, 4));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_RING_TAIL));
	EXPECT_EQ((uint32_t)ZSV_DEV_MAGIC, reg32(&self->v, ZSV_REG_ID));
}

/* A read or write past a region's end fails or comes up short; no harm. */
TEST_F(mdev, region_accesses_past_the_end_fail)
{
	struct vfio_region_info *r[] = { &self->v.cfg, &self->v.bar0,
					 &self->v.bar2 };
	uint8_t buf[16] = { 0 };
	ssize_t n;

	for (size_t i = 0; i < 3; i++) {
		uint64_t end = r[i]->size;

		n = rd(&self->v, r[i], end, buf, 4);
		EXPECT_TRUE(n == -EINVAL || n == 0)
			TH_LOG("region %u: read at the end gave %zd", r[i]->index, n);
		n = wr(&self->v, r[i], end, buf, 4);
		EXPECT_TRUE(n == -EINVAL || n == 0)
			TH_LOG("region %u: write at the end gave %zd", r[i]->index, n);
		n = rd(&self->v, r[i], end - 2, buf, 4);
		EXPECT_TRUE(n == -EINVAL || (n >= 0 && n < 4))
			TH_LOG("region %u: read across the end gave %zd", r[i]->index, n);
		n = wr(&self->v, r[i], end - 2, buf, 4);
		EXPECT_TRUE(n == -EINVAL || (n >= 0 && n < 4))
			TH_LOG("region %u: write across the end gave %zd", r[i]->index, n);
	}
	/* A region of size 0 (BAR1), and an offset past every region. */
	{
		struct vfio_region_info bar1 = {
			.argsz = sizeof(bar1),
			.index = VFIO_PCI_BAR1_REGION_INDEX,
		};

		ASSERT_EQ(0, ioctl(self->v.fd, VFIO_DEVICE_GET_REGION_INFO,
				   &bar1));
		n = rd(&self->v, &bar1, 0, buf, 4);
		EXPECT_TRUE(n == -EINVAL || n == 0) TH_LOG("BAR1 read: %zd", n);
	}
	n = pread(self->v.fd, buf, 4, ~0ULL >> 1);
	EXPECT_TRUE(n <= 0);
	/* Nothing was harmed. */
	EXPECT_EQ((uint32_t)ZSV_DEV_MAGIC, reg32(&self->v, ZSV_REG_ID));
	EXPECT_EQ(ZSV_PCI_VENDOR_ID, cfg16(&self->v, PCI_VENDOR_ID));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_RING_TAIL));
	EXPECT_TRUE(all_bytes(self->bar2 + PART_BYTES - 16, 16, 0));
}

/* --- BAR2 ------------------------------------------------------------------ */

TEST_F(mdev, bar2_mapping_and_region_reads_agree)
{
	static const uint64_t offs[] = { 0, 7 * 4096 + 13, 64 * MiB - 3,
					 PART_BYTES - 16 };
	uint8_t pat[16], got[16], *p;

	/* Zero at first, lazily backed. */
	EXPECT_TRUE(all_bytes(self->bar2 + 12345, 100, 0));
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		for (int k = 0; k < 16; k++)
			pat[k] = 0x30 + i * 16 + k;
		memcpy(self->bar2 + offs[i], pat, sizeof(pat));
		memset(got, 0, sizeof(got));
		EXPECT_EQ(16, rd(&self->v, &self->v.bar2, offs[i], got, 16));
		EXPECT_EQ(0, memcmp(pat, got, 16)) TH_LOG("offset %#lx", (unsigned long)offs[i]);
	}
	/* And the other way: pwrite, then the mapping sees it. */
	memcpy(pat, "through-pwrite!!", 16);
	EXPECT_EQ(16, wr(&self->v, &self->v.bar2, 3 * MiB + 1, pat, 16));
	EXPECT_EQ(0, memcmp(self->bar2 + 3 * MiB + 1, pat, 16));
	/* A second mapping of one page, from an offset, shares the memory. */
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->v.fd,
		 self->v.bar2.offset + 3 * MiB);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(0, memcmp(p + 1, pat, 16));
	munmap(p, 4096);
}

/* --- BAR0's ring page ------------------------------------------------------ */

TEST_F(mdev, bar0_region_info_has_the_ring_page_as_its_one_sparse_mmap_area)
{
	uint64_t buf[64] = { 0 };
	struct vfio_region_info *r = (struct vfio_region_info *)buf;
	struct vfio_region_info_cap_sparse_mmap *sparse = NULL;
	struct vfio_info_cap_header *h;
	uint32_t need = self->v.bar0.argsz, off;

	/* Asked without room for the capabilities: argsz says how much. */
	EXPECT_LT(sizeof(*r), need);
	EXPECT_EQ(0u, self->v.bar0.cap_offset);
	ASSERT_LE(need, sizeof(buf));
	r->argsz = need;
	r->index = VFIO_PCI_BAR0_REGION_INDEX;
	ASSERT_EQ(0, ioctl(self->v.fd, VFIO_DEVICE_GET_REGION_INFO, r));
	EXPECT_NE(0u, r->flags & VFIO_REGION_INFO_FLAG_CAPS);
	EXPECT_NE(0u, r->flags & VFIO_REGION_INFO_FLAG_MMAP);
	ASSERT_LE(sizeof(*r), r->cap_offset);
	for (off = r->cap_offset; off; off = h->next) {
		ASSERT_LE(off + sizeof(*h), need);
		h = (struct vfio_info_cap_header *)((uint8_t *)buf + off);
		if (h->id == VFIO_REGION_INFO_CAP_SPARSE_MMAP) {
			sparse = (struct vfio_region_info_cap_sparse_mmap *)h;
			break;
		}
	}
	ASSERT_NE(NULL, sparse);
	EXPECT_EQ(1, sparse->header.version);
	ASSERT_EQ(1u, sparse->nr_areas);
	ASSERT_LE(off + sizeof(*sparse) + sizeof(sparse->areas[0]), need);
	EXPECT_EQ((uint64_t)ZSV_RING_OFFSET, sparse->areas[0].offset);
	EXPECT_EQ(4096u, sparse->areas[0].size);
	/* BAR2 is mapped whole: no capability. */
	EXPECT_EQ(0u, self->v.bar2.flags & VFIO_REGION_INFO_FLAG_CAPS);
}

TEST_F(mdev, bar0_maps_the_ring_page_and_nothing_else)
{
	const int rw = PROT_READ | PROT_WRITE;
	static const struct {
		uint64_t off, len;
		int prot, flags;
		const char *what;
	} bad[] = {
		{ 0, ZSV_BAR0_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, "all of BAR0" },
		{ 0, 4096, PROT_READ, MAP_SHARED, "the registers" },
		{ ZSV_RING_OFFSET, 8192, PROT_READ, MAP_SHARED, "the ring page and past it" },
		{ ZSV_BAR0_SIZE, 4096, PROT_READ, MAP_SHARED, "past the ring page" },
		{ ZSV_RING_OFFSET, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, "private" },
		{ ZSV_RING_OFFSET, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, "executable" },
	};
	struct zsv_ring_entry *ring, e = ent(ZSV_RING_OP_FILL, 0, 64, 0, 8, 3);
	uint8_t got[64];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		void *p = mmap(NULL, bad[i].len, bad[i].prot, bad[i].flags,
			       self->v.fd, self->v.bar0.offset + bad[i].off);

		EXPECT_EQ(MAP_FAILED, p) TH_LOG("%s", bad[i].what);
		if (p != MAP_FAILED)
			munmap(p, bad[i].len);
	}
	ring = mmap(NULL, 4096, rw, MAP_SHARED, self->v.fd,
		    self->v.bar0.offset + ZSV_RING_OFFSET);
	ASSERT_NE(MAP_FAILED, ring) TH_LOG("mmap the ring page: %s",
					   strerror(errno));
	/* The mapping and the region are the same bytes, both ways. */
	EXPECT_TRUE(all_bytes(ring, 4096, 0));
	ring[5] = e;
	EXPECT_EQ(64, rd(&self->v, &self->v.bar0, ZSV_RING_OFFSET + 5 * 64,
			 got, 64));
	EXPECT_EQ(0, memcmp(got, &e, 64));
	e.arg = 4;
	EXPECT_EQ(64, wr(&self->v, &self->v.bar0, ZSV_RING_OFFSET + 63 * 64,
			 &e, 64));
	EXPECT_EQ(0, memcmp(&ring[63], &e, 64));
	/* The registers are not in it. */
	EXPECT_EQ((uint32_t)ZSV_DEV_MAGIC, reg32(&self->v, ZSV_REG_ID));
	munmap(ring, 4096);
}

TEST_F(mdev, entries_written_in_the_mapped_ring_run_and_complete_there)
{
	const uint64_t off = 8192, len = 3 * 4096 + 8, sum_at = 0x8000;
	struct zsv_ring_entry e[2] = {
		ent(ZSV_RING_OP_FILL, 0, off, 0, len, 0x600dcafe),
		ent(ZSV_RING_OP_CHECKSUM, ZSV_RING_FLAG_FENCE, sum_at, off,
		    len, 0),
	};
	struct zsv_ring_entry *ring = ring_map(&self->v), got;
	uint8_t *want = malloc(len);
	uint32_t sum = 0;

	ASSERT_NE(NULL, want);
	ASSERT_NE(MAP_FAILED, ring) TH_LOG("mmap the ring: %s", strerror(errno));
	for (uint64_t i = 0; i < len; i += 4)
		memcpy(want + i, "\xfe\xca\x0d\x60", 4);
	ASSERT_EQ(2u, ring_give_mapped(&self->v, ring, e, 2));
	/* Completion is seen in the entries, without reading RING_DONE. */
	ASSERT_TRUE(ring_wait_flag(&self->v, ring, 1))
		TH_LOG("no DONE flag after %d ms: RING_DONE %u", IRQ_WAIT_MS,
		       reg32(&self->v, ZSV_REG_RING_DONE));
	/* In order: the first completed before the second. */
	EXPECT_EQ((uint32_t)ZSV_RING_FLAG_DONE, ring_flags(ring, 0));
	EXPECT_EQ((uint32_t)(ZSV_RING_FLAG_FENCE | ZSV_RING_FLAG_DONE),
		  ring_flags(ring, 1));
	EXPECT_EQ(0u, ring[0].status);
	EXPECT_EQ(0u, ring[1].status);
	/* The rest of the entry is as the driver wrote it. */
	EXPECT_EQ(e[1].dst, ring[1].dst);
	EXPECT_EQ(e[1].length, ring[1].length);
	EXPECT_EQ(2u, reg32(&self->v, ZSV_REG_RING_DONE));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_RING_ERRORS));
	EXPECT_EQ(0, memcmp(self->bar2 + off, want, len));
	memcpy(&sum, self->bar2 + sum_at, 4);
	EXPECT_EQ(crc32_buf(want, len), sum);
	/* pread of the ring sees what the mapping sees. */
	EXPECT_EQ(64, rd(&self->v, &self->v.bar0, ZSV_RING_OFFSET + 64, &got,
			 64));
	EXPECT_EQ(0, memcmp(&got, &ring[1], 64));
	/* And the status of a failed entry lands there too. */
	e[0] = ent(77, 0, 0, 0, 64, 0);
	ASSERT_EQ(3u, ring_give_mapped(&self->v, ring, e, 1));
	ASSERT_TRUE(ring_wait_flag(&self->v, ring, 2));
	EXPECT_EQ((uint32_t)EINVAL, ring[2].status);
	EXPECT_EQ(1u, reg32(&self->v, ZSV_REG_RING_ERRORS));
	munmap(ring, 4096);
	free(want);
}

TEST_F(mdev, a_stale_done_flag_in_a_reused_slot_is_ignored)
{
	struct zsv_ring_entry e[2] = {
		ent(ZSV_RING_OP_FILL, ZSV_RING_FLAG_DONE, 0, 0, 64, 0x0b0b0b0b),
		ent(ZSV_RING_OP_FILL, ZSV_RING_FLAG_FENCE | ZSV_RING_FLAG_DONE,
		    4096, 0, 64, 0x0c0c0c0c),
	};
	struct zsv_ring_entry *ring = ring_map(&self->v);
	uint32_t irq;

	ASSERT_NE(MAP_FAILED, ring);
	/* The flags say done already: wait on RING_DONE instead. */
	ASSERT_EQ(2u, ring_give_mapped(&self->v, ring, e, 2));
	ASSERT_TRUE(ring_wait(&self->v, 2, &irq));
	EXPECT_EQ((uint32_t)ZSV_IRQ_DONE, irq);
	EXPECT_EQ(0u, ring[0].status);
	EXPECT_EQ(0u, ring[1].status);
	EXPECT_EQ((uint32_t)ZSV_RING_FLAG_DONE, ring_flags(ring, 0));
	EXPECT_EQ((uint32_t)(ZSV_RING_FLAG_FENCE | ZSV_RING_FLAG_DONE),
		  ring_flags(ring, 1));
	EXPECT_EQ(0x0b, self->bar2[63]);
	EXPECT_EQ(0x0c, self->bar2[4096 + 63]);
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_RING_ERRORS));
	munmap(ring, 4096);
}

TEST_F(mdev, reset_zeroes_the_ring_seen_through_the_mapping)
{
	struct zsv_ring_entry e = ent(ZSV_RING_OP_FILL, 0, 0, 0, 64, 0x0d);
	struct zsv_ring_entry *ring = ring_map(&self->v), *again;

	ASSERT_NE(MAP_FAILED, ring);
	ASSERT_EQ(1u, ring_give_mapped(&self->v, ring, &e, 1));
	ASSERT_TRUE(ring_wait_flag(&self->v, ring, 0));
	memset(&ring[10], 0x5a, 4096 - 10 * 64);
	ASSERT_EQ(0, ioctl(self->v.fd, VFIO_DEVICE_RESET));
	EXPECT_TRUE(all_bytes(ring, 4096, 0));
	/* A new mapping of the page sees the zeroes too. */
	again = ring_map(&self->v);
	ASSERT_NE(MAP_FAILED, again);
	EXPECT_TRUE(all_bytes(again, 4096, 0));
	munmap(again, 4096);
	/* The ring runs from slot 0 again, seen through the old mapping. */
	eventfd_fired(self->v.msi, 0);
	ASSERT_EQ(1u, ring_give_mapped(&self->v, ring, &e, 1));
	ASSERT_TRUE(ring_wait_flag(&self->v, ring, 0));
	EXPECT_EQ(0u, ring[0].status);
	/* CONTROL's reset does the same. */
	memset(ring, 0xa5, 4096);
	ASSERT_EQ(4, reg_write(&self->v, ZSV_REG_CONTROL, ZSV_CONTROL_RESET));
	EXPECT_TRUE(all_bytes(ring, 4096, 0));
	munmap(ring, 4096);
}

/* Rewrites the mapped ring for as long as the device takes entries. */
struct scribbler {
	struct zsv_ring_entry *ring;
	atomic_bool stop;
	uint64_t writes;
};

/*
 * Each slot gets, field by field and in no order, a good FILL of the first
 * page, a FILL past the partition, or noise. Any mix of the two FILLs
 * either fills inside the first page or is refused.
 */
static void *scribble(void *arg)
{
	struct scribbler *s = arg;
	const struct zsv_ring_entry good = ent(ZSV_RING_OP_FILL, 0, 0, 0, 4096,
						0x11111111);
	const struct zsv_ring_entry past = ent(ZSV_RING_OP_FILL, 0,
						PART_BYTES - 64, 0, 128,
						0x11111111);
	unsigned int seed = 1;

	while (!atomic_load_explicit(&s->stop, memory_order_relaxed)) {
		unsigned int r = rand_r(&seed);
		volatile uint64_t *dst = (volatile uint64_t *)
			&s->ring[r % ZSV_RING_ENTRIES];
		const uint64_t *src = (const uint64_t *)
			((r >> 8) % 3 == 0 ? &good : &past);

		for (unsigned int i = 0; i < 8; i++) {
			unsigned int k = (i + (r >> 12)) % 8;

			dst[k] = (r >> 10) % 3 == 2 ?
					 (uint64_t)rand_r(&seed) << 32 | rand_r(&seed) :
					 src[k];
		}
		s->writes++;
	}
	return NULL;
}

TEST_F(mdev, rewriting_the_mapped_ring_while_the_device_takes_it_is_harmless)
{
	struct scribbler s = { .ring = ring_map(&self->v) };
	struct zsv_ring_entry e = ent(ZSV_RING_OP_FILL, 0, 4096, 0, 64, 0x22);
	const uint32_t rounds = 400;
	uint32_t tail, irq, errors;
	pthread_t t;

	ASSERT_NE(MAP_FAILED, s.ring);
	atomic_init(&s.stop, false);
	ASSERT_EQ(0, pthread_create(&t, NULL, scribble, &s));
	for (tail = 1; tail <= rounds; tail++) {
		if (reg_write(&self->v, ZSV_REG_RING_TAIL, tail) != 4 ||
		    !ring_wait(&self->v, tail, &irq))
			break;
	}
	atomic_store(&s.stop, true);
	pthread_join(t, NULL);
	ASSERT_EQ(rounds + 1, tail) TH_LOG("stuck at entry %u: DONE %u",
					   tail, reg32(&self->v, ZSV_REG_RING_DONE));
	TH_LOG("%llu rewrites of the ring", (unsigned long long)s.writes);
	EXPECT_EQ(rounds, reg32(&self->v, ZSV_REG_RING_HEAD));
	EXPECT_EQ(rounds, reg32(&self->v, ZSV_REG_RING_DONE));
	errors = reg32(&self->v, ZSV_REG_RING_ERRORS);
	EXPECT_GE(rounds, errors);
	/* Only the first page can have been written, and only with 0x11. */
	for (uint32_t i = 0; i < 4096; i++)
		if (self->bar2[i] && self->bar2[i] != 0x11) {
			EXPECT_EQ(0x11, self->bar2[i]) TH_LOG("byte %u", i);
			break;
		}
	EXPECT_TRUE(all_bytes(self->bar2 + 4096, 4096, 0));
	EXPECT_TRUE(all_bytes(self->bar2 + PART_BYTES - 4096, 4096, 0));
	/* The device goes on as before. */
	tail = ring_give_mapped(&self->v, s.ring, &e, 1);
	ASSERT_EQ(rounds + 1, tail);
	ASSERT_TRUE(ring_wait_flag(&self->v, s.ring, rounds));
	EXPECT_EQ(0u, s.ring[rounds % ZSV_RING_ENTRIES].status);
	EXPECT_EQ(0x22, self->bar2[4096]);
	EXPECT_EQ(errors, reg32(&self->v, ZSV_REG_RING_ERRORS));
	munmap(s.ring, 4096);
}

/* --- the ring --------------------------------------------------------------- */

TEST_F(mdev, fill_then_checksum_through_the_ring_signals_msi)
{
	const uint64_t off = 4096, len = 4 * 4096 + 20, sum_at = 0x10000;
	struct zsv_ring_entry e[2] = {
		ent(ZSV_RING_OP_FILL, 0, off, 0, len, 0xdeadbeef),
		ent(ZSV_RING_OP_CHECKSUM, ZSV_RING_FLAG_FENCE, sum_at, off,
		    len, 0),
	};
	uint8_t *want = malloc(len);
	uint32_t irq, sum = 0;

	ASSERT_NE(NULL, want);
	for (uint64_t i = 0; i < len; i += 4)
		memcpy(want + i, "\xef\xbe\xad\xde", 4);
	ASSERT_TRUE(ring_run(&self->v, e, 2, &irq))
		TH_LOG("DONE %u of 2 after %d ms; IRQ_STATUS %#x",
		       reg32(&self->v, ZSV_REG_RING_DONE), IRQ_WAIT_MS,
		       reg32(&self->v, ZSV_REG_IRQ_STATUS));
	EXPECT_EQ((uint32_t)ZSV_IRQ_DONE, irq);
	EXPECT_EQ(2u, reg32(&self->v, ZSV_REG_RING_HEAD));
	EXPECT_EQ(2u, reg32(&self->v, ZSV_REG_RING_TAIL));
	EXPECT_EQ(2u, reg32(&self->v, ZSV_REG_RING_DONE));
	EXPECT_EQ(0u, ring_status(&self->v, 0));
	EXPECT_EQ(0u, ring_status(&self->v, 1));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_RING_ERRORS));
	EXPECT_EQ(0, memcmp(self->bar2 + off, want, len));
	EXPECT_TRUE(all_bytes(self->bar2, off, 0));
	EXPECT_EQ(4, rd(&self->v, &self->v.bar2, sum_at, &sum, 4));
	EXPECT_EQ(crc32_buf(want, len), sum);
	/* The slice's statistics count the entries as jobs. */
	EXPECT_LE(2, slice_attr(&self->nl, self->uuid,
				ZSV_A_SLICE_JOBS_COMPLETED));
	free(want);
}

TEST_F(mdev, masked_done_is_not_signalled_until_unmasked)
{
	struct zsv_ring_entry e = ent(ZSV_RING_OP_FILL, 0, 0, 0, 4096, 7);
	uint32_t tail;

	ASSERT_EQ(4, reg_write(&self->v, ZSV_REG_IRQ_MASK, ZSV_IRQ_DONE));
	tail = ring_give(&self->v, &e, 1);
	ASSERT_EQ(1u, tail);
	for (int i = 0; i < 500 && reg32(&self->v, ZSV_REG_RING_DONE) != 1; i++)
		usleep(10000);
	ASSERT_EQ(1u, reg32(&self->v, ZSV_REG_RING_DONE));
	EXPECT_EQ((uint32_t)ZSV_IRQ_DONE, reg32(&self->v, ZSV_REG_IRQ_STATUS));
	EXPECT_FALSE(eventfd_fired(self->v.msi, 100));
	/* Unmasking a pending cause signals at once. */
	ASSERT_EQ(4, reg_write(&self->v, ZSV_REG_IRQ_MASK, 0));
	EXPECT_TRUE(eventfd_fired(self->v.msi, IRQ_WAIT_MS));
	/* RW1C. */
	EXPECT_EQ(4, reg_write(&self->v, ZSV_REG_IRQ_STATUS, ZSV_IRQ_DONE));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_IRQ_STATUS));
}

TEST_F(mdev, dma_read_and_write_move_bytes_through_mapped_iovas)
{
	uint8_t *a = mmap(NULL, DMA_BUF, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *b = mmap(NULL, DMA_BUF, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.size = DMA_BUF,
	};
	const uint64_t len = 40000, at = 0x20000;
	struct zsv_ring_entry e[3] = {
		ent(ZSV_RING_OP_DMA_READ, 0, at, IOVA_A + 5, len, 0),
		ent(ZSV_RING_OP_CHECKSUM, ZSV_RING_FLAG_FENCE, 0x40000, at,
		    len, 0),
		/* The DMA after the CHECKSUM sees its result. */
		ent(ZSV_RING_OP_DMA_WRITE, 0, IOVA_B + 7, at, len, 0),
	};
	struct zsv_ring_entry sum_back =
		ent(ZSV_RING_OP_DMA_WRITE, 0, IOVA_B + len + 8, 0x40000, 4, 0);
	struct zsv_ring_entry stale =
		ent(ZSV_RING_OP_DMA_WRITE, 0, IOVA_B, at, 64, 0);
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap), .iova = IOVA_B, .size = DMA_BUF,
	};
	uint32_t irq, sum;

	ASSERT_NE(MAP_FAILED, a);
	ASSERT_NE(MAP_FAILED, b);
	for (int i = 0; i < DMA_BUF; i++)
		a[i] = (i * 7 + 3) ^ (i >> 8);
	memset(b, 0, DMA_BUF);
	map.vaddr = (uintptr_t)a;
	map.iova = IOVA_A;
	ASSERT_EQ(0, ioctl(self->v.container, VFIO_IOMMU_MAP_DMA, &map))
		TH_LOG("MAP_DMA: %s", strerror(errno));
	map.vaddr = (uintptr_t)b;
	map.iova = IOVA_B;
	ASSERT_EQ(0, ioctl(self->v.container, VFIO_IOMMU_MAP_DMA, &map));

	ASSERT_TRUE(ring_run(&self->v, e, 3, &irq));
	EXPECT_EQ((uint32_t)ZSV_IRQ_DONE, irq);
	for (int i = 0; i < 3; i++) {
		EXPECT_EQ(0u, ring_status(&self->v, i)) TH_LOG("entry %d", i);
	}
	EXPECT_EQ(0, memcmp(self->bar2 + at, a + 5, len));
	EXPECT_TRUE(all_bytes(self->bar2 + at - 16, 16, 0));
	EXPECT_TRUE(all_bytes(self->bar2 + at + len, 16, 0));
	EXPECT_EQ(0, memcmp(b + 7, a + 5, len));
	EXPECT_TRUE(all_bytes(b, 7, 0));
	EXPECT_TRUE(all_bytes(b + 7 + len, DMA_BUF - 7 - len, 0));

	ASSERT_TRUE(ring_run(&self->v, &sum_back, 1, &irq));
	EXPECT_EQ(0u, ring_status(&self->v, 3));
	memcpy(&sum, b + len + 8, 4);
	EXPECT_EQ(crc32_buf(a + 5, len), sum);

	/* Once unmapped, the IOVA is not touched: EFAULT, the ring goes on. */
	ASSERT_EQ(0, ioctl(self->v.container, VFIO_IOMMU_UNMAP_DMA, &unmap));
	memset(b, 0, 64);
	ASSERT_TRUE(ring_run(&self->v, &stale, 1, &irq));
	EXPECT_EQ((uint32_t)EFAULT, ring_status(&self->v, 4));
	EXPECT_TRUE(all_bytes(b, 64, 0));
	munmap(a, DMA_BUF);
	munmap(b, DMA_BUF);
}

TEST_F(mdev, tail_more_than_64_ahead_or_behind_is_ignored)
{
	struct zsv_ring_entry e = ent(ZSV_RING_OP_FILL, 0, 0, 0, 64, 1);
	struct zsv_ring_entry many[ZSV_RING_ENTRIES];
	uint32_t irq;

	EXPECT_EQ(4, reg_write(&self->v, ZSV_REG_RING_TAIL,
			       ZSV_RING_ENTRIES + 1));
	EXPECT_TRUE(eventfd_fired(self->v.msi, IRQ_WAIT_MS));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_RING_TAIL));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_RING_HEAD));
	EXPECT_EQ((uint32_t)EINVAL, reg32(&self->v, ZSV_REG_RING_ERROR));
	EXPECT_EQ(1u, reg32(&self->v, ZSV_REG_RING_ERRORS));
	EXPECT_EQ((uint32_t)ZSV_IRQ_ERROR, reg32(&self->v, ZSV_REG_IRQ_STATUS));
	reg_write(&self->v, ZSV_REG_IRQ_STATUS, ZSV_IRQ_ERROR);

	/* A good entry still runs. */
	ASSERT_TRUE(ring_run(&self->v, &e, 1, &irq));
	EXPECT_EQ((uint32_t)ZSV_IRQ_DONE, irq);
	EXPECT_EQ(0u, ring_status(&self->v, 0));
	EXPECT_EQ(1u, self->bar2[0]);

	/* TAIL never moves back. */
	EXPECT_EQ(4, reg_write(&self->v, ZSV_REG_RING_TAIL, 0));
	EXPECT_TRUE(eventfd_fired(self->v.msi, IRQ_WAIT_MS));
	EXPECT_EQ(1u, reg32(&self->v, ZSV_REG_RING_TAIL));
	EXPECT_EQ(2u, reg32(&self->v, ZSV_REG_RING_ERRORS));
	EXPECT_EQ(1u, reg32(&self->v, ZSV_REG_RING_DONE));
	/* Exactly 64 ahead of DONE is allowed. */
	for (int i = 0; i < ZSV_RING_ENTRIES; i++)
		many[i] = ent(ZSV_RING_OP_FILL, 0, 4096 + 64 * i, 0, 64, i + 1);
	ASSERT_TRUE(ring_run(&self->v, many, ZSV_RING_ENTRIES, &irq));
	EXPECT_EQ(1u + ZSV_RING_ENTRIES, reg32(&self->v, ZSV_REG_RING_DONE));
	EXPECT_EQ(2u, reg32(&self->v, ZSV_REG_RING_ERRORS));
	EXPECT_EQ(64, self->bar2[4096 + 64 * 63]);
}

/* --- reset ------------------------------------------------------------------ */

/* Make state that a reset must clear: BAR2 bytes, counters, an error. */
static void dirty_the_device(struct __test_metadata *_metadata,
			     FIXTURE_DATA(mdev) *self)
{
	struct zsv_ring_entry e[2] = {
		ent(ZSV_RING_OP_FILL, 0, 8192, 0, 4096, 0x01020304),
		ent(77, 0, 0, 0, 4, 0),
	};
	uint32_t irq;

	memset(self->bar2, 0xab, 4096);
	memset(self->bar2 + PART_BYTES - 4096, 0xcd, 4096);
	ASSERT_TRUE(ring_run(&self->v, e, 2, &irq));
	ASSERT_EQ(1u, reg32(&self->v, ZSV_REG_RING_ERRORS));
	ASSERT_EQ(4, reg_write(&self->v, ZSV_REG_IRQ_MASK, ZSV_IRQ_ERROR));
	/* Leave a cause pending. */
	e[0].arg = 5;
	ASSERT_NE(~0u, ring_give(&self->v, e, 1));
	for (int i = 0; i < 500 && reg32(&self->v, ZSV_REG_RING_DONE) != 3; i++)
		usleep(10000);
	ASSERT_EQ(3u, reg32(&self->v, ZSV_REG_RING_DONE));
}

static void expect_reset_state(struct __test_metadata *_metadata,
			       FIXTURE_DATA(mdev) *self)
{
	uint8_t buf[64];
	uint8_t ring[64];
	uint32_t irq;
	struct zsv_ring_entry e = ent(ZSV_RING_OP_FILL, 0, 0, 0, 8, 9);

	/* The old mapping refaults onto the new, zeroed memory. */
	EXPECT_TRUE(all_bytes(self->bar2, 16384, 0));
	EXPECT_TRUE(all_bytes(self->bar2 + PART_BYTES - 4096, 4096, 0));
	EXPECT_EQ(64, rd(&self->v, &self->v.bar2, 8192, buf, 64));
	EXPECT_TRUE(all_bytes(buf, 64, 0));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_RING_HEAD));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_RING_TAIL));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_RING_DONE));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_RING_ERROR));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_RING_ERRORS));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_IRQ_STATUS));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_IRQ_MASK));
	EXPECT_EQ(64, rd(&self->v, &self->v.bar0, ZSV_RING_OFFSET, ring, 64));
	EXPECT_TRUE(all_bytes(ring, 64, 0));
	/* What stays: the size, the identity. */
	EXPECT_EQ(PART_BYTES, reg64(&self->v, ZSV_REG_MEM_SIZE));
	EXPECT_EQ((uint32_t)ZSV_DEV_MAGIC, reg32(&self->v, ZSV_REG_ID));
	/* The ring works again from 0. */
	ASSERT_TRUE(ring_run(&self->v, &e, 1, &irq));
	EXPECT_EQ(1u, reg32(&self->v, ZSV_REG_RING_DONE));
	EXPECT_EQ(9, self->bar2[0]);
}

TEST_F(mdev, vfio_device_reset_zeroes_bar2_and_the_ring)
{
	dirty_the_device(_metadata, self);
	/* The MSI eventfd survives a reset; drain it first. */
	eventfd_fired(self->v.msi, 0);
	ASSERT_EQ(0, ioctl(self->v.fd, VFIO_DEVICE_RESET));
	expect_reset_state(_metadata, self);
}

TEST_F(mdev, control_reset_does_what_vfio_reset_does)
{
	dirty_the_device(_metadata, self);
	eventfd_fired(self->v.msi, 0);
	ASSERT_EQ(4, reg_write(&self->v, ZSV_REG_CONTROL, ZSV_CONTROL_RESET));
	expect_reset_state(_metadata, self);
}

/* --- the slice behind the device ------------------------------------------- */

TEST_F(mdev, open_device_is_mediated_charged_and_not_deletable)
{
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));

	ASSERT_NE(NULL, r);
	EXPECT_EQ(1, slice_attr(&self->nl, self->uuid, ZSV_A_SLICE_MEDIATED));
	EXPECT_EQ(1, slice_attr(&self->nl, self->uuid, ZSV_A_SLICE_VFIO_OPEN));
	EXPECT_EQ((int64_t)PART_BYTES,
		  slice_attr(&self->nl, self->uuid, ZSV_A_SLICE_MEM_BYTES));
	EXPECT_EQ((int64_t)PART_BYTES,
		  slice_attr(&self->nl, self->uuid, ZSV_A_SLICE_MEM_USED));
	EXPECT_EQ(ZSV_MEM_MODE_RESERVED,
		  slice_attr(&self->nl, self->uuid, ZSV_A_SLICE_MEM_MODE));

	/* slice-del without force: EBUSY, and it says why. */
	EXPECT_EQ(-EBUSY, zsv_slice_del(&self->nl, r, self->uuid, false));
	EXPECT_NE(NULL, strstr(r->extack, "mediated device"))
		TH_LOG("extack: '%s'", r->extack);
	zsv_nl_reply_free(r);
	EXPECT_EQ((int64_t)PART_BYTES,
		  slice_attr(&self->nl, self->uuid, ZSV_A_SLICE_MEM_BYTES));
	EXPECT_EQ((uint32_t)ZSV_DEV_MAGIC, reg32(&self->v, ZSV_REG_ID));

	/* Closed: no VFIO user, nothing charged; still mediated, still busy. */
	munmap(self->bar2, self->v.bar2.size);
	self->bar2 = MAP_FAILED;
	vdev_close(&self->v);
	EXPECT_EQ(1, slice_attr(&self->nl, self->uuid, ZSV_A_SLICE_MEDIATED));
	EXPECT_EQ(0, slice_attr(&self->nl, self->uuid, ZSV_A_SLICE_VFIO_OPEN));
	EXPECT_EQ(0, slice_attr(&self->nl, self->uuid, ZSV_A_SLICE_MEM_USED));
	EXPECT_EQ(-EBUSY, zsv_slice_del(&self->nl, r, self->uuid, false));
	zsv_nl_reply_free(r);
	free(r);
}

TEST_F(mdev, reopened_device_starts_zeroed)
{
	const char *step = "";
	uint8_t buf[16];

	memset(self->bar2, 0x77, 4096);
	munmap(self->bar2, self->v.bar2.size);
	self->bar2 = MAP_FAILED;
	vdev_close(&self->v);
	ASSERT_EQ(0, vdev_open(&self->v, self->uuid, &step)) TH_LOG("%s", step);
	EXPECT_EQ(16, rd(&self->v, &self->v.bar2, 0, buf, 16));
	EXPECT_TRUE(all_bytes(buf, 16, 0));
	EXPECT_EQ(0u, reg32(&self->v, ZSV_REG_RING_TAIL));
	EXPECT_EQ(1, slice_attr(&self->nl, self->uuid, ZSV_A_SLICE_VFIO_OPEN));
}

TEST_F(mdev, a_second_open_of_the_group_is_refused)
{
	char path[300];
	struct vdev v2;
	const char *step = "";

	/* The group is held by our container: a second user cannot attach. */
	EXPECT_NE(0, vdev_open(&v2, self->uuid, &step));
	vdev_close(&v2);
	snprintf(path, sizeof(path), "/dev/zsv/%s", self->uuid);
	/* The node works, but the partition is all in use: no BO fits. */
	{
		int fd = open(path, O_RDWR);
		uint32_t h;

		ASSERT_LE(0, fd);
		EXPECT_EQ(EDQUOT, bo_create(fd, 4096, &h));
		close(fd);
	}
	EXPECT_EQ((uint32_t)ZSV_DEV_MAGIC, reg32(&self->v, ZSV_REG_ID));
}

TEST_F(mdev, forced_delete_requests_release_and_revokes_the_device)
{
	int req = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct zsv_ring_entry e = ent(ZSV_RING_OP_FILL, 0, 0, 0, 64, 1);
	uint8_t buf[4];
	int status;
	pid_t pid;

	struct zsv_ring_entry *ring = ring_map(&self->v);

	ASSERT_LE(0, req);
	ASSERT_NE(MAP_FAILED, ring);
	ASSERT_EQ(0, set_irq_eventfd(&self->v, VFIO_PCI_REQ_IRQ_INDEX, req));
	memset(self->bar2, 0x42, 4096);
	/* Work in flight when the slice goes. */
	e.op = ZSV_RING_OP_COMPUTE;
	e.length = 0;
	e.arg = 200 * MS;
	ring_give(&self->v, &e, 1);

	ASSERT_EQ(0, slice_del(&self->nl, self->uuid, true));
	EXPECT_TRUE(eventfd_fired(req, IRQ_WAIT_MS));
	EXPECT_EQ(-2, slice_attr(&self->nl, self->uuid, ZSV_A_SLICE_MEM_BYTES));
	/* Every region access and ioctl now fails ENODEV. */
	EXPECT_EQ(-ENODEV, rd(&self->v, &self->v.bar0, ZSV_REG_ID, buf, 4));
	EXPECT_EQ(-ENODEV, reg_write(&self->v, ZSV_REG_RING_TAIL, 2));
	EXPECT_EQ(-ENODEV, rd(&self->v, &self->v.bar2, 0, buf, 4));
	EXPECT_EQ(-ENODEV, rd(&self->v, &self->v.cfg, 0, buf, 4));
	EXPECT_EQ(-1, ioctl(self->v.fd, VFIO_DEVICE_RESET));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, ioctl(self->v.fd, VFIO_DEVICE_GET_INFO, &info));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED,
				   self->v.fd, self->v.bar2.offset));
	EXPECT_EQ(MAP_FAILED, ring_map(&self->v));
	/*
	 * The old mappings are zapped: touching them neither kills nor
	 * leaks. The ring page is the mdev's until it is removed.
	 */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		volatile uint8_t *p = self->bar2;
		volatile struct zsv_ring_entry *r = ring;

		p[0] = 1;
		r[1].op = r[0].op;
		r[2].arg = 7;
		_exit(p[1] == 0x42 ? 3 : r[2].arg != 7 ? 4 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("touching the revoked mapping: status %#x", status);

	/* Closed, the mdev is removed without trouble (the teardown). */
	munmap(self->bar2, self->v.bar2.size);
	self->bar2 = MAP_FAILED;
	munmap(ring, 4096);
	vdev_close(&self->v);
	close(req);
	EXPECT_TRUE(mdev_exists(self->uuid));
}

/* Removing the mdev while it is open asks the user to let go, then waits. */
static void *remove_thread(void *arg)
{
	return (void *)(intptr_t)mdev_remove(arg);
}

TEST_F(mdev, removal_while_open_waits_for_the_release)
{
	int req = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	pthread_t t;
	void *ret;

	ASSERT_LE(0, req);
	ASSERT_EQ(0, set_irq_eventfd(&self->v, VFIO_PCI_REQ_IRQ_INDEX, req));
	ASSERT_EQ(0, pthread_create(&t, NULL, remove_thread, self->uuid));
	EXPECT_TRUE(eventfd_fired(req, IRQ_WAIT_MS));
	/* The device still works until we close it. */
	EXPECT_EQ((uint32_t)ZSV_DEV_MAGIC, reg32(&self->v, ZSV_REG_ID));
	munmap(self->bar2, self->v.bar2.size);
	self->bar2 = MAP_FAILED;
	vdev_close(&self->v);
	pthread_join(t, &ret);
	EXPECT_EQ(0, (intptr_t)ret);
	EXPECT_FALSE(mdev_exists(self->uuid));
	EXPECT_EQ(-2, slice_attr(&self->nl, self->uuid, ZSV_A_SLICE_MEM_BYTES));
	self->created = false;
	zsv_nl_close(&self->nl);
	close(req);
}

/* --- a partition that is not a power of two -------------------------------- */

/* A pdev of 1536M added for the test, and a zsv-384M mdev of it, open. */
FIXTURE(odd)
{
	struct zsv_nl nl;
	char dev[32], uuid[37], type_dir[160];
	bool created;
	struct vdev v;
};

static int dev_del(struct zsv_nl *nl, const char *name)
{
	struct nl_msg *msg = zsv_nl_msg(nl, ZSV_CMD_DEV_DEL, 0);

	nla_put_string(msg, ZSV_A_DEV_NAME, name);
	return xfer(nl, msg, ZSV_A_DEV_MAX);
}

FIXTURE_SETUP(odd)
{
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));
	struct nl_msg *msg;
	const char *step = "";
	char path[256];
	int err;

	self->v.fd = self->v.group = self->v.container = self->v.msi = -1;
	if (access("/sys/class/mdev_bus/zsv0", F_OK))
		SKIP(return, "zsv_mdev is not loaded (tests/vm/run --mdev)");
	ASSERT_NE(NULL, r);
	ASSERT_EQ(0, zsv_nl_open(&self->nl));
	msg = zsv_nl_msg(&self->nl, ZSV_CMD_DEV_NEW, 0);
	nla_put_u64(msg, ZSV_A_DEV_MEM_TOTAL, 1536 * MiB);
	ASSERT_EQ(0, zsv_nl_xfer(&self->nl, msg, r, ZSV_A_DEV_MAX));
	ASSERT_EQ(1, r->count);
	ASSERT_NE(NULL, r->attrs[0][ZSV_A_DEV_NAME]);
	snprintf(self->dev, sizeof(self->dev), "%s",
		 nla_get_string(r->attrs[0][ZSV_A_DEV_NAME]));
	zsv_nl_reply_free(r);
	free(r);
	snprintf(path, sizeof(path), "/sys/class/mdev_bus/%s", self->dev);
	ASSERT_EQ(0, access(path, F_OK)) TH_LOG("no mdev parent for %s", self->dev);
	snprintf(self->type_dir, sizeof(self->type_dir),
		 "/sys/class/mdev_bus/%s/mdev_supported_types/zsv-384M",
		 self->dev);
	new_uuid(self->uuid);
	snprintf(path, sizeof(path), "%s/create", self->type_dir);
	ASSERT_EQ(0, sysfs_write(path, self->uuid));
	self->created = true;
	err = vdev_open(&self->v, self->uuid, &step);
	ASSERT_EQ(0, err) TH_LOG("%s: %s", step, strerror(err));
}

FIXTURE_TEARDOWN(odd)
{
	vdev_close(&self->v);
	if (self->created)
		mdev_remove(self->uuid);
	if (self->dev[0]) {
		dev_del(&self->nl, self->dev);
		zsv_nl_close(&self->nl);
	}
}

TEST_F(odd, bar2_is_a_power_of_two_and_zero_past_the_partition)
{
	const uint64_t part = 384 * MiB, bar2 = 512 * MiB;
	uint8_t buf[64], ones[64];
	volatile uint8_t *map;
	int status;
	pid_t pid;

	EXPECT_EQ(part, reg64(&self->v, ZSV_REG_MEM_SIZE));
	ASSERT_EQ(bar2, self->v.bar2.size);
	EXPECT_EQ(4, cfg_write32(&self->v, PCI_BASE_ADDRESS_2, 0xffffffff));
	EXPECT_EQ(4, cfg_write32(&self->v, PCI_BASE_ADDRESS_3, 0xffffffff));
	EXPECT_EQ(0xe000000cu, cfg32(&self->v, PCI_BASE_ADDRESS_2));
	EXPECT_EQ(0xffffffffu, cfg32(&self->v, PCI_BASE_ADDRESS_3));

	/* Past the partition: writes are dropped, reads give zeros. */
	memset(ones, 0xff, sizeof(ones));
	EXPECT_EQ(64, wr(&self->v, &self->v.bar2, part + 100, ones, 64));
	memset(buf, 0x55, sizeof(buf));
	EXPECT_EQ(64, rd(&self->v, &self->v.bar2, part + 100, buf, 64));
	EXPECT_TRUE(all_bytes(buf, 64, 0));
	/* A write across the end keeps the part inside. */
	EXPECT_EQ(64, wr(&self->v, &self->v.bar2, part - 32, ones, 64));
	EXPECT_EQ(64, rd(&self->v, &self->v.bar2, part - 32, buf, 64));
	EXPECT_TRUE(all_bytes(buf, 32, 0xff));
	EXPECT_TRUE(all_bytes(buf + 32, 32, 0));

	/* The mapping: zero pages past the partition; writing there SIGBUS. */
	map = mmap(NULL, bar2, PROT_READ | PROT_WRITE, MAP_SHARED, self->v.fd,
		   self->v.bar2.offset);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(0xff, map[part - 1]);
	EXPECT_TRUE(all_bytes(map + part, 4096, 0));
	EXPECT_TRUE(all_bytes(map + bar2 - 4096, 4096, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		map[part + 8] = 1;
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS)
		TH_LOG("writing past the partition: status %#x", status);
	EXPECT_EQ(0, map[part + 8]);
	munmap((void *)map, bar2);
}

TEST_F(odd, pdev_delete_is_refused_while_an_mdev_lives)
{
	char path[128];

	EXPECT_EQ(-EBUSY, dev_del(&self->nl, self->dev));
	snprintf(path, sizeof(path), "/sys/class/mdev_bus/%s", self->dev);
	EXPECT_EQ(0, access(path, F_OK));
	EXPECT_EQ(ZSV_DEV_MAGIC + 0u, reg32(&self->v, ZSV_REG_ID));
	/* Closed, still refused: the mdev's slice holds the pdev. */
	vdev_close(&self->v);
	EXPECT_EQ(-EBUSY, dev_del(&self->nl, self->dev));
	ASSERT_EQ(0, mdev_remove(self->uuid));
	self->created = false;
	EXPECT_EQ(0, dev_del(&self->nl, self->dev));
	EXPECT_NE(0, access(path, F_OK));
	self->dev[0] = 0;
	zsv_nl_close(&self->nl);
}

/* --- malformed entries, one per variant ------------------------------------ */

FIXTURE(bad_entry)
{
	FIXTURE_DATA(mdev) m;
};

FIXTURE_VARIANT(bad_entry)
{
	struct zsv_ring_entry e;
	uint32_t status;
};

FIXTURE_VARIANT_ADD(bad_entry, unknown_op)
{
	.e = { .op = 77, .dst = 0, .length = 64 },
	.status = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_entry, op_zero)
{
	.e = { .op = 0, .length = 64 },
	.status = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_entry, unknown_flag)
{
	.e = { .op = ZSV_RING_OP_FILL, .flags = 0x2, .length = 64, .arg = 1 },
	.status = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_entry, nonzero_pad)
{
	.e = { .op = ZSV_RING_OP_FILL, .length = 64, .arg = 1, .pad = 1 },
	.status = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_entry, nonzero_reserved)
{
	.e = { .op = ZSV_RING_OP_FILL, .length = 64, .arg = 1,
	       .reserved = { 0, 1 } },
	.status = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_entry, fill_past_the_partition)
{
	.e = { .op = ZSV_RING_OP_FILL, .dst = PART_BYTES - 64, .length = 128,
	       .arg = 1 },
	.status = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_entry, fill_wrapping_around)
{
	.e = { .op = ZSV_RING_OP_FILL, .dst = ~0ULL - 63, .length = 128,
	       .arg = 1 },
	.status = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_entry, zero_length)
{
	.e = { .op = ZSV_RING_OP_FILL, .length = 0, .arg = 1 },
	.status = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_entry, fill_misaligned)
{
	.e = { .op = ZSV_RING_OP_FILL, .dst = 2, .length = 64, .arg = 1 },
	.status = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_entry, fill_pattern_above_32_bits)
{
	.e = { .op = ZSV_RING_OP_FILL, .length = 64, .arg = 1ULL << 32 },
	.status = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_entry, copy_overlapping)
{
	.e = { .op = ZSV_RING_OP_COPY, .dst = 32, .src = 0, .length = 64 },
	.status = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_entry, checksum_source_past_the_partition)
{
	.e = { .op = ZSV_RING_OP_CHECKSUM, .dst = 0, .src = PART_BYTES - 8,
	       .length = 16 },
	.status = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_entry, compute_of_zero_ns)
{
	.e = { .op = ZSV_RING_OP_COMPUTE, .arg = 0 },
	.status = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_entry, dma_read_from_an_unmapped_iova)
{
	.e = { .op = ZSV_RING_OP_DMA_READ, .dst = 0, .src = IOVA_UNMAPPED,
	       .length = 64 },
	.status = EFAULT,
};

FIXTURE_VARIANT_ADD(bad_entry, dma_write_to_an_unmapped_iova)
{
	.e = { .op = ZSV_RING_OP_DMA_WRITE, .dst = IOVA_UNMAPPED, .src = 0,
	       .length = 64 },
	.status = EFAULT,
};

FIXTURE_VARIANT_ADD(bad_entry, dma_longer_than_the_maximum)
{
	.e = { .op = ZSV_RING_OP_DMA_READ, .dst = 0, .src = IOVA_UNMAPPED,
	       .length = ZSV_RING_DMA_MAX + 1 },
	.status = EINVAL,
};

FIXTURE_VARIANT_ADD(bad_entry, dma_of_zero_length)
{
	.e = { .op = ZSV_RING_OP_DMA_WRITE, .dst = IOVA_UNMAPPED, .src = 0,
	       .length = 0 },
	.status = EINVAL,
};

FIXTURE_SETUP(bad_entry)
{
	vm_mdev_open(_metadata, &self->m);
}

FIXTURE_TEARDOWN(bad_entry)
{
	vm_mdev_close(_metadata, &self->m);
}

/* The bad entry fails alone: the ring goes on, nothing else is touched. */
TEST_F(bad_entry, fails_with_its_errno_and_later_entries_run)
{
	struct vdev *v = &self->m.v;
	struct zsv_ring_entry e[3] = {
		ent(ZSV_RING_OP_FILL, 0, 4096, 0, 64, 0x11223344),
		variant->e,
		ent(ZSV_RING_OP_FILL, 0, 8192, 0, 64, 0x55667788),
	};
	uint32_t irq, w;

	/* Something the bad entry could clobber, if it ran. */
	memset(self->m.bar2, 0xee, 256);
	ASSERT_TRUE(ring_run(v, e, 3, &irq));
	EXPECT_EQ((uint32_t)(ZSV_IRQ_DONE | ZSV_IRQ_ERROR), irq);
	EXPECT_EQ(0u, ring_status(v, 0));
	EXPECT_EQ(variant->status, ring_status(v, 1));
	EXPECT_EQ(0u, ring_status(v, 2));
	EXPECT_EQ(variant->status, reg32(v, ZSV_REG_RING_ERROR));
	EXPECT_EQ(1u, reg32(v, ZSV_REG_RING_ERRORS));
	EXPECT_EQ(3u, reg32(v, ZSV_REG_RING_DONE));
	memcpy(&w, self->m.bar2 + 4096, 4);
	EXPECT_EQ(0x11223344u, w);
	memcpy(&w, self->m.bar2 + 8192 + 60, 4);
	EXPECT_EQ(0x55667788u, w);
	EXPECT_TRUE(all_bytes(self->m.bar2, 256, 0xee));
	EXPECT_TRUE(all_bytes(self->m.bar2 + PART_BYTES - 256, 256, 0));
	EXPECT_EQ(1, slice_attr(&self->m.nl, self->m.uuid,
				ZSV_A_SLICE_VFIO_OPEN));
}

/* Written through the mapped ring, the same entry fails the same way. */
TEST_F(bad_entry, fails_the_same_when_written_in_the_mapped_ring)
{
	struct vdev *v = &self->m.v;
	struct zsv_ring_entry e[3] = {
		ent(ZSV_RING_OP_FILL, 0, 4096, 0, 64, 0x11223344),
		variant->e,
		ent(ZSV_RING_OP_FILL, 0, 8192, 0, 64, 0x55667788),
	};
	struct zsv_ring_entry *ring = ring_map(v);
	uint32_t w;

	ASSERT_NE(MAP_FAILED, ring);
	memset(self->m.bar2, 0xee, 256);
	ASSERT_EQ(3u, ring_give_mapped(v, ring, e, 3));
	ASSERT_TRUE(ring_wait_flag(v, ring, 2));
	for (int i = 0; i < 3; i++) {
		EXPECT_NE(0u, ring_flags(ring, i) & ZSV_RING_FLAG_DONE)
			TH_LOG("entry %d", i);
	}
	EXPECT_EQ(0u, ring[0].status);
	EXPECT_EQ(variant->status, ring[1].status);
	EXPECT_EQ(0u, ring[2].status);
	EXPECT_EQ(variant->status, reg32(v, ZSV_REG_RING_ERROR));
	EXPECT_EQ(1u, reg32(v, ZSV_REG_RING_ERRORS));
	memcpy(&w, self->m.bar2 + 4096, 4);
	EXPECT_EQ(0x11223344u, w);
	memcpy(&w, self->m.bar2 + 8192 + 60, 4);
	EXPECT_EQ(0x55667788u, w);
	EXPECT_TRUE(all_bytes(self->m.bar2, 256, 0xee));
	EXPECT_TRUE(all_bytes(self->m.bar2 + PART_BYTES - 256, 256, 0));
	munmap(ring, 4096);
}

TEST_HARNESS_MAIN
