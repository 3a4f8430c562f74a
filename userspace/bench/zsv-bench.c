// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-bench: measure zsv on a live system.
 *
 *   zsv-bench [-j|-p] SUBCOMMAND [OPTIONS]
 *
 * Each subcommand is one entry of the table below and lives in its own
 * file (churn.c, share.c, overhead.c, latency.c, vfio.c, place.c,
 * compare.c); they
 * share the report layer (report.c), so every one prints a table for
 * people and the same numbers as JSON with -j.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#ifndef ZSV_VERSION
#define ZSV_VERSION "0.1"
#endif

static void usage(FILE *f);
static int help_main(struct bench *b, int argc, char **argv);

/* Append only, as zsvctl's tables. */
static const struct bench_cmd cmds[] = {
	{ "churn", churn_main, churn_usage,
	  "create and destroy slices (or mdevs) next to 1, 64, 1024 others" },
	{ "help", help_main, usage, "this help, or a subcommand's: help NAME" },
	{ "share", share_main, share_usage,
	  "saturated slices: delivered vs promised share of engine time" },
	{ "overhead", overhead_main, overhead_usage,
	  "utilisation and throughput at 1, 8, 64, 1024 slices vs 1" },
	{ "latency", latency_main, latency_usage,
	  "submit-to-completion of tiny jobs vs a bare ioctl" },
	{ "vfio", vfio_main, vfio_usage,
	  "an mdev's ring vs its /dev/zsv node; mdev and netlink shares" },
	{ "place", place_main, place_usage,
	  "slice-new without a device among 1, 64, 1024 pdevs" },
	{ "compare", compare_main, compare_usage,
	  "headline figures of -j reports of two builds, side by side" },
	{ .name = NULL },
};

static void usage(FILE *f)
{
	const struct bench_cmd *c;

	fputs("Usage: zsv-bench [OPTIONS] SUBCOMMAND [ARGS]\n"
	      "       zsv-bench help [SUBCOMMAND]\n"
	      "\n"
	      "Subcommands:\n",
	      f);
	for (c = cmds; c->name; c++)
		fprintf(f, "  %-9s %s\n", c->name, c->help);
	fputs("\n"
	      "Options (also accepted after the subcommand):\n"
	      "  -j, --json     print JSON\n"
	      "  -p, --pretty   print indented JSON (implies -j)\n"
	      "  -V, --version  print the version and exit\n"
	      "  -h, --help     print this help and exit\n"
	      "\n"
	      "Benchmarks change the system (they create slices) and need\n"
	      "CAP_NET_ADMIN; they remove what they made, also when stopped by\n"
	      "SIGINT or SIGTERM.\n"
	      "Exit status: 0 success, 1 the kernel or the system refused,\n"
	      "2 usage error, 128+N stopped by signal N.\n",
	      f);
}

static const struct bench_cmd *cmd_find(const char *word)
{
	const struct bench_cmd *c;

	for (c = cmds; c->name; c++)
		if (!strcmp(c->name, word))
			return c;
	return NULL;
}

static int help_main(struct bench *b, int argc, char **argv)
{
	const struct bench_cmd *c;

	(void)b;
	/* argv[0] is "help". */
	if (argc > 2)
		return bench_usage_error(usage, "unexpected argument '%s'",
					 argv[2]);
	if (argc < 2) {
		usage(stdout);
		return BENCH_EXIT_OK;
	}
	c = cmd_find(argv[1]);
	if (!c)
		return bench_usage_error(usage, "unknown subcommand '%s'",
					 argv[1]);
	c->usage(stdout);
	return BENCH_EXIT_OK;
}

int bench_usage_error(void (*usage_fn)(FILE *f), const char *fmt, ...)
{
	va_list ap;

	fputs("zsv-bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n\n", stderr);
	usage_fn(stderr);
	return BENCH_EXIT_USAGE;
}

int bench_fail(struct bench *b, int err, const char *fmt, ...)
{
	va_list ap;

	fputs("zsv-bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n",
		b->zh ? zsv_error(b->zh, err) : zsv_strerror(err));
	return BENCH_EXIT_FAIL;
}

int bench_sys_fail(int err, const char *fmt, ...)
{
	va_list ap;

	fputs("zsv-bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err < 0 ? -err : err));
	return BENCH_EXIT_FAIL;
}

int bench_connect(struct bench *b)
{
	int err;

	if (b->zh)
		return BENCH_EXIT_OK;
	err = zsv_open(&b->zh);
	if (err == -ZSV_ENOTLOADED) {
		fputs("zsv-bench: the zsv module is not loaded\n", stderr);
		return BENCH_EXIT_FAIL;
	}
	if (err)
		return bench_fail(b, err, "cannot talk to zsv");
	return BENCH_EXIT_OK;
}

volatile sig_atomic_t bench_stop;

static void on_stop_signal(int sig)
{
	bench_stop = sig;
}

void bench_catch_signals(void)
{
	/* No SA_RESTART: a wait in progress returns, the run winds down. */
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int bench_stopped_status(void)
{
	fprintf(stderr, "zsv-bench: stopped by signal %d (%s)\n",
		(int)bench_stop, strsignal(bench_stop));
	return 128 + bench_stop;
}

/* A full disk or a closed pipe must not look like success. */
static int flush_stdout(int ret)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "zsv-bench: cannot write the output: %s\n",
			strerror(errno));
		return ret ? ret : BENCH_EXIT_FAIL;
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
	const struct bench_cmd *cmd;
	struct bench b = { 0 };
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+jpVh", long_opts, NULL)) !=
	       -1) {
		switch (opt) {
		case 'j':
			b.json = true;
			break;
		case 'p':
			b.json = true;
			b.pretty = true;
			break;
		case 'V':
			printf("zsv-bench %s (libzsv %s)\n", ZSV_VERSION,
			       zsv_version());
			return flush_stdout(BENCH_EXIT_OK);
		case 'h':
			usage(stdout);
			return flush_stdout(BENCH_EXIT_OK);
		default:
			if (!optopt || !strncmp(argv[optind - 1], "--", 2))
				return bench_usage_error(usage,
							 "unknown option '%s'",
							 argv[optind - 1]);
			return bench_usage_error(usage, "unknown option '-%c'",
						 optopt);
		}
	}
	argc -= optind;
	argv += optind;

	if (!argc)
		return bench_usage_error(usage, "no subcommand given");
	cmd = cmd_find(argv[0]);
	if (!cmd)
		return bench_usage_error(usage, "unknown subcommand '%s'",
					 argv[0]);
	/* Subcommands parse with getopt from argv[0] = their own name. */
	optind = 0;
	ret = cmd->fn(&b, argc, argv);
	zsv_close(b.zh);
	return flush_stdout(ret);
}
