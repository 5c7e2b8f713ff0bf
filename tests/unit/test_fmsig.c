// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_fmsig.c - the LMA's RFC 7864 flow mobility signalling (fmsig.c):
 * which prefixes a MAG must carry off-link, the UPN bytes, UPA handling,
 * retransmission with back-off, the PBA's L-flagged HNPs and restart. A
 * real binding cache, a fake clock, a send hook that keeps every message.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "bcache.h"
#include "fmsig.h"
#include "mh_codec.h"

#define MAX_SENT 32

static struct {
	uint64_t now;
	uint8_t sent[MAX_SENT][MH_MAX_MSG_LEN];
	size_t len[MAX_SENT];
	struct in6_addr dst[MAX_SENT];
	int n;
	int n_store, n_unstore;
	struct xp_bind_key key;
	struct xp_fmsig_state last;
} F;

static struct xp_lma_config LC;
static struct bcache *BC;
static struct fmsig *S;
static struct bce *B1, *B2;

static struct in6_addr a6(const char *s)
{
	struct in6_addr a;

	cr_assert_eq(inet_pton(AF_INET6, s, &a), 1, "%s", s);
	return a;
}

static struct xp_prefix pfx(const char *s)
{
	struct xp_prefix p;

	cr_assert_eq(xp_prefix_parse(s, &p), 0);
	return p;
}

static uint64_t f_mono(void *c) { (void)c; return F.now; }

static int f_send(void *c, const struct in6_addr *dst, const uint8_t *buf, size_t len)
{
	(void)c;
	cr_assert_lt(F.n, MAX_SENT);
	memcpy(F.sent[F.n], buf, len);
	F.len[F.n] = len;
	F.dst[F.n++] = *dst;
	return 0;
}

static int f_store(void *c, const struct xp_bind_key *k, const struct xp_fmsig_state *st)
{
	(void)c;
	F.key = *k;
	if (st) {
		F.last = *st;
		F.n_store++;
	} else {
		F.n_unstore++;
	}
	return 0;
}

static struct fmsig_hooks hooks(void)
{
	return (struct fmsig_hooks){ .mono_ms = f_mono, .send = f_send, .store = f_store };
}

static struct bce *binding(uint16_t bid, const char *hnp, const char *pcoa)
{
	struct xp_prefix p = pfx(hnp);
	struct in6_addr a = a6(pcoa);
	struct bce *b;
	int err;

	b = bcache_add(BC, "mn1@x", bid, 0, &err);
	cr_assert_not_null(b);
	cr_assert_eq(bcache_set_prefixes(BC, b, 1, &p), 0);
	cr_assert_eq(bcache_set_pcoa(BC, b, &a), 0);
	return b;
}

static void setup(void)
{
	struct fmsig_hooks h = hooks();

	memset(&F, 0, sizeof(F));
	F.now = 5000;
	memset(&LC, 0, sizeof(LC));
	LC.upn_timeout_ms = 1000;
	LC.upn_max_timeout_ms = 3000;
	LC.upn_max_retransmits = 3;
	cr_assert_eq(bcache_new(8, &BC), 0);
	B1 = binding(1, "2001:db8:101::/64", "2001:db8:a1::2");
	B2 = binding(2, "2001:db8:102::/64", "2001:db8:a2::2");
	cr_assert_eq(fmsig_new(&LC, &h, &S), 0);
}

static void teardown(void)
{
	fmsig_free(S);
	bcache_free(BC, NULL, NULL);
}

TestSuite(fmsig, .init = setup, .fini = teardown);

/* A UDP flow to dst_start..dst_end (NULL: any destination) bound to bid */
static struct fmsig_flow flow(uint16_t fid, uint16_t bid, const char *dst_start, const char *dst_end)
{
	struct fmsig_flow f;

