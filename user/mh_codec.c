// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mh_codec.c - PMIPv6 Mobility Header encoder and decoder.
 *
 * Layout: a tiny bounds-checked writer (struct wbuf) and big-endian
 * readers; then one encode/decode pair per message body, per mobility
 * option and per Flow Identification sub-option; then the two drivers,
 * mh_encode() and mh_decode(), which walk tables of those pairs.
 *
 * The decoder checks every length against the message before it reads a
 * single octet of the field, so the readers below never need their own
 * bounds: a reader is only called on a range the caller has proven to be
 * inside the message. The encoder writes through wbuf, which refuses to
 * write past the caller's buffer and remembers that it did.
 *
 * This file depends on nothing but libc and the two headers: the fuzzer
 * builds it alone.
 */
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "mh_codec.h"

struct mh_codec_cfg mh_codec_cfg = {
	.multihoming_opt = XP_MOPT_MULTIHOMING_DEFAULT,
	.tpfx_block_opt = XP_MOPT_TPFX_BLOCK_DEFAULT,
};

/* ------------------------------------------------------------------ */
/* Error names                                                         */
/* ------------------------------------------------------------------ */

static const char *const mh_err_names[] = {
	[0] = "MH_OK",
	[-MH_E_SHORT] = "MH_E_SHORT",
	[-MH_E_HDR_LEN] = "MH_E_HDR_LEN",
	[-MH_E_PAYLOAD_PROTO] = "MH_E_PAYLOAD_PROTO",
	[-MH_E_UNKNOWN_TYPE] = "MH_E_UNKNOWN_TYPE",
	[-MH_E_OPT_OVERRUN] = "MH_E_OPT_OVERRUN",
	[-MH_E_OPT_LEN] = "MH_E_OPT_LEN",
	[-MH_E_OPT_DUP] = "MH_E_OPT_DUP",
	[-MH_E_OPT_TOO_MANY] = "MH_E_OPT_TOO_MANY",
	[-MH_E_MNID_SUBTYPE] = "MH_E_MNID_SUBTYPE",
	[-MH_E_SUBOPT_OVERRUN] = "MH_E_SUBOPT_OVERRUN",
	[-MH_E_SUBOPT_LEN] = "MH_E_SUBOPT_LEN",
	[-MH_E_TS_FORMAT] = "MH_E_TS_FORMAT",
	[-MH_E_TS_LEN] = "MH_E_TS_LEN",
	[-MH_E_TS_FLAGS] = "MH_E_TS_FLAGS",
	[-MH_E_PREFIX_LEN] = "MH_E_PREFIX_LEN",
	[-MH_E_NOSPACE] = "MH_E_NOSPACE",
	[-MH_E_INVAL] = "MH_E_INVAL",
	[-MH_E_SUBOPT_DUP] = "MH_E_SUBOPT_DUP",
	[-MH_E_SUBOPT_TOO_MANY] = "MH_E_SUBOPT_TOO_MANY",
	[-MH_E_BODY_SHORT] = "MH_E_BODY_SHORT",
};

const char *mh_strerror(int err)
{
	if (err > 0 || err <= MH_E_MAX_ || !mh_err_names[-err])
		return "MH_E_UNKNOWN_ERROR";
	return mh_err_names[-err];
}

/* ------------------------------------------------------------------ */
/* Readers: only ever called on ranges already proven in bounds        */
/* ------------------------------------------------------------------ */

static inline uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t rd32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

static inline uint64_t rd64(const uint8_t *p)
{
	return ((uint64_t)rd32(p) << 32) | rd32(p + 4);
}

/* ------------------------------------------------------------------ */
/* Writer                                                              */
/* ------------------------------------------------------------------ */

struct wbuf {
	uint8_t *p;
	size_t cap;
	size_t off;
	int err;		/* sticky: MH_E_NOSPACE once we ran out */
};

static void put_mem(struct wbuf *w, const void *src, size_t n)
{
	if (w->err)
		return;
	if (n > w->cap - w->off) {
		w->err = MH_E_NOSPACE;
		return;
	}
	if (src)
		memcpy(w->p + w->off, src, n);
	else
		memset(w->p + w->off, 0, n);
	w->off += n;
}

static void put8(struct wbuf *w, uint8_t v)
{
	put_mem(w, &v, sizeof(v));
}

static void put16(struct wbuf *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put_mem(w, b, sizeof(b));
}

static void put32(struct wbuf *w, uint32_t v)
{
	put16(w, (uint16_t)(v >> 16));
	put16(w, (uint16_t)v);
}

static void put64(struct wbuf *w, uint64_t v)
{
	put32(w, (uint32_t)(v >> 32));
	put32(w, (uint32_t)v);
}

/*
 * Pad1 / PadN so that the next octet lands on x*n + y (RFC 6275 6.2).
 * x == 0 means "no requirement". The padding a mobility option needs is
 * at most x - 1 octets, which PadN always covers (its Length is x - 3).
 */
static void put_pad_to(struct wbuf *w, unsigned int x, unsigned int y)
{
	size_t n;

	if (!x)
		return;
	n = (y + x - (w->off % x)) % x;
	if (n == 1) {
		put8(w, XP_MOPT_PAD1);
	} else if (n >= XP_MOPT_HDR_LEN) {
		put8(w, XP_MOPT_PADN);
		put8(w, (uint8_t)(n - XP_MOPT_HDR_LEN));
		put_mem(w, NULL, n - XP_MOPT_HDR_LEN);
	}
}

/* Option header after alignment padding; returns the Length octet's offset */
static size_t put_opt_hdr(struct wbuf *w, unsigned int ax, unsigned int ay,
			  uint8_t type, uint8_t len)
{
	size_t at;

	put_pad_to(w, ax, ay);
	put8(w, type);
	at = w->off;
	put8(w, len);
	return at;
}

/* ------------------------------------------------------------------ */
/* Message bodies                                                      */
/* ------------------------------------------------------------------ */

static void dec_bu(const uint8_t *b, struct mh_msg *m)
{
	m->bu.seq = rd16(b);
	m->bu.flags = rd16(b + 2);
	m->bu.lifetime = rd16(b + 4);
}

static int enc_bu(struct wbuf *w, const struct mh_msg *m)
{
	put16(w, m->bu.seq);
	put16(w, m->bu.flags);
	put16(w, m->bu.lifetime);
	return MH_OK;
}

static void dec_ba(const uint8_t *b, struct mh_msg *m)
{
	m->ba.status = b[0];
	m->ba.flags = b[1];
	m->ba.seq = rd16(b + 2);
	m->ba.lifetime = rd16(b + 4);
}

static int enc_ba(struct wbuf *w, const struct mh_msg *m)
{
	put8(w, m->ba.status);
	put8(w, m->ba.flags);
	put16(w, m->ba.seq);
	put16(w, m->ba.lifetime);
	return MH_OK;
}

/* Heartbeat: Reserved (8), Reserved (6 bits) U R, Sequence (32) */
static void dec_hb(const uint8_t *b, struct mh_msg *m)
{
	m->hb.flags = b[1];
	m->hb.seq = rd32(b + 2);
}

static int enc_hb(struct wbuf *w, const struct mh_msg *m)
{
	put8(w, 0);
	put8(w, m->hb.flags);
	put32(w, m->hb.seq);
	return MH_OK;
}

static void dec_upn(const uint8_t *b, struct mh_msg *m)
{
	m->upn.seq = rd16(b);
	m->upn.reason = b[2];
	m->upn.flags = b[3];
}

