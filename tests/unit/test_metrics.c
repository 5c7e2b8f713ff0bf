// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The operator layer's formatters: the Prometheus writer (escapes, family
 * lines), the signalling counters' classification, the whole exposition
 * over a fake role, the metrics_listen address parser, and `watch`'s
 * parsing of the daemon's traffic records and its rates.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "ctl_watch.h"
#include "daemon.h"
#include "metrics.h"
#include "metrics_http.h"
#include "prom.h"
#include "sigstats.h"
#include "xpmip_wire.h"

/* Run f(out) into a string (the caller frees it) */
#define CAPTURE(buf, stmt) do {						\
	size_t _len = 0;						\
	FILE *out = open_memstream(&(buf), &_len);			\
	cr_assert_not_null(out);					\
	stmt;								\
	fclose(out);							\
} while (0)

Test(prom, family_and_samples)
{
	char *s = NULL;

	CAPTURE(s, {
		prom_family(out, "xpmip_x_total", PROM_COUNTER, "Some help\\with a backslash.");
		prom_sample3(out, "xpmip_x_total", 42, "a", "1", "b", "two", NULL, NULL);
		prom_sample(out, "xpmip_x_total", 0, NULL);
	});
	cr_assert_str_eq(s, "# HELP xpmip_x_total Some help\\\\with a backslash.\n"
			    "# TYPE xpmip_x_total counter\n"
			    "xpmip_x_total{a=\"1\",b=\"two\"} 42\n"
			    "xpmip_x_total 0\n");
	free(s);
}

Test(prom, label_values_escaped)
{
	char *s = NULL;

	CAPTURE(s, prom_sample3(out, "m", 18446744073709551615ull, "mn", "we\"ird\\mn\nid",
				NULL, NULL, NULL, NULL));
	cr_assert_str_eq(s, "m{mn=\"we\\\"ird\\\\mn\\nid\"} 18446744073709551615\n");
	free(s);
}

static const uint8_t pbu[] = { 59, 1, XP_MH_TYPE_BU, 0, 0, 0, 0, 7, 0x02, 0x00, 0, 100, 0, 0, 0, 0 };
static const uint8_t bu[] = { 59, 1, XP_MH_TYPE_BU, 0, 0, 0, 0, 7, 0x80, 0x00, 0, 100, 0, 0, 0, 0 };
static const uint8_t pba152[] = { 59, 1, XP_MH_TYPE_BA, 0, 0, 0, 152, 0x20, 0, 7, 0, 0, 0, 0, 0, 0 };
static const uint8_t upa132[] = { 59, 0, XP_MH_TYPE_UPA, 0, 0, 0, 0, 9, 132, 0 };

Test(sigstats, classify)
{
	cr_assert_eq(xp_sig_classify(pbu, sizeof(pbu)), XP_SIG_PBU);
	cr_assert_eq(xp_sig_classify(bu, sizeof(bu)), XP_SIG_BU);
	cr_assert_eq(xp_sig_classify(pba152, sizeof(pba152)), XP_SIG_PBA);
	cr_assert_eq(xp_sig_classify(upa132, sizeof(upa132)), XP_SIG_UPA);
	cr_assert_eq(xp_sig_classify(pbu, 3), XP_SIG_RUNT);
	cr_assert_eq(xp_sig_classify(NULL, 0), XP_SIG_RUNT);
	/* a BU cut before its flags is still a BU, never a read past the end */
	cr_assert_eq(xp_sig_classify(pbu, XP_MH_HDR_LEN), XP_SIG_BU);
}

Test(sigstats, count_status)
{
	struct xp_sig_stats s;

	memset(&s, 0, sizeof(s));
	xp_sig_count(&s, XP_SIG_TX, pba152, sizeof(pba152));
	xp_sig_count(&s, XP_SIG_TX, pba152, sizeof(pba152));
	xp_sig_count(&s, XP_SIG_RX, upa132, sizeof(upa132));
	xp_sig_count(&s, XP_SIG_RX, pbu, 2);
	cr_assert_eq(s.msgs[XP_SIG_TX][XP_SIG_PBA], 2);
	cr_assert_eq(s.status[XP_SIG_TX][XP_SIG_ACK_PBA][152], 2);
	cr_assert_eq(s.status[XP_SIG_RX][XP_SIG_ACK_UPA][132], 1);
	cr_assert_eq(s.msgs[XP_SIG_RX][XP_SIG_RUNT], 1);
	cr_assert_str_eq(xp_sig_status_name(XP_SIG_ACK_PBA, 152), "PROXY_REG_NOT_ENABLED");
	cr_assert_str_eq(xp_sig_status_name(XP_SIG_ACK_UPA, 132), "MN_NOT_ATTACHED");
	cr_assert_str_eq(xp_sig_status_name(XP_SIG_ACK_PBA, 7), "UNKNOWN");
}

