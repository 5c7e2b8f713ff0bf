#!/usr/bin/env bash
# t_07_restart: kill -9 of the LMA, then of MAG1, under traffic, loses no
# packet and no state.
# The MN attaches through MAG1 with a 20 s lifetime refreshed at 50 %
# (every 10 s). Two 10k pps UDP streams run (CN -> MN and MN -> CN). Just
# after a refresh (so no refresh falls inside the kill/restart windows):
#  - kill -9 the LMA, wait RESTART_GAP_S, start it again;
#  - after the next refresh (sent by MAG1, accepted by the restarted LMA),
#    kill -9 MAG1, wait RESTART_GAP_S, start it again.
# We assert that
#  - both streams lose no packet (the XDP programs stay attached and the
#    pinned maps keep forwarding while no daemon runs); the packets lost and
#    the longest gap are printed;
#  - after each restart, `xpmipctl bindings --json` of the LMA and of MAG1
#    shows the same bindings as before the kill (MN-ID, HNP, Proxy-CoA, BID,
#    state) with the remaining lifetime within LT_SLACK_S of what it was
#    minus the time elapsed;
#  - the restarted daemon logs how many bindings it restored (1);
#  - the user-plane counters keep increasing across each restart;
#  - the next refresh after both restarts is sent by MAG1 and accepted by
#    the LMA (a new "pbu-accepted ... action=refresh" line in the LMA log),
#    and the lifetime is renewed.
source "$(dirname "$0")/lib/common.sh"
PPS=${PPS:-10000}
# The senders run until both restarts are checked (then stopped with
# SIGTERM, which sends the END datagrams), as in t_33; STREAM_S is only a
# ceiling. A fixed 26 s stream ended before MAG1's kill on a loaded host
# (a refresh slipped by while the LMA's restart was checked, and the kill
# waited for the next one, 26 s into the stream): no packet to count.
STREAM_S=${STREAM_S:-120}
RESTART_GAP_S=${RESTART_GAP_S:-1}
LT_SLACK_S=${LT_SLACK_S:-3}
# built-in map capacities: the restarts reopen full-size pinned maps
XP_TEST_MAX_BINDINGS=
test_begin
write_default_confs
conf_set "$TEST_DIR/mag1.conf" lifetime_s 20
conf_set "$TEST_DIR/mag1.conf" refresh_pct 50

