// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsvctl cdi watch: keep a CDI spec current, whoever changes a slice.
 *
 *   zsvctl cdi watch [-o FILE] [vendor PREFIX]
 *
 * Subscribes to the monitor group first, then writes the spec (default
 * CDI_SPEC_PATH, its directory made if missing), so that no change can
 * fall between the two.  After that every event (a slice or a pdev made,
 * changed or deleted, through zsvctl, YNL, an mdev or anything else)
 * makes the spec dirty; once the burst has been quiet for
 * WATCH_COALESCE_NS, or WATCH_COALESCE_MAX_NS after its first event when
 * it goes on, one full dump rewrites it with write + rename
 * (cdi_spec_update()), so a reader sees the old spec or the new one,
 * never a missing or partial file.  The dump, not the events, is the
 * truth: events lost to an overflowing socket (ENOBUFS) only make the
 * spec dirty.  Every WATCH_RESYNC_NS it dumps anyway, and rewrites the
 * spec only if it differs (someone removed it, say); a dump that fails
 * (zsv.ko unloaded) ends the watcher with status 1, for its service
 * manager to start it again.
 *
 * Under systemd (Type=notify, scripts/systemd/zsv-cdi.service) it says
 * READY=1 once the first spec is written, so units ordered after it
 * find the spec.  SIGTERM and SIGINT end it with status 0, the spec
 * left in place.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "cdi.h"
#include "zsvctl.h"

#define NSEC_PER_MSEC 1000000LL
#define NSEC_PER_SEC 1000000000LL

/* Quiet time that ends a burst of events. */
#define WATCH_COALESCE_NS (50 * NSEC_PER_MSEC)
/* Longest a spec stays stale while events keep coming. */
#define WATCH_COALESCE_MAX_NS (500 * NSEC_PER_MSEC)
/* Wait before trying again after a spec could not be written. */
#define WATCH_RETRY_NS (1 * NSEC_PER_SEC)
/* A dump even without events, to notice a vanished file or module. */
#define WATCH_RESYNC_NS (60 * NSEC_PER_SEC)

static volatile sig_atomic_t watch_stop;

static void on_stop_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

/* Make @path's directory and the ones above it, as mkdir -p does. */
static int make_parent_dirs(const char *path)
{
	char *copy = strdup(path), *p;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	for (p = strchr(copy + 1, '/'); p && !err; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(copy, 0755) < 0 && errno != EEXIST)
			err = -errno;
		*p = '/';
	}
	free(copy);
	return err;
}

/*
 * Tell systemd that the service is up (sd_notify(3)'s protocol: one
 * datagram to $NOTIFY_SOCKET); nothing without it.  Best effort.
 */
static void notify_ready(void)
{
	const char *sock = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	static const char msg[] = "READY=1";
	socklen_t len;
	size_t n;
	int fd;

	if (!sock || (sock[0] != '/' && sock[0] != '@'))
		return;
	n = strlen(sock);
	if (n >= sizeof(sa.sun_path))
		return;
	memcpy(sa.sun_path, sock, n);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0'; /* an abstract socket */
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	sendto(fd, msg, sizeof(msg) - 1, MSG_NOSIGNAL, (struct sockaddr *)&sa,
	       len);
	close(fd);
}

struct watch {
	struct zsvctl *ctl;
	const char *path;
	const char *vendor;
	bool dirty; /* an event came since the last dump */
	int64_t first_ns; /* when the first event of the burst came */
	int64_t last_ns; /* when the latest one came */
	int64_t next_ns; /* the next dump, when not dirty */
};

static int on_event(const struct zsv_event *ev, void *arg)
{
	struct watch *w = arg;
	int64_t now = zsv_monotonic_ns();

	(void)ev; /* any change may change the spec: a pdev's timeslice too */
	if (!w->dirty)
		w->first_ns = now;
	w->dirty = true;
	w->last_ns = now;
	return 0;
}

/* When the next dump is due. */
static int64_t watch_due_ns(const struct watch *w)
{
	int64_t quiet, cap;

	if (!w->dirty)
		return w->next_ns;
	quiet = w->last_ns + WATCH_COALESCE_NS;
	cap = w->first_ns + WATCH_COALESCE_MAX_NS;
	return quiet < cap ? quiet : cap;
}

