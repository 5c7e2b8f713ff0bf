#!/usr/bin/env bash
# check.sh - cross-check the codec against Wireshark's own dissector.
#
# mkpcap.c writes a pcap of PBU/PBA/Heartbeat/UPN/UPA packets (three from
# hand-written bytes, the rest from our encoder) and the hex of each
# Mobility Header. For every frame, tshark's reading of each field below
# must equal what `xpmipctl decode --json` reads from the same octets,
# field by field (an option one side sees and the other does not is a
# mismatch too). And no frame may carry a malformed mark or an expert item
# of Warning or worse; frames of a type tshark knows carry none at all.
#
# Run from the repository root after `make all` (it needs build/xpmipctl).
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${BUILD_DIR:-build}
W=$B/tshark
mkdir -p "$W"

# Wireshark 4.0 fields (tshark -G fields), in the order compared. The
# timestamp is an absolute time in tshark's output and is turned into
# seconds.nanoseconds below.
FIELDS=(
	mip6.proto mip6.hlen mip6.mhtype
	mip6.bu.seqnr mip6.bu.a_flag mip6.bu.h_flag mip6.bu.l_flag mip6.bu.p_flag mip6.bu.lifetime
	mip6.ba.status mip6.ba.p_flag mip6.ba.seqnr mip6.ba.lifetime
	mip6.hb.u_flag mip6.hb.r_flag mip6.hb.seqnr
	mip6.mnid.subtype mip6.mnid.identifier
	mip6.nemo.mnp.pfl mip6.nemo.mnp.mnp
	mip6.hi mip6.att
	mip6.mnlli.reserved mip6.mnlli.lli
	mip6.lila_lla
	mip6.timestamp_tmp
	mip6.rc
	mip6.gre_key
	mip6.bi.bid mip6.bi.status mip6.bi.h_flag mip6.bi.coa_ipv4 mip6.bi.coa_ipv6
)
TS_COL=25	# 0-based index of mip6.timestamp_tmp above

# The same fields from our decoder's JSON, formatted as tshark prints them
# (booleans 1/0, repeated fields joined by commas, absent fields empty).
# shellcheck disable=SC2016
JQ='
def b: if . then 1 else 0 end;
def opt(f): if . == null then "" else f end;
def pad9: tostring | ("000000000" + .) | .[-9:];
# tshark 4.0 shows UPN/UPA (19/20) as an unknown MH type and does not
# parse their options: for those only the common header is compared (and
# step 4 checks that tshark did treat them as unknown, nothing more).
(if .type == 19 or .type == 20 then {} else .options end) as $o |
[ 59, .header_len, .type,
  (.bu | opt(.seq)), (.bu | opt(.a | b)), (.bu | opt(.h | b)), (.bu | opt(.l | b)),
  (.bu | opt(.p | b)), (.bu | opt(.lifetime)),
  (.ba | opt(.status)), (.ba | opt(.p | b)), (.ba | opt(.seq)), (.ba | opt(.lifetime)),
  (.hb | opt(.u | b)), (.hb | opt(.r | b)), (.hb | opt(.seq)),
  ($o.mn_id | opt(.subtype)), ($o.mn_id | opt(.id)),
  ([$o.hnp[]?.plen | tostring] | join(",")), ([$o.hnp[]?.prefix] | join(",")),
  ($o.hi | opt(.)), ($o.att | opt(.)),
  ($o.mn_llid | opt(.ifp * 256 + (if .primary then 128 else 0 end) + .reserved)),
  ($o.mn_llid | opt(.id)),
  ($o.lla | opt(.)),
  ($o.timestamp | opt("\(.seconds).\((.fraction * 1000000000 / 65536) | floor | pad9)")),
  ($o.restart_counter | opt(.)),
  ($o.gre_key | opt(.)),
  ([$o.bid[]?.bid | tostring] | join(",")), ([$o.bid[]?.status | tostring] | join(",")),
  ([$o.bid[]?.h | b | tostring] | join(",")),
  ([$o.bid[]? | select(.coa != null and (.coa | contains(":") | not)) | .coa] | join(",")),
  ([$o.bid[]? | select(.coa != null and (.coa | contains(":"))) | .coa] | join(","))
] | map(tostring) | join("\t")'

CC=${CC:-cc}
"$CC" -O2 -g -std=gnu11 -Wall -Wextra -Werror -Iinclude -Iuser -D_GNU_SOURCE \
	tests/tshark/mkpcap.c user/mh_codec.c -o "$W/mkpcap"
"$W/mkpcap" "$W/xpmip.pcap" "$W/xpmip.hex"
CTL=$B/xpmipctl
[[ -x $CTL ]] || { echo "FAIL: $CTL not built (make all)"; exit 1; }

