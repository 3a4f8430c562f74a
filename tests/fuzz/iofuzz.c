// SPDX-License-Identifier: GPL-2.0-only
/*
 * The data plane under fuzz: contexts of fz-* slices, their ioctls, mmap
 * and poll, with random struct contents, sizes and directions in the
 * ioctl number, bad pointers (NULL, unmapped, read-only, straddling an
 * unmapped page), jobs that are valid but for one field, WAITs with
 * random sequence numbers and deadlines at most a few ms ahead, random
 * mmap offsets, lengths and protections, BO churn and close/reopen.
 *
 * Every answer is judged against the uapi (uapi/linux/zsv.h) and the
 * fuzzer's exact model of each context (its BOs, its sequence numbers):
 * which calls must succeed, which must fail and with which errno, what
 * INFO, WAIT and the status page report, which mappings may SIGBUS.
 *
 * Memory stays bounded for a small VM: jobs and touches only reach BOs
 * of at most SMALL_BO bytes (bigger BOs exist, to hit quotas, but only
 * ever get one page touched), and there are at most MAX_CTX contexts of
 * MAX_BOS BOs each.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "iofuzz.h"

struct ctx ctxs[MAX_CTX];
struct map maps[MAX_MAPS];
static unsigned int next_gen = 1;
long page;

/* Pages for bad pointers: one writable followed by an inaccessible one, one to make read-only. */
uint8_t *rw_page, *hole, *ro_page;
/* The argument of a well-placed ioctl, with room for any size in the number. */
uint8_t argbuf[(1 << 14) + 64] __attribute__((aligned(64)));

void mark_dirty(void)
{
	model.usage_dirty = true;
}

int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* --- contexts ------------------------------------------------------------ */

