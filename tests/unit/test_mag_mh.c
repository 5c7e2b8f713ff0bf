// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * 004 at the MAG (mag_mh.c): the options a multihoming profile puts in the
 * PBU (bytes decoded back), what a PBA's statuses and re-instantiated
 * filters do to the entry, and the pinned state round trip.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "flowsel.h"
#include "mag_mh.h"
#include "mh_codec.h"

static struct xp_mag_mn_profile prof;
static struct mag_entry e;

static void setup(void)
{
	char err[FLOWSEL_ERR_MAX];

	memset(&prof, 0, sizeof(prof));
	memset(&e, 0, sizeof(e));
	prof.multihoming = true;
	prof.mhgid = 3;
	prof.mh_on_remove = XP_MH_ACT_KEEP;
	cr_assert_eq(flowsel_filter_parse_str("fid 1 pri 10 proto udp dport 5001", &prof.filters[0],
					      err), 0, "%s", err);
	cr_assert_eq(flowsel_filter_parse_str("fid 2 action drop proto tcp dport 80-81",
					      &prof.filters[1], err), 0, "%s", err);
	prof.n_filters = 2;
	snprintf(e.mn_id, sizeof(e.mn_id), "mn1@x");
	e.bid = 1;
	mag_mh_attach(&e, &prof);
}

TestSuite(mag_mh, .init = setup);

/* encode a PBU with e's options and decode the bytes back */
static void pbu(bool dereg, struct mh_msg *out)
{
	static struct mh_msg m;
	uint8_t buf[MH_MAX_MSG_LEN];
	int n;

	mh_msg_init(&m, XP_MH_TYPE_BU);
	m.bu.flags = XP_BU_F_P | XP_BU_F_A;
	cr_assert_eq(mh_set_mnid(&m, e.mn_id), 0);
	cr_assert_eq(mag_mh_add_pbu(&e, &m, dereg), 0);
	n = mh_encode(&m, buf, sizeof(buf));
	cr_assert_gt(n, 0);
	cr_assert_eq(mh_decode(buf, (size_t)n, out, NULL), MH_OK);
}

Test(mag_mh, pbu_carries_option_201_and_one_flow_id_per_filter)
{
	static struct mh_msg d;

	pbu(false, &d);
	cr_assert(d.opt.present & MH_HAS_MULTIHOMING);
	cr_assert_eq(d.opt.mhgid, 3);
	cr_assert_eq(d.opt.mh_act, 0, "ACT only on removal (004 4.1)");
	cr_assert_eq(d.opt.n_flow_id, 2);
	cr_assert_eq(d.opt.flow_id[0].fid, 1);
	cr_assert_eq(d.opt.flow_id[0].fid_pri, 10);
	cr_assert(d.opt.flow_id[0].has_ts);
	cr_assert_eq(d.opt.flow_id[0].ts.dport_start, 5001);
	cr_assert_eq(d.opt.flow_id[0].action, XP_FBA_FORWARD);
	cr_assert_eq(d.opt.flow_id[1].fid_pri, FLOWSEL_DEFAULT_PRI);
	cr_assert_eq(d.opt.flow_id[1].action, XP_FBA_DROP);
	cr_assert_eq(d.opt.flow_id[1].ts.dport_end, 81);
	pbu(true, &d);
	cr_assert_eq(d.opt.mh_act, XP_MH_ACT_KEEP);
	cr_assert_eq(d.opt.n_flow_id, 0, "no filters in a de-registration");
}

Test(mag_mh, no_multihoming_no_options)
{
	static struct mh_msg d;

	prof.multihoming = false;
	mag_mh_attach(&e, &prof);
	pbu(false, &d);
	cr_assert_not(d.opt.present & MH_HAS_MULTIHOMING);
	cr_assert_eq(d.opt.n_flow_id, 0);
}

static struct mh_msg pba;

static struct mh_flow_id *pba_fid(uint16_t fid, uint8_t status)
{
	struct mh_flow_id *f = &pba.opt.flow_id[pba.opt.n_flow_id++];

	memset(f, 0, sizeof(*f));
	f->fid = fid;
	f->status = status;
	return f;
}

Test(mag_mh, pba_statuses_reinstantiated_filters_and_deletes)
{
	mh_msg_init(&pba, XP_MH_TYPE_BA);
	cr_assert_eq(e.filt[0].f.status, MAG_FILT_PENDING);
	pba_fid(1, XP_FID_S_SUCCESS);
	pba_fid(2, XP_FID_S_TS_FMT_UNSUPP);
	struct mh_flow_id *r = pba_fid(65535, XP_FID_S_SUCCESS);
	r->reserved = XP_FID_F_REINSTANTIATED;
	r->fid_pri = 20;
	r->has_ts = true;
	r->ts = e.filt[0].f.ts;
	r->has_action = true;
	r->action = XP_FBA_FORWARD;
	cr_assert(mag_mh_on_pba(&e, &pba));
	cr_assert_eq(e.filt[0].f.status, 0);
	cr_assert_eq(e.filt[1].f.status, XP_FID_S_TS_FMT_UNSUPP);
	cr_assert_eq(e.n_filt, 3);
	cr_assert_eq(e.filt[2].f.fid, 65535);
	cr_assert_eq(e.filt[2].flags, MAG_FF_REINST);
	/* the LMA's filter is not sent back */
	static struct mh_msg d;
	pbu(false, &d);
	cr_assert_eq(d.opt.n_flow_id, 2);
	/* a delete goes once with action DELETE; status 0 ends it */
	e.filt[0].flags = MAG_FF_DELETE;
	pbu(false, &d);
	cr_assert_eq(d.opt.flow_id[0].fid, 1);
	cr_assert_eq(d.opt.flow_id[0].action, XP_FBA_DELETE);
	cr_assert_not(d.opt.flow_id[0].has_ts);
	mh_msg_init(&pba, XP_MH_TYPE_BA);
	pba_fid(1, XP_FID_S_SUCCESS);
	pba_fid(2, XP_FID_S_SUCCESS);
	cr_assert(mag_mh_on_pba(&e, &pba));
	cr_assert_eq(e.n_filt, 1, "FID 1 deleted, FID 65535 no longer reported");
	cr_assert_eq(e.filt[0].f.fid, 2);
	cr_assert_eq(e.filt[0].f.status, 0);
}

Test(mag_mh, state_round_trip_and_version_check)
{
	static struct xp_mag_mh_val v;
	static struct mag_entry r;

	e.filt[1].f.status = XP_FID_S_REJECTED;
	mag_mh_to_state(&e, &v);
	memset(&r, 0, sizeof(r));
	cr_assert_eq(mag_mh_from_state(&r, &v), 0);
	cr_assert(r.mh);
	cr_assert_eq(r.mhgid, 3);
	cr_assert_eq(r.mh_act, XP_MH_ACT_KEEP);
	cr_assert_eq(r.n_filt, 2);
	cr_assert_eq(r.filt[0].f.ts.dport_start, 5001);
	cr_assert_eq(r.filt[1].f.action, XP_FBA_DROP);
	cr_assert_eq(r.filt[1].f.status, XP_FID_S_REJECTED);
	v.version = 9;
	cr_assert_eq(mag_mh_from_state(&r, &v), -EPROTO);
}
