// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mag_upn.c - the MAG's side of RFC 7864 flow mobility signalling: a Flow
 * Mobility Initiate (UPN, reason FLOW-MOBILITY, RFC 7077 format) from the
 * LMA, answered with a Flow Mobility Acknowledgement (UPA). See mag.h.
 *
 * What the UPN changes on the MN's interface entry:
 *  - HNP options with the L flag: the complete set of off-link prefixes
 *    for that MN here. They join e->hnp flagged ND_PFX_F_OFFLINK, so the
 *    user plane routes them to the MN like its own (h_dp_install), the RA
 *    leaves them out (nd_build_ra) and the BUL persists them; those of the
 *    previous set that are missing are removed from the user plane.
 *  - HNP options without L: prefixes the MAG must already host on-link
 *    for the MN (the LMA sends them when the off-link set became empty,
 *    since a UPN carries at least one HNP option); others are ignored.
 *  - Flow Identification options: kept (e->flow) as flow-level state.
 * No sockets or clocks here: everything goes through struct mag_hooks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "log.h"
#include "mag.h"
#include "mh_codec.h"

#define PFX_LIST_STR	512

static bool nd_same(const struct nd_prefix *a, const struct mh_hnp *b)
{
	return a->plen == b->plen && !memcmp(&a->prefix, &b->prefix, sizeof(a->prefix));
}

/* The bound interface of mn_id on this MAG (the first one if it has
 * several: the MAG's BUL holds one entry per MN interface) */
static struct mag_entry *bound_entry(struct mag *m, const char *mn_id)
{
	for (struct mag_entry *e = m->head; e; e = e->next)
		if ((e->state == MAG_S_BOUND || e->state == MAG_S_REFRESHING) &&
		    !strcmp(e->mn_id, mn_id))
			return e;
	return NULL;
}

static void offlink_str(const struct mag_entry *e, char *buf, size_t cap)
{
	size_t off = 0;

	snprintf(buf, cap, "-");
	for (unsigned int i = 0; i < e->n_hnp && off < cap; i++) {
		char a[INET6_ADDRSTRLEN];
		int w;

		if (!(e->hnp[i].flags & ND_PFX_F_OFFLINK))
			continue;
		inet_ntop(AF_INET6, &e->hnp[i].prefix, a, sizeof(a));
		w = snprintf(buf + off, cap - off, "%s%s/%u", off ? "," : "", a,
			     (unsigned int)e->hnp[i].plen);
		if (w < 0)
			break;
		off += (size_t)w;
	}
}

/*
 * Replace e's off-link prefixes by the UPN's L-flagged ones. Returns
 * XP_UPA_S_SUCCESS or XP_UPA_S_UNSPECIFIED (more prefixes than an entry
 * holds: nothing changed). *changed tells whether the set moved.
 */
static uint8_t apply_offlink(struct mag *m, struct mag_entry *e, const struct mh_opts *o,
			     bool *changed)
{
	struct nd_prefix next[XP_CFG_MAX_HNP], gone[XP_CFG_MAX_HNP];
	unsigned int n = 0, n_gone = 0;
	char a[INET6_ADDRSTRLEN];

	*changed = false;
	for (unsigned int i = 0; i < e->n_hnp; i++)
		if (!(e->hnp[i].flags & ND_PFX_F_OFFLINK))
			next[n++] = e->hnp[i];
	for (unsigned int j = 0; j < o->n_hnp; j++) {
		const struct mh_hnp *h = &o->hnp[j];
		bool have = false;

		for (unsigned int i = 0; i < n; i++)
			have |= nd_same(&next[i], h);
		if (!(h->flags & XP_HNP_F_OFFLINK)) {
			if (!have)
				ev_warn("upn-prefix-ignored", e->mn_id, (int)e->bid,
					"prefix=%s/%u reason=on-link-prefix-not-ours",
					inet_ntop(AF_INET6, &h->prefix, a, sizeof(a)),
					(unsigned int)h->plen);
			continue;
		}
		if (have)
			continue;	/* ours already, or listed twice */
		if (n >= XP_CFG_MAX_HNP)
			return XP_UPA_S_UNSPECIFIED;
		memset(&next[n], 0, sizeof(next[n]));
		next[n].prefix = h->prefix;
		next[n].plen = h->plen;
		next[n].flags = ND_PFX_F_OFFLINK;
		n++;
	}
	for (unsigned int i = 0; i < e->n_hnp; i++) {
		bool kept = false;

		if (!(e->hnp[i].flags & ND_PFX_F_OFFLINK))
			continue;
		for (unsigned int k = 0; k < n; k++)
			kept |= next[k].plen == e->hnp[i].plen && next[k].flags == e->hnp[i].flags &&
				!memcmp(&next[k].prefix, &e->hnp[i].prefix, sizeof(next[k].prefix));
		if (!kept)
			gone[n_gone++] = e->hnp[i];
	}
	*changed = n_gone || n != e->n_hnp;
	/* prefixes that go first, so none points at a stale decision */
	if (n_gone && e->dp_installed && m->h.dp_remove_prefixes)
		m->h.dp_remove_prefixes(m->h.ctx, e, gone, n_gone);
	memcpy(e->hnp, next, n * sizeof(next[0]));
	e->n_hnp = (uint8_t)n;
	if (*changed && e->dp_installed) {
		int err = m->h.dp_install(m->h.ctx, e);

		if (err)
			ev_err("dp-install-failed", e->mn_id, (int)e->bid, "err=%s",
			       XP_LOGERR(-err));
	}
	return XP_UPA_S_SUCCESS;
}

