// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* flowsel.c - the operator's flow command syntax (flowsel.h) */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flowsel.h"

#define ADDR_BITS	128
#define FL_MAX		0xfffffu
#define ADDR_TXT	INET6_ADDRSTRLEN

static const struct { const char *name; uint8_t nh; } protos[] = {
	{ "tcp", XP_IPPROTO_TCP }, { "udp", XP_IPPROTO_UDP }, { "esp", XP_IPPROTO_ESP },
	{ "icmpv6", XP_IPPROTO_ICMPV6 }, { "sctp", 132 },
};

static int fail(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, FLOWSEL_ERR_MAX, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* decimal or 0x hex, whole word, <= max */
static int num(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	int base = 10;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return -EINVAL;
	}
	errno = 0;
	*out = strtoull(s, &end, base);
	if (errno || *end || *out > max)
		return -EINVAL;
	return 0;
}

/* N or N-M into lo, hi */
static int range(const char *s, uint64_t max, uint64_t *lo, uint64_t *hi)
{
	char buf[64];
	const char *dash = strchr(s, '-');

	if (!dash)
		return num(s, max, lo) ? -EINVAL : (*hi = *lo, 0);
	if ((size_t)(dash - s) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, (size_t)(dash - s));
	buf[dash - s] = '\0';
	if (num(buf, max, lo) || num(dash + 1, max, hi))
		return -EINVAL;
	return *lo <= *hi ? 0 : -ERANGE;
}

static int addr_range(const char *s, uint8_t lo[16], uint8_t hi[16])
{
	char buf[ADDR_TXT + 8];
	const char *sep;
	uint64_t plen;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	if ((sep = strchr(s, '-'))) {
		if ((size_t)(sep - s) >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, s, (size_t)(sep - s));
		buf[sep - s] = '\0';
		if (inet_pton(AF_INET6, buf, lo) != 1 || inet_pton(AF_INET6, sep + 1, hi) != 1)
			return -EINVAL;
		return memcmp(lo, hi, 16) <= 0 ? 0 : -ERANGE;
	}
	plen = ADDR_BITS;
	if ((sep = strchr(s, '/'))) {
		if ((size_t)(sep - s) >= sizeof(buf) || num(sep + 1, ADDR_BITS, &plen))
			return -EINVAL;
		memcpy(buf, s, (size_t)(sep - s));
		buf[sep - s] = '\0';
	} else {
		memcpy(buf, s, strlen(s) + 1);
	}
	if (inet_pton(AF_INET6, buf, lo) != 1)
		return -EINVAL;
	for (unsigned i = 0; i < 16; i++) {
		unsigned keep = plen >= (i + 1) * 8 ? 8 : plen > i * 8 ? (unsigned)plen - i * 8 : 0;
		uint8_t mask = (uint8_t)(keep ? 0xff << (8 - keep) : 0);

		lo[i] &= mask;
		hi[i] = (uint8_t)(lo[i] | (uint8_t)~mask);
	}
	return 0;
}

/* "B[,B...]": every element a BID 1-65535, none empty, none twice
 * (strtok would silently accept "1,,2" and "1,") */
static int bid_list(const char *s, struct fm_entry *e)
{
	char buf[96], *tok, *rest;
	uint64_t v;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", s);
	e->n_bid = 0;
	rest = buf;
	while ((tok = strsep(&rest, ","))) {
		if (e->n_bid >= FM_MAX_BIDS)
			return -E2BIG;
		if (num(tok, UINT16_MAX, &v) || !v)
			return -EINVAL;
		for (unsigned i = 0; i < e->n_bid; i++)
			if (e->bid[i] == v)
				return -EINVAL;
		e->bid[e->n_bid++] = (uint16_t)v;
	}
	return 0;
}

enum kw {
	KW_FID, KW_PRI, KW_BID, KW_ACTION, KW_PROTO, KW_SRC, KW_DST, KW_SPORT, KW_DPORT,
	KW_TCLASS, KW_FLOWLABEL, KW_SPI, KW_N
};

static const char *const kw_names[KW_N] = {
	[KW_FID] = "fid", [KW_PRI] = "pri", [KW_BID] = "bid", [KW_ACTION] = "action",
	[KW_PROTO] = "proto", [KW_SRC] = "src", [KW_DST] = "dst", [KW_SPORT] = "sport",
	[KW_DPORT] = "dport", [KW_TCLASS] = "tclass", [KW_FLOWLABEL] = "flowlabel",
	[KW_SPI] = "spi",
};

static int kw_of(const char *w)
{
	if (!strcmp(w, "nh"))
		return KW_PROTO;
	for (int i = 0; i < KW_N; i++)
		if (!strcmp(w, kw_names[i]))
			return i;
	return -1;
}

