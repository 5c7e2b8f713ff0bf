/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * mag.h - the MAG's Binding Update List state machine (RFC 5213 section 6),
 * separated from sockets and clocks so that tests drive it directly.
 *
 * Events in:  mag_mn_detected() (an RS, or link-up with detect_link_up),
 *             mag_on_pba(), mag_timer_fired(), mag_link_down(), mag_detach().
 * Effects out: through struct mag_hooks (send a Mobility Header to the LMA,
 *             send an RA, arm a timer, install/remove user plane state,
 *             persist an entry), so xp_mag_ops wires them to the event loop,
 *             the sockets and the pinned maps, and the tests to fakes.
 *
 * Per entry (one MN interface, identified by its MAC):
 *
 *   (new) --PBU--> REGISTERING --PBA 0--> BOUND --refresh_pct--> REFRESHING
 *                     |   ^ retransmit          ^------PBA 0--------'
 *                     |   '-- timeout x2, up to max_bindack_timeout
 *                     |-- PBA >= 128 --> REJECTED (logged, stopped)
 *                     '-- max_retransmits --> FAILED (next RS retries)
 *   BOUND/REFRESHING/REGISTERING --link down / detach--> DEREGISTERING
 *                     --PBA or max_retransmits--> (entry freed)
 *
 * Every transmission of a PBU carries a new Sequence Number (RFC 6275
 * 11.7.1: greater than the previous one) and a fresh Timestamp; only a PBA
 * for the sequence number last sent is accepted.
 */
#ifndef XPMIP_MAG_H
#define XPMIP_MAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <net/if.h>
#include <netinet/in.h>

#include "config.h"
#include "mh_codec.h"
#include "ndisc.h"
#include "tlp.h"
#include "xpmip_mag_state.h"

enum mag_state {
	MAG_S_REGISTERING = 1,
	MAG_S_BOUND = 2,
	MAG_S_REFRESHING = 3,
	MAG_S_DEREGISTERING = 4,
	MAG_S_REJECTED = 5,
	MAG_S_FAILED = 6,
};

const char *mag_state_name(enum mag_state s);

/* 004 downlink filter of an MN interface (mag_mh.c) */
#define MAG_MAX_FILT		XP_MAG_MH_MAX_FILT
#define MAG_FILT_PENDING	0xff	/* status: no PBA has answered yet */
#define MAG_FF_DELETE		0x01	/* deleted here; the LMA must be told */
#define MAG_FF_REINST		0x02	/* re-instantiated on us by the LMA */

struct mag_filter {
	struct mh_flow_id f;		/* FID, FID-PRI, selector, action; status */
	uint8_t flags;			/* MAG_FF_* */
};

struct mag_entry {
	struct mag_entry *next;
	uint8_t mac[ND_ETH_ALEN];
	char mn_id[XP_MNID_MAX_LEN + 1];
	uint8_t att, ifp;
	bool primary;
	int ifindex;
	char ifname[IF_NAMESIZE];
	struct in6_addr mn_ll;		/* RS source; :: when unknown */
	uint32_t mn_idx;		/* data plane MN index on this MAG */
	uint16_t bid;			/* binding of this interface */
	enum mag_state state;
	uint8_t hi;			/* of the initial registration */
	uint16_t seq;			/* last sent */
	uint32_t n_tx;			/* transmissions of the current request */
	uint32_t timeout_ms;		/* current back-off */
	uint32_t lifetime_s;		/* granted by the LMA */
	uint64_t expire_rt_ms;		/* CLOCK_REALTIME */
	uint64_t refresh_rt_ms;
	uint64_t deadline_ms;		/* CLOCK_MONOTONIC; 0: no timer */
	uint8_t last_status;		/* of the last PBA */
	bool dp_installed;
	uint8_t n_hnp;
	struct nd_prefix hnp[XP_CFG_MAX_HNP];	/* on-link, and off-link (RFC 7864 L) */
	/* flow-level state from the LMA (RFC 7864 3.4): the Flow
	 * Identification options of the last accepted UPN */
	uint8_t n_flow;
	struct mh_flow_id flow[MH_MAX_FLOW_ID];
	/* 001 flow handover in flight (mag_tl.h): the temporal prefixes the
	 * next PBUs carry instead of the binding's; 0 when none */
	uint8_t tl_n_req;
	struct xp_prefix tl_req[XP_CFG_MAX_HNP];
	bool tl_refresh;		/* new level-2 prefixes to register */
	/* 004 multihoming (mag_mh.c) */
	bool mh;			/* the Multihoming option goes in our PBUs */
	uint8_t mhgid;
	uint8_t mh_act;			/* ACT of the de-registration PBU */
	uint8_t n_filt;
	struct mag_filter filt[MAG_MAX_FILT];
	void *glue;			/* owned by the hooks (the entry's timer) */
};

