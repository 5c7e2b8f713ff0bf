/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * log.h - one line per event, to stderr or syslog.
 *
 * Events are written as "event=<name> key=value ...", with mn= and bid=
 * whenever a message concerns a mobile node, so that operators can grep
 * and machines can parse. pr_* take printf formats.
 */
#ifndef XPMIP_LOG_H
#define XPMIP_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

enum xp_log_level {
	XP_LOG_ERR = 0,
	XP_LOG_WARN = 1,
	XP_LOG_INFO = 2,
	XP_LOG_DEBUG = 3,
};

/* ident names the daemon instance in every line ("xpmipd[lma]") */
void xp_log_init(const char *ident, bool use_syslog, enum xp_log_level level);
void xp_log_set_level(enum xp_log_level level);
enum xp_log_level xp_log_get_level(void);
/* "err" "warn" "info" "debug" -> level, or -1 */
int xp_log_level_parse(const char *name);

void xp_log(enum xp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Structured events, the one form every daemon log line takes:
 *   event=<event> mn=<MN-ID> bid=<BID> <fmt...>
 * mn NULL prints no mn= (an event about no MN), bid < 0 no bid=.
 * Spelling (docs/operations.md lists every event):
 *   - event names and literal values are lower-case words joined by '-'
 *     ("pbu-accepted", "reason=dereg-delay-over");
 *   - keys are lower-case words joined by '_' ("remaining_s");
 *   - fixed keys: mn (MN-ID), bid (binding ID), peer (the remote
 *     Mobility Header address: the MAG's Proxy-CoA at the LMA, the LMA at
 *     the MAG), status (a PBA/UPA status "N(NAME)"), err (why a call
 *     failed), reason (why something was done or refused).
 * A value that may hold a space, a quote or '=' (an MN-ID, strerror())
 * goes through XP_LOGV() / XP_LOGERR(); the line is one line whatever the
 * arguments hold (control characters are written as '?').
 */
void xp_log_event(enum xp_log_level level, const char *event, const char *mn, int bid,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* v as a key=value value: unchanged when it is one token, else quoted
 * with '"' and '\' escaped. Returns buf (or "-" for NULL / empty). */
const char *xp_log_value(const char *v, char *buf, size_t len);
/* Tests: where stderr-mode lines go (NULL: stderr) */
void xp_log_set_stream(FILE *f);

#define XP_LOG_VALUE_MAX	256
/* v quoted as one value, in a buffer that lives until the end of the
 * enclosing block (use it as an argument of ev_*()) */
#define XP_LOGV(v)	xp_log_value((v), (char[XP_LOG_VALUE_MAX]){ 0 }, XP_LOG_VALUE_MAX)
/* an errno (positive) as an err= value */
#define XP_LOGERR(e)	XP_LOGV(strerror(e))

/* ev_info("pbu-accepted", mn_id, bid, "peer=%s ...", ...) */
#define ev_err(...)	xp_log_event(XP_LOG_ERR, __VA_ARGS__)
#define ev_warn(...)	xp_log_event(XP_LOG_WARN, __VA_ARGS__)
#define ev_info(...)	xp_log_event(XP_LOG_INFO, __VA_ARGS__)
#define ev_debug(...)	xp_log_event(XP_LOG_DEBUG, __VA_ARGS__)

/* Unstructured lines: for tools, not for daemon events */
#define pr_err(...)	xp_log(XP_LOG_ERR, __VA_ARGS__)
#define pr_warn(...)	xp_log(XP_LOG_WARN, __VA_ARGS__)
#define pr_info(...)	xp_log(XP_LOG_INFO, __VA_ARGS__)
#define pr_debug(...)	xp_log(XP_LOG_DEBUG, __VA_ARGS__)

#endif /* XPMIP_LOG_H */
