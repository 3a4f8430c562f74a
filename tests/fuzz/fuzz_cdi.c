// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the CDI spec file zsvctl reads back to learn its
 * vendor (cdi_spec_vendor(), userspace/zsvctl/cdi.c), the vendor and
 * device-name checks, and the spec builder they round-trip with.
 *
 * The input's first byte sets the vendor buffer's length; the rest is the
 * spec's text. cdi_spec_vendor() answers 0 or -EINVAL, and 0 only with a
 * valid vendor, NUL-terminated inside the buffer (exactly that long, so
 * ASan sees a byte too many), that is the spec's "kind" up to "/slice".
 * The checks agree with the CDI rules. And a spec built for a valid vendor
 * and slices named by the input's words lists only CDI-valid names, each
 * once, and gives its vendor back; a word "<group>-<digits>" is a slice of
 * that group, whose device has every node of the group.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json_object.h>
#include <json-c/json_tokener.h>

#include "cdi.h"
#include "libzsv.h"
#include "libfuzzer.h"

#define MAX_SLICES 16
#define BIT(a) ZSV_ATTR_BIT(a)

static bool letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool alnum(char c)
{
	return letter(c) || (c >= '0' && c <= '9');
}

/* A letter, then letters, digits, '_', '.' or '-', ending in a letter or a digit. */
static bool ref_vendor(const char *s)
{
	size_t len = strlen(s);

	if (!len || len > CDI_VENDOR_MAX || !letter(s[0]) || !alnum(s[len - 1]))
		return false;
	for (size_t i = 1; i + 1 < len; i++)
		if (!alnum(s[i]) && !strchr("_.-", s[i]))
			return false;
	return true;
}

static bool ref_device_name(const char *s)
{
	size_t len = strlen(s);

	if (!len || !alnum(s[0]) || !alnum(s[len - 1]))
		return false;
	for (size_t i = 1; i + 1 < len; i++)
		if (!alnum(s[i]) && !strchr("_.-:", s[i]))
			return false;
	return true;
}

/* The vendor of a spec, read here with json-c: "kind" is "VENDOR/slice". */
static bool ref_kind(const char *text, const char *vendor)
{
	struct json_object *spec = json_tokener_parse(text), *kind;
	char want[CDI_VENDOR_MAX + 16];
	bool same = false;

	snprintf(want, sizeof(want), "%s/" CDI_CLASS, vendor);
	if (spec && json_object_is_type(spec, json_type_object) &&
	    json_object_object_get_ex(spec, "kind", &kind) &&
	    json_object_is_type(kind, json_type_string))
		same = !strcmp(json_object_get_string(kind), want);
	json_object_put(spec);
	return same;
}

static void build_and_read_back(const char *vendor, char *words, size_t len)
{
	struct zsv_slice_info infos[MAX_SLICES] = {}, *slices[MAX_SLICES];
	char groups[MAX_SLICES][ZSV_NAME_MAX + 1];
	struct json_object *spec, *devices;
	char back[CDI_VENDOR_MAX + 1];
	size_t n = 0;
	const char *text;

	for (char *p = words; p < words + len && n < MAX_SLICES;
	     p += strlen(p) + 1) {
		const char *dash = strrchr(p, '-');
		bool seen = false;

		/* slice names as the kernel allows them, each once */
		if (zsv_name_check(p))
			continue;
		for (size_t j = 0; j < n; j++)
			seen |= !strcmp(infos[j].name, p);
		if (seen)
			continue;
		infos[n] = (struct zsv_slice_info){
			.name = p,
			.dev_name = "zsv0",
			.node = "",
			.mem_bytes = 1ull << 30,
			.weight = 100,
			.cap_pct = 100,
			.present = BIT(ZSV_A_SLICE_ID) | BIT(ZSV_A_SLICE_NAME),
		};
		/* "job-12" is a slice of the group "job". */
		if (dash && dash > p && dash[1] &&
		    strspn(dash + 1, "0123456789") == strlen(dash + 1)) {
			memcpy(groups[n], p, (size_t)(dash - p));
			groups[n][dash - p] = '\0';
			infos[n].group = groups[n];
			infos[n].present |= BIT(ZSV_A_SLICE_GROUP);
		}
		slices[n] = &infos[n];
		n++;
	}
	spec = cdi_spec_build(vendor, slices, n, NULL, 0);
	CHECK(spec);
	text = cdi_spec_text(spec);
	CHECK(text);
	CHECK(cdi_spec_vendor(text, back, sizeof(back)) == 0);
	CHECK(!strcmp(back, vendor));
	CHECK(json_object_object_get_ex(spec, "devices", &devices));
	for (size_t i = 0; i < json_object_array_length(devices); i++) {
		struct json_object *dev = json_object_array_get_idx(devices, i);
		struct json_object *name, *edits, *nodes, *other;
		const char *str;
		size_t members = 0;
		bool is_slice = false;

		CHECK(json_object_object_get_ex(dev, "name", &name));
		str = json_object_get_string(name);
		CHECK(cdi_device_name_ok(str));
		/* Each name once: runtimes refuse a spec with two. */
		for (size_t j = 0; j < i; j++) {
			CHECK(json_object_object_get_ex(
				json_object_array_get_idx(devices, j), "name",
				&other));
			CHECK(strcmp(json_object_get_string(other), str));
		}
		for (size_t j = 0; j < n; j++) {
			is_slice |= !strcmp(infos[j].name, str);
			members += infos[j].group && !strcmp(infos[j].group, str);
		}
		/* A slice's device has its node, a group's all of them. */
		CHECK(json_object_object_get_ex(dev, "containerEdits", &edits));
		CHECK(json_object_object_get_ex(edits, "deviceNodes", &nodes));
		CHECK(json_object_array_length(nodes) ==
		      (is_slice ? 1 : members));
	}
	json_object_put(spec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *vendor;
	size_t len;
	int ret;

	if (!size)
		return 0;
	len = data[0] & 0x80 ? (size_t)(data[0] & 0x3f) : CDI_VENDOR_MAX + 1;
	vendor = malloc(len ? len : 1);
	text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';

	ret = cdi_spec_vendor(text, vendor, len);
	CHECK(ret == 0 || ret == -EINVAL);
	if (!ret) {
		CHECK(len && memchr(vendor, '\0', len));
		CHECK(ref_vendor(vendor) && !cdi_vendor_check(vendor));
		CHECK(ref_kind(text, vendor));
	}

	CHECK(!cdi_vendor_check(text) == ref_vendor(text));
	CHECK(cdi_device_name_ok(text) == ref_device_name(text));
	CHECK(cdi_vendor_check(NULL) == -EINVAL && !cdi_device_name_ok(NULL));

	/* The first word as a vendor, the others as slices. */
	if (ref_vendor(text))
		build_and_read_back(text, text + strlen(text) + 1,
				    size - 1 -
					    (strlen(text) + 1 <= size - 1 ?
						     strlen(text) + 1 :
						     size - 1));
	free(text);
	free(vendor);
	return 0;
}
