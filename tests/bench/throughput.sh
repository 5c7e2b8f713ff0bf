#!/usr/bin/env bash
# tests/bench/throughput.sh - issue 4, section 2: throughput on veth.
#
# CN -> LMA -> MAG1 -> MN on the selftests' topology (namespaces xpb-*, see
# tests/bench/lib.sh), small UDP packets (80-octet frames: Ethernet, IPv6,
# UDP, 18 octets of payload) from trafgen (netsniff-ng) in the CN namespace,
# one CPU, TX_RING through a pfifo qdisc on cn0 (no -t: `-t 0` would use one
# sendto() per packet, 3x slower here). Every downlink packet crosses two forwarding hops, the LMA
# (lma-cn -> lma-m1) and MAG1 (m1-lma -> m1-acc), and is counted and dropped
# at the MN's interface mn-if1 by an XDP_DROP program (xb_drop in
# tests/bench/bpf/bench_redirect.bpf.c) in every configuration, so that the MN's
# own stack is not in the figures. In the same run, interleaved, ROUNDS
# times (the starting configuration rotates):
#   (a) xpmip: the daemons' XDP programs (LMA encapsulates to MAG1, MAG1
#       decapsulates and redirects to the MN);
#   (a0) the same with the next-hop cache off (XP_CFG_F_NO_NHCACHE in both
#       daemons' xp_cfg_v1: bpf_fib_lookup for every packet, as before it);
#   (b) kernel: the same namespaces with no BPF on the path (xpmip's XDP
#       programs detached from every LMA and MAG1 interface), the LMA with a
#       route for the MN's HNP via MAG1 and MAG1 with a route for the MN's
#       address on m1-acc (static neighbour entries on both): plain IPv6
#       forwarding, un-tunnelled, at both hops;
#   (c) redirect-only: xb_redirect (rewrite the two MACs, bpf_redirect) on
#       lma-cn -> lma-m1 and on m1-lma -> m1-acc: the harness's limit.
# Reported per window: packets sent (cn0 tx), received at the MN (mn-if1
# rx_packets, XDP-dropped there), and CPU time per received packet from
# /proc/stat: sys + softirq of the CPU the generator and both hops run on
# (see measure()), plus softirq elsewhere.
#
#   tests/bench/throughput.sh          (make bench runs it)
#   ROUNDS=5 WINDOW_S=3 tests/bench/throughput.sh
# Output: build/bench/results/throughput.json (JSON lines),
#         build/bench/results/throughput.md (table, commands, what is compared)
set -u
cd "$(dirname "$0")/../.."
BENCH=throughput
# shellcheck source=lib.sh
source tests/bench/lib.sh
ROUNDS=${ROUNDS:-5}
WINDOW_S=${WINDOW_S:-3}
WARM_S=${WARM_S:-1}
JSON="$RESULTS/throughput.json"
MD="$RESULTS/throughput.md"
PROGPIN="$XP_PIN_ROOT/bench-progs"
BPF_CFLAGS=(-g -O2 -target bpf -mcpu=v3 -Wall -Werror -Ivmlinux -Iinclude -Ibpf)

bench_begin
rm -f "$MD"
for t in trafgen bpftool clang jq ethtool; do
	command -v $t >/dev/null || { echo "throughput: $t not found (make deps)" >&2; exit 1; }
done

# trafgen's parent only waits for its per-CPU workers: signal the whole
# process group (setsid makes the job its own group)
tg_stop() {
	[[ -n ${TG_PID:-} ]] || return 0
	kill -TERM -- "-$TG_PID" 2>/dev/null
	local i
	for ((i = 0; i < 30; i++)); do kill -0 -- "-$TG_PID" 2>/dev/null || break; sleep 0.1; done
	kill -KILL -- "-$TG_PID" 2>/dev/null
	wait "$TG_PID" 2>/dev/null
	TG_PID=
}
BENCH_CLEANUP+=(tg_stop)

bench_topo_up
bench_attach_mag1 || { echo "throughput: the MN did not attach; logs in $TEST_DIR" >&2; exit 1; }
warm_path

