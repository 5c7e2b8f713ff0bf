/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ndisc.h - the MAG's side of IPv6 Neighbor Discovery (RFC 4861): parse a
 * Router Solicitation, build a Router Advertisement, pace unsolicited RAs.
 *
 * The builders and parsers are pure functions over byte buffers (no socket,
 * no clock) so the unit tests check them octet by octet; the socket helpers
 * at the end are the only part that touches the kernel.
 *
 * Messages here start at the ICMPv6 header: a raw ICMPv6 socket neither
 * hands us nor wants the IPv6 header, and the kernel computes and verifies
 * the ICMPv6 checksum on such sockets (RFC 3542 section 3.1).
 *
 * How the MN's MAC is learned (RFC 5213 6.9.1.1 identifies the MN by it):
 * from the RS's Source Link-Layer Address option. RFC 4861 6.3.7 says a host
 * SHOULD include it whenever the RS source is not the unspecified address,
 * and Linux, Windows, macOS and Android always do; an RS from :: is sent
 * before the MN has a link-local address and is followed by one with the
 * option once DAD ends. An RS without the option is therefore reported to
 * the caller (nd_rs.has_sllao = false) and the MAG asks the kernel's
 * neighbour cache for the source (it has an entry when the MN has already
 * talked to us, e.g. answered our NS); when that fails the RS is ignored
 * and counted, never guessed from the interface identifier. This keeps one
 * receive path (the filtered ICMPv6 socket, which also gives us the hop
 * limit and the arrival interface) instead of a second packet socket that
 * would see every IPv6 frame on the access links.
 */
#ifndef XPMIP_NDISC_H
#define XPMIP_NDISC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "xpmip_wire.h"

/* ---- message layouts (RFC 4861 section 4) ---- */
#define ND_RS_HDR_LEN		8	/* type, code, csum, reserved (32) */
#define ND_RA_HDR_LEN		16	/* + hop limit, flags, lifetime, reachable, retrans */
#define ND_OPT_UNIT		8	/* option Length counts 8-octet units */
#define ND_OPT_HDR_LEN		2	/* Type, Length */
#define ND_OPT_LLADDR_LEN	8	/* SLLAO for a 6-octet MAC: 1 unit */
#define ND_OPT_MTU_LEN		8
#define ND_OPT_PI_LEN		32
#define ND_ETH_ALEN		6
#define ND_HOP_LIMIT		255	/* every ND message is sent/received with 255 */
#define ND_RA_F_MANAGED		0x80	/* M: always 0 here (no DHCPv6 address) */
#define ND_RA_F_OTHER		0x40	/* O: always 0 here */
#define ND_RA_MAX_ROUTER_LIFETIME_S 9000	/* RFC 4861 6.2.1 */

/* ---- router constants (RFC 4861 section 10) ---- */
#define ND_MAX_INITIAL_RTR_ADVERT_INTERVAL_MS	16000
#define ND_MAX_INITIAL_RTR_ADVERTISEMENTS	3
#define ND_MIN_DELAY_BETWEEN_RAS_MS		3000
#define ND_MAX_RA_DELAY_TIME_MS			500
#define ND_DEFAULT_CUR_HOP_LIMIT		64	/* AdvCurHopLimit (IANA default TTL) */

/* One prefix the RA may carry */
#define ND_PFX_F_OFFLINK	0x01	/* RFC 7864 L flag from the LMA: never advertised */

struct nd_prefix {
	struct in6_addr prefix;
	uint8_t plen;
	uint8_t flags;			/* ND_PFX_F_* */
};

#define ND_RA_MAX_PREFIX	16

struct nd_ra_params {
	uint8_t cur_hop_limit;		/* 0: unspecified */
	uint16_t router_lifetime_s;	/* 0: not a default router */
	uint32_t reachable_ms;		/* 0: unspecified */
	uint32_t retrans_ms;		/* 0: unspecified */
	uint32_t mtu;			/* 0: no MTU option */
	bool has_src_mac;
	uint8_t src_mac[ND_ETH_ALEN];	/* Source Link-Layer Address option */
	uint32_t valid_s, preferred_s;	/* per-prefix lifetimes */
	uint8_t n_prefix;
	struct nd_prefix prefix[ND_RA_MAX_PREFIX];
};

