#!/usr/bin/env bash
# tests/bench/sigprof.sh - where an LMA registration's time goes (issue 4,
# section 3): `perf record -g` on xpmipd while build/bench/sigload pbu
# registers COUNT new MNs against it (window 256), then the flat profile
# (self time) and the sigload result. Not part of `make bench`; a tool for
# working on the signalling path.
#
#   tests/bench/sigprof.sh [COUNT]      (root; default 50000)
#   LOG_LEVEL=info tests/bench/sigprof.sh
#   STRACE=1 tests/bench/sigprof.sh 5000   (syscalls per registration instead)
# Output: build/bench/sigprof/{perf.data,report.txt,sigload.json,lma.log}
set -u
cd "$(dirname "$0")/../.."
B=${BUILD_DIR:-build}
[[ $B == /* ]] || B="$PWD/$B"
N=${1:-50000}
LOG_LEVEL=${LOG_LEVEL:-warn}
NS=xpb-prof
PIN=/run/xpmip-bench/sigprof/bpf
INST=lmaprof
OUT=$B/bench/sigprof
CTL="$B/xpmipctl --instance $INST"
mkdir -p "$OUT"
[[ $EUID -eq 0 ]] || { echo "sigprof.sh: needs root" >&2; exit 1; }
command -v perf >/dev/null || { echo "sigprof.sh: perf not found" >&2; exit 1; }
exec 9>/run/xpmip-selftests.lock
flock -w 600 9 || { echo "sigprof.sh: /run/xpmip-selftests.lock: timeout" >&2; exit 1; }

LMA_PID=
BENCH_SIG=1 source "$(dirname "$0")/lib.sh"
trap sig_cleanup EXIT
trap 'exit 130' INT TERM
sig_ns_up pf || exit 1
sig_lma_conf pf "$LOG_LEVEL" "$OUT/lma.conf"
ip netns exec $NS "$B/xpmipd" --role lma --config "$OUT/lma.conf" --instance $INST \
	--foreground >"$OUT/lma.log" 2>&1 &
LMA_PID=$!
for ((i = 0; i < 300; i++)); do $CTL version >/dev/null 2>&1 && break; sleep 0.1; done
if [[ ${STRACE:-0} == 1 ]]; then
	strace -c -f -p "$LMA_PID" -o "$OUT/strace.txt" 2>/dev/null &
else
	perf record -q -g -F 2000 -p "$LMA_PID" -o "$OUT/perf.data" 2>"$OUT/perf.err" &
fi
PERF_PID=$!
sleep 0.5
ip netns exec $NS "$B/bench/sigload" pbu --lma 2001:db8:ff::1 --src 2001:db8:a1::2 \
	--count "$N" --window 256 --tag prof | tee "$OUT/sigload.json"
kill -INT "$PERF_PID"; wait "$PERF_PID" 2>/dev/null
if [[ ${STRACE:-0} == 1 ]]; then
	awk -v n="$N" 'NR <= 2 || /total/ { print; next } $4 ~ /^[0-9]+$/ { printf "%s  (%.2f per registration)\n", $0, $4 / n }' \
		"$OUT/strace.txt"
	exit 0
fi
perf report -i "$OUT/perf.data" --no-children --sort sym --stdio -g none --percent-limit 0.7 \
	2>/dev/null | grep -v '^$' >"$OUT/report.txt"
perf report -i "$OUT/perf.data" --children --sort sym --stdio -g none --percent-limit 3 \
	2>/dev/null | grep -v '^$' >"$OUT/report-children.txt"
grep -v '^#' "$OUT/report.txt" | head -40
echo "--- inclusive (children) ---"
grep -v '^#' "$OUT/report-children.txt" | head -40
