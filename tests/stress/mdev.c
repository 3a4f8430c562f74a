// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-stress: mediated devices, when zsv_mdev is loaded and zsv0 has an
 * mdev parent. MDEV_SLOTS mdevs of zsv0's smallest type come and go
 * (sysfs create and remove); threads open and close them through VFIO,
 * reset them and run ring jobs (FILL, COMPUTE) to completion, while
 * others, without waiting for them, write their per-instance attributes,
 * slice-set their slices and force-delete them (after which every device
 * call must fail ENODEV), and the pdev threads dev-new and dev-del the
 * run's own pdevs. A slot's mutex orders its VFIO files and its sysfs
 * create/remove (remove waits for the device to be closed); nothing else
 * takes it.
 *
 * Allowed errors: create ENOSPC (zsv0 full); open ENODEV (slice
 * force-deleted), ENOENT (the mdev went); every device call ENODEV;
 * attribute writes and slice-set ENODEV/ENOENT; slice-del force ENOENT.
 * At the end every mdev is removed and zsv0's reserved bytes, slice count
 * and available_instances are what they were at the start.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "stress.h"
#include "../fuzz/vfio_mdev.h"

#define MDEV_SLOTS 4
#define MDEV_PARENT "zsv0"

struct mdev_slot {
	pthread_mutex_t lock;
	bool live;
	char uuid[37];
	struct vfio_mdev v;
	uint32_t tail;
};

static struct mdev_slot slots[MDEV_SLOTS];
static char mtype[32];
bool mdev_enabled;
static uint64_t start_avail;
static struct dev_rec start_dev;

static void slot_uuid(struct thr *t, char out[37])
{
	uint8_t b[16];

	for (int i = 0; i < 16; i++)
		b[i] = (uint8_t)rnd(t);
	b[0] = 0xf3; /* the stress's own, for remove_leftovers */
	b[1] = 0x33;
	uuid_format(out, b);
}

void mdev_init(struct thr *t)
{
	char types[16][32];
	uint64_t best = UINT64_MAX;
	int n;

	for (int i = 0; i < MDEV_SLOTS; i++) {
		pthread_mutex_init(&slots[i].lock, NULL);
		slots[i].v.dev = slots[i].v.group = slots[i].v.container = -1;
	}
	if (!mdev_parent_exists(MDEV_PARENT))
		return;
	n = mdev_types(MDEV_PARENT, types, 16);
	for (int i = 0; i < n; i++)
		if (mdev_type_bytes(types[i]) < best) {
			best = mdev_type_bytes(types[i]);
			snprintf(mtype, sizeof(mtype), "%.31s", types[i]);
		}
	mdev_enabled = n > 0 && !ctl_dev_get(t, MDEV_PARENT, &start_dev) &&
		       !mdev_type_available(MDEV_PARENT, mtype, &start_avail);
}

/* Leftovers of an interrupted run: UUIDs beginning f333. */
void mdev_remove_leftovers(void)
{
	struct dirent *e;
	DIR *d = opendir(MDEV_DEVICES);

	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, "f333", 4))
			mdev_remove(e->d_name);
	if (d)
		closedir(d);
}

static void check_ring(struct thr *t, struct mdev_slot *s)
{
	uint32_t head, tail, done;

	if (vfio_reg_rd(s->v.dev, ZSV_REG_RING_DONE, &done) ||
	    vfio_reg_rd(s->v.dev, ZSV_REG_RING_HEAD, &head) ||
	    vfio_reg_rd(s->v.dev, ZSV_REG_RING_TAIL, &tail))
		return; /* ENODEV: the slice went */
	if (tail - done > ZSV_RING_ENTRIES || head - done > tail - done)
		fail(t, "mdev %s: ring DONE %u HEAD %u TAIL %u out of order",
		     s->uuid, done, head, tail);
}

