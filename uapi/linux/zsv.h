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
 *
 * Every rejected request carries an extended-ack message naming the
 * attribute and the limit that was broken.
 */
#ifndef _UAPI_LINUX_ZSV_H
#define _UAPI_LINUX_ZSV_H

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

	/* private: */
	__ZSV_A_DEV_MAX
};

#define ZSV_A_DEV_MAX (__ZSV_A_DEV_MAX - 1)

enum zsv_cmds {
	ZSV_CMD_UNSPEC,
	ZSV_CMD_DEV_GET,

	/* private: */
	__ZSV_CMD_MAX
};

#define ZSV_CMD_MAX (__ZSV_CMD_MAX - 1)

#endif /* _UAPI_LINUX_ZSV_H */
