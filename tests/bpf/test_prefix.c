// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_prefix - the two-map prefix lookup (bpf/xp_prefix.h) through the
 * LMA downlink: a /64 in the hash, longer prefixes winning over it from the
 * LPM trie, shorter ones losing to it, and removal through the same writer
 * the agents use (user/pfxmap.c). The chosen binding is read off the outer
 * destination of the encapsulated frame.
 */
#include <arpa/inet.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <criterion/criterion.h>

#include "lma.skel.h"
#include "pkt.h"
#include "bpftest.h"
#include "pfxmap.h"
#include "xpmip_wire.h"

#define LMA	"2001:db8:1::1"
#define MAG_A	"2001:db8:1::2"		/* neighbour GW2 */
#define MAG_B	"2001:db8:1::3"		/* neighbour GW3 */
#define CN	"2001:db8:99::5"
#define OUTER_DST_OFF	(14 + 24)	/* Ethernet + IPv6 up to the destination */

static struct xp_lma *skel;
static struct bt_env env;
static int prog, cnt, lpm, h64;

static void setup(void)
{
	cr_assert_eq(bt_netns(&env), 0, "network namespace");
	skel = BT_OPEN_AND_LOAD(xp_lma);
	cr_assert_not_null(skel, "load lma.bpf.o");
	prog = bpf_program__fd(skel->progs.xp_lma_rx);
	cnt = bpf_map__fd(skel->maps.xp_cnt_v1);
	lpm = bpf_map__fd(skel->maps.xp_pfx_v1);
	h64 = bpf_map__fd(skel->maps.xp_pfx64_v1);
	cr_assert_eq(bt_set_cfg(bpf_map__fd(skel->maps.xp_cfg_v1), LMA, 1500, 64,
				XP_CFG_F_ENABLED), 0);
	/* MN 1 binding 1 via MAG_A, binding 2 via MAG_B */
	cr_assert_eq(bt_add_bind(bpf_map__fd(skel->maps.xp_bind_v1), 1, 1, MAG_A, LMA, 0, NULL,
				 NULL, XP_BF_ACTIVE), 0);
	cr_assert_eq(bt_add_bind(bpf_map__fd(skel->maps.xp_bind_v1), 1, 2, MAG_B, LMA, 0, NULL,
				 NULL, XP_BF_ACTIVE), 0);
}

static void teardown(void)
{
	xp_lma__destroy(skel);
}

TestSuite(prefix, .init = setup, .fini = teardown);

static void put(const char *prefix, uint8_t plen, uint16_t bid)
{
	struct xp_prefix_val v = { .mn_id = 1, .bid = bid };
	struct in6_addr a;

	cr_assert_eq(inet_pton(AF_INET6, prefix, &a), 1);
	cr_assert_eq(xp_pfx_map_put(lpm, h64, &a, plen, &v), 0, "put %s/%u", prefix, plen);
}

static void del(const char *prefix, uint8_t plen)
{
	struct in6_addr a;

	cr_assert_eq(inet_pton(AF_INET6, prefix, &a), 1);
	cr_assert_eq(xp_pfx_map_del(lpm, h64, &a, plen), 0, "del %s/%u", prefix, plen);
}

/* Send CN -> dst; assert the verdict and, when forwarded, the outer dst */
static void expect(const char *dst, uint32_t action, const char *via)
{
	struct bt_result r;
	struct pkt p;
	uint8_t want[16];

	pkt_init(&p);
	pkt_eth(&p, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(&p, CN, dst, XP_IPPROTO_UDP, 64, 0, 0);
	pkt_udp(&p, 1000, 2000, 32);
	pkt_finish(&p);
	cr_assert_eq(bt_run(prog, cnt, p.b, p.len, env.if_a, &r), 0);
	cr_assert_eq(r.retval, action, "%s: action %s, want %s", dst, bt_action(r.retval),
		     bt_action(action));
	if (!via)
		return;
	pkt_addr(via, want);
	cr_assert_eq(memcmp(r.out + OUTER_DST_OFF, want, sizeof(want)), 0,
		     "%s: tunnelled to the wrong Proxy-CoA", dst);
}

Test(prefix, slash64_lives_in_the_hash_and_forwards)
{
	struct xp_prefix64_key k = { 0 };
	struct xp_prefix_val v;
	uint8_t a[16];

	put("2001:db8:a1::", 64, 1);
	pkt_addr("2001:db8:a1::", a);
	memcpy(&k, a, sizeof(k));	/* the key is the first 8 octets */
	cr_assert_eq(bpf_map_lookup_elem(h64, &k, &v), 0, "the /64 is in xp_pfx64_v1");
	cr_assert_eq(v.bid, 1);
	expect("2001:db8:a1::10", XDP_REDIRECT, MAG_A);
	expect("2001:db8:a1:0:ffff::1", XDP_REDIRECT, MAG_A);
	expect("2001:db8:a1:1::10", XDP_PASS, NULL);	/* next /64: not ours */
}

Test(prefix, longer_prefix_in_the_trie_wins_over_the_slash64)
{
	put("2001:db8:a1::", 64, 1);
	put("2001:db8:a1::77", 128, 2);
	expect("2001:db8:a1::77", XDP_REDIRECT, MAG_B);
	expect("2001:db8:a1::78", XDP_REDIRECT, MAG_A);
	del("2001:db8:a1::77", 128);
	expect("2001:db8:a1::77", XDP_REDIRECT, MAG_A);
}

Test(prefix, shorter_prefix_in_the_trie_loses_to_the_slash64)
{
	put("2001:db8:a0::", 44, 2);
	put("2001:db8:a1::", 64, 1);
	expect("2001:db8:a1::10", XDP_REDIRECT, MAG_A);
	expect("2001:db8:a2::10", XDP_REDIRECT, MAG_B);	/* only the /44 covers it */
	del("2001:db8:a1::", 64);
	expect("2001:db8:a1::10", XDP_REDIRECT, MAG_B);
	del("2001:db8:a0::", 44);
	expect("2001:db8:a1::10", XDP_PASS, NULL);
}
