// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsvctl on the host, where the zsv module is not loaded: its grammar,
 * exit statuses and messages, and the "module not loaded" path.
 *
 * The binary is ZSVCTL_PATH (set by the Makefile) unless $ZSVCTL names
 * another one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#ifndef ZSVCTL_PATH
#define ZSVCTL_PATH "zsvctl"
#endif

#define NOT_LOADED \
	"zsvctl: the zsv kernel module is not loaded; load it with 'modprobe zsv_sim' (which loads zsv)\n"

#define OUTPUT_MAX 65536

struct run {
	int status;		/* exit status, or -1 when it did not exit */
	char out[OUTPUT_MAX];
	char err[OUTPUT_MAX];
};

static const char *zsvctl_path(void)
{
	const char *path = getenv("ZSVCTL");

	return path && *path ? path : ZSVCTL_PATH;
}

static void read_all(FILE *f, char *buf, size_t len)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/*
 * Run argv (argv[0] is the program's path) and keep its exit status and
 * output; stdout goes to @stdout_path instead when one is given.
 */
static void run_argv(struct run *r, const char *stdout_path, char **argv)
{
	FILE *out = tmpfile(), *err = tmpfile();
	pid_t pid;
	int status;

	r->status = -1;
	r->out[0] = r->err[0] = '\0';
	if (!out || !err) {
		perror("tmpfile");
		return;
	}
	pid = fork();
	if (pid == 0) {
		int fd = fileno(out);

		if (stdout_path)
			fd = open(stdout_path, O_WRONLY);
		dup2(fd, STDOUT_FILENO);
		dup2(fileno(err), STDERR_FILENO);
		execv(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		r->status = WEXITSTATUS(status);
	read_all(out, r->out, sizeof(r->out));
	read_all(err, r->err, sizeof(r->err));
}

#define zsvctl(r, ...)                                                  \
	do {                                                            \
		char *argv_[] = { (char *)zsvctl_path(), __VA_ARGS__, NULL }; \
		run_argv(r, NULL, argv_);                               \
	} while (0)

static bool module_loaded(void)
{
	struct stat st;

	return !stat("/sys/module/zsv", &st);
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

FIXTURE(zsvctl) {
	struct run r;
};

FIXTURE_SETUP(zsvctl)
{
	if (access(zsvctl_path(), X_OK))
		SKIP(return, "%s is not built", zsvctl_path());
}

FIXTURE_TEARDOWN(zsvctl)
{
}

TEST_F(zsvctl, version_prints_version)
{
	zsvctl(&self->r, "--version");
	EXPECT_EQ(0, self->r.status);
	EXPECT_TRUE(starts_with(self->r.out, "zsvctl ")) TH_LOG("%s", self->r.out);
	EXPECT_STREQ("", self->r.err);

	zsvctl(&self->r, "-V");
	EXPECT_EQ(0, self->r.status);
	EXPECT_TRUE(starts_with(self->r.out, "zsvctl "));
}

TEST_F(zsvctl, help_prints_usage_on_stdout)
{
	zsvctl(&self->r, "help");
	EXPECT_EQ(0, self->r.status);
	EXPECT_TRUE(starts_with(self->r.out, "Usage: zsvctl")) TH_LOG("%s", self->r.out);
	EXPECT_NE(NULL, strstr(self->r.out, "dev"));
	EXPECT_STREQ("", self->r.err);

	zsvctl(&self->r, "--help");
	EXPECT_EQ(0, self->r.status);
	EXPECT_TRUE(starts_with(self->r.out, "Usage: zsvctl"));
}

TEST_F(zsvctl, object_help_prints_object_usage)
{
	zsvctl(&self->r, "dev", "help");
	EXPECT_EQ(0, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.out, "dev show NAME")) TH_LOG("%s", self->r.out);
	EXPECT_STREQ("", self->r.err);

	zsvctl(&self->r, "help", "dev");
	EXPECT_EQ(0, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.out, "dev show NAME"));

	/* Abbreviated, as iproute2 allows. */
	zsvctl(&self->r, "h", "d");
	EXPECT_EQ(0, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.out, "dev show NAME"));
}

TEST_F(zsvctl, unknown_object_is_usage_error)
{
	zsvctl(&self->r, "frobnicate");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err, "zsvctl: unknown object 'frobnicate'\n"))
		TH_LOG("%s", self->r.err);
	EXPECT_NE(NULL, strstr(self->r.err, "Usage: zsvctl"));
	EXPECT_STREQ("", self->r.out);
}

