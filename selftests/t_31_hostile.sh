#!/usr/bin/env bash
# t_31_hostile: malformed and adversarial signalling replayed at a running
# LMA and MAG (tests/tools/mh_hostile). The MN is attached through MAG1
# first; at the end it must still be reachable.
#  1. Well-formed but wrong PBUs at the LMA, each answered with its status:
#     152 no P flag, 160 no MN-ID, 158 no HNP, 161 no HI, 162 no ATT, 156
#     stale timestamp, 155 another MN's prefix, 157 an accepted refresh's
#     bytes replayed.
#  2. The corpus (every truncation and length lie, every MH type, every
#     option Length, duplicated options, huge option counts up to 2048
#     octets, random byte mutations), twice, from MAG1's address: the LMA
#     counts exactly the malformed ones as sig_malformed and the other MH
#     types as sig_unhandled_type; every decodable PBU is answered or
#     counted as sig_err_ratelimited. Its RSS after the second pass is
#     within RSS_PASS_KB of the first pass's.
#  3. A flood of FLOOD PBUs from the CN (not an authorised MAG): each
#     counted as sig_unauth_pbu; at most the token bucket's allowance is
#     answered (every answer 154), the rest counted as rate-limited.
#  4. The MAG's corpus (PBA, Heartbeat and BU bases) at MAG1, twice, from
#     the LMA's address, and a PBA from another address: exact counts of
#     sig_malformed, sig_unhandled_type, sig_pba_unmatched and
#     sig_not_our_lma; RSS flat likewise.
#  5. Both daemons alive, answering, the MN reachable both ways.
source "$(dirname "$0")/lib/common.sh"
FLOOD=${FLOOD:-3000}
RSS_PASS_KB=${RSS_PASS_KB:-128}
RSS_TOTAL_KB=${RSS_TOTAL_KB:-2048}
UNAUTH_SRC=$XP_ADDR_CN
test_begin
write_default_confs
HOSTILE="$TOOLS/mh_hostile"
[[ -x $HOSTILE ]] || _fail "$HOSTILE not built (make build/tools/mh_hostile)"
rss() { awk '/^VmRSS/ {print $2}' "/proc/${XP_DAEMON_PID[$1]}/status"; }
sig() { counter "$1" "$2"; }
lstat() { xpctl_json lma lma-stats ".$1"; }
jqv() { jq -r "$2" <<<"$1"; }

step "attach the MN through MAG1"
attach_via_mag1
warm_path

step "1. well-formed but wrong PBUs: each status"
out=$(ip netns exec "$XP_NS_MAG1" "$HOSTILE" --target lma --src "$XP_ADDR_MAG1" \
	--dst "$XP_ADDR_LMA" --checks --no-corpus) || true
say "$out"
while read -r name want got; do
	assert_eq "PBA status for $name" "$want" "$got"
done < <(jq -r '.checks[] | "\(.check) \(.want) \(.got)"' <<<"$out")
assert_eq "checks run" 11 "$(jqv "$out" '.checks | length')"

step "2. the LMA corpus, twice"
RSS_LMA0=$(rss lma)
for pass in 1 2; do
	m0=$(sig lma sig_malformed); u0=$(sig lma sig_unhandled_type)
	r0=$(sig lma sig_err_ratelimited); p0=$(lstat pbu_rx); t0=$(lstat pba_tx)
	out=$(ip netns exec "$XP_NS_MAG1" "$HOSTILE" --target lma --src "$XP_ADDR_MAG1" \
		--dst "$XP_ADDR_LMA") || _fail "mh_hostile exited $?"
	say "pass $pass: $(jq -c '{cases, send_errors, expect, decode_errors}' <<<"$out")"
	sleep 0.5	# the daemon drains its socket
	cases=$(jqv "$out" .cases); kd=$(jqv "$out" .expect.too_short)
	em=$(jqv "$out" .expect.sig_malformed); eu=$(jqv "$out" .expect.sig_unhandled_type)
	ep=$(jqv "$out" .expect.pbu)
	assert_eq "pass $pass: send errors" 0 "$(jqv "$out" .send_errors)"
	assert_eq "pass $pass: sig_malformed counted" "$em" $(( $(sig lma sig_malformed) - m0 ))
	assert_eq "pass $pass: sig_unhandled_type counted" "$eu" $(( $(sig lma sig_unhandled_type) - u0 ))
	assert_eq "pass $pass: every delivered message reached the LMA's handler" \
		$(( cases - kd )) $(( $(lstat pbu_rx) - p0 ))
	assert_eq "pass $pass: every PBU answered or rate-limited" "$ep" \
		$(( $(lstat pba_tx) - t0 + $(sig lma sig_err_ratelimited) - r0 ))
	daemon_alive lma || _fail "the LMA died in pass $pass"
	eval "RSS_LMA$pass=\$(rss lma)"
