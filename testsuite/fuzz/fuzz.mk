# libFuzzer targets (clang): each tool's argument parser, the parsers of what
# the kernel answers (rtnetlink links, sock_diag, BPF_PROG_QUERY) and the CNI
# plugin's reading of a configuration and an IPAM result (JSON). Built
# from the sources with coverage, ASan and UBSan; the corpus is in the tree.
FUZZ_NAMES := nkctl_args tcxctl_args sockreap_args nl_reply rtnl_link sock_diag prog_query cni_conf
FUZZ_TARGETS := $(FUZZ_NAMES:%=testsuite/fuzz/fuzz_%)
FUZZ_CORPUS := testsuite/fuzz/corpus
FUZZ_SECONDS ?= 60
FUZZ_CHECK_SECONDS ?= 5
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	       $(filter-out -Wmissing-prototypes -Wno-format-truncation,$(NK_CFLAGS)) -Inkctl -Itcxctl -Isockreap -Icni -Itestsuite/fuzz

tool_srcs = $(filter-out $(1)/main.c,$(wildcard $(1)/*.c))
FUZZ_SRCS_nl_reply :=
FUZZ_SRCS_nkctl_args := $(call tool_srcs,nkctl)
FUZZ_SRCS_rtnl_link := $(call tool_srcs,nkctl)
FUZZ_SRCS_tcxctl_args := $(call tool_srcs,tcxctl)
FUZZ_SRCS_prog_query := $(call tool_srcs,tcxctl)
FUZZ_SRCS_sockreap_args := $(call tool_srcs,sockreap)
FUZZ_SRCS_sock_diag := $(call tool_srcs,sockreap)
FUZZ_SRCS_cni_conf := cni/conf.c cni/result.c

.SECONDEXPANSION:
# after the tools: the sockreap sources need the generated skeletons
$(FUZZ_TARGETS): testsuite/fuzz/fuzz_%: testsuite/fuzz/fuzz_%.c testsuite/fuzz/fuzz.h \
		 $$(FUZZ_SRCS_$$*) $(wildcard lib/*.c lib/*.h lib/*/*.c lib/*/*.h) | $(TOOLS)
	$(call msg,FUZZ,$@)$(CLANG) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_SRCS_$*) $(wildcard lib/*.c lib/*/*.c) $(LDLIBS_DEPS)

# make fuzz: each target for FUZZ_SECONDS, growing the corpus in the tree
fuzz: $(FUZZ_TARGETS)
	$(Q)log=$$(mktemp) && trap 'rm -f $$log' EXIT && \
	for t in $(FUZZ_NAMES); do mkdir -p $(FUZZ_CORPUS)/$$t; \
		printf '  %-8s %s\n' FUZZ "$$t ($(FUZZ_SECONDS) s)"; \
		testsuite/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -close_fd_mask=2 \
			$(FUZZ_CORPUS)/$$t > $$log 2>&1; rc=$$?; \
		grep -E 'stat::number_of_executed_units|ERROR|SUMMARY' $$log; \
		[ $$rc = 0 ] || { tail -n 40 $$log; exit 1; }; done

# the short run of make check: new inputs go to a scratch directory
fuzz-check: $(FUZZ_TARGETS)
	$(Q)scratch=$$(mktemp -d) && trap 'rm -rf $$scratch' EXIT && \
	for t in $(FUZZ_NAMES); do mkdir -p $$scratch/$$t; \
		printf '  %-8s %s\n' FUZZ "$$t ($(FUZZ_CHECK_SECONDS) s)"; \
		testsuite/fuzz/fuzz_$$t -max_total_time=$(FUZZ_CHECK_SECONDS) -close_fd_mask=2 $$scratch/$$t \
			$(FUZZ_CORPUS)/$$t > $$scratch/log 2>&1 || { tail -n 40 $$scratch/log; exit 1; }; done
