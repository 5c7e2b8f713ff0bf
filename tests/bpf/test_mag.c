// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_mag.c - xp_mag_access and xp_mag_core through BPF_PROG_TEST_RUN,
 * every path and verdict, in a private network namespace
 * (tests/lib/bpftest.h): the core side is xpa (Proxy-CoA 2001:db8:1::1,
 * LMA 2001:db8:1::2 a PERMANENT neighbour), the access side is xpc.
 * Every run asserts the action and that exactly one reason counter moved,
 * once; forwarding runs compare the whole output frame.
 */
#include <criterion/criterion.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xpmip_maps.h"
#include "xpmip_wire.h"
#include "mag.skel.h"
#include "pkt.h"
#include "bpftest.h"

#define PCOA	"2001:db8:1::1"
#define LMA	"2001:db8:1::2"
#define LMA_NONEIGH "2001:db8:1::4"
#define LMA_UNKNOWN "2001:db8:1::9"
#define CN	"2001:db8:99::5"
#define MN1	"2001:db8:a1::10"
#define MN2	"2001:db8:a2::10"	/* off-link prefix */
#define MN3	"2001:db8:a3::10"	/* inactive binding */
#define MN4	"2001:db8:a4::10"	/* bound on another interface */
#define MN5	"2001:db8:a5::10"	/* LMA neighbour unresolved */
#define TC	0x0a
#define FLOW	0xabcde
#define OUTER_HOPS 62

static struct xp_mag *skel;
static struct bt_env env;
static int acc, core, cnt;

static void setup(void)
{
	int cfg, pfx, bind, peer;

	cr_assert_eq(bt_netns(&env), 0, "network namespace");
	skel = BT_OPEN_AND_LOAD(xp_mag);
	cr_assert_not_null(skel, "load mag.bpf.o");
	acc = bpf_program__fd(skel->progs.xp_mag_access);
	core = bpf_program__fd(skel->progs.xp_mag_core);
	cnt = bpf_map__fd(skel->maps.xp_cnt_v1);
	cfg = bpf_map__fd(skel->maps.xp_cfg_v1);
	pfx = bpf_map__fd(skel->maps.xp_pfx_v1);
	bind = bpf_map__fd(skel->maps.xp_bind_v1);
	peer = bpf_map__fd(skel->maps.xp_peer_v1);

	cr_assert_eq(bt_set_cfg(cfg, PCOA, 1500, OUTER_HOPS, XP_CFG_F_ENABLED), 0);
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:a1::", 64, 1, 1, 0), 0);
	cr_assert_eq(bt_add_bind(bind, 1, 1, LMA, PCOA, env.if_c, BT_MAC_MN, BT_MAC_C,
				 XP_BF_ACTIVE), 0);
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:a2::", 64, 2, 1, XP_PFXF_OFFLINK), 0);
	cr_assert_eq(bt_add_bind(bind, 2, 1, LMA, PCOA, env.if_c, BT_MAC_MN, BT_MAC_C,
				 XP_BF_ACTIVE), 0);
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:a3::", 64, 3, 1, 0), 0);
	cr_assert_eq(bt_add_bind(bind, 3, 1, LMA, PCOA, env.if_c, BT_MAC_MN, BT_MAC_C, 0), 0);
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:a4::", 64, 4, 1, 0), 0);
	cr_assert_eq(bt_add_bind(bind, 4, 1, LMA, PCOA, env.if_a, BT_MAC_MN, BT_MAC_C,
				 XP_BF_ACTIVE), 0);
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:a5::", 64, 5, 1, 0), 0);
	cr_assert_eq(bt_add_bind(bind, 5, 1, LMA_NONEIGH, PCOA, env.if_c, BT_MAC_MN, BT_MAC_C,
				 XP_BF_ACTIVE), 0);
	cr_assert_eq(bt_add_peer(peer, LMA), 0);
}

static void teardown(void)
{
	xp_mag__destroy(skel);
}

TestSuite(mag, .init = setup, .fini = teardown);

static struct bt_result res;

static void expect(int prog, int ifindex, const struct pkt *p, uint32_t action, int reason)
{
	const char *d;

	cr_assert_eq(bt_run(prog, cnt, p->b, p->len, ifindex, &res), 0);
	d = bt_verdict_diff(&res, action, reason);
	cr_assert(!*d, "%s", d);
}

static void expect_out(const struct pkt *want)
{
	const char *d = bt_output_diff(&res, want->b, want->len);

	cr_assert(!*d, "%s", d);
}

