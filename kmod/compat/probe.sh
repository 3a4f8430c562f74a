#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Probe the target kernel's headers for the features zsv needs and print
# the matching -D flags for kmod/compat.h. Features are detected from the
# headers themselves, never from version numbers, so distribution kernels
# with backports get the right answer.
#
# Usage: probe.sh SRCTREE [OBJTREE]

find_header()
{
	for dir in "$@"; do
		if [ -f "$dir/include/$hdr" ]; then
			echo "$dir/include/$hdr"
			return
		fi
	done
}

has()
{
	hdr=$1
	pattern=$2
	file=$(find_header "$SRCTREE" "$OBJTREE")
	[ -n "$file" ] && grep -Eq "$pattern" "$file"
}

SRCTREE=$1
OBJTREE=${2:-$1}

# 6.2 made the device argument of uevent callbacks const.
if has linux/device.h 'int \(\*uevent\)\(const struct device \*'; then
	echo -DZSV_COMPAT_UEVENT_CONST_DEVICE
fi

# 6.2 made the device argument of device_type's devnode callback const.
if has linux/device.h 'char \*\(\*devnode\)\(const struct device \*'; then
	echo -DZSV_COMPAT_DEVNODE_CONST_DEVICE
fi

# 6.2 added formatted extended-ack messages.
if has linux/netlink.h 'define NL_SET_ERR_MSG_FMT\('; then
	echo -DZSV_COMPAT_HAVE_EXTACK_FMT
fi

# 6.6 moved the parsed attributes of a dump into a struct genl_info.
if has net/genetlink.h 'genl_info_dump\(struct netlink_callback'; then
	echo -DZSV_COMPAT_HAVE_GENL_INFO_DUMP
fi

# 6.3 made vma->vm_flags read-only behind vm_flags_set().
if has linux/mm.h 'static inline void vm_flags_set\('; then
	echo -DZSV_COMPAT_HAVE_VM_FLAGS_SET
fi

# 6.8 renamed PCI_IRQ_LEGACY to PCI_IRQ_INTX (zsv_pci).
if has linux/pci.h '#define PCI_IRQ_INTX'; then
	echo -DZSV_COMPAT_HAVE_PCI_IRQ_INTX
fi

# The rest is for zsv_mdev (VFIO); kernels without VFIO headers skip it.
# 6.2 added iommufd to VFIO: emulated-IOMMU devices fill in its four ops.
if has linux/vfio.h 'int[[:space:]]+\(\*bind_iommufd\)'; then
	echo -DZSV_COMPAT_HAVE_VFIO_IOMMUFD
fi
if has linux/vfio.h 'void[[:space:]]+\(\*detach_ioas\)'; then
	echo -DZSV_COMPAT_HAVE_VFIO_DETACH_IOAS
fi

# Until 6.2 a vfio_device's release op had to free the device itself.
if has linux/vfio.h 'void vfio_free_device\('; then
	echo -DZSV_COMPAT_VFIO_RELEASE_FREES
fi

# 6.8 dropped the count argument of eventfd_signal().
if has linux/eventfd.h 'void eventfd_signal\(struct eventfd_ctx \*ctx\)'; then
	echo -DZSV_COMPAT_EVENTFD_SIGNAL_NO_COUNT
fi
