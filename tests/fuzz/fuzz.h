/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * zsv-fuzz: what its parts share. The fuzzer is one process (plus, for
 * the unprivileged phase, one child), single-threaded, driven by a seeded
 * PRNG that each iteration reseeds from the seed and its number, so a
 * seed replays the same calls; what the kernel answers to timing (WAIT
 * deadlines, jobs retiring) may make a later choice differ, not the next
 * iterations'.
 *
 * It touches only what it made: slices named "fz-*" or made by its own
 * slice-new, and pdevs it added with dev-new. Settings it changes on
 * other pdevs are put back at the end.
 */
#ifndef ZSV_FUZZ_H
#define ZSV_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/zsv.h>

#define FZ_PREFIX "fz-"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* --- PRNG: xorshift64*, seeded through splitmix64 ----------------------- */

void rng_seed(uint64_t seed);
void rng_seed_iteration(unsigned long iter);
uint64_t rnd(void);
/* 0 to @n - 1; 0 when @n is 0. */
uint64_t rnd_below(uint64_t n);
/* True @pct percent of the time. */
bool chance(unsigned int pct);
/* One of the values given, each as likely; they take the first one's type. */
#define PICK(first, ...)                                                     \
	({                                                                   \
		const __typeof__((first) + 0) _v[] = { first, __VA_ARGS__ }; \
		_v[rnd_below(ARRAY_SIZE(_v))];                               \
	})
void rnd_bytes(void *buf, size_t len);

/* --- run-wide state ----------------------------------------------------- */

enum fz_cat {
	CAT_NETLINK,
	CAT_NL_FRAMING,
	CAT_OPEN,
	CAT_CLOSE,
	CAT_INFO,
	CAT_BO_CREATE,
	CAT_BO_DESTROY,
	CAT_BO_OFFSET,
	CAT_SUBMIT,
	CAT_WAIT,
	CAT_POLL,
	CAT_MMAP,
	CAT_TOUCH,
	CAT_VMA,
	CAT_RAW_IOCTL,
	CAT_MDEV,
	CAT_VFIO,
	CAT_VFIO_RW,
	CAT_RING,
	CAT_CHECK,
	__CAT_MAX
};

extern const char *const cat_names[__CAT_MAX];

struct fz_run {
	uint64_t seed;
	unsigned long iterations;
	bool unpriv; /* this process is the unprivileged child */
	bool verbose;
	uid_t uid; /* the unprivileged identity */
	gid_t gid;
	unsigned long iter; /* the iteration in progress */
	unsigned long count[__CAT_MAX];
	unsigned long ok[__CAT_MAX]; /* calls that succeeded */
	unsigned int failures;
	unsigned int notes;
};

extern struct fz_run run;

/* A broken invariant: counted, reported with the seed and iteration. */
void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Something worth a look that the uapi does not forbid. */
void fz_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fz_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fz_hexdump(const char *what, const void *buf, size_t len);
const char *errname(int err);

/* --- netlink (netlink.c, nlfuzz.c) --------------------------------------------------- */

/* One object of a dump, attribute values by type. */
#define OBJ_ATTRS 40
struct obj {
	uint64_t v[OBJ_ATTRS];
	bool has[OBJ_ATTRS];
	char name[ZSV_NAME_MAX + 2];
	char dev_name[ZSV_NAME_MAX + 2];
	char node[ZSV_NAME_MAX + 16];
	char tenant[ZSV_NAME_MAX + 2]; /* a slice's; "" for none */
	char group[ZSV_NAME_MAX + 2]; /* a slice's; "" for none */
};

#define MAX_OBJS 256
struct snapshot {
	struct obj dev[MAX_OBJS];
	int ndev;
	struct obj slice[MAX_OBJS];
	int nslice;
	struct obj tenant[MAX_OBJS];
	int ntenant;
};

struct nl {
	int fd;
	uint16_t family;
	uint32_t seq;
};

