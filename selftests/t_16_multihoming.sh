#!/usr/bin/env bash
# t_16_multihoming: 004 Multihoming option and MAG-installed filters between
# the real daemons (deploy/examples/mag{1,2}-multihoming.conf).
#  - mn-if1 attaches at MAG1 (filter FID 1: UDP dport 5001), mn-if2 at MAG2
#    (filter FID 2: UDP dport 5002): one session at the LMA (two bindings,
#    one HNP), each filter on its MAG's binding, status 0 back to each MAG;
#    a 5001 and a 5002 stream at once each go only through their own MAG
#    (per-binding counters at the LMA, DL_DELIVER at each MAG);
#  - `xpmipctl filter mod` at MAG2 (dport 5003) rides on a HI 5 renewal: 5003
#    now goes via MAG2, 5002 falls back to the prefix's default path (MAG1);
#  - kill -9 of the LMA and of MAG2 under a 500 pps 5003 stream loses
#    nothing; both rebuild the filters (FID, BID, MHGID, selector) and the
#    session from their pinned maps, and MAG2's next refresh is accepted;
#  - MAG2 removes mn-if2 with ACT keep under a 500 pps 5003 stream: the LMA
#    re-instantiates the filter on MAG1's binding (new FID 65535, 0x80
#    marker), the stream continues via MAG1 losing at most 25 packets (the
#    50 ms between MAG2 tearing down its side and the LMA's switch), and
#    MAG1's next PBA reports the filter;
#  - mn-if2 comes back (its profile filter FID 2 again), then leaves with ACT
#    remove: FID 2 is deleted, not moved; its traffic (5002) is no longer
#    steered and reaches the MN through the prefix's default binding (MAG1);
#  - an LMA restarted with mh_reinstantiation = false answers a keep removal
#    with 191 (MAG1 retries with remove: accepted), and with multihoming =
#    false answers a PBU carrying the option with 190;
#  - tshark decodes every captured PBU/PBA (options 201 and 45 included)
#    without a malformed mark or a warning; xpmipctl decode finds them.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/flow.sh"
test_begin
conf_from_example lma >/dev/null
conf_from_example mag1 mag1-multihoming >/dev/null
conf_from_example mag2 mag2-multihoming >/dev/null
MAC1=02:00:00:00:01:01
MAC2=02:00:00:00:01:02
capture_start lma "$XP_NS_LMA" any "ip6 proto 135"

# the LMA's filter and rejection events (what the assertions below look for)
lma_events() { grep -hE 'event=(filter-|pbu-rejected)' "$TEST_DIR/lma.log"; }
lma_filters() { xpctl_json lma filters "[.filters[] | \"\(.fid):\(.bid):\(.selector)\"] | join(\" \")"; }
mag_filter_state() {	# INSTANCE FID
	xpctl_json "$1" filters ".filters[] | select(.fid == $2) | \"\(.state):\(.status):\(.reinstantiated)\""
}
# stream PORT PPS SECONDS OUT: CN -> MN_ADDR, receiver on the MN
stream_start() {
	bg_start "recv-$1" ip netns exec "$XP_NS_MN" "$TOOLS/udp_stream" recv --port "$1" \
		--idle-timeout 3 --duration $(($3 + 10)) --out "$4" >/dev/null 2>"$4.recv.log"
	wait_for 5 "receiver $1 listening" grep -q listening "$4.recv.log"
	bg_start "send-$1" ip netns exec "$XP_NS_CN" "$TOOLS/udp_stream" send --dst "$MN_ADDR" \
		--port "$1" --pps "$2" --duration "$3"
}
stream_wait() { bg_wait "send-$1"; bg_wait "recv-$1"; }

step "mn-if1 at MAG1, mn-if2 at MAG2: one multihoming session"
attach_both
b1=$(lma_binding_bid 1); b2=$(lma_binding_bid 2)
assert_eq "BID 1 at MAG1" "$XP_ADDR_MAG1" "$(binding_pcoa "$b1")"
assert_eq "BID 2 at MAG2" "$XP_ADDR_MAG2" "$(binding_pcoa "$b2")"
assert_eq "BID 2 registered with HI 1 (004 Figure 3)" 1 "$(jq -r .hi <<<"$b2")"
assert_eq "same HNP, same MHGID: one session" "$MN_HNP" "$(binding_hnp "$b2")"
xpctl lma filters
assert_eq "LMA: each filter on its MAG's binding" \
	"1:1:proto udp dport 5001 2:2:proto udp dport 5002" "$(lma_filters)"
