#!/usr/bin/env bash
# t_28_twolevel_s2_flows: 001 scenario 2 (sequential attachment), second
# stage (section 5.2.2): the other interface's initial attachment, then a
# partial and a full flow handover, 2-level prefixes.
#  - mn-if1 attaches alone at MAG1: HNP_1(P), HNP_1_1(T), HNP_1_2(T);
#    streams CN -> MN to its HNP_1(P) and HNP_1_1(T) addresses;
#  - initial attachment of mn-if2 at MAG2 under those streams: a second
#    binding with its own HNP_2(P) and MAG2's level-2 prefixes; the if1
#    streams are untouched and if1's binding does not change;
#  - PFHO: MAG2 moves HNP_1_2(T) onto if2 (PBU HI 5): the stream to it
#    continues through MAG2, the streams to HNP_1(P) and HNP_1_1(T) (still
#    at MAG1) and to HNP_2_1(T) are untouched;
#  - FFHO: MAG2 moves MAG1's whole block: the stream to HNP_1_1(T)
#    continues through MAG2, the one to HNP_2_1(T) is untouched, if1's
#    session is Idle at the LMA;
#  - reverse FFHO within the hold: MAG1 takes its block back under a
#    stream to HNP_1_1(T); if1's session is active again and HNP_1_1(T)
#    is delivered by MAG1 (the hold's expiry is t_25's).
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/twolevel.sh"
MAX_LOST=${MAX_LOST:-100}			# moved stream, 200 pps, as t_25's bound per handover
UNTOUCHED_MAX_LOST=${UNTOUCHED_MAX_LOST:-10}	# of ~800 at 200 pps
test_begin
tl_confs

step "sequential attachment: mn-if1 at MAG1 alone"
tl_start_attach mn-if1
tl_if_state 1 mag1 "$XP_MN_MAC1" "$XP_ADDR_MAG1"
assert_eq "one binding" 1 "$(lma_binding_count)"
for a in "$AP1" "$A11" "$A12"; do warm_path "$a"; done

step "initial attachment of mn-if2 at MAG2 under if1's streams"
tl_stream_start p1 "$AP1" 5051 4 200
tl_stream_start t11 "$A11" 5052 4 200
sleep 1
mn_attach mn-if2
assert_wait 10 "a second binding (mn-if2 at MAG2)" two_bindings
assert_wait 20 "three addresses on mn-if2 (P and two T)" tl_has_three mn-if2
tl_stream_end p1 "$UNTOUCHED_MAX_LOST"
tl_stream_end t11 "$UNTOUCHED_MAX_LOST"
tl_if_state 2 mag2 "$XP_MN_MAC2" "$XP_ADDR_MAG2"
xpctl lma prefixes
assert_ne "if2 has its own binding" "$BID1" "$BID2"
assert_ne "if2 has its own HNP_2(P)" "$HNP1" "$HNP2"
assert_ne "the MAGs have different blocks" "$BLK1" "$BLK2"
assert_in_prefix "HNP_2_1(T) in MAG2's block" "$BLK2" "${T2[0]%/*}"
assert_eq "LMA: if1's binding still at MAG1" "$XP_ADDR_MAG1" "$(tl_bid_pcoa "$BID1")"
assert_eq "LMA: HNP_1_1(T) through if1's binding" "$BID1" "$(tl_lma_owner "${T1[0]}")"
assert_eq "LMA: HNP_2_1(T) through if2's binding" "$BID2" "$(tl_lma_owner "${T2[0]}")"
warm_path "$A21"

