#!/usr/bin/env bash
# t_33_restart_full: kill -9 of the LMA, MAG1 and MAG2 under traffic with
# the newer state in place, loses no packet and no state:
#  - mn-if1 (primary, IFP 2) at MAG1, mn-if2 (IFP 1) at MAG2, 2-level
#    prefixes on (each MAG a temporal block, two level-2 prefixes per
#    interface);
#  - interface priority changed: `xpmipctl priority` raises mn-if2 to IFP 3
#    at MAG2 (the LMA's downlink choice for the primary HoA moves to BID 2);
#  - a flow (`xpmipctl flow add`, UDP 5003 to BID 2) whose UPN MAG2
#    acknowledged, so MAG2 holds HNP1 off-link;
#  - two 10k pps streams, CN -> mn-if1's level-2 address (LMA, MAG1) and
#    CN -> mn-if2's address (LMA, MAG2).
# Then kill -9 + 1 s + start, of the LMA, then MAG1, then MAG2. After each
# restart `xpmipctl bindings/prefixes --json` of every daemon, the LMA's
# `flow list --json` and `upn --json`, and the LMA's pinned xp_mn_v1 and
# xp_bind_v1 (the IFP choice, which no xpmipctl command shows) are what
# they were before the crash (time-varying fields removed: remaining
# lifetimes, ages, counters, sequence numbers); the
# streams lose no packet; afterwards a refresh from each MAG is accepted.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/twolevel.sh"
source "$(dirname "$0")/lib/ifp.sh"
source "$(dirname "$0")/lib/flow.sh"
PPS=${PPS:-10000}
# The senders run until the three restarts are done (stopped then with
# SIGTERM, which sends the END datagrams); STREAM_S is only a ceiling, so a
# slow, loaded machine cannot end the streams before the last restart.
STREAM_S=${STREAM_S:-120}
TAIL_S=${TAIL_S:-2}	# steady traffic after the last restart
RESTART_GAP_S=${RESTART_GAP_S:-1}
test_begin
tl_confs
ifp_profiles 2 1
for m in mag1 mag2; do
	conf_set "$TEST_DIR/$m.conf" lifetime_s 20
	conf_set "$TEST_DIR/$m.conf" refresh_pct 50
done

# The state as an operator reads it, minus what changes by itself: one
# normalised JSON document per (daemon, command), keys and arrays sorted
# (a rebuilt table lists in another order). Removed: remaining lifetimes,
# the sequence numbers and timestamps of the last PBUs (last_seq, last_ts,
# seq) and the MAGs' last PBA status, signalling counters (upn_*, upa_*,
# pba_offlink, a UPN's transmission count "tries"), and xp_mn_v1's
# flow_gen (bumped on every rewrite of the flow table so that the data
# plane's flow cache forgets old verdicts). A MAG binding or prefix caught
# "refreshing" (a refresh PBU in flight) counts as "bound". The raw outputs
# are kept beside them (*.raw).
VARYING='^(remaining_s|lifetime_left_s|seq|last_seq|last_ts|last_status|tries|upn_tx|upn_retx|upn_timeout|upa_[a-z_]*|pba_offlink|flow_gen)$'
norm() {
	jq -S --arg re "$VARYING" 'walk(if type == "object" then with_entries(select(.key | test($re) | not))
		| (if .state == "refreshing" then .state = "bound" else . end)
		elif type == "array" then sort else . end)'
}
snap() {	# DIR: every view at once (the daemons answer in parallel)
	mkdir -p "$1"
	local i c pids=()
	for i in lma mag1 mag2; do
		for c in bindings prefixes; do
			xpctl "$i" "$c" --json >"$1/$i-$c.raw" & pids+=($!)
		done
	done
	xpctl lma flow list --json >"$1/lma-flows.raw" & pids+=($!)
	xpctl lma upn --json >"$1/lma-upn.raw" & pids+=($!)
	# the interface priority state has no xpmipctl view: the LMA's downlink
	# choice (xp_mn_v1: n_dl, dl_bid, primary HoA) and its bindings as the
	# data plane holds them (xp_bind_v1: flags, ifp, HoA, peer), rewritten
	# by the restarted LMA from its rebuilt state
	for i in xp_mn_v1 xp_bind_v1; do
		bpftool -j map dump pinned "$XP_PIN_ROOT/lma/$i" | jq '[.[] | .formatted]' >"$1/lma-$i.raw" &
		pids+=($!)
	done
	wait "${pids[@]}"	# only these: the streams run in the background too
	for i in "$1"/*.raw; do norm <"$i" >"${i%.raw}.json"; done
}
same_state() {	# WHEN BEFORE AFTER
	local f
	for f in "$2"/*.json; do
		if cmp -s "$f" "$3/${f##*/}"; then
			_ok "$1: ${f##*/} as before"
		else
			check fail "$1: ${f##*/} differs: $(diff <(jq -c . "$f") <(jq -c . "$3/${f##*/}") | head -n 6)"
		fi
	done
}
refreshes_from() { grep -c "event=pbu-accepted.*peer=$1 action=refresh" "$TEST_DIR/lma.log" 2>/dev/null || true; }

