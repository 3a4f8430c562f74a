// SPDX-License-Identifier: GPL-2.0-only
/*
 * The slice registry: virtual accelerators carved from pdevs.
 *
 * Every slice is in three indexes, all changed under zsv_lock: the xarray
 * zsv_slices by id (which is also the minor of its device node), the name
 * hash (names are unique on the host) and its pdev's list. Creation and
 * destruction touch each once, so their cost does not grow with the number
 * of slices.
 *
 * Lifetime: the registry holds one reference from slice-new to slice-del,
 * and every open context one more. A slice leaves the indexes at slice-del;
 * its memory goes with the last reference. A slice holds a reference to
 * its pdev's device and to its backend's module, so neither goes away
 * while it exists: `rmmod zsv_sim` is refused while sim slices exist.
 */
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "compat.h"
#include "zsv.h"

/* Slices by id; changed under zsv_lock, read under it or RCU. */
static DEFINE_XARRAY_ALLOC(zsv_slices);
static u32 zsv_slice_next_id;	/* cyclic id allocation; zsv_lock */
static u32 zsv_slice_count;	/* live slices; zsv_lock */

static const struct rhashtable_params zsv_slice_name_params = {
	.key_len = sizeof_field(struct zsv_slice, name),
	.key_offset = offsetof(struct zsv_slice, name),
	.head_offset = offsetof(struct zsv_slice, hash_node),
	.automatic_shrinking = true,
};

/* Slices by name; changed under zsv_lock. */
static struct rhashtable zsv_slice_names;

/*
 * A slice or tenant name: [a-z0-9][a-z0-9_.-]{0,62}, in ASCII: the
 * kernel's islower() also takes Latin-1 letters (0xdf-0xff), which are no
 * part of a name.
 */
bool zsv_name_valid(const char *name)
{
	size_t i, len = strnlen(name, ZSV_NAME_MAX + 1);

	if (!len || len > ZSV_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			continue;
		if (i && (c == '_' || c == '.' || c == '-'))
			continue;
		return false;
	}
	return true;
}

struct zsv_slice *zsv_slice_find_locked(u32 id)
{
	lockdep_assert_held(&zsv_lock);
	return xa_load(&zsv_slices, id);
}

struct zsv_slice *zsv_slice_find_by_name_locked(const char *name)
{
	char key[ZSV_NAME_MAX + 1] = {};

	lockdep_assert_held(&zsv_lock);
	strscpy(key, name, sizeof(key));
	return rhashtable_lookup_fast(&zsv_slice_names, key,
				      zsv_slice_name_params);
}
EXPORT_SYMBOL_GPL(zsv_slice_find_by_name_locked);

/* Like zsv_pdev_next_locked(), for slices. */
struct zsv_slice *zsv_slice_next_locked(unsigned long *index)
{
	struct zsv_slice *slice;

	lockdep_assert_held(&zsv_lock);
	slice = xa_find(&zsv_slices, index, ULONG_MAX, XA_PRESENT);
	if (slice)
		(*index)++;
	return slice;
}

/* Make @ctx one of @slice's contexts, holding a reference on it. */
void zsv_slice_attach_ctx_locked(struct zsv_slice *slice, struct zsv_ctx *ctx)
{
	lockdep_assert_held(&zsv_lock);
	kref_get(&slice->ref);
	slice->nr_contexts++;
	ctx->slice = slice;
	list_add_tail(&ctx->slice_link, &slice->contexts);
}

/**
 * zsv_slice_get_by_minor() - attach a new context to a live slice
 * @minor: minor of the device node being opened
 * @ctx: the context, which gets the slice and joins its contexts
 *
 * Return: the slice with a reference for @ctx and one more context
 * counted, or NULL when no live slice has that minor.
 */
struct zsv_slice *zsv_slice_get_by_minor(unsigned int minor,
					 struct zsv_ctx *ctx)
{
	struct zsv_slice *slice;

	mutex_lock(&zsv_lock);
	slice = xa_load(&zsv_slices, minor);
	if (slice)
		zsv_slice_attach_ctx_locked(slice, ctx);
	mutex_unlock(&zsv_lock);
	return slice;
}

static void zsv_slice_free(struct zsv_slice *slice)
{
	if (slice->inode)
		zsv_fs_inode_put(slice->inode);
	if (slice->status_page)
		__free_page(slice->status_page);
	if (slice->dummy_page)
		__free_page(slice->dummy_page);
	kfree(slice);
}

static void zsv_slice_release(struct kref *ref)
{
	struct zsv_slice *slice = container_of(ref, struct zsv_slice, ref);

	put_device(&slice->pdev->dev);
	zsv_slice_free(slice);
}

/* What ZSV_IOCTL_INFO and the status page say about @slice. */
void zsv_slice_info_locked(const struct zsv_slice *slice,
			   struct zsv_info *info)
{
	const struct zsv_pdev *pdev = slice->pdev;

