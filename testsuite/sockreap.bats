#!/usr/bin/env bats
# sockreap against real sockets in namespaces the test creates. Every socket
# uses a per-test address in 127.77.0.0/16 and a per-test port, so that a
# walk over all namespaces can only match what the test made.

load lib

PEER=$BATS_TEST_DIRNAME/unit/nkpeer

setup() {
	bats_require_minimum_version 1.5.0
	require_root
	new_ns NSA
	new_ns NSB
	ADDR=127.77.$((RANDOM % 250)).$((RANDOM % 250 + 1))
	PORT=$((20000 + RANDOM % 20000))
	OTHER=$((PORT + 1))
	PIDS=
}

teardown() {
	local p
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	cleanup_ns
}

has_kfunc() { has_feature "$SOCKREAP" bpf_sock_destroy; }
require_backend() { # require_backend bpf|diag
	if [ "$1" = bpf ] && ! has_kfunc; then
		skip "bpf_sock_destroy is not supported by this kernel (needs Linux 6.5)"
	fi
}

wait_line() { # wait_line FILE ERE: a line of FILE matches (no process per look)
	local i line
	for ((i = 0; i < 100; i++)); do
		if [ -r "$1" ]; then
			while IFS= read -r line || [ -n "$line" ]; do
				[[ $line =~ $2 ]] && return 0
			done < "$1"
		fi
		nap 0.1
	done
	echo "timed out waiting for '$2' in $1: $(cat "$1")" >&2
	return 1
}

serve() { # serve NS PROTO ADDR PORT -> server output file in $REPLY
	REPLY=$BATS_TEST_TMPDIR/serve-$1-$2-$4
	ip netns exec "$1" "$PEER" serve "$2" "$3" "$4" > "$REPLY" 2>&1 &
	PIDS+=" $!"
	wait_line "$REPLY" listening
}

client() { # client NAME NS PROTO ADDR PORT: sets NAME_pid, NAME_out, NAME_cookie
	local out=$BATS_TEST_TMPDIR/client-$1
	ip netns exec "$2" "$PEER" connect "$3" "$4" "$5" > "$out" 2>&1 &
	local pid=$!
	PIDS+=" $pid"
	wait_line "$out" ready
	printf -v "$1_pid" '%s' "$pid"
	printf -v "$1_out" '%s' "$out"
	local line f
	while IFS= read -r line; do
		[[ $line == ready* ]] || continue
		read -r _ f _ <<< "$line"
		printf -v "$1_cookie" '%s' "$f"
		break
	done < "$out"
}

outcome() { # outcome NAME: poke the client, print what its next send did
	local pid=${1}_pid out=${1}_out
	kill -USR1 "${!pid}"
	wait_line "${!out}" '^(send|recv)'
	local line
	while IFS= read -r line; do
		[[ $line =~ ^(send|recv) ]] && printf '%s\n' "$line"
	done < "${!out}"
}

# Two namespaces, each with a TCP and a UDP service on ADDR:PORT (the
# "deleted backend") and a TCP one on ADDR:OTHER; clients of all three.
world() {
	local ns
	for ns in "$NSA" "$NSB"; do
		ip -n "$ns" addr add "$ADDR/32" dev lo
		serve "$ns" tcp "$ADDR" "$PORT"
		serve "$ns" udp "$ADDR" "$PORT"
		serve "$ns" tcp "$ADDR" "$OTHER"
	done
	client a_tcp "$NSA" tcp "$ADDR" "$PORT"
	client a_udp "$NSA" udp "$ADDR" "$PORT"
	client a_oth "$NSA" tcp "$ADDR" "$OTHER"
	client b_tcp "$NSB" tcp "$ADDR" "$PORT"
	client b_udp "$NSB" udp "$ADDR" "$PORT"
	client b_oth "$NSB" tcp "$ADDR" "$OTHER"
}

