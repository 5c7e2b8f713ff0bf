// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ctl_decode.c - `xpmipctl decode [--json] HEX|-`: decode one Mobility
 * Header given as hex (on the command line, or `-` for stdin) and print
 * every field, as an indented human layout or as JSON.
 *
 * Hex may contain whitespace, colons and a leading "0x" (so `xxd -p`,
 * tshark's "Copy as hex stream" and Wireshark's colon form all paste in).
 *
 * Exit status: 0 decoded; 1 the message is malformed (the mh_err name and
 * offset go to stderr); 2 usage or unreadable hex.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_decode.h"
#include "mh_codec.h"

#define EXIT_MALFORMED	1
#define EXIT_USAGE	2
#define HEX_IN_MAX	(64 * 1024)	/* stdin cap: far above any MH */

static void usage(FILE *out)
{
	fprintf(out, "usage: xpmipctl decode [--json] HEX|-\n"
		"  HEX   the Mobility Header from its Payload Proto octet, as hex;\n"
		"        whitespace and colons are ignored; '-' reads stdin\n");
}

/* ---- input ---- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Parse hex text into out; returns the octet count or -1 */
static int parse_hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	while (isspace((unsigned char)*s))
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s++) {
		int v;

		if (isspace((unsigned char)*s) || *s == ':')
			continue;
		v = hexval((unsigned char)*s);
		if (v < 0)
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi >= 0 ? -1 : (int)n;
}

static char *read_stdin(void)
{
	char *s = malloc(HEX_IN_MAX + 1);
	size_t n = 0, r;

	if (!s)
		return NULL;
	while (n < HEX_IN_MAX && (r = fread(s + n, 1, HEX_IN_MAX - n, stdin)) > 0)
		n += r;
	if (ferror(stdin) || (n == HEX_IN_MAX && !feof(stdin))) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	return s;
}

/* ---- names ---- */

static const char *msg_name(const struct mh_msg *m)
{
	switch (m->type) {
	case XP_MH_TYPE_BU:
		return (m->bu.flags & XP_BU_F_P) ? "PBU" : "BU";
	case XP_MH_TYPE_BA:
		return (m->ba.flags & XP_BA_F_P) ? "PBA" : "BA";
	case XP_MH_TYPE_HB:
		return "Heartbeat";
	case XP_MH_TYPE_UPN:
		return "UPN";
	case XP_MH_TYPE_UPA:
		return "UPA";
	}
	return "unknown";
}

static const char *hi_name(uint8_t v)
{
	switch (v) {
	case XP_HI_NEW_IF: return "attachment over a new interface";
	case XP_HI_IIHO: return "handoff between two different interfaces";
	case XP_HI_IAHO: return "handoff between mobile access gateways";
	case XP_HI_UNKNOWN: return "handoff state unknown";
	case XP_HI_NOT_CHANGED: return "handoff state not changed";
	case XP_HI_NEW_IF_SHARED: return "attachment over a new interface sharing prefixes";
	}
	return "unassigned";
}

static const char *att_name(uint8_t v)
{
	switch (v) {
	case XP_ATT_VIRTUAL: return "Virtual";
	case XP_ATT_PPP: return "PPP";
	case XP_ATT_8023: return "IEEE 802.3";
	case XP_ATT_80211: return "IEEE 802.11a/b/g";
	case XP_ATT_80216E: return "IEEE 802.16e";
	case XP_ATT_GERAN: return "3GPP GERAN";
	case XP_ATT_UTRAN: return "3GPP UTRAN";
	case XP_ATT_EUTRAN: return "3GPP E-UTRAN";
	}
	return "unassigned";
}

static const char *fba_name(uint8_t v)
{
	switch (v) {
	case XP_FBA_DROP: return "drop";
	case XP_FBA_FORWARD: return "forward";
	case XP_FBA_ADD: return "add";
	case XP_FBA_DELETE: return "delete";
	case XP_FBA_MODIFY: return "modify";
	case XP_FBA_REFRESH: return "refresh";
	case XP_FBA_MOVE: return "move";
	case XP_FBA_REVOKE: return "revoke";
	}
	return "unassigned";
}

