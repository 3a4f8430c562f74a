// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsvctl top: a live view of every device and slice, refreshed every
 * interval, or (-b, or when standard output is not a terminal) plain
 * snapshots for scripts.
 *
 *   zsvctl [-j] top [-b] [-d SECONDS] [-n ITERATIONS] [-s KEY] [-r] [DEVICE]
 *
 * The figures, their order and the lines of a frame come from
 * top_model.c; this file samples them through libzsv and draws them.
 *
 * The live view is plain termios and ANSI (ECMA-48) escapes, which every
 * terminal and ssh session understands: libncurses-dev is not part of
 * zsv's build dependencies, and the view is one screen of text lines.
 * It uses the alternate screen, turns off auto-wrap (a line never wraps)
 * and rewrites only the lines that changed.  The terminal is put back on
 * every way out: q, -n, SIGINT, SIGTERM, SIGHUP, an error; SIGTSTP puts
 * it back before the stop and takes it again after SIGCONT; SIGWINCH
 * redraws at the new size.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json_object.h>

#include "args.h"
#include "top_model.h"
#include "zsvctl.h"

void top_usage(FILE *f)
{
	fputs("Usage: zsvctl [-j|-p] top [-b] [-d SECONDS] [-n ITERATIONS] [-s KEY] [-r] [DEVICE]\n"
	      "       zsvctl top help\n"
	      "\n"
	      "A live view of every device (or DEVICE) and its slices: promised and\n"
	      "delivered share of the device's engine time (last accounting period),\n"
	      "memory used and limit, time held back by the cap and jobs retired per\n"
	      "second (both over the last interval).\n"
	      "\n"
	      "Options:\n"
	      "  -b, --batch            plain text snapshots, also when the output is not a\n"
	      "                         terminal (with -j: one JSON object per snapshot)\n"
	      "  -d, --delay SECONDS    refresh interval, 0.1 to 3600 (or 500ms); default 1\n"
	      "  -n, --iterations N     stop after N refreshes (default: until q or a signal)\n"
	      "  -s, --sort KEY         delivered (default), promised, mem, throttled, jobs,\n"
	      "                         name; numbers largest first, names in order\n"
	      "  -r, --reverse          reverse the order\n"
	      "\n"
	      "Keys: d p m t j n sort by delivered, promised, mem, throttled, jobs, name;\n"
	      "r reverses; space refreshes now; Ctrl-L redraws; q quits.\n"
	      "Batch mode waits one interval before each snapshot, so that every one has\n"
	      "its rates.\n",
	      f);
}

struct top_opts {
	bool batch;
	uint64_t interval_ns;
	uint64_t iterations; /* 0: no limit */
	enum top_sort_key sort;
	bool reverse;
	const char *dev;
};

