// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: names in libzsv: zsv_name_check() (userspace/lib/
 * name.c), and the names of scheduling policies and memory modes
 * (policy.c, mem_mode.c).
 *
 * The input is a string (up to its first NUL). zsv_name_check() must
 * agree with the rule in libzsv.h, [a-z0-9][a-z0-9_.-]{0,62}: 0, or
 * -ENAMETOOLONG past 63 bytes, else -EINVAL; a name must never be one
 * that is unsafe as a path or a JSON key. A policy or memory mode parses
 * exactly when the string is one of their names, and name and value go
 * back and forth; the input's first bytes, as a number, name one or none.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libzsv.h"
#include "libfuzzer.h"

static int ref_name(const char *s)
{
	size_t len = strlen(s);

	if (!len)
		return -EINVAL;
	if (len > ZSV_NAME_MAX)
		return -ENAMETOOLONG;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      (i && (c == '_' || c == '.' || c == '-'))))
			return -EINVAL;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	enum zsv_policy policy;
	enum zsv_mem_mode mode;
	uint32_t num = 0;
	const char *name;
	int got;

	memcpy(s, data, size);
	s[size] = '\0';
	fuzz_text = s;

	got = zsv_name_check(s);
	CHECK(got == ref_name(s));
	if (!got) {
		/* safe as /dev/zsv/<name>, a CDI device and a JSON key */
		CHECK(strcmp(s, ".") && strcmp(s, ".."));
		CHECK(!strpbrk(s, "/\\\"' \t\n%*?[]{}$`"));
	}

	got = zsv_policy_parse(s, &policy);
	name = NULL;
	for (uint32_t v = 0; v <= ZSV_POLICY_MAX; v++)
		if (!strcmp(s, zsv_policy_name(v)))
			name = zsv_policy_name(v);
	CHECK(!got == !!name);
	if (!got) {
		CHECK(policy <= ZSV_POLICY_MAX);
		CHECK(!strcmp(zsv_policy_name(policy), s));
	} else {
		CHECK(got == -EINVAL);
	}

	got = zsv_mem_mode_parse(s, &mode);
	name = NULL;
	for (uint32_t v = 0; v <= ZSV_MEM_MODE_MAX; v++)
		if (!strcmp(s, zsv_mem_mode_name(v)))
			name = zsv_mem_mode_name(v);
	CHECK(!got == !!name);
	if (!got) {
		CHECK(mode <= ZSV_MEM_MODE_MAX);
		CHECK(!strcmp(zsv_mem_mode_name(mode), s));
	} else {
		CHECK(got == -EINVAL);
	}

	/* Every value names one, or none past the last. */
	memcpy(&num, data, size < sizeof(num) ? size : sizeof(num));
	name = zsv_policy_name(num);
	CHECK(!name == (num > ZSV_POLICY_MAX));
	if (name)
		CHECK(!zsv_policy_parse(name, &policy) && policy == num);
	name = zsv_mem_mode_name(num);
	CHECK(!name == (num > ZSV_MEM_MODE_MAX));
	if (name)
		CHECK(!zsv_mem_mode_parse(name, &mode) && mode == num);

	CHECK(zsv_name_check(NULL) == -EINVAL);
	CHECK(zsv_policy_parse(NULL, &policy) == -EINVAL);
	CHECK(zsv_mem_mode_parse(NULL, &mode) == -EINVAL);
	free(s);
	return 0;
}
