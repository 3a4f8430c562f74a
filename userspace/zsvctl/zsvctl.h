/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * zsvctl: what every object's file (dev.c, slice.c, ...) shares.
 *
 * Each object is a table of commands {name, function, help}; a word on
 * the command line selects the command it names exactly or, failing
 * that, the first one in table order that it is a prefix of, as
 * iproute2 does.  So new commands are appended to a table, never
 * inserted, and existing abbreviations keep their meaning.
 */
#ifndef ZSVCTL_H
#define ZSVCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json_object.h>

#include "libzsv.h"

/* Exit status: the contract with scripts, documented in zsvctl(8). */
enum {
	ZSVCTL_EXIT_OK = 0,
	ZSVCTL_EXIT_FAIL = 1, /* the kernel or the system refused */
	ZSVCTL_EXIT_USAGE = 2, /* the command line is wrong */
};

struct zsvctl {
	bool json;
	bool pretty;
	struct zsv_handle *zh; /* opened by zsvctl_connect() */
};

/**
 * struct zsvctl_cmd - one word of the grammar
 * @name: the word
 * @fn: runs it with the words that follow; returns an exit status
 * @usage: prints its usage, for objects; NULL for commands
 * @help: one line for the help text
 */
struct zsvctl_cmd {
	const char *name;
	int (*fn)(struct zsvctl *ctl, int argc, char **argv);
	void (*usage)(FILE *f);
	const char *help;
};

/* Look @word up in a table ended by an entry whose name is NULL. */
const struct zsvctl_cmd *zsvctl_cmd_find(const struct zsvctl_cmd *cmds,
					 const char *word);

/* Print "  name   help" for each entry of a table. */
void zsvctl_cmds_print(FILE *f, const struct zsvctl_cmd *cmds);

/*
 * Run the command that argv[0] names in @cmds with the words after it,
 * or @default_cmd when there is none.  @usage is the object's.
 */
int zsvctl_dispatch(struct zsvctl *ctl, const struct zsvctl_cmd *cmds,
		    const char *default_cmd, void (*usage)(FILE *f), int argc,
		    char **argv);

/*
 * "zsvctl: <message>" and the usage on stderr; returns
 * ZSVCTL_EXIT_USAGE.
 */
