// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pktcost - per-packet cost of every user-plane path, with 1 .. 1M MNs in
 * the maps, measured with BPF_PROG_TEST_RUN.
 *
 * Why repeat = 1 and not a large repeat count: a test run with repeat > 1
 * feeds the program the buffer the previous repetition left behind, and
 * our paths grow (encap) or shrink (decap) the packet and rewrite hop
 * limits, so from the second repetition on they would measure a different,
 * usually failing, path. Each sample here is one fresh packet copied in by
 * the syscall; the kernel times only the program run (bpf_test_timer). The
 * timer's own overhead is the same for every program, so a trivial XDP
 * program (xp_pass) measured in the same rounds is the floor, and the table
 * reports both the raw median and the median above the floor.
 *
 * Every sample's verdict is checked: a path that does not return the
 * action it is meant to exercise aborts the benchmark instead of timing a
 * drop.
 *
 * TC programs (the LMA's equal-IFP xp_lma_dup, the MN helper's
 * xp_mn_egress / xp_mn_ingress) are timed the same way on an skb; their
 * floor is a trivial TC program (xb_tc_pass), since an skb test run costs
 * more than an XDP one before the program starts.
 *
 * Component rows ("group":"component"): probes (tests/bench/bpf/
 * pktcost_probe.bpf.c) that do the first k map lookups of the LMA downlink
 * on the LMA's own maps and nothing else, in the same rounds: the step
 * from one to the next is what that lookup costs at that MN count.
 *
 * Output: one JSON object per line (path, group, mns, median_ns, p10, p90,
 * floor_ns) for tests/bench/run.sh to tabulate.
 *
 *   pktcost [SIZES]            SIZES: how many MN counts (1, 10k, 100k, 1M)
 *   PKTCOST_ONLY=N,M,.. pktcost  the usual rounds and output, for these paths
 *                              (indices in path_name) and the floors only:
 *                              an A/B without the other rows in between
 *   PKTCOST_PATH=N PKTCOST_ROUNDS=R pktcost 1
 *                              only path N (index in path_name, 0 = floor),
 *                              R rounds: a steady load for `perf record`
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/pkt_cls.h>

#include "bpftest.h"
#include "ifp_pkt.h"
#include "ipv6_ext.h"
#include "pkt.h"
#include "pfxmap.h"
#include "xpmip_maps.h"
#include "xpmip_wire.h"

#include "lma.skel.h"
#include "mag.skel.h"
#include "mn.skel.h"
#include "pass.skel.h"
#include "pktcost_probe.skel.h"

#define ROUNDS		5	/* interleaved rounds; the spread is across them */
#define SAMPLES		4000	/* packets per path per round */
#define LMA_ADDR	"2001:db8:1::1"
#define PEER_ADDR	"2001:db8:1::2"	/* MAG (for the LMA) / LMA (for the MAG) */
#define PEER2_ADDR	"2001:db8:1::3"	/* the MAG of the equal-IFP MNs' second interface */
#define CN_ADDR		"2001:db8:99::9"
#define MN_BASE		0x20010db8u	/* MN i owns 2001:db8:<1000 + i>::/64 style */

#define XP_BENCH_MAX_CPUS	1024	/* per-CPU value buffer */

static const uint32_t sizes[] = { 1, 10000, 100000, 1000000 };
static uint32_t n_sizes = sizeof(sizes) / sizeof(sizes[0]);

/* MN i's /64: 2001:0db8:8000:0000 + i in the third and fourth groups */
static void mn_prefix(uint32_t i, union xp_addr6 *a)
{
	memset(a, 0, sizeof(*a));
	a->a32[0] = htonl(MN_BASE);
	a->a32[1] = htonl(0x80000000u | i);
}

/* MN i's addresses in its /64: ::10 its address on the primary interface,
 * ::20 its primary HoA, ::30 the HoA of its second (non-primary) interface */
#define MN_HOST		0x10
#define MN_PRIMARY_HOA	0x20
#define MN_HOA2		0x30

static void mn_addr(uint32_t i, uint8_t host, union xp_addr6 *a)
{
	mn_prefix(i, a);
	a->a8[15] = host;
}

static void mn_addr_str(uint32_t i, uint8_t host, char *s, size_t cap)
{
	union xp_addr6 a;

	mn_addr(i, host, &a);
	inet_ntop(AF_INET6, a.a8, s, (socklen_t)cap);
}

/*
 * NO_PREALLOC maps allocate from the BPF memory allocator, which refills its
 * per-CPU caches asynchronously: a burst of inserts from one syscall loop
 * can see a transient ENOMEM long before the map is full. Retry briefly.
 */
static int update_retry(int fd, const void *k, const void *v)
{
	for (int tries = 0; tries < 1000; tries++) {
		if (!bpf_map_update_elem(fd, k, v, BPF_ANY))
			return 0;
		if (errno != ENOMEM)
			return -1;
		sched_yield();
	}
	return -1;
}

struct maps {
	int pfx, bind, ul, mn, bstat, pfx64;
	int bind_pre;	/* a preallocated copy of xp_bind_v1 (probe), or -1 */
	int bstat_pc;	/* the counters per CPU, as xp_bstat_v1 (probe), or -1 */
	int bstat_sh;	/* the same in one value, as xp_bstat_v2 (probe), or -1 */
	int lpm_only;	/* the previous design: every prefix in the trie */
	int ifp;	/* an xp_mn_v1 entry per MN, and for every IFP_EVERY-th MN
			 * (000) a second, non-primary binding (bid 2) chosen for
			 * its primary HoA, so that packets to it take the Type 2
			 * routing header path (as user/ifp.c sets it up). Not
			 * every MN: two per-CPU counter entries per MN for 1M MNs
			 * exhaust the per-CPU allocator here (ENOMEM). Every
			 * IFP_EVERY-th MN plus IFP_EVERY / 2 has two equal-IFP
			 * bindings instead (n_dl 2: xp_lma_dup sends a copy down
			 * each, the second to PEER2_ADDR with the RH2) */
};
#define IFP_EVERY	16
#define IFP_DUP		(IFP_EVERY / 2)	/* i % IFP_EVERY: an equal-IFP MN */

