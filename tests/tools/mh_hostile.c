/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * mh_hostile - replay malformed and adversarial Mobility Headers at a
 * running LMA or MAG and say what the daemon must have done with each.
 *
 *   mh_hostile --target lma|mag --src ADDR --dst ADDR [--unauth-src ADDR]
 *              [--checks] [--flood N] [--no-corpus] [--write DIR]
 *
 * The corpus is generated, deterministically, from well-formed messages
 * built with the project's codec (a full PBU for the LMA; a full PBA, a
 * Heartbeat and a BU for the MAG):
 *   - every truncation (Header Len as sent, and Header Len fitted to it),
 *   - every Header Len lie (0..255), Payload Proto lies, every MH type,
 *   - every Length value (0..255) of every option,
 *   - each option duplicated, 
 *   - huge option counts up to the 2048-octet maximum (PadN, Pad1, HNP,
 *     unknown options, MN-ID, BID),
 *   - XP_FLIPS random byte mutations (fixed seed).
 * Each case is classified with the daemon's own decoder and the role's
 * rules into what the daemon must count (sigdrop.h): sig_malformed,
 * sig_unhandled_type, and, at the LMA, PBUs (answered or rate-limited); at
 * the MAG, sig_not_our_lma / sig_pba_unmatched. A UPA (at the LMA) or UPN
 * (at the MAG) that decodes goes to the flow mobility code ("flow_mobility"). Cases shorter than the MH
 * checksum field cannot carry a valid checksum: the kernel refuses to send
 * them (or drops them on receipt): "too_short", not counted by the daemon. Messages go out on a raw socket with the checksum
 * computed here, paced so the daemon's socket buffer never overflows.
 *
 * --checks (LMA): well-formed PBUs that are wrong, each answered with its
 * status: 152 no P flag, 160 no MN-ID, 158 no HNP, 161 no HI, 162 no ATT,
 * 156 stale timestamp, 155 another MN's prefix, 157 the exact bytes of an
 * accepted refresh replayed, 154 unauthorised source (--unauth-src).
 * --flood N (LMA): N well-formed PBUs from --unauth-src as fast as
 * possible; replies are counted (each must be 154; the rest must be
 * sig_err_ratelimited). --no-corpus: only the checks and the flood.
 * --write DIR: also write every case as DIR/NNNNN.bin.
 *
 * Output: one JSON object on stdout (counts per expectation, the checks,
 * the flood). Exit 0, or 1 when a check got the wrong status, 2 on usage
 * or socket errors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mh_codec.h"
#include "xpmip_wire.h"

#define XP_FLIPS		600
#define XP_PACE_EVERY		128	/* packets between two pauses */
#define XP_PACE_US		20000
#define XP_MAX_OPTS		64
#define XP_REPLY_WAIT_MS	1500
#define XP_FLOOD_DRAIN_MS	1000
#define XP_UNKNOWN_OPT		99	/* no such mobility option */

enum target { T_LMA, T_MAG };

struct ctx {
	enum target target;
	int fd, ufd;			/* from --src, from --unauth-src */
	struct in6_addr src, dst, usrc;
	bool have_usrc;
	const char *write_dir;
	uint32_t seed;
	/* what the daemon must count */
	unsigned long cases, too_short, malformed, unhandled, pbu, not_lma, flowmob,
		      unmatched, send_err;
	unsigned long by_err[-MH_E_MAX_ + 1];
	unsigned int checks_ok, checks_bad;
};

static struct mh_msg scratch;		/* large: not on the stack */

static void die(const char *what)
{
	fprintf(stderr, "mh_hostile: %s: %s\n", what, strerror(errno));
	exit(2);
}

static int open_from(const struct in6_addr *src)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_addr = *src };
	int fd = socket(AF_INET6, SOCK_RAW, IPPROTO_MH);

	if (fd < 0)
		die("socket(IPPROTO_MH)");
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind to the source address");
	return fd;
}

/* Send buf as is, with the MH checksum computed here (none when the
 * message is too short to hold one) */
