/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * xpmip_maps.h - the contract between the agent (user/) and the user plane
 * (bpf/): every pinned map's name, key and value, defined once.
 *
 * Rules:
 *  - fixed-width types only, explicit padding, _Static_assert on every size,
 *    so the two compilers can never disagree on a layout;
 *  - map names are at most 15 characters (the kernel's limit) and carry a
 *    layout version; a daemon that finds a pinned map of another version
 *    refuses to start instead of misreading it;
 *  - addresses and ports are stored in network byte order, as on the wire,
 *    so the data plane compares them without swapping;
 *  - the agent precomputes decisions (which binding gets downlink, the
 *    MN's primary HoA) so that the BPF programs only look them up.
 *
 * Maps live under /sys/fs/bpf/xpmip/<instance>/<name>.
 */
#ifndef XPMIP_MAPS_H
#define XPMIP_MAPS_H

#ifdef __bpf__
/* vmlinux.h provides __u8 .. __u64 */
#else
#include <linux/types.h>
#endif

#define XP_PIN_ROOT		"/sys/fs/bpf/xpmip"
#define XP_MAP_LAYOUT_VERSION	1

/* Pinned map names (<= 15 chars, versioned suffix) */
#define XP_MAP_CFG		"xp_cfg_v1"	/* ARRAY[1] struct xp_cfg */
#define XP_MAP_PREFIX		"xp_pfx_v1"	/* LPM prefix -> MN, binding */
#define XP_MAP_PREFIX64		"xp_pfx64_v1"	/* HASH /64 prefix -> MN, binding */
#define XP_MAP_BIND		"xp_bind_v1"	/* (MN, BID) -> binding */
#define XP_MAP_MN		"xp_mn_v1"	/* MN -> downlink choice */
#define XP_MAP_UPLINK		"xp_ul_v1"	/* (Proxy-CoA, MN) -> BID */
#define XP_MAP_PEER		"xp_peer_v1"	/* known tunnel peers */
#define XP_MAP_COUNTERS		"xp_cnt_v1"	/* per-CPU reason counters */
#define XP_MAP_BSTATS		"xp_bstat_v2"	/* per-binding traffic (v1 was per-CPU) */
#define XP_MAP_TRACE		"xp_trace_v1"	/* RINGBUF of struct xp_trace_event */
#define XP_MAP_FLOWSEL		"xp_fsel_v1"	/* MN -> flow selectors, FID-PRI order */
#define XP_MAP_FLOWCACHE	"xp_fcache_v1"	/* LRU: exact packet fields -> flow verdict */
#define XP_MAP_NEXTHOP		"xp_nh_v1"	/* LRU: tunnel packet -> cached next hop */
#define XP_MAP_NHGEN		"xp_nhgen_v1"	/* ARRAY[1]: next-hop cache generation */

/* Capacities (the agent may size maps down in its config) */
#define XP_MAX_MNS		(1u << 20)
#define XP_MAX_BINDINGS		(1u << 21)
#define XP_MAX_PREFIXES		(1u << 21)
#define XP_MAX_PEERS		4096
#define XP_MAX_DL_BINDINGS	2	/* equal-IFP duplication: two paths */
#define XP_MAX_FLOW_MNS		(1u << 16)	/* MNs with flow mobility entries */
#define XP_MAX_FLOWS_PER_MN	64	/* active selectors walked per packet, at most */
#define XP_FLOW_CACHE_SIZE	(1u << 16)	/* exact-match flow cache (LRU) */
#define XP_NH_CACHE_SIZE	XP_MAX_PEERS	/* next-hop cache (LRU): one per tunnel peer */

/* An IPv6 address as the data plane sees it. 4-byte aligned (not 8, which
 * a64 would imply): the asserted layouts below put it at offset 4 (the LPM
 * key must have the address right after prefixlen). */
union xp_addr6 {
	__u8  a8[16];
	__u16 a16[8];
	__u32 a32[4];
	__u64 a64[2];
} __attribute__((packed, aligned(4)));

enum xp_role {
	XP_ROLE_NONE = 0,
	XP_ROLE_LMA = 1,
	XP_ROLE_MAG = 2,
	XP_ROLE_MN = 3,
};

/* ---- xp_cfg_v1: one entry written by the agent at start ---- */
struct xp_cfg {
	union xp_addr6 local_addr;	/* LMA address / MAG Proxy-CoA */
	__u32 role;			/* enum xp_role */
	__u32 flags;			/* XP_CFG_F_* */
	__u16 tunnel_mtu;		/* path MTU towards tunnel peers */
	__u8  hop_limit;		/* outer hop limit of encapsulated packets */
	__u8  primary_hoa_opt;		/* dst option type, configurable */
	__u32 pad;
};
_Static_assert(sizeof(struct xp_cfg) == 32, "xp_cfg layout");

#define XP_CFG_F_ENABLED	0x1	/* the agent finished writing state */
#define XP_CFG_F_TRACE		0x2	/* emit xp_trace_v1 events (xpmipctl trace) */
#define XP_CFG_F_NO_NHCACHE	0x4	/* bpf_fib_lookup for every packet (xp_fib.h);
					 * benchmarks compare with and without */

/* ---- xp_pfx_v1: BPF_MAP_TYPE_LPM_TRIE ---- */
struct xp_prefix_key {
	__u32 prefixlen;		/* LPM trie key header */
	union xp_addr6 addr;
};
_Static_assert(sizeof(struct xp_prefix_key) == 20, "xp_prefix_key layout");

enum xp_prefix_kind {
	XP_PFX_PERMANENT = 0,		/* 001: level-1 permanent prefix */
	XP_PFX_TEMPORAL = 1,		/* 001: level-2 prefix from a MAG block */
};

#define XP_PFXF_OFFLINK		0x01	/* RFC 7864 L flag: route, never advertise */
#define XP_PFXF_IDLE		0x02	/* 001: owner session idle after FFHO */
#define XP_PFXF_LONG		0x04	/* longer than /64: wins over the /64 map */
#define XP_PFXF_HOA		0x08	/* 000 5.2: a /128 naming a non-primary
					 * interface's own HoA inside a prefix
					 * another binding owns (user/lma.c
					 * hoa_host_*); the data plane reads it
					 * as any LONG entry */

/*
 * ---- xp_pfx64_v1: BPF_MAP_TYPE_HASH, the /64 fast path ----
 * PMIPv6 home network prefixes are /64s, and an LPM trie walk costs one
 * dependent memory access per level (measured: 10x slower at 1M MNs than
 * at 1, docs/PERFORMANCE.md). So every /64 lives in this exact-match hash,
 * keyed by the prefix's first 8 octets, and only other lengths go to the
 * trie. Lookup (bpf/xp_prefix.h): trie first (an empty trie costs one
 * load); a trie hit flagged XP_PFXF_LONG (longer than /64) wins, else the
 * /64 hash, else the trie's shorter match: longest-prefix semantics kept.
 * Writers use xp_pfx_map_put()/xp_pfx_map_del() (user/pfxmap.h), which
 * choose the map and set XP_PFXF_LONG.
 */
#define XP_PREFIX64_LEN		64
struct xp_prefix64_key {
	__u32 a32[2];			/* first 8 octets, network order */
};
_Static_assert(sizeof(struct xp_prefix64_key) == 8, "xp_prefix64_key layout");

struct xp_prefix_val {
	__u32 mn_id;			/* agent-assigned MN index */
	__u16 bid;			/* owner binding: default downlink path */
	__u8  kind;			/* enum xp_prefix_kind */
	__u8  flags;			/* XP_PFXF_* */
};
_Static_assert(sizeof(struct xp_prefix_val) == 8, "xp_prefix_val layout");

/* ---- xp_bind_v1: BPF_MAP_TYPE_HASH, one entry per binding ---- */
struct xp_bind_key {
	__u32 mn_id;
	__u16 bid;			/* RFC 5648 binding identifier */
	__u16 pad;
};
_Static_assert(sizeof(struct xp_bind_key) == 8, "xp_bind_key layout");

#define XP_BF_PRIMARY		0x01	/* 000 P flag: interface of the primary HoA */
#define XP_BF_ACTIVE		0x02	/* registered and usable */
#define XP_BF_IDLE		0x04	/* 001 Idle flag */

struct xp_bind_val {
	union xp_addr6 peer;		/* LMA: Proxy-CoA; MAG: LMA address */
	union xp_addr6 local;		/* LMA: LMA address; MAG: Proxy-CoA */
	union xp_addr6 hoa;		/* this interface's HoA (000), or zero */
	__u32 ifindex;			/* MAG: access interface; LMA: 0 */
	__u8  mn_mac[6];		/* MAG: MN interface MAC */
	__u8  if_mac[6];		/* MAG: access interface MAC */
	__u16 mtu;			/* inner MTU advertised to the MN */
	__u8  ifp;			/* 000 interface priority */
	__u8  flags;			/* XP_BF_* */
	__u8  att;			/* access technology type */
	__u8  bid_pri;			/* RFC 6089 BID-PRI */
	__u16 pad;
};
_Static_assert(sizeof(struct xp_bind_val) == 72, "xp_bind_val layout");

/* ---- xp_mn_v1: BPF_MAP_TYPE_HASH, per-MN downlink decision ---- */
struct xp_mn_val {
	union xp_addr6 primary_hoa;	/* 000 primary HoA, or zero */
	__u32 flow_gen;			/* bumped when the MN's flows change */
	__u16 dl_bid[XP_MAX_DL_BINDINGS]; /* highest-IFP binding(s) */
	__u8  n_dl;			/* 0: use the prefix owner binding */
	__u8  flags;
	__u16 pad;
};
_Static_assert(sizeof(struct xp_mn_val) == 28, "xp_mn_val layout");

/*
 * ---- xp_mnif_v1: BPF_MAP_TYPE_HASH on the MN (xpmipd --role mn) ----
 * One entry per MN interface, keyed by ifindex (__u32), written by the MN
 * helper (user/mn.c) and read by bpf/mn.bpf.c. 000 sections 2 and 4: on a
 * non-primary interface a packet from the primary HoA leaves with the
 * interface's HoA as source and a Primary HoA destination option; a packet
 * arriving with a Type 2 routing header naming the primary HoA gets it back
 * as destination.
 */
#define XP_MAP_MNIF		"xp_mnif_v1"
#define XP_MAX_MN_IFS		64
#define XP_MNIF_F_PRIMARY	0x01	/* this interface holds the primary HoA */

struct xp_mnif_val {
	union xp_addr6 hoa;		/* this interface's HoA */
	union xp_addr6 primary_hoa;	/* the MN's primary HoA */
	__u8  flags;			/* XP_MNIF_F_* */
	__u8  hoa_opt;			/* Primary HoA option type (wire default 0x1E) */
	__u16 mtu;			/* the interface's IPv6 MTU (the RA's), 0: unknown */
};
_Static_assert(sizeof(struct xp_mnif_val) == 36, "xp_mnif_val layout");

/* xp_mn_val.flags */
#define XP_MNF_FLOWS		0x01	/* the MN has active flow entries: walk xp_fsel_v1 */

/*
 * ---- xp_fsel_v1: BPF_MAP_TYPE_HASH, MN index -> its flow selectors ----
 * The LMA's flow mobility cache (RFC 7864 section 5.2) as the data plane
 * needs it: only ACTIVE entries, sorted by FID-PRI (then FID), each with the
 * one binding the agent chose (the first registered BID of the entry). The
 * downlink walks sel[0 .. n-1] and stops at the first match
 * (bpf/xp_flow.h). One value per MN: one lookup, then a linear scan.
 *
 * Unlike the other maps, range bounds are in HOST order: they are compared
 * with < and >, not for equality. Addresses are 128-bit numbers split in
 * two host-order halves (hi = first 8 octets). A field takes part in the
 * match only if its XP_FSEL_* bit is set in fields.
 */
#define XP_FSEL_SRC		0x0001	/* source address range */
#define XP_FSEL_DST		0x0002	/* destination address range */
#define XP_FSEL_SPI		0x0004	/* IPsec SPI range (ESP packets only) */
#define XP_FSEL_FL		0x0008	/* flow label range (20 bits) */
#define XP_FSEL_SPORT		0x0010	/* source port range (TCP/UDP/SCTP only) */
#define XP_FSEL_DPORT		0x0020	/* destination port range (TCP/UDP/SCTP only) */
#define XP_FSEL_TC		0x0040	/* traffic class range */
#define XP_FSEL_NH		0x0080	/* upper-layer protocol range */

struct xp_u128 {
	__u64 hi, lo;			/* host order */
};

struct xp_flow_sel {
	struct xp_u128 src_lo, src_hi, dst_lo, dst_hi;
	__u32 spi_lo, spi_hi;
	__u32 fl_lo, fl_hi;
	__u16 sport_lo, sport_hi;
	__u16 dport_lo, dport_hi;
	__u8  tc_lo, tc_hi;
	__u8  nh_lo, nh_hi;
	__u16 fields;			/* XP_FSEL_* */
	__u16 fid;			/* for counters and debugging */
	__u16 bid;			/* forward: the binding to use */
	__u8  action;			/* XP_FBA_FORWARD / XP_FBA_DROP (xpmip_wire.h) */
	__u8  pad;
	__u32 pad2;
};
_Static_assert(sizeof(struct xp_flow_sel) == 104, "xp_flow_sel layout");

struct xp_flow_set {
	__u32 n;			/* valid entries in sel[] */
	__u32 gen;			/* the xp_mn_val.flow_gen it was written with */
	struct xp_flow_sel sel[XP_MAX_FLOWS_PER_MN];
};
_Static_assert(sizeof(struct xp_flow_set) == 8 + 104 * XP_MAX_FLOWS_PER_MN, "xp_flow_set layout");

/*
 * ---- xp_fcache_v1: BPF_MAP_TYPE_LRU_HASH, the exact-match flow cache ----
 * Key: every packet field a selector can look at, plus the MN and its
 * flow_gen. The agent never deletes from it: bumping xp_mn_val.flow_gen
 * makes the MN's old entries unreachable and the LRU recycles them. A
 * packet that matches no selector is cached too (action XP_FC_NOMATCH).
 * Addresses in network order; the other fields in host order; fields a
 * packet does not have (ports of ICMPv6, SPI of UDP) are zero.
 */
struct xp_fc_key {
	union xp_addr6 src, dst;
	__u32 mn_id;
	__u32 gen;
	__u32 spi;
	__u32 fl;
	__u16 sport, dport;
	__u8  tc, nh;
	__u16 pad;			/* bpf/xp_flow.h: the fields the packet has */
};
_Static_assert(sizeof(struct xp_fc_key) == 56, "xp_fc_key layout");

#define XP_FC_NOMATCH		0	/* no flow entry: IFP choice / prefix owner */

struct xp_fc_val {
	__u16 bid;			/* forward: the binding */
	__u8  action;			/* XP_FC_NOMATCH, XP_FBA_FORWARD, XP_FBA_DROP */
	__u8  pad;
};
_Static_assert(sizeof(struct xp_fc_val) == 4, "xp_fc_val layout");

/*
 * ---- xp_nh_v1: BPF_MAP_TYPE_LRU_HASH, the next-hop cache (bpf/xp_fib.h) ----
 * What bpf_fib_lookup answered for an encapsulated packet (LMA downlink,
 * MAG uplink): the outer destination is a tunnel peer, so one entry serves
 * every binding behind that Proxy-CoA / LMA. Written by the programs on a
 * successful lookup, never by the agent. An entry is used only while its
 * gen equals xp_nhgen_v1's (the agent bumps that on every route, rule,
 * neighbour or link change it hears of through rtnetlink: user/nhwatch.c),
 * it is younger than XP_NH_MAX_AGE_JIFFIES (a bound on staleness while no
 * agent runs), it was filled for the packet's ingress interface (an input
 * of the lookup: iif rules, VRFs), and the packet fits its MTU. Otherwise the program asks the
 * FIB again.
 */
struct xp_nh_key {
	union xp_addr6 src, dst;	/* outer IPv6 source and destination, in the
					 * order of bpf_fib_lookup's ipv6_src/ipv6_dst
					 * (xp_fib.h uses those fields as the key) */
};
_Static_assert(sizeof(struct xp_nh_key) == 32, "xp_nh_key layout");

struct xp_nh_val {
	__u32 stamp;			/* low 32 bits of bpf_jiffies64() when filled */
	__u32 gen;			/* xp_nhgen_v1 gen read before the lookup */
	__u32 iif;			/* ingress interface the answer was for */
	__u32 oif;			/* egress */
	__u8  dmac[6];			/* next hop's MAC */
	__u8  smac[6];			/* egress interface's MAC */
	__u16 mtu;			/* route MTU (bpf_fib_lookup mtu_result) */
	__u16 pad;
};
_Static_assert(sizeof(struct xp_nh_val) == 32, "xp_nh_val layout");

/* 1024 jiffies: 1 s at HZ=1000, 4 s at 250, ~10 s at 100 */
#define XP_NH_MAX_AGE_JIFFIES	1024u

/* ---- xp_nhgen_v1: BPF_MAP_TYPE_ARRAY[1], written by the agent only ---- */
struct xp_nhgen {
	__u32 gen;			/* bumped: every cached next hop is stale */
	__u32 pad;
};
_Static_assert(sizeof(struct xp_nhgen) == 8, "xp_nhgen layout");

/* ---- xp_ul_v1: BPF_MAP_TYPE_HASH, LMA uplink anti-spoofing ---- */
struct xp_ul_key {
	union xp_addr6 pcoa;		/* outer source of the tunnelled packet */
	__u32 mn_id;			/* MN owning the inner source prefix */
};
_Static_assert(sizeof(struct xp_ul_key) == 20, "xp_ul_key layout");

struct xp_ul_val {
	__u16 bid;
	__u16 pad;
};

/* ---- xp_peer_v1: BPF_MAP_TYPE_HASH, tunnel endpoints we accept ---- */
struct xp_peer_val {
	__u32 refcnt;			/* bindings using this peer */
};

/*
 * ---- xp_bstat_v2: BPF_MAP_TYPE_HASH (NO_PREALLOC) keyed by xp_bind_key ----
 * One value per binding, incremented by the programs with atomic adds. v1
 * was a PERCPU_HASH: reading a per-CPU value is one more cache and TLB miss
 * (the per-CPU chunk is vmalloc'ed) per packet, the most expensive of the
 * downlink's lookups at 10k-1M MNs, and a per-CPU allocation per binding
 * (docs/PERFORMANCE.md, "Where the time goes"). The price: two CPUs
 * forwarding the same binding's packets at once share the counters' line.
 */
struct xp_bind_stats {
	__u64 dl_packets;
	__u64 dl_bytes;
	__u64 ul_packets;
	__u64 ul_bytes;
};

/*
 * ---- xp_trace_v1: BPF_MAP_TYPE_RINGBUF (kernel >= 5.8) ----
 * User-plane events for `xpmipctl trace`, written only while xp_cfg_v1
 * has XP_CFG_F_TRACE and only on rare paths, never per forwarded packet:
 *  - XP_TRACE_DROP: a dropped packet (bpf/xp_trace.h, from xp_verdict());
 *  - XP_TRACE_SWITCH: the LMA's downlink choice for an MN changed. The
 *    agent is the one writer of that choice (xp_mn_v1 downlink BIDs,
 *    xp_fsel_v1 flow bindings, xp_pfx_v1 prefix owners), so it compares
 *    the old and the new value where it rewrites them and hands the event
 *    to xp_trace_emit (BPF_PROG_TEST_RUN), which copies it to the ring.
 * A full ring loses events, never packets.
 */
#define XP_TRACE_RING_BYTES	(256u * 1024u)	/* power of two, page multiple */

enum xp_trace_kind {
	XP_TRACE_DROP = 1,		/* reason: the DROP_* counted */
	XP_TRACE_SWITCH = 2,		/* reason: enum xp_trace_cause */
};

/* why an MN's downlink moved to another binding */
enum xp_trace_cause {
	XP_SW_DOWNLINK = 1,		/* the MN's default binding(s): handover,
					 * interface priority / primary switch */
	XP_SW_FLOW = 2,			/* one flow's binding (flow mobility) */
	XP_SW_PREFIX = 3,		/* one prefix's owner binding (2-level) */
};

#define XP_TRACE_F_INNER	0x01	/* inner_src/inner_dst: IPv6-in-IPv6 */

/* XP_TRACE_SWITCH body: the MN by its data plane index (xpmipctl
 * bindings MN-IDX), the BIDs and Proxy-CoAs before and after */
struct xp_trace_switch {
	__u32 mn_idx;			/* xp_bind_key.mn_id */
	__u16 old_bid, new_bid;		/* 0: none */
	__u16 fid;			/* XP_SW_FLOW: the flow, else 0 */
	__u8  plen;			/* XP_SW_PREFIX: prefix length, else 0 */
	__u8  pad;
	union xp_addr6 prefix;		/* XP_SW_PREFIX: the prefix, else zero */
	union xp_addr6 old_peer, new_peer;
};

struct xp_trace_event {
	__u64 ts_ns;			/* bpf_ktime_get_ns (CLOCK_MONOTONIC) */
	__u32 kind;			/* enum xp_trace_kind */
	__u32 reason;			/* DROP: enum xp_reason; SWITCH: enum xp_trace_cause */
	union {
		struct {		/* XP_TRACE_DROP */
			__u32 ifindex;		/* ingress interface */
			__u8  src_mac[6];	/* Ethernet source */
			__u8  flags;		/* XP_TRACE_F_* */
			__u8  pad;
			union xp_addr6 src, dst;	/* outer IPv6 header; zero if none */
			union xp_addr6 inner_src, inner_dst;
		};
		struct xp_trace_switch sw;	/* XP_TRACE_SWITCH */
	};
	__u32 pad2;			/* to the 8-octet alignment of ts_ns */
};
_Static_assert(sizeof(struct xp_trace_switch) == 60, "xp_trace_switch layout");
_Static_assert(sizeof(struct xp_trace_event) == 96, "xp_trace_event layout");

/*
 * ---- xp_cnt_v1: BPF_MAP_TYPE_PERCPU_ARRAY[XP_R_MAX] of __u64 ----
 * Every verdict a program returns increments exactly one reason.
 * XP_REASON_LIST(X) keeps the enum and the names in one place.
 */
#define XP_REASON_LIST(X)						\
	X(PASS_NOT_IPV6,	"pass: not IPv6")			\
	X(PASS_CONTROL,		"pass: MH/ND/RS/RA to the stack")	\
	X(PASS_NO_PREFIX,	"pass: destination not a mobile prefix") \
	X(PASS_NOT_TUNNEL,	"pass: not a tunnel packet for us")	\
	X(PASS_NO_NEIGH,	"pass: next hop unresolved, stack forwards") \
	X(PASS_DISABLED,	"pass: agent not ready")		\
	X(DL_FORWARD,		"downlink: encapsulated and forwarded")	\
	X(UL_FORWARD,		"uplink: decapsulated and forwarded")	\
	X(UL_ENCAP,		"MAG uplink: encapsulated to the LMA")	\
	X(DL_DELIVER,		"MAG downlink: decapsulated and delivered") \
	X(DROP_MALFORMED,	"drop: truncated or malformed header")	\
	X(DROP_EXTHDR_LIMIT,	"drop: too many extension headers")	\
	X(DROP_NO_BINDING,	"drop: prefix without an active binding") \
	X(DROP_SPOOFED_SRC,	"drop: inner source not owned by the peer's MN") \
	X(DROP_UNKNOWN_PEER,	"drop: tunnel from an unregistered peer") \
	X(DROP_HOP_LIMIT,	"drop: hop limit exceeded")		\
	X(DROP_FIB,		"drop: no route")			\
	X(DROP_HEADROOM,	"drop: cannot grow or shrink the packet") \
	X(DROP_BAD_PRIMARY_HOA,	"drop: Primary HoA option is not the MN's primary HoA") \
	X(DROP_RH2_HBH,		"drop: Hop-by-Hop header where the Type 2 routing header goes") \
	X(DROP_FLOW_ACTION,	"drop: flow mobility drop action")	\
	X(PTB_SENT,		"ICMPv6 packet too big returned")	\
	X(PASS_HOP_LIMIT,	"pass: hop limit expires, stack sends Time Exceeded") \
	X(PASS_FIB,		"pass: route lookup left to the stack")	\
	X(DL_FORWARD_RH2,	"downlink: to a non-primary interface's HoA with a Type 2 routing header") \
	X(UL_FORWARD_HOA,	"uplink: Primary HoA option removed, source restored, forwarded") \
	X(PASS_DL_DUP,		"pass: equal IFP, the TC program sends a copy down each path") \
	X(DL_DUP,		"TC downlink: equal IFP, one copy down each path")	\
	X(DL_DUP_GSO,		"TC downlink: equal IFP, GSO (GRO-merged) packet sent down one path only") \
	X(TC_PASS,		"TC: not an equal-IFP downlink packet, to the stack") \
	X(MN_UL_HOA,		"MN egress: source set to the interface's HoA, Primary HoA option added") \
	X(MN_DL_RH2,		"MN ingress: Type 2 routing header removed, destination = primary HoA") \
	X(MN_PASS,		"MN: nothing to change")	\
	X(MN_PTB,		"MN egress: no room for the Primary HoA option: ICMPv6 Packet Too Big to the local stack")

enum xp_reason {
#define XP_REASON_ENUM(name, text) XP_R_##name,
	XP_REASON_LIST(XP_REASON_ENUM)
#undef XP_REASON_ENUM
	XP_R_MAX
};

#ifndef __bpf__
static const char *const xp_reason_names[XP_R_MAX] __attribute__((unused)) = {
#define XP_REASON_NAME(name, text) [XP_R_##name] = #name,
	XP_REASON_LIST(XP_REASON_NAME)
#undef XP_REASON_NAME
};
static const char *const xp_reason_text[XP_R_MAX] __attribute__((unused)) = {
#define XP_REASON_TEXT(name, text) [XP_R_##name] = text,
	XP_REASON_LIST(XP_REASON_TEXT)
#undef XP_REASON_TEXT
};
#endif

#endif /* XPMIP_MAPS_H */
