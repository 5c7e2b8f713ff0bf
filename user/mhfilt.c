// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* mhfilt.c - 004 multihoming sessions and MAG filters at the LMA (mhfilt.h) */
#include <errno.h>
#include <string.h>

#include "flowsel.h"
#include "log.h"
#include "mhfilt.h"

#define SEL_TXT		512

static const char *act_name(uint8_t a)
{
	return a == XP_FBA_DROP ? "drop" : "forward";
}

static bool in_group(const struct bce *b, uint8_t mhgid)
{
	return (b->flags & BCE_F_MH) && b->mhgid == mhgid;
}

static bool llid_compatible(const struct bce *b, const struct mh_opts *o)
{
	if (!(o->present & MH_HAS_MN_LLID) || !b->llid_len)
		return true;
	return b->llid_len == o->llid_len && !memcmp(b->llid, o->llid, b->llid_len);
}

struct bce *mhf_match(struct bc_mn *m, const struct mh_opts *o, const struct in6_addr *src,
		      struct bce **share)
{
	struct bce *any = NULL;

	*share = NULL;
	if (!m || !(o->present & MH_HAS_MULTIHOMING))
		return NULL;
	for (struct bce *b = m->bces; b; b = b->mn_next) {
		if (!in_group(b, o->mhgid) || !bce_prefix_set_is(b, o))
			continue;
		if (!memcmp(&b->pcoa, src, sizeof(*src)) && llid_compatible(b, o))
			return b;
		if (!any || (b->state == BCE_ACTIVE && any->state != BCE_ACTIVE))
			any = b;
	}
	if (any && (o->hi == XP_HI_NEW_IF || o->hi == XP_HI_NEW_IF_SHARED))
		*share = any;
	return NULL;
}

void mhf_mark(struct bce *b, const struct mh_opts *o)
{
	if (o->present & MH_HAS_MULTIHOMING) {
		b->flags |= BCE_F_MH;
		b->mhgid = o->mhgid;
	} else {
		b->flags &= (uint8_t)~BCE_F_MH;
		b->mhgid = 0;
	}
}

static bool owned_by(const struct fm_entry *e, const struct bce *b)
{
	return e->n_bid && e->bid[0] == b->bid;
}

/* same filter as far as the data plane is concerned */
static bool same_filter(const struct fm_entry *a, const struct fm_entry *b)
{
	char sa[SEL_TXT], sb[SEL_TXT];

	if (a->fid_pri != b->fid_pri || a->action != b->action || a->n_bid != b->n_bid ||
	    memcmp(a->bid, b->bid, a->n_bid * sizeof(a->bid[0])))
		return false;
	return !strcmp(flowsel_format(&a->ts, sa, sizeof(sa)), flowsel_format(&b->ts, sb, sizeof(sb)));
}

static void rejected(const struct bce *b, const struct mh_flow_id *f, uint8_t st, const char *why)
{
	ev_info("filter-rejected", b->mn->mn_id, (int)b->bid, "mhgid=%u fid=%u status=%u reason=%s",
		b->mhgid, f->fid, st, why);
}

/* one Flow Identification option of a PBU: its status; *reinst: the
 * filter is a re-instantiated one (the answer says so) */
