// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: zsvctl's parsers of the words of the commands that
 * change things (userspace/zsvctl/args.c): slice create, set and destroy,
 * dev set and add, cdi generate, names, tenant add and set, and group
 * create and destroy.
 *
 * The input's first byte picks the parser and the length of the error
 * buffer; the rest is its words, split at NUL bytes. Whatever the words:
 *   - the parser answers 0 or -EINVAL, and on -EINVAL leaves a message,
 *     NUL-terminated, inside the buffer it was given (exactly that long,
 *     so ASan sees a byte too many);
 *   - what it accepts is within the limits of uapi/linux/zsv.h (a typo
 *     never reaches the kernel) and names valid names;
 *   - what it accepts, written back as words in the units zsvctl prints
 *     (exact sizes, durations, ratios, numeric ids), parses to the same.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cdi.h"
#include "libzsv.h"
#include "libfuzzer.h"

#define MAX_WORDS 40
#define BIT(a) ZSV_ATTR_BIT(a)

/* The error buffer: exactly @len bytes, and 0 or -EINVAL with a message. */
static void check_err(int ret, const char *err, size_t len)
{
	CHECK(ret == 0 || ret == -EINVAL);
	if (ret && len)
		CHECK(memchr(err, '\0', len) && (len == 1 || err[0]));
}

static bool in_argv(const char *p, int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (p == argv[i])
			return true;
	return false;
}

/* A tenant name the kernel takes: valid, and never the word "none". */
static bool tenant_name_ok(const char *name, int argc, char **argv)
{
	return in_argv(name, argc, argv) && !zsv_name_check(name) &&
	       strcmp(name, ARGS_TENANT_NONE);
}

static void check_slice_params(const struct zsv_slice_params *p, bool create,
			       int argc, char **argv)
{
	uint64_t allowed = BIT(ZSV_A_SLICE_MEM_BYTES) |
			   BIT(ZSV_A_SLICE_WEIGHT) | BIT(ZSV_A_SLICE_CAP_PCT) |
			   BIT(ZSV_A_SLICE_TIMESLICE_NS) |
			   BIT(ZSV_A_SLICE_UID) | BIT(ZSV_A_SLICE_GID) |
			   BIT(ZSV_A_SLICE_NODE_MODE) |
			   BIT(ZSV_A_SLICE_TENANT);

	if (create)
		allowed |= BIT(ZSV_A_SLICE_MEM_MODE);
	CHECK(!(p->mask & ~allowed));
	if (p->mask & BIT(ZSV_A_SLICE_MEM_BYTES))
		CHECK(p->mem_bytes);
	if (p->mask & BIT(ZSV_A_SLICE_MEM_MODE))
		CHECK(p->mem_mode <= ZSV_MEM_MODE_MAX);
	if (p->mask & BIT(ZSV_A_SLICE_WEIGHT))
		CHECK(p->weight >= ZSV_WEIGHT_MIN &&
		      p->weight <= ZSV_WEIGHT_MAX);
	if (p->mask & BIT(ZSV_A_SLICE_CAP_PCT))
		CHECK(p->cap_pct >= 1 && p->cap_pct <= ZSV_CAP_PCT_MAX);
	if (p->mask & BIT(ZSV_A_SLICE_TIMESLICE_NS))
		CHECK(!p->timeslice_ns ||
		      (p->timeslice_ns >= ZSV_TIMESLICE_MIN_NS &&
		       p->timeslice_ns <= ZSV_TIMESLICE_MAX_NS));
	if (p->mask & BIT(ZSV_A_SLICE_UID))
		CHECK(p->uid != UINT32_MAX);
	if (p->mask & BIT(ZSV_A_SLICE_GID))
		CHECK(p->gid != UINT32_MAX);
	if (p->mask & BIT(ZSV_A_SLICE_NODE_MODE))
		CHECK(p->node_mode <= 0777);
	/* "" (out of its tenant) only on set; create sends no "none". */
	if (p->mask & BIT(ZSV_A_SLICE_TENANT))
		CHECK(p->tenant && (p->tenant[0] ?
					    tenant_name_ok(p->tenant, argc, argv) :
					    !create));
}

