/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ifp_pkt.h - upper-layer headers and checksums for the 000 (interface
 * priority, primary HoA) tests, computed here independently of the data
 * plane: TCP/UDP/ICMPv6 checksum over the RFC 8200 8.1 pseudo-header,
 * whose destination is the final one (the Type 2 routing header's address
 * when the packet has one).
 */
#ifndef XP_TEST_IFP_PKT_H
#define XP_TEST_IFP_PKT_H

#include <stddef.h>
#include <stdint.h>

#include "pkt.h"

/* Append a TCP (20-octet header), UDP or ICMPv6 echo request header and
 * 40 + seed % 16 payload octets; checksum field zero */
void ifp_l4(struct pkt *p, uint8_t proto, uint8_t seed);

/* Fill the upper-layer checksum of the IPv6 packet at p->b + ip_off
 * (extension headers walked). *l4_off (may be NULL) gets the offset of the
 * upper-layer header from p->b. */
void ifp_fill_csum(struct pkt *p, size_t ip_off, size_t *l4_off);

/* 1 when the upper-layer checksum of the IPv6 packet ip6[0..len) verifies
 * (UDP: zero counts as wrong), 0 otherwise */
int ifp_csum_ok(const uint8_t *ip6, size_t len);

#endif
