// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_fuzz_progs.c - 20000 random and mutated packets through every
 * program path of the user plane (BPF_PROG_TEST_RUN, private netns as in
 * test_lma/test_mag), one test per path:
 *
 *   lma_rx, mag_access, mag_core   the base paths (encap, decap, PTB, ...)
 *   lma_flows      downlink of an MN with flow entries: the selector walk
 *                  and the flow cache (xp_flow.h), and the 2-level
 *                  temporal prefixes (a /64 and a longer one) of that MN,
 *                  which must go to their owner binding whatever the flows
 *   lma_ifp        interface priority: downlink to the primary HoA over a
 *                  non-primary binding (Type 2 routing header, xp_rh2.h),
 *                  uplink with the Primary HoA option (xp_hoa.h)
 *   lma_dup        equal IFPs: xp_lma_rx, then what it passes through the
 *                  TC program xp_lma_dup (xp_dup.h), as on the interface;
 *                  the clone it sends is captured on the veth peer
 *   mn_egress, mn_ingress   the MN role's TC programs (mn.bpf.c)
 * and the trace ring buffer (xp_trace.h) is on in every XDP path.
 *
 * Asserted for every packet:
 *  - exactly one reason counter moved, by one, per program run (so the
 *    counters sum to the runs, asserted again at the end);
 *  - a packet that an independent parser here finds malformed (truncated
 *    IPv6 / extension / inner header, too many extension headers) is never
 *    forwarded (XDP_TX, XDP_REDIRECT, TC redirect or clone);
 *  - every forwarded output (and every packet a TC program changed) is well
 *    formed: IPv6, lengths consistent with the frame, and either an
 *    IPv6-in-IPv6 packet from our address to a configured peer whose inner
 *    packet parses (a Type 2 routing header only as the LMA builds it), an
 *    ICMPv6 Packet Too Big with a valid checksum, or a frame that passes
 *    the same parser;
 *  - an upper-layer (TCP/UDP/ICMPv6) checksum that verified on the way in
 *    verifies on the way out (RFC 8200 8.1 pseudo-header, final
 *    destination). Half the mutated packets get their checksum recomputed
 *    after the mutation so that this is exercised on odd packets too;
 *  - trace on: one ring event per XDP_DROP, none otherwise, carrying the
 *    reason counted and the ingress interface.
 * Per path it prints how many packets took each reason (docs/RELIABILITY.md
 * has the table) and asserts the path's own reasons were reached.
 * The seed is printed; FUZZ_SEED=n reproduces a run.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/pkt_cls.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xpmip_maps.h"
#include "xpmip_wire.h"
#include "ipv6_ext.h"
#include "lma.skel.h"
#include "mag.skel.h"
#include "mn.skel.h"
#include "pkt.h"
#include "bpftest.h"

#define N_PACKETS 20000
#define N_SEEDS_MAX 24
#define LOCAL	"2001:db8:1::1"
#define PEER	"2001:db8:1::2"
#define PEER3	"2001:db8:1::3"
#define CN	"2001:db8:99::5"
#define MN1	"2001:db8:a1::10"
#define MN2	"2001:db8:a2::10"
#define TMP64	"2001:db8:c1::"		/* MN 1's temporal /64, owner BID 2 */
#define TMP64_A	"2001:db8:c1::77"
#define TMP80	"2001:db8:a1:0:cc::"	/* MN 1's temporal /80 inside its /64 */
#define TMP80_A	"2001:db8:a1:0:cc::5"
#define PHOA	"2001:db8:b1::10"	/* MN 8: primary HoA (IF1, via PEER) */
#define HOA2	"2001:db8:b2::20"	/* MN 8: IF2's HoA (via PEER3) */
#define MN8	8
#define FLOW_GEN 7
#define DPORT_FWD 5001			/* flow selector 0: to BID 2 */
#define SPI_DROP 0x1000			/* selector 1: ESP SPI range, drop */
#define FL_DROP	0xabcde			/* selector 2: flow label, drop */

static struct bt_env env;
static uint8_t local_addr[16], peer_addr[16], peer3_addr[16], phoa[16], hoa2[16];
static uint8_t tmp64[16], tmp80[16];

static uint32_t rnd_state;
static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* One fuzzed path */
struct scen {
	const char *name;
	int prog;		/* the program fuzzed */
	int is_tc;		/* prog is sched_cls (else XDP) */
	int chain_tc;		/* >= 0: XDP_PASS output goes through this TC program */
	int cnt;		/* xp_cnt_v1 */
	int ifindex;
	int mn_role;		/* MN programs: a changed packet is checked, never dropped */
	struct ring_buffer *rb;	/* trace ring (XDP paths) */
	int sniff;		/* packet socket on xpb for clones, or -1 */
	struct pkt seed[N_SEEDS_MAX];
	int n_seeds;
	uint64_t runs, fwd, csum_checked, clones, events, refused;
	uint64_t reasons[XP_R_MAX];
};

static void scen_init(struct scen *s, const char *name, int prog, int is_tc, int cnt, int ifindex)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->prog = prog;
	s->is_tc = is_tc;
	s->chain_tc = -1;
	s->cnt = cnt;
	s->ifindex = ifindex;
	s->sniff = -1;
}

static void addrs(void)
{
	pkt_addr(LOCAL, local_addr);
	pkt_addr(PEER, peer_addr);
	pkt_addr(PEER3, peer3_addr);
	pkt_addr(PHOA, phoa);
	pkt_addr(HOA2, hoa2);
	pkt_addr(TMP64, tmp64);
	pkt_addr(TMP80, tmp80);
}

