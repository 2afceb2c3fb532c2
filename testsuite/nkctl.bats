#!/usr/bin/env bats
# nkctl against the running kernel: every device lives in namespaces the
# test creates; cross-checked with ip -d -j.

load lib

setup() {
	bats_require_minimum_version 1.5.0
	require_root
	new_ns HOST
	new_ns POD
}

teardown() {
	cleanup_ns
}

nk() { "$NKCTL" -n "$HOST" "$@"; }

# --- kernels without netkit -------------------------------------------------

@test "add says netkit is not supported when the kernel lacks it" {
	nk_feature netkit && skip "this kernel has netkit (Linux 6.7)"
	run --separate-stderr nk add nk0
	assert_status 3
	[[ "$stderr" == *"netkit is not supported by this kernel"*"6.7"* ]]
	[ -z "$output" ]
	# the BIG TCP sizes are refused the same way, before anything is sent
	run --separate-stderr nk add nk0 gso_ipv4_max_size 131072 peer gro_ipv4_max_size 131072
	assert_status 3
	[[ "$stderr" == *"netkit is not supported by this kernel"*"6.7"* ]]
	[ -z "$(netkit_devs "$HOST")" ]
}

@test "features the kernel lacks fail clearly and create nothing" {
	require_netkit
	local tried=0
	if ! nk_feature scrub; then
		run --separate-stderr nk add nk0 scrub none
		assert_status 3; [[ "$stderr" == *"scrub is not supported"*"6.13"* ]]; tried=1
	fi
	if ! nk_feature headroom; then
		run --separate-stderr nk add nk0 headroom 64
		assert_status 3; [[ "$stderr" == *"headroom is not supported"*"6.14"* ]]
		run --separate-stderr nk add nk0 tailroom 64
		assert_status 3; [[ "$stderr" == *"tailroom is not supported"*"6.14"* ]]; tried=1
	fi
	if ! nk_feature pairing; then
		run --separate-stderr nk add nk0 pairing single
		assert_status 3; [[ "$stderr" == *"pairing is not supported"*"7.1"* ]]; tried=1
	fi
	[ "$tried" = 1 ] || skip "this kernel has every netkit feature (Linux 7.1)"
	[ -z "$(netkit_devs "$HOST")" ]
}

# --- add --------------------------------------------------------------------

@test "add with defaults creates an l3 pair with forward policies" {
	require_netkit
	run nk add nk0
	assert_status 0
	[ -z "$output" ]
	[ "$(ipj "$HOST" nk0 .linkinfo.info_kind)" = netkit ]
	[ "$(ipj "$HOST" nk0 .linkinfo.info_data.mode)" = l3 ]
	[ "$(ipj "$HOST" nk0 .linkinfo.info_data.policy)" = forward ]
	[ "$(ipj "$HOST" nk0 .linkinfo.info_data.peer_policy)" = forward ]
	[ "$(ipj "$HOST" nk0 .linkinfo.info_data.type)" = primary ]
	# the unnamed peer got a name that does not collide
	[ "$(netkit_devs "$HOST" | sort | tr '\n' ' ')" = "nk0 nkp0 " ]
}

@test "a primary named like the peer template still gets a distinct peer" {
	require_netkit
	run nk add nkp0
	assert_status 0
	[ "$(netkit_devs "$HOST" | sort | tr '\n' ' ')" = "nkp0 nkq0 " ]
}

