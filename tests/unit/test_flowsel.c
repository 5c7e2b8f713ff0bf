// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The operator's flow syntax (flowsel.c): every way a command line can be
 * wrong gets -EINVAL and one sentence naming the offending word; a good
 * selector survives parse -> format -> parse unchanged, so what
 * `xpmipctl flow list` prints can be pasted back into `flow add`.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "flowsel.h"

#define MAX_WORDS 32

/* Split line on spaces into argv (in place in a copy); returns argc */
static int split(const char *line, char *copy, size_t len, char **argv)
{
	int argc = 0;

	snprintf(copy, len, "%s", line);
	for (char *tok = strtok(copy, " "); tok && argc < MAX_WORDS; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	return argc;
}

static int parse(const char *line, struct flow_cmd *c, char err[FLOWSEL_ERR_MAX])
{
	static char copy[512];
	static char *argv[MAX_WORDS];
	int argc = split(line, copy, sizeof(copy), argv);

	return flow_cmd_parse(argc, argv, c, err);
}

struct bad_line {
	const char *line;
	const char *says;	/* a substring the error must contain */
};

/* One test over a table: Criterion re-executes the binary per test, so
 * parameter structs holding pointers to string literals are not portable. */
static const struct bad_line bad_lines[] = {
	{ "flow", "expected add, del, move or list" },
	{ "flow frob mn1", "unknown operation 'frob'" },
	{ "flow add", "missing MN-ID" },
	{ "flow add --json", "missing MN-ID" },
	{ "flow add mn1 bid 1 dport 80", "missing 'fid N'" },
	{ "flow add mn1 fid 1 dport 80", "needs 'bid B'" },
	{ "flow add mn1 fid 0 bid 1", "fid '0'" },
	{ "flow add mn1 fid 65536 bid 1", "fid '65536'" },
	{ "flow add mn1 fid x bid 1", "fid 'x'" },
	{ "flow add mn1 fid 1 pri 70000 bid 1", "pri '70000'" },
	{ "flow add mn1 fid 1 bid 0", "bid '0'" },
	{ "flow add mn1 fid 1 bid 1,,2", "bid '1,,2'" },
	{ "flow add mn1 fid 1 bid 1,", "bid '1,'" },
	{ "flow add mn1 fid 1 bid 2,2", "bid '2,2'" },
	{ "flow add mn1 fid 1 bid 1 action bounce", "action 'bounce'" },
	{ "flow add mn1 fid 1 bid 1 proto gre", "proto 'gre'" },
	{ "flow add mn1 fid 1 bid 1 proto 256", "proto '256'" },
	{ "flow add mn1 fid 1 bid 1 dport 65536", "dport '65536'" },
	{ "flow add mn1 fid 1 bid 1 dport 90-80", "range start above its end" },
	{ "flow add mn1 fid 1 bid 1 sport 1-2-3", "sport '1-2-3'" },
	{ "flow add mn1 fid 1 bid 1 tclass 256", "tclass '256'" },
	{ "flow add mn1 fid 1 bid 1 flowlabel 0x100000", "flowlabel '0x100000'" },
	{ "flow add mn1 fid 1 bid 1 spi 4294967296", "spi '4294967296'" },
	{ "flow add mn1 fid 1 bid 1 dst 10.0.0.1", "expected ADDR, ADDR/LEN or ADDR-ADDR" },
	{ "flow add mn1 fid 1 bid 1 dst 2001:db8::/129", "dst '2001:db8::/129'" },
	{ "flow add mn1 fid 1 bid 1 src 2001:db8::9-2001:db8::1", "range start above its end" },
	{ "flow add mn1 fid 1 bid 1 dport 80 dport 81", "'dport' given twice" },
	{ "flow add mn1 fid 1 bid 1 dport", "'dport' needs a value" },
	{ "flow add mn1 fid 1 bid 1 color red", "unknown word 'color'" },
	{ "flow del mn1", "missing 'fid N'" },
	{ "flow del mn1 dport 80", "unknown word 'dport'" },
	{ "flow move mn1 7", "expected MN FID BID" },
	{ "flow move mn1 fid 7", "expected MN FID BID" },
	{ "flow move mn1 7 x", "bid 'x'" },
	{ "flow list mn1 mn2", "unexpected 'mn2'" },
};

Test(flowsel, rejects_with_a_reason)
{
	for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		const struct bad_line *b = &bad_lines[i];
		struct flow_cmd c;
		char err[FLOWSEL_ERR_MAX];

		cr_assert_eq(parse(b->line, &c, err), -EINVAL, "accepted: %s", b->line);
		cr_assert(strstr(err, b->says), "'%s': error '%s' lacks '%s'", b->line, err, b->says);
		cr_assert_null(strchr(err, '\n'), "one line: %s", err);
	}
}

Test(flowsel, mn_id_longer_than_the_option_allows)
{
	char line[400], mn[300];
	struct flow_cmd c;
	char err[FLOWSEL_ERR_MAX];

	memset(mn, 'm', sizeof(mn) - 1);
	mn[sizeof(mn) - 1] = '\0';
	snprintf(line, sizeof(line), "flow del %s 1", mn);
	cr_assert_eq(parse(line, &c, err), -EINVAL);
	cr_assert(strstr(err, "MN-ID longer than"), "%s", err);
}

