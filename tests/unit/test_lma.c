// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * LMA: encoded PBUs in, PBA bytes out, for every status the LMA sends;
 * HI 1-5; de-registration; timestamps and sequence numbers; lifetimes and
 * expiry on a fake clock; the data plane maps (created with bpf_map_create)
 * and the restart state.
 */
#include <criterion/criterion.h>
/* PBU(.field = x) overrides the defaults of the macro on purpose */
#pragma GCC diagnostic ignored "-Woverride-init"
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>

#include "bcache.h"
#include "config.h"
#include "fmcache.h"
#include "lma.h"
#include "mhfilt.h"
#include "mh_codec.h"
#include "xpmip_maps.h"
#include "xpmip_state.h"

#define T0_MS		1700000000000ull	/* fake CLOCK_REALTIME start */
#define WINDOW_MS	300
#define MIN_DELAY_MS	10000

static uint64_t fake_rt = T0_MS, fake_mono = 1000;

static uint64_t clk_rt(void *ctx) { (void)ctx; return fake_rt; }
static uint64_t clk_mono(void *ctx) { (void)ctx; return fake_mono; }
static const struct lma_clock fake_clock = { clk_rt, clk_mono, NULL };

static void advance(uint64_t ms)
{
	fake_rt += ms;
	fake_mono += ms;
}

static uint64_t ts_now(void)
{
	uint64_t ms = fake_rt;

	return ((ms / 1000) << 16) | (((ms % 1000) << 16) / 1000);
}

static const char *MAG1 = "2001:db8:a1::2", *MAG2 = "2001:db8:a2::2", *EVIL = "2001:db8:66::2";

static const char *base_conf =
	"lma = {\n"
	"  address = \"2001:db8:ff::1\";\n"
	"  interfaces = [ \"lo\" ];\n"
	"  authorized_mags = [ \"2001:db8:a1::/64\", \"2001:db8:a2::/64\" ];\n"
	"  hnp_pool = \"%s\";\n"
	"  timestamps = %s;\n"
	"  max_lifetime_s = 3600;\n"
	"%s"
	"  default_policy = { allowed = true; hnps_per_interface = 1; };\n"
	"  mns = (\n"
	"    { id = \"blocked@x\"; allowed = false; },\n"
	"    { id = \"elsewhere@x\"; served_here = false; },\n"
	"    { id = \"two@x\"; hnps_per_interface = 2; },\n"
	"    { id = \"short@x\"; max_lifetime_s = 40; },\n"
	"    { id = \"fixed@x\"; hnps = [ \"2001:db8:200::/64\" ]; },\n"
	"    { id = \"wide@x\"; hnps = [ \"2001:db8:300::/60\" ]; },\n"
	"    { id = \"ua@x\"; address_model = \"unique-address\"; },\n"
	"    { id = \"sa@x\"; address_model = \"shared-address\"; hnps = [ \"2001:db8:400::/64\" ];"
	" primary_hoa = \"2001:db8:400::1\"; }\n"
	"  );\n"
	"};\n";

static const char *lma_extra = "";	/* more lma keys for one suite */
static struct xp_config cfg;
static struct lma_maps maps;
static struct lma *L;

static int mk(enum bpf_map_type t, size_t k, size_t v, uint32_t max, uint32_t flags)
{
	LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = flags);
	int fd = bpf_map_create(t, NULL, (uint32_t)k, (uint32_t)v, max, &o);

	cr_assert_geq(fd, 0, "bpf_map_create: %s", strerror(errno));
	return fd;
}

static void make_maps(void)
{
	maps.cfg = mk(BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(struct xp_cfg), 1, 0);
	maps.pfx = mk(BPF_MAP_TYPE_LPM_TRIE, sizeof(struct xp_prefix_key),
		      sizeof(struct xp_prefix_val), 1024, BPF_F_NO_PREALLOC);
	maps.bind = mk(BPF_MAP_TYPE_HASH, sizeof(struct xp_bind_key), sizeof(struct xp_bind_val), 1024, 0);
	maps.mn = mk(BPF_MAP_TYPE_HASH, sizeof(__u32), sizeof(struct xp_mn_val), 1024, 0);
	maps.ul = mk(BPF_MAP_TYPE_HASH, sizeof(struct xp_ul_key), sizeof(struct xp_ul_val), 1024, 0);
	maps.peer = mk(BPF_MAP_TYPE_HASH, sizeof(union xp_addr6), sizeof(struct xp_peer_val), 64, 0);
	maps.bce = mk(BPF_MAP_TYPE_HASH, sizeof(struct xp_bind_key), sizeof(struct xp_bce_state), 1024,
		      BPF_F_NO_PREALLOC);
	maps.pfx64 = mk(BPF_MAP_TYPE_HASH, sizeof(struct xp_prefix64_key), sizeof(struct xp_prefix_val),
			1024, BPF_F_NO_PREALLOC);
	maps.bstat = mk(BPF_MAP_TYPE_HASH, sizeof(struct xp_bind_key),
			sizeof(struct xp_bind_stats), 1024, BPF_F_NO_PREALLOC);
	maps.fsel = mk(BPF_MAP_TYPE_HASH, sizeof(__u32), sizeof(struct xp_flow_set), 64,
		       BPF_F_NO_PREALLOC);
	maps.flowstate = mk(BPF_MAP_TYPE_HASH, sizeof(__u32), sizeof(struct xp_flow_state), 256,
			    BPF_F_NO_PREALLOC);
}

static void close_maps(void)
{
	int *f = &maps.cfg;

	for (size_t i = 0; i < sizeof(maps) / sizeof(int); i++)
		if (f[i] >= 0)
			close(f[i]);
}

static void start(const char *pool, bool timestamps)
{
	char text[2048], path[] = "/tmp/xpmip-lma-test-XXXXXX", err[XP_CFG_ERR_MAX];
	int fd = mkstemp(path);

	snprintf(text, sizeof(text), base_conf, pool, timestamps ? "true" : "false", lma_extra);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	cr_assert_eq(xp_config_load(path, XP_ROLE_LMA, &cfg, err), 0, "%s", err);
	unlink(path);
	fake_rt = T0_MS;
	make_maps();
	cr_assert_eq(lma_new(&cfg, NULL, &maps, &fake_clock, &L), 0);
}

static void setup_ts(void) { start("2001:db8:100::/40", true); }
static void setup_seq(void) { start("2001:db8:100::/40", false); }
static void setup_tiny(void) { start("2001:db8:100::/63", true); }	/* 2 prefixes */

static void teardown(void)
{
	lma_free(L);
	L = NULL;
	close_maps();
	xp_config_free(&cfg);
}

/* ---- PBU builder ---- */

struct pbu {
	const char *mn;			/* NULL: no MN-ID option */
	uint16_t seq;
	uint16_t lifetime_s;
	int hi;				/* -1: no HI option */
	int att;			/* -1: no ATT option */
	int n_hnp;			/* -1: no HNP option; 0: one ::/0 */
	const char *hnp[2];
	bool no_ts;
	int64_t ts_skew_ms;
	uint64_t ts;			/* explicit timestamp if non-zero */
	const char *llid;		/* MN-LL-ID octets as a string */
	uint8_t ifp;			/* 000 IFP in the MN-LL-ID */
	bool primary;			/* 000 P flag */
	bool no_p;
	int mhgid;			/* 004 Multihoming option; -1: none */
	uint8_t act;			/* its ACT */
	uint8_t n_flow;			/* Flow Identification options */
	const struct mh_flow_id *flow;
};

#define PBU(...) ((struct pbu){ .mn = "mn1@x", .seq = 1, .lifetime_s = 3600, .hi = 1, .att = 4, \
				.n_hnp = 0, .mhgid = -1, __VA_ARGS__ })

static struct in6_addr A(const char *s)
{
	struct in6_addr a;

	cr_assert_eq(inet_pton(AF_INET6, s, &a), 1, "%s", s);
	return a;
}

static size_t encode_pbu(const struct pbu *p, uint8_t *buf)
{
	struct mh_msg m;
	int n;

	mh_msg_init(&m, XP_MH_TYPE_BU);
	m.bu.seq = p->seq;
	m.bu.flags = XP_BU_F_A | XP_BU_F_H | XP_BU_F_L | (p->no_p ? 0 : XP_BU_F_P);
	m.bu.lifetime = (uint16_t)(p->lifetime_s / XP_LIFETIME_UNIT_S);
	if (p->mn)
		cr_assert_eq(mh_set_mnid(&m, p->mn), 0);
	if (p->n_hnp == 0) {
		struct in6_addr z = { 0 };

		mh_add_hnp(&m, &z, 0, 0);
	}
	for (int i = 0; i < p->n_hnp; i++) {
		struct xp_prefix x;

		cr_assert_eq(xp_prefix_parse(p->hnp[i], &x), 0);
		mh_add_hnp(&m, &x.addr, x.plen, 0);
	}
	if (p->hi >= 0) {
		m.opt.present |= MH_HAS_HI;
		m.opt.hi = (uint8_t)p->hi;
	}
	if (p->att >= 0) {
		m.opt.present |= MH_HAS_ATT;
		m.opt.att = (uint8_t)p->att;
	}
	if (!p->no_ts) {
		m.opt.present |= MH_HAS_TIMESTAMP;
		m.opt.timestamp = p->ts ? p->ts :
			ts_now() + (uint64_t)((p->ts_skew_ms * 65536) / 1000);
	}
	if (p->llid) {
		m.opt.present |= MH_HAS_MN_LLID;
		m.opt.llid_len = (uint8_t)strlen(p->llid);
		memcpy(m.opt.llid, p->llid, m.opt.llid_len);
		m.opt.llid_ifp = p->ifp;
		m.opt.llid_primary = p->primary;
	}
	if (p->mhgid >= 0) {
		m.opt.present |= MH_HAS_MULTIHOMING;
		m.opt.mhgid = (uint8_t)p->mhgid;
		m.opt.mh_act = p->act;
	}
	for (uint8_t i = 0; i < p->n_flow; i++)
		m.opt.flow_id[i] = p->flow[i];
	m.opt.n_flow_id = p->n_flow;
	n = mh_encode(&m, buf, MH_MAX_MSG_LEN);
	cr_assert_gt(n, 0, "encode: %s", mh_strerror(n));
	return (size_t)n;
}

