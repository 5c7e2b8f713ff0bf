#!/usr/bin/env bash
# deploy/topology.sh - the CN / LMA / MAG1 / MAG2 / MN network-namespace
# topology that the selftests and the demo run on, for anyone to try by hand.
#
#   deploy/topology.sh up       build it (idempotent: an existing one is torn
#                               down first)
#   deploy/topology.sh down     delete every namespace it created
#   deploy/topology.sh status   show namespaces, links and addresses
#
# Sourced (by selftests/lib/topology.sh) it only defines the xp_topo_*
# functions and the XP_NS_* / XP_ADDR_* variables, so the commands live here
# once.
#
#   xp-cn    cn0     2001:db8:c::2/64   route 2001:db8:100::/40 via 2001:db8:c::1
#      |
#   xp-lma   lma-cn  2001:db8:c::1/64   lo 2001:db8:ff::1/128 (LMA address)
#            lma-m1  2001:db8:a1::1/64  lma-m2 2001:db8:a2::1/64   forwarding=1
#      |                                   |
#   xp-mag1  m1-lma  2001:db8:a1::2/64  xp-mag2  m2-lma  2001:db8:a2::2/64
#            m1-acc (access)                     m2-acc (access)
#      |                                   |
#   xp-mn    mn-if1 02:00:00:00:01:01    mn-if2 02:00:00:00:01:02
#            plain Linux host: SLAAC (accept_ra=2, autoconf=1, forwarding=0)
#
# No kernel tunnel device is created: the xpmip XDP programs tunnel. Every
# veth has GRO on, which gives it a NAPI context, so that XDP_REDIRECT into
# it (from the programs on its peer's side) is accepted. The end hosts (CN,
# MN) send fully checksummed, unsegmented packets (tx checksum offload, TSO
# and GSO off): an XDP-redirected frame carries no "checksum partial" or GSO
# metadata. For the same reason the LMA's MAG-facing veths have tx checksum
# offload off: the one kind of packet the LMA's stack sends there with a
# partial checksum is a GSO packet of the equal-IFP TC path (xp_lma_dup,
# DL_DUP_GSO), and the MAG's XDP program would forward its segments with
# the checksum never completed (a real NIC completes it on the wire).
#
# Inter-access handover by hand: move the MAG side of the MN's link,
#   ip -n xp-mag1 link set m1-acc netns xp-mag2
#   ip -n xp-mag2 link set m1-acc up

XP_NS_CN=xp-cn
XP_NS_LMA=xp-lma
XP_NS_MAG1=xp-mag1
XP_NS_MAG2=xp-mag2
XP_NS_MN=xp-mn
XP_NAMESPACES=("$XP_NS_CN" "$XP_NS_LMA" "$XP_NS_MAG1" "$XP_NS_MAG2" "$XP_NS_MN")

XP_ADDR_CN=2001:db8:c::2
XP_ADDR_LMA_CN=2001:db8:c::1
XP_ADDR_LMA=2001:db8:ff::1
XP_ADDR_LMA_M1=2001:db8:a1::1
XP_ADDR_LMA_M2=2001:db8:a2::1
XP_ADDR_MAG1=2001:db8:a1::2
XP_ADDR_MAG2=2001:db8:a2::2
XP_HNP_POOL=2001:db8:100::/40
XP_MN_MAC1=02:00:00:00:01:01
XP_MN_MAC2=02:00:00:00:01:02
XP_MN_ID=mn1@xpmip.example

# veth pairs: "ns_a:if_a ns_b:if_b"
XP_LINKS=(
	"$XP_NS_CN:cn0 $XP_NS_LMA:lma-cn"
	"$XP_NS_LMA:lma-m1 $XP_NS_MAG1:m1-lma"
	"$XP_NS_LMA:lma-m2 $XP_NS_MAG2:m2-lma"
	"$XP_NS_MAG1:m1-acc $XP_NS_MN:mn-if1"
	"$XP_NS_MAG2:m2-acc $XP_NS_MN:mn-if2"
)

