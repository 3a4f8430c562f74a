// SPDX-License-Identifier: GPL-2.0-only
/*
 * The declarative layout: its file format, and the plan that takes the
 * live state to a file's (see layout.h).  No netlink here.
 *
 * The values of the file go through the very parsers of "zsvctl slice
 * create" and "dev set" (args.c): a file is the words of those commands
 * in JSON, so it takes the same units and says the same when a value is
 * wrong.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json_object.h>
#include <json-c/json_tokener.h>
#include <json-c/linkhash.h>

#include "args.h"
#include "layout.h"

/* Long enough for any value as text: a device name is the longest. */
#define VAL_MAX (ZSV_NAME_MAX + 1)

static const char *const dev_keys[LAYOUT_DEV_KEYS] = {
	[LAYOUT_DEV_POLICY] = "policy",
	[LAYOUT_DEV_TIMESLICE] = "timeslice",
	[LAYOUT_DEV_PERIOD] = "period",
	[LAYOUT_DEV_OVERSUB] = "oversub",
};

static const int dev_attrs[LAYOUT_DEV_KEYS] = {
	[LAYOUT_DEV_POLICY] = ZSV_A_DEV_POLICY,
	[LAYOUT_DEV_TIMESLICE] = ZSV_A_DEV_TIMESLICE_NS,
	[LAYOUT_DEV_PERIOD] = ZSV_A_DEV_PERIOD_NS,
	[LAYOUT_DEV_OVERSUB] = ZSV_A_DEV_OVERSUB_PCT,
};

static const char *const slice_keys[LAYOUT_SLICE_KEYS] = {
	[LAYOUT_SLICE_DEV] = "dev",	[LAYOUT_SLICE_MEM] = "mem",
	[LAYOUT_SLICE_MODE] = "mode",	[LAYOUT_SLICE_WEIGHT] = "weight",
	[LAYOUT_SLICE_CAP] = "cap",	[LAYOUT_SLICE_TIMESLICE] = "timeslice",
	[LAYOUT_SLICE_OWNER] = "owner", [LAYOUT_SLICE_GROUP] = "group",
	[LAYOUT_SLICE_PERM] = "perm",	[LAYOUT_SLICE_TENANT] = "tenant",
};

/* The slice-set attribute of each key; 0: slice-set cannot change it. */
static const int slice_attrs[LAYOUT_SLICE_KEYS] = {
	[LAYOUT_SLICE_MEM] = ZSV_A_SLICE_MEM_BYTES,
	[LAYOUT_SLICE_WEIGHT] = ZSV_A_SLICE_WEIGHT,
	[LAYOUT_SLICE_CAP] = ZSV_A_SLICE_CAP_PCT,
	[LAYOUT_SLICE_TIMESLICE] = ZSV_A_SLICE_TIMESLICE_NS,
	[LAYOUT_SLICE_OWNER] = ZSV_A_SLICE_UID,
	[LAYOUT_SLICE_GROUP] = ZSV_A_SLICE_GID,
	[LAYOUT_SLICE_PERM] = ZSV_A_SLICE_NODE_MODE,
	[LAYOUT_SLICE_TENANT] = ZSV_A_SLICE_TENANT,
};

/* The tenant keys after "name", in file order: tenant add's words. */
enum layout_tenant_key {
	LAYOUT_TENANT_MEM,
	LAYOUT_TENANT_SLICES,
	LAYOUT_TENANT_COMPUTE,
	LAYOUT_TENANT_WEIGHT,
	LAYOUT_TENANT_KEYS
};

static const char *const tenant_keys[LAYOUT_TENANT_KEYS] = {
	[LAYOUT_TENANT_MEM] = "mem",
	[LAYOUT_TENANT_SLICES] = "slices",
	[LAYOUT_TENANT_COMPUTE] = "compute",
	[LAYOUT_TENANT_WEIGHT] = "weight",
};

static const int tenant_attrs[LAYOUT_TENANT_KEYS] = {
	[LAYOUT_TENANT_MEM] = ZSV_A_TENANT_MEM_MAX,
	[LAYOUT_TENANT_SLICES] = ZSV_A_TENANT_SLICES_MAX,
	[LAYOUT_TENANT_COMPUTE] = ZSV_A_TENANT_COMPUTE_MAX,
	[LAYOUT_TENANT_WEIGHT] = ZSV_A_TENANT_WEIGHT,
};

