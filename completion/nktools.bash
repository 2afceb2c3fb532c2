# SPDX-License-Identifier: GPL-2.0
# bash completion for nkctl, tcxctl and sockreap (installed by make install
# as completions/nkctl, with tcxctl and sockreap linked to it).
# Commands, then keywords in the order of each tool's grammar (those not on
# the line yet), and the values: devices, network namespaces, hooks, pinned
# paths under bpffs, the program names of an object file.

# the candidates: words of "$@" that start with the current word
_nk_offer() {
	local cur=${COMP_WORDS[COMP_CWORD]}
	COMPREPLY=($(compgen -W "$*" -- "$cur"))
}

# words of "$@" not already among the command's words
_nk_unused() {
	local w u out=()
	for w; do
		for u in "${_nk_line[@]}"; do [ "$u" = "$w" ] && continue 2; done
		out+=("$w")
	done
	echo "${out[@]}"
}

_nk_netns() { ls /run/netns 2>/dev/null; }

# devices, in the -n namespace of the line if there is one; type netkit
# for netkit only
_nk_devs() {
	local ns=() t=()
	[ -n "$_nk_ns" ] && ns=(-n "$_nk_ns")
	[ "${1:-}" = netkit ] && t=(type netkit)
	ip "${ns[@]}" -o link show "${t[@]}" 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'
}

# pinned objects under bpffs, as paths
_nk_pinned() {
	local cur=${COMP_WORDS[COMP_CWORD]}
	[ -n "$cur" ] || cur=/sys/fs/bpf/
	COMPREPLY=($(compgen -f -- "$cur"))
	compopt -o filenames 2>/dev/null
}

# the BPF programs (FUNCs) of an object file
_nk_obj_progs() {
	[ -r "$1" ] || return
	bpftool btf dump file "$1" 2>/dev/null | sed -n "s/^\[[0-9]*\] FUNC '\([^']*\)'.*/\1/p"
}

_nk_files() {
	local cur=${COMP_WORDS[COMP_CWORD]}
	COMPREPLY=($(compgen -f -- "$cur"))
	compopt -o filenames 2>/dev/null
}

# Split the line: global options (and -n's namespace) before the command;
# sets _nk_cmd, _nk_ns and _nk_line (the command's words before the current).
_nk_parse() {
	local i=1 w
	_nk_cmd= _nk_ns= _nk_line=()
	while [ $i -lt $COMP_CWORD ]; do
		w=${COMP_WORDS[i]}
		if [ -z "$_nk_cmd" ]; then
			case $w in
			-n|-netns|--netns) i=$((i + 1)); _nk_ns=${COMP_WORDS[i]} ;;
			-b|-batch|--batch|--backend) i=$((i + 1)) ;;
			-*) ;;
			*) _nk_cmd=$w ;;
			esac
		else
			_nk_line+=("$w")
		fi
		i=$((i + 1))
	done
}

# the global options' values; 0 if it completed one
_nk_global() { # _nk_global OPTIONS...
	local prev=${COMP_WORDS[COMP_CWORD - 1]} cur=${COMP_WORDS[COMP_CWORD]}
	case $prev in
	-n|-netns|--netns) _nk_offer "$(_nk_netns)"; return 0 ;;
	-b|-batch|--batch) _nk_files; return 0 ;;
	--backend) _nk_offer auto bpf diag; return 0 ;;
	esac
	if [ -z "$_nk_cmd" ] && [[ "$cur" == -* ]]; then
		_nk_offer "$@"
		return 0
	fi
	return 1
}

_nkctl() {
	local prev=${COMP_WORDS[COMP_CWORD - 1]} n
	_nk_parse
	_nk_global -j -p -n -b -V -h && return
	if [ -z "$_nk_cmd" ]; then
		_nk_offer add set del show monitor help
		return
	fi
	n=${#_nk_line[@]}
	case $prev in
	mode) _nk_offer l2 l3; return ;;
	policy) _nk_offer forward blackhole; return ;;
	scrub) _nk_offer default none; return ;;
	pairing) _nk_offer pair single; return ;;
	netns) _nk_offer "$(_nk_netns)"; return ;;
	name|headroom|tailroom|address|mtu|txqueues|rxqueues|txqueuelen|g[sr]o_max_size|g[sr]o_ipv4_max_size) COMPREPLY=(); return ;;
	esac
	case $_nk_cmd in
	add)
		[ "$n" = 0 ] && { COMPREPLY=(); return; }	# the new device's name
		local i
		for ((i = 0; i < n; i++)); do [ "${_nk_line[i]}" = peer ] && break; done
		if [ "$i" -lt "$n" ]; then
			# the peer's own keywords: only those after "peer" count
			_nk_line=("${_nk_line[@]:i+1}")
			_nk_offer "$(_nk_unused name netns policy scrub address mtu txqueuelen gso_max_size gro_max_size gso_ipv4_max_size gro_ipv4_max_size up)"
		else
			_nk_offer "$(_nk_unused mode policy scrub headroom tailroom pairing address mtu txqueues rxqueues txqueuelen gso_max_size gro_max_size gso_ipv4_max_size gro_ipv4_max_size up peer)"
		fi ;;
	set)
		if [ "$n" = 0 ]; then _nk_offer "$(_nk_devs netkit)"; return; fi
		[ "$prev" = peer ] && { _nk_offer policy; return; }
		_nk_offer "$(_nk_unused policy peer address mtu txqueuelen gso_max_size gro_max_size gso_ipv4_max_size gro_ipv4_max_size up down)" ;;
	del|show)
		[ "$n" = 0 ] && _nk_offer "$(_nk_devs netkit)" ;;
	monitor)
		[ "$n" = 0 ] && _nk_offer all-netns ;;
	esac
}