/* Words that say @p the way zsvctl prints values; returns their count. */
static int slice_words(const struct zsv_slice_params *p, char **w,
		       char buf[][ZSV_UNIT_STR_MAX])
{
	int n = 0;

	if (p->mask & BIT(ZSV_A_SLICE_MEM_BYTES)) {
		w[n++] = "mem";
		CHECK(!zsv_format_size_exact(p->mem_bytes, buf[n],
					     ZSV_UNIT_STR_MAX));
		w[n] = buf[n];
		n++;
	}
	if (p->mask & BIT(ZSV_A_SLICE_MEM_MODE)) {
		w[n++] = "mode";
		w[n++] = (char *)zsv_mem_mode_name(p->mem_mode);
	}
	if (p->mask & BIT(ZSV_A_SLICE_WEIGHT)) {
		w[n++] = "weight";
		snprintf(buf[n], ZSV_UNIT_STR_MAX, "%" PRIu32, p->weight);
		w[n] = buf[n];
		n++;
	}
	if (p->mask & BIT(ZSV_A_SLICE_CAP_PCT)) {
		w[n++] = "cap";
		snprintf(buf[n], ZSV_UNIT_STR_MAX, "%" PRIu32 "%%", p->cap_pct);
		w[n] = buf[n];
		n++;
	}
	if (p->mask & BIT(ZSV_A_SLICE_TIMESLICE_NS)) {
		w[n++] = "timeslice";
		if (p->timeslice_ns)
			CHECK(!zsv_format_duration(p->timeslice_ns, buf[n],
						   ZSV_UNIT_STR_MAX));
		else
			snprintf(buf[n], ZSV_UNIT_STR_MAX, "default");
		w[n] = buf[n];
		n++;
	}
	if (p->mask & BIT(ZSV_A_SLICE_UID)) {
		w[n++] = "owner";
		snprintf(buf[n], ZSV_UNIT_STR_MAX, "%" PRIu32, p->uid);
		w[n] = buf[n];
		n++;
	}
	if (p->mask & BIT(ZSV_A_SLICE_GID)) {
		w[n++] = "group";
		snprintf(buf[n], ZSV_UNIT_STR_MAX, "%" PRIu32, p->gid);
		w[n] = buf[n];
		n++;
	}
	if (p->mask & BIT(ZSV_A_SLICE_NODE_MODE)) {
		w[n++] = "perm";
		snprintf(buf[n], ZSV_UNIT_STR_MAX, "0%o", p->node_mode);
		w[n] = buf[n];
		n++;
	}
	if (p->mask & BIT(ZSV_A_SLICE_TENANT)) {
		w[n++] = "tenant";
		w[n++] = p->tenant[0] ? (char *)p->tenant : ARGS_TENANT_NONE;
	}
	return n;
}

static void same_slice_params(const struct zsv_slice_params *a,
			      const struct zsv_slice_params *b)
{
	CHECK(a->mask == b->mask);
#define SAME(bit, field) CHECK(!(a->mask & BIT(bit)) || a->field == b->field)
	SAME(ZSV_A_SLICE_MEM_BYTES, mem_bytes);
	SAME(ZSV_A_SLICE_MEM_MODE, mem_mode);
	SAME(ZSV_A_SLICE_WEIGHT, weight);
	SAME(ZSV_A_SLICE_CAP_PCT, cap_pct);
	SAME(ZSV_A_SLICE_TIMESLICE_NS, timeslice_ns);
	SAME(ZSV_A_SLICE_UID, uid);
	SAME(ZSV_A_SLICE_GID, gid);
	SAME(ZSV_A_SLICE_NODE_MODE, node_mode);
#undef SAME
	CHECK(!(a->mask & BIT(ZSV_A_SLICE_TENANT)) ||
	      !strcmp(a->tenant, b->tenant));
}

