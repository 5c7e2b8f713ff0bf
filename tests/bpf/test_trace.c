// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_trace.c - the user-plane trace (bpf/xp_trace.h) through
 * BPF_PROG_TEST_RUN on the real LMA and MAG objects: with XP_CFG_F_TRACE a
 * dropped packet puts one event on xp_trace_v1 with its reason, ingress
 * interface, Ethernet source and outer/inner addresses; without the flag,
 * or for a forwarded packet, nothing is written.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xpmip_maps.h"
#include "xpmip_wire.h"
#include "lma.skel.h"
#include "mag.skel.h"
#include "pkt.h"
#include "bpftest.h"

#define LMA	"2001:db8:1::1"
#define MAG1	"2001:db8:1::2"
#define MAG_UNKNOWN "2001:db8:1::9"
#define CN	"2001:db8:99::5"
#define MN1	"2001:db8:a1::10"
#define SPOOF	"2001:db8:55::1"

static struct bt_env env;
static struct bt_result res;
static struct xp_trace_event got[8];
static int n_got;

static int on_event(void *ctx, void *data, size_t len)
{
	(void)ctx;
	cr_assert_eq(len, sizeof(struct xp_trace_event), "event of %zu octets", len);
	if (n_got < 8)
		memcpy(&got[n_got], data, sizeof(got[0]));
	n_got++;
	return 0;
}

static int drain(int ring_fd)
{
	struct ring_buffer *rb = ring_buffer__new(ring_fd, on_event, NULL, NULL);

	cr_assert_not_null(rb);
	n_got = 0;
	ring_buffer__consume(rb);
	ring_buffer__free(rb);
	return n_got;
}

static void ul_tunnel(struct pkt *p, const char *pcoa, const char *src, const char *dst)
{
	pkt_init(p);
	pkt_eth(p, BT_MAC_A, BT_MAC_GW2, 0x86dd);
	pkt_ip6(p, pcoa, LMA, XP_IPPROTO_IPV6, 64, 0, 0);
	pkt_ip6(p, src, dst, XP_IPPROTO_UDP, 64, 0, 0);
	pkt_udp(p, 3000, 4000, 10);
	pkt_finish(p);
}

static void addr_is(const union xp_addr6 *a, const char *want)
{
	uint8_t w[16];

	pkt_addr(want, w);
	cr_assert_eq(memcmp(a->a8, w, 16), 0, "address differs from %s", want);
}

static struct xp_lma *lma_setup(uint32_t flags, int *prog, int *cnt, int *ring)
{
	struct xp_lma *s;

	cr_assert_eq(bt_netns(&env), 0, "network namespace");
	s = BT_OPEN_AND_LOAD(xp_lma);
	cr_assert_not_null(s, "load lma.bpf.o");
	*prog = bpf_program__fd(s->progs.xp_lma_rx);
	*cnt = bpf_map__fd(s->maps.xp_cnt_v1);
	*ring = bpf_map__fd(s->maps.xp_trace_v1);
	cr_assert_eq(bt_set_cfg(bpf_map__fd(s->maps.xp_cfg_v1), LMA, 1500, 64, flags), 0);
	cr_assert_eq(bt_add_prefix(bpf_map__fd(s->maps.xp_pfx_v1), "2001:db8:a1::", 64, 1, 1, 0), 0);
	cr_assert_eq(bt_add_bind(bpf_map__fd(s->maps.xp_bind_v1), 1, 1, MAG1, LMA, 0, NULL, NULL,
				 XP_BF_ACTIVE), 0);
	cr_assert_eq(bt_add_peer(bpf_map__fd(s->maps.xp_peer_v1), MAG1), 0);
	cr_assert_eq(bt_add_ul(bpf_map__fd(s->maps.xp_ul_v1), MAG1, 1, 1), 0);
	return s;
}