_xp_run() {	# run a command, show it when XP_TOPO_VERBOSE=1
	[[ ${XP_TOPO_VERBOSE:-0} == 1 ]] && echo "+ $*" >&2
	"$@"
}

_xp_sysctl() {	# ns key=value...
	local ns=$1; shift
	_xp_run ip netns exec "$ns" sysctl -qw "$@" >/dev/null
}

xp_topo_exists() {
	local ns
	for ns in "${XP_NAMESPACES[@]}"; do
		ip netns list | awk '{print $1}' | grep -qx "$ns" && return 0
	done
	return 1
}

xp_topo_down() {
	local ns
	for ns in "${XP_NAMESPACES[@]}"; do
		if ip netns list | awk '{print $1}' | grep -qx "$ns"; then
			# processes left in the namespace keep it (and its veths) alive
			local pids
			pids=$(ip netns pids "$ns" 2>/dev/null)
			[[ -n $pids ]] && kill $pids 2>/dev/null
			ip netns del "$ns" 2>/dev/null
		fi
	done
	return 0
}

_xp_veth() {	# ns_a:if_a ns_b:if_b
	local a=$1 b=$2
	local na=${a%%:*} ia=${a#*:} nb=${b%%:*} ib=${b#*:}
	_xp_run ip -n "$na" link add "$ia" type veth peer name "$ib" netns "$nb"
}

_xp_link_up() {	# ns if: up
	_xp_run ip -n "$1" link set "$2" up
}

# GRO on (NAPI for XDP_REDIRECT targets) once both ends of every veth are
# up: the kernel recomputes the peer's "can take redirected frames"
# (NETDEV_XDP_ACT_NDO_XMIT) flag when GRO changes on a running device, not
# when it was set on a device that was still down.
_xp_gro_on() {	# ns if
	_xp_run ip netns exec "$1" ethtool -K "$2" gro on >/dev/null 2>&1 || true
}

_xp_end_host_offloads() {	# ns if: full checksums, no TSO/GSO (see top)
	_xp_run ip netns exec "$1" ethtool -K "$2" tx off tso off gso off >/dev/null 2>&1 || true
}

xp_topo_up() {
	xp_topo_down
	# in a subshell so that set -e does not leak into a sourcing script
	( set -e; _xp_topo_build ) || { echo "topology: build failed" >&2; return 1; }
}

_xp_topo_build() {
	local ns l
	for ns in "${XP_NAMESPACES[@]}"; do
		_xp_run ip netns add "$ns"
		_xp_run ip -n "$ns" link set lo up
		# no DAD on the fixed addresses: tests must not wait for it
		_xp_sysctl "$ns" net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
	done
	for l in "${XP_LINKS[@]}"; do
		# shellcheck disable=SC2086
		_xp_veth $l
	done

	# MN: a plain host that configures itself from the MAG's RA. DAD stays
	# on for its interfaces (the normal SLAAC behaviour), with one probe.
	_xp_sysctl "$XP_NS_MN" net.ipv6.conf.all.forwarding=0 net.ipv6.conf.default.forwarding=0 \
		net.ipv6.conf.default.accept_dad=1 net.ipv6.conf.default.dad_transmits=1
	local ifc
	for ifc in mn-if1 mn-if2; do
		_xp_sysctl "$XP_NS_MN" net.ipv6.conf.$ifc.accept_dad=1 net.ipv6.conf.$ifc.dad_transmits=1 \
			net.ipv6.conf.$ifc.forwarding=0 net.ipv6.conf.$ifc.accept_ra=2 \
			net.ipv6.conf.$ifc.autoconf=1 net.ipv6.conf.$ifc.router_solicitations=3 \
			net.ipv6.conf.$ifc.router_solicitation_interval=1
	done
	_xp_run ip -n "$XP_NS_MN" link set mn-if1 address "$XP_MN_MAC1"
	_xp_run ip -n "$XP_NS_MN" link set mn-if2 address "$XP_MN_MAC2"

	# CN
	_xp_run ip -n "$XP_NS_CN" addr add "$XP_ADDR_CN/64" dev cn0 nodad

	# LMA
	_xp_sysctl "$XP_NS_LMA" net.ipv6.conf.all.forwarding=1 net.ipv6.conf.default.forwarding=1
	_xp_run ip -n "$XP_NS_LMA" addr add "$XP_ADDR_LMA/128" dev lo
	_xp_run ip -n "$XP_NS_LMA" addr add "$XP_ADDR_LMA_CN/64" dev lma-cn nodad
	_xp_run ip -n "$XP_NS_LMA" addr add "$XP_ADDR_LMA_M1/64" dev lma-m1 nodad
	_xp_run ip -n "$XP_NS_LMA" addr add "$XP_ADDR_LMA_M2/64" dev lma-m2 nodad

	# MAGs: routers on their access links (the daemon sends the RAs; the
	# kernel must not take RAs from the MN side)
	local mag
	for mag in "$XP_NS_MAG1" "$XP_NS_MAG2"; do
		_xp_sysctl "$mag" net.ipv6.conf.all.forwarding=1 net.ipv6.conf.default.forwarding=1 \
			net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0
	done
	_xp_run ip -n "$XP_NS_MAG1" addr add "$XP_ADDR_MAG1/64" dev m1-lma nodad
	_xp_run ip -n "$XP_NS_MAG2" addr add "$XP_ADDR_MAG2/64" dev m2-lma nodad

	for l in "${XP_LINKS[@]}"; do
		local e
		for e in $l; do
			_xp_link_up "${e%%:*}" "${e#*:}"
		done
	done
	for l in "${XP_LINKS[@]}"; do
		for e in $l; do
			_xp_gro_on "${e%%:*}" "${e#*:}"
		done
	done
	_xp_end_host_offloads "$XP_NS_CN" cn0
	_xp_end_host_offloads "$XP_NS_MN" mn-if1
	_xp_end_host_offloads "$XP_NS_MN" mn-if2
	_xp_run ip netns exec "$XP_NS_LMA" ethtool -K lma-m1 tx off >/dev/null 2>&1 || true
	_xp_run ip netns exec "$XP_NS_LMA" ethtool -K lma-m2 tx off >/dev/null 2>&1 || true

	_xp_run ip -n "$XP_NS_CN" -6 route add "$XP_HNP_POOL" via "$XP_ADDR_LMA_CN"
	_xp_run ip -n "$XP_NS_MAG1" -6 route add "$XP_ADDR_LMA/128" via "$XP_ADDR_LMA_M1"
	_xp_run ip -n "$XP_NS_MAG2" -6 route add "$XP_ADDR_LMA/128" via "$XP_ADDR_LMA_M2"
}

xp_topo_status() {
	local ns
	for ns in "${XP_NAMESPACES[@]}"; do
		if ! ip netns list | awk '{print $1}' | grep -qx "$ns"; then
			echo "== $ns: absent"
			continue
		fi
		echo "== $ns"
		ip -n "$ns" -br link show | grep -v '^lo ' | sed 's/^/   /'
		ip -n "$ns" -6 -br addr show | grep -v '^lo .*::1/128 *$' | sed 's/^/   /'
		ip -n "$ns" -6 route show | grep -v '^fe80::/64\|^multicast\|^local' | sed 's/^/   route /'
		ip -n "$ns" link show | grep -o 'prog/xdp[a-z]* id [0-9]*' | sed 's/^/   /' || true
	done
}

# Executed (not sourced): dispatch the command
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	[[ $EUID -eq 0 ]] || { echo "topology.sh: must run as root" >&2; exit 1; }
	case ${1:-} in
	up)	xp_topo_up && echo "topology up: ${XP_NAMESPACES[*]}" ;;
	down)	xp_topo_down && echo "topology down" ;;
	status)	xp_topo_status ;;
	*)	echo "usage: $0 up|down|status" >&2; exit 2 ;;
	esac
fi