static void fuzz_slice_create(int argc, char **argv, char *err, size_t len)
{
	char buf[MAX_WORDS][ZSV_UNIT_STR_MAX], e2[ARGS_ERR_MAX];
	struct slice_create_args a, b;
	char *w[MAX_WORDS];
	int n = 0, ret;

	ret = args_slice_create(argc, argv, &a, err, len);
	check_err(ret, err, len);
	if (ret)
		return;
	CHECK(!a.dev || (in_argv(a.dev, argc, argv) && !zsv_name_check(a.dev)));
	CHECK(in_argv(a.name, argc, argv) && !zsv_name_check(a.name));
	CHECK(a.params.mask & BIT(ZSV_A_SLICE_MEM_BYTES));
	/* Placement only without a device. */
	CHECK(!a.dev || (!a.placement_set && !a.backend));
	CHECK(a.placement <= ZSV_PLACEMENT_MAX);
	CHECK(!a.backend || (in_argv(a.backend, argc, argv) &&
			     !zsv_name_check(a.backend)));
	check_slice_params(&a.params, true, argc, argv);

	if (a.dev)
		w[n++] = (char *)a.dev;
	w[n++] = "name";
	w[n++] = (char *)a.name;
	if (a.placement_set) {
		w[n++] = "placement";
		w[n++] = a.placement == ZSV_PLACEMENT_BINPACK ? "binpack" :
								 "spread";
	}
	if (a.backend) {
		w[n++] = "backend";
		w[n++] = (char *)a.backend;
	}
	n += slice_words(&a.params, w + n, buf + n);
	ret = args_slice_create(n, w, &b, e2, sizeof(e2));
	if (ret)
		fprintf(stderr, "round trip: %s\n", e2);
	CHECK(!ret);
	CHECK(!a.dev == !b.dev && (!a.dev || !strcmp(a.dev, b.dev)));
	CHECK(!strcmp(a.name, b.name));
	CHECK(a.placement == b.placement && !a.backend == !b.backend &&
	      (!a.backend || !strcmp(a.backend, b.backend)));
	same_slice_params(&a.params, &b.params);
}

static void fuzz_slice_set(int argc, char **argv, char *err, size_t len)
{
	char buf[MAX_WORDS][ZSV_UNIT_STR_MAX], e2[ARGS_ERR_MAX];
	struct slice_set_args a, b;
	char *w[MAX_WORDS];
	int n = 0, ret;

	ret = args_slice_set(argc, argv, &a, err, len);
	check_err(ret, err, len);
	if (ret)
		return;
	CHECK(in_argv(a.name, argc, argv) && !zsv_name_check(a.name));
	CHECK(a.params.mask);
	check_slice_params(&a.params, false, argc, argv);

	w[n++] = (char *)a.name;
	n += slice_words(&a.params, w + n, buf + n);
	ret = args_slice_set(n, w, &b, e2, sizeof(e2));
	if (ret)
		fprintf(stderr, "round trip: %s\n", e2);
	CHECK(!ret);
	CHECK(!strcmp(a.name, b.name));
	same_slice_params(&a.params, &b.params);
}

static void fuzz_slice_destroy(int argc, char **argv, char *err, size_t len)
{
	struct slice_destroy_args a;
	int ret = args_slice_destroy(argc, argv, &a, err, len);

	check_err(ret, err, len);
	if (ret)
		return;
	CHECK(argc == 1 || argc == 2);
	CHECK(a.name == argv[0] && !zsv_name_check(a.name));
	CHECK(a.force == (argc == 2));
	if (argc == 2)
		CHECK(!strcmp(argv[1], "force"));
}

