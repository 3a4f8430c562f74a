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

TEST_HARNESS_MAIN
