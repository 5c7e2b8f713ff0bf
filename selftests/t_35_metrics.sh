#!/usr/bin/env bash
# t_35_metrics: the Prometheus exposition. With metrics_listen set, the LMA
# and MAG1 serve /metrics over HTTP inside their namespaces; after the MN
# registers through MAG1 and the CN pings it, a scrape shows what an
# operator would graph:
#  - xpmip_info with role and instance, and the Content-Type of format 0.0.4;
#  - bindings by state (LMA: 1 active; MAG1: 1 bound);
#  - signalling by type and status (LMA: PBU received, PBA 0 sent; MAG1: PBU
#    sent, PBA 0 received);
#  - per-reason packet counters (LMA DL_FORWARD, MAG DL_DELIVER) and the
#    MN's per-binding downlink packets, each at least the pings sent;
#  - `xpmipctl metrics` prints the same families over the control socket;
#  - an unknown path is 404, a non-GET 405.
source "$(dirname "$0")/lib/common.sh"
test_begin
write_default_confs
for c in lma mag1; do
	sed -i 's|^# metrics_listen = .*|metrics_listen = "127.0.0.1:9477";|' "$TEST_DIR/$c.conf"
	grep -q '^metrics_listen' "$TEST_DIR/$c.conf" || fail "no metrics_listen line in $c.conf"
done

step "attach through MAG1, 10 pings CN -> MN"
attach_via_mag1
warm_path
assert_cmd "CN pings the MN" ns_ping "$XP_NS_CN" "$MN_ADDR" 10

scrape() {	# NS [PATH]: the body of http://127.0.0.1:9477PATH
	ip netns exec "$1" curl -sS --max-time 5 "http://127.0.0.1:9477${2:-/metrics}"
}
# value of the first sample whose line starts with the given series text
series() {	# BODY SERIES-PREFIX
	awk -v p="$2" 'index($0, p) == 1 { print $NF; exit }' <<<"$1"
}

step "scrape the LMA"
hdr=$(ip netns exec "$XP_NS_LMA" curl -sS --max-time 5 -o /dev/null -D - http://127.0.0.1:9477/metrics)
assert_match "LMA Content-Type" 'Content-Type: text/plain; version=0\.0\.4' "$hdr"
lma=$(scrape "$XP_NS_LMA") || fail "scrape of the LMA failed"
echo "$lma" >"$TEST_DIR/lma.metrics"
assert_eq "xpmip_info (LMA)" 1 "$(series "$lma" 'xpmip_info{version=')"
assert_match "xpmip_info labels" 'role="lma",instance="lma"' "$(grep '^xpmip_info' <<<"$lma")"
assert_eq "LMA active bindings" 1 "$(series "$lma" 'xpmip_bindings{state="active"}')"
assert_ge "LMA PBUs received" 1 "$(series "$lma" 'xpmip_mh_messages_total{direction="rx",type="pbu"}')"
assert_ge "LMA PBA status 0 sent" 1 \
	"$(series "$lma" 'xpmip_mh_ack_status_total{direction="tx",type="pba",status="0",name="ACCEPTED"}')"
assert_ge "LMA DL_FORWARD packets" 10 "$(series "$lma" 'xpmip_packets_total{reason="DL_FORWARD"}')"
bid=$(jq -r '.bid' <<<"$(lma_binding)")
assert_ge "LMA per-binding downlink packets of $XP_MN_ID" 10 \
	"$(series "$lma" "xpmip_binding_packets_total{mn=\"$XP_MN_ID\",bid=\"$bid\",direction=\"dl\"}")"
assert_ge "LMA per-binding downlink bytes (10 x 104-octet echo requests)" 1040 \
	"$(series "$lma" "xpmip_binding_bytes_total{mn=\"$XP_MN_ID\",bid=\"$bid\",direction=\"dl\"}")"
assert_ge "LMA accepted-PBU events" 1 "$(series "$lma" 'xpmip_lma_events_total{event="accepted"}')"
# every sample line is "name{labels} integer" (what a scraper parses)
bad=$(grep -v '^#' <<<"$lma" | grep -Evc '^[a-z_]+(\{[^}]*\})? [0-9]+$')
assert_eq "malformed sample lines in the LMA exposition" 0 "$bad"

step "scrape MAG1"
mag=$(scrape "$XP_NS_MAG1") || fail "scrape of MAG1 failed"
echo "$mag" >"$TEST_DIR/mag1.metrics"
assert_eq "MAG1 bound bindings" 1 "$(series "$mag" 'xpmip_bindings{state="bound"}')"
assert_ge "MAG1 PBUs sent" 1 "$(series "$mag" 'xpmip_mh_messages_total{direction="tx",type="pbu"}')"
assert_ge "MAG1 PBA status 0 received" 1 \
	"$(series "$mag" 'xpmip_mh_ack_status_total{direction="rx",type="pba",status="0",name="ACCEPTED"}')"
assert_ge "MAG1 DL_DELIVER packets" 10 "$(series "$mag" 'xpmip_packets_total{reason="DL_DELIVER"}')"

step "xpmipctl metrics: same families over the control socket"
ctl=$(xpctl lma metrics) || fail "xpmipctl metrics failed"
for fam in xpmip_info xpmip_bindings xpmip_mh_messages_total xpmip_mh_ack_status_total \
	xpmip_packets_total xpmip_binding_packets_total xpmip_binding_bytes_total; do
	assert_match "xpmipctl metrics has # TYPE $fam" "# TYPE $fam " "$(grep "^# TYPE $fam " <<<"$ctl")"
done

step "HTTP errors"
code() { ip netns exec "$XP_NS_LMA" curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"; }
assert_eq "GET /nope" 404 "$(code http://127.0.0.1:9477/nope)"
assert_eq "POST /metrics" 405 "$(code -X POST http://127.0.0.1:9477/metrics)"
# a client that connects and says nothing does not block the daemon: it
# stays connected (one process holding the socket) until both answers are in,
# then is stopped (it used to sleep a fixed 4 s, which the test then waited out)
ip netns exec "$XP_NS_LMA" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9477 && exec sleep 60' &
idle=$!
sleep 0.3
assert_cmd "the silent HTTP client is connected" kill -0 "$idle"
assert_cmd "control socket answers while a silent HTTP client is connected" xpctl lma version
assert_cmd "scrape answers while a silent HTTP client is connected" scrape "$XP_NS_LMA"
assert_cmd "the silent HTTP client was connected throughout" kill -0 "$idle"
kill "$idle" 2>/dev/null
wait "$idle" 2>/dev/null
test_end
