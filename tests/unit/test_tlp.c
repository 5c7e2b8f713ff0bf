// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * 001 2-level prefixes: the table (blocks per MAG, /64s carved per MAC)
 * and the LMA's handling of temporal prefixes: registration, partial and
 * full flow handover (HI 5), the Idle hold, the reverse handover, restart.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "bcache.h"
#include "config.h"
#include "lma.h"
#include "mh_codec.h"
#include "tlp.h"
#include "xpmip_maps.h"
#include "xpmip_state.h"

static struct xp_prefix P(const char *s)
{
	struct xp_prefix p;

	memset(&p, 0, sizeof(p));
	cr_assert_eq(xp_prefix_parse(s, &p), 0, "%s", s);
	return p;
}

static struct in6_addr A(const char *s)
{
	struct in6_addr a;

	cr_assert_eq(inet_pton(AF_INET6, s, &a), 1, "%s", s);
	return a;
}

static const char *S(const struct xp_prefix *p)
{
	static char buf[4][64];
	static int i;

	return xp_prefix_str(p, buf[i++ & 3], sizeof(buf[0]));
}

/* ---- the table ---- */

Test(tlp, block_per_mag_stable_and_distinct)
{
	struct tlp_table t;
	struct xp_prefix pool = P("2001:db8:f000::/40"), b1, b2, again;
	struct in6_addr m1 = A("2001:db8:a1::2"), m2 = A("2001:db8:a2::2");
	struct xp_tlp_state s = { .level = XP_TLP_LEVEL_BLOCK, .kind = XP_PFX_TEMPORAL };

	tlp_init(&t);
	cr_assert_eq(tlp_block_assign(&t, &pool, 56, &m1, &b1), 0);
	cr_assert_eq(b1.plen, 56);
	cr_assert(xp_prefix_contains(&pool, &b1.addr));
	memcpy(s.peer.a8, &m1, 16);
	cr_assert_not_null(tlp_put(&t, &b1, &s));
	cr_assert_eq(tlp_block_assign(&t, &pool, 56, &m2, &b2), 0);
	cr_assert_neq(memcmp(&b1.addr, &b2.addr, 16), 0, "%s %s", S(&b1), S(&b2));
	/* MAG1 asks again: the same block */
	cr_assert_eq(tlp_block_assign(&t, &pool, 56, &m1, &again), 0);
	cr_assert_str_eq(S(&again), S(&b1));
	/* a fresh table picks the same block for MAG1 (stable, not order-bound) */
	tlp_fini(&t);
	tlp_init(&t);
	cr_assert_eq(tlp_block_assign(&t, &pool, 56, &m1, &again), 0);
	cr_assert_str_eq(S(&again), S(&b1));
	cr_assert_null(tlp_block_containing(&t, &m1), "a MAG address is not in a block");
	tlp_fini(&t);
}

