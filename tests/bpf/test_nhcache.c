// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_nhcache.c - the next-hop cache in front of bpf_fib_lookup
 * (bpf/xp_fib.h, xp_nh_v1 / xp_nhgen_v1) and its invalidation by the agent
 * (user/nhwatch.c), through BPF_PROG_TEST_RUN in a private namespace
 * (tests/lib/bpftest.h: MAG1 2001:db8:1::2 is neighbour 02:..:02 on xpa).
 *
 * How a hit is told from a miss: after a miss fills the entry, the test
 * writes a marker MAC into it; a packet that leaves with the marker was
 * forwarded from the cache without asking the FIB, one that leaves with the
 * neighbour's real MAC asked the FIB.
 */
#include <criterion/criterion.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xpmip_maps.h"
#include "xpmip_wire.h"
#include "lma.skel.h"
#include "mag.skel.h"
#include "nhwatch.h"
#include "pkt.h"
#include "bpftest.h"

#define LMA	"2001:db8:1::1"
#define MAG1	"2001:db8:1::2"		/* neighbour 02:..:02 */
#define MAG_NONEIGH "2001:db8:1::4"
#define CN	"2001:db8:99::5"
#define MN1	"2001:db8:a1::10"
#define MN2	"2001:db8:a2::10"
#define MARKER	"02:00:00:00:00:77"	/* never a real neighbour */
#define NEWMAC	"02:00:00:00:00:42"

static struct xp_lma *skel;
static struct bt_env env;
static int prog, cnt, nh, nhgen, cfg;

static void setup(void)
{
	int pfx, bind;

	cr_assert_eq(bt_netns(&env), 0, "network namespace");
	skel = BT_OPEN_AND_LOAD(xp_lma);
	cr_assert_not_null(skel, "load lma.bpf.o");
	prog = bpf_program__fd(skel->progs.xp_lma_rx);
	cnt = bpf_map__fd(skel->maps.xp_cnt_v1);
	cfg = bpf_map__fd(skel->maps.xp_cfg_v1);
	pfx = bpf_map__fd(skel->maps.xp_pfx_v1);
	bind = bpf_map__fd(skel->maps.xp_bind_v1);
	nh = bpf_map__fd(skel->maps.xp_nh_v1);
	nhgen = bpf_map__fd(skel->maps.xp_nhgen_v1);

	cr_assert_eq(bt_set_cfg(cfg, LMA, 1500, 64, XP_CFG_F_ENABLED), 0);
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:a1::", 64, 1, 1, 0), 0);
	cr_assert_eq(bt_add_bind(bind, 1, 1, MAG1, LMA, 0, NULL, NULL, XP_BF_ACTIVE), 0);
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:a2::", 64, 2, 1, 0), 0);
	cr_assert_eq(bt_add_bind(bind, 2, 1, MAG_NONEIGH, LMA, 0, NULL, NULL, XP_BF_ACTIVE), 0);
}

static void teardown(void)
{
	xp_lma__destroy(skel);
}

TestSuite(nhcache, .init = setup, .fini = teardown);

static struct bt_result res;

