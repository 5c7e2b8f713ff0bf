// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ipv6_ext.c - Destination Options (Primary HoA) and Type 2 Routing Header
 * builders and parsers for tests and tools. See ipv6_ext.h.
 */
#include <string.h>

#include "ipv6_ext.h"

/* Extension headers count their length in 8-octet units after the first 8 */
#define EXT_LEN_UNIT	8
#define EXT_FIXED_LEN	2	/* Next Header, Hdr Ext Len */
#define OPT_HDR_LEN	2	/* option Type, Length */
/* RH: NH, Hdr Ext Len, Routing Type, Segments Left, Reserved (32) */
#define RH2_ADDR_OFF	8
#define RH_TYPE_OFF	2
#define RH_SEGS_OFF	3

static const char *const ext_err_names[] = {
	[0] = "XP_EXT_OK",
	[-XP_EXT_E_SHORT] = "XP_EXT_E_SHORT",
	[-XP_EXT_E_HDR_LEN] = "XP_EXT_E_HDR_LEN",
	[-XP_EXT_E_OPT_OVERRUN] = "XP_EXT_E_OPT_OVERRUN",
	[-XP_EXT_E_NO_HOA] = "XP_EXT_E_NO_HOA",
	[-XP_EXT_E_HOA_LEN] = "XP_EXT_E_HOA_LEN",
	[-XP_EXT_E_HOA_DUP] = "XP_EXT_E_HOA_DUP",
	[-XP_EXT_E_RH_TYPE] = "XP_EXT_E_RH_TYPE",
	[-XP_EXT_E_RH_SEGS] = "XP_EXT_E_RH_SEGS",
	[-XP_EXT_E_NOSPACE] = "XP_EXT_E_NOSPACE",
	[-XP_EXT_E_INVAL] = "XP_EXT_E_INVAL",
};

const char *xp_ext_strerror(int err)
{
	if (err > 0 || err <= XP_EXT_E_MAX_)
		return "XP_EXT_E_UNKNOWN_ERROR";
	return ext_err_names[-err];
}

int xp_dstopt_hoa_build(uint8_t *buf, size_t cap, uint8_t next_hdr,
			uint8_t opt_type, const struct in6_addr *hoa)
{
	/* PadN so that the option starts at 8n+6 and the address at 8n+8 */
	const size_t padn = XP_DSTOPT_HOA_HDR_LEN - EXT_FIXED_LEN - OPT_HDR_LEN -
			    XP_DSTOPT_PRIMARY_HOA_LEN;
	size_t off = 0;

	if (!buf || !hoa || opt_type == XP_DSTOPT_PAD1 || opt_type == XP_DSTOPT_PADN)
		return XP_EXT_E_INVAL;
	if (cap < XP_DSTOPT_HOA_HDR_LEN)
		return XP_EXT_E_NOSPACE;
	buf[off++] = next_hdr;
	buf[off++] = XP_DSTOPT_HOA_HDR_LEN / EXT_LEN_UNIT - 1;
	buf[off++] = XP_DSTOPT_PADN;
	buf[off++] = (uint8_t)(padn - OPT_HDR_LEN);
	memset(buf + off, 0, padn - OPT_HDR_LEN);
	off += padn - OPT_HDR_LEN;
	buf[off++] = opt_type;
	buf[off++] = XP_DSTOPT_PRIMARY_HOA_LEN;
	memcpy(buf + off, hoa, XP_DSTOPT_PRIMARY_HOA_LEN);
	off += XP_DSTOPT_PRIMARY_HOA_LEN;
	return (int)off;
}

int xp_dstopt_hoa_parse(const uint8_t *buf, size_t len, uint8_t opt_type,
			uint8_t *next_hdr, struct in6_addr *hoa, size_t *hdr_len)
{
	size_t hl, off;
	int found = 0;

	/* a padding type can never name the HoA option: PadN of Length 16
	 * would otherwise be read as a Primary HoA (found by fuzz_ipv6_ext) */
	if (!buf || !next_hdr || !hoa || opt_type == XP_DSTOPT_PAD1 ||
	    opt_type == XP_DSTOPT_PADN)
		return XP_EXT_E_INVAL;
	if (len < EXT_FIXED_LEN)
		return XP_EXT_E_SHORT;
	hl = ((size_t)buf[1] + 1) * EXT_LEN_UNIT;
	if (hl > len)
		return XP_EXT_E_SHORT;
	for (off = EXT_FIXED_LEN; off < hl;) {
		uint8_t t = buf[off], l;

		if (t == XP_DSTOPT_PAD1) {
			off++;
			continue;
		}
		if (hl - off < OPT_HDR_LEN)
			return XP_EXT_E_OPT_OVERRUN;
		l = buf[off + 1];
		if (hl - off - OPT_HDR_LEN < l)
			return XP_EXT_E_OPT_OVERRUN;
		if (t == opt_type) {
			if (found)
				return XP_EXT_E_HOA_DUP;
			if (l != XP_DSTOPT_PRIMARY_HOA_LEN)
				return XP_EXT_E_HOA_LEN;
			memcpy(hoa, buf + off + OPT_HDR_LEN, XP_DSTOPT_PRIMARY_HOA_LEN);
			found = 1;
		}
		off += OPT_HDR_LEN + l;
	}
	if (!found)
		return XP_EXT_E_NO_HOA;
	*next_hdr = buf[0];
	if (hdr_len)
		*hdr_len = hl;
	return XP_EXT_OK;
}

int xp_rh2_build(uint8_t *buf, size_t cap, uint8_t next_hdr, const struct in6_addr *addr)
{
	if (!buf || !addr)
		return XP_EXT_E_INVAL;
	if (cap < XP_RH2_LEN)
		return XP_EXT_E_NOSPACE;
	memset(buf, 0, RH2_ADDR_OFF);
	buf[0] = next_hdr;
	buf[1] = XP_RH2_HDR_EXT_LEN;
	buf[RH_TYPE_OFF] = XP_RH_TYPE2;
	buf[RH_SEGS_OFF] = XP_RH2_SEGMENTS_LEFT;
	memcpy(buf + RH2_ADDR_OFF, addr, XP_IPV6_ADDR_LEN);
	return XP_RH2_LEN;
}

int xp_rh2_parse(const uint8_t *buf, size_t len, uint8_t *next_hdr,
		 struct in6_addr *addr, uint8_t *segs_left)
{
	if (!buf || !next_hdr || !addr)
		return XP_EXT_E_INVAL;
	if (len < XP_RH2_LEN)
		return XP_EXT_E_SHORT;
	if (buf[1] != XP_RH2_HDR_EXT_LEN)
		return XP_EXT_E_HDR_LEN;
	if (buf[RH_TYPE_OFF] != XP_RH_TYPE2)
		return XP_EXT_E_RH_TYPE;
	if (buf[RH_SEGS_OFF] > XP_RH2_SEGMENTS_LEFT)
		return XP_EXT_E_RH_SEGS;
	*next_hdr = buf[0];
	memcpy(addr, buf + RH2_ADDR_OFF, XP_IPV6_ADDR_LEN);
	if (segs_left)
		*segs_left = buf[RH_SEGS_OFF];
	return XP_EXT_OK;
}
