// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* mh_sock.c - the raw Mobility Header socket: kernel checksum, PKTINFO. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <arpa/inet.h>

#include "log.h"
#include "mh_sock.h"
#include "sigstats.h"
#include "xpmip_wire.h"

/*
 * A burst of PBUs (many MNs attaching at once, a MAG re-registering after a
 * restart) must queue, not overflow: the default receive buffer (~200 KB)
 * holds only about 200 messages once the kernel's per-skb overhead is
 * counted. SO_RCVBUFFORCE lifts rmem_max when we are privileged; otherwise
 * SO_RCVBUF gets what the sysctl allows. Failing both is not fatal.
 */
#define MH_SOCK_RCVBUF	(8 << 20)

/* room for the control messages of one received message (PKTINFO, and
 * the SO_RXQ_OVFL count, a u32) */
#define MH_CMSG_RX_LEN	(CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int)))

int mh_sock_open(const struct in6_addr *local)
{
	int rcvbuf = MH_SOCK_RCVBUF;
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };
	int off = XP_MH_CSUM_OFFSET, on = 1;
	int fd, err;

	fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, XP_IPPROTO_MH);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_CHECKSUM, &off, sizeof(off)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)) < 0)
		goto fail;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) < 0)
		ev_warn("mh-rcvbuf-failed", NULL, -1, "err=%s", XP_LOGERR(errno));
	/* each message then carries the socket's drop count (mh_rx_drops_new) */
	if (setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof(on)) < 0)
		ev_warn("mh-rxq-ovfl-failed", NULL, -1, "err=%s", XP_LOGERR(errno));
	if (local)
		sa.sin6_addr = *local;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto fail;
	return fd;
fail:
	err = -errno;
	close(fd);
	return err;
}

/* A message to dst: the msghdr, and PKTINFO with the source when src is
 * set (else the kernel picks the source) */
static void mh_tx_hdr(const struct in6_addr *src, const struct in6_addr *dst, const uint8_t *buf,
		      size_t len, struct msghdr *h, struct sockaddr_in6 *sa, struct iovec *iov,
		      char *cbuf, size_t clen)
{
	*sa = (struct sockaddr_in6){ .sin6_family = AF_INET6, .sin6_addr = *dst };
	*iov = (struct iovec){ .iov_base = (void *)buf, .iov_len = len };
	*h = (struct msghdr){ .msg_name = sa, .msg_namelen = sizeof(*sa),
			      .msg_iov = iov, .msg_iovlen = 1 };
	if (src && !IN6_IS_ADDR_UNSPECIFIED(src)) {
		struct in6_pktinfo pi = { .ipi6_addr = *src };
		struct cmsghdr *cm;

		memset(cbuf, 0, clen);
		h->msg_control = cbuf;
		h->msg_controllen = clen;
		cm = CMSG_FIRSTHDR(h);
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	}
}

/* PKTINFO (destination, arrival interface) and the SO_RXQ_OVFL drop count
 * (0 when absent: nothing dropped yet) of a received message */
static void mh_pktinfo(struct msghdr *mh, struct in6_addr *dst, int *ifindex, uint32_t *dropped)
{
	memset(dst, 0, sizeof(*dst));
	*ifindex = 0;
	*dropped = 0;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			*dst = pi.ipi6_addr;
			*ifindex = (int)pi.ipi6_ifindex;
		} else if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SO_RXQ_OVFL &&
			   cm->cmsg_len >= CMSG_LEN(sizeof(*dropped))) {
			memcpy(dropped, CMSG_DATA(cm), sizeof(*dropped));
		}
	}
}

uint32_t mh_rx_drops_new(struct mh_rx_drops *d, const struct mh_msgbuf *m)
{
	uint32_t n = m->rx_dropped - d->last;	/* modulo 2^32, as the kernel counts */

	if (!m->rx_dropped)
		return 0;	/* no drop count on this message (none dropped) */
	d->last = m->rx_dropped;
	return n;
}

int mh_sock_send(int fd, const struct in6_addr *src, const struct in6_addr *dst,
		 const uint8_t *buf, size_t len)
{
	struct sockaddr_in6 sa;
	struct iovec iov;
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cbuf;
	struct msghdr mh;
	ssize_t n;

	mh_tx_hdr(src, dst, buf, len, &mh, &sa, &iov, cbuf.buf, sizeof(cbuf.buf));
	n = sendmsg(fd, &mh, 0);
	if (n < 0 || (size_t)n != len) {
		int err = n < 0 ? -errno : -EMSGSIZE;

		xp_sig_global()->send_errors++;
		return err;
	}
	xp_sig_count(xp_sig_global(), XP_SIG_TX, buf, len);
	return 0;
}

