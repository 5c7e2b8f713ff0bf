// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * nhwatch.c - bump the next-hop cache generation on rtnetlink changes
 * (see nhwatch.h; the BPF side is bpf/xp_fib.h).
 *
 * Why every notification of these groups and not only the ones that touch
 * a cached next hop: the cache is keyed by tunnel peer and a route or rule
 * change anywhere can change which next hop a peer's lookup picks; the
 * cost of a bump is one bpf_fib_lookup per peer, so being coarse is cheap
 * and cannot be wrong. IPv4 neighbours are ignored (the cached next hops
 * are IPv6 ones).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include <bpf/bpf.h>

#include "nhwatch.h"
#include "log.h"
#include "xpmip_maps.h"

#define NH_RX_BUF_LEN	(32u * 1024u)	/* >= MNL_SOCKET_BUFFER_SIZE on 64 KiB pages */

/* what can change the answer of bpf_fib_lookup for an IPv6 destination */
static const unsigned int nh_groups[] = {
	RTNLGRP_LINK,		/* egress up/down/gone, its MAC address */
	RTNLGRP_NEIGH,		/* next hop MAC, resolved or failed */
	RTNLGRP_IPV6_ROUTE,	/* routes (address changes show up here too) */
	RTNLGRP_IPV6_RULE,	/* policy routing */
};

struct nh_watch {
	struct mnl_socket *nl;
	int gen_fd;
	uint64_t bumps;
	uint8_t buf[NH_RX_BUF_LEN];
};

int nh_gen_bump(int gen_map_fd)
{
	struct xp_nhgen g = { 0 };
	__u32 zero = 0;

	/* one writer (this daemon's event loop): read-modify-write is safe */
	if (bpf_map_lookup_elem(gen_map_fd, &zero, &g))
		return -errno;
	g.gen++;
	if (bpf_map_update_elem(gen_map_fd, &zero, &g, BPF_ANY))
		return -errno;
	return 0;
}

static int nh_bump(struct nh_watch *w, const char *why)
{
	int err = nh_gen_bump(w->gen_fd);

	if (err) {
		ev_err("nh-cache-invalidate-failed", NULL, -1, "why=%s err=%s", why,
		       XP_LOGERR(-err));
		return err;
	}
	w->bumps++;
	ev_debug("nh-cache-invalidated", NULL, -1, "why=%s bumps=%llu", why,
		 (unsigned long long)w->bumps);
	return 0;
}

int nh_watch_open(int gen_map_fd, struct nh_watch **out)
{
	struct nh_watch *w;
	int err;

	*out = NULL;
	if (gen_map_fd < 0)
		return -EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->gen_fd = gen_map_fd;
	w->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!w->nl) {
		err = -errno;
		free(w);
		return err;
	}
	if (mnl_socket_bind(w->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	for (size_t i = 0; i < sizeof(nh_groups) / sizeof(nh_groups[0]); i++) {
		unsigned int g = nh_groups[i];

		if (mnl_socket_setsockopt(w->nl, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)) < 0)
			goto fail;
	}
	/* subscribed first, then bumped: a change between the two is covered */
	if ((err = nh_bump(w, "start"))) {
		nh_watch_close(w);
		return err;
	}
	*out = w;
	return 0;
fail:
	err = -errno;
	nh_watch_close(w);
	return err;
}

int nh_watch_fd(const struct nh_watch *w)
{
	return mnl_socket_get_fd(w->nl);
}

uint64_t nh_watch_bumps(const struct nh_watch *w)
{
	return w->bumps;
}

/* Set *relevant when the message can change a cached IPv6 next hop */
static int nh_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	bool *relevant = data;

	if (nlh->nlmsg_type == RTM_NEWNEIGH || nlh->nlmsg_type == RTM_DELNEIGH) {
		const struct ndmsg *nd;

		if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*nd))
			return MNL_CB_OK;
		nd = mnl_nlmsg_get_payload(nlh);
		if (nd->ndm_family != AF_INET6)
			return MNL_CB_OK;
	}
	*relevant = true;
	return MNL_CB_OK;
}

int nh_watch_dispatch(struct nh_watch *w)
{
	bool relevant = false;

	for (;;) {
		ssize_t n = mnl_socket_recvfrom(w->nl, w->buf, sizeof(w->buf));

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS)	/* notifications lost: assume a change */
				return nh_bump(w, "notifications_lost");
			return -errno;
		}
		/* multicast notifications: sequence 0, any port */
		if (mnl_cb_run(w->buf, (size_t)n, 0, 0, nh_msg_cb, &relevant) < 0 && errno != ENOENT)
			return -errno;
	}
	return relevant ? nh_bump(w, "rtnetlink") : 0;
}

void nh_watch_close(struct nh_watch *w)
{
	if (!w)
		return;
	if (w->nl)
		mnl_socket_close(w->nl);
	free(w);
}
