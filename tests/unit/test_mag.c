// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_mag.c - the MAG's Binding Update List state machine, driven without
 * sockets: fake clocks, a send hook that keeps every PBU, a fake timer and
 * fake user plane. Every PBU is checked by decoding it with mh_decode.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "mag.h"
#include "mh_codec.h"
#include "xpmip_mag_state.h"

#define MAX_SENT 64
#define FAKE_TS 0x0000123456780000ull

struct fake {
	uint64_t now, rt;
	uint8_t sent[MAX_SENT][MH_MAX_MSG_LEN];
	size_t sent_len[MAX_SENT];
	int n_sent;
	int n_ra, n_ra_solicited;
	uint64_t timer;
	int n_install, n_remove, n_rmpfx, n_store, n_unstore, n_free;
	bool known;
};

static struct fake F;
static struct mag M;
static struct xp_mag_config C;

static const uint8_t MAC1[6] = { 0x02, 0, 0, 0, 0x01, 0x01 };
static const uint8_t MAC2[6] = { 0x02, 0, 0, 0, 0x01, 0x02 };

static struct in6_addr a6(const char *s)
{
	struct in6_addr a;

	cr_assert_eq(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

static uint64_t f_now(void *c) { (void)c; return F.now; }
static uint64_t f_rt(void *c) { (void)c; return F.rt; }
static uint64_t f_ts(void *c) { (void)c; return FAKE_TS; }

static int f_send(void *c, const uint8_t *b, size_t l)
{
	(void)c;
	cr_assert_lt(F.n_sent, MAX_SENT);
	cr_assert_leq(l, MH_MAX_MSG_LEN);
	memcpy(F.sent[F.n_sent], b, l);
	F.sent_len[F.n_sent++] = l;
	return 0;
}

static int f_ra(void *c, struct mag *m, struct mag_entry *e, bool sol)
{
	struct nd_ra_params p;
	uint8_t buf[ND_RA_MAX_LEN];

	(void)c;
	mag_ra_params(m, e, &p);
	cr_assert_gt(nd_build_ra(&p, buf, sizeof(buf)), 0);
	F.n_ra++;
	F.n_ra_solicited += sol;
	return 0;
}

static void f_timer(void *c, struct mag_entry *e, uint64_t d) { (void)c; (void)e; F.timer = d; }
static int f_install(void *c, const struct mag_entry *e) { (void)c; (void)e; F.n_install++; return 0; }
static int f_remove(void *c, const struct mag_entry *e) { (void)c; (void)e; F.n_remove++; return 0; }
static int f_rmpfx(void *c, const struct mag_entry *e, const struct nd_prefix *p, unsigned int n)
{
	(void)c; (void)e; (void)p;
	F.n_rmpfx += (int)n;
	return 0;
}
static int f_store(void *c, const struct mag_entry *e) { (void)c; (void)e; F.n_store++; return 0; }
static int f_unstore(void *c, const struct mag_entry *e) { (void)c; (void)e; F.n_unstore++; return 0; }
static void f_free(void *c, struct mag_entry *e) { (void)c; (void)e; F.n_free++; }

static const struct xp_mag_mn_profile *f_profile(void *c, const uint8_t mac[6],
						  struct xp_mag_mn_profile *s)
{
	(void)c;
	if (!F.known)
		return NULL;
	memset(s, 0, sizeof(*s));
	memcpy(s->mac, mac, 6);
	snprintf(s->mn_id, sizeof(s->mn_id), "%s", "mn1@xpmip.example");
	s->att = XP_ATT_80211;
	s->ifp = mac[5] == 0x02 ? 7 : 0;
	s->primary = mac[5] == 0x02;
	return s;
}

static void setup(void)
{
	static const uint8_t ramac[6] = { 0x02, 0x00, 0x5e, 0x00, 0x53, 0x01 };
	struct mag_hooks h = {
		.now_ms = f_now, .realtime_ms = f_rt, .timestamp = f_ts, .send_mh = f_send,
		.send_ra = f_ra, .timer_set = f_timer, .dp_install = f_install,
		.dp_remove_prefixes = f_rmpfx, .dp_remove = f_remove, .store = f_store,
		.unstore = f_unstore, .profile = f_profile, .entry_free = f_free,
	};

	memset(&F, 0, sizeof(F));
	F.now = 1000000;
	F.rt = 1700000000000ull;
	F.known = true;
	memset(&C, 0, sizeof(C));
	C.proxy_coa = a6("2001:db8:a1::2");
	C.lma_address = a6("2001:db8:ff::1");
	C.lifetime_s = 3600;
	C.refresh_pct = 80;
	C.initial_bindack_timeout_ms = 1000;
	C.max_bindack_timeout_ms = 32000;
	C.max_retransmits = 5;
	C.ra_link_local = a6("fe80::1");
	memcpy(C.ra_mac, ramac, 6);
	C.ra_min_interval_ms = 3000;
	C.ra_max_interval_ms = 10000;
	C.ra_router_lifetime_s = 1800;
	C.ra_prefix_valid_s = 86400;
	C.ra_prefix_preferred_s = 14400;
	C.mtu = 1440;
	mag_init(&M, &C, &h);
}

static void teardown(void)
{
	mag_fini(&M);
}

TestSuite(mag, .init = setup, .fini = teardown);

static void decode_sent(int i, struct mh_msg *m)
{
	size_t off = 0;
	int err;

	cr_assert_lt(i, F.n_sent);
	err = mh_decode(F.sent[i], F.sent_len[i], m, &off);
	cr_assert_eq(err, MH_OK, "PBU %d: %s at %zu", i, mh_strerror(err), off);
	cr_assert_eq(m->type, XP_MH_TYPE_BU);
	cr_assert_eq(m->bu.flags, XP_BU_F_A | XP_BU_F_P);
}

static size_t make_pba(uint8_t *buf, uint8_t status, uint16_t seq, uint16_t lt_units,
		       const char *mnid, const uint8_t *mac, int n_hnp, uint8_t hnp_flags)
{
	static struct mh_msg m;
	int n;

	mh_msg_init(&m, XP_MH_TYPE_BA);
	m.ba.status = status;
	m.ba.flags = XP_BA_F_P;
	m.ba.seq = seq;
	m.ba.lifetime = lt_units;
	if (mnid)
		cr_assert_eq(mh_set_mnid(&m, mnid), 0);
	for (int i = 0; i < n_hnp; i++) {
		char p[64];
		struct in6_addr a;

		snprintf(p, sizeof(p), "2001:db8:1:%x::", i + 1);
		a = a6(p);
		cr_assert_eq(mh_add_hnp(&m, &a, 64, i == 1 ? hnp_flags : 0), 0);
	}
	m.opt.present |= MH_HAS_HI | MH_HAS_ATT | MH_HAS_TIMESTAMP;
	m.opt.hi = XP_HI_NEW_IF;
	m.opt.att = XP_ATT_80211;
	m.opt.timestamp = FAKE_TS;
	if (mac) {
		m.opt.present |= MH_HAS_MN_LLID;
		m.opt.llid_len = 6;
		memcpy(m.opt.llid, mac, 6);
	}
	n = mh_encode(&m, buf, MH_MAX_MSG_LEN);
	cr_assert_gt(n, 0);
	return (size_t)n;
}

static struct in6_addr LMA(void) { return a6("2001:db8:ff::1"); }

/* Detect MAC1 and accept its first PBU; returns the entry */
static struct mag_entry *register_mn(int n_hnp)
{
	struct in6_addr src = a6("fe80::1:1"), lma = LMA();
	struct mag_entry *e;
	uint8_t pba[MH_MAX_MSG_LEN];
	size_t n;

	cr_assert_eq(mag_mn_detected(&M, 5, "m1-acc", MAC1, &src, false), 0);
	e = mag_find(&M, MAC1);
	cr_assert_not_null(e);
	n = make_pba(pba, XP_PBA_ACCEPTED, e->seq, 1000, "mn1@xpmip.example", MAC1, n_hnp, 0);
	cr_assert_eq(mag_on_pba(&M, pba, n, &lma), 0);
	cr_assert_eq(e->state, MAG_S_BOUND);
	return e;
}

Test(mag, first_pbu_fields)
{
	struct in6_addr src = a6("fe80::1:1");
	struct mh_msg m;
	struct mag_entry *e;

	cr_assert_eq(mag_mn_detected(&M, 5, "m1-acc", MAC1, &src, false), 0);
	cr_assert_eq(F.n_sent, 1);
	decode_sent(0, &m);
	e = mag_find(&M, MAC1);
	cr_assert_not_null(e);
	cr_assert_eq(e->state, MAG_S_REGISTERING);
	cr_assert_eq(m.bu.seq, e->seq);
	cr_assert_eq(m.bu.lifetime, 3600 / 4);
	cr_assert(m.opt.present & MH_HAS_MN_ID);
	cr_assert_eq(m.opt.mnid_subtype, XP_MNID_SUBTYPE_NAI);
	cr_assert_str_eq((const char *)m.opt.mnid, "mn1@xpmip.example");
	cr_assert_eq(m.opt.n_hnp, 1, "one HNP option, ALL_ZERO");
	cr_assert_eq(m.opt.hnp[0].plen, 0);
	cr_assert(IN6_IS_ADDR_UNSPECIFIED(&m.opt.hnp[0].prefix));
	cr_assert(m.opt.present & MH_HAS_HI);
	cr_assert_eq(m.opt.hi, XP_HI_UNKNOWN, "first registration: HI 4 (RFC 5213 6.9.1.1)");
	cr_assert(m.opt.present & MH_HAS_ATT);
	cr_assert_eq(m.opt.att, XP_ATT_80211);
	cr_assert(m.opt.present & MH_HAS_MN_LLID);
	cr_assert_eq(m.opt.llid_len, 6);
	cr_assert_arr_eq(m.opt.llid, MAC1, 6);
	cr_assert_eq(m.opt.llid_ifp, 0);
	cr_assert_not(m.opt.llid_primary);
	cr_assert(m.opt.present & MH_HAS_LLA);
	struct in6_addr ll = a6("fe80::1");
	cr_assert_arr_eq(&m.opt.lla, &ll, 16);
	cr_assert(m.opt.present & MH_HAS_TIMESTAMP);
	cr_assert_eq(m.opt.timestamp, FAKE_TS);
	cr_assert_eq(F.timer, F.now + 1000);
	cr_assert_eq(F.n_install, 0, "nothing installed before the PBA");
	cr_assert_gt(F.n_store, 0, "BUL persisted");
}

Test(mag, llid_ifp_and_primary_from_profile)
{
	struct mh_msg m;

	cr_assert_eq(mag_mn_detected(&M, 6, "m2-acc", MAC2, NULL, false), 0);
	decode_sent(0, &m);
	cr_assert_eq(m.opt.llid_ifp, 7);
	cr_assert(m.opt.llid_primary);
	/* same MN-ID, second interface: same MN index, another BID */
	cr_assert_eq(mag_mn_detected(&M, 5, "m1-acc", MAC1, NULL, false), 0);
	struct mag_entry *a = mag_find(&M, MAC1), *b = mag_find(&M, MAC2);
	cr_assert_eq(a->mn_idx, b->mn_idx);
	cr_assert_neq(a->bid, b->bid);
}

/* 000 6.2: `xpmipctl priority MAC IFP [--primary]` stands in for the MN's
 * handover indication: the new IFP and P go to the LMA at once, in a
 * refresh PBU (HI 5, the assigned prefixes), and are persisted */
Test(mag, priority_change_sends_a_refresh_with_the_new_ifp)
{
	struct mag_entry *e = register_mn(1);
	struct mh_msg m;
	int sent = F.n_sent, stores = F.n_store;

	cr_assert_eq(mag_set_priority(&M, MAC1, 9, true), 0);
	cr_assert_eq(e->state, MAG_S_REFRESHING);
	cr_assert_eq(F.n_sent, sent + 1, "one PBU, now");
	decode_sent(sent, &m);
	cr_assert_eq(m.opt.hi, XP_HI_NOT_CHANGED);
	cr_assert(m.opt.present & MH_HAS_MN_LLID);
	cr_assert_eq(m.opt.llid_ifp, 9);
	cr_assert(m.opt.llid_primary);
	cr_assert_eq(m.opt.n_hnp, 1);
	cr_assert(!memcmp(&m.opt.hnp[0].prefix, &e->hnp[0].prefix, 16));
	cr_assert_gt(F.n_store, stores, "persisted (BUL state)");
	/* a change while the PBU is unanswered rides on its retransmission */
	cr_assert_eq(mag_set_priority(&M, MAC1, 4, false), 0);
	F.now = F.timer;
	mag_timer_fired(&M, e);
	decode_sent(F.n_sent - 1, &m);
	cr_assert_eq(m.opt.llid_ifp, 4);
	cr_assert_not(m.opt.llid_primary);
	cr_assert_eq(mag_set_priority(&M, MAC2, 1, false), -ENOENT, "unknown MAC");
}

Test(mag, handover_hi3_and_unknown_mn)
{
	struct mh_msg m;

	cr_assert_eq(mag_mn_detected(&M, 5, "m1-acc", MAC1, NULL, true), 0);
	decode_sent(0, &m);
	cr_assert_eq(m.opt.hi, XP_HI_IAHO);
	F.known = false;
	cr_assert_eq(mag_mn_detected(&M, 5, "m1-acc", MAC2, NULL, false), -ENOENT);
	cr_assert_eq(F.n_sent, 1);
	cr_assert_null(mag_find(&M, MAC2));
}

Test(mag, retransmission_backoff_to_cap_then_failed)
{
	uint32_t want[] = { 1000, 2000, 4000, 8000, 10000, 10000, 10000 };
	struct mag_entry *e;
	uint16_t last_seq;

	C.max_bindack_timeout_ms = 10000;
	C.max_retransmits = 6;
	cr_assert_eq(mag_mn_detected(&M, 5, "m1-acc", MAC1, NULL, false), 0);
	e = mag_find(&M, MAC1);
	last_seq = e->seq;
	for (unsigned int i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct mh_msg m;

		cr_assert_eq(F.timer - F.now, want[i], "try %u: timeout %llu want %u", i,
			     (unsigned long long)(F.timer - F.now), want[i]);
		decode_sent(F.n_sent - 1, &m);
		cr_assert_eq(m.bu.seq, e->seq);
		if (i)
			cr_assert_eq((uint16_t)(m.bu.seq - last_seq), 1, "new seq per transmission");
		cr_assert_eq(m.opt.hnp[0].plen, 0);
		last_seq = m.bu.seq;
		F.now = F.timer;
		F.rt += want[i];
		mag_timer_fired(&M, e);
	}
	/* 1 + max_retransmits transmissions, then given up */
	cr_assert_eq(F.n_sent, 7);
	cr_assert_eq(e->state, MAG_S_FAILED);
	cr_assert_eq(F.timer, 0);
	/* a new RS starts over */
	cr_assert_eq(mag_mn_detected(&M, 5, "m1-acc", MAC1, NULL, false), 0);
	cr_assert_eq(e->state, MAG_S_REGISTERING);
	cr_assert_eq(F.n_sent, 8);
	cr_assert_eq(F.timer - F.now, 1000);
}

Test(mag, pba_accepted_installs_and_answers_ra)
{
	struct mag_entry *e = register_mn(2);

	cr_assert_eq(F.n_install, 1);
	cr_assert_eq(F.n_ra_solicited, 1);
	cr_assert_eq(e->lifetime_s, 4000);
	cr_assert_eq(e->n_hnp, 2);
	/* refresh at 80 % of the granted (not the requested) lifetime */
	cr_assert_eq(F.timer, F.now + 3200000);
	cr_assert_eq(e->expire_rt_ms, F.rt + 4000000);
	cr_assert(e->dp_installed);

	struct nd_ra_params p;
	mag_ra_params(&M, e, &p);
	cr_assert_eq(p.n_prefix, 2);
	cr_assert_eq(p.mtu, 1440);
	cr_assert_eq(p.router_lifetime_s, 1800);
}

Test(mag, pba_wrong_sequence_source_or_mn_ignored)
{
	struct in6_addr lma = LMA(), other = a6("2001:db8:ff::2");
	uint8_t pba[MH_MAX_MSG_LEN];
	struct mag_entry *e;
	size_t n;

	cr_assert_eq(mag_mn_detected(&M, 5, "m1-acc", MAC1, NULL, false), 0);
	e = mag_find(&M, MAC1);
	n = make_pba(pba, 0, (uint16_t)(e->seq + 1), 1000, "mn1@xpmip.example", MAC1, 1, 0);
	cr_assert_eq(mag_on_pba(&M, pba, n, &lma), -ENOENT);
	n = make_pba(pba, 0, (uint16_t)(e->seq - 1), 1000, "mn1@xpmip.example", MAC1, 1, 0);
	cr_assert_eq(mag_on_pba(&M, pba, n, &lma), -ENOENT);
	n = make_pba(pba, 0, e->seq, 1000, "other@xpmip.example", MAC1, 1, 0);
	cr_assert_eq(mag_on_pba(&M, pba, n, &lma), -ENOENT);
	n = make_pba(pba, 0, e->seq, 1000, "mn1@xpmip.example", MAC2, 1, 0);
	cr_assert_eq(mag_on_pba(&M, pba, n, &lma), -ENOENT);
	n = make_pba(pba, 0, e->seq, 1000, "mn1@xpmip.example", MAC1, 1, 0);
	cr_assert_eq(mag_on_pba(&M, pba, n, &other), -ENOENT, "not from our LMA");
	cr_assert_eq(e->state, MAG_S_REGISTERING);
	cr_assert_eq(F.n_install, 0);
	/* malformed input is reported, never fatal */
	cr_assert_eq(mag_on_pba(&M, pba, 3, &lma), -EBADMSG);
	pba[1] = 200;
	cr_assert_eq(mag_on_pba(&M, pba, n, &lma), -EBADMSG);
	/* the right one still works */
	n = make_pba(pba, 0, e->seq, 1000, "mn1@xpmip.example", MAC1, 1, 0);
	cr_assert_eq(mag_on_pba(&M, pba, n, &lma), 0);
	cr_assert_eq(e->state, MAG_S_BOUND);
	/* a duplicate of the accepted PBA is ignored */
	cr_assert_eq(mag_on_pba(&M, pba, n, &lma), -ENOENT);
	cr_assert_eq(F.n_install, 1);
}

Test(mag, rejection_stops)
{
	struct in6_addr lma = LMA();
	uint8_t pba[MH_MAX_MSG_LEN];
	struct mag_entry *e;
	size_t n;

	cr_assert_eq(mag_mn_detected(&M, 5, "m1-acc", MAC1, NULL, false), 0);
	e = mag_find(&M, MAC1);
	n = make_pba(pba, XP_PBA_NOT_LMA_FOR_THIS_MN, e->seq, 0, "mn1@xpmip.example", NULL, 0, 0);
	cr_assert_eq(mag_on_pba(&M, pba, n, &lma), 0);
	cr_assert_eq(e->state, MAG_S_REJECTED);
	cr_assert_eq(e->last_status, XP_PBA_NOT_LMA_FOR_THIS_MN);
	cr_assert_eq(F.timer, 0, "no retransmission after a rejection");
	cr_assert_eq(F.n_install, 0);
	cr_assert_str_eq(mh_pba_status_name(XP_PBA_NOT_LMA_FOR_THIS_MN), "NOT_LMA_FOR_THIS_MOBILE_NODE");
	/* further RSs do not restart signalling */
	cr_assert_eq(mag_mn_detected(&M, 5, "m1-acc", MAC1, NULL, false), 0);
	cr_assert_eq(F.n_sent, 1);
	/* link down forgets it without a de-registration */
	mag_link_down(&M, 5);
	cr_assert_null(mag_find(&M, MAC1));
	cr_assert_eq(F.n_sent, 1);
}

Test(mag, refresh_timing_and_fields)
{
	struct in6_addr lma = LMA();
	uint8_t pba[MH_MAX_MSG_LEN];
	struct mag_entry *e = register_mn(2);
	struct mh_msg m;
	size_t n;
	int sent = F.n_sent, ras = F.n_ra;

	F.now = F.timer;
	F.rt += 3200000;
	mag_timer_fired(&M, e);
	cr_assert_eq(e->state, MAG_S_REFRESHING);
	cr_assert_eq(F.n_sent, sent + 1);
	decode_sent(sent, &m);
	cr_assert_eq(m.opt.hi, XP_HI_NOT_CHANGED, "re-registration: HI 5");
	cr_assert_eq(m.opt.n_hnp, 2, "the assigned HNPs");
	cr_assert_eq(m.opt.hnp[0].plen, 64);
	cr_assert(!memcmp(&m.opt.hnp[0].prefix, &e->hnp[0].prefix, 16));
	cr_assert_eq(m.bu.lifetime, 900);
	cr_assert_eq(F.timer, F.now + 1000);
	/* still forwarding while refreshing */
	cr_assert(e->dp_installed);
	n = make_pba(pba, 0, e->seq, 500, "mn1@xpmip.example", MAC1, 2, 0);
	cr_assert_eq(mag_on_pba(&M, pba, n, &lma), 0);
	cr_assert_eq(e->state, MAG_S_BOUND);
	cr_assert_eq(e->lifetime_s, 2000);
	cr_assert_eq(F.timer, F.now + 1600000);
	cr_assert_eq(F.n_ra, ras, "same prefixes: no new RA");
}

Test(mag, refresh_changes_prefixes_and_offlink_not_advertised)
{
	struct in6_addr lma = LMA();
	uint8_t pba[MH_MAX_MSG_LEN];
	struct mag_entry *e = register_mn(1);
	size_t n;
	int ras = F.n_ra;

	F.now = F.timer;
	mag_timer_fired(&M, e);
	n = make_pba(pba, 0, e->seq, 1000, "mn1@xpmip.example", MAC1, 2, XP_HNP_F_OFFLINK);
	cr_assert_eq(mag_on_pba(&M, pba, n, &lma), 0);
	cr_assert_eq(e->n_hnp, 2);
	cr_assert_eq(e->hnp[1].flags, ND_PFX_F_OFFLINK);
	cr_assert_eq(F.n_ra, ras + 1, "prefix set changed: RA");

	struct nd_ra_params p;
	uint8_t buf[ND_RA_MAX_LEN];
	mag_ra_params(&M, e, &p);
	cr_assert_eq(nd_build_ra(&p, buf, sizeof(buf)),
		     ND_RA_HDR_LEN + ND_OPT_LLADDR_LEN + ND_OPT_MTU_LEN + ND_OPT_PI_LEN,
		     "the off-link prefix is not in the RA");

	/* next refresh drops the first prefix: it leaves the data plane */
	F.now = F.timer;
	mag_timer_fired(&M, e);
	static struct mh_msg m;
	mh_msg_init(&m, XP_MH_TYPE_BA);
	m.ba.flags = XP_BA_F_P;
	m.ba.seq = e->seq;
	m.ba.lifetime = 1000;
	struct in6_addr pfx = a6("2001:db8:1:2::");
	mh_add_hnp(&m, &pfx, 64, 0);
	int len = mh_encode(&m, pba, sizeof(pba));
	cr_assert_gt(len, 0);
	cr_assert_eq(mag_on_pba(&M, pba, (size_t)len, &lma), 0);
	cr_assert_eq(F.n_rmpfx, 1);
	cr_assert_eq(e->n_hnp, 1);
}

Test(mag, refresh_unanswered_keeps_binding_until_expiry)
{
	struct mag_entry *e = register_mn(1);

	F.now = F.timer;
	F.rt += 3200000;
	mag_timer_fired(&M, e);
	for (int i = 0; i < 10 && e->state == MAG_S_REFRESHING; i++) {
		F.rt += F.timer - F.now;
		F.now = F.timer;
		mag_timer_fired(&M, e);
	}
	cr_assert_eq(e->state, MAG_S_BOUND);
	cr_assert(e->dp_installed);
	cr_assert_eq(F.timer - F.now, e->expire_rt_ms - F.rt);
	F.rt = e->expire_rt_ms;
	F.now = F.timer;
	mag_timer_fired(&M, e);
	cr_assert_eq(e->state, MAG_S_FAILED);
	cr_assert_not(e->dp_installed);
	cr_assert_eq(F.n_remove, 1);
}

Test(mag, deregistration_on_link_down)
{
	struct in6_addr lma = LMA();
	uint8_t pba[MH_MAX_MSG_LEN];
	struct mag_entry *e = register_mn(1);
	struct mh_msg m;
	int sent = F.n_sent;
	size_t n;

	mag_link_down(&M, 6);	/* another link: nothing */
	cr_assert_eq(F.n_sent, sent);
	mag_link_down(&M, 5);
	cr_assert_eq(e->state, MAG_S_DEREGISTERING);
	cr_assert_eq(F.n_remove, 1, "user plane removed at once");
	cr_assert_not(e->dp_installed);
	decode_sent(sent, &m);
	cr_assert_eq(m.bu.lifetime, 0);
	cr_assert_eq(m.opt.n_hnp, 1);
	cr_assert_eq(m.opt.hnp[0].plen, 64);
	cr_assert(m.opt.present & MH_HAS_HI);
	cr_assert_eq(F.timer, F.now + 1000);
	n = make_pba(pba, 0, e->seq, 0, "mn1@xpmip.example", MAC1, 0, 0);
	cr_assert_eq(mag_on_pba(&M, pba, n, &lma), 0);
	cr_assert_null(mag_find(&M, MAC1));
	cr_assert_eq(F.n_unstore, 1);
	cr_assert_eq(F.n_free, 1);
}

Test(mag, detach_unanswered_frees_after_retries)
{
	struct mag_entry *e = register_mn(1);
	int sent = F.n_sent;

	cr_assert_eq(mag_detach(&M, MAC2), -ENOENT);
	cr_assert_eq(mag_detach(&M, MAC1), 0);
	cr_assert_eq(e->state, MAG_S_DEREGISTERING);
	for (int i = 0; i < 20 && mag_find(&M, MAC1); i++) {
		F.now = F.timer;
		mag_timer_fired(&M, mag_find(&M, MAC1));
	}
	cr_assert_null(mag_find(&M, MAC1));
	cr_assert_eq(F.n_sent, sent + 1 + (int)C.max_retransmits);
}

Test(mag, rs_while_bound_answers_ra_only)
{
	struct in6_addr src = a6("fe80::1:1");
	struct mag_entry *e = register_mn(1);
	int sent = F.n_sent, ras = F.n_ra_solicited;

	cr_assert_eq(mag_mn_detected(&M, 5, "m1-acc", MAC1, &src, false), 0);
	cr_assert_eq(F.n_sent, sent);
	cr_assert_eq(F.n_ra_solicited, ras + 1);
	cr_assert_eq(e->state, MAG_S_BOUND);
}

Test(mag, restore_rearms_from_realtime)
{
	struct mag_entry saved, *e;

	memset(&saved, 0, sizeof(saved));
	memcpy(saved.mac, MAC1, 6);
	snprintf(saved.mn_id, sizeof(saved.mn_id), "mn1@xpmip.example");
	snprintf(saved.ifname, sizeof(saved.ifname), "m1-acc");
	saved.ifindex = 5;
	saved.mn_idx = 9;
	saved.bid = 1;
	saved.state = MAG_S_BOUND;
	saved.seq = 700;
	saved.lifetime_s = 4000;
	saved.expire_rt_ms = F.rt + 1000000;
	saved.refresh_rt_ms = F.rt + 200000;
	saved.n_hnp = 1;
	saved.hnp[0].plen = 64;
	saved.dp_installed = true;
	cr_assert_eq(mag_restore(&M, &saved), 0);
	e = mag_find(&M, MAC1);
	cr_assert_not_null(e);
	cr_assert_eq(F.timer, F.now + 200000);
	cr_assert_eq(F.n_sent, 0);
	cr_assert_eq(mag_restore(&M, &saved), -EEXIST);
	/* the next PBU continues the sequence; a new MN gets another index */
	cr_assert_eq(mag_mn_detected(&M, 6, "m2-acc", MAC2, NULL, false), 0);
	struct mh_msg m;
	decode_sent(0, &m);
	cr_assert_eq(m.bu.seq, 701);
	cr_assert_eq(mag_find(&M, MAC2)->mn_idx, 9, "same MN-ID shares the index");
	/* refresh fires from the restored deadline */
	F.now = F.now + 200000;
	F.rt += 200000;
	mag_timer_fired(&M, e);
	cr_assert_eq(e->state, MAG_S_REFRESHING);

	/* an expired stored binding is removed on restore */
	saved.state = MAG_S_BOUND;
	memcpy(saved.mac, (uint8_t[6]){ 2, 0, 0, 0, 9, 9 }, 6);
	saved.expire_rt_ms = F.rt - 1;
	cr_assert_eq(mag_restore(&M, &saved), 0);
	cr_assert_eq(mag_find(&M, saved.mac)->state, MAG_S_FAILED);
}

Test(mag, print_bul)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	register_mn(1);
	f = open_memstream(&buf, &len);
	mag_print_bul(&M, f, false);
	fclose(f);
	cr_assert(strstr(buf, "02:00:00:00:01:01"));
	cr_assert(strstr(buf, "mn1@xpmip.example"));
	cr_assert(strstr(buf, "2001:db8:1:1::/64"));
	cr_assert(strstr(buf, "bound"));
	cr_assert(strstr(buf, "m1-acc"));
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	mag_print_bul(&M, f, true);
	fclose(f);
	cr_assert(strstr(buf, "\"state\":\"bound\""));
	cr_assert(strstr(buf, "\"lifetime_left_s\":4000"));
	free(buf);
}

Test(mag, bul_is_bounded)
{
	uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0 };
	unsigned int i;

