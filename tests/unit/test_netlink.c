// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_netlink.c - the rtnetlink helpers against a real kernel, each test in
 * its own network namespace (Criterion runs every test in a child process;
 * unshare(CLONE_NEWNET) needs CAP_SYS_ADMIN: without it the test is skipped).
 * Links are created with iproute2, the code under test only reads, watches
 * and changes them.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include "netlink.h"

static void enter_netns(void)
{
	if (unshare(CLONE_NEWNET))
		cr_assert_fail("unshare(CLONE_NEWNET): %s (needs root)", strerror(errno));
	if (system("ip link add xa0 type veth peer name xb0 >/dev/null 2>&1"))
		cr_assert_fail("iproute2 cannot create a veth pair here");
}

struct seen {
	int n_new, n_del;
	struct nl_link last;
	bool saw_up, saw_carrier;
};

static void record(void *ctx, bool deleted, const struct nl_link *l)
{
	struct seen *s = ctx;

	if (strcmp(l->name, "xa0"))
		return;
	if (deleted)
		s->n_del++;
	else
		s->n_new++;
	if (l->up)
		s->saw_up = true;
	if (l->carrier)
		s->saw_carrier = true;
	s->last = *l;
}

Test(netlink, names_and_state)
{
	struct nl_link l;
	int idx;

	enter_netns();
	cr_assert_eq(nl_ifindex("lo"), 1);
	cr_assert_eq(nl_ifindex("no-such-if"), -ENODEV);
	cr_assert_eq(nl_ifindex(""), -ENODEV);
	cr_assert_eq(nl_ifindex("a-name-far-too-long-for-linux"), -ENODEV);
	idx = nl_ifindex("xa0");
	cr_assert_gt(idx, 0);
	cr_assert_eq(nl_link_get(idx, NULL, &l), 0);
	cr_assert_str_eq(l.name, "xa0");
	cr_assert_eq(l.ifindex, idx);
	cr_assert(l.has_mac);
	cr_assert_not(l.up);
	cr_assert_eq(l.mtu, 1500);
	cr_assert_eq(nl_link_get(0, "xa0", &l), 0);
	cr_assert_eq(l.ifindex, idx);
	cr_assert_eq(nl_link_get(0, "no-such-if", &l), -ENODEV);
	cr_assert_eq(nl_link_get(9999, NULL, &l), -ENODEV);
}

static void count_links(void *ctx, bool deleted, const struct nl_link *l)
{
	(void)deleted;
	(void)l;
	(*(int *)ctx)++;
}

Test(netlink, dump)
{
	int n = 0;

	enter_netns();
	cr_assert_eq(nl_link_dump(count_links, &n), 0);
	cr_assert_eq(n, 3, "lo, xa0, xb0");
}

Test(netlink, set_mac_up_and_link_local)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x00, 0x53, 0x01 };
	struct in6_addr ll;
	struct nl_link l;
	int idx;
	FILE *p;
	char line[512];
	bool found = false;

	enter_netns();
	idx = nl_ifindex("xa0");
	cr_assert_eq(nl_link_set_mac(idx, mac), 0);
	cr_assert_eq(nl_link_set_mac(idx, mac), 0, "idempotent");
	cr_assert_eq(nl_link_set_up(idx), 0);
	cr_assert_eq(nl_link_set_up(nl_ifindex("xb0")), 0);
	/* live change while up (veth allows it) */
	cr_assert_eq(nl_link_set_mac(idx, mac), 0);
	cr_assert_eq(nl_link_get(idx, NULL, &l), 0);
	cr_assert_arr_eq(l.mac, mac, 6);
	cr_assert(l.up);
	inet_pton(AF_INET6, "fe80::1", &ll);
	cr_assert_eq(nl_addr_add6(idx, &ll, 64, true), 0);
	cr_assert_eq(nl_addr_add6(idx, &ll, 64, true), 0, "already there is success");
	p = popen("ip -6 addr show dev xa0", "r");
	cr_assert_not_null(p);
	while (fgets(line, sizeof(line), p))
		if (strstr(line, "fe80::1/64"))
			found = true;
	pclose(p);
	cr_assert(found, "fe80::1/64 on xa0");
	cr_assert_eq(nl_link_set_up(-1), -ENODEV);
	cr_assert_eq(nl_link_set_mac(9999, mac), -ENODEV);
	cr_assert_lt(nl_addr_add6(9999, &ll, 64, true), 0);
}

