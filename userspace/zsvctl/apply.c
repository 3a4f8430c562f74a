// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsvctl save, apply and assert: the layout of devices, tenants and
 * slices as a file, and making the live state match one.
 *
 *   zsvctl save
 *   zsvctl apply [--prune] [--force] [--dry-run] FILE|-
 *   zsvctl assert [--prune] FILE|-
 *
 * The file format, the checks and the plan are layout.c's, which needs
 * no kernel; this file reads the live state and carries the plan out,
 * one request per step.  When a step fails, the steps done so far are
 * undone in reverse, so that a refused apply leaves things as they were
 * (slices recreated by an undo get new ids; their settings are the old).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json_object.h>

#include "layout.h"
#include "zsvctl.h"

/*
 * Testing aid: apply stops itself with SIGSTOP after this many steps,
 * so that a test can change things behind its back (a concurrent admin)
 * before sending SIGCONT.  Read with secure_getenv().
 */
#define APPLY_STOP_ENV "ZSVCTL_APPLY_STOP_AFTER_STEP"

void save_usage(FILE *f)
{
	fputs("Usage: zsvctl save\n"
	      "\n"
	      "Print the layout of every device, tenant and slice as a JSON file for\n"
	      "'zsvctl apply': each device's policy, timeslice, period and oversub,\n"
	      "each tenant's limits, each slice's every setting.  Mediated (mdev)\n"
	      "slices are left out: they belong to mdevctl.  'zsvctl save | zsvctl\n"
	      "apply -' changes nothing.\n",
	      f);
}

void apply_usage(FILE *f)
{
	fputs("Usage: zsvctl apply [--prune] [--force] [--dry-run] FILE|-\n"
	      "\n"
	      "Make the devices, tenants and slices match FILE (- is stdin), as\n"
	      "'zsvctl save' writes it: add and set tenants first, then create, resize,\n"
	      "retune and move slices, set devices.  The whole file is checked first;\n"
	      "an invalid one changes nothing.  When a step fails, the steps done are\n"
	      "undone (a tenant is deleted only when this apply added it).\n"
	      "  --prune    also destroy the slices the file does not name (never tenants)\n"
	      "  --force    destroy busy slices (open contexts are revoked)\n"
	      "  --dry-run  print the plan and change nothing\n"
	      "Exit status: 0 done or nothing to do, 1 the system refused (nothing\n"
	      "changed unless a message says an undo failed), 2 the command line or\n"
	      "the file is wrong.  Needs CAP_NET_ADMIN to change anything.\n",
	      f);
}

void assert_usage(FILE *f)
{
	fputs("Usage: zsvctl assert [--prune] FILE|-\n"
	      "\n"
	      "Exit 0 when the devices, tenants and slices match FILE, that is when\n"
	      "'zsvctl apply' with the same options would change nothing; else print\n"
	      "each difference and exit 1.  --prune counts the slices the file does\n"
	      "not name as differences.  Exit status 2: the command line or the file\n"
	      "is wrong.\n",
	      f);
}

struct apply_opts {
	const char *file;
	unsigned int flags;
	bool dry_run;
};

static int apply_args(int argc, char **argv, bool is_assert,
		      struct apply_opts *o, void (*usage)(FILE *f))
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < argc; i++) {
		const char *w = argv[i];

		if (!strcmp(w, "--prune")) {
			o->flags |= LAYOUT_PRUNE;
		} else if (!strcmp(w, "--force") && !is_assert) {
			o->flags |= LAYOUT_FORCE;
		} else if (!strcmp(w, "--dry-run") && !is_assert) {
			o->dry_run = true;
		} else if (w[0] == '-' && w[1]) {
			return zsvctl_usage_error(usage, "unknown option '%s'",
						  w);
		} else if (o->file) {
			return zsvctl_usage_error(
				usage, "unexpected argument '%s'", w);
		} else {
			o->file = w;
		}
	}
	if (!o->file)
		return zsvctl_usage_error(usage,
					  "needs a FILE (or - for stdin)");
	if (is_assert)
		o->flags |= LAYOUT_ASSERT;
	return ZSVCTL_EXIT_OK;
}

