// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* flowctl.c - `xpmipctl flow add|del|move|list` on the LMA (flowctl.h) */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "json.h"
#include "bstat.h"
#include "flowctl.h"
#include "flowdp.h"
#include "flowsel.h"
#include "fmcache.h"
#include "lma.h"
#include "log.h"

#define SEL_TXT		512
#define BIDS_TXT	(FM_MAX_BIDS * 6 + 1)

static const char *bids_str(const uint16_t *bid, uint8_t n, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	if (!n)
		snprintf(buf, len, "-");
	for (uint8_t i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%u", i ? "," : "", bid[i]);
	return buf;
}

static const char *action_name(uint8_t a)
{
	return a == XP_FBA_DROP ? "drop" : "forward";
}

static const char *origin_name(uint8_t o)
{
	return o == FM_ORIGIN_MAG ? "mag" : "operator";
}

/* every BID of e must be one of m's bindings: 0 or -ENOENT with a message */
static int check_bids(const struct bc_mn *m, const char *mn, const struct fm_entry *e, FILE *out)
{
	for (uint8_t i = 0; i < e->n_bid; i++) {
		bool found = false;

		for (const struct bce *b = m ? m->bces : NULL; b && !found; b = b->mn_next)
			found = b->bid == e->bid[i];
		if (!found) {
			fprintf(out, "flow: MN '%s' has no binding with BID %u (see: xpmipctl bindings)\n",
				mn, e->bid[i]);
			return -ENOENT;
		}
	}
	return 0;
}

static int put_error(FILE *out, int rc, const char *mn, const struct fm_entry *e)
{
	switch (rc) {
	case -EEXIST:
		fprintf(out, "flow: MN '%s' already has a flow with FID %u (flow del it, or flow move it)\n",
			mn, e->fid);
		break;
	case -ENOSPC:
		fprintf(out, "flow: table full: an MN has at most %d flow entries and at most %u MNs have any\n",
			FM_MAX_PER_MN, FM_MAX_MNS);
		break;
	case -ENOENT:
		fprintf(out, "flow: MN '%s' has no flow with FID %u\n", mn, e->fid);
		break;
	default:
		fprintf(out, "flow: cannot store the flow of MN '%s' FID %u: %s\n", mn, e->fid,
			strerror(-rc));
		break;
	}
	return rc;
}

struct list_ctx {
	struct lma *l;
	FILE *out;
	bool json;
	uint8_t origin;		/* 0: every entry; else only this origin */
	unsigned n;
};

static void list_mn(const char *mn, const struct fm_entry *e, size_t n, void *ctx)
{
	struct list_ctx *w = ctx;
	const struct bc_mn *m = bcache_mn(lma_bcache(w->l), mn);

	for (size_t i = 0; i < n; i++) {
		char sel[SEL_TXT], bids[BIDS_TXT];
		bool act = flowdp_entry_active(&e[i], m);
		uint16_t using = flowdp_entry_bid(&e[i], m);

		if (w->origin && e[i].origin != w->origin)
			continue;
		flowsel_format(&e[i].ts, sel, sizeof(sel));
		bids_str(e[i].bid, e[i].n_bid, bids, sizeof(bids));
		if (!w->json) {
			fprintf(w->out, "%-28s %5u %5u %-10s %3u %-12s %5u %-7s %-8s %s\n", mn, e[i].fid,
				e[i].fid_pri, e[i].eflags & FM_EF_REINSTANTIATED ? "mag-reinst" :
				origin_name(e[i].origin), e[i].mhgid, bids, using,
				action_name(e[i].action), act ? "active" : "inactive", sel);
		} else {
			fprintf(w->out, "%s{\"mn_id\":", w->n ? "," : "");
			xp_json_str(w->out, mn);
			fprintf(w->out, ",\"fid\":%u,\"fid_pri\":%u,\"origin\":\"%s\",\"mhgid\":%u,"
				"\"bids\":[", e[i].fid, e[i].fid_pri, origin_name(e[i].origin),
				e[i].mhgid);
			for (uint8_t j = 0; j < e[i].n_bid; j++)
				fprintf(w->out, "%s%u", j ? "," : "", e[i].bid[j]);
			fprintf(w->out, "],\"bid\":%u,\"action\":\"%s\",\"active\":%s,"
				"\"reinstantiated\":%s,\"selector\":", using, action_name(e[i].action),
				act ? "true" : "false",
				e[i].eflags & FM_EF_REINSTANTIATED ? "true" : "false");
			xp_json_str(w->out, sel);
			fputc('}', w->out);
		}
		w->n++;
	}
}

static int do_list(struct lma *l, const struct flow_cmd *c, uint8_t origin, FILE *out)
{
	struct list_ctx w = { .l = l, .out = out, .json = c->json, .origin = origin };
	struct fmcache *fm = lma_fmcache(l);
	const char *what = origin == FM_ORIGIN_MAG ? "filters" : "flows";

	if (w.json)
		fprintf(out, "{\"%s\":[", what);
	else
		fprintf(out, "%-28s %5s %5s %-10s %3s %-12s %5s %-7s %-8s %s\n", "MN-ID", "FID", "PRI",
			"ORIGIN", "MHG", "BIDS", "USING", "ACTION", "STATE", "SELECTOR");
	if (c->mn) {
		const struct fm_entry *e;
		size_t n = fmcache_list(fm, c->mn, &e);

		list_mn(c->mn, e, n, &w);
	} else {
		fmcache_foreach_mn(fm, list_mn, &w);
	}
	if (w.json)
		fprintf(out, "],\"count\":%u}\n", w.n);
	else
		fprintf(out, "(%u %s)\n", w.n, what);
	return 0;
}

int flowctl_filters(struct lma *l, int argc, char **argv, FILE *out)
{
	struct flow_cmd c;

	memset(&c, 0, sizeof(c));
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			c.json = true;
		else if (!c.mn && argv[i][0] != '-')
			c.mn = argv[i];
		else {
			fprintf(out, "filters: unexpected '%s' (filters [MN] [--json])\n", argv[i]);
			return -EINVAL;
		}
	}
	return do_list(l, &c, FM_ORIGIN_MAG, out);
}

