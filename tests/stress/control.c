// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv-stress, the control plane: generic netlink requests, the operations
 * that carve, change and destroy slices, tenants and pdevs, and the
 * consistency checks of the object model.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "stress.h"

/* --- requests ------------------------------------------------------------ */

/* One request in flight: how to parse each reply, and how it ended. */
struct req {
	int maxattr;
	void (*parse)(struct nlattr **tb, void *arg);
	void *arg;
	int err; /* 0 or a positive errno */
	bool done;
	bool intr; /* a reply carried NLM_F_DUMP_INTR */
	char *extack;
};

static int req_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[64] = {};
	struct req *q = arg;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		q->intr = true;
	if (q->parse && !genlmsg_parse(nlh, 0, tb, q->maxattr, NULL))
		q->parse(tb, q->arg);
	return NL_OK;
}

static int req_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
	unsigned int skip = sizeof(*e);
	struct req *q = arg;
	int len;

	(void)nla;
	q->err = -e->error;
	q->done = true;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		skip += e->msg.nlmsg_len - NLMSG_HDRLEN;
	len = nlh->nlmsg_len - NLMSG_HDRLEN - skip;
	if (len <= 0)
		return NL_STOP;
	nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)e + skip),
		  len, NULL);
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(q->extack, 256, "%s",
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	return NL_STOP;
}

static int req_finish(struct nl_msg *msg, void *arg)
{
	struct req *q = arg;

	(void)msg;
	q->done = true;
	return NL_STOP;
}

int ctl_open(struct thr *t)
{
	int one = 1;

	t->sock = nl_socket_alloc();
	t->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!t->sock || !t->cb)
		return -ENOMEM;
	if (genl_connect(t->sock))
		return -ECONNREFUSED;
	setsockopt(nl_socket_get_fd(t->sock), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	nl_socket_disable_auto_ack(t->sock);
	t->family = genl_ctrl_resolve(t->sock, ZSV_GENL_NAME);
	return t->family < 0 ? -ENOENT : 0;
}

void ctl_close(struct thr *t)
{
	nl_cb_put(t->cb);
	nl_socket_free(t->sock);
}

static struct nl_msg *msg_new(struct thr *t, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg) {
		fprintf(stderr, "zsv-stress: out of memory\n");
		exit(1);
	}
	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, t->family, 0,
		    flags | NLM_F_ACK, cmd, ZSV_GENL_VERSION);
	return msg;
}

/* Send @msg (consumed); return 0 or the kernel's positive errno. */
static int xfer(struct thr *t, struct nl_msg *msg, struct req *q)
{
	int err;

	t->extack[0] = '\0';
	q->extack = t->extack;
	nl_cb_set(t->cb, NL_CB_VALID, NL_CB_CUSTOM, req_valid, q);
	nl_cb_set(t->cb, NL_CB_FINISH, NL_CB_CUSTOM, req_finish, q);
	nl_cb_set(t->cb, NL_CB_ACK, NL_CB_CUSTOM, req_finish, q);
	nl_cb_err(t->cb, NL_CB_CUSTOM, req_error, q);
	err = nl_send_auto(t->sock, msg);
	nlmsg_free(msg);
	if (err < 0)
		return EIO;
	while (!q->done) {
		err = nl_recvmsgs(t->sock, t->cb);
		if (err < 0 && err != -NLE_DUMP_INTR && !q->done)
			return EIO;
	}
	return q->err;
}

static int xfer_simple(struct thr *t, struct nl_msg *msg)
{
	struct req q = { .maxattr = ZSV_A_SLICE_MAX };

	return xfer(t, msg, &q);
}

static uint64_t attr_uint(struct nlattr *a)
{
	if (!a)
		return ~0ULL;
	return nla_len(a) == 8 ? nla_get_u64(a) : nla_get_u32(a);
}

static void attr_str(char *dst, struct nlattr *a)
{
	snprintf(dst, ZSV_NAME_MAX + 1, "%s", a ? (char *)nla_data(a) : "");
}

struct recs {
	void *rec;
	int n, max;
};

static void parse_slice(struct nlattr **tb, void *arg)
{
	struct recs *rs = arg;
	struct slice_rec *s;

	if (rs->n >= rs->max)
		return;
	s = (struct slice_rec *)rs->rec + rs->n++;
	attr_str(s->name, tb[ZSV_A_SLICE_NAME]);
	attr_str(s->dev, tb[ZSV_A_SLICE_DEV_NAME]);
	s->mem_bytes = attr_uint(tb[ZSV_A_SLICE_MEM_BYTES]);
	s->mem_used = attr_uint(tb[ZSV_A_SLICE_MEM_USED]);
	s->mem_mode = attr_uint(tb[ZSV_A_SLICE_MEM_MODE]);
	s->cap_pct = attr_uint(tb[ZSV_A_SLICE_CAP_PCT]);
	attr_str(s->tenant, tb[ZSV_A_SLICE_TENANT]);
	attr_str(s->group, tb[ZSV_A_SLICE_GROUP]);
	s->contexts = attr_uint(tb[ZSV_A_SLICE_CONTEXTS]);
	s->jobs_submitted = attr_uint(tb[ZSV_A_SLICE_JOBS_SUBMITTED]);
	s->jobs_completed = attr_uint(tb[ZSV_A_SLICE_JOBS_COMPLETED]);
}

static void parse_dev(struct nlattr **tb, void *arg)
{
	struct recs *rs = arg;
	struct dev_rec *d;

	if (rs->n >= rs->max)
		return;
	d = (struct dev_rec *)rs->rec + rs->n++;
	attr_str(d->name, tb[ZSV_A_DEV_NAME]);
	d->mem_total = attr_uint(tb[ZSV_A_DEV_MEM_TOTAL]);
	d->mem_reserved = attr_uint(tb[ZSV_A_DEV_MEM_RESERVED]);
	d->mem_shared = attr_uint(tb[ZSV_A_DEV_MEM_SHARED]);
	d->mem_used = attr_uint(tb[ZSV_A_DEV_MEM_USED]);
	d->slice_count = attr_uint(tb[ZSV_A_DEV_SLICE_COUNT]);
	d->oversub_pct = attr_uint(tb[ZSV_A_DEV_OVERSUB_PCT]);
	d->engines = attr_uint(tb[ZSV_A_DEV_ENGINES]);
}

