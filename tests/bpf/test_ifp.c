// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_ifp.c - 000_2df5b7e7ec4cafcb.txt (interface priority, primary HoA)
 * in the LMA's XDP program through BPF_PROG_TEST_RUN:
 *  - downlink to the primary HoA over a non-primary binding: Destination
 *    rewritten to that interface's HoA, Type 2 routing header carrying the
 *    primary HoA, then the tunnel (section 4.1);
 *  - uplink with the Primary HoA destination option: Source back to the
 *    primary HoA, option removed (section 4.2);
 * for TCP, UDP and ICMPv6, byte-exact against frames built here with
 * user/ipv6_ext.c, and with every upper-layer checksum computed here
 * (RFC 8200 8.1 pseudo-header: final destination when a routing header is
 * present) and checked before and after.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xpmip_maps.h"
#include "xpmip_wire.h"
#include "ipv6_ext.h"
#include "lma.skel.h"
#include "pkt.h"
#include "bpftest.h"
#include "ifp_pkt.h"

#define LMA	"2001:db8:1::1"
#define MAG1	"2001:db8:1::2"		/* neighbour 02:..:02 */
#define MAG3	"2001:db8:1::3"		/* neighbour 02:..:03 */
#define CN	"2001:db8:99::5"	/* via MAG3's neighbour */
#define PHOA	"2001:db8:b1::10"	/* MN 8, IF1 (primary) via MAG1 */
#define HOA2	"2001:db8:b2::20"	/* MN 8, IF2 via MAG3 */
#define OTHER	"2001:db8:b1::99"	/* another address of MN 8's prefix 1 */
#define MN8	8
#define OUTER_HOPS 61

static struct xp_lma *skel;
static struct bt_env env;
static int prog, cnt, mnfd, bindfd;
static struct bt_result res;

static void put_bind(uint16_t bid, const char *peer, const char *hoa, uint8_t flags, uint8_t ifp)
{
	struct xp_bind_key k = { .mn_id = MN8, .bid = bid };
	struct xp_bind_val v = { .flags = flags, .ifp = ifp, .mtu = 1400 };

	pkt_addr(peer, v.peer.a8);
	pkt_addr(LMA, v.local.a8);
	pkt_addr(hoa, v.hoa.a8);
	cr_assert_eq(bpf_map_update_elem(bindfd, &k, &v, BPF_ANY), 0);
}

static void put_mn(uint8_t n_dl, uint16_t bid0, uint16_t bid1)
{
	struct xp_mn_val v = { .n_dl = n_dl, .dl_bid = { bid0, bid1 } };
	uint32_t k = MN8;

	pkt_addr(PHOA, v.primary_hoa.a8);
	cr_assert_eq(bpf_map_update_elem(mnfd, &k, &v, BPF_ANY), 0);
}

static void setup(void)
{
	int cfg, pfx, peer, ul;

	cr_assert_eq(bt_netns(&env), 0, "network namespace");
	skel = BT_OPEN_AND_LOAD(xp_lma);
	cr_assert_not_null(skel, "load lma.bpf.o");
	prog = bpf_program__fd(skel->progs.xp_lma_rx);
	cnt = bpf_map__fd(skel->maps.xp_cnt_v1);
	cfg = bpf_map__fd(skel->maps.xp_cfg_v1);
	pfx = bpf_map__fd(skel->maps.xp_pfx_v1);
	bindfd = bpf_map__fd(skel->maps.xp_bind_v1);
	mnfd = bpf_map__fd(skel->maps.xp_mn_v1);
	peer = bpf_map__fd(skel->maps.xp_peer_v1);
	ul = bpf_map__fd(skel->maps.xp_ul_v1);

	cr_assert_eq(bt_set_cfg(cfg, LMA, 1500, OUTER_HOPS, XP_CFG_F_ENABLED), 0);
	{
		struct xp_cfg c;
		uint32_t zero = 0;

		cr_assert_eq(bpf_map_lookup_elem(cfg, &zero, &c), 0);
		c.primary_hoa_opt = XP_DSTOPT_PRIMARY_HOA_DEFAULT;
		cr_assert_eq(bpf_map_update_elem(cfg, &zero, &c, BPF_ANY), 0);
	}
	/* MN 8: unique prefix per interface (000 5.1) */
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:b1::", 64, MN8, 1, 0), 0);
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:b2::", 64, MN8, 2, 0), 0);
	put_bind(1, MAG1, PHOA, XP_BF_ACTIVE | XP_BF_PRIMARY, 1);
	put_bind(2, MAG3, HOA2, XP_BF_ACTIVE, 2);
	put_mn(1, 2, 0);	/* IF2 has the highest IFP */
	cr_assert_eq(bt_add_peer(peer, MAG1), 0);
	cr_assert_eq(bt_add_peer(peer, MAG3), 0);
	cr_assert_eq(bt_add_ul(ul, MAG1, MN8, 1), 0);
	cr_assert_eq(bt_add_ul(ul, MAG3, MN8, 2), 0);
}

static void teardown(void)
{
	xp_lma__destroy(skel);
}

TestSuite(ifp_lma, .init = setup, .fini = teardown);

static void expect(const struct pkt *p, uint32_t action, int reason)
{
	const char *d;

	cr_assert_eq(bt_run(prog, cnt, p->b, p->len, env.if_a, &res), 0);
	d = bt_verdict_diff(&res, action, reason);
	cr_assert(!*d, "%s", d);
}

static void expect_out(const struct pkt *want)
{
	const char *d = bt_output_diff(&res, want->b, want->len);

	cr_assert(!*d, "%s", d);
}

/* The output is in, unchanged but for its hop limit, tunnelled to peer
 * (neighbour MAC mac): no routing header, no rewrite */
static void expect_plain_tunnel(const struct pkt *in, const char *mac, const char *peer)
{
	struct pkt want;

	pkt_init(&want);
	pkt_eth(&want, mac, BT_MAC_A, 0x86dd);
	pkt_ip6(&want, LMA, peer, XP_IPPROTO_IPV6, OUTER_HOPS, 0, 0x777);
	pkt_bytes(&want, in->b + 14, in->len - 14);
	pkt_finish(&want);
	want.b[54 + 7] = 63;	/* the inner hop limit, one less */
	expect_out(&want);
}

/* the primary path */
static void expect_plain_tunnel_to_mag1(const struct pkt *in)
{
	expect_plain_tunnel(in, BT_MAC_GW2, MAG1);
}

static const uint8_t l4s[] = { XP_IPPROTO_TCP, XP_IPPROTO_UDP, XP_IPPROTO_ICMPV6 };

