// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * fmsig.c - the LMA's RFC 7864 flow mobility signalling (see fmsig.h).
 *
 * Content comparison: an entry keeps the UPN it last sent, encoded. A
 * sync encodes what the binding's MAG must hold now (Sequence Number 0)
 * and compares it with the stored message, Sequence Number masked: equal
 * means the MAG holds it already (or is being told), nothing goes out.
 *
 * A UPN always names at least one HNP (RFC 7864 4.2). When a MAG must
 * hold no off-link prefix any more, the UPN lists the binding's own
 * on-link prefixes with L clear: the MAG keeps those and drops every
 * off-link one (prefixes missing from a UPN are removed).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fmsig.h"
#include "json.h"
#include "log.h"

#define UPN_SEQ_OFF	XP_MH_HDR_LEN	/* Sequence Number: first body field */
#define UPN_SEQ_LEN	2
#define ADDR_STR	INET6_ADDRSTRLEN
#define PFX_STR		(INET6_ADDRSTRLEN + 4)
#define DESC_STR	(MH_MAX_HNP * (PFX_STR + 1) + 64)
#define BITS_PER_OCTET	8

struct fmsig {
	const struct xp_lma_config *lc;
	struct fmsig_hooks h;
	struct fmsig_ent *head;
	uint16_t next_seq;
	struct fmsig_stats st;
};

/* ---- the rule ---- */

static void prefix_bounds(const struct xp_prefix *p, uint8_t lo[16], uint8_t hi[16])
{
	for (unsigned i = 0; i < XP_IPV6_ADDR_LEN; i++) {
		unsigned bits = p->plen > i * BITS_PER_OCTET ? p->plen - i * BITS_PER_OCTET : 0;
		uint8_t mask = bits >= BITS_PER_OCTET ? 0xff : (uint8_t)(0xff00u >> bits);

		lo[i] = p->addr.s6_addr[i] & mask;
		hi[i] = (uint8_t)(lo[i] | (uint8_t)~mask);
	}
}

bool fmsig_ts_dst_overlaps(const struct mh_ts *ts, const struct xp_prefix *p)
{
	uint8_t lo[16], hi[16];
	const uint8_t *end;

	if (ts->format != XP_TS_FMT_IPV6)
		return false;
	if (!(ts->flags & XP_TS6_C_DST_START))
		return true;
	end = (ts->flags & XP_TS6_D_DST_END) ? ts->dst_end : ts->dst_start;
	prefix_bounds(p, lo, hi);
	return memcmp(ts->dst_start, hi, sizeof(hi)) <= 0 && memcmp(end, lo, sizeof(lo)) >= 0;
}

static bool pfx_eq(const struct xp_prefix *a, const struct xp_prefix *b)
{
	return a->plen == b->plen && !memcmp(&a->addr, &b->addr, sizeof(a->addr));
}

static bool pfx_in(const struct xp_prefix *p, const struct xp_prefix *set, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (pfx_eq(p, &set[i]))
			return true;
	return false;
}

static bool flow_goes_to(const struct fmsig_flow *f, const struct bce *b)
{
	return f->active && f->action == XP_FBA_FORWARD && f->bid == b->bid;
}

unsigned fmsig_offlink_set(const struct bc_mn *m, const struct bce *b,
			   const struct fmsig_flow *flows, unsigned n,
			   struct xp_prefix *out, unsigned max)
{
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++) {
		if (!flow_goes_to(&flows[i], b))
			continue;
		for (const struct bce *o = m->bces; o; o = o->mn_next) {
			if (o == b)
				continue;
			for (uint8_t j = 0; j < o->n_hnp; j++) {
				const struct xp_prefix *p = &o->hnp[j];

				if (pfx_in(p, b->hnp, b->n_hnp) || pfx_in(p, out, k))
					continue;	/* shared, or listed */
				if (flows[i].has_ts && !fmsig_ts_dst_overlaps(&flows[i].ts, p))
					continue;
				if (k < max)
					out[k++] = *p;
			}
		}
	}
	return k;
}

/* ---- messages ---- */

static const char *upa_status_name(uint8_t st)
{
	switch (st) {
	case XP_UPA_S_SUCCESS:		return "success";
	case XP_UPA_S_FAILED_UPDATE:	return "failed-to-update";
	case XP_UPA_S_UNSPECIFIED:	return "reason-unspecified";
	case XP_UPA_S_MN_NOT_ATTACHED:	return "mn-not-attached";
	}
	return "unknown";
}