/* ---- the exposition over a fake role ---- */

static unsigned fake_metrics_calls;

static void fake_foreach(struct xp_daemon *d, xp_binding_cb cb, void *ctx)
{
	static const char *const st[] = { "active", "active", "dereg-wait" };
	static const char *const id[] = { "mn1@example.net", "mn2@example.net", "mn\"3" };

	(void)d;
	for (unsigned i = 0; i < 3; i++) {
		struct xp_binding_info b = { .mn_id = id[i], .mn_idx = i + 1, .bid = (uint16_t)(i + 1),
					     .state = st[i] };

		inet_pton(AF_INET6, "2001:db8:a1::1", &b.peer);
		cb(ctx, &b);
	}
}

static void fake_metrics(struct xp_daemon *d, FILE *out)
{
	(void)d;
	fake_metrics_calls++;
	fprintf(out, "xpmip_fake 1\n");
}

static const struct xp_role_ops fake_ops = {
	.name = "lma", .role = XP_ROLE_LMA,
	.foreach_binding = fake_foreach, .metrics = fake_metrics,
};

Test(metrics, exposition)
{
	struct xp_config cfg;
	struct xp_daemon d = { .ops = &fake_ops, .cfg = &cfg, .mh_fd = -1 };
	char *s = NULL;

	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.instance, sizeof(cfg.instance), "lma-test");
	memset(xp_sig_global(), 0, sizeof(*xp_sig_global()));
	xp_sig_count(xp_sig_global(), XP_SIG_RX, pbu, sizeof(pbu));
	xp_sig_count(xp_sig_global(), XP_SIG_TX, pba152, sizeof(pba152));
	CAPTURE(s, cr_assert_eq(xp_metrics_write(&d, "9.9.9", out), 0));
	cr_assert_not_null(strstr(s, "xpmip_info{version=\"9.9.9\",role=\"lma\",instance=\"lma-test\"} 1\n"));
	cr_assert_not_null(strstr(s, "# TYPE xpmip_bindings gauge\n"));
	cr_assert_not_null(strstr(s, "xpmip_bindings{state=\"active\"} 2\n"));
	cr_assert_not_null(strstr(s, "xpmip_bindings{state=\"dereg-wait\"} 1\n"));
	cr_assert_not_null(strstr(s, "xpmip_mh_messages_total{direction=\"rx\",type=\"pbu\"} 1\n"));
	cr_assert_not_null(strstr(s, "xpmip_mh_messages_total{direction=\"tx\",type=\"pba\"} 1\n"));
	cr_assert_not_null(strstr(s, "xpmip_mh_ack_status_total{direction=\"tx\",type=\"pba\","
				     "status=\"152\",name=\"PROXY_REG_NOT_ENABLED\"} 1\n"));
	/* statuses never seen are not listed (256 x 2 x 2 series otherwise) */
	cr_assert_null(strstr(s, "status=\"0\""));
	cr_assert_not_null(strstr(s, "xpmip_fake 1\n"));
	cr_assert_eq(fake_metrics_calls, 1);
	/* every non-comment line is "name[{labels}] value" */
	for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#')
			continue;
		cr_assert(strncmp(line, "xpmip_", 6) == 0, "line '%s'", line);
		cr_assert_not_null(strrchr(line, ' '), "line '%s'", line);
	}
	free(s);
}