/* CN -> dst as the LMA receives it, checksum right */
static void cn_pkt(struct pkt *p, const char *dst, uint8_t proto)
{
	pkt_init(p);
	pkt_eth(p, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(p, CN, dst, proto, 64, 0, 0x777);
	ifp_l4(p, proto, 111);
	pkt_finish(p);
	ifp_fill_csum(p, 14, NULL);
}

Test(ifp_lma, downlink_rh2_to_non_primary_all_protocols)
{
	for (size_t i = 0; i < sizeof(l4s); i++) {
		struct pkt in, want;
		uint8_t rh[XP_RH2_LEN];
		struct in6_addr ph;
		size_t l4off;

		cn_pkt(&in, PHOA, l4s[i]);
		cr_assert_eq(ifp_csum_ok(in.b + 14, in.len - 14), 1, "input checksum");
		expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD_RH2);

		/* what it must be: outer to MAG3, inner CN -> HoA2 + RH2(primary HoA) */
		inet_pton(AF_INET6, PHOA, &ph);
		cr_assert_eq(xp_rh2_build(rh, sizeof(rh), l4s[i], &ph), XP_RH2_LEN);
		pkt_init(&want);
		pkt_eth(&want, BT_MAC_GW3, BT_MAC_A, 0x86dd);
		pkt_ip6(&want, LMA, MAG3, XP_IPPROTO_IPV6, OUTER_HOPS, 0, 0x777);
		pkt_ip6(&want, CN, HOA2, XP_IPPROTO_ROUTING, 63, 0, 0x777);
		pkt_bytes(&want, rh, sizeof(rh));
		l4off = want.len;
		pkt_bytes(&want, in.b + 54, in.len - 54);	/* upper layer untouched */
		pkt_finish(&want);
		expect_out(&want);
		cr_assert_eq(res.out_len - l4off, in.len - 54);
		/* the checksum verifies with the final destination (the RH2's) */
		cr_assert_eq(ifp_csum_ok(res.out + 54, res.out_len - 54), 1,
			     "proto %u: checksum over the final destination", l4s[i]);
	}
}

Test(ifp_lma, downlink_primary_interface_plain_tunnel)
{
	struct pkt in;

	put_mn(1, 1, 0);	/* IF1 (primary) has the highest IFP */
	cn_pkt(&in, PHOA, XP_IPPROTO_UDP);
	expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_plain_tunnel_to_mag1(&in);
}

Test(ifp_lma, downlink_other_address_follows_prefix_owner)
{
	struct pkt in;

	/* not the primary HoA: the prefix's owner binding (IF1), no RH2 */
	cn_pkt(&in, OTHER, XP_IPPROTO_UDP);
	expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD);
	cr_assert_eq(res.out_len, in.len + 40);
	cr_assert_eq(res.out[0 + 5], 0x02, "to MAG1's MAC");
	/* HoA2 itself: its prefix's owner, IF2, no RH2 either */
	cn_pkt(&in, HOA2, XP_IPPROTO_UDP);
	expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD);
	cr_assert_eq(res.out_len, in.len + 40);
}

Test(ifp_lma, downlink_shared_address_no_rh2)
{
	struct pkt in;

	/* 000 5.3: the interface's HoA is the primary HoA: tunnel only */
	put_bind(2, MAG3, PHOA, XP_BF_ACTIVE, 2);
	cn_pkt(&in, PHOA, XP_IPPROTO_TCP);
	expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD);
	cr_assert_eq(res.out_len, in.len + 40);
	cr_assert_eq(res.out[5], 0x03, "to MAG3's MAC");
}

