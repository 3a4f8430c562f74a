// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control plane under fuzz: raw generic netlink requests to the zsv
 * family, built attribute by attribute and then broken on purpose.
 *
 * Each request starts as a mostly valid one for a random command, then
 * gets a few mutations: values at and past their limits, wrong types and
 * lengths, unknown and duplicate attributes, missing required ones,
 * NLA_F_NESTED and nested blobs, huge and unterminated strings, a wrong
 * genl version or reserved byte, unknown commands, dump flags where no
 * dump exists, truncated or mis-sized messages, flipped bits.
 *
 * The bytes that go out are then read back the way the kernel's strict
 * parser reads them, and judged against the uapi (uapi/linux/zsv.h and
 * the netlink spec) and the fuzzer's model of the objects:
 *   - a request the policy must refuse (unknown or unsupported attribute,
 *     wrong length, unterminated string, ...) fails;
 *   - a request whose values break a documented rule fails, and the
 *     objects do not change;
 *   - a valid read succeeds and reports the model's objects; a valid
 *     change that needs no admission succeeds and does what it says;
 *   - without CAP_NET_ADMIN every change fails EPERM;
 *   - every request gets an answer, and every errno is one the uapi names.
 *
 * As root the request is "sanitized" before it goes (nlrules.c):
 * selectors that would delete or change what the fuzzer does not own
 * (pdevs it did not add, slices neither named fz-* nor made by it) are
 * redirected to nothing, and slice-new names that are valid but not fz-*
 * are made invalid. The unprivileged child sends everything as built:
 * that is the point.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nlfuzz.h"

static const char *const cmd_names[] = {
	"unspec",    "dev-get",	  "dev-set",   "dev-new",   "dev-del",
	"slice-new", "slice-set", "slice-del", "slice-get", "tenant-new",
	"tenant-set", "tenant-del", "tenant-get", "group-new", "group-del",
};
_Static_assert(ARRAY_SIZE(cmd_names) == ZSV_CMD_MAX + 1,
	       "name every command");

static const char *cmd_name(uint8_t cmd)
{
	return cmd <= ZSV_CMD_MAX ? cmd_names[cmd] : "unknown";
}

static bool err_known(int err)
{
	switch (-err) {
	case 0:
	case EINVAL:
	case ERANGE:
	case ENOENT:
	case ENODEV:
	case EEXIST:
	case ENOSPC:
	case EBUSY:
	case EOPNOTSUPP:
	case EPERM:
	case EDQUOT:
	case ENOMEM:
	case EMSGSIZE:
		return true;
	}
	return false;
}

/*
 * After group-new, with the model refreshed: all COUNT slices
 * <group>-0 .. made, each carrying the group, on distinct pdevs unless
 * the request allowed any; or, when it failed, none.
 */
static void check_group_new(const struct req *q, bool made)
{
	const char *g = q_str(q, ZSV_A_SLICE_GROUP);
	uint32_t count = q_u32(q, ZSV_A_SLICE_COUNT);
	bool distinct = !q_has(q, ZSV_A_SLICE_DISTINCT) ||
			*(const uint8_t *)q->val[ZSV_A_SLICE_DISTINCT];
	uint64_t devs[ZSV_GROUP_MAX];
	char name[ZSV_NAME_MAX + 8];
	int n = model_group_size(g);

	if (!made) {
		if (n)
			fz_fail("group-new %s failed and left %d slice(s)", g,
				n);
		return;
	}
	if ((uint32_t)n != count) {
		fz_fail("group-new %s of %u made %d slice(s)", g, count, n);
		return;
	}
	for (uint32_t i = 0; i < count && i < ZSV_GROUP_MAX; i++) {
		const struct obj *s;

		snprintf(name, sizeof(name), "%s-%u", g, i);
		s = model_slice_by_name(name);
		if (!s || !s->has[ZSV_A_SLICE_GROUP] || strcmp(s->group, g)) {
			fz_fail("group-new %s: no slice %s in it", g, name);
			return;
		}
		devs[i] = s->v[ZSV_A_SLICE_DEV_ID];
		for (uint32_t j = 0; distinct && j < i; j++)
			if (devs[j] == devs[i])
				fz_fail("group-new %s: %s-%u and %s share pdev %llu",
					g, g, j, name,
					(unsigned long long)devs[i]);
	}
}

