/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * mn.h - the MN helper role (xpmipd --role mn, user/mn.c): TC programs on
 * the mobile node for the primary HoA of 000_2df5b7e7ec4cafcb.txt.
 */
#ifndef XPMIP_MN_H
#define XPMIP_MN_H

#include <netinet/in.h>

/* First global IPv6 address on ifname (the RA-derived one): 0 or -errno */
int xp_mn_iface_addr(const char *ifname, struct in6_addr *out);

#endif
