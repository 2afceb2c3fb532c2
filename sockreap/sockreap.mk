SOCKREAP_OBJS := $(patsubst %.c,%.o,$(wildcard sockreap/*.c))
ALL_OBJS += $(SOCKREAP_OBJS)


sockreap/sockreap: $(SOCKREAP_OBJS) $(LIBNK)
	$(link)
