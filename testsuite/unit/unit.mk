# Offline C tests of the library and the pure parts of the tools.
UNIT_TESTS := testsuite/unit/test_nkctl
ALL_OBJS += testsuite/unit/test_nkctl.o

testsuite/unit/test_nkctl: testsuite/unit/test_nkctl.o $(filter-out nkctl/main.o,$(NKCTL_OBJS)) $(LIBNK)
	$(link)
testsuite/unit/test_nkctl.o: NK_CFLAGS += -Inkctl

# a socket peer for the sockreap tests
TEST_HELPERS := testsuite/unit/nkpeer
ALL_OBJS += testsuite/unit/nkpeer.o
testsuite/unit/nkpeer: testsuite/unit/nkpeer.o
	$(link)

UNIT_TESTS += testsuite/unit/test_sockreap
ALL_OBJS += testsuite/unit/test_sockreap.o
testsuite/unit/test_sockreap.o: NK_CFLAGS += -Isockreap
testsuite/unit/test_sockreap: testsuite/unit/test_sockreap.o sockreap/filter.o sockreap/batch.o $(LIBNK)
	$(link)

UNIT_TESTS += testsuite/unit/test_tcxctl
ALL_OBJS += testsuite/unit/test_tcxctl.o
testsuite/unit/test_tcxctl.o: NK_CFLAGS += -Itcxctl
testsuite/unit/test_tcxctl: testsuite/unit/test_tcxctl.o $(filter-out tcxctl/main.o,$(TCXCTL_OBJS)) $(LIBNK)
	$(link)

UNIT_TESTS += testsuite/unit/test_cni
ALL_OBJS += testsuite/unit/test_cni.o
testsuite/unit/test_cni.o: NK_CFLAGS += -Icni
testsuite/unit/test_cni: testsuite/unit/test_cni.o cni/conf.o cni/result.o cni/pool.o $(LIBNK)
	$(link)

# the JSON reader over files, for testsuite/json-conformance (its output
# compared with Python's json module)
TEST_HELPERS += testsuite/unit/json_check
ALL_OBJS += testsuite/unit/json_check.o
testsuite/unit/json_check: testsuite/unit/json_check.o $(LIBNK)
	$(link)

# the netkit attribute table, for the offline test that everything that
# lists its keywords agrees with it
TEST_HELPERS += testsuite/unit/nk_table
ALL_OBJS += testsuite/unit/nk_table.o
testsuite/unit/nk_table.o: NK_CFLAGS += -Icni
testsuite/unit/nk_table: testsuite/unit/nk_table.o cni/conf.o cni/result.o cni/pool.o $(LIBNK)
	$(link)
