/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ratelimit.h - token buckets for the error answers a daemon sends, so a
 * flood of PBUs from unauthorised or invented sources costs the daemon a
 * counter increment per packet, not a reply per packet.
 *
 * Two levels: a bucket per source address (a direct-mapped table of
 * XP_RL_SLOTS; a new source takes over the slot of a colliding one, with
 * a full bucket) and one global bucket, which bounds the total even when a
 * flood invents a new source address for every packet.
 */
#ifndef XPMIP_RATELIMIT_H
#define XPMIP_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#define XP_RL_SLOTS		1024
#define XP_RL_SRC_RATE		10	/* error answers per second per source */
#define XP_RL_SRC_BURST		40
#define XP_RL_ALL_RATE		200	/* error answers per second in all */
#define XP_RL_ALL_BURST		400

struct xp_rl_bucket {
	struct in6_addr src;
	uint64_t last_ms;		/* CLOCK_MONOTONIC of the last refill */
	uint32_t tokens_milli;		/* tokens x 1000 */
	bool used;
};

struct xp_rl {
	struct xp_rl_bucket slot[XP_RL_SLOTS];
	struct xp_rl_bucket all;
	uint32_t src_rate, src_burst, all_rate, all_burst;
};

/* The defaults above */
void xp_rl_init(struct xp_rl *rl);
/* May an error answer go to src now (takes a token from both buckets)? */
bool xp_rl_allow(struct xp_rl *rl, const struct in6_addr *src, uint64_t now_ms);

#endif /* XPMIP_RATELIMIT_H */
