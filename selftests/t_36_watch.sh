#!/usr/bin/env bash
# t_36_watch: the live view. With the MN attached through MAG1 and the CN
# pinging it at 20 packets/s:
#  - `xpmipctl traffic --json` lists the MN's binding with its MN-ID, BID,
#    Proxy-CoA and per-binding counters that grow with the pings;
#  - `xpmipctl watch --count 3 --interval 1 --json` prints three samples;
#    from the second on, the downlink rate is near 20 pps (10..30), and
#    the byte rate is the packet rate times the echo request's size;
#  - the table form names the columns and shows the MN-ID.
source "$(dirname "$0")/lib/common.sh"
test_begin
write_default_confs

step "attach through MAG1"
attach_via_mag1
warm_path

step "traffic --json"
t0=$(xpctl_json lma traffic ".traffic[] | select(.mn_id == \"$XP_MN_ID\") | .dl_packets")
assert_nonempty "LMA traffic row of $XP_MN_ID" "$t0"
assert_cmd "CN pings the MN 5 times" ns_ping "$XP_NS_CN" "$MN_ADDR" 5
row=$(xpctl_json lma traffic ".traffic[] | select(.mn_id == \"$XP_MN_ID\")")
assert_eq "traffic row peer (MAG1's Proxy-CoA)" "$XP_ADDR_MAG1" "$(jq -r .peer <<<"$row")"
assert_eq "traffic row state" active "$(jq -r .state <<<"$row")"
assert_ge "downlink packets grew by the pings" $((t0 + 5)) "$(jq -r .dl_packets <<<"$row")"
assert_ge "uplink packets (echo replies)" 5 "$(jq -r .ul_packets <<<"$row")"
mrow=$(xpctl_json mag1 traffic ".traffic[] | select(.mn_id == \"$XP_MN_ID\")")
assert_ge "MAG1 downlink packets" 5 "$(jq -r .dl_packets <<<"$mrow")"

step "watch under 20 pps"
bg_start ping ip netns exec "$XP_NS_CN" ping -6 -n -q -i 0.05 -s 56 -w 8 "$MN_ADDR"
sleep 1
xpctl lma watch --count 3 --interval 1 --json >"$TEST_DIR/watch.jsonl" ||
	fail "xpmipctl watch failed: $(cat "$TEST_DIR/watch.jsonl")"
cat "$TEST_DIR/watch.jsonl"
assert_eq "watch samples" 3 "$(wc -l <"$TEST_DIR/watch.jsonl")"
last=$(tail -n 1 "$TEST_DIR/watch.jsonl" | jq -c ".bindings[] | select(.mn_id == \"$XP_MN_ID\")")
pps=$(jq -r '.dl_pps | floor' <<<"$last")
assert_ge "downlink pps (20 sent)" 10 "$pps"
assert_le "downlink pps (20 sent)" 30 "$pps"
# an echo request of 56 data octets is 104 octets of IPv6 (832 bits): the
# counters between the last two samples say so, and the bit rate is the
# packet rate times 832 (within the 0.1 rounding of the printed rates)
prev=$(sed -n 2p "$TEST_DIR/watch.jsonl" | jq -c ".bindings[] | select(.mn_id == \"$XP_MN_ID\")")
per=$(jq -n --argjson a "$prev" --argjson b "$last" '(($b.dl_bytes - $a.dl_bytes) / ($b.dl_packets - $a.dl_packets))')
assert_eq "octets per downlink packet between samples" 104 "$per"
off=$(jq -r '((.dl_bps - .dl_pps * 832) | fabs) * 1000 / .dl_bps | floor' <<<"$last")
assert_le "bit rate vs packet rate x 832 (per mille off)" 10 "$off"
table=$(xpctl lma watch --count 1)
assert_match "watch table header" 'MN-ID +BID +STATE +PEER +DL-PPS +DL-BIT/S' "$table"
assert_match "watch table row" "$XP_MN_ID" "$table"
bg_stop ping
test_end