static struct mh_msg last_pba;
static uint8_t last_raw[MH_MAX_MSG_LEN];

/* send a PBU from mag, return the PBA status; the PBA is kept in last_pba */
static int send_pbu(const char *mag, const struct pbu *p)
{
	uint8_t in[MH_MAX_MSG_LEN];
	struct in6_addr src = A(mag), dst = A("2001:db8:ff::1");
	size_t len = encode_pbu(p, in);
	int n = lma_handle_pbu(L, in, len, &src, &dst, last_raw, sizeof(last_raw));

	cr_assert_gt(n, 0, "no PBA");
	cr_assert_eq(n % 8, 0);
	/* raw bytes: payload proto 59, header length, type BA, status, P flag */
	cr_assert_eq(last_raw[0], XP_IPPROTO_NONE);
	cr_assert_eq((last_raw[1] + 1) * 8, n);
	cr_assert_eq(last_raw[2], XP_MH_TYPE_BA);
	cr_assert(last_raw[7] & XP_BA_F_P);
	cr_assert_eq(mh_decode(last_raw, (size_t)n, &last_pba, NULL), MH_OK);
	cr_assert_eq(last_pba.type, XP_MH_TYPE_BA);
	cr_assert_eq(last_pba.ba.status, last_raw[6]);
	if (last_raw[6] != XP_PBA_SEQ_OUT_OF_WINDOW)
		cr_assert_eq(last_pba.ba.seq, p->seq);
	cr_assert_eq((uint16_t)(last_raw[8] << 8 | last_raw[9]), last_pba.ba.seq);
	/* the options the RFC asks for, when the PBU had them */
	if (p->mn) {
		cr_assert(last_pba.opt.present & MH_HAS_MN_ID);
		cr_assert_str_eq((char *)last_pba.opt.mnid, p->mn);
	}
	if (p->hi >= 0)
		cr_assert_eq(last_pba.opt.hi, p->hi);
	if (p->att >= 0)
		cr_assert_eq(last_pba.opt.att, p->att);
	if (p->llid) {
		cr_assert(last_pba.opt.present & MH_HAS_MN_LLID);
		cr_assert_eq(last_pba.opt.llid_len, strlen(p->llid));
		cr_assert_eq(memcmp(last_pba.opt.llid, p->llid, strlen(p->llid)), 0);
	}
	if (p->n_hnp >= 0)
		cr_assert_geq(last_pba.opt.n_hnp, 1);
	if (last_raw[6] != XP_PBA_ACCEPTED)
		cr_assert_eq(last_pba.ba.lifetime, 0);
	return last_raw[6];
}

static char *pfx_str(int i)
{
	static char buf[2][64];
	struct xp_prefix p = { .addr = last_pba.opt.hnp[i].prefix, .plen = last_pba.opt.hnp[i].plen };

	return (char *)xp_prefix_str(&p, buf[i & 1], sizeof(buf[0]));
}

static int map_count(int fd, size_t ksize)
{
	uint8_t k[64], next[64];
	int n = 0;
	void *prev = NULL;

	(void)ksize;
	while (!bpf_map_get_next_key(fd, prev, next)) {
		memcpy(k, next, sizeof(k));
		prev = k;
		n++;
	}
	return n;
}

static uint32_t peer_refs(const char *mag)
{
	union xp_addr6 k;
	struct xp_peer_val v;
	struct in6_addr a = A(mag);

	memcpy(k.a8, &a, 16);
	if (bpf_map_lookup_elem(maps.peer, &k, &v))
		return 0;
	return v.refcnt;
}

static bool ul_has(const char *mag, uint32_t idx)
{
	struct xp_ul_key k;
	struct xp_ul_val v;
	struct in6_addr a = A(mag);

	memset(&k, 0, sizeof(k));
	memcpy(k.pcoa.a8, &a, 16);
	k.mn_id = idx;
	return !bpf_map_lookup_elem(maps.ul, &k, &v);
}

/* the data plane's rule: a trie hit flagged LONG, else the /64 hash, else the trie */
static int pfx_lookup(const char *addr, struct xp_prefix_val *v)
{
	struct xp_prefix_key k = { .prefixlen = 128 };
	struct xp_prefix64_key k64;
	struct xp_prefix_val lpm;
	struct in6_addr a = A(addr);
	bool have_lpm;

	memcpy(k.addr.a8, &a, 16);
	memcpy(k64.a32, &a, sizeof(k64.a32));
	have_lpm = !bpf_map_lookup_elem(maps.pfx, &k, &lpm);
	if (have_lpm && (lpm.flags & XP_PFXF_LONG)) {
		*v = lpm;
		return 0;
	}
	if (!bpf_map_lookup_elem(maps.pfx64, &k64, v))
		return 0;
	if (have_lpm) {
		*v = lpm;
		return 0;
	}
	return -1;
}

static int bind_lookup(uint32_t idx, uint16_t bid, struct xp_bind_val *v)
{
	struct xp_bind_key k = { .mn_id = idx, .bid = bid };

	return bpf_map_lookup_elem(maps.bind, &k, v);
}

static void assert_maps_empty(void)
{
	cr_assert_eq(map_count(maps.pfx, sizeof(struct xp_prefix_key)), 0);
	cr_assert_eq(map_count(maps.pfx64, sizeof(struct xp_prefix64_key)), 0);
	cr_assert_eq(map_count(maps.bind, sizeof(struct xp_bind_key)), 0);
	cr_assert_eq(map_count(maps.mn, sizeof(__u32)), 0);
	cr_assert_eq(map_count(maps.ul, sizeof(struct xp_ul_key)), 0);
	cr_assert_eq(map_count(maps.peer, sizeof(union xp_addr6)), 0);
	cr_assert_eq(map_count(maps.bce, sizeof(struct xp_bind_key)), 0);
	cr_assert_eq(map_count(maps.bstat, sizeof(struct xp_bind_key)), 0,
		     "per-binding counters go with the binding");
}

/* ---- every status ---- */

TestSuite(lma, .init = setup_ts, .fini = teardown);

Test(lma, accepted_initial_registration_writes_every_map)
{
	struct pbu p = PBU(.llid = "mac-01");

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_eq(last_pba.ba.lifetime, 3600 / 4);
	cr_assert_eq(last_pba.opt.n_hnp, 1);
	cr_assert_eq(last_pba.opt.hnp[0].plen, 64);
	cr_assert(last_pba.opt.present & MH_HAS_TIMESTAMP);
	struct xp_prefix pool;
	xp_prefix_parse("2001:db8:100::/40", &pool);
	cr_assert(xp_prefix_contains(&pool, &last_pba.opt.hnp[0].prefix));

	struct bce *b = bcache_get(lma_bcache(L), "mn1@x", 1);
	cr_assert_not_null(b);
	uint32_t idx = b->mn->idx;
	char host[64];
	snprintf(host, sizeof(host), "%.*s1", (int)(strlen(pfx_str(0)) - 3), pfx_str(0));	/* <prefix>::1 */

	struct xp_prefix_val pv;
	cr_assert_eq(pfx_lookup(host, &pv), 0, "no prefix entry for %s", host);
	cr_assert_eq(pv.mn_id, idx);
	cr_assert_eq(pv.bid, 1);
	cr_assert_eq(pv.kind, XP_PFX_PERMANENT);
	struct xp_bind_val bv;
	cr_assert_eq(bind_lookup(idx, 1, &bv), 0);
	struct in6_addr m1 = A(MAG1), lma = A("2001:db8:ff::1");
	cr_assert_eq(memcmp(bv.peer.a8, &m1, 16), 0);
	cr_assert_eq(memcmp(bv.local.a8, &lma, 16), 0);
	cr_assert(bv.flags & XP_BF_ACTIVE);
	cr_assert_eq(bv.att, 4);
	struct xp_mn_val mv;
	cr_assert_eq(bpf_map_lookup_elem(maps.mn, &idx, &mv), 0);
	cr_assert(ul_has(MAG1, idx));
	cr_assert_eq(peer_refs(MAG1), 1);

	struct xp_bind_key bk = { .mn_id = idx, .bid = 1 };
	struct xp_bce_state st;
	cr_assert_eq(bpf_map_lookup_elem(maps.bce, &bk, &st), 0);
	cr_assert_str_eq(st.mn_id, "mn1@x");
	cr_assert_eq(st.deadline_rt_ms, T0_MS + 3600 * 1000);
	cr_assert_eq(st.n_hnp, 1);
	cr_assert_eq(st.llid_len, 6);
	cr_assert_eq(st.version, XP_BCE_VERSION);

	cr_assert_eq(lma_write_cfg(L), 0);
	__u32 zero = 0;
	struct xp_cfg c;
	cr_assert_eq(bpf_map_lookup_elem(maps.cfg, &zero, &c), 0);
	cr_assert_eq(c.role, XP_ROLE_LMA);
	cr_assert(c.flags & XP_CFG_F_ENABLED);
	cr_assert_eq(c.tunnel_mtu, 1500);
	cr_assert_eq(c.hop_limit, 64);
	cr_assert_eq(memcmp(c.local_addr.a8, &lma, 16), 0);
}

Test(lma, status_152_without_p_flag)
{
	struct pbu p = PBU(.no_p = true);

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_PROXY_REG_NOT_ENABLED);
	cr_assert_eq(bcache_count(lma_bcache(L)), 0);
}

Test(lma, status_154_unauthorized_mag)
{
	struct pbu p = PBU();

	cr_assert_eq(send_pbu(EVIL, &p), XP_PBA_MAG_NOT_AUTHORIZED);
	assert_maps_empty();
}

Test(lma, status_160_missing_mn_id)
{
	struct pbu p = PBU(.mn = NULL);

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_MISSING_MN_ID);
}

Test(lma, status_153_and_129_by_policy)
{
	struct pbu p = PBU(.mn = "elsewhere@x");

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_NOT_LMA_FOR_THIS_MN);
	p = PBU(.mn = "blocked@x");
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ADMIN_PROHIBITED);
	assert_maps_empty();
}

