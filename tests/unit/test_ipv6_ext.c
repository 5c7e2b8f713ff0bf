// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_ipv6_ext.c - the Primary HoA Destination Options header and the
 * Type 2 Routing Header: byte-exact builds against hand-written vectors,
 * parses, and one test per enum xp_ext_err. Parsers are always given a
 * heap copy of exactly the input length so ASan sees any over-read.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "ipv6_ext.h"

/*
 * Destination Options header (RFC 8200 4.6) with the Primary HoA option of
 * 000_2df5b7e7ec4cafcb.txt 2.1 (type 0x1E, Length 16 - wire-numbers.md),
 * placed like RFC 6275 6.3's Home Address option at 8n+6 so the address
 * sits on 8n.
 */
static const uint8_t v_dstopt[] = {
	/* Next Header 58 (ICMPv6), Hdr Ext Len 2 (24 octets) */
	0x3a, 0x02,
	/* PadN, Length 2, two zero octets: the option lands on 6 */
	0x01, 0x02, 0x00, 0x00,
	/* Primary HoA, Length 16, 2001:db8:1::100 */
	0x1e, 0x10,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
};

/* Type 2 Routing Header, RFC 6275 6.4 Figure (000 section 2.2) */
static const uint8_t v_rh2[] = {
	/* Next Header 6 (TCP), Hdr Ext Len 2, Routing Type 2, Segments Left 1 */
	0x06, 0x02, 0x02, 0x01,
	/* Reserved (32) */
	0x00, 0x00, 0x00, 0x00,
	/* Home Address 2001:db8:2::5 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,
};

static struct in6_addr a6(const char *s)
{
	struct in6_addr a;

	cr_assert_eq(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

static int hoa_parse(const uint8_t *v, size_t len, uint8_t *nh, struct in6_addr *a,
		     size_t *hl)
{
	uint8_t *p = malloc(len ? len : 1);
	int err;

	memcpy(p, v, len);
	err = xp_dstopt_hoa_parse(p, len, XP_DSTOPT_PRIMARY_HOA_DEFAULT, nh, a, hl);
	free(p);
	return err;
}

static int rh2_parse(const uint8_t *v, size_t len, uint8_t *nh, struct in6_addr *a,
		     uint8_t *sl)
{
	uint8_t *p = malloc(len ? len : 1);
	int err;

	memcpy(p, v, len);
	err = xp_rh2_parse(p, len, nh, a, sl);
	free(p);
	return err;
}

Test(ipv6_ext, dstopt_build_exact)
{
	struct in6_addr hoa = a6("2001:db8:1::100");
	uint8_t out[64];
	int n;

	memset(out, 0xee, sizeof(out));
	n = xp_dstopt_hoa_build(out, sizeof(out), XP_IPPROTO_ICMPV6,
				XP_DSTOPT_PRIMARY_HOA_DEFAULT, &hoa);
	cr_assert_eq(n, (int)sizeof(v_dstopt));
	cr_assert_eq(n, XP_DSTOPT_HOA_HDR_LEN);
	cr_assert_arr_eq(out, v_dstopt, sizeof(v_dstopt));
	cr_assert_eq(out[sizeof(v_dstopt)], 0xee, "wrote past the header");
}

Test(ipv6_ext, dstopt_parse)
{
	struct in6_addr hoa, want = a6("2001:db8:1::100");
	uint8_t nh = 0;
	size_t hl = 0;

	cr_assert_eq(hoa_parse(v_dstopt, sizeof(v_dstopt), &nh, &hoa, &hl), XP_EXT_OK);
	cr_assert_eq(nh, XP_IPPROTO_ICMPV6);
	cr_assert_eq(hl, sizeof(v_dstopt));
	cr_assert_arr_eq(&hoa, &want, sizeof(want));
	/* a longer buffer (the payload follows) is fine; hdr_len may be NULL */
	{
		uint8_t b[sizeof(v_dstopt) + 8] = { 0 };

		memcpy(b, v_dstopt, sizeof(v_dstopt));
		cr_assert_eq(hoa_parse(b, sizeof(b), &nh, &hoa, NULL), XP_EXT_OK);
	}
}

