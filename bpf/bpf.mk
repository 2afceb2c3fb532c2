# BPF programs: bpf/X.bpf.c -> bpf/.out/X.bpf.o; vmlinux.h from the running
# kernel's BTF, generated at build time.
BPF_OUT := bpf/.out
# tools' programs (embedded as skeletons) and test programs (loaded from files)
BPF_TOOL_PROGS := sockreap sockindex datapath
BPF_TEST_OBJS := $(patsubst bpf/%.bpf.c,$(BPF_OUT)/%.bpf.o,\
	$(filter-out $(BPF_TOOL_PROGS:%=bpf/%.bpf.c),$(wildcard bpf/*.bpf.c)))
# BPF_ARCH and BPF_MULTIARCH come from configure (the target, not x86 only)
ifneq ($(wildcard config.mk),)
ifeq ($(BPF_ARCH),)
$(error config.mk is from an older configure: run ./configure again)
endif
endif
BPF_CFLAGS := -target bpf -O2 -g -Wall -I$(BPF_OUT) -Ibpf $(filter -I%,$(CFLAGS_DEPS)) \
	      $(if $(BPF_MULTIARCH),-idirafter /usr/include/$(BPF_MULTIARCH)) -D__TARGET_ARCH_$(BPF_ARCH)

$(BPF_OUT):
	$(Q)mkdir -p $@

$(BPF_OUT)/vmlinux.h: | $(BPF_OUT)
	$(call msg,GEN,$@)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@

$(BPF_OUT)/%.bpf.o: bpf/%.bpf.c config.mk | $(BPF_OUT)
	$(call msg,CLANG,$@)$(CLANG) $(BPF_CFLAGS) -MMD -MP -c -o $@ $<

$(BPF_TOOL_PROGS:%=$(BPF_OUT)/%.bpf.o): $(BPF_OUT)/vmlinux.h

$(BPF_OUT)/%.skel.h: $(BPF_OUT)/%.bpf.o
	$(call msg,GENSKEL,$@)$(BPFTOOL) gen skeleton $< name $*_bpf > $@.tmp && mv $@.tmp $@

-include $(BPF_TEST_OBJS:.o=.d) $(BPF_TOOL_PROGS:%=$(BPF_OUT)/%.bpf.d)
