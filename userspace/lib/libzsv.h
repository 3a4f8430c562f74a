/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libzsv: the C API of zsv, over the "zsv" generic netlink family.
 *
 * Conventions every function keeps:
 *
 *  - Functions that can fail return 0 (or a count) on success and a
 *    negative error code on failure: a negated errno, or one of the
 *    ZSV_E* codes below, which lie outside the errno range.
 *    zsv_strerror() turns any of them into a sentence.
 *
 *  - When the kernel refused a request, the errno is the kernel's and
 *    zsv_ext_msg() returns the extended-ack message the kernel attached
 *    (the attribute and the limit that were broken).  Print both:
 *    zsv_error() picks the best one.
 *
 *  - Structures handed out by the library (struct zsv_dev_info,
 *    struct zsv_slice_info) are allocated by the library and freed with
 *    the matching _free() function.  New members are only ever
 *    appended, so never embed them, copy them by value or use their
 *    sizeof.
 *
 *  - Request structures (struct zsv_dev_params, struct zsv_slice_params)
 *    belong to the caller: zero them, then set each member to send and
 *    its bit in ->mask.  The library reads only the members whose bit is
 *    set, so a member appended later is never read from an older
 *    caller's smaller struct.
 *
 *  - A handle is one netlink socket (two once subscribed to events):
 *    use it from one thread at a time.
 *    The pure helpers (parsers, formatters, name checks) need no handle
 *    and are safe everywhere.
 */
#ifndef LIBZSV_H
#define LIBZSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/zsv.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes beyond errno's range (errno values stay below 4096). */
enum {
	/* The "zsv" generic netlink family does not exist: no module. */
	ZSV_ENOTLOADED = 4096,
};

/* Library version, "MAJOR.MINOR.PATCH". */
const char *zsv_version(void);

/* Sentence for an error code returned by libzsv (negative or not). */
const char *zsv_strerror(int err);

/* ------------------------------------------------------------------ */
/* Handle */

struct zsv_handle;

/*
 * zsv_open() - connect to the zsv family.
 * Returns 0 and sets *hp, or a negative error: -ZSV_ENOTLOADED when the
 * zsv module is not loaded, a negated errno otherwise.
 */
int zsv_open(struct zsv_handle **hp);
void zsv_close(struct zsv_handle *h);

/*
 * Extended-ack message of the last request on @h that the kernel
 * refused, or NULL when it sent none.  Valid until the next request.
 */
const char *zsv_ext_msg(const struct zsv_handle *h);

/*
 * The kernel's message when there is one, else zsv_strerror(err).
 * @err is the code the failed call returned.
 */
const char *zsv_error(const struct zsv_handle *h, int err);

/* Version of the zsv family the running kernel implements. */
uint32_t zsv_family_version(const struct zsv_handle *h);

/* ------------------------------------------------------------------ */
/* Physical devices (pdevs) */

/**
 * struct zsv_dev_info - one pdev, as ZSV_CMD_DEV_GET reports it
 * @present: bit (1ULL << ZSV_A_DEV_x) is set for each attribute the
 *	kernel sent; a member whose bit is clear is zero (strings "")
 * @id: the pdev's id
 * @name: the pdev's name ("zsv0"), never NULL
 * @backend: driver of the pdev ("sim"), never NULL
 * @mem_total_bytes: device memory
 * @mem_reserved_bytes: memory carved out by reserved slices
 * @mem_used_bytes: memory backing live buffer objects
 * @engines: engines that run jobs
 * @policy: enum zsv_policy; may be a value newer than this library
 * @timeslice_ns: scheduling quantum
 * @period_ns: accounting period
 * @slice_count: slices carved from the pdev
 * @oversub_pct: how far the shared slices' quotas may sum past the
 *	unreserved memory, in percent (100 = not at all)
 * @mem_shared_bytes: sum of the shared slices' quotas
 * @busy_ns: engine time used, summed over all engines, since the pdev
 *	was made
 * @jobs_completed: jobs the pdev retired since it was made
 */
struct zsv_dev_info {
	uint64_t present;
	uint32_t id;
	const char *name;
	const char *backend;
	uint64_t mem_total_bytes;
	uint64_t mem_reserved_bytes;
	uint64_t mem_used_bytes;
	uint32_t engines;
	uint32_t policy;
	uint64_t timeslice_ns;
	uint64_t period_ns;
	uint32_t slice_count;
	uint32_t oversub_pct;
	uint64_t mem_shared_bytes;
	/* Since libzsv 0.3: */
	uint64_t busy_ns;
	uint64_t jobs_completed;
	/* Since libzsv 0.4: the largest new slice of each mode it admits,
	 * and the engine time (percent) its slices' caps leave. */
	uint64_t headroom_reserved_bytes;
	uint64_t headroom_shared_bytes;
	uint32_t headroom_engine_pct;
};

