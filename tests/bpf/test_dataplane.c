// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_dataplane.c - the loader (user/dataplane.c) against a real bpffs.
 *
 * Each test runs in private mount and network namespaces with a bpffs
 * mounted on a fresh directory (as the selftests do: `ip netns exec`
 * remounts /sys, so the pin root is passed explicitly). Asserted:
 *  - xp_dp_open pins all eight maps under <root>/<instance>/;
 *  - a second open reuses them (state written before is seen after);
 *  - a pinned map of another layout, size or map_flags is refused with
 *    -EPROTO;
 *  - attach/detach on a veth, counters read back summed over CPUs;
 *  - xp_dp_close(flush) detaches and removes the pins and the directory,
 *    xp_dp_close(no flush) leaves both;
 *  - xp_dp_open_pinned sees the maps without loading programs.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "dataplane.h"
#include "pkt.h"
#include "bpftest.h"

static char root[64];
static struct bt_env env;

static void setup(void)
{
	cr_assert_eq(unshare(CLONE_NEWNS), 0, "mount namespace");
	cr_assert_eq(mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	strcpy(root, "/tmp/xpbpf.XXXXXX");
	cr_assert_not_null(mkdtemp(root));
	cr_assert_eq(mount("bpf", root, "bpf", 0, NULL), 0, "mount bpffs: %s", strerror(errno));
	cr_assert_eq(bt_netns(&env), 0);
}

static void teardown(void)
{
	umount2(root, MNT_DETACH);
	rmdir(root);
}

TestSuite(dataplane, .init = setup, .fini = teardown);

static int exists(const char *instance, const char *name)
{
	char p[256];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s%s%s", root, instance, name ? "/" : "", name ? name : "");
	return stat(p, &st) == 0;
}

static const char *const maps[] = { XP_MAP_CFG, XP_MAP_PREFIX, XP_MAP_BIND, XP_MAP_MN,
				    XP_MAP_UPLINK, XP_MAP_PEER, XP_MAP_COUNTERS, XP_MAP_BSTATS };

Test(dataplane, open_pins_and_reopen_reuses)
{
	struct xp_dp_opts o = { .role = XP_ROLE_LMA, .instance = "lma", .pin_root = root,
				.max_mns = 1024, .max_bindings = 2048, .max_prefixes = 2048 };
	struct xp_cfg cfg = { .flags = XP_CFG_F_ENABLED, .tunnel_mtu = 1500, .hop_limit = 64 };
	struct xp_cfg back;
	struct xp_dp *dp;
	uint32_t zero = 0;

	cr_assert_eq(xp_dp_open(&o, &dp), 0);
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		cr_assert(exists("lma", maps[i]), "%s pinned", maps[i]);
		cr_assert_geq(xp_dp_map_fd(dp, maps[i]), 0);
	}
	cr_assert_eq(xp_dp_map_fd(dp, "nope"), -ENOENT);
	cr_assert_geq(xp_dp_prog_fd(dp, XP_PROG_LMA_RX), 0);
	cr_assert_geq(xp_dp_prog_fd(dp, XP_PROG_PASS), 0);
	cr_assert_eq(xp_dp_prog_fd(dp, XP_PROG_MAG_CORE), -ENOENT);
	pkt_addr("2001:db8::1", cfg.local_addr.a8);
	cr_assert_eq(xp_dp_set_cfg(dp, &cfg), 0);
	xp_dp_close(dp, false);
	cr_assert(exists("lma", XP_MAP_CFG), "no flush: pins stay");

	/* a restarted daemon sees the state */
	cr_assert_eq(xp_dp_open(&o, &dp), 0);
	cr_assert_eq(bpf_map_lookup_elem(xp_dp_map_fd(dp, XP_MAP_CFG), &zero, &back), 0);
	cr_assert_eq(memcmp(&back, &cfg, sizeof(cfg)), 0);
	xp_dp_close(dp, true);
	cr_assert(!exists("lma", XP_MAP_CFG), "flush removes pins");
	cr_assert(!exists("lma", NULL), "flush removes the directory");
}

Test(dataplane, lma_and_mag_share_nothing_but_layout)
{
	struct xp_dp_opts a = { .role = XP_ROLE_LMA, .instance = "lma", .pin_root = root,
				.max_mns = 64, .max_bindings = 64, .max_prefixes = 64 };
	struct xp_dp_opts m = { .role = XP_ROLE_MAG, .instance = "mag1", .pin_root = root,
				.max_mns = 64, .max_bindings = 64, .max_prefixes = 64 };
	struct xp_dp *da, *dm;

	cr_assert_eq(xp_dp_open(&a, &da), 0);
	cr_assert_eq(xp_dp_open(&m, &dm), 0);
	cr_assert_geq(xp_dp_prog_fd(dm, XP_PROG_MAG_ACCESS), 0);
	cr_assert_geq(xp_dp_prog_fd(dm, XP_PROG_MAG_CORE), 0);
	cr_assert(exists("mag1", XP_MAP_BIND));
	xp_dp_close(da, true);
	xp_dp_close(dm, true);
}

