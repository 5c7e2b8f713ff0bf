// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * sigload - signalling load against a running LMA, and the route-per-binding
 * cost of the old designs, side by side.
 *
 *   sigload pbu --lma ADDR --src ADDR [--count N] [--window W | --rate R]
 *               [--timeout-ms T] [--tag S]
 *   sigload routes --count N
 *
 * pbu: plays many MNs behind one MAG source address: N registrations, each a
 *   PBU with its own MN-ID (bench-<tag>-<i>@load), HI 1, ATT, an HNP request
 *   and a timestamp. --window keeps W PBUs outstanding (the sustained rate);
 *   the PBUs of one turn go out in one sendmmsg and PBAs come in by
 *   recvmmsg (MH_BATCH a call), so that the generator's syscalls, on the
 *   same two CPUs, do not limit what is measured;
 *   --rate paces sends at R per second (the latency at a fixed load); between
 *   sends the generator sleeps until the next PBU is due or a PBA arrives
 *   (it shares the machine's CPUs with the LMA: spinning would take one).
 *   A PBU with no PBA within the timeout is lost. Prints one JSON line:
 *   sent, accepted, rejected, lost, elapsed, rate, latency p50/p99/max (us),
 *   and what tells a slow LMA from a lossy path: late (PBAs that came after
 *   their PBU was counted lost), gen_rx_dropped (PBAs the generator's own
 *   socket dropped, SO_RXQ_OVFL), max_gap_us (the longest time without any
 *   PBA while PBUs were outstanding) and first_lost_s (when the first loss
 *   was counted, from the start).
 *
 * routes: in the current network namespace, N kernel route installs (one
 *   RTM_NEWROUTE with an ACK per binding, on a veth, as pmip6d and OPMIP do
 *   for each binding's tunnel route) and their removal. Prints one JSON line
 *   with the rate. Run it in a namespace of its own.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "mh_codec.h"
#include "mh_sock.h"
#include "xpmip_wire.h"

#define MNID_MAX	64
#define US_PER_S	1000000ull
#define NS_PER_US	1000ull
#define SEQ_SPACE	65536u

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * US_PER_S + (uint64_t)ts.tv_nsec / NS_PER_US;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct pending {
	uint64_t sent_us;	/* 0: not outstanding */
	uint32_t idx;
};

struct load {
	int fd;
	struct in6_addr lma, src;
	uint32_t count, window, rate, timeout_ms;
	const char *tag;
	struct pending by_seq[SEQ_SPACE];	/* outstanding PBUs by sequence */
	uint64_t *lat;				/* per completed PBU, us */
	uint32_t sent, done, accepted, rejected, lost, outstanding, late;
	uint64_t start_us, last_rx_us, max_gap_us, first_lost_us;
	struct mh_rx_drops drops;		/* PBAs our socket dropped */
	uint16_t seq;
	struct mh_txq txq;			/* PBUs of this turn, one sendmmsg */
	struct mh_msgbuf rx[MH_BATCH];
};

static int send_pbu(struct load *L, uint32_t i)
{
	static uint8_t buf[MH_MAX_MSG_LEN];
	struct mh_msg m;
	char nai[MNID_MAX];
	struct in6_addr any = IN6ADDR_ANY_INIT;
	uint16_t seq = L->seq++;
	int n, err;

	if (L->by_seq[seq].sent_us)
		return -EBUSY;	/* 64k outstanding: never with sane windows */
	mh_msg_init(&m, XP_MH_TYPE_BU);
	m.bu.seq = seq;
	m.bu.flags = XP_BU_F_A | XP_BU_F_H | XP_BU_F_P;
	m.bu.lifetime = (uint16_t)(3600 / XP_LIFETIME_UNIT_S);
	snprintf(nai, sizeof(nai), "bench-%s-%u@load", L->tag, i);
	if (mh_set_mnid(&m, nai) || mh_add_hnp(&m, &any, 0, 0))
		return -EINVAL;
	m.opt.present |= MH_HAS_HI | MH_HAS_ATT | MH_HAS_TIMESTAMP;
	m.opt.hi = XP_HI_NEW_IF;
	m.opt.att = XP_ATT_80211;
	m.opt.timestamp = mh_timestamp_now();
	n = mh_encode(&m, buf, sizeof(buf));
	if (n < 0)
		return n;
	/* queued: sent by the turn's flush (a full queue flushes itself) */
	err = mh_txq_add(&L->txq, L->fd, &L->src, &L->lma, buf, (size_t)n, NULL);
	if (err)
		return err;
	L->by_seq[seq] = (struct pending){ .sent_us = now_us(), .idx = i };
	L->sent++;
	L->outstanding++;
	return 0;
}

static void drain(struct load *L)
{
	static struct mh_msg m;

	for (;;) {
		int n = mh_sock_recv_batch(L->fd, L->rx, MH_BATCH);

		uint64_t now;

		if (n < 0)
			return;
		now = now_us();
		if (n > 0) {
			if (L->outstanding && now - L->last_rx_us > L->max_gap_us)
				L->max_gap_us = now - L->last_rx_us;
			L->last_rx_us = now;
		}
		for (int i = 0; i < n; i++) {
			struct pending *p;

			mh_rx_drops_new(&L->drops, &L->rx[i]);
			if (mh_decode(L->rx[i].buf, L->rx[i].len, &m, NULL) ||
			    m.type != XP_MH_TYPE_BA)
				continue;
			p = &L->by_seq[m.ba.seq];
			if (!p->sent_us) {
				L->late++;	/* answer to a PBU already counted lost */
				continue;
			}
			L->lat[L->done++] = now - p->sent_us;
			if (m.ba.status == XP_PBA_ACCEPTED)
				L->accepted++;
			else
				L->rejected++;
			p->sent_us = 0;
			L->outstanding--;
		}
		if (n < MH_BATCH)
			return;
	}
}

static void expire(struct load *L, uint64_t now)
{
	uint64_t limit = (uint64_t)L->timeout_ms * 1000;

	for (uint32_t s = 0; s < SEQ_SPACE; s++)
		/* sent_us may be later than now: sends happen after the loop
		 * took its timestamp */
		if (L->by_seq[s].sent_us && now > L->by_seq[s].sent_us &&
		    now - L->by_seq[s].sent_us > limit) {
			L->by_seq[s].sent_us = 0;
			if (!L->lost++)
				L->first_lost_us = now - L->start_us;
			L->outstanding--;
		}
}

static int run_pbu(struct load *L)
{
	uint64_t start = now_us(), last_expire = start, end;
	uint32_t next = 0;

	L->start_us = L->last_rx_us = start;
	L->lat = calloc(L->count ? L->count : 1, sizeof(*L->lat));
	if (!L->lat)
		return -ENOMEM;
	while (next < L->count || L->outstanding) {
		uint64_t now = now_us();
		struct pollfd pfd = { .fd = L->fd, .events = POLLIN };

		/* how long to wait for a PBA: 1 ms (a full window waits for
		 * answers), or until the next paced PBU is due */
		struct timespec wait = { .tv_nsec = 1000000 };

		if (next < L->count) {
			if (L->rate) {
				/* paced: send what the schedule owes by now, then
				 * sleep until PBU `next` is due (next * 1 s / rate) */
				uint64_t due = (now - start) * L->rate / US_PER_S, at;

				while (next < L->count && next <= due && !send_pbu(L, next))
					next++;
				at = start + (uint64_t)next * US_PER_S / L->rate;
				wait.tv_nsec = at > now ? (long)((at - now) * NS_PER_US) : 0;
				if (wait.tv_nsec > 1000000)
					wait.tv_nsec = 1000000;
			} else {
				while (next < L->count && L->outstanding < L->window &&
				       !send_pbu(L, next))
					next++;
			}
		}
		mh_txq_flush(&L->txq, L->fd);
		ppoll(&pfd, 1, &wait, NULL);
		drain(L);
		if (now - last_expire > 100000) {	/* every 100 ms */
			expire(L, now);
			last_expire = now;
		}
	}
	end = now_us();
	qsort(L->lat, L->done, sizeof(*L->lat), cmp_u64);
	printf("{\"mode\":\"%s\",\"sent\":%u,\"accepted\":%u,\"rejected\":%u,\"lost\":%u,"
	       "\"late\":%u,\"gen_rx_dropped\":%u,\"max_gap_us\":%llu,\"first_lost_s\":%.3f,"
	       "\"elapsed_s\":%.3f,\"rate_per_s\":%.0f,\"p50_us\":%llu,\"p99_us\":%llu,"
	       "\"max_us\":%llu}\n",
	       L->rate ? "paced" : "window", L->sent, L->accepted, L->rejected, L->lost,
	       L->late, L->drops.last, (unsigned long long)L->max_gap_us,
	       L->lost ? (double)L->first_lost_us / US_PER_S : 0.0,
	       (double)(end - start) / US_PER_S,
	       (double)L->done * US_PER_S / (double)(end - start ? end - start : 1),
	       (unsigned long long)(L->done ? L->lat[L->done / 2] : 0),
	       (unsigned long long)(L->done ? L->lat[(uint64_t)L->done * 99 / 100] : 0),
	       (unsigned long long)(L->done ? L->lat[L->done - 1] : 0));
	free(L->lat);
	return L->lost ? 1 : 0;
}

/* One route request with its ACK, as the per-binding designs do */
static int route_req(struct mnl_socket *nl, int type, int flags, uint32_t i, int ifindex,
		     uint32_t seq)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;
	struct in6_addr dst = { 0 }, gw = { 0 };
	int n;

	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | NLM_F_ACK | flags);
	nlh->nlmsg_seq = seq;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = 64;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	dst.s6_addr32[0] = htonl(0x20010db8);
	dst.s6_addr32[1] = htonl(0x40000000u | i);
	gw.s6_addr[0] = 0xfe;
	gw.s6_addr[1] = 0x80;
	gw.s6_addr[15] = 2;
	mnl_attr_put(nlh, RTA_DST, sizeof(dst), &dst);
	mnl_attr_put(nlh, RTA_GATEWAY, sizeof(gw), &gw);
	mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	return mnl_cb_run(buf, (size_t)n, seq, mnl_socket_get_portid(nl), NULL, NULL) < 0 ?
	       -errno : 0;
}