static void fill_maps(struct bpf_object *obj, int ifc, uint32_t cfg_flags)
{
	int cfg = bpf_object__find_map_fd_by_name(obj, XP_MAP_CFG);
	int pfx = bpf_object__find_map_fd_by_name(obj, XP_MAP_PREFIX);
	int bind = bpf_object__find_map_fd_by_name(obj, XP_MAP_BIND);
	int peer = bpf_object__find_map_fd_by_name(obj, XP_MAP_PEER);
	int ul = bpf_object__find_map_fd_by_name(obj, XP_MAP_UPLINK);

	cr_assert_eq(bt_set_cfg(cfg, LOCAL, 1400, 64, XP_CFG_F_ENABLED | cfg_flags), 0);
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:a1::", 64, 1, 1, 0), 0);
	cr_assert_eq(bt_add_bind(bind, 1, 1, PEER, LOCAL, ifc, BT_MAC_MN, BT_MAC_C,
				 XP_BF_ACTIVE), 0);
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:a2::", 64, 2, 1, 0), 0);
	cr_assert_eq(bt_add_bind(bind, 2, 1, PEER3, LOCAL, ifc, BT_MAC_MN, BT_MAC_C,
				 XP_BF_ACTIVE), 0);
	cr_assert_eq(bt_add_peer(peer, PEER), 0);
	cr_assert_eq(bt_add_ul(ul, PEER, 1, 1), 0);
	addrs();
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

/* Offset of the packet the user sent: the inner one of a tunnel packet */
static size_t user_off(const uint8_t *b, size_t len)
{
	size_t end;
	long l4off;
	int l4;

	if (len < 54)
		return 14;
	end = 54 + ((size_t)b[18] << 8 | b[19]);
	l4off = walk(b, end < len ? end : len, 54, b[20], &l4);
	return l4off >= 0 && l4 == 41 ? (size_t)l4off : 14;
}

/*
 * The upper-layer checksum of the IPv6 packet at ip6 (cap octets there):
 * 1 verifies, 0 does not, -1 not checkable (not TCP/UDP/ICMPv6, a
 * fragment, a UDP checksum of zero, lengths that do not add up, a routing
 * header other than one Type 2). fix: compute and store it instead (then
 * returns 1, or -1 when not checkable).
 */
static int l4_csum(uint8_t *ip6, size_t cap, int fix)
{
	const uint8_t *final;
	size_t end, off = 40, l4len, f;
	uint32_t s = 0;
	int nh, rh = 0;

	if (cap < 40 || (ip6[0] >> 4) != 6)
		return -1;
	end = 40 + ((size_t)ip6[4] << 8 | ip6[5]);
	if (end > cap)
		return -1;
	final = ip6 + 24;
	nh = ip6[6];
	for (int i = 0; i < 8 && (nh == 0 || nh == 43 || nh == 60); i++) {
		if (off + 8 > end)
			return -1;
		if (nh == 43) {
			if (rh++ || ip6[off + 2] != XP_RH_TYPE2 || ip6[off + 1] != XP_RH2_HDR_EXT_LEN ||
			    ip6[off + 3] != XP_RH2_SEGMENTS_LEFT)
				return -1;
			final = ip6 + off + 8;
		}
		nh = ip6[off];
		off += 8u * (ip6[off + 1] + 1u);
	}
	if (off > end || (nh != XP_IPPROTO_TCP && nh != XP_IPPROTO_UDP && nh != XP_IPPROTO_ICMPV6))
		return -1;
	l4len = end - off;
	f = nh == XP_IPPROTO_TCP ? 16 : nh == XP_IPPROTO_UDP ? 6 : 2;
	if (l4len < f + 2 || (nh == XP_IPPROTO_TCP && l4len < 20) ||
	    (nh == XP_IPPROTO_UDP && ((size_t)ip6[off + 4] << 8 | ip6[off + 5]) != l4len))
		return -1;
	if (!fix && nh == XP_IPPROTO_UDP && !ip6[off + 6] && !ip6[off + 7])
		return -1;
	if (fix)
		ip6[off + f] = ip6[off + f + 1] = 0;
	for (int i = 0; i < 16; i += 2)
		s += (uint32_t)(ip6[8 + i] << 8 | ip6[9 + i]) + (uint32_t)(final[i] << 8 | final[i + 1]);
	s += (uint32_t)(l4len >> 16) + (uint32_t)(l4len & 0xffff) + (uint32_t)nh;
	for (size_t i = 0; i + 1 < l4len; i += 2)
		s += (uint32_t)(ip6[off + i] << 8 | ip6[off + i + 1]);
	if (l4len & 1)
		s += (uint32_t)ip6[off + l4len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	if (fix) {
		uint16_t c = (uint16_t)~s;

		if (c == 0 && nh == XP_IPPROTO_UDP)
			c = 0xffff;
		ip6[off + f] = (uint8_t)(c >> 8);
		ip6[off + f + 1] = (uint8_t)c;
		return 1;
	}
	return s == 0xffff;
}

static int is_peer(const uint8_t *a)
{
	return !memcmp(a, peer_addr, 16) || !memcmp(a, peer3_addr, 16);
}

static int in_prefix(const uint8_t *a, const uint8_t *p, int octets)
{
	return !memcmp(a, p, (size_t)octets);
}

static void dump(const char *what, const uint8_t *b, size_t len)
{
	fprintf(stderr, "%s (%zu octets):\n", what, len);
	for (size_t i = 0; i < len && i < 192; i++)
		fprintf(stderr, "%02x%s", b[i], i % 16 == 15 ? "\n" : " ");
	fprintf(stderr, "\n");
}

/* an output check that shows the packets when it fails */
#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			dump("input", in, in_len);			\
			dump("output", o, out_len);			\
			cr_assert(0, __VA_ARGS__);			\
		}							\
	} while (0)

/*
 * A forwarded frame (or one a TC program changed) that we are willing to
 * put on a wire; in/in_len is what went in. Returns 1 when its checksum
 * was compared with the input's.
 */
