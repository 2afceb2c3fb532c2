#!/usr/bin/env bats
# Bad input for all three tools, as a table: for each invocation, in text
# and in JSON, the exit code is the documented one, stderr says something,
# stdout is empty (or one valid JSON document with -j), and nothing is left
# behind: devices, links, pins, qdiscs, filters, namespaces.

load lib

OBJ=$BATS_TEST_DIRNAME/../bpf/.out

setup() {
	bats_require_minimum_version 1.5.0
	require_root
	new_ns NS
	ip -n "$NS" link add v0 type veth peer name v1
	ip -n "$NS" link set v0 up
	ip -n "$NS" link set v1 up
	BAD=$BATS_TEST_TMPDIR/bad
	mkdir -p "$BAD"
	echo "this is not an ELF file" > "$BAD/text.o"
	printf 'show\n' > "$BAD/batch"
	LONG=$(printf 'x%.0s' $(seq 300))
}

teardown() {
	churn_teardown
	cleanup_ns
}

# What could be left behind, in the test's namespace and on the host (few
# processes: each costs a lot under TCG).
state() {
	ip -n "$NS" -o link show | sed 's/^[0-9]*: //; s/ qlen.*//' | sort
	printf 'qdisc show\nfilter show dev v0 ingress\nfilter show dev v0 egress\n' | tc -n "$NS" -b -
	bpftool link list | grep -E '^[0-9]+: (tcx|netkit)' || true
	# our pins and directories, and any other pin made since the test began
	find /sys/fs/bpf -path '/sys/fs/bpf/nktools*' -print -o ! -type d -newer "$BAD/batch" -print \
		2>/dev/null | sort
	echo /run/netns/*
}

# try CODES TOOL ARGS...: CODES is the exit code, or codes "3|5" where the
# kernel decides which (e.g. netkit missing, or not). On the host the state
# is compared after each invocation; in the VMs (where every process is
# slow) after the whole table, by left_behind.
tried=0 last_state=
try() {
	local codes=$1 tool=$2 j
	shift 2
	[ -n "$last_state" ] || last_state=$(state)
	for j in "" -j; do
		run --separate-stderr "$tool" $j "$@"
		tried=$((tried + 1))
		if [[ "|$codes|" != *"|$status|"* ]]; then
			echo "$tool $j $*: exit $status, expected $codes; stderr: $stderr" >&2
			return 1
		fi
		if [ -z "$stderr" ]; then
			echo "$tool $j $*: nothing on stderr" >&2
			return 1
		fi
		if [ -z "$j" ] && [ -n "$output" ]; then
			echo "$tool $*: stdout is not empty: $output" >&2
			return 1
		fi
		if [ -n "$j" ] && ! jq -e . > /dev/null 2>&1 <<< "$output"; then
			echo "$tool -j $*: stdout is not JSON: $output" >&2
			return 1
		fi
	done
	[ -n "${NK_VM:-}" ] || left_behind "$tool $*"
}

left_behind() { # left_behind WHAT: the state is as it was
	local after
	after=$(state)
	if [ "$last_state" != "$after" ]; then
		echo "$1: left something behind:" >&2
		diff <(echo "$last_state") <(echo "$after") >&2
		return 1
	fi
	last_state=$after
}

@test "nkctl: bad input gets its exit code, a message, and leaves nothing" {
	local N="$NKCTL -n $NS"
	try 2 $N add
	try 2 $N add nk0 mode l5
	try 2 $N add nk0 mode
	try 2 $N add nk0 policy drop
	try 2 $N add nk0 peer policy
	try 2 $N add nk0 scrub sometimes
	try 2 $N add nk0 headroom 70000
	try 2 $N add nk0 headroom -1
	try 2 $N add nk0 headroom 0x10
	try 2 $N add nk0 tailroom many
	try 2 $N add nk0 mtu 10
	try 2 $N add nk0 mtu 99999999999999999999
	try 2 $N add nk0 txqueues 0
	try 2 $N add nk0 address 02:00:00:00:00
	try 2 $N add nk0 address zz:00:00:00:00:01
	try 2 $N add nk0 mode l2 mode l3
	try 2 $N add nk0 pairing triple
	try 2 $N add "$LONG"
	try 2 $N add nk0 peer name "$LONG"
	try 2 $N add nk0 bogus
	try 2 $N add nk0 peer name
	try 2 $N set
	try 2 $N set nk0 headroom 9
	try 2 $N set nk0 mode l2
	try 2 $N set nk0 policy
	try 2 $N del
	try 2 $N del nk0 extra
	try 2 $N frobnicate
	try 5 $N show dev
	try 2 $N show nk0 extra
	try 2 $NKCTL --frob
	try 2 $NKCTL -n
	try 2 $NKCTL -b
	try 2 $NKCTL -b "$BAD/batch" show
	try 5 $NKCTL -n nkt-no-such-ns-$$ show
	try 5 $N del nk-no-such-dev
	try 5 $N set nk-no-such-dev policy blackhole
	try "3|5" $N add nk0 peer netns nkt-no-such-ns-$$
	try 1 $NKCTL -b "$BAD"
	try 1 $NKCTL -b "$BAD/nonexistent"
	try "3|1" $N add v0
	left_behind "the nkctl table"
	echo "# nkctl: $tried invocations ($((tried / 2)) inputs, in text and JSON)" >&3
}

@test "tcxctl: bad input gets its exit code, a message, and leaves nothing" {
	local T="$TCXCTL -n $NS"
	try 2 $T attach
	try 2 $T attach dev
	try 2 $T attach dev v0
	try 2 $T attach dev v0 sideways object "$OBJ/pass.bpf.o"
	try 2 $T attach dev v0 ingress
	try 2 $T attach dev v0 ingress object
	try 2 $T attach dev v0 ingress object "$OBJ/pass.bpf.o" first last
	try 2 $T attach dev v0 ingress object "$OBJ/pass.bpf.o" before
	try 2 $T attach dev v0 ingress object "$OBJ/pass.bpf.o" revision x
	try 2 $T attach dev v0 ingress object "$OBJ/pass.bpf.o" revision 0
	try 2 $T attach dev v0 ingress object "$OBJ/pass.bpf.o" mode tcp
	try 2 $T attach dev v0 ingress object "$OBJ/pass.bpf.o" pin
	try 2 $T attach dev v0 ingress id 0
	try 2 $T attach dev v0 ingress id -4
	try 2 $T attach dev v0 ingress id 99999999999
	try 2 $T attach dev v0 ingress object "$OBJ/notc.bpf.o"
	try 2 $T attach dev v0 ingress object "$OBJ/progs.bpf.o"
	try 2 $T attach dev v0 primary object "$OBJ/pass.bpf.o"
	try 2 $T attach dev v0 peer object "$OBJ/pass.bpf.o"
	try 2 $T attach dev v0 ingress object "$OBJ/pass.bpf.o" bogus
	try 5 $T attach dev nodev ingress object "$OBJ/pass.bpf.o"
	try 5 $T attach dev v0 ingress object "$BAD/nonexistent.o"
	try 1 $T attach dev v0 ingress object "$BAD/text.o"
	try 1 $T attach dev v0 ingress object "$BAD"
	try 5 $T attach dev v0 ingress object "$OBJ/progs.bpf.o" program nope
	try 5 $T attach dev v0 ingress object "$OBJ/pass.bpf.o" before id 4000000
	try 5 $T attach dev v0 ingress id 4000000000
	try 5 $T attach dev v0 ingress pinned "$BAD/nonexistent"
	try 2 $T detach
	try 2 $T detach dev v0
	try 2 $T detach dev v0 ingress
	try 2 $T detach dev v0 ingress name
	try 5 $T detach dev v0 ingress name nk_nothing
	try 5 $T detach dev v0 ingress id 4000000
	try 5 $T detach dev nodev ingress all
	try 2 $T replace dev v0 ingress
	try "5|3" $T replace dev v0 ingress name nk_nothing object "$OBJ/pass.bpf.o"	# 3: no tcx (6.1)
	try 2 $T move dev v0 ingress name nk_pass
	try "5|3" $T move dev v0 ingress name nk_nothing first	# 3: no tcx (6.1)
	try 2 $T show dev
	try 2 $T show dev v0 sideways
	try 5 $T show dev nodev
	try 2 $T frobnicate
	try 2 $TCXCTL --frob
	try 2 $TCXCTL -b "$BAD/batch" show
	try 5 $TCXCTL -n nkt-no-such-ns-$$ show
	try 1 $TCXCTL -b "$BAD"
	left_behind "the tcxctl table"
	echo "# tcxctl: $tried invocations ($((tried / 2)) inputs, in text and JSON)" >&3
}

@test "sockreap: bad input gets its exit code, a message, and leaves nothing" {
	local S="$SOCKREAP -n $NS"
	try 2 $S kill
	try 2 $S frobnicate
	try 2 $S list dst
	try 2 $S list dst 300.1.1.1
	try 2 $S list dst 10.0.0.0/33
	try 2 $S list dst 10.0.0.1:0
	try 2 $S list dst 10.0.0.1:65536
	try 2 $S list dst 10.0.0.1:0x50
	try 2 $S list dst "[fd00::1"
	try 2 $S list dst "[fd00::1]x"
	try 2 $S list dst fd00::/129
	try 2 $S list dst "$LONG"
	try 2 $S list dport 0
	try 2 $S list dport 70000
	try 2 $S list dport 0x50
	try 2 $S list sport -1
	try 2 $S list sport 1e3
	try 2 $S list state sleepy
	try 2 $S list state unknown
	try 2 $S list state
	try 2 $S list cookie
	try 2 $S list cookie 0
	try 2 $S list cookie x
	try 2 $S list cookie 0x
	try 2 $S list cookie 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17
	try 2 $S list tcp udp
	try 2 $S list -4 -6
	try 2 $S list all all
	try 2 $S list dst 1.1.1.1 dst 2.2.2.2
	try 2 $S list bogus
	try 2 $SOCKREAP --backend foo list
	try 2 $SOCKREAP --backend
	try 2 $SOCKREAP -b "$BAD/batch" list
	try 5 $SOCKREAP -n nkt-no-such-ns-$$ list
	left_behind "the sockreap table"
	echo "# sockreap: $tried invocations ($((tried / 2)) inputs, in text and JSON)" >&3
}

@test "namespaces created and deleted during the walk: no crash, each answer whole" {
	local prefix=nktchurn$$ i rc
	CHURN_PREFIX=$prefix
	ip -n "$NS" addr add 127.77.9.9/32 dev lo
	"$BATS_TEST_DIRNAME/sockfarm" --in "/run/netns/$NS" conn:127.77.9.9:9099:2 > "$BAD/farm" &
	FARM_PID=$!
	for ((i = 0; i < 50; i++)); do [ -s "$BAD/farm" ] && break; nap 0.1; done
	grep -q ready "$BAD/farm"
	# churn: namespaces come and go, some with a socket of their own
	(
		while :; do
			for i in $(seq 20); do
				ip netns add "$prefix-$i" 2> /dev/null
				ip -n "$prefix-$i" link set lo up 2> /dev/null
			done
			for i in $(seq 20); do ip netns del "$prefix-$i" 2> /dev/null; done
		done
	) &
	CHURN_PID=$!
	# fewer rounds in the VMs, where each is slow (the churn goes on)
	local rounds=25
	[ -z "${NK_VM:-}" ] || rounds=8
	for i in $(seq "$rounds"); do
		run --separate-stderr "$SOCKREAP" -j list dst 127.77.9.9:9099
		# 4: a namespace went away between the list and the entry; never a crash
		[ "$status" = 0 ] || [ "$status" = 4 ] || { echo "sockreap exit $status: $stderr" >&2; return 1; }
		assert_json
		[ "$(jq '[.[] | select(.netns == "'"$NS"'") | .sockets[]] | length' <<< "$output")" = 2 ]
		run --separate-stderr "$TCXCTL" -j show all-netns
		[ "$status" = 0 ] || [ "$status" = 4 ] || { echo "tcxctl exit $status: $stderr" >&2; return 1; }
		assert_json
	done
}

churn_teardown() {
	[ -n "${CHURN_PID:-}" ] && kill "$CHURN_PID" 2> /dev/null && wait "$CHURN_PID" 2> /dev/null
	[ -n "${FARM_PID:-}" ] && kill "$FARM_PID" 2> /dev/null
	local n
	if [ -n "${CHURN_PREFIX:-}" ]; then
		for n in /run/netns/"$CHURN_PREFIX"-*; do
			[ -e "$n" ] && ip netns del "${n##*/}" 2> /dev/null
		done
	fi
	return 0
}
