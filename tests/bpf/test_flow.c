// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_flow.c - the LMA downlink's flow mobility decision (bpf/xp_flow.h)
 * through BPF_PROG_TEST_RUN: entries built by the agent's own code
 * (fmcache -> flowdp -> xp_fsel_v1), classification order (flow entry,
 * then the IFP choice, then the prefix owner), every selector field at the
 * edges of its range, the drop action, and the exact-match flow cache
 * (miss, hit, invalidation by flow_gen).
 *
 * MN 1: prefix 2001:db8:a1::/64 owned by BID 1 (via MAG1); BID 2 via MAG3.
 * Which binding a packet took is read from the output's outer destination.
 */
#include <criterion/criterion.h>
/* PK(.field = x) overrides the defaults of the macro on purpose */
#pragma GCC diagnostic ignored "-Woverride-init"
#include <arpa/inet.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bcache.h"
#include "flowdp.h"
#include "fmcache.h"
#include "flowsel.h"
#include "xpmip_maps.h"
#include "xpmip_wire.h"
#include "lma.skel.h"
#include "pkt.h"
#include "bpftest.h"

#define LMA	"2001:db8:1::1"
#define MAG1	"2001:db8:1::2"		/* neighbour 02:..:02 */
#define MAG3	"2001:db8:1::3"		/* neighbour 02:..:03 */
#define CN	"2001:db8:99::5"
#define MN	"2001:db8:a1::10"
#define OUTER_DST_OFF	(14 + 24)
#define GEN0	7

static struct xp_lma *skel;
static struct bt_env env;
static int prog, cnt, mnfd, fsel, fcache;
static struct bcache *bc;
static struct fmcache *fc;
static struct bc_mn *mn;
static uint32_t mn_id = 1;

static void set_mn(uint8_t flags, uint32_t gen, uint8_t n_dl, uint16_t dl_bid)
{
	struct xp_mn_val mv = { .flow_gen = gen, .flags = flags, .n_dl = n_dl,
				.dl_bid = { dl_bid } };

	cr_assert_eq(bpf_map_update_elem(mnfd, &mn_id, &mv, BPF_ANY), 0);
}

static void setup(void)
{
	int err;

	cr_assert_eq(bt_netns(&env), 0, "network namespace");
	skel = BT_OPEN_AND_LOAD(xp_lma);
	cr_assert_not_null(skel, "load lma.bpf.o");
	prog = bpf_program__fd(skel->progs.xp_lma_rx);
	cnt = bpf_map__fd(skel->maps.xp_cnt_v1);
	mnfd = bpf_map__fd(skel->maps.xp_mn_v1);
	fsel = bpf_map__fd(skel->maps.xp_fsel_v1);
	fcache = bpf_map__fd(skel->maps.xp_fcache_v1);
	cr_assert_eq(bt_set_cfg(bpf_map__fd(skel->maps.xp_cfg_v1), LMA, 1500, 61, XP_CFG_F_ENABLED), 0);
	cr_assert_eq(bt_add_prefix(bpf_map__fd(skel->maps.xp_pfx_v1), "2001:db8:a1::", 64, 1, 1, 0), 0);
	cr_assert_eq(bt_add_bind(bpf_map__fd(skel->maps.xp_bind_v1), 1, 1, MAG1, LMA, 0, NULL, NULL,
				 XP_BF_ACTIVE), 0);
	cr_assert_eq(bt_add_bind(bpf_map__fd(skel->maps.xp_bind_v1), 1, 2, MAG3, LMA, 0, NULL, NULL,
				 XP_BF_ACTIVE), 0);
	set_mn(XP_MNF_FLOWS, GEN0, 0, 0);
	/* the agent's view: MN "mn1" with bindings 1 and 2 registered */
	cr_assert_eq(bcache_new(4, &bc), 0);
	cr_assert_not_null(bcache_add(bc, "mn1", 1, 0, &err));
	cr_assert_not_null(bcache_add(bc, "mn1", 2, 0, &err));
	mn = bcache_mn(bc, "mn1");
	cr_assert_eq(fmcache_new(-1, &fc), 0);
}

static void teardown(void)
{
	fmcache_free(fc);
	bcache_free(bc, NULL, NULL);
	xp_lma__destroy(skel);
}

