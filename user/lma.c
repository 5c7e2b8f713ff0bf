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

#include "json.h"
#include "bcache.h"
#include "bstat.h"
#include "ctl_sock.h"
#include "daemon.h"
#include "dataplane.h"
#include "evloop.h"
#include "fmsig.h"
#include "heartbeat.h"
#include "flowctl.h"
#include "flowdp.h"
#include "fmcache.h"
#include "mhfilt.h"
#include "hnp_pool.h"
#include "ifp.h"
#include "lma.h"
#include "log.h"
#include "mh_codec.h"
#include "mh_sock.h"
#include "pfxmap.h"
#include "ratelimit.h"
#include "sigdrop.h"
#include "statemap.h"
#include "tlp.h"
#include "trace_ctl.h"
#include "xpmip_state.h"

#define MS_PER_S		1000ull
#define NS_PER_MS		1000000ull
#define TS_FRAC_BITS		16
#define TS_FRAC_ONE		(1ull << TS_FRAC_BITS)
#define BC_BUCKETS_LOG2		16	/* the least */
#define BC_BUCKETS_LOG2_MAX	20
#define LMA_HOP_LIMIT		64
#define MAX_BCE_PER_PCOA	1	/* we only need to know "one or more" */
#define MAX_PBU_LEN		MH_MAX_MSG_LEN
#define ADDR_STR		INET6_ADDRSTRLEN
#define PFX_STR			(INET6_ADDRSTRLEN + 4)
#define HNP_LIST_STR		(XP_CFG_MAX_HNP * (PFX_STR + 1))
#define LMA_FMSIG_MAX_FLOWS	256	/* flows of one MN the signalling looks at */

struct lma {
	const struct xp_config *cfg;
	const struct xp_lma_config *lc;
	struct evloop *ev;
	struct lma_maps maps;
	struct lma_clock clk;
	struct bcache *bc;
	struct hnp_pool *pool;
	struct tlp_table tl;			/* 001 blocks and level-2 prefixes */
	int tlp_fd;				/* their pinned copy, -1: none */
	struct fmcache *fm;		/* flow mobility cache (RFC 7864 5.2) */
	struct lma_stats st;
	/* RFC 7864 flow mobility signalling (fmsig.c) */
	struct fmsig *fs;
	int fmsig_fd;			/* xp_fmsig_v1, -1: not pinned */
	bool in_pbu;			/* a PBA is being built: UPNs wait */
	int (*send)(void *ctx, const struct in6_addr *dst, const uint8_t *buf, size_t len);
	void *send_ctx;
	/* daemon glue */
	struct xp_daemon *d;
	int state_fd_owned;
	/* scratch, allocated once: per-PBU malloc/free of these (3-7 KB,
	 * above malloc's fast bins) was a tenth of a registration's time */
	struct mh_msg *pbu, *pba;		/* lma_handle_pbu() */
	struct xp_flow_set *flow_set;		/* lma_flows_changed() */
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
		xp_map_del(l->maps.peer, &k, XP_MAP_PEER);
		return 0;
	}
	v.refcnt = (__u32)n;
	return xp_map_put(l->maps.peer, &k, &v, XP_MAP_PEER);
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
		return xp_map_put(l->maps.pfx, &pk, v, XP_MAP_PREFIX);
	}
	if (l->maps.pfx < 0)
		return 0;
	rc = xp_pfx_map_put(l->maps.pfx, l->maps.pfx64, &p->addr, p->plen, v);
	if (rc)
		ev_err("map-write-failed", NULL, -1, "map=%s err=%s", XP_MAP_PREFIX,
		       XP_LOGERR(-rc));
	return rc;
}

static void pfx_del(struct lma *l, const struct xp_prefix *p)
{
	struct xp_prefix_key pk;
	int rc;

	if (l->maps.pfx64 < 0) {
		pfx_key(&pk, p);
		xp_map_del(l->maps.pfx, &pk, XP_MAP_PREFIX);
		return;
	}
	if (l->maps.pfx < 0)
		return;
	if ((rc = xp_pfx_map_del(l->maps.pfx, l->maps.pfx64, &p->addr, p->plen)))
		ev_warn("map-delete-failed", NULL, -1, "map=%s err=%s", XP_MAP_PREFIX,
			XP_LOGERR(-rc));
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
	if (b->flags & BCE_F_MH) {
		s.flags |= XP_BCE_F_MH;
		s.mhgid = b->mhgid;
	}
	s.version = XP_BCE_VERSION;
	memcpy(s.llid, b->llid, b->llid_len < XP_BCE_LLID_LEN ? b->llid_len : XP_BCE_LLID_LEN);
	return xp_map_put(l->maps.bce, &k, &s, XP_MAP_BCE);
}

/* ---- 000: interface priority and primary HoA (ifp.h) ---- */

static const struct xp_lma_mn_policy *mn_policy(const struct lma *l, const struct bc_mn *m)
{
	return xp_config_lma_policy(l->lc, m->mn_id);
}

/* The binding's own HoA, from its first prefix and its MN-LL-ID (zero
 * when it has neither) */
static struct in6_addr bce_own_hoa(const struct bce *b)
{
	struct in6_addr h;

	memset(&h, 0, sizeof(h));
	if (b->n_hnp && b->llid_len && ifp_hoa(&b->hnp[0], b->llid, b->llid_len, &h))
		memset(&h, 0, sizeof(h));
	return h;
}

/* The MN's primary HoA: the policy's, else the P-flagged binding's own
 * HoA, else zero (000 not in use). skip: a binding being removed. */
static struct in6_addr mn_primary_hoa(const struct lma *l, const struct bc_mn *m,
				      const struct bce *skip)
{
	const struct xp_lma_mn_policy *pol = mn_policy(l, m);
	struct in6_addr h;

	if (pol && pol->has_primary_hoa)
		return pol->primary_hoa;
	memset(&h, 0, sizeof(h));
	for (const struct bce *o = m->bces; o; o = o->mn_next)
		if (o != skip && o->llid_primary && o->state == BCE_ACTIVE)
			return bce_own_hoa(o);
	return h;
}

/* The HoA the downlink rewrites the destination to for binding b */
static struct in6_addr bce_hoa(const struct lma *l, const struct bce *b,
			       const struct in6_addr *primary)
{
	const struct xp_lma_mn_policy *pol = mn_policy(l, b->mn);

	if (pol && pol->addr_model == XP_AM_SHARED_ADDRESS)
		return *primary;
	if (b->llid_primary && !IN6_IS_ADDR_UNSPECIFIED(primary))
		return *primary;
	return bce_own_hoa(b);
}

static void bind_val(const struct lma *l, const struct bce *b, const struct in6_addr *hoa,
		     struct xp_bind_val *bv)
{
	memset(bv, 0, sizeof(*bv));
	addr6(&bv->peer, &b->pcoa);
	addr6(&bv->local, &l->lc->address);
	addr6(&bv->hoa, hoa);
	bv->mtu = (__u16)(l->lc->tunnel_mtu - XP_IPV6_HDR_LEN);
	bv->flags = b->state == BCE_ACTIVE ? XP_BF_ACTIVE : 0;
	if (b->llid_primary)
		bv->flags |= XP_BF_PRIMARY;
	if (b->tl_idle)
		bv->flags |= XP_BF_IDLE;
	bv->att = b->att;
	bv->ifp = b->llid_ifp;
}

/*
 * `xpmipctl trace`: the MN's downlink moved from old_bid (reached through
 * old_peer, or that binding's Proxy-CoA when NULL) to new_bid. The agent
 * is the one writer of the choice, so it reports the change where it
 * rewrites the map: exact, and free for forwarding (trace_ctl.h).
 */
static void trace_switch(const struct bc_mn *m, enum xp_trace_cause cause, uint16_t old_bid,
			 const struct in6_addr *old_peer, uint16_t new_bid, uint16_t fid,
			 const struct xp_prefix *p)
{
	struct xp_trace_switch sw = { .mn_idx = m->idx, .old_bid = old_bid, .new_bid = new_bid,
				      .fid = fid };

	if (!xp_trace_active())
		return;
	for (const struct bce *b = m->bces; b; b = b->mn_next) {
		if (b->bid == old_bid && !old_peer)
			memcpy(sw.old_peer.a8, &b->pcoa, sizeof(sw.old_peer));
		if (b->bid == new_bid)
			memcpy(sw.new_peer.a8, &b->pcoa, sizeof(sw.new_peer));
	}
	if (old_peer)
		memcpy(sw.old_peer.a8, old_peer, sizeof(sw.old_peer));
	if (p) {
		memcpy(sw.prefix.a8, &p->addr, sizeof(sw.prefix));
		sw.plen = p->plen;
	}
	xp_trace_switch(cause, &sw);
}

/* xp_mn_v1[m->idx]: the copy the LMA wrote last (bcache.h), else the
 * map's. false: no entry. */
static bool mn_val_get(const struct lma *l, struct bc_mn *m, struct xp_mn_val *v)
{
	if (m->dp_known) {
		*v = m->dp;
		return true;
	}
	if (l->maps.mn < 0 || bpf_map_lookup_elem(l->maps.mn, &m->idx, v))
		return false;
	m->dp = *v;
	m->dp_known = true;
	return true;
}

static int mn_val_put(struct lma *l, struct bc_mn *m, const struct xp_mn_val *v)
{
	int rc = xp_map_put(l->maps.mn, &m->idx, v, XP_MAP_MN);

	m->dp_known = !rc && l->maps.mn >= 0;	/* after a failure: read it back */
	m->dp = *v;
	return rc;
}

static void mn_val_del(struct lma *l, struct bc_mn *m)
{
	xp_map_del(l->maps.mn, &m->idx, XP_MAP_MN);
	m->dp_known = false;
}

static const struct bce *prefix_owner(const struct lma *l, const struct xp_prefix *p,
				      const struct bce *skip);

/*
 * 000 5.2 (unique-address; any prefix several bindings share): a
 * non-primary interface's own HoA lies in a prefix whose owner binding is
 * another one, so downlink addressed to that HoA itself would go to the
 * owner's MAG, where the address is not on the link. A /128 for the HoA in
 * xp_pfx_v1 (XP_PFXF_HOA; the trie's LONG entries win over the /64 hash,
 * bpf/xp_prefix.h) names the interface's binding instead. The primary HoA
 * keeps the IFP choice (the data plane compares the destination with it,
 * whatever the prefix entry). Returns the address the binding's /128
 * should hold, or :: for none. skip: a binding on its way out.
 */
static struct in6_addr hoa_host_want(const struct lma *l, const struct bce *b,
				     const struct in6_addr *hoa, const struct in6_addr *primary,
				     const struct bce *skip)
{
	struct in6_addr none = IN6ADDR_ANY_INIT;
	const struct bce *o;

	if (b == skip || b->state != BCE_ACTIVE || !b->n_hnp || IN6_IS_ADDR_UNSPECIFIED(primary) ||
	    IN6_IS_ADDR_UNSPECIFIED(hoa) || IN6_ARE_ADDR_EQUAL(hoa, primary))
		return none;
	o = prefix_owner(l, &b->hnp[0], skip);
	return o && o != b ? *hoa : none;
}