int mh_sock_recv(int fd, uint8_t *buf, size_t cap, struct in6_addr *src,
		 struct in6_addr *dst, int *ifindex)
{
	struct sockaddr_in6 sa;
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	union {
		struct cmsghdr align;
		char buf[MH_CMSG_RX_LEN];
	} cbuf;
	struct msghdr mh = {
		.msg_name = &sa, .msg_namelen = sizeof(sa),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf.buf, .msg_controllen = sizeof(cbuf.buf),
	};
	ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);

	if (n < 0)
		return -errno;
	if (mh.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	xp_sig_count(xp_sig_global(), XP_SIG_RX, buf, (size_t)n);
	if (src)
		*src = sa.sin6_addr;
	mh_pktinfo(&mh, dst ? dst : &(struct in6_addr){ 0 }, ifindex ? ifindex : &(int){ 0 },
		   &(uint32_t){ 0 });
	return (int)n;
}

int mh_sock_recv_batch(int fd, struct mh_msgbuf *m, unsigned n)
{
	struct mmsghdr mm[MH_BATCH];
	struct sockaddr_in6 sa[MH_BATCH];
	struct iovec iov[MH_BATCH];
	union {
		struct cmsghdr align;
		char buf[MH_CMSG_RX_LEN];
	} cbuf[MH_BATCH];
	unsigned out = 0;
	int got;

	if (n > MH_BATCH)
		n = MH_BATCH;
	memset(mm, 0, sizeof(mm[0]) * n);
	for (unsigned i = 0; i < n; i++) {
		iov[i] = (struct iovec){ .iov_base = m[i].buf, .iov_len = sizeof(m[i].buf) };
		mm[i].msg_hdr = (struct msghdr){
			.msg_name = &sa[i], .msg_namelen = sizeof(sa[i]),
			.msg_iov = &iov[i], .msg_iovlen = 1,
			.msg_control = cbuf[i].buf, .msg_controllen = sizeof(cbuf[i].buf),
		};
	}
	got = recvmmsg(fd, mm, n, MSG_DONTWAIT, NULL);
	if (got < 0)
		return -errno;
	for (unsigned i = 0; i < (unsigned)got; i++) {
		char a[INET6_ADDRSTRLEN];

		if (mm[i].msg_hdr.msg_flags & MSG_TRUNC) {
			ev_warn("mh-recv-truncated", NULL, -1, "peer=%s",
				inet_ntop(AF_INET6, &sa[i].sin6_addr, a, sizeof(a)) ? a : "?");
			continue;
		}
		if (out != i)	/* close the gap a truncated message left */
			memcpy(m[out].buf, m[i].buf, mm[i].msg_len);
		m[out].len = mm[i].msg_len;
		xp_sig_count(xp_sig_global(), XP_SIG_RX, m[out].buf, m[out].len);
		m[out].src = sa[i].sin6_addr;
		mh_pktinfo(&mm[i].msg_hdr, &m[out].dst, &m[out].ifindex, &m[out].rx_dropped);
		out++;
	}
	return (int)out;
}

int mh_txq_add(struct mh_txq *q, int fd, const struct in6_addr *src, const struct in6_addr *dst,
	       const uint8_t *buf, size_t len, uint64_t *sent)
{
	struct mh_msgbuf *m;

	if (len > sizeof(q->m[0].buf))
		return -EMSGSIZE;
	if (q->n == MH_BATCH)
		mh_txq_flush(q, fd);
	m = &q->m[q->n++];
	memcpy(m->buf, buf, len);
	m->len = len;
	m->src = src ? *src : (struct in6_addr)IN6ADDR_ANY_INIT;
	m->dst = *dst;
	m->sent = sent;
	return 0;
}

unsigned mh_txq_flush(struct mh_txq *q, int fd)
{
	struct mmsghdr mm[MH_BATCH];
	struct sockaddr_in6 sa[MH_BATCH];
	struct iovec iov[MH_BATCH];
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cbuf[MH_BATCH];
	unsigned done = 0, failed = 0;

	memset(mm, 0, sizeof(mm[0]) * q->n);
	for (unsigned i = 0; i < q->n; i++)
		mh_tx_hdr(&q->m[i].src, &q->m[i].dst, q->m[i].buf, q->m[i].len, &mm[i].msg_hdr,
			  &sa[i], &iov[i], cbuf[i].buf, sizeof(cbuf[i].buf));
	while (done < q->n) {
		int n = sendmmsg(fd, mm + done, q->n - done, 0);

		if (n < 0) {	/* message `done` failed: log it, go on after it */
			char a[INET6_ADDRSTRLEN];

			ev_warn("mh-send-failed", NULL, -1, "peer=%s err=%s",
				inet_ntop(AF_INET6, &q->m[done].dst, a, sizeof(a)) ? a : "?",
				XP_LOGERR(errno));
			done++;
			failed++;
			xp_sig_global()->send_errors++;
			continue;
		}
		for (int i = 0; i < n; i++) {
			const struct mh_msgbuf *b = &q->m[done + (unsigned)i];

			xp_sig_count(xp_sig_global(), XP_SIG_TX, b->buf, b->len);
			if (b->sent)
				(*b->sent)++;
		}
		done += (unsigned)n;
	}
	q->n = 0;
	return failed;
}
