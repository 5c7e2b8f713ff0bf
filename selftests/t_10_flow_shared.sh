#!/usr/bin/env bash
# t_10_flow_shared: RFC 7864 flow mobility with a prefix shared by both of
# the MN's interfaces (section 3.2.1, HI 6).
#  - mn-if1 attaches at MAG1, then mn-if2 at MAG2 with Handoff Indicator 6:
#    the LMA keeps two bindings (BID 1, BID 2) with the same prefix;
#  - flow X (UDP to port 5001) via BID 1 and flow Y (UDP to port 5002) via
#    BID 2 at the same time: each binding's downlink counter at the LMA
#    grows by its own flow, and both MAGs deliver;
#  - the MN's uplink of flow Y follows (ip rule, lib/flow.sh): its packets
#    arrive at the LMA through BID 2;
#  - Y moves to MAG1 and back under a 1000 pps stream without losing a
#    packet.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/flow.sh"
test_begin
write_default_confs
flow_share_prefixes "$TEST_DIR/mag1.conf" "$TEST_DIR/mag2.conf"

step "attach mn-if1 at MAG1 and mn-if2 at MAG2, sharing the prefix"
attach_both
b1=$(lma_binding_bid 1); b2=$(lma_binding_bid 2)
assert_eq "BID 1 at MAG1" "$XP_ADDR_MAG1" "$(binding_pcoa "$b1")"
assert_eq "BID 2 at MAG2" "$XP_ADDR_MAG2" "$(binding_pcoa "$b2")"
assert_eq "BID 2 registered with HI 6 (new interface sharing prefixes)" 6 "$(jq -r .hi <<<"$b2")"
assert_eq "both bindings hold the same prefix" "$MN_HNP" "$(binding_hnp "$b2")"
assert_in_prefix "mn-if2's address is in the shared prefix" "$MN_HNP" "$MN_ADDR2"
xpctl lma bindings
warm_path
warm_path "$MN_ADDR2"

step "flow X (port 5001) via BID 1, flow Y (port 5002) via BID 2"
assert_cmd "flow add X" xpctl lma flow add "$XP_MN_ID" fid 1 pri 10 proto udp dport 5001 bid 1
assert_cmd "flow add Y" xpctl lma flow add "$XP_MN_ID" fid 2 pri 20 proto udp dport 5002 bid 2
xpctl lma flow list
assert_eq "two active flows" "1:1:active 2:2:active" \
	"$(xpctl lma flow list --json | jq -r '[.flows[] | "\(.fid):\(.bid):\(if .active then "active" else "inactive" end)"] | join(" ")')"
dl1=$(bstat 1 dl_packets); dl2=$(bstat 2 dl_packets)
m1=$(counter mag1 DL_DELIVER); m2=$(counter mag2 DL_DELIVER)
bg_start udp-x-recv ip netns exec "$XP_NS_MN" "$TOOLS/udp_stream" recv --port 5001 \
	--idle-timeout 3 --duration 20 --out "$TEST_DIR/x.json" >/dev/null 2>"$TEST_DIR/x.recv.log"
bg_start udp-y-recv ip netns exec "$XP_NS_MN" "$TOOLS/udp_stream" recv --port 5002 \
	--idle-timeout 3 --duration 20 --out "$TEST_DIR/y.json" >/dev/null 2>"$TEST_DIR/y.recv.log"
wait_for 5 "receivers listening" grep -q listening "$TEST_DIR/y.recv.log"
wait_for 5 "receivers listening" grep -q listening "$TEST_DIR/x.recv.log"
bg_start udp-x ip netns exec "$XP_NS_CN" "$TOOLS/udp_stream" send --dst "$MN_ADDR" --port 5001 \
	--pps 500 --duration 2
ip netns exec "$XP_NS_CN" "$TOOLS/udp_stream" send --dst "$MN_ADDR" --port 5002 --pps 300 \
	--duration 2 >/dev/null
bg_wait udp-x; bg_wait udp-x-recv; bg_wait udp-y-recv
bstat_show
x=$(jq -r .unique "$TEST_DIR/x.json"); y=$(jq -r .unique "$TEST_DIR/y.json")
say "flow X received $x, flow Y received $y"
assert_ge "flow X arrived" 990 "$x"
assert_ge "flow Y arrived" 590 "$y"
d1=$(( $(bstat 1 dl_packets) - dl1 )); d2=$(( $(bstat 2 dl_packets) - dl2 ))
assert_ge "BID 1 (MAG1) carried flow X" "$x" "$d1"
assert_le "BID 1 (MAG1) carried only flow X (+ a few ND/ping)" $((x + 20)) "$d1"
assert_ge "BID 2 (MAG2) carried flow Y" "$y" "$d2"
assert_le "BID 2 (MAG2) carried only flow Y" $((y + 20)) "$d2"
assert_ge "MAG1 delivered flow X" $((m1 + x)) "$(counter mag1 DL_DELIVER)"
assert_ge "MAG2 delivered flow Y" $((m2 + y)) "$(counter mag2 DL_DELIVER)"

step "the MN sends flow Y's uplink by mn-if2 (ip rule), the LMA sees it on BID 2"
mn_flow_uplink 5002 mn-if2
u1=$(bstat 1 ul_packets); u2=$(bstat 2 ul_packets)
mn_udp_up 5002 50
assert_wait 5 "50 uplink packets on BID 2" bash -c "(( \$($XPMIPCTL --instance lma binding-stats --json | jq '.bindings[] | select(.bid == 2) | .ul_packets') >= $((u2 + 50)) ))"
assert_le "none of them on BID 1" $((u1 + 5)) "$(bstat 1 ul_packets)"

step "move Y to MAG1 and back under a 1000 pps stream: no loss"
out="$TEST_DIR/y-move.json"
bg_start udp-recv ip netns exec "$XP_NS_MN" "$TOOLS/udp_stream" recv --port 5002 \
	--idle-timeout 3 --duration 25 --out "$out" >/dev/null 2>"$out.recv.log"
wait_for 5 "receiver listening" grep -q listening "$out.recv.log"
bg_start udp-send ip netns exec "$XP_NS_CN" "$TOOLS/udp_stream" send --dst "$MN_ADDR" --port 5002 \
	--pps 1000 --duration 6
sleep 1.5
assert_cmd "flow move Y to BID 1" xpctl lma flow move "$XP_MN_ID" 2 1
mn_flow_uplink 5002 mn-if1
# counted from after the move: every packet of Y since takes BID 1
d1=$(bstat 1 dl_packets); d2=$(bstat 2 dl_packets)
sleep 1.5
e1=$(bstat 1 dl_packets); e2=$(bstat 2 dl_packets)
say "while moved: BID 1 +$((e1 - d1)), BID 2 +$((e2 - d2)) packets"
assert_ge "Y on BID 1 after the move" 1200 $((e1 - d1))
assert_le "Y no longer on BID 2 (a few ND at most)" 5 $((e2 - d2))
assert_cmd "flow move Y back to BID 2" xpctl lma flow move "$XP_MN_ID" 2 2
mn_flow_uplink 5002 mn-if2
bg_wait udp-send; bg_wait udp-recv
say "stream: $(cat "$out")"
f2=$(bstat 2 dl_packets)
assert_ge "Y back on BID 2" 1000 $((f2 - e2))
assert_eq "packets lost across both moves" 0 "$(jq -r .lost "$out")"
assert_ge "packets received" 6000 "$(jq -r .unique "$out")"
xpctl lma flow list
test_end