TestSuite(flow, .init = setup, .fini = teardown);

/* "flow add mn1 ..." as an operator types it: parsed, stored, applied */
static void flow_add(const char *line)
{
	char buf[512], *argv[64], *save = NULL, err[FLOWSEL_ERR_MAX];
	int argc = 0;
	struct flow_cmd c;

	snprintf(buf, sizeof(buf), "flow add mn1 %s", line);
	for (char *t = strtok_r(buf, " ", &save); t && argc < 64; t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	cr_assert_eq(flow_cmd_parse(argc, argv, &c, err), 0, "%s: %s", line, err);
	cr_assert_eq(fmcache_put(fc, "mn1", &c.e, FM_PUT_ADD), 0, "%s", line);
}

/* what lma_flows_changed() writes, with the generation gen */
static void apply(uint32_t gen)
{
	const struct fm_entry *e;
	size_t n = fmcache_list(fc, "mn1", &e);
	struct xp_flow_set *set = calloc(1, sizeof(*set));

	cr_assert_not_null(set);
	flowdp_build(e, n, mn, set);
	set->gen = gen;
	cr_assert_eq(bpf_map_update_elem(fsel, &mn_id, set, BPF_ANY), 0);
	set_mn(XP_MNF_FLOWS, gen, 0, 0);
	free(set);
}

static struct bt_result res;

static void run(const struct pkt *p, uint32_t action, int reason)
{
	cr_assert_eq(bt_run(prog, cnt, p->b, p->len, env.if_a, &res), 0);
	cr_assert_eq(res.retval, action, "action %s, want %s", bt_action(res.retval),
		     bt_action(action));
	cr_assert_eq(res.total, 1, "%d counter increments, want exactly 1", res.total);
	cr_assert_eq(res.cnt_delta[reason], 1, "reason %s not counted", xp_reason_names[reason]);
}

/* the Proxy-CoA the packet was tunnelled to: 1 (MAG1), 3 (MAG3), 0 dropped */
static int via(const struct pkt *p)
{
	uint8_t m1[16], m3[16];

	cr_assert_eq(bt_run(prog, cnt, p->b, p->len, env.if_a, &res), 0);
	cr_assert_eq(res.total, 1);
	if (res.retval == XDP_DROP)
		return 0;
	cr_assert_eq(res.retval, XDP_REDIRECT, "action %s", bt_action(res.retval));
	pkt_addr(MAG1, m1);
	pkt_addr(MAG3, m3);
	if (!memcmp(res.out + OUTER_DST_OFF, m1, 16))
		return 1;
	if (!memcmp(res.out + OUTER_DST_OFF, m3, 16))
		return 3;
	cr_assert_fail("tunnelled to an unknown peer");
	return -1;
}

struct pk {
	const char *src, *dst;
	uint8_t nh, tc;
	uint32_t fl;
	uint16_t sport, dport;
	uint32_t spi;
};

#define PK(...) ((struct pk){ .src = CN, .dst = MN, .nh = XP_IPPROTO_UDP, .sport = 1000, \
			      .dport = 2000, __VA_ARGS__ })