mac_of() { topo_mac "$1" "$2"; }
mac_c() { sed 's/^/0x/; s/:/, 0x/g' <<<"$1"; }	# 02:00:.. -> 0x02, 0x00, ..
ip6_c() { ip6_expand "$1" | sed 's/../0x&,/g; s/,$//'; }
ifindex_of() { ip -n "$1" -j link show dev "$2" | jq -r '.[0].ifindex'; }

MAC_CN=$(mac_of "$XP_NS_CN" cn0)
MAC_LMA_CN=$(mac_of "$XP_NS_LMA" lma-cn)
MAC_LMA_M1=$(mac_of "$XP_NS_LMA" lma-m1)
MAC_M1_LMA=$(mac_of "$XP_NS_MAG1" m1-lma)
MAC_M1_ACC=$(mac_of "$XP_NS_MAG1" m1-acc)
MAC_MN=$(mac_of "$XP_NS_MN" mn-if1)

# Static neighbours on the path (all configurations): no resolution, no NUD
ip -n "$XP_NS_LMA" -6 neigh replace "$XP_ADDR_MAG1" lladdr "$MAC_M1_LMA" dev lma-m1 nud permanent
ip -n "$XP_NS_MAG1" -6 neigh replace "$MN_ADDR" lladdr "$MAC_MN" dev m1-acc nud permanent

# ---- the XDP programs: xpmip's (pinned so that they survive a detach) ----
mkdir -p "$PROGPIN"
declare -A XPROG=() XMODE=()	# "ns/if" -> pinned path, xdpdrv|xdpgeneric
XP_IFS=("$XP_NS_LMA/lma-cn" "$XP_NS_LMA/lma-m1" "$XP_NS_LMA/lma-m2" "$XP_NS_MAG1/m1-lma" "$XP_NS_MAG1/m1-acc")
for e in "${XP_IFS[@]}"; do
	ns=${e%%/*} ifc=${e#*/}
	j=$(ip -n "$ns" -j -d link show dev "$ifc")
	id=$(jq -r '.[0].xdp.prog.id // .[0].xdp.attached[0].prog.id // empty' <<<"$j")
	mode=$(jq -r '.[0].xdp.mode // .[0].xdp.attached[0].mode // empty' <<<"$j")
	[[ -n $id ]] || { echo "throughput: no xpmip XDP program on $ns/$ifc" >&2; exit 1; }
	p="$PROGPIN/${ns}_$ifc"
	bpftool prog pin id "$id" "$p" || { echo "throughput: cannot pin prog $id" >&2; exit 1; }
	XPROG[$e]=$p
	[[ $mode == 2 ]] && XMODE[$e]=xdpgeneric || XMODE[$e]=xdpdrv
	say "xpmip XDP on $e: prog id $id mode ${XMODE[$e]}"
done

# ---- the bench programs, compiled for this topology ----
xb_build() {	# out ifindex dst_mac src_mac
	clang "${BPF_CFLAGS[@]}" -DXB_IFINDEX="$2" -DXB_DST="$(mac_c "$3")" -DXB_SRC="$(mac_c "$4")" \
		-c tests/bench/bpf/bench_redirect.bpf.c -o "$1"
}
xb_build "$TEST_DIR/xb_lma.o" "$(ifindex_of "$XP_NS_LMA" lma-m1)" "$MAC_M1_LMA" "$MAC_LMA_M1" || exit 1
xb_build "$TEST_DIR/xb_mag.o" "$(ifindex_of "$XP_NS_MAG1" m1-acc)" "$MAC_MN" "$MAC_M1_ACC" || exit 1

xdp_off() {	# ns if
	ip -n "$1" link set dev "$2" xdpgeneric off 2>/dev/null
	ip -n "$1" link set dev "$2" xdpdrv off 2>/dev/null
	ip -n "$1" link set dev "$2" xdp off 2>/dev/null
	return 0
}
xdp_prog_name() {	# ns if
	ip -n "$1" -j -d link show dev "$2" | jq -r '.[0].xdp.prog.name // .[0].xdp.attached[0].prog.name // "none"'
}