static void keep_flows(struct mag_entry *e, const struct mh_opts *o)
{
	e->n_flow = o->n_flow_id > MH_MAX_FLOW_ID ? MH_MAX_FLOW_ID : o->n_flow_id;
	memcpy(e->flow, o->flow_id, e->n_flow * sizeof(e->flow[0]));
}

static void send_upa(struct mag *m, const struct mh_msg *upn, uint8_t status)
{
	static struct mh_msg upa;	/* large (option arrays): not on the stack */
	uint8_t buf[MH_MAX_MSG_LEN];
	int n, err;

	mh_msg_init(&upa, XP_MH_TYPE_UPA);
	upa.upa.seq = upn->upn.seq;
	upa.upa.status = status;
	if (upn->opt.present & MH_HAS_MN_ID)
		mh_set_mnid(&upa, (const char *)upn->opt.mnid);
	/* RFC 7864 4.3: on success, the MN-ID then the HNP options */
	if (status == XP_UPA_S_SUCCESS)
		for (unsigned int i = 0; i < upn->opt.n_hnp; i++)
			mh_add_hnp(&upa, &upn->opt.hnp[i].prefix, upn->opt.hnp[i].plen,
				   upn->opt.hnp[i].flags);
	n = mh_encode(&upa, buf, sizeof(buf));
	if (n < 0) {
		ev_err("upa-encode-failed", NULL, -1, "seq=%u err=%s", (unsigned int)upn->upn.seq,
		       mh_strerror(n));
		return;
	}
	err = m->h.send_mh(m->h.ctx, buf, (size_t)n);
	if (err) {
		ev_warn("upa-send-failed", NULL, -1, "seq=%u err=%s", (unsigned int)upn->upn.seq,
			XP_LOGERR(-err));
		return;
	}
	m->st.upa_tx++;
	m->st.upa_by_status[status]++;
}

