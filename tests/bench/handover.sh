#!/usr/bin/env bash
# tests/bench/handover.sh - issue 4, section 4: handover interruption.
#
# A 10k pps UDP stream CN -> MN (build/tools/udp_stream, 64-octet payload,
# sequence numbers; the receiver reports packets lost and the longest time
# between two arrivals), across:
#  - inter-access handover MAG1 -> MAG2, the t_02 mechanism: the MAG side of
#    the MN's link (m1-acc) moves from MAG1's namespace to MAG2's; MAG2
#    registers the MN on link-up (detect_link_up); a fresh topology and
#    fresh daemons for each repetition;
#  - daemon restart: kill -9 the LMA, start it again at once (same config,
#    same pinned maps); then the same for MAG1. One topology for all of
#    them; the user plane keeps forwarding from the pinned maps and the
#    attached XDP programs, so the expectation is 0 lost;
#  - with both of the MN's interfaces attached (mn-if1 at MAG1, mn-if2 at
#    MAG2; one topology per kind, the repetitions alternate direction):
#    flow move (RFC 7864, `xpmipctl flow move`, as t_10), IFP switch (000,
#    `xpmipctl priority` at MAG2, as t_20, with the MN helper), partial flow
#    handover (001 PFHO, `xpmipctl handover MAC PREFIX`, as t_25). The
#    expectation is 0 lost: the old path stays up.
# Each REPS times (default 3). Namespaces xpb-* (tests/bench/lib.sh).
#
#   tests/bench/handover.sh            (make bench runs it)
#   REPS=3 RESTART_REPS=2 PPS=10000 STREAM_S=5 EVENT_AT_S=1.5 tests/bench/handover.sh
# Output: build/bench/results/handover.json (JSON lines),
#         build/bench/results/handover.md (table, commands, what is compared)
set -u
cd "$(dirname "$0")/../.."
BENCH=handover
# shellcheck source=lib.sh
source tests/bench/lib.sh
REPS=${REPS:-3}
RESTART_REPS=${RESTART_REPS:-$REPS}	# restarts lose nothing: fewer repetitions do
PPS=${PPS:-10000}
STREAM_S=${STREAM_S:-6}
EVENT_AT_S=${EVENT_AT_S:-2}
JSON="$RESULTS/handover.json"
MD="$RESULTS/handover.md"

bench_begin
rm -f "$MD"
: >"$JSON"

udp6_rcvbuf_errors() { ip netns exec "$XP_NS_MN" awk '$1 == "Udp6RcvbufErrors" {print $2}' /proc/net/snmp6; }
stream_start() {	# tag [dst]: receiver in the MN, sender in the CN (background)
	local dst=${2:-$MN_ADDR}
	local out="$TEST_DIR/udp-$1.json"
	rm -f "$out"
	RB0=$(udp6_rcvbuf_errors)
	RX0=$(ifstat "$XP_NS_MN" mn-if1 rx_packets)
	bg_start udp-recv ip netns exec "$XP_NS_MN" "$TOOLS/udp_stream" recv --port 5001 \
		--idle-timeout 5 --duration $((STREAM_S + 20)) --out "$out" >/dev/null 2>"$out.recv.log"
	wait_for 5 "udp receiver listening" grep -q listening "$out.recv.log" || return 1
	bg_start udp-send ip netns exec "$XP_NS_CN" "$TOOLS/udp_stream" send --dst "$dst" \
		--port 5001 --pps "$PPS" --duration "$STREAM_S" >"$out.send" 2>&1
}
stream_wait() { bg_wait udp-send; bg_wait udp-recv; }	# in the main shell (wait)
stream_json() {	# tag scenario rep event_ms binding_ok: one JSON line
	local out="$TEST_DIR/udp-$1.json" rb rx
	rb=$(( $(udp6_rcvbuf_errors) - RB0 ))
	rx=$(( $(ifstat "$XP_NS_MN" mn-if1 rx_packets) - RX0 ))	# mn-if1 only
	jq -c --arg s "$2" --argjson rep "$3" --argjson ev "${4:-null}" --argjson ok "$5" --argjson pps "$PPS" \
		--argjson rb "$rb" --argjson rx "$rx" \
		'{bench: "handover", scenario: $s, rep: $rep, pps: $pps, sent, unique, lost, max_gap_ms,
		  event_ms: $ev, binding_ok: $ok, end_seen, mn_if_rx_packets: $rx, mn_udp6_rcvbuf_errors: $rb}' \
		"$out" 2>/dev/null ||
		jq -nc --arg s "$2" --argjson rep "$3" \
		'{bench: "handover", scenario: $s, rep: $rep, error: "no receiver summary"}'
}
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# ---- inter-access handover MAG1 -> MAG2, fresh topology each time ----
pcoa_is_mag2() { [[ $(b_pcoa) == "$XP_ADDR_MAG2" ]]; }
for ((rep = 1; rep <= REPS; rep++)); do
	step "inter-access handover MAG1 -> MAG2, repetition $rep"
	bench_topo_up
	bench_attach_mag1 mag2 || { echo "handover: the MN did not attach; logs in $TEST_DIR" >&2; exit 1; }
	warm_path
	stream_start "ho$rep" || exit 1
	sleep "$EVENT_AT_S"
	t=$(date +%s%N)
	topo_move_mn_link "$XP_NS_MAG1" "$XP_NS_MAG2"
	ev=null ok=false
	if wait_for 10 "binding at MAG2" pcoa_is_mag2; then ev=$(ms_since "$t") ok=true; fi
	stream_wait
	stream_json "ho$rep" "inter-access handover MAG1 -> MAG2" "$rep" "$ev" "$ok" | tee -a "$JSON"
