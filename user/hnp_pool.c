// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* hnp_pool.c - deterministic per-MN prefix allocation with linear probing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hnp_pool.h"

#define FNV64_OFFSET	0xcbf29ce484222325ull
#define FNV64_PRIME	0x100000001b3ull
#define SET_MIN_CAP	64	/* power of two */
#define SET_EMPTY	UINT64_MAX
#define SET_TOMB	(UINT64_MAX - 1)
#define BYTE_BITS	8

/* open-addressing set of used prefix indices */
struct hnp_pool {
	struct xp_prefix pool;
	uint8_t hnp_len;
	uint8_t bits;		/* index bits: hnp_len - pool plen, capped */
	uint64_t size;
	uint64_t *slots;
	uint64_t cap, used, tombs;
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = FNV64_OFFSET;

	for (; *s; s++) {
		h ^= (uint8_t)*s;
		h *= FNV64_PRIME;
	}
	return h;
}

static int64_t set_find(const struct hnp_pool *hp, uint64_t idx)
{
	uint64_t mask = hp->cap - 1;

	for (uint64_t i = mix(idx) & mask, n = 0; n < hp->cap; i = (i + 1) & mask, n++) {
		if (hp->slots[i] == SET_EMPTY)
			return -1;
		if (hp->slots[i] == idx)
			return (int64_t)i;
	}
	return -1;
}

static int set_grow(struct hnp_pool *hp)
{
	uint64_t ncap = hp->cap * 2, *old = hp->slots, ocap = hp->cap;
	uint64_t *n = malloc(ncap * sizeof(*n));

	if (!n)
		return -ENOMEM;
	for (uint64_t i = 0; i < ncap; i++)
		n[i] = SET_EMPTY;
	hp->slots = n;
	hp->cap = ncap;
	hp->tombs = 0;
	for (uint64_t i = 0; i < ocap; i++) {
		if (old[i] >= SET_TOMB)
			continue;
		for (uint64_t j = mix(old[i]) & (ncap - 1);; j = (j + 1) & (ncap - 1))
			if (n[j] == SET_EMPTY) {
				n[j] = old[i];
				break;
			}
	}
	free(old);
	return 0;
}

static int set_add(struct hnp_pool *hp, uint64_t idx)
{
	uint64_t mask;
	int rc;

	if (set_find(hp, idx) >= 0)
		return -EEXIST;
	if ((hp->used + hp->tombs + 1) * 2 > hp->cap && (rc = set_grow(hp)))
		return rc;
	mask = hp->cap - 1;
	for (uint64_t i = mix(idx) & mask;; i = (i + 1) & mask)
		if (hp->slots[i] >= SET_TOMB) {
			if (hp->slots[i] == SET_TOMB)
				hp->tombs--;
			hp->slots[i] = idx;
			hp->used++;
			return 0;
		}
}

int hnp_pool_new(const struct xp_prefix *pool, uint8_t hnp_len, struct hnp_pool **out)
{
	struct hnp_pool *hp;

	if (hnp_len < pool->plen || hnp_len > XP_IPV6_PREFIX_MAX)
		return -EINVAL;
	hp = calloc(1, sizeof(*hp));
	if (!hp)
		return -ENOMEM;
	hp->pool = *pool;
	hp->hnp_len = hnp_len;
	hp->bits = (uint8_t)(hnp_len - pool->plen);
	if (hp->bits > HNP_POOL_MAX_BITS)
		hp->bits = HNP_POOL_MAX_BITS;
	hp->size = 1ull << hp->bits;
	hp->cap = SET_MIN_CAP;
	hp->slots = malloc(hp->cap * sizeof(*hp->slots));
	if (!hp->slots) {
		free(hp);
		return -ENOMEM;
	}
	for (uint64_t i = 0; i < hp->cap; i++)
		hp->slots[i] = SET_EMPTY;
	*out = hp;
	return 0;
}

void hnp_pool_free(struct hnp_pool *hp)
{
	if (!hp)
		return;
	free(hp->slots);
	free(hp);
}

