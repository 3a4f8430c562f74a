// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VFIO target: zsv_mdev's mediated devices, when the module is loaded
 * (/sys/class/mdev_bus/zsv0 exists).
 *
 * The fuzzer creates and removes mdevs of random types on the pdevs it
 * found (UUIDs beginning "f222", so that a later run knows its leftovers;
 * bad UUIDs, duplicates and types that are not there as well), opens them
 * through the VFIO container/type1 API with one DMA buffer mapped, and
 * makes random device calls: GET_INFO, GET_REGION_INFO, GET_IRQ_INFO,
 * SET_IRQS, RESET and unknown ioctls, reads and writes of config space,
 * BAR0's registers and ring, BAR2 inside and past the partition, mmap of
 * BAR2, mmap of BAR0 (the ring page and ranges that are refused) with
 * noise written in the mapped ring and rung, ring entries (valid and not,
 * DMA to mapped and unmapped IOVAs) with doorbells of random TAILs,
 * writes of the per-instance attributes,
 * and netlink slice-set and slice-del (forced or not) on the mdevs'
 * slices. After every step (md_check):
 *
 *   - each mdev of /sys/bus/mdev/devices on a zsv parent has a slice named
 *     by its UUID with mediated=1, unless the fuzzer force-deleted it, and
 *     every mediated slice has its mdev;
 *   - vfio_open is 1 exactly while the fuzzer holds the device open, and an
 *     open device's slice uses its whole partition (mem_used = mem_bytes);
 *   - available_instances of a type is what the memory admits: (mem_total
 *     - mem_reserved) / size, on a pdev with no shared slices;
 *   - RING_DONE <= RING_HEAD <= RING_TAIL, no more than the ring apart.
 *
 * Like the rest, every choice comes from the iteration's PRNG stream.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "iofuzz.h"
#include "nlfuzz.h"
#include "vfio_mdev.h"

#define MD_MAX 4
#define MD_TYPES_MAX 16
#define MD_UUID_MARK "f222"
#define DMA_IOVA 0x10000000ull
#define DMA_SIZE (64u << 10)

struct md {
	bool live; /* the mdev exists */
	bool forced; /* its slice was force-deleted */
	char uuid[37];
	char parent[16];
	uint64_t mem_bytes;
	struct vfio_mdev v; /* v.dev >= 0: open */
	int req_fd; /* eventfd of the request IRQ, or -1 */
	int irq_fd; /* eventfd of INTx/MSI, or -1 */
	uint32_t tail; /* what the fuzzer last wrote to TAIL */
};

static struct md mds[MD_MAX];
static char parents[4][16];
static int nparents;
static uint8_t *dma_buf;
bool md_enabled;

static const char *const attr_names[] = { "weight", "cap", "timeslice" };

/* --- bookkeeping ------------------------------------------------------------ */

static struct md *md_pick(bool open)
{
	int n = 0, pick;

	for (int i = 0; i < MD_MAX; i++)
		n += mds[i].live && (!open || mds[i].v.dev >= 0);
	if (!n)
		return NULL;
	pick = (int)rnd_below((uint64_t)n);
	for (int i = 0; i < MD_MAX; i++)
		if (mds[i].live && (!open || mds[i].v.dev >= 0) && !pick--)
			return &mds[i];
	return NULL;
}

static void md_close(struct md *m)
{
	vfio_mdev_close(&m->v);
	if (m->req_fd >= 0)
		close(m->req_fd);
	if (m->irq_fd >= 0)
		close(m->irq_fd);
	m->req_fd = m->irq_fd = -1;
}

static const struct obj *md_slice(const struct md *m)
{
	return model_slice_by_name(m->uuid);
}

/* --- the invariants ----------------------------------------------------------- */

