// SPDX-License-Identifier: GPL-2.0-only
/*
 * What zsvctl shows of zsv_mdev, as functions (libzsvctl.a, libzsv.a):
 * the mediated and vfio-open slice attributes from a netlink reply to
 * JSON and text, and the mdev types of "dev show" from a fake sysfs tree
 * in a temporary directory.  No kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json_object.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "kselftest_harness.h"

#include "libzsv.h"
#include "mdev_types.h"
#include "nl.h"
#include "zsvctl.h"

#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

/* ------------------------------------------------------------------ */
/* Slices */

/*
 * A slice-get reply naming slice 3 "s"; @mediated and @vfio_open are
 * left out when negative.
 */
static struct nl_msg *slice_reply(int mediated, int vfio_open)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 42, 0, 0,
			 ZSV_CMD_SLICE_GET, ZSV_GENL_VERSION) ||
	    nla_put_u32(msg, ZSV_A_SLICE_ID, 3) ||
	    nla_put_string(msg, ZSV_A_SLICE_NAME, "s") ||
	    (mediated >= 0 &&
	     nla_put_u8(msg, ZSV_A_SLICE_MEDIATED, (uint8_t)mediated)) ||
	    (vfio_open >= 0 &&
	     nla_put_u8(msg, ZSV_A_SLICE_VFIO_OPEN, (uint8_t)vfio_open))) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static struct zsv_slice_info *parse_reply(int mediated, int vfio_open)
{
	struct nl_msg *msg = slice_reply(mediated, vfio_open);
	struct zsv_slice_info *slice = NULL;

	if (!msg)
		return NULL;
	if (zsv_slice_info_parse(nlmsg_hdr(msg), &slice))
		slice = NULL;
	nlmsg_free(msg);
	return slice;
}

static const char *slice_json_member(const struct zsv_slice_info *slice,
				     const char *key, char *buf, size_t len)
{
	struct json_object *obj = slice_to_json(slice), *v;

	if (!obj)
		return "ENOMEM";
	if (!json_object_object_get_ex(obj, key, &v))
		snprintf(buf, len, "missing");
	else
		snprintf(buf, len, "%s", json_object_to_json_string_ext(v, JSON_FLAGS));
	json_object_put(obj);
	return buf;
}

TEST(slice_reply_with_mediated_and_vfio_open_is_parsed)
{
	struct zsv_slice_info *slice = parse_reply(1, 1);

	ASSERT_NE(NULL, slice);
	EXPECT_EQ(1, slice->mediated);
	EXPECT_EQ(1, slice->vfio_open);
	EXPECT_TRUE(zsv_slice_has(slice, ZSV_A_SLICE_MEDIATED));
	EXPECT_TRUE(zsv_slice_has(slice, ZSV_A_SLICE_VFIO_OPEN));
	zsv_slice_info_free(slice);
}

TEST(slice_reply_without_the_attributes_is_not_mediated)
{
	struct zsv_slice_info *slice = parse_reply(-1, -1);

	ASSERT_NE(NULL, slice);
	EXPECT_EQ(0, slice->mediated);
	EXPECT_EQ(0, slice->vfio_open);
	EXPECT_FALSE(zsv_slice_has(slice, ZSV_A_SLICE_MEDIATED));
	zsv_slice_info_free(slice);
}

TEST(slice_json_says_mediated_and_vfio_open_as_booleans)
{
	struct zsv_slice_info *slice = parse_reply(1, 1);
	char buf[32];

	ASSERT_NE(NULL, slice);
	EXPECT_STREQ("true", slice_json_member(slice, "mediated", buf,
					       sizeof(buf)));
	EXPECT_STREQ("true", slice_json_member(slice, "vfio_open", buf,
					       sizeof(buf)));
	zsv_slice_info_free(slice);

	slice = parse_reply(1, 0);
	ASSERT_NE(NULL, slice);
	EXPECT_STREQ("true", slice_json_member(slice, "mediated", buf,
					       sizeof(buf)));
	EXPECT_STREQ("false", slice_json_member(slice, "vfio_open", buf,
						sizeof(buf)));
	zsv_slice_info_free(slice);
}

TEST(slice_json_says_false_when_the_kernel_sends_neither)
{
	struct zsv_slice_info *slice = parse_reply(-1, -1);
	char buf[32];

	ASSERT_NE(NULL, slice);
	/* Not null like other unreported keys: an old kernel has no mdevs. */
	EXPECT_STREQ("false", slice_json_member(slice, "mediated", buf,
						sizeof(buf)));
	EXPECT_STREQ("false", slice_json_member(slice, "vfio_open", buf,
						sizeof(buf)));
	zsv_slice_info_free(slice);
}