/* Fill MNs [from, to): prefix -> (i, bid 1), binding to PEER_ADDR */
/*
 * Map writes in batches (BPF_MAP_UPDATE_BATCH, one syscall per BATCH_N
 * entries): filling 1M MNs one update at a time takes minutes on this
 * machine. The LPM trie has no batch operation and is written one by one.
 */
#define BATCH_N		4096

struct batch {
	int fd;
	uint32_t ksz, vsz, n;
	uint8_t *k, *v;
};

static int batch_init(struct batch *b, int fd, uint32_t ksz, uint32_t vsz)
{
	*b = (struct batch){ .fd = fd, .ksz = ksz, .vsz = vsz };
	b->k = malloc((size_t)ksz * BATCH_N);
	b->v = malloc((size_t)vsz * BATCH_N);
	return b->k && b->v ? 0 : -ENOMEM;
}

static int batch_flush(struct batch *b)
{
	uint32_t done = 0;

	/* ENOMEM: NO_PREALLOC elements come from caches refilled behind the
	 * writer, per-CPU ones from chunks a workqueue populates: give them
	 * time (up to ~10 s), not just a yield */
	for (int tries = 0; done < b->n && tries < 10000; tries++) {
		LIBBPF_OPTS(bpf_map_batch_opts, o, .elem_flags = BPF_ANY);
		uint32_t cnt = b->n - done;
		int err = bpf_map_update_batch(b->fd, b->k + (size_t)done * b->ksz,
					       b->v + (size_t)done * b->vsz, &cnt, &o);

		done += cnt;	/* the kernel reports how many it wrote */
		if (!err)
			continue;
		if (errno != ENOMEM)
			break;
		usleep(1000);
	}
	if (done < b->n)
		return -1;
	b->n = 0;
	return 0;
}

static int batch_add(struct batch *b, const void *k, const void *v)
{
	memcpy(b->k + (size_t)b->n * b->ksz, k, b->ksz);
	memcpy(b->v + (size_t)b->n * b->vsz, v, b->vsz);
	return ++b->n == BATCH_N ? batch_flush(b) : 0;
}

static void batch_free(struct batch *b)
{
	free(b->k);
	free(b->v);
}