Test(tlp, carve_per_mac_stable_skips_used_and_fills)
{
	struct tlp_table t;
	struct xp_prefix blk = P("2001:db8:f0aa:fc00::/62"), a, b, c, d, e;
	const uint8_t mac1[6] = { 2, 0, 0, 0, 1, 1 }, mac2[6] = { 2, 0, 0, 0, 1, 2 };
	struct xp_tlp_state s = { .level = XP_TLP_LEVEL_L2, .kind = XP_PFX_TEMPORAL };

	tlp_init(&t);
	cr_assert_eq(tlp_carve(&t, &blk, mac1, &a), 0);
	cr_assert_eq(a.plen, 64);
	cr_assert(xp_prefix_contains(&blk, &a.addr));
	cr_assert_eq(tlp_carve(&t, &blk, mac1, &b), 0);
	cr_assert_str_eq(S(&a), S(&b), "same MAC, same table: same prefix");
	cr_assert_not_null(tlp_put(&t, &a, &s));
	cr_assert_eq(tlp_carve(&t, &blk, mac1, &b), 0);
	cr_assert_str_neq(S(&a), S(&b), "the second prefix of the interface");
	cr_assert_not_null(tlp_put(&t, &b, &s));
	cr_assert_eq(tlp_carve(&t, &blk, mac2, &c), 0);
	cr_assert_not_null(tlp_put(&t, &c, &s));
	cr_assert_eq(tlp_carve(&t, &blk, mac2, &d), 0);
	cr_assert_not_null(tlp_put(&t, &d, &s));
	cr_assert_eq(t.n, 4);
	for (size_t i = 0; i < t.n; i++)
		for (size_t j = i + 1; j < t.n; j++)
			cr_assert_str_neq(S(&t.e[i].p), S(&t.e[j].p));
	cr_assert_eq(tlp_carve(&t, &blk, mac1, &e), -ENOSPC, "a /62 holds four /64s");
	/* delete one: it is the one handed out again */
	tlp_del(&t, tlp_find(&t, &c));
	cr_assert_eq(tlp_carve(&t, &blk, mac1, &e), 0);
	cr_assert_str_eq(S(&e), S(&c));
	blk = P("2001:db8::/80");
	cr_assert_eq(tlp_carve(&t, &blk, mac1, &e), -EINVAL);
	tlp_fini(&t);
}

/* ---- the LMA ---- */

#define T0_MS	1700000000000ull
#define HOLD_S	20

static uint64_t fake_rt = T0_MS, fake_mono = 1000;
static uint64_t clk_rt(void *ctx) { (void)ctx; return fake_rt; }
static uint64_t clk_mono(void *ctx) { (void)ctx; return fake_mono; }
static const struct lma_clock fake_clock = { clk_rt, clk_mono, NULL };

static const char *MAG1 = "2001:db8:a1::2", *MAG2 = "2001:db8:a2::2";
static struct xp_config cfg;
static struct lma_maps maps;
static int tlp_fd = -1;
static struct lma *L;
static struct mh_msg pba;
static uint16_t seq = 1;

static int mk(enum bpf_map_type t, size_t k, size_t v, uint32_t flags)
{
	LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = flags);
	int fd = bpf_map_create(t, NULL, (uint32_t)k, (uint32_t)v, 1024, &o);

	cr_assert_geq(fd, 0, "bpf_map_create: %s", strerror(errno));
	return fd;
}

static void setup(void)
{
	const char *text =
		"lma = {\n"
		"  address = \"2001:db8:ff::1\";\n"
		"  interfaces = [ \"lo\" ];\n"
		"  authorized_mags = [ \"2001:db8:a1::/64\", \"2001:db8:a2::/64\" ];\n"
		"  hnp_pool = \"2001:db8:100::/40\";\n"
		"  timestamps = false;\n"
		"  default_policy = { allowed = true; };\n"
		"  two_level = { temporal_pool = \"2001:db8:f000::/40\"; block_len = 56;\n"
		"                ffho_hold_s = 20; };\n"
		"};\n";
	char path[] = "/tmp/xpmip-tlp-test-XXXXXX", err[XP_CFG_ERR_MAX];
	int fd = mkstemp(path);

	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	cr_assert_eq(xp_config_load(path, XP_ROLE_LMA, &cfg, err), 0, "%s", err);
	unlink(path);
	cr_assert(cfg.lma.two_level.enabled);
	fake_rt = T0_MS;
	maps.cfg = -1;
	maps.pfx = mk(BPF_MAP_TYPE_LPM_TRIE, sizeof(struct xp_prefix_key),
		      sizeof(struct xp_prefix_val), BPF_F_NO_PREALLOC);
	maps.pfx64 = mk(BPF_MAP_TYPE_HASH, sizeof(struct xp_prefix64_key),
			sizeof(struct xp_prefix_val), 0);
	maps.bind = mk(BPF_MAP_TYPE_HASH, sizeof(struct xp_bind_key), sizeof(struct xp_bind_val), 0);
	maps.mn = mk(BPF_MAP_TYPE_HASH, sizeof(__u32), sizeof(struct xp_mn_val), 0);
	maps.ul = mk(BPF_MAP_TYPE_HASH, sizeof(struct xp_ul_key), sizeof(struct xp_ul_val), 0);
	maps.peer = mk(BPF_MAP_TYPE_HASH, sizeof(union xp_addr6), sizeof(struct xp_peer_val), 0);
	maps.bce = mk(BPF_MAP_TYPE_HASH, sizeof(struct xp_bind_key), sizeof(struct xp_bce_state),
		      BPF_F_NO_PREALLOC);
	maps.bstat = -1;
	tlp_fd = mk(BPF_MAP_TYPE_HASH, sizeof(struct xp_prefix_key), sizeof(struct xp_tlp_state),
		    BPF_F_NO_PREALLOC);
	cr_assert_eq(lma_new(&cfg, NULL, &maps, &fake_clock, &L), 0);
	lma_set_tlp_map(L, tlp_fd);
}