# ------------------------------------------------------------- helpers --
# The bindings of an instance, normalised for comparison: one line per
# binding with the fields that must survive a restart, and the remaining
# lifetime on its own (compared with a tolerance).
lma_norm() {
	xpctl_json lma bindings 'if type == "array" then . else (.bindings // []) end |
		sort_by(.mn_id, .bid) | .[] |
		"\(.mn_id) bid=\(.bid) mn_idx=\(.mn_idx) pcoa=\(.pcoa) hnp=\(.hnp | join(",")) state=\(.state) att=\(.att) lifetime=\(.lifetime_s)"'
}
LMA_ARR='.bindings'
lma_remaining() { xpctl_json lma bindings "$LMA_ARR | [.[] | .remaining_s] | first // -1"; }
mag_norm() {
	xpctl_json mag1 bindings '.bindings | sort_by(.mac) | .[] |
		"\(.mac) \(.mn_id) bid=\(.bid) hnp=\([.hnp[] | .prefix] | join(",")) state=\(.state) lifetime=\(.lifetime_s) if=\(.interface)"'
}
mag_remaining() { xpctl_json mag1 bindings '[.bindings[] | .lifetime_left_s] | first // -1'; }
now_s() { date +%s; }
refreshes() { grep -c 'event=pbu-accepted.*action=refresh' "$TEST_DIR/lma.log" 2>/dev/null || true; }
# at_once DIR NAME=CMD...: run each command in the background with its
# output in DIR/NAME, wait for those (not for the streams). The queries
# around a kill run inside one 10 s refresh interval: one after the other
# (an xpmipctl and a jq each) they took 4 s of it on a loaded host.
at_once() {
	local dir=$1 a pids=(); shift
	mkdir -p "$dir"
	for a in "$@"; do
		eval "${a#*=}" >"$dir/${a%%=*}" &
		pids+=($!)
	done
	wait "${pids[@]}"
}
counters_all() {	# "LMA_DL LMA_UL MAG_UL MAG_DL"
	local d="$TEST_DIR/counters"
	at_once "$d" 1="counter lma DL_FORWARD" 2="counter lma UL_FORWARD" \
		3="counter mag1 UL_ENCAP" 4="counter mag1 DL_DELIVER"
	echo "$(<"$d/1") $(<"$d/2") $(<"$d/3") $(<"$d/4")"
}
# snapshot: the bindings, remaining lifetimes and counters before a kill,
# all queried at once; sets lma_b lma_r mag_b mag_r t_b c_b
snapshot() {
	local d="$TEST_DIR/before"
	t_b=$(now_s)
	at_once "$d" ln=lma_norm lr=lma_remaining mn=mag_norm mr=mag_remaining \
		c1="counter lma DL_FORWARD" c2="counter lma UL_FORWARD" \
		c3="counter mag1 UL_ENCAP" c4="counter mag1 DL_DELIVER"
	lma_b=$(<"$d/ln"); lma_r=$(<"$d/lr"); mag_b=$(<"$d/mn"); mag_r=$(<"$d/mr")
	c_b="$(<"$d/c1") $(<"$d/c2") $(<"$d/c3") $(<"$d/c4")"
}
assert_counters_grew() {	# WHEN "before" "after"
	local -a b a; local names=(LMA_DL_FORWARD LMA_UL_FORWARD MAG1_UL_ENCAP MAG1_DL_DELIVER) i
	read -ra b <<<"$2"; read -ra a <<<"$3"
	for i in 0 1 2 3; do
		assert_gt "$1: ${names[i]} grew (was ${b[i]})" "${b[i]}" "${a[i]}"
	done
}
# kill9_restart NAME ROLE NS: kill -9 the daemon, wait, start it again.
kill9_restart() {
	local name=$1 role=$2 ns=$3 pid=${XP_DAEMON_PID[$1]}
	say "kill -9 xpmipd '$name' (pid $pid)"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	unset "XP_DAEMON_PID[$name]"
	sleep "$RESTART_GAP_S"
	local t0=$(date +%s%N)
	daemon_start "$name" "$role" "$ns" "$TEST_DIR/$name.conf" || return 1
	say "xpmipd '$name' answering $(( ($(date +%s%N) - t0) / 1000000 )) ms after start"
}
# compare_after WHO NORM_FN REMAIN_FN NORM_BEFORE REM_BEFORE T_BEFORE
compare_after() {
	local who=$1 nf=$2 rf=$3 nb=$4 rb=$5 tb=$6 na ra exp d
	na=$($nf); ra=$($rf)
	assert_eq "$who bindings after the restart" "$nb" "$na"
	exp=$(( rb - ($(now_s) - tb) ))
	d=$(( ra - exp )); (( d < 0 )) && d=$(( -d ))
	say "$who remaining lifetime: before $rb s, now $ra s, expected ~$exp s"
	assert_le "$who remaining lifetime off by (s)" "$LT_SLACK_S" "$d"
}
wait_refresh_after() {	# N: wait until more than N refreshes were accepted
	local n=$1 end=$(( $(now_s) + 15 ))
	while (( $(now_s) < end )); do
		(( $(refreshes) > n )) && return 0
		sleep 0.1
	done
	return 1
}

# --------------------------------------------------------------- attach --
step "attach through MAG1 (lifetime 20 s, refresh at 50 %)"
attach_via_mag1
warm_path
assert_nonempty "LMA binding" "$(lma_norm)"
assert_nonempty "MAG1 binding" "$(mag_norm)"
assert_eq "granted lifetime" 20 "$(xpctl_json lma bindings "$LMA_ARR | .[0].lifetime_s")"

step "$PPS pps CN -> MN and MN -> CN until both restarts are checked"
dl="$TEST_DIR/udp-dl.json"; ul="$TEST_DIR/udp-ul.json"
bg_start dl-recv ip netns exec "$XP_NS_MN" "$TOOLS/udp_stream" recv --port 5001 \
	--idle-timeout 5 --duration $((STREAM_S + 30)) --out "$dl" >/dev/null 2>"$dl.recv.log"
bg_start ul-recv ip netns exec "$XP_NS_CN" "$TOOLS/udp_stream" recv --port 5002 \
	--idle-timeout 5 --duration $((STREAM_S + 30)) --out "$ul" >/dev/null 2>"$ul.recv.log"
wait_for 5 "DL receiver listening" grep -q listening "$dl.recv.log"
wait_for 5 "UL receiver listening" grep -q listening "$ul.recv.log"
bg_start dl-send ip netns exec "$XP_NS_CN" "$TOOLS/udp_stream" send --dst "$MN_ADDR" \
	--port 5001 --pps "$PPS" --duration "$STREAM_S" >"$dl.send" 2>&1
bg_start ul-send ip netns exec "$XP_NS_MN" "$TOOLS/udp_stream" send --dst "$XP_ADDR_CN" \
	--port 5002 --pps "$PPS" --duration "$STREAM_S" >"$ul.send" 2>&1
t_stream=$(now_s)

# Kill right after a refresh: the next one is 10 s away.
n_ref=$(refreshes)
wait_refresh_after "$n_ref" || fail "no refresh accepted within 15 s of the attach"
sleep 0.3
say "refresh accepted $(( $(now_s) - t_stream )) s into the stream; killing now"