Test(ifp_lma, downlink_rh2_refuses_hop_by_hop)
{
	struct pkt in;

	pkt_init(&in);
	pkt_eth(&in, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(&in, CN, PHOA, XP_IPPROTO_HOPOPTS, 64, 0, 0);
	pkt_ext(&in, XP_IPPROTO_UDP, 0);
	pkt_udp(&in, 1, 2, 8);
	pkt_finish(&in);
	expect(&in, XDP_DROP, XP_R_DROP_RH2_HBH);
}

Test(ifp_lma, downlink_rh2_packet_too_big_counts_the_header)
{
	struct pkt in;

	/* 1500 - 40 (tunnel) - 24 (RH2) = 1436 fits, 1437 does not */
	pkt_init(&in);
	pkt_eth(&in, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(&in, CN, PHOA, XP_IPPROTO_UDP, 64, 0, 0);
	pkt_udp(&in, 1, 2, 1436 - 48);
	pkt_finish(&in);
	expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD_RH2);
	pkt_init(&in);
	pkt_eth(&in, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(&in, CN, PHOA, XP_IPPROTO_UDP, 64, 0, 0);
	pkt_udp(&in, 1, 2, 1437 - 48);
	pkt_finish(&in);
	expect(&in, XDP_TX, XP_R_PTB_SENT);
	/* the MTU in the PTB leaves room for the tunnel and the RH2 */
	cr_assert_eq((res.out[54 + 4] << 24 | res.out[54 + 5] << 16 | res.out[54 + 6] << 8 |
		      res.out[54 + 7]), 1436);
}

Test(ifp_lma, downlink_equal_ifp_goes_to_tc)
{
	struct pkt in;

	put_mn(2, 1, 2);
	cn_pkt(&in, PHOA, XP_IPPROTO_UDP);
	expect(&in, XDP_PASS, XP_R_PASS_DL_DUP);
	for (size_t i = 0; i < in.len; i++)
		cr_assert_eq(res.out[i], in.b[i], "passed unchanged");
}

/* MAG3 -> LMA tunnel: inner HoA2 -> CN with the Primary HoA option and a
 * checksum over HoA2 (what the MN's helper sends) */
static void ul_hoa(struct pkt *p, uint8_t proto, const char *opt_hoa, uint8_t opt_type)
{
	uint8_t d[XP_DSTOPT_HOA_HDR_LEN];
	struct in6_addr h;

	inet_pton(AF_INET6, opt_hoa, &h);
	cr_assert_eq(xp_dstopt_hoa_build(d, sizeof(d), proto, opt_type, &h),
		     XP_DSTOPT_HOA_HDR_LEN);
	pkt_init(p);
	pkt_eth(p, BT_MAC_A, BT_MAC_GW3, 0x86dd);
	pkt_ip6(p, MAG3, LMA, XP_IPPROTO_IPV6, 64, 0, 0);
	pkt_ip6(p, HOA2, CN, XP_IPPROTO_DSTOPTS, 64, 0, 0x99);
	pkt_bytes(p, d, sizeof(d));
	ifp_l4(p, proto, 77);
	pkt_finish(p);
	ifp_fill_csum(p, 54, NULL);
}

Test(ifp_lma, uplink_primary_hoa_option_all_protocols)
{
	for (size_t i = 0; i < sizeof(l4s); i++) {
		struct pkt in, want;

		ul_hoa(&in, l4s[i], PHOA, XP_DSTOPT_PRIMARY_HOA_DEFAULT);
		cr_assert_eq(ifp_csum_ok(in.b + 54, in.len - 54), 1, "input checksum (HoA2)");
		expect(&in, XDP_REDIRECT, XP_R_UL_FORWARD_HOA);

		/* built from scratch: PHOA -> CN, checksum computed here */
		pkt_init(&want);
		pkt_eth(&want, BT_MAC_GW3, BT_MAC_A, 0x86dd);
		pkt_ip6(&want, PHOA, CN, l4s[i], 63, 0, 0x99);
		ifp_l4(&want, l4s[i], 77);
		pkt_finish(&want);
		ifp_fill_csum(&want, 14, NULL);
		expect_out(&want);
		cr_assert_eq(ifp_csum_ok(res.out + 14, res.out_len - 14), 1);
	}
}

Test(ifp_lma, uplink_udp_without_checksum_stays_without)
{
	struct pkt in;
	uint8_t *c;
	size_t l4;

	ul_hoa(&in, XP_IPPROTO_UDP, PHOA, XP_DSTOPT_PRIMARY_HOA_DEFAULT);
	l4 = 54 + 40 + XP_DSTOPT_HOA_HDR_LEN;
	c = in.b + l4 + 6;
	/* a zero checksum means "none": left as it is */
	c[0] = c[1] = 0;
	expect(&in, XDP_REDIRECT, XP_R_UL_FORWARD_HOA);
	cr_assert_eq(res.out[54 + 6] | res.out[54 + 7], 0, "no checksum stays none");
}

Test(ifp_lma, uplink_option_with_other_options_becomes_padn)
{
	struct pkt in;
	uint8_t d[32] = { XP_IPPROTO_UDP, 3, XP_DSTOPT_PADN, 2, 0, 0,
			  XP_DSTOPT_PRIMARY_HOA_DEFAULT, 16 };

	/* option 0x1e then an unknown skippable option 0x1f (len 6) */
	pkt_addr(PHOA, d + 8);
	d[24] = 0x1f;
	d[25] = 6;
	pkt_init(&in);
	pkt_eth(&in, BT_MAC_A, BT_MAC_GW3, 0x86dd);
	pkt_ip6(&in, MAG3, LMA, XP_IPPROTO_IPV6, 64, 0, 0);
	pkt_ip6(&in, HOA2, CN, XP_IPPROTO_DSTOPTS, 64, 0, 0);
	pkt_bytes(&in, d, sizeof(d));
	pkt_udp(&in, 5, 6, 30);
	pkt_finish(&in);
	ifp_fill_csum(&in, 54, NULL);
	expect(&in, XDP_REDIRECT, XP_R_UL_FORWARD_HOA);
	cr_assert_eq(res.out_len, in.len - 40, "only the tunnel header went");
	cr_assert_eq(res.out[54 + 6], XP_DSTOPT_PADN, "option is now PadN");
	cr_assert_eq(res.out[54 + 7], 16);
	for (int i = 0; i < 16; i++)
		cr_assert_eq(res.out[54 + 8 + i], 0);
	cr_assert_eq(res.out[54 + 24], 0x1f, "the other option stays");
	cr_assert_eq(ifp_csum_ok(res.out + 14, res.out_len - 14), 1);
	{
		uint8_t want[16];

		pkt_addr(PHOA, want);
		cr_assert_eq(memcmp(res.out + 14 + 8, want, 16), 0, "source = primary HoA");
	}
}

Test(ifp_lma, uplink_wrong_primary_hoa_drops)
{
	struct pkt in;

	/* an address of the MN that is not its primary HoA */
	ul_hoa(&in, XP_IPPROTO_UDP, OTHER, XP_DSTOPT_PRIMARY_HOA_DEFAULT);
	expect(&in, XDP_DROP, XP_R_DROP_BAD_PRIMARY_HOA);
	/* another MN's address */
	ul_hoa(&in, XP_IPPROTO_UDP, CN, XP_DSTOPT_PRIMARY_HOA_DEFAULT);
	expect(&in, XDP_DROP, XP_R_DROP_BAD_PRIMARY_HOA);
}

Test(ifp_lma, uplink_bad_option_length_drops)
{
	struct pkt in;

	ul_hoa(&in, XP_IPPROTO_UDP, PHOA, XP_DSTOPT_PRIMARY_HOA_DEFAULT);
	in.b[54 + 40 + 7] = 14;		/* Length 14 with 2 octets of padding left */
	in.b[54 + 40 + 22] = XP_DSTOPT_PADN;
	in.b[54 + 40 + 23] = 0;
	expect(&in, XDP_DROP, XP_R_DROP_MALFORMED);
}

Test(ifp_lma, uplink_other_dstopt_untouched)
{
	struct pkt in;

	/* another option type: forwarded as the MN sent it */
	ul_hoa(&in, XP_IPPROTO_UDP, PHOA, 0x1d);
	expect(&in, XDP_REDIRECT, XP_R_UL_FORWARD);
	cr_assert_eq(res.out_len, in.len - 40);
	cr_assert_eq(memcmp(res.out + 14 + 8, in.b + 54 + 8, 16), 0, "source unchanged");
}

/* ---- equal IFPs: xp_lma_dup (TC ingress) ---- */

#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <net/if.h>
#include <sys/socket.h>
#include <poll.h>
#include <unistd.h>

static int run_tc(int pfd, const struct pkt *p, int ifindex, struct bt_result *r)
{
	return bt_run_tc(pfd, cnt, p->b, p->len, ifindex, r);
}

/* A packet socket on xpb, the peer of xpa where the clone is sent */
static int sniff_open(void)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IPV6),
				   .sll_ifindex = (int)if_nametoindex("xpb") };
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_IPV6));

	cr_assert_geq(s, 0);
	cr_assert_eq(bind(s, (struct sockaddr *)&sll, sizeof(sll)), 0);
	return s;
}

/* next frame to MAG1's MAC on the sniffer (skips the stack's own traffic) */
static ssize_t sniff_mag1(int s, uint8_t *buf, size_t cap)
{
	struct pollfd pf = { .fd = s, .events = POLLIN };

	while (poll(&pf, 1, 1000) == 1) {
		ssize_t n = recv(s, buf, cap, 0);
		uint8_t mac[6];

		pkt_mac(BT_MAC_GW2, mac);
		if (n > 14 && !memcmp(buf, mac, 6))
			return n;
	}
	return -1;
}

