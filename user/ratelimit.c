// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* ratelimit.c - see ratelimit.h */
#include <string.h>

#include "ratelimit.h"

#define MILLI		1000u
#define FNV_OFFSET	2166136261u
#define FNV_PRIME	16777619u

void xp_rl_init(struct xp_rl *rl)
{
	memset(rl, 0, sizeof(*rl));
	rl->src_rate = XP_RL_SRC_RATE;
	rl->src_burst = XP_RL_SRC_BURST;
	rl->all_rate = XP_RL_ALL_RATE;
	rl->all_burst = XP_RL_ALL_BURST;
}

static uint32_t slot_of(const struct in6_addr *a)
{
	uint32_t h = FNV_OFFSET;

	for (size_t i = 0; i < sizeof(a->s6_addr); i++)
		h = (h ^ a->s6_addr[i]) * FNV_PRIME;
	return h % XP_RL_SLOTS;
}

/* Refill b at rate tokens/s up to burst; a bucket seen for the first time
 * starts full */
static void refill(struct xp_rl_bucket *b, uint32_t rate, uint32_t burst, uint64_t now)
{
	uint64_t add, cap = (uint64_t)burst * MILLI;

	if (!b->used) {
		b->used = true;
		b->tokens_milli = (uint32_t)cap;
		b->last_ms = now;
		return;
	}
	if (now <= b->last_ms)
		return;
	add = (now - b->last_ms) * rate;	/* ms x tokens/s = milli-tokens */
	b->tokens_milli = (uint32_t)(b->tokens_milli + add > cap ? cap : b->tokens_milli + add);
	b->last_ms = now;
}

bool xp_rl_allow(struct xp_rl *rl, const struct in6_addr *src, uint64_t now_ms)
{
	struct xp_rl_bucket *b = &rl->slot[slot_of(src)];

	if (b->used && memcmp(&b->src, src, sizeof(*src)))
		b->used = false;	/* another source: starts afresh */
	if (!b->used)
		b->src = *src;
	refill(b, rl->src_rate, rl->src_burst, now_ms);
	refill(&rl->all, rl->all_rate, rl->all_burst, now_ms);
	if (b->tokens_milli < MILLI || rl->all.tokens_milli < MILLI)
		return false;
	b->tokens_milli -= MILLI;
	rl->all.tokens_milli -= MILLI;
	return true;
}
