#!/usr/bin/env bash
# tests/bench/scale.sh - issue 4, section 5: scale to 1M bindings.
#
# One LMA in a namespace of its own (xpb-scale, private bpffs at
# /run/xpmip-bench/scale/bpf, log level warn), registered up to each count
# of STEPS in turn (default 100000 then 1000000, cumulative) with
# build/bench/sigload pbu --window 256 (every PBU a new MN-ID, HI 1, an HNP
# request: one binding and one /64 each). At 0 bindings and after each step:
#  - kernel memory of the LMA's maps: bytes_memlock from `bpftool map show`
#    (the kernel's own map_mem_usage: NO_PREALLOC hash and LPM maps count
#    the elements they hold) for every map of the LMA: the maps its XDP
#    program uses and its pinned state maps (found through the program and
#    the pin directory, not by name: other instances on the host have maps
#    with the same names);
#  - the daemon's VmRSS (/proc/PID/status);
#  - the time the step took and its registration rate (sigload), its lost
#    and rejected PBUs, the late PBAs, both sockets' drops (the generator's
#    and the LMA's: /proc/net/raw6) and the longest time without a PBA: a
#    pause of the LMA longer than its timestamp window (300 ms) shows as
#    rejected (156) and, the error PBAs being rate-limited per source, lost.
# Per binding = (value at N - value at 0) / N. A step is skipped when the
# rate measured so far says it would take more than MAX_STEP_S seconds.
#
#   tests/bench/scale.sh                       (make bench runs it)
#   STEPS="100000 1000000" MAX_STEP_S=150 tests/bench/scale.sh
# Output: build/bench/results/scale.json (JSON lines), scale.md (fragment)
set -u
cd "$(dirname "$0")/../.."
B=${BUILD_DIR:-build}
[[ $B == /* ]] || B="$PWD/$B"
STEPS=${STEPS:-100000 1000000}
MAX_STEP_S=${MAX_STEP_S:-600}	# the 1M point is kept: only a rate below ~1.5k/s skips it
NS=xpb-scale
PIN=/run/xpmip-bench/scale/bpf
INST=lmascale
OUT=$B/bench/scale
RES=$B/bench/results
JSON=$RES/scale.json
MD=$RES/scale.md
CTL="$B/xpmipctl --instance $INST"
LMA_ADDR=2001:db8:ff::1
MAG_ADDR=2001:db8:a1::2
mkdir -p "$OUT" "$RES"
rm -f "$MD"
[[ $EUID -eq 0 ]] || { echo "scale.sh: needs root" >&2; exit 1; }
for t in "$B/xpmipd" "$B/xpmipctl" "$B/bench/sigload"; do
	[[ -x $t ]] || { echo "scale.sh: $t not built (make all bench)" >&2; exit 1; }
done
for t in bpftool jq; do command -v $t >/dev/null || { echo "scale.sh: $t not found (make deps)" >&2; exit 1; }; done

# no selftest during the measurement, none of ours during a selftest
if [[ ${XP_TOPO_LOCKED:-0} != 1 ]]; then	# run.sh holds it for us
	exec 9>/run/xpmip-selftests.lock
	flock -w 600 9 || { echo "scale.sh: /run/xpmip-selftests.lock: timeout" >&2; exit 1; }
fi

LMA_PID=
BENCH_SIG=1 source "$(dirname "$0")/lib.sh"
SIG_STOP_TERM=1
trap sig_cleanup EXIT
trap 'exit 130' INT TERM
sig_ns_up sc || exit 1
sig_lma_conf sc warn "$OUT/lma.conf"
: >"$OUT/lma.log"
ip netns exec $NS "$B/xpmipd" --role lma --config "$OUT/lma.conf" --instance $INST \
	--foreground >>"$OUT/lma.log" 2>&1 &
LMA_PID=$!
for ((i = 0; i < 300; i++)); do
	$CTL version >/dev/null 2>&1 && break
	kill -0 "$LMA_PID" 2>/dev/null || { echo "scale.sh: LMA died; see $OUT/lma.log" >&2; exit 1; }
	sleep 0.1
done
$CTL version >/dev/null 2>&1 || { echo "scale.sh: LMA not answering" >&2; exit 1; }

# The LMA's map ids: those of its XDP program on sc0, and its pinned maps
map_ids() {
	local prog
	prog=$(ip -n $NS -j -d link show dev sc0 | jq -r '.[0].xdp.prog.id // .[0].xdp.attached[0].prog.id // empty')
	{
		[[ -n $prog ]] && bpftool -j prog show id "$prog" | jq -r '.map_ids[]?'
		find "$PIN/$INST" -type f 2>/dev/null | while read -r f; do
			bpftool -j map show pinned "$f" 2>/dev/null | jq -r '.id // empty'
		done
	} | sort -un
}
# "total_bytes name=bytes ..." over the LMA's maps
map_bytes() {
	local id j tot=0 parts=""
	for id in $(map_ids); do
		j=$(bpftool -j map show id "$id") || continue
		read -r name bytes <<<"$(jq -r '"\(.name) \(.bytes_memlock // 0)"' <<<"$j")"
		tot=$((tot + bytes))
		parts+=" $name=$bytes"
	done
	echo "$tot$parts"
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$LMA_PID/status"; }
# PBUs the kernel dropped at the LMA's MH socket (receive buffer full): the
# drops column of the namespace's raw IPv6 sockets (the LMA's is the one
# open between steps)
mh_drops() { ip netns exec $NS cat /proc/net/raw6 | awk 'NR > 1 { d += $NF } END { print d + 0 }'; }

# snapshot BINDINGS SECONDS RATE ACCEPTED LOST [SIGLOAD_JSON]: one JSON line
snapshot() {
	local mb rss sl=${6:-'{}'}
	mb=$(map_bytes); rss=$(rss_kb)
	jq -nc --argjson n "$1" --argjson s "$2" --argjson rate "$3" --argjson acc "$4" --argjson lost "$5" \
		--argjson map "${mb%% *}" --arg maps "${mb#* }" --argjson rss "$rss" \
		--argjson drops "$(mh_drops)" --argjson sl "$sl" \
		'{bench: "scale", bindings: $n, register_s: $s, rate_per_s: $rate, accepted: $acc,
		  lost: $lost, rejected: ($sl.rejected // 0), late: ($sl.late // 0),
		  gen_rx_dropped: ($sl.gen_rx_dropped // 0), max_gap_us: ($sl.max_gap_us // 0),
		  lma_mh_drops: $drops, map_bytes: $map, maps: $maps, rss_kb: $rss}'
}

: >"$JSON"
snapshot 0 0 0 0 0 | tee -a "$JSON"
have=0 total_s=0 step=0
for n in $STEPS; do
	step=$((step + 1))
	add=$((n - have))
	((add > 0)) || continue
	if [[ $have -gt 0 ]]; then
		rate=$(jq -s 'last | .rate_per_s' "$JSON")
		if awk -v a="$add" -v r="$rate" -v m="$MAX_STEP_S" 'BEGIN { exit !(r <= 0 || a / r > m) }'; then
			echo "scale.sh: skipping $n bindings: $add more at $rate/s is over ${MAX_STEP_S} s" >&2
			echo "{\"bench\":\"scale\",\"bindings\":$n,\"skipped\":true,\"rate_per_s\":$rate}" >>"$JSON"
			break
		fi
	fi
	echo "scale.sh: registering $add more MNs ($have -> $n)" >&2
	sl=$(ip netns exec $NS "$B/bench/sigload" pbu --lma $LMA_ADDR --src $MAG_ADDR \
		--count "$add" --window 256 --tag "s$step")
	echo "$sl" >>"$OUT/sigload.json"
	acc=$(jq -r '.accepted' <<<"$sl"); lost=$(jq -r '.lost' <<<"$sl")
	el=$(jq -r '.elapsed_s' <<<"$sl"); rate=$(jq -r '.rate_per_s' <<<"$sl")
	have=$((have + acc))
	total_s=$(awk -v a="$total_s" -v b="$el" 'BEGIN { printf "%.3f", a + b }')
	kill -0 "$LMA_PID" 2>/dev/null || { echo "scale.sh: the LMA died; see $OUT/lma.log" >&2; exit 1; }
	snapshot "$have" "$total_s" "$rate" "$acc" "$lost" "$sl" | tee -a "$JSON"
done

# ---- the markdown fragment ----
{
	echo "Command: \`tests/bench/scale.sh\` (inside \`make bench\`; STEPS=\"$STEPS\","
	echo "MAX_STEP_S=$MAX_STEP_S). One LMA (deploy/examples/lma.conf, log level warn, one"
	echo "veth) in a namespace of its own, registered up to each count in turn by"
	echo "\`build/bench/sigload pbu --window 256\` (each PBU a new MN-ID with HI 1 and an"
	echo "HNP request: one binding and one /64 each; lifetime 3600 s, so nothing"
	echo "expires during the run). Map memory: \`bytes_memlock\` of \`bpftool map show\` summed"
	echo "over the LMA's maps (those its XDP program uses and its pinned state maps);"
	echo "the kernel reports what the NO_PREALLOC maps hold. Daemon memory: VmRSS of"
	echo "xpmipd. Per binding: (value at N - value at 0) / N. Lost: no PBA within 2 s"
	echo "(scale.json has rejected, late PBAs, socket drops and the longest gap per step)."
	echo
	echo "| bindings | time to register (cumulative) s | rate of the step /s | lost | map MiB | map B/binding | daemon RSS MiB | RSS B/binding |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
	jq -rs '(.[0]) as $z | .[1:][] | select(.skipped | not) |
		"| \(.bindings) | \(.register_s) | \(.rate_per_s) | \(.lost) | \(.map_bytes / 1048576 * 10 | round / 10) | \(if .bindings > 0 then ((.map_bytes - $z.map_bytes) / .bindings | round) else "-" end) | \(.rss_kb / 1024 * 10 | round / 10) | \(if .bindings > 0 then ((.rss_kb - $z.rss_kb) * 1024 / .bindings | round) else "-" end) |"' "$JSON"
	jq -rs '.[] | select(.skipped) | "\nNot measured: \(.bindings) bindings (at \(.rate_per_s)/s it would take over '"$MAX_STEP_S"' s)."' "$JSON"
	echo
	echo "At 0 bindings: map $(jq -rs '.[0].map_bytes / 1048576 * 10 | round / 10' "$JSON") MiB, RSS $(jq -rs '.[0].rss_kb / 1024 * 10 | round / 10' "$JSON") MiB."
	echo "Per map at the largest count (bytes): $(jq -rs '[.[] | select(.skipped | not)] | last | .maps' "$JSON")."
	last=$(jq -cs '(.[0]) as $z | [.[] | select(.skipped | not)] | last | {n: .bindings,
		m: ((.map_bytes - $z.map_bytes) / (if .bindings > 0 then .bindings else 1 end)),
		r: ((.rss_kb - $z.rss_kb) * 1024 / (if .bindings > 0 then .bindings else 1 end))}' "$JSON")
	echo
	echo "Goals at $(jq -r .n <<<"$last") bindings: map memory <= 512 B/binding:" \
		"$(jq -r 'if .m <= 512 then "met" else "NOT met" end + " (\(.m | round) B)"' <<<"$last");" \
		"daemon memory <= 1 KiB/binding:" \
		"$(jq -r 'if .r <= 1024 then "met" else "NOT met" end + " (\(.r | round) B)"' <<<"$last")."
	echo "Raw: build/bench/results/scale.json."
} >"$MD"
cat "$MD"