static void teardown(void)
{
	int *f = &maps.cfg;

	lma_free(L);
	for (size_t i = 0; i < sizeof(maps) / sizeof(int); i++)
		if (f[i] >= 0)
			close(f[i]);
	close(tlp_fd);
	xp_config_free(&cfg);
}

/* PBU from mag for interface llid with HI hi and the given prefixes (none:
 * one all-zero HNP); returns the PBA status, the PBA in pba */
static int pbu(const char *mag, const char *llid, int hi, unsigned n, const struct xp_prefix *p)
{
	struct mh_msg m;
	uint8_t in[MH_MAX_MSG_LEN], out[MH_MAX_MSG_LEN];
	struct in6_addr src = A(mag), dst = A("2001:db8:ff::1");
	int len, rc;

	mh_msg_init(&m, XP_MH_TYPE_BU);
	m.bu.seq = seq++;
	m.bu.flags = XP_BU_F_A | XP_BU_F_P;
	m.bu.lifetime = 3600 / XP_LIFETIME_UNIT_S;
	cr_assert_eq(mh_set_mnid(&m, "mn1@x"), 0);
	if (!n)
		mh_add_hnp(&m, &in6addr_any, 0, 0);
	for (unsigned i = 0; i < n; i++)
		mh_add_hnp(&m, &p[i].addr, p[i].plen, 0);
	m.opt.present |= MH_HAS_HI | MH_HAS_ATT | MH_HAS_MN_LLID;
	m.opt.hi = (uint8_t)hi;
	m.opt.att = XP_ATT_80211;
	m.opt.llid_len = (uint8_t)strlen(llid);
	memcpy(m.opt.llid, llid, m.opt.llid_len);
	len = mh_encode(&m, in, sizeof(in));
	cr_assert_gt(len, 0);
	rc = lma_handle_pbu(L, in, (size_t)len, &src, &dst, out, sizeof(out));
	cr_assert_gt(rc, 0);
	cr_assert_eq(mh_decode(out, (size_t)rc, &pba, NULL), MH_OK);
	return pba.ba.status;
}

static bool pba_has(const struct xp_prefix *p)
{
	for (unsigned i = 0; i < pba.opt.n_hnp; i++)
		if (pba.opt.hnp[i].plen == p->plen && !memcmp(&pba.opt.hnp[i].prefix, &p->addr, 16))
			return true;
	return false;
}

static struct xp_prefix pba_block(void)
{
	struct xp_prefix b = { .addr = pba.opt.tpfx, .plen = pba.opt.tpfx_plen };

	cr_assert(pba.opt.present & MH_HAS_TPFX_BLOCK, "PBA without option 202");
	return b;
}

/* the data plane's entry for a /64 */
static struct xp_prefix_val route(const struct xp_prefix *p)
{
	struct xp_prefix64_key k;
	struct xp_prefix_val v;

	memcpy(k.a32, p->addr.s6_addr, sizeof(k.a32));
	cr_assert_eq(bpf_map_lookup_elem(maps.pfx64, &k, &v), 0, "no route for %s", S(p));
	return v;
}

