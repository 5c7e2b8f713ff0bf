// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * fmcache.c - the LMA's flow mobility cache: per-MN sorted entry arrays in
 * a hash by MN-ID, mirrored into the xp_flow_v1 state map (fmcache.h).
 *
 * Why a sorted array per MN: the data plane needs the entries in FID-PRI
 * order anyway, an MN has at most FM_MAX_PER_MN of them, and changes are
 * operator or signalling events, rare next to the packets they steer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "fmcache.h"
#include "log.h"
#include "statemap.h"

#define FM_BUCKETS		4096u	/* power of two */
#define FNV_OFFSET		2166136261u
#define FNV_PRIME		16777619u

struct fm_mn {
	char mn_id[XP_BCE_MNID_LEN];
	size_t n;
	struct fm_entry e[FM_MAX_PER_MN];
	struct fm_mn *next;
};

struct fmcache {
	int state_fd;
	struct fm_mn *tab[FM_BUCKETS];
	size_t n_mn, n_entries;
	uint32_t next_slot;	/* slots start after XP_FLOW_SLOT_META */
	uint64_t gen;		/* last generation handed out */
};

static uint32_t h_str(const char *s)
{
	uint32_t h = FNV_OFFSET;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * FNV_PRIME;
	return h & (FM_BUCKETS - 1);
}

static struct fm_mn *mn_find(const struct fmcache *fc, const char *mn_id)
{
	for (struct fm_mn *m = fc->tab[h_str(mn_id)]; m; m = m->next)
		if (!strcmp(m->mn_id, mn_id))
			return m;
	return NULL;
}

static int mn_get(struct fmcache *fc, const char *mn_id, struct fm_mn **out)
{
	struct fm_mn *m = mn_find(fc, mn_id);
	uint32_t h;

	if (m) {
		*out = m;
		return 0;
	}
	if (strlen(mn_id) >= sizeof(m->mn_id))
		return -ENAMETOOLONG;
	if (fc->n_mn >= FM_MAX_MNS)
		return -ENOSPC;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	snprintf(m->mn_id, sizeof(m->mn_id), "%s", mn_id);
	h = h_str(mn_id);
	m->next = fc->tab[h];
	fc->tab[h] = m;
	fc->n_mn++;
	*out = m;
	return 0;
}

static void mn_drop_if_empty(struct fmcache *fc, struct fm_mn *m)
{
	if (m->n)
		return;
	for (struct fm_mn **pp = &fc->tab[h_str(m->mn_id)]; *pp; pp = &(*pp)->next)
		if (*pp == m) {
			*pp = m->next;
			fc->n_mn--;
			free(m);
			return;
		}
}

static int idx_of(const struct fm_mn *m, uint8_t origin, uint8_t mhgid, uint16_t fid)
{
	for (size_t i = 0; m && i < m->n; i++)
		if (m->e[i].origin == origin && m->e[i].mhgid == mhgid && m->e[i].fid == fid)
			return (int)i;
	return -1;
}

/* application order: FID-PRI, then origin, MHGID, FID (a total order) */
static int entry_cmp(const struct fm_entry *a, const struct fm_entry *b)
{
	if (a->fid_pri != b->fid_pri)
		return a->fid_pri < b->fid_pri ? -1 : 1;
	if (a->origin != b->origin)
		return a->origin < b->origin ? -1 : 1;
	if (a->mhgid != b->mhgid)
		return a->mhgid < b->mhgid ? -1 : 1;
	return a->fid < b->fid ? -1 : a->fid > b->fid;
}

/* ---- selectors ---- */

static int range8(uint16_t *flags, uint16_t fs, uint16_t fe, uint8_t *s, uint8_t *e)
{
	if ((*flags & fs) && !(*flags & fe))
		*e = *s;
	else if (!(*flags & fs) && (*flags & fe))
		*s = 0;
	else if (!(*flags & fs))
		return 0;
	*flags |= fs | fe;
	return *s <= *e ? 0 : -EINVAL;
}