static void parse_tenant(struct nlattr **tb, void *arg)
{
	struct recs *rs = arg;
	struct tenant_rec *r;

	if (rs->n >= rs->max)
		return;
	r = (struct tenant_rec *)rs->rec + rs->n++;
	attr_str(r->name, tb[ZSV_A_TENANT_NAME]);
	r->mem_max = attr_uint(tb[ZSV_A_TENANT_MEM_MAX]);
	r->slices_max = attr_uint(tb[ZSV_A_TENANT_SLICES_MAX]);
	r->compute_max = attr_uint(tb[ZSV_A_TENANT_COMPUTE_MAX]);
	r->mem = attr_uint(tb[ZSV_A_TENANT_MEM]);
	r->slices = attr_uint(tb[ZSV_A_TENANT_SLICES]);
	r->compute = attr_uint(tb[ZSV_A_TENANT_COMPUTE]);
	r->weight = attr_uint(tb[ZSV_A_TENANT_WEIGHT]);
}

static int ctl_dump_tenants(struct thr *t, struct tenant_rec *recs, int max,
			    bool *intr)
{
	struct recs rs = { .rec = recs, .max = max };
	struct req q = { .maxattr = ZSV_A_TENANT_MAX,
			 .parse = parse_tenant,
			 .arg = &rs };
	int err = xfer(t, msg_new(t, ZSV_CMD_TENANT_GET, NLM_F_DUMP), &q);

	if (intr)
		*intr = q.intr;
	return err ? -err : rs.n;
}

static int ctl_tenant_new(struct thr *t, const char *name, uint64_t mem_max,
			  uint64_t slices_max, uint64_t compute_max)
{
	struct nl_msg *msg = msg_new(t, ZSV_CMD_TENANT_NEW, 0);

	nla_put_string(msg, ZSV_A_TENANT_NAME, name);
	nla_put_u64(msg, ZSV_A_TENANT_MEM_MAX, mem_max);
	nla_put_u64(msg, ZSV_A_TENANT_SLICES_MAX, slices_max);
	nla_put_u64(msg, ZSV_A_TENANT_COMPUTE_MAX, compute_max);
	return xfer_simple(t, msg);
}

/* group-del of GROUP, forced. */
static int ctl_group_del(struct thr *t, const char *group)
{
	struct nl_msg *msg = msg_new(t, ZSV_CMD_GROUP_DEL, 0);

	nla_put_string(msg, ZSV_A_SLICE_GROUP, group);
	nla_put_flag(msg, ZSV_A_SLICE_FORCE);
	return xfer_simple(t, msg);
}

static int ctl_tenant_del(struct thr *t, const char *name)
{
	struct nl_msg *msg = msg_new(t, ZSV_CMD_TENANT_DEL, 0);

	nla_put_string(msg, ZSV_A_TENANT_NAME, name);
	return xfer_simple(t, msg);
}

/* Every slice (of @dev, unless NULL): the count, or -errno. */
int ctl_dump_slices(struct thr *t, const char *dev, struct slice_rec *recs,
		    int max, bool *intr)
{
	struct nl_msg *msg = msg_new(t, ZSV_CMD_SLICE_GET, NLM_F_DUMP);
	struct recs rs = { .rec = recs, .max = max };
	struct req q = { .maxattr = ZSV_A_SLICE_MAX,
			 .parse = parse_slice,
			 .arg = &rs };
	int err;

	if (dev)
		nla_put_string(msg, ZSV_A_SLICE_DEV_NAME, dev);
	err = xfer(t, msg, &q);
	if (intr)
		*intr = q.intr;
	return err ? -err : rs.n;
}

int ctl_dump_devs(struct thr *t, struct dev_rec *recs, int max, bool *intr)
{
	struct recs rs = { .rec = recs, .max = max };
	struct req q = { .maxattr = ZSV_A_DEV_MAX,
			 .parse = parse_dev,
			 .arg = &rs };
	int err = xfer(t, msg_new(t, ZSV_CMD_DEV_GET, NLM_F_DUMP), &q);

	if (intr)
		*intr = q.intr;
	return err ? -err : rs.n;
}

/* 0 with @rec filled in, or a positive errno. */
int ctl_dev_get(struct thr *t, const char *name, struct dev_rec *rec)
{
	struct nl_msg *msg = msg_new(t, ZSV_CMD_DEV_GET, 0);
	struct recs rs = { .rec = rec, .max = 1 };
	struct req q = { .maxattr = ZSV_A_DEV_MAX,
			 .parse = parse_dev,
			 .arg = &rs };

	nla_put_string(msg, ZSV_A_DEV_NAME, name);
	return xfer(t, msg, &q);
}

int ctl_slice_new(struct thr *t, const char *name, const char *dev,
		  uint64_t mem, uint32_t mode, uint32_t weight, uint32_t cap,
		  uint64_t timeslice, const char *tenant)
{
	struct nl_msg *msg = msg_new(t, ZSV_CMD_SLICE_NEW, 0);

	nla_put_string(msg, ZSV_A_SLICE_NAME, name);
	/* No device: the kernel places it, spread or binpack by the name. */
	if (dev)
		nla_put_string(msg, ZSV_A_SLICE_DEV_NAME, dev);
	else
		nla_put_u32(msg, ZSV_A_SLICE_PLACEMENT,
			    name[strlen(name) - 1] & 1 ? ZSV_PLACEMENT_BINPACK :
							  ZSV_PLACEMENT_SPREAD);
	nla_put_u64(msg, ZSV_A_SLICE_MEM_BYTES, mem);
	nla_put_u32(msg, ZSV_A_SLICE_MEM_MODE, mode);
	if (weight)
		nla_put_u32(msg, ZSV_A_SLICE_WEIGHT, weight);
	if (cap)
		nla_put_u32(msg, ZSV_A_SLICE_CAP_PCT, cap);
	if (timeslice)
		nla_put_u64(msg, ZSV_A_SLICE_TIMESLICE_NS, timeslice);
	if (tenant)
		nla_put_string(msg, ZSV_A_SLICE_TENANT, tenant);
	return xfer_simple(t, msg);
}