	for (i = 0; i < XP_BUL_MAX_ENTRIES; i++) {
		mac[3] = (uint8_t)(i >> 16);
		mac[4] = (uint8_t)(i >> 8);
		mac[5] = (uint8_t)i;
		F.n_sent = 0;	/* the fake keeps only the last few */
		cr_assert_eq(mag_mn_detected(&M, 5, "m1-acc", mac, NULL, false), 0);
	}
	cr_assert_eq(mag_count(&M), XP_BUL_MAX_ENTRIES);
	mac[2] = 1;
	F.n_sent = 0;
	cr_assert_eq(mag_mn_detected(&M, 5, "m1-acc", mac, NULL, false), -ENOSPC);
	cr_assert_eq(F.n_sent, 0, "no PBU for an MN that did not fit");
	cr_assert_null(mag_find(&M, mac));
	/* every interface of the one MN got its own BID */
	cr_assert_eq(mag_find(&M, (uint8_t[6]){ 2, 0, 0, 0, 0x0f, 0xff })->bid, XP_BUL_MAX_ENTRIES);
}

Test(mag, bul_json_escapes_strings)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	struct mag_entry *e;

	cr_assert_eq(mag_mn_detected(&M, 5, "m1\"acc", MAC1, NULL, false), 0);
	e = mag_find(&M, MAC1);
	snprintf(e->mn_id, sizeof(e->mn_id), "a\"b\\c\n");
	f = open_memstream(&buf, &len);
	mag_print_bul(&M, f, true);
	fclose(f);
	cr_assert(strstr(buf, "\"mn_id\":\"a\\\"b\\\\c\\u000a\""), "%s", buf);
	cr_assert(strstr(buf, "\"interface\":\"m1\\\"acc\""), "%s", buf);
	free(buf);
}

