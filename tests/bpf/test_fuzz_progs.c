// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_fuzz_progs.c - 20000 random and mutated packets through each XDP
 * program (BPF_PROG_TEST_RUN, private netns as in test_lma/test_mag).
 *
 * Asserted for every packet:
 *  - exactly one reason counter moved, by one (so the counters sum to the
 *    packet count, asserted again at the end);
 *  - a packet that an independent parser here finds malformed (truncated
 *    IPv6 / extension / inner header, too many extension headers) is never
 *    XDP_TX or XDP_REDIRECT;
 *  - every XDP_TX / XDP_REDIRECT output is well formed: IPv6, lengths
 *    consistent with the frame, and either an IPv6-in-IPv6 packet from our
 *    address to a configured peer whose inner header is consistent, an
 *    ICMPv6 Packet Too Big with a valid checksum, or (decapsulated or
 *    forwarded) a frame that passes the same independent parser.
 * The seed is printed; FUZZ_SEED=n reproduces a run.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xpmip_maps.h"
#include "xpmip_wire.h"
#include "lma.skel.h"
#include "mag.skel.h"
#include "pkt.h"
#include "bpftest.h"

#define N_PACKETS 20000
#define LOCAL	"2001:db8:1::1"
#define PEER	"2001:db8:1::2"
#define PEER3	"2001:db8:1::3"
#define CN	"2001:db8:99::5"
#define MN1	"2001:db8:a1::10"
#define MN2	"2001:db8:a2::10"

static struct bt_env env;
static uint8_t local_addr[16], peer_addr[16], peer3_addr[16];

static uint32_t rnd_state;
static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static void fill_maps(struct bpf_object *obj, int ifc)
{
	int cfg = bpf_object__find_map_fd_by_name(obj, XP_MAP_CFG);
	int pfx = bpf_object__find_map_fd_by_name(obj, XP_MAP_PREFIX);
	int bind = bpf_object__find_map_fd_by_name(obj, XP_MAP_BIND);
	int peer = bpf_object__find_map_fd_by_name(obj, XP_MAP_PEER);
	int ul = bpf_object__find_map_fd_by_name(obj, XP_MAP_UPLINK);

	cr_assert_eq(bt_set_cfg(cfg, LOCAL, 1400, 64, XP_CFG_F_ENABLED), 0);
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:a1::", 64, 1, 1, 0), 0);
	cr_assert_eq(bt_add_bind(bind, 1, 1, PEER, LOCAL, ifc, BT_MAC_MN, BT_MAC_C,
				 XP_BF_ACTIVE), 0);
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:a2::", 64, 2, 1, 0), 0);
	cr_assert_eq(bt_add_bind(bind, 2, 1, PEER3, LOCAL, ifc, BT_MAC_MN, BT_MAC_C,
				 XP_BF_ACTIVE), 0);
	cr_assert_eq(bt_add_peer(peer, PEER), 0);
	cr_assert_eq(bt_add_ul(ul, PEER, 1, 1), 0);
	pkt_addr(LOCAL, local_addr);
	pkt_addr(PEER, peer_addr);
	pkt_addr(PEER3, peer3_addr);
}

/* ---- an independent parser: is this IPv6 packet (at off, len bytes) sound? ---- */
static int is_ext(int nh)
{
	return nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 51;
}

/* returns upper-layer offset, or -1 malformed / too many ext headers */
static long walk(const uint8_t *b, size_t end, size_t off, int nh, int *l4)
{
	for (int i = 0; i < 6 && is_ext(nh); i++) {
		size_t hl;

		if (off + 8 > end)
			return -1;
		if (nh == 44) {
			int nonfirst = (b[off + 2] | (b[off + 3] & 0xf8)) != 0;

			nh = b[off];
			off += 8;
			if (nonfirst) {
				*l4 = 44;
				return (long)off;
			}
			continue;
		}
		hl = nh == 51 ? (b[off + 1] + 2u) * 4 : (b[off + 1] + 1u) * 8;
		nh = b[off];
		off += hl;
		if (off > end)
			return -1;
	}
	if (is_ext(nh))
		return -1;
	*l4 = nh;
	return (long)off;
}

