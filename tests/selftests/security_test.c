// SPDX-License-Identifier: GPL-2.0-only
/*
 * The claims of Documentation/security.rst against the real module
 * (zsv_sim with two 16 GiB devices, zsv0 and zsv1): who may change what,
 * what user and network namespaces can and cannot do, what any user on
 * the host can read, what device node permissions decide, that no context
 * reaches another's memory, that revocation is complete, that contention
 * shows in a tenant's job latency, and how a tenant's kernel memory is
 * accounted.
 *
 * Unprivileged steps run in a forked child that has dropped to another
 * uid (and so every capability); the child checks with CHILD_CHECK, which
 * prints the failed condition, and exits 0 when all held, 77 to skip.
 * Every test cleans up after itself (slices named "t-*").
 */
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nl_helpers.h"
#include "zsv_helpers.h"

#define TENANT 1000 /* uid and gid of a tenant */
#define OTHER 1001 /* uid and gid of another tenant */
#define NOBODY 65534

static long page_size;

/* --- helpers ---------------------------------------------------------------- */

/* slice-new; @uid, @gid and @mode of the node when not -1. */
static int slice_new(struct zsv_nl *nl, const char *name, const char *dev,
		     uint64_t mem, int uid, int gid, int mode)
{
	struct nl_msg *msg = zsv_slice_new_msg(nl, name, dev, mem);

	if (uid >= 0)
		nla_put_u32(msg, ZSV_A_SLICE_UID, uid);
	if (gid >= 0)
		nla_put_u32(msg, ZSV_A_SLICE_GID, gid);
	if (mode >= 0)
		nla_put_u32(msg, ZSV_A_SLICE_NODE_MODE, mode);
	return xfer(nl, msg, ZSV_A_SLICE_MAX);
}

static int dev_new(struct zsv_nl *nl, uint64_t mem, uint32_t engines,
		   char *name)
{
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));
	struct nl_msg *msg = zsv_nl_msg(nl, ZSV_CMD_DEV_NEW, 0);
	int err;

	nla_put_u64(msg, ZSV_A_DEV_MEM_TOTAL, mem);
	nla_put_u32(msg, ZSV_A_DEV_ENGINES, engines);
	err = zsv_nl_xfer(nl, msg, r, ZSV_A_DEV_MAX);
	if (!err && name)
		snprintf(name, 16, "%s",
			 nla_get_string(r->attrs[0][ZSV_A_DEV_NAME]));
	zsv_nl_reply_free(r);
	free(r);
	return err;
}

static int dev_del(struct zsv_nl *nl, const char *dev)
{
	struct nl_msg *msg = zsv_nl_msg(nl, ZSV_CMD_DEV_DEL, 0);

	nla_put_string(msg, ZSV_A_DEV_NAME, dev);
	return xfer(nl, msg, ZSV_A_DEV_MAX);
}

static bool slice_exists(struct zsv_nl *nl, const char *name)
{
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));
	int err = zsv_slice_get(nl, r, name);

	zsv_nl_reply_free(r);
	free(r);
	return !err;
}

/*
 * Every attribute of every pdev and slice as text, less the statistics
 * that move on their own: what "changed nothing" compares.
 */
static void snapshot_of(struct zsv_nl *nl, uint8_t cmd, int maxattr,
			uint64_t volatile_attrs, char *buf, size_t len)
{
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));
	size_t off = strlen(buf);

	zsv_nl_xfer(nl, zsv_nl_msg(nl, cmd, NLM_F_DUMP), r, maxattr);
	for (int i = 0; i < r->count; i++) {
		for (int type = 1; type <= maxattr; type++) {
			struct nlattr *a = r->attrs[i][type];
			const uint8_t *d;

			if (!a || (volatile_attrs & (1ULL << type)))
				continue;
			d = nla_data(a);
			off += snprintf(buf + off, len - off, " %d=", type);
			for (int k = 0; k < nla_len(a) && off < len; k++)
				off += snprintf(buf + off, len - off, "%02x",
						d[k]);
		}
		off += snprintf(buf + off, len - off, "\n");
	}
	zsv_nl_reply_free(r);
	free(r);
}

static char *snapshot(struct zsv_nl *nl)
{
	size_t len = 1 << 20;
	char *buf = calloc(1, len);

	snapshot_of(nl, ZSV_CMD_DEV_GET, ZSV_A_DEV_MAX,
		    1ULL << ZSV_A_DEV_BUSY_NS |
			    1ULL << ZSV_A_DEV_JOBS_COMPLETED,
		    buf, len);
	snapshot_of(nl, ZSV_CMD_SLICE_GET, ZSV_A_SLICE_MAX,
		    1ULL << ZSV_A_SLICE_BUSY_NS |
			    1ULL << ZSV_A_SLICE_THROTTLED_NS |
			    1ULL << ZSV_A_SLICE_CTX_SWITCHES |
			    1ULL << ZSV_A_SLICE_SHARE_PROMISED_PPM |
			    1ULL << ZSV_A_SLICE_SHARE_DELIVERED_PPM,
		    buf, len);
	return buf;
}

/* --- the data plane ------------------------------------------------------- */

/* Run one command and wait for it: 0, or the errno of the call or job. */
static int run1(int fd, struct zsv_job_cmd c)
{
	return run1_within(fd, c, 60 * SEC);
}

/* --- other credentials ------------------------------------------------ */

#define CHILD_CHECK(cond)                                                      \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "#   child line %d: %s (errno: %s)\n", \
				__LINE__, #cond, strerror(errno));             \
			return 1;                                              \
		}                                                              \
	} while (0)

struct creds {
	uid_t uid;
	gid_t gid;
	gid_t group; /* a supplementary group, or 0 for none */
};

/*
 * Run @fn in a child process with @c's uid, gid and group (@c NULL: as
 * root, unchanged). Changing every uid away from 0 clears every
 * capability. Return: the child's exit status.
 */
static int run_as(const struct creds *c, int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		if (c && (setgroups(c->group ? 1 : 0, &c->group) ||
			  setresgid(c->gid, c->gid, c->gid) ||
			  setresuid(c->uid, c->uid, c->uid)))
			_exit(100);
		/* A uid change made /proc/self root's: make it ours again. */
		prctl(PR_SET_DUMPABLE, 1);
		_exit(fn(arg));
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static const struct creds tenant = { TENANT, TENANT, 0 };
static const struct creds other = { OTHER, OTHER, 0 };
static const struct creds nobody = { NOBODY, NOBODY, 0 };

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -EIO;
}

/*
 * Enter a new user namespace in which this process is root, mapped to
 * its uid and gid outside. Return: 0, or 77 when user namespaces are not
 * available to this process.
 */