Test(mag, deregister_all_skips_the_finished)
{
	struct in6_addr lma = LMA();
	uint8_t pba[MH_MAX_MSG_LEN];
	struct mag_entry *a = register_mn(1), *b;
	size_t n;
	int sent;

	cr_assert_eq(mag_mn_detected(&M, 6, "m2-acc", MAC2, NULL, false), 0);
	b = mag_find(&M, MAC2);
	n = make_pba(pba, XP_PBA_ADMIN_PROHIBITED, b->seq, 0, "mn1@xpmip.example", MAC2, 0, 0);
	cr_assert_eq(mag_on_pba(&M, pba, n, &lma), 0);
	cr_assert_eq(b->state, MAG_S_REJECTED);
	sent = F.n_sent;
	mag_deregister_all(&M, "flush");
	cr_assert_eq(a->state, MAG_S_DEREGISTERING);
	cr_assert_eq(b->state, MAG_S_REJECTED, "nothing to tell the LMA");
	cr_assert_eq(F.n_sent, sent + 1);
}

/* ---- RFC 7864 Flow Mobility Initiate (UPN) at the MAG ---- */

/* A UPN (reason FLOW-MOBILITY unless told, A set) for mn1 with the given
 * HNPs ("2001:db8:9::" style, each /64, L flag per hnp_l) and n_fid
 * Flow Identification options with a destination-port selector */
