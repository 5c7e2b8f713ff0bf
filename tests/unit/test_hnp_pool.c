// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* HNP pool: stable per MN, collisions, exhaustion, reserve/release. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hnp_pool.h"

static struct hnp_pool *mk(const char *pfx, uint8_t len)
{
	struct xp_prefix p;
	struct hnp_pool *hp;

	cr_assert_eq(xp_prefix_parse(pfx, &p), 0);
	cr_assert_eq(hnp_pool_new(&p, len, &hp), 0);
	return hp;
}

static bool peq(const struct xp_prefix *a, const struct xp_prefix *b)
{
	return a->plen == b->plen && !memcmp(&a->addr, &b->addr, sizeof(a->addr));
}

static const char *str(const struct xp_prefix *p)
{
	static char buf[64];

	return xp_prefix_str(p, buf, sizeof(buf));
}

Test(hnp_pool, stable_per_mn_and_inside_the_pool)
{
	struct hnp_pool *hp = mk("2001:db8:100::/40", 64);
	struct xp_prefix a, b, a2, pool;

	xp_prefix_parse("2001:db8:100::/40", &pool);
	cr_assert_eq(hnp_pool_size(hp), 1ull << 24);
	cr_assert_eq(hnp_pool_alloc(hp, "mn1@x", &a), 0);
	cr_assert_eq(a.plen, 64);
	cr_assert(xp_prefix_contains(&pool, &a.addr));
	for (int i = 8; i < 16; i++)
		cr_assert_eq(a.addr.s6_addr[i], 0, "host bits set in %s", str(&a));
	cr_assert(hnp_pool_in_use(hp, &a));
	cr_assert_eq(hnp_pool_alloc(hp, "mn2@x", &b), 0);
	cr_assert_neq(!peq(&a, &b), 0);
	/* released and asked again: the same prefix */
	cr_assert_eq(hnp_pool_release(hp, &a), 0);
	cr_assert_not(hnp_pool_in_use(hp, &a));
	cr_assert_eq(hnp_pool_peek(hp, "mn1@x", &a2), 0);
	cr_assert_eq(!peq(&a, &a2), 0);
	cr_assert_eq(hnp_pool_alloc(hp, "mn1@x", &a2), 0);
	cr_assert_eq(!peq(&a, &a2), 0);
	cr_assert_eq(hnp_pool_used(hp), 2);
	hnp_pool_free(hp);

	/* a fresh pool (another daemon run) gives the same answer */
	hp = mk("2001:db8:100::/40", 64);
	cr_assert_eq(hnp_pool_alloc(hp, "mn1@x", &a2), 0);
	cr_assert_eq(!peq(&a, &a2), 0);
	hnp_pool_free(hp);
}

Test(hnp_pool, second_interface_gets_another_prefix)
{
	struct hnp_pool *hp = mk("2001:db8:100::/40", 64);
	struct xp_prefix a, b;

	cr_assert_eq(hnp_pool_alloc(hp, "mn1@x", &a), 0);
	cr_assert_eq(hnp_pool_alloc(hp, "mn1@x", &b), 0);
	cr_assert_neq(!peq(&a, &b), 0);
	hnp_pool_free(hp);
}

Test(hnp_pool, collision_probes_and_exhaustion)
{
	struct hnp_pool *hp = mk("2001:db8:100::/60", 64);	/* 16 prefixes */
	struct xp_prefix got[16], p;
	char id[32];

	cr_assert_eq(hnp_pool_size(hp), 16);
	for (int i = 0; i < 16; i++) {
		snprintf(id, sizeof(id), "mn%d", i);
		cr_assert_eq(hnp_pool_alloc(hp, id, &got[i]), 0);
		for (int j = 0; j < i; j++)
			cr_assert_neq(!peq(&got[i], &got[j]), 0, "duplicate %s", str(&got[i]));
	}
	cr_assert_eq(hnp_pool_alloc(hp, "one-too-many", &p), -ENOSPC);
	cr_assert_eq(hnp_pool_peek(hp, "one-too-many", &p), -ENOSPC);
	cr_assert_eq(hnp_pool_release(hp, &got[5]), 0);
	cr_assert_eq(hnp_pool_release(hp, &got[5]), -ENOENT);
	cr_assert_eq(hnp_pool_alloc(hp, "one-too-many", &p), 0);
	cr_assert_eq(!peq(&p, &got[5]), 0);
	hnp_pool_free(hp);
}

