# shellcheck shell=bash
# selftests/lib/twolevel.sh - helpers of the 001 2-level prefix scenarios
# (t_25..t_29), sourced after common.sh.

TL_POOL=2001:db8:f000::/40	# the temporal pool (lma.two_level)
TL_HOLD_S=${TL_HOLD_S:-12}	# ffho_hold_s: short, a test waits it out

# Configs with two_level on: LMA (pool, /56 blocks, hold), both MAGs
# (two level-2 prefixes per interface, the pool to tell T from P), and
# the CN's route to the temporal pool.
tl_confs() {
	write_default_confs
	sed -i "s|^\([[:space:]]*\)hnp_len = 64;|&\n\1two_level = { temporal_pool = \"$TL_POOL\"; block_len = 56; ffho_hold_s = $TL_HOLD_S; };|" \
		"$TEST_DIR/lma.conf"
	local m
	for m in mag1 mag2; do
		sed -i "s|^\([[:space:]]*\)mtu = 1440;.*|&\n\1two_level = { prefixes_per_interface = 2; temporal_pool = \"$TL_POOL\"; };|" \
			"$TEST_DIR/$m.conf"
	done
	grep -q two_level "$TEST_DIR/lma.conf" && grep -q two_level "$TEST_DIR/mag1.conf" ||
		_fail "two_level not written into the configs"
	ip -n "$XP_NS_CN" -6 route add "$TL_POOL" via "$XP_ADDR_LMA_CN"
}

# tl_prefixes INSTANCE JQ-FILTER: the instance's `prefixes --json` rows
# through a jq filter over the array
tl_prefixes() {
	xpctl "$1" prefixes --json | jq -r ".prefixes | $2"
}
# the level-2 prefixes of a MAC on a MAG (not Idle), one per line
tl_l2_of() {	# MAG MAC
	tl_prefixes "$1" ".[] | select(.level == 2 and .mac == \"$2\" and (.idle | not)) | .prefix"
}
tl_block_of() {	# MAG
	tl_prefixes "$1" '.[] | select(.kind == "T" and .level == 1) | .prefix'
}
# LMA: the BID owning a prefix (the active row)
tl_lma_owner() {	# PREFIX
	tl_prefixes lma ".[] | select(.prefix == \"$1\" and (.idle | not)) | .bid" | head -n 1
}
tl_lma_bid_of_pcoa() {	# PROXY-COA
	tl_prefixes lma ".[] | select(.kind == \"P\" and .pcoa == \"$1\") | .bid" | head -n 1
}
# MN: its address on IF inside PREFIX
tl_mn_addr_in() {	# IF PREFIX
	local a
	for a in $(mn_addrs "$1"); do
		if ip6_in_prefix "$a" "$2"; then echo "$a"; return 0; fi
	done
	return 1
}
# LMA: the Proxy-CoA of a binding
tl_bid_pcoa() {	# BID
	binding_pcoa "$(lma_bindings_json | jq -c ".[] | select(.bid == $1)")"
}
tl_n_addrs() { mn_addrs "$1" | wc -l; }

# Downlink UDP streams CN -> MN (udp_stream), several at once, by name
tl_stream_start() {	# NAME DST PORT SECONDS [PPS]
	local name=$1 dst=$2 port=$3 secs=$4 pps=${5:-500} out="$TEST_DIR/$1.json"
	bg_start "rx-$name" ip netns exec "$XP_NS_MN" "$TOOLS/udp_stream" recv --port "$port" \
		--idle-timeout 4 --duration $((secs + 15)) --out "$out" >/dev/null 2>"$out.recv.log"
	wait_for 10 "receiver $name listening" grep -q listening "$out.recv.log" ||
		_fail "receiver $name"
	bg_start "tx-$name" ip netns exec "$XP_NS_CN" "$TOOLS/udp_stream" send --dst "$dst" \
		--port "$port" --pps "$pps" --duration "$secs" >"$out.send" 2>&1
}
# wait for a stream's end; print its loss; assert it arrived
tl_stream_end() {	# NAME MAX_LOST
	local name=$1 max=$2 out="$TEST_DIR/$1.json" lost uniq
	bg_wait "tx-$name"
	bg_wait "rx-$name"
	lost=$(jq -r .lost "$out" 2>/dev/null)
	uniq=$(jq -r .unique "$out" 2>/dev/null)
	echo "STREAM $name: $(cat "$out" 2>/dev/null)"
	assert_gt "stream $name received" 0 "${uniq:-0}"
	assert_le "stream $name packets lost" "$max" "${lost:-999999}"
}

