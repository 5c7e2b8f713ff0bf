/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * udp_stream - a paced UDP stream with sequence numbers and timestamps, and
 * its receiver, for measuring loss across a handover (selftests, benchmarks).
 *
 *   udp_stream send --dst ADDR [--port P] [--pps N] [--duration S]
 *                   [--size BYTES] [--src ADDR] [--progress]
 *   udp_stream recv [--bind ADDR] [--port P] [--duration S]
 *                   [--idle-timeout S] [--progress] [--out FILE]
 *
 * Every datagram carries: magic, stream id, sequence number (from 0) and
 * the sender's CLOCK_REALTIME send time in ns. When done the sender sends
 * an END datagram (5 times, 10 ms apart) holding the number of packets
 * sent, so the receiver knows the tail losses too.
 *
 * The receiver stops at END (after a 200 ms grace for late packets), at
 * --duration, after --idle-timeout seconds without a packet once the
 * stream has started, or on SIGINT/SIGTERM; it then prints one JSON
 * summary line (to stdout and to --out FILE):
 *   {"received":..,"unique":..,"sent":..,"lost":..,"duplicates":..,
 *    "reordered":..,"max_gap_ms":..,"max_gap_after_seq":..,
 *    "first_seq":..,"last_seq":..,"latency_avg_us":..,"latency_max_us":..,
 *    "end_seen":true|false}
 * "lost" = sent (from END, else highest sequence + 1) - unique received.
 * "max_gap_ms" is the longest time between two consecutive arrivals
 * (the outage of a handover). The sender prints {"sent":..,"pps":..}.
 * --progress prints one line per second to stderr.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAGIC		0x58505354u	/* "XPST" */
#define KIND_DATA	1
#define KIND_END	2
#define MAX_SEQ		(1u << 24)	/* bitmap for duplicates: 16 M packets */

struct hdr {
	uint32_t magic;
	uint32_t kind;
	uint64_t seq;
	uint64_t ts_ns;
	uint64_t total;		/* END: packets sent */
} __attribute__((packed));

static volatile sig_atomic_t stop;
static void on_sig(int s) { (void)s; stop = 1; }

static uint64_t now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: udp_stream send --dst ADDR [--port P] [--pps N] [--duration S] [--size B] [--src ADDR] [--progress]\n"
		"       udp_stream recv [--bind ADDR] [--port P] [--duration S] [--idle-timeout S] [--progress] [--out FILE]\n");
	exit(2);
}

static int parse_addr(const char *s, struct in6_addr *a)
{
	if (inet_pton(AF_INET6, s, a) != 1) {
		fprintf(stderr, "udp_stream: bad IPv6 address '%s'\n", s);
		return -1;
	}
	return 0;
}

static int do_send(const char *dst, const char *src, int port, double pps,
		   double duration, int size, bool progress)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	uint8_t buf[65536] = { 0 };
	struct hdr *h = (struct hdr *)buf;
	uint64_t n, total, t0, next, sent = 0, errs = 0, last_prog;
	int fd;

	if (size < (int)sizeof(*h))
		size = sizeof(*h);
	if (size > (int)sizeof(buf))
		size = sizeof(buf);
	if (parse_addr(dst, &sa.sin6_addr))
		return 2;
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	if (src) {
		struct sockaddr_in6 la = { .sin6_family = AF_INET6 };

		if (parse_addr(src, &la.sin6_addr))
			return 2;
		if (bind(fd, (struct sockaddr *)&la, sizeof(la)) < 0) {
			perror("bind");
			return 1;
		}
	}
	total = (uint64_t)(pps * duration + 0.5);
	t0 = now_ns(CLOCK_MONOTONIC);
	last_prog = t0;
	for (n = 0; n < total && !stop; n++) {
		struct timespec ts;

		next = t0 + (uint64_t)((double)n * 1e9 / pps);
		ts.tv_sec = next / 1000000000ull;
		ts.tv_nsec = next % 1000000000ull;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR && !stop)
			;
		h->magic = htonl(MAGIC);
		h->kind = htonl(KIND_DATA);
		h->seq = n;
		h->ts_ns = now_ns(CLOCK_REALTIME);
		h->total = 0;
		if (sendto(fd, buf, size, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			errs++;	/* no route / no neighbour during a handover: a loss */
		else
			sent++;
		if (progress && next - last_prog >= 1000000000ull) {
			last_prog = next;
			fprintf(stderr, "udp_stream send: %" PRIu64 " sent, %" PRIu64 " send errors\n",
				n + 1, errs);
		}
	}
	/* END: how many were attempted (send errors count as losses) */
	for (int i = 0; i < 5; i++) {
		h->magic = htonl(MAGIC);
		h->kind = htonl(KIND_END);
		h->seq = 0;
		h->ts_ns = now_ns(CLOCK_REALTIME);
		h->total = n;
		sendto(fd, buf, sizeof(*h), 0, (struct sockaddr *)&sa, sizeof(sa));
		usleep(10000);
	}
	printf("{\"sent\":%" PRIu64 ",\"attempted\":%" PRIu64 ",\"send_errors\":%" PRIu64
	       ",\"pps\":%.0f,\"duration_s\":%.3f}\n", sent, n, errs, pps,
	       (now_ns(CLOCK_MONOTONIC) - t0) / 1e9);
	close(fd);
	return 0;
}

