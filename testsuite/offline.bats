#!/usr/bin/env bats
# Tests that need neither root nor a particular kernel: the C unit tests,
# command-line errors, and agreement between help, man pages and exit codes.

load lib

setup() {
	bats_require_minimum_version 1.5.0
}

tools() {
	local t
	for t in nkctl tcxctl sockreap; do
		[ -x "$TOP/$t/$t" ] && echo "$t"
	done
}

@test "the C unit tests pass" {
	local t
	for t in "$TOP"/testsuite/unit/test_*; do
		[ -x "$t" ] || continue
		run "$t"
		echo "$output"
		assert_status 0
	done
}

@test "each tool's help is its man page's SYNOPSIS, word for word" {
	local t
	for t in $(tools); do
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
	for t in $(tools); do
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
	for t in $(tools); do
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
	for t in $(tools); do
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