Test(ifp_lma, equal_ifp_tc_sends_a_copy_down_each_path)
{
	int dup = bpf_program__fd(skel->progs.xp_lma_dup), s = sniff_open();
	struct pkt in, want1, want2;
	uint8_t rh[XP_RH2_LEN], got[2048];
	struct in6_addr ph;
	ssize_t n;

	put_mn(2, 1, 2);	/* IF1 (primary, MAG1) and IF2 (MAG3) tie */
	cn_pkt(&in, PHOA, XP_IPPROTO_TCP);
	cr_assert_eq(run_tc(dup, &in, env.if_a, &res), 0);
	cr_assert_eq(res.retval, TC_ACT_REDIRECT);
	cr_assert_eq(res.total, 1);
	cr_assert_eq(res.cnt_delta[XP_R_DL_DUP], 1);

	/* the last copy (the packet itself): IF2, with the routing header */
	inet_pton(AF_INET6, PHOA, &ph);
	xp_rh2_build(rh, sizeof(rh), XP_IPPROTO_TCP, &ph);
	pkt_init(&want2);
	pkt_eth(&want2, BT_MAC_GW3, BT_MAC_A, 0x86dd);
	pkt_ip6(&want2, LMA, MAG3, XP_IPPROTO_IPV6, OUTER_HOPS, 0, 0x777);
	pkt_ip6(&want2, CN, HOA2, XP_IPPROTO_ROUTING, 63, 0, 0x777);
	pkt_bytes(&want2, rh, sizeof(rh));
	pkt_bytes(&want2, in.b + 54, in.len - 54);
	pkt_finish(&want2);
	expect_out(&want2);
	cr_assert_eq(ifp_csum_ok(res.out + 54, res.out_len - 54), 1);

	/* the clone, sent out of xpa: IF1, plain tunnel */
	pkt_init(&want1);
	pkt_eth(&want1, BT_MAC_GW2, BT_MAC_A, 0x86dd);
	pkt_ip6(&want1, LMA, MAG1, XP_IPPROTO_IPV6, OUTER_HOPS, 0, 0x777);
	pkt_bytes(&want1, in.b + 14, in.len - 14);
	pkt_finish(&want1);
	want1.b[54 + 7] = 63;
	n = sniff_mag1(s, got, sizeof(got));
	cr_assert_eq(n, (ssize_t)want1.len, "clone length %zd, want %zu", n, want1.len);
	cr_assert_eq(memcmp(got, want1.b, want1.len), 0, "clone bytes");
	cr_assert_eq(ifp_csum_ok(got + 54, (size_t)n - 54), 1);
	close(s);
}

/*
 * A GSO packet on the equal-IFP path (xp_dup.h): one path only, the one
 * without a routing header, DL_DUP_GSO.
 *
 * Why not BPF_PROG_TEST_RUN: it takes gso_size and gso_segs from the
 * __sk_buff ctx_in but leaves gso_type 0 (net/bpf/test_run.c,
 * convert___skb_to_skb), and bpf_skb_adjust_room refuses a GSO skb that is
 * neither TCP nor UDP_L4 (-ENOTSUPP, net/core/filter.c bpf_skb_net_grow),
 * whatever the mode or flags, so the program can only end in
 * DROP_HEADROOM there (bpf_clone_redirect refuses such an skb too,
 * -EBADMSG, since the 6.18 fix). So the test makes a real one, as a VM's
 * virtio NIC would: a TCPv6 GSO frame with a virtio_net_hdr written into a
 * packet socket on xpb (PACKET_VNET_HDR) arrives at xpa as one skb
 * (gso_type TCPV6, gso_size GSO_MSS, partial checksum), where xp_lma_dup
 * runs on clsact ingress. xpa has segmentation and tx checksum offload
 * off, so the kernel segments what the program sends (IPv6-in-IPv6 GSO)
 * in software and completes every checksum; a sniffer on xpb compares
 * each segment with one built here, byte for byte.
 */
#include <linux/if_packet.h>
#include <linux/virtio_net.h>

#define GSO_MSS		1000
#define GSO_PAYLOAD	2000			/* two segments as GRO merged them */
#define GSO_SEG		(GSO_MSS - 40)		/* gso_size less the outer header */
#define GSO_L4		(14 + 40)
#define TCP_SEQ0	0x1000

/* The GSO frame CN -> primary HoA; its TCP checksum holds the pseudo-header
 * sum (what CHECKSUM_PARTIAL expects, RFC 1071 sum not complemented) */
static void gso_frame(struct pkt *p)
{
	uint8_t tcp[20] = { 0x30, 0x39, 0x01, 0xbb, 0, 0, TCP_SEQ0 >> 8, 0, 0, 0, 0x20, 0,
			    0x50, 0x18, 0xff, 0xff };
	uint32_t s = XP_IPPROTO_TCP + 20 + GSO_PAYLOAD;

	pkt_init(p);
	pkt_eth(p, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(p, CN, PHOA, XP_IPPROTO_TCP, 64, 0, 0x777);
	pkt_bytes(p, tcp, sizeof(tcp));
	pkt_fill(p, GSO_PAYLOAD, 7);
	pkt_finish(p);
	for (int i = 0; i < 32; i += 2)
		s += (uint32_t)(p->b[14 + 8 + i] << 8 | p->b[14 + 8 + i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	p->b[GSO_L4 + 16] = (uint8_t)(s >> 8);
	p->b[GSO_L4 + 17] = (uint8_t)s;
}

/* Segment k of the single copy: tunnelled to MAG1, inner hop limit one
 * less, TCP sequence advanced, PSH on the last one only, checksum full */
static void gso_segment(const struct pkt *in, int k, struct pkt *want)
{
	size_t off = (size_t)k * GSO_SEG, n = GSO_PAYLOAD - off < GSO_SEG ? GSO_PAYLOAD - off : GSO_SEG;
	uint32_t seq = TCP_SEQ0 + (uint32_t)off;
	uint8_t tcp[20];

	memcpy(tcp, in->b + GSO_L4, sizeof(tcp));
	tcp[4] = (uint8_t)(seq >> 24);
	tcp[5] = (uint8_t)(seq >> 16);
	tcp[6] = (uint8_t)(seq >> 8);
	tcp[7] = (uint8_t)seq;
	if (off + n < GSO_PAYLOAD)
		tcp[13] = 0x10;		/* ACK: tcp_gso_segment clears PSH but on the last */
	pkt_init(want);
	pkt_eth(want, BT_MAC_GW2, BT_MAC_A, 0x86dd);
	pkt_ip6(want, LMA, MAG1, XP_IPPROTO_IPV6, OUTER_HOPS, 0, 0x777);
	pkt_ip6(want, CN, PHOA, XP_IPPROTO_TCP, 63, 0, 0x777);
	pkt_bytes(want, tcp, sizeof(tcp));
	pkt_bytes(want, in->b + GSO_L4 + 20 + off, n);
	pkt_finish(want);
	ifp_fill_csum(want, 54, NULL);
}

static void gso_send(const struct pkt *p)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IPV6),
				   .sll_ifindex = (int)if_nametoindex("xpb"), .sll_halen = 6 };
	struct virtio_net_hdr vh = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
				     .gso_type = VIRTIO_NET_HDR_GSO_TCPV6,
				     .hdr_len = GSO_L4 + 20, .gso_size = GSO_MSS,
				     .csum_start = GSO_L4, .csum_offset = 16 };
	uint8_t buf[sizeof(vh) + PKT_MAX];
	int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_IPV6)), one = 1;

	cr_assert_geq(s, 0);
	cr_assert_eq(setsockopt(s, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)), 0);
	memcpy(buf, &vh, sizeof(vh));
	memcpy(buf + sizeof(vh), p->b, p->len);
	cr_assert_eq(sendto(s, buf, sizeof(vh) + p->len, 0, (struct sockaddr *)&sll, sizeof(sll)),
		     (ssize_t)(sizeof(vh) + p->len), "send the GSO frame: %s", strerror(errno));
	close(s);
}