TEST_F(zsvctl, unknown_command_is_usage_error)
{
	zsvctl(&self->r, "dev", "frobnicate");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err, "zsvctl: unknown command 'frobnicate'\n"))
		TH_LOG("%s", self->r.err);
	EXPECT_NE(NULL, strstr(self->r.err, "Usage: zsvctl"));
	EXPECT_STREQ("", self->r.out);
}

TEST_F(zsvctl, unknown_option_is_usage_error)
{
	zsvctl(&self->r, "-x", "dev");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err, "zsvctl: unknown option '-x'\n"))
		TH_LOG("%s", self->r.err);

	zsvctl(&self->r, "--frobnicate", "dev");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err, "zsvctl: unknown option '--frobnicate'\n"))
		TH_LOG("%s", self->r.err);
}

TEST_F(zsvctl, missing_object_is_usage_error)
{
	char *argv[] = { (char *)zsvctl_path(), NULL };

	run_argv(&self->r, NULL, argv);
	EXPECT_EQ(2, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.err, "Usage: zsvctl"));
	EXPECT_STREQ("", self->r.out);
}

TEST_F(zsvctl, extra_argument_is_usage_error)
{
	zsvctl(&self->r, "dev", "list", "zsv0");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err, "zsvctl: unexpected argument 'zsv0'\n"))
		TH_LOG("%s", self->r.err);

	zsvctl(&self->r, "dev", "show", "zsv0", "zsv1");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err, "zsvctl: unexpected argument 'zsv1'\n"))
		TH_LOG("%s", self->r.err);
}

TEST_F(zsvctl, dev_show_without_name_is_usage_error)
{
	zsvctl(&self->r, "dev", "show");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err, "zsvctl: dev show needs a NAME\n"))
		TH_LOG("%s", self->r.err);
}

TEST_F(zsvctl, dev_show_invalid_name_is_usage_error)
{
	zsvctl(&self->r, "dev", "show", "ZSV0");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err, "zsvctl: 'ZSV0' is not a device name"))
		TH_LOG("%s", self->r.err);
}

TEST_F(zsvctl, says_module_not_loaded)
{
	if (module_loaded())
		SKIP(return, "the zsv module is loaded here");

	zsvctl(&self->r, "dev");
	EXPECT_EQ(1, self->r.status);
	EXPECT_STREQ(NOT_LOADED, self->r.err);
	EXPECT_STREQ("", self->r.out);
}

TEST_F(zsvctl, says_module_not_loaded_for_every_dev_command)
{
	if (module_loaded())
		SKIP(return, "the zsv module is loaded here");

	zsvctl(&self->r, "dev", "list");
	EXPECT_EQ(1, self->r.status);
	EXPECT_STREQ(NOT_LOADED, self->r.err);

	zsvctl(&self->r, "-j", "dev");
	EXPECT_EQ(1, self->r.status);
	EXPECT_STREQ(NOT_LOADED, self->r.err);
	EXPECT_STREQ("", self->r.out);

	/* "d s" is "dev show": the abbreviation reaches the kernel. */
	zsvctl(&self->r, "d", "s", "zsv0");
	EXPECT_EQ(1, self->r.status);
	EXPECT_STREQ(NOT_LOADED, self->r.err);
}

TEST_F(zsvctl, not_loaded_path_has_no_leaks)
{
	char log_path[] = "/tmp/zsvctl_test.valgrind.XXXXXX";
	char log_opt[sizeof(log_path) + 16];
	char *argv[] = { "/usr/bin/valgrind", "-q", log_opt,
			 "--leak-check=full",
			 "--show-leak-kinds=definite,indirect,possible",
			 "--errors-for-leak-kinds=definite,indirect,possible",
			 "--error-exitcode=99", (char *)zsvctl_path(), "dev",
			 NULL };
	FILE *log;
	int fd;

	if (module_loaded())
		SKIP(return, "the zsv module is loaded here");
	if (access(argv[0], X_OK))
		SKIP(return, "valgrind is not installed");
	fd = mkstemp(log_path);
	ASSERT_LE(0, fd);
	close(fd);
	snprintf(log_opt, sizeof(log_opt), "--log-file=%s", log_path);

	/* zsvctl's stderr stays its own; valgrind's report goes to the log. */
	run_argv(&self->r, NULL, argv);
	log = fopen(log_path, "r");
	unlink(log_path);
	ASSERT_NE(NULL, log);
	read_all(log, self->r.out, sizeof(self->r.out));
	if (strstr(self->r.out, "Giving up"))
		SKIP(return, "this valgrind cannot read the binary's debug info");
	EXPECT_EQ(1, self->r.status) TH_LOG("valgrind: %s", self->r.out);
	EXPECT_STREQ("", self->r.out);
	EXPECT_STREQ(NOT_LOADED, self->r.err);
}

