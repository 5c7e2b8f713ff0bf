// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_codec_errors.c - one test per enum mh_err: each defect returns its
 * own code and the err_off documented in mh_codec.h. Then the blanket
 * checks: every truncation of every hand-written vector fails cleanly, and
 * every input is copied into a buffer of exactly its length so that
 * AddressSanitizer turns a one-octet over-read into a crash.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "mh_codec.h"
#include "test_codec_vectors.h"

/* Decode `len` octets from a heap copy of exactly that size (ASan's
 * redzone sits right after the last octet). Returns the mh_err. */
static int decode_exact(const uint8_t *v, size_t len, struct mh_msg *m, size_t *off)
{
	uint8_t *p = malloc(len ? len : 1);
	int err;

	cr_assert_not_null(p);
	memcpy(p, v, len);
	err = mh_decode(p, len, m, off);
	free(p);
	return err;
}

/* Require error `want` at offset `want_off` */
static void expect_err(const uint8_t *v, size_t len, int want, size_t want_off)
{
	struct mh_msg m;
	size_t off = 9999;
	int err = decode_exact(v, len, &m, &off);

	cr_assert_eq(err, want, "got %s, want %s", mh_strerror(err), mh_strerror(want));
	cr_assert_eq(off, want_off, "%s at offset %zu, want %zu", mh_strerror(err), off,
		     want_off);
}

/*
 * A message of `total` octets (a multiple of 8): MH header for `type`,
 * zero body, then `opts` at the first octet after the body, the rest Pad1.
 */
static size_t build(uint8_t *buf, uint8_t type, size_t body, const uint8_t *opts,
		    size_t olen, size_t total)
{
	cr_assert(XP_MH_HDR_LEN + body + olen <= total);
	cr_assert_eq(total % XP_MH_HLEN_UNIT, 0);
	memset(buf, 0, total);
	buf[0] = XP_MH_PAYLOAD_PROTO;
	buf[1] = (uint8_t)(total / XP_MH_HLEN_UNIT - 1);
	buf[2] = type;
	memcpy(buf + XP_MH_HDR_LEN + body, opts, olen);
	return total;
}

/* A PBU (body 6, options from 12) carrying `opts` */
#define OPT_OFF		(XP_MH_HDR_LEN + XP_BU_BODY_LEN)
#define PBU(buf, opts, total) build(buf, XP_MH_TYPE_BU, XP_BU_BODY_LEN, opts, sizeof(opts), total)

/* ---- the header ---- */

Test(errors, short_buffer)
{
	/* fewer than 8 octets: err_off is the length (the first missing octet) */
	for (size_t len = 0; len < XP_MH_ALIGN; len++)
		expect_err(v_hb_resp, len, MH_E_SHORT, len);
}

Test(errors, short_null_buffer)
{
	struct mh_msg m;
	size_t off = 9999;

	cr_assert_eq(mh_decode(NULL, 16, &m, &off), MH_E_SHORT);
	cr_assert_eq(off, 0);
	cr_assert_eq(mh_decode(v_hb_resp, sizeof(v_hb_resp), NULL, &off), MH_E_INVAL);
}

Test(errors, payload_proto)
{
	uint8_t b[sizeof(v_hb_resp)];

	memcpy(b, v_hb_resp, sizeof(b));
	b[0] = XP_IPPROTO_TCP;
	expect_err(b, sizeof(b), MH_E_PAYLOAD_PROTO, 0);
}

Test(errors, header_len_disagrees)
{
	uint8_t b[sizeof(v_pbu)];

	memcpy(b, v_pbu, sizeof(b));
	b[1]++;			/* says 80 octets, has 72 */
	expect_err(b, sizeof(b), MH_E_HDR_LEN, 1);
	b[1] -= 2;		/* says 64 octets, has 72 */
	expect_err(b, sizeof(b), MH_E_HDR_LEN, 1);
	/* a length that is not a multiple of 8 can never agree */
	expect_err(v_pbu, sizeof(v_pbu) - 1, MH_E_HDR_LEN, 1);
}

Test(errors, unknown_mh_type)
{
	uint8_t b[sizeof(v_hb_resp)];

	memcpy(b, v_hb_resp, sizeof(b));
	b[2] = 1;		/* HoTI: valid MIPv6, not ours */
	expect_err(b, sizeof(b), MH_E_UNKNOWN_TYPE, 2);
}

Test(errors, body_short)
{
	/* an 8-octet BU has room for only 2 of its 6 body octets */
	static const uint8_t b[] = { 0x3b, 0x00, XP_MH_TYPE_BU, 0, 0, 0, 0, 0 };

	expect_err(b, sizeof(b), MH_E_BODY_SHORT, XP_MH_HDR_LEN);
}

