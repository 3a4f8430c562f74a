// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Names of pdevs and slices.  They become paths (/dev/zsv/<name>), CDI
 * device names and JSON keys, hence the small alphabet: no '/', no
 * upper case, nothing that needs quoting, never "." or "..".
 */
#include <errno.h>
#include <string.h>

#include "libzsv.h"

static bool name_first_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool name_char_ok(char c)
{
	return name_first_char_ok(c) || c == '_' || c == '.' || c == '-';
}

int zsv_name_check(const char *name)
{
	size_t len, i;

	if (!name)
		return -EINVAL;
	len = strnlen(name, ZSV_NAME_MAX + 1);
	if (!len)
		return -EINVAL;
	if (len > ZSV_NAME_MAX)
		return -ENAMETOOLONG;
	if (!name_first_char_ok(name[0]))
		return -EINVAL;
	for (i = 1; i < len; i++)
		if (!name_char_ok(name[i]))
			return -EINVAL;
	return 0;
}