Test(lma, status_158_161_162_missing_options)
{
	struct pbu p = PBU(.n_hnp = -1);

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_MISSING_HNP);
	p = PBU(.hi = -1);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_MISSING_HI);
	p = PBU(.att = -1);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_MISSING_ATT);
	assert_maps_empty();
}

Test(lma, status_128_unknown_handoff_indicator)
{
	struct pbu p = PBU(.hi = 0);

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_UNSPECIFIED);
	p = PBU(.hi = 77);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_UNSPECIFIED);
}

Test(lma, status_155_prefix_of_another_mn)
{
	struct pbu p = PBU();

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	char owned[64];
	strcpy(owned, pfx_str(0));
	p = PBU(.mn = "mn2@x", .n_hnp = 1, .hnp = { owned }, .hi = 5);
	cr_assert_eq(send_pbu(MAG2, &p), XP_PBA_NOT_AUTHORIZED_FOR_HNP);
	/* a prefix outside the pool, nobody's */
	p = PBU(.mn = "mn2@x", .n_hnp = 1, .hnp = { "2001:db8:999::/64" }, .hi = 5);
	cr_assert_eq(send_pbu(MAG2, &p), XP_PBA_NOT_AUTHORIZED_FOR_HNP);
	cr_assert_eq(bcache_count(lma_bcache(L)), 1);
}

Test(lma, status_159_prefix_set_mismatch)
{
	struct pbu p = PBU(.mn = "two@x");

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_eq(last_pba.opt.n_hnp, 2);
	char first[64];
	strcpy(first, pfx_str(0));
	p = PBU(.mn = "two@x", .seq = 2, .n_hnp = 1, .hnp = { first }, .hi = 5);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_BCE_PREFIX_MISMATCH);
}

Test(lma, status_156_timestamp_window_and_missing)
{
	struct pbu p = PBU(.ts_skew_ms = WINDOW_MS + 50);

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_TIMESTAMP_MISMATCH);
	/* 5.3.6: the PBA carries the LMA's current time */
	cr_assert(last_pba.opt.present & MH_HAS_TIMESTAMP);
	cr_assert_eq(last_pba.opt.timestamp, ts_now());
	p = PBU(.ts_skew_ms = -(WINDOW_MS + 50));
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_TIMESTAMP_MISMATCH);
	p = PBU(.no_ts = true);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_TIMESTAMP_MISMATCH);
	/* inside the window, either side */
	p = PBU(.ts_skew_ms = WINDOW_MS - 50);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_eq(last_pba.opt.timestamp, ts_now() + ((WINDOW_MS - 50) * 65536) / 1000);
}

Test(lma, status_157_timestamp_lower_than_accepted)
{
	struct pbu p = PBU();

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	uint64_t first = ts_now();
	advance(100);
	p = PBU(.hi = 5, .ts = first - 1);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_TIMESTAMP_LOWER);
	p = PBU(.hi = 5, .ts = first);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_TIMESTAMP_LOWER);
	p = PBU(.hi = 5);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
}

Test(lma, status_130_pool_exhausted)
{
	teardown();
	setup_tiny();	/* the suite fixture ran first: replace it */
	struct pbu p = PBU(.mn = "a@x");

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	p = PBU(.mn = "b@x");
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	p = PBU(.mn = "c@x");
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_INSUFFICIENT_RESOURCES);
	cr_assert_eq(bcache_count(lma_bcache(L)), 2);
	cr_assert_null(bcache_mn(lma_bcache(L), "c@x"));
}

Test(lma, status_135_sequence_numbers)
{
	teardown();
	setup_seq();
	struct pbu p = PBU(.seq = 10, .no_ts = true);

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_not(last_pba.opt.present & MH_HAS_TIMESTAMP);
	p = PBU(.seq = 10, .no_ts = true, .hi = 5);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_SEQ_OUT_OF_WINDOW);
	cr_assert_eq(last_pba.ba.seq, 10);
	p = PBU(.seq = 9, .no_ts = true, .hi = 5);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_SEQ_OUT_OF_WINDOW);
	cr_assert_eq(last_pba.ba.seq, 10);
	p = PBU(.seq = 11, .no_ts = true, .hi = 5);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	/* wrap-around: 65535 -> 0 is newer */
	p = PBU(.mn = "w@x", .seq = 65535, .no_ts = true);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	p = PBU(.mn = "w@x", .seq = 0, .no_ts = true, .hi = 5);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
}

/* ---- handoff indicators ---- */

Test(lma, hi1_new_interface_creates_second_binding)
{
	struct pbu p = PBU(.llid = "ifA");

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	char a[64];
	strcpy(a, pfx_str(0));
	p = PBU(.llid = "ifB", .att = 3);
	cr_assert_eq(send_pbu(MAG2, &p), XP_PBA_ACCEPTED);
	cr_assert_str_neq(pfx_str(0), a);
	struct bc_mn *m = bcache_mn(lma_bcache(L), "mn1@x");
	cr_assert_eq(m->n_bce, 2);
	cr_assert_not_null(bcache_get(lma_bcache(L), "mn1@x", 2));
	cr_assert_eq(peer_refs(MAG1), 1);
	cr_assert_eq(peer_refs(MAG2), 1);
	cr_assert(ul_has(MAG1, m->idx));
	cr_assert(ul_has(MAG2, m->idx));
	cr_assert_eq(map_count(maps.bind, 8), 2);
	cr_assert_eq(map_count(maps.mn, 4), 1);
}

static void handoff(int hi, int new_att)
{
	struct pbu p = PBU(.llid = "ifA");

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	char a[64];
	strcpy(a, pfx_str(0));
	struct bce *b = bcache_get(lma_bcache(L), "mn1@x", 1);
	uint32_t idx = b->mn->idx;

	advance(1000);
	p = PBU(.hi = hi, .att = new_att, .seq = 2, .llid = new_att == 4 ? "ifA" : "ifB");
	cr_assert_eq(send_pbu(MAG2, &p), XP_PBA_ACCEPTED);
	cr_assert_str_eq(pfx_str(0), a, "the MN keeps its prefix");
	cr_assert_eq(bcache_count(lma_bcache(L)), 1);
	b = bcache_get(lma_bcache(L), "mn1@x", 1);
	struct in6_addr m2 = A(MAG2);
	cr_assert_eq(memcmp(&b->pcoa, &m2, 16), 0);
	cr_assert_eq(b->hi, hi);
	struct xp_bind_val bv;
	cr_assert_eq(bind_lookup(idx, 1, &bv), 0);
	cr_assert_eq(memcmp(bv.peer.a8, &m2, 16), 0);
	cr_assert(bv.flags & XP_BF_ACTIVE);
	cr_assert(ul_has(MAG2, idx));
	cr_assert_not(ul_has(MAG1, idx));
	cr_assert_eq(peer_refs(MAG1), 0);
	cr_assert_eq(peer_refs(MAG2), 1);
	struct xp_bind_key bk = { .mn_id = idx, .bid = 1 };
	struct xp_bce_state st;
	cr_assert_eq(bpf_map_lookup_elem(maps.bce, &bk, &st), 0);
	cr_assert_eq(memcmp(st.pcoa.a8, &m2, 16), 0);
	cr_assert_eq(st.hi, hi);
}

Test(lma, hi3_inter_access_handoff_updates_proxy_coa) { handoff(XP_HI_IAHO, 4); }
Test(lma, hi2_inter_interface_handoff_updates_proxy_coa) { handoff(XP_HI_IIHO, 3); }
Test(lma, hi4_unknown_with_matching_binding_is_a_handoff) { handoff(XP_HI_UNKNOWN, 4); }

Test(lma, hi4_unknown_without_binding_creates)
{
	struct pbu p = PBU(.hi = XP_HI_UNKNOWN);

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_eq(bcache_count(lma_bcache(L)), 1);
	/* a different access technology: not the same interface, a new session */
	p = PBU(.hi = XP_HI_UNKNOWN, .att = 8, .seq = 2);
	cr_assert_eq(send_pbu(MAG2, &p), XP_PBA_ACCEPTED);
	cr_assert_eq(bcache_count(lma_bcache(L)), 2);
}

/* ---- HI 6, RFC 7864 3.2.1: attachment over a new interface sharing prefixes ---- */

/* The MN's first interface at MAG1; returns its prefix (static buffer) */
static const char *first_interface(const char *llid)
{
	static char hnp[64];
	struct pbu p = PBU(.llid = llid);

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	strcpy(hnp, pfx_str(0));
	return hnp;
}

static void assert_one_prefix_in_pba(const char *hnp)
{
	cr_assert_eq(last_pba.opt.n_hnp, 1);
	cr_assert_str_eq(pfx_str(0), hnp, "the PBA hands out the shared prefix");
}

Test(lma, hi6_rule1_same_llid_and_att_updates_that_binding)
{
	const char *hnp = first_interface("ifA");
	struct pbu p = PBU(.hi = XP_HI_NEW_IF_SHARED, .seq = 2, .llid = "ifA", .n_hnp = 1,
			   .hnp = { hnp });

	advance(1000);
	cr_assert_eq(send_pbu(MAG2, &p), XP_PBA_ACCEPTED);
	assert_one_prefix_in_pba(hnp);
	struct bc_mn *m = bcache_mn(lma_bcache(L), "mn1@x");
	cr_assert_eq(m->n_bce, 1, "rule 1: the request updates the binding it matches");
	struct bce *b = bcache_get(lma_bcache(L), "mn1@x", 1);
	struct in6_addr m2 = A(MAG2);
	cr_assert_eq(memcmp(&b->pcoa, &m2, 16), 0);
	cr_assert_eq(map_count(maps.bind, 8), 1);
}

