#!/usr/bin/env bash
# verifier-stats.sh OBJ... - print each XDP program's verified instruction
# count (what the verifier walked: the cost of loading it) and its size.
# Uses veristat when installed, else a small libbpf helper built here
# (tests/bpf/verifier_stats.c). Needs root (it loads the programs).
set -euo pipefail
cd "$(dirname "$0")/.."
objs=("$@")
[[ ${#objs[@]} -gt 0 ]] || objs=(build/bpf/*.bpf.o)
if command -v veristat >/dev/null 2>&1; then
	exec veristat "${objs[@]}"
fi
helper=${BUILD:-build}/tools/verifier_stats
mkdir -p "$(dirname "$helper")"
if [[ ! -x $helper || tests/bpf/verifier_stats.c -nt $helper ]]; then
	${CC:-cc} -O2 -g -Wall -Wextra -Werror tests/bpf/verifier_stats.c -lbpf -lelf -lz -o "$helper"
fi
exec "$helper" "${objs[@]}"