	lockdep_assert_held(&zsv_lock);
	memset(info, 0, sizeof(*info));
	info->slice_id = slice->id;
	info->dev_id = pdev->id;
	info->mem_bytes = slice->mem_bytes;
	info->mem_used = slice->mem_used_bytes;
	info->mem_mode = slice->mem_mode;
	info->weight = slice->weight;
	info->cap_pct = slice->cap_pct;
	info->engines = pdev->engines;
	info->timeslice_ns = slice->timeslice_ns ?: pdev->timeslice_ns;
	info->period_ns = pdev->period_ns;
	strscpy(info->name, slice->name, sizeof(info->name));
	strscpy(info->dev_name, dev_name(&pdev->dev), sizeof(info->dev_name));
}

/*
 * Rewrite the status page after a change. Readers in userspace retry
 * while seq is odd or moved, so seq is made odd before the rewrite and
 * even after it, with write barriers in between.
 */
void zsv_slice_status_update_locked(struct zsv_slice *slice)
{
	struct zsv_status *status = page_address(slice->status_page);
	u32 seq = status->seq;
	struct zsv_info info;

	lockdep_assert_held(&zsv_lock);
	zsv_slice_info_locked(slice, &info);
	WRITE_ONCE(status->seq, seq + 1);
	smp_wmb();	/* odd seq before the new info; pairs with the reader */
	memcpy(&status->info, &info, sizeof(info));
	smp_wmb();	/* new info before the even seq */
	/* 0 means "destroyed" to readers, so a wrapping seq skips it. */
	WRITE_ONCE(status->seq, seq + 2 ?: 2);
}

/**
 * zsv_slice_status_read() - a consistent copy of the status page's info
 * @slice: the slice
 * @info: the copy
 *
 * Lockless, like a reader in userspace.
 * Return: false when the slice was destroyed.
 */
bool zsv_slice_status_read(const struct zsv_slice *slice,
			   struct zsv_info *info)
{
	const struct zsv_status *status = page_address(slice->status_page);
	u32 seq;

	do {
		seq = READ_ONCE(status->seq);
		smp_rmb();	/* seq before info; pairs with the update */
		memcpy(info, &status->info, sizeof(*info));
		smp_rmb();	/* info before the seq check */
	} while ((seq & 1) || seq != READ_ONCE(status->seq));
	return !READ_ONCE(slice->dead);
}

/* A pdev's settings show in each of its slices' status pages. */
void zsv_pdev_status_update_locked(struct zsv_pdev *pdev)
{
	struct zsv_slice *slice;

	lockdep_assert_held(&zsv_lock);
	list_for_each_entry(slice, &pdev->slices, pdev_link)
		zsv_slice_status_update_locked(slice);
}

void zsv_slice_put(struct zsv_slice *slice)
{
	kref_put(&slice->ref, zsv_slice_release);
}
EXPORT_SYMBOL_GPL(zsv_slice_put);

static int zsv_slice_check_timeslice(u64 ns, struct netlink_ext_ack *extack)
{
	if (ns && (ns < ZSV_TIMESLICE_MIN_NS || ns > ZSV_TIMESLICE_MAX_NS)) {
		NL_SET_ERR_MSG_FMT(extack,
				   "timeslice %llu ns is out of range (0 or %llu-%llu ns)",
				   ns, ZSV_TIMESLICE_MIN_NS, ZSV_TIMESLICE_MAX_NS);
		return -ERANGE;
	}
	return 0;
}

/* Range checks shared by slice-new and slice-set. */
static int zsv_slice_check_config(const struct zsv_slice_config *cfg,
				  struct netlink_ext_ack *extack)
{
	if ((cfg->set & BIT_ULL(ZSV_A_SLICE_MEM_BYTES)) && !cfg->mem_bytes) {
		NL_SET_ERR_MSG(extack, "mem-bytes must be nonzero");
		return -EINVAL;
	}
	if ((cfg->set & BIT_ULL(ZSV_A_SLICE_WEIGHT)) &&
	    (cfg->weight < ZSV_WEIGHT_MIN || cfg->weight > ZSV_WEIGHT_MAX)) {
		NL_SET_ERR_MSG_FMT(extack, "weight %u is out of range (%u-%u)",
				   cfg->weight, ZSV_WEIGHT_MIN, ZSV_WEIGHT_MAX);
		return -ERANGE;
	}
	if ((cfg->set & BIT_ULL(ZSV_A_SLICE_CAP_PCT)) &&
	    (!cfg->cap_pct || cfg->cap_pct > ZSV_CAP_PCT_MAX)) {
		NL_SET_ERR_MSG_FMT(extack, "cap %u%% is out of range (1-%u%%)",
				   cfg->cap_pct, ZSV_CAP_PCT_MAX);
		return -ERANGE;
	}
	if (cfg->set & BIT_ULL(ZSV_A_SLICE_TIMESLICE_NS))
		return zsv_slice_check_timeslice(cfg->timeslice_ns, extack);
	return 0;
}

/**
 * zsv_slice_engine_headroom_locked() - engine time a pdev has not promised
 * @pdev: the pdev
 *
 * A slice may use up to its cap of the pdev's engine time; what the caps
 * of the pdev's slices leave of 100% is its engine headroom. Linear in the
 * pdev's slices (at most ZSV_SLICES_PER_PDEV_MAX).
 *
 * Return: 0 to 100, in percent.
 */
