/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * xpmip_state.h - the agents' own restart state, pinned next to the data
 * plane maps (XP_PIN_ROOT/<instance>/). The BPF programs never read it.
 *
 * xp_bce_v1 (LMA): BPF_MAP_TYPE_HASH, BPF_F_NO_PREALLOC, keyed by
 * struct xp_bind_key {mn_id index, BID}, one struct xp_bce_state per
 * binding cache entry. Written after every accepted PBU, deleted with the
 * binding. On start the LMA rebuilds its binding cache from it, re-arms
 * the lifetime timers from the CLOCK_REALTIME deadlines and rewrites the
 * data plane entries; a map of another layout is refused (-EPROTO).
 */
#ifndef XPMIP_STATE_H
#define XPMIP_STATE_H

#ifndef __bpf__
#include <linux/types.h>
#endif

#include "xpmip_maps.h"

#define XP_MAP_BCE		"xp_bce_v1"
#define XP_BCE_MAX_ENTRIES	(1u << 20)
#define XP_BCE_MAX_HNP		8
#define XP_BCE_MNID_LEN		256	/* NUL-terminated, <= 253 octets used */
#define XP_BCE_LLID_LEN		32

struct xp_bce_pfx {
	union xp_addr6 addr;
	__u8 plen;
	__u8 pad[3];
};
_Static_assert(sizeof(struct xp_bce_pfx) == 20, "xp_bce_pfx layout");

#define XP_BCE_S_ACTIVE		1	/* registered */
#define XP_BCE_S_DEREG		2	/* de-registered, waiting MinDelayBeforeBCEDelete */

#define XP_BCE_F_STATIC_HNP	0x01	/* prefixes from the MN's policy, not the pool */
#define XP_BCE_F_SEQ_VALID	0x02
#define XP_BCE_F_TS_VALID	0x04
#define XP_BCE_F_BID_OPT	0x08
#define XP_BCE_F_LLID_PRIMARY	0x10
#define XP_BCE_F_MH		0x20	/* 004: Multihoming option, group .mhgid */

struct xp_bce_state {
	char mn_id[XP_BCE_MNID_LEN];		/* MN-ID (NAI) */
	union xp_addr6 pcoa;			/* Proxy-CoA */
	struct xp_bce_pfx hnp[XP_BCE_MAX_HNP];
	__u64 deadline_rt_ms;			/* CLOCK_REALTIME expiry / delete */
	__u64 last_ts;				/* last accepted timestamp, 48.16 */
	__u64 registered_rt_ms;			/* CLOCK_REALTIME of the last acceptance */
	__u32 lifetime_s;			/* granted */
	__u32 mn_idx;				/* = key.mn_id, for checking */
	__u16 bid;				/* = key.bid */
	__u16 last_seq;
	__u8  n_hnp;
	__u8  att;
	__u8  hi;
	__u8  llid_len;
	__u8  state;				/* XP_BCE_S_* */
	__u8  flags;				/* XP_BCE_F_* */
	__u8  llid_ifp;
	__u8  version;				/* XP_BCE_VERSION */
	__u8  llid[XP_BCE_LLID_LEN];
	__u8  mhgid;				/* 004 MHGID (XP_BCE_F_MH) */
	__u8  pad[3];
};
_Static_assert(sizeof(struct xp_bce_state) == 512, "xp_bce_state layout");

#define XP_BCE_VERSION		1


/*
 * xp_tlp_v1 (LMA and MAG, 001 2-level prefixes): BPF_MAP_TYPE_HASH,
 * BPF_F_NO_PREALLOC, keyed by struct xp_prefix_key {plen, prefix}, one
 * struct xp_tlp_state per temporal prefix. Only the agent uses it.
 *   LMA: level 1 = the temporal block given to the MAG at .peer (stable
 *        per MAG across restarts); level 2 = a MAG-carved /64 registered
 *        in a PBU, routed through binding (mn_idx, bid); home_bid is the
 *        binding that registered it (a flow handover moves bid, not
 *        home_bid); hold_until_rt_ms != 0: the home binding lost all its
 *        temporal prefixes in a full flow handover and is kept Idle until
 *        then (CLOCK_REALTIME ms).
 *   MAG: level 1 = its own block (from PBA option 202), .peer = the LMA;
 *        level 2 = a /64 of an MN interface (.mac): carved here, or
 *        adopted from another MAG's block by a flow handover.
 */
#define XP_MAP_TLP		"xp_tlp_v1"
#define XP_TLP_MAX_ENTRIES	(1u << 16)
#define XP_TLP_VERSION		1

#define XP_TLP_LEVEL_BLOCK	1	/* 001 level 1: pref_B1 */
#define XP_TLP_LEVEL_L2		2	/* 001 level 2: pref_B1 + pref_01 */

#define XP_TLP_F_IDLE		0x01	/* MAG: moved away by a flow handover */
#define XP_TLP_F_ADOPTED	0x02	/* MAG: another MAG's prefix moved here */
#define XP_TLP_F_PENDING	0x04	/* MAG: carved, not yet confirmed by a PBA */