static void hi6_new_session(const struct pbu *p2)
{
	const char *hnp = first_interface("ifA");
	struct bc_mn *m;

	advance(1000);
	cr_assert_eq(send_pbu(MAG2, p2), XP_PBA_ACCEPTED);
	assert_one_prefix_in_pba(hnp);
	m = bcache_mn(lma_bcache(L), "mn1@x");
	cr_assert_eq(m->n_bce, 2, "a new mobility session");
	struct bce *b1 = bcache_get(lma_bcache(L), "mn1@x", 1);
	struct bce *b2 = bcache_get(lma_bcache(L), "mn1@x", 2);
	cr_assert_not_null(b1);
	cr_assert_not_null(b2);
	struct in6_addr m1 = A(MAG1), m2 = A(MAG2);
	cr_assert_eq(memcmp(&b1->pcoa, &m1, 16), 0, "the first binding is untouched");
	cr_assert_eq(memcmp(&b2->pcoa, &m2, 16), 0);
	/* both sessions forward: one BID each in the data plane, both MAGs may send up */
	struct xp_bind_val bv;
	cr_assert_eq(bind_lookup(m->idx, 1, &bv), 0);
	cr_assert(bv.flags & XP_BF_ACTIVE);
	cr_assert_eq(bind_lookup(m->idx, 2, &bv), 0);
	cr_assert(bv.flags & XP_BF_ACTIVE);
	cr_assert(ul_has(MAG1, m->idx));
	cr_assert(ul_has(MAG2, m->idx));
	/* the shared prefix still leads to this MN */
	struct xp_prefix_val pv;
	struct xp_prefix x;
	char addr[64];
	cr_assert_eq(xp_prefix_parse(hnp, &x), 0);
	inet_ntop(AF_INET6, &x.addr, addr, sizeof(addr));
	strcat(addr, "1");
	cr_assert_eq(pfx_lookup(addr, &pv), 0, "%s", addr);
	cr_assert_eq(pv.mn_id, m->idx);
}

/* all-zero HNP: the new MAG does not know the prefix yet; the rules apply
 * to any binding of the MN (lma.c match_shared) */
Test(lma, hi6_rule2_other_llid_creates_a_session_sharing_the_prefix)
{
	struct pbu p = PBU(.hi = XP_HI_NEW_IF_SHARED, .seq = 2, .llid = "ifB", .att = 3);

	hi6_new_session(&p);
}

Test(lma, hi6_rule2_nonzero_prefix_other_llid)
{
	const char *hnp = first_interface("ifA");
	struct pbu p = PBU(.hi = XP_HI_NEW_IF_SHARED, .seq = 2, .llid = "ifB", .att = 3, .n_hnp = 1,
			   .hnp = { hnp });

	advance(1000);
	cr_assert_eq(send_pbu(MAG2, &p), XP_PBA_ACCEPTED);
	assert_one_prefix_in_pba(hnp);
	cr_assert_eq(bcache_mn(lma_bcache(L), "mn1@x")->n_bce, 2);
}

Test(lma, hi6_rule3_no_llid_creates_a_session_sharing_the_prefix)
{
	struct pbu p = PBU(.hi = XP_HI_NEW_IF_SHARED, .seq = 2);

	hi6_new_session(&p);
}

Test(lma, hi6_with_a_prefix_the_mn_does_not_hold_is_refused)
{
	first_interface("ifA");
	struct pbu p = PBU(.hi = XP_HI_NEW_IF_SHARED, .seq = 2, .llid = "ifB", .n_hnp = 1,
			   .hnp = { "2001:db8:200::/64" });

	advance(1000);
	cr_assert_neq(send_pbu(MAG2, &p), XP_PBA_ACCEPTED);
	cr_assert_eq(bcache_mn(lma_bcache(L), "mn1@x")->n_bce, 1, "no session was created");
}

Test(lma, hi1_after_hi6_gets_prefixes_of_its_own)
{
	const char *hnp = first_interface("ifA");
	char first[64];
	struct pbu p = PBU(.hi = XP_HI_NEW_IF, .seq = 2, .llid = "ifB", .att = 3);

	strcpy(first, hnp);
	advance(1000);
	cr_assert_eq(send_pbu(MAG2, &p), XP_PBA_ACCEPTED);
	cr_assert_str_neq(pfx_str(0), first, "without HI 6, RFC 5213: a prefix of its own");
	cr_assert_eq(bcache_mn(lma_bcache(L), "mn1@x")->n_bce, 2);
}

Test(lma, hi5_reregistration_extends_lifetime)
{
	struct pbu p = PBU();

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	char a[64];
	strcpy(a, pfx_str(0));
	advance(3000 * 1000);
	p = PBU(.hi = 5, .seq = 2, .n_hnp = 1, .hnp = { a });
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_str_eq(pfx_str(0), a);
	struct bce *b = bcache_get(lma_bcache(L), "mn1@x", 1);
	cr_assert_eq(b->deadline_rt_ms, fake_rt + 3600 * 1000);
	advance(1000 * 1000);	/* past the first lifetime */
	lma_run_timers(L);
	cr_assert_eq(bcache_count(lma_bcache(L)), 1);
	/* HI 5 with a zero prefix from the same MAG also refreshes */
	p = PBU(.hi = 5, .seq = 3);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_str_eq(pfx_str(0), a);
	cr_assert_eq(bcache_count(lma_bcache(L)), 1);
}

Test(lma, lifetime_is_capped_by_policy_and_config)
{
	struct pbu p = PBU(.lifetime_s = 60000);

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_eq(last_pba.ba.lifetime, 3600 / 4);
	p = PBU(.mn = "short@x");
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_eq(last_pba.ba.lifetime, 40 / 4);
}

Test(lma, static_prefix_from_policy)
{
	struct pbu p = PBU(.mn = "fixed@x");

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_str_eq(pfx_str(0), "2001:db8:200::/64");
	/* asking for it explicitly works too (after a de-registration) */
	advance(10);
	p = PBU(.mn = "fixed@x", .seq = 2, .lifetime_s = 0, .hi = 5);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	advance(MIN_DELAY_MS);
	lma_run_timers(L);
	cr_assert_eq(bcache_count(lma_bcache(L)), 0);
	p = PBU(.mn = "fixed@x", .seq = 3, .n_hnp = 1, .hnp = { "2001:db8:200::/64" }, .hi = 4);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_str_eq(pfx_str(0), "2001:db8:200::/64");
}

Test(lma, prefix_not_64_goes_to_the_trie)
{
	struct pbu p = PBU(.mn = "wide@x");
	struct xp_prefix_val pv;

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_str_eq(pfx_str(0), "2001:db8:300::/60");
	cr_assert_eq(pfx_lookup("2001:db8:300:f::1", &pv), 0);
	cr_assert_eq(pv.mn_id, bcache_mn(lma_bcache(L), "wide@x")->idx);
	cr_assert_eq(map_count(maps.pfx, sizeof(struct xp_prefix_key)), 1);
	cr_assert_eq(map_count(maps.pfx64, sizeof(struct xp_prefix64_key)), 0);
	cr_assert_neq(pfx_lookup("2001:db8:300:10::1", &pv), 0);
}

/* ---- de-registration and expiry ---- */

Test(lma, deregistration_waits_min_delay_then_removes_everything)
{
	struct pbu p = PBU();

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	uint32_t idx = bcache_mn(lma_bcache(L), "mn1@x")->idx;
	char a[64];
	strcpy(a, pfx_str(0));
	advance(500);
	p = PBU(.hi = 5, .seq = 2, .lifetime_s = 0, .n_hnp = 1, .hnp = { a });
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_eq(last_pba.ba.lifetime, 0);
	struct bce *b = bcache_get(lma_bcache(L), "mn1@x", 1);
	cr_assert_not_null(b);
	cr_assert_eq(b->state, BCE_DEREG);
	cr_assert_eq(map_count(maps.bstat, sizeof(struct xp_bind_key)), 1,
		     "the agent creates the binding's counters");
	struct xp_bind_val bv;
	cr_assert_eq(bind_lookup(idx, 1, &bv), 0);
	cr_assert_not(bv.flags & XP_BF_ACTIVE, "forwarding stops at de-registration");
	advance(MIN_DELAY_MS - 1);
	lma_run_timers(L);
	cr_assert_eq(bcache_count(lma_bcache(L)), 1);
	advance(1);
	lma_run_timers(L);
	cr_assert_eq(bcache_count(lma_bcache(L)), 0);
	assert_maps_empty();
	/* the prefix went back to the pool and comes back to the same MN */
	p = PBU(.seq = 3);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_str_eq(pfx_str(0), a);
}

Test(lma, handoff_during_dereg_wait_keeps_binding)
{
	struct pbu p = PBU();

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	advance(10);
	p = PBU(.hi = 5, .seq = 2, .lifetime_s = 0);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	advance(10);
	p = PBU(.hi = 3, .seq = 3);
	cr_assert_eq(send_pbu(MAG2, &p), XP_PBA_ACCEPTED);
	struct bce *b = bcache_get(lma_bcache(L), "mn1@x", 1);
	cr_assert_eq(b->state, BCE_ACTIVE);
	advance(MIN_DELAY_MS);
	lma_run_timers(L);
	cr_assert_eq(bcache_count(lma_bcache(L)), 1);
}

Test(lma, dereg_from_previous_mag_does_not_delete)
{
	struct pbu p = PBU();

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	char a[64];
	strcpy(a, pfx_str(0));
	advance(10);
	p = PBU(.hi = 3, .seq = 2);
	cr_assert_eq(send_pbu(MAG2, &p), XP_PBA_ACCEPTED);
	advance(10);
	/* MAG1 noticed the detach late and de-registers */
	p = PBU(.hi = 5, .seq = 3, .lifetime_s = 0, .n_hnp = 1, .hnp = { a });
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	struct bce *b = bcache_get(lma_bcache(L), "mn1@x", 1);
	cr_assert_eq(b->state, BCE_ACTIVE);
	struct in6_addr m2 = A(MAG2);
	cr_assert_eq(memcmp(&b->pcoa, &m2, 16), 0);
	advance(MIN_DELAY_MS * 2);
	lma_run_timers(L);
	cr_assert_eq(bcache_count(lma_bcache(L)), 1);
	cr_assert_eq(peer_refs(MAG2), 1);
}

Test(lma, dereg_of_unknown_binding_is_acknowledged)
{
	struct pbu p = PBU(.lifetime_s = 0, .hi = 5);

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_eq(bcache_count(lma_bcache(L)), 0);
}

Test(lma, lifetime_expiry_removes_binding)
{
	struct pbu p = PBU(.mn = "short@x");

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	advance(39 * 1000);
	lma_run_timers(L);
	cr_assert_eq(bcache_count(lma_bcache(L)), 1);
	advance(1000);
	lma_run_timers(L);
	cr_assert_eq(bcache_count(lma_bcache(L)), 0);
	assert_maps_empty();
	cr_assert_eq(lma_stats(L)->expired, 1);
}