Test(trace, lma_drop_emits_one_event_with_addresses)
{
	int prog, cnt, ring;
	struct xp_lma *s = lma_setup(XP_CFG_F_ENABLED | XP_CFG_F_TRACE, &prog, &cnt, &ring);
	struct pkt in;
	uint8_t mac[6];

	ul_tunnel(&in, MAG1, SPOOF, CN);
	cr_assert_eq(bt_run(prog, cnt, in.b, in.len, env.if_a, &res), 0);
	cr_assert_eq(res.retval, XDP_DROP);
	cr_assert_eq(res.cnt_delta[XP_R_DROP_SPOOFED_SRC], 1);
	cr_assert_eq(drain(ring), 1, "events: %d", n_got);
	cr_assert_eq(got[0].kind, XP_TRACE_DROP);
	cr_assert_eq(got[0].reason, XP_R_DROP_SPOOFED_SRC);
	cr_assert_eq(got[0].ifindex, (uint32_t)env.if_a);
	cr_assert_neq(got[0].ts_ns, 0);
	pkt_mac(BT_MAC_GW2, mac);
	cr_assert_eq(memcmp(got[0].src_mac, mac, 6), 0);
	addr_is(&got[0].src, MAG1);
	addr_is(&got[0].dst, LMA);
	cr_assert(got[0].flags & XP_TRACE_F_INNER);
	addr_is(&got[0].inner_src, SPOOF);
	addr_is(&got[0].inner_dst, CN);

	/* another drop reason, same path */
	ul_tunnel(&in, MAG_UNKNOWN, MN1, CN);
	cr_assert_eq(bt_run(prog, cnt, in.b, in.len, env.if_a, &res), 0);
	cr_assert_eq(drain(ring), 1);
	cr_assert_eq(got[0].reason, XP_R_DROP_UNKNOWN_PEER);
	xp_lma__destroy(s);
}

Test(trace, forwarded_and_passed_packets_emit_nothing)
{
	int prog, cnt, ring;
	struct xp_lma *s = lma_setup(XP_CFG_F_ENABLED | XP_CFG_F_TRACE, &prog, &cnt, &ring);
	struct pkt in;

	ul_tunnel(&in, MAG1, MN1, CN);
	cr_assert_eq(bt_run(prog, cnt, in.b, in.len, env.if_a, &res), 0);
	cr_assert_eq(res.cnt_delta[XP_R_UL_FORWARD], 1, "uplink forwarded");
	/* CN -> a non-mobile destination: passed to the stack */
	pkt_init(&in);
	pkt_eth(&in, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_ip6(&in, CN, "2001:db8:77::1", XP_IPPROTO_UDP, 64, 0, 0);
	pkt_udp(&in, 1, 2, 10);
	pkt_finish(&in);
	cr_assert_eq(bt_run(prog, cnt, in.b, in.len, env.if_a, &res), 0);
	cr_assert_eq(res.retval, XDP_PASS);
	cr_assert_eq(drain(ring), 0, "events: %d", n_got);
	xp_lma__destroy(s);
}

Test(trace, off_without_the_flag)
{
	int prog, cnt, ring;
	struct xp_lma *s = lma_setup(XP_CFG_F_ENABLED, &prog, &cnt, &ring);
	struct pkt in;

	ul_tunnel(&in, MAG1, SPOOF, CN);
	cr_assert_eq(bt_run(prog, cnt, in.b, in.len, env.if_a, &res), 0);
	cr_assert_eq(res.retval, XDP_DROP);
	cr_assert_eq(res.cnt_delta[XP_R_DROP_SPOOFED_SRC], 1, "still counted");
	cr_assert_eq(drain(ring), 0, "events: %d", n_got);
	xp_lma__destroy(s);
}

Test(trace, truncated_packet_leaves_addresses_zero)
{
	int prog, cnt, ring;
	struct xp_lma *s = lma_setup(XP_CFG_F_ENABLED | XP_CFG_F_TRACE, &prog, &cnt, &ring);
	struct pkt in;
	union xp_addr6 zero;

	/* Ethernet + 20 octets of an IPv6 header: DROP_MALFORMED */
	pkt_init(&in);
	pkt_eth(&in, BT_MAC_A, BT_MAC_CN, 0x86dd);
	pkt_fill(&in, 20, 1);
	cr_assert_eq(bt_run(prog, cnt, in.b, in.len, env.if_a, &res), 0);
	cr_assert_eq(res.retval, XDP_DROP);
	cr_assert_eq(drain(ring), 1);
	cr_assert_eq(got[0].reason, XP_R_DROP_MALFORMED);
	memset(&zero, 0, sizeof(zero));
	cr_assert_eq(memcmp(&got[0].src, &zero, sizeof(zero)), 0);
	cr_assert_eq(got[0].flags & XP_TRACE_F_INNER, 0);
	xp_lma__destroy(s);
}

Test(trace, mag_access_spoof_carries_the_mn_mac)
{
	struct xp_mag *s;
	struct pkt in;
	uint8_t mac[6];
	int prog, cnt, ring;

	cr_assert_eq(bt_netns(&env), 0, "network namespace");
	s = BT_OPEN_AND_LOAD(xp_mag);
	cr_assert_not_null(s, "load mag.bpf.o");
	prog = bpf_program__fd(s->progs.xp_mag_access);
	cnt = bpf_map__fd(s->maps.xp_cnt_v1);
	ring = bpf_map__fd(s->maps.xp_trace_v1);
	cr_assert_eq(bt_set_cfg(bpf_map__fd(s->maps.xp_cfg_v1), MAG1, 1500, 64,
				XP_CFG_F_ENABLED | XP_CFG_F_TRACE), 0);
	/* an MN with no binding on this MAG sends: dropped at the access side */
	pkt_init(&in);
	pkt_eth(&in, BT_MAC_C, BT_MAC_MN, 0x86dd);
	pkt_ip6(&in, SPOOF, CN, XP_IPPROTO_UDP, 64, 0, 0);
	pkt_udp(&in, 1, 2, 10);
	pkt_finish(&in);
	cr_assert_eq(bt_run(prog, cnt, in.b, in.len, env.if_c, &res), 0);
	cr_assert_eq(res.retval, XDP_DROP, "action %s", bt_action(res.retval));
	cr_assert_eq(drain(ring), 1, "events: %d", n_got);
	pkt_mac(BT_MAC_MN, mac);
	cr_assert_eq(memcmp(got[0].src_mac, mac, 6), 0);
	cr_assert_eq(got[0].ifindex, (uint32_t)env.if_c);
	addr_is(&got[0].src, SPOOF);
	cr_assert_eq(got[0].flags & XP_TRACE_F_INNER, 0);
	xp_mag__destroy(s);
}

/* the agent's switch events: xp_trace_emit copies the event it is run
 * with to the ring, stamped and typed, and only while tracing is on */
static void run_emit(struct xp_lma *s, const struct xp_trace_event *ev)
{
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = ev, .data_size_in = sizeof(*ev),
		    .repeat = 1);

	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(s->progs.xp_trace_emit), &run), 0);
}

