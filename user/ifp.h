/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ifp.h - interface priority and primary HoA (000_2df5b7e7ec4cafcb.txt):
 * the LMA's per-MN downlink choice and the HoAs it needs, as pure functions
 * of the MN's bindings (no maps, no sockets: lma.c feeds and writes them).
 *
 *  - each binding's HoA: its home network prefix + the interface
 *    identifier derived from the MN-LL-ID (modified EUI-64 of a 6-octet
 *    MAC, RFC 4291 appendix A: what a SLAAC host configures), or, in the
 *    shared-address model (000 5.3), the primary HoA itself;
 *  - the primary HoA: the policy's, else the HoA of the binding whose
 *    MN-LL-ID carries the P flag, else none (the MN does not use 000 and
 *    the LMA forwards per RFC 5213);
 *  - the downlink choice (000 section 3): the active bindings with the
 *    highest IFP, the primary one first, at most XP_MAX_DL_BINDINGS; no
 *    binding with an IFP (all 0): none, each prefix's owner forwards.
 */
#ifndef XPMIP_IFP_H
#define XPMIP_IFP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "config.h"
#include "xpmip_maps.h"

#define IFP_IID_LEN	8
#define IFP_MAC_LEN	6

struct ifp_path {
	uint16_t bid;
	uint8_t ifp;
	bool primary;		/* P flag */
	bool active;
	struct in6_addr hoa;	/* zero: unknown */
};

/* Interface identifier from an MN-LL-ID: a 6-octet MAC becomes its
 * modified EUI-64, an 8-octet identifier is used as is. 0 or -EINVAL. */
int ifp_iid(const uint8_t *llid, uint8_t len, uint8_t iid[IFP_IID_LEN]);

/* prefix (length <= 64) + the MN-LL-ID's interface identifier. 0 or -EINVAL */
int ifp_hoa(const struct xp_prefix *pfx, const uint8_t *llid, uint8_t len,
	    struct in6_addr *hoa);

/* The downlink choice for n paths; primary_hoa may be NULL (none). */
void ifp_choose(const struct ifp_path *p, size_t n, const struct in6_addr *primary_hoa,
		struct xp_mn_val *out);

/* "unique-prefix" ... <-> enum xp_addr_model; -EINVAL / NULL when unknown */
int ifp_model_parse(const char *s);
const char *ifp_model_name(int model);

#endif