assert_wait 5 "MAG1: filter 1 installed (status 0)" \
	bash -c "[[ \$($XPMIPCTL --instance mag1 filters --json | jq -r '.filters[] | select(.fid == 1) | .state') == installed ]]"
assert_eq "MAG2: filter 2 installed" "installed:0:false" "$(mag_filter_state mag2 2)"
assert_match "LMA log: filter-created with MN-ID, BID, MHGID, FID" \
	"event=filter-created mn=$XP_MN_ID bid=2 mhgid=0 fid=2 " "$(lma_events)"
warm_path
warm_path "$MN_ADDR2"

step "5001 via MAG1 and 5002 via MAG2 at the same time"
dl1=$(bstat 1 dl_packets); dl2=$(bstat 2 dl_packets)
m1=$(counter mag1 DL_DELIVER); m2=$(counter mag2 DL_DELIVER)
stream_start 5001 500 1 "$TEST_DIR/a.json"
stream_start 5002 300 1 "$TEST_DIR/b.json"
stream_wait 5001; stream_wait 5002
a=$(jq -r .unique "$TEST_DIR/a.json"); b=$(jq -r .unique "$TEST_DIR/b.json")
d1=$(( $(bstat 1 dl_packets) - dl1 )); d2=$(( $(bstat 2 dl_packets) - dl2 ))
say "5001: $a received, 5002: $b received; BID 1 +$d1, BID 2 +$d2"
assert_ge "5001 arrived" 495 "$a"
assert_ge "5002 arrived" 295 "$b"
assert_ge "BID 1 (MAG1) carried 5001" "$a" "$d1"
assert_le "BID 1 carried only 5001 (+ a few ND/ping)" $((a + 20)) "$d1"
assert_ge "BID 2 (MAG2) carried 5002" "$b" "$d2"
assert_le "BID 2 carried only 5002" $((b + 20)) "$d2"
assert_ge "MAG1 delivered 5001" $((m1 + a)) "$(counter mag1 DL_DELIVER)"
assert_ge "MAG2 delivered 5002" $((m2 + b)) "$(counter mag2 DL_DELIVER)"

step "MAG2 modifies its filter (dport 5003): a HI 5 renewal carries it"
assert_cmd "filter mod" xpctl mag2 filter mod "$MAC2" fid 2 pri 20 proto udp dport 5003
assert_wait 5 "LMA: filter 2 is dport 5003" \
	bash -c "[[ \$($XPMIPCTL --instance lma filters --json | jq -r '.filters[] | select(.fid == 2) | .selector') == 'proto udp dport 5003' ]]"
assert_match "MAG2 sent a refresh PBU (HI 5)" "kind=refresh-pbu seq=[0-9]+ hi=5" \
	"$(grep 'event=pbu-sent' "$TEST_DIR/mag2.log" | tail -n 1)"
assert_wait 5 "MAG2: status 0 for the modified filter" \
	bash -c "[[ \$($XPMIPCTL --instance mag2 filters --json | jq -r '.filters[] | select(.fid == 2) | .state') == installed ]]"
dl1=$(bstat 1 dl_packets); dl2=$(bstat 2 dl_packets)
stream_start 5003 300 1 "$TEST_DIR/c.json"; stream_wait 5003
d2=$(( $(bstat 2 dl_packets) - dl2 ))
assert_ge "5003 via MAG2 now" 290 "$d2"
dl1=$(bstat 1 dl_packets); dl2=$(bstat 2 dl_packets)
stream_start 5002 300 1 "$TEST_DIR/d.json"; stream_wait 5002
assert_ge "5002 still arrives" 290 "$(jq -r .unique "$TEST_DIR/d.json")"
assert_le "5002 no longer via MAG2" 5 $(( $(bstat 2 dl_packets) - dl2 ))
assert_ge "5002 via the default path (BID 1, MAG1)" 290 $(( $(bstat 1 dl_packets) - dl1 ))

