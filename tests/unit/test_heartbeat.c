// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Heartbeats (RFC 5847) between two hb instances wired back to back, no
 * sockets and no event loop: requests are answered with the same
 * sequence, a silent peer is declared down after missing_limit ticks and
 * up again on its next message, a changed Restart Counter is a restart
 * (callback at once, grace_over one grace period later); unsolicited
 * junk is counted. Also the error-answer token bucket (ratelimit.h).
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <string.h>

#include "evloop.h"
#include "heartbeat.h"
#include "mh_codec.h"
#include "ratelimit.h"
#include "sigdrop.h"

#define MS		1000ull
#define LIMIT		3

struct side {
	struct hb *hb;
	struct in6_addr addr;
	struct side *other;
	bool mute;			/* drop what this side sends */
	unsigned int restarted, grace_over, sent;
	uint8_t last[64];
	size_t last_len;
};

static struct side a, b;

static int fake_send(void *ctx, const struct in6_addr *peer, const uint8_t *buf, size_t len)
{
	struct side *s = ctx;

	(void)peer;
	s->sent++;
	memcpy(s->last, buf, len < sizeof(s->last) ? len : sizeof(s->last));
	s->last_len = len;
	if (!s->mute)
		hb_on_mh(s->other->hb, buf, len, &s->addr);
	return 0;
}

static bool auth(void *ctx, const struct in6_addr *p)
{
	struct side *s = ctx;

	return !memcmp(p, &s->other->addr, sizeof(*p));
}

static void restarted(void *ctx, const struct in6_addr *p)
{
	(void)p;
	((struct side *)ctx)->restarted++;
}

static void grace(void *ctx, const struct in6_addr *p, uint64_t rt)
{
	(void)p;
	(void)rt;
	((struct side *)ctx)->grace_over++;
}

static void make(struct side *s, struct side *other, const char *addr, uint32_t rc)
{
	struct hb_params p = { .interval_s = 1, .missing_limit = LIMIT, .mh_fd = -1,
			       .restart_ctr = rc };
	struct hb_ops ops = { .ctx = s, .authorized = auth, .restarted = restarted,
			      .grace_over = grace, .send = fake_send };

	hb_free(s->hb);
	memset(s, 0, sizeof(*s));
	inet_pton(AF_INET6, addr, &s->addr);
	s->other = other;
	cr_assert_eq(hb_new(&p, &ops, &s->hb), 0);
	cr_assert_not_null(s->hb);
}

static void setup(void)
{
	xp_sigdrop_reset();
	a.hb = b.hb = NULL;
	make(&a, &b, "2001:db8:a1::2", 100);	/* the MAG */
	make(&b, &a, "2001:db8:ff::1", 7);	/* the LMA */
	cr_assert_eq(hb_peer_add(a.hb, &b.addr), 0);
}

static void teardown(void)
{
	hb_free(a.hb);
	hb_free(b.hb);
	a.hb = b.hb = NULL;
}

TestSuite(heartbeat, .init = setup, .fini = teardown);

Test(heartbeat, off_when_interval_zero)
{
	struct hb_params p = { .interval_s = 0 };
	struct hb *hb = (struct hb *)1;

	cr_assert_eq(hb_new(&p, NULL, &hb), 0);
	cr_assert_null(hb);
}

Test(heartbeat, request_carries_restart_counter_and_is_answered)
{
	static struct mh_msg m;
	uint64_t now = evloop_now_ms();

	hb_tick(a.hb, now, 0);
	/* a sent a request; b learnt a as a peer from it and answered */
	cr_assert_eq(a.sent, 1);
	cr_assert_eq(b.sent, 1);
	cr_assert_eq(mh_decode(b.last, b.last_len, &m, NULL), 0);
	cr_assert_eq(m.type, XP_MH_TYPE_HB);
	cr_assert_eq(m.hb.flags & XP_HB_F_R, XP_HB_F_R, "b's answer is a response");
	cr_assert(m.opt.present & MH_HAS_RESTART_CTR);
	cr_assert_eq(m.opt.restart_ctr, 7);
	cr_assert_eq(mh_decode(a.last, a.last_len, &m, NULL), 0);
	cr_assert_eq(m.hb.flags & XP_HB_F_R, 0, "a's request");
	cr_assert_eq(m.opt.restart_ctr, 100);
	cr_assert_eq(hb_peer_state(a.hb, &b.addr), HB_PEER_UP);
	cr_assert_eq(hb_peer_state(b.hb, &a.addr), HB_PEER_UP);
	cr_assert_eq(xp_sigdrop_get(XP_SD_HB_UNMATCHED), 0);
}