static int proto(const char *v, struct mh_ts *t)
{
	uint64_t lo, hi;

	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (!strcmp(v, protos[i].name)) {
			t->nh_start = t->nh_end = protos[i].nh;
			return 0;
		}
	if (range(v, UINT8_MAX, &lo, &hi))
		return -EINVAL;
	t->nh_start = (uint8_t)lo;
	t->nh_end = (uint8_t)hi;
	return 0;
}

/* One "keyword value" pair into c */
static int pair(struct flow_cmd *c, int kw, const char *w, const char *v, char *err)
{
	struct fm_entry *e = &c->e;
	struct mh_ts *t = &e->ts;
	uint64_t lo, hi;
	int rc;

	switch (kw) {
	case KW_FID:
		if (num(v, UINT16_MAX, &lo) || !lo)
			return fail(err, "fid '%s': expected a number 1-65535", v);
		e->fid = (uint16_t)lo;
		return 0;
	case KW_PRI:
		if (num(v, UINT16_MAX, &lo))
			return fail(err, "pri '%s': expected a number 0-65535", v);
		e->fid_pri = (uint16_t)lo;
		return 0;
	case KW_BID:
		rc = bid_list(v, e);
		if (rc == -E2BIG)
			return fail(err, "bid '%s': at most %d BIDs", v, FM_MAX_BIDS);
		if (rc)
			return fail(err, "bid '%s': expected BIDs 1-65535, comma separated", v);
		return 0;
	case KW_ACTION:
		if (!strcmp(v, "forward"))
			e->action = XP_FBA_FORWARD;
		else if (!strcmp(v, "drop"))
			e->action = XP_FBA_DROP;
		else
			return fail(err, "action '%s': expected forward or drop", v);
		return 0;
	case KW_PROTO:
		if (proto(v, t))
			return fail(err, "proto '%s': expected tcp, udp, sctp, esp, icmpv6 or 0-255[-0-255]", v);
		t->flags |= XP_TS6_O_NH_START | XP_TS6_P_NH_END;
		return 0;
	case KW_SRC:
	case KW_DST:
		rc = addr_range(v, kw == KW_SRC ? t->src_start : t->dst_start,
				kw == KW_SRC ? t->src_end : t->dst_end);
		if (rc == -ERANGE)
			return fail(err, "%s '%s': range start above its end", w, v);
		if (rc)
			return fail(err, "%s '%s': expected ADDR, ADDR/LEN or ADDR-ADDR (IPv6)", w, v);
		t->flags |= kw == KW_SRC ? XP_TS6_A_SRC_START | XP_TS6_B_SRC_END :
					   XP_TS6_C_DST_START | XP_TS6_D_DST_END;
		return 0;
	default:
		break;
	}
	{
		static const struct { int kw; uint64_t max; uint16_t flags; } num_kw[] = {
			{ KW_SPORT, UINT16_MAX, XP_TS6_I_SPORT_START | XP_TS6_J_SPORT_END },
			{ KW_DPORT, UINT16_MAX, XP_TS6_K_DPORT_START | XP_TS6_L_DPORT_END },
			{ KW_TCLASS, UINT8_MAX, XP_TS6_M_TC_START | XP_TS6_N_TC_END },
			{ KW_FLOWLABEL, FL_MAX, XP_TS6_G_FL_START | XP_TS6_H_FL_END },
			{ KW_SPI, UINT32_MAX, XP_TS6_E_SPI_START | XP_TS6_F_SPI_END },
		};

		for (size_t i = 0; i < sizeof(num_kw) / sizeof(num_kw[0]); i++) {
			if (num_kw[i].kw != kw)
				continue;
			rc = range(v, num_kw[i].max, &lo, &hi);
			if (rc == -ERANGE)
				return fail(err, "%s '%s': range start above its end", w, v);
			if (rc)
				return fail(err, "%s '%s': expected N or N-M, each 0-%llu", w, v,
					    (unsigned long long)num_kw[i].max);
			t->flags |= num_kw[i].flags;
			switch (kw) {
			case KW_SPORT:
				t->sport_start = (uint16_t)lo, t->sport_end = (uint16_t)hi;
				break;
			case KW_DPORT:
				t->dport_start = (uint16_t)lo, t->dport_end = (uint16_t)hi;
				break;
			case KW_TCLASS:
				t->tc_start = (uint8_t)lo, t->tc_end = (uint8_t)hi;
				break;
			case KW_FLOWLABEL:
				t->fl_start = (uint32_t)lo, t->fl_end = (uint32_t)hi;
				break;
			default:
				t->spi_start = (uint32_t)lo, t->spi_end = (uint32_t)hi;
				break;
			}
			return 0;
		}
	}
	return fail(err, "internal: keyword %d", kw);
}