int ctl_slice_del(struct thr *t, const char *name, bool force)
{
	struct nl_msg *msg = msg_new(t, ZSV_CMD_SLICE_DEL, 0);

	nla_put_string(msg, ZSV_A_SLICE_NAME, name);
	if (force)
		nla_put_flag(msg, ZSV_A_SLICE_FORCE);
	return xfer_simple(t, msg);
}

/* dev-new of a sim pdev; its name goes to @name. */
int ctl_dev_new(struct thr *t, uint64_t mem, uint32_t engines, char *name)
{
	struct nl_msg *msg = msg_new(t, ZSV_CMD_DEV_NEW, 0);
	struct dev_rec rec = {};
	struct recs rs = { .rec = &rec, .max = 1 };
	struct req q = { .maxattr = ZSV_A_DEV_MAX,
			 .parse = parse_dev,
			 .arg = &rs };
	int err;

	nla_put_string(msg, ZSV_A_DEV_BACKEND, "sim");
	nla_put_u64(msg, ZSV_A_DEV_MEM_TOTAL, mem);
	nla_put_u32(msg, ZSV_A_DEV_ENGINES, engines);
	err = xfer(t, msg, &q);
	if (!err && (!rs.n || !rec.name[0]))
		err = EPROTO;
	if (!err)
		snprintf(name, ZSV_NAME_MAX + 1, "%s", rec.name);
	return err;
}

int ctl_dev_del(struct thr *t, const char *name)
{
	struct nl_msg *msg = msg_new(t, ZSV_CMD_DEV_DEL, 0);

	nla_put_string(msg, ZSV_A_DEV_NAME, name);
	return xfer_simple(t, msg);
}

/* --- the slice table ---------------------------------------------------- */

/*
 * Which slots hold a slice, as this run last saw: only a hint for picking
 * targets (threads race to change it, as they do in the kernel). The
 * kernel's answer is what is checked.
 */
static bool slot_live[SLOTS];

static void slot_name(char *name, int slot)
{
	snprintf(name, ZSV_NAME_MAX + 1, STRESS_PREFIX "%d", slot);
}

/* A slot, most often one believed to hold a slice. */
int pick_slot(struct thr *t)
{
	int slot = rnd(t) % SLOTS;

	if (rnd(t) % 8 == 0)
		return slot;
	for (int i = 0; i < SLOTS; i++) {
		int s = (slot + i) % SLOTS;

		if (__atomic_load_n(&slot_live[s], __ATOMIC_RELAXED))
			return s;
	}
	return slot;
}

static void slot_set(const char *name, bool live)
{
	int slot = atoi(name + strlen(STRESS_PREFIX));

	if (slot >= 0 && slot < SLOTS)
		__atomic_store_n(&slot_live[slot], live, __ATOMIC_RELAXED);
}

/*
 * A tenant for a slice request: none (NULL) half the time, now and then
 * "" (none, said), else one of the changing or the fixed ones.
 */
static const char *pick_tenant(struct thr *t, char *buf)
{
	switch (rnd(t) % 8) {
	case 0 ... 3:
		return NULL;
	case 4:
		return "";
	case 5:
		snprintf(buf, ZSV_NAME_MAX + 1, STRESS_PREFIX "f%d",
			 (int)(rnd(t) % FIXED_TENANTS));
		return buf;
	default:
		snprintf(buf, ZSV_NAME_MAX + 1, STRESS_PREFIX "t%d",
			 (int)(rnd(t) % TENANT_SLOTS));
		return buf;
	}
}

/* --- operations --------------------------------------------------------- */

static const uint64_t timeslices[] = {
	0, 100000, 500000, 1 * MS, 2 * MS, 5 * MS
};

void op_slice_new(struct thr *t)
{
	char name[ZSV_NAME_MAX + 1], dev[ZSV_NAME_MAX + 1];
	char tenant[ZSV_NAME_MAX + 1];
	uint32_t mode = rnd(t) % 3 == 0 ? ZSV_MEM_MODE_SHARED :
					  ZSV_MEM_MODE_RESERVED;
	uint64_t mem = rnd_range(t, 1, 16) * MiB;
	int err;

	slot_name(name, rnd(t) % SLOTS);
	pick_pdev(t, dev, true);
	if (!dev[0])
		return;
	if (rnd(t) % 4 == 0)
		mem -= rnd(t) % 4096; /* not a multiple of pages */
	/* One in four is placed by the kernel, racing the named ones. */
	err = ctl_slice_new(t, name, rnd(t) % 4 ? dev : NULL, mem, mode,
			    rnd(t) % 2 ? rnd_range(t, 1, 1000) : 0,
			    rnd(t) % 2 ? rnd_range(t, 5, 100) : 0,
			    timeslices[rnd(t) % 6], pick_tenant(t, tenant));
	/*
	 * EEXIST: the slot is taken; ENOSPC: the pdev has no room left;
	 * ENODEV: the pdev went away (dev-del) or is being removed.
	 * Placed: ENOSPC only when no pdev had room. ENOENT: its tenant is
	 * not there (deleted, or not made yet); EDQUOT: past its limits.
	 */
	expect(t, K_SLICE_NEW, err, EEXIST, ENOSPC, ENODEV, ENOENT, EDQUOT,
	       0);
	if (!err)
		slot_set(name, true);
}

