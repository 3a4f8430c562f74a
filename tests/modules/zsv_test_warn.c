// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test-only module: WARNs as it loads, so the VM runner's tests can check
 * that a kernel warning in the guest fails the run. Never installed.
 */
#include <linux/bug.h>
#include <linux/init.h>
#include <linux/module.h>

static int __init zsv_test_warn_init(void)
{
	WARN(1, "zsv_test_warn: deliberate warning\n");
	return 0;
}

static void __exit zsv_test_warn_exit(void)
{
}

module_init(zsv_test_warn_init);
module_exit(zsv_test_warn_exit);
MODULE_DESCRIPTION("zsv test module that warns on load");
MODULE_LICENSE("GPL");
