// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: libzsv's parsers of the kernel's replies and events
 * (zsv_dev_info_parse(), zsv_slice_info_parse() and
 * zsv_tenant_info_parse(), userspace/lib/dev.c, slice.c and tenant.c;
 * a slice's tenant and group included),
 * which every zsvctl command and the monitor go through.
 *
 * The input, after a generic netlink header, is a message's attributes,
 * in a buffer exactly as long as the message says (ASan sees a byte
 * read too many). A parser answers 0 or a negated errno; on 0 the
 * object has its id and name, each string it kept is a string of the
 * message (NUL-terminated inside its attribute, no longer than the
 * policy allows), and every bit of "present" is an attribute that came.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nl.h"
#include "libfuzzer.h"

/* Which attribute types the message has, by a walk of its own. */
static uint64_t types_in(const uint8_t *p, int rem)
{
	uint64_t seen = 0;

	while (rem >= NLA_HDRLEN) {
		struct nlattr a;

		memcpy(&a, p, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || a.nla_len > rem)
			break;
		if ((a.nla_type & NLA_TYPE_MASK) < 64)
			seen |= 1ull << (a.nla_type & NLA_TYPE_MASK);
		p += NLA_ALIGN(a.nla_len);
		rem -= NLA_ALIGN(a.nla_len);
	}
	return seen;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len = NLMSG_HDRLEN + GENL_HDRLEN + size;
	struct zsv_tenant_info *tenant = NULL;
	struct zsv_slice_info *slice = NULL;
	struct zsv_dev_info *dev = NULL;
	struct nlmsghdr *nlh;
	uint64_t seen;
	int ret;

	if (len > 65535)
		return 0;
	nlh = calloc(1, len);
	nlh->nlmsg_len = (uint32_t)len;
	nlh->nlmsg_type = 0x20;
	memcpy((uint8_t *)nlh + NLMSG_HDRLEN + GENL_HDRLEN, data, size);
	seen = types_in((uint8_t *)nlh + NLMSG_HDRLEN + GENL_HDRLEN, (int)size);

	ret = zsv_dev_info_parse(nlh, &dev);
	CHECK(ret <= 0);
	if (!ret) {
		CHECK(dev->name && dev->backend);
		CHECK(strlen(dev->name) <= ZSV_NAME_MAX);
		CHECK(zsv_dev_has(dev, ZSV_A_DEV_ID) &&
		      zsv_dev_has(dev, ZSV_A_DEV_NAME));
		CHECK(!(dev->present & ~seen));
		zsv_dev_info_free(dev);
	}

	ret = zsv_slice_info_parse(nlh, &slice);
	CHECK(ret <= 0);
	if (!ret) {
		CHECK(slice->name && slice->dev_name && slice->node &&
		      slice->tenant && slice->group);
		CHECK(strlen(slice->name) <= ZSV_NAME_MAX);
		CHECK(strlen(slice->dev_name) <= ZSV_NAME_MAX);
		CHECK(strlen(slice->tenant) <= ZSV_NAME_MAX);
		CHECK(strlen(slice->group) <= ZSV_NAME_MAX);
		/* No tenant (group) attribute, no tenant (group) name. */
		CHECK(zsv_slice_has(slice, ZSV_A_SLICE_TENANT) ||
		      !slice->tenant[0]);
		CHECK(zsv_slice_has(slice, ZSV_A_SLICE_GROUP) ||
		      !slice->group[0]);
		/* The strings do not overlap: each is where it says. */
		CHECK(slice->group != slice->tenant &&
		      slice->group != slice->name);
		CHECK(zsv_slice_has(slice, ZSV_A_SLICE_ID) &&
		      zsv_slice_has(slice, ZSV_A_SLICE_NAME));
		CHECK(!(slice->present & ~seen));
		zsv_slice_info_free(slice);
	}

	ret = zsv_tenant_info_parse(nlh, &tenant);
	CHECK(ret <= 0);
	if (!ret) {
		CHECK(tenant->name && strlen(tenant->name) <= ZSV_NAME_MAX);
		CHECK(zsv_tenant_has(tenant, ZSV_A_TENANT_ID) &&
		      zsv_tenant_has(tenant, ZSV_A_TENANT_NAME));
		CHECK(!(tenant->present & ~seen));
		/* A limit the kernel did not send is no limit. */
		CHECK(zsv_tenant_has(tenant, ZSV_A_TENANT_MEM_MAX) ||
		      tenant->mem_max_bytes == ZSV_LIMIT_NONE);
		CHECK(zsv_tenant_has(tenant, ZSV_A_TENANT_SLICES_MAX) ||
		      tenant->slices_max == ZSV_LIMIT_NONE);
		CHECK(zsv_tenant_has(tenant, ZSV_A_TENANT_COMPUTE_MAX) ||
		      tenant->compute_max == ZSV_LIMIT_NONE);
		/* No weight attribute: the default, as from an older kernel. */
		CHECK(zsv_tenant_has(tenant, ZSV_A_TENANT_WEIGHT) ||
		      tenant->weight == ZSV_WEIGHT_DEFAULT);
		zsv_tenant_info_free(tenant);
	}
	free(nlh);
	return 0;
}