Test(metrics, traffic_raw_round_trip_through_watch)
{
	struct xp_config cfg;
	struct xp_daemon d = { .ops = &fake_ops, .cfg = &cfg, .mh_fd = -1 };
	struct watch_sample w;
	char *s = NULL;

	memset(&cfg, 0, sizeof(cfg));
	CAPTURE(s, cr_assert_eq(xp_traffic_write(&d, XP_TRAFFIC_RAW, out), 0));
	cr_assert_eq(watch_parse(s, &w), 0, "%s", s);
	cr_assert_eq(w.n, 3);
	cr_assert_str_eq(w.rows[2].mn_id, "mn\"3");
	cr_assert_eq(w.rows[2].bid, 3);
	cr_assert_str_eq(w.rows[2].state, "dereg-wait");
	cr_assert_str_eq(w.rows[0].peer, "2001:db8:a1::1");
	watch_sample_free(&w);
	free(s);
}

Test(watch, rates_between_two_samples)
{
	const char *a = "time_ms\t1000\nmn1\t1\tactive\t2001:db8::1\t100\t10000\t0\t0\n";
	const char *b = "time_ms\t3000\nmn1\t1\tactive\t2001:db8::1\t300\t510000\t4\t400\n"
			"mn2\t2\tactive\t2001:db8::2\t5\t500\t0\t0\n";
	struct watch_sample p, c;
	char *s = NULL;

	cr_assert_eq(watch_parse(a, &p), 0);
	cr_assert_eq(watch_parse(b, &c), 0);
	CAPTURE(s, watch_render(out, &p, &c, true));
	/* 200 packets and 500000 bytes in 2 s: 100 pps, 2 Mbit/s; mn2 is new: no rate */
	cr_assert_not_null(strstr(s, "\"dl_pps\":100.0,\"dl_bps\":2000000.0,\"ul_pps\":2.0,"
				     "\"ul_bps\":1600.0"), "%s", s);
	cr_assert_not_null(strstr(s, "\"mn_id\":\"mn2\",\"bid\":2,\"state\":\"active\","
				     "\"peer\":\"2001:db8::2\",\"dl_packets\":5"), "%s", s);
	cr_assert_not_null(strstr(s, "\"interval_s\":2.000"), "%s", s);
	free(s);
	CAPTURE(s, watch_render(out, &p, &c, false));
	cr_assert_not_null(strstr(s, "2.00M"), "%s", s);
	free(s);
	watch_sample_free(&p);
	watch_sample_free(&c);
}

Test(watch, rejects_garbage)
{
	struct watch_sample w;

	cr_assert_eq(watch_parse("hello\n", &w), -EINVAL);
	cr_assert_eq(watch_parse("time_ms\t5\nonly\ttwo\n", &w), -EINVAL);
	cr_assert_eq(watch_parse("time_ms\t5\n", &w), 0);
	cr_assert_eq(w.n, 0);
}

Test(watch, si)
{
	char b[16];

	cr_assert_str_eq(watch_si(999, b, sizeof(b)), "999");
	cr_assert_str_eq(watch_si(1500, b, sizeof(b)), "1.50k");
	cr_assert_str_eq(watch_si(2.5e9, b, sizeof(b)), "2.50G");
}

Test(metrics_http, listen_address)
{
	struct sockaddr_storage ss;
	socklen_t sl;

	cr_assert_eq(xp_metrics_addr_parse("127.0.0.1:9477", &ss, &sl), 0);
	cr_assert_eq(ss.ss_family, AF_INET);
	cr_assert_eq(ntohs(((struct sockaddr_in *)&ss)->sin_port), 9477);
	cr_assert_eq(xp_metrics_addr_parse("[::1]:9477", &ss, &sl), 0);
	cr_assert_eq(ss.ss_family, AF_INET6);
	cr_assert_eq(sl, sizeof(struct sockaddr_in6));
	cr_assert_eq(xp_metrics_addr_parse("::1:9477", &ss, &sl), -EINVAL);
	cr_assert_eq(xp_metrics_addr_parse("127.0.0.1", &ss, &sl), -EINVAL);
	cr_assert_eq(xp_metrics_addr_parse("127.0.0.1:0", &ss, &sl), -EINVAL);
	cr_assert_eq(xp_metrics_addr_parse("127.0.0.1:65536", &ss, &sl), -EINVAL);
	cr_assert_eq(xp_metrics_addr_parse("localhost:80", &ss, &sl), -EINVAL);
	cr_assert_eq(xp_metrics_addr_parse("[::1]9477", &ss, &sl), -EINVAL);
}