static size_t make_upn(uint8_t *buf, uint16_t seq, uint8_t reason, const char *mnid,
		       const char *const *pfx, const bool *hnp_l, int n_pfx, int n_fid)
{
	static struct mh_msg m;
	int n;

	mh_msg_init(&m, XP_MH_TYPE_UPN);
	m.upn.seq = seq;
	m.upn.reason = reason;
	m.upn.flags = XP_UPN_F_A;
	if (mnid)
		cr_assert_eq(mh_set_mnid(&m, mnid), 0);
	for (int i = 0; i < n_pfx; i++) {
		struct in6_addr a = a6(pfx[i]);

		cr_assert_eq(mh_add_hnp(&m, &a, 64, hnp_l[i] ? XP_HNP_F_OFFLINK : 0), 0);
	}
	for (int i = 0; i < n_fid; i++) {
		struct mh_flow_id *f = &m.opt.flow_id[m.opt.n_flow_id++];

		f->fid = (uint16_t)(10 + i);
		f->fid_pri = (uint16_t)(100 + i);
		f->has_ts = true;
		f->ts.format = XP_TS_FMT_IPV6;
		f->ts.flags = XP_TS6_K_DPORT_START | XP_TS6_L_DPORT_END;
		f->ts.dport_start = 5000;
		f->ts.dport_end = 5001;
	}
	n = mh_encode(&m, buf, MH_MAX_MSG_LEN);
	cr_assert_gt(n, 0);
	return (size_t)n;
}