int flowctl_run(struct lma *l, int argc, char **argv, FILE *out)
{
	char err[FLOWSEL_ERR_MAX], sel[SEL_TXT], bids[BIDS_TXT];
	struct fmcache *fm = lma_fmcache(l);
	struct flow_cmd c;
	struct bc_mn *m;
	int rc;

	if (flow_cmd_parse(argc, argv, &c, err)) {
		fprintf(out, "flow: %s\n", err);
		return -EINVAL;
	}
	if (c.op == FLOW_OP_LIST)
		return do_list(l, &c, 0, out);
	m = bcache_mn(lma_bcache(l), c.mn);
	switch (c.op) {
	case FLOW_OP_ADD:
		if (!m) {
			fprintf(out, "flow: MN '%s' has no binding (flows are added to attached MNs)\n",
				c.mn);
			return -ENOENT;
		}
		if ((rc = check_bids(m, c.mn, &c.e, out)))
			return rc;
		if ((rc = fmcache_put(fm, c.mn, &c.e, FM_PUT_ADD)))
			return put_error(out, rc, c.mn, &c.e);
		lma_flows_changed(l, m);
		ev_info("flow-added", c.mn, -1, "fid=%u pri=%u bid=%s action=%s selector=\"%s\"",
			c.e.fid, c.e.fid_pri, bids_str(c.e.bid, c.e.n_bid, bids, sizeof(bids)),
			action_name(c.e.action), flowsel_format(&c.e.ts, sel, sizeof(sel)));
		fprintf(out, "flow added: %s fid %u pri %u bid %s action %s %s\n", c.mn, c.e.fid,
			c.e.fid_pri, bids, action_name(c.e.action), sel);
		return 0;
	case FLOW_OP_DEL:
		if ((rc = fmcache_del(fm, c.mn, FM_ORIGIN_OPERATOR, 0, c.e.fid)))
			return put_error(out, rc, c.mn, &c.e);
		lma_flows_changed(l, m);
		ev_info("flow-deleted", c.mn, -1, "fid=%u", c.e.fid);
		fprintf(out, "flow deleted: %s fid %u\n", c.mn, c.e.fid);
		return 0;
	case FLOW_OP_MOVE:
		if (!fmcache_get(fm, c.mn, FM_ORIGIN_OPERATOR, 0, c.e.fid))
			return put_error(out, -ENOENT, c.mn, &c.e);
		if ((rc = check_bids(m, c.mn, &c.e, out)))
			return rc;
		if ((rc = fmcache_set_bids(fm, c.mn, FM_ORIGIN_OPERATOR, 0, c.e.fid, c.e.n_bid,
					   c.e.bid)))
			return put_error(out, rc, c.mn, &c.e);
		lma_flows_changed(l, m);
		bids_str(c.e.bid, c.e.n_bid, bids, sizeof(bids));
		ev_info("flow-moved", c.mn, -1, "fid=%u bid=%s", c.e.fid, bids);
		fprintf(out, "flow moved: %s fid %u bid %s\n", c.mn, c.e.fid, bids);
		return 0;
	default:
		return -EINVAL;
	}
}

