// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ctl_sock.c - the Unix control socket (SOCK_SEQPACKET, one request per
 * connection). See ctl_sock.h for the protocol.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>

#include "ctl_sock.h"
#include "evloop.h"
#include "log.h"

#define CTL_CHUNK	16384	/* one SEQPACKET record of the response */
#define CTL_IO_TIMEOUT_S 2	/* a client that stalls is dropped */
#define CTL_BACKLOG	16
#define CTL_DIR_MODE	0755

struct ctl_sock {
	struct evloop *ev;
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	ctl_handler h;
	void *ctx;
};

const char *ctl_sock_dir(void)
{
	const char *d = getenv("XPMIP_RUN_DIR");

	return d && *d ? d : XP_CTL_DIR;
}

static int sock_path(const char *instance, char *buf, size_t len)
{
	if (!instance || !*instance || strchr(instance, '/'))
		return -EINVAL;
	if ((size_t)snprintf(buf, len, "%s/%s.sock", ctl_sock_dir(), instance) >= len)
		return -ENAMETOOLONG;
	return 0;
}

static void set_timeouts(int fd)
{
	struct timeval tv = { .tv_sec = CTL_IO_TIMEOUT_S };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static void send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		size_t n = len < CTL_CHUNK ? len : CTL_CHUNK;

		if (send(fd, buf, n, MSG_NOSIGNAL) < 0)
			return;
		buf += n;
		len -= n;
	}
}

static void serve(struct ctl_sock *cs, int cfd)
{
	char req[XP_CTL_MAX_REQ + 1];
	char *argv[XP_CTL_MAX_ARGS + 1];
	int argc = 0, rc;
	ssize_t n;
	char *body = NULL;
	size_t body_len = 0;
	FILE *out;
	char head[32];

	set_timeouts(cfd);
	n = recv(cfd, req, XP_CTL_MAX_REQ, 0);
	if (n <= 0)
		return;
	req[n] = '\0';
	for (ssize_t i = 0; i < n && argc < XP_CTL_MAX_ARGS; ) {
		argv[argc++] = &req[i];
		i += (ssize_t)strlen(&req[i]) + 1;
	}
	argv[argc] = NULL;
	out = open_memstream(&body, &body_len);
	if (!out) {
		snprintf(head, sizeof(head), "%d\nout of memory\n", ENOMEM);
		send_all(cfd, head, strlen(head));
		return;
	}
	if (argc == 0 || !argv[0][0]) {
		fprintf(out, "empty request\n");
		rc = -EINVAL;
	} else {
		rc = cs->h(cs->ctx, argc, argv, out);
	}
	fclose(out);
	snprintf(head, sizeof(head), "%d\n", rc < 0 ? -rc : 0);
	send_all(cfd, head, strlen(head));
	if (body_len)
		send_all(cfd, body, body_len);
	free(body);
}

static void on_accept(void *ctx, int fd, uint32_t events)
{
	struct ctl_sock *cs = ctx;
	int cfd;

	(void)events;
	while ((cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		serve(cs, cfd);
		close(cfd);
	}
}

int ctl_sock_open(struct evloop *ev, const char *instance, ctl_handler h,
		  void *ctx, struct ctl_sock **out)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct ctl_sock *cs;
	int err, probe;

	cs = calloc(1, sizeof(*cs));
	if (!cs)
		return -ENOMEM;
	cs->ev = ev;
	cs->h = h;
	cs->ctx = ctx;
	cs->fd = -1;
	if ((err = sock_path(instance, cs->path, sizeof(cs->path))))
		goto fail;
	if (mkdir(ctl_sock_dir(), CTL_DIR_MODE) < 0 && errno != EEXIST) {
		err = -errno;
		goto fail;
	}
	strcpy(sa.sun_path, cs->path);
	/* a live daemon answers on the path: refuse; a stale file is removed */
	probe = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (probe >= 0) {
		if (connect(probe, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			close(probe);
			err = -EADDRINUSE;
			goto fail;
		}
		close(probe);
	}
	unlink(cs->path);
	cs->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (cs->fd < 0) {
		err = -errno;
		goto fail;
	}
	if (bind(cs->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(cs->fd, CTL_BACKLOG) < 0) {
		err = -errno;
		goto fail;
	}
	if (ev && (err = evloop_add_fd(ev, cs->fd, EPOLLIN, on_accept, cs)))
		goto fail;
	*out = cs;
	return 0;
fail:
	if (cs->fd >= 0) {
		close(cs->fd);
		unlink(cs->path);
	}
	free(cs);
	return err;
}

void ctl_sock_close(struct ctl_sock *cs)
{
	if (!cs)
		return;
	if (cs->ev)
		evloop_del_fd(cs->ev, cs->fd);
	close(cs->fd);
	unlink(cs->path);
	free(cs);
}

void ctl_sock_poll(struct ctl_sock *cs)
{
	on_accept(cs, cs->fd, EPOLLIN);
}

int ctl_sock_request(const char *instance, int argc, char **argv, FILE *out)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char req[XP_CTL_MAX_REQ];
	char buf[CTL_CHUNK + 1];
	size_t len = 0;
	bool head = true;
	int fd, err, status = -EPROTO;
	ssize_t n;

	if ((err = sock_path(instance, sa.sun_path, sizeof(sa.sun_path))))
		return err;
	if (argc > XP_CTL_MAX_ARGS)
		return -E2BIG;
	for (int i = 0; i < argc; i++) {
		size_t l = strlen(argv[i]) + 1;

		if (len + l > sizeof(req))
			return -E2BIG;
		memcpy(req + len, argv[i], l);
		len += l;
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	set_timeouts(fd);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    send(fd, req, len, MSG_NOSIGNAL) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	while ((n = recv(fd, buf, CTL_CHUNK, 0)) > 0) {
		char *p = buf;

		buf[n] = '\0';
		if (head) {
			char *nl = memchr(buf, '\n', (size_t)n);

			if (!nl)
				break;
			*nl = '\0';
			status = atoi(buf);
			p = nl + 1;
			n -= p - buf;
			head = false;
		}
		fwrite(p, 1, (size_t)n, out);
	}
	if (n < 0 && head)
		status = -errno;
	close(fd);
	return status;
}