static uint8_t bind_flags(uint32_t mn_idx, uint16_t bid)
{
	struct xp_bind_key k = { .mn_id = mn_idx, .bid = bid };
	struct xp_bind_val v;

	cr_assert_eq(bpf_map_lookup_elem(maps.bind, &k, &v), 0);
	return v.flags;
}

/* /64 number i of block b */
static struct xp_prefix l2(const struct xp_prefix *b, unsigned i)
{
	struct xp_prefix p = *b;

	p.plen = 64;
	p.addr.s6_addr[7] = (uint8_t)(p.addr.s6_addr[7] + i);
	return p;
}

struct scene {
	struct xp_prefix blk1, blk2, hnp1, hnp2, t11, t12, t21;
	uint16_t bid1, bid2;
	uint32_t idx;
};

/* 001 scenario 1 initial stage: if1 at MAG1 with HNP_1(P), HNP_1_1(T),
 * HNP_1_2(T); if2 at MAG2 with HNP_2(P), HNP_2_1(T) */
static void scenario1(struct scene *s)
{
	struct xp_prefix r[3];

	cr_assert_eq(pbu(MAG1, "if1", XP_HI_UNKNOWN, 0, NULL), XP_PBA_ACCEPTED);
	s->blk1 = pba_block();
	cr_assert_eq(s->blk1.plen, 56);
	s->hnp1 = (struct xp_prefix){ .addr = pba.opt.hnp[0].prefix, .plen = pba.opt.hnp[0].plen };
	cr_assert_eq(pba.opt.n_hnp, 1, "no temporal prefix before the MAG registers one");
	s->bid1 = bcache_get(lma_bcache(L), "mn1@x", 1) ? 1 : 0;
	cr_assert_eq(s->bid1, 1);
	s->idx = bcache_mn(lma_bcache(L), "mn1@x")->idx;
	s->t11 = l2(&s->blk1, 1);
	s->t12 = l2(&s->blk1, 2);
	r[0] = s->hnp1;
	r[1] = s->t11;
	r[2] = s->t12;
	cr_assert_eq(pbu(MAG1, "if1", XP_HI_NOT_CHANGED, 3, r), XP_PBA_ACCEPTED);
	cr_assert_eq(pba.opt.n_hnp, 3);
	cr_assert(pba_has(&s->t11) && pba_has(&s->t12));

	cr_assert_eq(pbu(MAG2, "if2", XP_HI_NEW_IF, 0, NULL), XP_PBA_ACCEPTED);
	s->blk2 = pba_block();
	cr_assert_str_neq(S(&s->blk1), S(&s->blk2));
	s->hnp2 = (struct xp_prefix){ .addr = pba.opt.hnp[0].prefix, .plen = pba.opt.hnp[0].plen };
	s->bid2 = 2;
	cr_assert_not_null(bcache_get(lma_bcache(L), "mn1@x", 2));
	s->t21 = l2(&s->blk2, 1);
	r[0] = s->hnp2;
	r[1] = s->t21;
	cr_assert_eq(pbu(MAG2, "if2", XP_HI_NOT_CHANGED, 2, r), XP_PBA_ACCEPTED);
	cr_assert(pba_has(&s->t21));
}

TestSuite(lma_tl, .init = setup, .fini = teardown);

Test(lma_tl, registration_routes_temporal_prefixes_and_refuses_foreign_ones)
{
	struct scene s;
	struct xp_prefix r[2];
	struct xp_prefix_val v;

	scenario1(&s);
	v = route(&s.t11);
	cr_assert_eq(v.kind, XP_PFX_TEMPORAL);
	cr_assert_eq(v.bid, s.bid1);
	cr_assert_eq(v.mn_id, s.idx);
	cr_assert_eq(route(&s.hnp1).kind, XP_PFX_PERMANENT);
	cr_assert_eq(route(&s.t21).bid, s.bid2);
	/* MAG1 cannot register a /64 of MAG2's block */
	r[0] = s.hnp1;
	r[1] = l2(&s.blk2, 7);
	cr_assert_eq(pbu(MAG1, "if1", XP_HI_NOT_CHANGED, 2, r), XP_PBA_ACCEPTED);
	cr_assert_not(pba_has(&r[1]));
	cr_assert(pba_has(&s.t11) && pba_has(&s.t12), "a refresh keeps the binding's prefixes");
	/* the block is stable: MAG1 gets the same one again */
	cr_assert_str_eq(S(&s.blk1), S(&(struct xp_prefix){ pba.opt.tpfx, pba.opt.tpfx_plen }));
}

