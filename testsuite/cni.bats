#!/usr/bin/env bats
# The CNI plugin cni/nktools, driven by the CNI protocol (environment and
# stdin) as a runtime drives it, with Debian's host-local IPAM plugin. The
# "host" is a namespace of the test's own, entered with nsenter (not ip netns
# exec, which would hide bpffs): the machine's own namespace is not touched.

load lib

OBJ=$BATS_TEST_DIRNAME/../bpf/.out
export CNI_PATH=/usr/lib/cni

setup() {
	bats_require_minimum_version 1.5.0
	require_root
	[ -x "$CNI_PATH/host-local" ] || skip "no host-local IPAM plugin (containernetworking-plugins)"
	new_ns HOST
	new_ns POD
	new_ns POD2
	HOST_INO=$(stat -L -c %i "/run/netns/$HOST")
	LEASES=$BATS_TEST_TMPDIR/leases STATE=$BATS_TEST_TMPDIR/state
	mkdir -p "$LEASES"
}

teardown() {
	[ -e "$BATS_TEST_TMPDIR/pids" ] && kill $(cat "$BATS_TEST_TMPDIR/pids") 2> /dev/null
	cleanup_ns
}

# the network configuration, as a jq expression ($d: the leases directory,
# $s: the plugin's records)
CONF='{cniVersion: "1.0.0", name: "nkt", type: "nktools", stateDir: $s,
	ipam: {type: "host-local", subnet: "10.213.0.0/24", dataDir: $d}}'
# conf [JQ FILTER]: the network configuration, changed by the filter (one jq)
conf() { jq -cn --arg d "$LEASES" --arg s "$STATE" "$CONF | ${1:-.}"; }

# cni COMMAND CONTAINER NETNS [CONFIG]: the plugin in the host namespace
cni() {
	local cfg=${4:-$(conf)}
	CNI_COMMAND=$1 CNI_CONTAINERID=$2 CNI_NETNS=$3 CNI_IFNAME=${IFNAME:-eth0} \
		nsenter --net="/run/netns/$HOST" "$PLUGIN" <<< "$cfg"
}
in_host() { nsenter --net="/run/netns/$HOST" "$@"; }
in_pod() { local ns=$1; shift; nsenter --net="/run/netns/$ns" "$@"; }
# with prevResult, as runtimes pass it to CHECK and DEL (one jq)
with_prev() { jq -cn --arg d "$LEASES" --arg s "$STATE" --argjson r "$1" "$CONF | ${2:-.} | . + {prevResult: \$r}"; }

our_devs() { in_host ip -j link show | jq -r '[.[] | select(.ifname | startswith("nk")) | .ifname] | join(" ")'; }
# the lease files, our pins for the host namespace
# (nktools/NETNS_INODE/IFINDEX/HOOK/PIN) and the plugin's records, into
# LEASE_FILES, PIN_FILES and RECORDS
glob_left() {
	shopt -s nullglob
	LEASE_FILES=("$LEASES"/*/10.* "$LEASES"/*/fd*) PIN_FILES=("/sys/fs/bpf/nktools/$HOST_INO"/*/*/*)
	RECORDS=("$STATE"/*/nk*.json "$STATE"/*/nk*.ipam)
	shopt -u nullglob
}
leases() { glob_left; echo "${#LEASE_FILES[@]}"; }
# the pins of the configuration's program (not the data path's)
pins() {
	local f n=0
	glob_left
	for f in "${PIN_FILES[@]}"; do [[ $f == *-nk_dp_* ]] || n=$((n + 1)); done
	echo "$n"
}

