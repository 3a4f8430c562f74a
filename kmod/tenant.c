// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tenants: who pays. A tenant is a name with limits across every pdev:
 * the bytes of its slices' partitions (reserved sizes and shared quotas
 * alike), the number of its slices, and its compute, the sum of its
 * slices' cap x engines (a cap is what a tenant buys).
 *
 * Every tenant is in two indexes, the xarray zsv_tenants by id and the
 * name hash, and each of its slices is on its list; all of it, limits and
 * usage included, is read and changed under zsv_lock. That is the lock
 * every admission takes, so a tenant's limits are checked atomically with
 * the pdev's: of two admissions racing for a tenant's last byte, the
 * second sees the first's charge.
 *
 * Lifetime: from tenant-new to tenant-del, which is refused while the
 * tenant has slices, so a slice's tenant pointer (taken and dropped under
 * zsv_lock) always points at a live tenant. Module unload frees the
 * tenants left, by then without slices.
 */
#include <linux/overflow.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "compat.h"
#include "zsv.h"

/* Tenants by id; zsv_lock. */
static DEFINE_XARRAY_ALLOC(zsv_tenants);
static u32 zsv_tenant_next_id;	/* cyclic id allocation; zsv_lock */
static u32 zsv_tenant_count;	/* live tenants; zsv_lock */

static const struct rhashtable_params zsv_tenant_name_params = {
	.key_len = sizeof_field(struct zsv_tenant, name),
	.key_offset = offsetof(struct zsv_tenant, name),
	.head_offset = offsetof(struct zsv_tenant, hash_node),
	.automatic_shrinking = true,
};

/* Tenants by name; zsv_lock. */
static struct rhashtable zsv_tenant_names;

struct zsv_tenant *zsv_tenant_find_locked(u32 id)
{
	lockdep_assert_held(&zsv_lock);
	return xa_load(&zsv_tenants, id);
}

struct zsv_tenant *zsv_tenant_find_by_name_locked(const char *name)
{
	char key[ZSV_NAME_MAX + 1] = {};

	lockdep_assert_held(&zsv_lock);
	strscpy(key, name, sizeof(key));
	return rhashtable_lookup_fast(&zsv_tenant_names, key,
				      zsv_tenant_name_params);
}

/* Like zsv_pdev_next_locked(), for tenants. */
struct zsv_tenant *zsv_tenant_next_locked(unsigned long *index)
{
	struct zsv_tenant *tenant;

	lockdep_assert_held(&zsv_lock);
	tenant = xa_find(&zsv_tenants, index, ULONG_MAX, XA_PRESENT);
	if (tenant)
		(*index)++;
	return tenant;
}

/* The compute a slice of @cap_pct on @pdev counts against its tenant. */
u64 zsv_slice_compute(const struct zsv_pdev *pdev, u32 cap_pct)
{
	return (u64)cap_pct * pdev->engines;
}

/* "2.50": compute in engines, as zsvctl prints it. */
static void zsv_fmt_compute(char *buf, size_t len, u64 compute)
{
	if (compute == ZSV_LIMIT_NONE)
		strscpy(buf, "none", len);
	else
		scnprintf(buf, len, "%llu.%02llu", compute / 100, compute % 100);
}

static void zsv_fmt_mem(char *buf, size_t len, u64 bytes)
{
	if (bytes == ZSV_LIMIT_NONE)
		strscpy(buf, "none", len);
	else
		zsv_fmt_bytes(buf, len, bytes);
}

static bool zsv_tenant_over(u64 used, u64 more, u64 max)
{
	u64 sum;

	if (!more)
		return false;	/* shrinking or unchanged is always allowed */
	return check_add_overflow(used, more, &sum) || sum > max;
}