step "kill -9 the LMA and restart it"
snapshot
say "LMA before: $lma_b (remaining $lma_r s)"
kill9_restart lma lma "$XP_NS_LMA" || fail "LMA did not restart"
assert_match "LMA log: bindings restored" "bindings_restored=1( |$)" \
	"$(grep 'event=lma-started' "$TEST_DIR/lma.log" | tail -n 1)"
compare_after LMA lma_norm lma_remaining "$lma_b" "$lma_r" "$t_b"
compare_after MAG1 mag_norm mag_remaining "$mag_b" "$mag_r" "$t_b"
sleep 0.5
assert_counters_grew "across the LMA restart" "$c_b" "$(counters_all)"

step "kill -9 MAG1 and restart it"
n_ref=$(refreshes)
wait_refresh_after "$n_ref" || fail "no refresh accepted by the restarted LMA within 15 s"
sleep 0.3
say "refresh accepted by the restarted LMA $(( $(now_s) - t_stream )) s into the stream; killing MAG1 now"
snapshot
say "MAG1 before: $mag_b (remaining $mag_r s)"
kill9_restart mag1 mag "$XP_NS_MAG1" || fail "MAG1 did not restart"
assert_match "MAG1 log: BUL restored" "bul_restored=1( |$)" \
	"$(grep 'event=mag-started' "$TEST_DIR/mag1.log" | tail -n 1)"
compare_after MAG1 mag_norm mag_remaining "$mag_b" "$mag_r" "$t_b"
compare_after LMA lma_norm lma_remaining "$lma_b" "$lma_r" "$t_b"
sleep 0.5
assert_counters_grew "across the MAG1 restart" "$c_b" "$(counters_all)"
n_ref_restarted=$(refreshes)	# refreshes accepted before MAG1's restart

running() { kill -0 "${XP_BG_PID[dl-send]}" 2>/dev/null && kill -0 "${XP_BG_PID[ul-send]}" 2>/dev/null; }
check assert_cmd "both streams still running after both restarts ($(( $(now_s) - t_stream )) s into them)" running

step "the streams end"
bg_stop dl-send TERM; bg_stop ul-send TERM
bg_wait dl-recv; bg_wait ul-recv
say "CN -> MN sender: $(cat "$dl.send")  receiver: $(cat "$dl" 2>/dev/null)"
say "MN -> CN sender: $(cat "$ul.send")  receiver: $(cat "$ul" 2>/dev/null)"
dl_lost=$(jq -r .lost "$dl" 2>/dev/null); dl_gap=$(jq -r .max_gap_ms "$dl" 2>/dev/null)
ul_lost=$(jq -r .lost "$ul" 2>/dev/null); ul_gap=$(jq -r .max_gap_ms "$ul" 2>/dev/null)
echo "RESTART: CN -> MN lost ${dl_lost:-?} of $(jq -r .sent "$dl" 2>/dev/null) at $PPS pps, longest gap ${dl_gap:-?} ms"
echo "RESTART: MN -> CN lost ${ul_lost:-?} of $(jq -r .sent "$ul" 2>/dev/null) at $PPS pps, longest gap ${ul_gap:-?} ms"
echo "dl_lost=${dl_lost:-} dl_gap_ms=${dl_gap:-} ul_lost=${ul_lost:-} ul_gap_ms=${ul_gap:-}" >"$TEST_DIR/restart.txt"
check assert_eq "CN -> MN packets lost across both restarts" 0 "${dl_lost:-?}"
check assert_eq "MN -> CN packets lost across both restarts" 0 "${ul_lost:-?}"
check assert_eq "CN -> MN END seen" true "$(jq -r .end_seen "$dl" 2>/dev/null)"
check assert_eq "MN -> CN END seen" true "$(jq -r .end_seen "$ul" 2>/dev/null)"

step "a refresh after both restarts"
assert_wait 15 "a refresh PBU from the restarted MAG1 accepted by the restarted LMA" \
	wait_refresh_after "$n_ref_restarted"
say "$(grep 'event=pbu-accepted.*action=refresh' "$TEST_DIR/lma.log" | tail -n 1)"
sleep 0.3
assert_ge "LMA remaining lifetime renewed (of 20 s)" 17 "$(lma_remaining)"
assert_ge "MAG1 remaining lifetime renewed" 15 "$(mag_remaining)"
assert_eq "MAG1 binding state" BOUND "$(xpctl_json mag1 bindings '.bindings[0].state' | tr a-z A-Z)"
assert_cmd "CN pings the MN after everything" ns_ping "$XP_NS_CN" "$MN_ADDR" 3
xpctl lma bindings || true
xpctl mag1 bindings || true
test_end
