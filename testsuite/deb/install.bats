#!/usr/bin/env bats
# The Debian package, installed with apt into a VM's root (an overlay that
# goes with the VM): testsuite/deb/run installs it, runs these, the CNI and
# podman tests against the installed files, then remove.bats.

load common

@test "deb: apt installs the package from its file" {
	run apt_local install -y -q --no-install-recommends "$NK_DEB"
	assert_status 0
	[ "$(dpkg-query -W -f '${Status}' nktools)" = "install ok installed" ]
	# what remove.bats checks is gone again
	dpkg -L nktools > "$BATS_RUN_TMPDIR/nktools.list"
}

@test "deb: the tools, man pages, completion and plugin are where Debian keeps them" {
	local f
	for f in /usr/sbin/nkctl /usr/sbin/tcxctl /usr/sbin/sockreap /usr/lib/cni/nktools; do
		[ -x "$f" ] || { echo "$f is missing" >&2; return 1; }
	done
	for f in nkctl tcxctl sockreap cni-nktools; do
		[ -f "/usr/share/man/man8/$f.8.gz" ] || { echo "no man page $f" >&2; return 1; }
	done
	for f in nkctl tcxctl sockreap; do
		[ -e "/usr/share/bash-completion/completions/$f" ] || { echo "no completion for $f" >&2; return 1; }
	done
	[ -f /usr/share/doc/nktools/copyright ]
	[ -f /usr/share/doc/nktools/changelog.gz ]
	# the tests below run the installed files
	[ "$NKCTL" = /usr/sbin/nkctl ]
	[ "$PLUGIN" = /usr/lib/cni/nktools ]
}

@test "deb: nkctl -V, man nkctl and the plugin's VERSION work as installed" {
	run --separate-stderr nkctl -V
	assert_status 0
	[[ "$output" == *"$(dpkg-query -W -f '${Version}' nktools)"* ]]
	run --separate-stderr env MANPAGER=cat MANWIDTH=80 man nkctl
	assert_status 0
	[[ "$output" == *"nkctl - "* ]] || [[ "$output" == *NKCTL* ]]
	run --separate-stderr env CNI_COMMAND=VERSION /usr/lib/cni/nktools
	assert_status 0
	assert_output_has '"supportedVersions"'
}
