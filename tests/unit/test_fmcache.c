// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The flow mobility cache (fmcache.c) and its data plane form (flowdp.c):
 * order, names, limits, selector normalisation, active/inactive from the
 * MN's bindings, persistence across a restart through a real BPF map.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "bcache.h"
#include "flowdp.h"
#include "fmcache.h"

static struct fm_entry E(uint16_t fid, uint16_t pri, uint16_t bid)
{
	struct fm_entry e;

	memset(&e, 0, sizeof(e));
	e.fid = fid;
	e.fid_pri = pri;
	e.origin = FM_ORIGIN_OPERATOR;
	e.action = XP_FBA_FORWARD;
	e.n_bid = 1;
	e.bid[0] = bid;
	e.ts.format = XP_TS_FMT_IPV6;
	e.ts.flags = XP_TS6_K_DPORT_START;
	e.ts.dport_start = (uint16_t)(5000 + fid);
	return e;
}

static int state_map(void)
{
	LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = BPF_F_NO_PREALLOC);
	int fd = bpf_map_create(BPF_MAP_TYPE_HASH, NULL, sizeof(__u32),
				sizeof(struct xp_flow_state), 1024, &o);

	cr_assert_geq(fd, 0, "bpf_map_create: %s", strerror(errno));
	return fd;
}

Test(fmcache, entries_sorted_by_fid_pri_then_fid)
{
	struct fmcache *fc;
	const struct fm_entry *e;
	struct fm_entry a = E(3, 20, 1), b = E(1, 10, 1), c = E(2, 20, 2);

	cr_assert_eq(fmcache_new(-1, &fc), 0);
	cr_assert_eq(fmcache_put(fc, "mn1", &a, FM_PUT_ADD), 0);
	cr_assert_eq(fmcache_put(fc, "mn1", &b, FM_PUT_ADD), 0);
	cr_assert_eq(fmcache_put(fc, "mn1", &c, FM_PUT_ADD), 0);
	cr_assert_eq(fmcache_list(fc, "mn1", &e), 3);
	cr_assert_eq(e[0].fid, 1);
	cr_assert_eq(e[1].fid, 2);
	cr_assert_eq(e[2].fid, 3);
	/* the selector came back normalised: dport 5001 -> 5001-5001 */
	cr_assert_eq(e[0].ts.flags, XP_TS6_K_DPORT_START | XP_TS6_L_DPORT_END);
	cr_assert_eq(e[0].ts.dport_end, 5001);
	cr_assert_eq(fmcache_count(fc), 3);
	cr_assert_eq(fmcache_mn_count(fc), 1);
	cr_assert_eq(fmcache_list(fc, "other", &e), 0);
	cr_assert_null(e);
	fmcache_free(fc);
}

Test(fmcache, names_are_origin_mhgid_fid)
{
	struct fmcache *fc;
	struct fm_entry op = E(7, 10, 1), mag = E(7, 10, 1), dup = E(7, 99, 2);

	mag.origin = FM_ORIGIN_MAG;
	mag.mhgid = 3;
	cr_assert_eq(fmcache_new(-1, &fc), 0);
	cr_assert_eq(fmcache_put(fc, "mn1", &op, FM_PUT_ADD), 0);
	cr_assert_eq(fmcache_put(fc, "mn1", &mag, FM_PUT_ADD), 0);
	cr_assert_eq(fmcache_put(fc, "mn1", &dup, FM_PUT_ADD), -EEXIST);
	cr_assert_eq(fmcache_put(fc, "mn1", &dup, FM_PUT_REPLACE), 0);
	cr_assert_eq(fmcache_get(fc, "mn1", FM_ORIGIN_OPERATOR, 0, 7)->fid_pri, 99);
	cr_assert_eq(fmcache_get(fc, "mn1", FM_ORIGIN_MAG, 3, 7)->fid_pri, 10);
	cr_assert_null(fmcache_get(fc, "mn1", FM_ORIGIN_MAG, 4, 7));
	cr_assert_eq(fmcache_count(fc), 2);
	cr_assert_eq(fmcache_del(fc, "mn1", FM_ORIGIN_MAG, 3, 7), 0);
	cr_assert_eq(fmcache_del(fc, "mn1", FM_ORIGIN_MAG, 3, 7), -ENOENT);
	cr_assert_eq(fmcache_del(fc, "nobody", FM_ORIGIN_OPERATOR, 0, 7), -ENOENT);
	cr_assert_eq(fmcache_del(fc, "mn1", FM_ORIGIN_OPERATOR, 0, 7), 0);
	cr_assert_eq(fmcache_mn_count(fc), 0, "an MN without entries is forgotten");
	fmcache_free(fc);
}