static const char *act_name(uint8_t v)
{
	switch (v) {
	case XP_MH_ACT_REMOVE: return "remove filters";
	case XP_MH_ACT_KEEP: return "keep filters";
	}
	return "unassigned";
}

/* ---- formatting helpers ---- */

static const char *ip6str(const void *a, char *buf)
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN) ? buf : "?";
}

static const char *ip4str(const void *a, char *buf)
{
	return inet_ntop(AF_INET, a, buf, INET6_ADDRSTRLEN) ? buf : "?";
}

static const char *coastr(const struct mh_bid *b, char *buf)
{
	if (b->coa_len == XP_IPV6_ADDR_LEN)
		return ip6str(b->coa, buf);
	if (b->coa_len == XP_IPV4_ADDR_LEN)
		return ip4str(b->coa, buf);
	return NULL;
}

static void hexout(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

/* JSON string with every non-printable octet escaped */
static void json_str(FILE *f, const uint8_t *s, size_t n)
{
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		uint8_t c = s[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static const char *tf(bool b)
{
	return b ? "true" : "false";
}

/* Timestamp: 48-bit seconds, 16-bit fraction */
#define TS_FRAC_BITS	16
#define TS_FRAC_MASK	0xffffu

/* ---- traffic selector field walk shared by both printers ---- */

struct ts_view {
	const char *name;
	uint16_t flag;
	int kind;		/* 0 addr, 1 u32, 2 u16, 3 u8 */
	const void *p;
};

static size_t ts_fields(const struct mh_ts *t, struct ts_view *v)
{
	bool v6 = t->format == XP_TS_FMT_IPV6;
	size_t n = 0;

#define TSV(nm, f6, f4, k, m) \
	v[n++] = (struct ts_view){ nm, v6 ? (f6) : (f4), k, &t->m }
	TSV("src_start", XP_TS6_A_SRC_START, XP_TS4_A_SRC_START, 0, src_start);
	TSV("src_end", XP_TS6_B_SRC_END, XP_TS4_B_SRC_END, 0, src_end);
	TSV("dst_start", XP_TS6_C_DST_START, XP_TS4_C_DST_START, 0, dst_start);
	TSV("dst_end", XP_TS6_D_DST_END, XP_TS4_D_DST_END, 0, dst_end);
	TSV("spi_start", XP_TS6_E_SPI_START, XP_TS4_E_SPI_START, 1, spi_start);
	TSV("spi_end", XP_TS6_F_SPI_END, XP_TS4_F_SPI_END, 1, spi_end);
	if (v6) {
		TSV("flow_label_start", XP_TS6_G_FL_START, 0, 1, fl_start);
		TSV("flow_label_end", XP_TS6_H_FL_END, 0, 1, fl_end);
	}
	TSV("sport_start", XP_TS6_I_SPORT_START, XP_TS4_G_SPORT_START, 2, sport_start);
	TSV("sport_end", XP_TS6_J_SPORT_END, XP_TS4_H_SPORT_END, 2, sport_end);
	TSV("dport_start", XP_TS6_K_DPORT_START, XP_TS4_I_DPORT_START, 2, dport_start);
	TSV("dport_end", XP_TS6_L_DPORT_END, XP_TS4_J_DPORT_END, 2, dport_end);
	TSV(v6 ? "tc_start" : "ds_start", XP_TS6_M_TC_START, XP_TS4_K_DS_START, 3, tc_start);
	TSV(v6 ? "tc_end" : "ds_end", XP_TS6_N_TC_END, XP_TS4_L_DS_END, 3, tc_end);
	TSV(v6 ? "nh_start" : "proto_start", XP_TS6_O_NH_START, XP_TS4_M_PROTO_START, 3, nh_start);
	TSV(v6 ? "nh_end" : "proto_end", XP_TS6_P_NH_END, XP_TS4_N_PROTO_END, 3, nh_end);
#undef TSV
	return n;
}

#define TS_MAX_FIELDS	16

static void ts_value(FILE *f, const struct mh_ts *t, const struct ts_view *v, bool json)
{
	char ab[INET6_ADDRSTRLEN];
	uint32_t u32;
	uint16_t u16;

	switch (v->kind) {
	case 0:
		fprintf(f, json ? "\"%s\"" : "%s", t->format == XP_TS_FMT_IPV6 ?
			ip6str(v->p, ab) : ip4str(v->p, ab));
		break;
	case 1:
		memcpy(&u32, v->p, sizeof(u32));
		fprintf(f, "%u", u32);
		break;
	case 2:
		memcpy(&u16, v->p, sizeof(u16));
		fprintf(f, "%u", u16);
		break;
	default:
		fprintf(f, "%u", *(const uint8_t *)v->p);
		break;
	}
}

/* ---- human layout ---- */

static void human(FILE *f, const struct mh_msg *m, size_t len)
{
	const struct mh_opts *o = &m->opt;
	char ab[INET6_ADDRSTRLEN];

	fprintf(f, "%s (MH type %u), %zu octets, Header Len %zu, checksum 0x%04x\n",
		msg_name(m), m->type, len, len / XP_MH_HLEN_UNIT - 1, m->checksum);
	switch (m->type) {
	case XP_MH_TYPE_BU:
		fprintf(f, "  Sequence: %u\n  Flags: 0x%04x [%s%s%s%s%s%s%s%s%s]\n"
			"  Lifetime: %u (%u s)\n", m->bu.seq, m->bu.flags,
			m->bu.flags & XP_BU_F_A ? "A" : "", m->bu.flags & XP_BU_F_H ? "H" : "",
			m->bu.flags & XP_BU_F_L ? "L" : "", m->bu.flags & XP_BU_F_K ? "K" : "",
			m->bu.flags & XP_BU_F_M ? "M" : "", m->bu.flags & XP_BU_F_R ? "R" : "",
			m->bu.flags & XP_BU_F_P ? "P" : "", m->bu.flags & XP_BU_F_F ? "F" : "",
			m->bu.flags & XP_BU_F_T ? "T" : "", m->bu.lifetime,
			m->bu.lifetime * XP_LIFETIME_UNIT_S);
		break;
	case XP_MH_TYPE_BA:
		fprintf(f, "  Status: %u\n  Flags: 0x%02x [%s%s%s%s]\n  Sequence: %u\n"
			"  Lifetime: %u (%u s)\n", m->ba.status, m->ba.flags,
			m->ba.flags & XP_BA_F_K ? "K" : "", m->ba.flags & XP_BA_F_R ? "R" : "",
			m->ba.flags & XP_BA_F_P ? "P" : "", m->ba.flags & XP_BA_F_T ? "T" : "",
			m->ba.seq, m->ba.lifetime, m->ba.lifetime * XP_LIFETIME_UNIT_S);
		break;
	case XP_MH_TYPE_HB:
		fprintf(f, "  Flags: 0x%02x [%s%s]\n  Sequence: %u\n", m->hb.flags,
			m->hb.flags & XP_HB_F_U ? "U" : "", m->hb.flags & XP_HB_F_R ? "R" : "",
			m->hb.seq);
		break;
	case XP_MH_TYPE_UPN:
		fprintf(f, "  Sequence: %u\n  Notification Reason: %u\n  Flags: 0x%02x [%s]\n",
			m->upn.seq, m->upn.reason, m->upn.flags,
			m->upn.flags & XP_UPN_F_A ? "A" : "");
		break;
	case XP_MH_TYPE_UPA:
		fprintf(f, "  Sequence: %u\n  Status: %u\n  Reserved: 0x%02x\n",
			m->upa.seq, m->upa.status, m->upa.reserved);
		break;
	}

	fprintf(f, "  Options:\n");
	if (o->present & MH_HAS_MN_ID) {
		fprintf(f, "    MN-ID: subtype %u (NAI) ", o->mnid_subtype);
		json_str(f, o->mnid, o->mnid_len);
		fputc('\n', f);
	}
	for (unsigned int i = 0; i < o->n_hnp; i++)
		fprintf(f, "    HNP: %s/%u flags 0x%02x%s\n", ip6str(&o->hnp[i].prefix, ab),
			o->hnp[i].plen, o->hnp[i].flags,
			o->hnp[i].flags & XP_HNP_F_OFFLINK ? " [L off-link]" : "");
	if (o->present & MH_HAS_HI)
		fprintf(f, "    Handoff Indicator: %u (%s)\n", o->hi, hi_name(o->hi));
	if (o->present & MH_HAS_ATT)
		fprintf(f, "    Access Technology Type: %u (%s)\n", o->att, att_name(o->att));
	if (o->present & MH_HAS_MN_LLID) {
		fprintf(f, "    MN-LL-ID: IFP %u, P %u, reserved 0x%02x, id ", o->llid_ifp,
			o->llid_primary, o->llid_reserved);
		hexout(f, o->llid, o->llid_len);
		fputc('\n', f);
	}
	if (o->present & MH_HAS_LLA)
		fprintf(f, "    Link-local Address: %s\n", ip6str(&o->lla, ab));
	if (o->present & MH_HAS_TIMESTAMP)
		fprintf(f, "    Timestamp: 0x%016llx (%llu s + %u/65536)\n",
			(unsigned long long)o->timestamp,
			(unsigned long long)(o->timestamp >> TS_FRAC_BITS),
			(unsigned int)(o->timestamp & TS_FRAC_MASK));
	if (o->present & MH_HAS_RESTART_CTR)
		fprintf(f, "    Restart Counter: %u\n", o->restart_ctr);
	if (o->present & MH_HAS_GRE_KEY)
		fprintf(f, "    GRE Key: %u\n", o->gre_key);
	for (unsigned int i = 0; i < o->n_bid; i++) {
		const struct mh_bid *b = &o->bid[i];
		const char *coa = coastr(b, ab);

		fprintf(f, "    Binding Identifier: BID %u, status %u, H %u, BID-PRI %u%s%s\n",
			b->bid, b->status, b->h, b->pri, coa ? ", CoA " : "", coa ? coa : "");
	}
	if (o->present & MH_HAS_FLOW_SUMMARY) {
		fprintf(f, "    Flow Summary: FIDs");
		for (unsigned int i = 0; i < o->n_flow_summary; i++)
			fprintf(f, " %u", o->flow_summary[i]);
		fputc('\n', f);
	}
	for (unsigned int i = 0; i < o->n_flow_id; i++) {
		const struct mh_flow_id *fi = &o->flow_id[i];

		fprintf(f, "    Flow Identification: FID %u, FID-PRI %u, reserved 0x%02x%s, status %u\n",
			fi->fid, fi->fid_pri, fi->reserved,
			fi->reserved & XP_FID_F_REINSTANTIATED ? " [re-instantiated]" : "",
			fi->status);
		if (fi->n_bid_ref) {
			fprintf(f, "      BID Reference:");
			for (unsigned int j = 0; j < fi->n_bid_ref; j++)
				fprintf(f, " %u", fi->bid_ref[j]);
			fputc('\n', f);
		}
		if (fi->has_ts) {
			struct ts_view v[TS_MAX_FIELDS];
			size_t n = ts_fields(&fi->ts, v);

			fprintf(f, "      Traffic Selector: format %u (%s), flags 0x%04x\n",
				fi->ts.format, fi->ts.format == XP_TS_FMT_IPV6 ? "IPv6" : "IPv4",
				fi->ts.flags);
			for (size_t j = 0; j < n; j++) {
				if (!(fi->ts.flags & v[j].flag))
					continue;
				fprintf(f, "        %s: ", v[j].name);
				ts_value(f, &fi->ts, &v[j], false);
				fputc('\n', f);
			}
		}
		if (fi->has_action)
			fprintf(f, "      Flow Binding Action: %u (%s)\n", fi->action,
				fba_name(fi->action));
	}
	if (o->present & MH_HAS_MULTIHOMING)
		fprintf(f, "    Multihoming (type %u): MHGID %u, ACT %u (%s)\n",
			mh_codec_cfg.multihoming_opt, o->mhgid, o->mh_act, act_name(o->mh_act));
	if (o->present & MH_HAS_TPFX_BLOCK)
		fprintf(f, "    Temporal prefix block (type %u): %s/%u\n",
			mh_codec_cfg.tpfx_block_opt, ip6str(&o->tpfx, ab), o->tpfx_plen);
	for (unsigned int i = 0; i < o->n_unknown; i++)
		fprintf(f, "    Unknown option: type %u, length %u, at offset %u (skipped)\n",
			o->unknown[i].type, o->unknown[i].len, o->unknown[i].offset);
}

/* ---- JSON ---- */

static void json(FILE *f, const struct mh_msg *m, size_t len)
{
	const struct mh_opts *o = &m->opt;
	char ab[INET6_ADDRSTRLEN];

	fprintf(f, "{\"type\":%u,\"name\":\"%s\",\"length\":%zu,\"header_len\":%zu,"
		"\"checksum\":%u,", m->type, msg_name(m), len,
		len / XP_MH_HLEN_UNIT - 1, m->checksum);
	switch (m->type) {
	case XP_MH_TYPE_BU:
		fprintf(f, "\"bu\":{\"seq\":%u,\"flags\":%u,\"a\":%s,\"h\":%s,\"l\":%s,"
			"\"k\":%s,\"m\":%s,\"r\":%s,\"p\":%s,\"f\":%s,\"t\":%s,"
			"\"lifetime\":%u,\"lifetime_s\":%u},", m->bu.seq, m->bu.flags,
			tf(m->bu.flags & XP_BU_F_A), tf(m->bu.flags & XP_BU_F_H),
			tf(m->bu.flags & XP_BU_F_L), tf(m->bu.flags & XP_BU_F_K),
			tf(m->bu.flags & XP_BU_F_M), tf(m->bu.flags & XP_BU_F_R),
			tf(m->bu.flags & XP_BU_F_P), tf(m->bu.flags & XP_BU_F_F),
			tf(m->bu.flags & XP_BU_F_T), m->bu.lifetime,
			m->bu.lifetime * XP_LIFETIME_UNIT_S);
		break;
	case XP_MH_TYPE_BA:
		fprintf(f, "\"ba\":{\"status\":%u,\"flags\":%u,\"k\":%s,\"r\":%s,\"p\":%s,"
			"\"t\":%s,\"seq\":%u,\"lifetime\":%u,\"lifetime_s\":%u},",
			m->ba.status, m->ba.flags, tf(m->ba.flags & XP_BA_F_K),
			tf(m->ba.flags & XP_BA_F_R), tf(m->ba.flags & XP_BA_F_P),
			tf(m->ba.flags & XP_BA_F_T), m->ba.seq, m->ba.lifetime,
			m->ba.lifetime * XP_LIFETIME_UNIT_S);
		break;
	case XP_MH_TYPE_HB:
		fprintf(f, "\"hb\":{\"flags\":%u,\"u\":%s,\"r\":%s,\"seq\":%u},",
			m->hb.flags, tf(m->hb.flags & XP_HB_F_U), tf(m->hb.flags & XP_HB_F_R),
			m->hb.seq);
		break;
	case XP_MH_TYPE_UPN:
		fprintf(f, "\"upn\":{\"seq\":%u,\"reason\":%u,\"flags\":%u,\"a\":%s},",
			m->upn.seq, m->upn.reason, m->upn.flags, tf(m->upn.flags & XP_UPN_F_A));
		break;
	case XP_MH_TYPE_UPA:
		fprintf(f, "\"upa\":{\"seq\":%u,\"status\":%u,\"reserved\":%u},",
			m->upa.seq, m->upa.status, m->upa.reserved);
		break;
	}

	fprintf(f, "\"options\":{");
	/* every member below is preceded by a comma except the first */
	const char *sep = "";
#define NEXT() (fputs(sep, f), sep = ",")
	if (o->present & MH_HAS_MN_ID) {
		NEXT();
		fprintf(f, "\"mn_id\":{\"subtype\":%u,\"id\":", o->mnid_subtype);
		json_str(f, o->mnid, o->mnid_len);
		fputc('}', f);
	}
	if (o->n_hnp) {
		NEXT();
		fprintf(f, "\"hnp\":[");
		for (unsigned int i = 0; i < o->n_hnp; i++)
			fprintf(f, "%s{\"prefix\":\"%s\",\"plen\":%u,\"flags\":%u,\"offlink\":%s}",
				i ? "," : "", ip6str(&o->hnp[i].prefix, ab), o->hnp[i].plen,
				o->hnp[i].flags, tf(o->hnp[i].flags & XP_HNP_F_OFFLINK));
		fputc(']', f);
	}
	if (o->present & MH_HAS_HI) {
		NEXT();
		fprintf(f, "\"hi\":%u", o->hi);
	}
	if (o->present & MH_HAS_ATT) {
		NEXT();
		fprintf(f, "\"att\":%u", o->att);
	}
	if (o->present & MH_HAS_MN_LLID) {
		NEXT();
		fprintf(f, "\"mn_llid\":{\"ifp\":%u,\"primary\":%s,\"reserved\":%u,\"id\":\"",
			o->llid_ifp, tf(o->llid_primary), o->llid_reserved);
		hexout(f, o->llid, o->llid_len);
		fprintf(f, "\"}");
	}
	if (o->present & MH_HAS_LLA) {
		NEXT();
		fprintf(f, "\"lla\":\"%s\"", ip6str(&o->lla, ab));
	}
	if (o->present & MH_HAS_TIMESTAMP) {
		NEXT();
		fprintf(f, "\"timestamp\":{\"raw\":%llu,\"seconds\":%llu,\"fraction\":%u}",
			(unsigned long long)o->timestamp,
			(unsigned long long)(o->timestamp >> TS_FRAC_BITS),
			(unsigned int)(o->timestamp & TS_FRAC_MASK));
	}
	if (o->present & MH_HAS_RESTART_CTR) {
		NEXT();
		fprintf(f, "\"restart_counter\":%u", o->restart_ctr);
	}
	if (o->present & MH_HAS_GRE_KEY) {
		NEXT();
		fprintf(f, "\"gre_key\":%u", o->gre_key);
	}
	if (o->n_bid) {
		NEXT();
		fprintf(f, "\"bid\":[");
		for (unsigned int i = 0; i < o->n_bid; i++) {
			const struct mh_bid *b = &o->bid[i];
			const char *coa = coastr(b, ab);

			fprintf(f, "%s{\"bid\":%u,\"status\":%u,\"h\":%s,\"pri\":%u", i ? "," : "",
				b->bid, b->status, tf(b->h), b->pri);
			if (coa)
				fprintf(f, ",\"coa\":\"%s\"", coa);
			fputc('}', f);
		}
		fputc(']', f);
	}
	if (o->present & MH_HAS_FLOW_SUMMARY) {
		NEXT();
		fprintf(f, "\"flow_summary\":[");
		for (unsigned int i = 0; i < o->n_flow_summary; i++)
			fprintf(f, "%s%u", i ? "," : "", o->flow_summary[i]);
		fputc(']', f);
	}
	if (o->n_flow_id) {
		NEXT();
		fprintf(f, "\"flow_id\":[");
		for (unsigned int i = 0; i < o->n_flow_id; i++) {
			const struct mh_flow_id *fi = &o->flow_id[i];

			fprintf(f, "%s{\"fid\":%u,\"fid_pri\":%u,\"reserved\":%u,"
				"\"reinstantiated\":%s,\"status\":%u,\"bid_ref\":[", i ? "," : "",
				fi->fid, fi->fid_pri, fi->reserved,
				tf(fi->reserved & XP_FID_F_REINSTANTIATED), fi->status);
			for (unsigned int j = 0; j < fi->n_bid_ref; j++)
				fprintf(f, "%s%u", j ? "," : "", fi->bid_ref[j]);
			fputc(']', f);
			if (fi->has_ts) {
				struct ts_view v[TS_MAX_FIELDS];
				size_t n = ts_fields(&fi->ts, v);

				fprintf(f, ",\"ts\":{\"format\":%u,\"flags\":%u", fi->ts.format,
					fi->ts.flags);
				for (size_t j = 0; j < n; j++) {
					if (!(fi->ts.flags & v[j].flag))
						continue;
					fprintf(f, ",\"%s\":", v[j].name);
					ts_value(f, &fi->ts, &v[j], true);
				}
				fputc('}', f);
			}
			if (fi->has_action)
				fprintf(f, ",\"action\":%u", fi->action);
			fputc('}', f);
		}
		fputc(']', f);
	}
	if (o->present & MH_HAS_MULTIHOMING) {
		NEXT();
		fprintf(f, "\"multihoming\":{\"type\":%u,\"mhgid\":%u,\"act\":%u}",
			mh_codec_cfg.multihoming_opt, o->mhgid, o->mh_act);
	}
	if (o->present & MH_HAS_TPFX_BLOCK) {
		NEXT();
		fprintf(f, "\"tpfx_block\":{\"type\":%u,\"prefix\":\"%s\",\"plen\":%u}",
			mh_codec_cfg.tpfx_block_opt, ip6str(&o->tpfx, ab), o->tpfx_plen);
	}
	if (o->n_unknown) {
		NEXT();
		fprintf(f, "\"unknown\":[");
		for (unsigned int i = 0; i < o->n_unknown; i++)
			fprintf(f, "%s{\"type\":%u,\"len\":%u,\"offset\":%u}", i ? "," : "",
				o->unknown[i].type, o->unknown[i].len, o->unknown[i].offset);
		fputc(']', f);
	}
#undef NEXT
	fprintf(f, "}}\n");
}

int ctl_decode_main(int argc, char **argv)
{
	uint8_t buf[MH_MAX_MSG_LEN];
	bool as_json = false;
	const char *arg = NULL;
	char *in = NULL;
	struct mh_msg *m;
	size_t err_off = 0;
	int n, err;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			as_json = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!arg) {
			arg = argv[i];
		} else {
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (!arg) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(arg, "-")) {
		in = read_stdin();
		if (!in) {
			fprintf(stderr, "xpmipctl decode: cannot read stdin\n");
			return EXIT_USAGE;
		}
		arg = in;
	}
	n = parse_hex(arg, buf, sizeof(buf));
	free(in);
	if (n < 0) {
		fprintf(stderr, "xpmipctl decode: not hex, odd digit count, or longer than %d octets\n",
			MH_MAX_MSG_LEN);
		return EXIT_USAGE;
	}

	m = calloc(1, sizeof(*m));	/* big: keep it off the stack */
	if (!m) {
		fprintf(stderr, "xpmipctl decode: out of memory\n");
		return EXIT_USAGE;
	}
	err = mh_decode(buf, (size_t)n, m, &err_off);
	if (err) {
		fprintf(stderr, "xpmipctl decode: %s at offset %zu\n", mh_strerror(err), err_off);
		free(m);
		return EXIT_MALFORMED;
	}
	if (as_json)
		json(stdout, m, (size_t)n);
	else
		human(stdout, m, (size_t)n);
	free(m);
	return fflush(stdout) ? EXIT_MALFORMED : 0;
}