static int enter_userns(void)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (unshare(CLONE_NEWUSER))
		return errno == EPERM || errno == EINVAL || errno == ENOSPC ||
				       errno == EUSERS ?
			       77 :
			       1;
	snprintf(map, sizeof(map), "0 %u 1", uid);
	CHILD_CHECK(!write_file("/proc/self/setgroups", "deny"));
	CHILD_CHECK(!write_file("/proc/self/uid_map", map));
	snprintf(map, sizeof(map), "0 %u 1", gid);
	CHILD_CHECK(!write_file("/proc/self/gid_map", map));
	return 0;
}

static bool has_cap(cap_value_t cap)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps = cap_get_proc();

	cap_get_flag(caps, cap, CAP_EFFECTIVE, &v);
	cap_free(caps);
	return v == CAP_SET;
}

static int set_cap(cap_value_t cap, cap_flag_value_t v)
{
	cap_t caps = cap_get_proc();
	int err;

	cap_set_flag(caps, CAP_EFFECTIVE, 1, &cap, v);
	err = cap_set_proc(caps);
	cap_free(caps);
	return err;
}

/* --- fixture ------------------------------------------------------------ */

FIXTURE(sec)
{
	struct zsv_nl nl;
	bool ready;
};

FIXTURE_SETUP(sec)
{
	if (access("/sys/class/zsv/zsv1", F_OK))
		SKIP(return, "needs zsv_sim with two devices");
	page_size = sysconf(_SC_PAGESIZE);
	ASSERT_EQ(0, zsv_nl_open(&self->nl));
	self->ready = true;
	delete_test_slices(&self->nl);
}

FIXTURE_TEARDOWN(sec)
{
	if (!self->ready)
		return;
	delete_test_slices(&self->nl);
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_USED));
	EXPECT_EQ(0ULL, dev_stat(&self->nl, "zsv1", ZSV_A_DEV_MEM_USED));
	zsv_nl_close(&self->nl);
}

/* --- who may change what --------------------------------------------------- */

/* Every mutation must fail EPERM; the caller checks nothing changed. */
static int try_every_mutation(void *arg)
{
	struct zsv_nl nl;
	struct nl_msg *msg;

	(void)arg;
	CHILD_CHECK(!zsv_nl_open(&nl));
	CHILD_CHECK(slice_new(&nl, "t-b", "zsv0", GiB, -1, -1, -1) == -EPERM);
	/* Not even the owner of a slice may change or destroy it. */
	CHILD_CHECK(slice_set_u32(&nl, "t-a", ZSV_A_SLICE_WEIGHT, 10000) ==
		    -EPERM);
	CHILD_CHECK(slice_set_u32(&nl, "t-a", ZSV_A_SLICE_NODE_MODE, 0666) ==
		    -EPERM);
	msg = zsv_nl_msg(&nl, ZSV_CMD_SLICE_SET, 0);
	nla_put_string(msg, ZSV_A_SLICE_NAME, "t-a");
	nla_put_u64(msg, ZSV_A_SLICE_MEM_BYTES, 8 * GiB);
	CHILD_CHECK(xfer(&nl, msg, ZSV_A_SLICE_MAX) == -EPERM);
	CHILD_CHECK(slice_del(&nl, "t-a", false) == -EPERM);
	CHILD_CHECK(slice_del(&nl, "t-a", true) == -EPERM);
	CHILD_CHECK(dev_set_u32(&nl, "zsv0", ZSV_A_DEV_POLICY,
				ZSV_POLICY_FIXED) == -EPERM);
	CHILD_CHECK(dev_set_u32(&nl, "zsv0", ZSV_A_DEV_OVERSUB_PCT, 10000) ==
		    -EPERM);
	CHILD_CHECK(dev_new(&nl, GiB, 1, NULL) == -EPERM);
	CHILD_CHECK(dev_del(&nl, "zsv1") == -EPERM);
	zsv_nl_close(&nl);
	return 0;
}

/*
 * A user without CAP_NET_ADMIN, here the very tenant that owns a slice,
 * can neither carve, change nor destroy anything, and a refused request
 * changes nothing.
 */
TEST_F(sec, unprivileged_mutations_fail_eperm_and_change_nothing)
{
	char *before, *after;
	int fd;

	ASSERT_EQ(0, slice_new(&self->nl, "t-a", "zsv0", GiB, TENANT, TENANT,
			       0600));
	fd = open("/dev/zsv/t-a", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bo_create(fd, MiB, NULL));
	before = snapshot(&self->nl);
	EXPECT_EQ(0, run_as(&tenant, try_every_mutation, NULL));
	EXPECT_EQ(0, run_as(&nobody, try_every_mutation, NULL));
	after = snapshot(&self->nl);
	EXPECT_STREQ(before, after);
	EXPECT_FALSE(slice_exists(&self->nl, "t-b"));
	free(before);
	free(after);
	close(fd);
}

/*
 * Send @msg by write(2), with no destination address (as a program does
 * that writes to a netlink socket it was handed as, say, its stdout).
 */
static int xfer_by_write(struct zsv_nl *nl, struct nl_msg *msg)
{
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));
	struct nl_cb *cb = zsv_nl_reply_cb(r, ZSV_A_SLICE_MAX);
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int err = 0;

	nl_socket_disable_seq_check(nl->sock);
	nl_complete_msg(nl->sock, msg);
	if (write(nl_socket_get_fd(nl->sock), nlh, nlh->nlmsg_len) !=
	    (ssize_t)nlh->nlmsg_len)
		err = -errno;
	while (!err && !r->done)
		if (nl_recvmsgs(nl->sock, cb) < 0 && !r->done)
			err = -EIO;
	nlmsg_free(msg);
	nl_cb_put(cb);
	err = err ?: r->error;
	zsv_nl_reply_free(r);
	free(r);
	return err;
}

static int mutate_through_sockets(void *arg)
{
	struct zsv_nl opened_without, opened_with;

	(void)arg;
	/* Opened without CAP_NET_ADMIN, written to by a process with it. */
	CHILD_CHECK(!set_cap(CAP_NET_ADMIN, CAP_CLEAR));
	CHILD_CHECK(!zsv_nl_open(&opened_without));
	CHILD_CHECK(!set_cap(CAP_NET_ADMIN, CAP_SET));
	CHILD_CHECK(has_cap(CAP_NET_ADMIN));
	CHILD_CHECK(xfer_by_write(&opened_without,
				  zsv_slice_new_msg(&opened_without, "t-s",
						    "zsv0", MiB)) == -EPERM);
	/* Opened with it, used by a process without it. */
	CHILD_CHECK(!zsv_nl_open(&opened_with));
	CHILD_CHECK(!set_cap(CAP_NET_ADMIN, CAP_CLEAR));
	CHILD_CHECK(slice_new(&opened_with, "t-s", "zsv0", MiB, -1, -1, -1) ==
		    -EPERM);
	CHILD_CHECK(xfer_by_write(&opened_with,
				  zsv_slice_new_msg(&opened_with, "t-s", "zsv0",
						    MiB)) == -EPERM);
	/* Both: allowed, either way. */
	CHILD_CHECK(!set_cap(CAP_NET_ADMIN, CAP_SET));
	CHILD_CHECK(!xfer_by_write(&opened_with,
				   zsv_slice_new_msg(&opened_with, "t-s",
						     "zsv0", MiB)));
	CHILD_CHECK(!slice_del(&opened_with, "t-s", false));
	zsv_nl_close(&opened_without);
	zsv_nl_close(&opened_with);
	return 0;
}