int mag_on_upn(struct mag *m, const struct mh_msg *msg, const uint8_t *buf, size_t len,
	       const struct in6_addr *src)
{
	const struct mh_opts *o = &msg->opt;
	const char *mn = (o->present & MH_HAS_MN_ID) ? (const char *)o->mnid : "-";
	struct mag_entry *e = NULL;
	uint8_t status = XP_UPA_S_SUCCESS;
	const char *why = "-";
	char sb[INET6_ADDRSTRLEN], ol[PFX_LIST_STR];
	bool changed = false;

	inet_ntop(AF_INET6, src, sb, sizeof(sb));
	if (memcmp(src, &m->cfg->lma_address, sizeof(*src))) {
		m->st.upn_not_lma++;
		ev_warn("upn-dropped", mn, -1, "peer=%s seq=%u reason=not-our-lma", sb,
			(unsigned int)msg->upn.seq);
		return -EPERM;
	}
	m->st.upn_rx++;
	if (msg->upn.reason != XP_UPN_R_FLOW_MOBILITY) {
		status = XP_UPA_S_UNSPECIFIED;
		why = "upn-reason-not-flow-mobility";
	} else if (!(o->present & MH_HAS_MN_ID) || !o->n_hnp) {
		status = XP_UPA_S_UNSPECIFIED;
		why = "missing-mn-id-or-hnp";
	} else if (!(e = bound_entry(m, mn))) {
		status = XP_UPA_S_MN_NOT_ATTACHED;
		why = "mn-not-attached";
	} else if ((status = apply_offlink(m, e, o, &changed)) != XP_UPA_S_SUCCESS) {
		why = "too-many-prefixes";
	}
	if (e && status == XP_UPA_S_SUCCESS) {
		keep_flows(e, o);
		if (changed)
			m->st.upn_applied++;
		if (m->h.store) {
			int err = m->h.store(m->h.ctx, e);

			if (err)
				ev_warn("bul-store-failed", e->mn_id, (int)e->bid,
					"err=%s", XP_LOGERR(-err));
		}
		if (m->h.store_upn && m->h.store_upn(m->h.ctx, e, buf, len))
			ev_warn("upn-store-failed", e->mn_id, (int)e->bid, NULL);
		offlink_str(e, ol, sizeof(ol));
		ev_info("upn-accepted", e->mn_id, (int)e->bid,
			"if=%s seq=%u upn_reason=%u offlink=%s flows=%u changed=%s", e->ifname,
			(unsigned int)msg->upn.seq, (unsigned int)msg->upn.reason, ol,
			(unsigned int)e->n_flow, changed ? "yes" : "no");
	} else {
		ev_warn("upn-rejected", mn, (int)(e ? (unsigned int)e->bid : 0u),
			"peer=%s seq=%u upn_reason=%u status=%u reason=%s", sb, (unsigned int)msg->upn.seq,
			(unsigned int)msg->upn.reason, (unsigned int)status, why);
	}
	if (msg->upn.flags & XP_UPN_F_A)
		send_upa(m, msg, status);
	return 0;
}

int mag_restore_upn(struct mag *m, struct mag_entry *e, const uint8_t *buf, size_t len)
{
	static struct mh_msg msg;

	(void)m;
	if (mh_decode(buf, len, &msg, NULL) || msg.type != XP_MH_TYPE_UPN)
		return -EBADMSG;
	keep_flows(e, &msg.opt);
	return 0;
}

void mag_print_stats(const struct mag *m, FILE *out, bool json)
{
	static const struct { const char *k; uint8_t st; } ups[] = {
		{ "upa_success", XP_UPA_S_SUCCESS },
		{ "upa_reason_unspecified", XP_UPA_S_UNSPECIFIED },
		{ "upa_mn_not_attached", XP_UPA_S_MN_NOT_ATTACHED },
	};
	const struct mag_stats *s = &m->st;

	if (json)
		fprintf(out, "{\"upn_rx\":%llu,\"upn_not_lma\":%llu,\"upn_applied\":%llu,"
			"\"upa_tx\":%llu", (unsigned long long)s->upn_rx,
			(unsigned long long)s->upn_not_lma, (unsigned long long)s->upn_applied,
			(unsigned long long)s->upa_tx);
	else
		fprintf(out, "%-24s %llu\n%-24s %llu\n%-24s %llu\n%-24s %llu\n", "upn_rx",
			(unsigned long long)s->upn_rx, "upn_not_lma",
			(unsigned long long)s->upn_not_lma, "upn_applied",
			(unsigned long long)s->upn_applied, "upa_tx", (unsigned long long)s->upa_tx);
	for (size_t i = 0; i < sizeof(ups) / sizeof(ups[0]); i++) {
		unsigned long long v = (unsigned long long)s->upa_by_status[ups[i].st];

		if (json)
			fprintf(out, ",\"%s\":%llu", ups[i].k, v);
		else
			fprintf(out, "%-24s %llu\n", ups[i].k, v);
	}
	/* the same per-status counts as the LMA's lma-stats: one shape */
	if (json) {
		fprintf(out, ",\"by_status\":[");
		for (size_t i = 0; i < sizeof(ups) / sizeof(ups[0]); i++)
			fprintf(out, "%s{\"status\":%u,\"name\":\"%s\",\"count\":%llu}",
				i ? "," : "", (unsigned int)ups[i].st, ups[i].k + strlen("upa_"),
				(unsigned long long)s->upa_by_status[ups[i].st]);
		fprintf(out, "],\"count\":%zu}\n", sizeof(ups) / sizeof(ups[0]));
	}
}
