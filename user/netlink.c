// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * netlink.c - rtnetlink helpers over libmnl (see netlink.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "netlink.h"

/* <linux/if.h> clashes with <net/if.h>; glibc's enum stops before these */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	(1u << 16)	/* driver signals L1 up (carrier) */
#endif

#define NL_RX_BUF_LEN	(32u * 1024u)	/* >= MNL_SOCKET_BUFFER_SIZE on 64 KiB pages too */
#define NL_REQ_BUF_LEN	512u		/* one request: header + a few attributes */
#define NL_REQ_TIMEOUT_S 2		/* a request's answer, at most */

struct nl_watch {
	struct mnl_socket *nl;
	nl_link_cb cb;
	void *ctx;
	uint8_t buf[NL_RX_BUF_LEN];
};

int nl_ifindex(const char *name)
{
	unsigned int i;

	if (!name || !*name || strlen(name) >= IF_NAMESIZE)
		return -ENODEV;
	i = if_nametoindex(name);
	return i ? (int)i : -ENODEV;
}

struct link_attrs {
	const struct nlattr *tb[IFLA_MAX + 1];
};

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	struct link_attrs *la = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, IFLA_MAX) < 0)
		return MNL_CB_OK;	/* newer kernel attribute: skip */
	la->tb[type] = attr;
	return MNL_CB_OK;
}

int nl_parse_link(const struct nlmsghdr *nlh, struct nl_link *out)
{
	struct link_attrs la;
	const struct ifinfomsg *ifi;

	memset(out, 0, sizeof(*out));
	memset(&la, 0, sizeof(la));
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return -EBADMSG;
	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return -EBADMSG;
	ifi = mnl_nlmsg_get_payload(nlh);
	if (mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, &la) < 0)
		return -EBADMSG;
	out->ifindex = ifi->ifi_index;
	out->flags = ifi->ifi_flags;
	out->up = !!(ifi->ifi_flags & IFF_UP);
	out->carrier = !!(ifi->ifi_flags & IFF_LOWER_UP);
	if (la.tb[IFLA_IFNAME]) {
		const char *n = mnl_attr_get_payload(la.tb[IFLA_IFNAME]);
		size_t l = strnlen(n, mnl_attr_get_payload_len(la.tb[IFLA_IFNAME]));

		if (l >= IF_NAMESIZE)
			l = IF_NAMESIZE - 1;
		memcpy(out->name, n, l);
		out->name[l] = 0;
	}
	if (la.tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(la.tb[IFLA_ADDRESS]) == NL_ETH_ALEN) {
		memcpy(out->mac, mnl_attr_get_payload(la.tb[IFLA_ADDRESS]), NL_ETH_ALEN);
		out->has_mac = true;
	}
	if (la.tb[IFLA_MTU] && mnl_attr_get_payload_len(la.tb[IFLA_MTU]) >= sizeof(uint32_t))
		out->mtu = mnl_attr_get_u32(la.tb[IFLA_MTU]);
	if (out->ifindex <= 0)
		return -EBADMSG;
	return 0;
}

/* ---- one request, its replies through cb ---- */
static int nl_talk(struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	struct mnl_socket *nl;
	uint8_t *buf;
	unsigned int portid, seq;
	struct timeval tmo = { .tv_sec = NL_REQ_TIMEOUT_S };
	int ret, err = 0;

	buf = malloc(NL_RX_BUF_LEN);
	if (!buf)
		return -ENOMEM;
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl) {
		err = -errno;
		goto out_free;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		goto out;
	}
	/* never block the event loop on a kernel that does not answer */
	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo))) {
		err = -errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	seq = (unsigned int)time(NULL);
	req->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0) {
		err = -errno;
		goto out;
	}
	for (;;) {
		ret = (int)mnl_socket_recvfrom(nl, buf, NL_RX_BUF_LEN);
		if (ret < 0) {
			err = -errno;
			break;
		}
		ret = mnl_cb_run(buf, (size_t)ret, seq, portid, cb, data);
		if (ret < 0) {
			err = errno ? -errno : -EIO;
			break;
		}
		if (ret == MNL_CB_STOP)
			break;
	}