/*
 * GENL_ADMIN_PERM (netlink_capable()) wants CAP_NET_ADMIN in the initial
 * user namespace of the process that sends a request; a request written
 * to a socket without naming the kernel as its destination (write(2))
 * also needs the socket's opener to have had it. A privileged program
 * handed an unprivileged user's socket (as its stdout, say) cannot be
 * made to mutate by writing to it, and a privileged socket is no use to
 * a process that lacks the capability.
 */
TEST_F(sec, mutations_need_net_admin_of_the_socket_opener_and_the_sender)
{
	EXPECT_EQ(0, run_as(NULL, mutate_through_sockets, NULL));
	EXPECT_FALSE(slice_exists(&self->nl, "t-s"));
}

/* @arg: whether the node's owner (root) is outside the namespace. */
static int userns_root_tries(void *arg)
{
	struct zsv_nl nl, outside;
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));
	int err = enter_userns(), family;

	if (err)
		return err;
	CHILD_CHECK(getuid() == 0 && has_cap(CAP_NET_ADMIN) &&
		    has_cap(CAP_DAC_OVERRIDE));
	/* Still in the host's network namespace: reading works. */
	CHILD_CHECK(!zsv_nl_open(&nl));
	CHILD_CHECK(!zsv_nl_xfer(&nl,
				 zsv_nl_msg(&nl, ZSV_CMD_DEV_GET, NLM_F_DUMP),
				 r, ZSV_A_DEV_MAX));
	CHILD_CHECK(r->count >= 2);
	zsv_nl_reply_free(r);
	/* Owners are the host's ids, untranslated (root is unmapped here). */
	CHILD_CHECK(!zsv_slice_get(&nl, r, "t-a"));
	CHILD_CHECK(zsv_r_u32(r, ZSV_A_SLICE_UID) == 0);
	zsv_nl_reply_free(r);
	/* CAP_NET_ADMIN of a user namespace is not the host's. */
	CHILD_CHECK(slice_new(&nl, "t-u", "zsv0", MiB, -1, -1, -1) == -EPERM);
	CHILD_CHECK(slice_set_u32(&nl, "t-a", ZSV_A_SLICE_NODE_MODE, 0666) ==
		    -EPERM);
	CHILD_CHECK(slice_del(&nl, "t-a", true) == -EPERM);
	CHILD_CHECK(dev_set_u32(&nl, "zsv0", ZSV_A_DEV_POLICY,
				ZSV_POLICY_FIXED) == -EPERM);
	CHILD_CHECK(dev_new(&nl, GiB, 1, NULL) == -EPERM);
	/*
	 * Nor CAP_DAC_OVERRIDE over a node whose owner it does not map; a
	 * node of the uid it maps opens as usual.
	 */
	if (arg) {
		CHILD_CHECK(open("/dev/zsv/t-a", O_RDWR) < 0 &&
			    errno == EACCES);
	} else {
		int fd = open("/dev/zsv/t-a", O_RDWR);

		CHILD_CHECK(fd >= 0);
		close(fd);
	}
	/* A network namespace of its own does not have the family. */
	family = nl.family;
	CHILD_CHECK(!unshare(CLONE_NEWNET));
	CHILD_CHECK(zsv_nl_open(&outside) == -ENOENT);
	outside.family = family; /* as learned outside */
	CHILD_CHECK(slice_new(&outside, "t-u", "zsv0", MiB, -1, -1, -1) ==
		    -ENOENT);
	zsv_nl_close(&nl);
	free(r);
	return 0;
}

/*
 * Root of a user namespace, whether made by an unprivileged user
 * (unshare -Ur) or by root, has every capability there and none on the
 * host: it can read (and sees the host's uids), but not mutate; it opens
 * a node only as the uid it maps to outside (CAP_DAC_OVERRIDE does not
 * reach a node whose owner it does not map); and from a network
 * namespace of its own it cannot reach the family at all.
 */
TEST_F(sec, user_namespace_root_cannot_mutate_or_open_others_nodes)
{
	int status;

	ASSERT_EQ(0, slice_new(&self->nl, "t-a", "zsv0", GiB, -1, -1, 0600));
	status = run_as(&nobody, userns_root_tries, "unmapped owner");
	if (status == 77)
		SKIP(return, "unprivileged user namespaces are disabled");
	EXPECT_EQ(0, status);
	EXPECT_EQ(0, run_as(NULL, userns_root_tries, NULL));
	EXPECT_FALSE(slice_exists(&self->nl, "t-u"));
	EXPECT_TRUE(slice_exists(&self->nl, "t-a"));
}

static int netns_root_tries(void *arg)
{
	struct zsv_nl nl, outside;

	(void)arg;
	CHILD_CHECK(!zsv_nl_open(&outside));
	CHILD_CHECK(!unshare(CLONE_NEWNET));
	CHILD_CHECK(has_cap(CAP_NET_ADMIN));
	CHILD_CHECK(zsv_nl_open(&nl) == -ENOENT);
	nl.family = outside.family;
	CHILD_CHECK(slice_new(&nl, "t-n", "zsv0", MiB, -1, -1, -1) == -ENOENT);
	CHILD_CHECK(dev_set_u32(&nl, "zsv0", ZSV_A_DEV_POLICY,
				ZSV_POLICY_FIXED) == -ENOENT);
	return 0;
}

/*
 * The family exists in the host's initial network namespace only: even
 * root with CAP_NET_ADMIN cannot resolve it, or use its id, from another
 * (a container with its own network namespace never reaches the
 * control plane).
 */
TEST_F(sec, another_network_namespace_cannot_reach_the_family)
{
	EXPECT_EQ(0, run_as(NULL, netns_root_tries, NULL));
	EXPECT_FALSE(slice_exists(&self->nl, "t-n"));
	EXPECT_EQ((uint64_t)ZSV_POLICY_WEIGHTED,
		  dev_stat(&self->nl, "zsv0", ZSV_A_DEV_POLICY));
}

/* --- what anyone can read -------------------------------------------------- */

/* Attribute types present in reply @i of @r, as a mask. */
static uint64_t attr_mask(struct zsv_nl_reply *r, int i, int max)
{
	uint64_t mask = 0;

	for (int type = 1; type <= max; type++)
		if (r->attrs[i][type])
			mask |= 1ULL << type;
	return mask;
}