# nothing of the plugin's is left: devices, routes, leases, pins (one
# process: each costs half a second under TCG)
nothing_left() {
	local out line
	out=$(printf 'link show\nroute show\nroute show root ::/0\n' | ip -n "$HOST" -o -b -)
	while IFS= read -r line; do
		if [[ $line =~ ^[0-9]+:\ nk || $line == *10.213.* || $line == *fd00:213:* ]]; then
			echo "device or route left: $line"; return 1
		fi
	done <<< "$out"
	glob_left
	[ ${#LEASE_FILES[@]} = 0 ] || { echo "leases left: ${LEASE_FILES[*]}"; return 1; }
	[ ${#PIN_FILES[@]} = 0 ] || { echo "pins left: ${PIN_FILES[*]}"; return 1; }
	[ ${#RECORDS[@]} = 0 ] || { echo "records left: ${RECORDS[*]}"; return 1; }
}

@test "cni: VERSION, and bad input refused as the spec's error object, before anything is made" {
	run --separate-stderr env CNI_COMMAND=VERSION "$PLUGIN"
	assert_status 0; assert_json
	[ "$(jq -r '.supportedVersions | index("0.4.0") != null and index("1.0.0") != null' <<< "$output")" = true ]
	local bad
	for bad in '.mode = "l4"' '.mtu = "abc"' '.mtu = 67' '.headroom = -1' '.tailroom = 70000' \
		   '.policy = "pass"' '.peerPolicy = 1' '.scrub = "some"' 'del(.ipam)' '.ipam = {}' \
		   '.program = "x.o"' '.program = {}' '.program = {"object": "/nonexistent.o"}' \
		   ".program = {\"object\": \"$OBJ/pass.bpf.o\", \"hook\": \"ingress\"}" \
		   '.cniVersion = "9.9.9"' '.mode = "l3" | .runtimeConfig = {"mac": "02:00:00:00:00:01"}'; do
		run --separate-stderr cni ADD c1 "/run/netns/$POD" "$(conf "$bad")"
		[ "$status" = 1 ] || { echo "$bad: exit $status"; return 1; }
		assert_json
		jq -e '.code >= 1 and (.msg | length > 0)' <<< "$output" > /dev/null ||
			{ echo "$bad: $output"; return 1; }
		nothing_left
	done
	run --separate-stderr cni ADD c1 "/run/netns/$POD" 'not json'
	[ "$status" = 1 ]; [ "$(jq -r .code <<< "$output")" = 6 ]
	run --separate-stderr cni ADD c1 /run/netns/nkt-no-such-ns
	[ "$status" = 1 ]; [ "$(jq -r .code <<< "$output")" = 4 ]
	run --separate-stderr env CNI_COMMAND=FROB "$PLUGIN"
	[ "$status" = 1 ]; [ "$(jq -r .code <<< "$output")" = 4 ]
	nothing_left
}

@test "cni: a kernel without a feature gives an error that says so, and leaves nothing" {
	local cfg
	if ! nk_feature netkit; then
		cfg=$(conf)
	elif ! nk_feature headroom; then
		cfg=$(conf '.headroom = 64')
	else
		skip "this kernel has every netkit feature the plugin can ask for (Linux 6.14)"
	fi
	run --separate-stderr cni ADD c1 "/run/netns/$POD" "$cfg"
	[ "$status" = 1 ]; assert_json
	[ "$(jq -r .code <<< "$output")" = 100 ]
	[[ "$(jq -r .details <<< "$output")" == *"not supported by this kernel"* ]]
	nothing_left
}

@test "cni: ADD gives the pod a netkit peer with its address; pods reach the host and each other" {
	require_netkit
	run --separate-stderr cni ADD c1 "/run/netns/$POD"
	assert_status 0; assert_json
	local r1=$output r2 ip1 ip2 dev1
	[ "$(jq -r '.cniVersion' <<< "$r1")" = 1.0.0 ]
	[ "$(jq -r '.interfaces[1].name + " " + .interfaces[1].sandbox' <<< "$r1")" = "eth0 /run/netns/$POD" ]
	jq -e '.interfaces | all(.mac | test("^[0-9a-f]{2}(:[0-9a-f]{2}){5}$"))' <<< "$r1" > /dev/null
	ip1=$(jq -r '.ips[0].address' <<< "$r1")
	[[ "$ip1" == 10.213.0.*/24 ]]
	[ "$(jq -r '.ips[0].gateway + " " + (.ips[0].interface | tostring)' <<< "$r1")" = "10.213.0.1 1" ]
	[ "$(jq -r '.routes[0].dst' <<< "$r1")" = 0.0.0.0/0 ]
	dev1=$(jq -r '.interfaces[0].name' <<< "$r1")
	# what ip sees: a netkit l3 peer in the pod, the primary on the host
	[ "$(in_pod "$POD" ip -d -j link show eth0 | jq -r '.[0].linkinfo.info_kind')" = netkit ]
	[ "$(in_host ip -d -j link show "$dev1" | jq -r '.[0].linkinfo.info_data.mode')" = l3 ]
	[ "$(in_host ip -d -j link show "$dev1" | jq -r '.[0].linkinfo.info_data.type')" = primary ]
	in_host ip route show "${ip1%/*}" | grep -q "dev $dev1"
	in_pod "$POD" ip route show default | grep -q "via 10.213.0.1 dev eth0"
	in_pod "$POD" ping -c 1 -W 2 10.213.0.1
	run --separate-stderr cni ADD c2 "/run/netns/$POD2"
	assert_status 0
	r2=$output
	ip2=$(jq -r '.ips[0].address' <<< "$r2")
	[ "$ip1" != "$ip2" ]
	in_pod "$POD" ping -c 1 -W 2 "${ip2%/*}"
	in_pod "$POD2" ping -c 1 -W 2 "${ip1%/*}"
	# CNI 0.4.0, as podman 4.3 speaks it: versions in the ips
	run --separate-stderr cni ADD c3 "/run/netns/$POD2" "$(conf '.cniVersion = "0.4.0"')"
	[ "$status" = 1 ]		# eth0 is taken in that pod: an error, nothing left of c3
	IFNAME=net1 run --separate-stderr cni ADD c3 "/run/netns/$POD2" "$(conf '.cniVersion = "0.4.0"')"
	assert_status 0
	[ "$(jq -r '.cniVersion + " " + .ips[0].version' <<< "$output")" = "0.4.0 4" ]
}

@test "cni: l2 mode sets the MAC the runtime gives, by CNI_ARGS or runtimeConfig" {
	require_netkit
	local mac=02:42:0a:d5:00:07
	CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAME=x;MAC=$mac" run --separate-stderr \
		cni ADD c1 "/run/netns/$POD" "$(conf '.mode = "l2"')"
	assert_status 0
	local ip1
	ip1=$(jq -r '.ips[0].address | split("/")[0]' <<< "$output")
	[ "$(jq -r '.interfaces[1].mac' <<< "$output")" = "$mac" ]
	[ "$(in_pod "$POD" ip -j link show eth0 | jq -r '.[0].address')" = "$mac" ]
	in_pod "$POD" ping -c 1 -W 2 10.213.0.1
	run --separate-stderr cni ADD c2 "/run/netns/$POD2" \
		"$(conf '.mode = "l2" | .runtimeConfig = {"mac": "02:42:0a:d5:00:08"}')"
	assert_status 0
	[ "$(in_pod "$POD2" ip -j link show eth0 | jq -r '.[0].address')" = 02:42:0a:d5:00:08 ]
	in_pod "$POD2" ping -c 1 -W 2 "$ip1"
}

@test "cni: a program from the config is attached as a pinned link, and drops what it should" {
	require_netkit
	local cfg
	cfg=$(conf ".program = {\"object\": \"$OBJ/drop.bpf.o\", \"hook\": \"peer\"}")
	run --separate-stderr cni ADD c1 "/run/netns/$POD" "$cfg"
	assert_status 0
	local r=$output dev
	dev=$(jq -r '.interfaces[0].name' <<< "$r")
	run --separate-stderr in_host "$TCXCTL" -j show dev "$dev" peer
	[ "$(jq -r '.[0].name' <<< "$output")" = nk_drop ]
	[ -e "$(jq -r '.[0].pin' <<< "$output")" ]
	[ "$(in_host bpftool -j net show dev "$dev" | jq -r '.[0].tc[0].name // .[0].netkit[0].name // empty')" != "" ] ||
		in_host bpftool net show dev "$dev" | grep -q nk_drop
	no_reply "$POD" 10.213.0.1
	run --separate-stderr cni CHECK c1 "/run/netns/$POD" "$(with_prev "$r" ".program = {\"object\": \"$OBJ/drop.bpf.o\", \"hook\": \"peer\", \"name\": \"nk_drop\"}")"
	assert_status 0
	run --separate-stderr cni DEL c1 "/run/netns/$POD" "$(with_prev "$r" ".program = {\"object\": \"$OBJ/drop.bpf.o\"}")"
	assert_status 0
	nothing_left
}

@test "cni: DEL removes device, pin, lease and routes; twice; and after the netns is gone" {
	require_netkit
	local cfg r
	cfg=$(conf ".program = {\"object\": \"$OBJ/count.bpf.o\"}")
	r=$(cni ADD c1 "/run/netns/$POD" "$cfg")
	[ "$(leases)" = 1 ]
	[ "$(pins)" = 1 ]
	run --separate-stderr cni DEL c1 "/run/netns/$POD" "$(with_prev "$r" ".program = {\"object\": \"$OBJ/count.bpf.o\"}")"
	assert_status 0; [ -z "$output" ]
	nothing_left
	run --separate-stderr cni DEL c1 "/run/netns/$POD" "$cfg"
	assert_status 0
	# the netns goes first (the runtime's crash, a node reboot)
	r=$(cni ADD c2 "/run/netns/$POD2" "$cfg")
	ip netns del "$POD2"
	run --separate-stderr cni DEL c2 "/run/netns/$POD2" "$(with_prev "$r")"
	assert_status 0
	run --separate-stderr cni DEL c2 "" "$cfg"
	assert_status 0
	nothing_left
}

@test "cni: a retried ADD gives the same address and one pair; CHECK finds what changed" {
	require_netkit
	local r1 r2
	r1=$(cni ADD c1 "/run/netns/$POD")
	# the lease is kept through the retry, never released and asked for
	# anew (another pod could be given the address in between): the same
	# file, the same inode
	local lease ino
	lease=$(ls "$LEASES"/nkt/10.213.0.*)
	ino=$(stat -c %i "$lease")
	r2=$(cni ADD c1 "/run/netns/$POD")
	[ "$(jq -r '.ips[0].address' <<< "$r1")" = "$(jq -r '.ips[0].address' <<< "$r2")" ]
	[ "$(stat -c %i "$lease")" = "$ino" ]
	[ "$(our_devs | wc -w)" = 1 ]
	[ "$(leases)" = 1 ]
	in_pod "$POD" ping -c 1 -W 2 10.213.0.1
	run --separate-stderr cni CHECK c1 "/run/netns/$POD" "$(with_prev "$r2")"
	assert_status 0; [ -z "$output" ]
	run --separate-stderr cni CHECK c1 "/run/netns/$POD" "$(with_prev "$r2" '.mode = "l2"')"
	[ "$status" = 1 ]; [ "$(jq -r .code <<< "$output")" = 102 ]
	in_pod "$POD" ip addr flush dev eth0
	run --separate-stderr cni CHECK c1 "/run/netns/$POD" "$(with_prev "$r2")"
	[ "$status" = 1 ]; [[ "$(jq -r .msg <<< "$output")" == *"lacks 10.213.0."* ]]
	run --separate-stderr cni CHECK c1 "/run/netns/$POD" "$(with_prev "$r2" ".program = {\"object\": \"$OBJ/pass.bpf.o\"}")"
	[ "$status" = 1 ]
}

@test "cni: DEL makes connections to the deleted container fail at once (ECONNABORTED)" {
	require_netkit
	local r ip out=$BATS_TEST_TMPDIR/client
	r=$(cni ADD server "/run/netns/$POD")
	cni ADD client "/run/netns/$POD2" > /dev/null
	ip=$(jq -r '.ips[0].address | split("/")[0]' <<< "$r")
	tcp_pair "$POD" "$ip"
	# a bystander: a connection inside the client's pod that DEL must leave
	local by=$BATS_TEST_TMPDIR/bystander
	in_pod "$POD2" python3 -c '
import os, socket, sys, time
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen()
c = socket.create_connection(l.getsockname()); a, _ = l.accept()
open(sys.argv[1] + ".up", "w").close()
while not os.path.exists(sys.argv[1] + ".go"):
    time.sleep(0.1)
try:
    c.sendall(b"x"); a.settimeout(2); r = "alive" if a.recv(1) == b"x" else "eof"
except OSError as e:
    r = e.__class__.__name__
open(sys.argv[1], "w").write(r)' "$by" &
	local bystander=$!
	local i
	for ((i = 0; i < 100; i++)); do [ -e "$out.up" ] && [ -e "$by.up" ] && break; nap 0.1; done
	[ -e "$out.up" ]
	[ -e "$by.up" ]
	NKTOOLS_DEBUG=1 run --separate-stderr cni DEL server "/run/netns/$POD" "$(with_prev "$r")"
	assert_status 0
	echo "$stderr"		# what DEL says of the sockets, shown on failure
	for ((i = 0; i < 100; i++)); do [ -s "$out" ] && break; nap 0.1; done
	: > "$by.go"
	wait "$bystander" || true
	[ "$(cat "$by")" = alive ]	# only the sockets to the container went
	cat "$out"
	# aborted by the DEL, not a timeout (60 s) nor an orderly close: without
	# sockreap the client would wait for a peer that is gone
	[[ "$(cat "$out")" == ConnectionAbortedError* ]]
	[ "$(cut -d' ' -f2 "$out" | cut -d. -f1)" -lt 50 ]
}

# a dual-stack network: one IPv4 and one IPv6 range set
DUAL='.ipam = {type: "host-local", dataDir: $d,
	ranges: [[{subnet: "10.213.0.0/24"}], [{subnet: "fd00:213::/64"}]]}'

# tcp_pair NS ADDR: a server in NS on ADDR port 8080 and a client in
# POD2 connected to it, the client waiting for what DEL does to it (its
# result in $BATS_TEST_TMPDIR/client; the server goes in teardown)
tcp_pair() {
	local ns=$1 addr=$2 out=$BATS_TEST_TMPDIR/client
	in_pod "$ns" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 8080)); s.listen(); c, _ = s.accept(); time.sleep(60)' "$addr" > /dev/null 2>&1 &
	echo $! >> "$BATS_TEST_TMPDIR/pids"
	in_pod "$POD2" python3 -c '
import socket, sys, time
for i in range(50):
    try:
        s = socket.create_connection((sys.argv[1], 8080), timeout=5); break
    except OSError:
        time.sleep(0.1)
s.settimeout(60); t = time.time()
open(sys.argv[2] + ".up", "w").close()
try:
    s.recv(1); r = "eof"
except OSError as e:
    r = e.__class__.__name__
open(sys.argv[2], "w").write("%s %.1f" % (r, time.time() - t))' "$addr" "$out" > /dev/null 2>&1 &
}

@test "cni: dual-stack: an IPv4 and an IPv6 address, usable at once, in l3 and l2; a retry keeps both; DEL aborts IPv6 connections" {
	require_netkit
	local r1 r2 v6a v6b mode out=$BATS_TEST_TMPDIR/client i addrs
	for mode in l3 l2; do
		run --separate-stderr cni ADD "a$mode" "/run/netns/$POD" "$(conf "$DUAL | .mode = \"$mode\"")"
		assert_status 0; assert_json
		r1=$output
		[ "$(jq -r '[.ips[].address] | join(" ")' <<< "$r1")" != "" ]
		[[ "$(jq -r '.ips[1].address + " " + .ips[1].gateway' <<< "$r1")" == fd00:213::*/64\ fd00:213::1 ]]
		[ "$(jq -r '[.routes[].dst] | sort | join(" ")' <<< "$r1")" = "0.0.0.0/0 ::/0" ]
		v6a=$(jq -r '.ips[1].address | split("/")[0]' <<< "$r1")
		run --separate-stderr cni ADD "b$mode" "/run/netns/$POD2" "$(conf "$DUAL | .mode = \"$mode\"")"
		assert_status 0
		r2=$output
		v6b=$(jq -r '.ips[1].address | split("/")[0]' <<< "$r2")
		# no duplicate address detection to wait for: both families at once
		addrs=$(in_pod "$POD" ip -6 addr show dev eth0)
		[[ $addrs == *"$v6a"* ]]
		[[ $addrs != *tentative* ]]
		in_pod "$POD" ping -c 1 -W 2 fd00:213::1
		in_pod "$POD" ping -c 1 -W 2 "$v6b"
		in_pod "$POD2" ping -c 1 -W 2 10.213.0.1
		[ "$(in_pod "$POD2" ip -6 route show default)" != "" ]
		# a retried ADD: the same two addresses
		run --separate-stderr cni ADD "a$mode" "/run/netns/$POD" "$(conf "$DUAL | .mode = \"$mode\"")"
		assert_status 0
		[ "$(jq -c '[.ips[].address]' <<< "$output")" = "$(jq -c '[.ips[].address]' <<< "$r1")" ]
		[ "$(leases)" = 4 ]
		[ "$mode" = l2 ] && break
		run --separate-stderr cni DEL "a$mode" "/run/netns/$POD" "$(conf "$DUAL")"
		assert_status 0
		run --separate-stderr cni DEL "b$mode" "/run/netns/$POD2" "$(conf "$DUAL")"
		assert_status 0
		nothing_left
	done
	# DEL of the server pod aborts an IPv6 connection to it
	tcp_pair "$POD" "$v6a"
	for ((i = 0; i < 100; i++)); do [ -e "$out.up" ] && break; nap 0.1; done
	[ -e "$out.up" ]
	NKTOOLS_DEBUG=1 run --separate-stderr cni DEL al2 "/run/netns/$POD" "$(conf "$DUAL")"
	assert_status 0
	echo "$stderr"
	# (the client is not this shell's child: wait for its answer)
	for ((i = 0; i < 100; i++)); do [ -s "$out" ] && break; nap 0.1; done
	cat "$out"
	[[ "$(cat "$out")" == ConnectionAbortedError* ]]
	run --separate-stderr cni DEL bl2 "/run/netns/$POD2" "$(conf "$DUAL")"
	assert_status 0
	nothing_left
}