static int send_mh(struct ctx *c, int fd, const struct in6_addr *src, const uint8_t *buf,
		   size_t len)
{
	uint8_t out[MH_MAX_MSG_LEN + 64];
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_addr = c->dst };

	memcpy(out, buf, len);
	if (len >= XP_MH_CSUM_OFFSET + 2) {
		uint16_t cs;

		out[XP_MH_CSUM_OFFSET] = out[XP_MH_CSUM_OFFSET + 1] = 0;
		cs = mh_checksum(src, &c->dst, out, len);
		memcpy(out + XP_MH_CSUM_OFFSET, &cs, sizeof(cs));
	}
	if (sendto(fd, out, len, 0, (struct sockaddr *)&to, sizeof(to)) != (ssize_t)len) {
		/* the kernel refuses MH shorter than its checksum field */
		if (len >= XP_MH_CSUM_OFFSET + 2)
			c->send_err++;
		return -errno;
	}
	return 0;
}

/* What the daemon of this role must do with buf from src */
static void classify(struct ctx *c, const uint8_t *buf, size_t len, bool from_peer)
{
	size_t off;
	int err;

	if (len < XP_MH_CSUM_OFFSET + 2) {
		c->too_short++;
		return;
	}
	err = mh_decode(buf, len, &scratch, &off);
	if (err) {
		c->malformed++;
		c->by_err[-err]++;
		return;
	}
	/* flow mobility signalling has its own handler and log lines */
	if (scratch.type == (c->target == T_LMA ? XP_MH_TYPE_UPA : XP_MH_TYPE_UPN)) {
		c->flowmob++;
		return;
	}
	if (c->target == T_LMA) {
		if (scratch.type == XP_MH_TYPE_BU)
			c->pbu++;
		else
			c->unhandled++;	/* heartbeats are off in the replay */
		return;
	}
	if (scratch.type == XP_MH_TYPE_HB || scratch.type != XP_MH_TYPE_BA ||
	    !(scratch.ba.flags & XP_BA_F_P))
		c->unhandled++;
	else if (!from_peer)
		c->not_lma++;
	else
		c->unmatched++;
}

static void emit(struct ctx *c, const uint8_t *buf, size_t len)
{
	if (c->write_dir) {
		char path[512];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%05lu.bin", c->write_dir, c->cases);
		f = fopen(path, "wb");
		if (!f)
			die(path);
		fwrite(buf, 1, len, f);
		fclose(f);
	}
	classify(c, buf, len, true);
	c->cases++;
	send_mh(c, c->fd, &c->src, buf, len);
	if (c->cases % XP_PACE_EVERY == 0)
		usleep(XP_PACE_US);
}

/* ---- the well-formed bases ---- */

static void fill_pbu(struct mh_msg *m, const char *mnid, uint16_t seq)
{
	struct in6_addr any = IN6ADDR_ANY_INIT;

	mh_msg_init(m, XP_MH_TYPE_BU);
	m->bu.seq = seq;
	m->bu.flags = XP_BU_F_A | XP_BU_F_H | XP_BU_F_P;
	m->bu.lifetime = 100;
	mh_set_mnid(m, mnid);
	mh_add_hnp(m, &any, 0, 0);
	m->opt.present |= MH_HAS_HI | MH_HAS_ATT | MH_HAS_MN_LLID | MH_HAS_TIMESTAMP | MH_HAS_LLA;
	m->opt.hi = XP_HI_NEW_IF;
	m->opt.att = XP_ATT_80211;
	m->opt.llid_len = 6;
	memcpy(m->opt.llid, "\x02\x00\x00\x00\x66\x01", 6);
	inet_pton(AF_INET6, "fe80::1", &m->opt.lla);
	m->opt.timestamp = mh_timestamp_now();
	m->opt.n_bid = 1;
	m->opt.bid[0].bid = 1;
}

