LIB_OBJS := $(patsubst %.c,%.o,$(wildcard lib/*.c lib/*/*.c))
LIBNK := lib/libnk.a
ALL_OBJS += $(LIB_OBJS)

$(LIBNK): $(LIB_OBJS)
	$(call msg,AR,$@)$(AR) rcs $@ $^

lib/reap/bpf.o: $(BPF_OUT)/sockreap.skel.h
lib/reap/index_bpf.o: $(BPF_OUT)/sockindex.skel.h
lib/datapath/load.o: $(BPF_OUT)/datapath.skel.h