kill_backend_test() { # kill_backend_test BACKEND
	world
	run --separate-stderr "$SOCKREAP" --backend "$1" -j kill dst "$ADDR:$PORT"
	assert_status 0; assert_json
	# exactly the four clients of the dead backend, in both namespaces
	[ "$(jq '[.[].sockets[]] | length' <<< "$output")" = 4 ]
	[ "$(jq -r '[.[].netns] | sort | join(" ")' <<< "$output")" = "$(printf '%s\n' "$NSA" "$NSB" | sort | tr '\n' ' ' | sed 's/ $//')" ]
	[ "$(jq '[.[].destroyed] | add' <<< "$output")" = 4 ]
	[ "$(jq -r '[.[].backend] | unique | join(" ")' <<< "$output")" = "$1" ]
	[ "$(jq -r --arg c "$a_tcp_cookie" '[.[].sockets[] | select(.cookie == ($c | tonumber))] | length' <<< "$output")" = 1 ]
	# a destroyed TCP client's next send fails with ECONNABORTED, its peer saw a reset
	[ "$(outcome a_tcp)" = "send ECONNABORTED" ]
	[ "$(outcome b_tcp)" = "send ECONNABORTED" ]
	grep -q '^reset ECONNRESET' "$BATS_TEST_TMPDIR/serve-$NSA-tcp-$PORT"
	# a destroyed UDP client fails its next send or receive
	[[ "$(outcome a_udp)" != "send ok" ]]
	[[ "$(outcome b_udp)" != "send ok" ]]
	# everything else still carries data
	[ "$(outcome a_oth)" = "send ok" ]
	[ "$(outcome b_oth)" = "send ok" ]
}

@test "kill dst BACKEND:PORT destroys exactly its clients in every namespace (bpf)" {
	require_backend bpf
	kill_backend_test bpf
}

@test "kill dst BACKEND:PORT destroys exactly its clients in every namespace (diag)" {
	kill_backend_test diag
}

@test "list is a dry run: it shows what kill would destroy and destroys nothing" {
	world
	run --separate-stderr "$SOCKREAP" -j list dst "$ADDR:$PORT"
	assert_status 0; assert_json
	[ "$(jq '[.[].sockets[]] | length' <<< "$output")" = 4 ]
	[ "$(jq '[.[].sockets[] | select(.destroyed != null)] | length' <<< "$output")" = 0 ]
	run "$SOCKREAP" list dst "$ADDR:$PORT"
	assert_output_has "$ADDR:$PORT cookie $a_tcp_cookie uid 0"
	assert_output_has "netns $NSA:"
	[ "$(outcome a_tcp)" = "send ok" ]
	[ "$(outcome a_udp)" = "send ok" ]
}

@test "kill twice destroys nothing the second time (exit 5)" {
	world
	run "$SOCKREAP" kill dst "$ADDR:$PORT"
	assert_status 0
	run --separate-stderr "$SOCKREAP" kill dst "$ADDR:$PORT"
	assert_status 5
	[ -z "$output" ]
}

@test "both backends list the same sockets" {
	require_backend bpf
	world
	local bpf diag
	bpf=$("$SOCKREAP" --backend bpf -j list dst "$ADDR" | jq -c '[.[].sockets[] | .cookie] | sort')
	diag=$("$SOCKREAP" --backend diag -j list dst "$ADDR" | jq -c '[.[].sockets[] | .cookie] | sort')
	[ "$bpf" = "$diag" ]
	# six clients, and the servers' ends of the four TCP connections
	[ "$(jq length <<< "$bpf")" = 10 ]
}

@test "cookie, protocol, port and prefix filters" {
	world
	run "$SOCKREAP" -j list udp dst "$ADDR"
	[ "$(jq -r '[.[].sockets[].proto] | unique | join(" ")' <<< "$output")" = udp ]
	[ "$(jq '[.[].sockets[]] | length' <<< "$output")" = 2 ]
	run "$SOCKREAP" -j list tcp dport "$OTHER"
	[ "$(jq '[.[].sockets[]] | length' <<< "$output")" = 2 ]
	run "$SOCKREAP" -j list dst "127.77.0.0/16:$OTHER"
	[ "$(jq '[.[].sockets[]] | length' <<< "$output")" = 2 ]
	run "$SOCKREAP" -j list src "$ADDR:$OTHER" state established
	[ "$(jq '[.[].sockets[]] | length' <<< "$output")" = 2 ]	# the servers' ends
	run "$SOCKREAP" -j list tcp src "$ADDR:$PORT" state listen
	[ "$(jq -r '[.[].sockets[].state] | unique | join(" ")' <<< "$output")" = listen ]
	[ "$(jq '[.[].sockets[]] | length' <<< "$output")" = 2 ]
	run "$SOCKREAP" -j list tcp src "$ADDR:$PORT" state listen state established
	[ "$(jq '[.[].sockets[]] | length' <<< "$output")" = 4 ]
	run --separate-stderr "$SOCKREAP" -j kill cookie "$a_tcp_cookie,$b_udp_cookie"
	assert_status 0
	[ "$(jq -c '[.[].sockets[].cookie] | sort' <<< "$output")" = \
	  "$(jq -c -n "[$a_tcp_cookie, $b_udp_cookie] | sort")" ]
	[ "$(outcome a_tcp)" = "send ECONNABORTED" ]
	[[ "$(outcome b_udp)" != "send ok" ]]
	[ "$(outcome a_udp)" = "send ok" ]
	[ "$(outcome b_tcp)" = "send ok" ]
	# a cookie names one socket: a listener's is taken without "state"
	run "$SOCKREAP" -n "$NSA" -j list tcp src "$ADDR:$OTHER" state listen
	local lc
	lc=$(jq -r '.[0].sockets[0].cookie' <<< "$output")
	[[ $lc =~ ^[0-9]+$ ]]
	run --separate-stderr "$SOCKREAP" -j kill cookie "$lc" state established
	assert_status 5
	run --separate-stderr "$SOCKREAP" -j kill cookie "$lc"
	assert_status 0
	[ "$(jq -c '[.[].sockets[] | .cookie, .state]' <<< "$output")" = "[$lc,\"listen\"]" ]
	run "$SOCKREAP" -n "$NSA" -j list cookie "$lc"
	assert_status 5
}