static int range16(uint16_t *flags, uint16_t fs, uint16_t fe, uint16_t *s, uint16_t *e)
{
	if ((*flags & fs) && !(*flags & fe))
		*e = *s;
	else if (!(*flags & fs) && (*flags & fe))
		*s = 0;
	else if (!(*flags & fs))
		return 0;
	*flags |= fs | fe;
	return *s <= *e ? 0 : -EINVAL;
}

static int range32(uint16_t *flags, uint16_t fs, uint16_t fe, uint32_t *s, uint32_t *e,
		   uint32_t max)
{
	if ((*flags & fs) && !(*flags & fe))
		*e = *s;
	else if (!(*flags & fs) && (*flags & fe))
		*s = 0;
	else if (!(*flags & fs))
		return 0;
	*flags |= fs | fe;
	if (*s > max || *e > max)
		return -EINVAL;
	return *s <= *e ? 0 : -EINVAL;
}

static int range_addr(uint16_t *flags, uint16_t fs, uint16_t fe, uint8_t *s, uint8_t *e)
{
	if ((*flags & fs) && !(*flags & fe))
		memcpy(e, s, 16);
	else if (!(*flags & fs) && (*flags & fe))
		memset(s, 0, 16);
	else if (!(*flags & fs))
		return 0;
	*flags |= fs | fe;
	return memcmp(s, e, 16) <= 0 ? 0 : -EINVAL;	/* network order compares as numbers */
}

#define FL_MAX		0xfffffu	/* 20-bit flow label */

int fm_ts_normalize(struct mh_ts *t)
{
	uint16_t f;
	int rc = 0;

	if (t->format != XP_TS_FMT_IPV6)
		return -EPROTONOSUPPORT;
	f = t->flags;
	rc |= range_addr(&f, XP_TS6_A_SRC_START, XP_TS6_B_SRC_END, t->src_start, t->src_end);
	rc |= range_addr(&f, XP_TS6_C_DST_START, XP_TS6_D_DST_END, t->dst_start, t->dst_end);
	rc |= range32(&f, XP_TS6_E_SPI_START, XP_TS6_F_SPI_END, &t->spi_start, &t->spi_end,
		      UINT32_MAX);
	rc |= range32(&f, XP_TS6_G_FL_START, XP_TS6_H_FL_END, &t->fl_start, &t->fl_end, FL_MAX);
	rc |= range16(&f, XP_TS6_I_SPORT_START, XP_TS6_J_SPORT_END, &t->sport_start,
		      &t->sport_end);
	rc |= range16(&f, XP_TS6_K_DPORT_START, XP_TS6_L_DPORT_END, &t->dport_start,
		      &t->dport_end);
	rc |= range8(&f, XP_TS6_M_TC_START, XP_TS6_N_TC_END, &t->tc_start, &t->tc_end);
	rc |= range8(&f, XP_TS6_O_NH_START, XP_TS6_P_NH_END, &t->nh_start, &t->nh_end);
	t->flags = f;
	return rc ? -EINVAL : 0;
}

int fm_entry_check(struct fm_entry *e)
{
	if (e->origin != FM_ORIGIN_OPERATOR && e->origin != FM_ORIGIN_MAG)
		return -EINVAL;
	if (e->action != XP_FBA_FORWARD && e->action != XP_FBA_DROP)
		return -EINVAL;
	if (e->n_bid > FM_MAX_BIDS || (e->action == XP_FBA_FORWARD && !e->n_bid))
		return -EINVAL;
	for (uint8_t i = 0; i < e->n_bid; i++)
		if (!e->bid[i])
			return -EINVAL;
	return fm_ts_normalize(&e->ts);
}

/* ---- persistence ---- */

