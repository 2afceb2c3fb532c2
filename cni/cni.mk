CNI_OBJS := $(patsubst %.c,%.o,$(wildcard cni/*.c))
ALL_OBJS += $(CNI_OBJS)

# Static where configure found the static libraries (CNI_STATIC_LIBS), but
# under the sanitizers, which need the dynamic runtime.
cni/nktools: $(CNI_OBJS) $(LIBNK)
ifneq ($(CNI_STATIC_LIBS),)
	$(if $(SAN),$(link),$(call msg,LINK,$@ (static))$(CC) $(LDFLAGS) -static -o $@ $^ $(LDLIBS) $(CNI_STATIC_LIBS))
else
	$(link)
endif