Test(netlink, watch_new_up_down_del)
{
	struct nl_watch *w;
	struct seen s = { 0 };

	enter_netns();
	cr_assert_eq(nl_watch_open(record, &s, &w), 0);
	cr_assert_gt(nl_watch_fd(w), 0);
	cr_assert_eq(nl_watch_dispatch(w), 0, "nothing pending is not an error");
	cr_assert_eq(system("ip link set xa0 up && ip link set xb0 up"), 0);
	cr_assert_eq(nl_watch_dispatch(w), 0);
	cr_assert_gt(s.n_new, 0);
	cr_assert(s.saw_up);
	cr_assert(s.saw_carrier, "both ends up: carrier");
	cr_assert_eq(system("ip link set xb0 down"), 0);
	s.saw_carrier = false;
	cr_assert_eq(nl_watch_dispatch(w), 0);
	cr_assert(s.last.up);
	cr_assert_not(s.last.carrier, "peer down: no carrier");
	cr_assert_eq(system("ip link del xa0"), 0);
	cr_assert_eq(nl_watch_dispatch(w), 0);
	cr_assert_eq(s.n_del, 1);
	cr_assert_eq(system("ip link add xa0 type veth peer name xb0"), 0);
	s.n_new = 0;
	cr_assert_eq(nl_watch_dispatch(w), 0);
	cr_assert_gt(s.n_new, 0, "a link appearing is reported");
	nl_watch_close(w);
}

Test(netlink, neigh_lookup)
{
	struct in6_addr a;
	uint8_t mac[6];
	static const uint8_t want[6] = { 0x02, 0, 0, 0, 0x01, 0x01 };
	int idx;

	enter_netns();
	idx = nl_ifindex("xa0");
	cr_assert_eq(system("ip link set xa0 up && ip -6 neigh add fe80::1:1 lladdr "
			    "02:00:00:00:01:01 dev xa0 nud permanent"), 0);
	inet_pton(AF_INET6, "fe80::1:1", &a);
	cr_assert_eq(nl_neigh_lookup6(idx, &a, mac), 0);
	cr_assert_arr_eq(mac, want, 6);
	inet_pton(AF_INET6, "fe80::1:2", &a);
	cr_assert_eq(nl_neigh_lookup6(idx, &a, mac), -ENOENT);
}

Test(netlink, parse_hostile)
{
	uint8_t buf[256] = { 0 };
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct ifinfomsg *ifi;
	struct nl_link l;

	nlh->nlmsg_len = NLMSG_LENGTH(0);
	nlh->nlmsg_type = RTM_NEWLINK;
	cr_assert_eq(nl_parse_link(nlh, &l), -EBADMSG, "no ifinfomsg");
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
	nlh->nlmsg_type = RTM_NEWADDR;
	cr_assert_eq(nl_parse_link(nlh, &l), -EBADMSG, "wrong type");
	nlh->nlmsg_type = RTM_NEWLINK;
	cr_assert_eq(nl_parse_link(nlh, &l), -EBADMSG, "ifindex 0");
	ifi = NLMSG_DATA(nlh);
	ifi->ifi_index = 4;
	cr_assert_eq(nl_parse_link(nlh, &l), 0);
	/* an attribute whose length runs past the message */
	struct nlattr *na = (struct nlattr *)(buf + NLMSG_LENGTH(sizeof(*ifi)));
	na->nla_type = IFLA_IFNAME;
	na->nla_len = 200;
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(*ifi)) + 8;
	cr_assert_eq(nl_parse_link(nlh, &l), 0, "libmnl stops at an attribute that does not fit");
	cr_assert_eq(l.name[0], 0, "and nothing is read from it");
	/* a name without NUL, longer than IFNAMSIZ: truncated, terminated */
	na->nla_len = 4 + 20;
	memset((uint8_t *)na + 4, 'x', 20);
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(*ifi)) + 24;
	cr_assert_eq(nl_parse_link(nlh, &l), 0);
	cr_assert_eq(strlen(l.name), IF_NAMESIZE - 1);
	/* a MAC attribute of the wrong size is not a MAC */
	na->nla_type = IFLA_ADDRESS;
	na->nla_len = 4 + 4;
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(*ifi)) + 8;
	cr_assert_eq(nl_parse_link(nlh, &l), 0);
	cr_assert_not(l.has_mac);
}
