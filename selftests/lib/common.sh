# shellcheck shell=bash
# selftests/lib/common.sh - sourced by every selftests/t_*.sh and demo.sh.
#
# A scenario looks like:
#   source "$(dirname "$0")/lib/common.sh"
#   test_begin                  # topology up, bpffs mounted, cleanup trap
#   conf_from_example lma       # $TEST_DIR/lma.conf with the test pin_root
#   daemon_start lma ...        # logs in $TEST_DIR/<name>.log
#   assert_eq "what" "$expected" "$seen"
#   test_end                    # verdict (non-zero if any assertion failed)
#
# Everything a test creates (daemons, captures, background traffic, the
# namespaces, the bpffs mount) is removed by the EXIT/INT/TERM trap, whatever
# happened. Per-test files go to $BUILD_DIR/selftests/<test>/.

set -u
set -o pipefail

XP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-build}
[[ $BUILD_DIR == /* ]] || BUILD_DIR="$XP_ROOT/$BUILD_DIR"
XPMIPD="$BUILD_DIR/xpmipd"
XPMIPCTL="$BUILD_DIR/xpmipctl"
TOOLS="$BUILD_DIR/tools"
XP_CTL_DIR=/run/xpmip

TEST_NAME=${TEST_NAME:-$(basename "${0%.sh}")}
TEST_DIR="$BUILD_DIR/selftests/$TEST_NAME"
XP_FAILURES=0
XP_T0=$(date +%s.%N)

# shellcheck source=topology.sh
source "$XP_ROOT/selftests/lib/topology.sh"

declare -A XP_DAEMON_PID=()	# name -> pid
declare -A XP_DAEMON_NS=()	# name -> netns
declare -A XP_BG_PID=()		# name -> pid (captures, traffic, ...)

# ---------------------------------------------------------------- output --
_ts() { awk -v a="$(date +%s.%N)" -v b="$XP_T0" 'BEGIN { printf "%6.2f", a - b }'; }
say()  { echo "[$(_ts)] $*"; }
step() { echo; echo "[$(_ts)] ==== $*"; }

# ------------------------------------------------------------ assertions --
# Every assertion prints what was expected and what was seen. By default a
# failed assertion ends the test (XP_FATAL=1); check_* never ends it.
_fail() {
	XP_FAILURES=$((XP_FAILURES + 1))
	echo "[$(_ts)] FAIL: $*" >&2
	if [[ ${XP_FATAL:-1} == 1 ]]; then
		exit 1
	fi
	return 1
}
_ok() { echo "[$(_ts)] ok: $*"; }

fail() { _fail "$@"; }

assert_eq() {	# desc expected seen
	if [[ "$2" == "$3" ]]; then _ok "$1 = '$3'"; else _fail "$1: expected '$2', saw '$3'"; fi
}
assert_ne() {	# desc unexpected seen
	if [[ "$2" != "$3" ]]; then _ok "$1 = '$3' (not '$2')"; else _fail "$1: expected anything but '$2', saw it"; fi
}
assert_le() {	# desc max seen   (integers)
	if [[ $3 =~ ^-?[0-9]+$ ]] && (( $3 <= $2 )); then _ok "$1 = $3 (<= $2)"; else _fail "$1: expected <= $2, saw '$3'"; fi
}
assert_ge() {	# desc min seen   (integers)
	if [[ $3 =~ ^-?[0-9]+$ ]] && (( $3 >= $2 )); then _ok "$1 = $3 (>= $2)"; else _fail "$1: expected >= $2, saw '$3'"; fi
}
assert_gt() {	# desc min seen   (integers, strictly greater)
	if [[ $3 =~ ^-?[0-9]+$ ]] && (( $3 > $2 )); then _ok "$1 = $3 (> $2)"; else _fail "$1: expected > $2, saw '$3'"; fi
}
assert_match() {	# desc regex seen
	if [[ "$3" =~ $2 ]]; then _ok "$1 = '$3'"; else _fail "$1: expected to match /$2/, saw '$3'"; fi
}
assert_nonempty() {	# desc seen
	if [[ -n "$2" ]]; then _ok "$1 = '$2'"; else _fail "$1: expected a value, saw nothing"; fi
}
assert_cmd() {	# desc cmd...   (the command must succeed; its output is shown on failure)
	local desc=$1 out rc; shift
	out=$("$@" 2>&1); rc=$?
	if (( rc == 0 )); then _ok "$desc"; else
		_fail "$desc: expected '$*' to succeed, it exited $rc: $(echo "$out" | tail -n 5)"; fi
}
assert_cmd_fails() {	# desc cmd...
	local desc=$1 out rc; shift
	out=$("$@" 2>&1); rc=$?
	if (( rc != 0 )); then _ok "$desc"; else
		_fail "$desc: expected '$*' to fail, it succeeded: $(echo "$out" | tail -n 3)"; fi
}
assert_in_prefix() {	# desc prefix/len address
	if ip6_in_prefix "$3" "$2"; then _ok "$1: $3 is in $2"; else
		_fail "$1: expected an address inside $2, saw '$3'"; fi
}
check() { XP_FATAL=0 "$@"; }	# non-fatal form: check assert_eq ...

# wait_for TIMEOUT_S DESC CMD...: poll CMD every 0.2 s until it succeeds.
# Returns 1 (and says so) on timeout; the caller decides if that is fatal.
wait_for() {
	local timeout=$1 desc=$2; shift 2
	local end=$(( $(date +%s%N) + timeout * 1000000000 ))
	while (( $(date +%s%N) < end )); do
		"$@" >/dev/null 2>&1 && { say "waited for: $desc"; return 0; }
		sleep 0.2
	done
	echo "[$(_ts)] timeout (${timeout}s) waiting for: $desc" >&2
	return 1
}
assert_wait() {	# TIMEOUT_S DESC CMD...
	wait_for "$@" || _fail "$2: not true after ${1}s"
}

# ------------------------------------------------------------- addresses --
ip6_expand() {	# print the 32 hex nibbles of an IPv6 address
	local a=${1,,} head tail out="" g n i
	if [[ $a == *::* ]]; then
		head=${a%%::*}; tail=${a#*::}
		local -a H=() T=()
		[[ -n $head ]] && IFS=: read -ra H <<<"$head"
		[[ -n $tail ]] && IFS=: read -ra T <<<"$tail"
		n=$((8 - ${#H[@]} - ${#T[@]}))
		local -a G=("${H[@]}")
		for ((i = 0; i < n; i++)); do G+=(0); done
		G+=("${T[@]}")
	else
		local -a G; IFS=: read -ra G <<<"$a"
	fi
	for g in "${G[@]}"; do out+=$(printf '%04x' "0x$g"); done
	echo "$out"
}
ip6_in_prefix() {	# addr prefix/len  (len a multiple of 4)
	local addr=$1 pfx=${2%/*} len=${2#*/}
	[[ -n $addr && -n $pfx ]] || return 1
	local a p n=$(( len / 4 ))
	a=$(ip6_expand "$addr") || return 1
	p=$(ip6_expand "$pfx") || return 1
	[[ ${a:0:n} == "${p:0:n}" ]]
}

