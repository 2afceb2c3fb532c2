#!/usr/bin/env bats
# The BPF data path (bpf/datapath.bpf.c) of cni/nktools pods, on two
# simulated nodes: namespaces NA and NB joined by a veth "wire" (wa, wb),
# each the "host" of its pods, with routes to the other's pod subnets.
# Node A's pods are in 10.221.0.0/24 and fd00:221::/64, node B's in
# 10.222.0.0/24 and fd00:222::/64; the wire is 10.220.0.0/24 and
# fd00:220::/64, and each node's default route goes over it (its uplink).

load lib

export CNI_PATH=/usr/lib/cni

setup() {
	bats_require_minimum_version 1.5.0
	require_netkit
	[ -x "$CNI_PATH/host-local" ] || skip "no host-local IPAM plugin (containernetworking-plugins)"
	new_ns NA
	new_ns NB
	new_ns PA1
	new_ns PA2
	new_ns PB1
	LEASES=$BATS_TEST_TMPDIR/leases STATE=$BATS_TEST_TMPDIR/state
	ip link add wa netns "$NA" type veth peer name wb netns "$NB"
	ip -n "$NA" -b - <<-EOF
	addr add 10.220.0.1/24 dev wa
	addr add fd00:220::1/64 dev wa nodad
	link set wa up
	route add 10.222.0.0/24 via 10.220.0.2
	route add fd00:222::/64 via fd00:220::2
	route add default via 10.220.0.2
	EOF
	ip -n "$NB" -b - <<-EOF
	addr add 10.220.0.2/24 dev wb
	addr add fd00:220::2/64 dev wb nodad
	link set wb up
	route add 10.221.0.0/24 via 10.220.0.1
	route add fd00:221::/64 via fd00:220::1
	route add default via 10.220.0.1
	EOF
	INO_A=$(stat -L -c %i "/run/netns/$NA")
	INO_B=$(stat -L -c %i "/run/netns/$NB")
}

teardown() {
	[ -e "$BATS_TEST_TMPDIR/pids" ] && kill $(cat "$BATS_TEST_TMPDIR/pids") 2> /dev/null
	cleanup_ns
}

# conf NODE [JQ]: node NODE's (a or b) network configuration
conf() {
	local net=$([ "$1" = a ] && echo 221 || echo 222)
	jq -cn --arg d "$LEASES/$1" --arg s "$STATE/$1" --arg n "$net" '{cniVersion: "1.0.0", name: "nkdp",
		type: "nktools", stateDir: $s, ipam: {type: "host-local", dataDir: $d,
		ranges: [[{subnet: "10.\($n).0.0/24"}], [{subnet: "fd00:\($n)::/64"}]]}}' | jq -c "${2:-.}"
}
# cni NODE COMMAND CONTAINER [CONFIG]: the plugin on node NODE, for the pod
# namespace of the same name as the container
cni() {
	local ns=${3^^} node=N${1^^} netns=
	[ -z "$ns" ] || netns=/run/netns/${!ns}
	CNI_COMMAND=$2 CNI_CONTAINERID=$3 CNI_NETNS=$netns CNI_IFNAME=eth0 \
		nsenter --net="/run/netns/${!node}" "$PLUGIN" <<< "${4:-$(conf "$1")}"
}
in_ns() { local ns=$1; shift; nsenter --net="/run/netns/$ns" "$@"; }
# rx_packets NS: what eth0 in NS received, by its own counters (ip -s)
rx_packets() { in_ns "$1" ip -j -s link show eth0 | jq '.[0].stats64.rx.packets'; }
tx_packets() { in_ns "$1" ip -j -s link show eth0 | jq '.[0].stats64.tx.packets'; }