	memset(&f, 0, sizeof(f));
	f.fid = fid;
	f.fid_pri = (uint16_t)(10 * fid);
	f.bid = bid;
	f.action = XP_FBA_FORWARD;
	f.active = true;
	f.has_ts = true;
	f.ts.format = XP_TS_FMT_IPV6;
	f.ts.flags = XP_TS6_O_NH_START;
	f.ts.nh_start = XP_IPPROTO_UDP;
	if (dst_start) {
		struct in6_addr a = a6(dst_start);

		f.ts.flags |= XP_TS6_C_DST_START;
		memcpy(f.ts.dst_start, &a, 16);
	}
	if (dst_end) {
		struct in6_addr a = a6(dst_end);

		f.ts.flags |= XP_TS6_D_DST_END;
		memcpy(f.ts.dst_end, &a, 16);
	}
	return f;
}

static void decode(int i, struct mh_msg *m)
{
	size_t off = 0;
	int rc;

	cr_assert_lt(i, F.n);
	rc = mh_decode(F.sent[i], F.len[i], m, &off);
	cr_assert_eq(rc, MH_OK, "%s at %zu", mh_strerror(rc), off);
}

static struct mh_msg upa(uint16_t seq, uint8_t status)
{
	struct mh_msg m;

	mh_msg_init(&m, XP_MH_TYPE_UPA);
	m.upa.seq = seq;
	m.upa.status = status;
	return m;
}

Test(fmsig, dst_range_overlap_edges)
{
	struct xp_prefix p = pfx("2001:db8:101::/64");
	struct fmsig_flow f;

	f = flow(1, 2, NULL, NULL);
	cr_assert(fmsig_ts_dst_overlaps(&f.ts, &p), "no destination: any prefix");
	f = flow(1, 2, "2001:db8:101::5", NULL);
	cr_assert(fmsig_ts_dst_overlaps(&f.ts, &p));
	f = flow(1, 2, "2001:db8:101:0:ffff:ffff:ffff:ffff", "2001:db8:102::");
	cr_assert(fmsig_ts_dst_overlaps(&f.ts, &p), "range starting on the last address");
	f = flow(1, 2, "2001:db8:100::", "2001:db8:101::");
	cr_assert(fmsig_ts_dst_overlaps(&f.ts, &p), "range ending on the first address");
	f = flow(1, 2, "2001:db8:100::", "2001:db8:100:0:ffff:ffff:ffff:ffff");
	cr_assert_not(fmsig_ts_dst_overlaps(&f.ts, &p), "range just before");
	f = flow(1, 2, "2001:db8:102::", "2001:db8:103::");
	cr_assert_not(fmsig_ts_dst_overlaps(&f.ts, &p), "range just after");
	f.ts.format = XP_TS_FMT_IPV4;
	cr_assert_not(fmsig_ts_dst_overlaps(&f.ts, &p), "an IPv4 selector");
}

Test(fmsig, offlink_set_rule)
{
	struct fmsig_flow fl[3];
	struct xp_prefix out[8];

	fl[0] = flow(1, 2, "2001:db8:101::5", NULL);	/* HNP1 flow moved to B2 */
	fl[1] = flow(2, 2, "2001:db8:102::5", NULL);	/* B2's own prefix */
	fl[2] = flow(3, 1, "2001:db8:101::6", NULL);	/* default path */
	cr_assert_eq(fmsig_offlink_set(B2->mn, B2, fl, 3, out, 8), 1);
	cr_assert_eq(memcmp(&out[0].addr, &B1->hnp[0].addr, 16), 0);
	cr_assert_eq(fmsig_offlink_set(B1->mn, B1, fl, 3, out, 8), 0);
	fl[0].action = XP_FBA_DROP;
	cr_assert_eq(fmsig_offlink_set(B2->mn, B2, fl, 3, out, 8), 0, "a drop flow needs no route");
	fl[0].action = XP_FBA_FORWARD;
	fl[0].active = false;
	cr_assert_eq(fmsig_offlink_set(B2->mn, B2, fl, 3, out, 8), 0, "inactive");
	fl[0] = flow(1, 2, NULL, NULL);
	cr_assert_eq(fmsig_offlink_set(B2->mn, B2, fl, 1, out, 8), 1, "any destination: HNP1");
	/* a shared prefix is B2's own: nothing off-link */
	struct xp_prefix both[2] = { pfx("2001:db8:102::/64"), pfx("2001:db8:101::/64") };
	bcache_set_prefixes(BC, B1, 0, NULL);
	cr_assert_eq(bcache_set_prefixes(BC, B2, 2, both), 0);
	cr_assert_eq(fmsig_offlink_set(B2->mn, B2, fl, 1, out, 8), 0);
}

