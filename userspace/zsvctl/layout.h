/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The declarative layout of "zsvctl save", "apply" and "assert": the
 * file format, and the plan that takes the live state to a file's.
 *
 * Pure: no netlink, no kernel (owner and group names are looked up in
 * the user database), so tests/unit and the fuzzer call it directly.
 * apply.c reads the live state, asks for a plan and carries it out.
 *
 * The file (version 1), keys in this order when saved:
 *
 *   { "version": 1,
 *     "devices": [ { "name": "zsv0", "policy": "weighted",
 *                    "timeslice": "2ms", "period": "100ms",
 *                    "oversub": "1" } ],
 *     "tenants": [ { "name": "acme", "mem": "64G", "slices": 8,
 *                    "compute": "400%", "weight": 100 } ],
 *     "slices":  [ { "name": "a", "dev": "zsv0", "mem": "4G",
 *                    "mode": "reserved", "weight": 100, "cap": "100%",
 *                    "timeslice": "default", "owner": 0, "group": 0,
 *                    "perm": "0600", "tenant": "acme" } ] }
 *
 * Values are the words "zsvctl dev set", "tenant add" and "slice create"
 * take, parsed by the same functions (args.c); weight is a JSON integer,
 * owner and group an integer id or a name, slices an integer or "none".
 * A device key left out leaves that setting as it is; a tenant or slice
 * key left out is tenant add's or slice create's default (no limit,
 * weight 100, no tenant).  "tenants" and a slice's "tenant" are saved only when there
 * is one.  Unknown keys, wrong types and duplicate names are errors.
 */
#ifndef ZSVCTL_LAYOUT_H
#define ZSVCTL_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json_object.h>

#include "libzsv.h"

#define LAYOUT_VERSION 1

/* Long enough for every message layout_parse() and layout_plan() write. */
#define LAYOUT_ERR_MAX 1024

/* Files larger than this are refused before parsing. */
#define LAYOUT_FILE_MAX (16U << 20)

/* The device keys, in file order; bit (1U << key) in ->given. */
enum layout_dev_key {
	LAYOUT_DEV_POLICY,
	LAYOUT_DEV_TIMESLICE,
	LAYOUT_DEV_PERIOD,
	LAYOUT_DEV_OVERSUB,
	LAYOUT_DEV_KEYS
};

/**
 * struct layout_dev - a device's scheduling settings
 * @name: the device's name
 * @given: bit (1U << LAYOUT_DEV_x) for each setting the file gives
 *	(every one for the live state)
 * @policy, @timeslice_ns, @period_ns, @oversub_pct: the settings
 * @mem_total_bytes: live state only: the device's memory
 */
struct layout_dev {
	char name[ZSV_NAME_MAX + 1];
	unsigned int given;
	uint32_t policy;
	uint64_t timeslice_ns;
	uint64_t period_ns;
	uint32_t oversub_pct;
	uint64_t mem_total_bytes;
};

/* The slice keys after "name", in file order. */
enum layout_slice_key {
	LAYOUT_SLICE_DEV,
	LAYOUT_SLICE_MEM,
	LAYOUT_SLICE_MODE,
	LAYOUT_SLICE_WEIGHT,
	LAYOUT_SLICE_CAP,
	LAYOUT_SLICE_TIMESLICE,
	LAYOUT_SLICE_OWNER,
	LAYOUT_SLICE_GROUP,
	LAYOUT_SLICE_PERM,
	LAYOUT_SLICE_TENANT,
	LAYOUT_SLICE_KEYS
};

/**
 * struct layout_tenant - a tenant's limits and weight
 * @name: the tenant's name
 * @mem_max_bytes, @slices_max, @compute_max: as in struct
 *	zsv_tenant_params; ZSV_LIMIT_NONE for no limit
 * @weight: as in struct zsv_tenant_params
 */
struct layout_tenant {
	char name[ZSV_NAME_MAX + 1];
	uint64_t mem_max_bytes;
	uint64_t slices_max;
	uint64_t compute_max;
	uint32_t weight;
};

/**
 * struct layout_slice - a slice's every setting
 * @name, @dev: the slice's and its device's names
 * @mem_bytes ... @node_mode: as in struct zsv_slice_params
 * @contexts, @mem_used_bytes: live state only: open files, memory in use
 * @mediated: live state only: a VFIO mediated device, which mdevctl
 *	owns: never saved, never changed
 * @tenant: its tenant's name, "" for none
 */
struct layout_slice {
	char name[ZSV_NAME_MAX + 1];
	char dev[ZSV_NAME_MAX + 1];
	uint64_t mem_bytes;
	uint32_t mem_mode;
	uint32_t weight;
	uint32_t cap_pct;
	uint64_t timeslice_ns;
	uint32_t uid;
	uint32_t gid;
	uint32_t node_mode;
	uint32_t contexts;
	uint64_t mem_used_bytes;
	bool mediated;
	char tenant[ZSV_NAME_MAX + 1];
};

struct layout {
	struct layout_dev *devs;
	size_t ndevs;
	struct layout_slice *slices;
	size_t nslices;
	struct layout_tenant *tenants;
	size_t ntenants;
};

