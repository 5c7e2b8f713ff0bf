// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* bpftest.c - see bpftest.h */
#include "bpftest.h"
#include "pkt.h"

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

/*
 * The namespace in two steps, in this order: the sysctls (written to
 * /proc/sys/net, which shows the calling process's namespace), then every
 * ip command in one `ip -batch` (one process instead of one shell and one
 * ip per line: the set-up ran once per test and was most of a test's time).
 */
static const char *const bt_sysctls[] = {
	"/proc/sys/net/ipv6/conf/all/forwarding",
	"/proc/sys/net/ipv6/conf/default/forwarding",
};
/* created after the links: per-interface forwarding (default is inherited,
 * written again so that the namespace does not depend on it) */
static const char *const bt_if_sysctls[] = {
	"/proc/sys/net/ipv6/conf/xpa/forwarding",
	"/proc/sys/net/ipv6/conf/xpc/forwarding",
};
static const char *const bt_ip_batch[] = {
	"link set lo up",
	"link add xpa address " BT_MAC_A " type veth peer name xpb",
	"link add xpc address " BT_MAC_C " type veth peer name xpd",
	"link set xpa up", "link set xpb up", "link set xpc up", "link set xpd up",
	"addr add 2001:db8:1::1/64 dev xpa nodad",
	"neigh replace 2001:db8:1::2 lladdr " BT_MAC_GW2 " dev xpa nud permanent",
	"neigh replace 2001:db8:1::3 lladdr " BT_MAC_GW3 " dev xpa nud permanent",
	"route add 2001:db8:99::/64 via 2001:db8:1::3 dev xpa",
	"route add 2001:db8:98::/64 via 2001:db8:1::4 dev xpa",
	"route add unreachable 2001:db8:97::/64",
};

static int bt_write1(const char *path)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (!f) {
		fprintf(stderr, "bt_netns: %s: %s\n", path, strerror(errno));
		return -1;
	}
	rc = fputs("1\n", f) < 0;
	rc |= fclose(f) != 0;
	if (rc)
		fprintf(stderr, "bt_netns: writing %s failed\n", path);
	return rc ? -1 : 0;
}

int bt_netns(struct bt_env *e)
{
	FILE *ip;
	size_t i;

	if (unshare(CLONE_NEWNET)) {
		perror("unshare(CLONE_NEWNET)");
		return -1;
	}
	for (i = 0; i < sizeof(bt_sysctls) / sizeof(bt_sysctls[0]); i++)
		if (bt_write1(bt_sysctls[i]))
			return -1;
	ip = popen("ip -batch - >/dev/null", "w");
	if (!ip) {
		perror("bt_netns: popen ip -batch");
		return -1;
	}
	for (i = 0; i < sizeof(bt_ip_batch) / sizeof(bt_ip_batch[0]); i++)
		fprintf(ip, "%s\n", bt_ip_batch[i]);
	if (pclose(ip) != 0) {
		fprintf(stderr, "bt_netns: ip -batch failed (its message is above)\n");
		return -1;
	}
	for (i = 0; i < sizeof(bt_if_sysctls) / sizeof(bt_if_sysctls[0]); i++)
		if (bt_write1(bt_if_sysctls[i]))
			return -1;
	e->if_a = (int)if_nametoindex("xpa");
	e->if_c = (int)if_nametoindex("xpc");
	return e->if_a && e->if_c ? 0 : -1;
}

/*
 * Every run reads the counters twice: one BPF_MAP_LOOKUP_BATCH for the
 * XP_R_MAX per-CPU values (one syscall, not one per reason: test_fuzz_progs
 * runs 160000 packets), falling back to one lookup per key where batch
 * lookups are refused.
 */
int bt_counters(int cnt_fd, uint64_t out[XP_R_MAX])
{
	int ncpu = libbpf_num_possible_cpus();
	uint32_t keys[XP_R_MAX], next = 0, n = XP_R_MAX;
	uint64_t v[XP_R_MAX * (ncpu > 0 ? ncpu : 1)];
	LIBBPF_OPTS(bpf_map_batch_opts, bo);

	if (ncpu <= 0)
		return -1;
	if (bpf_map_lookup_batch(cnt_fd, NULL, &next, keys, v, &n, &bo) &&
	    errno != ENOENT)
		n = 0;
	if (n == XP_R_MAX) {
		for (uint32_t r = 0; r < XP_R_MAX; r++)
			if (keys[r] != r)
				n = 0;
	}
	if (n != XP_R_MAX) {
		for (uint32_t r = 0; r < XP_R_MAX; r++)
			if (bpf_map_lookup_elem(cnt_fd, &r, v + (size_t)r * ncpu))
				return -1;
	}
	for (uint32_t r = 0; r < XP_R_MAX; r++) {
		out[r] = 0;
		for (int c = 0; c < ncpu; c++)
			out[r] += v[(size_t)r * ncpu + c];
	}
	return 0;
}

/* One test run with ctx, counting reason deltas */
static int bt_run_ctx(int prog_fd, int cnt_fd, const void *pkt, size_t len, void *ctx,
		      size_t ctx_len, struct bt_result *r)
{
	uint64_t before[XP_R_MAX], after[XP_R_MAX];
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = (uint32_t)len,
		    .data_out = r->out, .data_size_out = sizeof(r->out),
		    .ctx_in = ctx, .ctx_size_in = (uint32_t)ctx_len, .repeat = 1);
	int err;

	memset(r, 0, sizeof(*r));
	o.data_out = r->out;
	if (bt_counters(cnt_fd, before))
		return -1;
	err = bpf_prog_test_run_opts(prog_fd, &o);
	if (err) {
		fprintf(stderr, "bt_run: test_run: %s\n", strerror(-err));
		return err;
	}
	if (bt_counters(cnt_fd, after))
		return -1;
	r->retval = o.retval;
	r->out_len = o.data_size_out;
	for (int i = 0; i < XP_R_MAX; i++) {
		r->cnt_delta[i] = after[i] - before[i];
		if (r->cnt_delta[i]) {
			r->n_reasons++;
			r->total += (int)r->cnt_delta[i];
		}
	}
	return 0;
}