static uint64_t mask_range(int from, int to)
{
	uint64_t mask = 0;

	for (int type = from; type <= to; type++)
		mask |= 1ULL << type;
	return mask;
}

static int read_as_nobody(void *arg)
{
	/*
	 * Every slice attribute but those only a request carries, and the
	 * tenant and group, which only a slice in one has (none of these
	 * is).
	 */
	const uint64_t slice_attrs =
		mask_range(ZSV_A_SLICE_ID, ZSV_A_SLICE_MAX) &
		~(1ULL << ZSV_A_SLICE_FORCE) &
		~(1ULL << ZSV_A_SLICE_PLACEMENT) &
		~(1ULL << ZSV_A_SLICE_BACKEND) &
		~(1ULL << ZSV_A_SLICE_TENANT) &
		~(1ULL << ZSV_A_SLICE_GROUP) &
		~(1ULL << ZSV_A_SLICE_COUNT) &
		~(1ULL << ZSV_A_SLICE_DISTINCT);
	const uint64_t dev_attrs = mask_range(ZSV_A_DEV_ID, ZSV_A_DEV_MAX);
	struct zsv_nl_reply *r = calloc(1, sizeof(*r));
	char buf[512] = "";
	struct dirent *de;
	struct zsv_nl nl;
	bool listed = false;
	DIR *dir;
	int fd, i, found = -1;

	(void)arg;
	CHILD_CHECK(!zsv_nl_open(&nl));
	CHILD_CHECK(!zsv_nl_xfer(&nl,
				 zsv_nl_msg(&nl, ZSV_CMD_SLICE_GET, NLM_F_DUMP),
				 r, ZSV_A_SLICE_MAX));
	for (i = 0; i < r->count; i++) {
		CHILD_CHECK((attr_mask(r, i, ZSV_A_SLICE_MAX) &
			     ~(1ULL << ZSV_A_SLICE_PAD)) == slice_attrs);
		if (!strcmp(nla_get_string(r->attrs[i][ZSV_A_SLICE_NAME]),
			    "t-a"))
			found = i;
	}
	CHILD_CHECK(found >= 0);
	/* Another tenant's slice: its owner, size and usage. */
	CHILD_CHECK(nla_get_u32(r->attrs[found][ZSV_A_SLICE_UID]) == TENANT);
	CHILD_CHECK(nla_get_u64(r->attrs[found][ZSV_A_SLICE_MEM_BYTES]) ==
		    64 * MiB);
	CHILD_CHECK(nla_get_u64(r->attrs[found][ZSV_A_SLICE_MEM_USED]) == MiB);
	CHILD_CHECK(nla_get_u32(r->attrs[found][ZSV_A_SLICE_CONTEXTS]) == 1);
	CHILD_CHECK(nla_get_u64(r->attrs[found][ZSV_A_SLICE_JOBS_SUBMITTED]) ==
		    1);
	CHILD_CHECK(nla_get_u64(r->attrs[found][ZSV_A_SLICE_BUSY_NS]) > 0);
	zsv_nl_reply_free(r);
	CHILD_CHECK(!zsv_nl_xfer(&nl,
				 zsv_nl_msg(&nl, ZSV_CMD_DEV_GET, NLM_F_DUMP),
				 r, ZSV_A_DEV_MAX));
	CHILD_CHECK(r->count >= 2);
	for (i = 0; i < r->count; i++)
		CHILD_CHECK((attr_mask(r, i, ZSV_A_DEV_MAX) &
			     ~(1ULL << ZSV_A_DEV_PAD)) == dev_attrs);
	zsv_nl_reply_free(r);
	/* Names in /dev, sizes in sysfs. */
	dir = opendir("/dev/zsv");
	CHILD_CHECK(dir);
	while ((de = readdir(dir)))
		listed |= !strcmp(de->d_name, "t-a");
	closedir(dir);
	CHILD_CHECK(listed);
	fd = open("/sys/class/zsv_slice/t-a/mem_bytes", O_RDONLY);
	CHILD_CHECK(fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0);
	close(fd);
	CHILD_CHECK(strtoull(buf, NULL, 10) == 64 * MiB);
	memset(buf, 0, sizeof(buf));
	fd = open("/sys/class/zsv_slice/t-a/uevent", O_RDONLY);
	CHILD_CHECK(fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0);
	close(fd);
	CHILD_CHECK(strstr(buf, "ZSV_SLICE=t-a\n"));
	/* But not the node. */
	CHILD_CHECK(open("/dev/zsv/t-a", O_RDONLY) < 0 && errno == EACCES);
	zsv_nl_close(&nl);
	free(r);
	return 0;
}

/*
 * Reading needs no privilege: any user of the host's network namespace
 * dumps every pdev and every slice with all its attributes, another
 * tenant's name, owner, size and usage included, and finds the names in
 * /dev/zsv and sysfs (attributes and uevent). The dump carries exactly the attributes
 * Documentation/security.rst lists, so a new one shows up here.
 */
TEST_F(sec, anyone_can_read_every_slices_name_and_usage)
{
	uint32_t h;
	int fd;

	ASSERT_EQ(0, slice_new(&self->nl, "t-a", "zsv0", 64 * MiB, TENANT,
			       TENANT, 0600));
	fd = open("/dev/zsv/t-a", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bo_create(fd, MiB, &h));
	ASSERT_EQ(0, run1(fd, cmd_fill(h, 0, MiB, 7)));
	EXPECT_EQ(0, run_as(&nobody, read_as_nobody, NULL));
	close(fd);
}

struct monitor_seen {
	bool slice_new;
};

static int monitor_msg(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct nlattr *tb[ZSV_A_SLICE_MAX + 1] = {};
	struct monitor_seen *seen = arg;

	if (gh->cmd == ZSV_CMD_SLICE_NEW &&
	    !genlmsg_parse(nlh, 0, tb, ZSV_A_SLICE_MAX, NULL) &&
	    tb[ZSV_A_SLICE_NAME] &&
	    !strcmp(nla_get_string(tb[ZSV_A_SLICE_NAME]), "t-m"))
		seen->slice_new = true;
	return NL_OK;
}

struct monitor_sync {
	int ready[2], go[2];
};