/* index -> prefix: the index occupies bits [hnp_len - bits, hnp_len) */
static void idx_to_prefix(const struct hnp_pool *hp, uint64_t idx, struct xp_prefix *out)
{
	unsigned first = hp->hnp_len - hp->bits;

	*out = hp->pool;
	out->plen = hp->hnp_len;
	for (unsigned b = 0; b < hp->bits; b++) {
		unsigned bit = first + b;		/* address bit, 0 = MSB */
		uint64_t v = (idx >> (hp->bits - 1 - b)) & 1;

		if (v)
			out->addr.s6_addr[bit / BYTE_BITS] |= (uint8_t)(0x80 >> (bit % BYTE_BITS));
	}
}

/* prefix -> index, or -ERANGE */
static int prefix_to_idx(const struct hnp_pool *hp, const struct xp_prefix *p, uint64_t *idx)
{
	struct xp_prefix back;
	unsigned first = hp->hnp_len - hp->bits;
	uint64_t v = 0;

	if (p->plen != hp->hnp_len || !xp_prefix_contains(&hp->pool, &p->addr))
		return -ERANGE;
	for (unsigned b = 0; b < hp->bits; b++) {
		unsigned bit = first + b;

		v = (v << 1) | ((p->addr.s6_addr[bit / BYTE_BITS] >> (7 - bit % BYTE_BITS)) & 1);
	}
	idx_to_prefix(hp, v, &back);
	if (memcmp(&back.addr, &p->addr, sizeof(back.addr)))
		return -ERANGE;		/* bits outside the index range are set */
	*idx = v;
	return 0;
}

static int find_free(const struct hnp_pool *hp, const char *mn_id, uint64_t *idx)
{
	uint64_t start = fnv1a(mn_id) & (hp->size - 1);
	uint64_t probes = hp->size < HNP_POOL_MAX_PROBES ? hp->size : HNP_POOL_MAX_PROBES;

	for (uint64_t n = 0; n < probes; n++) {
		uint64_t i = (start + n) & (hp->size - 1);

		if (set_find(hp, i) < 0) {
			*idx = i;
			return 0;
		}
	}
	return -ENOSPC;
}

int hnp_pool_peek(const struct hnp_pool *hp, const char *mn_id, struct xp_prefix *out)
{
	uint64_t idx;
	int rc = find_free(hp, mn_id, &idx);

	if (!rc)
		idx_to_prefix(hp, idx, out);
	return rc;
}

int hnp_pool_alloc(struct hnp_pool *hp, const char *mn_id, struct xp_prefix *out)
{
	uint64_t idx;
	int rc = find_free(hp, mn_id, &idx);

	if (rc)
		return rc;
	if ((rc = set_add(hp, idx)))
		return rc;
	idx_to_prefix(hp, idx, out);
	return 0;
}

int hnp_pool_reserve(struct hnp_pool *hp, const struct xp_prefix *p)
{
	uint64_t idx;
	int rc = prefix_to_idx(hp, p, &idx);

	return rc ? rc : set_add(hp, idx);
}

int hnp_pool_release(struct hnp_pool *hp, const struct xp_prefix *p)
{
	uint64_t idx;
	int64_t slot;
	int rc = prefix_to_idx(hp, p, &idx);

	if (rc)
		return rc;
	slot = set_find(hp, idx);
	if (slot < 0)
		return -ENOENT;
	hp->slots[slot] = SET_TOMB;
	hp->tombs++;
	hp->used--;
	return 0;
}

bool hnp_pool_in_use(const struct hnp_pool *hp, const struct xp_prefix *p)
{
	uint64_t idx;

	return !prefix_to_idx(hp, p, &idx) && set_find(hp, idx) >= 0;
}

bool hnp_pool_owns(const struct hnp_pool *hp, const struct xp_prefix *p)
{
	uint64_t idx;

	return !prefix_to_idx(hp, p, &idx);
}

uint64_t hnp_pool_used(const struct hnp_pool *hp)
{
	return hp->used;
}

uint64_t hnp_pool_size(const struct hnp_pool *hp)
{
	return hp->size;
}
