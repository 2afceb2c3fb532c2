#!/usr/bin/env bats
# tcxctl against the running kernel: veth (and netkit) pairs between two
# namespaces the test creates; cross-checked with bpftool and tc.

load lib

OBJ=$BATS_TEST_DIRNAME/../bpf/.out

setup() {
	bats_require_minimum_version 1.5.0
	require_root
	new_ns HOST
	new_ns POD
	# two batches (a process is what a step costs under TCG); static
	# neighbours: a dropped ARP exchange must not outlive the program
	ip -n "$HOST" -b - <<-EOF
		link add v0 address 02:00:0a:d2:00:01 type veth peer name v1 address 02:00:0a:d2:00:02 netns $POD
		addr add 10.210.0.1/24 dev v0
		link set v0 up
		neigh replace 10.210.0.2 dev v0 nud permanent lladdr 02:00:0a:d2:00:02
	EOF
	ip -n "$POD" -b - <<-EOF
		addr add 10.210.0.2/24 dev v1
		link set v1 up
		neigh replace 10.210.0.1 dev v1 nud permanent lladdr 02:00:0a:d2:00:01
	EOF
}

teardown() {
	cleanup_ns
}

tcx() { "$TCXCTL" -n "$HOST" "$@"; }

has_tcx() { has_feature "$TCXCTL" tcx; }
require_tcx() { has_tcx || skip "tcx is not supported by this kernel (needs Linux 6.6)"; }

# names on a hook, in execution order
order() { # order DEV HOOK
	tcx -j show dev "$1" "$2" | jq -r '[.[] | .name] | join(" ")'
}
# the same, as bpftool sees it (program ids)
bpftool_ids() { # bpftool_ids DEV KIND
	ip netns exec "$HOST" bpftool -j net show dev "$1" |
		jq -r --arg k "$2" '[.[0].tc[] | select(.kind == $k) | .prog_id] | join(" ")'
}
our_ids() { # our_ids DEV HOOK
	tcx -j show dev "$1" "$2" | jq -r '[.[] | .prog_id] | join(" ")'
}
# the hook's revision, also when it is empty
revision() { tcx -j show dev "$1" "$2" hooks | jq -r '.[] | select(.mode != "tc") | .revision'; }
ping_ok() { ip netns exec "$POD" ping -c 1 -W 3 10.210.0.1 > /dev/null; }

@test "attach appends a pinned link that outlives the command" {
	require_tcx
	run --separate-stderr tcx -j attach dev v0 ingress object "$OBJ/pass.bpf.o"
	assert_status 0; assert_json
	local pin link
	pin=$(jq -r '.[0].pin' <<< "$output")
	link=$(jq -r '.[0].link_id' <<< "$output")
	[ -e "$pin" ]
	[ "$(order v0 ingress)" = nk_pass ]
	[ "$(bpftool_ids v0 tcx/ingress)" = "$(our_ids v0 ingress)" ]
	[ "$(tcx -j show dev v0 ingress | jq -r '.[0].link_id')" = "$link" ]
	[ "$(tcx -j show dev v0 ingress | jq -r '.[0].kind')" = tcx/ingress ]
	ping_ok
}

@test "first, last, before and after by id, link, pin and name give the asked order" {
	require_tcx
	tcx attach dev v0 ingress object "$OBJ/pass.bpf.o"				# P
	tcx attach dev v0 ingress object "$OBJ/count.bpf.o" first			# C P
	[ "$(order v0 ingress)" = "nk_count nk_pass" ]
	local p_id c_link p_pin
	p_id=$(tcx -j show dev v0 ingress | jq -r '.[] | select(.name == "nk_pass") | .prog_id')
	c_link=$(tcx -j show dev v0 ingress | jq -r '.[] | select(.name == "nk_count") | .link_id')
	p_pin=$(tcx -j show dev v0 ingress | jq -r '.[] | select(.name == "nk_pass") | .pin')
	tcx attach dev v0 ingress object "$OBJ/progs.bpf.o" program nk_pass2 before id "$p_id"
	[ "$(order v0 ingress)" = "nk_count nk_pass2 nk_pass" ]
	tcx attach dev v0 ingress object "$OBJ/progs.bpf.o" program nk_next2 after link "$c_link"
	[ "$(order v0 ingress)" = "nk_count nk_next2 nk_pass2 nk_pass" ]
	tcx attach dev v0 ingress object "$OBJ/progs.bpf.o" section tcx/ingress before pinned "$p_pin"
	[ "$(order v0 ingress)" = "nk_count nk_next2 nk_pass2 nk_drop2 nk_pass" ]
	tcx attach dev v0 ingress object "$OBJ/drop.bpf.o" after name nk_pass
	[ "$(order v0 ingress)" = "nk_count nk_next2 nk_pass2 nk_drop2 nk_pass nk_drop" ]
	# a pinned link is not a program
	run --separate-stderr tcx attach dev v0 ingress pinned "$p_pin" last
	[ "$status" = 1 ] || [ "$status" = 2 ]
	[ -n "$stderr" ]
	# what the kernel says agrees
	[ "$(bpftool_ids v0 tcx/ingress)" = "$(our_ids v0 ingress)" ]
	[ "$(tcx -j show dev v0 ingress | jq -r '[.[].position] | join(" ")')" = "0 1 2 3 4 5" ]
}

