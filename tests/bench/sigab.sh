#!/usr/bin/env bash
# tests/bench/sigab.sh - two xpmipd binaries side by side under the same
# signalling load (issue 4, section 3: before/after a change to the LMA's
# registration path). ROUNDS times, alternating A and B (starting side
# rotating), a fresh LMA each time (own namespace and bpffs, log level warn),
# `sigload pbu --count COUNT --window 256` and `--count PACED --rate 10000`.
#
#   tests/bench/sigab.sh OLD_XPMIPD NEW_XPMIPD      (root)
#   ROUNDS=3 COUNT=30000 PACED=20000 SIGLOAD=build/bench/sigload tests/bench/sigab.sh A B
# Prints one JSON line per run (bin = A or B; with the LMA's CPU time per
# PBU, which a loaded machine changes much less than the rate) and medians.
set -u
cd "$(dirname "$0")/../.."
A=${1:?usage: sigab.sh XPMIPD_A XPMIPD_B}
BB=${2:?usage: sigab.sh XPMIPD_A XPMIPD_B}
B=${BUILD_DIR:-build}
[[ $B == /* ]] || B="$PWD/$B"
ROUNDS=${ROUNDS:-3}
COUNT=${COUNT:-30000}
PACED=${PACED:-20000}
SIGLOAD=${SIGLOAD:-$B/bench/sigload}
NS=xpb-sigab
PIN=/run/xpmip-bench/sigab/bpf
INST=lmasigab
OUT=$B/bench/sigab
mkdir -p "$OUT"
exec 9>/run/xpmip-selftests.lock
flock -w 600 9 || { echo "sigab.sh: /run/xpmip-selftests.lock: timeout" >&2; exit 1; }

LMA_PID=
BENCH_SIG=1 source "$(dirname "$0")/lib.sh"
stop() { sig_cleanup; }
trap stop EXIT
trap 'exit 130' INT TERM
start() {	# binary
	sig_ns_up ab || exit 1
	sig_lma_conf ab warn "$OUT/lma.conf"
	ip netns exec $NS "$1" --role lma --config "$OUT/lma.conf" --instance $INST \
		--foreground >>"$OUT/lma.log" 2>&1 &
	LMA_PID=$!
	for ((i = 0; i < 300; i++)); do "$B/xpmipctl" --instance $INST version >/dev/null 2>&1 && return 0; sleep 0.05; done
	echo "sigab.sh: $1 did not start; see $OUT/lma.log" >&2
	exit 1
}
# the LMA's CPU time (utime + stime, clock ticks): per PBU handled, it does
# not depend on the share of the CPUs the LMA gets on a loaded machine
HZ=$(getconf CLK_TCK)
ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
: >"$OUT/lma.log"
: >"$OUT/sigab.json"
for ((r = 1; r <= ROUNDS; r++)); do
	if ((r % 2)); then order="A B"; else order="B A"; fi
	for side in $order; do
		[[ $side == A ]] && bin=$A || bin=$BB
		start "$bin"
		for mode in window paced; do
			if [[ $mode == window ]]; then args=(--count "$COUNT" --window 256); else args=(--count "$PACED" --rate 10000); fi
			t0=$(ticks "$LMA_PID")
			res=$(ip netns exec $NS "$SIGLOAD" pbu --lma 2001:db8:ff::1 --src 2001:db8:a1::2 \
				"${args[@]}" --tag "$side$r$mode")
			t1=$(ticks "$LMA_PID")
			jq -c --arg s "$side" --argjson r "$r" --argjson t $((t1 - t0)) --argjson hz "$HZ" \
				'. + {bin: $s, round: $r, lma_cpu_us_per_reg:
				  (if .sent > 0 then ($t / $hz * 1e6 / .sent | round) else null end)}' <<<"$res" |
				tee -a "$OUT/sigab.json"
		done
	done
done
stop
jq -rs 'def med: sort | .[length / 2 | floor];
	(group_by(.bin)[] | . as $g | $g[0].bin as $b |
	 "\($b): LMA CPU per PBU median \([.[] | .lma_cpu_us_per_reg] | med) us (\([.[] | .lma_cpu_us_per_reg] | min)-\([.[] | .lma_cpu_us_per_reg] | max));" +
	 " window rate median \([.[] | select(.mode == "window") | .rate_per_s] | med) /s" +
	 " (\([.[] | select(.mode == "window") | .rate_per_s] | min)-\([.[] | select(.mode == "window") | .rate_per_s] | max)), lost \([.[] | .lost] | add);" +
	 " paced 10k/s p50 \([.[] | select(.mode == "paced") | .p50_us] | med) us, p99 \([.[] | select(.mode == "paced") | .p99_us] | med) us" +
	 " (\([.[] | select(.mode == "paced") | .p99_us] | min)-\([.[] | select(.mode == "paced") | .p99_us] | max))")' "$OUT/sigab.json"
