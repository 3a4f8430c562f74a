// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parsers of the words of the commands that change things; see args.h.
 *
 * A command is a table of keywords, each with a parser for its value
 * that fills one member of the request and sets its bit in the mask.
 * Messages name the keyword and the value, then say what was expected:
 * "weight '0': out of range (1 to 10000)".
 */
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cdi.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Up to 64 keywords per command: one bit each in "seen". */
struct keyword {
	const char *word;
	/*
	 * What the value looks like, for "'mem' needs a value: SIZE"; NULL
	 * for a word that takes none ("any"), whose parser gets NULL.
	 */
	const char *value;
	int (*parse)(const char *word, const char *value, void *ctx, char *err,
		     size_t len);
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

static const struct keyword *keyword_find(const struct keyword *kws, size_t n,
					  const char *word)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(kws[i].word, word))
			return &kws[i];
	return NULL;
}

/* KEYWORD VALUE pairs and lone flags, each keyword at most once. */
static int keywords_parse(int argc, char **argv, const struct keyword *kws,
			  size_t n, void *ctx, char *err, size_t len)
{
	const struct keyword *kw;
	uint64_t seen = 0, bit;
	int i, ret;

	for (i = 0; i < argc; i++) {
		kw = keyword_find(kws, n, argv[i]);
		if (!kw)
			return fail(err, len, "unexpected argument '%s'",
				    argv[i]);
		bit = 1ULL << (kw - kws);
		if (seen & bit)
			return fail(err, len, "'%s' is given twice", kw->word);
		seen |= bit;
		if (!kw->value) {
			ret = kw->parse(kw->word, NULL, ctx, err, len);
		} else if (i + 1 >= argc) {
			return fail(err, len, "'%s' needs a value: %s",
				    kw->word, kw->value);
		} else {
			i++;
			ret = kw->parse(kw->word, argv[i], ctx, err, len);
		}
		if (ret)
			return ret;
	}
	return 0;
}

int args_name(const char *what, const char *word, char *err, size_t len)
{
	if (!zsv_name_check(word))
		return 0;
	return fail(
		err, len,
		"'%s' is not a %s name: names are 1 to %d characters of a-z, 0-9, '_', '.' and '-', starting with a letter or a digit",
		word, what, ZSV_NAME_MAX);
}

/* ------------------------------------------------------------------ */
/* Values */

static int parse_size(const char *word, const char *value, uint64_t *bytes,
		      char *err, size_t len)
{
	switch (zsv_parse_size(value, bytes)) {
	case 0:
		break;
	case -ERANGE:
		return fail(err, len, "%s '%s': too big", word, value);
	case -EDOM:
		return fail(err, len, "%s '%s': not a whole number of bytes",
			    word, value);
	default:
		return fail(err, len,
			    "%s '%s': not a size (such as 4G, 512M or 1.5G)",
			    word, value);
	}
	if (!*bytes)
		return fail(err, len, "%s '%s': must be more than 0 bytes",
			    word, value);
	return 0;
}

/* A duration from @min_ns to @max_ns; "default" is 0 when @dflt. */
static int parse_duration(const char *word, const char *value, bool dflt,
			  uint64_t min_ns, uint64_t max_ns, uint64_t *ns,
			  char *err, size_t len)
{
	char min[ZSV_UNIT_STR_MAX], max[ZSV_UNIT_STR_MAX];
	int ret;

	if (dflt && !strcmp(value, "default")) {
		*ns = 0;
		return 0;
	}
	ret = zsv_parse_duration(value, ns);
	if (ret == -EDOM)
		return fail(err, len,
			    "%s '%s': not a whole number of nanoseconds", word,
			    value);
	if (ret && ret != -ERANGE)
		return fail(
			err, len,
			"%s '%s': not a duration (such as 2ms, 500us or 1s%s)",
			word, value, dflt ? ", or default" : "");
	if (ret || *ns < min_ns || *ns > max_ns) {
		zsv_format_duration(min_ns, min, sizeof(min));
		zsv_format_duration(max_ns, max, sizeof(max));
		return fail(err, len, "%s '%s': out of range (%s to %s%s)",
			    word, value, min, max, dflt ? ", or default" : "");
	}
	return 0;
}