u32 zsv_slice_engine_headroom_locked(struct zsv_pdev *pdev)
{
	struct zsv_slice *slice;
	u32 promised = 0;

	lockdep_assert_held(&zsv_lock);
	list_for_each_entry(slice, &pdev->slices, pdev_link) {
		promised += slice->cap_pct;
		if (promised >= ZSV_CAP_PCT_MAX)
			return 0;
	}
	return ZSV_CAP_PCT_MAX - promised;
}

/* Is @a a better home than @b, both fitting, after placing the slice? */
static bool zsv_slice_place_better(enum zsv_placement how, u64 a_mem,
				   u32 a_eng, u64 b_mem, u32 b_eng)
{
	if (a_mem != b_mem)
		return how == ZSV_PLACEMENT_BINPACK ? a_mem < b_mem :
						      a_mem > b_mem;
	if (a_eng != b_eng)
		return how == ZSV_PLACEMENT_BINPACK ? a_eng < b_eng :
						      a_eng > b_eng;
	return false;	/* ties go to the lower id, met first */
}

/* The tenant a new slice asks for: NULL for none, or an ERR_PTR(). */
static struct zsv_tenant *zsv_slice_cfg_tenant_locked(const struct zsv_slice_config *cfg,
						      struct netlink_ext_ack *extack)
{
	if (!(cfg->set & BIT_ULL(ZSV_A_SLICE_TENANT)))
		return NULL;
	return zsv_tenant_resolve_locked(cfg->tenant, extack);
}

static u32 zsv_slice_cfg_cap(const struct zsv_slice_config *cfg)
{
	return cfg->set & BIT_ULL(ZSV_A_SLICE_CAP_PCT) ? cfg->cap_pct :
							  ZSV_CAP_PCT_MAX;
}

/**
 * zsv_slice_place_locked() - choose the pdev a new slice is carved from
 * @cfg: the new slice (its size and memory mode matter here)
 * @how: spread (the most headroom left) or binpack (the least that fits)
 * @backend: only pdevs of this backend, or NULL for any
 * @extack: why no pdev fits: the best candidate and what it lacked
 *
 * Placement is atomic with admission: the caller holds zsv_lock from
 * here through zsv_slice_new_locked(), and zsv_lock serialises every
 * admission on every pdev (slice-new, slice-set, dev-set, deletion). A
 * pdev fits exactly when zsv_slice_new_locked() would admit the slice
 * there (zsv_mem_headroom_locked() is the admission's bound, and the
 * slice-count limit is checked alike), so of two placements racing for
 * the last room, the second one to take the lock sees it gone and picks
 * another pdev that fits, and is refused only when none does then.
 *
 * The slice's tenant, if it names one, is admitted here too: its memory
 * and slice limits before any pdev is looked at, and its compute limit
 * (cap x the pdev's engines) per pdev, so a pdev with fewer engines may
 * fit where another does not.
 *
 * Cost: O(pdevs + their slices): each pdev's memory headroom is a
 * bisection of at most 64 steps, and its engine headroom sums its slices'
 * caps; at most ZSV_PDEVS_MAX pdevs are looked at.
 *
 * Return: the pdev, or an ERR_PTR(): -ENODEV when no pdev (of @backend)
 * exists, -ENOSPC when none has room, -EDQUOT when the tenant's limits
 * leave no room, -ENOENT for a tenant that does not exist.
 */
struct zsv_pdev *zsv_slice_place_locked(const struct zsv_slice_config *cfg,
					enum zsv_placement how,
					const char *backend,
					struct netlink_ext_ack *extack)
{
	struct zsv_pdev *pdev, *best = NULL, *roomiest = NULL;
	struct zsv_pdev *least_compute = NULL;
	u64 room, best_mem = 0, roomiest_mem = 0;
	char asked[24], left[24];
	struct zsv_tenant *tenant;
	unsigned long index = 0;
	u32 eng, best_eng = 0;
	bool full = false;
	int err;

	lockdep_assert_held(&zsv_lock);

	if (cfg->mem_mode > ZSV_MEM_MODE_MAX) {
		NL_SET_ERR_MSG_FMT(extack, "memory mode %u is not 0 (reserved) or 1 (shared)",
				   cfg->mem_mode);
		return ERR_PTR(-EINVAL);
	}
	tenant = zsv_slice_cfg_tenant_locked(cfg, extack);
	if (IS_ERR(tenant))
		return ERR_CAST(tenant);
	err = zsv_tenant_admit_locked(tenant, cfg->mem_bytes, 1, 0, extack);
	if (err)
		return ERR_PTR(err);
	while ((pdev = zsv_pdev_next_locked(&index))) {
		if (pdev->removing || pdev->gone)
			continue;
		if (backend && strcmp(pdev->backend->name, backend))
			continue;
		if (pdev->group_taken)
			continue;
		if (pdev->slice_count >= ZSV_SLICES_PER_PDEV_MAX) {
			full = true;
			continue;
		}
		if (tenant && tenant->compute_max != ZSV_LIMIT_NONE &&
		    (tenant->compute > tenant->compute_max ||
		     zsv_slice_compute(pdev, zsv_slice_cfg_cap(cfg)) >
		     tenant->compute_max - tenant->compute)) {
			if (!least_compute || pdev->engines < least_compute->engines)
				least_compute = pdev;
			continue;
		}
		room = zsv_mem_headroom_locked(pdev, cfg->mem_mode);
		if (!roomiest || room > roomiest_mem) {
			roomiest = pdev;
			roomiest_mem = room;
		}
		if (room < cfg->mem_bytes)
			continue;
		room -= cfg->mem_bytes;
		eng = zsv_slice_engine_headroom_locked(pdev);
		if (!best ||
		    zsv_slice_place_better(how, room, eng, best_mem, best_eng)) {
			best = pdev;
			best_mem = room;
			best_eng = eng;
		}
	}
	if (best)
		return best;