/**
 * zsv_tenant_admit_locked() - may a tenant's usage grow by this much
 * @tenant: the tenant, or NULL (a slice without one: nothing to check)
 * @mem: bytes of partition added
 * @slices: slices added
 * @compute: cap x engines added
 * @extack: which limit a refusal broke, the usage and the ask
 *
 * Only growth is checked: a tenant over a lowered limit may still
 * shrink, and nothing it has is taken away. A refusal counts as a quota
 * hit of the tenant.
 * Return: 0, or -EDQUOT.
 */
int zsv_tenant_admit_locked(struct zsv_tenant *tenant, u64 mem, u64 slices,
			    u64 compute, struct netlink_ext_ack *extack)
{
	char used[24], max[24], asked[24];

	lockdep_assert_held(&zsv_lock);
	if (!tenant)
		return 0;

	if (zsv_tenant_over(tenant->slices, slices, tenant->slices_max)) {
		NL_SET_ERR_MSG_FMT(extack,
				   "tenant slice limit %llu: %llu in use ('%.40s')",
				   tenant->slices_max, tenant->slices,
				   tenant->name);
		goto refused;
	}
	if (zsv_tenant_over(tenant->mem, mem, tenant->mem_max)) {
		zsv_fmt_bytes(used, sizeof(used), tenant->mem);
		zsv_fmt_mem(max, sizeof(max), tenant->mem_max);
		zsv_fmt_bytes(asked, sizeof(asked), mem);
		NL_SET_ERR_MSG_FMT(extack,
				   "tenant memory limit %s: %s in use, %s more asked ('%.40s')",
				   max, used, asked, tenant->name);
		goto refused;
	}
	if (zsv_tenant_over(tenant->compute, compute, tenant->compute_max)) {
		zsv_fmt_compute(used, sizeof(used), tenant->compute);
		zsv_fmt_compute(max, sizeof(max), tenant->compute_max);
		zsv_fmt_compute(asked, sizeof(asked), compute);
		NL_SET_ERR_MSG_FMT(extack,
				   "tenant compute limit %s engines: %s in use, %s more asked ('%.40s')",
				   max, used, asked, tenant->name);
		goto refused;
	}
	return 0;

refused:
	tenant->quota_hits++;
	return -EDQUOT;
}

/**
 * zsv_tenant_attach_locked() - count a slice as a tenant's
 * @slice: the slice, in no tenant
 * @tenant: the tenant, or NULL to leave it in none
 *
 * Charges what the slice has now; the caller admitted it.
 */
void zsv_tenant_attach_locked(struct zsv_slice *slice,
			      struct zsv_tenant *tenant)
{
	lockdep_assert_held(&zsv_lock);
	WARN_ON(slice->tenant);
	if (!tenant)
		return;
	slice->tenant = tenant;
	list_add_tail(&slice->tenant_link, &tenant->slices_list);
	tenant->mem += slice->mem_bytes;
	tenant->slices++;
	tenant->compute += zsv_slice_compute(slice->pdev, slice->cap_pct);
}

/* Undo zsv_tenant_attach_locked(), with what the slice has now. */
void zsv_tenant_detach_locked(struct zsv_slice *slice)
{
	struct zsv_tenant *tenant = slice->tenant;

	lockdep_assert_held(&zsv_lock);
	if (!tenant)
		return;
	tenant->mem -= slice->mem_bytes;
	tenant->slices--;
	tenant->compute -= zsv_slice_compute(slice->pdev, slice->cap_pct);
	list_del(&slice->tenant_link);
	slice->tenant = NULL;
}

/**
 * zsv_tenant_resolve_locked() - the tenant a request names
 * @name: its name; "" for none
 * @extack: why it was not found
 *
 * Return: the tenant, NULL for "", or ERR_PTR(-ENOENT).
 */
struct zsv_tenant *zsv_tenant_resolve_locked(const char *name,
					     struct netlink_ext_ack *extack)
{
	struct zsv_tenant *tenant;

	lockdep_assert_held(&zsv_lock);
	if (!name[0])
		return NULL;
	tenant = zsv_tenant_find_by_name_locked(name);
	if (!tenant) {
		NL_SET_ERR_MSG_FMT(extack, "no tenant named '%.40s'", name);
		return ERR_PTR(-ENOENT);
	}
	return tenant;
}

