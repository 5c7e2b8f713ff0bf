// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * lma.c - the Local Mobility Anchor (RFC 5213 section 5).
 *
 * PBU processing (lma_handle_pbu), in the order of RFC 5213 5.3.1:
 *   P flag (else 152) -> MAG authorised (154) -> MN-ID (160) -> per-MN
 *   policy (153, 129) -> HNP (158), HI (161), ATT (162) options -> binding
 *   cache lookup (5.4.1; 155, 159) -> message ordering (5.5: timestamps
 *   156/157, or sequence numbers 135) -> de-registration (5.3.5) or
 *   registration (5.3.2-5.3.4; 130 when no prefix or index is left).
 *
 * Every binding change is written to the data plane in an order that never
 * shows a half binding: peer, binding, MN, uplink, then prefix on the way
 * in; prefix first, then uplink, binding, MN, peer on the way out. The
 * LMA's own state (xpmip_state.h) is written last, so a restart rebuilds
 * exactly what the data plane holds.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <stddef.h>
#include <net/if.h>
#include <sys/stat.h>
#include <bpf/bpf.h>

#include "bcache.h"
#include "bstat.h"
#include "ctl_sock.h"
#include "daemon.h"
#include "dataplane.h"
#include "evloop.h"
#include "hnp_pool.h"
#include "lma.h"
#include "log.h"
#include "mh_codec.h"
#include "mh_sock.h"
#include "pfxmap.h"
#include "statemap.h"
#include "xpmip_state.h"

#define MS_PER_S		1000ull
#define NS_PER_MS		1000000ull
#define TS_FRAC_BITS		16
#define TS_FRAC_ONE		(1ull << TS_FRAC_BITS)
#define BC_BUCKETS_LOG2		16
#define LMA_HOP_LIMIT		64
#define MAX_BCE_PER_PCOA	1	/* we only need to know "one or more" */
#define MAX_PBU_LEN		MH_MAX_MSG_LEN
#define ADDR_STR		INET6_ADDRSTRLEN
#define PFX_STR			(INET6_ADDRSTRLEN + 4)
#define HNP_LIST_STR		(XP_CFG_MAX_HNP * (PFX_STR + 1))

struct lma {
	const struct xp_config *cfg;
	const struct xp_lma_config *lc;
	struct evloop *ev;
	struct lma_maps maps;
	struct lma_clock clk;
	struct bcache *bc;
	struct hnp_pool *pool;
	struct lma_stats st;
	/* daemon glue */
	struct xp_daemon *d;
	int state_fd_owned;
};

/* ---- clock ---- */

static uint64_t real_rt(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * MS_PER_S + (uint64_t)ts.tv_nsec / NS_PER_MS;
}

static uint64_t real_mono(void *ctx)
{
	(void)ctx;
	return evloop_now_ms();
}

static uint64_t now_rt(const struct lma *l)
{
	return l->clk.realtime_ms(l->clk.ctx);
}

static uint64_t ms_to_ts(uint64_t ms)
{
	return ((ms / MS_PER_S) << TS_FRAC_BITS) | (((ms % MS_PER_S) << TS_FRAC_BITS) / MS_PER_S);
}

static uint64_t ts_to_ms(uint64_t ts)
{
	return (ts >> TS_FRAC_BITS) * MS_PER_S + (((ts & (TS_FRAC_ONE - 1)) * MS_PER_S) >> TS_FRAC_BITS);
}

/* ---- names ---- */


static const char *a2s(const struct in6_addr *a, char *buf)
{
	return inet_ntop(AF_INET6, a, buf, ADDR_STR);
}

static const char *hnps2s(const struct xp_prefix *p, uint8_t n, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	if (!n)
		snprintf(buf, len, "-");
	for (uint8_t i = 0; i < n && off < len; i++) {
		char one[PFX_STR];

		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? "," : "",
					xp_prefix_str(&p[i], one, sizeof(one)));
	}
	return buf;
}

static const char *state_name(uint8_t s)
{
	return s == BCE_ACTIVE ? "active" : s == BCE_DEREG ? "dereg-wait" : "?";
}

/* ---- data plane writes ---- */

static void addr6(union xp_addr6 *o, const struct in6_addr *a)
{
	memcpy(o->a8, a->s6_addr, sizeof(o->a8));
}

static int map_put(int fd, const void *k, const void *v, const char *name)
{
	if (fd < 0)
		return 0;
	if (bpf_map_update_elem(fd, k, v, BPF_ANY)) {
		int err = -errno;

		pr_err("event=map-write-failed map=%s error=%s", name, strerror(-err));
		return err;
	}
	return 0;
}

static void map_del(int fd, const void *k, const char *name)
{
	if (fd < 0)
		return;
	if (bpf_map_delete_elem(fd, k) && errno != ENOENT)
		pr_warn("event=map-delete-failed map=%s error=%s", name, strerror(errno));
}

/* xp_peer_v1[pcoa].refcnt = bindings at pcoa (less one being removed) */
static int peer_sync(struct lma *l, const struct in6_addr *pcoa, size_t minus)
{
	union xp_addr6 k;
	struct xp_peer_val v = { 0 };
	size_t n = bcache_by_pcoa(l->bc, pcoa, NULL, 0);

	memset(&k, 0, sizeof(k));
	addr6(&k, pcoa);
	n = n > minus ? n - minus : 0;
	if (!n) {
		map_del(l->maps.peer, &k, XP_MAP_PEER);
		return 0;
	}
	v.refcnt = (__u32)n;
	return map_put(l->maps.peer, &k, &v, XP_MAP_PEER);
}

/* another binding of the same MN behind pcoa? (then keep the uplink entry) */
static bool mn_other_at(const struct bce *b, const struct in6_addr *pcoa)
{
	for (const struct bce *o = b->mn->bces; o; o = o->mn_next)
		if (o != b && !memcmp(&o->pcoa, pcoa, sizeof(*pcoa)))
			return true;
	return false;
}

static void ul_key(struct xp_ul_key *k, const struct in6_addr *pcoa, uint32_t idx)
{
	memset(k, 0, sizeof(*k));
	addr6(&k->pcoa, pcoa);
	k->mn_id = idx;
}

static void pfx_key(struct xp_prefix_key *k, const struct xp_prefix *p)
{
	memset(k, 0, sizeof(*k));
	k->prefixlen = p->plen;
	addr6(&k->addr, &p->addr);
}

/* Prefixes go through pfxmap.c (the /64 hash or the trie, one rule for
 * every agent); without the /64 map every prefix goes to the trie. */
static int pfx_put(struct lma *l, const struct xp_prefix *p, const struct xp_prefix_val *v)
{
	struct xp_prefix_key pk;
	int rc;

	if (l->maps.pfx64 < 0) {
		pfx_key(&pk, p);
		return map_put(l->maps.pfx, &pk, v, XP_MAP_PREFIX);
	}
	if (l->maps.pfx < 0)
		return 0;
	rc = xp_pfx_map_put(l->maps.pfx, l->maps.pfx64, &p->addr, p->plen, v);
	if (rc)
		pr_err("event=map-write-failed map=%s error=%s", XP_MAP_PREFIX, strerror(-rc));
	return rc;
}