Test(ipv6_ext, dstopt_parse_among_other_options)
{
	/* Pad1, an unknown skippable option (type 0x05... top bits 00), then
	 * the HoA, then PadN: all tolerated (RFC 8200 4.2) */
	static const uint8_t v[] = {
		0x3b, 0x03,
		0x00,				/* Pad1 */
		0x05, 0x01, 0xaa,		/* unknown, Length 1 */
		0x1e, 0x10,
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09,
		0x01, 0x06, 0, 0, 0, 0, 0, 0,	/* PadN to 32 */
	};
	struct in6_addr hoa, want = a6("2001:db8::9");
	uint8_t nh;
	size_t hl;

	cr_assert_eq(hoa_parse(v, sizeof(v), &nh, &hoa, &hl), XP_EXT_OK);
	cr_assert_eq(nh, XP_IPPROTO_NONE);
	cr_assert_eq(hl, sizeof(v));
	cr_assert_arr_eq(&hoa, &want, sizeof(want));
}

Test(ipv6_ext, dstopt_errors)
{
	struct in6_addr hoa = a6("2001:db8:1::100");
	uint8_t b[sizeof(v_dstopt)], nh;
	size_t hl;

	/* shorter than Next Header + Hdr Ext Len, or than Hdr Ext Len says */
	cr_assert_eq(hoa_parse(v_dstopt, 1, &nh, &hoa, &hl), XP_EXT_E_SHORT);
	for (size_t len = 2; len < sizeof(v_dstopt); len++)
		cr_assert_eq(hoa_parse(v_dstopt, len, &nh, &hoa, &hl), XP_EXT_E_SHORT,
			     "len %zu", len);

	/* the HoA option's Length runs past the header */
	memcpy(b, v_dstopt, sizeof(b));
	b[7] = 17;
	cr_assert_eq(hoa_parse(b, sizeof(b), &nh, &hoa, &hl), XP_EXT_E_OPT_OVERRUN);
	/* a Type octet alone at the very end */
	memcpy(b, v_dstopt, sizeof(b));
	b[3] = 3;	/* PadN now ends on 7: octets 7, 8 read as Type 16, Length 32 */
	cr_assert_eq(hoa_parse(b, sizeof(b), &nh, &hoa, &hl), XP_EXT_E_OPT_OVERRUN);

	/* no HoA option: turn it into an unknown option */
	memcpy(b, v_dstopt, sizeof(b));
	b[6] = 0x05;
	cr_assert_eq(hoa_parse(b, sizeof(b), &nh, &hoa, &hl), XP_EXT_E_NO_HOA);

	/* HoA option with Length 14 (+ PadN so the header still adds up) */
	{
		uint8_t v[] = {
			0x3a, 0x02, 0x01, 0x02, 0x00, 0x00, 0x1e, 0x0e,
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00,
		};

		cr_assert_eq(hoa_parse(v, sizeof(v), &nh, &hoa, &hl), XP_EXT_E_HOA_LEN);
	}
	/* two HoA options */
	{
		uint8_t v[48] = { 0x3a, 0x05, 0x01, 0x02, 0x00, 0x00, 0x1e, 0x10 };

		v[24] = 0x01;
		v[25] = 0x02;
		v[30] = 0x1e;
		v[31] = 0x10;
		cr_assert_eq(hoa_parse(v, sizeof(v), &nh, &hoa, &hl), XP_EXT_E_HOA_DUP);
	}

	/* builder and parser arguments */
	cr_assert_eq(xp_dstopt_hoa_build(b, XP_DSTOPT_HOA_HDR_LEN - 1, 0,
					 XP_DSTOPT_PRIMARY_HOA_DEFAULT, &hoa), XP_EXT_E_NOSPACE);
	cr_assert_eq(xp_dstopt_hoa_build(NULL, 64, 0, XP_DSTOPT_PRIMARY_HOA_DEFAULT, &hoa),
		     XP_EXT_E_INVAL);
	cr_assert_eq(xp_dstopt_hoa_build(b, sizeof(b), 0, XP_DSTOPT_PRIMARY_HOA_DEFAULT, NULL),
		     XP_EXT_E_INVAL);
	cr_assert_eq(xp_dstopt_hoa_build(b, sizeof(b), 0, XP_DSTOPT_PADN, &hoa), XP_EXT_E_INVAL);
	cr_assert_eq(xp_dstopt_hoa_build(b, sizeof(b), 0, XP_DSTOPT_PAD1, &hoa), XP_EXT_E_INVAL);
	cr_assert_eq(xp_dstopt_hoa_parse(v_dstopt, sizeof(v_dstopt),
					 XP_DSTOPT_PRIMARY_HOA_DEFAULT, NULL, &hoa, &hl),
		     XP_EXT_E_INVAL);
	/* padding types cannot be the HoA type: a PadN of Length 16 is not an
	 * address (found by fuzz_ipv6_ext) */
	{
		uint8_t v[] = { 0x3b, 0x02, 0x01, 0x10, 0x20, 0x01, 0x0d, 0xb8,
				0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x02, 0, 0 };

		cr_assert_eq(xp_dstopt_hoa_parse(v, sizeof(v), XP_DSTOPT_PADN, &nh, &hoa, &hl),
			     XP_EXT_E_INVAL);
		cr_assert_eq(xp_dstopt_hoa_parse(v, sizeof(v), XP_DSTOPT_PAD1, &nh, &hoa, &hl),
			     XP_EXT_E_INVAL);
	}
	cr_assert_eq(xp_dstopt_hoa_parse(NULL, 24, XP_DSTOPT_PRIMARY_HOA_DEFAULT, &nh, &hoa,
					 &hl), XP_EXT_E_INVAL);
}