done
say "LMA RSS: before $RSS_LMA0 kB, after pass 1 $RSS_LMA1 kB, after pass 2 $RSS_LMA2 kB"
assert_le "LMA RSS growth over pass 2 (kB)" "$RSS_PASS_KB" $(( RSS_LMA2 - RSS_LMA1 ))
assert_le "LMA RSS growth over both passes (kB)" "$RSS_TOTAL_KB" $(( RSS_LMA2 - RSS_LMA0 ))

step "3. a flood of PBUs from an unauthorised source"
# the CN has no route to the LMA's signalling address: give it one
ip -n "$XP_NS_CN" -6 route add "$XP_ADDR_LMA/128" via "$XP_ADDR_LMA_CN"
a0=$(sig lma sig_unauth_pbu); r0=$(sig lma sig_err_ratelimited)
out=$(ip netns exec "$XP_NS_CN" "$HOSTILE" --target lma --src "$UNAUTH_SRC" \
	--unauth-src "$UNAUTH_SRC" --dst "$XP_ADDR_LMA" --no-corpus --flood "$FLOOD") ||
	_fail "mh_hostile exited $?"
say "flood: $(jq -c .flood <<<"$out")"
sleep 0.5
replies=$(jqv "$out" .flood.replies); ms=$(jqv "$out" .flood.ms)
assert_eq "flood: sent" "$FLOOD" "$(jqv "$out" .flood.sent)"
assert_eq "flood: every PBU counted as unauthorised" "$FLOOD" $(( $(sig lma sig_unauth_pbu) - a0 ))
assert_eq "flood: every answer is 154" "$replies" "$(jqv "$out" .flood.replies_154)"
assert_ge "flood: some answers (the bucket's burst)" 1 "$replies"
# per source: burst 40 + 10/s over the flood and the 1 s drain
assert_le "flood: answers within the token bucket" $(( 40 + 10 * (ms / 1000 + 2) )) "$replies"
assert_eq "flood: the rest counted as rate-limited" $(( FLOOD - replies )) \
	$(( $(sig lma sig_err_ratelimited) - r0 ))

step "4. the MAG corpus, twice"
RSS_MAG0=$(rss mag1)
for pass in 1 2; do
	declare -A b=()
	for k in sig_malformed sig_unhandled_type sig_pba_unmatched sig_not_our_lma; do
		b[$k]=$(sig mag1 "$k")
	done
	out=$(ip netns exec "$XP_NS_LMA" "$HOSTILE" --target mag --src "$XP_ADDR_LMA" \
		--unauth-src "$XP_ADDR_LMA_M1" --dst "$XP_ADDR_MAG1") || _fail "mh_hostile exited $?"
	say "pass $pass: $(jq -c '{cases, send_errors, expect, decode_errors}' <<<"$out")"
	sleep 0.5
	assert_eq "pass $pass: send errors" 0 "$(jqv "$out" .send_errors)"
	for k in sig_malformed sig_unhandled_type sig_pba_unmatched sig_not_our_lma; do
		assert_eq "pass $pass: MAG1 $k counted" "$(jqv "$out" ".expect.$k")" \
			$(( $(sig mag1 "$k") - b[$k] ))
	done
	daemon_alive mag1 || _fail "MAG1 died in pass $pass"
	eval "RSS_MAG$pass=\$(rss mag1)"
done
say "MAG1 RSS: before $RSS_MAG0 kB, after pass 1 $RSS_MAG1 kB, after pass 2 $RSS_MAG2 kB"
assert_le "MAG1 RSS growth over pass 2 (kB)" "$RSS_PASS_KB" $(( RSS_MAG2 - RSS_MAG1 ))
assert_le "MAG1 RSS growth over both passes (kB)" "$RSS_TOTAL_KB" $(( RSS_MAG2 - RSS_MAG0 ))

step "5. both daemons up; the MN still served"
assert_cmd "LMA answers" xpctl lma version
assert_cmd "MAG1 answers" xpctl mag1 version
assert_cmd "CN pings the MN" ns_ping "$XP_NS_CN" "$MN_ADDR" 2
assert_cmd "MN pings the CN" ns_ping "$XP_NS_MN" "$XP_ADDR_CN" 2
say "$(xpctl lma counters | sed -n '/^sig_/p')"
echo "figures: lma_rss_kb=$RSS_LMA0/$RSS_LMA1/$RSS_LMA2 mag_rss_kb=$RSS_MAG0/$RSS_MAG1/$RSS_MAG2 flood=$FLOOD replies=$replies flood_ms=$ms" |
	tee "$TEST_DIR/figures.txt"
test_end
