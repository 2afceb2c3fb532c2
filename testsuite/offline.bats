#!/usr/bin/env bats
# Tests that need neither root nor a particular kernel: the C unit tests,
# command-line errors, and agreement between help, man pages and exit codes.

load lib

setup() {
	bats_require_minimum_version 1.5.0
}

# every tool, built: a missing one fails the test that asks for it
tools() {
	local t
	for t in nkctl tcxctl sockreap; do
		[ -x "$TOP/$t/$t" ] || { echo "$t is not built" >&2; return 1; }
		echo "$t"
	done
}

@test "the C unit tests pass, every one of them" {
	local src t n=0
	# each test_*.c has its binary: one not built (or not in unit.mk) fails
	for src in "$TOP"/testsuite/unit/test_*.c; do
		t=${src%.c}
		[ -x "$t" ] || { echo "${t##*/} is not built" >&2; return 1; }
		run "$t"
		echo "$output"
		assert_status 0
		[[ "$output" =~ ${t##*/}:\ [1-9][0-9]*\ checks,\ 0\ failed ]]
		n=$((n + 1))
	done
	[ "$n" -ge 4 ]
}

@test "the JSON reader reads what Python's json module (made strict) reads, alike, and refuses the rest" {
	command -v python3 > /dev/null || { echo "python3 is missing (.ci/deps installs it)"; return 1; }
	# a corpus of documents that must be read or refused, and 4000 mutants
	run "$TOP/testsuite/json-conformance" "$TOP/testsuite/unit/json_check"
	echo "$output"
	assert_status 0
	[[ "$output" == *"4000 mutants): 0 differences" ]]
}

@test "netkit's keywords agree with the attribute table: help, man pages, completion, README, the plugin's keys" {
	local help man cman readme word usage peer settable key pkey names n=0 lines
	help=$("$NKCTL" help)
	man=$(< "$TOP/man/man8/nkctl.8")
	cman=$(< "$TOP/man/man8/cni-nktools.8")
	readme=$(< "$TOP/README.md")
	# shellcheck source=/dev/null
	source "$TOP/completion/nktools.bash"
	local add=${help#*nkctl add } set=${help#*nkctl set }
	add=${add%%nkctl set*}
	set=${set%%nkctl del*}
	local peerpart=${add#*\[ peer }
	# what each line needs, said when it lacks it
	need() { [[ $2 == *"$3"* ]] || { echo "$1 lacks \"$3\""; return 1; }; }
	while IFS=$'\t' read -r word usage peer settable key pkey names; do
		n=$((n + 1))
		need "nkctl help (add)" "$add" "[ $word $usage ]"
		[ "$peer" = 0 ] || need "nkctl help (add ... peer)" "$peerpart" "[ $word $usage ]"
		if [ "$settable" = 1 ]; then
			need "nkctl help (set)" "$set" "[ $word $usage ]"
			need "nkctl help (set)" "$set" "[ peer $word $usage ]"
		fi
		# nkctl(8) describes it, with its values, on one line
		lines=$(grep -E "^\.(B|BR|BI) (.* )?\"?$word\b" <<< "$man") ||
			{ echo "nkctl.8 does not describe $word"; return 1; }
		for w in $names; do need "nkctl.8's $word" "$lines" "$w"; done
		# completion: the word after add, and its values after it
		COMP_WORDS=(nkctl add x ""); COMP_CWORD=3; COMPREPLY=(); _nkctl
		need "completion after add" " ${COMPREPLY[*]} " " $word "
		COMP_WORDS=(nkctl add x "$word" ""); COMP_CWORD=4; COMPREPLY=(); _nkctl
		[ "${COMPREPLY[*]}" = "$names" ] || { echo "completion of $word: ${COMPREPLY[*]}, not $names"; return 1; }
		# the plugin's keys, in cni-nktools(8) and the README's table, with the values
		[ "$key" != - ] || continue
		lines=$(grep -E "^\.(B|BR|BI) (.* )?\"?$key\b" <<< "$cman") ||
			{ echo "cni-nktools.8 does not describe $key"; return 1; }
		[ "$pkey" = - ] || need "cni-nktools.8's $key" "$lines" "$pkey"
		for w in $names; do need "cni-nktools.8's $key" "$lines" "$w"; done
		lines=$(grep -E "^\| .*\`$key\`" <<< "$readme") || { echo "README's table lacks $key"; return 1; }
		[ "$pkey" = - ] || need "README's $key" "$lines" "\`$pkey\`"
		for w in $names; do need "README's $key" "$lines" "\`$w\`"; done
	done < <("$TOP/testsuite/unit/nk_table")
	[ "$n" -ge 6 ]
}

@test "no two headers share a name: each says its layer" {
	local dups
	dups=$(cd "$TOP" && find bpf cni lib nkctl sockreap tcxctl testsuite -name '*.h' -printf '%f\n' | sort | uniq -d)
	[ -z "$dups" ] || { echo "headers of the same name: $dups"; return 1; }
}

@test "each tool's help is its man page's SYNOPSIS, word for word" {
	local t
	local built; built=$(tools)
	for t in $built; do
		man=$TOP/man/man8/$t.8
		[ -f "$man" ]
		synopsis=$(sed -n '/^\.SH SYNOPSIS/,/^\.fi/p' "$man" | sed '1,/^\.nf/d; /^\.fi/d; /^\.\\"/d' |
			   sed 's/\\-/-/g; s/\\e/\\/g; s/\\f[BIR]//g')
		run "$TOP/$t/$t" help
		assert_status 0
		if [ "$output" != "$synopsis" ]; then
			diff <(echo "$output") <(echo "$synopsis") >&2
			return 1
		fi
	done
}

@test "each man page documents every exit code the tools share" {
	local t code
	local built; built=$(tools)
	for t in $built; do
		for code in 0 1 2 3 4 5; do
			sed -n '/^\.SH EXIT STATUS/,/^\.SH/p' "$TOP/man/man8/$t.8" | grep -q "^\.B $code\$"
		done
	done
}

@test "man pages pass mandoc -Tlint" {
	run bash -c "mandoc -Tlint -W warning $TOP/man/man8/*.8"
	assert_status 0
	[ -z "$output" ]
}

@test "help exits 0 with the synopsis on stdout, also as JSON" {
	local t
	local built; built=$(tools)
	for t in $built; do
		run --separate-stderr "$TOP/$t/$t" help
		assert_status 0; [ -z "$stderr" ]
		[[ "$output" == "Usage: $t"* ]]
		run --separate-stderr "$TOP/$t/$t" -j help
		assert_status 0; assert_json
		run "$TOP/$t/$t" --help
		assert_status 0
	done
}

@test "unknown commands and options are usage errors (exit 2) on stderr only" {
	local t
	local built; built=$(tools)
	for t in $built; do
		run --separate-stderr "$TOP/$t/$t" frobnicate
		assert_status 2; [ -z "$output" ]
		[[ "$stderr" == *'unknown command "frobnicate"'* ]]
		run --separate-stderr "$TOP/$t/$t" --frob
		assert_status 2; [ -z "$output" ]
		run --separate-stderr "$TOP/$t/$t" -n
		assert_status 2; [ -z "$output" ]
	done
}

@test "with -j, a usage error still leaves valid JSON on stdout" {
	run --separate-stderr "$NKCTL" -j add nk0 mode l5
	assert_status 2; assert_json
	[ "$output" = "[]" ]
}

@test "nkctl usage errors do not need root or netkit" {
	run --separate-stderr "$NKCTL" add
	assert_status 2
	[[ "$stderr" == *"add needs a device name"* ]]
	run --separate-stderr "$NKCTL" add nk0 mode l2 address 02:00:00:00:00
	assert_status 2
	[[ "$stderr" == *"invalid address"* ]]
	run --separate-stderr "$NKCTL" set nk0 headroom 9
	assert_status 2
	[[ "$stderr" == *"cannot be changed after the device is created"* ]]
	run --separate-stderr "$NKCTL" add nk0 mode l2 mode l3
	assert_status 2
	[[ "$stderr" == *'duplicate "mode"'* ]]
	run --separate-stderr "$NKCTL" del nk0 extra
	assert_status 2
}

@test "-V prints version and features, as valid JSON with -j" {
	run --separate-stderr "$NKCTL" -V
	assert_status 0
	[[ "$output" == "nkctl nktools "* ]]
	run --separate-stderr "$NKCTL" -j -V
	assert_status 0; assert_json
	[ "$(jq -r '.[0].tool' <<< "$output")" = nkctl ]
	[ "$(jq -r '.[0].features | has("netkit")' <<< "$output")" = true ]
}

@test "a batch line that does not parse names its line and stops" {
	local f=$BATS_TEST_TMPDIR/b
	printf 'help\n# comment\n\nadd nk0 mode l9\nadd nk1\n' > "$f"
	run --separate-stderr "$NKCTL" -b "$f"
	assert_status 2
	[[ "$stderr" == *"$f:4: invalid mode"* ]]
	printf 'add "nk0\n' > "$f"
	run --separate-stderr "$NKCTL" -b "$f"
	assert_status 2
	[[ "$stderr" == *"unterminated quote"* ]]
	run --separate-stderr "$NKCTL" -b "$f" show
	assert_status 2
}

@test "with -j, an error in the global options still leaves one JSON document" {
	local t built f=$BATS_TEST_TMPDIR/batch
	built=$(tools)
	echo show > "$f"
	for t in $built; do
		for args in "-j -x" "-x -j" "-j -n" "-j -n nkt-no-such-ns show" "-j -p --frob"; do
			run --separate-stderr "$TOP/$t/$t" $args
			[ "$status" = 2 ] || [ "$status" = 5 ]
			assert_json
			[ "$output" = "[]" ] || [ "$(jq -c . <<< "$output")" = "[]" ]
			[ -n "$stderr" ]
		done
		run --separate-stderr "$TOP/$t/$t" -j -h
		assert_status 0; assert_json
		[[ "$(jq -r '.[0].synopsis' <<< "$output")" == "Usage: $t"* ]]
	done
	run --separate-stderr "$SOCKREAP" -j --backend foo list
	assert_status 2; [ "$output" = "[]" ]
	# -j after an option's value, or after an option the tool refuses
	run --separate-stderr "$SOCKREAP" --backend x --json list
	assert_status 2; [ "$output" = "[]" ]; [ -n "$stderr" ]
	run --separate-stderr "$SOCKREAP" -b /tmp -j kill all
	assert_status 2; [ "$output" = "[]" ]; [ -n "$stderr" ]
	run --separate-stderr "$NKCTL" -n nkt-no-such-ns-$$ -j show
	assert_status 5; [ "$output" = "[]" ]
	for t in nkctl tcxctl; do
		run --separate-stderr "$TOP/$t/$t" -j -b "$f" show
		assert_status 2; [ "$output" = "[]" ]
		[[ "$stderr" == *"takes no command"* ]]
	done
}

@test "-n with a namespace that does not exist exits 5 in every tool" {
	local t built
	built=$(tools)
	for t in $built; do
		run --separate-stderr "$TOP/$t/$t" -n nkt-no-such-ns-$$ show
		[ "$t" = sockreap ] && run --separate-stderr "$TOP/$t/$t" -n nkt-no-such-ns-$$ list
		assert_status 5
		[[ "$stderr" == *"does not exist"* ]]
	done
}

@test "a batch file that cannot be read fails; -b takes no command" {
	run --separate-stderr "$NKCTL" -b "$BATS_TEST_TMPDIR"
	assert_status 1
	[[ "$stderr" == *"cannot read batch file"*"Is a directory"* ]]
	run --separate-stderr "$TCXCTL" -b /nonexistent/batch
	assert_status 1
	[[ "$stderr" == *"cannot open batch file"* ]]
	run --separate-stderr "$SOCKREAP" -b "$BATS_TEST_TMPDIR"
	assert_status 1
	[[ "$stderr" == *"cannot read batch file"*"Is a directory"* ]]
	run --separate-stderr "$SOCKREAP" -b "$BATS_TEST_TMPDIR/x" list
	assert_status 2
	[[ "$stderr" == *"-batch takes no command"* ]]
}

@test "CFLAGS on the make line does not break the build" {
	[ -f "$TOP/config.mk" ] || skip "not configured"
	local copy=$BATS_TEST_TMPDIR/tree
	mkdir -p "$copy"
	(cd "$TOP" && tar -c --exclude=./.git --exclude=./.san --exclude='*.o' --exclude='*.d' -f - .) |
		tar -x -C "$copy"
	run make -C "$copy" -s CFLAGS=-O0 LDLIBS= nkctl/nkctl testsuite/unit/test_nkctl
	assert_status 0
	run "$copy/testsuite/unit/test_nkctl"
	assert_status 0
}

@test "testsuite/skips: a skip is expected only where the kernel lacks (or has) the feature it names" {
	local tap=$BATS_TEST_TMPDIR/tap cfg=$BATS_TEST_TMPDIR/config
	cat > "$tap" <<-'TAP'
	1..5
	ok 1 a netkit test in 12ms # skip netkit is not supported by this kernel (needs Linux 6.7)
	ok 2 a tcx refusal in 3ms # skip this kernel has tcx (Linux 6.6)
	ok 3 a scrub test in 5ms # skip netkit scrub is not supported by this kernel (needs Linux 6.13)
	ok 4 a test that ran in 9ms
	not ok 5 a test that failed in 9ms
	TAP
	# 6.1: no netkit, no tcx (the refusal test ran), no scrub
	run "$TOP/testsuite/skips" 6.1.0-50-amd64 < "$tap"
	assert_status 1
	[[ "$output" == *"unexpected skip: a tcx refusal: this kernel has tcx (Linux 6.6)"* ]]
	[ "$(grep -c '^unexpected skip' <<< "$output")" = 1 ]
	# 6.12: netkit is there, so its skip is a failure; scrub is not
	run "$TOP/testsuite/skips" 6.12.117+deb13-amd64 < "$tap"
	assert_status 1
	[[ "$output" == *"unexpected skip: a netkit test: netkit is not supported"* ]]
	[[ "$output" == *"   1 expected   netkit scrub is not supported"* ]]
	[ "$(grep -c '^unexpected skip' <<< "$output")" = 1 ]
	# 6.18 built without netkit: both netkit skips are expected, tcx's too
	printf 'CONFIG_NET_XGRESS=y\n# CONFIG_NETKIT is not set\n' > "$cfg"
	run "$TOP/testsuite/skips" 6.18.44 "$cfg" < "$tap"
	assert_status 0
	[[ "$output" != *UNEXPECTED* ]]
	# the same kernel with netkit as a module: the netkit skips fail
	printf 'CONFIG_NET_XGRESS=y\nCONFIG_NETKIT=m\n' > "$cfg"
	gzip -c "$cfg" > "$cfg.gz"
	run "$TOP/testsuite/skips" 6.18.44 "$cfg.gz" < "$tap"
	assert_status 1
	[ "$(grep -c '^unexpected skip' <<< "$output")" = 2 ]
	# any other reason fails wherever it happens
	printf 'ok 1 t in 1ms # skip needs root\nok 2 u in 1ms # skip\n' > "$tap"
	run "$TOP/testsuite/skips" 7.3.4 < "$tap"
	assert_status 1
	[[ "$output" == *"unexpected skip: t: needs root"* ]]
	[[ "$output" == *"unexpected skip: u: (no reason)"* ]]
}
