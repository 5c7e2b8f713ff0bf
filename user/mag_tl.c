// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* mag_tl.c - the MAG's 2-level prefixes (mag_tl.h, 001). */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "json.h"
#include "log.h"
#include "mag_tl.h"
#include "tlp.h"

#define PFX_STR		(INET6_ADDRSTRLEN + 4)
#define MAC_STR		18

bool mag_tl_on(const struct mag *m)
{
	return m->cfg->two_level.enabled;
}

static const char *mac_s(const uint8_t mac[6], char buf[MAC_STR])
{
	snprintf(buf, MAC_STR, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

static const struct tlp_entry *own_block(const struct mag *m)
{
	for (size_t i = 0; i < m->tl.n; i++)
		if (m->tl.e[i].s.level == XP_TLP_LEVEL_BLOCK)
			return &m->tl.e[i];
	return NULL;
}

static void persist(struct mag *m, const struct tlp_entry *t)
{
	int rc = m->h.tl_store ? m->h.tl_store(m->h.ctx, t) : 0;

	if (rc)
		ev_warn("tl-store-failed", NULL, -1, "err=%s", XP_LOGERR(-rc));
}

static void unpersist(struct mag *m, const struct xp_prefix *p)
{
	int rc = m->h.tl_unstore ? m->h.tl_unstore(m->h.ctx, p) : 0;

	if (rc)
		ev_warn("tl-unstore-failed", NULL, -1, "err=%s", XP_LOGERR(-rc));
}

static bool is_mine(const struct tlp_entry *t, const struct mag_entry *e)
{
	return t->s.level == XP_TLP_LEVEL_L2 && !memcmp(t->s.mac, e->mac, ND_ETH_ALEN);
}

static bool temporal(const struct mag *m, const struct xp_prefix *p)
{
	const struct tlp_entry *blk = own_block(m);
	const struct xp_mag_two_level *tc = &m->cfg->two_level;

	return (blk && xp_prefix_contains(&blk->p, &p->addr)) ||
	       (tc->has_temporal_pool && xp_prefix_contains(&tc->temporal_pool, &p->addr)) ||
	       tlp_find(&m->tl, p);
}

static void take_block(struct mag *m, const struct mh_msg *msg)
{
	struct xp_prefix b = { .addr = msg->opt.tpfx, .plen = msg->opt.tpfx_plen };
	const struct tlp_entry *have = own_block(m);
	struct xp_tlp_state s;
	struct tlp_entry *t;
	char bs[PFX_STR];

	if (!(msg->opt.present & MH_HAS_TPFX_BLOCK) || b.plen > TLP_L2_LEN)
		return;
	if (have && have->p.plen == b.plen && !memcmp(&have->p.addr, &b.addr, sizeof(b.addr)))
		return;
	if (have) {
		/* the LMA changed its mind (its pool changed): start over */
		ev_warn("temporal-block-replaced", NULL, -1, "old=%s",
			xp_prefix_str(&have->p, bs, sizeof(bs)));
		unpersist(m, &have->p);
		tlp_del(&m->tl, (struct tlp_entry *)have);
	}
	memset(&s, 0, sizeof(s));
	memcpy(s.peer.a8, &m->cfg->lma_address, sizeof(s.peer.a8));
	s.level = XP_TLP_LEVEL_BLOCK;
	s.kind = XP_PFX_TEMPORAL;
	t = tlp_put(&m->tl, &b, &s);
	if (!t)
		return;
	persist(m, t);
	ev_info("temporal-block", NULL, -1, "block=%s", xp_prefix_str(&b, bs, sizeof(bs)));
}

/* Carve what e lacks from our block; true when a prefix was added */
static bool carve(struct mag *m, struct mag_entry *e)
{
	const struct tlp_entry *blk = own_block(m);
	struct xp_prefix blkp, p;
	unsigned int have = 0;
	bool added = false;
	char ps[PFX_STR];

	if (!blk)
		return false;
	blkp = blk->p;
	for (size_t i = 0; i < m->tl.n; i++)
		have += is_mine(&m->tl.e[i], e) && xp_prefix_contains(&blkp, &m->tl.e[i].p.addr);
	for (; have < m->cfg->two_level.prefixes_per_if; have++) {
		struct xp_tlp_state s;
		struct tlp_entry *t;
		int rc = tlp_carve(&m->tl, &blkp, e->mac, &p);

		if (rc) {
			ev_warn("temporal-carve-failed", e->mn_id, (int)e->bid,
				"err=%s", XP_LOGERR(-rc));
			break;
		}
		memset(&s, 0, sizeof(s));
		memcpy(s.peer.a8, &m->cfg->lma_address, sizeof(s.peer.a8));
		memcpy(s.mac, e->mac, ND_ETH_ALEN);
		s.level = XP_TLP_LEVEL_L2;
		s.kind = XP_PFX_TEMPORAL;
		s.flags = XP_TLP_F_PENDING;
		t = tlp_put(&m->tl, &p, &s);
		if (!t)
			break;
		persist(m, t);
		added = true;
		ev_info("temporal-prefix-carved", e->mn_id, (int)e->bid,
			"prefix=%s", xp_prefix_str(&p, ps, sizeof(ps)));
	}
	return added;
}

static void remove_dp(struct mag *m, const struct mag_entry *e, const struct xp_prefix *p)
{
	struct nd_prefix np = { .prefix = p->addr, .plen = p->plen };

	if (e->dp_installed && m->h.dp_remove_prefixes)
		m->h.dp_remove_prefixes(m->h.ctx, e, &np, 1);
}

bool mag_tl_on_pba(struct mag *m, struct mag_entry *e, struct mh_msg *msg)
{
	struct xp_prefix got[MH_MAX_HNP];
	unsigned int n_got = 0, k = 0;
	bool changed = false;
	char ps[PFX_STR];

	e->tl_n_req = 0;	/* a flow handover request is answered */
	if (!mag_tl_on(m))
		return false;
	take_block(m, msg);
	for (unsigned int i = 0; i < msg->opt.n_hnp; i++) {
		struct xp_prefix p = { .addr = msg->opt.hnp[i].prefix, .plen = msg->opt.hnp[i].plen };

		if (temporal(m, &p))
			got[n_got++] = p;
		else
			msg->opt.hnp[k++] = msg->opt.hnp[i];
	}
	msg->opt.n_hnp = (uint8_t)k;
	/* what the LMA gives this binding */
	for (unsigned int i = 0; i < n_got; i++) {
		const struct tlp_entry *blk = own_block(m);
		struct tlp_entry *t = tlp_find(&m->tl, &got[i]);
		bool ours = blk && xp_prefix_contains(&blk->p, &got[i].addr);
		struct xp_tlp_state s;

		if (t && is_mine(t, e) && !(t->s.flags & (XP_TLP_F_IDLE | XP_TLP_F_PENDING)))
			continue;
		if (t && (t->s.flags & XP_TLP_F_IDLE))
			ev_info("temporal-prefix-back", e->mn_id, (int)e->bid,
				"prefix=%s reason=reverse-flow-handover",
				xp_prefix_str(&got[i], ps, sizeof(ps)));
		else if (!ours && !(t && is_mine(t, e)))
			ev_info("temporal-prefix-adopted", e->mn_id, (int)e->bid,
				"prefix=%s", xp_prefix_str(&got[i], ps, sizeof(ps)));
		memset(&s, 0, sizeof(s));
		memcpy(s.peer.a8, &m->cfg->lma_address, sizeof(s.peer.a8));
		memcpy(s.mac, e->mac, ND_ETH_ALEN);
		s.level = XP_TLP_LEVEL_L2;
		s.kind = XP_PFX_TEMPORAL;
		s.flags = ours ? 0 : XP_TLP_F_ADOPTED;
		if ((t = tlp_put(&m->tl, &got[i], &s)))
			persist(m, t);
		changed = true;
	}
	/* ours that the LMA no longer gives: moved away (Idle); adopted ones
	 * that went: forgotten */
	for (size_t i = 0; i < m->tl.n;) {
		struct tlp_entry *t = &m->tl.e[i];
		bool listed = false;

		for (unsigned int j = 0; j < n_got && !listed; j++)
			listed = t->p.plen == got[j].plen && !memcmp(&t->p.addr, &got[j].addr, 16);
		if (!is_mine(t, e) || listed || (t->s.flags & XP_TLP_F_IDLE)) {
			i++;
			continue;
		}
		xp_prefix_str(&t->p, ps, sizeof(ps));
		if (t->s.flags & XP_TLP_F_ADOPTED) {
			ev_info("temporal-prefix-left", e->mn_id, (int)e->bid,
				"prefix=%s", ps);
			remove_dp(m, e, &t->p);
			unpersist(m, &t->p);
			tlp_del(&m->tl, t);
			changed = true;
			continue;
		}
		ev_info("temporal-prefix-idle", e->mn_id, (int)e->bid,
			"prefix=%s reason=flow-handover", ps);
		t->s.flags = XP_TLP_F_IDLE;
		persist(m, t);
		changed = true;
		i++;
	}
	e->tl_refresh = carve(m, e);
	return changed;
}

int mag_tl_add_hnps(const struct mag *m, const struct mag_entry *e, struct mh_msg *msg)
{
	int r = 0;

	if (!mag_tl_on(m))
		return 0;
	if (e->tl_n_req) {
		for (unsigned int i = 0; i < e->tl_n_req && !r; i++)
			r = mh_add_hnp(msg, &e->tl_req[i].addr, e->tl_req[i].plen, 0);
		return r;
	}
	for (size_t i = 0; i < m->tl.n && !r; i++)
		if (is_mine(&m->tl.e[i], e) && !(m->tl.e[i].s.flags & XP_TLP_F_IDLE))
			r = mh_add_hnp(msg, &m->tl.e[i].p.addr, m->tl.e[i].p.plen, 0);
	return r;
}

unsigned int mag_tl_prefixes(const struct mag *m, const struct mag_entry *e, bool for_ra,
			     struct nd_prefix *out, unsigned int max, uint8_t *pfx_flags)
{
	unsigned int n = 0;

	for (size_t i = 0; i < m->tl.n && n < max; i++) {
		const struct tlp_entry *t = &m->tl.e[i];

		if (!is_mine(t, e) || (t->s.flags & XP_TLP_F_PENDING))
			continue;
		if (for_ra && (t->s.flags & XP_TLP_F_ADOPTED))
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].prefix = t->p.addr;
		out[n].plen = t->p.plen;
		if (pfx_flags)
			pfx_flags[n] = (t->s.flags & XP_TLP_F_IDLE) ? XP_PFXF_IDLE : 0;
		n++;
	}
	return n;
}

int mag_tl_handover(struct mag *m, const uint8_t mac[6], const struct xp_prefix *p,
		    unsigned int n)
{
	struct mag_entry *e = mag_find(m, mac);
	char ps[PFX_STR], mb[MAC_STR];

	if (!mag_tl_on(m) || !n || n > XP_CFG_MAX_HNP)
		return -EINVAL;
	if (!e)
		return -ENOENT;
	if (e->state != MAG_S_BOUND && e->state != MAG_S_REFRESHING)
		return -EBUSY;
	for (unsigned int i = 0; i < n; i++) {
		if (p[i].plen > TLP_L2_LEN || !p[i].plen)
			return -EINVAL;
		e->tl_req[i] = p[i];
		ev_info("flow-handover-requested", e->mn_id, (int)e->bid,
			"mac=%s prefix=%s kind=%s", mac_s(mac, mb),
			xp_prefix_str(&p[i], ps, sizeof(ps)),
			p[i].plen < TLP_L2_LEN ? "full" : "partial");
	}
	e->tl_n_req = (uint8_t)n;
	mag_refresh_now(m, e);
	return 0;
}

void mag_tl_forget(struct mag *m, const uint8_t mac[6])
{
	for (size_t i = 0; i < m->tl.n;) {
		struct tlp_entry *t = &m->tl.e[i];

		if (t->s.level == XP_TLP_LEVEL_L2 && !memcmp(t->s.mac, mac, ND_ETH_ALEN)) {
			unpersist(m, &t->p);
			tlp_del(&m->tl, t);
			continue;
		}
		i++;
	}
}

static const char *flags_s(uint8_t f)
{
	return f & XP_TLP_F_IDLE ? "idle" : f & XP_TLP_F_ADOPTED ? "adopted" :
	       f & XP_TLP_F_PENDING ? "pending" : "-";
}

static void row(FILE *out, bool json, unsigned int *n, const struct xp_prefix *p, uint8_t kind,
		uint8_t level, const struct mag_entry *e, uint8_t flags)
{
	char ps[PFX_STR], mb[MAC_STR] = "-";

	xp_prefix_str(p, ps, sizeof(ps));
	if (e)
		mac_s(e->mac, mb);
	if (json) {
		fprintf(out, "%s{\"prefix\":\"%s\",\"kind\":\"%s\",\"level\":%u,\"mac\":\"%s\","
			"\"mn_id\":", *n ? "," : "", ps, tlp_kind_str(kind), level, mb);
		xp_json_str(out, e ? e->mn_id : "");
		fprintf(out, ",\"bid\":%u,\"state\":\"%s\",\"idle\":%s,\"adopted\":%s,"
			"\"pending\":%s}", e ? (unsigned int)e->bid : 0,
			e ? mag_state_name(e->state) : "block",
			(flags & XP_TLP_F_IDLE) ? "true" : "false",
			(flags & XP_TLP_F_ADOPTED) ? "true" : "false",
			(flags & XP_TLP_F_PENDING) ? "true" : "false");
	} else {
		fprintf(out, "%-26s %-4s %5u %-17s %-28s %5u %-13s %s\n", ps, tlp_kind_str(kind),
			level, mb, e ? e->mn_id : "-", e ? (unsigned int)e->bid : 0,
			e ? mag_state_name(e->state) : "block", flags_s(flags));
	}
	(*n)++;
}

void mag_tl_print(const struct mag *m, FILE *out, bool json)
{
	unsigned int n = 0;

	if (json)
		fprintf(out, "{\"prefixes\":[");
	else
		fprintf(out, "%-26s %-4s %5s %-17s %-28s %5s %-13s %s\n", "PREFIX", "KIND", "LEVEL",
			"MAC", "MN-ID", "BID", "STATE", "FLAGS");
	for (const struct mag_entry *e = m->head; e; e = e->next) {
		for (unsigned int i = 0; i < e->n_hnp; i++) {
			struct xp_prefix p = { .addr = e->hnp[i].prefix, .plen = e->hnp[i].plen };

			row(out, json, &n, &p, XP_PFX_PERMANENT, 1, e, 0);
		}
		for (size_t i = 0; i < m->tl.n; i++)
			if (is_mine(&m->tl.e[i], e))
				row(out, json, &n, &m->tl.e[i].p, XP_PFX_TEMPORAL, XP_TLP_LEVEL_L2, e,
				    m->tl.e[i].s.flags);
	}
	for (size_t i = 0; i < m->tl.n; i++)
		if (m->tl.e[i].s.level == XP_TLP_LEVEL_BLOCK)
			row(out, json, &n, &m->tl.e[i].p, XP_PFX_TEMPORAL, XP_TLP_LEVEL_BLOCK, NULL, 0);
	if (json)
		fprintf(out, "],\"count\":%u}\n", n);
}
