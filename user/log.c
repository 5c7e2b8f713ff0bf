// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* log.c - one line per event, to stderr (timestamp + ident) or syslog. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static char log_ident[64] = "xpmip";
static bool log_syslog;
static enum xp_log_level log_level = XP_LOG_INFO;
static FILE *log_stream;	/* NULL: stderr */

#define LOG_MSG_MAX	1024

static const char *const level_names[] = {
	[XP_LOG_ERR] = "err",
	[XP_LOG_WARN] = "warn",
	[XP_LOG_INFO] = "info",
	[XP_LOG_DEBUG] = "debug",
};

void xp_log_init(const char *ident, bool use_syslog, enum xp_log_level level)
{
	if (ident)
		snprintf(log_ident, sizeof(log_ident), "%s", ident);
	if (log_syslog && !use_syslog)
		closelog();
	log_syslog = use_syslog;
	log_level = level;
	if (use_syslog)
		openlog(log_ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void xp_log_set_level(enum xp_log_level level)
{
	log_level = level;
}

enum xp_log_level xp_log_get_level(void)
{
	return log_level;
}

int xp_log_level_parse(const char *name)
{
	if (!name)
		return -1;
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (!strcmp(name, level_names[i]))
			return (int)i;
	if (!strcmp(name, "error"))
		return XP_LOG_ERR;
	if (!strcmp(name, "warning"))
		return XP_LOG_WARN;
	return -1;
}

static void log_line(enum xp_log_level level, const char *msg);

void xp_log(enum xp_log_level level, const char *fmt, ...)
{
	char msg[LOG_MSG_MAX];
	va_list ap;

	if (level > log_level || (unsigned)level > XP_LOG_DEBUG)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_line(level, msg);
}

void xp_log_set_stream(FILE *f)
{
	log_stream = f;
}

const char *xp_log_value(const char *v, char *buf, size_t len)
{
	size_t o = 0;
	bool plain = v && *v;

	if (!plain) {
		snprintf(buf, len, "-");
		return buf;
	}
	for (const char *p = v; *p && plain; p++)
		plain = *p > ' ' && *p != '"' && *p != '=' && *p != 0x7f;
	if (plain) {
		snprintf(buf, len, "%s", v);
		return buf;
	}
	if (len < 3) {
		snprintf(buf, len, "-");
		return buf;
	}
	buf[o++] = '"';
	for (const char *p = v; *p && o + 3 < len; p++) {
		if (*p == '"' || *p == '\\')
			buf[o++] = '\\';
		buf[o++] = (unsigned char)*p < ' ' ? '?' : *p;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

void xp_log_event(enum xp_log_level level, const char *event, const char *mn, int bid,
		  const char *fmt, ...)
{
	char msg[LOG_MSG_MAX], mv[XP_LOG_VALUE_MAX];
	int n;
	va_list ap;

	if (level > log_level || (unsigned)level > XP_LOG_DEBUG)
		return;
	n = snprintf(msg, sizeof(msg), "event=%s", event);
	if (mn && n >= 0 && (size_t)n < sizeof(msg))
		n += snprintf(msg + n, sizeof(msg) - (size_t)n, " mn=%s",
			      xp_log_value(mn, mv, sizeof(mv)));
	if (bid >= 0 && n >= 0 && (size_t)n < sizeof(msg))
		n += snprintf(msg + n, sizeof(msg) - (size_t)n, " bid=%d", bid);
	if (fmt && *fmt && n >= 0 && (size_t)n + 1 < sizeof(msg)) {
		msg[n++] = ' ';
		va_start(ap, fmt);
		vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
		va_end(ap);
	}
	log_line(level, msg);
}

static void log_line(enum xp_log_level level, const char *msg)
{
	static const int prio[] = {
		[XP_LOG_ERR] = LOG_ERR,
		[XP_LOG_WARN] = LOG_WARNING,
		[XP_LOG_INFO] = LOG_INFO,
		[XP_LOG_DEBUG] = LOG_DEBUG,
	};

	char line[LOG_MSG_MAX];
	size_t i;

	/* one event, one line: a value the caller did not quote (or a
	 * free-text caller) cannot start a forged line */
	for (i = 0; msg[i] && i + 1 < sizeof(line); i++)
		line[i] = ((unsigned char)msg[i] < ' ' || msg[i] == 0x7f) ? '?' : msg[i];
	line[i] = '\0';
	msg = line;
	if (log_syslog) {
		syslog(prio[level], "%s", msg);
		return;
	}

	struct timespec ts;
	struct tm tm;
	char tbuf[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(log_stream ? log_stream : stderr, "%s.%03ld %s %s: %s\n", tbuf, ts.tv_nsec / 1000000L,
		log_ident, level_names[level], msg);
}
