/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * mh_sock.h - the raw Mobility Header socket (IPPROTO_MH, 135).
 *
 * The kernel computes and verifies the MH checksum through IPV6_CHECKSUM
 * at offset XP_MH_CSUM_OFFSET; we receive the destination address and the
 * arrival interface with IPV6_RECVPKTINFO.
 */
#ifndef XPMIP_MH_SOCK_H
#define XPMIP_MH_SOCK_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

/* Open, bind to local (may be in6addr_any) and set IPV6_CHECKSUM/PKTINFO */
int mh_sock_open(const struct in6_addr *local);

/* Send one encoded message from src (may be NULL: kernel picks) to dst */
int mh_sock_send(int fd, const struct in6_addr *src, const struct in6_addr *dst,
		 const uint8_t *buf, size_t len);

/* Receive one message; returns its length or -errno (-EAGAIN when empty) */
int mh_sock_recv(int fd, uint8_t *buf, size_t cap, struct in6_addr *src,
		 struct in6_addr *dst, int *ifindex);

#endif /* XPMIP_MH_SOCK_H */