TEST(slice_mdev_text_is_dash_yes_or_open)
{
	struct zsv_slice_info *slice;

	slice = parse_reply(-1, -1);
	ASSERT_NE(NULL, slice);
	EXPECT_STREQ("-", slice_mdev_str(slice));
	zsv_slice_info_free(slice);

	slice = parse_reply(0, 0);
	ASSERT_NE(NULL, slice);
	EXPECT_STREQ("-", slice_mdev_str(slice));
	zsv_slice_info_free(slice);

	slice = parse_reply(1, 0);
	ASSERT_NE(NULL, slice);
	EXPECT_STREQ("yes", slice_mdev_str(slice));
	zsv_slice_info_free(slice);

	slice = parse_reply(1, 1);
	ASSERT_NE(NULL, slice);
	EXPECT_STREQ("open", slice_mdev_str(slice));
	zsv_slice_info_free(slice);
}

/* ------------------------------------------------------------------ */
/* mdev types from a fake sysfs */

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[8192];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static int mkdir_p(const char *path)
{
	char buf[4096], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

/*
 * <root>/class/zsv/zsv0/mdev_supported_types/<type>/ with sysfs's three
 * files, each ending in a newline as sysfs ends them.
 */
static int add_type(const char *root, const char *type, const char *desc,
		    const char *avail)
{
	char dir[4096], name[256];

	snprintf(dir, sizeof(dir),
		 "%s/class/zsv/zsv0/mdev_supported_types/%s", root, type);
	snprintf(name, sizeof(name), "%s\n", type);
	if (mkdir_p(dir) || write_file(dir, "name", name) ||
	    write_file(dir, "device_api", "vfio-pci\n"))
		return -1;
	if (desc && write_file(dir, "description", desc))
		return -1;
	if (avail && write_file(dir, "available_instances", avail))
		return -1;
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	return remove(path);
}

static void rm_rf(const char *path)
{
	if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS))
		perror(path);
}

FIXTURE(sysfs)
{
	char root[64];
	char err[MDEV_TYPES_ERR_MAX];
	struct mdev_types types;
};

FIXTURE_SETUP(sysfs)
{
	snprintf(self->root, sizeof(self->root), "/tmp/zsv-sysfs-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->root));
	self->types.types = NULL;
	self->types.count = 0;
}

FIXTURE_TEARDOWN(sysfs)
{
	mdev_types_free(&self->types);
	rm_rf(self->root);
}

/* A 16G pdev's types, created in a scrambled order. */
static int add_16g_types(const char *root)
{
	static const char *const types[] = {
		"zsv-1G", "zsv-16G", "zsv-256M", "zsv-4G",
		"zsv-512M", "zsv-8G", "zsv-2G",
	};
	static const char *const avail[] = {
		"16\n", "1\n", "64\n", "4\n", "32\n", "2\n", "8\n",
	};
	char desc[256];
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		snprintf(desc, sizeof(desc),
			 "mem=%s, engines=4, weight=100, cap=100%%, max_instance=%.*s\n",
			 types[i] + 4, (int)strcspn(avail[i], "\n"), avail[i]);
		if (add_type(root, types[i], desc, avail[i]))
			return -1;
	}
	return 0;
}

TEST_F(sysfs, mdev_types_are_sorted_largest_first)
{
	static const char *const want[] = {
		"zsv-16G", "zsv-8G", "zsv-4G", "zsv-2G",
		"zsv-1G", "zsv-512M", "zsv-256M",
	};
	size_t i;

	ASSERT_EQ(0, add_16g_types(self->root));
	ASSERT_EQ(0, mdev_types_read(self->root, "zsv0", &self->types,
				     self->err, sizeof(self->err)));
	ASSERT_EQ(7, self->types.count);
	for (i = 0; i < 7; i++)
		EXPECT_STREQ(want[i], self->types.types[i].type);
	EXPECT_EQ(16ULL << 30, self->types.types[0].size_bytes);
	EXPECT_EQ(1, self->types.types[0].available);
	EXPECT_STREQ("zsv-16G", self->types.types[0].name);
	EXPECT_STREQ("mem=16G, engines=4, weight=100, cap=100%, max_instance=1",
		     self->types.types[0].description);
}