static void gso_one_path(uint16_t bid0, uint16_t bid1)
{
	int dup = bpf_program__fd(skel->progs.xp_lma_dup), s = sniff_open(), n_mag1 = 0, n_mag3 = 0;
	uint64_t before[XP_R_MAX], after[XP_R_MAX];
	uint8_t mac1[6], mac3[6], got[PKT_MAX];
	struct pollfd pf = { .fd = s, .events = POLLIN };
	struct pkt in, want;
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = env.if_a, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = dup);

	cr_assert_eq(system("ethtool -K xpa tx off tso off gso off >/dev/null 2>&1"), 0);
	cr_assert_eq(bpf_tc_hook_create(&hook), 0);
	cr_assert_eq(bpf_tc_attach(&hook, &opts), 0);
	put_mn(2, bid0, bid1);
	pkt_mac(BT_MAC_GW2, mac1);
	pkt_mac(BT_MAC_GW3, mac3);
	gso_frame(&in);
	cr_assert_eq(bt_counters(cnt, before), 0);
	gso_send(&in);
	/* the segments to MAG1, then nothing more for a while (no second copy) */
	while (poll(&pf, 1, n_mag1 == 3 ? 300 : 2000) == 1) {
		ssize_t n = recv(s, got, sizeof(got), 0);

		if (n > 14 && !memcmp(got, mac3, 6))
			n_mag3++;
		if (n <= 14 || memcmp(got, mac1, 6))
			continue;
		cr_assert_lt(n_mag1, 3, "more than three segments to MAG1");
		gso_segment(&in, n_mag1, &want);
		cr_assert_eq(n, (ssize_t)want.len, "segment %d: length %zd, want %zu", n_mag1, n,
			     want.len);
		cr_assert_eq(memcmp(got, want.b, want.len), 0, "segment %d bytes", n_mag1);
		cr_assert_eq(ifp_csum_ok(got + 54, (size_t)n - 54), 1, "segment %d checksum", n_mag1);
		n_mag1++;
	}
	cr_assert_eq(n_mag1, 3, "the copy to MAG1, segmented to gso_size - 40");
	cr_assert_eq(n_mag3, 0, "no copy to MAG3 (the path with the routing header)");
	cr_assert_eq(bt_counters(cnt, after), 0);
	cr_assert_eq(after[XP_R_DL_DUP_GSO] - before[XP_R_DL_DUP_GSO], 1);
	cr_assert_eq(after[XP_R_DL_DUP] - before[XP_R_DL_DUP], 0);
	cr_assert_eq(after[XP_R_DL_FORWARD] - before[XP_R_DL_FORWARD], 0);
	cr_assert_eq(after[XP_R_DROP_HEADROOM] - before[XP_R_DROP_HEADROOM], 0);
	close(s);
}

Test(ifp_lma, equal_ifp_gso_packet_takes_the_path_without_rh2)
{
	gso_one_path(1, 2);	/* the primary interface's binding first */
}

Test(ifp_lma, equal_ifp_gso_packet_takes_the_path_without_rh2_when_second)
{
	gso_one_path(2, 1);	/* the non-primary binding first: still MAG1 */
}

Test(ifp_lma, tc_passes_everything_else)
{
	int dup = bpf_program__fd(skel->progs.xp_lma_dup);
	struct pkt in;

	/* IFP choice of one path: XDP forwarded it already */
	cn_pkt(&in, PHOA, XP_IPPROTO_UDP);
	cr_assert_eq(run_tc(dup, &in, env.if_a, &res), 0);
	cr_assert_eq(res.retval, TC_ACT_OK);
	cr_assert_eq(res.cnt_delta[XP_R_TC_PASS], 1);
	cr_assert_eq(res.total, 1);
	/* not a mobile prefix */
	put_mn(2, 1, 2);
	cn_pkt(&in, "2001:db8:77::1", XP_IPPROTO_UDP);
	cr_assert_eq(run_tc(dup, &in, env.if_a, &res), 0);
	cr_assert_eq(res.retval, TC_ACT_OK);
	cr_assert_eq(res.cnt_delta[XP_R_TC_PASS], 1);
	cr_assert_eq(memcmp(res.out, in.b, in.len), 0, "unchanged");
}

Test(ifp_lma, equal_ifp_one_active_path_is_plain_forwarding)
{
	int dup = bpf_program__fd(skel->progs.xp_lma_dup);
	struct pkt in;

	put_mn(2, 1, 2);
	put_bind(2, MAG3, HOA2, 0, 2);	/* IF2 not active */
	cn_pkt(&in, PHOA, XP_IPPROTO_UDP);
	cr_assert_eq(run_tc(dup, &in, env.if_a, &res), 0);
	cr_assert_eq(res.retval, TC_ACT_REDIRECT);
	cr_assert_eq(res.cnt_delta[XP_R_DL_FORWARD], 1);
	cr_assert_eq(res.out_len, in.len + 40);
	cr_assert_eq(res.out[5], 0x02, "to MAG1");
}