static inline bool zsv_dev_has(const struct zsv_dev_info *dev, int attr)
{
	return attr >= 0 && attr < 64 && (dev->present & (1ULL << attr));
}

/*
 * Called once per pdev of a dump; @dev is valid during the call only.
 * Return 0 to go on, or a negative errno to stop: the dump then returns
 * that value.
 */
typedef int (*zsv_dev_cb)(const struct zsv_dev_info *dev, void *arg);

/*
 * zsv_dev_dump() - call @cb for every pdev, in the kernel's order.
 * Returns 0, the callback's error, or a negative error code.  -EAGAIN
 * means the set of pdevs changed during the dump (every pdev was still
 * passed to @cb once at most): retry for a consistent view.
 */
int zsv_dev_dump(struct zsv_handle *h, zsv_dev_cb cb, void *arg);

/*
 * zsv_dev_list() - all pdevs as an array of *count pointers, retrying
 * inconsistent dumps.  Free with zsv_dev_list_free().
 */
int zsv_dev_list(struct zsv_handle *h, struct zsv_dev_info ***devs,
		 size_t *count);
void zsv_dev_list_free(struct zsv_dev_info **devs, size_t count);

/*
 * One pdev by name or id; -ENODEV (with the kernel's message) when none
 * matches.  Free *dev with zsv_dev_info_free().
 */
int zsv_dev_get_by_name(struct zsv_handle *h, const char *name,
			struct zsv_dev_info **dev);
int zsv_dev_get_by_id(struct zsv_handle *h, uint32_t id,
		      struct zsv_dev_info **dev);
void zsv_dev_info_free(struct zsv_dev_info *dev);

/* The bit of attribute @attr in a present or mask member. */
#define ZSV_ATTR_BIT(attr) (1ULL << (attr))

/**
 * struct zsv_dev_params - what to send to dev-new or dev-set
 * @mask: bit ZSV_ATTR_BIT(ZSV_A_DEV_x) is set for each member to send;
 *	the library reads no member whose bit is clear
 * @backend: dev-new: the backend that makes the pdev (default "sim")
 * @mem_total_bytes: dev-new: the pdev's memory
 * @engines: dev-new: its engines (default 4)
 * @policy: dev-set: enum zsv_policy
 * @timeslice_ns: dev-set: scheduling quantum, ZSV_TIMESLICE_MIN_NS to
 *	ZSV_TIMESLICE_MAX_NS
 * @period_ns: dev-set: accounting period, ZSV_PERIOD_MIN_NS to
 *	ZSV_PERIOD_MAX_NS and at least the timeslice
 * @oversub_pct: dev-set: ZSV_OVERSUB_PCT_MIN to ZSV_OVERSUB_PCT_MAX
 *
 * The caller owns this struct.  Members are only ever appended, each
 * with a new attribute bit, so a caller built against an older header
 * never sets the bit of a member it does not have.
 */
struct zsv_dev_params {
	uint64_t mask;
	const char *backend;
	uint64_t mem_total_bytes;
	uint32_t engines;
	uint32_t policy;
	uint64_t timeslice_ns;
	uint64_t period_ns;
	uint32_t oversub_pct;
};

/*
 * zsv_dev_set() - change the pdev named @name, live (CAP_NET_ADMIN).
 * @p->mask may hold POLICY, TIMESLICE_NS, PERIOD_NS and OVERSUB_PCT;
 * any other bit, or none, is -EINVAL without asking the kernel.
 */
int zsv_dev_set(struct zsv_handle *h, const char *name,
		const struct zsv_dev_params *p);

/*
 * zsv_dev_new() - create a pdev of a backend that can make them (the
 * sim backend; CAP_NET_ADMIN).  @p->mask may hold BACKEND, MEM_TOTAL
 * and ENGINES.  When @dev is not NULL, *dev is the new pdev as the
 * kernel reports it; free it with zsv_dev_info_free().
 */
int zsv_dev_new(struct zsv_handle *h, const struct zsv_dev_params *p,
		struct zsv_dev_info **dev);

/*
 * zsv_dev_del() - remove a pdev made by zsv_dev_new() (CAP_NET_ADMIN);
 * -EBUSY while it has slices.
 */
int zsv_dev_del(struct zsv_handle *h, const char *name);

/* ------------------------------------------------------------------ */
/* Slices */