@test "cni: GC removes every attachment not in the valid list (device, pin, lease, record); without a list nothing" {
	require_netkit
	local cfg gc
	cfg=$(conf ".program = {\"object\": \"$OBJ/count.bpf.o\"}")
	cni ADD keep "/run/netns/$POD" "$cfg" > /dev/null
	cni ADD stale1 "/run/netns/$POD2" "$cfg" > /dev/null
	IFNAME=net1 cni ADD stale2 "/run/netns/$POD2" "$cfg" > /dev/null
	[ "$(our_devs | wc -w)" = 3 ]
	[ "$(leases)" = 3 ]
	[ "$(pins)" = 3 ]
	# cnitool gc without attachments: nothing is known to be valid
	run --separate-stderr cni GC "" "" "$(conf '.cniVersion = "1.1.0"')"
	assert_status 0; [ -z "$output" ]
	[ "$(our_devs | wc -w)" = 3 ]
	[ "$(leases)" = 3 ]
	gc=$(conf '.cniVersion = "1.1.0" | .["cni.dev/valid-attachments"] = [{containerID: "keep", ifname: "eth0"}]')
	run --separate-stderr cni GC "" "" "$gc"
	assert_status 0; [ -z "$output" ]
	[ "$(our_devs | wc -w)" = 1 ]
	[ "$(leases)" = 1 ]
	[ "$(pins)" = 1 ]
	ls "$STATE/nkt"
	[ "$(ls "$STATE/nkt" | grep -c 'json$')" = 1 ]
	in_pod "$POD" ping -c 1 -W 2 10.213.0.1
	# the older key, and an empty list: everything goes
	run --separate-stderr cni GC "" "" "$(conf '.cniVersion = "1.1.0" | .["cni.dev/attachments"] = []')"
	assert_status 0
	nothing_left
}

