// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-fuzz's mappings: mmap of the status page and of BOs at random
 * offsets, lengths, protections and flags; reads and writes through them
 * (with SIGBUS exactly where the uapi says); mprotect, partial munmap,
 * mremap and fork of what is mapped.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iofuzz.h"

static sigjmp_buf touch_env;
static volatile sig_atomic_t touch_armed;

void on_sigbus(int sig)
{
	if (touch_armed) {
		touch_armed = 0;
		siglongjmp(touch_env, 1);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Read (and write, when @write) one byte; false on SIGBUS. */
bool touch_byte(volatile uint8_t *p, bool write, uint8_t *read_back)
{
	if (sigsetjmp(touch_env, 1))
		return false;
	touch_armed = 1;
	*read_back = *p;
	if (write) {
		*p = (uint8_t)(*read_back + 1);
		*read_back = *p;
	}
	touch_armed = 0;
	return true;
}

/* Read a status page the way the uapi says to. */
static void check_status(const struct map *m)
{
	const volatile struct zsv_status *st = m->addr;
	const struct ctx *c = NULL;
	struct zsv_info info;
	uint32_t seq, seq2;

	for (int i = 0; i < MAX_CTX; i++)
		if (ctxs[i].fd >= 0 && ctxs[i].gen == m->gen)
			c = &ctxs[i];
	if (!slice_alive(m->slice_id)) {
		if (st->seq)
			fz_fail("the status page of deleted slice %u has seq %u",
				m->slice_id, st->seq);
		return;
	}
	for (int tries = 0;; tries++) {
		seq = st->seq;
		__sync_synchronize();
		memcpy(&info, (const void *)&st->info, sizeof(info));
		__sync_synchronize();
		seq2 = st->seq;
		if (seq == seq2 && !(seq & 1))
			break;
		if (tries > 1000) {
			fz_fail("the status page of slice %u never settles (seq %u)",
				m->slice_id, seq);
			return;
		}
	}
	if (!seq || st->pad)
		fz_fail("the status page of live slice %u has seq %u pad %u",
			m->slice_id, seq, st->pad);
	if (c)
		check_info(c, &info, "the status page");
}

void touch_map(struct map *m)
{
	bool alive = slice_alive(m->slice_id);
	size_t at;
	uint8_t v;
	bool ok;

	run.count[CAT_TOUCH]++;
	if (!m->readable)
		return;
	if (!m->handle) {
		check_status(m);
		run.ok[CAT_TOUCH]++;
		return;
	}
	at = (size_t)rnd_below(m->len);
	ok = touch_byte((volatile uint8_t *)m->addr + at,
			m->writable && alive && !m->destroyed, &v);
	if (!alive) {
		/* The slice's scratch page: zeroes, and no signal. */
		if (!ok || v)
			fz_fail("a mapping of deleted slice %u %s", m->slice_id,
				ok ? "reads nonzero" : "raised SIGBUS");
	} else if (m->destroyed) {
		if (ok)
			fz_fail("a mapping of destroyed BO %u still reads",
				m->handle);
	} else if (!ok) {
		fz_fail("a mapping of live BO %u raised SIGBUS", m->handle);
	}
	if (ok)
		run.ok[CAT_TOUCH]++;
}

static struct map *free_map(void)
{
	for (int i = 0; i < MAX_MAPS; i++)
		if (!maps[i].addr)
			return &maps[i];
	unmap(&maps[rnd_below(MAX_MAPS)]);
	return free_map();
}

void op_mmap(struct ctx *c)
{
	int prot = PICK(PROT_READ, PROT_READ, PROT_READ | PROT_WRITE,
			PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE,
			PROT_WRITE, PROT_READ | PROT_EXEC, PROT_NONE);
	int flags = chance(85) ? MAP_SHARED : MAP_PRIVATE;
	struct bo *b = NULL;
	uint64_t off = 0;
	size_t len = (size_t)page, pages;
	struct want w = {};
	struct map *m;
	void *addr;
	int got;

	run.count[CAT_MMAP]++;
	switch (rnd_below(10)) {
	case 0 ... 2: /* the status page */
		if (chance(10))
			len = PICK((size_t)0, (size_t)1, 2 * (size_t)page);
		break;
	case 9: /* anything */
		off = PICK(rnd() & ~((uint64_t)page - 1), rnd(), (uint64_t)page,
			   1ull << 40, (1ull << 40) + 1,
			   (uint64_t)INT64_MAX & ~4095ull,
			   (uint64_t)UINT32_MAX << 40);
		len = PICK((size_t)page, (size_t)0, (size_t)rnd_below(1 << 20));
		break;
	default: /* a BO */
		if (!c->nbos)
			return;
		b = &c->bos[rnd_below((uint64_t)c->nbos)];
		if (!b->offset)
			b->offset = (uint64_t)b->handle << 40;
		{
			uint64_t pages = b->size / (uint64_t)page;
			uint64_t first = chance(60) ? 0 : rnd_below(pages);
			uint64_t n = pages - first;

			/* big BOs: a few pages of them */
			if (n > 16)
				n = 1 + rnd_below(16);
			if (chance(10))
				n = PICK(n + 1, pages + 1, 0ull);
			off = b->offset + first * (uint64_t)page;
			len = (size_t)(n * (uint64_t)page);
			if (chance(5))
				off += PICK(1ull, 2048ull);
		}
		break;
	}

	/* What the VFS checks before zsv sees the mapping, then zsv. */
	pages = (len + (size_t)page - 1) / (size_t)page;
	if (!len || off % (uint64_t)page) {
		want_only(&w, -EINVAL, "length 0 or an offset inside a page");
	} else if (c->accmode == O_WRONLY ||
		   (flags == MAP_SHARED && (prot & PROT_WRITE) &&
		    c->accmode == O_RDONLY)) {
		want_only(&w, -EACCES, "the file's mode");
	} else if (c->dead) {
		want_only(&w, -ENODEV, "slice deleted");
		if (prot & PROT_EXEC)
			want_also(
				&w,
				-EPERM); /* on a noexec /dev, the VFS says so first */
	} else if (off >> 40 == 0) {
		if (off || pages != 1)
			want_only(&w, -EINVAL,
				  "the status page is one page at 0");
		else if (prot & (PROT_WRITE | PROT_EXEC))
			want_only(&w, -EPERM, "the status page is read-only");
		else
			want_only(&w, 0, NULL);
		if (prot & PROT_EXEC)
			want_also(&w, -EPERM);
	} else if (prot & PROT_EXEC) {
		want_only(&w, -EPERM, "executable");
	} else if (flags == MAP_PRIVATE) {
		want_only(&w, -EINVAL, "a private BO mapping");
	} else {
		/* Each BO's offsets start at its handle times 2^40 (checked above). */
		struct bo *target = off >> 40 <= UINT32_MAX ?
					    find_bo(c, (uint32_t)(off >> 40)) :
					    NULL;
		uint64_t in_bo = off & ((1ull << 40) - 1);

		if (!target || in_bo >= target->size ||
		    pages > (target->size - in_bo) / (uint64_t)page)
			want_only(&w, -EINVAL, "no such BO, or past its end");
		else
			want_only(&w, 0, NULL);
		b = target;
	}

	addr = mmap(NULL, len, prot, flags, c->fd, (off_t)off);
	got = addr == MAP_FAILED ? -errno : 0;
	if (run.verbose)
		fz_log("mmap %#llx len %zu prot %d flags %d on %s: %s",
		       (unsigned long long)off, len, prot, flags, c->slice,
		       errname(got));
	if (!wanted(&w, got)) {
		char buf[96] = "";

		for (int i = 0; i < w.n; i++)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
				 "%s%s", i ? " or " : "", errname(w.err[i]));
		fz_fail("mmap of %s%s at %#llx, %zu bytes, prot %d, flags %d, file mode %d: got %s, want %s (%s)",
			c->slice, c->dead ? " (deleted)" : "",
			(unsigned long long)off, len, prot, flags, c->accmode,
			errname(got), buf, w.why ? w.why : "");
	}
	if (got)
		return;
	run.ok[CAT_MMAP]++;
	m = free_map();
	*m = (struct map){
		.addr = addr,
		.len = pages * (size_t)page,
		.gen = c->gen,
		.slice_id = c->slice_id,
		.handle = off >> 40 ? (uint32_t)(off >> 40) : 0,
		.readable = prot & PROT_READ,
		.writable = (prot & PROT_WRITE) && flags == MAP_SHARED,
		.may_write = off >> 40 && flags == MAP_SHARED &&
			     c->accmode == O_RDWR,
	};
	if (b && b->handle != m->handle)
		m->handle = b->handle;
	touch_map(m);
	if (chance(50))
		unmap(m);
}

/*
 * What may be done to a mapping after mmap: mprotect within what the
 * mapping may become (the status page never writable, nothing
 * executable), munmap of part of it, mremap smaller, larger (refused:
 * zsv mappings do not expand) or elsewhere. The pages stay the BO's.
 */
void op_vma(void)
{
	struct map *m = NULL;
	int n = 0, pick, prot, ret, want;
	size_t pg = (size_t)page;
	void *to;

	for (int i = 0; i < MAX_MAPS; i++)
		n += maps[i].addr != NULL;
	if (!n)
		return;
	pick = (int)rnd_below((uint64_t)n);
	for (int i = 0; i < MAX_MAPS && !m; i++)
		if (maps[i].addr && !pick--)
			m = &maps[i];
	run.count[CAT_VMA]++;
	switch (rnd_below(6)) {
	case 0: /* mprotect */
		prot = PICK(PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE,
			    PROT_EXEC, PROT_READ | PROT_EXEC);
		want = (prot & PROT_EXEC) ||
				       ((prot & PROT_WRITE) && !m->may_write) ?
			       -EACCES :
			       0;
		ret = mprotect(m->addr, m->len, prot) ? -errno : 0;
		if (ret != want)
			fz_fail("mprotect(%d) of a mapping of %s %u: got %s, want %s",
				prot,
				m->handle ? "BO" : "the status page of slice",
				m->handle ? m->handle : m->slice_id,
				errname(ret), errname(want));
		if (!ret) {
			m->readable = prot & PROT_READ;
			m->writable = prot & PROT_WRITE;
		}
		break;
	case 1: /* munmap a page at either end, or in the middle */
		if (m->len < 2 * pg)
			goto touch;
		if (m->len >= 3 * pg && chance(40)) {
			struct map *tail = NULL;
			size_t at = pg * (1 + rnd_below(m->len / pg - 2));

			for (int i = 0; i < MAX_MAPS && !tail; i++)
				if (!maps[i].addr)
					tail = &maps[i];
			if (!tail)
				goto touch;
			*tail = *m;
			tail->addr = (uint8_t *)m->addr + at + pg;
			tail->len = m->len - at - pg;
			if (munmap((uint8_t *)m->addr + at, pg))
				fz_fail("munmap inside a mapping: %m");
			m->len = at;
			touch_map(tail);
		} else if (chance(50)) {
			if (munmap(m->addr, pg))
				fz_fail("munmap of a mapping's first page: %m");
			m->addr = (uint8_t *)m->addr + pg;
			m->len -= pg;
		} else {
			if (munmap((uint8_t *)m->addr + m->len - pg, pg))
				fz_fail("munmap of a mapping's last page: %m");
			m->len -= pg;
		}
		break;
	case 2: /* smaller */
		if (m->len < 2 * pg)
			goto touch;
		to = mremap(m->addr, m->len, m->len - pg, 0);
		if (to == MAP_FAILED)
			fz_fail("mremap of a mapping to a page less: %m");
		else
			m->len -= pg;
		break;
	case 3: /* larger */
		to = mremap(m->addr, m->len, m->len + pg, MREMAP_MAYMOVE);
		if (to != MAP_FAILED) {
			fz_fail("mremap grew a zsv mapping");
			munmap(to, m->len + pg);
			m->addr = NULL;
			return;
		}
		break;
	case 4: /* elsewhere */
		to = mmap(NULL, m->len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
		if (to == MAP_FAILED)
			goto touch;
		to = mremap(m->addr, m->len, m->len,
			    MREMAP_MAYMOVE | MREMAP_FIXED, to);
		if (to == MAP_FAILED)
			fz_fail("mremap moving a zsv mapping: %m");
		else
			m->addr = to;
		break;
	default:
		break;
	}
touch:
	run.ok[CAT_VMA]++;
	touch_map(m);
}

/*
 * A child gets copies of the BO mappings (not the status page's) and
 * reads them as the parent would: same pages, same SIGBUS.
 */
void op_fork(void)
{
	int status, bad;
	pid_t pid;

	run.count[CAT_VMA]++;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fz_fail("fork: %m");
		return;
	}
	if (!pid) {
		bad = 0;
		for (int i = 0; i < MAX_MAPS; i++) {
			struct map *m = &maps[i];
			bool alive, ok;
			uint8_t v;

			if (!m->addr || !m->handle || !m->readable)
				continue;
			alive = slice_alive(m->slice_id);
			ok = touch_byte((volatile uint8_t *)m->addr +
						rnd_below(m->len),
					false, &v);
			bad += alive ? ok == m->destroyed : !ok || v;
		}
		_exit(bad ? 1 : 0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fz_fail("a forked child saw the BO mappings otherwise (status %#x)",
			status);
	else
		run.ok[CAT_VMA]++;
}

void op_touch(void)
{
	int n = 0, pick;

	for (int i = 0; i < MAX_MAPS; i++)
		n += maps[i].addr != NULL;
	if (!n)
		return;
	pick = (int)rnd_below((uint64_t)n);
	for (int i = 0; i < MAX_MAPS; i++) {
		if (maps[i].addr && !pick--) {
			touch_map(&maps[i]);
			if (chance(30))
				unmap(&maps[i]);
			return;
		}
	}
}