@test "a program can be given by pinned path and by id" {
	require_tcx
	tcx attach dev v0 ingress object "$OBJ/pass.bpf.o"
	local id
	id=$(tcx -j show dev v0 ingress | jq -r '.[0].prog_id')
	# the same program again on one hook is a retry: nothing changes; on
	# another hook it is a new attachment
	local link
	link=$(tcx -j show dev v0 ingress | jq -r '.[0].link_id')
	run --separate-stderr tcx attach dev v0 ingress id "$id"
	assert_status 0
	[[ "$stderr" == *"already attached"*"as asked"* ]]
	[ "$(tcx -j show dev v0 ingress | jq -r '[.[].link_id] | join(" ")')" = "$link" ]
	run tcx attach dev v0 egress id "$id"
	assert_status 0
	[ "$(our_ids v0 egress)" = "$id" ]
	tcx detach dev v0 egress id "$id"
	# by the path it is pinned at, the same program again
	bpftool prog pin id "$id" "/sys/fs/bpf/nkt-prog-$$"
	run --separate-stderr tcx attach dev v0 egress pinned "/sys/fs/bpf/nkt-prog-$$"
	rm -f "/sys/fs/bpf/nkt-prog-$$"
	assert_status 0
	[ "$(our_ids v0 egress)" = "$id" ]
	[ "$(bpftool_ids v0 tcx/egress)" = "$id" ]
}

@test "a stale revision changes nothing and says the current one" {
	require_tcx
	tcx attach dev v0 ingress object "$OBJ/pass.bpf.o"
	local rev
	rev=$(revision v0 ingress)
	run --separate-stderr tcx attach dev v0 ingress object "$OBJ/count.bpf.o" revision $((rev - 1))
	assert_status 1
	[[ "$stderr" == *"changed since revision $((rev - 1))"*"revision $rev now"* ]]
	[ "$(order v0 ingress)" = nk_pass ]
	run tcx attach dev v0 ingress object "$OBJ/count.bpf.o" revision "$rev"
	assert_status 0
	[ "$(order v0 ingress)" = "nk_pass nk_count" ]
	[ "$(revision v0 ingress)" = $((rev + 1)) ]
	run --separate-stderr tcx detach dev v0 ingress name nk_pass revision "$rev"
	assert_status 1
	[ "$(order v0 ingress)" = "nk_pass nk_count" ]
}

@test "an empty hook has revision 1, usable as the expected revision" {
	require_tcx
	run tcx attach dev v0 egress object "$OBJ/pass.bpf.o" revision 1
	assert_status 0
}

@test "replace swaps the program in place, keeping the link" {
	require_tcx
	tcx attach dev v0 ingress object "$OBJ/count.bpf.o"
	tcx attach dev v0 ingress object "$OBJ/pass.bpf.o"
	local link
	link=$(tcx -j show dev v0 ingress | jq -r '.[1].link_id')
	run tcx replace dev v0 ingress name nk_pass object "$OBJ/drop.bpf.o"
	assert_status 0
	[ "$(order v0 ingress)" = "nk_count nk_drop" ]
	[ "$(tcx -j show dev v0 ingress | jq -r '.[1].link_id')" = "$link" ]
	[ -e "$(tcx -j show dev v0 ingress | jq -r '.[1].pin')" ]
	no_reply "$POD" 10.210.0.1
	run tcx replace dev v0 ingress link "$link" object "$OBJ/pass.bpf.o"
	assert_status 0
	ping_ok
}

@test "move puts a program first, last, before and after" {
	require_tcx
	tcx attach dev v0 ingress object "$OBJ/pass.bpf.o"
	tcx attach dev v0 ingress object "$OBJ/count.bpf.o"
	tcx attach dev v0 ingress object "$OBJ/progs.bpf.o" program nk_next2
	[ "$(order v0 ingress)" = "nk_pass nk_count nk_next2" ]
	tcx move dev v0 ingress name nk_next2 first
	[ "$(order v0 ingress)" = "nk_next2 nk_pass nk_count" ]
	tcx move dev v0 ingress name nk_next2 last
	[ "$(order v0 ingress)" = "nk_pass nk_count nk_next2" ]
	tcx move dev v0 ingress name nk_pass after name nk_count
	[ "$(order v0 ingress)" = "nk_count nk_pass nk_next2" ]
	tcx move dev v0 ingress name nk_next2 before name nk_count
	[ "$(order v0 ingress)" = "nk_next2 nk_count nk_pass" ]
	# every moved link is pinned again
	[ "$(tcx -j show dev v0 ingress | jq -r '[.[] | select(.pin != null)] | length')" = 3 ]
	run --separate-stderr tcx move dev v0 ingress name nk_pass after name nk_pass
	assert_status 2
	[ "$(bpftool_ids v0 tcx/ingress)" = "$(our_ids v0 ingress)" ]
}