/* ------------------------------------------------------------------ */
/* Slices, monitor, CDI, device changes: what needs no kernel */

#define NO_ADMIN(doing) "zsvctl: " doing " needs CAP_NET_ADMIN (run as root)\n"

TEST_F(zsvctl, new_objects_have_help)
{
	zsvctl(&self->r, "help");
	EXPECT_NE(NULL, strstr(self->r.out, "slice")) TH_LOG("%s", self->r.out);
	EXPECT_NE(NULL, strstr(self->r.out, "monitor"));
	EXPECT_NE(NULL, strstr(self->r.out, "cdi"));

	zsvctl(&self->r, "slice", "help");
	EXPECT_EQ(0, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.out, "slice create [DEV] name NAME mem SIZE"))
		TH_LOG("%s", self->r.out);
	zsvctl(&self->r, "help", "monitor");
	EXPECT_EQ(0, self->r.status);
	EXPECT_TRUE(starts_with(self->r.out, "Usage: zsvctl [OPTIONS] monitor\n"))
		TH_LOG("%s", self->r.out);
	zsvctl(&self->r, "cdi", "help");
	EXPECT_EQ(0, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.out, "cdi [generate] [-o FILE] [vendor PREFIX]"));
	zsvctl(&self->r, "dev", "help");
	EXPECT_NE(NULL, strstr(self->r.out, "dev set NAME"));
	EXPECT_NE(NULL, strstr(self->r.out, "dev add [backend sim] mem SIZE"));
	EXPECT_NE(NULL, strstr(self->r.out, "dev del NAME"));
}

TEST_F(zsvctl, old_abbreviations_keep_their_meaning)
{
	/* "d s" is still dev show, "h" still help, "d" still dev. */
	zsvctl(&self->r, "d", "s");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err, "zsvctl: dev show needs a NAME\n"))
		TH_LOG("%s", self->r.err);
	zsvctl(&self->r, "h", "d");
	EXPECT_EQ(0, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.out, "dev show NAME"));
}

TEST_F(zsvctl, new_words_abbreviate)
{
	zsvctl(&self->r, "s", "c", "zsv0", "name", "a");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err, "zsvctl: slice create needs 'mem SIZE'\n"))
		TH_LOG("%s", self->r.err);
	zsvctl(&self->r, "s", "s");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err, "zsvctl: slice show needs a NAME\n"))
		TH_LOG("%s", self->r.err);
	zsvctl(&self->r, "s", "se", "a");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err, "zsvctl: slice set needs something to change"))
		TH_LOG("%s", self->r.err);
	zsvctl(&self->r, "d", "a");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err, "zsvctl: dev add needs 'mem SIZE'\n"))
		TH_LOG("%s", self->r.err);
	zsvctl(&self->r, "m", "h");
	EXPECT_EQ(0, self->r.status);
	EXPECT_TRUE(starts_with(self->r.out, "Usage: zsvctl [OPTIONS] monitor"));
}

TEST_F(zsvctl, slice_usage_errors_exit_2_before_anything_else)
{
	zsvctl(&self->r, "slice", "create", "zsv0", "name", "a", "mem", "4GB");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err,
				"zsvctl: mem '4GB': not a size (such as 4G, 512M or 1.5G)\n\nUsage: zsvctl"))
		TH_LOG("%s", self->r.err);
	EXPECT_STREQ("", self->r.out);

	zsvctl(&self->r, "slice", "create", "zsv0", "name", "a", "mem", "4G",
	       "weight", "0");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err,
				"zsvctl: weight '0': out of range (1 to 10000)\n"))
		TH_LOG("%s", self->r.err);

	zsvctl(&self->r, "slice", "destroy", "a", "now");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err, "zsvctl: unexpected argument 'now'\n"));

	zsvctl(&self->r, "slice", "list", "dev");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err, "zsvctl: 'dev' needs a value: a device name\n"))
		TH_LOG("%s", self->r.err);

	zsvctl(&self->r, "slice", "show", "A");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err, "zsvctl: 'A' is not a slice name"));

	zsvctl(&self->r, "dev", "set", "zsv0", "oversub", "0.5");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err,
				"zsvctl: oversub '0.5': out of range (1 to 100, or 100% to 10000%)\n"))
		TH_LOG("%s", self->r.err);

	zsvctl(&self->r, "monitor", "now");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err, "zsvctl: unexpected argument 'now'\n"));

	zsvctl(&self->r, "cdi", "generate", "vendor", "1bad");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err, "zsvctl: vendor '1bad': a CDI vendor starts with a letter"))
		TH_LOG("%s", self->r.err);
}