static int fail(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Append to a string of @len bytes, cutting what does not fit. */
static void appendf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void appendf(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strnlen(buf, len);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

void layout_free(struct layout *l)
{
	free(l->devs);
	free(l->slices);
	free(l->tenants);
	memset(l, 0, sizeof(*l));
}

/* ------------------------------------------------------------------ */
/* Values as the file and the messages write them */

static void fmt_enum(const char *name, uint32_t v, char *buf, size_t len)
{
	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "unknown(%" PRIu32 ")", v);
}

static void dev_value_str(const struct layout_dev *d, enum layout_dev_key k,
			  char *buf, size_t len)
{
	switch (k) {
	case LAYOUT_DEV_POLICY:
		fmt_enum(zsv_policy_name(d->policy), d->policy, buf, len);
		break;
	case LAYOUT_DEV_TIMESLICE:
		zsv_format_duration(d->timeslice_ns, buf, len);
		break;
	case LAYOUT_DEV_PERIOD:
		zsv_format_duration(d->period_ns, buf, len);
		break;
	default:
		zsv_format_ratio(d->oversub_pct, buf, len);
		break;
	}
}

static uint64_t dev_value(const struct layout_dev *d, enum layout_dev_key k)
{
	switch (k) {
	case LAYOUT_DEV_POLICY:
		return d->policy;
	case LAYOUT_DEV_TIMESLICE:
		return d->timeslice_ns;
	case LAYOUT_DEV_PERIOD:
		return d->period_ns;
	default:
		return d->oversub_pct;
	}
}

static void dev_param_set(struct zsv_dev_params *p, const struct layout_dev *d,
			  enum layout_dev_key k)
{
	p->mask |= ZSV_ATTR_BIT(dev_attrs[k]);
	switch (k) {
	case LAYOUT_DEV_POLICY:
		p->policy = d->policy;
		break;
	case LAYOUT_DEV_TIMESLICE:
		p->timeslice_ns = d->timeslice_ns;
		break;
	case LAYOUT_DEV_PERIOD:
		p->period_ns = d->period_ns;
		break;
	default:
		p->oversub_pct = d->oversub_pct;
		break;
	}
}

static void slice_value_str(const struct layout_slice *s,
			    enum layout_slice_key k, char *buf, size_t len)
{
	switch (k) {
	case LAYOUT_SLICE_DEV:
		snprintf(buf, len, "%s", s->dev);
		break;
	case LAYOUT_SLICE_MEM:
		zsv_format_size_exact(s->mem_bytes, buf, len);
		break;
	case LAYOUT_SLICE_MODE:
		fmt_enum(zsv_mem_mode_name(s->mem_mode), s->mem_mode, buf, len);
		break;
	case LAYOUT_SLICE_WEIGHT:
		snprintf(buf, len, "%" PRIu32, s->weight);
		break;
	case LAYOUT_SLICE_CAP:
		snprintf(buf, len, "%" PRIu32 "%%", s->cap_pct);
		break;
	case LAYOUT_SLICE_TIMESLICE:
		if (!s->timeslice_ns)
			snprintf(buf, len, "default");
		else
			zsv_format_duration(s->timeslice_ns, buf, len);
		break;
	case LAYOUT_SLICE_OWNER:
		snprintf(buf, len, "%" PRIu32, s->uid);
		break;
	case LAYOUT_SLICE_GROUP:
		snprintf(buf, len, "%" PRIu32, s->gid);
		break;
	case LAYOUT_SLICE_TENANT:
		snprintf(buf, len, "%s", s->tenant[0] ? s->tenant : "none");
		break;
	default:
		snprintf(buf, len, "%04" PRIo32, s->node_mode);
		break;
	}
}

static uint64_t slice_value(const struct layout_slice *s,
			    enum layout_slice_key k)
{
	switch (k) {
	case LAYOUT_SLICE_DEV:
	case LAYOUT_SLICE_TENANT:
		return 0;
	case LAYOUT_SLICE_MEM:
		return s->mem_bytes;
	case LAYOUT_SLICE_MODE:
		return s->mem_mode;
	case LAYOUT_SLICE_WEIGHT:
		return s->weight;
	case LAYOUT_SLICE_CAP:
		return s->cap_pct;
	case LAYOUT_SLICE_TIMESLICE:
		return s->timeslice_ns;
	case LAYOUT_SLICE_OWNER:
		return s->uid;
	case LAYOUT_SLICE_GROUP:
		return s->gid;
	default:
		return s->node_mode;
	}
}

static bool slice_differs(const struct layout_slice *a,
			  const struct layout_slice *b, enum layout_slice_key k)
{
	if (k == LAYOUT_SLICE_DEV)
		return strcmp(a->dev, b->dev) != 0;
	if (k == LAYOUT_SLICE_TENANT)
		return strcmp(a->tenant, b->tenant) != 0;
	return slice_value(a, k) != slice_value(b, k);
}

/*
 * Put key @k of @s into @p; DEV has no attribute, and is not put.  A
 * tenant points into @s: plan steps move it into their own storage.
 */
static void slice_param_set(struct zsv_slice_params *p,
			    const struct layout_slice *s,
			    enum layout_slice_key k)
{
	switch (k) {
	case LAYOUT_SLICE_DEV:
		return;
	case LAYOUT_SLICE_MEM:
		p->mem_bytes = s->mem_bytes;
		break;
	case LAYOUT_SLICE_MODE:
		p->mask |= ZSV_ATTR_BIT(ZSV_A_SLICE_MEM_MODE);
		p->mem_mode = s->mem_mode;
		return;
	case LAYOUT_SLICE_WEIGHT:
		p->weight = s->weight;
		break;
	case LAYOUT_SLICE_CAP:
		p->cap_pct = s->cap_pct;
		break;
	case LAYOUT_SLICE_TIMESLICE:
		p->timeslice_ns = s->timeslice_ns;
		break;
	case LAYOUT_SLICE_OWNER:
		p->uid = s->uid;
		break;
	case LAYOUT_SLICE_GROUP:
		p->gid = s->gid;
		break;
	case LAYOUT_SLICE_TENANT:
		p->tenant = s->tenant;
		break;
	default:
		p->node_mode = s->node_mode;
		break;
	}
	p->mask |= ZSV_ATTR_BIT(slice_attrs[k]);
}

/* Everything slice-new takes, to create @s as it is. */
static void slice_params_all(struct zsv_slice_params *p,
			     const struct layout_slice *s)
{
	int k;

	memset(p, 0, sizeof(*p));
	for (k = LAYOUT_SLICE_MEM; k < LAYOUT_SLICE_KEYS; k++)
		if (k != LAYOUT_SLICE_TENANT || s->tenant[0])
			slice_param_set(p, s, (enum layout_slice_key)k);
}

static uint64_t tenant_value(const struct layout_tenant *t,
			     enum layout_tenant_key k);

/* A tenant's limit or weight as the file and tenant add write it. */
static void tenant_value_str(const struct layout_tenant *t,
			     enum layout_tenant_key k, char *buf, size_t len)
{
	uint64_t v = tenant_value(t, k);

	/* A weight is a number, never "none". */
	if (k == LAYOUT_TENANT_WEIGHT)
		snprintf(buf, len, "%" PRIu64, v);
	else if (v == ZSV_LIMIT_NONE)
		snprintf(buf, len, "none");
	else if (k == LAYOUT_TENANT_MEM)
		zsv_format_size_exact(v, buf, len);
	else
		snprintf(buf, len, "%" PRIu64 "%s", v,
			 k == LAYOUT_TENANT_COMPUTE ? "%" : "");
}

static uint64_t tenant_value(const struct layout_tenant *t,
			     enum layout_tenant_key k)
{
	switch (k) {
	case LAYOUT_TENANT_MEM:
		return t->mem_max_bytes;
	case LAYOUT_TENANT_SLICES:
		return t->slices_max;
	case LAYOUT_TENANT_WEIGHT:
		return t->weight;
	default:
		return t->compute_max;
	}
}

static void tenant_param_set(struct zsv_tenant_params *p,
			     const struct layout_tenant *t,
			     enum layout_tenant_key k)
{
	uint64_t v = tenant_value(t, k);

	p->mask |= ZSV_ATTR_BIT(tenant_attrs[k]);
	if (k == LAYOUT_TENANT_MEM)
		p->mem_max_bytes = v;
	else if (k == LAYOUT_TENANT_SLICES)
		p->slices_max = v;
	else if (k == LAYOUT_TENANT_WEIGHT)
		p->weight = (uint32_t)v;
	else
		p->compute_max = v;
}

/* ------------------------------------------------------------------ */
/* Reading a file */

/* "line 3, column 14" of byte @off of @text. */
static void text_position(const char *text, size_t off, char *buf, size_t len)
{
	size_t i, line = 1, col = 1;

	for (i = 0; i < off && text[i]; i++) {
		if (text[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	snprintf(buf, len, "line %zu, column %zu", line, col);
}

/*
 * A string member: 0 and *str, or -EINVAL when it is not a string or
 * holds a NUL (which no word of a command line can).
 */
static int json_string(struct json_object *v, const char *where,
		       const char *key, const char **str, char *err, size_t len)
{
	if (!json_object_is_type(v, json_type_string))
		return fail(err, len, "%s: \"%s\" must be a string", where,
			    key);
	*str = json_object_get_string(v);
	if (strlen(*str) != (size_t)json_object_get_string_len(v))
		return fail(err, len, "%s: \"%s\" holds a NUL character", where,
			    key);
	return 0;
}

/*
 * A member as a command-line word: strings as they are; integers, where
 * @ints allows them, in decimal (into @buf).
 */
static int json_word(struct json_object *v, const char *where, const char *key,
		     bool ints, bool strings, char *buf, size_t buflen,
		     const char **word, char *err, size_t len)
{
	if (ints && json_object_is_type(v, json_type_int)) {
		snprintf(buf, buflen, "%" PRId64, json_object_get_int64(v));
		*word = buf;
		return 0;
	}
	if (strings)
		return json_string(v, where, key, word, err, len);
	return fail(err, len, "%s: \"%s\" must be an integer", where, key);
}

/* Is there a slice (device) named @name in the first @n? Its index. */
static long find_slice_n(const struct layout_slice *s, size_t n,
			 const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s[i].name, name))
			return (long)i;
	return -1;
}

static long find_dev_n(const struct layout_dev *d, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(d[i].name, name))
			return (long)i;
	return -1;
}

static int parse_dev(struct json_object *obj, size_t idx, struct layout *l,
		     char *err, size_t len)
{
	char where[64], aerr[ARGS_ERR_MAX];
	const char *words[1 + 2 * LAYOUT_DEV_KEYS], *name = NULL, *val;
	const char *unknown = NULL;
	struct json_object *vals[LAYOUT_DEV_KEYS] = { NULL };
	struct layout_dev *d = &l->devs[idx];
	struct dev_set_args a;
	int argc = 1, k, ret;
	long dup;

	snprintf(where, sizeof(where), "devices[%zu]", idx);
	if (!json_object_is_type(obj, json_type_object))
		return fail(err, len, "%s: must be an object", where);
	json_object_object_foreach(obj, key, v)
	{
		if (!strcmp(key, "name")) {
			ret = json_string(v, where, key, &name, err, len);
			if (ret)
				return ret;
			continue;
		}
		for (k = 0; k < LAYOUT_DEV_KEYS; k++)
			if (!strcmp(key, dev_keys[k]))
				break;
		if (k == LAYOUT_DEV_KEYS)
			unknown = unknown ? unknown : key;
		else
			vals[k] = v;
	}
	if (!name)
		return fail(err, len, "%s: needs \"name\"", where);
	if (args_name("device", name, aerr, sizeof(aerr)))
		return fail(err, len, "%s: %s", where, aerr);
	snprintf(where, sizeof(where), "devices[%zu] (%s)", idx, name);
	if (unknown)
		return fail(
			err, len,
			"%s: unknown key \"%s\" (a device has name, policy, timeslice, period and oversub)",
			where, unknown);
	dup = find_dev_n(l->devs, idx, name);
	if (dup >= 0)
		return fail(err, len,
			    "%s: device '%s' is named twice (devices[%ld])",
			    where, name, dup);
	snprintf(d->name, sizeof(d->name), "%s", name);

	words[0] = name;
	for (k = 0; k < LAYOUT_DEV_KEYS; k++) {
		if (!vals[k])
			continue;
		ret = json_string(vals[k], where, dev_keys[k], &val, err, len);
		if (ret)
			return ret;
		words[argc++] = dev_keys[k];
		words[argc++] = val;
		d->given |= 1U << k;
	}
	if (argc == 1)
		return 0;
	if (args_dev_set(argc, (char **)words, &a, aerr, sizeof(aerr)))
		return fail(err, len, "%s: %s", where, aerr);
	d->policy = a.params.policy;
	d->timeslice_ns = a.params.timeslice_ns;
	d->period_ns = a.params.period_ns;
	d->oversub_pct = a.params.oversub_pct;
	if ((d->given & (1U << LAYOUT_DEV_TIMESLICE)) &&
	    (d->given & (1U << LAYOUT_DEV_PERIOD)) &&
	    d->period_ns < d->timeslice_ns)
		return fail(err, len,
			    "%s: period '%s' is shorter than timeslice '%s'",
			    where,
			    json_object_get_string(vals[LAYOUT_DEV_PERIOD]),
			    json_object_get_string(vals[LAYOUT_DEV_TIMESLICE]));
	return 0;
}

static int parse_slice(struct json_object *obj, size_t idx, struct layout *l,
		       char *err, size_t len)
{
	char where[128], aerr[ARGS_ERR_MAX], nums[LAYOUT_SLICE_KEYS][24];
	const char *words[3 + 2 * LAYOUT_SLICE_KEYS], *name = NULL;
	const char *unknown = NULL;
	struct json_object *vals[LAYOUT_SLICE_KEYS] = { NULL };
	struct layout_slice *s = &l->slices[idx];
	struct slice_create_args a;
	int argc = 3, k, ret;
	uint64_t m;
	long dup;

	snprintf(where, sizeof(where), "slices[%zu]", idx);
	if (!json_object_is_type(obj, json_type_object))
		return fail(err, len, "%s: must be an object", where);
	json_object_object_foreach(obj, key, v)
	{
		if (!strcmp(key, "name")) {
			ret = json_string(v, where, key, &name, err, len);
			if (ret)
				return ret;
			continue;
		}
		for (k = 0; k < LAYOUT_SLICE_KEYS; k++)
			if (!strcmp(key, slice_keys[k]))
				break;
		if (k == LAYOUT_SLICE_KEYS)
			unknown = unknown ? unknown : key;
		else
			vals[k] = v;
	}
	if (!name)
		return fail(err, len, "%s: needs \"name\"", where);
	if (args_name("slice", name, aerr, sizeof(aerr)))
		return fail(err, len, "%s: %s", where, aerr);
	snprintf(where, sizeof(where), "slices[%zu] (%s)", idx, name);
	if (unknown)
		return fail(
			err, len,
			"%s: unknown key \"%s\" (a slice has name, dev, mem, mode, weight, cap, timeslice, owner, group, perm and tenant)",
			where, unknown);
	dup = find_slice_n(l->slices, idx, name);
	if (dup >= 0)
		return fail(err, len,
			    "%s: slice '%s' is named twice (slices[%ld])",
			    where, name, dup);
	if (!vals[LAYOUT_SLICE_DEV])
		return fail(err, len, "%s: needs \"dev\"", where);
	if (!vals[LAYOUT_SLICE_MEM])
		return fail(err, len, "%s: needs \"mem\"", where);

	/* slice create DEV name NAME KEY VALUE ... */
	ret = json_string(vals[LAYOUT_SLICE_DEV], where, "dev", &words[0], err,
			  len);
	if (ret)
		return ret;
	words[1] = "name";
	words[2] = name;
	for (k = LAYOUT_SLICE_MEM; k < LAYOUT_SLICE_KEYS; k++) {
		bool ints = k == LAYOUT_SLICE_WEIGHT ||
			    k == LAYOUT_SLICE_OWNER || k == LAYOUT_SLICE_GROUP;
		bool strings = k != LAYOUT_SLICE_WEIGHT;

		if (!vals[k])
			continue;
		ret = json_word(vals[k], where, slice_keys[k], ints, strings,
				nums[k], sizeof(nums[k]), &words[argc + 1], err,
				len);
		if (ret)
			return ret;
		words[argc] = slice_keys[k];
		argc += 2;
	}
	if (args_slice_create(argc, (char **)words, &a, aerr, sizeof(aerr)))
		return fail(err, len, "%s: %s", where, aerr);
	/* A layout always names the device; apply never places a slice. */
	if (!a.dev)
		return fail(err, len, "%s: '%s' is not a device name", where,
			    words[0]);

	/* What the file leaves out is slice create's default. */
	m = a.params.mask;
	snprintf(s->name, sizeof(s->name), "%s", name);
	snprintf(s->dev, sizeof(s->dev), "%s", a.dev);
	s->mem_bytes = a.params.mem_bytes;
	s->mem_mode = m & ZSV_ATTR_BIT(ZSV_A_SLICE_MEM_MODE) ?
			      a.params.mem_mode :
			      ZSV_MEM_MODE_RESERVED;
	s->weight = m & ZSV_ATTR_BIT(ZSV_A_SLICE_WEIGHT) ? a.params.weight :
							   ZSV_WEIGHT_DEFAULT;
	s->cap_pct = m & ZSV_ATTR_BIT(ZSV_A_SLICE_CAP_PCT) ? a.params.cap_pct :
							     ZSV_CAP_PCT_MAX;
	s->timeslice_ns = a.params.timeslice_ns;
	s->uid = a.params.uid;
	s->gid = a.params.gid;
	s->node_mode = m & ZSV_ATTR_BIT(ZSV_A_SLICE_NODE_MODE) ?
			       a.params.node_mode :
			       ZSV_NODE_MODE_DEFAULT;
	if (m & ZSV_ATTR_BIT(ZSV_A_SLICE_TENANT))
		snprintf(s->tenant, sizeof(s->tenant), "%s", a.params.tenant);
	return 0;
}

static long find_tenant_n(const struct layout_tenant *t, size_t n,
			  const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(t[i].name, name))
			return (long)i;
	return -1;
}

