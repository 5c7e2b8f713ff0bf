#!/usr/bin/env bash
# tests/bench/restart.sh - how long a restarted LMA takes to rebuild its
# state from the pinned xp_bce_v1 with N bindings (default 100000).
#
#   tests/bench/restart.sh [N]          (root; ~1-2 min for 100k)
#
# In a namespace of its own (xpb-rst) with a private bpffs
# (/run/xpmip-bench/restart/bpf), so it runs beside the selftests:
#  1. start an LMA (the example configuration, interfaces = a veth);
#  2. register N MNs: build/bench/sigload pbu --count N --window 256;
#  3. kill -9 the LMA, start it again and time, for each ROUND, from the
#     exec to the control socket answering (the event loop runs only once
#     the binding cache is rebuilt and the data plane entries rewritten),
#     then check that `xpmipctl bindings --json` lists all N bindings and
#     read bindings_restored=N from the LMA's log.
# Rounds at log_level info (one "binding-restored" log line per binding,
# the default) and at warn. Prints one JSON line per round and writes them
# to $BUILD_DIR/bench/results/restart.json.
set -u
cd "$(dirname "$0")/../.."
B=${BUILD_DIR:-build}
[[ $B == /* ]] || B="$PWD/$B"
N=${1:-100000}
ROUNDS=${ROUNDS:-2}
NS=xpb-rst
PIN=/run/xpmip-bench/restart/bpf
INST=lmarestart
OUT=$B/bench/restart
RES=$B/bench/results
CTL="$B/xpmipctl --instance $INST"
mkdir -p "$OUT" "$RES"
[[ $EUID -eq 0 ]] || { echo "restart.sh: needs root" >&2; exit 1; }
for t in "$B/xpmipd" "$B/xpmipctl" "$B/bench/sigload"; do
	[[ -x $t ]] || { echo "restart.sh: $t not built (make all bench)" >&2; exit 1; }
done

LMA_PID=
BENCH_SIG=1 source "$(dirname "$0")/lib.sh"
trap sig_cleanup EXIT
trap 'exit 130' INT TERM
sig_ns_up rs || exit 1

conf() {	# LEVEL
	sig_lma_conf rs "$1" "$OUT/lma-$1.conf"
	echo "$OUT/lma-$1.conf"
}
now_ns() { date +%s%N; }
# lma_start LEVEL: start, wait (up to 300 s) for the control socket to
# answer; sets READY_MS to the milliseconds from exec to the first answer
# (not in a subshell: LMA_PID must stay set)
READY_MS=
lma_start() {
	local level=$1 t0 t1
	rm -f /run/xpmip/$INST.sock
	t0=$(now_ns)
	ip netns exec $NS "$B/xpmipd" --role lma --config "$(conf "$level")" --instance $INST \
		--foreground >>"$OUT/lma.log" 2>&1 &
	LMA_PID=$!
	while ! $CTL version >/dev/null 2>&1; do
		kill -0 "$LMA_PID" 2>/dev/null || { echo "restart.sh: LMA died; see $OUT/lma.log" >&2; exit 1; }
		(( $(now_ns) - t0 > 300000000000 )) && { echo "restart.sh: LMA not answering after 300 s" >&2; exit 1; }
		sleep 0.01
	done
	t1=$(now_ns)
	READY_MS=$(( (t1 - t0) / 1000000 ))
}
lma_kill9() {
	[[ -n $LMA_PID ]] || { echo "restart.sh: no LMA pid" >&2; exit 1; }
	kill -KILL "$LMA_PID"; wait "$LMA_PID" 2>/dev/null; LMA_PID=
	pgrep -f -- "--instance $INST( |$)" >/dev/null && { echo "restart.sh: another LMA $INST runs" >&2; exit 1; }
	true
}
n_bindings() { $CTL bindings --json | jq 'if type == "array" then length else (.bindings | length) end'; }

: >"$OUT/lma.log"
echo "restart.sh: LMA up, registering $N MNs (sigload pbu --count $N --window 256)" >&2
lma_start warn
ip netns exec $NS "$B/bench/sigload" pbu --lma 2001:db8:ff::1 --src 2001:db8:a1::2 \
	--count "$N" --window 256 --tag rst | tee "$OUT/sigload.json" >&2
have=$(n_bindings)
echo "restart.sh: the LMA holds $have bindings" >&2
(( have == N )) || { echo "restart.sh: expected $N bindings, the LMA holds $have" >&2; exit 1; }
map_n=$(bpftool -j map show pinned "$PIN/$INST/xp_bce_v1" | jq -r '.name')
echo "restart.sh: pinned state map: $map_n" >&2

: >"$RES/restart.json"
for level in info warn; do
	for ((r = 1; r <= ROUNDS; r++)); do
		lma_kill9
		lines0=$(wc -l <"$OUT/lma.log")
		lma_start "$level"
		ms=$READY_MS
		have=$(n_bindings)
		started=$(tail -n +"$((lines0 + 1))" "$OUT/lma.log" | grep -m1 'event=lma-started')
		restored=$(sed -n 's/.*bindings_restored=\([0-9-]*\).*/\1/p' <<<"$started")
		line=$(printf '{"bench":"restart","bindings":%d,"log_level":"%s","round":%d,"ready_ms":%d,"listed":%d,"restored_logged":%s,"rss_kb":%s}' \
			"$N" "$level" "$r" "$ms" "$have" "${restored:-null}" \
			"$(awk '/VmRSS/ {print $2}' /proc/"$LMA_PID"/status 2>/dev/null || echo null)")
		echo "$line" | tee -a "$RES/restart.json"
		(( have == N )) || { echo "restart.sh: after the restart the LMA lists $have of $N bindings" >&2; exit 1; }
	done
done
echo "restart.sh: results in $RES/restart.json, LMA log in $OUT/lma.log" >&2