Test(ipv6_ext, dstopt_configured_type)
{
	struct in6_addr hoa = a6("2001:db8::1"), got;
	uint8_t b[XP_DSTOPT_HOA_HDR_LEN], nh;
	size_t hl;

	cr_assert_eq(xp_dstopt_hoa_build(b, sizeof(b), XP_IPPROTO_UDP, 0x3e, &hoa),
		     XP_DSTOPT_HOA_HDR_LEN);
	cr_assert_eq(b[6], 0x3e);
	cr_assert_eq(xp_dstopt_hoa_parse(b, sizeof(b), 0x3e, &nh, &got, &hl), XP_EXT_OK);
	cr_assert_eq(nh, XP_IPPROTO_UDP);
	cr_assert_arr_eq(&got, &hoa, sizeof(hoa));
	/* the default type does not match a header built with another */
	cr_assert_eq(xp_dstopt_hoa_parse(b, sizeof(b), XP_DSTOPT_PRIMARY_HOA_DEFAULT, &nh, &got,
					 &hl), XP_EXT_E_NO_HOA);
}

Test(ipv6_ext, rh2_build_exact_and_parse)
{
	struct in6_addr addr = a6("2001:db8:2::5"), got;
	uint8_t out[64], nh = 0, sl = 9;
	int n;

	memset(out, 0xee, sizeof(out));
	n = xp_rh2_build(out, sizeof(out), XP_IPPROTO_TCP, &addr);
	cr_assert_eq(n, XP_RH2_LEN);
	cr_assert_arr_eq(out, v_rh2, sizeof(v_rh2));
	cr_assert_eq(out[XP_RH2_LEN], 0xee);

	cr_assert_eq(rh2_parse(v_rh2, sizeof(v_rh2), &nh, &got, &sl), XP_EXT_OK);
	cr_assert_eq(nh, XP_IPPROTO_TCP);
	cr_assert_eq(sl, XP_RH2_SEGMENTS_LEFT);
	cr_assert_arr_eq(&got, &addr, sizeof(addr));
	/* Segments Left 0 (already processed) is accepted; segs_left may be NULL */
	{
		uint8_t b[sizeof(v_rh2)];

		memcpy(b, v_rh2, sizeof(b));
		b[3] = 0;
		cr_assert_eq(rh2_parse(b, sizeof(b), &nh, &got, &sl), XP_EXT_OK);
		cr_assert_eq(sl, 0);
		cr_assert_eq(rh2_parse(b, sizeof(b), &nh, &got, NULL), XP_EXT_OK);
	}
}