static int check_output(struct scen *s, int ptb, const uint8_t *o, size_t out_len,
			const uint8_t *in, size_t in_len)
{
	static uint8_t ucopy[4096];
	const uint8_t *ip = o + 14;
	size_t plen, uin, uout;
	int cin;

	CHECK(s->mn_role || frame_ok(in, in_len), "%s: malformed input forwarded", s->name);
	CHECK(out_len >= 54, "%s: short output", s->name);
	CHECK(o[12] == 0x86 && o[13] == 0xdd, "%s: output not IPv6 over Ethernet", s->name);
	CHECK(ip[0] >> 4 == 6, "%s: output not IPv6", s->name);
	plen = (size_t)ip[4] << 8 | ip[5];
	CHECK(54 + plen <= out_len, "%s: output Payload Length beyond the frame", s->name);
	if (ptb) {
		cr_assert_eq(out_len, 14 + 1280u);
		cr_assert_eq(ip[6], 58);
		cr_assert_eq(ip[40], XP_ICMP6_PKT_TOO_BIG);
		cr_assert_eq(memcmp(ip + 8, local_addr, 16), 0);
		cr_assert_eq(pkt_icmp6_verify(ip, 1280), 0, "PTB checksum");
		return 0;
	}
	/* the MN's programs rewrite what its stack sends or receives and leave
	 * judging the rest to the stack: a malformed packet may stay malformed
	 * behind a sound IPv6 header (checked above), a sound one must stay so */
	if (s->mn_role && !frame_ok(in, in_len))
		return 0;
	if (ip[6] == 41 && !memcmp(ip + 8, local_addr, 16)) {
		const uint8_t *in6 = ip + 40;
		size_t iend;
		int l4;

		CHECK(is_peer(ip + 24), "%s: outer destination not a configured peer", s->name);
		cr_assert_geq(plen, 40u);
		cr_assert_eq(in6[0] >> 4, 6, "%s: inner not IPv6", s->name);
		cr_assert_eq(40 + ((size_t)in6[4] << 8 | in6[5]), plen, "inner length != outer");
		iend = 54 + plen;
		CHECK(walk(o, iend, 94, in6[6], &l4) >= 0, "%s: inner headers malformed",
			      s->name);
		/* a Type 2 routing header: only the one the LMA adds (MN 8's) */
		if (in6[6] == XP_IPPROTO_ROUTING && in6[42] == XP_RH_TYPE2 &&
		    memcmp(in6 + 24, in + user_off(in, in_len) + 24, 16)) {
			cr_assert_eq(memcmp(in6 + 48, phoa, 16), 0, "%s: RH2 not the primary HoA",
				     s->name);
			cr_assert_eq(memcmp(in6 + 24, hoa2, 16), 0, "%s: RH2 packet not to IF2's HoA",
				     s->name);
			cr_assert(!memcmp(ip + 24, peer3_addr, 16), "%s: RH2 not via IF2", s->name);
		}
		/* 2-level temporal prefixes go through their owner (BID 2, PEER3) */
		if (in_prefix(in6 + 24, tmp64, 8) || in_prefix(in6 + 24, tmp80, 10))
			cr_assert(!memcmp(ip + 24, peer3_addr, 16),
				  "%s: temporal prefix not via its owner binding", s->name);
	} else {
		/* decapsulated, changed or forwarded as is: must parse like any good frame */
		CHECK(frame_ok(o, out_len), "%s: output frame is malformed", s->name);
	}
	/* a checksum that verified going in verifies coming out */
	uin = user_off(in, in_len);
	uout = user_off(o, out_len);
	if (uin >= in_len || in_len - uin > sizeof(ucopy))
		return 0;
	memcpy(ucopy, in + uin, in_len - uin);
	cin = l4_csum(ucopy, in_len - uin, 0);
	if (cin != 1)
		return 0;
	memcpy(ucopy, o + uout, out_len - uout);
	CHECK(l4_csum(ucopy, out_len - uout, 0) != 0,
		      "%s: the upper-layer checksum verified going in, not coming out", s->name);
	return 1;
}

/* Recompute the user packet's checksum after a mutation (when it parses) */
static void recsum(struct pkt *p)
{
	size_t u = user_off(p->b, p->len);

	if (u < p->len)
		l4_csum(p->b + u, p->len - u, 1);
}