@test "cni: GC finds what no record says is ours: a pair by its alias, a lease, pins; a valid pair stays" {
	require_netkit
	local cfg gc
	cfg=$(conf ".program = {\"object\": \"$OBJ/count.bpf.o\"}")
	cni ADD keep "/run/netns/$POD" "$cfg" > /dev/null
	cni ADD lost1 "/run/netns/$POD2" "$cfg" > /dev/null
	IFNAME=net1 cni ADD lost2 "/run/netns/$POD2" "$cfg" > /dev/null
	# whose each pair is, in its host end's alias (ip reads it)
	[ "$(in_host ip -j link show | jq -r '[.[] | select(.ifname | startswith("nk")) | .ifalias] | sort | join(" ")')" = \
	  "nktools/nkt/eth0/keep nktools/nkt/eth0/lost1 nktools/nkt/net1/lost2" ]
	# records lost (a node that crashed); lost2's pair went too, its
	# lease and pins stay; keep's record is lost as well, but it is valid
	rm "$STATE"/nkt/nk*.json
	in_host ip link del "$(in_host ip -j link show | jq -r '.[] | select(.ifalias == "nktools/nkt/net1/lost2") | .ifname')"
	[ "$(our_devs | wc -w)" = 2 ]
	[ "$(leases)" = 3 ]
	[ "$(pins)" = 3 ]
	gc=$(conf '.cniVersion = "1.1.0" | .["cni.dev/valid-attachments"] = [{containerID: "keep", ifname: "eth0"}]')
	run --separate-stderr cni GC "" "" "$gc"
	assert_status 0
	echo "$stderr"
	[ "$(in_host ip -j link show | jq -r '[.[] | select(.ifname | startswith("nk")) | .ifalias] | join(" ")')" = nktools/nkt/eth0/keep ]
	[ "$(leases)" = 1 ]
	grep -q '^keep' "$LEASES"/nkt/10.*
	[ "$(pins)" = 1 ]
	in_pod "$POD" ping -c 1 -W 2 10.213.0.1
}