static int top_parse(int argc, char **argv, struct top_opts *o)
{
	static const struct option long_opts[] = {
		{ "batch", no_argument, NULL, 'b' },
		{ "delay", required_argument, NULL, 'd' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "sort", required_argument, NULL, 's' },
		{ "reverse", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char err_msg[ARGS_ERR_MAX];
	int opt;

	memset(o, 0, sizeof(*o));
	o->interval_ns = TOP_INTERVAL_DEFAULT_NS;
	o->sort = TOP_SORT_DELIVERED;
	/*
	 * argv[-1] is "top": getopt skips it as the program's name.  The
	 * leading ':' makes a missing value ':', not '?'.
	 */
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc + 1, argv - 1, ":bd:n:s:rh", long_opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'b':
			o->batch = true;
			break;
		case 'd':
			if (top_parse_interval(optarg, &o->interval_ns))
				return zsvctl_usage_error(
					top_usage,
					"-d '%s': the interval is seconds from 0.1 to 3600 (or a duration such as 500ms)",
					optarg);
			break;
		case 'n':
			if (top_parse_iterations(optarg, &o->iterations))
				return zsvctl_usage_error(
					top_usage,
					"-n '%s': the iterations are a number from 1",
					optarg);
			break;
		case 's':
			if (top_sort_key_parse(optarg, &o->sort))
				return zsvctl_usage_error(
					top_usage,
					"-s '%s': the sort key is one of delivered, promised, mem, throttled, jobs, name",
					optarg);
			break;
		case 'r':
			o->reverse = true;
			break;
		case 'h':
			top_usage(stdout);
			return -1;
		case ':':
			return zsvctl_usage_error(top_usage,
						  "option '%s' needs a value",
						  argv[optind - 2]);
		default:
			if (!optopt || !strncmp(argv[optind - 2], "--", 2))
				return zsvctl_usage_error(top_usage,
							  "unknown option '%s'",
							  argv[optind - 2]);
			return zsvctl_usage_error(
				top_usage, "unknown option '-%c'", optopt);
		}
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc && !strcmp(argv[0], "help") && argc == 1) {
		top_usage(stdout);
		return -1;
	}
	if (argc) {
		o->dev = argv[0];
		if (args_name("device", o->dev, err_msg, sizeof(err_msg)))
			return zsvctl_usage_error(top_usage, "%s", err_msg);
	}
	if (argc > 1)
		return zsvctl_usage_error(top_usage, "unexpected argument '%s'",
					  argv[1]);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Samples */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int top_sample(struct zsvctl *ctl, const char *dev,
		      struct top_snapshot *snap)
{
	struct zsv_slice_info **slices = NULL;
	struct zsv_dev_info **devs = NULL;
	struct zsv_dev_info *one = NULL;
	size_t ndevs = 0, nslices = 0, i;
	int err;

	memset(snap, 0, sizeof(*snap));
	if (dev) {
		err = zsv_dev_get_by_name(ctl->zh, dev, &one);
		if (err)
			return err;
		devs = &one;
		ndevs = 1;
	} else {
		err = zsv_dev_list(ctl->zh, &devs, &ndevs);
		if (err)
			return err;
	}
	err = zsv_slice_list(ctl->zh, dev, &slices, &nslices);
	if (err)
		goto out;
	snap->time_ns = now_ns();
	snap->devs = calloc(ndevs ? ndevs : 1, sizeof(*snap->devs));
	snap->slices = calloc(nslices ? nslices : 1, sizeof(*snap->slices));
	if (!snap->devs || !snap->slices) {
		top_snapshot_free(snap);
		err = -ENOMEM;
		goto out_slices;
	}
	for (i = 0; i < nslices; i++)
		top_entry_from_slice(&snap->slices[i], slices[i]);
	snap->nslices = nslices;
	for (i = 0; i < ndevs; i++)
		top_entry_from_dev(&snap->devs[i], devs[i], snap->slices,
				   nslices);
	snap->ndevs = ndevs;
out_slices:
	zsv_slice_list_free(slices, nslices);
out:
	if (one)
		zsv_dev_info_free(one);
	else
		zsv_dev_list_free(devs, ndevs);
	return err;
}

static int top_sample_fail(struct zsvctl *ctl, int err, const char *dev)
{
	if (dev && err == -ENODEV) {
		if (zsv_ext_msg(ctl->zh))
			return zsvctl_fail(ctl, err, "cannot read device '%s'",
					   dev);
		fprintf(stderr,
			"zsvctl: cannot read device '%s': no device named '%s'\n",
			dev, dev);
		return ZSVCTL_EXIT_FAIL;
	}
	return zsvctl_fail(ctl, err, "cannot read the devices and slices");
}

/* ------------------------------------------------------------------ */
/* Signals */

static volatile sig_atomic_t top_stop_sig;
static volatile sig_atomic_t top_winch;
static volatile sig_atomic_t top_tstp;

static void on_stop(int sig)
{
	top_stop_sig = sig;
}

static void on_winch(int sig)
{
	(void)sig;
	top_winch = 1;
}

static void on_tstp(int sig)
{
	(void)sig;
	top_tstp = 1;
}

/*
 * SA_RESTART, so that a signal in the middle of a netlink exchange does
 * not fail it; poll() returns EINTR all the same (it is never
 * restarted), which ends the wait at once.
 */
static void top_signals(bool live)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (!live)
		return;
	sa.sa_handler = on_winch;
	sigaction(SIGWINCH, &sa, NULL);
	sa.sa_handler = on_tstp;
	sigaction(SIGTSTP, &sa, NULL);
}

/*
 * Wait until @deadline_ns (CLOCK_MONOTONIC) or a key on @key_fd (-1:
 * none), whichever comes first; a signal ends it early.  Returns 1 when
 * a key is ready, -1 when @key_fd is gone (hung up), 0 otherwise.
 */
