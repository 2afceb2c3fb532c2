#!/usr/bin/env bats
# bash completion (completion/nktools.bash): the completion functions are
# driven with COMP_WORDS and COMP_CWORD as bash sets them, and the
# candidates checked.

load lib

COMPLETION=$BATS_TEST_DIRNAME/../completion/nktools.bash
OBJ=$BATS_TEST_DIRNAME/../bpf/.out

setup() {
	bats_require_minimum_version 1.5.0
	# shellcheck source=/dev/null
	source "$COMPLETION"
	PATH=$TOP/nkctl:$TOP/tcxctl:$TOP/sockreap:$PATH
}

teardown() {
	cleanup_ns
}

# complete WORD...: the candidates for the last word (may be ""), sorted
complete_line() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	"_$1"
	# sorted as sort(1) would, joined by spaces, in bash alone: under TCG
	# three processes per line were most of this file's time
	local -a s=()
	local w i
	for w in "${COMPREPLY[@]}"; do
		for ((i = ${#s[@]}; i > 0; i--)); do
			[[ ${s[i - 1]} > $w ]] || break
			s[i]=${s[i - 1]}
		done
		s[i]=$w
	done
	local IFS=' '
	printf '%s\n' "${s[*]}"
}

@test "completion: commands, options and keywords in grammar order" {
	[ "$(complete_line nkctl '')" = "add del help monitor set show" ]
	[ "$(complete_line nkctl monitor '')" = "all-netns" ]
	[ "$(complete_line tcxctl '')" = "attach detach help move replace show" ]
	[ "$(complete_line sockreap '')" = "help kill list" ]
	[ "$(complete_line tcxctl -)" = "-V -b -h -j -n -p" ]
	[ "$(complete_line sockreap --)" = "--backend" ]
	[ "$(complete_line sockreap --backend '')" = "auto bpf diag" ]
	[ "$(complete_line tcxctl a)" = "attach" ]
	# nkctl add: the new name is free; then its keywords, then the peer's
	[ "$(complete_line nkctl add '')" = "" ]
	[ "$(complete_line nkctl add nk0 mode '')" = "l2 l3" ]
	[ "$(complete_line nkctl add nk0 mode l2 p)" = "pairing peer policy" ]
	[ "$(complete_line nkctl add nk0 mode l2 policy blackhole peer '')" = "address gro_ipv4_max_size gro_max_size gso_ipv4_max_size gso_max_size mtu name netns policy scrub txqueuelen up" ]
	[ "$(complete_line nkctl add nk0 peer name p0 g)" = "gro_ipv4_max_size gro_max_size gso_ipv4_max_size gso_max_size" ]
	[ "$(complete_line nkctl add nk0 gso_max_size '')" = "" ]
	[ "$(complete_line nkctl set nk0 txq)" = "txqueuelen" ]
	[ "$(complete_line nkctl set nk0 peer '')" = "policy" ]
	# tcxctl, in the grammar's order: dev, hook, PROG, POSITION, options
	[ "$(complete_line tcxctl attach '')" = "dev" ]
	[ "$(complete_line tcxctl attach dev lo '')" = "egress ingress peer primary" ]
	[ "$(complete_line tcxctl attach dev lo ingress '')" = "id object pinned" ]
	[ "$(complete_line tcxctl attach dev lo ingress object x.o '')" = \
	  "after before first last mode pin program revision section" ]
	[ "$(complete_line tcxctl attach dev lo ingress id 5 first '')" = "mode pin revision" ]
	[ "$(complete_line tcxctl attach dev lo ingress id 5 before '')" = "id link name pinned" ]
	[ "$(complete_line tcxctl attach dev lo ingress id 5 mode '')" = "auto tc tcx" ]
	[ "$(complete_line tcxctl detach dev lo ingress '')" = "all id link name pinned" ]
	[ "$(complete_line tcxctl detach dev lo ingress all '')" = "ours revision" ]
	[ "$(complete_line tcxctl replace dev lo ingress name x '')" = "id object pinned" ]
	[ "$(complete_line tcxctl move dev lo ingress name x '')" = "after before first last" ]
	[ "$(complete_line tcxctl show '')" = "all-netns dev egress hooks ingress peer primary" ]
	[ "$(complete_line tcxctl show dev lo hooks '')" = "egress ingress peer primary" ]
	[ "$(complete_line tcxctl show all-netns ingress '')" = "hooks" ]
	# sockreap: filter words, state may repeat, tcp and udp exclude each other
	[ "$(complete_line sockreap kill tcp '')" = "-4 -6 all cookie dport dst sport src state" ]
	[ "$(complete_line sockreap kill state established state '')" = \
	  "all close close-wait closing connected established fin-wait-1 fin-wait-2 last-ack listen new-syn-recv syn-recv syn-sent time-wait" ]
	[ "$(complete_line sockreap -j list udp -6 dst 10.0.0.1 '')" = "all cookie dport sport src state" ]
}

@test "completion: the program names of an object file" {
	[ "$(complete_line tcxctl attach dev lo ingress object "$OBJ/progs.bpf.o" program '')" = \
	  "nk_drop2 nk_next2 nk_pass2" ]
	[ "$(complete_line tcxctl attach dev lo ingress object "$OBJ/progs.bpf.o" program nk_d)" = "nk_drop2" ]
	[ "$(complete_line tcxctl attach dev lo ingress object "$OBJ/nonexistent.o" program '')" = "" ]
	# object takes files
	[[ " $(complete_line tcxctl attach dev lo ingress object "$OBJ/pro") " == *" $OBJ/progs.bpf.o "* ]]
}

@test "completion: devices, namespaces, netkit devices and pinned paths" {
	require_root
	new_ns NS
	ip -n "$NS" link add nkc0 type veth peer name nkc1
	[ "$(complete_line tcxctl -n "$NS" attach dev '')" = "lo nkc0 nkc1" ]
	[ "$(complete_line tcxctl -n "$NS" show dev nkc)" = "nkc0 nkc1" ]
	[[ " $(complete_line nkctl -n '') " == *" $NS "* ]]
	[[ " $(complete_line nkctl add nk0 peer netns '') " == *" $NS "* ]]
	# set, del and show take netkit devices only: the veths are not offered
	[ "$(complete_line nkctl -n "$NS" del '')" = "" ]
	mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf	# as tcxctl does
	mkdir -p "/sys/fs/bpf/nkt-compl-$$"
	[[ " $(complete_line tcxctl detach dev lo ingress pinned /sys/fs/bpf/nkt-compl) " == *" /sys/fs/bpf/nkt-compl-$$ "* ]]
	rmdir "/sys/fs/bpf/nkt-compl-$$"
	if nk_feature netkit; then
		"$NKCTL" -n "$NS" add nkc2 peer name nkc3
		[ "$(complete_line nkctl -n "$NS" del '')" = "nkc2 nkc3" ]
	fi
}

@test "completion: names on a hook for REF name" {
	require_root
	has_feature "$TCXCTL" tcx || skip "tcx is not supported by this kernel (needs Linux 6.6)"
	new_ns NS
	ip -n "$NS" link add nkc0 type veth peer name nkc1
	"$TCXCTL" -n "$NS" attach dev nkc0 ingress object "$OBJ/pass.bpf.o"
	"$TCXCTL" -n "$NS" attach dev nkc0 ingress object "$OBJ/count.bpf.o"
	[ "$(complete_line tcxctl -n "$NS" detach dev nkc0 ingress name '')" = "nk_count nk_pass" ]
	[ "$(complete_line tcxctl -n "$NS" move dev nkc0 ingress name nk_pass after name nk_c)" = "nk_count" ]
}

@test "completion: make install puts it where bash-completion finds it" {
	local d=$BATS_TEST_TMPDIR/root
	run make -C "$TOP" --no-print-directory install DESTDIR="$d" PREFIX=/usr
	assert_status 0
	local c=$d/usr/share/bash-completion/completions
	[ -f "$c/nkctl" ]
	[ "$(readlink "$c/tcxctl")" = nkctl ]
	[ "$(readlink "$c/sockreap")" = nkctl ]
	[ -x "$d/usr/lib/cni/nktools" ]
	[ -f "$d/usr/share/man/man8/cni-nktools.8" ] || [ ! -f "$TOP/man/man8/cni-nktools.8" ]
	bash -c "source $c/nkctl; complete -p nkctl tcxctl sockreap"
}