/*
 * 000 5.2 (unique-address): IF2 has an address of its own in IF1's prefix
 * (owned by BID 1). The agent adds a /128 for it naming BID 2
 * (XP_PFXF_HOA, user/lma.c hoa_host_*): downlink to that address goes to
 * MAG3 as a plain tunnel, whatever the IFP choice; the primary HoA still
 * follows the choice; equal IFPs do not duplicate it.
 */
#define UA_HOA2	"2001:db8:b1::20"

static void put_unique_address(void)
{
	cr_assert_eq(bt_add_prefix(bpf_map__fd(skel->maps.xp_pfx_v1), UA_HOA2, 128, MN8, 2,
				   XP_PFXF_HOA | XP_PFXF_LONG), 0);
	put_bind(2, MAG3, UA_HOA2, XP_BF_ACTIVE, 2);
}

Test(ifp_lma, unique_address_host_route_goes_to_its_binding_plainly)
{
	int dup = bpf_program__fd(skel->progs.xp_lma_dup);
	struct pkt in;

	put_unique_address();
	put_mn(1, 1, 0);	/* IF1 (primary) has the highest IFP */
	for (size_t i = 0; i < sizeof(l4s); i++) {
		cn_pkt(&in, UA_HOA2, l4s[i]);
		expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD);
		expect_plain_tunnel(&in, BT_MAC_GW3, MAG3);
		cr_assert_eq(ifp_csum_ok(res.out + 54, res.out_len - 54), 1);
	}
	/* the prefix's other addresses: its owner, IF1 */
	cn_pkt(&in, OTHER, XP_IPPROTO_UDP);
	expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_plain_tunnel_to_mag1(&in);
	/* the primary HoA: the IFP choice, IF1 */
	cn_pkt(&in, PHOA, XP_IPPROTO_UDP);
	expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_plain_tunnel_to_mag1(&in);
	/* IF2 highest: the primary HoA goes to IF2's address with the RH2;
	 * IF2's own address stays plain */
	put_mn(1, 2, 0);
	cn_pkt(&in, PHOA, XP_IPPROTO_UDP);
	expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD_RH2);
	cr_assert_eq(res.out[5], 0x03, "to MAG3");
	cr_assert_eq(memcmp(res.out + 54 + 24, (uint8_t[16]){ 0x20, 0x01, 0x0d, 0xb8, 0, 0xb1,
							     [15] = 0x20 }, 16), 0,
		     "destination: IF2's address");
	cn_pkt(&in, UA_HOA2, XP_IPPROTO_TCP);
	expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_plain_tunnel(&in, BT_MAC_GW3, MAG3);
	/* equal IFPs: the primary HoA goes to TC for copies, IF2's address
	 * does not (one path, XDP) and TC leaves it alone */
	put_mn(2, 1, 2);
	cn_pkt(&in, PHOA, XP_IPPROTO_UDP);
	expect(&in, XDP_PASS, XP_R_PASS_DL_DUP);
	cn_pkt(&in, UA_HOA2, XP_IPPROTO_UDP);
	expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_plain_tunnel(&in, BT_MAC_GW3, MAG3);
	cr_assert_eq(run_tc(dup, &in, env.if_a, &res), 0);
	cr_assert_eq(res.retval, TC_ACT_OK);
	cr_assert_eq(res.cnt_delta[XP_R_TC_PASS], 1);
	cr_assert_eq(memcmp(res.out, in.b, in.len), 0, "unchanged");
	/* without the /128 (the agent removed it): the prefix's owner again */
	{
		struct xp_prefix_key k = { .prefixlen = 128 };

		pkt_addr(UA_HOA2, k.addr.a8);
		cr_assert_eq(bpf_map_delete_elem(bpf_map__fd(skel->maps.xp_pfx_v1), &k), 0);
	}
	put_mn(1, 1, 0);
	cn_pkt(&in, UA_HOA2, XP_IPPROTO_UDP);
	expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_plain_tunnel_to_mag1(&in);
}

/*
 * 001 (2-level prefixes): a temporal (level-2) prefix goes through the
 * binding that owns it, which a flow handover chose; the MN's IFP choice
 * (and its flow cache) applies to its permanent prefixes only
 * (xp_lma_downlink: no xp_mn_v1 lookup for XP_PFX_TEMPORAL; xp_dup_run:
 * TC_PASS). The MN has no primary HoA here, so its IFP choice covers every
 * address of its permanent prefixes: the contrast shows the bypass.
 */
#define TEMPORAL_PFX	"2001:db8:c1::"	/* level 2, owned by BID 1 (MAG1) */
#define TEMPORAL_ADDR	"2001:db8:c1::10"

static void put_mn_no_primary(uint8_t n_dl, uint16_t bid0, uint16_t bid1)
{
	struct xp_mn_val v = { .n_dl = n_dl, .dl_bid = { bid0, bid1 } };
	uint32_t k = MN8;

	cr_assert_eq(bpf_map_update_elem(mnfd, &k, &v, BPF_ANY), 0);
}

static void put_temporal(void)
{
	struct xp_prefix_key k = { .prefixlen = 64 };
	struct xp_prefix_val v = { .mn_id = MN8, .bid = 1, .kind = XP_PFX_TEMPORAL };

	pkt_addr(TEMPORAL_PFX, k.addr.a8);
	cr_assert_eq(bpf_map_update_elem(bpf_map__fd(skel->maps.xp_pfx_v1), &k, &v, BPF_ANY), 0);
}

Test(ifp_lma, temporal_prefix_bypasses_the_ifp_choice)
{
	struct pkt in;

	put_temporal();
	put_mn_no_primary(1, 2, 0);	/* IF2 (MAG3) has the highest IFP */
	/* a permanent prefix's address follows the IFP choice: MAG3 */
	cn_pkt(&in, OTHER, XP_IPPROTO_UDP);
	expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD);
	cr_assert_eq(res.out[5], 0x03, "permanent prefix: to MAG3 (IFP choice)");
	/* the temporal prefix's: its owner, BID 1 at MAG1, plain tunnel */
	cn_pkt(&in, TEMPORAL_ADDR, XP_IPPROTO_UDP);
	expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_plain_tunnel_to_mag1(&in);
}