/**
 * struct zsv_slice_info - one slice, as ZSV_CMD_SLICE_GET reports it
 * @present: bit ZSV_ATTR_BIT(ZSV_A_SLICE_x) is set for each attribute
 *	the kernel sent; a member whose bit is clear is zero (strings "")
 * @id: the slice's id
 * @name: the slice's name, never NULL
 * @dev_id: id of the pdev it is carved from
 * @dev_name: name of that pdev, never NULL
 * @mem_bytes: size of the memory partition
 * @mem_mode: enum zsv_mem_mode; may be a value newer than this library
 * @weight: share of engine time under contention
 * @cap_pct: ceiling on the pdev's engine time per period, percent
 * @timeslice_ns: the slice's quantum; 0 means the pdev's
 * @uid: owner of the device node
 * @gid: group of the device node
 * @node_mode: permission bits of the device node
 * @node: path of the device node ("/dev/zsv/<name>"), never NULL
 * @contexts: open files of the device node
 * @mem_used_bytes: bytes of the partition backing live buffers
 * @mem_peak_bytes: most bytes of the partition ever in use at once
 * @quota_hits: buffer creations refused because the partition was full
 * @busy_ns: engine time charged to the slice, all engines together
 * @jobs_submitted: jobs queued by the slice's contexts
 * @jobs_completed: jobs retired, failed ones included
 * @jobs_failed: jobs retired with an error
 * @throttled_ns: time the slice's work waited on its cap
 * @ctx_switches: times an engine switched to the slice
 * @share_promised_ppm: share of the pdev's engine time (engines x
 *	period) the slice was due over the last period, in millionths
 * @share_delivered_ppm: share it got over the last period, in millionths
 * @mediated: 1 when the slice is a VFIO mediated device (zsv_mdev), 0
 *	otherwise (also when the kernel predates zsv_mdev)
 * @vfio_open: 1 while a VFIO user (a VM) has the mediated device open
 * @tenant: name of the slice's tenant, "" when it has none (bit
 *	ZSV_A_SLICE_TENANT of @present is then clear), never NULL
 * @group: name of the group the slice was made in (zsv_group_create()),
 *	"" when none (bit ZSV_A_SLICE_GROUP of @present is then clear),
 *	never NULL
 *
 * The counters count from the slice's creation.
 */
struct zsv_slice_info {
	uint64_t present;
	uint32_t id;
	const char *name;
	uint32_t dev_id;
	const char *dev_name;
	uint64_t mem_bytes;
	uint32_t mem_mode;
	uint32_t weight;
	uint32_t cap_pct;
	uint64_t timeslice_ns;
	uint32_t uid;
	uint32_t gid;
	uint32_t node_mode;
	const char *node;
	uint32_t contexts;
	uint64_t mem_used_bytes;
	/* Since libzsv 0.3: */
	uint64_t mem_peak_bytes;
	uint64_t quota_hits;
	uint64_t busy_ns;
	uint64_t jobs_submitted;
	uint64_t jobs_completed;
	uint64_t jobs_failed;
	uint64_t throttled_ns;
	uint64_t ctx_switches;
	uint32_t share_promised_ppm;
	uint32_t share_delivered_ppm;
	/* Since libzsv 0.4: */
	uint8_t mediated;
	uint8_t vfio_open;
	/* Since libzsv 0.5: */
	const char *tenant;
	const char *group;
};

static inline bool zsv_slice_has(const struct zsv_slice_info *slice, int attr)
{
	return attr >= 0 && attr < 64 && (slice->present & (1ULL << attr));
}

/**
 * struct zsv_slice_params - what to send to slice-new or slice-set
 * @mask: bit ZSV_ATTR_BIT(ZSV_A_SLICE_x) is set for each member to
 *	send; the library reads no member whose bit is clear, and the
 *	kernel applies its default to what is not sent
 * @mem_bytes: size of the memory partition, nonzero
 * @mem_mode: slice-new only: enum zsv_mem_mode (default reserved)
 * @weight: ZSV_WEIGHT_MIN to ZSV_WEIGHT_MAX (default 100)
 * @cap_pct: 1 to ZSV_CAP_PCT_MAX (default 100)
 * @timeslice_ns: 0 (the pdev's, the default) or ZSV_TIMESLICE_MIN_NS
 *	to ZSV_TIMESLICE_MAX_NS
 * @uid: owner of the device node (default 0)
 * @gid: group of the device node (default 0)
 * @node_mode: permission bits of the device node, at most 0777
 *	(default ZSV_NODE_MODE_DEFAULT)
 * @tenant: (since libzsv 0.5) the tenant whose limits the slice counts
 *	against (default none); on slice-set, "" takes the slice out of
 *	its tenant.  Admission past a tenant's limit fails -EDQUOT.
 *
 * The caller owns this struct; it grows like struct zsv_dev_params.
 */
struct zsv_slice_params {
	uint64_t mask;
	uint64_t mem_bytes;
	uint32_t mem_mode;
	uint32_t weight;
	uint32_t cap_pct;
	uint64_t timeslice_ns;
	uint32_t uid;
	uint32_t gid;
	uint32_t node_mode;
	const char *tenant;
};