# ---------------------------------------------------------------- config --
# Binding capacity of the test daemons (max_bindings), while
# XP_TEST_MAX_BINDINGS is not empty; test_begin sets it to 4096 unless the
# test set it first (empty: the example's built-in capacities, as t_01 and
# t_07 keep). Why: at the built-in 2^21 every daemon start creates five hash
# maps whose 32 MB bucket arrays are allocated and zeroed at creation, 1.5
# to 2 s per start on a loaded 2-core host, and the suite starts ~100
# daemons that hold a handful of bindings. t_34 tests the capacity itself.
# conf_from_example NAME [EXAMPLE]: $TEST_DIR/NAME.conf from
# deploy/examples/EXAMPLE.conf (default NAME) with the test's pin_root and
# debug logging. Prints the path.
conf_from_example() {
	local name=$1 ex=${2:-$1} out="$TEST_DIR/$1.conf" cap=()
	[[ -n ${XP_TEST_MAX_BINDINGS:-} ]] &&
		! grep -q '^[[:space:]]*max_bindings[[:space:]]*=' "$XP_ROOT/deploy/examples/$ex.conf" &&
		cap=(-e "/^[[:space:]]*instance[[:space:]]*=/a max_bindings = $XP_TEST_MAX_BINDINGS;")
	sed -e "s|^\([[:space:]]*pin_root[[:space:]]*=\).*|\1 \"$XP_PIN_ROOT\";|" \
	    -e "s|^\([[:space:]]*log_level[[:space:]]*=\).*|\1 \"debug\";|" \
	    -e "s|^\([[:space:]]*instance[[:space:]]*=\).*|\1 \"$name\";|" \
	    "${cap[@]}" "$XP_ROOT/deploy/examples/$ex.conf" >"$out"
	echo "$out"
}
# conf_set FILE KEY VALUE: replace the first "KEY = ...;" (up to its first
# ";", so a trailing comment with a ";" in it stays a comment)
conf_set() {
	local f=$1 k=$2 v=$3
	grep -q "^[[:space:]]*${k}[[:space:]]*=" "$f" || { _fail "conf_set: no key '$k' in $f"; return 1; }
	sed -i "0,/^\([[:space:]]*\)${k}[[:space:]]*=[^;]*;/s||\1$k = $v;|" "$f"
}

