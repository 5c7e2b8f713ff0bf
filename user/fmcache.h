/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * fmcache.h - the LMA's flow mobility cache (RFC 7864 section 5.2).
 *
 * Per MN (by MN-ID, so entries outlive the MN's bindings): entries of
 * FID-PRI, FID, an RFC 6088 traffic selector, BIDs and an action (forward,
 * drop), kept sorted by FID-PRI (then origin, MHGID, FID): the order the
 * data plane applies them in. Whether an entry is active is not stored:
 * it depends on which of its BIDs are registered now (flowdp.h computes
 * it from the binding cache), so it can never go stale.
 *
 * Two origins share the cache:
 *   FM_ORIGIN_OPERATOR  `xpmipctl flow ...` (mhgid 0);
 *   FM_ORIGIN_MAG       a downlink filter a MAG installed with the 004
 *                       Multihoming option, tagged with its MHGID.
 * An entry is named by (origin, mhgid, fid): the operator's FID 7 and a
 * MAG's FID 7 are different entries.
 *
 * Persistence: with a state map fd (xp_flow_v1, xpmip_state.h) every
 * change is written there before the call returns, so the cache survives
 * kill -9; fmcache_restore() rebuilds it. A failed state write changes
 * nothing and is returned.
 *
 * The cache only stores. The caller (lma.c) calls lma_flows_changed()
 * after changing an MN's entries so that the data plane follows.
 */
#ifndef XPMIP_FMCACHE_H
#define XPMIP_FMCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mh_codec.h"
#include "xpmip_maps.h"
#include "xpmip_state.h"

#define FM_MAX_PER_MN	XP_MAX_FLOWS_PER_MN	/* entries per MN, all origins */
#define FM_MAX_BIDS	XP_FLOW_MAX_BIDS	/* BIDs per entry */
#define FM_MAX_MNS	XP_MAX_FLOW_MNS		/* MNs with entries */

enum fm_origin {
	FM_ORIGIN_OPERATOR = 1,	/* xpmipctl flow add / the control socket */
	FM_ORIGIN_MAG = 2,	/* 004 filter installed by a MAG (mhgid set) */
};

/* fm_entry.eflags */
#define FM_EF_REINSTANTIATED	0x01	/* 004: re-created by the LMA (keep filters) */

struct fm_entry {
	uint16_t fid;
	uint16_t fid_pri;	/* lower = applied first (RFC 6089) */
	uint8_t origin;		/* enum fm_origin */
	uint8_t mhgid;		/* FM_ORIGIN_MAG: 004 MHGID; operator: 0 */
	uint8_t action;		/* XP_FBA_FORWARD / XP_FBA_DROP */
	uint8_t eflags;		/* FM_EF_* */
	uint8_t n_bid;		/* forward: 1..FM_MAX_BIDS; drop: may be 0 */
	uint16_t bid[FM_MAX_BIDS];	/* in preference order */
	struct mh_ts ts;	/* IPv6 format, normalised (fm_ts_normalize) */
	uint32_t slot;		/* state map key; assigned by fmcache_put */
};

struct fmcache;

/* state_fd: the xp_flow_v1 map, or -1 for none (tests). Borrowed. */
int fmcache_new(int state_fd, struct fmcache **out);
void fmcache_free(struct fmcache *fc);

/* Rebuild from the state map (call once, on an empty cache): number of
 * entries restored, or -errno. Records of another version are skipped
 * with a log line. */
int fmcache_restore(struct fmcache *fc);

/*
 * Complete a selector: format must be XP_TS_FMT_IPV6 (else
 * -EPROTONOSUPPORT, the FID status "TS format not supported"); a range
 * given by its start only becomes [start, start], by its end only
 * [minimum, end]; a range whose start is above its end is -EINVAL.
 */
int fm_ts_normalize(struct mh_ts *ts);

/* An IPv6 selector to and from its pinned form (xp_flow_ts); from_state
 * gives format XP_TS_FMT_IPV6 */
void fm_ts_to_state(const struct mh_ts *t, struct xp_flow_ts *s);
void fm_ts_from_state(const struct xp_flow_ts *s, struct mh_ts *t);

/*
 * Check an entry before storing it: -EINVAL for an unknown origin or
 * action, a forward entry without BIDs, more than FM_MAX_BIDS, BID 0, or a
 * bad selector (fm_ts_normalize, applied to e->ts).
 */
int fm_entry_check(struct fm_entry *e);

enum fm_put_mode {
	FM_PUT_ADD,		/* -EEXIST if (origin, mhgid, fid) exists */
	FM_PUT_REPLACE,		/* add or overwrite (keeps the slot) */
};

/*
 * Store e (checked with fm_entry_check) for mn_id. 0, -EINVAL, -EEXIST,
 * -ENOSPC (FM_MAX_PER_MN entries for this MN, or FM_MAX_MNS MNs),
 * -ENAMETOOLONG (MN-ID), -ENOMEM, or the state map's -errno.
 */
int fmcache_put(struct fmcache *fc, const char *mn_id, const struct fm_entry *e,
		enum fm_put_mode mode);

/* Remove one entry: 0 or -ENOENT (or the state map's -errno) */
int fmcache_del(struct fmcache *fc, const char *mn_id, uint8_t origin, uint8_t mhgid,
		uint16_t fid);

/* Point an entry at other bindings (a flow move): 0, -ENOENT, -EINVAL */
int fmcache_set_bids(struct fmcache *fc, const char *mn_id, uint8_t origin, uint8_t mhgid,
		     uint16_t fid, uint8_t n_bid, const uint16_t *bid);

/* Remove every entry of mn_id for which pred returns true: how many */
size_t fmcache_del_if(struct fmcache *fc, const char *mn_id,
		      bool (*pred)(const struct fm_entry *e, void *ctx), void *ctx);

/* The entry, or NULL; valid until the next change of this MN */
const struct fm_entry *fmcache_get(const struct fmcache *fc, const char *mn_id, uint8_t origin,
				   uint8_t mhgid, uint16_t fid);

/* The MN's entries in application order; *out valid until the next change
 * of this MN. Returns how many (0: none, *out NULL). */
size_t fmcache_list(const struct fmcache *fc, const char *mn_id, const struct fm_entry **out);

/* Every MN with entries, in no particular order. cb must not change fc. */
void fmcache_foreach_mn(const struct fmcache *fc,
			void (*cb)(const char *mn_id, const struct fm_entry *e, size_t n,
				   void *ctx),
			void *ctx);

size_t fmcache_count(const struct fmcache *fc);		/* entries */
size_t fmcache_mn_count(const struct fmcache *fc);	/* MNs with entries */

/* A flow generation (xp_mn_val.flow_gen) never handed out before, across
 * restarts too (persisted in the state map's meta record). Never 0. */
uint32_t fmcache_next_gen(struct fmcache *fc);

/* Create (or open and check) the pinned xp_flow_v1 map in dir */
int fmcache_state_map_open(const char *dir);

#endif /* XPMIP_FMCACHE_H */
