#!/usr/bin/env bats
# podman 4.3 (network_backend "cni") driving cni/nktools: containers on
# nktools networks. Podman runs in a namespace of the test's own, as the
# node's "host" side, so the plugin's devices, routes and forwarding change
# that namespace only; the containers' namespaces are podman's. No image
# registry: --rootfs, a busybox tree.

load lib

OBJ=$BATS_TEST_DIRNAME/../bpf/.out

setup() {
	bats_require_minimum_version 1.5.0
	require_root
	command -v podman > /dev/null || skip "podman is not installed"
	command -v runc > /dev/null || skip "runc is not installed"
	require_netkit
	P=$BATS_TEST_TMPDIR/podman
	"$TOP/testsuite/podman-setup" "$P"
	network nkt 10.214.0.0/24
	network nktl2 10.215.0.0/24 '.plugins[0].mode = "l2"'
	network nktdrop 10.216.0.0/24 ".plugins[0].program = {\"object\": \"$OBJ/drop.bpf.o\", \"hook\": \"peer\"}"
	network nktpm 10.217.0.0/24 '.plugins += [{type: "portmap", capabilities: {portMappings: true}, snat: true}]' 
	new_ns HOST
	export CONTAINERS_CONF=$P/containers.conf CONTAINERS_STORAGE_CONF=$P/storage.conf
}

teardown() {
	[ -n "${P:-}" ] && [ -n "${HOST:-}" ] && pm rm -a -f -t 0 > /dev/null 2>&1
	cleanup_ns
}

# network NAME SUBNET [JQ]: a conflist in the CNI version podman 4.3 speaks
# (JQ on the whole conflist, .plugins[0] being ours)
network() {
	jq -n --arg n "$1" --arg s "$2" --arg d "$P/leases" --arg st "$P/state" '{cniVersion: "0.4.0", name: $n,
		plugins: [{type: "nktools", capabilities: {mac: true}, stateDir: $st,
			   ipam: {type: "host-local", subnet: $s, dataDir: $d}}]}' |
		jq "${3:-.}" > "$P/net/$1.conflist"
}

pm() { nsenter --net="/run/netns/$HOST" podman "$@"; }
run_on() { # run_on NETWORK NAME [PODMAN OPTIONS] -- COMMAND...
	local net=$1 name=$2; shift 2
	local opts=()
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	# --rootfs is a flag: the "image" (the first word after the options) is the tree
	pm run --name "$name" --network "$net" --runtime runc --cgroup-manager cgroupfs \
		"${opts[@]}" --rootfs "$P/rootfs" /bin/sh -c "$*"
}
ip_of() { pm inspect "$1" --format "{{(index .NetworkSettings.Networks \"$2\").IPAddress}}"; }
netns_of() { pm inspect "$1" --format '{{.NetworkSettings.SandboxKey}}'; }

nothing_left() {
	local devs
	devs=$(ip -n "$HOST" -j link show | jq -r '[.[] | select(.ifname | startswith("nk")) | .ifname] | join(" ")')
	[ -z "$devs" ] || { echo "devices left: $devs"; return 1; }
	[ -z "$(find "$P/leases" -type f -name '10.*')" ] || { echo "leases left"; return 1; }
	# the pairs' pins (the data path's maps in datapath/ are the node's)
	[ -z "$(find "/sys/fs/bpf/nktools/$(stat -L -c %i "/run/netns/$HOST")" -path '*/datapath' -prune -o -type f -print 2>/dev/null)" ] ||
		{ echo "pins left"; return 1; }
	[ -z "$(ip -n "$HOST" route show | grep -E '10\.21[4567]\.')" ] || { echo "routes left"; return 1; }
	[ -z "$(find "$P/state" -name 'nk*.json' 2>/dev/null)" ] || { echo "records left"; return 1; }
}

@test "podman: eth0 is a netkit device that reaches the host and another container" {
	run --separate-stderr run_on nkt a -d -- sleep 120
	assert_status 0
	local ip_a ns_a
	ip_a=$(ip_of a nkt)
	[[ "$ip_a" == 10.214.0.* ]]
	ns_a=$(netns_of a)
	[ "$(nsenter --net="$ns_a" ip -d -j link show eth0 | jq -r '.[0].linkinfo.info_kind')" = netkit ]
	run --separate-stderr run_on nkt b --rm -- "ping -c 1 -W 3 10.214.0.1 && ping -c 1 -W 3 $ip_a"
	assert_status 0
	pm rm -f -t 0 a > /dev/null
	nothing_left
}