static int monitor_as_nobody(void *arg)
{
	struct monitor_sync *sync = arg;
	struct monitor_seen seen = {};
	struct nl_sock *sock = nl_socket_alloc();
	int64_t end = now_ns() + 20 * SEC;
	int grp;

	CHILD_CHECK(sock && !genl_connect(sock));
	grp = genl_ctrl_resolve_grp(sock, ZSV_GENL_NAME, ZSV_MCGRP_MONITOR);
	CHILD_CHECK(grp >= 0);
	CHILD_CHECK(!nl_socket_add_membership(sock, grp));
	nl_socket_disable_seq_check(sock);
	nl_socket_modify_cb(sock, NL_CB_VALID, NL_CB_CUSTOM, monitor_msg,
			    &seen);
	CHILD_CHECK(write(sync->ready[1], "r", 1) == 1);
	while (!seen.slice_new && now_ns() < end) {
		struct pollfd pfd = { nl_socket_get_fd(sock), POLLIN, 0 };

		if (poll(&pfd, 1, 1000) == 1)
			nl_recvmsgs_default(sock);
	}
	CHILD_CHECK(seen.slice_new);
	nl_socket_free(sock);
	return 0;
}

/*
 * The monitor group takes any listener of the host's network namespace:
 * every change, with the object's full state, reaches unprivileged users
 * too.
 */
TEST_F(sec, anyone_can_watch_every_change)
{
	struct monitor_sync sync;
	int status;
	char c;
	pid_t pid;

	ASSERT_EQ(0, pipe(sync.ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(100);
		_exit(monitor_as_nobody(&sync));
	}
	ASSERT_EQ(1, read(sync.ready[0], &c, 1));
	EXPECT_EQ(0, slice_new(&self->nl, "t-m", "zsv0", MiB, TENANT, TENANT,
			       0600));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
}

/* --- device node permissions --------------------------------------------- */

struct open_case {
	const char *path;
	int flags;
	int err; /* 0: the open must succeed */
};

static int try_opens(void *arg)
{
	const struct open_case *c = arg;

	for (; c->path; c++) {
		int fd = open(c->path, c->flags);

		if (c->err) {
			CHILD_CHECK(fd < 0 && errno == c->err);
		} else {
			struct zsv_info info;

			CHILD_CHECK(fd >= 0);
			CHILD_CHECK(!ioctl(fd, ZSV_IOCTL_INFO, &info));
			CHILD_CHECK(!strcmp(info.name, c->path + 9));
			close(fd);
		}
	}
	return 0;
}

/*
 * The node's owner, group and mode decide who opens a slice: its owner,
 * a member of its group when the mode lets the group in, and nobody
 * else; a tenant cannot open another's node.
 */
TEST_F(sec, node_owner_group_and_mode_decide_who_opens)
{
	static const struct open_case as_tenant[] = {
		{ "/dev/zsv/t-a", O_RDWR, 0 },
		{ "/dev/zsv/t-o", O_RDWR, EACCES },
		{ "/dev/zsv/t-g", O_RDWR, EACCES },
		{}
	};
	static const struct open_case as_other[] = {
		{ "/dev/zsv/t-a", O_RDWR, EACCES },
		{ "/dev/zsv/t-a", O_RDONLY, EACCES },
		{ "/dev/zsv/t-o", O_RDWR, 0 },
		{}
	};
	static const struct open_case as_member[] = {
		{ "/dev/zsv/t-g", O_RDWR, 0 },
		{ "/dev/zsv/t-a", O_RDWR, EACCES },
		{}
	};
	const struct creds member = { NOBODY, NOBODY, 2000 };

	ASSERT_EQ(0, slice_new(&self->nl, "t-a", "zsv0", MiB, TENANT, TENANT,
			       0600));
	ASSERT_EQ(0,
		  slice_new(&self->nl, "t-o", "zsv0", MiB, OTHER, OTHER, 0600));
	ASSERT_EQ(0, slice_new(&self->nl, "t-g", "zsv1", MiB, 0, 2000, 0660));
	EXPECT_EQ(0, run_as(&tenant, try_opens, (void *)as_tenant));
	EXPECT_EQ(0, run_as(&other, try_opens, (void *)as_other));
	EXPECT_EQ(0, run_as(&member, try_opens, (void *)as_member));
}

/*
 * devtmpfs makes a node asked for with mode 0 as 0600: zsv gives it to
 * root, so that mode 0 keeps the slice's owner out as it says.
 */
TEST_F(sec, node_mode_zero_keeps_the_owner_out)
{
	static const struct open_case locked_out[] = {
		{ "/dev/zsv/t-z", O_RDWR, EACCES },
		{ "/dev/zsv/t-z", O_RDONLY, EACCES },
		{}
	};
	static const struct open_case let_in[] = {
		{ "/dev/zsv/t-z", O_RDWR, 0 },
		{}
	};
	struct stat st;

	ASSERT_EQ(0, slice_new(&self->nl, "t-z", "zsv0", MiB, TENANT, TENANT,
			       0));
	ASSERT_EQ(0, stat("/dev/zsv/t-z", &st));
	EXPECT_EQ(0u, st.st_uid);
	EXPECT_EQ(0u, st.st_gid);
	EXPECT_EQ(0, run_as(&tenant, try_opens, (void *)locked_out));
	/* Setting a mode gives the node back to its owner. */
	ASSERT_EQ(0, slice_set_u32(&self->nl, "t-z", ZSV_A_SLICE_NODE_MODE,
				   0600));
	ASSERT_EQ(0, stat("/dev/zsv/t-z", &st));
	EXPECT_EQ((uid_t)TENANT, st.st_uid);
	EXPECT_EQ(0, run_as(&tenant, try_opens, (void *)let_in));
}

static int use_read_only(void *arg)
{
	struct zsv_job_cmd c;
	uint32_t h;
	void *p;
	int fd = open("/dev/zsv/t-r", O_RDONLY);

	(void)arg;
	CHILD_CHECK(fd >= 0);
	CHILD_CHECK(open("/dev/zsv/t-r", O_RDWR) < 0 && errno == EACCES);
	CHILD_CHECK(!bo_create(fd, MiB, &h));
	c = cmd_fill(h, 0, MiB, 0x5a5a5a5a);
	CHILD_CHECK(!run1(fd, c));
	/* Only writable shared mappings need a writable file. */
	CHILD_CHECK(bo_map(fd, h, 0, MiB) == MAP_FAILED && errno == EACCES);
	p = mmap(NULL, page_size, PROT_READ, MAP_SHARED, fd, ZSV_STATUS_OFFSET);
	CHILD_CHECK(p != MAP_FAILED);
	munmap(p, page_size);
	close(fd);
	return 0;
}

/*
 * The data plane does not tell read from write access to the node: a
 * file opened read-only makes BOs and runs jobs that write them (only a
 * writable mapping needs a writable file). Any access to the node is a
 * tenant's whole access.
 */
TEST_F(sec, read_permission_on_a_node_is_full_tenant_access)
{
	ASSERT_EQ(0, slice_new(&self->nl, "t-r", "zsv0", 64 * MiB, 0, 0, 0604));
	EXPECT_EQ(0, run_as(&nobody, use_read_only, NULL));
}

struct owner_change {
	int opened[2], changed[2];
};

static int keep_open_across_owner_change(void *arg)
{
	struct owner_change *oc = arg;
	struct zsv_info info;
	char c;
	int fd = open("/dev/zsv/t-a", O_RDWR);

	CHILD_CHECK(fd >= 0);
	CHILD_CHECK(write(oc->opened[1], "o", 1) == 1);
	CHILD_CHECK(read(oc->changed[0], &c, 1) == 1);
	/* The open file is untouched ... */
	CHILD_CHECK(!ioctl(fd, ZSV_IOCTL_INFO, &info));
	CHILD_CHECK(!bo_create(fd, MiB, NULL));
	/* ... a new open is refused. */
	CHILD_CHECK(open("/dev/zsv/t-a", O_RDWR) < 0 && errno == EACCES);
	close(fd);
	return 0;
}

/*
 * A new owner or mode applies to later opens only: an open file of the
 * old owner keeps working. Forced deletion is what revokes.
 */
TEST_F(sec, changing_the_owner_does_not_revoke_open_files)
{
	struct owner_change oc;
	int status;
	char c;
	pid_t pid;

	ASSERT_EQ(0, slice_new(&self->nl, "t-a", "zsv0", 64 * MiB, TENANT,
			       TENANT, 0600));
	ASSERT_EQ(0, pipe(oc.opened));
	ASSERT_EQ(0, pipe(oc.changed));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (setgroups(0, NULL) || setresgid(TENANT, TENANT, TENANT) ||
		    setresuid(TENANT, TENANT, TENANT))
			_exit(100);
		_exit(keep_open_across_owner_change(&oc));
	}
	ASSERT_EQ(1, read(oc.opened[0], &c, 1));
	EXPECT_EQ(0, slice_set_u32(&self->nl, "t-a", ZSV_A_SLICE_UID, OTHER));
	EXPECT_EQ(1, write(oc.changed[1], "c", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
}

static int open_mknod_node(void *arg)
{
	struct zsv_info info;
	int fd = open(arg, O_RDWR);

	CHILD_CHECK(fd >= 0);
	CHILD_CHECK(!ioctl(fd, ZSV_IOCTL_INFO, &info));
	CHILD_CHECK(!strcmp(info.name, "t-a"));
	close(fd);
	return 0;
}

/*
 * The permission check is the node's, not the slice's: another node with
 * the same device number, made by whoever may mknod, reaches the slice
 * with that node's permissions. Tenants must not have CAP_MKNOD together
 * with access to zsv's major in their device cgroup.
 */
TEST_F(sec, a_node_made_with_mknod_reaches_the_slice)
{
	const char *path = "/dev/zsv-security-test";
	struct stat st;

	ASSERT_EQ(0, slice_new(&self->nl, "t-a", "zsv0", MiB, 0, 0, 0600));
	ASSERT_EQ(0, stat("/dev/zsv/t-a", &st));
	unlink(path);
	ASSERT_EQ(0, mknod(path, S_IFCHR | 0666, st.st_rdev));
	ASSERT_EQ(0, chmod(path, 0666));
	EXPECT_EQ(0, run_as(&nobody, open_mknod_node, (void *)path));
	unlink(path);
}

/* --- memory ------------------------------------------------------------- */

/*
 * A BO handle is the context's own: another context, of the same slice or
 * another, cannot destroy it, look up its offset, name it in a job or map
 * it; the same offset in another context maps that context's own BO
 * (handles are numbered per context), never the first one's bytes.
 */
TEST_F(sec, a_context_cannot_reach_another_contexts_bo)
{
	struct zsv_job_cmd c;
	uint32_t h, h2, mine;
	uint64_t off, off2;
	uint8_t *p, *q;
	int fd, same, another;

	ASSERT_EQ(0, slice_new(&self->nl, "t-a", "zsv0", 64 * MiB, -1, -1, -1));
	ASSERT_EQ(0, slice_new(&self->nl, "t-b", "zsv1", 64 * MiB, -1, -1, -1));
	fd = open("/dev/zsv/t-a", O_RDWR);
	same = open("/dev/zsv/t-a", O_RDWR);
	another = open("/dev/zsv/t-b", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, same);
	ASSERT_LE(0, another);
	ASSERT_EQ(0, bo_create(fd, MiB, &h));
	ASSERT_EQ(0, bo_create(fd, MiB, &h2));
	p = bo_map(fd, h, 0, MiB);
	ASSERT_NE(MAP_FAILED, p);
	memset(p, 0xa5, MiB);
	ASSERT_EQ(0, bo_offset(fd, h, &off));

	for (int i = 0; i < 2; i++) {
		int other_fd = i ? another : same;

		EXPECT_EQ(ENOENT, bo_destroy(other_fd, h));
		EXPECT_EQ(ENOENT, bo_offset(other_fd, h, &off2));
		EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ,
					   MAP_SHARED, other_fd, off));
		EXPECT_EQ(EINVAL, errno);
		c = cmd_checksum(h2, 0, h, 0, MiB);
		EXPECT_EQ(ENOENT, submit(other_fd, &c, 1, NULL));
		/* Its own first BO has the same handle and offset. */
		ASSERT_EQ(0, bo_create(other_fd, MiB, &mine));
		EXPECT_EQ(h, mine);
		ASSERT_EQ(0, bo_offset(other_fd, mine, &off2));
		EXPECT_EQ(off, off2);
		q = mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_SHARED,
			 other_fd, off2);
		ASSERT_NE(MAP_FAILED, q);
		EXPECT_TRUE(all_bytes(q, MiB, 0));
		memset(q, 0x11, MiB);
		munmap(q, MiB);
	}
	EXPECT_TRUE(all_bytes(p, MiB, 0xa5));
	munmap(p, MiB);
	close(fd);
	close(same);
	close(another);
}

