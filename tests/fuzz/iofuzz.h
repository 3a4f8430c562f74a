/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * zsv-fuzz: what its data-plane parts share. iofuzz.c keeps the contexts
 * and calls ioctls (INFO, BOs, numbers not ours), jobs.c submits and waits,
 * maps.c maps and touches.
 */
#ifndef ZSV_FUZZ_IOFUZZ_H
#define ZSV_FUZZ_IOFUZZ_H

#include <stdbool.h>
#include <stdint.h>

#include "fuzz.h"

#define MAX_CTX 5
#define MAX_BOS 24
#define MAX_MAPS 40
#define SMALL_BO (256u << 10)
/* Jobs a context may have outstanding before the fuzzer waits for some. */
#define OUTSTANDING_MAX 128

struct bo {
	uint32_t handle;
	uint64_t size; /* page-rounded, as the kernel charges it */
	uint64_t offset; /* for mmap, once BO_MMAP_OFFSET told it */
};

struct ctx {
	int fd; /* -1: free slot */
	unsigned int gen; /* tells contexts apart across slot reuse */
	uint32_t slice_id;
	char slice[ZSV_NAME_MAX + 1];
	int accmode;
	bool dead;
	struct bo bos[MAX_BOS];
	int nbos;
	uint64_t last_seqno; /* of the last job SUBMIT accepted */
	uint64_t completed; /* the latest completed_seqno WAIT gave */
};

struct map {
	void *addr; /* NULL: free slot */
	size_t len;
	unsigned int gen; /* the context that mapped it */
	uint32_t slice_id;
	uint32_t handle; /* 0: the status page */
	bool destroyed; /* its BO was destroyed through its handle */
	bool readable, writable;
	bool may_write; /* mprotect may add PROT_WRITE */
};

extern struct ctx ctxs[MAX_CTX];
extern struct map maps[MAX_MAPS];
extern long page;
extern uint8_t *rw_page, *hole, *ro_page;
extern uint8_t argbuf[(1 << 14) + 64];

void mark_dirty(void);
int64_t now_ns(void);
bool slice_alive(uint32_t id);
void unmap(struct map *m);
void close_ctx(struct ctx *c);
struct ctx *rnd_ctx(void);

/* Where an ioctl's argument is: well placed, or not readable or writable. */
enum ptr { PTR_OK, PTR_NULL, PTR_HOLE, PTR_RO, PTR_STRADDLE };

enum ptr pick_ptr(size_t size);
int call(int fd, unsigned long cmd, size_t size, enum ptr where);
unsigned int pick_size(unsigned int right);
unsigned int pick_dir(unsigned int right);
bool fill_tail(size_t ours, size_t size);

/* An allowed set of results. */
struct want {
	int err[6];
	int n;
	const char *why;
};

void want_only(struct want *w, int err, const char *why);
void want_also(struct want *w, int err);
bool wanted(const struct want *w, int err);
void judge_call(const char *what, const struct ctx *c, const struct want *w,
		int got, unsigned long cmd, size_t size, enum ptr where);
bool common(struct want *w, const struct ctx *c, unsigned int dir,
	    unsigned int right_dir, size_t size, size_t min, enum ptr where,
	    bool reads);
struct bo *find_bo(struct ctx *c, uint32_t handle);
void drop_bo(struct ctx *c, uint32_t handle);
uint32_t pick_handle(struct ctx *c, bool small_only);
const struct obj *ctx_slice(const struct ctx *c);
void check_info(const struct ctx *c, const struct zsv_info *info,
		const char *via);

/* jobs.c */
void op_submit(struct ctx *c);
void op_wait(struct ctx *c);
void op_wait_some(struct ctx *c);
void op_poll(struct ctx *c);

/* maps.c */
void on_sigbus(int sig);
bool touch_byte(volatile uint8_t *p, bool write, uint8_t *read_back);
void touch_map(struct map *m);
void op_mmap(struct ctx *c);
void op_vma(void);
void op_fork(void);
void op_touch(void);

#endif /* ZSV_FUZZ_IOFUZZ_H */