/* Make b's /128 in xp_pfx_v1 hold want (:: removes it); 0 or -errno */
static int hoa_host_set(struct lma *l, struct bce *b, const struct in6_addr *want)
{
	struct xp_prefix p = { .plen = XP_IPV6_PREFIX_MAX };
	struct xp_prefix_val v = { .mn_id = b->mn->idx, .bid = b->bid, .kind = XP_PFX_PERMANENT,
				   .flags = XP_PFXF_HOA | XP_PFXF_LONG };
	char h[ADDR_STR];
	int rc;

	if (IN6_ARE_ADDR_EQUAL(&b->hoa_host, want))
		return 0;
	if (!IN6_IS_ADDR_UNSPECIFIED(&b->hoa_host)) {
		p.addr = b->hoa_host;
		pfx_del(l, &p);
		ev_info("hoa-route-removed", b->mn->mn_id, (int)b->bid, "hoa=%s",
			a2s(&b->hoa_host, h));
		memset(&b->hoa_host, 0, sizeof(b->hoa_host));
	}
	if (IN6_IS_ADDR_UNSPECIFIED(want))
		return 0;
	p.addr = *want;
	if ((rc = pfx_put(l, &p, &v)))
		return rc;
	b->hoa_host = *want;
	ev_info("hoa-route-added", b->mn->mn_id, (int)b->bid, "hoa=%s/128", a2s(want, h));
	return 0;
}

/*
 * After a restart (lma_restore) every binding has written the /128 it
 * wants; a pinned one that no binding claims (its binding or HoA changed
 * while a write was cut short by kill -9) goes. 0 or -errno.
 */
static int hoa_host_sweep(struct lma *l)
{
	struct xp_prefix_key k, next, *gone = NULL;
	size_t n = 0, cap = 0;
	bool first = true;
	int rc = 0;

	if (l->maps.pfx < 0)
		return 0;
	while (!bpf_map_get_next_key(l->maps.pfx, first ? NULL : &k, &next)) {
		struct xp_prefix_val v;
		const struct bc_mn *m;
		const struct bce *b = NULL;

		first = false;
		k = next;
		if (k.prefixlen != XP_IPV6_PREFIX_MAX || bpf_map_lookup_elem(l->maps.pfx, &k, &v) ||
		    !(v.flags & XP_PFXF_HOA))
			continue;
		if ((m = bcache_mn_by_idx(l->bc, v.mn_id)))
			for (b = m->bces; b && b->bid != v.bid; b = b->mn_next)
				;
		if (b && !memcmp(&b->hoa_host, k.addr.a8, sizeof(b->hoa_host)))
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct xp_prefix_key *ng = realloc(gone, nc * sizeof(*ng));

			if (!ng) {
				rc = -ENOMEM;
				break;
			}
			gone = ng;
			cap = nc;
		}
		gone[n++] = k;
	}
	for (size_t i = 0; i < n; i++) {
		char h[ADDR_STR];

		xp_map_del(l->maps.pfx, &gone[i], XP_MAP_PREFIX);
		ev_info("hoa-route-stale", NULL, -1, "hoa=%s", a2s((struct in6_addr *)gone[i].addr.a8, h));
	}
	free(gone);
	return rc;
}

/*
 * Recompute the MN's downlink choice and HoAs after any change of its
 * bindings or priorities, and write them: every binding's entry (its HoA
 * may follow the primary's), then xp_mn_v1. skip: a binding on its way
 * out. Logs the choice when it changes.
 */
static int mn_sync(struct lma *l, struct bc_mn *m, const struct bce *skip)
{
	struct ifp_path p[XP_CFG_MAX_IFS * 4];
	struct in6_addr primary = mn_primary_hoa(l, m, skip);
	struct xp_mn_val mv, old;
	size_t n = 0;
	char ph[ADDR_STR];
	int rc;

	for (struct bce *b = m->bces; b; b = b->mn_next) {
		struct xp_bind_key bk = { .mn_id = m->idx, .bid = b->bid };
		struct xp_bind_val bv;
		struct in6_addr host = IN6ADDR_ANY_INIT;

		if (b == skip) {
			hoa_host_set(l, b, &host);
			continue;
		}
		if (n < sizeof(p) / sizeof(p[0])) {
			p[n].bid = b->bid;
			p[n].ifp = b->llid_ifp;
			p[n].primary = b->llid_primary;
			p[n].active = b->state == BCE_ACTIVE;
			p[n].hoa = bce_hoa(l, b, &primary);
			bind_val(l, b, &p[n].hoa, &bv);
			host = hoa_host_want(l, b, &p[n].hoa, &primary, skip);
			n++;
		} else {
			bind_val(l, b, &host, &bv);
		}
		if ((rc = xp_map_put(l->maps.bind, &bk, &bv, XP_MAP_BIND)) ||
		    (rc = hoa_host_set(l, b, &host)))
			return rc;
	}
	ifp_choose(p, n, &primary, &mv);
	memset(&old, 0, sizeof(old));
	if (mn_val_get(l, m, &old)) {
		/* the flow fields belong to lma_flows_changed(): keep them (the
		 * generation must never go back, the flow cache is keyed by it) */
		mv.flow_gen = old.flow_gen;
		mv.flags = (__u8)((mv.flags & ~XP_MNF_FLOWS) | (old.flags & XP_MNF_FLOWS));
		if (!memcmp(&old, &mv, sizeof(mv)))
			return 0;
	}
	if (mv.n_dl && old.n_dl && mv.dl_bid[0] != old.dl_bid[0])
		trace_switch(m, XP_SW_DOWNLINK, old.dl_bid[0], NULL, mv.dl_bid[0], 0, NULL);
	if (mv.n_dl || old.n_dl)
		ev_info("downlink-choice", m->mn_id, (int)(mv.n_dl ? mv.dl_bid[0] : 0),
			"bid2=%u paths=%u primary_hoa=%s", mv.n_dl > 1 ? mv.dl_bid[1] : 0, mv.n_dl,
			IN6_IS_ADDR_UNSPECIFIED(&primary) ? "-" : a2s(&primary, ph));
	return mn_val_put(l, m, &mv);
}

/*
 * The binding whose path is the default downlink for prefix p: with a
 * prefix shared by several bindings of the MN (RFC 7864 3.2.1, HI 6), the
 * registered one with the lowest BID, else any; skip: a binding on its way
 * out. NULL when no (other) binding holds p.
 */
#define MAX_SHARERS	16
static const struct bce *prefix_owner(const struct lma *l, const struct xp_prefix *p,
				      const struct bce *skip)
{
	struct bce *h[MAX_SHARERS];
	size_t n = bcache_by_prefix_all(l->bc, p, h, MAX_SHARERS);
	const struct bce *best = NULL;

	for (size_t i = 0; i < n && i < MAX_SHARERS; i++) {
		if (h[i] == skip)
			continue;
		if (!best || (h[i]->state == BCE_ACTIVE && best->state != BCE_ACTIVE) ||
		    (h[i]->state == best->state && h[i]->bid < best->bid))
			best = h[i];
	}
	return best;
}

/* Write (or rewrite) every entry of binding b. old_pcoa: the Proxy-CoA the
 * binding had before a handover, or NULL. */
static int dp_write(struct lma *l, struct bce *b, const struct in6_addr *old_pcoa)
{
	struct xp_bind_key bk = { .mn_id = b->mn->idx, .bid = b->bid };
	struct xp_ul_key uk;
	struct xp_ul_val uv = { .bid = b->bid };
	int rc;

	if ((rc = peer_sync(l, &b->pcoa, 0)))
		return rc;
	if ((rc = xp_bstat_create(l->maps.bstat, &bk)))
		ev_warn("map-write-failed", NULL, -1, "map=%s err=%s", XP_MAP_BSTATS,
			XP_LOGERR(-rc));
	/* this binding's entry, the MN's other ones and its downlink choice */
	if ((rc = mn_sync(l, b->mn, NULL)))
		return rc;
	ul_key(&uk, &b->pcoa, b->mn->idx);
	if ((rc = xp_map_put(l->maps.ul, &uk, &uv, XP_MAP_UPLINK)))
		return rc;
	for (uint8_t i = 0; i < b->n_hnp; i++) {
		const struct bce *o = prefix_owner(l, &b->hnp[i], NULL);
		struct xp_prefix_val pv = { .mn_id = b->mn->idx, .bid = o ? o->bid : b->bid,
					    .kind = XP_PFX_PERMANENT };

		if ((rc = pfx_put(l, &b->hnp[i], &pv)))
			return rc;
	}
	if (old_pcoa && memcmp(old_pcoa, &b->pcoa, sizeof(*old_pcoa))) {
		/* a handover: the same binding, through another MAG */
		trace_switch(b->mn, XP_SW_DOWNLINK, b->bid, old_pcoa, b->bid, 0, NULL);
		if (!mn_other_at(b, old_pcoa)) {
			ul_key(&uk, old_pcoa, b->mn->idx);
			xp_map_del(l->maps.ul, &uk, XP_MAP_UPLINK);
		}
		peer_sync(l, old_pcoa, 0);
	}
	return state_write(l, b);
}

/* Remove every entry of b; b is still in the cache (indexed at its pcoa) */
static void dp_remove(struct lma *l, struct bce *b)
{
	struct xp_bind_key bk = { .mn_id = b->mn->idx, .bid = b->bid };
	struct in6_addr none = IN6ADDR_ANY_INIT;
	struct xp_ul_key uk;

	hoa_host_set(l, b, &none);	/* its HoA's /128, when it had one */
	for (uint8_t i = 0; i < b->n_hnp; i++) {
		/* a prefix shared with another binding (HI 6) stays, owned by it */
		const struct bce *o = prefix_owner(l, &b->hnp[i], b);
		struct xp_prefix_val pv = { .mn_id = b->mn->idx, .bid = o ? o->bid : 0,
					    .kind = XP_PFX_PERMANENT };

		if (!o || pfx_put(l, &b->hnp[i], &pv))
			pfx_del(l, &b->hnp[i]);
	}
	if (!mn_other_at(b, &b->pcoa)) {
		ul_key(&uk, &b->pcoa, b->mn->idx);
		xp_map_del(l->maps.ul, &uk, XP_MAP_UPLINK);
	}
	xp_map_del(l->maps.bind, &bk, XP_MAP_BIND);
	if (xp_bstat_delete(l->maps.bstat, &bk))
		ev_warn("map-delete-failed", NULL, -1, "map=%s err=%s", XP_MAP_BSTATS,
			XP_LOGERR(errno));
	if (b->mn->n_bce == 1) {
		mn_val_del(l, b->mn);
		xp_map_del(l->maps.fsel, &bk.mn_id, XP_MAP_FLOWSEL);
	} else if (mn_sync(l, b->mn, b)) {
		ev_warn("map-write-failed", b->mn->mn_id, -1, "map=%s", XP_MAP_MN);
	}
	peer_sync(l, &b->pcoa, 1);
	xp_map_del(l->maps.bce, &bk, XP_MAP_BCE);
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
	return xp_map_put(l->maps.cfg, &k, &c, XP_MAP_CFG);
}