done

# ---- daemon restarts: one topology ----
step "daemon restarts"
bench_topo_up
bench_attach_mag1 || { echo "handover: the MN did not attach; logs in $TEST_DIR" >&2; exit 1; }
warm_path
restart() {	# instance role ns
	local name=$1 pid=${XP_DAEMON_PID[$1]}
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	unset "XP_DAEMON_PID[$name]"
	daemon_start "$name" "$2" "$3" "$TEST_DIR/$name.conf" --log-level info
}
pcoa_is_mag1() { [[ $(b_pcoa) == "$XP_ADDR_MAG1" ]]; }
for who in lma mag1; do
	case $who in
	lma)  inst=$B_LMA role=lma ns=$XP_NS_LMA label="LMA restart (kill -9, start again)" ;;
	mag1) inst=$B_MAG1 role=mag ns=$XP_NS_MAG1 label="MAG1 restart (kill -9, start again)" ;;
	esac
	for ((rep = 1; rep <= RESTART_REPS; rep++)); do
		step "$label, repetition $rep"
		stream_start "$who$rep" || exit 1
		sleep "$EVENT_AT_S"
		t=$(date +%s%N)
		ev=null ok=false
		if restart "$inst" "$role" "$ns"; then ev=$(ms_since "$t"); fi
		pcoa_is_mag1 && ok=true
		stream_wait
		stream_json "$who$rep" "$label" "$rep" "$ev" "$ok" | tee -a "$JSON"
	done
done

# ---- both interfaces attached: flow move, IFP switch, PFHO ----
# The selftests' helpers drive these (instances lma, mag1, mag2 in the
# xpb-* namespaces; the selftests' lock is held, so no selftest uses them)
source selftests/lib/flow.sh
source selftests/lib/ifp.sh
source selftests/lib/twolevel.sh
both_topo() {	# fresh namespaces, no daemons
	local name
	for name in "${!XP_DAEMON_PID[@]}"; do daemon_stop "$name" >/dev/null 2>&1; done
	topo_teardown >/dev/null 2>&1
	topo_setup || { echo "handover: topology setup failed" >&2; exit 1; }
	write_default_confs
	local c
	for c in lma mag1 mag2; do
		sed -i 's|^\([[:space:]]*log_level[[:space:]]*=\).*|\1 "info";|' "$TEST_DIR/$c.conf"
	done
}
both_event() {	# tag label rep dst cmd...: stream to dst, cmd at EVENT_AT_S
	local tag=$1 label=$2 rep=$3 dst=$4 ev=null ok=false; shift 4
	stream_start "$tag" "$dst" || exit 1
	sleep "$EVENT_AT_S"
	t=$(date +%s%N)
	if "$@" >>"$TEST_DIR/events.log" 2>&1; then ev=$(ms_since "$t") ok=true; fi
	stream_wait
	stream_json "$tag" "$label" "$rep" "$ev" "$ok" | tee -a "$JSON"
}

