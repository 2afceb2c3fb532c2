SOCKREAP_OBJS := $(patsubst %.c,%.o,$(wildcard sockreap/*.c))
ALL_OBJS += $(SOCKREAP_OBJS)

sockreap/bpf.o: $(BPF_OUT)/sockreap.skel.h
sockreap/index.o: $(BPF_OUT)/sockindex.skel.h

sockreap/sockreap: $(SOCKREAP_OBJS) $(LIBNK)
	$(link)
