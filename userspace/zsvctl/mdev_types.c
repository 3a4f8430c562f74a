// SPDX-License-Identifier: GPL-2.0-only
/*
 * The mdev types of a pdev, from sysfs: see mdev_types.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json_object.h>

#include "libzsv.h"
#include "mdev_types.h"
#include "zsvctl.h"

/* A sysfs attribute is at most a page. */
#define SYSFS_ATTR_MAX 4096

static int path_fmt(char *path, const char *dir, const char *name)
{
	int n = snprintf(path, PATH_MAX, "%s/%s", dir, name);

	return n < 0 || n >= PATH_MAX ? -ENAMETOOLONG : 0;
}

static int fail(char *err, size_t err_len, const char *path, int ret)
{
	snprintf(err, err_len, "%s: %s", path, strerror(-ret));
	return ret;
}

/*
 * The text of the attribute @path without its trailing newline, in *val
 * (malloc'd); NULL in *val when there is no such file.  0 or -errno.
 */
static int attr_read(const char *path, char **val)
{
	char buf[SYSFS_ATTR_MAX + 1];
	size_t len = 0;
	ssize_t n;
	int fd;

	*val = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	while (len < SYSFS_ATTR_MAX) {
		n = read(fd, buf + len, SYSFS_ATTR_MAX - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			close(fd);
			return (int)n;
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = '\0';
	*val = strdup(buf);
	return *val ? 0 : -ENOMEM;
}

/* "zsv-8G" is 8G; 0 when what follows the last '-' is no size. */
static uint64_t type_size_bytes(const char *type)
{
	const char *dash = strrchr(type, '-');
	uint64_t bytes;

	if (!dash || zsv_parse_size(dash + 1, &bytes))
		return 0;
	return bytes;
}

/* One type directory @dir, whose name is @type. */
static int type_read(const char *dir, const char *type, struct mdev_type *t,
		     char *err, size_t err_len)
{
	char path[PATH_MAX];
	char *avail;
	int ret;

	t->type = strdup(type);
	if (!t->type)
		return -ENOMEM;
	t->size_bytes = type_size_bytes(type);

	ret = path_fmt(path, dir, "name");
	if (!ret)
		ret = attr_read(path, &t->name);
	if (ret)
		return fail(err, err_len, path, ret);
	ret = path_fmt(path, dir, "description");
	if (!ret)
		ret = attr_read(path, &t->description);
	if (ret)
		return fail(err, err_len, path, ret);
	ret = path_fmt(path, dir, "available_instances");
	if (!ret)
		ret = attr_read(path, &avail);
	if (ret)
		return fail(err, err_len, path, ret);
	if (!avail)
		return 0;
	ret = zsv_parse_u64(avail, &t->available);
	if (ret)
		snprintf(err, err_len, "%s: not a number: '%s'", path, avail);
	else
		t->has_available = true;
	free(avail);
	return ret ? -EINVAL : 0;
}

/* Largest first; types without a size last; then by type id. */
static int type_cmp(const void *a, const void *b)
{
	const struct mdev_type *x = a, *y = b;

	if (x->size_bytes != y->size_bytes) {
		if (!x->size_bytes || !y->size_bytes)
			return x->size_bytes ? -1 : 1;
		return x->size_bytes > y->size_bytes ? -1 : 1;
	}
	return strcmp(x->type, y->type);
}

/* Only directories are types; sysfs has nothing else there today. */
static bool is_type_dir(DIR *d, const struct dirent *de)
{
	struct stat st;

	if (de->d_name[0] == '.')
		return false;
	if (de->d_type == DT_DIR)
		return true;
	if (de->d_type != DT_UNKNOWN && de->d_type != DT_LNK)
		return false;
	return !fstatat(dirfd(d), de->d_name, &st, 0) && S_ISDIR(st.st_mode);
}

int mdev_types_read(const char *root, const char *dev, struct mdev_types *out,
		    char *err, size_t err_len)
{
	char types_dir[PATH_MAX], dir[PATH_MAX];
	struct mdev_type *grown;
	struct dirent *de;
	size_t capacity = 0;
	int n, ret = 0;
	DIR *d;

	out->types = NULL;
	out->count = 0;
	err[0] = '\0';
	n = snprintf(types_dir, sizeof(types_dir),
		     "%s/class/zsv/%s/mdev_supported_types", root, dev);
	if (n < 0 || n >= (int)sizeof(types_dir))
		return fail(err, err_len, root, -ENAMETOOLONG);
	d = opendir(types_dir);
	if (!d) {
		ret = -errno;
		if (ret == -ENOENT)
			return ret;
		return fail(err, err_len, types_dir, ret);
	}
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				ret = fail(err, err_len, types_dir, -errno);
			break;
		}
		if (!is_type_dir(d, de))
			continue;
		if (out->count == capacity) {
			capacity = capacity ? 2 * capacity : 8;
			grown = reallocarray(out->types, capacity,
					     sizeof(*grown));
			if (!grown) {
				ret = fail(err, err_len, types_dir, -ENOMEM);
				break;
			}
			out->types = grown;
		}
		memset(&out->types[out->count], 0, sizeof(*out->types));
		out->count++;
		ret = path_fmt(dir, types_dir, de->d_name);
		if (ret) {
			fail(err, err_len, types_dir, ret);
			break;
		}
		ret = type_read(dir, de->d_name, &out->types[out->count - 1],
				err, err_len);
		if (ret == -ENOMEM && !err[0])
			fail(err, err_len, dir, ret);
		if (ret)
			break;
	}
	closedir(d);
	if (ret) {
		mdev_types_free(out);
		return ret;
	}
	if (out->count)
		qsort(out->types, out->count, sizeof(*out->types), type_cmp);
	return 0;
}