/*
 * zsv_slice_create() - carve the slice @name out of the pdev named @dev
 * (CAP_NET_ADMIN).  @p->mask may hold MEM_BYTES (which the kernel
 * requires), MEM_MODE, WEIGHT, CAP_PCT, TIMESLICE_NS, UID, GID,
 * NODE_MODE and TENANT; any other bit is -EINVAL without asking the
 * kernel.  When @slice is not NULL, *slice is the new slice as the
 * kernel reports it; free it with zsv_slice_info_free().  A refusal
 * (-ENOSPC when the pdev has not that much memory left, -EEXIST for a
 * name in use, -EDQUOT past a limit of its tenant, ...) comes with the
 * kernel's message, and creates nothing.
 */
int zsv_slice_create(struct zsv_handle *h, const char *dev, const char *name,
		     const struct zsv_slice_params *p,
		     struct zsv_slice_info **slice);

/*
 * zsv_slice_place() - like zsv_slice_create(), but the kernel picks the
 * pdev, atomically with admission: by @placement (enum zsv_placement,
 * ZSV_PLACEMENT_SPREAD or _BINPACK) among the pdevs of @backend (NULL for
 * any).  (*slice)->dev_name says where it went.  -ENOSPC when no pdev
 * fits (the kernel's message names the roomiest and what it has left),
 * -ENODEV when there is no pdev (of @backend).
 */
int zsv_slice_place(struct zsv_handle *h, const char *name,
		    uint32_t placement, const char *backend,
		    const struct zsv_slice_params *p,
		    struct zsv_slice_info **slice);

/*
 * zsv_slice_set() - change the slice @name, live (CAP_NET_ADMIN).
 * @p->mask may hold MEM_BYTES, WEIGHT, CAP_PCT, TIMESLICE_NS, UID, GID,
 * NODE_MODE and TENANT; any other bit, or none, is -EINVAL.  Growing
 * the memory is admitted like a new slice; shrinking it below what is in
 * use fails -EBUSY.  A new tenant admits the slice like a new one.
 */
int zsv_slice_set(struct zsv_handle *h, const char *name,
		  const struct zsv_slice_params *p);

/*
 * zsv_slice_destroy() - destroy the slice @name (CAP_NET_ADMIN).  While
 * its node is open this fails -EBUSY, unless @force: then the open
 * contexts are revoked (their calls fail -ENODEV from then on).
 */
int zsv_slice_destroy(struct zsv_handle *h, const char *name, bool force);

/* Called once per slice of a dump, like zsv_dev_cb. */
typedef int (*zsv_slice_cb)(const struct zsv_slice_info *slice, void *arg);

/*
 * zsv_slice_dump() - call @cb for every slice, or every slice of the
 * pdev named @dev when it is not NULL, in the kernel's order.  Returns
 * like zsv_dev_dump(), -EAGAIN included.
 */
int zsv_slice_dump(struct zsv_handle *h, const char *dev, zsv_slice_cb cb,
		   void *arg);

/*
 * zsv_slice_list() - the slices (of @dev when not NULL) as an array of
 * *count pointers, retrying inconsistent dumps.  Free with
 * zsv_slice_list_free().
 */
int zsv_slice_list(struct zsv_handle *h, const char *dev,
		   struct zsv_slice_info ***slices, size_t *count);
void zsv_slice_list_free(struct zsv_slice_info **slices, size_t count);

/*
 * One slice by name or id; an error with the kernel's message when none
 * matches.  Free *slice with zsv_slice_info_free().
 */
int zsv_slice_get_by_name(struct zsv_handle *h, const char *name,
			  struct zsv_slice_info **slice);
int zsv_slice_get_by_id(struct zsv_handle *h, uint32_t id,
			struct zsv_slice_info **slice);
void zsv_slice_info_free(struct zsv_slice_info *slice);

/* Groups (since libzsv 0.5)
 *
 * A group is one job's slices, made and destroyed together: COUNT slices
 * of one shape named <group>-0 .. <group>-(COUNT - 1), each placed by the
 * kernel as zsv_slice_place() places one.  Each slice reports its group
 * in struct zsv_slice_info's @group; otherwise they are slices like any
 * other.
 */

/*
 * zsv_group_create() - make the group @group of @count slices
 * (CAP_NET_ADMIN), 1 to ZSV_GROUP_MAX, all or none.  @distinct: each on
 * a pdev of its own; false: several may share one.  @placement and
 * @backend as for zsv_slice_place(); @p as for zsv_slice_create(), for
 * every slice.  The reply is an ack: list the slices (their @group) to
 * see where they went.  A refusal (-ENOSPC when no pdev is left that
 * fits one of them, or too few for @distinct, -EEXIST for a group or a
 * slice name in use, -EDQUOT past a limit of the tenant, which counts
 * the sum of the slices, ...) comes with the kernel's message and
 * creates nothing.
 */