static void build(struct pkt *p, struct pk k)
{
	pkt_init(p);
	pkt_eth(p, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(p, k.src, k.dst, k.nh, 64, k.tc, k.fl);
	if (k.nh == XP_IPPROTO_UDP) {
		pkt_udp(p, k.sport, k.dport, 16);
	} else if (k.nh == XP_IPPROTO_ESP) {
		uint8_t esp[16] = { k.spi >> 24, k.spi >> 16, k.spi >> 8, k.spi, 0, 0, 0, 1 };

		pkt_bytes(p, esp, sizeof(esp));
	} else if (k.nh == XP_IPPROTO_ICMPV6) {
		pkt_icmp6(p, 128, 0, 8);
	} else {
		uint8_t l4[20] = { k.sport >> 8, k.sport, k.dport >> 8, k.dport };

		pkt_bytes(p, l4, sizeof(l4));
	}
	pkt_finish(p);
}

static int via_k(struct pk k)
{
	struct pkt p;

	build(&p, k);
	return via(&p);
}

Test(flow, order_flow_entry_then_ifp_then_prefix_owner)
{
	flow_add("fid 1 pri 10 bid 1 proto udp dport 2000");
	apply(GEN0);
	/* the IFP choice says BID 2; the flow entry says BID 1 and wins */
	set_mn(XP_MNF_FLOWS, GEN0, 1, 2);
	cr_assert_eq(via_k(PK()), 1, "flow entry first");
	cr_assert_eq(via_k(PK(.dport = 2001)), 3, "no entry matches: the IFP choice");
	set_mn(XP_MNF_FLOWS, GEN0 + 1, 0, 0);
	cr_assert_eq(via_k(PK(.dport = 2001)), 1, "no IFP choice: the prefix owner");
	flow_add("fid 2 pri 5 bid 2 proto udp");
	apply(GEN0 + 2);
	cr_assert_eq(via_k(PK()), 3, "the lower FID-PRI wins when two entries match");
	flow_add("fid 3 pri 1 bid 1 dport 2000");
	apply(GEN0 + 3);
	cr_assert_eq(via_k(PK()), 1);
	cr_assert_eq(via_k(PK(.dport = 2002)), 3);
}

/* 000 5.2 (unique-address): IF2's own address has a /128 naming BID 2
 * (XP_PFXF_HOA, user/lma.c). Flow entries still decide first; the /128
 * replaces the prefix owner as the default for that address only. */
Test(flow, flow_entry_then_the_hoa_host_route)
{
	cr_assert_eq(bt_add_prefix(bpf_map__fd(skel->maps.xp_pfx_v1), "2001:db8:a1::20", 128, 1, 2,
				   XP_PFXF_HOA | XP_PFXF_LONG), 0);
	flow_add("fid 1 pri 10 bid 1 proto udp dport 2000");
	apply(GEN0);
	cr_assert_eq(via_k(PK(.dst = "2001:db8:a1::20")), 1, "flow entry first");
	cr_assert_eq(via_k(PK(.dst = "2001:db8:a1::20", .dport = 2001)), 3,
		     "no entry matches: the /128's binding");
	cr_assert_eq(via_k(PK(.dport = 2001)), 1, "another address: the prefix owner");
}

Test(flow, only_mns_flagged_with_flows_walk)
{
	struct xp_fc_key k, next;

	flow_add("fid 1 bid 2 proto udp");
	apply(GEN0);
	set_mn(0, GEN0, 0, 0);	/* entries in the map, flag off */
	cr_assert_eq(via_k(PK()), 1, "the prefix owner");
	cr_assert_neq(bpf_map_get_next_key(fcache, NULL, &next), 0, "no flow cache entry made");
	(void)k;
	set_mn(XP_MNF_FLOWS, GEN0, 0, 0);
	cr_assert_eq(via_k(PK()), 3);
}

Test(flow, drop_action)
{
	struct pkt p;

	flow_add("fid 9 pri 1 action drop proto udp sport 1000");
	flow_add("fid 10 pri 2 bid 2 proto udp");
	apply(GEN0);
	build(&p, PK());
	run(&p, XDP_DROP, XP_R_DROP_FLOW_ACTION);
	build(&p, PK(.sport = 1001));
	run(&p, XDP_REDIRECT, XP_R_DL_FORWARD);
	cr_assert_eq(res.out[OUTER_DST_OFF + 15], 3, "to MAG3 by fid 10");
	run(&p, XDP_REDIRECT, XP_R_DL_FORWARD);	/* cached: same verdict */
	build(&p, PK());
	run(&p, XDP_DROP, XP_R_DROP_FLOW_ACTION);	/* cached drop */
}

/* selector "sel" matches exactly the packets whose field is in [lo, hi] */
#define EDGES(sel, field, lo, hi)						\
	do {									\
		flow_add("fid 1 bid 2 " sel);					\
		apply(GEN0);							\
		cr_assert_eq(via_k(PK(field = (lo) - 1)), 1, sel ": below");	\
		cr_assert_eq(via_k(PK(field = (lo))), 3, sel ": start");	\
		cr_assert_eq(via_k(PK(field = (hi))), 3, sel ": end");		\
		cr_assert_eq(via_k(PK(field = (hi) + 1)), 1, sel ": above");	\
	} while (0)

Test(flow, sport_range_edges) { EDGES("sport 5000-6000", .sport, 5000, 6000); }
Test(flow, dport_range_edges) { EDGES("dport 80-81", .dport, 80, 81); }
Test(flow, tclass_range_edges) { EDGES("tclass 0x10-0x20", .tc, 0x10, 0x20); }
Test(flow, flowlabel_range_edges) { EDGES("flowlabel 0x12345-0x12350", .fl, 0x12345, 0x12350); }
Test(flow, single_value_edges) { EDGES("dport 5001", .dport, 5001, 5001); }

Test(flow, full_range_ends)
{
	/* the largest values: no overflow at the top of a field */
	flow_add("fid 1 bid 2 flowlabel 0xffffe-0xfffff tclass 0xff sport 65535");
	apply(GEN0);
	cr_assert_eq(via_k(PK(.fl = 0xfffff, .tc = 0xff, .sport = 65535)), 3);
	cr_assert_eq(via_k(PK(.fl = 0xffffd, .tc = 0xff, .sport = 65535)), 1);
	cr_assert_eq(via_k(PK(.fl = 0xfffff, .tc = 0xfe, .sport = 65535)), 1);
	cr_assert_eq(via_k(PK(.fl = 0xfffff, .tc = 0xff, .sport = 65534)), 1);
}

Test(flow, next_header_range_and_ports_need_ports)
{
	flow_add("fid 1 pri 1 bid 2 proto 17-17");
	flow_add("fid 2 pri 2 bid 2 dport 0-65535");
	apply(GEN0);
	cr_assert_eq(via_k(PK()), 3, "UDP");
	cr_assert_eq(via_k(PK(.nh = XP_IPPROTO_ICMPV6)), 1,
		     "ICMPv6: not next header 17, and no ports to match any port range");
	cr_assert_eq(via_k(PK(.nh = XP_IPPROTO_TCP, .dport = 80)), 3, "TCP has ports");
}

Test(flow, next_header_edges)
{
	flow_add("fid 1 bid 2 proto 6-17");
	apply(GEN0);
	cr_assert_eq(via_k(PK(.nh = XP_IPPROTO_TCP)), 3, "6: start");
	cr_assert_eq(via_k(PK(.nh = XP_IPPROTO_UDP)), 3, "17: end");
	cr_assert_eq(via_k(PK(.nh = XP_IPPROTO_ICMPV6)), 1, "58: above");
	cr_assert_eq(via_k(PK(.nh = 5)), 1, "5: below");
}

Test(flow, spi_range_edges)
{
	flow_add("fid 1 bid 2 spi 0x100-0x1ff");
	apply(GEN0);
	cr_assert_eq(via_k(PK(.nh = XP_IPPROTO_ESP, .spi = 0xff)), 1);
	cr_assert_eq(via_k(PK(.nh = XP_IPPROTO_ESP, .spi = 0x100)), 3);
	cr_assert_eq(via_k(PK(.nh = XP_IPPROTO_ESP, .spi = 0x1ff)), 3);
	cr_assert_eq(via_k(PK(.nh = XP_IPPROTO_ESP, .spi = 0x200)), 1);
	cr_assert_eq(via_k(PK(.sport = 0x100, .dport = 0x100)), 1, "UDP has no SPI");
}

Test(flow, address_ranges_and_prefixes_edges)
{
	flow_add("fid 1 pri 1 bid 2 src 2001:db8:99::5-2001:db8:99::7");
	flow_add("fid 2 pri 2 bid 2 dst 2001:db8:a1::20/127");
	apply(GEN0);
	cr_assert_eq(via_k(PK(.src = "2001:db8:99::4")), 1);
	cr_assert_eq(via_k(PK(.src = "2001:db8:99::5")), 3);
	cr_assert_eq(via_k(PK(.src = "2001:db8:99::7")), 3);
	cr_assert_eq(via_k(PK(.src = "2001:db8:99::8")), 1);
	cr_assert_eq(via_k(PK(.src = "2001:db8:98::6")), 1, "the high half decides first");
	cr_assert_eq(via_k(PK(.src = "2001:db8:98::1f", .dst = "2001:db8:a1::1f")), 1);
	cr_assert_eq(via_k(PK(.src = "2001:db8:98::1f", .dst = "2001:db8:a1::20")), 3);
	cr_assert_eq(via_k(PK(.src = "2001:db8:98::1f", .dst = "2001:db8:a1::21")), 3);
	cr_assert_eq(via_k(PK(.src = "2001:db8:98::1f", .dst = "2001:db8:a1::22")), 1);
}

Test(flow, every_field_at_once)
{
	flow_add("fid 1 bid 2 proto udp src 2001:db8:99::/64 dst 2001:db8:a1::10 sport 1000 "
		 "dport 2000 tclass 0x2e flowlabel 0x12345");
	apply(GEN0);
	cr_assert_eq(via_k(PK(.tc = 0x2e, .fl = 0x12345)), 3);
	cr_assert_eq(via_k(PK(.tc = 0x2e, .fl = 0x12346)), 1, "one field off: no match");
	cr_assert_eq(via_k(PK(.tc = 0x2f, .fl = 0x12345)), 1);
}

Test(flow, cache_miss_hit_and_invalidation)
{
	struct xp_fc_key k, next;
	struct xp_fc_val v;
	int n = 0;

	flow_add("fid 1 bid 1 proto udp dport 2000");
	apply(GEN0);
	cr_assert_eq(via_k(PK()), 1, "miss: the walk decides");
	cr_assert_eq(bpf_map_get_next_key(fcache, NULL, &k), 0, "the decision was cached");
	cr_assert_eq(bpf_map_lookup_elem(fcache, &k, &v), 0);
	cr_assert_eq(k.mn_id, 1);
	cr_assert_eq(k.gen, GEN0);
	cr_assert_eq(k.dport, 2000);
	cr_assert_eq(k.sport, 1000);
	cr_assert_eq(k.nh, XP_IPPROTO_UDP);
	cr_assert_eq(v.bid, 1);
	cr_assert_eq(v.action, XP_FBA_FORWARD);
	/* a hit uses the cache, not the selectors: plant another answer */
	v.bid = 2;
	cr_assert_eq(bpf_map_update_elem(fcache, &k, &v, BPF_EXIST), 0);
	cr_assert_eq(via_k(PK()), 3, "hit: the cached decision");
	/* the agent changed the entries: a new generation, the old entry is dead */
	apply(GEN0 + 1);
	cr_assert_eq(via_k(PK()), 1, "invalidated: walked again");
	for (int r = bpf_map_get_next_key(fcache, NULL, &next); !r;
	     r = bpf_map_get_next_key(fcache, &next, &next))
		n++;
	cr_assert_eq(n, 2, "one entry per generation");
	/* no match is cached too */
	cr_assert_eq(via_k(PK(.dport = 9)), 1);
	k.gen = GEN0 + 1;
	k.dport = 9;
	cr_assert_eq(bpf_map_lookup_elem(fcache, &k, &v), 0, "negative entry");
	cr_assert_eq(v.action, XP_FC_NOMATCH);
}

Test(flow, inactive_entries_do_not_apply)
{
	flow_add("fid 1 pri 1 bid 2 proto udp");
	flow_add("fid 2 pri 2 bid 7,1 proto udp");
	bcache_get(bc, "mn1", 2)->state = BCE_DEREG;
	apply(GEN0);
	cr_assert_eq(via_k(PK()), 1, "fid 1 inactive; fid 2 uses its first registered BID");
	bcache_get(bc, "mn1", 2)->state = BCE_ACTIVE;
	apply(GEN0 + 1);
	cr_assert_eq(via_k(PK()), 3, "BID 2 back: fid 1 active again");
}

Test(flow, full_selector_table_walks_to_the_last)
{
	char line[96];

	for (int i = 1; i < XP_MAX_FLOWS_PER_MN; i++) {
		snprintf(line, sizeof(line), "fid %d pri %d bid 1 proto udp dport %d", i, i, 3000 + i);
		flow_add(line);
	}
	flow_add("fid 999 pri 9999 bid 2 proto udp dport 2000");
	apply(GEN0);
	cr_assert_eq(via_k(PK()), 3, "the 64th selector is reached");
	cr_assert_eq(via_k(PK(.dport = 3001)), 1);
}
