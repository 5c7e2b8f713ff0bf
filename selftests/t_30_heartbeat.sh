#!/usr/bin/env bash
# t_30_heartbeat: RFC 5847 heartbeats between the LMA and MAG1 (interval
# 1 s, down after 3 missed), on the real daemons.
#  1. Both see each other up, with the other's Restart Counter
#     (`xpmipctl peers --json`).
#  2. Peer down: kill -9 MAG1; the LMA logs event=peer-down for it within
#     (3 + 1) intervals + 1 s; the detection time is printed.
#  3. MAG1 restarts with its state (pinned BUL): same Restart Counter, the
#     LMA sees it up again, no restart detected, the binding stays.
#  4. MAG1 restarts without its state (kill -9, its xp_bul_v1 removed): its
#     Restart Counter changes, the LMA logs event=peer-restarted and, one
#     grace period (interval x missing limit) later, drops the binding MAG1
#     no longer knows (event=binding-deleted ... reason=mag-restarted-without-it),
#     from xpmipctl and from the data plane maps.
#  5. The MN attaches again. The LMA restarts without its state (kill -9,
#     its whole pin directory removed): MAG1 sees the new Restart Counter,
#     re-registers the MN (event=reregister), the LMA has the binding again
#     with the same prefix and the CN reaches the MN again.
source "$(dirname "$0")/lib/common.sh"
INTERVAL=1
LIMIT=3
test_begin
write_default_confs
for c in lma mag1; do
	conf_set "$TEST_DIR/$c.conf" heartbeat_interval_s "$INTERVAL"
done
conf_set "$TEST_DIR/lma.conf" heartbeat_missing_limit "$LIMIT"
LMA_LOG=$TEST_DIR/lma.log
MAG_LOG=$TEST_DIR/mag1.log
nlines() { grep -c -- "$2" "$1" 2>/dev/null || true; }
peer_field() {	# INSTANCE PEER FIELD
	xpctl_json "$1" peers "[.peers[] | select(.peer == \"$2\") | .$3] | first // empty"
}
peer_is() { [[ $(peer_field "$1" "$2" state) == "$3" ]]; }

step "1. attach through MAG1; heartbeats flow both ways"
attach_via_mag1
warm_path
assert_wait 5 "LMA sees MAG1 up" peer_is lma "$XP_ADDR_MAG1" up
assert_wait 5 "MAG1 sees the LMA up" peer_is mag1 "$XP_ADDR_LMA" up
LMA_RC=$(xpctl_json lma peers .restart_counter)
MAG_RC=$(xpctl_json mag1 peers .restart_counter)
assert_eq "MAG1 knows the LMA's Restart Counter" "$LMA_RC" "$(peer_field mag1 "$XP_ADDR_LMA" restart_counter)"
assert_wait 3 "LMA knows MAG1's Restart Counter" \
	test "$(peer_field lma "$XP_ADDR_MAG1" restart_counter)" == "$MAG_RC"
say "$(xpctl lma peers)"

step "2. kill -9 MAG1: the LMA declares it down"
downs0=$(nlines "$LMA_LOG" "event=peer-down peer=$XP_ADDR_MAG1")
kill -KILL "${XP_DAEMON_PID[mag1]}"; wait "${XP_DAEMON_PID[mag1]}" 2>/dev/null; unset "XP_DAEMON_PID[mag1]"
t0=$(date +%s%N)
mag_down_logged() { (( $(nlines "$LMA_LOG" "event=peer-down peer=$XP_ADDR_MAG1") > downs0 )); }
assert_wait $(( (LIMIT + 1) * INTERVAL + 2 )) "LMA logs peer-down for MAG1" mag_down_logged
DETECT_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
say "peer down detected ${DETECT_MS} ms after kill -9 (interval ${INTERVAL}s, limit $LIMIT)"
assert_ge "detection not before $LIMIT intervals" $(( (LIMIT - 1) * INTERVAL * 1000 )) "$DETECT_MS"
assert_le "detection within $(( LIMIT + 1 )) intervals + 1 s" $(( ((LIMIT + 1) * INTERVAL + 1) * 1000 )) "$DETECT_MS"
assert_eq "peers view: MAG1 down" down "$(peer_field lma "$XP_ADDR_MAG1" state)"
assert_match "the log line" "event=peer-down peer=$XP_ADDR_MAG1 missed=$LIMIT" \
	"$(grep "event=peer-down peer=$XP_ADDR_MAG1" "$LMA_LOG" | tail -n 1)"
lma_has_binding || _fail "binding kept while MAG1 is down (lifetime runs)"

