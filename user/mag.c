// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mag.c - xpmipd --role mag: wires the Binding Update List state machine
 * (mag_bul.c) to the event loop, the sockets, netlink and the pinned maps.
 *
 *  - access interfaces: every configured name, present at start or
 *    appearing later (RTM_NEWLINK, e.g. a veth end moved into this
 *    namespace). Each gets the shared RA MAC and link-local (RFC 5213 6.8 /
 *    6.9.3: every MAG looks like the same router), is brought up, joins
 *    ff02::2 and gets XP_PROG_MAG_ACCESS. Down, no carrier or gone: every
 *    MN on it is de-registered.
 *  - the core interface gets XP_PROG_MAG_CORE (again when it re-appears).
 *  - RS on the ICMPv6 socket -> mag_mn_detected(); PBA from the MH socket ->
 *    mag_on_pba(); per-entry timers on the event loop.
 *  - user plane: xp_cfg_v1 (Proxy-CoA, enabled), xp_peer_v1 (the LMA),
 *    xp_bind_v1 then the prefix maps (pfxmap.h) on registration; prefixes then binding on
 *    removal.
 *  - restart: the BUL lives in the pinned xp_bul_v1 (xpmip_mag_state.h)
 *    and is rebuilt from it at start.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/epoll.h>
#include <bpf/bpf.h>

#include "daemon.h"
#include "bstat.h"
#include "dataplane.h"
#include "evloop.h"
#include "heartbeat.h"
#include "log.h"
#include "mag.h"
#include "mag_mh.h"
#include "mag_tl.h"
#include "mh_codec.h"
#include "mh_sock.h"
#include "ndisc.h"
#include "netlink.h"
#include "pfxmap.h"
#include "statemap.h"
#include "xpmip_mag_state.h"
#include "xpmip_maps.h"

#define MAG_HOP_LIMIT		64	/* outer hop limit of encapsulated packets */
#define MAG_LL_PLEN		64	/* fe80::/64 */
#define MAG_RX_BUF		2048
#define MAG_MS_PER_S		1000u
#define MAG_NS_PER_MS		1000000u

struct mag_role;

struct mag_if {
	struct mag_role *r;
	char name[IF_NAMESIZE];
	int ifindex;			/* 0: not in this namespace */
	bool usable;			/* up and with carrier */
	bool appeared;			/* showed up while we were running */
	uint8_t mac[ND_ETH_ALEN];	/* its MAC after our change */
	struct ev_timer ra_timer;
	uint32_t ra_sent;
	int ll_fd;			/* detect_link_up watch, -1 when off */
};

struct mag_role {
	struct xp_daemon *d;
	const struct xp_mag_config *mc;
	struct mag m;
	struct mag_if ifs[XP_CFG_MAX_IFS];
	unsigned int n_ifs;
	int core_ifindex;
	int nd_fd, bul_fd, upn_fd, tlp_fd, mh_fd;
	int fd_cfg, fd_pfx, fd_pfx64, fd_bind, fd_peer, fd_bstat;
	struct nl_watch *nw;
	char dir[256];
	bool running;
	uint32_t rnd;
};

struct mag_timer {
	struct ev_timer t;
	struct mag_role *r;
	struct mag_entry *e;
};

static void a6(union xp_addr6 *o, const struct in6_addr *a)
{
	memcpy(o->a8, a->s6_addr, sizeof(o->a8));
}

static struct mag_if *if_by_index(struct mag_role *r, int ifindex)
{
	for (unsigned int i = 0; i < r->n_ifs; i++)
		if (r->ifs[i].ifindex && r->ifs[i].ifindex == ifindex)
			return &r->ifs[i];
	return NULL;
}

static struct mag_if *if_by_name(struct mag_role *r, const char *name)
{
	for (unsigned int i = 0; i < r->n_ifs; i++)
		if (!strcmp(r->ifs[i].name, name))
			return &r->ifs[i];
	return NULL;
}

/* ---- hooks: clocks and sending ---- */

static uint64_t h_now(void *ctx)
{
	(void)ctx;
	return evloop_now_ms();
}