/* keyword/value pairs from argv[i]; allowed: bit set of enum kw */
static int pairs(struct flow_cmd *c, int argc, char **argv, int i, unsigned allowed, char *err)
{
	unsigned seen = 0;
	int rc;

	for (; i < argc; i += 2) {
		int kw = kw_of(argv[i]);

		if (kw < 0 || !(allowed & (1u << kw)))
			return fail(err, "unknown word '%s' (see: xpmipctl flow help)", argv[i]);
		if (seen & (1u << kw))
			return fail(err, "'%s' given twice", argv[i]);
		if (i + 1 >= argc)
			return fail(err, "'%s' needs a value", argv[i]);
		seen |= 1u << kw;
		if ((rc = pair(c, kw, argv[i], argv[i + 1], err)))
			return rc;
	}
	return 0;
}

static int mn_arg(struct flow_cmd *c, int argc, char **argv, char *err)
{
	if (argc < 3 || !strcmp(argv[2], "--json"))
		return fail(err, "flow %s: missing MN-ID", argv[1]);
	if (strlen(argv[2]) > XP_MNID_MAX_LEN)
		return fail(err, "MN-ID longer than %d octets", XP_MNID_MAX_LEN);
	c->mn = argv[2];
	return 0;
}

#define SEL_KWS	((1u << KW_PROTO) | (1u << KW_SRC) | (1u << KW_DST) | (1u << KW_SPORT) | \
		 (1u << KW_DPORT) | (1u << KW_TCLASS) | (1u << KW_FLOWLABEL) | (1u << KW_SPI))

int flow_cmd_parse(int argc, char **argv, struct flow_cmd *c, char err[FLOWSEL_ERR_MAX])
{
	int rc;

	memset(c, 0, sizeof(*c));
	err[0] = '\0';
	c->e.origin = FM_ORIGIN_OPERATOR;
	c->e.action = XP_FBA_FORWARD;
	c->e.fid_pri = FLOWSEL_DEFAULT_PRI;
	c->e.ts.format = XP_TS_FMT_IPV6;
	if (argc < 2)
		return fail(err, "flow: expected add, del, move or list");
	if (!strcmp(argv[1], "list")) {
		c->op = FLOW_OP_LIST;
		for (int i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "--json"))
				c->json = true;
			else if (!c->mn && argv[i][0] != '-')
				c->mn = argv[i];
			else
				return fail(err, "flow list: unexpected '%s'", argv[i]);
		}
		return 0;
	}
	if (!strcmp(argv[1], "add")) {
		c->op = FLOW_OP_ADD;
		if ((rc = mn_arg(c, argc, argv, err)) ||
		    (rc = pairs(c, argc, argv, 3, SEL_KWS | (1u << KW_FID) | (1u << KW_PRI) |
			       (1u << KW_BID) | (1u << KW_ACTION), err)))
			return rc;
		if (!c->e.fid)
			return fail(err, "flow add: missing 'fid N'");
		if (c->e.action == XP_FBA_FORWARD && !c->e.n_bid)
			return fail(err, "flow add: action forward needs 'bid B'");
		return 0;
	}
	if (!strcmp(argv[1], "del")) {
		c->op = FLOW_OP_DEL;
		if ((rc = mn_arg(c, argc, argv, err)))
			return rc;
		if (argc == 4)
			rc = pair(c, KW_FID, "fid", argv[3], err);
		else
			rc = pairs(c, argc, argv, 3, 1u << KW_FID, err);
		if (rc)
			return rc;
		return c->e.fid ? 0 : fail(err, "flow del: missing 'fid N'");
	}
	if (!strcmp(argv[1], "move")) {
		c->op = FLOW_OP_MOVE;
		if ((rc = mn_arg(c, argc, argv, err)))
			return rc;
		if (argc < 5)
			return fail(err, "flow move: expected MN FID BID[,BID...]");
		if (argc == 5 && kw_of(argv[3]) < 0)
			rc = pair(c, KW_FID, "fid", argv[3], err) ?:
			     pair(c, KW_BID, "bid", argv[4], err);
		else
			rc = pairs(c, argc, argv, 3, (1u << KW_FID) | (1u << KW_BID), err);
		if (rc)
			return rc;
		if (!c->e.fid || !c->e.n_bid)
			return fail(err, "flow move: expected MN FID BID[,BID...]");
		return 0;
	}
	return fail(err, "flow: unknown operation '%s' (add, del, move, list)", argv[1]);
}

/* ---- formatting ---- */

static void put(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += (size_t)n;
}

static void put_range(char *buf, size_t len, size_t *off, const char *kw, uint64_t lo,
		      uint64_t hi, bool hex)
{
	const char *f = hex ? (lo == hi ? "%s%s 0x%llx" : "%s%s 0x%llx-0x%llx") :
			      (lo == hi ? "%s%s %llu" : "%s%s %llu-%llu");

	put(buf, len, off, f, *off ? " " : "", kw, (unsigned long long)lo, (unsigned long long)hi);
}

