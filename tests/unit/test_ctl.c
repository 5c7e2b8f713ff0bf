// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Control socket: request words, status line, body, errors, large bodies. */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>

#include "ctl_sock.h"
#include "evloop.h"

#define BIG_LINES	20000

static struct evloop *ev;
static struct ctl_sock *cs;
static pthread_t thr;
static int stop_pipe[2];
static char dir[] = "/tmp/xpmip-ctl-test-XXXXXX";

static int handler(void *ctx, int argc, char **argv, FILE *out)
{
	(void)ctx;
	if (!strcmp(argv[0], "echo")) {
		for (int i = 1; i < argc; i++)
			fprintf(out, "%s%s", i > 1 ? " " : "", argv[i]);
		fprintf(out, "\n");
		return 0;
	}
	if (!strcmp(argv[0], "big")) {
		for (int i = 0; i < BIG_LINES; i++)
			fprintf(out, "line %d\n", i);
		return 0;
	}
	if (!strcmp(argv[0], "fail")) {
		fprintf(out, "no such binding\n");
		return -ENOENT;
	}
	return -EINVAL;
}

static void on_stop(void *ctx, int fd, uint32_t events)
{
	(void)ctx;
	(void)fd;
	(void)events;
	evloop_stop(ev);
}

static void *loop(void *arg)
{
	(void)arg;
	evloop_run(ev);
	return NULL;
}

static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	setenv("XPMIP_RUN_DIR", dir, 1);
	cr_assert_eq(evloop_new(&ev), 0);
	cr_assert_eq(ctl_sock_open(ev, "t1", handler, NULL, &cs), 0);
	cr_assert_eq(pipe(stop_pipe), 0);
	cr_assert_eq(evloop_add_fd(ev, stop_pipe[0], EPOLLIN, on_stop, NULL), 0);
	cr_assert_eq(pthread_create(&thr, NULL, loop, NULL), 0);
}

static void teardown(void)
{
	cr_assert_eq(write(stop_pipe[1], "x", 1), 1);
	pthread_join(thr, NULL);
	ctl_sock_close(cs);
	evloop_free(ev);
	close(stop_pipe[0]);
	close(stop_pipe[1]);
	rmdir(dir);
}

static int ask(int argc, char **argv, char **body)
{
	size_t len = 0;
	FILE *out = open_memstream(body, &len);
	int st = ctl_sock_request("t1", argc, argv, out);

	fclose(out);
	return st;
}

TestSuite(ctl, .init = setup, .fini = teardown);

Test(ctl, words_and_body)
{
	char *argv[] = { "echo", "a", "--json", "c d" }, *body;

	cr_assert_eq(ask(4, argv, &body), 0);
	cr_assert_str_eq(body, "a --json c d\n");
	free(body);
}

Test(ctl, error_status_and_message)
{
	char *argv[] = { "fail" }, *body;

	cr_assert_eq(ask(1, argv, &body), ENOENT);
	cr_assert_str_eq(body, "no such binding\n");
	free(body);
	char *argv2[] = { "whatever" };
	cr_assert_eq(ask(1, argv2, &body), EINVAL);
	free(body);
}

Test(ctl, large_body_in_several_records)
{
	char *argv[] = { "big" }, *body;

	cr_assert_eq(ask(1, argv, &body), 0);
	cr_assert(strstr(body, "line 0\n") == body);
	cr_assert_not_null(strstr(body, "line 19999\n"));
	int lines = 0;
	for (char *p = body; *p; p++)
		lines += *p == '\n';
	cr_assert_eq(lines, BIG_LINES);
	free(body);
}

Test(ctl, unreachable_instance_and_second_server)
{
	char *argv[] = { "echo" };
	FILE *out = fopen("/dev/null", "w");
	struct ctl_sock *cs2;

	cr_assert_lt(ctl_sock_request("nobody", 1, argv, out), 0);
	cr_assert_eq(ctl_sock_request("../x", 1, argv, out), -EINVAL);
	fclose(out);
	/* a second daemon for the same instance is refused */
	cr_assert_eq(ctl_sock_open(NULL, "t1", handler, NULL, &cs2), -EADDRINUSE);
}