static int enc_upn(struct wbuf *w, const struct mh_msg *m)
{
	put16(w, m->upn.seq);
	put8(w, m->upn.reason);
	put8(w, m->upn.flags);
	return MH_OK;
}

static void dec_upa(const uint8_t *b, struct mh_msg *m)
{
	m->upa.seq = rd16(b);
	m->upa.status = b[2];
	m->upa.reserved = b[3];
}

static int enc_upa(struct wbuf *w, const struct mh_msg *m)
{
	put16(w, m->upa.seq);
	put8(w, m->upa.status);
	put8(w, m->upa.reserved);
	return MH_OK;
}

struct msg_desc {
	uint8_t type;
	uint8_t body_len;
	const char *name;
	void (*dec)(const uint8_t *body, struct mh_msg *m);
	int (*enc)(struct wbuf *w, const struct mh_msg *m);
};

static const struct msg_desc msg_descs[] = {
	{ XP_MH_TYPE_BU, XP_BU_BODY_LEN, "BU", dec_bu, enc_bu },
	{ XP_MH_TYPE_BA, XP_BA_BODY_LEN, "BA", dec_ba, enc_ba },
	{ XP_MH_TYPE_HB, XP_HB_BODY_LEN, "HB", dec_hb, enc_hb },
	{ XP_MH_TYPE_UPN, XP_UPN_BODY_LEN, "UPN", dec_upn, enc_upn },
	{ XP_MH_TYPE_UPA, XP_UPA_BODY_LEN, "UPA", dec_upa, enc_upa },
};

static const struct msg_desc *find_msg(uint8_t type)
{
	for (size_t i = 0; i < sizeof(msg_descs) / sizeof(msg_descs[0]); i++)
		if (msg_descs[i].type == type)
			return &msg_descs[i];
	return NULL;
}

const char *mh_pba_status_name(uint8_t status)
{
	switch (status) {
	case XP_PBA_ACCEPTED:			return "ACCEPTED";
	case XP_PBA_UNSPECIFIED:		return "REASON_UNSPECIFIED";
	case XP_PBA_ADMIN_PROHIBITED:		return "ADMINISTRATIVELY_PROHIBITED";
	case XP_PBA_INSUFFICIENT_RESOURCES:	return "INSUFFICIENT_RESOURCES";
	case XP_PBA_SEQ_OUT_OF_WINDOW:		return "SEQUENCE_NUMBER_OUT_OF_WINDOW";
	case XP_PBA_PROXY_REG_NOT_ENABLED:	return "PROXY_REG_NOT_ENABLED";
	case XP_PBA_NOT_LMA_FOR_THIS_MN:	return "NOT_LMA_FOR_THIS_MOBILE_NODE";
	case XP_PBA_MAG_NOT_AUTHORIZED:		return "MAG_NOT_AUTHORIZED_FOR_PROXY_REG";
	case XP_PBA_NOT_AUTHORIZED_FOR_HNP:	return "NOT_AUTHORIZED_FOR_HOME_NETWORK_PREFIX";
	case XP_PBA_TIMESTAMP_MISMATCH:		return "TIMESTAMP_MISMATCH";
	case XP_PBA_TIMESTAMP_LOWER:		return "TIMESTAMP_LOWER_THAN_PREV_ACCEPTED";
	case XP_PBA_MISSING_HNP:		return "MISSING_HOME_NETWORK_PREFIX_OPTION";
	case XP_PBA_BCE_PREFIX_MISMATCH:	return "BCE_PBU_PREFIX_SET_DO_NOT_MATCH";
	case XP_PBA_MISSING_MN_ID:		return "MISSING_MN_IDENTIFIER_OPTION";
	case XP_PBA_MISSING_HI:			return "MISSING_HANDOFF_INDICATOR_OPTION";
	case XP_PBA_MISSING_ATT:		return "MISSING_ACCESS_TECH_TYPE_OPTION";
	case XP_PBA_MH_NOT_SUPPORTED_DEFAULT:	return "MH_NOT_SUPPORTED_BY_LMA";
	case XP_PBA_MH_REINST_NOT_SUPPORTED_DEFAULT:
		return "MH_FILTERS_REINSTANCIATION_NOT_SUPPORTED_BY_LMA";
	}
	return "UNKNOWN";
}

const char *mh_type_name(uint8_t type)
{
	const struct msg_desc *d = find_msg(type);

	return d ? d->name : NULL;
}

/* ------------------------------------------------------------------ */
/* Options: decoders get the offset of the option's Type octet; the     */
/* caller has checked that Type, Length and Length octets of data are  */
/* inside the message.                                                 */
/* ------------------------------------------------------------------ */

struct dec_ctx {
	const uint8_t *buf;
	size_t *err_off;
};

static int fail(struct dec_ctx *c, int err, size_t off)
{
	if (c->err_off)
		*c->err_off = off;
	return err;
}

#define OPT_LEN(c, off)		((c)->buf[(off) + 1])
#define OPT_DATA(c, off)	((c)->buf + (off) + XP_MOPT_HDR_LEN)

/* MN Identifier (RFC 4283): Subtype (8), identifier */
static int dec_mnid(struct dec_ctx *c, size_t off, struct mh_opts *o)
{
	uint8_t len = OPT_LEN(c, off);
	const uint8_t *d = OPT_DATA(c, off);

	if (len < XP_MOPT_MNID_MIN_LEN || len - 1 > XP_MNID_MAX_LEN)
		return fail(c, MH_E_OPT_LEN, off + 1);
	if (d[0] != XP_MNID_SUBTYPE_NAI)
		return fail(c, MH_E_MNID_SUBTYPE, off + XP_MOPT_HDR_LEN);
	o->mnid_subtype = d[0];
	o->mnid_len = len - 1;
	memcpy(o->mnid, d + 1, o->mnid_len);
	o->mnid[o->mnid_len] = '\0';
	return MH_OK;
}

static int enc_mnid(struct wbuf *w, const struct mh_opts *o)
{
	uint8_t st = o->mnid_subtype ? o->mnid_subtype : XP_MNID_SUBTYPE_NAI;

	if (st != XP_MNID_SUBTYPE_NAI || !o->mnid_len || o->mnid_len > XP_MNID_MAX_LEN)
		return MH_E_INVAL;
	put_opt_hdr(w, 0, 0, XP_MOPT_MN_ID, (uint8_t)(o->mnid_len + 1));
	put8(w, st);
	put_mem(w, o->mnid, o->mnid_len);
	return MH_OK;
}

/* Home Network Prefix: Reserved/flags (8), Prefix Length (8), Prefix */
static int dec_hnp(struct dec_ctx *c, size_t off, struct mh_opts *o)
{
	const uint8_t *d = OPT_DATA(c, off);
	struct mh_hnp *h;

	if (OPT_LEN(c, off) != XP_MOPT_HNP_LEN)
		return fail(c, MH_E_OPT_LEN, off + 1);
	if (o->n_hnp >= MH_MAX_HNP)
		return fail(c, MH_E_OPT_TOO_MANY, off);
	if (d[1] > XP_IPV6_PREFIX_MAX)
		return fail(c, MH_E_PREFIX_LEN, off + XP_MOPT_HDR_LEN + 1);
	h = &o->hnp[o->n_hnp++];
	h->flags = d[0];
	h->plen = d[1];
	memcpy(&h->prefix, d + 2, XP_IPV6_ADDR_LEN);
	return MH_OK;
}

