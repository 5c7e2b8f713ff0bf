/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * pkt_inject - send crafted IPv6 packets on an interface through AF_PACKET,
 * bypassing the sender's routing, source checks and neighbour cache; for
 * the spoofing tests.
 *
 *   pkt_inject --ifname IF --dst-mac MAC --src ADDR --dst ADDR
 *              [--outer-src ADDR --outer-dst ADDR]   IPv6-in-IPv6 (nh 41)
 *              [--src-mac MAC] [--proto udp|icmp] [--sport N] [--dport N]
 *              [--payload TEXT] [--hop-limit N] [--count N] [--interval-ms N]
 *
 * The inner packet is UDP (default, ports 40000 -> 5001) or an ICMPv6 echo
 * request, with a correct checksum. --src-mac defaults to the interface's
 * own address. Prints one line per packet sent; exit 0 if all were sent.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr,
		"usage: pkt_inject --ifname IF --dst-mac MAC --src ADDR --dst ADDR\n"
		"  [--outer-src ADDR --outer-dst ADDR] [--src-mac MAC] [--proto udp|icmp]\n"
		"  [--sport N] [--dport N] [--payload TEXT] [--hop-limit N] [--count N] [--interval-ms N]\n");
	exit(2);
}

static void addr(const char *s, uint8_t out[16])
{
	if (inet_pton(AF_INET6, s, out) != 1) {
		fprintf(stderr, "pkt_inject: bad IPv6 address '%s'\n", s);
		exit(2);
	}
}

