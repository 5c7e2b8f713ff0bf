// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_codec_roundtrip.c - encode -> decode -> mh_msg_equal over many
 * randomly built valid messages.
 *
 * The PRNG is a fixed-seed xorshift64*, so a failure names a message
 * number that reproduces exactly. Each message draws its type, body and a
 * random subset of every option (lists with random counts, selectors with
 * random flag sets), so the alignment padding is exercised at every
 * offset. Besides equality we check the invariants of the wire form: the
 * length is a multiple of 8 and agrees with Header Len, re-encoding the
 * decoded message gives the same octets (the encoding is canonical), and
 * nothing is reported unknown.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "mh_codec.h"

#define N_MESSAGES	10000
#define SEED		0x9e3779b97f4a7c15ull

/* Bounds that keep the largest draw under MH_MAX_MSG_LEN */
#define GEN_MAX_HNP	4
#define GEN_MAX_BID	4
#define GEN_MAX_FLOW_ID	3

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* (Vigna): good enough and fully deterministic */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static unsigned int rnd_below(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

static bool coin(void)
{
	return rnd() & 1;
}

static void rnd_bytes(void *p, size_t n)
{
	uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)rnd();
}

static const uint8_t msg_types[] = {
	XP_MH_TYPE_BU, XP_MH_TYPE_BA, XP_MH_TYPE_HB, XP_MH_TYPE_UPN, XP_MH_TYPE_UPA,
};

static void gen_ts(struct mh_ts *ts)
{
	memset(ts, 0, sizeof(*ts));
	if (coin()) {
		ts->format = XP_TS_FMT_IPV6;
		ts->flags = (uint16_t)rnd();
	} else {
		ts->format = XP_TS_FMT_IPV4;
		ts->flags = (uint16_t)rnd() & (uint16_t)~XP_TS4_RESERVED_MASK;
	}
	rnd_bytes(ts->src_start, sizeof(ts->src_start));
	rnd_bytes(ts->src_end, sizeof(ts->src_end));
	rnd_bytes(ts->dst_start, sizeof(ts->dst_start));
	rnd_bytes(ts->dst_end, sizeof(ts->dst_end));
	ts->spi_start = (uint32_t)rnd();
	ts->spi_end = (uint32_t)rnd();
	/* only 20 bits of flow label travel */
	ts->fl_start = (uint32_t)rnd() & XP_TS_FLOW_LABEL_MASK;
	ts->fl_end = (uint32_t)rnd() & XP_TS_FLOW_LABEL_MASK;
	ts->sport_start = (uint16_t)rnd();
	ts->sport_end = (uint16_t)rnd();
	ts->dport_start = (uint16_t)rnd();
	ts->dport_end = (uint16_t)rnd();
	ts->tc_start = (uint8_t)rnd();
	ts->tc_end = (uint8_t)rnd();
	ts->nh_start = (uint8_t)rnd();
	ts->nh_end = (uint8_t)rnd();
}