/* 1 if the frame is well formed as far as the data plane must look */
static int frame_ok(const uint8_t *b, size_t len)
{
	size_t end, iend;
	long l4off;
	int l4;

	if (len < 54 || b[12] != 0x86 || b[13] != 0xdd || (b[14] >> 4) != 6)
		return 0;
	end = 54 + ((size_t)b[18] << 8 | b[19]);
	if (end > len)
		return 0;
	l4off = walk(b, end, 54, b[20], &l4);
	if (l4off < 0)
		return 0;
	if (l4 == 58 && (size_t)l4off + 4 > end)
		return 0;
	/* a tunnel packet for us: the inner packet is forwarded, check it too */
	if (l4 == 41 && !memcmp(b + 14 + 24, local_addr, 16)) {
		size_t in = (size_t)l4off;

		if (in + 40 > end || (b[in] >> 4) != 6)
			return 0;
		iend = in + 40 + ((size_t)b[in + 4] << 8 | b[in + 5]);
		if (iend > end)
			return 0;
		if (walk(b, iend, in + 40, b[in + 6], &l4) < 0)
			return 0;
	}
	return 1;
}

/* an output frame we are willing to put on a wire */
static void check_output(const struct bt_result *r, const uint8_t *in, size_t in_len)
{
	const uint8_t *o = r->out, *ip = r->out + 14;
	size_t plen;

	if (!frame_ok(in, in_len)) {
		for (size_t i = 0; i < in_len && i < 160; i++)
			fprintf(stderr, "%02x%s", in[i], i % 16 == 15 ? "\n" : " ");
		fprintf(stderr, "\n");
	}
	cr_assert(frame_ok(in, in_len), "malformed input (%zu bytes, above) got %s", in_len,
		  bt_action(r->retval));
	cr_assert_geq(r->out_len, 54u, "short output");
	cr_assert_eq(o[12], 0x86);
	cr_assert_eq(o[13], 0xdd);
	cr_assert_eq(ip[0] >> 4, 6, "output not IPv6");
	plen = (size_t)ip[4] << 8 | ip[5];
	cr_assert_leq(54 + plen, r->out_len, "output Payload Length beyond the frame");
	if (r->retval == XDP_TX) {
		cr_assert_eq(r->out_len, 14 + 1280u);
		cr_assert_eq(ip[6], 58);
		cr_assert_eq(ip[40], XP_ICMP6_PKT_TOO_BIG);
		cr_assert_eq(memcmp(ip + 8, local_addr, 16), 0);
		cr_assert_eq(pkt_icmp6_verify(ip, 1280), 0, "PTB checksum");
		return;
	}
	if (ip[6] == 41 && !memcmp(ip + 8, local_addr, 16)) {
		const uint8_t *in6 = ip + 40;

		cr_assert_eq(memcmp(ip + 8, local_addr, 16), 0, "outer source not ours");
		cr_assert(!memcmp(ip + 24, peer_addr, 16) || !memcmp(ip + 24, peer3_addr, 16),
			  "outer destination not a configured peer");
		cr_assert_geq(plen, 40u);
		cr_assert_eq(in6[0] >> 4, 6, "inner not IPv6");
		cr_assert_eq(40 + ((size_t)in6[4] << 8 | in6[5]), plen, "inner length != outer");
		return;
	}
	/* decapsulated or forwarded as is: must parse like any good frame */
	cr_assert(frame_ok(r->out, r->out_len), "forwarded frame is malformed");
}