struct mag;

#define MAG_MAX_HINTS	16

struct mag_hooks {
	void *ctx;
	uint64_t (*now_ms)(void *ctx);		/* CLOCK_MONOTONIC */
	uint64_t (*realtime_ms)(void *ctx);	/* CLOCK_REALTIME */
	uint64_t (*timestamp)(void *ctx);	/* 48.16 for the Timestamp option */
	int (*send_mh)(void *ctx, const uint8_t *buf, size_t len);	/* to the LMA */
	/* send an RA for e: solicited (after a PBA / an RS) or not */
	int (*send_ra)(void *ctx, struct mag *m, struct mag_entry *e, bool solicited);
	/* arm e's timer at the monotonic deadline; 0 cancels */
	void (*timer_set)(void *ctx, struct mag_entry *e, uint64_t deadline_ms);
	/* user plane: install binding then prefixes; remove prefixes then
	 * binding (old_hnp: prefixes that are no longer the MN's, may be 0) */
	int (*dp_install)(void *ctx, const struct mag_entry *e);
	int (*dp_remove_prefixes)(void *ctx, const struct mag_entry *e,
				  const struct nd_prefix *pfx, unsigned int n);
	int (*dp_remove)(void *ctx, const struct mag_entry *e);
	/* persistence; may be NULL */
	int (*store)(void *ctx, const struct mag_entry *e);
	int (*unstore)(void *ctx, const struct mag_entry *e);
	/* 001 prefix table persistence (xp_tlp_v1); may be NULL */
	int (*tl_store)(void *ctx, const struct tlp_entry *t);
	int (*tl_unstore)(void *ctx, const struct xp_prefix *p);
	/* profile of a MAC (NULL: unknown MN, ignored) */
	const struct xp_mag_mn_profile *(*profile)(void *ctx, const uint8_t mac[6],
						   struct xp_mag_mn_profile *scratch);
	/* entry about to be freed (glue releases e->glue) */
	void (*entry_free)(void *ctx, struct mag_entry *e);
	/* keep the last accepted UPN of e (len 0: forget it); may be NULL */
	int (*store_upn)(void *ctx, const struct mag_entry *e, const uint8_t *upn, size_t len);
};

/* Flow mobility signalling seen by the MAG (`xpmipctl mag-stats`) */
struct mag_stats {
	uint64_t upn_rx;		/* UPNs from our LMA */
	uint64_t upn_not_lma;		/* dropped: not from our LMA */
	uint64_t upn_applied;		/* off-link prefix set / flows changed */
	uint64_t upa_tx;
	uint64_t upa_by_status[256];
};

struct mag {
	const struct xp_mag_config *cfg;
	struct mag_hooks h;
	struct mag_entry *head;
	unsigned int n_entries;		/* at most XP_BUL_MAX_ENTRIES */
	uint16_t next_seq;
	uint32_t next_mn_idx;
	struct mag_stats st;
	struct tlp_table tl;		/* 001: our block, level-2 prefixes (mag_tl.h) */
	/* the MN's L2 hints (`xpmipctl hint`): the HI of a MAC's next first
	 * registration, e.g. 2 when the MN moves its session from a broken
	 * interface to this one (001 section 2, IIHO) */
	struct { uint8_t mac[ND_ETH_ALEN]; uint8_t hi; } hints[MAG_MAX_HINTS];
	unsigned int n_hints;
};

void mag_init(struct mag *m, const struct xp_mag_config *cfg, const struct mag_hooks *h);
/* Free every entry (no message sent) */
void mag_fini(struct mag *m);

struct mag_entry *mag_find(struct mag *m, const uint8_t mac[6]);
unsigned int mag_count(const struct mag *m);