int bt_run(int prog_fd, int cnt_fd, const void *pkt, size_t len, int ifindex,
	   struct bt_result *r)
{
	struct xdp_md ctx = { .data = 0, .data_end = (uint32_t)len, .ingress_ifindex = ifindex };

	return bt_run_ctx(prog_fd, cnt_fd, pkt, len, &ctx, sizeof(ctx), r);
}

int bt_run_tc(int prog_fd, int cnt_fd, const void *pkt, size_t len, int ifindex,
	      struct bt_result *r)
{
	struct __sk_buff ctx = { .ifindex = (uint32_t)ifindex,
				 .ingress_ifindex = (uint32_t)ifindex };

	return bt_run_ctx(prog_fd, cnt_fd, pkt, len, &ctx, sizeof(ctx), r);
}

const char *bt_action(uint32_t a)
{
	static const char *const n[] = { "ABORTED", "DROP", "PASS", "TX", "REDIRECT" };

	return a < 5 ? n[a] : "?";
}

int bt_set_cfg(int fd, const char *local, uint16_t mtu, uint8_t hops, uint32_t flags)
{
	struct xp_cfg c = { .tunnel_mtu = mtu, .hop_limit = hops, .flags = flags };
	uint32_t zero = 0;

	pkt_addr(local, c.local_addr.a8);
	return bpf_map_update_elem(fd, &zero, &c, BPF_ANY);
}

int bt_add_prefix(int fd, const char *addr, uint32_t plen, uint32_t mn_id, uint16_t bid,
		  uint8_t flags)
{
	struct xp_prefix_key k = { .prefixlen = plen };
	struct xp_prefix_val v = { .mn_id = mn_id, .bid = bid, .flags = flags };

	pkt_addr(addr, k.addr.a8);
	return bpf_map_update_elem(fd, &k, &v, BPF_ANY);
}

int bt_add_bind(int fd, uint32_t mn_id, uint16_t bid, const char *peer, const char *local,
		uint32_t ifindex, const char *mn_mac, const char *if_mac, uint8_t flags)
{
	struct xp_bind_key k = { .mn_id = mn_id, .bid = bid };
	struct xp_bind_val v = { .ifindex = ifindex, .flags = flags, .mtu = 1400 };

	pkt_addr(peer, v.peer.a8);
	pkt_addr(local, v.local.a8);
	if (mn_mac)
		pkt_mac(mn_mac, v.mn_mac);
	if (if_mac)
		pkt_mac(if_mac, v.if_mac);
	return bpf_map_update_elem(fd, &k, &v, BPF_ANY);
}

int bt_add_peer(int fd, const char *addr)
{
	union xp_addr6 k;
	struct xp_peer_val v = { .refcnt = 1 };

	pkt_addr(addr, k.a8);
	return bpf_map_update_elem(fd, &k, &v, BPF_ANY);
}

int bt_add_ul(int fd, const char *pcoa, uint32_t mn_id, uint16_t bid)
{
	struct xp_ul_key k = { .mn_id = mn_id };
	struct xp_ul_val v = { .bid = bid };

	pkt_addr(pcoa, k.pcoa.a8);
	return bpf_map_update_elem(fd, &k, &v, BPF_ANY);
}

const char *bt_verdict_diff(const struct bt_result *r, uint32_t action, int reason)
{
	static char why[160];

	why[0] = '\0';
	if (r->retval != action)
		snprintf(why, sizeof(why), "action %s, want %s", bt_action(r->retval),
			 bt_action(action));
	else if (r->total != 1)
		snprintf(why, sizeof(why), "%d counter increments, want exactly 1", r->total);
	else if (reason < 0 || reason >= XP_R_MAX || r->cnt_delta[reason] != 1)
		snprintf(why, sizeof(why), "reason %s not counted",
			 reason >= 0 && reason < XP_R_MAX ? xp_reason_names[reason] : "?");
	return why;
}

const char *bt_output_diff(const struct bt_result *r, const void *want, size_t len)
{
	static char why[96];
	const uint8_t *w = want;

	why[0] = '\0';
	if (r->out_len != len) {
		snprintf(why, sizeof(why), "output length %u, want %zu", r->out_len, len);
		return why;
	}
	for (size_t i = 0; i < len; i++)
		if (r->out[i] != w[i]) {
			snprintf(why, sizeof(why), "output byte %zu: %02x, want %02x", i, r->out[i],
				 w[i]);
			break;
		}
	return why;
}

int bt_shrink_maps(struct bpf_object *obj)
{
	struct bpf_map *m;
	int err;

	bpf_object__for_each_map(m, obj) {
		enum bpf_map_type t = bpf_map__type(m);

		if ((t != BPF_MAP_TYPE_HASH && t != BPF_MAP_TYPE_PERCPU_HASH) ||
		    bpf_map__max_entries(m) <= BT_MAP_CAP)
			continue;
		if ((err = bpf_map__set_max_entries(m, BT_MAP_CAP)))
			return err;
	}
	return 0;
}
