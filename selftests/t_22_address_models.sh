#!/usr/bin/env bash
# t_22_address_models: the three address models of 000_2df5b7e7ec4cafcb.txt
# section 5, each chosen per MN by the LMA policy (address_model), between
# the real daemons and the MN's own Linux stack (mn-if1 at MAG1, primary,
# IFP 2; mn-if2 at MAG2, IFP 1; the MN helper xpmipd --role mn).
#   unique-prefix  (5.1): a prefix per interface, an address from each;
#   unique-address (5.2): one prefix shared by both interfaces (the LMA
#       shares the first binding's prefix with the second), an address per
#       interface;
#   shared-address (5.3): one prefix and one address on both interfaces
#       (the MN gives mn-if2 the same interface identifier as mn-if1 with
#       `ip token`, plain Linux).
# For each model we assert
#  - the prefixes and addresses: SLAAC addresses on the MN, the LMA's
#    bindings (HNP per binding) and `xpmipctl prefixes` (distinct prefixes);
#  - downlink to the primary HoA over the highest-IFP interface (mn-if1),
#    none of it on mn-if2 (capture, one ping size per phase);
#  - after the IFP switch (MAG2: mn-if2 to IFP 3) the downlink arrives on
#    mn-if2: with a Type 2 routing header to HoA2 in the unique models,
#    plain to the primary HoA in the shared one; none on mn-if1;
#  - uplink from mn-if2 reaches the CN with the primary HoA as source; on
#    mn-if2 it carries the Primary HoA destination option from HoA2 (unique
#    models) or leaves plain from the primary HoA (shared);
#  - (unique models) full-size pings from the primary HoA over mn-if2 get
#    through: the helper's Packet Too Big lowers the MN's path MTU by 24;
#  - the MN helper takes its HoAs from its configuration file
#    (unique-prefix) or from the RA-derived addresses (the others);
#  - (unique-address) downlink to HoA2 itself, not the primary HoA, while
#    mn-if1 has the higher IFP: it arrives on mn-if2 through MAG2, plain
#    (the LMA's /128 for HoA2, `xpmipctl prefixes`, and mn-if2's
#    per-binding counter), also after a kill -9 + restart of the LMA.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ifp.sh"
source "$(dirname "$0")/lib/flow.sh"	# bstat
test_begin
write_default_confs
ifp_profiles 2 1
cp "$TEST_DIR/lma.conf" "$TEST_DIR/lma.conf.orig"
# three attachments in one test: no Router Solicitation delay, no DAD on
# the MN's two links (nothing else is on them)
for i in mn-if1 mn-if2; do
	ip netns exec "$XP_NS_MN" sysctl -qw "net.ipv6.conf.$i.router_solicitation_delay=0" \
		"net.ipv6.conf.$i.dad_transmits=0"
done

# ping payload sizes: one per phase, told apart by the IPv6 Payload Length
S_DL1=101	# downlink before the switch
S_DL2=102	# downlink after it
S_UL=103	# uplink from mn-if2
S_H2=104	# (unique-address) downlink to HoA2 itself
ICMP_HDR=8
EXT_LEN=24	# the RH2 and the Primary HoA destination option header