static void pfx_del(struct lma *l, const struct xp_prefix *p)
{
	struct xp_prefix_key pk;
	int rc;

	if (l->maps.pfx64 < 0) {
		pfx_key(&pk, p);
		map_del(l->maps.pfx, &pk, XP_MAP_PREFIX);
		return;
	}
	if (l->maps.pfx < 0)
		return;
	if ((rc = xp_pfx_map_del(l->maps.pfx, l->maps.pfx64, &p->addr, p->plen)))
		pr_warn("event=map-delete-failed map=%s error=%s", XP_MAP_PREFIX, strerror(-rc));
}

static int state_write(struct lma *l, const struct bce *b)
{
	struct xp_bind_key k = { .mn_id = b->mn->idx, .bid = b->bid };
	struct xp_bce_state s;

	if (l->maps.bce < 0)
		return 0;
	memset(&s, 0, sizeof(s));
	snprintf(s.mn_id, sizeof(s.mn_id), "%s", b->mn->mn_id);
	addr6(&s.pcoa, &b->pcoa);
	for (uint8_t i = 0; i < b->n_hnp && i < XP_BCE_MAX_HNP; i++) {
		addr6(&s.hnp[i].addr, &b->hnp[i].addr);
		s.hnp[i].plen = b->hnp[i].plen;
	}
	s.n_hnp = b->n_hnp;
	s.deadline_rt_ms = b->deadline_rt_ms;
	s.last_ts = b->last_ts;
	s.registered_rt_ms = b->registered_rt_ms;
	s.lifetime_s = b->lifetime_s;
	s.mn_idx = b->mn->idx;
	s.bid = b->bid;
	s.last_seq = b->last_seq;
	s.att = b->att;
	s.hi = b->hi;
	s.llid_len = b->llid_len;
	s.state = b->state == BCE_DEREG ? XP_BCE_S_DEREG : XP_BCE_S_ACTIVE;
	s.flags = (uint8_t)((b->flags & BCE_F_STATIC_HNP ? XP_BCE_F_STATIC_HNP : 0) |
			    (b->flags & BCE_F_SEQ_VALID ? XP_BCE_F_SEQ_VALID : 0) |
			    (b->flags & BCE_F_TS_VALID ? XP_BCE_F_TS_VALID : 0) |
			    (b->flags & BCE_F_BID_OPT ? XP_BCE_F_BID_OPT : 0) |
			    (b->llid_primary ? XP_BCE_F_LLID_PRIMARY : 0));
	s.llid_ifp = b->llid_ifp;
	s.version = XP_BCE_VERSION;
	memcpy(s.llid, b->llid, b->llid_len < XP_BCE_LLID_LEN ? b->llid_len : XP_BCE_LLID_LEN);
	return map_put(l->maps.bce, &k, &s, XP_MAP_BCE);
}

/* Write (or rewrite) every entry of binding b. old_pcoa: the Proxy-CoA the
 * binding had before a handover, or NULL. */
static int dp_write(struct lma *l, struct bce *b, const struct in6_addr *old_pcoa)
{
	struct xp_bind_key bk = { .mn_id = b->mn->idx, .bid = b->bid };
	struct xp_bind_val bv;
	struct xp_mn_val mv;
	struct xp_ul_key uk;
	struct xp_ul_val uv = { .bid = b->bid };
	int rc;

	if ((rc = peer_sync(l, &b->pcoa, 0)))
		return rc;
	memset(&bv, 0, sizeof(bv));
	addr6(&bv.peer, &b->pcoa);
	addr6(&bv.local, &l->lc->address);
	bv.mtu = (__u16)(l->lc->tunnel_mtu - XP_IPV6_HDR_LEN);
	bv.flags = b->state == BCE_ACTIVE ? XP_BF_ACTIVE : 0;
	if (b->llid_primary)
		bv.flags |= XP_BF_PRIMARY;
	bv.att = b->att;
	bv.ifp = b->llid_ifp;
	if ((rc = xp_bstat_create(l->maps.bstat, &bk)))
		pr_warn("event=map-write-failed map=%s error=%s", XP_MAP_BSTATS, strerror(-rc));
	if ((rc = map_put(l->maps.bind, &bk, &bv, XP_MAP_BIND)))
		return rc;
	memset(&mv, 0, sizeof(mv));	/* n_dl 0: each prefix's owner binding */
	if ((rc = map_put(l->maps.mn, &bk.mn_id, &mv, XP_MAP_MN)))
		return rc;
	ul_key(&uk, &b->pcoa, b->mn->idx);
	if ((rc = map_put(l->maps.ul, &uk, &uv, XP_MAP_UPLINK)))
		return rc;
	for (uint8_t i = 0; i < b->n_hnp; i++) {
		struct xp_prefix_val pv = { .mn_id = b->mn->idx, .bid = b->bid,
					    .kind = XP_PFX_PERMANENT };

		if ((rc = pfx_put(l, &b->hnp[i], &pv)))
			return rc;
	}
	if (old_pcoa && memcmp(old_pcoa, &b->pcoa, sizeof(*old_pcoa))) {
		if (!mn_other_at(b, old_pcoa)) {
			ul_key(&uk, old_pcoa, b->mn->idx);
			map_del(l->maps.ul, &uk, XP_MAP_UPLINK);
		}
		peer_sync(l, old_pcoa, 0);
	}
	return state_write(l, b);
}

/* Remove every entry of b; b is still in the cache (indexed at its pcoa) */
static void dp_remove(struct lma *l, struct bce *b)
{
	struct xp_bind_key bk = { .mn_id = b->mn->idx, .bid = b->bid };
	struct xp_ul_key uk;

	for (uint8_t i = 0; i < b->n_hnp; i++)
		pfx_del(l, &b->hnp[i]);
	if (!mn_other_at(b, &b->pcoa)) {
		ul_key(&uk, &b->pcoa, b->mn->idx);
		map_del(l->maps.ul, &uk, XP_MAP_UPLINK);
	}
	map_del(l->maps.bind, &bk, XP_MAP_BIND);
	if (xp_bstat_delete(l->maps.bstat, &bk))
		pr_warn("event=map-delete-failed map=%s error=%s", XP_MAP_BSTATS, strerror(errno));
	if (b->mn->n_bce == 1)
		map_del(l->maps.mn, &bk.mn_id, XP_MAP_MN);
	peer_sync(l, &b->pcoa, 1);
	map_del(l->maps.bce, &bk, XP_MAP_BCE);
}

int lma_write_cfg(struct lma *l)
{
	struct xp_cfg c;
	__u32 k = 0;

	memset(&c, 0, sizeof(c));
	addr6(&c.local_addr, &l->lc->address);
	c.role = XP_ROLE_LMA;
	c.flags = XP_CFG_F_ENABLED;
	c.tunnel_mtu = l->lc->tunnel_mtu;
	c.hop_limit = LMA_HOP_LIMIT;
	c.primary_hoa_opt = XP_DSTOPT_PRIMARY_HOA_DEFAULT;
	return map_put(l->maps.cfg, &k, &c, XP_MAP_CFG);
}

/* ---- binding lifecycle ---- */

static void timer_cb(void *ctx);

static void arm(struct lma *l, struct bce *b)
{
	uint64_t rt = now_rt(l), mono;

	if (!l->ev)
		return;
	mono = l->clk.mono_ms(l->clk.ctx);
	b->timer.cb = timer_cb;
	b->timer.ctx = b;
	b->owner = l;
	evloop_timer_arm_at(l->ev, &b->timer,
			    mono + (b->deadline_rt_ms > rt ? b->deadline_rt_ms - rt : 0));
}

static void release_prefixes(struct lma *l, struct bce *b)
{
	if (b->flags & BCE_F_STATIC_HNP)
		return;
	for (uint8_t i = 0; i < b->n_hnp; i++)
		hnp_pool_release(l->pool, &b->hnp[i]);
}

