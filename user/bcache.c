// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* bcache.c - binding cache: MN hash, per-MN binding lists, prefix and
 * Proxy-CoA indexes, data plane mn_id allocation. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bcache.h"

#define FNV32_OFFSET	0x811c9dc5u
#define FNV32_PRIME	0x01000193u
#define BC_MIN_LOG2	4
#define BC_MAX_LOG2	24
#define WORD_BITS	64

struct pfx_node {
	struct xp_prefix p;
	struct bce *b;
	struct pfx_node *next;
};

struct bcache {
	uint32_t mask;
	struct bc_mn **mn_tab;
	struct bc_pcoa **pcoa_tab;
	struct pfx_node **pfx_tab;
	uint64_t *idx_map;		/* bitmap of used mn indices */
	uint32_t idx_next;
	uint32_t n_bce, n_mn;
};

static uint32_t fnv(const void *p, size_t len, uint32_t h)
{
	const uint8_t *s = p;

	for (size_t i = 0; i < len; i++) {
		h ^= s[i];
		h *= FNV32_PRIME;
	}
	return h;
}

static uint32_t h_str(const struct bcache *bc, const char *s)
{
	return fnv(s, strlen(s), FNV32_OFFSET) & bc->mask;
}

static uint32_t h_addr(const struct bcache *bc, const struct in6_addr *a)
{
	return fnv(a, sizeof(*a), FNV32_OFFSET) & bc->mask;
}

static uint32_t h_pfx(const struct bcache *bc, const struct xp_prefix *p)
{
	return fnv(&p->plen, 1, fnv(&p->addr, sizeof(p->addr), FNV32_OFFSET)) & bc->mask;
}

static bool pfx_eq(const struct xp_prefix *a, const struct xp_prefix *b)
{
	return a->plen == b->plen && !memcmp(&a->addr, &b->addr, sizeof(a->addr));
}

int bcache_new(unsigned buckets_log2, struct bcache **out)
{
	struct bcache *bc;
	size_t n;

	if (buckets_log2 < BC_MIN_LOG2)
		buckets_log2 = BC_MIN_LOG2;
	if (buckets_log2 > BC_MAX_LOG2)
		buckets_log2 = BC_MAX_LOG2;
	n = (size_t)1 << buckets_log2;
	bc = calloc(1, sizeof(*bc));
	if (!bc)
		return -ENOMEM;
	bc->mask = (uint32_t)n - 1;
	bc->mn_tab = calloc(n, sizeof(*bc->mn_tab));
	bc->pcoa_tab = calloc(n, sizeof(*bc->pcoa_tab));
	bc->pfx_tab = calloc(n, sizeof(*bc->pfx_tab));
	bc->idx_map = calloc(BC_MAX_MN_IDX / WORD_BITS, sizeof(*bc->idx_map));
	if (!bc->mn_tab || !bc->pcoa_tab || !bc->pfx_tab || !bc->idx_map) {
		bcache_free(bc, NULL, NULL);
		return -ENOMEM;
	}
	bc->idx_map[0] = 1;	/* index 0 is never used */
	bc->idx_next = 1;
	*out = bc;
	return 0;
}

static bool idx_used(const struct bcache *bc, uint32_t i)
{
	return bc->idx_map[i / WORD_BITS] & (1ull << (i % WORD_BITS));
}

static void idx_set(struct bcache *bc, uint32_t i, bool on)
{
	if (on)
		bc->idx_map[i / WORD_BITS] |= 1ull << (i % WORD_BITS);
	else
		bc->idx_map[i / WORD_BITS] &= ~(1ull << (i % WORD_BITS));
}

static uint32_t idx_alloc(struct bcache *bc)
{
	for (uint32_t n = 0; n < BC_MAX_MN_IDX; n++) {
		uint32_t i = (bc->idx_next + n) % BC_MAX_MN_IDX;

		if (!idx_used(bc, i)) {
			idx_set(bc, i, true);
			bc->idx_next = (i + 1) % BC_MAX_MN_IDX;
			return i;
		}
	}
	return 0;
}

