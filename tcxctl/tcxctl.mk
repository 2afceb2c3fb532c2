TCXCTL_OBJS := $(patsubst %.c,%.o,$(wildcard tcxctl/*.c))
ALL_OBJS += $(TCXCTL_OBJS)

tcxctl/tcxctl: $(TCXCTL_OBJS) $(LIBNK)
	$(link)