/*
 * Memory comes to a BO zeroed: a new BO reads zeroes through its mapping
 * and through jobs (CHECKSUM of zeroes, COPY of zeroes), however much
 * another slice wrote into the memory it freed just before.
 */
TEST_F_TIMEOUT(sec, memory_another_slice_freed_reads_zeroes, 120)
{
	const size_t len = 16 * MiB, sum_len = 4 * MiB;
	uint8_t *zeroes = calloc(1, sum_len), *p;
	uint32_t h, sum, crc_of_zeroes = crc32_buf(zeroes, sum_len);
	int a, b;

	ASSERT_EQ(0, slice_new(&self->nl, "t-a", "zsv0", 64 * MiB, -1, -1, -1));
	ASSERT_EQ(0, slice_new(&self->nl, "t-b", "zsv0", 64 * MiB, -1, -1, -1));
	a = open("/dev/zsv/t-a", O_RDWR);
	ASSERT_LE(0, a);
	for (int round = 0; round < 3; round++) {
		/* t-b writes, by mapping and by job, then frees it all. */
		b = open("/dev/zsv/t-b", O_RDWR);
		ASSERT_LE(0, b);
		ASSERT_EQ(0, bo_create(b, len, &h));
		p = bo_map(b, h, 0, len);
		ASSERT_NE(MAP_FAILED, p);
		memset(p, 0xa5, len / 2);
		ASSERT_EQ(0, run1(b, cmd_fill(h, 0, len, 0x5a5a5a5a)));
		munmap(p, len);
		close(b);
		/* t-a takes as much. */
		ASSERT_EQ(0, bo_create(a, len, &h));
		ASSERT_EQ(0, bo_create(a, page_size, &sum));
		p = bo_map(a, h, 0, len);
		ASSERT_NE(MAP_FAILED, p);
		EXPECT_TRUE(all_bytes(p, len, 0)) TH_LOG("round %d", round);
		munmap(p, len);
		/* And as a job reads the pages that reading just backed. */
		ASSERT_EQ(0, run1(a, cmd_checksum(sum, 0, h, 0, sum_len)));
		p = bo_map(a, sum, 0, page_size);
		ASSERT_NE(MAP_FAILED, p);
		EXPECT_EQ(crc_of_zeroes,
			  (uint32_t)(p[0] | p[1] << 8 | p[2] << 16 |
				     (uint32_t)p[3] << 24));
		munmap(p, page_size);
		ASSERT_EQ(0, bo_destroy(a, h));
		ASSERT_EQ(0, bo_destroy(a, sum));
	}
	close(a);
	free(zeroes);
}