/* ---- options ---- */

Test(errors, option_overrun_length)
{
	/* HI claims Length 200 in a 16-octet PBU */
	static const uint8_t o[] = { XP_MOPT_HI, 200, 0, 1 };
	uint8_t b[16];

	expect_err(b, PBU(b, o, sizeof(b)), MH_E_OPT_OVERRUN, OPT_OFF);
}

Test(errors, option_overrun_header)
{
	/* a non-Pad1 Type in the last octet: its Length octet is missing */
	static const uint8_t o[] = { 0, 0, 0, XP_MOPT_HI };
	uint8_t b[16];

	expect_err(b, PBU(b, o, sizeof(b)), MH_E_OPT_OVERRUN, OPT_OFF + 3);
}

Test(errors, option_overrun_padn)
{
	/* PadN is bounded like any option */
	static const uint8_t o[] = { XP_MOPT_PADN, 3, 0, 0 };
	uint8_t b[16];

	expect_err(b, PBU(b, o, sizeof(b)), MH_E_OPT_OVERRUN, OPT_OFF);
}

/* Wrong fixed length for each fixed-length option: err_off = Length octet */
static void expect_opt_len(uint8_t type, uint8_t bad_len)
{
	uint8_t o[2 + 40] = { type, bad_len };
	uint8_t b[64];

	cr_assert(bad_len <= sizeof(o) - 2);
	build(b, XP_MH_TYPE_BU, XP_BU_BODY_LEN, o, 2 + bad_len, sizeof(b));
	/* give MN-ID a valid subtype so that only the length is wrong */
	b[OPT_OFF + 2] = XP_MNID_SUBTYPE_NAI;
	expect_err(b, sizeof(b), MH_E_OPT_LEN, OPT_OFF + 1);
}

Test(errors, option_wrong_fixed_length)
{
	expect_opt_len(XP_MOPT_HNP, XP_MOPT_HNP_LEN - 1);
	expect_opt_len(XP_MOPT_HNP, XP_MOPT_HNP_LEN + 1);
	expect_opt_len(XP_MOPT_HI, XP_MOPT_HI_LEN + 1);
	expect_opt_len(XP_MOPT_HI, 0);
	expect_opt_len(XP_MOPT_ATT, 1);
	expect_opt_len(XP_MOPT_LLA, XP_MOPT_LLA_LEN - 1);
	expect_opt_len(XP_MOPT_TIMESTAMP, XP_MOPT_TIMESTAMP_LEN - 2);
	expect_opt_len(XP_MOPT_RESTART_CTR, XP_MOPT_RESTART_CTR_LEN + 2);
	expect_opt_len(XP_MOPT_GRE_KEY, XP_MOPT_GRE_KEY_LEN - 2);
	/* BID: only 4, 8 or 20 */
	expect_opt_len(XP_MOPT_BID, 3);
	expect_opt_len(XP_MOPT_BID, 6);
	expect_opt_len(XP_MOPT_BID, 12);
	/* Flow Summary: whole FIDs, at least one */
	expect_opt_len(XP_MOPT_FLOW_SUMMARY, 0);
	expect_opt_len(XP_MOPT_FLOW_SUMMARY, 3);
	expect_opt_len(XP_MOPT_FLOW_ID, XP_MOPT_FLOW_ID_MIN_LEN - 1);
	expect_opt_len(XP_MOPT_MULTIHOMING_DEFAULT, XP_MOPT_MULTIHOMING_LEN + 1);
	expect_opt_len(XP_MOPT_TPFX_BLOCK_DEFAULT, XP_MOPT_TPFX_BLOCK_LEN - 1);
	/* MN-ID: subtype plus at least one octet */
	expect_opt_len(XP_MOPT_MN_ID, 1);
	/* MN-LL-ID: IFP, flags, at least one octet, at most MH_MAX_LLID_LEN */
	expect_opt_len(XP_MOPT_MN_LLID, XP_MOPT_MN_LLID_MIN_LEN - 1);
	expect_opt_len(XP_MOPT_MN_LLID, MH_MAX_LLID_LEN + 3);
}

