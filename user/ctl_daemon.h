/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ctl_daemon.h - xpmipctl subcommands answered by a running xpmipd through
 * its control socket (bindings, prefixes, counters, mag-peers, version, and
 * `raw` for any other command word).
 */
#ifndef XPMIP_CTL_DAEMON_H
#define XPMIP_CTL_DAEMON_H

#include <stddef.h>

/* Set by xpmipctl's --instance; NULL: the only socket in the run directory */
extern const char *xpctl_instance;

/* argv[0] is the command; argv is sent to the daemon as is. Returns the
 * process exit status: 0, 1 (the daemon refused or is unreachable). */
int ctl_daemon_main(int argc, char **argv);
/* Send argv, return the daemon's answer in *body (malloc'ed, the caller
 * frees it even on error): 0, a positive errno (the daemon refused; body
 * says why) or a negative errno (unreachable; already reported on stderr). */
int ctl_daemon_fetch(int argc, char **argv, char **body, size_t *len);
/* `raw WORD...`: sends argv + 1 */
int ctl_raw_main(int argc, char **argv);

#endif /* XPMIP_CTL_DAEMON_H */