/* Largest RA nd_build_ra() can produce */
#define ND_RA_MAX_LEN	(ND_RA_HDR_LEN + ND_OPT_LLADDR_LEN + ND_OPT_MTU_LEN + \
			 ND_RA_MAX_PREFIX * ND_OPT_PI_LEN)

/*
 * Build a Router Advertisement (ICMPv6 header first, checksum 0) into buf:
 * M and O flags 0, the Source Link-Layer Address option, the MTU option,
 * then one Prefix Information option (L and A set) per prefix that is not
 * ND_PFX_F_OFFLINK. Returns the length, or -EINVAL (bad parameters:
 * prefix length > 128, preferred > valid, lifetime > 9000 s) or -ENOSPC.
 */
int nd_build_ra(const struct nd_ra_params *p, uint8_t *buf, size_t cap);

/* A parsed Router Solicitation */
struct nd_rs {
	bool has_sllao;
	uint8_t mac[ND_ETH_ALEN];
};

/*
 * Validate and parse an RS (RFC 4861 6.1.1): buf starts at the ICMPv6
 * header, hop_limit is the received IPv6 hop limit (must be 255), src the
 * IPv6 source. Checks type and code, length, that every option has a
 * non-zero length and fits, and that an RS from :: has no SLLAO.
 * Returns 0, or -EBADMSG for an invalid message (to be silently dropped).
 */
int nd_parse_rs(const uint8_t *buf, size_t len, int hop_limit,
		const struct in6_addr *src, struct nd_rs *out);

/*
 * Interval until the next unsolicited RA (RFC 4861 6.2.4): uniformly
 * distributed in [min_ms, max_ms] using rnd (any 32-bit random value),
 * capped at MAX_INITIAL_RTR_ADVERT_INTERVAL for the first
 * MAX_INITIAL_RTR_ADVERTISEMENTS (n_sent counts RAs already sent).
 */
uint32_t nd_ra_interval_ms(uint32_t min_ms, uint32_t max_ms, uint32_t n_sent, uint32_t rnd);

/* ff02::1 and ff02::2 */
extern const struct in6_addr nd_all_nodes;
extern const struct in6_addr nd_all_routers;

/* ---- sockets ---- */
/* Raw ICMPv6 socket, non-blocking: ICMP6_FILTER passes RS only, hop limit
 * 255 for unicast and multicast, PKTINFO and HOPLIMIT delivered. fd or -errno */
int nd_sock_open(void);
/* Join ff02::2 on ifindex so RSs arrive even with forwarding off; 0/-errno */
int nd_sock_join_routers(int fd, int ifindex);
/* One message: length or -errno (-EAGAIN when empty) */
int nd_sock_recv(int fd, uint8_t *buf, size_t cap, struct in6_addr *src,
		 int *ifindex, int *hop_limit);
/* Send buf from src on ifindex to dst; 0 or -errno */
int nd_sock_send(int fd, int ifindex, const struct in6_addr *src,
		 const struct in6_addr *dst, const uint8_t *buf, size_t len);

/*
 * Link-up detection (detect_link_up): a Linux MN whose access link only
 * flapped (inter-MAG handover) sends no RS, only MLD reports (RFC 4861
 * leaves RS to interface (re)initialisation). The MAG then learns the MN's
 * MAC from the first IPv6 frame it receives on the link: a packet socket
 * bound to that link for ETH_P_IPV6, our own outgoing frames ignored.
 */
/* fd or -errno */
int nd_llwatch_open(int ifindex);
/* 0 and the source MAC of a frame sent by a unicast station other than
 * self_mac; -EAGAIN when nothing (more) is queued; -ENOENT for a frame
 * (or a link-down notice) to skip; other -errno on failure */
int nd_llwatch_recv(int fd, const uint8_t self_mac[ND_ETH_ALEN], uint8_t mac[ND_ETH_ALEN]);

#endif /* XPMIP_NDISC_H */