Test(lma_tl, pfho_moves_one_prefix_and_the_old_mag_learns_it)
{
	struct scene s;
	struct xp_prefix r[3];

	scenario1(&s);
	/* MAG2: PBU HI 5 with HNP_1_2(T) only */
	cr_assert_eq(pbu(MAG2, "if2", XP_HI_NOT_CHANGED, 1, &s.t12), XP_PBA_ACCEPTED);
	cr_assert(pba_has(&s.t12) && pba_has(&s.t21) && pba_has(&s.hnp2));
	cr_assert_not(pba_has(&s.t11));
	cr_assert_eq(route(&s.t12).bid, s.bid2);
	cr_assert_eq(route(&s.t11).bid, s.bid1, "the other flow stays");
	cr_assert_not(bind_flags(s.idx, s.bid1) & XP_BF_IDLE, "PFHO: the session stays active");
	/* MAG1's refresh still lists HNP_1_2: not moved back, not in its PBA */
	r[0] = s.hnp1;
	r[1] = s.t11;
	r[2] = s.t12;
	cr_assert_eq(pbu(MAG1, "if1", XP_HI_NOT_CHANGED, 3, r), XP_PBA_ACCEPTED);
	cr_assert(pba_has(&s.t11));
	cr_assert_not(pba_has(&s.t12));
	cr_assert_eq(route(&s.t12).bid, s.bid2);
	cr_assert_eq(pba.ba.lifetime, 3600 / XP_LIFETIME_UNIT_S);
}

Test(lma_tl, ffho_idle_hold_reverse_and_removal)
{
	struct scene s;
	struct xp_prefix r[3];

	scenario1(&s);
	/* FFHO: MAG2 sends MAG1's block (the aggregated HNP_1(T)) */
	cr_assert_eq(pbu(MAG2, "if2", XP_HI_NOT_CHANGED, 1, &s.blk1), XP_PBA_ACCEPTED);
	cr_assert(pba_has(&s.t11) && pba_has(&s.t12));
	cr_assert_eq(route(&s.t11).bid, s.bid2);
	cr_assert_eq(route(&s.t12).bid, s.bid2);
	cr_assert(bind_flags(s.idx, s.bid1) & XP_BF_IDLE);
	cr_assert(bind_flags(s.idx, s.bid1) & XP_BF_ACTIVE, "Idle, not gone");
	/* MAG1's refresh: the hold caps the lifetime; nothing comes back */
	r[0] = s.hnp1;
	r[1] = s.t11;
	r[2] = s.t12;
	cr_assert_eq(pbu(MAG1, "if1", XP_HI_NOT_CHANGED, 3, r), XP_PBA_ACCEPTED);
	cr_assert_leq(pba.ba.lifetime * XP_LIFETIME_UNIT_S, HOLD_S);
	cr_assert_not(pba_has(&s.t11));
	/* reverse FFHO within the hold: MAG1 sends its prefixes, HI 5 */
	fake_rt += 5000;
	cr_assert_eq(pbu(MAG1, "if1", XP_HI_NOT_CHANGED, 2, r + 1), XP_PBA_ACCEPTED);
	cr_assert(pba_has(&s.t11) && pba_has(&s.t12) && pba_has(&s.hnp1));
	cr_assert_eq(route(&s.t11).bid, s.bid1);
	cr_assert_not(bind_flags(s.idx, s.bid1) & XP_BF_IDLE);
	cr_assert_eq(pba.ba.lifetime, 3600 / XP_LIFETIME_UNIT_S, "active again: full lifetime");
	lma_run_timers(L);
	cr_assert_not_null(bcache_get(lma_bcache(L), "mn1@x", s.bid1));
	/* FFHO again, and this time the hold runs out */
	cr_assert_eq(pbu(MAG2, "if2", XP_HI_NOT_CHANGED, 2, r + 1), XP_PBA_ACCEPTED);
	cr_assert(bind_flags(s.idx, s.bid1) & XP_BF_IDLE);
	fake_rt += (HOLD_S - 1) * 1000ull;
	lma_run_timers(L);
	cr_assert_not_null(bcache_get(lma_bcache(L), "mn1@x", s.bid1), "within the hold");
	fake_rt += 2000;
	lma_run_timers(L);
	cr_assert_null(bcache_get(lma_bcache(L), "mn1@x", s.bid1), "removed after the hold");
	cr_assert_eq(route(&s.t11).bid, s.bid2, "the moved prefixes stay with if2");
	cr_assert_eq(route(&s.t12).bid, s.bid2);
}

