#!/usr/bin/env bash
# t_37_trace: `xpmipctl trace` shows user-plane drops as they happen.
# With the MN attached through MAG1:
#  1. MAG1, `trace --mn <the MN>`: the MN sends packets from a source outside
#     its prefix; each shows as DROP_SPOOFED_SRC with that source and the
#     MN's MAC;
#  2. LMA, `trace`: a tunnelled packet from an unregistered outer source
#     shows as DROP_UNKNOWN_PEER with the outer and the inner addresses;
#  3. forwarded traffic (pings) shows nothing;
#  4. `--mn` for an MN without a binding is refused; every client that ends
#     switches emission off again (event=trace-stopped in the log);
#  5. LMA, `trace --mn <the MN>`: `xpmipctl flow move` of a flow from BID 1
#     (MAG1) to BID 2 (MAG2) shows as one switch event (cause flow, the
#     flow's FID, the BIDs and Proxy-CoAs before and after).
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/flow.sh"
test_begin
write_default_confs
flow_share_prefixes "$TEST_DIR/mag1.conf" "$TEST_DIR/mag2.conf"

step "attach mn-if1 through MAG1 and mn-if2 through MAG2 (shared prefix)"
attach_both
warm_path
spoof_src=2001:db8:dead::1
lma_m1_mac=$(topo_mac "$XP_NS_LMA" lma-m1)
trace_bg() {	# NAME INSTANCE args...: xpmipctl trace in the background, JSON lines in NAME.jsonl
	local name=$1 inst=$2; shift 2
	: >"$TEST_DIR/$name.jsonl"
	bg_start "$name" "$XPMIPCTL" --instance "$inst" trace --json "$@" >"$TEST_DIR/$name.jsonl" 2>"$TEST_DIR/$name.err"
}
started() { [[ $(grep -c 'event=trace-started' "$TEST_DIR/$1.log") -ge $2 ]]; }

step "1. MAG1: trace --mn $XP_MN_ID, the MN spoofs its source"
trace_bg mag-trace mag1 --mn "$XP_MN_ID" --count 3 --timeout 20
assert_wait 10 "MAG1 switched tracing on" started mag1 1
inject_to_cn "$XP_NS_MN" mn-if1 02:00:5e:00:53:01 XP-SPOOF --src "$spoof_src"
bg_wait mag-trace || fail "trace on MAG1 failed: $(cat "$TEST_DIR/mag-trace.err")"
cat "$TEST_DIR/mag-trace.jsonl"
assert_eq "events shown (--count 3)" 3 "$(wc -l <"$TEST_DIR/mag-trace.jsonl")"
ev=$(head -n 1 "$TEST_DIR/mag-trace.jsonl")
assert_eq "reason" DROP_SPOOFED_SRC "$(jq -r .reason <<<"$ev")"
assert_eq "source" "$spoof_src" "$(jq -r .src <<<"$ev")"
assert_eq "destination" "$XP_ADDR_CN" "$(jq -r .dst <<<"$ev")"
assert_eq "MAC of the MN" "$XP_MN_MAC1" "$(jq -r .src_mac <<<"$ev")"
assert_eq "interface" m1-acc "$(jq -r .ifname <<<"$ev")"
assert_wait 5 "MAG1 switched tracing off" grep -q 'event=trace-stopped' "$TEST_DIR/mag1.log"

step "2. LMA: a tunnelled packet from an unregistered peer"
trace_bg lma-trace lma --count 1 --timeout 20
assert_wait 10 "LMA switched tracing on" started lma 1
inject_to_cn "$XP_NS_MAG1" m1-lma "$lma_m1_mac" XP-UNKNOWN-PEER --src "$MN_ADDR" \
	--outer-src 2001:db8:a1::99 --outer-dst "$XP_ADDR_LMA"
bg_wait lma-trace || fail "trace on the LMA failed: $(cat "$TEST_DIR/lma-trace.err")"
ev=$(head -n 1 "$TEST_DIR/lma-trace.jsonl")
echo "$ev"
assert_eq "reason" DROP_UNKNOWN_PEER "$(jq -r .reason <<<"$ev")"
assert_eq "outer source" 2001:db8:a1::99 "$(jq -r .src <<<"$ev")"
assert_eq "outer destination" "$XP_ADDR_LMA" "$(jq -r .dst <<<"$ev")"
assert_eq "inner source" "$MN_ADDR" "$(jq -r .inner_src <<<"$ev")"
assert_eq "inner destination" "$XP_ADDR_CN" "$(jq -r .inner_dst <<<"$ev")"

step "3. forwarded packets are not traced"
trace_bg quiet lma --timeout 3
assert_wait 10 "LMA switched tracing on again" started lma 2
assert_cmd "CN pings the MN" ns_ping "$XP_NS_CN" "$MN_ADDR" 5
bg_wait quiet || fail "quiet trace failed: $(cat "$TEST_DIR/quiet.err")"
assert_eq "events while forwarding" 0 "$(wc -l <"$TEST_DIR/quiet.jsonl")"

step "4. --mn without a binding"
assert_cmd_fails "trace --mn nobody@xpmip.example" xpctl lma trace --mn nobody@xpmip.example --timeout 1
assert_wait 5 "the LMA switched tracing off" bash -c \
	"[[ \$(grep -c 'event=trace-stopped' '$TEST_DIR/lma.log') -ge 2 ]]"

step "5. LMA: trace --mn $XP_MN_ID while a flow moves from BID 1 to BID 2"
assert_cmd "flow add (UDP 5001 via BID 1)" xpctl lma flow add "$XP_MN_ID" fid 7 proto udp dport 5001 bid 1
trace_bg switch lma --mn "$XP_MN_ID" --count 1 --timeout 20
assert_wait 10 "LMA switched tracing on a third time" started lma 3
assert_cmd "flow move 7 to BID 2" xpctl lma flow move "$XP_MN_ID" 7 2
bg_wait switch || fail "switch trace failed: $(cat "$TEST_DIR/switch.err")"
ev=$(head -n 1 "$TEST_DIR/switch.jsonl")
echo "$ev"
assert_eq "kind" switch "$(jq -r .kind <<<"$ev")"
assert_eq "cause" flow "$(jq -r .cause <<<"$ev")"
assert_eq "flow" 7 "$(jq -r .fid <<<"$ev")"
assert_eq "BIDs" "1 -> 2" "$(jq -r '"\(.old_bid) -> \(.new_bid)"' <<<"$ev")"
assert_eq "Proxy-CoAs" "$XP_ADDR_MAG1 -> $XP_ADDR_MAG2" "$(jq -r '"\(.old_peer) -> \(.new_peer)"' <<<"$ev")"
assert_eq "the MN's index" "$(jq -r .mn_idx <<<"$(lma_binding_bid 1)")" "$(jq -r .mn_idx <<<"$ev")"
test_end
