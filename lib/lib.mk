LIB_OBJS := $(patsubst %.c,%.o,$(wildcard lib/*.c))
LIBNK := lib/libnk.a
ALL_OBJS += $(LIB_OBJS)

$(LIBNK): $(LIB_OBJS)
	$(call msg,AR,$@)$(AR) rcs $@ $^
