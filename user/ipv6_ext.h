/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ipv6_ext.h - the two IPv6 extension headers of 000_2df5b7e7ec4cafcb.txt:
 * a Destination Options header carrying the Primary HoA option (section
 * 2.1) and the RFC 6275 Type 2 Routing Header (section 2.2).
 *
 * The data plane parses these in BPF; this is the userspace twin that the
 * tests and tools use to build packets and to check what the data plane
 * wrote. Builders return the header length (> 0) or an enum xp_ext_err;
 * parsers return XP_EXT_OK or an enum xp_ext_err and never read outside
 * the buffer.
 */
#ifndef XPMIP_IPV6_EXT_H
#define XPMIP_IPV6_EXT_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "xpmip_wire.h"

/* Destination Options header with one Primary HoA option: NH, Hdr Ext Len,
 * PadN (4), option Type, Length 16, address = 24 octets; the address lands
 * on 8n (the option is at 8n+6, like RFC 6275's Home Address option). */
#define XP_DSTOPT_HOA_HDR_LEN	24

enum xp_ext_err {
	XP_EXT_OK = 0,
	XP_EXT_E_SHORT = -1,		/* buffer shorter than the header */
	XP_EXT_E_HDR_LEN = -2,		/* Hdr Ext Len wrong for this header */
	XP_EXT_E_OPT_OVERRUN = -3,	/* an option runs past the header */
	XP_EXT_E_NO_HOA = -4,		/* no Primary HoA option */
	XP_EXT_E_HOA_LEN = -5,		/* Primary HoA option Length != 16 */
	XP_EXT_E_HOA_DUP = -6,		/* Primary HoA option twice */
	XP_EXT_E_RH_TYPE = -7,		/* routing type is not 2 */
	XP_EXT_E_RH_SEGS = -8,		/* segments left not 0 or 1 */
	XP_EXT_E_NOSPACE = -9,		/* build: output buffer too small */
	XP_EXT_E_INVAL = -10,		/* bad argument */
	XP_EXT_E_MAX_ = -11
};

const char *xp_ext_strerror(int err);

/* Build the Destination Options header carrying the Primary HoA option.
 * opt_type is the configured option type (XP_DSTOPT_PRIMARY_HOA_DEFAULT). */
int xp_dstopt_hoa_build(uint8_t *buf, size_t cap, uint8_t next_hdr,
			uint8_t opt_type, const struct in6_addr *hoa);

/* Parse a Destination Options header at buf[0]; finds the Primary HoA
 * option among any others (Pad1/PadN and unknown options are skipped).
 * On success *next_hdr, *hoa and *hdr_len (octets) are set. */
int xp_dstopt_hoa_parse(const uint8_t *buf, size_t len, uint8_t opt_type,
			uint8_t *next_hdr, struct in6_addr *hoa, size_t *hdr_len);

/* Build a Type 2 Routing Header (XP_RH2_LEN octets, Segments Left 1) */
int xp_rh2_build(uint8_t *buf, size_t cap, uint8_t next_hdr, const struct in6_addr *addr);

/* Parse a Type 2 Routing Header; *segs_left may be NULL */
int xp_rh2_parse(const uint8_t *buf, size_t len, uint8_t *next_hdr,
		 struct in6_addr *addr, uint8_t *segs_left);

#endif /* XPMIP_IPV6_EXT_H */
