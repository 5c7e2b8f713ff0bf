/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lma.h - the Local Mobility Anchor (RFC 5213 section 5), usable without
 * sockets: lma_handle_pbu() takes an encoded PBU and returns the encoded
 * PBA, so tests drive it directly with a fake clock and maps created by
 * bpf_map_create (or none at all). xp_lma_ops (daemon.h) wraps it.
 */
#ifndef XPMIP_LMA_H
#define XPMIP_LMA_H

#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

#include "bcache.h"
#include "config.h"

struct evloop;

/* Map fds the LMA writes; -1 for a map it should leave alone */
struct lma_maps {
	int cfg, pfx, bind, mn, ul, peer, bce;
	int pfx64;	/* the /64 fast path (pfxmap.h); -1: every prefix in pfx */
	int bstat;	/* per-binding counters (bstat.h); -1: none */
	int fsel;	/* xp_fsel_v1: flow selectors per MN; -1: none */
	int flowstate;	/* xp_flow_v1: the flow mobility cache's restart state; -1: none */
};

struct lma_clock {
	uint64_t (*realtime_ms)(void *ctx);	/* CLOCK_REALTIME, ms */
	uint64_t (*mono_ms)(void *ctx);		/* CLOCK_MONOTONIC, ms */
	void *ctx;
};

/* Counters the control socket shows (`xpmipctl counters`) */
struct lma_stats {
	uint64_t pbu_rx, pba_tx, malformed, ignored;
	uint64_t accepted, rejected, dereg, expired, deleted;
	uint64_t by_status[256];
};

struct lma;

/* ev, maps and clk may be NULL (no timers armed; no map writes; real clock).
 * maps are borrowed, not closed by lma_free. */
int lma_new(const struct xp_config *cfg, struct evloop *ev, const struct lma_maps *maps,
	    const struct lma_clock *clk, struct lma **out);
void lma_free(struct lma *l);

/* Rebuild the binding cache from the xp_bce_v1 map, rewrite the data
 * plane entries, re-arm the timers. Returns the number of bindings restored
 * or -errno. */
int lma_restore(struct lma *l);
/* Write xp_cfg_v1 with XP_CFG_F_ENABLED */
int lma_write_cfg(struct lma *l);

/* Process one Mobility Header from src to dst; writes the answer (PBA) to
 * out and returns its length, 0 when nothing is to be sent (malformed or
 * not a BU), never fails on input. */
int lma_handle_pbu(struct lma *l, const uint8_t *buf, size_t len,
		   const struct in6_addr *src, const struct in6_addr *dst,
		   uint8_t *out, size_t cap);

/* Delete the bindings at Proxy-CoA pcoa last accepted before before_rt_ms
 * (CLOCK_REALTIME): that MAG restarted without them (heartbeat.h).
 * Returns how many. */
unsigned int lma_drop_stale(struct lma *l, const struct in6_addr *pcoa, uint64_t before_rt_ms);

/* Expire / delete every binding whose deadline has passed by the clock */
void lma_run_timers(struct lma *l);

/* Control commands: bindings, prefixes, mag-peers, lma-stats [--json] */
int lma_ctl(struct lma *l, int argc, char **argv, FILE *out);

/* The LMA's own Prometheus families (binding events); lma_metrics.c */
void lma_metrics(struct lma *l, FILE *out);

struct bcache *lma_bcache(struct lma *l);
/* The flow mobility cache (fmcache.h): entries of every origin */
struct fmcache *lma_fmcache(struct lma *l);
/* The map fds the LMA writes (borrowed) */
const struct lma_maps *lma_maps_of(const struct lma *l);

/*
 * Call after every change to the flow entries of MN m (and the LMA calls it
 * itself when one of m's bindings registers, de-registers or goes): writes
 * the MN's active selectors to xp_fsel_v1 and a new flow generation to
 * xp_mn_v1, which invalidates the data plane's flow cache for this MN.
 * m NULL (an MN without bindings): nothing to write.
 */
void lma_flows_changed(struct lma *l, struct bc_mn *m);
const struct lma_stats *lma_stats(const struct lma *l);

/* 001 2-level prefixes: the pinned xp_tlp_v1 (tlp.h) to persist blocks and
 * level-2 prefixes in; call before lma_restore. fd is borrowed. */
void lma_set_tlp_map(struct lma *l, int fd);

/* Create (or open and check) the pinned xp_bce_v1 map in dir: fd or -errno */
int lma_state_map_open(const char *dir, uint32_t max_bindings);	/* 0: built-in */

/* ---- RFC 7864 flow mobility signalling (fmsig.h) ---- */
struct fmsig;
struct fmsig_flow;
struct bc_mn;
/* How the LMA sends a Mobility Header of its own (UPN); without it none */
void lma_set_sender(struct lma *l, int (*send)(void *ctx, const struct in6_addr *dst,
					       const uint8_t *buf, size_t len), void *ctx);
/* The pinned xp_fmsig_v1 (lma_fmsig_map_open) the signalling state goes to
 * and is restored from by lma_restore; -1: none */
void lma_set_fmsig_map(struct lma *l, int fd);
int lma_fmsig_map_open(const char *dir);
/* The MN's flows (or bindings) changed: UPNs to the MAGs whose off-link
 * prefixes or flow state must follow (m NULL: nothing) */
void lma_fmsig_sync(struct lma *l, const struct bc_mn *m);
/* The same with the flows given (tests, and lma_fmsig_sync itself) */
void lma_fmsig_sync_flows(struct lma *l, const struct bc_mn *m, const struct fmsig_flow *flows,
			  unsigned n);
struct fmsig *lma_fmsig(struct lma *l);

#endif /* XPMIP_LMA_H */