static int build_base(enum target t, int which, uint8_t *buf, size_t cap)
{
	struct mh_msg *m = &scratch;
	struct in6_addr p;

	if (t == T_LMA || which == 2) {
		fill_pbu(m, "hostile@xpmip.example", (uint16_t)(0x4000 + which));
	} else if (which == 0) {
		mh_msg_init(m, XP_MH_TYPE_BA);
		m->ba.status = XP_PBA_ACCEPTED;
		m->ba.flags = XP_BA_F_P;
		m->ba.seq = 0xfff0;	/* no PBU of the MAG has this one pending */
		m->ba.lifetime = 100;
		mh_set_mnid(m, "hostile@xpmip.example");
		inet_pton(AF_INET6, "2001:db8:100:66::", &p);
		mh_add_hnp(m, &p, 64, 0);
		m->opt.present |= MH_HAS_HI | MH_HAS_ATT | MH_HAS_TIMESTAMP | MH_HAS_MN_LLID;
		m->opt.hi = XP_HI_NEW_IF;
		m->opt.att = XP_ATT_80211;
		m->opt.llid_len = 6;
		memcpy(m->opt.llid, "\x02\x00\x00\x00\x66\x01", 6);
		m->opt.timestamp = mh_timestamp_now();
	} else {
		mh_msg_init(m, XP_MH_TYPE_HB);
		m->hb.seq = 7;
		m->opt.present |= MH_HAS_RESTART_CTR;
		m->opt.restart_ctr = 1;
	}
	return mh_encode(m, buf, cap);
}

/* Offsets of the options' Type octets (Pad1 included) */
static int options_of(const uint8_t *buf, size_t len, size_t *off, int max)
{
	size_t o = XP_MH_HDR_LEN + XP_BU_BODY_LEN;	/* BU, BA and HB bodies: 6 octets */
	int n = 0;

	while (o < len && n < max) {
		off[n++] = o;
		if (buf[o] == XP_MOPT_PAD1)
			o++;
		else if (o + 1 < len)
			o += (size_t)XP_MOPT_HDR_LEN + buf[o + 1];
		else
			break;
	}
	return n;
}

static void set_hdrlen(uint8_t *b, size_t len)
{
	b[1] = (uint8_t)((len + XP_MH_HLEN_UNIT - 1) / XP_MH_HLEN_UNIT - 1);
}

static uint32_t rnd(struct ctx *c)
{
	c->seed ^= c->seed << 13;
	c->seed ^= c->seed >> 17;
	c->seed ^= c->seed << 5;
	return c->seed;
}

/* Fill the options area of base (its fixed part kept) with copies of one
 * option until len octets, then PadN to the 8-octet boundary */
static void fill_with(struct ctx *c, const uint8_t *base, const uint8_t *opt, size_t olen,
		      size_t len)
{
	uint8_t b[MH_MAX_MSG_LEN];
	size_t o = XP_MH_HDR_LEN + XP_BU_BODY_LEN;

	memcpy(b, base, o);
	while (o + olen <= len) {
		memcpy(b + o, opt, olen);
		o += olen;
	}
	while (o % XP_MH_ALIGN)
		b[o++] = XP_MOPT_PAD1;
	set_hdrlen(b, o);
	emit(c, b, o);
}

