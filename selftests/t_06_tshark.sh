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
for cap in "$lma_pcap" "$mn_pcap"; do
	n=$(tshark -r "$cap" 2>/dev/null | wc -l)
	say "$(basename "$cap"): $n packets"
	tshark -r "$cap" 2>/dev/null | sed 's/^/    /' | head -40
	bad=$(tshark -r "$cap" -Y '_ws.malformed || _ws.expert.severity >= "Warning"' 2>/dev/null)
	if [[ -n $bad ]]; then
		tshark -r "$cap" -Y '_ws.malformed || _ws.expert.severity >= "Warning"' -V 2>/dev/null |
			grep -i -B2 -A2 'expert\|malformed' | head -40
	fi
	check assert_eq "$(basename "$cap"): malformed or expert >= warning" "" "$bad"
	tshark -r "$cap" -q -z expert 2>/dev/null | sed 's/^/    /' | head -20
done
pbu_n=$(tshark -r "$lma_pcap" -Y 'mip6.mhtype == 5' 2>/dev/null | wc -l)
pba_n=$(tshark -r "$lma_pcap" -Y 'mip6.mhtype == 6' 2>/dev/null | wc -l)
check assert_ge "PBUs captured (attach, handover, detach)" 3 "$pbu_n"
check assert_ge "PBAs captured" 3 "$pba_n"
check assert_eq "PBA statuses" "0" "$(tshark -r "$lma_pcap" -Y 'mip6.mhtype == 6' -T fields -e mip6.ba.status 2>/dev/null | sort -u | tr '\n' ' ' | sed 's/ $//')"
check assert_eq "MN-IDs in the PBUs" "$XP_MN_ID" "$(tshark -r "$lma_pcap" -Y 'mip6.mhtype == 5' -T fields -e mip6.mnid.identifier 2>/dev/null | sort -u | tr '\n' ' ' | sed 's/ $//')"
his=$(tshark -r "$lma_pcap" -Y 'mip6.mhtype == 5' -T fields -e mip6.hi 2>/dev/null | tr '\n' ' ')
say "Handoff Indicators in order: $his"
check assert_match "HI 4 (attach, handoff state unknown) then 3 (inter-access handover)" '^4 .*3' "$his"
ra_n=$(tshark -r "$mn_pcap" -Y 'icmpv6.type == 134' 2>/dev/null | wc -l)
check assert_ge "RAs seen by the MN" 1 "$ra_n"
check assert_eq "RA source (shared link-local)" "fe80::1" \
	"$(tshark -r "$mn_pcap" -Y 'icmpv6.type == 134' -T fields -e ipv6.src 2>/dev/null | sort -u | tr '\n' ' ' | sed 's/ $//')"
check assert_eq "RA MTU option" "1440" \
	"$(tshark -r "$mn_pcap" -Y 'icmpv6.type == 134' -T fields -e icmpv6.opt.mtu 2>/dev/null | sort -u | head -n 1)"
test_end
