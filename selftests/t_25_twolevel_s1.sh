#!/usr/bin/env bash
# t_25_twolevel_s1: 001 scenario 1 (simultaneous attachment), 2-level
# prefixes and the flow handovers between the MN's two interfaces.
#  - both interfaces attach (mn-if1 at MAG1, mn-if2 at MAG2); each MAG
#    gets its temporal block in PBA option 202, carves two /64s per
#    interface and advertises them with the permanent prefix: the MN has
#    three addresses per interface (HNP_x(P), HNP_x_1(T), HNP_x_2(T));
#  - PFHO: MAG2 moves HNP_1_2(T) onto if2 (PBU HI 5 with that prefix):
#    the stream to it continues through MAG2, the stream to HNP_1_1(T) and
#    the one to HNP_2_1(T) are untouched; MAG1 learns it at its next
#    exchange (xpmipctl refresh, the L2 hint) and marks it Idle;
#  - FFHO: MAG2 moves MAG1's whole block (every level-2 prefix of the MN
#    in it): the old session is Idle at the LMA and MAG1;
#  - reverse FFHO within the hold: MAG1 takes its block back, the session
#    is active again; then FFHO once more and the hold runs out: the old
#    session is removed, the moved prefixes keep flowing through MAG2.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/twolevel.sh"
MAX_LOST=${MAX_LOST:-100}	# per 500 pps stream across one handover
test_begin
tl_confs