Test(errors, repeated_single_instance_option)
{
	/* the second HI (at OPT_OFF + 4) is the offender */
	static const uint8_t o[] = { XP_MOPT_HI, 2, 0, 1, XP_MOPT_HI, 2, 0, 2 };
	static const uint8_t single[] = {
		XP_MOPT_MN_ID, XP_MOPT_HI, XP_MOPT_ATT, XP_MOPT_TIMESTAMP,
		XP_MOPT_RESTART_CTR, XP_MOPT_GRE_KEY, XP_MOPT_MULTIHOMING_DEFAULT,
	};
	uint8_t b[24];

	expect_err(b, PBU(b, o, sizeof(b)), MH_E_OPT_DUP, OPT_OFF + 4);

	/* and the same for the others, with their right lengths */
	for (size_t i = 0; i < sizeof(single); i++) {
		uint8_t ol = single[i] == XP_MOPT_MN_ID ? 2 :
			     single[i] == XP_MOPT_TIMESTAMP ? XP_MOPT_TIMESTAMP_LEN :
			     single[i] == XP_MOPT_RESTART_CTR ? XP_MOPT_RESTART_CTR_LEN :
			     single[i] == XP_MOPT_GRE_KEY ? XP_MOPT_GRE_KEY_LEN : 2;
		uint8_t two[2 * (2 + XP_MOPT_TIMESTAMP_LEN)] = { 0 };
		uint8_t mb[40];
		size_t second = 2 + ol;

		two[0] = two[second] = single[i];
		two[1] = two[second + 1] = ol;
		two[2] = two[second + 2] = XP_MNID_SUBTYPE_NAI;
		build(mb, XP_MH_TYPE_BU, XP_BU_BODY_LEN, two, 2 * second, sizeof(mb));
		expect_err(mb, sizeof(mb), MH_E_OPT_DUP, OPT_OFF + second);
	}
}

Test(errors, repeated_single_instance_lla_llid_fsum_tpfx)
{
	static const uint8_t types[] = {
		XP_MOPT_LLA, XP_MOPT_MN_LLID, XP_MOPT_FLOW_SUMMARY, XP_MOPT_TPFX_BLOCK_DEFAULT,
	};
	static const uint8_t lens[] = {
		XP_MOPT_LLA_LEN, XP_MOPT_MN_LLID_MIN_LEN, XP_MOPT_FLOW_SUMMARY_ELEM,
		XP_MOPT_TPFX_BLOCK_LEN,
	};

	for (size_t i = 0; i < sizeof(types); i++) {
		uint8_t two[2 * (2 + XP_MOPT_TPFX_BLOCK_LEN)] = { 0 };
		uint8_t mb[64];
		size_t second = 2 + lens[i];

		two[0] = two[second] = types[i];
		two[1] = two[second + 1] = lens[i];
		build(mb, XP_MH_TYPE_BU, XP_BU_BODY_LEN, two, 2 * second, sizeof(mb));
		expect_err(mb, sizeof(mb), MH_E_OPT_DUP, OPT_OFF + second);
	}
}

Test(errors, repeatable_options_may_repeat)
{
	/* HNP, BID and Flow Identification are lists, not duplicates */
	static const uint8_t o[] = {
		XP_MOPT_BID, 4, 0, 1, 0, 0, XP_MOPT_BID, 4, 0, 2, 0, 0,
		XP_MOPT_FLOW_ID, 6, 0, 1, 0, 0, 0, 0, XP_MOPT_FLOW_ID, 6, 0, 2, 0, 0, 0, 0,
	};
	uint8_t b[48];
	struct mh_msg m;
	size_t off;

	PBU(b, o, sizeof(b));
	cr_assert_eq(decode_exact(b, sizeof(b), &m, &off), MH_OK);
	cr_assert_eq(m.opt.n_bid, 2);
	cr_assert_eq(m.opt.n_flow_id, 2);
}

Test(errors, too_many_hnp)
{
	/* MH_MAX_HNP + 1 HNP options: the extra one is refused, not stored */
	uint8_t o[(MH_MAX_HNP + 1) * (2 + XP_MOPT_HNP_LEN)];
	uint8_t b[MH_MAX_MSG_LEN];
	size_t total;

	for (size_t i = 0; i <= MH_MAX_HNP; i++) {
		uint8_t *h = o + i * (2 + XP_MOPT_HNP_LEN);

		memset(h, 0, 2 + XP_MOPT_HNP_LEN);
		h[0] = XP_MOPT_HNP;
		h[1] = XP_MOPT_HNP_LEN;
	}
	total = (OPT_OFF + sizeof(o) + XP_MH_ALIGN - 1) / XP_MH_ALIGN * XP_MH_ALIGN;
	PBU(b, o, total);
	expect_err(b, total, MH_E_OPT_TOO_MANY, OPT_OFF + MH_MAX_HNP * (2 + XP_MOPT_HNP_LEN));
}

