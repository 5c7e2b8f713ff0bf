// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ndisc.c - Router Solicitation parsing, Router Advertisement building and
 * the raw ICMPv6 socket of the MAG. See ndisc.h for the choices.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "ndisc.h"

const struct in6_addr nd_all_nodes = { { { 0xff, 0x02, 0, 0, 0, 0, 0, 0,
					   0, 0, 0, 0, 0, 0, 0, 0x01 } } };
const struct in6_addr nd_all_routers = { { { 0xff, 0x02, 0, 0, 0, 0, 0, 0,
					     0, 0, 0, 0, 0, 0, 0, 0x02 } } };

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Copy the first plen bits of a prefix, zero the rest (RFC 4861 4.6.2:
 * bits after the prefix length are reserved and sent as zero) */
static void put_prefix(uint8_t *p, const struct in6_addr *a, uint8_t plen)
{
	unsigned int full = plen / 8, rem = plen % 8;

	memset(p, 0, XP_IPV6_ADDR_LEN);
	memcpy(p, a->s6_addr, full);
	if (rem)
		p[full] = (uint8_t)(a->s6_addr[full] & (0xff00u >> rem));
}

int nd_build_ra(const struct nd_ra_params *p, uint8_t *buf, size_t cap)
{
	size_t off = 0, need = ND_RA_HDR_LEN;

	if (!p || !buf || p->n_prefix > ND_RA_MAX_PREFIX ||
	    p->router_lifetime_s > ND_RA_MAX_ROUTER_LIFETIME_S ||
	    p->preferred_s > p->valid_s)
		return -EINVAL;
	for (unsigned int i = 0; i < p->n_prefix; i++) {
		if (p->prefix[i].plen > XP_IPV6_PREFIX_MAX)
			return -EINVAL;
		if (!(p->prefix[i].flags & ND_PFX_F_OFFLINK))
			need += ND_OPT_PI_LEN;
	}
	if (p->has_src_mac)
		need += ND_OPT_LLADDR_LEN;
	if (p->mtu)
		need += ND_OPT_MTU_LEN;
	if (need > cap)
		return -ENOSPC;

	memset(buf, 0, need);
	/* RFC 4861 4.2: Type, Code, Checksum (kernel), Cur Hop Limit, M|O|Reserved,
	 * Router Lifetime, Reachable Time, Retrans Timer */
	buf[0] = XP_ICMP6_ROUTER_ADV;
	buf[1] = 0;
	buf[4] = p->cur_hop_limit;
	buf[5] = 0;			/* M = O = 0: addresses by SLAAC only */
	put16(buf + 6, p->router_lifetime_s);
	put32(buf + 8, p->reachable_ms);
	put32(buf + 12, p->retrans_ms);
	off = ND_RA_HDR_LEN;

	if (p->has_src_mac) {		/* 4.6.1 */
		buf[off] = XP_ND_OPT_SRC_LLADDR;
		buf[off + 1] = ND_OPT_LLADDR_LEN / ND_OPT_UNIT;
		memcpy(buf + off + ND_OPT_HDR_LEN, p->src_mac, ND_ETH_ALEN);
		off += ND_OPT_LLADDR_LEN;
	}
	if (p->mtu) {			/* 4.6.4: Type, Length, Reserved (16), MTU */
		buf[off] = XP_ND_OPT_MTU;
		buf[off + 1] = ND_OPT_MTU_LEN / ND_OPT_UNIT;
		put32(buf + off + 4, p->mtu);
		off += ND_OPT_MTU_LEN;
	}
	for (unsigned int i = 0; i < p->n_prefix; i++) {
		const struct nd_prefix *pf = &p->prefix[i];

		if (pf->flags & ND_PFX_F_OFFLINK)
			continue;	/* RFC 7864: routed to the MN, not on-link */
		/* 4.6.2: Type, Length, Prefix Length, L|A|Reserved1, Valid,
		 * Preferred, Reserved2 (32), Prefix */
		buf[off] = XP_ND_OPT_PREFIX_INFO;
		buf[off + 1] = ND_OPT_PI_LEN / ND_OPT_UNIT;
		buf[off + 2] = pf->plen;
		buf[off + 3] = XP_ND_PI_FLAG_ONLINK | XP_ND_PI_FLAG_AUTO;
		put32(buf + off + 4, p->valid_s);
		put32(buf + off + 8, p->preferred_s);
		put_prefix(buf + off + 16, &pf->prefix, pf->plen);
		off += ND_OPT_PI_LEN;
	}
	return (int)off;
}

int nd_parse_rs(const uint8_t *buf, size_t len, int hop_limit,
		const struct in6_addr *src, struct nd_rs *out)
{
	size_t off;
	bool from_unspec;

	if (!buf || !out)
		return -EBADMSG;
	memset(out, 0, sizeof(*out));
	if (len < ND_RS_HDR_LEN || hop_limit != ND_HOP_LIMIT)
		return -EBADMSG;
	if (buf[0] != XP_ICMP6_ROUTER_SOL || buf[1] != 0)
		return -EBADMSG;
	from_unspec = !src || IN6_IS_ADDR_UNSPECIFIED(src);

	for (off = ND_RS_HDR_LEN; off < len;) {
		size_t olen;

		if (len - off < ND_OPT_HDR_LEN)
			return -EBADMSG;
		olen = (size_t)buf[off + 1] * ND_OPT_UNIT;
		if (olen == 0 || olen > len - off)
			return -EBADMSG;	/* 6.1.1: zero-length option */
		if (buf[off] == XP_ND_OPT_SRC_LLADDR) {
			if (from_unspec)
				return -EBADMSG; /* 6.1.1: no SLLAO from :: */
			/* Ethernet SLLAO is one unit: 2 + 6 octets; a longer
			 * option is another link type, not ours */
			if (olen == ND_OPT_LLADDR_LEN && !out->has_sllao) {
				memcpy(out->mac, buf + off + ND_OPT_HDR_LEN, ND_ETH_ALEN);
				out->has_sllao = true;
			}
		}
		off += olen;
	}
	return 0;
}

