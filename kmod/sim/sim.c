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
 *   mem      memory of each pdev, with K/M/G/T/P suffixes (default 16G)
 *   engines  engines of each pdev (1 to 64, default 4)
 *
 * Memory is never allocated up front, so a sim pdev may be larger than the
 * machine it runs on.
 */
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/module.h>
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

static const struct zsv_backend zsv_sim_backend = {
	.name = "sim",
	.owner = THIS_MODULE,
};

static struct zsv_pdev *zsv_sim_pdevs[ZSV_SIM_DEVICES_MAX];
static unsigned int zsv_sim_count;

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

static void zsv_sim_remove_all(void)
{
	while (zsv_sim_count)
		zsv_pdev_unregister(zsv_sim_pdevs[--zsv_sim_count]);
}

static int __init zsv_sim_init(void)
{
	struct zsv_pdev_desc desc = {};
	struct zsv_pdev *pdev;
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

	while (zsv_sim_count < devices) {
		pdev = zsv_pdev_register(&zsv_sim_backend, &desc);
		if (IS_ERR(pdev)) {
			err = PTR_ERR(pdev);
			pr_err("cannot register sim device %u: %d\n",
			       zsv_sim_count, err);
			zsv_sim_remove_all();
			return err;
		}
		zsv_sim_pdevs[zsv_sim_count++] = pdev;
	}

	pr_info("%u device(s), %llu bytes and %u engines each\n", devices,
		desc.mem_bytes, engines);
	return 0;
}

static void __exit zsv_sim_exit(void)
{
	zsv_sim_remove_all();
}

module_init(zsv_sim_init);
module_exit(zsv_sim_exit);
MODULE_DESCRIPTION("zsv_sim: software backend for zsv");
MODULE_LICENSE("GPL");