Test(hnp_pool, reserve_and_ownership)
{
	struct hnp_pool *hp = mk("2001:db8:100::/40", 64);
	struct xp_prefix in, out, wrong_len, a;

	xp_prefix_parse("2001:db8:1ab:cd00::/64", &in);
	xp_prefix_parse("2001:db8:200::/64", &out);
	xp_prefix_parse("2001:db8:100::/56", &wrong_len);
	cr_assert(hnp_pool_owns(hp, &in));
	cr_assert_not(hnp_pool_owns(hp, &out));
	cr_assert_not(hnp_pool_owns(hp, &wrong_len));
	cr_assert_eq(hnp_pool_reserve(hp, &in), 0);
	cr_assert_eq(hnp_pool_reserve(hp, &in), -EEXIST);
	cr_assert_eq(hnp_pool_reserve(hp, &out), -ERANGE);
	cr_assert_eq(hnp_pool_release(hp, &out), -ERANGE);
	cr_assert(hnp_pool_in_use(hp, &in));
	/* many allocations never hand out the reserved one */
	for (int i = 0; i < 5000; i++) {
		char id[32];

		snprintf(id, sizeof(id), "m%d", i);
		cr_assert_eq(hnp_pool_alloc(hp, id, &a), 0);
		cr_assert_neq(!peq(&a, &in), 0);
	}
	cr_assert_eq(hnp_pool_used(hp), 5001);
	hnp_pool_free(hp);
}

Test(hnp_pool, odd_lengths)
{
	struct hnp_pool *hp = mk("2001:db8:100::/44", 48);
	struct xp_prefix a, pool;

	xp_prefix_parse("2001:db8:100::/44", &pool);
	cr_assert_eq(hnp_pool_size(hp), 16);
	cr_assert_eq(hnp_pool_alloc(hp, "x", &a), 0);
	cr_assert_eq(a.plen, 48);
	cr_assert(xp_prefix_contains(&pool, &a.addr));
	cr_assert(hnp_pool_owns(hp, &a));
	hnp_pool_free(hp);

	struct xp_prefix p;
	xp_prefix_parse("2001:db8::/64", &p);
	cr_assert_eq(hnp_pool_new(&p, 48, &hp), -EINVAL);
}

/*
 * The used set grows by moving a few slots per operation (hnp_pool.c): every
 * prefix stays in use, none is handed out twice, and releases and
 * re-reservations work while a growth is half done, through several
 * growths (64 -> 32768 slots).
 */
Test(hnp_pool, growth_keeps_every_prefix)
{
	enum { N = 12000 };
	static struct xp_prefix got[N];
	struct hnp_pool *hp = mk("2001:db8:100::/40", 64);
	char id[32];

	for (int i = 0; i < N; i++) {
		snprintf(id, sizeof(id), "grow-%d@x", i);
		cr_assert_eq(hnp_pool_alloc(hp, id, &got[i]), 0, "alloc %d", i);
		cr_assert(hnp_pool_in_use(hp, &got[i]));
		if (i % 3 == 2) {	/* release an older one, mid-growth or not */
			cr_assert_eq(hnp_pool_release(hp, &got[i / 2]), 0, "release %d", i / 2);
			cr_assert_not(hnp_pool_in_use(hp, &got[i / 2]));
			cr_assert_eq(hnp_pool_release(hp, &got[i / 2]), -ENOENT);
			cr_assert_eq(hnp_pool_reserve(hp, &got[i / 2]), 0, "reserve %d", i / 2);
			cr_assert_eq(hnp_pool_reserve(hp, &got[i / 2]), -EEXIST);
		}
	}
	cr_assert_eq(hnp_pool_used(hp), N);
	for (int i = 0; i < N; i++) {
		cr_assert(hnp_pool_in_use(hp, &got[i]), "%s (%d) still in use", str(&got[i]), i);
		cr_assert_eq(hnp_pool_reserve(hp, &got[i]), -EEXIST, "%d not handed out twice", i);
	}
	/* half of them back: the others stay, the freed ones are free */
	for (int i = 0; i < N; i += 2)
		cr_assert_eq(hnp_pool_release(hp, &got[i]), 0);
	cr_assert_eq(hnp_pool_used(hp), N / 2);
	for (int i = 0; i < N; i++)
		cr_assert_eq(hnp_pool_in_use(hp, &got[i]), i % 2 == 1, "%d", i);
	hnp_pool_free(hp);
}