static void fuzz_dev_set(int argc, char **argv, char *err, size_t len)
{
	char buf[MAX_WORDS][ZSV_UNIT_STR_MAX], e2[ARGS_ERR_MAX];
	const uint64_t allowed =
		BIT(ZSV_A_DEV_POLICY) | BIT(ZSV_A_DEV_TIMESLICE_NS) |
		BIT(ZSV_A_DEV_PERIOD_NS) | BIT(ZSV_A_DEV_OVERSUB_PCT);
	struct dev_set_args a, b;
	const struct zsv_dev_params *p = &a.params;
	char *w[MAX_WORDS];
	int n = 0, ret;

	ret = args_dev_set(argc, argv, &a, err, len);
	check_err(ret, err, len);
	if (ret)
		return;
	CHECK(in_argv(a.name, argc, argv) && !zsv_name_check(a.name));
	CHECK(p->mask && !(p->mask & ~allowed));
	w[n++] = (char *)a.name;
	if (p->mask & BIT(ZSV_A_DEV_POLICY)) {
		CHECK(p->policy <= ZSV_POLICY_MAX);
		w[n++] = "policy";
		w[n++] = (char *)zsv_policy_name(p->policy);
	}
	if (p->mask & BIT(ZSV_A_DEV_TIMESLICE_NS)) {
		CHECK(p->timeslice_ns >= ZSV_TIMESLICE_MIN_NS &&
		      p->timeslice_ns <= ZSV_TIMESLICE_MAX_NS);
		w[n++] = "timeslice";
		CHECK(!zsv_format_duration(p->timeslice_ns, buf[n],
					   ZSV_UNIT_STR_MAX));
		w[n] = buf[n];
		n++;
	}
	if (p->mask & BIT(ZSV_A_DEV_PERIOD_NS)) {
		CHECK(p->period_ns >= ZSV_PERIOD_MIN_NS &&
		      p->period_ns <= ZSV_PERIOD_MAX_NS);
		w[n++] = "period";
		CHECK(!zsv_format_duration(p->period_ns, buf[n],
					   ZSV_UNIT_STR_MAX));
		w[n] = buf[n];
		n++;
	}
	if (p->mask & BIT(ZSV_A_DEV_OVERSUB_PCT)) {
		CHECK(p->oversub_pct >= ZSV_OVERSUB_PCT_MIN &&
		      p->oversub_pct <= ZSV_OVERSUB_PCT_MAX);
		w[n++] = "oversub";
		CHECK(!zsv_format_ratio(p->oversub_pct, buf[n],
					ZSV_UNIT_STR_MAX));
		w[n] = buf[n];
		n++;
	}
	ret = args_dev_set(n, w, &b, e2, sizeof(e2));
	if (ret)
		fprintf(stderr, "round trip: %s\n", e2);
	CHECK(!ret && !strcmp(a.name, b.name) && b.params.mask == p->mask);
	CHECK(!(p->mask & BIT(ZSV_A_DEV_POLICY)) ||
	      b.params.policy == p->policy);
	CHECK(!(p->mask & BIT(ZSV_A_DEV_TIMESLICE_NS)) ||
	      b.params.timeslice_ns == p->timeslice_ns);
	CHECK(!(p->mask & BIT(ZSV_A_DEV_PERIOD_NS)) ||
	      b.params.period_ns == p->period_ns);
	CHECK(!(p->mask & BIT(ZSV_A_DEV_OVERSUB_PCT)) ||
	      b.params.oversub_pct == p->oversub_pct);
}

static void fuzz_dev_add(int argc, char **argv, char *err, size_t len)
{
	char buf[MAX_WORDS][ZSV_UNIT_STR_MAX], e2[ARGS_ERR_MAX];
	const uint64_t allowed = BIT(ZSV_A_DEV_BACKEND) |
				 BIT(ZSV_A_DEV_MEM_TOTAL) |
				 BIT(ZSV_A_DEV_ENGINES);
	struct zsv_dev_params p, q;
	char *w[MAX_WORDS];
	int n = 0, ret;

	ret = args_dev_add(argc, argv, &p, err, len);
	check_err(ret, err, len);
	if (ret)
		return;
	CHECK(!(p.mask & ~allowed) && (p.mask & BIT(ZSV_A_DEV_MEM_TOTAL)));
	CHECK(p.mem_total_bytes);
	if (p.mask & BIT(ZSV_A_DEV_BACKEND)) {
		CHECK(in_argv(p.backend, argc, argv) &&
		      !zsv_name_check(p.backend));
		w[n++] = "backend";
		w[n++] = (char *)p.backend;
	}
	w[n++] = "mem";
	CHECK(!zsv_format_size_exact(p.mem_total_bytes, buf[n],
				     ZSV_UNIT_STR_MAX));
	w[n] = buf[n];
	n++;
	if (p.mask & BIT(ZSV_A_DEV_ENGINES)) {
		CHECK(p.engines);
		w[n++] = "engines";
		snprintf(buf[n], ZSV_UNIT_STR_MAX, "%" PRIu32, p.engines);
		w[n] = buf[n];
		n++;
	}
	ret = args_dev_add(n, w, &q, e2, sizeof(e2));
	if (ret)
		fprintf(stderr, "round trip: %s\n", e2);
	CHECK(!ret && q.mask == p.mask &&
	      q.mem_total_bytes == p.mem_total_bytes);
	CHECK(!(p.mask & BIT(ZSV_A_DEV_ENGINES)) || q.engines == p.engines);
	CHECK(!(p.mask & BIT(ZSV_A_DEV_BACKEND)) ||
	      !strcmp(q.backend, p.backend));
}