static void decode_upa(int i, struct mh_msg *m)
{
	cr_assert_lt(i, F.n_sent);
	cr_assert_eq(mh_decode(F.sent[i], F.sent_len[i], m, NULL), MH_OK);
	cr_assert_eq(m->type, XP_MH_TYPE_UPA);
}

static unsigned n_offlink(const struct mag_entry *e)
{
	unsigned n = 0;

	for (unsigned i = 0; i < e->n_hnp; i++)
		n += !!(e->hnp[i].flags & ND_PFX_F_OFFLINK);
	return n;
}

Test(mag, upn_installs_offlink_prefix_and_answers_upa)
{
	static const char *const p[] = { "2001:db8:9::" };
	static const bool l[] = { true };
	struct in6_addr lma = LMA();
	uint8_t upn[MH_MAX_MSG_LEN];
	struct mag_entry *e = register_mn(1);
	static struct mh_msg m;
	int sent = F.n_sent, inst = F.n_install, ras = F.n_ra;
	size_t n = make_upn(upn, 77, XP_UPN_R_FLOW_MOBILITY, "mn1@xpmip.example", p, l, 1, 2);

	cr_assert_eq(mag_on_pba(&M, upn, n, &lma), 0);
	cr_assert_eq(e->n_hnp, 2);
	cr_assert_eq(n_offlink(e), 1);
	cr_assert_eq(F.n_install, inst + 1, "the off-link prefix goes to the user plane");
	cr_assert_eq(F.n_ra, ras, "no RA for an off-link prefix");
	cr_assert_eq(e->n_flow, 2);
	cr_assert_eq(e->flow[1].fid, 11);
	cr_assert_eq(e->flow[1].ts.dport_end, 5001);
	cr_assert_eq(F.n_sent, sent + 1);
	decode_upa(sent, &m);
	cr_assert_eq(m.upa.seq, 77);
	cr_assert_eq(m.upa.status, XP_UPA_S_SUCCESS);
	cr_assert_str_eq((const char *)m.opt.mnid, "mn1@xpmip.example");
	cr_assert_eq(m.opt.n_hnp, 1, "the success UPA carries the HNP options");
	cr_assert_eq(m.opt.hnp[0].flags, XP_HNP_F_OFFLINK);
	cr_assert_eq(M.st.upn_rx, 1);
	cr_assert_eq(M.st.upa_by_status[XP_UPA_S_SUCCESS], 1);

	/* the RA still carries the on-link prefix only */
	struct nd_ra_params rp;
	uint8_t ra[ND_RA_MAX_LEN];
	mag_ra_params(&M, e, &rp);
	cr_assert_eq(nd_build_ra(&rp, ra, sizeof(ra)),
		     ND_RA_HDR_LEN + ND_OPT_LLADDR_LEN + ND_OPT_MTU_LEN + ND_OPT_PI_LEN);

	/* a refresh PBU carries only the binding's own prefix */
	F.now = F.timer;
	mag_timer_fired(&M, e);
	decode_sent(F.n_sent - 1, &m);
	cr_assert_eq(m.opt.n_hnp, 1);
	cr_assert_eq(m.opt.hnp[0].flags, 0);
	cr_assert_eq(memcmp(&m.opt.hnp[0].prefix, &e->hnp[0].prefix, 16), 0);
}