static int run_routes(uint32_t count)
{
	struct mnl_socket *nl;
	uint64_t t0, t1, t2;
	int ifindex, err = 0;

	if (system("ip link add xpbench0 type veth peer name xpbench1 && "
		   "ip link set xpbench0 up && ip link set xpbench1 up") != 0) {
		fprintf(stderr, "sigload: cannot create the veth pair\n");
		return 2;
	}
	ifindex = (int)if_nametoindex("xpbench0");
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "sigload: netlink: %s\n", strerror(errno));
		return 2;
	}
	t0 = now_us();
	for (uint32_t i = 0; i < count && !err; i++)
		err = route_req(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, i, ifindex, i + 1);
	t1 = now_us();
	for (uint32_t i = 0; i < count && !err; i++)
		err = route_req(nl, RTM_DELROUTE, 0, i, ifindex, count + i + 1);
	t2 = now_us();
	mnl_socket_close(nl);
	if (system("ip link del xpbench0") != 0)
		fprintf(stderr, "sigload: could not delete xpbench0\n");
	if (err) {
		fprintf(stderr, "sigload: route request failed: %s\n", strerror(-err));
		return 1;
	}
	printf("{\"mode\":\"routes\",\"count\":%u,\"add_per_s\":%.0f,\"del_per_s\":%.0f}\n",
	       count, (double)count * US_PER_S / (double)(t1 - t0 ? t1 - t0 : 1),
	       (double)count * US_PER_S / (double)(t2 - t1 ? t2 - t1 : 1));
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: sigload pbu --lma ADDR --src ADDR [--count N] [--window W | --rate R]"
		" [--timeout-ms T] [--tag S]\n       sigload routes --count N\n");
}