struct rstats {
	uint64_t received, unique, dups, reordered;
	uint64_t first_seq, last_seq, max_seq;
	bool any, end_seen;
	uint64_t end_total;
	uint64_t last_arrival, max_gap_ns, max_gap_after;
	double lat_sum_us;
	uint64_t lat_max_us, lat_n;
};

static int do_recv(const char *bindaddr, int port, double duration, double idle,
		   bool progress, const char *outfile)
{
	struct sockaddr_in6 la = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	uint8_t *seen = calloc(MAX_SEQ / 8, 1);
	struct rstats st = { 0 };
	uint8_t buf[65536];
	uint64_t t0, end_deadline = 0, last_prog, prog_count = 0;
	int fd, one = 1;

	if (!seen)
		return 1;
	if (bindaddr && parse_addr(bindaddr, &la.sin6_addr))
		return 2;
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	{
		int rcvbuf = 4 << 20;

		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	}
	if (bind(fd, (struct sockaddr *)&la, sizeof(la)) < 0) {
		perror("bind");
		return 1;
	}
	/* ready: the scripts wait for this line before starting the sender */
	fprintf(stderr, "udp_stream recv: listening on port %d\n", port);
	t0 = now_ns(CLOCK_MONOTONIC);
	last_prog = t0;
	while (!stop) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint64_t now = now_ns(CLOCK_MONOTONIC);
		int r;

		if (duration > 0 && now - t0 >= (uint64_t)(duration * 1e9))
			break;
		if (end_deadline && now >= end_deadline)
			break;
		if (idle > 0 && st.any && now - st.last_arrival >= (uint64_t)(idle * 1e9))
			break;
		if (progress && now - last_prog >= 1000000000ull) {
			fprintf(stderr, "udp_stream recv: %6" PRIu64 " received (+%" PRIu64
				" in the last second), highest seq %" PRIu64 ", longest gap %.1f ms\n",
				st.received, st.received - prog_count, st.any ? st.max_seq : 0,
				st.max_gap_ns / 1e6);
			prog_count = st.received;
			last_prog = now;
		}
		r = poll(&p, 1, 50);
		if (r <= 0)
			continue;
		ssize_t len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (len < (ssize_t)sizeof(struct hdr))
			continue;
		struct hdr h;

		memcpy(&h, buf, sizeof(h));
		if (ntohl(h.magic) != MAGIC)
			continue;
		now = now_ns(CLOCK_MONOTONIC);
		if (ntohl(h.kind) == KIND_END) {
			if (!st.end_seen) {
				st.end_seen = true;
				st.end_total = h.total;
				end_deadline = now + 200000000ull;
			}
			continue;
		}
		st.received++;
		if (st.any) {
			uint64_t gap = now - st.last_arrival;

			if (gap > st.max_gap_ns) {
				st.max_gap_ns = gap;
				st.max_gap_after = st.last_seq;
			}
		} else {
			st.first_seq = h.seq;
		}
		st.last_arrival = now;
		if (h.seq < MAX_SEQ) {
			uint8_t bit = 1u << (h.seq & 7);

			if (seen[h.seq >> 3] & bit) {
				st.dups++;
				continue;
			}
			seen[h.seq >> 3] |= bit;
		}
		st.unique++;
		if (st.any && h.seq < st.max_seq)
			st.reordered++;
		if (!st.any || h.seq > st.max_seq)
			st.max_seq = h.seq;
		st.last_seq = h.seq;
		st.any = true;
		{
			uint64_t rt = now_ns(CLOCK_REALTIME);

			if (rt > h.ts_ns) {
				uint64_t us = (rt - h.ts_ns) / 1000;

				st.lat_sum_us += us;
				st.lat_n++;
				if (us > st.lat_max_us)
					st.lat_max_us = us;
			}
		}
	}
	uint64_t sent = st.end_seen ? st.end_total : (st.any ? st.max_seq + 1 : 0);
	int64_t lost = (int64_t)sent - (int64_t)st.unique;
	char line[1024];

	snprintf(line, sizeof(line),
		 "{\"received\":%" PRIu64 ",\"unique\":%" PRIu64 ",\"sent\":%" PRIu64
		 ",\"lost\":%" PRId64 ",\"duplicates\":%" PRIu64 ",\"reordered\":%" PRIu64
		 ",\"max_gap_ms\":%.3f,\"max_gap_after_seq\":%" PRIu64
		 ",\"first_seq\":%" PRIu64 ",\"last_seq\":%" PRIu64
		 ",\"latency_avg_us\":%.1f,\"latency_max_us\":%" PRIu64 ",\"end_seen\":%s}",
		 st.received, st.unique, sent, lost < 0 ? 0 : lost, st.dups, st.reordered,
		 st.max_gap_ns / 1e6, st.max_gap_after, st.first_seq, st.max_seq,
		 st.lat_n ? st.lat_sum_us / st.lat_n : 0.0, st.lat_max_us,
		 st.end_seen ? "true" : "false");
	printf("%s\n", line);
	fflush(stdout);
	if (outfile) {
		FILE *f = fopen(outfile, "w");

		if (f) {
			fprintf(f, "%s\n", line);
			fclose(f);
		}
	}
	free(seen);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dst", required_argument, 0, 'd' },
		{ "src", required_argument, 0, 's' },
		{ "bind", required_argument, 0, 'b' },
		{ "port", required_argument, 0, 'p' },
		{ "pps", required_argument, 0, 'r' },
		{ "duration", required_argument, 0, 't' },
		{ "size", required_argument, 0, 'l' },
		{ "idle-timeout", required_argument, 0, 'i' },
		{ "progress", no_argument, 0, 'P' },
		{ "out", required_argument, 0, 'o' },
		{ "help", no_argument, 0, 'h' },
		{ 0 }
	};
	const char *dst = NULL, *src = NULL, *bindaddr = NULL, *out = NULL;
	double pps = 1000, duration = 5, idle = 0;
	int port = 5001, size = 64, c;
	bool progress = false, duration_set = false;
	struct sigaction sa = { .sa_handler = on_sig };

	if (argc < 2)
		usage();
	const char *mode = argv[1];

	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dst = optarg; break;
		case 's': src = optarg; break;
		case 'b': bindaddr = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'r': pps = atof(optarg); break;
		case 't': duration = atof(optarg); duration_set = true; break;
		case 'l': size = atoi(optarg); break;
		case 'i': idle = atof(optarg); break;
		case 'P': progress = true; break;
		case 'o': out = optarg; break;
		default: usage();
		}
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "send")) {
		if (!dst || pps <= 0)
			usage();
		return do_send(dst, src, port, pps, duration, size, progress);
	}
	if (!strcmp(mode, "recv"))
		return do_recv(bindaddr, port, duration_set ? duration : 0, idle, progress, out);
	usage();
	return 2;
}