static int top_wait(uint64_t deadline_ns, int key_fd)
{
	struct pollfd pfd = { .fd = key_fd, .events = POLLIN };
	uint64_t now = now_ns();
	int ms, n;

	if (now >= deadline_ns)
		return 0;
	ms = (int)((deadline_ns - now + 999999) / 1000000);
	n = poll(&pfd, key_fd >= 0 ? 1 : 0, ms);
	if (n <= 0)
		return 0;
	if (pfd.revents & POLLIN)
		return 1;
	return pfd.revents & (POLLHUP | POLLERR | POLLNVAL) ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Batch mode */

static bool json_add_double(struct json_object *obj, const char *key,
			    bool present, double val)
{
	struct json_object *v = present ? json_object_new_double(val) : NULL;

	if ((present && !v) || json_object_object_add(obj, key, v)) {
		json_object_put(v);
		return false;
	}
	return true;
}

/*
 * One row: raw numbers (ppm, bytes, ns, per second); null for a figure
 * the kernel did not report or a rate not known.
 */
static struct json_object *entry_to_json(const struct top_entry *e)
{
	struct json_object *obj = json_object_new_object();
	unsigned int h = e->has;

	if (!obj)
		return NULL;
	if (zsvctl_json_add_str(obj, "name", true, e->name) &&
	    (e->is_dev ? zsvctl_json_add_u64(obj, "slices", true, e->slices) :
			 zsvctl_json_add_str(obj, "dev", true, e->dev)) &&
	    zsvctl_json_add_u64(obj, "share_promised_ppm", h & TOP_HAS_PROMISED,
				e->promised_ppm) &&
	    zsvctl_json_add_u64(obj, "share_delivered_ppm",
				h & TOP_HAS_DELIVERED, e->delivered_ppm) &&
	    zsvctl_json_add_u64(obj, "mem_used", h & TOP_HAS_MEM_USED,
				e->mem_used_bytes) &&
	    zsvctl_json_add_u64(obj, e->is_dev ? "mem_total" : "mem_bytes",
				h & TOP_HAS_MEM_LIMIT, e->mem_limit_bytes) &&
	    zsvctl_json_add_u64(obj, "throttled_ns", h & TOP_HAS_THROTTLED,
				e->throttled_ns) &&
	    zsvctl_json_add_u64(obj, "throttled_ppm",
				h & TOP_HAS_THROTTLED_RATE, e->throttled_ppm) &&
	    zsvctl_json_add_u64(obj, "jobs_completed", h & TOP_HAS_JOBS,
				e->jobs_completed) &&
	    json_add_double(obj, "jobs_per_s", h & TOP_HAS_JOBS_RATE,
			    e->jobs_per_s))
		return obj;
	json_object_put(obj);
	return NULL;
}

static struct json_object *rows_to_json(const struct top_entry *rows, size_t n)
{
	struct json_object *array = json_object_new_array();
	size_t i;

	for (i = 0; array && i < n; i++) {
		struct json_object *obj = entry_to_json(&rows[i]);

		if (!obj || json_object_array_add(array, obj)) {
			json_object_put(obj);
			json_object_put(array);
			array = NULL;
		}
	}
	return array;
}

/* {"elapsed_ns": N, "sort": "delivered", "devices": [...], "slices": [...]} */
static struct json_object *snapshot_to_json(const struct top_snapshot *snap,
					    const struct top_opts *o,
					    uint64_t dt_ns)
{
	struct json_object *obj = json_object_new_object();
	struct json_object *devs, *slices, *sort;

	if (!obj)
		return NULL;
	devs = rows_to_json(snap->devs, snap->ndevs);
	slices = rows_to_json(snap->slices, snap->nslices);
	sort = json_object_new_string(top_sort_key_name(o->sort));
	if (devs && slices && sort &&
	    zsvctl_json_add_u64(obj, "elapsed_ns", true, dt_ns) &&
	    !json_object_object_add(obj, "sort", sort) &&
	    !json_object_object_add(obj, "devices", devs) &&
	    !json_object_object_add(obj, "slices", slices))
		return obj;
	/* What was added belongs to @obj now; the rest is put here. */
	if (!json_object_object_get_ex(obj, "sort", NULL))
		json_object_put(sort);
	if (!json_object_object_get_ex(obj, "devices", NULL))
		json_object_put(devs);
	if (!json_object_object_get_ex(obj, "slices", NULL))
		json_object_put(slices);
	json_object_put(obj);
	return NULL;
}

static void clock_str(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	if (!localtime_r(&t, &tm) || !strftime(buf, len, "%H:%M:%S", &tm))
		snprintf(buf, len, "?");
}

static int top_batch(struct zsvctl *ctl, const struct top_opts *o)
{
	struct top_snapshot prev, cur;
	struct top_frame frame = { 0 };
	struct top_view view = {
		.interval_ns = o->interval_ns,
		.sort = o->sort,
		.sort_reverse = o->reverse,
	};
	uint64_t i, deadline;
	char clock[16];
	size_t k;
	int err, ret = ZSVCTL_EXIT_OK;

	err = top_sample(ctl, o->dev, &prev);
	if (err)
		return top_sample_fail(ctl, err, o->dev);
	deadline = prev.time_ns;
	for (i = 0; !o->iterations || i < o->iterations; i++) {
		deadline += o->interval_ns;
		while (!top_stop_sig && now_ns() < deadline)
			top_wait(deadline, -1);
		if (top_stop_sig)
			break;
		err = top_sample(ctl, o->dev, &cur);
		if (err) {
			ret = top_sample_fail(ctl, err, o->dev);
			break;
		}
		top_snapshot_rates(&cur, &prev);
		clock_str(clock, sizeof(clock));
		view.clock = clock;
		if (ctl->json) {
			top_sort(cur.devs, cur.ndevs, o->sort, o->reverse);
			top_sort(cur.slices, cur.nslices, o->sort, o->reverse);
			ret = zsvctl_json_print(
				ctl,
				snapshot_to_json(&cur, o,
						 cur.time_ns - prev.time_ns));
		} else if (top_render(&frame, &cur, &view)) {
			ret = zsvctl_fail(ctl, -ENOMEM, "cannot draw the view");
		} else {
			if (i)
				putchar('\n');
			for (k = 0; k < frame.nlines; k++)
				puts(frame.lines[k]);
		}
		top_snapshot_free(&prev);
		prev = cur;
		if (ret)
			break;
		/* A closed pipe or a full disk ends it; main() says so. */
		if (fflush(stdout) == EOF || ferror(stdout))
			break;
	}
	top_snapshot_free(&prev);
	top_frame_free(&frame);
	return ret;
}

/* ------------------------------------------------------------------ */
/* The live view */

struct top_term {
	bool keys; /* standard input is a terminal: its settings were changed */
	struct termios saved;
	bool active;
	unsigned int rows, cols;
	struct top_frame shown; /* what is on the screen */
	bool full; /* clear and draw every line next time */
};

/* Escapes: alternate screen, hide the cursor, no auto-wrap, and back. */
#define TERM_ENTER "\033[?1049h\033[?25l\033[?7l\033[H\033[2J"
#define TERM_LEAVE "\033[?7h\033[?25h\033[?1049l"

static void term_size(struct top_term *t)
{
	struct winsize ws;

	t->rows = 24;
	t->cols = 80;
	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row && ws.ws_col) {
		t->rows = ws.ws_row;
		t->cols = ws.ws_col;
	}
}