static void binding_delete(struct lma *l, struct bce *b)
{
	if (l->ev)
		evloop_timer_cancel(l->ev, &b->timer);
	dp_remove(l, b);
	release_prefixes(l, b);
	bcache_del(l->bc, b);
}

static void binding_due(struct lma *l, struct bce *b)
{
	char pc[ADDR_STR];

	if (b->state == BCE_DEREG) {
		pr_info("event=binding-deleted mn=%s bid=%u pcoa=%s reason=dereg-delay-over",
			b->mn->mn_id, b->bid, a2s(&b->pcoa, pc));
		l->st.deleted++;
	} else {
		pr_info("event=binding-expired mn=%s bid=%u pcoa=%s lifetime=%u",
			b->mn->mn_id, b->bid, a2s(&b->pcoa, pc), b->lifetime_s);
		l->st.expired++;
	}
	binding_delete(l, b);
}

static void timer_cb(void *ctx)
{
	struct bce *b = ctx;
	struct lma *l = b->owner;

	if (now_rt(l) >= b->deadline_rt_ms)
		binding_due(l, b);
	else
		arm(l, b);	/* the wall clock moved: wait the rest */
}

static void due_cb(struct bce *b, void *ctx)
{
	struct lma *l = ctx;

	if (now_rt(l) >= b->deadline_rt_ms)
		binding_due(l, b);
}

void lma_run_timers(struct lma *l)
{
	bcache_foreach(l->bc, due_cb, l);
}

/* ---- PBU processing ---- */

struct pbu_ctx {
	const struct mh_msg *pbu;
	const struct in6_addr *src;
	const char *mn;				/* MN-ID or "-" */
	const struct xp_lma_mn_policy *pol;
	struct bce *b;				/* matched binding */
	uint16_t bid;				/* for logs */
	const char *action;
	uint32_t granted_s;
	uint64_t now;				/* realtime ms */
};

static bool prefix_zero(const struct mh_hnp *h)
{
	static const struct in6_addr zero;

	return !memcmp(&h->prefix, &zero, sizeof(zero));
}

static void hnp_to_prefix(const struct mh_hnp *h, struct xp_prefix *p)
{
	memset(p, 0, sizeof(*p));
	p->addr = h->prefix;
	p->plen = h->plen;
}

static bool llid_match(const struct bce *b, const struct mh_opts *o)
{
	if (!(o->present & MH_HAS_MN_LLID) || !b->llid_len)
		return true;	/* nothing to compare */
	return b->llid_len == o->llid_len && !memcmp(b->llid, o->llid, b->llid_len);
}

/* RFC 5213 5.4.1.2 with all-zero prefixes: which existing binding does an
 * HI 2/3/4/5 request update? NULL: a new mobility session. */
static struct bce *match_zero_hnp(const struct pbu_ctx *c, struct bc_mn *m)
{
	const struct mh_opts *o = &c->pbu->opt;
	struct bce *same = NULL, *other = NULL, *same_pcoa = NULL;
	unsigned n_same = 0, n_other = 0;

	if (!m)
		return NULL;
	for (struct bce *b = m->bces; b; b = b->mn_next) {
		if (b->att == o->att && llid_match(b, o)) {
			same = b;
			n_same++;
			if (!memcmp(&b->pcoa, c->src, sizeof(*c->src)))
				same_pcoa = b;
		} else {
			other = b;
			n_other++;
		}
	}
	switch (o->hi) {
	case XP_HI_IIHO:
		/* the session moves from the MN's other interface */
		if (m->n_bce == 1)
			return m->bces;
		return n_other == 1 ? other : NULL;
	case XP_HI_NOT_CHANGED:
		if (same_pcoa)
			return same_pcoa;
		return n_same == 1 ? same : NULL;
	default:	/* HI 3 and 4: the same interface seen at a new MAG */
		if (n_same == 1)
			return same;
		return same_pcoa;
	}
}

static bool seq_newer(uint16_t a, uint16_t b)
{
	return (int16_t)(uint16_t)(a - b) > 0;
}

static uint8_t check_order(struct lma *l, struct pbu_ctx *c, struct mh_msg *pba)
{
	const struct mh_msg *pbu = c->pbu;
	struct bce *b = c->b;

	if (l->lc->use_timestamps) {
		uint64_t ts_ms, diff;

		if (!(pbu->opt.present & MH_HAS_TIMESTAMP))
			return XP_PBA_TIMESTAMP_MISMATCH;
		ts_ms = ts_to_ms(pbu->opt.timestamp);
		diff = ts_ms > c->now ? ts_ms - c->now : c->now - ts_ms;
		if (diff > l->lc->timestamp_window_ms)
			return XP_PBA_TIMESTAMP_MISMATCH;
		if (b && (b->flags & BCE_F_TS_VALID) && pbu->opt.timestamp <= b->last_ts)
			return XP_PBA_TIMESTAMP_LOWER;
		return XP_PBA_ACCEPTED;
	}
	if (b && (b->flags & BCE_F_SEQ_VALID) && !seq_newer(pbu->bu.seq, b->last_seq)) {
		pba->ba.seq = b->last_seq;	/* RFC 6275 9.5.1: the last accepted */
		return XP_PBA_SEQ_OUT_OF_WINDOW;
	}
	return XP_PBA_ACCEPTED;
}

/* Prefixes for a new binding: the policy's static ones (first binding),
 * else hnps_per_if from the pool. 0 or XP_PBA_INSUFFICIENT_RESOURCES. */
static uint8_t assign_prefixes(struct lma *l, struct pbu_ctx *c, struct bce *b)
{
	struct xp_prefix p[XP_CFG_MAX_HNP];
	uint8_t n = 0;
	bool use_static = c->pol->n_hnp > 0;

	for (uint8_t i = 0; use_static && i < c->pol->n_hnp; i++)
		if (bcache_by_prefix(l->bc, &c->pol->hnp[i]))
			use_static = false;	/* taken by the MN's first binding */
	if (use_static) {
		for (uint8_t i = 0; i < c->pol->n_hnp; i++) {
			memset(&p[i], 0, sizeof(p[i]));
			p[i].addr = c->pol->hnp[i].addr;
			p[i].plen = c->pol->hnp[i].plen;
		}
		n = c->pol->n_hnp;
		b->flags |= BCE_F_STATIC_HNP;
	} else {
		for (; n < c->pol->hnps_per_if; n++) {
			memset(&p[n], 0, sizeof(p[n]));
			if (hnp_pool_alloc(l->pool, b->mn->mn_id, &p[n])) {
				for (uint8_t j = 0; j < n; j++)
					hnp_pool_release(l->pool, &p[j]);
				return XP_PBA_INSUFFICIENT_RESOURCES;
			}
		}
	}
	if (bcache_set_prefixes(l->bc, b, n, p)) {
		if (!use_static)
			for (uint8_t j = 0; j < n; j++)
				hnp_pool_release(l->pool, &p[j]);
		b->flags &= (uint8_t)~BCE_F_STATIC_HNP;
		return XP_PBA_INSUFFICIENT_RESOURCES;
	}
	return XP_PBA_ACCEPTED;
}

/* A non-zero prefix request without a binding: the MN may (re)claim the
 * prefix if the policy gives it, or the pool would give it to this MN now
 * (stable allocation after an expiry). */