Test(errors, too_many_bid_flow_id_flow_summary)
{
	uint8_t o[(MH_MAX_FLOW_ID + 1) * (2 + XP_MOPT_FLOW_ID_MIN_LEN)] = { 0 };
	uint8_t b[MH_MAX_MSG_LEN];
	size_t total;

	/* BID: MH_MAX_BID + 1 minimal options */
	for (size_t i = 0; i <= MH_MAX_BID; i++) {
		o[i * 6] = XP_MOPT_BID;
		o[i * 6 + 1] = XP_MOPT_BID_LEN;
	}
	total = (OPT_OFF + (MH_MAX_BID + 1) * 6 + XP_MH_ALIGN - 1) / XP_MH_ALIGN * XP_MH_ALIGN;
	build(b, XP_MH_TYPE_BU, XP_BU_BODY_LEN, o, (MH_MAX_BID + 1) * 6, total);
	expect_err(b, total, MH_E_OPT_TOO_MANY, OPT_OFF + MH_MAX_BID * 6);

	/* Flow Identification */
	memset(o, 0, sizeof(o));
	for (size_t i = 0; i <= MH_MAX_FLOW_ID; i++) {
		o[i * 8] = XP_MOPT_FLOW_ID;
		o[i * 8 + 1] = XP_MOPT_FLOW_ID_MIN_LEN;
	}
	total = (OPT_OFF + sizeof(o) + XP_MH_ALIGN - 1) / XP_MH_ALIGN * XP_MH_ALIGN;
	build(b, XP_MH_TYPE_BU, XP_BU_BODY_LEN, o, sizeof(o), total);
	expect_err(b, total, MH_E_OPT_TOO_MANY, OPT_OFF + MH_MAX_FLOW_ID * 8);

	/* Flow Summary with MH_MAX_FLOW_SUMMARY + 1 FIDs */
	{
		uint8_t fs[2 + (MH_MAX_FLOW_SUMMARY + 1) * XP_MOPT_FLOW_SUMMARY_ELEM] = {
			XP_MOPT_FLOW_SUMMARY, (MH_MAX_FLOW_SUMMARY + 1) * XP_MOPT_FLOW_SUMMARY_ELEM,
		};

		total = (OPT_OFF + sizeof(fs) + XP_MH_ALIGN - 1) / XP_MH_ALIGN * XP_MH_ALIGN;
		build(b, XP_MH_TYPE_BU, XP_BU_BODY_LEN, fs, sizeof(fs), total);
		expect_err(b, total, MH_E_OPT_TOO_MANY, OPT_OFF);
	}
}

Test(errors, mnid_subtype)
{
	/* subtype 2 is not NAI: err_off is the Subtype octet */
	static const uint8_t o[] = { XP_MOPT_MN_ID, 3, 2, 'a', 'b' };
	uint8_t b[24];

	expect_err(b, PBU(b, o, sizeof(b)), MH_E_MNID_SUBTYPE, OPT_OFF + 2);
}

Test(errors, prefix_len)
{
	uint8_t o[2 + XP_MOPT_HNP_LEN] = { XP_MOPT_HNP, XP_MOPT_HNP_LEN, 0, 129 };
	uint8_t b[40];

	expect_err(b, PBU(b, o, sizeof(b)), MH_E_PREFIX_LEN, OPT_OFF + 3);
	o[0] = XP_MOPT_TPFX_BLOCK_DEFAULT;
	o[3] = 0xff;
	expect_err(b, PBU(b, o, sizeof(b)), MH_E_PREFIX_LEN, OPT_OFF + 3);
	/* 128 is fine */
	o[3] = XP_IPV6_PREFIX_MAX;
	{
		struct mh_msg m;
		size_t off;

		PBU(b, o, sizeof(b));
		cr_assert_eq(decode_exact(b, sizeof(b), &m, &off), MH_OK);
	}
}

/* ---- Flow Identification sub-options ---- */

/* A PBU with one Flow Identification whose sub-options are `sub` (FID
 * option at OPT_OFF, sub-options at OPT_OFF + 8). */
#define SUB_OFF		(OPT_OFF + XP_MOPT_HDR_LEN + XP_MOPT_FLOW_ID_MIN_LEN)
static size_t fid_msg(uint8_t *b, size_t cap, const uint8_t *sub, size_t slen)
{
	uint8_t o[256] = { XP_MOPT_FLOW_ID, (uint8_t)(XP_MOPT_FLOW_ID_MIN_LEN + slen), 0, 1 };
	size_t olen = XP_MOPT_HDR_LEN + XP_MOPT_FLOW_ID_MIN_LEN + slen;
	size_t total = (OPT_OFF + olen + XP_MH_ALIGN - 1) / XP_MH_ALIGN * XP_MH_ALIGN;

	cr_assert(slen <= sizeof(o) - 8 && total <= cap);
	memcpy(o + 8, sub, slen);
	return build(b, XP_MH_TYPE_BU, XP_BU_BODY_LEN, o, olen, total);
}