static int parse_tenant(struct json_object *obj, size_t idx, struct layout *l,
			char *err, size_t len)
{
	char where[128], aerr[ARGS_ERR_MAX], nums[LAYOUT_TENANT_KEYS][24];
	const char *words[1 + 2 * LAYOUT_TENANT_KEYS], *name = NULL;
	const char *unknown = NULL;
	struct json_object *vals[LAYOUT_TENANT_KEYS] = { NULL };
	struct layout_tenant *t = &l->tenants[idx];
	struct tenant_args a;
	int argc = 1, k, ret;
	uint64_t m;
	long dup;

	snprintf(where, sizeof(where), "tenants[%zu]", idx);
	if (!json_object_is_type(obj, json_type_object))
		return fail(err, len, "%s: must be an object", where);
	json_object_object_foreach(obj, key, v)
	{
		if (!strcmp(key, "name")) {
			ret = json_string(v, where, key, &name, err, len);
			if (ret)
				return ret;
			continue;
		}
		for (k = 0; k < LAYOUT_TENANT_KEYS; k++)
			if (!strcmp(key, tenant_keys[k]))
				break;
		if (k == LAYOUT_TENANT_KEYS)
			unknown = unknown ? unknown : key;
		else
			vals[k] = v;
	}
	if (!name)
		return fail(err, len, "%s: needs \"name\"", where);
	if (args_tenant_name(name, aerr, sizeof(aerr)))
		return fail(err, len, "%s: %s", where, aerr);
	snprintf(where, sizeof(where), "tenants[%zu] (%s)", idx, name);
	if (unknown)
		return fail(
			err, len,
			"%s: unknown key \"%s\" (a tenant has name, mem, slices, compute and weight)",
			where, unknown);
	dup = find_tenant_n(l->tenants, idx, name);
	if (dup >= 0)
		return fail(err, len,
			    "%s: tenant '%s' is named twice (tenants[%ld])",
			    where, name, dup);

	/* tenant add NAME KEY VALUE ... */
	words[0] = name;
	for (k = 0; k < LAYOUT_TENANT_KEYS; k++) {
		if (!vals[k])
			continue;
		/* slices may be an integer, weight must be one. */
		ret = json_word(vals[k], where, tenant_keys[k],
				k == LAYOUT_TENANT_SLICES ||
					k == LAYOUT_TENANT_WEIGHT,
				k != LAYOUT_TENANT_WEIGHT, nums[k],
				sizeof(nums[k]), &words[argc + 1], err, len);
		if (ret)
			return ret;
		words[argc] = tenant_keys[k];
		argc += 2;
	}
	if (args_tenant_add(argc, (char **)words, &a, aerr, sizeof(aerr)))
		return fail(err, len, "%s: %s", where, aerr);
	/*
	 * What the file leaves out is tenant add's default: no limit,
	 * weight ZSV_WEIGHT_DEFAULT.
	 */
	m = a.params.mask;
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->mem_max_bytes = m & ZSV_ATTR_BIT(ZSV_A_TENANT_MEM_MAX) ?
				   a.params.mem_max_bytes :
				   ZSV_LIMIT_NONE;
	t->slices_max = m & ZSV_ATTR_BIT(ZSV_A_TENANT_SLICES_MAX) ?
				a.params.slices_max :
				ZSV_LIMIT_NONE;
	t->compute_max = m & ZSV_ATTR_BIT(ZSV_A_TENANT_COMPUTE_MAX) ?
				 a.params.compute_max :
				 ZSV_LIMIT_NONE;
	t->weight = m & ZSV_ATTR_BIT(ZSV_A_TENANT_WEIGHT) ? a.params.weight :
							    ZSV_WEIGHT_DEFAULT;
	return 0;
}

