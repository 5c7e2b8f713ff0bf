/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * upn_send - build one RFC 7864 Flow Mobility Initiate (UPN, RFC 7077 MH
 * type 19) with the project's codec, send it on a raw Mobility Header
 * socket, wait for the UPA and print it as one JSON object.
 *
 *   upn_send --src ADDR --dst MAG [options]
 *     --mnid NAI | --no-mnid       MN Identifier (default mn1@xpmip.example)
 *     --offlink PREFIX/LEN         HNP option with the L flag (repeatable)
 *     --hnp PREFIX/LEN             HNP option without it (repeatable)
 *     --fid N:PRI:DPORT            Flow Identification option: UDP to DPORT,
 *                                  Traffic Selector and Flow Binding Action
 *                                  (forward) sub-options (repeatable)
 *     --reason N                   Notification Reason (default 8, FLOW-MOBILITY)
 *     --seq N                      Sequence Number (default: from the clock)
 *     --timeout MS                 wait for the UPA (default 2000)
 *     --expect-status N            exit 3 if the UPA status is not N
 *
 * Exit: 0 a UPA arrived (and matched --expect-status), 1 none before the
 * timeout, 2 usage or socket error, 3 unexpected status.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mh_codec.h"
#include "xpmip_wire.h"

#define MS_PER_S	1000
#define NS_PER_MS	1000000
#define SEQ_MASK	0xffff

static void usage(void)
{
	fprintf(stderr, "usage: upn_send --src ADDR --dst MAG [--mnid NAI|--no-mnid]\n"
		"  [--offlink P/L ...] [--hnp P/L ...] [--fid N:PRI:DPORT ...] [--reason N]\n"
		"  [--seq N] [--timeout MS] [--expect-status N]\n");
	exit(2);
}

static void addr(const char *s, struct in6_addr *a)
{
	if (inet_pton(AF_INET6, s, a) != 1) {
		fprintf(stderr, "upn_send: bad IPv6 address '%s'\n", s);
		exit(2);
	}
}

static void add_hnp(struct mh_msg *m, const char *arg, uint8_t flags)
{
	char buf[128], *slash;
	struct in6_addr p;

	snprintf(buf, sizeof(buf), "%s", arg);
	slash = strchr(buf, '/');
	if (!slash)
		usage();
	*slash = '\0';
	addr(buf, &p);
	if (mh_add_hnp(m, &p, (uint8_t)atoi(slash + 1), flags) != MH_OK)
		usage();
}

static void add_fid(struct mh_msg *m, const char *arg)
{
	unsigned fid, pri, port;
	struct mh_flow_id *f;

	if (sscanf(arg, "%u:%u:%u", &fid, &pri, &port) != 3 || m->opt.n_flow_id >= MH_MAX_FLOW_ID)
		usage();
	f = &m->opt.flow_id[m->opt.n_flow_id++];
	memset(f, 0, sizeof(*f));
	f->fid = (uint16_t)fid;
	f->fid_pri = (uint16_t)pri;
	f->has_ts = true;
	f->ts.format = XP_TS_FMT_IPV6;
	f->ts.flags = XP_TS6_K_DPORT_START | XP_TS6_L_DPORT_END | XP_TS6_O_NH_START |
		      XP_TS6_P_NH_END;
	f->ts.dport_start = f->ts.dport_end = (uint16_t)port;
	f->ts.nh_start = f->ts.nh_end = XP_IPPROTO_UDP;
	f->has_action = true;
	f->action = XP_FBA_FORWARD;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * MS_PER_S + (uint64_t)ts.tv_nsec / NS_PER_MS;
}