Test(mag, later_upn_without_the_prefix_removes_it)
{
	static const char *const p1[] = { "2001:db8:9::", "2001:db8:a::" };
	static const bool l1[] = { true, true };
	static const char *const p2[] = { "2001:db8:a::" };
	static const bool l2[] = { true };
	static const char *const p3[] = { "2001:db8:1:1::" };	/* the MN's own, L = 0 */
	static const bool l3[] = { false };
	struct in6_addr lma = LMA();
	uint8_t upn[MH_MAX_MSG_LEN];
	struct mag_entry *e = register_mn(1);
	size_t n;

	n = make_upn(upn, 1, XP_UPN_R_FLOW_MOBILITY, "mn1@xpmip.example", p1, l1, 2, 0);
	cr_assert_eq(mag_on_pba(&M, upn, n, &lma), 0);
	cr_assert_eq(n_offlink(e), 2);
	n = make_upn(upn, 2, XP_UPN_R_FLOW_MOBILITY, "mn1@xpmip.example", p2, l2, 1, 0);
	cr_assert_eq(mag_on_pba(&M, upn, n, &lma), 0);
	cr_assert_eq(n_offlink(e), 1);
	cr_assert_eq(F.n_rmpfx, 1, "2001:db8:9::/64 left the user plane");
	/* no off-link prefix left: the LMA names the on-link one */
	n = make_upn(upn, 3, XP_UPN_R_FLOW_MOBILITY, "mn1@xpmip.example", p3, l3, 1, 0);
	cr_assert_eq(mag_on_pba(&M, upn, n, &lma), 0);
	cr_assert_eq(n_offlink(e), 0);
	cr_assert_eq(e->n_hnp, 1);
	cr_assert_eq(F.n_rmpfx, 2);
	cr_assert_eq(M.st.upa_by_status[XP_UPA_S_SUCCESS], 3);
}