/* ---- binding lifecycle ---- */

static void fmsig_pba_offlink(struct lma *l, const struct bce *b, struct mh_msg *pba);
static void fmsig_state_restore(struct lma *l);

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
		if (bcache_by_prefix_all(l->bc, &b->hnp[i], NULL, 0) <= 1)
			hnp_pool_release(l->pool, &b->hnp[i]);	/* not shared (any more) */
}

static void tl_binding_gone(struct lma *l, const struct bce *b);

static void binding_delete(struct lma *l, struct bce *b)
{
	char mn[XP_MNID_MAX_LEN + 1];

	if (l->ev)
		evloop_timer_cancel(l->ev, &b->timer);
	tl_binding_gone(l, b);
	snprintf(mn, sizeof(mn), "%s", b->mn->mn_id);
	fmsig_forget(l->fs, b);
	/* filters its MAG installed go with it (an interface removal with
	 * "keep" has moved them already) */
	if ((b->flags & BCE_F_MH) &&
	    mhf_release(l->fm, b, XP_MH_ACT_REMOVE, NULL, "binding-deleted") &&
	    b->state != BCE_ACTIVE)
		lma_flows_changed(l, b->mn);
	if (b->mn->n_bce > 1 && b->state == BCE_ACTIVE) {
		/* the MN's flows on b move to their next BID (or go inactive) */
		b->state = BCE_DEREG;
		lma_flows_changed(l, b->mn);
	}
	dp_remove(l, b);
	release_prefixes(l, b);
	bcache_del(l->bc, b);
	/* its prefixes may have been off-link at the MN's other MAGs */
	lma_fmsig_sync(l, bcache_mn(l->bc, mn));
}