# endpoints NODE: node NODE's endpoint map as "ADDRESS IFINDEX TO_PACKETS
# FROM_PACKETS" lines, sorted, by bpftool (not ours)
endpoints() {
	local ino=INO_${1^^}
	bpftool -j map dump pinned "/sys/fs/bpf/nktools/${!ino}/datapath/nk_dp_endpoints" |
		jq -r '.[].formatted | (.key.addr) as $a |
			(if $a[0:12] == [0,0,0,0,0,0,0,0,0,0,255,255] then ($a[12:] | map(tostring) | join("."))
			 else [range(0; 16; 2) as $i | ($a[$i] * 256 + $a[$i + 1])] | map(. as $w |
				"0123456789abcdef" | .[($w / 4096 | floor):($w / 4096 | floor) + 1] + .[($w / 256 % 16):($w / 256 % 16) + 1] +
				.[($w / 16 % 16):($w / 16 % 16) + 1] + .[($w % 16):($w % 16) + 1]) | join(":") end) as $s |
			"\($s) \(.value.ifindex) \(.value.to_packets) \(.value.from_packets)"' | sort
}
# field ENDPOINTS ADDRESS N: field N (2: ifindex, 3: to, 4: from) of ADDRESS's line
field() { awk -v a="$2" -v n="$3" '$1 == a { print $n }' <<< "$1"; }

@test "datapath: pod to pod on a node and across nodes, to a remote host, IPv4 and IPv6, by the fast path" {
	run --separate-stderr cni a ADD pa1
	assert_status 0
	run --separate-stderr cni a ADD pa2
	assert_status 0
	run --separate-stderr cni b ADD pb1
	assert_status 0
	# the programs, as bpftool sees them: the wire's on each uplink, the
	# forwarder and the flow recorder on each pair
	run in_ns "$NA" bpftool -j net show
	[ "$(jq -r '[.[0].tc[] | select(.devname == "wa") | .name] | join(" ")' <<< "$output")" = nk_dp_from_wire ]
	[ "$(jq -r '[.[0].tc[] | select(.kind == "netkit/peer") | .name] | unique | join(" ")' <<< "$output")" = nk_dp_from_pod ]
	[ "$(jq '[.[0].tc[] | select(.kind == "netkit/primary" and .name == "nk_dp_to_pod")] | length' <<< "$output")" = 2 ]
	local rx0 tx0
	rx0=$(rx_packets "$PB1") tx0=$(tx_packets "$PA1")
	# a ping each way that matters: the replies come back by the fast path too
	in_ns "$PA1" ping -c 2 -i 0.2 -W 2 10.221.0.3	# pod on the same node
	in_ns "$PA1" ping -c 2 -i 0.2 -W 2 10.222.0.2	# pod on the other node
	in_ns "$PA1" ping -c 2 -i 0.2 -W 2 10.220.0.2	# the other node itself
	in_ns "$PA1" ping -c 2 -i 0.2 -W 2 fd00:221::3
	in_ns "$PA1" ping -c 2 -i 0.2 -W 2 fd00:222::2
	in_ns "$PA1" ping -c 2 -i 0.2 -W 2 fd00:220::2
	in_ns "$PB1" ping -c 2 -i 0.2 -W 2 10.221.0.2
	local a b
	a=$(endpoints a) b=$(endpoints b)
	echo "node A: $a"; echo "node B: $b"
	[ "$(wc -l <<< "$a")" = 4 ]
	[ "$(wc -l <<< "$b")" = 2 ]
	# each pod's addresses point at its own pair
	[ "$(field "$a" 10.221.0.2 2)" = "$(field "$a" fd00:0221:0000:0000:0000:0000:0000:0002 2)" ]
	[ "$(field "$a" 10.221.0.2 2)" != "$(field "$a" 10.221.0.3 2)" ]
	# forwarded by the programs, not the stack: pa2 got pa1's 2 pings
	# (bpf_redirect), pb1 got 2 + 2 from the wire (bpf_redirect_peer), pa1
	# its 6 replies and pb1's 2 pings; pa1 sent 12, pb1 4
	[ "$(field "$a" 10.221.0.3 3)" = 2 ]
	[ "$(field "$a" fd00:0221:0000:0000:0000:0000:0000:0003 3)" = 2 ]
	[ "$(field "$b" 10.222.0.2 3)" = 4 ]
	[ "$(field "$b" fd00:0222:0000:0000:0000:0000:0000:0002 3)" = 2 ]
	[ "$(field "$a" 10.221.0.2 3)" = 8 ]
	[ "$(field "$a" 10.221.0.2 4)" = 8 ]
	[ "$(field "$a" fd00:0221:0000:0000:0000:0000:0000:0002 4)" = 6 ]
	# nkctl show prints each pair's endpoints with the same counters
	run --separate-stderr "$NKCTL" -n "$NA" -j show
	assert_status 0
	[ "$(jq -r '[.[] | .endpoints // [] | .[] | "\(.address) \(.to_packets) \(.from_packets)"] | sort | join(",")' <<< "$output")" = \
	  "10.221.0.2 8 8,10.221.0.3 2 2,fd00:221::2 6 6,fd00:221::3 2 2" ]
	# the pod's own counters (ip -s link) count what the fast path put
	# into it: pa1's 2 + 2 pings and the 2 answers to its own
	[ "$(($(rx_packets "$PB1") - rx0))" -ge 6 ]
	# and what the pod sent by it: pa1's 12 pings
	[ "$(($(tx_packets "$PA1") - tx0))" -ge 12 ]
	# a router's hop each: the TTL went down once per node
	run in_ns "$PA1" ping -c 1 -W 2 10.222.0.2
	[[ "$output" == *"ttl=62"* ]]
	# a source not the pod's own (pa1 sending as pa2) is the stack's to
	# judge: the fast path does not forward it, nor count it as pa2's
	ip -n "$PA1" addr add 10.221.0.3/32 dev eth0
	run in_ns "$PA1" ping -c 2 -i 0.2 -W 1 -I 10.221.0.3 10.222.0.2
	a=$(endpoints a)
	echo "node A: $a"
	[ "$(field "$a" 10.221.0.3 4)" = 2 ]
}