Test(lma_tl, restart_keeps_blocks_routes_and_idle)
{
	struct scene s;
	struct xp_prefix blk;

	scenario1(&s);
	cr_assert_eq(pbu(MAG2, "if2", XP_HI_NOT_CHANGED, 1, &s.blk1), XP_PBA_ACCEPTED);
	/* kill: a new LMA on the same maps */
	lma_free(L);
	cr_assert_eq(lma_new(&cfg, NULL, &maps, &fake_clock, &L), 0);
	lma_set_tlp_map(L, tlp_fd);
	cr_assert_eq(lma_restore(L), 2);
	cr_assert_eq(route(&s.t11).bid, s.bid2);
	cr_assert(bind_flags(s.idx, s.bid1) & XP_BF_IDLE);
	cr_assert(bcache_get(lma_bcache(L), "mn1@x", s.bid1)->tl_idle);
	cr_assert_eq(pbu(MAG1, "if1", XP_HI_NOT_CHANGED, 1, &s.hnp1), XP_PBA_ACCEPTED);
	blk = pba_block();
	cr_assert_str_eq(S(&blk), S(&s.blk1), "the same block after a restart");
	cr_assert_leq(pba.ba.lifetime * XP_LIFETIME_UNIT_S, HOLD_S);
	/* prefixes output: kind, level, idle */
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	char *argv[] = { "prefixes", "--json", NULL };

	cr_assert_eq(lma_ctl(L, 2, argv, out), 0);
	fclose(out);
	cr_assert(strstr(buf, "\"kind\":\"T\",\"level\":1"), "%s", buf);
	cr_assert(strstr(buf, "\"kind\":\"T\",\"level\":2"), "%s", buf);
	cr_assert(strstr(buf, "\"kind\":\"P\",\"level\":1"), "%s", buf);
	cr_assert(strstr(buf, "\"idle\":true"), "%s", buf);
	free(buf);
}

/* ---- the MAG ---- */

#include "mag.h"
#include "mag_tl.h"

static struct mag M;
static struct xp_mag_config MC;
static struct mh_msg sent;
static int n_sent, n_rmpfx;
static const uint8_t MACA[6] = { 2, 0, 0, 0, 1, 1 }, MAC_NONE[6] = { 2, 0, 0, 0, 9, 9 };

static uint64_t m_now(void *c) { (void)c; return 1000; }
static uint64_t m_rt(void *c) { (void)c; return T0_MS; }
static int m_send(void *c, const uint8_t *b, size_t l)
{
	(void)c;
	cr_assert_eq(mh_decode(b, l, &sent, NULL), MH_OK);
	n_sent++;
	return 0;
}
static int m_install(void *c, const struct mag_entry *e) { (void)c; (void)e; return 0; }
static int m_remove(void *c, const struct mag_entry *e) { (void)c; (void)e; return 0; }
static int m_rmpfx(void *c, const struct mag_entry *e, const struct nd_prefix *p, unsigned int n)
{
	(void)c; (void)e; (void)p;
	n_rmpfx += (int)n;
	return 0;
}
static const struct xp_mag_mn_profile *m_profile(void *c, const uint8_t mac[6],
						  struct xp_mag_mn_profile *s)
{
	(void)c;
	memset(s, 0, sizeof(*s));
	memcpy(s->mac, mac, 6);
	snprintf(s->mn_id, sizeof(s->mn_id), "mn1@x");
	s->att = XP_ATT_80211;
	return s;
}

