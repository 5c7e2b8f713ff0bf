// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* hnp_pool.c - deterministic per-MN prefix allocation with linear probing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hnp_pool.h"

#define FNV64_OFFSET	0xcbf29ce484222325ull
#define FNV64_PRIME	0x100000001b3ull
#define SET_MIN_CAP	64	/* power of two */
#define SLOT_EMPTY	0		/* calloc'ed tables need no initialisation */
#define SLOT_TOMB	UINT64_MAX	/* removed: probing goes on past it */
#define SET_MOVE_STEP	16	/* old slots moved per operation while growing */
#define BYTE_BITS	8

/*
 * The set of used prefix indices: open addressing, linear probing; a slot
 * holds index + 1. It grows without stopping the daemon: rehashing 2^19
 * indices in one go took 445 ms here, longer than a PBU's timestamp
 * validity window (300 ms), and the PBUs queued behind it were refused
 * (tests/bench/scale.sh lost ~255 of 1M registrations that way). Growing
 * starts a table twice the size that takes every new index, and each later
 * add or release moves SET_MOVE_STEP slots of the old table into it;
 * lookups look in both until the old one is empty. The new table must
 * start SET_MOVE_STEP >= 2 times faster than it fills, which it does: it
 * needs old.cap / SET_MOVE_STEP operations to empty the old table and
 * takes old.cap / 2 new indices before it must grow again (if it must
 * anyway, the rest of the old table is moved first).
 */
struct set_tab {
	uint64_t *slots;	/* NULL: no table */
	uint64_t cap;		/* power of two */
	uint64_t n, tombs;	/* indices held, removed slots */
};

struct hnp_pool {
	struct xp_prefix pool;
	uint8_t hnp_len;
	uint8_t bits;		/* index bits: hnp_len - pool plen, capped */
	uint64_t size;
	struct set_tab cur;	/* takes new indices */
	struct set_tab old;	/* being emptied into cur while growing */
	uint64_t old_pos;	/* next slot of old to move */
	uint64_t used;		/* indices in both tables */
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

/* Slot of v (index + 1) in t, or -1 */
static int64_t tab_find(const struct set_tab *t, uint64_t v)
{
	uint64_t mask = t->cap - 1;

	if (!t->slots)
		return -1;
	for (uint64_t i = mix(v - 1) & mask, n = 0; n < t->cap; i = (i + 1) & mask, n++) {
		if (t->slots[i] == SLOT_EMPTY)
			return -1;
		if (t->slots[i] == v)
			return (int64_t)i;
	}
	return -1;
}

/* Put v (not in t) into the first free or removed slot of its probe
 * sequence; t has one (its load stays at most a half, see set_add) */
static void tab_put(struct set_tab *t, uint64_t v)
{
	uint64_t mask = t->cap - 1;

	for (uint64_t i = mix(v - 1) & mask;; i = (i + 1) & mask)
		if (t->slots[i] == SLOT_EMPTY || t->slots[i] == SLOT_TOMB) {
			if (t->slots[i] == SLOT_TOMB)
				t->tombs--;
			t->slots[i] = v;
			t->n++;
			return;
		}
}

/* The table holding idx and its slot, or NULL */
static struct set_tab *set_find_in(const struct hnp_pool *hp, uint64_t idx, int64_t *slot)
{
	struct hnp_pool *w = (struct hnp_pool *)hp;

	if ((*slot = tab_find(&hp->cur, idx + 1)) >= 0)
		return &w->cur;
	if ((*slot = tab_find(&hp->old, idx + 1)) >= 0)
		return &w->old;
	return NULL;
}

static bool set_has(const struct hnp_pool *hp, uint64_t idx)
{
	int64_t slot;

	return set_find_in(hp, idx, &slot) != NULL;
}

/* Move up to n slots of the old table into the current one */
static void set_move(struct hnp_pool *hp, uint64_t n)
{
	for (; hp->old.slots && n; n--) {
		uint64_t *s = &hp->old.slots[hp->old_pos], v = *s;

		if (v != SLOT_EMPTY && v != SLOT_TOMB) {
			tab_put(&hp->cur, v);
			*s = SLOT_TOMB;	/* not EMPTY: later probes pass it */
			hp->old.n--;
		}
		if (++hp->old_pos == hp->old.cap) {
			free(hp->old.slots);
			hp->old = (struct set_tab){ 0 };
			hp->old_pos = 0;
		}
	}
}

/* Start growing: the current table becomes the old one */
static int set_grow(struct hnp_pool *hp)
{
	uint64_t ncap = hp->cur.cap * 2;
	uint64_t *n = calloc(ncap, sizeof(*n));

	if (!n)
		return -ENOMEM;
	set_move(hp, hp->old.cap);	/* the last growth is finished first */
	hp->old = hp->cur;
	hp->old_pos = 0;
	hp->cur = (struct set_tab){ .slots = n, .cap = ncap };
	return 0;
}

static int set_add(struct hnp_pool *hp, uint64_t idx)
{
	int rc;

	if (set_has(hp, idx))
		return -EEXIST;
	set_move(hp, SET_MOVE_STEP);
	if ((hp->cur.n + hp->cur.tombs + 1) * 2 > hp->cur.cap && (rc = set_grow(hp)))
		return rc;
	tab_put(&hp->cur, idx + 1);
	hp->used++;
	return 0;
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
	hp->cur.cap = SET_MIN_CAP;
	hp->cur.slots = calloc(hp->cur.cap, sizeof(*hp->cur.slots));
	if (!hp->cur.slots) {
		free(hp);
		return -ENOMEM;
	}
	*out = hp;
	return 0;
}

void hnp_pool_free(struct hnp_pool *hp)
{
	if (!hp)
		return;
	free(hp->cur.slots);
	free(hp->old.slots);
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

		if (!set_has(hp, i)) {
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
	struct set_tab *t;
	uint64_t idx;
	int64_t slot;
	int rc = prefix_to_idx(hp, p, &idx);

	if (rc)
		return rc;
	if (!(t = set_find_in(hp, idx, &slot)))
		return -ENOENT;
	t->slots[slot] = SLOT_TOMB;
	t->tombs++;
	t->n--;
	hp->used--;
	set_move(hp, SET_MOVE_STEP);
	return 0;
}

bool hnp_pool_in_use(const struct hnp_pool *hp, const struct xp_prefix *p)
{
	uint64_t idx;

	return !prefix_to_idx(hp, p, &idx) && set_has(hp, idx);
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