static uint64_t h_realtime(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	if (clock_gettime(CLOCK_REALTIME, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * MAG_MS_PER_S + (uint64_t)ts.tv_nsec / MAG_NS_PER_MS;
}

static uint64_t h_timestamp(void *ctx)
{
	(void)ctx;
	return mh_timestamp_now();
}

static int h_send_mh(void *ctx, const uint8_t *buf, size_t len)
{
	struct mag_role *r = ctx;

	return mh_sock_send(r->d->mh_fd, &r->mc->proxy_coa, &r->mc->lma_address, buf, len);
}

static int send_ra_to(struct mag_role *r, const struct mag_entry *e, int ifindex,
		      const struct in6_addr *dst, const char *kind)
{
	struct nd_ra_params p;
	uint8_t buf[ND_RA_MAX_LEN];
	char db[INET6_ADDRSTRLEN];
	int n, err;

	mag_ra_params(&r->m, e, &p);
	n = nd_build_ra(&p, buf, sizeof(buf));
	if (n < 0) {
		ev_err("ra-build-failed", NULL, -1, "err=%s", XP_LOGERR(-n));
		return n;
	}
	err = nd_sock_send(r->nd_fd, ifindex, &r->mc->ra_link_local, dst, buf, (size_t)n);
	inet_ntop(AF_INET6, dst, db, sizeof(db));
	if (e)
		xp_log_event(err ? XP_LOG_WARN : XP_LOG_DEBUG, "ra-sent", e->mn_id,
			     (int)e->bid, "if=%s kind=%s dst=%s prefixes=%u%s%s",
			     e->ifname, kind, db, (unsigned int)p.n_prefix, err ? " err=" : "",
			     err ? XP_LOGERR(-err) : "");
	return err;
}

static unsigned int bound_on(struct mag_role *r, int ifindex)
{
	unsigned int n = 0;

	for (struct mag_entry *e = r->m.head; e; e = e->next)
		if (e->ifindex == ifindex &&
		    (e->state == MAG_S_BOUND || e->state == MAG_S_REFRESHING))
			n++;
	return n;
}

/* Where an RA for e goes: all-nodes when e is alone on its link (the
 * point-to-point access link of RFC 5213 6.2), else the MN's link-local so
 * that no MN configures another MN's prefix */
static const struct in6_addr *ra_dst(struct mag_role *r, const struct mag_entry *e)
{
	if (bound_on(r, e->ifindex) <= 1 || IN6_IS_ADDR_UNSPECIFIED(&e->mn_ll))
		return &nd_all_nodes;
	return &e->mn_ll;
}

static void ra_timer_arm(struct mag_if *mi)
{
	struct mag_role *r = mi->r;
	uint32_t ms;

	r->rnd = r->rnd * 1103515245u + 12345u;
	ms = nd_ra_interval_ms(r->mc->ra_min_interval_ms, r->mc->ra_max_interval_ms,
			       mi->ra_sent, r->rnd ^ (uint32_t)rand());
	evloop_timer_arm(r->d->ev, &mi->ra_timer, ms);
}

static int h_send_ra(void *ctx, struct mag *m, struct mag_entry *e, bool solicited)
{
	struct mag_role *r = ctx;
	struct mag_if *mi = if_by_index(r, e->ifindex);
	const struct in6_addr *dst;

	(void)m;
	if (solicited && !IN6_IS_ADDR_UNSPECIFIED(&e->mn_ll) && IN6_IS_ADDR_LINKLOCAL(&e->mn_ll))
		dst = &e->mn_ll;	/* RFC 4861 6.2.6: unicast to the soliciting host */
	else
		dst = ra_dst(r, e);
	/* unsolicited RAs on this link from now on; the first ones faster */
	if (mi && !ev_timer_armed(&mi->ra_timer)) {
		mi->ra_sent = 0;
		ra_timer_arm(mi);
	}
	return send_ra_to(r, e, e->ifindex, dst, solicited ? "solicited" : "unsolicited");
}

static void on_ra_timer(void *ctx)
{
	struct mag_if *mi = ctx;
	struct mag_role *r = mi->r;

	if (!mi->ifindex || !bound_on(r, mi->ifindex))
		return;		/* nobody registered here: stop advertising */
	for (struct mag_entry *e = r->m.head; e; e = e->next)
		if (e->ifindex == mi->ifindex &&
		    (e->state == MAG_S_BOUND || e->state == MAG_S_REFRESHING))
			send_ra_to(r, e, mi->ifindex, ra_dst(r, e), "unsolicited");
	mi->ra_sent++;
	ra_timer_arm(mi);
}

/* ---- hooks: timers ---- */

static void on_entry_timer(void *ctx)
{
	struct mag_timer *t = ctx;

	mag_timer_fired(&t->r->m, t->e);
}

static void h_timer_set(void *ctx, struct mag_entry *e, uint64_t deadline)
{
	struct mag_role *r = ctx;
	struct mag_timer *t = e->glue;

	if (!deadline) {
		if (t)
			evloop_timer_cancel(r->d->ev, &t->t);
		return;
	}
	if (!t) {
		t = calloc(1, sizeof(*t));
		if (!t) {
			ev_err("timer-alloc-failed", e->mn_id, (int)e->bid, NULL);
			return;
		}
		t->r = r;
		t->e = e;
		ev_timer_init(&t->t, on_entry_timer, t);
		e->glue = t;
	}
	if (evloop_timer_arm_at(r->d->ev, &t->t, deadline))
		ev_err("timer-arm-failed", e->mn_id, (int)e->bid, NULL);
}

static void h_entry_free(void *ctx, struct mag_entry *e)
{
	struct mag_role *r = ctx;
	struct mag_timer *t = e->glue;

	if (t) {
		evloop_timer_cancel(r->d->ev, &t->t);
		free(t);
		e->glue = NULL;
	}
}

/* ---- hooks: user plane ---- */

/* xp_peer_v1[LMA].refcnt = bindings installed (excluding one being removed) */
static int peer_sync(struct mag_role *r, const struct mag_entry *excl, unsigned int plus)
{
	union xp_addr6 k;
	struct xp_peer_val v = { 0 };
	unsigned int n = plus;

	for (struct mag_entry *e = r->m.head; e; e = e->next)
		if (e != excl && e->dp_installed)
			n++;
	memset(&k, 0, sizeof(k));
	a6(&k, &r->mc->lma_address);
	if (!n) {
		xp_map_del(r->fd_peer, &k, XP_MAP_PEER);
		return 0;
	}
	v.refcnt = n;
	return xp_map_put(r->fd_peer, &k, &v, XP_MAP_PEER);
}

static int pfx_put(struct mag_role *r, const struct nd_prefix *p, const struct xp_prefix_val *pv)
{
	int err;

	if (r->fd_pfx < 0)
		return 0;
	err = xp_pfx_map_put(r->fd_pfx, r->fd_pfx64, &p->prefix, p->plen, pv);
	if (err)
		ev_err("map-write-failed", NULL, -1, "map=%s err=%s", XP_MAP_PREFIX,
		       XP_LOGERR(-err));
	return err;
}

static int h_dp_install(void *ctx, const struct mag_entry *e)
{
	struct mag_role *r = ctx;
	struct mag_if *mi = if_by_index(r, e->ifindex);
	struct xp_bind_key bk = { .mn_id = e->mn_idx, .bid = e->bid };
	struct xp_bind_val bv;
	int err;

	memset(&bv, 0, sizeof(bv));
	a6(&bv.peer, &r->mc->lma_address);
	a6(&bv.local, &r->mc->proxy_coa);
	bv.ifindex = (__u32)e->ifindex;
	memcpy(bv.mn_mac, e->mac, ND_ETH_ALEN);
	memcpy(bv.if_mac, mi ? mi->mac : r->mc->ra_mac, ND_ETH_ALEN);
	bv.mtu = r->mc->mtu;
	bv.ifp = e->ifp;
	bv.flags = XP_BF_ACTIVE | (e->primary ? XP_BF_PRIMARY : 0);
	bv.att = e->att;
	if ((err = peer_sync(r, e, 1)))
		return err;
	if ((err = xp_bstat_create(r->fd_bstat, &bk)))
		ev_warn("map-write-failed", NULL, -1, "map=%s err=%s", XP_MAP_BSTATS,
			XP_LOGERR(-err));
	/* the binding before its prefixes: a prefix never points nowhere */
	if ((err = xp_map_put(r->fd_bind, &bk, &bv, XP_MAP_BIND)))
		return err;
	for (unsigned int i = 0; i < e->n_hnp; i++) {
		struct xp_prefix_val pv = { .mn_id = e->mn_idx, .bid = e->bid,
					    .kind = XP_PFX_PERMANENT };

		/* off-link prefixes are delivered too, only not advertised */
		if (e->hnp[i].flags & ND_PFX_F_OFFLINK)
			pv.flags |= XP_PFXF_OFFLINK;
		if ((err = pfx_put(r, &e->hnp[i], &pv)))
			return err;
	}
	/* 001 level-2 prefixes: ours (Idle ones too: the MN keeps the
	 * address for a reverse handover) and adopted ones */
	{
		struct nd_prefix tp[XP_CFG_MAX_HNP * 2];
		uint8_t fl[XP_CFG_MAX_HNP * 2];
		unsigned int n = mag_tl_prefixes(&r->m, e, false, tp, XP_CFG_MAX_HNP * 2, fl);

		for (unsigned int i = 0; i < n; i++) {
			struct xp_prefix_val pv = { .mn_id = e->mn_idx, .bid = e->bid,
						    .kind = XP_PFX_TEMPORAL, .flags = fl[i] };

			if ((err = pfx_put(r, &tp[i], &pv)))
				return err;
		}
	}
	return 0;
}

static int h_dp_remove_prefixes(void *ctx, const struct mag_entry *e,
				const struct nd_prefix *pfx, unsigned int n)
{
	struct mag_role *r = ctx;

	(void)e;
	for (unsigned int i = 0; i < n && r->fd_pfx >= 0; i++) {
		int err = xp_pfx_map_del(r->fd_pfx, r->fd_pfx64, &pfx[i].prefix, pfx[i].plen);

		if (err)
			ev_warn("map-delete-failed", NULL, -1, "map=%s err=%s", XP_MAP_PREFIX,
				XP_LOGERR(-err));
	}
	return 0;
}

static int h_dp_remove(void *ctx, const struct mag_entry *e)
{
	struct mag_role *r = ctx;
	struct xp_bind_key bk = { .mn_id = e->mn_idx, .bid = e->bid };

	/* prefixes first, then the binding they point to */
	h_dp_remove_prefixes(ctx, e, e->hnp, e->n_hnp);
	{
		struct nd_prefix tp[XP_CFG_MAX_HNP * 2];
		unsigned int n = mag_tl_prefixes(&r->m, e, false, tp, XP_CFG_MAX_HNP * 2, NULL);

		h_dp_remove_prefixes(ctx, e, tp, n);
	}
	xp_map_del(r->fd_bind, &bk, XP_MAP_BIND);
	if (xp_bstat_delete(r->fd_bstat, &bk))
		ev_warn("map-delete-failed", NULL, -1, "map=%s err=%s", XP_MAP_BSTATS,
			XP_LOGERR(errno));
	return peer_sync(r, e, 0);
}

/* ---- hooks: persistence (xp_bul_v1) ---- */

static void bul_from_entry(const struct mag_entry *e, struct xp_bul_key *k, struct xp_bul_val *v)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->mac, e->mac, ND_ETH_ALEN);
	memset(v, 0, sizeof(*v));
	snprintf(v->mn_id, sizeof(v->mn_id), "%s", e->mn_id);
	snprintf(v->ifname, sizeof(v->ifname), "%s", e->ifname);
	memcpy(v->mn_ll, &e->mn_ll, sizeof(v->mn_ll));
	v->expire_rt_ms = e->expire_rt_ms;
	v->refresh_rt_ms = e->refresh_rt_ms;
	v->ifindex = (__u32)e->ifindex;
	v->mn_idx = e->mn_idx;
	v->lifetime_s = e->lifetime_s;
	v->bid = e->bid;
	v->seq = e->seq;
	v->state = (__u8)e->state;
	v->hi = e->hi;
	v->att = e->att;
	v->ifp = e->ifp;
	v->primary = e->primary;
	v->n_hnp = e->n_hnp > XP_BUL_MAX_HNP ? XP_BUL_MAX_HNP : e->n_hnp;
	for (unsigned int i = 0; i < v->n_hnp; i++) {
		memcpy(v->hnp[i].prefix, &e->hnp[i].prefix, sizeof(v->hnp[i].prefix));
		v->hnp[i].plen = e->hnp[i].plen;
		v->hnp[i].flags = e->hnp[i].flags;
	}
}

