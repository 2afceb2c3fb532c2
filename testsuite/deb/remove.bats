#!/usr/bin/env bats
# After the tests against the installed package: apt remove takes it all.

load common

@test "deb: apt remove leaves nothing but configuration" {
	[ -s "$BATS_RUN_TMPDIR/nktools.list" ]
	run apt_local remove -y -q nktools
	assert_status 0
	# no configuration files are shipped: nothing is left at all
	run dpkg-query -W -f '${db:Status-Abbrev}' nktools
	[ "$status" != 0 ] || [[ "$output" == "un"* ]] || [[ "$output" == "rc"* ]]
	local f left=""
	while read -r f; do
		[ -d "$f" ] || [ ! -e "$f" ] || left+=" $f"
	done < "$BATS_RUN_TMPDIR/nktools.list"
	[ -z "$left" ] || { echo "left behind:$left" >&2; return 1; }
}
