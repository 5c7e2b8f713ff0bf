#!/usr/bin/env bash
# t_17_upn_tshark: RFC 7864 Flow Mobility Initiate / Acknowledgement (UPN /
# UPA, MH types 19 / 20) between the LMA's address and MAG2, with
# Flow Identification options, checked by an independent decoder.
# The MN is attached through MAG1 (mn-if1, HNP1) and MAG2 (mn-if2, HNP2).
# From the LMA's address, upn_send (the project's codec) sends MAG2:
#  - HNP1 with the L flag and two Flow Identification options: UPA 0, MAG2
#    holds HNP1 off-link for the MN (routed, not advertised) and the flows;
#  - HNP2 without L: UPA 0, HNP1 withdrawn (missing from the later UPN);
#  - reason 2: UPA 131; no MN-ID: 131; an MN not attached there: 132;
#  - the same UPN from the LMA host's link address (not the configured LMA
#    address): no answer, counted as not our LMA.
# Every frame on MAG2's core link then decodes in tshark without a
# malformed mark or an expert item >= Warning (tshark 4.0 shows UPN/UPA
# as unknown MH types: a Note), and `xpmipctl decode` reads each captured
# UPN/UPA - MH type, sequence, status, HNP L flags, Flow Identification
# options with their selectors - as sent.
source "$(dirname "$0")/lib/common.sh"
test_begin
write_default_confs
UPN="$TOOLS/upn_send"
[[ -x $UPN ]] || fail "$UPN not built"

step "MN attached through MAG1 and MAG2"
start_mag2
attach_via_mag1
mn_attach mn-if2
mag2_bound() { [[ $(xpctl_json mag2 bindings '.bindings[] | select(.state == "bound") | .mac') == "$XP_MN_MAC2" ]]; }
assert_wait 15 "MAG2 binding for mn-if2" mag2_bound
HNP1=$(xpctl_json mag1 bindings '.bindings[0].hnp[0].prefix')
HNP2=$(xpctl_json mag2 bindings '.bindings[0].hnp[0].prefix')
say "HNP1 $HNP1 (MAG1), HNP2 $HNP2 (MAG2)"
assert_ne "two bindings, different prefixes" "$HNP1" "$HNP2"

capture_start mag2 "$XP_NS_MAG2" m2-lma "ip6 proto 135"
upn() { ip netns exec "$XP_NS_LMA" "$UPN" --src "$XP_ADDR_LMA" --dst "$XP_ADDR_MAG2" "$@"; }
offlink_of() { xpctl_json mag2 bindings "[.bindings[0].hnp[] | select(.offlink) | .prefix] | join(\",\")"; }

step "UPN: HNP1 off-link at MAG2, two flows"
assert_cmd "UPA 0" upn --seq 101 --offlink "$HNP1" --fid 1:10:5001 --fid 2:20:5002 --expect-status 0
assert_eq "MAG2 holds HNP1 off-link" "$HNP1" "$(offlink_of)"
assert_eq "MAG2 keeps the Flow Identification options" "1,2" \
	"$(xpctl_json mag2 bindings '[.bindings[0].flows[].fid | tostring] | join(",")')"
assert_match "MAG2 log: upn-accepted" "offlink=${HNP1}" \
	"$(grep 'event=upn-accepted' "$TEST_DIR/mag2.log" | tail -n 1)"
in_hnp1() { local a; for a in $(mn_addrs mn-if2); do ip6_in_prefix "$a" "$HNP1" && return 0; done; return 1; }
check assert_cmd_fails "HNP1 never advertised on mn-if2" in_hnp1

step "UPN without HNP1: withdrawn"
assert_cmd "UPA 0" upn --seq 102 --hnp "$HNP2" --expect-status 0
assert_eq "MAG2 holds nothing off-link" "" "$(offlink_of)"

step "UPA statuses"
assert_cmd "reason UPDATE-SESSION-PARAMETERS: 131" upn --seq 103 --reason 2 --offlink "$HNP1" --expect-status 131
assert_cmd "no MN-ID: 131" upn --seq 104 --no-mnid --offlink "$HNP1" --expect-status 131
assert_cmd "MN not attached at MAG2: 132" upn --seq 105 --mnid nobody@xpmip.example --offlink "$HNP1" --expect-status 132
assert_eq "nothing installed by them" "" "$(offlink_of)"

step "UPN from another address of the LMA's host: dropped"
ip netns exec "$XP_NS_LMA" "$UPN" --src "$XP_ADDR_LMA_M2" --dst "$XP_ADDR_MAG2" --seq 106 \
	--offlink "$HNP1" --timeout 800 >/dev/null 2>&1
assert_eq "no UPA to a UPN not from the configured LMA address (exit 1)" 1 "$?"
assert_eq "MAG2 upn_not_lma" 1 "$(xpctl_json mag2 mag-stats .upn_not_lma)"
assert_eq "MAG2 UPAs 0 / 131 / 132" "2 2 1" "$(xpctl_json mag2 mag-stats '"\(.upa_success) \(.upa_reason_unspecified) \(.upa_mn_not_attached)"')"
assert_eq "still nothing off-link" "" "$(offlink_of)"
sleep 0.3
pcap=$(capture_stop mag2)

step "tshark and xpmipctl decode of every UPN / UPA"
tshark -r "$pcap" 2>/dev/null | sed 's/^/    /'
bad=$(tshark -r "$pcap" -Y '_ws.malformed || _ws.expert.severity >= "Warning"' 2>/dev/null)
assert_eq "malformed or expert >= warning" "" "$bad"
assert_eq "UPNs captured" 6 "$(tshark -r "$pcap" -Y 'mip6.mhtype == 19' 2>/dev/null | wc -l)"
assert_eq "UPAs captured" 5 "$(tshark -r "$pcap" -Y 'mip6.mhtype == 20' 2>/dev/null | wc -l)"
# each Mobility Header's octets, through our own decoder: the frame after
# Ethernet (14) and the IPv6 header (40), in hex (no extension headers here)
MH_HEX_OFF=$(( (14 + 40) * 2 ))
summary=""
while read -r hex; do
	[[ -n $hex ]] || continue
	js=$("$XPMIPCTL" decode --json "$hex" 2>&1) || fail "xpmipctl decode failed on $hex: $js"
	summary+=$(jq -r '[.type, ((.upn // .upa).seq), (.upa.status // "-"),
		([.options.hnp[]? | if .offlink then "L" else "-" end] | join("")),
		([.options.flow_id[]? | "\(.fid)/\(.fid_pri)/\(.ts.dport_start // "?")"] | join(","))]
		| map(tostring) | join(":")' <<<"$js")" "
done < <(tshark -r "$pcap" -Y 'ipv6.nxt == 135' -T json -x 2>/dev/null |
	jq -r --argjson off "$MH_HEX_OFF" '.[]._source.layers.frame_raw[0][$off:]')
say "decoded: $summary"
assert_match "UPN 101: L HNP, flows 1/10/5001 and 2/20/5002" \
	"(^| )19:101:-:L:1/10/5001,2/20/5002 20:101:0:L: " "$summary"
assert_match "UPN 102 without L, UPA 0" " 19:102:-:-: 20:102:0:-: " "$summary"
assert_match "UPA 131 / 131 / 132" " 20:103:131:: .* 20:104:131:: .* 20:105:132:: " "$summary"
assert_match "the foreign UPN, unanswered" " 19:106:-:L: $" "$summary"
test_end