int zsvctl_usage_error(void (*usage)(FILE *f), const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * "zsvctl: <what failed>: <the kernel's message or strerror>" on
 * stderr; returns ZSVCTL_EXIT_FAIL.  @err is what libzsv returned.
 */
int zsvctl_fail(struct zsvctl *ctl, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Open ctl->zh, or say why not; returns an exit status. */
int zsvctl_connect(struct zsvctl *ctl);

/*
 * Print @obj (NULL when building it ran out of memory) as JSON on
 * stdout, as -p asks, and drop it; returns an exit status.
 */
int zsvctl_json_print(struct zsvctl *ctl, struct json_object *obj);

/*
 * Say "zsvctl: warning: <message>" on stderr: something beside the
 * command failed, and the command's exit status does not change.
 */
void zsvctl_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Changes need CAP_NET_ADMIN.  zsvctl_need_admin() checks the effective
 * set before anything is asked of the kernel and, when it lacks it, says
 * "zsvctl: <doing> needs CAP_NET_ADMIN (run as root)"; @doing is "creating
 * a slice" and the like.  Returns an exit status.  zsvctl_no_admin() says
 * the same when the kernel refused with EPERM.
 */
int zsvctl_need_admin(const char *doing);
int zsvctl_connect_admin(struct zsvctl *ctl, const char *doing);
int zsvctl_no_admin(const char *doing);

/*
 * JSON members: @key is @val, or null when @present is false.  False
 * when out of memory (@obj is then unchanged or lacks only this key).
 */
/*
 * Replace @path with the @len bytes of @text atomically: a hidden
 * temporary file in the same directory (mode 0644), synced, then
 * rename(2)d over @path, so that a reader sees the old file or the new
 * one, never part of one, and no temporary file is left on failure.
 * 0 or a negated errno.
 */
int zsvctl_replace_file(const char *path, const char *text, size_t len);

bool zsvctl_json_add_u64(struct json_object *obj, const char *key, bool present,
			 uint64_t val);
bool zsvctl_json_add_str(struct json_object *obj, const char *key, bool present,
			 const char *val);

/*
 * Durations for people: one decimal, truncated toward zero, in the
 * largest of ns, us, ms, s that leaves at least 1, below a minute
 * ("812ns", "1.5ms", "59.9s"); then minutes and seconds ("12m05s"),
 * hours and minutes ("3h07m"), days and hours ("2d04h").  Returns 0 or
 * -ENOSPC when @len is too small.
 */
int zsvctl_format_duration_human(uint64_t ns, char *buf, size_t len);

/*
 * A share in millionths as a percent with one decimal, rounded to the
 * nearest: 250000 is "25.0%", 333333 "33.3%".  0 or -ENOSPC.
 */
int zsvctl_format_ppm_pct(uint32_t ppm, char *buf, size_t len);

/* Objects */
int dev_main(struct zsvctl *ctl, int argc, char **argv);
void dev_usage(FILE *f);
int slice_main(struct zsvctl *ctl, int argc, char **argv);
void slice_usage(FILE *f);
int monitor_main(struct zsvctl *ctl, int argc, char **argv);
void monitor_usage(FILE *f);
int cdi_main(struct zsvctl *ctl, int argc, char **argv);
void cdi_usage(FILE *f);
int save_main(struct zsvctl *ctl, int argc, char **argv);
void save_usage(FILE *f);
int apply_main(struct zsvctl *ctl, int argc, char **argv);
void apply_usage(FILE *f);
int assert_main(struct zsvctl *ctl, int argc, char **argv);
void assert_usage(FILE *f);
int stats_main(struct zsvctl *ctl, int argc, char **argv);
void stats_usage(FILE *f);
int top_main(struct zsvctl *ctl, int argc, char **argv);
void top_usage(FILE *f);
int tenant_main(struct zsvctl *ctl, int argc, char **argv);
void tenant_usage(FILE *f);
int group_main(struct zsvctl *ctl, int argc, char **argv);
void group_usage(FILE *f);

/* What objects share with "monitor". */

/* One device or slice as JSON, as "show -j" prints it; NULL on ENOMEM. */
struct json_object *dev_to_json(const struct zsv_dev_info *dev);
struct json_object *slice_to_json(const struct zsv_slice_info *slice);
struct json_object *tenant_to_json(const struct zsv_tenant_info *tenant);

/*
 * The table of "tenant show": a row per tenant, in the order given.
 * 0 or -ENOMEM.
 */
int tenant_print_table(FILE *f, struct zsv_tenant_info *const *tenants,
		       size_t count);

/*
 * Whether a slice is a VFIO mediated device, for people: "-" (it is
 * not), "yes" (it is, and no VFIO user has it open) or "open" (a VFIO
 * user, a VM, holds it).  The MDEV column and the mdev: field.
 */
const char *slice_mdev_str(const struct zsv_slice_info *slice);

/*
 * Is @slice in a tenant, was it made in a group (zsvctl group create)?
 * Its @tenant, its @group say which.
 */
bool slice_has_tenant(const struct zsv_slice_info *slice);
bool slice_has_group(const struct zsv_slice_info *slice);

/*
 * Slices as "slice list" prints them: a table, or with -j an array of
 * slice_to_json() objects, in the order given.  Returns an exit status.
 */
int slice_list_print(struct zsvctl *ctl, struct zsv_slice_info *const *slices,
		     size_t count);

/*
 * $ZSV_SYSFS_ROOT, or "/sys": where zsvctl reads sysfs (the mdev types
 * of "dev show", /sys/module/zsv), so that tests can point it at a fake
 * tree.
 */
#define ZSVCTL_SYSFS_ROOT_ENV "ZSV_SYSFS_ROOT"
const char *zsvctl_sysfs_root(void);

/*
 * One device or slice on one line, after "dev ACTION " or "slice ACTION "
 * in the monitor's output: "zsv0 id 0 backend sim mem 16G ...".
 */
void dev_print_line(FILE *f, const struct zsv_dev_info *dev);
void slice_print_line(FILE *f, const struct zsv_slice_info *slice);

/*
 * A tenant after "tenant ACTION ": its limits as "tenant add" takes them,
 * then "usage" and its usage: "acme id 0 mem 64G slices 4 compute 400%
 * usage mem 4G slices 1 compute 100%".
 */
void tenant_print_line(FILE *f, const struct zsv_tenant_info *tenant);

/*
 * Rewrite the CDI spec at CDI_SPEC_PATH (cdi.h) from the slices there
 * are now, when that file exists; problems are warnings.
 */
void cdi_refresh(struct zsvctl *ctl);

#endif /* ZSVCTL_H */
