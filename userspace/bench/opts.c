// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the subcommands' option parsers share: the options all of them
 * take, numbers, durations, lists of counts and names, each with the
 * same usage error wherever it is given.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

int bench_opt_common(struct bench *b, void (*usage)(FILE *f), int opt,
		     char **argv)
{
	switch (opt) {
	case 'j':
		b->json = true;
		return 0;
	case 'p':
		b->json = true;
		b->pretty = true;
		return 0;
	case 'h':
		usage(stdout);
		return -1;
	default:
		/* Long options leave the word in argv[optind - 1]. */
		if (!optopt || !strncmp(argv[optind - 1], "--", 2))
			return bench_usage_error(usage, "bad option '%s'",
						 argv[optind - 1]);
		return bench_usage_error(usage, "bad option '-%c'", optopt);
	}
}

int bench_opt_u32(void (*usage)(FILE *f), const char *opt, const char *arg,
		  uint32_t *val, uint32_t max)
{
	if (!zsv_parse_u32(arg, val) && *val && (!max || *val <= max))
		return 0;
	if (max)
		return bench_usage_error(
			usage, "%s: '%s' is not a number from 1 to %" PRIu32,
			opt, arg, max);
	return bench_usage_error(usage, "%s: '%s' is not a number from 1", opt,
				 arg);
}

int bench_opt_duration(void (*usage)(FILE *f), const char *opt, const char *arg,
		       uint64_t *ns, bool zero_ok)
{
	if (zsv_parse_duration(arg, ns) || (!zero_ok && !*ns))
		return bench_usage_error(usage, "%s: '%s' is not a%s duration",
					 opt, arg, zero_ok ? "" : " nonzero");
	return 0;
}

int bench_opt_names(void (*usage)(FILE *f), const char *name, const char *dev)
{
	if (zsv_name_check(name) || (dev && zsv_name_check(dev)))
		return bench_usage_error(usage,
					 "'%s' or '%s' is not a valid name",
					 name, dev ? dev : "");
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

int bench_parse_counts(const char *arg, uint32_t *counts, size_t max, size_t *n,
		       bool zero_ok)
{
	char *list, *word, *save;
	size_t i, m = *n;
	int err = 0;

	list = strdup(arg);
	if (!list)
		return -ENOMEM;
	for (word = strtok_r(list, ",", &save); word;
	     word = strtok_r(NULL, ",", &save)) {
		if (m == max) {
			err = -E2BIG;
			break;
		}
		err = zsv_parse_u32(word, &counts[m]);
		if (!err && !zero_ok && !counts[m])
			err = -EINVAL;
		if (err)
			break;
		m++;
	}
	free(list);
	if (!err && !m)
		err = -EINVAL;
	if (err)
		return err;
	qsort(counts, m, sizeof(counts[0]), cmp_u32);
	*n = 0;
	for (i = 0; i < m; i++)
		if (!i || counts[i] != counts[i - 1])
			counts[(*n)++] = counts[i];
	return 0;
}
