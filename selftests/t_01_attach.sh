#!/usr/bin/env bash
# t_01_attach: the MN attaches through MAG1 and is a normal IPv6 host.
#  - its SLAAC address (from the MAG's RA) lies inside the HNP the LMA
#    reports for it, and its default router is the MAGs' shared link-local;
#  - ping CN <-> MN both ways; a 10 MB TCP transfer each way arrives intact
#    (sha256); UDP both ways without loss;
#  - the user plane did it: the LMA's DL_FORWARD / UL_FORWARD and MAG1's
#    UL_ENCAP / DL_DELIVER counters moved by at least the packets we sent.
source "$(dirname "$0")/lib/common.sh"
# the example configurations as shipped: built-in map capacities (2^21)
XP_TEST_MAX_BINDINGS=
test_begin
write_default_confs

step "attach through MAG1"
attach_via_mag1
assert_in_prefix "MN address inside the HNP the LMA reports" "$MN_HNP" "$MN_ADDR"
assert_in_prefix "HNP taken from the pool" "$XP_HNP_POOL" "${MN_HNP%/*}"
assert_eq "MN default router (shared RA link-local)" "fe80::1" "$(mn_default_router mn-if1)"
assert_eq "binding Proxy-CoA" "$XP_ADDR_MAG1" "$(lma_binding_pcoa)"
xpctl lma bindings || true

lma_dl0=$(counter lma DL_FORWARD); lma_ul0=$(counter lma UL_FORWARD)
mag_ul0=$(counter mag1 UL_ENCAP);  mag_dl0=$(counter mag1 DL_DELIVER)

step "ping both ways"
assert_cmd "CN pings the MN ($MN_ADDR)" ns_ping "$XP_NS_CN" "$MN_ADDR" 5
assert_cmd "MN pings the CN ($XP_ADDR_CN)" ns_ping "$XP_NS_MN" "$XP_ADDR_CN" 5

step "10 MB TCP each way"
src="$TEST_DIR/10M.bin"
head -c 10M /dev/urandom >"$src"
want=$(sha256sum <"$src" | cut -d' ' -f1)
tcp_copy() {	# SENDER_NS RECEIVER_NS DST_ADDR OUTFILE
	local sns=$1 rns=$2 dst=$3 outf=$4
	rm -f "$outf"
	bg_start tcp-rx ip netns exec "$rns" timeout 40 socat -u \
		TCP6-LISTEN:5201,reuseaddr "OPEN:$outf,creat,trunc" 2>"$outf.log"
	sleep 0.3
	ip netns exec "$sns" timeout 30 socat -u "FILE:$src" "TCP6:[$dst]:5201" 2>>"$outf.log"
	local rc=$?
	bg_wait tcp-rx
	return $rc
}
t0=$(date +%s.%N)
tcp_copy "$XP_NS_CN" "$XP_NS_MN" "$MN_ADDR" "$TEST_DIR/cn-to-mn.bin"
say "CN -> MN: $(stat -c %s "$TEST_DIR/cn-to-mn.bin" 2>/dev/null) octets in $(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN{printf "%.2f", a-b}') s"
assert_eq "CN -> MN 10 MB sha256" "$want" "$(sha256sum <"$TEST_DIR/cn-to-mn.bin" 2>/dev/null | cut -d' ' -f1)"
t0=$(date +%s.%N)
tcp_copy "$XP_NS_MN" "$XP_NS_CN" "$XP_ADDR_CN" "$TEST_DIR/mn-to-cn.bin"
say "MN -> CN: $(stat -c %s "$TEST_DIR/mn-to-cn.bin" 2>/dev/null) octets in $(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN{printf "%.2f", a-b}') s"
assert_eq "MN -> CN 10 MB sha256" "$want" "$(sha256sum <"$TEST_DIR/mn-to-cn.bin" 2>/dev/null | cut -d' ' -f1)"

step "UDP both ways (500 pps, 2 s)"
udp_run "$XP_NS_CN" "$XP_NS_MN" "$MN_ADDR" 500 2 "$TEST_DIR/udp-dl.json"
assert_eq "UDP CN -> MN lost" 0 "$(jq -r .lost "$TEST_DIR/udp-dl.json" 2>/dev/null)"
assert_eq "UDP CN -> MN received" 1000 "$(jq -r .unique "$TEST_DIR/udp-dl.json" 2>/dev/null)"
udp_run "$XP_NS_MN" "$XP_NS_CN" "$XP_ADDR_CN" 500 2 "$TEST_DIR/udp-ul.json"
assert_eq "UDP MN -> CN lost" 0 "$(jq -r .lost "$TEST_DIR/udp-ul.json" 2>/dev/null)"
assert_eq "UDP MN -> CN received" 1000 "$(jq -r .unique "$TEST_DIR/udp-ul.json" 2>/dev/null)"

step "the XDP user plane carried it"
xpctl lma counters || true
xpctl mag1 counters || true
# 10 MB is ~7200 full-size segments; the UDP streams add 1000 each way
assert_ge "LMA DL_FORWARD delta" 8000 $(( $(counter lma DL_FORWARD) - lma_dl0 ))
assert_ge "LMA UL_FORWARD delta" 8000 $(( $(counter lma UL_FORWARD) - lma_ul0 ))
assert_ge "MAG1 UL_ENCAP delta" 8000 $(( $(counter mag1 UL_ENCAP) - mag_ul0 ))
assert_ge "MAG1 DL_DELIVER delta" 8000 $(( $(counter mag1 DL_DELIVER) - mag_dl0 ))
test_end
