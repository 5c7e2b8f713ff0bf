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

#include "mh_codec.h"

/* Open, bind to local (may be in6addr_any) and set IPV6_CHECKSUM/PKTINFO */
int mh_sock_open(const struct in6_addr *local);

/* Send one encoded message from src (may be NULL: kernel picks) to dst */
int mh_sock_send(int fd, const struct in6_addr *src, const struct in6_addr *dst,
		 const uint8_t *buf, size_t len);

/* Receive one message; returns its length or -errno (-EAGAIN when empty) */
int mh_sock_recv(int fd, uint8_t *buf, size_t cap, struct in6_addr *src,
		 struct in6_addr *dst, int *ifindex);

/*
 * Batches: one recvmmsg/sendmmsg for up to MH_BATCH messages. A syscall
 * costs more than decoding or answering a PBU (a burst of registrations is
 * mostly syscalls, tests/bench/sigprof.sh), so the daemon reads what has
 * queued in one call and sends the answers to a batch in one call.
 */
#define MH_BATCH	32

struct mh_msgbuf {
	uint8_t buf[MH_MAX_MSG_LEN];
	size_t len;
	struct in6_addr src, dst;	/* dst: PKTINFO on receive; src may be :: on send */
	int ifindex;			/* arrival interface (receive) */
	uint32_t rx_dropped;		/* receive: SO_RXQ_OVFL, the socket's count of
					 * messages dropped (receive buffer full) when
					 * this one was queued; 0 when none so far */
	uint64_t *sent;			/* send: incremented once the kernel took it */
};

/* Receive up to n (<= MH_BATCH) messages: how many, or -errno (-EAGAIN
 * when none is queued). A truncated message is dropped with a warning. */
int mh_sock_recv_batch(int fd, struct mh_msgbuf *m, unsigned n);

/*
 * Messages the kernel dropped because the socket's receive buffer was full
 * (SO_RXQ_OVFL, set by mh_sock_open): the count carried by each received
 * message only grows; mh_rx_drops_new() returns how many were dropped since
 * the last message it saw (wrap-safe), so that a daemon counts every one
 * (no silent drops) without a syscall of its own.
 */
struct mh_rx_drops {
	uint32_t last;
};
uint32_t mh_rx_drops_new(struct mh_rx_drops *d, const struct mh_msgbuf *m);

/* Messages to send, flushed in one sendmmsg */
struct mh_txq {
	unsigned n;
	struct mh_msgbuf m[MH_BATCH];
};

/* Queue one message (flushing first when the queue is full); 0 or -errno
 * (-EMSGSIZE: longer than MH_MAX_MSG_LEN). sent may be NULL. */
int mh_txq_add(struct mh_txq *q, int fd, const struct in6_addr *src, const struct in6_addr *dst,
	       const uint8_t *buf, size_t len, uint64_t *sent);

/* Send what is queued; the queue is empty afterwards. Returns how many
 * could not be sent (each logged with its destination and error). */
unsigned mh_txq_flush(struct mh_txq *q, int fd);

#endif /* XPMIP_MH_SOCK_H */