@test "family filters and IPv6" {
	ip netns exec "$NSA" true
	serve "$NSA" tcp ::1 "$PORT"
	client v6 "$NSA" tcp ::1 "$PORT"
	ip -n "$NSA" addr add "$ADDR/32" dev lo
	serve "$NSA" tcp "$ADDR" "$PORT"
	client v4 "$NSA" tcp "$ADDR" "$PORT"
	run "$SOCKREAP" -n "$NSA" -j list -6 dport "$PORT"
	[ "$(jq -r '[.[].sockets[].remote] | join(" ")' <<< "$output")" = "[::1]:$PORT" ]
	run "$SOCKREAP" -n "$NSA" -j list -4 dport "$PORT"
	[ "$(jq -r '[.[].sockets[].remote] | join(" ")' <<< "$output")" = "$ADDR:$PORT" ]
	run "$SOCKREAP" -n "$NSA" kill dst "[::1]:$PORT"
	assert_status 0
	[ "$(outcome v6)" = "send ECONNABORTED" ]
	[ "$(outcome v4)" = "send ok" ]
}

@test "-n narrows the walk to one namespace" {
	world
	run --separate-stderr "$SOCKREAP" -n "$NSB" -j kill dst "$ADDR:$PORT"
	assert_status 0
	[ "$(jq -r '[.[].netns] | join(" ")' <<< "$output")" = "$NSB" ]
	[ "$(outcome a_tcp)" = "send ok" ]
	[ "$(outcome b_tcp)" = "send ECONNABORTED" ]
}

@test "kill with an empty filter refuses unless it says all" {
	world
	run --separate-stderr "$SOCKREAP" kill
	assert_status 2
	[[ "$stderr" == *'say "all"'* ]]
	run --separate-stderr "$SOCKREAP" -n "$NSA" -j kill all
	assert_status 0
	# each socket once, though a bound UDP server stays hashed after it
	[ "$(jq '[.[].sockets[].cookie] | length' <<< "$output")" = "$(jq '[.[].sockets[].cookie] | unique | length' <<< "$output")" ]
	[[ "$(outcome a_oth)" == "send ECONN"* ]]
	[ "$(outcome b_oth)" = "send ok" ]
}

@test "nothing matched exits 5 with empty JSON; bad filters exit 2" {
	run --separate-stderr "$SOCKREAP" -j list dst "127.78.0.1:1"
	assert_status 5
	[ "$output" = "[]" ]
	local f
	for f in "dst 300.1.1.1" "dst 10.0.0.0/33" "dport 0" "dport 70000" "state sleepy" \
		 "cookie x" "cookie" "tcp udp" "frob" "dst [::1" "-4 -6"; do
		run --separate-stderr "$SOCKREAP" list $f
		assert_status 2
	done
}