int main(int argc, char **argv)
{
	enum { O_NO_MNID = 256, O_EXPECT };
	static const struct option opts[] = {
		{ "src", required_argument, 0, 's' }, { "dst", required_argument, 0, 'd' },
		{ "mnid", required_argument, 0, 'm' }, { "no-mnid", no_argument, 0, O_NO_MNID },
		{ "offlink", required_argument, 0, 'o' }, { "hnp", required_argument, 0, 'p' },
		{ "fid", required_argument, 0, 'f' }, { "reason", required_argument, 0, 'r' },
		{ "seq", required_argument, 0, 'q' }, { "timeout", required_argument, 0, 't' },
		{ "expect-status", required_argument, 0, O_EXPECT }, { 0 }
	};
	static struct mh_msg m, r;
	struct in6_addr src, dst;
	bool have_src = false, have_dst = false;
	const char *mnid = "mn1@xpmip.example";
	long seq = -1, timeout_ms = 2000, expect = -1;
	uint8_t buf[MH_MAX_MSG_LEN];
	int c, len, fd, off = XP_MH_CSUM_OFFSET;

	mh_msg_init(&m, XP_MH_TYPE_UPN);
	m.upn.reason = XP_UPN_R_FLOW_MOBILITY;
	m.upn.flags = XP_UPN_F_A;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': addr(optarg, &src); have_src = true; break;
		case 'd': addr(optarg, &dst); have_dst = true; break;
		case 'm': mnid = optarg; break;
		case O_NO_MNID: mnid = NULL; break;
		case 'o': add_hnp(&m, optarg, XP_HNP_F_OFFLINK); break;
		case 'p': add_hnp(&m, optarg, 0); break;
		case 'f': add_fid(&m, optarg); break;
		case 'r': m.upn.reason = (uint8_t)atoi(optarg); break;
		case 'q': seq = strtol(optarg, NULL, 0); break;
		case 't': timeout_ms = strtol(optarg, NULL, 0); break;
		case O_EXPECT: expect = strtol(optarg, NULL, 0); break;
		default: usage();
		}
	}
	if (!have_src || !have_dst || optind != argc)
		usage();
	if (seq < 0)
		seq = (long)(mono_ms() & SEQ_MASK);
	m.upn.seq = (uint16_t)seq;
	if (mnid && mh_set_mnid(&m, mnid) != MH_OK)
		usage();
	len = mh_encode(&m, buf, sizeof(buf));
	if (len < 0) {
		fprintf(stderr, "upn_send: encode failed: %s\n", mh_strerror(len));
		return 2;
	}
	fd = socket(AF_INET6, SOCK_RAW, IPPROTO_MH);
	if (fd < 0 || setsockopt(fd, IPPROTO_IPV6, IPV6_CHECKSUM, &off, sizeof(off)) < 0 ||
	    bind(fd, (struct sockaddr *)&(struct sockaddr_in6){ .sin6_family = AF_INET6,
								 .sin6_addr = src },
		 sizeof(struct sockaddr_in6)) < 0 ||
	    sendto(fd, buf, (size_t)len, 0,
		   (struct sockaddr *)&(struct sockaddr_in6){ .sin6_family = AF_INET6,
							      .sin6_addr = dst },
		   sizeof(struct sockaddr_in6)) < 0) {
		perror("upn_send");
		return 2;
	}
	for (uint64_t deadline = mono_ms() + (uint64_t)timeout_ms;;) {
		uint64_t now = mono_ms();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint8_t rb[MH_MAX_MSG_LEN];
		char a[INET6_ADDRSTRLEN];
		struct sockaddr_in6 from;
		socklen_t fl = sizeof(from);
		ssize_t n;

		if (now >= deadline)
			break;
		if (poll(&p, 1, (int)(deadline - now)) <= 0)
			continue;
		n = recvfrom(fd, rb, sizeof(rb), 0, (struct sockaddr *)&from, &fl);
		if (n <= 0 || mh_decode(rb, (size_t)n, &r, NULL) || r.type != XP_MH_TYPE_UPA ||
		    r.upa.seq != m.upn.seq)
			continue;
		printf("{\"status\":%u,\"seq\":%u,\"from\":\"%s\",\"hnps\":%u}\n", r.upa.status,
		       r.upa.seq, inet_ntop(AF_INET6, &from.sin6_addr, a, sizeof(a)),
		       (unsigned)r.opt.n_hnp);
		close(fd);
		return expect >= 0 && r.upa.status != expect ? 3 : 0;
	}
	close(fd);
	printf("{\"status\":null}\n");
	return 1;
}