/* What a tenant's slices use and did, summed when asked. */
void zsv_tenant_usage_locked(struct zsv_tenant *tenant, u64 *mem_used,
			     u64 *busy_ns)
{
	struct zsv_slice_stats st;
	struct zsv_slice *slice;

	lockdep_assert_held(&zsv_lock);
	*mem_used = 0;
	*busy_ns = 0;
	list_for_each_entry(slice, &tenant->slices_list, tenant_link) {
		zsv_sched_slice_stats(slice, &st);
		*mem_used += slice->mem_used_bytes;
		*busy_ns += st.busy_ns;
	}
}

static int zsv_tenant_check_config(const struct zsv_tenant_config *cfg,
				   struct netlink_ext_ack *extack)
{
	if ((cfg->set & BIT_ULL(ZSV_A_TENANT_WEIGHT)) &&
	    (cfg->weight < ZSV_WEIGHT_MIN || cfg->weight > ZSV_WEIGHT_MAX)) {
		NL_SET_ERR_MSG_FMT(extack, "tenant weight %u is not in %u..%u",
				   cfg->weight, ZSV_WEIGHT_MIN, ZSV_WEIGHT_MAX);
		return -EINVAL;
	}
	return 0;
}

static void zsv_tenant_apply(struct zsv_tenant *tenant,
			     const struct zsv_tenant_config *cfg)
{
	if (cfg->set & BIT_ULL(ZSV_A_TENANT_WEIGHT))
		tenant->weight = cfg->weight;
	if (cfg->set & BIT_ULL(ZSV_A_TENANT_MEM_MAX))
		tenant->mem_max = cfg->mem_max;
	if (cfg->set & BIT_ULL(ZSV_A_TENANT_SLICES_MAX))
		tenant->slices_max = cfg->slices_max;
	if (cfg->set & BIT_ULL(ZSV_A_TENANT_COMPUTE_MAX))
		tenant->compute_max = cfg->compute_max;
}

/**
 * zsv_tenant_new_locked() - make a tenant
 * @cfg: its name (required) and any limits (none by default)
 * @extack: the reason for a refusal
 *
 * Nothing is left behind when this fails.
 * Return: the tenant, or an ERR_PTR().
 */
struct zsv_tenant *zsv_tenant_new_locked(const struct zsv_tenant_config *cfg,
					 struct netlink_ext_ack *extack)
{
	struct zsv_tenant *tenant;
	u32 id;
	int err;

	lockdep_assert_held(&zsv_lock);

	if (!zsv_name_valid(cfg->name)) {
		NL_SET_ERR_MSG_FMT(extack,
				   "tenant name '%.20s' is not [a-z0-9][a-z0-9_.-]{0,62}",
				   cfg->name);
		return ERR_PTR(-EINVAL);
	}
	err = zsv_tenant_check_config(cfg, extack);
	if (err)
		return ERR_PTR(err);
	if (zsv_tenant_find_by_name_locked(cfg->name)) {
		NL_SET_ERR_MSG_FMT(extack, "a tenant named '%.40s' exists",
				   cfg->name);
		return ERR_PTR(-EEXIST);
	}
	if (zsv_tenant_count >= ZSV_TENANTS_MAX) {
		NL_SET_ERR_MSG_FMT(extack, "the host has the most tenants it can (%u)",
				   ZSV_TENANTS_MAX);
		return ERR_PTR(-ENOSPC);
	}

	tenant = kzalloc(sizeof(*tenant), GFP_KERNEL);
	if (!tenant)
		return ERR_PTR(-ENOMEM);
	strscpy(tenant->name, cfg->name, sizeof(tenant->name));
	INIT_LIST_HEAD(&tenant->slices_list);
	tenant->mem_max = ZSV_LIMIT_NONE;
	tenant->slices_max = ZSV_LIMIT_NONE;
	tenant->compute_max = ZSV_LIMIT_NONE;
	tenant->weight = ZSV_WEIGHT_DEFAULT;
	zsv_tenant_apply(tenant, cfg);