static void gen_msg(struct mh_msg *m)
{
	struct mh_opts *o = &m->opt;

	mh_msg_init(m, msg_types[rnd_below(sizeof(msg_types))]);
	switch (m->type) {
	case XP_MH_TYPE_BU:
		m->bu.seq = (uint16_t)rnd();
		m->bu.flags = (uint16_t)rnd();
		m->bu.lifetime = (uint16_t)rnd();
		break;
	case XP_MH_TYPE_BA:
		m->ba.status = (uint8_t)rnd();
		m->ba.flags = (uint8_t)rnd();
		m->ba.seq = (uint16_t)rnd();
		m->ba.lifetime = (uint16_t)rnd();
		break;
	case XP_MH_TYPE_HB:
		m->hb.flags = (uint8_t)rnd();
		m->hb.seq = (uint32_t)rnd();
		break;
	case XP_MH_TYPE_UPN:
		m->upn.seq = (uint16_t)rnd();
		m->upn.reason = (uint8_t)rnd();
		m->upn.flags = (uint8_t)rnd();
		break;
	case XP_MH_TYPE_UPA:
		m->upa.seq = (uint16_t)rnd();
		m->upa.status = (uint8_t)rnd();
		m->upa.reserved = (uint8_t)rnd();
		break;
	}

	if (coin()) {
		o->present |= MH_HAS_MN_ID;
		o->mnid_subtype = XP_MNID_SUBTYPE_NAI;
		o->mnid_len = (uint8_t)(1 + rnd_below(XP_MNID_MAX_LEN));
		rnd_bytes(o->mnid, o->mnid_len);	/* any octets, NUL included */
		o->mnid[o->mnid_len] = '\0';
	}
	o->n_hnp = (uint8_t)rnd_below(GEN_MAX_HNP + 1);
	for (unsigned int i = 0; i < o->n_hnp; i++) {
		o->hnp[i].flags = (uint8_t)rnd();
		o->hnp[i].plen = (uint8_t)rnd_below(XP_IPV6_PREFIX_MAX + 1);
		rnd_bytes(&o->hnp[i].prefix, sizeof(o->hnp[i].prefix));
	}
	if (coin()) {
		o->present |= MH_HAS_HI;
		o->hi = (uint8_t)rnd();
	}
	if (coin()) {
		o->present |= MH_HAS_ATT;
		o->att = (uint8_t)rnd();
	}
	if (coin()) {
		o->present |= MH_HAS_MN_LLID;
		o->llid_ifp = (uint8_t)rnd();
		o->llid_primary = coin();
		o->llid_reserved = (uint8_t)rnd() & (uint8_t)~XP_LLID_F_PRIMARY;
		o->llid_len = (uint8_t)(1 + rnd_below(MH_MAX_LLID_LEN));
		rnd_bytes(o->llid, o->llid_len);
	}
	if (coin()) {
		o->present |= MH_HAS_LLA;
		rnd_bytes(&o->lla, sizeof(o->lla));
	}
	if (coin()) {
		o->present |= MH_HAS_TIMESTAMP;
		o->timestamp = rnd();
	}
	if (coin()) {
		o->present |= MH_HAS_RESTART_CTR;
		o->restart_ctr = (uint32_t)rnd();
	}
	if (coin()) {
		o->present |= MH_HAS_GRE_KEY;
		o->gre_key = (uint32_t)rnd();
	}
	o->n_bid = (uint8_t)rnd_below(GEN_MAX_BID + 1);
	for (unsigned int i = 0; i < o->n_bid; i++) {
		static const uint8_t coa_lens[] = { 0, XP_IPV4_ADDR_LEN, XP_IPV6_ADDR_LEN };
		struct mh_bid *b = &o->bid[i];

		b->bid = (uint16_t)rnd();
		b->status = (uint8_t)rnd();
		b->h = coin();
		b->pri = (uint8_t)rnd() & XP_BID_PRI_MASK;
		b->coa_len = coa_lens[rnd_below(sizeof(coa_lens))];
		rnd_bytes(b->coa, b->coa_len);
	}
	if (coin()) {
		o->present |= MH_HAS_FLOW_SUMMARY;
		o->n_flow_summary = (uint8_t)(1 + rnd_below(MH_MAX_FLOW_SUMMARY));
		for (unsigned int i = 0; i < o->n_flow_summary; i++)
			o->flow_summary[i] = (uint16_t)rnd();
	}
	o->n_flow_id = (uint8_t)rnd_below(GEN_MAX_FLOW_ID + 1);
	for (unsigned int i = 0; i < o->n_flow_id; i++) {
		struct mh_flow_id *f = &o->flow_id[i];

		f->fid = (uint16_t)rnd();
		f->fid_pri = (uint16_t)rnd();
		f->reserved = (uint8_t)rnd();
		f->status = (uint8_t)rnd();
		f->n_bid_ref = (uint8_t)rnd_below(MH_MAX_BID_REF + 1);
		for (unsigned int j = 0; j < f->n_bid_ref; j++)
			f->bid_ref[j] = (uint16_t)rnd();
		f->has_ts = coin();
		if (f->has_ts)
			gen_ts(&f->ts);
		f->has_action = coin();
		f->action = (uint8_t)rnd();
	}
	if (coin()) {
		o->present |= MH_HAS_MULTIHOMING;
		o->mhgid = (uint8_t)rnd();
		o->mh_act = (uint8_t)rnd_below(XP_MH_ACT_MASK + 1);
	}
	if (coin()) {
		o->present |= MH_HAS_TPFX_BLOCK;
		o->tpfx_plen = (uint8_t)rnd_below(XP_IPV6_PREFIX_MAX + 1);
		rnd_bytes(&o->tpfx, sizeof(o->tpfx));
	}
}

Test(roundtrip, random_messages)
{
	static struct mh_msg m, d, d2;
	static uint8_t buf[MH_MAX_MSG_LEN], buf2[MH_MAX_MSG_LEN];
	unsigned long total_octets = 0;

	rng_state = SEED;
	for (unsigned int i = 0; i < N_MESSAGES; i++) {
		size_t off = 0;
		int n, n2, err;

		gen_msg(&m);
		n = mh_encode(&m, buf, sizeof(buf));
		cr_assert_gt(n, 0, "message %u: encode %s", i, mh_strerror(n));
		cr_assert_eq(n % XP_MH_ALIGN, 0, "message %u: %d octets", i, n);
		cr_assert_eq(buf[0], XP_MH_PAYLOAD_PROTO);
		cr_assert_eq((buf[1] + 1) * XP_MH_HLEN_UNIT, n, "message %u: Header Len", i);
		cr_assert_eq(buf[2], m.type);

		err = mh_decode(buf, (size_t)n, &d, &off);
		cr_assert_eq(err, MH_OK, "message %u: decode %s at %zu", i, mh_strerror(err), off);
		cr_assert(mh_msg_equal(&m, &d), "message %u differs after the round trip", i);
		cr_assert(mh_msg_equal(&d, &m), "message %u: equality is not symmetric", i);
		cr_assert_eq(d.opt.n_unknown, 0, "message %u: our own option reported unknown", i);

		/* canonical: the decoded message encodes to the same octets */
		n2 = mh_encode(&d, buf2, sizeof(buf2));
		cr_assert_eq(n2, n, "message %u: re-encode length %d vs %d", i, n2, n);
		cr_assert_arr_eq(buf2, buf, (size_t)n, "message %u: re-encode differs", i);
		err = mh_decode(buf2, (size_t)n2, &d2, NULL);
		cr_assert_eq(err, MH_OK);
		cr_assert(mh_msg_equal(&d, &d2));
		total_octets += (unsigned long)n;
	}
	cr_log_info("%u messages, %lu octets", N_MESSAGES, total_octets);
}