#define FID_ERR(sub, want, want_off) do { \
	uint8_t b_[MH_MAX_MSG_LEN]; \
	size_t n_ = fid_msg(b_, sizeof(b_), sub, sizeof(sub)); \
	expect_err(b_, n_, want, want_off); \
} while (0)

Test(errors, subopt_overrun)
{
	/* BID Reference claims 8 octets, the option holds 2 */
	static const uint8_t s1[] = { XP_FSUB_BID_REF, 8, 0, 1 };
	/* a lone Type octet at the end of the option */
	static const uint8_t s2[] = { XP_FSUB_PAD1, XP_FSUB_ACTION };

	FID_ERR(s1, MH_E_SUBOPT_OVERRUN, SUB_OFF);
	FID_ERR(s2, MH_E_SUBOPT_OVERRUN, SUB_OFF + 1);
}

Test(errors, subopt_len)
{
	static const uint8_t odd_bidref[] = { XP_FSUB_BID_REF, 3, 0, 1, 2 };
	static const uint8_t empty_bidref[] = { XP_FSUB_BID_REF, 0 };
	static const uint8_t action3[] = { XP_FSUB_ACTION, 3, 0, XP_FBA_MOVE, 0 };
	static const uint8_t ts1[] = { XP_FSUB_TS, 1, XP_TS_FMT_IPV6 };

	FID_ERR(odd_bidref, MH_E_SUBOPT_LEN, SUB_OFF + 1);
	FID_ERR(empty_bidref, MH_E_SUBOPT_LEN, SUB_OFF + 1);
	FID_ERR(action3, MH_E_SUBOPT_LEN, SUB_OFF + 1);
	FID_ERR(ts1, MH_E_SUBOPT_LEN, SUB_OFF + 1);
}

Test(errors, subopt_dup)
{
	static const uint8_t bidref2[] = {
		XP_FSUB_BID_REF, 2, 0, 1, XP_FSUB_BID_REF, 2, 0, 2,
	};
	static const uint8_t action2[] = {
		XP_FSUB_ACTION, 2, 0, XP_FBA_ADD, XP_FSUB_ACTION, 2, 0, XP_FBA_DELETE,
	};
	/* two empty IPv6 selectors (flags 0) */
	static const uint8_t ts2[] = {
		XP_FSUB_TS, 6, XP_TS_FMT_IPV6, 0, 0, 0, 0, 0,
		XP_FSUB_TS, 6, XP_TS_FMT_IPV6, 0, 0, 0, 0, 0,
	};

	FID_ERR(bidref2, MH_E_SUBOPT_DUP, SUB_OFF + 4);
	FID_ERR(action2, MH_E_SUBOPT_DUP, SUB_OFF + 4);
	FID_ERR(ts2, MH_E_SUBOPT_DUP, SUB_OFF + 8);
}

Test(errors, subopt_too_many_bid_ref)
{
	uint8_t s[2 + (MH_MAX_BID_REF + 1) * XP_FSUB_BID_REF_ELEM] = {
		XP_FSUB_BID_REF, (MH_MAX_BID_REF + 1) * XP_FSUB_BID_REF_ELEM,
	};

	FID_ERR(s, MH_E_SUBOPT_TOO_MANY, SUB_OFF);
}

Test(errors, ts_format)
{
	static const uint8_t s[] = { XP_FSUB_TS, 6, 3, 0, 0, 0, 0, 0 };

	FID_ERR(s, MH_E_TS_FORMAT, SUB_OFF + 2);
}

Test(errors, ts_len)
{
	/* flags A (16 octets of address) but no address */
	static const uint8_t missing[] = { XP_FSUB_TS, 6, XP_TS_FMT_IPV6, 0, 0x80, 0, 0, 0 };
	/* flags 0 but one octet too many */
	static const uint8_t extra[] = { XP_FSUB_TS, 7, XP_TS_FMT_IPV4, 0, 0, 0, 0, 0, 0 };
	/* room for the format but not for the flags word */
	static const uint8_t noflags[] = { XP_FSUB_TS, 4, XP_TS_FMT_IPV6, 0, 0, 0 };

	FID_ERR(missing, MH_E_TS_LEN, SUB_OFF + 1);
	FID_ERR(extra, MH_E_TS_LEN, SUB_OFF + 1);
	FID_ERR(noflags, MH_E_TS_LEN, SUB_OFF + 1);
}