static uint8_t apply_one(struct fmcache *fc, const struct bce *b, const struct mh_flow_id *f,
			 unsigned *changed, bool *reinst)
{
	const char *mn = b->mn->mn_id;
	const struct fm_entry *cur = fmcache_get(fc, mn, FM_ORIGIN_MAG, b->mhgid, f->fid);
	char sel[SEL_TXT];
	struct fm_entry e;
	int rc;

	*reinst = cur && (cur->eflags & FM_EF_REINSTANTIATED);
	if (cur && !owned_by(cur, b)) {
		rejected(b, f, XP_FID_S_REJECTED, "fid-held-by-another-binding");
		return XP_FID_S_REJECTED;
	}
	if (f->has_action && f->action == XP_FBA_DELETE) {
		if (!cur) {
			rejected(b, f, XP_FID_S_FID_NOT_FOUND, "delete-unknown-fid");
			return XP_FID_S_FID_NOT_FOUND;
		}
		if ((rc = fmcache_del(fc, mn, FM_ORIGIN_MAG, b->mhgid, f->fid))) {
			rejected(b, f, XP_FID_S_REJECTED, strerror(-rc));
			return XP_FID_S_REJECTED;
		}
		ev_info("filter-deleted", mn, (int)b->bid, "mhgid=%u fid=%u", b->mhgid, f->fid);
		(*changed)++;
		return XP_FID_S_SUCCESS;
	}
	if (!f->has_ts)
		return cur ? XP_FID_S_SUCCESS : XP_FID_S_FID_NOT_FOUND;
	if (f->has_action && f->action != XP_FBA_FORWARD && f->action != XP_FBA_DROP) {
		rejected(b, f, XP_FID_S_REJECTED, "unknown-action");
		return XP_FID_S_REJECTED;
	}
	memset(&e, 0, sizeof(e));
	e.fid = f->fid;
	e.fid_pri = f->fid_pri;
	e.origin = FM_ORIGIN_MAG;
	e.mhgid = b->mhgid;
	e.action = f->has_action ? f->action : XP_FBA_FORWARD;
	e.eflags = cur ? cur->eflags : 0;
	e.n_bid = 1;
	e.bid[0] = b->bid;
	e.ts = f->ts;
	rc = fm_entry_check(&e);
	if (rc == -EPROTONOSUPPORT) {
		rejected(b, f, XP_FID_S_TS_FMT_UNSUPP, "ts-format");
		return XP_FID_S_TS_FMT_UNSUPP;
	}
	if (rc) {
		rejected(b, f, XP_FID_S_MALFORMED, "bad-selector");
		return XP_FID_S_MALFORMED;
	}
	if (cur && same_filter(cur, &e))
		return XP_FID_S_SUCCESS;	/* a renewal repeating it */
	if (!e.fid) {
		rejected(b, f, XP_FID_S_MALFORMED, "fid-0");
		return XP_FID_S_MALFORMED;
	}
	if ((rc = fmcache_put(fc, mn, &e, FM_PUT_REPLACE))) {
		rejected(b, f, XP_FID_S_REJECTED, rc == -ENOSPC ? "table-full" : strerror(-rc));
		return XP_FID_S_REJECTED;
	}
	ev_info(cur ? "filter-modified" : "filter-created", mn, (int)b->bid,
		"mhgid=%u fid=%u pri=%u action=%s selector=\"%s\"", b->mhgid, e.fid, e.fid_pri,
		act_name(e.action), flowsel_format(&e.ts, sel, sizeof(sel)));
	(*changed)++;
	return XP_FID_S_SUCCESS;
}

static struct mh_flow_id *pba_slot(struct mh_opts *pba)
{
	struct mh_flow_id *f;

	if (pba->n_flow_id >= MH_MAX_FLOW_ID)
		return NULL;
	f = &pba->flow_id[pba->n_flow_id++];
	memset(f, 0, sizeof(*f));
	return f;
}

unsigned mhf_apply(struct fmcache *fc, const struct bce *b, const struct mh_opts *pbu,
		   struct mh_opts *pba)
{
	unsigned changed = 0;

	for (uint8_t i = 0; i < pbu->n_flow_id; i++) {
		const struct mh_flow_id *f = &pbu->flow_id[i];
		bool reinst;
		uint8_t st = apply_one(fc, b, f, &changed, &reinst);
		struct mh_flow_id *r = pba_slot(pba);

		if (!r) {
			ev_warn("filter-status-dropped", b->mn->mn_id, (int)b->bid,
				"mhgid=%u fid=%u reason=pba-full", b->mhgid, f->fid);
			continue;
		}
		r->fid = f->fid;
		r->fid_pri = f->fid_pri;
		r->status = st;
		r->reserved = reinst ? XP_FID_F_REINSTANTIATED : 0;
	}
	return changed;
}