static int entry_from_bul(const struct xp_bul_key *k, const struct xp_bul_val *v,
			  struct mag_entry *e)
{
	memset(e, 0, sizeof(*e));
	if (v->state < MAG_S_REGISTERING || v->state > MAG_S_FAILED ||
	    v->n_hnp > XP_BUL_MAX_HNP || v->n_hnp > XP_CFG_MAX_HNP || !v->mn_idx || !v->bid)
		return -EINVAL;
	memcpy(e->mac, k->mac, ND_ETH_ALEN);
	/* copied bounded and terminated: the map is not trusted */
	memcpy(e->mn_id, v->mn_id, sizeof(e->mn_id) - 1);
	e->mn_id[sizeof(e->mn_id) - 1] = 0;
	memcpy(e->ifname, v->ifname, sizeof(e->ifname) - 1);
	e->ifname[sizeof(e->ifname) - 1] = 0;
	memcpy(&e->mn_ll, v->mn_ll, sizeof(e->mn_ll));
	e->expire_rt_ms = v->expire_rt_ms;
	e->refresh_rt_ms = v->refresh_rt_ms;
	e->ifindex = (int)v->ifindex;
	e->mn_idx = v->mn_idx;
	e->lifetime_s = v->lifetime_s;
	e->bid = v->bid;
	e->seq = v->seq;
	e->state = (enum mag_state)v->state;
	e->hi = v->hi;
	e->att = v->att;
	e->ifp = v->ifp;
	e->primary = v->primary;
	e->n_hnp = v->n_hnp;
	for (unsigned int i = 0; i < v->n_hnp; i++) {
		if (v->hnp[i].plen > XP_IPV6_PREFIX_MAX)
			return -EINVAL;
		memcpy(&e->hnp[i].prefix, v->hnp[i].prefix, sizeof(e->hnp[i].prefix));
		e->hnp[i].plen = v->hnp[i].plen;
		e->hnp[i].flags = v->hnp[i].flags;
	}
	/* what was in the maps before the restart is still there */
	e->dp_installed = e->state == MAG_S_BOUND || e->state == MAG_S_REFRESHING;
	return 0;
}

/* 004 filters next to the BUL entry (xp_magmh_v1); gone: delete */
static int mh_store(struct mag_role *r, const struct mag_entry *e, bool gone)
{
	static struct xp_mag_mh_val v;
	struct xp_bul_key k;

	if (r->mh_fd < 0)
		return 0;
	memset(&k, 0, sizeof(k));
	memcpy(k.mac, e->mac, ND_ETH_ALEN);
	if (gone || !e->mh) {
		if (bpf_map_delete_elem(r->mh_fd, &k) && errno != ENOENT)
			return -errno;
		return 0;
	}
	mag_mh_to_state(e, &v);
	return bpf_map_update_elem(r->mh_fd, &k, &v, BPF_ANY) ? -errno : 0;
}

static int h_store(void *ctx, const struct mag_entry *e)
{
	struct mag_role *r = ctx;
	struct xp_bul_key k;
	struct xp_bul_val v;
	int err;

	if ((err = mh_store(r, e, false)))
		return err;
	if (r->bul_fd < 0)
		return 0;
	bul_from_entry(e, &k, &v);
	return bpf_map_update_elem(r->bul_fd, &k, &v, BPF_ANY) ? -errno : 0;
}

