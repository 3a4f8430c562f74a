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
 *  - Structures handed out by the library (struct zsv_dev_info) are
 *    allocated by the library and freed with the matching _free()
 *    function.  New members are only ever appended, so never embed
 *    them, copy them by value or use their sizeof.
 *
 *  - A handle is one netlink socket: use it from one thread at a time.
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

/* ------------------------------------------------------------------ */
/* Scheduling policies */

/* "weighted", "fixed", "best-effort"; NULL for a value unknown here. */
const char *zsv_policy_name(uint32_t policy);

/* Exact name to value; -EINVAL for anything else. */
int zsv_policy_parse(const char *str, enum zsv_policy *policy);

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

/* Plain decimal numbers: "0", "200".  No sign, no base prefix. */
int zsv_parse_u64(const char *str, uint64_t *val);
int zsv_parse_u32(const char *str, uint32_t *val);

#ifdef __cplusplus
}
#endif

#endif /* LIBZSV_H */
