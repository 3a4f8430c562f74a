// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsvctl cdi: Container Device Interface specs for slices.
 *
 *   zsvctl cdi [generate] [-o FILE] [vendor PREFIX]
 *   zsvctl cdi watch [-o FILE] [vendor PREFIX]       (cdi_watch.c)
 *
 * The spec (https://github.com/cncf-tags/container-device-interface,
 * version CDI_VERSION: see cdi.h for why that one) has kind
 * "VENDOR/slice" and one device per slice:
 *
 *   { "name": "team-a",
 *     "containerEdits": {
 *       "deviceNodes": [ { "path": "/dev/zsv/team-a" } ],
 *       "env": [ "ZSV_SLICE=team-a", "ZSV_SLICE_DEV=zsv0", ... ] } }
 *
 * and one device per group (zsvctl group), named after the group, with
 * the nodes of all its slices:
 *
 *   { "name": "job",
 *     "containerEdits": {
 *       "deviceNodes": [ { "path": "/dev/zsv/job-0" },
 *                        { "path": "/dev/zsv/job-1" } ],
 *       "env": [ "ZSV_GROUP=job", "ZSV_GROUP_SLICES=job-0,job-1", ... ] } }
 *
 * Documentation/containers.rst says what each variable means.  "cdi
 * watch" keeps a spec current whoever changes a slice; cdi_refresh()
 * also rewrites CDI_SPEC_PATH after zsvctl's own slice commands, when
 * it exists.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json_object.h>
#include <json-c/json_tokener.h>

#include "args.h"
#include "cdi.h"
#include "group.h"
#include "zsvctl.h"

/* ------------------------------------------------------------------ */
/* The spec, as pure functions */

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(char c)
{
	return is_letter(c) || (c >= '0' && c <= '9');
}

int cdi_vendor_check(const char *vendor)
{
	size_t i, len;

	if (!vendor)
		return -EINVAL;
	len = strlen(vendor);
	if (!len || len > CDI_VENDOR_MAX || !is_letter(vendor[0]) ||
	    !is_alnum(vendor[len - 1]))
		return -EINVAL;
	for (i = 1; i + 1 < len; i++)
		if (!is_alnum(vendor[i]) && !strchr("_.-", vendor[i]))
			return -EINVAL;
	return 0;
}

bool cdi_device_name_ok(const char *name)
{
	size_t i, len = name ? strlen(name) : 0;

	if (!len || !is_alnum(name[0]) || !is_alnum(name[len - 1]))
		return false;
	for (i = 1; i + 1 < len; i++)
		if (!is_alnum(name[i]) && !strchr("_.-:", name[i]))
			return false;
	return true;
}

/* Append a new string made by @fmt to @array; false when out of memory. */
static bool array_add_fmt(struct json_object *array, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool array_add_fmt(struct json_object *array, const char *fmt, ...)
{
	struct json_object *s;
	va_list ap;
	char *str;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&str, fmt, ap);
	va_end(ap);
	if (n < 0)
		return false;
	s = json_object_new_string(str);
	free(str);
	if (!s || json_object_array_add(array, s)) {
		json_object_put(s);
		return false;
	}
	return true;
}

/* Add @val under @key, taking it even on failure; false when out of memory. */
static bool object_add(struct json_object *obj, const char *key,
		       struct json_object *val)
{
	if (!val || json_object_object_add(obj, key, val)) {
		json_object_put(val);
		return false;
	}
	return true;
}

/* Append @val to @array, taking it even on failure. */
static bool array_add(struct json_object *array, struct json_object *val)
{
	if (!val || json_object_array_add(array, val)) {
		json_object_put(val);
		return false;
	}
	return true;
}

/* The pdev @slice is carved from, among @devs; NULL when not there. */
static const struct zsv_dev_info *dev_of(const struct zsv_slice_info *slice,
					 struct zsv_dev_info *const *devs,
					 size_t dev_count)
{
	size_t i;

	for (i = 0; i < dev_count; i++)
		if (devs[i]->id == slice->dev_id)
			return devs[i];
	return NULL;
}