static const char *state_name(enum fmsig_state st)
{
	switch (st) {
	case FMSIG_PENDING:	return "pending";
	case FMSIG_ACKED:	return "acked";
	case FMSIG_FAILED:	return "failed";
	}
	return "?";
}

static unsigned count_flows(const struct fmsig *s, const struct bce *b,
			    const struct fmsig_flow *flows, unsigned n)
{
	unsigned k = 0;

	if (!s->lc->upn_flow_info)
		return 0;
	for (unsigned i = 0; i < n; i++)
		k += flows[i].active && flows[i].bid == b->bid;
	return k;
}

/* The UPN for b: its off-link set (or its own prefixes, L clear), then
 * its flows when upn_flow_info asks. Length or an mh_err. */
static int build_upn(const struct fmsig *s, const struct bce *b, const struct xp_prefix *off,
		     unsigned n_off, const struct fmsig_flow *flows, unsigned n, uint16_t seq,
		     uint8_t *buf, size_t cap)
{
	static struct mh_msg m;	/* large (option arrays): not on the stack */
	int rc;

	mh_msg_init(&m, XP_MH_TYPE_UPN);
	m.upn.seq = seq;
	m.upn.reason = XP_UPN_R_FLOW_MOBILITY;
	m.upn.flags = XP_UPN_F_A;
	if ((rc = mh_set_mnid(&m, b->mn->mn_id)))
		return rc;
	for (unsigned i = 0; i < n_off && !rc; i++)
		rc = mh_add_hnp(&m, &off[i].addr, off[i].plen, XP_HNP_F_OFFLINK);
	for (uint8_t i = 0; !n_off && i < b->n_hnp && !rc; i++)
		rc = mh_add_hnp(&m, &b->hnp[i].addr, b->hnp[i].plen, 0);
	if (rc)
		return rc;
	for (unsigned i = 0; s->lc->upn_flow_info && i < n && m.opt.n_flow_id < MH_MAX_FLOW_ID; i++) {
		struct mh_flow_id *f;

		if (!flows[i].active || flows[i].bid != b->bid)
			continue;
		f = &m.opt.flow_id[m.opt.n_flow_id++];
		memset(f, 0, sizeof(*f));
		f->fid = flows[i].fid;
		f->fid_pri = flows[i].fid_pri;
		f->has_ts = flows[i].has_ts;
		f->ts = flows[i].ts;
		f->has_action = true;
		f->action = flows[i].action;
	}
	return mh_encode(&m, buf, cap);
}

static bool same_content(const struct fmsig_ent *e, const uint8_t *buf, size_t len)
{
	if (e->len != len || len < UPN_SEQ_OFF + UPN_SEQ_LEN)
		return false;
	return !memcmp(e->msg, buf, UPN_SEQ_OFF) &&
	       !memcmp(e->msg + UPN_SEQ_OFF + UPN_SEQ_LEN, buf + UPN_SEQ_OFF + UPN_SEQ_LEN,
		       len - UPN_SEQ_OFF - UPN_SEQ_LEN);
}

/* "offlink=P,P flows=N" of a stored message; empty: nothing held */
static bool describe(const struct fmsig_ent *e, char *buf, size_t cap)
{
	static struct mh_msg m;
	size_t off;
	bool any = false;

	snprintf(buf, cap, "offlink=-");
	if (mh_decode(e->msg, e->len, &m, NULL))
		return false;
	off = (size_t)snprintf(buf, cap, "offlink=");
	for (unsigned i = 0; i < m.opt.n_hnp && off < cap; i++) {
		char a[ADDR_STR];

		if (!(m.opt.hnp[i].flags & XP_HNP_F_OFFLINK))
			continue;
		off += (size_t)snprintf(buf + off, cap - off, "%s%s/%u", any ? "," : "",
					inet_ntop(AF_INET6, &m.opt.hnp[i].prefix, a, sizeof(a)),
					(unsigned)m.opt.hnp[i].plen);
		any = true;
	}
	if (!any && off < cap)
		off += (size_t)snprintf(buf + off, cap - off, "-");
	if (off < cap)
		snprintf(buf + off, cap - off, " flows=%u", (unsigned)m.opt.n_flow_id);
	return any || m.opt.n_flow_id;
}