void op_slice_set(struct thr *t)
{
	struct nl_msg *msg = msg_new(t, ZSV_CMD_SLICE_SET, 0);
	char name[ZSV_NAME_MAX + 1], tenant[ZSV_NAME_MAX + 1];
	int what = rnd(t) % 12, err;
	const char *tn;

	slot_name(name, pick_slot(t));
	nla_put_string(msg, ZSV_A_SLICE_NAME, name);
	if (what < 3)
		nla_put_u64(msg, ZSV_A_SLICE_MEM_BYTES,
			    rnd_range(t, 1, 24) * MiB);
	if (what >= 2 && what < 5)
		nla_put_u32(msg, ZSV_A_SLICE_WEIGHT, rnd_range(t, 1, 10000));
	if (what >= 4 && what < 7)
		nla_put_u32(msg, ZSV_A_SLICE_CAP_PCT, rnd_range(t, 5, 100));
	if (what >= 6 && what < 9)
		nla_put_u64(msg, ZSV_A_SLICE_TIMESLICE_NS,
			    timeslices[rnd(t) % 6]);
	if (what == 9) /* remakes the node under open() of other threads */
		nla_put_u32(msg, ZSV_A_SLICE_NODE_MODE,
			    rnd(t) % 2 ? 0600 : 0660);
	if (what >= 10) { /* a move between tenants, or out of one */
		tn = pick_tenant(t, tenant);
		nla_put_string(msg, ZSV_A_SLICE_TENANT, tn ? tn : "");
		if (rnd(t) % 2)
			nla_put_u64(msg, ZSV_A_SLICE_MEM_BYTES,
				    rnd_range(t, 1, 24) * MiB);
	}
	err = xfer_simple(t, msg);
	/*
	 * ENOENT: no such slice or tenant; EBUSY: shrinking below what BOs
	 * use; ENOSPC: growing past what the pdev has left; EDQUOT: growing
	 * or moving past a tenant's limits.
	 */
	expect(t, K_SLICE_SET, err, ENOENT, EBUSY, ENOSPC, EDQUOT, 0);
}

void op_slice_del(struct thr *t, bool force)
{
	char name[ZSV_NAME_MAX + 1];
	int err;

	slot_name(name, pick_slot(t));
	err = ctl_slice_del(t, name, force);
	if (force)
		expect(t, K_SLICE_DEL_FORCE, err, ENOENT, 0);
	else /* EBUSY: contexts are open */
		expect(t, K_SLICE_DEL, err, ENOENT, EBUSY, 0);
	if (!err)
		slot_set(name, false);
}

void op_slice_get(struct thr *t)
{
	struct nl_msg *msg = msg_new(t, ZSV_CMD_SLICE_GET, 0);
	struct slice_rec rec = {};
	struct recs rs = { .rec = &rec, .max = 1 };
	struct req q = { .maxattr = ZSV_A_SLICE_MAX,
			 .parse = parse_slice,
			 .arg = &rs };
	char name[ZSV_NAME_MAX + 1];
	int err;

	slot_name(name, pick_slot(t));
	nla_put_string(msg, ZSV_A_SLICE_NAME, name);
	err = xfer(t, msg, &q);
	if (!expect(t, K_SLICE_GET, err, ENOENT, 0) || err)
		return;
	if (strcmp(rec.name, name))
		fail(t, "slice-get %s answered for '%s'", name, rec.name);
	if (rec.mem_used > rec.mem_bytes)
		fail(t, "slice %s uses %llu of %llu bytes", name,
		     (unsigned long long)rec.mem_used,
		     (unsigned long long)rec.mem_bytes);
}

static struct slice_rec *dump_buf(void)
{
	static __thread struct slice_rec *buf;

	if (!buf)
		buf = calloc(4096, sizeof(*buf));
	return buf;
}

void op_slice_dump(struct thr *t)
{
	struct slice_rec *recs = dump_buf();
	int n = ctl_dump_slices(t, NULL, recs, 4096, NULL);

	if (!expect(t, K_SLICE_DUMP, n < 0 ? -n : 0, 0) || n < 0)
		return;
	for (int i = 0; i < n; i++) {
		if (recs[i].mem_used > recs[i].mem_bytes)
			fail(t, "slice %s uses %llu of %llu bytes",
			     recs[i].name, (unsigned long long)recs[i].mem_used,
			     (unsigned long long)recs[i].mem_bytes);
		if (recs[i].jobs_completed > recs[i].jobs_submitted)
			fail(t, "slice %s completed %llu of %llu jobs",
			     recs[i].name,
			     (unsigned long long)recs[i].jobs_completed,
			     (unsigned long long)recs[i].jobs_submitted);
	}
}

void op_dev_set(struct thr *t)
{
	static const uint64_t ts[] = { 500000, 1 * MS, 2 * MS, 5 * MS };
	static const uint64_t periods[] = { 10 * MS, 20 * MS, 50 * MS,
					    100 * MS };
	static const uint32_t oversub[] = { 100, 150, 200, 300 };
	struct nl_msg *msg = msg_new(t, ZSV_CMD_DEV_SET, 0);
	char dev[ZSV_NAME_MAX + 1];
	int what = rnd(t) % 4, err;

	pick_pdev(t, dev, false);
	nla_put_string(msg, ZSV_A_DEV_NAME, dev);
	/* Every timeslice here is below every period: no EINVAL. */
	if (what == 0)
		nla_put_u32(msg, ZSV_A_DEV_POLICY, rnd(t) % 3);
	if (what == 1 || rnd(t) % 4 == 0)
		nla_put_u64(msg, ZSV_A_DEV_TIMESLICE_NS, ts[rnd(t) % 4]);
	if (what == 2 || rnd(t) % 4 == 0)
		nla_put_u64(msg, ZSV_A_DEV_PERIOD_NS, periods[rnd(t) % 4]);
	if (what == 3) {
		nla_put_u32(msg, ZSV_A_DEV_OVERSUB_PCT, oversub[rnd(t) % 4]);
		err = xfer_simple(t, msg);
		/* EBUSY: the shared quotas need more than that allows. */
		expect(t, K_DEV_SET, err, ENODEV, EBUSY, 0);
		return;
	}
	err = xfer_simple(t, msg);
	/* ENODEV: the pdev went away (dev-del in a drain). */
	expect(t, K_DEV_SET, err, ENODEV, 0);
}

static int pdev_index(const char *name)
{
	for (int i = 0; i < opt.pdevs; i++)
		if (!strcmp(pdev[i].name, name))
			return i;
	return -1;
}

/*
 * dev-del attempts hold this for reading, so that they still race with
 * each other (EBUSY while another removes the pdev); a successful one
 * then holds it for writing while it makes the replacement and renames
 * the table's entry. The new pdev gets the lowest free id, often the
 * removed one's name: without this, another thread could still hold that
 * name from the table, dev-del the new pdev before it is in the table
 * (and before the dev-new reply is made, which then fails ENODEV), and
 * the table would lose track of a pdev.
 */