int main(int argc, char **argv)
{
	static struct load L = { .count = 10000, .window = 256, .timeout_ms = 2000, .tag = "x" };
	static const struct option opts[] = {
		{ "lma", required_argument, 0, 'l' }, { "src", required_argument, 0, 's' },
		{ "count", required_argument, 0, 'n' }, { "window", required_argument, 0, 'w' },
		{ "rate", required_argument, 0, 'r' }, { "timeout-ms", required_argument, 0, 't' },
		{ "tag", required_argument, 0, 'g' }, { 0 }
	};
	bool have_lma = false, have_src = false;
	const char *mode;
	int c;

	if (argc < 2) {
		usage();
		return 2;
	}
	mode = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l': have_lma = inet_pton(AF_INET6, optarg, &L.lma) == 1; break;
		case 's': have_src = inet_pton(AF_INET6, optarg, &L.src) == 1; break;
		case 'n': L.count = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'w': L.window = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'r': L.rate = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 't': L.timeout_ms = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'g': L.tag = optarg; break;
		default: usage(); return 2;
		}
	}
	if (!strcmp(mode, "routes"))
		return run_routes(L.count);
	if (strcmp(mode, "pbu") || !have_lma || !have_src || !L.window) {
		usage();
		return 2;
	}
	L.fd = mh_sock_open(&L.src);
	if (L.fd < 0) {
		fprintf(stderr, "sigload: MH socket: %s\n", strerror(-L.fd));
		return 2;
	}
	return run_pbu(&L);
}