void fm_ts_to_state(const struct mh_ts *t, struct xp_flow_ts *s)
{
	memcpy(s->src_start.a8, t->src_start, 16);
	memcpy(s->src_end.a8, t->src_end, 16);
	memcpy(s->dst_start.a8, t->dst_start, 16);
	memcpy(s->dst_end.a8, t->dst_end, 16);
	s->spi_start = t->spi_start;
	s->spi_end = t->spi_end;
	s->fl_start = t->fl_start;
	s->fl_end = t->fl_end;
	s->sport_start = t->sport_start;
	s->sport_end = t->sport_end;
	s->dport_start = t->dport_start;
	s->dport_end = t->dport_end;
	s->tc_start = t->tc_start;
	s->tc_end = t->tc_end;
	s->nh_start = t->nh_start;
	s->nh_end = t->nh_end;
	s->flags = t->flags;
}

void fm_ts_from_state(const struct xp_flow_ts *s, struct mh_ts *t)
{
	memset(t, 0, sizeof(*t));
	t->format = XP_TS_FMT_IPV6;
	memcpy(t->src_start, s->src_start.a8, 16);
	memcpy(t->src_end, s->src_end.a8, 16);
	memcpy(t->dst_start, s->dst_start.a8, 16);
	memcpy(t->dst_end, s->dst_end.a8, 16);
	t->spi_start = s->spi_start;
	t->spi_end = s->spi_end;
	t->fl_start = s->fl_start;
	t->fl_end = s->fl_end;
	t->sport_start = s->sport_start;
	t->sport_end = s->sport_end;
	t->dport_start = s->dport_start;
	t->dport_end = s->dport_end;
	t->tc_start = s->tc_start;
	t->tc_end = s->tc_end;
	t->nh_start = s->nh_start;
	t->nh_end = s->nh_end;
	t->flags = s->flags;
}

static int state_put(struct fmcache *fc, const char *mn_id, const struct fm_entry *e)
{
	struct xp_flow_state s;
	__u32 k = e->slot;

	if (fc->state_fd < 0)
		return 0;
	memset(&s, 0, sizeof(s));
	snprintf(s.mn_id, sizeof(s.mn_id), "%s", mn_id);
	fm_ts_to_state(&e->ts, &s.ts);
	s.slot = e->slot;
	s.fid = e->fid;
	s.fid_pri = e->fid_pri;
	memcpy(s.bid, e->bid, sizeof(s.bid));
	s.n_bid = e->n_bid;
	s.action = e->action;
	s.origin = e->origin;
	s.mhgid = e->mhgid;
	s.eflags = e->eflags;
	s.kind = XP_FLOW_K_ENTRY;
	s.version = XP_FLOW_VERSION;
	if (bpf_map_update_elem(fc->state_fd, &k, &s, BPF_ANY)) {
		int err = -errno;

		ev_err("map-write-failed", mn_id, -1, "map=%s fid=%u err=%s", XP_MAP_FLOWSTATE,
		       e->fid, XP_LOGERR(-err));
		return err;
	}
	return 0;
}

static int state_del(struct fmcache *fc, uint32_t slot)
{
	__u32 k = slot;

	if (fc->state_fd < 0)
		return 0;
	if (bpf_map_delete_elem(fc->state_fd, &k) && errno != ENOENT) {
		int err = -errno;

		ev_err("map-delete-failed", NULL, -1, "map=%s slot=%u err=%s", XP_MAP_FLOWSTATE,
		       slot, XP_LOGERR(-err));
		return err;
	}
	return 0;
}

int fmcache_state_map_open(const char *dir)
{
	static const struct xp_state_map_spec spec = {
		.name = XP_MAP_FLOWSTATE, .key_size = sizeof(__u32),
		.value_size = sizeof(struct xp_flow_state), .max_entries = XP_FLOW_STATE_MAX,
		.lost = "flow mobility cache",
	};

	return xp_state_map_open(dir, &spec);
}

/* ---- object ---- */

int fmcache_new(int state_fd, struct fmcache **out)
{
	struct fmcache *fc = calloc(1, sizeof(*fc));

	if (!fc)
		return -ENOMEM;
	fc->state_fd = state_fd;
	fc->next_slot = XP_FLOW_SLOT_META + 1;
	*out = fc;
	return 0;
}

