// SPDX-License-Identifier: GPL-2.0-only
/*
 * The grammar, error reporting and output helpers every object uses.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json_object.h>
#include <sys/capability.h>

#include "zsvctl.h"

/*
 * Longest "what failed" part of an error.  Each error is formatted first
 * and written with one call, so that stderr (unbuffered) gets it in one
 * write and it is not torn apart by other output.
 */
#define ZSVCTL_MSG_MAX 512

const struct zsvctl_cmd *zsvctl_cmd_find(const struct zsvctl_cmd *cmds,
					 const char *word)
{
	const struct zsvctl_cmd *cmd;
	size_t len = strlen(word);

	if (!len)
		return NULL;
	for (cmd = cmds; cmd->name; cmd++)
		if (!strcmp(cmd->name, word))
			return cmd;
	for (cmd = cmds; cmd->name; cmd++)
		if (!strncmp(cmd->name, word, len))
			return cmd;
	return NULL;
}

void zsvctl_cmds_print(FILE *f, const struct zsvctl_cmd *cmds)
{
	const struct zsvctl_cmd *cmd;

	for (cmd = cmds; cmd->name; cmd++)
		fprintf(f, "  %-10s %s\n", cmd->name, cmd->help);
}

int zsvctl_dispatch(struct zsvctl *ctl, const struct zsvctl_cmd *cmds,
		    const char *default_cmd, void (*usage)(FILE *f), int argc,
		    char **argv)
{
	const struct zsvctl_cmd *cmd;

	if (!argc)
		cmd = zsvctl_cmd_find(cmds, default_cmd);
	else
		cmd = zsvctl_cmd_find(cmds, argv[0]);
	if (!cmd)
		return zsvctl_usage_error(usage, "unknown command '%s'",
					  argv[0]);
	if (argc) {
		argc--;
		argv++;
	}
	return cmd->fn(ctl, argc, argv);
}

