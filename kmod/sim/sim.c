// SPDX-License-Identifier: GPL-2.0-only
/*
 * DOC: zsv_sim
 *
 * zsv_sim is a software backend for zsv, as vkms is for DRM: it registers
 * pdevs that exist only in memory, so that everything above the backend
 * interface (slices, scheduling, the control and data planes, mdev) can be
 * run and tested on any machine. Its module parameters describe the pdevs
 * created at load time:
 *
 *   devices  number of pdevs (0 to 64, default 1)
 *   mem      memory of each pdev, with K/M/G/T/P/E suffixes (default 16G)
 *   engines  engines of each pdev (1 to 64, default 4)
 *
 * More can be added and removed at run time with dev-new and dev-del
 * (`zsvctl dev add`, `zsvctl dev del`). Memory is never allocated up
 * front, so a sim pdev may be larger than the machine it runs on.
 */
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../zsv_backend.h"

#define ZSV_SIM_DEVICES_MAX	64

static unsigned int devices = 1;
module_param(devices, uint, 0444);
MODULE_PARM_DESC(devices, "Number of sim pdevs to create (0-64, default 1)");

static char *mem = "16G";
module_param(mem, charp, 0444);
MODULE_PARM_DESC(mem, "Memory of each sim pdev, e.g. 512M, 16G (default 16G)");

static unsigned int engines = 4;
module_param(engines, uint, 0444);
MODULE_PARM_DESC(engines, "Engines of each sim pdev (1-64, default 4)");

/**
 * struct zsv_sim_dev - one simulated accelerator
 * @pdev: its registration with the core
 * @link: in zsv_sim_devs
 */
struct zsv_sim_dev {
	struct zsv_pdev *pdev;
	struct list_head link;
};

/* Every sim pdev; zsv_sim_lock. */
static LIST_HEAD(zsv_sim_devs);
static DEFINE_MUTEX(zsv_sim_lock);

static int zsv_sim_dev_new(const struct zsv_pdev_desc *desc);
static int zsv_sim_dev_del(struct zsv_pdev *pdev);

static const struct zsv_backend_ops zsv_sim_ops = {
	.dev_new = zsv_sim_dev_new,
	.dev_del = zsv_sim_dev_del,
};

static struct zsv_backend zsv_sim_backend = {
	.name = "sim",
	.owner = THIS_MODULE,
	.ops = &zsv_sim_ops,
};

/*
 * Parse a size such as "16G", "512M", "4096" or "1T" (binary units). Unlike
 * memparse() this rejects trailing garbage, zero and overflow.
 */
static int zsv_sim_parse_size(const char *str, u64 *bytes)
{
	static const char suffixes[] = "KMGTPE";
	char digits[24];
	unsigned int shift = 0;
	const char *unit;
	size_t len;
	u64 value;
	int err;

	len = strlen(str);
	if (len && str[len - 1] == '\n')
		len--;
	if (!len || len >= sizeof(digits))
		return -EINVAL;
	memcpy(digits, str, len);
	digits[len] = '\0';

	unit = strchr(suffixes, toupper(digits[len - 1]));
	if (unit) {
		shift = 10 * (unit - suffixes + 1);
		digits[--len] = '\0';
	}

	err = kstrtou64(digits, 10, &value);
	if (err)
		return err;
	if (!value)
		return -EINVAL;
	if (check_shl_overflow(value, shift, bytes))
		return -ERANGE;
	return 0;
}

/* Return: the new pdev's id, read before anyone can remove it, or -errno. */
static int zsv_sim_dev_new(const struct zsv_pdev_desc *desc)
{
	struct zsv_pdev_desc d = *desc;
	struct zsv_sim_dev *sim;
	struct zsv_pdev *pdev;
	int id;

	sim = kzalloc(sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return -ENOMEM;
	d.priv = sim;

	mutex_lock(&zsv_sim_lock);
	pdev = zsv_pdev_register(&zsv_sim_backend, &d);
	if (IS_ERR(pdev)) {
		mutex_unlock(&zsv_sim_lock);
		kfree(sim);
		return PTR_ERR(pdev);
	}
	sim->pdev = pdev;
	list_add_tail(&sim->link, &zsv_sim_devs);
	id = zsv_pdev_id(pdev);
	mutex_unlock(&zsv_sim_lock);
	return id;
}

static void zsv_sim_dev_free_locked(struct zsv_sim_dev *sim)
{
	lockdep_assert_held(&zsv_sim_lock);
	list_del(&sim->link);
	zsv_pdev_unregister(sim->pdev);
	kfree(sim);
}

static int zsv_sim_dev_del(struct zsv_pdev *pdev)
{
	mutex_lock(&zsv_sim_lock);
	zsv_sim_dev_free_locked(zsv_pdev_priv(pdev));
	mutex_unlock(&zsv_sim_lock);
	return 0;
}

static void zsv_sim_remove_all(void)
{
	mutex_lock(&zsv_sim_lock);
	while (!list_empty(&zsv_sim_devs))
		zsv_sim_dev_free_locked(list_first_entry(&zsv_sim_devs,
							 struct zsv_sim_dev,
							 link));
	mutex_unlock(&zsv_sim_lock);
}

static int __init zsv_sim_init(void)
{
	struct zsv_pdev_desc desc = {};
	unsigned int i;
	int err;

	if (devices > ZSV_SIM_DEVICES_MAX) {
		pr_err("devices=%u is out of range (0-%u)\n", devices,
		       ZSV_SIM_DEVICES_MAX);
		return -EINVAL;
	}
	if (!engines || engines > ZSV_ENGINES_MAX) {
		pr_err("engines=%u is out of range (1-%u)\n", engines,
		       ZSV_ENGINES_MAX);
		return -EINVAL;
	}
	err = zsv_sim_parse_size(mem, &desc.mem_bytes);
	if (err) {
		pr_err("mem=%s is not a valid size (a positive number of bytes with an optional K, M, G, T, P or E suffix, below 16E)\n",
		       mem);
		return -EINVAL;
	}
	desc.engines = engines;

	err = zsv_backend_register(&zsv_sim_backend);
	if (err) {
		pr_err("cannot register the sim backend: %d\n", err);
		return err;
	}

	for (i = 0; i < devices; i++) {
		err = zsv_sim_dev_new(&desc);
		if (err < 0) {
			pr_err("cannot register sim device %u: %d\n", i, err);
			goto err_remove;
		}
	}

	pr_info("%u device(s), %llu bytes and %u engines each\n", devices,
		desc.mem_bytes, engines);
	return 0;

err_remove:
	zsv_sim_remove_all();
	zsv_backend_unregister(&zsv_sim_backend);
	return err;
}

/* The module cannot unload while slices exist: each holds a reference. */
static void __exit zsv_sim_exit(void)
{
	zsv_backend_unregister(&zsv_sim_backend);
	zsv_sim_remove_all();
}

module_init(zsv_sim_init);
module_exit(zsv_sim_exit);
MODULE_DESCRIPTION("zsv_sim: software backend for zsv");
MODULE_LICENSE("GPL");