/* A number from @min to @max. */
static int parse_u32_range(const char *word, const char *value, uint32_t min,
			   uint32_t max, uint32_t *val, char *err, size_t len)
{
	int ret = zsv_parse_u32(value, val);

	if (ret && ret != -ERANGE)
		return fail(err, len, "%s '%s': not a number", word, value);
	if (ret || *val < min || *val > max)
		return fail(err, len,
			    "%s '%s': out of range (%" PRIu32 " to %" PRIu32
			    ")",
			    word, value, min, max);
	return 0;
}

/* A user or group id: not (uid_t)-1, which means "no change" to chown. */
#define ID_MAX (UINT32_MAX - 1)

static int parse_owner(const char *word, const char *value, uint32_t *uid,
		       char *err, size_t len)
{
	struct passwd *pw;

	if (value[0] >= '0' && value[0] <= '9')
		return parse_u32_range(word, value, 0, ID_MAX, uid, err, len);
	pw = getpwnam(value);
	if (!pw)
		return fail(err, len, "%s '%s': no such user", word, value);
	*uid = (uint32_t)pw->pw_uid;
	return 0;
}

static int parse_group(const char *word, const char *value, uint32_t *gid,
		       char *err, size_t len)
{
	struct group *gr;

	if (value[0] >= '0' && value[0] <= '9')
		return parse_u32_range(word, value, 0, ID_MAX, gid, err, len);
	gr = getgrnam(value);
	if (!gr)
		return fail(err, len, "%s '%s': no such group", word, value);
	*gid = (uint32_t)gr->gr_gid;
	return 0;
}

/* Octal permission bits, 1 to 4 digits, at most 0777: "660", "0660". */
static int parse_perm(const char *word, const char *value, uint32_t *mode,
		      char *err, size_t len)
{
	size_t i, n = strlen(value);
	uint32_t v = 0;

	if (!n || n > 4)
		goto bad;
	for (i = 0; i < n; i++) {
		if (value[i] < '0' || value[i] > '7')
			goto bad;
		v = v * 8 + (uint32_t)(value[i] - '0');
	}
	if (v > 0777)
		goto bad;
	*mode = v;
	return 0;
bad:
	return fail(
		err, len,
		"%s '%s': not octal permission bits (such as 0660, at most 0777)",
		word, value);
}

/* ------------------------------------------------------------------ */
/* Slices */

/* Where the keywords of slice create, slice set and group create go. */
struct slice_ctx {
	const char **name; /* slice create only */
	struct zsv_slice_params *p;
	bool create; /* slice create or group create: not set */
	/* Placement: slice create and group create only. */
	uint32_t *placement;
	bool *placement_set;
	const char **backend;
	/* group create only */
	uint32_t *count;
	bool *any;
};

static int slice_name_kw(const char *word, const char *value, void *ctx,
			 char *err, size_t len)
{
	struct slice_ctx *c = ctx;

	(void)word;
	if (args_name("slice", value, err, len))
		return -EINVAL;
	*c->name = value;
	return 0;
}

static int slice_mem_kw(const char *word, const char *value, void *ctx,
			char *err, size_t len)
{
	struct slice_ctx *c = ctx;

	c->p->mask |= ZSV_ATTR_BIT(ZSV_A_SLICE_MEM_BYTES);
	return parse_size(word, value, &c->p->mem_bytes, err, len);
}

static int slice_mode_kw(const char *word, const char *value, void *ctx,
			 char *err, size_t len)
{
	struct slice_ctx *c = ctx;
	enum zsv_mem_mode mode;

	if (zsv_mem_mode_parse(value, &mode))
		return fail(err, len,
			    "%s '%s': not a memory mode (reserved or shared)",
			    word, value);
	c->p->mask |= ZSV_ATTR_BIT(ZSV_A_SLICE_MEM_MODE);
	c->p->mem_mode = mode;
	return 0;
}