static void mag_setup(void)
{
	struct mag_hooks h = {
		.now_ms = m_now, .realtime_ms = m_rt, .send_mh = m_send, .dp_install = m_install,
		.dp_remove = m_remove, .dp_remove_prefixes = m_rmpfx, .profile = m_profile,
	};

	memset(&MC, 0, sizeof(MC));
	MC.proxy_coa = A("2001:db8:a1::2");
	MC.lma_address = A("2001:db8:ff::1");
	MC.lifetime_s = 3600;
	MC.refresh_pct = 80;
	MC.initial_bindack_timeout_ms = 1000;
	MC.max_bindack_timeout_ms = 32000;
	MC.max_retransmits = 5;
	MC.two_level.enabled = true;
	MC.two_level.prefixes_per_if = 2;
	MC.two_level.has_temporal_pool = true;
	MC.two_level.temporal_pool = P("2001:db8:f000::/40");
	n_sent = n_rmpfx = 0;
	mag_init(&M, &MC, &h);
}

static void mag_teardown(void)
{
	mag_fini(&M);
}

/* answer the last PBU: accepted, with these HNPs and (optionally) a block */
static void answer(const struct xp_prefix *p, unsigned n, const struct xp_prefix *blk)
{
	struct mh_msg a;
	uint8_t buf[MH_MAX_MSG_LEN];
	struct in6_addr lma = A("2001:db8:ff::1");
	int len;

	mh_msg_init(&a, XP_MH_TYPE_BA);
	a.ba.status = XP_PBA_ACCEPTED;
	a.ba.flags = XP_BA_F_P;
	a.ba.seq = sent.bu.seq;
	a.ba.lifetime = 3600 / XP_LIFETIME_UNIT_S;
	cr_assert_eq(mh_set_mnid(&a, "mn1@x"), 0);
	for (unsigned i = 0; i < n; i++)
		mh_add_hnp(&a, &p[i].addr, p[i].plen, 0);
	if (blk) {
		a.opt.present |= MH_HAS_TPFX_BLOCK;
		a.opt.tpfx = blk->addr;
		a.opt.tpfx_plen = blk->plen;
	}
	len = mh_encode(&a, buf, sizeof(buf));
	cr_assert_gt(len, 0);
	cr_assert_eq(mag_on_pba(&M, buf, (size_t)len, &lma), 0);
}

static bool sent_has(const struct xp_prefix *p)
{
	for (unsigned i = 0; i < sent.opt.n_hnp; i++)
		if (sent.opt.hnp[i].plen == p->plen && !memcmp(&sent.opt.hnp[i].prefix, &p->addr, 16))
			return true;
	return false;
}

TestSuite(mag_tl, .init = mag_setup, .fini = mag_teardown);

