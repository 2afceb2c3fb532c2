NKCTL_OBJS := $(patsubst %.c,%.o,$(wildcard nkctl/*.c))
ALL_OBJS += $(NKCTL_OBJS)

nkctl/nkctl: $(NKCTL_OBJS) $(LIBNK)
	$(link)