static int parse_array(struct json_object *root, const char *key, size_t elem,
		       void **items, size_t *n, char *err, size_t len)
{
	struct json_object *arr;

	*n = 0;
	if (!json_object_object_get_ex(root, key, &arr))
		return 0;
	if (!json_object_is_type(arr, json_type_array))
		return fail(err, len, "\"%s\" must be an array", key);
	*n = json_object_array_length(arr);
	*items = calloc(*n ? *n : 1, elem);
	return *items ? 0 : -ENOMEM;
}

static int parse_root(struct json_object *root, struct layout *l, char *err,
		      size_t len)
{
	struct json_object *v, *arr;
	size_t i, nd, ns, nt;
	int ret;

	if (!json_object_is_type(root, json_type_object))
		return fail(err, len, "the file must hold a JSON object");
	json_object_object_foreach(root, key, val)
	{
		(void)val;
		if (strcmp(key, "version") && strcmp(key, "devices") &&
		    strcmp(key, "tenants") && strcmp(key, "slices"))
			return fail(
				err, len,
				"unknown key \"%s\" (the file has version, devices, tenants and slices)",
				key);
	}
	if (!json_object_object_get_ex(root, "version", &v))
		return fail(err, len, "needs \"version\": %d", LAYOUT_VERSION);
	if (!json_object_is_type(v, json_type_int))
		return fail(err, len, "\"version\" must be an integer");
	if (json_object_get_int64(v) != LAYOUT_VERSION)
		return fail(err, len,
			    "version %" PRId64
			    " is not one this zsvctl reads (it reads %d)",
			    json_object_get_int64(v), LAYOUT_VERSION);

	ret = parse_array(root, "devices", sizeof(*l->devs), (void **)&l->devs,
			  &nd, err, len);
	if (ret)
		return ret;
	ret = parse_array(root, "slices", sizeof(*l->slices),
			  (void **)&l->slices, &ns, err, len);
	if (ret)
		return ret;
	ret = parse_array(root, "tenants", sizeof(*l->tenants),
			  (void **)&l->tenants, &nt, err, len);
	if (ret)
		return ret;
	if (nt) {
		json_object_object_get_ex(root, "tenants", &arr);
		for (i = 0; i < nt; i++) {
			ret = parse_tenant(json_object_array_get_idx(arr, i), i,
					   l, err, len);
			if (ret)
				return ret;
			l->ntenants = i + 1;
		}
	}
	if (nd) {
		json_object_object_get_ex(root, "devices", &arr);
		for (i = 0; i < nd; i++) {
			ret = parse_dev(json_object_array_get_idx(arr, i), i, l,
					err, len);
			if (ret)
				return ret;
			l->ndevs = i + 1;
		}
	}
	if (ns) {
		json_object_object_get_ex(root, "slices", &arr);
		for (i = 0; i < ns; i++) {
			ret = parse_slice(json_object_array_get_idx(arr, i), i,
					  l, err, len);
			if (ret)
				return ret;
			l->nslices = i + 1;
		}
	}
	return 0;
}

