# shellcheck shell=bash
# selftests/lib/topology.sh - sourced by the scenarios (through common.sh).
# The namespaces, links and addresses are built by deploy/topology.sh (the
# one place that knows them); this file adds what a test run needs around
# them: a bpffs for the daemons' pinned maps that is visible from inside
# `ip netns exec` (which remounts /sys), and helpers to move the MN's link.

# shellcheck source=../../deploy/topology.sh
source "$XP_ROOT/deploy/topology.sh"

# bpffs outside /sys in the root mount namespace: `ip netns exec` remounts
# /sys, hiding /sys/fs/bpf, but /run stays shared.
XP_PIN_ROOT=${XP_PIN_ROOT:-/run/xpmip-test/bpf}

topo_bpffs_mount() {
	mkdir -p "$XP_PIN_ROOT"
	mountpoint -q "$XP_PIN_ROOT" || mount -t bpf bpf "$XP_PIN_ROOT"
}

topo_bpffs_umount() {
	if mountpoint -q "$XP_PIN_ROOT" 2>/dev/null; then
		umount "$XP_PIN_ROOT" 2>/dev/null || umount -l "$XP_PIN_ROOT"
	fi
	rmdir "$XP_PIN_ROOT" 2>/dev/null || true
}

# Build the topology for one test. The MN's interfaces are left down: a
# test attaches the MN (mn_attach) once its daemons run, so that the MN's
# Router Solicitations reach a MAG that is listening, and only once (RSs
# sent at topology time would otherwise register the MN before the test
# attaches it). XP_MN_UP=1 leaves them up.
topo_setup() {
	xp_topo_up || return 1
	if [[ ${XP_MN_UP:-0} != 1 ]]; then
		ip -n "$XP_NS_MN" link set mn-if1 down
		ip -n "$XP_NS_MN" link set mn-if2 down
	fi
	topo_bpffs_mount
}

topo_teardown() {
	xp_topo_down
	topo_bpffs_umount
}

# Inter-access handover: the MAG side of the MN's first link moves from MAG1
# to MAG2 (the MN sees its link go down and up, nothing else).
topo_move_mn_link() {	# from_ns to_ns [ifname]
	local from=$1 to=$2 ifc=${3:-m1-acc}
	ip -n "$from" link set "$ifc" netns "$to" || return 1
	ip -n "$to" link set "$ifc" up
	ip netns exec "$to" ethtool -K "$ifc" gro on >/dev/null 2>&1 || true
}

# MAC address of an interface in a namespace
topo_mac() {	# ns ifname
	ip -n "$1" -j link show dev "$2" | jq -r '.[0].address'
}