TEST_F(zsvctl, cdi_vendor_from_environment_is_checked)
{
	setenv("ZSV_CDI_VENDOR", "bad vendor", 1);
	zsvctl(&self->r, "cdi", "generate");
	unsetenv("ZSV_CDI_VENDOR");
	EXPECT_EQ(2, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err, "zsvctl: ZSV_CDI_VENDOR 'bad vendor': a CDI vendor"))
		TH_LOG("%s", self->r.err);
}

/* Run zsvctl as nobody, with no capabilities at all. */
static bool run_as_nobody(struct run *r, char **args)
{
	char *argv[32] = { "/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
			   "--clear-groups", "--inh-caps=-all",
			   "--bounding-set=-all", (char *)zsvctl_path() };
	int i, n = 7;

	if (geteuid() != 0 || access(argv[0], X_OK))
		return false;
	for (i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	run_argv(r, NULL, argv);
	return true;
}

TEST_F(zsvctl, changes_need_cap_net_admin_before_asking_the_kernel)
{
	static const struct {
		char *args[12];
		const char *err;
	} cases[] = {
		{ { "slice", "create", "zsv0", "name", "a", "mem", "4G" },
		  NO_ADMIN("creating a slice") },
		{ { "slice", "set", "a", "weight", "5" },
		  NO_ADMIN("changing a slice") },
		{ { "slice", "destroy", "a", "force" },
		  NO_ADMIN("destroying a slice") },
		{ { "dev", "set", "zsv0", "policy", "fixed" },
		  NO_ADMIN("changing a device") },
		{ { "dev", "add", "mem", "1G" }, NO_ADMIN("adding a device") },
		{ { "dev", "del", "zsv2" }, NO_ADMIN("removing a device") },
		{ { "tenant", "add", "acme", "mem", "1G" },
		  NO_ADMIN("adding a tenant") },
		{ { "tenant", "set", "acme", "slices", "none" },
		  NO_ADMIN("changing a tenant") },
		{ { "tenant", "del", "acme" }, NO_ADMIN("deleting a tenant") },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!run_as_nobody(&self->r, (char **)cases[i].args))
			SKIP(return, "needs root and setpriv to drop privileges");
		/* Not "module not loaded": the kernel was never asked. */
		EXPECT_EQ(1, self->r.status) TH_LOG("case %u", i);
		EXPECT_STREQ(cases[i].err, self->r.err);
		EXPECT_STREQ("", self->r.out);
	}
}

TEST_F(zsvctl, says_module_not_loaded_for_slice_monitor_and_cdi)
{
	if (module_loaded())
		SKIP(return, "the zsv module is loaded here");

	zsvctl(&self->r, "slice");
	EXPECT_EQ(1, self->r.status);
	EXPECT_STREQ(NOT_LOADED, self->r.err);
	zsvctl(&self->r, "-j", "slice", "show", "a");
	EXPECT_EQ(1, self->r.status);
	EXPECT_STREQ(NOT_LOADED, self->r.err);
	zsvctl(&self->r, "monitor");
	EXPECT_EQ(1, self->r.status);
	EXPECT_STREQ(NOT_LOADED, self->r.err);
	zsvctl(&self->r, "cdi", "generate");
	EXPECT_EQ(1, self->r.status);
	EXPECT_STREQ(NOT_LOADED, self->r.err);
	EXPECT_STREQ("", self->r.out);
	if (geteuid() == 0) {
		zsvctl(&self->r, "slice", "create", "zsv0", "name", "a", "mem", "4G");
		EXPECT_EQ(1, self->r.status);
		EXPECT_STREQ(NOT_LOADED, self->r.err);
	}
}

TEST_F(zsvctl, write_error_is_reported)
{
	char *argv[] = { (char *)zsvctl_path(), "--version", NULL };

	if (access("/dev/full", W_OK))
		SKIP(return, "no /dev/full");

	run_argv(&self->r, "/dev/full", argv);
	EXPECT_EQ(1, self->r.status);
	EXPECT_TRUE(starts_with(self->r.err, "zsvctl: cannot write the output: "))
		TH_LOG("%s", self->r.err);
}