static pthread_rwlock_t pdev_del_lock = PTHREAD_RWLOCK_INITIALIZER;

/*
 * dev-del of @dev, a pdev of this run (held for reading), without acting
 * on a name that no longer is the table's: ENODEV then, as the kernel
 * would answer for a pdev that is gone.
 */
static int pdev_del(struct thr *t, const char *dev)
{
	int err;

	pthread_rwlock_rdlock(&pdev_del_lock);
	pthread_mutex_lock(&table_lock);
	err = pdev_index(dev) < 0 ? ENODEV : 0;
	pthread_mutex_unlock(&table_lock);
	if (!err)
		err = ctl_dev_del(t, dev);
	pthread_rwlock_unlock(&pdev_del_lock);
	return err;
}

/*
 * After a dev-del of @old succeeded: make a new pdev in its place. Another
 * thread may have replaced it first (when both removed pdevs of the same
 * name, the second one the first's replacement): then @old is another
 * pdev's name already, or not in the table, which is still right.
 */
static void pdev_replace(struct thr *t, const char *old)
{
	char name[ZSV_NAME_MAX + 1];
	int err, i;

	pthread_rwlock_wrlock(&pdev_del_lock);
	err = ctl_dev_new(t, opt.pdev_mem, 2 + rnd(t) % 3, name);
	expect(t, K_DEV_NEW, err, 0);
	pthread_mutex_lock(&table_lock);
	i = pdev_index(old);
	if (i >= 0)
		snprintf(pdev[i].name, sizeof(pdev[i].name), "%s",
			 err ? "" : name);
	pthread_mutex_unlock(&table_lock);
	pthread_rwlock_unlock(&pdev_del_lock);
	if (opt.verbose)
		printf("# pdev %s replaced by %s\n", old, err ? "none" : name);
}

/* A dev-del attempt on a pdev of this run, most likely with slices. */
void op_dev_del(struct thr *t)
{
	char dev[ZSV_NAME_MAX + 1];
	int err;

	pick_pdev(t, dev, false);
	if (!dev[0])
		return;
	err = pdev_del(t, dev);
	/* EBUSY: it has slices, or is being removed; ENODEV: it is gone. */
	expect(t, K_DEV_DEL, err, EBUSY, ENODEV, 0);
	if (!err)
		pdev_replace(t, dev);
}

static int drain_busy;
static int64_t drain_next_ns;

/*
 * Empty one pdev of this run by force, whatever its slices are doing, and
 * remove it with dev-del; then make another in its place. Threads that
 * picked it before it was marked still create slices on it, which makes
 * dev-del fail EBUSY: then round again.
 */
void op_drain(struct thr *t)
{
	struct slice_rec *recs = dump_buf();
	char dev[ZSV_NAME_MAX + 1] = "";
	int i, n, err = EBUSY;
	int64_t now = now_ns();

	if (__atomic_exchange_n(&drain_busy, 1, __ATOMIC_ACQUIRE))
		return;
	if (now < drain_next_ns)
		goto out;
	drain_next_ns = now + 2 * SEC;
	pthread_mutex_lock(&table_lock);
	i = rnd(t) % opt.pdevs;
	if (pdev[i].name[0]) {
		pdev[i].draining = true;
		snprintf(dev, sizeof(dev), "%s", pdev[i].name);
	}
	pthread_mutex_unlock(&table_lock);
	if (!dev[0])
		goto out;

	for (int round = 0; round < 8 && err == EBUSY; round++) {
		n = ctl_dump_slices(t, dev, recs, 4096, NULL);
		/* ENODEV: as for dev-del below, the pdev is already gone. */
		expect(t, K_SLICE_DUMP, n < 0 ? -n : 0, ENODEV, 0);
		if (n < 0) {
			err = -n;
			break;
		}
		for (int k = 0; k < n; k++) {
			/* A group goes whole, with its slices elsewhere. */
			if (recs[k].group[0]) {
				err = ctl_group_del(t, recs[k].group);
				expect(t, K_GROUP_DEL, err, ENOENT, 0);
				continue;
			}
			err = ctl_slice_del(t, recs[k].name, true);
			expect(t, K_SLICE_DEL_FORCE, err, ENOENT, 0);
			if (!err)
				slot_set(recs[k].name, false);
		}
		err = pdev_del(t, dev);
		/*
		 * EBUSY: a slice came meanwhile; ENODEV: a dev-del attempt
		 * of another thread found the pdev empty first and replaces
		 * it.
		 */
		expect(t, K_DEV_DEL, err, EBUSY, ENODEV, 0);
	}
	if (!err)
		pdev_replace(t, dev);
	else if (opt.verbose)
		printf("# drain of %s gave up: %s\n", dev, errname(err));
	pthread_mutex_lock(&table_lock);
	i = pdev_index(dev);
	if (i >= 0)
		pdev[i].draining = false;
	pthread_mutex_unlock(&table_lock);
out:
	__atomic_store_n(&drain_busy, 0, __ATOMIC_RELEASE);
}

static uint64_t rnd_limit(struct thr *t, uint64_t small)
{
	return rnd(t) % 5 ? rnd_range(t, 0, small) : ZSV_LIMIT_NONE;
}

void op_tenant_new(struct thr *t)
{
	char name[ZSV_NAME_MAX + 1];
	int err;

	snprintf(name, sizeof(name), STRESS_PREFIX "t%d",
		 (int)(rnd(t) % TENANT_SLOTS));
	err = ctl_tenant_new(t, name, rnd_limit(t, 64) * MiB,
			     rnd_limit(t, 6), rnd_limit(t, 1200));
	expect(t, K_TENANT_NEW, err, EEXIST, 0);
}

/*
 * Limits up and down, below the usage too: nothing may be taken away; and
 * the weight, which the scheduler takes while the tenant's slices run.
 */
