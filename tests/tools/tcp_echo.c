// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * tcp_echo - one TCP connection for the selftests, to check that a
 * connection survives what the network does under it (t_20: interface
 * priority switches) with every byte intact.
 *
 *   tcp_echo server --port P --out FILE
 *       accept one connection, write what arrives to FILE and send it back;
 *       prints "listening" on stderr once it listens, exits at EOF.
 *   tcp_echo client --src ADDR --dst ADDR --port P --in FILE --out FILE
 *                   [--rate BYTES_PER_S] [--timeout S]
 *       connect from ADDR (bound: the primary HoA), send FILE paced at the
 *       rate, write the echo to FILE, half-close when all is sent, exit 0
 *       at EOF once as many bytes came back as were sent.
 * The test compares sha256sum of the three files.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
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

#define CHUNK		1000
#define TICK_MS		10
#define MS_PER_S	1000

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * MS_PER_S + ts.tv_nsec / 1000000;
}

static int write_all(int fd, const char *b, size_t n)
{
	while (n) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

static int server(int port, const char *out)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port),
				  .sin6_addr = IN6ADDR_ANY_INIT };
	int one = 1, l = socket(AF_INET6, SOCK_STREAM, 0), c, f;
	char buf[65536];
	ssize_t n;

	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1)) {
		perror("tcp_echo server: listen");
		return 1;
	}
	fprintf(stderr, "listening\n");
	c = accept(l, NULL, NULL);
	f = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (c < 0 || f < 0) {
		perror("tcp_echo server: accept/open");
		return 1;
	}
	while ((n = read(c, buf, sizeof(buf))) > 0)
		if (write_all(f, buf, (size_t)n) || write_all(c, buf, (size_t)n)) {
			perror("tcp_echo server: write");
			return 1;
		}
	close(c);
	close(f);
	return n < 0;
}

static int client(const char *src, const char *dst, int port, const char *in, const char *out,
		  long rate, int timeout_s)
{
	struct sockaddr_in6 s = { .sin6_family = AF_INET6 }, d = { .sin6_family = AF_INET6,
								  .sin6_port = htons((uint16_t)port) };
	int fd = socket(AF_INET6, SOCK_STREAM, 0), fi = open(in, O_RDONLY);
	int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long long t0, deadline, sent = 0, got = 0, budget = 0;
	char buf[65536], chunk[CHUNK];
	bool eof_in = false, shut = false;

	if (fd < 0 || fi < 0 || fo < 0 || inet_pton(AF_INET6, src, &s.sin6_addr) != 1 ||
	    inet_pton(AF_INET6, dst, &d.sin6_addr) != 1) {
		fprintf(stderr, "tcp_echo client: bad arguments\n");
		return 2;
	}
	if (bind(fd, (struct sockaddr *)&s, sizeof(s)) || connect(fd, (struct sockaddr *)&d, sizeof(d))) {
		perror("tcp_echo client: connect");
		return 1;
	}
	t0 = now_ms();
	deadline = t0 + (long long)timeout_s * MS_PER_S;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long long now = now_ms();

		if (now > deadline) {
			fprintf(stderr, "tcp_echo client: timeout, sent %lld got %lld\n", sent, got);
			return 1;
		}
		/* pace: rate bytes per second, in TICK_MS steps */
		budget = rate * (now - t0) / MS_PER_S - sent;
		while (!eof_in && budget >= CHUNK) {
			ssize_t r = read(fi, chunk, CHUNK);

			if (r <= 0) {
				eof_in = true;
				break;
			}
			if (write_all(fd, chunk, (size_t)r)) {
				perror("tcp_echo client: send");
				return 1;
			}
			sent += r;
			budget -= r;
		}
		if (eof_in && !shut) {
			shutdown(fd, SHUT_WR);
			shut = true;
		}
		if (poll(&p, 1, TICK_MS) > 0) {
			ssize_t r = read(fd, buf, sizeof(buf));

			if (r < 0) {
				perror("tcp_echo client: recv");
				return 1;
			}
			if (r == 0)
				break;
			if (write_all(fo, buf, (size_t)r))
				return 1;
			got += r;
		}
	}
	close(fo);
	printf("{\"sent\":%lld,\"received\":%lld,\"ms\":%lld}\n", sent, got, now_ms() - t0);
	return got == sent ? 0 : 1;
}

int main(int argc, char **argv)
{
	static const struct option o[] = {
		{ "port", required_argument, NULL, 'p' }, { "out", required_argument, NULL, 'o' },
		{ "in", required_argument, NULL, 'i' }, { "src", required_argument, NULL, 's' },
		{ "dst", required_argument, NULL, 'd' }, { "rate", required_argument, NULL, 'r' },
		{ "timeout", required_argument, NULL, 't' }, { NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *in = NULL, *src = NULL, *dst = NULL;
	int port = 5002, timeout = 60, c;
	long rate = 100000;

	if (argc < 2) {
		fprintf(stderr, "usage: tcp_echo server|client ...\n");
		return 2;
	}
	optind = 2;
	while ((c = getopt_long(argc, argv, "", o, NULL)) != -1) {
		switch (c) {
		case 'p': port = atoi(optarg); break;
		case 'o': out = optarg; break;
		case 'i': in = optarg; break;
		case 's': src = optarg; break;
		case 'd': dst = optarg; break;
		case 'r': rate = atol(optarg); break;
		case 't': timeout = atoi(optarg); break;
		default: return 2;
		}
	}
	if (!strcmp(argv[1], "server") && out)
		return server(port, out);
	if (!strcmp(argv[1], "client") && out && in && src && dst && rate > 0)
		return client(src, dst, port, in, out, rate, timeout);
	fprintf(stderr, "tcp_echo: missing arguments\n");
	return 2;
}