/* The whole of @path ("-": stdin), NUL-terminated; an exit status. */
static int read_all(const char *path, char **text, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	size_t cap = 4096, n = 0, got;
	char *buf = NULL, *nbuf;

	*text = NULL;
	if (!f) {
		fprintf(stderr, "zsvctl: cannot open %s: %s\n", path,
			strerror(errno));
		return ZSVCTL_EXIT_FAIL;
	}
	for (;;) {
		nbuf = realloc(buf, cap + 1);
		if (!nbuf) {
			fprintf(stderr, "zsvctl: cannot read %s: %s\n", path,
				strerror(ENOMEM));
			goto fail;
		}
		buf = nbuf;
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		if (cap > LAYOUT_FILE_MAX)
			break;
		cap *= 2;
	}
	if (ferror(f)) {
		fprintf(stderr, "zsvctl: cannot read %s: %s\n", path,
			strerror(errno));
		goto fail;
	}
	if (f != stdin)
		fclose(f);
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return ZSVCTL_EXIT_OK;
fail:
	if (f != stdin)
		fclose(f);
	free(buf);
	return ZSVCTL_EXIT_FAIL;
}

/* The devices, tenants and slices there are now; an exit status. */
static int read_live(struct zsvctl *ctl, struct layout *live)
{
	struct zsv_tenant_info **tenants;
	struct zsv_slice_info **slices;
	struct zsv_dev_info **devs;
	size_t ndevs, nslices, ntenants;
	int ret, err;

	ret = zsvctl_connect(ctl);
	if (ret)
		return ret;
	err = zsv_dev_list(ctl->zh, &devs, &ndevs);
	if (err)
		return zsvctl_fail(ctl, err, "cannot list devices");
	err = zsv_slice_list(ctl->zh, NULL, &slices, &nslices);
	if (err) {
		zsv_dev_list_free(devs, ndevs);
		return zsvctl_fail(ctl, err, "cannot list slices");
	}
	err = layout_from_live(devs, ndevs, slices, nslices, live);
	zsv_slice_list_free(slices, nslices);
	zsv_dev_list_free(devs, ndevs);
	if (err)
		return zsvctl_fail(ctl, err, "cannot read the layout");
	err = zsv_tenant_list(ctl->zh, &tenants, &ntenants);
	/* A zsv older than tenants has none. */
	if (err == -EOPNOTSUPP) {
		tenants = NULL;
		ntenants = 0;
		err = 0;
	}
	if (err) {
		layout_free(live);
		return zsvctl_fail(ctl, err, "cannot list tenants");
	}
	err = layout_add_live_tenants(live, tenants, ntenants);
	zsv_tenant_list_free(tenants, ntenants);
	if (err) {
		layout_free(live);
		return zsvctl_fail(ctl, err, "cannot read the layout");
	}
	return ZSVCTL_EXIT_OK;
}

int save_main(struct zsvctl *ctl, int argc, char **argv)
{
	struct json_object *obj;
	struct layout live;
	const char *text;
	int ret;

	if (argc)
		return zsvctl_usage_error(save_usage,
					  "unexpected argument '%s'", argv[0]);
	ret = read_live(ctl, &live);
	if (ret)
		return ret;
	obj = layout_to_json(&live);
	layout_free(&live);
	/* Always indented: the file is for people to read and edit too. */
	text = obj ? json_object_to_json_string_ext(
			     obj, JSON_C_TO_STRING_PRETTY |
					  JSON_C_TO_STRING_SPACED |
					  JSON_C_TO_STRING_NOSLASHESCAPE) :
		     NULL;
	if (text)
		puts(text);
	json_object_put(obj);
	if (!text)
		return zsvctl_fail(ctl, -ENOMEM, "cannot build the layout");
	return ZSVCTL_EXIT_OK;
}

/*
 * The file and the live state, and the plan between them; an exit
 * status.  Messages name the file.
 */
static int make_plan(struct zsvctl *ctl, const struct apply_opts *o,
		     struct plan *plan)
{
	struct layout want, live;
	char err[LAYOUT_ERR_MAX];
	size_t len;
	char *text;
	int ret;