static int enc_hnp(struct wbuf *w, const struct mh_opts *o)
{
	if (o->n_hnp > MH_MAX_HNP)
		return MH_E_INVAL;
	for (unsigned int i = 0; i < o->n_hnp; i++) {
		if (o->hnp[i].plen > XP_IPV6_PREFIX_MAX)
			return MH_E_INVAL;
		put_opt_hdr(w, XP_MOPT_HNP_ALIGN_X, XP_MOPT_HNP_ALIGN_Y,
			    XP_MOPT_HNP, XP_MOPT_HNP_LEN);
		put8(w, o->hnp[i].flags);
		put8(w, o->hnp[i].plen);
		put_mem(w, &o->hnp[i].prefix, XP_IPV6_ADDR_LEN);
	}
	return MH_OK;
}

/* Handoff Indicator: Reserved (8), HI (8) */
static int dec_hi(struct dec_ctx *c, size_t off, struct mh_opts *o)
{
	if (OPT_LEN(c, off) != XP_MOPT_HI_LEN)
		return fail(c, MH_E_OPT_LEN, off + 1);
	o->hi = OPT_DATA(c, off)[1];
	return MH_OK;
}

static int enc_hi(struct wbuf *w, const struct mh_opts *o)
{
	put_opt_hdr(w, 0, 0, XP_MOPT_HI, XP_MOPT_HI_LEN);
	put8(w, 0);
	put8(w, o->hi);
	return MH_OK;
}

/* Access Technology Type: Reserved (8), ATT (8) */
static int dec_att(struct dec_ctx *c, size_t off, struct mh_opts *o)
{
	if (OPT_LEN(c, off) != XP_MOPT_ATT_LEN)
		return fail(c, MH_E_OPT_LEN, off + 1);
	o->att = OPT_DATA(c, off)[1];
	return MH_OK;
}

static int enc_att(struct wbuf *w, const struct mh_opts *o)
{
	put_opt_hdr(w, 0, 0, XP_MOPT_ATT, XP_MOPT_ATT_LEN);
	put8(w, 0);
	put8(w, o->att);
	return MH_OK;
}

/* MN Link-layer Identifier: IFP (8), P + 7 reserved bits, identifier */
static int dec_mn_llid(struct dec_ctx *c, size_t off, struct mh_opts *o)
{
	uint8_t len = OPT_LEN(c, off);
	const uint8_t *d = OPT_DATA(c, off);

	if (len < XP_MOPT_MN_LLID_MIN_LEN || len - 2 > MH_MAX_LLID_LEN)
		return fail(c, MH_E_OPT_LEN, off + 1);
	o->llid_ifp = d[0];
	o->llid_primary = !!(d[1] & XP_LLID_F_PRIMARY);
	o->llid_reserved = d[1] & (uint8_t)~XP_LLID_F_PRIMARY;
	o->llid_len = len - 2;
	memcpy(o->llid, d + 2, o->llid_len);
	return MH_OK;
}

static int enc_mn_llid(struct wbuf *w, const struct mh_opts *o)
{
	if (!o->llid_len || o->llid_len > MH_MAX_LLID_LEN ||
	    (o->llid_reserved & XP_LLID_F_PRIMARY))
		return MH_E_INVAL;
	put_opt_hdr(w, 0, 0, XP_MOPT_MN_LLID, (uint8_t)(o->llid_len + 2));
	put8(w, o->llid_ifp);
	put8(w, (uint8_t)((o->llid_primary ? XP_LLID_F_PRIMARY : 0) | o->llid_reserved));
	put_mem(w, o->llid, o->llid_len);
	return MH_OK;
}

/* Link-local Address: address (128) */
static int dec_lla(struct dec_ctx *c, size_t off, struct mh_opts *o)
{
	if (OPT_LEN(c, off) != XP_MOPT_LLA_LEN)
		return fail(c, MH_E_OPT_LEN, off + 1);
	memcpy(&o->lla, OPT_DATA(c, off), XP_IPV6_ADDR_LEN);
	return MH_OK;
}

static int enc_lla(struct wbuf *w, const struct mh_opts *o)
{
	put_opt_hdr(w, XP_MOPT_LLA_ALIGN_X, XP_MOPT_LLA_ALIGN_Y, XP_MOPT_LLA, XP_MOPT_LLA_LEN);
	put_mem(w, &o->lla, XP_IPV6_ADDR_LEN);
	return MH_OK;
}

/* Timestamp: 64-bit 48.16 fixed point */
static int dec_timestamp(struct dec_ctx *c, size_t off, struct mh_opts *o)
{
	if (OPT_LEN(c, off) != XP_MOPT_TIMESTAMP_LEN)
		return fail(c, MH_E_OPT_LEN, off + 1);
	o->timestamp = rd64(OPT_DATA(c, off));
	return MH_OK;
}

static int enc_timestamp(struct wbuf *w, const struct mh_opts *o)
{
	put_opt_hdr(w, XP_MOPT_TS_ALIGN_X, XP_MOPT_TS_ALIGN_Y,
		    XP_MOPT_TIMESTAMP, XP_MOPT_TIMESTAMP_LEN);
	put64(w, o->timestamp);
	return MH_OK;
}

/* Restart Counter (RFC 5847 6.2): counter (32), no reserved field */
static int dec_restart_ctr(struct dec_ctx *c, size_t off, struct mh_opts *o)
{
	if (OPT_LEN(c, off) != XP_MOPT_RESTART_CTR_LEN)
		return fail(c, MH_E_OPT_LEN, off + 1);
	o->restart_ctr = rd32(OPT_DATA(c, off));
	return MH_OK;
}

static int enc_restart_ctr(struct wbuf *w, const struct mh_opts *o)
{
	put_opt_hdr(w, XP_MOPT_RC_ALIGN_X, XP_MOPT_RC_ALIGN_Y,
		    XP_MOPT_RESTART_CTR, XP_MOPT_RESTART_CTR_LEN);
	put32(w, o->restart_ctr);
	return MH_OK;
}

/* GRE Key (RFC 5845): Reserved (16), key (32) */
static int dec_gre_key(struct dec_ctx *c, size_t off, struct mh_opts *o)
{
	if (OPT_LEN(c, off) != XP_MOPT_GRE_KEY_LEN)
		return fail(c, MH_E_OPT_LEN, off + 1);
	o->gre_key = rd32(OPT_DATA(c, off) + 2);
	return MH_OK;
}

static int enc_gre_key(struct wbuf *w, const struct mh_opts *o)
{
	put_opt_hdr(w, XP_MOPT_GRE_ALIGN_X, XP_MOPT_GRE_ALIGN_Y,
		    XP_MOPT_GRE_KEY, XP_MOPT_GRE_KEY_LEN);
	put16(w, 0);
	put32(w, o->gre_key);
	return MH_OK;
}

/* Binding Identifier (RFC 5648/6089): BID (16), Status (8), H + BID-PRI,
 * optional IPv4 or IPv6 care-of address (told apart by the Length) */
static int dec_bid(struct dec_ctx *c, size_t off, struct mh_opts *o)
{
	uint8_t len = OPT_LEN(c, off);
	const uint8_t *d = OPT_DATA(c, off);
	struct mh_bid *b;

	if (len != XP_MOPT_BID_LEN && len != XP_MOPT_BID_LEN_V4 && len != XP_MOPT_BID_LEN_V6)
		return fail(c, MH_E_OPT_LEN, off + 1);
	if (o->n_bid >= MH_MAX_BID)
		return fail(c, MH_E_OPT_TOO_MANY, off);
	b = &o->bid[o->n_bid++];
	b->bid = rd16(d);
	b->status = d[2];
	b->h = !!(d[3] & XP_BID_F_H);
	b->pri = d[3] & XP_BID_PRI_MASK;
	b->coa_len = len - XP_MOPT_BID_LEN;
	memcpy(b->coa, d + XP_MOPT_BID_LEN, b->coa_len);
	return MH_OK;
}

