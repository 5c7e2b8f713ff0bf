/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * fmsig.h - the LMA's RFC 7864 flow mobility signalling (sections 3.2.2 -
 * 3.4): which off-link prefixes each MAG must carry for the flows the flow
 * mobility cache sends its way, the Flow Mobility Initiate (UPN, reason
 * FLOW-MOBILITY, A flag) that tells it, the Acknowledgement (UPA) it
 * answers, retransmission with back-off, and the same HNP options (L set)
 * in a PBA when the binding is being registered (3.3).
 *
 * The rule (fmsig_offlink_set): a binding B must carry, off-link, every
 * prefix of another binding of the same MN that a forwarding, active flow
 * bound to B can be addressed to (its traffic selector's destination range
 * overlaps the prefix, or it has none). Shared prefixes are B's own: no
 * signalling (with upn_flow_info, a UPN still carries the flows).
 *
 * Per binding (struct fmsig_ent) the module keeps the UPN last sent, as
 * encoded: a new UPN goes out only when its content differs. Without
 * sockets or event loop (hooks), so tests drive it directly; its state is
 * pinned in xp_fmsig_v1 (xpmip_state.h) through the hooks.
 */
#ifndef XPMIP_FMSIG_H
#define XPMIP_FMSIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

#include "bcache.h"
#include "config.h"
#include "evloop.h"
#include "mh_codec.h"
#include "xpmip_state.h"

/* One flow of an MN as the signalling needs it (from the flow mobility cache) */
struct fmsig_flow {
	uint16_t fid, fid_pri;
	uint16_t bid;			/* the binding it is sent to */
	uint8_t action;			/* XP_FBA_FORWARD / XP_FBA_DROP */
	bool active;
	bool has_ts;
	struct mh_ts ts;		/* RFC 6088 selector */
};

struct fmsig_hooks {
	void *ctx;
	uint64_t (*mono_ms)(void *ctx);
	/* one Mobility Header to a MAG: 0 or -errno */
	int (*send)(void *ctx, const struct in6_addr *dst, const uint8_t *buf, size_t len);
	/* persistence (xp_fmsig_v1); NULL: none. st NULL: delete */
	int (*store)(void *ctx, const struct xp_bind_key *k, const struct xp_fmsig_state *st);
	struct evloop *ev;		/* NULL: no timers (tests call fmsig_timer_fired) */
};

struct fmsig_stats {
	uint64_t upn_tx, upn_retx, upn_timeout, upn_deferred;
	uint64_t upa_rx, upa_unmatched;
	uint64_t upa_by_status[256];
	uint64_t pba_offlink;		/* PBAs that carried L-flagged HNPs (3.3) */
};

enum fmsig_state {
	FMSIG_PENDING = XP_FMSIG_S_PENDING,
	FMSIG_ACKED = XP_FMSIG_S_ACKED,
	FMSIG_FAILED = XP_FMSIG_S_FAILED,
};

struct fmsig;

struct fmsig_ent {
	struct fmsig_ent *next;
	struct fmsig *s;
	struct xp_bind_key key;
	char mn_id[XP_MNID_MAX_LEN + 1];
	struct in6_addr pcoa;
	enum fmsig_state state;
	uint16_t seq;
	uint8_t last_status;
	uint32_t tries;			/* transmissions of this UPN; 0: deferred */
	uint32_t timeout_ms;
	uint16_t len;
	uint8_t msg[MH_MAX_MSG_LEN];	/* the UPN last sent (or PBA content) */
	struct ev_timer timer;
};

/* Does the selector's destination range overlap prefix p? (no destination
 * in the selector: yes; an IPv4 selector: no) */
bool fmsig_ts_dst_overlaps(const struct mh_ts *ts, const struct xp_prefix *p);

/* The prefixes binding b (of MN m) must carry off-link for flows[0..n):
 * at most max into out, returns how many */
unsigned fmsig_offlink_set(const struct bc_mn *m, const struct bce *b,
			   const struct fmsig_flow *flows, unsigned n,
			   struct xp_prefix *out, unsigned max);

int fmsig_new(const struct xp_lma_config *lc, const struct fmsig_hooks *h, struct fmsig **out);
void fmsig_free(struct fmsig *s);

/*
 * The MN's flows changed (or its bindings did): for each active binding
 * compute what its MAG must hold and send a UPN where that differs from
 * the last one sent. defer: a PBU is being answered, so the UPNs go out on
 * the next event loop turn (fmsig_run_timers without a loop), after the
 * PBA, never before it.
 */
void fmsig_sync(struct fmsig *s, const struct bc_mn *m, const struct fmsig_flow *flows,
		unsigned n, bool defer);

/* 3.3: add b's off-link HNP options (L set) to the accepting PBA and
 * record that its MAG holds them */
void fmsig_pba(struct fmsig *s, const struct bce *b, const struct fmsig_flow *flows,
	       unsigned n, struct mh_msg *pba);

/* A UPA from src: 0 when it answered a pending UPN, -ENOENT otherwise */
int fmsig_on_upa(struct fmsig *s, const struct mh_msg *upa, const struct in6_addr *src);

/* The binding is gone: forget (and unpin) its state */
void fmsig_forget(struct fmsig *s, const struct bce *b);

/* Retransmit or give up (the entry's timer) */
void fmsig_timer_fired(struct fmsig_ent *e);
/* Fire every armed-or-deferred entry whose time has come (tests) */
void fmsig_run_timers(struct fmsig *s);

/* Take one pinned entry back after a restart; a pending UPN is sent again */
int fmsig_restore(struct fmsig *s, const struct xp_bind_key *k, const struct xp_fmsig_state *st);

struct fmsig_ent *fmsig_get(struct fmsig *s, uint32_t mn_idx, uint16_t bid);
const struct fmsig_stats *fmsig_stats(const struct fmsig *s);
/* `xpmipctl upn` : one row per binding with signalling state */
void fmsig_print(const struct fmsig *s, FILE *out, bool json);

#endif /* XPMIP_FMSIG_H */