/*
 * The status page is the kernel's: no writable mapping of it, by mmap,
 * by mprotect or by a copy-on-write private mapping, and no write through
 * /proc/self/mem (FOLL_FORCE) either.
 */
TEST_F(sec, the_status_page_cannot_be_written)
{
	const volatile struct zsv_status *st;
	uint32_t seq = 12345;
	void *p;
	int fd, mem;

	ASSERT_EQ(0, slice_new(&self->nl, "t-a", "zsv0", MiB, -1, -1, -1));
	fd = open("/dev/zsv/t-a", O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ | PROT_WRITE,
				   MAP_SHARED, fd, ZSV_STATUS_OFFSET));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE, fd, ZSV_STATUS_OFFSET));
	p = mmap(NULL, page_size, PROT_READ, MAP_SHARED, fd, ZSV_STATUS_OFFSET);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, mprotect(p, page_size, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	st = p;
	seq = st->seq;
	mem = open("/proc/self/mem", O_RDWR);
	ASSERT_LE(0, mem);
	EXPECT_GT(0, pwrite(mem, &(uint32_t){ 1 }, 4, (uintptr_t)p));
	close(mem);
	EXPECT_EQ(seq, st->seq);
	EXPECT_STREQ("t-a", (const char *)st->info.name);
	munmap(p, page_size);
	close(fd);
}

/*
 * Forced deletion revokes a tenant completely: every call fails ENODEV,
 * poll() reports EPOLLERR | EPOLLHUP, the status page reads zeroes, BO
 * mappings read zeroes and take writes into a page of their own, and a
 * new slice of the same name (another tenant's) is reached neither by
 * the old file nor by its mappings.
 */
TEST_F(sec, forced_deletion_revokes_every_access)
{
	struct zsv_info info;
	struct zsv_job_cmd c = cmd_compute(1000);
	const volatile struct zsv_status *st;
	struct pollfd pfd;
	volatile uint8_t *old_map;
	uint8_t *new_map;
	uint64_t off;
	uint32_t h, nh;
	int fd, nfd;

	ASSERT_EQ(0, slice_new(&self->nl, "t-a", "zsv0", 64 * MiB, -1, -1, -1));
	fd = open("/dev/zsv/t-a", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bo_create(fd, MiB, &h));
	old_map = bo_map(fd, h, 0, MiB);
	ASSERT_NE(MAP_FAILED, old_map);
	memset((void *)old_map, 0x5a, MiB);
	st = mmap(NULL, page_size, PROT_READ, MAP_SHARED, fd,
		  ZSV_STATUS_OFFSET);
	ASSERT_NE(MAP_FAILED, st);
	ASSERT_EQ(0, slice_del(&self->nl, "t-a", true));

	/* Another tenant gets a slice of the same name, with its data. */
	ASSERT_EQ(0, slice_new(&self->nl, "t-a", "zsv0", 64 * MiB, -1, -1, -1));
	nfd = open("/dev/zsv/t-a", O_RDWR);
	ASSERT_LE(0, nfd);
	ASSERT_EQ(0, bo_create(nfd, MiB, &nh));
	EXPECT_EQ(h, nh);
	new_map = bo_map(nfd, nh, 0, MiB);
	ASSERT_NE(MAP_FAILED, new_map);
	memset(new_map, 0x33, MiB);

	EXPECT_EQ(-1, ioctl(fd, ZSV_IOCTL_INFO, &info));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(ENODEV, bo_create(fd, MiB, NULL));
	EXPECT_EQ(ENODEV, bo_destroy(fd, h));
	EXPECT_EQ(ENODEV, bo_offset(fd, h, &off));
	EXPECT_EQ(ENODEV, submit(fd, &c, 1, NULL));
	EXPECT_EQ(ENODEV, wait_seq(fd, 0, now_ns(), NULL));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ, MAP_SHARED, fd,
				   ZSV_STATUS_OFFSET));
	EXPECT_EQ(ENODEV, errno);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	EXPECT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLERR | POLLHUP, pfd.revents & (POLLERR | POLLHUP));
	EXPECT_EQ(0U, st->seq);
	EXPECT_EQ(0, st->info.name[0]);
	/* The old mapping: zeroes, and its writes go nowhere that matters. */
	EXPECT_TRUE(all_bytes(old_map, MiB, 0));
	memset((void *)old_map, 0x77, MiB);
	EXPECT_TRUE(all_bytes(new_map, MiB, 0x33));
	/* Only the new tenant's BO is in use on the pdev. */
	EXPECT_EQ(MiB, dev_stat(&self->nl, "zsv0", ZSV_A_DEV_MEM_USED));
	munmap((void *)old_map, MiB);
	munmap((void *)st, page_size);
	munmap(new_map, MiB);
	close(fd);
	close(nfd);
}

/* --- timing ------------------------------------------------------------- */

/* The shortest of three runs of a 20 ms COMPUTE on @fd, in ns. */
static int64_t compute_latency(int fd)
{
	int64_t best = INT64_MAX;

	for (int i = 0; i < 3; i++) {
		int64_t t0 = now_ns();

		if (run1(fd, cmd_compute(20 * MS)))
			return -1;
		if (now_ns() - t0 < best)
			best = now_ns() - t0;
	}
	return best;
}

/*
 * Engine time is shared, so a tenant sees other tenants' load in its own
 * job latency: a known side channel. Here a 20 ms job of a slice of
 * weight 100 on a one-engine pdev takes at least three times longer while
 * a slice of weight 1900 keeps the engine busy.
 */
