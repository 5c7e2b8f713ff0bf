/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * test_codec_vectors.h - the hand-written Mobility Header vectors, shared by
 * test_codec_vectors.c (field and byte checks) and test_codec_errors.c
 * (every truncation of every vector must fail cleanly).
 *
 * Literal bytes written from the RFC figures cited above each one, never
 * produced by our encoder. Offsets in the comments are from the Payload
 * Proto octet.
 */
#ifndef XPMIP_TEST_CODEC_VECTORS_H
#define XPMIP_TEST_CODEC_VECTORS_H

#include <stddef.h>
#include <stdint.h>

/*
 * V1 - PBU with MN-ID (NAI), HNP with the L flag, HI, ATT, Timestamp.
 * RFC 6275 6.1.7 Figure (Binding Update), RFC 5213 8.1 (P flag),
 * RFC 4283 3 (MN-ID), RFC 5213 8.3 (HNP, 8n+4), RFC 7864 4.2.1 (L flag),
 * RFC 5213 8.4 (HI), 8.5 (ATT), 8.8 (Timestamp, 8n+2).
 */
static const uint8_t v_pbu[] = {
	/* 0: Payload Proto 59, Header Len 8 (72 octets), MH Type 5, Rsvd, Csum */
	0x3b, 0x08, 0x05, 0x00, 0x00, 0x00,
	/* 6: Sequence 42, flags A|P (0x8200), Lifetime 150 (600 s) */
	0x00, 0x2a, 0x82, 0x00, 0x00, 0x96,
	/* 12: MN-ID, Length 7, Subtype 1 (NAI), "mn1@xp" */
	0x08, 0x07, 0x01, 'm', 'n', '1', '@', 'x', 'p',
	/* 21: PadN Length 5: the HNP Type lands on 8n+4 = 28 */
	0x01, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 28: HNP, Length 18, Reserved 0x80 (L: off-link), /64, 2001:db8:1:: */
	0x16, 0x12, 0x80, 0x40,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 48: Handoff Indicator, Length 2, Reserved, HI 1 (new interface) */
	0x17, 0x02, 0x00, 0x01,
	/* 52: Access Technology Type, Length 2, Reserved, ATT 4 (802.11) */
	0x18, 0x02, 0x00, 0x04,
	/* 56: PadN Length 0: the Timestamp Type lands on 8n+2 = 58 */
	0x01, 0x00,
	/* 58: Timestamp, Length 8, 48-bit seconds 0x5f5e1000, fraction 0x8000 */
	0x1b, 0x08, 0x00, 0x00, 0x5f, 0x5e, 0x10, 0x00, 0x80, 0x00,
	/* 68: PadN Length 2: the message ends on 72 */
	0x01, 0x02, 0x00, 0x00,
};

/*
 * V2 - PBU with MN Link-layer Identifier (IFP + P flag) and Link-local
 * Address. RFC 5213 8.6 (MN-LL-ID), 000_2df5b7e7ec4cafcb.txt Figure 3
 * (IFP in the first reserved octet, P the top bit of the second),
 * RFC 5213 8.7 (LLA, 8n+6). No padding at all: the LLA Type falls on 22
 * = 8*2+6 and the message ends on 40.
 */
static const uint8_t v_pbu_llid[] = {
	/* 0: Payload Proto, Header Len 4 (40 octets), MH Type 5, Rsvd, Csum */
	0x3b, 0x04, 0x05, 0x00, 0x00, 0x00,
	/* 6: Sequence 7, flags P|T (0x0280), Lifetime 0 (deregistration) */
	0x00, 0x07, 0x02, 0x80, 0x00, 0x00,
	/* 12: MN-LL-ID, Length 8, IFP 3, P + reserved 0x81, MAC 02:00:00:00:00:01 */
	0x19, 0x08, 0x03, 0x81, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	/* 22: Link-local Address, Length 16, fe80::1 */
	0x1a, 0x10,
	0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
};

