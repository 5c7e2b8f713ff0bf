#!/usr/bin/env bash
# t_08_startup_errors: every start-up error is one clear line on stderr and
# a non-zero exit, and leaves nothing attached.
#  - a configuration with a syntax error (file:line in the message), an
#    unknown key, a bad address, a missing configuration file;
#  - an LMA interface named in the configuration that does not exist;
#  - pin_root not on a bpf filesystem;
#  - an unsupported kernel (a BPF program or map type missing, as the
#    start-up probe finds it under a seccomp filter) and no privilege for
#    bpf();
#  - a pinned map of an incompatible layout (same name, another value
#    size) in the instance's pin directory: refused with a line naming the
#    map, for a data plane map (xp_bind_v1), the LMA's restart state
#    (xp_bce_v1) and the MAG's (xp_bul_v1); the map is left as it was.
# Needs none of the xp-* namespaces: the daemons run in a namespace of this
# test's own (xpt08, a veth pair and the agents' addresses on lo)
# with a private bpffs, so it can run beside the other selftests.
source "$(dirname "$0")/lib/common.sh"
NS=xpt08
PIN=/run/xpmip-t08/bpf
INST=t08

OWN_NS_INST=$INST
own_ns_begin "$NS" t08-if "$PIN" /run/xpmip-t08 2001:db8:ff::1 2001:db8:a1::2
mkdir -p /run/xpmip-t08/plain

# good configurations: the examples with this test's pin_root and interfaces
C="$TEST_DIR"
sed -e "s|^\([[:space:]]*pin_root[[:space:]]*=\).*|\1 \"$PIN\";|" \
    -e 's|interfaces = \[ "lma-cn", "lma-m1", "lma-m2" \];|interfaces = [ "t08-if" ];|' \
    "$XP_ROOT/deploy/examples/lma.conf" >"$C/lma.conf"
sed -e "s|^\([[:space:]]*pin_root[[:space:]]*=\).*|\1 \"$PIN\";|" \
    -e 's|core_interface = .*|core_interface = "t08-if";|' \
    -e 's|access_interfaces = .*|access_interfaces = [ "t08-acc" ];|' \
    "$XP_ROOT/deploy/examples/mag1.conf" >"$C/mag.conf"

# xpmipd_err DESC REGEX ROLE CONF [args]: run xpmipd, expect a non-zero exit
# within 10 s and exactly one "xpmipd: ..." line on stderr matching REGEX
# (log lines of level err, which come first, may add detail; they are
# shown). Returns the stderr in $ERR_OUT.
xpmipd_err() {
	local desc=$1 re=$2 role=$3 conf=$4; shift 4
	local f="$TEST_DIR/$(tr -c 'a-z0-9\n' _ <<<"${desc,,}" | head -c 40).err" rc lines final
	step "$desc"
	timeout 10 ip netns exec "$NS" ${WRAP:-} "$XPMIPD" --role "$role" --config "$conf" \
		--instance "$INST" --foreground --log-level warn "$@" >"$TEST_DIR/stdout" 2>"$f"
	rc=$?
	ERR_OUT=$(cat "$f")
	echo "$ERR_OUT" | sed 's/^/  stderr: /'
	check assert_ne "$desc: exit status" 0 "$rc"
	check assert_ne "$desc: not killed by the 10 s timeout" 124 "$rc"
	lines=$(grep -c '^xpmipd: ' "$f")
	check assert_eq "$desc: 'xpmipd: ' error lines on stderr" 1 "$lines"
	final=$(grep '^xpmipd: ' "$f" | tail -n 1)
	check assert_match "$desc: the error line" "$re" "$final"
	check assert_eq "$desc: nothing on stdout" "" "$(cat "$TEST_DIR/stdout")"
}
# only one line at all on stderr (errors found before logging starts)
only_line() { check assert_eq "$1: stderr lines" 1 "$(grep -c . <<<"$ERR_OUT")"; }
no_xdp() { check assert_eq "$1: no XDP program left on t08-if" "" \
	"$(ip -n "$NS" -d link show dev t08-if | grep -o 'prog/xdp[^ ]*')"; }

# ---------------------------------------------------------- configuration --
# line 4: a value missing after "="
printf 'instance = "x";\npin_root = "%s";\nlma = {\n  address = ;\n  hnp_len = 64;\n};\n' \
	"$PIN" >"$C/syntax.conf"
xpmipd_err "syntax error" "^xpmipd: .*syntax\.conf:4: .*syntax error" lma "$C/syntax.conf"
only_line "syntax error"

sed 's|^syslog = false;|syslog = false;\nbogus_key = 1;|' "$C/lma.conf" >"$C/unknown.conf"
ln=$(grep -n '^bogus_key' "$C/unknown.conf" | cut -d: -f1)
xpmipd_err "unknown key" "^xpmipd: .*unknown\.conf:$ln: bogus_key: unknown key" lma "$C/unknown.conf"
only_line "unknown key"

sed 's|address = "2001:db8:ff::1";|address = "2001:db8:ff::zz1";|' "$C/lma.conf" >"$C/badaddr.conf"
ln=$(grep -n 'ff::zz1' "$C/badaddr.conf" | cut -d: -f1)
xpmipd_err "bad address" "^xpmipd: .*badaddr\.conf:$ln: lma\.address: '2001:db8:ff::zz1' is not an IPv6 address" \
	lma "$C/badaddr.conf"
only_line "bad address"

sed 's|lma_address = "2001:db8:ff::1";|lma_address = "not-an-address";|' "$C/mag.conf" >"$C/badaddr-mag.conf"
xpmipd_err "bad address (MAG)" "^xpmipd: .*badaddr-mag\.conf:[0-9]+: mag\.lma_address: .*not-an-address" \
	mag "$C/badaddr-mag.conf"
