# SPDX-License-Identifier: GPL-2.0-only
#
# zsv top-level Makefile.
#
#   make               build zsv.ko and zsv_sim.ko for one kernel, libzsv and zsvctl
#   make demo          boot the test VM and show zsv carving its sim devices
#   make bench         boot the test VM and run zsv-bench (BENCH_ARGS=...;
#                      BASE=REV: REV's modules and these, side by side)
#   make check         build for every supported kernel and run all tests
#   make check-debug   the VM suites on a debug kernel (KASAN, lockdep, ...)
#   make check-fresh   make demo in a fresh Debian 12 root, as a newcomer
#   make lint          checkpatch.pl --strict and sparse on the kernel code
#   make install       install the userspace, the mdevctl udev rule and
#                      zsv.service (modules go through DKMS)
#
# The kernel comes from KERNELRELEASE or KDIR. Without them, the running
# kernel is used when its headers are installed, else the newest kernel
# under /lib/modules that has headers (the build says which). KERNELS (for
# make check, lint) defaults to every supported kernel installed.
#
# Kernels are picked by scripts/kernels when a recipe runs, never when this
# file is parsed: on a fresh machine `deps` installs them first.

SHELL := /bin/bash
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD := $(TOP)/build
PICK_KERNEL := KERNELRELEASE='$(KERNELRELEASE)' KDIR='$(KDIR)' $(TOP)/scripts/kernels --build