/* Append the variables that depend on the slice's pdev, @dev (or NULL). */
static bool add_dev_env(struct json_object *env,
			const struct zsv_slice_info *slice,
			const struct zsv_dev_info *dev)
{
	uint64_t timeslice_ns = slice->timeslice_ns;

	/* 0 is "the pdev's": say what the quantum really is. */
	if (!timeslice_ns && dev && zsv_dev_has(dev, ZSV_A_DEV_TIMESLICE_NS))
		timeslice_ns = dev->timeslice_ns;
	if (timeslice_ns &&
	    !array_add_fmt(env, "ZSV_SLICE_TIMESLICE_NS=%" PRIu64,
			   timeslice_ns))
		return false;
	if (dev && zsv_dev_has(dev, ZSV_A_DEV_ENGINES) &&
	    !array_add_fmt(env, "ZSV_SLICE_ENGINES=%" PRIu32, dev->engines))
		return false;
	return true;
}

/* Append @slice's node to @nodes; false when out of memory. */
static bool add_node(struct json_object *nodes,
		     const struct zsv_slice_info *slice)
{
	char path[sizeof("/dev/zsv/") + ZSV_NAME_MAX];
	const char *node_path = slice->node;
	struct json_object *node;

	/* The kernel reports the node; should it not, this is where it is. */
	if (!node_path || !node_path[0]) {
		snprintf(path, sizeof(path), "/dev/zsv/%s", slice->name);
		node_path = path;
	}
	node = json_object_new_object();
	return array_add(nodes, node) &&
	       object_add(node, "path", json_object_new_string(node_path));
}

/*
 * A device named @name, with its containerEdits' empty "deviceNodes" in
 * *nodes and "env" in *env, which it owns; NULL when out of memory.
 */
static struct json_object *cdi_device_new(const char *name,
					  struct json_object **nodes,
					  struct json_object **env)
{
	struct json_object *dev, *edits;

	/* Each object is owned by its parent as soon as it is made. */
	dev = json_object_new_object();
	if (!dev)
		return NULL;
	if (!object_add(dev, "name", json_object_new_string(name)))
		goto err;
	edits = json_object_new_object();
	if (!object_add(dev, "containerEdits", edits))
		goto err;
	*nodes = json_object_new_array();
	if (!object_add(edits, "deviceNodes", *nodes))
		goto err;
	*env = json_object_new_array();
	if (!object_add(edits, "env", *env))
		goto err;
	return dev;
err:
	json_object_put(dev);
	return NULL;
}

static struct json_object *cdi_device(const struct zsv_slice_info *slice,
				      const struct zsv_dev_info *pdev)
{
	const char *mode = zsv_mem_mode_name(slice->mem_mode);
	struct json_object *dev, *nodes, *env;
	char mode_num[16];

	if (!mode) {
		snprintf(mode_num, sizeof(mode_num), "%" PRIu32,
			 slice->mem_mode);
		mode = mode_num;
	}
	dev = cdi_device_new(slice->name, &nodes, &env);
	if (!dev)
		return NULL;
	if (!add_node(nodes, slice))
		goto err;
	if (!array_add_fmt(env, "ZSV_SLICE=%s", slice->name) ||
	    !array_add_fmt(env, "ZSV_SLICE_DEV=%s", slice->dev_name) ||
	    !array_add_fmt(env, "ZSV_SLICE_MEM_BYTES=%" PRIu64,
			   slice->mem_bytes) ||
	    !array_add_fmt(env, "ZSV_SLICE_MEM_MODE=%s", mode) ||
	    !array_add_fmt(env, "ZSV_SLICE_WEIGHT=%" PRIu32, slice->weight) ||
	    !array_add_fmt(env, "ZSV_SLICE_CAP_PCT=%" PRIu32, slice->cap_pct) ||
	    !add_dev_env(env, slice, pdev))
		goto err;
	return dev;
err:
	json_object_put(dev);
	return NULL;
}

/*
 * "VAR=a,b,c": @what of each slice of @g, in index order; false when out
 * of memory.
 */