@test "detach by id, link, pin and name, then all; no pin stays behind" {
	require_tcx
	for o in pass count drop; do tcx attach dev v0 egress object "$OBJ/$o.bpf.o"; done
	tcx attach dev v0 egress object "$OBJ/progs.bpf.o" program nk_next2
	local id link pin dir
	id=$(tcx -j show dev v0 egress | jq -r '.[0].prog_id')
	link=$(tcx -j show dev v0 egress | jq -r '.[1].link_id')
	pin=$(tcx -j show dev v0 egress | jq -r '.[2].pin')
	dir=$(dirname "$pin")
	tcx detach dev v0 egress id "$id"
	[ "$(order v0 egress)" = "nk_count nk_drop nk_next2" ]
	tcx detach dev v0 egress link "$link"
	[ "$(order v0 egress)" = "nk_drop nk_next2" ]
	tcx detach dev v0 egress pinned "$pin"
	[ "$(order v0 egress)" = "nk_next2" ]
	[ ! -e "$pin" ]
	tcx attach dev v0 egress object "$OBJ/pass.bpf.o"
	tcx detach dev v0 egress name nk_next2
	[ "$(order v0 egress)" = "nk_pass" ]
	tcx detach dev v0 egress all
	[ -z "$(order v0 egress)" ]
	[ -z "$(ls -A "$dir" 2>/dev/null)" ]
	[ -z "$(bpftool_ids v0 tcx/egress)" ]
}

@test "a custom pin path is used and removed by detach" {
	require_tcx
	local pin=/sys/fs/bpf/nkt-custom-$$
	run tcx attach dev v0 ingress object "$OBJ/pass.bpf.o" pin "$pin"
	assert_status 0
	[ -e "$pin" ]
	[ "$(tcx -j show dev v0 ingress | jq -r '.[0].pin')" = "$pin" ]
	tcx detach dev v0 ingress pinned "$pin"
	[ ! -e "$pin" ]
	[ -z "$(order v0 ingress)" ]
}

@test "drop on ingress stops traffic, detach lets it through again" {
	require_tcx
	ping_ok
	tcx attach dev v0 ingress object "$OBJ/drop.bpf.o"
	no_reply "$POD" 10.210.0.1
	tcx attach dev v0 ingress object "$OBJ/pass.bpf.o" first
	ping_ok
	tcx detach dev v0 ingress name nk_pass
	no_reply "$POD" 10.210.0.1
	tcx detach dev v0 ingress all
	ping_ok
}

@test "bad input is refused with its exit code and leaves the hook as it was" {
	require_tcx
	tcx attach dev v0 ingress object "$OBJ/pass.bpf.o"
	local before
	before=$(tcx -j show dev v0 ingress)
	run --separate-stderr tcx attach dev nodev ingress object "$OBJ/pass.bpf.o"
	assert_status 5; [[ "$stderr" == *'cannot find device "nodev"'* ]]
	run --separate-stderr tcx attach dev v0 ingress object /nonexistent.o
	assert_status 5; [[ "$stderr" == *"no such object file"* ]]
	run --separate-stderr tcx attach dev v0 ingress object "$OBJ/notc.bpf.o"
	assert_status 2; [[ "$stderr" == *"xdp program"* ]]
	run --separate-stderr tcx attach dev v0 ingress object "$OBJ/progs.bpf.o" program nope
	assert_status 5
	run --separate-stderr tcx attach dev v0 ingress object "$OBJ/progs.bpf.o"
	assert_status 2; [[ "$stderr" == *"program NAME"* ]]
	run --separate-stderr tcx attach dev v0 ingress id 4000000000
	assert_status 5
	run --separate-stderr tcx attach dev v0 ingress object "$OBJ/count.bpf.o" before id 4000000
	assert_status 5; [[ "$stderr" == *"not attached"* ]]
	run --separate-stderr tcx attach dev v0 primary object "$OBJ/count.bpf.o"
	assert_status 2; [[ "$stderr" == *"needs a netkit device"* ]]
	run --separate-stderr tcx detach dev v0 ingress name nk_count
	assert_status 5
	run --separate-stderr tcx attach dev v0 ingress object "$OBJ/count.bpf.o" first last
	assert_status 2
	run --separate-stderr tcx attach dev v0 sideways object "$OBJ/count.bpf.o"
	assert_status 2
	[ "$(tcx -j show dev v0 ingress)" = "$before" ]
}

@test "a hook holds 63 programs; the 64th is refused and changes nothing" {
	require_tcx
	local i
	for i in $(seq 0 62); do
		tcx attach dev v0 egress object "$OBJ/many.bpf.o" program "nk_m$i" || return 1
	done
	[ "$(tcx -j show dev v0 egress | jq length)" = 63 ]
	run --separate-stderr tcx attach dev v0 egress object "$OBJ/many.bpf.o" program nk_m63
	assert_status 1
	[[ "$stderr" == *"is full"*"63"* ]]
	[ "$(tcx -j show dev v0 egress | jq length)" = 63 ]
	tcx detach dev v0 egress all
	[ -z "$(order v0 egress)" ]
}

