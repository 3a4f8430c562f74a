// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsv: slice physical accelerators into isolated virtual accelerators.
 *
 * This is the core module. Backends (zsv_sim, and drivers for real
 * hardware) register pdevs with it; it owns the registry, sysfs class and
 * the generic netlink control plane.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <net/genetlink.h>

#include "version.h"
#include "zsv.h"

static int __init zsv_init(void)
{
	int err;

	zsv_event_init();
	err = zsv_pdev_init();
	if (err)
		goto err_pdev;

	err = zsv_cdev_init();
	if (err)
		goto err_cdev;

	err = zsv_slice_init();
	if (err)
		goto err_slice;

	err = zsv_tenant_init();
	if (err)
		goto err_tenant;

	err = zsv_netlink_init();
	if (err)
		goto err_netlink;

	pr_info("zsv %s loaded\n", ZSV_VERSION);
	return 0;

err_netlink:
	zsv_tenant_exit();
err_tenant:
	zsv_slice_exit();
err_slice:
	zsv_cdev_exit();
err_cdev:
	zsv_pdev_exit();
err_pdev:
	zsv_event_exit();
	return err;
}

/*
 * Backends import zsv's symbols, so the module loader refuses to unload
 * zsv while any backend is loaded; by then every pdev is gone.
 */
static void __exit zsv_exit(void)
{
	zsv_netlink_exit();
	zsv_job_exit();
	zsv_tenant_exit();
	zsv_slice_exit();
	zsv_cdev_exit();
	zsv_pdev_exit();
	zsv_event_exit();
	pr_info("zsv unloaded\n");
}

module_init(zsv_init);
module_exit(zsv_exit);
MODULE_DESCRIPTION("zsv: isolated virtual accelerators with kernel-enforced memory and time partitions");
MODULE_LICENSE("GPL");
MODULE_VERSION(ZSV_VERSION);
MODULE_ALIAS_GENL_FAMILY(ZSV_GENL_NAME);
