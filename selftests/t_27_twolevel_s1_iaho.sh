#!/usr/bin/env bash
# t_27_twolevel_s1_iaho: 001 scenario 1 (simultaneous attachment), the
# inter-access handover of section 5.1.2 (first bullet), 2-level prefixes.
#  - both interfaces attach (mn-if1 at MAG1, mn-if2 at MAG2), each with
#    HNP_x(P), HNP_x_1(T), HNP_x_2(T);
#  - streams CN -> MN to if1's HNP_1(P) and HNP_1_1(T) addresses and to
#    if2's HNP_2_1(T) address;
#  - IAHO: if1's access link (m1-acc) moves from MAG1 to MAG2; MAG2 sends
#    a PBU with HI 3: the LMA moves if1's binding (same BID) to MAG2, with
#    its temporal prefixes; the if1 streams continue through MAG2 (loss
#    bounded as t_26's IAHO), if2's stream is untouched (near-0 loss) and
#    if2's binding and prefixes do not change.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/twolevel.sh"
IAHO_MAX_LOST=${IAHO_MAX_LOST:-400}		# at 200 pps, as t_26's IAHO
UNTOUCHED_MAX_LOST=${UNTOUCHED_MAX_LOST:-10}	# of ~1000 at 200 pps
test_begin
tl_confs
# a Linux MN sends no RS on a carrier flap: MAG2 registers on link-up
conf_set "$TEST_DIR/mag2.conf" detect_link_up true

step "simultaneous attachment of both interfaces"
tl_start_attach mn-if1 mn-if2
tl_if_state 1 mag1 "$XP_MN_MAC1" "$XP_ADDR_MAG1"
tl_if_state 2 mag2 "$XP_MN_MAC2" "$XP_ADDR_MAG2"
xpctl lma prefixes
assert_ne "two bindings" "$BID1" "$BID2"
assert_eq "LMA: HNP_1_1(T) through if1's binding" "$BID1" "$(tl_lma_owner "${T1[0]}")"
assert_eq "LMA: HNP_2_1(T) through if2's binding" "$BID2" "$(tl_lma_owner "${T2[0]}")"
for a in "$AP1" "$A11" "$A21"; do warm_path "$a"; done

step "IAHO: mn-if1's link moves from MAG1 to MAG2 (HI 3) under three streams"
tl_stream_start p1 "$AP1" 5041 5 200
tl_stream_start t11 "$A11" 5042 5 200
tl_stream_start t21 "$A21" 5043 5 200
sleep 1.5
topo_move_mn_link "$XP_NS_MAG1" "$XP_NS_MAG2" m1-acc
if1_at_mag2() { [[ $(tl_bid_pcoa "$BID1") == "$XP_ADDR_MAG2" ]]; }
assert_wait 10 "LMA: if1's binding at MAG2" if1_at_mag2
tl_stream_end p1 "$IAHO_MAX_LOST"
tl_stream_end t11 "$IAHO_MAX_LOST"
tl_stream_end t21 "$UNTOUCHED_MAX_LOST"
xpctl lma bindings
xpctl lma prefixes
xpctl mag2 prefixes
assert_cmd "LMA accepted the IAHO (handoff, HI 3)" \
	grep -q "bid=$BID1 peer=$XP_ADDR_MAG2 action=handoff hi=3" "$TEST_DIR/lma.log"
assert_eq "two bindings still" 2 "$(lma_binding_count)"
assert_eq "LMA: HNP_1(P) still if1's binding" "$BID1" "$(tl_lma_owner "$HNP1")"
assert_eq "LMA: HNP_1_1(T) through if1's binding" "$BID1" "$(tl_lma_owner "${T1[0]}")"
assert_eq "LMA: HNP_1_2(T) through if1's binding" "$BID1" "$(tl_lma_owner "${T1[1]}")"
assert_eq "LMA: HNP_2_1(T) through if2's binding" "$BID2" "$(tl_lma_owner "${T2[0]}")"
assert_eq "LMA: if2's binding still at MAG2" "$XP_ADDR_MAG2" "$(tl_bid_pcoa "$BID2")"
assert_eq "MAG2: HNP_1(P) on mn-if1" "$HNP1" \
	"$(tl_prefixes mag2 ".[] | select(.kind == \"P\" and .mac == \"$XP_MN_MAC1\") | .prefix")"
assert_eq "MN keeps its HNP_1_1(T) address" "$A11" "$(tl_mn_addr_in mn-if1 "${T1[0]}")"
for a in "$AP1" "$A11" "$A12" "$A22"; do tl_assert_via mag2 mag1 "$a"; done
test_end
