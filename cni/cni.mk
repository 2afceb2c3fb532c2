CNI_OBJS := $(patsubst %.c,%.o,$(wildcard cni/*.c))
ALL_OBJS += $(CNI_OBJS)

cni/nktools: $(CNI_OBJS) $(LIBNK)
	$(link)