fail=0
US=$'\x1f'	# ASCII unit separator
nframes=$(wc -l < "$W/xpmip.hex")
ntshark=$(tshark -r "$W/xpmip.pcap" -T fields -e frame.number 2>/dev/null | wc -l)
if [[ $nframes -ne $ntshark ]]; then
	echo "FAIL: wrote $nframes frames, tshark read $ntshark"
	exit 1
fi

# 1. nothing malformed, no Warning/Error expert item anywhere
bad=$(tshark -r "$W/xpmip.pcap" -Y '_ws.malformed || _ws.expert.severity >= 0x600000' 2>/dev/null)
if [[ -n $bad ]]; then
	echo "FAIL: malformed or expert >= Warning:"; echo "$bad"; fail=1
fi
# and frames of the types tshark dissects (BU 5, BA 6, HB 13) carry none at all
noted=$(tshark -r "$W/xpmip.pcap" -Y '_ws.expert && (mip6.mhtype == 5 || mip6.mhtype == 6 || mip6.mhtype == 13)' \
	-T fields -e frame.number -e _ws.expert.message 2>/dev/null)
if [[ -n $noted ]]; then
	echo "FAIL: expert items on known message types:"; echo "$noted"; fail=1
fi

# 2. field by field
targs=()
for f in "${FIELDS[@]}"; do targs+=(-e "$f"); done
mapfile -t tlines < <(tshark -r "$W/xpmip.pcap" -T fields -E separator=/t -E aggregator=, \
	-E occurrence=a "${targs[@]}" 2>/dev/null)
mapfile -t hexes < "$W/xpmip.hex"

nfields=${#FIELDS[@]}
compared=0
for i in "${!hexes[@]}"; do
	frame=$((i + 1))
	ours=$("$CTL" decode --json "${hexes[$i]}" | jq -r "$JQ") || {
		echo "FAIL: frame $frame: xpmipctl decode failed"; fail=1; continue; }
	# split on a non-blank separator: IFS would merge runs of tabs and
	# lose the empty fields
	IFS=$US read -r -a t <<< "$(tr '\t' "$US" <<< "${tlines[$i]}")$US"
	IFS=$US read -r -a o <<< "$(tr '\t' "$US" <<< "$ours")$US"
	# tshark prints the timestamp as a date: make it seconds.nanoseconds
	if [[ -n ${t[$TS_COL]:-} ]]; then
		t[TS_COL]=$(date -u -d "${t[$TS_COL]}" +%s.%N)
	fi
	for ((k = 0; k < nfields; k++)); do
		if [[ "${t[$k]:-}" != "${o[$k]:-}" ]]; then
			echo "FAIL: frame $frame ${FIELDS[$k]}: tshark '${t[$k]:-}' xpmipctl '${o[$k]:-}'"
			fail=1
		elif [[ -n "${t[$k]:-}" ]]; then
			compared=$((compared + 1))
		fi
	done
done

# 3. the fields that must have been seen at least once (so a dissector
#    change that empties a column cannot pass unnoticed): a non-empty
#    column in tshark's own field output of step 2 (every one of them is in
#    FIELDS), not one more tshark run per field (each one is ~1 s of start-up)
for f in mip6.bu.seqnr mip6.ba.status mip6.hb.seqnr mip6.mnid.identifier mip6.nemo.mnp.mnp \
	 mip6.hi mip6.att mip6.mnlli.lli mip6.lila_lla mip6.timestamp_tmp mip6.rc \
	 mip6.gre_key mip6.bi.bid mip6.bi.coa_ipv6; do
	col=-1
	for k in "${!FIELDS[@]}"; do [[ ${FIELDS[$k]} == "$f" ]] && col=$k; done
	if (( col < 0 )); then
		echo "FAIL: $f is not one of the compared FIELDS"; fail=1; continue
	fi
	n=0
	for line in "${tlines[@]}"; do
		IFS=$US read -r -a t <<< "$(tr '\t' "$US" <<< "$line")$US"
		[[ -n ${t[$col]:-} ]] && n=$((n + 1))
	done
	if [[ $n -eq 0 ]]; then
		echo "FAIL: no frame shows $f"; fail=1
	fi
done

# 4. UPN/UPA: tshark must carry their whole body as unknown-type data
n_ours=$(grep -c '^3b..1[34]' "$W/xpmip.hex" || true)
n_unk=$(tshark -r "$W/xpmip.pcap" -Y 'mip6.unknown_type_data && (mip6.mhtype == 19 || mip6.mhtype == 20)' \
	2>/dev/null | wc -l)
if [[ $n_ours -eq 0 || $n_ours -ne $n_unk ]]; then
	echo "FAIL: $n_ours UPN/UPA frames written, tshark shows $n_unk as unknown MH types"; fail=1
fi

echo "tshark: $nframes frames, $compared non-empty field values equal to xpmipctl decode"
exit $fail