void layout_free(struct layout *l);

/*
 * layout_parse() - read a file of @len bytes.  Returns 0, -ENOMEM, or
 * -EINVAL with one sentence in @err that names the place
 * ("slices[2] (team-a): weight '0': out of range (1 to 10000)").
 */
int layout_parse(const char *text, size_t len, struct layout *l, char *err,
		 size_t errlen);

/*
 * layout_from_live() - the live state as a layout, devices by id and
 * slices by name, so that a recreated slice saves the same.  0 or
 * -ENOMEM.
 */
int layout_from_live(struct zsv_dev_info *const *devs, size_t ndevs,
		     struct zsv_slice_info *const *slices, size_t nslices,
		     struct layout *l);

/*
 * layout_add_live_tenants() - add the live tenants to a layout made by
 * layout_from_live(), by name.  0 or -ENOMEM.
 */
int layout_add_live_tenants(struct layout *l,
			    struct zsv_tenant_info *const *tenants, size_t n);

/*
 * layout_to_json() - the file, without mediated slices; NULL on ENOMEM.
 * layout_parse() reads it back to the same layout.
 */
struct json_object *layout_to_json(const struct layout *l);

/* ------------------------------------------------------------------ */
/* Plans */

/* Flags of layout_plan(). */
#define LAYOUT_PRUNE 0x1U /* destroy slices the file does not name */
#define LAYOUT_FORCE 0x2U /* ... and busy ones, revoking their contexts */
/*
 * For assert: only what differs matters, not whether apply could get
 * there (fit, busy slices, memory in use go unchecked).
 */
#define LAYOUT_ASSERT 0x4U

/*
 * In the order a plan runs them.  Tenants come first: their limits must
 * admit the slices that grow or join them, and lowering a limit below
 * the usage is allowed.  Tenants the file does not name are never
 * touched, --prune or not, so a tenant is deleted only by the undo of
 * its creation.
 */
enum plan_op {
	PLAN_TENANT_CREATE,
	PLAN_TENANT_SET,
	PLAN_SLICE_DESTROY, /* pruned, or recreated on another device/mode */
	PLAN_SLICE_SHRINK, /* slice-set that gives memory back (or keeps it) */
	PLAN_DEV_SET,
	PLAN_SLICE_GROW, /* slice-set that takes more memory */
	PLAN_SLICE_CREATE,
};

#define PLAN_TEXT_MAX 512

/**
 * struct plan_step - one request, and the one that undoes it
 * @op: what it is
 * @name: the slice or device
 * @dev: create: the device; destroy: the device to recreate it on
 * @force: destroy: revoke the slice's open contexts
 * @slice: create and set: what to send
 * @slice_undo: set: the old values of what changes; destroy: the whole
 *	slice, to create it again
 * @devp, @dev_undo: device set: what to send, and the old values
 * @tenant, @tenant_undo: tenant create and set: the limits to send; set:
 *	the old values of what changes
 * @slice_tenant, @slice_tenant_undo: the storage of @slice.tenant and
 *	@slice_undo.tenant
 * @text: what it does, for people ("set slice a weight 100 (was 300)")
 * @diff: what differs, for assert ("slice a: weight is 300, the file
 *	says 100"); empty for the create half of a recreation
 */
struct plan_step {
	enum plan_op op;
	char name[ZSV_NAME_MAX + 1];
	char dev[ZSV_NAME_MAX + 1];
	bool force;
	struct zsv_slice_params slice;
	struct zsv_slice_params slice_undo;
	struct zsv_dev_params devp;
	struct zsv_dev_params dev_undo;
	struct zsv_tenant_params tenant;
	struct zsv_tenant_params tenant_undo;
	char slice_tenant[ZSV_NAME_MAX + 1];
	char slice_tenant_undo[ZSV_NAME_MAX + 1];
	char text[PLAN_TEXT_MAX];
	char diff[PLAN_TEXT_MAX];
};

struct plan {
	struct plan_step *steps;
	size_t nsteps;
};

/*
 * layout_plan() - the steps that make @live into @want, ordered so that
 * each can succeed: tenants, destroy and shrink, then device settings,
 * then grow (and move between tenants) and create.  Checks first that
 * @want can be: every device exists, every slice's tenant is in the file
 * or on the host, no
 * slice of the file is a mediated one, the memory fits each device in
 * the end (with the slices that stay and the mediated ones), nothing
 * shrinks below what it uses, and busy slices are destroyed only with
 * LAYOUT_FORCE.  Returns 0, -ENOMEM, or -EINVAL with a sentence in @err
 * (the plan is then empty).  @plan is empty too when nothing differs.
 */
int layout_plan(const struct layout *want, const struct layout *live,
		unsigned int flags, struct plan *plan, char *err,
		size_t errlen);

void plan_free(struct plan *plan);

/* "destroy", "set", "create" and the like, for JSON; never NULL. */
const char *plan_op_name(enum plan_op op);

#endif /* ZSVCTL_LAYOUT_H */
