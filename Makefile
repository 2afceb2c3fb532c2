# SPDX-License-Identifier: GPL-2.0
# nktools: make [V=1] | check | test | demo | bench | install | clean | distclean | help

VERSION := 0.1.0
-include config.mk

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

PREFIX ?= /usr/local
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
CNIDIR ?= $(PREFIX)/lib/cni

# CFLAGS, CPPFLAGS, LDFLAGS and LDLIBS are the user's: what the build needs is kept
# apart (NK_*), so that "make CFLAGS=-O0" still builds. SAN: sanitizer
# flags for compiling and linking (see "make sanitize").
CFLAGS ?= -O2 -g
NK_CFLAGS := -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wmissing-prototypes \
	  -D_GNU_SOURCE -DNK_VERSION='"$(VERSION)"' -Ilib -Ibpf -Ibpf/.out $(CFLAGS_DEPS)
SAN ?=
DEPFLAGS = -MMD -MP
# $(call link): link $@ from its prerequisites
link = $(call msg,LINK,$@)$(CC) $(LDFLAGS) $(SAN) -o $@ $^ $(LDLIBS) $(LDLIBS_DEPS)

TOOLS := nkctl/nkctl tcxctl/tcxctl sockreap/sockreap
CNI_PLUGIN := cni/nktools
all:

include bpf/bpf.mk
include lib/lib.mk
include nkctl/nkctl.mk
include tcxctl/tcxctl.mk
include sockreap/sockreap.mk
include cni/cni.mk
include testsuite/unit/unit.mk
include testsuite/fuzz/fuzz.mk

all: $(TOOLS) $(CNI_PLUGIN) $(BPF_TEST_OBJS) $(TEST_HELPERS)

# every object is rebuilt when the configuration changes
$(ALL_OBJS): config.mk Makefile

%.o: %.c
	$(call msg,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) $(NK_CFLAGS) $(SAN) $(DEPFLAGS) -c -o $@ $<

config.mk:
	@echo "config.mk is missing: run ./configure first" >&2; exit 1

MANPAGES := $(wildcard man/man8/*.8)

# check: the offline tests, then again under ASan+UBSan, then a short fuzz run
check: check-offline sanitize fuzz-check

# unit: the C unit tests alone (what the Debian package build runs)
unit: all $(UNIT_TESTS)
	$(call msg,TEST,unit)for t in $(UNIT_TESTS); do $$t || exit 1; done

check-offline: unit
	$(call msg,LINT,man)for m in $(MANPAGES); do \
		out=$$(LC_ALL=C.UTF-8 MANWIDTH=80 mandoc -Tlint -W warning $$m 2>&1); \
		[ -z "$$out" ] || { echo "$$out"; exit 1; }; done
	$(Q)bats testsuite/offline.bats

# The same offline tests built with AddressSanitizer and UBSan, in a copy of
# the tree ($(SAN_DIR)), so that the tools here stay as they are; made anew
# each time, so that a file removed or renamed here is gone there too.
SAN_DIR := .san
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
sanitize: all
	$(call msg,SAN,$(SAN_DIR))rm -rf $(SAN_DIR) && mkdir -p $(SAN_DIR) && \
		tar -c --exclude=./$(SAN_DIR) --exclude=./$(DEB_DIR) --exclude=./.git --exclude='*.o' \
		--exclude='*.d' -f - . | \
		tar -x -C $(SAN_DIR)
	$(Q)ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		$(MAKE) --no-print-directory -C $(SAN_DIR) SAN='$(SAN_FLAGS)' check-offline

test: all $(UNIT_TESTS)
	$(Q)testsuite/run

# test-quick: the host kernel and the newest kernel's VM only
test-quick: all $(UNIT_TESTS)
	$(Q)testsuite/run -k "host trixie-backports" testsuite/*.bats

demo: all
	$(Q)testsuite/demo

bench: all
	$(Q)bench/run

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(COMPLETIONDIR) $(DESTDIR)$(CNIDIR)
	install -m 0755 $(TOOLS) $(DESTDIR)$(SBINDIR)/
	install -m 0644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 completion/nktools.bash $(DESTDIR)$(COMPLETIONDIR)/nkctl
	ln -sf nkctl $(DESTDIR)$(COMPLETIONDIR)/tcxctl
	ln -sf nkctl $(DESTDIR)$(COMPLETIONDIR)/sockreap
	install -m 0755 cni/nktools $(DESTDIR)$(CNIDIR)/nktools

# deb: the Debian package, built by dpkg-buildpackage in a copy under
# $(DEB_DIR) of the tracked files (of the tree, outside git), since the
# build cleans its tree first; then lintian, which fails on any error or
# warning. The .deb ends up in $(DEB_DIR).
DEB_DIR := .deb
DEB_SRC := $(DEB_DIR)/nktools-$(VERSION)
deb:
	$(call msg,DEB,$(DEB_SRC))rm -rf $(DEB_DIR) && mkdir -p $(DEB_SRC) && \
		if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then \
			git ls-files -z | xargs -0 cp --parents -t $(DEB_SRC); \
		else \
			tar -c --exclude=./$(DEB_DIR) --exclude=./$(SAN_DIR) -f - . | tar -x -C $(DEB_SRC); \
		fi
	$(Q)cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b $(if $(V),,> ../build.log 2>&1) || \
		{ tail -n 40 ../build.log; exit 1; }
	$(call msg,LINTIAN,$(DEB_DIR)/*.changes)lintian --fail-on error,warning $(DEB_DIR)/nktools_*.changes

clean:
	$(call msg,CLEAN,)rm -f $(TOOLS) $(CNI_PLUGIN) $(UNIT_TESTS) $(TEST_HELPERS) $(ALL_OBJS) $(ALL_OBJS:.o=.d) lib/libnk.a
	$(Q)rm -f $(FUZZ_TARGETS)
	$(Q)rm -rf bpf/.out $(SAN_DIR) $(DEB_DIR)

distclean: clean
	rm -f config.mk

help:
	@echo 'make            build the tools (V=1 shows the commands)'
	@echo 'make check      offline tests: unit tests, man page lint, help/man agreement (no root),'
	@echo '                then under ASan+UBSan (make sanitize) and a short fuzz run'
	@echo 'make fuzz       each fuzz target for FUZZ_SECONDS (default 60) on its corpus'
	@echo 'make test       the whole testsuite: host kernel, the VM kernel matrix and the package (root)'
	@echo 'make test-quick the host kernel and the newest kernel only'
	@echo 'make demo       all tools end to end (in a VM when the host lacks netkit)'
	@echo 'make bench      benchmarks against ip, bpftool, tc and ss'
	@echo 'make deb        the Debian package in $(DEB_DIR)/ (dpkg-buildpackage, lintian)'
	@echo 'make install    install tools, man pages, bash completion and the CNI plugin'
	@echo '                (PREFIX=$(PREFIX), DESTDIR=, CNIDIR=$(CNIDIR))'
	@echo 'make clean | distclean'

.PHONY: all deb unit check check-offline sanitize fuzz fuzz-check test test-quick demo bench install clean distclean help
-include $(ALL_OBJS:.o=.d)