Test(ifp_lma, temporal_prefix_bypasses_equal_ifp_duplication)
{
	int dup = bpf_program__fd(skel->progs.xp_lma_dup);
	struct pkt in;

	put_temporal();
	put_mn_no_primary(2, 1, 2);	/* equal IFPs */
	/* permanent: XDP hands it to the TC duplicate path */
	cn_pkt(&in, OTHER, XP_IPPROTO_UDP);
	expect(&in, XDP_PASS, XP_R_PASS_DL_DUP);
	/* temporal: forwarded once, by XDP, to its owner */
	cn_pkt(&in, TEMPORAL_ADDR, XP_IPPROTO_UDP);
	expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD);
	cr_assert_eq(res.out_len, in.len + 40, "plain tunnel, no RH2");
	cr_assert_eq(res.out[5], 0x02, "to MAG1, the owner");
	/* and the TC program leaves it alone */
	cr_assert_eq(run_tc(dup, &in, env.if_a, &res), 0);
	cr_assert_eq(res.retval, TC_ACT_OK);
	cr_assert_eq(res.total, 1);
	cr_assert_eq(res.cnt_delta[XP_R_TC_PASS], 1);
	cr_assert_eq(memcmp(res.out, in.b, in.len), 0, "unchanged");
}

/* ---- the MN helper: xp_mn_egress / xp_mn_ingress (bpf/mn.bpf.c) ---- */

#include "mn.skel.h"

static struct xp_mn *mnskel;

static void mn_put(uint8_t flags)
{
	struct xp_mnif_val v = { .flags = flags, .hoa_opt = XP_DSTOPT_PRIMARY_HOA_DEFAULT };
	uint32_t k = (uint32_t)env.if_a;

	pkt_addr(flags & XP_MNIF_F_PRIMARY ? PHOA : HOA2, v.hoa.a8);
	pkt_addr(PHOA, v.primary_hoa.a8);
	cr_assert_eq(bpf_map_update_elem(bpf_map__fd(mnskel->maps.xp_mnif_v1), &k, &v, BPF_ANY), 0);
}

static void mn_setup(void)
{
	cr_assert_eq(bt_netns(&env), 0, "network namespace");
	mnskel = BT_OPEN_AND_LOAD(xp_mn);
	cr_assert_not_null(mnskel, "load mn.bpf.o");
	cnt = bpf_map__fd(mnskel->maps.xp_cnt_v1);
	mn_put(0);		/* env.if_a plays the MN's IF2 */
}

static void mn_teardown(void)
{
	xp_mn__destroy(mnskel);
}

TestSuite(ifp_mn, .init = mn_setup, .fini = mn_teardown);

/* the application's packet: primary HoA -> CN */
static void app_pkt(struct pkt *p, uint8_t proto)
{
	pkt_init(p);
	pkt_eth(p, BT_MAC_CN, BT_MAC_A, 0x86dd);
	pkt_ip6(p, PHOA, CN, proto, 64, 0, 0x55);
	ifp_l4(p, proto, 33);
	pkt_finish(p);
	ifp_fill_csum(p, 14, NULL);
}

Test(ifp_mn, egress_non_primary_adds_option_and_moves_source)
{
	int eg = bpf_program__fd(mnskel->progs.xp_mn_egress);

	for (size_t i = 0; i < sizeof(l4s); i++) {
		struct pkt in, want;
		uint8_t d[XP_DSTOPT_HOA_HDR_LEN];
		struct in6_addr ph;

		app_pkt(&in, l4s[i]);
		cr_assert_eq(run_tc(eg, &in, env.if_a, &res), 0);
		cr_assert_eq(res.retval, TC_ACT_OK);
		cr_assert_eq(res.total, 1);
		cr_assert_eq(res.cnt_delta[XP_R_MN_UL_HOA], 1);

		inet_pton(AF_INET6, PHOA, &ph);
		xp_dstopt_hoa_build(d, sizeof(d), l4s[i], XP_DSTOPT_PRIMARY_HOA_DEFAULT, &ph);
		pkt_init(&want);
		pkt_eth(&want, BT_MAC_CN, BT_MAC_A, 0x86dd);
		pkt_ip6(&want, HOA2, CN, XP_IPPROTO_DSTOPTS, 64, 0, 0x55);
		pkt_bytes(&want, d, sizeof(d));
		ifp_l4(&want, l4s[i], 33);
		pkt_finish(&want);
		ifp_fill_csum(&want, 14, NULL);	/* over HoA2, computed here */
		expect_out(&want);
		cr_assert_eq(ifp_csum_ok(res.out + 14, res.out_len - 14), 1);
	}
}

Test(ifp_mn, egress_shared_address_adds_nothing)
{
	int eg = bpf_program__fd(mnskel->progs.xp_mn_egress);
	struct xp_mnif_val v = { .hoa_opt = XP_DSTOPT_PRIMARY_HOA_DEFAULT };
	uint32_t k = (uint32_t)env.if_a;
	struct pkt in;

	/* 000 5.3: the non-primary interface holds the primary HoA itself */
	pkt_addr(PHOA, v.hoa.a8);
	pkt_addr(PHOA, v.primary_hoa.a8);
	cr_assert_eq(bpf_map_update_elem(bpf_map__fd(mnskel->maps.xp_mnif_v1), &k, &v, BPF_ANY), 0);
	app_pkt(&in, XP_IPPROTO_TCP);
	cr_assert_eq(bt_run_tc(eg, cnt, in.b, in.len, env.if_a, &res), 0);
	cr_assert_eq(res.retval, TC_ACT_OK);
	cr_assert_eq(res.cnt_delta[XP_R_MN_PASS], 1);
	cr_assert_eq(res.out_len, in.len, "no option added");
	cr_assert_eq(memcmp(res.out, in.b, in.len), 0, "unchanged");
}

/* a UDP packet from the primary HoA of ip6_len octets of IPv6 */
static void app_big(struct pkt *p, size_t ip6_len)
{
	pkt_init(p);
	pkt_eth(p, BT_MAC_CN, BT_MAC_A, 0x86dd);
	pkt_ip6(p, PHOA, CN, XP_IPPROTO_UDP, 64, 0, 0x55);
	pkt_udp(p, 4000, 5000, ip6_len - XP_IPV6_HDR_LEN - 8);
	pkt_finish(p);
	ifp_fill_csum(p, 14, NULL);
}