@test "datapath: DEL, GC and a pair gone without DEL leave no endpoint; a retried ADD leaves one set" {
	cni a ADD pa1 > /dev/null
	cni a ADD pa2 > /dev/null
	[ "$(endpoints a | wc -l)" = 4 ]
	# a retry of an ADD whose first try did not finish (its record says so)
	local rec
	rec=$(ls "$STATE"/a/nkdp/nk*.json | head -n 1)
	jq -c '.complete = false' "$rec" > "$rec.tmp" && mv "$rec.tmp" "$rec"
	local id
	id=$(jq -r .containerID "$rec")
	run --separate-stderr cni a ADD "$id"
	assert_status 0
	[ "$(endpoints a | wc -l)" = 4 ]
	[ "$(endpoints a | awk '{ print $2 }' | sort -u | wc -l)" = 2 ]
	run --separate-stderr cni a DEL pa2
	assert_status 0
	[ "$(endpoints a | grep -c '^10\.221\.0\.')" = 1 ]
	[ "$(endpoints a | wc -l)" = 2 ]
	# pa1's pair goes without a DEL and its record is lost (a node that
	# crashed): its entries stay, its lease stays host-local's, and an ADD
	# of that attachment again gets an address all the same
	local nkdev='.[] | select(.ifname | startswith("nk")) | .ifname'
	in_ns "$NA" ip link del "$(in_ns "$NA" ip -j link show | jq -r "$nkdev")"
	rm "$STATE"/a/nkdp/nk*.json
	[ "$(endpoints a | wc -l)" = 2 ]
	grep -l '^pa1' "$LEASES"/a/nkdp/10.221.0.*
	run --separate-stderr cni a ADD pa1
	assert_status 0
	# lost again; GC finds the entries' devices gone, and the lease no
	# record owns
	in_ns "$NA" ip link del "$(in_ns "$NA" ip -j link show | jq -r "$nkdev")"
	rm "$STATE"/a/nkdp/nk*.json
	run --separate-stderr cni a GC "" "$(conf a '.cniVersion = "1.1.0" | ."cni.dev/valid-attachments" = []')"
	assert_status 0
	[ -z "$(endpoints a)" ]
	[ -z "$(grep -ls '^pa1' "$LEASES"/a/nkdp/* || true)" ]
	# an uplink that goes leaves the uplink map at GC
	in_ns "$NA" ip link add wx type dummy
	in_ns "$NA" ip link set wx up
	cni a ADD pa2 "$(conf a '.devices = ["wa", "wx"]')" > /dev/null
	local wx
	wx=$(in_ns "$NA" ip -j link show wx | jq '.[0].ifindex')
	bpftool -j map dump pinned "/sys/fs/bpf/nktools/$INO_A/datapath/nk_dp_uplinks" |
		jq -e --argjson i "$wx" 'any(.[]; .formatted.key == $i)'
	in_ns "$NA" ip link del wx
	run --separate-stderr cni a GC "" "$(conf a '.cniVersion = "1.1.0" | ."cni.dev/valid-attachments" = [{containerID: "pa2", ifname: "eth0"}]')"
	assert_status 0
	run bpftool -j map dump pinned "/sys/fs/bpf/nktools/$INO_A/datapath/nk_dp_uplinks"
	[ "$(jq --argjson i "$wx" '[.[] | select(.formatted.key == $i)] | length' <<< "$output")" = 0 ]
	[ "$(jq length <<< "$output")" = 1 ]
	[ "$(endpoints a | wc -l)" = 2 ]
}

