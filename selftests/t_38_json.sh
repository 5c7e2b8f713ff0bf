#!/usr/bin/env bash
# t_38_json: every xpmipctl command with --json prints valid JSON of one
# shape, on the LMA and on the MAG (docs/operations.md, "JSON").
#  - each output passes Python's JSON parser (what `python3 -m json.tool`
#    runs; one interpreter for all the files, it is slow to start);
#  - it is one object; a command that lists objects holds them in a named
#    array next to "count", the array's length (bindings, prefixes,
#    mag-peers, peers, counters, traffic, upn, binding-stats, flow list, filters,
#    watch, lma-stats/mag-stats by_status);
#  - the same command has the same array name on both roles;
#  - the streams (watch, trace) print one such object per line.
source "$(dirname "$0")/lib/common.sh"
test_begin
write_default_confs

step "attach through MAG1, one flow"
attach_via_mag1
BID=$(jq -r .bid <<<"$(lma_binding)")
assert_cmd "flow add" xpctl lma flow add "$XP_MN_ID" fid 1 bid "$BID" proto udp dport 5001

# json_ok FILE...: every file is one JSON document (NAME.jsonl: one per line)
json_ok() {
	python3 - "$@" <<'PY'
import json, sys
bad = 0
for f in sys.argv[1:]:
    docs = open(f).read().splitlines() if f.endswith(".jsonl") else [open(f).read()]
    for d in docs:
        try:
            json.loads(d)
        except ValueError as e:
            print(f"{f}: {e}: {d[:200]!r}")
            bad += 1
sys.exit(1 if bad or len(sys.argv) < 2 else 0)
PY
}
FILES=()

# one_cmd INSTANCE ARRAY CMD...: run it with --json, check the shape
one_cmd() {
	local inst=$1 arr=$2 f; shift 2
	f="$TEST_DIR/json-$inst-$(tr ' ' '_' <<<"$*").json"
	xpctl "$inst" "$@" --json >"$f" 2>"$f.stderr" ||
		{ check fail "$inst $*: exit status $? ($(cat "$f.stderr"))"; return; }
	FILES+=("$f")
	check assert_eq "$inst $* --json: an object whose .$arr has .count entries" true \
		"$(jq --arg a "$arr" 'type == "object" and (.[$a] | type) == "array" and
			.count == (.[$a] | length)' "$f" 2>&1)"
}

step "LMA"
one_cmd lma bindings bindings
one_cmd lma prefixes prefixes
one_cmd lma mag_peers mag-peers
one_cmd lma peers peers
one_cmd lma counters counters
one_cmd lma traffic traffic
one_cmd lma upn upn
one_cmd lma bindings binding-stats
one_cmd lma flows flow list
one_cmd lma filters filters
one_cmd lma by_status lma-stats
check assert_eq "LMA bindings: the MN" 1 "$(xpctl_json lma bindings .count)"
check assert_eq "LMA flow list: the flow" 1 "$(xpctl lma flow list --json | jq .count)"
check assert_eq "LMA version --json" lma "$(xpctl_json lma version .role)"

step "MAG1"
one_cmd mag1 bindings bindings
one_cmd mag1 prefixes prefixes
one_cmd mag1 mag_peers mag-peers
one_cmd mag1 peers peers
one_cmd mag1 counters counters
one_cmd mag1 traffic traffic
one_cmd mag1 by_status mag-stats
check assert_eq "MAG1 bindings: the MN" 1 "$(xpctl_json mag1 bindings .count)"
check assert_eq "MAG1 mag-peers: the LMA" "$XP_ADDR_LMA" "$(xpctl_json mag1 mag-peers '.mag_peers[0].peer')"
check assert_eq "LMA mag-peers: MAG1" "$XP_ADDR_MAG1" "$(xpctl_json lma mag-peers '.mag_peers[0].peer')"
check assert_eq "MAG1 version --json" mag "$(xpctl_json mag1 version .role)"

step "streams: watch and trace, one object per line"
for inst in lma mag1; do
	f="$TEST_DIR/json-$inst-watch.jsonl"
	xpctl "$inst" watch --json --count 2 --interval 0.2 >"$f" 2>"$f.stderr"
	check assert_eq "$inst watch: 2 lines" 2 "$(grep -c . "$f")"
	check assert_eq "$inst watch: each line an object with .bindings and .count" "true true" \
		"$(jq -c '(.bindings | type) == "array" and .count == (.bindings | length)' "$f" | xargs)"
	FILES+=("$f")
done
started() { [[ $(grep -c 'event=trace-started' "$TEST_DIR/$1.log") -ge 1 ]]; }
# MAG1: the MN spoofs its source; the LMA: a tunnelled packet from no MAG
bg_start trace-mag1 "$XPMIPCTL" --instance mag1 trace --json --count 1 --timeout 20 \
	>"$TEST_DIR/trace-mag1.jsonl" 2>"$TEST_DIR/trace-mag1.err"
assert_wait 10 "MAG1 tracing" started mag1
inject_to_cn "$XP_NS_MN" mn-if1 02:00:5e:00:53:01 XP-SPOOF --src 2001:db8:dead::1
bg_wait trace-mag1 || fail "trace on MAG1: $(cat "$TEST_DIR/trace-mag1.err")"
check assert_eq "mag1 trace --json: one event" 1 "$(grep -c . "$TEST_DIR/trace-mag1.jsonl")"
FILES+=("$TEST_DIR/trace-mag1.jsonl")
bg_start trace-lma "$XPMIPCTL" --instance lma trace --json --count 1 --timeout 20 \
	>"$TEST_DIR/trace-lma.jsonl" 2>"$TEST_DIR/trace-lma.err"
assert_wait 10 "LMA tracing" started lma
inject_to_cn "$XP_NS_MAG1" m1-lma "$(topo_mac "$XP_NS_LMA" lma-m1)" XP-UNKNOWN-PEER \
	--src "$MN_ADDR" --outer-src 2001:db8:a1::99 --outer-dst "$XP_ADDR_LMA"
bg_wait trace-lma || fail "trace on the LMA: $(cat "$TEST_DIR/trace-lma.err")"
check assert_eq "lma trace --json: one event" 1 "$(grep -c . "$TEST_DIR/trace-lma.jsonl")"
FILES+=("$TEST_DIR/trace-lma.jsonl")

step "all ${#FILES[@]} outputs through Python's JSON parser"
assert_cmd "valid JSON" json_ok "${FILES[@]}"
test_end