static int term_enter(struct top_term *t)
{
	struct termios raw;

	if (t->keys) {
		if (tcgetattr(STDIN_FILENO, &t->saved))
			return -errno;
		raw = t->saved;
		/* Keys one at a time, unechoed; ^C and ^Z still signal. */
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		if (tcsetattr(STDIN_FILENO, TCSADRAIN, &raw))
			return -errno;
	}
	t->active = true;
	fputs(TERM_ENTER, stdout);
	fflush(stdout);
	term_size(t);
	t->full = true;
	return 0;
}

static void term_leave(struct top_term *t)
{
	if (!t->active)
		return;
	fputs(TERM_LEAVE, stdout);
	fflush(stdout);
	if (t->keys)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &t->saved);
	t->active = false;
}

/* Rewrite the lines that differ from what is shown; keep @f as shown. */
static void term_draw(struct top_term *t, struct top_frame *f)
{
	size_t n = f->nlines > t->shown.nlines ? f->nlines : t->shown.nlines;
	struct top_frame tmp;
	size_t i;

	if (t->full)
		fputs("\033[H\033[2J", stdout);
	for (i = 0; i < n && i < t->rows; i++) {
		const char *line = i < f->nlines ? f->lines[i] : "";

		if (!t->full && i < t->shown.nlines &&
		    !strcmp(line, t->shown.lines[i]))
			continue;
		/* Erase first: the last column is not touched after. */
		printf("\033[%zu;1H\033[2K%s", i + 1, line);
	}
	fflush(stdout);
	t->full = false;
	tmp = t->shown;
	t->shown = *f;
	*f = tmp;
}

/* Keys waiting on standard input.  Returns true for q (or no input). */
static bool term_keys(struct top_opts *o, bool *redraw, bool *refresh,
		      struct top_term *t)
{
	enum top_sort_key key;
	char buf[64];
	ssize_t n, i;

