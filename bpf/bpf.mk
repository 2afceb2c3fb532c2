# BPF programs: bpf/X.bpf.c -> bpf/.out/X.bpf.o; vmlinux.h from the running
# kernel's BTF, generated at build time.
BPF_OUT := bpf/.out
BPF_TEST_OBJS := $(patsubst bpf/%.bpf.c,$(BPF_OUT)/%.bpf.o,$(wildcard bpf/*.bpf.c))
BPF_CFLAGS := -target bpf -O2 -g -Wall -I$(BPF_OUT) $(filter -I%,$(CFLAGS_DEPS)) \
	      -idirafter /usr/include/x86_64-linux-gnu -D__TARGET_ARCH_x86

$(BPF_OUT):
	$(Q)mkdir -p $@

$(BPF_OUT)/vmlinux.h: | $(BPF_OUT)
	$(call msg,GEN,$@)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@

$(BPF_OUT)/%.bpf.o: bpf/%.bpf.c config.mk | $(BPF_OUT)
	$(call msg,CLANG,$@)$(CLANG) $(BPF_CFLAGS) -MMD -MP -c -o $@ $<

-include $(BPF_TEST_OBJS:.o=.d)