void mdev_types_free(struct mdev_types *types)
{
	size_t i;

	for (i = 0; i < types->count; i++) {
		free(types->types[i].type);
		free(types->types[i].name);
		free(types->types[i].description);
	}
	free(types->types);
	types->types = NULL;
	types->count = 0;
}

static struct json_object *type_to_json(const struct mdev_type *t)
{
	struct json_object *obj = json_object_new_object();
	struct json_object *avail = NULL;

	if (!obj)
		return NULL;
	if (!zsvctl_json_add_str(obj, "type", t->type != NULL, t->type) ||
	    !zsvctl_json_add_str(obj, "name", t->name != NULL, t->name) ||
	    !zsvctl_json_add_str(obj, "description", t->description != NULL,
				 t->description))
		goto err;
	if (t->has_available) {
		avail = json_object_new_uint64(t->available);
		if (!avail)
			goto err;
	}
	if (json_object_object_add(obj, "available_instances", avail)) {
		json_object_put(avail);
		goto err;
	}
	return obj;
err:
	json_object_put(obj);
	return NULL;
}

struct json_object *mdev_types_to_json(const struct mdev_types *types)
{
	struct json_object *array = json_object_new_array();
	size_t i;

	for (i = 0; array && i < types->count; i++) {
		struct json_object *obj = type_to_json(&types->types[i]);

		if (!obj || json_object_array_add(array, obj)) {
			json_object_put(obj);
			json_object_put(array);
			array = NULL;
		}
	}
	return array;
}

/* available_instances as text: "2", or "-" when there is none. */
static int avail_str(const struct mdev_type *t, char *buf, size_t len)
{
	if (!t->has_available)
		return snprintf(buf, len, "-");
	return snprintf(buf, len, "%" PRIu64, t->available);
}

void mdev_types_print(FILE *f, const struct mdev_types *types)
{
	int type_width = 0, avail_width = 0, n;
	const char *label;
	char avail[24];
	size_t i;

	if (!types->count) {
		fprintf(f, "%-14snone\n", "mdev types:");
		return;
	}
	for (i = 0; i < types->count; i++) {
		n = (int)strlen(types->types[i].type);
		type_width = n > type_width ? n : type_width;
		n = avail_str(&types->types[i], avail, sizeof(avail));
		avail_width = n > avail_width ? n : avail_width;
	}
	for (i = 0; i < types->count; i++) {
		const struct mdev_type *t = &types->types[i];

		label = i ? "" : "mdev types:";
		avail_str(t, avail, sizeof(avail));
		fprintf(f, "%-14s%-*s  %*s available", label, type_width,
			t->type, avail_width, avail);
		if (t->description)
			fprintf(f, "  %s", t->description);
		fputc('\n', f);
	}
}
