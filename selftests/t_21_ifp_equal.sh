#!/usr/bin/env bash
# t_21_ifp_equal: 000_2df5b7e7ec4cafcb.txt 5.1 / 6.1, equal interface
# priorities: the LMA sends a copy of each packet for the primary HoA down
# both bindings (XDP passes them to the TC program xp_lma_dup, which clones).
# mn-if1 (primary) and mn-if2 both have IFP 2. The CN pings the primary
# HoA 20 times; we assert
#  - mn-if1 receives the 20 echo requests plain, to the primary HoA;
#  - mn-if2 receives the same 20 with a Type 2 routing header, to HoA2;
#  - the MN answers each copy (the MN helper restored the primary HoA on
#    mn-if2), so the CN sees replies and duplicates;
#  - the LMA counted PASS_DL_DUP and DL_DUP for each;
#  - a TCP bulk transfer (4 MB echoed by the CN, paced at 20 MB/s) from an
#    application bound to the primary HoA completes with every byte
#    intact: GRO on the LMA's ingress merges the CN's segments after XDP
#    passed them, and xp_lma_dup sends those GSO packets down one path
#    (DL_DUP_GSO, counted) instead of leaving them to the stack, which
#    has no route for them.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/ifp.sh"
test_begin
write_default_confs
ifp_profiles 2 2

step "attach mn-if1 and mn-if2, both IFP 2"
ifp_attach_both
ifp_start_mn
mn_route_cn mn-if1
warm_path "$PHOA"

step "CN pings the primary HoA 20 times"
capture_start if1 "$XP_NS_MN" mn-if1 icmp6
capture_start if2 "$XP_NS_MN" mn-if2 ip6
dup0=$(counter lma DL_DUP)
ip netns exec "$XP_NS_CN" ping -6 -n -c 20 -i 0.05 -W 2 "$PHOA" >"$TEST_DIR/ping.txt" 2>&1
say "$(tail -n 2 "$TEST_DIR/ping.txt")"
# tcpdump writes each packet as it reads it (-U) but may lag behind on a
# loaded machine, and SIGINT drops what it has not read yet: wait until
# both files hold the 20 requests (or 5 s) before stopping it
f1_reqs() { pcap_count "$TEST_DIR/if1.pcap" "icmp6 and ip6[40] == 128 and dst host $PHOA"; }
f2_reqs() { pcap_count "$TEST_DIR/if2.pcap" "ip6[6] == 43 and ip6[40+2] == 2 and dst host $HOA2"; }
both_captured() { (( $(f1_reqs) >= 20 && $(f2_reqs) >= 20 )); }
wait_for 5 "the 20 requests in both captures" both_captured || true
p1=$(capture_stop if1)
p2=$(capture_stop if2)

step "both interfaces got a copy"
n1=$(pcap_count "$p1" "icmp6 and ip6[40] == 128 and dst host $PHOA")
n2=$(pcap_count "$p2" "ip6[6] == 43 and ip6[40+2] == 2 and dst host $HOA2 and ip6[40] == 58 and ip6[64] == 128")
say "echo requests: mn-if1 $n1 plain to $PHOA, mn-if2 $n2 with an RH2 to $HOA2"
assert_ge "mn-if1 copies (plain, primary HoA)" 20 "$n1"
assert_ge "mn-if2 copies (RH2, HoA2)" 20 "$n2"
assert_ge "LMA DL_DUP" 20 $(( $(counter lma DL_DUP) - dup0 ))
assert_ge "LMA PASS_DL_DUP" 20 "$(counter lma PASS_DL_DUP)"
replies=$(grep -c "bytes from" "$TEST_DIR/ping.txt")
assert_ge "echo replies at the CN (both copies answered)" 30 "$replies"
check assert_match "ping reports duplicates" "DUP" "$(cat "$TEST_DIR/ping.txt")"

step "TCP bulk under equal IFP: 4 MB at up to 20 MB/s from the primary HoA, echoed by the CN"
head -c 4000000 /dev/urandom >"$TEST_DIR/src.bin"
gso0=$(counter lma DL_DUP_GSO)
bg_start tcp-srv ip netns exec "$XP_NS_CN" "$TOOLS/tcp_echo" server --port 5003 \
	--out "$TEST_DIR/cn.bin" 2>"$TEST_DIR/srv.log"
wait_for 5 "tcp server listening" grep -q listening "$TEST_DIR/srv.log"
ip netns exec "$XP_NS_MN" "$TOOLS/tcp_echo" client --src "$PHOA" --dst "$XP_ADDR_CN" \
	--port 5003 --in "$TEST_DIR/src.bin" --out "$TEST_DIR/echo.bin" --rate 20000000 --timeout 30 \
	>"$TEST_DIR/cli.json" 2>"$TEST_DIR/cli.log"; cli_rc=$?
bg_wait tcp-srv
say "client: $(cat "$TEST_DIR/cli.json") $(cat "$TEST_DIR/cli.log")"
for r in DL_DUP DL_DUP_GSO TC_PASS DROP_HEADROOM PASS_NO_NEIGH PASS_FIB DROP_FIB PTB_SENT; do
	say "LMA $r $(counter lma "$r")"
done
assert_eq "client finished" 0 "$cli_rc"
s_src=$(sha256sum <"$TEST_DIR/src.bin" | cut -d' ' -f1)
assert_eq "sha256 at the CN" "$s_src" "$(sha256sum <"$TEST_DIR/cn.bin" | cut -d' ' -f1)"
assert_eq "sha256 of the echo (downlink)" "$s_src" "$(sha256sum <"$TEST_DIR/echo.bin" | cut -d' ' -f1)"
gso=$(( $(counter lma DL_DUP_GSO) - gso0 ))
say "GSO packets sent down one path: $gso"
assert_gt "LMA DL_DUP_GSO (GRO-merged downlink handled)" 0 "$gso"
test_end
