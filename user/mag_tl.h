/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * mag_tl.h - the MAG's side of the 2-level prefix model (001 sections 3
 * and 5, tlp.h): its temporal block, the level-2 /64s it carves per MN
 * interface, and flow handovers. Pure state like mag_bul.c: effects go
 * through struct mag_hooks (tl_store / tl_unstore, dp_remove_prefixes).
 *
 *  - The block arrives in PBA option 202 (the first exchange with the LMA;
 *    every later PBA repeats it). With it the MAG carves
 *    two_level.prefixes_per_interface /64s for each MN interface (stable per
 *    MAC) and registers them at once with a re-registration (HI 5) listing
 *    them with the permanent prefixes; from then on every PBU lists them.
 *  - Each accepted PBA is the LMA's word on the binding's temporal
 *    prefixes: one of ours missing from it has moved to another binding by
 *    a flow handover (001 5.1.2) and is marked Idle (kept, advertised and
 *    routed, so the MN's address stays valid for a reverse handover); one
 *    from another MAG's block in it was moved here (adopted: routed to the
 *    interface, never advertised: the MN has the address already).
 *  - mag_tl_handover() is the operator's (or the MN's L2 hint's) trigger on
 *    the new MAG: a PBU HI 5 carrying only the temporal prefixes that move:
 *    /64s for a partial flow handover, a block (the old MAG's level-1
 *    prefix) for a full one.
 * A PBA HNP is temporal when it lies in our block, in the configured
 * temporal_pool, or is already in our table; everything else is permanent.
 */
#ifndef XPMIP_MAG_TL_H
#define XPMIP_MAG_TL_H

#include <stdbool.h>
#include <stdio.h>

#include "mag.h"
#include "mh_codec.h"

bool mag_tl_on(const struct mag *m);

/* An accepted PBA for e: take the block, move the temporal HNPs out of msg
 * into the table (Idle / adopted as above), carve what e lacks. Returns
 * true when e's temporal prefixes changed (a new RA is due). */
bool mag_tl_on_pba(struct mag *m, struct mag_entry *e, struct mh_msg *msg);

/* Add e's temporal prefixes to a PBU being built (or, with a flow
 * handover pending, only the requested ones). 0 or an mh_err. */
int mag_tl_add_hnps(const struct mag *m, const struct mag_entry *e, struct mh_msg *msg);

/* e's level-2 prefixes for the user plane (adopted and Idle included,
 * not yet confirmed ones not) and for the RA (ours only): n written */
unsigned int mag_tl_prefixes(const struct mag *m, const struct mag_entry *e, bool for_ra,
			     struct nd_prefix *out, unsigned int max, uint8_t *pfx_flags);

/* Flow handover (PFHO with /64s, FFHO with a block) onto interface mac:
 * 0, -ENOENT (no such binding), -EBUSY (not bound), -EINVAL */
int mag_tl_handover(struct mag *m, const uint8_t mac[6], const struct xp_prefix *p,
		    unsigned int n);

/* The MN interface mac is gone from the BUL: forget its prefixes */
void mag_tl_forget(struct mag *m, const uint8_t mac[6]);

/* `xpmipctl prefixes [--json]` on a MAG: permanent and temporal */
void mag_tl_print(const struct mag *m, FILE *out, bool json);

#endif /* XPMIP_MAG_TL_H */