uint32_t nd_ra_interval_ms(uint32_t min_ms, uint32_t max_ms, uint32_t n_sent, uint32_t rnd)
{
	uint64_t span, v;

	if (max_ms < min_ms)
		max_ms = min_ms;
	span = (uint64_t)max_ms - min_ms + 1;
	v = min_ms + (uint64_t)rnd % span;
	if (n_sent < ND_MAX_INITIAL_RTR_ADVERTISEMENTS &&
	    v > ND_MAX_INITIAL_RTR_ADVERT_INTERVAL_MS)
		v = ND_MAX_INITIAL_RTR_ADVERT_INTERVAL_MS;
	return (uint32_t)v;
}

/* ---- sockets ---- */

int nd_sock_open(void)
{
	struct icmp6_filter flt;
	int fd, hops = ND_HOP_LIMIT, on = 1, off = 0;

	fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (fd < 0)
		return -errno;
	ICMP6_FILTER_SETBLOCKALL(&flt);
	ICMP6_FILTER_SETPASS(XP_ICMP6_ROUTER_SOL, &flt);
	if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &flt, sizeof(flt)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &off, sizeof(off)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int nd_sock_join_routers(int fd, int ifindex)
{
	struct ipv6_mreq mr = { .ipv6mr_multiaddr = nd_all_routers,
				.ipv6mr_interface = (unsigned int)ifindex };

	if (setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &mr, sizeof(mr))) {
		if (errno == EADDRINUSE)	/* already joined */
			return 0;
		return -errno;
	}
	return 0;
}

int nd_sock_recv(int fd, uint8_t *buf, size_t cap, struct in6_addr *src,
		 int *ifindex, int *hop_limit)
{
	struct sockaddr_in6 from;
	union {
		struct cmsghdr align;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int))];
	} cbuf;
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr mh = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf.b, .msg_controllen = sizeof(cbuf.b),
	};
	ssize_t n;

	*ifindex = 0;
	*hop_limit = -1;
	n = recvmsg(fd, &mh, 0);
	if (n < 0)
		return -errno;
	if (mh.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	*src = from.sin6_addr;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			*ifindex = (int)pi.ipi6_ifindex;
		} else if (c->cmsg_type == IPV6_HOPLIMIT &&
			   c->cmsg_len >= CMSG_LEN(sizeof(int))) {
			memcpy(hop_limit, CMSG_DATA(c), sizeof(int));
		}
	}
	return (int)n;
}

int nd_sock_send(int fd, int ifindex, const struct in6_addr *src,
		 const struct in6_addr *dst, const uint8_t *buf, size_t len)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_addr = *dst };
	union {
		struct cmsghdr align;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cbuf;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = {
		.msg_name = &to, .msg_namelen = sizeof(to),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf.b, .msg_controllen = sizeof(cbuf.b),
	};
	struct in6_pktinfo pi = { .ipi6_ifindex = (unsigned int)ifindex };
	struct cmsghdr *c;
	ssize_t n;

	if (IN6_IS_ADDR_LINKLOCAL(dst) || IN6_IS_ADDR_MULTICAST(dst))
		to.sin6_scope_id = (uint32_t)ifindex;
	if (src)
		pi.ipi6_addr = *src;
	memset(cbuf.b, 0, sizeof(cbuf.b));
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	n = sendmsg(fd, &mh, 0);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

/* ---- link-up detection ---- */

#define ND_MAC_GROUP_BIT	0x01	/* I/G bit of the first octet */

int nd_llwatch_open(int ifindex)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IPV6),
		.sll_ifindex = ifindex,
	};
	int fd, one = 1;

	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_IPV6));
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		int err = -errno;

		close(fd);
		return err;
	}
	/* not fatal: outgoing frames are also skipped by their packet type */
	(void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	return fd;
}

int nd_llwatch_recv(int fd, const uint8_t self_mac[ND_ETH_ALEN], uint8_t mac[ND_ETH_ALEN])
{
	struct sockaddr_ll sll;
	socklen_t sl = sizeof(sll);
	uint8_t b[1];
	ssize_t n;

	memset(&sll, 0, sizeof(sll));
	n = recvfrom(fd, b, sizeof(b), MSG_TRUNC, (struct sockaddr *)&sll, &sl);
	if (n < 0) {
		/* the link was down when we bound or went down since: the
		 * error is reported once; keep listening */
		if (errno == ENETDOWN)
			return -ENOENT;
		return -errno;
	}
	if (sll.sll_pkttype == PACKET_OUTGOING || sll.sll_halen != ND_ETH_ALEN)
		return -ENOENT;
	if (sll.sll_addr[0] & ND_MAC_GROUP_BIT)
		return -ENOENT;
	if (self_mac && !memcmp(sll.sll_addr, self_mac, ND_ETH_ALEN))
		return -ENOENT;
	memcpy(mac, sll.sll_addr, ND_ETH_ALEN);
	return 0;
}