void op_tenant_set(struct thr *t)
{
	struct nl_msg *msg = msg_new(t, ZSV_CMD_TENANT_SET, 0);
	char name[ZSV_NAME_MAX + 1];
	int what = rnd(t) % 15, err;

	snprintf(name, sizeof(name), STRESS_PREFIX "t%d",
		 (int)(rnd(t) % TENANT_SLOTS));
	nla_put_string(msg, ZSV_A_TENANT_NAME, name);
	if (!what || what & 1)
		nla_put_u64(msg, ZSV_A_TENANT_MEM_MAX, rnd_limit(t, 64) * MiB);
	if (what & 2)
		nla_put_u64(msg, ZSV_A_TENANT_SLICES_MAX, rnd_limit(t, 6));
	if (what & 4)
		nla_put_u64(msg, ZSV_A_TENANT_COMPUTE_MAX, rnd_limit(t, 1200));
	if (what & 8)
		nla_put_u32(msg, ZSV_A_TENANT_WEIGHT,
			    ZSV_WEIGHT_MIN +
				    (uint32_t)(rnd(t) % ZSV_WEIGHT_MAX));
	err = xfer_simple(t, msg);
	expect(t, K_TENANT_SET, err, ENOENT, 0);
}

void op_tenant_del(struct thr *t)
{
	char name[ZSV_NAME_MAX + 1];
	int err;

	snprintf(name, sizeof(name), STRESS_PREFIX "t%d",
		 (int)(rnd(t) % TENANT_SLOTS));
	err = ctl_tenant_del(t, name);
	/* EBUSY: it has slices. */
	expect(t, K_TENANT_DEL, err, ENOENT, EBUSY, 0);
}

/*
 * A group of 1 to 3 slices, on distinct pdevs or (one in three) any,
 * now and then in a tenant, racing everything else on the pdevs.
 */
void op_group_new(struct thr *t)
{
	struct nl_msg *msg = msg_new(t, ZSV_CMD_GROUP_NEW, 0);
	char group[ZSV_NAME_MAX + 1], tenant[ZSV_NAME_MAX + 1];
	const char *tn = pick_tenant(t, tenant);
	int err;

	snprintf(group, sizeof(group), STRESS_PREFIX "g%d",
		 (int)(rnd(t) % GROUP_SLOTS));
	nla_put_string(msg, ZSV_A_SLICE_GROUP, group);
	nla_put_u32(msg, ZSV_A_SLICE_COUNT, (uint32_t)rnd_range(t, 1, 3));
	if (rnd(t) % 3 == 0)
		nla_put_u8(msg, ZSV_A_SLICE_DISTINCT, 0);
	nla_put_u64(msg, ZSV_A_SLICE_MEM_BYTES, rnd_range(t, 1, 8) * MiB);
	if (rnd(t) % 2)
		nla_put_u32(msg, ZSV_A_SLICE_CAP_PCT,
			    (uint32_t)rnd_range(t, 5, 100));
	if (tn)
		nla_put_string(msg, ZSV_A_SLICE_TENANT, tn);
	err = xfer_simple(t, msg);
	/*
	 * EEXIST: the group is there; ENOSPC: too few pdevs with room;
	 * ENODEV: no pdev; ENOENT: its tenant is not there; EDQUOT: past
	 * the tenant's limits.
	 */
	expect(t, K_GROUP_NEW, err, EEXIST, ENOSPC, ENODEV, ENOENT, EDQUOT,
	       0);
}

void op_group_del(struct thr *t)
{
	struct nl_msg *msg = msg_new(t, ZSV_CMD_GROUP_DEL, 0);
	char group[ZSV_NAME_MAX + 1];
	int err;

	snprintf(group, sizeof(group), STRESS_PREFIX "g%d",
		 (int)(rnd(t) % GROUP_SLOTS));
	nla_put_string(msg, ZSV_A_SLICE_GROUP, group);
	if (rnd(t) % 2)
		nla_put_flag(msg, ZSV_A_SLICE_FORCE);
	err = xfer_simple(t, msg);
	/*
	 * ENOENT: no such group; EBUSY: a context, without force (nothing
	 * here opens one of a group's slices, but a context would be fine).
	 */
	expect(t, K_GROUP_DEL, err, ENOENT, EBUSY, 0);
}

/*
 * Every group is whole: its slices are exactly <group>-0 .. <group>-(n-1)
 * (group-new makes all or none, and nothing here deletes one alone).
 */
static bool check_groups(struct thr *t, const struct slice_rec *recs, int ns)
{
	bool ok = true;

	for (int i = 0; i < ns; i++) {
		const char *g = recs[i].group, *dash;
		size_t glen = strlen(g);
		int n = 0;
		long idx;

		if (!g[0])
			continue;
		for (int j = 0; j < ns; j++)
			n += !strcmp(recs[j].group, g);
		dash = recs[i].name + glen;
		idx = strncmp(recs[i].name, g, glen) || *dash != '-' ?
			      -1 :
			      strtol(dash + 1, NULL, 10);
		if (idx < 0 || idx >= n) {
			fail(t, "check: slice %s of group %s is not one of %s-0 .. %s-%d",
			     recs[i].name, g, g, g, n - 1);
			ok = false;
		}
	}
	return ok;
}

int tenants_init(struct thr *t)
{
	char name[ZSV_NAME_MAX + 1];
	int err;

	for (int i = 0; i < FIXED_TENANTS; i++) {
		snprintf(name, sizeof(name), STRESS_PREFIX "f%d", i);
		err = ctl_tenant_new(t, name, FIXED_MEM_MAX, FIXED_SLICES_MAX,
				     FIXED_COMPUTE_MAX);
		if (!expect(t, K_TENANT_NEW, err, 0))
			return err;
	}
	return 0;
}

/* --- consistency -------------------------------------------------------- */

static uint64_t checks, checks_skipped;

static uint32_t engines_of(const struct dev_rec *devs, int nd, const char *dev)
{
	for (int d = 0; d < nd; d++)
		if (!strcmp(devs[d].name, dev))
			return devs[d].engines;
	return 0;
}

/*
 * Each tenant of this run accounts for exactly its slices: bytes, slices,
 * cap x engines; and a fixed one, whose limits never change, is within
 * them: no race of admissions overcommitted it.
 */