@test "datapath: chained portmap and firewall: a DNAT'd flow takes the stack both ways; a direct one the fast path" {
	command -v iptables > /dev/null || skip "portmap and firewall need iptables"
	local r cfg name
	r=$(cni a ADD pa1 "$(conf a '.capabilities = {portMappings: true}')")
	for name in portmap firewall; do
		case $name in
		portmap) cfg=$(jq -cn --argjson r "$r" '{cniVersion: "1.0.0", name: "nkdp", type: "portmap", snat: true,
			runtimeConfig: {portMappings: [{hostPort: 18080, containerPort: 8080, protocol: "tcp"}]},
			prevResult: $r}') ;;
		firewall) cfg=$(jq -cn --argjson r "$r" '{cniVersion: "1.0.0", name: "nkdp", type: "firewall",
			backend: "iptables", prevResult: $r}') ;;
		esac
		run --separate-stderr env CNI_COMMAND=ADD CNI_CONTAINERID=pa1 CNI_NETNS=/run/netns/$PA1 CNI_IFNAME=eth0 \
			nsenter --net="/run/netns/$NA" "$CNI_PATH/$name" <<< "$cfg"
		[ "$status" = 0 ] || { echo "$name: $output $stderr"; return 1; }
		r=$output
	done
	# nsenter execs socat: $! is the server (for teardown), whose output
	# (and bats' fd 3) it does not hold
	nsenter --net="/run/netns/$PA1" socat TCP-LISTEN:8080,fork,reuseaddr SYSTEM:'echo hello' \
		> /dev/null 2>&1 3>&- &
	echo $! >> "$BATS_TEST_TMPDIR/pids"
	local i out=""
	for ((i = 0; i < 50; i++)); do
		[ -n "$(in_ns "$PA1" ss -Htln 'sport = :8080')" ] && break
		nap 0.1
	done
	# from the other node, to node A's address and the host port: DNAT there
	out=$(in_ns "$NB" socat -t 3 -T 3 - TCP:10.220.0.1:18080,connect-timeout=5 < /dev/null)
	[ "$out" = hello ]
	# the flow was the stack's (recorded when it reached the pod), so the
	# answers went back through the stack's conntrack for their un-DNAT
	run bpftool -j map dump pinned "/sys/fs/bpf/nktools/$INO_A/datapath/nk_dp_flows"
	# (dport in network order, as bpftool reads the bytes: 8080 is 36895)
	[ "$(jq '[.[].formatted.key | select(.dst[12:] == [10,221,0,2] and .dport == 36895)] | length' <<< "$output")" -ge 1 ]
	# straight to the pod's address: the fast path both ways
	out=$(in_ns "$NB" socat -t 3 -T 3 - TCP:10.221.0.2:8080,connect-timeout=5 < /dev/null)
	[ "$out" = hello ]
	[ "$(field "$(endpoints a)" 10.221.0.2 3)" -gt 0 ]
}