int zsvctl_usage_error(void (*usage)(FILE *f), const char *fmt, ...)
{
	char what[ZSVCTL_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	fprintf(stderr, "zsvctl: %s\n\n", what);
	usage(stderr);
	return ZSVCTL_EXIT_USAGE;
}

int zsvctl_fail(struct zsvctl *ctl, int err, const char *fmt, ...)
{
	char what[ZSVCTL_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	fprintf(stderr, "zsvctl: %s: %s\n", what, zsv_error(ctl->zh, err));
	return ZSVCTL_EXIT_FAIL;
}

const char *zsvctl_sysfs_root(void)
{
	/* secure_getenv: a setcap'd zsvctl reads the real sysfs. */
	const char *root = secure_getenv(ZSVCTL_SYSFS_ROOT_ENV);

	return root && *root ? root : "/sys";
}

/* Is the zsv module loaded, though its family did not answer? */
static bool zsv_module_loaded(void)
{
	char path[ZSVCTL_MSG_MAX];

	snprintf(path, sizeof(path), "%s/module/zsv", zsvctl_sysfs_root());
	return !access(path, F_OK);
}

int zsvctl_connect(struct zsvctl *ctl)
{
	int err;

	if (ctl->zh)
		return ZSVCTL_EXIT_OK;
	err = zsv_open(&ctl->zh);
	if (err == -ZSV_ENOTLOADED && zsv_module_loaded()) {
		/* Loaded, but the family lives in the initial netns only. */
		fputs("zsvctl: the zsv module is loaded but its control plane is only reachable from the host's initial network namespace\n",
		      stderr);
		return ZSVCTL_EXIT_FAIL;
	}
	if (err == -ZSV_ENOTLOADED) {
		fputs("zsvctl: the zsv kernel module is not loaded; load it with 'modprobe zsv_sim' (which loads zsv)\n",
		      stderr);
		return ZSVCTL_EXIT_FAIL;
	}
	if (err)
		return zsvctl_fail(ctl, err,
				   "cannot reach the zsv netlink family");
	return ZSVCTL_EXIT_OK;
}

/* The prologue of every mutation: the capability check, then the socket. */
int zsvctl_connect_admin(struct zsvctl *ctl, const char *doing)
{
	int ret = zsvctl_need_admin(doing);

	return ret ? ret : zsvctl_connect(ctl);
}

int zsvctl_json_print(struct zsvctl *ctl, struct json_object *obj)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;
	const char *text;

	if (!obj)
		return zsvctl_fail(ctl, -ENOMEM,
				   "cannot build the JSON output");
	flags |= ctl->pretty ?
			 JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			 JSON_C_TO_STRING_PLAIN;
	text = json_object_to_json_string_ext(obj, flags);
	if (text)
		puts(text);
	json_object_put(obj);
	if (!text)
		return zsvctl_fail(ctl, -ENOMEM,
				   "cannot build the JSON output");
	return ZSVCTL_EXIT_OK;
}

void zsvctl_warn(const char *fmt, ...)
{
	char what[ZSVCTL_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	fprintf(stderr, "zsvctl: warning: %s\n", what);
}

int zsvctl_no_admin(const char *doing)
{
	fprintf(stderr, "zsvctl: %s needs CAP_NET_ADMIN (run as root)\n",
		doing);
	return ZSVCTL_EXIT_FAIL;
}

int zsvctl_need_admin(const char *doing)
{
	cap_flag_value_t value = CAP_CLEAR;
	cap_t caps;
	int err;

	caps = cap_get_proc();
	if (!caps)
		return ZSVCTL_EXIT_OK; /* cannot tell: the kernel will */
	err = cap_get_flag(caps, CAP_NET_ADMIN, CAP_EFFECTIVE, &value);
	cap_free(caps);
	if (!err && value != CAP_SET)
		return zsvctl_no_admin(doing);
	return ZSVCTL_EXIT_OK;
}

bool zsvctl_json_add_u64(struct json_object *obj, const char *key, bool present,
			 uint64_t val)
{
	struct json_object *v = NULL;

	if (present) {
		v = json_object_new_uint64(val);
		if (!v)
			return false;
	}
	if (json_object_object_add(obj, key, v)) {
		json_object_put(v);
		return false;
	}
	return true;
}

bool zsvctl_json_add_str(struct json_object *obj, const char *key, bool present,
			 const char *val)
{
	struct json_object *v = NULL;

	if (present) {
		v = json_object_new_string(val);
		if (!v)
			return false;
	}
	if (json_object_object_add(obj, key, v)) {
		json_object_put(v);
		return false;
	}
	return true;
}

/* snprintf into @buf; -ENOSPC when it did not fit. */
static int format_fits(int n, size_t len)
{
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

int zsvctl_format_duration_human(uint64_t ns, char *buf, size_t len)
{
	static const struct {
		uint64_t ns;
		const char *unit;
	} units[] = {
		{ 1000000000ULL, "s" },
		{ 1000000ULL, "ms" },
		{ 1000ULL, "us" },
	};
	const uint64_t sec = 1000000000, min = 60 * sec, hour = 60 * min;
	const uint64_t day = 24 * hour;
	size_t i;

	if (ns >= day)
		return format_fits(snprintf(buf, len,
					    "%" PRIu64 "d%02" PRIu64 "h",
					    ns / day, ns % day / hour),
				   len);
	if (ns >= hour)
		return format_fits(snprintf(buf, len,
					    "%" PRIu64 "h%02" PRIu64 "m",
					    ns / hour, ns % hour / min),
				   len);
	if (ns >= min)
		return format_fits(snprintf(buf, len,
					    "%" PRIu64 "m%02" PRIu64 "s",
					    ns / min, ns % min / sec),
				   len);
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		uint64_t whole = ns / units[i].ns;
		uint64_t tenth = ns % units[i].ns / (units[i].ns / 10);

		if (!whole)
			continue;
		if (tenth)
			return format_fits(
				snprintf(buf, len, "%" PRIu64 ".%" PRIu64 "%s",
					 whole, tenth, units[i].unit),
				len);
		return format_fits(snprintf(buf, len, "%" PRIu64 "%s", whole,
					    units[i].unit),
				   len);
	}
	return format_fits(snprintf(buf, len, "%" PRIu64 "ns", ns), len);
}

int zsvctl_format_ppm_pct(uint32_t ppm, char *buf, size_t len)
{
	/* Tenths of a percent are thousands of ppm. */
	uint64_t tenths = ((uint64_t)ppm + 500) / 1000;

	return format_fits(snprintf(buf, len, "%" PRIu64 ".%" PRIu64 "%%",
				    tenths / 10, tenths % 10),
			   len);
}

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int zsvctl_replace_file(const char *path, const char *text, size_t len)
{
	char *dir_copy = NULL, *base_copy = NULL, *tmp = NULL;
	const char *dir, *base;
	int fd = -1, dir_fd, err;

	dir_copy = strdup(path);
	base_copy = strdup(path);
	if (!dir_copy || !base_copy) {
		err = -ENOMEM;
		goto out;
	}
	dir = dirname(dir_copy);
	base = basename(base_copy);
	/*
	 * A dot name with a suffix: the CDI runtimes and node_exporter, which
	 * scan the directory for *.json and *.prom, skip it.
	 */
	if (asprintf(&tmp, "%s/.%s.XXXXXX", dir, base) < 0) {
		tmp = NULL;
		err = -ENOMEM;
		goto out;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	err = 0;
	if (fchmod(fd, 0644) < 0 || (err = write_all(fd, text, len)) ||
	    fsync(fd) < 0) {
		err = err ? err : -errno;
		goto err_unlink;
	}
	if (close(fd) < 0) {
		fd = -1;
		err = -errno;
		goto err_unlink;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		err = -errno;
		goto err_unlink;
	}
	/* Make the rename durable too; a failure here loses nothing yet. */
	dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd >= 0) {
		fsync(dir_fd);
		close(dir_fd);
	}
	err = 0;
	goto out;

err_unlink:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
out:
	free(tmp);
	free(dir_copy);
	free(base_copy);
	return err;
}
