// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_mh_sock.c - the MH socket counts what the kernel drops: every
 * message sent to it is either received or counted by mh_rx_drops_new()
 * (SO_RXQ_OVFL), so a full receive buffer is never a silent drop.
 *
 * The socket test runs in a network namespace of its own (unshare: the
 * test process is a fork of Criterion's), on its loopback.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "mh_codec.h"
#include "mh_sock.h"
#include "xpmip_wire.h"

static struct mh_msgbuf msg_with(uint32_t dropped)
{
	struct mh_msgbuf m;

	memset(&m, 0, sizeof(m));
	m.rx_dropped = dropped;
	return m;
}

Test(mh_sock, drops_are_counted_once_each)
{
	struct mh_rx_drops d = { 0 };
	struct mh_msgbuf m;

	m = msg_with(0);
	cr_assert_eq(mh_rx_drops_new(&d, &m), 0, "no count: nothing dropped yet");
	m = msg_with(3);
	cr_assert_eq(mh_rx_drops_new(&d, &m), 3);
	cr_assert_eq(mh_rx_drops_new(&d, &m), 0, "the same count again: no new drop");
	m = msg_with(5);
	cr_assert_eq(mh_rx_drops_new(&d, &m), 2);
	cr_assert_eq(d.last, 5);
}

Test(mh_sock, drop_count_wraps)
{
	struct mh_rx_drops d = { .last = UINT32_MAX - 1 };
	struct mh_msgbuf m = msg_with(2);

	cr_assert_eq(mh_rx_drops_new(&d, &m), 4, "2^32 - 2 -> 2 is four drops");
}

static void lo_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	cr_assert_geq(fd, 0);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	cr_assert_eq(ioctl(fd, SIOCGIFFLAGS, &ifr), 0);
	ifr.ifr_flags |= IFF_UP;
	cr_assert_eq(ioctl(fd, SIOCSIFFLAGS, &ifr), 0);
	close(fd);
}

/* A PBU-sized message the kernel's MH checksum accepts */
static int encode_bu(uint8_t *buf, size_t cap, uint16_t seq)
{
	struct mh_msg m;

	mh_msg_init(&m, XP_MH_TYPE_BU);
	m.bu.seq = seq;
	m.bu.flags = XP_BU_F_A | XP_BU_F_P;
	cr_assert_eq(mh_set_mnid(&m, "drop@test"), 0);
	return mh_encode(&m, buf, cap);
}

Test(mh_sock, full_receive_buffer_drops_are_counted)
{
	enum { SENT = 400 };
	struct in6_addr lo = IN6ADDR_LOOPBACK_INIT;
	static struct mh_msgbuf rx[MH_BATCH];
	struct mh_rx_drops d = { 0 };
	uint8_t buf[MH_MAX_MSG_LEN];
	int small = 1, rx_fd, tx_fd, len, n;
	unsigned got = 0, dropped = 0;

	cr_assert_eq(unshare(CLONE_NEWNET), 0, "a network namespace (root, as for the map tests): %s",
		     strerror(errno));
	lo_up();
	rx_fd = mh_sock_open(&lo);
	tx_fd = mh_sock_open(NULL);
	cr_assert_geq(rx_fd, 0, "receiver: %s", strerror(-rx_fd));
	cr_assert_geq(tx_fd, 0, "sender: %s", strerror(-tx_fd));
	/* the smallest buffer the kernel allows: a few messages fit */
	cr_assert_eq(setsockopt(rx_fd, SOL_SOCKET, SO_RCVBUFFORCE, &small, sizeof(small)), 0);
	len = encode_bu(buf, sizeof(buf), 1);
	cr_assert_gt(len, 0);
	for (int i = 0; i < SENT; i++)
		cr_assert_eq(mh_sock_send(tx_fd, &lo, &lo, buf, (size_t)len), 0);
	/* the last message queued carries the count of every drop before it;
	 * one more after the drain carries the rest */
	while ((n = mh_sock_recv_batch(rx_fd, rx, MH_BATCH)) > 0)
		for (int i = 0; i < n; i++, got++)
			dropped += mh_rx_drops_new(&d, &rx[i]);
	cr_assert_eq(n, -EAGAIN);
	cr_assert_eq(mh_sock_send(tx_fd, &lo, &lo, buf, (size_t)len), 0);
	n = mh_sock_recv_batch(rx_fd, rx, MH_BATCH);
	cr_assert_eq(n, 1);
	got++;
	dropped += mh_rx_drops_new(&d, &rx[0]);
	cr_assert_gt(dropped, 0, "a %d-message burst overflows the smallest buffer", SENT);
	cr_assert_eq(got + dropped, SENT + 1, "received %u + counted %u of %d sent", got, dropped,
		     SENT + 1);
	close(rx_fd);
	close(tx_fd);
}