out:
	mnl_socket_close(nl);
out_free:
	free(buf);
	return err;
}

struct get_ctx {
	struct nl_link *out;
	bool found;
};

static int get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct get_ctx *g = data;

	if (nl_parse_link(nlh, g->out) == 0)
		g->found = true;
	return MNL_CB_OK;
}

int nl_link_get(int ifindex, const char *name, struct nl_link *out)
{
	uint8_t buf[NL_REQ_BUF_LEN];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct get_ctx g = { .out = out };
	int err;

	nlh->nlmsg_type = RTM_GETLINK;
	/* the ACK ends the exchange (a plain GET has no NLMSG_DONE) */
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	if (!ifindex) {
		if (!name || !*name || strlen(name) >= IF_NAMESIZE)
			return -ENODEV;
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	}
	err = nl_talk(nlh, get_cb, &g);
	if (err)
		return err == -EINVAL && !ifindex ? -ENODEV : err;
	return g.found ? 0 : -ENODEV;
}

struct dump_ctx {
	nl_link_cb cb;
	void *ctx;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	struct nl_link l;

	if (nl_parse_link(nlh, &l) == 0)
		d->cb(d->ctx, false, &l);
	return MNL_CB_OK;
}

int nl_link_dump(nl_link_cb cb, void *ctx)
{
	uint8_t buf[NL_REQ_BUF_LEN];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *rt;
	struct dump_ctx d = { .cb = cb, .ctx = ctx };

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	rt = mnl_nlmsg_put_extra_header(nlh, sizeof(*rt));
	rt->rtgen_family = AF_UNSPEC;
	return nl_talk(nlh, dump_cb, &d);
}

/* RTM_SETLINK / RTM_NEWADDR answer with an ACK only */
static int ack_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

static int set_link(int ifindex, unsigned int flags, unsigned int change,
		    const uint8_t *mac)
{
	uint8_t buf[NL_REQ_BUF_LEN];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	if (ifindex <= 0)
		return -ENODEV;
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = flags;
	ifi->ifi_change = change;
	if (mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, NL_ETH_ALEN, mac);
	return nl_talk(nlh, ack_cb, NULL);
}

int nl_link_set_up(int ifindex)
{
	return set_link(ifindex, IFF_UP, IFF_UP, NULL);
}

int nl_link_set_mac(int ifindex, const uint8_t mac[NL_ETH_ALEN])
{
	struct nl_link l;
	int err;

	err = nl_link_get(ifindex, NULL, &l);
	if (err)
		return err;
	if (l.has_mac && !memcmp(l.mac, mac, NL_ETH_ALEN))
		return 0;
	err = set_link(ifindex, 0, 0, mac);
	if (err != -EBUSY)
		return err;
	/* a driver without live address change: down, set, up again */
	err = set_link(ifindex, 0, IFF_UP, NULL);
	if (err)
		return err;
	err = set_link(ifindex, 0, 0, mac);
	if (l.up) {
		int e2 = nl_link_set_up(ifindex);

		if (!err)
			err = e2;
	}
	return err;
}

int nl_addr_add6(int ifindex, const struct in6_addr *addr, uint8_t plen, bool nodad)
{
	uint8_t buf[NL_REQ_BUF_LEN];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	int err;

	if (ifindex <= 0)
		return -ENODEV;
	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET6;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_flags = nodad ? IFA_F_NODAD : 0;
	ifa->ifa_scope = IN6_IS_ADDR_LINKLOCAL(addr) ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned int)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(*addr), addr);
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(*addr), addr);
	if (nodad)
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	err = nl_talk(nlh, ack_cb, NULL);
	return err == -EEXIST ? 0 : err;
}