static void fuzz_cdi_generate(int argc, char **argv, char *err, size_t len)
{
	struct cdi_generate_args a;
	int ret = args_cdi_generate(argc, argv, &a, err, len);

	check_err(ret, err, len);
	if (ret)
		return;
	CHECK(!(argc & 1));
	if (a.output)
		CHECK(in_argv(a.output, argc, argv) && a.output[0]);
	if (a.vendor)
		CHECK(in_argv(a.vendor, argc, argv) &&
		      !cdi_vendor_check(a.vendor));
}

/* A limit as zsvctl prints it: "none", or the value (and @unit). */
static char *limit_word(uint64_t v, bool size, const char *unit, char *buf)
{
	if (v == ZSV_LIMIT_NONE)
		return ARGS_TENANT_NONE;
	if (size)
		CHECK(!zsv_format_size_exact(v, buf, ZSV_UNIT_STR_MAX));
	else
		snprintf(buf, ZSV_UNIT_STR_MAX, "%" PRIu64 "%s", v, unit);
	return buf;
}

/* tenant add (@set false) or tenant set. */
static void fuzz_tenant(bool set, int argc, char **argv, char *err, size_t len)
{
	char buf[4][ZSV_UNIT_STR_MAX], e2[ARGS_ERR_MAX];
	const uint64_t allowed =
		BIT(ZSV_A_TENANT_MEM_MAX) | BIT(ZSV_A_TENANT_SLICES_MAX) |
		BIT(ZSV_A_TENANT_COMPUTE_MAX) | BIT(ZSV_A_TENANT_WEIGHT);
	int (*parse)(int, char **, struct tenant_args *, char *, size_t) =
		set ? args_tenant_set : args_tenant_add;
	struct tenant_args a, b;
	const struct zsv_tenant_params *p = &a.params;
	char *w[MAX_WORDS];
	int n = 0, ret;

	ret = parse(argc, argv, &a, err, len);
	check_err(ret, err, len);
	if (ret)
		return;
	CHECK(tenant_name_ok(a.name, argc, argv) && a.name == argv[0]);
	CHECK(!(p->mask & ~allowed) && (!set || p->mask));
	w[n++] = (char *)a.name;
	if (p->mask & BIT(ZSV_A_TENANT_MEM_MAX)) {
		/* A size is more than 0 bytes. */
		CHECK(p->mem_max_bytes);
		w[n++] = "mem";
		w[n++] = limit_word(p->mem_max_bytes, true, "", buf[0]);
	}
	if (p->mask & BIT(ZSV_A_TENANT_SLICES_MAX)) {
		w[n++] = "slices";
		w[n++] = limit_word(p->slices_max, false, "", buf[1]);
	}
	if (p->mask & BIT(ZSV_A_TENANT_COMPUTE_MAX)) {
		w[n++] = "compute";
		w[n++] = limit_word(p->compute_max, false, "%", buf[2]);
	}
	if (p->mask & BIT(ZSV_A_TENANT_WEIGHT)) {
		/* Only what the kernel takes reaches it. */
		CHECK(p->weight >= ZSV_WEIGHT_MIN &&
		      p->weight <= ZSV_WEIGHT_MAX);
		snprintf(buf[3], sizeof(buf[3]), "%" PRIu32, p->weight);
		w[n++] = "weight";
		w[n++] = buf[3];
	}
	ret = parse(n, w, &b, e2, sizeof(e2));
	if (ret)
		fprintf(stderr, "round trip: %s\n", e2);
	CHECK(!ret && !strcmp(a.name, b.name) && b.params.mask == p->mask);
	CHECK(!(p->mask & BIT(ZSV_A_TENANT_MEM_MAX)) ||
	      b.params.mem_max_bytes == p->mem_max_bytes);
	CHECK(!(p->mask & BIT(ZSV_A_TENANT_SLICES_MAX)) ||
	      b.params.slices_max == p->slices_max);
	CHECK(!(p->mask & BIT(ZSV_A_TENANT_COMPUTE_MAX)) ||
	      b.params.compute_max == p->compute_max);
	CHECK(!(p->mask & BIT(ZSV_A_TENANT_WEIGHT)) ||
	      b.params.weight == p->weight);
}

