# SPDX-License-Identifier: GPL-2.0-only
#
# zsv top-level Makefile.
#
#   make               build zsv.ko and zsv_sim.ko for one kernel, libzsv and zsvctl
#   make demo          boot the test VM and show zsv carving its sim devices
#   make bench         boot the test VM and run zsv-bench (BENCH_ARGS=...)
#   make check         build for every supported kernel and run all tests
#   make check-debug   the VM suites on a debug kernel (KASAN, lockdep, ...)
#   make lint          checkpatch.pl --strict and sparse on the kernel code
#   make install       install the userspace (modules go through DKMS)
#
# The kernel comes from KERNELRELEASE or KDIR. Without them, the running
# kernel is used when its headers are installed, else the newest kernel
# under /lib/modules that has headers (the build says which).

SHELL := /bin/bash
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD := $(TOP)/build

# All kernels with headers and an image the test VM can boot, oldest first,
# but the debug kernel of check-debug, which is used only there.
KERNELS_AVAILABLE := $(shell for d in /lib/modules/*/; do r=$$(basename $$d); \
	[ "$${r%-zsv-debug}" = "$$r" ] || continue; \
	[ -e $$d/build/Makefile ] && [ -e /boot/vmlinuz-$$r ] && echo $$r; done | sort -V)
KERNELS ?= $(KERNELS_AVAILABLE)

ifneq ($(KDIR),)
KERNELRELEASE ?= $(shell $(MAKE) -s -C $(KDIR) kernelrelease 2>/dev/null)
else
ifeq ($(KERNELRELEASE),)
KERNELRELEASE := $(shell r=$$(uname -r); [ -e /lib/modules/$$r/build/Makefile ] && echo $$r)
ifeq ($(KERNELRELEASE),)
KERNELRELEASE := $(lastword $(KERNELS_AVAILABLE))
KERNEL_PICKED := 1
endif
endif
KDIR := /lib/modules/$(KERNELRELEASE)/build
endif

# Kernel sources for the module; copied per kernel so builds do not clash.
KSRC := Kbuild $(wildcard kmod/*.[ch] kmod/*/*.[ch] kmod/compat/*.sh) \
	uapi/linux/zsv.h $(wildcard tests/modules/*.c)

# Tools from Debian's linux-source-6.12, extracted at build time.
LINUX_SOURCE_TAR := $(firstword $(wildcard /usr/src/linux-source-6.12.tar.*))
LSRC := $(BUILD)/linux-source-6.12
LSRC_STAMP := $(LSRC)/.extracted

.PHONY: all modules modules-all userspace tests deps demo check lint \
	install clean help FORCE

all: modules userspace tests

help:
	@sed -n '3,15p' $(TOP)/Makefile | sed 's/^# \{0,1\}//'

deps:
	@$(TOP)/scripts/deps.sh

# --- kernel modules ------------------------------------------------------

define build-modules
	@test -e /lib/modules/$(1)/build/Makefile || \
		{ echo "zsv: no headers for kernel $(1) (apt-get install linux-headers-$(1))" >&2; exit 1; }
	@mkdir -p $(BUILD)/$(1)
	@cd $(TOP) && for f in $(KSRC); do mkdir -p $(BUILD)/$(1)/$$(dirname $$f); \
		cmp -s $$f $(BUILD)/$(1)/$$f || cp -p $$f $(BUILD)/$(1)/$$f; done
	$(MAKE) -C /lib/modules/$(1)/build M=$(BUILD)/$(1) W=1 ZSV_TEST_MODULES=1 modules
endef

modules:
ifeq ($(KERNELRELEASE),)
	@echo "zsv: no kernel headers found; run 'make deps' or set KDIR" >&2; exit 1
endif
ifdef KERNEL_PICKED
	@echo "zsv: running kernel $$(uname -r) has no headers; building for $(KERNELRELEASE)"
endif
	$(call build-modules,$(KERNELRELEASE))

modules-all:
	@for k in $(KERNELS); do $(MAKE) --no-print-directory modules KERNELRELEASE=$$k || exit; done

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
	$(MAKE) -C tests/unit KSFT_DIR=$(LSRC)/tools/testing/selftests
	$(MAKE) -C tests/fuzz all libfuzzer
	$(MAKE) -C tests/stress
	$(MAKE) -C tests/faults

# --- running -------------------------------------------------------------

demo: deps
	@mkdir -p $(BUILD)
	@$(MAKE) --no-print-directory modules userspace >$(BUILD)/demo-build.log 2>&1 || \
		{ mkdir -p $(BUILD); cat $(BUILD)/demo-build.log; exit 1; }
	@$(TOP)/tests/demo --kernel $(KERNELRELEASE)

# The suites on a debug kernel (KASAN, lockdep, kmemleak, fault injection),
# built once per machine and cached under /var/cache/zsv.
.PHONY: check-debug
check-debug: deps
	@$(MAKE) --no-print-directory userspace tests
	@$(TOP)/tests/check --debug

check: deps
	@$(MAKE) --no-print-directory modules-all userspace tests
	@KERNELS="$(KERNELS)" LSRC="$(LSRC)" $(TOP)/tests/check

# zsv-bench in the VM; BENCH_ARGS go to it (default: churn, share, overhead
# and latency, one after the other).
.PHONY: bench
bench: deps
	@mkdir -p $(BUILD)
	@$(MAKE) --no-print-directory modules userspace >$(BUILD)/bench-build.log 2>&1 || \
		{ cat $(BUILD)/bench-build.log; exit 1; }
	@$(TOP)/tests/bench --kernel $(KERNELRELEASE) $(if $(BENCH_ARGS),-- $(BENCH_ARGS))

lint: $(LSRC_STAMP)
	@KERNELS="$(KERNELS)" LSRC="$(LSRC)" $(TOP)/tests/lint

install: userspace
	$(MAKE) -C userspace install

clean:
	rm -rf $(BUILD)
	$(MAKE) -C userspace clean
	$(MAKE) -C userspace/bench clean
	-$(MAKE) -C tests/selftests clean
	-$(MAKE) -C tests/unit clean
	-$(MAKE) -C tests/fuzz clean
	-$(MAKE) -C tests/stress clean
	-$(MAKE) -C tests/faults clean
