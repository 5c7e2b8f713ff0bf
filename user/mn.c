// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mn.c - the MN helper (xpmipd --role mn): 000_2df5b7e7ec4cafcb.txt on the
 * mobile node itself. It loads bpf/mn.bpf.c, writes one xp_mnif_v1 entry
 * per configured interface (its HoA, the primary HoA, the P flag) and
 * attaches xp_mn_egress / xp_mn_ingress to the interface's TC hooks.
 *
 * HoAs come from the config file or, when it gives none, from the address
 * the interface got from the MAG's Router Advertisement (the first global
 * IPv6 address on it): those appear after start and may change, so they
 * are looked up again every XP_MN_REFRESH_MS and the map entry rewritten
 * when they do. The primary HoA is the config's, else the primary
 * interface's HoA.
 *
 * No Mobility Header, no pinned state: everything is derived from the
 * config and the interfaces, so a restart (even after kill -9) rebuilds it
 * and replaces the TC filters (fixed handle, BPF_TC_F_REPLACE).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <stdint.h>
#include <stdio.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "daemon.h"
#include "dataplane.h"
#include "evloop.h"
#include "log.h"
#include "mn.h"
#include "mn.skel.h"

#define XP_MN_REFRESH_MS	1000

struct mn_if_state {
	int ifindex;			/* 0: interface not seen yet */
	struct in6_addr hoa;		/* what the map holds */
	uint16_t mtu;			/* what the map holds */
};

struct mn {
	struct xp_daemon *d;
	const struct xp_mn_config *mc;
	struct xp_mn *skel;
	struct mn_if_state ifs[XP_CFG_MAX_IFS];
	struct in6_addr primary;	/* what the map holds */
	struct ev_timer refresh;
};

/* First global (not link-local, not loopback, not multicast) IPv6 address
 * on ifname: 0, or -ENOENT */
int xp_mn_iface_addr(const char *ifname, struct in6_addr *out)
{
	struct ifaddrs *ifa, *i;
	int rc = -ENOENT;

	if (getifaddrs(&ifa))
		return -errno;
	for (i = ifa; i; i = i->ifa_next) {
		const struct in6_addr *a;

		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET6 ||
		    strcmp(i->ifa_name, ifname))
			continue;
		a = &((const struct sockaddr_in6 *)(const void *)i->ifa_addr)->sin6_addr;
		if (IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_LOOPBACK(a) || IN6_IS_ADDR_MULTICAST(a))
			continue;
		*out = *a;
		rc = 0;
		break;
	}
	freeifaddrs(ifa);
	return rc;
}

/*
 * The interface's IPv6 MTU (net.ipv6.conf.IF.mtu: the link's, or the MAG's
 * RA MTU option): xp_mn_egress answers a packet that would exceed it with
 * the Primary HoA option with a Packet Too Big to the local stack, which
 * lowers the path MTU by the option's 24 octets. Why not lower the MTU
 * itself: the sysctl does not reach routes that carry an MTU (the RA's
 * default route does) and the next RA would set it back; a PTB lowers the
 * MTU of exactly the paths that carry the option. 0: unknown (no check).
 */
static uint16_t if_mtu(const char *ifname)
{
	char path[96];
	unsigned int v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/mtu", ifname);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%u", &v) != 1 || v > UINT16_MAX)
		v = 0;
	fclose(f);
	return (uint16_t)v;
}

static struct in6_addr if_hoa(const struct xp_mn_if *f)
{
	struct in6_addr a;

	if (f->has_hoa)
		return f->hoa;
	if (xp_mn_iface_addr(f->name, &a))
		memset(&a, 0, sizeof(a));
	return a;
}

/* (Re)attach on interfaces that appeared, rewrite entries whose addresses
 * changed. Errors are logged; the next refresh tries again. */