@test "pins of a deleted device are shown as defunct and cleaned by detach" {
	require_tcx
	tcx attach dev v0 ingress object "$OBJ/pass.bpf.o"
	local pin
	pin=$(tcx -j show dev v0 ingress | jq -r '.[0].pin')
	ip -n "$HOST" link del v0
	run --separate-stderr tcx -j show
	assert_status 0; assert_json
	[ "$(jq -r '.[] | select(.defunct) | .pin' <<< "$output")" = "$pin" ]
	run --separate-stderr tcx detach dev v0 ingress all
	assert_status 0
	[[ "$stderr" == *"defunct link"* ]]
	[ ! -e "$pin" ]
	[ "$(tcx -j show | jq length)" = 0 ]
}

@test "show all-netns finds attachments in every namespace" {
	require_tcx
	tcx attach dev v0 ingress object "$OBJ/pass.bpf.o"
	"$TCXCTL" -n "$POD" attach dev v1 egress object "$OBJ/count.bpf.o"
	run --separate-stderr "$TCXCTL" -j show all-netns
	assert_json
	[ "$(jq -r --arg ns "$HOST" '.[] | select(.netns == $ns) | .devname + " " + .name' <<< "$output")" = "v0 nk_pass" ]
	[ "$(jq -r --arg ns "$POD" '.[] | select(.netns == $ns) | .devname + " " + .name' <<< "$output")" = "v1 nk_count" ]
}

# --- retries and references -----------------------------------------------------

@test "a retried attach is a no-op: same entry, same link, exit 0, printed with -j" {
	require_tcx
	run --separate-stderr tcx -j attach dev v0 ingress object "$OBJ/pass.bpf.o" first
	assert_status 0
	local link pin rev
	link=$(jq -r '.[0].link_id' <<< "$output")
	pin=$(jq -r '.[0].pin' <<< "$output")
	rev=$(revision v0 ingress)
	for i in 1 2 3; do
		run --separate-stderr tcx -j attach dev v0 ingress object "$OBJ/pass.bpf.o" first
		assert_status 0; assert_json
		[ "$(jq -r '.[0].link_id' <<< "$output")" = "$link" ]
		[ "$(jq -r '.[0].pin' <<< "$output")" = "$pin" ]
		[ "$(jq -r '.[0].existing' <<< "$output")" = true ]
		[[ "$stderr" == *"already attached"*"as asked"* ]]
	done
	# a retry with the revision the first attempt expected: still a no-op
	run --separate-stderr tcx attach dev v0 ingress object "$OBJ/pass.bpf.o" revision $((rev - 1))
	assert_status 0
	[ "$(order v0 ingress)" = nk_pass ]
	[ "$(revision v0 ingress)" = "$rev" ]
	[ "$(bpftool_ids v0 tcx/ingress)" = "$(our_ids v0 ingress)" ]
	# then detach by name finds exactly one
	run tcx detach dev v0 ingress name nk_pass
	assert_status 0
	[ -z "$(order v0 ingress)" ]
}

@test "a retry with another program or at another place is refused, naming replace or move" {
	require_tcx
	tcx attach dev v0 ingress object "$OBJ/pass.bpf.o"
	tcx attach dev v0 ingress object "$OBJ/count.bpf.o"
	local before
	before=$(tcx -j show dev v0 ingress)
	# same name, other code (a new version): replace does that
	run --separate-stderr tcx attach dev v0 ingress object "$OBJ/alt.bpf.o"
	assert_status 1
	[[ "$stderr" == *"already attached"*"another program"*"tcxctl replace dev v0 ingress name nk_pass"* ]]
	[ "$(tcx -j show dev v0 ingress)" = "$before" ]
	# same program, but it is not first: move does that
	run --separate-stderr tcx attach dev v0 ingress object "$OBJ/count.bpf.o" first
	assert_status 1
	[[ "$stderr" == *"not first"*"tcxctl move dev v0 ingress name nk_count first"* ]]
	[ "$(tcx -j show dev v0 ingress)" = "$before" ]
	run --separate-stderr tcx attach dev v0 ingress object "$OBJ/count.bpf.o" before name nk_pass
	assert_status 1
	[[ "$stderr" == *"move"*"before name nk_pass"* ]]
	# a place that already holds is fine
	run tcx attach dev v0 ingress object "$OBJ/pass.bpf.o" before name nk_count
	assert_status 0
	# the commands named do it
	tcx move dev v0 ingress name nk_count first
	[ "$(order v0 ingress)" = "nk_count nk_pass" ]
	tcx replace dev v0 ingress name nk_pass object "$OBJ/alt.bpf.o"
	no_reply "$POD" 10.210.0.1
	[ "$(bpftool_ids v0 tcx/ingress)" = "$(our_ids v0 ingress)" ]
}

