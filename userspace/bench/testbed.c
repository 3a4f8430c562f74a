// SPDX-License-Identifier: GPL-2.0-only
/*
 * A test bed: the pdev a data-plane benchmark runs on, our slices on it
 * and a context open on each.  Either a sim pdev of our own (made with
 * dev-new, removed at the end) or an existing one, whose settings are
 * put back at the end.  Everything we made goes, also after errors and
 * stop signals.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench.h"

int tb_reserve_fds(struct bench *b, size_t fds)
{
	struct rlimit rl;
	rlim_t want;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return bench_fail(b, -errno, "getrlimit(RLIMIT_NOFILE)");
	/* stdio, the netlink sockets, epoll and some slack. */
	want = (rlim_t)fds + 64;
	if (rl.rlim_cur >= want)
		return BENCH_EXIT_OK;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want) {
		fprintf(stderr,
			"zsv-bench: %zu contexts need %llu open files, the hard limit is %llu\n",
			fds, (unsigned long long)want,
			(unsigned long long)rl.rlim_max);
		return BENCH_EXIT_FAIL;
	}
	rl.rlim_cur = want;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		return bench_fail(b, -errno, "setrlimit(RLIMIT_NOFILE)");
	return BENCH_EXIT_OK;
}

int tb_dev_get(struct testbed *tb, struct zsv_dev_info **dev)
{
	int err = zsv_dev_get_by_name(tb->b->zh, tb->dev, dev);

	if (err)
		return bench_fail(tb->b, err, "dev-get %s", tb->dev);
	return BENCH_EXIT_OK;
}

int tb_open(struct testbed *tb, struct bench *b, const char *prefix,
	    const char *dev, uint32_t engines, uint64_t mem_bytes)
{
	struct zsv_dev_params p = { 0 };
	struct zsv_dev_info *info;
	int err, ret;

	memset(tb, 0, sizeof(*tb));
	tb->b = b;
	tb->prefix = prefix;
	if (dev) {
		snprintf(tb->dev, sizeof(tb->dev), "%s", dev);
		ret = tb_dev_get(tb, &tb->saved);
		if (ret)
			return ret;
		info = tb->saved;
	} else {
		p.mask = ZSV_ATTR_BIT(ZSV_A_DEV_MEM_TOTAL) |
			 ZSV_ATTR_BIT(ZSV_A_DEV_ENGINES);
		p.mem_total_bytes = mem_bytes;
		p.engines = engines;
		err = zsv_dev_new(b->zh, &p, &info);
		if (err == -EPERM) {
			fputs("zsv-bench: making a pdev needs CAP_NET_ADMIN (run as root)\n",
			      stderr);
			return BENCH_EXIT_FAIL;
		}
		if (err)
			return bench_fail(
				b, err,
				"cannot make a sim pdev (or name one with --dev)");
		snprintf(tb->dev, sizeof(tb->dev), "%s", info->name);
		tb->made = true;
		tb->saved = info;
	}
	tb->engines = info->engines;
	tb->period_ns = info->period_ns;
	if (!tb->engines || !tb->period_ns) {
		fprintf(stderr,
			"zsv-bench: %s reports %" PRIu32
			" engines and a period of %" PRIu64 " ns\n",
			tb->dev, tb->engines, tb->period_ns);
		tb_close(tb);
		return BENCH_EXIT_FAIL;
	}
	return BENCH_EXIT_OK;
}

int tb_set_policy(struct testbed *tb, enum zsv_policy policy)
{
	struct zsv_dev_params p = {
		.mask = ZSV_ATTR_BIT(ZSV_A_DEV_POLICY),
		.policy = policy,
	};
	int err = zsv_dev_set(tb->b->zh, tb->dev, &p);

	if (err)
		return bench_fail(tb->b, err, "cannot set %s's policy to %s",
				  tb->dev, zsv_policy_name(policy));
	return BENCH_EXIT_OK;
}

static void tb_tenant_name(const struct testbed *tb, size_t i, char *buf,
			   size_t len)
{
	snprintf(buf, len, "%s-t%zu", tb->prefix, i);
}

int tb_add_tenant(struct testbed *tb, uint32_t weight)
{
	struct zsv_tenant_params p = {
		.mask = ZSV_ATTR_BIT(ZSV_A_TENANT_WEIGHT),
		.weight = weight,
	};
	char name[ZSV_NAME_MAX + 1];
	int err;

	tb_tenant_name(tb, tb->tenants, name, sizeof(name));
	err = zsv_tenant_new(tb->b->zh, name, &p, NULL);
	if (err)
		return bench_fail(tb->b, err, "cannot create tenant '%s'",
				  name);
	tb->tenants++;
	return BENCH_EXIT_OK;
}

int tb_add_slice(struct testbed *tb, uint64_t mem_bytes, uint32_t weight,
		 uint32_t cap_pct)
{
	return tb_add_slice_in(tb, mem_bytes, weight, cap_pct, -1);
}