@test "cni: GC of a stale record whose address another pod has now leaves that pod's connections" {
	require_netkit
	local r ip out=$BATS_TEST_TMPDIR/client
	new_ns POD3
	r=$(cni ADD stale "/run/netns/$POD3")
	ip=$(jq -r '.ips[0].address | split("/")[0]' <<< "$r")
	# a DEL that half-failed: the lease released, the pair gone, the record left
	CNI_COMMAND=DEL CNI_CONTAINERID=stale CNI_NETNS=/run/netns/$POD3 CNI_IFNAME=eth0 \
		"$CNI_PATH/host-local" <<< "$(conf)"
	in_host ip link del "$(jq -r '.interfaces[0].name' <<< "$r")"
	[ "$(ls "$STATE"/nkt/*.json | wc -l)" = 1 ]
	# a new pod is given that address, and has a connection on it
	CNI_ARGS="IP=$ip" cni ADD new "/run/netns/$POD" > /dev/null
	[ "$(in_pod "$POD" ip -j addr show eth0 | jq -r '.[0].addr_info[0].local')" = "$ip" ]
	cni ADD client "/run/netns/$POD2" > /dev/null
	tcp_pair "$POD" "$ip"
	local i
	for ((i = 0; i < 100; i++)); do [ -e "$out.up" ] && break; nap 0.1; done
	[ -e "$out.up" ]
	run --separate-stderr cni GC "" "" "$(conf '.cniVersion = "1.1.0" | .["cni.dev/valid-attachments"] =
		[{containerID: "new", ifname: "eth0"}, {containerID: "client", ifname: "eth0"}]')"
	assert_status 0
	[ "$(ls "$STATE"/nkt/*.json | wc -l)" = 2 ]
	nap 0.5
	[ ! -e "$out" ]		# the new pod's connection is alive
	# the new pod's own DEL does abort it
	run --separate-stderr cni DEL new "/run/netns/$POD"
	assert_status 0
	for ((i = 0; i < 100; i++)); do [ -s "$out" ] && break; nap 0.1; done
	[[ "$(cat "$out")" == ConnectionAbortedError* ]]
}

