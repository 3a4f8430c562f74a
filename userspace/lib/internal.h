/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers shared by libzsv's files that do not depend on netlink; the
 * pure helpers (units.c, name.c, policy.c) build with this alone.
 */
#ifndef LIBZSV_INTERNAL_H
#define LIBZSV_INTERNAL_H

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* LIBZSV_INTERNAL_H */