# Kernel sources for the module; copied per kernel so builds do not clash.
KSRC := Kbuild $(wildcard kmod/*.[ch] kmod/*/*.[ch] kmod/compat/*.sh) \
	uapi/linux/zsv.h $(wildcard tests/modules/*.c)

# Tools from Debian's linux-source-6.12, extracted at build time.
LINUX_SOURCE_TAR = $(firstword $(wildcard /usr/src/linux-source-6.12.tar.*))
LSRC := $(BUILD)/linux-source-6.12
LSRC_STAMP := $(LSRC)/.extracted

.PHONY: all modules modules-all userspace tests deps deps-demo demo check lint \
	install clean help FORCE

all: deps
	@$(MAKE) --no-print-directory modules userspace tests

help:
	@sed -n '3,22p' $(TOP)/Makefile | sed 's/^# \{0,1\}//'

deps:
	@$(TOP)/scripts/deps.sh

# What the demo needs, and no more: a newcomer's first command stays short.
deps-demo:
	@$(TOP)/scripts/deps.sh --demo

# --- kernel modules ------------------------------------------------------

# build-modules KVER=RELEASE: the modules for one kernel, in build/RELEASE.
KVER_KDIR = $(if $(KDIR),$(KDIR),/lib/modules/$(KVER)/build)
.PHONY: build-modules
build-modules:
	@test -n "$(KVER)" || { echo "zsv: build-modules needs KVER=RELEASE" >&2; exit 1; }
	@test -e $(KVER_KDIR)/Makefile || \
		{ echo "zsv: no headers for kernel $(KVER) (apt-get install linux-headers-$(KVER))" >&2; exit 1; }
	@mkdir -p $(BUILD)/$(KVER)
	@cd $(TOP) && for f in $(KSRC); do mkdir -p $(BUILD)/$(KVER)/$$(dirname $$f); \
		cmp -s $$f $(BUILD)/$(KVER)/$$f || cp -p $$f $(BUILD)/$(KVER)/$$f; done
	$(MAKE) -C $(KVER_KDIR) M=$(BUILD)/$(KVER) W=1 ZSV_TEST_MODULES=1 modules

modules:
	@release=$$($(PICK_KERNEL)) && \
		$(MAKE) --no-print-directory build-modules KVER=$$release

modules-all:
	@kernels="$(KERNELS)"; kernels=$${kernels:-$$($(TOP)/scripts/kernels)}; \
	test -n "$$kernels" || { echo "zsv: no kernel with headers and an image; run 'make deps'" >&2; exit 1; }; \
	for k in $$kernels; do $(MAKE) --no-print-directory build-modules KVER=$$k || exit; done

# --- userspace -----------------------------------------------------------

userspace:
	$(MAKE) -C userspace
	$(MAKE) -C userspace/bench

$(LSRC_STAMP):
	@test -n "$(LINUX_SOURCE_TAR)" || \
		{ echo "zsv: /usr/src/linux-source-6.12.tar.* not found; run 'make deps'" >&2; exit 1; }
	@echo "  EXTRACT $(notdir $(LINUX_SOURCE_TAR)) (kselftest harness, checkpatch, YNL)"
	@rm -rf $(LSRC) && mkdir -p $(BUILD)
	@tar -C $(BUILD) -xf $(LINUX_SOURCE_TAR) --wildcards \
		'linux-source-6.12/tools/testing/selftests/kselftest*' \
		'linux-source-6.12/scripts/checkpatch.pl' \
		'linux-source-6.12/scripts/spelling.txt' \
		'linux-source-6.12/scripts/const_structs.checkpatch' \
		'linux-source-6.12/tools/net/ynl/*' \
		'linux-source-6.12/Documentation/netlink/*' \
		'linux-source-6.12/.clang-format'
	@touch $@

tests: userspace $(LSRC_STAMP)
	$(MAKE) -C tests/selftests KSFT_DIR=$(LSRC)/tools/testing/selftests
	$(MAKE) -C tests/mdev KSFT_DIR=$(LSRC)/tools/testing/selftests
	$(MAKE) -C tests/nested
	$(MAKE) -C tests/unit KSFT_DIR=$(LSRC)/tools/testing/selftests
	$(MAKE) -C tests/fuzz all libfuzzer
	$(MAKE) -C tests/stress
	$(MAKE) -C tests/faults
	$(TOP)/tests/cdi/build >/dev/null
	$(MAKE) -C tests/containers

# --- running -------------------------------------------------------------

demo: deps-demo
	@mkdir -p $(BUILD)
	@release=$$($(PICK_KERNEL)) && \
	{ { $(MAKE) --no-print-directory build-modules userspace KVER=$$release && \
	    $(MAKE) -C tests/containers; } \
		>$(BUILD)/demo-build.log 2>&1 || { cat $(BUILD)/demo-build.log; exit 1; }; } && \
	$(TOP)/tests/demo --kernel $$release

# The suites on a debug kernel (KASAN, lockdep, kmemleak, fault injection),
# built once per machine and cached under /var/cache/zsv.
.PHONY: check-debug
check-debug: deps
	@$(MAKE) --no-print-directory userspace tests
	@$(TOP)/tests/check --debug

# The newcomer's path: `make demo` on the first try, in a fresh Debian 12
# root that has only git and make, from a clone under a 0700 directory.
.PHONY: check-fresh
check-fresh:
	@$(TOP)/tests/check --fresh

check: deps
	@$(MAKE) --no-print-directory modules-all userspace tests
	@KERNELS="$(KERNELS)" LSRC="$(LSRC)" $(TOP)/tests/check

# The nested test alone: a guest runs zsv_pci on an mdev (make check runs
# it too, on the newest kernel).
.PHONY: check-nested
check-nested: deps
	@$(MAKE) --no-print-directory modules-all userspace tests
	@KERNELS="$(KERNELS)" LSRC="$(LSRC)" $(TOP)/tests/check --nested

# zsv-bench in the VM; BENCH_ARGS go to it (default: churn, share, overhead,
# latency, vfio, churn --mdev and place, one after the other). BASE=REV:
# the headline figures of commit REV's modules and this tree's, measured
# in turn in one VM, side by side (tests/bench --base).
.PHONY: bench
bench: deps
	@mkdir -p $(BUILD)
	@release=$$($(PICK_KERNEL)) && \
	{ $(MAKE) --no-print-directory build-modules userspace KVER=$$release \
		>$(BUILD)/bench-build.log 2>&1 || { cat $(BUILD)/bench-build.log; exit 1; }; } && \
	$(TOP)/tests/bench $(if $(BASE),--base '$(BASE)') --kernel $$release \
		$(if $(BENCH_ARGS),-- $(BENCH_ARGS))

lint: $(LSRC_STAMP)
	@KERNELS="$(KERNELS)" LSRC="$(LSRC)" $(TOP)/tests/lint

# mdevctl's directories and zsv's udev rule for it (Documentation/vms.rst):
# mdevctl refuses every command while scripts.d/callouts or notifiers is
# missing, and Debian's mdevctl 1.2.0 is /usr/bin/mdevctl, which its own
# udev rule does not run, so devices defined with --auto never start.
UDEVRULESDIR ?= /etc/udev/rules.d
# zsv-cdi.service keeps the CDI spec current (Documentation/containers.rst);
# its ExecStart names zsvctl where userspace/Makefile installs it.
SYSTEMDUNITDIR ?= $(or $(shell pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null),/lib/systemd/system)
ZSVCTL_SBINDIR = $(or $(SBINDIR),$(or $(PREFIX),/usr/local)/sbin)

install: userspace
	$(MAKE) -C userspace install
	install -d $(DESTDIR)/etc/mdevctl.d/scripts.d/callouts \
		$(DESTDIR)/etc/mdevctl.d/scripts.d/notifiers $(DESTDIR)$(UDEVRULESDIR)
	install -m 0644 $(TOP)/scripts/udev/61-zsv-mdevctl.rules \
		$(DESTDIR)$(UDEVRULESDIR)/61-zsv-mdevctl.rules
	$(MAKE) --no-print-directory install-systemd

# The systemd units (scripts/systemd/): zsv.service applies /etc/zsv/zsv.json
# at boot, zsv-cdi.service keeps the CDI spec current; zsvctl's installed
# path goes into their ExecStart.
.PHONY: install-systemd
install-systemd:
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	for unit in zsv.service zsv-cdi.service; do \
		sed 's|/usr/local/sbin/zsvctl|$(ZSVCTL_SBINDIR)/zsvctl|' \
			$(TOP)/scripts/systemd/$$unit \
			>$(DESTDIR)$(SYSTEMDUNITDIR)/$$unit && \
		chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/$$unit || exit 1; \
	done

clean:
	rm -rf $(BUILD)
	$(MAKE) -C userspace clean
	$(MAKE) -C userspace/bench clean
	-$(MAKE) -C tests/selftests clean
	-$(MAKE) -C tests/mdev clean
	-$(MAKE) -C tests/nested clean
	-$(MAKE) -C tests/unit clean
	-$(MAKE) -C tests/fuzz clean
	-$(MAKE) -C tests/stress clean
	-$(MAKE) -C tests/faults clean
	-$(MAKE) -C tests/containers clean