@test "podman: l2 with the MAC the runtime gives" {
	run --separate-stderr run_on nktl2 a --rm --mac-address 02:42:0a:d7:00:09 -- \
		"ip link show eth0 && ping -c 1 -W 3 10.215.0.1"
	assert_status 0
	[[ "$output" == *"02:42:0a:d7:00:09"* ]]
	nothing_left
}

@test "podman: a policy program from the network's config drops the pod's traffic" {
	# the container starts and its ping goes out unanswered: not a
	# container that failed to start, nor a ping that could not be sent
	run --separate-stderr run_on nktdrop a --rm -- 'ip -o -4 addr show eth0; ping -c 1 -W 2 10.216.0.1; echo "ping exit $?"'
	assert_status 0
	[[ "$output" == *"eth0"*"inet 10.216.0."* ]]
	[[ "$output" == *" 0 packets received"* ]]
	[[ "$output" == *"ping exit 1" ]]
	run --separate-stderr run_on nkt b --rm -- "ping -c 1 -W 2 10.214.0.1"
	assert_status 0
	nothing_left
}

# UDP, as a DNS client talks to a DNS pod: the client hears nothing when the
# server goes, and waits for ever (a TCP client gets the server's FIN when
# podman kills it; cni.bats tests TCP where that FIN cannot arrive).
@test "podman: removing the server container aborts the client's connection at once" {
	run_on nkt server -d -v /usr:/usr:ro -- "python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((\"0.0.0.0\", 5353))
while True:
    d, a = s.recvfrom(512); s.sendto(d, a)'" > /dev/null
	run_on nkt client -d -- sleep 120 > /dev/null
	local ip out=$BATS_TEST_TMPDIR/client
	ip=$(ip_of server nkt)
	# the client: a connected UDP socket in the client container's namespace,
	# answered once, then waiting
	nsenter --net="$(netns_of client)" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.connect((sys.argv[1], 5353))
s.settimeout(0.5)
for i in range(60):
    s.send(b"q")
    try:
        s.recv(512); break
    except OSError:
        pass
else:
    sys.exit("no answer")
s.settimeout(60); open(sys.argv[2] + ".up", "w").close(); t = time.time()
try:
    s.recv(512); r = "data"
except OSError as e:
    r = e.__class__.__name__
open(sys.argv[2], "w").write("%s %.1f" % (r, time.time() - t))' "$ip" "$out" &
	local client=$! i
	for ((i = 0; i < 300; i++)); do [ -e "$out.up" ] && break; nap 0.1; done
	[ -e "$out.up" ]
	pm rm -f -t 0 server > /dev/null
	wait "$client" || true
	cat "$out"
	# aborted by the DEL's sockreap, not the 60 s timeout
	[[ "$(cat "$out")" == ConnectionAbortedError* ]]
	[ "$(cut -d' ' -f2 "$out" | cut -d. -f1)" -lt 50 ]
	pm rm -f -t 0 client > /dev/null
	nothing_left
}

@test "podman: -p HOSTPORT:PORT through portmap, chained after nktools, reaches the container" {
	command -v iptables > /dev/null || skip "portmap needs iptables"
	run_on nktpm web -d -p 18081:8080 -v /usr:/usr:ro -- "python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((\"0.0.0.0\", 8080)); s.listen()
while True:
    c, _ = s.accept(); c.sendall(b\"hello\\n\"); c.close()'" > /dev/null
	# from the node, to the network's gateway address and the host port
	run --separate-stderr nsenter --net="/run/netns/$HOST" python3 -c '
import socket, time
for i in range(100):
    try:
        s = socket.create_connection(("10.217.0.1", 18081), timeout=3); break
    except ConnectionRefusedError:
        time.sleep(0.1)
print(s.recv(16).decode().strip())'
	[ "$output" = hello ] || { echo "through portmap: $output $stderr"; false; }
	pm rm -f -t 0 web > /dev/null
	nothing_left
}