Test(heartbeat, silent_peer_down_after_limit_then_up)
{
	uint64_t now = evloop_now_ms();

	hb_tick(a.hb, now, 0);
	cr_assert_eq(hb_peer_state(a.hb, &b.addr), HB_PEER_UP);
	b.mute = true;
	/* requests of ticks 1..LIMIT go unanswered; each tick counts the
	 * previous one, so the peer is down at tick LIMIT + 1 */
	for (int i = 1; i <= LIMIT + 1; i++) {
		hb_tick(a.hb, now + i * MS, 0);
		if (i <= LIMIT)
			cr_assert_eq(hb_peer_state(a.hb, &b.addr), HB_PEER_UP, "tick %d", i);
	}
	cr_assert_eq(hb_peer_state(a.hb, &b.addr), HB_PEER_DOWN,
		     "down after %d unanswered requests", LIMIT);
	b.mute = false;
	hb_tick(a.hb, now + (LIMIT + 2) * MS, 0);
	cr_assert_eq(hb_peer_state(a.hb, &b.addr), HB_PEER_UP);
	cr_assert_eq(a.restarted, 0, "same restart counter: no restart");
}

Test(heartbeat, changed_restart_counter_is_a_restart_with_grace)
{
	uint64_t now = evloop_now_ms();

	hb_tick(a.hb, now, 0);
	/* b restarts without state: a new counter, no peers */
	make(&b, &a, "2001:db8:ff::1", 8);
	hb_tick(a.hb, now + MS, 0);
	cr_assert_eq(a.restarted, 1);
	cr_assert_eq(a.grace_over, 0);
	hb_tick(a.hb, now + 2 * MS, 0);
	cr_assert_eq(a.restarted, 1, "detected once");
	cr_assert_eq(a.grace_over, 0, "grace is %d intervals", LIMIT);
	hb_tick(a.hb, evloop_now_ms() + (LIMIT + 1) * MS, 0);
	cr_assert_eq(a.grace_over, 1);
	hb_tick(a.hb, evloop_now_ms() + (LIMIT + 2) * MS, 0);
	cr_assert_eq(a.grace_over, 1, "once");
}

Test(heartbeat, junk_is_counted_not_answered)
{
	static struct mh_msg m;
	uint8_t buf[64];
	struct in6_addr stranger;
	int n;

	inet_pton(AF_INET6, "2001:db8:66::6", &stranger);
	mh_msg_init(&m, XP_MH_TYPE_HB);
	m.hb.flags = XP_HB_F_R;
	m.hb.seq = 12345;
	n = mh_encode(&m, buf, sizeof(buf));
	cr_assert_gt(n, 0);
	/* a response nobody asked for, from the real peer */
	cr_assert(hb_on_mh(a.hb, buf, (size_t)n, &b.addr));
	cr_assert_eq(xp_sigdrop_get(XP_SD_HB_UNMATCHED), 1);
	/* a request from a stranger: not answered, not a peer */
	m.hb.flags = 0;
	n = mh_encode(&m, buf, sizeof(buf));
	cr_assert(hb_on_mh(b.hb, buf, (size_t)n, &stranger));
	cr_assert_eq(xp_sigdrop_get(XP_SD_HB_UNAUTH), 1);
	cr_assert_eq(b.sent, 0);
	cr_assert_eq(hb_peer_state(b.hb, &stranger), HB_PEER_UNKNOWN);
	/* truncated */
	cr_assert(hb_on_mh(b.hb, buf, 7, &a.addr));
	cr_assert_eq(xp_sigdrop_get(XP_SD_MALFORMED), 1);
	/* not a heartbeat: left to the caller */
	buf[2] = XP_MH_TYPE_BU;
	cr_assert_not(hb_on_mh(b.hb, buf, (size_t)n, &a.addr));
}

Test(ratelimit, per_source_and_global_buckets)
{
	static struct xp_rl rl;
	struct in6_addr s1, s2;
	unsigned int ok = 0;
	uint64_t t = 1000;

	xp_rl_init(&rl);
	inet_pton(AF_INET6, "2001:db8:66::1", &s1);
	inet_pton(AF_INET6, "2001:db8:66::2", &s2);
	for (int i = 0; i < 1000; i++)
		ok += xp_rl_allow(&rl, &s1, t);
	cr_assert_eq(ok, XP_RL_SRC_BURST, "a burst, then nothing in the same ms");
	cr_assert(xp_rl_allow(&rl, &s2, t), "another source has its own bucket");
	cr_assert_not(xp_rl_allow(&rl, &s1, t + 50), "half a token after 50 ms");
	cr_assert(xp_rl_allow(&rl, &s1, t + 100), "one token after 100 ms at 10/s");
	/* invented sources: the global bucket caps them */
	ok = 0;
	for (uint32_t i = 0; i < 5000; i++) {
		struct in6_addr x = s1;

		memcpy(&x.s6_addr[12], &i, sizeof(i));
		ok += xp_rl_allow(&rl, &x, t + 100);
	}
	cr_assert_leq(ok, XP_RL_ALL_BURST);
}
