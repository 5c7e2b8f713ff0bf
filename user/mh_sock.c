// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* mh_sock.c - the raw Mobility Header socket: kernel checksum, PKTINFO. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "log.h"
#include "mh_sock.h"
#include "xpmip_wire.h"

/*
 * A burst of PBUs (many MNs attaching at once, a MAG re-registering after a
 * restart) must queue, not overflow: the default receive buffer (~200 KB)
 * holds only about 200 messages once the kernel's per-skb overhead is
 * counted. SO_RCVBUFFORCE lifts rmem_max when we are privileged; otherwise
 * SO_RCVBUF gets what the sysctl allows. Failing both is not fatal.
 */
#define MH_SOCK_RCVBUF	(8 << 20)

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
		pr_warn("event=mh-rcvbuf-failed error=%s", strerror(errno));
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

int mh_sock_send(int fd, const struct in6_addr *src, const struct in6_addr *dst,
		 const uint8_t *buf, size_t len)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_addr = *dst };
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cbuf;
	struct msghdr mh = {
		.msg_name = &sa, .msg_namelen = sizeof(sa),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	ssize_t n;

	memset(&cbuf, 0, sizeof(cbuf));
	if (src && !IN6_IS_ADDR_UNSPECIFIED(src)) {
		struct cmsghdr *cm;
		struct in6_pktinfo pi = { .ipi6_addr = *src };

		mh.msg_control = cbuf.buf;
		mh.msg_controllen = sizeof(cbuf.buf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	}
	n = sendmsg(fd, &mh, 0);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EMSGSIZE;
}

int mh_sock_recv(int fd, uint8_t *buf, size_t cap, struct in6_addr *src,
		 struct in6_addr *dst, int *ifindex)
{
	struct sockaddr_in6 sa;
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int))];
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
	if (src)
		*src = sa.sin6_addr;
	if (dst)
		memset(dst, 0, sizeof(*dst));
	if (ifindex)
		*ifindex = 0;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			if (dst)
				*dst = pi.ipi6_addr;
			if (ifindex)
				*ifindex = (int)pi.ipi6_ifindex;
		}
	}
	return (int)n;
}
