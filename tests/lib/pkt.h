/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * pkt.h - build test packets byte by byte (Ethernet, IPv6, extension
 * headers, IPv6-in-IPv6, UDP, ICMPv6) and check them.
 *
 * A struct pkt is appended to in wire order; pkt_finish() sets the Payload
 * Length of every IPv6 header from the bytes that follow it (so nested
 * headers are right), unless the test overrides it afterwards. Checksums
 * are left zero except where pkt_icmp6_csum() is asked for.
 */
#ifndef XP_TEST_PKT_H
#define XP_TEST_PKT_H

#include <stddef.h>
#include <stdint.h>

#define PKT_MAX		4096
#define PKT_MAX_IP	4

struct pkt {
	uint8_t b[PKT_MAX];
	size_t len;
	size_t ip_off[PKT_MAX_IP];	/* offsets of IPv6 headers, outer first */
	int n_ip;
};

void pkt_init(struct pkt *p);
void pkt_mac(const char *s, uint8_t out[6]);
void pkt_addr(const char *s, uint8_t out[16]);

void pkt_eth(struct pkt *p, const char *dst, const char *src, uint16_t proto);
/* IPv6 header; tc and flow label as given, Payload Length set by pkt_finish */
void pkt_ip6(struct pkt *p, const char *src, const char *dst, uint8_t nexthdr,
	     uint8_t hop_limit, uint8_t tc, uint32_t flow);
/* Generic extension header (Hop-by-Hop, Routing, Destination Options):
 * 8 * (units + 1) bytes, zero options (Pad1) */
void pkt_ext(struct pkt *p, uint8_t nexthdr, uint8_t units);
void pkt_frag(struct pkt *p, uint8_t nexthdr, uint16_t offset, int more);
void pkt_udp(struct pkt *p, uint16_t sport, uint16_t dport, size_t payload);
void pkt_icmp6(struct pkt *p, uint8_t type, uint8_t code, size_t payload);
void pkt_bytes(struct pkt *p, const void *data, size_t n);
void pkt_fill(struct pkt *p, size_t n, uint8_t seed);
void pkt_finish(struct pkt *p);

/* ICMPv6 checksum over the IPv6 packet at off (pseudo header included):
 * 0 when the stored checksum is right */
uint16_t pkt_icmp6_verify(const uint8_t *ip6, size_t len);

#endif