/* max_bindings changed since the maps were pinned: refused, not resized */
Test(dataplane, size_mismatch_is_erange)
{
	struct xp_dp_opts o = { .role = XP_ROLE_LMA, .instance = "lma", .pin_root = root,
				.max_mns = 64, .max_bindings = 64, .max_prefixes = 64 };
	struct xp_dp *dp;

	cr_assert_eq(xp_dp_open(&o, &dp), 0);
	xp_dp_close(dp, false);
	o.max_bindings = 128;
	cr_assert_eq(xp_dp_open(&o, &dp), -ERANGE);
	cr_assert_null(dp);
}

/* An "old" xp_bind_v1 pinned for the MAG instance before it starts: a
 * HASH of these sizes; the MAG's open must refuse it with -EPROTO */
static void old_bind_refused(uint32_t key_size, uint32_t value_size)
{
	struct xp_dp_opts o = { .role = XP_ROLE_MAG, .instance = "mag", .pin_root = root,
				.max_mns = 64, .max_bindings = 64, .max_prefixes = 64 };
	char p[256];
	struct xp_dp *dp;
	int fd;

	cr_assert_eq(mkdir(strcat(strcpy(p, root), "/mag"), 0700), 0);
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, XP_MAP_BIND, key_size, value_size, 64, NULL);
	cr_assert_geq(fd, 0);
	snprintf(p, sizeof(p), "%s/mag/%s", root, XP_MAP_BIND);
	cr_assert_eq(bpf_obj_pin(fd, p), 0);
	close(fd);
	cr_assert_eq(xp_dp_open(&o, &dp), -EPROTO);
	cr_assert_null(dp);
}

Test(dataplane, layout_mismatch_is_eproto)
{
	struct xp_dp *dp;

	old_bind_refused(8, 64);	/* another value size */
	cr_assert_eq(xp_dp_open_pinned("mag", root, &dp), -ENOENT, "other maps missing");
}

/* the same layout but other map_flags (preallocated, no BPF_F_NO_PREALLOC):
 * libbpf would take it as it is; the loader refuses it by name */
Test(dataplane, flags_mismatch_is_eproto)
{
	old_bind_refused(sizeof(struct xp_bind_key), sizeof(struct xp_bind_val));
}

Test(dataplane, attach_detach_counters)
{
	struct xp_dp_opts o = { .role = XP_ROLE_MAG, .instance = "mag", .pin_root = root,
				.max_mns = 64, .max_bindings = 64, .max_prefixes = 64 };
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	uint64_t c[XP_R_MAX];
	struct xp_dp *dp, *ro;
	struct bt_result r;
	struct pkt p;

	cr_assert_eq(xp_dp_open(&o, &dp), 0);
	cr_assert_eq(xp_dp_attach_xdp(dp, XP_PROG_MAG_CORE, env.if_a), 0);
	cr_assert_eq(xp_dp_attach_xdp(dp, XP_PROG_MAG_CORE, env.if_a), 0, "re-attach replaces");
	cr_assert_eq(xp_dp_attach_xdp(dp, XP_PROG_PASS, (int)if_nametoindex("xpb")), 0);
	cr_assert_eq(xp_dp_attach_xdp(dp, XP_PROG_LMA_RX, env.if_c), -ENOENT);
	cr_assert_eq(bpf_xdp_query(env.if_a, 0, &q), 0);
	cr_assert_eq(q.attach_mode, XDP_ATTACHED_DRV, "veth has native XDP");

	/* one packet through the loaded program: counters summed */
	pkt_init(&p);
	pkt_eth(&p, BT_MAC_A, BT_MAC_GW2, 0x0806);
	pkt_fill(&p, 28, 0);
	cr_assert_eq(bt_run(xp_dp_prog_fd(dp, XP_PROG_MAG_CORE), xp_dp_map_fd(dp, XP_MAP_COUNTERS),
			    p.b, p.len, env.if_a, &r), 0);
	cr_assert_eq(xp_dp_read_counters(dp, c), 0);
	cr_assert_eq(c[XP_R_PASS_NOT_IPV6], 1);

	/* xpmipctl's view */
	cr_assert_eq(xp_dp_open_pinned("mag", root, &ro), 0);
	cr_assert_eq(xp_dp_read_counters(ro, c), 0);
	cr_assert_eq(c[XP_R_PASS_NOT_IPV6], 1);
	xp_dp_close(ro, false);

	/* close without flush: still attached (netlink attachment outlives us) */
	xp_dp_close(dp, false);
	q.prog_id = 0;
	cr_assert_eq(bpf_xdp_query(env.if_a, 0, &q), 0);
	cr_assert_neq(q.prog_id, 0u);

	cr_assert_eq(xp_dp_open(&o, &dp), 0);
	cr_assert_eq(xp_dp_attach_xdp(dp, XP_PROG_MAG_CORE, env.if_a), 0);
	cr_assert_eq(xp_dp_detach_xdp(dp, (int)if_nametoindex("xpb")), 0);
	xp_dp_close(dp, true);
	q.prog_id = 0;
	cr_assert_eq(bpf_xdp_query(env.if_a, 0, &q), 0);
	cr_assert_eq(q.prog_id, 0u, "flush detaches");
}