static void binding_due(struct lma *l, struct bce *b)
{
	char pc[ADDR_STR];

	if (b->state == BCE_DEREG) {
		ev_info("binding-deleted", b->mn->mn_id, (int)b->bid,
			"peer=%s reason=dereg-delay-over", a2s(&b->pcoa, pc));
		l->st.deleted++;
	} else if (b->tl_idle) {
		ev_info("binding-deleted", b->mn->mn_id, (int)b->bid,
			"peer=%s reason=ffho-hold-over", a2s(&b->pcoa, pc));
		l->st.deleted++;
	} else {
		ev_info("binding-expired", b->mn->mn_id, (int)b->bid, "peer=%s lifetime=%u",
			a2s(&b->pcoa, pc), b->lifetime_s);
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
	struct bce *share;			/* HI 6: new session sharing its prefixes */
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

/* Same ATT and the same MN-LL-ID, both present */
static bool llid_att_equal(const struct bce *b, const struct mh_opts *o)
{
	return (o->present & MH_HAS_MN_LLID) && b->llid_len && b->att == o->att &&
	       b->llid_len == o->llid_len && !memcmp(b->llid, o->llid, b->llid_len);
}

/* Which of the bindings holding a (shared) prefix a PBU is about: the one
 * with its ATT and MN-LL-ID, else the one at its Proxy-CoA, else the first */
static struct bce *pick_holder(const struct pbu_ctx *c, struct bce **h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (llid_att_equal(h[i], &c->pbu->opt))
			return h[i];
	for (size_t i = 0; i < n; i++)
		if (!memcmp(&h[i]->pcoa, c->src, sizeof(*c->src)))
			return h[i];
	return h[0];
}

/*
 * RFC 7864 3.2.1, Handoff Indicator 6 ("attachment over a new interface
 * sharing prefixes"): a BCE of this MN whose prefixes are those of the PBU
 *  1. with an MN-LL-ID that matches the BCE's ATT and MN-LL-ID: the request
 *     updates that BCE;
 *  2. with an MN-LL-ID that does not: a new mobility session sharing the
 *     BCE's prefixes;
 *  3. without an MN-LL-ID: a new mobility session sharing them.
 * The RFC states the rule for non-zero prefixes. A MAG that does not know
 * the prefixes yet sends all-zero ones: we apply the same three rules with
 * any BCE of the MN (a retransmitted first PBU then updates its own BCE by
 * rule 1 instead of creating a third session).
 * Returns true when a BCE matched (c->b or c->share set); false: RFC 5213
 * 5.4.1 applies (no BCE: the MN's first interface gets prefixes of its own).
 */
static bool match_shared(struct pbu_ctx *c, struct bc_mn *m)
{
	const struct mh_opts *o = &c->pbu->opt;
	struct bce *found = NULL;

	for (struct bce *b = m ? m->bces : NULL; b; b = b->mn_next) {
		if (!bce_prefix_set_is(b, o))
			continue;
		if (llid_att_equal(b, o)) {
			c->b = b;		/* rule 1 */
			return true;
		}
		if (!found || (b->state == BCE_ACTIVE && found->state != BCE_ACTIVE))
			found = b;
	}
	if (!found)
		return false;
	c->b = NULL;				/* rules 2 and 3 */
	c->share = found;
	return true;
}

/* RFC 5213 5.4.1.1: non-zero prefixes. Sets c->b to the binding that owns
 * them (NULL: none). Returns a status. */
static uint8_t match_prefixes(struct lma *l, struct pbu_ctx *c, struct bc_mn *m)
{
	const struct mh_opts *o = &c->pbu->opt;
	struct bce *owner = NULL;
	unsigned owned = 0, nonzero = 0;

	for (uint8_t i = 0; i < o->n_hnp; i++) {
		struct bce *h[MAX_SHARERS];
		struct xp_prefix p;
		size_t nh;

		if (prefix_zero(&o->hnp[i]))
			continue;
		nonzero++;
		hnp_to_prefix(&o->hnp[i], &p);
		nh = bcache_by_prefix_all(l->bc, &p, h, MAX_SHARERS);
		if (nh > MAX_SHARERS)
			nh = MAX_SHARERS;
		if (!nh) {
			if (!may_claim(l, c, &p))
				return XP_PBA_NOT_AUTHORIZED_FOR_HNP;
			continue;
		}
		if (h[0]->mn != m)
			return XP_PBA_NOT_AUTHORIZED_FOR_HNP;
		if (!owner) {
			owner = pick_holder(c, h, nh);
		} else {
			bool holds = false;

			for (size_t j = 0; j < nh; j++)
				holds |= h[j] == owner;
			if (!holds)
				return XP_PBA_BCE_PREFIX_MISMATCH;
		}
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
		ev_info("dereg-ignored", c->mn, (int)b->bid, "peer=%s pcoa=%s", a2s(c->src, pc),
			a2s(&b->pcoa, (char[ADDR_STR]){ 0 }));
		return XP_PBA_ACCEPTED;
	}
	record_ordering(b, c->pbu);
	c->action = "dereg";
	if (b->state != BCE_DEREG) {
		b->state = BCE_DEREG;
		b->deadline_rt_ms = c->now + l->lc->min_delay_bce_delete_ms;
		b->lifetime_s = 0;
		dp_write(l, b, NULL);	/* inactive: the data plane stops forwarding */
		if ((b->flags & BCE_F_MH) && (c->pbu->opt.present & MH_HAS_MULTIHOMING))
			mhf_release(l->fm, b, c->pbu->opt.mh_act, mhf_pick_target(b),
				    c->pbu->opt.mh_act == XP_MH_ACT_KEEP ? "dereg-keep" :
				    "dereg-remove");
		lma_flows_changed(l, b->mn);
		if (l->lc->min_delay_bce_delete_ms == 0) {
			c->b = NULL;
			ev_info("binding-deleted", c->mn, (int)c->bid, "peer=%s reason=dereg",
				a2s(c->src, pc));
			l->st.deleted++;
			binding_delete(l, b);
			return XP_PBA_ACCEPTED;
		}
		arm(l, b);
	}
	return XP_PBA_ACCEPTED;
}

/* HI 6, rules 2 and 3: b gets from's prefixes (both hold them) */
static uint8_t share_prefixes(struct lma *l, const struct bce *from, struct bce *b)
{
	if (bcache_share_prefixes(l->bc, b, from->n_hnp, from->hnp))
		return XP_PBA_INSUFFICIENT_RESOURCES;
	b->flags |= from->flags & BCE_F_STATIC_HNP;
	return XP_PBA_ACCEPTED;
}

static uint8_t do_register(struct lma *l, struct pbu_ctx *c, struct bc_mn *m, bool nonzero)
{
	const struct mh_msg *pbu = c->pbu;
	const struct mh_opts *o = &pbu->opt;
	struct bce *b = c->b;
	struct in6_addr old_pcoa;
	bool created = false, moved = false, was_active;
	uint8_t st;
	int err;

	(void)m;
	if (!b) {
		uint16_t bid = o->n_bid ? o->bid[0].bid : 0;

		b = bcache_add(l->bc, c->mn, bid, 0, &err);
		if (!b) {
			ev_warn("bce-create-failed", c->mn, -1, "err=%s", XP_LOGERR(-err));
			return err == -EEXIST ? XP_PBA_UNSPECIFIED : XP_PBA_INSUFFICIENT_RESOURCES;
		}
		created = true;
		if (o->n_bid)
			b->flags |= BCE_F_BID_OPT;
		if (c->share)
			st = share_prefixes(l, c->share, b);
		else
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
		c->action = c->share ? "new-sharing-prefixes" : "new";
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
	was_active = !created && b->state == BCE_ACTIVE;
	b->state = BCE_ACTIVE;
	b->att = o->att;
	b->hi = o->hi;
	mhf_mark(b, o);
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
	if (!was_active)
		lma_flows_changed(l, b->mn);	/* entries on this BID become active */
	arm(l, b);
	return XP_PBA_ACCEPTED;
}

/*
 * 000 sections 5.2 and 5.3: with the MN's policy at unique-address or
 * shared-address, a new interface of an MN that has a binding already
 * shares that binding's prefixes, whatever the MAG asked for (HI 1 or 4
 * with all-zero prefixes): the LMA policy chooses the model, not the MAG
 * profile. Which binding: an active one with prefixes, the lowest BID
 * first. NULL: none, or the model gives each interface its own prefix.
 */
static struct bce *model_sharer(const struct pbu_ctx *c, struct bc_mn *m)
{
	struct bce *best = NULL;

	if (!m || !c->pol || c->pol->addr_model == XP_AM_UNIQUE_PREFIX)
		return NULL;
	for (struct bce *b = m->bces; b; b = b->mn_next) {
		if (!b->n_hnp)
			continue;
		if (!best || (b->state == BCE_ACTIVE && best->state != BCE_ACTIVE) ||
		    (b->state == best->state && b->bid < best->bid))
			best = b;
	}
	return best;
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
	/* 004 section 6.1: an LMA without (part of) the extension says so */
	if ((o->present & MH_HAS_MULTIHOMING) && !l->lc->multihoming)
		return XP_PBA_MH_NOT_SUPPORTED_DEFAULT;

	m = bcache_mn(l->bc, c->mn);
	for (uint8_t i = 0; i < o->n_hnp; i++)
		nonzero |= !prefix_zero(&o->hnp[i]);
	if ((c->b = mhf_match(m, o, c->src, &c->share)) || c->share) {
		/* 004 section 2: same HNP and MHGID, one mobility session */
	} else if (o->hi == XP_HI_NEW_IF_SHARED && match_shared(c, m)) {
		/* decided by RFC 7864 3.2.1 */
	} else if (nonzero) {
		if ((st = match_prefixes(l, c, m)))
			return st;
	} else if (o->hi == XP_HI_NEW_IF || o->hi == XP_HI_NEW_IF_SHARED) {
		c->b = NULL;
	} else if (o->hi >= XP_HI_IIHO && o->hi <= XP_HI_NOT_CHANGED) {
		c->b = match_zero_hnp(c, m);
	} else {
		return XP_PBA_UNSPECIFIED;	/* HI value we cannot act on */
	}
	if (!c->b && !c->share && !nonzero)
		c->share = model_sharer(c, m);
	if (c->b)
		c->bid = c->b->bid;
	if ((st = check_order(l, c, pba)))
		return st;
	if ((o->present & MH_HAS_MULTIHOMING) && pbu->bu.lifetime == 0 &&
	    o->mh_act == XP_MH_ACT_KEEP && !l->lc->mh_reinstantiation)
		return XP_PBA_MH_REINST_NOT_SUPPORTED_DEFAULT;
	if (pbu->bu.lifetime == 0)
		return do_dereg(l, c);
	c->granted_s = grant_lifetime(l, c);
	if (!c->granted_s)
		return do_dereg(l, c);	/* less than one unit: a de-registration */
	return do_register(l, c, m, nonzero);
}

/* 004: the filters of an accepted PBU, each one's status, and the
 * re-instantiated filters the binding holds, in the PBA */
static void mh_pba(struct lma *l, const struct pbu_ctx *c, struct mh_msg *pba)
{
	const struct mh_opts *o = &c->pbu->opt;
	struct bce *b = c->b;

	if (!(o->present & MH_HAS_MULTIHOMING))
		return;
	pba->opt.present |= MH_HAS_MULTIHOMING;
	pba->opt.mhgid = o->mhgid;
	pba->opt.mh_act = 0;
	if (!b || b->state != BCE_ACTIVE)
		return;
	if (mhf_apply(l->fm, b, o, &pba->opt))
		lma_flows_changed(l, b->mn);
	mhf_report(l->fm, b, &pba->opt);
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
		fmsig_pba_offlink(l, b, pba);	/* RFC 7864 3.3: L set */
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

/* ---- 2-level prefixes (001_6d909178e764a821.txt) ----
 *
 * With lma.two_level configured, HNP options inside the temporal pool are
 * temporal (T) prefixes, told apart from permanent (P) ones by range (001
 * section 3). They are taken out of the PBU before the RFC 5213 processing
 * above (which sees the permanent prefixes only) and applied to the
 * binding it chose afterwards:
 *  - a /64 inside the sending MAG's own block that nobody holds: registered
 *    for that binding (the MAG carved it for the interface);
 *  - one held by this binding: kept;
 *  - one held by another binding of the MN: moved here only by a flow
 *    handover PBU (HI 5 carrying temporal prefixes and no permanent one,
 *    001 section 5.1.2); in a re-registration it is left where it is and
 *    the PBA does not list it, which is how the old MAG learns it moved;
 *  - a shorter prefix (a level-1 block, the "aggregated HNP_1(T)" of a
 *    full flow handover): every level-2 prefix of the MN inside it.
 * A binding left with none of its temporal prefixes by a flow handover has
 * had a full flow handover (FFHO): it stays, Idle, for ffho_hold_s (its
 * lifetime is capped there) so that a reverse handover can restore it,
 * and is deleted after. Every accepted PBA to a MAG carries its block in
 * option 202 and the binding's temporal prefixes as HNP options.
 */

struct tl_req {
	uint8_t n;
	struct xp_prefix p[MH_MAX_HNP];
	bool flow_ho;		/* HI 5 with temporal prefixes only */
};

static bool tl_on(const struct lma *l)
{
	return l->lc->two_level.enabled;
}

static bool tl_temporal(const struct lma *l, const struct in6_addr *a)
{
	return xp_prefix_contains(&l->lc->two_level.temporal_pool, a);
}

void lma_set_tlp_map(struct lma *l, int fd)
{
	l->tlp_fd = fd;
}

static void tl_persist(struct lma *l, const struct tlp_entry *e)
{
	int rc = tlp_store(l->tlp_fd, e);

	if (rc)
		ev_warn("map-write-failed", NULL, -1, "map=%s err=%s", XP_MAP_TLP, XP_LOGERR(-rc));
}

static void tl_forget(struct lma *l, const struct xp_prefix *p)
{
	int rc = tlp_unstore(l->tlp_fd, p);

	if (rc)
		ev_warn("map-delete-failed", NULL, -1, "map=%s err=%s", XP_MAP_TLP, XP_LOGERR(-rc));
}

static int tl_route(struct lma *l, const struct tlp_entry *e)
{
	struct xp_prefix_val pv = { .mn_id = e->s.mn_idx, .bid = e->s.bid,
				    .kind = XP_PFX_TEMPORAL };

	return pfx_put(l, &e->p, &pv);
}

/* Take the temporal HNP options out of pbu into r (see above) */
static void tl_split(struct lma *l, struct mh_msg *pbu, struct tl_req *r)
{
	uint8_t k = 0;

	memset(r, 0, sizeof(*r));
	if (!tl_on(l) || pbu->type != XP_MH_TYPE_BU)
		return;
	for (uint8_t i = 0; i < pbu->opt.n_hnp; i++) {
		const struct mh_hnp *h = &pbu->opt.hnp[i];

		if (!prefix_zero(h) && tl_temporal(l, &h->prefix))
			hnp_to_prefix(h, &r->p[r->n++]);
		else
			pbu->opt.hnp[k++] = *h;
	}
	if (r->n && !k) {
		/* temporal prefixes only: the binding is the interface's at
		 * this MAG, found as for an all-zero HNP (RFC 5213 5.4.1.2) */
		memset(&pbu->opt.hnp[0], 0, sizeof(pbu->opt.hnp[0]));
		k = 1;
		r->flow_ho = (pbu->opt.present & MH_HAS_HI) && pbu->opt.hi == XP_HI_NOT_CHANGED;
	}
	pbu->opt.n_hnp = k;
}

static struct bce *tl_binding(const struct lma *l, uint32_t mn_idx, uint16_t bid)
{
	struct bc_mn *m = bcache_mn_by_idx(l->bc, mn_idx);

	return m ? bcache_get(l->bc, m->mn_id, bid) : NULL;
}

static uint32_t tl_count_owned(const struct lma *l, const struct bce *b)
{
	uint32_t n = 0;

	for (size_t i = 0; i < l->tl.n; i++)
		n += l->tl.e[i].s.level == XP_TLP_LEVEL_L2 && l->tl.e[i].s.mn_idx == b->mn->idx &&
		     l->tl.e[i].s.bid == b->bid;
	return n;
}

/* The MAG at pcoa's block: the one it has, else a new one (persisted) */
static const struct tlp_entry *tl_block(struct lma *l, const struct in6_addr *pcoa)
{
	const struct xp_lma_two_level *tc = &l->lc->two_level;
	struct tlp_entry *e = tlp_block_of_peer(&l->tl, pcoa);
	struct xp_tlp_state s;
	struct xp_prefix blk;
	char pc[ADDR_STR], bs[PFX_STR];
	int rc;

	if (e)
		return e;
	rc = tlp_block_assign(&l->tl, &tc->temporal_pool, tc->block_len, pcoa, &blk);
	if (rc) {
		ev_warn("temporal-block-failed", NULL, -1, "peer=%s err=%s", a2s(pcoa, pc),
			XP_LOGERR(-rc));
		return NULL;
	}
	memset(&s, 0, sizeof(s));
	addr6(&s.peer, pcoa);
	s.level = XP_TLP_LEVEL_BLOCK;
	s.kind = XP_PFX_TEMPORAL;
	e = tlp_put(&l->tl, &blk, &s);
	if (!e)
		return NULL;
	tl_persist(l, e);
	ev_info("temporal-block-assigned", NULL, -1, "peer=%s block=%s", a2s(pcoa, pc),
		xp_prefix_str(&blk, bs, sizeof(bs)));
	return e;
}

/* Idle (FFHO) or active again: data plane flag, lifetime cap, the hold
 * recorded in the prefixes that left it (so a restart keeps it) */
static void tl_set_idle(struct lma *l, struct bce *b, bool idle, uint64_t now)
{
	uint64_t until = idle ? now + (uint64_t)l->lc->two_level.ffho_hold_s * MS_PER_S : 0;

	b->tl_idle = idle;
	b->tl_hold_until_rt_ms = until;
	for (size_t i = 0; i < l->tl.n; i++) {
		struct tlp_entry *e = &l->tl.e[i];

		if (e->s.level == XP_TLP_LEVEL_L2 && e->s.mn_idx == b->mn->idx &&
		    e->s.home_bid == b->bid && e->s.hold_until_rt_ms != until) {
			e->s.hold_until_rt_ms = until;
			tl_persist(l, e);
		}
	}
	if (idle && b->deadline_rt_ms > until) {
		b->deadline_rt_ms = until;
		b->lifetime_s = (uint32_t)((until - now) / MS_PER_S);
	}
	if (dp_write(l, b, NULL))
		ev_warn("binding-idle-write-failed", b->mn->mn_id, (int)b->bid, NULL);
	arm(l, b);
}

/* Move e to binding to; returns the binding it left */
static struct bce *tl_move(struct lma *l, struct tlp_entry *e, struct bce *to)
{
	struct bce *from = tl_binding(l, e->s.mn_idx, e->s.bid);
	char ps[PFX_STR];

	e->s.bid = to->bid;
	if (e->s.home_bid == to->bid)
		e->s.hold_until_rt_ms = 0;	/* back home: a reverse handover */
	if (tl_route(l, e))
		ev_warn("temporal-route-failed", to->mn->mn_id, -1, "prefix=%s",
			xp_prefix_str(&e->p, ps, sizeof(ps)));
	tl_persist(l, e);
	if (from)
		trace_switch(to->mn, XP_SW_PREFIX, from->bid, NULL, to->bid, 0, &e->p);
	ev_info("temporal-prefix-moved", to->mn->mn_id, -1,
		"prefix=%s from_bid=%u to_bid=%u home_bid=%u", xp_prefix_str(&e->p, ps, sizeof(ps)),
		from ? from->bid : 0, to->bid, e->s.home_bid);
	return from;
}

/* One requested level-2 prefix for binding b: register, keep, move or
 * refuse. Returns the binding it was moved away from, or NULL. */
static struct bce *tl_claim(struct lma *l, struct pbu_ctx *c, struct bce *b,
			    const struct xp_prefix *q, bool flow_ho)
{
	struct tlp_entry *e = tlp_find(&l->tl, q);
	const struct tlp_entry *blk;
	struct xp_tlp_state s;
	char ps[PFX_STR];

	if (e && e->s.level == XP_TLP_LEVEL_L2) {
		if (e->s.mn_idx != b->mn->idx) {
			ev_info("temporal-prefix-refused", c->mn, (int)b->bid,
				"prefix=%s reason=other-mn", xp_prefix_str(q, ps, sizeof(ps)));
			return NULL;
		}
		if (e->s.bid == b->bid)
			return NULL;
		if (!flow_ho) {
			ev_info("temporal-prefix-not-moved", c->mn, (int)b->bid,
				"prefix=%s owner_bid=%u reason=re-registration",
				xp_prefix_str(q, ps, sizeof(ps)), e->s.bid);
			return NULL;
		}
		return tl_move(l, e, b);
	}
	blk = tlp_block_of_peer(&l->tl, c->src);
	if (e || q->plen != TLP_L2_LEN || !blk || !xp_prefix_contains(&blk->p, &q->addr)) {
		ev_info("temporal-prefix-refused", c->mn, (int)b->bid,
			"prefix=%s reason=not-in-the-senders-block",
			xp_prefix_str(q, ps, sizeof(ps)));
		return NULL;
	}
	memset(&s, 0, sizeof(s));
	s.level = XP_TLP_LEVEL_L2;
	s.kind = XP_PFX_TEMPORAL;
	s.mn_idx = b->mn->idx;
	s.bid = b->bid;
	s.home_bid = b->bid;
	addr6(&s.peer, c->src);
	e = tlp_put(&l->tl, q, &s);
	if (!e || tl_route(l, e)) {
		ev_warn("temporal-prefix-failed", c->mn, (int)b->bid, "prefix=%s",
			xp_prefix_str(q, ps, sizeof(ps)));
		if (e)
			tlp_del(&l->tl, e);
		return NULL;
	}
	tl_persist(l, e);
	ev_info("temporal-prefix-registered", c->mn, (int)b->bid, "prefix=%s",
		xp_prefix_str(q, ps, sizeof(ps)));
	return NULL;
}

/*
 * The temporal part of an accepted PBU (001 section 5.1.2), binding c->b:
 * a registration or re-registration of the MAG's level-2 prefixes, or a
 * partial / full flow handover (HI 5). Kept apart from the RFC 5213
 * processing so that other HI 5 contents (004 filters) have their own.
 */
static void tl_pbu(struct lma *l, struct pbu_ctx *c, const struct tl_req *r)
{
	struct bce *b = c->b, *left[MH_MAX_HNP];
	unsigned n_left = 0, moved = 0;

	if (!tl_on(l) || !b || b->state != BCE_ACTIVE)
		return;
	if (!tl_block(l, c->src))
		return;
	for (uint8_t i = 0; i < r->n; i++) {
		const struct xp_prefix *q = &r->p[i];
		struct xp_prefix want[MH_MAX_HNP];
		unsigned n_want = 0;

		if (q->plen < TLP_L2_LEN) {
			/* a block: every level-2 prefix of the MN inside it */
			for (size_t j = 0; j < l->tl.n && n_want < MH_MAX_HNP; j++)
				if (l->tl.e[j].s.level == XP_TLP_LEVEL_L2 &&
				    l->tl.e[j].s.mn_idx == b->mn->idx &&
				    xp_prefix_contains(q, &l->tl.e[j].p.addr))
					want[n_want++] = l->tl.e[j].p;
		} else {
			want[n_want++] = *q;
		}
		for (unsigned j = 0; j < n_want; j++) {
			struct bce *from = tl_claim(l, c, b, &want[j], r->flow_ho);
			bool seen = false;

			if (!from)
				continue;
			moved++;
			for (unsigned k = 0; k < n_left; k++)
				seen |= left[k] == from;
			if (!seen && n_left < MH_MAX_HNP)
				left[n_left++] = from;
		}
	}
	if (b->tl_idle && moved) {
		ev_info("binding-reactivated", c->mn, (int)b->bid, "reason=reverse-flow-handover");
		tl_set_idle(l, b, false, c->now);
	}
	for (unsigned k = 0; k < n_left; k++) {
		bool full = !tl_count_owned(l, left[k]);

		ev_info("flow-handover", c->mn, -1, "kind=%s from_bid=%u to_bid=%u moved=%u",
			full ? "FFHO" : "PFHO", left[k]->bid, b->bid, moved);
		if (full && !left[k]->tl_idle)
			tl_set_idle(l, left[k], true, c->now);
	}
	if (moved)
		c->action = "flow-handover";
	if (b->tl_idle) {
		/* a re-registration of an Idle session: no longer than the hold */
		uint64_t until = b->tl_hold_until_rt_ms, unit_ms = XP_LIFETIME_UNIT_S * MS_PER_S;
		uint32_t rem = (uint32_t)(((until > c->now ? until - c->now : 0) + unit_ms - 1) /
					  unit_ms * XP_LIFETIME_UNIT_S);

		/* rounded up to a whole unit, at least one: the MAG's binding
		 * outlives the hold by less than 4 s (a zero lifetime would
		 * read as a de-registration); the LMA deletes at the hold */
		if (!rem)
			rem = XP_LIFETIME_UNIT_S;
		if (rem < c->granted_s) {
			c->granted_s = rem;
			b->lifetime_s = rem;
			b->deadline_rt_ms = until > c->now ? until : c->now;
			if (dp_write(l, b, NULL))
				ev_warn("binding-idle-write-failed", c->mn, (int)b->bid, NULL);
			arm(l, b);
		}
	}
}

/* The accepted PBA: the binding's temporal prefixes and the MAG's block */
static void tl_pba(struct lma *l, const struct pbu_ctx *c, struct mh_msg *pba)
{
	const struct bce *b = c->b;
	const struct tlp_entry *blk;

	if (!tl_on(l) || !b || b->state != BCE_ACTIVE)
		return;
	for (size_t i = 0; i < l->tl.n; i++) {
		const struct tlp_entry *e = &l->tl.e[i];

		if (e->s.level == XP_TLP_LEVEL_L2 && e->s.mn_idx == b->mn->idx &&
		    e->s.bid == b->bid && mh_add_hnp(pba, &e->p.addr, e->p.plen, 0))
			ev_warn("pba-hnp-full", c->mn, (int)b->bid, NULL);
	}
	blk = tlp_block_of_peer(&l->tl, c->src);
	if (blk) {
		pba->opt.present |= MH_HAS_TPFX_BLOCK;
		pba->opt.tpfx = blk->p.addr;
		pba->opt.tpfx_plen = blk->p.plen;
	}
}

/* A binding is deleted: its level-2 prefixes go; those it lent to another
 * binding stay there for good */
static void tl_binding_gone(struct lma *l, const struct bce *b)
{
	for (size_t i = 0; i < l->tl.n;) {
		struct tlp_entry *e = &l->tl.e[i];

		if (e->s.level != XP_TLP_LEVEL_L2 || e->s.mn_idx != b->mn->idx) {
			i++;
			continue;
		}
		if (e->s.bid == b->bid) {
			pfx_del(l, &e->p);
			tl_forget(l, &e->p);
			tlp_del(&l->tl, e);
			continue;	/* the last entry moved into slot i */
		}
		if (e->s.home_bid == b->bid) {
			e->s.home_bid = e->s.bid;
			e->s.hold_until_rt_ms = 0;
			tl_persist(l, e);
		}
		i++;
	}
}

/* After the bindings: the blocks, the level-2 routes, the Idle holds */
static int tl_restore(struct lma *l)
{
	unsigned skipped = 0;
	int n;

	if (l->tlp_fd < 0)
		return 0;
	n = tlp_load(l->tlp_fd, &l->tl, &skipped);
	if (n < 0)
		return n;
	if (skipped)
		ev_warn("restore-skipped", NULL, -1, "map=%s entries=%u reason=version", XP_MAP_TLP,
			skipped);
	for (size_t i = 0; i < l->tl.n;) {
		struct tlp_entry *e = &l->tl.e[i];
		struct bce *b, *home;

		if (e->s.level != XP_TLP_LEVEL_L2) {
			i++;
			continue;
		}
		b = tl_binding(l, e->s.mn_idx, e->s.bid);
		if (!b) {
			tl_forget(l, &e->p);
			tlp_del(&l->tl, e);
			continue;
		}
		tl_route(l, e);
		home = tl_binding(l, e->s.mn_idx, e->s.home_bid);
		if (home && e->s.hold_until_rt_ms && !home->tl_idle) {
			home->tl_idle = true;
			home->tl_hold_until_rt_ms = e->s.hold_until_rt_ms;
			if (home->deadline_rt_ms > e->s.hold_until_rt_ms)
				home->deadline_rt_ms = e->s.hold_until_rt_ms;
			if (dp_write(l, home, NULL))
				ev_warn("restore-write-failed", home->mn->mn_id, (int)home->bid,
					NULL);
			arm(l, home);
		}
		i++;
	}
	return (int)l->tl.n;
}

int lma_handle_pbu(struct lma *l, const uint8_t *buf, size_t len,
		   const struct in6_addr *src, const struct in6_addr *dst,
		   uint8_t *out, size_t cap)
{
	struct mh_msg *pbu, *pba;
	struct tl_req treq;
	struct pbu_ctx c;
	char sa[ADDR_STR], hn[HNP_LIST_STR];
	size_t off = 0;
	uint8_t st;
	int rc;

	(void)dst;
	l->st.pbu_rx++;
	pbu = l->pbu;
	pba = l->pba;
	rc = mh_decode(buf, len, pbu, &off);
	if (rc) {
		l->st.malformed++;
		xp_sigdrop_count(XP_SD_MALFORMED);
		ev_warn("mh-malformed", NULL, -1, "peer=%s err=%s offset=%zu", a2s(src, sa),
			mh_strerror(rc), off);
		rc = 0;
		goto out;
	}
	if (pbu->type == XP_MH_TYPE_UPA) {
		fmsig_on_upa(l->fs, pbu, src);
		rc = 0;
		goto out;
	}
	if (pbu->type != XP_MH_TYPE_BU) {
		l->st.ignored++;
		xp_sigdrop_count(XP_SD_UNHANDLED_TYPE);
		ev_info("mh-ignored", NULL, -1, "peer=%s type=%u(%s)", a2s(src, sa), pbu->type,
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
	tl_split(l, pbu, &treq);
	l->in_pbu = true;
	st = process(l, &c, pba);
	if (st == XP_PBA_ACCEPTED)
		tl_pbu(l, &c, &treq);
	build_pba(l, &c, st, pba);
	if (st == XP_PBA_ACCEPTED) {
		tl_pba(l, &c, pba);
		mh_pba(l, &c, pba);
	}
	/* the MN's bindings changed: what its MAGs hold may have to follow
	 * (sent after this PBA) */
	if (st == XP_PBA_ACCEPTED && (pbu->opt.present & MH_HAS_MN_ID))
		lma_fmsig_sync(l, bcache_mn(l->bc, (const char *)pbu->opt.mnid));
	l->in_pbu = false;
	l->st.by_status[st]++;
	if (st == XP_PBA_MAG_NOT_AUTHORIZED)
		xp_sigdrop_count(XP_SD_UNAUTH_PBU);
	if (st == XP_PBA_ACCEPTED) {
		const struct bce *b = c.b;

		l->st.accepted++;
		ev_info("pbu-accepted", c.mn, (int)c.bid,
			"peer=%s action=%s hi=%u att=%u seq=%u lifetime=%u hnp=%s", a2s(src, sa),
			c.action, pbu->opt.hi, pbu->opt.att, pbu->bu.seq, c.granted_s,
			b ? hnps2s(b->hnp, b->n_hnp, hn, sizeof(hn)) : "-");
	} else {
		l->st.rejected++;
		ev_info("pbu-rejected", c.mn, (int)c.bid,
			"peer=%s status=%u(%s) hi=%u att=%u seq=%u", a2s(src, sa), st,
			mh_pba_status_name(st), pbu->opt.hi, pbu->opt.att, pbu->bu.seq);
	}
	rc = mh_encode(pba, out, cap);
	if (rc < 0) {
		ev_err("pba-encode-failed", c.mn, -1, "err=%s", mh_strerror(rc));
		rc = 0;
	}
out:
	return rc;
}

/* ---- peer restart (RFC 5847, heartbeat.h) ---- */

unsigned int lma_drop_stale(struct lma *l, const struct in6_addr *pcoa, uint64_t before_rt_ms)
{
	size_t n = bcache_by_pcoa(l->bc, pcoa, NULL, 0), k;
	struct bce **v;
	unsigned int dropped = 0;
	char pc[ADDR_STR];

	if (!n || !(v = calloc(n, sizeof(*v))))
		return 0;
	k = bcache_by_pcoa(l->bc, pcoa, v, n);
	for (size_t i = 0; i < k && i < n; i++) {
		if (v[i]->registered_rt_ms >= before_rt_ms)
			continue;	/* re-registered since the restart */
		ev_info("binding-deleted", v[i]->mn->mn_id, (int)v[i]->bid,
			"peer=%s reason=mag-restarted-without-it", a2s(pcoa, pc));
		l->st.deleted++;
		binding_delete(l, v[i]);
		dropped++;
	}
	free(v);
	return dropped;
}

/* ---- restart state ---- */

int lma_state_map_open(const char *dir, uint32_t max_bindings)
{
	struct xp_state_map_spec spec = {
		.name = XP_MAP_BCE, .key_size = sizeof(struct xp_bind_key),
		.value_size = sizeof(struct xp_bce_state),
		.max_entries = max_bindings ? max_bindings : XP_BCE_MAX_ENTRIES,
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
	if ((err = bcache_share_prefixes(l->bc, b, s->n_hnp, p)) ||
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
			     (s->flags & XP_BCE_F_BID_OPT ? BCE_F_BID_OPT : 0) |
			     (s->flags & XP_BCE_F_MH ? BCE_F_MH : 0));
	b->mhgid = s->mhgid;
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
		ev_err("restore-write-failed", b->mn->mn_id, (int)b->bid, NULL);
	ev_info("binding-restored", b->mn->mn_id, (int)b->bid,
		"peer=%s state=%s hnp=%s remaining_s=%lld", a2s(&b->pcoa, pc), state_name(b->state),
		hnps2s(b->hnp, b->n_hnp, hn, sizeof(hn)),
		(long long)((int64_t)b->deadline_rt_ms - (int64_t)now_rt(l)) / (long long)MS_PER_S);
	arm(l, b);
}

static void reapply_flows_cb(const char *mn_id, const struct fm_entry *e, size_t n, void *ctx)
{
	struct lma *l = ctx;

	(void)e;
	(void)n;
	lma_flows_changed(l, bcache_mn(l->bc, mn_id));
}

int lma_restore(struct lma *l)
{
	struct xp_bind_key k, next;
	struct xp_bce_state s;
	bool first = true;
	int n = 0, err, nf;

	nf = fmcache_restore(l->fm);
	if (nf < 0)
		return nf;
	if (nf)
		ev_info("flows-restored", NULL, -1, "entries=%d mns=%zu", nf,
			fmcache_mn_count(l->fm));
	if (l->maps.bce < 0)
		return 0;
	memset(&k, 0, sizeof(k));
	while (!bpf_map_get_next_key(l->maps.bce, first ? NULL : &k, &next)) {
		first = false;
		k = next;
		if (bpf_map_lookup_elem(l->maps.bce, &k, &s))
			continue;
		err = restore_one(l, &k, &s);

		if (err) {
			ev_warn("restore-skipped", NULL, (int)k.bid, "mn_idx=%u err=%s", k.mn_id,
				XP_LOGERR(-err));
			continue;
		}
		n++;
	}
	bcache_foreach(l->bc, rewrite_cb, l);
	if ((err = hoa_host_sweep(l)))
		ev_warn("restore-failed", NULL, -1, "map=%s err=%s", XP_MAP_PREFIX, XP_LOGERR(-err));
	if ((err = tl_restore(l)) < 0)
		ev_warn("restore-failed", NULL, -1, "map=%s err=%s", XP_MAP_TLP, XP_LOGERR(-err));
	fmsig_state_restore(l);
	fmcache_foreach_mn(l->fm, reapply_flows_cb, l);
	return n;
}

/* ---- RFC 7864 flow mobility signalling (fmsig.c) ---- */

static uint64_t fmsig_mono(void *ctx)
{
	struct lma *l = ctx;

	return l->clk.mono_ms(l->clk.ctx);
}

static int fmsig_send(void *ctx, const struct in6_addr *dst, const uint8_t *buf, size_t len)
{
	struct lma *l = ctx;

	return l->send ? l->send(l->send_ctx, dst, buf, len) : -ENOTCONN;
}

static int fmsig_store(void *ctx, const struct xp_bind_key *k, const struct xp_fmsig_state *st)
{
	struct lma *l = ctx;

	if (l->fmsig_fd < 0)
		return 0;
	if (!st) {
		xp_map_del(l->fmsig_fd, k, XP_MAP_FMSIG);
		return 0;
	}
	return xp_map_put(l->fmsig_fd, k, st, XP_MAP_FMSIG);
}

/* The MN's flows as the signalling sees them: at most max, returns how
 * many. The flow mobility cache (fmcache.c) is their one source. */
static unsigned mn_flows(struct lma *l, const struct bc_mn *m, struct fmsig_flow *out,
			 unsigned max)
{
	const struct fm_entry *e;
	size_t n = fmcache_list(l->fm, m->mn_id, &e);
	unsigned k = 0;

	for (size_t i = 0; i < n && k < max; i++, k++) {
		out[k] = (struct fmsig_flow){
			.fid = e[i].fid,
			.fid_pri = e[i].fid_pri,
			.bid = flowdp_entry_bid(&e[i], m),
			.action = e[i].action,
			.active = flowdp_entry_active(&e[i], m),
			.has_ts = true,
			.ts = e[i].ts,
		};
	}
	return k;
}

void lma_fmsig_sync_flows(struct lma *l, const struct bc_mn *m, const struct fmsig_flow *flows,
			  unsigned n)
{
	fmsig_sync(l->fs, m, flows, n, l->in_pbu);
}

void lma_fmsig_sync(struct lma *l, const struct bc_mn *m)
{
	static struct fmsig_flow flows[LMA_FMSIG_MAX_FLOWS];

	if (!m)
		return;
	lma_fmsig_sync_flows(l, m, flows, mn_flows(l, m, flows, LMA_FMSIG_MAX_FLOWS));
}

static void fmsig_pba_offlink(struct lma *l, const struct bce *b, struct mh_msg *pba)
{
	static struct fmsig_flow flows[LMA_FMSIG_MAX_FLOWS];

	fmsig_pba(l->fs, b, flows, mn_flows(l, b->mn, flows, LMA_FMSIG_MAX_FLOWS), pba);
}

void lma_set_sender(struct lma *l, int (*send)(void *ctx, const struct in6_addr *dst,
					       const uint8_t *buf, size_t len), void *ctx)
{
	l->send = send;
	l->send_ctx = ctx;
}

void lma_set_fmsig_map(struct lma *l, int fd)
{
	l->fmsig_fd = fd;
}

struct fmsig *lma_fmsig(struct lma *l)
{
	return l->fs;
}

int lma_fmsig_map_open(const char *dir)
{
	static const struct xp_state_map_spec spec = {
		.name = XP_MAP_FMSIG, .key_size = sizeof(struct xp_bind_key),
		.value_size = sizeof(struct xp_fmsig_state), .max_entries = XP_FMSIG_MAX_ENTRIES,
		.lost = "flow mobility signalling state",
	};

	return xp_state_map_open(dir, &spec);
}

/* After the bindings: each pinned UPN state whose binding still exists */
static void fmsig_state_restore(struct lma *l)
{
	static struct xp_fmsig_state st;
	struct xp_bind_key k, next;
	bool first = true;

	if (l->fmsig_fd < 0)
		return;
	while (!bpf_map_get_next_key(l->fmsig_fd, first ? NULL : &k, &next)) {
		struct bc_mn *m = bcache_mn_by_idx(l->bc, next.mn_id);
		int err;

		first = false;
		k = next;
		if (bpf_map_lookup_elem(l->fmsig_fd, &k, &st))
			continue;
		err = m && bcache_get(l->bc, m->mn_id, k.bid) ? fmsig_restore(l->fs, &k, &st) : -ENOENT;
		if (err) {
			ev_warn("upn-restore-skipped", NULL, (int)k.bid, "mn_idx=%u err=%s",
				k.mn_id, XP_LOGERR(-err));
			continue;
		}
		ev_info("upn-restored", m->mn_id, (int)k.bid, "state=%u seq=%u", st.state, st.seq);
	}
}

/* ---- object ---- */

/* Binding cache buckets: one per binding the maps can hold (chains of ~1
 * at full capacity; 16 per bucket at 1M MNs with a fixed 2^16 was a
 * string compare per cold cache line), at most 2^BC_BUCKETS_LOG2_MAX. The
 * tables are calloc'ed: pages are touched as bindings arrive. */
static unsigned bc_buckets_log2(const struct xp_config *cfg)
{
	uint32_t want = cfg->max_bindings ? cfg->max_bindings : XP_MAX_MNS;
	unsigned lg = BC_BUCKETS_LOG2;

	while (lg < BC_BUCKETS_LOG2_MAX && (1u << lg) < want)
		lg++;
	return lg;
}

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
	l->tlp_fd = -1;
	tlp_init(&l->tl);
	if (l->lc->two_level.enabled)
		mh_codec_cfg.tpfx_block_opt = l->lc->two_level.tpfx_opt;
	if (maps)
		l->maps = *maps;
	else
		l->maps = (struct lma_maps){ -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1 };
	if (clk)
		l->clk = *clk;
	else
		l->clk = (struct lma_clock){ real_rt, real_mono, NULL };
	l->fmsig_fd = -1;
	l->pbu = malloc(sizeof(*l->pbu));
	l->pba = malloc(sizeof(*l->pba));
	l->flow_set = malloc(sizeof(*l->flow_set));
	if (!l->pbu || !l->pba || !l->flow_set) {
		lma_free(l);
		return -ENOMEM;
	}
	if ((rc = bcache_new(bc_buckets_log2(cfg), &l->bc)) ||
	    (rc = fmcache_new(l->maps.flowstate, &l->fm)) ||
	    (rc = hnp_pool_new(&l->lc->hnp_pool, l->lc->hnp_len, &l->pool)) ||
	    (rc = fmsig_new(l->lc, &(struct fmsig_hooks){ .ctx = l, .mono_ms = fmsig_mono,
				.send = fmsig_send, .store = fmsig_store, .ev = ev }, &l->fs))) {
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
	fmsig_free(l->fs);
	hnp_pool_free(l->pool);
	tlp_fini(&l->tl);
	fmcache_free(l->fm);
	free(l->pbu);
	free(l->pba);
	free(l->flow_set);
	free(l);
}

struct bcache *lma_bcache(struct lma *l)
{
	return l->bc;
}

struct fmcache *lma_fmcache(struct lma *l)
{
	return l->fm;
}

const struct lma_maps *lma_maps_of(const struct lma *l)
{
	return &l->maps;
}

/* `xpmipctl trace`: the flows of set whose binding differs from the one
 * xp_fsel_v1 holds now (a flow moved) */
static void trace_flow_switches(struct lma *l, const struct bc_mn *m, const struct xp_flow_set *set)
{
	struct xp_flow_set *old = calloc(1, sizeof(*old));

	if (!old || l->maps.fsel < 0 || bpf_map_lookup_elem(l->maps.fsel, &m->idx, old)) {
		free(old);
		return;
	}
	for (uint32_t i = 0; i < set->n && i < XP_MAX_FLOWS_PER_MN; i++)
		for (uint32_t j = 0; j < old->n && j < XP_MAX_FLOWS_PER_MN; j++)
			if (old->sel[j].fid == set->sel[i].fid && old->sel[j].bid != set->sel[i].bid &&
			    set->sel[i].action == XP_FBA_FORWARD && old->sel[j].action == XP_FBA_FORWARD)
				trace_switch(m, XP_SW_FLOW, old->sel[j].bid, NULL, set->sel[i].bid,
					     set->sel[i].fid, NULL);
	free(old);
}

void lma_flows_changed(struct lma *l, struct bc_mn *m)
{
	const struct fm_entry *e;
	struct xp_flow_set *set;
	struct xp_mn_val mv;
	size_t n;
	uint32_t act;

	if (!m)
		return;
	n = fmcache_list(l->fm, m->mn_id, &e);
	set = l->flow_set;
	/* no flow mobility entries (every new MN): nothing to build or trace */
	act = n ? flowdp_build(e, n, m, set) : 0;
	if (n && xp_trace_active())
		trace_flow_switches(l, m, set);
	memset(&mv, 0, sizeof(mv));
	if (l->maps.mn >= 0 && !mn_val_get(l, m, &mv))
		ev_warn("flows-mn-missing", m->mn_id, -1, "idx=%u", m->idx);
	if (act) {
		set->gen = fmcache_next_gen(l->fm);
		if (xp_map_put(l->maps.fsel, &m->idx, set, XP_MAP_FLOWSEL))
			return;
		mv.flow_gen = set->gen;
		mv.flags |= XP_MNF_FLOWS;
		mn_val_put(l, m, &mv);
	} else if (mv.flags & XP_MNF_FLOWS) {
		mv.flags &= (__u8)~XP_MNF_FLOWS;
		mv.flow_gen = fmcache_next_gen(l->fm);
		mn_val_put(l, m, &mv);
		xp_map_del(l->maps.fsel, &m->idx, XP_MAP_FLOWSEL);
	}
	ev_info("flows-applied", m->mn_id, -1, "entries=%zu active=%u gen=%u", n, act, mv.flow_gen);
	/* a flow now sent to a binding without its prefix needs that prefix
	 * off-link at the binding's MAG (RFC 7864 3.2.2): UPN when that changes */
	lma_fmsig_sync(l, m);
}

const struct lma_stats *lma_stats(const struct lma *l)
{
	return &l->st;
}

/* ---- control commands ---- */

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
	char pc[ADDR_STR], hn[HNP_LIST_STR], hs[ADDR_STR];
	long long rem = ((long long)b->deadline_rt_ms - (long long)now_rt(w->l)) / (long long)MS_PER_S;
	/* 000: the address downlink for this binding is rewritten to (:: when
	 * interface priority is not in use for the MN) */
	struct in6_addr primary = mn_primary_hoa(w->l, b->mn, NULL);
	struct in6_addr hoa = bce_hoa(w->l, b, &primary);

	if (rem < 0)
		rem = 0;
	a2s(&b->pcoa, pc);
	a2s(&hoa, hs);
	if (!w->json) {
		fprintf(w->out, "%-28s %5u %7u %-10s %-26s %-24s %3u %2u %8u %9lld %3u %1s %s\n",
			b->mn->mn_id, b->bid, b->mn->idx, state_name(b->state), pc,
			hnps2s(b->hnp, b->n_hnp, hn, sizeof(hn)), b->att, b->hi, b->lifetime_s, rem,
			b->llid_ifp, b->llid_primary ? "P" : "-", hs);
		w->n++;
		return;
	}
	fprintf(w->out, "%s{\"mn_id\":", w->n++ ? "," : "");
	xp_json_str(w->out, b->mn->mn_id);
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
	fprintf(w->out, "\",\"ifp\":%u,\"primary\":%s,\"hoa\":\"%s\"}", b->llid_ifp,
		b->llid_primary ? "true" : "false", hs);
}

/* One row of `prefixes`: kind P/T, 001 level, owner binding (NULL for a
 * MAG's block), home binding (001: where a moved prefix came from), Idle */
static void pfx_print(struct ctl_walk *w, const struct xp_prefix *p, uint8_t kind,
		      uint8_t level, const struct bce *b, const struct in6_addr *pcoa,
		      unsigned home_bid, bool idle)
{
	char pc[ADDR_STR], one[PFX_STR];

	a2s(pcoa, pc);
	xp_prefix_str(p, one, sizeof(one));
	if (!w->json) {
		fprintf(w->out, "%-26s %-4s %5u %-28s %5u %7u %-26s %-10s %4u %s\n", one,
			tlp_kind_str(kind), level, b ? b->mn->mn_id : "-", b ? b->bid : 0,
			b ? b->mn->idx : 0, pc, b ? state_name(b->state) : "block", home_bid,
			idle ? "idle" : "-");
	} else {
		fprintf(w->out, "%s{\"prefix\":\"%s\",\"kind\":\"%s\",\"level\":%u,\"mn_id\":",
			w->n ? "," : "", one, tlp_kind_str(kind), level);
		xp_json_str(w->out, b ? b->mn->mn_id : "");
		fprintf(w->out, ",\"bid\":%u,\"mn_idx\":%u,\"pcoa\":\"%s\",\"state\":\"%s\","
			"\"home_bid\":%u,\"idle\":%s}", b ? b->bid : 0, b ? b->mn->idx : 0, pc,
			b ? state_name(b->state) : "block", home_bid, idle ? "true" : "false");
	}
	w->n++;
}

static void pfx_row(struct bce *b, void *ctx)
{
	struct ctl_walk *w = ctx;

	for (uint8_t i = 0; i < b->n_hnp; i++)
		pfx_print(w, &b->hnp[i], XP_PFX_PERMANENT, 1, b, &b->pcoa, b->bid, b->tl_idle);
	if (!IN6_IS_ADDR_UNSPECIFIED(&b->hoa_host)) {	/* 000 5.2: its HoA's /128 */
		struct xp_prefix h = { .addr = b->hoa_host, .plen = XP_IPV6_PREFIX_MAX };

		pfx_print(w, &h, XP_PFX_PERMANENT, 1, b, &b->pcoa, b->bid, false);
	}
}

/* 001: the MAGs' blocks and the level-2 prefixes; a prefix moved away
 * from its home binding also shows there, Idle (001 Figures 3, 4) */
static void tl_rows(struct ctl_walk *w)
{
	const struct lma *l = w->l;

	for (size_t i = 0; i < l->tl.n; i++) {
		const struct tlp_entry *e = &l->tl.e[i];
		struct in6_addr peer;
		const struct bce *b, *home;

		memcpy(peer.s6_addr, e->s.peer.a8, sizeof(peer.s6_addr));
		if (e->s.level == XP_TLP_LEVEL_BLOCK) {
			pfx_print(w, &e->p, e->s.kind, e->s.level, NULL, &peer, 0, false);
			continue;
		}
		b = tl_binding(l, e->s.mn_idx, e->s.bid);
		if (!b)
			continue;
		pfx_print(w, &e->p, e->s.kind, e->s.level, b, &b->pcoa, e->s.home_bid, false);
		home = e->s.home_bid != e->s.bid ? tl_binding(l, e->s.mn_idx, e->s.home_bid) : NULL;
		if (home)
			pfx_print(w, &e->p, e->s.kind, e->s.level, home, &home->pcoa,
				  e->s.home_bid, true);
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

	static const char *const known[] = { "bindings", "prefixes", "mag-peers", "lma-stats",
					     "upn" };

	if (argc >= 1 && !strcmp(argv[0], "flow"))
		return flowctl_run(l, argc, argv, out);
	if (argc >= 1 && !strcmp(argv[0], "filters"))
		return flowctl_filters(l, argc, argv, out);
	if (argc >= 1 && !strcmp(argv[0], "binding-stats"))
		return flowctl_binding_stats(l, argc, argv, out);
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
			fprintf(out, "%-28s %5s %7s %-10s %-26s %-24s %3s %2s %8s %9s %3s %1s %s\n",
				"MN-ID", "BID", "MN-IDX", "STATE", "PROXY-COA", "HNP", "ATT", "HI",
				"LIFETIME", "REMAINING", "IFP", "P", "HOA");
		bcache_foreach(l->bc, bind_row, &w);
		if (w.json)
			fprintf(out, "],\"count\":%u,\"mns\":%u}\n", bcache_count(l->bc),
				bcache_mn_count(l->bc));
		else
			fprintf(out, "(%u bindings, %u MNs)\n", bcache_count(l->bc), bcache_mn_count(l->bc));
		return 0;
	}
	if (!strcmp(argv[0], "prefixes")) {
		if (w.json)
			fprintf(out, "{\"prefixes\":[");
		else
			fprintf(out, "%-26s %-4s %5s %-28s %5s %7s %-26s %-10s %4s %s\n", "PREFIX",
				"KIND", "LEVEL", "MN-ID", "BID", "MN-IDX", "PROXY-COA", "STATE", "HOME",
				"IDLE");
		bcache_foreach(l->bc, pfx_row, &w);
		tl_rows(&w);
		if (w.json)
			fprintf(out, "],\"count\":%u}\n", w.n);
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
				fprintf(out, "%s{\"peer\":\"%s\",\"bindings\":%u,\"authorized\":%s}",
					i ? "," : "", pc, w.peers[i].n, auth ? "true" : "false");
			else
				fprintf(out, "%-40s %8u %s\n", pc, w.peers[i].n, auth ? "yes" : "no");
		}
		if (w.json)
			fprintf(out, "],\"count\":%zu}\n", w.n_peers);
		else
			fprintf(out, "(%zu peers)\n", w.n_peers);
		free(w.peers);
		return 0;
	}
	if (!strcmp(argv[0], "upn")) {
		fmsig_print(l->fs, out, w.json);
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
		if (w.json)
			fprintf(out, ",\"by_status\":[");
		n = 0;
		for (unsigned st = 0; st < 256; st++) {
			if (!s->by_status[st])
				continue;
			if (w.json)
				fprintf(out, "%s{\"status\":%u,\"name\":\"%s\",\"count\":%llu}",
					n++ ? "," : "", st, mh_pba_status_name((uint8_t)st),
					(unsigned long long)s->by_status[st]);
			else
				fprintf(out, "status %-3u %-23s %llu\n", st, mh_pba_status_name((uint8_t)st),
					(unsigned long long)s->by_status[st]);
		}
		if (w.json)
			fprintf(out, "],\"count\":%u}\n", n);
		return 0;
	}
	return -ENOENT;
}

/* ---- the role ---- */

struct lma_role {
	struct lma *l;
	int state_fd;
	int tlp_fd;
	int fmsig_fd;
	int flow_fd;		/* xp_flow_v1 */
	char dir[256];
	struct lma_maps maps;
	struct xp_rl err_rl;		/* error PBAs per source (ratelimit.h) */
};

/* heartbeat.h hooks: MAGs are the authorised Proxy-CoAs; a MAG that
 * restarted without its state loses the bindings it has not re-registered
 * within the grace period */
static bool lma_hb_authorized(void *ctx, const struct in6_addr *a)
{
	const struct xp_lma_config *lc = &((struct xp_daemon *)ctx)->cfg->lma;

	for (uint8_t i = 0; i < lc->n_authorized_mags; i++)
		if (xp_prefix_contains(&lc->authorized_mags[i], a))
			return true;
	return false;
}

static void lma_hb_grace_over(void *ctx, const struct in6_addr *mag, uint64_t detected_rt_ms)
{
	struct xp_daemon *d = ctx;
	struct lma_role *r = d->role_state;
	unsigned int n = lma_drop_stale(r->l, mag, detected_rt_ms);

	ev_info("mag-restart-handled", NULL, -1, "peer=%s bindings_dropped=%u",
		a2s(mag, (char[ADDR_STR]){ 0 }), n);
}

static void hb_add_cb(struct bce *b, void *ctx)
{
	hb_peer_add(ctx, &b->pcoa);
}

static int lma_hb_start(struct xp_daemon *d, struct lma_role *r, bool without_state)
{
	const struct hb_ops ops = { .ctx = d, .authorized = lma_hb_authorized,
				    .grace_over = lma_hb_grace_over };
	struct hb_params p = { .ev = d->ev, .interval_s = d->cfg->heartbeat_interval_s,
			       .missing_limit = d->cfg->heartbeat_missing_limit,
			       .mh_fd = d->mh_fd, .local = d->cfg->lma.address };
	int rc;

	if (!p.interval_s)
		return 0;
	if ((rc = hb_restart_ctr_load(r->dir, without_state, &p.restart_ctr)) ||
	    (rc = hb_new(&p, &ops, &d->hb)))
		return rc;
	bcache_foreach(r->l->bc, hb_add_cb, d->hb);
	return 0;
}

/* A Mobility Header the LMA sends on its own (a UPN) */
static int role_send(void *ctx, const struct in6_addr *dst, const uint8_t *buf, size_t len)
{
	struct xp_daemon *d = ctx;

	return mh_sock_send(d->mh_fd, &d->cfg->lma.address, dst, buf, len);
}

static int lma_start(struct xp_daemon *d)
{
	const struct xp_lma_config *lc = &d->cfg->lma;
	struct lma_role *r = calloc(1, sizeof(*r));
	int rc, n;

	if (!r)
		return -ENOMEM;
	r->state_fd = -1;
	r->tlp_fd = -1;
	r->fmsig_fd = -1;
	r->flow_fd = -1;
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
		.fsel = d->dp ? xp_dp_map_fd(d->dp, XP_MAP_FLOWSEL) : -1,
		.flowstate = -1,
	};
	if (r->maps.fsel < 0)
		r->maps.fsel = -1;
	if (r->maps.bstat < 0)
		r->maps.bstat = -1;
	if (r->maps.pfx64 < 0)
		r->maps.pfx64 = -1;	/* an older data plane: the trie holds every prefix */
	rc = lma_state_map_open(r->dir, d->cfg->max_bindings);
	if (rc < 0) {
		ev_err("start-failed", NULL, -1, "reason=\"cannot open %s/%s: %s\"", r->dir,
		       XP_MAP_BCE, XP_LOGERR(-rc));
		return rc;
	}
	r->state_fd = rc;
	r->maps.bce = rc;
	rc = fmcache_state_map_open(r->dir);
	if (rc < 0) {
		ev_err("start-failed", NULL, -1, "reason=\"cannot open %s/%s: %s\"", r->dir,
		       XP_MAP_FLOWSTATE, XP_LOGERR(-rc));
		return rc;
	}
	r->flow_fd = rc;
	r->maps.flowstate = rc;
	if ((rc = lma_new(d->cfg, d->ev, &r->maps, NULL, &r->l)))
		return rc;
	if (lc->two_level.enabled) {
		rc = tlp_map_open(r->dir);
		if (rc < 0) {
			ev_err("start-failed", NULL, -1, "reason=\"cannot open %s/%s: %s\"", r->dir,
			       XP_MAP_TLP, XP_LOGERR(-rc));
			return rc;
		}
		r->tlp_fd = rc;
		lma_set_tlp_map(r->l, rc);
	}
	rc = lma_fmsig_map_open(r->dir);
	if (rc < 0) {
		ev_err("start-failed", NULL, -1, "reason=\"cannot open %s/%s: %s\"", r->dir,
		       XP_MAP_FMSIG, XP_LOGERR(-rc));
		return rc;
	}
	r->fmsig_fd = rc;
	lma_set_fmsig_map(r->l, rc);
	lma_set_sender(r->l, role_send, d);
	n = lma_restore(r->l);
	if (n < 0)
		return n;
	if ((rc = lma_write_cfg(r->l)))
		return rc;
	xp_rl_init(&r->err_rl);
	if ((rc = lma_hb_start(d, r, n == 0))) {
		ev_err("start-failed", NULL, -1, "reason=\"heartbeat: %s\"", XP_LOGERR(-rc));
		return rc;
	}
	for (uint8_t i = 0; i < lc->n_interfaces; i++) {
		unsigned idx = if_nametoindex(lc->interfaces[i]);

		if (!idx) {
			ev_err("start-failed", NULL, -1, "reason=\"interface %s not found\"",
			       lc->interfaces[i]);
			return -ENODEV;
		}
		if (d->dp && (rc = xp_dp_attach_xdp(d->dp, XP_PROG_LMA_RX, (int)idx)))
			return rc;
		/* equal IFPs: the copies XDP cannot make (bpf/xp_dup.h) */
		if (d->dp && (rc = xp_dp_attach_tc(d->dp, XP_PROG_LMA_DUP, (int)idx, false)))
			return rc;
	}
	ev_info("lma-started", NULL, -1, "address=%s bindings_restored=%d interfaces=%u",
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
	if (!r || !r->l || hb_on_mh(d->hb, buf, len, src))
		return;
	n = lma_handle_pbu(r->l, buf, len, src, dst, out, sizeof(out));
	if (n <= 0)
		return;
	if (out[XP_MH_HDR_LEN] >= XP_PBA_UNSPECIFIED &&
	    !xp_rl_allow(&r->err_rl, src, evloop_now_ms())) {
		xp_sigdrop_count(XP_SD_ERR_RATELIMIT);
		return;
	}
	if (out[XP_MH_HDR_LEN] == XP_PBA_ACCEPTED)
		hb_peer_add(d->hb, src);
	if (d->mh_txq)	/* sent after the batch this PBU came in (xpmipd.c) */
		rc = mh_txq_add(d->mh_txq, d->mh_fd, &d->cfg->lma.address, src, out, (size_t)n,
				&r->l->st.pba_tx);
	else if (!(rc = mh_sock_send(d->mh_fd, &d->cfg->lma.address, src, out, (size_t)n)))
		r->l->st.pba_tx++;
	if (rc)
		ev_warn("pba-send-failed", NULL, -1, "peer=%s err=%s",
			a2s(src, (char[ADDR_STR]){ 0 }), XP_LOGERR(-rc));
	if (rc)
		xp_sigdrop_count(XP_SD_SEND_FAILED);
}

static int lma_role_ctl(struct xp_daemon *d, int argc, char **argv, FILE *out)
{
	struct lma_role *r = d->role_state;

	if (!r || !r->l)
		return -ENOENT;
	return lma_ctl(r->l, argc, argv, out);
}

/* ---- operator layer: bindings for metrics / traffic, event counters ---- */

#define ETH_ALEN_MAC	6	/* an MN-LL-ID that is an Ethernet MAC */

struct lma_walk {
	xp_binding_cb cb;
	void *ctx;
};

static void lma_walk_one(struct bce *b, void *ctx)
{
	struct lma_walk *w = ctx;
	struct xp_binding_info bi = {
		.mn_id = b->mn->mn_id, .mn_idx = b->mn->idx, .bid = b->bid,
		.state = state_name(b->state), .peer = b->pcoa,
		.hnp = b->hnp, .n_hnp = b->n_hnp,
		.mac = b->llid_len == ETH_ALEN_MAC ? b->llid : NULL,
	};

	w->cb(w->ctx, &bi);
}

static void lma_role_foreach_binding(struct xp_daemon *d, xp_binding_cb cb, void *ctx)
{
	struct lma_role *r = d->role_state;
	struct lma_walk w = { .cb = cb, .ctx = ctx };

	if (r && r->l)
		bcache_foreach(r->l->bc, lma_walk_one, &w);
}

static void lma_role_metrics(struct xp_daemon *d, FILE *out)
{
	struct lma_role *r = d->role_state;

	if (r && r->l)
		lma_metrics(r->l, out);
}

static void lma_stop(struct xp_daemon *d)
{
	struct lma_role *r = d->role_state;
	char path[300];

	if (!r)
		return;
	hb_free(d->hb);
	d->hb = NULL;
	if (d->flush_on_stop)
		hb_restart_ctr_unpin(r->dir);
	lma_free(r->l);
	if (r->state_fd >= 0)
		close(r->state_fd);
	if (r->tlp_fd >= 0)
		close(r->tlp_fd);
	if (r->fmsig_fd >= 0)
		close(r->fmsig_fd);
	if (r->flow_fd >= 0)
		close(r->flow_fd);
	if (d->flush_on_stop) {
		static const char *const pinned[] = { XP_MAP_BCE, XP_MAP_TLP, XP_MAP_FMSIG,
						      XP_MAP_FLOWSTATE };

		for (size_t i = 0; i < sizeof(pinned) / sizeof(pinned[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", r->dir, pinned[i]);
			if (unlink(path) && errno != ENOENT)
				ev_warn("state-unpin-failed", NULL, -1, "map=%s err=%s", path,
					XP_LOGERR(errno));
		}
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
	.foreach_binding = lma_role_foreach_binding,
	.metrics = lma_role_metrics,
	.stop = lma_stop,
};