@test "cni: STATUS: no output when ADD would work, 50 when the range is exhausted, netkit or a configured feature is missing" {
	local small
	small=$(conf '.cniVersion = "1.1.0" | .ipam.subnet = "10.213.0.0/30"')	# one address: .2
	run --separate-stderr cni STATUS "" "" "$small"
	if ! nk_feature netkit; then
		[ "$status" = 1 ]; [ "$(jq -r .code <<< "$output")" = 50 ]
		[[ "$(jq -r .details <<< "$output")" == *"not supported by this kernel"* ]]
		return 0
	fi
	assert_status 0; [ -z "$output" ]
	# the probe ran once for the boot: a second STATUS reads its file,
	# and makes no netkit pair (the file is not written again)
	local probe=/run/nktools/netkit-probe ino
	ino=$(stat -c %i "$probe")
	run --separate-stderr cni STATUS "" "" "$small"
	assert_status 0
	[ "$(stat -c %i "$probe")" = "$ino" ]
	# what the configuration asks for and the kernel lacks: 50, as ADD's 100
	if ! nk_feature headroom; then
		run --separate-stderr cni STATUS "" "" "$(conf '.cniVersion = "1.1.0" | .headroom = 64')"
		[ "$status" = 1 ]
		[ "$(jq -r .code <<< "$output")" = 50 ]
		[[ "$(jq -r .details <<< "$output")" == *"headroom is not supported"*"6.14"* ]]
	fi
	cni ADD c1 "/run/netns/$POD" "$small" > /dev/null
	run --separate-stderr cni STATUS "" "" "$small"
	[ "$status" = 1 ]; [ "$(jq -r .code <<< "$output")" = 50 ]
	[[ "$(jq -r .msg <<< "$output")" == *exhausted* ]]
	run --separate-stderr cni ADD c2 "/run/netns/$POD2" "$small"
	[ "$status" = 1 ]
	cni DEL c1 "/run/netns/$POD" "$small"
	run --separate-stderr cni STATUS "" "" "$small"
	assert_status 0
	nothing_left
}