static uint64_t bstat(uint32_t mn, uint16_t bid, int dl)
{
	struct xp_bind_key k = { .mn_id = mn, .bid = bid };
	struct xp_bind_stats st;

	if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.xp_bstat_v2), &k, &st))
		return 0;
	return dl ? st.dl_packets : st.ul_packets;
}

/* MN -> dst as received on the access link */
static void mn_udp(struct pkt *p, const char *src, const char *dst, uint8_t hops, size_t payload)
{
	pkt_init(p);
	pkt_eth(p, BT_MAC_C, BT_MAC_MN, 0x86dd);
	pkt_ip6(p, src, dst, XP_IPPROTO_UDP, hops, TC, FLOW);
	pkt_udp(p, 5000, 6000, payload);
	pkt_finish(p);
}

/* LMA -> MAG tunnel packet carrying CN -> dst */
static void lma_tunnel(struct pkt *p, const char *from, const char *to, const char *dst,
		       uint8_t hops, size_t payload)
{
	pkt_init(p);
	pkt_eth(p, BT_MAC_A, BT_MAC_GW2, 0x86dd);
	pkt_ip6(p, from, to, XP_IPPROTO_IPV6, 64, 0, 0);
	pkt_ip6(p, CN, dst, XP_IPPROTO_UDP, hops, TC, FLOW);
	pkt_udp(p, 7000, 8000, payload);
	pkt_finish(p);
}

/* ---- access side ---- */

Test(mag, access_uplink_encap_exact_bytes)
{
	struct pkt in, want;

	mn_udp(&in, MN1, CN, 64, 100);
	expect(acc, env.if_c, &in, XDP_REDIRECT, XP_R_UL_ENCAP);
	pkt_init(&want);
	pkt_eth(&want, BT_MAC_GW2, BT_MAC_A, 0x86dd);
	pkt_ip6(&want, PCOA, LMA, XP_IPPROTO_IPV6, OUTER_HOPS, TC, FLOW);
	pkt_ip6(&want, MN1, CN, XP_IPPROTO_UDP, 63, TC, FLOW);
	pkt_udp(&want, 5000, 6000, 100);
	pkt_finish(&want);
	expect_out(&want);
	cr_assert_eq(res.out[14 + 6], 41);
	cr_assert_eq(res.out[14 + 7], OUTER_HOPS);
	cr_assert_eq(bstat(1, 1, 0), 1);
}

Test(mag, access_wrong_interface_is_spoofing)
{
	struct pkt in;

	mn_udp(&in, MN1, CN, 64, 10);
	expect(acc, env.if_a, &in, XDP_DROP, XP_R_DROP_SPOOFED_SRC);
	mn_udp(&in, MN4, CN, 64, 10);
	expect(acc, env.if_c, &in, XDP_DROP, XP_R_DROP_SPOOFED_SRC);
}

Test(mag, access_unknown_source_is_spoofing)
{
	struct pkt in;

	mn_udp(&in, "2001:db8:55::1", CN, 64, 10);
	expect(acc, env.if_c, &in, XDP_DROP, XP_R_DROP_SPOOFED_SRC);
}

Test(mag, access_inactive_binding_drops)
{
	struct pkt in;

	mn_udp(&in, MN3, CN, 64, 10);
	expect(acc, env.if_c, &in, XDP_DROP, XP_R_DROP_NO_BINDING);
}

Test(mag, access_control_passes)
{
	struct pkt in;

	/* RS from the unspecified address to all-routers */
	pkt_init(&in);
	pkt_eth(&in, "33:33:00:00:00:02", BT_MAC_MN, 0x86dd);
	pkt_ip6(&in, "::", "ff02::2", XP_IPPROTO_ICMPV6, 255, 0, 0);
	pkt_icmp6(&in, XP_ICMP6_ROUTER_SOL, 0, 8);
	pkt_finish(&in);
	expect(acc, env.if_c, &in, XDP_PASS, XP_R_PASS_CONTROL);
	/* NS from a global address (ND is never tunnelled) */
	pkt_init(&in);
	pkt_eth(&in, BT_MAC_C, BT_MAC_MN, 0x86dd);
	pkt_ip6(&in, MN1, "fe80::c", XP_IPPROTO_ICMPV6, 255, 0, 0);
	pkt_icmp6(&in, XP_ICMP6_NEIGH_SOL, 0, 24);
	pkt_finish(&in);
	expect(acc, env.if_c, &in, XDP_PASS, XP_R_PASS_CONTROL);
	/* link-local source */
	mn_udp(&in, "fe80::e", CN, 64, 10);
	expect(acc, env.if_c, &in, XDP_PASS, XP_R_PASS_CONTROL);
	/* to the MAG's own address */
	mn_udp(&in, MN1, PCOA, 64, 10);
	expect(acc, env.if_c, &in, XDP_PASS, XP_R_PASS_CONTROL);
}

