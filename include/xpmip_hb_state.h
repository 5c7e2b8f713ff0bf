/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * xpmip_hb_state.h - the agent's own RFC 5847 Restart Counter, pinned next
 * to its other state (pin_root/<instance>/xp_hbrc_v1) so that it survives
 * a restart of the daemon. Only user/heartbeat.c reads and writes it.
 *
 *   xp_hbrc_v1   BPF_MAP_TYPE_HASH, one entry
 *   key:   __u32 XP_HBRC_KEY
 *   value: struct xp_hbrc_val
 *
 * Semantics (RFC 5847 5.2 / 3GPP TS 23.007 19): the counter changes when
 * the daemon starts without the mobility state of its previous run, so a
 * peer that sees a new value knows the bindings it shares with us are
 * gone. A start that restores its bindings from the pinned maps (kill -9,
 * upgrade) keeps the value. When the map itself is absent (first start,
 * --flush, reboot) the counter is seeded from CLOCK_REALTIME seconds, so
 * it still differs from whatever a peer remembers.
 */
#ifndef XPMIP_HB_STATE_H
#define XPMIP_HB_STATE_H

#include <linux/types.h>

#define XP_MAP_HBRC		"xp_hbrc_v1"
#define XP_HBRC_KEY		0
#define XP_HBRC_MAX_ENTRIES	1

struct xp_hbrc_val {
	__u32 restart_ctr;
	__u32 starts;			/* daemon starts seen with this map */
	__u64 changed_rt_ms;		/* CLOCK_REALTIME of the last change */
};
_Static_assert(sizeof(struct xp_hbrc_val) == 16, "xp_hbrc_val layout");

#endif /* XPMIP_HB_STATE_H */