int zsv_group_create(struct zsv_handle *h, const char *group, uint32_t count,
		     bool distinct, uint32_t placement, const char *backend,
		     const struct zsv_slice_params *p);

/*
 * zsv_group_destroy() - destroy every slice of the group @group
 * (CAP_NET_ADMIN), all or none: -EBUSY, destroying nothing, while one of
 * them is open, unless @force (open contexts are then revoked as by
 * zsv_slice_destroy()); -ENOENT when no slice is in the group.
 */
int zsv_group_destroy(struct zsv_handle *h, const char *group, bool force);

/* ------------------------------------------------------------------ */
/* Tenants (since libzsv 0.5)
 *
 * A tenant is who pays: limits on the memory, the slices and the
 * compute of all its slices together, across every pdev, checked by
 * every admission with the pdev's own.  A slice joins a tenant with
 * struct zsv_slice_params' @tenant.  Lowering a limit below the usage
 * destroys nothing; growth is refused (-EDQUOT, with the kernel's
 * message naming the tenant, the limit, the usage and the ask) until the
 * usage is under the limit again.
 */

/**
 * struct zsv_tenant_info - one tenant, as ZSV_CMD_TENANT_GET reports it
 * @present: bit ZSV_ATTR_BIT(ZSV_A_TENANT_x) is set for each attribute
 *	the kernel sent
 * @id: the tenant's id
 * @name: the tenant's name, never NULL
 * @mem_max_bytes: most bytes its slices' partitions may sum to, or
 *	ZSV_LIMIT_NONE (also when the kernel did not send it)
 * @slices_max: most slices it may have, or ZSV_LIMIT_NONE
 * @compute_max: most compute, the sum of its slices' cap_pct times their
 *	pdev's engines (400 is four whole engines), or ZSV_LIMIT_NONE
 * @mem_bytes: its slices' partitions, summed (reserved and shared)
 * @slices: its slices
 * @compute: its slices' cap_pct x engines, summed
 * @mem_used_bytes: bytes backing its slices' live buffers
 * @busy_ns: engine time charged to its live slices
 * @quota_hits: admissions its limits refused
 * @weight: (since libzsv 0.6) its share of a pdev's engine time under
 *	the weighted policy, ZSV_WEIGHT_MIN to ZSV_WEIGHT_MAX;
 *	ZSV_WEIGHT_DEFAULT when the kernel did not send it
 *
 * Allocated by the library; free with zsv_tenant_info_free().
 */
struct zsv_tenant_info {
	uint64_t present;
	uint32_t id;
	const char *name;
	uint64_t mem_max_bytes;
	uint64_t slices_max;
	uint64_t compute_max;
	uint64_t mem_bytes;
	uint64_t slices;
	uint64_t compute;
	uint64_t mem_used_bytes;
	uint64_t busy_ns;
	uint64_t quota_hits;
	/* Since libzsv 0.6: */
	uint32_t weight;
};

static inline bool zsv_tenant_has(const struct zsv_tenant_info *tenant,
				  int attr)
{
	return attr >= 0 && attr < 64 && (tenant->present & (1ULL << attr));
}

/**
 * struct zsv_tenant_params - the limits and the weight to send to
 *	tenant-new or tenant-set
 * @mask: bit ZSV_ATTR_BIT(ZSV_A_TENANT_x) is set for each member to
 *	send; tenant-new gives the others their defaults (ZSV_LIMIT_NONE,
 *	ZSV_WEIGHT_DEFAULT), tenant-set leaves them as they are
 * @mem_max_bytes: bytes, or ZSV_LIMIT_NONE
 * @slices_max: slices, or ZSV_LIMIT_NONE
 * @compute_max: cap_pct x engines, or ZSV_LIMIT_NONE
 * @weight: (since libzsv 0.6) ZSV_WEIGHT_MIN to ZSV_WEIGHT_MAX, bit
 *	ZSV_A_TENANT_WEIGHT: the tenant's share of a pdev's engine time
 *	under the weighted policy, which its busy slices then share by
 *	their own weights
 *
 * The caller owns this struct; it grows like struct zsv_dev_params.
 */
struct zsv_tenant_params {
	uint64_t mask;
	uint64_t mem_max_bytes;
	uint64_t slices_max;
	uint64_t compute_max;
	/* Since libzsv 0.6: */
	uint32_t weight;
};

/*
 * zsv_tenant_new() - create the tenant @name (CAP_NET_ADMIN) with the
 * limits and weight of @p (NULL: none).  @p->mask may hold MEM_MAX,
 * SLICES_MAX, COMPUTE_MAX and WEIGHT; any other bit is -EINVAL without
 * asking the kernel.  A weight outside ZSV_WEIGHT_MIN..ZSV_WEIGHT_MAX is
 * the kernel's -EINVAL, with its message.
 * When @tenant is not NULL, *tenant is the new tenant as the kernel
 * reports it; free it with zsv_tenant_info_free().  -EEXIST for a name
 * in use, -ENOSPC past ZSV_TENANTS_MAX tenants.
 */