static bool check_tenants(struct thr *t, const struct slice_rec *recs, int ns,
			  const struct dev_rec *devs, int nd, bool *skipped)
{
	static struct tenant_rec tns[64];
	bool intr = false, ok = true;
	int nt = ctl_dump_tenants(t, tns, 64, &intr);

	expect(t, K_TENANT_DUMP, nt < 0 ? -nt : 0, 0);
	if (nt < 0 || intr) {
		*skipped = true;
		return true;
	}
	for (int i = 0; i < nt; i++) {
		const struct tenant_rec *tn = &tns[i];
		uint64_t mem = 0, slices = 0, compute = 0;
		bool fixed;

		if (strncmp(tn->name, STRESS_PREFIX, strlen(STRESS_PREFIX)))
			continue;
		fixed = tn->name[strlen(STRESS_PREFIX)] == 'f';
		for (int j = 0; j < ns; j++) {
			if (strcmp(recs[j].tenant, tn->name))
				continue;
			mem += recs[j].mem_bytes;
			slices++;
			compute += (uint64_t)recs[j].cap_pct *
				   engines_of(devs, nd, recs[j].dev);
		}
		if (mem != tn->mem || slices != tn->slices ||
		    compute != tn->compute) {
			fail(t,
			     "check: tenant %s says %llu bytes, %llu slices, compute %llu; its slices add up to %llu, %llu, %llu",
			     tn->name, (unsigned long long)tn->mem,
			     (unsigned long long)tn->slices,
			     (unsigned long long)tn->compute,
			     (unsigned long long)mem,
			     (unsigned long long)slices,
			     (unsigned long long)compute);
			ok = false;
		}
		if (tn->weight < ZSV_WEIGHT_MIN ||
		    tn->weight > ZSV_WEIGHT_MAX) {
			fail(t, "check: tenant %s has weight %llu", tn->name,
			     (unsigned long long)tn->weight);
			ok = false;
		}
		if (fixed && (tn->mem > FIXED_MEM_MAX ||
			      tn->slices > FIXED_SLICES_MAX ||
			      tn->compute > FIXED_COMPUTE_MAX ||
			      tn->mem_max != FIXED_MEM_MAX ||
			      tn->slices_max != FIXED_SLICES_MAX ||
			      tn->compute_max != FIXED_COMPUTE_MAX)) {
			fail(t,
			     "check: fixed tenant %s is overcommitted: %llu bytes, %llu slices, compute %llu (limits %llu, %llu, %llu)",
			     tn->name, (unsigned long long)tn->mem,
			     (unsigned long long)tn->slices,
			     (unsigned long long)tn->compute,
			     (unsigned long long)tn->mem_max,
			     (unsigned long long)tn->slices_max,
			     (unsigned long long)tn->compute_max);
			ok = false;
		}
	}
	/* No slice of ours is in a tenant that is not there. */
	for (int j = 0; j < ns; j++) {
		bool found = !recs[j].tenant[0];

		for (int i = 0; i < nt && !found; i++)
			found = !strcmp(recs[j].tenant, tns[i].name);
		if (!found) {
			fail(t, "check: slice %s is in tenant %s, which is not there",
			     recs[j].name, recs[j].tenant);
			ok = false;
		}
	}
	return ok;
}

/*
 * With every other thread held off the module (so no slice, tenant or
 * pdev comes or goes), dump pdevs, slices and tenants and check that each
 * pdev of this run accounts for exactly its slices: reserved bytes,
 * shared quotas, slice count; that no slice uses more than its partition
 * and no pdev more than it has; and the tenants (check_tenants()).
 * @final: nothing runs any more, so the bytes in use must add up too.
 */
bool check_consistency(struct thr *t, bool final)
{
	static struct dev_rec devs[1024];
	struct slice_rec *recs = dump_buf();
	bool intr_s = false, intr_d = false, intr_t = false, ok = true;
	int ns, nd;

	if (!final)
		pthread_rwlock_wrlock(&quiesce);
	nd = ctl_dump_devs(t, devs, 1024, &intr_d);
	expect(t, K_DEV_GET, nd < 0 ? -nd : 0, 0);
	ns = ctl_dump_slices(t, NULL, recs, 4096, &intr_s);
	expect(t, K_SLICE_DUMP, ns < 0 ? -ns : 0, 0);
	if (nd < 0 || ns < 0 || intr_s || intr_d) {
		checks_skipped++;
		goto out;
	}
	ok = check_tenants(t, recs, ns, devs, nd, &intr_t);
	ok = check_groups(t, recs, ns) && ok;
	if (intr_t) {
		checks_skipped++;
		goto out;
	}
	for (int i = 0; i < ns; i++) {
		if (recs[i].mem_used > recs[i].mem_bytes) {
			fail(t, "check: slice %s uses %llu of %llu bytes",
			     recs[i].name, (unsigned long long)recs[i].mem_used,
			     (unsigned long long)recs[i].mem_bytes);
			ok = false;
		}
	}
	for (int d = 0; d < nd; d++) {
		uint64_t reserved = 0, shared = 0, used = 0, pool;
		uint32_t count = 0;

		if (pdev_index(devs[d].name) < 0)
			continue;
		for (int i = 0; i < ns; i++) {
			if (strcmp(recs[i].dev, devs[d].name))
				continue;
			count++;
			used += recs[i].mem_used;
			if (recs[i].mem_mode == ZSV_MEM_MODE_SHARED)
				shared += recs[i].mem_bytes;
			else
				reserved += recs[i].mem_bytes;
		}
		pool = devs[d].mem_total - devs[d].mem_reserved;
		if (reserved != devs[d].mem_reserved ||
		    shared != devs[d].mem_shared ||
		    count != devs[d].slice_count ||
		    devs[d].mem_reserved > devs[d].mem_total ||
		    devs[d].mem_used > devs[d].mem_total ||
		    shared > pool / 100 * devs[d].oversub_pct +
				     pool % 100 * devs[d].oversub_pct / 100 ||
		    (final && used != devs[d].mem_used)) {
			fail(t,
			     "check: %s says %llu reserved, %llu shared, %u slices, %llu used of %llu (oversub %u%%); its slices add up to %llu reserved, %llu shared, %u slices, %llu used",
			     devs[d].name,
			     (unsigned long long)devs[d].mem_reserved,
			     (unsigned long long)devs[d].mem_shared,
			     devs[d].slice_count,
			     (unsigned long long)devs[d].mem_used,
			     (unsigned long long)devs[d].mem_total,
			     devs[d].oversub_pct, (unsigned long long)reserved,
			     (unsigned long long)shared, count,
			     (unsigned long long)used);
			ok = false;
		}
	}
	checks++;
	expect(t, K_CHECK, ok ? 0 : EPROTO, 0);
out:
	if (!final)
		pthread_rwlock_unlock(&quiesce);
	return ok;
}