TEST_F_TIMEOUT(sec, other_tenants_load_shows_in_job_latency, 120)
{
	struct zsv_job_cmd c = cmd_compute(50 * MS);
	struct nl_msg *msg;
	int64_t idle, busy;
	char dev[16];
	int a, b, n;

	ASSERT_EQ(0, dev_new(&self->nl, GiB, 1, dev));
	ASSERT_EQ(0, slice_new(&self->nl, "t-quiet", dev, MiB, -1, -1, -1));
	msg = zsv_slice_new_msg(&self->nl, "t-busy", dev, MiB);
	nla_put_u32(msg, ZSV_A_SLICE_WEIGHT, 1900);
	ASSERT_EQ(0, xfer(&self->nl, msg, ZSV_A_SLICE_MAX));
	a = open("/dev/zsv/t-quiet", O_RDWR);
	b = open("/dev/zsv/t-busy", O_RDWR);
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);

	idle = compute_latency(a);
	ASSERT_LT(0, idle);
	/* 10 s of work: the busy slice keeps the engine for the test. */
	for (n = 0; n < 200; n++)
		ASSERT_EQ(0, submit(b, &c, 1, NULL));
	busy = compute_latency(a);
	TH_LOG("20 ms job alone: %lld us; next to a busy slice: %lld us",
	       (long long)idle / 1000, (long long)busy / 1000);
	EXPECT_LE(3 * idle, busy);
	close(b);
	close(a);
	EXPECT_EQ(0, slice_del(&self->nl, "t-quiet", false));
	EXPECT_EQ(0, slice_del(&self->nl, "t-busy", false));
	EXPECT_EQ(0, dev_del(&self->nl, dev));
}

/* --- resource exhaustion ------------------------------------------------ */

static char cg_dir[128];
static const char *cg_mounted; /* a cgroup2 mount made for the test */

/* A memory cgroup for the test, or "" when there is none to be had. */
static const char *memory_cgroup(void)
{
	static const char *roots[] = { "/sys/fs/cgroup",
				       "/run/zsv-security-cgroup" };
	char path[160], buf[256] = "";
	int fd;

	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/cgroup.controllers", roots[i]);
		if (access(path, F_OK) && i == 1) {
			mkdir(roots[i], 0755);
			if (!mount("none", roots[i], "cgroup2", 0, NULL))
				cg_mounted = roots[i];
		}
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		buf[read(fd, buf, sizeof(buf) - 1) > 0 ? strlen(buf) : 0] = 0;
		close(fd);
		if (!strstr(buf, "memory"))
			continue;
		snprintf(path, sizeof(path), "%s/cgroup.subtree_control",
			 roots[i]);
		write_file(path, "+memory");
		snprintf(cg_dir, sizeof(cg_dir), "%s/zsv-security-test",
			 roots[i]);
		rmdir(cg_dir);
		if (mkdir(cg_dir, 0755))
			continue;
		snprintf(path, sizeof(path), "%s/memory.current", cg_dir);
		if (!access(path, F_OK))
			return cg_dir;
		rmdir(cg_dir);
	}
	return "";
}

static int64_t cg_memory_current(void)
{
	char path[160], buf[32] = "";
	int fd;

	snprintf(path, sizeof(path), "%s/memory.current", cg_dir);
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
		return -1;
	close(fd);
	return strtoll(buf, NULL, 10);
}

struct charges {
	int64_t objects; /* bytes charged for BOs' and jobs' structs */
	int64_t backing; /* bytes charged for touching 32 MiB of BOs */
};

enum { CG_BOS = 16384, CG_JOBS = ZSV_JOBS_INFLIGHT_MAX, CG_TOUCH = 32 };

static int tenant_in_cgroup(void *arg)
{
	struct zsv_job_cmd c = cmd_compute(10 * SEC);
	struct charges *out = arg;
	char path[160], pid[16];
	int64_t start, mid;
	uint8_t *p;
	uint32_t h;
	int fd;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg_dir);
	snprintf(pid, sizeof(pid), "%d", getpid());
	CHILD_CHECK(!write_file(path, pid));
	fd = open("/dev/zsv/t-cg", O_RDWR);
	CHILD_CHECK(fd >= 0);
	start = cg_memory_current();
	for (int i = 0; i < CG_BOS; i++)
		CHILD_CHECK(!bo_create(fd, page_size, NULL));
	for (int i = 0; i < CG_JOBS; i++)
		CHILD_CHECK(!submit(fd, &c, 1, NULL));
	mid = cg_memory_current();
	CHILD_CHECK(!bo_create(fd, CG_TOUCH * MiB, &h));
	p = bo_map(fd, h, 0, CG_TOUCH * MiB);
	CHILD_CHECK(p != MAP_FAILED);
	memset(p, 1, CG_TOUCH * MiB);
	out->objects = mid - start;
	out->backing = cg_memory_current() - mid;
	munmap(p, CG_TOUCH * MiB);
	close(fd);
	return 0;
}

/*
 * What a tenant makes the kernel allocate for it (contexts, BO structs
 * and handles, jobs) is charged to the tenant's memory cgroup, so a
 * cgroup limit bounds it. The pages that back BOs are not charged there:
 * the slice's partition is their only bound, and on the sim backend they
 * are host memory.
 */
TEST_F_TIMEOUT(
	sec, kernel_memory_goes_to_the_tenants_cgroup_bo_pages_to_the_partition,
	120)
{
	struct charges *ch = mmap(NULL, sizeof(*ch), PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct nl_msg *msg;

	if (!memory_cgroup()[0])
		SKIP(return, "no cgroup2 memory controller");
	msg = zsv_slice_new_msg(&self->nl, "t-cg", "zsv1",
				(uint64_t)CG_BOS * page_size + CG_TOUCH * MiB);
	nla_put_u32(msg, ZSV_A_SLICE_CAP_PCT, 1);
	ASSERT_EQ(0, xfer(&self->nl, msg, ZSV_A_SLICE_MAX));
	EXPECT_EQ(0, run_as(NULL, tenant_in_cgroup, ch));
	TH_LOG("charged to the cgroup: %lld KiB for %d BOs and %d jobs, %lld KiB for backing %d MiB",
	       (long long)ch->objects / 1024, CG_BOS, CG_JOBS,
	       (long long)ch->backing / 1024, CG_TOUCH);
	/* struct zsv_bo alone is 64 bytes or more. */
	EXPECT_LE((int64_t)CG_BOS * 64, ch->objects);
	EXPECT_GT((int64_t)(CG_TOUCH * MiB / 4), ch->backing);
	EXPECT_EQ(0, rmdir(cg_dir));
	if (cg_mounted)
		umount2(cg_mounted, MNT_DETACH);
	munmap(ch, sizeof(*ch));
}

TEST_HARNESS_MAIN
