#!/usr/bin/env bash
# run-all.sh - every test stage of `make check`, in order, with one summary
# line at the end. Exits non-zero if any stage failed.
set -u
cd "$(dirname "$0")/.."
B=${BUILD_DIR:-build}
rc=0
tests/run-stage.sh unit        $B/tests/unit/test_*  || rc=1
tests/run-stage.sh bpf         $B/tests/bpf/test_*   || rc=1
tests/run-stage.sh fuzz-corpus $B/fuzz/fuzz_*        || rc=1
tests/run-stage.sh tshark      tests/tshark/check.sh || rc=1
tests/run-stage.sh install     tests/install/check.sh || rc=1
tests/run-stage.sh selftests   selftests/run.sh      || rc=1
pass=$(cat $B/results/{unit,bpf,fuzz-corpus,tshark,install,selftests} 2>/dev/null | grep -c '^PASS')
failn=$(cat $B/results/{unit,bpf,fuzz-corpus,tshark,install,selftests} 2>/dev/null | grep -c '^FAIL')
# selftests/run.sh records its scenarios one per line in results/scenarios
if [[ -f $B/results/scenarios ]]; then
	pass=$((pass + $(grep -c '^PASS' $B/results/scenarios)))
	failn=$((failn + $(grep -c '^FAIL' $B/results/scenarios)))
fi
echo "check: $pass passed, $failn failed"
exit $rc