struct neigh_ctx {
	int ifindex;
	const struct in6_addr *addr;
	uint8_t *mac;
	bool found;
};

static int neigh_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_type_valid(attr, NDA_MAX) < 0)
		return MNL_CB_OK;
	tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

static int neigh_cb(const struct nlmsghdr *nlh, void *data)
{
	struct neigh_ctx *n = data;
	const struct nlattr *tb[NDA_MAX + 1] = { 0 };
	const struct ndmsg *nd;

	if (nlh->nlmsg_type != RTM_NEWNEIGH || nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*nd)))
		return MNL_CB_OK;
	nd = mnl_nlmsg_get_payload(nlh);
	if (nd->ndm_family != AF_INET6 || nd->ndm_ifindex != n->ifindex)
		return MNL_CB_OK;
	if (nd->ndm_state & (NUD_INCOMPLETE | NUD_FAILED | NUD_NOARP))
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(*nd), neigh_attr_cb, tb) < 0)
		return MNL_CB_OK;
	if (!tb[NDA_DST] || mnl_attr_get_payload_len(tb[NDA_DST]) != sizeof(struct in6_addr) ||
	    memcmp(mnl_attr_get_payload(tb[NDA_DST]), n->addr, sizeof(struct in6_addr)))
		return MNL_CB_OK;
	if (!tb[NDA_LLADDR] || mnl_attr_get_payload_len(tb[NDA_LLADDR]) != NL_ETH_ALEN)
		return MNL_CB_OK;
	memcpy(n->mac, mnl_attr_get_payload(tb[NDA_LLADDR]), NL_ETH_ALEN);
	n->found = true;
	return MNL_CB_OK;
}

int nl_neigh_lookup6(int ifindex, const struct in6_addr *addr, uint8_t mac[NL_ETH_ALEN])
{
	uint8_t buf[NL_REQ_BUF_LEN];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ndmsg *nd;
	struct neigh_ctx n = { .ifindex = ifindex, .addr = addr, .mac = mac };
	int err;

	/* a dump filtered here: RTM_GETNEIGH for one entry needs a recent
	 * kernel and strict checking; neighbour tables of a MAG are small */
	nlh->nlmsg_type = RTM_GETNEIGH;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
	nd->ndm_family = AF_INET6;
	nd->ndm_ifindex = ifindex;
	err = nl_talk(nlh, neigh_cb, &n);
	if (err)
		return err;
	return n.found ? 0 : -ENOENT;
}

/* ---- watch ---- */

int nl_watch_open(nl_link_cb cb, void *ctx, struct nl_watch **out)
{
	struct nl_watch *w;
	int err;

	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->cb = cb;
	w->ctx = ctx;
	w->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!w->nl) {
		err = -errno;
		free(w);
		return err;
	}
	if (mnl_socket_bind(w->nl, RTMGRP_LINK, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		mnl_socket_close(w->nl);
		free(w);
		return err;
	}
	*out = w;
	return 0;
}

int nl_watch_fd(const struct nl_watch *w)
{
	return mnl_socket_get_fd(w->nl);
}

static int watch_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_watch *w = data;
	struct nl_link l;

	if (nl_parse_link(nlh, &l) == 0)
		w->cb(w->ctx, nlh->nlmsg_type == RTM_DELLINK, &l);
	return MNL_CB_OK;
}

int nl_watch_dispatch(struct nl_watch *w)
{
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(w->nl, w->buf, sizeof(w->buf));

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS)	/* events lost: report everything */
				return nl_link_dump(w->cb, w->ctx);
			return -errno;
		}
		/* multicast notifications: sequence 0, any port */
		if (mnl_cb_run(w->buf, (size_t)n, 0, 0, watch_cb, w) < 0 && errno != ENOENT)
			return -errno;
	}
}

void nl_watch_close(struct nl_watch *w)
{
	if (!w)
		return;
	mnl_socket_close(w->nl);
	free(w);
}