# modified EUI-64 interface identifier of a MAC, as an `ip token`
mac_token() {	# MAC
	local -a b
	IFS=: read -r -a b <<<"$1"
	printf '::%x:%x:%x:%x' $(( (0x${b[0]} ^ 2) << 8 | 0x${b[1]} )) $(( 0x${b[2]} << 8 | 0xff )) \
		$(( 0xfe << 8 | 0x${b[3]} )) $(( 0x${b[4]} << 8 | 0x${b[5]} ))
}
seen() { assert_ge "$1" "$2" "$(pcap_count "$3" "$4")"; }	# DESC MIN PCAP FILTER
none() { assert_eq "$1" 0 "$(pcap_count "$2" "$3")"; }		# DESC PCAP FILTER
prefix64() { python3 -c 'import ipaddress,sys; print(ipaddress.ip_network(sys.argv[1] + "/64", strict=False))' "$1"; }
mn_prefixes() { xpctl_json lma prefixes "[.prefixes[] | select(.mn_id == \"$XP_MN_ID\") | .prefix | select(endswith(\"/128\") | not)] | unique | join(\" \")"; }
# the MN's /128s (000 5.2: a non-primary interface's own HoA) as PREFIX:BID
mn_hosts() { xpctl_json lma prefixes "[.prefixes[] | select(.mn_id == \"$XP_MN_ID\" and (.prefix | endswith(\"/128\"))) | \"\\(.prefix):\\(.bid)\"] | unique | join(\" \")"; }
# the BID of the MN's binding at MAG2 (mn-if2)
bid_at_mag2() { lma_bindings_json | jq -r --arg id "$XP_MN_ID" --arg p "$XP_ADDR_MAG2" '[.[] | select(.mn_id == $id and .pcoa == $p) | .bid] | first // empty'; }
mn_hnps() { lma_bindings_json | jq -r --arg id "$XP_MN_ID" '[.[] | select(.mn_id == $id) | .hnp[0]] | sort | join(" ")'; }

