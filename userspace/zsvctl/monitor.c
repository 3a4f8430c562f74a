// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsvctl monitor: print every change to devices, slices and tenants as it
 * happens, one line each, for people or (-j) as JSON lines:
 *
 *   slice new a id 0 dev zsv0 mem 4G mode reserved weight 300 cap 50% ...
 *   {"event":"slice-new","slice":{"id":0,"name":"a",...}}
 *
 * Each line is flushed as soon as it is written, so that a pipe or a
 * log sees it at once.  SIGINT, SIGTERM and a closed output end it with
 * exit status 0.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>

#include <json-c/json_object.h>

#include "zsvctl.h"

static int monitor_run_main(struct zsvctl *ctl, int argc, char **argv);
static int monitor_help_main(struct zsvctl *ctl, int argc, char **argv);

/* Append only: the order decides what an abbreviation means. */
static const struct zsvctl_cmd monitor_cmds[] = {
	{ "help", monitor_help_main, NULL, "this help" },
	{ .name = NULL },
};

void monitor_usage(FILE *f)
{
	fputs("Usage: zsvctl [OPTIONS] monitor\n"
	      "       zsvctl monitor help\n"
	      "\n"
	      "Print every change to devices, slices and tenants as it happens, one line each:\n"
	      "  OBJECT ACTION NAME KEY VALUE...   e.g. 'slice new a id 0 dev zsv0 mem 4G ...'\n"
	      "or with -j one JSON object per line:\n"
	      "  {\"event\": \"slice-new\", \"slice\": {...}}\n"
	      "OBJECT is dev, slice or tenant, ACTION new, set or del; the values are the object's\n"
	      "state after the change (before it, for del).  Runs until interrupted;\n"
	      "says 'listening' on standard error once it receives events.\n",
	      f);
}

int monitor_main(struct zsvctl *ctl, int argc, char **argv)
{
	const struct zsvctl_cmd *cmd;

	if (!argc)
		return monitor_run_main(ctl, argc, argv);
	cmd = zsvctl_cmd_find(monitor_cmds, argv[0]);
	if (!cmd)
		return zsvctl_usage_error(monitor_usage,
					  "unexpected argument '%s'", argv[0]);
	return cmd->fn(ctl, argc - 1, argv + 1);
}

static int monitor_help_main(struct zsvctl *ctl, int argc, char **argv)
{
	(void)ctl;
	if (argc)
		return zsvctl_usage_error(monitor_usage,
					  "unexpected argument '%s'", argv[0]);
	monitor_usage(stdout);
	return ZSVCTL_EXIT_OK;
}

static volatile sig_atomic_t monitor_stop;

static void on_stop_signal(int sig)
{
	(void)sig;
	monitor_stop = 1;
}

/* Why the loop ended, beyond errors: a closed output is a clean end. */
#define MONITOR_OUTPUT_CLOSED 1

static int print_json(struct zsvctl *ctl, const struct zsv_event *ev)
{
	struct json_object *obj = json_object_new_object(), *state;
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;
	const char *text = NULL, *key;

	if (!obj)
		return -ENOMEM;
	if (ev->dev) {
		key = "dev";
		state = dev_to_json(ev->dev);
	} else if (ev->slice) {
		key = "slice";
		state = slice_to_json(ev->slice);
	} else {
		key = "tenant";
		state = tenant_to_json(ev->tenant);
	}
	if (!zsvctl_json_add_str(obj, "event", true, zsv_event_name(ev)) ||
	    !state || json_object_object_add(obj, key, state)) {
		json_object_put(state);
		json_object_put(obj);
		return -ENOMEM;
	}
	flags |= ctl->pretty ?
			 JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			 JSON_C_TO_STRING_PLAIN;
	text = json_object_to_json_string_ext(obj, flags);
	if (text)
		puts(text);
	json_object_put(obj);
	return text ? 0 : -ENOMEM;
}

static void print_text(const struct zsv_event *ev)
{
	static const char *const actions[] = {
		[ZSV_EVENT_NEW] = "new",
		[ZSV_EVENT_SET] = "set",
		[ZSV_EVENT_DEL] = "del",
	};

	if (ev->dev) {
		printf("dev %s ", actions[ev->action]);
		dev_print_line(stdout, ev->dev);
	} else if (ev->slice) {
		printf("slice %s ", actions[ev->action]);
		slice_print_line(stdout, ev->slice);
	} else {
		printf("tenant %s ", actions[ev->action]);
		tenant_print_line(stdout, ev->tenant);
	}
	putchar('\n');
}

static int on_event(const struct zsv_event *ev, void *arg)
{
	struct zsvctl *ctl = arg;
	int err = 0;

	if (ctl->json)
		err = print_json(ctl, ev);
	else
		print_text(ev);
	if (err)
		return err;
	if (fflush(stdout) == EOF || ferror(stdout))
		return errno == EPIPE ? MONITOR_OUTPUT_CLOSED : -errno;
	return 0;
}

static int monitor_run_main(struct zsvctl *ctl, int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	sigset_t stop_signals, unblocked;
	struct pollfd pfd;
	int ret, err = 0;

	(void)argc;
	(void)argv;
	ret = zsvctl_connect(ctl);
	if (ret)
		return ret;
	err = zsv_monitor_subscribe(ctl->zh);
	if (err == -EOPNOTSUPP) {
		fputs("zsvctl: cannot monitor: this zsv module sends no events (it has no 'monitor' group)\n",
		      stderr);
		return ZSVCTL_EXIT_FAIL;
	}
	if (err)
		return zsvctl_fail(ctl, err, "cannot subscribe to events");

	/*
	 * The stop signals stay blocked but inside ppoll(), so that one
	 * arriving between the check of monitor_stop and the wait cannot
	 * be missed.  A closed pipe is an EPIPE from fflush(), not a death.
	 */
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop_signals, &unblocked);
	sigdelset(&unblocked, SIGINT);
	sigdelset(&unblocked, SIGTERM);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	fputs("zsvctl: listening for events\n", stderr);
	pfd.fd = zsv_monitor_fd(ctl->zh);
	pfd.events = POLLIN;
	while (!monitor_stop) {
		if (ppoll(&pfd, 1, NULL, &unblocked) < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		err = zsv_monitor_read(ctl->zh, on_event, ctl);
		if (err == -ENOBUFS) {
			/* Events are an audit trail: say that some are missing. */
			zsvctl_warn(
				"events were lost: the kernel sent them faster than they were read");
			err = 0;
		} else if (err == -EINTR || err == -EAGAIN) {
			err = 0;
		}
		if (err)
			break;
	}
	if (err == MONITOR_OUTPUT_CLOSED) {
		/* Drop what can never be written, so that exiting is clean. */
		__fpurge(stdout);
		clearerr(stdout);
		return ZSVCTL_EXIT_OK;
	}
	if (err == -EPROTO)
		return zsvctl_fail(ctl, err, "cannot read an event");
	if (err && err != -EPIPE)
		return zsvctl_fail(ctl, err, "cannot read events");
	return ZSVCTL_EXIT_OK;
}
