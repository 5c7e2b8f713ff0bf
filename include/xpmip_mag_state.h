/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * xpmip_mag_state.h - the MAG's Binding Update List, kept in a pinned map so
 * that a restarted xpmipd --role mag carries on with every registration.
 *
 * Only the agent reads and writes this map (no BPF program uses it); it is
 * created by mag.c with bpf_map_create() next to the data plane's maps:
 *   /sys/fs/bpf/xpmip/<instance>/xp_bul_v1   BPF_MAP_TYPE_HASH
 *   key:   struct xp_bul_key  (the MN interface's MAC)
 *   value: struct xp_bul_val
 * Times are CLOCK_REALTIME milliseconds, because CLOCK_MONOTONIC does not
 * survive a reboot and a restarted daemon must re-arm its refresh timers
 * from absolute deadlines. A daemon finding a map of another layout (key or
 * value size) refuses to reuse it.
 *
 * The MAG's 2-level prefix state (001: its temporal block and the level-2
 * prefixes of each MN interface) is in a second pinned map, xp_tlp_v1,
 * defined with the LMA's in xpmip_state.h (one layout for both agents).
 */
#ifndef XPMIP_MAG_STATE_H
#define XPMIP_MAG_STATE_H

#include <linux/types.h>

#include "xpmip_state.h"

#define XP_MAP_BUL		"xp_bul_v1"
#define XP_BUL_MAX_ENTRIES	4096
#define XP_BUL_MAX_HNP		8	/* = XP_CFG_MAX_HNP */
#define XP_BUL_MNID_LEN		256	/* XP_MNID_MAX_LEN + NUL, rounded up */
#define XP_BUL_IFNAME_LEN	16	/* IFNAMSIZ */

struct xp_bul_key {
	__u8  mac[6];
	__u16 pad;
};
_Static_assert(sizeof(struct xp_bul_key) == 8, "xp_bul_key layout");

/* enum mag_state in user/mag.h */
struct xp_bul_hnp {
	__u8  prefix[16];
	__u8  plen;
	__u8  flags;			/* ND_PFX_F_OFFLINK */
	__u16 pad;
};
_Static_assert(sizeof(struct xp_bul_hnp) == 20, "xp_bul_hnp layout");

struct xp_bul_val {
	char  mn_id[XP_BUL_MNID_LEN];	/* NUL-terminated */
	char  ifname[XP_BUL_IFNAME_LEN];/* access interface, by name: an
					 * ifindex changes when a link moves */
	__u8  mn_ll[16];		/* MN link-local (solicited RA target) */
	__u64 expire_rt_ms;		/* binding expiry, CLOCK_REALTIME ms */
	__u64 refresh_rt_ms;		/* next refresh, CLOCK_REALTIME ms */
	__u32 ifindex;
	__u32 mn_idx;			/* xp_bind_key.mn_id on this MAG */
	__u32 lifetime_s;		/* granted */
	__u16 bid;			/* xp_bind_key.bid */
	__u16 seq;			/* last sequence number sent */
	__u8  state;			/* enum mag_state */
	__u8  hi;			/* HI of the initial registration */
	__u8  att;
	__u8  ifp;
	__u8  primary;
	__u8  n_hnp;
	__u16 pad;
	struct xp_bul_hnp hnp[XP_BUL_MAX_HNP];
};
_Static_assert(sizeof(struct xp_bul_val) == 256 + 16 + 16 + 8 + 8 + 12 + 4 + 8 + 8 * 20,
	       "xp_bul_val layout");

/*
 * xp_magupn_v1: the last Flow Mobility Initiate (RFC 7864 UPN) the MAG
 * accepted for an MN interface, as received (the encoded Mobility Header),
 * keyed like the BUL. The off-link prefixes it installed live in the BUL
 * entry (xp_bul_hnp.flags); on restart the MAG takes the Flow
 * Identification options back from this message. Deleted with the entry.
 */
#define XP_MAP_MAG_UPN		"xp_magupn_v1"
#define XP_MAG_UPN_MAX_LEN	2048	/* MH_MAX_MSG_LEN: (255 + 1) * 8 */

struct xp_mag_upn_val {
	__u16 len;			/* octets of msg used */
	__u16 pad;
	__u8  msg[XP_MAG_UPN_MAX_LEN];
};
_Static_assert(sizeof(struct xp_mag_upn_val) == 4 + XP_MAG_UPN_MAX_LEN, "xp_mag_upn_val layout");

/*
 * xp_magmh_v1: the 004 multihoming state of an MN interface, keyed like the
 * BUL: its MHGID, the ACT it sends on de-registration, and its downlink
 * filters (its own, with the status of the last PBA, and those the LMA
 * re-instantiated on it). Written with the BUL entry, deleted with it.
 */
#define XP_MAP_MAG_MH		"xp_magmh_v1"
#define XP_MAG_MH_VERSION	1
#define XP_MAG_MH_MAX_FILT	16	/* MH_MAX_FLOW_ID */

struct xp_mag_filt {
	struct xp_flow_ts ts;		/* IPv6 selector (xpmip_state.h) */
	__u16 fid, fid_pri;
	__u8  action;			/* XP_FBA_FORWARD / XP_FBA_DROP */
	__u8  status;			/* last FID status; MAG_FILT_PENDING: none yet */
	__u8  flags;			/* MAG_FF_* (user/mag.h) */
	__u8  pad;
};
_Static_assert(sizeof(struct xp_mag_filt) == 96 + 8, "xp_mag_filt layout");

struct xp_mag_mh_val {
	__u8  version;			/* XP_MAG_MH_VERSION */
	__u8  mh;			/* the profile asks for multihoming */
	__u8  mhgid;
	__u8  act;			/* XP_MH_ACT_* on de-registration */
	__u8  n;			/* filters used */
	__u8  pad[3];
	struct xp_mag_filt f[XP_MAG_MH_MAX_FILT];
};
_Static_assert(sizeof(struct xp_mag_mh_val) == 8 + 104 * XP_MAG_MH_MAX_FILT,
	       "xp_mag_mh_val layout");

#endif /* XPMIP_MAG_STATE_H */