static int enc_bid(struct wbuf *w, const struct mh_opts *o)
{
	if (o->n_bid > MH_MAX_BID)
		return MH_E_INVAL;
	for (unsigned int i = 0; i < o->n_bid; i++) {
		const struct mh_bid *b = &o->bid[i];

		if ((b->coa_len != 0 && b->coa_len != XP_IPV4_ADDR_LEN &&
		     b->coa_len != XP_IPV6_ADDR_LEN) || b->pri > XP_BID_PRI_MASK)
			return MH_E_INVAL;
		put_opt_hdr(w, XP_MOPT_BID_ALIGN_X, XP_MOPT_BID_ALIGN_Y, XP_MOPT_BID,
			    (uint8_t)(XP_MOPT_BID_LEN + b->coa_len));
		put16(w, b->bid);
		put8(w, b->status);
		put8(w, (uint8_t)((b->h ? XP_BID_F_H : 0) | b->pri));
		put_mem(w, b->coa, b->coa_len);
	}
	return MH_OK;
}

/* Flow Summary (RFC 6089): FIDs (16 each) */
static int dec_flow_summary(struct dec_ctx *c, size_t off, struct mh_opts *o)
{
	uint8_t len = OPT_LEN(c, off);
	const uint8_t *d = OPT_DATA(c, off);

	if (!len || len % XP_MOPT_FLOW_SUMMARY_ELEM)
		return fail(c, MH_E_OPT_LEN, off + 1);
	if (len / XP_MOPT_FLOW_SUMMARY_ELEM > MH_MAX_FLOW_SUMMARY)
		return fail(c, MH_E_OPT_TOO_MANY, off);
	o->n_flow_summary = len / XP_MOPT_FLOW_SUMMARY_ELEM;
	for (unsigned int i = 0; i < o->n_flow_summary; i++)
		o->flow_summary[i] = rd16(d + i * XP_MOPT_FLOW_SUMMARY_ELEM);
	return MH_OK;
}

static int enc_flow_summary(struct wbuf *w, const struct mh_opts *o)
{
	if (!o->n_flow_summary || o->n_flow_summary > MH_MAX_FLOW_SUMMARY)
		return MH_E_INVAL;
	put_opt_hdr(w, XP_MOPT_FSUM_ALIGN_X, XP_MOPT_FSUM_ALIGN_Y, XP_MOPT_FLOW_SUMMARY,
		    (uint8_t)(o->n_flow_summary * XP_MOPT_FLOW_SUMMARY_ELEM));
	for (unsigned int i = 0; i < o->n_flow_summary; i++)
		put16(w, o->flow_summary[i]);
	return MH_OK;
}

/* ---- RFC 6088 binary traffic selectors ---- */

enum ts_kind { TS_BYTES, TS_U32, TS_U16, TS_U8 };

struct ts_field {
	uint16_t flag;
	uint8_t size;		/* octets on the wire */
	uint8_t kind;
	size_t off;		/* offsetof(struct mh_ts, ...) */
};

#define TSF(f, sz, k, m) { f, sz, k, offsetof(struct mh_ts, m) }

/* RFC 6088 section 3.2: IPv6 binary selector fields, in wire order */
static const struct ts_field ts6_fields[] = {
	TSF(XP_TS6_A_SRC_START, XP_IPV6_ADDR_LEN, TS_BYTES, src_start),
	TSF(XP_TS6_B_SRC_END, XP_IPV6_ADDR_LEN, TS_BYTES, src_end),
	TSF(XP_TS6_C_DST_START, XP_IPV6_ADDR_LEN, TS_BYTES, dst_start),
	TSF(XP_TS6_D_DST_END, XP_IPV6_ADDR_LEN, TS_BYTES, dst_end),
	TSF(XP_TS6_E_SPI_START, sizeof(uint32_t), TS_U32, spi_start),
	TSF(XP_TS6_F_SPI_END, sizeof(uint32_t), TS_U32, spi_end),
	TSF(XP_TS6_G_FL_START, sizeof(uint32_t), TS_U32, fl_start),
	TSF(XP_TS6_H_FL_END, sizeof(uint32_t), TS_U32, fl_end),
	TSF(XP_TS6_I_SPORT_START, sizeof(uint16_t), TS_U16, sport_start),
	TSF(XP_TS6_J_SPORT_END, sizeof(uint16_t), TS_U16, sport_end),
	TSF(XP_TS6_K_DPORT_START, sizeof(uint16_t), TS_U16, dport_start),
	TSF(XP_TS6_L_DPORT_END, sizeof(uint16_t), TS_U16, dport_end),
	TSF(XP_TS6_M_TC_START, sizeof(uint8_t), TS_U8, tc_start),
	TSF(XP_TS6_N_TC_END, sizeof(uint8_t), TS_U8, tc_end),
	TSF(XP_TS6_O_NH_START, sizeof(uint8_t), TS_U8, nh_start),
	TSF(XP_TS6_P_NH_END, sizeof(uint8_t), TS_U8, nh_end),
};

