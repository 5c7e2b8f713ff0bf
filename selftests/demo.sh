#!/usr/bin/env bash
# selftests/demo.sh - `make demo`: the whole product in two minutes.
#
# Builds the CN / LMA / MAG1 / MAG2 / MN namespaces (deploy/topology.sh),
# starts the LMA and both MAGs, lets the MN (plain Linux, SLAAC) attach
# through MAG1, shows the binding table, runs live traffic (ping and a
# 1000 pps UDP stream, printed as they go), hands the MN over to MAG2 by
# moving its link, shows the binding now at MAG2 and the packets lost,
# prints the user-plane counters, and tears everything down.
#
#   DEMO_KEEP=1 make demo     leave it running, and print how to look at it
set -u
export TEST_NAME=demo
export XP_PIN_ROOT=${XP_PIN_ROOT:-/run/xpmip-demo/bpf}
source "$(dirname "$0")/lib/common.sh"
[[ $EUID -eq 0 ]] || { echo "make demo needs root (network namespaces, XDP)" >&2; exit 1; }
for b in "$XPMIPD" "$XPMIPCTL" "$TOOLS/udp_stream"; do
	[[ -x $b ]] || { echo "demo: $b is missing; run make first" >&2; exit 1; }
done

KEEP=${DEMO_KEEP:-0}
[[ $KEEP == 1 ]] && export XP_KEEP=1
banner() { echo; echo "=== $* ==="; }
show() { echo "\$ $*"; "$@" 2>&1 | sed 's/^/    /'; }

cat <<'EOF'
xpmip demo: Proxy Mobile IPv6 with an XDP user plane

   CN 2001:db8:c::2
    |
   LMA 2001:db8:ff::1 ---- MAG1 2001:db8:a1::2 ---- MN mn-if1 (SLAAC)
                     \---- MAG2 2001:db8:a2::2        (link moves here)
EOF

banner "1. topology (deploy/topology.sh up)"
test_begin
write_default_confs
# The MN's stack sends no Router Solicitation when its link flaps (only
# MLD reports): MAG2 registers the MN when the link comes up.
conf_set "$TEST_DIR/mag2.conf" detect_link_up true
say "pinned maps under $XP_PIN_ROOT, logs and configs in $TEST_DIR"

banner "2. the LMA and both MAGs"
start_lma
start_mag1
start_mag2

banner "3. the MN attaches through MAG1"
mn_attach mn-if1
assert_wait 15 "a binding at the LMA" lma_has_binding
assert_wait 15 "the MN's SLAAC address" mn_has_addr mn-if1
MN_ADDR=$(mn_addr mn-if1)
show "$XPMIPCTL" --instance lma bindings
show ip -n "$XP_NS_MN" -6 addr show dev mn-if1 scope global
show ip -n "$XP_NS_MN" -6 route show default
warm_path

banner "4. live traffic: ping CN -> MN, and 1000 pps UDP CN -> MN for 12 s"
ip netns exec "$XP_NS_CN" ping -6 -n -i 0.5 "$MN_ADDR" > >(sed -u 's/^/    [ping] /') 2>&1 &
XP_BG_PID[ping]=$!
out="$TEST_DIR/udp-demo.json"
ip netns exec "$XP_NS_MN" "$TOOLS/udp_stream" recv --port 5001 --progress --idle-timeout 6 \
	--duration 30 --out "$out" 2> >(sed -u 's/^udp_stream recv: /    [udp]  /') >/dev/null &
XP_BG_PID[udp-recv]=$!
sleep 0.5
ip netns exec "$XP_NS_CN" "$TOOLS/udp_stream" send --dst "$MN_ADDR" --pps 1000 --duration 12 \
	>"$out.send" 2>&1 &
XP_BG_PID[udp-send]=$!
sleep 4

banner "5. handover: the MN's link moves from MAG1 to MAG2"
echo "\$ ip -n $XP_NS_MAG1 link set m1-acc netns $XP_NS_MAG2; ip -n $XP_NS_MAG2 link set m1-acc up"
t_move=$(date +%s%N)
topo_move_mn_link "$XP_NS_MAG1" "$XP_NS_MAG2"
pcoa_is_mag2() { [[ $(lma_binding_pcoa) == "$XP_ADDR_MAG2" ]]; }
if wait_for 10 "the binding at MAG2" pcoa_is_mag2; then
	say "the LMA points at MAG2 $(( ($(date +%s%N) - t_move) / 1000000 )) ms after the move"
fi
bg_wait udp-send
bg_wait udp-recv
bg_stop ping INT
sleep 0.2

banner "6. after the handover"
show "$XPMIPCTL" --instance lma bindings
show ip -n "$XP_NS_MN" -6 addr show dev mn-if1 scope global
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
  build/xpmipctl --instance mag2 detach $XP_MN_MAC1
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