static void mutate(struct pkt *p)
{
	int kind = rnd() % 8;

	switch (kind) {
	case 0: case 1: case 2: {	/* flip bytes in the headers */
		int n = 1 + rnd() % 4;

		for (int i = 0; i < n; i++) {
			size_t at = rnd() % (p->len < 160 ? p->len : 160);

			p->b[at] = (uint8_t)rnd();
		}
		break;
	}
	case 3:				/* truncate */
		p->len = 14 + rnd() % (p->len - 13);
		break;
	case 4: {			/* extend with garbage */
		size_t n = rnd() % 64;

		for (size_t i = 0; i < n && p->len < 2000; i++)
			p->b[p->len++] = (uint8_t)rnd();
		break;
	}
	case 5:				/* a length field */
		p->b[rnd() % 2 ? 19 : 59] = (uint8_t)rnd();
		break;
	case 6:				/* a next header field */
		p->b[rnd() % 2 ? 20 : 60] = (uint8_t)(rnd() % 3 ? rnd() % 64 : rnd());
		break;
	default: {			/* random body behind a plausible header */
		size_t n = 14 + rnd() % 200;

		for (size_t i = 14; i < n; i++)
			p->b[i] = (uint8_t)rnd();
		p->b[12] = 0x86;
		p->b[13] = 0xdd;
		p->b[14] = 0x60;
		p->len = n;
		break;
	}
	}
}