Test(mag, upn_statuses_and_foreign_sender)
{
	static const char *const p[] = { "2001:db8:9::" };
	static const bool l[] = { true };
	struct in6_addr lma = LMA(), other = a6("2001:db8:a2::2");
	uint8_t upn[MH_MAX_MSG_LEN];
	static struct mh_msg m;
	size_t n;
	int sent;

	/* MN not attached here: 132 */
	n = make_upn(upn, 5, XP_UPN_R_FLOW_MOBILITY, "mn1@xpmip.example", p, l, 1, 0);
	cr_assert_eq(mag_on_pba(&M, upn, n, &lma), 0);
	decode_upa(F.n_sent - 1, &m);
	cr_assert_eq(m.upa.status, XP_UPA_S_MN_NOT_ATTACHED);
	cr_assert_eq(m.opt.n_hnp, 0);

	struct mag_entry *e = register_mn(1);
	/* another notification reason: 131, nothing changes */
	n = make_upn(upn, 6, XP_UPN_R_UPDATE_PARAMS, "mn1@xpmip.example", p, l, 1, 0);
	cr_assert_eq(mag_on_pba(&M, upn, n, &lma), 0);
	decode_upa(F.n_sent - 1, &m);
	cr_assert_eq(m.upa.status, XP_UPA_S_UNSPECIFIED);
	cr_assert_eq(n_offlink(e), 0);
	/* no MN-ID: 131 */
	n = make_upn(upn, 7, XP_UPN_R_FLOW_MOBILITY, NULL, p, l, 1, 0);
	cr_assert_eq(mag_on_pba(&M, upn, n, &lma), 0);
	decode_upa(F.n_sent - 1, &m);
	cr_assert_eq(m.upa.status, XP_UPA_S_UNSPECIFIED);

	/* not from our LMA: counted, no answer, nothing installed */
	sent = F.n_sent;
	n = make_upn(upn, 8, XP_UPN_R_FLOW_MOBILITY, "mn1@xpmip.example", p, l, 1, 0);
	cr_assert_eq(mag_on_pba(&M, upn, n, &other), -EPERM);
	cr_assert_eq(F.n_sent, sent);
	cr_assert_eq(M.st.upn_not_lma, 1);
	cr_assert_eq(n_offlink(e), 0);
	cr_assert_eq(M.st.upa_by_status[XP_UPA_S_UNSPECIFIED], 2);
	cr_assert_eq(M.st.upa_by_status[XP_UPA_S_MN_NOT_ATTACHED], 1);
}