static int slice_weight_kw(const char *word, const char *value, void *ctx,
			   char *err, size_t len)
{
	struct slice_ctx *c = ctx;

	c->p->mask |= ZSV_ATTR_BIT(ZSV_A_SLICE_WEIGHT);
	return parse_u32_range(word, value, ZSV_WEIGHT_MIN, ZSV_WEIGHT_MAX,
			       &c->p->weight, err, len);
}

static int slice_cap_kw(const char *word, const char *value, void *ctx,
			char *err, size_t len)
{
	struct slice_ctx *c = ctx;
	unsigned int pct;
	int ret;

	ret = zsv_parse_percent(value, &pct);
	if (ret && ret != -ERANGE)
		return fail(err, len,
			    "%s '%s': not a percentage (such as 50%%)", word,
			    value);
	if (ret || pct < 1 || pct > ZSV_CAP_PCT_MAX)
		return fail(err, len, "%s '%s': out of range (1%% to %d%%)",
			    word, value, ZSV_CAP_PCT_MAX);
	c->p->mask |= ZSV_ATTR_BIT(ZSV_A_SLICE_CAP_PCT);
	c->p->cap_pct = pct;
	return 0;
}

static int slice_timeslice_kw(const char *word, const char *value, void *ctx,
			      char *err, size_t len)
{
	struct slice_ctx *c = ctx;

	c->p->mask |= ZSV_ATTR_BIT(ZSV_A_SLICE_TIMESLICE_NS);
	return parse_duration(word, value, true, ZSV_TIMESLICE_MIN_NS,
			      ZSV_TIMESLICE_MAX_NS, &c->p->timeslice_ns, err,
			      len);
}

static int slice_owner_kw(const char *word, const char *value, void *ctx,
			  char *err, size_t len)
{
	struct slice_ctx *c = ctx;

	c->p->mask |= ZSV_ATTR_BIT(ZSV_A_SLICE_UID);
	return parse_owner(word, value, &c->p->uid, err, len);
}

static int slice_group_kw(const char *word, const char *value, void *ctx,
			  char *err, size_t len)
{
	struct slice_ctx *c = ctx;

	c->p->mask |= ZSV_ATTR_BIT(ZSV_A_SLICE_GID);
	return parse_group(word, value, &c->p->gid, err, len);
}

static int slice_perm_kw(const char *word, const char *value, void *ctx,
			 char *err, size_t len)
{
	struct slice_ctx *c = ctx;

	c->p->mask |= ZSV_ATTR_BIT(ZSV_A_SLICE_NODE_MODE);
	return parse_perm(word, value, &c->p->node_mode, err, len);
}

static int slice_placement_kw(const char *word, const char *value, void *ctx,
			      char *err, size_t len)
{
	struct slice_ctx *c = ctx;

	if (zsv_placement_parse(value, c->placement))
		return fail(err, len,
			    "%s '%s': not a placement (spread or binpack)",
			    word, value);
	*c->placement_set = true;
	return 0;
}

static int slice_backend_kw(const char *word, const char *value, void *ctx,
			    char *err, size_t len)
{
	struct slice_ctx *c = ctx;

	(void)word;
	if (args_name("backend", value, err, len))
		return -EINVAL;
	*c->backend = value;
	return 0;
}

/*
 * slice create: "tenant NAME" puts the slice in a tenant; "none" sends
 * nothing (no tenant, the default).  slice set: "none" takes the slice
 * out of its tenant ("" to the kernel).
 */
static int slice_tenant_kw(const char *word, const char *value, void *ctx,
			   char *err, size_t len)
{
	struct slice_ctx *c = ctx;

	(void)word;
	if (!strcmp(value, ARGS_TENANT_NONE)) {
		if (c->create)
			return 0;
		c->p->mask |= ZSV_ATTR_BIT(ZSV_A_SLICE_TENANT);
		c->p->tenant = "";
		return 0;
	}
	if (args_name("tenant", value, err, len))
		return -EINVAL;
	c->p->mask |= ZSV_ATTR_BIT(ZSV_A_SLICE_TENANT);
	c->p->tenant = value;
	return 0;
}