Test(errors, ts_flags)
{
	/* IPv4 selector with the two reserved flag bits set */
	static const uint8_t s[] = { XP_FSUB_TS, 6, XP_TS_FMT_IPV4, 0, 0x00, 0x03, 0, 0 };

	FID_ERR(s, MH_E_TS_FLAGS, SUB_OFF + 4);
}

Test(errors, unknown_subopts_and_padding_skipped)
{
	/* Pad1, PadN, an unknown sub-option 9, then a valid action */
	static const uint8_t s[] = {
		XP_FSUB_PAD1, XP_FSUB_PADN, 1, 0xff, 9, 2, 0xaa, 0xbb,
		XP_FSUB_ACTION, 2, 0, XP_FBA_FORWARD,
	};
	uint8_t b[MH_MAX_MSG_LEN];
	size_t n = fid_msg(b, sizeof(b), s, sizeof(s)), off;
	struct mh_msg m;

	cr_assert_eq(decode_exact(b, n, &m, &off), MH_OK);
	cr_assert(m.opt.flow_id[0].has_action);
	cr_assert_eq(m.opt.flow_id[0].action, XP_FBA_FORWARD);
}

/* ---- encoder errors ---- */

Test(errors, encode_nospace)
{
	struct mh_msg m;
	uint8_t out[sizeof(v_pbu)];

	cr_assert_eq(mh_decode(v_pbu, sizeof(v_pbu), &m, NULL), MH_OK);
	/* every capacity short of the message fails, never writes past cap */
	for (size_t cap = 0; cap < sizeof(v_pbu); cap++) {
		uint8_t *p = malloc(cap ? cap : 1);

		cr_assert_eq(mh_encode(&m, p, cap), MH_E_NOSPACE, "cap %zu", cap);
		free(p);
	}
	cr_assert_eq(mh_encode(&m, out, sizeof(out)), (int)sizeof(v_pbu));
	cr_assert_eq(mh_encode(&m, NULL, 100), MH_E_NOSPACE);
}

Test(errors, encode_inval)
{
	struct mh_msg m;
	uint8_t out[MH_MAX_MSG_LEN];

	cr_assert_eq(mh_encode(NULL, out, sizeof(out)), MH_E_INVAL);
	mh_msg_init(&m, 1);			/* not our MH type */
	cr_assert_eq(mh_encode(&m, out, sizeof(out)), MH_E_INVAL);

	mh_msg_init(&m, XP_MH_TYPE_BU);
	m.opt.present = MH_HAS_MN_ID;		/* empty MN-ID */
	cr_assert_eq(mh_encode(&m, out, sizeof(out)), MH_E_INVAL);

	mh_msg_init(&m, XP_MH_TYPE_BU);
	m.opt.n_hnp = 1;
	m.opt.hnp[0].plen = XP_IPV6_PREFIX_MAX + 1;
	cr_assert_eq(mh_encode(&m, out, sizeof(out)), MH_E_INVAL);

	mh_msg_init(&m, XP_MH_TYPE_BU);
	m.opt.n_bid = 1;
	m.opt.bid[0].coa_len = 5;
	cr_assert_eq(mh_encode(&m, out, sizeof(out)), MH_E_INVAL);

	mh_msg_init(&m, XP_MH_TYPE_BU);
	m.opt.n_flow_id = 1;
	m.opt.flow_id[0].has_ts = true;
	m.opt.flow_id[0].ts.format = 7;
	cr_assert_eq(mh_encode(&m, out, sizeof(out)), MH_E_INVAL);

	mh_msg_init(&m, XP_MH_TYPE_BU);
	m.opt.n_flow_id = 1;
	m.opt.flow_id[0].has_ts = true;
	m.opt.flow_id[0].ts.format = XP_TS_FMT_IPV4;
	m.opt.flow_id[0].ts.flags = XP_TS4_RESERVED_MASK;
	cr_assert_eq(mh_encode(&m, out, sizeof(out)), MH_E_INVAL);

	mh_msg_init(&m, XP_MH_TYPE_BU);
	m.opt.present = MH_HAS_FLOW_SUMMARY;	/* with no FIDs */
	cr_assert_eq(mh_encode(&m, out, sizeof(out)), MH_E_INVAL);

	mh_msg_init(&m, XP_MH_TYPE_BU);
	m.opt.present = MH_HAS_MN_LLID;		/* with no identifier */
	cr_assert_eq(mh_encode(&m, out, sizeof(out)), MH_E_INVAL);

	mh_msg_init(&m, XP_MH_TYPE_BU);
	m.opt.n_hnp = MH_MAX_HNP + 1;		/* more than the array holds */
	cr_assert_eq(mh_encode(&m, out, sizeof(out)), MH_E_INVAL);

	/* more BID references than the array holds */
	mh_msg_init(&m, XP_MH_TYPE_BU);
	m.opt.n_flow_id = 1;
	m.opt.flow_id[0].n_bid_ref = MH_MAX_BID_REF + 1;
	cr_assert_eq(mh_encode(&m, out, sizeof(out)), MH_E_INVAL);

	mh_msg_init(&m, XP_MH_TYPE_BU);
	cr_assert_eq(mh_set_mnid(&m, ""), MH_E_INVAL);
	cr_assert_eq(mh_set_mnid(&m, NULL), MH_E_INVAL);
	{
		struct in6_addr p = { { { 0 } } };

		cr_assert_eq(mh_add_hnp(&m, &p, XP_IPV6_PREFIX_MAX + 1, 0), MH_E_INVAL);
		for (int i = 0; i < MH_MAX_HNP; i++)
			cr_assert_eq(mh_add_hnp(&m, &p, 64, 0), MH_OK);
		cr_assert_eq(mh_add_hnp(&m, &p, 64, 0), MH_E_OPT_TOO_MANY);
	}
}

