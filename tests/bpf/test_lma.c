// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_lma.c - xp_lma_rx through BPF_PROG_TEST_RUN, every path and verdict.
 *
 * Each test runs in its own process (Criterion) inside a private network
 * namespace (tests/lib/bpftest.h) so bpf_fib_lookup resolves against real
 * routes and PERMANENT neighbours. Every run asserts the XDP action, that
 * exactly one reason counter moved by exactly one, and which; forwarding
 * runs compare the whole output frame byte for byte.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xpmip_maps.h"
#include "xpmip_wire.h"
#include "lma.skel.h"
#include "pkt.h"
#include "bpftest.h"

#define LMA	"2001:db8:1::1"
#define MAG1	"2001:db8:1::2"		/* neighbour 02:..:02 */
#define MAG3	"2001:db8:1::3"		/* neighbour 02:..:03 */
#define MAG_NONEIGH "2001:db8:1::4"	/* on-link, no neighbour */
#define MAG_UNREACH "2001:db8:97::1"	/* unreachable route */
#define MAG_UNKNOWN "2001:db8:1::9"
#define CN	"2001:db8:99::5"
#define MN1	"2001:db8:a1::10"
#define MN2	"2001:db8:a2::10"
#define MN3	"2001:db8:a3::10"
#define MN4	"2001:db8:a4::10"
#define MN5	"2001:db8:a5::10"
#define MN6	"2001:db8:a6::10"
#define MN7	"2001:db8:a7::10"
#define TC	0x2e
#define FLOW	0x12345
#define OUTER_HOPS 61

static struct xp_lma *skel;
static struct bt_env env;
static int prog, cnt;

static void setup(void)
{
	int cfg, pfx, bind, mn, peer, ul;
	struct xp_mn_val mv = { .n_dl = 1, .dl_bid = { 2 } };
	uint32_t mn5 = 5;

	cr_assert_eq(bt_netns(&env), 0, "network namespace");
	skel = BT_OPEN_AND_LOAD(xp_lma);
	cr_assert_not_null(skel, "load lma.bpf.o");
	prog = bpf_program__fd(skel->progs.xp_lma_rx);
	cnt = bpf_map__fd(skel->maps.xp_cnt_v1);
	cfg = bpf_map__fd(skel->maps.xp_cfg_v1);
	pfx = bpf_map__fd(skel->maps.xp_pfx_v1);
	bind = bpf_map__fd(skel->maps.xp_bind_v1);
	mn = bpf_map__fd(skel->maps.xp_mn_v1);
	peer = bpf_map__fd(skel->maps.xp_peer_v1);
	ul = bpf_map__fd(skel->maps.xp_ul_v1);

	cr_assert_eq(bt_set_cfg(cfg, LMA, 1500, OUTER_HOPS, XP_CFG_F_ENABLED), 0);
	/* MN1 via MAG1: the normal case */
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:a1::", 64, 1, 1, 0), 0);
	cr_assert_eq(bt_add_bind(bind, 1, 1, MAG1, LMA, 0, NULL, NULL, XP_BF_ACTIVE), 0);
	/* MN2 via a MAG whose neighbour is unresolved */
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:a2::", 64, 2, 1, 0), 0);
	cr_assert_eq(bt_add_bind(bind, 2, 1, MAG_NONEIGH, LMA, 0, NULL, NULL, XP_BF_ACTIVE), 0);
	/* MN3: binding not active; MN4: no binding at all */
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:a3::", 64, 3, 1, 0), 0);
	cr_assert_eq(bt_add_bind(bind, 3, 1, MAG1, LMA, 0, NULL, NULL, 0), 0);
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:a4::", 64, 4, 1, 0), 0);
	/* MN5: prefix owner BID 1 via MAG1, downlink decision BID 2 via MAG3 */
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:a5::", 64, 5, 1, 0), 0);
	cr_assert_eq(bt_add_bind(bind, 5, 1, MAG1, LMA, 0, NULL, NULL, XP_BF_ACTIVE), 0);
	cr_assert_eq(bt_add_bind(bind, 5, 2, MAG3, LMA, 0, NULL, NULL, XP_BF_ACTIVE), 0);
	cr_assert_eq(bpf_map_update_elem(mn, &mn5, &mv, BPF_ANY), 0);
	/* MN6 behind an unreachable route */
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:a6::", 64, 6, 1, 0), 0);
	cr_assert_eq(bt_add_bind(bind, 6, 1, MAG_UNREACH, LMA, 0, NULL, NULL, XP_BF_ACTIVE), 0);
	/* MN7 exists but is not registered through MAG1 */
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:a7::", 64, 7, 1, 0), 0);
	cr_assert_eq(bt_add_bind(bind, 7, 1, MAG3, LMA, 0, NULL, NULL, XP_BF_ACTIVE), 0);
	cr_assert_eq(bt_add_peer(peer, MAG1), 0);
	cr_assert_eq(bt_add_peer(peer, MAG3), 0);
	cr_assert_eq(bt_add_ul(ul, MAG1, 1, 1), 0);
	cr_assert_eq(bt_add_ul(ul, MAG3, 7, 1), 0);
}