static int h_store_upn(void *ctx, const struct mag_entry *e, const uint8_t *upn, size_t len)
{
	struct mag_role *r = ctx;
	struct xp_bul_key k;
	static struct xp_mag_upn_val v;

	if (r->upn_fd < 0)
		return 0;
	memset(&k, 0, sizeof(k));
	memcpy(k.mac, e->mac, ND_ETH_ALEN);
	if (!len || len > sizeof(v.msg)) {
		if (bpf_map_delete_elem(r->upn_fd, &k) && errno != ENOENT)
			return -errno;
		return len ? -EMSGSIZE : 0;
	}
	memset(&v, 0, sizeof(v));
	v.len = (__u16)len;
	memcpy(v.msg, upn, len);
	return bpf_map_update_elem(r->upn_fd, &k, &v, BPF_ANY) ? -errno : 0;
}

static int h_unstore(void *ctx, const struct mag_entry *e)
{
	struct mag_role *r = ctx;
	struct xp_bul_key k;

	h_store_upn(ctx, e, NULL, 0);
	mh_store(r, e, true);
	if (r->bul_fd < 0)
		return 0;
	memset(&k, 0, sizeof(k));
	memcpy(k.mac, e->mac, ND_ETH_ALEN);
	if (bpf_map_delete_elem(r->bul_fd, &k) && errno != ENOENT)
		return -errno;
	return 0;
}

static int h_tl_store(void *ctx, const struct tlp_entry *t)
{
	return tlp_store(((struct mag_role *)ctx)->tlp_fd, t);
}

static int h_tl_unstore(void *ctx, const struct xp_prefix *p)
{
	return tlp_unstore(((struct mag_role *)ctx)->tlp_fd, p);
}

static const struct xp_mag_mn_profile *h_profile(void *ctx, const uint8_t mac[6],
						  struct xp_mag_mn_profile *scratch)
{
	struct mag_role *r = ctx;

	return xp_config_mag_profile(r->mc, mac, scratch);
}

static int bul_map_open(const char *dir, uint32_t max_bindings)
{
	struct xp_state_map_spec spec = {
		.name = XP_MAP_BUL, .key_size = sizeof(struct xp_bul_key),
		.value_size = sizeof(struct xp_bul_val),
		.max_entries = max_bindings ? max_bindings : XP_BUL_MAX_ENTRIES,
		.lost = "BUL",
	};

	return xp_state_map_open(dir, &spec);
}

static int mh_map_open(const char *dir, uint32_t max_bindings)
{
	struct xp_state_map_spec spec = {
		.name = XP_MAP_MAG_MH, .key_size = sizeof(struct xp_bul_key),
		.value_size = sizeof(struct xp_mag_mh_val),
		.max_entries = max_bindings ? max_bindings : XP_BUL_MAX_ENTRIES,
		.lost = "multihoming filters",
	};

	return xp_state_map_open(dir, &spec);
}

static int upn_map_open(const char *dir, uint32_t max_bindings)
{
	struct xp_state_map_spec spec = {
		.name = XP_MAP_MAG_UPN, .key_size = sizeof(struct xp_bul_key),
		.value_size = sizeof(struct xp_mag_upn_val),
		.max_entries = max_bindings ? max_bindings : XP_BUL_MAX_ENTRIES,
		.lost = "flow mobility state",
	};

	return xp_state_map_open(dir, &spec);
}

/* The Flow Identification options of each restored entry's last UPN */
static void upn_restore(struct mag_role *r)
{
	static struct xp_mag_upn_val v;
	struct xp_bul_key k;

	if (r->upn_fd < 0)
		return;
	for (struct mag_entry *e = r->m.head; e; e = e->next) {
		memset(&k, 0, sizeof(k));
		memcpy(k.mac, e->mac, ND_ETH_ALEN);
		if (bpf_map_lookup_elem(r->upn_fd, &k, &v))
			continue;
		if (v.len > sizeof(v.msg) || mag_restore_upn(&r->m, e, v.msg, v.len))
			ev_warn("upn-state-invalid", e->mn_id, (int)e->bid,
				"reason=flows-dropped");
		else
			ev_info("upn-restored", e->mn_id, (int)e->bid, "flows=%u",
				(unsigned int)e->n_flow);
	}
}

static int bul_restore(struct mag_role *r)
{
	struct xp_bul_key k, next;
	struct xp_bul_val v;
	struct mag_entry e;
	void *prev = NULL;
	int n = 0;

	if (r->bul_fd < 0)
		return 0;
	while (!bpf_map_get_next_key(r->bul_fd, prev, &next)) {
		k = next;
		prev = &k;
		if (bpf_map_lookup_elem(r->bul_fd, &k, &v))
			continue;
		if (entry_from_bul(&k, &v, &e)) {
			ev_warn("bul-entry-invalid", NULL, -1,
				"mac=%02x:%02x:%02x:%02x:%02x:%02x reason=dropped", k.mac[0], k.mac[1],
				k.mac[2], k.mac[3], k.mac[4], k.mac[5]);
			continue;
		}
		if (r->mh_fd >= 0) {
			static struct xp_mag_mh_val mv;

			if (!bpf_map_lookup_elem(r->mh_fd, &k, &mv) && mag_mh_from_state(&e, &mv))
				ev_warn("mh-state-invalid", e.mn_id, (int)e.bid,
					"reason=filters-dropped");
		}
		/* the access link may have another index now */
		{
			struct mag_if *mi = if_by_name(r, e.ifname);

			if (mi && mi->ifindex)
				e.ifindex = mi->ifindex;
		}
		if (!mag_restore(&r->m, &e))
			n++;
	}
	return n;
}

/* ---- interfaces ---- */

static void llwatch_stop(struct mag_role *r, struct mag_if *mi)
{
	if (mi->ll_fd < 0)
		return;
	evloop_del_fd(r->d->ev, mi->ll_fd);
	close(mi->ll_fd);
	mi->ll_fd = -1;
}

/* detect_link_up: the first frame from the MN names its MAC (ndisc.h) */
static void on_ll_ready(void *ctx, int fd, uint32_t events)
{
	struct mag_if *mi = ctx;
	struct mag_role *r = mi->r;
	uint8_t mac[ND_ETH_ALEN];
	int rc;

	(void)fd;
	(void)events;
	for (;;) {
		rc = nd_llwatch_recv(mi->ll_fd, mi->mac, mac);
		if (rc == -ENOENT)
			continue;
		if (rc)
			return;	/* -EAGAIN: wait for the next frame */
		break;
	}
	llwatch_stop(r, mi);
	rc = mag_mn_detected(&r->m, mi->ifindex, mi->name, mac, NULL, mi->appeared);
	if (rc && rc != -ENOENT)
		ev_warn("mn-detect-failed", NULL, -1, "if=%s by=link-up err=%s", mi->name,
			XP_LOGERR(-rc));
}