@test "the bpf backend is refused clearly where the kernel lacks the kfunc" {
	has_kfunc && skip "this kernel has bpf_sock_destroy (Linux 6.5)"
	run --separate-stderr "$SOCKREAP" --backend bpf list dst 127.78.0.1
	assert_status 3
	[[ "$stderr" == *"bpf_sock_destroy"*"6.5"* ]]
	# auto falls back to sock_diag (or destroys from the index with it)
	world
	run "$SOCKREAP" -j kill dst "$ADDR:$PORT"
	assert_status 0
	[ "$(jq '[.[].destroyed] | add' <<< "$output")" = 4 ]
	[ "$(jq -r '[.[].backend | select(. != "diag" and . != "index")] | length' <<< "$output")" = 0 ]
}

# farm NAME NS ITEM...: testsuite/sockfarm with its sockets in NS; sets
# NAME_pid and NAME_out
FARM=$BATS_TEST_DIRNAME/sockfarm
farm() {
	local name=$1 ns=$2 out=$BATS_TEST_TMPDIR/farm-$1
	shift 2
	"$FARM" --in "/run/netns/$ns" "$@" > "$out" 2>&1 &
	local pid=$!
	PIDS+=" $pid"
	wait_line "$out" '^ready' || return 1
	printf -v "${name}_pid" '%s' "$pid"
	printf -v "${name}_out" '%s' "$out"
}

# farm_udp NAME: how many of the farm's UDP sockets have ECONNABORTED
# pending, then how many do not: "ABORTED OK"
farm_udp() {
	local pid=${1}_pid out=${1}_out
	: > "${!out}"
	kill -USR1 "${!pid}"
	wait_line "${!out}" '^done' || return 1
	echo "$(grep -c ' aborted$' "${!out}") $(grep -c ' ok$' "${!out}")"
}

tw_count() { # tw_count NS PORT: time-wait sockets to PORT in NS, by ss
	ip netns exec "$1" ss -Htan state time-wait "( dport = :$2 )" | wc -l
}

default_states_test() { # default_states_test BACKEND
	farm f "$NSA" "tw:$ADDR:$PORT:20" "conn:$ADDR:$PORT:3"
	[ "$(tw_count "$NSA" "$PORT")" = 20 ]
	run --separate-stderr "$SOCKREAP" --backend "$1" -n "$NSA" -j kill dst "$ADDR:$PORT"
	assert_status 0; assert_json
	# the three connected clients only: not the time-wait sockets, not the listener
	[ "$(jq '[.[].sockets[]] | length' <<< "$output")" = 3 ]
	[ "$(jq -r '[.[].sockets[].state] | unique | join(" ")' <<< "$output")" = established ]
	[ "$(jq '[.[].failed] | add' <<< "$output")" = 0 ]
	[ "$(tw_count "$NSA" "$PORT")" = 20 ]
	ip netns exec "$NSA" ss -Htln "( sport = :$PORT )" | grep -q LISTEN
	# list selects the same way
	run --separate-stderr "$SOCKREAP" --backend "$1" -n "$NSA" -j list dst "$ADDR:$PORT"
	assert_status 5
	run --separate-stderr "$SOCKREAP" --backend "$1" -n "$NSA" -j list state all dst "$ADDR:$PORT"
	assert_status 0
	[ "$(jq '[.[].sockets[] | select(.state == "time-wait")] | length' <<< "$output")" = 20 ]
}

@test "without a state, kill takes connected sockets and leaves time-wait ones (bpf)" {
	require_backend bpf
	ip -n "$NSA" addr add "$ADDR/32" dev lo
	default_states_test bpf
}

@test "without a state, kill takes connected sockets and leaves time-wait ones (diag)" {
	ip -n "$NSA" addr add "$ADDR/32" dev lo
	default_states_test diag
}

# A namespace full of time-wait sockets, destroyed by BACKEND: all gone
# (exit 0), or each reported with the kernel's reason (exit 4), never exit 3.
tw_backend() { # tw_backend BACKEND NS -> sets tw_status
	run --separate-stderr "$SOCKREAP" --backend "$1" -n "$2" -j kill state time-wait dst "$ADDR:$PORT"
	assert_json
	[ "$(jq '[.[].sockets[]] | length' <<< "$output")" = 200 ]
	case $status in
	0)	[ "$(jq '[.[].destroyed] | add' <<< "$output")" = 200 ]
		[ "$(tw_count "$2" "$PORT")" = 0 ] ;;
	4)	[ "$(jq '[.[].sockets[] | select(.destroyed == false and .error == "Operation not supported")] | length' <<< "$output")" = 200 ]
		[ "$(tw_count "$2" "$PORT")" = 200 ] ;;
	*)	echo "exit $status: $stderr" >&2; return 1 ;;
	esac
	tw_status=$status
}