static void teardown(void)
{
	xp_lma__destroy(skel);
}

TestSuite(lma, .init = setup, .fini = teardown);

static struct bt_result res;

/* run and assert action + exactly one counter (reason) incremented once */
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

/* CN -> dst UDP packet as received by the LMA */
static void cn_udp(struct pkt *p, const char *dst, uint8_t hops, size_t payload)
{
	pkt_init(p);
	pkt_eth(p, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(p, CN, dst, XP_IPPROTO_UDP, hops, TC, FLOW);
	pkt_udp(p, 1000, 2000, payload);
	pkt_finish(p);
}

/* the downlink frame the LMA must emit */
static void dl_encap(struct pkt *p, const char *dmac, const char *smac, const char *pcoa,
		     const char *dst, uint8_t inner_hops, size_t payload)
{
	pkt_init(p);
	pkt_eth(p, dmac, smac, 0x86dd);
	pkt_ip6(p, LMA, pcoa, XP_IPPROTO_IPV6, OUTER_HOPS, TC, FLOW);
	pkt_ip6(p, CN, dst, XP_IPPROTO_UDP, inner_hops, TC, FLOW);
	pkt_udp(p, 1000, 2000, payload);
	pkt_finish(p);
}

/* MAG -> LMA tunnel packet carrying src -> dst */
static void ul_tunnel(struct pkt *p, const char *pcoa, const char *src, const char *dst,
		      uint8_t hops, size_t payload)
{
	pkt_init(p);
	pkt_eth(p, BT_MAC_A, BT_MAC_GW2, 0x86dd);
	pkt_ip6(p, pcoa, LMA, XP_IPPROTO_IPV6, 64, 0, 0);
	pkt_ip6(p, src, dst, XP_IPPROTO_UDP, hops, TC, FLOW);
	pkt_udp(p, 3000, 4000, payload);
	pkt_finish(p);
}

Test(lma, downlink_encap_exact_bytes)
{
	struct pkt in, want;
	struct xp_bind_key k = { .mn_id = 1, .bid = 1 };
	struct xp_bind_stats st;

	cn_udp(&in, MN1, 64, 100);
	expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD);
	dl_encap(&want, BT_MAC_GW2, BT_MAC_A, MAG1, MN1, 63, 100);
	expect_out(&want);
	/* outer header spelled out, in case the builder and the program agree wrongly */
	cr_assert_eq(res.out[14] >> 4, 6);
	cr_assert_eq(((res.out[14] & 0xf) << 4) | (res.out[15] >> 4), TC);
	cr_assert_eq(res.out[14 + 6], 41);
	cr_assert_eq(res.out[14 + 7], OUTER_HOPS);
	cr_assert_eq((res.out[14 + 4] << 8 | res.out[14 + 5]), 40 + 8 + 100);
	cr_assert_eq(res.out[54 + 7], 63, "inner hop limit decremented");

	cr_assert_eq(bpf_map_lookup_elem(bpf_map__fd(skel->maps.xp_bstat_v2), &k, &st), 0);
	cr_assert_eq(st.dl_packets, 1);
	cr_assert_eq(st.dl_bytes, 40 + 8 + 100);
}