static void mn_sync(struct mn *m)
{
	const struct xp_mn_config *mc = m->mc;
	int map = bpf_map__fd(m->skel->maps.xp_mnif_v1);
	struct in6_addr primary = mc->primary_hoa;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	if (!mc->has_primary_hoa)
		for (uint8_t i = 0; i < mc->n_ifs; i++)
			if (mc->ifs[i].primary)
				primary = if_hoa(&mc->ifs[i]);
	for (uint8_t i = 0; i < mc->n_ifs; i++) {
		const struct xp_mn_if *f = &mc->ifs[i];
		struct mn_if_state *s = &m->ifs[i];
		int idx = (int)if_nametoindex(f->name);
		struct in6_addr hoa = if_hoa(f);
		uint16_t mtu = if_mtu(f->name);
		struct xp_mnif_val v;
		__u32 k;

		if (!idx)
			continue;
		if (idx != s->ifindex) {
			if (xp_tc_attach(idx, false, bpf_program__fd(m->skel->progs.xp_mn_ingress),
					 "xp_mn_ingress") ||
			    xp_tc_attach(idx, true, bpf_program__fd(m->skel->progs.xp_mn_egress),
					 "xp_mn_egress"))
				continue;
			s->ifindex = idx;
			memset(&s->hoa, 0, sizeof(s->hoa));
			s->hoa.s6_addr[0] = 1;	/* force the write below */
		}
		if (!memcmp(&hoa, &s->hoa, sizeof(hoa)) && !memcmp(&primary, &m->primary, sizeof(primary)) &&
		    mtu == s->mtu)
			continue;
		memset(&v, 0, sizeof(v));
		memcpy(v.hoa.a8, &hoa, sizeof(v.hoa.a8));
		memcpy(v.primary_hoa.a8, &primary, sizeof(v.primary_hoa.a8));
		v.flags = f->primary ? XP_MNIF_F_PRIMARY : 0;
		v.hoa_opt = mc->hoa_opt;
		v.mtu = mtu;
		k = (__u32)idx;
		if (bpf_map_update_elem(map, &k, &v, BPF_ANY)) {
			ev_err("map-write-failed", NULL, -1, "map=%s if=%s err=%s", XP_MAP_MNIF,
			       f->name, XP_LOGERR(errno));
			continue;
		}
		s->hoa = hoa;
		s->mtu = mtu;
		ev_info("mn-interface", NULL, -1,
			"if=%s ifindex=%d primary=%s mtu=%u hoa=%s primary_hoa=%s", f->name, idx,
			f->primary ? "yes" : "no", mtu,
			IN6_IS_ADDR_UNSPECIFIED(&hoa) ? "-" : inet_ntop(AF_INET6, &hoa, a, sizeof(a)),
			IN6_IS_ADDR_UNSPECIFIED(&primary) ? "-" :
			inet_ntop(AF_INET6, &primary, b, sizeof(b)));
	}
	m->primary = primary;
}

static void refresh_cb(void *ctx)
{
	struct mn *m = ctx;

	mn_sync(m);
	evloop_timer_arm(m->d->ev, &m->refresh, XP_MN_REFRESH_MS);
}

static int mn_start(struct xp_daemon *d)
{
	struct mn *m = calloc(1, sizeof(*m));
	int err;

	if (!m)
		return -ENOMEM;
	m->d = d;
	m->mc = &d->cfg->mn;
	m->skel = xp_mn__open_and_load();
	if (!m->skel) {
		err = -errno;
		ev_err("start-failed", NULL, -1, "reason=\"cannot load mn.bpf.o\" err=%s",
		       XP_LOGERR(-err));
		free(m);
		return err;
	}
	d->role_state = m;
	mn_sync(m);
	ev_timer_init(&m->refresh, refresh_cb, m);
	if ((err = evloop_timer_arm(d->ev, &m->refresh, XP_MN_REFRESH_MS)))
		return err;
	ev_info("mn-started", NULL, -1, "interfaces=%u", m->mc->n_ifs);
	return 0;
}

static void mn_on_mh(struct xp_daemon *d, const uint8_t *buf, size_t len,
		     const struct in6_addr *src, const struct in6_addr *dst, int ifindex)
{
	(void)d; (void)buf; (void)len; (void)src; (void)dst; (void)ifindex;
}

static int mn_ctl(struct xp_daemon *d, int argc, char **argv, FILE *out)
{
	(void)d; (void)argc; (void)argv; (void)out;
	return -ENOENT;
}

/* Filters stay attached (like the XDP programs of the other roles) unless
 * --flush: the MN keeps its addressing while the helper restarts. */
static void mn_stop(struct xp_daemon *d)
{
	struct mn *m = d->role_state;

	if (!m)
		return;
	evloop_timer_cancel(d->ev, &m->refresh);
	for (uint8_t i = 0; d->flush_on_stop && i < m->mc->n_ifs; i++) {
		if (!m->ifs[i].ifindex)
			continue;
		xp_tc_detach(m->ifs[i].ifindex, false);
		xp_tc_detach(m->ifs[i].ifindex, true);
	}
	xp_mn__destroy(m->skel);
	free(m);
	d->role_state = NULL;
}

/* `xpmipctl counters` and the metrics: the MN's TC programs count into
 * their own skeleton's xp_cnt_v1 (the MN has no xp_dp) */
static int mn_read_counters(struct xp_daemon *d, uint64_t *out)
{
	struct mn *m = d->role_state;

	if (!m)
		return -ENODEV;
	return xp_read_reason_counters(bpf_map__fd(m->skel->maps.xp_cnt_v1), out);
}

const struct xp_role_ops xp_mn_ops = {
	.name = "mn",
	.role = XP_ROLE_MN,
	.start = mn_start,
	.on_mh = mn_on_mh,
	.ctl = mn_ctl,
	.read_counters = mn_read_counters,
	.stop = mn_stop,
};
