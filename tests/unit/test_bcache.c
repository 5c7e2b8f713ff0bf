// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Binding cache: several bindings per MN, BIDs, indexes, mn_id indices. */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bcache.h"

static struct xp_prefix P(const char *s)
{
	struct xp_prefix p;

	memset(&p, 0, sizeof(p));
	cr_assert_eq(xp_prefix_parse(s, &p), 0);
	return p;
}

static struct in6_addr A(const char *s)
{
	struct in6_addr a;

	cr_assert_eq(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

Test(bcache, several_bindings_per_mn)
{
	struct bcache *bc;
	int err;

	cr_assert_eq(bcache_new(8, &bc), 0);
	struct bce *b1 = bcache_add(bc, "mn1", 0, 0, &err);
	cr_assert_not_null(b1);
	cr_assert_eq(b1->bid, 1);
	struct bce *b2 = bcache_add(bc, "mn1", 0, 0, &err);
	cr_assert_not_null(b2);
	cr_assert_eq(b2->bid, 2);
	cr_assert_eq(b1->mn, b2->mn);
	cr_assert_eq(b1->mn->n_bce, 2);
	cr_assert_neq(b1->mn->idx, 0);
	cr_assert_null(bcache_add(bc, "mn1", 2, 0, &err));
	cr_assert_eq(err, -EEXIST);
	struct bce *b7 = bcache_add(bc, "mn1", 7, 0, &err);
	cr_assert_eq(b7->bid, 7);
	cr_assert_eq(bcache_get(bc, "mn1", 7), b7);
	cr_assert_eq(bcache_get(bc, "mn1", 2), b2);
	cr_assert_null(bcache_get(bc, "mn1", 3));
	cr_assert_null(bcache_get(bc, "mn2", 1));

	struct bce *c = bcache_add(bc, "mn2", 0, 0, &err);
	cr_assert_neq(c->mn->idx, b1->mn->idx);
	cr_assert_eq(bcache_count(bc), 4);
	cr_assert_eq(bcache_mn_count(bc), 2);
	cr_assert_eq(bcache_mn_by_idx(bc, c->mn->idx), c->mn);

	/* a freed BID is reused */
	bcache_del(bc, b1);
	b1 = bcache_add(bc, "mn1", 0, 0, &err);
	cr_assert_eq(b1->bid, 1);
	bcache_free(bc, NULL, NULL);
}

Test(bcache, prefix_and_pcoa_indexes)
{
	struct bcache *bc;
	int err;
	struct bce *out[4];

	cr_assert_eq(bcache_new(4, &bc), 0);
	struct bce *a = bcache_add(bc, "a", 0, 0, &err);
	struct bce *b = bcache_add(bc, "b", 0, 0, &err);
	struct bce *a2 = bcache_add(bc, "a", 0, 0, &err);
	struct xp_prefix pa[2] = { P("2001:db8:1::/64"), P("2001:db8:2::/64") };
	struct xp_prefix pb = P("2001:db8:3::/64");
	struct in6_addr m1 = A("2001:db8:a1::2"), m2 = A("2001:db8:a2::2");

	cr_assert_eq(bcache_set_prefixes(bc, a, 2, pa), 0);
	cr_assert_eq(bcache_set_prefixes(bc, b, 1, &pb), 0);
	cr_assert_eq(bcache_set_prefixes(bc, a2, 1, &pb), -EEXIST);
	cr_assert_eq(a2->n_hnp, 0);
	cr_assert_eq(bcache_by_prefix(bc, &pa[1]), a);
	cr_assert_eq(bcache_by_prefix(bc, &pb), b);
	struct xp_prefix other_len = P("2001:db8:3::/56");
	cr_assert_null(bcache_by_prefix(bc, &other_len));

	cr_assert_eq(bcache_set_pcoa(bc, a, &m1), 0);
	cr_assert_eq(bcache_set_pcoa(bc, b, &m1), 0);
	cr_assert_eq(bcache_set_pcoa(bc, a2, &m2), 0);
	cr_assert_eq(bcache_by_pcoa(bc, &m1, out, 4), 2);
	cr_assert_eq(bcache_by_pcoa(bc, &m2, out, 4), 1);
	cr_assert_eq(out[0], a2);
	/* handover: a moves to m2; again is a no-op */
	cr_assert_eq(bcache_set_pcoa(bc, a, &m2), 0);
	cr_assert_eq(bcache_set_pcoa(bc, a, &m2), 0);
	cr_assert_eq(bcache_by_pcoa(bc, &m1, out, 4), 1);
	cr_assert_eq(out[0], b);
	cr_assert_eq(bcache_by_pcoa(bc, &m2, NULL, 0), 2);

	/* prefixes replaced: old ones unindexed */
	struct xp_prefix pn = P("2001:db8:9::/64");
	cr_assert_eq(bcache_set_prefixes(bc, a, 1, &pn), 0);
	cr_assert_null(bcache_by_prefix(bc, &pa[0]));
	cr_assert_eq(bcache_by_prefix(bc, &pn), a);

	bcache_del(bc, a);
	cr_assert_null(bcache_by_prefix(bc, &pn));
	cr_assert_eq(bcache_by_pcoa(bc, &m2, out, 4), 1);
	bcache_del(bc, b);
	cr_assert_null(bcache_mn(bc, "b"));
	cr_assert_eq(bcache_by_pcoa(bc, &m1, out, 4), 0);
	bcache_free(bc, NULL, NULL);
}

Test(bcache, pcoa_count_is_constant_time_at_scale, .timeout = 20)
{
	struct bcache *bc;
	int err;
	char id[32];
	struct in6_addr m1 = A("2001:db8:a1::2");
	struct bce *first = NULL, *out[2];

	cr_assert_eq(bcache_new(16, &bc), 0);
	for (int i = 0; i < 200000; i++) {
		snprintf(id, sizeof(id), "mn%d", i);
		struct bce *b = bcache_add(bc, id, 0, 0, &err);

		cr_assert_not_null(b);
		cr_assert_eq(bcache_set_pcoa(bc, b, &m1), 0);
		cr_assert_eq(bcache_by_pcoa(bc, &m1, NULL, 0), (size_t)i + 1);
		if (!first)
			first = b;
	}
	cr_assert_eq(bcache_by_pcoa(bc, &m1, out, 2), 200000);
	bcache_del(bc, first);
	cr_assert_eq(bcache_by_pcoa(bc, &m1, NULL, 0), 199999);
	bcache_free(bc, NULL, NULL);
}

Test(bcache, restore_with_given_index)
{
	struct bcache *bc;
	int err;

	cr_assert_eq(bcache_new(4, &bc), 0);
	struct bce *a = bcache_add(bc, "a", 3, 42, &err);
	cr_assert_not_null(a);
	cr_assert_eq(a->mn->idx, 42);
	cr_assert_eq(a->bid, 3);
	cr_assert_null(bcache_add(bc, "b", 1, 42, &err));	/* index taken */
	cr_assert_eq(err, -EEXIST);
	cr_assert_null(bcache_add(bc, "a", 4, 43, &err));	/* a has 42 */
	cr_assert_eq(err, -EINVAL);
	cr_assert_not_null(bcache_add(bc, "a", 4, 42, &err));
	struct bce *b = bcache_add(bc, "b", 0, 0, &err);
	cr_assert_neq(b->mn->idx, 42);
	cr_assert_null(bcache_add(bc, "", 0, 0, &err));
	cr_assert_eq(err, -EINVAL);
	bcache_free(bc, NULL, NULL);
}

static int seen;
static void count_cb(struct bce *b, void *ctx)
{
	(void)b;
	(void)ctx;
	seen++;
}

Test(bcache, many_mns_foreach_and_free)
{
	struct bcache *bc;
	int err;
	char id[32];

	cr_assert_eq(bcache_new(10, &bc), 0);
	for (int i = 0; i < 20000; i++) {
		snprintf(id, sizeof(id), "mn%d", i);
		cr_assert_not_null(bcache_add(bc, id, 0, 0, &err));
		if (i % 2)
			cr_assert_not_null(bcache_add(bc, id, 0, 0, &err));
	}
	cr_assert_eq(bcache_count(bc), 30000);
	cr_assert_eq(bcache_mn_count(bc), 20000);
	seen = 0;
	bcache_foreach(bc, count_cb, NULL);
	cr_assert_eq(seen, 30000);
	cr_assert_not_null(bcache_get(bc, "mn19999", 2));
	seen = 0;
	bcache_free(bc, count_cb, NULL);
	cr_assert_eq(seen, 30000);
}