@test "the peer is created directly in its namespace and show resolves it" {
	require_netkit
	run nk add nk0 peer name eth0 netns "$POD"
	assert_status 0
	[ "$(netkit_devs "$HOST")" = nk0 ]
	[ "$(netkit_devs "$POD")" = eth0 ]
	[ "$(ipj "$POD" eth0 .linkinfo.info_data.type)" = peer ]
	run --separate-stderr nk -j show nk0
	assert_status 0; assert_json
	[ "$(jq -r '.[0].peer.ifname' <<< "$output")" = eth0 ]
	[ "$(jq -r '.[0].peer.netns' <<< "$output")" = "$POD" ]
	[ "$(jq -r '.[0].peer.ifindex' <<< "$output")" = "$(ipj "$POD" eth0 .ifindex)" ]
	run nk show nk0
	assert_output_has "peer eth0 ifindex"
	assert_output_has "netns $POD"
	# peers in several namespaces, and one beside its primary: each named
	local POD2
	new_ns POD2
	printf '%s\n' "add nk1 peer name eth0 netns $POD2" "add nk2 peer name nk2p" "add nk3 peer name eth1 netns $POD" |
		nk -b -
	run --separate-stderr nk -j show
	assert_status 0
	[ "$(jq -r '[.[] | select(.type == "primary") | "\(.ifname)>\(.peer.ifname)@\(.peer.netns // "-")"] | sort | join(" ")' <<< "$output")" = \
	  "nk0>eth0@$POD nk1>eth0@$POD2 nk2>nk2p@- nk3>eth1@$POD" ]
}

@test "the peer netns may be given as a path or a pid" {
	require_netkit
	run nk add nk0 peer name p1 netns "/run/netns/$POD"
	assert_status 0
	[ "$(netkit_devs "$POD")" = p1 ]
	ip netns exec "$POD" sleep 30 & local pid=$!
	sleep 0.5
	run nk add nk1 peer name p2 netns "$pid"
	kill "$pid"
	assert_status 0
	[ "$(netkit_devs "$POD" | sort | tr '\n' ' ')" = "p1 p2 " ]
}

@test "mode l2 with addresses on both ends" {
	require_netkit
	run nk add nk0 mode l2 address 02:00:00:00:00:01 peer name p0 netns "$POD" address 02:00:00:00:00:02
	assert_status 0
	[ "$(ipj "$HOST" nk0 .linkinfo.info_data.mode)" = l2 ]
	[ "$(ipj "$HOST" nk0 .address)" = 02:00:00:00:00:01 ]
	[ "$(ipj "$POD" p0 .address)" = 02:00:00:00:00:02 ]
	[ "$("$NKCTL" -n "$HOST" -j show nk0 | jq -r '.[0].address')" = 02:00:00:00:00:01 ]
}

@test "policy and peer policy blackhole" {
	require_netkit
	run nk add nk0 policy blackhole peer name p0 netns "$POD" policy blackhole
	assert_status 0
	[ "$(ipj "$HOST" nk0 .linkinfo.info_data.policy)" = blackhole ]
	[ "$(ipj "$HOST" nk0 .linkinfo.info_data.peer_policy)" = blackhole ]
	run nk -j show nk0
	[ "$(jq -r '.[0].policy + " " + .[0].peer_policy' <<< "$output")" = "blackhole blackhole" ]
}

@test "scrub and peer scrub none" {
	require_nk_feature scrub 6.13
	run nk add nk0 scrub none peer scrub none
	assert_status 0
	[ "$(ipj "$HOST" nk0 .linkinfo.info_data.scrub)" = none ]
	[ "$(ipj "$HOST" nk0 .linkinfo.info_data.peer_scrub)" = none ]
	run nk -j show nk0
	[ "$(jq -r '.[0].scrub + " " + .[0].peer_scrub' <<< "$output")" = "none none" ]
}

@test "headroom and tailroom are stored and shown" {
	require_nk_feature headroom 6.14
	run nk add nk0 headroom 64 tailroom 32 peer name p0 netns "$POD"
	assert_status 0
	run nk -j show nk0
	assert_json
	[ "$(jq -r '.[0].headroom' <<< "$output")" = 64 ]
	[ "$(jq -r '.[0].tailroom' <<< "$output")" = 32 ]
	# the kernel applies them to both devices
	run "$NKCTL" -n "$POD" -j show p0
	[ "$(jq -r '.[0].headroom, .[0].tailroom' <<< "$output" | tr '\n' ' ')" = "64 32 " ]
}

@test "pairing single creates one device without a peer" {
	require_nk_feature pairing 7.1
	run nk add nk0 pairing single
	assert_status 0
	[ "$(netkit_devs "$HOST")" = nk0 ]
	run nk -j show nk0
	[ "$(jq -r '.[0].pairing' <<< "$output")" = single ]
	[ "$(jq -r '.[0].peer' <<< "$output")" = null ]
	[ "$(ipj "$HOST" nk0 .link)" = null ]
}

@test "pairing pair is the default and is shown" {
	require_nk_feature pairing 7.1
	run nk add nk0 pairing pair
	assert_status 0
	[ "$(nk -j show nk0 | jq -r '.[0].pairing')" = pair ]
}

@test "mtu, peer mtu, rx and tx queues" {
	require_netkit
	run nk add nk0 mtu 9000 txqueues 1 rxqueues 2 peer name p0 netns "$POD" mtu 1400
	assert_status 0
	[ "$(ipj "$HOST" nk0 .mtu)" = 9000 ]
	[ "$(ipj "$POD" p0 .mtu)" = 1400 ]
	[ "$(ipj "$HOST" nk0 .num_tx_queues)" = 1 ]
	[ "$(ipj "$HOST" nk0 .num_rx_queues)" = 2 ]
}

@test "BIG TCP sizes and txqueuelen on both ends, set in the creating request and by set" {
	require_netkit
	run nk add nk0 gso_max_size 100000 gro_max_size 110000 gso_ipv4_max_size 120000 \
		gro_ipv4_max_size 130000 txqueuelen 500 \
		peer name p0 netns "$POD" gso_max_size 90000 gro_max_size 91000 \
		gso_ipv4_max_size 92000 gro_ipv4_max_size 93000 txqueuelen 600
	assert_status 0
	local keys='[.[0] | .txqlen, .gso_max_size, .gro_max_size, .gso_ipv4_max_size, .gro_ipv4_max_size] | map(tostring) | join(" ")'
	# ip's view of each end
	[ "$(ip -n "$HOST" -d -j link show nk0 | jq -r "$keys")" = "500 100000 110000 120000 130000" ]
	[ "$(ip -n "$POD" -d -j link show p0 | jq -r "$keys")" = "600 90000 91000 92000 93000" ]
	# nkctl's, with the same keys, for the device and its peer
	run nk -j show nk0
	assert_status 0
	[ "$(jq -r "($keys) + \" \" + ([.[0].peer] | $keys)" <<<"$output")" = "500 100000 110000 120000 130000 600 90000 91000 92000 93000" ]
	run nk show nk0
	[[ "$output" == *"txqlen 500 gso_max_size 100000 gro_max_size 110000 gso_ipv4_max_size 120000 gro_ipv4_max_size 130000"* ]]
	# set: on the primary, and on the peer in its own namespace
	run nk set nk0 gso_max_size 70000 txqueuelen 5
	assert_status 0
	run "$NKCTL" -n "$POD" set p0 gro_ipv4_max_size 80000
	assert_status 0
	[ "$(ip -n "$HOST" -d -j link show nk0 | jq -r "$keys")" = "5 70000 110000 120000 130000" ]
	[ "$(ip -n "$POD" -d -j link show p0 | jq -r "$keys")" = "600 90000 91000 92000 80000" ]
	# out of range: refused before anything is sent
	run --separate-stderr nk add nk1 gso_max_size 524281
	assert_status 2
	[[ "$stderr" == *"gso_max_size"* ]]
	run --separate-stderr nk set nk0 peer txqueuelen 5
	assert_status 2
	[ "$(netkit_devs "$HOST")" = nk0 ]
}

@test "several tx queues: created as asked, or refused by the kernel leaving nothing" {
	require_netkit
	# 6.12 accepts them; 7.x refuses them with EOPNOTSUPP and no message
	run --separate-stderr nk add nk0 txqueues 4 peer name p0 netns "$POD"
	if [ "$status" = 0 ]; then
		[ "$(ipj "$HOST" nk0 .num_tx_queues)" = 4 ]
	else
		assert_status 1
		[[ "$stderr" == *"refuses txqueues 4"* ]]
		[ -z "$(netkit_devs "$HOST")" ]
		[ -z "$(netkit_devs "$POD")" ]
	fi
}

@test "up and peer up bring both ends up and traffic passes" {
	require_netkit
	run nk add nk0 up peer name eth0 netns "$POD" up
	assert_status 0
	[[ "$(ipj "$HOST" nk0 .flags)" == *'"UP"'* ]]
	[[ "$(ipj "$POD" eth0 .flags)" == *'"UP"'* ]]
	[ "$(ipj "$HOST" nk0 .operstate)" = UP ]
	ip -n "$HOST" addr add 10.200.0.1/24 dev nk0
	ip -n "$POD" addr add 10.200.0.2/24 dev eth0
	ip netns exec "$HOST" ping -c 2 -W 2 -i 0.2 10.200.0.2
}

@test "policy blackhole drops traffic, forward passes it again" {
	require_netkit
	nk add nk0 up policy blackhole peer name eth0 netns "$POD" up
	ip -n "$HOST" addr add 10.201.0.1/24 dev nk0
	ip -n "$POD" addr add 10.201.0.2/24 dev eth0
	no_reply "$HOST" 10.201.0.2
	nk set nk0 policy forward
	ip netns exec "$HOST" ping -c 1 -W 2 10.201.0.2
}

# --- set --------------------------------------------------------------------

@test "set changes policy and peer policy" {
	require_netkit
	nk add nk0 peer name p0 netns "$POD"
	run nk set nk0 policy blackhole peer policy blackhole
	assert_status 0
	[ "$(ipj "$HOST" nk0 .linkinfo.info_data.policy)" = blackhole ]
	[ "$(ipj "$HOST" nk0 .linkinfo.info_data.peer_policy)" = blackhole ]
	run nk set nk0 peer policy forward
	[ "$(ipj "$HOST" nk0 .linkinfo.info_data.peer_policy)" = forward ]
	[ "$(ipj "$HOST" nk0 .linkinfo.info_data.policy)" = blackhole ]
}

@test "set changes address, mtu, up and down" {
	require_netkit
	nk add nk0 mode l2
	run nk set nk0 address 02:aa:bb:cc:dd:ee mtu 1280 up
	assert_status 0
	[ "$(ipj "$HOST" nk0 .address)" = 02:aa:bb:cc:dd:ee ]
	[ "$(ipj "$HOST" nk0 .mtu)" = 1280 ]
	[[ "$(ipj "$HOST" nk0 .flags)" == *'"UP"'* ]]
	run nk set nk0 down
	assert_status 0
	[[ "$(ipj "$HOST" nk0 .flags)" != *'"UP"'* ]]
}

@test "set refuses what is fixed at creation, before sending anything" {
	require_root
	local kw
	for kw in "mode l2" "scrub none" "headroom 8" "tailroom 8" "pairing single" \
		  "txqueues 2" "peer scrub none" "peer name x" "peer netns x"; do
		run --separate-stderr nk set nk0 $kw
		assert_status 2
		[[ "$stderr" == *"cannot be changed after the device is created"* ]]
	done
}

@test "set of a policy on the peer device says to use the primary" {
	require_netkit
	nk add nk0 peer name p0 netns "$POD"
	run --separate-stderr "$NKCTL" -n "$POD" set p0 policy blackhole
	assert_status 1
	[[ "$stderr" == *"peer of a netkit pair"*"primary"* ]]
	[ "$(ipj "$HOST" nk0 .linkinfo.info_data.peer_policy)" = forward ]
	# generic settings work on the peer
	run "$NKCTL" -n "$POD" set p0 mtu 1300 up
	assert_status 0
	[ "$(ipj "$POD" p0 .mtu)" = 1300 ]
}

@test "set of an address on an l3 device is refused" {
	require_netkit
	nk add nk0
	run --separate-stderr nk set nk0 address 02:00:00:00:00:09
	assert_status 1
	[[ "$stderr" == *"mode l3"* ]]
}

@test "set and del of a device that is not netkit are refused" {
	require_root
	ip -n "$HOST" link add v0 type veth peer name v1
	run --separate-stderr nk set v0 mtu 1400
	assert_status 1
	[[ "$stderr" == *"not a netkit device (kind: veth)"* ]]
	run --separate-stderr nk del v0
	assert_status 1
	[ "$(ipj "$HOST" v0 .mtu)" = 1500 ]
}

# --- del, show --------------------------------------------------------------

@test "del removes both ends, from either end" {
	require_netkit
	nk add nk0 peer name p0 netns "$POD"
	run nk del nk0
	assert_status 0
	[ -z "$(netkit_devs "$HOST")" ]
	[ -z "$(netkit_devs "$POD")" ]
	nk add nk1 peer name p1 netns "$POD"
	run "$NKCTL" -n "$POD" del p1
	assert_status 0
	[ -z "$(netkit_devs "$HOST")" ]
}

@test "del of a missing device exits 5" {
	require_root
	run --separate-stderr nk del nothere
	assert_status 5
	[[ "$stderr" == *'cannot find device "nothere"'* ]]
	run --separate-stderr nk show nothere
	assert_status 5
}

@test "show lists only netkit devices, as valid JSON" {
	require_netkit
	ip -n "$HOST" link add v0 type veth peer name v1
	nk add nk0 peer name p0 netns "$POD"
	nk add nk1 mode l2 peer name p1 netns "$POD"
	run --separate-stderr nk -j show
	assert_status 0; assert_json
	[ "$(jq -r '.[].ifname' <<< "$output" | tr '\n' ' ')" = "nk0 nk1 " ]
	[ "$(jq -r '.[1].mode' <<< "$output")" = l2 ]
	run --separate-stderr nk -j -p show
	assert_json
	run "$NKCTL" -n "$POD" -j show
	[ "$(jq -r '[.[].type] | join(" ")' <<< "$output")" = "peer peer" ]
	[ "$(jq -r '.[0].peer.ifname' <<< "$output")" = nk0 ]
}

@test "show without netkit devices prints an empty JSON array" {
	require_root
	run --separate-stderr nk -j show
	assert_status 0
	[ "$output" = "[]" ]
}

# --- bad input leaves nothing behind ----------------------------------------

@test "bad input is refused with exit 2 and creates nothing" {
	require_root
	local args
	while read -r args; do
		run --separate-stderr nk add $args
		assert_status 2
		[ -n "$stderr" ]
		[ -z "$output" ]
	done <<-'EOF'
	nk0123456789abcde
	nk0 address 02:00:00:00:00:01
	nk0 mode l2 address 02:00:00:00:00
	nk0 mode l2 address 02:00:00:00:00:zz
	nk0 mode l2 address 01:00:00:00:00:01
	nk0 peer address 02:00:00:00:00:01
	nk0 frobnicate
	nk0 mode l2 mode l3
	nk0 policy
	nk0 policy drop
	nk0 mtu 10
	nk0 headroom 70000
	nk0 pairing single peer name x
	nk0 pairing single policy blackhole
	nk0 peer name nk0
	nk0 peer name waytoolongname123
	nk0 peer peer
	nk0 peer mode l2
	EOF
	[ -z "$(netkit_devs "$HOST")" ]
	[ -z "$(netkit_devs "$POD")" ]
}

@test "a peer namespace that does not exist is refused and nothing is created" {
	require_root
	run --separate-stderr nk add nk0 peer netns nk-no-such-ns
	assert_status 5
	[[ "$stderr" == *"nk-no-such-ns"*"does not exist"* ]]
	[ -z "$(ip -n "$HOST" -j link show | jq -r '.[] | select(.ifname != "lo") | .ifname')" ]
}

@test "a name that exists already fails with the kernel's reason, leaving it alone" {
	require_netkit
	nk add nk0 peer name p0 netns "$POD"
	run --separate-stderr nk add nk0 peer name p9 netns "$POD"
	assert_status 1
	[[ "$stderr" == *"File exists"* ]]
	[ "$(netkit_devs "$POD")" = p0 ]
	# the peer name taken in the pod: the primary is not left behind
	run --separate-stderr nk add nk5 peer name p0 netns "$POD"
	assert_status 1
	[ "$(netkit_devs "$HOST")" = nk0 ]
}

# --- batch ------------------------------------------------------------------

@test "batch creates many pairs on one socket and reports the failing line" {
	require_netkit
	local f=$BATS_TEST_TMPDIR/batch
	for i in 0 1 2 3; do echo "add nk$i peer name p$i netns $POD # pod $i"; done > "$f"
	echo "" >> "$f"
	echo "show" >> "$f"
	run --separate-stderr "$NKCTL" -n "$HOST" -j -b "$f"
	assert_status 0; assert_json
	[ "$(jq length <<< "$output")" = 4 ]
	[ "$(netkit_devs "$POD" | sort | tr '\n' ' ')" = "p0 p1 p2 p3 " ]
	printf 'del nk0\ndel nk1\nset nk9 mtu 1400\ndel nk2\n' > "$f"
	run --separate-stderr "$NKCTL" -n "$HOST" -b "$f"
	assert_status 5
	[[ "$stderr" == *"$f:3:"*"nk9"* ]]
	[ "$(netkit_devs "$HOST" | sort | tr '\n' ' ')" = "nk2 nk3 " ]
	# the "del" lines before it went together (as one device group), and
	# the devices left keep their own group
	[ "$(ip -n "$HOST" -j link show nk2 | jq -r '.[0].group')" = default ]
	# a peer whose pair is deleted on an earlier line is gone, as one by one
	nk add nk4 peer name nk4p
	printf 'del nk2\ndel nk4\ndel nk4p\n' > "$f"
	run --separate-stderr "$NKCTL" -n "$HOST" -b "$f"
	assert_status 5
	[[ "$stderr" == *"$f:3:"*"nk4p"* ]]
	[ "$(netkit_devs "$HOST")" = nk3 ]
}

@test "batch from stdin" {
	require_netkit
	printf 'add nk0\nadd nk1\n' | "$NKCTL" -n "$HOST" -b -
	[ "$(nk -j show | jq '[.[] | select(.type == "primary")] | length')" = 2 ]
}

# --- monitor ----------------------------------------------------------------

# mon_start [all-netns]: nkctl -j monitor in $HOST, its events in $EV; with
# all-netns, returns once $POD has an nsid there (the monitor gives it one)
mon_start() {
	EV=$BATS_TEST_TMPDIR/events
	"$NKCTL" -n "$HOST" -j monitor "$@" > "$EV" 2> "$BATS_TEST_TMPDIR/mon.err" 3>&- &
	MON=$!
	local i
	for ((i = 0; i < 100; i++)); do
		[[ "$(ip -n "$HOST" netns list-id)" == *"name: $POD)"* ]] && return 0
		nap 0.1
	done
	return 1
}

# mon_stop N | PATTERN: wait for N events, or one that matches the glob
# PATTERN; stop the monitor, check it exited 0
mon_stop() {
	local i
	for ((i = 0; i < 300; i++)); do
		if [[ "$1" == [0-9]* ]]; then
			[ "$(wc -l < "$EV")" -ge "$1" ] && break
		else
			[[ "$(< "$EV")" == $1 ]] && break
		fi
		nap 0.1
	done
	kill -INT "$MON"
	wait "$MON"
}

@test "monitor: stops with exit 0 on SIGINT and SIGTERM; bad words are refused" {
	require_root
	local sig pid
	for sig in INT TERM; do
		"$NKCTL" -n "$HOST" monitor > /dev/null 3>&- &
		pid=$!	# (nap's first call sets $! too)
		nap 0.3
		kill -"$sig" "$pid"
		wait "$pid"
	done
	run --separate-stderr "$NKCTL" -n "$HOST" -j monitor everything
	assert_status 2
	[ "$output" = "[]" ]
	[[ "$stderr" == *'unexpected "everything"'* ]]
	run --separate-stderr "$NKCTL" -n "$HOST" -b - <<< "monitor"
	assert_status 2
	[[ "$stderr" == *"not in a batch"* ]]
}

@test "monitor all-netns: created, changed, policy, moved and deleted, with namespaces and peers" {
	require_netkit
	local POD2 POD3
	new_ns POD2
	mon_start all-netns
	nk add nk0 peer name p0 netns "$POD"
	nk set nk0 mtu 1400 up
	# the kernel announces a policy change only for a device that is up
	nk set nk0 policy blackhole
	ip -n "$POD" link set p0 netns "$POD2"
	# a namespace named after the monitor started is watched too
	new_ns POD3
	for ((i = 0; i < 100; i++)); do
		[[ "$(ip -n "$HOST" netns list-id)" == *"name: $POD3)"* ]] && break
		nap 0.1
	done
	"$NKCTL" -n "$POD3" add nk3 peer name p3
	nk del nk0
	mon_stop '*"deleted"*"'"$POD2"'"*'
	[ ! -s "$BATS_TEST_TMPDIR/mon.err" ]
	# one JSON object a line; keep each event's essentials
	run jq -r -c '[.event, .ifname, (.netns // "-"), .type,
		(if .event == "moved" then (.to.netns // "-") else (.peer | if . then "\(.ifname // "?")@\(.netns // "-")" else "none" end) end),
		.policy, .mtu] | map(tostring) | join(" ")' "$EV"
	assert_status 0
	echo "$output"
	# the MTU change, and (how many the kernel sends) the flags and state
	[[ "$output" == *"changed nk0 - primary p0@$POD forward 1400"* ]]
	# the rest in order; the move arrives in $POD2 as part of "moved"
	local want="created p0 $POD peer none forward 1500
created nk0 - primary p0@$POD forward 1500
policy nk0 - primary p0@$POD blackhole 1400
moved p0 $POD peer $POD2 forward 1500
created p3 $POD3 peer none forward 1500
created nk3 $POD3 primary p3@$POD3 forward 1500
deleted nk0 - primary none blackhole 1400
deleted p0 $POD2 peer none forward 1500"
	[ "$(grep -v '^changed' <<< "$output")" = "$want" ]
	# cross-check: what ip sees at the end
	[ -z "$(netkit_devs "$POD2")" ]
	[ "$(netkit_devs "$POD3" | sort | tr '\n' ' ')" = "nk3 p3 " ]
}

@test "monitor all-netns: no event lost in a burst of 300 pairs from nkctl -batch" {
	require_netkit
	local f=$BATS_TEST_TMPDIR/pairs i
	for ((i = 0; i < 300; i++)); do echo "add nk$i peer name p$i netns $POD"; done > "$f"
	for ((i = 0; i < 300; i++)); do echo "del nk$i"; done >> "$f"
	mon_start all-netns
	"$NKCTL" -n "$HOST" -b "$f"
	mon_stop 1200
	[ ! -s "$BATS_TEST_TMPDIR/mon.err" ]
	# every device created and deleted once, on both sides
	run jq -r -s -c '[group_by(.event)[] | {(.[0].event): length}] | add' "$EV"
	[ "$output" = '{"created":600,"deleted":600}' ]
	run jq -r -s '[.[] | select(.event == "created" and .type == "peer" and .netns == "'"$POD"'")] | length' "$EV"
	[ "$output" = 300 ]
}
