// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* ifp_pkt.c - see ifp_pkt.h */
#include <string.h>
#include <arpa/inet.h>

#include "ifp_pkt.h"
#include "xpmip_wire.h"

#define TCP_HLEN	20
#define TCP_DOFF_5	0x50
#define TCP_PSH_ACK	0x18
#define ICMP6_ECHO_REQ	128
#define EXT_MAX		8

void ifp_l4(struct pkt *p, uint8_t proto, uint8_t seed)
{
	size_t payload = 40 + seed % 16;

	if (proto == XP_IPPROTO_TCP) {
		uint8_t t[TCP_HLEN] = { 0x30, 0x39, 0x01, 0xbb, 0, 0, 0x10, seed, 0, 0, 0x20, 0,
					TCP_DOFF_5, TCP_PSH_ACK, 0xff, 0xff };

		pkt_bytes(p, t, sizeof(t));
		pkt_fill(p, payload, seed);
	} else if (proto == XP_IPPROTO_UDP) {
		pkt_udp(p, 5000 + seed, 6000, payload);
	} else {
		pkt_icmp6(p, ICMP6_ECHO_REQ, 0, payload);
	}
}

/* Walk to the upper layer; *final gets the final destination */
static size_t walk(const uint8_t *ip6, size_t len, uint8_t *proto, const uint8_t **final)
{
	size_t off = 40;
	uint8_t nh = ip6[6];

	*final = ip6 + 24;
	for (int i = 0; i < EXT_MAX && off + 8 <= len; i++) {
		if (nh == XP_IPPROTO_ROUTING) {
			if (ip6[off + 2] == XP_RH_TYPE2 && off + XP_RH2_LEN <= len)
				*final = ip6 + off + 8;
		} else if (nh != XP_IPPROTO_DSTOPTS && nh != XP_IPPROTO_HOPOPTS) {
			break;
		}
		uint8_t next = ip6[off];

		off += 8u * (ip6[off + 1] + 1u);
		nh = next;
	}
	*proto = nh;
	return off;
}

static uint16_t sum(const uint8_t *src, const uint8_t *dst, uint8_t proto,
		    const uint8_t *l4, size_t len)
{
	uint32_t s = 0;

	for (int i = 0; i < 16; i += 2)
		s += (uint32_t)(src[i] << 8 | src[i + 1]) + (uint32_t)(dst[i] << 8 | dst[i + 1]);
	s += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff) + proto;
	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(l4[i] << 8 | l4[i + 1]);
	if (len & 1)
		s += (uint32_t)l4[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static size_t csum_field(uint8_t proto)
{
	return proto == XP_IPPROTO_TCP ? 16 : proto == XP_IPPROTO_UDP ? 6 : 2;
}

void ifp_fill_csum(struct pkt *p, size_t ip_off, size_t *l4_off)
{
	uint8_t *ip6 = p->b + ip_off, proto;
	const uint8_t *final;
	size_t l4 = walk(ip6, p->len - ip_off, &proto, &final), f = csum_field(proto);
	uint16_t c;

	ip6[l4 + f] = ip6[l4 + f + 1] = 0;
	c = sum(ip6 + 8, final, proto, ip6 + l4, p->len - ip_off - l4);
	if (c == 0 && proto == XP_IPPROTO_UDP)
		c = 0xffff;
	ip6[l4 + f] = (uint8_t)(c >> 8);
	ip6[l4 + f + 1] = (uint8_t)c;
	if (l4_off)
		*l4_off = ip_off + l4;
}

int ifp_csum_ok(const uint8_t *ip6, size_t len)
{
	uint8_t proto;
	const uint8_t *final;
	size_t l4 = walk(ip6, len, &proto, &final);

	if (l4 >= len)
		return 0;
	if (proto == XP_IPPROTO_UDP && !ip6[l4 + 6] && !ip6[l4 + 7])
		return 0;
	return sum(ip6 + 8, final, proto, ip6 + l4, len - l4) == 0;
}