static void llwatch_start(struct mag_role *r, struct mag_if *mi)
{
	int fd, err;

	if (!r->mc->detect_link_up || mi->ll_fd >= 0 || !mi->ifindex)
		return;
	fd = nd_llwatch_open(mi->ifindex);
	if (fd < 0) {
		ev_warn("link-up-watch-failed", NULL, -1, "if=%s err=%s", mi->name, XP_LOGERR(-fd));
		return;
	}
	if ((err = evloop_add_fd(r->d->ev, fd, EPOLLIN, on_ll_ready, mi))) {
		ev_warn("link-up-watch-failed", NULL, -1, "if=%s err=%s", mi->name,
			XP_LOGERR(-err));
		close(fd);
		return;
	}
	mi->ll_fd = fd;
	ev_debug("link-up-watch", NULL, -1, "if=%s", mi->name);
}

static void access_setup(struct mag_role *r, struct mag_if *mi, const struct nl_link *l)
{
	int err;

	mi->ifindex = l->ifindex;
	memcpy(mi->mac, l->has_mac ? l->mac : r->mc->ra_mac, ND_ETH_ALEN);
	/* listening before the link comes up: the MN's first frames (MLD
	 * reports on its carrier-up) must not be missed */
	llwatch_start(r, mi);
	/* RFC 5213 6.8 / 6.9.3: the same link-layer and link-local address on
	 * every access link of every MAG */
	if ((err = nl_link_set_mac(l->ifindex, r->mc->ra_mac)))
		ev_warn("access-mac-failed", NULL, -1, "if=%s err=%s", mi->name, XP_LOGERR(-err));
	else
		memcpy(mi->mac, r->mc->ra_mac, ND_ETH_ALEN);
	if ((err = nl_link_set_up(l->ifindex)))
		ev_warn("access-up-failed", NULL, -1, "if=%s err=%s", mi->name, XP_LOGERR(-err));
	if ((err = nl_addr_add6(l->ifindex, &r->mc->ra_link_local, MAG_LL_PLEN, true)))
		ev_warn("access-ll-failed", NULL, -1, "if=%s err=%s", mi->name, XP_LOGERR(-err));
	if ((err = nd_sock_join_routers(r->nd_fd, l->ifindex)))
		ev_warn("access-join-failed", NULL, -1, "if=%s err=%s", mi->name, XP_LOGERR(-err));
	if (r->d->dp && (err = xp_dp_attach_xdp(r->d->dp, XP_PROG_MAG_ACCESS, l->ifindex)))
		ev_warn("access-attach-failed", NULL, -1, "if=%s err=%s", mi->name,
			XP_LOGERR(-err));
	ev_info("access-link", NULL, -1, "if=%s ifindex=%d appeared=%s", mi->name, l->ifindex,
		mi->appeared ? "yes" : "no");
}

static void access_gone(struct mag_role *r, struct mag_if *mi, bool down)
{
	ev_info(down ? "access-link-down" : "access-link-gone", NULL, -1, "if=%s ifindex=%d",
		mi->name, mi->ifindex);
	llwatch_stop(r, mi);
	mag_link_down(&r->m, mi->ifindex);
	evloop_timer_cancel(r->d->ev, &mi->ra_timer);
}

static void on_link(void *ctx, bool deleted, const struct nl_link *l)
{
	struct mag_role *r = ctx;
	struct mag_if *mi = if_by_name(r, l->name);
	bool usable = l->up && l->carrier;

	if (!strcmp(l->name, r->mc->core_interface)) {
		if (!deleted && l->ifindex != r->core_ifindex) {
			int err = r->d->dp ? xp_dp_attach_xdp(r->d->dp, XP_PROG_MAG_CORE, l->ifindex) : 0;

			r->core_ifindex = l->ifindex;
			ev_info("core-link", NULL, -1, "if=%s ifindex=%d%s%s", l->name, l->ifindex,
				err ? " err=" : "", err ? XP_LOGERR(-err) : "");
		} else if (deleted && l->ifindex == r->core_ifindex) {
			ev_warn("core-link-gone", NULL, -1, "if=%s", l->name);
			r->core_ifindex = 0;
		}
		return;
	}
	if (!mi) {
		/* a configured name renamed away: find it by index */
		mi = if_by_index(r, l->ifindex);
		if (!mi)
			return;
		deleted = true;
	}
	if (deleted) {
		if (mi->ifindex == l->ifindex) {
			access_gone(r, mi, false);
			mi->ifindex = 0;
			mi->usable = false;
		}
		return;
	}
	if (mi->ifindex != l->ifindex) {
		if (mi->ifindex)
			access_gone(r, mi, "replaced");
		mi->appeared = r->running;
		access_setup(r, mi, l);
		/* our own changes come back as events; if there are none
		 * (nothing to change) this is the link's state */
		mi->usable = usable;
		if (usable)
			llwatch_start(r, mi);
		return;
	}
	if (mi->usable && !usable) {
		access_gone(r, mi, true);
	} else if (!mi->usable && usable) {
		ev_info("access-link-up", NULL, -1, "if=%s ifindex=%d", mi->name, mi->ifindex);
		/* a link that came back (e.g. moved in and brought up) lost
		 * its IPv6 addresses while down */
		nl_addr_add6(l->ifindex, &r->mc->ra_link_local, MAG_LL_PLEN, true);
		llwatch_start(r, mi);
	}
	mi->usable = usable;
}

static void on_nl_ready(void *ctx, int fd, uint32_t events)
{
	struct mag_role *r = ctx;
	int err;

	(void)fd;
	(void)events;
	if ((err = nl_watch_dispatch(r->nw)))
		ev_warn("netlink-error", NULL, -1, "err=%s", XP_LOGERR(-err));
}

/* ---- Router Solicitations ---- */

static void on_nd_ready(void *ctx, int fd, uint32_t events)
{
	struct mag_role *r = ctx;
	uint8_t buf[MAG_RX_BUF];

	(void)events;
	for (;;) {
		struct in6_addr src;
		struct nd_rs rs;
		struct mag_if *mi;
		int ifindex, hl, n, err;
		char sb[INET6_ADDRSTRLEN];

		n = nd_sock_recv(fd, buf, sizeof(buf), &src, &ifindex, &hl);
		if (n == -EAGAIN || n == -EWOULDBLOCK)
			return;
		if (n < 0) {
			if (n == -EINTR || n == -EMSGSIZE)
				continue;
			ev_warn("nd-recv-failed", NULL, -1, "err=%s", XP_LOGERR(-n));
			return;
		}
		mi = if_by_index(r, ifindex);
		if (!mi)
			continue;	/* not an access link */
		inet_ntop(AF_INET6, &src, sb, sizeof(sb));
		if (nd_parse_rs(buf, (size_t)n, hl, &src, &rs)) {
			ev_debug("rs-invalid", NULL, -1, "if=%s src=%s hop_limit=%d len=%d",
				 mi->name, sb, hl, n);
			continue;
		}
		if (!rs.has_sllao) {
			/* see ndisc.h: ask the neighbour cache, never guess */
			if (IN6_IS_ADDR_UNSPECIFIED(&src) ||
			    nl_neigh_lookup6(ifindex, &src, rs.mac)) {
				ev_info("rs-ignored", NULL, -1,
					"if=%s src=%s reason=no-link-layer-address", mi->name, sb);
				continue;
			}
		}
		ev_debug("rs-received", NULL, -1, "if=%s src=%s", mi->name, sb);
		err = mag_mn_detected(&r->m, ifindex, mi->name, rs.mac, &src, mi->appeared);
		if (err && err != -ENOENT)
			ev_warn("mn-detect-failed", NULL, -1, "if=%s err=%s", mi->name,
				XP_LOGERR(-err));
	}
}