/*
 * An MN interface shows itself on access link ifindex: by an RS (src is its
 * link-local address, or :: / NULL) or by link-up. handover is true when
 * the MAG has reason to believe the MN comes from another MAG (see
 * mag_bul.c, "Handoff Indicator"). Returns 0, -ENOENT for an MN without a
 * profile, -ENOSPC when the BUL is full (XP_BUL_MAX_ENTRIES: a flood of
 * RSs from invented MACs cannot grow it without bound), or another -errno.
 */
int mag_mn_detected(struct mag *m, int ifindex, const char *ifname, const uint8_t mac[6],
		    const struct in6_addr *src, bool handover);
/* A Mobility Header from src; returns 0 when a PBA (or a UPN, passed to
 * mag_on_upn) was consumed, -ENOENT when it matched nothing (ignored),
 * -EPERM for a UPN not from our LMA, -EBADMSG when it did not decode */
int mag_on_pba(struct mag *m, const uint8_t *buf, size_t len, const struct in6_addr *src);

/*
 * RFC 7864 Flow Mobility Initiate (UPN, reason FLOW-MOBILITY) from src
 * (buf/len: the encoded message, kept by store_upn for a restart). Only our
 * LMA is listened to (else counted, logged, -EPERM, no answer). The MN's
 * bound interface on this MAG takes the L-flagged HNPs as its complete
 * off-link set (routed to the MN, never advertised; those missing are
 * removed) and keeps the Flow Identification options. A UPA answers when
 * the A flag asks: 0, 131 (reason unspecified: not FLOW-MOBILITY, no
 * MN-ID, too many prefixes) or 132 (MN not attached here). (mag_upn.c)
 */
int mag_on_upn(struct mag *m, const struct mh_msg *msg, const uint8_t *buf, size_t len,
	       const struct in6_addr *src);
/* After a restart: take the Flow Identification options of e's stored UPN
 * (the off-link prefixes are already in the restored BUL). 0 or -EBADMSG */
int mag_restore_upn(struct mag *m, struct mag_entry *e, const uint8_t *buf, size_t len);
/* UPN/UPA counters as `xpmipctl mag-stats` prints them */
void mag_print_stats(const struct mag *m, FILE *out, bool json);
/* e's timer fired (the hooks' clock says now) */
void mag_timer_fired(struct mag *m, struct mag_entry *e);
/* The access link went down or away: de-register every MN on it */
void mag_link_down(struct mag *m, int ifindex);
/* Re-register e now (a bound entry: its refresh, early): the MN's L2 hint
 * or the operator's `xpmipctl refresh MAC`. No-op in other states. */
void mag_refresh_now(struct mag *m, struct mag_entry *e);
/* The next first registration of mac uses Handoff Indicator hi (an L2
 * hint): 0, -ENOSPC (too many pending), -EINVAL (hi not 2 or 3) */
int mag_hint(struct mag *m, const uint8_t mac[6], uint8_t hi);
/* xpmipctl detach MAC: 0 or -ENOENT */
int mag_detach(struct mag *m, const uint8_t mac[6]);
/* 000 6.2 handover indication stand-in: set an MN interface's IFP and P
 * flag, persist them and send a refresh PBU carrying them. -ENOENT: no
 * entry for mac. */
int mag_set_priority(struct mag *m, const uint8_t mac[6], uint8_t ifp, bool primary);
/* De-register every MN that is (being) registered; why goes to the log */
void mag_deregister_all(struct mag *m, const char *why);

/* Send a fresh PBU (its prefixes, new sequence and timestamp) for every
 * registered MN: the LMA restarted without our bindings (heartbeat.h) */
void mag_reregister_all(struct mag *m, const char *why);

/* Build a PBU for e with the given lifetime into buf (exposed for tests) */
int mag_build_pbu(struct mag *m, struct mag_entry *e, uint32_t lifetime_s,
		  uint8_t *buf, size_t cap);
/* The RA parameters for e (its on-link HNPs, the configured RA fields) */
void mag_ra_params(const struct mag *m, const struct mag_entry *e, struct nd_ra_params *p);

/* Restore one entry from the pinned BUL (after a restart): re-arms its
 * timer from the stored deadlines. 0 or -errno */
int mag_restore(struct mag *m, const struct mag_entry *saved);

/* The BUL as a table for `xpmipctl bindings` */
void mag_print_bul(struct mag *m, FILE *out, bool json);

#endif /* XPMIP_MAG_H */