int layout_parse(const char *text, size_t len, struct layout *l, char *err,
		 size_t errlen)
{
	struct json_tokener *tok;
	struct json_object *root;
	enum json_tokener_error jerr;
	char pos[64], *copy;
	size_t end;
	int ret;

	memset(l, 0, sizeof(*l));
	if (len > LAYOUT_FILE_MAX)
		return fail(err, errlen, "the file is larger than %uM",
			    LAYOUT_FILE_MAX >> 20);
	if (memchr(text, '\0', len))
		return fail(err, errlen,
			    "the file holds a NUL byte: it is not JSON text");
	/* json-c needs the end of the text to end a number or a literal. */
	copy = malloc(len + 1);
	tok = json_tokener_new();
	if (!copy || !tok) {
		free(copy);
		if (tok)
			json_tokener_free(tok);
		return -ENOMEM;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, copy, (int)len + 1);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (!root || jerr != json_tokener_success) {
		text_position(copy, end, pos, sizeof(pos));
		ret = fail(err, errlen, "not valid JSON at %s: %s", pos,
			   jerr == json_tokener_continue ?
				   "the text ends early" :
				   json_tokener_error_desc(jerr));
		goto out;
	}
	/* The NUL json-c was given ends it; anything before must be blank. */
	for (; end < len; end++) {
		if (!strchr(" \t\r\n", copy[end])) {
			text_position(copy, end, pos, sizeof(pos));
			ret = fail(
				err, errlen,
				"not valid JSON at %s: text after the object",
				pos);
			goto out;
		}
	}
	ret = parse_root(root, l, err, errlen);
out:
	json_object_put(root);
	json_tokener_free(tok);
	free(copy);
	if (ret)
		layout_free(l);
	return ret;
}

/* ------------------------------------------------------------------ */
/* The live state, and writing a file */

static int cmp_slice_name(const void *a, const void *b)
{
	return strcmp(((const struct layout_slice *)a)->name,
		      ((const struct layout_slice *)b)->name);
}

int layout_from_live(struct zsv_dev_info *const *devs, size_t ndevs,
		     struct zsv_slice_info *const *slices, size_t nslices,
		     struct layout *l)
{
	uint32_t *ids;
	size_t i, j;

	memset(l, 0, sizeof(*l));
	l->devs = calloc(ndevs ? ndevs : 1, sizeof(*l->devs));
	l->slices = calloc(nslices ? nslices : 1, sizeof(*l->slices));
	ids = calloc(ndevs ? ndevs : 1, sizeof(*ids));
	if (!l->devs || !l->slices || !ids) {
		free(ids);
		layout_free(l);
		return -ENOMEM;
	}
	/* Devices by id: insertion into the sorted prefix. */
	for (i = 0; i < ndevs; i++) {
		const struct zsv_dev_info *in = devs[i];
		struct layout_dev d = { 0 };

		snprintf(d.name, sizeof(d.name), "%s", in->name);
		d.given = (1U << LAYOUT_DEV_KEYS) - 1;
		d.policy = in->policy;
		d.timeslice_ns = in->timeslice_ns;
		d.period_ns = in->period_ns;
		d.oversub_pct = in->oversub_pct;
		d.mem_total_bytes = in->mem_total_bytes;
		for (j = i; j > 0 && ids[j - 1] > in->id; j--) {
			ids[j] = ids[j - 1];
			l->devs[j] = l->devs[j - 1];
		}
		ids[j] = in->id;
		l->devs[j] = d;
	}
	free(ids);
	l->ndevs = ndevs;
	for (i = 0; i < nslices; i++) {
		const struct zsv_slice_info *in = slices[i];
		struct layout_slice *s = &l->slices[i];

		snprintf(s->name, sizeof(s->name), "%s", in->name);
		snprintf(s->dev, sizeof(s->dev), "%s", in->dev_name);
		s->mem_bytes = in->mem_bytes;
		s->mem_mode = in->mem_mode;
		s->weight = in->weight;
		s->cap_pct = in->cap_pct;
		s->timeslice_ns = in->timeslice_ns;
		s->uid = in->uid;
		s->gid = in->gid;
		s->node_mode = in->node_mode;
		s->contexts = in->contexts;
		s->mem_used_bytes = in->mem_used_bytes;
		s->mediated = in->mediated;
		if (zsv_slice_has(in, ZSV_A_SLICE_TENANT) && in->tenant)
			snprintf(s->tenant, sizeof(s->tenant), "%s",
				 in->tenant);
	}
	l->nslices = nslices;
	qsort(l->slices, nslices, sizeof(*l->slices), cmp_slice_name);
	return 0;
}

static int cmp_tenant_name(const void *a, const void *b)
{
	return strcmp(((const struct layout_tenant *)a)->name,
		      ((const struct layout_tenant *)b)->name);
}

int layout_add_live_tenants(struct layout *l,
			    struct zsv_tenant_info *const *tenants, size_t n)
{
	size_t i;

	free(l->tenants);
	l->ntenants = 0;
	l->tenants = calloc(n ? n : 1, sizeof(*l->tenants));
	if (!l->tenants)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct layout_tenant *t = &l->tenants[i];

		snprintf(t->name, sizeof(t->name), "%s", tenants[i]->name);
		t->mem_max_bytes = tenants[i]->mem_max_bytes;
		t->slices_max = tenants[i]->slices_max;
		t->compute_max = tenants[i]->compute_max;
		t->weight = tenants[i]->weight;
	}
	l->ntenants = n;
	qsort(l->tenants, n, sizeof(*l->tenants), cmp_tenant_name);
	return 0;
}

static bool add_str(struct json_object *obj, const char *key, const char *val)
{
	struct json_object *v = json_object_new_string(val);

	if (!v || json_object_object_add(obj, key, v)) {
		json_object_put(v);
		return false;
	}
	return true;
}

static bool add_int(struct json_object *obj, const char *key, int64_t val)
{
	struct json_object *v = json_object_new_int64(val);

	if (!v || json_object_object_add(obj, key, v)) {
		json_object_put(v);
		return false;
	}
	return true;
}

static bool add_to(struct json_object *arr, struct json_object *obj)
{
	if (!obj || json_object_array_add(arr, obj)) {
		json_object_put(obj);
		return false;
	}
	return true;
}

static struct json_object *dev_to_file(const struct layout_dev *d)
{
	struct json_object *obj = json_object_new_object();
	char buf[VAL_MAX];
	int k;

	if (!obj || !add_str(obj, "name", d->name))
		goto fail;
	for (k = 0; k < LAYOUT_DEV_KEYS; k++) {
		if (!(d->given & (1U << k)))
			continue;
		dev_value_str(d, (enum layout_dev_key)k, buf, sizeof(buf));
		if (!add_str(obj, dev_keys[k], buf))
			goto fail;
	}
	return obj;
fail:
	json_object_put(obj);
	return NULL;
}

static struct json_object *slice_to_file(const struct layout_slice *s)
{
	struct json_object *obj = json_object_new_object();
	char buf[VAL_MAX];
	bool ok;
	int k;

	if (!obj || !add_str(obj, "name", s->name))
		goto fail;
	for (k = 0; k < LAYOUT_SLICE_KEYS; k++) {
		/* No tenant, no key: files without tenants stay as they were. */
		if (k == LAYOUT_SLICE_TENANT && !s->tenant[0])
			continue;
		if (k == LAYOUT_SLICE_WEIGHT || k == LAYOUT_SLICE_OWNER ||
		    k == LAYOUT_SLICE_GROUP) {
			ok = add_int(obj, slice_keys[k],
				     (int64_t)slice_value(
					     s, (enum layout_slice_key)k));
		} else {
			slice_value_str(s, (enum layout_slice_key)k, buf,
					sizeof(buf));
			ok = add_str(obj, slice_keys[k], buf);
		}
		if (!ok)
			goto fail;
	}
	return obj;
fail:
	json_object_put(obj);
	return NULL;
}

/*
 * slices (when a limit) and weight are JSON integers, as a slice's weight
 * is; the others are words.
 */