static bool may_claim(struct lma *l, const struct pbu_ctx *c, const struct xp_prefix *p)
{
	struct xp_prefix next;

	for (uint8_t i = 0; i < c->pol->n_hnp; i++)
		if (c->pol->hnp[i].plen == p->plen &&
		    !memcmp(&c->pol->hnp[i].addr, &p->addr, sizeof(p->addr)))
			return true;
	if (!hnp_pool_owns(l->pool, p) || hnp_pool_in_use(l->pool, p))
		return false;
	if (hnp_pool_peek(l->pool, c->mn, &next))
		return false;
	return next.plen == p->plen && !memcmp(&next.addr, &p->addr, sizeof(p->addr));
}

static uint8_t claim_prefixes(struct lma *l, const struct pbu_ctx *c, struct bce *b)
{
	const struct mh_opts *o = &c->pbu->opt;
	struct xp_prefix p[XP_CFG_MAX_HNP];
	bool is_static = true;
	uint8_t n = 0;

	for (uint8_t i = 0; i < o->n_hnp && n < XP_CFG_MAX_HNP; i++) {
		bool st = false;

		hnp_to_prefix(&o->hnp[i], &p[n]);
		for (uint8_t j = 0; j < c->pol->n_hnp; j++)
			st |= c->pol->hnp[j].plen == p[n].plen &&
			      !memcmp(&c->pol->hnp[j].addr, &p[n].addr, sizeof(p[n].addr));
		if (!st) {
			is_static = false;
			if (hnp_pool_reserve(l->pool, &p[n])) {
				for (uint8_t j = 0; j < n; j++)
					hnp_pool_release(l->pool, &p[j]);
				return XP_PBA_NOT_AUTHORIZED_FOR_HNP;
			}
		}
		n++;
	}
	if (bcache_set_prefixes(l->bc, b, n, p))
		return XP_PBA_INSUFFICIENT_RESOURCES;
	if (is_static)
		b->flags |= BCE_F_STATIC_HNP;
	return XP_PBA_ACCEPTED;
}

/* RFC 5213 5.4.1.1: non-zero prefixes. Sets c->b to the binding that owns
 * them (NULL: none). Returns a status. */
static uint8_t match_prefixes(struct lma *l, struct pbu_ctx *c, struct bc_mn *m)
{
	const struct mh_opts *o = &c->pbu->opt;
	struct bce *owner = NULL;
	unsigned owned = 0, nonzero = 0;

	for (uint8_t i = 0; i < o->n_hnp; i++) {
		struct xp_prefix p;
		struct bce *b;

		if (prefix_zero(&o->hnp[i]))
			continue;
		nonzero++;
		hnp_to_prefix(&o->hnp[i], &p);
		b = bcache_by_prefix(l->bc, &p);
		if (!b) {
			if (!may_claim(l, c, &p))
				return XP_PBA_NOT_AUTHORIZED_FOR_HNP;
			continue;
		}
		if (b->mn != m)
			return XP_PBA_NOT_AUTHORIZED_FOR_HNP;
		if (owner && owner != b)
			return XP_PBA_BCE_PREFIX_MISMATCH;
		owner = b;
		owned++;
	}
	if (owner && (owned != nonzero || owned != owner->n_hnp))
		return XP_PBA_BCE_PREFIX_MISMATCH;
	if (owner && nonzero != o->n_hnp)
		return XP_PBA_BCE_PREFIX_MISMATCH;	/* a zero prefix next to real ones */
	c->b = owner;
	return XP_PBA_ACCEPTED;
}

static uint32_t grant_lifetime(const struct lma *l, const struct pbu_ctx *c)
{
	uint32_t req = (uint32_t)c->pbu->bu.lifetime * XP_LIFETIME_UNIT_S;
	uint32_t max = l->lc->max_lifetime_s;

	if (c->pol->max_lifetime_s && c->pol->max_lifetime_s < max)
		max = c->pol->max_lifetime_s;
	if (req > max)
		req = max;
	return req - req % XP_LIFETIME_UNIT_S;
}

static void record_ordering(struct bce *b, const struct mh_msg *pbu)
{
	if (pbu->opt.present & MH_HAS_TIMESTAMP) {
		b->last_ts = pbu->opt.timestamp;
		b->flags |= BCE_F_TS_VALID;
	}
	b->last_seq = pbu->bu.seq;
	b->flags |= BCE_F_SEQ_VALID;
}

static uint8_t do_dereg(struct lma *l, struct pbu_ctx *c)
{
	struct bce *b = c->b;
	char pc[ADDR_STR];

	c->granted_s = 0;
	l->st.dereg++;
	if (!b) {
		c->action = "dereg-no-binding";
		return XP_PBA_ACCEPTED;
	}
	c->bid = b->bid;
	if (memcmp(&b->pcoa, c->src, sizeof(*c->src))) {
		/* 5.3.5: only the binding's current MAG may remove it */
		c->action = "dereg-ignored-not-current-pcoa";
		pr_info("event=dereg-ignored mn=%s bid=%u from=%s pcoa=%s", c->mn, b->bid,
			a2s(c->src, pc), a2s(&b->pcoa, (char[ADDR_STR]){ 0 }));
		return XP_PBA_ACCEPTED;
	}
	record_ordering(b, c->pbu);
	c->action = "dereg";
	if (b->state != BCE_DEREG) {
		b->state = BCE_DEREG;
		b->deadline_rt_ms = c->now + l->lc->min_delay_bce_delete_ms;
		b->lifetime_s = 0;
		dp_write(l, b, NULL);	/* inactive: the data plane stops forwarding */
		if (l->lc->min_delay_bce_delete_ms == 0) {
			c->b = NULL;
			pr_info("event=binding-deleted mn=%s bid=%u pcoa=%s reason=dereg",
				c->mn, c->bid, a2s(c->src, pc));
			l->st.deleted++;
			binding_delete(l, b);
			return XP_PBA_ACCEPTED;
		}
		arm(l, b);
	}
	return XP_PBA_ACCEPTED;
}

static uint8_t do_register(struct lma *l, struct pbu_ctx *c, struct bc_mn *m, bool nonzero)
{
	const struct mh_msg *pbu = c->pbu;
	const struct mh_opts *o = &pbu->opt;
	struct bce *b = c->b;
	struct in6_addr old_pcoa;
	bool created = false, moved = false;
	uint8_t st;
	int err;

	(void)m;
	if (!b) {
		uint16_t bid = o->n_bid ? o->bid[0].bid : 0;

		b = bcache_add(l->bc, c->mn, bid, 0, &err);
		if (!b) {
			pr_warn("event=bce-create-failed mn=%s error=%s", c->mn, strerror(-err));
			return err == -EEXIST ? XP_PBA_UNSPECIFIED : XP_PBA_INSUFFICIENT_RESOURCES;
		}
		created = true;
		if (o->n_bid)
			b->flags |= BCE_F_BID_OPT;
		st = nonzero ? claim_prefixes(l, c, b) : assign_prefixes(l, c, b);
		if (st) {
			bcache_del(l->bc, b);
			return st;
		}
		if (bcache_set_pcoa(l->bc, b, c->src)) {
			release_prefixes(l, b);
			bcache_del(l->bc, b);
			return XP_PBA_INSUFFICIENT_RESOURCES;
		}
		memset(&old_pcoa, 0, sizeof(old_pcoa));
		c->action = "new";
	} else {
		old_pcoa = b->pcoa;
		moved = memcmp(&old_pcoa, c->src, sizeof(old_pcoa)) != 0;
		if (moved && bcache_set_pcoa(l->bc, b, c->src))
			return XP_PBA_INSUFFICIENT_RESOURCES;
		c->action = moved ? "handoff" : b->state == BCE_DEREG ? "reactivated" : "refresh";
	}
	c->b = b;
	c->bid = b->bid;
	b->owner = l;
	b->state = BCE_ACTIVE;
	b->att = o->att;
	b->hi = o->hi;
	if (o->present & MH_HAS_MN_LLID) {
		b->llid_len = o->llid_len;
		memcpy(b->llid, o->llid, o->llid_len);
		b->llid_ifp = o->llid_ifp;
		b->llid_primary = o->llid_primary;
	}
	record_ordering(b, pbu);
	b->lifetime_s = c->granted_s;
	b->registered_rt_ms = c->now;
	b->deadline_rt_ms = c->now + (uint64_t)c->granted_s * MS_PER_S;
	if (dp_write(l, b, moved ? &old_pcoa : NULL)) {
		if (created) {
			dp_remove(l, b);
			release_prefixes(l, b);
			bcache_del(l->bc, b);
			c->b = NULL;
		}
		return XP_PBA_INSUFFICIENT_RESOURCES;
	}
	arm(l, b);
	return XP_PBA_ACCEPTED;
}