static void put_addr(char *buf, size_t len, size_t *off, const char *kw, const uint8_t *lo,
		     const uint8_t *hi)
{
	char a[ADDR_TXT], b[ADDR_TXT];
	unsigned plen = 0;
	bool is_prefix = true;

	/* a prefix: lo = common bits then zeros, hi = the same bits then ones */
	while (plen < ADDR_BITS) {
		unsigned byte = plen / 8, bit = 7 - plen % 8;

		if (((lo[byte] >> bit) & 1) != ((hi[byte] >> bit) & 1))
			break;
		plen++;
	}
	for (unsigned p = plen; p < ADDR_BITS && is_prefix; p++) {
		unsigned byte = p / 8, bit = 7 - p % 8;

		is_prefix = !((lo[byte] >> bit) & 1) && ((hi[byte] >> bit) & 1);
	}
	inet_ntop(AF_INET6, lo, a, sizeof(a));
	inet_ntop(AF_INET6, hi, b, sizeof(b));
	if (plen == ADDR_BITS)
		put(buf, len, off, "%s%s %s", *off ? " " : "", kw, a);
	else if (is_prefix)
		put(buf, len, off, "%s%s %s/%u", *off ? " " : "", kw, a, plen);
	else
		put(buf, len, off, "%s%s %s-%s", *off ? " " : "", kw, a, b);
}

const char *flowsel_format(const struct mh_ts *t, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	if (t->flags & XP_TS6_O_NH_START) {
		const char *name = NULL;

		for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]) && !name; i++)
			if (t->nh_start == t->nh_end && t->nh_start == protos[i].nh)
				name = protos[i].name;
		if (name)
			put(buf, len, &off, "proto %s", name);
		else
			put_range(buf, len, &off, "proto", t->nh_start, t->nh_end, false);
	}
	if (t->flags & XP_TS6_A_SRC_START)
		put_addr(buf, len, &off, "src", t->src_start, t->src_end);
	if (t->flags & XP_TS6_C_DST_START)
		put_addr(buf, len, &off, "dst", t->dst_start, t->dst_end);
	if (t->flags & XP_TS6_I_SPORT_START)
		put_range(buf, len, &off, "sport", t->sport_start, t->sport_end, false);
	if (t->flags & XP_TS6_K_DPORT_START)
		put_range(buf, len, &off, "dport", t->dport_start, t->dport_end, false);
	if (t->flags & XP_TS6_M_TC_START)
		put_range(buf, len, &off, "tclass", t->tc_start, t->tc_end, true);
	if (t->flags & XP_TS6_G_FL_START)
		put_range(buf, len, &off, "flowlabel", t->fl_start, t->fl_end, true);
	if (t->flags & XP_TS6_E_SPI_START)
		put_range(buf, len, &off, "spi", t->spi_start, t->spi_end, true);
	if (!off)
		snprintf(buf, len, "any");
	return buf;
}

int flowsel_filter_parse(int argc, char **argv, struct mh_flow_id *f, char err[FLOWSEL_ERR_MAX])
{
	struct flow_cmd c;
	int rc;

	memset(&c, 0, sizeof(c));
	err[0] = '\0';
	c.e.origin = FM_ORIGIN_MAG;
	c.e.action = XP_FBA_FORWARD;
	c.e.fid_pri = FLOWSEL_DEFAULT_PRI;
	c.e.ts.format = XP_TS_FMT_IPV6;
	if ((rc = pairs(&c, argc, argv, 0, SEL_KWS | (1u << KW_FID) | (1u << KW_PRI) |
			(1u << KW_ACTION), err)))
		return rc;
	if (!c.e.fid)
		return fail(err, "filter: missing 'fid N'");
	memset(f, 0, sizeof(*f));
	f->fid = c.e.fid;
	f->fid_pri = c.e.fid_pri;
	f->has_ts = true;
	f->ts = c.e.ts;
	f->has_action = true;
	f->action = c.e.action;
	return 0;
}

#define FILTER_MAX_WORDS	32

int flowsel_filter_parse_str(const char *s, struct mh_flow_id *f, char err[FLOWSEL_ERR_MAX])
{
	char buf[FLOWSEL_ERR_MAX * 2], *w[FILTER_MAX_WORDS], *save = NULL;
	int n = 0;

	if (strlen(s) >= sizeof(buf))
		return fail(err, "filter: longer than %zu characters", sizeof(buf) - 1);
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (n >= FILTER_MAX_WORDS)
			return fail(err, "filter: more than %d words", FILTER_MAX_WORDS);
		w[n++] = t;
	}
	return flowsel_filter_parse(n, w, f, err);
}