static bool on_zsv_parent(const char *uuid)
{
	char path[512], link[160];
	ssize_t n;

	snprintf(path, sizeof(path), MDEV_DEVICES "/%s", uuid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return false;
	link[n] = 0;
	for (int i = 0; i < nparents; i++) {
		char want[40];

		snprintf(want, sizeof(want), "/%.16s/", parents[i]);
		if (strstr(link, want))
			return true;
	}
	return false;
}

static const struct md *md_by_uuid(const char *uuid)
{
	for (int i = 0; i < MD_MAX; i++)
		if (mds[i].live && !strcmp(mds[i].uuid, uuid))
			return &mds[i];
	return NULL;
}

static void check_ring(const struct md *m)
{
	uint32_t head, tail, done;

	if (m->v.dev < 0 || m->forced)
		return;
	if (vfio_reg_rd(m->v.dev, ZSV_REG_RING_DONE, &done) ||
	    vfio_reg_rd(m->v.dev, ZSV_REG_RING_HEAD, &head) ||
	    vfio_reg_rd(m->v.dev, ZSV_REG_RING_TAIL, &tail)) {
		fz_fail("mdev %s: cannot read the ring registers: %m", m->uuid);
		return;
	}
	if (tail - done > ZSV_RING_ENTRIES || head - done > tail - done)
		fz_fail("mdev %s: ring DONE %u HEAD %u TAIL %u out of order",
			m->uuid, done, head, tail);
}

static void check_available(void)
{
	char types[MD_TYPES_MAX][32];
	const struct obj *dev;
	const char *parent;
	uint64_t avail, size, want;
	int n;

	if (!nparents)
		return;
	parent = parents[rnd_below((uint64_t)nparents)];
	dev = model_dev_by_name(parent);
	n = mdev_types(parent, types, MD_TYPES_MAX);
	if (!dev || !n || dev->v[ZSV_A_DEV_MEM_SHARED])
		return;
	for (int i = 0; i < n; i++) {
		size = mdev_type_bytes(types[i]);
		if (!size || mdev_type_available(parent, types[i], &avail))
			continue;
		want = (dev->v[ZSV_A_DEV_MEM_TOTAL] -
			dev->v[ZSV_A_DEV_MEM_RESERVED]) / size;
		if (want > 4096 - dev->v[ZSV_A_DEV_SLICE_COUNT])
			want = 4096 - dev->v[ZSV_A_DEV_SLICE_COUNT];
		if (avail != want)
			fz_fail("%s type %s: available_instances %llu, the memory admits %llu (total %llu, reserved %llu)",
				parent, types[i], (unsigned long long)avail,
				(unsigned long long)want,
				(unsigned long long)dev->v[ZSV_A_DEV_MEM_TOTAL],
				(unsigned long long)dev->v[ZSV_A_DEV_MEM_RESERVED]);
	}
}

static void md_check(void)
{
	struct dirent *e;
	DIR *d;

	run.count[CAT_CHECK]++;
	model_refresh();
	/* sysfs -> netlink */
	d = opendir(MDEV_DEVICES);
	while (d && (e = readdir(d))) {
		const struct md *m;
		const struct obj *sl;

		if (e->d_name[0] == '.' || !on_zsv_parent(e->d_name))
			continue;
		m = md_by_uuid(e->d_name);
		sl = model_slice_by_name(e->d_name);
		if (m && m->forced) {
			if (sl)
				fz_fail("mdev %s: its slice is back after a forced slice-del",
					m->uuid);
			continue;
		}
		if (!sl || !sl->v[ZSV_A_SLICE_MEDIATED])
			fz_fail("mdev %s has %s", e->d_name,
				sl ? "a slice that is not mediated" : "no slice");
		else if (m && sl->v[ZSV_A_SLICE_VFIO_OPEN] != (m->v.dev >= 0))
			fz_fail("mdev %s: vfio_open %llu while the fuzzer %s it open",
				m->uuid,
				(unsigned long long)sl->v[ZSV_A_SLICE_VFIO_OPEN],
				m->v.dev >= 0 ? "holds" : "does not hold");
		else if (m && m->v.dev >= 0 &&
			 sl->v[ZSV_A_SLICE_MEM_USED] != sl->v[ZSV_A_SLICE_MEM_BYTES])
			fz_fail("mdev %s is open and its slice uses %llu of %llu bytes",
				m->uuid,
				(unsigned long long)sl->v[ZSV_A_SLICE_MEM_USED],
				(unsigned long long)sl->v[ZSV_A_SLICE_MEM_BYTES]);
	}
	if (d)
		closedir(d);
	/* netlink -> sysfs, and the fuzzer's own table */
	for (int i = 0; i < model.cur.nslice; i++) {
		const struct obj *sl = &model.cur.slice[i];

		if (sl->v[ZSV_A_SLICE_MEDIATED] && !mdev_exists(sl->name))
			fz_fail("mediated slice %s has no mdev", sl->name);
	}
	for (int i = 0; i < MD_MAX; i++) {
		if (mds[i].live && !mdev_exists(mds[i].uuid))
			fz_fail("mdev %s is gone", mds[i].uuid);
		check_ring(&mds[i]);
	}
	check_available();
	run.ok[CAT_CHECK]++;
}

/* --- create, remove, attributes ----------------------------------------------- */

static void random_uuid(char out[37])
{
	uint8_t b[16];

	rnd_bytes(b, sizeof(b));
	b[0] = 0xf2;
	b[1] = 0x22;
	uuid_format(out, b);
}

static struct md *md_free_slot(void)
{
	for (int i = 0; i < MD_MAX; i++)
		if (!mds[i].live)
			return &mds[i];
	return NULL;
}

static void md_remove(struct md *m)
{
	int err;

	md_close(m);
	err = mdev_remove(m->uuid);
	if (err)
		fz_fail("remove of mdev %s: %s", m->uuid, errname(err));
	else if (mdev_exists(m->uuid))
		fz_fail("mdev %s is there after its remove", m->uuid);
	m->live = false;
	model_refresh();
	if (md_slice(m))
		fz_fail("the slice of removed mdev %s is still there", m->uuid);
}

/* Bad input to a create file: what the mdev core must refuse. */
static void md_create_bad(const char *parent, const char *type)
{
	char buf[80];
	size_t len;
	int err;

	switch (rnd_below(5)) {
	case 0: /* not a UUID */
		rnd_bytes(buf, 40);
		len = rnd_below(41);
		break;
	case 1: /* a UUID one character short */
		random_uuid(buf);
		len = 35;
		break;
	case 2: /* a UUID with a bad digit */
		random_uuid(buf);
		buf[rnd_below(36)] = 'g';
		len = 36;
		break;
	case 3: { /* the UUID of a live mdev: EEXIST */
		const struct md *m = md_pick(false);

		if (!m)
			return;
		snprintf(buf, sizeof(buf), "%s", m->uuid);
		len = 36;
		break;
	}
	default: /* empty */
		len = 0;
		buf[0] = 0;
	}
	run.count[CAT_MDEV]++;
	err = mdev_create(parent, type, buf, len);
	if (run.verbose)
		fz_log("mdev create %s/%s bad '%.*s': %s", parent, type,
		       (int)len, buf, errname(err));
	/* An empty write never reaches the store method. */
	if (!err && len)
		fz_fail("mdev create on %s/%s accepted '%.*s'", parent, type,
			(int)len, buf);
}

static void md_create(void)
{
	char types[MD_TYPES_MAX][32], uuid[40];
	const char *parent = parents[rnd_below((uint64_t)nparents)];
	uint64_t avail;
	int n, err;
	const char *type;
	struct md *m;

	n = mdev_types(parent, types, MD_TYPES_MAX);
	if (!n) {
		fz_fail("mdev parent %s has no types", parent);
		return;
	}
	/* Smaller types more often: several fit at once. */
	type = types[chance(30) ? rnd_below((uint64_t)n) :
				  (uint64_t)n - 1 - rnd_below(n > 2 ? 3 : (uint64_t)n)];
	if (chance(20)) {
		md_create_bad(parent, chance(80) ? type : "zsv-3M");
		return;
	}
	m = md_free_slot();
	if (!m)
		return;
	random_uuid(uuid);
	if (chance(10)) /* the core takes upper case too */
		for (char *p = uuid; *p; p++)
			if (*p >= 'a' && *p <= 'f')
				*p = (char)(*p - 'a' + 'A');
	if (mdev_type_available(parent, type, &avail)) {
		fz_fail("%s/%s: no available_instances", parent, type);
		return;
	}
	run.count[CAT_MDEV]++;
	err = mdev_create(parent, type, uuid, chance(50) ? 36 : 37);
	for (char *p = uuid; *p; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	if (run.verbose)
		fz_log("mdev create %s on %s/%s (available %llu): %s", uuid,
		       parent, type, (unsigned long long)avail, errname(err));
	if (err) {
		if (avail && err != -ENOSPC)
			fz_fail("mdev create on %s/%s with %llu available: %s",
				parent, type, (unsigned long long)avail,
				errname(err));
		else if (avail)
			fz_note("mdev create on %s/%s with %llu available: ENOSPC",
				parent, type, (unsigned long long)avail);
		if (mdev_exists(uuid))
			fz_fail("failed mdev create left %s", uuid);
		return;
	}
	run.ok[CAT_MDEV]++;
	if (!avail)
		fz_fail("mdev create on %s/%s succeeded with 0 available",
			parent, type);
	memset(m, 0, sizeof(*m));
	m->live = true;
	m->v.dev = m->v.group = m->v.container = -1;
	m->req_fd = m->irq_fd = -1;
	snprintf(m->uuid, sizeof(m->uuid), "%.36s", uuid);
	snprintf(m->parent, sizeof(m->parent), "%s", parent);
	m->mem_bytes = mdev_type_bytes(type);
	model_refresh();
	{
		const struct obj *sl = md_slice(m);

		if (!sl)
			fz_fail("mdev %s has no slice", uuid);
		else if (sl->v[ZSV_A_SLICE_MEM_BYTES] != m->mem_bytes ||
			 sl->v[ZSV_A_SLICE_MEM_MODE] != ZSV_MEM_MODE_RESERVED ||
			 sl->v[ZSV_A_SLICE_WEIGHT] != ZSV_WEIGHT_DEFAULT ||
			 sl->v[ZSV_A_SLICE_CAP_PCT] != ZSV_CAP_PCT_MAX ||
			 strcmp(sl->dev_name, parent))
			fz_fail("mdev %s: slice of %llu bytes, mode %llu, weight %llu, cap %llu on %s; the type %s on %s",
				uuid,
				(unsigned long long)sl->v[ZSV_A_SLICE_MEM_BYTES],
				(unsigned long long)sl->v[ZSV_A_SLICE_MEM_MODE],
				(unsigned long long)sl->v[ZSV_A_SLICE_WEIGHT],
				(unsigned long long)sl->v[ZSV_A_SLICE_CAP_PCT],
				sl->dev_name, type, parent);
	}
}

static void md_attr(struct md *m)
{
	const char *attr = attr_names[rnd_below(3)];
	char val[40];
	bool good = true;
	uint64_t v = 0, back = 0;
	int err;

	if (!strcmp(attr, "weight")) {
		v = chance(70) ? 1 + rnd_below(ZSV_WEIGHT_MAX) :
				 PICK(0ull, 10001ull, 1ull << 32, ~0ull);
		good = v >= ZSV_WEIGHT_MIN && v <= ZSV_WEIGHT_MAX;
	} else if (!strcmp(attr, "cap")) {
		v = chance(70) ? 1 + rnd_below(100) : PICK(0ull, 101ull, ~0ull);
		good = v >= 1 && v <= 100;
	} else {
		v = chance(70) ? PICK(0ull, ZSV_TIMESLICE_MIN_NS, 2000000ull,
				      ZSV_TIMESLICE_MAX_NS) :
				 PICK(1ull, 99999ull, ZSV_TIMESLICE_MAX_NS + 1);
		good = !v || (v >= ZSV_TIMESLICE_MIN_NS &&
			      v <= ZSV_TIMESLICE_MAX_NS);
	}
	snprintf(val, sizeof(val), "%llu\n", (unsigned long long)v);
	if (chance(10)) {
		/* (An empty write never reaches the store method.) */
		snprintf(val, sizeof(val), "%s", PICK("x", "-1", "12abc", "1 2"));
		good = false;
	}
	run.count[CAT_MDEV]++;
	err = mdev_attr_write(m->uuid, attr, val, strlen(val));
	if (run.verbose)
		fz_log("mdev %s: %s = %s: %s", m->uuid, attr, val, errname(err));
	if (m->forced) {
		/* The value is parsed first: bad input may say so. */
		if (err != -ENODEV &&
		    (good || (err != -EINVAL && err != -ERANGE)))
			fz_fail("mdev %s of a deleted slice: %s write: %s",
				m->uuid, attr, errname(err));
		return;
	}
	if (good != !err || (err && err != -EINVAL && err != -ERANGE)) {
		fz_fail("mdev %s: %s = %s: %s", m->uuid, attr, val,
			errname(err));
		return;
	}
	if (err)
		return;
	run.ok[CAT_MDEV]++;
	if (mdev_attr_read(m->uuid, attr, &back) || back != v)
		fz_fail("mdev %s: %s reads %llu after writing %llu", m->uuid,
			attr, (unsigned long long)back, (unsigned long long)v);
}

/* slice-set and slice-del, forced or not, on an mdev's slice. */
static void md_netlink(struct md *m)
{
	const struct obj *sl;
	int err;

	model_refresh();
	sl = md_slice(m);
	run.count[CAT_MDEV]++;
	if (chance(60)) {
		/* Weight, cap and timeslice work; memory does not. */
		struct msgbuf *mb = nl_scratch();
		struct reply r = {};
		uint32_t w = (uint32_t)(1 + rnd_below(1000)), cap = 50;
		uint64_t mem = m->mem_bytes / 2;
		bool with_mem = chance(20);

		msg_start(mb, nl_main.family, NLM_F_REQUEST | NLM_F_ACK, 0,
			  ZSV_CMD_SLICE_SET, ZSV_GENL_VERSION);
		msg_attr(mb, ZSV_A_SLICE_NAME, m->uuid, strlen(m->uuid) + 1);
		msg_attr(mb, ZSV_A_SLICE_WEIGHT, &w, 4);
		msg_attr(mb, ZSV_A_SLICE_CAP_PCT, &cap, 4);
		if (with_mem)
			msg_attr(mb, ZSV_A_SLICE_MEM_BYTES, &mem, 8);
		err = nl_xfer(&nl_main, mb, &r);
		if (run.verbose)
			fz_log("slice-set %s weight %u%s: %s", m->uuid, w,
			       with_mem ? " mem" : "", errname(err));
		if (m->forced ? err != -ENOENT :
				(with_mem ? err != -EOPNOTSUPP : err != 0))
			fz_fail("slice-set of mdev slice %s%s: %s", m->uuid,
				with_mem ? " with mem_bytes" : "",
				errname(err));
		if (!err)
			run.ok[CAT_MDEV]++;
		return;
	}
	if (chance(50) || !sl) {
		err = nl_slice_del(&nl_main, m->uuid, false);
		if (run.verbose)
			fz_log("slice-del %s: %s", m->uuid, errname(err));
		if (err != (sl ? -EBUSY : -ENOENT))
			fz_fail("slice-del of mdev slice %s without force: %s",
				m->uuid, errname(err));
		return;
	}
	err = nl_slice_del(&nl_main, m->uuid, true);
	if (run.verbose)
		fz_log("slice-del %s force: %s", m->uuid, errname(err));
	if (err) {
		fz_fail("forced slice-del of mdev slice %s: %s", m->uuid,
			errname(err));
		return;
	}
	run.ok[CAT_MDEV]++;
	m->forced = true;
	/* The VFIO user is asked to let go. */
	if (m->req_fd >= 0) {
		struct pollfd p = { .fd = m->req_fd, .events = POLLIN };

		if (poll(&p, 1, 1000) != 1)
			fz_fail("mdev %s: no request IRQ after a forced slice-del",
				m->uuid);
	}
	model_refresh();
}

/* --- VFIO ----------------------------------------------------------------------- */

static void md_open(struct md *m)
{
	int err;

	run.count[CAT_VFIO]++;
	err = vfio_mdev_open(m->uuid, &m->v);
	if (run.verbose)
		fz_log("vfio open %s: %s", m->uuid, errname(err));
	if (m->forced) {
		if (!err)
			fz_fail("vfio open of mdev %s, whose slice is deleted, succeeded",
				m->uuid);
		vfio_mdev_close(&m->v);
		return;
	}
	if (err) {
		fz_fail("vfio open of mdev %s: %s", m->uuid, errname(err));
		return;
	}
	run.ok[CAT_VFIO]++;
	m->tail = 0;
	err = vfio_map_dma(m->v.container, dma_buf, DMA_IOVA, DMA_SIZE);
	if (err)
		fz_fail("VFIO_IOMMU_MAP_DMA for mdev %s: %s", m->uuid,
			errname(err));
	/* The request IRQ, so that a forced deletion can be seen. */
	if (chance(70)) {
		struct {
			struct vfio_irq_set s;
			int32_t fd;
		} set = { { .argsz = sizeof(set),
			    .flags = VFIO_IRQ_SET_DATA_EVENTFD |
				     VFIO_IRQ_SET_ACTION_TRIGGER,
			    .index = VFIO_PCI_REQ_IRQ_INDEX,
			    .count = 1 },
			  -1 };

		m->req_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		set.fd = m->req_fd;
		if (ioctl(m->v.dev, VFIO_DEVICE_SET_IRQS, &set))
			fz_fail("mdev %s: SET_IRQS of the request IRQ: %m",
				m->uuid);
	}
}

static void check_errno(const struct md *m, const char *what, int ret,
			bool ok_expected)
{
	int err = ret < 0 ? errno : 0;

	if (run.verbose)
		fz_log("mdev %s: %s: %s", m->uuid, what, errname(err));
	if (m->forced) {
		if (ret >= 0 || err != ENODEV)
			fz_fail("mdev %s, slice deleted: %s: %s, not ENODEV",
				m->uuid, what, errname(err));
		return;
	}
	if (ok_expected && ret < 0)
		fz_fail("mdev %s: %s: %s", m->uuid, what, errname(err));
}

static void md_ioctl(struct md *m)
{
	int dev = m->v.dev, ret;
	unsigned int i;

	run.count[CAT_VFIO]++;
	switch (rnd_below(7)) {
	case 0: {
		struct vfio_device_info info = { .argsz = sizeof(info) };

		if (chance(20))
			info.argsz = (uint32_t)rnd_below(sizeof(info) + 8);
		ret = ioctl(dev, VFIO_DEVICE_GET_INFO, &info);
		check_errno(m, "GET_INFO", ret, info.argsz >= 16);
		if (!ret && !m->forced &&
		    (info.num_regions != VFIO_PCI_NUM_REGIONS ||
		     info.num_irqs != VFIO_PCI_NUM_IRQS ||
		     !(info.flags & VFIO_DEVICE_FLAGS_PCI) ||
		     !(info.flags & VFIO_DEVICE_FLAGS_RESET)))
			fz_fail("mdev %s: GET_INFO flags %#x regions %u irqs %u",
				m->uuid, info.flags, info.num_regions,
				info.num_irqs);
		break;
	}
	case 1: {
		struct vfio_region_info r = { .argsz = sizeof(r) };

		r.index = (uint32_t)(chance(80) ? rnd_below(VFIO_PCI_NUM_REGIONS) :
						  rnd());
		if (chance(15))
			r.argsz = (uint32_t)rnd_below(sizeof(r) + 8);
		ret = ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &r);
		check_errno(m, "GET_REGION_INFO", ret,
			    r.index < VFIO_PCI_NUM_REGIONS && r.argsz >= 32);
		if (ret || m->forced)
			break;
		if (r.index >= VFIO_PCI_NUM_REGIONS)
			fz_fail("mdev %s: region %u has info", m->uuid, r.index);
		else if (r.offset != VFIO_REGION_OFF(r.index) ||
			 (r.index == VFIO_PCI_CONFIG_REGION_INDEX && r.size != 256) ||
			 (r.index == VFIO_PCI_BAR0_REGION_INDEX &&
			  r.size != ZSV_BAR0_SIZE) ||
			 (r.index == VFIO_PCI_BAR2_REGION_INDEX &&
			  (r.size < m->mem_bytes || (r.size & (r.size - 1)) ||
			   !(r.flags & VFIO_REGION_INFO_FLAG_MMAP))) ||
			 (r.index != 0 && r.index != 2 && r.index != 7 && r.size))
			fz_fail("mdev %s: region %u at %#llx, size %#llx, flags %#x",
				m->uuid, r.index, (unsigned long long)r.offset,
				(unsigned long long)r.size, r.flags);
		break;
	}
	case 2: {
		struct vfio_irq_info q = { .argsz = sizeof(q) };

		q.index = (uint32_t)(chance(80) ? rnd_below(VFIO_PCI_NUM_IRQS) :
						  rnd());
		ret = ioctl(dev, VFIO_DEVICE_GET_IRQ_INFO, &q);
		check_errno(m, "GET_IRQ_INFO", ret, q.index < VFIO_PCI_NUM_IRQS);
		if (!ret && !m->forced &&
		    q.count != (q.index == VFIO_PCI_INTX_IRQ_INDEX ||
				q.index == VFIO_PCI_MSI_IRQ_INDEX ||
				q.index == VFIO_PCI_REQ_IRQ_INDEX))
			fz_fail("mdev %s: irq %u has count %u", m->uuid,
				q.index, q.count);
		break;
	}
	case 3: {
		struct {
			struct vfio_irq_set s;
			int32_t fd[4];
		} set = {};
		uint32_t act = PICK(VFIO_IRQ_SET_ACTION_TRIGGER,
				    VFIO_IRQ_SET_ACTION_MASK,
				    VFIO_IRQ_SET_ACTION_UNMASK, 1u << 6);
		uint32_t data = PICK(VFIO_IRQ_SET_DATA_EVENTFD,
				     VFIO_IRQ_SET_DATA_NONE,
				     VFIO_IRQ_SET_DATA_BOOL,
				     VFIO_IRQ_SET_DATA_EVENTFD |
					     VFIO_IRQ_SET_DATA_BOOL);

		set.s.argsz = sizeof(set);
		set.s.flags = chance(90) ? act | data : (uint32_t)rnd();
		set.s.index = (uint32_t)(chance(85) ? rnd_below(VFIO_PCI_NUM_IRQS) :
						      rnd());
		set.s.start = chance(85) ? 0 : (uint32_t)rnd_below(4);
		set.s.count = chance(70) ? 1 : (uint32_t)rnd_below(5);
		if (chance(15))
			set.s.argsz = (uint32_t)rnd_below(sizeof(set));
		if (m->irq_fd < 0)
			m->irq_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		for (i = 0; i < 4; i++)
			set.fd[i] = PICK(m->irq_fd, -1, -2, 0, 9999);
		/* The request trigger stays: a forced deletion must show. */
		if (set.s.index == VFIO_PCI_REQ_IRQ_INDEX && m->req_fd >= 0)
			set.s.index = VFIO_PCI_INTX_IRQ_INDEX;
		ret = ioctl(dev, VFIO_DEVICE_SET_IRQS, &set);
		check_errno(m, "SET_IRQS", ret, false);
		break;
	}
	case 4: {
		ret = ioctl(dev, VFIO_DEVICE_RESET);
		check_errno(m, "RESET", ret, true);
		if (!ret && !m->forced) {
			uint32_t head = 1, tail = 1, done = 1;
			uint8_t b = 1;
			uint64_t off = rnd_below(m->mem_bytes);

			vfio_reg_rd(dev, ZSV_REG_RING_HEAD, &head);
			vfio_reg_rd(dev, ZSV_REG_RING_TAIL, &tail);
			vfio_reg_rd(dev, ZSV_REG_RING_DONE, &done);
			vfio_rd(dev, VFIO_PCI_BAR2_REGION_INDEX, off, &b, 1);
			if (head || tail || done || b)
				fz_fail("mdev %s after RESET: HEAD %u TAIL %u DONE %u, BAR2[%#llx] = %u",
					m->uuid, head, tail, done,
					(unsigned long long)off, b);
			m->tail = 0;
		}
		break;
	}
	case 5: /* VFIO's own range, past what exists */
		ret = ioctl(dev, _IO(VFIO_TYPE, VFIO_BASE + 40 + rnd_below(40)),
			    dma_buf);
		if (!ret)
			fz_fail("mdev %s: an unknown VFIO ioctl succeeded", m->uuid);
		else if (!m->forced && errno != ENOTTY)
			fz_fail("mdev %s: unknown VFIO ioctl: %m, not ENOTTY",
				m->uuid);
		break;
	default: { /* anything: zsv's own numbers, random ones */
		static uint8_t junk[4096];
		unsigned long cmd = chance(50) ? (unsigned long)rnd() :
				    _IOC(PICK(_IOC_READ, _IOC_WRITE, 0u,
					      _IOC_READ | _IOC_WRITE),
					 PICK((unsigned)ZSV_IOCTL_BASE, 0u, 'T'),
					 rnd_below(32), rnd_below(256));

		if ((cmd >> 8 & 0xff) == VFIO_TYPE)
			cmd ^= 0x100; /* not VFIO's: nothing that changes state */
		rnd_bytes(junk, 64);
		/* The VFS answers some (FIONBIO...): no verdict, no crash. */
		ret = ioctl(dev, cmd, junk);
	}
	}
	if (!ret)
		run.ok[CAT_VFIO]++;
}

/* Reads and writes of a region at random places. */
static void md_rw(struct md *m)
{
	static uint8_t buf[3 * 4096];
	int dev = m->v.dev;
	uint64_t bar2 = 1, off;
	size_t len;
	ssize_t n;
	bool write = chance(40), inside;
	int index;

	while (bar2 < m->mem_bytes || bar2 < ZSV_BAR2_SIZE_MIN)
		bar2 <<= 1;
	run.count[CAT_VFIO_RW]++;
	switch (rnd_below(5)) {
	case 0: /* config space */
		index = VFIO_PCI_CONFIG_REGION_INDEX;
		off = chance(90) ? rnd_below(256) : rnd_below(1 << 20);
		len = (size_t)(1 + rnd_below(chance(50) ? 4 : 300));
		inside = off < 256 && len <= 256 - off;
		break;
	case 1: /* registers, of every width */
		index = VFIO_PCI_BAR0_REGION_INDEX;
		off = chance(70) ? rnd_below(0x70 / 4) * 4 : rnd_below(0x1000);
		len = PICK(4, 4, 1, 2, 8, 3);
		inside = !(off & (len - 1)) && (len == 1 || len == 2 || len == 4 ||
						 len == 8);
		if (write && off == ZSV_REG_RING_TAIL)
			write = false; /* the ring's own step does that */
		break;
	case 2: /* the ring */
		index = VFIO_PCI_BAR0_REGION_INDEX;
		off = ZSV_RING_OFFSET + rnd_below(0x1100);
		len = (size_t)(1 + rnd_below(200));
		inside = off + len <= ZSV_BAR0_SIZE;
		break;
	case 3: /* BAR2, in and past the partition */
		index = VFIO_PCI_BAR2_REGION_INDEX;
		off = chance(70) ? rnd_below(m->mem_bytes) :
				   rnd_below(bar2 + 8192);
		len = (size_t)(1 + rnd_below(sizeof(buf)));
		inside = off + len <= bar2;
		break;
	default: /* regions of size 0, and offsets past everything */
		index = (int)PICK(1, 3, 4, 5, 6, 8, 9, 200);
		off = rnd_below(4096);
		len = (size_t)(1 + rnd_below(64));
		inside = false;
	}
	rnd_bytes(buf, len);
	if (write && index == VFIO_PCI_CONFIG_REGION_INDEX && off <= 4 &&
	    off + len > 4)
		buf[4 - off] &= ~0x4; /* bus master stays as it was */
	if (write)
		n = pwrite(dev, buf, len, (off_t)(VFIO_REGION_OFF(index) + off));
	else
		n = pread(dev, buf, len, (off_t)(VFIO_REGION_OFF(index) + off));
	if (run.verbose)
		fz_log("mdev %s: %s region %d @%#llx+%zu: %zd %s", m->uuid,
		       write ? "write" : "read", index, (unsigned long long)off,
		       len, n, n < 0 ? errname(errno) : "");
	if (m->forced) {
		if (n >= 0 || errno != ENODEV)
			fz_fail("mdev %s, slice deleted: region %d access: %zd %s",
				m->uuid, index, n, n < 0 ? errname(errno) : "");
		return;
	}
	if (inside != (n == (ssize_t)len)) {
		fz_fail("mdev %s: %s of region %d @%#llx+%zu: %zd %s",
			m->uuid, write ? "write" : "read", index,
			(unsigned long long)off, len, n,
			n < 0 ? errname(errno) : "");
		return;
	}
	if (n < 0)
		return;
	run.ok[CAT_VFIO_RW]++;
	if (write)
		return;
	if (index == VFIO_PCI_CONFIG_REGION_INDEX && off == 0 && len >= 4 &&
	    (buf[0] | buf[1] << 8) != ZSV_PCI_VENDOR_ID)
		fz_fail("mdev %s: vendor id %#x", m->uuid, buf[0] | buf[1] << 8);
	if (index == VFIO_PCI_BAR0_REGION_INDEX && len == 4) {
		uint32_t v;

		memcpy(&v, buf, 4);
		if ((off == ZSV_REG_ID && v != ZSV_DEV_MAGIC) ||
		    (off == ZSV_REG_RING_SIZE && v != ZSV_RING_ENTRIES) ||
		    (off == ZSV_REG_MEM_SIZE && v != (uint32_t)m->mem_bytes))
			fz_fail("mdev %s: register %#llx reads %#x", m->uuid,
				(unsigned long long)off, v);
	}
	if (index == VFIO_PCI_BAR2_REGION_INDEX && off + len > m->mem_bytes) {
		for (uint64_t i = off < m->mem_bytes ? m->mem_bytes - off : 0;
		     i < len; i++)
			if (buf[i]) {
				fz_fail("mdev %s: BAR2 past the partition reads %#x at %#llx",
					m->uuid, buf[i],
					(unsigned long long)(off + i));
				break;
			}
	}
}

static void md_mmap(struct md *m)
{
	uint64_t bar2 = 1, first, pages;
	long page = sysconf(_SC_PAGESIZE);
	int prot = PICK(PROT_READ, PROT_READ | PROT_WRITE, PROT_WRITE,
			PROT_READ | PROT_EXEC);
	int flags = chance(90) ? MAP_SHARED : MAP_PRIVATE;
	bool ok;
	uint8_t *p;

	while (bar2 < m->mem_bytes || bar2 < ZSV_BAR2_SIZE_MIN)
		bar2 <<= 1;
	first = chance(80) ? rnd_below(bar2 / (uint64_t)page) :
			     rnd_below(2 * bar2 / (uint64_t)page);
	pages = 1 + rnd_below(chance(80) ? 16 : bar2 / (uint64_t)page + 4);
	ok = first < bar2 / (uint64_t)page &&
	     pages <= bar2 / (uint64_t)page - first && flags == MAP_SHARED &&
	     !(prot & PROT_EXEC) && !m->forced;
	run.count[CAT_VFIO_RW]++;
	p = mmap(NULL, pages * (uint64_t)page, prot, flags, m->v.dev,
		 (off_t)(VFIO_REGION_OFF(VFIO_PCI_BAR2_REGION_INDEX) +
			 first * (uint64_t)page));
	if (run.verbose)
		fz_log("mdev %s: mmap BAR2 pages %llu+%llu prot %d: %s", m->uuid,
		       (unsigned long long)first, (unsigned long long)pages,
		       prot, p == MAP_FAILED ? errname(errno) : "ok");
	if ((p != MAP_FAILED) != ok) {
		fz_fail("mdev %s: mmap of BAR2 pages %llu+%llu prot %d flags %d: %s",
			m->uuid, (unsigned long long)first,
			(unsigned long long)pages, prot, flags,
			p == MAP_FAILED ? errname(errno) : "succeeded");
		if (p != MAP_FAILED)
			munmap(p, pages * (uint64_t)page);
		return;
	}
	if (p == MAP_FAILED)
		return;
	run.ok[CAT_VFIO_RW]++;
	for (int i = 0; i < 4; i++) {
		uint64_t pg = rnd_below(pages);
		uint64_t at = (first + pg) * (uint64_t)page;
		volatile uint8_t *q = p + pg * (uint64_t)page + rnd_below((uint64_t)page);
		bool inside = at < m->mem_bytes;
		uint8_t v = 0, r = 0;

		if (!(prot & PROT_READ))
			break;
		/* Past the partition: a read-only zero page. */
		if (!touch_byte(q, inside && (prot & PROT_WRITE), &v)) {
			fz_fail("mdev %s: BAR2 mapping at %#llx raised SIGBUS",
				m->uuid, (unsigned long long)at);
			break;
		}
		if (!inside && v)
			fz_fail("mdev %s: BAR2 mapping past the partition reads %#x",
				m->uuid, v);
		if (inside && (prot & PROT_WRITE) &&
		    !vfio_rd(m->v.dev, VFIO_PCI_BAR2_REGION_INDEX,
			     at + (uint64_t)((uint8_t *)q - (p + pg * (uint64_t)page)),
			     &r, 1) && r != v)
			fz_fail("mdev %s: BAR2 written through the mapping reads %#x by pread, %#x mapped",
				m->uuid, r, v);
	}
	munmap(p, pages * (uint64_t)page);
}

/*
 * Map BAR0 somewhere (only the ring page maps), scribble over the mapped
 * ring, and now and then ring the doorbell over noise: each such entry
 * must complete (refused, almost surely) with its DONE flag set, and the
 * region must read what the mapping holds.
 */
static void md_ring_mmap(struct md *m)
{
	uint64_t off = PICK(ZSV_RING_OFFSET, ZSV_RING_OFFSET, ZSV_RING_OFFSET,
			    0, 0x2000, ZSV_RING_OFFSET + 0x800);
	uint64_t len = chance(85) ? 4096 : PICK(8192, ZSV_BAR0_SIZE, 2048);
	int prot = PICK(PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE,
			PROT_READ, PROT_READ | PROT_EXEC);
	int flags = chance(90) ? MAP_SHARED : MAP_PRIVATE;
	int dev = m->v.dev;
	uint32_t done0, tail, n, errors0, errors;
	struct zsv_ring_entry *ring;
	uint8_t got[64];
	bool ok;
	int err;

	/* mmap rounds a length up to whole pages: 2048 is the page. */
	ok = off == ZSV_RING_OFFSET && len <= 4096 && flags == MAP_SHARED &&
	     !(prot & PROT_EXEC) && !m->forced;
	run.count[CAT_VFIO_RW]++;
	ring = mmap(NULL, len, prot, flags, dev,
		    (off_t)(VFIO_REGION_OFF(VFIO_PCI_BAR0_REGION_INDEX) + off));
	if (run.verbose)
		fz_log("mdev %s: mmap BAR0 %#llx+%llu prot %d flags %d: %s",
		       m->uuid, (unsigned long long)off,
		       (unsigned long long)len, prot, flags,
		       ring == MAP_FAILED ? errname(errno) : "ok");
	if ((ring != MAP_FAILED) != ok) {
		fz_fail("mdev %s: mmap of BAR0 %#llx+%llu prot %d flags %d: %s",
			m->uuid, (unsigned long long)off,
			(unsigned long long)len, prot, flags,
			ring == MAP_FAILED ? errname(errno) : "succeeded");
		if (ring != MAP_FAILED)
			munmap(ring, len);
		return;
	}
	if (ring == MAP_FAILED)
		return;
	run.ok[CAT_VFIO_RW]++;
	if (!(prot & PROT_WRITE))
		goto out;
	/*
	 * Noise over random bytes of the ring. Every entry given was taken
	 * and completed at the end of md_ring(), so this only changes free
	 * slots, as a driver may.
	 */
	for (unsigned int i = 0, k = 1 + (unsigned int)rnd_below(8); i < k;
	     i++) {
		uint64_t at = rnd_below(4096);
		size_t l = (size_t)(1 + rnd_below(4096 - at < 128 ? 4096 - at : 128));

		rnd_bytes((uint8_t *)ring + at, l);
		if (!vfio_rd(dev, VFIO_PCI_BAR0_REGION_INDEX,
			     ZSV_RING_OFFSET + at, got, l < 64 ? l : 64) &&
		    memcmp(got, (uint8_t *)ring + at, l < 64 ? l : 64))
			fz_fail("mdev %s: the ring at %#llx reads other bytes than its mapping",
				m->uuid, (unsigned long long)at);
	}
	if (!chance(50))
		goto out;
	/* Ring the doorbell over noise: refused entries, DONE flags. */
	if (vfio_reg_rd(dev, ZSV_REG_RING_DONE, &done0) ||
	    vfio_reg_rd(dev, ZSV_REG_RING_TAIL, &tail) ||
	    vfio_reg_rd(dev, ZSV_REG_RING_ERRORS, &errors0)) {
		fz_fail("mdev %s: ring registers: %m", m->uuid);
		goto out;
	}
	if (tail != done0)
		goto out;
	n = 1 + (uint32_t)rnd_below(4);
	for (uint32_t i = 0; i < n; i++) {
		struct zsv_ring_entry *e = &ring[(tail + i) % ZSV_RING_ENTRIES];

		/* An op that no device has: the entry must fail. */
		e->op = 0x80000000u | (uint32_t)rnd();
		e->flags &= ~ZSV_RING_FLAG_DONE;
	}
	__atomic_thread_fence(__ATOMIC_RELEASE);
	run.count[CAT_RING]++;
	err = vfio_reg_wr(dev, ZSV_REG_RING_TAIL, tail + n);
	if (!err)
		err = vfio_ring_wait(dev, tail + n, 5000);
	m->tail = tail + n;
	if (err) {
		fz_fail("mdev %s: %u entries of noise: %s", m->uuid, n,
			errname(err));
		goto out;
	}
	vfio_reg_rd(dev, ZSV_REG_RING_ERRORS, &errors);
	if (errors - errors0 != n)
		fz_fail("mdev %s: %u entries of noise, RING_ERRORS went %u -> %u",
			m->uuid, n, errors0, errors);
	for (uint32_t i = 0; i < n; i++) {
		const struct zsv_ring_entry *e =
			&ring[(tail + i) % ZSV_RING_ENTRIES];

		if (!(__atomic_load_n(&e->flags, __ATOMIC_ACQUIRE) &
		      ZSV_RING_FLAG_DONE) ||
		    e->status != EINVAL)
			fz_fail("mdev %s: entry %u of noise: flags %#x status %u",
				m->uuid, tail + i, e->flags, e->status);
	}
	run.ok[CAT_RING]++;
out:
	munmap(ring, len);
}

/* A few ring entries, valid and not, and a doorbell. */
static void md_ring(struct md *m)
{
	struct zsv_ring_entry e;
	uint32_t done0 = 0, errors0 = 0, errors = 0, done = 0, tail;
	unsigned int n = 1 + (unsigned int)rnd_below(4), bad = 0;
	uint64_t mem = m->mem_bytes, fill_off = 0, fill_len = 0;
	uint32_t fill_pat = 0;
	int dev = m->v.dev, err;

	run.count[CAT_RING]++;
	if (m->forced) {
		err = vfio_reg_wr(dev, ZSV_REG_RING_TAIL, m->tail + 1);
		if (err != -ENODEV)
			fz_fail("mdev %s, slice deleted: doorbell: %s", m->uuid,
				errname(err));
		return;
	}
	if (vfio_reg_rd(dev, ZSV_REG_RING_DONE, &done0) ||
	    vfio_reg_rd(dev, ZSV_REG_RING_ERRORS, &errors0) ||
	    vfio_reg_rd(dev, ZSV_REG_RING_TAIL, &tail)) {
		fz_fail("mdev %s: ring registers: %m", m->uuid);
		return;
	}
	m->tail = tail;
	if (chance(10)) {
		/* A TAIL behind, or too far ahead: ignored, an error. */
		uint32_t t = chance(50) ? tail - 1 - (uint32_t)rnd_below(5) :
					  done0 + ZSV_RING_ENTRIES + 1 +
						  (uint32_t)rnd_below(100);

		if (t == tail)
			return;
		err = vfio_reg_wr(dev, ZSV_REG_RING_TAIL, t);
		vfio_reg_rd(dev, ZSV_REG_RING_ERRORS, &errors);
		vfio_reg_rd(dev, ZSV_REG_RING_TAIL, &done);
		if (err || done != tail || errors != errors0 + 1)
			fz_fail("mdev %s: a bad TAIL %u (TAIL %u, DONE %u): %s, TAIL now %u, errors %u -> %u",
				m->uuid, t, tail, done0, errname(err), done,
				errors0, errors);
		else
			run.ok[CAT_RING]++;
		return;
	}
	if (chance(10)) {
		uint32_t reg = PICK(ZSV_REG_IRQ_MASK, ZSV_REG_IRQ_STATUS,
				    ZSV_REG_CONTROL);

		err = vfio_reg_wr(dev, reg, reg == ZSV_REG_CONTROL ?
					       (uint32_t)rnd_below(4) :
					       (uint32_t)rnd());
		if (err)
			fz_fail("mdev %s: write of register %#x: %s", m->uuid,
				reg, errname(err));
		else
			run.ok[CAT_RING]++;
		vfio_reg_rd(dev, ZSV_REG_RING_TAIL, &m->tail);
		return;
	}
	/* Room for n entries? */
	if (tail - done0 + n > ZSV_RING_ENTRIES)
		n = ZSV_RING_ENTRIES - (tail - done0);
	for (unsigned int i = 0; i < n; i++) {
		uint64_t len = 1 + rnd_below(mem < 65536 ? mem : 65536);
		bool is_bad = false;

		memset(&e, 0, sizeof(e));
		e.op = (uint32_t)(chance(90) ? 1 + rnd_below(6) : rnd_below(20));
		e.flags = chance(30) ? ZSV_RING_FLAG_FENCE : 0;
		e.dst = rnd_below(mem - len + 1);
		e.length = len;
		switch (e.op) {
		case ZSV_RING_OP_FILL:
			/* Offset and length multiples of 4, mostly. */
			if (chance(90)) {
				e.dst &= ~3ull;
				e.length = (len + 3) & ~3ull;
				if (e.dst + e.length > mem)
					e.dst -= 4;
			}
			e.arg = rnd() & 0xffffffff;
			/* Checked when alone: entries run at once. */
			if (n == 1 && !e.flags && !(e.dst % 4) &&
			    !(e.length % 4)) {
				fill_off = e.dst;
				fill_len = e.length;
				fill_pat = (uint32_t)e.arg;
			}
			break;
		case ZSV_RING_OP_COPY:
		case ZSV_RING_OP_CHECKSUM:
			e.src = rnd_below(mem - len + 1);
			if (e.op == ZSV_RING_OP_CHECKSUM)
				e.dst &= ~3ull;
			break;
		case ZSV_RING_OP_COMPUTE:
			e.length = 0;
			e.dst = 0;
			e.arg = 1 + rnd_below(200000);
			break;
		case ZSV_RING_OP_DMA_READ:
		case ZSV_RING_OP_DMA_WRITE: {
			uint64_t iova = chance(80) ? DMA_IOVA + rnd_below(DMA_SIZE / 2) :
						     rnd_below(1ull << 36);

			e.length = 1 + rnd_below(DMA_SIZE / 2);
			if (e.length > mem)
				e.length = mem;
			e.dst = rnd_below(mem - e.length + 1);
			e.src = iova;
			if (e.op == ZSV_RING_OP_DMA_WRITE) {
				e.src = e.dst;
				e.dst = iova;
			}
			break;
		}
		default:
			is_bad = true;
		}
		/* Break it now and then. */
		switch (chance(85) ? 0 : rnd_below(5)) {
		case 1:
			e.flags |= 2u << rnd_below(30);
			is_bad = true;
			break;
		case 2:
			e.pad = (uint32_t)rnd() | 1;
			is_bad = true;
			break;
		case 3:
			e.reserved[rnd_below(2)] = rnd() | 1;
			is_bad = true;
			break;
		case 4:
			if (e.op != ZSV_RING_OP_COMPUTE) {
				e.length = PICK(0ull, mem + 1, ~0ull);
				if (e.length)
					e.dst = rnd();
				is_bad = true;
			}
			break;
		}
		bad += is_bad;
		if (is_bad)
			fill_len = 0;
		err = vfio_ring_submit(dev, tail, &e);
		if (err) {
			fz_fail("mdev %s: ring entry %u: %s", m->uuid, tail,
				errname(err));
			return;
		}
		tail++;
	}
	m->tail = tail;
	/* Let them complete: a COMPUTE is at most 0.2 ms, FILLs are small. */
	err = vfio_ring_wait(dev, tail, 5000);
	if (err) {
		fz_fail("mdev %s: ring DONE does not reach TAIL %u: %s", m->uuid,
			tail, errname(err));
		return;
	}
	vfio_reg_rd(dev, ZSV_REG_RING_ERRORS, &errors);
	if (errors - errors0 < bad)
		fz_fail("mdev %s: %u bad entries, RING_ERRORS went %u -> %u",
			m->uuid, bad, errors0, errors);
	if (fill_len && errors == errors0) {
		uint64_t at = rnd_below(fill_len);
		uint8_t want = (uint8_t)(fill_pat >> (8 * (at % 4))), got[1];

		if (!vfio_rd(dev, VFIO_PCI_BAR2_REGION_INDEX, fill_off + at,
			     got, 1) &&
		    got[0] != want)
			fz_fail("mdev %s: FILL %#x of %#llx+%llu: byte %#llx is %#x",
				m->uuid, fill_pat, (unsigned long long)fill_off,
				(unsigned long long)fill_len,
				(unsigned long long)(fill_off + at), got[0]);
	}
	run.ok[CAT_RING]++;
}

/* --- the target ------------------------------------------------------------------- */

void md_init(void)
{
	struct dirent *e;
	DIR *d = opendir(MDEV_BUS_CLASS);

	nparents = 0;
	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, "zsv", 3) &&
		    nparents < (int)ARRAY_SIZE(parents)) {
			char types[MD_TYPES_MAX][32];

			/* A parent going away (zsv_mdev unloading) has none. */
			snprintf(parents[nparents], sizeof(parents[0]),
				 "%.15s", e->d_name);
			if (mdev_types(parents[nparents], types, MD_TYPES_MAX) > 0)
				nparents++;
		}
	if (d)
		closedir(d);
	md_enabled = nparents > 0;
	for (int i = 0; i < MD_MAX; i++) {
		mds[i].v.dev = mds[i].v.group = mds[i].v.container = -1;
		mds[i].req_fd = mds[i].irq_fd = -1;
	}
	if (!md_enabled)
		return;
	dma_buf = mmap(NULL, DMA_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (dma_buf == MAP_FAILED) {
		perror("zsv-fuzz: mmap");
		exit(2);
	}
	memset(dma_buf, 0x5a, DMA_SIZE);
}