void fmcache_free(struct fmcache *fc)
{
	if (!fc)
		return;
	for (size_t i = 0; i < FM_BUCKETS; i++)
		for (struct fm_mn *m = fc->tab[i], *n; m; m = n) {
			n = m->next;
			free(m);
		}
	free(fc);
}

/* insert e into m's sorted array (room checked by the caller) */
static void insert_sorted(struct fm_mn *m, const struct fm_entry *e)
{
	size_t i = m->n;

	while (i > 0 && entry_cmp(&m->e[i - 1], e) > 0) {
		m->e[i] = m->e[i - 1];
		i--;
	}
	m->e[i] = *e;
	m->n++;
}

static void remove_at(struct fm_mn *m, size_t i)
{
	memmove(&m->e[i], &m->e[i + 1], (m->n - i - 1) * sizeof(m->e[0]));
	m->n--;
}

int fmcache_put(struct fmcache *fc, const char *mn_id, const struct fm_entry *in,
		enum fm_put_mode mode)
{
	struct fm_entry e = *in;
	struct fm_mn *m;
	int i, rc;

	if ((rc = fm_entry_check(&e)))
		return rc;
	if ((rc = mn_get(fc, mn_id, &m)))
		return rc;
	i = idx_of(m, e.origin, e.mhgid, e.fid);
	if (i >= 0 && mode == FM_PUT_ADD)
		return -EEXIST;
	if (i < 0 && m->n >= FM_MAX_PER_MN) {
		mn_drop_if_empty(fc, m);
		return -ENOSPC;
	}
	e.slot = i >= 0 ? m->e[i].slot : fc->next_slot;
	if ((rc = state_put(fc, mn_id, &e))) {
		mn_drop_if_empty(fc, m);
		return rc;
	}
	if (i >= 0) {
		remove_at(m, (size_t)i);
		fc->n_entries--;
	} else {
		fc->next_slot++;
	}
	insert_sorted(m, &e);
	fc->n_entries++;
	return 0;
}

int fmcache_del(struct fmcache *fc, const char *mn_id, uint8_t origin, uint8_t mhgid,
		uint16_t fid)
{
	struct fm_mn *m = mn_find(fc, mn_id);
	int i = idx_of(m, origin, mhgid, fid), rc;

	if (i < 0)
		return -ENOENT;
	if ((rc = state_del(fc, m->e[i].slot)))
		return rc;
	remove_at(m, (size_t)i);
	fc->n_entries--;
	mn_drop_if_empty(fc, m);
	return 0;
}

int fmcache_set_bids(struct fmcache *fc, const char *mn_id, uint8_t origin, uint8_t mhgid,
		     uint16_t fid, uint8_t n_bid, const uint16_t *bid)
{
	struct fm_mn *m = mn_find(fc, mn_id);
	int i = idx_of(m, origin, mhgid, fid), rc;
	struct fm_entry e;

	if (i < 0)
		return -ENOENT;
	e = m->e[i];
	if (n_bid > FM_MAX_BIDS)
		return -EINVAL;
	e.n_bid = n_bid;
	memset(e.bid, 0, sizeof(e.bid));
	memcpy(e.bid, bid, n_bid * sizeof(*bid));
	if ((rc = fm_entry_check(&e)))
		return rc;
	if ((rc = state_put(fc, mn_id, &e)))
		return rc;
	m->e[i] = e;	/* the order key did not change */
	return 0;
}

size_t fmcache_del_if(struct fmcache *fc, const char *mn_id,
		      bool (*pred)(const struct fm_entry *e, void *ctx), void *ctx)
{
	struct fm_mn *m = mn_find(fc, mn_id);
	size_t n = 0;

	if (!m)
		return 0;
	for (size_t i = 0; i < m->n;) {
		if (pred(&m->e[i], ctx) && !state_del(fc, m->e[i].slot)) {
			remove_at(m, i);
			fc->n_entries--;
			n++;
		} else {
			i++;
		}
	}
	mn_drop_if_empty(fc, m);
	return n;
}

