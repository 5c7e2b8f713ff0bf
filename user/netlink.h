/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * netlink.h - the few rtnetlink operations the MAG needs, over libmnl.
 *
 *  - resolve interface names and indices, read a link's state;
 *  - watch RTM_NEWLINK / RTM_DELLINK: links appearing (created, or a veth
 *    end moved into this namespace), going up / down, losing carrier,
 *    going away;
 *  - set a link's MAC address, add an IPv6 address (the MAG's shared
 *    link-local, RFC 5213 6.8 / 6.9.3), bring a link up;
 *  - look up a neighbour's link-layer address.
 *
 * Every function returns 0 (or a documented value) or a negative errno;
 * nothing here exits or aborts. Requests use a short-lived socket each:
 * they are rare (start-up and link events) and this keeps the watch
 * socket's stream free of replies.
 */
#ifndef XPMIP_NETLINK_H
#define XPMIP_NETLINK_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>

#define NL_ETH_ALEN	6

struct nl_link {
	int ifindex;
	char name[IF_NAMESIZE];
	unsigned int flags;		/* IFF_* of ifinfomsg */
	bool up;			/* IFF_UP: administratively up */
	bool carrier;			/* IFF_LOWER_UP: the link has carrier */
	bool has_mac;
	uint8_t mac[NL_ETH_ALEN];
	uint32_t mtu;
};

/* deleted: RTM_DELLINK (the link is gone from this namespace) */
typedef void (*nl_link_cb)(void *ctx, bool deleted, const struct nl_link *l);

/* name -> index: > 0, or -ENODEV */
int nl_ifindex(const char *name);
/* Current state of a link by name (ifindex 0) or by index */
int nl_link_get(int ifindex, const char *name, struct nl_link *out);
/* Call cb for every link of the namespace */
int nl_link_dump(nl_link_cb cb, void *ctx);

int nl_link_set_mac(int ifindex, const uint8_t mac[NL_ETH_ALEN]);
int nl_link_set_up(int ifindex);
/* Add addr/plen; nodad: IFA_F_NODAD (an address we own by design). An
 * address already present is success. */
int nl_addr_add6(int ifindex, const struct in6_addr *addr, uint8_t plen, bool nodad);
/* Link-layer address of a neighbour entry (any usable state): 0, or -ENOENT */
int nl_neigh_lookup6(int ifindex, const struct in6_addr *addr, uint8_t mac[NL_ETH_ALEN]);

/* ---- the link watch ---- */
struct nl_watch;

int nl_watch_open(nl_link_cb cb, void *ctx, struct nl_watch **out);
int nl_watch_fd(const struct nl_watch *w);
/*
 * Read what is pending and call cb for each link event. When the kernel
 * dropped events (ENOBUFS), resynchronises with a full dump (every link is
 * reported again, deleted = false; the caller treats a report as "this is
 * the current state"). Returns 0 or -errno (never -EAGAIN).
 */
int nl_watch_dispatch(struct nl_watch *w);
void nl_watch_close(struct nl_watch *w);

/* Parse one RTM_NEWLINK/RTM_DELLINK message (exposed for tests):
 * 0, or -EBADMSG */
struct nlmsghdr;
int nl_parse_link(const struct nlmsghdr *nlh, struct nl_link *out);

#endif /* XPMIP_NETLINK_H */