int nl_open(struct nl *nl);
void nl_close(struct nl *nl);
/* Dump every pdev, slice and tenant into @s. 0 or a negative errno. */
int nl_snapshot(struct nl *nl, struct snapshot *s);
/* Well-formed requests the fuzzer itself needs; 0 or a negative errno. */
int nl_slice_new(struct nl *nl, const char *name, const char *dev, uint64_t mem,
		 uint32_t mode, uint32_t uid, uint32_t gid, uint32_t node_mode);
int nl_slice_del(struct nl *nl, const char *name, bool force);
int nl_slice_del_id(struct nl *nl, uint32_t id, bool force);
int nl_dev_del(struct nl *nl, uint32_t id);
int nl_dev_set(struct nl *nl, const struct obj *dev);
int nl_tenant_del(struct nl *nl, const char *name);
/*
 * One random request on @nl, checked. @inherited, when not NULL, is a
 * socket root opened, which the unprivileged child sends half its
 * requests on: what counts is who sends, not who opened.
 */
void nl_fuzz_one(struct nl *nl, struct nl *inherited);

/* --- the object model (model.c) -------------------------------------------- */

struct model {
	struct snapshot cur; /* as of the last refresh */
	struct snapshot start; /* before the fuzzer did anything */
	uint32_t owned_dev[8]; /* pdevs it added */
	int nowned_dev;
	unsigned int slice_serial; /* for fresh fz- names */
	/* BOs or jobs came or went since the last refresh: usage is stale. */
	bool usage_dirty;
	/* Slices slice-new made for it, by id, whatever their names. */
	uint8_t made_slice[(1u << 20) / 8];
};

extern struct model model;
extern struct nl nl_main;

void model_refresh(void);
const struct obj *model_dev_by_id(uint32_t id);
const struct obj *model_dev_by_name(const char *name);
const struct obj *model_slice_by_id(uint32_t id);
const struct obj *model_slice_by_name(const char *name);
const struct obj *model_tenant_by_id(uint32_t id);
const struct obj *model_tenant_by_name(const char *name);
/* Its own: named fz-*. */
bool model_tenant_ours(const struct obj *tenant);
/* Its own: named fz-*, or made by one of its slice-new requests. */
bool model_slice_ours(const struct obj *slice);
int model_group_size(const char *group);
void model_slice_made(uint32_t id);
bool model_owns_dev(uint32_t id);
/* The admission sums, node files and ranges; true when all hold. */
bool model_check_invariants(const char *when);
/* Compare two snapshots, leaving out counters (and usage when asked). */
bool snapshot_same(const struct snapshot *a, const struct snapshot *b,
		   bool usage, char *why, size_t len);
/* Keep the fuzzer's numbers bounded: at most this many of each. */
#define OWNED_DEVS_MAX 3
#define OWNED_SLICES_MAX 24
void model_make_room_for_slice(void);
void model_make_room_for_dev(void);
/* A fresh valid name "fz-<n>". */
void model_fresh_name(char *buf, size_t len);
bool name_valid(const char *s);
uint64_t mem_pct(uint64_t bytes, uint32_t pct);

/* --- the data plane (iofuzz.c) --------------------------------------------- */

void io_init(void);
void io_fuzz_one(void);
/* The slices changed: mark contexts of deleted slices dead, etc. */
void io_slices_changed(void);
/* Close every context and unmap every mapping. */
void io_close_all(void);
/* Contexts the kernel counts for a slice: open files, and closed but mapped. */
int io_contexts_of(uint32_t slice_id);

/* --- the VFIO target (mdevfuzz.c) -------------------------------------------- */

/* zsv_mdev is loaded: set by md_init(). */
extern bool md_enabled;
void md_init(void);
/* Remove the mdevs an interrupted run left. */
void md_remove_leftovers(void);
/* One mdev, VFIO or ring step, then the mdev invariants. */
void md_fuzz_one(void);
/* Close and remove every mdev of the run. */
void md_close_all(void);

#endif /* ZSV_FUZZ_H */