static void mutate(struct ctx *c, const uint8_t *base, size_t blen)
{
	uint8_t b[MH_MAX_MSG_LEN];
	size_t off[XP_MAX_OPTS];
	int nopt = options_of(base, blen, off, XP_MAX_OPTS);

	/* every truncation, Header Len as sent and fitted */
	for (size_t l = 0; l < blen; l++) {
		memcpy(b, base, l);
		emit(c, b, l);
		if (l > 1) {
			set_hdrlen(b, l);
			emit(c, b, l);
		}
	}
	/* every Header Len lie */
	for (int v = 0; v <= XP_MH_HLEN_MAX; v++) {
		if (v == base[1])
			continue;
		memcpy(b, base, blen);
		b[1] = (uint8_t)v;
		emit(c, b, blen);
	}
	/* Payload Proto lies and every MH type */
	for (int v = 0; v <= UINT8_MAX; v++) {
		memcpy(b, base, blen);
		b[2] = (uint8_t)v;
		emit(c, b, blen);
		if (v % 17 == 0 && v != XP_MH_PAYLOAD_PROTO) {
			memcpy(b, base, blen);
			b[0] = (uint8_t)v;
			emit(c, b, blen);
		}
	}
	/* every Length of every option */
	for (int i = 0; i < nopt; i++) {
		if (base[off[i]] == XP_MOPT_PAD1)
			continue;
		for (int v = 0; v <= UINT8_MAX; v++) {
			if (v == base[off[i] + 1])
				continue;
			memcpy(b, base, blen);
			b[off[i] + 1] = (uint8_t)v;
			emit(c, b, blen);
		}
	}
	/* each option twice */
	for (int i = 0; i < nopt; i++) {
		size_t ol = base[off[i]] == XP_MOPT_PAD1 ? 1 : XP_MOPT_HDR_LEN + base[off[i] + 1];
		size_t l = blen + ol;

		if (l > MH_MAX_MSG_LEN || base[off[i]] <= XP_MOPT_PADN)
			continue;
		memcpy(b, base, off[i] + ol);
		memcpy(b + off[i] + ol, base + off[i], blen - off[i]);
		while (l % XP_MH_ALIGN)
			b[l++] = XP_MOPT_PAD1;
		set_hdrlen(b, l);
		emit(c, b, l);
	}
	/* huge option counts, up to the largest message */
	{
		static const uint8_t padn[] = { XP_MOPT_PADN, 0 };
		static const uint8_t pad1[] = { XP_MOPT_PAD1 };
		static const uint8_t unknown[] = { XP_UNKNOWN_OPT, 2, 0xde, 0xad };
		static const uint8_t hnp[] = { XP_MOPT_HNP, XP_MOPT_HNP_LEN, 0, 64,
			0x20, 0x01, 0x0d, 0xb8, 1, 0, 0, 0x66, 0, 0, 0, 0, 0, 0, 0, 0 };
		static const uint8_t mnid[] = { XP_MOPT_MN_ID, 4, XP_MNID_SUBTYPE_NAI, 'a', '@', 'b' };
		static const uint8_t bid[] = { XP_MOPT_BID, XP_MOPT_BID_LEN, 0, 1, 0, 0 };
		static const uint8_t big_padn[] = { XP_MOPT_PADN, XP_MOPT_MAX_LEN };
		uint8_t big[XP_MOPT_HDR_LEN + XP_MOPT_MAX_LEN];

		memset(big, 0, sizeof(big));
		memcpy(big, big_padn, sizeof(big_padn));
		fill_with(c, base, padn, sizeof(padn), MH_MAX_MSG_LEN);
		fill_with(c, base, pad1, sizeof(pad1), MH_MAX_MSG_LEN);
		fill_with(c, base, unknown, sizeof(unknown), MH_MAX_MSG_LEN);
		fill_with(c, base, hnp, sizeof(hnp), MH_MAX_MSG_LEN);
		fill_with(c, base, mnid, sizeof(mnid), MH_MAX_MSG_LEN);
		fill_with(c, base, bid, sizeof(bid), MH_MAX_MSG_LEN);
		fill_with(c, base, big, sizeof(big), MH_MAX_MSG_LEN);
	}
	/* random byte mutations */
	for (int i = 0; i < XP_FLIPS; i++) {
		int nflip = 1 + (int)(rnd(c) % 4);

		memcpy(b, base, blen);
		for (int k = 0; k < nflip; k++)
			b[XP_MH_CSUM_OFFSET + 2 + rnd(c) % (blen - XP_MH_CSUM_OFFSET - 2)] ^=
				(uint8_t)(1 + rnd(c) % UINT8_MAX);
		emit(c, b, blen);
	}
}

/* ---- status checks (LMA) ---- */

/* Wait for the BA answering seq on fd; its status, or -1 */
static int wait_status(int fd, uint16_t seq)
{
	uint8_t rb[MH_MAX_MSG_LEN];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		long left;
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &t);
		left = XP_REPLY_WAIT_MS - ((t.tv_sec - t0.tv_sec) * 1000 +
					   (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return -1;
		n = recv(fd, rb, sizeof(rb), 0);
		if (n <= 0)
			continue;
		if (mh_decode(rb, (size_t)n, &scratch, NULL) || scratch.type != XP_MH_TYPE_BA ||
		    scratch.ba.seq != seq)
			continue;
		return scratch.ba.status;
	}
}

static void check(struct ctx *c, const char *name, int want, int fd, const struct in6_addr *src,
		  const uint8_t *buf, size_t len, uint16_t seq, bool *first)
{
	int got;

	send_mh(c, fd, src, buf, len);
	got = wait_status(fd, seq);
	if (got == want)
		c->checks_ok++;
	else
		c->checks_bad++;
	printf("%s{\"check\":\"%s\",\"want\":%d,\"got\":%d}", *first ? "" : ",", name, want, got);
	*first = false;
}