Test(trace, switch_event_from_the_agent)
{
	int prog, cnt, ring;
	struct xp_lma *s = lma_setup(XP_CFG_F_ENABLED | XP_CFG_F_TRACE, &prog, &cnt, &ring);
	struct xp_trace_event ev = { .reason = XP_SW_FLOW };

	ev.sw.mn_idx = 3;
	ev.sw.old_bid = 1;
	ev.sw.new_bid = 2;
	ev.sw.fid = 7;
	pkt_addr(MAG1, ev.sw.new_peer.a8);
	run_emit(s, &ev);
	cr_assert_eq(drain(ring), 1, "events: %d", n_got);
	cr_assert_eq(got[0].kind, XP_TRACE_SWITCH);
	cr_assert_eq(got[0].reason, XP_SW_FLOW);
	cr_assert_neq(got[0].ts_ns, 0);
	cr_assert_eq(got[0].sw.mn_idx, 3);
	cr_assert_eq(got[0].sw.old_bid, 1);
	cr_assert_eq(got[0].sw.new_bid, 2);
	cr_assert_eq(got[0].sw.fid, 7);
	addr_is(&got[0].sw.new_peer, MAG1);
	xp_lma__destroy(s);
}

Test(trace, switch_event_off_without_the_flag)
{
	int prog, cnt, ring;
	struct xp_lma *s = lma_setup(XP_CFG_F_ENABLED, &prog, &cnt, &ring);
	struct xp_trace_event ev = { .reason = XP_SW_DOWNLINK };

	run_emit(s, &ev);
	cr_assert_eq(drain(ring), 0);
	xp_lma__destroy(s);
}