/* The locked half: the slot's own VFIO file and its existence. */
static void op_mdev_locked(struct thr *t, struct mdev_slot *s, int what)
{
	int err;

	if (!s->live) {
		char uuid[37];

		slot_uuid(t, uuid);
		err = -mdev_create(MDEV_PARENT, mtype, uuid, 36);
		if (expect(t, K_MDEV_CREATE, err, ENOSPC, 0) && !err) {
			memcpy(s->uuid, uuid, sizeof(uuid));
			s->live = true;
			s->tail = 0;
		}
		return;
	}
	if (what < 10) {
		vfio_mdev_close(&s->v);
		err = -mdev_remove(s->uuid);
		expect(t, K_MDEV_REMOVE, err, 0);
		if (!err && mdev_exists(s->uuid))
			fail(t, "mdev %s is there after its remove", s->uuid);
		s->live = false;
		return;
	}
	if (s->v.dev < 0) {
		err = -vfio_mdev_open(s->uuid, &s->v);
		expect(t, K_VFIO_OPEN, err, ENODEV, 0);
		s->tail = 0;
		return;
	}
	if (what < 25) {
		vfio_mdev_close(&s->v);
		expect(t, K_VFIO_CLOSE, 0, 0);
		return;
	}
	if (what < 35) {
		err = ioctl(s->v.dev, VFIO_DEVICE_RESET) ? errno : 0;
		expect(t, K_VFIO_RESET, err, ENODEV, 0);
		if (!err)
			s->tail = 0;
		return;
	}
	/* Ring jobs: a FILL and a COMPUTE, to completion. */
	{
		struct zsv_ring_entry e[2] = {
			{ .op = ZSV_RING_OP_FILL, .dst = (rnd(t) % 64) * 4096,
			  .length = 4096, .arg = (uint32_t)rnd(t) },
			{ .op = ZSV_RING_OP_COMPUTE, .flags = ZSV_RING_FLAG_FENCE,
			  .arg = 1 + rnd(t) % 500000 },
		};
		uint32_t tail;

		err = -vfio_reg_rd(s->v.dev, ZSV_REG_RING_TAIL, &tail);
		for (int i = 0; i < 2 && !err; i++, tail++)
			err = -vfio_ring_submit(s->v.dev, tail, &e[i]);
		if (!err)
			err = -vfio_ring_wait(s->v.dev, tail, 5000);
		expect(t, K_RING, err, ENODEV, 0);
		if (!err)
			check_ring(t, s);
	}
}

void op_mdev(struct thr *t)
{
	struct mdev_slot *s;
	int what, err;
	char uuid[37];

	if (!mdev_enabled)
		return;
	s = &slots[rnd(t) % MDEV_SLOTS];
	what = (int)(rnd(t) % 100);
	if (what < 70) {
		pthread_mutex_lock(&s->lock);
		op_mdev_locked(t, s, what);
		pthread_mutex_unlock(&s->lock);
		return;
	}
	/* Unlocked: racing the slot's VFIO calls. */
	memcpy(uuid, s->uuid, sizeof(uuid));
	if (!uuid[0])
		return;
	if (what < 82) {
		char val[16];

		snprintf(val, sizeof(val), "%u", (unsigned)(1 + rnd(t) % 10000));
		err = -mdev_attr_write(uuid, "weight", val, strlen(val));
		expect(t, K_MDEV_ATTR, err, ENODEV, ENOENT, 0);
	} else if (what < 95) {
		err = ctl_slice_set_share(t, uuid, 1 + rnd(t) % 10000,
					  1 + rnd(t) % 100);
		expect(t, K_MDEV_SLICE_SET, err, ENOENT, 0);
	} else {
		err = ctl_slice_del(t, uuid, true);
		expect(t, K_MDEV_SLICE_DEL, err, ENOENT, 0);
	}
}

/* Close and remove them all; zsv0 must be as it was. */
void mdev_final(struct thr *t)
{
	struct dev_rec rec;
	uint64_t avail = 0;
	int err;

	if (!mdev_enabled)
		return;
	for (int i = 0; i < MDEV_SLOTS; i++) {
		struct mdev_slot *s = &slots[i];

		if (s->v.dev >= 0)
			check_ring(t, s);
		vfio_mdev_close(&s->v);
		if (s->live) {
			err = -mdev_remove(s->uuid);
			if (!expect(t, K_MDEV_REMOVE, err, 0))
				fail(t, "remove of mdev %s at the end: %s",
				     s->uuid, errname(err));
			s->live = false;
		}
	}
	err = ctl_dev_get(t, MDEV_PARENT, &rec);
	if (!err && (rec.mem_reserved != start_dev.mem_reserved ||
		     rec.slice_count != start_dev.slice_count ||
		     rec.mem_used != start_dev.mem_used))
		fail(t, "after the mdevs %s has %llu reserved, %u slices, %llu used; %llu, %u, %llu at the start",
		     MDEV_PARENT, (unsigned long long)rec.mem_reserved,
		     rec.slice_count, (unsigned long long)rec.mem_used,
		     (unsigned long long)start_dev.mem_reserved,
		     start_dev.slice_count,
		     (unsigned long long)start_dev.mem_used);
	if (mdev_type_available(MDEV_PARENT, mtype, &avail) ||
	    avail != start_avail)
		fail(t, "%s %s: available_instances %llu at the end, %llu at the start",
		     MDEV_PARENT, mtype, (unsigned long long)avail,
		     (unsigned long long)start_avail);
	{
		DIR *d = opendir(MDEV_DEVICES);
		struct dirent *e;

		while (d && (e = readdir(d)))
			if (!strncmp(e->d_name, "f333", 4))
				fail(t, "mdev %s is left", e->d_name);
		if (d)
			closedir(d);
	}
}