# ----------------------------------------------------------- the state --
step "mn-if1 at MAG1 (IFP 2, primary), mn-if2 at MAG2 (IFP 1), 2-level prefixes"
ifp_attach_both
three_on_if1() { (( $(tl_n_addrs mn-if1) >= 3 )); }
three_on_if2() { (( $(tl_n_addrs mn-if2) >= 3 )); }
assert_wait 20 "three addresses on mn-if1 (P and two T)" three_on_if1
assert_wait 20 "three addresses on mn-if2 (P and two T)" three_on_if2
mapfile -t T1 < <(tl_l2_of mag1 "$XP_MN_MAC1")
A11=$(tl_mn_addr_in mn-if1 "${T1[0]}")
assert_nonempty "MN address in MAG1's first level-2 prefix" "$A11"
HNP1=$(binding_hnp "$(lma_binding_bid 1)")

step "interface priority: mn-if2 to IFP 3"
assert_cmd "priority" xpctl mag2 priority "$XP_MN_MAC2" 3
ifp3() { grep 'event=downlink-choice' "$TEST_DIR/lma.log" | tail -n 1 | grep -q ' bid=2 '; }
assert_wait 10 "the LMA's downlink choice is BID 2 (IFP 3)" ifp3

step "a flow to BID 2, its UPN acknowledged, HNP1 off-link at MAG2"
assert_cmd "flow add" xpctl lma flow add "$XP_MN_ID" fid 3 pri 10 proto udp dport 5003 bid 2
acked() { [[ $(xpctl_json lma upn '[.upn[] | select(.bid == 2) | .state] | first') == acked ]]; }
assert_wait 10 "the UPN to BID 2 acknowledged" acked
mag2_offlink() { xpctl_json mag2 bindings '[.bindings[] | .hnp[]? | select(.offlink) | .prefix] | join(",")'; }
offlink_hnp1() { [[ $(mag2_offlink) == "$HNP1" ]]; }
assert_wait 10 "MAG2 holds HNP1 off-link" offlink_hnp1
warm_path "$A11"; warm_path "$HOA2"
snap "$TEST_DIR/before"
for f in "$TEST_DIR"/before/*.json; do say "before: ${f##*/}: $(jq -c . "$f" | head -c 200)"; done

# ------------------------------------------------------------- traffic --
step "$PPS pps CN -> $A11 (MAG1) and CN -> $HOA2 (MAG2) until the restarts are done"
s1="$TEST_DIR/udp-mag1.json"; s2="$TEST_DIR/udp-mag2.json"
bg_start rx1 ip netns exec "$XP_NS_MN" "$TOOLS/udp_stream" recv --port 5001 \
	--idle-timeout 5 --duration $((STREAM_S + 30)) --out "$s1" >/dev/null 2>"$s1.recv.log"