step "PFHO: HNP_1_2(T) moves to if2 (four streams across it)"
tl_stream_start p1 "$AP1" 5051 4 200
tl_stream_start t11 "$A11" 5052 4 200
tl_stream_start t12 "$A12" 5053 4 200
tl_stream_start t21 "$A21" 5054 4 200
sleep 1.5
assert_cmd "xpmipctl handover on MAG2" xpctl mag2 handover "$XP_MN_MAC2" "${T1[1]}"
moved_to_if2() { [[ $(tl_lma_owner "${T1[1]}") == "$BID2" ]]; }
assert_wait 5 "LMA: HNP_1_2(T) through if2's binding" moved_to_if2
tl_stream_end t12 "$MAX_LOST"
tl_stream_end p1 "$UNTOUCHED_MAX_LOST"
tl_stream_end t11 "$UNTOUCHED_MAX_LOST"
tl_stream_end t21 "$UNTOUCHED_MAX_LOST"
tl_assert_via mag2 mag1 "$A12"
tl_assert_via mag1 mag2 "$A11"
tl_assert_via mag1 mag2 "$AP1"
assert_eq "LMA: HNP_1_1(T) still through if1's binding" "$BID1" "$(tl_lma_owner "${T1[0]}")"
assert_eq "LMA: HNP_1(P) still if1's binding at MAG1" "$XP_ADDR_MAG1" "$(tl_bid_pcoa "$(tl_lma_owner "$HNP1")")"
assert_eq "MAG2: HNP_1_2(T) adopted on if2" true \
	"$(tl_prefixes mag2 ".[] | select(.prefix == \"${T1[1]}\") | .adopted")"
assert_cmd "L2 hint at MAG1: re-register if1" xpctl mag1 refresh "$XP_MN_MAC1"
idle_at_mag1() { [[ $(tl_prefixes mag1 ".[] | select(.prefix == \"$1\") | .idle") == true ]]; }
assert_wait 5 "MAG1: HNP_1_2(T) Idle" idle_at_mag1 "${T1[1]}"

step "FFHO: every level-2 prefix of if1 (MAG1's block) moves to if2"
tl_stream_start t11 "$A11" 5052 3 200
tl_stream_start t21 "$A21" 5054 3 200
sleep 1
assert_cmd "xpmipctl handover (block) on MAG2" xpctl mag2 handover "$XP_MN_MAC2" "$BLK1"
all_moved() { [[ $(tl_lma_owner "${T1[0]}") == "$BID2" ]]; }
assert_wait 5 "LMA: HNP_1_1(T) through if2's binding" all_moved
tl_stream_end t11 "$MAX_LOST"
tl_stream_end t21 "$UNTOUCHED_MAX_LOST"
xpctl lma prefixes
lma_if1_idle() { [[ $(tl_prefixes lma "[.[] | select(.kind == \"P\" and .bid == $BID1 and .idle)] | length") == 1 ]]; }
assert_wait 2 "LMA: if1's session Idle" lma_if1_idle
assert_eq "LMA: HNP_1_2(T) still through if2's binding" "$BID2" "$(tl_lma_owner "${T1[1]}")"
assert_eq "LMA: HNP_2_1(T) still through if2's binding" "$BID2" "$(tl_lma_owner "${T2[0]}")"
tl_assert_via mag2 mag1 "$A11"

step "reverse FFHO within the hold: MAG1 takes its block back"
tl_stream_start t11 "$A11" 5052 3 200
tl_stream_start t21 "$A21" 5054 3 200
sleep 1
assert_cmd "xpmipctl handover (block) on MAG1" xpctl mag1 handover "$XP_MN_MAC1" "$BLK1"
back_home() { [[ $(tl_lma_owner "${T1[0]}") == "$BID1" && $(tl_lma_owner "${T1[1]}") == "$BID1" ]]; }
assert_wait 5 "LMA: HNP_1_1(T), HNP_1_2(T) through if1's binding again" back_home
tl_stream_end t11 "$MAX_LOST"
tl_stream_end t21 "$UNTOUCHED_MAX_LOST"
assert_eq "LMA: if1's session active again" 0 \
	"$(tl_prefixes lma "[.[] | select(.kind == \"P\" and .bid == $BID1 and .idle)] | length")"
assert_eq "LMA: HNP_2_1(T) still through if2's binding" "$BID2" "$(tl_lma_owner "${T2[0]}")"
tl_assert_via mag1 mag2 "$A11"
test_end