static void run_checks(struct ctx *c)
{
	uint8_t b[MH_MAX_MSG_LEN];
	struct mh_msg *m = &scratch;
	struct in6_addr other;
	struct mh_hnp hnp;
	uint16_t seq = 0x5000;
	bool first = true;
	int n;

	printf("\"checks\":[");
#define CHECK(name, want, edit) do {						\
		fill_pbu(m, "hostile-check@xpmip.example", ++seq);		\
		edit;								\
		n = mh_encode(m, b, sizeof(b));					\
		check(c, name, want, c->fd, &c->src, b, (size_t)n, seq, &first); \
	} while (0)
	CHECK("no-P-flag", XP_PBA_PROXY_REG_NOT_ENABLED, m->bu.flags &= (uint16_t)~XP_BU_F_P);
	CHECK("no-MN-ID", XP_PBA_MISSING_MN_ID, m->opt.present &= ~(uint32_t)MH_HAS_MN_ID);
	CHECK("no-HNP", XP_PBA_MISSING_HNP, m->opt.n_hnp = 0);
	CHECK("no-HI", XP_PBA_MISSING_HI, m->opt.present &= ~(uint32_t)MH_HAS_HI);
	CHECK("no-ATT", XP_PBA_MISSING_ATT, m->opt.present &= ~(uint32_t)MH_HAS_ATT);
	CHECK("timestamp-10s-old", XP_PBA_TIMESTAMP_MISMATCH,
	      m->opt.timestamp -= (uint64_t)10 << 16);
	inet_pton(AF_INET6, "2001:db8:200::", &other);
	CHECK("another-MNs-prefix", XP_PBA_NOT_AUTHORIZED_FOR_HNP,
	      (m->opt.hnp[0].prefix = other, m->opt.hnp[0].plen = 64));
	/* registered, refreshed, then the refresh's very bytes again: a
	 * replay (the PBA of "register" is in scratch: its prefix) */
	CHECK("register", XP_PBA_ACCEPTED, (void)0);
	hnp = scratch.opt.hnp[0];
	CHECK("refresh", XP_PBA_ACCEPTED, (m->opt.hi = XP_HI_NOT_CHANGED, m->opt.hnp[0] = hnp));
	check(c, "replayed-PBU", XP_PBA_TIMESTAMP_LOWER, c->fd, &c->src, b, (size_t)n, seq, &first);
	/* and gone again (lifetime 0), so the checks leave nothing */
	CHECK("deregister", XP_PBA_ACCEPTED,
	      (m->opt.hi = XP_HI_NOT_CHANGED, m->opt.hnp[0] = hnp, m->bu.lifetime = 0));
	if (c->have_usrc) {
		fill_pbu(m, "hostile-check@xpmip.example", ++seq);
		n = mh_encode(m, b, sizeof(b));
		check(c, "unauthorised-source", XP_PBA_MAG_NOT_AUTHORIZED, c->ufd, &c->usrc, b,
		      (size_t)n, seq, &first);
	}
#undef CHECK
	printf("],");
}

/* ---- flood (LMA) ---- */

static void flood(struct ctx *c, unsigned long count)
{
	uint8_t b[MH_MAX_MSG_LEN], rb[MH_MAX_MSG_LEN];
	struct timespec t0, t1;
	unsigned long replies = 0, sent = 0, unauth = 0;
	struct pollfd p = { .fd = c->ufd, .events = POLLIN };
	int n;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned long i = 0; i < count; i++) {
		fill_pbu(&scratch, "hostile-flood@xpmip.example", (uint16_t)i);
		n = mh_encode(&scratch, b, sizeof(b));
		if (!send_mh(c, c->ufd, &c->usrc, b, (size_t)n))
			sent++;
		while ((n = (int)recv(c->ufd, rb, sizeof(rb), MSG_DONTWAIT)) > 0) {
			replies++;
			unauth += !mh_decode(rb, (size_t)n, &scratch, NULL) &&
				  scratch.ba.status == XP_PBA_MAG_NOT_AUTHORIZED;
		}
		if (i % XP_PACE_EVERY == XP_PACE_EVERY - 1)
			usleep(XP_PACE_US / 4);	/* keep the daemon's buffer from overflowing */
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	while (poll(&p, 1, XP_FLOOD_DRAIN_MS) > 0 && (n = (int)recv(c->ufd, rb, sizeof(rb), 0)) > 0) {
		replies++;
		unauth += !mh_decode(rb, (size_t)n, &scratch, NULL) &&
			  scratch.ba.status == XP_PBA_MAG_NOT_AUTHORIZED;
	}
	printf("\"flood\":{\"sent\":%lu,\"replies\":%lu,\"replies_154\":%lu,\"ms\":%ld},",
	       sent, replies, unauth,
	       (long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000));
}

