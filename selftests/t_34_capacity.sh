#!/usr/bin/env bash
# t_34_capacity: the binding capacity comes from the configuration
# (max_bindings) and a full binding table is status 130, not a crash.
#  - an LMA with max_bindings = 2: its binding maps are created with 2
#    entries (xp_bind_v1, xp_ul_v1, xp_bstat_v2, xp_mn_v1, xp_bce_v1);
#  - two MNs register (0), the third gets 130 (insufficient resources)
#    and nothing of it is left; the first two refresh (0) and are listed;
#  - started again with max_bindings = 4 over those pinned maps: refused,
#    one line naming the map and both capacities, maps untouched;
#  - started again with max_bindings = 2: comes back with both bindings.
# Runs in a namespace of its own (xpt34, the agents' addresses on lo) with
# a private bpffs, so it needs none of the xp-* namespaces.
source "$(dirname "$0")/lib/common.sh"
NS=xpt34
PIN=/run/xpmip-t34/bpf
INST=t34
LMA=2001:db8:ff::1
MAG=2001:db8:a1::2

OWN_NS_INST=$INST
own_ns_begin "$NS" t34-if "$PIN" /run/xpmip-t34 $LMA $MAG

conf() {	# MAX_BINDINGS -> the LMA example with this test's pin_root, interface, capacity
	sed -e "s|^\([[:space:]]*pin_root[[:space:]]*=\).*|\1 \"$PIN\";\nmax_bindings = $1;|" \
	    -e 's|interfaces = \[ "lma-cn", "lma-m1", "lma-m2" \];|interfaces = [ "t34-if" ];|' \
	    "$XP_ROOT/deploy/examples/lma.conf" >"$TEST_DIR/lma-$1.conf"
	echo "$TEST_DIR/lma-$1.conf"
}
lma_start() {	# CONF LOG
	ip netns exec "$NS" "$XPMIPD" --role lma --config "$1" --instance "$INST" --foreground \
		--log-level info >"$2" 2>&1 &
	LMA_PID=$! OWN_NS_KILL=$!
	wait_for 5 "LMA answering" "$XPMIPCTL" --instance "$INST" version ||
		fail "LMA did not start: $(tail -n 5 "$2")"
}
pbu() {	# MNID [pbu_send options] -> the PBA status
	local id=$1; shift
	ip netns exec "$NS" "$TOOLS/pbu_send" --src $MAG --dst $LMA --mnid "$id" --lifetime 60 \
		--json "$@" | jq -r '.status'
}
refresh() { pbu "$1" --hi 5; }	# HI 5: re-registration of the binding it has
max_of() { bpftool -j map show pinned "$PIN/$INST/$1" | jq -r '.max_entries'; }
listed() { "$XPMIPCTL" --instance "$INST" bindings --json | jq -r '[.bindings[] | .mn_id] | sort | join(",")'; }

step "LMA with max_bindings = 2"
grep -q '^max_bindings = 2;' "$(conf 2)" || fail "the test configuration has no max_bindings"
lma_start "$TEST_DIR/lma-2.conf" "$TEST_DIR/lma-1.log"
for m in xp_bind_v1 xp_ul_v1 xp_bstat_v2 xp_mn_v1 xp_bce_v1; do
	check assert_eq "$m created with max_entries 2" 2 "$(max_of $m)"
done

step "two MNs register, the third is refused with 130"
check assert_eq "cap1: PBA status" 0 "$(pbu cap1@xpmip.example)"
check assert_eq "cap2: PBA status" 0 "$(pbu cap2@xpmip.example)"
check assert_eq "cap3: PBA status (insufficient resources)" 130 "$(pbu cap3@xpmip.example)"
check assert_match "the log names the full map" "event=map-write-failed map=xp_(bind|bce|ul|mn|bstat)_v[12]" \
	"$(grep 'map-write-failed' "$TEST_DIR/lma-1.log" | head -n 1)"
check assert_eq "bindings listed" "cap1@xpmip.example,cap2@xpmip.example" "$(listed)"
check assert_eq "xp_bind_v1 holds 2 entries" 2 \
	"$(bpftool -j map dump pinned "$PIN/$INST/xp_bind_v1" | jq length)"
check assert_eq "xp_bce_v1 holds 2 entries" 2 \
	"$(bpftool -j map dump pinned "$PIN/$INST/xp_bce_v1" | jq length)"
check assert_eq "cap1 refreshes (0)" 0 "$(refresh cap1@xpmip.example)"
check assert_eq "cap3 again: still 130" 130 "$(pbu cap3@xpmip.example)"
kill -0 "$LMA_PID" 2>/dev/null && _ok "the LMA is still running" || check fail "the LMA died"

step "restart with another capacity over the pinned maps: refused"
kill -KILL "$LMA_PID"; wait "$LMA_PID" 2>/dev/null; LMA_PID= OWN_NS_KILL=
before=$(bpftool -j map show pinned "$PIN/$INST/xp_bind_v1" | jq -c '{id, max_entries}')
timeout 10 ip netns exec "$NS" "$XPMIPD" --role lma --config "$(conf 4)" --instance "$INST" \
	--foreground --log-level warn >"$TEST_DIR/stdout" 2>"$TEST_DIR/lma-4.err"
rc=$?
sed 's/^/  stderr: /' "$TEST_DIR/lma-4.err"
check assert_ne "max_bindings 4 over maps of 2: exit status" 0 "$rc"
check assert_ne "not killed by the timeout" 124 "$rc"
check assert_eq "one 'xpmipd: ' line" 1 "$(grep -c '^xpmipd: ' "$TEST_DIR/lma-4.err")"
check assert_match "the line says what to do" \
	'^xpmipd: .*another capacity.*max_bindings differs' "$(grep '^xpmipd: ' "$TEST_DIR/lma-4.err")"
check assert_match "a log line names the map and both capacities" \
	'xp_[a-z0-9]+_v1.*pinned_max=2.*want_max=4' "$(cat "$TEST_DIR/lma-4.err")"
check assert_eq "xp_bind_v1 left as it was" "$before" \
	"$(bpftool -j map show pinned "$PIN/$INST/xp_bind_v1" | jq -c '{id, max_entries}')"

step "restart with the same capacity: the bindings are back"
lma_start "$TEST_DIR/lma-2.conf" "$TEST_DIR/lma-2.log"
check assert_eq "bindings listed after the restart" "cap1@xpmip.example,cap2@xpmip.example" "$(listed)"
check assert_eq "cap2 refreshes (0)" 0 "$(refresh cap2@xpmip.example)"
check assert_eq "cap3: still 130" 130 "$(pbu cap3@xpmip.example)"
kill -TERM "$LMA_PID"; wait "$LMA_PID" 2>/dev/null; LMA_PID= OWN_NS_KILL=
test_end