/* Fill MNs [from, to): prefix -> (i, bid 1), binding to PEER_ADDR */
static int fill(const struct maps *m, uint32_t from, uint32_t to, int ifindex, int lma_side)
{
	struct xp_bind_val bv = { .flags = XP_BF_ACTIVE, .mtu = 1400, .ifindex = ifindex };
	struct xp_prefix_key pk = { .prefixlen = XP_PREFIX64_LEN };
	union xp_addr6 peer, local;
	static struct xp_bind_stats zero_stats[XP_BENCH_MAX_CPUS];
	int ncpu = libbpf_num_possible_cpus();
	struct batch bst = { 0 }, bind = { 0 }, p64 = { 0 }, ul = { 0 }, mn = { 0 }, pre = { 0 };
	struct batch pc = { 0 }, sh = { 0 };
	int rc = -1;

	if (ncpu <= 0 || ncpu > XP_BENCH_MAX_CPUS)
		return -1;
	pkt_addr(PEER_ADDR, peer.a8);
	pkt_addr(LMA_ADDR, local.a8);
	bv.peer = peer;
	bv.local = local;
	pkt_mac(BT_MAC_MN, bv.mn_mac);
	pkt_mac(BT_MAC_C, bv.if_mac);
	if (batch_init(&bst, m->bstat, sizeof(struct xp_bind_key), sizeof(struct xp_bind_stats)) ||
	    batch_init(&bind, m->bind, sizeof(struct xp_bind_key), sizeof(struct xp_bind_val)) ||
	    batch_init(&p64, m->pfx64, sizeof(struct xp_prefix64_key), sizeof(struct xp_prefix_val)) ||
	    batch_init(&ul, m->ul, sizeof(struct xp_ul_key), sizeof(struct xp_ul_val)) ||
	    batch_init(&mn, m->mn, sizeof(uint32_t), sizeof(struct xp_mn_val)) ||
	    (m->bind_pre >= 0 &&
	     batch_init(&pre, m->bind_pre, sizeof(struct xp_bind_key), sizeof(struct xp_bind_val))) ||
	    (m->bstat_pc >= 0 &&
	     batch_init(&pc, m->bstat_pc, sizeof(struct xp_bind_key),
			(uint32_t)(sizeof(struct xp_bind_stats) * (size_t)ncpu))) ||
	    (m->bstat_sh >= 0 &&
	     batch_init(&sh, m->bstat_sh, sizeof(struct xp_bind_key), sizeof(struct xp_bind_stats))))
		goto out;
	for (uint32_t i = from; i < to; i++) {
		struct xp_prefix_val pv = { .mn_id = i, .bid = 1 };
		struct xp_bind_key bk = { .mn_id = i, .bid = 1 };
		struct xp_ul_key uk = { .mn_id = i, .pcoa = peer };
		struct xp_ul_val uv = { .bid = 1 };
		struct xp_prefix64_key k64;

		mn_prefix(i, &pk.addr);
		memcpy(k64.a32, pk.addr.a32, sizeof(k64.a32));
		/* the agent creates the per-binding counters with the binding,
		 * so the packet path only ever finds them */
		if (batch_add(&bst, &bk, zero_stats) || batch_add(&bind, &bk, &bv) ||
		    (m->bind_pre >= 0 && batch_add(&pre, &bk, &bv)) ||
		    (m->bstat_pc >= 0 && batch_add(&pc, &bk, zero_stats)) ||
		    (m->bstat_sh >= 0 && batch_add(&sh, &bk, zero_stats)) ||
		    (m->lpm_only ? update_retry(m->pfx, &pk, &pv) : batch_add(&p64, &k64, &pv)) ||
		    (lma_side && batch_add(&ul, &uk, &uv))) {
			fprintf(stderr, "pktcost: filling MN %u: %s\n", i, strerror(errno));
			goto out;
		}
		if (m->ifp && (i % IFP_EVERY == 0 || i % IFP_EVERY == IFP_DUP)) {
			struct xp_bind_key bk2 = { .mn_id = i, .bid = 2 };
			struct xp_bind_val bv2 = bv;
			struct xp_mn_val mv = { .n_dl = 1, .dl_bid = { 2 } };

			if (i % IFP_EVERY == IFP_DUP) {	/* equal IFPs: both */
				mv = (struct xp_mn_val){ .n_dl = 2, .dl_bid = { 1, 2 } };
				pkt_addr(PEER2_ADDR, bv2.peer.a8);
			}
			mn_addr(i, MN_HOA2, &bv2.hoa);
			mn_addr(i, MN_PRIMARY_HOA, &mv.primary_hoa);
			if (batch_add(&bst, &bk2, zero_stats) || batch_add(&bind, &bk2, &bv2) ||
			    (m->bind_pre >= 0 && batch_add(&pre, &bk2, &bv2)) ||
			    batch_add(&mn, &i, &mv)) {
				fprintf(stderr, "pktcost: filling MN %u (IFP): %s\n", i, strerror(errno));
				goto out;
			}
		} else if (m->ifp) {	/* as the agent writes it: n_dl 0, owner binding */
			struct xp_mn_val mv = { 0 };

			if (batch_add(&mn, &i, &mv)) {
				fprintf(stderr, "pktcost: filling MN %u: %s\n", i, strerror(errno));
				goto out;
			}
		}
	}
	if (batch_flush(&bst) || batch_flush(&bind) || batch_flush(&p64) || batch_flush(&ul) ||
	    batch_flush(&mn) || (m->bind_pre >= 0 && batch_flush(&pre)) ||
	    (m->bstat_pc >= 0 && batch_flush(&pc)) || (m->bstat_sh >= 0 && batch_flush(&sh))) {
		fprintf(stderr, "pktcost: filling MNs: %s\n", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	batch_free(&bst);
	batch_free(&bind);
	batch_free(&p64);
	batch_free(&ul);
	batch_free(&mn);
	batch_free(&pre);
	batch_free(&pc);
	batch_free(&sh);
	return rc;
}

static int flow_fill(const struct maps *m, int fsel_fd);

/* fill() on a thread of its own */
struct fill_job {
	const struct maps *m;
	uint32_t from, to;
	int ifindex, lma_side, rc;
};

static void *fill_thread(void *arg)
{
	struct fill_job *j = arg;

	j->rc = fill(j->m, j->from, j->to, j->ifindex, j->lma_side);
	return NULL;
}

enum path {
	P_FLOOR, P_LMA_DL, P_LMA_DL_NONH, P_LMA_DL_LPM, P_LMA_UL, P_MAG_UL, P_MAG_UL_NONH,
	P_MAG_DL, P_LMA_DL_RH2,
	P_FLOW_HIT_1, P_FLOW_HIT_16, P_FLOW_HIT_64, P_FLOW_MISS_1, P_FLOW_MISS_16, P_FLOW_MISS_64,
	P_LMA_UL_HOA,
	P_TC_FLOOR, P_LMA_DUP, P_MN_EGRESS, P_MN_INGRESS,	/* TC programs */
	/* component probes (pktcost_probe.bpf.c), on the LMA downlink packet */
	P_C_JIFFIES, P_C_PFX64_MISS, P_C_PFX64, P_C_PFX, P_C_MN, P_C_BIND, P_C_NOMN, P_C_BSTAT,
	P_C_INLINE, P_C_PCPU, P_C_SH,
	P_C_BINDPRE,	/* last: it touches the 2^21 preallocated elements' vmalloc area */
	P_MAX
};
static const char *const path_name[P_MAX] = {
	[P_FLOOR] = "floor (xp_pass)",
	[P_LMA_DL] = "LMA downlink encap",
	[P_LMA_DL_NONH] = "LMA downlink encap, next-hop cache off (bpf_fib_lookup per packet)",
	[P_LMA_DL_LPM] = "LMA downlink encap, LPM trie only (previous design)",
	[P_LMA_UL] = "LMA uplink decap + anti-spoofing",
	[P_MAG_UL] = "MAG uplink encap",
	[P_MAG_UL_NONH] = "MAG uplink encap, next-hop cache off",
	[P_MAG_DL] = "MAG downlink decap",
	[P_LMA_DL_RH2] = "LMA downlink to a non-primary interface: Type 2 routing header + encap",
	[P_FLOW_HIT_1] = "LMA downlink, flow cache hit, 1 selector",
	[P_FLOW_HIT_16] = "LMA downlink, flow cache hit, 16 selectors",
	[P_FLOW_HIT_64] = "LMA downlink, flow cache hit, 64 selectors",
	[P_FLOW_MISS_1] = "LMA downlink, flow cache miss: walk of 1 selector",
	[P_FLOW_MISS_16] = "LMA downlink, flow cache miss: walk of 16 selectors",
	[P_FLOW_MISS_64] = "LMA downlink, flow cache miss: walk of 64 selectors",
	[P_LMA_UL_HOA] = "LMA uplink decap + Primary HoA option removed, source restored",
	[P_TC_FLOOR] = "floor, TC (xb_tc_pass)",
	[P_LMA_DUP] = "LMA equal IFPs (TC xp_lma_dup): a tunnelled copy down each of 2 bindings",
	[P_MN_EGRESS] = "MN egress (TC xp_mn_egress): Primary HoA option added, source rewritten",
	[P_MN_INGRESS] = "MN ingress (TC xp_mn_ingress): Type 2 routing header removed",
	[P_C_JIFFIES] = "bpf_jiffies64 alone",
	[P_C_PFX64_MISS] = "xp_pfx64_v1 lookup alone, a miss (bucket, no element)",
	[P_C_PFX64] = "xp_pfx64_v1 lookup alone",
	[P_C_PFX] = "prefix lookup (LPM trie, empty here, then xp_pfx64_v1)",
	[P_C_MN] = "prefix + xp_mn_v1",
	[P_C_BIND] = "prefix + xp_mn_v1 + xp_bind_v1",
	[P_C_NOMN] = "prefix + xp_bind_v1 (no xp_mn_v1)",
	[P_C_BINDPRE] = "prefix + xp_mn_v1 + xp_bind_v1 copy preallocated (xb_bind_pre)",
	[P_C_BSTAT] = "prefix + xp_mn_v1 + xp_bind_v1 + xp_bstat_v2 atomic adds",
	[P_C_INLINE] = "prefix + xp_mn_v1 + xp_bind_v1 + atomic add in the binding value",
	[P_C_PCPU] = "prefix + xp_mn_v1 + xp_bind_v1 + per-CPU counters (as xp_bstat_v1, before)",
	[P_C_SH] = "prefix + xp_mn_v1 + xp_bind_v1 + one-value counters (as xp_bstat_v2), filled like the per-CPU row",
};

static int is_tc(enum path p)
{
	return p >= P_TC_FLOOR && p <= P_MN_INGRESS;
}

static int is_component(enum path p)
{
	return p >= P_C_JIFFIES;
}

/*
 * Flow mobility rows (RFC 7864, bpf/xp_flow.h): FLOW_MNS MNs per selector
 * count, apart from the MNs of the size being measured (MN index
 * FLOW_BASE + group * FLOW_MNS + j), each with XP_MNF_FLOWS, a second
 * binding (bid 2) and n selectors of which only the last matches the
 * packet (source range and destination port: the walk looks at every one).
 * A hit row sends a packet the cache has seen (the same packet once before,
 * untimed); a miss row gives every packet a new flow label, so the cache
 * never has it and the whole walk runs, then the LRU insert.
 */
#define FLOW_MNS	1000
#define FLOW_BASE	0x00f00000u	/* above every size's MN indices */
#define FLOW_DPORT	2000		/* the packets' destination port */
static const uint32_t flow_nsel[3] = { 1, 16, 64 };

static int is_flow(enum path p)
{
	return p >= P_FLOW_HIT_1 && p <= P_FLOW_MISS_64;
}

static int flow_group(enum path p)	/* index into flow_nsel */
{
	return (int)(p >= P_FLOW_MISS_1 ? p - P_FLOW_MISS_1 : p - P_FLOW_HIT_1);
}

/* The flow mobility MNs (see FLOW_MNS), in the LMA's maps only */
static int flow_fill(const struct maps *m, int fsel_fd)
{
	static struct xp_bind_stats zero_stats[XP_BENCH_MAX_CPUS];
	struct xp_bind_val bv = { .flags = XP_BF_ACTIVE, .mtu = 1400 };
	struct xp_flow_set *set = calloc(1, sizeof(*set));
	int rc = -1;

	if (!set)
		return -1;
	pkt_addr(PEER_ADDR, bv.peer.a8);
	pkt_addr(LMA_ADDR, bv.local.a8);
	for (uint32_t g = 0; g < 3; g++) {
		uint32_t n = flow_nsel[g];

		memset(set, 0, sizeof(*set));
		set->n = n;
		set->gen = 1;
		for (uint32_t s = 0; s < n; s++) {
			struct xp_flow_sel *f = &set->sel[s];
			uint16_t port = s + 1 == n ? FLOW_DPORT : (uint16_t)(3000 + s);

			f->fields = XP_FSEL_SRC | XP_FSEL_DPORT;
			f->src_hi.hi = f->src_hi.lo = ~0ull;	/* every source: matches */
			f->dport_lo = f->dport_hi = port;	/* only the last matches */
			f->fid = (uint16_t)(s + 1);
			f->bid = 2;
			f->action = XP_FBA_FORWARD;
		}
		for (uint32_t j = 0; j < FLOW_MNS; j++) {
			uint32_t i = FLOW_BASE + g * FLOW_MNS + j;
			struct xp_prefix_val pv = { .mn_id = i, .bid = 1 };
			struct xp_mn_val mv = { .flags = XP_MNF_FLOWS, .flow_gen = 1 };
			struct xp_prefix64_key k64;
			union xp_addr6 pfx;

			mn_prefix(i, &pfx);
			memcpy(k64.a32, pfx.a32, sizeof(k64.a32));
			for (uint16_t bid = 1; bid <= 2; bid++) {
				struct xp_bind_key bk = { .mn_id = i, .bid = bid };

				if (update_retry(m->bind, &bk, &bv) || update_retry(m->bstat, &bk, zero_stats))
					goto out;
			}
			if (update_retry(m->pfx64, &k64, &pv) || update_retry(m->mn, &i, &mv) ||
			    update_retry(fsel_fd, &i, set))
				goto out;
		}
	}
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "pktcost: filling the flow mobility MNs: %s\n", strerror(errno));
	free(set);
	return rc;
}

struct bench {
	int prog[P_MAX];
	int cfg_fd[P_MAX];		/* xp_cfg_v1 of the path's object */
	uint32_t cfg_flags[P_MAX];	/* written there before each round */
	uint32_t want[P_MAX];
	struct bt_env env;
};

/* The 000 uplink: MN i's second interface (HoA2) to the CN through
 * PEER_ADDR, with the Primary HoA option naming its primary HoA */
static void build_ul_hoa(uint32_t i, struct pkt *k)
{
	uint8_t d[XP_DSTOPT_HOA_HDR_LEN];
	char hoa2[INET6_ADDRSTRLEN];
	union xp_addr6 ph;

	mn_addr(i, MN_PRIMARY_HOA, &ph);
	mn_addr_str(i, MN_HOA2, hoa2, sizeof(hoa2));
	xp_dstopt_hoa_build(d, sizeof(d), XP_IPPROTO_UDP, XP_DSTOPT_PRIMARY_HOA_DEFAULT,
			    (const struct in6_addr *)ph.a8);
	pkt_eth(k, BT_MAC_A, BT_MAC_GW2, 0x86dd);
	pkt_ip6(k, PEER_ADDR, LMA_ADDR, XP_IPPROTO_IPV6, 64, 0, 0);
	pkt_ip6(k, hoa2, CN_ADDR, XP_IPPROTO_DSTOPTS, 64, 0, 0);
	pkt_bytes(k, d, sizeof(d));
	ifp_l4(k, XP_IPPROTO_UDP, 0);
	pkt_finish(k);
	ifp_fill_csum(k, 54, NULL);
}

/* The MN helper's packets (MN 0's addresses, see mn_if_setup): egress from
 * the primary HoA, ingress to HoA2 with a Type 2 routing header */
static void build_mn(enum path p, struct pkt *k)
{
	char phoa[INET6_ADDRSTRLEN], hoa2[INET6_ADDRSTRLEN];
	uint8_t rh[XP_RH2_LEN];
	union xp_addr6 ph;

	mn_addr(0, MN_PRIMARY_HOA, &ph);
	mn_addr_str(0, MN_PRIMARY_HOA, phoa, sizeof(phoa));
	mn_addr_str(0, MN_HOA2, hoa2, sizeof(hoa2));
	if (p == P_MN_EGRESS) {
		pkt_eth(k, BT_MAC_CN, BT_MAC_A, 0x86dd);
		pkt_ip6(k, phoa, CN_ADDR, XP_IPPROTO_UDP, 64, 0, 0);
	} else {
		xp_rh2_build(rh, sizeof(rh), XP_IPPROTO_UDP, (const struct in6_addr *)ph.a8);
		pkt_eth(k, BT_MAC_A, BT_MAC_CN, 0x86dd);
		pkt_ip6(k, CN_ADDR, hoa2, XP_IPPROTO_ROUTING, 60, 0, 0);
		pkt_bytes(k, rh, sizeof(rh));
	}
	ifp_l4(k, XP_IPPROTO_UDP, 0);
	pkt_finish(k);
	ifp_fill_csum(k, 14, NULL);
}

/* Build path p's packet for MN i; fl: its flow label */
static void build(enum path p, uint32_t i, uint32_t fl, struct pkt *k)
{
	char mn[INET6_ADDRSTRLEN];

	mn_addr_str(i, p == P_LMA_DL_RH2 || p == P_LMA_DUP ? MN_PRIMARY_HOA : MN_HOST, mn,
		    sizeof(mn));
	pkt_init(k);
	switch (p) {
	case P_LMA_UL_HOA:
		build_ul_hoa(i, k);
		return;
	case P_MN_EGRESS:
	case P_MN_INGRESS:
		build_mn(p, k);
		return;
	case P_FLOOR:
	case P_LMA_DL:
	case P_LMA_DL_NONH:
	case P_LMA_DL_LPM:
	case P_LMA_DL_RH2:
	case P_FLOW_HIT_1 ... P_FLOW_MISS_64:
	case P_TC_FLOOR:
	case P_LMA_DUP:
	case P_C_JIFFIES ... P_C_BINDPRE:
		pkt_eth(k, BT_MAC_A, BT_MAC_CN, 0x86dd);
		pkt_ip6(k, CN_ADDR, mn, XP_IPPROTO_UDP, 64, 0, fl);
		pkt_udp(k, 1000, FLOW_DPORT, 18);
		break;
	case P_LMA_UL:
	case P_MAG_DL:
		pkt_eth(k, BT_MAC_A, BT_MAC_GW2, 0x86dd);
		pkt_ip6(k, PEER_ADDR, LMA_ADDR, XP_IPPROTO_IPV6, 64, 0, 0);
		if (p == P_LMA_UL)
			pkt_ip6(k, mn, CN_ADDR, XP_IPPROTO_UDP, 64, 0, 0);
		else
			pkt_ip6(k, CN_ADDR, mn, XP_IPPROTO_UDP, 64, 0, 0);
		pkt_udp(k, 1000, 2000, 18);
		break;
	case P_MAG_UL:
	case P_MAG_UL_NONH:
		pkt_eth(k, BT_MAC_C, BT_MAC_MN, 0x86dd);
		pkt_ip6(k, mn, CN_ADDR, XP_IPPROTO_UDP, 64, 0, 0);
		pkt_udp(k, 1000, 2000, 18);
		break;
	default:
		break;
	}
	pkt_finish(k);
}

/* xp_cfg_v1 as pktcost wants it, with these flags; the Primary HoA
 * option type set (the 000 uplink row) */
static int set_cfg(int fd, uint32_t flags)
{
	struct xp_cfg c = { .tunnel_mtu = 1500, .hop_limit = 64, .flags = flags,
			    .primary_hoa_opt = XP_DSTOPT_PRIMARY_HOA_DEFAULT };
	uint32_t zero = 0;

	pkt_addr(LMA_ADDR, c.local_addr.a8);
	return bpf_map_update_elem(fd, &zero, &c, BPF_ANY);
}

static int ingress(const struct bench *b, enum path p)
{
	return p == P_MAG_UL || p == P_MAG_UL_NONH ? b->env.if_c : b->env.if_a;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* One test run of packet k on path p: its return value, or -1 with a
 * message. TC paths get an skb arriving on (or, for the MN's egress,
 * leaving through) the ingress interface. */
static int run1(const struct bench *b, enum path p, const struct pkt *k, uint32_t *duration)
{
	static uint8_t outbuf[PKT_MAX];
	struct xdp_md ctx = { .ingress_ifindex = (uint32_t)ingress(b, p),
			      .data_end = (uint32_t)k->len };
	struct __sk_buff skb = { .ifindex = (uint32_t)ingress(b, p),
				 .ingress_ifindex = (uint32_t)ingress(b, p) };
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
		    .data_in = k->b, .data_size_in = (uint32_t)k->len,
		    .data_out = outbuf, .data_size_out = sizeof(outbuf), .repeat = 1);
	int err;

	if (is_tc(p)) {
		o.ctx_in = &skb;
		o.ctx_size_in = sizeof(skb);
	}
	err = bpf_prog_test_run_opts(b->prog[p], &o);

	if (err) {
		fprintf(stderr, "pktcost: %s: test run: %s\n", path_name[p], strerror(-err));
		return -1;
	}
	*duration = o.duration;
	return (int)o.retval;
}

/* One round of SAMPLES fresh packets on path p, random MNs among n */
static int sample(const struct bench *b, enum path p, uint32_t n, uint32_t *out)
{
	static uint32_t flow_label;	/* a new one for every miss-row packet */
	struct pkt k;

	/* the variant's configuration flags (next-hop cache on or off) */
	if (set_cfg(b->cfg_fd[p], b->cfg_flags[p]))
		return -1;
	for (int s = 0; s < SAMPLES; s++) {
		uint32_t i = n > 1 ? (uint32_t)random() % n : 0, fl = 0, d;
		int ret;

		if (p == P_LMA_DL_RH2 || p == P_LMA_UL_HOA)	/* an MN with the second binding */
			i = n > 1 ? (uint32_t)random() % ((n + IFP_EVERY - 1) / IFP_EVERY) * IFP_EVERY : 0;
		if (p == P_LMA_DUP)	/* an MN with two equal-IFP bindings */
			i = (n > IFP_DUP ? (uint32_t)random() % ((n - IFP_DUP + IFP_EVERY - 1) / IFP_EVERY) *
					   IFP_EVERY : 0) + IFP_DUP;
		if (is_flow(p)) {
			i = FLOW_BASE + (uint32_t)flow_group(p) * FLOW_MNS +
			    (uint32_t)random() % FLOW_MNS;
			if (p >= P_FLOW_MISS_1)
				fl = ++flow_label & 0xfffff;
		}
		build(p, i, fl, &k);
		if (p >= P_FLOW_HIT_1 && p <= P_FLOW_HIT_64 && run1(b, p, &k, &d) < 0)
			return -1;	/* untimed: puts the packet in the flow cache */
		ret = run1(b, p, &k, &d);
		if (ret < 0)
			return -1;
		if ((uint32_t)ret != b->want[p]) {
			fprintf(stderr, "pktcost: %s with %u MNs returned %s, want %s\n",
				path_name[p], n, bt_action((uint32_t)ret), bt_action(b->want[p]));
			return -1;
		}
		out[s] = d;
	}
	qsort(out, SAMPLES, sizeof(*out), cmp_u32);
	return 0;
}

/* The probes on the LMA object's maps: every map of the probe object that
 * the LMA has too is the LMA's (same name), the rest (xb_bind_pre) its own */
static int probe_load(struct xb_pktcost_probe *probe, const struct bpf_object *lma)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, probe->obj) {
		const struct bpf_map *l = bpf_object__find_map_by_name(lma, bpf_map__name(m));

		if (l && bpf_map__fd(l) >= 0 && bpf_map__reuse_fd(m, bpf_map__fd(l)))
			return -1;
	}
	return xb_pktcost_probe__load(probe);
}