	err = xa_alloc_cyclic(&zsv_tenants, &id, NULL,
			      XA_LIMIT(0, ZSV_TENANTS_MAX * 16 - 1),
			      &zsv_tenant_next_id, GFP_KERNEL);
	if (err < 0)
		goto err_free;
	tenant->id = id;

	err = rhashtable_insert_fast(&zsv_tenant_names, &tenant->hash_node,
				     zsv_tenant_name_params);
	if (err)
		goto err_erase;

	/* Published. The slot is reserved, so this cannot fail. */
	WARN_ON(xa_err(xa_store(&zsv_tenants, id, tenant, GFP_KERNEL)));
	zsv_tenant_count++;
	zsv_event_locked(ZSV_EVENT_TENANT_NEW, tenant);
	return tenant;

err_erase:
	xa_erase(&zsv_tenants, id);
err_free:
	kfree(tenant);
	return ERR_PTR(err);
}

/**
 * zsv_tenant_set_locked() - change a tenant's limits or weight, live
 * @tenant: the tenant
 * @cfg: what to change
 * @extack: the reason for a refusal
 *
 * A limit below the usage is allowed and takes nothing away: later
 * growth is refused until the usage is under it again. A new weight
 * applies from the next dispatch on every pdev.
 * Return: 0, or -EINVAL for a weight out of range, with nothing changed.
 */
int zsv_tenant_set_locked(struct zsv_tenant *tenant,
			  const struct zsv_tenant_config *cfg,
			  struct netlink_ext_ack *extack)
{
	int err;

	lockdep_assert_held(&zsv_lock);
	err = zsv_tenant_check_config(cfg, extack);
	if (err)
		return err;
	zsv_tenant_apply(tenant, cfg);
	if (cfg->set & BIT_ULL(ZSV_A_TENANT_WEIGHT))
		zsv_sched_tenant_weight_locked(tenant);
	zsv_event_locked(ZSV_EVENT_TENANT_SET, tenant);
	return 0;
}

static void zsv_tenant_unpublish_locked(struct zsv_tenant *tenant)
{
	xa_erase(&zsv_tenants, tenant->id);
	rhashtable_remove_fast(&zsv_tenant_names, &tenant->hash_node,
			       zsv_tenant_name_params);
	zsv_tenant_count--;
}

/**
 * zsv_tenant_del_locked() - delete a tenant that has no slices
 * @tenant: the tenant
 * @extack: the reason for a refusal
 *
 * Return: 0, or -EBUSY while it has slices.
 */
int zsv_tenant_del_locked(struct zsv_tenant *tenant,
			  struct netlink_ext_ack *extack)
{
	lockdep_assert_held(&zsv_lock);
	if (tenant->slices) {
		NL_SET_ERR_MSG_FMT(extack,
				   "tenant '%.40s' has %llu slice(s); destroy them or move them to another tenant",
				   tenant->name, tenant->slices);
		return -EBUSY;
	}
	zsv_tenant_unpublish_locked(tenant);
	zsv_event_locked(ZSV_EVENT_TENANT_DEL, tenant);
	kfree(tenant);
	return 0;
}

int zsv_tenant_init(void)
{
	return rhashtable_init(&zsv_tenant_names, &zsv_tenant_name_params);
}

/* At unload every slice is gone, so no tenant has any. */
void zsv_tenant_exit(void)
{
	struct zsv_tenant *tenant;
	unsigned long index = 0;

	mutex_lock(&zsv_lock);
	while ((tenant = zsv_tenant_next_locked(&index))) {
		WARN_ON(!list_empty(&tenant->slices_list));
		zsv_tenant_unpublish_locked(tenant);
		kfree(tenant);
	}
	mutex_unlock(&zsv_lock);
	rhashtable_destroy(&zsv_tenant_names);
}