static uint8_t process(struct lma *l, struct pbu_ctx *c, struct mh_msg *pba)
{
	const struct mh_msg *pbu = c->pbu;
	const struct mh_opts *o = &pbu->opt;
	struct bc_mn *m;
	bool authorized = false, nonzero = false;
	uint8_t st;

	if (!(pbu->bu.flags & XP_BU_F_P))
		return XP_PBA_PROXY_REG_NOT_ENABLED;
	for (uint8_t i = 0; i < l->lc->n_authorized_mags && !authorized; i++)
		authorized = xp_prefix_contains(&l->lc->authorized_mags[i], c->src);
	if (!authorized)
		return XP_PBA_MAG_NOT_AUTHORIZED;
	if (!(o->present & MH_HAS_MN_ID))
		return XP_PBA_MISSING_MN_ID;
	c->mn = (const char *)o->mnid;
	c->pol = xp_config_lma_policy(l->lc, c->mn);
	if (!c->pol || !c->pol->served_here)
		return XP_PBA_NOT_LMA_FOR_THIS_MN;
	if (!c->pol->allowed)
		return XP_PBA_ADMIN_PROHIBITED;
	if (!o->n_hnp)
		return XP_PBA_MISSING_HNP;
	if (!(o->present & MH_HAS_HI))
		return XP_PBA_MISSING_HI;
	if (!(o->present & MH_HAS_ATT))
		return XP_PBA_MISSING_ATT;

	m = bcache_mn(l->bc, c->mn);
	for (uint8_t i = 0; i < o->n_hnp; i++)
		nonzero |= !prefix_zero(&o->hnp[i]);
	if (nonzero) {
		if ((st = match_prefixes(l, c, m)))
			return st;
	} else if (o->hi == XP_HI_NEW_IF || o->hi == XP_HI_NEW_IF_SHARED) {
		c->b = NULL;
	} else if (o->hi >= XP_HI_IIHO && o->hi <= XP_HI_NOT_CHANGED) {
		c->b = match_zero_hnp(c, m);
	} else {
		return XP_PBA_UNSPECIFIED;	/* HI value we cannot act on */
	}
	if (c->b)
		c->bid = c->b->bid;
	if ((st = check_order(l, c, pba)))
		return st;
	if (pbu->bu.lifetime == 0)
		return do_dereg(l, c);
	c->granted_s = grant_lifetime(l, c);
	if (!c->granted_s)
		return do_dereg(l, c);	/* less than one unit: a de-registration */
	return do_register(l, c, m, nonzero);
}

static void build_pba(struct lma *l, const struct pbu_ctx *c, uint8_t status,
		      struct mh_msg *pba)
{
	const struct mh_opts *o = &c->pbu->opt;
	const struct bce *b = status == XP_PBA_ACCEPTED ? c->b : NULL;

	pba->ba.status = status;
	pba->ba.flags = XP_BA_F_P;
	pba->ba.lifetime = status == XP_PBA_ACCEPTED ?
		(uint16_t)(c->granted_s / XP_LIFETIME_UNIT_S) : 0;
	if (o->present & MH_HAS_MN_ID) {
		pba->opt.present |= MH_HAS_MN_ID;
		pba->opt.mnid_subtype = o->mnid_subtype;
		pba->opt.mnid_len = o->mnid_len;
		memcpy(pba->opt.mnid, o->mnid, sizeof(pba->opt.mnid));
	}
	if (b && b->state == BCE_ACTIVE) {
		for (uint8_t i = 0; i < b->n_hnp; i++)
			mh_add_hnp(pba, &b->hnp[i].addr, b->hnp[i].plen, 0);
	} else {
		for (uint8_t i = 0; i < o->n_hnp; i++)
			mh_add_hnp(pba, &o->hnp[i].prefix, o->hnp[i].plen, o->hnp[i].flags);
	}
	if (o->present & MH_HAS_HI) {
		pba->opt.present |= MH_HAS_HI;
		pba->opt.hi = o->hi;
	}
	if (o->present & MH_HAS_ATT) {
		pba->opt.present |= MH_HAS_ATT;
		pba->opt.att = o->att;
	}
	if (o->present & MH_HAS_MN_LLID) {
		pba->opt.present |= MH_HAS_MN_LLID;
		pba->opt.llid_ifp = o->llid_ifp;
		pba->opt.llid_primary = o->llid_primary;
		pba->opt.llid_reserved = o->llid_reserved;
		pba->opt.llid_len = o->llid_len;
		memcpy(pba->opt.llid, o->llid, o->llid_len);
	}
	if (status == XP_PBA_TIMESTAMP_MISMATCH && l->lc->use_timestamps) {
		pba->opt.present |= MH_HAS_TIMESTAMP;
		pba->opt.timestamp = ms_to_ts(c->now);	/* 5.3.6: the LMA's time */
	} else if (o->present & MH_HAS_TIMESTAMP) {
		pba->opt.present |= MH_HAS_TIMESTAMP;
		pba->opt.timestamp = o->timestamp;
	}
	for (uint8_t i = 0; i < o->n_bid; i++) {
		pba->opt.bid[i] = o->bid[i];
		pba->opt.bid[i].status = status;
		pba->opt.n_bid = (uint8_t)(i + 1);
	}
}

