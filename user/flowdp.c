// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* flowdp.c - flow mobility cache entries -> xp_fsel_v1 values (flowdp.h) */
#include <string.h>

#include "flowdp.h"

uint16_t flowdp_entry_bid(const struct fm_entry *e, const struct bc_mn *m)
{
	for (uint8_t i = 0; m && i < e->n_bid; i++)
		for (const struct bce *b = m->bces; b; b = b->mn_next)
			if (b->bid == e->bid[i] && b->state == BCE_ACTIVE)
				return b->bid;
	return 0;
}

bool flowdp_entry_active(const struct fm_entry *e, const struct bc_mn *m)
{
	if (e->action == XP_FBA_DROP && !e->n_bid)
		return true;
	return flowdp_entry_bid(e, m) != 0;
}

/* 16 network-order octets -> a host-order 128-bit number */
static void u128(const uint8_t *a, struct xp_u128 *o)
{
	o->hi = 0;
	o->lo = 0;
	for (int i = 0; i < 8; i++) {
		o->hi = (o->hi << 8) | a[i];
		o->lo = (o->lo << 8) | a[8 + i];
	}
}

void flowdp_sel(const struct fm_entry *e, uint16_t bid, struct xp_flow_sel *s)
{
	const struct mh_ts *t = &e->ts;

	memset(s, 0, sizeof(*s));
	s->fid = e->fid;
	s->bid = bid;
	s->action = e->action;
	if (t->flags & XP_TS6_A_SRC_START) {
		s->fields |= XP_FSEL_SRC;
		u128(t->src_start, &s->src_lo);
		u128(t->src_end, &s->src_hi);
	}
	if (t->flags & XP_TS6_C_DST_START) {
		s->fields |= XP_FSEL_DST;
		u128(t->dst_start, &s->dst_lo);
		u128(t->dst_end, &s->dst_hi);
	}
	if (t->flags & XP_TS6_E_SPI_START) {
		s->fields |= XP_FSEL_SPI;
		s->spi_lo = t->spi_start;
		s->spi_hi = t->spi_end;
	}
	if (t->flags & XP_TS6_G_FL_START) {
		s->fields |= XP_FSEL_FL;
		s->fl_lo = t->fl_start;
		s->fl_hi = t->fl_end;
	}
	if (t->flags & XP_TS6_I_SPORT_START) {
		s->fields |= XP_FSEL_SPORT;
		s->sport_lo = t->sport_start;
		s->sport_hi = t->sport_end;
	}
	if (t->flags & XP_TS6_K_DPORT_START) {
		s->fields |= XP_FSEL_DPORT;
		s->dport_lo = t->dport_start;
		s->dport_hi = t->dport_end;
	}
	if (t->flags & XP_TS6_M_TC_START) {
		s->fields |= XP_FSEL_TC;
		s->tc_lo = t->tc_start;
		s->tc_hi = t->tc_end;
	}
	if (t->flags & XP_TS6_O_NH_START) {
		s->fields |= XP_FSEL_NH;
		s->nh_lo = t->nh_start;
		s->nh_hi = t->nh_end;
	}
}

uint32_t flowdp_build(const struct fm_entry *e, size_t n, const struct bc_mn *m,
		      struct xp_flow_set *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n && out->n < XP_MAX_FLOWS_PER_MN; i++) {
		uint16_t bid = flowdp_entry_bid(&e[i], m);

		if (!flowdp_entry_active(&e[i], m))
			continue;
		flowdp_sel(&e[i], bid, &out->sel[out->n++]);
	}
	return out->n;
}
