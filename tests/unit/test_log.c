// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* log.c: the structured event form (event= mn= bid= then the caller's
 * keys), quoting of values that are not one token, level filtering. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static char *buf;
static size_t len;
static FILE *mem;

static void setup(void)
{
	mem = open_memstream(&buf, &len);
	cr_assert_not_null(mem);
	xp_log_init("xpmipd[t]", false, XP_LOG_INFO);
	xp_log_set_stream(mem);
}

static void teardown(void)
{
	xp_log_set_stream(NULL);
	fclose(mem);
	free(buf);
}

/* the message part of the one line written ("... xpmipd[t] info: MSG\n") */
static const char *msg(void)
{
	const char *m;

	fflush(mem);
	m = strstr(buf, ": ");
	cr_assert_not_null(m, "line '%s'", buf);
	cr_assert_eq(strchr(buf, '\n'), buf + len - 1, "one line: '%s'", buf);
	return m + 2;
}

TestSuite(log, .init = setup, .fini = teardown);

Test(log, event_with_mn_and_bid)
{
	xp_log_event(XP_LOG_INFO, "pbu-accepted", "mn1@xpmip.example", 3, "pcoa=%s hi=%u",
		     "2001:db8:a1::2", 4u);
	cr_assert_str_eq(msg(), "event=pbu-accepted mn=mn1@xpmip.example bid=3 "
				"pcoa=2001:db8:a1::2 hi=4\n");
	cr_assert_not_null(strstr(buf, " xpmipd[t] info: "));
}

Test(log, event_without_mn_or_bid)
{
	xp_log_event(XP_LOG_WARN, "mh-malformed", NULL, -1, "from=%s", "2001:db8::1");
	cr_assert_str_eq(msg(), "event=mh-malformed from=2001:db8::1\n");
}

Test(log, mn_id_from_the_wire_is_quoted)
{
	xp_log_event(XP_LOG_INFO, "pbu-rejected", "evil mn=\"x\" bid=9", 1, NULL);
	cr_assert_str_eq(msg(), "event=pbu-rejected mn=\"evil mn=\\\"x\\\" bid=9\" bid=1\n");
}

Test(log, below_level_writes_nothing)
{
	xp_log_event(XP_LOG_DEBUG, "rs-received", NULL, -1, "if=%s", "m1-acc");
	fflush(mem);
	cr_assert_eq(len, 0);
}

Test(log, value)
{
	char b[32];

	cr_assert_str_eq(xp_log_value("plain", b, sizeof(b)), "plain");
	cr_assert_str_eq(xp_log_value("", b, sizeof(b)), "-");
	cr_assert_str_eq(xp_log_value(NULL, b, sizeof(b)), "-");
	cr_assert_str_eq(xp_log_value("a b", b, sizeof(b)), "\"a b\"");
	cr_assert_str_eq(xp_log_value("a\nb", b, sizeof(b)), "\"a?b\"");
	/* truncated, still closed */
	cr_assert_str_eq(xp_log_value("a very long value with spaces", b, 8), "\"a ve\"");
}

/* values through XP_LOGV/XP_LOGERR: one token each, whatever they hold */
Test(log, values_with_spaces_are_quoted)
{
	xp_log_event(XP_LOG_WARN, "map-write-failed", NULL, -1, "map=%s err=%s", "xp_bind_v1",
		     XP_LOGERR(ENOENT));
	cr_assert_str_eq(msg(), "event=map-write-failed map=xp_bind_v1 "
				"err=\"No such file or directory\"\n");
}

Test(log, never_a_line_break)
{
	/* a free-text value not passed through XP_LOGV, a forged second line
	 * in an MN-ID and in a value that is: still one line */
	xp_log_event(XP_LOG_INFO, "pbu-rejected", "mn1\nxpmipd[t] info: event=pbu-accepted", 2,
		     "note=%s reason=%s", "a\r\nb", XP_LOGV("x\ny"));
	cr_assert_str_eq(msg(), "event=pbu-rejected mn=\"mn1?xpmipd[t] info: event=pbu-accepted\" "
				"bid=2 note=a??b reason=\"x?y\"\n");
	xp_log(XP_LOG_INFO, "free\ntext");
	fflush(mem);
	cr_assert_eq(strchr(strchr(buf, '\n') + 1, '\n'), buf + len - 1, "two lines: '%s'", buf);
}
