// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_veth_redirect.c - the veth finding behind XP_PROG_PASS, as a test.
 *
 * XDP_REDIRECT into a veth (the MAG delivering to an access veth, the LMA
 * forwarding into a veth) is only delivered when the veth's PEER has its
 * NAPI/XDP rx path enabled: an XDP program attached to the peer, or GRO
 * enabled on the peer (kernel >= 5.13, commit "veth: allow enabling NAPI
 * even without XDP"; so on Debian 12's 6.1 too). Otherwise veth_xdp_xmit()
 * drops the frames. This test redirects real frames (BPF_PROG_TEST_RUN with
 * BPF_F_TEST_XDP_LIVE_FRAMES, kernel >= 5.18) with xp_mag_core into xpc and
 * counts what the peer xpd receives in its XDP rx queue, in three setups.
 */
#include <criterion/criterion.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "xpmip_maps.h"
#include "xpmip_wire.h"
#include "mag.skel.h"
#include "pass.skel.h"
#include "pkt.h"
#include "bpftest.h"

static struct bt_env env;
static struct xp_mag *mag;
static struct xp_pass *pass;

static void setup(void)
{
	cr_assert_eq(bt_netns(&env), 0);
	mag = BT_OPEN_AND_LOAD(xp_mag);
	pass = BT_OPEN_AND_LOAD(xp_pass);
	cr_assert(mag && pass);
	cr_assert_eq(bt_set_cfg(bpf_map__fd(mag->maps.xp_cfg_v1), "2001:db8:1::1", 1500, 64,
				XP_CFG_F_ENABLED), 0);
	cr_assert_eq(bt_add_prefix(bpf_map__fd(mag->maps.xp_pfx_v1), "2001:db8:a1::", 64, 1, 1,
				   0), 0);
	cr_assert_eq(bt_add_bind(bpf_map__fd(mag->maps.xp_bind_v1), 1, 1, "2001:db8:1::2",
				 "2001:db8:1::1", env.if_c, BT_MAC_MN, BT_MAC_C, XP_BF_ACTIVE), 0);
	cr_assert_eq(bt_add_peer(bpf_map__fd(mag->maps.xp_peer_v1), "2001:db8:1::2"), 0);
}

static void teardown(void)
{
	xp_mag__destroy(mag);
	xp_pass__destroy(pass);
}

TestSuite(veth, .init = setup, .fini = teardown);

/* rx_queue_0_xdp_packets of a veth, from ethtool -S */
static long xdp_rx(const char *dev)
{
	char cmd[128], line[256];
	long v = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "ethtool -S %s 2>/dev/null", dev);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "rx_queue_0_xdp_packets:"))
			v = atol(strchr(line, ':') + 1);
	pclose(f);
	return v;
}

static long redirect_burst(void)
{
	struct pkt p;
	struct xdp_md ctx = { 0 };
	long before = xdp_rx("xpd");
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
		    .repeat = 64, .flags = BPF_F_TEST_XDP_LIVE_FRAMES);

	pkt_init(&p);
	pkt_eth(&p, BT_MAC_A, BT_MAC_GW2, 0x86dd);
	pkt_ip6(&p, "2001:db8:1::2", "2001:db8:1::1", XP_IPPROTO_IPV6, 64, 0, 0);
	pkt_ip6(&p, "2001:db8:99::5", "2001:db8:a1::10", XP_IPPROTO_UDP, 64, 0, 0);
	pkt_udp(&p, 1, 2, 64);
	pkt_finish(&p);
	ctx.data_end = (uint32_t)p.len;
	ctx.ingress_ifindex = env.if_a;
	o.data_in = p.b;
	o.data_size_in = (uint32_t)p.len;
	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(mag->progs.xp_mag_core), &o), 0);
	usleep(100000);
	return xdp_rx("xpd") - before;
}

Test(veth, peer_without_xdp_or_gro_drops)
{
	cr_assert_eq(system("ethtool -K xpd gro off >/dev/null 2>&1"), 0);
	cr_assert_eq(redirect_burst(), 0, "frames delivered although the peer has no XDP/GRO");
}

Test(veth, peer_with_xdp_program_receives)
{
	cr_assert_eq(bpf_xdp_attach((int)if_nametoindex("xpd"),
				    bpf_program__fd(pass->progs.xp_pass), XDP_FLAGS_DRV_MODE, NULL), 0);
	cr_assert_gt(redirect_burst(), 0, "xp_pass on the peer must enable delivery");
}

Test(veth, peer_with_gro_receives)
{
	cr_assert_eq(system("ethtool -K xpd gro on >/dev/null 2>&1"), 0);
	cr_assert_gt(redirect_burst(), 0, "GRO on the peer must enable delivery");
}