void check_counts(uint64_t *done, uint64_t *skipped)
{
	*done = checks;
	*skipped = checks_skipped;
}

static bool is_ours(const char *name)
{
	return !strncmp(name, STRESS_PREFIX, strlen(STRESS_PREFIX));
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Delete every tenant of this run; @final: each must be empty and go. */
static void tenants_delete(struct thr *t, bool final)
{
	static struct tenant_rec tns[64];
	int nt = ctl_dump_tenants(t, tns, 64, NULL), err;

	expect(t, K_TENANT_DUMP, nt < 0 ? -nt : 0, 0);
	for (int i = 0; i < nt; i++) {
		if (!is_ours(tns[i].name))
			continue;
		if (final && (tns[i].mem || tns[i].slices || tns[i].compute))
			fail(t, "tenant %s without slices says %llu bytes, %llu slices, compute %llu",
			     tns[i].name, (unsigned long long)tns[i].mem,
			     (unsigned long long)tns[i].slices,
			     (unsigned long long)tns[i].compute);
		err = ctl_tenant_del(t, tns[i].name);
		if (final && !expect(t, K_TENANT_DEL, err, 0))
			fail(t, "tenant-del %s at the end: %s (%s)",
			     tns[i].name, errname(err), t->extack);
	}
}

/*
 * After the threads have stopped and closed everything: every job of
 * every remaining slice retires, every byte comes back, the sums hold
 * exactly, each slice goes without force (no context is left), each pdev
 * of this run is empty and goes with dev-del.
 */
void final_cleanup(struct thr *t)
{
	struct slice_rec *recs = dump_buf();
	struct dev_rec rec;
	int n = 0, settled = 0, err;
	int64_t give_up = now_ns() + 30 * SEC;

	while (!settled && now_ns() < give_up) {
		n = ctl_dump_slices(t, NULL, recs, 4096, NULL);
		expect(t, K_SLICE_DUMP, n < 0 ? -n : 0, 0);
		settled = n >= 0;
		for (int i = 0; i < n; i++) {
			if (is_ours(recs[i].name) &&
			    (recs[i].contexts || recs[i].mem_used ||
			     recs[i].jobs_completed != recs[i].jobs_submitted))
				settled = 0;
		}
		if (!settled)
			sleep_ms(100);
	}
	for (int i = 0; i < n; i++) {
		if (!is_ours(recs[i].name))
			continue;
		if (recs[i].contexts || recs[i].mem_used ||
		    recs[i].jobs_completed != recs[i].jobs_submitted)
			fail(t,
			     "after 30 s, slice %s has %u contexts, %llu bytes in use, %llu of %llu jobs completed",
			     recs[i].name, recs[i].contexts,
			     (unsigned long long)recs[i].mem_used,
			     (unsigned long long)recs[i].jobs_completed,
			     (unsigned long long)recs[i].jobs_submitted);
	}
	check_consistency(t, true);

	for (int i = 0; i < n; i++) {
		if (!is_ours(recs[i].name))
			continue;
		err = ctl_slice_del(t, recs[i].name, false);
		if (!expect(t, K_SLICE_DEL, err, 0))
			fail(t, "slice-del %s at the end: %s (%s)",
			     recs[i].name, errname(err), t->extack);
	}
	/* Empty now, every tenant of this run goes. */
	tenants_delete(t, true);
	for (int i = 0; i < opt.pdevs; i++) {
		if (!pdev[i].name[0])
			continue;
		err = ctl_dev_get(t, pdev[i].name, &rec);
		expect(t, K_DEV_GET, err, 0);
		if (!err && (rec.mem_used || rec.mem_reserved ||
			     rec.mem_shared || rec.slice_count))
			fail(t,
			     "empty %s has %llu used, %llu reserved, %llu shared, %u slices",
			     pdev[i].name, (unsigned long long)rec.mem_used,
			     (unsigned long long)rec.mem_reserved,
			     (unsigned long long)rec.mem_shared,
			     rec.slice_count);
		err = ctl_dev_del(t, pdev[i].name);
		if (!expect(t, K_DEV_DEL, err, 0))
			fail(t, "dev-del %s at the end: %s (%s)", pdev[i].name,
			     errname(err), t->extack);
		err = ctl_dev_get(t, pdev[i].name, &rec);
		if (!expect(t, K_DEV_GET, err, ENODEV, 0) || !err)
			fail(t, "%s is still there after dev-del",
			     pdev[i].name);
	}
	n = ctl_dump_slices(t, NULL, recs, 4096, NULL);
	expect(t, K_SLICE_DUMP, n < 0 ? -n : 0, 0);
	for (int i = 0; i < n; i++)
		if (is_ours(recs[i].name))
			fail(t, "slice %s is left after cleanup", recs[i].name);
}

/* Force-delete what an earlier run may have left (before any thread). */
void remove_leftovers(struct thr *t)
{
	struct slice_rec *recs = dump_buf();
	int n = ctl_dump_slices(t, NULL, recs, 4096, NULL);

	for (int i = 0; i < n; i++)
		if (is_ours(recs[i].name))
			ctl_slice_del(t, recs[i].name, true);
	tenants_delete(t, false);
}

/* slice-set of weight and cap on any slice (an mdev's, named by UUID). */
int ctl_slice_set_share(struct thr *t, const char *name, uint32_t weight,
			uint32_t cap)
{
	struct nl_msg *msg = msg_new(t, ZSV_CMD_SLICE_SET, 0);

	nla_put_string(msg, ZSV_A_SLICE_NAME, name);
	nla_put_u32(msg, ZSV_A_SLICE_WEIGHT, weight);
	nla_put_u32(msg, ZSV_A_SLICE_CAP_PCT, cap);
	return xfer_simple(t, msg);
}