/* clang-format off */
#define KW_MEM { "mem", "a size such as 4G", slice_mem_kw }
#define KW_WEIGHT { "weight", "1 to 10000", slice_weight_kw }
#define KW_CAP { "cap", "a percentage such as 50%", slice_cap_kw }
#define KW_TIMESLICE \
	{ "timeslice", "a duration such as 2ms, or default", slice_timeslice_kw }
#define KW_OWNER { "owner", "a user name or id", slice_owner_kw }
#define KW_GROUP { "group", "a group name or id", slice_group_kw }
#define KW_PERM { "perm", "octal permission bits such as 0660", slice_perm_kw }
#define KW_TENANT { "tenant", "a tenant name, or none", slice_tenant_kw }

static const struct keyword slice_create_kws[] = {
	{ "name", "a slice name", slice_name_kw },
	KW_MEM,
	{ "mode", "reserved or shared", slice_mode_kw },
	KW_WEIGHT,
	KW_CAP,
	KW_TIMESLICE,
	KW_OWNER,
	KW_GROUP,
	KW_PERM,
	{ "placement", "spread or binpack", slice_placement_kw },
	{ "backend", "a backend name such as sim", slice_backend_kw },
	KW_TENANT,
};

static const struct keyword slice_set_kws[] = {
	KW_MEM, KW_WEIGHT, KW_CAP, KW_TIMESLICE, KW_OWNER, KW_GROUP, KW_PERM,
	KW_TENANT,
};
/* clang-format on */

int args_slice_create(int argc, char **argv, struct slice_create_args *a,
		      char *err, size_t len)
{
	struct slice_ctx ctx = { .name = &a->name,
				 .p = &a->params,
				 .create = true,
				 .placement = &a->placement,
				 .placement_set = &a->placement_set,
				 .backend = &a->backend };
	int ret;

	memset(a, 0, sizeof(*a));
	if (argc < 1)
		return fail(err, len, "slice create needs 'name NAME' and 'mem SIZE'");
	/* A first word that is no keyword is the device; without one, the
	 * kernel places the slice. */
	if (!keyword_find(slice_create_kws, ARRAY_SIZE(slice_create_kws),
			  argv[0])) {
		if (args_name("device", argv[0], err, len))
			return -EINVAL;
		a->dev = argv[0];
		argc--;
		argv++;
	}
	ret = keywords_parse(argc, argv, slice_create_kws,
			     ARRAY_SIZE(slice_create_kws), &ctx, err, len);
	if (ret)
		return ret;
	if (a->dev && (a->placement_set || a->backend))
		return fail(err, len,
			    "slice create takes a DEV or 'placement'/'backend', not both");
	if (!a->name)
		return fail(err, len, "slice create needs 'name NAME'");
	if (!(a->params.mask & ZSV_ATTR_BIT(ZSV_A_SLICE_MEM_BYTES)))
		return fail(err, len, "slice create needs 'mem SIZE'");
	return 0;
}

int args_slice_set(int argc, char **argv, struct slice_set_args *a, char *err,
		   size_t len)
{
	struct slice_ctx ctx = { .p = &a->params };
	int ret;

	memset(a, 0, sizeof(*a));
	if (argc < 1)
		return fail(err, len, "slice set needs a NAME");
	if (args_name("slice", argv[0], err, len))
		return -EINVAL;
	a->name = argv[0];
	ret = keywords_parse(argc - 1, argv + 1, slice_set_kws,
			     ARRAY_SIZE(slice_set_kws), &ctx, err, len);
	if (ret)
		return ret;
	if (!a->params.mask)
		return fail(
			err, len,
			"slice set needs something to change: mem, weight, cap, timeslice, owner, group, perm or tenant");
	return 0;
}