	/* Only the tenant's compute kept the slice off some pdev: say so. */
	if (least_compute && !roomiest) {
		err = zsv_tenant_admit_locked(tenant, 0, 0,
					      zsv_slice_compute(least_compute,
								zsv_slice_cfg_cap(cfg)),
					      extack);
		return ERR_PTR(err ?: -EDQUOT);
	}
	if (!roomiest && !full) {
		if (backend)
			NL_SET_ERR_MSG_FMT(extack, "no device of backend '%.40s'",
					   backend);
		else
			NL_SET_ERR_MSG(extack, "there is no device to place the slice on");
		return ERR_PTR(-ENODEV);
	}
	if (!roomiest) {
		NL_SET_ERR_MSG_FMT(extack, "no device fits: each has the most slices it can (%u)",
				   ZSV_SLICES_PER_PDEV_MAX);
		return ERR_PTR(-ENOSPC);
	}
	zsv_fmt_bytes(asked, sizeof(asked), cfg->mem_bytes);
	zsv_fmt_bytes(left, sizeof(left), roomiest_mem);
	NL_SET_ERR_MSG_FMT(extack,
			   "no device fits %s %s; the roomiest, %.40s, has %s left",
			   asked, cfg->mem_mode == ZSV_MEM_MODE_RESERVED ?
			   "reserved" : "shared", dev_name(&roomiest->dev), left);
	return ERR_PTR(-ENOSPC);
}

/**
 * zsv_slice_new_locked() - carve a slice out of a pdev
 * @pdev: the pdev
 * @cfg: name and memory size (required), everything else optional
 * @extack: the reason for a refusal
 *
 * Nothing is left behind when this fails.
 * Return: the new slice, or an ERR_PTR().
 */
struct zsv_slice *zsv_slice_new_locked(struct zsv_pdev *pdev,
				       const struct zsv_slice_config *cfg,
				       struct netlink_ext_ack *extack)
{
	struct zsv_tenant *tenant;
	struct zsv_slice *slice;
	u32 id;
	int err;

	lockdep_assert_held(&zsv_lock);

	if (!zsv_name_valid(cfg->name)) {
		NL_SET_ERR_MSG_FMT(extack,
				   "slice name '%.20s' is not [a-z0-9][a-z0-9_.-]{0,62}",
				   cfg->name);
		return ERR_PTR(-EINVAL);
	}
	err = zsv_slice_check_config(cfg, extack);
	if (err)
		return ERR_PTR(err);
	if (cfg->mem_mode > ZSV_MEM_MODE_MAX) {
		NL_SET_ERR_MSG_FMT(extack, "memory mode %u is not 0 (reserved) or 1 (shared)",
				   cfg->mem_mode);
		return ERR_PTR(-EINVAL);
	}
	if (zsv_slice_find_by_name_locked(cfg->name)) {
		NL_SET_ERR_MSG_FMT(extack, "a slice named '%.40s' exists",
				   cfg->name);
		return ERR_PTR(-EEXIST);
	}
	if (pdev->removing || pdev->gone) {
		NL_SET_ERR_MSG(extack, "the device is being removed");
		return ERR_PTR(-ENODEV);
	}
	if (zsv_slice_count >= ZSV_SLICES_MAX) {
		NL_SET_ERR_MSG_FMT(extack, "the host has the most slices it can (%u)",
				   ZSV_SLICES_MAX);
		return ERR_PTR(-ENOSPC);
	}
	if (pdev->slice_count >= ZSV_SLICES_PER_PDEV_MAX) {
		NL_SET_ERR_MSG_FMT(extack, "the device has the most slices it can (%u)",
				   ZSV_SLICES_PER_PDEV_MAX);
		return ERR_PTR(-ENOSPC);
	}
	tenant = zsv_slice_cfg_tenant_locked(cfg, extack);
	if (IS_ERR(tenant))
		return ERR_CAST(tenant);
	err = zsv_tenant_admit_locked(tenant, cfg->mem_bytes, 1,
				      zsv_slice_compute(pdev, zsv_slice_cfg_cap(cfg)),
				      extack);
	if (err)
		return ERR_PTR(err);
	err = zsv_mem_admit_locked(pdev, cfg->mem_mode, 0, cfg->mem_bytes,
				   extack);
	if (err)
		return ERR_PTR(err);
	if (!try_module_get(pdev->backend->owner)) {
		NL_SET_ERR_MSG(extack, "the device's backend is unloading");
		return ERR_PTR(-ENODEV);
	}

