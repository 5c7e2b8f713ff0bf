#!/usr/bin/env bash
# selftests/demo.sh - `make demo`: the whole product in two minutes.
#
# Builds the CN / LMA / MAG1 / MAG2 / MN namespaces (deploy/topology.sh),
# starts the LMA and both MAGs, lets the MN (plain Linux, SLAAC) attach
# with both interfaces (mn-if1 at MAG1, mn-if2 at MAG2, one shared prefix:
# two bindings), adds a flow rule for a UDP flow, runs live traffic (ping
# and a 1000 pps UDP stream, printed as they go), moves the flow from
# mn-if1 to mn-if2 and back with `xpmipctl flow move`, shows each
# binding's packets and the packets lost, prints the user-plane counters,
# and tears everything down. (The inter-MAG handover of one interface is
# selftests/t_02_handover.sh.)
#
#   DEMO_KEEP=1 make demo     leave it running, and print how to look at it
set -u
export TEST_NAME=demo
export XP_PIN_ROOT=${XP_PIN_ROOT:-/run/xpmip-demo/bpf}
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/flow.sh"
[[ $EUID -eq 0 ]] || { echo "make demo needs root (network namespaces, XDP)" >&2; exit 1; }
for b in "$XPMIPD" "$XPMIPCTL" "$TOOLS/udp_stream"; do
	[[ -x $b ]] || { echo "demo: $b is missing; run make first" >&2; exit 1; }
done

KEEP=${DEMO_KEEP:-0}
[[ $KEEP == 1 ]] && export XP_KEEP=1
banner() { echo; echo "=== $* ==="; }
show() { echo "\$ $*"; "$@" 2>&1 | sed 's/^/    /'; }

cat <<'EOF'
xpmip demo: Proxy Mobile IPv6 with an XDP user plane, and a flow that moves
between the MN's two interfaces (RFC 7864 flow mobility)

   CN 2001:db8:c::2
    |
   LMA 2001:db8:ff::1 ---- MAG1 2001:db8:a1::2 ---- MN mn-if1 (SLAAC)   BID 1
                     \---- MAG2 2001:db8:a2::2 ---- MN mn-if2 (SLAAC)   BID 2
                     (both interfaces share one home network prefix, HI 6)
EOF

banner "1. topology (deploy/topology.sh up)"
# the example configurations as shipped (built-in map capacities)
XP_TEST_MAX_BINDINGS=
test_begin
write_default_confs
# both MAGs' MN profiles: share_prefixes = true, so the MN's second
# interface attaches with Handoff Indicator 6 and gets the same prefix
flow_share_prefixes "$TEST_DIR/mag1.conf" "$TEST_DIR/mag2.conf"
say "pinned maps under $XP_PIN_ROOT, logs and configs in $TEST_DIR"

banner "2. the LMA and both MAGs; the MN attaches mn-if1 at MAG1, then mn-if2 at MAG2"
attach_both
show "$XPMIPCTL" --instance lma bindings
show ip -n "$XP_NS_MN" -6 addr show scope global
warm_path
warm_path "$MN_ADDR2"

banner "3. a flow rule: UDP to port 5002 (\"video\") goes down BID 1 (MAG1)"
show "$XPMIPCTL" --instance lma flow add "$XP_MN_ID" fid 1 pri 10 proto udp dport 5002 bid 1
mn_flow_uplink 5002 mn-if1
show "$XPMIPCTL" --instance lma flow list

banner "4. live traffic: ping CN -> MN, and 1000 pps UDP CN -> MN port 5002 for 9 s"
ip netns exec "$XP_NS_CN" ping -6 -n -i 0.5 "$MN_ADDR" > >(sed -u 's/^/    [ping] /') 2>&1 &
XP_BG_PID[ping]=$!
out="$TEST_DIR/udp-demo.json"
ip netns exec "$XP_NS_MN" "$TOOLS/udp_stream" recv --port 5002 --progress --idle-timeout 6 \
	--duration 30 --out "$out" 2> >(sed -u 's/^udp_stream recv: /    [udp]  /') >/dev/null &
XP_BG_PID[udp-recv]=$!
sleep 0.5
ip netns exec "$XP_NS_CN" "$TOOLS/udp_stream" send --dst "$MN_ADDR" --port 5002 --pps 1000 \
	--duration 9 >"$out.send" 2>&1 &
XP_BG_PID[udp-send]=$!
sleep 3
b1=$(bstat 1 dl_packets); b2=$(bstat 2 dl_packets)
say "per-binding downlink packets so far: BID 1 (MAG1) $b1, BID 2 (MAG2) $b2"

banner "5. the flow moves to mn-if2 (BID 2, MAG2): one command, no signalling, no loss"
show "$XPMIPCTL" --instance lma flow move "$XP_MN_ID" 1 2
mn_flow_uplink 5002 mn-if2
sleep 3
c1=$(bstat 1 dl_packets); c2=$(bstat 2 dl_packets)
say "in the 3 s after the move: BID 1 +$((c1 - b1)), BID 2 +$((c2 - b2)) packets"

banner "6. and back to mn-if1 (BID 1, MAG1)"
show "$XPMIPCTL" --instance lma flow move "$XP_MN_ID" 1 1
mn_flow_uplink 5002 mn-if1
bg_wait udp-send
bg_wait udp-recv
bg_stop ping INT
sleep 0.2
d1=$(bstat 1 dl_packets); d2=$(bstat 2 dl_packets)
say "after moving back: BID 1 +$((d1 - c1)), BID 2 +$((d2 - c2)) packets"
show "$XPMIPCTL" --instance lma binding-stats
if [[ -s $out ]]; then
	echo "UDP stream: sent $(jq -r .sent "$out"), received $(jq -r .unique "$out"), lost $(jq -r .lost "$out"), longest gap $(jq -r .max_gap_ms "$out") ms"
else
	echo "UDP stream: no summary (see $out.send)"
fi

banner "7. user-plane counters"
# the reasons that moved (xpmipctl --instance NAME counters shows them all)
for i in lma mag1 mag2; do
	echo "\$ xpmipctl --instance $i counters   # non-zero rows"
	"$XPMIPCTL" --instance "$i" counters 2>&1 | awk 'NR == 1 || $2 != 0' | sed 's/^/    /'
done

if [[ $KEEP == 1 ]]; then
	# leave the daemons and the namespaces; forget them so the exit trap
	# does not stop them
	pids="${XP_DAEMON_PID[*]}"
	XP_DAEMON_PID=()
	cat <<EOF

=== still running (DEMO_KEEP=1) ===
  build/xpmipctl --instance lma bindings [--json]
  build/xpmipctl --instance lma prefixes | counters | mag-peers
  build/xpmipctl --instance mag2 bindings
  build/xpmipctl --instance lma flow list | binding-stats
  build/xpmipctl --instance lma flow move $XP_MN_ID 1 2
  build/xpmipctl --instance mag2 detach $XP_MN_MAC2
  bpftool map dump pinned $XP_PIN_ROOT/lma/xp_bind_v1
  bpftool map dump pinned $XP_PIN_ROOT/lma/xp_pfx64_v1   # /64 prefixes (others: xp_pfx_v1)
  ip netns exec $XP_NS_MN ping -6 $XP_ADDR_CN
  logs: $TEST_DIR/{lma,mag1,mag2}.log
To stop it:
  kill $pids; deploy/topology.sh down; umount $XP_PIN_ROOT
EOF
	trap - EXIT
	exit 0
fi
banner "8. teardown"
exit 0
