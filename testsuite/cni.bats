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
	LEASES=$BATS_TEST_TMPDIR/leases
	mkdir -p "$LEASES"
}

teardown() {
	cleanup_ns
}

# the network configuration, as a jq expression ($d: the leases directory)
CONF='{cniVersion: "1.0.0", name: "nkt", type: "nktools",
	ipam: {type: "host-local", subnet: "10.213.0.0/24", dataDir: $d}}'
# conf [JQ FILTER]: the network configuration, changed by the filter (one jq)
conf() { jq -cn --arg d "$LEASES" "$CONF | ${1:-.}"; }

# cni COMMAND CONTAINER NETNS [CONFIG]: the plugin in the host namespace
cni() {
	local cfg=${4:-$(conf)}
	CNI_COMMAND=$1 CNI_CONTAINERID=$2 CNI_NETNS=$3 CNI_IFNAME=${IFNAME:-eth0} \
		nsenter --net="/run/netns/$HOST" "$PLUGIN" <<< "$cfg"
}
in_host() { nsenter --net="/run/netns/$HOST" "$@"; }
in_pod() { local ns=$1; shift; nsenter --net="/run/netns/$ns" "$@"; }
# with prevResult, as runtimes pass it to CHECK and DEL (one jq)
with_prev() { jq -cn --arg d "$LEASES" --argjson r "$1" "$CONF | ${2:-.} | . + {prevResult: \$r}"; }

our_devs() { in_host ip -j link show | jq -r '[.[] | select(.ifname | startswith("nk")) | .ifname] | join(" ")'; }
# the lease files, and our pins for the host namespace
# (nktools/NETNS_INODE/IFINDEX/HOOK/PIN), into LEASE_FILES and PIN_FILES
glob_left() {
	LEASE_FILES=("$LEASES"/*/10.*) PIN_FILES=("/sys/fs/bpf/nktools/$HOST_INO"/*/*/*)
	[ -e "${LEASE_FILES[0]}" ] || LEASE_FILES=()
	[ -e "${PIN_FILES[0]}" ] || PIN_FILES=()
}
leases() { glob_left; echo "${#LEASE_FILES[@]}"; }
pins() { glob_left; echo "${#PIN_FILES[@]}"; }

# nothing of the plugin's is left: devices, routes, leases, pins (one
# process: each costs half a second under TCG)
nothing_left() {
	local out line
	out=$(printf 'link show\nroute show\n' | ip -n "$HOST" -o -b -)
	while IFS= read -r line; do
		if [[ $line =~ ^[0-9]+:\ nk || $line == *10.213.* ]]; then
			echo "device or route left: $line"; return 1
		fi
	done <<< "$out"
	glob_left
	[ ${#LEASE_FILES[@]} = 0 ] || { echo "leases left: ${LEASE_FILES[*]}"; return 1; }
	[ ${#PIN_FILES[@]} = 0 ] || { echo "pins left: ${PIN_FILES[*]}"; return 1; }
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
		skip "this kernel's netkit has every feature the plugin can ask for"
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
	! in_pod "$POD" ping -c 1 -W 1 10.213.0.1
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
	[ "$(leases)" = 1 ] && [ "$(pins)" = 1 ]
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
	r2=$(cni ADD c1 "/run/netns/$POD")
	[ "$(jq -r '.ips[0].address' <<< "$r1")" = "$(jq -r '.ips[0].address' <<< "$r2")" ]
	[ "$(our_devs | wc -w)" = 1 ] && [ "$(leases)" = 1 ]
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
	in_pod "$POD" python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 8080)); s.listen(); c, _ = s.accept(); time.sleep(60)' "$ip" &
	local server=$!
	sleep 1
	in_pod "$POD2" python3 -c '
import socket, sys, time
s = socket.create_connection((sys.argv[1], 8080), timeout=5)
s.settimeout(60); t = time.time()
open(sys.argv[2] + ".up", "w").close()
try:
    s.recv(1); r = "eof"
except OSError as e:
    r = e.__class__.__name__
open(sys.argv[2], "w").write("%s %.1f" % (r, time.time() - t))' "$ip" "$out" &
	local client=$!
	local i
	for ((i = 0; i < 50; i++)); do [ -e "$out.up" ] && break; nap 0.1; done
	[ -e "$out.up" ]
	run --separate-stderr cni DEL server "/run/netns/$POD" "$(with_prev "$r")"
	assert_status 0
	wait "$client" || true
	kill "$server" 2>/dev/null || true
	cat "$out"
	# aborted by the DEL, not a timeout (60 s) nor an orderly close: without
	# sockreap the client would wait for a peer that is gone
	[[ "$(cat "$out")" == ConnectionAbortedError* ]]
	[ "$(cut -d' ' -f2 "$out" | cut -d. -f1)" -lt 50 ]
}