Test(lma, downlink_uses_mn_dl_bid)
{
	struct pkt in, want;

	cn_udp(&in, MN5, 64, 10);
	expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD);
	dl_encap(&want, BT_MAC_GW3, BT_MAC_A, MAG3, MN5, 63, 10);
	expect_out(&want);
}

Test(lma, downlink_no_neigh_passes_encapsulated)
{
	struct pkt in, want;

	cn_udp(&in, MN2, 64, 10);
	expect(&in, XDP_PASS, XP_R_PASS_NO_NEIGH);
	/* encapsulated, Ethernet header untouched: the stack forwards it */
	dl_encap(&want, BT_MAC_A, BT_MAC_CN, MAG_NONEIGH, MN2, 63, 10);
	expect_out(&want);
}

Test(lma, downlink_unreachable_drops)
{
	struct pkt in;

	cn_udp(&in, MN6, 64, 10);
	expect(&in, XDP_DROP, XP_R_DROP_FIB);
}

Test(lma, downlink_inactive_binding_drops)
{
	struct pkt in;

	cn_udp(&in, MN3, 64, 10);
	expect(&in, XDP_DROP, XP_R_DROP_NO_BINDING);
}

Test(lma, downlink_prefix_without_binding_drops)
{
	struct pkt in;

	cn_udp(&in, MN4, 64, 10);
	expect(&in, XDP_DROP, XP_R_DROP_NO_BINDING);
}

Test(lma, not_a_mobile_prefix_passes)
{
	struct pkt in;

	cn_udp(&in, "2001:db8:99::7", 64, 10);
	expect(&in, XDP_PASS, XP_R_PASS_NO_PREFIX);
	cr_assert_eq(memcmp(res.out, in.b, in.len), 0, "unchanged");
}

Test(lma, hop_limit_one_passes_unchanged)
{
	struct pkt in;

	for (int h = 0; h <= 1; h++) {
		cn_udp(&in, MN1, (uint8_t)h, 10);
		expect(&in, XDP_PASS, XP_R_PASS_HOP_LIMIT);
		cr_assert_eq(res.out_len, in.len);
		cr_assert_eq(memcmp(res.out, in.b, in.len), 0, "unchanged");
	}
	cn_udp(&in, MN1, 2, 10);
	expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD);
	cr_assert_eq(res.out[54 + 7], 1);
}

Test(lma, packet_too_big)
{
	struct pkt in;
	uint8_t lma[16], cn[16];
	const uint8_t *ip, *icmp;

	cr_assert_eq(bt_set_cfg(bpf_map__fd(skel->maps.xp_cfg_v1), LMA, 1400, OUTER_HOPS,
				XP_CFG_F_ENABLED), 0);
	/* 1360 + 40 = 1400 fits exactly */
	cn_udp(&in, MN1, 64, 1360 - 48);
	expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD);
	/* one byte more does not */
	cn_udp(&in, MN1, 64, 1360 - 48 + 1);
	expect(&in, XDP_TX, XP_R_PTB_SENT);
	cr_assert_eq(res.out_len, 14 + 1280, "PTB is exactly the IPv6 minimum MTU");
	pkt_addr(LMA, lma);
	pkt_addr(CN, cn);
	cr_assert_eq(memcmp(res.out, in.b + 6, 6), 0, "dst MAC = offender's source MAC");
	cr_assert_eq(memcmp(res.out + 6, in.b, 6), 0, "src MAC = our MAC");
	ip = res.out + 14;
	cr_assert_eq(ip[0], 0x60);
	cr_assert_eq(ip[4] << 8 | ip[5], 1240);
	cr_assert_eq(ip[6], 58);
	cr_assert_eq(ip[7], 64);
	cr_assert_eq(memcmp(ip + 8, lma, 16), 0, "from the LMA address");
	cr_assert_eq(memcmp(ip + 24, cn, 16), 0, "to the sender");
	icmp = ip + 40;
	cr_assert_eq(icmp[0], XP_ICMP6_PKT_TOO_BIG);
	cr_assert_eq(icmp[1], 0);
	cr_assert_eq((uint32_t)icmp[4] << 24 | icmp[5] << 16 | icmp[6] << 8 | icmp[7], 1360u);
	cr_assert_eq(memcmp(icmp + 8, in.b + 14, 1232), 0, "quote = start of the offender");
	cr_assert_eq(pkt_icmp6_verify(ip, 1280), 0, "ICMPv6 checksum");
}