static void fuzz_group_create(int argc, char **argv, char *err, size_t len)
{
	char buf[MAX_WORDS][ZSV_UNIT_STR_MAX], e2[ARGS_ERR_MAX];
	struct group_create_args a, b;
	char count[16];
	char *w[MAX_WORDS];
	int n = 0, ret;

	ret = args_group_create(argc, argv, &a, err, len);
	check_err(ret, err, len);
	if (ret)
		return;
	CHECK(a.name == argv[0] && !zsv_name_check(a.name));
	CHECK(a.count >= 1 && a.count <= ZSV_GROUP_MAX);
	/* Its last slice's name, <name>-<count - 1>, is a valid name too. */
	snprintf(buf[0], sizeof(buf[0]), "%s-%" PRIu32, a.name, a.count - 1);
	CHECK(strlen(a.name) + 4 > sizeof(buf[0]) || !zsv_name_check(buf[0]));
	CHECK(a.params.mask & BIT(ZSV_A_SLICE_MEM_BYTES));
	CHECK(a.placement <= ZSV_PLACEMENT_MAX);
	CHECK(!a.backend || (in_argv(a.backend, argc, argv) &&
			     !zsv_name_check(a.backend)));
	check_slice_params(&a.params, true, argc, argv);

	w[n++] = (char *)a.name;
	w[n++] = "count";
	snprintf(count, sizeof(count), "%" PRIu32, a.count);
	w[n++] = count;
	if (!a.distinct)
		w[n++] = "any";
	if (a.placement_set) {
		w[n++] = "placement";
		w[n++] = a.placement == ZSV_PLACEMENT_BINPACK ? "binpack" :
								 "spread";
	}
	if (a.backend) {
		w[n++] = "backend";
		w[n++] = (char *)a.backend;
	}
	n += slice_words(&a.params, w + n, buf + n);
	ret = args_group_create(n, w, &b, e2, sizeof(e2));
	if (ret)
		fprintf(stderr, "round trip: %s\n", e2);
	CHECK(!ret);
	CHECK(!strcmp(a.name, b.name) && a.count == b.count &&
	      a.distinct == b.distinct);
	CHECK(a.placement == b.placement && !a.backend == !b.backend &&
	      (!a.backend || !strcmp(a.backend, b.backend)));
	same_slice_params(&a.params, &b.params);
}

static void fuzz_group_destroy(int argc, char **argv, char *err, size_t len)
{
	struct group_destroy_args a;
	int ret = args_group_destroy(argc, argv, &a, err, len);

	check_err(ret, err, len);
	if (ret)
		return;
	CHECK(argc == 1 || argc == 2);
	CHECK(a.name == argv[0] && !zsv_name_check(a.name));
	CHECK(a.force == (argc == 2));
	if (argc == 2)
		CHECK(!strcmp(argv[1], "force"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *words, *argv[MAX_WORDS + 1], *err;
	size_t len;
	int argc = 0;

	if (!size)
		return 0;
	/* An error buffer of ARGS_ERR_MAX most of the time, else a short one. */
	len = data[0] & 0x80 ? (size_t)(data[0] & 0x0f) : ARGS_ERR_MAX;
	err = malloc(len ? len : 1);
	words = malloc(size);
	memcpy(words, data + 1, size - 1);
	words[size - 1] = '\0';
	for (char *p = words; p < words + size - 1 && argc < MAX_WORDS;
	     p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;

	/*
	 * 0 to 6 keep their meaning for the corpus; tenants came later,
	 * then groups.
	 */
	switch ((data[0] & 0x7f) % 11) {
	case 0:
		fuzz_slice_create(argc, argv, err, len);
		break;
	case 1:
		fuzz_slice_set(argc, argv, err, len);
		break;
	case 2:
		fuzz_slice_destroy(argc, argv, err, len);
		break;
	case 3:
		fuzz_dev_set(argc, argv, err, len);
		break;
	case 4:
		fuzz_dev_add(argc, argv, err, len);
		break;
	case 5:
		fuzz_cdi_generate(argc, argv, err, len);
		break;
	case 7:
		fuzz_tenant(false, argc, argv, err, len);
		break;
	case 8:
		fuzz_tenant(true, argc, argv, err, len);
		break;
	case 9:
		fuzz_group_create(argc, argv, err, len);
		break;
	case 10:
		fuzz_group_destroy(argc, argv, err, len);
		break;
	default:
		if (argc) {
			int ret = args_name("slice", argv[0], err, len);

			check_err(ret, err, len);
			CHECK(!ret == !zsv_name_check(argv[0]));
		}
		break;
	}
	free(words);
	free(err);
	return 0;
}