struct bstat_ctx {
	int fd;
	FILE *out;
	bool json;
	unsigned n;
};

static void bstat_row(struct bce *b, void *ctx)
{
	struct bstat_ctx *w = ctx;
	struct xp_bind_key k = { .mn_id = b->mn->idx, .bid = b->bid };
	struct xp_bind_stats st;
	char pc[INET6_ADDRSTRLEN];

	xp_bstat_read(w->fd, &k, &st);	/* none yet: zeros */
	inet_ntop(AF_INET6, &b->pcoa, pc, sizeof(pc));
	if (w->json) {
		fprintf(w->out, "%s{\"mn_id\":", w->n ? "," : "");
		xp_json_str(w->out, b->mn->mn_id);
		fprintf(w->out, ",\"bid\":%u,\"pcoa\":\"%s\",\"dl_packets\":%llu,\"dl_bytes\":%llu,"
			"\"ul_packets\":%llu,\"ul_bytes\":%llu}", b->bid, pc,
			(unsigned long long)st.dl_packets, (unsigned long long)st.dl_bytes,
			(unsigned long long)st.ul_packets, (unsigned long long)st.ul_bytes);
	} else {
		fprintf(w->out, "%-28s %5u %-26s %12llu %14llu %12llu %14llu\n", b->mn->mn_id, b->bid,
			pc, (unsigned long long)st.dl_packets, (unsigned long long)st.dl_bytes,
			(unsigned long long)st.ul_packets, (unsigned long long)st.ul_bytes);
	}
	w->n++;
}

int flowctl_binding_stats(struct lma *l, int argc, char **argv, FILE *out)
{
	struct bstat_ctx w = { .fd = lma_maps_of(l)->bstat, .out = out };

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json")) {
			fprintf(out, "binding-stats: unknown argument '%s'\n", argv[i]);
			return -EINVAL;
		}
		w.json = true;
	}
	if (w.json)
		fprintf(out, "{\"bindings\":[");
	else
		fprintf(out, "%-28s %5s %-26s %12s %14s %12s %14s\n", "MN-ID", "BID", "PROXY-COA",
			"DL-PACKETS", "DL-BYTES", "UL-PACKETS", "UL-BYTES");
	bcache_foreach(lma_bcache(l), bstat_row, &w);
	if (w.json)
		fprintf(out, "],\"count\":%u}\n", w.n);
	else
		fprintf(out, "(%u bindings)\n", w.n);
	return 0;
}