struct bc_mn *bcache_mn(const struct bcache *bc, const char *mn_id)
{
	for (struct bc_mn *m = bc->mn_tab[h_str(bc, mn_id)]; m; m = m->hnext)
		if (!strcmp(m->mn_id, mn_id))
			return m;
	return NULL;
}

struct bc_mn *bcache_mn_by_idx(const struct bcache *bc, uint32_t idx)
{
	if (!idx || idx >= BC_MAX_MN_IDX || !idx_used(bc, idx))
		return NULL;
	for (uint32_t i = 0; i <= bc->mask; i++)
		for (struct bc_mn *m = bc->mn_tab[i]; m; m = m->hnext)
			if (m->idx == idx)
				return m;
	return NULL;
}

struct bce *bcache_get(const struct bcache *bc, const char *mn_id, uint16_t bid)
{
	struct bc_mn *m = bcache_mn(bc, mn_id);

	for (struct bce *b = m ? m->bces : NULL; b; b = b->mn_next)
		if (b->bid == bid)
			return b;
	return NULL;
}

static uint16_t free_bid(const struct bc_mn *m)
{
	for (uint32_t bid = BC_BID_MIN; bid <= UINT16_MAX; bid++) {
		bool used = false;

		for (struct bce *b = m->bces; b && !used; b = b->mn_next)
			used = b->bid == bid;
		if (!used)
			return (uint16_t)bid;
	}
	return 0;
}

struct bce *bcache_add(struct bcache *bc, const char *mn_id, uint16_t bid, uint32_t idx,
		       int *err)
{
	struct bc_mn *m;
	struct bce *b;
	bool new_mn = false;

	*err = -EINVAL;
	if (!mn_id || !*mn_id || strlen(mn_id) > XP_MNID_MAX_LEN || idx >= BC_MAX_MN_IDX)
		return NULL;
	m = bcache_mn(bc, mn_id);
	if (m && idx && m->idx != idx)
		return NULL;
	if (!m) {
		if (idx && idx_used(bc, idx)) {
			*err = -EEXIST;
			return NULL;
		}
		m = calloc(1, sizeof(*m));
		if (!m) {
			*err = -ENOMEM;
			return NULL;
		}
		strcpy(m->mn_id, mn_id);
		if (idx) {
			idx_set(bc, idx, true);
			m->idx = idx;
		} else if (!(m->idx = idx_alloc(bc))) {
			free(m);
			*err = -ENOSPC;
			return NULL;
		}
		new_mn = true;
	}
	if (!bid)
		bid = free_bid(m);
	if (!bid || (!new_mn && bcache_get(bc, mn_id, bid))) {
		*err = bid ? -EEXIST : -ENOSPC;
		goto fail;
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		*err = -ENOMEM;
		goto fail;
	}
	b->mn = m;
	b->bid = bid;
	b->state = BCE_ACTIVE;
	b->timer.heap_idx = -1;
	b->mn_next = m->bces;
	m->bces = b;
	m->n_bce++;
	bc->n_bce++;
	if (new_mn) {
		uint32_t h = h_str(bc, mn_id);

		m->hnext = bc->mn_tab[h];
		bc->mn_tab[h] = m;
		bc->n_mn++;
	}
	*err = 0;
	return b;
fail:
	if (new_mn) {
		idx_set(bc, m->idx, false);
		free(m);
	}
	return NULL;
}

static struct bc_pcoa *pcoa_find(const struct bcache *bc, const struct in6_addr *a)
{
	for (struct bc_pcoa *n = bc->pcoa_tab[h_addr(bc, a)]; n; n = n->hnext)
		if (!memcmp(&n->addr, a, sizeof(*a)))
			return n;
	return NULL;
}