# tl_start_attach IF...: start the LMA and both MAGs, attach the MN's
# interfaces (mn-if1 at MAG1, mn-if2 at MAG2) all at once (001 scenario 1's
# simultaneous attachment when there are two), then wait until each has its
# three addresses (HNP_x(P), HNP_x_1(T), HNP_x_2(T))
tl_has_three() { (( $(tl_n_addrs "$1") >= 3 )); }	# IF
tl_start_attach() {	# IF...
	start_lma && start_mag1 && start_mag2 || _fail "daemons did not start"
	local i
	for i in "$@"; do
		mn_attach "$i"
	done
	for i in "$@"; do
		assert_wait 20 "three addresses on $i (P and two T)" tl_has_three "$i"
	done
}
# tl_if_state N MAG MAC PROXY-COA: for interface N at MAG, set BIDn (its LMA
# binding), HNPn (its permanent prefix), Tn (its level-2 prefixes at MAG),
# BLKn (MAG's temporal block), APn (the MN's address in HNPn) and Anm (the
# MN's address in Tn[m-1], m = 1, 2), asserting each is there
tl_if_state() {	# N MAG MAC PROXY-COA (MAG's; it holds one binding of the MN)
	local n=$1 mag=$2 mac=$3 ifc="mn-if$1" m a
	local -n bid="BID$n" hnp="HNP$n" t="T$n" blk="BLK$n"
	bid=$(tl_lma_bid_of_pcoa "$4")
	assert_nonempty "LMA binding of $ifc" "$bid"
	hnp=$(tl_prefixes lma ".[] | select(.kind == \"P\" and .bid == $bid) | .prefix" | head -n 1)
	assert_nonempty "HNP_$n(P)" "$hnp"
	mapfile -t t < <(tl_l2_of "$mag" "$mac")
	assert_eq "level-2 prefixes of $ifc at $mag" 2 "${#t[@]}"
	blk=$(tl_block_of "$mag")
	printf -v "AP$n" '%s' "$(tl_mn_addr_in "$ifc" "$hnp")"
	local -n ap="AP$n"
	assert_nonempty "MN address in HNP_$n(P)" "$ap"
	for m in 1 2; do
		a=$(tl_mn_addr_in "$ifc" "${t[m - 1]}")
		assert_nonempty "MN address in HNP_${n}_$m(T)" "$a"
		printf -v "A$n$m" '%s' "$a"
	done
}

# tl_assert_via MAG OTHER-MAG ADDR: with no stream running, 5 pings CN ->
# ADDR are all answered and delivered downlink by MAG (its DL_DELIVER
# grows by 5 or more), none by OTHER-MAG (its DL_DELIVER stays)
tl_assert_via() {	# MAG OTHER-MAG ADDR
	local via=$1 other=$2 addr=$3 v0 o0
	v0=$(counter "$via" DL_DELIVER)
	o0=$(counter "$other" DL_DELIVER)
	assert_cmd "CN reaches $addr" ns_ping "$XP_NS_CN" "$addr" 5
	assert_ge "$via delivered the pings to $addr" $((v0 + 5)) "$(counter "$via" DL_DELIVER)"
	assert_eq "$other delivered none of them" "$o0" "$(counter "$other" DL_DELIVER)"
}