Test(flowsel, defaults_and_every_field)
{
	struct flow_cmd c;
	char err[FLOWSEL_ERR_MAX];

	cr_assert_eq(parse("flow add mn1 fid 9 bid 2,3 proto udp sport 1000-2000 dport 53 "
			   "tclass 0x20-0x3f flowlabel 0xfffff spi 7 "
			   "src 2001:db8:1::/48 dst 2001:db8::1-2001:db8::9", &c, err), 0, "%s", err);
	cr_assert_eq(c.op, FLOW_OP_ADD);
	cr_assert_str_eq(c.mn, "mn1");
	cr_assert_eq(c.e.fid, 9);
	cr_assert_eq(c.e.fid_pri, FLOWSEL_DEFAULT_PRI);
	cr_assert_eq(c.e.action, XP_FBA_FORWARD);
	cr_assert_eq(c.e.n_bid, 2);
	cr_assert_eq(c.e.bid[0], 2);
	cr_assert_eq(c.e.bid[1], 3);
	cr_assert_eq(c.e.ts.nh_start, 17);
	cr_assert_eq(c.e.ts.nh_end, 17);
	cr_assert_eq(c.e.ts.sport_start, 1000);
	cr_assert_eq(c.e.ts.sport_end, 2000);
	cr_assert_eq(c.e.ts.dport_start, 53);
	cr_assert_eq(c.e.ts.dport_end, 53);
	cr_assert_eq(c.e.ts.tc_start, 0x20);
	cr_assert_eq(c.e.ts.tc_end, 0x3f);
	cr_assert_eq(c.e.ts.fl_start, 0xfffff);
	cr_assert_eq(c.e.ts.spi_start, 7);
	/* a /48 becomes the range of its first and last address */
	cr_assert_eq(c.e.ts.src_start[6], 0x00);
	cr_assert_eq(c.e.ts.src_end[6], 0xff);
	cr_assert_eq(c.e.ts.src_end[15], 0xff);
	cr_assert_eq(c.e.ts.dst_start[15], 1);
	cr_assert_eq(c.e.ts.dst_end[15], 9);
}

Test(flowsel, drop_needs_no_bid)
{
	struct flow_cmd c;
	char err[FLOWSEL_ERR_MAX];

	cr_assert_eq(parse("flow add mn1 fid 4 pri 0 action drop proto icmpv6", &c, err), 0, "%s", err);
	cr_assert_eq(c.e.action, XP_FBA_DROP);
	cr_assert_eq(c.e.fid_pri, 0);
	cr_assert_eq(c.e.n_bid, 0);
}

Test(flowsel, move_and_del_short_forms)
{
	struct flow_cmd c;
	char err[FLOWSEL_ERR_MAX];

	cr_assert_eq(parse("flow move mn1 7 2,1", &c, err), 0, "%s", err);
	cr_assert_eq(c.op, FLOW_OP_MOVE);
	cr_assert_eq(c.e.fid, 7);
	cr_assert_eq(c.e.n_bid, 2);
	cr_assert_eq(c.e.bid[0], 2);
	cr_assert_eq(parse("flow move mn1 fid 7 bid 1", &c, err), 0, "%s", err);
	cr_assert_eq(c.e.bid[0], 1);
	cr_assert_eq(parse("flow del mn1 7", &c, err), 0, "%s", err);
	cr_assert_eq(c.op, FLOW_OP_DEL);
	cr_assert_eq(c.e.fid, 7);
	cr_assert_eq(parse("flow list --json", &c, err), 0, "%s", err);
	cr_assert(c.json);
	cr_assert_null(c.mn);
}

static const char *const round_trip[] = {
	"proto tcp dport 80",
	"dst 2001:db8::/64 sport 5000-6000",
	"src 2001:db8::1 dst 2001:db8::2-2001:db8::20",
	"proto 50-51 spi 0x100-0x200",
	"tclass 0-63 flowlabel 0x12345",
	"proto udp sport 0-65535 dport 1",
};

Test(flowsel, format_parses_back_to_the_same_selector)
{
	for (size_t i = 0; i < sizeof(round_trip) / sizeof(round_trip[0]); i++) {
		struct flow_cmd a, b;
		char err[FLOWSEL_ERR_MAX], text[256], line[400];

		snprintf(line, sizeof(line), "flow add mn1 fid 1 bid 1 %s", round_trip[i]);
		cr_assert_eq(parse(line, &a, err), 0, "%s: %s", line, err);
		flowsel_format(&a.e.ts, text, sizeof(text));
		snprintf(line, sizeof(line), "flow add mn1 fid 1 bid 1 %s", text);
		cr_assert_eq(parse(line, &b, err), 0, "formatted '%s' does not parse: %s", text, err);
		cr_assert_eq(memcmp(&a.e.ts, &b.e.ts, sizeof(a.e.ts)), 0,
			     "'%s' formatted as '%s' parses to another selector", round_trip[i], text);
	}
}

Test(flowsel, empty_selector_formats_as_any)
{
	struct flow_cmd c;
	char err[FLOWSEL_ERR_MAX], text[64];

	cr_assert_eq(parse("flow add mn1 fid 1 bid 1", &c, err), 0, "%s", err);
	cr_assert_str_eq(flowsel_format(&c.e.ts, text, sizeof(text)), "any");
}
