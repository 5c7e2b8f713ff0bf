// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* metrics_http.c - see metrics_http.h */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/time.h>

#include "evloop.h"
#include "log.h"
#include "metrics_http.h"
#include "prom.h"

#define REQ_MAX		2048
#define SEND_TIMEOUT_S	2
#define BACKLOG		16
#define PORT_MAX	65535
#define ADDR_TEXT_MAX	64

struct http_conn {
	struct metrics_http *h;
	int fd;
	size_t len;
	char req[REQ_MAX + 1];
	struct ev_timer timer;
	bool used;
};

struct metrics_http {
	struct evloop *ev;
	int fd;
	metrics_http_body body;
	void *ctx;
	struct http_conn conn[METRICS_HTTP_MAX_CONN];
};

int xp_metrics_addr_parse(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[ADDR_TEXT_MAX];
	const char *port;
	char *end;
	unsigned long p;

	if (!s || !*s)
		return -EINVAL;
	memset(ss, 0, sizeof(*ss));
	if (s[0] == '[') {
		const char *rb = strchr(s, ']');

		if (!rb || rb[1] != ':' || (size_t)(rb - s - 1) >= sizeof(host))
			return -EINVAL;
		memcpy(host, s + 1, (size_t)(rb - s - 1));
		host[rb - s - 1] = '\0';
		port = rb + 2;
	} else {
		const char *c = strrchr(s, ':');

		if (!c || strchr(s, ':') != c || (size_t)(c - s) >= sizeof(host))
			return -EINVAL;
		memcpy(host, s, (size_t)(c - s));
		host[c - s] = '\0';
		port = c + 1;
	}
	errno = 0;
	p = strtoul(port, &end, 10);
	if (!*port || *end || errno || p == 0 || p > PORT_MAX)
		return -EINVAL;
	if (s[0] == '[') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			return -EINVAL;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)p);
		*len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			return -EINVAL;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)p);
		*len = sizeof(*a);
	}
	return 0;
}

static void conn_close(struct http_conn *c)
{
	if (!c->used)
		return;
	evloop_timer_cancel(c->h->ev, &c->timer);
	evloop_del_fd(c->h->ev, c->fd);
	close(c->fd);
	c->used = false;
}

static void on_conn_timeout(void *ctx)
{
	conn_close(ctx);
}

static void send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

static void respond(struct http_conn *c, int code, const char *reason, const char *ctype,
		    const char *body, size_t body_len)
{
	char head[256];
	struct timeval tv = { .tv_sec = SEND_TIMEOUT_S };
	int flags = fcntl(c->fd, F_GETFL);

	/* the answer is written in one go, bounded by the send timeout */
	if (flags >= 0)
		fcntl(c->fd, F_SETFL, flags & ~O_NONBLOCK);
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	snprintf(head, sizeof(head), "HTTP/1.0 %d %s\r\nContent-Type: %s\r\n"
		 "Content-Length: %zu\r\nConnection: close\r\n\r\n", code, reason, ctype, body_len);
	send_all(c->fd, head, strlen(head));
	send_all(c->fd, body, body_len);
}

static void serve(struct http_conn *c)
{
	char method[8] = "", path[64] = "";
	char *body = NULL;
	size_t len = 0;
	FILE *out;
	int rc;

	if (sscanf(c->req, "%7s %63s", method, path) != 2) {
		respond(c, 400, "Bad Request", "text/plain", "bad request\n", 12);
		return;
	}
	if (strcmp(method, "GET")) {
		respond(c, 405, "Method Not Allowed", "text/plain", "GET only\n", 9);
		return;
	}
	if (strcmp(path, "/metrics") && strcmp(path, "/")) {
		respond(c, 404, "Not Found", "text/plain", "try /metrics\n", 13);
		return;
	}
	out = open_memstream(&body, &len);
	if (!out) {
		respond(c, 500, "Internal Server Error", "text/plain", "out of memory\n", 14);
		return;
	}
	rc = c->h->body(c->h->ctx, out);
	fclose(out);
	if (rc)
		respond(c, 500, "Internal Server Error", "text/plain", body, len);
	else
		respond(c, 200, "OK", PROM_CONTENT_TYPE, body, len);
	free(body);
}

static void on_conn_ready(void *ctx, int fd, uint32_t events)
{
	struct http_conn *c = ctx;
	ssize_t n;

	(void)events;
	for (;;) {
		n = recv(fd, c->req + c->len, REQ_MAX - c->len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		break;
	}
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (n <= 0) {
		conn_close(c);
		return;
	}
	c->len += (size_t)n;
	c->req[c->len] = '\0';
	/* the end of the request head (we read nothing past it) */
	if (strstr(c->req, "\r\n\r\n") || strstr(c->req, "\n\n")) {
		serve(c);
		conn_close(c);
	} else if (c->len == REQ_MAX) {
		respond(c, 431, "Request Header Fields Too Large", "text/plain", "too large\n", 10);
		conn_close(c);
	}
}

static void on_accept(void *ctx, int fd, uint32_t events)
{
	struct metrics_http *h = ctx;
	int cfd;

	(void)events;
	while ((cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		struct http_conn *c = NULL;

		for (int i = 0; i < METRICS_HTTP_MAX_CONN && !c; i++)
			if (!h->conn[i].used)
				c = &h->conn[i];
		if (!c) {
			close(cfd);	/* too many scrapers at once */
			continue;
		}
		c->h = h;
		c->fd = cfd;
		c->len = 0;
		c->req[0] = '\0';
		ev_timer_init(&c->timer, on_conn_timeout, c);
		if (evloop_add_fd(h->ev, cfd, EPOLLIN, on_conn_ready, c)) {
			close(cfd);
			continue;
		}
		c->used = true;
		evloop_timer_arm(h->ev, &c->timer, METRICS_HTTP_TIMEOUT_MS);
	}
}

int metrics_http_open(struct evloop *ev, const char *listen_addr, metrics_http_body body,
		      void *ctx, struct metrics_http **out)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	struct metrics_http *h;
	int one = 1, err;

	if ((err = xp_metrics_addr_parse(listen_addr, &ss, &sl)))
		return err;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->ev = ev;
	h->body = body;
	h->ctx = ctx;
	h->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (h->fd < 0) {
		err = -errno;
		free(h);
		return err;
	}
	setsockopt(h->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(h->fd, (struct sockaddr *)&ss, sl) < 0 || listen(h->fd, BACKLOG) < 0) {
		err = -errno;
		goto fail;
	}
	if ((err = evloop_add_fd(ev, h->fd, EPOLLIN, on_accept, h)))
		goto fail;
	*out = h;
	return 0;
fail:
	close(h->fd);
	free(h);
	return err;
}

void metrics_http_close(struct metrics_http *h)
{
	if (!h)
		return;
	for (int i = 0; i < METRICS_HTTP_MAX_CONN; i++)
		conn_close(&h->conn[i]);
	evloop_del_fd(h->ev, h->fd);
	close(h->fd);
	free(h);
}