static void mac(const char *s, uint8_t out[6])
{
	unsigned int b[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6) {
		fprintf(stderr, "pkt_inject: bad MAC '%s'\n", s);
		exit(2);
	}
	for (int i = 0; i < 6; i++)
		out[i] = (uint8_t)b[i];
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t l4_csum(const uint8_t *src, const uint8_t *dst, uint8_t proto,
			const uint8_t *l4, size_t len)
{
	uint32_t sum = 0;
	uint8_t ph[8] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
			  (uint8_t)len, 0, 0, 0, proto };

	sum = csum_add(sum, src, 16);
	sum = csum_add(sum, dst, 16);
	sum = csum_add(sum, ph, 8);
	sum = csum_add(sum, l4, len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	uint16_t c = (uint16_t)~sum;

	return c ? c : 0xffff;
}

static void ip6_hdr(uint8_t *p, uint16_t plen, uint8_t nh, uint8_t hlim,
		    const uint8_t *src, const uint8_t *dst)
{
	p[0] = 0x60;
	p[1] = p[2] = p[3] = 0;
	p[4] = (uint8_t)(plen >> 8);
	p[5] = (uint8_t)plen;
	p[6] = nh;
	p[7] = hlim;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ifname", required_argument, 0, 'I' },
		{ "dst-mac", required_argument, 0, 'D' },
		{ "src-mac", required_argument, 0, 'S' },
		{ "src", required_argument, 0, 's' },
		{ "dst", required_argument, 0, 'd' },
		{ "outer-src", required_argument, 0, 'o' },
		{ "outer-dst", required_argument, 0, 'O' },
		{ "proto", required_argument, 0, 'p' },
		{ "sport", required_argument, 0, 'x' },
		{ "dport", required_argument, 0, 'y' },
		{ "payload", required_argument, 0, 'P' },
		{ "hop-limit", required_argument, 0, 'H' },
		{ "count", required_argument, 0, 'c' },
		{ "interval-ms", required_argument, 0, 'i' },
		{ "help", no_argument, 0, 'h' },
		{ 0 }
	};
	const char *ifname = NULL, *payload = "xpmip pkt_inject";
	uint8_t dmac[6], smac[6], src[16], dst[16], osrc[16], odst[16];
	bool have_dmac = false, have_smac = false, have_src = false, have_dst = false;
	bool have_osrc = false, have_odst = false, icmp = false;
	int sport = 40000, dport = 5001, hlim = 64, count = 1, interval_ms = 100, c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'I': ifname = optarg; break;
		case 'D': mac(optarg, dmac); have_dmac = true; break;
		case 'S': mac(optarg, smac); have_smac = true; break;
		case 's': addr(optarg, src); have_src = true; break;
		case 'd': addr(optarg, dst); have_dst = true; break;
		case 'o': addr(optarg, osrc); have_osrc = true; break;
		case 'O': addr(optarg, odst); have_odst = true; break;
		case 'p':
			if (!strcmp(optarg, "icmp"))
				icmp = true;
			else if (strcmp(optarg, "udp"))
				usage();
			break;
		case 'x': sport = atoi(optarg); break;
		case 'y': dport = atoi(optarg); break;
		case 'P': payload = optarg; break;
		case 'H': hlim = atoi(optarg); break;
		case 'c': count = atoi(optarg); break;
		case 'i': interval_ms = atoi(optarg); break;
		default: usage();
		}
	}
	if (!ifname || !have_dmac || !have_src || !have_dst || have_osrc != have_odst)
		usage();

	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_IPV6));

	if (fd < 0) {
		perror("pkt_inject: socket(AF_PACKET)");
		return 1;
	}
	unsigned int ifindex = if_nametoindex(ifname);

	if (!ifindex) {
		fprintf(stderr, "pkt_inject: no interface %s\n", ifname);
		return 1;
	}
	if (!have_smac) {
		struct ifreq ifr = { 0 };

		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
		if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
			perror("pkt_inject: SIOCGIFHWADDR");
			return 1;
		}
		memcpy(smac, ifr.ifr_hwaddr.sa_data, 6);
	}

	uint8_t pkt[2048] = { 0 };
	size_t plen = strlen(payload), off = 14, l4len;
	bool tunnel = have_osrc;

	if (plen > 1200)
		plen = 1200;
	memcpy(pkt, dmac, 6);
	memcpy(pkt + 6, smac, 6);
	pkt[12] = 0x86;
	pkt[13] = 0xdd;
	l4len = (icmp ? 8 : 8) + plen;
	if (tunnel) {
		ip6_hdr(pkt + off, (uint16_t)(40 + l4len), 41, 64, osrc, odst);
		off += 40;
	}
	ip6_hdr(pkt + off, (uint16_t)l4len, icmp ? 58 : 17, (uint8_t)hlim, src, dst);
	uint8_t *l4 = pkt + off + 40;

	if (icmp) {
		l4[0] = 128;	/* echo request */
		l4[1] = 0;
		l4[4] = 0x58;	/* identifier */
		l4[5] = 0x50;
		l4[7] = 1;	/* sequence */
	} else {
		l4[0] = (uint8_t)(sport >> 8);
		l4[1] = (uint8_t)sport;
		l4[2] = (uint8_t)(dport >> 8);
		l4[3] = (uint8_t)dport;
		l4[4] = (uint8_t)(l4len >> 8);
		l4[5] = (uint8_t)l4len;
	}
	memcpy(l4 + 8, payload, plen);
	uint16_t cs = l4_csum(src, dst, icmp ? 58 : 17, l4, l4len);

	l4[icmp ? 2 : 6] = (uint8_t)(cs >> 8);
	l4[icmp ? 3 : 7] = (uint8_t)cs;
	size_t total = off + 40 + l4len;

	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IPV6),
		.sll_ifindex = (int)ifindex,
		.sll_halen = 6,
	};
	memcpy(sll.sll_addr, dmac, 6);

	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN], os[INET6_ADDRSTRLEN], od[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, src, s, sizeof(s));
	inet_ntop(AF_INET6, dst, d, sizeof(d));
	if (tunnel) {
		inet_ntop(AF_INET6, osrc, os, sizeof(os));
		inet_ntop(AF_INET6, odst, od, sizeof(od));
	}
	int failed = 0;

	for (int i = 0; i < count; i++) {
		if (sendto(fd, pkt, total, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
			perror("pkt_inject: sendto");
			failed++;
		} else if (tunnel) {
			printf("sent on %s: [%s -> %s] %s %s -> %s, %zu octets\n", ifname, os, od,
			       icmp ? "icmpv6" : "udp", s, d, total);
		} else {
			printf("sent on %s: %s %s -> %s, %zu octets\n", ifname,
			       icmp ? "icmpv6" : "udp", s, d, total);
		}
		if (i + 1 < count)
			usleep((useconds_t)interval_ms * 1000);
	}
	close(fd);
	return failed ? 1 : 0;
}
