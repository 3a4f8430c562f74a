/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Container Device Interface (CDI) specs for slices: one device per
 * slice, named after it, that puts the slice's node and its limits (as
 * environment variables) into a container.  "podman run --device
 * zsv.io/slice=team-a" then gives a container exactly that slice.  And
 * one device per group (zsvctl group), named after the group, that puts
 * the nodes of all its slices into a container: "--device
 * zsv.io/slice=job" gives it job-0, job-1, ...
 *
 * The builder and the checks are pure functions (tests/unit tests them);
 * the writer replaces a file atomically.
 */
#ifndef ZSVCTL_CDI_H
#define ZSVCTL_CDI_H

#include <stdbool.h>
#include <limits.h>
#include <stddef.h>

#include <json-c/json_object.h>

#include "libzsv.h"

/*
 * The CDI version the spec declares: the lowest that carries everything
 * zsv writes, so that every runtime that reads CDI at all reads it
 * (runtimes refuse versions newer than they know: podman 4.3's library
 * takes 0.1.0 to 0.5.0, and unknown fields).  Device nodes and
 * environment go back to 0.3.0; slice names may begin with a digit,
 * which CDI device names may only from 0.5.0.  Raise it only when the
 * spec starts using a field of a later version, and say which here.
 */
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
 * Does the group @group get a device in the spec of @slices?  Not when
 * CDI refuses its name, nor when a slice has that name (a group's name
 * is only kept apart from other groups').
 */
bool cdi_group_ok(const char *group, struct zsv_slice_info *const *slices,
		  size_t count);

/*
 * The spec for @count slices and their groups, devices sorted by name,
 * leaving out the slices whose names CDI refuses (cdi_device_name_ok())
 * and the groups cdi_group_ok() refuses; NULL when out of memory.  @devs (@dev_count of them, NULL when 0) are the pdevs the
 * slices are carved from: a slice's engines and its pdev's timeslice
 * come from there (the variables are left out for a slice whose pdev is
 * not among them).
 */
struct json_object *cdi_spec_build(const char *vendor,
				   struct zsv_slice_info *const *slices,
				   size_t count,
				   struct zsv_dev_info *const *devs,
				   size_t dev_count);

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

struct zsvctl;

/* Room for what cdi_spec_update() says failed, a path included. */
#define CDI_WHAT_MAX (PATH_MAX + 32)
#define CDI_WHAT_LIST "cannot list slices"

/*
 * The vendor to use: @arg (already checked) when not NULL, else
 * $ZSV_CDI_VENDOR when set and not empty, else CDI_VENDOR_DEFAULT.
 * 0, or a usage error's exit status (said) when $ZSV_CDI_VENDOR is
 * invalid.
 */
int cdi_vendor_pick(const char *arg, const char **vendor);

/*
 * Dump the pdevs and slices and replace @path with their spec, under an
 * exclusive flock(2) of @path's directory, so that writers (zsvctl's
 * slice commands, "cdi generate -o", "cdi watch") never put an older
 * dump over a newer one.  When @unchanged is not NULL, the file is
 * left alone when it already holds that spec, and *@unchanged says so.
 * 0 or a negated errno; then @what (@what_len bytes) says which step
 * failed: CDI_WHAT_LIST (ctl->zh has the kernel's message) or "cannot
 * write '<path>'".
 */
int cdi_spec_update(struct zsvctl *ctl, const char *path, const char *vendor,
		    bool *unchanged, char *what, size_t what_len);

/* zsvctl cdi watch (cdi_watch.c). */
int cdi_watch_main(struct zsvctl *ctl, int argc, char **argv);

#endif /* ZSVCTL_CDI_H */