static void usage(void)
{
	fprintf(stderr, "usage: mh_hostile --target lma|mag --src ADDR --dst ADDR "
		"[--unauth-src ADDR] [--checks] [--flood N] [--no-corpus] [--write DIR]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "target", required_argument, NULL, 't' },
		{ "src", required_argument, NULL, 's' },
		{ "dst", required_argument, NULL, 'd' },
		{ "unauth-src", required_argument, NULL, 'u' },
		{ "checks", no_argument, NULL, 'c' },
		{ "flood", required_argument, NULL, 'f' },
		{ "write", required_argument, NULL, 'w' },
		{ "no-corpus", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	static struct ctx c = { .seed = 0x5eed1234u, .fd = -1, .ufd = -1 };
	bool have_src = false, have_dst = false, checks = false, first = true, corpus = true;
	unsigned long flood_n = 0;
	uint8_t base[MH_MAX_MSG_LEN];
	int o, n, nbases;

	while ((o = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (o) {
		case 't':
			if (!strcmp(optarg, "lma"))
				c.target = T_LMA;
			else if (!strcmp(optarg, "mag"))
				c.target = T_MAG;
			else
				usage();
			break;
		case 's': have_src = inet_pton(AF_INET6, optarg, &c.src) == 1; break;
		case 'd': have_dst = inet_pton(AF_INET6, optarg, &c.dst) == 1; break;
		case 'u': c.have_usrc = inet_pton(AF_INET6, optarg, &c.usrc) == 1; break;
		case 'c': checks = true; break;
		case 'f': flood_n = strtoul(optarg, NULL, 0); break;
		case 'w': c.write_dir = optarg; break;
		case 'n': corpus = false; break;
		default: usage();
		}
	}
	if (!have_src || !have_dst || optind != argc || (flood_n && !c.have_usrc))
		usage();
	c.fd = open_from(&c.src);
	if (c.have_usrc)
		c.ufd = open_from(&c.usrc);
	printf("{");
	if (checks && c.target == T_LMA)
		run_checks(&c);

	nbases = !corpus ? 0 : c.target == T_LMA ? 1 : 3;
	for (int i = 0; i < nbases; i++) {
		n = build_base(c.target, i, base, sizeof(base));
		if (n < 0) {
			fprintf(stderr, "mh_hostile: base %d: %s\n", i, mh_strerror(n));
			return 2;
		}
		mutate(&c, base, (size_t)n);
	}
	/* at the MAG: a well-formed PBA from a source that is not its LMA */
	if (corpus && c.target == T_MAG && c.have_usrc) {
		n = build_base(c.target, 0, base, sizeof(base));
		classify(&c, base, (size_t)n, false);
		c.cases++;
		send_mh(&c, c.ufd, &c.usrc, base, (size_t)n);
	}
	if (flood_n && c.target == T_LMA)
		flood(&c, flood_n);
	printf("\"cases\":%lu,\"send_errors\":%lu,\"expect\":{\"too_short\":%lu,"
	       "\"sig_malformed\":%lu,\"sig_unhandled_type\":%lu,\"pbu\":%lu,"
	       "\"sig_not_our_lma\":%lu,\"sig_pba_unmatched\":%lu,\"flow_mobility\":%lu},"
	       "\"decode_errors\":{",
	       c.cases, c.send_err, c.too_short, c.malformed, c.unhandled, c.pbu, c.not_lma,
	       c.unmatched, c.flowmob);
	for (int e = 1; e <= -MH_E_MAX_; e++) {
		if (!c.by_err[e])
			continue;
		printf("%s\"%s\":%lu", first ? "" : ",", mh_strerror(-e), c.by_err[e]);
		first = false;
	}
	printf("},\"checks_ok\":%u,\"checks_failed\":%u}\n", c.checks_ok, c.checks_bad);
	return c.checks_bad ? 1 : 0;
}