/* ---- heartbeat hooks (heartbeat.h): the one peer is our LMA; when it
 * restarted without our bindings, every MN is registered again ---- */

static bool mag_hb_authorized(void *ctx, const struct in6_addr *a)
{
	struct mag_role *r = ctx;

	return !memcmp(a, &r->mc->lma_address, sizeof(*a));
}

static void mag_hb_restarted(void *ctx, const struct in6_addr *lma)
{
	struct mag_role *r = ctx;

	(void)lma;
	mag_reregister_all(&r->m, "lma-restarted");
}

static int mag_hb_start(struct mag_role *r, bool without_state)
{
	struct xp_daemon *d = r->d;
	const struct hb_ops ops = { .ctx = r, .authorized = mag_hb_authorized,
				    .restarted = mag_hb_restarted };
	struct hb_params p = { .ev = d->ev, .interval_s = d->cfg->heartbeat_interval_s,
			       .missing_limit = d->cfg->heartbeat_missing_limit,
			       .mh_fd = d->mh_fd, .local = r->mc->proxy_coa };
	int rc;

	if (!p.interval_s)
		return 0;
	if ((rc = hb_restart_ctr_load(r->dir, without_state, &p.restart_ctr)) ||
	    (rc = hb_new(&p, &ops, &d->hb)))
		return rc;
	return hb_peer_add(d->hb, &r->mc->lma_address);
}

/* ---- role ops ---- */

static int write_cfg(struct mag_role *r)
{
	struct xp_cfg c;

	if (!r->d->dp)
		return 0;
	memset(&c, 0, sizeof(c));
	a6(&c.local_addr, &r->mc->proxy_coa);
	c.role = XP_ROLE_MAG;
	c.flags = XP_CFG_F_ENABLED;
	c.tunnel_mtu = (__u16)(r->mc->mtu + XP_IPV6_HDR_LEN);
	c.hop_limit = MAG_HOP_LIMIT;
	c.primary_hoa_opt = XP_DSTOPT_PRIMARY_HOA_DEFAULT;
	return xp_dp_set_cfg(r->d->dp, &c);
}

static void link_dump_cb(void *ctx, bool deleted, const struct nl_link *l)
{
	on_link(ctx, deleted, l);
}

static int mag_start(struct xp_daemon *d)
{
	struct mag_role *r = calloc(1, sizeof(*r));
	struct mag_hooks h = {
		.now_ms = h_now, .realtime_ms = h_realtime, .timestamp = h_timestamp,
		.send_mh = h_send_mh, .send_ra = h_send_ra, .timer_set = h_timer_set,
		.dp_install = h_dp_install, .dp_remove_prefixes = h_dp_remove_prefixes,
		.dp_remove = h_dp_remove, .store = h_store, .unstore = h_unstore,
		.profile = h_profile, .entry_free = h_entry_free, .store_upn = h_store_upn,
		.tl_store = h_tl_store, .tl_unstore = h_tl_unstore,
	};
	int rc, n;

	if (!r)
		return -ENOMEM;
	d->role_state = r;
	r->d = d;
	r->mc = &d->cfg->mag;
	r->nd_fd = r->bul_fd = r->upn_fd = r->tlp_fd = r->mh_fd = -1;
	r->rnd = (uint32_t)time(NULL) ^ (uint32_t)getpid();
	srand(r->rnd);
	h.ctx = r;
	mag_init(&r->m, r->mc, &h);
	snprintf(r->dir, sizeof(r->dir), "%s/%s", d->cfg->pin_root, d->cfg->instance);
	r->fd_cfg = d->dp ? xp_dp_map_fd(d->dp, XP_MAP_CFG) : -1;
	r->fd_pfx = d->dp ? xp_dp_map_fd(d->dp, XP_MAP_PREFIX) : -1;
	r->fd_pfx64 = d->dp ? xp_dp_map_fd(d->dp, XP_MAP_PREFIX64) : -1;
	if (r->fd_pfx64 < 0)
		r->fd_pfx64 = -1;	/* an older data plane: the trie holds every prefix */
	r->fd_bind = d->dp ? xp_dp_map_fd(d->dp, XP_MAP_BIND) : -1;
	r->fd_bstat = d->dp ? xp_dp_map_fd(d->dp, XP_MAP_BSTATS) : -1;
	if (r->fd_bstat < 0)
		r->fd_bstat = -1;
	r->fd_peer = d->dp ? xp_dp_map_fd(d->dp, XP_MAP_PEER) : -1;
	for (unsigned int i = 0; i < r->mc->n_access && i < XP_CFG_MAX_IFS; i++) {
		struct mag_if *mi = &r->ifs[r->n_ifs++];

		mi->r = r;
		mi->ll_fd = -1;
		snprintf(mi->name, sizeof(mi->name), "%s", r->mc->access_interfaces[i]);
		ev_timer_init(&mi->ra_timer, on_ra_timer, mi);
	}

	rc = bul_map_open(r->dir, d->cfg->max_bindings);
	if (rc < 0) {
		ev_err("start-failed", NULL, -1, "reason=\"cannot open %s/%s: %s\"", r->dir,
		       XP_MAP_BUL, XP_LOGERR(-rc));
		return rc;
	}
	r->bul_fd = rc;
	rc = upn_map_open(r->dir, d->cfg->max_bindings);
	if (rc < 0) {
		ev_err("start-failed", NULL, -1, "reason=\"cannot open %s/%s: %s\"", r->dir,
		       XP_MAP_MAG_UPN, XP_LOGERR(-rc));
		return rc;
	}
	r->upn_fd = rc;
	rc = mh_map_open(r->dir, d->cfg->max_bindings);
	if (rc < 0) {
		ev_err("start-failed", NULL, -1, "reason=\"cannot open %s/%s: %s\"", r->dir,
		       XP_MAP_MAG_MH, XP_LOGERR(-rc));
		return rc;
	}
	r->mh_fd = rc;
	if (r->mc->two_level.enabled) {
		unsigned int skipped = 0;

		mh_codec_cfg.tpfx_block_opt = r->mc->two_level.tpfx_opt;
		rc = tlp_map_open(r->dir);
		if (rc < 0) {
			ev_err("start-failed", NULL, -1, "reason=\"cannot open %s/%s: %s\"", r->dir,
			       XP_MAP_TLP, XP_LOGERR(-rc));
			return rc;
		}
		r->tlp_fd = rc;
		/* before the BUL: a restored entry's first PBU lists them */
		rc = tlp_load(r->tlp_fd, &r->m.tl, &skipped);
		if (rc < 0)
			return rc;
		if (skipped)
			ev_warn("restore-skipped", NULL, -1, "map=%s entries=%u", XP_MAP_TLP,
				skipped);
	}
	r->nd_fd = nd_sock_open();
	if (r->nd_fd < 0) {
		rc = r->nd_fd;
		ev_err("start-failed", NULL, -1, "reason=\"ICMPv6 socket: %s\"", XP_LOGERR(-rc));
		return rc;
	}
	if ((rc = evloop_add_fd(d->ev, r->nd_fd, EPOLLIN, on_nd_ready, r)))
		return rc;
	/* watch first, then dump: no link event falls between the two */
	if ((rc = nl_watch_open(on_link, r, &r->nw))) {
		ev_err("start-failed", NULL, -1, "reason=\"netlink: %s\"", XP_LOGERR(-rc));
		return rc;
	}
	if ((rc = evloop_add_fd(d->ev, nl_watch_fd(r->nw), EPOLLIN, on_nl_ready, r)))
		return rc;
	if ((rc = nl_link_dump(link_dump_cb, r))) {
		ev_err("start-failed", NULL, -1, "reason=\"link dump: %s\"", XP_LOGERR(-rc));
		return rc;
	}
	if (!r->core_ifindex)
		ev_warn("core-link-missing", NULL, -1, "if=%s reason=waiting-for-it",
			r->mc->core_interface);
	n = bul_restore(r);
	upn_restore(r);
	if ((rc = mag_hb_start(r, n == 0))) {
		ev_err("start-failed", NULL, -1, "reason=\"heartbeat: %s\"", XP_LOGERR(-rc));
		return rc;
	}
	if ((rc = write_cfg(r))) {
		ev_err("start-failed", NULL, -1, "reason=\"xp_cfg_v1: %s\"", XP_LOGERR(-rc));
		return rc;
	}
	/* restored entries: the access link may be gone since, and each
	 * binding's user plane state is rewritten (idempotent) */
	for (struct mag_entry *e = r->m.head, *next; e; e = next) {
		struct mag_if *mi = if_by_name(r, e->ifname);

		next = e->next;
		if (!mi || !mi->ifindex) {
			mag_link_down(&r->m, e->ifindex);
			continue;
		}
		if (e->dp_installed)
			h_dp_install(r, e);
		if (e->state == MAG_S_BOUND || e->state == MAG_S_REFRESHING)
			evloop_timer_arm(d->ev, &mi->ra_timer, 0);
	}
	r->running = true;
	ev_info("mag-started", NULL, -1, "proxy_coa=%s lma=%s access_links=%u bul_restored=%d",
		inet_ntop(AF_INET6, &r->mc->proxy_coa, (char[INET6_ADDRSTRLEN]){ 0 }, INET6_ADDRSTRLEN),
		inet_ntop(AF_INET6, &r->mc->lma_address, (char[INET6_ADDRSTRLEN]){ 0 }, INET6_ADDRSTRLEN),
		r->n_ifs, n);
	return 0;
}