@test "datapath: an upgrade (other programs, an older map layout) moves every link to the new programs, carries the endpoints, keeps the uplink's link; traffic flows" {
	cni a ADD pa1 > /dev/null
	cni b ADD pb1 > /dev/null
	in_ns "$PA1" ping -c 1 -W 2 10.222.0.2
	local dir=/sys/fs/bpf/nktools/$INO_A/datapath before after flows
	before=$(in_ns "$NA" bpftool -j net show dev wa | jq -c '[.[0].tc[] | {link_id, prog_id}]')
	flows=$(bpftool -j map show pinned "$dir/nk_dp_flows" | jq .id)
	# an older build: its programs' pins, and an endpoint map of an older
	# layout (values without the counters: 24 bytes) holding pa1's entries
	bpftool -j map dump pinned "$dir/nk_dp_endpoints" |
		jq -r --arg m "$dir/nk_dp_endpoints" '"map create \($m) type hash key 16 value 24 entries 65536 name nk_dp_endpoints flags 1",
			(.[] | "map update pinned \($m) key \(.key | join(" ")) value \(.value[0:24] | join(" "))")' > "$BATS_TEST_TMPDIR/old"
	rm "$dir"/nk_dp_*-* "$dir/nk_dp_endpoints"
	bpftool batch file "$BATS_TEST_TMPDIR/old"
	run --separate-stderr cni a ADD pa2
	assert_status 0
	# the new layout, with pa1's entries carried (counters from zero); a
	# map of the same layout is kept as it is
	[ "$(bpftool -j map show pinned "$dir/nk_dp_endpoints" | jq .bytes_value)" = 56 ]
	[ "$(bpftool -j map show pinned "$dir/nk_dp_flows" | jq .id)" = "$flows" ]
	local eps
	eps=$(endpoints a)
	echo "$eps"
	[ "$(wc -l <<< "$eps")" = 4 ]
	[ "$(field "$eps" 10.221.0.2 4)" = 0 ]
	# every pod's links run the new programs (pa1's like pa2's); the
	# uplink keeps its link, with the new program
	run in_ns "$NA" bpftool -j net show
	echo "$output"
	[ "$(jq '[.[0].tc[] | select(.name == "nk_dp_from_pod") | .prog_id] | unique | length' <<< "$output")" = 1 ]
	[ "$(jq '[.[0].tc[] | select(.name == "nk_dp_to_pod") | .prog_id] | unique | length' <<< "$output")" = 1 ]
	[ "$(jq '[.[0].tc[] | select(.name == "nk_dp_from_pod")] | length' <<< "$output")" = 2 ]
	after=$(in_ns "$NA" bpftool -j net show dev wa | jq -c '[.[0].tc[] | {link_id, prog_id}]')
	echo "before $before after $after"
	[ "$(jq length <<< "$after")" = 1 ]
	[ "$(jq '.[0].link_id' <<< "$after")" = "$(jq '.[0].link_id' <<< "$before")" ]
	[ "$(jq '.[0].prog_id' <<< "$after")" != "$(jq '.[0].prog_id' <<< "$before")" ]
	in_ns "$PA1" ping -c 1 -W 2 10.222.0.2
	in_ns "$PA2" ping -c 1 -W 2 10.222.0.2
	in_ns "$PB1" ping -c 1 -W 2 10.221.0.3
	# pa1's old link counts into the new map: its program is the new one
	eps=$(endpoints a)
	echo "$eps"
	[ "$(field "$eps" 10.221.0.2 4)" -ge 1 ]
	[ "$(field "$eps" 10.221.0.3 3)" -ge 1 ]
	# a newer build's layout (a downgrade: values 24 bytes longer) is read
	# and written as far as this build knows it
	local shown
	shown=$("$NKCTL" -n "$NA" -j show | jq -c '[.[] | .endpoints // [] | .[]] | sort_by(.address)')
	bpftool -j map dump pinned "$dir/nk_dp_endpoints" |
		jq -r --arg m "$dir/nk_dp_endpoints" '"map create \($m) type hash key 16 value 80 entries 65536 name nk_dp_endpoints flags 1",
			(.[] | "map update pinned \($m) key \(.key | join(" ")) value \(.value | join(" ")) \([range(24) | "0xff"] | join(" "))")' > "$BATS_TEST_TMPDIR/new"
	rm "$dir/nk_dp_endpoints"
	bpftool batch file "$BATS_TEST_TMPDIR/new"
	run --separate-stderr "$NKCTL" -n "$NA" -j show
	assert_status 0
	[ "$(jq -c '[.[] | .endpoints // [] | .[]] | sort_by(.address)' <<< "$output")" = "$shown" ]
	run --separate-stderr cni a DEL pa2
	assert_status 0
	[ "$(bpftool -j map dump pinned "$dir/nk_dp_endpoints" | jq length)" = 2 ]
}