/* ---- restart ---- */

Test(lma, restart_rebuilds_from_state_map)
{
	struct pbu p = PBU(.llid = "ifA");

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	char a[64];
	strcpy(a, pfx_str(0));
	p = PBU(.mn = "two@x");
	cr_assert_eq(send_pbu(MAG2, &p), XP_PBA_ACCEPTED);
	uint32_t idx1 = bcache_mn(lma_bcache(L), "mn1@x")->idx;
	uint64_t ts1 = bcache_get(lma_bcache(L), "mn1@x", 1)->last_ts;

	/* the daemon stops; the data plane maps are wiped to prove the rewrite */
	lma_free(L);
	struct xp_bind_key bk = { .mn_id = idx1, .bid = 1 };
	bpf_map_delete_elem(maps.bind, &bk);
	advance(60 * 1000);
	cr_assert_eq(lma_new(&cfg, NULL, &maps, &fake_clock, &L), 0);
	cr_assert_eq(lma_restore(L), 2);
	struct bce *b = bcache_get(lma_bcache(L), "mn1@x", 1);
	cr_assert_not_null(b);
	cr_assert_eq(b->mn->idx, idx1);
	cr_assert_eq(b->last_ts, ts1);
	cr_assert_eq(b->llid_len, 3);
	cr_assert_eq(b->deadline_rt_ms, T0_MS + 3600 * 1000);
	struct xp_bind_val bv;
	cr_assert_eq(bind_lookup(idx1, 1, &bv), 0, "binding rewritten");
	cr_assert_eq(bcache_get(lma_bcache(L), "two@x", 1)->n_hnp, 2);
	cr_assert_eq(peer_refs(MAG1), 1);
	cr_assert_eq(peer_refs(MAG2), 1);
	/* a refresh works; its timestamp is remembered across the restart */
	p = PBU(.hi = 5, .seq = 2, .llid = "ifA");
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_str_eq(pfx_str(0), a);
	lma_free(L);
	cr_assert_eq(lma_new(&cfg, NULL, &maps, &fake_clock, &L), 0);
	cr_assert_eq(lma_restore(L), 2);
	p = PBU(.hi = 5, .seq = 3, .llid = "ifA");	/* same timestamp as before */
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_TIMESTAMP_LOWER);
	/* the pool knows the restored prefixes are taken */
	p = PBU(.mn = "other@x");
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_str_neq(pfx_str(0), a);
	/* expiry still happens, from the restored deadline */
	fake_rt = T0_MS + 3600 * 1000;
	lma_run_timers(L);
	cr_assert_null(bcache_get(lma_bcache(L), "two@x", 1));
}

/* ---- robustness ---- */

Test(lma, malformed_and_other_messages_get_no_answer)
{
	uint8_t out[MH_MAX_MSG_LEN], junk[64];
	struct in6_addr src = A(MAG1), dst = A("2001:db8:ff::1");

	srand(7);
	for (int i = 0; i < 2000; i++) {
		size_t len = (size_t)(rand() % (int)sizeof(junk));

		for (size_t j = 0; j < len; j++)
			junk[j] = (uint8_t)rand();
		lma_handle_pbu(L, junk, len, &src, &dst, out, sizeof(out));
	}
	/* truncations of a valid PBU */
	uint8_t in[MH_MAX_MSG_LEN];
	struct pbu p = PBU();
	size_t n = encode_pbu(&p, in);
	for (size_t len = 0; len < n; len++)
		cr_assert_eq(lma_handle_pbu(L, in, len, &src, &dst, out, sizeof(out)), 0);
	/* a PBA sent to the LMA is ignored */
	struct mh_msg m;
	mh_msg_init(&m, XP_MH_TYPE_BA);
	int k = mh_encode(&m, in, sizeof(in));
	cr_assert_eq(lma_handle_pbu(L, in, (size_t)k, &src, &dst, out, sizeof(out)), 0);
	cr_assert_geq(lma_stats(L)->malformed, 1);
	cr_assert_eq(lma_stats(L)->ignored, 1);
}

/* `xpmipctl CMD --json` on the LMA: the output, to free */
static char *ctl_json(char *cmd)
{
	char *buf = NULL, *argv[] = { cmd, "--json", NULL };
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	cr_assert_not_null(out);
	cr_assert_eq(lma_ctl(L, 2, argv, out), 0);
	fclose(out);
	return buf;
}

/* 000: IFP and P per binding, the primary HoA and the downlink choice */
static void mn_lookup(uint32_t idx, struct xp_mn_val *v)
{
	cr_assert_eq(bpf_map_lookup_elem(maps.mn, &idx, v), 0);
}

Test(lma, ifp_downlink_choice_follows_priorities)
{
	/* MN-LL-IDs "ABCDEF" / "GHIJKL": 6 octets, modified EUI-64 IIDs */
	static const uint8_t iid1[8] = { 'A' ^ 2, 'B', 'C', 0xff, 0xfe, 'D', 'E', 'F' };
	static const uint8_t iid2[8] = { 'G' ^ 2, 'H', 'I', 0xff, 0xfe, 'J', 'K', 'L' };
	struct pbu p = PBU(.llid = "ABCDEF", .ifp = 1, .primary = true);
	struct xp_prefix p1, p2;
	struct xp_mn_val mv;
	struct xp_bind_val bv;
	uint32_t idx;

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_eq(last_pba.opt.llid_ifp, 1, "the PBA echoes IFP");
	cr_assert(last_pba.opt.llid_primary);
	xp_prefix_parse(pfx_str(0), &p1);
	idx = bcache_get(lma_bcache(L), "mn1@x", 1)->mn->idx;
	mn_lookup(idx, &mv);
	cr_assert_eq(mv.n_dl, 1);
	cr_assert_eq(mv.dl_bid[0], 1);
	cr_assert_eq(memcmp(mv.primary_hoa.a8, &p1.addr, 8), 0, "primary HoA: prefix 1 ...");
	cr_assert_eq(memcmp(mv.primary_hoa.a8 + 8, iid1, 8), 0, "... + IF1's IID");

	p = PBU(.llid = "GHIJKL", .ifp = 2);
	cr_assert_eq(send_pbu(MAG2, &p), XP_PBA_ACCEPTED);
	xp_prefix_parse(pfx_str(0), &p2);
	mn_lookup(idx, &mv);
	cr_assert_eq(mv.n_dl, 1);
	cr_assert_eq(mv.dl_bid[0], 2, "IF2 has the higher IFP");
	cr_assert_eq(memcmp(mv.primary_hoa.a8 + 8, iid1, 8), 0);
	cr_assert_eq(bind_lookup(idx, 2, &bv), 0);
	cr_assert_eq(bv.ifp, 2);
	cr_assert_not(bv.flags & XP_BF_PRIMARY);
	cr_assert_eq(memcmp(bv.hoa.a8, &p2.addr, 8), 0, "IF2's HoA: prefix 2 ...");
	cr_assert_eq(memcmp(bv.hoa.a8 + 8, iid2, 8), 0, "... + IF2's IID");
	cr_assert_eq(bind_lookup(idx, 1, &bv), 0);
	cr_assert(bv.flags & XP_BF_PRIMARY);
	cr_assert_eq(memcmp(bv.hoa.a8, mv.primary_hoa.a8, 16), 0);

	/* what the operator sees: IFP, P and the HoA downlink is rewritten to */
	{
		char *buf = ctl_json("bindings"), want[160], h2[INET6_ADDRSTRLEN],
		     h1[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, mv.primary_hoa.a8, h1, sizeof(h1));
		cr_assert_eq(bind_lookup(idx, 2, &bv), 0);
		inet_ntop(AF_INET6, bv.hoa.a8, h2, sizeof(h2));
		snprintf(want, sizeof(want), "\"ifp\":1,\"primary\":true,\"hoa\":\"%s\"", h1);
		cr_assert(strstr(buf, want), "%s lacks %s", buf, want);
		snprintf(want, sizeof(want), "\"ifp\":2,\"primary\":false,\"hoa\":\"%s\"", h2);
		cr_assert(strstr(buf, want), "%s lacks %s", buf, want);
		free(buf);
	}

	/* handover indication back to IF1 (a refresh with a new IFP) */
	advance(1000);
	p = PBU(.llid = "ABCDEF", .ifp = 3, .primary = true, .hi = XP_HI_NOT_CHANGED, .seq = 2,
		.n_hnp = 1, .hnp = { xp_prefix_str(&p1, (char[64]){ 0 }, 64) });
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	mn_lookup(idx, &mv);
	cr_assert_eq(mv.n_dl, 1);
	cr_assert_eq(mv.dl_bid[0], 1);

	/* equal IFPs: both, the primary first */
	advance(1000);
	p = PBU(.llid = "GHIJKL", .ifp = 3, .hi = XP_HI_NOT_CHANGED, .seq = 3, .n_hnp = 1,
		.hnp = { xp_prefix_str(&p2, (char[64]){ 0 }, 64) });
	cr_assert_eq(send_pbu(MAG2, &p), XP_PBA_ACCEPTED);
	mn_lookup(idx, &mv);
	cr_assert_eq(mv.n_dl, 2);
	cr_assert_eq(mv.dl_bid[0], 1);
	cr_assert_eq(mv.dl_bid[1], 2);

	/* IF1 de-registers: IF2 alone, the primary HoA is gone with it */
	advance(1000);
	p = PBU(.llid = "ABCDEF", .ifp = 3, .primary = true, .hi = XP_HI_NOT_CHANGED, .seq = 4,
		.lifetime_s = 0, .n_hnp = 1, .hnp = { xp_prefix_str(&p1, (char[64]){ 0 }, 64) });
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	mn_lookup(idx, &mv);
	cr_assert_eq(mv.n_dl, 1);
	cr_assert_eq(mv.dl_bid[0], 2);
}