bg_start rx2 ip netns exec "$XP_NS_MN" "$TOOLS/udp_stream" recv --port 5002 \
	--idle-timeout 5 --duration $((STREAM_S + 30)) --out "$s2" >/dev/null 2>"$s2.recv.log"
wait_for 5 "receiver 1 listening" grep -q listening "$s1.recv.log"
wait_for 5 "receiver 2 listening" grep -q listening "$s2.recv.log"
bg_start tx1 ip netns exec "$XP_NS_CN" "$TOOLS/udp_stream" send --dst "$A11" \
	--port 5001 --pps "$PPS" --duration "$STREAM_S" >"$s1.send" 2>&1
bg_start tx2 ip netns exec "$XP_NS_CN" "$TOOLS/udp_stream" send --dst "$HOA2" \
	--port 5002 --pps "$PPS" --duration "$STREAM_S" >"$s2.send" 2>&1
t_stream=$(date +%s)
sleep 1

# ------------------------------------------------------------- crashes --
step "kill -9 the LMA and restart it"
daemon_kill9_restart lma lma "$XP_NS_LMA" "$RESTART_GAP_S" || fail "LMA did not restart"
snap "$TEST_DIR/after-lma"
same_state "after the LMA's restart" "$TEST_DIR/before" "$TEST_DIR/after-lma"
step "kill -9 MAG1 and restart it"
daemon_kill9_restart mag1 mag "$XP_NS_MAG1" "$RESTART_GAP_S" || fail "MAG1 did not restart"
snap "$TEST_DIR/after-mag1"
same_state "after MAG1's restart" "$TEST_DIR/before" "$TEST_DIR/after-mag1"
step "kill -9 MAG2 and restart it"
daemon_kill9_restart mag2 mag "$XP_NS_MAG2" "$RESTART_GAP_S" || fail "MAG2 did not restart"
snap "$TEST_DIR/after-mag2"
same_state "after MAG2's restart" "$TEST_DIR/before" "$TEST_DIR/after-mag2"
r1=$(refreshes_from "$XP_ADDR_MAG1"); r2=$(refreshes_from "$XP_ADDR_MAG2")
running() { kill -0 "${XP_BG_PID[tx1]}" 2>/dev/null && kill -0 "${XP_BG_PID[tx2]}" 2>/dev/null; }
check assert_cmd "both streams still running after the last restart ($(( $(date +%s) - t_stream )) s into them)" running
sleep "$TAIL_S"

step "the streams end"
bg_stop tx1 TERM; bg_stop tx2 TERM; bg_wait rx1; bg_wait rx2
for s in "$s1" "$s2"; do
	say "${s##*/}: sender $(cat "$s.send")  receiver $(cat "$s" 2>/dev/null)"
	echo "RESTART_FULL: ${s##*/} lost $(jq -r .lost "$s" 2>/dev/null) of $(jq -r .sent "$s" 2>/dev/null), longest gap $(jq -r .max_gap_ms "$s" 2>/dev/null) ms"
	check assert_eq "${s##*/}: packets lost across the three restarts" 0 "$(jq -r .lost "$s" 2>/dev/null)"
	check assert_eq "${s##*/}: END seen" true "$(jq -r .end_seen "$s" 2>/dev/null)"
done

step "the next refresh of each MAG is accepted by the LMA"
more1() { (( $(refreshes_from "$XP_ADDR_MAG1") > r1 )); }
more2() { (( $(refreshes_from "$XP_ADDR_MAG2") > r2 )); }
assert_wait 20 "a refresh from MAG1 accepted" more1
assert_wait 20 "a refresh from MAG2 accepted" more2
snap "$TEST_DIR/after-refresh"
same_state "after the refreshes" "$TEST_DIR/before" "$TEST_DIR/after-refresh"
test_end