@test "datapath: \"stack\" attaches nothing; CHECK sees a missing endpoint; \"devices\" must exist" {
	run --separate-stderr cni a ADD pa1 "$(conf a '.datapath = "stack"')"
	assert_status 0
	local r=$output dev
	dev=$(jq -r '.interfaces[0].name' <<< "$r")
	[ "$(in_ns "$NA" bpftool -j net show dev "$dev" | jq '.[0].tc | length')" = 0 ]
	# through node A's stack, into node B's pod by its fast path
	cni b ADD pb1 > /dev/null
	in_ns "$PA1" ping -c 1 -W 2 10.222.0.2
	run --separate-stderr cni a CHECK pa1 "$(conf a ".datapath = \"stack\" | .prevResult = $r")"
	assert_status 0
	# bpf on a named uplink; then its endpoint goes behind its back
	run --separate-stderr cni a ADD pa2 "$(conf a '.devices = ["wa"]')"
	assert_status 0
	r=$output
	run --separate-stderr cni a CHECK pa2 "$(conf a ".devices = [\"wa\"] | .prevResult = $r")"
	assert_status 0
	bpftool map delete pinned "/sys/fs/bpf/nktools/$INO_A/datapath/nk_dp_endpoints" \
		key 0 0 0 0 0 0 0 0 0 0 255 255 10 221 0 3
	run --separate-stderr cni a CHECK pa2 "$(conf a ".devices = [\"wa\"] | .prevResult = $r")"
	[ "$status" = 1 ]
	[ "$(jq -r .code <<< "$output")" = 102 ]
	[[ "$(jq -r .msg <<< "$output")" == *"does not send 10.221.0.3"* ]]
	# an uplink that is not there: a configuration error, nothing left
	run --separate-stderr cni b ADD pa2 "$(conf b '.devices = ["nosuchdev"]')"
	[ "$status" = 1 ]
	[ "$(jq -r .code <<< "$output")" = 7 ]
	[[ "$(jq -r .msg <<< "$output")" == *"nosuchdev is not a device"* ]]
	[ "$(in_ns "$NB" ip -j link show | jq '[.[] | select(.ifname | startswith("nk"))] | length')" = 1 ]
	[ "$(endpoints b | wc -l)" = 2 ]
}

# --- pod bandwidth (runtimeConfig.bandwidth) ----------------------------------

# iperf3 servers on node B, ports 5201 and 5202, for the pods' rates
iperf_servers() {
	command -v iperf3 > /dev/null || { echo "iperf3 is missing (.ci/deps installs it)"; return 1; }
	local port
	for port in 5201 5202; do
		in_ns "$NB" iperf3 -s -D -p "$port" -I "$BATS_TEST_TMPDIR/iperf$port"
		cat "$BATS_TEST_TMPDIR/iperf$port" >> "$BATS_TEST_TMPDIR/pids"
		echo >> "$BATS_TEST_TMPDIR/pids"
	done
	nap 0.3
}
# mbits NS PORT [-R]: what a 2 s TCP flow of pod NS to node B (-R: from
# node B) achieved, in Mbit/s, by iperf3's receiver
mbits() {
	in_ns "$1" iperf3 -c 10.220.0.2 -p "$2" -t 2 -J $3 |
		jq -e '.end.sum_received.bits_per_second / 1e6 | floor'
}
# near GOT WANT: GOT within 10% of WANT
near() {
	echo "got $1 Mbit/s, asked for $2"
	[ $(($1 * 10)) -ge $(($2 * 9)) ]
	[ $(($1 * 10)) -le $(($2 * 11)) ]
}
# bw_conf NODE MBIT [JQ]: the configuration with MBIT Mbit/s each way, as
# Kubernetes passes it (bursts of 2^31 - 1 bits)
bw_conf() {
	conf "$1" ".runtimeConfig.bandwidth = {egressRate: $(($2 * 1000000)), ingressRate: $(($2 * 1000000)),
		egressBurst: 2147483647, ingressBurst: 2147483647} | ${3:-.}"
}

# rates DATAPATH: pa1 at 10, 50 and 200 Mbit/s each way (an ADD each, as
# a retried one), while pa2, unlimited, is not held back
rates() {
	iperf_servers
	cni a ADD pa2 "$(conf a ".datapath = \"$1\"")" > /dev/null
	local mbit e i o
	for mbit in 10 50 200; do
		run --separate-stderr cni a ADD pa1 "$(bw_conf a "$mbit" ".datapath = \"$1\"")"
		assert_status 0
		e=$(mbits "$PA1" 5201)
		near "$e" "$mbit"
		i=$(mbits "$PA1" 5201 -R)
		near "$i" "$mbit"
	done
	# both at once: pa1 held to 10 Mbit/s, pa2 not (the same uplink's fq)
	run --separate-stderr cni a ADD pa1 "$(bw_conf a 10 ".datapath = \"$1\"")"
	assert_status 0
	mbits "$PA1" 5201 > "$BATS_TEST_TMPDIR/pa1" 3>&- &
	o=$(mbits "$PA2" 5202)
	wait $!
	near "$(cat "$BATS_TEST_TMPDIR/pa1")" 10
	echo "pa2 unlimited: $o Mbit/s"
	[ "$o" -ge 100 ]
}