step "simultaneous attachment of both interfaces"
tl_start_attach mn-if1 mn-if2
xpctl lma prefixes
xpctl mag1 prefixes
tl_if_state 1 mag1 "$XP_MN_MAC1" "$XP_ADDR_MAG1"
tl_if_state 2 mag2 "$XP_MN_MAC2" "$XP_ADDR_MAG2"
assert_match "MAG1 block is a /56 of the temporal pool" '^2001:db8:f0[0-9a-f]{2}:[0-9a-f]*00::/56$' "$BLK1"
assert_ne "the MAGs have different blocks" "$BLK1" "$BLK2"
assert_in_prefix "HNP_1_1(T) in MAG1's block" "$BLK1" "${T1[0]%/*}"
assert_eq "LMA: MAG1's block, level 1, T" 1 \
	"$(tl_prefixes lma "[.[] | select(.prefix == \"$BLK1\" and .level == 1 and .kind == \"T\")] | length")"
assert_eq "LMA: HNP_1_1(T) through if1's binding" "$BID1" "$(tl_lma_owner "${T1[0]}")"
assert_eq "LMA: HNP_2_1(T) through if2's binding" "$BID2" "$(tl_lma_owner "${T2[0]}")"
for a in "$A11" "$A12" "$A21"; do warm_path "$a"; done
assert_cmd "CN reaches HNP_1_2(T) through MAG1" ns_ping "$XP_NS_CN" "$A12" 2

step "PFHO: HNP_1_2(T) moves to if2 (three streams across it)"
tl_stream_start voip "$A11" 5011 4
tl_stream_start web "$A12" 5012 4
tl_stream_start iptv "$A21" 5021 4
sleep 1.5
dl2_before=$(counter mag2 DL_DELIVER)
assert_cmd "xpmipctl handover on MAG2" xpctl mag2 handover "$XP_MN_MAC2" "${T1[1]}"
moved_to_if2() { [[ $(tl_lma_owner "${T1[1]}") == "$BID2" ]]; }
assert_wait 5 "LMA: HNP_1_2(T) through if2's binding" moved_to_if2
tl_stream_end voip "$MAX_LOST"
tl_stream_end web "$MAX_LOST"
tl_stream_end iptv "$MAX_LOST"
assert_eq "LMA: HNP_1_1(T) still through if1's binding" "$BID1" "$(tl_lma_owner "${T1[0]}")"
assert_ge "MAG2 delivered the moved flow" $((dl2_before + 500)) "$(counter mag2 DL_DELIVER)"
assert_eq "MAG2: HNP_1_2(T) adopted on if2" true \
	"$(tl_prefixes mag2 ".[] | select(.prefix == \"${T1[1]}\") | .adopted")"
assert_cmd "L2 hint at MAG1: re-register if1" xpctl mag1 refresh "$XP_MN_MAC1"
idle_at_mag1() { [[ $(tl_prefixes mag1 ".[] | select(.prefix == \"$1\") | .idle") == true ]]; }
assert_wait 5 "MAG1: HNP_1_2(T) Idle" idle_at_mag1 "${T1[1]}"
assert_eq "MAG1: HNP_1_1(T) not Idle" false \
	"$(tl_prefixes mag1 ".[] | select(.prefix == \"${T1[0]}\") | .idle")"
xpctl lma prefixes

step "FFHO: every level-2 prefix of if1 (MAG1's block) moves to if2"
tl_stream_start voip "$A11" 5011 3
tl_stream_start iptv "$A21" 5021 3
sleep 1
assert_cmd "xpmipctl handover (block) on MAG2" xpctl mag2 handover "$XP_MN_MAC2" "$BLK1"
all_moved() { [[ $(tl_lma_owner "${T1[0]}") == "$BID2" ]]; }
assert_wait 5 "LMA: HNP_1_1(T) through if2's binding" all_moved
tl_stream_end voip "$MAX_LOST"
tl_stream_end iptv "$MAX_LOST"
lma_if1_idle() { [[ $(tl_prefixes lma "[.[] | select(.kind == \"P\" and .bid == $BID1 and .idle)] | length") == 1 ]]; }
assert_wait 2 "LMA: if1's session Idle" lma_if1_idle
xpctl lma prefixes
assert_cmd "L2 hint at MAG1" xpctl mag1 refresh "$XP_MN_MAC1"
assert_wait 5 "MAG1: HNP_1_1(T) Idle" idle_at_mag1 "${T1[0]}"
lt=$(xpctl lma bindings --json | jq -r ".bindings[] | select(.bid == $BID1) | .lifetime_s")
assert_le "if1's lifetime capped to the hold" $((TL_HOLD_S + 4)) "$lt"

step "reverse FFHO within the hold: MAG1 takes its block back"
tl_stream_start voip "$A11" 5011 3
sleep 1
assert_cmd "xpmipctl handover (block) on MAG1" xpctl mag1 handover "$XP_MN_MAC1" "$BLK1"
back_home() { [[ $(tl_lma_owner "${T1[0]}") == "$BID1" && $(tl_lma_owner "${T1[1]}") == "$BID1" ]]; }
assert_wait 5 "LMA: HNP_1_1(T), HNP_1_2(T) through if1's binding again" back_home
tl_stream_end voip "$MAX_LOST"
assert_eq "LMA: if1's session active again" 0 \
	"$(tl_prefixes lma "[.[] | select(.kind == \"P\" and .bid == $BID1 and .idle)] | length")"
assert_eq "MAG1: HNP_1_1(T) active" false \
	"$(tl_prefixes mag1 ".[] | select(.prefix == \"${T1[0]}\") | .idle")"
assert_cmd "CN reaches HNP_1_1(T) through MAG1" ns_ping "$XP_NS_CN" "$A11" 2

step "FFHO again; the hold runs out: the old session goes, the flows stay"
assert_cmd "xpmipctl handover (block) on MAG2" xpctl mag2 handover "$XP_MN_MAC2" "$BLK1"
assert_wait 5 "LMA: HNP_1_1(T) through if2's binding" all_moved
if1_gone() { [[ -z $(tl_lma_bid_of_pcoa "$XP_ADDR_MAG1") ]]; }
assert_wait $((TL_HOLD_S + 5)) "LMA: if1's session removed after the hold" if1_gone
assert_eq "LMA: HNP_1_1(T) still through if2's binding" "$BID2" "$(tl_lma_owner "${T1[0]}")"
assert_cmd "CN reaches HNP_1_1(T) through MAG2" ns_ping "$XP_NS_CN" "$A11" 2
grep -q "reason=ffho-hold-over" "$TEST_DIR/lma.log" || _fail "no ffho-hold-over in the LMA log"
test_end