Test(mag, access_hop_limit)
{
	struct pkt in;

	mn_udp(&in, MN1, CN, 1, 10);
	expect(acc, env.if_c, &in, XDP_PASS, XP_R_PASS_HOP_LIMIT);
	cr_assert_eq(memcmp(res.out, in.b, in.len), 0, "unchanged");
}

Test(mag, access_packet_too_big)
{
	struct pkt in;
	uint8_t pcoa[16], mn[16];
	const uint8_t *ip;

	cr_assert_eq(bt_set_cfg(bpf_map__fd(skel->maps.xp_cfg_v1), PCOA, 1400, OUTER_HOPS,
				XP_CFG_F_ENABLED), 0);
	mn_udp(&in, MN1, CN, 64, 1360 - 48);
	expect(acc, env.if_c, &in, XDP_REDIRECT, XP_R_UL_ENCAP);
	mn_udp(&in, MN1, CN, 64, 1360 - 48 + 1);
	expect(acc, env.if_c, &in, XDP_TX, XP_R_PTB_SENT);
	ip = res.out + 14;
	pkt_addr(PCOA, pcoa);
	pkt_addr(MN1, mn);
	cr_assert_eq(res.out_len, 14 + 1280);
	cr_assert_eq(memcmp(res.out, in.b + 6, 6), 0, "back to the MN's MAC");
	cr_assert_eq(memcmp(ip + 8, pcoa, 16), 0);
	cr_assert_eq(memcmp(ip + 24, mn, 16), 0);
	cr_assert_eq(ip[40], XP_ICMP6_PKT_TOO_BIG);
	cr_assert_eq((uint32_t)ip[44] << 24 | ip[45] << 16 | ip[46] << 8 | ip[47], 1360u);
	cr_assert_eq(pkt_icmp6_verify(ip, 1280), 0, "ICMPv6 checksum");
}

Test(mag, access_no_neigh_passes_encapsulated)
{
	struct pkt in;

	mn_udp(&in, MN5, CN, 64, 10);
	expect(acc, env.if_c, &in, XDP_PASS, XP_R_PASS_NO_NEIGH);
	cr_assert_eq(res.out_len, in.len + 40);
	cr_assert_eq(memcmp(res.out, in.b, 14), 0, "Ethernet header kept");
	cr_assert_eq(res.out[14 + 6], 41);
}

Test(mag, access_disabled_and_not_ipv6)
{
	struct pkt in;

	pkt_init(&in);
	pkt_eth(&in, BT_MAC_C, BT_MAC_MN, 0x0800);
	pkt_fill(&in, 40, 9);
	expect(acc, env.if_c, &in, XDP_PASS, XP_R_PASS_NOT_IPV6);
	cr_assert_eq(bt_set_cfg(bpf_map__fd(skel->maps.xp_cfg_v1), PCOA, 1500, OUTER_HOPS, 0), 0);
	mn_udp(&in, MN1, CN, 64, 10);
	expect(acc, env.if_c, &in, XDP_PASS, XP_R_PASS_DISABLED);
	lma_tunnel(&in, LMA, PCOA, MN1, 64, 10);
	expect(core, env.if_a, &in, XDP_PASS, XP_R_PASS_DISABLED);
}

Test(mag, access_truncated_and_exthdr_limit)
{
	struct pkt full, cut;

	mn_udp(&full, MN1, CN, 64, 10);
	for (size_t l = 14; l < full.len; l++) {
		cut = full;
		cut.len = l;
		expect(acc, env.if_c, &cut, XDP_DROP, XP_R_DROP_MALFORMED);
	}
	pkt_init(&full);
	pkt_eth(&full, BT_MAC_C, BT_MAC_MN, 0x86dd);
	pkt_ip6(&full, MN1, CN, XP_IPPROTO_ROUTING, 64, 0, 0);
	for (int i = 0; i < 7; i++)
		pkt_ext(&full, i == 6 ? XP_IPPROTO_UDP : XP_IPPROTO_ROUTING, 0);
	pkt_udp(&full, 1, 2, 0);
	pkt_finish(&full);
	expect(acc, env.if_c, &full, XDP_DROP, XP_R_DROP_EXTHDR_LIMIT);
}