TEST_F(sysfs, mdev_types_with_odd_sizes_sort_by_bytes_then_unsized_last)
{
	ASSERT_EQ(0, add_type(self->root, "zsv-1G", NULL, "1\n"));
	ASSERT_EQ(0, add_type(self->root, "zsv-1536M", NULL, "1\n"));
	ASSERT_EQ(0, add_type(self->root, "other", NULL, "1\n"));
	ASSERT_EQ(0, add_type(self->root, "zsv-768M", NULL, "1\n"));
	ASSERT_EQ(0, mdev_types_read(self->root, "zsv0", &self->types,
				     self->err, sizeof(self->err)));
	ASSERT_EQ(4, self->types.count);
	EXPECT_STREQ("zsv-1536M", self->types.types[0].type);
	EXPECT_STREQ("zsv-1G", self->types.types[1].type);
	EXPECT_STREQ("zsv-768M", self->types.types[2].type);
	EXPECT_STREQ("other", self->types.types[3].type);
}

TEST_F(sysfs, no_mdev_supported_types_directory_is_enoent)
{
	char dir[4096];

	/* The pdev exists, zsv_mdev is not loaded. */
	snprintf(dir, sizeof(dir), "%s/class/zsv/zsv0", self->root);
	ASSERT_EQ(0, mkdir_p(dir));
	EXPECT_EQ(-ENOENT, mdev_types_read(self->root, "zsv0", &self->types,
					   self->err, sizeof(self->err)));
	EXPECT_EQ(0, self->types.count);
	EXPECT_EQ(-ENOENT, mdev_types_read(self->root, "zsv9", &self->types,
					   self->err, sizeof(self->err)));
}

TEST_F(sysfs, empty_mdev_supported_types_directory_has_no_types)
{
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/class/zsv/zsv0/mdev_supported_types",
		 self->root);
	ASSERT_EQ(0, mkdir_p(dir));
	ASSERT_EQ(0, write_file(dir, "stray-file", "x\n"));
	ASSERT_EQ(0, mdev_types_read(self->root, "zsv0", &self->types,
				     self->err, sizeof(self->err)));
	EXPECT_EQ(0, self->types.count);
}

TEST_F(sysfs, mdev_types_json_has_every_key)
{
	struct json_object *array;

	ASSERT_EQ(0, add_type(self->root, "zsv-8G",
			      "mem=8G, engines=4, weight=100, cap=100%, max_instance=2\n",
			      "2\n"));
	ASSERT_EQ(0, add_type(self->root, "zsv-16G",
			      "mem=16G, engines=4, weight=100, cap=100%, max_instance=1\n",
			      "0\n"));
	ASSERT_EQ(0, mdev_types_read(self->root, "zsv0", &self->types,
				     self->err, sizeof(self->err)));
	array = mdev_types_to_json(&self->types);
	ASSERT_NE(NULL, array);
	EXPECT_STREQ("[{\"type\":\"zsv-16G\",\"name\":\"zsv-16G\",\"description\":\"mem=16G, engines=4, weight=100, cap=100%, max_instance=1\",\"available_instances\":0},"
		     "{\"type\":\"zsv-8G\",\"name\":\"zsv-8G\",\"description\":\"mem=8G, engines=4, weight=100, cap=100%, max_instance=2\",\"available_instances\":2}]",
		     json_object_to_json_string_ext(array, JSON_FLAGS));
	json_object_put(array);
}

TEST_F(sysfs, missing_type_files_are_null_in_json_and_dash_in_text)
{
	struct json_object *array;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	ASSERT_EQ(0, add_type(self->root, "zsv-1G", NULL, NULL));
	ASSERT_EQ(0, mdev_types_read(self->root, "zsv0", &self->types,
				     self->err, sizeof(self->err)));
	array = mdev_types_to_json(&self->types);
	ASSERT_NE(NULL, array);
	EXPECT_STREQ("[{\"type\":\"zsv-1G\",\"name\":\"zsv-1G\",\"description\":null,\"available_instances\":null}]",
		     json_object_to_json_string_ext(array, JSON_FLAGS));
	json_object_put(array);

	f = open_memstream(&text, &len);
	ASSERT_NE(NULL, f);
	mdev_types_print(f, &self->types);
	fclose(f);
	EXPECT_STREQ("mdev types:   zsv-1G  - available\n", text);
	free(text);
}