/* CN -> dst through the LMA; assert action and the one reason */
static void send_dl(const char *dst, size_t payload, uint32_t action, int reason)
{
	struct pkt p;

	pkt_init(&p);
	pkt_eth(&p, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(&p, CN, dst, XP_IPPROTO_UDP, 64, 0, 0);
	pkt_udp(&p, 1000, 2000, payload);
	pkt_finish(&p);
	cr_assert_eq(bt_run(prog, cnt, p.b, p.len, env.if_a, &res), 0);
	cr_assert_eq(res.retval, action, "action %s, want %s", bt_action(res.retval),
		     bt_action(action));
	cr_assert_eq(res.total, 1, "%d counter increments, want exactly 1", res.total);
	cr_assert_eq(res.cnt_delta[reason], 1, "reason %s not counted", xp_reason_names[reason]);
}

static void expect_dmac(const char *mac)
{
	uint8_t m[6];

	pkt_mac(mac, m);
	cr_assert_geq(res.out_len, 14);
	cr_assert_eq(memcmp(res.out, m, 6), 0, "destination MAC %02x:..:%02x, want %s",
		     res.out[0], res.out[5], mac);
}

static void key_of(const char *peer, struct xp_nh_key *k)
{
	memset(k, 0, sizeof(*k));
	pkt_addr(peer, k->dst.a8);
	pkt_addr(LMA, k->src.a8);
}

static uint32_t gen_now(void)
{
	struct xp_nhgen g;
	uint32_t zero = 0;

	cr_assert_eq(bpf_map_lookup_elem(nhgen, &zero, &g), 0);
	return g.gen;
}

/* Overwrite MAG1's cached next hop with the marker MAC */
static void poison(struct xp_nh_val *v)
{
	struct xp_nh_key k;

	key_of(MAG1, &k);
	cr_assert_eq(bpf_map_lookup_elem(nh, &k, v), 0, "MAG1's next hop is cached");
	pkt_mac(MARKER, v->dmac);
	cr_assert_eq(bpf_map_update_elem(nh, &k, v, BPF_EXIST), 0);
}

Test(nhcache, miss_asks_the_fib_and_fills_the_entry)
{
	struct xp_nh_key k;
	struct xp_nh_val v;
	uint8_t gw2[6], mac_a[6];

	key_of(MAG1, &k);
	cr_assert_neq(bpf_map_lookup_elem(nh, &k, &v), 0, "empty before the first packet");
	send_dl(MN1, 100, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_dmac(BT_MAC_GW2);
	cr_assert_eq(bpf_map_lookup_elem(nh, &k, &v), 0, "filled by the miss");
	pkt_mac(BT_MAC_GW2, gw2);
	pkt_mac(BT_MAC_A, mac_a);
	cr_assert_eq(memcmp(v.dmac, gw2, 6), 0);
	cr_assert_eq(memcmp(v.smac, mac_a, 6), 0);
	cr_assert_eq(v.oif, (uint32_t)env.if_a);
	cr_assert_eq(v.iif, (uint32_t)env.if_a);
	cr_assert_eq(v.gen, gen_now());
	cr_assert_eq(v.mtu, 1500, "route MTU from bpf_fib_lookup (kernel >= 5.12)");
}

Test(nhcache, hit_skips_the_fib)
{
	struct xp_nh_val v;

	send_dl(MN1, 100, XDP_REDIRECT, XP_R_DL_FORWARD);
	poison(&v);
	send_dl(MN1, 100, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_dmac(MARKER);
	/* the source MAC and the egress come from the entry too */
	cr_assert_eq(res.out_len, 14 + 40 + 40 + 8 + 100);
}

Test(nhcache, generation_bump_invalidates)
{
	struct xp_nh_key k;
	struct xp_nh_val v;
	uint32_t g0 = gen_now();

	send_dl(MN1, 100, XDP_REDIRECT, XP_R_DL_FORWARD);
	poison(&v);
	cr_assert_eq(nh_gen_bump(nhgen), 0);
	cr_assert_eq(gen_now(), g0 + 1);
	send_dl(MN1, 100, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_dmac(BT_MAC_GW2);
	key_of(MAG1, &k);
	cr_assert_eq(bpf_map_lookup_elem(nh, &k, &v), 0);
	cr_assert_eq(v.gen, g0 + 1, "refilled under the new generation");
	send_dl(MN1, 100, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_dmac(BT_MAC_GW2);
}

Test(nhcache, old_entry_expires)
{
	struct xp_nh_key k;
	struct xp_nh_val v;

	send_dl(MN1, 100, XDP_REDIRECT, XP_R_DL_FORWARD);
	poison(&v);
	v.stamp -= 2 * XP_NH_MAX_AGE_JIFFIES;	/* older than the limit */
	key_of(MAG1, &k);
	cr_assert_eq(bpf_map_update_elem(nh, &k, &v, BPF_EXIST), 0);
	send_dl(MN1, 100, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_dmac(BT_MAC_GW2);
}

Test(nhcache, packet_above_the_cached_mtu_asks_the_fib)
{
	struct xp_nh_key k;
	struct xp_nh_val v;

	send_dl(MN1, 100, XDP_REDIRECT, XP_R_DL_FORWARD);
	poison(&v);
	v.mtu = 200;	/* the encapsulated packet below is 40 + 40 + 8 + 200 */
	key_of(MAG1, &k);
	cr_assert_eq(bpf_map_update_elem(nh, &k, &v, BPF_EXIST), 0);
	send_dl(MN1, 200, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_dmac(BT_MAC_GW2);
	cr_assert_eq(bpf_map_lookup_elem(nh, &k, &v), 0);
	cr_assert_eq(v.mtu, 1500, "refilled with the route's MTU");
}

Test(nhcache, entry_for_another_ingress_is_not_used)
{
	struct xp_nh_key k;
	struct xp_nh_val v;

	send_dl(MN1, 100, XDP_REDIRECT, XP_R_DL_FORWARD);
	poison(&v);
	v.iif = (uint32_t)env.if_c;
	key_of(MAG1, &k);
	cr_assert_eq(bpf_map_update_elem(nh, &k, &v, BPF_EXIST), 0);
	send_dl(MN1, 100, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_dmac(BT_MAC_GW2);
	cr_assert_eq(bpf_map_lookup_elem(nh, &k, &v), 0);
	cr_assert_eq(v.iif, (uint32_t)env.if_a, "refilled for this ingress");
}

Test(nhcache, unresolved_neighbour_is_not_cached)
{
	struct xp_nh_key k;
	struct xp_nh_val v;

	send_dl(MN2, 100, XDP_PASS, XP_R_PASS_NO_NEIGH);
	key_of(MAG_NONEIGH, &k);
	cr_assert_neq(bpf_map_lookup_elem(nh, &k, &v), 0);
	send_dl(MN2, 100, XDP_PASS, XP_R_PASS_NO_NEIGH);
}

Test(nhcache, disabled_by_config_flag)
{
	struct xp_nh_key k;
	struct xp_nh_val v;

	cr_assert_eq(bt_set_cfg(cfg, LMA, 1500, 64, XP_CFG_F_ENABLED | XP_CFG_F_NO_NHCACHE), 0);
	send_dl(MN1, 100, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_dmac(BT_MAC_GW2);
	key_of(MAG1, &k);
	cr_assert_neq(bpf_map_lookup_elem(nh, &k, &v), 0, "nothing cached when disabled");
	/* and a cached entry is not used either */
	cr_assert_eq(bt_set_cfg(cfg, LMA, 1500, 64, XP_CFG_F_ENABLED), 0);
	send_dl(MN1, 100, XDP_REDIRECT, XP_R_DL_FORWARD);
	poison(&v);
	cr_assert_eq(bt_set_cfg(cfg, LMA, 1500, 64, XP_CFG_F_ENABLED | XP_CFG_F_NO_NHCACHE), 0);
	send_dl(MN1, 100, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_dmac(BT_MAC_GW2);
}

/* Wait for the watch's socket and let it read what the kernel sent */
static void watch_settle(struct nh_watch *w)
{
	struct pollfd pfd = { .fd = nh_watch_fd(w), .events = POLLIN };

	cr_assert_eq(poll(&pfd, 1, 2000), 1, "a notification within 2 s");
	cr_assert_eq(nh_watch_dispatch(w), 0);
}

static void sh(const char *cmd)
{
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}

/* End to end: the agent's rtnetlink watch sees the kernel change the next
 * hop's MAC, and the next packet carries the new one. Without the watch
 * the cached (old) MAC would still be used: asserted first. */
Test(nhcache, neighbour_mac_change_is_honoured)
{
	struct nh_watch *w;
	uint32_t g0;

	cr_assert_eq(nh_watch_open(nhgen, &w), 0);
	g0 = gen_now();
	send_dl(MN1, 100, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_dmac(BT_MAC_GW2);
	sh("ip -6 neigh replace " MAG1 " lladdr " NEWMAC " dev xpa nud permanent");
	send_dl(MN1, 100, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_dmac(BT_MAC_GW2);	/* stale: the watch has not run yet */
	watch_settle(w);
	cr_assert_gt(gen_now(), g0, "the watch bumped the generation");
	send_dl(MN1, 100, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_dmac(NEWMAC);
	nh_watch_close(w);
}

Test(nhcache, route_change_is_honoured)
{
	struct nh_watch *w;

	cr_assert_eq(nh_watch_open(nhgen, &w), 0);
	send_dl(MN1, 100, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_dmac(BT_MAC_GW2);
	/* MAG1 now reached through the other router (neighbour 02:..:03) */
	sh("ip -6 route add " MAG1 "/128 via 2001:db8:1::3 dev xpa");
	watch_settle(w);
	send_dl(MN1, 100, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_dmac(BT_MAC_GW3);
	sh("ip -6 route del " MAG1 "/128");
	watch_settle(w);
	send_dl(MN1, 100, XDP_REDIRECT, XP_R_DL_FORWARD);
	expect_dmac(BT_MAC_GW2);
	nh_watch_close(w);
}

/* The fresh namespace's IPv6 link-local set-up (DAD, its local routes)
 * notifies on its own schedule, so each try first drains what is pending
 * and one quiet try is enough. */
Test(nhcache, watch_ignores_ipv4_neighbours)
{
	struct nh_watch *w;
	char cmd[160];
	int quiet = 0;

	cr_assert_eq(nh_watch_open(nhgen, &w), 0);
	sh("ip -4 addr add 192.0.2.1/24 dev xpa");
	for (int i = 0; i < 10 && !quiet; i++) {
		uint32_t g0;

		usleep(200 * 1000);
		cr_assert_eq(nh_watch_dispatch(w), 0);
		g0 = gen_now();
		snprintf(cmd, sizeof(cmd), "ip -4 neigh replace 192.0.2.%d lladdr " NEWMAC
			 " dev xpa nud permanent", 10 + i);
		sh(cmd);
		usleep(100 * 1000);
		cr_assert_eq(nh_watch_dispatch(w), 0);
		quiet = gen_now() == g0;
	}
	cr_assert(quiet, "every IPv4 neighbour change bumped the generation");
	nh_watch_close(w);
}

/* The MAG uplink goes through the same cache */
Test(nhcache, mag_uplink_hit_and_invalidation)
{
	struct xp_mag *m = BT_OPEN_AND_LOAD(xp_mag);
	int acc, mcnt, mnh, mgen;
	struct xp_nh_key k;
	struct xp_nh_val v;
	struct pkt p;

	cr_assert_not_null(m);
	acc = bpf_program__fd(m->progs.xp_mag_access);
	mcnt = bpf_map__fd(m->maps.xp_cnt_v1);
	mnh = bpf_map__fd(m->maps.xp_nh_v1);
	mgen = bpf_map__fd(m->maps.xp_nhgen_v1);
	/* the MAG's Proxy-CoA is LMA's address here, its LMA is MAG1 */
	cr_assert_eq(bt_set_cfg(bpf_map__fd(m->maps.xp_cfg_v1), LMA, 1500, 64, XP_CFG_F_ENABLED), 0);
	cr_assert_eq(bt_add_prefix(bpf_map__fd(m->maps.xp_pfx_v1), "2001:db8:a1::", 64, 1, 1, 0), 0);
	cr_assert_eq(bt_add_bind(bpf_map__fd(m->maps.xp_bind_v1), 1, 1, MAG1, LMA, env.if_c,
				 BT_MAC_MN, BT_MAC_C, XP_BF_ACTIVE), 0);
	pkt_init(&p);
	pkt_eth(&p, BT_MAC_C, BT_MAC_MN, 0x86dd);
	pkt_ip6(&p, MN1, CN, XP_IPPROTO_UDP, 64, 0, 0);
	pkt_udp(&p, 5000, 6000, 50);
	pkt_finish(&p);
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(bt_run(acc, mcnt, p.b, p.len, env.if_c, &res), 0);
		cr_assert_eq(res.retval, XDP_REDIRECT);
		cr_assert_eq(res.cnt_delta[XP_R_UL_ENCAP], 1);
		expect_dmac(i == 2 ? MARKER : BT_MAC_GW2);
		memset(&k, 0, sizeof(k));
		pkt_addr(MAG1, k.dst.a8);
		pkt_addr(LMA, k.src.a8);
		cr_assert_eq(bpf_map_lookup_elem(mnh, &k, &v), 0, "cached after packet %d", i);
		if (i == 1) {	/* packet 2 must come from the cache */
			pkt_mac(MARKER, v.dmac);
			cr_assert_eq(bpf_map_update_elem(mnh, &k, &v, BPF_EXIST), 0);
		}
		if (i == 2)	/* packet 3 after a bump: the FIB again */
			cr_assert_eq(nh_gen_bump(mgen), 0);
	}
	xp_mag__destroy(m);
}