/* The trie entries flagged XP_PFXF_HOA (000 5.2 /128s), in *a when one */
static int hoa_routes(struct in6_addr *a, struct xp_prefix_val *v)
{
	struct xp_prefix_key k, next;
	struct xp_prefix_val val;
	bool first = true;
	int n = 0;

	while (!bpf_map_get_next_key(maps.pfx, first ? NULL : &k, &next)) {
		first = false;
		k = next;
		cr_assert_eq(bpf_map_lookup_elem(maps.pfx, &k, &val), 0);
		if (!(val.flags & XP_PFXF_HOA))
			continue;
		cr_assert_eq(k.prefixlen, 128);
		cr_assert(val.flags & XP_PFXF_LONG, "wins over the /64 hash");
		if (a)
			memcpy(a, k.addr.a8, 16);
		if (v)
			*v = val;
		n++;
	}
	return n;
}

static void ua_pbu(const char *mag, const char *llid, uint16_t seq, uint16_t lifetime_s,
		   bool primary, const char *pfx)
{
	struct pbu p = PBU(.mn = "ua@x", .llid = llid, .ifp = 1, .primary = primary, .seq = seq,
			   .lifetime_s = lifetime_s, .hi = pfx ? XP_HI_NOT_CHANGED : XP_HI_NEW_IF,
			   .n_hnp = pfx ? 1 : 0, .hnp = { pfx });

	advance(1000);
	cr_assert_eq(send_pbu(mag, &p), XP_PBA_ACCEPTED);
}

/*
 * 000 5.2 (unique-address): IF2 shares IF1's prefix with an address of its
 * own; downlink to that address goes through IF2's binding because of a
 * /128 the agent keeps in xp_pfx_v1 (XP_PFXF_HOA), while the primary HoA
 * stays under the /64 (and the IFP choice). Added with the binding,
 * removed when it or the prefix's other owner goes, rebuilt and swept at
 * restart, shown by `prefixes`.
 */
Test(lma, unique_address_non_primary_hoa_gets_a_host_route)
{
	static const uint8_t iid2[8] = { 'G' ^ 2, 'H', 'I', 0xff, 0xfe, 'J', 'K', 'L' };
	struct xp_prefix_val v;
	struct in6_addr h, hoa2;
	char pfx[64], hs[INET6_ADDRSTRLEN], want[160];
	uint32_t idx;

	ua_pbu(MAG1, "ABCDEF", 1, 3600, true, NULL);
	strcpy(pfx, pfx_str(0));
	idx = bcache_get(lma_bcache(L), "ua@x", 1)->mn->idx;
	cr_assert_eq(hoa_routes(NULL, NULL), 0, "one interface: the /64 is enough");
	ua_pbu(MAG2, "GHIJKL", 1, 3600, false, NULL);
	cr_assert_str_eq(pfx_str(0), pfx, "the model shares IF1's prefix");

	/* one /128: IF2's HoA (prefix + IF2's IID), through binding 2 */
	cr_assert_eq(hoa_routes(&hoa2, &v), 1);
	cr_assert_eq(v.mn_id, idx);
	cr_assert_eq(v.bid, 2);
	cr_assert_eq(memcmp(hoa2.s6_addr + 8, iid2, 8), 0);
	inet_ntop(AF_INET6, &hoa2, hs, sizeof(hs));
	cr_assert_eq(pfx_lookup(hs, &v), 0);
	cr_assert_eq(v.bid, 2, "the data plane's lookup of HoA2 gives binding 2");
	{
		struct xp_mn_val mv;
		char ph[INET6_ADDRSTRLEN];

		mn_lookup(idx, &mv);
		inet_ntop(AF_INET6, mv.primary_hoa.a8, ph, sizeof(ph));
		cr_assert_eq(pfx_lookup(ph, &v), 0);
		cr_assert_eq(v.bid, 1, "the primary HoA: the /64, owner binding 1");
		cr_assert_not(v.flags & XP_PFXF_HOA);
	}
	/* the operator sees it */
	{
		char *buf = ctl_json("prefixes");

		snprintf(want, sizeof(want), "{\"prefix\":\"%s/128\",\"kind\":\"P\",\"level\":1,"
			 "\"mn_id\":\"ua@x\",\"bid\":2,", hs);
		cr_assert(strstr(buf, want), "%s lacks %s", buf, want);
		free(buf);
	}

	/* kill -9 + restart: the entry is rewritten (wiped here to prove it)
	 * and a pinned one no binding claims is removed */
	lma_free(L);
	{
		struct xp_prefix_key k = { .prefixlen = 128 };

		memcpy(k.addr.a8, &hoa2, 16);
		cr_assert_eq(bpf_map_delete_elem(maps.pfx, &k), 0);
		h = A("2001:db8:100::dead");
		memcpy(k.addr.a8, &h, 16);
		v = (struct xp_prefix_val){ .mn_id = idx, .bid = 2,
					    .flags = XP_PFXF_HOA | XP_PFXF_LONG };
		cr_assert_eq(bpf_map_update_elem(maps.pfx, &k, &v, BPF_ANY), 0);
	}
	cr_assert_eq(lma_new(&cfg, NULL, &maps, &fake_clock, &L), 0);
	cr_assert_eq(lma_restore(L), 2);
	cr_assert_eq(hoa_routes(&h, &v), 1, "rebuilt, the stale one swept");
	cr_assert_eq(memcmp(&h, &hoa2, 16), 0);
	cr_assert_eq(v.bid, 2);
	{	/* IFP and P survive too: the same primary HoA and choice */
		struct xp_mn_val mv;
		char ph[INET6_ADDRSTRLEN];

		cr_assert(bcache_get(lma_bcache(L), "ua@x", 1)->llid_primary);
		cr_assert_eq(bcache_get(lma_bcache(L), "ua@x", 2)->llid_ifp, 1);
		mn_lookup(idx, &mv);
		cr_assert_eq(mv.n_dl, 2, "equal IFPs");
		inet_ntop(AF_INET6, mv.primary_hoa.a8, ph, sizeof(ph));
		cr_assert_eq(pfx_lookup(ph, &v), 0);
		cr_assert_eq(v.bid, 1);
	}

	/* IF2 de-registers: the /128 goes at once (HoA2 falls back to the /64) */
	ua_pbu(MAG2, "GHIJKL", 2, 0, false, pfx);
	cr_assert_eq(hoa_routes(NULL, NULL), 0);
	advance(MIN_DELAY_MS);
	lma_run_timers(L);
	cr_assert_null(bcache_get(lma_bcache(L), "ua@x", 2));
	cr_assert_eq(hoa_routes(NULL, NULL), 0);

	/* IF2 comes back: the /128 with it; then IF1 goes: IF2 owns the /64
	 * now and needs no /128 */
	ua_pbu(MAG2, "GHIJKL", 3, 3600, false, NULL);
	cr_assert_str_eq(pfx_str(0), pfx);
	cr_assert_eq(hoa_routes(&h, &v), 1);
	cr_assert_eq(memcmp(&h, &hoa2, 16), 0);
	ua_pbu(MAG1, "ABCDEF", 2, 0, true, pfx);
	cr_assert_eq(hoa_routes(NULL, NULL), 0);
	cr_assert_eq(pfx_lookup(hs, &v), 0);
	cr_assert_eq(v.bid, 2, "the /64's owner is binding 2 now");
	advance(MIN_DELAY_MS);
	lma_run_timers(L);
	ua_pbu(MAG2, "GHIJKL", 4, 0, false, pfx);
	advance(MIN_DELAY_MS);
	lma_run_timers(L);
	assert_maps_empty();
}

/*
 * 000 5.3 (shared-address) with the primary HoA from the LMA policy (no P
 * flag needed): the second interface shares the prefix, its HoA is the
 * primary HoA (downlink to it over IF2 is a plain tunnel: the binding's
 * hoa equals the primary one), and no /128 is needed.
 */
Test(lma, shared_address_primary_hoa_from_the_policy)
{
	struct in6_addr ph = A("2001:db8:400::1");
	struct xp_mn_val mv;
	struct xp_bind_val bv;
	uint32_t idx;
	struct pbu p = PBU(.mn = "sa@x", .llid = "ABCDEF", .ifp = 1);

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_str_eq(pfx_str(0), "2001:db8:400::/64");
	idx = bcache_get(lma_bcache(L), "sa@x", 1)->mn->idx;
	mn_lookup(idx, &mv);
	cr_assert_eq(memcmp(mv.primary_hoa.a8, &ph, 16), 0, "the policy's primary HoA");
	advance(1000);
	p = PBU(.mn = "sa@x", .llid = "GHIJKL", .ifp = 2, .hi = XP_HI_NEW_IF);
	cr_assert_eq(send_pbu(MAG2, &p), XP_PBA_ACCEPTED);
	cr_assert_str_eq(pfx_str(0), "2001:db8:400::/64", "shared with IF2");
	mn_lookup(idx, &mv);
	cr_assert_eq(mv.n_dl, 1);
	cr_assert_eq(mv.dl_bid[0], 2);
	cr_assert_eq(memcmp(mv.primary_hoa.a8, &ph, 16), 0);
	cr_assert_eq(bind_lookup(idx, 2, &bv), 0);
	cr_assert_eq(memcmp(bv.hoa.a8, &ph, 16), 0, "IF2's HoA is the primary HoA: no RH2");
	cr_assert_eq(hoa_routes(NULL, NULL), 0);
}

Test(lma, no_maps_no_clock_still_answers)
{
	struct lma *l2;
	uint8_t in[MH_MAX_MSG_LEN], out[MH_MAX_MSG_LEN];
	struct in6_addr src = A(MAG1), dst = A("2001:db8:ff::1");
	struct pbu p = PBU(.no_ts = true);

	cr_assert_eq(lma_new(&cfg, NULL, NULL, NULL, &l2), 0);
	size_t n = encode_pbu(&p, in);
	int k = lma_handle_pbu(l2, in, n, &src, &dst, out, sizeof(out));
	cr_assert_gt(k, 0);
	cr_assert_eq(out[6], XP_PBA_TIMESTAMP_MISMATCH);
	lma_free(l2);
}

Test(lma, status_names)
{
	cr_assert_str_eq(mh_pba_status_name(0), "ACCEPTED");
	cr_assert_str_eq(mh_pba_status_name(154), "MAG_NOT_AUTHORIZED_FOR_PROXY_REG");
	cr_assert_str_eq(mh_pba_status_name(200), "UNKNOWN");
}

