#!/usr/bin/env bash
# selftests/run.sh [PATTERN] - run every selftests/t_*.sh (or those whose
# name contains PATTERN, a shell glob: t_01, 't_0[12]', 'ifp*') in order, each in its own topology, which is torn
# down afterwards even if the test died. Records "PASS name" / "FAIL name" in
# ${BUILD_DIR:-build}/results/scenarios, prints one line per test with its
# duration, and exits non-zero if any test failed. Each test's full output is
# in ${BUILD_DIR}/selftests/<test>/output.log (daemon logs, configs and
# captures next to it).
set -u
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
B=${BUILD_DIR:-build}
[[ $B == /* ]] || B="$ROOT/$B"
export BUILD_DIR=$B
RES="$B/results"
mkdir -p "$RES"
TEST_TIMEOUT=${TEST_TIMEOUT:-150}

if [[ $EUID -ne 0 ]]; then
	echo "selftests need root (network namespaces, XDP, bpffs)" >&2
	exit 1
fi

XP_ROOT=$ROOT
source "$ROOT/selftests/lib/topology.sh"

# one suite (or demo) at a time on this host: see topo_lock in lib/common.sh
exec 9>/run/xpmip-selftests.lock
if ! flock -n 9; then
	echo "selftests: another run holds /run/xpmip-selftests.lock; waiting" >&2
	flock -w 900 9 || { echo "selftests: lock timeout" >&2; exit 1; }
fi
export XP_TOPO_LOCKED=1
: >"$RES/scenarios"

fail=0; n=0; t0=$(date +%s)
for t in "$ROOT"/selftests/t_*.sh; do
	name=$(basename "$t" .sh)
	# shellcheck disable=SC2053 # PATTERN is a glob on purpose
	[[ -n ${1:-} && $name != *$1* ]] && continue
	n=$((n + 1))
	mkdir -p "$B/selftests/$name"
	start=$(date +%s)
	# The test makes its own directory afresh; keep the output beside it.
	out=$(mktemp)
	timeout --signal=TERM --kill-after=15 "$TEST_TIMEOUT" bash "$t" >"$out" 2>&1
	rc=$?
	mkdir -p "$B/selftests/$name"
	mv "$out" "$B/selftests/$name/output.log"
	# whatever the test left behind (killed by the timeout, a broken trap)
	for ns in "${XP_NAMESPACES[@]}"; do
		pids=$(ip netns pids "$ns" 2>/dev/null)
		[[ -n $pids ]] && kill -KILL $pids 2>/dev/null
	done
	xp_topo_down
	topo_bpffs_umount
	if (( rc == 0 )); then v=PASS; else v=FAIL; fail=1; fi
	(( rc == 124 )) && note=" (timeout ${TEST_TIMEOUT}s)" || note=""
	echo "$v $name" >>"$RES/scenarios"
	printf '%-5s %-28s %4ss%s\n' "$v" "$name" "$(( $(date +%s) - start ))" "$note"
	if [[ $v == FAIL ]]; then
		echo "----- $B/selftests/$name/output.log (last 30 lines) -----"
		tail -n 30 "$B/selftests/$name/output.log"
		echo "-----"
	fi
done
if (( n == 0 )); then	# a pattern that selects nothing is a mistake, not a pass
	echo "selftests: no test name matches '${1:-}' (selftests/t_*.sh)" >&2
	exit 2
fi
echo "selftests: $n run, $(grep -c '^PASS' "$RES/scenarios") passed, $(grep -c '^FAIL' "$RES/scenarios") failed, $(( $(date +%s) - t0 ))s"
exit $fail
