/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ctl_sock.h - the daemon's Unix control socket, spoken by xpmipctl.
 *
 * Protocol (SOCK_SEQPACKET, one request per connection):
 *   request:  the command's words separated by NUL octets ("bindings\0--json\0")
 *   response: "<status>\n" then the body (text or JSON) until the server
 *             closes; status 0 is success, otherwise a positive errno value
 *             and the body is the error message.
 * Socket path: /run/xpmip/<instance>.sock (XP_CTL_DIR).
 */
#ifndef XPMIP_CTL_SOCK_H
#define XPMIP_CTL_SOCK_H

#include <stdio.h>

#define XP_CTL_DIR	"/run/xpmip"
#define XP_CTL_MAX_REQ	4096
#define XP_CTL_MAX_ARGS	64

struct evloop;
struct ctl_sock;

/* A handler writes its body to out and returns 0 or a negative errno */
typedef int (*ctl_handler)(void *ctx, int argc, char **argv, FILE *out);

int ctl_sock_open(struct evloop *ev, const char *instance, ctl_handler h,
		  void *ctx, struct ctl_sock **out);
void ctl_sock_close(struct ctl_sock *cs);

/* Client side (xpmipctl): send argv, copy the body to out, return the
 * status (0 or positive errno), or a negative errno if the daemon could
 * not be reached. */
int ctl_sock_request(const char *instance, int argc, char **argv, FILE *out);

/* The socket directory: $XPMIP_RUN_DIR if set (tests), else XP_CTL_DIR */
const char *ctl_sock_dir(void);
/* Serve every pending connection now (tests without an event loop) */
void ctl_sock_poll(struct ctl_sock *cs);

#endif /* XPMIP_CTL_SOCK_H */