only_line "bad address (MAG)"

xpmipd_err "missing config file" "^xpmipd: $C/nosuch\.conf.*(No such file|cannot read)" lma "$C/nosuch.conf"
only_line "missing config file"

# ------------------------------------------------------------ environment --
sed 's|\[ "t08-if" \]|[ "t08-if", "nosuch0" ]|' "$C/lma.conf" >"$C/missing-if.conf"
xpmipd_err "missing interface" "^xpmipd: .*missing-if\.conf.*'nosuch0' does not exist" lma "$C/missing-if.conf"
only_line "missing interface"
no_xdp "missing interface"
check assert_eq "missing interface: no pin directory created" no \
	"$([[ -e $PIN/$INST ]] && echo yes || echo no)"

sed "s|^\([[:space:]]*pin_root[[:space:]]*=\).*|\1 \"/run/xpmip-t08/plain/xpmip\";|" "$C/lma.conf" >"$C/notbpf.conf"
xpmipd_err "pin_root not on bpffs" "^xpmipd: pin_root /run/xpmip-t08/plain/xpmip is not on a bpf filesystem" \
	lma "$C/notbpf.conf"
only_line "pin_root not on bpffs"

# ----------------------------------------------------- unsupported kernel --
# The daemon probes the program types, map types and helpers it needs
# (user/kfeat.c, libbpf_probe_bpf_*) before creating anything. No other
# kernel here: tests/tools/bpf_deny runs it under a seccomp filter that
# makes one bpf() command fail, which is the answer the real probe gets
# from a kernel without the feature (it loads a minimal program of the
# type, or creates a minimal map).
# unsupported DESC REGEX ROLE CONF BPF_DENY_ARGS...
unsupported() {
	local desc=$1 re=$2 role=$3 conf=$4; shift 4
	rm -rf "${PIN:?}/$INST"
	WRAP="$TOOLS/bpf_deny $* --"
	xpmipd_err "$desc" "$re" "$role" "$conf"
	WRAP=
	only_line "$desc"
	no_xdp "$desc"
	check assert_eq "$desc: no pin directory created" no \
		"$([[ -e $PIN/$INST ]] && echo yes || echo no)"
}
unsupported "unsupported kernel: no XDP programs (LMA)" \
	'^xpmipd: the kernel does not support BPF program type XDP$' lma "$C/lma.conf" --cmd prog_load
unsupported "unsupported kernel: no XDP programs (MAG)" \
	'^xpmipd: the kernel does not support BPF program type XDP$' mag "$C/mag.conf" --cmd prog_load
unsupported "unsupported kernel: no BPF maps" \
	'^xpmipd: the kernel does not support BPF hash maps \(Linux 3\.19\)$' lma "$C/lma.conf" \
	--cmd map_create
unsupported "no privilege for bpf()" \
	'^xpmipd: cannot use bpf\(\): Operation not permitted \(xpmipd needs CAP_BPF' lma \
	"$C/lma.conf" --cmd map_create --errno EPERM

# ------------------------------------------------ incompatible pinned maps --
# incompatible_map DESC ROLE CONF MAP KEY_SIZE: a map named MAP with the
# right key size and an 8-octet value in the pin directory
incompatible_map() {
	local desc=$1 role=$2 conf=$3 map=$4 ks=$5 before after
	rm -rf "${PIN:?}/$INST"
	mkdir -p "$PIN/$INST"
	bpftool map create "$PIN/$INST/$map" type hash key "$ks" value 8 entries 16 name "$map" \
		flags 1 || { fail "bpftool map create $map"; return; }
	bpftool map update pinned "$PIN/$INST/$map" key hex $(printf '01 %.0s' $(seq "$ks")) \
		value hex 02 02 02 02 02 02 02 02
	before=$(bpftool -j map show pinned "$PIN/$INST/$map" | jq -c '{id, bytes_value}')
	xpmipd_err "$desc" "incompatible layout|Protocol error|$map" "$role" "$conf"
	check assert_match "$desc: a stderr line names the map and says why" \
		"$map.*(mismatch|layout|want=)" "$(grep "$map" <<<"$ERR_OUT" | head -n 1)"
	after=$(bpftool -j map show pinned "$PIN/$INST/$map" 2>/dev/null | jq -c '{id, bytes_value}')
	check assert_eq "$desc: the pinned map is left as it was" "$before" "$after"
	check assert_eq "$desc: its entry is untouched" 1 \
		"$(bpftool -j map dump pinned "$PIN/$INST/$map" | jq length)"
	no_xdp "$desc"
}
incompatible_map "incompatible xp_bind_v1 (data plane)" lma "$C/lma.conf" xp_bind_v1 8
incompatible_map "incompatible xp_bce_v1 (LMA state)" lma "$C/lma.conf" xp_bce_v1 8
incompatible_map "incompatible xp_bul_v1 (MAG state)" mag "$C/mag.conf" xp_bul_v1 8

step "and the good configurations do start"
rm -rf "${PIN:?}/$INST"
for role in lma mag; do
	conf="$C/$role.conf"
	ip netns exec "$NS" "$XPMIPD" --role "$role" --config "$conf" --instance "$INST" \
		--foreground --log-level warn --flush >"$TEST_DIR/$role-ok.log" 2>&1 &
	pid=$!
	if wait_for 5 "$role answering" "$XPMIPCTL" --instance "$INST" version; then
		_ok "$role starts with the good configuration"
	else
		check fail "$role did not start with $conf: $(tail -n 5 "$TEST_DIR/$role-ok.log")"
	fi
	kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
	rm -rf "${PIN:?}/$INST"
done
test_end
