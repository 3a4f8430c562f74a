// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsvctl: administer zsv, which slices accelerators into isolated
 * virtual accelerators.
 *
 *   zsvctl [OPTIONS] OBJECT [COMMAND [ARGS]]
 *
 * Global options come before the object; each object is a table of
 * commands in its own file (dev.c, slice.c, ...).  See zsvctl(8).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zsvctl.h"

#ifndef ZSV_VERSION
#define ZSV_VERSION "0.1"
#endif

static void usage(FILE *f);

static int help_main(struct zsvctl *ctl, int argc, char **argv);

/* Append only: the order decides what an abbreviation means. */
static const struct zsvctl_cmd objects[] = {
	{ "dev", dev_main, dev_usage, "physical accelerators (pdevs)" },
	{ "help", help_main, usage, "this help, or an object's: help OBJECT" },
	{ "slice", slice_main, slice_usage,
	  "slices: virtual accelerators carved from devices" },
	{ "monitor", monitor_main, monitor_usage,
	  "print changes to devices, slices and tenants as they happen" },
	{ "cdi", cdi_main, cdi_usage,
	  "Container Device Interface specs for slices" },
	{ "save", save_main, save_usage,
	  "print the layout of devices and slices as a file for apply" },
	{ "apply", apply_main, apply_usage,
	  "make devices and slices match a layout file" },
	{ "assert", assert_main, assert_usage,
	  "exit 1, listing the differences, unless they match a layout file" },
	{ "stats", stats_main, stats_usage,
	  "Prometheus metrics of every device, slice and tenant" },
	{ "top", top_main, top_usage,
	  "live view of devices and slices: shares, memory, throttling, jobs/s" },
	{ "tenant", tenant_main, tenant_usage,
	  "tenants: limits on the slices of each, across every device" },
	{ "group", group_main, group_usage,
	  "groups: one job's slices on several devices, made and destroyed together" },
	{ .name = NULL },
};

static void usage(FILE *f)
{
	fputs("Usage: zsvctl [OPTIONS] OBJECT [COMMAND [ARGS]]\n"
	      "       zsvctl help [OBJECT]\n"
	      "       zsvctl { -V | --version }\n"
	      "\n"
	      "Objects:\n",
	      f);
	zsvctl_cmds_print(f, objects);
	fputs("\n"
	      "Options:\n"
	      "  -j, --json     print JSON\n"
	      "  -p, --pretty   print indented JSON (implies -j)\n"
	      "  -V, --version  print the version and exit\n"
	      "  -h, --help     print this help and exit\n"
	      "\n"
	      "Objects and commands may be abbreviated: 'zsvctl d s zsv0'.\n"
	      "Exit status: 0 success, 1 the kernel or the system refused, 2 usage error.\n",
	      f);
}

static int help_main(struct zsvctl *ctl, int argc, char **argv)
{
	const struct zsvctl_cmd *obj;

	(void)ctl;
	if (argc > 1)
		return zsvctl_usage_error(usage, "unexpected argument '%s'",
					  argv[1]);
	if (!argc) {
		usage(stdout);
		return ZSVCTL_EXIT_OK;
	}
	obj = zsvctl_cmd_find(objects, argv[0]);
	if (!obj)
		return zsvctl_usage_error(usage, "unknown object '%s'",
					  argv[0]);
	obj->usage(stdout);
	return ZSVCTL_EXIT_OK;
}

/* A full disk or a closed pipe must not look like success. */
static int flush_stdout(int ret)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "zsvctl: cannot write the output: %s\n",
			strerror(errno));
		return ret ? ret : ZSVCTL_EXIT_FAIL;
	}
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct zsvctl_cmd *obj;
	struct zsvctl ctl = { 0 };
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+jpVh", long_opts, NULL)) !=
	       -1) {
		switch (opt) {
		case 'j':
			ctl.json = true;
			break;
		case 'p':
			ctl.json = true;
			ctl.pretty = true;
			break;
		case 'V':
			printf("zsvctl %s (libzsv %s)\n", ZSV_VERSION,
			       zsv_version());
			return flush_stdout(ZSVCTL_EXIT_OK);
		case 'h':
			usage(stdout);
			return flush_stdout(ZSVCTL_EXIT_OK);
		default:
			/* Long options leave the word in argv[optind - 1]. */
			if (!optopt || !strncmp(argv[optind - 1], "--", 2))
				return zsvctl_usage_error(usage,
							  "unknown option '%s'",
							  argv[optind - 1]);
			return zsvctl_usage_error(usage, "unknown option '-%c'",
						  optopt);
		}
	}
	argc -= optind;
	argv += optind;

	if (!argc)
		return zsvctl_usage_error(usage, "no object given");
	obj = zsvctl_cmd_find(objects, argv[0]);
	if (!obj)
		return zsvctl_usage_error(usage, "unknown object '%s'",
					  argv[0]);
	ret = obj->fn(&ctl, argc - 1, argv + 1);
	zsv_close(ctl.zh);
	return flush_stdout(ret);
}
