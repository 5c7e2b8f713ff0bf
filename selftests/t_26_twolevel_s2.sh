#!/usr/bin/env bash
# t_26_twolevel_s2: 001 scenario 2 (sequential attachment) with an
# inter-interface and an inter-access handover of the permanent prefix's
# binding (001 section 5.1.2), under two UDP streams to the MN's logical
# interface addresses (the "vi" of 001 Figures 6-9: addresses in HNP_1(P)
# and HNP_1_1(T) on the MN's lo, so they survive the interface change).
#  - mn-if1 attaches at MAG1 alone: HNP_1(P), HNP_1_1(T), HNP_1_2(T);
#  - IIHO: mn-if1 breaks, mn-if2 attaches at MAG2 with the L2 hint (HI 2):
#    the LMA moves if1's binding, temporal prefixes included, to MAG2 and
#    mn-if2; MAG2 adopts MAG1's /64s and advertises HNP_1(P) on mn-if2;
#  - IAHO: mn-if2's access link moves from MAG2 to MAG1 (HI 3): the same
#    binding moves back to MAG1, whose block the temporal prefixes are from.
# The streams continue (loss printed and bounded) after each step.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/twolevel.sh"
IIHO_MAX_LOST=${IIHO_MAX_LOST:-1200}	# at 200 pps: the MN's second interface comes up, RS, PBU
IAHO_MAX_LOST=${IAHO_MAX_LOST:-400}
test_begin
tl_confs
conf_set "$TEST_DIR/mag1.conf" detect_link_up true

step "sequential attachment: mn-if1 at MAG1"
tl_start_attach mn-if1
tl_if_state 1 mag1 "$XP_MN_MAC1" "$XP_ADDR_MAG1"
assert_eq "one binding" 1 "$(lma_bindings_json | jq length)"
VP=${HNP1%::/64}::100
VT=${T1[0]%::/64}::100
ip -n "$XP_NS_MN" addr add "$VP/128" dev lo
ip -n "$XP_NS_MN" addr add "$VT/128" dev lo
warm_path "$VP"
assert_cmd "CN reaches the MN's HNP_1(P) address" ns_ping "$XP_NS_CN" "$VP" 2
assert_cmd "CN reaches the MN's HNP_1_1(T) address" ns_ping "$XP_NS_CN" "$VT" 2

step "IIHO: mn-if1 breaks, mn-if2 takes the session at MAG2 (HI 2)"
assert_cmd "L2 hint at MAG2" xpctl mag2 hint "$XP_MN_MAC2" iiho
tl_stream_start p "$VP" 5031 6 200
tl_stream_start t "$VT" 5032 6 200
sleep 1.5
ip -n "$XP_NS_MN" link set mn-if1 down
mn_attach mn-if2
at_mag2() { [[ $(lma_binding_pcoa) == "$XP_ADDR_MAG2" ]]; }
assert_wait 10 "LMA: the binding at MAG2" at_mag2
tl_stream_end p "$IIHO_MAX_LOST"
tl_stream_end t "$IIHO_MAX_LOST"
xpctl lma bindings
xpctl mag2 prefixes
assert_eq "one binding still" 1 "$(lma_bindings_json | jq length)"
# the binding's HI is that of its last PBU (MAG2 re-registers at once with
# the /64s it carved): the handover itself is in the LMA's log
assert_cmd "LMA accepted the IIHO (handoff, HI 2)" grep -q "bid=$BID1 peer=$XP_ADDR_MAG2 action=handoff hi=2" "$TEST_DIR/lma.log"
assert_eq "binding keeps its BID" "$BID1" "$(jq -r .bid <<<"$(lma_binding)")"
assert_eq "LMA: HNP_1_1(T) through the moved binding" "$BID1" "$(tl_lma_owner "${T1[0]}")"
assert_eq "MAG2: HNP_1(P) on mn-if2" "$HNP1" \
	"$(tl_prefixes mag2 ".[] | select(.kind == \"P\" and .mac == \"$XP_MN_MAC2\") | .prefix")"
assert_eq "MAG2: HNP_1_1(T) adopted on mn-if2" true \
	"$(tl_prefixes mag2 ".[] | select(.prefix == \"${T1[0]}\") | .adopted")"
hnp1_on_if2() { tl_mn_addr_in mn-if2 "$HNP1"; }
assert_wait 10 "MN configures HNP_1(P) on mn-if2" hnp1_on_if2

step "IAHO: mn-if2's link moves from MAG2 to MAG1 (HI 3)"
tl_stream_start p "$VP" 5031 5 200
tl_stream_start t "$VT" 5032 5 200
sleep 1.5
topo_move_mn_link "$XP_NS_MAG2" "$XP_NS_MAG1" m2-acc
at_mag1() { [[ $(lma_binding_pcoa) == "$XP_ADDR_MAG1" ]]; }
assert_wait 10 "LMA: the binding at MAG1" at_mag1
tl_stream_end p "$IAHO_MAX_LOST"
tl_stream_end t "$IAHO_MAX_LOST"
assert_cmd "LMA accepted the IAHO (handoff, HI 3)" grep -q "bid=$BID1 peer=$XP_ADDR_MAG1 action=handoff hi=3" "$TEST_DIR/lma.log"
assert_eq "LMA: HNP_1_1(T) through the binding" "$BID1" "$(tl_lma_owner "${T1[0]}")"
ours_at_mag1() {
	[[ $(tl_prefixes mag1 ".[] | select(.prefix == \"${T1[0]}\") | \"\(.mac) \(.adopted)\"") == "$XP_MN_MAC2 false" ]]
}
assert_wait 5 "MAG1: HNP_1_1(T) (its own block) on mn-if2, not adopted" ours_at_mag1
assert_eq "MAG1 keeps its block" "$BLK1" "$(tl_block_of mag1)"
assert_cmd "CN reaches the MN's HNP_1_1(T) address through MAG1" ns_ping "$XP_NS_CN" "$VT" 2
test_end