/* RFC 6088 section 3.1: IPv4 binary selector fields, in wire order */
static const struct ts_field ts4_fields[] = {
	TSF(XP_TS4_A_SRC_START, XP_IPV4_ADDR_LEN, TS_BYTES, src_start),
	TSF(XP_TS4_B_SRC_END, XP_IPV4_ADDR_LEN, TS_BYTES, src_end),
	TSF(XP_TS4_C_DST_START, XP_IPV4_ADDR_LEN, TS_BYTES, dst_start),
	TSF(XP_TS4_D_DST_END, XP_IPV4_ADDR_LEN, TS_BYTES, dst_end),
	TSF(XP_TS4_E_SPI_START, sizeof(uint32_t), TS_U32, spi_start),
	TSF(XP_TS4_F_SPI_END, sizeof(uint32_t), TS_U32, spi_end),
	TSF(XP_TS4_G_SPORT_START, sizeof(uint16_t), TS_U16, sport_start),
	TSF(XP_TS4_H_SPORT_END, sizeof(uint16_t), TS_U16, sport_end),
	TSF(XP_TS4_I_DPORT_START, sizeof(uint16_t), TS_U16, dport_start),
	TSF(XP_TS4_J_DPORT_END, sizeof(uint16_t), TS_U16, dport_end),
	TSF(XP_TS4_K_DS_START, sizeof(uint8_t), TS_U8, tc_start),
	TSF(XP_TS4_L_DS_END, sizeof(uint8_t), TS_U8, tc_end),
	TSF(XP_TS4_M_PROTO_START, sizeof(uint8_t), TS_U8, nh_start),
	TSF(XP_TS4_N_PROTO_END, sizeof(uint8_t), TS_U8, nh_end),
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static int ts_table(uint8_t format, const struct ts_field **tab, size_t *n, uint16_t *rsvd)
{
	switch (format) {
	case XP_TS_FMT_IPV6:
		*tab = ts6_fields;
		*n = ARRAY_LEN(ts6_fields);
		*rsvd = 0;
		return MH_OK;
	case XP_TS_FMT_IPV4:
		*tab = ts4_fields;
		*n = ARRAY_LEN(ts4_fields);
		*rsvd = XP_TS4_RESERVED_MASK;
		return MH_OK;
	}
	return MH_E_TS_FORMAT;
}

/* Octets of selector (flags word and the fields it announces) */
static size_t ts_len(const struct ts_field *tab, size_t n, uint16_t flags)
{
	size_t len = XP_TS_FLAGS_LEN;

	for (size_t i = 0; i < n; i++)
		if (flags & tab[i].flag)
			len += tab[i].size;
	return len;
}

/* Traffic Selector sub-option at so (Type octet), Length l already bounded */
static int dec_fsub_ts(struct dec_ctx *c, size_t so, struct mh_ts *ts)
{
	const uint8_t *d = c->buf + so + XP_FSUB_HDR_LEN;
	uint8_t l = c->buf[so + 1];
	const struct ts_field *tab;
	size_t n, pos;
	uint16_t rsvd;

	if (l < XP_TS_SUBHDR_LEN)
		return fail(c, MH_E_SUBOPT_LEN, so + 1);
	if (ts_table(d[0], &tab, &n, &rsvd))
		return fail(c, MH_E_TS_FORMAT, so + XP_FSUB_HDR_LEN);
	if (l < XP_TS_SUBHDR_LEN + XP_TS_FLAGS_LEN)
		return fail(c, MH_E_TS_LEN, so + 1);
	ts->format = d[0];
	d += XP_TS_SUBHDR_LEN;
	ts->flags = rd16(d);
	if (ts->flags & rsvd)
		return fail(c, MH_E_TS_FLAGS, so + XP_FSUB_HDR_LEN + XP_TS_SUBHDR_LEN);
	if (ts_len(tab, n, ts->flags) != (size_t)l - XP_TS_SUBHDR_LEN)
		return fail(c, MH_E_TS_LEN, so + 1);

	pos = XP_TS_FLAGS_LEN;
	for (size_t i = 0; i < n; i++) {
		const struct ts_field *f = &tab[i];
		uint8_t *dst = (uint8_t *)ts + f->off;

		if (!(ts->flags & f->flag))
			continue;
		switch (f->kind) {
		case TS_BYTES:
			memcpy(dst, d + pos, f->size);
			break;
		case TS_U32: {
			uint32_t v = rd32(d + pos);

			/* the flow label fields keep only their 20 bits */
			if (f->flag & (XP_TS6_G_FL_START | XP_TS6_H_FL_END) &&
			    ts->format == XP_TS_FMT_IPV6)
				v &= XP_TS_FLOW_LABEL_MASK;
			memcpy(dst, &v, sizeof(v));
			break;
		}
		case TS_U16: {
			uint16_t v = rd16(d + pos);

			memcpy(dst, &v, sizeof(v));
			break;
		}
		case TS_U8:
			*dst = d[pos];
			break;
		}
		pos += f->size;
	}
	return MH_OK;
}

static int enc_fsub_ts(struct wbuf *w, const struct mh_ts *ts)
{
	const struct ts_field *tab;
	size_t n, len;
	uint16_t rsvd;

	if (ts_table(ts->format, &tab, &n, &rsvd) || (ts->flags & rsvd))
		return MH_E_INVAL;
	len = XP_TS_SUBHDR_LEN + ts_len(tab, n, ts->flags);
	put8(w, XP_FSUB_TS);
	put8(w, (uint8_t)len);
	put8(w, ts->format);
	put8(w, 0);
	put16(w, ts->flags);
	put16(w, 0);
	for (size_t i = 0; i < n; i++) {
		const struct ts_field *f = &tab[i];
		const uint8_t *src = (const uint8_t *)ts + f->off;

		if (!(ts->flags & f->flag))
			continue;
		switch (f->kind) {
		case TS_BYTES:
			put_mem(w, src, f->size);
			break;
		case TS_U32: {
			uint32_t v;

			memcpy(&v, src, sizeof(v));
			if (f->flag & (XP_TS6_G_FL_START | XP_TS6_H_FL_END) &&
			    ts->format == XP_TS_FMT_IPV6)
				v &= XP_TS_FLOW_LABEL_MASK;
			put32(w, v);
			break;
		}
		case TS_U16: {
			uint16_t v;

			memcpy(&v, src, sizeof(v));
			put16(w, v);
			break;
		}
		case TS_U8:
			put8(w, *src);
			break;
		}
	}
	return MH_OK;
}

static size_t fsub_ts_wire_len(const struct mh_ts *ts)
{
	const struct ts_field *tab;
	size_t n;
	uint16_t rsvd;

	if (ts_table(ts->format, &tab, &n, &rsvd))
		return 0;
	return XP_FSUB_HDR_LEN + XP_TS_SUBHDR_LEN + ts_len(tab, n, ts->flags);
}

/* BID Reference sub-option: BIDs (16 each) */
static int dec_fsub_bid_ref(struct dec_ctx *c, size_t so, struct mh_flow_id *f)
{
	uint8_t l = c->buf[so + 1];
	const uint8_t *d = c->buf + so + XP_FSUB_HDR_LEN;

	if (f->n_bid_ref)
		return fail(c, MH_E_SUBOPT_DUP, so);
	if (!l || l % XP_FSUB_BID_REF_ELEM)
		return fail(c, MH_E_SUBOPT_LEN, so + 1);
	if (l / XP_FSUB_BID_REF_ELEM > MH_MAX_BID_REF)
		return fail(c, MH_E_SUBOPT_TOO_MANY, so);
	f->n_bid_ref = l / XP_FSUB_BID_REF_ELEM;
	for (unsigned int i = 0; i < f->n_bid_ref; i++)
		f->bid_ref[i] = rd16(d + i * XP_FSUB_BID_REF_ELEM);
	return MH_OK;
}

static int enc_fsub_bid_ref(struct wbuf *w, const struct mh_flow_id *f)
{
	if (f->n_bid_ref > MH_MAX_BID_REF)
		return MH_E_INVAL;
	put8(w, XP_FSUB_BID_REF);
	put8(w, (uint8_t)(f->n_bid_ref * XP_FSUB_BID_REF_ELEM));
	for (unsigned int i = 0; i < f->n_bid_ref; i++)
		put16(w, f->bid_ref[i]);
	return MH_OK;
}

/* Flow Binding Action sub-option (RFC 7109): Reserved (8), Action (8) */
static int dec_fsub_action(struct dec_ctx *c, size_t so, struct mh_flow_id *f)
{
	if (f->has_action)
		return fail(c, MH_E_SUBOPT_DUP, so);
	if (c->buf[so + 1] != XP_FSUB_ACTION_LEN)
		return fail(c, MH_E_SUBOPT_LEN, so + 1);
	f->has_action = true;
	f->action = c->buf[so + XP_FSUB_HDR_LEN + 1];
	return MH_OK;
}

static int enc_fsub_action(struct wbuf *w, const struct mh_flow_id *f)
{
	put8(w, XP_FSUB_ACTION);
	put8(w, XP_FSUB_ACTION_LEN);
	put8(w, 0);
	put8(w, f->action);
	return MH_OK;
}

/* Flow Identification (RFC 6089): FID (16), FID-PRI (16), Reserved (8),
 * Status (8), sub-options */
static int dec_flow_id(struct dec_ctx *c, size_t off, struct mh_opts *o)
{
	uint8_t len = OPT_LEN(c, off);
	const uint8_t *d = OPT_DATA(c, off);
	size_t so, end;
	struct mh_flow_id *f;
	int err;

	if (len < XP_MOPT_FLOW_ID_MIN_LEN)
		return fail(c, MH_E_OPT_LEN, off + 1);
	if (o->n_flow_id >= MH_MAX_FLOW_ID)
		return fail(c, MH_E_OPT_TOO_MANY, off);
	f = &o->flow_id[o->n_flow_id++];
	f->fid = rd16(d);
	f->fid_pri = rd16(d + 2);
	f->reserved = d[4];
	f->status = d[5];

	so = off + XP_MOPT_HDR_LEN + XP_MOPT_FLOW_ID_MIN_LEN;
	end = off + XP_MOPT_HDR_LEN + len;
	while (so < end) {
		uint8_t t = c->buf[so], l;

		if (t == XP_FSUB_PAD1) {
			so++;
			continue;
		}
		if (end - so < XP_FSUB_HDR_LEN)
			return fail(c, MH_E_SUBOPT_OVERRUN, so);
		l = c->buf[so + 1];
		if (end - so - XP_FSUB_HDR_LEN < l)
			return fail(c, MH_E_SUBOPT_OVERRUN, so);
		switch (t) {
		case XP_FSUB_BID_REF:
			err = dec_fsub_bid_ref(c, so, f);
			break;
		case XP_FSUB_TS:
			if (f->has_ts)
				return fail(c, MH_E_SUBOPT_DUP, so);
			err = dec_fsub_ts(c, so, &f->ts);
			f->has_ts = !err;
			break;
		case XP_FSUB_ACTION:
			err = dec_fsub_action(c, so, f);
			break;
		default:	/* PadN and sub-options we do not know: skip */
			err = MH_OK;
			break;
		}
		if (err)
			return err;
		so += XP_FSUB_HDR_LEN + l;
	}
	return MH_OK;
}

static int enc_flow_id(struct wbuf *w, const struct mh_opts *o)
{
	int err;

	if (o->n_flow_id > MH_MAX_FLOW_ID)
		return MH_E_INVAL;
	for (unsigned int i = 0; i < o->n_flow_id; i++) {
		const struct mh_flow_id *f = &o->flow_id[i];
		size_t len = XP_MOPT_FLOW_ID_MIN_LEN;

		if (f->n_bid_ref > MH_MAX_BID_REF)
			return MH_E_INVAL;
		if (f->n_bid_ref)
			len += XP_FSUB_HDR_LEN + f->n_bid_ref * XP_FSUB_BID_REF_ELEM;
		if (f->has_ts) {
			size_t tl = fsub_ts_wire_len(&f->ts);

			if (!tl)
				return MH_E_INVAL;
			len += tl;
		}
		if (f->has_action)
			len += XP_FSUB_HDR_LEN + XP_FSUB_ACTION_LEN;
		if (len > XP_MOPT_MAX_LEN)
			return MH_E_INVAL;

		put_opt_hdr(w, XP_MOPT_FID_ALIGN_X, XP_MOPT_FID_ALIGN_Y,
			    XP_MOPT_FLOW_ID, (uint8_t)len);
		put16(w, f->fid);
		put16(w, f->fid_pri);
		put8(w, f->reserved);
		put8(w, f->status);
		if (f->n_bid_ref && (err = enc_fsub_bid_ref(w, f)))
			return err;
		if (f->has_ts && (err = enc_fsub_ts(w, &f->ts)))
			return err;
		if (f->has_action && (err = enc_fsub_action(w, f)))
			return err;
	}
	return MH_OK;
}

/* Multihoming option (004 section 4.1): MHGID (8), ACT (3) + reserved (5) */
static int dec_multihoming(struct dec_ctx *c, size_t off, struct mh_opts *o)
{
	const uint8_t *d = OPT_DATA(c, off);

	if (OPT_LEN(c, off) != XP_MOPT_MULTIHOMING_LEN)
		return fail(c, MH_E_OPT_LEN, off + 1);
	o->mhgid = d[0];
	o->mh_act = (d[1] >> XP_MH_ACT_SHIFT) & XP_MH_ACT_MASK;
	return MH_OK;
}

static int enc_multihoming(struct wbuf *w, const struct mh_opts *o)
{
	if (o->mh_act > XP_MH_ACT_MASK)
		return MH_E_INVAL;
	put_opt_hdr(w, 0, 0, mh_codec_cfg.multihoming_opt, XP_MOPT_MULTIHOMING_LEN);
	put8(w, o->mhgid);
	put8(w, (uint8_t)(o->mh_act << XP_MH_ACT_SHIFT));
	return MH_OK;
}

/* Temporal prefix block (001 section 3): Reserved (8), Prefix Length, Prefix */
static int dec_tpfx(struct dec_ctx *c, size_t off, struct mh_opts *o)
{
	const uint8_t *d = OPT_DATA(c, off);

	if (OPT_LEN(c, off) != XP_MOPT_TPFX_BLOCK_LEN)
		return fail(c, MH_E_OPT_LEN, off + 1);
	if (d[1] > XP_IPV6_PREFIX_MAX)
		return fail(c, MH_E_PREFIX_LEN, off + XP_MOPT_HDR_LEN + 1);
	o->tpfx_plen = d[1];
	memcpy(&o->tpfx, d + 2, XP_IPV6_ADDR_LEN);
	return MH_OK;
}

static int enc_tpfx(struct wbuf *w, const struct mh_opts *o)
{
	if (o->tpfx_plen > XP_IPV6_PREFIX_MAX)
		return MH_E_INVAL;
	put_opt_hdr(w, XP_MOPT_TPFX_ALIGN_X, XP_MOPT_TPFX_ALIGN_Y,
		    mh_codec_cfg.tpfx_block_opt, XP_MOPT_TPFX_BLOCK_LEN);
	put8(w, 0);
	put8(w, o->tpfx_plen);
	put_mem(w, &o->tpfx, XP_IPV6_ADDR_LEN);
	return MH_OK;
}

/*
 * The option table, in the order the encoder emits options. `bit` is the
 * presence bit of a single-instance option (0 for the repeatable ones,
 * which the encoder emits when their count is non-zero). `type` 0 marks
 * the two options whose number comes from mh_codec_cfg.
 */
struct opt_desc {
	uint8_t type;
	uint32_t bit;
	int (*dec)(struct dec_ctx *c, size_t off, struct mh_opts *o);
	int (*enc)(struct wbuf *w, const struct mh_opts *o);
	uint8_t (*count)(const struct mh_opts *o);
};

static uint8_t cnt_hnp(const struct mh_opts *o) { return o->n_hnp; }
static uint8_t cnt_bid(const struct mh_opts *o) { return o->n_bid; }
static uint8_t cnt_flow_id(const struct mh_opts *o) { return o->n_flow_id; }

enum { OPT_IDX_MULTIHOMING = 12, OPT_IDX_TPFX = 13 };

static const struct opt_desc opt_descs[] = {
	{ XP_MOPT_MN_ID, MH_HAS_MN_ID, dec_mnid, enc_mnid, NULL },
	{ XP_MOPT_HNP, 0, dec_hnp, enc_hnp, cnt_hnp },
	{ XP_MOPT_HI, MH_HAS_HI, dec_hi, enc_hi, NULL },
	{ XP_MOPT_ATT, MH_HAS_ATT, dec_att, enc_att, NULL },
	{ XP_MOPT_MN_LLID, MH_HAS_MN_LLID, dec_mn_llid, enc_mn_llid, NULL },
	{ XP_MOPT_LLA, MH_HAS_LLA, dec_lla, enc_lla, NULL },
	{ XP_MOPT_TIMESTAMP, MH_HAS_TIMESTAMP, dec_timestamp, enc_timestamp, NULL },
	{ XP_MOPT_RESTART_CTR, MH_HAS_RESTART_CTR, dec_restart_ctr, enc_restart_ctr, NULL },
	{ XP_MOPT_GRE_KEY, MH_HAS_GRE_KEY, dec_gre_key, enc_gre_key, NULL },
	{ XP_MOPT_BID, 0, dec_bid, enc_bid, cnt_bid },
	{ XP_MOPT_FLOW_SUMMARY, MH_HAS_FLOW_SUMMARY, dec_flow_summary, enc_flow_summary, NULL },
	{ XP_MOPT_FLOW_ID, 0, dec_flow_id, enc_flow_id, cnt_flow_id },
	[OPT_IDX_MULTIHOMING] = { 0, MH_HAS_MULTIHOMING, dec_multihoming, enc_multihoming, NULL },
	[OPT_IDX_TPFX] = { 0, MH_HAS_TPFX_BLOCK, dec_tpfx, enc_tpfx, NULL },
};

/* The IANA numbers win over a configured number that collides with them */
static const struct opt_desc *find_opt(uint8_t type)
{
	for (size_t i = 0; i < ARRAY_LEN(opt_descs); i++)
		if (opt_descs[i].type && opt_descs[i].type == type)
			return &opt_descs[i];
	if (type == mh_codec_cfg.multihoming_opt)
		return &opt_descs[OPT_IDX_MULTIHOMING];
	if (type == mh_codec_cfg.tpfx_block_opt)
		return &opt_descs[OPT_IDX_TPFX];
	return NULL;
}

static int dec_options(struct dec_ctx *c, size_t off, size_t end, struct mh_opts *o)
{
	while (off < end) {
		uint8_t t = c->buf[off], l;
		const struct opt_desc *d;
		int err;

		if (t == XP_MOPT_PAD1) {
			off++;
			continue;
		}
		if (end - off < XP_MOPT_HDR_LEN)
			return fail(c, MH_E_OPT_OVERRUN, off);
		l = c->buf[off + 1];
		if (end - off - XP_MOPT_HDR_LEN < l)
			return fail(c, MH_E_OPT_OVERRUN, off);

		if (t == XP_MOPT_PADN) {
			/* contents are ignored on receipt (RFC 6275 6.2.2) */
		} else if ((d = find_opt(t))) {
			if (d->bit && (o->present & d->bit))
				return fail(c, MH_E_OPT_DUP, off);
			err = d->dec(c, off, o);
			if (err)
				return err;
			o->present |= d->bit;
		} else if (o->n_unknown < MH_MAX_UNKNOWN) {
			struct mh_unknown_opt *u = &o->unknown[o->n_unknown++];

			u->type = t;
			u->len = l;
			u->offset = (uint16_t)off;
		}
		off += XP_MOPT_HDR_LEN + l;
	}
	return MH_OK;
}

/* ------------------------------------------------------------------ */
/* Drivers                                                             */
/* ------------------------------------------------------------------ */

int mh_decode(const uint8_t *buf, size_t len, struct mh_msg *msg, size_t *err_off)
{
	struct dec_ctx c = { .buf = buf, .err_off = err_off };
	const struct msg_desc *d;
	size_t mlen;

	if (err_off)
		*err_off = 0;
	if (!msg)
		return MH_E_INVAL;
	memset(msg, 0, sizeof(*msg));
	if (!buf || len < XP_MH_ALIGN)
		return fail(&c, MH_E_SHORT, buf ? len : 0);
	if (buf[0] != XP_MH_PAYLOAD_PROTO)
		return fail(&c, MH_E_PAYLOAD_PROTO, 0);
	mlen = ((size_t)buf[1] + 1) * XP_MH_HLEN_UNIT;
	if (mlen != len)
		return fail(&c, MH_E_HDR_LEN, 1);
	d = find_msg(buf[2]);
	if (!d)
		return fail(&c, MH_E_UNKNOWN_TYPE, 2);
	if (XP_MH_HDR_LEN + (size_t)d->body_len > len)
		return fail(&c, MH_E_BODY_SHORT, XP_MH_HDR_LEN);
	msg->type = buf[2];
	msg->checksum = rd16(buf + XP_MH_CSUM_OFFSET);
	d->dec(buf + XP_MH_HDR_LEN, msg);
	return dec_options(&c, XP_MH_HDR_LEN + d->body_len, len, &msg->opt);
}

int mh_encode(const struct mh_msg *msg, uint8_t *buf, size_t cap)
{
	struct wbuf w = { .p = buf, .cap = buf ? cap : 0 };
	const struct msg_desc *d;
	const struct mh_opts *o;
	size_t units;
	int err;

	if (!msg)
		return MH_E_INVAL;
	d = find_msg(msg->type);
	if (!d)
		return MH_E_INVAL;
	o = &msg->opt;

	put8(&w, XP_MH_PAYLOAD_PROTO);
	put8(&w, 0);			/* Header Len, once we know it */
	put8(&w, msg->type);
	put8(&w, 0);			/* Reserved */
	put16(&w, 0);			/* Checksum: kernel or mh_checksum() */
	err = d->enc(&w, msg);
	if (err)
		return err;

	for (size_t i = 0; i < ARRAY_LEN(opt_descs); i++) {
		const struct opt_desc *od = &opt_descs[i];
		bool want = od->count ? od->count(o) != 0 : !!(o->present & od->bit);

		if (!want)
			continue;
		err = od->enc(&w, o);
		if (err)
			return err;
	}
	put_pad_to(&w, XP_MH_ALIGN, 0);
	if (w.err)
		return w.err;

	units = w.off / XP_MH_HLEN_UNIT - 1;
	if (units > XP_MH_HLEN_MAX)
		return MH_E_INVAL;
	buf[1] = (uint8_t)units;
	return (int)w.off;
}

/* ------------------------------------------------------------------ */
/* Checksum, helpers                                                   */
/* ------------------------------------------------------------------ */

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += rd16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

uint16_t mh_checksum(const struct in6_addr *src, const struct in6_addr *dst,
		     const uint8_t *mh, size_t len)
{
	uint8_t ph[2 * XP_IPV6_ADDR_LEN + 8] = { 0 };
	uint32_t sum;

	/* RFC 8200 8.1 pseudo-header: src, dst, 32-bit length, 3 zero, NH */
	memcpy(ph, src, XP_IPV6_ADDR_LEN);
	memcpy(ph + XP_IPV6_ADDR_LEN, dst, XP_IPV6_ADDR_LEN);
	ph[2 * XP_IPV6_ADDR_LEN + 0] = (uint8_t)(len >> 24);
	ph[2 * XP_IPV6_ADDR_LEN + 1] = (uint8_t)(len >> 16);
	ph[2 * XP_IPV6_ADDR_LEN + 2] = (uint8_t)(len >> 8);
	ph[2 * XP_IPV6_ADDR_LEN + 3] = (uint8_t)len;
	ph[2 * XP_IPV6_ADDR_LEN + 7] = XP_IPPROTO_MH;

	sum = csum_add(0, ph, sizeof(ph));
	/* the checksum field itself counts as zero */
	if (len > XP_MH_CSUM_OFFSET + 1) {
		sum = csum_add(sum, mh, XP_MH_CSUM_OFFSET);
		sum = csum_add(sum, mh + XP_MH_HDR_LEN, len - XP_MH_HDR_LEN);
	} else {
		sum = csum_add(sum, mh, len);
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

void mh_msg_init(struct mh_msg *msg, uint8_t type)
{
	memset(msg, 0, sizeof(*msg));
	msg->type = type;
}

int mh_add_hnp(struct mh_msg *msg, const struct in6_addr *prefix, uint8_t plen, uint8_t flags)
{
	struct mh_hnp *h;

	if (plen > XP_IPV6_PREFIX_MAX)
		return MH_E_INVAL;
	if (msg->opt.n_hnp >= MH_MAX_HNP)
		return MH_E_OPT_TOO_MANY;
	h = &msg->opt.hnp[msg->opt.n_hnp++];
	h->flags = flags;
	h->plen = plen;
	h->prefix = *prefix;
	return MH_OK;
}

int mh_set_mnid(struct mh_msg *msg, const char *nai)
{
	size_t n = nai ? strlen(nai) : 0;

	if (!n || n > XP_MNID_MAX_LEN)
		return MH_E_INVAL;
	msg->opt.mnid_subtype = XP_MNID_SUBTYPE_NAI;
	msg->opt.mnid_len = (uint8_t)n;
	memcpy(msg->opt.mnid, nai, n);
	msg->opt.mnid[n] = '\0';
	msg->opt.present |= MH_HAS_MN_ID;
	return MH_OK;
}

uint64_t mh_timestamp_now(void)
{
	struct timespec ts;
	const uint64_t frac_one = 1ull << 16;	/* 1/65536 units per second */
	const uint64_t ns_per_s = 1000000000ull;

	if (clock_gettime(CLOCK_REALTIME, &ts))
		return 0;
	return ((uint64_t)ts.tv_sec << 16) | ((uint64_t)ts.tv_nsec * frac_one / ns_per_s);
}

/* ---- equality, for round trips ---- */

static bool ts_equal(const struct mh_ts *a, const struct mh_ts *b)
{
	const struct ts_field *tab;
	size_t n;
	uint16_t rsvd;

	if (a->format != b->format || a->flags != b->flags)
		return false;
	if (ts_table(a->format, &tab, &n, &rsvd))
		return false;
	for (size_t i = 0; i < n; i++) {
		size_t sz = tab[i].kind == TS_BYTES ? tab[i].size :
			    tab[i].kind == TS_U32 ? sizeof(uint32_t) :
			    tab[i].kind == TS_U16 ? sizeof(uint16_t) : sizeof(uint8_t);

		if ((a->flags & tab[i].flag) &&
		    memcmp((const uint8_t *)a + tab[i].off, (const uint8_t *)b + tab[i].off, sz))
			return false;
	}
	return true;
}

static bool flow_id_equal(const struct mh_flow_id *a, const struct mh_flow_id *b)
{
	if (a->fid != b->fid || a->fid_pri != b->fid_pri || a->reserved != b->reserved ||
	    a->status != b->status || a->n_bid_ref != b->n_bid_ref ||
	    a->has_ts != b->has_ts || a->has_action != b->has_action)
		return false;
	if (a->n_bid_ref <= MH_MAX_BID_REF &&
	    memcmp(a->bid_ref, b->bid_ref, a->n_bid_ref * sizeof(a->bid_ref[0])))
		return false;
	if (a->has_ts && !ts_equal(&a->ts, &b->ts))
		return false;
	return !a->has_action || a->action == b->action;
}

static bool body_equal(const struct mh_msg *a, const struct mh_msg *b)
{
	switch (a->type) {
	case XP_MH_TYPE_BU:
		return a->bu.seq == b->bu.seq && a->bu.flags == b->bu.flags &&
		       a->bu.lifetime == b->bu.lifetime;
	case XP_MH_TYPE_BA:
		return a->ba.status == b->ba.status && a->ba.flags == b->ba.flags &&
		       a->ba.seq == b->ba.seq && a->ba.lifetime == b->ba.lifetime;
	case XP_MH_TYPE_HB:
		return a->hb.flags == b->hb.flags && a->hb.seq == b->hb.seq;
	case XP_MH_TYPE_UPN:
		return a->upn.seq == b->upn.seq && a->upn.reason == b->upn.reason &&
		       a->upn.flags == b->upn.flags;
	case XP_MH_TYPE_UPA:
		return a->upa.seq == b->upa.seq && a->upa.status == b->upa.status &&
		       a->upa.reserved == b->upa.reserved;
	}
	return false;
}

bool mh_msg_equal(const struct mh_msg *a, const struct mh_msg *b)
{
	const struct mh_opts *x = &a->opt, *y = &b->opt;
	uint32_t p = x->present;

	if (a->type != b->type || !body_equal(a, b) || x->present != y->present)
		return false;
	if ((p & MH_HAS_MN_ID) &&
	    (x->mnid_subtype != y->mnid_subtype || x->mnid_len != y->mnid_len ||
	     x->mnid_len > XP_MNID_MAX_LEN || memcmp(x->mnid, y->mnid, x->mnid_len)))
		return false;
	if (x->n_hnp != y->n_hnp || x->n_hnp > MH_MAX_HNP)
		return false;
	for (unsigned int i = 0; i < x->n_hnp; i++)
		if (x->hnp[i].flags != y->hnp[i].flags || x->hnp[i].plen != y->hnp[i].plen ||
		    memcmp(&x->hnp[i].prefix, &y->hnp[i].prefix, XP_IPV6_ADDR_LEN))
			return false;
	if ((p & MH_HAS_HI) && x->hi != y->hi)
		return false;
	if ((p & MH_HAS_ATT) && x->att != y->att)
		return false;
	if ((p & MH_HAS_MN_LLID) &&
	    (x->llid_ifp != y->llid_ifp || x->llid_primary != y->llid_primary ||
	     x->llid_reserved != y->llid_reserved || x->llid_len != y->llid_len ||
	     x->llid_len > MH_MAX_LLID_LEN || memcmp(x->llid, y->llid, x->llid_len)))
		return false;
	if ((p & MH_HAS_LLA) && memcmp(&x->lla, &y->lla, XP_IPV6_ADDR_LEN))
		return false;
	if ((p & MH_HAS_TIMESTAMP) && x->timestamp != y->timestamp)
		return false;
	if ((p & MH_HAS_RESTART_CTR) && x->restart_ctr != y->restart_ctr)
		return false;
	if ((p & MH_HAS_GRE_KEY) && x->gre_key != y->gre_key)
		return false;
	if (x->n_bid != y->n_bid || x->n_bid > MH_MAX_BID)
		return false;
	for (unsigned int i = 0; i < x->n_bid; i++) {
		const struct mh_bid *s = &x->bid[i], *t = &y->bid[i];

		if (s->bid != t->bid || s->status != t->status || s->h != t->h ||
		    s->pri != t->pri || s->coa_len != t->coa_len ||
		    s->coa_len > sizeof(s->coa) || memcmp(s->coa, t->coa, s->coa_len))
			return false;
	}
	if ((p & MH_HAS_FLOW_SUMMARY) &&
	    (x->n_flow_summary != y->n_flow_summary ||
	     x->n_flow_summary > MH_MAX_FLOW_SUMMARY ||
	     memcmp(x->flow_summary, y->flow_summary,
		    x->n_flow_summary * sizeof(x->flow_summary[0]))))
		return false;
	if (x->n_flow_id != y->n_flow_id || x->n_flow_id > MH_MAX_FLOW_ID)
		return false;
	for (unsigned int i = 0; i < x->n_flow_id; i++)
		if (!flow_id_equal(&x->flow_id[i], &y->flow_id[i]))
			return false;
	if ((p & MH_HAS_MULTIHOMING) && (x->mhgid != y->mhgid || x->mh_act != y->mh_act))
		return false;
	if ((p & MH_HAS_TPFX_BLOCK) &&
	    (x->tpfx_plen != y->tpfx_plen || memcmp(&x->tpfx, &y->tpfx, XP_IPV6_ADDR_LEN)))
		return false;
	return true;
}