int lma_handle_pbu(struct lma *l, const uint8_t *buf, size_t len,
		   const struct in6_addr *src, const struct in6_addr *dst,
		   uint8_t *out, size_t cap)
{
	struct mh_msg *pbu, *pba;
	struct pbu_ctx c;
	char sa[ADDR_STR], hn[HNP_LIST_STR];
	size_t off = 0;
	uint8_t st;
	int rc;

	(void)dst;
	l->st.pbu_rx++;
	pbu = malloc(sizeof(*pbu));
	pba = malloc(sizeof(*pba));
	if (!pbu || !pba) {
		free(pbu);
		free(pba);
		pr_err("event=pbu-dropped from=%s reason=out-of-memory", a2s(src, sa));
		return 0;
	}
	rc = mh_decode(buf, len, pbu, &off);
	if (rc) {
		l->st.malformed++;
		pr_warn("event=mh-malformed from=%s error=%s offset=%zu", a2s(src, sa),
			mh_strerror(rc), off);
		rc = 0;
		goto out;
	}
	if (pbu->type != XP_MH_TYPE_BU) {
		l->st.ignored++;
		pr_info("event=mh-ignored from=%s type=%u(%s)", a2s(src, sa), pbu->type,
			mh_type_name(pbu->type) ? mh_type_name(pbu->type) : "?");
		rc = 0;
		goto out;
	}
	memset(&c, 0, sizeof(c));
	c.pbu = pbu;
	c.src = src;
	c.mn = (pbu->opt.present & MH_HAS_MN_ID) ? (const char *)pbu->opt.mnid : "-";
	c.now = now_rt(l);
	c.action = "-";
	c.bid = pbu->opt.n_bid ? pbu->opt.bid[0].bid : 0;
	mh_msg_init(pba, XP_MH_TYPE_BA);
	pba->ba.seq = pbu->bu.seq;
	st = process(l, &c, pba);
	build_pba(l, &c, st, pba);
	l->st.by_status[st]++;
	if (st == XP_PBA_ACCEPTED) {
		const struct bce *b = c.b;

		l->st.accepted++;
		pr_info("event=pbu-accepted mn=%s bid=%u pcoa=%s action=%s hi=%u att=%u seq=%u "
			"lifetime=%u hnp=%s", c.mn, c.bid, a2s(src, sa), c.action, pbu->opt.hi,
			pbu->opt.att, pbu->bu.seq, c.granted_s,
			b ? hnps2s(b->hnp, b->n_hnp, hn, sizeof(hn)) : "-");
	} else {
		l->st.rejected++;
		pr_info("event=pbu-rejected mn=%s bid=%u pcoa=%s status=%u(%s) hi=%u att=%u seq=%u",
			c.mn, c.bid, a2s(src, sa), st, mh_pba_status_name(st), pbu->opt.hi,
			pbu->opt.att, pbu->bu.seq);
	}
	rc = mh_encode(pba, out, cap);
	if (rc < 0) {
		pr_err("event=pba-encode-failed mn=%s error=%s", c.mn, mh_strerror(rc));
		rc = 0;
	}
out:
	free(pbu);
	free(pba);
	return rc;
}

/* ---- restart state ---- */

int lma_state_map_open(const char *dir)
{
	static const struct xp_state_map_spec spec = {
		.name = XP_MAP_BCE, .key_size = sizeof(struct xp_bind_key),
		.value_size = sizeof(struct xp_bce_state), .max_entries = XP_BCE_MAX_ENTRIES,
		.lost = "state",
	};

	return xp_state_map_open(dir, &spec);
}

static int restore_one(struct lma *l, const struct xp_bind_key *k, const struct xp_bce_state *s)
{
	struct xp_prefix p[XP_CFG_MAX_HNP];
	char mn[XP_BCE_MNID_LEN];
	struct in6_addr pcoa;
	struct bce *b;
	int err;

	memcpy(mn, s->mn_id, sizeof(mn));
	mn[sizeof(mn) - 1] = '\0';
	if (s->version != XP_BCE_VERSION || s->mn_idx != k->mn_id || s->bid != k->bid ||
	    s->n_hnp > XP_CFG_MAX_HNP || s->llid_len > MH_MAX_LLID_LEN)
		return -EPROTO;
	b = bcache_add(l->bc, mn, k->bid, k->mn_id, &err);
	if (!b)
		return err;
	for (uint8_t i = 0; i < s->n_hnp; i++) {
		memset(&p[i], 0, sizeof(p[i]));
		memcpy(p[i].addr.s6_addr, s->hnp[i].addr.a8, sizeof(p[i].addr));
		p[i].plen = s->hnp[i].plen;
		if (!(s->flags & XP_BCE_F_STATIC_HNP))
			hnp_pool_reserve(l->pool, &p[i]);
	}
	memcpy(pcoa.s6_addr, s->pcoa.a8, sizeof(pcoa));
	if ((err = bcache_set_prefixes(l->bc, b, s->n_hnp, p)) ||
	    (err = bcache_set_pcoa(l->bc, b, &pcoa))) {
		if (!(s->flags & XP_BCE_F_STATIC_HNP))
			for (uint8_t i = 0; i < s->n_hnp; i++)
				hnp_pool_release(l->pool, &p[i]);
		bcache_del(l->bc, b);
		return err;
	}
	b->owner = l;
	b->state = s->state == XP_BCE_S_DEREG ? BCE_DEREG : BCE_ACTIVE;
	b->flags = (uint8_t)((s->flags & XP_BCE_F_STATIC_HNP ? BCE_F_STATIC_HNP : 0) |
			     (s->flags & XP_BCE_F_SEQ_VALID ? BCE_F_SEQ_VALID : 0) |
			     (s->flags & XP_BCE_F_TS_VALID ? BCE_F_TS_VALID : 0) |
			     (s->flags & XP_BCE_F_BID_OPT ? BCE_F_BID_OPT : 0));
	b->att = s->att;
	b->hi = s->hi;
	b->llid_len = s->llid_len;
	memcpy(b->llid, s->llid, s->llid_len);
	b->llid_ifp = s->llid_ifp;
	b->llid_primary = s->flags & XP_BCE_F_LLID_PRIMARY;
	b->last_seq = s->last_seq;
	b->last_ts = s->last_ts;
	b->lifetime_s = s->lifetime_s;
	b->registered_rt_ms = s->registered_rt_ms;
	b->deadline_rt_ms = s->deadline_rt_ms;
	return 0;
}

static void rewrite_cb(struct bce *b, void *ctx)
{
	struct lma *l = ctx;
	char pc[ADDR_STR], hn[HNP_LIST_STR];

	if (dp_write(l, b, NULL))
		pr_err("event=restore-write-failed mn=%s bid=%u", b->mn->mn_id, b->bid);
	pr_info("event=binding-restored mn=%s bid=%u pcoa=%s state=%s hnp=%s remaining_s=%lld",
		b->mn->mn_id, b->bid, a2s(&b->pcoa, pc), state_name(b->state),
		hnps2s(b->hnp, b->n_hnp, hn, sizeof(hn)),
		(long long)((int64_t)b->deadline_rt_ms - (int64_t)now_rt(l)) / (long long)MS_PER_S);
	arm(l, b);
}

int lma_restore(struct lma *l)
{
	struct xp_bind_key k, next;
	struct xp_bce_state s;
	bool first = true;
	int n = 0;

	if (l->maps.bce < 0)
		return 0;
	memset(&k, 0, sizeof(k));
	while (!bpf_map_get_next_key(l->maps.bce, first ? NULL : &k, &next)) {
		first = false;
		k = next;
		if (bpf_map_lookup_elem(l->maps.bce, &k, &s))
			continue;
		int err = restore_one(l, &k, &s);

		if (err) {
			pr_warn("event=restore-skipped mn_idx=%u bid=%u error=%s", k.mn_id, k.bid,
				strerror(-err));
			continue;
		}
		n++;
	}
	bcache_foreach(l->bc, rewrite_cb, l);
	return n;
}

/* ---- object ---- */

