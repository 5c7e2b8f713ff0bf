/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * bpftest.h - BPF_PROG_TEST_RUN plumbing for tests/bpf/: a private network
 * namespace with routes and PERMANENT neighbours (so bpf_fib_lookup
 * resolves), running one packet, and reading the reason counters.
 *
 * The namespace comes from unshare(CLONE_NEWNET) in the calling process:
 * Criterion runs every test in its own process, so the namespace and
 * everything in it disappear with the test, pass or fail.
 *
 * Topology (all in one namespace, both veth pairs up, forwarding on):
 *   xpa  02:00:00:00:00:01  2001:db8:1::1/64   core / tunnel side
 *     neighbours 2001:db8:1::2 -> 02:00:00:00:00:02  (PERMANENT)
 *                2001:db8:1::3 -> 02:00:00:00:00:03  (PERMANENT)
 *     2001:db8:99::/64 via 2001:db8:1::3   (a CN network)
 *     2001:db8:98::/64 via 2001:db8:1::4   (next hop with no neighbour)
 *     unreachable 2001:db8:97::/64
 *   xpb  peer of xpa
 *   xpc  02:00:00:00:00:0c  fe80::c/64 only  access side (MAG)
 *   xpd  peer of xpc
 */
#ifndef XP_TEST_BPFTEST_H
#define XP_TEST_BPFTEST_H

#include <stddef.h>
#include <stdint.h>

#include "xpmip_maps.h"

#define BT_MAC_A	"02:00:00:00:00:01"
#define BT_MAC_GW2	"02:00:00:00:00:02"
#define BT_MAC_GW3	"02:00:00:00:00:03"
#define BT_MAC_C	"02:00:00:00:00:0c"
#define BT_MAC_MN	"02:00:00:00:00:0e"
#define BT_MAC_CN	"02:00:00:00:00:99"

struct bt_env {
	int if_a, if_c;
};

/* 0 or -1 (with a message on stderr) */
int bt_netns(struct bt_env *e);

struct bt_result {
	uint32_t retval;
	uint8_t out[4096];
	uint32_t out_len;
	uint64_t cnt_delta[XP_R_MAX];
	int n_reasons;		/* reasons whose counter moved */
	int total;		/* sum of the deltas */
};

/* Run one packet through prog_fd on ingress ifindex; counters from cnt_fd */
int bt_run(int prog_fd, int cnt_fd, const void *pkt, size_t len, int ifindex,
	   struct bt_result *r);

/* The same for a TC (sched_cls) program: the skb arrives on ifindex */
int bt_run_tc(int prog_fd, int cnt_fd, const void *pkt, size_t len, int ifindex,
	      struct bt_result *r);

int bt_counters(int cnt_fd, uint64_t out[XP_R_MAX]);

const char *bt_action(uint32_t a);

/*
 * What every program test asserts after bt_run(), written once (the
 * helpers link without criterion: tests/bench uses them too):
 * bt_verdict_diff: "" when r has this action and exactly one counter
 * increment, of this reason; else what differs. bt_output_diff: "" when
 * r's output frame is want (len octets) byte for byte; else the first
 * difference. Static buffers: use the text before the next call.
 */
const char *bt_verdict_diff(const struct bt_result *r, uint32_t action, int reason);
const char *bt_output_diff(const struct bt_result *r, const void *want, size_t len);

/* convenience map writers (exit the test on failure via return code) */
int bt_set_cfg(int fd, const char *local, uint16_t mtu, uint8_t hops, uint32_t flags);
int bt_add_prefix(int fd, const char *addr, uint32_t plen, uint32_t mn_id, uint16_t bid,
		  uint8_t flags);
int bt_add_bind(int fd, uint32_t mn_id, uint16_t bid, const char *peer, const char *local,
		uint32_t ifindex, const char *mn_mac, const char *if_mac, uint8_t flags);
int bt_add_peer(int fd, const char *addr);
int bt_add_ul(int fd, const char *pcoa, uint32_t mn_id, uint16_t bid);

/*
 * Loading a skeleton for a test: BT_OPEN_AND_LOAD(xp_lma) in place of
 * xp_lma__open_and_load(), NULL on failure. The objects declare the
 * production capacities (2^21 bindings and prefixes); a hash map that
 * large allocates its whole bucket array at creation (32 MB zeroed, 0.1 to
 * 0.4 s each, five of them per object), and every test loads a fresh
 * object, so without this most of the BPF stage went into allocating
 * buckets for maps a test puts ten entries in. bt_shrink_maps() caps the
 * plain and per-CPU hash maps at BT_MAP_CAP entries before load; nothing
 * else changes (types, key and value sizes, flags, the programs and what
 * the verifier checks). LRU maps keep their size: it decides eviction.
 */
#define BT_MAP_CAP	65536
struct bpf_object;
int bt_shrink_maps(struct bpf_object *obj);	/* 0 or a negative errno */
#define BT_OPEN_AND_LOAD(name) ({					\
	struct name *bt_s_ = name##__open();				\
	if (bt_s_ && (bt_shrink_maps(bt_s_->obj) || name##__load(bt_s_))) { \
		name##__destroy(bt_s_);					\
		bt_s_ = NULL;						\
	}								\
	bt_s_; })

#endif