int zsv_tenant_new(struct zsv_handle *h, const char *name,
		   const struct zsv_tenant_params *p,
		   struct zsv_tenant_info **tenant);

/*
 * zsv_tenant_set() - change the limits or the weight of the tenant @name,
 * live (CAP_NET_ADMIN).  @p->mask as for zsv_tenant_new(), and not empty.
 */
int zsv_tenant_set(struct zsv_handle *h, const char *name,
		   const struct zsv_tenant_params *p);

/*
 * zsv_tenant_del() - delete the tenant @name (CAP_NET_ADMIN); -EBUSY
 * while it has slices (destroy them or move them out first).
 */
int zsv_tenant_del(struct zsv_handle *h, const char *name);

/* Called once per tenant of a dump, like zsv_dev_cb. */
typedef int (*zsv_tenant_cb)(const struct zsv_tenant_info *tenant, void *arg);

/*
 * zsv_tenant_dump() - call @cb for every tenant, in the kernel's order.
 * Returns like zsv_dev_dump(), -EAGAIN included.
 */
int zsv_tenant_dump(struct zsv_handle *h, zsv_tenant_cb cb, void *arg);

/*
 * zsv_tenant_list() - every tenant as an array of *count pointers,
 * retrying inconsistent dumps.  Free with zsv_tenant_list_free().
 */
int zsv_tenant_list(struct zsv_handle *h, struct zsv_tenant_info ***tenants,
		    size_t *count);
void zsv_tenant_list_free(struct zsv_tenant_info **tenants, size_t count);

/*
 * One tenant by name; -ENOENT (with the kernel's message) when none
 * matches.  Free *tenant with zsv_tenant_info_free().
 */
int zsv_tenant_get_by_name(struct zsv_handle *h, const char *name,
			   struct zsv_tenant_info **tenant);
void zsv_tenant_info_free(struct zsv_tenant_info *tenant);

/* ------------------------------------------------------------------ */
/* Slice nodes (the data plane; no handle needed)
 *
 * A context is a file descriptor of a slice node, from zsv_slice_open()
 * (or any open(2) of /dev/zsv/<name>, inside a container say); close(2)
 * ends it, with its buffer objects and the jobs it has not retired.  The
 * calls below take that fd.  They are thin: one ioctl each, no state in
 * the library, safe from any thread (the kernel orders the calls on one
 * context).  Errors are negated errnos: -ENOTTY for an fd that is no
 * slice node (or a kernel without the call), -ENODEV once the slice was
 * destroyed with force, and the kernel's reasons for each call (see
 * uapi/linux/zsv.h).
 */

/*
 * zsv_slice_open() - open /dev/zsv/<name> read-write, close-on-exec:
 * a new context of the slice.  Returns the file descriptor, or a
 * negated errno (-EINVAL for an invalid name).
 */
int zsv_slice_open(const char *name);

/*
 * zsv_slice_get_info() - the limits and usage of the slice whose node
 * @fd is open (ZSV_IOCTL_INFO).  Returns 0 or a negated errno: -ENOTTY
 * when @fd is no slice node, -ENODEV once the slice was destroyed.
 */
int zsv_slice_get_info(int fd, struct zsv_info *info);

/*
 * zsv_bo_create() - a buffer object of @size bytes (1 to
 * ZSV_BO_SIZE_MAX, rounded up to whole pages) from the slice's memory
 * partition; *handle is its handle in this context.  @flags is 0 (none
 * are defined yet).  -EDQUOT past the partition, -ENOMEM when a shared
 * slice finds the pdev's shared pool used up.
 */
int zsv_bo_create(int fd, uint64_t size, uint32_t flags, uint32_t *handle);

/* zsv_bo_destroy() - destroy a buffer object; its mappings are zapped. */
int zsv_bo_destroy(int fd, uint32_t handle);

/*
 * zsv_bo_mmap_offset() - the offset at which mmap(MAP_SHARED) of @fd
 * maps the buffer object @handle (whole, or from any page of it).
 */
int zsv_bo_mmap_offset(int fd, uint32_t handle, uint64_t *offset);

/*
 * zsv_job_submit() - queue one job of @count commands (1 to
 * ZSV_JOB_CMDS_MAX) on the context; *seqno (may be NULL) is its
 * sequence number, from 1.  @cmd_size is sizeof(struct zsv_job_cmd) as
 * the caller was built, the stride of @cmds: pass sizeof(*cmds).  The
 * kernel checks the whole job first (-EINVAL for a malformed command,
 * -ENOENT for a handle the context does not hold) and queues nothing
 * when it refuses; -EAGAIN when ZSV_JOBS_INFLIGHT_MAX jobs of the
 * context have not retired yet.
 */