step "3. MAG1 restarts with its state: same Restart Counter, no restart"
restarts0=$(nlines "$LMA_LOG" "event=peer-restarted")
start_mag1
assert_eq "MAG1's Restart Counter after a restart with state" "$MAG_RC" "$(xpctl_json mag1 peers .restart_counter)"
assert_wait 4 "LMA sees MAG1 up again" peer_is lma "$XP_ADDR_MAG1" up
sleep $(( 2 * INTERVAL ))	# a few more heartbeats: none may say "restarted"
assert_eq "no restart detected" "$restarts0" "$(nlines "$LMA_LOG" "event=peer-restarted")"
assert_cmd "binding kept" lma_has_binding

step "4. MAG1 restarts without its state: the LMA drops its binding"
kill -KILL "${XP_DAEMON_PID[mag1]}"; wait "${XP_DAEMON_PID[mag1]}" 2>/dev/null; unset "XP_DAEMON_PID[mag1]"
rm -f "$XP_PIN_ROOT/mag1/xp_bul_v1"
start_mag1
NEW_RC=$(xpctl_json mag1 peers .restart_counter)
assert_eq "MAG1's Restart Counter incremented" "$(( MAG_RC + 1 ))" "$NEW_RC"
t0=$(date +%s%N)
assert_wait 4 "LMA logs the restart of MAG1" grep -q \
	"event=peer-restarted peer=$XP_ADDR_MAG1 restart_counter=$MAG_RC->$NEW_RC" "$LMA_LOG"
assert_wait $(( LIMIT * INTERVAL + 4 )) "LMA drops the binding MAG1 forgot" lma_no_binding
GRACE_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
say "binding dropped ${GRACE_MS} ms after MAG1's restart (grace $(( LIMIT * INTERVAL )) s)"
assert_match "the log line" "event=binding-deleted mn=$XP_MN_ID bid=[0-9]+ peer=$XP_ADDR_MAG1 reason=mag-restarted-without-it" \
	"$(grep 'reason=mag-restarted-without-it' "$LMA_LOG" | tail -n 1)"
assert_match "handled" "event=mag-restart-handled peer=$XP_ADDR_MAG1 bindings_dropped=1" \
	"$(grep 'event=mag-restart-handled' "$LMA_LOG" | tail -n 1)"
assert_eq "LMA data plane: no binding left" "xp_bind_v1=0 xp_ul_v1=0 xp_peer_v1=0" \
	"$(map_summary0 lma xp_bind_v1 xp_ul_v1 xp_peer_v1)"

step "5. the MN attaches again; the LMA restarts without its state"
mn_attach mn-if1
assert_wait 15 "LMA binding again" lma_has_binding
HNP=$(binding_hnp "$(lma_binding)")
assert_wait 15 "MN address again" mn_has_addr mn-if1
MN_ADDR=$(mn_addr mn-if1)
warm_path
assert_cmd "CN pings the MN" ns_ping "$XP_NS_CN" "$MN_ADDR" 2
rereg0=$(nlines "$MAG_LOG" "event=reregister")
kill -KILL "${XP_DAEMON_PID[lma]}"; wait "${XP_DAEMON_PID[lma]}" 2>/dev/null; unset "XP_DAEMON_PID[lma]"
rm -rf "${XP_PIN_ROOT:?}/lma"
start_lma
assert_match "the restarted LMA had nothing to restore" "bindings_restored=0" \
	"$(grep 'event=lma-started' "$LMA_LOG" | tail -n 1)"
NEW_LMA_RC=$(xpctl_json lma peers .restart_counter)
assert_ne "LMA Restart Counter changed" "$LMA_RC" "$NEW_LMA_RC"
t0=$(date +%s%N)
assert_wait 5 "MAG1 detects the LMA restart" grep -q \
	"event=peer-restarted peer=$XP_ADDR_LMA restart_counter=$LMA_RC->$NEW_LMA_RC" "$MAG_LOG"
mag_rereg() { (( $(nlines "$MAG_LOG" "event=reregister") > rereg0 )); }
assert_wait 3 "MAG1 re-registers its MN" mag_rereg
assert_wait 5 "LMA binding rebuilt by MAG1" lma_has_binding
REBUILD_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
say "binding back ${REBUILD_MS} ms after the LMA's restart"
assert_eq "same prefix" "$HNP" "$(binding_hnp "$(lma_binding)")"
assert_eq "via MAG1" "$XP_ADDR_MAG1" "$(lma_binding_pcoa)"
assert_wait 10 "CN reaches the MN again" ns_ping "$XP_NS_CN" "$MN_ADDR" 1
assert_cmd "MN reaches the CN" ns_ping "$XP_NS_MN" "$XP_ADDR_CN" 2
echo "figures: detect_ms=$DETECT_MS mag_restart_drop_ms=$GRACE_MS lma_restart_rebind_ms=$REBUILD_MS" | tee "$TEST_DIR/figures.txt"
test_end