struct xp_tlp_state {
	union xp_addr6 peer;		/* LMA: the block's MAG; MAG: the LMA */
	__u64 hold_until_rt_ms;		/* LMA level 2: home binding Idle until */
	__u32 mn_idx;			/* LMA level 2: owner MN */
	__u16 bid;			/* LMA level 2: owner binding */
	__u16 home_bid;			/* LMA level 2: registering binding */
	__u8  mac[6];			/* MAG level 2: MN interface */
	__u8  level;			/* XP_TLP_LEVEL_* */
	__u8  kind;			/* enum xp_prefix_kind */
	__u8  flags;			/* XP_TLP_F_* */
	__u8  version;			/* XP_TLP_VERSION */
	__u8  pad[6];
};
_Static_assert(sizeof(struct xp_tlp_state) == 48, "xp_tlp_state layout");
/*
 * xp_fmsig_v1 (LMA): RFC 7864 flow mobility signalling per binding, keyed
 * like xp_bce_v1. The Flow Mobility Initiate (UPN) last sent to the
 * binding's MAG, as encoded, and whether its UPA came: on restart the LMA
 * knows which off-link prefixes each MAG holds (so a later UPN or PBA
 * withdraws them) and sends again a UPN still waiting for its answer.
 * Deleted with the binding, or once the MAG holds nothing for it.
 */
#define XP_MAP_FMSIG		"xp_fmsig_v1"
#define XP_FMSIG_MAX_ENTRIES	XP_BCE_MAX_ENTRIES
#define XP_FMSIG_MSG_LEN	2048	/* MH_MAX_MSG_LEN */

#define XP_FMSIG_S_PENDING	1	/* sent, no UPA yet */
#define XP_FMSIG_S_ACKED	2	/* UPA 0 (or carried by a PBA) */
#define XP_FMSIG_S_FAILED	3	/* UPA >= 128, or no answer */

struct xp_fmsig_state {
	union xp_addr6 pcoa;			/* the MAG it went to */
	__u32 mn_idx;				/* = key.mn_id */
	__u16 bid;				/* = key.bid */
	__u16 seq;				/* its Sequence Number */
	__u16 len;				/* octets of msg */
	__u8  state;				/* XP_FMSIG_S_* */
	__u8  version;				/* XP_FMSIG_VERSION */
	__u8  msg[XP_FMSIG_MSG_LEN];		/* the UPN */
};
_Static_assert(sizeof(struct xp_fmsig_state) == 16 + 12 + XP_FMSIG_MSG_LEN,
	       "xp_fmsig_state layout");

#define XP_FMSIG_VERSION	1

/*
 * xp_flow_v1 (LMA): BPF_MAP_TYPE_HASH, BPF_F_NO_PREALLOC, the flow mobility
 * cache (user/fmcache.c) as it must survive kill -9. Key: __u32 slot, a
 * number fmcache gives each entry for its life. Slot XP_FLOW_SLOT_META
 * holds no entry but the cache's counters (kind XP_FLOW_K_META): the last
 * flow generation handed out, so that a restarted LMA never reuses one the
 * data plane's flow cache may still hold. Written on every change, deleted
 * with the entry; on start fmcache is rebuilt from it before the bindings
 * are rewritten. A map of another layout is refused (-EPROTO).
 */
#define XP_MAP_FLOWSTATE	"xp_flow_v1"
#define XP_FLOW_STATE_MAX	(XP_MAX_FLOW_MNS * 4)
#define XP_FLOW_SLOT_META	0
#define XP_FLOW_VERSION		1
#define XP_FLOW_MAX_BIDS	8

#define XP_FLOW_K_ENTRY		1
#define XP_FLOW_K_META		2

/* The RFC 6088 IPv6 selector, every range complete (start and end). */
struct xp_flow_ts {
	union xp_addr6 src_start, src_end, dst_start, dst_end;	/* network order */
	__u32 spi_start, spi_end;	/* host order */
	__u32 fl_start, fl_end;
	__u16 sport_start, sport_end;
	__u16 dport_start, dport_end;
	__u8  tc_start, tc_end;
	__u8  nh_start, nh_end;
	__u16 flags;			/* RFC 6088 A..P (XP_TS6_*) */
	__u16 pad;
};
_Static_assert(sizeof(struct xp_flow_ts) == 96, "xp_flow_ts layout");

struct xp_flow_state {
	char mn_id[XP_BCE_MNID_LEN];	/* NUL-terminated MN-ID */
	struct xp_flow_ts ts;
	__u64 gen;			/* META: last flow generation handed out */
	__u32 slot;			/* = key */
	__u16 fid, fid_pri;
	__u16 bid[XP_FLOW_MAX_BIDS];
	__u8  n_bid;
	__u8  action;			/* XP_FBA_FORWARD / XP_FBA_DROP */
	__u8  origin;			/* FM_ORIGIN_* (user/fmcache.h) */
	__u8  mhgid;			/* 004 multihoming group of a MAG filter */
	__u8  eflags;			/* FM_EF_* (user/fmcache.h) */
	__u8  kind;			/* XP_FLOW_K_* */
	__u8  version;			/* XP_FLOW_VERSION */
	__u8  pad;
};
_Static_assert(sizeof(struct xp_flow_state) == 392, "xp_flow_state layout");

#endif /* XPMIP_STATE_H */