static void pcoa_unhash(struct bcache *bc, struct bce *b)
{
	struct bc_pcoa *n = b->pcoa_node;

	if (!n)
		return;
	if (b->pcoa_prev)
		b->pcoa_prev->pcoa_next = b->pcoa_next;
	else
		n->bces = b->pcoa_next;
	if (b->pcoa_next)
		b->pcoa_next->pcoa_prev = b->pcoa_prev;
	b->pcoa_next = b->pcoa_prev = NULL;
	b->pcoa_node = NULL;
	if (--n->n)
		return;
	for (struct bc_pcoa **pp = &bc->pcoa_tab[h_addr(bc, &n->addr)]; *pp; pp = &(*pp)->hnext)
		if (*pp == n) {
			*pp = n->hnext;
			break;
		}
	free(n);
}

int bcache_set_pcoa(struct bcache *bc, struct bce *b, const struct in6_addr *pcoa)
{
	struct bc_pcoa *n = pcoa_find(bc, pcoa);

	if (!n) {
		uint32_t h = h_addr(bc, pcoa);

		n = calloc(1, sizeof(*n));
		if (!n)
			return -ENOMEM;
		n->addr = *pcoa;
		n->hnext = bc->pcoa_tab[h];
		bc->pcoa_tab[h] = n;
	}
	pcoa_unhash(bc, b);
	b->pcoa = *pcoa;
	b->pcoa_node = n;
	b->pcoa_prev = NULL;
	b->pcoa_next = n->bces;
	if (n->bces)
		n->bces->pcoa_prev = b;
	n->bces = b;
	n->n++;
	return 0;
}

static void pfx_unindex(struct bcache *bc, struct bce *b)
{
	for (uint8_t i = 0; i < b->n_hnp; i++)
		for (struct pfx_node **pp = &bc->pfx_tab[h_pfx(bc, &b->hnp[i])]; *pp;
		     pp = &(*pp)->next)
			if ((*pp)->b == b && pfx_eq(&(*pp)->p, &b->hnp[i])) {
				struct pfx_node *n = *pp;

				*pp = n->next;
				free(n);
				break;
			}
}

struct bce *bcache_by_prefix(const struct bcache *bc, const struct xp_prefix *p)
{
	for (struct pfx_node *n = bc->pfx_tab[h_pfx(bc, p)]; n; n = n->next)
		if (pfx_eq(&n->p, p))
			return n->b;
	return NULL;
}

size_t bcache_by_prefix_all(const struct bcache *bc, const struct xp_prefix *p,
			    struct bce **out, size_t max)
{
	size_t n = 0;

	for (struct pfx_node *x = bc->pfx_tab[h_pfx(bc, p)]; x; x = x->next)
		if (pfx_eq(&x->p, p)) {
			if (n < max)
				out[n] = x->b;
			n++;
		}
	return n;
}

static int set_prefixes(struct bcache *bc, struct bce *b, uint8_t n,
			const struct xp_prefix *hnp, bool shared)
{
	struct pfx_node *nodes[XP_CFG_MAX_HNP] = { 0 };

	if (n > XP_CFG_MAX_HNP)
		return -EINVAL;
	for (uint8_t i = 0; i < n; i++) {
		for (struct pfx_node *x = bc->pfx_tab[h_pfx(bc, &hnp[i])]; x; x = x->next)
			if (pfx_eq(&x->p, &hnp[i]) && x->b != b && (!shared || x->b->mn != b->mn))
				return -EEXIST;
		nodes[i] = calloc(1, sizeof(*nodes[i]));
		if (!nodes[i]) {
			for (uint8_t j = 0; j < i; j++)
				free(nodes[j]);
			return -ENOMEM;
		}
	}
	pfx_unindex(bc, b);
	b->n_hnp = n;
	for (uint8_t i = 0; i < n; i++) {
		uint32_t h;

		memset(&b->hnp[i], 0, sizeof(b->hnp[i]));
		b->hnp[i].addr = hnp[i].addr;
		b->hnp[i].plen = hnp[i].plen;
		nodes[i]->p = b->hnp[i];
		nodes[i]->b = b;
		h = h_pfx(bc, &b->hnp[i]);
		nodes[i]->next = bc->pfx_tab[h];
		bc->pfx_tab[h] = nodes[i];
	}
	return 0;
}