# --------------------------------------------------------------- daemons --
# daemon_start NAME ROLE NS CONF [extra xpmipd args]: start xpmipd in the
# foreground inside NS (log in $TEST_DIR/NAME.log), wait for its control
# socket. The instance name is NAME.
daemon_start() {
	local name=$1 role=$2 ns=$3 conf=$4; shift 4
	local log="$TEST_DIR/$name.log"
	[[ -x $XPMIPD ]] || { _fail "daemon_start: $XPMIPD not built"; return 1; }
	rm -f "$XP_CTL_DIR/$name.sock"
	ip netns exec "$ns" "$XPMIPD" --role "$role" --config "$conf" --instance "$name" \
		--foreground --log-level debug "$@" >>"$log" 2>&1 &
	XP_DAEMON_PID[$name]=$!
	XP_DAEMON_NS[$name]=$ns
	say "started xpmipd $role '$name' in $ns (pid ${XP_DAEMON_PID[$name]}, log $log)"
	local i
	for ((i = 0; i < 50; i++)); do
		if ! kill -0 "${XP_DAEMON_PID[$name]}" 2>/dev/null; then
			wait "${XP_DAEMON_PID[$name]}"; local rc=$?
			unset "XP_DAEMON_PID[$name]"
			_fail "xpmipd '$name' exited ($rc) at start; last log lines:
$(tail -n 15 "$log")"
			return 1
		fi
		# ready = the control socket answers: it is served by the event
		# loop, which runs only once the role has started (the socket file
		# itself appears before the MH socket is open)
		[[ -S $XP_CTL_DIR/$name.sock ]] && timeout 2 "$XPMIPCTL" --instance "$name" version \
			>/dev/null 2>&1 && return 0
		sleep 0.1
	done
	_fail "xpmipd '$name': control socket $XP_CTL_DIR/$name.sock not answering after 5 s; log:
$(tail -n 15 "$log")"
}

# daemon_kill9_restart NAME ROLE NS [GAP_S]: kill -9 the daemon (no
# cleanup of any kind: the pinned maps are all it leaves), wait GAP_S
# (default 1) with the user plane on its own, start it again with the same
# configuration and wait until it answers.
daemon_kill9_restart() {
	local name=$1 role=$2 ns=$3 gap=${4:-1} pid=${XP_DAEMON_PID[$1]:-} t0
	[[ -n $pid ]] || { _fail "daemon_kill9_restart: '$name' is not running"; return 1; }
	say "kill -9 xpmipd '$name' (pid $pid)"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	unset "XP_DAEMON_PID[$name]"
	sleep "$gap"
	t0=$(date +%s%N)
	daemon_start "$name" "$role" "$ns" "$TEST_DIR/$name.conf" || return 1
	say "xpmipd '$name' answering $(( ($(date +%s%N) - t0) / 1000000 )) ms after start"
}

daemon_alive() { [[ -n ${XP_DAEMON_PID[$1]:-} ]] && kill -0 "${XP_DAEMON_PID[$1]}" 2>/dev/null; }

# daemon_stop NAME: SIGTERM, then SIGKILL after 5 s. Returns the exit status.
daemon_stop() {
	local name=$1 pid=${XP_DAEMON_PID[$1]:-} i rc=0
	[[ -n $pid ]] || return 0
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$pid" 2>/dev/null; then
		echo "[$(_ts)] xpmipd '$name' ignored SIGTERM for 5 s: SIGKILL" >&2
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null; rc=$?
	unset "XP_DAEMON_PID[$name]"
	return $rc
}