TEST_F(sysfs, mdev_types_text_lines_up_types_and_counts)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	ASSERT_EQ(0, add_type(self->root, "zsv-16G", "mem=16G, max_instance=1\n",
			      "1\n"));
	ASSERT_EQ(0, add_type(self->root, "zsv-512M",
			      "mem=512M, max_instance=32\n", "31\n"));
	ASSERT_EQ(0, mdev_types_read(self->root, "zsv0", &self->types,
				     self->err, sizeof(self->err)));
	f = open_memstream(&text, &len);
	ASSERT_NE(NULL, f);
	mdev_types_print(f, &self->types);
	fclose(f);
	EXPECT_STREQ("mdev types:   zsv-16G    1 available  mem=16G, max_instance=1\n"
		     "              zsv-512M  31 available  mem=512M, max_instance=32\n",
		     text);
	free(text);
}

TEST_F(sysfs, no_types_prints_none)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&text, &len);
	ASSERT_NE(NULL, f);
	mdev_types_print(f, &self->types);
	fclose(f);
	EXPECT_STREQ("mdev types:   none\n", text);
	free(text);
}

TEST_F(sysfs, bad_available_instances_is_einval_naming_the_file)
{
	char want[4200];

	ASSERT_EQ(0, add_type(self->root, "zsv-1G", "d\n", "lots\n"));
	EXPECT_EQ(-EINVAL, mdev_types_read(self->root, "zsv0", &self->types,
					   self->err, sizeof(self->err)));
	EXPECT_EQ(0, self->types.count);
	snprintf(want, sizeof(want),
		 "%s/class/zsv/zsv0/mdev_supported_types/zsv-1G/available_instances: not a number: 'lots'",
		 self->root);
	EXPECT_STREQ(want, self->err);
}

TEST_F(sysfs, types_path_that_is_no_directory_is_an_error_naming_it)
{
	char dir[4096], want[4200];

	snprintf(dir, sizeof(dir), "%s/class/zsv/zsv0", self->root);
	ASSERT_EQ(0, mkdir_p(dir));
	ASSERT_EQ(0, write_file(dir, "mdev_supported_types", "x\n"));
	EXPECT_EQ(-ENOTDIR, mdev_types_read(self->root, "zsv0", &self->types,
					    self->err, sizeof(self->err)));
	snprintf(want, sizeof(want), "%s/mdev_supported_types: %s", dir,
		 strerror(ENOTDIR));
	EXPECT_STREQ(want, self->err);
}

TEST_F(sysfs, unreadable_type_file_is_an_error_naming_it)
{
	char path[4096], want[4200];

	ASSERT_EQ(0, add_type(self->root, "zsv-1G", "d\n", "1\n"));
	/* A directory where a file should be: read(2) fails EISDIR. */
	snprintf(path, sizeof(path),
		 "%s/class/zsv/zsv0/mdev_supported_types/zsv-1G/description",
		 self->root);
	ASSERT_EQ(0, unlink(path));
	ASSERT_EQ(0, mkdir(path, 0755));
	EXPECT_EQ(-EISDIR, mdev_types_read(self->root, "zsv0", &self->types,
					   self->err, sizeof(self->err)));
	snprintf(want, sizeof(want), "%s: %s", path, strerror(EISDIR));
	EXPECT_STREQ(want, self->err);
}

TEST_F(sysfs, dev_event_json_never_has_mdev_types)
{
	struct zsv_dev_info d = {
		.present = ~0ULL,
		.name = "zsv0",
		.backend = "sim",
	};
	struct json_object *obj, *v;

	/* Even with types in sysfs: events are netlink's, dev_to_json's. */
	ASSERT_EQ(0, add_16g_types(self->root));
	ASSERT_EQ(0, setenv(ZSVCTL_SYSFS_ROOT_ENV, self->root, 1));
	obj = dev_to_json(&d);
	unsetenv(ZSVCTL_SYSFS_ROOT_ENV);
	ASSERT_NE(NULL, obj);
	EXPECT_FALSE(json_object_object_get_ex(obj, "mdev_types", &v));
	json_object_put(obj);
}

TEST(sysfs_root_is_sys_unless_the_environment_names_another)
{
	unsetenv(ZSVCTL_SYSFS_ROOT_ENV);
	EXPECT_STREQ("/sys", zsvctl_sysfs_root());
	ASSERT_EQ(0, setenv(ZSVCTL_SYSFS_ROOT_ENV, "/tmp/fake-sys", 1));
	EXPECT_STREQ("/tmp/fake-sys", zsvctl_sysfs_root());
	ASSERT_EQ(0, setenv(ZSVCTL_SYSFS_ROOT_ENV, "", 1));
	EXPECT_STREQ("/sys", zsvctl_sysfs_root());
	unsetenv(ZSVCTL_SYSFS_ROOT_ENV);
}

TEST_HARNESS_MAIN