/* ---- core side ---- */

Test(mag, core_downlink_deliver_exact_bytes)
{
	struct pkt in, want;

	lma_tunnel(&in, LMA, PCOA, MN1, 64, 100);
	expect(core, env.if_a, &in, XDP_REDIRECT, XP_R_DL_DELIVER);
	pkt_init(&want);
	pkt_eth(&want, BT_MAC_MN, BT_MAC_C, 0x86dd);
	pkt_ip6(&want, CN, MN1, XP_IPPROTO_UDP, 63, TC, FLOW);
	pkt_udp(&want, 7000, 8000, 100);
	pkt_finish(&want);
	expect_out(&want);
	cr_assert_eq(bstat(1, 1, 1), 1);
}

Test(mag, core_offlink_prefix_delivered)
{
	struct pkt in;

	lma_tunnel(&in, LMA, PCOA, MN2, 64, 10);
	expect(core, env.if_a, &in, XDP_REDIRECT, XP_R_DL_DELIVER);
}

Test(mag, core_unknown_peer_drops)
{
	struct pkt in;

	lma_tunnel(&in, LMA_UNKNOWN, PCOA, MN1, 64, 10);
	expect(core, env.if_a, &in, XDP_DROP, XP_R_DROP_UNKNOWN_PEER);
}

Test(mag, core_no_binding_drops)
{
	struct pkt in;

	lma_tunnel(&in, LMA, PCOA, "2001:db8:55::1", 64, 10);
	expect(core, env.if_a, &in, XDP_DROP, XP_R_DROP_NO_BINDING);
	lma_tunnel(&in, LMA, PCOA, MN3, 64, 10);
	expect(core, env.if_a, &in, XDP_DROP, XP_R_DROP_NO_BINDING);
}

Test(mag, core_not_tunnel_passes)
{
	struct pkt in;

	/* plain UDP to the Proxy-CoA */
	pkt_init(&in);
	pkt_eth(&in, BT_MAC_A, BT_MAC_GW2, 0x86dd);
	pkt_ip6(&in, LMA, PCOA, XP_IPPROTO_UDP, 64, 0, 0);
	pkt_udp(&in, 1, 2, 10);
	pkt_finish(&in);
	expect(core, env.if_a, &in, XDP_PASS, XP_R_PASS_NOT_TUNNEL);
	/* a tunnel packet for someone else */
	lma_tunnel(&in, LMA, "2001:db8:1::77", MN1, 64, 10);
	expect(core, env.if_a, &in, XDP_PASS, XP_R_PASS_NOT_TUNNEL);
	/* Mobility Header (PBA) */
	pkt_init(&in);
	pkt_eth(&in, BT_MAC_A, BT_MAC_GW2, 0x86dd);
	pkt_ip6(&in, LMA, PCOA, XP_IPPROTO_MH, 64, 0, 0);
	pkt_fill(&in, 32, 59);
	pkt_finish(&in);
	expect(core, env.if_a, &in, XDP_PASS, XP_R_PASS_CONTROL);
}

Test(mag, core_hop_limit_passes_decapsulated)
{
	struct pkt in;

	lma_tunnel(&in, LMA, PCOA, MN1, 1, 10);
	expect(core, env.if_a, &in, XDP_PASS, XP_R_PASS_HOP_LIMIT);
	cr_assert_eq(res.out_len, in.len - 40);
	cr_assert_eq(memcmp(res.out, in.b, 14), 0, "still addressed to us");
	cr_assert_eq(memcmp(res.out + 14, in.b + 54, in.len - 54), 0);
}

Test(mag, core_truncated_inner)
{
	struct pkt full, cut;

	lma_tunnel(&full, LMA, PCOA, MN1, 64, 10);
	for (size_t l = 14; l < full.len; l++) {
		cut = full;
		cut.len = l;
		expect(core, env.if_a, &cut, XDP_DROP, XP_R_DROP_MALFORMED);
	}
	for (size_t l = 54; l < full.len; l++) {
		cut = full;
		cut.len = l;
		cut.n_ip = 1;
		pkt_finish(&cut);
		expect(core, env.if_a, &cut, XDP_DROP, XP_R_DROP_MALFORMED);
	}
	/* inner Payload Length larger than what the outer packet carries */
	cut = full;
	cut.b[54 + 5] += 1;
	expect(core, env.if_a, &cut, XDP_DROP, XP_R_DROP_MALFORMED);
}
