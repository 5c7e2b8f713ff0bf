/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * metrics_http.h - a minimal HTTP/1.0 responder in the daemon's event loop,
 * for a Prometheus scraper: `GET /metrics` (or `/`) answers 200 with the
 * body callback's text, anything else 404 / 405. One request per
 * connection; the connection closes after the answer.
 *
 * Why this is safe inside the single-threaded loop: reads are non-blocking
 * and a request must arrive within METRICS_HTTP_TIMEOUT_MS (a silent client
 * is dropped by a timer), the request is capped at 2 KiB, at most
 * METRICS_HTTP_MAX_CONN connections are open, and the answer is written
 * with a send timeout. Bind it to a loopback or management address: there
 * is no authentication (metrics_listen in docs/configuration.md).
 */
#ifndef XPMIP_METRICS_HTTP_H
#define XPMIP_METRICS_HTTP_H

#include <stdio.h>
#include <sys/socket.h>

#define METRICS_HTTP_TIMEOUT_MS	3000
#define METRICS_HTTP_MAX_CONN	16

struct evloop;
struct metrics_http;

/* Writes the /metrics body; 0 or -errno (a 500 is answered) */
typedef int (*metrics_http_body)(void *ctx, FILE *out);

/* "127.0.0.1:9477", "[::1]:9477" or "[2001:db8::1]:9477" -> ss; 0 or -EINVAL */
int xp_metrics_addr_parse(const char *s, struct sockaddr_storage *ss, socklen_t *len);

int metrics_http_open(struct evloop *ev, const char *listen_addr, metrics_http_body body,
		      void *ctx, struct metrics_http **out);
void metrics_http_close(struct metrics_http *h);

#endif /* XPMIP_METRICS_HTTP_H */
