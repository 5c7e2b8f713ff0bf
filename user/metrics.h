/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * metrics.h - what an operator's tools read from a running xpmipd:
 *
 *  - xp_metrics_write(): the Prometheus text exposition, served by
 *    `xpmipctl metrics` (control socket) and by the HTTP responder
 *    (metrics_http.h) when metrics_listen is configured. Families:
 *      xpmip_info{version,role,instance}                 gauge 1
 *      xpmip_bindings{state}                             gauge
 *      xpmip_mh_messages_total{direction,type}           counter
 *      xpmip_mh_ack_status_total{direction,type,status,name} counter
 *      xpmip_mh_send_errors_total                        counter
 *      xpmip_packets_total{reason}                       counter (xp_cnt_v1)
 *      xpmip_binding_packets_total{mn,bid,direction}     counter (xp_bstat_v2)
 *      xpmip_binding_bytes_total{mn,bid,direction}       counter (xp_bstat_v2)
 *    then the role's own families (xp_role_ops.metrics).
 *  - xp_traffic_write(): per-binding traffic (`xpmipctl traffic`, the data
 *    behind `xpmipctl watch`), as a table, JSON, or tab-separated records.
 *
 * A role plugs in through xp_role_ops.foreach_binding (daemon.h): every
 * binding it reports gets its state counted and its xp_bstat_v2 counters
 * exported, labelled with its MN-ID and BID.
 */
#ifndef XPMIP_METRICS_H
#define XPMIP_METRICS_H

#include <stdio.h>

#include "daemon.h"

/* The running role's verdict counters (xp_cnt_v1, summed over CPUs) into
 * out[XP_R_MAX]: the LMA's and MAG's XDP programs, or the MN's TC
 * programs. 0, -ENODEV (no data plane) or -errno. */
int xp_read_counters(struct xp_daemon *d, uint64_t *out);

/* Prometheus text; 0 or -errno (the body is still usable on a partial read) */
int xp_metrics_write(struct xp_daemon *d, const char *version, FILE *out);

enum xp_traffic_fmt {
	XP_TRAFFIC_TABLE,
	XP_TRAFFIC_JSON,
	XP_TRAFFIC_RAW,		/* one binding per line, tab-separated (watch) */
};
int xp_traffic_write(struct xp_daemon *d, enum xp_traffic_fmt fmt, FILE *out);

/* Field order of XP_TRAFFIC_RAW lines (after a first line "time_ms\t<ms>") */
#define XP_TRAFFIC_RAW_FIELDS \
	"mn_id\tbid\tstate\tpeer\tdl_packets\tdl_bytes\tul_packets\tul_bytes"

#endif /* XPMIP_METRICS_H */