Test(fmsig, upn_sent_once_then_acked_then_withdrawn)
{
	struct fmsig_flow f = flow(1, 2, "2001:db8:101::5", NULL);
	struct mh_msg m, u;
	struct in6_addr mag2 = a6("2001:db8:a2::2");

	fmsig_sync(S, B2->mn, &f, 1, false);
	cr_assert_eq(F.n, 1, "one UPN, to MAG2 only");
	cr_assert_eq(memcmp(&F.dst[0], &mag2, 16), 0);
	decode(0, &m);
	cr_assert_eq(m.type, XP_MH_TYPE_UPN);
	cr_assert_eq(m.upn.reason, XP_UPN_R_FLOW_MOBILITY);
	cr_assert_eq(m.upn.flags, XP_UPN_F_A);
	cr_assert_str_eq((const char *)m.opt.mnid, "mn1@x");
	cr_assert_eq(m.opt.n_hnp, 1);
	cr_assert_eq(m.opt.hnp[0].flags, XP_HNP_F_OFFLINK);
	cr_assert_eq(memcmp(&m.opt.hnp[0].prefix, &B1->hnp[0].addr, 16), 0);
	cr_assert_eq(m.opt.n_flow_id, 0, "no flow-level state unless configured");
	cr_assert_eq(fmsig_get(S, B2->mn->idx, 2)->state, FMSIG_PENDING);
	cr_assert_eq(F.n_store, 1, "pinned");

	fmsig_sync(S, B2->mn, &f, 1, false);
	cr_assert_eq(F.n, 1, "same content: nothing new");

	u = upa(m.upn.seq, XP_UPA_S_SUCCESS);
	cr_assert_eq(fmsig_on_upa(S, &u, &B1->pcoa), -ENOENT, "from the wrong MAG");
	cr_assert_eq(fmsig_on_upa(S, &u, &mag2), 0);
	cr_assert_eq(fmsig_get(S, B2->mn->idx, 2)->state, FMSIG_ACKED);
	cr_assert_eq(fmsig_stats(S)->upa_by_status[0], 1);
	cr_assert_eq(fmsig_stats(S)->upa_unmatched, 1);
	cr_assert_eq(fmsig_on_upa(S, &u, &mag2), -ENOENT, "answered already");

	/* the flow goes back to B1: MAG2 is told to hold nothing off-link */
	f.bid = 1;
	fmsig_sync(S, B2->mn, &f, 1, false);
	cr_assert_eq(F.n, 2);
	decode(1, &m);
	cr_assert_eq(memcmp(&F.dst[1], &mag2, 16), 0);
	cr_assert_eq(m.opt.n_hnp, 1);
	cr_assert_eq(m.opt.hnp[0].flags, 0, "its own prefix, L clear");
	cr_assert_eq(memcmp(&m.opt.hnp[0].prefix, &B2->hnp[0].addr, 16), 0);
	cr_assert_neq(m.upn.seq, u.upa.seq, "a new sequence number");
	u = upa(m.upn.seq, XP_UPA_S_SUCCESS);
	cr_assert_eq(fmsig_on_upa(S, &u, &mag2), 0);
	cr_assert_null(fmsig_get(S, B2->mn->idx, 2), "nothing held: entry gone");
	cr_assert_eq(F.n_unstore, 1, "and unpinned");
	fmsig_sync(S, B2->mn, &f, 1, false);
	cr_assert_eq(F.n, 2);
}

