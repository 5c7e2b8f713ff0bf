// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* mag_mh.c - 004 Multihoming option and filters at the MAG (mag_mh.h) */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flowsel.h"
#include "json.h"
#include "log.h"
#include "mag_mh.h"

#define SEL_TXT		512
#define MAC_TXT		18

static const char *mac_txt(const uint8_t mac[6], char buf[MAC_TXT])
{
	snprintf(buf, MAC_TXT, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
	return buf;
}

static const char *act_name(uint8_t a)
{
	return a == XP_FBA_DROP ? "drop" : "forward";
}

void mag_mh_attach(struct mag_entry *e, const struct xp_mag_mn_profile *p)
{
	e->mh = p->multihoming;
	e->mhgid = p->mhgid;
	e->mh_act = p->mh_on_remove;
	e->n_filt = 0;
	for (uint8_t i = 0; p->multihoming && i < p->n_filters && i < MAG_MAX_FILT; i++) {
		e->filt[i].f = p->filters[i];
		e->filt[i].f.status = MAG_FILT_PENDING;
		e->filt[i].flags = 0;
		e->n_filt++;
	}
}

int mag_mh_add_pbu(const struct mag_entry *e, struct mh_msg *msg, bool dereg)
{
	struct mh_opts *o = &msg->opt;

	if (!e->mh)
		return 0;
	o->present |= MH_HAS_MULTIHOMING;
	o->mhgid = e->mhgid;
	o->mh_act = dereg ? e->mh_act : 0;	/* 004 4.1: ACT only on removal */
	if (dereg)
		return 0;
	for (uint8_t i = 0; i < e->n_filt; i++) {
		const struct mag_filter *f = &e->filt[i];
		struct mh_flow_id *w;

		if ((f->flags & MAG_FF_REINST) && !(f->flags & MAG_FF_DELETE))
			continue;	/* the LMA's, not ours to repeat */
		if (o->n_flow_id >= MH_MAX_FLOW_ID)
			return MH_E_INVAL;
		w = &o->flow_id[o->n_flow_id++];
		memset(w, 0, sizeof(*w));
		w->fid = f->f.fid;
		w->fid_pri = f->f.fid_pri;
		w->has_action = true;
		if (f->flags & MAG_FF_DELETE) {
			w->action = XP_FBA_DELETE;
		} else {
			w->action = f->f.action;
			w->has_ts = true;
			w->ts = f->f.ts;
		}
	}
	return 0;
}

static int find(const struct mag_entry *e, uint16_t fid)
{
	for (uint8_t i = 0; i < e->n_filt; i++)
		if (e->filt[i].f.fid == fid)
			return i;
	return -1;
}

static void drop_at(struct mag_entry *e, int i)
{
	memmove(&e->filt[i], &e->filt[i + 1], (size_t)(e->n_filt - i - 1) * sizeof(e->filt[0]));
	e->n_filt--;
}

bool mag_mh_on_pba(struct mag_entry *e, const struct mh_msg *msg)
{
	const struct mh_opts *o = &msg->opt;
	bool seen[MAG_MAX_FILT] = { false }, changed = false;
	char mb[MAC_TXT], sel[SEL_TXT];

	if (!e->mh)
		return false;
	for (uint8_t k = 0; k < o->n_flow_id; k++) {
		const struct mh_flow_id *r = &o->flow_id[k];
		int i = find(e, r->fid);

		if ((r->reserved & XP_FID_F_REINSTANTIATED) && r->has_ts) {
			/* a filter the LMA moved here from another interface */
			if (i >= 0 && !(e->filt[i].flags & MAG_FF_REINST))
				continue;	/* ours by now */
			if (i < 0) {
				if (e->n_filt >= MAG_MAX_FILT) {
					ev_warn("filter-report-dropped", e->mn_id, (int)e->bid,
						"mac=%s mhgid=%u fid=%u reason=table-full",
						mac_txt(e->mac, mb), e->mhgid, r->fid);
					continue;
				}
				i = e->n_filt++;
				ev_info("filter-reinstantiated", e->mn_id, (int)e->bid,
					"mac=%s mhgid=%u fid=%u pri=%u action=%s selector=\"%s\"",
					mac_txt(e->mac, mb), e->mhgid, r->fid, r->fid_pri,
					act_name(r->action),
					flowsel_format(&r->ts, sel, sizeof(sel)));
				changed = true;
			}
			e->filt[i].f = *r;
			e->filt[i].f.reserved = 0;
			e->filt[i].flags = MAG_FF_REINST;
			seen[i] = true;
			continue;
		}
		if (i < 0)
			continue;
		seen[i] = true;
		if (e->filt[i].flags & MAG_FF_DELETE) {
			if (r->status == XP_FID_S_SUCCESS || r->status == XP_FID_S_FID_NOT_FOUND) {
				ev_info("filter-deleted", e->mn_id, (int)e->bid,
					"mac=%s mhgid=%u fid=%u status=%u", mac_txt(e->mac, mb),
					e->mhgid, r->fid, r->status);
				drop_at(e, i);
				memmove(&seen[i], &seen[i + 1], (size_t)(MAG_MAX_FILT - i - 1));
				changed = true;
			}
			continue;
		}
		if (e->filt[i].f.status != r->status) {
			ev_info(r->status == XP_FID_S_SUCCESS ? "filter-accepted" : "filter-rejected", e->mn_id,
				(int)e->bid, "mac=%s mhgid=%u fid=%u status=%u",
				mac_txt(e->mac, mb), e->mhgid, r->fid, r->status);
			e->filt[i].f.status = r->status;
			changed = true;
		}
	}
	/* re-instantiated filters the LMA no longer lists are gone */
	for (int i = e->n_filt - 1; i >= 0; i--)
		if ((e->filt[i].flags & MAG_FF_REINST) && !seen[i]) {
			ev_info("filter-reinstantiated-gone", e->mn_id, (int)e->bid,
				"mac=%s mhgid=%u fid=%u", mac_txt(e->mac, mb), e->mhgid,
				e->filt[i].f.fid);
			drop_at(e, i);
			changed = true;
		}
	return changed;
}

void mag_mh_to_state(const struct mag_entry *e, struct xp_mag_mh_val *v)
{
	memset(v, 0, sizeof(*v));
	v->version = XP_MAG_MH_VERSION;
	v->mh = e->mh;
	v->mhgid = e->mhgid;
	v->act = e->mh_act;
	v->n = e->n_filt;
	for (uint8_t i = 0; i < e->n_filt; i++) {
		struct xp_mag_filt *s = &v->f[i];

		fm_ts_to_state(&e->filt[i].f.ts, &s->ts);
		s->fid = e->filt[i].f.fid;
		s->fid_pri = e->filt[i].f.fid_pri;
		s->action = e->filt[i].f.action;
		s->status = e->filt[i].f.status;
		s->flags = e->filt[i].flags;
	}
}

int mag_mh_from_state(struct mag_entry *e, const struct xp_mag_mh_val *v)
{
	if (v->version != XP_MAG_MH_VERSION || v->n > MAG_MAX_FILT)
		return -EPROTO;
	e->mh = v->mh;
	e->mhgid = v->mhgid;
	e->mh_act = v->act;
	e->n_filt = v->n;
	for (uint8_t i = 0; i < v->n; i++) {
		struct mag_filter *f = &e->filt[i];

		memset(f, 0, sizeof(*f));
		fm_ts_from_state(&v->f[i].ts, &f->f.ts);
		f->f.has_ts = true;
		f->f.has_action = true;
		f->f.fid = v->f[i].fid;
		f->f.fid_pri = v->f[i].fid_pri;
		f->f.action = v->f[i].action;
		f->f.status = v->f[i].status;
		f->flags = v->f[i].flags;
	}
	return 0;
}

/* ---- xpmipctl filters / filter ---- */

static const char *state_of(const struct mag_filter *f)
{
	if (f->flags & MAG_FF_DELETE)
		return "deleting";
	if (f->f.status == MAG_FILT_PENDING)
		return "pending";
	return f->f.status == XP_FID_S_SUCCESS ? "installed" : "rejected";
}

static int list(struct mag *m, bool json, FILE *out)
{
	unsigned n = 0;

	if (json)
		fprintf(out, "{\"filters\":[");
	else
		fprintf(out, "%-17s %-24s %5s %3s %5s %5s %-7s %-9s %6s %-6s %s\n", "MAC", "MN-ID",
			"BID", "MHG", "FID", "PRI", "ACTION", "STATE", "STATUS", "ORIGIN", "SELECTOR");
	for (const struct mag_entry *e = m->head; e; e = e->next) {
		char mb[MAC_TXT], sel[SEL_TXT];

		for (uint8_t i = 0; e->mh && i < e->n_filt; i++) {
			const struct mag_filter *f = &e->filt[i];
			const char *origin = f->flags & MAG_FF_REINST ? "reinst" : "mag";

			flowsel_format(&f->f.ts, sel, sizeof(sel));
			mac_txt(e->mac, mb);
			if (json) {
				fprintf(out, "%s{\"mac\":\"%s\",\"mn_id\":", n ? "," : "", mb);
				xp_json_str(out, e->mn_id);
				fprintf(out, ",\"bid\":%u,\"mhgid\":%u,\"fid\":%u,\"fid_pri\":%u,"
					"\"action\":\"%s\",\"state\":\"%s\",\"status\":", e->bid,
					e->mhgid, f->f.fid, f->f.fid_pri, act_name(f->f.action),
					state_of(f));
				if (f->f.status == MAG_FILT_PENDING)
					fprintf(out, "null");
				else
					fprintf(out, "%u", f->f.status);
				fprintf(out, ",\"reinstantiated\":%s,\"selector\":",
					f->flags & MAG_FF_REINST ? "true" : "false");
				xp_json_str(out, sel);
				fputc('}', out);
			} else {
				char st[8] = "-";

				if (f->f.status != MAG_FILT_PENDING)
					snprintf(st, sizeof(st), "%u", f->f.status);
				fprintf(out, "%-17s %-24s %5u %3u %5u %5u %-7s %-9s %6s %-6s %s\n", mb,
					e->mn_id, e->bid, e->mhgid, f->f.fid, f->f.fid_pri,
					act_name(f->f.action), state_of(f), st, origin, sel);
			}
			n++;
		}
	}
	if (json)
		fprintf(out, "]}\n");
	else
		fprintf(out, "(%u filters)\n", n);
	return 0;
}

static void changed(struct mag *m, struct mag_entry *e, const char *op,
		    const struct mh_flow_id *f)
{
	char mb[MAC_TXT], sel[SEL_TXT];

	ev_info("filter-changed", e->mn_id, (int)e->bid,
		"op=%s mac=%s mhgid=%u fid=%u pri=%u action=%s selector=\"%s\"", op, mac_txt(e->mac, mb),
		e->mhgid, f->fid, f->fid_pri, act_name(f->action),
		f->has_ts ? flowsel_format(&f->ts, sel,
		sizeof(sel)) : "-");
	if (m->h.store && m->h.store(m->h.ctx, e))
		ev_warn("bul-store-failed", e->mn_id, (int)e->bid, "mac=%s", mb);
	/* 004 3.3: the change rides on a renewal (HI 5) */
	mag_refresh_now(m, e);
}

int mag_mh_ctl(struct mag *m, int argc, char **argv, FILE *out)
{
	char err[FLOWSEL_ERR_MAX];
	struct mag_entry *e;
	struct mh_flow_id f;
	uint8_t mac[6];
	int i;

	if (!strcmp(argv[0], "filters"))
		return list(m, argc > 1 && !strcmp(argv[argc - 1], "--json"), out);
	if (argc < 3 || (strcmp(argv[1], "add") && strcmp(argv[1], "mod") &&
			 strcmp(argv[1], "del")) || xp_mac_parse(argv[2], mac)) {
		fprintf(out, "usage: filter add|mod MAC fid N [pri N] [action forward|drop] "
			"SELECTOR... | filter del MAC FID\n");
		return -EINVAL;
	}
	e = mag_find(m, mac);
	if (!e || !e->mh) {
		fprintf(out, "filter: no multihoming MN interface %s (profile multihoming = true)\n",
			argv[2]);
		return -ESRCH;
	}
	if (!strcmp(argv[1], "del")) {
		char *end = NULL;
		unsigned long fid = argc == 4 ? strtoul(argv[3], &end, 10) : 0;

		if (argc != 4 || !end || *end || !fid || fid > UINT16_MAX) {
			fprintf(out, "usage: filter del MAC FID\n");
			return -EINVAL;
		}
		i = find(e, (uint16_t)fid);
		if (i < 0 || (e->filt[i].flags & MAG_FF_DELETE)) {
			fprintf(out, "filter: %s has no filter with FID %lu\n", argv[2], fid);
			return -ENOENT;
		}
		e->filt[i].flags = MAG_FF_DELETE;
		e->filt[i].f.status = MAG_FILT_PENDING;
		changed(m, e, "del", &e->filt[i].f);
		fprintf(out, "filter deleted: %s fid %lu, refreshing\n", argv[2], fid);
		return 0;
	}
	if (flowsel_filter_parse(argc - 3, argv + 3, &f, err)) {
		fprintf(out, "%s\n", err);
		return -EINVAL;
	}
	i = find(e, f.fid);
	if (!strcmp(argv[1], "add")) {
		if (i >= 0 && !(e->filt[i].flags & MAG_FF_DELETE)) {
			fprintf(out, "filter: %s already has FID %u (filter mod it)\n", argv[2], f.fid);
			return -EEXIST;
		}
		if (i < 0 && e->n_filt >= MAG_MAX_FILT) {
			fprintf(out, "filter: %s has %d filters already\n", argv[2], MAG_MAX_FILT);
			return -ENOSPC;
		}
		if (i < 0)
			i = e->n_filt++;
	} else if (i < 0 || (e->filt[i].flags & MAG_FF_DELETE)) {
		fprintf(out, "filter: %s has no filter with FID %u\n", argv[2], f.fid);
		return -ENOENT;
	}
	f.status = MAG_FILT_PENDING;
	e->filt[i].f = f;
	e->filt[i].flags = 0;	/* a re-instantiated one modified is ours now */
	changed(m, e, argv[1], &f);
	fprintf(out, "filter %s: %s fid %u, refreshing\n", !strcmp(argv[1], "add") ? "added" :
		"modified", argv[2], f.fid);
	return 0;
}
