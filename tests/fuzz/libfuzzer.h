/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the libFuzzer targets share: CHECK(), which aborts (so libFuzzer
 * keeps the input) with the failed condition, and with the text being
 * checked when the target has set fuzz_text to it.
 */
#ifndef ZSV_LIBFUZZER_H
#define ZSV_LIBFUZZER_H

#include <stdio.h>
#include <stdlib.h>

/* The text a target is checking, for CHECK()'s message; NULL if none. */
static const char *fuzz_text;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "%s:%d: %s fails", __FILE__,         \
				__LINE__, #cond);                            \
			if (fuzz_text)                                       \
				fprintf(stderr, " for \"%s\"", fuzz_text);   \
			fputc('\n', stderr);                                 \
			abort();                                             \
		}                                                            \
	} while (0)

#endif /* ZSV_LIBFUZZER_H */
