// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Configuration: every key, every default, every error as FILE:LINE: KEY: problem. */
#include <criterion/criterion.h>
#include <errno.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static char path[64];

static const char *write_conf(const char *text)
{
	strcpy(path, "/tmp/xpmip-test-config-XXXXXX");
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static int load(const char *text, enum xp_role role, struct xp_config *cfg, char *err)
{
	int rc = xp_config_load(write_conf(text), role, cfg, err);

	unlink(path);
	return rc;
}

/* Expect an error "PATH:line: key: <contains problem>" */
static void expect_err(const char *text, enum xp_role role, int line, const char *key,
		       const char *problem)
{
	struct xp_config cfg;
	char err[XP_CFG_ERR_MAX], want[XP_CFG_ERR_MAX];

	cr_assert_eq(load(text, role, &cfg, err), -EINVAL, "accepted: %s", text);
	snprintf(want, sizeof(want), "%s:%d: %s: ", path, line, key);
	cr_assert(!strncmp(err, want, strlen(want)), "got '%s', want prefix '%s'", err, want);
	cr_assert(strstr(err + strlen(want), problem), "got '%s', want '%s'", err, problem);
}

static bool addr_eq(const struct in6_addr *a, const char *s)
{
	struct in6_addr b;

	inet_pton(AF_INET6, s, &b);
	return !memcmp(a, &b, sizeof(b));
}

#define LMA_MIN \
	"lma = {\n"						/* 1 */ \
	"  address = \"2001:db8:ff::1\";\n"			/* 2 */ \
	"  interfaces = [ \"eth0\" ];\n"			/* 3 */ \
	"  authorized_mags = [ \"2001:db8:a1::/64\" ];\n"	/* 4 */ \
	"  hnp_pool = \"2001:db8:100::/40\";\n"			/* 5 */

#define MAG_MIN \
	"mag = {\n"						/* 1 */ \
	"  proxy_coa = \"2001:db8:a1::2\";\n"			/* 2 */ \
	"  lma_address = \"2001:db8:ff::1\";\n"			/* 3 */ \
	"  core_interface = \"core0\";\n"			/* 4 */ \
	"  access_interfaces = [ \"acc0\" ];\n"			/* 5 */

Test(config, shipped_examples_load)
{
	struct xp_config cfg;
	char err[XP_CFG_ERR_MAX];

	cr_assert_eq(xp_config_load("deploy/examples/lma.conf", XP_ROLE_LMA, &cfg, err), 0, "%s", err);
	cr_assert_str_eq(cfg.instance, "lma");
	cr_assert_eq(cfg.lma.n_interfaces, 3);
	cr_assert_eq(cfg.lma.n_mns, 4);
	cr_assert_eq(cfg.lma.max_delay_new_bce_ms, 1500);
	xp_config_free(&cfg);
	cr_assert_eq(xp_config_load("deploy/examples/mag1.conf", XP_ROLE_MAG, &cfg, err), 0, "%s", err);
	cr_assert_str_eq(cfg.instance, "mag1");
	cr_assert_eq(cfg.mag.n_mns, 2);
	cr_assert_eq(cfg.mag.mtu, 1440);
	xp_config_free(&cfg);
	cr_assert_eq(xp_config_load("deploy/examples/mag2.conf", XP_ROLE_MAG, &cfg, err), 0, "%s", err);
	xp_config_free(&cfg);
}

Test(config, lma_defaults)
{
	struct xp_config cfg;
	char err[XP_CFG_ERR_MAX];

	cr_assert_eq(load(LMA_MIN "};\n", XP_ROLE_LMA, &cfg, err), 0, "%s", err);
	cr_assert_str_eq(cfg.instance, "lma");
	cr_assert_str_eq(cfg.log_level, "info");
	cr_assert_not(cfg.use_syslog);
	cr_assert_str_eq(cfg.pin_root, XP_PIN_ROOT);
	cr_assert_eq(cfg.heartbeat_interval_s, 0);
	cr_assert_eq(cfg.heartbeat_missing_limit, 3);
	cr_assert_eq(cfg.max_bindings, 0, "built-in capacities unless configured");
	cr_assert_eq(cfg.role, XP_ROLE_LMA);
	cr_assert(addr_eq(&cfg.lma.address, "2001:db8:ff::1"));
	cr_assert_str_eq(cfg.lma.interfaces[0], "eth0");
	cr_assert_eq(cfg.lma.n_authorized_mags, 1);
	cr_assert_eq(cfg.lma.authorized_mags[0].plen, 64);
	cr_assert_eq(cfg.lma.hnp_pool.plen, 40);
	cr_assert_eq(cfg.lma.hnp_len, 64);
	cr_assert(cfg.lma.use_timestamps);
	cr_assert_eq(cfg.lma.timestamp_window_ms, 300);
	cr_assert_eq(cfg.lma.max_lifetime_s, 3600);
	cr_assert_eq(cfg.lma.min_delay_bce_delete_ms, 10000);
	cr_assert_eq(cfg.lma.max_delay_new_bce_ms, 1500);
	cr_assert_eq(cfg.lma.tunnel_mtu, 1500);
	cr_assert_not(cfg.lma.has_default_policy);
	cr_assert_eq(cfg.lma.n_mns, 0);
	cr_assert_null(xp_config_lma_policy(&cfg.lma, "anyone"));
	xp_config_free(&cfg);
}

Test(config, lma_every_key)
{
	struct xp_config cfg;
	char err[XP_CFG_ERR_MAX];
	const char *text =
		"instance = \"lma7\";\n"
		"log_level = \"debug\";\n"
		"syslog = true;\n"
		"pin_root = \"/sys/fs/bpf/other\";\n"
		"heartbeat_interval_s = 30;\n"
		"heartbeat_missing_limit = 5;\n"
		"max_bindings = 1000;\n"
		"lma = {\n"
		"  address = \"2001:db8:ff::9\";\n"
		"  interfaces = [ \"a\", \"b\" ];\n"
		"  authorized_mags = [ \"2001:db8:a1::/64\", \"2001:db8:a2::7\" ];\n"
		"  hnp_pool = \"2001:db8:100::/48\";\n"
		"  hnp_len = 56;\n"
		"  timestamps = false;\n"
		"  timestamp_window_ms = 1000;\n"
		"  max_lifetime_s = 600;\n"
		"  min_delay_before_bce_delete_ms = 2000;\n"
		"  max_delay_before_new_bce_assign_ms = 900;\n"
		"  tunnel_mtu = 9000;\n"
		"  default_policy = { allowed = true; served_here = true; hnps_per_interface = 2; max_lifetime_s = 120; };\n"
		"  mns = (\n"
		"    { id = \"a@x\"; allowed = false; },\n"
		"    { id = \"b@x\"; served_here = false; },\n"
		"    { id = \"c@x\"; hnps = [ \"2001:db8:200::/64\", \"2001:db8:201::/64\" ]; }\n"
		"  );\n"
		"};\n";

	cr_assert_eq(load(text, XP_ROLE_LMA, &cfg, err), 0, "%s", err);
	cr_assert_str_eq(cfg.instance, "lma7");
	cr_assert_str_eq(cfg.log_level, "debug");
	cr_assert(cfg.use_syslog);
	cr_assert_str_eq(cfg.pin_root, "/sys/fs/bpf/other");
	cr_assert_eq(cfg.heartbeat_interval_s, 30);
	cr_assert_eq(cfg.heartbeat_missing_limit, 5);
	cr_assert_eq(cfg.max_bindings, 1000);
	cr_assert(addr_eq(&cfg.lma.address, "2001:db8:ff::9"));
	cr_assert_eq(cfg.lma.n_interfaces, 2);
	cr_assert_str_eq(cfg.lma.interfaces[1], "b");
	cr_assert_eq(cfg.lma.authorized_mags[1].plen, 128);
	cr_assert_eq(cfg.lma.hnp_len, 56);
	cr_assert_not(cfg.lma.use_timestamps);
	cr_assert_eq(cfg.lma.timestamp_window_ms, 1000);
	cr_assert_eq(cfg.lma.max_lifetime_s, 600);
	cr_assert_eq(cfg.lma.min_delay_bce_delete_ms, 2000);
	cr_assert_eq(cfg.lma.max_delay_new_bce_ms, 900);
	cr_assert_eq(cfg.lma.tunnel_mtu, 9000);
	cr_assert(cfg.lma.has_default_policy);
	cr_assert_eq(cfg.lma.default_policy.hnps_per_if, 2);
	cr_assert_eq(cfg.lma.default_policy.max_lifetime_s, 120);
	cr_assert_eq(cfg.lma.n_mns, 3);

	const struct xp_lma_mn_policy *p = xp_config_lma_policy(&cfg.lma, "a@x");
	cr_assert_not_null(p);
	cr_assert_not(p->allowed);
	cr_assert(p->served_here);
	cr_assert_eq(p->max_lifetime_s, 600);	/* inherits lma.max_lifetime_s */
	p = xp_config_lma_policy(&cfg.lma, "b@x");
	cr_assert_not(p->served_here);
	p = xp_config_lma_policy(&cfg.lma, "c@x");
	cr_assert_eq(p->n_hnp, 2);
	cr_assert(addr_eq(&p->hnp[1].addr, "2001:db8:201::"));
	p = xp_config_lma_policy(&cfg.lma, "unknown@x");
	cr_assert_eq(p, &cfg.lma.default_policy);

	struct in6_addr a;
	inet_pton(AF_INET6, "2001:db8:a2::7", &a);
	cr_assert(xp_prefix_contains(&cfg.lma.authorized_mags[1], &a));
	inet_pton(AF_INET6, "2001:db8:a2::8", &a);
	cr_assert_not(xp_prefix_contains(&cfg.lma.authorized_mags[1], &a));
	cr_assert(xp_prefix_contains(&cfg.lma.authorized_mags[0], &(struct in6_addr){
		.s6_addr = { 0x20, 0x01, 0x0d, 0xb8, 0, 0xa1, 0, 0, 1 } }));
	xp_config_free(&cfg);
}

Test(config, mag_defaults_and_every_key)
{
	struct xp_config cfg;
	char err[XP_CFG_ERR_MAX];

	cr_assert_eq(load(MAG_MIN "};\n", XP_ROLE_MAG, &cfg, err), 0, "%s", err);
	cr_assert_str_eq(cfg.instance, "mag");
	cr_assert_eq(cfg.mag.lifetime_s, 3600);
	cr_assert_eq(cfg.mag.refresh_pct, 80);
	cr_assert_eq(cfg.mag.initial_bindack_timeout_ms, 1000);
	cr_assert_eq(cfg.mag.max_bindack_timeout_ms, 32000);
	cr_assert_eq(cfg.mag.max_retransmits, 5);
	cr_assert(addr_eq(&cfg.mag.ra_link_local, "fe80::1"));
	cr_assert_eq(cfg.mag.ra_mac[5], 0x01);
	cr_assert_eq(cfg.mag.ra_min_interval_ms, 3000);
	cr_assert_eq(cfg.mag.ra_max_interval_ms, 10000);
	cr_assert_eq(cfg.mag.ra_router_lifetime_s, 1800);
	cr_assert_eq(cfg.mag.ra_prefix_valid_s, 86400);
	cr_assert_eq(cfg.mag.ra_prefix_preferred_s, 14400);
	cr_assert_eq(cfg.mag.mtu, 1460);
	cr_assert_not(cfg.mag.detect_link_up);
	cr_assert_not(cfg.mag.has_default_profile);
	uint8_t mac[6] = { 2, 0, 0, 0, 1, 1 };
	struct xp_mag_mn_profile scratch;
	cr_assert_null(xp_config_mag_profile(&cfg.mag, mac, &scratch));
	xp_config_free(&cfg);

	const char *text = MAG_MIN
		"  detect_link_up = true;\n"
		"  lifetime_s = 120;\n"
		"  refresh_pct = 50;\n"
		"  initial_bindack_timeout_ms = 500;\n"
		"  max_bindack_timeout_ms = 4000;\n"
		"  max_retransmits = 2;\n"
		"  ra = { link_local = \"fe80::2\"; mac = \"02:00:5e:00:53:09\"; min_interval_ms = 1000;\n"
		"         max_interval_ms = 2000; router_lifetime_s = 60; prefix_valid_s = 600; prefix_preferred_s = 300; };\n"
		"  mtu = 1400;\n"
		"  mns = ( { mac = \"02:00:00:00:01:01\"; id = \"mn1@x\"; att = 3; ifp = 10; primary = true; mhgid = 7; } );\n"
		"  default_profile = { att = 5; ifp = 1; };\n"
		"};\n";
	cr_assert_eq(load(text, XP_ROLE_MAG, &cfg, err), 0, "%s", err);
	cr_assert(cfg.mag.detect_link_up);
	cr_assert_eq(cfg.mag.lifetime_s, 120);
	cr_assert_eq(cfg.mag.refresh_pct, 50);
	cr_assert_eq(cfg.mag.initial_bindack_timeout_ms, 500);
	cr_assert_eq(cfg.mag.max_bindack_timeout_ms, 4000);
	cr_assert_eq(cfg.mag.max_retransmits, 2);
	cr_assert(addr_eq(&cfg.mag.ra_link_local, "fe80::2"));
	cr_assert_eq(cfg.mag.ra_mac[5], 0x09);
	cr_assert_eq(cfg.mag.ra_min_interval_ms, 1000);
	cr_assert_eq(cfg.mag.ra_max_interval_ms, 2000);
	cr_assert_eq(cfg.mag.ra_router_lifetime_s, 60);
	cr_assert_eq(cfg.mag.ra_prefix_valid_s, 600);
	cr_assert_eq(cfg.mag.ra_prefix_preferred_s, 300);
	cr_assert_eq(cfg.mag.mtu, 1400);
	const struct xp_mag_mn_profile *p = xp_config_mag_profile(&cfg.mag, mac, &scratch);
	cr_assert_eq(p, &cfg.mag.mns[0]);
	cr_assert_str_eq(p->mn_id, "mn1@x");
	cr_assert_eq(p->att, 3);
	cr_assert_eq(p->ifp, 10);
	cr_assert(p->primary);
	cr_assert_eq(p->mhgid, 7);
	mac[5] = 0xab;
	p = xp_config_mag_profile(&cfg.mag, mac, &scratch);
	cr_assert_eq(p, &scratch);
	cr_assert_str_eq(p->mn_id, "02:00:00:00:01:ab@default");
	cr_assert_eq(p->att, 5);
	cr_assert_eq(p->ifp, 1);
	xp_config_free(&cfg);
}

Test(config, other_role_section_is_not_required)
{
	struct xp_config cfg;
	char err[XP_CFG_ERR_MAX];

	cr_assert_eq(load(LMA_MIN "};\nmag = { bogus = 1; };\n", XP_ROLE_LMA, &cfg, err), 0, "%s", err);
	xp_config_free(&cfg);
	expect_err(LMA_MIN "};\n", XP_ROLE_MAG, 1, "mag", "missing");
}

Test(config, errors_common)
{
	expect_err("instance = \"lma\";\nlma = { address = ; };\n", XP_ROLE_LMA, 2, "syntax", "");
	expect_err("instnce = \"x\";\n" LMA_MIN "};\n", XP_ROLE_LMA, 1, "instnce", "unknown key");
	expect_err("\ninstance = 5;\n" LMA_MIN "};\n", XP_ROLE_LMA, 2, "instance", "expected a string");
	expect_err("instance = \"a/b\";\n" LMA_MIN "};\n", XP_ROLE_LMA, 1, "instance", "cannot name a directory");
	expect_err("instance = \"\";\n" LMA_MIN "};\n", XP_ROLE_LMA, 1, "instance", "must not be empty");
	expect_err("log_level = \"loud\";\n" LMA_MIN "};\n", XP_ROLE_LMA, 1, "log_level", "not one of");
	expect_err("syslog = 1;\n" LMA_MIN "};\n", XP_ROLE_LMA, 1, "syslog", "expected true or false");
	expect_err("pin_root = \"relative\";\n" LMA_MIN "};\n", XP_ROLE_LMA, 1, "pin_root", "absolute");
	expect_err("heartbeat_interval_s = \"x\";\n" LMA_MIN "};\n", XP_ROLE_LMA, 1, "heartbeat_interval_s", "expected an integer");
	expect_err("heartbeat_interval_s = 70000;\n" LMA_MIN "};\n", XP_ROLE_LMA, 1, "heartbeat_interval_s", "out of range");
	expect_err("heartbeat_missing_limit = 0;\n" LMA_MIN "};\n", XP_ROLE_LMA, 1, "heartbeat_missing_limit", "out of range");
	expect_err("max_bindings = 0;\n" LMA_MIN "};\n", XP_ROLE_LMA, 1, "max_bindings", "out of range");
	expect_err("max_bindings = 4194304;\n" LMA_MIN "};\n", XP_ROLE_LMA, 1, "max_bindings", "out of range");
	expect_err("lma = 5;\n", XP_ROLE_LMA, 1, "lma", "expected a group");

	struct xp_config cfg;
	char err[XP_CFG_ERR_MAX];
	cr_assert_eq(xp_config_load("/nonexistent/x.conf", XP_ROLE_LMA, &cfg, err), -EINVAL);
	cr_assert(strstr(err, "/nonexistent/x.conf:0: file: cannot read"), "%s", err);
}

Test(config, errors_lma)
{
	/* line numbers: LMA_MIN occupies lines 1-5, the next line is 6 */
	expect_err("lma = {\n interfaces = [\"e\"];\n authorized_mags = [\"::/0\"];\n hnp_pool = \"2001:db8::/40\";\n};\n",
		   XP_ROLE_LMA, 1, "lma.address", "missing");
	expect_err("lma = {\n  address = \"nope\";\n};\n", XP_ROLE_LMA, 2, "lma.address", "not an IPv6 address");
	expect_err("lma = {\n  address = \"::1\";\n  authorized_mags = [\"::/0\"];\n};\n", XP_ROLE_LMA, 1,
		   "lma.interfaces", "missing");
	expect_err("lma = {\n  address = \"::1\";\n  interfaces = [];\n};\n", XP_ROLE_LMA, 3,
		   "lma.interfaces", "must not be empty");
	expect_err("lma = {\n  address = \"::1\";\n  interfaces = \"eth0\";\n};\n", XP_ROLE_LMA, 3,
		   "lma.interfaces", "expected an array");
	expect_err("lma = {\n  address = \"::1\";\n  interfaces = [\"a\", \"a\"];\n};\n", XP_ROLE_LMA, 3,
		   "lma.interfaces[1]", "listed twice");
	expect_err("lma = {\n  address = \"::1\";\n  interfaces = [\"averyveryverylongname\"];\n};\n", XP_ROLE_LMA, 3,
		   "lma.interfaces[0]", "longer than 15");
	expect_err("lma = {\n  address = \"::1\";\n  interfaces = [\"a\"];\n};\n", XP_ROLE_LMA, 1,
		   "lma.authorized_mags", "missing");
	expect_err("lma = {\n  address = \"::1\";\n  interfaces = [\"a\"];\n  authorized_mags = [\"2001:db8::/200\"];\n};\n",
		   XP_ROLE_LMA, 4, "lma.authorized_mags[0]", "not an IPv6 prefix");
	expect_err("lma = {\n  address = \"::1\";\n  interfaces = [\"a\"];\n  authorized_mags = [\"::/0\"];\n};\n",
		   XP_ROLE_LMA, 1, "lma.hnp_pool", "missing");
	expect_err("lma = {\n  address = \"::1\";\n  interfaces = [\"a\"];\n  authorized_mags = [\"::/0\"];\n"
		   "  hnp_pool = \"2001:db8:100::1/40\";\n};\n", XP_ROLE_LMA, 5, "lma.hnp_pool", "bits set past");
	expect_err(LMA_MIN "  hnp_len = 32;\n};\n", XP_ROLE_LMA, 6, "lma.hnp_len", "shorter than the pool");
	expect_err(LMA_MIN "  hnp_len = 129;\n};\n", XP_ROLE_LMA, 6, "lma.hnp_len", "out of range");
	expect_err(LMA_MIN "  timestamps = \"yes\";\n};\n", XP_ROLE_LMA, 6, "lma.timestamps", "true or false");
	expect_err(LMA_MIN "  timestamp_window_ms = 0;\n};\n", XP_ROLE_LMA, 6, "lma.timestamp_window_ms", "out of range");
	expect_err(LMA_MIN "  max_lifetime_s = 300000;\n};\n", XP_ROLE_LMA, 6, "lma.max_lifetime_s", "out of range");
	expect_err(LMA_MIN "  min_delay_before_bce_delete_ms = -1;\n};\n", XP_ROLE_LMA, 6,
		   "lma.min_delay_before_bce_delete_ms", "out of range");
	expect_err(LMA_MIN "  max_delay_before_new_bce_assign_ms = 1.5;\n};\n", XP_ROLE_LMA, 6,
		   "lma.max_delay_before_new_bce_assign_ms", "expected an integer");
	expect_err(LMA_MIN "  tunnel_mtu = 1000;\n};\n", XP_ROLE_LMA, 6, "lma.tunnel_mtu", "out of range");
	expect_err(LMA_MIN "  colour = 1;\n};\n", XP_ROLE_LMA, 6, "lma.colour", "unknown key");
	expect_err(LMA_MIN "  default_policy = true;\n};\n", XP_ROLE_LMA, 6, "lma.default_policy", "expected a group");
	expect_err(LMA_MIN "  default_policy = { id = \"x\"; };\n};\n", XP_ROLE_LMA, 6, "lma.default_policy.id",
		   "default policy has no id");
	expect_err(LMA_MIN "  default_policy = {\n allow = true; };\n};\n", XP_ROLE_LMA, 7, "lma.default_policy.allow",
		   "unknown key");
	expect_err(LMA_MIN "  default_policy = { hnps_per_interface = 9; };\n};\n", XP_ROLE_LMA, 6,
		   "lma.default_policy.hnps_per_interface", "out of range");
	expect_err(LMA_MIN "  mns = 3;\n};\n", XP_ROLE_LMA, 6, "lma.mns", "expected a list");
	expect_err(LMA_MIN "  mns = ( 3 );\n};\n", XP_ROLE_LMA, 6, "lma.mns[0]", "expected a group");
	expect_err(LMA_MIN "  mns = ( { allowed = false; } );\n};\n", XP_ROLE_LMA, 6, "lma.mns[0].id", "missing");
	expect_err(LMA_MIN "  mns = ( { id = \"a\"; },\n { id = \"a\"; } );\n};\n", XP_ROLE_LMA, 7, "lma.mns[1].id",
		   "listed twice");
	expect_err(LMA_MIN "  mns = ( { id = \"a\"; hnps = [ \"2001:db8::/64\", \"x\" ]; } );\n};\n", XP_ROLE_LMA, 6,
		   "lma.mns[0].hnps[1]", "not an IPv6 prefix");
	expect_err(LMA_MIN "  mns = ( { id = \"a\"; hnps = [ \"::/0\" ]; } );\n};\n", XP_ROLE_LMA, 6,
		   "lma.mns[0].hnps[0]", "cannot be ::/0");
	expect_err(LMA_MIN "  mns = ( { id = \"a\"; served_here = 0; } );\n};\n", XP_ROLE_LMA, 6,
		   "lma.mns[0].served_here", "true or false");
}

Test(config, errors_mag)
{
	expect_err("mag = {\n};\n", XP_ROLE_MAG, 1, "mag.proxy_coa", "missing");
	expect_err("mag = {\n proxy_coa = \"::1\";\n};\n", XP_ROLE_MAG, 1, "mag.lma_address", "missing");
	expect_err("mag = {\n proxy_coa = \"::1\";\n lma_address = \"::2\";\n};\n", XP_ROLE_MAG, 1,
		   "mag.core_interface", "missing");
	expect_err("mag = {\n proxy_coa = \"::1\";\n lma_address = \"::2\";\n core_interface = \"c\";\n};\n",
		   XP_ROLE_MAG, 1, "mag.access_interfaces", "missing");
	expect_err("mag = {\n proxy_coa = \"::1\";\n lma_address = \"::2\";\n core_interface = \"c\";\n"
		   " access_interfaces = [\"c\"];\n};\n", XP_ROLE_MAG, 5, "mag.access_interfaces", "also the core");
	expect_err(MAG_MIN " detect_link_up = 1;\n};\n", XP_ROLE_MAG, 6, "mag.detect_link_up", "true or false");
	expect_err(MAG_MIN " lifetime_s = 0;\n};\n", XP_ROLE_MAG, 6, "mag.lifetime_s", "out of range");
	expect_err(MAG_MIN " refresh_pct = 100;\n};\n", XP_ROLE_MAG, 6, "mag.refresh_pct", "out of range");
	expect_err(MAG_MIN " initial_bindack_timeout_ms = 0;\n};\n", XP_ROLE_MAG, 6, "mag.initial_bindack_timeout_ms",
		   "out of range");
	expect_err(MAG_MIN " max_bindack_timeout_ms = 10;\n};\n", XP_ROLE_MAG, 6, "mag.max_bindack_timeout_ms",
		   "smaller than initial");
	expect_err(MAG_MIN " max_retransmits = 256;\n};\n", XP_ROLE_MAG, 6, "mag.max_retransmits", "out of range");
	expect_err(MAG_MIN " mtu = 1000;\n};\n", XP_ROLE_MAG, 6, "mag.mtu", "out of range");
	expect_err(MAG_MIN " ra = 1;\n};\n", XP_ROLE_MAG, 6, "mag.ra", "expected a group");
	expect_err(MAG_MIN " ra = { link_local = \"2001:db8::1\"; };\n};\n", XP_ROLE_MAG, 6, "mag.ra.link_local",
		   "not a link-local");
	expect_err(MAG_MIN " ra = { mac = \"02:00\"; };\n};\n", XP_ROLE_MAG, 6, "mag.ra.mac", "not a MAC");
	expect_err(MAG_MIN " ra = { min_interval_ms = 10; };\n};\n", XP_ROLE_MAG, 6, "mag.ra.min_interval_ms",
		   "out of range");
	expect_err(MAG_MIN " ra = { max_interval_ms = 2000000; };\n};\n", XP_ROLE_MAG, 6, "mag.ra.max_interval_ms",
		   "out of range");
	expect_err(MAG_MIN " ra = { min_interval_ms = 5000; max_interval_ms = 4000; };\n};\n", XP_ROLE_MAG, 6,
		   "mag.ra.min_interval_ms", "larger than max_interval_ms");
	expect_err(MAG_MIN " ra = { router_lifetime_s = 9001; };\n};\n", XP_ROLE_MAG, 6, "mag.ra.router_lifetime_s",
		   "out of range");
	expect_err(MAG_MIN " ra = { prefix_valid_s = \"x\"; };\n};\n", XP_ROLE_MAG, 6, "mag.ra.prefix_valid_s",
		   "expected an integer");
	expect_err(MAG_MIN " ra = { prefix_valid_s = 10; prefix_preferred_s = 20; };\n};\n", XP_ROLE_MAG, 6,
		   "mag.ra.prefix_preferred_s", "larger than prefix_valid_s");
	expect_err(MAG_MIN " ra = { colour = 1; };\n};\n", XP_ROLE_MAG, 6, "mag.ra.colour", "unknown key");
	expect_err(MAG_MIN " mns = ( { id = \"a\"; } );\n};\n", XP_ROLE_MAG, 6, "mag.mns[0].mac", "missing");
	expect_err(MAG_MIN " mns = ( { mac = \"02:00:00:00:01:01\"; } );\n};\n", XP_ROLE_MAG, 6, "mag.mns[0].id",
		   "missing");
	expect_err(MAG_MIN " mns = ( { mac = \"zz:00:00:00:01:01\"; id = \"a\"; } );\n};\n", XP_ROLE_MAG, 6,
		   "mag.mns[0].mac", "not a MAC");
	expect_err(MAG_MIN " mns = ( { mac = \"02:00:00:00:01:01\"; id = \"a\"; },\n"
		   "  { mac = \"02:00:00:00:01:01\"; id = \"b\"; } );\n};\n", XP_ROLE_MAG, 7, "mag.mns[1].mac",
		   "listed twice");
	expect_err(MAG_MIN " mns = ( { mac = \"02:00:00:00:01:01\"; id = \"a\"; att = 0; } );\n};\n", XP_ROLE_MAG, 6,
		   "mag.mns[0].att", "out of range");
	expect_err(MAG_MIN " mns = ( { mac = \"02:00:00:00:01:01\"; id = \"a\"; ifp = 300; } );\n};\n", XP_ROLE_MAG,
		   6, "mag.mns[0].ifp", "out of range");
	expect_err(MAG_MIN " mns = ( { mac = \"02:00:00:00:01:01\"; id = \"a\"; primary = 2; } );\n};\n",
		   XP_ROLE_MAG, 6, "mag.mns[0].primary", "true or false");
	expect_err(MAG_MIN " mns = ( { mac = \"02:00:00:00:01:01\"; id = \"a\"; mhgid = -1; } );\n};\n",
		   XP_ROLE_MAG, 6, "mag.mns[0].mhgid", "out of range");
	expect_err(MAG_MIN " default_profile = { id = \"x\"; };\n};\n", XP_ROLE_MAG, 6, "mag.default_profile.id",
		   "not allowed in the default profile");
	expect_err(MAG_MIN " default_profile = { sizes = 1; };\n};\n", XP_ROLE_MAG, 6, "mag.default_profile.sizes",
		   "unknown key");
}

Test(config, prefix_and_mac_helpers)
{
	struct xp_prefix p;
	uint8_t mac[6];
	char buf[64];

	cr_assert_eq(xp_prefix_parse("2001:db8::/32", &p), 0);
	cr_assert_eq(p.plen, 32);
	cr_assert_str_eq(xp_prefix_str(&p, buf, sizeof(buf)), "2001:db8::/32");
	cr_assert_eq(xp_prefix_parse("2001:db8::1", &p), 0);
	cr_assert_eq(p.plen, 128);
	cr_assert_eq(xp_prefix_parse("2001:db8::/", &p), -EINVAL);
	cr_assert_eq(xp_prefix_parse("2001:db8::/129", &p), -EINVAL);
	cr_assert_eq(xp_prefix_parse("10.0.0.0/8", &p), -EINVAL);
	cr_assert_eq(xp_mac_parse("02:00:5e:00:53:01", mac), 0);
	cr_assert_eq(mac[2], 0x5e);
	cr_assert_eq(xp_mac_parse("02:00:5e:00:53:01:07", mac), -EINVAL);
	cr_assert_eq(xp_mac_parse("102:00:5e:00:53:01", mac), -EINVAL);
	xp_prefix_parse("2001:db8:100::/41", &p);
	struct in6_addr a;
	inet_pton(AF_INET6, "2001:db8:17f::1", &a);
	cr_assert(xp_prefix_contains(&p, &a));
	inet_pton(AF_INET6, "2001:db8:180::1", &a);
	cr_assert_not(xp_prefix_contains(&p, &a));
	p.plen = 0;
	cr_assert(xp_prefix_contains(&p, &a));
}

/* 000 draft: the LMA policy's address model and primary HoA, the MN helper */
Test(config, ifp_policy_and_mn_section)
{
	struct xp_config cfg;
	char err[XP_CFG_ERR_MAX];

	cr_assert_eq(load(LMA_MIN "  mns = ( { id = \"a\"; address_model = \"shared-address\";"
			  " primary_hoa = \"2001:db8:100::1\"; }, { id = \"b\"; } );\n};\n",
			  XP_ROLE_LMA, &cfg, err), 0, "%s", err);
	cr_assert_eq(cfg.lma.mns[0].addr_model, XP_AM_SHARED_ADDRESS);
	cr_assert(cfg.lma.mns[0].has_primary_hoa);
	cr_assert(addr_eq(&cfg.lma.mns[0].primary_hoa, "2001:db8:100::1"));
	cr_assert_eq(cfg.lma.mns[1].addr_model, XP_AM_UNIQUE_PREFIX, "default");
	cr_assert_not(cfg.lma.mns[1].has_primary_hoa);
	xp_config_free(&cfg);
	expect_err(LMA_MIN "  mns = ( { id = \"a\"; address_model = \"shared\"; } );\n};\n", XP_ROLE_LMA,
		   6, "lma.mns[0].address_model", "not unique-prefix");

	cr_assert_eq(xp_config_load("deploy/examples/mn.conf", XP_ROLE_MN, &cfg, err), 0, "%s", err);
	cr_assert_eq(cfg.mn.n_ifs, 2);
	cr_assert(cfg.mn.ifs[0].primary);
	cr_assert_not(cfg.mn.ifs[1].has_hoa);
	cr_assert_eq(cfg.mn.hoa_opt, XP_DSTOPT_PRIMARY_HOA_DEFAULT);
	xp_config_free(&cfg);
	cr_assert_eq(load("mn = { primary_hoa = \"2001:db8::1\"; interfaces = ( { name = \"a\"; "
			  "primary = true; hoa = \"2001:db8::1\"; } ); };\n", XP_ROLE_MN, &cfg, err), 0,
		     "%s", err);
	cr_assert(cfg.mn.has_primary_hoa && cfg.mn.ifs[0].has_hoa);
	xp_config_free(&cfg);
	expect_err("mn = {\n interfaces = ( { name = \"a\"; }, { name = \"b\"; } );\n};\n", XP_ROLE_MN, 2,
		   "mn.interfaces", "exactly one interface must be primary");
	expect_err("mn = {\n primary_hoa = \"x\";\n interfaces = ( { name = \"a\"; primary = true; } );\n};\n",
		   XP_ROLE_MN, 2, "mn.primary_hoa", "not an IPv6 address");
	expect_err("mn = {\n};\n", XP_ROLE_MN, 1, "mn.interfaces", "missing");
}