	slice = kzalloc(sizeof(*slice), GFP_KERNEL);
	if (!slice) {
		err = -ENOMEM;
		goto err_module;
	}
	slice->status_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	slice->inode = zsv_fs_inode_new();
	if (!slice->status_page || IS_ERR(slice->inode)) {
		err = IS_ERR(slice->inode) ? PTR_ERR(slice->inode) : -ENOMEM;
		if (IS_ERR(slice->inode))
			slice->inode = NULL;
		goto err_free;
	}
	kref_init(&slice->ref);
	init_rwsem(&slice->revoke_sem);
	INIT_LIST_HEAD(&slice->contexts);
	strscpy(slice->name, cfg->name, sizeof(slice->name));
	slice->pdev = pdev;
	slice->mem_bytes = cfg->mem_bytes;
	slice->mem_mode = cfg->mem_mode;
	slice->weight = cfg->set & BIT_ULL(ZSV_A_SLICE_WEIGHT) ?
			cfg->weight : ZSV_WEIGHT_DEFAULT;
	slice->cap_pct = zsv_slice_cfg_cap(cfg);
	slice->timeslice_ns = cfg->timeslice_ns;
	slice->uid = cfg->set & BIT_ULL(ZSV_A_SLICE_UID) ?
		     cfg->uid : GLOBAL_ROOT_UID;
	slice->gid = cfg->set & BIT_ULL(ZSV_A_SLICE_GID) ?
		     cfg->gid : GLOBAL_ROOT_GID;
	slice->node_mode = cfg->set & BIT_ULL(ZSV_A_SLICE_NODE_MODE) ?
			   cfg->node_mode : ZSV_NODE_MODE_DEFAULT;
	slice->mediated = cfg->mediated;
	slice->client = cfg->client;
	strscpy(slice->group, cfg->group, sizeof(slice->group));
	slice->unannounced = cfg->unannounced;

	err = xa_alloc_cyclic(&zsv_slices, &id, NULL,
			      XA_LIMIT(0, ZSV_SLICE_MINORS - 1),
			      &zsv_slice_next_id, GFP_KERNEL);
	if (err < 0)
		goto err_free;
	slice->id = id;

	err = rhashtable_insert_fast(&zsv_slice_names, &slice->hash_node,
				     zsv_slice_name_params);
	if (err)
		goto err_erase;

	err = zsv_slice_node_add_locked(slice);
	if (err)
		goto err_unhash;

	err = zsv_sched_slice_add_locked(slice, tenant);
	if (err)
		goto err_node;

	/* Published: opens find it from here on. The slot is reserved. */
	WARN_ON(xa_err(xa_store(&zsv_slices, id, slice, GFP_KERNEL)));
	zsv_slice_count++;
	get_device(&pdev->dev);
	list_add_tail(&slice->pdev_link, &pdev->slices);
	pdev->slice_count++;
	zsv_mem_account_locked(pdev, slice->mem_mode, 0, slice->mem_bytes);
	zsv_tenant_attach_locked(slice, tenant);
	zsv_slice_status_update_locked(slice);
	if (!slice->unannounced)
		zsv_event_locked(ZSV_EVENT_SLICE_NEW, slice);
	return slice;

err_node:
	zsv_slice_node_del_locked(slice);
err_unhash:
	rhashtable_remove_fast(&zsv_slice_names, &slice->hash_node,
			       zsv_slice_name_params);
err_erase:
	xa_erase(&zsv_slices, id);
err_free:
	zsv_slice_free(slice);
err_module:
	module_put(pdev->backend->owner);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_GPL(zsv_slice_new_locked);

/**
 * zsv_slice_set_locked() - change a slice's limits or owner, live
 * @slice: the slice
 * @cfg: the fields to change (cfg->set)
 * @extack: the reason for a refusal
 *
 * All or nothing: either every field asked for changes, or none does.
 * Return: 0 or a negative errno.
 */
int zsv_slice_set_locked(struct zsv_slice *slice,
			 const struct zsv_slice_config *cfg,
			 struct netlink_ext_ack *extack)
{
	const u64 node_bits = BIT_ULL(ZSV_A_SLICE_UID) |
			      BIT_ULL(ZSV_A_SLICE_GID) |
			      BIT_ULL(ZSV_A_SLICE_NODE_MODE);
	struct zsv_tenant *tenant = slice->tenant;
	struct zsv_sched_tenant *st = NULL;
	u64 old_mem = slice->mem_bytes, new_mem = old_mem;
	u32 new_cap = slice->cap_pct;
	kuid_t old_uid = slice->uid;
	kgid_t old_gid = slice->gid;
	umode_t old_mode = slice->node_mode;
	char used[24], asked[24];
	bool moved;
	int err;

	lockdep_assert_held(&zsv_lock);

	err = zsv_slice_check_config(cfg, extack);
	if (err)
		return err;

	if ((cfg->set & BIT_ULL(ZSV_A_SLICE_MEM_BYTES)) &&
	    cfg->mem_bytes != old_mem) {
		if (slice->mediated) {
			NL_SET_ERR_MSG(extack,
				       "a mediated device's memory is its mdev type's; make a new mdev");
			return -EOPNOTSUPP;
		}
		if (cfg->mem_bytes < slice->mem_used_bytes) {
			zsv_fmt_bytes(used, sizeof(used), slice->mem_used_bytes);
			zsv_fmt_bytes(asked, sizeof(asked), cfg->mem_bytes);
			NL_SET_ERR_MSG_FMT(extack,
					   "the slice uses %s; it cannot shrink to %s",
					   used, asked);
			return -EBUSY;
		}
		err = zsv_mem_admit_locked(slice->pdev, slice->mem_mode,
					   old_mem, cfg->mem_bytes, extack);
		if (err)
			return err;
	}