int lma_new(const struct xp_config *cfg, struct evloop *ev, const struct lma_maps *maps,
	    const struct lma_clock *clk, struct lma **out)
{
	struct lma *l = calloc(1, sizeof(*l));
	int rc;

	if (!l)
		return -ENOMEM;
	l->cfg = cfg;
	l->lc = &cfg->lma;
	l->ev = ev;
	if (maps)
		l->maps = *maps;
	else
		l->maps = (struct lma_maps){ -1, -1, -1, -1, -1, -1, -1, -1, -1 };
	if (clk)
		l->clk = *clk;
	else
		l->clk = (struct lma_clock){ real_rt, real_mono, NULL };
	if ((rc = bcache_new(BC_BUCKETS_LOG2, &l->bc)) ||
	    (rc = hnp_pool_new(&l->lc->hnp_pool, l->lc->hnp_len, &l->pool))) {
		lma_free(l);
		return rc;
	}
	/* static prefixes inside the pool are never handed out by it */
	for (uint32_t i = 0; i < l->lc->n_mns; i++)
		for (uint8_t j = 0; j < l->lc->mns[i].n_hnp; j++)
			if (hnp_pool_owns(l->pool, &l->lc->mns[i].hnp[j]))
				hnp_pool_reserve(l->pool, &l->lc->mns[i].hnp[j]);
	*out = l;
	return 0;
}

static void cancel_cb(struct bce *b, void *ctx)
{
	struct lma *l = ctx;

	if (l->ev)
		evloop_timer_cancel(l->ev, &b->timer);
}

void lma_free(struct lma *l)
{
	if (!l)
		return;
	if (l->bc)
		bcache_free(l->bc, cancel_cb, l);
	hnp_pool_free(l->pool);
	free(l);
}

struct bcache *lma_bcache(struct lma *l)
{
	return l->bc;
}

const struct lma_stats *lma_stats(const struct lma *l)
{
	return &l->st;
}

/* ---- control commands ---- */

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

struct ctl_walk {
	struct lma *l;
	FILE *out;
	bool json;
	unsigned n;
	/* mag-peers aggregation */
	struct peer_row { struct in6_addr a; unsigned n; } *peers;
	size_t n_peers, cap_peers;
};

static void bind_row(struct bce *b, void *ctx)
{
	struct ctl_walk *w = ctx;
	char pc[ADDR_STR], hn[HNP_LIST_STR];
	long long rem = ((long long)b->deadline_rt_ms - (long long)now_rt(w->l)) / (long long)MS_PER_S;

	if (rem < 0)
		rem = 0;
	a2s(&b->pcoa, pc);
	if (!w->json) {
		fprintf(w->out, "%-28s %5u %7u %-10s %-26s %-24s %3u %2u %8u %9lld\n", b->mn->mn_id,
			b->bid, b->mn->idx, state_name(b->state), pc,
			hnps2s(b->hnp, b->n_hnp, hn, sizeof(hn)), b->att, b->hi, b->lifetime_s, rem);
		w->n++;
		return;
	}
	fprintf(w->out, "%s{\"mn_id\":", w->n++ ? "," : "");
	json_str(w->out, b->mn->mn_id);
	fprintf(w->out, ",\"bid\":%u,\"mn_idx\":%u,\"state\":\"%s\",\"pcoa\":\"%s\",\"hnp\":[",
		b->bid, b->mn->idx, state_name(b->state), pc);
	for (uint8_t i = 0; i < b->n_hnp; i++) {
		char one[PFX_STR];

		fprintf(w->out, "%s\"%s\"", i ? "," : "", xp_prefix_str(&b->hnp[i], one, sizeof(one)));
	}
	fprintf(w->out, "],\"att\":%u,\"hi\":%u,\"lifetime_s\":%u,\"remaining_s\":%lld,"
		"\"last_seq\":%u,\"last_ts\":%llu,\"llid\":\"", b->att, b->hi, b->lifetime_s, rem,
		b->last_seq, (unsigned long long)b->last_ts);
	for (uint8_t i = 0; i < b->llid_len; i++)
		fprintf(w->out, "%02x", b->llid[i]);
	fprintf(w->out, "\"}");
}

static void pfx_row(struct bce *b, void *ctx)
{
	struct ctl_walk *w = ctx;
	char pc[ADDR_STR], one[PFX_STR];

	a2s(&b->pcoa, pc);
	for (uint8_t i = 0; i < b->n_hnp; i++) {
		xp_prefix_str(&b->hnp[i], one, sizeof(one));
		if (!w->json) {
			fprintf(w->out, "%-26s %-28s %5u %7u %-26s %s\n", one, b->mn->mn_id, b->bid,
				b->mn->idx, pc, state_name(b->state));
		} else {
			fprintf(w->out, "%s{\"prefix\":\"%s\",\"mn_id\":", w->n ? "," : "", one);
			json_str(w->out, b->mn->mn_id);
			fprintf(w->out, ",\"bid\":%u,\"mn_idx\":%u,\"pcoa\":\"%s\",\"state\":\"%s\"}",
				b->bid, b->mn->idx, pc, state_name(b->state));
		}
		w->n++;
	}
}

static void peer_collect(struct bce *b, void *ctx)
{
	struct ctl_walk *w = ctx;

	for (size_t i = 0; i < w->n_peers; i++)
		if (!memcmp(&w->peers[i].a, &b->pcoa, sizeof(b->pcoa))) {
			w->peers[i].n++;
			return;
		}
	if (w->n_peers == w->cap_peers) {
		size_t nc = w->cap_peers ? w->cap_peers * 2 : 16;
		struct peer_row *np = realloc(w->peers, nc * sizeof(*np));

		if (!np)
			return;
		w->peers = np;
		w->cap_peers = nc;
	}
	w->peers[w->n_peers].a = b->pcoa;
	w->peers[w->n_peers].n = 1;
	w->n_peers++;
}