void nl_fuzz_one(struct nl *nl, struct nl *inherited)
{
	static struct msgbuf m;
	static struct snapshot before;
	static struct obj objs[MAX_OBJS];
	struct nl *via = inherited && chance(50) ? inherited : nl;
	uint8_t cmd = (uint8_t)(1 + rnd_below(ZSV_CMD_MAX));
	bool dump = ops[cmd].dump && chance(40);
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0);
	uint8_t version = ZSV_GENL_VERSION;
	uint16_t nltype = via->family;
	enum { F_NONE, F_TRUNC, F_LONGER, F_SHORT } framing = F_NONE;
	struct reply r = {}, probe = {};
	struct verdict v;
	struct req q;
	uint32_t seq;
	size_t sent;
	int err;

	gen_template(cmd, dump);
	for (int n = (int)rnd_below(4); n > 0 && chance(75); n--)
		mutate_attrs(cmd);

	/* The header, now and then. */
	if (chance(8)) {
		switch (rnd_below(7)) {
		case 0:
			version =
				(uint8_t)PICK(0, 2, 0xff, (int)rnd_below(256));
			break;
		case 1:
			cmd = (uint8_t)PICK(0, ZSV_CMD_MAX + 1, 0x7f, 0xff,
					    (int)rnd_below(256));
			break;
		case 2:
			flags ^= NLM_F_DUMP;
			break;
		case 3:
			flags |= (uint16_t)PICK(NLM_F_ECHO, NLM_F_ROOT,
						NLM_F_MATCH,
						NLM_F_REPLACE | NLM_F_EXCL,
						NLM_F_CREATE, NLM_F_APPEND);
			break;
		case 4:
			if (chance(20))
				flags &= (uint16_t)~NLM_F_REQUEST;
			break;
		case 5:
			cmd = (uint8_t)(1 + rnd_below(ZSV_CMD_MAX));
			break;
		default:
			if (chance(10))
				nltype = (uint16_t)rnd_below(NLMSG_MIN_TYPE);
			break;
		}
	}

	seq = ++via->seq;
	msg_start(&m, nltype, flags, seq, cmd, version);
	if (chance(3))
		((struct genlmsghdr *)(m.b + NLMSG_HDRLEN))->reserved =
			(uint16_t)(1 + rnd_below(0xffff));
	serialize(&m);
	msg_end(&m);
	sent = m.len;

	/* Flipped bits in the attributes. */
	if (chance(4) && m.len > NLMSG_HDRLEN + GENL_HDRLEN)
		for (int n = 1 + (int)rnd_below(4); n > 0; n--) {
			size_t at =
				NLMSG_HDRLEN + GENL_HDRLEN +
				rnd_below(m.len - NLMSG_HDRLEN - GENL_HDRLEN);

			m.b[at] ^= (uint8_t)(1u << rnd_below(8));
		}
	/* The message's own length, now and then. */
	if (chance(4)) {
		struct nlmsghdr *nlh = (void *)m.b;

		framing = (int)(1 + rnd_below(3));
		switch (framing) {
		case F_TRUNC:
			sent = NLMSG_HDRLEN + rnd_below(m.len - NLMSG_HDRLEN);
			nlh->nlmsg_len = (uint32_t)sent;
			break;
		case F_LONGER:
			nlh->nlmsg_len += (uint32_t)(1 + rnd_below(64));
			break;
		default:
			nlh->nlmsg_len = (uint32_t)rnd_below(NLMSG_HDRLEN);
			break;
		}
	}

	if (!run.unpriv)
		sanitize(m.b, sent);
	req_parse(&q, m.b, sent);
	/* Admission and shrinking depend on usage, which data-plane calls move. */
	if (!run.unpriv && model.usage_dirty &&
	    (q.cmd == ZSV_CMD_SLICE_NEW || q.cmd == ZSV_CMD_SLICE_SET)) {
		model_refresh();
		model.usage_dirty = false;
	}
	judge(&q, &v);
	/* Stay bounded: make room for what may be created. */
	if (!run.unpriv && v.exp != EXP_FAIL && !v.silent &&
	    q.cmd == ZSV_CMD_SLICE_NEW && (q.nlflags & NLM_F_REQUEST) &&
	    q.nltype == via->family) {
		model_make_room_for_slice();
		req_parse(&q, m.b, sent);
		judge(&q, &v);
	}
	if (!run.unpriv && v.exp != EXP_FAIL && !v.silent &&
	    q.cmd == ZSV_CMD_GROUP_NEW && (q.nlflags & NLM_F_REQUEST) &&
	    q.nltype == via->family) {
		model_make_room_for_slice();
		req_parse(&q, m.b, sent);
		judge(&q, &v);
	}
	if (!run.unpriv && v.exp != EXP_FAIL && !v.silent &&
	    q.cmd == ZSV_CMD_DEV_NEW && (q.nlflags & NLM_F_REQUEST) &&
	    q.nltype == via->family) {
		model_make_room_for_dev();
		req_parse(&q, m.b, sent);
		judge(&q, &v);
	}
	/* slice-del: EBUSY exactly while contexts are open and there is no force. */
	if (v.exp == EXP_ANY && q.cmd == ZSV_CMD_SLICE_DEL && v.slice &&
	    q.clean && !q.dump && (q.nlflags & NLM_F_REQUEST) &&
	    q.nltype >= NLMSG_MIN_TYPE) {
		if (io_contexts_of((uint32_t)v.slice->v[ZSV_A_SLICE_ID]) &&
		    !q_has(&q, ZSV_A_SLICE_FORCE))
			fail_because(&v, "contexts open, no force");
		else
			v.exp = EXP_OK;
	}

	run.count[framing ? CAT_NL_FRAMING : CAT_NETLINK]++;
	if (run.verbose)
		fz_log("netlink %s%s len %u/%zu flags %#x ver %u: expect %s%s%s",
		       cmd_name(q.cmd), q.dump ? " dump" : "", q.nlmsg_len,
		       sent, q.nlflags, q.version,
		       v.silent		 ? "nothing" :
		       v.exp == EXP_OK	 ? "success" :
		       v.exp == EXP_FAIL ? "failure" :
					   "anything",
		       v.why[0] ? ": " : "", v.why);
	before = model.cur;

	r.objs = objs;
	r.max_objs = MAX_OBJS;
	err = nl_send(via, m.b, sent);
	if (err) {
		/* A message past the socket's send buffer is refused locally. */
		if (err != -EMSGSIZE && err != -ENOBUFS)
			fz_fail("sendto: %s", errname(err));
		return;
	}
	if (framing || v.silent) {
		/* The answer may never come: a request that surely answers follows. */
		struct msgbuf *pm = nl_scratch();

		msg_start(pm, via->family, NLM_F_REQUEST | NLM_F_ACK,
			  ++via->seq, ZSV_CMD_DEV_GET, ZSV_GENL_VERSION);
		msg_attr(pm, ZSV_A_DEV_ID, &(uint32_t){ UINT32_MAX - 7 }, 4);
		msg_end(pm);
		err = nl_send(via, pm->b, pm->len);
		if (!err)
			err = nl_recv(via, seq, &r, via->seq, &probe);
		/* A dump ends only as it is read, after the probe's answer. */
		if (!err && !r.answered && !v.silent && q.dump)
			err = nl_recv(via, seq, &r, 0, NULL);
	} else {
		err = nl_recv(via, seq, &r, 0, NULL);
	}
	if (err) {
		fz_fail("no answer to %s: %s", cmd_name(q.cmd), errname(err));
		fz_hexdump("request", m.b, sent);
		return;
	}
	if (r.bad)
		fz_fail("malformed answer to %s: %s", cmd_name(q.cmd),
			r.bad_why);

	if (v.silent) {
		if (r.answered)
			fz_note("a request with nlmsg_len %u of %zu sent was answered (%s)",
				q.nlmsg_len, sent, errname(r.err));
		return;
	}
	if (!r.answered) {
		fz_fail("%s (nlmsg_len %u, %zu bytes sent) got no answer",
			cmd_name(q.cmd), q.nlmsg_len, sent);
		fz_hexdump("request", m.b, sent);
		return;
	}
	if (!r.err)
		run.ok[framing ? CAT_NL_FRAMING : CAT_NETLINK]++;
	if (run.verbose)
		fz_log("  -> %s%s%s", errname(r.err), r.extack[0] ? ": " : "",
		       r.extack);

	if (!err_known(r.err))
		fz_fail("%s answered %s, which the uapi never names",
			cmd_name(q.cmd), errname(r.err));
	if (v.err && r.err != v.err &&
	    !(v.err == -EPERM && r.err == -EOPNOTSUPP && q.dump)) {
		fz_fail("%s answered %s, want %s", cmd_name(q.cmd),
			errname(r.err), errname(v.err));
		fz_hexdump("request", m.b, sent);
	} else if (v.exp == EXP_FAIL && !r.err) {
		fz_fail("%s succeeded, want a failure (%s)", cmd_name(q.cmd),
			v.why[0] ? v.why : "unprivileged");
		fz_hexdump("request", m.b, sent);
	} else if (v.exp == EXP_OK && r.err && r.err != -ENOMEM) {
		fz_fail("%s failed %s (%s), want success", cmd_name(q.cmd),
			errname(r.err), r.extack);
		fz_hexdump("request", m.b, sent);
	}
	if (run.unpriv && ops[q.cmd < ARRAY_SIZE(ops) ? q.cmd : 0].admin &&
	    !r.err && (q.nlflags & NLM_F_REQUEST) && q.nltype >= NLMSG_MIN_TYPE)
		fz_fail("unprivileged %s succeeded", cmd_name(q.cmd));

	/* Refusals the kernel makes itself say why. */
	if (r.err && r.err != -EPERM && r.err != -EOPNOTSUPP && !q.dump &&
	    !v.err && !r.extack[0])
		fz_note("%s failed %s without an extack message",
			cmd_name(q.cmd), errname(r.err));

	if (q.cmd < ZSV_CMD_DEV_GET || q.cmd > ZSV_CMD_MAX ||
	    !(q.nlflags & NLM_F_REQUEST) || q.nltype < NLMSG_MIN_TYPE)
		return;
	if (!ops[q.cmd].admin) {
		if (!r.err && v.exp == EXP_OK)
			check_read(&q, &v, &r);
		return;
	}
	if (run.unpriv)
		return;
	if (!r.err) {
		if (q.cmd == ZSV_CMD_SLICE_NEW && r.nobjs == 1)
			model_slice_made((uint32_t)r.objs[0].v[ZSV_A_SLICE_ID]);
		model_refresh();
		io_slices_changed();
		if (v.exp == EXP_OK)
			check_change(&q, &v, &r, &before);
		if (q.cmd == ZSV_CMD_GROUP_NEW && v.exp == EXP_ANY)
			check_group_new(&q, true);
		if (q.cmd == ZSV_CMD_GROUP_DEL && v.exp == EXP_ANY &&
		    model_group_size(q_str(&q, ZSV_A_SLICE_GROUP)))
			fz_fail("group-del %s left slices of it",
				q_str(&q, ZSV_A_SLICE_GROUP));
		return;
	}
	/* A refused group leaves none of its slices behind. */
	if (q.cmd == ZSV_CMD_GROUP_NEW && v.exp == EXP_ANY) {
		model_refresh();
		check_group_new(&q, false);
	}
	/* A refused change changes nothing (counters and usage aside). */
	if (chance(30)) {
		static struct snapshot after;
		char why[256];

		if (!nl_snapshot(&nl_main, &after) &&
		    !snapshot_same(&before, &after, false, why, sizeof(why))) {
			fz_fail("%s failed %s and still changed something: %s",
				cmd_name(q.cmd), errname(r.err), why);
			fz_hexdump("request", m.b, sent);
			model.cur = after;
			io_slices_changed();
		}
	}
}