static void seeds(struct pkt *s, int *n)
{
	struct pkt *p;
	int i = 0;

	/* downlink to MN1, MN2; with extension headers */
	p = &s[i++]; pkt_init(p);
	pkt_eth(p, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(p, CN, MN1, XP_IPPROTO_UDP, 64, 1, 2);
	pkt_udp(p, 1, 2, 40); pkt_finish(p);
	p = &s[i++]; pkt_init(p);
	pkt_eth(p, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(p, CN, MN2, XP_IPPROTO_HOPOPTS, 64, 0, 0);
	pkt_ext(p, XP_IPPROTO_DSTOPTS, 0); pkt_ext(p, XP_IPPROTO_UDP, 1);
	pkt_udp(p, 1, 2, 20); pkt_finish(p);
	/* big one: PTB */
	p = &s[i++]; pkt_init(p);
	pkt_eth(p, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(p, CN, MN1, XP_IPPROTO_UDP, 64, 0, 0);
	pkt_udp(p, 1, 2, 1400); pkt_finish(p);
	/* tunnel from the peer, MN1 -> CN and MN1 -> MN2 */
	p = &s[i++]; pkt_init(p);
	pkt_eth(p, BT_MAC_A, BT_MAC_GW2, 0x86dd);
	pkt_ip6(p, PEER, LOCAL, XP_IPPROTO_IPV6, 64, 0, 0);
	pkt_ip6(p, MN1, CN, XP_IPPROTO_UDP, 64, 0, 0);
	pkt_udp(p, 1, 2, 30); pkt_finish(p);
	p = &s[i++]; pkt_init(p);
	pkt_eth(p, BT_MAC_A, BT_MAC_GW2, 0x86dd);
	pkt_ip6(p, PEER, LOCAL, XP_IPPROTO_DSTOPTS, 64, 0, 0);
	pkt_ext(p, XP_IPPROTO_IPV6, 0);
	pkt_ip6(p, MN1, MN2, XP_IPPROTO_ROUTING, 64, 0, 0);
	pkt_ext(p, XP_IPPROTO_UDP, 0);
	pkt_udp(p, 1, 2, 30); pkt_finish(p);
	/* tunnel to MN1 (MAG core) */
	p = &s[i++]; pkt_init(p);
	pkt_eth(p, BT_MAC_A, BT_MAC_GW2, 0x86dd);
	pkt_ip6(p, PEER, LOCAL, XP_IPPROTO_IPV6, 64, 0, 0);
	pkt_ip6(p, CN, MN1, XP_IPPROTO_UDP, 64, 0, 0);
	pkt_udp(p, 1, 2, 30); pkt_finish(p);
	/* MN1 -> CN, MN2 -> CN with extension headers (MAG access) */
	p = &s[i++]; pkt_init(p);
	pkt_eth(p, BT_MAC_C, BT_MAC_MN, 0x86dd);
	pkt_ip6(p, MN1, CN, XP_IPPROTO_UDP, 64, 0, 0);
	pkt_udp(p, 1, 2, 30); pkt_finish(p);
	p = &s[i++]; pkt_init(p);
	pkt_eth(p, BT_MAC_C, BT_MAC_MN, 0x86dd);
	pkt_ip6(p, MN2, CN, XP_IPPROTO_DSTOPTS, 64, 0, 0);
	pkt_ext(p, XP_IPPROTO_UDP, 0);
	pkt_udp(p, 1, 2, 30); pkt_finish(p);
	p = &s[i++]; pkt_init(p);
	pkt_eth(p, BT_MAC_C, BT_MAC_MN, 0x86dd);
	pkt_ip6(p, MN1, CN, XP_IPPROTO_UDP, 64, 0, 0);
	pkt_udp(p, 1, 2, 1380); pkt_finish(p);
	/* ICMPv6 */
	p = &s[i++]; pkt_init(p);
	pkt_eth(p, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(p, CN, MN1, XP_IPPROTO_ICMPV6, 64, 0, 0);
	pkt_icmp6(p, XP_ICMP6_ECHO_REQUEST, 0, 16); pkt_finish(p);
	*n = i;
}

static void fuzz(int prog, int cnt, int ifindex, const char *name)
{
	static struct pkt seed[16], p;
	static struct bt_result r;
	uint64_t c0[XP_R_MAX], c1[XP_R_MAX], sum = 0;
	const char *e = getenv("FUZZ_SEED");
	int n_seeds, tx = 0;

	rnd_state = e ? (uint32_t)strtoul(e, NULL, 0) : 0x9e3779b9u;
	if (!rnd_state)
		rnd_state = 1;
	fprintf(stderr, "%s: FUZZ_SEED=%u\n", name, rnd_state);
	seeds(seed, &n_seeds);
	cr_assert_eq(bt_counters(cnt, c0), 0);
	for (int i = 0; i < N_PACKETS; i++) {
		p = seed[rnd() % n_seeds];
		for (int m = 1 + rnd() % 3; m > 0; m--)
			mutate(&p);
		cr_assert_eq(bt_run(prog, cnt, p.b, p.len, ifindex, &r), 0);
		cr_assert_eq(r.total, 1, "%s packet %d: %d counter increments", name, i, r.total);
		if (r.retval == XDP_TX || r.retval == XDP_REDIRECT) {
			tx++;
			check_output(&r, p.b, p.len);
		} else {
			cr_assert(r.retval == XDP_PASS || r.retval == XDP_DROP,
				  "%s packet %d: action %u", name, i, r.retval);
		}
	}
	cr_assert_eq(bt_counters(cnt, c1), 0);
	for (int i = 0; i < XP_R_MAX; i++)
		sum += c1[i] - c0[i];
	cr_assert_eq(sum, N_PACKETS, "counters sum to %llu", (unsigned long long)sum);
	fprintf(stderr, "%s: %d packets, %d forwarded/answered\n", name, N_PACKETS, tx);
	cr_assert_gt(tx, 100, "mutations too destructive: the forwarding paths were not fuzzed");
}

static void init(void)
{
	cr_assert_eq(bt_netns(&env), 0);
}

TestSuite(fuzz, .init = init, .timeout = 300);

Test(fuzz, lma_rx)
{
	struct xp_lma *s = xp_lma__open_and_load();

	cr_assert_not_null(s);
	fill_maps(s->obj, 0);
	fuzz(bpf_program__fd(s->progs.xp_lma_rx), bpf_map__fd(s->maps.xp_cnt_v1), env.if_a,
	     "xp_lma_rx");
	xp_lma__destroy(s);
}

Test(fuzz, mag_access)
{
	struct xp_mag *s = xp_mag__open_and_load();

	cr_assert_not_null(s);
	fill_maps(s->obj, env.if_c);
	fuzz(bpf_program__fd(s->progs.xp_mag_access), bpf_map__fd(s->maps.xp_cnt_v1),
	     env.if_c, "xp_mag_access");
	xp_mag__destroy(s);
}

Test(fuzz, mag_core)
{
	struct xp_mag *s = xp_mag__open_and_load();

	cr_assert_not_null(s);
	fill_maps(s->obj, env.if_c);
	fuzz(bpf_program__fd(s->progs.xp_mag_core), bpf_map__fd(s->maps.xp_cnt_v1), env.if_a,
	     "xp_mag_core");
	xp_mag__destroy(s);
}