Test(fmsig, retransmission_backoff_then_timeout)
{
	struct fmsig_flow f = flow(1, 2, NULL, NULL);
	struct mh_msg m0, m;

	fmsig_sync(S, B2->mn, &f, 1, false);
	decode(0, &m0);
	F.now += 999;
	fmsig_run_timers(S);
	cr_assert_eq(F.n, 1, "not before the timeout");
	F.now += 1;
	fmsig_run_timers(S);
	cr_assert_eq(F.n, 2, "retransmitted after 1 s");
	decode(1, &m);
	cr_assert_eq(m.upn.seq, m0.upn.seq, "the same UPN");
	F.now += 2000;
	fmsig_run_timers(S);
	cr_assert_eq(F.n, 3, "then after 2 s");
	F.now += 2999;
	fmsig_run_timers(S);
	cr_assert_eq(F.n, 3, "then 3 s: capped by upn_max_timeout_ms");
	F.now += 1;
	fmsig_run_timers(S);
	cr_assert_eq(F.n, 4);
	F.now += 3000;
	fmsig_run_timers(S);
	cr_assert_eq(F.n, 4, "3 retransmissions, then it gives up");
	cr_assert_eq(fmsig_get(S, B2->mn->idx, 2)->state, FMSIG_FAILED);
	cr_assert_eq(fmsig_stats(S)->upn_retx, 3);
	cr_assert_eq(fmsig_stats(S)->upn_timeout, 1);
}

Test(fmsig, upa_statuses)
{
	struct fmsig_flow f = flow(1, 2, NULL, NULL);
	struct in6_addr mag2 = a6("2001:db8:a2::2");
	struct mh_msg m, u;

	fmsig_sync(S, B2->mn, &f, 1, false);
	decode(0, &m);
	u = upa(m.upn.seq, XP_UPA_S_MN_NOT_ATTACHED);
	cr_assert_eq(fmsig_on_upa(S, &u, &mag2), 0);
	cr_assert_eq(fmsig_get(S, B2->mn->idx, 2)->state, FMSIG_FAILED);
	cr_assert_eq(fmsig_get(S, B2->mn->idx, 2)->last_status, XP_UPA_S_MN_NOT_ATTACHED);
	F.now += 10000;
	fmsig_run_timers(S);
	cr_assert_eq(F.n, 1, "answered: no retransmission");
	/* a change sends again; 131 is counted too */
	f.ts.dport_start = 1;
	f.ts.flags |= XP_TS6_K_DPORT_START;
	LC.upn_flow_info = true;
	fmsig_sync(S, B2->mn, &f, 1, false);
	cr_assert_eq(F.n, 2);
	decode(1, &m);
	u = upa(m.upn.seq, XP_UPA_S_UNSPECIFIED);
	cr_assert_eq(fmsig_on_upa(S, &u, &mag2), 0);
	cr_assert_eq(fmsig_stats(S)->upa_by_status[XP_UPA_S_UNSPECIFIED], 1);
	cr_assert_eq(fmsig_stats(S)->upa_by_status[XP_UPA_S_MN_NOT_ATTACHED], 1);
}

Test(fmsig, flow_info_and_shared_prefixes)
{
	struct xp_prefix both[2] = { pfx("2001:db8:102::/64"), pfx("2001:db8:101::/64") };
	struct fmsig_flow f = flow(7, 2, "2001:db8:101::5", NULL);
	struct mh_msg m;

	bcache_set_prefixes(BC, B1, 1, &both[1]);
	cr_assert_eq(bcache_set_prefixes(BC, B1, 0, NULL), 0);
	cr_assert_eq(bcache_set_prefixes(BC, B2, 2, both), 0);
	fmsig_sync(S, B2->mn, &f, 1, false);
	cr_assert_eq(F.n, 0, "common prefixes: no signalling");
	LC.upn_flow_info = true;
	fmsig_sync(S, B2->mn, &f, 1, false);
	cr_assert_eq(F.n, 1, "flow-level information asked for: one UPN");
	decode(0, &m);
	cr_assert_eq(m.opt.n_hnp, 2);
	cr_assert_eq(m.opt.hnp[0].flags, 0);
	cr_assert_eq(m.opt.n_flow_id, 1);
	cr_assert_eq(m.opt.flow_id[0].fid, 7);
	cr_assert_eq(m.opt.flow_id[0].fid_pri, 70);
	cr_assert(m.opt.flow_id[0].has_ts);
	cr_assert_eq(m.opt.flow_id[0].ts.nh_start, XP_IPPROTO_UDP);
	cr_assert_eq(m.opt.flow_id[0].action, XP_FBA_FORWARD);
}