/* ---- names ---- */

Test(errors, strerror_names_distinct)
{
	static const struct { int err; const char *name; } names[] = {
		{ MH_OK, "MH_OK" },
		{ MH_E_SHORT, "MH_E_SHORT" },
		{ MH_E_HDR_LEN, "MH_E_HDR_LEN" },
		{ MH_E_PAYLOAD_PROTO, "MH_E_PAYLOAD_PROTO" },
		{ MH_E_UNKNOWN_TYPE, "MH_E_UNKNOWN_TYPE" },
		{ MH_E_OPT_OVERRUN, "MH_E_OPT_OVERRUN" },
		{ MH_E_OPT_LEN, "MH_E_OPT_LEN" },
		{ MH_E_OPT_DUP, "MH_E_OPT_DUP" },
		{ MH_E_OPT_TOO_MANY, "MH_E_OPT_TOO_MANY" },
		{ MH_E_MNID_SUBTYPE, "MH_E_MNID_SUBTYPE" },
		{ MH_E_SUBOPT_OVERRUN, "MH_E_SUBOPT_OVERRUN" },
		{ MH_E_SUBOPT_LEN, "MH_E_SUBOPT_LEN" },
		{ MH_E_TS_FORMAT, "MH_E_TS_FORMAT" },
		{ MH_E_TS_LEN, "MH_E_TS_LEN" },
		{ MH_E_TS_FLAGS, "MH_E_TS_FLAGS" },
		{ MH_E_PREFIX_LEN, "MH_E_PREFIX_LEN" },
		{ MH_E_NOSPACE, "MH_E_NOSPACE" },
		{ MH_E_INVAL, "MH_E_INVAL" },
		{ MH_E_SUBOPT_DUP, "MH_E_SUBOPT_DUP" },
		{ MH_E_SUBOPT_TOO_MANY, "MH_E_SUBOPT_TOO_MANY" },
		{ MH_E_BODY_SHORT, "MH_E_BODY_SHORT" },
	};

	/* the table above covers every code */
	cr_assert_eq(sizeof(names) / sizeof(names[0]), (size_t)-MH_E_MAX_);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		cr_assert_str_eq(mh_strerror(names[i].err), names[i].name);
	cr_assert_str_eq(mh_strerror(MH_E_MAX_), "MH_E_UNKNOWN_ERROR");
	cr_assert_str_eq(mh_strerror(-1000), "MH_E_UNKNOWN_ERROR");
	cr_assert_str_eq(mh_strerror(1), "MH_E_UNKNOWN_ERROR");
}

/* ---- blanket robustness ---- */

Test(errors, every_truncation_of_every_vector_fails)
{
	for (size_t v = 0; v < N_CODEC_VECTORS; v++) {
		const struct codec_vector *cv = &codec_vectors[v];
		struct mh_msg m;
		size_t off;

		cr_assert_eq(decode_exact(cv->bytes, cv->len, &m, &off), MH_OK, "%s", cv->name);
		for (size_t len = 0; len < cv->len; len++) {
			int err = decode_exact(cv->bytes, len, &m, &off);

			cr_assert_lt(err, 0, "%s truncated to %zu decoded", cv->name, len);
			cr_assert_leq(off, len, "%s/%zu: err_off %zu past the input", cv->name,
				      len, off);
		}
	}
}

