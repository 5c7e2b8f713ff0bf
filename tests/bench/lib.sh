# tests/bench/lib.sh - sourced by tests/bench/throughput.sh and handover.sh
# (and, for the one-namespace LMA, by the signalling benchmarks below).
#
# The benchmarks run on the selftests' topology and daemon helpers
# (selftests/lib/common.sh, deploy/topology.sh), with three changes so that
# they do not collide with the selftests' names (they still take the
# selftests' lock, /run/xpmip-selftests.lock, so that no selftest runs
# during a measurement and no benchmark during a selftest):
#  - namespaces xpb-cn, xpb-lma, xpb-mag1, xpb-mag2, xpb-mn (the selftests
#    use xp-*): the topology's names are rewritten after it is sourced;
#  - daemon instances (control sockets in /run/xpmip) xpb-lma, xpb-mag1,
#    xpb-mag2;
#  - a private bpffs at /run/xpmip-bench/<bench>/bpf.
# Files go to $BUILD_DIR/bench/<bench>/, results to $BUILD_DIR/bench/results/.
#
#   BENCH=throughput source tests/bench/lib.sh
#   bench_begin                 # cleanup trap (daemons, jobs, namespaces, bpffs)
#   bench_topo_up               # topology + bpffs (fresh; may be called again)
#   bench_attach_mag1           # LMA + MAG1 (+ MAG2 if asked), MN attached

# The signalling benchmarks (restart.sh, scale.sh, sigab.sh, sigprof.sh) run
# one LMA alone in one namespace; they source this file with BENCH_SIG=1,
# which defines only the three functions below, after setting NS, PIN
# (their bpffs), INST (daemon instance), OUT and LMA_PID.
#   sig_ns_up IF        bpffs on $PIN, namespace $NS, veth IF0/IF1 up, the
#                       LMA (2001:db8:ff::1) and MAG (2001:db8:a1::2)
#                       addresses on lo (torn down first)
#   sig_lma_conf IF LEVEL FILE   deploy/examples/lma.conf on IF0, $PIN, LEVEL
#   sig_cleanup         kill $LMA_PID (SIGTERM and 1 s first when
#                       SIG_STOP_TERM=1), remove the namespace, the pins,
#                       the control socket, the bpffs
sig_cleanup() {
	if [[ -n ${LMA_PID:-} ]]; then
		[[ ${SIG_STOP_TERM:-0} == 1 ]] && kill -TERM "$LMA_PID" 2>/dev/null && sleep 1
		kill -KILL "$LMA_PID" 2>/dev/null
		wait "$LMA_PID" 2>/dev/null
	fi
	LMA_PID=
	ip netns del "$NS" 2>/dev/null
	rm -rf "${PIN:?}/$INST" "/run/xpmip/$INST.sock"
	mountpoint -q "$PIN" && { umount "$PIN" || umount -l "$PIN"; }
	rmdir "$PIN" 2>/dev/null
	true
}
sig_ns_up() {
	sig_cleanup
	mkdir -p "$PIN" && mount -t bpf bpf "$PIN" || return 1
	ip netns add "$NS"
	ip -n "$NS" link set lo up
	ip -n "$NS" link add "${1}0" type veth peer name "${1}1"
	ip -n "$NS" link set "${1}0" up && ip -n "$NS" link set "${1}1" up
	ip -n "$NS" addr add 2001:db8:ff::1/128 dev lo nodad
	ip -n "$NS" addr add 2001:db8:a1::2/128 dev lo nodad
}
sig_lma_conf() {
	sed -e "s#^pin_root = .*#pin_root = \"$PIN\";#" \
	    -e "s#interfaces = \\[ \"lma-cn\", \"lma-m1\", \"lma-m2\" \\];#interfaces = [ \"${1}0\" ];#" \
	    -e "s#^log_level = .*#log_level = \"$2\";#" deploy/examples/lma.conf >"$3"
}
[[ ${BENCH_SIG:-0} == 1 ]] && return 0

: "${BENCH:?set BENCH before sourcing tests/bench/lib.sh}"
TEST_NAME=bench-$BENCH
XP_PIN_ROOT=/run/xpmip-bench/$BENCH/bpf
# shellcheck source=../../selftests/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../selftests/lib/common.sh"
set +e	# the benchmarks check what they need themselves

TEST_DIR="$BUILD_DIR/bench/$BENCH"
RESULTS="$BUILD_DIR/bench/results"