int zsv_job_submit(int fd, const struct zsv_job_cmd *cmds, size_t count,
		   size_t cmd_size, uint64_t *seqno);

/**
 * struct zsv_job_status - how far a context's jobs have got
 * @completed_seqno: every job up to this one has retired
 * @error_seqno: the latest job of the context that failed, or 0
 * @error: the errno it failed with (positive), or 0
 *
 * The caller owns it and passes its size: members are only appended,
 * and the library fills no more than the caller's size.
 */
struct zsv_job_status {
	uint64_t completed_seqno;
	uint64_t error_seqno;
	int error;
};

/*
 * zsv_job_wait() - wait until job @seqno of the context has retired, or
 * until the absolute CLOCK_MONOTONIC time @deadline_ns (see
 * zsv_monotonic_ns()); @seqno 0, or a deadline already past, only asks.
 * Returns 0 once @seqno has retired, -ETIME when the deadline came
 * first, -EINTR when a signal did, -EINVAL for a @seqno past the last
 * submitted job.  @status (may be NULL; @status_size is
 * sizeof(*status)) is filled on success and on -ETIME.
 *
 * The context's fd also works with poll(): EPOLLIN when jobs have
 * retired beyond the completed_seqno that the last wait returned,
 * EPOLLERR | EPOLLHUP once the slice is destroyed.
 */
int zsv_job_wait(int fd, uint64_t seqno, int64_t deadline_ns,
		 struct zsv_job_status *status, size_t status_size);

/* CLOCK_MONOTONIC now, in nanoseconds: the clock of the deadlines. */
int64_t zsv_monotonic_ns(void);

/* ------------------------------------------------------------------ */
/* Events
 *
 * The kernel multicasts one message after every change to a pdev or a
 * slice, carrying the object's full state (its last state for a
 * deletion).  A handle receives them once subscribed, on a socket of
 * its own, so it can still make requests (to resynchronise after lost
 * events, say).
 */

enum zsv_event_kind {
	ZSV_EVENT_DEV = 1,
	ZSV_EVENT_SLICE,
	/* Since libzsv 0.5: */
	ZSV_EVENT_TENANT,
};

enum zsv_event_action {
	ZSV_EVENT_NEW = 1,
	ZSV_EVENT_SET,
	ZSV_EVENT_DEL,
};

/**
 * struct zsv_event - one change
 * @kind: enum zsv_event_kind: what changed
 * @action: enum zsv_event_action: created, changed or deleted
 * @dev: the pdev's state, for ZSV_EVENT_DEV; else NULL
 * @slice: the slice's state, for ZSV_EVENT_SLICE; else NULL
 * @tenant: (since libzsv 0.5) the tenant's state, for ZSV_EVENT_TENANT;
 *	else NULL
 *
 * Valid during the callback only.
 */
struct zsv_event {
	int kind;
	int action;
	const struct zsv_dev_info *dev;
	const struct zsv_slice_info *slice;
	const struct zsv_tenant_info *tenant;
};

/*
 * The name of the operation that made the change, as the netlink spec
 * spells it: "dev-new", "dev-set", "dev-del", "slice-new", "slice-set",
 * "slice-del", "tenant-new", "tenant-set", "tenant-del"; NULL for a kind or action unknown here.
 */
const char *zsv_event_name(const struct zsv_event *ev);

/* Return 0 to go on, or a nonzero value that the reader returns. */
typedef int (*zsv_event_cb)(const struct zsv_event *ev, void *arg);

/*
 * zsv_monitor_subscribe() - start receiving events on @h.  Events sent
 * before this returns are not received.  -EOPNOTSUPP when the kernel's
 * zsv family has no "monitor" group.  Needs no privilege.
 */
int zsv_monitor_subscribe(struct zsv_handle *h);

/* The socket events arrive on, for poll(); -1 before subscribing. */
int zsv_monitor_fd(const struct zsv_handle *h);

/*
 * zsv_monitor_read() - wait for the next message on the event socket
 * and call @cb for each event in it; events this library does not know
 * are skipped.  Returns 0, the callback's nonzero value, or a negated
 * errno: -EINTR when a signal came first, -ENOBUFS when the socket
 * overflowed and events were lost (the next read goes on with the
 * events that follow; dump to catch up).
 */
int zsv_monitor_read(struct zsv_handle *h, zsv_event_cb cb, void *arg);

/*
 * zsv_monitor_run() - subscribe when needed, then read events until a
 * read returns nonzero, and return that.
 */
int zsv_monitor_run(struct zsv_handle *h, zsv_event_cb cb, void *arg);