Test(fmsig, pba_carries_offlink_and_defers_upn)
{
	struct fmsig_flow f = flow(1, 2, "2001:db8:101::5", NULL);
	static struct mh_msg pba;

	mh_msg_init(&pba, XP_MH_TYPE_BA);
	mh_add_hnp(&pba, &B2->hnp[0].addr, 64, 0);
	fmsig_pba(S, B2, &f, 1, &pba);
	cr_assert_eq(pba.opt.n_hnp, 2);
	cr_assert_eq(pba.opt.hnp[1].flags, XP_HNP_F_OFFLINK);
	cr_assert_eq(memcmp(&pba.opt.hnp[1].prefix, &B1->hnp[0].addr, 16), 0);
	cr_assert_eq(fmsig_get(S, B2->mn->idx, 2)->state, FMSIG_ACKED);
	cr_assert_eq(fmsig_stats(S)->pba_offlink, 1);
	fmsig_sync(S, B2->mn, &f, 1, true);
	cr_assert_eq(F.n, 0, "the PBA told it: no UPN");

	/* a change during a PBU waits for the next loop turn */
	f.bid = 1;
	fmsig_sync(S, B2->mn, &f, 1, true);
	cr_assert_eq(F.n, 0);
	fmsig_run_timers(S);
	cr_assert_eq(F.n, 1);
	cr_assert_eq(fmsig_stats(S)->upn_deferred, 1);
}

Test(fmsig, forget_and_restore)
{
	struct fmsig_flow f = flow(1, 2, NULL, NULL);
	struct fmsig_hooks h = hooks();
	struct xp_fmsig_state st;
	struct xp_bind_key k;
	struct fmsig *s2;
	struct mh_msg m0, m1;

	fmsig_sync(S, B2->mn, &f, 1, false);
	decode(0, &m0);
	st = F.last;
	k = F.key;
	cr_assert_eq(st.state, XP_FMSIG_S_PENDING);

	/* a restarted LMA sends the pending UPN again, same sequence */
	cr_assert_eq(fmsig_new(&LC, &h, &s2), 0);
	cr_assert_eq(fmsig_restore(s2, &k, &st), 0);
	cr_assert_eq(fmsig_restore(s2, &k, &st), -EEXIST);
	fmsig_run_timers(s2);
	cr_assert_eq(F.n, 2);
	decode(1, &m1);
	cr_assert_eq(m1.upn.seq, m0.upn.seq);
	st.version = 99;
	k.bid = 3;
	cr_assert_eq(fmsig_restore(s2, &k, &st), -EPROTO);
	fmsig_free(s2);

	fmsig_forget(S, B2);
	cr_assert_null(fmsig_get(S, B2->mn->idx, 2));
	cr_assert_eq(F.n_unstore, 1);
}

Test(fmsig, print_json)
{
	struct fmsig_flow f = flow(1, 2, NULL, NULL);
	char *buf = NULL;
	size_t len = 0;
	FILE *o;

	fmsig_sync(S, B2->mn, &f, 1, false);
	o = open_memstream(&buf, &len);
	fmsig_print(S, o, true);
	fclose(o);
	cr_assert(strstr(buf, "\"offlink\":[\"2001:db8:101::/64\"]"), "%s", buf);
	cr_assert(strstr(buf, "\"state\":\"pending\""), "%s", buf);
	cr_assert(strstr(buf, "\"upn_tx\":1"), "%s", buf);
	free(buf);
}