	/*
	 * The tenant admits the growth; a tenant the slice moves to admits
	 * all of it, like a new slice's.
	 */
	if (cfg->set & BIT_ULL(ZSV_A_SLICE_MEM_BYTES))
		new_mem = cfg->mem_bytes;
	if (cfg->set & BIT_ULL(ZSV_A_SLICE_CAP_PCT))
		new_cap = cfg->cap_pct;
	if (cfg->set & BIT_ULL(ZSV_A_SLICE_TENANT)) {
		tenant = zsv_tenant_resolve_locked(cfg->tenant, extack);
		if (IS_ERR(tenant))
			return PTR_ERR(tenant);
	}
	if (tenant != slice->tenant)
		err = zsv_tenant_admit_locked(tenant, new_mem, 1,
					      zsv_slice_compute(slice->pdev, new_cap),
					      extack);
	else
		err = zsv_tenant_admit_locked(tenant,
					      new_mem > old_mem ? new_mem - old_mem : 0,
					      0,
					      new_cap > slice->cap_pct ?
					      zsv_slice_compute(slice->pdev,
								new_cap - slice->cap_pct) : 0,
					      extack);
	if (err)
		return err;

	/* Its share of the pdev in the new tenant, made before any change. */
	moved = tenant != slice->tenant;
	if (moved) {
		st = zsv_sched_tenant_get_locked(slice->pdev, tenant);
		if (IS_ERR(st))
			return PTR_ERR(st);
	}

	if (cfg->set & node_bits) {
		if (cfg->set & BIT_ULL(ZSV_A_SLICE_UID))
			slice->uid = cfg->uid;
		if (cfg->set & BIT_ULL(ZSV_A_SLICE_GID))
			slice->gid = cfg->gid;
		if (cfg->set & BIT_ULL(ZSV_A_SLICE_NODE_MODE))
			slice->node_mode = cfg->node_mode;
	}
	/* Remake the node only when what devtmpfs applies changed. */
	if (!uid_eq(slice->uid, old_uid) || !gid_eq(slice->gid, old_gid) ||
	    slice->node_mode != old_mode) {
		err = zsv_slice_node_replace_locked(slice, old_uid, old_gid,
						    old_mode);
		if (err) {
			NL_SET_ERR_MSG(extack, "cannot remake the device node");
			zsv_sched_tenant_put_locked(slice->pdev, st);
			return err;
		}
	}

	/* The tenant's usage follows: out with the old, in with the new. */
	zsv_tenant_detach_locked(slice);
	if (cfg->set & BIT_ULL(ZSV_A_SLICE_MEM_BYTES)) {
		zsv_mem_account_locked(slice->pdev, slice->mem_mode, old_mem,
				       cfg->mem_bytes);
		WRITE_ONCE(slice->mem_bytes, cfg->mem_bytes);
	}
	if (cfg->set & BIT_ULL(ZSV_A_SLICE_WEIGHT))
		WRITE_ONCE(slice->weight, cfg->weight);
	if (cfg->set & BIT_ULL(ZSV_A_SLICE_CAP_PCT))
		WRITE_ONCE(slice->cap_pct, cfg->cap_pct);
	zsv_tenant_attach_locked(slice, tenant);
	if (cfg->set & BIT_ULL(ZSV_A_SLICE_TIMESLICE_NS))
		WRITE_ONCE(slice->timeslice_ns, cfg->timeslice_ns);
	zsv_sched_slice_config_locked(slice, moved, st);

	zsv_slice_status_update_locked(slice);
	zsv_event_locked(ZSV_EVENT_SLICE_SET, slice);
	return 0;
}
EXPORT_SYMBOL_GPL(zsv_slice_set_locked);

/**
 * zsv_slice_del_locked() - destroy a slice
 * @slice: the slice
 * @force: revoke open contexts instead of refusing
 * @extack: the reason for a refusal
 *
 * Once this returns, the slice is gone from the registry, sysfs and /dev,
 * every call on a context still open answers -ENODEV, and the contexts'
 * BOs are destroyed: their pages are freed and their mappings show a
 * dummy page. The slice's own memory goes with the last context.
 * Return: 0, or -EBUSY when contexts are open and @force is false.
 */
int zsv_slice_del_locked(struct zsv_slice *slice, bool force,
			 struct netlink_ext_ack *extack)
{
	struct zsv_pdev *pdev = slice->pdev;
	LIST_HEAD(bos);

	lockdep_assert_held(&zsv_lock);

	if (slice->nr_contexts && !force) {
		NL_SET_ERR_MSG_FMT(extack,
				   "the slice has %u open context(s); force revokes them",
				   slice->nr_contexts);
		return -EBUSY;
	}