Test(lma, tunnel_mtu_floor_is_1320)
{
	struct pkt in;

	/* a configured MTU below 1320 is raised: a 1280-byte packet still goes */
	cr_assert_eq(bt_set_cfg(bpf_map__fd(skel->maps.xp_cfg_v1), LMA, 1000, OUTER_HOPS,
				XP_CFG_F_ENABLED), 0);
	cn_udp(&in, MN1, 64, 1280 - 48);
	expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD);
	cn_udp(&in, MN1, 64, 1281 - 48);
	expect(&in, XDP_TX, XP_R_PTB_SENT);
	cr_assert_eq((uint32_t)res.out[54 + 4] << 24 | res.out[54 + 5] << 16 |
		     res.out[54 + 6] << 8 | res.out[54 + 7], 1280u);
}

Test(lma, disabled_passes_everything)
{
	struct pkt in;

	cr_assert_eq(bt_set_cfg(bpf_map__fd(skel->maps.xp_cfg_v1), LMA, 1500, OUTER_HOPS, 0), 0);
	cn_udp(&in, MN1, 64, 10);
	expect(&in, XDP_PASS, XP_R_PASS_DISABLED);
	ul_tunnel(&in, MAG1, MN1, CN, 64, 10);
	expect(&in, XDP_PASS, XP_R_PASS_DISABLED);
}

Test(lma, not_ipv6_passes)
{
	struct pkt in;

	pkt_init(&in);
	pkt_eth(&in, BT_MAC_A, BT_MAC_CN, 0x0806);
	pkt_fill(&in, 28, 1);
	expect(&in, XDP_PASS, XP_R_PASS_NOT_IPV6);
}

