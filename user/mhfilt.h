/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * mhfilt.h - the LMA side of 004_7faef5305b374194.txt (Multihoming option
 * and the downlink filters a MAG installs), on top of the flow mobility
 * cache (fmcache.h) and the binding cache (bcache.h). lma.c calls it from
 * its PBU handling; it takes no sockets and writes no data plane map (the
 * caller runs lma_flows_changed() when something changed).
 *
 * Mobility session (004 section 2): every binding of an MN registered with
 * the Multihoming option (BCE_F_MH) and the same MHGID is one session
 * sharing the HNP; each MAG (Proxy-CoA) of it has its own binding (BID).
 *
 * Filters: one fmcache entry per Flow Identification option, origin
 * FM_ORIGIN_MAG, named (MN, MHGID, FID), bound to the binding that sent it
 * (bid[0]), so the data plane's selector walk sends matching downlink to
 * that MAG's Proxy-CoA. Per option in a PBU:
 *   Flow Binding Action DELETE          delete  (0, or 132 FID not found)
 *   Traffic Selector [+ forward|drop]   create or modify (0; 133 an IPv4
 *                                       selector; 130 a bad range; 129 an
 *                                       unknown action, a FID held by
 *                                       another binding, or a full table)
 *   neither                             status of an existing filter (0 / 132)
 * A filter is the sending binding's: another binding's FID is refused
 * (129); the re-instantiated filters the LMA put on a binding are that
 * binding's, so its MAG may modify or delete them.
 *
 * Interface removal (lifetime 0, ACT): remove deletes the binding's
 * filters; keep re-creates each on another active binding of the group
 * (new FID from MHF_REINST_FID_TOP down, FM_EF_REINSTANTIATED, same
 * FID-PRI, action and selector), or deletes it when none is left. Every PBA
 * to a binding lists the re-instantiated filters it holds (reserved octet
 * XP_FID_F_REINSTANTIATED, Traffic Selector and action sub-options).
 */
#ifndef XPMIP_MHFILT_H
#define XPMIP_MHFILT_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "bcache.h"
#include "fmcache.h"
#include "mh_codec.h"

/* Re-instantiated filters get FIDs from here downwards (MAGs number their
 * own filters from 1 upwards, so the two rarely meet; a collision is
 * avoided, not refused) */
#define MHF_REINST_FID_TOP	0xffff

/*
 * Which binding of m a PBU with the Multihoming option is about (004
 * section 2: same HNP and MHGID = same session). Looks at m's bindings in
 * group mhgid: the one at this Proxy-CoA (with the same MN-LL-ID when both
 * have one) is returned; else, for a new attachment (HI 1 or 6) *share is
 * set to one of the group (a new binding sharing its prefixes). The PBU's
 * prefixes must be all zero or the group's. NULL and *share NULL: not a
 * member of an existing session (RFC 5213 / 7864 processing applies).
 */
struct bce *mhf_match(struct bc_mn *m, const struct mh_opts *o, const struct in6_addr *src,
		      struct bce **share);

/* Mark b as registered with (or without) the Multihoming option of o */
void mhf_mark(struct bce *b, const struct mh_opts *o);

/*
 * Apply the Flow Identification options of an accepted PBU from binding b
 * and append one Flow Identification option with its Status per filter to
 * pba. Returns how many filters were created, modified or deleted.
 */
unsigned mhf_apply(struct fmcache *fc, const struct bce *b, const struct mh_opts *pbu,
		   struct mh_opts *pba);

/* Append the re-instantiated filters b holds to pba (as many as fit) */
void mhf_report(const struct fmcache *fc, const struct bce *b, struct mh_opts *pba);

/* Another active binding of b's group, or NULL */
const struct bce *mhf_pick_target(const struct bce *b);

/*
 * b leaves its group. act XP_MH_ACT_KEEP with a target: b's filters are
 * re-instantiated on target; otherwise deleted. why goes to the log.
 * Returns how many entries changed.
 */
unsigned mhf_release(struct fmcache *fc, const struct bce *b, uint8_t act,
		     const struct bce *target, const char *why);

#endif /* XPMIP_MHFILT_H */
