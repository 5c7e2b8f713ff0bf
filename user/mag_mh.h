/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * mag_mh.h - the MAG side of 004_7faef5305b374194.txt: the Multihoming
 * option and the downlink filters of an MN interface (struct mag_entry's
 * mh, mhgid, mh_act, filt[]), called by mag_bul.c and mag.c.
 *
 * What a PBU carries (profile multihoming = true): the Multihoming option
 * (MHGID; ACT 0, or the profile's mh_on_remove on de-registration), and
 * every own filter as a Flow Identification option (Traffic Selector and
 * Flow Binding Action forward|drop sub-options): the LMA creates or
 * modifies them, a repeated one changes nothing. A filter deleted here goes
 * once more, with action DELETE, until a PBA confirms it. A registration
 * PBU (first, renewal, or the refresh `xpmipctl filter` triggers) carries
 * the whole set, so the LMA's state converges whatever PBA was lost.
 *
 * What a PBA brings: a status per filter (kept; `xpmipctl filters`), and
 * the filters the LMA re-instantiated on this binding (reserved octet
 * XP_FID_F_REINSTANTIATED): kept as MAG_FF_REINST, replaced by each PBA's
 * list, never sent back unless the operator modifies or deletes one.
 */
#ifndef XPMIP_MAG_MH_H
#define XPMIP_MAG_MH_H

#include <stdbool.h>
#include <stdio.h>

#include "mag.h"

/* A new entry takes the profile's multihoming settings and filters */
void mag_mh_attach(struct mag_entry *e, const struct xp_mag_mn_profile *p);

/* Add the Multihoming and Flow Identification options of e to a PBU:
 * 0, or an mh_add_* error */
int mag_mh_add_pbu(const struct mag_entry *e, struct mh_msg *msg, bool dereg);

/* An accepted PBA for e: record statuses and re-instantiated filters.
 * Returns true when e's filters changed (persist it). */
bool mag_mh_on_pba(struct mag_entry *e, const struct mh_msg *msg);

/* Restart state (xp_magmh_v1) */
void mag_mh_to_state(const struct mag_entry *e, struct xp_mag_mh_val *v);
int mag_mh_from_state(struct mag_entry *e, const struct xp_mag_mh_val *v);

/* `filters [--json]` and `filter add|mod|del MAC ...`: 0 or -errno with
 * one line on out. Changes persist e and send a refresh PBU. */
int mag_mh_ctl(struct mag *m, int argc, char **argv, FILE *out);

#endif /* XPMIP_MAG_MH_H */