# Start the LMA and the two MAGs from the examples (configs already written
# with conf_from_example may be adjusted before calling this).
start_lma()  { daemon_start lma  lma "$XP_NS_LMA"  "${1:-$TEST_DIR/lma.conf}"; }
start_mag1() { daemon_start mag1 mag "$XP_NS_MAG1" "${1:-$TEST_DIR/mag1.conf}"; }
start_mag2() { daemon_start mag2 mag "$XP_NS_MAG2" "${1:-$TEST_DIR/mag2.conf}"; }
write_default_confs() {
	conf_from_example lma >/dev/null
	conf_from_example mag1 >/dev/null
	conf_from_example mag2 >/dev/null
}

# ---------------------------------------------------------------- xpmipctl --
xpctl() {	# INSTANCE args...
	local inst=$1; shift
	"$XPMIPCTL" --instance "$inst" "$@"
}
# xpctl_json INSTANCE CMD [JQ]: the command's --json output through jq
xpctl_json() {
	local inst=$1 cmd=$2 filter=${3:-.} out
	out=$(xpctl "$inst" "$cmd" --json 2>>"$TEST_DIR/xpmipctl.err") || return 1
	jq -r "$filter" <<<"$out"
}

# counter INSTANCE REASON: the value of one reason counter (0 when absent).
# Accepts {"REASON": n}, {"counters": {...}} and [{"name"|"reason": .., value..}].
counter() {
	local inst=$1 r=$2 v
	v=$(xpctl_json "$inst" counters "[.. | objects |
		(if has(\"$r\") then .\"$r\" else empty end),
		(if ((.name? // .reason? // \"\") == \"$r\") then (.packets // .value // .count // .total) else empty end)]
		| map(if type == \"object\" then (.packets // .value // .count // .total) else . end)
		| map(numbers) | first // 0") || v=0
	echo "${v:-0}"
}

# The LMA's binding list as JSON array (whatever the top-level shape is)
lma_bindings_json() {
	xpctl_json lma bindings '.bindings'
}

# ------------------------------------------------------- background jobs --
bg_start() {	# NAME cmd...: a background job killed by the cleanup trap
	local name=$1; shift
	"$@" &
	XP_BG_PID[$name]=$!
}
bg_stop() {	# NAME [SIGNAL]: stop it and wait; returns its exit status
	local name=$1 sig=${2:-TERM} pid=${XP_BG_PID[$1]:-} rc=0
	[[ -n $pid ]] || return 0
	kill "-$sig" "$pid" 2>/dev/null
	local i
	for ((i = 0; i < 30; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null; rc=$?
	unset "XP_BG_PID[$name]"
	return $rc
}
bg_wait() {	# NAME: wait for it to end; returns its exit status
	local pid=${XP_BG_PID[$1]:-} rc=0
	[[ -n $pid ]] || return 0
	wait "$pid"; rc=$?
	unset "XP_BG_PID[$1]"
	return $rc
}

# --------------------------------------------------------------- capture --
# capture_start NAME NS IFACE [tcpdump filter...]: pcap in $TEST_DIR/NAME.pcap
capture_start() {
	local name=$1 ns=$2 ifc=$3; shift 3
	local f="$TEST_DIR/$name.pcap" err="$TEST_DIR/$name.tcpdump.log"
	: >"$err"
	bg_start "cap-$name" ip netns exec "$ns" tcpdump -i "$ifc" -U -n -s 0 -w "$f" "$@" 2>"$err"
	wait_for 5 "tcpdump $name listening" grep -q "listening on" "$err" ||
		_fail "capture $name did not start: $(cat "$err")"
}
capture_stop() {	# NAME: stop and print the pcap path
	bg_stop "cap-$1" INT
	echo "$TEST_DIR/$1.pcap"
}

# ---------------------------------------------------------------- the MN --
# Global, non-tentative addresses of the MN on IF
mn_addrs() {	# [IF]
	ip -n "$XP_NS_MN" -6 -j addr show dev "${1:-mn-if1}" scope global 2>/dev/null |
		jq -r '.[0].addr_info[]? | select(.local != null) | select((.tentative // false) | not) | select((.dadfailed // false) | not) | .local'
}
mn_addr() { mn_addrs "${1:-mn-if1}" | head -n 1; }
mn_default_router() {	# [IF]
	ip -n "$XP_NS_MN" -6 route show default dev "${1:-mn-if1}" | awk '/via/ {print $3; exit}'
}

# ping from NS: ns_ping NS DST [COUNT]
ns_ping() {
	ip netns exec "$1" ping -6 -n -c "${3:-3}" -i 0.2 -W 2 "$2"
}

# inject_to_cn NS IFACE DST_MAC PAYLOAD [pkt_inject args...]: five crafted
# UDP packets to the CN (20 ms apart) sent on IFACE in NS, e.g. with a
# spoofed --src, or tunnelled with --outer-src/--outer-dst
inject_to_cn() {
	local ns=$1 ifc=$2 mac=$3 pl=$4; shift 4
	assert_cmd "inject '$pl' on $ns/$ifc" ip netns exec "$ns" "$TOOLS/pkt_inject" \
		--ifname "$ifc" --dst-mac "$mac" --dst "$XP_ADDR_CN" --payload "$pl" --count 5 --interval-ms 20 "$@"
}

# ----------------------------------------------------------- lifecycle --
_cleanup() {
	local rc=$? name
	trap - EXIT INT TERM
	# signal every job and daemon first, then wait for each: they stop in
	# parallel (each daemon detaches its programs, 0.2-0.5 s)
	for name in "${!XP_BG_PID[@]}"; do kill -TERM "${XP_BG_PID[$name]}" 2>/dev/null; done
	for name in "${!XP_DAEMON_PID[@]}"; do kill -TERM "${XP_DAEMON_PID[$name]}" 2>/dev/null; done
	for name in "${!XP_BG_PID[@]}"; do bg_stop "$name" >/dev/null 2>&1; done
	for name in "${!XP_DAEMON_PID[@]}"; do daemon_stop "$name" >/dev/null 2>&1; done
	if [[ ${XP_KEEP:-0} != 1 ]]; then
		topo_teardown >/dev/null 2>&1
	fi
	exit "$rc"
}

# One topology at a time on this host: the namespace names, the control
# sockets and the pin root are fixed, so concurrent runs (two engineers,
# make check and make demo) would tear down each other's namespaces.
# run.sh holds the lock for the whole suite (XP_TOPO_LOCKED=1 for its tests).
XP_LOCK_FILE=/run/xpmip-selftests.lock
topo_lock() {
	[[ ${XP_TOPO_LOCKED:-0} == 1 ]] && return 0
	exec 9>"$XP_LOCK_FILE"
	if ! flock -n 9; then
		echo "[$(_ts)] another selftest or demo holds $XP_LOCK_FILE; waiting (up to 10 min)" >&2
		flock -w 600 9 || { echo "lock $XP_LOCK_FILE: timeout" >&2; exit 1; }
	fi
	export XP_TOPO_LOCKED=1
}

test_begin() {
	: "${XP_TEST_MAX_BINDINGS=4096}"	# see conf_from_example
	topo_lock
	rm -rf "$TEST_DIR"
	mkdir -p "$TEST_DIR" "$XP_CTL_DIR"
	trap _cleanup EXIT
	trap 'echo "[$(_ts)] interrupted" >&2; exit 130' INT TERM
	say "test $TEST_NAME: files in $TEST_DIR"
	for t in "$XPMIPD" "$XPMIPCTL"; do
		[[ -x $t ]] || echo "warning: $t is not built (run make)" >&2
	done
	topo_setup || _fail "topology setup"
	# The MN starts DAD (link-local, then each SLAAC address) after a
	# random delay of up to router_solicitation_delay (1 s): 0 here, so an
	# attachment takes one DAD probe each, not up to a second more. DAD
	# itself stays on (deploy/topology.sh).
	ip netns exec "$XP_NS_MN" sysctl -qw net.ipv6.conf.mn-if1.router_solicitation_delay=0 \
		net.ipv6.conf.mn-if2.router_solicitation_delay=0 >/dev/null
}

# A namespace of a test's own, for the tests that need none of the xp-*
# namespaces (t_08, t_34): own_ns_begin NS IF PIN RUNDIR ADDR... creates NS
# with lo up, a veth pair IF / IF-peer (up), the addresses on lo, and a
# private bpffs on PIN; the EXIT trap removes NS, the bpffs, RUNDIR and the
# instance's control socket ($OWN_NS_INST), pass or fail.
own_ns_begin() {
	OWN_NS=$1 OWN_NS_IF=$2 OWN_NS_PIN=$3 OWN_NS_RUN=$4; shift 4
	rm -rf "$TEST_DIR"
	mkdir -p "$TEST_DIR" "$XP_CTL_DIR"
	trap _own_ns_cleanup EXIT
	trap 'echo "[$(_ts)] interrupted" >&2; exit 130' INT TERM
	say "test $TEST_NAME: files in $TEST_DIR"
	ip netns del "$OWN_NS" 2>/dev/null
	ip netns add "$OWN_NS" || fail "cannot create namespace $OWN_NS"
	ip -n "$OWN_NS" link set lo up
	ip -n "$OWN_NS" link add "$OWN_NS_IF" type veth peer name "$OWN_NS_IF-peer"
	ip -n "$OWN_NS" link set "$OWN_NS_IF" up
	ip -n "$OWN_NS" link set "$OWN_NS_IF-peer" up
	local a
	for a in "$@"; do ip -n "$OWN_NS" addr add "$a/128" dev lo nodad; done
	mkdir -p "$OWN_NS_PIN"
	mountpoint -q "$OWN_NS_PIN" || mount -t bpf bpf "$OWN_NS_PIN" ||
		fail "cannot mount bpffs on $OWN_NS_PIN"
}
_own_ns_cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	[[ -n ${OWN_NS_KILL:-} ]] && kill -KILL "$OWN_NS_KILL" 2>/dev/null
	ip netns del "$OWN_NS" 2>/dev/null
	if mountpoint -q "$OWN_NS_PIN" 2>/dev/null; then
		umount "$OWN_NS_PIN" 2>/dev/null || umount -l "$OWN_NS_PIN"
	fi
	rm -rf "$OWN_NS_RUN" "$XP_CTL_DIR/${OWN_NS_INST:-}.sock"
	exit "$rc"
}

test_end() {
	if (( XP_FAILURES > 0 )); then
		echo "[$(_ts)] $TEST_NAME: $XP_FAILURES assertion(s) failed"
		exit 1
	fi
	echo "[$(_ts)] $TEST_NAME: all assertions passed"
	exit 0
}

# ------------------------------------------------------------ bindings --
# The LMA's binding of an MN (default mn1) as one JSON object, or nothing.
# Tolerates the field spellings mn_id / mnid / mn.
lma_binding() {	# [MNID]
	local id=${1:-$XP_MN_ID}
	lma_bindings_json 2>/dev/null |
		jq -c --arg id "$id" '[.[] | select((.mn_id // .mnid // .mn // "") == $id)] | first // empty' 2>/dev/null
}
# Fields of a binding object (first HNP as "prefix/len"; Proxy-CoA)
binding_hnp() {
	jq -r '(.hnp // .hnps // .prefixes // .home_network_prefixes) |
		if type == "array" then .[0] else . end |
		if type == "object" then (.prefix // .hnp // .addr) + (if ((.prefix // .hnp // .addr) | test("/")) then "" else "/" + ((.plen // .len // .prefix_len // 64) | tostring) end) else . end // empty' <<<"$1"
}
binding_pcoa() { jq -r '.proxy_coa // .pcoa // .coa // .peer // empty' <<<"$1"; }
lma_binding_pcoa() { binding_pcoa "$(lma_binding "$@")"; }
lma_has_binding() { [[ -n $(lma_binding "$@") ]]; }
lma_no_binding() { ! lma_has_binding "$@"; }

# The MN attaches its interface: bringing it up makes its stack send
# Router Solicitations, which is how a MAG detects it. An interface that
# is already up is cycled (down, up).
mn_attach() {	# [IF]
	local ifc=${1:-mn-if1}
	if [[ $(ip -n "$XP_NS_MN" -j link show dev "$ifc" | jq -r '.[0].flags | index("UP") != null') == true ]]; then
		ip -n "$XP_NS_MN" link set "$ifc" down
	fi
	ip -n "$XP_NS_MN" link set "$ifc" up
}
mn_has_addr() { [[ -n $(mn_addr "${1:-mn-if1}") ]]; }

# The test MN's bindings at the LMA
lma_binding_count() {
	lma_bindings_json 2>/dev/null | jq --arg id "$XP_MN_ID" '[.[] | select(.mn_id == $id)] | length'
}
two_bindings() { [[ $(lma_binding_count) == 2 ]]; }

# Start the LMA and both MAGs (configurations already written), attach
# mn-if1 (MAG1) then mn-if2 (MAG2), wait for both bindings and both
# interfaces' SLAAC addresses
mn_attach_both() {
	start_lma || return 1
	start_mag1 || return 1
	start_mag2 || return 1
	mn_attach mn-if1
	assert_wait 15 "LMA binding for mn-if1" lma_has_binding
	assert_wait 15 "MN SLAAC address on mn-if1" mn_has_addr mn-if1
	mn_attach mn-if2
	assert_wait 15 "a second binding (mn-if2 at MAG2)" two_bindings
	assert_wait 15 "MN SLAAC address on mn-if2" mn_has_addr mn-if2
}

# Start the LMA and MAG1, attach the MN through MAG1, wait for its binding
# and its SLAAC address; sets MN_ADDR and MN_HNP.
attach_via_mag1() {
	start_lma || return 1
	start_mag1 || return 1
	mn_attach mn-if1
	assert_wait 15 "LMA binding for $XP_MN_ID" lma_has_binding
	assert_wait 15 "MN SLAAC address on mn-if1" mn_has_addr mn-if1
	MN_ADDR=$(mn_addr mn-if1)
	MN_HNP=$(binding_hnp "$(lma_binding)")
	say "MN address $MN_ADDR, HNP $MN_HNP"
}

# Resolve the neighbours on the path (first packets would otherwise be
# queued or dropped while the kernel resolves them)
warm_path() {
	ns_ping "$XP_NS_CN" "${1:-$MN_ADDR}" 2 >/dev/null 2>&1 || true
	ns_ping "$XP_NS_MN" "$XP_ADDR_CN" 2 >/dev/null 2>&1 || true
}

# udp_stream between two namespaces: udp_run SENDER_NS RECEIVER_NS DST PPS SECONDS OUT
# Runs the receiver, then the sender, waits for both; the receiver's
# JSON summary lands in OUT.
udp_run() {
	local sns=$1 rns=$2 dst=$3 pps=$4 secs=$5 out=$6 port=${7:-5001}
	local err="$out.recv.log"
	bg_start udp-recv ip netns exec "$rns" "$TOOLS/udp_stream" recv --port "$port" \
		--idle-timeout 3 --duration $((secs + 10)) --out "$out" >/dev/null 2>"$err"
	wait_for 5 "udp receiver listening" grep -q listening "$err"
	ip netns exec "$sns" "$TOOLS/udp_stream" send --dst "$dst" --port "$port" \
		--pps "$pps" --duration "$secs" >"$out.send" 2>&1
	bg_wait udp-recv
	say "udp $sns -> $rns: $(cat "$out" 2>/dev/null)"
}

# ------------------------------------------------------------ pinned maps --
# map_count INSTANCE MAP: entries in a pinned map (bpftool), -1 if unreadable
map_count() {
	local n
	n=$(bpftool -j map dump pinned "$XP_PIN_ROOT/$1/$2" 2>/dev/null | jq 'length' 2>/dev/null)
	echo "${n:--1}"
}
# map_summary with absent maps shown as 0 (for comparisons)
map_summary0() { map_summary "$@" | sed 's/=-1/=0/g'; }
# The per-binding maps of a role (what must be empty once an MN is gone)
XP_LMA_STATE_MAPS=(xp_bind_v1 xp_pfx_v1 xp_pfx64_v1 xp_mn_v1 xp_ul_v1 xp_peer_v1 xp_bstat_v2)
XP_MAG_STATE_MAPS=(xp_bind_v1 xp_pfx_v1 xp_pfx64_v1 xp_mn_v1 xp_bstat_v2)
# map_summary INSTANCE MAPS...: "name=count ..." 
map_summary() {
	local inst=$1 m out=""; shift
	for m in "$@"; do out+="$m=$(map_count "$inst" "$m") "; done
	echo "${out% }"
}
maps_empty() {	# INSTANCE MAPS...
	local inst=$1 m; shift
	# -1: the map does not exist for this role/build, so it holds nothing
	for m in "$@"; do (( $(map_count "$inst" "$m") <= 0 )) || return 1; done
}