int lma_ctl(struct lma *l, int argc, char **argv, FILE *out)
{
	struct ctl_walk w = { .l = l, .out = out };

	static const char *const known[] = { "bindings", "prefixes", "mag-peers", "lma-stats" };
	bool is_known = false;

	if (argc < 1)
		return -ENOENT;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		is_known |= !strcmp(argv[0], known[i]);
	if (!is_known)
		return -ENOENT;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			w.json = true;
		} else {
			fprintf(out, "%s: unknown argument '%s'\n", argv[0], argv[i]);
			return -EINVAL;
		}
	}
	if (!strcmp(argv[0], "bindings")) {
		if (w.json)
			fprintf(out, "{\"bindings\":[");
		else
			fprintf(out, "%-28s %5s %7s %-10s %-26s %-24s %3s %2s %8s %9s\n", "MN-ID", "BID",
				"MN-IDX", "STATE", "PROXY-COA", "HNP", "ATT", "HI", "LIFETIME",
				"REMAINING");
		bcache_foreach(l->bc, bind_row, &w);
		if (w.json)
			fprintf(out, "]}\n");
		else
			fprintf(out, "(%u bindings, %u MNs)\n", bcache_count(l->bc), bcache_mn_count(l->bc));
		return 0;
	}
	if (!strcmp(argv[0], "prefixes")) {
		if (w.json)
			fprintf(out, "{\"prefixes\":[");
		else
			fprintf(out, "%-26s %-28s %5s %7s %-26s %s\n", "PREFIX", "MN-ID", "BID", "MN-IDX",
				"PROXY-COA", "STATE");
		bcache_foreach(l->bc, pfx_row, &w);
		if (w.json)
			fprintf(out, "]}\n");
		else
			fprintf(out, "(%u prefixes)\n", w.n);
		return 0;
	}
	if (!strcmp(argv[0], "mag-peers")) {
		bool auth;
		char pc[ADDR_STR];

		bcache_foreach(l->bc, peer_collect, &w);
		if (w.json)
			fprintf(out, "{\"mag_peers\":[");
		else
			fprintf(out, "%-40s %8s %s\n", "PROXY-COA", "BINDINGS", "AUTHORIZED");
		for (size_t i = 0; i < w.n_peers; i++) {
			auth = false;
			for (uint8_t j = 0; j < l->lc->n_authorized_mags; j++)
				auth |= xp_prefix_contains(&l->lc->authorized_mags[j], &w.peers[i].a);
			a2s(&w.peers[i].a, pc);
			if (w.json)
				fprintf(out, "%s{\"pcoa\":\"%s\",\"bindings\":%u,\"authorized\":%s}",
					i ? "," : "", pc, w.peers[i].n, auth ? "true" : "false");
			else
				fprintf(out, "%-40s %8u %s\n", pc, w.peers[i].n, auth ? "yes" : "no");
		}
		if (w.json)
			fprintf(out, "]}\n");
		else
			fprintf(out, "(%zu peers)\n", w.n_peers);
		free(w.peers);
		return 0;
	}
	if (!strcmp(argv[0], "lma-stats")) {
		const struct lma_stats *s = &l->st;
		static const struct { const char *k; size_t off; } f[] = {
			{ "pbu_rx", offsetof(struct lma_stats, pbu_rx) },
			{ "pba_tx", offsetof(struct lma_stats, pba_tx) },
			{ "malformed", offsetof(struct lma_stats, malformed) },
			{ "ignored", offsetof(struct lma_stats, ignored) },
			{ "accepted", offsetof(struct lma_stats, accepted) },
			{ "rejected", offsetof(struct lma_stats, rejected) },
			{ "dereg", offsetof(struct lma_stats, dereg) },
			{ "expired", offsetof(struct lma_stats, expired) },
			{ "deleted", offsetof(struct lma_stats, deleted) },
		};
		unsigned n = 0;

		if (w.json)
			fprintf(out, "{");
		for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
			uint64_t v = *(const uint64_t *)((const char *)s + f[i].off);

			if (w.json)
				fprintf(out, "%s\"%s\":%llu", n++ ? "," : "", f[i].k, (unsigned long long)v);
			else
				fprintf(out, "%-34s %llu\n", f[i].k, (unsigned long long)v);
		}
		for (unsigned st = 0; st < 256; st++) {
			if (!s->by_status[st])
				continue;
			if (w.json)
				fprintf(out, ",\"status_%u\":%llu", st, (unsigned long long)s->by_status[st]);
			else
				fprintf(out, "status %-3u %-23s %llu\n", st, mh_pba_status_name((uint8_t)st),
					(unsigned long long)s->by_status[st]);
		}
		if (w.json)
			fprintf(out, "}\n");
		return 0;
	}
	return -ENOENT;
}

/* ---- the role ---- */

struct lma_role {
	struct lma *l;
	int state_fd;
	char dir[256];
	struct lma_maps maps;
};

static int lma_start(struct xp_daemon *d)
{
	const struct xp_lma_config *lc = &d->cfg->lma;
	struct lma_role *r = calloc(1, sizeof(*r));
	int rc, n;

	if (!r)
		return -ENOMEM;
	r->state_fd = -1;
	d->role_state = r;
	snprintf(r->dir, sizeof(r->dir), "%s/%s", d->cfg->pin_root, d->cfg->instance);
	r->maps = (struct lma_maps){
		.cfg = d->dp ? xp_dp_map_fd(d->dp, XP_MAP_CFG) : -1,
		.pfx = d->dp ? xp_dp_map_fd(d->dp, XP_MAP_PREFIX) : -1,
		.bind = d->dp ? xp_dp_map_fd(d->dp, XP_MAP_BIND) : -1,
		.mn = d->dp ? xp_dp_map_fd(d->dp, XP_MAP_MN) : -1,
		.ul = d->dp ? xp_dp_map_fd(d->dp, XP_MAP_UPLINK) : -1,
		.peer = d->dp ? xp_dp_map_fd(d->dp, XP_MAP_PEER) : -1,
		.bce = -1,
		.pfx64 = d->dp ? xp_dp_map_fd(d->dp, XP_MAP_PREFIX64) : -1,
		.bstat = d->dp ? xp_dp_map_fd(d->dp, XP_MAP_BSTATS) : -1,
	};
	if (r->maps.bstat < 0)
		r->maps.bstat = -1;
	if (r->maps.pfx64 < 0)
		r->maps.pfx64 = -1;	/* an older data plane: the trie holds every prefix */
	rc = lma_state_map_open(r->dir);
	if (rc < 0) {
		pr_err("event=start-failed reason=\"cannot open %s/%s: %s\"", r->dir, XP_MAP_BCE,
		       strerror(-rc));
		return rc;
	}
	r->state_fd = rc;
	r->maps.bce = rc;
	if ((rc = lma_new(d->cfg, d->ev, &r->maps, NULL, &r->l)))
		return rc;
	n = lma_restore(r->l);
	if (n < 0)
		return n;
	if ((rc = lma_write_cfg(r->l)))
		return rc;
	for (uint8_t i = 0; i < lc->n_interfaces; i++) {
		unsigned idx = if_nametoindex(lc->interfaces[i]);

		if (!idx) {
			pr_err("event=start-failed reason=\"interface %s not found\"", lc->interfaces[i]);
			return -ENODEV;
		}
		if (d->dp && (rc = xp_dp_attach_xdp(d->dp, XP_PROG_LMA_RX, (int)idx)))
			return rc;
	}
	pr_info("event=lma-started address=%s bindings_restored=%d interfaces=%u",
		a2s(&lc->address, (char[ADDR_STR]){ 0 }), n, lc->n_interfaces);
	return 0;
}

static void lma_on_mh(struct xp_daemon *d, const uint8_t *buf, size_t len,
		      const struct in6_addr *src, const struct in6_addr *dst, int ifindex)
{
	struct lma_role *r = d->role_state;
	uint8_t out[MAX_PBU_LEN];
	int n, rc;

	(void)ifindex;
	if (!r || !r->l)
		return;
	n = lma_handle_pbu(r->l, buf, len, src, dst, out, sizeof(out));
	if (n <= 0)
		return;
	rc = mh_sock_send(d->mh_fd, &d->cfg->lma.address, src, out, (size_t)n);
	if (rc)
		pr_warn("event=pba-send-failed to=%s error=%s",
			a2s(src, (char[ADDR_STR]){ 0 }), strerror(-rc));
	else
		r->l->st.pba_tx++;
}

static int lma_role_ctl(struct xp_daemon *d, int argc, char **argv, FILE *out)
{
	struct lma_role *r = d->role_state;

	if (!r || !r->l)
		return -ENOENT;
	return lma_ctl(r->l, argc, argv, out);
}

static void lma_stop(struct xp_daemon *d)
{
	struct lma_role *r = d->role_state;
	char path[300];

	if (!r)
		return;
	lma_free(r->l);
	if (r->state_fd >= 0)
		close(r->state_fd);
	if (d->flush_on_stop) {
		snprintf(path, sizeof(path), "%s/%s", r->dir, XP_MAP_BCE);
		if (unlink(path) && errno != ENOENT)
			pr_warn("event=state-unpin-failed map=%s error=%s", path, strerror(errno));
	}
	free(r);
	d->role_state = NULL;
}

const struct xp_role_ops xp_lma_ops = {
	.name = "lma",
	.role = XP_ROLE_LMA,
	.start = lma_start,
	.on_mh = lma_on_mh,
	.ctl = lma_role_ctl,
	.stop = lma_stop,
};
