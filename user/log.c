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

void xp_log(enum xp_log_level level, const char *fmt, ...)
{
	static const int prio[] = {
		[XP_LOG_ERR] = LOG_ERR,
		[XP_LOG_WARN] = LOG_WARNING,
		[XP_LOG_INFO] = LOG_INFO,
		[XP_LOG_DEBUG] = LOG_DEBUG,
	};
	char msg[1024];
	va_list ap;

	if (level > log_level || (unsigned)level > XP_LOG_DEBUG)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
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
	fprintf(stderr, "%s.%03ld %s %s: %s\n", tbuf, ts.tv_nsec / 1000000L,
		log_ident, level_names[level], msg);
}