int tb_add_slice_in(struct testbed *tb, uint64_t mem_bytes, uint32_t weight,
		    uint32_t cap_pct, int tenant)
{
	char tname[ZSV_NAME_MAX + 1];
	struct zsv_slice_params p = {
		.mask = ZSV_ATTR_BIT(ZSV_A_SLICE_MEM_BYTES) |
			ZSV_ATTR_BIT(ZSV_A_SLICE_WEIGHT) |
			ZSV_ATTR_BIT(ZSV_A_SLICE_CAP_PCT),
		.mem_bytes = mem_bytes,
		.weight = weight,
		.cap_pct = cap_pct,
	};
	struct zsv_slice_info *info;
	struct tb_slice *s;
	int err;

	if (tb->count == tb->size) {
		size_t size = tb->size ? 2 * tb->size : 16;

		s = reallocarray(tb->slices, size, sizeof(*s));
		if (!s)
			return bench_fail(tb->b, -ENOMEM, "slices");
		tb->slices = s;
		tb->size = size;
	}
	if (tenant >= 0) {
		tb_tenant_name(tb, (size_t)tenant, tname, sizeof(tname));
		p.mask |= ZSV_ATTR_BIT(ZSV_A_SLICE_TENANT);
		p.tenant = tname;
	}
	s = &tb->slices[tb->count];
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	snprintf(s->name, sizeof(s->name), "%s-%zu", tb->prefix, tb->count);
	err = zsv_slice_create(tb->b->zh, tb->dev, s->name, &p, &info);
	if (err)
		return bench_fail(tb->b, err, "cannot create slice '%s' on %s",
				  s->name, tb->dev);
	tb->count++;
	s->id = info->id;
	s->weight = weight;
	s->cap_pct = cap_pct;
	zsv_slice_info_free(info);
	s->fd = zsv_slice_open(s->name);
	if (s->fd < 0) {
		err = s->fd;
		s->fd = -1;
		return bench_fail(tb->b, err, "cannot open /dev/zsv/%s",
				  s->name);
	}
	return BENCH_EXIT_OK;
}

int tb_set_slice(struct testbed *tb, struct tb_slice *s, uint32_t weight,
		 uint32_t cap_pct)
{
	struct zsv_slice_params p = {
		.mask = ZSV_ATTR_BIT(ZSV_A_SLICE_WEIGHT) |
			ZSV_ATTR_BIT(ZSV_A_SLICE_CAP_PCT),
		.weight = weight,
		.cap_pct = cap_pct,
	};
	int err = zsv_slice_set(tb->b->zh, s->name, &p);

	if (err)
		return bench_fail(tb->b, err, "cannot change slice '%s'",
				  s->name);
	s->weight = weight;
	s->cap_pct = cap_pct;
	return BENCH_EXIT_OK;
}

int tb_clear(struct testbed *tb)
{
	int ret = BENCH_EXIT_OK, err;
	size_t i;

	/* Closing a context cancels its jobs; then nothing holds a slice. */
	for (i = 0; i < tb->count; i++) {
		if (tb->slices[i].fd >= 0)
			close(tb->slices[i].fd);
		tb->slices[i].fd = -1;
		free(tb->slices[i].job_ns);
		tb->slices[i].job_ns = NULL;
		tb->slices[i].ring = 0;
	}
	while (tb->count) {
		struct tb_slice *s = &tb->slices[tb->count - 1];

		err = zsv_slice_destroy(tb->b->zh, s->name, true);
		if (err && err != -ENOENT && err != -ENODEV)
			ret = bench_fail(tb->b, err, "cleanup: slice '%s'",
					 s->name);
		tb->count--;
	}
	while (tb->tenants) {
		char name[ZSV_NAME_MAX + 1];

		tb_tenant_name(tb, tb->tenants - 1, name, sizeof(name));
		err = zsv_tenant_del(tb->b->zh, name);
		if (err && err != -ENOENT)
			ret = bench_fail(tb->b, err, "cleanup: tenant '%s'",
					 name);
		tb->tenants--;
	}
	return ret;
}

int tb_close(struct testbed *tb)
{
	struct zsv_dev_params p = { 0 };
	int ret, err;

	ret = tb_clear(tb);
	free(tb->slices);
	tb->slices = NULL;
	tb->size = 0;
	if (!tb->saved)
		return ret;
	if (tb->made) {
		err = zsv_dev_del(tb->b->zh, tb->dev);
		if (err)
			ret = bench_fail(tb->b, err, "cleanup: remove pdev %s",
					 tb->dev);
	} else {
		/* Put back what a benchmark may have changed. */
		p.mask = ZSV_ATTR_BIT(ZSV_A_DEV_POLICY) |
			 ZSV_ATTR_BIT(ZSV_A_DEV_TIMESLICE_NS) |
			 ZSV_ATTR_BIT(ZSV_A_DEV_PERIOD_NS);
		p.policy = tb->saved->policy;
		p.timeslice_ns = tb->saved->timeslice_ns;
		p.period_ns = tb->saved->period_ns;
		err = zsv_dev_set(tb->b->zh, tb->dev, &p);
		if (err)
			ret = bench_fail(tb->b, err,
					 "cleanup: restore %s's settings",
					 tb->dev);
	}
	zsv_dev_info_free(tb->saved);
	tb->saved = NULL;
	return ret;
}
