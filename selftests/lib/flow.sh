# shellcheck shell=bash
# selftests/lib/flow.sh - helpers for the flow mobility scenarios (RFC 7864),
# sourced after common.sh by t_10.., t_11.. and demo.sh.
#
# The MN is plain Linux with mn-if1 (at MAG1) and mn-if2 (at MAG2). With
# share_prefixes = true in both MAGs' profiles it gets the same home
# network prefix on both interfaces (HI 6), and the LMA keeps one binding
# per interface (BID 1 = the first attached, BID 2 = the second).
#
# MN uplink (RFC 7864 section 6, "the MN must enforce uplink policies"): the
# network moves a flow's downlink with `xpmipctl flow move`; the MN sends
# the same flow's uplink out of the same interface with a policy rule per
# flow, e.g. for the flow whose MN-side port is 5002 on mn-if2:
#   ip -6 rule add ipproto udp sport 5002 lookup 102 priority 1002
#   ip -6 route add default via fe80::1 dev mn-if2 table 102
# (fe80::1 is every MAG's link-local, the MN's default router on each
# interface). mn_flow_uplink below does exactly this; moving the flow back
# replaces the route in its table.

# share_prefixes = true in every explicit MN profile of a MAG config
flow_share_prefixes() {	# CONF...
	local f
	for f in "$@"; do
		sed -i 's/\(mac = "[^"]*"; id = "[^"]*"; att = [0-9]*;\)/\1 share_prefixes = true;/' "$f"
		grep -q 'share_prefixes = true' "$f" || _fail "flow_share_prefixes: no MN profile in $f"
	done
}

# the binding with BID N as JSON
lma_binding_bid() { lma_bindings_json 2>/dev/null | jq -c --argjson b "$1" '[.[] | select(.bid == $b)] | first // empty'; }

# mn_attach_both (common.sh), then sets MN_ADDR (mn-if1's), MN_ADDR2
# (mn-if2's) and MN_HNP.
attach_both() {
	mn_attach_both || return 1
	MN_ADDR=$(mn_addr mn-if1)
	MN_ADDR2=$(mn_addr mn-if2)
	MN_HNP=$(binding_hnp "$(lma_binding_bid 1)")
	say "MN: $MN_ADDR on mn-if1, $MN_ADDR2 on mn-if2, HNP $MN_HNP"
}

# per-binding counters at the LMA: bstat BID FIELD (dl_packets, ul_packets ..)
bstat() {
	xpctl_json lma binding-stats ".bindings[] | select(.bid == $1) | .$2" 2>/dev/null | head -n 1
}
bstat_show() { xpctl lma binding-stats; }

# The MN's uplink for UDP flows from local port PORT leaves by IFC
mn_flow_uplink() {	# PORT IFC
	local port=$1 ifc=$2 table=$((100 + $1 % 1000))
	ip -n "$XP_NS_MN" -6 rule show | grep -q "lookup $table" ||
		ip -n "$XP_NS_MN" -6 rule add ipproto udp sport "$port" lookup "$table" priority "$table"
	ip -n "$XP_NS_MN" -6 route replace default via fe80::1 dev "$ifc" table "$table"
}

# N UDP datagrams MN -> CN from local port PORT (uplink of that flow)
mn_udp_up() {	# PORT N
	ip netns exec "$XP_NS_MN" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", int(sys.argv[1])))
for i in range(int(sys.argv[2])):
    s.sendto(b"uplink %d" % i, (sys.argv[3], 6000))
' "$1" "$2" "$XP_ADDR_CN"
}
