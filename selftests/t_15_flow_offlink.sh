#!/usr/bin/env bash
# t_15_flow_offlink: RFC 7864 flow mobility across different prefixes
# (section 3.2.2), between the real daemons.
#  - mn-if1 attaches at MAG1 (BID 1, HNP1), mn-if2 at MAG2 (BID 2, HNP2):
#    RFC 5213 behaviour, each interface its own prefix;
#  - `xpmipctl flow add` sends UDP port 5003 to BID 2: the LMA sends MAG2 a
#    UPN (FLOW-MOBILITY) with HNP1 L-flagged, MAG2 answers UPA 0 and holds
#    HNP1 off-link for the MN (routed, not advertised);
#  - a stream to the MN's HNP1 address arrives through MAG2 (MAG2 delivers
#    it, MAG1 does not), and mn-if2 never configures an HNP1 address;
#  - moving the flow back to BID 1 withdraws HNP1 at MAG2 (a later UPN
#    without it) and the stream arrives through MAG1 again.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/flow.sh"
test_begin
write_default_confs

step "mn-if1 at MAG1, mn-if2 at MAG2, different prefixes"
start_mag2
attach_via_mag1
mn_attach mn-if2
assert_wait 15 "a second binding (mn-if2 at MAG2)" two_bindings
HNP1=$(binding_hnp "$(lma_binding_bid 1)")
HNP2=$(binding_hnp "$(lma_binding_bid 2)")
say "HNP1 $HNP1 (BID 1), HNP2 $HNP2 (BID 2)"
assert_ne "two different prefixes" "$HNP1" "$HNP2"
assert_in_prefix "the MN's mn-if1 address is in HNP1" "$HNP1" "$MN_ADDR"
warm_path

upn_json() { xpctl_json lma upn "$1"; }
mag2_offlink() { xpctl_json mag2 bindings '[.bindings[] | .hnp[]? | select(.offlink) | .prefix] | join(",")'; }
# stream SECONDS: 500 pps CN -> MN_ADDR:5003; sets RX to the packets received
stream() {
	local out="$TEST_DIR/stream-$1.json"
	udp_run "$XP_NS_CN" "$XP_NS_MN" "$MN_ADDR" 500 "$2" "$out" 5003
	RX=$(jq -r .unique "$out")
	say "stream $1: sent $(jq -r .sent "$out"), received $RX, lost $(jq -r .lost "$out")"
}

step "flow (UDP port 5003) to BID 2: UPN to MAG2 with HNP1 off-link, UPA 0"
tx0=$(upn_json .upn_tx)
assert_cmd "flow add" xpctl lma flow add "$XP_MN_ID" fid 3 pri 10 proto udp dport 5003 bid 2
offlink_is_hnp1() { [[ $(mag2_offlink) == "$HNP1" ]]; }
assert_wait 10 "MAG2 holds HNP1 off-link" offlink_is_hnp1
acked() { [[ $(upn_json '[.upn[] | select(.bid == 2) | .state] | first') == acked ]]; }
assert_wait 10 "the LMA's UPN to BID 2 acknowledged" acked
xpctl lma upn
assert_eq "the UPN listed HNP1 off-link" "$HNP1" "$(upn_json '[.upn[] | select(.bid == 2) | .offlink[]] | join(",")')"
assert_ge "UPNs sent" $((tx0 + 1)) "$(upn_json .upn_tx)"
assert_ge "UPA 0 received" 1 "$(upn_json .upa_success)"

step "the flow arrives through MAG2"
m1=$(counter mag1 DL_DELIVER); m2=$(counter mag2 DL_DELIVER)
stream to-bid2 3
assert_ge "received (of 1500)" 1490 "$RX"
assert_ge "MAG2 delivered it" $((m2 + RX)) "$(counter mag2 DL_DELIVER)"
assert_le "MAG1 did not (a few ND at most)" $((m1 + 10)) "$(counter mag1 DL_DELIVER)"
hnp1_net=${HNP1%%::*}
assert_eq "mn-if2 has no HNP1 address (off-link: never advertised)" "" \
	"$(mn_addrs mn-if2 | grep -i "^$hnp1_net:" || true)"

step "the flow moves back to BID 1: HNP1 withdrawn at MAG2"
assert_cmd "flow move back" xpctl lma flow move "$XP_MN_ID" 3 1
offlink_none() { [[ -z $(mag2_offlink) ]]; }
assert_wait 10 "MAG2 no longer holds HNP1" offlink_none
m1=$(counter mag1 DL_DELIVER); m2=$(counter mag2 DL_DELIVER)
stream to-bid1 2
assert_ge "received (of 1000)" 990 "$RX"
assert_ge "MAG1 delivered it" $((m1 + RX)) "$(counter mag1 DL_DELIVER)"
assert_le "MAG2 did not" $((m2 + 10)) "$(counter mag2 DL_DELIVER)"
xpctl lma flow list
test_end