# tcxctl's REF words
_tcx_ref_value() { # _tcx_ref_value KIND: 0 if it completed a REF's value
	local dev= hook= i
	for ((i = 0; i < ${#_nk_line[@]}; i++)); do
		[ "${_nk_line[i]}" = dev ] && dev=${_nk_line[i + 1]:-}
		case ${_nk_line[i]} in ingress|egress|primary|peer) hook=${_nk_line[i]} ;; esac
	done
	case $1 in
	name)
		local ns=()
		[ -n "$_nk_ns" ] && ns=(-n "$_nk_ns")
		[ -n "$dev" ] && _nk_offer "$(tcxctl "${ns[@]}" -j show dev "$dev" $hook 2>/dev/null |
			jq -r '.[].name' 2>/dev/null)"
		return 0 ;;
	pinned) _nk_pinned; return 0 ;;
	id|link) COMPREPLY=(); return 0 ;;
	esac
	return 1
}

_tcxctl() {
	local prev=${COMP_WORDS[COMP_CWORD - 1]} pprev=${COMP_WORDS[COMP_CWORD - 2]:-} n
	local hooks="ingress egress primary peer" refs="id link pinned name"
	_nk_parse
	_nk_global -j -p -n -b -V -h && return
	if [ -z "$_nk_cmd" ]; then
		_nk_offer attach detach replace move show help
		return
	fi
	n=${#_nk_line[@]}
	case $prev in
	dev) _nk_offer "$(_nk_devs)"; return ;;
	object|pin) _nk_files; return ;;
	program) _nk_offer "$(_nk_obj_progs "$pprev")"; return ;;	# object FILE program
	section|revision) COMPREPLY=(); return ;;
	mode) _nk_offer auto tcx tc; return ;;
	before|after) _nk_offer $refs; return ;;
	esac
	# the value after a REF or PROG word
	_tcx_ref_value "$prev" && return
	# after "object FILE": section or program
	if [ "$pprev" = object ]; then
		_nk_offer section program $(_tcx_next)
		return
	fi
	_nk_offer "$(_tcx_next)"
}

# the keywords that may come next in _nk_cmd's grammar
_tcx_next() {
	local has_hook= has_dev= has_prog= has_ref= has_pos= w
	for w in "${_nk_line[@]}"; do
		case $w in
		dev) has_dev=1 ;;
		ingress|egress|primary|peer) has_hook=1 ;;
		object|pinned|id) [ "$_nk_cmd" = attach ] && has_prog=1 ;;
		first|last|before|after) has_pos=1 ;;
		all) has_ref=all ;;
		esac
	done
	if [ "$_nk_cmd" = show ]; then	# all optional; dev and all-netns exclude each other
		local allns
		allns=$(_nk_unused all-netns)
		[ -n "$has_dev" ] || [ -z "$allns" ] || echo dev
		[ -n "$has_hook" ] || echo $hooks
		[ -n "$has_dev" ] || echo $allns
		_nk_unused hooks
		return
	fi
	[ -n "$has_dev" ] || { echo dev; return; }
	[ -n "$has_hook" ] || { echo $hooks; return; }
	case $_nk_cmd in
	attach)
		[ -n "$has_prog" ] || { echo object pinned id; return; }
		[ -n "$has_pos" ] || echo first last before after
		_nk_unused revision pin mode ;;
	detach)
		if [ "$has_ref" = all ]; then
			_nk_unused ours revision
		elif ! printf '%s\n' "${_nk_line[@]}" | grep -qxE 'id|link|pinned|name'; then
			echo $refs all
		else
			_nk_unused revision
		fi ;;
	replace)
		local refs_seen
		refs_seen=$(printf '%s\n' "${_nk_line[@]}" | grep -cxE 'id|link|pinned|name|object')
		case $refs_seen in
		0) echo $refs ;;
		1) echo object pinned id ;;
		*) _nk_unused revision ;;
		esac ;;
	move)
		if ! printf '%s\n' "${_nk_line[@]}" | grep -qxE 'id|link|pinned|name'; then
			echo $refs
		elif [ -z "$has_pos" ]; then
			echo first last before after
		else
			_nk_unused revision
		fi ;;
	esac
}

_sockreap() {
	local prev=${COMP_WORDS[COMP_CWORD - 1]}
	_nk_parse
	_nk_global -j -p -n -b --backend -V -h && return
	if [ -z "$_nk_cmd" ]; then
		_nk_offer list kill help
		return
	fi
	case $prev in
	state)
		_nk_offer established syn-sent syn-recv fin-wait-1 fin-wait-2 time-wait close \
			close-wait last-ack listen closing new-syn-recv connected all
		return ;;
	dst|src|dport|sport|cookie) COMPREPLY=(); return ;;
	esac
	# state may repeat; the others once, and tcp/udp and -4/-6 exclude each other
	local proto="tcp udp" fam="-4 -6" w
	for w in "${_nk_line[@]}"; do
		case $w in tcp|udp) proto= ;; -4|-6) fam= ;; esac
	done
	_nk_offer "$proto $fam $(_nk_unused dst src dport sport) state $(_nk_unused cookie all)"
}

complete -F _nkctl nkctl
complete -F _tcxctl tcxctl
complete -F _sockreap sockreap