/* Remove the mdevs an earlier run left (UUIDs marked f222). */
void md_remove_leftovers(void)
{
	struct dirent *e;
	DIR *d;

	if (!md_enabled)
		return;
	d = opendir(MDEV_DEVICES);
	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, MD_UUID_MARK, 4) &&
		    on_zsv_parent(e->d_name) && mdev_remove(e->d_name))
			fz_fail("cannot remove the leftover mdev %s", e->d_name);
	if (d)
		closedir(d);
}

void md_fuzz_one(void)
{
	struct md *m;
	unsigned int what = (unsigned int)rnd_below(100);

	if (!nparents)
		return;
	if (what < 8) {
		md_create();
	} else if (what < 12) {
		m = md_pick(false);
		if (m) {
			run.count[CAT_MDEV]++;
			md_remove(m);
			run.ok[CAT_MDEV]++;
		}
	} else if (what < 20) {
		m = md_pick(false);
		if (m && m->v.dev < 0)
			md_open(m);
		else if (m)
			md_attr(m);
	} else if (what < 24) {
		m = md_pick(true);
		if (m) {
			run.count[CAT_VFIO]++;
			run.ok[CAT_VFIO]++;
			md_close(m);
		}
	} else if (what < 32) {
		m = md_pick(false);
		if (m)
			md_attr(m);
	} else if (what < 38) {
		m = md_pick(false);
		if (m)
			md_netlink(m);
	} else {
		m = md_pick(true);
		if (!m)
			m = md_pick(false);
		if (m && m->v.dev < 0)
			md_open(m);
		else if (m && what < 55)
			md_ioctl(m);
		else if (m && what < 75)
			md_rw(m);
		else if (m && what < 78)
			md_mmap(m);
		else if (m && what < 81)
			md_ring_mmap(m);
		else if (m)
			md_ring(m);
		else
			md_create();
	}
	md_check();
}

/* Close and remove everything: no mdev and no mediated slice of ours left. */
void md_close_all(void)
{
	if (!md_enabled)
		return;
	for (int i = 0; i < MD_MAX; i++)
		if (mds[i].live) {
			if (mds[i].v.dev >= 0 && !mds[i].forced) {
				check_ring(&mds[i]);
			}
			md_remove(&mds[i]);
		}
	md_check();
	for (int i = 0; i < model.cur.nslice; i++)
		if (!strncmp(model.cur.slice[i].name, MD_UUID_MARK, 4))
			fz_fail("slice %s is left after its mdev was removed",
				model.cur.slice[i].name);
}
