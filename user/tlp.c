// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* tlp.c - the 2-level prefix table (tlp.h). Allocation reuses hnp_pool's
 * stable hashing: a block per Proxy-CoA, a /64 per MAC. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "hnp_pool.h"
#include "statemap.h"
#include "tlp.h"

#define TLP_MIN_CAP	16
#define MAC_STR		18

void tlp_init(struct tlp_table *t)
{
	memset(t, 0, sizeof(*t));
}

void tlp_fini(struct tlp_table *t)
{
	free(t->e);
	memset(t, 0, sizeof(*t));
}

static bool same(const struct xp_prefix *a, const struct xp_prefix *b)
{
	return a->plen == b->plen && !memcmp(&a->addr, &b->addr, sizeof(a->addr));
}

struct tlp_entry *tlp_find(const struct tlp_table *t, const struct xp_prefix *p)
{
	for (size_t i = 0; i < t->n; i++)
		if (same(&t->e[i].p, p))
			return &t->e[i];
	return NULL;
}

struct tlp_entry *tlp_block_containing(const struct tlp_table *t, const struct in6_addr *a)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->e[i].s.level == XP_TLP_LEVEL_BLOCK && xp_prefix_contains(&t->e[i].p, a))
			return &t->e[i];
	return NULL;
}

struct tlp_entry *tlp_block_of_peer(const struct tlp_table *t, const struct in6_addr *peer)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->e[i].s.level == XP_TLP_LEVEL_BLOCK &&
		    !memcmp(t->e[i].s.peer.a8, peer->s6_addr, sizeof(t->e[i].s.peer.a8)))
			return &t->e[i];
	return NULL;
}

struct tlp_entry *tlp_put(struct tlp_table *t, const struct xp_prefix *p,
			  const struct xp_tlp_state *s)
{
	struct tlp_entry *e = tlp_find(t, p);

	if (!e) {
		if (t->n == t->cap) {
			size_t nc = t->cap ? t->cap * 2 : TLP_MIN_CAP;
			struct tlp_entry *ne = realloc(t->e, nc * sizeof(*ne));

			if (!ne)
				return NULL;
			t->e = ne;
			t->cap = nc;
		}
		e = &t->e[t->n++];
		memset(e, 0, sizeof(*e));
		e->p = *p;
	}
	e->s = *s;
	e->s.version = XP_TLP_VERSION;
	return e;
}

void tlp_del(struct tlp_table *t, struct tlp_entry *e)
{
	size_t i = (size_t)(e - t->e);

	if (i >= t->n)
		return;
	t->e[i] = t->e[--t->n];
}

int tlp_block_assign(struct tlp_table *t, const struct xp_prefix *pool, uint8_t block_len,
		     const struct in6_addr *peer, struct xp_prefix *out)
{
	struct tlp_entry *have = tlp_block_of_peer(t, peer);
	struct hnp_pool *hp;
	char key[INET6_ADDRSTRLEN];
	int rc;

	if (have) {
		*out = have->p;
		return 0;
	}
	if ((rc = hnp_pool_new(pool, block_len, &hp)))
		return rc;
	for (size_t i = 0; i < t->n; i++)
		if (t->e[i].s.level == XP_TLP_LEVEL_BLOCK)
			hnp_pool_reserve(hp, &t->e[i].p);
	inet_ntop(AF_INET6, peer, key, sizeof(key));
	memset(out, 0, sizeof(*out));
	rc = hnp_pool_alloc(hp, key, out);
	hnp_pool_free(hp);
	return rc;
}

int tlp_carve(const struct tlp_table *t, const struct xp_prefix *block, const uint8_t mac[6],
	      struct xp_prefix *out)
{
	struct hnp_pool *hp;
	char key[MAC_STR];
	int rc;

	if (block->plen > TLP_L2_LEN)
		return -EINVAL;
	if ((rc = hnp_pool_new(block, TLP_L2_LEN, &hp)))
		return rc;
	for (size_t i = 0; i < t->n; i++)
		if (t->e[i].s.level == XP_TLP_LEVEL_L2 && hnp_pool_owns(hp, &t->e[i].p))
			hnp_pool_reserve(hp, &t->e[i].p);
	snprintf(key, sizeof(key), "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	memset(out, 0, sizeof(*out));
	rc = hnp_pool_alloc(hp, key, out);
	hnp_pool_free(hp);
	return rc;
}

static void key_of(struct xp_prefix_key *k, const struct xp_prefix *p)
{
	memset(k, 0, sizeof(*k));
	k->prefixlen = p->plen;
	memcpy(k->addr.a8, p->addr.s6_addr, sizeof(k->addr.a8));
}

int tlp_store(int fd, const struct tlp_entry *e)
{
	struct xp_prefix_key k;

	if (fd < 0)
		return 0;
	key_of(&k, &e->p);
	return bpf_map_update_elem(fd, &k, &e->s, BPF_ANY) ? -errno : 0;
}

int tlp_unstore(int fd, const struct xp_prefix *p)
{
	struct xp_prefix_key k;

	if (fd < 0)
		return 0;
	key_of(&k, p);
	if (bpf_map_delete_elem(fd, &k) && errno != ENOENT)
		return -errno;
	return 0;
}

int tlp_load(int fd, struct tlp_table *t, unsigned *skipped)
{
	struct xp_prefix_key k, next;
	struct xp_tlp_state s;
	void *prev = NULL;
	int n = 0;

	*skipped = 0;
	if (fd < 0)
		return 0;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		struct xp_prefix p;

		k = next;
		prev = &k;
		if (bpf_map_lookup_elem(fd, &k, &s))
			continue;
		if (s.version != XP_TLP_VERSION || k.prefixlen > XP_IPV6_PREFIX_MAX ||
		    (s.level != XP_TLP_LEVEL_BLOCK && s.level != XP_TLP_LEVEL_L2)) {
			(*skipped)++;
			continue;
		}
		memset(&p, 0, sizeof(p));
		memcpy(p.addr.s6_addr, k.addr.a8, sizeof(p.addr.s6_addr));
		p.plen = (uint8_t)k.prefixlen;
		if (!tlp_put(t, &p, &s))
			return -ENOMEM;
		n++;
	}
	return n;
}

int tlp_map_open(const char *dir)
{
	static const struct xp_state_map_spec spec = {
		.name = XP_MAP_TLP, .key_size = sizeof(struct xp_prefix_key),
		.value_size = sizeof(struct xp_tlp_state), .max_entries = XP_TLP_MAX_ENTRIES,
		.lost = "2-level prefix",
	};

	return xp_state_map_open(dir, &spec);
}

const char *tlp_kind_str(uint8_t kind)
{
	return kind == XP_PFX_TEMPORAL ? "T" : "P";
}
