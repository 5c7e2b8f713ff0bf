// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* metrics.c - see metrics.h */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <arpa/inet.h>

#include "bstat.h"
#include "dataplane.h"
#include "evloop.h"
#include "json.h"
#include "metrics.h"
#include "prom.h"
#include "sigstats.h"
#include "xpmip_maps.h"

#define MAX_STATES	16	/* distinct state names a role reports */
#define NUM_STR		24	/* a decimal uint64 */

/* ---- bindings by state ---- */

struct state_count {
	const char *name[MAX_STATES];
	uint64_t n[MAX_STATES];
	unsigned used;
};

static void count_state(void *ctx, const struct xp_binding_info *b)
{
	struct state_count *sc = ctx;
	const char *s = b->state ? b->state : "unknown";

	for (unsigned i = 0; i < sc->used; i++)
		if (!strcmp(sc->name[i], s)) {
			sc->n[i]++;
			return;
		}
	if (sc->used < MAX_STATES) {
		/* role state names are static strings: safe to keep */
		sc->name[sc->used] = s;
		sc->n[sc->used++] = 1;
	}
}

static void bindings_family(struct xp_daemon *d, FILE *out)
{
	struct state_count sc = { .used = 0 };

	if (d->ops && d->ops->foreach_binding)
		d->ops->foreach_binding(d, count_state, &sc);
	prom_family(out, "xpmip_bindings", PROM_GAUGE,
		    "Bindings (LMA binding cache entries, MAG binding update list entries) by state.");
	for (unsigned i = 0; i < sc.used; i++)
		prom_sample3(out, "xpmip_bindings", sc.n[i], "state", sc.name[i], NULL, NULL, NULL,
			     NULL);
	if (!sc.used)
		prom_sample(out, "xpmip_bindings", 0, NULL);
}

/* ---- signalling ---- */

static void signalling_families(FILE *out)
{
	const struct xp_sig_stats *s = xp_sig_global();

	prom_family(out, "xpmip_mh_messages_total", PROM_COUNTER,
		    "Mobility Header messages sent (tx) and received (rx), by message type.");
	for (int dir = 0; dir < XP_SIG_DIR_MAX; dir++)
		for (int k = 0; k < XP_SIG_KIND_MAX; k++)
			prom_sample3(out, "xpmip_mh_messages_total", s->msgs[dir][k], "direction",
				     xp_sig_dir_name(dir), "type", xp_sig_kind_name(k), NULL, NULL);
	prom_family(out, "xpmip_mh_ack_status_total", PROM_COUNTER,
		    "Acknowledgements (PBA, UPA) sent and received, by status code.");
	for (int dir = 0; dir < XP_SIG_DIR_MAX; dir++)
		for (int a = 0; a < XP_SIG_ACK_MAX; a++)
			for (int st = 0; st < XP_SIG_STATUS_MAX; st++) {
				char num[NUM_STR];
				const char *l[] = { "direction", xp_sig_dir_name(dir), "type",
						    xp_sig_ack_name(a), "status", num, "name",
						    xp_sig_status_name(a, (uint8_t)st), NULL };

				if (!s->status[dir][a][st])
					continue;
				snprintf(num, sizeof(num), "%d", st);
				prom_sample(out, "xpmip_mh_ack_status_total", s->status[dir][a][st], l);
			}
	prom_family(out, "xpmip_mh_send_errors_total", PROM_COUNTER,
		    "Mobility Header messages the kernel refused to send.");
	prom_sample(out, "xpmip_mh_send_errors_total", s->send_errors, NULL);
}

/* ---- data plane ---- */

int xp_read_counters(struct xp_daemon *d, uint64_t *out)
{
	if (d->dp)
		return xp_dp_read_counters(d->dp, out);
	if (d->ops && d->ops->read_counters)
		return d->ops->read_counters(d, out);
	return -ENODEV;
}

static int packets_family(struct xp_daemon *d, FILE *out)
{
	uint64_t c[XP_R_MAX];
	int rc;

	if ((rc = xp_read_counters(d, c)))
		return rc == -ENODEV ? 0 : rc;
	prom_family(out, "xpmip_packets_total", PROM_COUNTER,
		    "Packets seen by the XDP programs, by verdict reason (xp_cnt_v1).");
	for (int i = 0; i < XP_R_MAX; i++)
		prom_sample3(out, "xpmip_packets_total", c[i], "reason", xp_reason_names[i], NULL,
			     NULL, NULL, NULL);
	return 0;
}

struct bstat_walk {
	FILE *out;
	int fd;
	int pass;		/* 0: packets, 1: bytes */
};

static void bstat_row(void *ctx, const struct xp_binding_info *b)
{
	struct bstat_walk *w = ctx;
	struct xp_bind_key k = { .mn_id = b->mn_idx, .bid = b->bid };
	struct xp_bind_stats s;
	char bid[NUM_STR];
	const char *name = w->pass ? "xpmip_binding_bytes_total" : "xpmip_binding_packets_total";

	if (xp_bstat_read(w->fd, &k, &s))
		return;		/* a binding without counters (being set up) */
	snprintf(bid, sizeof(bid), "%u", b->bid);
	prom_sample3(w->out, name, w->pass ? s.dl_bytes : s.dl_packets, "mn", b->mn_id, "bid", bid,
		     "direction", "dl");
	prom_sample3(w->out, name, w->pass ? s.ul_bytes : s.ul_packets, "mn", b->mn_id, "bid", bid,
		     "direction", "ul");
}