static void mag_on_mh(struct xp_daemon *d, const uint8_t *buf, size_t len,
		      const struct in6_addr *src, const struct in6_addr *dst, int ifindex)
{
	struct mag_role *r = d->role_state;

	(void)dst;
	(void)ifindex;
	if (!r || hb_on_mh(d->hb, buf, len, src))
		return;
	(void)mag_on_pba(&r->m, buf, len, src);
}

/* `refresh MAC`: re-register now (the MN's L2 hint, 001 5.1.2);
 * `handover MAC PREFIX...`: a flow handover onto interface MAC (mag_tl.h) */
static int mag_ctl_handover(struct mag_role *r, int argc, char **argv, FILE *out)
{
	struct xp_prefix p[XP_CFG_MAX_HNP];
	bool refresh = !strcmp(argv[0], "refresh");
	struct mag_entry *e;
	uint8_t mac[6];
	int rc, n = 0;

	if (argc < 2 || xp_mac_parse(argv[1], mac) || (refresh && argc != 2) ||
	    (!refresh && (argc < 3 || argc - 2 > XP_CFG_MAX_HNP))) {
		fprintf(out, "usage: refresh MAC | handover MAC PREFIX... (a /64 moves one "
			"temporal prefix, a shorter block all of the MN's inside it)\n");
		return -EINVAL;
	}
	for (int i = 2; i < argc; i++) {
		if (xp_prefix_parse(argv[i], &p[n])) {
			fprintf(out, "'%s' is not a prefix\n", argv[i]);
			return -EINVAL;
		}
		n++;
	}
	e = mag_find(&r->m, mac);
	if (!e) {
		fprintf(out, "no binding for %s\n", argv[1]);
		return -ESRCH;
	}
	if (refresh) {
		mag_refresh_now(&r->m, e);
		fprintf(out, "re-registering %s\n", argv[1]);
		return 0;
	}
	rc = mag_tl_handover(&r->m, mac, p, (unsigned int)n);
	if (rc == -EINVAL)
		fprintf(out, "2-level prefixes are off (mag.two_level) or a prefix is longer "
			"than /64\n");
	else if (rc == -EBUSY)
		fprintf(out, "%s is not bound\n", argv[1]);
	else if (!rc)
		fprintf(out, "flow handover of %d prefix(es) onto %s sent\n", n, argv[1]);
	return rc;
}