static bool add_group_list(struct json_object *env, const char *var,
			   const struct group_info *g,
			   const char *(*what)(const struct zsv_slice_info *,
					       char *, size_t))
{
	char buf[32];
	char *list = NULL, *longer;
	size_t i;
	bool ok;

	if (asprintf(&list, "%s=", var) < 0)
		return false;
	for (i = 0; i < g->count; i++) {
		if (asprintf(&longer, "%s%s%s", list, i ? "," : "",
			     what(g->slices[i], buf, sizeof(buf))) < 0) {
			free(list);
			return false;
		}
		free(list);
		list = longer;
	}
	ok = array_add_fmt(env, "%s", list);
	free(list);
	return ok;
}

static const char *slice_name_of(const struct zsv_slice_info *slice, char *buf,
				 size_t len)
{
	(void)buf;
	(void)len;
	return slice->name;
}

static const char *slice_dev_of(const struct zsv_slice_info *slice, char *buf,
				size_t len)
{
	(void)buf;
	(void)len;
	return slice->dev_name ? slice->dev_name : "";
}

static const char *slice_mem_of(const struct zsv_slice_info *slice, char *buf,
				size_t len)
{
	snprintf(buf, len, "%" PRIu64, slice->mem_bytes);
	return buf;
}

/* The device of the group @g: every node of its slices. */
static struct json_object *cdi_group_device(const struct group_info *g)
{
	struct json_object *dev, *nodes, *env;
	size_t i;

	dev = cdi_device_new(g->name, &nodes, &env);
	if (!dev)
		return NULL;
	for (i = 0; i < g->count; i++)
		if (!add_node(nodes, g->slices[i]))
			goto err;
	if (!array_add_fmt(env, "ZSV_GROUP=%s", g->name) ||
	    !array_add_fmt(env, "ZSV_GROUP_COUNT=%zu", g->count) ||
	    !add_group_list(env, "ZSV_GROUP_SLICES", g, slice_name_of) ||
	    !add_group_list(env, "ZSV_GROUP_DEVS", g, slice_dev_of) ||
	    !add_group_list(env, "ZSV_GROUP_MEM_BYTES", g, slice_mem_of))
		goto err;
	return dev;
err:
	json_object_put(dev);
	return NULL;
}

bool cdi_group_ok(const char *group, struct zsv_slice_info *const *slices,
		  size_t count)
{
	size_t i;

	if (!cdi_device_name_ok(group))
		return false;
	for (i = 0; i < count; i++)
		if (!strcmp(slices[i]->name, group))
			return false;
	return true;
}

static int device_cmp_name(const void *a, const void *b)
{
	struct json_object *const *x = a, *const *y = b;
	struct json_object *xn = NULL, *yn = NULL;

	json_object_object_get_ex(*x, "name", &xn);
	json_object_object_get_ex(*y, "name", &yn);
	return strcmp(json_object_get_string(xn), json_object_get_string(yn));
}

static int slice_cmp_name(const void *a, const void *b)
{
	const struct zsv_slice_info *x =
		*(const struct zsv_slice_info *const *)a;
	const struct zsv_slice_info *y =
		*(const struct zsv_slice_info *const *)b;

	return strcmp(x->name, y->name);
}

struct json_object *
cdi_spec_build(const char *vendor, struct zsv_slice_info *const *slices,
	       size_t count, struct zsv_dev_info *const *devs, size_t dev_count)
{
	struct zsv_slice_info **sorted = NULL;
	struct json_object *spec, *devices;
	char kind[CDI_VENDOR_MAX + sizeof("/" CDI_CLASS)];
	struct group_info *groups = NULL;
	size_t i, group_count = 0;

	snprintf(kind, sizeof(kind), "%s/%s", vendor, CDI_CLASS);
	spec = json_object_new_object();
	if (!spec)
		return NULL;
	if (count) {
		sorted = calloc(count, sizeof(*sorted));
		if (!sorted)
			goto err;
		memcpy(sorted, slices, count * sizeof(*sorted));
		qsort(sorted, count, sizeof(*sorted), slice_cmp_name);
	}
	if (!object_add(spec, "cdiVersion",
			json_object_new_string(CDI_VERSION)) ||
	    !object_add(spec, "kind", json_object_new_string(kind)))
		goto err;
	devices = json_object_new_array();
	if (!object_add(spec, "devices", devices))
		goto err;
	for (i = 0; i < count; i++)
		if (cdi_device_name_ok(sorted[i]->name) &&
		    !array_add(devices,
			       cdi_device(sorted[i],
					  dev_of(sorted[i], devs, dev_count))))
			goto err;
	/* A group's device, unless CDI refuses its name or a slice has it. */
	if (groups_gather(slices, count, NULL, &groups, &group_count))
		goto err;
	for (i = 0; i < group_count; i++)
		if (cdi_group_ok(groups[i].name, slices, count) &&
		    !array_add(devices, cdi_group_device(&groups[i])))
			goto err;
	/* Slices and groups together, by name. */
	json_object_array_sort(devices, device_cmp_name);
	groups_free(groups, group_count);
	free(sorted);
	return spec;
err:
	groups_free(groups, group_count);
	free(sorted);
	json_object_put(spec);
	return NULL;
}

