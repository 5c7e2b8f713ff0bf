#!/usr/bin/env bash
# t_32_leaks: the LMA, MAG1 and MAG2 run as the AddressSanitizer +
# LeakSanitizer + UBSan build of xpmipd (build/asan/xpmipd, `make
# build/asan/xpmipd`) through a full cycle: attach through MAG1, handover
# to MAG2, detach (xpmipctl detach), then SIGTERM. Each must exit 0 and
# write no sanitizer report (ASAN_OPTIONS log_path: one file per process
# that reports anything: a leak at exit, a heap error, undefined
# behaviour). A deliberately leaking program built with the same flags
# shows first that a leak does produce the report this test looks for.
source "$(dirname "$0")/lib/common.sh"
ASAN_XPMIPD="$BUILD_DIR/asan/xpmipd"
test_begin
[[ -x $ASAN_XPMIPD ]] || _fail "$ASAN_XPMIPD not built (make build/asan/xpmipd)"
REPORTS="$TEST_DIR/san"
mkdir -p "$REPORTS"
export ASAN_OPTIONS="detect_leaks=1:log_path=$REPORTS/report:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:log_path=$REPORTS/report"
reports() { find "$REPORTS" -name 'report*' -size +0 2>/dev/null | sort; }

step "the detector works: a leaking program is reported"
printf '#include <stdlib.h>\nvoid *keep;\nint main(void){ keep = malloc(4242); keep = 0; return 0; }\n' >"$TEST_DIR/leak.c"
cc -fsanitize=address,undefined -g "$TEST_DIR/leak.c" -o "$TEST_DIR/leak" || _fail "cannot build the control"
"$TEST_DIR/leak" >/dev/null 2>&1
assert_match "control leak reported" "LeakSanitizer: detected memory leaks.*4242 byte" \
	"$(cat $(reports) 2>/dev/null | tr '\n' ' ')"
rm -f "$REPORTS"/report*

write_default_confs
conf_set "$TEST_DIR/mag2.conf" detect_link_up true
XPMIPD=$ASAN_XPMIPD

step "attach through MAG1 (sanitized daemons)"
start_mag2
attach_via_mag1
warm_path
for i in lma mag1 mag2; do
	assert_eq "$i runs the sanitized binary" "$(readlink -f "$ASAN_XPMIPD")" \
		"$(readlink -f "/proc/${XP_DAEMON_PID[$i]}/exe")"
done
assert_cmd "CN pings the MN" ns_ping "$XP_NS_CN" "$MN_ADDR" 2

step "handover to MAG2"
topo_move_mn_link "$XP_NS_MAG1" "$XP_NS_MAG2"
pcoa_is_mag2() { [[ $(lma_binding_pcoa) == "$XP_ADDR_MAG2" ]]; }
assert_wait 15 "binding at MAG2" pcoa_is_mag2
assert_wait 10 "CN pings the MN at MAG2" ns_ping "$XP_NS_CN" "$MN_ADDR" 1
assert_eq "MAG2 holds the MN" 1 "$(xpctl_json mag2 bindings '.count')"

step "detach at MAG2"
assert_cmd "xpmipctl detach" xpctl mag2 detach "$XP_MN_MAC1"
mag2_empty() { [[ $(xpctl_json mag2 bindings '.count') == 0 ]]; }
assert_wait 10 "MAG2's binding list empty" mag2_empty
lma_dereg() { [[ $(lma_bindings_json | jq -r '[.[] | select(.state == "active")] | length') == 0 ]]; }
assert_wait 10 "no active binding at the LMA" lma_dereg
# the signalling counters and the control socket's paths, once each
for i in lma mag1 mag2; do xpctl "$i" counters >/dev/null; xpctl "$i" peers --json >/dev/null; done

step "SIGTERM: each exits 0 with no sanitizer report"
for i in mag2 mag1 lma; do
	daemon_stop "$i"; rc=$?
	assert_eq "$i exit status after SIGTERM" 0 "$rc"
done
found=$(reports)
if [[ -n $found ]]; then
	for f in $found; do echo "---- $f"; head -n 40 "$f"; done
fi
assert_eq "sanitizer reports (leaks, memory errors, UB)" "" "$found"
for i in lma mag1 mag2; do
	assert_eq "$i log: no sanitizer line" 0 "$(grep -c 'Sanitizer' "$TEST_DIR/$i.log" || true)"
done
test_end
