/* SPDX-License-Identifier: GPL-2.0-only */
/* Release version; Kbuild overrides it with `git describe` in a checkout. */
#ifndef ZSV_VERSION
#define ZSV_VERSION "0.1.0"
#endif
