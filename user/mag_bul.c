// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mag_bul.c - the MAG's Binding Update List state machine (see mag.h).
 * No sockets, no clocks: everything goes through struct mag_hooks.
 *
 * Handoff Indicator (RFC 5213 6.9.1.1). The MAG sends
 *   3 (handoff between MAGs for the same interface) when the access link
 *     itself appeared while the daemon was running: the MN's link was handed
 *     to this MAG (in our deployments a link moved from another MAG's
 *     namespace, the L2 handover of the veth topology; in radio networks the
 *     equivalent signal is a context transfer),
 *   4 (handoff state unknown) for every other first registration, and
 *   5 (handoff state not changed) in re-registrations and de-registrations.
 * Why 4 and not 1 (new interface): an RS on a link that was already here
 * does not tell the MAG whether the interface is new or re-attaching after
 * a carrier flap, and RFC 5213 asks for 4 when the MAG cannot know. The
 * difference matters: with 1 the LMA must open a new mobility session with
 * new prefixes (5.4.1.1) even while the MN's old binding from the same
 * interface waits out MinDelayBeforeBCEDelete, so the MN's address breaks;
 * with 4 the LMA updates the binding of the same interface (same MN-ID,
 * ATT and MN-LL-ID) when there is one and opens a new session otherwise
 * (5.4.1.3). An HI 3 for an MN the LMA does not know also creates a new
 * binding (5.4.1.2).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "json.h"
#include "log.h"
#include "mag.h"
#include "mag_mh.h"
#include "mag_tl.h"
#include "mh_codec.h"
#include "sigdrop.h"
#include "xpmip_mag_state.h"

#define MAG_PCT		100u
#define MAG_MS_PER_S	1000u
#define MAG_MAX_LIFETIME_UNITS	0xffffu	/* the BU Lifetime field (16 bits) */

const char *mag_state_name(enum mag_state s)
{
	switch (s) {
	case MAG_S_REGISTERING:	return "registering";
	case MAG_S_BOUND:	return "bound";
	case MAG_S_REFRESHING:	return "refreshing";
	case MAG_S_DEREGISTERING: return "deregistering";
	case MAG_S_REJECTED:	return "rejected";
	case MAG_S_FAILED:	return "failed";
	}
	return "unknown";
}