Test(mag, upn_too_many_prefixes_is_131_and_changes_nothing)
{
	static const char *const p[] = { "2001:db8:9:1::", "2001:db8:9:2::", "2001:db8:9:3::",
		"2001:db8:9:4::", "2001:db8:9:5::", "2001:db8:9:6::", "2001:db8:9:7::",
		"2001:db8:9:8::" };
	static const bool l[] = { true, true, true, true, true, true, true, true };
	struct in6_addr lma = LMA();
	uint8_t upn[MH_MAX_MSG_LEN];
	struct mag_entry *e = register_mn(1);
	static struct mh_msg m;
	size_t n = make_upn(upn, 9, XP_UPN_R_FLOW_MOBILITY, "mn1@xpmip.example", p, l, 8, 0);

	cr_assert_eq(mag_on_pba(&M, upn, n, &lma), 0);
	decode_upa(F.n_sent - 1, &m);
	cr_assert_eq(m.upa.status, XP_UPA_S_UNSPECIFIED);
	cr_assert_eq(e->n_hnp, 1);
}

Test(mag, restored_upn_gives_back_the_flows)
{
	static const char *const p[] = { "2001:db8:9::" };
	static const bool l[] = { true };
	uint8_t upn[MH_MAX_MSG_LEN];
	struct mag_entry *e = register_mn(1);
	size_t n = make_upn(upn, 9, XP_UPN_R_FLOW_MOBILITY, "mn1@xpmip.example", p, l, 1, 3);

	e->n_flow = 0;
	cr_assert_eq(mag_restore_upn(&M, e, upn, n), 0);
	cr_assert_eq(e->n_flow, 3);
	cr_assert_eq(mag_restore_upn(&M, e, upn, 5), -EBADMSG);
}