const struct fm_entry *fmcache_get(const struct fmcache *fc, const char *mn_id, uint8_t origin,
				   uint8_t mhgid, uint16_t fid)
{
	struct fm_mn *m = mn_find(fc, mn_id);
	int i = idx_of(m, origin, mhgid, fid);

	return i < 0 ? NULL : &m->e[i];
}

size_t fmcache_list(const struct fmcache *fc, const char *mn_id, const struct fm_entry **out)
{
	struct fm_mn *m = mn_find(fc, mn_id);

	*out = m ? m->e : NULL;
	return m ? m->n : 0;
}

void fmcache_foreach_mn(const struct fmcache *fc,
			void (*cb)(const char *mn_id, const struct fm_entry *e, size_t n,
				   void *ctx),
			void *ctx)
{
	for (size_t i = 0; i < FM_BUCKETS; i++)
		for (const struct fm_mn *m = fc->tab[i]; m; m = m->next)
			cb(m->mn_id, m->e, m->n, ctx);
}

size_t fmcache_count(const struct fmcache *fc)
{
	return fc->n_entries;
}

size_t fmcache_mn_count(const struct fmcache *fc)
{
	return fc->n_mn;
}

uint32_t fmcache_next_gen(struct fmcache *fc)
{
	struct xp_flow_state s;
	__u32 k = XP_FLOW_SLOT_META;

	fc->gen++;
	if ((uint32_t)fc->gen == 0)
		fc->gen++;
	if (fc->state_fd >= 0) {
		memset(&s, 0, sizeof(s));
		s.gen = fc->gen;
		s.kind = XP_FLOW_K_META;
		s.version = XP_FLOW_VERSION;
		if (bpf_map_update_elem(fc->state_fd, &k, &s, BPF_ANY))
			ev_warn("map-write-failed", NULL, -1, "map=%s slot=meta err=%s",
				XP_MAP_FLOWSTATE, XP_LOGERR(errno));
	}
	return (uint32_t)fc->gen;
}

int fmcache_restore(struct fmcache *fc)
{
	__u32 k = 0, next;
	struct xp_flow_state s;
	bool first = true;
	int n = 0;

	if (fc->state_fd < 0)
		return 0;
	while (!bpf_map_get_next_key(fc->state_fd, first ? NULL : &k, &next)) {
		struct fm_entry e;
		struct fm_mn *m;
		int rc;

		first = false;
		k = next;
		if (bpf_map_lookup_elem(fc->state_fd, &k, &s))
			continue;
		if (s.version != XP_FLOW_VERSION) {
			ev_warn("flow-restore-skipped", NULL, -1, "slot=%u reason=version-%u", k,
				s.version);
			continue;
		}
		if (s.kind == XP_FLOW_K_META) {
			if (s.gen > fc->gen)
				fc->gen = s.gen;
			continue;
		}
		s.mn_id[sizeof(s.mn_id) - 1] = '\0';
		memset(&e, 0, sizeof(e));
		e.fid = s.fid;
		e.fid_pri = s.fid_pri;
		e.origin = s.origin;
		e.mhgid = s.mhgid;
		e.action = s.action;
		e.eflags = s.eflags;
		e.n_bid = s.n_bid;
		memcpy(e.bid, s.bid, sizeof(e.bid));
		fm_ts_from_state(&s.ts, &e.ts);
		e.slot = k;
		rc = s.slot != k || k == XP_FLOW_SLOT_META ? -EPROTO : fm_entry_check(&e);
		if (!rc)
			rc = mn_get(fc, s.mn_id, &m);
		if (!rc && (idx_of(m, e.origin, e.mhgid, e.fid) >= 0 || m->n >= FM_MAX_PER_MN))
			rc = -EEXIST;
		if (rc) {
			if (rc == -EEXIST)
				mn_drop_if_empty(fc, m);
			ev_warn("flow-restore-skipped", s.mn_id, -1, "slot=%u fid=%u err=%s", k,
				s.fid, XP_LOGERR(-rc));
			continue;
		}
		insert_sorted(m, &e);
		fc->n_entries++;
		if (k >= fc->next_slot)
			fc->next_slot = k + 1;
		n++;
	}
	return n;
}