Test(lma, ctl_tables_and_json)
{
	struct pbu p = PBU();
	char *buf = NULL;
	size_t len = 0;

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	char a[64];
	strcpy(a, pfx_str(0));
	FILE *out = open_memstream(&buf, &len);
	char *argv1[] = { "bindings", NULL };
	cr_assert_eq(lma_ctl(L, 1, argv1, out), 0);
	char *argv2[] = { "bindings", "--json", NULL };
	cr_assert_eq(lma_ctl(L, 2, argv2, out), 0);
	char *argv3[] = { "prefixes", "--json", NULL };
	cr_assert_eq(lma_ctl(L, 2, argv3, out), 0);
	char *argv4[] = { "mag-peers", NULL };
	cr_assert_eq(lma_ctl(L, 1, argv4, out), 0);
	char *argv5[] = { "nonsense", NULL };
	cr_assert_eq(lma_ctl(L, 1, argv5, out), -ENOENT);
	char *argv6[] = { "bindings", "--bogus", NULL };
	cr_assert_eq(lma_ctl(L, 2, argv6, out), -EINVAL);
	fclose(out);
	cr_assert(strstr(buf, "mn1@x"));
	cr_assert(strstr(buf, "{\"bindings\":[{\"mn_id\":\"mn1@x\",\"bid\":1,"), "%s", buf);
	cr_assert(strstr(buf, a));
	cr_assert(strstr(buf, "2001:db8:a1::2        "), "%s", buf);
	free(buf);
}

/* The pinned state map: created once, reopened, a foreign layout refused */
Test(lma_state, pinned_map_open_reopen_and_mismatch)
{
	char dir[128];
	char path[192];

	snprintf(dir, sizeof(dir), "/sys/fs/bpf/xpmip-unit-%d", (int)getpid());
	if (mkdir(dir, 0700) && errno != EEXIST)
		cr_assert_fail("no bpf filesystem at /sys/fs/bpf: %s", strerror(errno));
	int fd = lma_state_map_open(dir, 0);
	cr_assert_geq(fd, 0, "%s", strerror(-fd));
	struct xp_bind_key k = { .mn_id = 7, .bid = 1 };
	struct xp_bce_state s;
	memset(&s, 0, sizeof(s));
	s.version = XP_BCE_VERSION;
	cr_assert_eq(bpf_map_update_elem(fd, &k, &s, BPF_ANY), 0);
	close(fd);
	fd = lma_state_map_open(dir, 0);
	cr_assert_geq(fd, 0);
	cr_assert_eq(bpf_map_lookup_elem(fd, &k, &s), 0, "the entry survived the reopen");
	close(fd);
	/* max_bindings changed since it was created: refused, left as it was */
	cr_assert_eq(lma_state_map_open(dir, 16), -ERANGE);
	fd = lma_state_map_open(dir, 0);
	cr_assert_geq(fd, 0);
	cr_assert_eq(bpf_map_lookup_elem(fd, &k, &s), 0, "the entry survived the refusal");
	close(fd);
	snprintf(path, sizeof(path), "%s/%s", dir, XP_MAP_BCE);
	cr_assert_eq(unlink(path), 0);
	/* a map of another layout under the same name */
	int bad = bpf_map_create(BPF_MAP_TYPE_HASH, NULL, sizeof(k), 64, 16, NULL);
	cr_assert_geq(bad, 0);
	cr_assert_eq(bpf_obj_pin(bad, path), 0);
	close(bad);
	cr_assert_eq(lma_state_map_open(dir, 0), -EPROTO);
	unlink(path);
	rmdir(dir);
}

/* ---- map full (issue 7): 130, and the bindings already there keep being
 * served ---- */

static unsigned int map_entries(int fd)
{
	struct xp_bind_key k, next;
	unsigned int n = 0;
	void *prev = NULL;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		k = next;
		prev = &k;
		n++;
	}
	return n;
}

/* Replace the map behind *fd with one of 2 entries and restart the LMA on it */
static void shrink_to_two(int *fd, size_t vsize, uint32_t flags)
{
	lma_free(L);
	close(*fd);
	*fd = mk(BPF_MAP_TYPE_HASH, sizeof(struct xp_bind_key), vsize, 2, flags);
	cr_assert_eq(lma_new(&cfg, NULL, &maps, &fake_clock, &L), 0);
}

static void map_full_keeps_serving(int fd)
{
	struct pbu p = PBU(.mn = "a@x");
	struct bce *a;
	char hnp[64];

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	p = PBU(.mn = "b@x");
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	p = PBU(.mn = "c@x");
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_INSUFFICIENT_RESOURCES, "the map is full");
	cr_assert_eq(bcache_count(lma_bcache(L)), 2);
	cr_assert_null(bcache_mn(lma_bcache(L), "c@x"), "nothing half-made of c");
	cr_assert_eq(map_entries(fd), 2);
	cr_assert_eq(map_entries(maps.bind), 2, "no data plane binding for c");
	/* a keeps being served: its refresh is accepted */
	cr_assert_not_null(bcache_mn(lma_bcache(L), "a@x"));
	a = bcache_mn(lma_bcache(L), "a@x")->bces;
	cr_assert_not_null(a);
	xp_prefix_str(&a->hnp[0], hnp, sizeof(hnp));
	fake_rt += 1000;
	p = PBU(.mn = "a@x", .seq = 2, .hi = XP_HI_NOT_CHANGED, .n_hnp = 1, .hnp = { hnp });
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED, "refresh of an existing binding");
	/* once a leaves, c fits */
	fake_rt += 1000;
	p = PBU(.mn = "a@x", .seq = 3, .hi = XP_HI_NOT_CHANGED, .n_hnp = 1, .hnp = { hnp },
		.lifetime_s = 0);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	fake_rt += 60000;
	lma_run_timers(L);
	fake_rt += 1000;
	p = PBU(.mn = "c@x", .seq = 4);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED, "room again");
}

Test(lma, status_130_data_plane_map_full)
{
	shrink_to_two(&maps.bind, sizeof(struct xp_bind_val), 0);
	map_full_keeps_serving(maps.bind);
}

Test(lma, status_130_state_map_full)
{
	shrink_to_two(&maps.bce, sizeof(struct xp_bce_state), BPF_F_NO_PREALLOC);
	map_full_keeps_serving(maps.bce);
}

/* ---- 004: Multihoming option and MAG filters ---- */

/* a Flow Identification option: UDP to dport, forward unless act says */
static struct mh_flow_id filt(uint16_t fid, uint16_t pri, uint16_t dport, int act)
{
	struct mh_flow_id f;

	memset(&f, 0, sizeof(f));
	f.fid = fid;
	f.fid_pri = pri;
	if (dport) {
		f.has_ts = true;
		f.ts.format = XP_TS_FMT_IPV6;
		f.ts.flags = XP_TS6_K_DPORT_START | XP_TS6_O_NH_START;
		f.ts.dport_start = dport;
		f.ts.nh_start = XP_IPPROTO_UDP;
	}
	if (act >= 0) {
		f.has_action = true;
		f.action = (uint8_t)act;
	}
	return f;
}

static const struct fm_entry *mag_filter(uint16_t fid)
{
	return fmcache_get(lma_fmcache(L), "mn1@x", FM_ORIGIN_MAG, 0, fid);
}

/* the PBA's Flow Identification option for fid, or NULL */
static const struct mh_flow_id *pba_flow(uint16_t fid)
{
	for (uint8_t i = 0; i < last_pba.opt.n_flow_id; i++)
		if (last_pba.opt.flow_id[i].fid == fid)
			return &last_pba.opt.flow_id[i];
	return NULL;
}

static int pba_status(uint16_t fid)
{
	const struct mh_flow_id *f = pba_flow(fid);

	cr_assert_not_null(f, "no Flow Identification option for FID %u in the PBA", fid);
	return f->status;
}

/* MAG1 with filter 1 (dport 5001), MAG2 with filter 2 (dport 5002), both
 * in group 0: one session, two bindings sharing the HNP */
static void two_mags(void)
{
	struct mh_flow_id f1 = filt(1, 10, 5001, -1), f2 = filt(2, 20, 5002, XP_FBA_FORWARD);
	struct pbu p = PBU(.llid = "ifA", .mhgid = 0, .flow = &f1, .n_flow = 1);
	char a[64];

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert(last_pba.opt.present & MH_HAS_MULTIHOMING, "the PBA echoes the option");
	cr_assert_eq(last_pba.opt.mhgid, 0);
	cr_assert_eq(pba_status(1), XP_FID_S_SUCCESS);
	strcpy(a, pfx_str(0));
	p = PBU(.llid = "ifB", .att = 3, .mhgid = 0, .flow = &f2, .n_flow = 1);
	cr_assert_eq(send_pbu(MAG2, &p), XP_PBA_ACCEPTED);
	cr_assert_eq(pba_status(2), XP_FID_S_SUCCESS);
	cr_assert_str_eq(pfx_str(0), a, "same HNP: one mobility session (004 section 2)");
}

Test(lma, mh_two_mags_one_session_each_filter_on_its_binding)
{
	two_mags();
	struct bc_mn *m = bcache_mn(lma_bcache(L), "mn1@x");
	cr_assert_eq(m->n_bce, 2);
	struct bce *b1 = bcache_get(lma_bcache(L), "mn1@x", 1);
	struct bce *b2 = bcache_get(lma_bcache(L), "mn1@x", 2);
	cr_assert((b1->flags & BCE_F_MH) && (b2->flags & BCE_F_MH));
	cr_assert_eq(mag_filter(1)->bid[0], 1);
	cr_assert_eq(mag_filter(2)->bid[0], 2);
	cr_assert_eq(mag_filter(2)->action, XP_FBA_FORWARD);
	/* the data plane's selector walk: FID-PRI order, each to its binding */
	struct xp_flow_set set;
	cr_assert_eq(bpf_map_lookup_elem(maps.fsel, &m->idx, &set), 0);
	cr_assert_eq(set.n, 2);
	cr_assert_eq(set.sel[0].fid, 1);
	cr_assert_eq(set.sel[0].bid, 1);
	cr_assert_eq(set.sel[0].dport_lo, 5001);
	cr_assert_eq(set.sel[1].fid, 2);
	cr_assert_eq(set.sel[1].bid, 2);
	/* a renewal from MAG2 (HI 5, its prefix) stays on binding 2 */
	struct mh_flow_id f2 = filt(2, 20, 5002, XP_FBA_FORWARD);
	advance(1000);
	struct pbu p = PBU(.llid = "ifB", .att = 3, .hi = 5, .seq = 2, .mhgid = 0, .flow = &f2,
			   .n_flow = 1, .n_hnp = 1, .hnp = { pfx_str(0) });
	cr_assert_eq(send_pbu(MAG2, &p), XP_PBA_ACCEPTED);
	cr_assert_eq(m->n_bce, 2);
	cr_assert_eq(pba_status(2), XP_FID_S_SUCCESS);
}