@test "cni: CHECK waits for the attachment's lock; DEL keeps the lock file, GC removes it" {
	require_netkit
	run --separate-stderr cni ADD c1 "/run/netns/$POD"
	assert_status 0
	local r=$output lock held=$BATS_TEST_TMPDIR/held i cfg
	lock=$(echo "$STATE"/nkt/nk*.lock)
	[ -f "$lock" ]
	cfg=$(with_prev "$r")
	# another call of the same attachment (an ADD, a DEL) holds its lock:
	# CHECK waits for it (timeout's 124), then runs
	flock "$lock" -c "touch $held; sleep 4" 3>&- &
	for ((i = 0; i < 50; i++)); do [ -e "$held" ] && break; nap 0.1; done
	[ -e "$held" ]
	run env CNI_COMMAND=CHECK CNI_CONTAINERID=c1 CNI_NETNS="/run/netns/$POD" CNI_IFNAME=eth0 \
		timeout 1 nsenter --net="/run/netns/$HOST" "$PLUGIN" <<< "$cfg"
	[ "$status" = 124 ]
	wait
	run --separate-stderr cni CHECK c1 "/run/netns/$POD" "$cfg"
	assert_status 0
	# DEL leaves the lock file: unlinked while held, a caller waiting on it
	# and one opening a new file of the name would both hold "the" lock
	run --separate-stderr cni DEL c1 "/run/netns/$POD" "$cfg"
	assert_status 0
	[ -f "$lock" ]
	nothing_left
	# GC, with the network's lock alone, removes those of no attachment
	run --separate-stderr cni GC "" "" "$(conf '.cniVersion = "1.1.0" | ."cni.dev/valid-attachments" = []')"
	assert_status 0
	[ ! -e "$lock" ]
}

@test "cni: 16 ADDs at once on one network all succeed with distinct addresses, then 16 DELs at once leave nothing" {
	require_netkit
	local i names=() lines="" cfg pids=() fails=0
	for ((i = 0; i < 16; i++)); do
		names+=("nkt$$-p$i-$RANDOM")
		NK_NAMESPACES+=" ${names[i]}"
		lines+="netns add ${names[i]}"$'\n'
	done
	ip -b - <<< "$lines"
	cfg=$(conf)
	for ((i = 0; i < 16; i++)); do
		cni ADD "par$i" "/run/netns/${names[i]}" "$cfg" > "$BATS_TEST_TMPDIR/add$i" &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || fails=$((fails + 1)); done
	[ "$fails" = 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR"/add* | jq -r '.ips[0].address' | sort -u | wc -l)" = 16 ]
	[ "$(our_devs | wc -w)" = 16 ]
	[ "$(leases)" = 16 ]
	pids=()
	for ((i = 0; i < 16; i++)); do
		cni DEL "par$i" "/run/netns/${names[i]}" "$cfg" > /dev/null &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || fails=$((fails + 1)); done
	[ "$fails" = 0 ]
	nothing_left
}

@test "cni: an ADD killed halfway, then DEL, or ADD again, leaves nothing, or one pair" {
	require_netkit
	local bin=$BATS_TEST_TMPDIR/bin pid i
	mkdir -p "$bin"
	# an IPAM plugin that answers, then takes its time: the runtime's kill
	# lands after the lease and the pair, before the addresses
	printf '#!/bin/sh\n/usr/lib/cni/host-local; rc=$?\n[ "$CNI_COMMAND" = ADD ] && sleep 3\nexit $rc\n' > "$bin/slow-local"
	chmod +x "$bin/slow-local"
	local cfg
	cfg=$(conf '.ipam.type = "slow-local"')
	for ((i = 0; i < 2; i++)); do
		CNI_PATH=$bin:$CNI_PATH cni ADD k1 "/run/netns/$POD" "$cfg" > /dev/null &
		pid=$!
		local t
		for ((t = 0; t < 100; t++)); do [ "$(leases)" = 1 ] && break; nap 0.1; done
		[ "$(leases)" = 1 ]
		kill -9 "$pid"; wait "$pid" || true
		[ "$(our_devs | wc -w)" = 1 ]
		if [ $i = 0 ]; then
			CNI_PATH=$bin:$CNI_PATH run --separate-stderr cni DEL k1 "/run/netns/$POD" "$cfg"
			assert_status 0
			nothing_left
		else
			CNI_PATH=$bin:$CNI_PATH run --separate-stderr cni ADD k1 "/run/netns/$POD" "$cfg"
			assert_status 0
			[ "$(our_devs | wc -w)" = 1 ]
			[ "$(leases)" = 1 ]
			in_pod "$POD" ping -c 1 -W 2 10.213.0.1
		fi
	done
}