static bool pba_has(const struct mh_opts *pba, uint16_t fid)
{
	for (uint8_t i = 0; i < pba->n_flow_id; i++)
		if (pba->flow_id[i].fid == fid)
			return true;
	return false;
}

void mhf_report(const struct fmcache *fc, const struct bce *b, struct mh_opts *pba)
{
	const struct fm_entry *e;
	size_t n = fmcache_list(fc, b->mn->mn_id, &e);

	for (size_t i = 0; i < n; i++) {
		struct mh_flow_id *r;

		if (e[i].origin != FM_ORIGIN_MAG || e[i].mhgid != b->mhgid ||
		    !(e[i].eflags & FM_EF_REINSTANTIATED) || !owned_by(&e[i], b) ||
		    pba_has(pba, e[i].fid))
			continue;
		if (!(r = pba_slot(pba))) {
			ev_warn("filter-report-dropped", b->mn->mn_id, (int)b->bid,
				"mhgid=%u fid=%u reason=pba-full", b->mhgid, e[i].fid);
			continue;
		}
		r->fid = e[i].fid;
		r->fid_pri = e[i].fid_pri;
		r->reserved = XP_FID_F_REINSTANTIATED;
		r->status = XP_FID_S_SUCCESS;
		r->has_ts = true;
		r->ts = e[i].ts;
		r->has_action = true;
		r->action = e[i].action;
	}
}

const struct bce *mhf_pick_target(const struct bce *b)
{
	for (const struct bce *x = b->mn->bces; x; x = x->mn_next)
		if (x != b && in_group(x, b->mhgid) && x->state == BCE_ACTIVE)
			return x;
	return NULL;
}

/* a FID no filter of the group uses, from the top */
static uint16_t free_fid(const struct fmcache *fc, const char *mn, uint8_t mhgid)
{
	for (uint32_t fid = MHF_REINST_FID_TOP; fid > 0; fid--)
		if (!fmcache_get(fc, mn, FM_ORIGIN_MAG, mhgid, (uint16_t)fid))
			return (uint16_t)fid;
	return 0;
}

unsigned mhf_release(struct fmcache *fc, const struct bce *b, uint8_t act,
		     const struct bce *target, const char *why)
{
	struct fm_entry mine[FM_MAX_PER_MN];
	const char *mn = b->mn->mn_id;
	const struct fm_entry *e;
	size_t n = fmcache_list(fc, mn, &e), k = 0;
	unsigned changed = 0;

	for (size_t i = 0; i < n && k < FM_MAX_PER_MN; i++)
		if (e[i].origin == FM_ORIGIN_MAG && e[i].mhgid == b->mhgid && owned_by(&e[i], b))
			mine[k++] = e[i];
	for (size_t i = 0; i < k; i++) {
		struct fm_entry ne = mine[i];
		int rc = -ENOENT;

		if (fmcache_del(fc, mn, FM_ORIGIN_MAG, b->mhgid, mine[i].fid))
			continue;
		changed++;
		if (act == XP_MH_ACT_KEEP && target) {
			ne.fid = free_fid(fc, mn, b->mhgid);
			ne.eflags |= FM_EF_REINSTANTIATED;
			ne.n_bid = 1;
			ne.bid[0] = target->bid;
			rc = ne.fid ? fmcache_put(fc, mn, &ne, FM_PUT_ADD) : -ENOSPC;
			if (rc)
				ev_warn("filter-reinstantiate-failed", mn, (int)b->bid,
					"mhgid=%u fid=%u to_bid=%u err=%s", b->mhgid, mine[i].fid,
					target->bid, XP_LOGERR(-rc));
		}
		if (!rc)
			ev_info("filter-reinstantiated", mn, (int)b->bid,
				"mhgid=%u fid=%u to_bid=%u new_fid=%u pri=%u action=%s reason=%s",
				b->mhgid, mine[i].fid, target->bid, ne.fid, ne.fid_pri,
				act_name(ne.action), why);
		else
			ev_info("filter-removed", mn, (int)b->bid, "mhgid=%u fid=%u reason=%s",
				b->mhgid, mine[i].fid, why);
	}
	return changed;
}