/* mh_msg_equal must see a change in any field: otherwise the round trip
 * above would prove nothing. Flip one field at a time. */
Test(roundtrip, equality_sees_every_field)
{
	static struct mh_msg a, b;

	rng_state = SEED ^ 1;
	/* find a message with every option and a full selector */
	do {
		gen_msg(&a);
	} while (a.opt.present != (MH_HAS_MN_ID | MH_HAS_HI | MH_HAS_ATT | MH_HAS_MN_LLID |
				   MH_HAS_LLA | MH_HAS_TIMESTAMP | MH_HAS_RESTART_CTR |
				   MH_HAS_GRE_KEY | MH_HAS_FLOW_SUMMARY | MH_HAS_MULTIHOMING |
				   MH_HAS_TPFX_BLOCK) ||
		 !a.opt.n_hnp || !a.opt.n_bid || !a.opt.n_flow_id ||
		 !a.opt.flow_id[0].has_ts || !a.opt.flow_id[0].has_action ||
		 !a.opt.flow_id[0].n_bid_ref);
	a.opt.flow_id[0].ts.format = XP_TS_FMT_IPV6;
	a.opt.flow_id[0].ts.flags = 0xffff;
	b = a;
	cr_assert(mh_msg_equal(&a, &b));

#define DIFFERS(stmt) do { b = a; stmt; \
	cr_assert(!mh_msg_equal(&a, &b), "equal despite: %s", #stmt); } while (0)
	DIFFERS(b.type = XP_MH_TYPE_BA);
	DIFFERS(b.opt.present &= ~MH_HAS_HI);
	DIFFERS(b.opt.mnid[0] ^= 1);
	DIFFERS(b.opt.mnid_len--);
	DIFFERS(b.opt.n_hnp--);
	DIFFERS(b.opt.hnp[0].flags ^= XP_HNP_F_OFFLINK);
	DIFFERS(b.opt.hnp[0].plen ^= 1);
	DIFFERS(b.opt.hnp[0].prefix.s6_addr[15] ^= 1);
	DIFFERS(b.opt.hi ^= 1);
	DIFFERS(b.opt.att ^= 1);
	DIFFERS(b.opt.llid_ifp ^= 1);
	DIFFERS(b.opt.llid_primary = !b.opt.llid_primary);
	DIFFERS(b.opt.llid[0] ^= 1);
	DIFFERS(b.opt.lla.s6_addr[0] ^= 1);
	DIFFERS(b.opt.timestamp ^= 1);
	DIFFERS(b.opt.restart_ctr ^= 1);
	DIFFERS(b.opt.gre_key ^= 1);
	DIFFERS(b.opt.bid[0].bid ^= 1);
	DIFFERS(b.opt.bid[0].h = !b.opt.bid[0].h);
	DIFFERS(b.opt.bid[0].pri ^= 1);
	DIFFERS(b.opt.bid[0].status ^= 1);
	DIFFERS(b.opt.flow_summary[0] ^= 1);
	DIFFERS(b.opt.flow_id[0].fid ^= 1);
	DIFFERS(b.opt.flow_id[0].fid_pri ^= 1);
	DIFFERS(b.opt.flow_id[0].status ^= 1);
	DIFFERS(b.opt.flow_id[0].reserved ^= 1);
	DIFFERS(b.opt.flow_id[0].bid_ref[0] ^= 1);
	DIFFERS(b.opt.flow_id[0].action ^= 1);
	DIFFERS(b.opt.flow_id[0].ts.flags ^= 1);
	DIFFERS(b.opt.flow_id[0].ts.src_end[3] ^= 1);
	DIFFERS(b.opt.flow_id[0].ts.fl_end ^= 1);
	DIFFERS(b.opt.flow_id[0].ts.dport_end ^= 1);
	DIFFERS(b.opt.flow_id[0].ts.nh_end ^= 1);
	DIFFERS(b.opt.mhgid ^= 1);
	DIFFERS(b.opt.mh_act ^= 1);
	DIFFERS(b.opt.tpfx_plen ^= 1);
	DIFFERS(b.opt.tpfx.s6_addr[1] ^= 1);
#undef DIFFERS
}