	ret = read_all(o->file, &text, &len);
	if (ret)
		return ret;
	ret = layout_parse(text, len, &want, err, sizeof(err));
	free(text);
	if (ret == -ENOMEM)
		return zsvctl_fail(ctl, ret, "cannot read %s", o->file);
	if (ret) {
		fprintf(stderr, "zsvctl: %s: %s\n", o->file, err);
		return ZSVCTL_EXIT_USAGE;
	}
	ret = read_live(ctl, &live);
	if (ret) {
		layout_free(&want);
		return ret;
	}
	ret = layout_plan(&want, &live, o->flags, plan, err, sizeof(err));
	layout_free(&want);
	layout_free(&live);
	if (ret == -ENOMEM)
		return zsvctl_fail(ctl, ret, "cannot plan %s", o->file);
	if (ret) {
		fprintf(stderr, "zsvctl: %s: %s%s\n", o->file, err,
			o->flags & LAYOUT_ASSERT ? "" :
						   "; nothing was changed");
		return ZSVCTL_EXIT_FAIL;
	}
	return ZSVCTL_EXIT_OK;
}

static int step_do(struct zsv_handle *h, const struct plan_step *st)
{
	switch (st->op) {
	case PLAN_TENANT_CREATE:
		return zsv_tenant_new(h, st->name, &st->tenant, NULL);
	case PLAN_TENANT_SET:
		return zsv_tenant_set(h, st->name, &st->tenant);
	case PLAN_SLICE_DESTROY:
		return zsv_slice_destroy(h, st->name, st->force);
	case PLAN_SLICE_SHRINK:
	case PLAN_SLICE_GROW:
		return zsv_slice_set(h, st->name, &st->slice);
	case PLAN_DEV_SET:
		return zsv_dev_set(h, st->name, &st->devp);
	case PLAN_SLICE_CREATE:
		return zsv_slice_create(h, st->dev, st->name, &st->slice, NULL);
	}
	return -EINVAL;
}

static int step_undo(struct zsv_handle *h, const struct plan_step *st)
{
	switch (st->op) {
	case PLAN_TENANT_CREATE:
		/* Only a tenant this apply made is ever deleted. */
		return zsv_tenant_del(h, st->name);
	case PLAN_TENANT_SET:
		return zsv_tenant_set(h, st->name, &st->tenant_undo);
	case PLAN_SLICE_DESTROY:
		return zsv_slice_create(h, st->dev, st->name, &st->slice_undo,
					NULL);
	case PLAN_SLICE_SHRINK:
	case PLAN_SLICE_GROW:
		return zsv_slice_set(h, st->name, &st->slice_undo);
	case PLAN_DEV_SET:
		return zsv_dev_set(h, st->name, &st->dev_undo);
	case PLAN_SLICE_CREATE:
		/* Nobody should have opened it yet; if they did, it goes. */
		return zsv_slice_destroy(h, st->name, true);
	}
	return -EINVAL;
}

static void stop_for_test(size_t done)
{
	const char *env = secure_getenv(APPLY_STOP_ENV);
	uint64_t n;

	if (!env || zsv_parse_u64(env, &n) || n != done)
		return;
	fflush(stdout);
	fprintf(stderr, "zsvctl: apply: stopped after step %zu (%s)\n", done,
		APPLY_STOP_ENV);
	raise(SIGSTOP);
}

/* Undo steps @done - 1 down to 0; how many could not be undone. */
static size_t undo_steps(struct zsvctl *ctl, const struct plan *plan,
			 size_t done)
{
	size_t failed = 0, i;
	int err;

	for (i = done; i-- > 0;) {
		const struct plan_step *st = &plan->steps[i];

		err = step_undo(ctl->zh, st);
		if (err) {
			fprintf(stderr,
				"zsvctl: apply: cannot undo step %zu (%s): %s\n",
				i + 1, st->text, zsv_error(ctl->zh, err));
			failed++;
		} else {
			fprintf(stderr, "zsvctl: apply: undid step %zu: %s\n",
				i + 1, st->text);
		}
	}
	return failed;
}