Test(mag_tl, block_carving_registration_ra_idle_and_handover)
{
	struct xp_prefix hnp = P("2001:db8:100::/64"), blk = P("2001:db8:f0aa:100::/56");
	struct xp_prefix t[2], all[3], foreign = P("2001:db8:f0bb:105::/64");
	struct nd_ra_params ra;
	struct mag_entry *e;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	cr_assert_eq(mag_mn_detected(&M, 3, "acc1", MACA, NULL, false), 0);
	cr_assert_eq(n_sent, 1);
	cr_assert_eq(sent.opt.n_hnp, 1, "no block yet: one all-zero HNP");
	/* PBA 1: permanent prefix and the block; the MAG carves two /64s and
	 * registers them at once (HI 5) */
	answer(&hnp, 1, &blk);
	cr_assert_eq(n_sent, 2);
	cr_assert_eq(sent.opt.hi, XP_HI_NOT_CHANGED);
	cr_assert_eq(sent.opt.n_hnp, 3);
	cr_assert(sent_has(&hnp));
	e = mag_find(&M, MACA);
	cr_assert_eq(M.tl.n, 3, "block + two level-2 prefixes");
	for (size_t i = 0, k = 0; i < M.tl.n; i++)
		if (M.tl.e[i].s.level == XP_TLP_LEVEL_L2) {
			t[k] = M.tl.e[i].p;
			cr_assert(xp_prefix_contains(&blk, &t[k].addr));
			cr_assert(sent_has(&t[k]));
			cr_assert(M.tl.e[i].s.flags & XP_TLP_F_PENDING);
			k++;
		}
	mag_ra_params(&M, e, &ra);
	cr_assert_eq(ra.n_prefix, 1, "unconfirmed level-2 prefixes are not advertised");
	/* PBA 2 confirms them: advertised with the permanent one */
	all[0] = hnp;
	all[1] = t[0];
	all[2] = t[1];
	answer(all, 3, &blk);
	cr_assert_eq(n_sent, 2, "nothing more to register");
	cr_assert_eq(e->n_hnp, 1, "the temporal ones are not permanent HNPs");
	mag_ra_params(&M, e, &ra);
	cr_assert_eq(ra.n_prefix, 3);
	/* PFHO away: the next PBA lacks t[1]: Idle, still advertised */
	mag_refresh_now(&M, e);
	cr_assert_eq(n_sent, 3);
	cr_assert(sent_has(&t[0]) && sent_has(&t[1]));
	answer(all, 2, &blk);
	mag_ra_params(&M, e, &ra);
	cr_assert_eq(ra.n_prefix, 3);
	out = open_memstream(&buf, &len);
	mag_tl_print(&M, out, true);
	fclose(out);
	cr_assert(strstr(buf, "\"level\":2") && strstr(buf, "\"idle\":true"), "%s", buf);
	cr_assert(strstr(buf, "\"kind\":\"T\",\"level\":1"), "%s", buf);
	cr_assert(strstr(buf, "\"kind\":\"P\",\"level\":1"), "%s", buf);
	free(buf);
	/* an Idle prefix is not listed in re-registrations */
	mag_refresh_now(&M, e);
	cr_assert(sent_has(&t[0]));
	cr_assert_not(sent_has(&t[1]));
	/* a flow handover onto this interface: HI 5, only the prefixes moving */
	cr_assert_eq(mag_tl_handover(&M, MACA, &foreign, 1), 0);
	cr_assert_eq(sent.opt.hi, XP_HI_NOT_CHANGED);
	cr_assert_eq(sent.opt.n_hnp, 1);
	cr_assert(sent_has(&foreign));
	all[2] = foreign;
	answer(all, 3, &blk);
	cr_assert_eq(e->tl_n_req, 0);
	out = open_memstream(&buf, &len);
	mag_tl_print(&M, out, true);
	fclose(out);
	cr_assert(strstr(buf, "\"adopted\":true"), "%s", buf);
	free(buf);
	mag_ra_params(&M, e, &ra);
	cr_assert_eq(ra.n_prefix, 3, "an adopted prefix is routed, not advertised");
	/* re-registrations list it; when it leaves again (a reverse
	 * handover) it is removed from the user plane */
	mag_refresh_now(&M, e);
	cr_assert(sent_has(&foreign) && sent_has(&t[0]) && sent_has(&hnp));
	answer(all, 2, &blk);
	cr_assert_eq(n_rmpfx, 1);
	cr_assert_eq(mag_tl_handover(&M, MACA, &hnp, 0), -EINVAL);
	cr_assert_eq(mag_tl_handover(&M, MAC_NONE, &foreign, 1), -ENOENT);
}