@test "cni: chained with portmap, tuning and firewall (bandwidth needs a veth): a host port reaches the pod" {
	require_netkit
	local p
	for p in portmap tuning bandwidth firewall; do
		[ -x "$CNI_PATH/$p" ] || skip "no $p plugin"
	done
	command -v iptables > /dev/null || skip "portmap and firewall need iptables"
	local r cfg name conf_of
	# each plugin of the chain gets the previous one's result (one jq each)
	conf_of() { # conf_of PLUGIN PREV
		case $1 in
		nktools) conf '.cniVersion = "1.0.0" | .capabilities = {portMappings: true}' ;;
		portmap) jq -cn --argjson r "$2" '{cniVersion: "1.0.0", name: "nkt", type: "portmap", snat: true,
			runtimeConfig: {portMappings: [{hostPort: 18080, containerPort: 8080, protocol: "tcp"}]},
			prevResult: $r}' ;;
		tuning) jq -cn --argjson r "$2" '{cniVersion: "1.0.0", name: "nkt", type: "tuning",
			sysctl: {"net.ipv4.conf.eth0.accept_local": "1"}, prevResult: $r}' ;;
		bandwidth) jq -cn --argjson r "$2" '{cniVersion: "1.0.0", name: "nkt", type: "bandwidth",
			ingressRate: 100000000, ingressBurst: 1000000, egressRate: 100000000,
			egressBurst: 1000000, prevResult: $r}' ;;
		firewall) jq -cn --argjson r "$2" '{cniVersion: "1.0.0", name: "nkt", type: "firewall",
			backend: "iptables", prevResult: $r}' ;;
		esac
	}
	r=$(CNI_COMMAND=ADD CNI_CONTAINERID=ch1 CNI_NETNS=/run/netns/$POD CNI_IFNAME=eth0 \
		in_host "$PLUGIN" <<< "$(conf_of nktools)")
	for name in portmap tuning bandwidth firewall; do
		cfg=$(conf_of "$name" "$r")
		run --separate-stderr env CNI_COMMAND=ADD CNI_CONTAINERID=ch1 CNI_NETNS=/run/netns/$POD CNI_IFNAME=eth0 \
			CNI_PATH="$CNI_PATH" nsenter --net="/run/netns/$HOST" "$CNI_PATH/$name" <<< "$cfg"
		# bandwidth (1.1.1) shapes on the host end of a veth, which it finds
		# by the veth driver's peer index: it refuses any other device
		if [ "$name" = bandwidth ] && [ "$status" != 0 ] && [[ $output == *"not a veth"* ]]; then
			continue
		fi
		[ "$status" = 0 ] || { echo "$name: $output $stderr"; return 1; }
		r=$output
	done
	[ "$(in_pod "$POD" cat /proc/sys/net/ipv4/conf/eth0/accept_local)" = 1 ]
	local ip
	ip=$(jq -r '.ips[0].address | split("/")[0]' <<< "$r")
	in_pod "$POD" python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 8080)); s.listen()
c, _ = s.accept(); c.sendall(b"hello\n")' &
	local server=$!
	# from the node, to its gateway address and the host port, through DNAT
	run --separate-stderr in_host python3 -c '
import socket, sys, time
for i in range(50):
    try:
        s = socket.create_connection(("10.213.0.1", 18080), timeout=3); break
    except ConnectionRefusedError:
        time.sleep(0.1)
print(s.recv(16).decode().strip())'
	kill "$server" 2>/dev/null || true
	[ "$output" = hello ] || { echo "through portmap: $output $stderr"; false; }
	# DEL in reverse order, each with the final result
	for name in firewall tuning portmap; do
		cfg=$(conf_of "$name" "$r")
		CNI_COMMAND=DEL CNI_CONTAINERID=ch1 CNI_NETNS=/run/netns/$POD CNI_IFNAME=eth0 \
			in_host "$CNI_PATH/$name" <<< "$cfg"
	done
	run --separate-stderr cni DEL ch1 "/run/netns/$POD" "$(with_prev "$r")"
	assert_status 0
	nothing_left
}
