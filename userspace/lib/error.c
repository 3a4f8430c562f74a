// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Error codes to sentences, and the library's version.
 */
#include <string.h>

#include "libzsv.h"

#ifndef LIBZSV_VERSION
#define LIBZSV_VERSION "0.1.0"
#endif

const char *zsv_version(void)
{
	return LIBZSV_VERSION;
}

const char *zsv_strerror(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case ZSV_ENOTLOADED:
		return "the zsv kernel module is not loaded";
	default:
		return strerror(err);
	}
}