/*
 * Truncations with the Header Len patched to agree: these get past the
 * length check and into the option walk, where an option now overruns
 * the message (or, cut at an option boundary, the rest decodes). Either
 * way no crash, and an error's offset is inside the message.
 */
Test(errors, every_patched_truncation_is_safe)
{
	for (size_t v = 0; v < N_CODEC_VECTORS; v++) {
		const struct codec_vector *cv = &codec_vectors[v];

		for (size_t len = XP_MH_ALIGN; len < cv->len; len += XP_MH_HLEN_UNIT) {
			uint8_t b[MH_MAX_MSG_LEN];
			struct mh_msg m;
			size_t off = 0;
			int err;

			memcpy(b, cv->bytes, len);
			b[1] = (uint8_t)(len / XP_MH_HLEN_UNIT - 1);
			err = decode_exact(b, len, &m, &off);
			cr_assert(err == MH_OK || err == MH_E_BODY_SHORT ||
				  err == MH_E_OPT_OVERRUN || err == MH_E_SUBOPT_OVERRUN ||
				  err == MH_E_TS_LEN, "%s/%zu: %s", cv->name, len, mh_strerror(err));
			if (err)
				cr_assert_lt(off, len);
		}
	}
}

/* Every single-octet corruption of every vector: decode must not crash,
 * and any error offset must point inside the message */
Test(errors, every_octet_flip_is_safe)
{
	static const uint8_t vals[] = { 0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff };

	for (size_t v = 0; v < N_CODEC_VECTORS; v++) {
		const struct codec_vector *cv = &codec_vectors[v];

		for (size_t i = 0; i < cv->len; i++)
			for (size_t k = 0; k < sizeof(vals); k++) {
				uint8_t b[MH_MAX_MSG_LEN];
				struct mh_msg m;
				size_t off = 0;
				int err;

				memcpy(b, cv->bytes, cv->len);
				b[i] = vals[k];
				err = decode_exact(b, cv->len, &m, &off);
				cr_assert(err <= 0 && err > MH_E_MAX_);
				if (err)
					cr_assert_lt(off, cv->len, "%s[%zu]=%02x: %s at %zu",
						     cv->name, i, vals[k], mh_strerror(err), off);
			}
	}
}

/* More unknown options than MH_MAX_UNKNOWN: the extra ones are skipped
 * without a record, never an error */
Test(errors, unknown_options_past_the_record_limit)
{
	uint8_t o[(MH_MAX_UNKNOWN + 4) * 2];
	uint8_t b[MH_MAX_MSG_LEN];
	struct mh_msg m;
	size_t total, off;

	for (size_t i = 0; i < sizeof(o); i += 2) {
		o[i] = 100;	/* unassigned */
		o[i + 1] = 0;
	}
	total = (OPT_OFF + sizeof(o) + XP_MH_ALIGN - 1) / XP_MH_ALIGN * XP_MH_ALIGN;
	build(b, XP_MH_TYPE_BU, XP_BU_BODY_LEN, o, sizeof(o), total);
	cr_assert_eq(decode_exact(b, total, &m, &off), MH_OK);
	cr_assert_eq(m.opt.n_unknown, MH_MAX_UNKNOWN);
	cr_assert_eq(m.opt.unknown[MH_MAX_UNKNOWN - 1].offset, OPT_OFF + 2 * (MH_MAX_UNKNOWN - 1));
}

/* A configured option number moves the Multihoming option */
Test(errors, configured_option_numbers)
{
	static const uint8_t o[] = { 210, XP_MOPT_MULTIHOMING_LEN, 3,
				     XP_MH_ACT_REMOVE << XP_MH_ACT_SHIFT };
	uint8_t b[16];
	struct mh_msg m;
	size_t off;
	struct mh_codec_cfg saved = mh_codec_cfg;

	PBU(b, o, sizeof(b));
	cr_assert_eq(decode_exact(b, sizeof(b), &m, &off), MH_OK);
	cr_assert_eq(m.opt.n_unknown, 1, "210 is unknown by default");
	mh_codec_cfg.multihoming_opt = 210;
	cr_assert_eq(decode_exact(b, sizeof(b), &m, &off), MH_OK);
	mh_codec_cfg = saved;
	cr_assert_eq(m.opt.present, MH_HAS_MULTIHOMING);
	cr_assert_eq(m.opt.mhgid, 3);
	cr_assert_eq(m.opt.mh_act, XP_MH_ACT_REMOVE);
}