void io_init(void)
{
	struct sigaction sa = { .sa_handler = on_sigbus };
	uint8_t *area;

	page = sysconf(_SC_PAGESIZE);
	for (int i = 0; i < MAX_CTX; i++)
		ctxs[i].fd = -1;
	area = mmap(NULL, (size_t)page * 3, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	rw_page = area;
	hole = area + page;
	ro_page = area + 2 * page;
	/*
	 * Not unmapped: a later mmap() could land there. An inaccessible page
	 * stays one; non-canonical addresses stand for unmapped ones.
	 */
	mprotect(hole, (size_t)page, PROT_NONE);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
}

int io_contexts_of(uint32_t slice_id)
{
	int n = 0;

	/* A closed file lives on while mapped, and counts until unmapped. */
	for (int i = 0; i < MAX_CTX; i++)
		n += ctxs[i].fd >= 0 && ctxs[i].slice_id == slice_id &&
		     !ctxs[i].dead;
	for (int i = 0; i < MAX_MAPS; i++) {
		bool open = false;

		if (!maps[i].addr || maps[i].slice_id != slice_id)
			continue;
		for (int j = 0; j < MAX_CTX; j++)
			open |= ctxs[j].fd >= 0 && ctxs[j].gen == maps[i].gen;
		n += !open;
	}
	return n;
}

static int open_contexts(void)
{
	int n = 0;

	for (int i = 0; i < MAX_CTX; i++)
		n += ctxs[i].fd >= 0;
	return n;
}

bool slice_alive(uint32_t id)
{
	return model_slice_by_id(id) != NULL;
}

void io_slices_changed(void)
{
	for (int i = 0; i < MAX_CTX; i++) {
		struct ctx *c = &ctxs[i];
		const struct obj *s;

		if (c->fd < 0 || c->dead)
			continue;
		s = model_slice_by_id(c->slice_id);
		if (!s || strcmp(s->name, c->slice))
			c->dead = true;
	}
}

void unmap(struct map *m)
{
	munmap(m->addr, m->len);
	m->addr = NULL;
}

void close_ctx(struct ctx *c)
{
	close(c->fd);
	c->fd = -1;
	c->nbos = 0;
	mark_dirty();
}

void io_close_all(void)
{
	for (int i = 0; i < MAX_MAPS; i++)
		if (maps[i].addr)
			unmap(&maps[i]);
	for (int i = 0; i < MAX_CTX; i++)
		if (ctxs[i].fd >= 0)
			close_ctx(&ctxs[i]);
}

struct ctx *rnd_ctx(void)
{
	int n = open_contexts(), pick;

	if (!n)
		return NULL;
	pick = (int)rnd_below((uint64_t)n);
	for (int i = 0; i < MAX_CTX; i++)
		if (ctxs[i].fd >= 0 && !pick--)
			return &ctxs[i];
	return NULL;
}

/* What DAC lets this process do with a node, as the kernel would judge. */
static bool may_open(const struct stat *st, int accmode)
{
	unsigned int bits;

	if (!geteuid())
		return true;
	if (st->st_uid == geteuid())
		bits = (st->st_mode >> 6) & 7;
	else if (st->st_gid == getegid())
		bits = (st->st_mode >> 3) & 7;
	else
		bits = st->st_mode & 7;
	if ((accmode == O_RDONLY || accmode == O_RDWR) && !(bits & 4))
		return false;
	if ((accmode == O_WRONLY || accmode == O_RDWR) && !(bits & 2))
		return false;
	return true;
}

static void op_open(void)
{
	const struct obj *s = NULL;
	char path[128];
	struct ctx *c = NULL;
	int accmode = PICK(O_RDWR, O_RDWR, O_RDWR, O_RDWR, O_RDWR, O_RDWR,
			   O_RDWR, O_RDWR, O_RDONLY, O_WRONLY);
	int n = 0, pick, fd;
	bool want;
	struct stat st;

	for (int i = 0; i < MAX_CTX && !c; i++)
		if (ctxs[i].fd < 0)
			c = &ctxs[i];
	if (!c) {
		c = rnd_ctx();
		close_ctx(c);
	}
	for (int i = 0; i < model.cur.nslice; i++)
		n += model_slice_ours(&model.cur.slice[i]);
	pick = n ? (int)rnd_below((uint64_t)n) : -1;
	for (int i = 0; i < model.cur.nslice && pick >= 0; i++)
		if (model_slice_ours(&model.cur.slice[i]) && !pick--)
			s = &model.cur.slice[i];
	if (!s || chance(5)) {
		snprintf(path, sizeof(path), "/dev/zsv/" FZ_PREFIX "none%u",
			 (unsigned int)rnd_below(100));
		fd = open(path, accmode | O_CLOEXEC);
		if (fd >= 0) {
			fz_fail("%s opened, and there is no such slice", path);
			close(fd);
		}
		return;
	}
	snprintf(path, sizeof(path), "/dev/zsv/%s", s->name);
	if (stat(path, &st)) {
		fz_fail("slice %s has no node: %m", s->name);
		return;
	}
	want = may_open(&st, accmode);
	fd = open(path, accmode | O_CLOEXEC | (chance(20) ? O_NONBLOCK : 0));
	run.count[CAT_OPEN]++;
	if (run.verbose)
		fz_log("open %s mode %d: %s", path, accmode,
		       fd < 0 ? errname(-errno) : "ok");
	if (fd < 0) {
		if (want || errno != EACCES)
			fz_fail("open %s (mode %d) failed: %m; want %s", path,
				accmode, want ? "success" : "EACCES");
		return;
	}
	run.ok[CAT_OPEN]++;
	if (!want)
		fz_fail("open %s (mode %d, node %o %u:%u) succeeded as uid %u",
			path, accmode, st.st_mode & 0777, st.st_uid, st.st_gid,
			geteuid());
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->gen = next_gen++;
	c->slice_id = (uint32_t)s->v[ZSV_A_SLICE_ID];
	snprintf(c->slice, sizeof(c->slice), "%s", s->name);
	c->accmode = accmode;
}

static void op_close(void)
{
	struct ctx *c = rnd_ctx();

	if (!c)
		return;
	run.count[CAT_CLOSE]++;
	run.ok[CAT_CLOSE]++;
	if (run.verbose)
		fz_log("close context of %s", c->slice);
	close_ctx(c);
}

/* --- calling ioctls -------------------------------------------------------- */

enum ptr pick_ptr(size_t size)
{
	if (chance(92))
		return PTR_OK;
	if (size > (size_t)page || !size)
		return PICK(PTR_NULL, PTR_HOLE);
	return PICK(PTR_NULL, PTR_HOLE, PTR_RO, PTR_STRADDLE);
}

/*
 * ioctl @cmd on @fd with the @size bytes of argbuf, placed as @where says.
 * Return: 0 or a negative errno; argbuf holds what came back (PTR_OK).
 */
int call(int fd, unsigned long cmd, size_t size, enum ptr where)
{
	void *arg = argbuf;
	size_t cut;
	int ret;

	switch (where) {
	case PTR_NULL:
		arg = NULL;
		break;
	case PTR_HOLE:
		arg = chance(50) ?
			      (void *)(hole + rnd_below((uint64_t)page)) :
			      (void *)(uintptr_t)PICK(0x8000000000000000ull,
						      0x0000800000000000ull,
						      0xffffffffffff0000ull);
		break;
	case PTR_RO:
		memcpy(ro_page, argbuf, size);
		mprotect(ro_page, (size_t)page, PROT_READ);
		arg = ro_page;
		break;
	case PTR_STRADDLE:
		/* The struct runs off the end of a page into the hole. */
		cut = 1 + rnd_below(size - 1 ? size - 1 : 1);
		arg = rw_page + page - cut;
		memcpy(arg, argbuf, cut);
		break;
	case PTR_OK:
		break;
	}
	ret = ioctl(fd, cmd, arg) ? -errno : 0;
	if (where == PTR_RO)
		mprotect(ro_page, (size_t)page, PROT_READ | PROT_WRITE);
	return ret;
}

/* The size and direction to put in the number: mostly right, sometimes not. */
unsigned int pick_size(unsigned int right)
{
	if (chance(88))
		return right;
	return PICK(0u, 1u, right - 1, right + 4, right + 8, right + 8,
		    right + 64, 4096u, (unsigned int)rnd_below(1 << 14));
}

unsigned int pick_dir(unsigned int right)
{
	if (chance(95))
		return right;
	return PICK((unsigned int)_IOC_NONE, (unsigned int)_IOC_READ,
		    (unsigned int)_IOC_WRITE,
		    (unsigned int)(_IOC_READ | _IOC_WRITE));
}

/* The bytes of a larger struct past ours: mostly zero, as a newer header's would be. */
bool fill_tail(size_t ours, size_t size)
{
	bool nonzero = false;

	if (size <= ours)
		return false;
	memset(argbuf + ours, 0, size - ours);
	if (chance(30)) {
		argbuf[ours + rnd_below(size - ours)] =
			(uint8_t)(1 + rnd_below(255));
		nonzero = true;
	}
	return nonzero;
}

void want_only(struct want *w, int err, const char *why)
{
	w->n = 1;
	w->err[0] = err;
	w->why = why;
}

void want_also(struct want *w, int err)
{
	if (w->n < (int)ARRAY_SIZE(w->err))
		w->err[w->n++] = err;
}

bool wanted(const struct want *w, int err)
{
	for (int i = 0; i < w->n; i++)
		if (w->err[i] == err)
			return true;
	return false;
}

void judge_call(const char *what, const struct ctx *c, const struct want *w,
		int got, unsigned long cmd, size_t size, enum ptr where)
{
	char buf[128] = "";

	if (wanted(w, got))
		return;
	for (int i = 0; i < w->n; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
			 i ? " or " : "", errname(w->err[i]));
	fz_fail("%s on %s%s (cmd %#lx, %zu bytes, pointer %d): got %s, want %s%s%s",
		what, c->slice, c->dead ? " (deleted)" : "", cmd, size,
		(int)where, errname(got), buf, w->why ? ": " : "",
		w->why ? w->why : "");
	fz_hexdump("argument", argbuf, size < 128 ? size : 128);
}

/*
 * The checks every call goes through before its own (uapi/linux/zsv.h):
 * ENODEV after forced deletion, EINVAL for a wrong direction or a struct
 * shorter than the first version, EFAULT for a pointer that cannot be
 * read. Return: true when the call gets as far as its struct.
 */
bool common(struct want *w, const struct ctx *c, unsigned int dir,
	    unsigned int right_dir, size_t size, size_t min, enum ptr where,
	    bool reads)
{
	if (c->dead)
		return want_only(w, -ENODEV, "slice deleted"), false;
	if (dir != right_dir || size < min)
		return want_only(w, -EINVAL, "wrong direction or size"), false;
	if (where == PTR_NULL || where == PTR_HOLE || where == PTR_STRADDLE ||
	    (where == PTR_RO && !reads)) {
		want_only(w, -EFAULT, "bad pointer");
		/* the readable part of a longer struct may show a nonzero tail first */
		if (where == PTR_STRADDLE && size > min && reads)
			want_also(w, -E2BIG);
		return false;
	}
	return true;
}

struct bo *find_bo(struct ctx *c, uint32_t handle)
{
	for (int i = 0; i < c->nbos; i++)
		if (c->bos[i].handle == handle)
			return &c->bos[i];
	return NULL;
}

void drop_bo(struct ctx *c, uint32_t handle)
{
	struct bo *b = find_bo(c, handle);

	if (!b)
		return;
	*b = c->bos[--c->nbos];
	for (int i = 0; i < MAX_MAPS; i++)
		if (maps[i].addr && maps[i].gen == c->gen &&
		    maps[i].handle == handle)
			maps[i].destroyed = true;
}

/* A handle: mostly one the context holds, else one it does not. */
uint32_t pick_handle(struct ctx *c, bool small_only)
{
	uint32_t h;

	if (c->nbos && chance(75)) {
		for (int tries = 0; tries < 8; tries++) {
			struct bo *b = &c->bos[rnd_below((uint64_t)c->nbos)];

			if (!small_only || b->size <= SMALL_BO)
				return b->handle;
		}
	}
	for (;;) {
		h = PICK(0u, 1u, 2u, 3u, (uint32_t)rnd_below(64), 1u << 23,
			 (1u << 23) - 1, UINT32_MAX, (uint32_t)rnd());
		/* Never a big BO by chance: jobs would touch all of it. */
		if (!small_only || !find_bo(c, h) ||
		    find_bo(c, h)->size <= SMALL_BO)
			return h;
	}
}

const struct obj *ctx_slice(const struct ctx *c)
{
	return model_slice_by_id(c->slice_id);
}

/* --- INFO ------------------------------------------------------------------- */

void check_info(const struct ctx *c, const struct zsv_info *info,
		const char *via)
{
	const struct obj *s = ctx_slice(c);
	const struct obj *d =
		s ? model_dev_by_id((uint32_t)s->v[ZSV_A_SLICE_DEV_ID]) : NULL;
	uint64_t ts;

	if (!s || !d)
		return;
	ts = s->v[ZSV_A_SLICE_TIMESLICE_NS] ? s->v[ZSV_A_SLICE_TIMESLICE_NS] :
					      d->v[ZSV_A_DEV_TIMESLICE_NS];
	if (info->slice_id != c->slice_id || strcmp(info->name, c->slice) ||
	    info->dev_id != d->v[ZSV_A_DEV_ID] ||
	    strcmp(info->dev_name, d->name) ||
	    info->mem_bytes != s->v[ZSV_A_SLICE_MEM_BYTES] ||
	    info->mem_used > info->mem_bytes ||
	    info->mem_mode != s->v[ZSV_A_SLICE_MEM_MODE] ||
	    info->weight != s->v[ZSV_A_SLICE_WEIGHT] ||
	    info->cap_pct != s->v[ZSV_A_SLICE_CAP_PCT] ||
	    info->engines != d->v[ZSV_A_DEV_ENGINES] ||
	    info->timeslice_ns != ts ||
	    info->period_ns != d->v[ZSV_A_DEV_PERIOD_NS])
		fz_fail("%s of %s disagrees with slice-get: id %u '%.20s' dev %u '%.20s' mem %llu/%llu mode %u weight %u cap %u engines %u ts %llu period %llu",
			via, c->slice, info->slice_id, info->name, info->dev_id,
			info->dev_name, (unsigned long long)info->mem_used,
			(unsigned long long)info->mem_bytes, info->mem_mode,
			info->weight, info->cap_pct, info->engines,
			(unsigned long long)info->timeslice_ns,
			(unsigned long long)info->period_ns);
}

static void op_info(struct ctx *c)
{
	unsigned int size = pick_size(sizeof(struct zsv_info));
	unsigned int dir = pick_dir(_IOC_READ);
	enum ptr where = pick_ptr(size);
	unsigned long cmd = _IOC(dir, ZSV_IOCTL_BASE, 0x40, size);
	struct want w = {};
	int got;

	run.count[CAT_INFO]++;
	memset(argbuf, 0xa5, size);
	if (common(&w, c, dir, _IOC_READ, size, sizeof(struct zsv_info), where,
		   false))
		want_only(&w, 0, NULL);
	got = call(c->fd, cmd, size, where);
	judge_call("INFO", c, &w, got, cmd, size, where);
	if (got)
		return;
	run.ok[CAT_INFO]++;
	for (size_t i = sizeof(struct zsv_info); i < size; i++) {
		if (argbuf[i]) {
			fz_fail("INFO of %u bytes left byte %zu past the struct nonzero",
				size, i);
			break;
		}
	}
	check_info(c, (struct zsv_info *)argbuf, "INFO");
}

/* --- BOs --------------------------------------------------------------------- */

static void op_bo_create(struct ctx *c)
{
	unsigned int size = pick_size(sizeof(struct zsv_bo_create));
	unsigned int dir = pick_dir(_IOC_READ | _IOC_WRITE);
	enum ptr where = pick_ptr(size);
	unsigned long cmd = _IOC(dir, ZSV_IOCTL_BASE, 0x41, size);
	const struct obj *s = ctx_slice(c);
	uint64_t mem = s ? s->v[ZSV_A_SLICE_MEM_BYTES] : 0;
	struct zsv_bo_create a = {};
	struct want w = {};
	uint64_t rounded;
	bool tail;
	int got;

	if (c->nbos >= MAX_BOS)
		return;
	run.count[CAT_BO_CREATE]++;
	if (chance(75))
		a.size = 1 + rnd_below(chance(70) ? SMALL_BO : 4u << 20);
	else
		a.size = PICK(0ull, 1ull, 4095ull, 4096ull, mem, mem + 1,
			      mem - 4095, ZSV_BO_SIZE_MAX, ZSV_BO_SIZE_MAX + 1,
			      UINT64_MAX, UINT64_MAX - 4095, rnd());
	a.flags = chance(95) ? 0 : (uint32_t)PICK(1ull, 0x80000000ull, rnd());
	a.handle = chance(80) ? 0 : (uint32_t)rnd();
	memset(argbuf, 0, size);
	memcpy(argbuf, &a, size < sizeof(a) ? size : sizeof(a));
	tail = fill_tail(sizeof(a), size);
	rounded = (a.size + (uint64_t)page - 1) & ~((uint64_t)page - 1);

	if (common(&w, c, dir, _IOC_READ | _IOC_WRITE, size, sizeof(a), where,
		   true)) {
		if (tail)
			want_only(&w, -E2BIG, "nonzero bytes past the struct");
		else if (a.flags || !a.size || a.size > ZSV_BO_SIZE_MAX)
			want_only(&w, -EINVAL, "bad size or flags");
		else if (rounded > mem)
			want_only(&w, -EDQUOT, "larger than the partition");
		else if (where == PTR_RO) {
			/* made, then taken back when the handle cannot be written */
			want_only(&w, -EFAULT, "read-only struct");
			want_also(&w, -EDQUOT);
			if (s &&
			    s->v[ZSV_A_SLICE_MEM_MODE] == ZSV_MEM_MODE_SHARED)
				want_also(&w, -ENOMEM);
		} else {
			want_only(&w, 0, NULL);
			want_also(&w, -EDQUOT);
			if (s &&
			    s->v[ZSV_A_SLICE_MEM_MODE] == ZSV_MEM_MODE_SHARED)
				want_also(&w, -ENOMEM);
		}
	}
	got = call(c->fd, cmd, size, where);
	if (run.verbose)
		fz_log("BO_CREATE %llu bytes on %s: %s",
		       (unsigned long long)a.size, c->slice, errname(got));
	judge_call("BO_CREATE", c, &w, got, cmd, size, where);
	mark_dirty();
	if (got)
		return;
	run.ok[CAT_BO_CREATE]++;
	memcpy(&a, argbuf, sizeof(a));
	if (!a.handle || find_bo(c, a.handle)) {
		fz_fail("BO_CREATE gave handle %u, which is 0 or already held",
			a.handle);
		return;
	}
	c->bos[c->nbos++] = (struct bo){ .handle = a.handle, .size = rounded };
}

static void op_bo_destroy(struct ctx *c)
{
	unsigned int size = pick_size(sizeof(struct zsv_bo_destroy));
	unsigned int dir = pick_dir(_IOC_WRITE);
	enum ptr where = pick_ptr(size);
	unsigned long cmd = _IOC(dir, ZSV_IOCTL_BASE, 0x42, size);
	struct zsv_bo_destroy a = { .handle = pick_handle(c, false) };
	struct want w = {};
	bool tail;
	int got;

	run.count[CAT_BO_DESTROY]++;
	a.pad = chance(95) ? 0 : (uint32_t)(1 + rnd_below(UINT32_MAX));
	memset(argbuf, 0, size);
	memcpy(argbuf, &a, size < sizeof(a) ? size : sizeof(a));
	tail = fill_tail(sizeof(a), size);
	if (common(&w, c, dir, _IOC_WRITE, size, sizeof(a), where, true)) {
		if (tail)
			want_only(&w, -E2BIG, "nonzero bytes past the struct");
		else if (a.pad)
			want_only(&w, -EINVAL, "nonzero padding");
		else if (!find_bo(c, a.handle))
			want_only(&w, -ENOENT,
				  "a handle the context does not hold");
		else
			want_only(&w, 0, NULL);
	}
	got = call(c->fd, cmd, size, where);
	if (run.verbose)
		fz_log("BO_DESTROY %u on %s: %s", a.handle, c->slice,
		       errname(got));
	judge_call("BO_DESTROY", c, &w, got, cmd, size, where);
	if (got)
		return;
	run.ok[CAT_BO_DESTROY]++;
	mark_dirty();
	drop_bo(c, a.handle);
}

static void op_bo_offset(struct ctx *c)
{
	unsigned int size = pick_size(sizeof(struct zsv_bo_mmap_offset));
	unsigned int dir = pick_dir(_IOC_READ | _IOC_WRITE);
	enum ptr where = pick_ptr(size);
	unsigned long cmd = _IOC(dir, ZSV_IOCTL_BASE, 0x43, size);
	struct zsv_bo_mmap_offset a = { .handle = pick_handle(c, false) };
	struct want w = {};
	struct bo *b;
	bool tail;
	int got;

	run.count[CAT_BO_OFFSET]++;
	a.pad = chance(95) ? 0 : (uint32_t)(1 + rnd_below(UINT32_MAX));
	a.offset = chance(80) ? 0 : rnd();
	memset(argbuf, 0, size);
	memcpy(argbuf, &a, size < sizeof(a) ? size : sizeof(a));
	tail = fill_tail(sizeof(a), size);
	b = find_bo(c, a.handle);
	if (common(&w, c, dir, _IOC_READ | _IOC_WRITE, size, sizeof(a), where,
		   true)) {
		if (tail)
			want_only(&w, -E2BIG, "nonzero bytes past the struct");
		else if (a.pad)
			want_only(&w, -EINVAL, "nonzero padding");
		else if (!b)
			want_only(&w, -ENOENT,
				  "a handle the context does not hold");
		else if (where == PTR_RO)
			want_only(&w, -EFAULT, "read-only struct");
		else
			want_only(&w, 0, NULL);
	}
	got = call(c->fd, cmd, size, where);
	judge_call("BO_MMAP_OFFSET", c, &w, got, cmd, size, where);
	if (got || !b)
		return;
	run.ok[CAT_BO_OFFSET]++;
	memcpy(&a, argbuf, sizeof(a));
	if (!a.offset || a.offset % (uint64_t)page ||
	    (b->offset && b->offset != a.offset))
		fz_fail("BO_MMAP_OFFSET of handle %u: offset %#llx (before: %#llx)",
			a.handle, (unsigned long long)a.offset,
			(unsigned long long)b->offset);
	for (int i = 0; i < c->nbos; i++)
		if (&c->bos[i] != b && c->bos[i].offset == a.offset)
			fz_fail("handles %u and %u share mmap offset %#llx",
				a.handle, c->bos[i].handle,
				(unsigned long long)a.offset);
	if (a.offset != (uint64_t)a.handle << 40)
		fz_note("BO_MMAP_OFFSET of handle %u is %#llx, not handle << 40: the mmap model assumes it",
			a.handle, (unsigned long long)a.offset);
	b->offset = a.offset;
}

/* --- numbers that are not ours ---------------------------------------------- */

/* Types the VFS answers itself (FIONBIO, FIFREEZE, FS_IOC_*, FICLONE, ...). */
static bool vfs_type(unsigned int type)
{
	return type == 0 || type == 'T' || type == 'X' || type == 'f' ||
	       type == 0x94 || type == 0x15 || type == 'v';
}

static void op_raw_ioctl(struct ctx *c)
{
	unsigned int type = chance(70) ? ZSV_IOCTL_BASE :
					 (unsigned int)rnd_below(256);
	unsigned int nr = chance(50) ? 0x40 + (unsigned int)rnd_below(6) :
				       (unsigned int)rnd_below(256);
	unsigned int dir = (unsigned int)rnd_below(4);
	unsigned int size = (unsigned int)PICK(0ull, 4ull, 8ull, 16ull, 48ull,
					       64ull, 200ull,
					       rnd_below(1 << 14));
	static const struct {
		unsigned int dir, min;
	} known[6] = {
		{ _IOC_READ, sizeof(struct zsv_info) },
		{ _IOC_READ | _IOC_WRITE, sizeof(struct zsv_bo_create) },
		{ _IOC_WRITE, sizeof(struct zsv_bo_destroy) },
		{ _IOC_READ | _IOC_WRITE, sizeof(struct zsv_bo_mmap_offset) },
		{ _IOC_READ | _IOC_WRITE, sizeof(struct zsv_submit) },
		{ _IOC_READ | _IOC_WRITE, sizeof(struct zsv_wait) },
	};
	unsigned long cmd;
	struct want w = {};
	int got;

	if (vfs_type(type))
		type = ZSV_IOCTL_BASE;
	/* A number of ours with the right shape is a real call: fuzzed above. */
	if (type == ZSV_IOCTL_BASE && nr >= 0x40 && nr <= 0x45 &&
	    dir == known[nr - 0x40].dir && size >= known[nr - 0x40].min)
		dir = (dir + 1) & 3;
	cmd = _IOC(dir, type, nr, size);
	run.count[CAT_RAW_IOCTL]++;
	rnd_bytes(argbuf, size);
	if (type != ZSV_IOCTL_BASE)
		want_only(&w, -ENOTTY, "not zsv's");
	else if (c->dead)
		want_only(&w, -ENODEV, "slice deleted");
	else if (nr < 0x40 || nr > 0x45)
		want_only(&w, -ENOTTY, "unknown command");
	else
		want_only(&w, -EINVAL, "wrong direction or size");
	got = call(c->fd, cmd, size, chance(80) ? PTR_OK : PTR_NULL);
	if (!got)
		run.ok[CAT_RAW_IOCTL]++;
	judge_call("a raw ioctl", c, &w, got, cmd, size, PTR_OK);
}

/* --- one operation ----------------------------------------------------------- */

void io_fuzz_one(void)
{
	struct ctx *c = rnd_ctx();
	unsigned int r = (unsigned int)rnd_below(100);

	if (!c || r < 5) {
		op_open();
		return;
	}
	/* Contexts of deleted slices answer ENODEV to everything: fewer of them. */
	if (c->dead && chance(50)) {
		close_ctx(c);
		op_open();
		return;
	}
	if (r < 8)
		op_close();
	else if (r < 14)
		op_info(c);
	else if (r < 28)
		op_bo_create(c);
	else if (r < 36)
		op_bo_destroy(c);
	else if (r < 44)
		op_bo_offset(c);
	else if (r < 62)
		op_submit(c);
	else if (r < 72)
		op_wait(c);
	else if (r < 75)
		op_poll(c);
	else if (r < 87)
		op_mmap(c);
	else if (r < 90)
		op_touch();
	else if (r < 94)
		chance(95) ? op_vma() : op_fork();
	else
		op_raw_ioctl(c);
}