Test(lma, control_traffic_passes)
{
	struct pkt in;
	static const uint8_t nd[] = { XP_ICMP6_ROUTER_SOL, XP_ICMP6_ROUTER_ADV,
				      XP_ICMP6_NEIGH_SOL, XP_ICMP6_NEIGH_ADV, XP_ICMP6_REDIRECT };

	/* Mobility Header to the LMA, behind a Destination Options header */
	pkt_init(&in);
	pkt_eth(&in, BT_MAC_A, BT_MAC_GW2, 0x86dd);
	pkt_ip6(&in, MAG1, LMA, XP_IPPROTO_DSTOPTS, 64, 0, 0);
	pkt_ext(&in, XP_IPPROTO_MH, 0);
	pkt_fill(&in, 16, 3);
	pkt_finish(&in);
	expect(&in, XDP_PASS, XP_R_PASS_CONTROL);
	/* ND/RS/RA, even to a mobile prefix */
	for (size_t i = 0; i < sizeof(nd); i++) {
		pkt_init(&in);
		pkt_eth(&in, BT_MAC_A, BT_MAC_CN, 0x86dd);
		pkt_ip6(&in, CN, MN1, XP_IPPROTO_ICMPV6, 255, 0, 0);
		pkt_icmp6(&in, nd[i], 0, 16);
		pkt_finish(&in);
		expect(&in, XDP_PASS, XP_R_PASS_CONTROL);
	}
	/* echo request to the LMA itself: not a tunnel, local */
	pkt_init(&in);
	pkt_eth(&in, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(&in, CN, LMA, XP_IPPROTO_ICMPV6, 64, 0, 0);
	pkt_icmp6(&in, XP_ICMP6_ECHO_REQUEST, 0, 8);
	pkt_finish(&in);
	expect(&in, XDP_PASS, XP_R_PASS_CONTROL);
	/* multicast and link-local destinations */
	cn_udp(&in, "ff02::1", 1, 8);
	expect(&in, XDP_PASS, XP_R_PASS_CONTROL);
	cn_udp(&in, "fe80::1", 1, 8);
	expect(&in, XDP_PASS, XP_R_PASS_CONTROL);
}

Test(lma, uplink_decap_forward)
{
	struct pkt in, want;
	struct xp_bind_key k = { .mn_id = 1, .bid = 1 };
	struct xp_bind_stats st;

	ul_tunnel(&in, MAG1, MN1, CN, 64, 50);
	expect(&in, XDP_REDIRECT, XP_R_UL_FORWARD);
	pkt_init(&want);
	pkt_eth(&want, BT_MAC_GW3, BT_MAC_A, 0x86dd);
	pkt_ip6(&want, MN1, CN, XP_IPPROTO_UDP, 63, TC, FLOW);
	pkt_udp(&want, 3000, 4000, 50);
	pkt_finish(&want);
	expect_out(&want);
	cr_assert_eq(bpf_map_lookup_elem(bpf_map__fd(skel->maps.xp_bstat_v2), &k, &st), 0);
	cr_assert_eq(st.ul_packets, 1);
}

Test(lma, uplink_with_outer_extension_header)
{
	struct pkt in;

	pkt_init(&in);
	pkt_eth(&in, BT_MAC_A, BT_MAC_GW2, 0x86dd);
	pkt_ip6(&in, MAG1, LMA, XP_IPPROTO_DSTOPTS, 64, 0, 0);
	pkt_ext(&in, XP_IPPROTO_IPV6, 1);
	pkt_ip6(&in, MN1, CN, XP_IPPROTO_UDP, 64, TC, FLOW);
	pkt_udp(&in, 3000, 4000, 20);
	pkt_finish(&in);
	expect(&in, XDP_REDIRECT, XP_R_UL_FORWARD);
	cr_assert_eq(res.out_len, 14 + 40 + 28, "outer header and its option removed");
	cr_assert_eq(res.out[14 + 7], 63);
}

Test(lma, uplink_no_neigh_and_unreachable)
{
	struct pkt in;

	ul_tunnel(&in, MAG1, MN1, "2001:db8:98::1", 64, 10);
	expect(&in, XDP_PASS, XP_R_PASS_NO_NEIGH);
	cr_assert_eq(res.out_len, 14 + 48 + 10, "passed decapsulated");
	ul_tunnel(&in, MAG1, MN1, "2001:db8:97::1", 64, 10);
	expect(&in, XDP_DROP, XP_R_DROP_FIB);
}

Test(lma, uplink_hop_limit_passes_decapsulated)
{
	struct pkt in;

	ul_tunnel(&in, MAG1, MN1, CN, 1, 10);
	expect(&in, XDP_PASS, XP_R_PASS_HOP_LIMIT);
	cr_assert_eq(res.out_len, 14 + 48 + 10);
	cr_assert_eq(memcmp(res.out, in.b, 14), 0, "still addressed to us");
	cr_assert_eq(memcmp(res.out + 14, in.b + 54, 48 + 10), 0);
}

Test(lma, uplink_unknown_peer_drops)
{
	struct pkt in;

	ul_tunnel(&in, MAG_UNKNOWN, MN1, CN, 64, 10);
	expect(&in, XDP_DROP, XP_R_DROP_UNKNOWN_PEER);
}

Test(lma, uplink_spoofed_sources_drop)
{
	struct pkt in;

	/* inner source in no mobile prefix */
	ul_tunnel(&in, MAG1, "2001:db8:55::1", CN, 64, 10);
	expect(&in, XDP_DROP, XP_R_DROP_SPOOFED_SRC);
	/* inner source of MN7, which is registered through MAG3, not MAG1 */
	ul_tunnel(&in, MAG1, MN7, CN, 64, 10);
	expect(&in, XDP_DROP, XP_R_DROP_SPOOFED_SRC);
	/* and MAG3 may not send MN1's packets */
	ul_tunnel(&in, MAG3, MN1, CN, 64, 10);
	expect(&in, XDP_DROP, XP_R_DROP_SPOOFED_SRC);
	/* but MAG3 may send MN7's */
	ul_tunnel(&in, MAG3, MN7, CN, 64, 10);
	expect(&in, XDP_REDIRECT, XP_R_UL_FORWARD);
}

Test(lma, uplink_mn_to_mn_takes_downlink)
{
	struct pkt in, want;

	ul_tunnel(&in, MAG1, MN1, MN5, 64, 10);
	expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD);
	pkt_init(&want);
	pkt_eth(&want, BT_MAC_GW3, BT_MAC_A, 0x86dd);
	pkt_ip6(&want, LMA, MAG3, XP_IPPROTO_IPV6, OUTER_HOPS, TC, FLOW);
	pkt_ip6(&want, MN1, MN5, XP_IPPROTO_UDP, 63, TC, FLOW);
	pkt_udp(&want, 3000, 4000, 10);
	pkt_finish(&want);
	expect_out(&want);
}

