/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Differences between the kernels zsv supports (6.1 to 6.12 and later).
 *
 * Every difference is detected from the target kernel's headers by
 * compat/probe.sh, which Kbuild runs; the resulting ZSV_COMPAT_* macros are
 * used here and only here. The rest of zsv is written against the newest
 * API and never tests a version number.
 */
#ifndef _ZSV_COMPAT_H
#define _ZSV_COMPAT_H

#include <linux/device.h>
#include <linux/mm.h>
#include <linux/netlink.h>
#include <net/genetlink.h>

/* Device argument of struct device_type's uevent callback. */
#ifdef ZSV_COMPAT_UEVENT_CONST_DEVICE
#define zsv_uevent_device const struct device
#else
#define zsv_uevent_device struct device
#endif

/* Device argument of struct device_type's devnode callback. */
#ifdef ZSV_COMPAT_DEVNODE_CONST_DEVICE
#define zsv_devnode_device const struct device
#else
#define zsv_devnode_device struct device
#endif

#ifndef ZSV_COMPAT_HAVE_EXTACK_FMT
/*
 * Kernels without formatted extack messages keep only a pointer to a
 * string that must outlive the request. Format into one slot of a small
 * ring instead; a slot is reused only after ZSV_EXTACK_RING further
 * rejections, far more than can happen between formatting a message and
 * the ack that carries it.
 */
#define ZSV_EXTACK_RING		32
#define ZSV_EXTACK_MSG_LEN	80
const char *zsv_extack_fmt(const char *fmt, ...) __printf(1, 2);

#define NL_SET_ERR_MSG_ATTR_FMT(extack, attr, fmt, args...) do {	\
	struct netlink_ext_ack *__extack = (extack);			\
									\
	if (__extack) {							\
		__extack->_msg = zsv_extack_fmt(fmt, ##args);		\
		__extack->bad_attr = (attr);				\
	}								\
} while (0)
#define NL_SET_ERR_MSG_FMT(extack, fmt, args...) \
	NL_SET_ERR_MSG_ATTR_FMT(extack, NULL, fmt, ##args)
#endif

/* The attributes of a dump request, parsed by the operation's policy. */
static inline struct nlattr **zsv_dump_attrs(struct netlink_callback *cb)
{
#ifdef ZSV_COMPAT_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

#ifndef ZSV_COMPAT_HAVE_VM_FLAGS_SET
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}

static inline void vm_flags_clear(struct vm_area_struct *vma,
				  vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

/* The INTx flag of pci_alloc_irq_vectors(); needs linux/pci.h where used. */
#ifndef ZSV_COMPAT_HAVE_PCI_IRQ_INTX
#define PCI_IRQ_INTX PCI_IRQ_LEGACY
#endif

#endif /* _ZSV_COMPAT_H */