int args_slice_destroy(int argc, char **argv, struct slice_destroy_args *a,
		       char *err, size_t len)
{
	memset(a, 0, sizeof(*a));
	if (argc < 1)
		return fail(err, len, "slice destroy needs a NAME");
	if (args_name("slice", argv[0], err, len))
		return -EINVAL;
	a->name = argv[0];
	if (argc > 1 && !strcmp(argv[1], "force"))
		a->force = true;
	else if (argc > 1)
		return fail(err, len, "unexpected argument '%s'", argv[1]);
	if (argc > 2)
		return fail(err, len, "unexpected argument '%s'", argv[2]);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Groups */

static int group_count_kw(const char *word, const char *value, void *ctx,
			  char *err, size_t len)
{
	struct slice_ctx *c = ctx;

	return parse_u32_range(word, value, 1, ZSV_GROUP_MAX, c->count, err,
			       len);
}

static int group_any_kw(const char *word, const char *value, void *ctx,
			char *err, size_t len)
{
	struct slice_ctx *c = ctx;

	(void)word;
	(void)value;
	(void)err;
	(void)len;
	*c->any = true;
	return 0;
}

/* clang-format off */
static const struct keyword group_create_kws[] = {
	{ "count", "a number of slices, 1 to 64", group_count_kw },
	KW_MEM,
	{ "any", NULL, group_any_kw },
	{ "placement", "spread or binpack", slice_placement_kw },
	{ "backend", "a backend name such as sim", slice_backend_kw },
	{ "mode", "reserved or shared", slice_mode_kw },
	KW_WEIGHT,
	KW_CAP,
	KW_TIMESLICE,
	KW_OWNER,
	KW_GROUP,
	KW_PERM,
	KW_TENANT,
};
/* clang-format on */

_Static_assert(ZSV_GROUP_MAX <= 100, "a slice index has at most 2 digits");

int args_group_name(const char *word, uint32_t count, char *err, size_t len)
{
	size_t digits = count > 10 ? 2 : 1;

	if (args_name("group", word, err, len))
		return -EINVAL;
	/* Its last slice, <group>-<count - 1>, must be a slice name too. */
	if (count && strlen(word) + 1 + digits > ZSV_NAME_MAX)
		return fail(
			err, len,
			"group '%s': too long for its slices' names ('%s-%" PRIu32
			"' is more than %d characters)",
			word, word, count - 1, ZSV_NAME_MAX);
	return 0;
}

int args_group_create(int argc, char **argv, struct group_create_args *a,
		      char *err, size_t len)
{
	bool any = false;
	struct slice_ctx ctx = { .p = &a->params,
				 .create = true,
				 .placement = &a->placement,
				 .placement_set = &a->placement_set,
				 .backend = &a->backend,
				 .count = &a->count,
				 .any = &any };
	int ret;

	memset(a, 0, sizeof(*a));
	if (argc < 1)
		return fail(
			err, len,
			"group create needs a NAME, 'count N' and 'mem SIZE'");
	if (args_name("group", argv[0], err, len))
		return -EINVAL;
	a->name = argv[0];
	ret = keywords_parse(argc - 1, argv + 1, group_create_kws,
			     ARRAY_SIZE(group_create_kws), &ctx, err, len);
	if (ret)
		return ret;
	a->distinct = !any;
	if (!a->count)
		return fail(err, len, "group create needs 'count N'");
	if (!(a->params.mask & ZSV_ATTR_BIT(ZSV_A_SLICE_MEM_BYTES)))
		return fail(err, len, "group create needs 'mem SIZE'");
	return args_group_name(a->name, a->count, err, len);
}

int args_group_destroy(int argc, char **argv, struct group_destroy_args *a,
		       char *err, size_t len)
{
	memset(a, 0, sizeof(*a));
	if (argc < 1)
		return fail(err, len, "group destroy needs a NAME");
	if (args_name("group", argv[0], err, len))
		return -EINVAL;
	a->name = argv[0];
	if (argc > 1 && !strcmp(argv[1], "force"))
		a->force = true;
	else if (argc > 1)
		return fail(err, len, "unexpected argument '%s'", argv[1]);
	if (argc > 2)
		return fail(err, len, "unexpected argument '%s'", argv[2]);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Tenants */

int args_tenant_name(const char *word, char *err, size_t len)
{
	if (!strcmp(word, ARGS_TENANT_NONE))
		return fail(
			err, len,
			"'none' cannot name a tenant: it means no tenant (slice set NAME tenant none)");
	return args_name("tenant", word, err, len);
}

/* "none" is ZSV_LIMIT_NONE; true when @value was it. */
static bool limit_none(const char *value, uint64_t *limit)
{
	if (strcmp(value, ARGS_TENANT_NONE))
		return false;
	*limit = ZSV_LIMIT_NONE;
	return true;
}

static int tenant_mem_kw(const char *word, const char *value, void *ctx,
			 char *err, size_t len)
{
	struct zsv_tenant_params *p = ctx;

	p->mask |= ZSV_ATTR_BIT(ZSV_A_TENANT_MEM_MAX);
	if (limit_none(value, &p->mem_max_bytes))
		return 0;
	if (parse_size(word, value, &p->mem_max_bytes, err, len))
		return -EINVAL;
	if (p->mem_max_bytes == ZSV_LIMIT_NONE)
		return fail(err, len, "%s '%s': too big", word, value);
	return 0;
}

/* A whole number below ZSV_LIMIT_NONE, 0 included (nothing allowed). */
static int parse_limit(const char *word, const char *value, const char *what,
		       uint64_t *limit, char *err, size_t len)
{
	int ret = zsv_parse_u64(value, limit);

	if (ret == -ERANGE || (!ret && *limit == ZSV_LIMIT_NONE))
		return fail(err, len, "%s '%s': too big", word, value);
	if (ret)
		return fail(err, len, "%s '%s': not %s, or none", word, value,
			    what);
	return 0;
}

static int tenant_slices_kw(const char *word, const char *value, void *ctx,
			    char *err, size_t len)
{
	struct zsv_tenant_params *p = ctx;

	p->mask |= ZSV_ATTR_BIT(ZSV_A_TENANT_SLICES_MAX);
	if (limit_none(value, &p->slices_max))
		return 0;
	return parse_limit(word, value, "a number", &p->slices_max, err, len);
}

/*
 * Compute is cap percent times engines, so it runs past 100: "400%" (or
 * "400") is four whole engines.
 */
static int tenant_compute_kw(const char *word, const char *value, void *ctx,
			     char *err, size_t len)
{
	struct zsv_tenant_params *p = ctx;
	char digits[24];
	size_t n = strlen(value);
	int ret = -EINVAL;

	p->mask |= ZSV_ATTR_BIT(ZSV_A_TENANT_COMPUTE_MAX);
	if (limit_none(value, &p->compute_max))
		return 0;
	if (n && value[n - 1] == '%')
		n--;
	if (n && n < sizeof(digits)) {
		memcpy(digits, value, n);
		digits[n] = '\0';
		ret = zsv_parse_u64(digits, &p->compute_max);
	}
	if (ret == -ERANGE || (!ret && p->compute_max == ZSV_LIMIT_NONE))
		return fail(err, len, "%s '%s': too big", word, value);
	if (ret)
		return fail(
			err, len, "%s '%s': %s", word, value,
			"not a percentage of an engine (such as 400% for four engines), or none");
	return 0;
}

/*
 * The tenant's share of a pdev under the weighted policy, checked here
 * like a slice's weight so that a typo is a usage error.
 */
static int tenant_weight_kw(const char *word, const char *value, void *ctx,
			    char *err, size_t len)
{
	struct zsv_tenant_params *p = ctx;

	p->mask |= ZSV_ATTR_BIT(ZSV_A_TENANT_WEIGHT);
	return parse_u32_range(word, value, ZSV_WEIGHT_MIN, ZSV_WEIGHT_MAX,
			       &p->weight, err, len);
}

static const struct keyword tenant_kws[] = {
	{ "mem", "a size such as 64G, or none", tenant_mem_kw },
	{ "slices", "a number of slices, or none", tenant_slices_kw },
	{ "compute", "a percentage such as 400% (four engines), or none",
	  tenant_compute_kw },
	{ "weight", "1 to 10000", tenant_weight_kw },
};

static int args_tenant(const char *cmd, int argc, char **argv,
		       struct tenant_args *a, char *err, size_t len)
{
	memset(a, 0, sizeof(*a));
	if (argc < 1)
		return fail(err, len, "tenant %s needs a NAME", cmd);
	if (args_tenant_name(argv[0], err, len))
		return -EINVAL;
	a->name = argv[0];
	return keywords_parse(argc - 1, argv + 1, tenant_kws,
			      ARRAY_SIZE(tenant_kws), &a->params, err, len);
}

int args_tenant_add(int argc, char **argv, struct tenant_args *a, char *err,
		    size_t len)
{
	return args_tenant("add", argc, argv, a, err, len);
}

int args_tenant_set(int argc, char **argv, struct tenant_args *a, char *err,
		    size_t len)
{
	int ret = args_tenant("set", argc, argv, a, err, len);

	if (ret)
		return ret;
	if (!a->params.mask)
		return fail(
			err, len,
			"tenant set needs something to change: mem, slices, compute or weight");
	return 0;
}

/* ------------------------------------------------------------------ */
/* Devices */

static int dev_policy_kw(const char *word, const char *value, void *ctx,
			 char *err, size_t len)
{
	struct zsv_dev_params *p = ctx;
	enum zsv_policy policy;

	if (zsv_policy_parse(value, &policy))
		return fail(
			err, len,
			"%s '%s': not a policy (weighted, fixed or best-effort)",
			word, value);
	p->mask |= ZSV_ATTR_BIT(ZSV_A_DEV_POLICY);
	p->policy = policy;
	return 0;
}

static int dev_timeslice_kw(const char *word, const char *value, void *ctx,
			    char *err, size_t len)
{
	struct zsv_dev_params *p = ctx;

	p->mask |= ZSV_ATTR_BIT(ZSV_A_DEV_TIMESLICE_NS);
	return parse_duration(word, value, false, ZSV_TIMESLICE_MIN_NS,
			      ZSV_TIMESLICE_MAX_NS, &p->timeslice_ns, err, len);
}

static int dev_period_kw(const char *word, const char *value, void *ctx,
			 char *err, size_t len)
{
	struct zsv_dev_params *p = ctx;

	p->mask |= ZSV_ATTR_BIT(ZSV_A_DEV_PERIOD_NS);
	return parse_duration(word, value, false, ZSV_PERIOD_MIN_NS,
			      ZSV_PERIOD_MAX_NS, &p->period_ns, err, len);
}

static int dev_oversub_kw(const char *word, const char *value, void *ctx,
			  char *err, size_t len)
{
	struct zsv_dev_params *p = ctx;
	uint32_t pct;
	int ret;

	ret = zsv_parse_ratio(value, &pct);
	if (ret == -EDOM)
		return fail(err, len, "%s '%s': not a whole percent", word,
			    value);
	if (ret && ret != -ERANGE)
		return fail(err, len,
			    "%s '%s': not a ratio (such as 1.5 or 150%%)", word,
			    value);
	if (ret || pct < ZSV_OVERSUB_PCT_MIN || pct > ZSV_OVERSUB_PCT_MAX)
		return fail(err, len,
			    "%s '%s': out of range (%d to %d, or %d%% to %d%%)",
			    word, value, ZSV_OVERSUB_PCT_MIN / 100,
			    ZSV_OVERSUB_PCT_MAX / 100, ZSV_OVERSUB_PCT_MIN,
			    ZSV_OVERSUB_PCT_MAX);
	p->mask |= ZSV_ATTR_BIT(ZSV_A_DEV_OVERSUB_PCT);
	p->oversub_pct = pct;
	return 0;
}

static int dev_backend_kw(const char *word, const char *value, void *ctx,
			  char *err, size_t len)
{
	struct zsv_dev_params *p = ctx;

	(void)word;
	if (args_name("backend", value, err, len))
		return -EINVAL;
	p->mask |= ZSV_ATTR_BIT(ZSV_A_DEV_BACKEND);
	p->backend = value;
	return 0;
}

static int dev_mem_kw(const char *word, const char *value, void *ctx, char *err,
		      size_t len)
{
	struct zsv_dev_params *p = ctx;

	p->mask |= ZSV_ATTR_BIT(ZSV_A_DEV_MEM_TOTAL);
	return parse_size(word, value, &p->mem_total_bytes, err, len);
}

static int dev_engines_kw(const char *word, const char *value, void *ctx,
			  char *err, size_t len)
{
	struct zsv_dev_params *p = ctx;

	int ret = zsv_parse_u32(value, &p->engines);

	if (ret == -ERANGE)
		return fail(err, len, "%s '%s': too many", word, value);
	if (ret)
		return fail(err, len, "%s '%s': not a number", word, value);
	if (!p->engines)
		return fail(err, len, "%s '%s': a device needs at least 1",
			    word, value);
	p->mask |= ZSV_ATTR_BIT(ZSV_A_DEV_ENGINES);
	return 0;
}

static const struct keyword dev_set_kws[] = {
	{ "policy", "weighted, fixed or best-effort", dev_policy_kw },
	{ "timeslice", "a duration such as 2ms", dev_timeslice_kw },
	{ "period", "a duration such as 100ms", dev_period_kw },
	{ "oversub", "a ratio such as 1.5 or 150%", dev_oversub_kw },
};

static const struct keyword dev_add_kws[] = {
	{ "backend", "a backend name such as sim", dev_backend_kw },
	{ "mem", "a size such as 16G", dev_mem_kw },
	{ "engines", "a number of engines", dev_engines_kw },
};

int args_dev_set(int argc, char **argv, struct dev_set_args *a, char *err,
		 size_t len)
{
	int ret;

	memset(a, 0, sizeof(*a));
	if (argc < 1)
		return fail(err, len, "dev set needs a NAME");
	if (args_name("device", argv[0], err, len))
		return -EINVAL;
	a->name = argv[0];
	ret = keywords_parse(argc - 1, argv + 1, dev_set_kws,
			     ARRAY_SIZE(dev_set_kws), &a->params, err, len);
	if (ret)
		return ret;
	if (!a->params.mask)
		return fail(
			err, len,
			"dev set needs something to change: policy, timeslice, period or oversub");
	return 0;
}

int args_dev_add(int argc, char **argv, struct zsv_dev_params *p, char *err,
		 size_t len)
{
	int ret;

	memset(p, 0, sizeof(*p));
	ret = keywords_parse(argc, argv, dev_add_kws, ARRAY_SIZE(dev_add_kws),
			     p, err, len);
	if (ret)
		return ret;
	if (!(p->mask & ZSV_ATTR_BIT(ZSV_A_DEV_MEM_TOTAL)))
		return fail(err, len, "dev add needs 'mem SIZE'");
	return 0;
}

/* ------------------------------------------------------------------ */
/* CDI */

static int cdi_output_kw(const char *word, const char *value, void *ctx,
			 char *err, size_t len)
{
	struct cdi_generate_args *a = ctx;

	if (!*value)
		return fail(err, len, "%s '': not a file name", word);
	a->output = value;
	return 0;
}

static int cdi_vendor_kw(const char *word, const char *value, void *ctx,
			 char *err, size_t len)
{
	struct cdi_generate_args *a = ctx;

	if (cdi_vendor_check(value))
		return fail(err, len, "%s '%s': %s", word, value,
			    CDI_VENDOR_RULE);
	a->vendor = value;
	return 0;
}

static const struct keyword cdi_generate_kws[] = {
	{ "-o", "a file name", cdi_output_kw },
	{ "vendor", "a vendor such as example.com", cdi_vendor_kw },
};

int args_cdi_generate(int argc, char **argv, struct cdi_generate_args *a,
		      char *err, size_t len)
{
	memset(a, 0, sizeof(*a));
	return keywords_parse(argc, argv, cdi_generate_kws,
			      ARRAY_SIZE(cdi_generate_kws), a, err, len);
}