step "kill -9 the LMA and MAG2 under a 500 pps 5003 stream: the filters survive"
# what an operator reads, before and after: every filter at the LMA (FID,
# BID, selector, MHGID, re-instantiated), MAG2's own, the session's bindings
lma_filter_state() {
	xpctl_json lma filters "[.filters[] | \"\(.fid):\(.bid):\(.mhgid):\(.selector):\(.reinstantiated)\"] | sort | join(\" \")"
}
f_lma=$(lma_filter_state); f_mag2=$(mag_filter_state mag2 2)
say "before: LMA $f_lma; MAG2 FID 2 $f_mag2"
dl2=$(bstat 2 dl_packets)
stream_start 5003 500 4 "$TEST_DIR/crash.json"
sleep 0.5
daemon_kill9_restart lma lma "$XP_NS_LMA" || fail "the LMA did not restart"
daemon_kill9_restart mag2 mag "$XP_NS_MAG2" || fail "MAG2 did not restart"
stream_wait 5003
say "stream: $(cat "$TEST_DIR/crash.json")"
assert_eq "5003 lost across both kill -9" 0 "$(jq -r .lost "$TEST_DIR/crash.json")"
assert_ge "5003 still via MAG2 (BID 2) throughout" 1990 $(( $(bstat 2 dl_packets) - dl2 ))
assert_eq "LMA filters after the restart" "$f_lma" "$(lma_filter_state)"
assert_eq "MAG2 filter 2 after the restart" "$f_mag2" "$(mag_filter_state mag2 2)"
assert_eq "still one session: BID 2 at MAG2 on the shared HNP" "$MN_HNP" \
	"$(binding_hnp "$(lma_binding_bid 2)")"
assert_cmd "MAG2 refreshes after its restart" xpctl mag2 refresh "$MAC2"
assert_wait 5 "MAG2: filter 2 still installed after the refresh" \
	bash -c "[[ \$($XPMIPCTL --instance mag2 filters --json | jq -r '.filters[] | select(.fid == 2) | .state') == installed ]]"
assert_eq "LMA filters after the refresh" "$f_lma" "$(lma_filter_state)"

step "MAG2 removes mn-if2 with ACT keep under a 500 pps 5003 stream"
stream_start 5003 500 3 "$TEST_DIR/keep.json"
sleep 1
assert_cmd "detach mn-if2 (keep)" xpctl mag2 detach "$MAC2" --keep-filters
assert_wait 5 "LMA: filter re-instantiated on BID 1" \
	bash -c "[[ \$($XPMIPCTL --instance lma filters --json | jq -r '.filters[] | select(.reinstantiated) | \"\(.fid):\(.bid):\(.selector)\"') == '65535:1:proto udp dport 5003' ]]"
stream_wait 5003
say "stream: $(cat "$TEST_DIR/keep.json")"
assert_ge "5003 received while MAG2 left" 1475 "$(jq -r .unique "$TEST_DIR/keep.json")"
assert_le "lost (bound: 25 = 50 ms at 500 pps)" 25 "$(jq -r .lost "$TEST_DIR/keep.json")"
assert_match "LMA log: filter-reinstantiated" \
	"event=filter-reinstantiated mn=$XP_MN_ID bid=2 mhgid=0 fid=2 to_bid=1 new_fid=65535 " \
	"$(lma_events)"
assert_cmd "MAG1 refreshes (its next exchange)" xpctl mag1 refresh "$MAC1"
assert_wait 5 "MAG1 learnt the re-instantiated filter from its PBA" \
	bash -c "[[ \$($XPMIPCTL --instance mag1 filters --json | jq -r '.filters[] | select(.fid == 65535) | \"\(.reinstantiated):\(.selector)\"') == 'true:proto udp dport 5003' ]]"
xpctl mag1 filters

step "mn-if2 back at MAG2 (FID 2, dport 5002), then removed with ACT remove"
mn_attach mn-if2
assert_wait 15 "a second binding again" two_bindings
assert_wait 5 "LMA: FID 2 on BID 2 again" \
	bash -c "[[ \$($XPMIPCTL --instance lma filters --json | jq -r '.filters[] | select(.fid == 2) | .bid') == 2 ]]"
assert_cmd "detach mn-if2 (remove)" xpctl mag2 detach "$MAC2" --remove-filters
assert_wait 5 "LMA: FID 2 deleted, not moved" \
	bash -c "[[ \$($XPMIPCTL --instance lma filters --json | jq -r '[.filters[].fid] | join(\",\")') == '1,65535' ]]"