# The MN end: count and drop
ip -n "$XP_NS_MN" link set dev mn-if1 xdpdrv obj "$TEST_DIR/xb_mag.o" program xb_drop ||
	{ echo "throughput: cannot attach xb_drop on mn-if1" >&2; exit 1; }

cfg_xpmip() {
	local e
	ip -n "$XP_NS_LMA" -6 route del "$MN_HNP" 2>/dev/null
	ip -n "$XP_NS_MAG1" -6 route del "$MN_ADDR/128" 2>/dev/null
	for e in "${XP_IFS[@]}"; do
		xdp_off "${e%%/*}" "${e#*/}"
		ip netns exec "${e%%/*}" bpftool net attach "${XMODE[$e]}" pinned "${XPROG[$e]}" \
			dev "${e#*/}" overwrite || return 1
	done
	nh_cache on
}
# XP_CFG_F_NO_NHCACHE (include/xpmip_maps.h) in flags (octets 20-23, little
# endian) of the LMA's and MAG1's xp_cfg_v1: on = cache used (the default)
NO_NHCACHE=4
nh_cache() {	# on|off
	local inst m x
	local -a v
	for inst in "$B_LMA" "$B_MAG1"; do
		m="$XP_PIN_ROOT/$inst/xp_cfg_v1"
		read -ra v <<<"$(bpftool -j map lookup pinned "$m" key 0 0 0 0 | jq -r '.value | join(" ")')"
		(( ${#v[@]} == 32 )) || return 1
		x=$(( v[20] ))
		if [[ $1 == on ]]; then x=$(( x & ~NO_NHCACHE )); else x=$(( x | NO_NHCACHE )); fi
		v[20]=$(printf '0x%02x' "$x")
		bpftool map update pinned "$m" key 0 0 0 0 value "${v[@]}" || return 1
	done
}
cfg_nonh() {
	cfg_xpmip && nh_cache off
}
cfg_kernel() {
	local e
	for e in "${XP_IFS[@]}"; do xdp_off "${e%%/*}" "${e#*/}"; done
	ip -n "$XP_NS_LMA" -6 route replace "$MN_HNP" via "$XP_ADDR_MAG1" dev lma-m1 || return 1
	ip -n "$XP_NS_MAG1" -6 route replace "$MN_ADDR/128" dev m1-acc || return 1
}
cfg_redirect() {
	local e
	ip -n "$XP_NS_LMA" -6 route del "$MN_HNP" 2>/dev/null
	ip -n "$XP_NS_MAG1" -6 route del "$MN_ADDR/128" 2>/dev/null
	for e in "${XP_IFS[@]}"; do xdp_off "${e%%/*}" "${e#*/}"; done
	ip -n "$XP_NS_LMA" link set dev lma-cn xdpdrv obj "$TEST_DIR/xb_lma.o" program xb_redirect || return 1
	ip -n "$XP_NS_MAG1" link set dev m1-lma xdpdrv obj "$TEST_DIR/xb_mag.o" program xb_redirect || return 1
}

# The generator's limit on a bare veth: cn0 -> lma-cn, dropped there by XDP
cfg_generator() {
	local e
	for e in "${XP_IFS[@]}"; do xdp_off "${e%%/*}" "${e#*/}"; done
	ip -n "$XP_NS_LMA" link set dev lma-cn xdpdrv obj "$TEST_DIR/xb_lma.o" program xb_drop || return 1
}
rx_point() {	# config -> "ns if" where received packets are counted
	if [[ $1 == generator ]]; then echo "$XP_NS_LMA lma-cn"; else echo "$XP_NS_MN mn-if1"; fi
}

# ---- trafgen: CN -> MN, one CPU ----
TG_CONF="$TEST_DIR/trafgen.cfg"
cat >"$TG_CONF" <<EOF
/* throughput.sh: Ethernet / IPv6 / UDP, 80 octets, CN -> MN */
{
  $(mac_c "$MAC_LMA_CN"), $(mac_c "$MAC_CN"), 0x86, 0xdd,
  0x60, 0x00, 0x00, 0x00, const16(26), 17, 64,
  $(ip6_c "$XP_ADDR_CN"),
  $(ip6_c "$MN_ADDR"),
  const16(9), const16(5001), const16(26), csumudp6(14, 54),
  fill(0x41, 18)
}
EOF
# -q: through cn0's qdisc (a pfifo): when the LMA side's veth ring is full the
# veth stops its queue and the qdisc absorbs it (ENOBUFS on overflow, which
# trafgen tolerates); on the default qdisc-bypass path the send fails with
# EAGAIN and trafgen exits ("Flushing TX_RING failed"). The queue is short
# (TG_QLEN packets): trafgen cannot raise its socket's send buffer inside a
# namespace (net.core.wmem_max is the initial namespace's), and a queue of
# 1000 skbs fills the default 208 KiB first, which is EAGAIN again.
TG_QLEN=${TG_QLEN:-64}
ip netns exec "$XP_NS_CN" tc qdisc replace dev cn0 root pfifo limit "$TG_QLEN" ||
	{ echo "throughput: cannot add a pfifo qdisc on cn0" >&2; exit 1; }
# nice -10: the generator's CPU also runs both hops (softirq in its context);
# other people's builds on this 2-core machine would otherwise take a
# varying share of it
TG_CMD="nice -n -10 trafgen --dev cn0 --conf $TG_CONF --cpp -P 1 -q"

cpu_sample() {	# "user sys softirq" jiffies of each CPU
	awk '/^cpu[0-9]/ { printf "%s%d %d %d", (n++ ? " " : ""), $2 + $3, $4, $8 } END { print "" }' /proc/stat
}
# utime + stime (clock ticks) of trafgen's processes and of every ksoftirqd.
# A tick that lands in softirq is charged to the task it interrupted too, so
# the generator's own time holds the send path and everything both hops do
# inline in its context; ksoftirqd holds the softirq work deferred to it.
# Other processes' time on the same CPU (other builds) is not in it.
path_ticks() {
	local pids
	pids="$(pgrep -g "$TG_PID") $(pgrep '^ksoftirqd/')"
	# shellcheck disable=SC2086
	(cd /proc && cat $(printf '%s/stat ' $pids) 2>/dev/null) |
		sed 's/^.*) //' | awk '{ t += $12 + $13 } END { print t + 0 }'
}

measure() {	# config round
	local cfg=$1 r=$2 tx0 tx1 rx0 rx1 c0 c1 p0 p1 hz t0 t1 dl0 dl1 dd0 dd1 rns rif
	read -r rns rif <<<"$(rx_point "$cfg")"
	hz=$(getconf CLK_TCK)
	setsid ip netns exec "$XP_NS_CN" $TG_CMD >"$TEST_DIR/trafgen-$cfg-$r.log" 2>&1 &
	TG_PID=$!
	# trafgen's start (cpp, ring setup) takes from 0.1 to several seconds here
	local i
	for ((i = 0; i < 150; i++)); do
		grep -q "Running" "$TEST_DIR/trafgen-$cfg-$r.log" 2>/dev/null && break
		sleep 0.1
	done
	sleep "$WARM_S"
	dl0=$(counter "$B_LMA" DL_FORWARD); dd0=$(counter "$B_MAG1" DL_DELIVER)
	tx0=$(ifstat "$XP_NS_CN" cn0 tx_packets); rx0=$(ifstat "$rns" "$rif" rx_packets)
	c0=$(cpu_sample); p0=$(path_ticks); t0=$(date +%s%N)
	if [[ ${DIAG:-0} == 1 ]]; then	# where the CPU goes (top's second sample)
		top -b -n 2 -d 1 -w 200 | awk '/^top -/ {n++} n == 2' | head -25 >"$TEST_DIR/top-$cfg-$r.txt"
		sleep "$((WINDOW_S > 2 ? WINDOW_S - 2 : 0))"
	else
		sleep "$WINDOW_S"
	fi
	tx1=$(ifstat "$XP_NS_CN" cn0 tx_packets); rx1=$(ifstat "$rns" "$rif" rx_packets)
	c1=$(cpu_sample); p1=$(path_ticks); t1=$(date +%s%N)
	if ! kill -0 -- "-$TG_PID" 2>/dev/null; then	# died inside the window
		tg_stop
		echo "throughput: trafgen exited inside the $cfg window: $(grep -m1 -i fail "$TEST_DIR/trafgen-$cfg-$r.log")" >&2
		return 1
	fi
	tg_stop
	dl1=$(counter "$B_LMA" DL_FORWARD); dd1=$(counter "$B_MAG1" DL_DELIVER)
	# path_ns_per_pkt: path_ticks() per packet received (see there);
	# cpu_ns_per_pkt, the cross-check: sys + softirq of the busiest CPU
	# (trafgen's, where both hops run too) plus softirq elsewhere, which
	# also holds the sys time of whatever else runs on that CPU.
	awk -v cfg="$cfg" -v r="$r" -v tx=$((tx1 - tx0)) -v rx=$((rx1 - rx0)) -v ns=$((t1 - t0)) \
	    -v hz="$hz" -v c0="$c0" -v c1="$c1" -v pt=$((p1 - p0)) -v dl=$((dl1 - dl0)) -v dd=$((dd1 - dd0)) 'BEGIN {
		n = split(c0, a, " ") / 3; split(c1, b, " ")
		s = ns / 1e9; best = -1
		for (c = 0; c < n; c++) {
			u[c] = (b[3*c+1] - a[3*c+1]) / hz; y[c] = (b[3*c+2] - a[3*c+2]) / hz
			q[c] = (b[3*c+3] - a[3*c+3]) / hz
			if (y[c] + q[c] > best) { best = y[c] + q[c]; pc = c }
		}
		cpu = y[pc]
		for (c = 0; c < n; c++) cpu += q[c]
		printf "{\"bench\":\"throughput\",\"config\":\"%s\",\"round\":%d,\"window_s\":%.3f,", cfg, r, s
		printf "\"tx_pps\":%d,\"rx_pps\":%d,\"delivered_pct\":%.1f,", tx / s, rx / s, tx ? rx * 100 / tx : 0
		printf "\"path_cpu_pct\":%.0f,\"path_ns_per_pkt\":%.0f,", pt / hz * 100 / s, rx ? pt / hz * 1e9 / rx : 0
		printf "\"busiest_cpu\":%d,\"cpu_ns_per_pkt\":%.0f,", pc, rx ? cpu * 1e9 / rx : 0
		printf "\"per_cpu_user_sys_softirq_pct\":\""
		for (c = 0; c < n; c++)
			printf "%s%.0f/%.0f/%.0f", (c ? " " : ""), u[c] * 100 / s, y[c] * 100 / s, q[c] * 100 / s
		printf "\",\"lma_dl_forward\":%d,\"mag1_dl_deliver\":%d}\n", dl, dd
	}'
}

: >"$JSON"
CFGS=(xpmip nonh kernel redirect generator)
for ((r = 1; r <= ROUNDS; r++)); do
	for ((k = 0; k < ${#CFGS[@]}; k++)); do
		cfg=${CFGS[$(((r - 1 + k) % ${#CFGS[@]}))]}
		"cfg_$cfg" || { echo "throughput: configuration $cfg failed" >&2; exit 1; }
		say "round $r $cfg: LMA lma-cn $(xdp_prog_name "$XP_NS_LMA" lma-cn), MAG1 m1-lma $(xdp_prog_name "$XP_NS_MAG1" m1-lma)"
		line=$(measure "$cfg" "$r") || line=$(measure "$cfg" "$r") ||
			{ echo "throughput: no valid $cfg window in round $r" >&2; exit 1; }
		echo "$line" | tee -a "$JSON"
	done
done
cfg_xpmip

# ---- the markdown fragment ----
stat_of() {	# config field -> "median min max"
	jq -r --arg c "$1" "select(.config == \$c) | .$2" "$JSON" | mmm
}
ratio_of() {	# per-round ratio of field: x(c1)/x(c2) -> "median min max"
	jq -rs --arg a "$1" --arg b "$2" --arg f "$3" 'group_by(.round)[] |
		(map(select(.config == $a))[0][$f]) as $x | (map(select(.config == $b))[0][$f]) as $y |
		if $y > 0 then $x / $y else empty end' "$JSON" | mmm
}
hop_of() {	# per-round CPU ns per packet of config above the generator-alone row
	jq -rs --arg a "$1" 'group_by(.round)[] |
		(map(select(.config == $a))[0].path_ns_per_pkt) -
		(map(select(.config == "generator"))[0].path_ns_per_pkt)' "$JSON" | mmm
}
hop_ratio() {	# per-round hop cost ratio c1/c2
	jq -rs --arg a "$1" --arg b "$2" 'group_by(.round)[] |
		(map(select(.config == "generator"))[0].path_ns_per_pkt) as $g |
		(map(select(.config == $a))[0].path_ns_per_pkt - $g) as $x |
		(map(select(.config == $b))[0].path_ns_per_pkt - $g) as $y |
		if $y > 0 then $x / $y else empty end' "$JSON" | mmm
}
fmt() { awk -v v="$1" -v d="${2:-0}" 'BEGIN { printf "%.*f", d, v }'; }
k() { awk -v v="$1" 'BEGIN { printf "%.0f", v / 1000 }'; }
met() { awk -v v="${1%% *}" -v g="$2" 'BEGIN { print (v >= g) ? "met" : "NOT met" }'; }
r3() { local m lo hi; read -r m lo hi <<<"$1"; echo "$(fmt "$m" 2) ($(fmt "$lo" 2)-$(fmt "$hi" 2))"; }
name_of() { case $1 in xpmip) echo "(a) xpmip XDP (encap at LMA, decap at MAG1)";;
	nonh) echo "(a0) xpmip XDP, next-hop cache off (bpf_fib_lookup per packet)";;
	kernel) echo "(b) kernel IPv6 forwarding, no BPF";; redirect) echo "(c) XDP redirect only";;
	generator) echo "generator alone: cn0 -> lma-cn, XDP_DROP there (no hop)";; esac; }
{
	echo "Command: \`tests/bench/throughput.sh\` (inside \`make bench\`; ROUNDS=$ROUNDS,"
	echo "WINDOW_S=$WINDOW_S after ${WARM_S} s of warm-up). Generator, in the CN namespace:"
	echo "\`$TG_CMD\` (TX_RING, one CPU, \`-q\`: through a $TG_QLEN-packet pfifo qdisc on cn0) with a generated config: 80-octet"
	echo "Ethernet/IPv6/UDP frames, 18 octets of payload, CN -> the MN's SLAAC address."
	echo "Every packet crosses two forwarding hops, the LMA (lma-cn -> lma-m1) and MAG1"
	echo "(m1-lma -> m1-acc), and is counted and dropped by an XDP_DROP program on the MN's"
	echo "mn-if1 (the MN's stack is not in the figures). Compared, interleaved in the same"
	echo "run, $ROUNDS rounds, starting configuration rotating:"
	echo "(a) the daemons' XDP programs (LMA encapsulates to MAG1, MAG1 decapsulates);"
	echo "(a0) the same with the next-hop cache off (\`XP_CFG_F_NO_NHCACHE\` written into"
	echo "both daemons' \`xp_cfg_v1\` with bpftool: \`bpf_fib_lookup\` for every packet);"
	echo "(b) the same namespaces with every xpmip XDP program detached, a kernel route for"
	echo "the MN's HNP via MAG1 in the LMA and one for the MN's address on m1-acc in MAG1:"
	echo "plain IPv6 forwarding at both hops, un-tunnelled (a kernel-tunnel LMA/MAG would do"
	echo "this plus the ip6tnl encap/decap); (c) \`xb_redirect\` (tests/bench/bpf/bench_redirect.bpf.c:"
	echo "rewrite the MACs, \`bpf_redirect\`) on lma-cn and m1-lma, the harness's limit."
	echo "The generator's own limit is measured in the same rounds: \`xb_drop\` on lma-cn"
	echo "(no BPF elsewhere), counted at lma-cn: what trafgen puts through one bare veth."
	echo "Static neighbour entries on both hops in all configurations; the veths have GRO"
	echo "on (NAPI for XDP_REDIRECT)."
	echo
	echo "Where the time goes: trafgen's worker is bound to one CPU, and the veths hand"
	echo "each packet on (NAPI, backlog) on the CPU that sent it, so the generator and"
	echo "both hops share that one CPU: received pps = share of that CPU / (generator +"
	echo "hops). CPU per packet = the CPU time of trafgen's processes and of the"
	echo "ksoftirqd threads over the window (/proc/PID/stat utime + stime; a tick in"
	echo "softirq is charged to the task it interrupts, so this holds the send path and"
	echo "both hops, and not the other builds sharing the CPU), divided by the packets"
	echo "received. \"Hops\" = CPU per packet above the generator-alone row of the same"
	echo "round: what the two forwarding hops cost. The machine is shared: pps moves with"
	echo "the share of the CPU the generator gets, CPU per packet much less."
	echo
	echo "| configuration | received kpps median | min-max | CPU ns/pkt median | min-max | kpps at one whole CPU | hops ns/pkt median | min-max |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|"
	for c in xpmip nonh kernel redirect generator; do
		read -r rm rlo rhi <<<"$(stat_of "$c" rx_pps)"
		read -r cm clo chi <<<"$(stat_of "$c" path_ns_per_pkt)"
		if [[ $c == generator ]]; then hops="- | -"; else
			read -r hm hlo hhi <<<"$(hop_of "$c")"; hops="$(fmt "$hm") | $(fmt "$hlo")-$(fmt "$hhi")"; fi
		echo "| $(name_of "$c") | $(k "$rm") | $(k "$rlo")-$(k "$rhi") | $(fmt "$cm") | $(fmt "$clo")-$(fmt "$chi") | $(k "$(awk -v c="$cm" 'BEGIN { print (c > 0) ? 1e9 / c : 0 }')") | $hops |"
	done
	echo
	AB=$(ratio_of xpmip kernel rx_pps); AC=$(ratio_of xpmip redirect rx_pps); CB=$(ratio_of redirect kernel rx_pps)
	NAB=$(ratio_of kernel xpmip path_ns_per_pkt); NAC=$(ratio_of redirect xpmip path_ns_per_pkt)
	echo "Ratios per round (median, min-max over $ROUNDS rounds):"
	echo
	echo "- received pps: a/b = $(r3 "$AB"), a/c = $(r3 "$AC"); c/b = $(r3 "$CB") is the"
	echo "  largest a/b this harness can show (the generator's own cost is in every 1/pps);"
	echo "- pps at one whole CPU (1 / CPU per packet: what the path gives when the generator"
	echo "  does not share its CPU with other work): a/b = $(r3 "$NAB"), a/c = $(r3 "$NAC");"
	echo "- next-hop cache: received pps a/a0 = $(r3 "$(ratio_of xpmip nonh rx_pps)"), CPU of the"
	echo "  two hops a0/a = $(r3 "$(hop_ratio nonh xpmip)");"
	echo "- CPU of the two hops, kernel / xpmip (b/a) = $(r3 "$(hop_ratio kernel xpmip)");"
	echo "  redirect-only / xpmip (c/a) = $(r3 "$(hop_ratio redirect xpmip)")."
	echo
	echo "Goal a/b >= 2: $(met "$AB" 2) on received pps, $(met "$NAB" 2) at one whole CPU."
	echo "Goal a/c >= 0.8: $(met "$AC" 0.8) on received pps, $(met "$NAC" 0.8) at one whole CPU."
	echo
	echo "Raw windows (with each CPU's user/sys/softirq %): build/bench/results/throughput.json."
} >"$MD"
cat "$MD"