/*
 * Dump and rewrite the spec.  0, or an exit status when the watcher
 * must end; a spec that cannot be written is a warning, tried again.
 */
static int watch_update(struct watch *w, bool first)
{
	char what[CDI_WHAT_MAX];
	bool unchanged;
	int err;

	w->dirty = false;
	w->next_ns = zsv_monotonic_ns() + WATCH_RESYNC_NS;
	/* Made again when it has gone; no error: the write will say. */
	make_parent_dirs(w->path);
	err = cdi_spec_update(w->ctl, w->path, w->vendor, &unchanged, what,
			      sizeof(what));
	/* No dump, no spec: let the service manager start a new watcher. */
	if (err && (first || !strcmp(what, CDI_WHAT_LIST)))
		return zsvctl_fail(w->ctl, err, "%s", what);
	if (err) {
		zsvctl_warn("%s: %s; trying again", what, strerror(-err));
		w->next_ns = zsv_monotonic_ns() + WATCH_RETRY_NS;
	}
	return ZSVCTL_EXIT_OK;
}

/* ppoll()'s timeout for a dump due at @due_ns. */
static struct timespec timeout_until(int64_t due_ns)
{
	int64_t left = due_ns - zsv_monotonic_ns();

	if (left < 0)
		left = 0;
	return (struct timespec){ .tv_sec = left / NSEC_PER_SEC,
				  .tv_nsec = left % NSEC_PER_SEC };
}

int cdi_watch_main(struct zsvctl *ctl, int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	struct watch w = { .ctl = ctl, .path = CDI_SPEC_PATH };
	sigset_t stop_signals, unblocked;
	char err_msg[ARGS_ERR_MAX];
	struct cdi_generate_args a;
	struct timespec timeout;
	struct pollfd pfd;
	int ret, err;

	if (args_cdi_generate(argc, argv, &a, err_msg, sizeof(err_msg)))
		return zsvctl_usage_error(cdi_usage, "%s", err_msg);
	ret = cdi_vendor_pick(a.vendor, &w.vendor);
	if (ret)
		return ret;
	if (a.output)
		w.path = a.output;
	ret = zsvctl_connect(ctl);
	if (ret)
		return ret;
	/* Subscribed before the first dump: no change falls in between. */
	err = zsv_monitor_subscribe(ctl->zh);
	if (err == -EOPNOTSUPP) {
		fputs("zsvctl: cannot watch: this zsv module sends no events (it has no 'monitor' group)\n",
		      stderr);
		return ZSVCTL_EXIT_FAIL;
	}
	if (err)
		return zsvctl_fail(ctl, err, "cannot subscribe to events");

	/* As in "monitor": the stop signals get through only in ppoll(). */
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop_signals, &unblocked);
	sigdelset(&unblocked, SIGINT);
	sigdelset(&unblocked, SIGTERM);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	ret = watch_update(&w, true);
	if (ret)
		return ret;
	fprintf(stderr, "zsvctl: wrote %s; watching for changes\n", w.path);
	notify_ready();

	pfd.fd = zsv_monitor_fd(ctl->zh);
	pfd.events = POLLIN;
	while (!watch_stop) {
		timeout = timeout_until(watch_due_ns(&w));
		if (ppoll(&pfd, 1, &timeout, &unblocked) < 0) {
			if (errno == EINTR)
				continue;
			return zsvctl_fail(ctl, -errno,
					   "cannot wait for events");
		}
		if (pfd.revents) {
			err = zsv_monitor_read(ctl->zh, on_event, &w);
			if (err == -ENOBUFS) {
				/* Which changes were lost matters not: dump. */
				zsvctl_warn(
					"events were lost; rewriting %s from a full dump",
					w.path);
				on_event(NULL, &w);
				err = 0;
			} else if (err == -EINTR || err == -EAGAIN) {
				err = 0;
			}
			if (err)
				return zsvctl_fail(ctl, err,
						   "cannot read events");
		}
		if (zsv_monotonic_ns() >= watch_due_ns(&w)) {
			ret = watch_update(&w, false);
			if (ret)
				return ret;
		}
	}
	return ZSVCTL_EXIT_OK;
}