static int run_plan(struct zsvctl *ctl, const struct plan *plan)
{
	static const char doing[] = "applying a layout";
	char why[ZSV_UNIT_STR_MAX * 16];
	size_t i, failed;
	int ret, err;

	ret = zsvctl_need_admin(doing);
	if (ret)
		return ret;
	for (i = 0; i < plan->nsteps; i++) {
		const struct plan_step *st = &plan->steps[i];

		err = step_do(ctl->zh, st);
		if (!err) {
			puts(st->text);
			stop_for_test(i + 1);
			continue;
		}
		if (err == -EPERM && !i)
			return zsvctl_no_admin(doing);
		/* The undo's requests replace the kernel's message. */
		snprintf(why, sizeof(why), "%s", zsv_error(ctl->zh, err));
		fflush(stdout);
		fprintf(stderr,
			"zsvctl: apply: step %zu of %zu failed: %s: %s\n",
			i + 1, plan->nsteps, st->text, why);
		failed = undo_steps(ctl, plan, i);
		if (failed)
			fprintf(stderr,
				"zsvctl: apply: %zu of %zu steps could not be undone: the layout is partly applied\n",
				failed, i);
		else if (i)
			fprintf(stderr,
				"zsvctl: apply: the %zu steps before it were undone; nothing was changed\n",
				i);
		else
			fputs("zsvctl: apply: nothing was changed\n", stderr);
		if (i)
			cdi_refresh(ctl);
		return ZSVCTL_EXIT_FAIL;
	}
	cdi_refresh(ctl);
	return ZSVCTL_EXIT_OK;
}

static struct json_object *plan_to_json(const struct plan *plan, bool diffs)
{
	struct json_object *arr = json_object_new_array(), *obj, *v;
	size_t i;

	for (i = 0; arr && i < plan->nsteps; i++) {
		const struct plan_step *st = &plan->steps[i];

		if (diffs && !st->diff[0])
			continue;
		obj = json_object_new_object();
		if (!obj || json_object_array_add(arr, obj)) {
			json_object_put(obj);
			goto fail;
		}
		v = json_object_new_string(plan_op_name(st->op));
		if (!v || json_object_object_add(obj, "op", v))
			goto fail_v;
		v = json_object_new_string(st->name);
		if (!v || json_object_object_add(obj, "name", v))
			goto fail_v;
		v = json_object_new_string(diffs ? st->diff : st->text);
		if (!v || json_object_object_add(
				  obj, diffs ? "difference" : "step", v))
			goto fail_v;
	}
	return arr;
fail_v:
	json_object_put(v);
fail:
	json_object_put(arr);
	return NULL;
}

int apply_main(struct zsvctl *ctl, int argc, char **argv)
{
	struct apply_opts o;
	struct plan plan;
	size_t i;
	int ret;

	ret = apply_args(argc, argv, false, &o, apply_usage);
	if (ret)
		return ret;
	ret = make_plan(ctl, &o, &plan);
	if (ret)
		return ret;
	if (o.dry_run && ctl->json) {
		ret = zsvctl_json_print(ctl, plan_to_json(&plan, false));
	} else if (!plan.nsteps) {
		puts("no changes");
	} else if (o.dry_run) {
		for (i = 0; i < plan.nsteps; i++)
			puts(plan.steps[i].text);
	} else {
		ret = run_plan(ctl, &plan);
	}
	plan_free(&plan);
	return ret;
}

int assert_main(struct zsvctl *ctl, int argc, char **argv)
{
	struct apply_opts o;
	struct plan plan;
	size_t i;
	int ret;

	ret = apply_args(argc, argv, true, &o, assert_usage);
	if (ret)
		return ret;
	ret = make_plan(ctl, &o, &plan);
	if (ret)
		return ret;
	if (ctl->json)
		ret = zsvctl_json_print(ctl, plan_to_json(&plan, true));
	else
		for (i = 0; i < plan.nsteps; i++)
			if (plan.steps[i].diff[0])
				puts(plan.steps[i].diff);
	if (!ret && plan.nsteps)
		ret = ZSVCTL_EXIT_FAIL;
	plan_free(&plan);
	return ret;
}