static int mag_role_ctl(struct xp_daemon *d, int argc, char **argv, FILE *out)
{
	struct mag_role *r = d->role_state;
	bool json = argc > 1 && !strcmp(argv[argc - 1], "--json");

	if (!r || argc < 1)
		return -ENOENT;
	if (!strcmp(argv[0], "bindings")) {
		mag_print_bul(&r->m, out, json);
		return 0;
	}
	if (!strcmp(argv[0], "mag-stats")) {
		mag_print_stats(&r->m, out, json);
		return 0;
	}
	if (!strcmp(argv[0], "prefixes")) {
		mag_tl_print(&r->m, out, json);
		return 0;
	}
	if (!strcmp(argv[0], "filters") || !strcmp(argv[0], "filter"))
		return mag_mh_ctl(&r->m, argc, argv, out);
	if (!strcmp(argv[0], "handover") || !strcmp(argv[0], "refresh"))
		return mag_ctl_handover(r, argc, argv, out);
	if (!strcmp(argv[0], "hint")) {
		uint8_t mac[6];
		int rc;

		if (argc != 3 || xp_mac_parse(argv[1], mac) ||
		    (strcmp(argv[2], "iiho") && strcmp(argv[2], "iaho"))) {
			fprintf(out, "usage: hint MAC iiho|iaho (HI 2 / 3 for its next attachment)\n");
			return -EINVAL;
		}
		rc = mag_hint(&r->m, mac, !strcmp(argv[2], "iiho") ? XP_HI_IIHO : XP_HI_IAHO);
		fprintf(out, rc ? "too many pending hints\n" : "next attachment of %s: %s\n",
			argv[1], argv[2]);
		return rc;
	}
	if (!strcmp(argv[0], "detach")) {
		uint8_t mac[6];
		int rc;

		bool keep = argc == 3 && !strcmp(argv[2], "--keep-filters");
		bool remove = argc == 3 && !strcmp(argv[2], "--remove-filters");
		struct mag_entry *e;

		if (argc < 2 || argc > 3 || xp_mac_parse(argv[1], mac) || (argc == 3 && !keep && !remove)) {
			fprintf(out, "usage: detach MAC [--keep-filters|--remove-filters] (e.g. 02:00:00:00:01:01)\n");
			return -EINVAL;
		}
		/* 004: the ACT of this removal, instead of the profile's */
		if ((keep || remove) && (e = mag_find(&r->m, mac)) && e->mh)
			e->mh_act = keep ? XP_MH_ACT_KEEP : XP_MH_ACT_REMOVE;
		rc = mag_detach(&r->m, mac);
		if (rc == -ENOENT) {
			fprintf(out, "no binding for %s\n", argv[1]);
			return -ESRCH;
		}
		fprintf(out, "de-registering %s\n", argv[1]);
		return rc;
	}
	if (!strcmp(argv[0], "priority")) {
		uint8_t mac[6];
		char *end = NULL;
		unsigned long ifp = argc >= 3 ? strtoul(argv[2], &end, 10) : 0;
		bool primary = argc == 4 && !strcmp(argv[3], "--primary");
		int rc;

		if (argc < 3 || argc > 4 || xp_mac_parse(argv[1], mac) || !end || *end ||
		    ifp > UINT8_MAX || (argc == 4 && !primary)) {
			fprintf(out, "usage: priority MAC IFP [--primary] (IFP 0..255)\n");
			return -EINVAL;
		}
		rc = mag_set_priority(&r->m, mac, (uint8_t)ifp, primary);
		if (rc == -ENOENT) {
			fprintf(out, "no binding for %s\n", argv[1]);
			return -ESRCH;
		}
		fprintf(out, "%s: ifp %lu%s, refreshing\n", argv[1], ifp, primary ? " primary" : "");
		return rc;
	}
	if (!strcmp(argv[0], "mag-peers")) {
		char a[INET6_ADDRSTRLEN];
		unsigned int n = 0;

		for (struct mag_entry *e = r->m.head; e; e = e->next)
			n += e->dp_installed;
		inet_ntop(AF_INET6, &r->mc->lma_address, a, sizeof(a));
		if (json)
			fprintf(out, "{\"mag_peers\":[{\"peer\":\"%s\",\"bindings\":%u}],"
				"\"count\":1}\n", a, n);
		else
			fprintf(out, "%-40s %s\n%-40s %u\n", "LMA", "BINDINGS", a, n);
		return 0;
	}
	return -ENOENT;
}

/* operator layer: every BUL entry, for metrics and `xpmipctl traffic` */
static void mag_role_foreach_binding(struct xp_daemon *d, xp_binding_cb cb, void *ctx)
{
	struct mag_role *r = d->role_state;

	if (!r)
		return;
	for (struct mag_entry *e = r->m.head; e; e = e->next) {
		struct xp_prefix hnp[XP_CFG_MAX_HNP];
		struct xp_binding_info bi = {
			.mn_id = e->mn_id, .mn_idx = e->mn_idx, .bid = e->bid,
			.state = mag_state_name(e->state), .peer = r->mc->lma_address,
			.hnp = hnp, .mac = e->mac,
		};

		for (unsigned int i = 0; i < e->n_hnp && i < XP_CFG_MAX_HNP; i++) {
			hnp[i].addr = e->hnp[i].prefix;
			hnp[i].plen = e->hnp[i].plen;
			bi.n_hnp++;
		}
		cb(ctx, &bi);
	}
}

static void mag_stop(struct xp_daemon *d)
{
	struct mag_role *r = d->role_state;

	if (!r)
		return;
	hb_free(d->hb);
	d->hb = NULL;
	for (unsigned int i = 0; i < r->n_ifs; i++) {
		evloop_timer_cancel(d->ev, &r->ifs[i].ra_timer);
		llwatch_stop(r, &r->ifs[i]);
	}
	if (d->flush_on_stop) {
		/* the user plane is about to go: tell the LMA (one PBU with
		 * lifetime 0 each, no wait for the answer) */
		mag_deregister_all(&r->m, "flush");
	}
	/* timers go; without --flush the BUL and the user plane stay for the
	 * next start */
	mag_fini(&r->m);
	if (r->nw) {
		evloop_del_fd(d->ev, nl_watch_fd(r->nw));
		nl_watch_close(r->nw);
	}
	if (r->nd_fd >= 0) {
		evloop_del_fd(d->ev, r->nd_fd);
		close(r->nd_fd);
	}
	if (r->bul_fd >= 0)
		close(r->bul_fd);
	if (r->upn_fd >= 0)
		close(r->upn_fd);
	if (r->mh_fd >= 0)
		close(r->mh_fd);
	if (r->tlp_fd >= 0)
		close(r->tlp_fd);
	if (d->flush_on_stop) {
		static const char *const pins[] = { XP_MAP_BUL, XP_MAP_MAG_UPN, XP_MAP_TLP };
		char path[320];

		for (size_t i = 0; i < sizeof(pins) / sizeof(pins[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", r->dir, pins[i]);
			if (unlink(path) && errno != ENOENT)
				ev_warn("state-unpin-failed", NULL, -1, "map=%s err=%s", path,
					XP_LOGERR(errno));
		}
		hb_restart_ctr_unpin(r->dir);
	}
	free(r);
	d->role_state = NULL;
}

const struct xp_role_ops xp_mag_ops = {
	.name = "mag",
	.role = XP_ROLE_MAG,
	.start = mag_start,
	.on_mh = mag_on_mh,
	.ctl = mag_role_ctl,
	.foreach_binding = mag_role_foreach_binding,
	.stop = mag_stop,
};