@test "time-wait sockets: each backend destroys them or says why, auto whenever either can" {
	ip -n "$NSA" addr add "$ADDR/32" dev lo
	ip -n "$NSB" addr add "$ADDR/32" dev lo
	farm fa "$NSA" "tw:$ADDR:$PORT:200"
	farm fb "$NSB" "tw:$ADDR:$PORT:200"
	local diag bpf=4
	tw_backend diag "$NSA"; diag=$tw_status
	if has_kfunc; then
		tw_backend bpf "$NSB"; bpf=$tw_status
	fi
	# a third namespace with its own 200: auto must do what either backend can
	new_ns NSC
	ip -n "$NSC" addr add "$ADDR/32" dev lo
	farm fc "$NSC" "tw:$ADDR:$PORT:200"
	run --separate-stderr "$SOCKREAP" -n "$NSC" -j kill state time-wait dst "$ADDR:$PORT"
	assert_json
	if [ "$diag" = 0 ] || [ "$bpf" = 0 ]; then
		assert_status 0
		[ "$(tw_count "$NSC" "$PORT")" = 0 ]
	else
		assert_status 4
		[[ "$stderr" != *"cannot destroy"* ]]
	fi
}

bound_udp_test() { # bound_udp_test BACKEND
	farm f "$NSA" "bound:$ADDR:$PORT:4"
	run --separate-stderr "$SOCKREAP" --backend "$1" -j kill udp dst "$ADDR:$PORT"
	assert_status 0
	[ "$(jq '[.[].destroyed] | add' <<< "$output")" = 4 ]
	[ "$(farm_udp f)" = "4 0" ]
	# still bound to their ports, but no longer connected: nothing to do
	[ "$(ip netns exec "$NSA" ss -Huan | awk -v p="$PORT" '{ n = split($4, a, ":"); if (a[n] > p && a[n] <= p + 4) c++ } END { print c + 0 }')" = 4 ]
	run --separate-stderr "$SOCKREAP" --backend "$1" -j kill udp dst "$ADDR:$PORT"
	assert_status 5
	[ "$output" = "[]" ]
	run --separate-stderr "$SOCKREAP" --backend "$1" -j kill udp sport "$((PORT + 1))"
	assert_status 5
}

@test "a second kill of UDP clients bound to explicit ports matches nothing (bpf)" {
	require_backend bpf
	ip -n "$NSA" addr add "$ADDR/32" dev lo
	bound_udp_test bpf
}

@test "a second kill of UDP clients bound to explicit ports matches nothing (diag)" {
	ip -n "$NSA" addr add "$ADDR/32" dev lo
	bound_udp_test diag
}

reuseport_test() { # reuseport_test BACKEND [ADDR]: IPv4, or IPv6 as in [::ffff:A.B.C.D]
	farm f "$NSA" "reuseport:${2:-$ADDR}:$PORT:5"
	run --separate-stderr "$SOCKREAP" --backend "$1" -n "$NSA" -j kill udp state close sport "$PORT"
	assert_status 0
	[ "$(jq '[.[].sockets[]] | length' <<< "$output")" = 5 ]
	[ "$(jq '[.[].destroyed] | add' <<< "$output")" = 5 ]
	[ "$(jq '[.[].failed] | add' <<< "$output")" = 0 ]
	# destroyed already, the error pending: not news to bpf (sock_diag
	# cannot see the pending error)
	if [ "$1" = bpf ]; then
		run --separate-stderr "$SOCKREAP" --backend bpf -n "$NSA" kill udp state close sport "$PORT"
		assert_status 5
	fi
	# every member's owner hears of it
	[ "$(farm_udp f)" = "5 0" ]
}

@test "every socket of a SO_REUSEPORT UDP group is destroyed (bpf)" {
	require_backend bpf
	ip -n "$NSA" addr add "$ADDR/32" dev lo
	reuseport_test bpf
}

@test "every socket of a SO_REUSEPORT UDP group is destroyed (diag)" {
	ip -n "$NSA" addr add "$ADDR/32" dev lo
	reuseport_test diag
}

