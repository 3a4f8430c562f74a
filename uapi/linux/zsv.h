/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * zsv: slice physical accelerators into isolated virtual accelerators.
 *
 * This header is the whole ABI between the zsv kernel module and userspace.
 * It is only ever appended to: numbers never change, nothing is removed.
 * The netlink part mirrors Documentation/netlink/specs/zsv.yaml, which is
 * the source of truth for the control plane; keep the two in step.
 *
 * Control plane: generic netlink family "zsv", version 1.
 * ------------------------------------------------------------------
 *
 * ZSV_CMD_DEV_GET (do, dump)
 *   Request (do): one of
 *     ZSV_A_DEV_ID: u32      the pdev's id, or
 *     ZSV_A_DEV_NAME: string the pdev's name ("zsv0"); when both are
 *                             given they must name the same pdev
 *   Request (dump): no attributes
 *   Reply: one message per pdev, carrying
 *     ZSV_A_DEV_ID: u32
 *     ZSV_A_DEV_NAME: string
 *     ZSV_A_DEV_BACKEND: string          driver of the pdev ("sim")
 *     ZSV_A_DEV_MEM_TOTAL: u64           bytes of device memory
 *     ZSV_A_DEV_MEM_RESERVED: u64        bytes carved by reserved slices
 *     ZSV_A_DEV_MEM_USED: u64            bytes backing live buffers
 *     ZSV_A_DEV_ENGINES: u32             engines that run jobs
 *     ZSV_A_DEV_POLICY: u32              enum zsv_policy
 *     ZSV_A_DEV_TIMESLICE_NS: u64        scheduling quantum
 *     ZSV_A_DEV_PERIOD_NS: u64           accounting period
 *     ZSV_A_DEV_SLICE_COUNT: u32         slices carved from the pdev
 *     ZSV_A_DEV_OVERSUB_PCT: u32         shared pool oversubscription, %
 *     ZSV_A_DEV_MEM_SHARED: u64          sum of shared slices' quotas
 *     ZSV_A_DEV_BUSY_NS: u64             engine time used, all engines
 *     ZSV_A_DEV_JOBS_COMPLETED: u64      jobs retired by the pdev
 *     ZSV_A_DEV_HEADROOM_RESERVED: u64   largest new reserved slice that fits
 *     ZSV_A_DEV_HEADROOM_SHARED: u64     largest new shared slice that fits
 *     ZSV_A_DEV_HEADROOM_ENGINE_PCT: u32 100 less the slices' caps, >= 0
 *
 * ZSV_CMD_DEV_SET (do; CAP_NET_ADMIN)
 *   Request: ZSV_A_DEV_ID and/or ZSV_A_DEV_NAME, and any of
 *     ZSV_A_DEV_POLICY, ZSV_A_DEV_TIMESLICE_NS (100 us to 1 s),
 *     ZSV_A_DEV_PERIOD_NS (10 ms to 10 s, at least the timeslice),
 *     ZSV_A_DEV_OVERSUB_PCT (100 to 10000, not below what the shared
 *     quotas already need)
 *
 * ZSV_CMD_DEV_NEW (do; CAP_NET_ADMIN)
 *   Request: ZSV_A_DEV_BACKEND (default "sim"), ZSV_A_DEV_MEM_TOTAL,
 *     ZSV_A_DEV_ENGINES (default 4)
 *   Reply: the new pdev, as for ZSV_CMD_DEV_GET
 *
 * ZSV_CMD_DEV_DEL (do; CAP_NET_ADMIN)
 *   Request: ZSV_A_DEV_ID and/or ZSV_A_DEV_NAME of a pdev whose backend
 *     can remove pdevs at run time (sim: any of its pdevs, including those
 *     made at load time); EBUSY while it has slices, EOPNOTSUPP for other
 *     backends
 *
 * ZSV_CMD_SLICE_NEW (do; CAP_NET_ADMIN)
 *   Request:
 *     ZSV_A_SLICE_NAME: string       [a-z0-9][a-z0-9_.-]{0,62}, unique
 *     ZSV_A_SLICE_DEV_ID: u32 and/or ZSV_A_SLICE_DEV_NAME: string, or
 *     neither: the kernel places the slice, atomically with admission,
 *       ZSV_A_SLICE_PLACEMENT: u32   enum zsv_placement (default spread)
 *       ZSV_A_SLICE_BACKEND: string  only pdevs of this backend ("sim")
 *     ZSV_A_SLICE_MEM_BYTES: u64     nonzero
 *     ZSV_A_SLICE_MEM_MODE: u32      enum zsv_mem_mode (default reserved)
 *     ZSV_A_SLICE_WEIGHT: u32        1 to 10000 (default 100)
 *     ZSV_A_SLICE_CAP_PCT: u32       1 to 100 (default 100)
 *     ZSV_A_SLICE_TIMESLICE_NS: u64  0 (the pdev's) or 100 us to 1 s
 *     ZSV_A_SLICE_UID: u32, ZSV_A_SLICE_GID: u32   node owner (default 0)
 *     ZSV_A_SLICE_NODE_MODE: u32     node permissions, <= 0777 (0600)
 *   Reply: the new slice, as for ZSV_CMD_SLICE_GET
 *
 * ZSV_CMD_SLICE_SET (do; CAP_NET_ADMIN)
 *   Request: ZSV_A_SLICE_ID and/or ZSV_A_SLICE_NAME, and any of
 *     ZSV_A_SLICE_MEM_BYTES (growing is admitted like a new slice;
 *     shrinking below what is in use fails EBUSY), ZSV_A_SLICE_WEIGHT,
 *     ZSV_A_SLICE_CAP_PCT, ZSV_A_SLICE_TIMESLICE_NS, ZSV_A_SLICE_UID,
 *     ZSV_A_SLICE_GID, ZSV_A_SLICE_NODE_MODE
 *
 * ZSV_CMD_SLICE_DEL (do; CAP_NET_ADMIN)
 *   Request: ZSV_A_SLICE_ID and/or ZSV_A_SLICE_NAME, ZSV_A_SLICE_FORCE
 *     (flag: revoke open contexts instead of failing with EBUSY)
 *
 * ZSV_CMD_SLICE_GET (do, dump)
 *   Request (do): ZSV_A_SLICE_ID and/or ZSV_A_SLICE_NAME
 *   Request (dump): optionally ZSV_A_SLICE_DEV_ID or ZSV_A_SLICE_DEV_NAME
 *   Reply: one message per slice, carrying
 *     ZSV_A_SLICE_ID, ZSV_A_SLICE_NAME, ZSV_A_SLICE_DEV_ID,
 *     ZSV_A_SLICE_DEV_NAME, ZSV_A_SLICE_MEM_BYTES, ZSV_A_SLICE_MEM_MODE,
 *     ZSV_A_SLICE_WEIGHT, ZSV_A_SLICE_CAP_PCT, ZSV_A_SLICE_TIMESLICE_NS,
 *     ZSV_A_SLICE_UID, ZSV_A_SLICE_GID, ZSV_A_SLICE_NODE_MODE,
 *     ZSV_A_SLICE_NODE: string ("/dev/zsv/<name>"),
 *     ZSV_A_SLICE_CONTEXTS: u32, ZSV_A_SLICE_MEM_USED: u64,
 *     ZSV_A_SLICE_MEM_PEAK: u64          most bytes ever in use
 *     ZSV_A_SLICE_QUOTA_HITS: u64        buffer creations refused EDQUOT
 *     ZSV_A_SLICE_BUSY_NS: u64           engine time charged to the slice
 *     ZSV_A_SLICE_JOBS_SUBMITTED: u64
 *     ZSV_A_SLICE_JOBS_COMPLETED: u64    retired, failed ones included
 *     ZSV_A_SLICE_JOBS_FAILED: u64       retired with an error
 *     ZSV_A_SLICE_THROTTLED_NS: u64      time work waited on the cap
 *     ZSV_A_SLICE_CTX_SWITCHES: u64      engines switched to the slice
 *     ZSV_A_SLICE_SHARE_PROMISED_PPM: u32   share of the pdev's engine
 *     ZSV_A_SLICE_SHARE_DELIVERED_PPM: u32  time, millionths, last period
 *     ZSV_A_SLICE_MEDIATED: u8          1: the slice is a VFIO mediated
 *                                       device (zsv_mdev), named by its
 *                                       UUID; slice-del refuses it unless
 *                                       forced (remove the mdev instead)
 *     ZSV_A_SLICE_VFIO_OPEN: u8         1: a VFIO user (a VM) holds it
 *     ZSV_A_SLICE_TENANT: string        the slice's tenant; absent when
 *                                       it has none
 *     ZSV_A_SLICE_GROUP: string         the group the slice was made in;
 *                                       absent when none
 *
 * Groups: one job's slices, made and destroyed together. A group is
 * COUNT slices of one shape named <group>-0 .. <group>-(COUNT - 1),
 * each placed by the kernel as slice-new without a device would be, on
 * COUNT distinct pdevs unless the request allows any. All of them are
 * made, or none: a refusal of any one (no pdev left that fits, a
 * tenant's limit, a name in use) undoes those made before it, and no
 * monitor event is sent for them; on success, one ZSV_CMD_SLICE_NEW
 * event per slice. A group counts against its tenant as the sum of its
 * slices. Its slices are slices like any other (slice-set, slice-del).
 *
 * ZSV_CMD_GROUP_NEW (do; CAP_NET_ADMIN)
 *   Request:
 *     ZSV_A_SLICE_GROUP: string      the group's name, which no slice
 *                                    carries yet; <group>-<COUNT - 1>
 *                                    must be a valid slice name
 *     ZSV_A_SLICE_COUNT: u32         1 to ZSV_GROUP_MAX
 *     ZSV_A_SLICE_DISTINCT: u8       1 (default): each slice on its own
 *                                    pdev; 0: any pdev, several may share
 *     ZSV_A_SLICE_MEM_BYTES (required), and optionally what slice-new
 *     takes besides a device and a name: ZSV_A_SLICE_PLACEMENT,
 *     ZSV_A_SLICE_BACKEND, ZSV_A_SLICE_MEM_MODE, ZSV_A_SLICE_WEIGHT,
 *     ZSV_A_SLICE_CAP_PCT, ZSV_A_SLICE_TIMESLICE_NS, ZSV_A_SLICE_UID,
 *     ZSV_A_SLICE_GID, ZSV_A_SLICE_NODE_MODE, ZSV_A_SLICE_TENANT
 *   Reply: none; a slice dump shows the slices with their ZSV_A_SLICE_GROUP
 *
 * ZSV_CMD_GROUP_DEL (do; CAP_NET_ADMIN)
 *   Request: ZSV_A_SLICE_GROUP, ZSV_A_SLICE_FORCE (flag: revoke open
 *     contexts); all or none: EBUSY, and nothing destroyed, while one of
 *     its slices has open contexts and no force; ENOENT when no slice is
 *     in the group
 *
 * Tenants: who pays. A tenant has limits across every pdev, and every
 * admission (slice-new, placement, slice-set growth, a move between
 * tenants) checks them with the pdev's, under the same lock: the sum of
 * its slices' partitions (reserved sizes and shared quotas alike), the
 * number of its slices, and its compute, the sum of its slices'
 * cap_pct x engines of their pdev (400 = four whole engines). An
 * admission past a limit fails EDQUOT, and the extack names the tenant,
 * the limit, the usage and the ask. Lowering a limit below the usage is
 * allowed and destroys nothing; growth is refused until the usage is
 * under the limit again. ZSV_LIMIT_NONE (the default) is no limit.
 *
 * ZSV_CMD_SLICE_NEW and ZSV_CMD_SLICE_SET also take
 *     ZSV_A_SLICE_TENANT: string   the tenant's name; on slice-set, ""
 *                                  takes the slice out of its tenant,
 *                                  and a new tenant admits the slice
 *                                  like a new one
 *
 * ZSV_CMD_TENANT_NEW (do; CAP_NET_ADMIN)
 *   Request:
 *     ZSV_A_TENANT_NAME: string       [a-z0-9][a-z0-9_.-]{0,62}, unique
 *     ZSV_A_TENANT_MEM_MAX: u64       bytes (default ZSV_LIMIT_NONE)
 *     ZSV_A_TENANT_SLICES_MAX: u64    slices (default ZSV_LIMIT_NONE)
 *     ZSV_A_TENANT_COMPUTE_MAX: u64   cap_pct x engines (default none)
 *     ZSV_A_TENANT_WEIGHT: u32        ZSV_WEIGHT_MIN to ZSV_WEIGHT_MAX
 *                                     (default ZSV_WEIGHT_DEFAULT): under
 *                                     the weighted policy, a pdev's busy
 *                                     tenants share its engine time by
 *                                     this weight, then each tenant's busy
 *                                     slices share the tenant's time by
 *                                     theirs; a slice without a tenant is
 *                                     a tenant of its own, of its weight
 *   Reply: the new tenant, as for ZSV_CMD_TENANT_GET; at most
 *     ZSV_TENANTS_MAX tenants exist (ENOSPC)
 *
 * ZSV_CMD_TENANT_SET (do; CAP_NET_ADMIN)
 *   Request: ZSV_A_TENANT_ID and/or ZSV_A_TENANT_NAME, and any of the
 *     limits and ZSV_A_TENANT_WEIGHT, live
 *
 * ZSV_CMD_TENANT_DEL (do; CAP_NET_ADMIN)
 *   Request: ZSV_A_TENANT_ID and/or ZSV_A_TENANT_NAME; EBUSY while the
 *     tenant has slices
 *
 * ZSV_CMD_TENANT_GET (do, dump)
 *   Request (do): ZSV_A_TENANT_ID and/or ZSV_A_TENANT_NAME
 *   Request (dump): no attributes
 *   Reply: one message per tenant, carrying ZSV_A_TENANT_ID,
 *     ZSV_A_TENANT_NAME, the three limits, ZSV_A_TENANT_WEIGHT, and its
 *     usage:
 *     ZSV_A_TENANT_MEM: u64          sum of its slices' partitions
 *     ZSV_A_TENANT_SLICES: u64       its slices
 *     ZSV_A_TENANT_COMPUTE: u64      sum of cap_pct x engines
 *     ZSV_A_TENANT_MEM_USED: u64     bytes backing its slices' buffers
 *     ZSV_A_TENANT_BUSY_NS: u64      engine time of its live slices
 *     ZSV_A_TENANT_QUOTA_HITS: u64   admissions refused by its limits
 *
 * Multicast group "monitor" (ZSV_MCGRP_MONITOR): after every change, one
 * message whose command says what happened (ZSV_CMD_DEV_NEW, _DEV_SET,
 * _DEV_DEL, _SLICE_NEW, _SLICE_SET, _SLICE_DEL, _TENANT_NEW, _TENANT_SET,
 * _TENANT_DEL) and whose attributes are
 * the object's full state, as a get would return it (its last state, for
 * a deletion).
 *
 * Every rejected request carries an extended-ack message naming the
 * attribute and the limit that was broken.
 */
#ifndef _UAPI_LINUX_ZSV_H
#define _UAPI_LINUX_ZSV_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define ZSV_GENL_NAME		"zsv"
#define ZSV_GENL_VERSION	1

/* Longest pdev or slice name, without the terminating NUL. */
#define ZSV_NAME_MAX		63

/**
 * enum zsv_policy - how a pdev shares engine time among its slices
 * @ZSV_POLICY_WEIGHTED: busy slices split time by weight; work-conserving
 * @ZSV_POLICY_FIXED: each slice gets weight / sum of all weights, no more
 * @ZSV_POLICY_BEST_EFFORT: round robin among busy slices
 */
enum zsv_policy {
	ZSV_POLICY_WEIGHTED,
	ZSV_POLICY_FIXED,
	ZSV_POLICY_BEST_EFFORT,

	/* private: */
	__ZSV_POLICY_MAX
};

#define ZSV_POLICY_MAX (__ZSV_POLICY_MAX - 1)

/**
 * enum zsv_mem_mode - how a slice's memory partition is carved
 * @ZSV_MEM_MODE_RESERVED: carved out of the pdev at creation
 * @ZSV_MEM_MODE_SHARED: a quota over the pdev's unreserved pool
 */
enum zsv_mem_mode {
	ZSV_MEM_MODE_RESERVED,
	ZSV_MEM_MODE_SHARED,

	/* private: */
	__ZSV_MEM_MODE_MAX
};

#define ZSV_MEM_MODE_MAX (__ZSV_MEM_MODE_MAX - 1)

enum zsv_dev_attrs {
	ZSV_A_DEV_UNSPEC,
	ZSV_A_DEV_PAD,
	ZSV_A_DEV_ID,
	ZSV_A_DEV_NAME,
	ZSV_A_DEV_BACKEND,
	ZSV_A_DEV_MEM_TOTAL,
	ZSV_A_DEV_MEM_RESERVED,
	ZSV_A_DEV_MEM_USED,
	ZSV_A_DEV_ENGINES,
	ZSV_A_DEV_POLICY,
	ZSV_A_DEV_TIMESLICE_NS,
	ZSV_A_DEV_PERIOD_NS,
	ZSV_A_DEV_SLICE_COUNT,
	ZSV_A_DEV_OVERSUB_PCT,
	ZSV_A_DEV_MEM_SHARED,
	ZSV_A_DEV_BUSY_NS,
	ZSV_A_DEV_JOBS_COMPLETED,
	ZSV_A_DEV_HEADROOM_RESERVED,
	ZSV_A_DEV_HEADROOM_SHARED,
	ZSV_A_DEV_HEADROOM_ENGINE_PCT,

	/* private: */
	__ZSV_A_DEV_MAX
};

#define ZSV_A_DEV_MAX (__ZSV_A_DEV_MAX - 1)

enum zsv_slice_attrs {
	ZSV_A_SLICE_UNSPEC,
	ZSV_A_SLICE_PAD,
	ZSV_A_SLICE_ID,
	ZSV_A_SLICE_NAME,
	ZSV_A_SLICE_DEV_ID,
	ZSV_A_SLICE_DEV_NAME,
	ZSV_A_SLICE_MEM_BYTES,
	ZSV_A_SLICE_MEM_MODE,
	ZSV_A_SLICE_WEIGHT,
	ZSV_A_SLICE_CAP_PCT,
	ZSV_A_SLICE_TIMESLICE_NS,
	ZSV_A_SLICE_UID,
	ZSV_A_SLICE_GID,
	ZSV_A_SLICE_NODE_MODE,
	ZSV_A_SLICE_NODE,
	ZSV_A_SLICE_FORCE,
	ZSV_A_SLICE_CONTEXTS,
	ZSV_A_SLICE_MEM_USED,
	ZSV_A_SLICE_MEM_PEAK,
	ZSV_A_SLICE_QUOTA_HITS,
	ZSV_A_SLICE_BUSY_NS,
	ZSV_A_SLICE_JOBS_SUBMITTED,
	ZSV_A_SLICE_JOBS_COMPLETED,
	ZSV_A_SLICE_JOBS_FAILED,
	ZSV_A_SLICE_THROTTLED_NS,
	ZSV_A_SLICE_CTX_SWITCHES,
	ZSV_A_SLICE_SHARE_PROMISED_PPM,
	ZSV_A_SLICE_SHARE_DELIVERED_PPM,
	ZSV_A_SLICE_MEDIATED,
	ZSV_A_SLICE_VFIO_OPEN,
	ZSV_A_SLICE_PLACEMENT,
	ZSV_A_SLICE_BACKEND,
	ZSV_A_SLICE_TENANT,
	ZSV_A_SLICE_GROUP,
	ZSV_A_SLICE_COUNT,
	ZSV_A_SLICE_DISTINCT,

	/* private: */
	__ZSV_A_SLICE_MAX
};

#define ZSV_A_SLICE_MAX (__ZSV_A_SLICE_MAX - 1)

enum zsv_tenant_attrs {
	ZSV_A_TENANT_UNSPEC,
	ZSV_A_TENANT_PAD,
	ZSV_A_TENANT_ID,
	ZSV_A_TENANT_NAME,
	ZSV_A_TENANT_MEM_MAX,
	ZSV_A_TENANT_SLICES_MAX,
	ZSV_A_TENANT_COMPUTE_MAX,
	ZSV_A_TENANT_MEM,
	ZSV_A_TENANT_SLICES,
	ZSV_A_TENANT_COMPUTE,
	ZSV_A_TENANT_MEM_USED,
	ZSV_A_TENANT_BUSY_NS,
	ZSV_A_TENANT_QUOTA_HITS,
	ZSV_A_TENANT_WEIGHT,

	/* private: */
	__ZSV_A_TENANT_MAX
};

#define ZSV_A_TENANT_MAX (__ZSV_A_TENANT_MAX - 1)

enum zsv_cmds {
	ZSV_CMD_UNSPEC,
	ZSV_CMD_DEV_GET,
	ZSV_CMD_DEV_SET,
	ZSV_CMD_DEV_NEW,
	ZSV_CMD_DEV_DEL,
	ZSV_CMD_SLICE_NEW,
	ZSV_CMD_SLICE_SET,
	ZSV_CMD_SLICE_DEL,
	ZSV_CMD_SLICE_GET,
	ZSV_CMD_TENANT_NEW,
	ZSV_CMD_TENANT_SET,
	ZSV_CMD_TENANT_DEL,
	ZSV_CMD_TENANT_GET,
	ZSV_CMD_GROUP_NEW,
	ZSV_CMD_GROUP_DEL,

	/* private: */
	__ZSV_CMD_MAX
};

#define ZSV_CMD_MAX (__ZSV_CMD_MAX - 1)

#define ZSV_MCGRP_MONITOR	"monitor"

/**
 * enum zsv_placement - which pdev slice-new picks when none is named
 * @ZSV_PLACEMENT_SPREAD: the pdev left with the most memory headroom in the
 *	slice's mode, then the most engine headroom, then the lowest id
 * @ZSV_PLACEMENT_BINPACK: the pdev left with the least memory headroom
 *	that still fits, then the least engine headroom, then the lowest id
 */
enum zsv_placement {
	ZSV_PLACEMENT_SPREAD,
	ZSV_PLACEMENT_BINPACK,

	/* private: */
	__ZSV_PLACEMENT_MAX
};

#define ZSV_PLACEMENT_MAX (__ZSV_PLACEMENT_MAX - 1)

/* Slice limits and defaults. */
#define ZSV_WEIGHT_MIN		1
#define ZSV_WEIGHT_MAX		10000
#define ZSV_WEIGHT_DEFAULT	100
#define ZSV_CAP_PCT_MAX		100
#define ZSV_OVERSUB_PCT_MIN	100
#define ZSV_OVERSUB_PCT_MAX	10000
#define ZSV_TIMESLICE_MIN_NS	100000ULL
#define ZSV_TIMESLICE_MAX_NS	1000000000ULL
#define ZSV_PERIOD_MIN_NS	10000000ULL
#define ZSV_PERIOD_MAX_NS	10000000000ULL
#define ZSV_NODE_MODE_DEFAULT	0600

/* Tenant limits: ZSV_LIMIT_NONE in a *-max attribute is "no limit". */
#define ZSV_LIMIT_NONE		0xffffffffffffffffULL
#define ZSV_TENANTS_MAX		4096

/* The most slices one group-new makes. */
#define ZSV_GROUP_MAX		64

/*
 * Data plane: ioctls on /dev/zsv/<slice>.
 * ------------------------------------------------------------------
 *
 * Each open file is a context of the slice. Structs have fixed-size
 * types and explicit padding; they grow only by appending, and the
 * kernel copies as much of a struct as the caller's ioctl number says
 * (the size is part of the number), zero-filling the rest. Unknown
 * commands fail ENOTTY. After the slice is destroyed with force, every
 * call on a context fails ENODEV.
 */
#define ZSV_IOCTL_BASE		'Z'

/**
 * struct zsv_info - the slice's limits and usage (ZSV_IOCTL_INFO)
 * @slice_id: id of the slice
 * @dev_id: id of the pdev it is carved from
 * @mem_bytes: size of the memory partition
 * @mem_used: bytes of it backing live buffers
 * @mem_mode: enum zsv_mem_mode
 * @weight: share of engine time under contention
 * @cap_pct: ceiling on the pdev's engine time per period, percent
 * @engines: engines of the pdev
 * @timeslice_ns: quantum in effect for this slice
 * @period_ns: the pdev's accounting period
 * @name: the slice's name, NUL-terminated
 * @dev_name: the pdev's name, NUL-terminated
 */
struct zsv_info {
	__u32 slice_id;
	__u32 dev_id;
	__u64 mem_bytes;
	__u64 mem_used;
	__u32 mem_mode;
	__u32 weight;
	__u32 cap_pct;
	__u32 engines;
	__u64 timeslice_ns;
	__u64 period_ns;
	char name[ZSV_NAME_MAX + 1];
	char dev_name[ZSV_NAME_MAX + 1];
};

#define ZSV_IOCTL_INFO		_IOR(ZSV_IOCTL_BASE, 0x40, struct zsv_info)

/**
 * struct zsv_status - the slice's status page
 * @seq: even while @info is stable, odd while the kernel rewrites it; 0
 *	once the slice is destroyed (the page then reads as zeroes)
 * @pad: zero
 * @info: what ZSV_IOCTL_INFO returns, kept current by the kernel
 *
 * mmap(NULL, page size, PROT_READ, MAP_SHARED, fd, ZSV_STATUS_OFFSET)
 * maps it read-only, so a tenant can watch its limits and usage without a
 * system call: read @seq, then @info, then @seq again, and retry while the
 * two differ or are odd. Writable mappings fail EPERM.
 */
struct zsv_status {
	__u32 seq;
	__u32 pad;
	struct zsv_info info;
};

#define ZSV_STATUS_OFFSET	0

/*
 * Buffer objects (BOs): device memory of the slice, addressed by a handle
 * that is private to the context that made it (another context, of this
 * slice or any other, cannot name it). A BO's bytes count against the
 * slice's memory partition from creation to destruction; they are backed
 * lazily, on first touch, and read as zeroes until written. Closing the
 * context destroys its BOs.
 *
 * The calls below take their struct as the caller's ioctl number sizes it:
 * a larger struct (from a newer header) is accepted when the bytes past
 * ours are zero, else E2BIG; a smaller one than the first version, or the
 * wrong direction, fails EINVAL. Unknown flags and nonzero padding fail
 * EINVAL, a handle the context does not hold ENOENT.
 */

/* Largest BO, in bytes: 1 TiB. */
#define ZSV_BO_SIZE_MAX		0x10000000000ULL

/**
 * struct zsv_bo_create - make a BO (ZSV_IOCTL_BO_CREATE)
 * @size: in: bytes, 1 to ZSV_BO_SIZE_MAX, rounded up to whole pages
 * @flags: in: 0
 * @handle: out: the BO's handle, nonzero, valid in this context only
 *
 * The rounded size is taken from the slice's partition: past the
 * partition the call fails EDQUOT (counted as a quota hit); for a shared
 * slice, when the pdev's shared pool (its memory less what reserved
 * slices carve) is used up by the BOs of all its shared slices, ENOMEM,
 * even under the slice's own quota.
 */
struct zsv_bo_create {
	__u64 size;
	__u32 flags;
	__u32 handle;
};

/**
 * struct zsv_bo_destroy - destroy a BO (ZSV_IOCTL_BO_DESTROY)
 * @handle: the BO
 * @pad: zero
 *
 * The handle is gone at once and may be given to a later BO, and every
 * mapping of the BO is zapped first: touching one afterwards raises
 * SIGBUS. The BO's bytes go back to the partition (and leave the slice's
 * memory usage) at once, unless a job that names it has not retired yet:
 * that job keeps the BO, and the bytes stay charged, until it retires.
 */
struct zsv_bo_destroy {
	__u32 handle;
	__u32 pad;
};

/**
 * struct zsv_bo_mmap_offset - where to map a BO (ZSV_IOCTL_BO_MMAP_OFFSET)
 * @handle: in: the BO
 * @pad: in: zero
 * @offset: out: the offset to give mmap()
 *
 * mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset + off)
 * maps @len bytes of the BO from byte @off (both multiples of the page
 * size). A range past the BO's end, an offset that names no BO of this
 * context and a copy-on-write (MAP_PRIVATE) mapping of a writable file
 * fail EINVAL, an executable mapping EPERM. The offset of a handle never
 * changes. After the slice is destroyed with force, its BOs' mappings
 * read as zeroes and take writes into a scratch page; the process is not
 * killed.
 */
struct zsv_bo_mmap_offset {
	__u32 handle;
	__u32 pad;
	__u64 offset;
};

#define ZSV_IOCTL_BO_CREATE	 _IOWR(ZSV_IOCTL_BASE, 0x41, struct zsv_bo_create)
#define ZSV_IOCTL_BO_DESTROY	 _IOW(ZSV_IOCTL_BASE, 0x42, struct zsv_bo_destroy)
#define ZSV_IOCTL_BO_MMAP_OFFSET _IOWR(ZSV_IOCTL_BASE, 0x43, struct zsv_bo_mmap_offset)

/*
 * Jobs: a list of commands over the context's BOs, run on one of the
 * pdev's engines when the scheduler gives the slice engine time. SUBMIT
 * checks the whole job before queueing it: any bad command fails the call
 * (EINVAL, or ENOENT for a handle the context does not hold) and nothing
 * of the job runs. A job keeps the BOs it names alive until it retires,
 * even if they are destroyed meanwhile.
 *
 * Each job gets the context's next sequence number, from 1. Jobs may run
 * at once on several engines, but they retire in order: sequence number N
 * retires when jobs 1 to N have all finished, so "completed up to N" is
 * one number. Once WAIT reports N retired, what jobs up to N wrote is
 * visible in the BOs' mappings.
 *
 * A job fails (and its later commands do not run) when the backing of a
 * BO cannot be allocated (ENOMEM), when its context is closed (ECANCELED)
 * or when the slice is destroyed with force (ENODEV). WAIT reports the
 * latest failure.
 */

/**
 * enum zsv_op - what a job command does
 * @ZSV_OP_FILL: write the 32-bit pattern @arg, little-endian, over
 *	@length bytes of @dst from @dst_offset; both multiples of 4
 * @ZSV_OP_COPY: copy @length bytes of @src from @src_offset to @dst at
 *	@dst_offset; the two ranges may not overlap
 * @ZSV_OP_COMPUTE: hold an engine for @arg nanoseconds (1 to
 *	ZSV_COMPUTE_NS_MAX), preemptible at the scheduling quantum, as a
 *	kernel running on the device would; names no BO
 * @ZSV_OP_CHECKSUM: CRC-32 (the one of zlib, gzip and PNG) of @length
 *	bytes of @src from @src_offset, stored as 4 little-endian bytes in
 *	@dst at @dst_offset (a multiple of 4, outside the source range)
 */
enum zsv_op {
	ZSV_OP_FILL = 1,
	ZSV_OP_COPY,
	ZSV_OP_COMPUTE,
	ZSV_OP_CHECKSUM,
};

/**
 * struct zsv_job_cmd - one command of a job
 * @op: enum zsv_op
 * @flags: 0
 * @dst: BO written (FILL, COPY, CHECKSUM); 0 for COMPUTE
 * @src: BO read (COPY, CHECKSUM); 0 otherwise
 * @dst_offset: byte offset into @dst; 0 when @dst is
 * @src_offset: byte offset into @src; 0 when @src is
 * @length: bytes, nonzero, for FILL, COPY and CHECKSUM; 0 for COMPUTE
 * @arg: FILL: the pattern (below 2^32); COMPUTE: nanoseconds; else 0
 *
 * Every range must lie inside its BO. Fields a command does not use must
 * be zero.
 */
struct zsv_job_cmd {
	__u32 op;
	__u32 flags;
	__u32 dst;
	__u32 src;
	__u64 dst_offset;
	__u64 src_offset;
	__u64 length;
	__u64 arg;
};

/* Most commands in one job. */
#define ZSV_JOB_CMDS_MAX	64
/* Longest COMPUTE command: 10 s. */
#define ZSV_COMPUTE_NS_MAX	10000000000ULL
/* Largest @cmd_size SUBMIT takes: one command of a far newer caller. */
#define ZSV_JOB_CMD_SIZE_MAX	4096
/* Most jobs a context may have submitted and not yet retired. */
#define ZSV_JOBS_INFLIGHT_MAX	1024

/**
 * struct zsv_submit - queue a job (ZSV_IOCTL_SUBMIT)
 * @cmds: in: user pointer to @count commands, @cmd_size bytes apart
 * @count: in: 1 to ZSV_JOB_CMDS_MAX
 * @cmd_size: in: sizeof(struct zsv_job_cmd) as the caller knows it; a
 *	larger one must be zero past ours (else E2BIG), a smaller one or
 *	one above ZSV_JOB_CMD_SIZE_MAX fails EINVAL
 * @flags: in: 0
 * @pad: in: 0
 * @seqno: out: the job's sequence number in this context
 *
 * With ZSV_JOBS_INFLIGHT_MAX jobs of the context not yet retired the call
 * fails EAGAIN: wait for some, then submit again.
 */
struct zsv_submit {
	__u64 cmds;
	__u32 count;
	__u32 cmd_size;
	__u32 flags;
	__u32 pad;
	__u64 seqno;
};

/**
 * struct zsv_wait - wait for jobs to retire (ZSV_IOCTL_WAIT)
 * @seqno: in: wait until the job with this sequence number has retired;
 *	0 asks without waiting; past the last submitted job fails EINVAL
 * @timeout_ns: in: absolute CLOCK_MONOTONIC time to give up at; a time
 *	already past only asks
 * @flags: in: 0
 * @pad: in: 0
 * @completed_seqno: out: every job up to this one has retired
 * @error_seqno: out: the latest job of the context that failed, or 0
 * @error: out: the errno it failed with (positive), or 0
 * @pad2: out: 0
 *
 * Returns 0 once @seqno has retired, fails ETIME when @timeout_ns passes
 * first and EINTR when a signal arrives (the call is restarted after a
 * handler installed with SA_RESTART, with the same deadline). The output
 * fields are filled in on success and on ETIME; ETIME comes only with a
 * @completed_seqno below @seqno.
 *
 * poll() on the context reports EPOLLIN when jobs have retired beyond the
 * @completed_seqno that WAIT last returned to it, and EPOLLERR | EPOLLHUP
 * once the slice is destroyed.
 */
struct zsv_wait {
	__u64 seqno;
	__s64 timeout_ns;
	__u32 flags;
	__u32 pad;
	__u64 completed_seqno;
	__u64 error_seqno;
	__s32 error;
	__u32 pad2;
};

#define ZSV_IOCTL_SUBMIT	_IOWR(ZSV_IOCTL_BASE, 0x44, struct zsv_submit)
#define ZSV_IOCTL_WAIT		_IOWR(ZSV_IOCTL_BASE, 0x45, struct zsv_wait)

/*
 * The virtual PCI accelerator of zsv_mdev: what a VM sees of a slice that
 * is a mediated device. Documentation/vfio.rst is its data sheet.
 *
 * PCI identity. The vendor ID is not one the PCI-SIG assigned: the device
 * exists only in software, behind VFIO, and no real function carries it.
 */
#define ZSV_PCI_VENDOR_ID	0x5a53	/* "ZS" */
#define ZSV_PCI_DEVICE_ID	0x0001
#define ZSV_PCI_SUBSYS_VENDOR_ID ZSV_PCI_VENDOR_ID
#define ZSV_PCI_SUBSYS_ID	0x0001
#define ZSV_PCI_REVISION	0x01
#define ZSV_PCI_CLASS		0x120000	/* processing accelerator */

/* BAR0: registers and the submission ring, 8 KiB of 32-bit MMIO. */
#define ZSV_BAR0_SIZE		0x2000
/* BAR2: the slice's memory partition, 64-bit prefetchable, a power of two. */
#define ZSV_BAR2_SIZE_MIN	0x1000

/*
 * BAR0 registers. Every register is accessed at its own offset with its
 * own width (4 bytes; 8 for the 64-bit ones, or as two 4-byte halves, low
 * first); other accesses read as zero and writes to them are ignored.
 */
#define ZSV_REG_ID		0x000	/* RO u32: ZSV_DEV_MAGIC */
#define ZSV_REG_VERSION		0x004	/* RO u32: ZSV_DEV_VERSION */
#define ZSV_REG_ENGINES		0x008	/* RO u32: engines of the pdev */
#define ZSV_REG_MEM_SIZE	0x010	/* RO u64: usable bytes of BAR2 */
#define ZSV_REG_WEIGHT		0x018	/* RO u32: the slice's weight */
#define ZSV_REG_CAP_PCT		0x01c	/* RO u32: its cap, percent */
#define ZSV_REG_TIMESLICE_NS	0x020	/* RO u64: its quantum, 0: pdev's */
#define ZSV_REG_RING_SIZE	0x040	/* RO u32: entries, ZSV_RING_ENTRIES */
#define ZSV_REG_RING_HEAD	0x044	/* RO u32: entries taken, mod 2^32 */
#define ZSV_REG_RING_TAIL	0x048	/* RW u32: entries given (doorbell) */
#define ZSV_REG_RING_DONE	0x04c	/* RO u32: entries completed */
#define ZSV_REG_RING_ERROR	0x050	/* RO u32: errno of the last failure */
#define ZSV_REG_RING_ERRORS	0x054	/* RO u32: entries failed, in all */
#define ZSV_REG_IRQ_STATUS	0x060	/* RW1C u32: ZSV_IRQ_* raised */
#define ZSV_REG_IRQ_MASK	0x064	/* RW u32: ZSV_IRQ_* not signalled */
#define ZSV_REG_CONTROL		0x068	/* WO u32: ZSV_CONTROL_* */

#define ZSV_DEV_MAGIC		0x3056535a	/* "ZSV0", little endian */
#define ZSV_DEV_VERSION		0x00010000	/* major << 16 | minor */

#define ZSV_IRQ_DONE		0x1	/* entries completed */
#define ZSV_IRQ_ERROR		0x2	/* an entry failed */

#define ZSV_CONTROL_RESET	0x1	/* as VFIO_DEVICE_RESET */

/*
 * The ring: ZSV_RING_ENTRIES entries of struct zsv_ring_entry from
 * ZSV_RING_OFFSET in BAR0. The driver writes entry TAIL % ENTRIES, then
 * TAIL + 1 to ZSV_REG_RING_TAIL; the device takes entries in order (HEAD)
 * and completes them in order (DONE), raising ZSV_IRQ_DONE. Like the jobs
 * of a /dev/zsv context, entries may run at once on several engines; an
 * entry with ZSV_RING_FLAG_FENCE (and every DMA entry) starts only once
 * every earlier entry has completed. At most
 * ZSV_RING_ENTRIES entries are given and not completed; a TAIL past that,
 * or behind the current TAIL, is ignored and raises ZSV_IRQ_ERROR with
 * EINVAL.
 */
#define ZSV_RING_OFFSET		0x1000
#define ZSV_RING_ENTRIES	64

/* Ops of a ring entry: the data plane's, plus DMA with guest memory. */
#define ZSV_RING_OP_FILL	1	/* as ZSV_OP_FILL, offsets in BAR2 */
#define ZSV_RING_OP_COPY	2	/* as ZSV_OP_COPY */
#define ZSV_RING_OP_COMPUTE	3	/* as ZSV_OP_COMPUTE */
#define ZSV_RING_OP_CHECKSUM	4	/* as ZSV_OP_CHECKSUM */
#define ZSV_RING_OP_DMA_READ	5	/* guest IOVA @src -> BAR2 @dst */
#define ZSV_RING_OP_DMA_WRITE	6	/* BAR2 @src -> guest IOVA @dst */

/* Flags of a ring entry. */
#define ZSV_RING_FLAG_FENCE	0x1	/* wait for every earlier entry */

/**
 * struct zsv_ring_entry - one entry of the virtual device's ring
 * @op: ZSV_RING_OP_*
 * @flags: ZSV_RING_FLAG_*
 * @dst: BAR2 offset written, or guest IOVA for ZSV_RING_OP_DMA_WRITE
 * @src: BAR2 offset read, or guest IOVA for ZSV_RING_OP_DMA_READ
 * @length: bytes (FILL, COPY, CHECKSUM, DMA); 0 for COMPUTE
 * @arg: FILL pattern, COMPUTE nanoseconds; else 0
 * @status: written by the device on completion: 0, or a positive errno
 * @pad: 0
 * @reserved: 0
 *
 * DMA entries run once every earlier entry has completed, and move at
 * most ZSV_RING_DMA_MAX bytes. Ranges in BAR2 must lie inside the
 * partition (ZSV_REG_MEM_SIZE).
 */
struct zsv_ring_entry {
	__u32 op;
	__u32 flags;
	__u64 dst;
	__u64 src;
	__u64 length;
	__u64 arg;
	__u32 status;
	__u32 pad;
	__u64 reserved[2];
};

#define ZSV_RING_DMA_MAX	0x100000	/* 1 MiB */

/*
 * The ring in memory. BAR0's ring page, [ZSV_RING_OFFSET, ZSV_RING_OFFSET +
 * 4096), is plain memory that a VFIO user may mmap (a sparse mmap area of
 * the BAR0 region), so that a guest's writes of entries reach it without
 * a trap; the registers stay trapped.
 *
 * ZSV_REG_FEATURES says what the device has (ZSV_FEATURE_*). A device
 * older than it reads 0 there, as at any unused register offset.
 *
 * ZSV_RING_FLAG_DONE in an entry's @flags is written by the device, never
 * by the driver: when the entry completes, the device writes @status and
 * then @flags, as it took them with ZSV_RING_FLAG_DONE added. A driver
 * writes each entry with the flag clear, and on seeing it set (then a
 * read barrier) reads @status: the entry has completed, and DONE has
 * passed it. The device ignores the flag in the entries it takes, so a
 * stale one left in a reused slot is neither refused nor acted on.
 */
#define ZSV_REG_FEATURES	0x00c	/* RO u32: ZSV_FEATURE_* */

#define ZSV_FEATURE_DONE_FLAG	0x1	/* sets ZSV_RING_FLAG_DONE */

#define ZSV_RING_FLAG_DONE	0x80000000	/* device-written: completed */

#endif /* _UAPI_LINUX_ZSV_H */
