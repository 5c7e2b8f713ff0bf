# shellcheck shell=bash
# selftests/lib/ifp.sh - helpers for the 000_2df5b7e7ec4cafcb.txt tests
# (interface priority, primary HoA): t_20, t_21, t_22. Sourced after
# common.sh. The MN attaches mn-if1 (its primary interface) to MAG1 and
# mn-if2 to MAG2; both MAGs know both MACs.

# ifp_profiles IFP1 IFP2: MAG profiles with the IFPs; mn-if1 carries P
ifp_profiles() {
	local f
	for f in "$TEST_DIR/mag1.conf" "$TEST_DIR/mag2.conf"; do
		sed -i -e "s|\(mac = \"$XP_MN_MAC1\";[^}]*att = 4;\)|\1 ifp = $1; primary = true;|" \
		       -e "s|\(mac = \"$XP_MN_MAC2\";[^}]*att = 4;\)|\1 ifp = $2;|" "$f"
	done
	grep -q "ifp = $1; primary = true;" "$TEST_DIR/mag1.conf" || _fail "ifp_profiles: no MN profile to edit"
}

# LMA policy for the MN: address_model (and optional primary_hoa)
ifp_policy() {	# MODEL [PRIMARY_HOA]
	local extra=""
	[[ -n ${2:-} ]] && extra=" primary_hoa = \"$2\";"
	sed -i "s|{ id = \"$XP_MN_ID\"; allowed = true; hnps_per_interface = 1; }|{ id = \"$XP_MN_ID\"; allowed = true; hnps_per_interface = 1; address_model = \"$1\";$extra }|" \
		"$TEST_DIR/lma.conf"
	grep -q "address_model = \"$1\"" "$TEST_DIR/lma.conf" || _fail "ifp_policy: no MN policy to edit"
}

# mn_attach_both (common.sh), then sets PHOA (the primary HoA: mn-if1's
# SLAAC address) and HOA2 (mn-if2's)
ifp_attach_both() {
	mn_attach_both || return 1
	PHOA=$(mn_addr mn-if1)
	HOA2=$(mn_addr mn-if2)
	say "primary HoA $PHOA (mn-if1), HoA2 $HOA2 (mn-if2)"
}

# The MN helper, HoAs from the interfaces (RA-derived), or with "config"
# from its configuration file (primary_hoa and each interface's hoa)
ifp_start_mn() {	# [config]
	local conf="$TEST_DIR/mn.conf" h1="" h2="" ph=""
	if [[ ${1:-} == config ]]; then
		ph="primary_hoa = \"$PHOA\";"
		h1=" hoa = \"$PHOA\";"
		h2=" hoa = \"$HOA2\";"
	fi
	cat >"$conf" <<EOC
instance = "mn";
log_level = "debug";
mn = {
  $ph
  interfaces = ( { name = "mn-if1"; primary = true;$h1 }, { name = "mn-if2";$h2 } );
};
EOC
	daemon_start mn mn "$XP_NS_MN" "$conf" || return 1
	assert_wait 5 "MN helper has both HoAs" grep -q "if=mn-if2 .*hoa=$HOA2 primary_hoa=$PHOA" "$TEST_DIR/mn.log"
}

# MN route to the CN over one interface (the MN's own choice of uplink).
# Over a non-primary interface the helper adds a 24-octet Destination
# Options header to the primary HoA's packets; a packet that would then
# exceed the interface's MTU (the RA's) is answered by the helper with a
# Packet Too Big to the local stack, so TCP sizes its segments to fit
# without any route MTU here (docs/interface-priority.md).
mn_route_cn() {	# IF
	ip -n "$XP_NS_MN" -6 route replace "$XP_ADDR_CN/128" via fe80::1 dev "$1"
}

# packets in a pcap matching a tcpdump filter
pcap_count() {	# FILE FILTER
	tcpdump -n -r "$1" "$2" 2>/dev/null | wc -l
}
