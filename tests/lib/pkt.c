// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* pkt.c - see pkt.h */
#include "pkt.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *pkt_put(struct pkt *p, size_t n)
{
	void *at;

	if (p->len + n > PKT_MAX) {
		fprintf(stderr, "pkt: overflow\n");
		abort();
	}
	at = p->b + p->len;
	memset(at, 0, n);
	p->len += n;
	return at;
}

void pkt_init(struct pkt *p)
{
	memset(p, 0, sizeof(*p));
}

void pkt_mac(const char *s, uint8_t out[6])
{
	unsigned v[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		abort();
	for (int i = 0; i < 6; i++)
		out[i] = (uint8_t)v[i];
}

void pkt_addr(const char *s, uint8_t out[16])
{
	if (inet_pton(AF_INET6, s, out) != 1)
		abort();
}

void pkt_eth(struct pkt *p, const char *dst, const char *src, uint16_t proto)
{
	uint8_t *e = pkt_put(p, 14);

	pkt_mac(dst, e);
	pkt_mac(src, e + 6);
	e[12] = proto >> 8;
	e[13] = proto & 0xff;
}

void pkt_ip6(struct pkt *p, const char *src, const char *dst, uint8_t nexthdr,
	     uint8_t hop_limit, uint8_t tc, uint32_t flow)
{
	uint8_t *h;
	uint32_t w = (6u << 28) | ((uint32_t)tc << 20) | (flow & 0xfffff);

	if (p->n_ip < PKT_MAX_IP)
		p->ip_off[p->n_ip++] = p->len;
	h = pkt_put(p, 40);
	w = htonl(w);
	memcpy(h, &w, 4);
	h[6] = nexthdr;
	h[7] = hop_limit;
	pkt_addr(src, h + 8);
	pkt_addr(dst, h + 24);
}

void pkt_ext(struct pkt *p, uint8_t nexthdr, uint8_t units)
{
	uint8_t *h = pkt_put(p, 8u * (units + 1u));

	h[0] = nexthdr;
	h[1] = units;
}

void pkt_frag(struct pkt *p, uint8_t nexthdr, uint16_t offset, int more)
{
	uint8_t *h = pkt_put(p, 8);
	uint16_t v = (uint16_t)((offset << 3) | (more ? 1 : 0));

	h[0] = nexthdr;
	h[2] = v >> 8;
	h[3] = v & 0xff;
	h[7] = 0x42;	/* identification */
}

void pkt_udp(struct pkt *p, uint16_t sport, uint16_t dport, size_t payload)
{
	uint8_t *u = pkt_put(p, 8);
	uint16_t l = htons((uint16_t)(8 + payload));

	u[0] = sport >> 8;
	u[1] = sport & 0xff;
	u[2] = dport >> 8;
	u[3] = dport & 0xff;
	memcpy(u + 4, &l, 2);
	pkt_fill(p, payload, (uint8_t)sport);
}

void pkt_icmp6(struct pkt *p, uint8_t type, uint8_t code, size_t payload)
{
	uint8_t *h = pkt_put(p, 8);

	h[0] = type;
	h[1] = code;
	pkt_fill(p, payload, type);
}

void pkt_bytes(struct pkt *p, const void *data, size_t n)
{
	memcpy(pkt_put(p, n), data, n);
}

void pkt_fill(struct pkt *p, size_t n, uint8_t seed)
{
	uint8_t *d = pkt_put(p, n);

	for (size_t i = 0; i < n; i++)
		d[i] = (uint8_t)(seed + i * 7);
}

void pkt_finish(struct pkt *p)
{
	for (int i = 0; i < p->n_ip; i++) {
		size_t off = p->ip_off[i];
		uint16_t l = htons((uint16_t)(p->len - off - 40));

		memcpy(p->b + off + 4, &l, 2);
	}
}

uint16_t pkt_icmp6_verify(const uint8_t *ip6, size_t len)
{
	uint32_t s = 0;
	size_t plen = len - 40;

	for (int i = 8; i < 40; i += 2)
		s += (uint32_t)ip6[i] << 8 | ip6[i + 1];
	s += (uint32_t)(plen >> 16) + (uint32_t)(plen & 0xffff);
	s += 58;
	for (size_t i = 0; i < plen; i += 2) {
		uint32_t hi = ip6[40 + i], lo = i + 1 < plen ? ip6[40 + i + 1] : 0;

		s += hi << 8 | lo;
	}
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}