step "flow move: topology, both interfaces sharing the prefix (HI 6)"
both_topo
flow_share_prefixes "$TEST_DIR/mag1.conf" "$TEST_DIR/mag2.conf"
attach_both
warm_path; warm_path "$MN_ADDR2"
xpctl lma flow add "$XP_MN_ID" fid 1 pri 10 proto udp dport 5001 bid 1 || exit 1
for ((rep = 1; rep <= REPS; rep++)); do
	to=$(( rep % 2 ? 2 : 1 ))
	step "flow move to BID $to, repetition $rep"
	both_event "fm$rep" "flow move (xpmipctl flow move, BID 1 <-> 2)" "$rep" "$MN_ADDR" \
		xpctl lma flow move "$XP_MN_ID" 1 "$to"
done

step "IFP switch: topology, mn-if1 primary (IFP 2) at MAG1, mn-if2 (IFP 1) at MAG2"
both_topo
ifp_profiles 2 1
ifp_attach_both
ifp_start_mn
mn_route_cn mn-if1
warm_path "$PHOA"
for ((rep = 1; rep <= REPS; rep++)); do
	ifp=$(( rep % 2 ? 3 : 1 ))
	step "IFP of mn-if2 to $ifp, repetition $rep"
	both_event "ifp$rep" "IFP switch (xpmipctl priority at MAG2, IF2 IFP 1 <-> 3)" "$rep" "$PHOA" \
		xpctl mag2 priority "$XP_MN_MAC2" "$ifp"
done

step "PFHO: topology, 2-level prefixes, both interfaces attached"
both_topo
tl_confs
sed -i 's|^\([[:space:]]*log_level[[:space:]]*=\).*|\1 "info";|' "$TEST_DIR"/{lma,mag1,mag2}.conf
start_lma; start_mag1; start_mag2
mn_attach mn-if1
mn_attach mn-if2
three_on() { (( $(tl_n_addrs "$1") >= 3 )); }
assert_wait 20 "three addresses on mn-if1" three_on mn-if1
assert_wait 20 "three addresses on mn-if2" three_on mn-if2
mapfile -t T1 < <(tl_l2_of mag1 "$XP_MN_MAC1")
mapfile -t T2 < <(tl_l2_of mag2 "$XP_MN_MAC2")
# repetition 1: HNP_1_2(T) to if2; 2: HNP_1_1(T) to if2; 3: HNP_2_2(T) to if1
PF_PFX=("${T1[1]}" "${T1[0]}" "${T2[1]}")
PF_ADDR=("$(tl_mn_addr_in mn-if1 "${T1[1]}")" "$(tl_mn_addr_in mn-if1 "${T1[0]}")" \
	 "$(tl_mn_addr_in mn-if2 "${T2[1]}")")
PF_CMD=("mag2 handover $XP_MN_MAC2" "mag2 handover $XP_MN_MAC2" "mag1 handover $XP_MN_MAC1")
for a in "${PF_ADDR[@]}"; do warm_path "$a"; done
for ((rep = 1; rep <= REPS && rep <= 3; rep++)); do
	step "PFHO of ${PF_PFX[rep - 1]}, repetition $rep"
	# shellcheck disable=SC2086
	both_event "pfho$rep" "partial flow handover (001 PFHO, xpmipctl handover MAC PREFIX)" "$rep" \
		"${PF_ADDR[rep - 1]}" xpctl ${PF_CMD[rep - 1]} "${PF_PFX[rep - 1]}"