/* The MN helper's interface (if_a plays the MN's non-primary IF2): MN 0's
 * HoA2 on it, its primary HoA elsewhere, the interface MTU known */
static int mn_if_setup(struct xp_mn *mnp, int ifindex)
{
	struct xp_mnif_val v = { .hoa_opt = XP_DSTOPT_PRIMARY_HOA_DEFAULT, .mtu = 1500 };
	uint32_t k = (uint32_t)ifindex;

	mn_addr(0, MN_HOA2, &v.hoa);
	mn_addr(0, MN_PRIMARY_HOA, &v.primary_hoa);
	return bpf_map_update_elem(bpf_map__fd(mnp->maps.xp_mnif_v1), &k, &v, BPF_ANY);
}

int main(int argc, char **argv)
{
	static uint32_t buf[SAMPLES];
	struct xp_lma *lma = NULL, *lma_lpm = NULL;
	struct xp_mag *mag = NULL;
	struct xp_pass *pass = NULL;
	struct xp_mn *mnp = NULL;
	struct xb_pktcost_probe *probe = NULL;
	struct maps lm, mm, lp;
	struct bench b = { 0 };
	uint32_t filled = 0;
	int rc = 1, only = -1, rounds = ROUNDS;
	int run[P_MAX];		/* the paths measured: all, or PKTCOST_ONLY's */

	/* optional argument: how many of the MN counts to run (quick runs) */
	if (argc > 1 && atoi(argv[1]) > 0 && (uint32_t)atoi(argv[1]) < n_sizes)
		n_sizes = (uint32_t)atoi(argv[1]);
	if (getenv("PKTCOST_PATH"))
		only = atoi(getenv("PKTCOST_PATH"));
	for (int p = 0; p < P_MAX; p++)
		run[p] = !getenv("PKTCOST_ONLY") || p == P_FLOOR || p == P_TC_FLOOR;
	for (const char *l = getenv("PKTCOST_ONLY"); l && *l; l = strchr(l, ',') ? strchr(l, ',') + 1 : "")
		if (atoi(l) >= 0 && atoi(l) < P_MAX)
			run[atoi(l)] = 1;
	if (getenv("PKTCOST_ROUNDS") && atoi(getenv("PKTCOST_ROUNDS")) > 0)
		rounds = atoi(getenv("PKTCOST_ROUNDS"));
	if (bt_netns(&b.env))
		return 1;
	lma = xp_lma__open();
	lma_lpm = xp_lma__open();
	mag = xp_mag__open();
	pass = xp_pass__open_and_load();
	mnp = xp_mn__open_and_load();
	probe = xb_pktcost_probe__open();
	if (!lma || !lma_lpm || !mag || !pass || !mnp || !probe)
		goto out;
	/* size every map for the largest population */
	bpf_map__set_max_entries(lma_lpm->maps.xp_pfx_v1, 1100000);
	if (xp_lma__load(lma) || xp_lma__load(lma_lpm) || xp_mag__load(mag) ||
	    probe_load(probe, lma->obj)) {
		fprintf(stderr, "pktcost: load failed\n");
		goto out;
	}
	lm = (struct maps){ bpf_map__fd(lma->maps.xp_pfx_v1), bpf_map__fd(lma->maps.xp_bind_v1),
			    bpf_map__fd(lma->maps.xp_ul_v1), bpf_map__fd(lma->maps.xp_mn_v1),
			    bpf_map__fd(lma->maps.xp_bstat_v2), bpf_map__fd(lma->maps.xp_pfx64_v1),
			    bpf_map__fd(probe->maps.xb_bind_pre), bpf_map__fd(probe->maps.xb_bstat_pcpu),
			    bpf_map__fd(probe->maps.xb_bstat_sh),
			    0, 1 };
	lp = (struct maps){ bpf_map__fd(lma_lpm->maps.xp_pfx_v1),
			    bpf_map__fd(lma_lpm->maps.xp_bind_v1), bpf_map__fd(lma_lpm->maps.xp_ul_v1),
			    bpf_map__fd(lma_lpm->maps.xp_mn_v1), bpf_map__fd(lma_lpm->maps.xp_bstat_v2),
			    bpf_map__fd(lma_lpm->maps.xp_pfx64_v1), -1, -1, -1, 1, 0 };
	mm = (struct maps){ bpf_map__fd(mag->maps.xp_pfx_v1), bpf_map__fd(mag->maps.xp_bind_v1),
			    bpf_map__fd(mag->maps.xp_ul_v1), bpf_map__fd(mag->maps.xp_mn_v1),
			    bpf_map__fd(mag->maps.xp_bstat_v2), bpf_map__fd(mag->maps.xp_pfx64_v1),
			    -1, -1, -1, 0, 0 };
	if (bt_set_cfg(bpf_map__fd(lma->maps.xp_cfg_v1), LMA_ADDR, 1500, 64, XP_CFG_F_ENABLED) ||
	    bt_set_cfg(bpf_map__fd(lma_lpm->maps.xp_cfg_v1), LMA_ADDR, 1500, 64, XP_CFG_F_ENABLED) ||
	    bt_add_peer(bpf_map__fd(lma_lpm->maps.xp_peer_v1), PEER_ADDR) ||
	    bt_set_cfg(bpf_map__fd(mag->maps.xp_cfg_v1), LMA_ADDR, 1500, 64, XP_CFG_F_ENABLED) ||
	    bt_add_peer(bpf_map__fd(lma->maps.xp_peer_v1), PEER_ADDR) ||
	    bt_add_peer(bpf_map__fd(mag->maps.xp_peer_v1), PEER_ADDR) ||
	    mn_if_setup(mnp, b.env.if_a))
		goto out;

	if (flow_fill(&lm, bpf_map__fd(lma->maps.xp_fsel_v1)))
		goto out;

	b.prog[P_FLOOR] = bpf_program__fd(pass->progs.xp_pass);
	b.prog[P_LMA_DL] = bpf_program__fd(lma->progs.xp_lma_rx);
	b.prog[P_LMA_DL_LPM] = bpf_program__fd(lma_lpm->progs.xp_lma_rx);
	b.prog[P_LMA_UL] = b.prog[P_LMA_DL];
	b.prog[P_LMA_DL_RH2] = b.prog[P_LMA_DL];
	b.prog[P_MAG_UL] = bpf_program__fd(mag->progs.xp_mag_access);
	b.prog[P_MAG_DL] = bpf_program__fd(mag->progs.xp_mag_core);
	b.prog[P_LMA_DL_NONH] = b.prog[P_LMA_DL];
	b.prog[P_LMA_UL_HOA] = b.prog[P_LMA_DL];
	b.prog[P_TC_FLOOR] = bpf_program__fd(probe->progs.xb_tc_pass);
	b.prog[P_LMA_DUP] = bpf_program__fd(lma->progs.xp_lma_dup);
	b.prog[P_MN_EGRESS] = bpf_program__fd(mnp->progs.xp_mn_egress);
	b.prog[P_MN_INGRESS] = bpf_program__fd(mnp->progs.xp_mn_ingress);
	b.prog[P_C_JIFFIES] = bpf_program__fd(probe->progs.xb_jiffies);
	b.prog[P_C_PFX64] = bpf_program__fd(probe->progs.xb_pfx64);
	b.prog[P_C_PFX64_MISS] = bpf_program__fd(probe->progs.xb_pfx64_miss);
	b.prog[P_C_PFX] = bpf_program__fd(probe->progs.xb_pfx);
	b.prog[P_C_MN] = bpf_program__fd(probe->progs.xb_pfx_mn);
	b.prog[P_C_BIND] = bpf_program__fd(probe->progs.xb_pfx_mn_bind);
	b.prog[P_C_BINDPRE] = bpf_program__fd(probe->progs.xb_pfx_mn_bindpre);
	b.prog[P_C_BSTAT] = bpf_program__fd(probe->progs.xb_pfx_mn_bind_bstat);
	b.prog[P_C_INLINE] = bpf_program__fd(probe->progs.xb_pfx_mn_bind_inline);
	b.prog[P_C_NOMN] = bpf_program__fd(probe->progs.xb_pfx_bind);
	b.prog[P_C_PCPU] = bpf_program__fd(probe->progs.xb_pfx_mn_bind_pcpu);
	b.prog[P_C_SH] = bpf_program__fd(probe->progs.xb_pfx_mn_bind_sh);
	b.prog[P_MAG_UL_NONH] = b.prog[P_MAG_UL];
	for (int p = P_FLOW_HIT_1; p <= P_FLOW_MISS_64; p++)
		b.prog[p] = b.prog[P_LMA_DL];
	b.want[P_FLOOR] = XDP_PASS;
	for (int p = P_LMA_DL; p < P_MAX; p++)
		b.want[p] = is_component((enum path)p) ? XDP_PASS : XDP_REDIRECT;
	b.want[P_TC_FLOOR] = b.want[P_MN_EGRESS] = b.want[P_MN_INGRESS] = TC_ACT_OK;
	b.want[P_LMA_DUP] = TC_ACT_REDIRECT;
	for (int p = 0; p < P_MAX; p++) {
		b.cfg_fd[p] = bpf_map__fd(lma->maps.xp_cfg_v1);
		b.cfg_flags[p] = XP_CFG_F_ENABLED;
	}
	b.cfg_fd[P_LMA_DL_LPM] = bpf_map__fd(lma_lpm->maps.xp_cfg_v1);
	b.cfg_fd[P_MAG_UL] = b.cfg_fd[P_MAG_UL_NONH] = b.cfg_fd[P_MAG_DL] =
		bpf_map__fd(mag->maps.xp_cfg_v1);
	/* the same programs and maps, with bpf_fib_lookup for every packet */
	b.cfg_flags[P_LMA_DL_NONH] = b.cfg_flags[P_MAG_UL_NONH] =
		XP_CFG_F_ENABLED | XP_CFG_F_NO_NHCACHE;

	for (uint32_t z = 0; z < n_sizes; z++) {
		uint32_t n = sizes[z];
		uint32_t med[P_MAX][ROUNDS], p10[P_MAX][ROUNDS], p90[P_MAX][ROUNDS];

		/* set-up, not measured: the previous design's trie (one update
		 * per entry, the slowest to fill) on the other CPU meanwhile */
		struct fill_job lpj = { &lp, filled, n, 0, 1, -1 };
		pthread_t th;
		int frc;

		if (pthread_create(&th, NULL, fill_thread, &lpj))
			goto out;
		frc = fill(&lm, filled, n, 0, 1) || fill(&mm, filled, n, b.env.if_c, 0);
		/* the equal-IFP row's MN (index IFP_DUP) at the smallest size too */
		if (!frc && filled == 0 && n <= IFP_DUP)
			frc = fill(&lm, IFP_DUP, IFP_DUP + 1, 0, 1);
		pthread_join(th, NULL);
		if (frc || lpj.rc)
			goto out;
		filled = n;
		if (only >= 0 && only < P_MAX) {	/* a steady load for a profiler */
			for (int r = 0; r < rounds; r++)
				if (sample(&b, (enum path)only, n, buf))
					goto out;
			continue;
		}
		for (int r = 0; r < ROUNDS; r++)
			for (int p = 0; p < P_MAX; p++) {
				if (!run[p])
					continue;
				if (sample(&b, (enum path)p, n, buf))
					goto out;
				med[p][r] = buf[SAMPLES / 2];
				p10[p][r] = buf[SAMPLES / 10];
				p90[p][r] = buf[SAMPLES * 9 / 10];
			}
		for (int p = 0; p < P_MAX; p++) {
			qsort(med[p], ROUNDS, sizeof(uint32_t), cmp_u32);
			qsort(p10[p], ROUNDS, sizeof(uint32_t), cmp_u32);
			qsort(p90[p], ROUNDS, sizeof(uint32_t), cmp_u32);
		}
		for (int p = 0; p < P_MAX; p++)
			if (run[p])
				printf("{\"path\":\"%s\",\"group\":\"%s\",\"mns\":%u,"
				       "\"median_ns\":%u,\"p10_ns\":%u,\"p90_ns\":%u,"
				       "\"round_min_ns\":%u,\"round_max_ns\":%u,\"floor_ns\":%u}\n",
				       path_name[p], is_component((enum path)p) ? "component" : "path",
				       n, med[p][ROUNDS / 2], p10[p][ROUNDS / 2], p90[p][ROUNDS / 2],
				       med[p][0], med[p][ROUNDS - 1],
				       med[is_tc((enum path)p) ? P_TC_FLOOR : P_FLOOR][ROUNDS / 2]);
		fflush(stdout);
	}
	rc = 0;
out:
	xb_pktcost_probe__destroy(probe);
	xp_mn__destroy(mnp);
	xp_pass__destroy(pass);
	xp_mag__destroy(mag);
	xp_lma__destroy(lma);
	xp_lma__destroy(lma_lpm);
	return rc;
}