@test "every socket of an IPv4-mapped SO_REUSEPORT UDP group is destroyed (bpf and diag)" {
	ip -n "$NSA" addr add "$ADDR/32" dev lo
	reuseport_test diag "[::ffff:$ADDR]"
	has_kfunc || skip "bpf_sock_destroy is not supported by this kernel (needs Linux 6.5)"
	kill "${f_pid:?}"
	reuseport_test bpf "[::ffff:$ADDR]"
}

@test "numbers in a filter are decimal; hex only for cookies, with 0x" {
	world
	local want
	want=$("$SOCKREAP" -j list tcp dport "$PORT" | jq -c '[.[].sockets[].cookie] | sort')
	[ "$(jq length <<< "$want")" = 2 ]
	run "$SOCKREAP" -j list tcp dport "0$PORT"
	assert_status 0
	[ "$(jq -c '[.[].sockets[].cookie] | sort' <<< "$output")" = "$want" ]
	run "$SOCKREAP" -j list tcp dst "$ADDR:00$PORT"
	[ "$(jq -c '[.[].sockets[].cookie] | sort' <<< "$output")" = "$want" ]
	run "$SOCKREAP" -j list cookie "$(printf '0x%x' "$a_tcp_cookie")"
	[ "$(jq -c '[.[].sockets[].cookie]' <<< "$output")" = "[$a_tcp_cookie]" ]
	run --separate-stderr "$SOCKREAP" list dport "$(printf '0x%x' "$PORT")"
	assert_status 2
	[[ "$stderr" == *"invalid dport"* ]]
	run --separate-stderr "$SOCKREAP" list state unknown
	assert_status 2
}

@test "a namespace that cannot be entered is reported and the walk goes on (exit 4)" {
	world
	local bad=nkt-dangling-$$-$RANDOM
	ln -s /nonexistent "/run/netns/$bad"
	run --separate-stderr "$SOCKREAP" -j kill dst "$ADDR:$PORT"
	rm -f "/run/netns/$bad"
	assert_status 4; assert_json
	[[ "$stderr" == *"cannot open network namespace $bad"* ]]
	# the shape every tool gives a namespace it could not enter
	[ "$(jq -c --arg b "$bad" '[.[] | select(.netns == $b) | keys]' <<< "$output")" = '[["error","netns"]]' ]
	[ "$(jq '[.[].destroyed] | add' <<< "$output")" = 4 ]
	[ "$(outcome a_tcp)" = "send ECONNABORTED" ]
	[ "$(outcome b_tcp)" = "send ECONNABORTED" ]
}

@test "a namespace held only by a process's fd is found (listns on 6.19+, else the index or /proc)" {
	local method
	method=$(feature "$SOCKREAP" netns_walk)
	case $(uname -r) in
	[0-5].*|6.[0-9].*|6.1[0-8].*) [ "$method" = index ] || [ "$method" = proc ] ;;
	*) [ "$method" = listns ] ;;
	esac
	ip -n "$NSB" addr add "$ADDR/32" dev lo
	farm f "$NSB" "conn:$ADDR:$PORT:2"
	# no name and no process inside: only the farm's fd and sockets hold it
	ip netns del "$NSB"
	local b
	for b in auto diag $(has_kfunc && echo bpf); do
		run --separate-stderr "$SOCKREAP" --backend "$b" -j list dst "$ADDR:$PORT"
		assert_status 0
		[ "$(jq '[.[].sockets[]] | length' <<< "$output")" = 2 ]
	done
	run --separate-stderr "$SOCKREAP" -j kill dst "$ADDR:$PORT"
	assert_status 0
	[ "$(jq '[.[].destroyed] | add' <<< "$output")" = 2 ]
}

has_index() { has_feature "$SOCKREAP" socket_index; }

@test "across namespaces, auto destroys from the socket index where every socket is a file" {
	has_index || skip "the socket index (iter/task_file) is not supported by this kernel (needs Linux 5.11)"
	world
	run --separate-stderr "$SOCKREAP" -j kill dst "$ADDR:$PORT"
	assert_status 0; assert_json
	[ "$(jq -r --arg a "$NSA" --arg b "$NSB" '[.[] | select(.netns == $a or .netns == $b) | .backend] | unique | join(" ")' <<< "$output")" = index ]
	[ "$(jq '[.[].destroyed] | add' <<< "$output")" = 4 ]
	[ "$(outcome a_tcp)" = "send ECONNABORTED" ]
	[[ "$(outcome b_udp)" != "send ok" ]]
	[ "$(outcome a_oth)" = "send ok" ]
	# list finds the same through the index: nothing left
	run --separate-stderr "$SOCKREAP" -j list dst "$ADDR:$PORT"
	assert_status 5
}