static const char *mac_str(const uint8_t mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

/* Log one event about e: "event=<ev> mn=<id> bid=<n> mac=<mac> if=<name> ..." */
#define mag_log(level, e, ev, fmt, ...) do {					\
	char _mb[18];								\
	xp_log_event(level, ev, (e)->mn_id, (int)(e)->bid, "mac=%s if=%s " fmt,	\
		     mac_str((e)->mac, _mb), (e)->ifname, ##__VA_ARGS__);	\
} while (0)

void mag_init(struct mag *m, const struct xp_mag_config *cfg, const struct mag_hooks *h)
{
	memset(m, 0, sizeof(*m));
	m->cfg = cfg;
	m->h = *h;
	m->next_seq = 1;
	m->next_mn_idx = 1;
	tlp_init(&m->tl);
}

static void entry_free(struct mag *m, struct mag_entry *e)
{
	struct mag_entry **pp;

	if (m->h.timer_set)
		m->h.timer_set(m->h.ctx, e, 0);
	if (m->h.entry_free)
		m->h.entry_free(m->h.ctx, e);
	for (pp = &m->head; *pp; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			m->n_entries--;
			break;
		}
	free(e);
}

void mag_fini(struct mag *m)
{
	while (m->head)
		entry_free(m, m->head);
	tlp_fini(&m->tl);
}

/* e is gone for good (not a daemon stop): its pinned state too */
static void unstore(struct mag *m, struct mag_entry *e)
{
	if (m->h.unstore)
		m->h.unstore(m->h.ctx, e);
	mag_tl_forget(m, e->mac);
}

struct mag_entry *mag_find(struct mag *m, const uint8_t mac[6])
{
	for (struct mag_entry *e = m->head; e; e = e->next)
		if (!memcmp(e->mac, mac, ND_ETH_ALEN))
			return e;
	return NULL;
}

unsigned int mag_count(const struct mag *m)
{
	unsigned int n = 0;

	for (const struct mag_entry *e = m->head; e; e = e->next)
		n++;
	return n;
}

/* The data plane MN index and BID: one index per MN-ID on this MAG (two
 * interfaces of one MN share it), one BID per interface, lowest free.
 * One pass over the BUL each (a bitmap of the MN's BIDs). */
#define MAG_BID_SPACE	65536u
_Static_assert(XP_BUL_MAX_ENTRIES < MAG_BID_SPACE - 1, "a free BID always exists");
static void assign_ids(struct mag *m, struct mag_entry *ne)
{
	static uint64_t used_bid[MAG_BID_SPACE / 64];
	uint32_t idx = 0;
	uint32_t bid;

	for (struct mag_entry *e = m->head; e && !idx; e = e->next)
		if (e != ne && !strcmp(e->mn_id, ne->mn_id))
			idx = e->mn_idx;
	if (!idx) {
		bool used;

		do {
			idx = m->next_mn_idx++;
			if (!m->next_mn_idx)
				m->next_mn_idx = 1;
			used = false;
			for (struct mag_entry *e = m->head; e && !used; e = e->next)
				if (e != ne && e->mn_idx == idx)
					used = true;
		} while (!idx || used);
	}
	memset(used_bid, 0, sizeof(used_bid));
	for (struct mag_entry *e = m->head; e; e = e->next)
		if (e != ne && e->mn_idx == idx)
			used_bid[e->bid / 64] |= 1ull << (e->bid % 64);
	/* BID 0 is not used; the BUL bound keeps a free one below 65536 */
	for (bid = 1; bid < MAG_BID_SPACE - 1 && (used_bid[bid / 64] & (1ull << (bid % 64))); bid++)
		;
	ne->mn_idx = idx;
	ne->bid = (uint16_t)bid;
}

static uint16_t take_seq(struct mag *m)
{
	uint16_t s = m->next_seq++;

	return s;
}

static void persist(struct mag *m, struct mag_entry *e)
{
	int err;

	if (!m->h.store)
		return;
	err = m->h.store(m->h.ctx, e);
	if (err)
		mag_log(XP_LOG_WARN, e, "bul-store-failed", "err=%s", XP_LOGERR(-err));
}

static void arm(struct mag *m, struct mag_entry *e, uint64_t deadline)
{
	e->deadline_ms = deadline;
	if (m->h.timer_set)
		m->h.timer_set(m->h.ctx, e, deadline);
}

int mag_build_pbu(struct mag *m, struct mag_entry *e, uint32_t lifetime_s,
		  uint8_t *buf, size_t cap)
{
	static struct mh_msg msg;	/* large (options arrays): not on the stack */
	uint32_t units = lifetime_s / XP_LIFETIME_UNIT_S;
	int r;

	mh_msg_init(&msg, XP_MH_TYPE_BU);
	msg.bu.seq = e->seq;
	msg.bu.flags = XP_BU_F_A | XP_BU_F_P;
	msg.bu.lifetime = (uint16_t)(units > MAG_MAX_LIFETIME_UNITS ? MAG_MAX_LIFETIME_UNITS : units);
	r = mh_set_mnid(&msg, e->mn_id);
	if (r)
		return r;
	/* only the binding's own (on-link) prefixes: the off-link ones the
	 * LMA lent us for flow mobility (RFC 7864) belong to another binding
	 * and would not match this one (5.4.1.1, status 159); and none in a
	 * 001 flow handover, which carries only the temporal prefixes that
	 * move (mag_tl.c adds them below) */
	for (unsigned int i = 0; i < e->n_hnp && !r && !e->tl_n_req; i++)
		if (!(e->hnp[i].flags & ND_PFX_F_OFFLINK))
			r = mh_add_hnp(&msg, &e->hnp[i].prefix, e->hnp[i].plen, 0);
	/* RFC 5213 6.9.1.1: none yet: one HNP option with ALL_ZERO, length
	 * 0, asks the LMA to allocate */
	if (!r && !msg.opt.n_hnp && !e->tl_n_req)
		r = mh_add_hnp(&msg, &in6addr_any, 0, 0);
	if (!r)
		r = mag_tl_add_hnps(m, e, &msg);
	if (r)
		return r;
	msg.opt.present |= MH_HAS_HI | MH_HAS_ATT | MH_HAS_MN_LLID | MH_HAS_LLA | MH_HAS_TIMESTAMP;
	msg.opt.hi = e->state == MAG_S_REGISTERING ? e->hi : XP_HI_NOT_CHANGED;
	msg.opt.att = e->att;
	msg.opt.llid_ifp = e->ifp;
	msg.opt.llid_primary = e->primary;
	msg.opt.llid_len = ND_ETH_ALEN;
	memcpy(msg.opt.llid, e->mac, ND_ETH_ALEN);
	/* RFC 5213 6.8: every MAG uses the same configured link-local */
	msg.opt.lla = m->cfg->ra_link_local;
	msg.opt.timestamp = m->h.timestamp ? m->h.timestamp(m->h.ctx) : 0;
	r = mag_mh_add_pbu(e, &msg, lifetime_s == 0);
	if (r)
		return r;
	return mh_encode(&msg, buf, cap);
}

/* Send the current request of e (new sequence number) and arm the back-off */
static int transmit(struct mag *m, struct mag_entry *e, uint32_t lifetime_s)
{
	uint8_t buf[MH_MAX_MSG_LEN];
	int n, err;
	const char *what = e->state == MAG_S_DEREGISTERING ? "dereg-pbu" :
			   e->state == MAG_S_REFRESHING ? "refresh-pbu" : "pbu";

	e->seq = take_seq(m);
	n = mag_build_pbu(m, e, lifetime_s, buf, sizeof(buf));
	if (n < 0) {
		mag_log(XP_LOG_ERR, e, "pbu-encode-failed", "err=%s", mh_strerror(n));
		return -EINVAL;
	}
	err = m->h.send_mh(m->h.ctx, buf, (size_t)n);
	e->n_tx++;
	mag_log(XP_LOG_INFO, e, e->n_tx > 1 ? "pbu-retransmitted" : "pbu-sent",
		"kind=%s seq=%u hi=%u lifetime=%u try=%u timeout_ms=%u%s%s", what,
		(unsigned int)e->seq,
		(unsigned int)(e->state == MAG_S_REGISTERING ? e->hi : XP_HI_NOT_CHANGED),
		lifetime_s, e->n_tx, e->timeout_ms, err ? " send_err=" : "",
		err ? strerror(-err) : "");
	arm(m, e, m->h.now_ms(m->h.ctx) + e->timeout_ms);
	return 0;
}

static void start_request(struct mag *m, struct mag_entry *e, enum mag_state st)
{
	e->state = st;
	e->n_tx = 0;
	e->timeout_ms = m->cfg->initial_bindack_timeout_ms;
	if (!e->timeout_ms)
		e->timeout_ms = XP_INITIAL_BINDACK_TIMEOUT_MS;
	(void)transmit(m, e, st == MAG_S_DEREGISTERING ? 0 : m->cfg->lifetime_s);
	persist(m, e);
}

static void dp_remove_all(struct mag *m, struct mag_entry *e)
{
	int err;

	if (!e->dp_installed)
		return;
	err = m->h.dp_remove(m->h.ctx, e);
	if (err)
		mag_log(XP_LOG_WARN, e, "dp-remove-failed", "err=%s", XP_LOGERR(-err));
	e->dp_installed = false;
}

static void deregister(struct mag *m, struct mag_entry *e, const char *why)
{
	switch (e->state) {
	case MAG_S_REGISTERING:
	case MAG_S_BOUND:
	case MAG_S_REFRESHING:
		mag_log(XP_LOG_INFO, e, "deregister", "reason=%s", why);
		/* prefixes before binding, so no packet finds a prefix
		 * whose binding is gone */
		dp_remove_all(m, e);
		start_request(m, e, MAG_S_DEREGISTERING);
		break;
	case MAG_S_DEREGISTERING:
		break;
	case MAG_S_REJECTED:
	case MAG_S_FAILED:
		mag_log(XP_LOG_INFO, e, "bul-removed", "reason=%s state=%s", why,
			mag_state_name(e->state));
		unstore(m, e);
		entry_free(m, e);
		break;
	}
}

int mag_mn_detected(struct mag *m, int ifindex, const char *ifname, const uint8_t mac[6],
		    const struct in6_addr *src, bool handover)
{
	struct xp_mag_mn_profile scratch;
	const struct xp_mag_mn_profile *prof;
	struct mag_entry *e = mag_find(m, mac);
	char mb[18];

	if (e) {
		bool moved = e->ifindex != ifindex;

		if (src && !IN6_IS_ADDR_UNSPECIFIED(src))
			e->mn_ll = *src;
		if (moved) {
			/* the MN moved between two access links of this MAG:
			 * same Proxy-CoA, the LMA need not know */
			mag_log(XP_LOG_INFO, e, "mn-moved-link", "new_if=%s", ifname);
			e->ifindex = ifindex;
			snprintf(e->ifname, sizeof(e->ifname), "%s", ifname);
		}
		switch (e->state) {
		case MAG_S_BOUND:
		case MAG_S_REFRESHING:
			if (moved && e->dp_installed && m->h.dp_install(m->h.ctx, e))
				mag_log(XP_LOG_WARN, e, "dp-install-failed", "reason=%s", "re-attach");
			persist(m, e);
			if (m->h.send_ra)
				m->h.send_ra(m->h.ctx, m, e, true);
			return 0;
		case MAG_S_REGISTERING:
			return 0;	/* a PBU is in flight */
		case MAG_S_REJECTED:
			mag_log(XP_LOG_DEBUG, e, "rs-ignored", "state=rejected status=%u",
				(unsigned int)e->last_status);
			return 0;
		case MAG_S_FAILED:
			start_request(m, e, MAG_S_REGISTERING);
			return 0;
		case MAG_S_DEREGISTERING:
			/* came back before the LMA answered: a new attachment */
			unstore(m, e);
			entry_free(m, e);
			break;
		}
	}

	prof = m->h.profile ? m->h.profile(m->h.ctx, mac, &scratch) : NULL;
	if (!prof) {
		ev_info("mn-unknown", NULL, -1, "mac=%s if=%s reason=no-profile",
			mac_str(mac, mb), ifname);
		return -ENOENT;
	}
	if (m->n_entries >= XP_BUL_MAX_ENTRIES) {
		ev_warn("bul-full", NULL, -1, "mac=%s if=%s entries=%u reason=bul-full", mac_str(mac, mb),
			ifname, m->n_entries);
		return -ENOSPC;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	memcpy(e->mac, mac, ND_ETH_ALEN);
	snprintf(e->mn_id, sizeof(e->mn_id), "%s", prof->mn_id);
	e->att = prof->att;
	e->ifp = prof->ifp;
	e->primary = prof->primary;
	e->ifindex = ifindex;
	snprintf(e->ifname, sizeof(e->ifname), "%s", ifname);
	if (src)
		e->mn_ll = *src;
	/* RFC 7864 3.2.1: an MN that shares its prefixes across interfaces asks
	 * for them with HI 6 (the LMA treats an MN not attached elsewhere as a
	 * new attachment) */
	e->hi = handover ? XP_HI_IAHO : prof->share_prefixes ? XP_HI_NEW_IF_SHARED :
		prof->multihoming ? XP_HI_NEW_IF : XP_HI_UNKNOWN;	/* 004 Figure 3: HI 1 */
	mag_mh_attach(e, prof);
	for (unsigned int i = 0; i < m->n_hints; i++)
		if (!memcmp(m->hints[i].mac, mac, ND_ETH_ALEN)) {
			e->hi = m->hints[i].hi;	/* the L2 hint knows better */
			m->hints[i] = m->hints[--m->n_hints];
			break;
		}
	assign_ids(m, e);
	e->next = m->head;
	m->head = e;
	m->n_entries++;
	mag_log(XP_LOG_INFO, e, "mn-detected", "by=%s hi=%u", src ? "rs" : "link-up",
		(unsigned int)e->hi);
	start_request(m, e, MAG_S_REGISTERING);
	return 0;
}

static bool same_prefix(const struct nd_prefix *a, const struct mh_hnp *b)
{
	return a->plen == b->plen && !memcmp(&a->prefix, &b->prefix, sizeof(a->prefix));
}

/* Take the HNPs of an accepting PBA; remove from the data plane those the
 * MN no longer has. Returns true when the set changed. */
static bool take_hnps(struct mag *m, struct mag_entry *e, const struct mh_msg *msg)
{
	struct nd_prefix gone[XP_CFG_MAX_HNP];
	unsigned int n_gone = 0, n = msg->opt.n_hnp;
	bool changed = n != e->n_hnp;

	if (n > XP_CFG_MAX_HNP)
		n = XP_CFG_MAX_HNP;
	for (unsigned int i = 0; i < e->n_hnp; i++) {
		bool kept = false;

		for (unsigned int j = 0; j < n; j++)
			if (same_prefix(&e->hnp[i], &msg->opt.hnp[j]))
				kept = true;
		if (!kept) {
			gone[n_gone++] = e->hnp[i];
			changed = true;
		}
	}
	if (n_gone && e->dp_installed && m->h.dp_remove_prefixes)
		m->h.dp_remove_prefixes(m->h.ctx, e, gone, n_gone);
	for (unsigned int j = 0; j < n; j++) {
		uint8_t fl = (msg->opt.hnp[j].flags & XP_HNP_F_OFFLINK) ? ND_PFX_F_OFFLINK : 0;

		if (j < e->n_hnp && e->hnp[j].flags != fl)
			changed = true;
		e->hnp[j].prefix = msg->opt.hnp[j].prefix;
		e->hnp[j].plen = msg->opt.hnp[j].plen;
		e->hnp[j].flags = fl;
	}
	e->n_hnp = (uint8_t)n;
	return changed;
}

static void hnps_str(const struct mag_entry *e, char *buf, size_t cap)
{
	size_t off = 0;

	buf[0] = 0;
	for (unsigned int i = 0; i < e->n_hnp && off < cap; i++) {
		char a[INET6_ADDRSTRLEN];
		int w;

		inet_ntop(AF_INET6, &e->hnp[i].prefix, a, sizeof(a));
		w = snprintf(buf + off, cap - off, "%s%s/%u%s", i ? "," : "", a,
			     (unsigned int)e->hnp[i].plen,
			     (e->hnp[i].flags & ND_PFX_F_OFFLINK) ? "(off-link)" : "");
		if (w < 0)
			break;
		off += (size_t)w;
	}
	if (!e->n_hnp)
		snprintf(buf, cap, "-");
}

static void accepted(struct mag *m, struct mag_entry *e, const struct mh_msg *msg,
		     bool tl_changed)
{
	uint64_t now_rt = m->h.realtime_ms(m->h.ctx);
	uint32_t lifetime = (uint32_t)msg->ba.lifetime * XP_LIFETIME_UNIT_S;
	bool first = e->state == MAG_S_REGISTERING || !e->dp_installed;
	bool changed;
	char hb[512];
	int err;

	if (!lifetime || !msg->opt.n_hnp) {
		/* an "accepted" without lifetime or prefixes gives the MN
		 * nothing to use: treat as a rejection */
		mag_log(XP_LOG_WARN, e, "pba-unusable", "seq=%u lifetime=%u hnps=%u",
			(unsigned int)msg->ba.seq, lifetime, (unsigned int)msg->opt.n_hnp);
		dp_remove_all(m, e);
		e->state = MAG_S_REJECTED;
		arm(m, e, 0);
		persist(m, e);
		return;
	}
	changed = take_hnps(m, e, msg);
	e->lifetime_s = lifetime;
	e->expire_rt_ms = now_rt + (uint64_t)lifetime * MAG_MS_PER_S;
	e->refresh_rt_ms = now_rt + (uint64_t)lifetime * MAG_MS_PER_S * m->cfg->refresh_pct / MAG_PCT;
	e->state = MAG_S_BOUND;
	e->n_tx = 0;
	err = m->h.dp_install(m->h.ctx, e);
	if (err)
		mag_log(XP_LOG_ERR, e, "dp-install-failed", "err=%s", XP_LOGERR(-err));
	else
		e->dp_installed = true;
	arm(m, e, m->h.now_ms(m->h.ctx) + (e->refresh_rt_ms - now_rt));
	persist(m, e);
	hnps_str(e, hb, sizeof(hb));
	mag_log(XP_LOG_INFO, e, first ? "registered" : "refreshed",
		"seq=%u lifetime=%u hnp=%s refresh_in_ms=%llu", (unsigned int)msg->ba.seq,
		lifetime, hb, (unsigned long long)(e->refresh_rt_ms - now_rt));
	if ((first || changed || tl_changed) && m->h.send_ra)
		m->h.send_ra(m->h.ctx, m, e, true);
	if (e->tl_refresh) {
		/* 001: register the level-2 prefixes just carved */
		e->tl_refresh = false;
		start_request(m, e, MAG_S_REFRESHING);
	}
}

int mag_on_pba(struct mag *m, const uint8_t *buf, size_t len, const struct in6_addr *src)
{
	static struct mh_msg msg;
	struct mag_entry *e;
	size_t off = 0;
	char sb[INET6_ADDRSTRLEN];
	int err;

	inet_ntop(AF_INET6, src, sb, sizeof(sb));
	err = mh_decode(buf, len, &msg, &off);
	if (err) {
		ev_warn("mh-malformed", NULL, -1, "peer=%s err=%s off=%zu", sb, mh_strerror(err),
			off);
		xp_sigdrop_count(XP_SD_MALFORMED);
		return -EBADMSG;
	}
	if (msg.type == XP_MH_TYPE_UPN)
		return mag_on_upn(m, &msg, buf, len, src);
	if (msg.type != XP_MH_TYPE_BA || !(msg.ba.flags & XP_BA_F_P)) {
		ev_debug("mh-ignored", NULL, -1, "peer=%s type=%u", sb, (unsigned int)msg.type);
		xp_sigdrop_count(XP_SD_UNHANDLED_TYPE);
		return -ENOENT;
	}
	if (memcmp(src, &m->cfg->lma_address, sizeof(*src))) {
		ev_warn("pba-ignored", NULL, -1, "peer=%s seq=%u reason=not-our-lma", sb,
			(unsigned int)msg.ba.seq);
		xp_sigdrop_count(XP_SD_NOT_OUR_LMA);
		return -ENOENT;
	}
	for (e = m->head; e; e = e->next) {
		if (e->state != MAG_S_REGISTERING && e->state != MAG_S_REFRESHING &&
		    e->state != MAG_S_DEREGISTERING)
			continue;
		if (e->seq != msg.ba.seq)
			continue;
		if ((msg.opt.present & MH_HAS_MN_ID) && strcmp((const char *)msg.opt.mnid, e->mn_id))
			continue;
		if ((msg.opt.present & MH_HAS_MN_LLID) &&
		    (msg.opt.llid_len != ND_ETH_ALEN || memcmp(msg.opt.llid, e->mac, ND_ETH_ALEN)))
			continue;
		break;
	}
	if (!e) {
		ev_info("pba-ignored", (msg.opt.present & MH_HAS_MN_ID) ? (const char *)msg.opt.mnid : NULL,
			-1, "peer=%s seq=%u status=%u(%s) reason=no-pending-pbu", sb,
			(unsigned int)msg.ba.seq, (unsigned int)msg.ba.status,
			mh_pba_status_name(msg.ba.status));
		xp_sigdrop_count(XP_SD_PBA_UNMATCHED);
		return -ENOENT;
	}
	e->last_status = msg.ba.status;

	if (e->state == MAG_S_DEREGISTERING && e->mh && e->mh_act == XP_MH_ACT_KEEP &&
	    msg.ba.status == XP_PBA_MH_REINST_NOT_SUPPORTED_DEFAULT) {
		/* 004 6.1: this LMA cannot keep the filters; leave without them */
		mag_log(XP_LOG_WARN, e, "dereg-keep-refused", "seq=%u status=%u(%s) retry=act-remove",
			(unsigned int)msg.ba.seq, (unsigned int)msg.ba.status,
			mh_pba_status_name(msg.ba.status));
		e->mh_act = XP_MH_ACT_REMOVE;
		start_request(m, e, MAG_S_DEREGISTERING);
		return 0;
	}
	if (e->state == MAG_S_DEREGISTERING) {
		mag_log(XP_LOG_INFO, e, "deregistered", "seq=%u status=%u(%s)",
			(unsigned int)msg.ba.seq, (unsigned int)msg.ba.status,
			mh_pba_status_name(msg.ba.status));
		unstore(m, e);
		entry_free(m, e);
		return 0;
	}
	if (msg.ba.status >= XP_PBA_UNSPECIFIED) {
		mag_log(XP_LOG_WARN, e, "pba-rejected", "seq=%u status=%u(%s)",
			(unsigned int)msg.ba.seq, (unsigned int)msg.ba.status,
			mh_pba_status_name(msg.ba.status));
		dp_remove_all(m, e);
		e->state = MAG_S_REJECTED;
		e->tl_n_req = 0;
		arm(m, e, 0);
		persist(m, e);
		return 0;
	}
	mag_mh_on_pba(e, &msg);	/* persisted by accepted() */
	accepted(m, e, &msg, mag_tl_on_pba(m, e, &msg));
	return 0;
}

static void expire(struct mag *m, struct mag_entry *e)
{
	mag_log(XP_LOG_WARN, e, "binding-expired", "state=%s", mag_state_name(e->state));
	dp_remove_all(m, e);
	e->state = MAG_S_FAILED;
	e->n_hnp = 0;
	arm(m, e, 0);
	persist(m, e);
}

void mag_timer_fired(struct mag *m, struct mag_entry *e)
{
	uint64_t now_rt = m->h.realtime_ms(m->h.ctx);
	uint32_t cap = m->cfg->max_bindack_timeout_ms ? m->cfg->max_bindack_timeout_ms :
						      XP_MAX_BINDACK_TIMEOUT_MS;

	e->deadline_ms = 0;
	switch (e->state) {
	case MAG_S_BOUND:
		if (now_rt >= e->expire_rt_ms) {
			expire(m, e);
			return;
		}
		start_request(m, e, MAG_S_REFRESHING);
		return;
	case MAG_S_REGISTERING:
	case MAG_S_REFRESHING:
	case MAG_S_DEREGISTERING:
		break;
	case MAG_S_REJECTED:
	case MAG_S_FAILED:
		return;
	}
	if (e->state == MAG_S_REFRESHING && now_rt >= e->expire_rt_ms) {
		expire(m, e);
		return;
	}
	/* n_tx counts transmissions; the first is not a retransmission */
	if (e->n_tx > m->cfg->max_retransmits) {
		mag_log(XP_LOG_WARN, e, "pba-timeout", "state=%s tries=%u",
			mag_state_name(e->state), e->n_tx);
		switch (e->state) {
		case MAG_S_REGISTERING:
			dp_remove_all(m, e);
			e->state = MAG_S_FAILED;
			arm(m, e, 0);
			persist(m, e);
			break;
		case MAG_S_REFRESHING:
			/* keep forwarding until the granted lifetime ends */
			e->state = MAG_S_BOUND;
			arm(m, e, m->h.now_ms(m->h.ctx) + (e->expire_rt_ms - now_rt));
			persist(m, e);
			break;
		default:
			unstore(m, e);
			entry_free(m, e);
			break;
		}
		return;
	}
	e->timeout_ms = e->timeout_ms > cap / 2 ? cap : e->timeout_ms * 2;
	(void)transmit(m, e, e->state == MAG_S_DEREGISTERING ? 0 : m->cfg->lifetime_s);
	persist(m, e);
}

void mag_link_down(struct mag *m, int ifindex)
{
	struct mag_entry *e = m->head, *next;

	for (; e; e = next) {
		next = e->next;
		if (e->ifindex == ifindex)
			deregister(m, e, "link-down");
	}
}

void mag_refresh_now(struct mag *m, struct mag_entry *e)
{
	if (e->state != MAG_S_BOUND && e->state != MAG_S_REFRESHING)
		return;
	mag_log(XP_LOG_INFO, e, "refresh-early", "reason=%s", e->tl_n_req ? "flow-handover" : "request");
	start_request(m, e, MAG_S_REFRESHING);
}

int mag_hint(struct mag *m, const uint8_t mac[6], uint8_t hi)
{
	unsigned int i;
	char mb[18];

	if (hi != XP_HI_IIHO && hi != XP_HI_IAHO)
		return -EINVAL;
	for (i = 0; i < m->n_hints; i++)
		if (!memcmp(m->hints[i].mac, mac, ND_ETH_ALEN))
			break;
	if (i == MAG_MAX_HINTS)
		return -ENOSPC;
	memcpy(m->hints[i].mac, mac, ND_ETH_ALEN);
	m->hints[i].hi = hi;
	if (i == m->n_hints)
		m->n_hints++;
	ev_info("l2-hint", NULL, -1, "mac=%s hi=%u", mac_str(mac, mb), (unsigned int)hi);
	return 0;
}

int mag_detach(struct mag *m, const uint8_t mac[6])
{
	struct mag_entry *e = mag_find(m, mac);

	if (!e)
		return -ENOENT;
	deregister(m, e, "detach");
	return 0;
}

int mag_set_priority(struct mag *m, const uint8_t mac[6], uint8_t ifp, bool primary)
{
	struct mag_entry *e = mag_find(m, mac);

	if (!e)
		return -ENOENT;
	mag_log(XP_LOG_INFO, e, "priority-changed", "ifp=%u->%u primary=%s->%s",
		(unsigned int)e->ifp, (unsigned int)ifp, e->primary ? "yes" : "no",
		primary ? "yes" : "no");
	e->ifp = ifp;
	e->primary = primary;
	/* 000 6.2: the LMA learns it from a refresh PBU; a PBU in flight
	 * carries it on its next retransmission */
	if (e->state == MAG_S_BOUND)
		start_request(m, e, MAG_S_REFRESHING);
	else
		persist(m, e);
	return 0;
}

void mag_deregister_all(struct mag *m, const char *why)
{
	struct mag_entry *e = m->head, *next;

	for (; e; e = next) {
		next = e->next;
		if (e->state == MAG_S_REGISTERING || e->state == MAG_S_BOUND ||
		    e->state == MAG_S_REFRESHING)
			deregister(m, e, why);
	}
}

void mag_reregister_all(struct mag *m, const char *why)
{
	for (struct mag_entry *e = m->head; e; e = e->next) {
		if (e->state != MAG_S_BOUND && e->state != MAG_S_REFRESHING)
			continue;
		mag_log(XP_LOG_INFO, e, "reregister", "reason=%s", why);
		start_request(m, e, MAG_S_REFRESHING);
	}
}

void mag_ra_params(const struct mag *m, const struct mag_entry *e, struct nd_ra_params *p)
{
	const struct xp_mag_config *c = m->cfg;

	memset(p, 0, sizeof(*p));
	p->cur_hop_limit = ND_DEFAULT_CUR_HOP_LIMIT;
	p->router_lifetime_s = (uint16_t)(c->ra_router_lifetime_s > ND_RA_MAX_ROUTER_LIFETIME_S ?
					  ND_RA_MAX_ROUTER_LIFETIME_S : c->ra_router_lifetime_s);
	p->mtu = c->mtu;
	p->has_src_mac = true;
	memcpy(p->src_mac, c->ra_mac, ND_ETH_ALEN);
	p->valid_s = c->ra_prefix_valid_s;
	p->preferred_s = c->ra_prefix_preferred_s > c->ra_prefix_valid_s ?
			 c->ra_prefix_valid_s : c->ra_prefix_preferred_s;
	if (!e || (e->state != MAG_S_BOUND && e->state != MAG_S_REFRESHING))
		return;
	for (unsigned int i = 0; i < e->n_hnp && p->n_prefix < ND_RA_MAX_PREFIX; i++)
		p->prefix[p->n_prefix++] = e->hnp[i];
	/* 001: the level-2 prefixes carved for this interface */
	p->n_prefix += (uint8_t)mag_tl_prefixes(m, e, true, p->prefix + p->n_prefix,
					       ND_RA_MAX_PREFIX - p->n_prefix, NULL);
}

int mag_restore(struct mag *m, const struct mag_entry *saved)
{
	struct mag_entry *e;
	uint64_t now_rt, now;

	if (mag_find(m, saved->mac))
		return -EEXIST;
	if (m->n_entries >= XP_BUL_MAX_ENTRIES)
		return -ENOSPC;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	*e = *saved;
	e->glue = NULL;
	e->next = m->head;
	m->head = e;
	m->n_entries++;
	/* sequence numbers compare modulo 2^16 (RFC 6275 9.5.1) */
	if ((int16_t)(uint16_t)(e->seq + 1 - m->next_seq) > 0)
		m->next_seq = (uint16_t)(e->seq + 1);
	if (e->mn_idx >= m->next_mn_idx)
		m->next_mn_idx = e->mn_idx + 1;
	now_rt = m->h.realtime_ms(m->h.ctx);
	now = m->h.now_ms(m->h.ctx);
	mag_log(XP_LOG_INFO, e, "bul-restored", "state=%s", mag_state_name(e->state));
	switch (e->state) {
	case MAG_S_BOUND:
		if (now_rt >= e->expire_rt_ms) {
			expire(m, e);
			break;
		}
		arm(m, e, now + (e->refresh_rt_ms > now_rt ? e->refresh_rt_ms - now_rt : 0));
		break;
	case MAG_S_REGISTERING:
	case MAG_S_REFRESHING:
	case MAG_S_DEREGISTERING:
		/* the answer to the PBU in flight was lost with the old
		 * process: send the request again at once */
		start_request(m, e, e->state);
		break;
	case MAG_S_REJECTED:
	case MAG_S_FAILED:
		break;
	}
	return 0;
}

void mag_print_bul(struct mag *m, FILE *out, bool json)
{
	uint64_t now_rt = m->h.realtime_ms(m->h.ctx);
	unsigned int n = 0;

	if (json)
		fprintf(out, "{\"bindings\":[");
	else
		fprintf(out, "%-17s %-28s %-5s %-40s %-13s %9s %s\n", "MAC", "MN-ID", "BID",
			"HNP", "STATE", "LIFETIME", "INTERFACE");
	for (struct mag_entry *e = m->head; e; e = e->next) {
		char mb[18], hb[512];
		long long left = e->expire_rt_ms > now_rt ?
				 (long long)((e->expire_rt_ms - now_rt) / MAG_MS_PER_S) : 0;

		if (e->state != MAG_S_BOUND && e->state != MAG_S_REFRESHING)
			left = 0;
		hnps_str(e, hb, sizeof(hb));
		mac_str(e->mac, mb);
		if (json) {
			fprintf(out, "%s{\"mac\":\"%s\",\"mn_id\":", n ? "," : "", mb);
			xp_json_str(out, e->mn_id);
			fprintf(out, ",\"bid\":%u,\"hnp\":[", (unsigned int)e->bid);
			for (unsigned int i = 0; i < e->n_hnp; i++) {
				char a[INET6_ADDRSTRLEN];

				inet_ntop(AF_INET6, &e->hnp[i].prefix, a, sizeof(a));
				fprintf(out, "%s{\"prefix\":\"%s/%u\",\"offlink\":%s}", i ? "," : "",
					a, (unsigned int)e->hnp[i].plen,
					(e->hnp[i].flags & ND_PFX_F_OFFLINK) ? "true" : "false");
			}
			fprintf(out, "],\"flows\":[");
			for (unsigned int i = 0; i < e->n_flow; i++)
				fprintf(out, "%s{\"fid\":%u,\"fid_pri\":%u}", i ? "," : "",
					(unsigned int)e->flow[i].fid, (unsigned int)e->flow[i].fid_pri);
			fprintf(out, "],\"state\":\"%s\",\"lifetime_left_s\":%lld,"
				"\"lifetime_s\":%u,\"interface\":", mag_state_name(e->state),
				left, e->lifetime_s);
			xp_json_str(out, e->ifname);
			fprintf(out, ",\"ifindex\":%d,\"hi\":%u,\"seq\":%u,\"last_status\":%u}",
				e->ifindex, (unsigned int)e->hi, (unsigned int)e->seq,
				(unsigned int)e->last_status);
		} else {
			fprintf(out, "%-17s %-28s %-5u %-40s %-13s %9lld %s\n", mb, e->mn_id,
				(unsigned int)e->bid, hb, mag_state_name(e->state), left, e->ifname);
		}
		n++;
	}
	if (json)
		fprintf(out, "],\"count\":%u}\n", n);
}
