// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* ctl_daemon.c - xpmipctl commands forwarded to xpmipd's control socket. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_daemon.h"
#include "ctl_sock.h"

#define SOCK_SUFFIX	".sock"
#define NAME_MAX_LEN	64

const char *xpctl_instance;

/* The only instance with a socket in the run directory, or NULL */
static const char *guess_instance(char *buf, size_t len)
{
	DIR *d = opendir(ctl_sock_dir());
	struct dirent *e;
	int found = 0;

	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name), s = strlen(SOCK_SUFFIX);

		if (n <= s || strcmp(e->d_name + n - s, SOCK_SUFFIX))
			continue;
		if (++found == 1)
			snprintf(buf, len, "%.*s", (int)(n - s), e->d_name);
	}
	closedir(d);
	return found == 1 ? buf : NULL;
}

int ctl_daemon_fetch(int argc, char **argv, char **body, size_t *len)
{
	char guess[NAME_MAX_LEN];
	const char *inst = xpctl_instance;
	FILE *mem;
	int st;

	*body = NULL;
	*len = 0;
	if (!inst && !(inst = guess_instance(guess, sizeof(guess)))) {
		fprintf(stderr, "xpmipctl: --instance NAME is required (no single xpmipd socket in %s)\n",
			ctl_sock_dir());
		return -ENOENT;
	}
	mem = open_memstream(body, len);
	if (!mem) {
		fprintf(stderr, "xpmipctl: out of memory\n");
		return -ENOMEM;
	}
	st = ctl_sock_request(inst, argc, argv, mem);
	fclose(mem);
	if (st < 0)
		fprintf(stderr, "xpmipctl: cannot reach xpmipd instance '%s' at %s/%s%s: %s\n", inst,
			ctl_sock_dir(), inst, SOCK_SUFFIX, strerror(-st));
	return st;
}

static int request(int argc, char **argv)
{
	char *body;
	size_t len;
	int st = ctl_daemon_fetch(argc, argv, &body, &len);

	if (st < 0) {
		free(body);
		return 1;
	}
	fwrite(body, 1, len, st ? stderr : stdout);
	if (st && !len)
		fprintf(stderr, "xpmipctl: %s: %s\n", argv[0], strerror(st));
	free(body);
	return st ? 1 : 0;
}

int ctl_daemon_main(int argc, char **argv)
{
	return request(argc, argv);
}

int ctl_raw_main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: xpmipctl [--instance NAME] raw COMMAND [ARGS...]\n");
		return 2;
	}
	return request(argc - 1, argv + 1);
}
