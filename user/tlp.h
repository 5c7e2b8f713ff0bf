/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * tlp.h - the 2-level prefix model of 001_6d909178e764a821.txt section 3,
 * as a table both agents keep (and persist in xp_tlp_v1, xpmip_state.h):
 *
 *   level 1, kind T: a temporal block. The LMA carves one per MAG from its
 *            temporal pool (stable per Proxy-CoA) and hands it over in PBA
 *            option 202; the MAG keeps its own.
 *   level 2, kind T: a /64 the MAG carves from its block for one MN
 *            interface (stable per MAC). The MAG registers it in its PBUs
 *            (an HNP option inside the temporal pool) and the LMA routes it
 *            through the binding that owns it; a flow handover (PBU HI 5)
 *            moves that ownership to another binding.
 *   level 1, kind P: permanent prefixes are the binding cache's own (the
 *            HNP pool, bcache.h); this table never holds them.
 *
 * Pure data: no maps are written here except by tlp_store/tlp_unstore/
 * tlp_load, which the agents call. The table is a small array (one entry
 * per MAG and per MN interface prefix); linear scans are intended.
 */
#ifndef XPMIP_TLP_H
#define XPMIP_TLP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "xpmip_state.h"

#define TLP_L2_LEN	64	/* level-2 prefixes are /64s (RFC 5213 HNP length) */

struct tlp_entry {
	struct xp_prefix p;
	struct xp_tlp_state s;
};

struct tlp_table {
	struct tlp_entry *e;
	size_t n, cap;
};

void tlp_init(struct tlp_table *t);
void tlp_fini(struct tlp_table *t);

/* Exact match (address and length), or NULL */
struct tlp_entry *tlp_find(const struct tlp_table *t, const struct xp_prefix *p);
/* The level-1 block entry containing a, or NULL */
struct tlp_entry *tlp_block_containing(const struct tlp_table *t, const struct in6_addr *a);
/* The block entry of MAG peer (LMA), or NULL */
struct tlp_entry *tlp_block_of_peer(const struct tlp_table *t, const struct in6_addr *peer);
/* Add (or overwrite) p with state s; returns the entry or NULL (ENOMEM).
 * Entry pointers are invalidated by tlp_put and tlp_del. */
struct tlp_entry *tlp_put(struct tlp_table *t, const struct xp_prefix *p,
			  const struct xp_tlp_state *s);
void tlp_del(struct tlp_table *t, struct tlp_entry *e);

/*
 * LMA: the block of the MAG at peer, from pool / block_len: the one it has,
 * else the pool's stable choice for this Proxy-CoA (FNV of its text, linear
 * probing past blocks given to other MAGs). 0, -ENOSPC, -ENOMEM, -EINVAL.
 */
int tlp_block_assign(struct tlp_table *t, const struct xp_prefix *pool, uint8_t block_len,
		     const struct in6_addr *peer, struct xp_prefix *out);

/*
 * MAG: carve a /64 for the MN interface mac from block: stable per MAC
 * (FNV of its text), skipping every level-2 prefix already in t.
 * 0, -ENOSPC (block full), -EINVAL (block longer than /64).
 */
int tlp_carve(const struct tlp_table *t, const struct xp_prefix *block, const uint8_t mac[6],
	      struct xp_prefix *out);

/* Persistence in xp_tlp_v1 (fd < 0: nothing). 0 or -errno. */
int tlp_store(int fd, const struct tlp_entry *e);
int tlp_unstore(int fd, const struct xp_prefix *p);
/* Read every valid entry of fd into t (entries of another version are
 * skipped and counted in *skipped). Returns the number loaded or -errno. */
int tlp_load(int fd, struct tlp_table *t, unsigned *skipped);
/* Create (or open and check) the pinned xp_tlp_v1 in dir: fd or -errno */
int tlp_map_open(const char *dir);

/* "T" / "P" for a kind, for tables */
const char *tlp_kind_str(uint8_t kind);

#endif /* XPMIP_TLP_H */
