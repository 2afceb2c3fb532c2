# Shared helpers for the bats tests. Every test works in namespaces it makes
# itself (never the caller's), and teardown removes them even on failure.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The tools and the plugin under test: the tree's, or installed ones when
# NK_SBINDIR (the tools, e.g. /usr/sbin) and NK_CNIDIR (the plugin, e.g.
# /usr/lib/cni) say where (testsuite/run's "deb" entry sets both).
NKCTL=${NK_SBINDIR:-$TOP/nkctl}/nkctl
TCXCTL=${NK_SBINDIR:-$TOP/tcxctl}/tcxctl
SOCKREAP=${NK_SBINDIR:-$TOP/sockreap}/sockreap
PLUGIN=${NK_CNIDIR:-$TOP/cni}/nktools
export NKCTL TCXCTL SOCKREAP PLUGIN

# jq in the tests is gojq where it is installed (.ci/deps installs it): the
# same language, and under TCG a fifth of jq 1.6's start-up time, which is
# most of what a jq costs there (jq 1.6 compiles its builtins at each start).
# The tools' and the plugin's own jq stays jq. NK_JQ=jq forces jq.
if [ "${NK_JQ:-gojq}" = gojq ] && command -v gojq > /dev/null; then
	jq() { gojq "$@"; }
fi

# nap SECONDS: sleep without a process (read -t on a pipe that nobody
# writes), for polling loops: under TCG a sleep process costs more than the
# nap itself.
nap() {
	[ -n "${NK_NAPFD:-}" ] || exec {NK_NAPFD}<> <(:)
	read -r -t "$1" -u "$NK_NAPFD" _ || true
}

# new_ns VAR: create a uniquely named namespace and store its name in VAR.
new_ns() {
	local name="nkt$$-${BATS_TEST_NUMBER:-0}-$RANDOM"
	# known to cleanup_ns before it exists: a failure below leaves nothing
	NK_NAMESPACES+=" $name"
	ip netns add "$name" || return 1
	ip -n "$name" link set lo up || return 1
	printf -v "$1" '%s' "$name"
}

cleanup_ns() { # three processes for any number of namespaces
	local ns line paths=() dels=""
	if [ -n "${NK_NAMESPACES// /}" ]; then
		# our pins for each namespace, before its devices go, and tcxctl's
		# marks of the clsact qdiscs it added there
		while read -r line; do
			[ -n "$line" ] && paths+=("/sys/fs/bpf/nktools/$line" "/run/nktools/clsact/$line-"*)
		done < <(for ns in $NK_NAMESPACES; do echo "/run/netns/$ns"; done | xargs stat -L -c %i 2> /dev/null)
		for ns in $NK_NAMESPACES; do dels+="netns del $ns"$'\n'; done
	fi
	# what a test pinned in bpffs itself: /sys/fs/bpf/nkt-WHAT-$$[-...]
	rm -rf "${paths[@]}" /sys/fs/bpf/nkt-*-"$$" /sys/fs/bpf/nkt-*-"$$"-*
	[ -z "$dels" ] || ip -force -b - <<< "$dels" > /dev/null 2>&1 || true
	NK_NAMESPACES=
}

require_root() {
	[ "$(id -u)" = 0 ] || skip "needs root"
}

# A tool's features, as "TOOL -j -V" reports them: asked once per bats run
# (two processes, seconds under TCG) and kept in BATS_RUN_TMPDIR as
# KEY=VALUE lines, read back without a process.
feature_value() { # feature_value TOOL NAME -> the value in REPLY; exit 1 if none
	local tool=$1 cache line tmp
	cache=${BATS_RUN_TMPDIR:-/tmp}/features-${tool##*/}
	if [ ! -s "$cache" ]; then
		tmp=$cache.$BASHPID
		"$tool" -j -V | jq -r '.[0].features | to_entries[] | "\(.key)=\(.value)"' > "$tmp" &&
			mv "$tmp" "$cache" || { rm -f "$tmp"; return 1; }
	fi
	while IFS= read -r line; do
		[ "${line%%=*}" = "$2" ] && { REPLY=${line#*=}; return 0; }
	done < "$cache"
	return 1
}

feature() { feature_value "$@" && printf '%s\n' "$REPLY"; } # feature TOOL NAME -> prints the value
has_feature() { feature_value "$@" && [ "$REPLY" = true ]; } # has_feature TOOL NAME -> exit 0 if true

# The running kernel's netkit features, as nkctl -V -j reports them.
nk_feature() { has_feature "$NKCTL" "$1"; } # nk_feature NAME -> exit 0 if the kernel has it

require_netkit() {
	require_root
	nk_feature netkit || skip "netkit is not supported by this kernel (needs Linux 6.7)"
}

require_nk_feature() { # require_nk_feature NAME VERSION
	require_netkit
	nk_feature "$1" || skip "netkit $1 is not supported by this kernel (needs Linux $2)"
}

# ip -d -j link show DEV in NS, one jq expression applied
ipj() { # ipj NS DEV JQ
	ip -n "$1" -d -j link show dev "$2" | jq -r ".[0]$3"
}

# The netkit devices in NS, one name a line, as the kernel lists them.
netkit_devs() {
	ip -n "$1" -d -j link show | jq -r '.[] | select(.linkinfo.info_kind == "netkit") | .ifname'
}

# assert_json: $output is one valid JSON document
assert_json() {
	printf '%s' "$output" | jq -e . > /dev/null || {
		echo "not valid JSON: $output" >&2
		return 1
	}
}

# no_reply NS ADDR: one ping from NS to ADDR is sent and gets no answer
# (ping's exit 1 and "0 received"), as when a program or policy drops it. A
# ping that cannot be sent at all (exit 2: no route, no such namespace) is
# not a drop, and fails the check as a reply does.
no_reply() {
	local out rc=0
	out=$(nsenter --net="/run/netns/$1" ping -c 1 -W 1 "$2" 2>&1) || rc=$?
	if [ "$rc" != 1 ] || [[ $out != *" 0 received"* ]]; then
		echo "expected a ping from $1 to $2 to go unanswered; exit $rc: $out" >&2
		return 1
	fi
}

assert_status() { # assert_status N
	if [ "$status" != "$1" ]; then
		echo "expected exit $1, got $status; output: $output" >&2
		return 1
	fi
}

assert_output_has() { # assert_output_has TEXT
	case "$output" in
	*"$1"*) ;;
	*) echo "expected \"$1\" in: $output" >&2; return 1 ;;
	esac
}