int bcache_set_prefixes(struct bcache *bc, struct bce *b, uint8_t n,
			const struct xp_prefix *hnp)
{
	return set_prefixes(bc, b, n, hnp, false);
}

int bcache_share_prefixes(struct bcache *bc, struct bce *b, uint8_t n,
			  const struct xp_prefix *hnp)
{
	return set_prefixes(bc, b, n, hnp, true);
}

size_t bcache_by_pcoa(const struct bcache *bc, const struct in6_addr *pcoa,
		      struct bce **out, size_t max)
{
	struct bc_pcoa *n = pcoa_find(bc, pcoa);
	size_t i = 0;

	if (!n)
		return 0;
	for (struct bce *b = n->bces; b && i < max && out; b = b->pcoa_next)
		out[i++] = b;
	return n->n;
}

void bcache_del(struct bcache *bc, struct bce *b)
{
	struct bc_mn *m = b->mn;

	pfx_unindex(bc, b);
	pcoa_unhash(bc, b);
	for (struct bce **pp = &m->bces; *pp; pp = &(*pp)->mn_next)
		if (*pp == b) {
			*pp = b->mn_next;
			break;
		}
	m->n_bce--;
	bc->n_bce--;
	free(b);
	if (m->n_bce)
		return;
	for (struct bc_mn **pp = &bc->mn_tab[h_str(bc, m->mn_id)]; *pp; pp = &(*pp)->hnext)
		if (*pp == m) {
			*pp = m->hnext;
			break;
		}
	idx_set(bc, m->idx, false);
	bc->n_mn--;
	free(m);
}

void bcache_foreach(const struct bcache *bc, void (*cb)(struct bce *b, void *ctx), void *ctx)
{
	for (uint32_t i = 0; i <= bc->mask; i++) {
		struct bc_mn *m = bc->mn_tab[i], *mnext;

		for (; m; m = mnext) {
			struct bce *b = m->bces, *bnext;

			mnext = m->hnext;	/* cb may delete the MN's last binding */
			for (; b; b = bnext) {
				bnext = b->mn_next;
				cb(b, ctx);
			}
		}
	}
}

uint32_t bcache_count(const struct bcache *bc)
{
	return bc->n_bce;
}

uint32_t bcache_mn_count(const struct bcache *bc)
{
	return bc->n_mn;
}

struct free_ctx {
	struct bcache *bc;
	void (*cb)(struct bce *b, void *ctx);
	void *ctx;
};

static void free_one(struct bce *b, void *ctx)
{
	struct free_ctx *f = ctx;

	if (f->cb)
		f->cb(b, f->ctx);
	bcache_del(f->bc, b);
}

void bcache_free(struct bcache *bc, void (*cb)(struct bce *b, void *ctx), void *ctx)
{
	struct free_ctx f = { bc, cb, ctx };

	if (!bc)
		return;
	if (bc->mn_tab)
		bcache_foreach(bc, free_one, &f);
	free(bc->mn_tab);
	free(bc->pcoa_tab);
	free(bc->pfx_tab);
	free(bc->idx_map);
	free(bc);
}

bool bce_prefix_set_is(const struct bce *b, const struct mh_opts *o)
{
	static const struct in6_addr zero;
	bool all_zero = true;

	for (uint8_t i = 0; i < o->n_hnp; i++)
		all_zero &= !memcmp(&o->hnp[i].prefix, &zero, sizeof(zero));
	if (all_zero)
		return b->n_hnp > 0;
	if (b->n_hnp != o->n_hnp)
		return false;
	for (uint8_t i = 0; i < o->n_hnp; i++) {
		bool found = false;

		for (uint8_t j = 0; j < b->n_hnp && !found; j++)
			found = b->hnp[j].plen == o->hnp[i].plen &&
				!memcmp(&b->hnp[j].addr, &o->hnp[i].prefix, sizeof(b->hnp[j].addr));
		if (!found)
			return false;
	}
	return true;
}
