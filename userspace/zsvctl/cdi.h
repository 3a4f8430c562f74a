/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Container Device Interface (CDI) specs for slices: one device per
 * slice, named after it, that puts the slice's node and its limits (as
 * environment variables) into a container.  "podman run --device
 * zsv.io/slice=team-a" then gives a container exactly that slice.
 *
 * The builder and the checks are pure functions (tests/unit tests them);
 * the writer replaces a file atomically.
 */
#ifndef ZSVCTL_CDI_H
#define ZSVCTL_CDI_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json_object.h>

#include "libzsv.h"

#define CDI_VERSION "0.5.0"
#define CDI_CLASS "slice"
#define CDI_VENDOR_DEFAULT "zsv.io"
#define CDI_VENDOR_ENV "ZSV_CDI_VENDOR"
/* The spec that slice create, set and destroy keep current, if it exists. */
#define CDI_SPEC_DIR "/var/run/cdi"
#define CDI_SPEC_PATH CDI_SPEC_DIR "/zsv.json"
/* Longest vendor taken from an existing spec. */
#define CDI_VENDOR_MAX 255

#define CDI_VENDOR_RULE \
	"a CDI vendor starts with a letter, ends with a letter or a digit, and has only letters, digits, '_', '.' and '-' between"

/* Is @vendor a valid CDI vendor?  0 or -EINVAL. */
int cdi_vendor_check(const char *vendor);

/* Can @name be a CDI device name?  Slice names ending in '_', '.' or '-' cannot. */
bool cdi_device_name_ok(const char *name);

/*
 * The spec for @count slices, devices sorted by name, leaving out the
 * slices whose names CDI refuses (cdi_device_name_ok()); NULL when out
 * of memory.
 */
struct json_object *cdi_spec_build(const char *vendor,
				   struct zsv_slice_info *const *slices,
				   size_t count);

/*
 * The vendor of the spec @text, from its "kind" ("VENDOR/slice"), into
 * @vendor.  0, or -EINVAL when @text is no JSON object with a valid
 * kind of class "slice".
 */
int cdi_spec_vendor(const char *text, char *vendor, size_t len);

/* The text of @spec (no final newline), freed with @spec; NULL on ENOMEM. */
const char *cdi_spec_text(struct json_object *spec);

/*
 * Replace @path with @text and a newline, atomically: a temporary file
 * in the same directory, synced, then rename(2)d over @path, so that a
 * container runtime reading the directory sees the old spec or the new
 * one, never part of one.  0 or a negated errno.
 */
int cdi_spec_write(const char *path, const char *text);

#endif /* ZSVCTL_CDI_H */