@test "a namespace with a socket that is no process's file is walked, not trusted to the index" {
	ip -n "$NSA" addr add "$ADDR/32" dev lo
	farm f "$NSA" "pending:$ADDR:$PORT:3" "conn:$ADDR:$OTHER:2"
	# the listener's three unaccepted connections: server ends without a file
	run --separate-stderr "$SOCKREAP" -j kill src "$ADDR:$PORT"
	assert_status 0; assert_json
	[ "$(jq '[.[].sockets[]] | length' <<< "$output")" = 3 ]
	[ "$(jq -r '[.[].backend] | unique | join(" ")' <<< "$output")" != index ]
	[ "$(ip netns exec "$NSA" ss -Htn state established "( sport = :$PORT )" | wc -l)" = 0 ]
	# and the others are untouched
	[ "$(ip netns exec "$NSA" ss -Htn state established "( dport = :$OTHER or sport = :$OTHER )" | wc -l)" = 4 ]
}

@test "-batch: every filter in one walk, each socket once with the lines it matched" {
	world
	local f=$BATS_TEST_TMPDIR/batch
	cat > "$f" <<-EOF2
	# the dead backend's clients, and a look at the rest
	kill tcp dst $ADDR:$PORT
	list dst $ADDR:$OTHER
	list dst $ADDR
	kill udp dst $ADDR:$PORT
	EOF2
	run --separate-stderr "$SOCKREAP" -j -b "$f"
	assert_status 0; assert_json
	# the six clients and the servers' ends of the four TCP connections, once each
	[ "$(jq '[.[].sockets[]] | length' <<< "$output")" = 10 ]
	[ "$(jq '[.[].sockets[].cookie] | unique | length' <<< "$output")" = 10 ]
	local by_cookie='[.[].sockets[] | {key: (.cookie | tostring), value: "\(.lines | map(tostring) | join(",")) \(.destroyed)"}] | from_entries'
	run jq -r --arg a "$a_tcp_cookie" --arg u "$a_udp_cookie" --arg o "$b_oth_cookie" \
		"$by_cookie | [.[\$a], .[\$u], .[\$o]] | join(\" \")" <<< "$output"
	[ "$output" = "2,4 true 4,5 true 3,4 null" ]
	# what the clients see, and what ss sees
	[ "$(outcome a_tcp)" = "send ECONNABORTED" ]
	[[ "$(outcome b_udp)" != "send ok" ]]
	[ "$(outcome a_oth)" = "send ok" ]
	[ -z "$(ip netns exec "$NSB" ss -Htn state established dst "$ADDR:$PORT")" ]
	[ -n "$(ip netns exec "$NSB" ss -Htn state established dst "$ADDR:$OTHER")" ]
	# the text form names the lines too
	run "$SOCKREAP" -b "$f"
	assert_status 0
	# (a client that outcome poked has gone: b_oth was not)
	assert_output_has "$ADDR:$OTHER cookie $b_oth_cookie uid 0 line 3,4"
}

@test "-batch: a bad line is refused before anything is done; nothing matched exits 5" {
	world
	local f=$BATS_TEST_TMPDIR/batch
	printf 'kill dst %s:%s\nkill\n' "$ADDR" "$PORT" > "$f"
	run --separate-stderr "$SOCKREAP" -j -b "$f"
	assert_status 2
	[ "$output" = "[]" ]
	[[ "$stderr" == *"$f:2:"*'say "all"'* ]]
	printf 'list dst %s\nshow dst %s\n' "$ADDR" "$ADDR" > "$f"
	run --separate-stderr "$SOCKREAP" -b "$f"
	assert_status 2
	[[ "$stderr" == *"$f:2:"*'"kill FILTER" or "list FILTER"'* ]]
	printf 'kill dst %s:%s\n' "$ADDR" "$PORT" > "$f"
	run --separate-stderr "$SOCKREAP" --backend bpf -b "$f"
	assert_status 2
	[[ "$stderr" == *"sock_diag"* ]]
	[ "$(outcome a_tcp)" = "send ok" ]
	printf 'kill dst 127.78.0.1:%s\n' "$PORT" > "$f"
	run --separate-stderr "$SOCKREAP" -j -b "$f"
	assert_status 5
	[ "$output" = "[]" ]
}