@test "bandwidth: a pod's egress and ingress at 10, 50 and 200 Mbit/s, others not held back (BPF data path)" {
	rates bpf
}

@test "bandwidth: a pod's egress and ingress at 10, 50 and 200 Mbit/s, others not held back (stack data path)" {
	rates stack
}

# rates_of NODE: node NODE's rate map as "IFINDEX EGRESS INGRESS" lines, by bpftool
rates_of() {
	local ino=INO_${1^^}
	bpftool -j map dump pinned "/sys/fs/bpf/nktools/${!ino}/datapath/nk_dp_rates" |
		jq -r '.[].formatted | "\(.key) \(.value.egress_rate) \(.value.ingress_rate)"'
}

@test "bandwidth: the pacers and fq as bpftool and tc see them, nkctl show, CHECK, DEL and GC; bad rates refused" {
	# a second uplink with four queues: mq with fq on each
	in_ns "$NA" ip link add wm numtxqueues 4 type dummy
	in_ns "$NA" ip link set wm up
	local c='.devices = ["wa", "wm"] | .runtimeConfig.bandwidth = {egressRate: 10000000, ingressRate: 20000000, ingressBurst: 1000000}'
	run --separate-stderr cni a ADD pa1 "$(conf a "$c")"
	assert_status 0
	[ "$(in_ns "$NA" tc -j qdisc show dev wm | jq -r '[.[] | .kind] | sort | join(" ")')" = "fq fq fq fq mq" ]
	local r=$output dev ifindex
	dev=$(jq -r '.interfaces[0].name' <<< "$r")
	ifindex=$(in_ns "$NA" ip -j link show "$dev" | jq '.[0].ifindex')
	[ "$(rates_of a)" = "$ifindex 10000000 20000000" ]
	# egress paced on the peer hook before the forwarder; ingress on the
	# host end's tcx egress; fq on the uplink and on the host end
	run in_ns "$NA" bpftool -j net show dev "$dev"
	[ "$(jq -r '[.[0].tc[] | select(.kind == "netkit/peer") | .name] | join(" ")' <<< "$output")" = "nk_dp_pace_out nk_dp_from_pod" ]
	[ "$(jq -r '[.[0].tc[] | select(.kind == "tcx/egress") | .name] | join(" ")' <<< "$output")" = nk_dp_pace_in ]
	[ "$(in_ns "$NA" tc -j qdisc show dev wa root | jq -r '.[0].kind')" = fq ]
	[ "$(in_ns "$NA" tc -j qdisc show dev "$dev" root | jq -r '.[0].kind')" = fq ]
	# the pod's traffic takes the stack both ways (its ingress is paced at the host end)
	[ "$(bpftool -j map dump pinned "/sys/fs/bpf/nktools/$INO_A/datapath/nk_dp_endpoints" | jq '.[0].formatted.value.flags')" = 1 ]
	run --separate-stderr "$NKCTL" -n "$NA" -j show "$dev"
	assert_status 0
	[ "$(jq -c '.[0].rate | {egress, ingress}' <<< "$output")" = '{"egress":10000000,"ingress":20000000}' ]
	run --separate-stderr "$NKCTL" -n "$NA" show "$dev"
	[[ "$output" == *"rate egress 10000000bit dropped 0 ingress 20000000bit dropped 0"* ]]
	# CHECK: the same rates pass; others, none, or fq gone do not
	run --separate-stderr cni a CHECK pa1 "$(conf a "$c | .prevResult = $r")"
	assert_status 0
	run --separate-stderr cni a CHECK pa1 "$(conf a ".devices = [\"wa\", \"wm\"] | .runtimeConfig.bandwidth = {egressRate: 20000000} | .prevResult = $r")"
	[ "$status" = 1 ]
	[ "$(jq -r .code <<< "$output")" = 102 ]
	[[ "$(jq -r .msg <<< "$output")" == *"rates are not those of runtimeConfig.bandwidth"* ]]
	run --separate-stderr cni a CHECK pa1 "$(conf a ".devices = [\"wa\", \"wm\"] | .prevResult = $r")"
	[ "$(jq -r .code <<< "$output")" = 102 ]
	in_ns "$NA" tc qdisc replace dev wm parent "$(in_ns "$NA" tc -j qdisc show dev wm root | jq -r '.[0].handle')2" pfifo
	run --separate-stderr cni a CHECK pa1 "$(conf a "$c | .prevResult = $r")"
	[ "$(jq -r .code <<< "$output")" = 102 ]
	[[ "$(jq -r .msg <<< "$output")" == *"has no fq qdisc to pace"*"egress"* ]]
	cni a ADD pa1 "$(conf a "$c")" > /dev/null	# a retried ADD mends it
	[ "$(in_ns "$NA" tc -j qdisc show dev wm | jq -r '[.[] | .kind] | sort | join(" ")')" = "fq fq fq fq mq" ]
	r=$(cni a ADD pa1 "$(conf a "$c")")
	dev=$(jq -r '.interfaces[0].name' <<< "$r")
	run --separate-stderr cni a CHECK pa1 "$(conf a "$c | .prevResult = $r")"
	assert_status 0
	in_ns "$NA" tc qdisc del dev "$dev" root
	run --separate-stderr cni a CHECK pa1 "$(conf a "$c | .prevResult = $r")"
	[ "$(jq -r .code <<< "$output")" = 102 ]
	[[ "$(jq -r .msg <<< "$output")" == *"no fq qdisc to pace its ingress"* ]]
	# DEL: the entry goes with the pair (and the uplink keeps its fq)
	run --separate-stderr cni a DEL pa1
	assert_status 0
	[ -z "$(rates_of a)" ]
	[ "$(in_ns "$NA" tc -j qdisc show dev wa root | jq -r '.[0].kind')" = fq ]
	# a pair gone without DEL, its record lost: GC finds the entry's device gone
	cni a ADD pa1 "$(conf a "$c")" > /dev/null
	[ "$(rates_of a | wc -l)" = 1 ]
	in_ns "$NA" ip link del "$(in_ns "$NA" ip -j link show | jq -r '.[] | select(.ifname | startswith("nk")) | .ifname')"
	rm "$STATE"/a/nkdp/nk*.json
	run --separate-stderr cni a GC "" "$(conf a '.cniVersion = "1.1.0" | ."cni.dev/valid-attachments" = []')"
	assert_status 0
	[ -z "$(rates_of a)" ]
	# somebody's qdisc on an uplink is not replaced: 101, and nothing made
	in_ns "$NA" tc qdisc replace dev wm root handle 1: prio
	run --separate-stderr cni a ADD pa1 "$(conf a "$c")"
	[ "$status" = 1 ]
	[ "$(jq -r .code <<< "$output")" = 101 ]
	[[ "$(jq -r .msg <<< "$output")" == *"wm has a prio qdisc somebody set"* ]]
	[ "$(in_ns "$NA" tc -j qdisc show dev wm root | jq -r '.[0].kind')" = prio ]
	[ -z "$(rates_of a)" ]
	# bad rates: 7, and nothing made
	for c in '{egressRate: -1}' '{ingressRate: "10M"}' '{egressBurst: 1000}' '[]'; do
		run --separate-stderr cni a ADD pa1 "$(conf a ".runtimeConfig.bandwidth = $c")"
		[ "$status" = 1 ]
		[ "$(jq -r .code <<< "$output")" = 7 ]
		[[ "$(jq -r .msg <<< "$output")" == *"runtimeConfig.bandwidth"* ]]
	done
	[ "$(in_ns "$NA" ip -j link show | jq '[.[] | select(.ifname | startswith("nk"))] | length')" = 0 ]
	# a pair without rates has no pacer and no entry
	run --separate-stderr cni a ADD pa2
	assert_status 0
	dev=$(jq -r '.interfaces[0].name' <<< "$output")
	[ -z "$(rates_of a)" ]
	[ "$(in_ns "$NA" bpftool -j net show dev "$dev" | jq -r '[.[0].tc[] | .name] | sort | join(" ")')" = "nk_dp_from_pod nk_dp_to_pod" ]
}