/* ---- entries ---- */

struct fmsig_ent *fmsig_get(struct fmsig *s, uint32_t mn_idx, uint16_t bid)
{
	for (struct fmsig_ent *e = s->head; e; e = e->next)
		if (e->key.mn_id == mn_idx && e->key.bid == bid)
			return e;
	return NULL;
}

static void timer_cb(void *ctx)
{
	fmsig_timer_fired(ctx);
}

static struct fmsig_ent *ent_new(struct fmsig *s, uint32_t mn_idx, uint16_t bid)
{
	struct fmsig_ent *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->s = s;
	e->key.mn_id = mn_idx;
	e->key.bid = bid;
	ev_timer_init(&e->timer, timer_cb, e);
	e->next = s->head;
	s->head = e;
	return e;
}

static void persist(struct fmsig_ent *e)
{
	static struct xp_fmsig_state st;
	struct fmsig *s = e->s;
	int rc;

	if (!s->h.store)
		return;
	memset(&st, 0, sizeof(st));
	memcpy(st.pcoa.a8, e->pcoa.s6_addr, sizeof(st.pcoa.a8));
	st.mn_idx = e->key.mn_id;
	st.bid = e->key.bid;
	st.seq = e->seq;
	st.len = e->len;
	st.state = (uint8_t)e->state;
	st.version = XP_FMSIG_VERSION;
	memcpy(st.msg, e->msg, e->len);
	if ((rc = s->h.store(s->h.ctx, &e->key, &st)))
		ev_warn("fmsig-store-failed", e->mn_id, (int)e->key.bid, "err=%s", XP_LOGERR(-rc));
}

