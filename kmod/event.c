// SPDX-License-Identifier: GPL-2.0-only
/*
 * Events: the one way the core tells its subscribers (netlink's monitor
 * group, zsv_mdev) that a pdev or slice came, changed or went.
 *
 * The chain is an SRCU notifier: calling it takes no lock, so the core
 * may call it with zsv_lock held, and registration (which waits for calls
 * in flight) never waits on zsv_lock. Each event says in enum zsv_event
 * whether it is sent with zsv_lock held, and so what a subscriber may do.
 */
#include <linux/export.h>
#include <linux/notifier.h>

#include "zsv.h"

static struct srcu_notifier_head zsv_notifier;

/**
 * zsv_notifier_register() - subscribe to the core's events
 * @nb: the subscriber; @nb->notifier_call gets an enum zsv_event and the
 *	struct zsv_pdev or struct zsv_slice it is about
 *
 * Return: 0 or a negative errno.
 */
int zsv_notifier_register(struct notifier_block *nb)
{
	return srcu_notifier_chain_register(&zsv_notifier, nb);
}
EXPORT_SYMBOL_GPL(zsv_notifier_register);

/* Returns once no call of @nb is in flight. */
void zsv_notifier_unregister(struct notifier_block *nb)
{
	srcu_notifier_chain_unregister(&zsv_notifier, nb);
}
EXPORT_SYMBOL_GPL(zsv_notifier_unregister);

/* Send an event of the kinds sent under zsv_lock. */
void zsv_event_locked(enum zsv_event event, void *object)
{
	lockdep_assert_held(&zsv_lock);
	srcu_notifier_call_chain(&zsv_notifier, event, object);
}

/* Send an event of the kinds sent without zsv_lock. */
void zsv_event_unlocked(enum zsv_event event, void *object)
{
	lockdep_assert_not_held(&zsv_lock);
	srcu_notifier_call_chain(&zsv_notifier, event, object);
}

void zsv_event_init(void)
{
	srcu_init_notifier_head(&zsv_notifier);
}

void zsv_event_exit(void)
{
	srcu_cleanup_notifier_head(&zsv_notifier);
}