/* ------------------------------------------------------------------ */
/* Scheduling policies */

/* "weighted", "fixed", "best-effort"; NULL for a value unknown here. */
const char *zsv_policy_name(uint32_t policy);

/* Exact name to value; -EINVAL for anything else. */
int zsv_policy_parse(const char *str, enum zsv_policy *policy);

/* ------------------------------------------------------------------ */
/* Memory modes */

/* "reserved", "shared"; NULL for a value unknown here. */
const char *zsv_mem_mode_name(uint32_t mode);

/* Exact name to value; -EINVAL for anything else. */
int zsv_mem_mode_parse(const char *str, enum zsv_mem_mode *mode);

/* ------------------------------------------------------------------ */
/* Placements (since libzsv 0.5) */

/* "spread", "binpack"; NULL for a value unknown here. */
const char *zsv_placement_name(uint32_t placement);

/* Exact name to enum zsv_placement value; -EINVAL for anything else. */
int zsv_placement_parse(const char *str, uint32_t *placement);

/* ------------------------------------------------------------------ */
/* Names */

/*
 * zsv_name_check() - is @name a valid pdev or slice name?
 * A name matches [a-z0-9][a-z0-9_.-]{0,62}: 1 to ZSV_NAME_MAX bytes of
 * lowercase ASCII letters, digits, '_', '.' and '-', starting with a
 * letter or a digit.  Returns 0, -ENAMETOOLONG, or -EINVAL.
 */
int zsv_name_check(const char *name);

/* ------------------------------------------------------------------ */
/* Units
 *
 * The parsers take the whole string: no sign, no white space, nothing
 * trailing.  They return 0, -EINVAL for a malformed string, -ERANGE
 * for a value that does not fit, or -EDOM for a fraction that does not
 * come to a whole number of units (bytes, nanoseconds).
 */

/*
 * Sizes are binary: K = 1024, M, G, T, P, E = 1024^6.
 *   size := DIGITS [ "." DIGITS ] [ UNIT ]
 *   UNIT := "B" | PREFIX | PREFIX "iB"    PREFIX := one of KMGTPE or kmgtpe
 * "16G", "16GiB", "512m", "1.5G", "4096", "4096B".  "16GB" is refused:
 * it is ambiguous (decimal or binary?).  At most 18 digits after the
 * point, and the value must come to whole bytes ("1.5K" yes, "0.3K" no).
 */
int zsv_parse_size(const char *str, uint64_t *bytes);

/* Long enough for any output of the size and duration formatters. */
#define ZSV_UNIT_STR_MAX 32

/*
 * zsv_format_size() - for people: the largest unit that leaves at
 * least 1, one decimal truncated toward zero when not exact: "80G",
 * "1.5G", "79.9G", "512B", "0B".
 * zsv_format_size_exact() - the largest unit that divides @bytes
 * exactly: "1536M", "80G", "1000B"; zsv_parse_size() gives back @bytes.
 * Both return 0 or -ENOSPC when @len is too small.
 */
int zsv_format_size(uint64_t bytes, char *buf, size_t len);
int zsv_format_size_exact(uint64_t bytes, char *buf, size_t len);

/*
 * Durations are decimal and need a unit:
 *   duration := DIGITS [ "." DIGITS ] UNIT    UNIT := "ns" | "us" | "ms" | "s"
 * "2ms", "100us", "1.5s", "250ns".  The value must come to whole
 * nanoseconds ("1.5us" yes, "1.5ns" no).
 */
int zsv_parse_duration(const char *str, uint64_t *ns);

/*
 * Exact, in the largest unit that leaves at least 1: "2ms", "1.5ms",
 * "1.234567ms", "100us", "0ns"; zsv_parse_duration() gives back @ns.
 */
int zsv_format_duration(uint64_t ns, char *buf, size_t len);

/* Whole percent 0..100, with or without the sign: "25%", "25". */
int zsv_parse_percent(const char *str, unsigned int *pct);

/*
 * Ratios, as percent: "1.5" is 150, "2" is 200, "150%" is 150.  A ratio
 * must come to a whole percent ("1.25" yes, "1.255" no: -EDOM).
 */
int zsv_parse_ratio(const char *str, uint32_t *pct);

/*
 * A percent as a ratio, exact and shortest: 150 is "1.5", 200 is "2",
 * 125 is "1.25"; zsv_parse_ratio() gives back @pct.
 */
int zsv_format_ratio(uint32_t pct, char *buf, size_t len);

/* Plain decimal numbers: "0", "200".  No sign, no base prefix. */
int zsv_parse_u64(const char *str, uint64_t *val);
int zsv_parse_u32(const char *str, uint32_t *val);

#ifdef __cplusplus
}
#endif

#endif /* LIBZSV_H */