assert_match "LMA log: filter-removed" "event=filter-removed mn=$XP_MN_ID bid=2 mhgid=0 fid=2 reason=dereg-remove" \
	"$(lma_events)"
dl1=$(bstat 1 dl_packets)
stream_start 5002 300 1 "$TEST_DIR/e.json"; stream_wait 5002
assert_ge "5002 reaches the MN by the default binding (MAG1)" 290 "$(jq -r .unique "$TEST_DIR/e.json")"
assert_ge "... counted on BID 1" 290 $(( $(bstat 1 dl_packets) - dl1 ))

step "LMA with mh_reinstantiation = false: 191, the MAG leaves with remove"
daemon_stop lma
conf_set "$TEST_DIR/lma.conf" mh_reinstantiation false
start_lma
assert_cmd "detach mn-if1 (keep)" xpctl mag1 detach "$MAC1" --keep-filters
assert_wait 5 "MAG1 de-registered" bash -c "[[ \$($XPMIPCTL --instance mag1 bindings --json | jq .count) == 0 ]]"
assert_match "LMA answered 191" "event=pbu-rejected mn=$XP_MN_ID bid=1 .*status=191\(MH_FILTERS_REINSTANCIATION_NOT_SUPPORTED_BY_LMA\)" \
	"$(lma_events)"
assert_match "MAG1 retried with remove" "event=dereg-keep-refused .*status=191" "$(grep -h event=dereg-keep-refused "$TEST_DIR/mag1.log")"
assert_match "LMA: filter 1 removed" "event=filter-removed mn=$XP_MN_ID bid=1 mhgid=0 fid=1 reason=dereg-remove" \
	"$(lma_events)"

step "LMA with multihoming = false: 190"
daemon_stop lma
conf_set "$TEST_DIR/lma.conf" multihoming false
start_lma
mn_attach mn-if2
assert_wait 10 "MAG2 rejected with 190" grep -q "status=190(MH_NOT_SUPPORTED_BY_LMA)" "$TEST_DIR/mag2.log"
assert_match "LMA answered 190" "event=pbu-rejected mn=$XP_MN_ID .*status=190\(MH_NOT_SUPPORTED_BY_LMA\)" \
	"$(lma_events)"
sleep 1	# tcpdump writes what it has read
pcap=$(capture_stop lma)

step "tshark: every PBU/PBA (options 201, 45) without malformed or warning"
bad=$(tshark -r "$pcap" -Y '_ws.malformed || _ws.expert.severity >= "Warning"' 2>/dev/null)
assert_eq "malformed or expert >= warning" "" "$bad"
# the Mobility Header octets (capture on "any": a 20-octet Linux cooked v2
# header, then IPv6 without extension headers)
MH_HEX_OFF=$(( (20 + 40) * 2 ))
summary=""
while read -r hex; do
	[[ -n $hex ]] || continue
	js=$("$XPMIPCTL" decode --json "$hex" 2>&1) || fail "xpmipctl decode failed on $hex: $js"
	summary+=$(jq -r '[.type, (.ba.status // "-"), (.options.multihoming.act // "-"),
		([.options.flow_id[]? | "\(.fid)/\(.status)\(if .reinstantiated then "R" else "" end)"] | join(","))]
		| map(tostring) | join(":")' <<<"$js")" "
done < <(tshark -r "$pcap" -Y 'ipv6.nxt == 135' -T json -x 2>/dev/null |
	jq -r --argjson off "$MH_HEX_OFF" '.[]._source.layers.frame_raw[0][$off:]')
say "decoded: $summary"
assert_ge "PBUs and PBAs captured" 12 "$(wc -w <<<"$summary")"
assert_match "PBU with option 201 and FID 1" "(^| )5:-:0:1/0( |,)" "$summary"
assert_match "PBA 0 with FID 2 status 0" " 6:0:0:2/0 " "$summary"
assert_match "PBA reporting the re-instantiated FID 65535" " 6:0:0:[^ ]*65535/0R" "$summary"
assert_match "de-registration PBUs with ACT keep (2) and remove (1)" " 5:-:2: .* 5:-:1: " "$summary"
assert_match "PBA 191 and 190" " 6:191:.* 6:190:" "$summary"
test_end
