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

has_kfunc() { [ "$("$SOCKREAP" -j -V | jq -r '.[0].features.bpf_sock_destroy')" = true ]; }
require_backend() { # require_backend bpf|diag
	if [ "$1" = bpf ] && ! has_kfunc; then
		skip "bpf_sock_destroy is not supported by this kernel (needs Linux 6.5)"
	fi
}

wait_line() { # wait_line FILE PATTERN
	local i
	for i in $(seq 100); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
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
	printf -v "$1_cookie" '%s' "$(awk '/^ready/ { print $2 }' "$out")"
}

outcome() { # outcome NAME: poke the client, print what its next send did
	local pid=${1}_pid out=${1}_out
	kill -USR1 "${!pid}"
	wait_line "${!out}" '^\(send\|recv\)'
	grep -E '^(send|recv)' "${!out}"
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
	has_kfunc && skip "this kernel has bpf_sock_destroy"
	run --separate-stderr "$SOCKREAP" --backend bpf list dst 127.78.0.1
	assert_status 3
	[[ "$stderr" == *"bpf_sock_destroy"*"6.5"* ]]
	# auto falls back to sock_diag
	world
	run "$SOCKREAP" -j kill dst "$ADDR:$PORT"
	assert_status 0
	[ "$(jq -r '[.[].backend] | unique | join(" ")' <<< "$output")" = diag ]
}
