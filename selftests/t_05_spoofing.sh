#!/usr/bin/env bash
# t_05_spoofing: the LMA decapsulates only from a registered Proxy-CoA whose
# MN owns the inner source. With the MN attached through MAG1:
#  1. the MN sends (from its own stack's interface, crafted with pkt_inject)
#     a packet whose source lies outside its prefix: it never reaches the
#     CN, and DROP_SPOOFED_SRC moves (on the MAG or the LMA);
#  2. a tunnelled packet from MAG1's registered Proxy-CoA whose inner source
#     is outside the MN's prefix: dropped at the LMA, DROP_SPOOFED_SRC;
#  3. a tunnelled packet from an unregistered outer source with the MN's own
#     address inside: dropped at the LMA, DROP_UNKNOWN_PEER.
# The CN captures on cn0 throughout; the marker payloads must not appear.
# A control packet (tunnelled correctly, from the MN's address) must arrive,
# proving the capture and the injection work.
source "$(dirname "$0")/lib/common.sh"
test_begin
write_default_confs

step "attach through MAG1"
attach_via_mag1
warm_path
spoof_src=2001:db8:dead::1	# outside the pool
# an address inside the pool but in another MN's /64
other_src=2001:db8:1ff:ffff::1
lma_m1_mac=$(topo_mac "$XP_NS_LMA" lma-m1)
capture_start cn "$XP_NS_CN" cn0 udp
lma_spoof0=$(counter lma DROP_SPOOFED_SRC); mag_spoof0=$(counter mag1 DROP_SPOOFED_SRC)
lma_peer0=$(counter lma DROP_UNKNOWN_PEER)


step "control: a correct tunnelled packet from MAG1 arrives"
inject_to_cn "$XP_NS_MAG1" m1-lma "$lma_m1_mac" XP-CONTROL --src "$MN_ADDR" \
	--outer-src "$XP_ADDR_MAG1" --outer-dst "$XP_ADDR_LMA"

step "1. MN sends with a source outside its prefix"
inject_to_cn "$XP_NS_MN" mn-if1 02:00:5e:00:53:01 XP-SPOOF-MN --src "$spoof_src"
inject_to_cn "$XP_NS_MN" mn-if1 02:00:5e:00:53:01 XP-SPOOF-MN2 --src "$other_src"

step "2. tunnelled from MAG1's Proxy-CoA, inner source not the MN's"
inject_to_cn "$XP_NS_MAG1" m1-lma "$lma_m1_mac" XP-SPOOF-INNER --src "$spoof_src" \
	--outer-src "$XP_ADDR_MAG1" --outer-dst "$XP_ADDR_LMA"
inject_to_cn "$XP_NS_MAG1" m1-lma "$lma_m1_mac" XP-SPOOF-INNER2 --src "$other_src" \
	--outer-src "$XP_ADDR_MAG1" --outer-dst "$XP_ADDR_LMA"

step "3. tunnelled from an unregistered outer source"
inject_to_cn "$XP_NS_MAG1" m1-lma "$lma_m1_mac" XP-UNKNOWN-PEER --src "$MN_ADDR" \
	--outer-src 2001:db8:a1::99 --outer-dst "$XP_ADDR_LMA"

sleep 1
pcap=$(capture_stop cn)
seen() { tshark -r "$pcap" -Y "frame contains \"$1\"" 2>/dev/null | wc -l; }

step "what reached the CN"
assert_ge "control packets at the CN" 5 "$(seen XP-CONTROL)"
assert_eq "MN-spoofed (outside the pool) at the CN" 0 "$(seen XP-SPOOF-MN)"
assert_eq "MN-spoofed (another MN's prefix) at the CN" 0 "$(seen XP-SPOOF-MN2)"
assert_eq "inner-spoofed (outside the pool) at the CN" 0 "$(seen XP-SPOOF-INNER)"
assert_eq "inner-spoofed (another MN's prefix) at the CN" 0 "$(seen XP-SPOOF-INNER2)"
assert_eq "unregistered peer's packets at the CN" 0 "$(seen XP-UNKNOWN-PEER)"

step "counted"
xpctl lma counters || true
xpctl mag1 counters || true
lma_spoof=$(( $(counter lma DROP_SPOOFED_SRC) - lma_spoof0 ))
mag_spoof=$(( $(counter mag1 DROP_SPOOFED_SRC) - mag_spoof0 ))
say "DROP_SPOOFED_SRC: LMA +$lma_spoof, MAG1 +$mag_spoof"
assert_ge "LMA DROP_SPOOFED_SRC (tunnelled inner spoof)" 10 "$lma_spoof"
assert_ge "DROP_SPOOFED_SRC on LMA + MAG1 (all 4 spoofed bursts)" 20 $(( lma_spoof + mag_spoof ))
assert_ge "LMA DROP_UNKNOWN_PEER" 5 $(( $(counter lma DROP_UNKNOWN_PEER) - lma_peer0 ))
test_end
