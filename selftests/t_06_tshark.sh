#!/usr/bin/env bash
# t_06_tshark: an independent decoder agrees with what the daemons send.
# Attach through MAG1, handover to MAG2, detach with xpmipctl: every packet
# captured on the LMA (Mobility Headers) and on the MN's link (RS/RA/NS/NA)
# decodes in tshark with no malformed packet and no expert warning or
# error, and the signalling has the expected shape (PBU/PBA per event,
# status 0, the MN-ID, HI 4 then HI 3).
source "$(dirname "$0")/lib/common.sh"
test_begin
write_default_confs
conf_set "$TEST_DIR/lma.conf" min_delay_before_bce_delete_ms 500
conf_set "$TEST_DIR/mag2.conf" detect_link_up true

capture_start lma "$XP_NS_LMA" any "ip6 proto 135 or (icmp6 and ip6[40] != 143)"
capture_start mn "$XP_NS_MN" any "icmp6 and ip6[40] >= 133 and ip6[40] <= 137"

step "attach, handover, detach"
start_mag2
attach_via_mag1
topo_move_mn_link "$XP_NS_MAG1" "$XP_NS_MAG2"
pcoa_is_mag2() { [[ $(lma_binding_pcoa) == "$XP_ADDR_MAG2" ]]; }
check assert_wait 10 "binding at MAG2" pcoa_is_mag2
assert_cmd "xpmipctl --instance mag2 detach $XP_MN_MAC1" xpctl mag2 detach "$XP_MN_MAC1"
check assert_wait 8 "binding gone" lma_no_binding
sleep 0.5
lma_pcap=$(capture_stop lma)
mn_pcap=$(capture_stop mn)

step "tshark verdicts"
# one tshark run per question per capture: its start-up (~1 s) was most of
# this step, which ran it 15 times
for cap in "$lma_pcap" "$mn_pcap"; do
	list=$(tshark -r "$cap" 2>/dev/null)
	say "$(basename "$cap"): $(grep -c . <<<"$list") packets"
	sed 's/^/    /' <<<"$list" | head -40
	bad=$(tshark -r "$cap" -Y '_ws.malformed || _ws.expert.severity >= "Warning"' 2>/dev/null)
	if [[ -n $bad ]]; then
		tshark -r "$cap" -Y '_ws.malformed || _ws.expert.severity >= "Warning"' -V 2>/dev/null |
			grep -i -B2 -A2 'expert\|malformed' | head -40
	fi
	check assert_eq "$(basename "$cap"): malformed or expert >= warning" "" "$bad"
	tshark -r "$cap" -q -z expert 2>/dev/null | sed 's/^/    /' | head -20
done
# the LMA's PBUs (type 5) and PBAs (type 6), one line each, in capture
# order: type, PBA status, MN-ID, HI
mh=$(tshark -r "$lma_pcap" -Y 'mip6.mhtype == 5 || mip6.mhtype == 6' -T fields \
	-e mip6.mhtype -e mip6.ba.status -e mip6.mnid.identifier -e mip6.hi 2>/dev/null)
mh_col() {	# TYPE COLUMN: that column of the messages of that type, one per line
	awk -F'\t' -v t="$1" -v c="$2" '$1 == t { print $c }' <<<"$mh"
}
check assert_ge "PBUs captured (attach, handover, detach)" 3 "$(mh_col 5 1 | grep -c .)"
check assert_ge "PBAs captured" 3 "$(mh_col 6 1 | grep -c .)"
check assert_eq "PBA statuses" "0" "$(mh_col 6 2 | sort -u | tr '\n' ' ' | sed 's/ $//')"
check assert_eq "MN-IDs in the PBUs" "$XP_MN_ID" "$(mh_col 5 3 | sort -u | tr '\n' ' ' | sed 's/ $//')"
his=$(mh_col 5 4 | tr '\n' ' ')
say "Handoff Indicators in order: $his"
check assert_match "HI 4 (attach, handoff state unknown) then 3 (inter-access handover)" '^4 .*3' "$his"
# the RAs the MN saw: source, MTU option
ra=$(tshark -r "$mn_pcap" -Y 'icmpv6.type == 134' -T fields -e ipv6.src -e icmpv6.opt.mtu 2>/dev/null)
check assert_ge "RAs seen by the MN" 1 "$(grep -c . <<<"$ra")"
check assert_eq "RA source (shared link-local)" "fe80::1" \
	"$(cut -f1 <<<"$ra" | sort -u | tr '\n' ' ' | sed 's/ $//')"
check assert_eq "RA MTU option" "1440" "$(cut -f2 <<<"$ra" | sort -u | head -n 1)"
test_end