/*
 * V3 - PBA with HNP, GRE Key and the temporal prefix block option.
 * RFC 6275 6.1.8 Figure (Binding Acknowledgement), RFC 5213 8.2 (P flag),
 * RFC 5845 3.1 (GRE Key: Reserved 16, key 32; project alignment 4n),
 * 001_6d909178e764a821.txt section 3 / wire-numbers.md (option 202:
 * Reserved, Prefix Length, Prefix; aligned like HNP, 8n+4).
 */
static const uint8_t v_pba[] = {
	/* 0: Payload Proto, Header Len 7 (64 octets), MH Type 6, Rsvd, Csum */
	0x3b, 0x07, 0x06, 0x00, 0x00, 0x00,
	/* 6: Status 0 (accepted), flags P (0x20), Sequence 42, Lifetime 150 */
	0x00, 0x20, 0x00, 0x2a, 0x00, 0x96,
	/* 12: HNP (12 = 8+4: no pad), Length 18, Reserved 0, /64, 2001:db8:1:: */
	0x16, 0x12, 0x00, 0x40,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 32: GRE Key, Length 6, Reserved (16), key 0x00003039 (12345) at 36 */
	0x21, 0x06, 0x00, 0x00, 0x00, 0x00, 0x30, 0x39,
	/* 40: PadN Length 2: the block's Type lands on 8n+4 = 44 */
	0x01, 0x02, 0x00, 0x00,
	/* 44: temporal prefix block (202), Length 18, Reserved, /56, 2001:db8:ff00:: */
	0xca, 0x12, 0x00, 0x38,
	0x20, 0x01, 0x0d, 0xb8, 0xff, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/*
 * V4 - Heartbeat (unsolicited) with Restart Counter.
 * RFC 5847 5.1 Figure 1 (Reserved, U, R, Sequence 32), 6.2 Figure 2
 * (Restart Counter, Length 4, counter 32; project alignment 4n+2 so that
 * the counter sits at 4n).
 */
static const uint8_t v_hb[] = {
	/* 0: Payload Proto, Header Len 2 (24 octets), MH Type 13, Rsvd, Csum */
	0x3b, 0x02, 0x0d, 0x00, 0x00, 0x00,
	/* 6: Reserved, Reserved(6) U=1 R=0, Sequence 7 */
	0x00, 0x02, 0x00, 0x00, 0x00, 0x07,
	/* 12: PadN Length 0: the option Type lands on 4n+2 = 14 */
	0x01, 0x00,
	/* 14: Restart Counter, Length 4, counter 5 */
	0x1c, 0x04, 0x00, 0x00, 0x00, 0x05,
	/* 20: PadN Length 2: the message ends on 24 */
	0x01, 0x02, 0x00, 0x00,
};

/* V4b - Heartbeat response, no options: the shortest message, 16 octets
 * (12 of header and body, 4 of padding). RFC 5847 5.1. */
static const uint8_t v_hb_resp[] = {
	0x3b, 0x01, 0x0d, 0x00, 0x00, 0x00,
	/* Reserved, R=1, Sequence 0xfffffffe */
	0x00, 0x01, 0xff, 0xff, 0xff, 0xfe,
	/* 12: PadN Length 2 */
	0x01, 0x02, 0x00, 0x00,
};

/*
 * V5 - UPN (flow mobility initiate) with MN-ID, Flow Summary and a Flow
 * Identification carrying BID Reference, an IPv6 binary Traffic Selector
 * and a Flow Binding Action.
 * RFC 7077 4.1 Figure 1 (UPN: Sequence 16, Reason 8, A + reserved),
 * RFC 6089 4.2.1 (Flow Summary), 4.2.2 Figure (Flow Identification: FID,
 * FID-PRI, Reserved, Status, sub-options), 4.2.2.2 (BID Reference),
 * 4.2.2.3 (Traffic Selector: TS Format, Reserved), RFC 6088 3.2 (IPv6
 * binary selector: flags A..P, Reserved 16, fields per flag),
 * RFC 7109 (Flow Binding Action: Reserved, Action).
 */
static const uint8_t v_upn[] = {
	/* 0: Payload Proto, Header Len 8 (72 octets), MH Type 19, Rsvd, Csum */
	0x3b, 0x08, 0x13, 0x00, 0x00, 0x00,
	/* 6: Sequence 7, Reason 8 (FLOW-MOBILITY), flags A (0x80) */
	0x00, 0x07, 0x08, 0x80,
	/* 10: MN-ID, Length 7, NAI "mn1@xp" */
	0x08, 0x07, 0x01, 'm', 'n', '1', '@', 'x', 'p',
	/* 19: Pad1: the Flow Summary Type lands on 2n = 20 */
	0x00,
	/* 20: Flow Summary, Length 4, FIDs 1 and 2 */
	0x2c, 0x04, 0x00, 0x01, 0x00, 0x02,
	/* 26: Flow Identification (26 = 4*6+2: no pad), Length 41,
	 *     FID 1, FID-PRI 10, Reserved 0, Status 0 */
	0x2d, 0x29, 0x00, 0x01, 0x00, 0x0a, 0x00, 0x00,
	/* 34: BID Reference, Length 2, BID 1 */
	0x02, 0x02, 0x00, 0x01,
	/* 38: Traffic Selector, Length 25, TS Format 2 (IPv6), Reserved,
	 *     flags C|K|O = 0x2022, Reserved (16) */
	0x03, 0x19, 0x02, 0x00, 0x20, 0x22, 0x00, 0x00,
	/* 46: C start destination address 2001:db8:1::1 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	/* 62: K start destination port 443, O start next header 6 (TCP) */
	0x01, 0xbb, 0x06,
	/* 65: Flow Binding Action, Length 2, Reserved, Action 15 (move) */
	0x04, 0x02, 0x00, 0x0f,
	/* 69: PadN Length 1: the message ends on 72 */
	0x01, 0x01, 0x00,
};

/*
 * V6 - UPA (flow mobility acknowledgement) with a Flow Identification
 * whose Traffic Selector is in the IPv4 binary format, status 133.
 * RFC 7077 4.2 Figure 2 (UPA: Sequence, Status, Reserved), RFC 6089
 * 4.2.2, RFC 6088 3.1 (IPv4 binary selector: flags A..N + 2 reserved
 * bits, Reserved 16, fields per flag).
 */
static const uint8_t v_upa[] = {
	/* 0: Payload Proto, Header Len 4 (40 octets), MH Type 20, Rsvd, Csum */
	0x3b, 0x04, 0x14, 0x00, 0x00, 0x00,
	/* 6: Sequence 7, Status 0 (success), Reserved */
	0x00, 0x07, 0x00, 0x00,
	/* 10: Flow Identification (10 = 4*2+2: no pad), Length 21, FID 2,
	 *     FID-PRI 20, Reserved 0x80 (re-instantiated), Status 133 */
	0x2d, 0x15, 0x00, 0x02, 0x00, 0x14, 0x80, 0x85,
	/* 18: Traffic Selector, Length 13, TS Format 1 (IPv4), Reserved,
	 *     flags A|I|M = 0x8088, Reserved (16) */
	0x03, 0x0d, 0x01, 0x00, 0x80, 0x88, 0x00, 0x00,
	/* 26: A start source address 192.0.2.10, I start destination port 53,
	 *     M start protocol 17 (UDP) */
	0xc0, 0x00, 0x02, 0x0a, 0x00, 0x35, 0x11,
	/* 33: PadN Length 5: the message ends on 40 */
	0x01, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/*
 * V7 - PBU with three Binding Identifier options (BID-PRI only; IPv4
 * care-of address; IPv6 care-of address) and the Multihoming option.
 * RFC 5648 6.2 Figure (BID: BID 16, Status 8, H + BID-PRI 7 of RFC 6089
 * 4.1, optional CoA; project alignment 8n+2 so a v6 CoA sits at 8n),
 * 004_7faef5305b374194.txt 4.1 / wire-numbers.md (option 201, Length 2:
 * MHGID, ACT in the top 3 bits).
 */
static const uint8_t v_pbu_bid[] = {
	/* 0: Payload Proto, Header Len 8 (72 octets), MH Type 5, Rsvd, Csum */
	0x3b, 0x08, 0x05, 0x00, 0x00, 0x00,
	/* 6: Sequence 1, flags A|P, Lifetime 0xffff */
	0x00, 0x01, 0x82, 0x00, 0xff, 0xff,
	/* 12: PadN Length 4: the BID Type lands on 8n+2 = 18 */
	0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
	/* 18: BID, Length 4, BID 1, Status 0, H=1 BID-PRI 5 (0x85) */
	0x23, 0x04, 0x00, 0x01, 0x00, 0x85,
	/* 24: PadN Length 0 -> 26 */
	0x01, 0x00,
	/* 26: BID, Length 8, BID 2, Status 0, BID-PRI 3, CoA 192.0.2.1 */
	0x23, 0x08, 0x00, 0x02, 0x00, 0x03, 0xc0, 0x00, 0x02, 0x01,
	/* 36: PadN Length 4 -> 42 */
	0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
	/* 42: BID, Length 20, BID 3, Status 0, BID-PRI 127, CoA 2001:db8::3 */
	0x23, 0x14, 0x00, 0x03, 0x00, 0x7f,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
	/* 64: Multihoming (201), Length 2, MHGID 7, ACT 2 (keep) << 5 */
	0xc9, 0x02, 0x07, 0x40,
	/* 68: PadN Length 2 -> 72 */
	0x01, 0x02, 0x00, 0x00,
};

/*
 * V8 - receive side of padding and unknown options (decode only: the
 * encoder never emits these). RFC 6275 6.2.2 (Pad1), 6.2.3 (PadN: the
 * contents are ignored on receipt), 6.2.1 (options not understood are
 * skipped). The unknown option (type 99) is skipped and reported with its
 * offset; the HI after it is still decoded.
 */
static const uint8_t v_pads_unknown[] = {
	/* 0: Payload Proto, Header Len 3 (32 octets), MH Type 5 */
	0x3b, 0x03, 0x05, 0x00, 0x00, 0x00,
	/* 6: Sequence 9, flags P, Lifetime 10 */
	0x00, 0x09, 0x02, 0x00, 0x00, 0x0a,
	/* 12: Pad1, Pad1 */
	0x00, 0x00,
	/* 14: PadN Length 3 with non-zero contents (must be ignored) */
	0x01, 0x03, 0xde, 0xad, 0x01,
	/* 19: unknown option 99, Length 3 */
	0x63, 0x03, 0xaa, 0xbb, 0xcc,
	/* 24: Handoff Indicator 5 (not changed) */
	0x17, 0x02, 0x00, 0x05,
	/* 28: unknown option 200 with Length 0, then Pad1 Pad1 */
	0xc8, 0x00, 0x00, 0x00,
};

/* All of them, for the tests that walk every vector */
struct codec_vector {
	const char *name;
	const uint8_t *bytes;
	size_t len;
};

#define CODEC_VECTOR(v) { #v, (v), sizeof(v) }
static const struct codec_vector codec_vectors[] = {
	CODEC_VECTOR(v_pbu),
	CODEC_VECTOR(v_pbu_llid),
	CODEC_VECTOR(v_pba),
	CODEC_VECTOR(v_hb),
	CODEC_VECTOR(v_hb_resp),
	CODEC_VECTOR(v_upn),
	CODEC_VECTOR(v_upa),
	CODEC_VECTOR(v_pbu_bid),
	CODEC_VECTOR(v_pads_unknown),
};
#define N_CODEC_VECTORS (sizeof(codec_vectors) / sizeof(codec_vectors[0]))

#endif /* XPMIP_TEST_CODEC_VECTORS_H */