	n = read(STDIN_FILENO, buf, sizeof(buf));
	if (!n || (n < 0 && errno != EINTR && errno != EAGAIN))
		return true;
	for (i = 0; i < n; i++) {
		switch (buf[i]) {
		case 'q':
		case 'Q':
			return true;
		case 'r':
			o->reverse = !o->reverse;
			*redraw = true;
			break;
		case ' ':
			*refresh = true;
			break;
		case '\f': /* Ctrl-L */
			t->full = true;
			*redraw = true;
			break;
		default:
			if (!top_sort_key_from_char(buf[i], &key)) {
				o->sort = key;
				*redraw = true;
			}
			break;
		}
	}
	return false;
}

static int top_live(struct zsvctl *ctl, struct top_opts *o)
{
	struct top_term t = { .keys = isatty(STDIN_FILENO) };
	struct top_snapshot prev = { 0 }, cur;
	struct top_frame frame = { 0 };
	struct top_view view = { .interval_ns = o->interval_ns, .keys = true };
	static char outbuf[1 << 16];
	uint64_t frames = 0, deadline;
	bool have = false, quit = false;
	char clock[16];
	int err, ret = ZSVCTL_EXIT_OK;

	/*
	 * A frame goes out in one write at its fflush(), not line by line:
	 * a terminal (or tmux capturing it) never shows half of one.
	 */
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	err = top_sample(ctl, o->dev, &cur);
	if (err)
		return top_sample_fail(ctl, err, o->dev);
	err = term_enter(&t);
	if (err) {
		top_snapshot_free(&cur);
		term_leave(&t);
		return zsvctl_fail(ctl, err, "cannot set up the terminal");
	}
	deadline = cur.time_ns;
	for (;;) {
		bool redraw = false, refresh = false;

		if (!have) {
			/* A new sample in cur: rates against the last. */
			top_snapshot_rates(&cur, frames ? &prev : NULL);
			top_snapshot_free(&prev);
			prev = cur;
			have = true;
			deadline += o->interval_ns;
			frames++;
			redraw = true;
		}
		if (redraw || top_winch) {
			if (top_winch) {
				top_winch = 0;
				term_size(&t);
				t.full = true;
			}
			view.width = t.cols;
			view.height = t.rows;
			view.sort = o->sort;
			view.sort_reverse = o->reverse;
			clock_str(clock, sizeof(clock));
			view.clock = clock;
			if (top_render(&frame, &prev, &view)) {
				term_leave(&t);
				ret = zsvctl_fail(ctl, -ENOMEM,
						  "cannot draw the view");
				break;
			}
			term_draw(&t, &frame);
		}
		if (o->iterations && frames >= o->iterations)
			break;
		/* Wait for the next refresh, a key or a signal. */
		while (!top_stop_sig && !top_winch && !top_tstp && !quit &&
		       !redraw && !refresh && now_ns() < deadline) {
			int ready =
				top_wait(deadline, t.keys ? STDIN_FILENO : -1);

			if (ready > 0)
				quit = term_keys(o, &redraw, &refresh, &t);
			else if (ready < 0)
				quit = true;
		}
		if (top_stop_sig || quit)
			break;
		if (top_tstp) {
			/* Give the terminal back while stopped. */
			top_tstp = 0;
			term_leave(&t);
			raise(SIGSTOP);
			err = term_enter(&t);
			if (err) {
				term_leave(&t);
				ret = zsvctl_fail(ctl, err,
						  "cannot set up the terminal");
				break;
			}
			t.shown.nlines = 0;
			redraw = true;
		}
		if (redraw || top_winch)
			continue;
		if (refresh)
			deadline = now_ns();
		if (now_ns() < deadline)
			continue;
		err = top_sample(ctl, o->dev, &cur);
		if (err) {
			term_leave(&t);
			ret = top_sample_fail(ctl, err, o->dev);
			break;
		}
		/* Late (a stopped process): start counting from now. */
		if (cur.time_ns > deadline + o->interval_ns)
			deadline = cur.time_ns;
		have = false;
	}
	term_leave(&t);
	top_snapshot_free(&prev);
	top_frame_free(&frame);
	top_frame_free(&t.shown);
	return ret;
}

/* ------------------------------------------------------------------ */

int top_main(struct zsvctl *ctl, int argc, char **argv)
{
	struct top_opts o;
	int ret;

	ret = top_parse(argc, argv, &o);
	if (ret)
		return ret < 0 ? ZSVCTL_EXIT_OK : ret;
	ret = zsvctl_connect(ctl);
	if (ret)
		return ret;
	/* JSON is for programs: it comes in snapshots. */
	if (ctl->json || !isatty(STDOUT_FILENO))
		o.batch = true;
	top_signals(!o.batch);
	if (o.batch)
		return top_batch(ctl, &o);
	return top_live(ctl, &o);
}
