// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_ndisc.c - Router Advertisement bytes and Router Solicitation parsing.
 *
 * The expected RAs are literal bytes laid out from RFC 4861 sections 4.2,
 * 4.6.1, 4.6.2 and 4.6.4, not produced by the builder.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "ndisc.h"

static struct in6_addr a6(const char *s)
{
	struct in6_addr a;

	cr_assert_eq(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

static void base_params(struct nd_ra_params *p)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x00, 0x53, 0x01 };

	memset(p, 0, sizeof(*p));
	p->cur_hop_limit = ND_DEFAULT_CUR_HOP_LIMIT;
	p->router_lifetime_s = 1800;
	p->mtu = 1440;
	p->has_src_mac = true;
	memcpy(p->src_mac, mac, sizeof(mac));
	p->valid_s = 86400;
	p->preferred_s = 14400;
}

static void expect_bytes(const uint8_t *got, int n, const uint8_t *want, size_t wlen)
{
	cr_assert_eq(n, (int)wlen, "length %d, want %zu", n, wlen);
	for (size_t i = 0; i < wlen; i++)
		cr_assert_eq(got[i], want[i], "octet %zu: 0x%02x want 0x%02x", i, got[i], want[i]);
}

#define RA_HDR_1800							\
	134, 0, 0, 0,		/* type RA, code, checksum (kernel) */	\
	64, 0x00, 0x07, 0x08,	/* hop limit 64, M=O=0, lifetime 1800 */ \
	0, 0, 0, 0,		/* reachable time: unspecified */	\
	0, 0, 0, 0		/* retrans timer: unspecified */
#define SLLAO	1, 1, 0x02, 0x00, 0x5e, 0x00, 0x53, 0x01
#define MTU1440	5, 1, 0, 0, 0x00, 0x00, 0x05, 0xa0
#define PIO_HDR_64							\
	3, 4, 64, 0xc0,		/* PI, 4 units, /64, L and A */		\
	0x00, 0x01, 0x51, 0x80,	/* valid 86400 */			\
	0x00, 0x00, 0x38, 0x40,	/* preferred 14400 */			\
	0, 0, 0, 0		/* reserved2 */

