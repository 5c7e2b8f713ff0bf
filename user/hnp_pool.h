/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * hnp_pool.h - home network prefixes carved from the configured pool,
 * stable per MN.
 *
 * The pool P/p hands out prefixes of length L (p <= L). Prefix number i
 * (0 <= i < 2^(L-p), capped at 2^HNP_POOL_MAX_BITS) is P with i in bits
 * p..L-1. An MN's first candidate is FNV-1a(MN-ID) mod size; collisions
 * probe linearly. So the same MN-ID gets the same prefix back after its
 * binding expired, as long as no other MN took it meanwhile, and a second
 * interface of the MN gets the next free candidate.
 */
#ifndef XPMIP_HNP_POOL_H
#define XPMIP_HNP_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

#define HNP_POOL_MAX_BITS	48	/* at most 2^48 prefixes are addressed */
#define HNP_POOL_MAX_PROBES	65536	/* give up (ENOSPC) after this many */

struct hnp_pool;

int hnp_pool_new(const struct xp_prefix *pool, uint8_t hnp_len, struct hnp_pool **out);
void hnp_pool_free(struct hnp_pool *hp);

/* Allocate the MN's next free prefix: 0, -ENOSPC when none is free */
int hnp_pool_alloc(struct hnp_pool *hp, const char *mn_id, struct xp_prefix *out);
/* The prefix hnp_pool_alloc would return now, without taking it */
int hnp_pool_peek(const struct hnp_pool *hp, const char *mn_id, struct xp_prefix *out);
/* Mark a prefix used (restart, static prefixes inside the pool):
 * 0, -EEXIST if already used, -ERANGE if not a prefix of this pool */
int hnp_pool_reserve(struct hnp_pool *hp, const struct xp_prefix *p);
/* Return a prefix: 0, -ENOENT if it was not in use, -ERANGE */
int hnp_pool_release(struct hnp_pool *hp, const struct xp_prefix *p);
bool hnp_pool_in_use(const struct hnp_pool *hp, const struct xp_prefix *p);
/* Is p one of this pool's prefixes (right length, inside the pool)? */
bool hnp_pool_owns(const struct hnp_pool *hp, const struct xp_prefix *p);
uint64_t hnp_pool_used(const struct hnp_pool *hp);
uint64_t hnp_pool_size(const struct hnp_pool *hp);

#endif /* XPMIP_HNP_POOL_H */