@test "a pinned program is a reference: anchor, detach, replace" {
	require_tcx
	tcx attach dev v0 ingress object "$OBJ/pass.bpf.o"
	local id pp=/sys/fs/bpf/nkt-pprog-$$
	id=$(tcx -j show dev v0 ingress | jq -r '.[0].prog_id')
	bpftool prog pin id "$id" "$pp"
	run --separate-stderr tcx attach dev v0 ingress object "$OBJ/count.bpf.o" before pinned "$pp"
	assert_status 0
	[ "$(order v0 ingress)" = "nk_count nk_pass" ]
	run --separate-stderr tcx move dev v0 ingress pinned "$pp" first
	assert_status 0
	[ "$(order v0 ingress)" = "nk_pass nk_count" ]
	run --separate-stderr tcx replace dev v0 ingress pinned "$pp" object "$OBJ/drop.bpf.o"
	assert_status 0
	[ "$(order v0 ingress)" = "nk_drop nk_count" ]
	# the pin still holds the old program, which is no longer on the hook
	run --separate-stderr tcx detach dev v0 ingress pinned "$pp"
	assert_status 5
	[[ "$stderr" == *"not attached"* ]]
	rm -f "$pp"
	id=$(tcx -j show dev v0 ingress | jq -r '.[1].prog_id')
	bpftool prog pin id "$id" "$pp"
	run --separate-stderr tcx detach dev v0 ingress pinned "$pp"
	rm -f "$pp"
	assert_status 0
	[ "$(order v0 ingress)" = nk_drop ]
	[ "$(bpftool_ids v0 tcx/ingress)" = "$(our_ids v0 ingress)" ]
}

@test "an emptied hook keeps its revision where clsact holds it, and show hooks says it" {
	require_tcx
	tc -n "$HOST" qdisc add dev v0 clsact
	tcx attach dev v0 ingress object "$OBJ/pass.bpf.o"
	tcx attach dev v0 ingress object "$OBJ/count.bpf.o"
	tcx detach dev v0 ingress all
	# the flat list is empty; the hook object carries the revision
	[ "$(tcx -j show dev v0 ingress)" = "[]" ]
	run --separate-stderr tcx -j show dev v0 ingress hooks
	assert_status 0; assert_json
	[ "$(jq -r '.[] | select(.kind == "tcx/ingress") | .count' <<< "$output")" = 0 ]
	local rev
	rev=$(jq -r '.[] | select(.kind == "tcx/ingress") | .revision' <<< "$output")
	[ "$rev" = 5 ]
	# the recipe of tcxctl(8): that revision is the one the kernel expects
	run --separate-stderr tcx attach dev v0 ingress object "$OBJ/pass.bpf.o" revision 1
	assert_status 1
	[[ "$stderr" == *"revision 5 now"* ]]
	run --separate-stderr tcx attach dev v0 ingress object "$OBJ/pass.bpf.o" revision "$rev"
	assert_status 0
	# the classic tc side is shown as a hook of its own, not ours
	run --separate-stderr tcx -j show dev v0 ingress hooks
	[ "$(jq -r '.[] | select(.kind == "tc/ingress") | .clsact_ours' <<< "$output")" = false ]
	[ "$(jq -r '.[] | select(.kind == "tcx/ingress") | .entries[0].name' <<< "$output")" = nk_pass ]
}