done
# ---- the markdown fragment (also at exit: a scenario that fails ends the
# script, and the ones measured before it are still reported) ----
write_md() {
{
	echo "Command: \`tests/bench/handover.sh\` (inside \`make bench\`; REPS=$REPS, RESTART_REPS=$RESTART_REPS, PPS=$PPS,"
	echo "STREAM_S=$STREAM_S, EVENT_AT_S=$EVENT_AT_S). A ${PPS} pps UDP stream CN -> MN"
	echo "(\`udp_stream send --dst MN --pps $PPS --duration $STREAM_S\` in the CN,"
	echo "\`udp_stream recv\` in the MN: lost = sent - unique received, gap = the longest"
	echo "time between two arrivals), the event $EVENT_AT_S s into the stream."
	echo "Inter-access handover: m1-acc (the MAG side of the MN's link) moves from MAG1's"
	echo "namespace to MAG2's, MAG2 registers the MN on link-up (\`detect_link_up = true\`),"
	echo "as in selftests/t_02_handover.sh; a fresh topology and fresh daemons each time;"
	echo "\"event ms\" is when the LMA reported the binding at MAG2 (polled every 0.2 s)."
	echo "Restart: \`kill -9\` of the daemon and an immediate start with the same config"
	echo "(pinned maps and attached XDP programs stay); \"event ms\" is until its control"
	echo "socket answers again; \"binding\" = the LMA still has the MN at MAG1 afterwards."
	echo "Both interfaces attached (one topology per kind, mn-if1 at MAG1 and mn-if2 at"
	echo "MAG2; \"event ms\" is how long the command took, \"binding\" that it succeeded):"
	echo "flow move: HI 6 shared prefix, flow 1 = UDP to port 5001, moved between BID 1"
	echo "and BID 2 (\`xpmipctl flow move MN 1 BID\`, alternating), stream to mn-if1's"
	echo "address (t_10); IFP switch: mn-if1 primary with IFP 2, mn-if2 IFP 1, the MN"
	echo "helper running, stream to the primary HoA, \`xpmipctl priority MAC2 3\` then back"
	echo "to 1 (t_20); PFHO: 2-level prefixes, stream to the MN's address in a level-2"
	echo "/64 that \`xpmipctl handover MAC PREFIX\` moves to the other interface (HNP_1_2,"
	echo "HNP_1_1 to mn-if2, then HNP_2_2 to mn-if1; t_25)."
	echo "Daemons at log level info; the namespaces are the selftests' topology (xpb-*)."
	echo
	echo "| scenario | runs | lost median | lost min-max | longest gap ms median | gap min-max | event ms median | binding kept |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|"
	jq -r '.scenario' "$JSON" | awk '!s[$0]++' | while read -r sc; do
		n=$(jq -r --arg s "$sc" 'select(.scenario == $s) | .rep' "$JSON" | wc -l)
		read -r lm llo lhi <<<"$(jq -r --arg s "$sc" 'select(.scenario == $s) | .lost // empty' "$JSON" | mmm)"
		read -r gm glo ghi <<<"$(jq -r --arg s "$sc" 'select(.scenario == $s) | .max_gap_ms // empty' "$JSON" | mmm)"
		read -r em _ _ <<<"$(jq -r --arg s "$sc" 'select(.scenario == $s) | .event_ms // empty' "$JSON" | mmm)"
		okn=$(jq -r --arg s "$sc" 'select(.scenario == $s and .binding_ok == true) | .rep' "$JSON" | wc -l)
		echo "| $sc | $n | $lm | $llo-$lhi | $gm | $glo-$ghi | $em | $okn/$n |"
	done
	echo
	echo "Every run (lost, longest gap ms, sent):"
	echo
	jq -r '"- \(.scenario) #\(.rep): lost \(.lost // "?") of \(.sent // "?"), longest gap \(.max_gap_ms // "?") ms, event \(.event_ms // "?") ms, MN UDP receive-buffer drops \(.mn_udp6_rcvbuf_errors // "?")\(if .error then ", " + .error else "" end)"' "$JSON"
	echo
	echo "Raw: build/bench/results/handover.json."
} >"$MD"
}
BENCH_CLEANUP+=(write_md)
write_md
cat "$MD"
