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
	__u32 pad;
};
_Static_assert(sizeof(struct xp_bce_state) == 512, "xp_bce_state layout");

#define XP_BCE_VERSION		1

#endif /* XPMIP_STATE_H */
