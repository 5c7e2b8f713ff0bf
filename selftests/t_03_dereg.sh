#!/usr/bin/env bash
# t_03_dereg: de-registration removes the binding and, after
# MinDelayBeforeBCEDelete (2 s here), every per-MN map entry, on the LMA and
# on the MAG. Two ways: the access link goes down at the MAG, and
# `xpmipctl --instance mag1 detach MAC`.
# Checked with bpftool on the pinned maps (<pin_root>/<instance>/<map>) and
# with `xpmipctl bindings --json`.
source "$(dirname "$0")/lib/common.sh"
DELAY_MS=2000
test_begin
write_default_confs
conf_set "$TEST_DIR/lma.conf" min_delay_before_bce_delete_ms "$DELAY_MS"

# wait_dereg WHAT: after a de-registration trigger, the LMA's binding and
# every map entry disappear, not before ~MinDelayBeforeBCEDelete.
wait_dereg() {
	local what=$1 t0 ms
	t0=$(date +%s%N)
	lma_gone() { ! lma_has_binding && maps_empty lma "${XP_LMA_STATE_MAPS[@]}"; }
	wait_for $(( DELAY_MS / 1000 + 8 )) "$what: LMA binding and map entries gone" lma_gone ||
		_fail "$what: LMA state left: bindings $(lma_bindings_json | jq -c .), maps $(map_summary lma "${XP_LMA_STATE_MAPS[@]}")"
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	say "$what: LMA state gone after $ms ms (MinDelayBeforeBCEDelete $DELAY_MS ms)"
	assert_ge "$what: ms before the LMA deleted the entries" $(( DELAY_MS - 300 )) "$ms"
	assert_eq "$what: LMA maps" "$(printf '%s=0 ' "${XP_LMA_STATE_MAPS[@]}" | sed 's/ $//')" \
		"$(map_summary0 lma "${XP_LMA_STATE_MAPS[@]}")"
	wait_for 5 "$what: MAG1 map entries gone" maps_empty mag1 "${XP_MAG_STATE_MAPS[@]}" ||
		_fail "$what: MAG1 maps left: $(map_summary mag1 "${XP_MAG_STATE_MAPS[@]}")"
	assert_eq "$what: MAG1 maps" "$(printf '%s=0 ' "${XP_MAG_STATE_MAPS[@]}" | sed 's/ $//')" \
		"$(map_summary0 mag1 "${XP_MAG_STATE_MAPS[@]}")"
	assert_eq "$what: LMA bindings (xpmipctl --json)" "0" "$(lma_bindings_json | jq length)"
}

step "attach through MAG1"
attach_via_mag1
warm_path
say "LMA maps: $(map_summary lma "${XP_LMA_STATE_MAPS[@]}")"
say "MAG1 maps: $(map_summary mag1 "${XP_MAG_STATE_MAPS[@]}")"
assert_ge "LMA xp_bind_v1 entries" 1 "$(map_count lma xp_bind_v1)"
assert_ge "LMA prefix entries (xp_pfx_v1 + xp_pfx64_v1)" 1 $(( $(map_count lma xp_pfx_v1) + $(map_count lma xp_pfx64_v1) ))
assert_ge "MAG1 xp_bind_v1 entries" 1 "$(map_count mag1 xp_bind_v1)"

step "access link down at MAG1"
ip -n "$XP_NS_MAG1" link set m1-acc down
wait_dereg "link down"
assert_cmd_fails "CN cannot reach the detached MN" ns_ping "$XP_NS_CN" "$MN_ADDR" 1

step "re-attach, then xpmipctl detach"
ip -n "$XP_NS_MAG1" link set m1-acc up
mn_attach mn-if1
assert_wait 15 "LMA binding again" lma_has_binding
assert_wait 15 "MN address again" mn_has_addr mn-if1
assert_cmd "CN pings the MN again" ns_ping "$XP_NS_CN" "$(mn_addr mn-if1)" 3
assert_cmd "xpmipctl --instance mag1 detach $XP_MN_MAC1" xpctl mag1 detach "$XP_MN_MAC1"
wait_dereg "xpmipctl detach"
test_end