Test(lma, truncated_at_every_length)
{
	struct pkt full, cut;

	/* downlink packet with two extension headers */
	pkt_init(&full);
	pkt_eth(&full, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(&full, CN, MN1, XP_IPPROTO_HOPOPTS, 64, 0, 0);
	pkt_ext(&full, XP_IPPROTO_DSTOPTS, 0);
	pkt_ext(&full, XP_IPPROTO_UDP, 1);
	pkt_udp(&full, 1, 2, 4);
	pkt_finish(&full);
	expect(&full, XDP_REDIRECT, XP_R_DL_FORWARD);
	/* Payload Length says more than the frame holds */
	for (size_t l = 14; l < full.len; l++) {
		cut = full;
		cut.len = l;
		expect(&cut, XDP_DROP, XP_R_DROP_MALFORMED);
	}
	/* consistent Payload Length, frame ends inside an extension header */
	for (size_t l = 54; l < 54 + 8 + 16; l++) {
		cut = full;
		cut.len = l;
		cut.n_ip = 1;
		pkt_finish(&cut);
		expect(&cut, XDP_DROP, XP_R_DROP_MALFORMED);
	}
}

Test(lma, truncated_inner_header)
{
	struct pkt full, cut;

	ul_tunnel(&full, MAG1, MN1, CN, 64, 10);
	/* outer Payload Length consistent with the frame, inner cut anywhere */
	for (size_t l = 54; l < full.len; l++) {
		cut = full;
		cut.len = l;
		cut.n_ip = 1;	/* fix the outer length only */
		pkt_finish(&cut);
		expect(&cut, XDP_DROP, XP_R_DROP_MALFORMED);
	}
	/* inner version not 6 */
	cut = full;
	cut.b[54] = 0x40;
	expect(&cut, XDP_DROP, XP_R_DROP_MALFORMED);
	/* outer version not 6 */
	cut = full;
	cut.b[14] = 0x50;
	expect(&cut, XDP_DROP, XP_R_DROP_MALFORMED);
}

Test(lma, truncated_icmpv6_header)
{
	struct pkt in;

	pkt_init(&in);
	pkt_eth(&in, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(&in, CN, MN1, XP_IPPROTO_ICMPV6, 64, 0, 0);
	pkt_fill(&in, 3, XP_ICMP6_NEIGH_SOL);
	pkt_finish(&in);
	expect(&in, XDP_DROP, XP_R_DROP_MALFORMED);
}

Test(lma, extension_header_limit)
{
	struct pkt in;

	for (int n = 1; n <= 7; n++) {
		pkt_init(&in);
		pkt_eth(&in, BT_MAC_A, BT_MAC_CN, 0x86dd);
		pkt_ip6(&in, CN, MN1, XP_IPPROTO_DSTOPTS, 64, 0, 0);
		for (int i = 0; i < n; i++)
			pkt_ext(&in, i == n - 1 ? XP_IPPROTO_UDP : XP_IPPROTO_DSTOPTS, 0);
		pkt_udp(&in, 1, 2, 4);
		pkt_finish(&in);
		if (n <= 6)
			expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD);
		else
			expect(&in, XDP_DROP, XP_R_DROP_EXTHDR_LIMIT);
	}
}

Test(lma, non_first_fragment_is_forwarded)
{
	struct pkt in;

	pkt_init(&in);
	pkt_eth(&in, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(&in, CN, MN1, XP_IPPROTO_FRAGMENT, 64, 0, 0);
	pkt_frag(&in, XP_IPPROTO_ICMPV6, 100, 0);
	pkt_fill(&in, 2, XP_ICMP6_NEIGH_SOL);	/* not an ICMPv6 header: data */
	pkt_finish(&in);
	expect(&in, XDP_REDIRECT, XP_R_DL_FORWARD);
}