Test(lma, mh_filters_modified_deleted_and_refused)
{
	two_mags();
	/* modify FID 1 on renewal: dport 6001, drop */
	struct mh_flow_id f[4] = { filt(1, 5, 6001, XP_FBA_DROP) };
	advance(1000);
	struct pbu p = PBU(.llid = "ifA", .hi = 5, .seq = 2, .mhgid = 0, .flow = f, .n_flow = 1);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_eq(pba_status(1), XP_FID_S_SUCCESS);
	cr_assert_eq(mag_filter(1)->ts.dport_start, 6001);
	cr_assert_eq(mag_filter(1)->action, XP_FBA_DROP);
	cr_assert_eq(mag_filter(1)->fid_pri, 5);
	/* MAG2's filter is not MAG1's: 129; unknown FID deleted: 132; an IPv4
	 * selector: 133; a range upside down: 130 */
	f[0] = filt(2, 20, 7000, -1);
	f[1] = filt(9, 1, 0, XP_FBA_DELETE);
	f[2] = filt(3, 1, 80, -1);
	f[2].ts.format = XP_TS_FMT_IPV4;
	f[2].ts.flags = XP_TS4_I_DPORT_START;
	f[3] = filt(4, 1, 90, -1);
	f[3].ts.flags |= XP_TS6_L_DPORT_END;
	f[3].ts.dport_end = 80;
	advance(1000);
	p = PBU(.llid = "ifA", .hi = 5, .seq = 3, .mhgid = 0, .flow = f, .n_flow = 4);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED, "filter statuses never fail the PBU");
	cr_assert_eq(pba_status(2), XP_FID_S_REJECTED);
	cr_assert_eq(pba_status(9), XP_FID_S_FID_NOT_FOUND);
	cr_assert_eq(pba_status(3), XP_FID_S_TS_FMT_UNSUPP);
	cr_assert_eq(pba_status(4), XP_FID_S_MALFORMED);
	cr_assert_eq(mag_filter(2)->ts.dport_start, 5002, "MAG2's filter unchanged");
	cr_assert_null(mag_filter(3));
	cr_assert_null(mag_filter(4));
	/* delete FID 1 */
	f[0] = filt(1, 0, 0, XP_FBA_DELETE);
	advance(1000);
	p = PBU(.llid = "ifA", .hi = 5, .seq = 4, .mhgid = 0, .flow = f, .n_flow = 1);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_eq(pba_status(1), XP_FID_S_SUCCESS);
	cr_assert_null(mag_filter(1));
	struct xp_flow_set set;
	uint32_t idx = bcache_mn(lma_bcache(L), "mn1@x")->idx;
	cr_assert_eq(bpf_map_lookup_elem(maps.fsel, &idx, &set), 0);
	cr_assert_eq(set.n, 1);
	cr_assert_eq(set.sel[0].fid, 2);
}

Test(lma, mh_removal_keep_reinstantiates_on_the_other_binding)
{
	two_mags();
	advance(1000);
	struct pbu p = PBU(.llid = "ifB", .att = 3, .hi = 4, .seq = 2, .lifetime_s = 0, .mhgid = 0,
			   .act = XP_MH_ACT_KEEP);
	cr_assert_eq(send_pbu(MAG2, &p), XP_PBA_ACCEPTED);
	cr_assert_null(mag_filter(2));
	const struct fm_entry *r = mag_filter(MHF_REINST_FID_TOP);
	cr_assert_not_null(r, "re-instantiated with a new FID");
	cr_assert_eq(r->bid[0], 1);
	cr_assert_eq(r->fid_pri, 20);
	cr_assert_eq(r->action, XP_FBA_FORWARD);
	cr_assert_eq(r->ts.dport_start, 5002);
	cr_assert(r->eflags & FM_EF_REINSTANTIATED);
	/* the data plane sends dport 5002 to binding 1 now */
	struct xp_flow_set set;
	uint32_t idx = bcache_mn(lma_bcache(L), "mn1@x")->idx;
	cr_assert_eq(bpf_map_lookup_elem(maps.fsel, &idx, &set), 0);
	cr_assert_eq(set.n, 2);
	cr_assert_eq(set.sel[1].fid, MHF_REINST_FID_TOP);
	cr_assert_eq(set.sel[1].bid, 1);
	/* MAG1's next exchange reports it: marker, selector, action */
	advance(1000);
	p = PBU(.llid = "ifA", .hi = 5, .seq = 2, .mhgid = 0);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	const struct mh_flow_id *f = pba_flow(MHF_REINST_FID_TOP);
	cr_assert_not_null(f);
	cr_assert_eq(f->reserved, XP_FID_F_REINSTANTIATED);
	cr_assert_eq(f->status, XP_FID_S_SUCCESS);
	cr_assert_eq(f->fid_pri, 20);
	cr_assert(f->has_ts && f->ts.dport_start == 5002);
	cr_assert(f->has_action && f->action == XP_FBA_FORWARD);
	cr_assert_null(pba_flow(1), "its own filters are not repeated");
	/* MAG1 may delete what it holds now */
	struct mh_flow_id d = filt(MHF_REINST_FID_TOP, 0, 0, XP_FBA_DELETE);
	advance(1000);
	p = PBU(.llid = "ifA", .hi = 5, .seq = 3, .mhgid = 0, .flow = &d, .n_flow = 1);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED);
	cr_assert_eq(pba_status(MHF_REINST_FID_TOP), XP_FID_S_SUCCESS);
	cr_assert_null(mag_filter(MHF_REINST_FID_TOP));
}

Test(lma, mh_removal_remove_deletes_the_filters)
{
	two_mags();
	advance(1000);
	struct pbu p = PBU(.llid = "ifB", .att = 3, .hi = 4, .seq = 2, .lifetime_s = 0, .mhgid = 0,
			   .act = XP_MH_ACT_REMOVE);
	cr_assert_eq(send_pbu(MAG2, &p), XP_PBA_ACCEPTED);
	cr_assert_null(mag_filter(2));
	cr_assert_null(mag_filter(MHF_REINST_FID_TOP));
	cr_assert_not_null(mag_filter(1), "MAG1's filter stays");
	/* the last binding expires: its filters go with it */
	fake_rt = T0_MS + 3600 * 1000;
	lma_run_timers(L);
	cr_assert_null(mag_filter(1));
	cr_assert_eq(fmcache_count(lma_fmcache(L)), 0);
}

Test(lma, mh_restart_keeps_the_session)
{
	two_mags();
	lma_free(L);
	cr_assert_eq(lma_new(&cfg, NULL, &maps, &fake_clock, &L), 0);
	cr_assert_eq(lma_restore(L), 2);
	struct bce *b2 = bcache_get(lma_bcache(L), "mn1@x", 2);
	cr_assert(b2->flags & BCE_F_MH);
	cr_assert_eq(mag_filter(2)->bid[0], 2);
	advance(1000);
	struct pbu p = PBU(.llid = "ifB", .att = 3, .hi = 4, .seq = 2, .lifetime_s = 0, .mhgid = 0,
			   .act = XP_MH_ACT_KEEP);
	cr_assert_eq(send_pbu(MAG2, &p), XP_PBA_ACCEPTED);
	cr_assert_eq(mag_filter(MHF_REINST_FID_TOP)->bid[0], 1);
}

static void setup_no_mh(void)
{
	lma_extra = "  multihoming = false;\n";
	start("2001:db8:100::/40", true);
	lma_extra = "";
}

static void setup_no_reinst(void)
{
	lma_extra = "  mh_reinstantiation = false;\n";
	start("2001:db8:100::/40", true);
	lma_extra = "";
}

Test(lma_nomh, status_190_mh_not_supported, .init = setup_no_mh, .fini = teardown)
{
	struct mh_flow_id f1 = filt(1, 10, 5001, -1);
	struct pbu p = PBU(.llid = "ifA", .mhgid = 0, .flow = &f1, .n_flow = 1);

	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_MH_NOT_SUPPORTED_DEFAULT);
	cr_assert_eq(bcache_count(lma_bcache(L)), 0);
	cr_assert_eq(fmcache_count(lma_fmcache(L)), 0);
	advance(1000);
	p = PBU(.llid = "ifA", .seq = 2);
	cr_assert_eq(send_pbu(MAG1, &p), XP_PBA_ACCEPTED, "without the option: RFC 5213");
}

Test(lma_nomh, status_191_reinstantiation_not_supported, .init = setup_no_reinst,
     .fini = teardown)
{
	two_mags();
	advance(1000);
	struct pbu p = PBU(.llid = "ifB", .att = 3, .hi = 4, .seq = 2, .lifetime_s = 0, .mhgid = 0,
			   .act = XP_MH_ACT_KEEP);
	cr_assert_eq(send_pbu(MAG2, &p), XP_PBA_MH_REINST_NOT_SUPPORTED_DEFAULT);
	cr_assert_eq(bcache_get(lma_bcache(L), "mn1@x", 2)->state, BCE_ACTIVE, "nothing changed");
	cr_assert_not_null(mag_filter(2));
	advance(1000);
	p = PBU(.llid = "ifB", .att = 3, .hi = 4, .seq = 3, .lifetime_s = 0, .mhgid = 0,
		.act = XP_MH_ACT_REMOVE);
	cr_assert_eq(send_pbu(MAG2, &p), XP_PBA_ACCEPTED);
	cr_assert_null(mag_filter(2));
}