Test(fmcache, full_table_is_an_error_not_a_crash)
{
	struct fmcache *fc;
	struct fm_entry e;

	cr_assert_eq(fmcache_new(-1, &fc), 0);
	for (uint16_t i = 1; i <= FM_MAX_PER_MN; i++) {
		e = E(i, i, 1);
		cr_assert_eq(fmcache_put(fc, "mn1", &e, FM_PUT_ADD), 0);
	}
	e = E(FM_MAX_PER_MN + 1, 1, 1);
	cr_assert_eq(fmcache_put(fc, "mn1", &e, FM_PUT_ADD), -ENOSPC);
	cr_assert_eq(fmcache_put(fc, "mn2", &e, FM_PUT_ADD), 0, "the limit is per MN");
	e = E(5, 1, 2);
	cr_assert_eq(fmcache_put(fc, "mn1", &e, FM_PUT_REPLACE), 0, "replacing needs no room");
	cr_assert_eq(fmcache_count(fc), FM_MAX_PER_MN + 1);
	fmcache_free(fc);
}

Test(fmcache, invalid_entries_rejected)
{
	struct fmcache *fc;
	struct fm_entry e;
	char longid[XP_BCE_MNID_LEN + 8];

	cr_assert_eq(fmcache_new(-1, &fc), 0);
	e = E(1, 1, 1);
	e.n_bid = 0;
	cr_assert_eq(fmcache_put(fc, "mn1", &e, FM_PUT_ADD), -EINVAL, "forward without a BID");
	e.action = XP_FBA_DROP;
	cr_assert_eq(fmcache_put(fc, "mn1", &e, FM_PUT_ADD), 0, "drop needs none");
	e = E(2, 1, 0);
	cr_assert_eq(fmcache_put(fc, "mn1", &e, FM_PUT_ADD), -EINVAL, "BID 0");
	e = E(2, 1, 1);
	e.action = 77;
	cr_assert_eq(fmcache_put(fc, "mn1", &e, FM_PUT_ADD), -EINVAL, "unknown action");
	e = E(2, 1, 1);
	e.origin = 9;
	cr_assert_eq(fmcache_put(fc, "mn1", &e, FM_PUT_ADD), -EINVAL, "unknown origin");
	e = E(2, 1, 1);
	e.n_bid = FM_MAX_BIDS + 1;
	cr_assert_eq(fmcache_put(fc, "mn1", &e, FM_PUT_ADD), -EINVAL, "too many BIDs");
	e = E(2, 1, 1);
	e.ts.format = XP_TS_FMT_IPV4;
	cr_assert_eq(fmcache_put(fc, "mn1", &e, FM_PUT_ADD), -EPROTONOSUPPORT);
	e = E(2, 1, 1);
	e.ts.flags = XP_TS6_I_SPORT_START | XP_TS6_J_SPORT_END;
	e.ts.sport_start = 10;
	e.ts.sport_end = 9;
	cr_assert_eq(fmcache_put(fc, "mn1", &e, FM_PUT_ADD), -EINVAL, "start above end");
	e = E(2, 1, 1);
	e.ts.flags = XP_TS6_G_FL_START;
	e.ts.fl_start = 0x100000;
	cr_assert_eq(fmcache_put(fc, "mn1", &e, FM_PUT_ADD), -EINVAL, "flow label over 20 bits");
	memset(longid, 'a', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	e = E(2, 1, 1);
	cr_assert_eq(fmcache_put(fc, longid, &e, FM_PUT_ADD), -ENAMETOOLONG);
	cr_assert_eq(fmcache_count(fc), 1);
	fmcache_free(fc);
}

Test(fmcache, normalize_fills_missing_bounds)
{
	struct mh_ts t;

	memset(&t, 0, sizeof(t));
	t.format = XP_TS_FMT_IPV6;
	t.flags = XP_TS6_B_SRC_END | XP_TS6_C_DST_START | XP_TS6_P_NH_END;
	memset(t.src_end, 0x22, 16);
	memset(t.src_start, 0x99, 16);	/* ignored: A not set */
	memset(t.dst_start, 0x33, 16);
	t.nh_start = 200;		/* ignored: O not set */
	t.nh_end = 17;
	cr_assert_eq(fm_ts_normalize(&t), 0);
	cr_assert_eq(t.flags, XP_TS6_A_SRC_START | XP_TS6_B_SRC_END | XP_TS6_C_DST_START |
			      XP_TS6_D_DST_END | XP_TS6_O_NH_START | XP_TS6_P_NH_END);
	cr_assert_eq(t.src_start[0], 0);
	cr_assert_eq(t.src_start[15], 0);
	cr_assert_eq(memcmp(t.dst_end, t.dst_start, 16), 0);
	cr_assert_eq(t.nh_start, 0);
	cr_assert_eq(t.nh_end, 17);
}

static bool is_mag(const struct fm_entry *e, void *ctx)
{
	return e->origin == FM_ORIGIN_MAG && e->mhgid == *(uint8_t *)ctx;
}

Test(fmcache, set_bids_and_del_if)
{
	struct fmcache *fc;
	struct fm_entry a = E(1, 1, 1), b = E(2, 2, 1);
	uint16_t to[2] = { 2, 1 };

	cr_assert_eq(fmcache_new(-1, &fc), 0);
	b.origin = FM_ORIGIN_MAG;
	b.mhgid = 5;
	cr_assert_eq(fmcache_put(fc, "mn1", &a, FM_PUT_ADD), 0);
	cr_assert_eq(fmcache_put(fc, "mn1", &b, FM_PUT_ADD), 0);
	cr_assert_eq(fmcache_set_bids(fc, "mn1", FM_ORIGIN_OPERATOR, 0, 1, 2, to), 0);
	cr_assert_eq(fmcache_get(fc, "mn1", FM_ORIGIN_OPERATOR, 0, 1)->bid[0], 2);
	cr_assert_eq(fmcache_get(fc, "mn1", FM_ORIGIN_OPERATOR, 0, 1)->n_bid, 2);
	cr_assert_eq(fmcache_set_bids(fc, "mn1", FM_ORIGIN_OPERATOR, 0, 9, 1, to), -ENOENT);
	cr_assert_eq(fmcache_set_bids(fc, "mn1", FM_ORIGIN_OPERATOR, 0, 1, 0, to), -EINVAL);
	uint8_t g = 5;

	cr_assert_eq(fmcache_del_if(fc, "mn1", is_mag, &g), 1);
	cr_assert_eq(fmcache_count(fc), 1);
	fmcache_free(fc);
}

Test(fmcache, survives_a_restart_through_the_state_map)
{
	int fd = state_map();
	struct fmcache *fc, *fc2;
	const struct fm_entry *e;
	struct fm_entry a = E(1, 30, 1), b = E(2, 10, 2), c = E(3, 20, 1);
	uint16_t to = 2;
	uint32_t g1, g2;

	cr_assert_eq(fmcache_new(fd, &fc), 0);
	a.ts.flags |= XP_TS6_C_DST_START;
	memset(a.ts.dst_start, 0x20, 16);
	cr_assert_eq(fmcache_put(fc, "mn1", &a, FM_PUT_ADD), 0);
	cr_assert_eq(fmcache_put(fc, "mn1", &b, FM_PUT_ADD), 0);
	cr_assert_eq(fmcache_put(fc, "mn2", &c, FM_PUT_ADD), 0);
	cr_assert_eq(fmcache_set_bids(fc, "mn1", FM_ORIGIN_OPERATOR, 0, 1, 1, &to), 0);
	cr_assert_eq(fmcache_del(fc, "mn2", FM_ORIGIN_OPERATOR, 0, 3), 0);
	g1 = fmcache_next_gen(fc);
	g1 = fmcache_next_gen(fc);
	fmcache_free(fc);	/* "kill -9": nothing is flushed at free */

	cr_assert_eq(fmcache_new(fd, &fc2), 0);
	cr_assert_eq(fmcache_restore(fc2), 2);
	cr_assert_eq(fmcache_list(fc2, "mn1", &e), 2);
	cr_assert_eq(e[0].fid, 2);
	cr_assert_eq(e[1].fid, 1);
	cr_assert_eq(e[1].bid[0], 2, "the move was persisted");
	cr_assert_eq(e[1].ts.dst_end[15], 0x20);
	cr_assert_eq(fmcache_list(fc2, "mn2", &e), 0, "the deletion was persisted");
	g2 = fmcache_next_gen(fc2);
	cr_assert_gt(g2, g1, "a generation is never handed out twice");
	/* new slots do not overwrite restored ones */
	c = E(4, 1, 1);
	cr_assert_eq(fmcache_put(fc2, "mn1", &c, FM_PUT_ADD), 0);
	fmcache_free(fc2);
	cr_assert_eq(fmcache_new(fd, &fc2), 0);
	cr_assert_eq(fmcache_restore(fc2), 3);
	fmcache_free(fc2);
	close(fd);
}

/* ---- flowdp: active / inactive from the MN's bindings ---- */

Test(flowdp, first_registered_bid_and_inactive_when_all_gone)
{
	struct bcache *bc;
	struct bce *b1, *b2;
	struct fm_entry e = E(1, 1, 2), d = E(2, 2, 9);
	struct xp_flow_set *set = malloc(sizeof(*set));
	int err;

	cr_assert_eq(bcache_new(4, &bc), 0);
	b1 = bcache_add(bc, "mn1", 1, 0, &err);
	b2 = bcache_add(bc, "mn1", 2, 0, &err);
	cr_assert(b1 && b2);
	e.n_bid = 2;
	e.bid[1] = 1;			/* prefer 2, then 1 */
	cr_assert_eq(flowdp_entry_bid(&e, b1->mn), 2);
	b2->state = BCE_DEREG;
	cr_assert_eq(flowdp_entry_bid(&e, b1->mn), 1, "falls back to the next registered BID");
	b1->state = BCE_DEREG;
	cr_assert_not(flowdp_entry_active(&e, b1->mn), "all BIDs de-registered: inactive");
	b2->state = BCE_ACTIVE;
	cr_assert(flowdp_entry_active(&e, b1->mn), "a BID came back: active again");
	cr_assert_not(flowdp_entry_active(&d, b1->mn), "BID 9 never registered");
	d.action = XP_FBA_DROP;
	d.n_bid = 0;
	cr_assert(flowdp_entry_active(&d, b1->mn), "drop without BIDs always applies");
	cr_assert_not(flowdp_entry_active(&e, NULL));

	struct fm_entry two[2] = { e, d };

	cr_assert_eq(fm_entry_check(&two[0]), 0);
	two[0].ts.flags |= XP_TS6_A_SRC_START;
	memset(two[0].ts.src_start, 0, 16);
	two[0].ts.src_start[0] = 0x20;
	two[0].ts.src_start[15] = 0x07;
	cr_assert_eq(fm_entry_check(&two[0]), 0);
	cr_assert_eq(flowdp_build(two, 2, b1->mn, set), 2);
	cr_assert_eq(set->sel[0].bid, 2);
	cr_assert_eq(set->sel[0].action, XP_FBA_FORWARD);
	cr_assert_eq(set->sel[0].fields, XP_FSEL_DPORT | XP_FSEL_SRC);
	cr_assert_eq(set->sel[0].dport_lo, 5001);
	cr_assert_eq(set->sel[0].dport_hi, 5001);
	cr_assert_eq(set->sel[0].src_lo.hi, 0x2000000000000000ull, "host-order halves");
	cr_assert_eq(set->sel[0].src_lo.lo, 7);
	cr_assert_eq(set->sel[1].action, XP_FBA_DROP);
	cr_assert_eq(set->sel[1].bid, 0);
	b2->state = BCE_DEREG;
	cr_assert_eq(flowdp_build(two, 2, b1->mn, set), 1, "inactive entries are left out");
	cr_assert_eq(set->sel[0].fid, 2);
	free(set);
	bcache_free(bc, NULL, NULL);
}
