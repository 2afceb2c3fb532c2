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

@test "the C unit tests pass" {
	local t
	for t in test_nkctl test_sockreap; do
		[ -x "$TOP/testsuite/unit/$t" ] || { echo "$t is not built" >&2; return 1; }
		run "$TOP/testsuite/unit/$t"
		echo "$output"
		assert_status 0
		[[ "$output" == *", 0 failed"* ]]
	done
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