@test "a pin path longer than tcxctl keeps is refused before anything is done" {
	require_tcx
	local long before
	long=/sys/fs/bpf/nkt-long-$$-$(printf 'p%.0s' $(seq 300))
	before=$(find /sys/fs/bpf/nktools 2>/dev/null | sort)
	run --separate-stderr tcx attach dev v0 ingress object "$OBJ/pass.bpf.o" pin "$long"
	assert_status 2
	[[ "$stderr" == *"at most 255"* ]]
	[ -z "$(order v0 ingress)" ]
	[ "$(find /sys/fs/bpf/nktools 2>/dev/null | sort)" = "$before" ]
	# one of 255 bytes is kept whole, and move keeps it
	long=/sys/fs/bpf/nkt-long-$$-
	long=$long$(printf 'q%.0s' $(seq $((255 - ${#long}))))
	[ ${#long} = 255 ]
	run --separate-stderr tcx attach dev v0 ingress object "$OBJ/pass.bpf.o" pin "$long"
	assert_status 0
	tcx attach dev v0 ingress object "$OBJ/count.bpf.o"
	run --separate-stderr tcx move dev v0 ingress name nk_pass last
	assert_status 0
	[ -z "$stderr" ]
	[ "$(order v0 ingress)" = "nk_count nk_pass" ]
	[ "$(tcx -j show dev v0 ingress | jq -r '.[1].pin')" = "$long" ]
	[ -e "$long" ]
	tcx detach dev v0 ingress all
	[ ! -e "$long" ]
}

@test "detach all says what it removed, and all ours leaves the others' entries" {
	require_tcx
	tcx attach dev v0 egress object "$OBJ/pass.bpf.o"
	# an entry of another tool: bpftool attaches without a link of ours
	local pp=/sys/fs/bpf/nkt-foreign-$$
	bpftool prog load "$OBJ/count.bpf.o" "$pp" type classifier
	nsenter --net="/run/netns/$HOST" bpftool net attach tcx_egress pinned "$pp" dev v0
	rm -f "$pp"
	[ "$(order v0 egress)" = "nk_pass nk_count" ]
	run --separate-stderr tcx -j detach dev v0 egress all ours
	assert_status 0; assert_json
	[ "$(order v0 egress)" = nk_count ]
	[[ "$stderr" == *"detached nk_pass"* ]]
	[[ "$stderr" != *"nk_count"* ]]
	[ "$(jq -r '[.[] | .name + ":" + (.ours | tostring)] | join(" ")' <<< "$output")" = "nk_pass:true" ]
	run --separate-stderr tcx -j detach dev v0 egress all
	assert_status 0; assert_json
	[[ "$stderr" == *"detached nk_count"*"not attached by tcxctl"* ]]
	[ "$(jq -r '.[0].ours' <<< "$output")" = false ]
	[ -z "$(order v0 egress)" ]
	[ -z "$(bpftool_ids v0 tcx/egress)" ]
	# nothing left: still fine
	run --separate-stderr tcx detach dev v0 egress all
	assert_status 0
	[ -z "$stderr" ]
}

# --- classic tc ---------------------------------------------------------------

tc_names() { # tc_names DEV ingress|egress: our cls_bpf filters, by priority
	tc -n "$HOST" -j filter show dev "$1" "$2" 2>/dev/null |
		jq -r '[.[] | select(.options.bpf_name != null) | .options.bpf_name] | join(" ")'
}

@test "mode tc attaches a direct-action cls_bpf filter under clsact, in order" {
	tcx attach dev v0 ingress object "$OBJ/pass.bpf.o" mode tc
	tcx attach dev v0 ingress object "$OBJ/count.bpf.o" mode tc first
	tcx attach dev v0 ingress object "$OBJ/drop.bpf.o" mode tc after name nk_count
	[ "$(tc_names v0 ingress)" = "nktools:nk_count nktools:nk_drop nktools:nk_pass" ]
	tc -n "$HOST" filter show dev v0 ingress | grep -q 'direct-action'
	[ "$(tcx -j show dev v0 | jq -r '[.[] | .kind + ":" + .name] | join(" ")')" = \
	  "tc/ingress:nk_count tc/ingress:nk_drop tc/ingress:nk_pass" ]
	no_reply "$POD" 10.210.0.1
	tcx detach dev v0 ingress name nk_drop
	ping_ok
	# someone else's filter is never removed
	tc -n "$HOST" filter add dev v0 ingress prio 7 bpf da obj "$OBJ/pass.bpf.o" sec tc
	tcx detach dev v0 ingress all
	[ "$(tc -n "$HOST" -j filter show dev v0 ingress | jq '[.[] | select(.options.bpf_name != null)] | length')" = 1 ]
}

@test "a retried classic tc attach (the fallback before 6.6) is a no-op; another one is refused" {
	local m=(mode tc)
	has_tcx || m=()				# auto: classic tc on this kernel
	run --separate-stderr tcx -j attach dev v0 egress object "$OBJ/pass.bpf.o" "${m[@]}"
	assert_status 0
	[ "$(jq -r '.[0].kind' <<< "$output")" = tc/egress ]
	run --separate-stderr tcx -j attach dev v0 egress object "$OBJ/pass.bpf.o" "${m[@]}"
	assert_status 0; assert_json
	[ "$(jq -r '.[0].existing' <<< "$output")" = true ]
	[ "$(tc_names v0 egress)" = "nktools:nk_pass" ]
	tcx attach dev v0 egress object "$OBJ/count.bpf.o" "${m[@]}"
	local before
	before=$(tc -n "$HOST" -j filter show dev v0 egress)
	run --separate-stderr tcx attach dev v0 egress object "$OBJ/alt.bpf.o" "${m[@]}"
	assert_status 1
	[[ "$stderr" == *"another program"*"detach it first"* ]]
	run --separate-stderr tcx attach dev v0 egress object "$OBJ/count.bpf.o" first "${m[@]}"
	assert_status 1
	[[ "$stderr" == *"not first"*"no move"* ]]
	[ "$(tc -n "$HOST" -j filter show dev v0 egress)" = "$before" ]
	run --separate-stderr tcx detach dev v0 egress all
	assert_status 0
	[[ "$stderr" == *"detached classic tc filter nk_count"*"detached classic tc filter nk_pass"* ||
	   "$stderr" == *"detached classic tc filter nk_pass"*"detached classic tc filter nk_count"* ]]
	[ -z "$(tc_names v0 egress)" ]
}

# the clsact qdiscs on DEV in HOST, as tc counts them (a failed tc counts nothing)
clsacts() { tc -n "$HOST" -j qdisc show dev "$1" | jq '[.[] | select(.kind == "clsact")] | length'; }

@test "the clsact that tcxctl added goes with its last filter; another one stays" {
	[ "$(clsacts v0)" = 0 ]
	tcx attach dev v0 ingress object "$OBJ/pass.bpf.o" mode tc
	tcx attach dev v0 egress object "$OBJ/count.bpf.o" mode tc
	[ "$(clsacts v0)" = 1 ]
	[ "$(tcx -j show dev v0 ingress hooks | jq -r '.[] | select(.mode == "tc") | .clsact_ours')" = true ]
	# a mark left by a namespace that had this inode before is not believed
	local mark
	mark=$(ls "/run/nktools/clsact/$(stat -L -c %i "/run/netns/$HOST")-"*)
	echo 12345 > "$mark"
	[ "$(tcx -j show dev v0 ingress hooks | jq -r '.[] | select(.mode == "tc") | .clsact_ours')" = false ]
	[ "$(cat "$mark")" = 12345 ]		# show changes nothing on disk
	tc -n "$HOST" qdisc del dev v0 clsact
	# the next change of the hook removes the stale mark first, then marks its own
	tcx attach dev v0 ingress object "$OBJ/pass.bpf.o" mode tc
	[ "$(cat "$mark")" != 12345 ]
	[ "$(tcx -j show dev v0 ingress hooks | jq -r '.[] | select(.mode == "tc") | .clsact_ours')" = true ]
	tcx attach dev v0 egress object "$OBJ/count.bpf.o" mode tc
	[ "$(clsacts v0)" = 1 ]
	tcx detach dev v0 ingress name nk_pass
	[ "$(clsacts v0)" = 1 ]				# egress still has a filter
	run --separate-stderr tcx detach dev v0 egress all
	assert_status 0
	[[ "$stderr" == *"detached classic tc filter nk_count"* ]]
	[ "$(clsacts v0)" = 0 ]
	# and its mark went with it
	[ -z "$(ls "/run/nktools/clsact/$(stat -L -c %i "/run/netns/$HOST")-"* 2>/dev/null)" ]
	# someone else's clsact, or a filter of theirs, keeps it
	tc -n "$HOST" qdisc add dev v0 clsact
	tcx attach dev v0 ingress object "$OBJ/pass.bpf.o" mode tc
	tcx detach dev v0 ingress all
	[ "$(clsacts v0)" = 1 ]
	tc -n "$HOST" qdisc del dev v0 clsact
	tcx attach dev v0 ingress object "$OBJ/pass.bpf.o" mode tc
	tc -n "$HOST" filter add dev v0 egress prio 7 bpf da obj "$OBJ/count.bpf.o" sec tc
	tcx detach dev v0 ingress all
	[ "$(clsacts v0)" = 1 ]
	tc -n "$HOST" qdisc del dev v0 clsact
	# upgrade to tcx: the last filter goes, and our clsact with it
	if has_tcx; then
		tcx attach dev v0 ingress object "$OBJ/pass.bpf.o" mode tc
		[ "$(clsacts v0)" = 1 ]
		tcx attach dev v0 ingress object "$OBJ/pass.bpf.o" mode tcx
		[ "$(clsacts v0)" = 0 ]
		[ "$(order v0 ingress)" = nk_pass ]
	fi
}

@test "auto uses classic tc on kernels without tcx" {
	has_tcx && skip "this kernel has tcx (Linux 6.6)"
	run tcx attach dev v0 ingress object "$OBJ/drop.bpf.o"
	assert_status 0
	[ "$(tc_names v0 ingress)" = "nktools:nk_drop" ]
	no_reply "$POD" 10.210.0.1
	run --separate-stderr tcx attach dev v0 ingress object "$OBJ/pass.bpf.o" revision 1
	assert_status 3
	run --separate-stderr tcx attach dev v0 ingress object "$OBJ/pass.bpf.o" mode tcx
	assert_status 3
	tcx detach dev v0 ingress all
	ping_ok
}

@test "upgrade from tc to tcx and back leaves exactly one of our attachments" {
	require_tcx
	tcx attach dev v0 ingress object "$OBJ/pass.bpf.o" mode tc
	[ "$(tc_names v0 ingress)" = "nktools:nk_pass" ]
	run --separate-stderr tcx attach dev v0 ingress object "$OBJ/pass.bpf.o" mode tcx
	assert_status 0
	[ -z "$(tc_names v0 ingress)" ]
	[ "$(order v0 ingress)" = nk_pass ]
	[ "$(tcx -j show dev v0 ingress | jq -r '.[0].mode')" = tcx ]
	run --separate-stderr tcx attach dev v0 ingress object "$OBJ/pass.bpf.o" mode tc
	assert_status 0
	[ "$(tc_names v0 ingress)" = "nktools:nk_pass" ]
	[ "$(tcx -j show dev v0 ingress | jq length)" = 1 ]
	[ "$(tcx -j show dev v0 ingress | jq -r '.[0].mode')" = tc ]
	ping_ok
}

@test "tcx beside classic tc filters is pointed out" {
	require_tcx
	tc -n "$HOST" qdisc add dev v0 clsact
	tc -n "$HOST" filter add dev v0 ingress bpf da obj "$OBJ/pass.bpf.o" sec tc
	run --separate-stderr tcx attach dev v0 ingress object "$OBJ/count.bpf.o"
	assert_status 0
	[[ "$stderr" == *"hides every classic tc filter"* ]]
}

# --- netkit -------------------------------------------------------------------

@test "netkit primary and peer hooks take the primary device" {
	require_netkit
	require_tcx
	"$NKCTL" -n "$HOST" add nk0 up peer name eth0 netns "$POD" up
	ip -n "$HOST" addr add 10.211.0.1/24 dev nk0
	ip -n "$POD" addr add 10.211.0.2/24 dev eth0
	ip netns exec "$POD" ping -c 1 -W 2 10.211.0.1
	run tcx attach dev nk0 peer object "$OBJ/drop.bpf.o"
	assert_status 0
	[ "$(tcx -j show dev nk0 peer | jq -r '.[0].kind + " " + .[0].mode')" = "netkit/peer netkit" ]
	[ "$(bpftool_ids nk0 netkit/peer)" = "$(our_ids nk0 peer)" ]
	no_reply "$POD" 10.211.0.1
	tcx attach dev nk0 peer object "$OBJ/pass.bpf.o" first
	ip netns exec "$POD" ping -c 1 -W 2 10.211.0.1
	tcx attach dev nk0 primary object "$OBJ/count.bpf.o"
	[ "$(order nk0 primary)" = nk_count ]
	ip netns exec "$POD" ping -c 1 -W 2 10.211.0.1
	# the pod's end is refused, and named
	run --separate-stderr "$TCXCTL" -n "$POD" attach dev eth0 peer object "$OBJ/pass.bpf.o"
	assert_status 2
	[[ "$stderr" == *"peer of a netkit pair"*"primary"*'"nk0"'* ]]
	tcx detach dev nk0 peer all
	tcx detach dev nk0 primary all
	[ -z "$(tcx -j show dev nk0 | jq -r '.[].name')" ]
}

@test "a pin follows its device into another namespace (show moves nothing); detach there removes it" {
	require_tcx
	tcx attach dev v0 ingress object "$OBJ/pass.bpf.o"
	local link pin before
	link=$(tcx -j show dev v0 ingress | jq -r '.[0].link_id')
	ip -n "$HOST" link set v0 netns "$POD"
	before=$(find /sys/fs/bpf/nktools | sort)
	run --separate-stderr "$TCXCTL" -n "$POD" -j show dev v0 ingress
	assert_status 0
	pin=$(jq -r '.[0].pin' <<< "$output")
	[ "$(jq -r '.[0].link_id' <<< "$output")" = "$link" ]
	[ "$pin" != null ]
	[ -e "$pin" ]
	# found where the device was; show leaves it there
	[[ "$pin" == "/sys/fs/bpf/nktools/$(stat -L -c %i "/run/netns/$HOST")/"* ]]
	[ "$(find /sys/fs/bpf/nktools | sort)" = "$before" ]
	local old=$pin
	# a change of the hook brings it under the namespace it is in now
	run --separate-stderr "$TCXCTL" -n "$POD" attach dev v0 ingress object "$OBJ/count.bpf.o"
	assert_status 0
	run --separate-stderr "$TCXCTL" -n "$POD" -j show dev v0 ingress
	pin=$(jq -r '.[] | select(.link_id == '"$link"') | .pin' <<< "$output")
	[[ "$pin" == "/sys/fs/bpf/nktools/$(stat -L -c %i "/run/netns/$POD")/"* ]]
	[ -e "$pin" ]
	[ ! -e "$old" ]
	run --separate-stderr "$TCXCTL" -n "$POD" detach dev v0 ingress name nk_count
	assert_status 0
	run --separate-stderr "$TCXCTL" -n "$POD" detach dev v0 ingress name nk_pass
	assert_status 0
	[ ! -e "$pin" ]
	[ -z "$(find /sys/fs/bpf/nktools -name "link$link-*")" ]
	run --separate-stderr "$TCXCTL" -n "$HOST" -j show all-netns
	[ "$(jq '[.[] | select(.link_id == '"$link"')] | length' <<< "$output")" = 0 ]
}

@test "a custom pin that cannot be made leaves no directories behind" {
	require_tcx
	local ino before
	ino=$(stat -L -c %i "/run/netns/$HOST")
	before=$(find /sys/fs/bpf/nktools 2>/dev/null | sort)
	run --separate-stderr tcx attach dev v0 ingress object "$OBJ/pass.bpf.o" pin /sys/fs/bpf/no/such/dir/p
	assert_status 1
	[ -n "$stderr" ]
	[ "$(find /sys/fs/bpf/nktools 2>/dev/null | sort)" = "$before" ]
	[ ! -e "/sys/fs/bpf/nktools/$ino" ]
	[ "$(order v0 ingress)" = "" ]
}

@test "NKTOOLS_DEBUG shows what libbpf says, and only then" {
	require_tcx
	local bad=$BATS_TEST_TMPDIR/text.o
	echo "not an ELF file" > "$bad"
	run --separate-stderr tcx attach dev v0 ingress object "$bad"
	assert_status 1
	[[ "$stderr" != *"libbpf: "* ]]
	NKTOOLS_DEBUG=1 run --separate-stderr tcx attach dev v0 ingress object "$bad"
	assert_status 1
	[[ "$stderr" == *"libbpf: "* ]]
	# 2: libbpf's debug messages too, here from sockreap's iterator
	NKTOOLS_DEBUG=2 run --separate-stderr "$SOCKREAP" --backend bpf -n "$HOST" list dport 9
	[[ "$stderr" == *"libbpf: "* ]] || [ "$status" = 3 ]
	[ -z "$(order v0 ingress)" ]
}