static void mutate(struct pkt *p)
{
	int kind = rnd() % 9;

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
	case 7: {			/* an extension / upper-layer field */
		size_t at = 54 + rnd() % 48;

		if (at < p->len)
			p->b[at] = (uint8_t)(rnd() % 2 ? rnd() % 8 : rnd());
		break;
	}
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

/* ---- seeds ---- */
static struct pkt *seed_new(struct scen *s)
{
	struct pkt *p;

	cr_assert_lt(s->n_seeds, N_SEEDS_MAX);
	p = &s->seed[s->n_seeds++];
	pkt_init(p);
	return p;
}

/* TCP, UDP or ICMPv6 with 20-60 octets of payload */
static void l4(struct pkt *p, uint8_t proto, uint16_t sport, uint16_t dport, size_t pay)
{
	if (proto == XP_IPPROTO_TCP) {
		uint8_t t[20] = { sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, 0, 0, 1, 0,
				  0, 0, 0, 0, 0x50, 0x18, 0xff, 0xff };

		pkt_bytes(p, t, sizeof(t));
		pkt_fill(p, pay, (uint8_t)dport);
	} else if (proto == XP_IPPROTO_UDP) {
		pkt_udp(p, sport, dport, pay);
	} else {
		pkt_icmp6(p, XP_ICMP6_ECHO_REQUEST, 0, pay);
	}
}

/* eth + ip6(src -> dst) [+ ext] + upper layer, checksum right */
static void seed_l4(struct scen *s, const char *smac, const char *src, const char *dst,
		    uint8_t proto, uint16_t dport, uint32_t flow)
{
	struct pkt *p = seed_new(s);

	pkt_eth(p, BT_MAC_A, smac, 0x86dd);
	pkt_ip6(p, src, dst, proto, 64, 0, flow);
	l4(p, proto, 4000, dport, 20 + rnd() % 40);
	pkt_finish(p);
	recsum(p);
}

/* the base seeds (the first version of this harness) */
static void seeds_base(struct scen *s)
{
	struct pkt *p;

	/* downlink to MN1, MN2; with extension headers */
	seed_l4(s, BT_MAC_CN, CN, MN1, XP_IPPROTO_UDP, 2, 0);
	p = seed_new(s);
	pkt_eth(p, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(p, CN, MN2, XP_IPPROTO_HOPOPTS, 64, 0, 0);
	pkt_ext(p, XP_IPPROTO_DSTOPTS, 0); pkt_ext(p, XP_IPPROTO_UDP, 1);
	pkt_udp(p, 1, 2, 20); pkt_finish(p); recsum(p);
	/* big one: PTB */
	p = seed_new(s);
	pkt_eth(p, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(p, CN, MN1, XP_IPPROTO_UDP, 64, 0, 0);
	pkt_udp(p, 1, 2, 1400); pkt_finish(p);
	/* tunnel from the peer, MN1 -> CN and MN1 -> MN2 */
	p = seed_new(s);
	pkt_eth(p, BT_MAC_A, BT_MAC_GW2, 0x86dd);
	pkt_ip6(p, PEER, LOCAL, XP_IPPROTO_IPV6, 64, 0, 0);
	pkt_ip6(p, MN1, CN, XP_IPPROTO_UDP, 64, 0, 0);
	pkt_udp(p, 1, 2, 30); pkt_finish(p); recsum(p);
	p = seed_new(s);
	pkt_eth(p, BT_MAC_A, BT_MAC_GW2, 0x86dd);
	pkt_ip6(p, PEER, LOCAL, XP_IPPROTO_DSTOPTS, 64, 0, 0);
	pkt_ext(p, XP_IPPROTO_IPV6, 0);
	pkt_ip6(p, MN1, MN2, XP_IPPROTO_ROUTING, 64, 0, 0);
	pkt_ext(p, XP_IPPROTO_UDP, 0);
	pkt_udp(p, 1, 2, 30); pkt_finish(p);
	/* tunnel to MN1 (MAG core) */
	p = seed_new(s);
	pkt_eth(p, BT_MAC_A, BT_MAC_GW2, 0x86dd);
	pkt_ip6(p, PEER, LOCAL, XP_IPPROTO_IPV6, 64, 0, 0);
	pkt_ip6(p, CN, MN1, XP_IPPROTO_UDP, 64, 0, 0);
	pkt_udp(p, 1, 2, 30); pkt_finish(p); recsum(p);
	/* MN1 -> CN, MN2 -> CN with extension headers (MAG access) */
	seed_l4(s, BT_MAC_MN, MN1, CN, XP_IPPROTO_TCP, 80, 0);
	p = seed_new(s);
	pkt_eth(p, BT_MAC_C, BT_MAC_MN, 0x86dd);
	pkt_ip6(p, MN2, CN, XP_IPPROTO_DSTOPTS, 64, 0, 0);
	pkt_ext(p, XP_IPPROTO_UDP, 0);
	pkt_udp(p, 1, 2, 30); pkt_finish(p); recsum(p);
	p = seed_new(s);
	pkt_eth(p, BT_MAC_C, BT_MAC_MN, 0x86dd);
	pkt_ip6(p, MN1, CN, XP_IPPROTO_UDP, 64, 0, 0);
	pkt_udp(p, 1, 2, 1380); pkt_finish(p);
	/* ICMPv6 */
	seed_l4(s, BT_MAC_CN, CN, MN1, XP_IPPROTO_ICMPV6, 0, 0);
}

/* downlink to MN 1 with flows: each selector, none, and the temporal prefixes */
static void seeds_flows(struct scen *s)
{
	struct pkt *p;

	seed_l4(s, BT_MAC_CN, CN, MN1, XP_IPPROTO_UDP, DPORT_FWD, 0);
	seed_l4(s, BT_MAC_CN, CN, MN1, XP_IPPROTO_TCP, DPORT_FWD + 1, 0);
	seed_l4(s, BT_MAC_CN, CN, MN1, XP_IPPROTO_TCP, 443, FL_DROP);
	seed_l4(s, BT_MAC_CN, CN, MN1, XP_IPPROTO_ICMPV6, 0, 1);
	p = seed_new(s);			/* ESP in the dropped SPI range */
	pkt_eth(p, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(p, CN, MN1, XP_IPPROTO_ESP, 64, 0, 0);
	{
		uint8_t esp[8] = { 0, 0, SPI_DROP >> 8, SPI_DROP & 0xff, 0, 0, 0, 1 };

		pkt_bytes(p, esp, sizeof(esp));
	}
	pkt_fill(p, 40, 3); pkt_finish(p);
	p = seed_new(s);			/* ports behind extension headers */
	pkt_eth(p, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(p, CN, MN1, XP_IPPROTO_DSTOPTS, 64, 0, 0);
	pkt_ext(p, XP_IPPROTO_FRAGMENT, 0);
	pkt_frag(p, XP_IPPROTO_UDP, 0, 1);
	pkt_udp(p, 4000, DPORT_FWD, 24); pkt_finish(p);
	seed_l4(s, BT_MAC_CN, CN, TMP64_A, XP_IPPROTO_UDP, DPORT_FWD, 0);
	seed_l4(s, BT_MAC_CN, CN, TMP64_A, XP_IPPROTO_TCP, 80, FL_DROP);
	seed_l4(s, BT_MAC_CN, CN, TMP80_A, XP_IPPROTO_UDP, 9, 0);
	seed_l4(s, BT_MAC_CN, CN, TMP80_A, XP_IPPROTO_ICMPV6, 0, 0);
	/* MN 1 -> MN 1's temporal address through the LMA */
	p = seed_new(s);
	pkt_eth(p, BT_MAC_A, BT_MAC_GW2, 0x86dd);
	pkt_ip6(p, PEER, LOCAL, XP_IPPROTO_IPV6, 64, 0, 0);
	pkt_ip6(p, MN1, TMP64_A, XP_IPPROTO_UDP, 64, 0, 0);
	pkt_udp(p, 1, DPORT_FWD, 30); pkt_finish(p); recsum(p);
}

/* MAG3 -> LMA: inner HoA2 -> CN with the Primary HoA option (and others) */
static void seed_ul_hoa(struct scen *s, uint8_t proto, int other_opts, int frag)
{
	struct pkt *p = seed_new(s);
	uint8_t d[XP_DSTOPT_HOA_HDR_LEN + 8];
	struct in6_addr h;
	size_t dl = XP_DSTOPT_HOA_HDR_LEN;

	memcpy(&h, phoa, 16);
	cr_assert_eq(xp_dstopt_hoa_build(d, sizeof(d), frag ? XP_IPPROTO_FRAGMENT : proto,
					 XP_DSTOPT_PRIMARY_HOA_DEFAULT, &h), XP_DSTOPT_HOA_HDR_LEN);
	if (other_opts) {	/* an unknown skippable option (type 0x07) after it */
		d[1] += 1;
		d[24] = 0x07;
		d[25] = 6;
		memset(d + 26, 0xab, 6);
		dl += 8;
	}
	pkt_eth(p, BT_MAC_A, BT_MAC_GW3, 0x86dd);
	pkt_ip6(p, PEER3, LOCAL, XP_IPPROTO_IPV6, 64, 0, 0);
	pkt_ip6(p, HOA2, CN, XP_IPPROTO_DSTOPTS, 64, 0, 0x99);
	pkt_bytes(p, d, dl);
	if (frag)
		pkt_frag(p, proto, 0, 1);
	l4(p, proto, 4000, 80, 20 + rnd() % 40);
	pkt_finish(p);
	recsum(p);
}

/* MN 8: downlink to the primary HoA (IFP: IF2) and uplink from IF2 */
static void seeds_ifp(struct scen *s, int uplink)
{
	static const uint8_t protos[] = { XP_IPPROTO_TCP, XP_IPPROTO_UDP, XP_IPPROTO_ICMPV6 };
	struct pkt *p;

	for (size_t i = 0; i < sizeof(protos); i++)
		seed_l4(s, BT_MAC_CN, CN, PHOA, protos[i], 80, 0x777);
	seed_l4(s, BT_MAC_CN, CN, HOA2, XP_IPPROTO_UDP, 80, 0);
	seed_l4(s, BT_MAC_CN, CN, "2001:db8:b1::99", XP_IPPROTO_TCP, 80, 0);
	p = seed_new(s);			/* extension headers behind the RH2 */
	pkt_eth(p, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(p, CN, PHOA, XP_IPPROTO_DSTOPTS, 64, 0, 0);
	pkt_ext(p, XP_IPPROTO_UDP, 1);
	pkt_udp(p, 7, 8, 33); pkt_finish(p); recsum(p);
	p = seed_new(s);			/* Hop-by-Hop: refused */
	pkt_eth(p, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(p, CN, PHOA, XP_IPPROTO_HOPOPTS, 64, 0, 0);
	pkt_ext(p, XP_IPPROTO_UDP, 0);
	pkt_udp(p, 7, 8, 33); pkt_finish(p); recsum(p);
	if (!uplink)
		return;
	for (size_t i = 0; i < sizeof(protos); i++)
		seed_ul_hoa(s, protos[i], 0, 0);
	seed_ul_hoa(s, XP_IPPROTO_UDP, 1, 0);
	seed_ul_hoa(s, XP_IPPROTO_TCP, 0, 1);
	seed_ul_hoa(s, XP_IPPROTO_UDP, 1, 1);
}

static void seeds_ifp_both(struct scen *s)
{
	seeds_ifp(s, 1);
}

/* the MN's stack: from the primary HoA (and others) */
static void seeds_mn_egress(struct scen *s)
{
	struct pkt *p;

	seed_l4(s, BT_MAC_A, PHOA, CN, XP_IPPROTO_TCP, 80, 0x55);
	seed_l4(s, BT_MAC_A, PHOA, CN, XP_IPPROTO_UDP, 53, 0);
	seed_l4(s, BT_MAC_A, PHOA, CN, XP_IPPROTO_ICMPV6, 0, 0);
	seed_l4(s, BT_MAC_A, HOA2, CN, XP_IPPROTO_UDP, 53, 0);
	p = seed_new(s);			/* first fragment of a UDP datagram */
	pkt_eth(p, BT_MAC_CN, BT_MAC_A, 0x86dd);
	pkt_ip6(p, PHOA, CN, XP_IPPROTO_FRAGMENT, 64, 0, 0);
	pkt_frag(p, XP_IPPROTO_UDP, 0, 1);
	pkt_udp(p, 4000, 53, 40); pkt_finish(p);
	p = seed_new(s);			/* a Destination Options header */
	pkt_eth(p, BT_MAC_CN, BT_MAC_A, 0x86dd);
	pkt_ip6(p, PHOA, CN, XP_IPPROTO_DSTOPTS, 64, 0, 0);
	pkt_ext(p, XP_IPPROTO_TCP, 0);
	l4(p, XP_IPPROTO_TCP, 4000, 80, 30); pkt_finish(p); recsum(p);
	p = seed_new(s);			/* Hop-by-Hop: left alone */
	pkt_eth(p, BT_MAC_CN, BT_MAC_A, 0x86dd);
	pkt_ip6(p, PHOA, CN, XP_IPPROTO_HOPOPTS, 64, 0, 0);
	pkt_ext(p, XP_IPPROTO_UDP, 0);
	pkt_udp(p, 7, 8, 33); pkt_finish(p); recsum(p);
}

/* what the MAG delivers on a non-primary interface: RH2 naming the primary HoA */
static void seeds_mn_ingress(struct scen *s)
{
	static const uint8_t protos[] = { XP_IPPROTO_TCP, XP_IPPROTO_UDP, XP_IPPROTO_ICMPV6 };
	struct in6_addr ph;
	uint8_t rh[XP_RH2_LEN];

	memcpy(&ph, phoa, 16);
	for (size_t i = 0; i < sizeof(protos) + 1; i++) {
		struct pkt *p = seed_new(s);
		uint8_t proto = i < sizeof(protos) ? protos[i] : XP_IPPROTO_DSTOPTS;

		cr_assert_eq(xp_rh2_build(rh, sizeof(rh), proto, &ph), XP_RH2_LEN);
		pkt_eth(p, BT_MAC_A, BT_MAC_CN, 0x86dd);
		pkt_ip6(p, CN, HOA2, XP_IPPROTO_ROUTING, 60, 0, 0x66);
		pkt_bytes(p, rh, sizeof(rh));
		if (proto == XP_IPPROTO_DSTOPTS) {
			pkt_ext(p, XP_IPPROTO_UDP, 0);
			proto = XP_IPPROTO_UDP;
		}
		l4(p, proto, 80, 4000, 20 + rnd() % 40);
		pkt_finish(p);
		recsum(p);
	}
	seed_l4(s, BT_MAC_CN, CN, HOA2, XP_IPPROTO_UDP, 53, 0);
}

/* ---- the runs ---- */
static struct xp_trace_event ev_got;
static int ev_n;

static int on_event(void *c, void *data, size_t len)
{
	(void)c;
	cr_assert_eq(len, sizeof(struct xp_trace_event));
	memcpy(&ev_got, data, sizeof(ev_got));
	ev_n++;
	return 0;
}

static int drop_reason(const struct bt_result *r)
{
	for (int i = 0; i < XP_R_MAX; i++)
		if (r->cnt_delta[i])
			return i;
	return -1;
}

static void account(struct scen *s, const struct bt_result *r, int i)
{
	cr_assert_eq(r->total, 1, "%s packet %d: %d counter increments", s->name, i, r->total);
	s->runs++;
	for (int k = 0; k < XP_R_MAX; k++)
		s->reasons[k] += r->cnt_delta[k];
}

/* clones sent by bpf_clone_redirect out of xpa, seen on xpb */
static void drain_clones(struct scen *s, const struct pkt *in, int wait_ms)
{
	static uint8_t buf[4096];
	struct pollfd pf = { .fd = s->sniff, .events = POLLIN };
	uint8_t m2[6], m3[6];

	pkt_mac(BT_MAC_GW2, m2);
	pkt_mac(BT_MAC_GW3, m3);
	while (poll(&pf, 1, wait_ms) == 1) {
		ssize_t n = recv(s->sniff, buf, sizeof(buf), 0);

		if (n <= 14 || (memcmp(buf, m2, 6) && memcmp(buf, m3, 6)))
			continue;
		s->clones++;
		if (in)
			s->csum_checked += (uint64_t)check_output(s, 0, buf, (size_t)n, in->b, in->len);
	}
}

static void run_tc_chain(struct scen *s, const struct bt_result *x, const struct pkt *in, int i)
{
	static struct bt_result r;

	cr_assert_eq(bt_run_tc(s->chain_tc, s->cnt, x->out, x->out_len, s->ifindex, &r), 0);
	account(s, &r, i);
	if (r.retval == TC_ACT_REDIRECT ||
	    (r.retval == TC_ACT_OK && (r.out_len != x->out_len ||
				       memcmp(r.out, x->out, x->out_len)))) {
		s->fwd++;
		s->csum_checked += (uint64_t)check_output(s, 0, r.out, r.out_len, in->b, in->len);
	} else {
		cr_assert(r.retval == TC_ACT_OK || r.retval == TC_ACT_SHOT,
			  "%s packet %d: TC action %u", s->name, i, r.retval);
	}
	drain_clones(s, in, 0);
}

static void run_one(struct scen *s, const struct pkt *p, int i)
{
	static struct bt_result r;
	int changed;

	if (s->is_tc) {
		/* BPF_PROG_TEST_RUN refuses (EINVAL) an IPv6 frame shorter than
		 * the IPv6 header for skb programs: not fed, counted apart */
		if (p->len < 14 + 40 && p->b[12] == 0x86 && p->b[13] == 0xdd) {
			s->refused++;
			return;
		}
		cr_assert_eq(bt_run_tc(s->prog, s->cnt, p->b, p->len, s->ifindex, &r), 0,
			     "%s packet %d: %zu octets", s->name, i, p->len);
		account(s, &r, i);
		cr_assert(r.retval == TC_ACT_OK || r.retval == TC_ACT_SHOT,
			  "%s packet %d: TC action %u", s->name, i, r.retval);
		changed = r.out_len != p->len || memcmp(r.out, p->b, p->len);
		if (changed && r.retval == TC_ACT_OK) {
			s->fwd++;
			s->csum_checked += (uint64_t)check_output(s, 0, r.out, r.out_len, p->b, p->len);
		}
		return;
	}
	cr_assert_eq(bt_run(s->prog, s->cnt, p->b, p->len, s->ifindex, &r), 0);
	account(s, &r, i);
	if (r.retval == XDP_TX || r.retval == XDP_REDIRECT) {
		s->fwd++;
		s->csum_checked += (uint64_t)check_output(s, r.retval == XDP_TX, r.out, r.out_len,
							  p->b, p->len);
	} else {
		cr_assert(r.retval == XDP_PASS || r.retval == XDP_DROP,
			  "%s packet %d: action %u", s->name, i, r.retval);
	}
	if (s->rb) {
		ev_n = 0;
		cr_assert_geq(ring_buffer__consume(s->rb), 0);
		cr_assert_eq(ev_n, r.retval == XDP_DROP, "%s packet %d: %d trace events for %s",
			     s->name, i, ev_n, bt_action(r.retval));
		if (ev_n) {
			s->events++;
			cr_assert_eq(ev_got.kind, XP_TRACE_DROP);
			cr_assert_eq((int)ev_got.reason, drop_reason(&r), "traced reason %u",
				     ev_got.reason);
			cr_assert_eq(ev_got.ifindex, (uint32_t)s->ifindex);
		}
	}
	if (r.retval == XDP_PASS && s->chain_tc >= 0)
		run_tc_chain(s, &r, p, i);
}

static void fuzz(struct scen *s)
{
	static struct pkt p;
	uint64_t c0[XP_R_MAX], c1[XP_R_MAX], sum = 0;
	const char *e = getenv("FUZZ_SEED");
	char line[2048];
	int o = 0;

	rnd_state = e ? (uint32_t)strtoul(e, NULL, 0) : 0x9e3779b9u;
	if (!rnd_state)
		rnd_state = 1;
	fprintf(stderr, "%s: FUZZ_SEED=%u\n", s->name, rnd_state);
	cr_assert_gt(s->n_seeds, 0);
	cr_assert_eq(bt_counters(s->cnt, c0), 0);
	for (int i = 0; i < N_PACKETS; i++) {
		p = s->seed[rnd() % s->n_seeds];
		/* one in eight goes unchanged: the paths are reached with valid packets too */
		if (rnd() % 8) {
			for (int m = 1 + rnd() % 3; m > 0; m--)
				mutate(&p);
			if (rnd() % 2)
				recsum(&p);
		}
		run_one(s, &p, i);
	}
	if (s->sniff >= 0)
		drain_clones(s, NULL, 200);
	cr_assert_eq(bt_counters(s->cnt, c1), 0);
	for (int i = 0; i < XP_R_MAX; i++) {
		sum += c1[i] - c0[i];
		cr_assert_eq(c1[i] - c0[i], s->reasons[i]);
	}
	cr_assert_eq(sum, s->runs, "counters sum to %llu for %llu runs", (unsigned long long)sum,
		     (unsigned long long)s->runs);
	for (int i = 0; i < XP_R_MAX && o < (int)sizeof(line) - 64; i++)
		if (s->reasons[i])
			o += snprintf(line + o, sizeof(line) - (size_t)o, " %s=%llu",
				      xp_reason_names[i], (unsigned long long)s->reasons[i]);
	fprintf(stderr, "FUZZ %s: packets=%d runs=%llu forwarded=%llu csum_checked=%llu "
		"trace_events=%llu clones=%llu refused_short=%llu reasons:%s\n", s->name, N_PACKETS,
		(unsigned long long)s->runs, (unsigned long long)s->fwd,
		(unsigned long long)s->csum_checked, (unsigned long long)s->events,
		(unsigned long long)s->clones, (unsigned long long)s->refused, line);
	cr_assert_gt(s->fwd, 100, "%s: mutations too destructive: the forwarding paths were not "
		     "fuzzed", s->name);
}

/* a path's own reason reached often enough to say it was fuzzed */
static void reached(const struct scen *s, int reason, uint64_t min)
{
	cr_assert_geq(s->reasons[reason], min, "%s: %s reached %llu times, want >= %llu", s->name,
		      xp_reason_names[reason], (unsigned long long)s->reasons[reason],
		      (unsigned long long)min);
}

static struct scen sc;

static void init(void)
{
	cr_assert_eq(bt_netns(&env), 0);
}

TestSuite(fuzz, .init = init, .timeout = 300);

static struct ring_buffer *ring(int fd)
{
	struct ring_buffer *rb = ring_buffer__new(fd, on_event, NULL, NULL);

	cr_assert_not_null(rb);
	return rb;
}

/* A path of one XDP object with the trace ring on, seeded by seeds() */
static void xdp_path(const char *name, int prog, int cnt, int ring_fd, int ifindex,
		     void (*seeds)(struct scen *))
{
	scen_init(&sc, name, prog, 0, cnt, ifindex);
	sc.rb = ring(ring_fd);
	seeds(&sc);
	fuzz(&sc);
	ring_buffer__free(sc.rb);
	sc.rb = NULL;
}

Test(fuzz, lma_rx)
{
	struct xp_lma *s = BT_OPEN_AND_LOAD(xp_lma);

	cr_assert_not_null(s);
	fill_maps(s->obj, 0, XP_CFG_F_TRACE);
	xdp_path("xp_lma_rx", bpf_program__fd(s->progs.xp_lma_rx), bpf_map__fd(s->maps.xp_cnt_v1),
		 bpf_map__fd(s->maps.xp_trace_v1), env.if_a, seeds_base);
	reached(&sc, XP_R_DL_FORWARD, 100);
	reached(&sc, XP_R_UL_FORWARD, 100);
	reached(&sc, XP_R_PTB_SENT, 50);
	xp_lma__destroy(s);
}

/* the MAG object, one of its two programs */
static void mag_path(int core)
{
	struct xp_mag *s = BT_OPEN_AND_LOAD(xp_mag);

	cr_assert_not_null(s);
	fill_maps(s->obj, env.if_c, XP_CFG_F_TRACE);
	xdp_path(core ? "xp_mag_core" : "xp_mag_access",
		 bpf_program__fd(core ? s->progs.xp_mag_core : s->progs.xp_mag_access),
		 bpf_map__fd(s->maps.xp_cnt_v1), bpf_map__fd(s->maps.xp_trace_v1),
		 core ? env.if_a : env.if_c, seeds_base);
	reached(&sc, core ? XP_R_DL_DELIVER : XP_R_UL_ENCAP, 100);
	xp_mag__destroy(s);
}

Test(fuzz, mag_access) { mag_path(0); }
Test(fuzz, mag_core) { mag_path(1); }

/* a selector over one field range */
static struct xp_flow_sel *sel(struct xp_flow_set *set, uint16_t fields, uint8_t action,
			       uint16_t bid)
{
	struct xp_flow_sel *e = &set->sel[set->n++];

	e->fields = fields;
	e->action = action;
	e->bid = bid;
	e->fid = (uint16_t)set->n;
	return e;
}

static void put_prefix_kind(int fd, const char *addr, uint32_t plen, int hash, uint32_t mn_id,
			    uint16_t bid, uint8_t kind, uint8_t flags)
{
	struct xp_prefix_val v = { .mn_id = mn_id, .bid = bid, .kind = kind, .flags = flags };

	if (hash) {
		struct xp_prefix64_key k;
		uint8_t full[16];

		pkt_addr(addr, full);
		memcpy(k.a32, full, sizeof(k.a32));	/* the first 8 octets */
		cr_assert_eq(bpf_map_update_elem(fd, &k, &v, BPF_ANY), 0);
	} else {
		struct xp_prefix_key k = { .prefixlen = plen };

		pkt_addr(addr, k.addr.a8);
		cr_assert_eq(bpf_map_update_elem(fd, &k, &v, BPF_ANY), 0);
	}
}

static size_t map_entries(int fd, size_t key_size)
{
	uint8_t k[64], nk[64];
	size_t n = 0;
	void *cur = NULL;

	cr_assert_leq(key_size, sizeof(k));
	while (!bpf_map_get_next_key(fd, cur, nk)) {
		memcpy(k, nk, key_size);
		cur = k;
		n++;
	}
	return n;
}

Test(fuzz, lma_flows)
{
	struct xp_lma *s = BT_OPEN_AND_LOAD(xp_lma);
	struct xp_flow_set *set = calloc(1, sizeof(*set));
	struct xp_mn_val mv = { .flags = XP_MNF_FLOWS, .flow_gen = FLOW_GEN };
	struct xp_flow_sel *e;
	uint32_t mn1 = 1;
	size_t cached;

	cr_assert_not_null(s);
	cr_assert_not_null(set);
	fill_maps(s->obj, 0, XP_CFG_F_TRACE);
	cr_assert_eq(bt_add_bind(bpf_map__fd(s->maps.xp_bind_v1), 1, 2, PEER3, LOCAL, 0, NULL,
				 NULL, XP_BF_ACTIVE), 0);
	cr_assert_eq(bt_add_peer(bpf_map__fd(s->maps.xp_peer_v1), PEER3), 0);
	/* 2-level: a temporal /64 (hash) and a temporal /80 (trie, LONG) owned by BID 2 */
	put_prefix_kind(bpf_map__fd(s->maps.xp_pfx64_v1), TMP64, 64, 1, 1, 2, XP_PFX_TEMPORAL, 0);
	put_prefix_kind(bpf_map__fd(s->maps.xp_pfx_v1), TMP80, 80, 0, 1, 2, XP_PFX_TEMPORAL,
			XP_PFXF_LONG);
	/* selectors in FID-PRI order, as flowdp_build writes them */
	e = sel(set, XP_FSEL_DPORT | XP_FSEL_NH, XP_FBA_FORWARD, 2);
	e->dport_lo = DPORT_FWD; e->dport_hi = DPORT_FWD; e->nh_lo = 6; e->nh_hi = 17;
	e = sel(set, XP_FSEL_SPI, XP_FBA_DROP, 0);
	e->spi_lo = SPI_DROP; e->spi_hi = SPI_DROP + 0xff;
	e = sel(set, XP_FSEL_FL, XP_FBA_DROP, 0);
	e->fl_lo = FL_DROP; e->fl_hi = FL_DROP;
	e = sel(set, XP_FSEL_SRC | XP_FSEL_TC, XP_FBA_FORWARD, 2);
	e->src_lo.hi = 0x20010db800990000ull; e->src_hi.hi = 0x20010db80099ffffull;
	e->src_hi.lo = ~0ull; e->tc_lo = 0x10; e->tc_hi = 0x3f;
	e = sel(set, XP_FSEL_DST | XP_FSEL_SPORT, XP_FBA_FORWARD, 1);
	e->dst_lo.hi = 0x20010db800a10000ull; e->dst_hi.hi = 0x20010db800a10000ull;
	e->dst_hi.lo = ~0ull; e->sport_lo = 1000; e->sport_hi = 5000;
	for (int i = 0; i < 40; i++) {	/* never matching: the walk goes on to the end */
		e = sel(set, XP_FSEL_NH, XP_FBA_FORWARD, 1);
		e->nh_lo = e->nh_hi = 200;
	}
	set->gen = FLOW_GEN;
	cr_assert_eq(bpf_map_update_elem(bpf_map__fd(s->maps.xp_fsel_v1), &mn1, set, BPF_ANY), 0);
	/* the flows must win over an IFP choice; the temporal prefixes over both */
	mv.n_dl = 1;
	mv.dl_bid[0] = 1;
	cr_assert_eq(bpf_map_update_elem(bpf_map__fd(s->maps.xp_mn_v1), &mn1, &mv, BPF_ANY), 0);
	free(set);

	xdp_path("xp_lma_rx/flows+temporal", bpf_program__fd(s->progs.xp_lma_rx),
		 bpf_map__fd(s->maps.xp_cnt_v1), bpf_map__fd(s->maps.xp_trace_v1), env.if_a,
		 seeds_flows);
	cached = map_entries(bpf_map__fd(s->maps.xp_fcache_v1), sizeof(struct xp_fc_key));
	fprintf(stderr, "FUZZ %s: flow cache entries (selector walks that missed the cache) %zu\n",
		sc.name, cached);
	cr_assert_gt(cached, 500, "the selector walk ran only %zu times", cached);
	reached(&sc, XP_R_DL_FORWARD, 1000);
	reached(&sc, XP_R_DROP_FLOW_ACTION, 200);
	xp_lma__destroy(s);
}

/* MN 8 of test_ifp.c: IF1 primary via PEER, IF2 via PEER3 with its own HoA */
static void fill_ifp(struct xp_lma *s, uint8_t n_dl)
{
	struct xp_mn_val mv = { .n_dl = n_dl, .dl_bid = { n_dl == 1 ? 2 : 1, 2 } };
	int bind = bpf_map__fd(s->maps.xp_bind_v1), pfx = bpf_map__fd(s->maps.xp_pfx_v1);
	uint32_t mn8 = MN8, zero = 0;
	struct xp_cfg c;

	fill_maps(s->obj, 0, XP_CFG_F_TRACE);
	cr_assert_eq(bpf_map_lookup_elem(bpf_map__fd(s->maps.xp_cfg_v1), &zero, &c), 0);
	c.primary_hoa_opt = XP_DSTOPT_PRIMARY_HOA_DEFAULT;
	c.tunnel_mtu = 1500;
	cr_assert_eq(bpf_map_update_elem(bpf_map__fd(s->maps.xp_cfg_v1), &zero, &c, BPF_ANY), 0);
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:b1::", 64, MN8, 1, 0), 0);
	cr_assert_eq(bt_add_prefix(pfx, "2001:db8:b2::", 64, MN8, 2, 0), 0);
	for (uint16_t bid = 1; bid <= 2; bid++) {
		struct xp_bind_key k = { .mn_id = MN8, .bid = bid };
		struct xp_bind_val v = { .flags = XP_BF_ACTIVE | (bid == 1 ? XP_BF_PRIMARY : 0),
					 .ifp = (uint8_t)bid, .mtu = 1400 };

		memcpy(v.peer.a8, bid == 1 ? peer_addr : peer3_addr, 16);
		memcpy(v.local.a8, local_addr, 16);
		memcpy(v.hoa.a8, bid == 1 ? phoa : hoa2, 16);
		cr_assert_eq(bpf_map_update_elem(bind, &k, &v, BPF_ANY), 0);
	}
	memcpy(mv.primary_hoa.a8, phoa, 16);
	cr_assert_eq(bpf_map_update_elem(bpf_map__fd(s->maps.xp_mn_v1), &mn8, &mv, BPF_ANY), 0);
	cr_assert_eq(bt_add_peer(bpf_map__fd(s->maps.xp_peer_v1), PEER3), 0);
	cr_assert_eq(bt_add_ul(bpf_map__fd(s->maps.xp_ul_v1), PEER, MN8, 1), 0);
	cr_assert_eq(bt_add_ul(bpf_map__fd(s->maps.xp_ul_v1), PEER3, MN8, 2), 0);
}

Test(fuzz, lma_ifp)
{
	struct xp_lma *s = BT_OPEN_AND_LOAD(xp_lma);

	cr_assert_not_null(s);
	fill_ifp(s, 1);
	xdp_path("xp_lma_rx/ifp", bpf_program__fd(s->progs.xp_lma_rx),
		 bpf_map__fd(s->maps.xp_cnt_v1), bpf_map__fd(s->maps.xp_trace_v1), env.if_a,
		 seeds_ifp_both);
	reached(&sc, XP_R_DL_FORWARD_RH2, 1000);
	reached(&sc, XP_R_UL_FORWARD_HOA, 1000);
	reached(&sc, XP_R_DROP_BAD_PRIMARY_HOA, 10);
	reached(&sc, XP_R_DROP_RH2_HBH, 10);
	xp_lma__destroy(s);
}

Test(fuzz, lma_dup)
{
	struct xp_lma *s = BT_OPEN_AND_LOAD(xp_lma);
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IPV6) };

	cr_assert_not_null(s);
	fill_ifp(s, 2);
	scen_init(&sc, "xp_lma_rx+xp_lma_dup", bpf_program__fd(s->progs.xp_lma_rx), 0,
		  bpf_map__fd(s->maps.xp_cnt_v1), env.if_a);
	sc.chain_tc = bpf_program__fd(s->progs.xp_lma_dup);
	sc.rb = ring(bpf_map__fd(s->maps.xp_trace_v1));
	sll.sll_ifindex = (int)if_nametoindex("xpb");
	sc.sniff = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_IPV6));
	cr_assert_geq(sc.sniff, 0);
	cr_assert_eq(bind(sc.sniff, (struct sockaddr *)&sll, sizeof(sll)), 0);
	seeds_ifp(&sc, 0);
	fuzz(&sc);
	reached(&sc, XP_R_PASS_DL_DUP, 1000);
	reached(&sc, XP_R_DL_DUP, 1000);
	cr_assert_geq(sc.clones, 1000, "only %llu clones seen", (unsigned long long)sc.clones);
	cr_assert_leq(sc.clones, sc.reasons[XP_R_DL_DUP], "more clones than DL_DUP verdicts");
	close(sc.sniff);
	ring_buffer__free(sc.rb);
	xp_lma__destroy(s);
}

static struct xp_mn *mn_load(uint8_t flags)
{
	struct xp_mn *s = BT_OPEN_AND_LOAD(xp_mn);
	struct xp_mnif_val v = { .flags = flags, .hoa_opt = XP_DSTOPT_PRIMARY_HOA_DEFAULT };
	uint32_t k = (uint32_t)env.if_a;

	cr_assert_not_null(s);
	addrs();
	memcpy(v.hoa.a8, flags & XP_MNIF_F_PRIMARY ? phoa : hoa2, 16);
	memcpy(v.primary_hoa.a8, phoa, 16);
	cr_assert_eq(bpf_map_update_elem(bpf_map__fd(s->maps.xp_mnif_v1), &k, &v, BPF_ANY), 0);
	return s;
}

/* one of the MN's TC programs, mn-if2's entry (not primary) in xp_mnif_v1 */
static void mn_path(int egress)
{
	struct xp_mn *s = mn_load(0);

	scen_init(&sc, egress ? "xp_mn_egress" : "xp_mn_ingress",
		  bpf_program__fd(egress ? s->progs.xp_mn_egress : s->progs.xp_mn_ingress), 1,
		  bpf_map__fd(s->maps.xp_cnt_v1), env.if_a);
	sc.mn_role = 1;
	if (egress)
		seeds_mn_egress(&sc);
	else
		seeds_mn_ingress(&sc);
	fuzz(&sc);
	reached(&sc, egress ? XP_R_MN_UL_HOA : XP_R_MN_DL_RH2, 1000);
	xp_mn__destroy(s);
}

Test(fuzz, mn_egress) { mn_path(1); }
Test(fuzz, mn_ingress) { mn_path(0); }
