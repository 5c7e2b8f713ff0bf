/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * daemon.h - what every role of xpmipd shares, and the role interface.
 *
 * xpmipd.c parses the command line and the config, opens the event loop,
 * the data plane, the MH socket and the control socket, then hands the
 * daemon to its role (lma.c, mag.c; later mn.c). A role never exits the
 * process: it returns errors to xpmipd.c, which logs and unwinds.
 */
#ifndef XPMIP_DAEMON_H
#define XPMIP_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

#include "config.h"
#include "mh_sock.h"

struct evloop;
struct xp_dp;
struct ctl_sock;
struct hb;

struct mh_txq;
struct xp_role_ops;

/* One binding as the operator layer sees it (metrics, `traffic`, watch):
 * the role fills it from its own tables; strings are borrowed for the
 * duration of the callback. */
struct xp_binding_info {
	const char *mn_id;		/* the MN-ID (NAI) */
	uint32_t mn_idx;		/* data plane MN index: xp_bind_key.mn_id */
	uint16_t bid;
	const char *state;		/* the role's state name */
	struct in6_addr peer;		/* LMA: the Proxy-CoA; MAG: the LMA */
	const struct xp_prefix *hnp;	/* its home network prefixes */
	uint8_t n_hnp;
	const uint8_t *mac;		/* MN interface MAC (MN-LL-ID), or NULL */
};
typedef void (*xp_binding_cb)(void *ctx, const struct xp_binding_info *b);

struct xp_daemon {
	const struct xp_role_ops *ops;	/* the running role */
	struct xp_config *cfg;
	struct evloop *ev;
	struct xp_dp *dp;
	struct ctl_sock *ctl;
	int mh_fd;			/* raw MH socket */
	struct mh_txq *mh_txq;		/* replies to the batch being handled;
					 * sent after it (NULL: send at once) */
	struct mh_rx_drops mh_drops;	/* what the MH socket dropped so far */
	bool flush_on_stop;		/* --flush: remove pinned state */
	void *role_state;		/* owned by the role */
	struct hb *hb;			/* RFC 5847 heartbeats (heartbeat.h), owned
					 * by the role; NULL when off */
};

struct xp_role_ops {
	const char *name;
	enum xp_role role;
	/* Open role sockets, attach programs, rebuild state from the pinned
	 * maps, start timers. 0 or -errno. */
	int (*start)(struct xp_daemon *d);
	/* One received Mobility Header (already read from d->mh_fd) */
	void (*on_mh)(struct xp_daemon *d, const uint8_t *buf, size_t len,
		      const struct in6_addr *src, const struct in6_addr *dst, int ifindex);
	/* Role-specific control commands; -ENOENT for an unknown command */
	int (*ctl)(struct xp_daemon *d, int argc, char **argv, FILE *out);
	/* Walk every binding (metrics, `xpmipctl traffic` / `watch`); may be NULL */
	void (*foreach_binding)(struct xp_daemon *d, xp_binding_cb cb, void *ctx);
	/* The reason counters of a role whose programs are not in d->dp (the
	 * MN's TC programs); NULL: d->dp's */
	int (*read_counters)(struct xp_daemon *d, uint64_t *out);	/* XP_R_MAX */
	/* Write the role's own Prometheus metric families; may be NULL */
	void (*metrics)(struct xp_daemon *d, FILE *out);
	/* Stop timers, release sockets; the pinned maps stay unless
	 * d->flush_on_stop. */
	void (*stop)(struct xp_daemon *d);
};

extern const struct xp_role_ops xp_lma_ops;
extern const struct xp_role_ops xp_mag_ops;
extern const struct xp_role_ops xp_mn_ops;

#endif /* XPMIP_DAEMON_H */