static struct json_object *tenant_to_file(const struct layout_tenant *t)
{
	struct json_object *obj = json_object_new_object();
	char buf[VAL_MAX];
	bool ok;
	int k;

	if (!obj || !add_str(obj, "name", t->name))
		goto fail;
	for (k = 0; k < LAYOUT_TENANT_KEYS; k++) {
		if ((k == LAYOUT_TENANT_SLICES &&
		     t->slices_max != ZSV_LIMIT_NONE) ||
		    k == LAYOUT_TENANT_WEIGHT) {
			ok = add_int(obj, tenant_keys[k],
				     (int64_t)tenant_value(t, k));
		} else {
			tenant_value_str(t, (enum layout_tenant_key)k, buf,
					 sizeof(buf));
			ok = add_str(obj, tenant_keys[k], buf);
		}
		if (!ok)
			goto fail;
	}
	return obj;
fail:
	json_object_put(obj);
	return NULL;
}

struct json_object *layout_to_json(const struct layout *l)
{
	struct json_object *root = json_object_new_object();
	struct json_object *devs = json_object_new_array();
	struct json_object *slices = json_object_new_array();
	struct json_object *tenants = json_object_new_array();
	size_t i;

	if (!root || !devs || !slices || !tenants)
		goto fail;
	for (i = 0; i < l->ntenants; i++)
		if (!add_to(tenants, tenant_to_file(&l->tenants[i])))
			goto fail;
	for (i = 0; i < l->ndevs; i++)
		if (!add_to(devs, dev_to_file(&l->devs[i])))
			goto fail;
	for (i = 0; i < l->nslices; i++)
		if (!l->slices[i].mediated &&
		    !add_to(slices, slice_to_file(&l->slices[i])))
			goto fail;
	if (!add_int(root, "version", LAYOUT_VERSION))
		goto fail;
	if (json_object_object_add(root, "devices", devs)) {
		devs = NULL;
		goto fail;
	}
	devs = NULL;
	/* Only when there are tenants: files without them stay the same. */
	if (l->ntenants) {
		if (json_object_object_add(root, "tenants", tenants)) {
			tenants = NULL;
			goto fail;
		}
		tenants = NULL;
	}
	if (json_object_object_add(root, "slices", slices)) {
		slices = NULL;
		goto fail;
	}
	json_object_put(tenants);
	return root;
fail:
	json_object_put(devs);
	json_object_put(slices);
	json_object_put(tenants);
	json_object_put(root);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Plans */

const char *plan_op_name(enum plan_op op)
{
	switch (op) {
	case PLAN_TENANT_CREATE:
		return "tenant-add";
	case PLAN_TENANT_SET:
		return "tenant-set";
	case PLAN_SLICE_DESTROY:
		return "slice-destroy";
	case PLAN_SLICE_SHRINK:
	case PLAN_SLICE_GROW:
		return "slice-set";
	case PLAN_DEV_SET:
		return "dev-set";
	case PLAN_SLICE_CREATE:
		return "slice-create";
	}
	return "unknown";
}

void plan_free(struct plan *plan)
{
	free(plan->steps);
	memset(plan, 0, sizeof(*plan));
}

static struct plan_step *plan_add(struct plan *plan, enum plan_op op,
				  const char *name)
{
	struct plan_step *st = &plan->steps[plan->nsteps++];

	memset(st, 0, sizeof(*st));
	st->op = op;
	snprintf(st->name, sizeof(st->name), "%s", name);
	return st;
}

/* bytes * pct / 100, saturating, as the kernel computes the shared limit. */
static uint64_t mem_pct(uint64_t bytes, uint32_t pct)
{
	unsigned __int128 v = (unsigned __int128)(bytes / 100) * pct +
			      (bytes % 100) * pct / 100;

	return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

/* What a slice of @want becomes, against the live one of the same name. */
enum fate { FATE_KEEP, FATE_SET, FATE_RECREATE, FATE_CREATE };

static enum fate slice_fate(const struct layout_slice *w,
			    const struct layout_slice *now)
{
	int k;

	if (!now)
		return FATE_CREATE;
	if (slice_differs(w, now, LAYOUT_SLICE_DEV) ||
	    slice_differs(w, now, LAYOUT_SLICE_MODE))
		return FATE_RECREATE;
	for (k = 0; k < LAYOUT_SLICE_KEYS; k++)
		if (slice_differs(w, now, (enum layout_slice_key)k))
			return FATE_SET;
	return FATE_KEEP;
}

static const struct layout_slice *live_slice(const struct layout *live,
					     const char *name)
{
	long i = find_slice_n(live->slices, live->nslices, name);

	return i < 0 ? NULL : &live->slices[i];
}

/* Does the memory of each device fit, once the plan is done? */
static int check_fit(const struct layout *want, const struct layout *live,
		     unsigned int flags, char *err, size_t len)
{
	char a[VAL_MAX], b[VAL_MAX], c[VAL_MAX];
	size_t i, j;

	for (i = 0; i < live->ndevs; i++) {
		const struct layout_dev *d = &live->devs[i];
		uint64_t res = 0, shared = 0, cap, *sum;
		uint32_t oversub = d->oversub_pct;
		long wd = find_dev_n(want->devs, want->ndevs, d->name);

		if (wd >= 0 &&
		    (want->devs[wd].given & (1U << LAYOUT_DEV_OVERSUB)))
			oversub = want->devs[wd].oversub_pct;
		for (j = 0; j < want->nslices; j++) {
			const struct layout_slice *s = &want->slices[j];

			if (strcmp(s->dev, d->name))
				continue;
			sum = s->mem_mode == ZSV_MEM_MODE_SHARED ? &shared :
								   &res;
			*sum += s->mem_bytes;
		}
		/* Slices that stay as they are. */
		for (j = 0; j < live->nslices; j++) {
			const struct layout_slice *s = &live->slices[j];

			if (strcmp(s->dev, d->name) ||
			    find_slice_n(want->slices, want->nslices,
					 s->name) >= 0 ||
			    (!s->mediated && (flags & LAYOUT_PRUNE)))
				continue;
			sum = s->mem_mode == ZSV_MEM_MODE_SHARED ? &shared :
								   &res;
			*sum += s->mem_bytes;
		}
		if (res > d->mem_total_bytes) {
			zsv_format_size(res, a, sizeof(a));
			zsv_format_size(d->mem_total_bytes, b, sizeof(b));
			return fail(
				err, len,
				"device %s: its reserved slices would hold %s, more than its %s%s",
				d->name, a, b,
				flags & LAYOUT_PRUNE ?
					"" :
					" (slices not in the file stay without --prune)");
		}
		cap = mem_pct(d->mem_total_bytes - res, oversub);
		if (shared > cap) {
			zsv_format_size(shared, a, sizeof(a));
			zsv_format_size(d->mem_total_bytes - res, b, sizeof(b));
			zsv_format_size(cap, c, sizeof(c));
			return fail(
				err, len,
				"device %s: its shared slices' quotas would sum to %s; its unreserved %s at oversub %" PRIu32
				"%% allows %s",
				d->name, a, b, oversub, c);
		}
	}
	return 0;
}

/*
 * Fill @st->slice with what changes from @now to @w, @st->slice_undo
 * with the old values, and the texts.
 */
static void slice_set_step(struct plan_step *st, const struct layout_slice *w,
			   const struct layout_slice *now)
{
	char was[PLAN_TEXT_MAX] = "", a[VAL_MAX], b[VAL_MAX];
	int k;

	snprintf(st->text, sizeof(st->text), "set slice %s", w->name);
	snprintf(st->diff, sizeof(st->diff), "slice %s:", w->name);
	for (k = LAYOUT_SLICE_MEM; k < LAYOUT_SLICE_KEYS; k++) {
		if (!slice_attrs[k] ||
		    !slice_differs(w, now, (enum layout_slice_key)k))
			continue;
		slice_param_set(&st->slice, w, (enum layout_slice_key)k);
		slice_param_set(&st->slice_undo, now, (enum layout_slice_key)k);
		slice_value_str(w, (enum layout_slice_key)k, a, sizeof(a));
		slice_value_str(now, (enum layout_slice_key)k, b, sizeof(b));
		appendf(st->text, sizeof(st->text), " %s %s", slice_keys[k], a);
		appendf(was, sizeof(was), "%s%s %s", was[0] ? " " : "",
			slice_keys[k], b);
		appendf(st->diff, sizeof(st->diff),
			"%s %s is %s, the file says %s",
			st->slice.mask == ZSV_ATTR_BIT(slice_attrs[k]) ? "" :
									 ";",
			slice_keys[k], b, a);
	}
	appendf(st->text, sizeof(st->text), " (was %s)", was);
}

static void slice_create_text(struct plan_step *st,
			      const struct layout_slice *w)
{
	char v[VAL_MAX];
	int k;

	snprintf(st->text, sizeof(st->text), "create slice %s on %s", w->name,
		 w->dev);
	for (k = LAYOUT_SLICE_MEM; k < LAYOUT_SLICE_KEYS; k++) {
		if (k == LAYOUT_SLICE_TENANT && !w->tenant[0])
			continue;
		slice_value_str(w, (enum layout_slice_key)k, v, sizeof(v));
		appendf(st->text, sizeof(st->text), " %s %s", slice_keys[k], v);
	}
}

static void destroy_text(struct plan_step *st, const struct layout_slice *now)
{
	snprintf(st->text, sizeof(st->text), "destroy slice %s", now->name);
	if (now->contexts)
		appendf(st->text, sizeof(st->text),
			" (force: revokes %" PRIu32 " open contexts)",
			now->contexts);
}

/* A device-set step for what @w changes of @d, when it changes any. */
static void dev_set_step(struct plan *plan, const struct layout_dev *w,
			 const struct layout_dev *d)
{
	char a[VAL_MAX], b[VAL_MAX], was[PLAN_TEXT_MAX] = "";
	struct plan_step *st = NULL;
	enum layout_dev_key k;

	for (k = 0; k < LAYOUT_DEV_KEYS; k++) {
		if (!(w->given & (1U << k)) ||
		    dev_value(w, k) == dev_value(d, k))
			continue;
		if (!st) {
			st = plan_add(plan, PLAN_DEV_SET, w->name);
			snprintf(st->text, sizeof(st->text), "set device %s",
				 w->name);
			snprintf(st->diff, sizeof(st->diff),
				 "device %s:", w->name);
		}
		dev_param_set(&st->devp, w, k);
		dev_param_set(&st->dev_undo, d, k);
		dev_value_str(w, k, a, sizeof(a));
		dev_value_str(d, k, b, sizeof(b));
		appendf(st->text, sizeof(st->text), " %s %s", dev_keys[k], a);
		appendf(was, sizeof(was), "%s%s %s", was[0] ? " " : "",
			dev_keys[k], b);
		appendf(st->diff, sizeof(st->diff),
			"%s %s is %s, the file says %s",
			st->devp.mask == ZSV_ATTR_BIT(dev_attrs[k]) ? "" : ";",
			dev_keys[k], b, a);
	}
	if (st)
		appendf(st->text, sizeof(st->text), " (was %s)", was);
}

/* A tenant-add step when @w is not on the host, a tenant-set one when it
 * differs. */
static void tenant_step(struct plan *plan, const struct layout_tenant *w,
			const struct layout *live)
{
	char a[VAL_MAX], b[VAL_MAX], was[PLAN_TEXT_MAX] = "";
	long n = find_tenant_n(live->tenants, live->ntenants, w->name);
	const struct layout_tenant *now;
	struct plan_step *st = NULL;
	enum layout_tenant_key k;

	if (n < 0) {
		st = plan_add(plan, PLAN_TENANT_CREATE, w->name);
		snprintf(st->text, sizeof(st->text), "add tenant %s", w->name);
		for (k = 0; k < LAYOUT_TENANT_KEYS; k++) {
			tenant_param_set(&st->tenant, w, k);
			tenant_value_str(w, k, a, sizeof(a));
			appendf(st->text, sizeof(st->text), " %s %s",
				tenant_keys[k], a);
		}
		snprintf(st->diff, sizeof(st->diff), "tenant %s: missing",
			 w->name);
		return;
	}
	now = &live->tenants[n];
	for (k = 0; k < LAYOUT_TENANT_KEYS; k++) {
		if (tenant_value(w, k) == tenant_value(now, k))
			continue;
		if (!st) {
			st = plan_add(plan, PLAN_TENANT_SET, w->name);
			snprintf(st->text, sizeof(st->text), "set tenant %s",
				 w->name);
			snprintf(st->diff, sizeof(st->diff),
				 "tenant %s:", w->name);
		}
		tenant_param_set(&st->tenant, w, k);
		tenant_param_set(&st->tenant_undo, now, k);
		tenant_value_str(w, k, a, sizeof(a));
		tenant_value_str(now, k, b, sizeof(b));
		appendf(st->text, sizeof(st->text), " %s %s", tenant_keys[k],
			a);
		appendf(was, sizeof(was), "%s%s %s", was[0] ? " " : "",
			tenant_keys[k], b);
		appendf(st->diff, sizeof(st->diff),
			"%s %s is %s, the file says %s",
			st->tenant.mask == ZSV_ATTR_BIT(tenant_attrs[k]) ? "" :
									   ";",
			tenant_keys[k], b, a);
	}
	if (st)
		appendf(st->text, sizeof(st->text), " (was %s)", was);
}

/* Copy the tenants a step's slice params name into the step. */
static void step_own_tenants(struct plan_step *st)
{
	if (st->slice.mask & ZSV_ATTR_BIT(ZSV_A_SLICE_TENANT)) {
		snprintf(st->slice_tenant, sizeof(st->slice_tenant), "%s",
			 st->slice.tenant);
		st->slice.tenant = st->slice_tenant;
	}
	if (st->slice_undo.mask & ZSV_ATTR_BIT(ZSV_A_SLICE_TENANT)) {
		snprintf(st->slice_tenant_undo, sizeof(st->slice_tenant_undo),
			 "%s", st->slice_undo.tenant);
		st->slice_undo.tenant = st->slice_tenant_undo;
	}
}

static int plan_checks(const struct layout *want, const struct layout *live,
		       unsigned int flags, char *err, size_t len)
{
	char a[VAL_MAX], b[VAL_MAX];
	const struct layout_slice *now;
	size_t i;
	int ret;

	for (i = 0; i < want->ndevs; i++) {
		const struct layout_dev *w = &want->devs[i];
		long d = find_dev_n(live->devs, live->ndevs, w->name);
		uint64_t ts, period;

		if (d < 0)
			return fail(err, len,
				    "devices[%zu]: no device named '%s'", i,
				    w->name);
		ts = w->given & (1U << LAYOUT_DEV_TIMESLICE) ?
			     w->timeslice_ns :
			     live->devs[d].timeslice_ns;
		period = w->given & (1U << LAYOUT_DEV_PERIOD) ?
				 w->period_ns :
				 live->devs[d].period_ns;
		if (period < ts && !(flags & LAYOUT_ASSERT)) {
			zsv_format_duration(period, a, sizeof(a));
			zsv_format_duration(ts, b, sizeof(b));
			return fail(
				err, len,
				"devices[%zu] (%s): period %s would be shorter than timeslice %s",
				i, w->name, a, b);
		}
	}
	for (i = 0; i < want->nslices; i++) {
		const struct layout_slice *w = &want->slices[i];

		if (find_dev_n(live->devs, live->ndevs, w->dev) < 0)
			return fail(err, len,
				    "slices[%zu] (%s): no device named '%s'", i,
				    w->name, w->dev);
		if (w->tenant[0] &&
		    find_tenant_n(want->tenants, want->ntenants, w->tenant) <
			    0 &&
		    find_tenant_n(live->tenants, live->ntenants, w->tenant) < 0)
			return fail(
				err, len,
				"slices[%zu] (%s): no tenant named '%s', in the file or on the host",
				i, w->name, w->tenant);
		now = live_slice(live, w->name);
		if (now && now->mediated)
			return fail(
				err, len,
				"slices[%zu] (%s): slice '%s' is a VFIO mediated device, which mdevctl manages: leave it out of the file",
				i, w->name, w->name);
	}
	if (flags & LAYOUT_ASSERT)
		return 0;
	for (i = 0; i < want->nslices; i++) {
		const struct layout_slice *w = &want->slices[i];

		now = live_slice(live, w->name);
		if (!now)
			continue;
		switch (slice_fate(w, now)) {
		case FATE_RECREATE:
			if (now->contexts && !(flags & LAYOUT_FORCE))
				return fail(
					err, len,
					"slices[%zu] (%s): changing its %s destroys and creates it again, and it is busy (%" PRIu32
					" open contexts): that needs --force",
					i, w->name,
					strcmp(w->dev, now->dev) ? "dev" :
								   "mode",
					now->contexts);
			break;
		case FATE_SET:
			if (w->mem_bytes < now->mem_used_bytes) {
				zsv_format_size(w->mem_bytes, a, sizeof(a));
				zsv_format_size(now->mem_used_bytes, b,
						sizeof(b));
				return fail(
					err, len,
					"slices[%zu] (%s): mem %s is less than the %s it uses",
					i, w->name, a, b);
			}
			break;
		default:
			break;
		}
	}
	if (flags & LAYOUT_PRUNE) {
		for (i = 0; i < live->nslices; i++) {
			now = &live->slices[i];
			if (now->mediated || !now->contexts ||
			    (flags & LAYOUT_FORCE) ||
			    find_slice_n(want->slices, want->nslices,
					 now->name) >= 0)
				continue;
			return fail(
				err, len,
				"slice '%s' is not in the file but busy (%" PRIu32
				" open contexts): --prune destroys it only with --force",
				now->name, now->contexts);
		}
	}
	ret = check_fit(want, live, flags, err, len);
	return ret;
}

int layout_plan(const struct layout *want, const struct layout *live,
		unsigned int flags, struct plan *plan, char *err, size_t len)
{
	char a[VAL_MAX], b[VAL_MAX];
	const struct layout_slice *now;
	struct plan_step *st;
	size_t i, max;
	int ret, k, pass;

	memset(plan, 0, sizeof(*plan));
	ret = plan_checks(want, live, flags, err, len);
	if (ret)
		return ret;
	max = want->ntenants + live->nslices + want->ndevs + 2 * want->nslices;
	plan->steps = calloc(max ? max : 1, sizeof(*plan->steps));
	if (!plan->steps)
		return -ENOMEM;

	/* 0. Tenants, before the slices they admit: new ones, then changes. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < want->ntenants; i++)
			if ((find_tenant_n(live->tenants, live->ntenants,
					   want->tenants[i].name) < 0) ==
			    (pass == 0))
				tenant_step(plan, &want->tenants[i], live);

	/* 1. Destroy what is pruned and what moves. */
	for (i = 0; i < live->nslices; i++) {
		long w;

		now = &live->slices[i];
		if (now->mediated)
			continue;
		w = find_slice_n(want->slices, want->nslices, now->name);
		if (w < 0 && !(flags & LAYOUT_PRUNE))
			continue;
		if (w >= 0 &&
		    slice_fate(&want->slices[w], now) != FATE_RECREATE)
			continue;
		st = plan_add(plan, PLAN_SLICE_DESTROY, now->name);
		snprintf(st->dev, sizeof(st->dev), "%s", now->dev);
		st->force = now->contexts != 0;
		slice_params_all(&st->slice_undo, now);
		destroy_text(st, now);
		if (w < 0) {
			snprintf(st->diff, sizeof(st->diff),
				 "slice %s: not in the file", now->name);
			continue;
		}
		snprintf(st->diff, sizeof(st->diff), "slice %s:", now->name);
		for (k = LAYOUT_SLICE_DEV; k < LAYOUT_SLICE_KEYS; k++) {
			if (!slice_differs(&want->slices[w], now,
					   (enum layout_slice_key)k))
				continue;
			slice_value_str(&want->slices[w],
					(enum layout_slice_key)k, a, sizeof(a));
			slice_value_str(now, (enum layout_slice_key)k, b,
					sizeof(b));
			appendf(st->diff, sizeof(st->diff),
				"%s %s is %s, the file says %s",
				st->diff[strlen(st->diff) - 1] == ':' ? "" :
									";",
				slice_keys[k], b, a);
		}
		appendf(st->text, sizeof(st->text), ", to create it again");
	}

	/* 2. and 4. Change slices in place: shrink first, grow last. */
	for (pass = 0; pass < 2; pass++) {
		/* 3. Devices, between the two. */
		for (i = 0; pass == 1 && i < want->ndevs; i++)
			dev_set_step(
				plan, &want->devs[i],
				&live->devs[find_dev_n(live->devs, live->ndevs,
						       want->devs[i].name)]);
		for (i = 0; i < want->nslices; i++) {
			const struct layout_slice *w = &want->slices[i];
			bool grows;

			now = live_slice(live, w->name);
			if (!now || slice_fate(w, now) != FATE_SET)
				continue;
			/* Joining a tenant is admitted like growth. */
			grows = w->mem_bytes > now->mem_bytes ||
				(w->tenant[0] &&
				 strcmp(w->tenant, now->tenant));
			if (grows != (pass == 1))
				continue;
			st = plan_add(plan,
				      grows ? PLAN_SLICE_GROW :
					      PLAN_SLICE_SHRINK,
				      w->name);
			slice_set_step(st, w, now);
		}
	}

	/* 5. Create what is new and what moved. */
	for (i = 0; i < want->nslices; i++) {
		const struct layout_slice *w = &want->slices[i];
		enum fate f;

		now = live_slice(live, w->name);
		f = slice_fate(w, now);
		if (f != FATE_CREATE && f != FATE_RECREATE)
			continue;
		st = plan_add(plan, PLAN_SLICE_CREATE, w->name);
		snprintf(st->dev, sizeof(st->dev), "%s", w->dev);
		slice_params_all(&st->slice, w);
		slice_create_text(st, w);
		if (f == FATE_CREATE)
			snprintf(st->diff, sizeof(st->diff),
				 "slice %s: missing (the file puts it on %s)",
				 w->name, w->dev);
	}

	/* The layouts may go before the plan: steps keep their tenants. */
	for (i = 0; i < plan->nsteps; i++)
		step_own_tenants(&plan->steps[i]);
	return 0;
}