static void ent_del(struct fmsig *s, struct fmsig_ent *e)
{
	if (s->h.ev)
		evloop_timer_cancel(s->h.ev, &e->timer);
	if (s->h.store)
		s->h.store(s->h.ctx, &e->key, NULL);
	for (struct fmsig_ent **pp = &s->head; *pp; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	free(e);
}

static void arm(struct fmsig_ent *e, uint64_t delay_ms)
{
	struct fmsig *s = e->s;

	e->timer.deadline_ms = (s->h.mono_ms ? s->h.mono_ms(s->h.ctx) : 0) + delay_ms;
	if (s->h.ev && evloop_timer_arm(s->h.ev, &e->timer, delay_ms))
		ev_err("timer-arm-failed", e->mn_id, (int)e->key.bid, NULL);
}

static void transmit(struct fmsig_ent *e)
{
	struct fmsig *s = e->s;
	char pc[ADDR_STR], d[DESC_STR];
	int rc;

	rc = s->h.send ? s->h.send(s->h.ctx, &e->pcoa, e->msg, e->len) : 0;
	e->tries++;
	if (e->tries > 1)
		s->st.upn_retx++;
	s->st.upn_tx++;
	describe(e, d, sizeof(d));
	xp_log_event(rc ? XP_LOG_WARN : XP_LOG_INFO,
		     e->tries > 1 ? "upn-retransmitted" : "upn-sent", e->mn_id, (int)e->key.bid,
		     "peer=%s seq=%u try=%u timeout_ms=%u %s%s%s",
		     inet_ntop(AF_INET6, &e->pcoa, pc, sizeof(pc)), e->seq, e->tries, e->timeout_ms,
		     d, rc ? " err=" : "", rc ? XP_LOGERR(-rc) : "");
	arm(e, e->timeout_ms);
}

/* ---- object ---- */

int fmsig_new(const struct xp_lma_config *lc, const struct fmsig_hooks *h, struct fmsig **out)
{
	struct fmsig *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->lc = lc;
	if (h)
		s->h = *h;
	s->next_seq = 1;
	*out = s;
	return 0;
}

void fmsig_free(struct fmsig *s)
{
	if (!s)
		return;
	while (s->head) {
		struct fmsig_ent *e = s->head;

		if (s->h.ev)
			evloop_timer_cancel(s->h.ev, &e->timer);
		s->head = e->next;
		free(e);
	}
	free(s);
}

const struct fmsig_stats *fmsig_stats(const struct fmsig *s)
{
	return &s->st;
}

/* ---- sync, PBA, UPA ---- */

static void sync_one(struct fmsig *s, const struct bce *b, const struct fmsig_flow *flows,
		     unsigned n, bool defer)
{
	static uint8_t buf[MH_MAX_MSG_LEN];
	struct xp_prefix off[XP_CFG_MAX_HNP];
	struct fmsig_ent *e = fmsig_get(s, b->mn->idx, b->bid);
	unsigned n_off = fmsig_offlink_set(b->mn, b, flows, n, off, XP_CFG_MAX_HNP);
	unsigned n_fl = count_flows(s, b, flows, n);
	int len;

	if (!e && !n_off && !n_fl)
		return;		/* the MAG holds nothing, needs nothing */
	len = build_upn(s, b, off, n_off, flows, n, 0, buf, sizeof(buf));
	if (len < 0) {
		ev_err("upn-encode-failed", b->mn->mn_id, (int)b->bid, "err=%s", mh_strerror(len));
		return;
	}
	if (e && same_content(e, buf, (size_t)len) &&
	    !memcmp(&e->pcoa, &b->pcoa, sizeof(e->pcoa)))
		return;
	if (!e && !(e = ent_new(s, b->mn->idx, b->bid))) {
		ev_err("upn-dropped", b->mn->mn_id, (int)b->bid, "reason=out-of-memory");
		return;
	}
	snprintf(e->mn_id, sizeof(e->mn_id), "%s", b->mn->mn_id);
	e->pcoa = b->pcoa;
	e->seq = s->next_seq++;
	if (!s->next_seq)
		s->next_seq = 1;
	memcpy(e->msg, buf, (size_t)len);
	e->msg[UPN_SEQ_OFF] = (uint8_t)(e->seq >> BITS_PER_OCTET);
	e->msg[UPN_SEQ_OFF + 1] = (uint8_t)e->seq;
	e->len = (uint16_t)len;
	e->state = FMSIG_PENDING;
	e->tries = 0;
	e->timeout_ms = s->lc->upn_timeout_ms ? s->lc->upn_timeout_ms : XP_INITIAL_BINDACK_TIMEOUT_MS;
	if (defer) {
		/* after the PBA that is being answered: the next loop turn */
		s->st.upn_deferred++;
		arm(e, 0);
	} else {
		transmit(e);
	}
	persist(e);
}

void fmsig_sync(struct fmsig *s, const struct bc_mn *m, const struct fmsig_flow *flows,
		unsigned n, bool defer)
{
	if (!m)
		return;
	for (const struct bce *b = m->bces; b; b = b->mn_next)
		if (b->state == BCE_ACTIVE)
			sync_one(s, b, flows, n, defer);
}

void fmsig_pba(struct fmsig *s, const struct bce *b, const struct fmsig_flow *flows,
	       unsigned n, struct mh_msg *pba)
{
	static uint8_t buf[MH_MAX_MSG_LEN];
	struct xp_prefix off[XP_CFG_MAX_HNP];
	struct fmsig_ent *e = fmsig_get(s, b->mn->idx, b->bid);
	unsigned n_off = fmsig_offlink_set(b->mn, b, flows, n, off, XP_CFG_MAX_HNP);
	int len;

	for (unsigned i = 0; i < n_off; i++)
		mh_add_hnp(pba, &off[i].addr, off[i].plen, XP_HNP_F_OFFLINK);
	if (!n_off) {
		/* the PBA's prefix list is complete: the MAG drops every
		 * off-link prefix; flows it held come back by UPN (sync) */
		if (e)
			ent_del(s, e);
		return;
	}
	s->st.pba_offlink++;
	/* what the MAG holds now: the off-link set, no flows (3.4 flows go by UPN) */
	len = build_upn(s, b, off, n_off, NULL, 0, 0, buf, sizeof(buf));
	if (len < 0)
		return;
	if (!e && !(e = ent_new(s, b->mn->idx, b->bid)))
		return;
	if (s->h.ev)
		evloop_timer_cancel(s->h.ev, &e->timer);
	snprintf(e->mn_id, sizeof(e->mn_id), "%s", b->mn->mn_id);
	e->pcoa = b->pcoa;
	e->seq = 0;
	memcpy(e->msg, buf, (size_t)len);
	e->len = (uint16_t)len;
	e->state = FMSIG_ACKED;
	e->tries = 0;
	e->last_status = XP_UPA_S_SUCCESS;
	persist(e);
}

int fmsig_on_upa(struct fmsig *s, const struct mh_msg *upa, const struct in6_addr *src)
{
	char pc[ADDR_STR], d[DESC_STR];
	struct fmsig_ent *e;
	uint8_t st = upa->upa.status;

	s->st.upa_rx++;
	inet_ntop(AF_INET6, src, pc, sizeof(pc));
	for (e = s->head; e; e = e->next)
		if (e->state == FMSIG_PENDING && e->tries && e->seq == upa->upa.seq &&
		    !memcmp(&e->pcoa, src, sizeof(*src)))
			break;
	if (!e) {
		s->st.upa_unmatched++;
		ev_info("upa-ignored", NULL, -1,
			"peer=%s seq=%u status=%u(%s) reason=no-pending-upn", pc, upa->upa.seq, st,
			upa_status_name(st));
		return -ENOENT;
	}
	s->st.upa_by_status[st]++;
	if (s->h.ev)
		evloop_timer_cancel(s->h.ev, &e->timer);
	e->last_status = st;
	if (st != XP_UPA_S_SUCCESS) {
		e->state = FMSIG_FAILED;
		describe(e, d, sizeof(d));
		ev_warn("upa-rejected", e->mn_id, (int)e->key.bid,
			"peer=%s seq=%u status=%u(%s) try=%u %s", pc, e->seq, st,
			upa_status_name(st), e->tries, d);
		persist(e);
		return 0;
	}
	e->state = FMSIG_ACKED;
	if (!describe(e, d, sizeof(d))) {
		/* the MAG now holds nothing for this binding */
		ev_info("upa-accepted", e->mn_id, (int)e->key.bid, "peer=%s seq=%u status=0 %s", pc,
			e->seq, d);
		ent_del(s, e);
		return 0;
	}
	ev_info("upa-accepted", e->mn_id, (int)e->key.bid, "peer=%s seq=%u status=0 %s", pc, e->seq,
		d);
	persist(e);
	return 0;
}

void fmsig_forget(struct fmsig *s, const struct bce *b)
{
	struct fmsig_ent *e = fmsig_get(s, b->mn->idx, b->bid);

	if (e)
		ent_del(s, e);
}

void fmsig_timer_fired(struct fmsig_ent *e)
{
	struct fmsig *s = e->s;
	uint32_t cap = s->lc->upn_max_timeout_ms ? s->lc->upn_max_timeout_ms :
						  XP_MAX_BINDACK_TIMEOUT_MS;
	char pc[ADDR_STR], d[DESC_STR];

	if (e->state != FMSIG_PENDING)
		return;
	if (!e->tries) {
		transmit(e);	/* deferred first transmission */
		return;
	}
	if (e->tries > s->lc->upn_max_retransmits) {
		e->state = FMSIG_FAILED;
		s->st.upn_timeout++;
		describe(e, d, sizeof(d));
		ev_warn("upn-timeout", e->mn_id, (int)e->key.bid, "peer=%s seq=%u tries=%u %s",
			inet_ntop(AF_INET6, &e->pcoa, pc, sizeof(pc)), e->seq, e->tries, d);
		persist(e);
		return;
	}
	e->timeout_ms = e->timeout_ms > cap / 2 ? cap : e->timeout_ms * 2;
	transmit(e);
	persist(e);
}

void fmsig_run_timers(struct fmsig *s)
{
	uint64_t now = s->h.mono_ms ? s->h.mono_ms(s->h.ctx) : 0;

	for (struct fmsig_ent *e = s->head, *next; e; e = next) {
		next = e->next;
		if (e->state == FMSIG_PENDING && e->timer.deadline_ms <= now)
			fmsig_timer_fired(e);
	}
}

int fmsig_restore(struct fmsig *s, const struct xp_bind_key *k, const struct xp_fmsig_state *st)
{
	static struct mh_msg m;
	struct fmsig_ent *e;

	if (st->version != XP_FMSIG_VERSION || st->mn_idx != k->mn_id || st->bid != k->bid ||
	    st->len > sizeof(st->msg) || st->state < FMSIG_PENDING || st->state > FMSIG_FAILED ||
	    mh_decode(st->msg, st->len, &m, NULL) || m.type != XP_MH_TYPE_UPN ||
	    !(m.opt.present & MH_HAS_MN_ID))
		return -EPROTO;
	if (fmsig_get(s, k->mn_id, k->bid))
		return -EEXIST;
	if (!(e = ent_new(s, k->mn_id, k->bid)))
		return -ENOMEM;
	snprintf(e->mn_id, sizeof(e->mn_id), "%s", (const char *)m.opt.mnid);
	memcpy(e->pcoa.s6_addr, st->pcoa.a8, sizeof(e->pcoa));
	e->seq = st->seq;
	e->len = st->len;
	memcpy(e->msg, st->msg, st->len);
	e->state = (enum fmsig_state)st->state;
	if ((int16_t)(uint16_t)(e->seq + 1 - s->next_seq) > 0)
		s->next_seq = (uint16_t)(e->seq + 1);
	if (e->state == FMSIG_PENDING) {
		/* its UPA was lost with the old process: send again */
		e->tries = 0;
		e->timeout_ms = s->lc->upn_timeout_ms;
		arm(e, 0);
	}
	return 0;
}

/* ---- the operator's view ---- */

void fmsig_print(const struct fmsig *s, FILE *out, bool json)
{
	static struct mh_msg m;
	unsigned n = 0;

	if (json)
		fprintf(out, "{\"upn\":[");
	else
		fprintf(out, "%-28s %5s %-26s %-8s %5s %5s %6s %s\n", "MN-ID", "BID", "PROXY-COA",
			"STATE", "SEQ", "TRIES", "STATUS", "OFF-LINK / FLOWS");
	for (const struct fmsig_ent *e = s->head; e; e = e->next) {
		char pc[ADDR_STR], d[DESC_STR];

		inet_ntop(AF_INET6, &e->pcoa, pc, sizeof(pc));
		if (!json) {
			describe(e, d, sizeof(d));
			fprintf(out, "%-28s %5u %-26s %-8s %5u %5u %6u %s\n", e->mn_id, e->key.bid, pc,
				state_name(e->state), e->seq, e->tries, e->last_status, d);
			n++;
			continue;
		}
		fprintf(out, "%s{\"mn_id\":", n++ ? "," : "");
		xp_json_str(out, e->mn_id);
		fprintf(out, ",\"bid\":%u,\"pcoa\":\"%s\",\"state\":\"%s\",\"seq\":%u,"
			"\"tries\":%u,\"last_status\":%u,\"offlink\":[", e->key.bid, pc,
			state_name(e->state), e->seq, e->tries, e->last_status);
		if (!mh_decode(e->msg, e->len, &m, NULL)) {
			unsigned k = 0;

			for (unsigned i = 0; i < m.opt.n_hnp; i++) {
				char a[ADDR_STR];

				if (!(m.opt.hnp[i].flags & XP_HNP_F_OFFLINK))
					continue;
				fprintf(out, "%s\"%s/%u\"", k++ ? "," : "",
					inet_ntop(AF_INET6, &m.opt.hnp[i].prefix, a, sizeof(a)),
					(unsigned)m.opt.hnp[i].plen);
			}
			fprintf(out, "],\"flows\":[");
			for (unsigned i = 0; i < m.opt.n_flow_id; i++)
				fprintf(out, "%s%u", i ? "," : "", m.opt.flow_id[i].fid);
		} else {
			fprintf(out, "],\"flows\":[");
		}
		fprintf(out, "]}");
	}
	if (json) {
		const struct fmsig_stats *t = &s->st;

		fprintf(out, "],\"count\":%u,\"upn_tx\":%llu,\"upn_retx\":%llu,\"upn_timeout\":%llu,"
			"\"upa_rx\":%llu,\"upa_unmatched\":%llu,\"upa_success\":%llu,"
			"\"upa_reason_unspecified\":%llu,\"upa_mn_not_attached\":%llu,"
			"\"pba_offlink\":%llu}\n", n,
			(unsigned long long)t->upn_tx, (unsigned long long)t->upn_retx,
			(unsigned long long)t->upn_timeout, (unsigned long long)t->upa_rx,
			(unsigned long long)t->upa_unmatched,
			(unsigned long long)t->upa_by_status[XP_UPA_S_SUCCESS],
			(unsigned long long)t->upa_by_status[XP_UPA_S_UNSPECIFIED],
			(unsigned long long)t->upa_by_status[XP_UPA_S_MN_NOT_ATTACHED],
			(unsigned long long)t->pba_offlink);
	} else {
		fprintf(out, "(%u bindings with flow mobility signalling)\n", n);
	}
}