static void binding_traffic_families(struct xp_daemon *d, FILE *out)
{
	struct bstat_walk w = { .out = out, .fd = d->dp ? xp_dp_map_fd(d->dp, XP_MAP_BSTATS) : -1 };

	if (w.fd < 0 || !d->ops || !d->ops->foreach_binding)
		return;
	prom_family(out, "xpmip_binding_packets_total", PROM_COUNTER,
		    "Packets forwarded per binding (xp_bstat_v2), dl = towards the MN.");
	d->ops->foreach_binding(d, bstat_row, &w);
	w.pass = 1;
	prom_family(out, "xpmip_binding_bytes_total", PROM_COUNTER,
		    "Bytes forwarded per binding (xp_bstat_v2), dl = towards the MN.");
	d->ops->foreach_binding(d, bstat_row, &w);
}

int xp_metrics_write(struct xp_daemon *d, const char *version, FILE *out)
{
	const char *role = d->ops ? d->ops->name : "none";
	const char *inst = d->cfg ? d->cfg->instance : "";
	int rc;

	prom_family(out, "xpmip_info", PROM_GAUGE, "The daemon's version, role and instance.");
	prom_sample3(out, "xpmip_info", 1, "version", version, "role", role, "instance", inst);
	bindings_family(d, out);
	signalling_families(out);
	rc = packets_family(d, out);
	binding_traffic_families(d, out);
	if (d->ops && d->ops->metrics)
		d->ops->metrics(d, out);
	return rc;
}

/* ---- per-binding traffic: `xpmipctl traffic`, the data of `watch` ---- */

struct traffic_walk {
	FILE *out;
	int fd;
	enum xp_traffic_fmt fmt;
	unsigned n;
};

/* MN-IDs are NAIs; a stray tab or newline must not break a raw record */
static void raw_str(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' ? '?' : *s, out);
}

static void traffic_row(void *ctx, const struct xp_binding_info *b)
{
	struct traffic_walk *w = ctx;
	struct xp_bind_key k = { .mn_id = b->mn_idx, .bid = b->bid };
	struct xp_bind_stats s;
	char peer[INET6_ADDRSTRLEN];
	const char *state = b->state ? b->state : "unknown";

	(void)xp_bstat_read(w->fd, &k, &s);	/* zero when it has none yet */
	inet_ntop(AF_INET6, &b->peer, peer, sizeof(peer));
	switch (w->fmt) {
	case XP_TRAFFIC_RAW:
		raw_str(w->out, b->mn_id);
		fprintf(w->out, "\t%u\t%s\t%s\t%llu\t%llu\t%llu\t%llu\n", b->bid, state, peer,
			(unsigned long long)s.dl_packets, (unsigned long long)s.dl_bytes,
			(unsigned long long)s.ul_packets, (unsigned long long)s.ul_bytes);
		break;
	case XP_TRAFFIC_JSON:
		fprintf(w->out, "%s{\"mn_id\":", w->n ? "," : "");
		xp_json_str(w->out, b->mn_id);
		fprintf(w->out, ",\"bid\":%u,\"mn_idx\":%u,\"state\":\"%s\",\"peer\":\"%s\","
			"\"dl_packets\":%llu,\"dl_bytes\":%llu,\"ul_packets\":%llu,\"ul_bytes\":%llu}",
			b->bid, b->mn_idx, state, peer, (unsigned long long)s.dl_packets,
			(unsigned long long)s.dl_bytes, (unsigned long long)s.ul_packets,
			(unsigned long long)s.ul_bytes);
		break;
	case XP_TRAFFIC_TABLE:
		fprintf(w->out, "%-28s %5u %-13s %-26s %12llu %14llu %12llu %14llu\n", b->mn_id,
			b->bid, state, peer, (unsigned long long)s.dl_packets,
			(unsigned long long)s.dl_bytes, (unsigned long long)s.ul_packets,
			(unsigned long long)s.ul_bytes);
		break;
	}
	w->n++;
}

int xp_traffic_write(struct xp_daemon *d, enum xp_traffic_fmt fmt, FILE *out)
{
	struct traffic_walk w = { .out = out, .fmt = fmt,
				  .fd = d->dp ? xp_dp_map_fd(d->dp, XP_MAP_BSTATS) : -1 };

	if (!d->ops || !d->ops->foreach_binding) {
		fprintf(out, "this role reports no bindings\n");
		return -EOPNOTSUPP;
	}
	if (fmt == XP_TRAFFIC_RAW)
		fprintf(out, "time_ms\t%llu\n", (unsigned long long)evloop_now_ms());
	else if (fmt == XP_TRAFFIC_JSON)
		fprintf(out, "{\"time_ms\":%llu,\"traffic\":[", (unsigned long long)evloop_now_ms());
	else
		fprintf(out, "%-28s %5s %-13s %-26s %12s %14s %12s %14s\n", "MN-ID", "BID", "STATE",
			"PEER", "DL-PACKETS", "DL-BYTES", "UL-PACKETS", "UL-BYTES");
	d->ops->foreach_binding(d, traffic_row, &w);
	if (fmt == XP_TRAFFIC_JSON)
		fprintf(out, "],\"count\":%u}\n", w.n);
	else if (fmt == XP_TRAFFIC_TABLE)
		fprintf(out, "(%u bindings)\n", w.n);
	return 0;
}
