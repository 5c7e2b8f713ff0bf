#!/usr/bin/env bash
# run-stage.sh STAGE CMD... - run each test command of one stage, record
# passes and failures in $BUILD_DIR/results/STAGE, print one line per command.
# Criterion binaries, fuzz replays and selftest runners all exit non-zero on
# failure; that exit code is the verdict.
set -u
stage=$1; shift
res_dir=${BUILD_DIR:-build}/results
mkdir -p "$res_dir"
: > "$res_dir/$stage"
fail=0
for cmd in "$@"; do
	name=$(basename "$cmd")
	log="$res_dir/$stage.$name.log"
	case "$stage" in
	fuzz-corpus)
		# libFuzzer given files runs each input once and exits non-zero on a crash
		corpus="tests/fuzz/corpus/$name"
		set -- "$cmd" -runs=0 "$corpus"
		;;
	*) set -- "$cmd" ;;
	esac
	start=$(date +%s)
	if "$@" >"$log" 2>&1; then
		verdict=PASS
	else
		verdict=FAIL; fail=1
	fi
	echo "$verdict $name" >> "$res_dir/$stage"
	printf '%-5s %-12s %-40s %4ss\n' "$verdict" "$stage" "$name" "$(( $(date +%s) - start ))"
	if [[ $verdict == FAIL ]]; then
		echo "----- $log (last 40 lines) -----"; tail -n 40 "$log"; echo "-----"
	fi
done
exit $fail
