# Shared by the package tests: they run in testsuite/deb/run only.

load ../lib

setup() {
	[ -n "${NK_VM:-}" ] && [ -n "${NK_DEB:-}" ] || skip "only in testsuite/deb/run, in a VM"
}

# apt without the package lists: the VM has no network, and reading the
# machine's lists costs most of a minute under TCG; what the package needs is
# installed, and dpkg's status says so
apt_local() {
	mkdir -p "$BATS_RUN_TMPDIR/apt-lists/partial"
	apt-get -o Dir::State::Lists="$BATS_RUN_TMPDIR/apt-lists" -o Dir::Cache::pkgcache= \
		-o Dir::Cache::srcpkgcache= "$@"
}