# namespaces: xp-* -> xpb-*
XP_NS_CN=xpb-cn
XP_NS_LMA=xpb-lma
XP_NS_MAG1=xpb-mag1
XP_NS_MAG2=xpb-mag2
XP_NS_MN=xpb-mn
XP_NAMESPACES=("$XP_NS_CN" "$XP_NS_LMA" "$XP_NS_MAG1" "$XP_NS_MAG2" "$XP_NS_MN")
for _i in "${!XP_LINKS[@]}"; do XP_LINKS[$_i]=${XP_LINKS[$_i]//xp-/xpb-}; done
unset _i

# daemon instance names (control sockets)
B_LMA=xpb-lma
B_MAG1=xpb-mag1
B_MAG2=xpb-mag2

# Extra cleanup steps of a benchmark (function names), run before the common
# one (daemons, background jobs, namespaces, bpffs).
BENCH_CLEANUP=()
_bench_cleanup() {
	local f
	for f in "${BENCH_CLEANUP[@]}"; do "$f" >/dev/null 2>&1; done
	rm -f "$XP_CTL_DIR/$B_LMA.sock" "$XP_CTL_DIR/$B_MAG1.sock" "$XP_CTL_DIR/$B_MAG2.sock"
	_cleanup
}

bench_begin() {
	topo_lock
	rm -rf "$TEST_DIR"
	mkdir -p "$TEST_DIR" "$RESULTS" "$XP_CTL_DIR"
	trap _bench_cleanup EXIT
	trap 'echo "[$(_ts)] interrupted" >&2; exit 130' INT TERM
	local t
	for t in "$XPMIPD" "$XPMIPCTL" "$TOOLS/udp_stream"; do
		[[ -x $t ]] || { echo "bench: $t is not built (make all $TOOLS/udp_stream)" >&2; exit 1; }
	done
}

# A fresh topology: stop the daemons, rebuild the namespaces, remount bpffs.
bench_topo_up() {
	local name
	for name in "${!XP_DAEMON_PID[@]}"; do daemon_stop "$name" >/dev/null 2>&1; done
	topo_teardown >/dev/null 2>&1
	topo_setup || { echo "bench: topology setup failed" >&2; exit 1; }
}

# The LMA's binding of mn1 (one JSON object, or nothing)
b_binding() {
	xpctl_json "$B_LMA" bindings 'if type == "array" then . else (.bindings // []) end' 2>/dev/null |
		jq -c --arg id "$XP_MN_ID" '[.[] | select((.mn_id // .mnid // .mn // "") == $id)] | first // empty' 2>/dev/null
}
b_has_binding() { [[ -n $(b_binding) ]]; }
b_pcoa() { binding_pcoa "$(b_binding)"; }

# bench_attach_mag1 [mag2]: configs from the examples (log level info),
# start the LMA and MAG1 (and MAG2 with "mag2"; both MAGs then register on
# link-up, as in t_02), attach the MN through MAG1; sets MN_ADDR, MN_HNP.
bench_attach_mag1() {
	local c
	conf_from_example "$B_LMA" lma >/dev/null
	conf_from_example "$B_MAG1" mag1 >/dev/null
	conf_from_example "$B_MAG2" mag2 >/dev/null
	for c in "$B_LMA" "$B_MAG1" "$B_MAG2"; do
		sed -i 's|^\([[:space:]]*log_level[[:space:]]*=\).*|\1 "info";|' "$TEST_DIR/$c.conf"
	done
	conf_set "$TEST_DIR/$B_MAG1.conf" detect_link_up true
	conf_set "$TEST_DIR/$B_MAG2.conf" detect_link_up true
	daemon_start "$B_LMA" lma "$XP_NS_LMA" "$TEST_DIR/$B_LMA.conf" --log-level info || return 1
	if [[ ${1:-} == mag2 ]]; then
		daemon_start "$B_MAG2" mag "$XP_NS_MAG2" "$TEST_DIR/$B_MAG2.conf" --log-level info || return 1
	fi
	daemon_start "$B_MAG1" mag "$XP_NS_MAG1" "$TEST_DIR/$B_MAG1.conf" --log-level info || return 1
	mn_attach mn-if1
	wait_for 15 "LMA binding for $XP_MN_ID" b_has_binding || return 1
	wait_for 15 "MN SLAAC address on mn-if1" mn_has_addr mn-if1 || return 1
	MN_ADDR=$(mn_addr mn-if1)
	MN_HNP=$(binding_hnp "$(b_binding)")
	say "MN address $MN_ADDR, HNP $MN_HNP, Proxy-CoA $(b_pcoa)"
}

# Statistics helpers
ifstat() {	# ns if counter (rx_packets, tx_packets, ...)
	ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3"
}
# median / min / max of numbers on stdin, as "median min max"
mmm() {
	sort -g | awk '{v[NR] = $1} END {
		if (NR == 0) { print "null null null"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		print m, v[1], v[NR] }'
}