TEST_F(zsvctl, top_usage_errors_exit_2_before_anything_else)
{
	static const struct {
		const char *args[3];
		const char *err;
	} bad[] = {
		{ { "-d", "0" }, "zsvctl: -d '0': the interval is seconds from 0.1 to 3600" },
		{ { "-d", "1x" }, "zsvctl: -d '1x': the interval is seconds" },
		{ { "-n", "0" }, "zsvctl: -n '0': the iterations are a number from 1\n" },
		{ { "-s", "cpu" }, "zsvctl: -s 'cpu': the sort key is one of delivered," },
		{ { "-x" }, "zsvctl: unknown option '-x'\n" },
		{ { "--frob" }, "zsvctl: unknown option '--frob'\n" },
		{ { "-d" }, "zsvctl: option '-d' needs a value\n" },
		{ { "zsv0", "zsv1" }, "zsvctl: unexpected argument 'zsv1'\n" },
		{ { "Zsv0" }, "zsvctl: 'Zsv0' is not a device name" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *argv[] = { (char *)zsvctl_path(), "top",
				 (char *)bad[i].args[0], (char *)bad[i].args[1],
				 NULL };

		run_argv(&self->r, NULL, argv);
		EXPECT_EQ(2, self->r.status);
		EXPECT_TRUE(starts_with(self->r.err, bad[i].err))
			TH_LOG("%s", self->r.err);
		EXPECT_NE(NULL, strstr(self->r.err, "\nUsage: zsvctl [-j|-p] top "));
		EXPECT_STREQ("", self->r.out);
	}
	zsvctl(&self->r, "top", "help");
	EXPECT_EQ(0, self->r.status);
	EXPECT_TRUE(starts_with(self->r.out, "Usage: zsvctl [-j|-p] top "));
	zsvctl(&self->r, "help", "top");
	EXPECT_EQ(0, self->r.status);
	EXPECT_TRUE(starts_with(self->r.out, "Usage: zsvctl [-j|-p] top "));
}

TEST_F(zsvctl, top_says_module_not_loaded)
{
	if (module_loaded())
		SKIP(return, "the zsv module is loaded here");

	zsvctl(&self->r, "top", "-b", "-n", "1");
	EXPECT_EQ(1, self->r.status);
	EXPECT_STREQ(NOT_LOADED, self->r.err);
	EXPECT_STREQ("", self->r.out);
}

TEST_F(zsvctl, tenant_usage_errors_exit_2_before_anything_else)
{
	static const struct {
		char *args[8];
		const char *err;
	} cases[] = {
		{ { "tenant", "add", "none" },
		  "zsvctl: 'none' cannot name a tenant: it means no tenant (slice set NAME tenant none)\n" },
		{ { "tenant", "set", "acme" },
		  "zsvctl: tenant set needs something to change: mem, slices, compute or weight\n" },
		{ { "tenant", "set", "acme", "weight", "0" },
		  "zsvctl: weight '0': out of range (1 to 10000)\n" },
		{ { "tenant", "add", "acme", "weight", "10001" },
		  "zsvctl: weight '10001': out of range (1 to 10000)\n" },
		{ { "tenant", "set", "acme", "weight", "abc" },
		  "zsvctl: weight 'abc': not a number\n" },
		{ { "tenant", "del" }, "zsvctl: tenant del needs a NAME\n" },
		{ { "tenant", "del", "a", "b" },
		  "zsvctl: unexpected argument 'b'\n" },
		{ { "tenant", "show", "none" },
		  "zsvctl: 'none' cannot name a tenant: it means no tenant (slice set NAME tenant none)\n" },
		{ { "tenant", "add", "acme", "compute", "lots" },
		  "zsvctl: compute 'lots': not a percentage of an engine (such as 400% for four engines), or none\n" },
		{ { "slice", "set", "a", "tenant", "Acme" },
		  "zsvctl: 'Acme' is not a tenant name" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[10] = { (char *)zsvctl_path() };

		memcpy(argv + 1, cases[i].args, sizeof(cases[i].args));
		run_argv(&self->r, NULL, argv);
		EXPECT_EQ(2, self->r.status) TH_LOG("case %u", i);
		EXPECT_TRUE(starts_with(self->r.err, cases[i].err))
			TH_LOG("case %u: %s", i, self->r.err);
	}
	/* "t" is still top, which came first; tenant needs "te". */
	zsvctl(&self->r, "help", "t");
	EXPECT_TRUE(starts_with(self->r.out, "Usage: zsvctl [-j|-p] top"))
		TH_LOG("%s", self->r.out);
	zsvctl(&self->r, "help", "te");
	EXPECT_TRUE(starts_with(self->r.out,
				"Usage: zsvctl [OPTIONS] tenant add NAME"))
		TH_LOG("%s", self->r.out);
}

TEST_HARNESS_MAIN
