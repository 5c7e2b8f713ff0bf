/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * bcache.h - the LMA's binding cache (RFC 5213 section 5.1).
 *
 * Several bindings per MN from the start: an MN (struct bc_mn, hashed by
 * MN-ID) owns a list of bindings (struct bce), each keyed by its BID
 * (RFC 5648). Secondary indexes: home network prefix -> binding, and
 * Proxy-CoA -> bindings. Every MN carries the data plane's mn_id index
 * (xp_mn_v1 key), allocated here and kept stable while the MN has bindings.
 * The cache only indexes; the LMA (lma.c) decides and writes the maps.
 */
#ifndef XPMIP_BCACHE_H
#define XPMIP_BCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "config.h"
#include "xpmip_maps.h"
#include "evloop.h"
#include "mh_codec.h"

#define BC_MAX_MN_IDX	XP_MAX_MNS	/* mn_id indices 1 .. BC_MAX_MN_IDX-1 */
#define BC_BID_MIN	1		/* BIDs the LMA assigns start here */

enum bce_state {
	BCE_ACTIVE = 1,		/* registered, forwarding */
	BCE_DEREG = 2,		/* de-registered, deleted after MinDelayBeforeBCEDelete */
};

#define BCE_F_STATIC_HNP	0x01	/* prefixes from the MN's policy, not the pool */
#define BCE_F_SEQ_VALID		0x02	/* last_seq holds an accepted sequence number */
#define BCE_F_TS_VALID		0x04	/* last_ts holds an accepted timestamp */
#define BCE_F_BID_OPT		0x08	/* the MAG sent a BID option: echo it */
#define BCE_F_MH		0x10	/* 004: registered with the Multihoming option */

struct bc_mn;

struct bce {
	struct bc_mn *mn;
	uint16_t bid;
	uint8_t state;			/* enum bce_state */
	uint8_t flags;			/* BCE_F_* */
	struct in6_addr pcoa;		/* Proxy-CoA: the MAG's address */
	uint8_t n_hnp;
	struct xp_prefix hnp[XP_CFG_MAX_HNP];
	uint8_t att;			/* access technology type */
	uint8_t hi;			/* last handoff indicator */
	uint8_t mhgid;			/* 004 multihoming group (BCE_F_MH) */
	uint8_t llid_len;		/* 0: no MN-LL-ID */
	uint8_t llid_ifp;
	bool llid_primary;
	uint8_t llid[MH_MAX_LLID_LEN];
	uint16_t last_seq;
	uint64_t last_ts;		/* 48.16 fixed point */
	uint32_t lifetime_s;		/* granted */
	uint64_t registered_rt_ms;	/* CLOCK_REALTIME of the last acceptance */
	uint64_t deadline_rt_ms;	/* CLOCK_REALTIME expiry or delete time */
	bool tl_idle;			/* 001: all temporal prefixes left (FFHO) */
	uint64_t tl_hold_until_rt_ms;	/* 001: Idle session removed then */
	struct in6_addr hoa_host;	/* 000: its HoA's /128 in xp_pfx_v1, or :: */
	struct ev_timer timer;		/* armed by the LMA */
	void *owner;			/* the LMA, for the timer callback */

	struct bce *mn_next;		/* the MN's bindings */
	struct bce *pcoa_next, *pcoa_prev;	/* bindings at the same Proxy-CoA */
	struct bc_pcoa *pcoa_node;	/* NULL until a Proxy-CoA is set */
};

/* One Proxy-CoA (MAG) with its bindings: counted in O(1) */
struct bc_pcoa {
	struct in6_addr addr;
	uint32_t n;
	struct bce *bces;
	struct bc_pcoa *hnext;
};

struct bc_mn {
	char mn_id[XP_MNID_MAX_LEN + 1];
	uint32_t idx;			/* data plane mn_id */
	uint32_t n_bce;
	struct bce *bces;
	struct bc_mn *hnext;
	/* xp_mn_v1[idx] as the LMA last wrote it (the LMA is that map's one
	 * writer): compared with instead of reading the map back on every
	 * registration. dp_known false: not written by this process yet (a
	 * new MN, or after a restart), read the map. */
	bool dp_known;
	struct xp_mn_val dp;
};

struct bcache;

int bcache_new(unsigned buckets_log2, struct bcache **out);
/* Free everything; cb (may be NULL) sees each binding before it is freed */
void bcache_free(struct bcache *bc, void (*cb)(struct bce *b, void *ctx), void *ctx);

struct bc_mn *bcache_mn(const struct bcache *bc, const char *mn_id);
struct bc_mn *bcache_mn_by_idx(const struct bcache *bc, uint32_t idx);
struct bce *bcache_get(const struct bcache *bc, const char *mn_id, uint16_t bid);

/* Add a binding for (mn_id, bid). idx: the MN's data plane index when
 * restoring (0: keep the MN's, or allocate one). bid 0: the smallest free
 * BID. Returns the new binding (state BCE_ACTIVE, no prefixes, no
 * Proxy-CoA) or NULL with *err = -EEXIST / -ENOSPC / -ENOMEM / -EINVAL. */
struct bce *bcache_add(struct bcache *bc, const char *mn_id, uint16_t bid, uint32_t idx,
		       int *err);
void bcache_del(struct bcache *bc, struct bce *b);

/* Re-index a binding after changing its Proxy-CoA / prefixes */
/* 0 or -ENOMEM (then the binding keeps its old Proxy-CoA) */
int bcache_set_pcoa(struct bcache *bc, struct bce *b, const struct in6_addr *pcoa);
/* -EEXIST if a prefix belongs to another binding (nothing changed) */
int bcache_set_prefixes(struct bcache *bc, struct bce *b, uint8_t n,
			const struct xp_prefix *hnp);

/* RFC 7864 3.2.1 (HI 6): like bcache_set_prefixes, but prefixes held by
 * other bindings of the same MN are shared with them, not refused */
int bcache_share_prefixes(struct bcache *bc, struct bce *b, uint8_t n,
			  const struct xp_prefix *hnp);

/* A binding owning exactly this prefix (address and length), or NULL; with
 * shared prefixes, any one of them */
struct bce *bcache_by_prefix(const struct bcache *bc, const struct xp_prefix *p);
/* Every binding holding this prefix: up to max in out, returns how many */
size_t bcache_by_prefix_all(const struct bcache *bc, const struct xp_prefix *p,
			    struct bce **out, size_t max);
/* Up to max bindings whose Proxy-CoA is pcoa; returns how many exist (O(1)
 * when max is 0) */
size_t bcache_by_pcoa(const struct bcache *bc, const struct in6_addr *pcoa,
		      struct bce **out, size_t max);

/* b's prefixes are exactly the PBU's HNP options (all zero: the MAG does
 * not know them yet, any non-empty set matches) */
bool bce_prefix_set_is(const struct bce *b, const struct mh_opts *o);

void bcache_foreach(const struct bcache *bc, void (*cb)(struct bce *b, void *ctx), void *ctx);
uint32_t bcache_count(const struct bcache *bc);
uint32_t bcache_mn_count(const struct bcache *bc);

#endif /* XPMIP_BCACHE_H */
