#!/usr/bin/env bash
# run.sh - `make bench`: run every benchmark and rewrite docs/PERFORMANCE.md.
#
# Each benchmark prints JSON lines; this script keeps the raw output under
# build/bench/results/ and turns it into the tables of docs/PERFORMANCE.md
# with the machine, the date and the exact command. Benchmarks measure
# side by side in one run and report ratios, because the machine is shared
# and noisy: absolute figures move between runs, ratios much less.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${BUILD_DIR:-build}
OUT=$B/bench/results
mkdir -p "$OUT"
DOC=${PERF_DOC:-docs/PERFORMANCE.md}

echo "bench: per-packet cost (BPF_PROG_TEST_RUN), 1 .. 1M MNs" >&2
"$B/bench/pktcost" > "$OUT/pktcost.json"

machine() {
	echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
		"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
	echo "- kernel: $(uname -r); clang: $(clang --version | head -1)"
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
}

pktcost_table() {
	jq -rs '
	  (map(select(.mns == 1)) | map({(.path): .median_ns}) | add) as $one |
	  ["| path | MNs | median ns | above floor ns | p10-p90 ns | round medians ns | vs 1 MN |",
	   "|---|---:|---:|---:|---:|---:|---:|"] +
	  map("| \(.path) | \(.mns) | \(.median_ns) | \(.median_ns - .floor_ns) | \(.p10_ns)-\(.p90_ns) | \(.round_min_ns)-\(.round_max_ns) | \((.median_ns / $one[.path] * 100 | round) / 100)x |")
	  | .[]' "$OUT/pktcost.json"
}

{
	echo "# Performance"
	echo
	echo "Written by \`make bench\` (tests/bench/run.sh); do not edit by hand."
	echo
	machine
	echo
	echo "## 1. Per-packet cost of each BPF path"
	echo
	echo "Command: \`build/bench/pktcost\` (inside \`make bench\`). Each sample is one"
	echo "fresh packet through \`BPF_PROG_TEST_RUN\` with repeat = 1 (repeat > 1 would"
	echo "re-run the buffer the previous run encapsulated); 5 interleaved rounds of"
	echo "4000 packets per path, each to a random MN among those in the maps; the"
	echo "median of the round medians, the spread of the round medians, and the"
	echo "trivial \`xp_pass\` program measured in the same rounds as the floor (its"
	echo "cost is the test-run timer itself). Per-binding counters are created with"
	echo "the binding, as the agent does."
	echo
	pktcost_table
	echo
} > "$DOC.tmp"
[[ -f $OUT/notes.md ]] && cat "$OUT/notes.md" >> "$DOC.tmp"
mv "$DOC.tmp" "$DOC"
echo "bench: wrote $DOC"