	xa_erase(&zsv_slices, slice->id);
	zsv_slice_count--;
	rhashtable_remove_fast(&zsv_slice_names, &slice->hash_node,
			       zsv_slice_name_params);
	list_del(&slice->pdev_link);
	pdev->slice_count--;
	zsv_mem_account_locked(pdev, slice->mem_mode, slice->mem_bytes, 0);

	/*
	 * Wait for status-page faults in flight; later ones see @dead. Take
	 * every BO from its context, so that BO faults see it revoked. Then
	 * take every mapping away (refaults get zeroes), and only then free
	 * the BOs' pages.
	 */
	down_write(&slice->revoke_sem);
	slice->dead = true;
	up_write(&slice->revoke_sem);
	/* Jobs stop; those on engines keep their BOs pinned until they do. */
	zsv_sched_slice_del_locked(slice);
	zsv_slice_revoke_bos_locked(slice, &bos);
	zsv_slice_revoke_mappings(slice);
	zsv_bos_unpin_locked(&bos);

	zsv_slice_node_del_locked(slice);
	if (!slice->unannounced)
		zsv_event_locked(ZSV_EVENT_SLICE_DEL, slice);
	/* After the event, which reports the tenant in the last state. */
	zsv_tenant_detach_locked(slice);

	module_put(pdev->backend->owner);
	zsv_slice_put(slice);
	return 0;
}
EXPORT_SYMBOL_GPL(zsv_slice_del_locked);

/* Does any slice carry the group name @group? */
static bool zsv_group_exists_locked(const char *group)
{
	struct zsv_slice *slice;
	unsigned long index;

	xa_for_each(&zsv_slices, index, slice)
		if (!strcmp(slice->group, group))
			return true;
	return false;
}

/* The pdevs a slice of a group could be placed on, before any is. */
static u32 zsv_group_candidates_locked(const char *backend)
{
	unsigned long index = 0;
	struct zsv_pdev *pdev;
	u32 n = 0;

	while ((pdev = zsv_pdev_next_locked(&index)))
		n += !pdev->removing && !pdev->gone &&
		     (!backend || !strcmp(pdev->backend->name, backend));
	return n;
}

/**
 * zsv_group_new_locked() - make a group's slices, all or none
 * @tmpl: the shape of every slice (its name is ignored)
 * @group: the group's name; the slices are <group>-0 .. <group>-(count-1)
 * @count: how many, 1 to ZSV_GROUP_MAX
 * @distinct: each slice on a pdev of its own
 * @how: placement of each slice, as for slice-new without a device
 * @backend: only pdevs of this backend, or NULL
 * @extack: the reason for a refusal
 *
 * Each slice is placed and admitted as slice-new without a device would
 * place and admit it, one after the other under this one hold of
 * zsv_lock, so every admission (the pdevs', the tenant's sum) sees the
 * slices made before it and no other request comes between. On a
 * refusal the slices made are destroyed again, newest first. None of
 * them is announced (ZSV_EVENT_SLICE_NEW) before all are made, so a
 * monitor sees the whole group or nothing; their device nodes do appear
 * and go, and a context opened on one meanwhile is revoked.
 *
 * Return: 0, or a negative errno with nothing left behind.
 */
int zsv_group_new_locked(const struct zsv_slice_config *tmpl,
			 const char *group, u32 count, bool distinct,
			 enum zsv_placement how, const char *backend,
			 struct netlink_ext_ack *extack)
{
	struct zsv_slice_config *cfg;
	struct zsv_slice **made;
	struct zsv_slice *slice;
	struct zsv_pdev *pdev;
	u32 i, n = 0, there;
	int err = 0;

	lockdep_assert_held(&zsv_lock);

	if (!zsv_name_valid(group)) {
		NL_SET_ERR_MSG_FMT(extack,
				   "group name '%.20s' is not [a-z0-9][a-z0-9_.-]{0,62}",
				   group);
		return -EINVAL;
	}
	if (!count || count > ZSV_GROUP_MAX) {
		NL_SET_ERR_MSG_FMT(extack, "a group has 1 to %u slices, not %u",
				   ZSV_GROUP_MAX, count);
		return -ERANGE;
	}
	/* Its last slice, <group>-<count - 1>, must be a slice name too. */
	if (strlen(group) + 1 + snprintf(NULL, 0, "%u", count - 1) >
	    ZSV_NAME_MAX) {
		NL_SET_ERR_MSG_FMT(extack,
				   "group name '%.20s...' leaves no room in %u bytes for '-%u'",
				   group, ZSV_NAME_MAX, count - 1);
		return -EINVAL;
	}
	if (zsv_group_exists_locked(group)) {
		NL_SET_ERR_MSG_FMT(extack, "a group named '%.40s' exists",
				   group);
		return -EEXIST;
	}
	there = zsv_group_candidates_locked(backend);
	if (distinct && there < count) {
		NL_SET_ERR_MSG_FMT(extack,
				   "a group of %u on distinct devices needs %u devices%s%.40s; there are %u",
				   count, count, backend ? " of backend " : "",
				   backend ?: "", there);
		return there ? -ENOSPC : -ENODEV;
	}