Test(ipv6_ext, rh2_errors)
{
	struct in6_addr addr = a6("2001:db8:2::5");
	uint8_t b[sizeof(v_rh2)], nh;

	for (size_t len = 0; len < sizeof(v_rh2); len++)
		cr_assert_eq(rh2_parse(v_rh2, len, &nh, &addr, NULL), XP_EXT_E_SHORT,
			     "len %zu", len);
	memcpy(b, v_rh2, sizeof(b));
	b[1] = 4;
	cr_assert_eq(rh2_parse(b, sizeof(b), &nh, &addr, NULL), XP_EXT_E_HDR_LEN);
	memcpy(b, v_rh2, sizeof(b));
	b[2] = 0;		/* Type 0, deprecated by RFC 5095 */
	cr_assert_eq(rh2_parse(b, sizeof(b), &nh, &addr, NULL), XP_EXT_E_RH_TYPE);
	memcpy(b, v_rh2, sizeof(b));
	b[3] = 2;
	cr_assert_eq(rh2_parse(b, sizeof(b), &nh, &addr, NULL), XP_EXT_E_RH_SEGS);

	cr_assert_eq(xp_rh2_build(b, XP_RH2_LEN - 1, 0, &addr), XP_EXT_E_NOSPACE);
	cr_assert_eq(xp_rh2_build(NULL, 64, 0, &addr), XP_EXT_E_INVAL);
	cr_assert_eq(xp_rh2_build(b, sizeof(b), 0, NULL), XP_EXT_E_INVAL);
	cr_assert_eq(xp_rh2_parse(v_rh2, sizeof(v_rh2), NULL, &addr, NULL), XP_EXT_E_INVAL);
	cr_assert_eq(xp_rh2_parse(v_rh2, sizeof(v_rh2), &nh, NULL, NULL), XP_EXT_E_INVAL);
}

Test(ipv6_ext, strerror_names)
{
	static const struct { int err; const char *name; } names[] = {
		{ XP_EXT_OK, "XP_EXT_OK" },
		{ XP_EXT_E_SHORT, "XP_EXT_E_SHORT" },
		{ XP_EXT_E_HDR_LEN, "XP_EXT_E_HDR_LEN" },
		{ XP_EXT_E_OPT_OVERRUN, "XP_EXT_E_OPT_OVERRUN" },
		{ XP_EXT_E_NO_HOA, "XP_EXT_E_NO_HOA" },
		{ XP_EXT_E_HOA_LEN, "XP_EXT_E_HOA_LEN" },
		{ XP_EXT_E_HOA_DUP, "XP_EXT_E_HOA_DUP" },
		{ XP_EXT_E_RH_TYPE, "XP_EXT_E_RH_TYPE" },
		{ XP_EXT_E_RH_SEGS, "XP_EXT_E_RH_SEGS" },
		{ XP_EXT_E_NOSPACE, "XP_EXT_E_NOSPACE" },
		{ XP_EXT_E_INVAL, "XP_EXT_E_INVAL" },
	};

	cr_assert_eq(sizeof(names) / sizeof(names[0]), (size_t)-XP_EXT_E_MAX_);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		cr_assert_str_eq(xp_ext_strerror(names[i].err), names[i].name);
	cr_assert_str_eq(xp_ext_strerror(XP_EXT_E_MAX_), "XP_EXT_E_UNKNOWN_ERROR");
	cr_assert_str_eq(xp_ext_strerror(1), "XP_EXT_E_UNKNOWN_ERROR");
}

/* Every single-octet corruption of both vectors parses or fails, never
 * reads outside the buffer (ASan) */
Test(ipv6_ext, every_octet_flip_is_safe)
{
	static const uint8_t vals[] = { 0x00, 0x01, 0x02, 0x1e, 0x7f, 0x80, 0xff };

	for (size_t i = 0; i < sizeof(v_dstopt); i++)
		for (size_t k = 0; k < sizeof(vals); k++) {
			uint8_t b[sizeof(v_dstopt)], nh;
			struct in6_addr a;
			size_t hl;
			int err;

			memcpy(b, v_dstopt, sizeof(b));
			b[i] = vals[k];
			err = hoa_parse(b, sizeof(b), &nh, &a, &hl);
			cr_assert(err <= 0 && err > XP_EXT_E_MAX_);
			if (!err)
				cr_assert_leq(hl, sizeof(b));
			memcpy(b, v_rh2, sizeof(b));
			b[i] = vals[k];
			err = rh2_parse(b, sizeof(b), &nh, &a, NULL);
			cr_assert(err <= 0 && err > XP_EXT_E_MAX_);
		}
}