int cdi_spec_vendor(const char *text, char *vendor, size_t len)
{
	struct json_object *spec, *kind;
	const char *str, *slash;
	size_t vendor_len;
	int err = -EINVAL;

	spec = json_tokener_parse(text);
	if (!spec)
		return -EINVAL;
	if (!json_object_is_type(spec, json_type_object) ||
	    !json_object_object_get_ex(spec, "kind", &kind) ||
	    !json_object_is_type(kind, json_type_string))
		goto out;
	str = json_object_get_string(kind);
	slash = strchr(str, '/');
	if (!slash || strcmp(slash + 1, CDI_CLASS))
		goto out;
	vendor_len = (size_t)(slash - str);
	if (vendor_len >= len)
		goto out;
	memcpy(vendor, str, vendor_len);
	vendor[vendor_len] = '\0';
	err = cdi_vendor_check(vendor);
out:
	json_object_put(spec);
	return err;
}

const char *cdi_spec_text(struct json_object *spec)
{
	return json_object_to_json_string_ext(
		spec, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			      JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* ------------------------------------------------------------------ */
/* Writing */

int cdi_spec_write(const char *path, const char *text)
{
	char *line;
	int err;

	if (asprintf(&line, "%s\n", text) < 0)
		return -ENOMEM;
	err = zsvctl_replace_file(path, line, strlen(line));
	free(line);
	return err;
}

/* ------------------------------------------------------------------ */
/* Commands */

static int cdi_generate_main(struct zsvctl *ctl, int argc, char **argv);
static int cdi_help_main(struct zsvctl *ctl, int argc, char **argv);

/* Append only: the order decides what an abbreviation means. */
static const struct zsvctl_cmd cdi_cmds[] = {
	{ "generate", cdi_generate_main, NULL,
	  "write a CDI spec with one device per slice and group (the default)" },
	{ "help", cdi_help_main, NULL, "this help" },
	{ "watch", cdi_watch_main, NULL,
	  "write the spec, then rewrite it after every change, until stopped" },
	{ .name = NULL },
};

void cdi_usage(FILE *f)
{
	fputs("Usage: zsvctl cdi [generate] [-o FILE] [vendor PREFIX]\n"
	      "       zsvctl cdi watch [-o FILE] [vendor PREFIX]\n"
	      "       zsvctl cdi help\n"
	      "\n"
	      "Commands:\n",
	      f);
	zsvctl_cmds_print(f, cdi_cmds);
	fputs("\n"
	      "The spec (CDI " CDI_VERSION ") has kind PREFIX/" CDI_CLASS
	      " and one device per slice, named after it,\n"
	      "and one per group, with the nodes of all its slices.\n"
	      "PREFIX defaults to $" CDI_VENDOR_ENV ", else " CDI_VENDOR_DEFAULT
	      ". -o FILE replaces FILE atomically;\n"
	      "without it the spec goes to standard output.  When " CDI_SPEC_PATH
	      "\n"
	      "exists, slice create, set and destroy keep it current.\n"
	      "watch writes FILE (default " CDI_SPEC_PATH
	      ") and rewrites it after every\n"
	      "change to a slice or device, whoever makes it, until SIGTERM or SIGINT.\n",
	      f);
}

int cdi_main(struct zsvctl *ctl, int argc, char **argv)
{
	return zsvctl_dispatch(ctl, cdi_cmds, "generate", cdi_usage, argc,
			       argv);
}

static int cdi_help_main(struct zsvctl *ctl, int argc, char **argv)
{
	(void)ctl;
	if (argc)
		return zsvctl_usage_error(cdi_usage, "unexpected argument '%s'",
					  argv[0]);
	cdi_usage(stdout);
	return ZSVCTL_EXIT_OK;
}

/* Say which slices and groups the spec leaves out, and why. */
static void cdi_warn_left_out(struct zsv_slice_info *const *slices,
			      size_t count)
{
	struct group_info *groups;
	size_t i, group_count;

	for (i = 0; i < count; i++)
		if (!cdi_device_name_ok(slices[i]->name))
			zsvctl_warn(
				"slice '%s' is left out of the CDI spec: CDI device names end with a letter or a digit",
				slices[i]->name);
	if (groups_gather(slices, count, NULL, &groups, &group_count))
		return;
	for (i = 0; i < group_count; i++) {
		if (!cdi_device_name_ok(groups[i].name))
			zsvctl_warn(
				"group '%s' is left out of the CDI spec: CDI device names end with a letter or a digit",
				groups[i].name);
		else if (!cdi_group_ok(groups[i].name, slices, count))
			zsvctl_warn(
				"group '%s' is left out of the CDI spec: a slice has its name",
				groups[i].name);
	}
	groups_free(groups, group_count);
}

/*
 * Build the spec of every slice into *text (a string owned by *spec).
 * Returns 0 or a negated errno; ctl->zh has the kernel's message.
 */
static int cdi_spec_make(struct zsvctl *ctl, const char *vendor,
			 struct json_object **spec, const char **text)
{
	struct zsv_slice_info **slices;
	struct zsv_dev_info **devs;
	size_t count, dev_count;
	int err;

	/*
	 * Devices first: a slice dumped after them is on one of them, but
	 * for a pdev made in between, whose own event comes next.
	 */
	err = zsv_dev_list(ctl->zh, &devs, &dev_count);
	if (err)
		return err;
	err = zsv_slice_list(ctl->zh, NULL, &slices, &count);
	if (err) {
		zsv_dev_list_free(devs, dev_count);
		return err;
	}
	cdi_warn_left_out(slices, count);
	*spec = cdi_spec_build(vendor, slices, count, devs, dev_count);
	zsv_slice_list_free(slices, count);
	zsv_dev_list_free(devs, dev_count);
	*text = *spec ? cdi_spec_text(*spec) : NULL;
	if (!*text) {
		json_object_put(*spec);
		*spec = NULL;
		return -ENOMEM;
	}
	return 0;
}

static int cdi_generate_main(struct zsvctl *ctl, int argc, char **argv)
{
	char err_msg[ARGS_ERR_MAX], what[CDI_WHAT_MAX];
	struct cdi_generate_args a;
	const char *vendor, *text;
	struct json_object *spec;
	int ret, err;

	if (args_cdi_generate(argc, argv, &a, err_msg, sizeof(err_msg)))
		return zsvctl_usage_error(cdi_usage, "%s", err_msg);
	ret = cdi_vendor_pick(a.vendor, &vendor);
	if (ret)
		return ret;
	ret = zsvctl_connect(ctl);
	if (ret)
		return ret;
	if (a.output) {
		err = cdi_spec_update(ctl, a.output, vendor, NULL, what,
				      sizeof(what));
		if (err)
			ret = zsvctl_fail(ctl, err, "%s", what);
		return ret;
	}
	err = cdi_spec_make(ctl, vendor, &spec, &text);
	if (err)
		return zsvctl_fail(ctl, err, "cannot list slices");
	puts(text);
	json_object_put(spec);
	return ret;
}

int cdi_vendor_pick(const char *arg, const char **vendor)
{
	const char *env = getenv(CDI_VENDOR_ENV);

	if (arg) {
		*vendor = arg;
		return ZSVCTL_EXIT_OK;
	}
	if (env && *env && cdi_vendor_check(env))
		return zsvctl_usage_error(cdi_usage, "%s '%s': %s",
					  CDI_VENDOR_ENV, env, CDI_VENDOR_RULE);
	*vendor = env && *env ? env : CDI_VENDOR_DEFAULT;
	return ZSVCTL_EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* Keeping a spec current */

/* The text of the file open as @fd, NUL-terminated; NULL on failure. */
static char *read_text(int fd)
{
	size_t len = 0, size = 4096;
	char *buf = malloc(size), *bigger;
	ssize_t n;

	while (buf) {
		if (len + 1 == size) {
			bigger = realloc(buf, size * 2);
			if (!bigger)
				break;
			buf = bigger;
			size *= 2;
		}
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (!n) {
			buf[len] = '\0';
			return buf;
		}
		len += (size_t)n;
	}
	free(buf);
	return NULL;
}

/* Does @path hold @text and a newline, as cdi_spec_write() writes it? */
static bool file_holds(const char *path, const char *text)
{
	size_t len = strlen(text);
	bool same;
	char *old;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	old = read_text(fd);
	close(fd);
	same = old && strlen(old) == len + 1 && !memcmp(old, text, len) &&
	       old[len] == '\n';
	free(old);
	return same;
}

/*
 * Open the directory of @path and take an exclusive flock(2) on it:
 * the lock every writer of a spec there holds from its dump to its
 * rename.  The directory's fd (closing it unlocks), or a negated errno.
 */
static int lock_dir_of(const char *path)
{
	char *copy = strdup(path);
	int fd, err;

	if (!copy)
		return -ENOMEM;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	err = -errno;
	free(copy);
	if (fd < 0)
		return err;
	if (flock(fd, LOCK_EX) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* cdi_spec_update() with the lock held. */
static int spec_update_locked(struct zsvctl *ctl, const char *path,
			      const char *vendor, bool *unchanged, char *what,
			      size_t what_len)
{
	struct json_object *spec;
	const char *text;
	int err;

	err = cdi_spec_make(ctl, vendor, &spec, &text);
	if (err) {
		snprintf(what, what_len, CDI_WHAT_LIST);
		return err;
	}
	if (unchanged) {
		*unchanged = file_holds(path, text);
		if (*unchanged)
			goto out;
	}
	err = cdi_spec_write(path, text);
	if (err)
		snprintf(what, what_len, "cannot write '%s'", path);
out:
	json_object_put(spec);
	return err;
}

int cdi_spec_update(struct zsvctl *ctl, const char *path, const char *vendor,
		    bool *unchanged, char *what, size_t what_len)
{
	int dir_fd, err;

	dir_fd = lock_dir_of(path);
	if (dir_fd < 0) {
		snprintf(what, what_len, "cannot write '%s'", path);
		return dir_fd;
	}
	err = spec_update_locked(ctl, path, vendor, unchanged, what, what_len);
	close(dir_fd); /* drops the lock */
	return err;
}

void cdi_refresh(struct zsvctl *ctl)
{
	char vendor[CDI_VENDOR_MAX + 1];
	char what[CDI_WHAT_MAX];
	int dir_fd, fd, err;
	char *old;

	dir_fd = lock_dir_of(CDI_SPEC_PATH);
	if (dir_fd == -ENOENT || dir_fd == -ENOTDIR)
		return; /* no CDI directory: nobody asked for a spec */
	if (dir_fd < 0) {
		zsvctl_warn("cannot update the CDI spec %s: cannot lock %s: %s",
			    CDI_SPEC_PATH, CDI_SPEC_DIR, strerror(-dir_fd));
		return;
	}
	fd = open(CDI_SPEC_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			zsvctl_warn("cannot update the CDI spec %s: %s",
				    CDI_SPEC_PATH, strerror(errno));
		goto out;
	}
	old = read_text(fd);
	close(fd);
	if (!old) {
		zsvctl_warn("cannot update the CDI spec %s: cannot read it",
			    CDI_SPEC_PATH);
		goto out;
	}
	err = cdi_spec_vendor(old, vendor, sizeof(vendor));
	free(old);
	if (err) {
		zsvctl_warn(
			"cannot update the CDI spec %s: it has no kind VENDOR/" CDI_CLASS
			"; left as it is",
			CDI_SPEC_PATH);
		goto out;
	}
	err = spec_update_locked(ctl, CDI_SPEC_PATH, vendor, NULL, what,
				 sizeof(what));
	if (err)
		zsvctl_warn("cannot update the CDI spec %s: %s: %s",
			    CDI_SPEC_PATH, what, zsv_error(ctl->zh, err));
out:
	close(dir_fd); /* drops the lock */
}