Test(ifp_mn, egress_too_big_for_the_option_returns_packet_too_big)
{
	int eg = bpf_program__fd(mnskel->progs.xp_mn_egress);
	struct xp_mnif_val v = { .hoa_opt = XP_DSTOPT_PRIMARY_HOA_DEFAULT, .mtu = 1440 };
	uint32_t k = (uint32_t)env.if_a;
	struct pkt in, want;

	pkt_addr(HOA2, v.hoa.a8);
	pkt_addr(PHOA, v.primary_hoa.a8);
	cr_assert_eq(bpf_map_update_elem(bpf_map__fd(mnskel->maps.xp_mnif_v1), &k, &v, BPF_ANY), 0);

	/* 1416 + 24 = 1440 fits: the option goes in */
	app_big(&in, 1416);
	cr_assert_eq(bt_run_tc(eg, cnt, in.b, in.len, env.if_a, &res), 0);
	cr_assert_eq(res.retval, TC_ACT_OK);
	cr_assert_eq(res.cnt_delta[XP_R_MN_UL_HOA], 1);
	cr_assert_eq(res.out_len, in.len + 24);

	/* 1417 does not: Packet Too Big (MTU 1416) from HoA2 to the primary
	 * HoA, quoting the packet as the application sent it, back into the
	 * stack (Ethernet addresses swapped) */
	app_big(&in, 1417);
	cr_assert_eq(bt_run_tc(eg, cnt, in.b, in.len, env.if_a, &res), 0);
	cr_assert_eq(res.retval, TC_ACT_REDIRECT);
	cr_assert_eq(res.total, 1);
	cr_assert_eq(res.cnt_delta[XP_R_MN_PTB], 1);
	pkt_init(&want);
	pkt_eth(&want, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(&want, HOA2, PHOA, XP_IPPROTO_ICMPV6, 64, 0, 0);
	{
		const uint8_t icmp[8] = { XP_ICMP6_PKT_TOO_BIG, 0, 0, 0, 0, 0, 1416 >> 8, 1416 & 0xff };

		pkt_bytes(&want, icmp, sizeof(icmp));
	}
	pkt_bytes(&want, in.b + 14, 1232);
	pkt_finish(&want);
	cr_assert_eq(res.out_len, want.len, "length %u, want %zu (1280 octets of IPv6)", res.out_len,
		     want.len);
	cr_assert_eq(want.len, 14 + 1280);
	for (size_t i = 0; i < want.len; i++)
		if (i != 14 + 40 + 2 && i != 14 + 40 + 3)
			cr_assert_eq(res.out[i], want.b[i], "byte %zu: %02x, want %02x", i, res.out[i],
				     want.b[i]);
	cr_assert_eq(ifp_csum_ok(res.out + 14, res.out_len - 14), 1, "ICMPv6 checksum");

	/* no MTU known: no check */
	v.mtu = 0;
	cr_assert_eq(bpf_map_update_elem(bpf_map__fd(mnskel->maps.xp_mnif_v1), &k, &v, BPF_ANY), 0);
	cr_assert_eq(bt_run_tc(eg, cnt, in.b, in.len, env.if_a, &res), 0);
	cr_assert_eq(res.cnt_delta[XP_R_MN_UL_HOA], 1);
}

Test(ifp_mn, egress_leaves_other_packets)
{
	int eg = bpf_program__fd(mnskel->progs.xp_mn_egress);
	struct pkt in;

	/* from another source */
	pkt_init(&in);
	pkt_eth(&in, BT_MAC_CN, BT_MAC_A, 0x86dd);
	pkt_ip6(&in, HOA2, CN, XP_IPPROTO_UDP, 64, 0, 0);
	pkt_udp(&in, 1, 2, 20);
	pkt_finish(&in);
	cr_assert_eq(run_tc(eg, &in, env.if_a, &res), 0);
	cr_assert_eq(res.cnt_delta[XP_R_MN_PASS], 1);
	cr_assert_eq(res.out_len, in.len);
	/* on the primary interface */
	mn_put(XP_MNIF_F_PRIMARY);
	app_pkt(&in, XP_IPPROTO_TCP);
	cr_assert_eq(run_tc(eg, &in, env.if_a, &res), 0);
	cr_assert_eq(res.cnt_delta[XP_R_MN_PASS], 1);
	cr_assert_eq(memcmp(res.out, in.b, in.len), 0);
}

Test(ifp_mn, ingress_rh2_gives_back_the_primary_hoa)
{
	int ig = bpf_program__fd(mnskel->progs.xp_mn_ingress);

	for (size_t i = 0; i < sizeof(l4s); i++) {
		struct pkt in, want;
		uint8_t rh[XP_RH2_LEN];
		struct in6_addr ph;

		inet_pton(AF_INET6, PHOA, &ph);
		xp_rh2_build(rh, sizeof(rh), l4s[i], &ph);
		pkt_init(&in);
		pkt_eth(&in, BT_MAC_A, BT_MAC_CN, 0x86dd);
		pkt_ip6(&in, CN, HOA2, XP_IPPROTO_ROUTING, 60, 0, 0x66);
		pkt_bytes(&in, rh, sizeof(rh));
		ifp_l4(&in, l4s[i], 9);
		pkt_finish(&in);
		ifp_fill_csum(&in, 14, NULL);	/* final destination: the RH2's */
		cr_assert_eq(run_tc(ig, &in, env.if_a, &res), 0);
		cr_assert_eq(res.retval, TC_ACT_OK);
		cr_assert_eq(res.total, 1);
		cr_assert_eq(res.cnt_delta[XP_R_MN_DL_RH2], 1);

		pkt_init(&want);
		pkt_eth(&want, BT_MAC_A, BT_MAC_CN, 0x86dd);
		pkt_ip6(&want, CN, PHOA, l4s[i], 60, 0, 0x66);
		ifp_l4(&want, l4s[i], 9);
		pkt_finish(&want);
		ifp_fill_csum(&want, 14, NULL);
		expect_out(&want);
		cr_assert_eq(ifp_csum_ok(res.out + 14, res.out_len - 14), 1);
	}
}

Test(ifp_mn, ingress_other_routing_headers_untouched)
{
	int ig = bpf_program__fd(mnskel->progs.xp_mn_ingress);
	struct pkt in;
	uint8_t rh[XP_RH2_LEN];
	struct in6_addr other;

	/* an RH2 naming another address */
	inet_pton(AF_INET6, OTHER, &other);
	xp_rh2_build(rh, sizeof(rh), XP_IPPROTO_UDP, &other);
	pkt_init(&in);
	pkt_eth(&in, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(&in, CN, HOA2, XP_IPPROTO_ROUTING, 60, 0, 0);
	pkt_bytes(&in, rh, sizeof(rh));
	pkt_udp(&in, 1, 2, 10);
	pkt_finish(&in);
	cr_assert_eq(run_tc(ig, &in, env.if_a, &res), 0);
	cr_assert_eq(res.cnt_delta[XP_R_MN_PASS], 1);
	cr_assert_eq(memcmp(res.out, in.b, in.len), 0);
	/* segments left 0: already processed */
	in.b[54 + 3] = 0;
	in.b[54 + 24 - 16] = 0;
	pkt_addr(PHOA, in.b + 54 + 8);
	cr_assert_eq(run_tc(ig, &in, env.if_a, &res), 0);
	cr_assert_eq(res.cnt_delta[XP_R_MN_PASS], 1);
}
