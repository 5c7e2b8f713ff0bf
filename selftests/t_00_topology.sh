#!/usr/bin/env bash
# t_00_topology: the namespaces and links the other scenarios rely on, before
# any daemon runs: every link up with GRO on, the fixed addresses in place,
# the CN reaches the LMA, each MAG reaches the LMA address over its route, the
# MN has link-local addresses only (nobody advertises a prefix yet), and the
# test bpffs is mounted outside /sys.
source "$(dirname "$0")/lib/common.sh"
XP_MN_UP=1	# the MN's interfaces up too (tests leave them down until they attach)
test_begin
ip -n "$XP_NS_MN" link set mn-if2 down

step "links"
for l in "${XP_LINKS[@]}"; do
	for e in $l; do
		ns=${e%%:*}; ifc=${e#*:}
		[[ $ifc == mn-if2 || $ifc == m2-acc ]] && continue	# kept down on purpose
		assert_wait 5 "$ns/$ifc operstate UP" \
			bash -c "[[ \$(ip -n $ns -j link show dev $ifc | jq -r '.[0].operstate') == UP ]]"
		gro=$(ip netns exec "$ns" ethtool -k "$ifc" | awk -F': ' '/^generic-receive-offload/ {print $2}')
		assert_eq "$ns/$ifc GRO" "on" "${gro%% *}"
	done
done
assert_eq "MN second interface (set down above)" "DOWN" \
	"$(ip -n "$XP_NS_MN" -j link show dev mn-if2 | jq -r '.[0].operstate')"
assert_eq "MN mn-if1 MAC" "$XP_MN_MAC1" "$(topo_mac "$XP_NS_MN" mn-if1)"
assert_eq "MN mn-if2 MAC" "$XP_MN_MAC2" "$(topo_mac "$XP_NS_MN" mn-if2)"

step "sysctls"
assert_eq "LMA forwarding" 1 "$(ip netns exec "$XP_NS_LMA" sysctl -n net.ipv6.conf.all.forwarding)"
assert_eq "MN forwarding" 0 "$(ip netns exec "$XP_NS_MN" sysctl -n net.ipv6.conf.mn-if1.forwarding)"
assert_eq "MN accept_ra" 2 "$(ip netns exec "$XP_NS_MN" sysctl -n net.ipv6.conf.mn-if1.accept_ra)"
assert_eq "MN autoconf" 1 "$(ip netns exec "$XP_NS_MN" sysctl -n net.ipv6.conf.mn-if1.autoconf)"

step "reachability"
assert_cmd "CN pings the LMA ($XP_ADDR_LMA_CN)" ns_ping "$XP_NS_CN" "$XP_ADDR_LMA_CN" 2
assert_cmd "MAG1 pings the LMA address ($XP_ADDR_LMA)" ns_ping "$XP_NS_MAG1" "$XP_ADDR_LMA" 2
assert_cmd "MAG2 pings the LMA address ($XP_ADDR_LMA)" ns_ping "$XP_NS_MAG2" "$XP_ADDR_LMA" 2
assert_cmd "LMA pings MAG1's Proxy-CoA" ns_ping "$XP_NS_LMA" "$XP_ADDR_MAG1" 2
assert_cmd "LMA pings MAG2's Proxy-CoA" ns_ping "$XP_NS_LMA" "$XP_ADDR_MAG2" 2
assert_eq "MN global addresses before any RA" "" "$(mn_addrs mn-if1)"

step "bpffs for the pinned maps"
assert_cmd "$XP_PIN_ROOT is a bpffs" bash -c "stat -f -c %T $XP_PIN_ROOT | grep -q bpf"
assert_cmd "visible inside ip netns exec" ip netns exec "$XP_NS_LMA" mountpoint -q "$XP_PIN_ROOT"

step "handover helper"
topo_move_mn_link "$XP_NS_MAG1" "$XP_NS_MAG2"
assert_wait 5 "m1-acc UP in $XP_NS_MAG2" \
	bash -c "[[ \$(ip -n $XP_NS_MAG2 -j link show dev m1-acc | jq -r '.[0].operstate') == UP ]]"
assert_cmd "m1-acc gone from $XP_NS_MAG1" bash -c "! ip -n $XP_NS_MAG1 link show dev m1-acc 2>/dev/null"
test_end