	cfg = kmemdup(tmpl, sizeof(*cfg), GFP_KERNEL);
	made = kcalloc(count, sizeof(*made), GFP_KERNEL);
	if (!cfg || !made) {
		err = -ENOMEM;
		goto out;
	}
	strscpy(cfg->group, group, sizeof(cfg->group));
	cfg->unannounced = true;

	for (i = 0; i < count; i++) {
		snprintf(cfg->name, sizeof(cfg->name), "%s-%u", group, i);
		pdev = zsv_slice_place_locked(cfg, how, backend, extack);
		if (IS_ERR(pdev)) {
			err = PTR_ERR(pdev);
			break;
		}
		slice = zsv_slice_new_locked(pdev, cfg, extack);
		if (IS_ERR(slice)) {
			err = PTR_ERR(slice);
			break;
		}
		made[n++] = slice;
		pdev->group_taken = distinct;
	}
	for (i = 0; i < n; i++)
		made[i]->pdev->group_taken = false;

	if (err) {
		/* Cannot fail when forced; the extack keeps the refusal. */
		while (n--)
			WARN_ON(zsv_slice_del_locked(made[n], true, NULL));
		goto out;
	}
	for (i = 0; i < n; i++) {
		made[i]->unannounced = false;
		zsv_event_locked(ZSV_EVENT_SLICE_NEW, made[i]);
	}
out:
	kfree(made);
	kfree(cfg);
	return err;
}

/**
 * zsv_group_del_locked() - destroy every slice of a group, or none
 * @group: the group's name
 * @force: revoke open contexts instead of refusing
 * @extack: the reason for a refusal
 *
 * Every slice is checked before any is destroyed, so a refusal leaves the
 * group whole. Only group-new makes slices of a group, so none is
 * mediated.
 * Return: 0; -ENOENT when no slice is in the group; -EBUSY when one has
 * open contexts and @force is false.
 */
int zsv_group_del_locked(const char *group, bool force,
			 struct netlink_ext_ack *extack)
{
	struct zsv_slice *slice;
	unsigned long index;
	u32 n = 0;

	lockdep_assert_held(&zsv_lock);

	if (!group[0]) {
		NL_SET_ERR_MSG(extack, "a group name is required");
		return -EINVAL;
	}
	xa_for_each(&zsv_slices, index, slice) {
		if (strcmp(slice->group, group))
			continue;
		n++;
		if (force)
			continue;
		if (slice->nr_contexts) {
			NL_SET_ERR_MSG_FMT(extack,
					   "slice '%.40s' of the group has %u open context(s); force revokes them",
					   slice->name, slice->nr_contexts);
			return -EBUSY;
		}
	}
	if (!n) {
		NL_SET_ERR_MSG_FMT(extack, "no slice is in a group named '%.40s'",
				   group);
		return -ENOENT;
	}
	/* Erasing the entry at hand does not disturb xa_for_each(). */
	xa_for_each(&zsv_slices, index, slice)
		if (!strcmp(slice->group, group))
			WARN_ON(zsv_slice_del_locked(slice, force, NULL));
	return 0;
}

/**
 * zsv_mem_reserved_fit_locked() - how many more reserved slices fit
 * @pdev: the pdev
 * @bytes: the size of each, nonzero
 *
 * Asks the admission of slice-new itself, so that the answer is what
 * creating that many slices would meet, no more and no less.
 * Return: the number of slices of @bytes that slice-new would still admit.
 */
u32 zsv_mem_reserved_fit_locked(struct zsv_pdev *pdev, u64 bytes)
{
	u64 lo = 0, hi = pdev->mem_total_bytes / bytes, mid;

	lockdep_assert_held(&zsv_lock);
	if (pdev->removing || pdev->gone)
		return 0;
	/* Admission is monotonic in the size asked for. */
	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		if (!zsv_mem_admit_locked(pdev, ZSV_MEM_MODE_RESERVED, 0,
					  mid * bytes, NULL))
			lo = mid;
		else
			hi = mid - 1;
	}
	lo = min_t(u64, lo, ZSV_SLICES_PER_PDEV_MAX - pdev->slice_count);
	return min_t(u64, lo, ZSV_SLICES_MAX - zsv_slice_count);
}
EXPORT_SYMBOL_GPL(zsv_mem_reserved_fit_locked);

/**
 * zsv_slice_vfio_open_locked() - note whether a VFIO user holds a slice
 * @slice: a mediated slice, not yet destroyed
 * @open: whether its device is open
 *
 * Sends ZSV_EVENT_SLICE_SET, so that the monitor group sees it.
 */
void zsv_slice_vfio_open_locked(struct zsv_slice *slice, bool open)
{
	lockdep_assert_held(&zsv_lock);
	if (slice->dead || slice->vfio_open == open)
		return;
	slice->vfio_open = open;
	zsv_event_locked(ZSV_EVENT_SLICE_SET, slice);
}
EXPORT_SYMBOL_GPL(zsv_slice_vfio_open_locked);

int zsv_slice_init(void)
{
	return rhashtable_init(&zsv_slice_names, &zsv_slice_name_params);
}

void zsv_slice_exit(void)
{
	/* Slices pin their backend, and backends pin zsv: none is left. */
	WARN_ON(!xa_empty(&zsv_slices));
	rhashtable_destroy(&zsv_slice_names);
}