Test(ndisc, ra_one_hnp)
{
	struct nd_ra_params p;
	uint8_t buf[ND_RA_MAX_LEN];
	static const uint8_t want[] = {
		RA_HDR_1800, SLLAO, MTU1440, PIO_HDR_64,
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	int n;

	base_params(&p);
	p.n_prefix = 1;
	p.prefix[0].prefix = a6("2001:db8:1:1::");
	p.prefix[0].plen = 64;
	memset(buf, 0xee, sizeof(buf));
	n = nd_build_ra(&p, buf, sizeof(buf));
	expect_bytes(buf, n, want, sizeof(want));
	cr_assert_eq(buf[n], 0xee, "builder wrote past the end");
}

Test(ndisc, ra_two_hnps_and_offlink_skipped)
{
	struct nd_ra_params p;
	uint8_t buf[ND_RA_MAX_LEN];
	static const uint8_t want[] = {
		RA_HDR_1800, SLLAO, MTU1440,
		PIO_HDR_64,
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0,
		3, 4, 56, 0xc0, 0x00, 0x01, 0x51, 0x80, 0x00, 0x00, 0x38, 0x40, 0, 0, 0, 0,
		/* host bits after /56 are sent as zero (4.6.2) */
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x02, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	int n;

	base_params(&p);
	p.n_prefix = 3;
	p.prefix[0].prefix = a6("2001:db8:1:1::");
	p.prefix[0].plen = 64;
	p.prefix[1].prefix = a6("2001:db8:9::");
	p.prefix[1].plen = 64;
	p.prefix[1].flags = ND_PFX_F_OFFLINK;	/* RFC 7864: never advertised */
	p.prefix[2].prefix = a6("2001:db8:2:2ff::1");
	p.prefix[2].plen = 56;
	n = nd_build_ra(&p, buf, sizeof(buf));
	expect_bytes(buf, n, want, sizeof(want));
}

Test(ndisc, ra_without_options_and_limits)
{
	struct nd_ra_params p;
	uint8_t buf[ND_RA_MAX_LEN];
	int n;

	memset(&p, 0, sizeof(p));
	p.router_lifetime_s = 0;	/* a final RA: not a default router */
	n = nd_build_ra(&p, buf, sizeof(buf));
	cr_assert_eq(n, ND_RA_HDR_LEN);
	cr_assert_eq(buf[0], XP_ICMP6_ROUTER_ADV);
	cr_assert_eq(buf[6], 0);
	cr_assert_eq(buf[7], 0);

	base_params(&p);
	p.n_prefix = 1;
	p.prefix[0].plen = 64;
	cr_assert_eq(nd_build_ra(&p, buf, ND_RA_HDR_LEN + 8), -ENOSPC);
	p.prefix[0].plen = 129;
	cr_assert_eq(nd_build_ra(&p, buf, sizeof(buf)), -EINVAL);
	p.prefix[0].plen = 64;
	p.preferred_s = p.valid_s + 1;
	cr_assert_eq(nd_build_ra(&p, buf, sizeof(buf)), -EINVAL);
	base_params(&p);
	p.router_lifetime_s = ND_RA_MAX_ROUTER_LIFETIME_S + 1;
	cr_assert_eq(nd_build_ra(&p, buf, sizeof(buf)), -EINVAL);
	base_params(&p);
	p.n_prefix = ND_RA_MAX_PREFIX + 1;
	cr_assert_eq(nd_build_ra(&p, buf, sizeof(buf)), -EINVAL);
	base_params(&p);
	p.n_prefix = ND_RA_MAX_PREFIX;
	for (int i = 0; i < ND_RA_MAX_PREFIX; i++)
		p.prefix[i].plen = 64;
	cr_assert_eq(nd_build_ra(&p, buf, sizeof(buf)), ND_RA_MAX_LEN);
}

/* ---- RS ---- */

static const uint8_t rs_sllao[] = {
	133, 0, 0x12, 0x34, 0, 0, 0, 0,
	1, 1, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01,
};

Test(ndisc, rs_with_sllao)
{
	struct in6_addr src = a6("fe80::1:1");
	struct nd_rs rs;

	cr_assert_eq(nd_parse_rs(rs_sllao, sizeof(rs_sllao), 255, &src, &rs), 0);
	cr_assert(rs.has_sllao);
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0x01, 0x01 };
	cr_assert_arr_eq(rs.mac, mac, 6);
}

Test(ndisc, rs_without_options)
{
	static const uint8_t rs[] = { 133, 0, 0, 0, 0, 0, 0, 0 };
	struct in6_addr unspec = IN6ADDR_ANY_INIT;
	struct nd_rs out;

	cr_assert_eq(nd_parse_rs(rs, sizeof(rs), 255, &unspec, &out), 0);
	cr_assert_not(out.has_sllao);
}

Test(ndisc, rs_unknown_option_skipped_first_sllao_wins)
{
	static const uint8_t rs[] = {
		133, 0, 0, 0, 0, 0, 0, 0,
		14, 1, 1, 2, 3, 4, 5, 6,			/* nonce: skipped */
		1, 2, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,	/* not Ethernet */
		1, 1, 0x02, 0, 0, 0, 0x01, 0x02,
		1, 1, 0x02, 0, 0, 0, 0x01, 0x03,		/* second: ignored */
	};
	struct in6_addr src = a6("fe80::2");
	struct nd_rs out;

	cr_assert_eq(nd_parse_rs(rs, sizeof(rs), 255, &src, &out), 0);
	cr_assert(out.has_sllao);
	cr_assert_eq(out.mac[5], 0x02);
}

Test(ndisc, rs_hostile)
{
	struct in6_addr src = a6("fe80::1:1");
	struct in6_addr unspec = IN6ADDR_ANY_INIT;
	struct nd_rs out;
	uint8_t b[sizeof(rs_sllao)];

	/* every truncation of a valid RS is rejected or parsed without the option */
	for (size_t l = 0; l < sizeof(rs_sllao); l++) {
		int r = nd_parse_rs(rs_sllao, l, 255, &src, &out);

		if (l < ND_RS_HDR_LEN)
			cr_assert_eq(r, -EBADMSG, "len %zu", l);
		else if (l == ND_RS_HDR_LEN)
			cr_assert_eq(r, 0);
		else
			cr_assert_eq(r, -EBADMSG, "len %zu: option overruns", l);
	}
	cr_assert_eq(nd_parse_rs(rs_sllao, sizeof(rs_sllao), 254, &src, &out), -EBADMSG,
		     "hop limit must be 255");
	cr_assert_eq(nd_parse_rs(rs_sllao, sizeof(rs_sllao), -1, &src, &out), -EBADMSG);
	cr_assert_eq(nd_parse_rs(rs_sllao, sizeof(rs_sllao), 255, &unspec, &out), -EBADMSG,
		     "SLLAO from :: is invalid");
	memcpy(b, rs_sllao, sizeof(b));
	b[1] = 1;
	cr_assert_eq(nd_parse_rs(b, sizeof(b), 255, &src, &out), -EBADMSG, "code 1");
	memcpy(b, rs_sllao, sizeof(b));
	b[0] = 134;
	cr_assert_eq(nd_parse_rs(b, sizeof(b), 255, &src, &out), -EBADMSG, "type");
	memcpy(b, rs_sllao, sizeof(b));
	b[9] = 0;
	cr_assert_eq(nd_parse_rs(b, sizeof(b), 255, &src, &out), -EBADMSG, "zero length");
	b[9] = 2;
	cr_assert_eq(nd_parse_rs(b, sizeof(b), 255, &src, &out), -EBADMSG, "overrun");
	b[9] = 255;
	cr_assert_eq(nd_parse_rs(b, sizeof(b), 255, &src, &out), -EBADMSG, "overrun");
	cr_assert_eq(nd_parse_rs(NULL, 0, 255, &src, &out), -EBADMSG);
	/* one trailing octet: an option header cannot fit */
	uint8_t odd[ND_RS_HDR_LEN + 1] = { 133 };
	cr_assert_eq(nd_parse_rs(odd, sizeof(odd), 255, &src, &out), -EBADMSG);

	/* random bytes never crash and never report a MAC from garbage beyond len */
	uint32_t x = 12345;
	uint8_t rnd[64];
	for (int it = 0; it < 20000; it++) {
		size_t l;

		for (size_t i = 0; i < sizeof(rnd); i++) {
			x = x * 1103515245u + 12345u;
			rnd[i] = (uint8_t)(x >> 16);
		}
		rnd[0] = 133;
		rnd[1] = 0;
		l = rnd[2] % sizeof(rnd);
		(void)nd_parse_rs(rnd, l, 255, &src, &out);
	}
}

Test(ndisc, ra_interval)
{
	/* uniform in [min, max] */
	cr_assert_eq(nd_ra_interval_ms(3000, 10000, 5, 0), 3000);
	cr_assert_eq(nd_ra_interval_ms(3000, 10000, 5, 7000), 10000);
	cr_assert_eq(nd_ra_interval_ms(3000, 10000, 5, 7001), 3000);
	for (uint32_t r = 0; r < 100000; r += 7) {
		uint32_t v = nd_ra_interval_ms(3000, 10000, 10, r * 2654435761u);

		cr_assert(v >= 3000 && v <= 10000);
	}
	/* the first MAX_INITIAL_RTR_ADVERTISEMENTS are capped at 16 s */
	for (uint32_t n = 0; n < ND_MAX_INITIAL_RTR_ADVERTISEMENTS; n++)
		cr_assert_eq(nd_ra_interval_ms(200000, 600000, n, 12345), 16000);
	cr_assert_eq(nd_ra_interval_ms(200000, 600000, ND_MAX_INITIAL_RTR_ADVERTISEMENTS, 0),
		     200000);
	/* max < min is treated as min */
	cr_assert_eq(nd_ra_interval_ms(5000, 1000, 9, 99), 5000);
}

/* ---- sockets, in a private network namespace (root; else skipped) ---- */
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>
#include <net/if.h>

static void netns_veth(void)
{
	if (unshare(CLONE_NEWNET))
		cr_assert_fail("unshare(CLONE_NEWNET): %s (needs root)", strerror(errno));
	if (system("ip link add xa0 type veth peer name xb0 >/dev/null 2>&1 && "
		   "ip link set xa0 address 02:00:5e:00:53:01 && "
		   "ip link set xb0 address 02:00:00:00:01:01 && "
		   "sysctl -qw net.ipv6.conf.xb0.forwarding=0 >/dev/null 2>&1; "
		   "ip addr add fe80::1/64 dev xa0 nodad"))
		cr_assert_fail("iproute2 cannot build the veth pair here");
}

static bool wait_readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

Test(ndisc_sock, link_up_watch_names_the_peer)
{
	static const uint8_t self[6] = { 0x02, 0x00, 0x5e, 0x00, 0x53, 0x01 };
	static const uint8_t peer[6] = { 0x02, 0, 0, 0, 0x01, 0x01 };
	uint8_t mac[6];
	int fd, rc = -EAGAIN;

	netns_veth();
	fd = nd_llwatch_open((int)if_nametoindex("xa0"));
	cr_assert_geq(fd, 0, "%s", strerror(-fd));
	while ((rc = nd_llwatch_recv(fd, self, mac)) == -ENOENT)
		;	/* bound while down: ENETDOWN is reported once, as a skip */
	cr_assert_eq(rc, -EAGAIN, "nothing yet");
	/* the peer's stack speaks first (MLD reports, DAD, RS) on link-up */
	cr_assert_eq(system("ip link set xa0 up && ip link set xb0 up"), 0);
	for (int i = 0; i < 50 && rc; i++) {
		if (!wait_readable(fd, 100))
			continue;
		while ((rc = nd_llwatch_recv(fd, self, mac)) == -ENOENT)
			;
	}
	cr_assert_eq(rc, 0, "a frame from the peer within 5 s");
	cr_assert_arr_eq(mac, peer, 6);
	close(fd);
	cr_assert_lt(nd_llwatch_open(9999), 0);
}

Test(ndisc_sock, rs_arrives_and_ra_goes_out)
{
	static const uint8_t peer[6] = { 0x02, 0, 0, 0, 0x01, 0x01 };
	struct nd_ra_params p;
	uint8_t buf[ND_RA_MAX_LEN], rx[1500];
	struct in6_addr src, ll = a6("fe80::1");
	int fd, ifindex = 0, hl = 0, n = -EAGAIN, xa;
	struct nd_rs rs = { 0 };

	netns_veth();
	xa = (int)if_nametoindex("xa0");
	fd = nd_sock_open();
	cr_assert_geq(fd, 0);
	cr_assert_eq(nd_sock_join_routers(fd, xa), 0);
	cr_assert_eq(nd_sock_join_routers(fd, xa), 0, "twice is fine");
	/* the host end solicits routers as soon as its link-local is ready */
	cr_assert_eq(system("sysctl -qw net.ipv6.conf.xb0.router_solicitation_interval=1 "
			    ">/dev/null 2>&1; ip link set xa0 up && ip link set xb0 up"), 0);
	for (int i = 0; i < 100 && n < 0; i++) {
		if (!wait_readable(fd, 100))
			continue;
		n = nd_sock_recv(fd, rx, sizeof(rx), &src, &ifindex, &hl);
	}
	cr_assert_gt(n, 0, "an RS within 10 s");
	cr_assert_eq(ifindex, xa);
	cr_assert_eq(hl, 255);
	cr_assert_eq(nd_parse_rs(rx, (size_t)n, hl, &src, &rs), 0);
	cr_assert(rs.has_sllao, "Linux includes the SLLAO");
	cr_assert_arr_eq(rs.mac, peer, 6);
	cr_assert(IN6_IS_ADDR_LINKLOCAL(&src));

	base_params(&p);
	p.n_prefix = 1;
	p.prefix[0].prefix = a6("2001:db8:1:1::");
	p.prefix[0].plen = 64;
	n = nd_build_ra(&p, buf, sizeof(buf));
	cr_assert_gt(n, 0);
	cr_assert_eq(nd_sock_send(fd, xa, &ll, &src, buf, (size_t)n), 0, "solicited, unicast");
	cr_assert_eq(nd_sock_send(fd, xa, &ll, &nd_all_nodes, buf, (size_t)n), 0, "to all nodes");
	close(fd);
}