run_model() {	# MODEL
	local model=$1 p1 p2 pc1 pc2 pcn
	step "$model: LMA policy, attach mn-if1 (primary, IFP 2) and mn-if2 (IFP 1)"
	cp "$TEST_DIR/lma.conf.orig" "$TEST_DIR/lma.conf"
	ifp_policy "$model"
	if [[ $model == shared-address ]]; then
		ip -n "$XP_NS_MN" token set "$(mac_token "$XP_MN_MAC1")" dev mn-if2
	else
		ip -n "$XP_NS_MN" token set :: dev mn-if2
	fi
	daemon_start lma lma "$XP_NS_LMA" "$TEST_DIR/lma.conf" --flush || return 1
	daemon_start mag1 mag "$XP_NS_MAG1" "$TEST_DIR/mag1.conf" --flush || return 1
	daemon_start mag2 mag "$XP_NS_MAG2" "$TEST_DIR/mag2.conf" --flush || return 1
	# both at once: whichever PBU the LMA takes first gets the prefix the
	# other shares (shared-address); unique-address: mn-if1 first, so that
	# mn-if2's address lies in a prefix the other binding owns
	mn_attach mn-if1
	[[ $model == unique-address ]] && assert_wait 15 "LMA binding for mn-if1" lma_has_binding
	mn_attach mn-if2
	assert_wait 15 "LMA bindings for mn-if1 and mn-if2" two_bindings
	assert_wait 15 "MN SLAAC address on mn-if1" mn_has_addr mn-if1
	assert_wait 15 "MN SLAAC address on mn-if2" mn_has_addr mn-if2
	PHOA=$(mn_addr mn-if1)
	HOA2=$(mn_addr mn-if2)
	say "primary HoA $PHOA (mn-if1), HoA2 $HOA2 (mn-if2)"
	xpctl lma bindings
	xpctl lma prefixes

	step "$model: prefixes and addresses"
	p1=$(prefix64 "$PHOA"); p2=$(prefix64 "$HOA2")
	case $model in
	unique-prefix)
		assert_ne "a prefix per interface" "$p1" "$p2"
		assert_eq "LMA: each binding its own HNP" "$(echo "$p1" "$p2" | tr ' ' '\n' | sort | xargs)" "$(mn_hnps)"
		assert_eq "LMA prefixes: two" 2 "$(wc -w <<<"$(mn_prefixes)")";;
	unique-address)
		assert_eq "one prefix on both interfaces" "$p1" "$p2"
		assert_ne "an address per interface" "$PHOA" "$HOA2"
		assert_eq "LMA: both bindings hold the prefix" "$p1 $p1" "$(mn_hnps)"
		assert_eq "LMA prefixes: one" "$p1" "$(mn_prefixes)"
		B2=$(bid_at_mag2)
		assert_eq "LMA: a /128 for HoA2 through mn-if2's binding" "$HOA2/128:$B2" "$(mn_hosts)";;
	shared-address)
		assert_eq "one address on both interfaces" "$PHOA" "$HOA2"
		assert_eq "LMA: both bindings hold the prefix" "$p1 $p1" "$(mn_hnps)"
		assert_eq "LMA prefixes: one" "$p1" "$(mn_prefixes)";;
	esac
	# the helper's two sources of HoAs: its configuration file (here) or
	# the interfaces' RA-derived addresses (the other models)
	if [[ $model == unique-prefix ]]; then ifp_start_mn config; else ifp_start_mn; fi
	mn_route_cn mn-if1
	capture_start if1 "$XP_NS_MN" mn-if1 --immediate-mode ip6
	capture_start if2 "$XP_NS_MN" mn-if2 --immediate-mode ip6
	capture_start cn "$XP_NS_CN" cn0 --immediate-mode icmp6

	step "$model: downlink to the primary HoA over mn-if1 (IFP 2 > 1)"
	assert_cmd "CN pings the primary HoA" ip netns exec "$XP_NS_CN" ping -6 -n -c 5 -i 0.1 -W 2 \
		-s $S_DL1 "$PHOA"

	if [[ $model == unique-address ]]; then
		local d0
		step "$model: downlink to HoA2 itself: mn-if2 via MAG2, whatever the IFPs"
		d0=$(bstat "$B2" dl_packets)
		assert_cmd "CN pings HoA2" ip netns exec "$XP_NS_CN" ping -6 -n -c 5 -i 0.1 -W 2 \
			-s $S_H2 "$HOA2"
		assert_ge "mn-if2's binding (BID $B2) counted them" $((d0 + 5)) "$(bstat "$B2" dl_packets)"
		daemon_kill9_restart lma lma "$XP_NS_LMA"
		assert_eq "after kill -9 + restart: the same /128" "$HOA2/128:$B2" "$(mn_hosts)"
		d0=$(bstat "$B2" dl_packets)
		assert_cmd "CN pings HoA2 after the restart" ip netns exec "$XP_NS_CN" ping -6 -n -c 5 \
			-i 0.1 -W 2 -s $S_H2 "$HOA2"
		assert_ge "mn-if2's binding counted them" $((d0 + 5)) "$(bstat "$B2" dl_packets)"
	fi

	step "$model: IFP switch, mn-if2 to IFP 3"
	xpctl mag2 priority "$XP_MN_MAC2" 3
	mn_route_cn mn-if2
	sleep 0.5
	assert_cmd "CN pings the primary HoA" ip netns exec "$XP_NS_CN" ping -6 -n -c 5 -i 0.1 -W 2 \
		-s $S_DL2 "$PHOA"

	step "$model: uplink from mn-if2"
	assert_cmd "MN pings the CN from the primary HoA over mn-if2" ip netns exec "$XP_NS_MN" \
		ping -6 -n -c 5 -i 0.1 -W 2 -s $S_UL -I "$PHOA" "$XP_ADDR_CN"
	if [[ $model != shared-address ]]; then
		# a full-size datagram has no room for the option: the helper
		# answers it with a Packet Too Big to the MN's stack, which then
		# fragments to the interface MTU less 24, and the pings get through
		local mtu2 rg
		mtu2=$(ip netns exec "$XP_NS_MN" cat /proc/sys/net/ipv6/conf/mn-if2/mtu)
		ip netns exec "$XP_NS_MN" ping -6 -n -c 4 -i 0.2 -W 2 -s $((mtu2 - 40 - ICMP_HDR)) \
			-I "$PHOA" "$XP_ADDR_CN" >"$TEST_DIR/big.txt" 2>&1
		say "$(tail -n 2 "$TEST_DIR/big.txt")"
		assert_match "the first full-size ping meets the helper's Packet Too Big" \
			"Packet too big: mtu=$((mtu2 - EXT_LEN))" "$(cat "$TEST_DIR/big.txt")"
		assert_ge "the later ones are answered" 2 "$(grep -c "bytes from" "$TEST_DIR/big.txt")"
		rg=$(ip -n "$XP_NS_MN" -6 route get "$XP_ADDR_CN" from "$PHOA")
		assert_match "the MN's path MTU to the CN is mn-if2's less 24" "mtu $((mtu2 - EXT_LEN))" "$rg"
	fi
	# tcpdump may lag behind on a loaded machine and SIGINT drops what it
	# has not read: wait until the last phase's packets are in the files
	local f_ul_cn="ip6[40] == 128 and src host $PHOA and ip6[4:2] == $((ICMP_HDR + S_UL))"
	ul_captured() {
		(( $(pcap_count "$TEST_DIR/cn.pcap" "$f_ul_cn") >= 5 &&
		   $(pcap_count "$TEST_DIR/if2.pcap" "ip6[4:2] >= $((ICMP_HDR + S_UL))") >= 10 ))
	}
	wait_for 5 "the uplink pings in the captures" ul_captured || true
	pc1=$(capture_stop if1); pc2=$(capture_stop if2); pcn=$(capture_stop cn)

	step "$model: on the wire"
	local plain_dl1=$((ICMP_HDR + S_DL1)) plain_dl2=$((ICMP_HDR + S_DL2)) plain_ul=$((ICMP_HDR + S_UL))
	seen "before: echo requests on mn-if1, plain to the primary HoA" 4 "$pc1" \
		"ip6[40] == 128 and dst host $PHOA and ip6[4:2] == $plain_dl1"
	none "before: none on mn-if2" "$pc2" \
		"ip6[4:2] == $plain_dl1 or ip6[4:2] == $((plain_dl1 + EXT_LEN))"
	none "after the switch: none on mn-if1" "$pc1" \
		"ip6[4:2] == $plain_dl2 or ip6[4:2] == $((plain_dl2 + EXT_LEN))"
	if [[ $model == shared-address ]]; then
		seen "after: echo requests on mn-if2, plain to the (shared) primary HoA" 4 "$pc2" \
			"ip6[6] == 58 and ip6[40] == 128 and dst host $PHOA and ip6[4:2] == $plain_dl2"
		seen "uplink on mn-if2: plain, from the primary HoA" 4 "$pc2" \
			"ip6[6] == 58 and ip6[40] == 128 and src host $PHOA and ip6[4:2] == $plain_ul"
	else
		seen "after: echo requests on mn-if2 to HoA2 with a Type 2 routing header" 4 "$pc2" \
			"ip6[6] == 43 and ip6[40+2] == 2 and dst host $HOA2 and ip6[64] == 128 and ip6[4:2] == $((plain_dl2 + EXT_LEN))"
		seen "uplink on mn-if2: from HoA2 with the Primary HoA option" 4 "$pc2" \
			"ip6[6] == 60 and ip6[46] == 0x1e and src host $HOA2 and ip6[64] == 128 and ip6[4:2] == $((plain_ul + EXT_LEN))"
	fi
	seen "uplink at the CN: from the primary HoA, no option" 4 "$pcn" "$f_ul_cn"
	if [[ $model == unique-address ]]; then
		local plain_h2=$((ICMP_HDR + S_H2)) rh2_h2=$((ICMP_HDR + S_H2 + EXT_LEN))
		seen "to HoA2: echo requests on mn-if2, plain (no routing header)" 8 "$pc2" \
			"ip6[6] == 58 and ip6[40] == 128 and dst host $HOA2 and ip6[4:2] == $plain_h2"
		none "to HoA2: none on mn-if1 (its replies leave there)" "$pc1" \
			"dst host $HOA2 and (ip6[4:2] == $plain_h2 or ip6[4:2] == $rh2_h2)"
	fi

	daemon_stop mn; daemon_stop mag1; daemon_stop mag2; daemon_stop lma
	ip -n "$XP_NS_MN" link set mn-if1 down
	ip -n "$XP_NS_MN" link set mn-if2 down
	ip -n "$XP_NS_MN" token set :: dev mn-if2 2>/dev/null || true
}

for m in unique-prefix unique-address shared-address; do
	run_model "$m"
done
test_end
