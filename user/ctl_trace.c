// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* ctl_trace.c - see ctl_trace.h */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "ctl_daemon.h"
#include "ctl_trace.h"

#define POLL_MS		200
#define NS_PER_S	1000000000LL
#define NS_PER_US	1000LL
#define PATH_MAX_LEN	512

int trace_parse_start(const char *body, char *ring, size_t ring_len, struct trace_filter *f)
{
	const char *line = body;

	memset(f, 0, sizeof(*f));
	ring[0] = '\0';
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		char buf[PATH_MAX_LEN];

		if (n >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, line, n);
		buf[n] = '\0';
		if (!strncmp(buf, "ring ", 5)) {
			snprintf(ring, ring_len, "%s", buf + 5);
		} else if (!strncmp(buf, "mnidx ", 6)) {
			if (sscanf(buf + 6, "%u", &f->mn_idx) != 1)
				return -EINVAL;
			f->has_mn_idx = true;
			f->on = true;
		} else if (!strncmp(buf, "prefix ", 7)) {
			if (f->n_pfx == TRACE_MAX_PFX || xp_prefix_parse(buf + 7, &f->pfx[f->n_pfx]))
				return -EINVAL;
			f->n_pfx++;
			f->on = true;
		} else if (!strncmp(buf, "mac ", 4)) {
			if (f->n_mac == TRACE_MAX_MAC || xp_mac_parse(buf + 4, f->mac[f->n_mac]))
				return -EINVAL;
			f->n_mac++;
			f->on = true;
		} else if (!strncmp(buf, "if ", 3)) {
			if (f->n_ifs < TRACE_MAX_IFS &&
			    sscanf(buf + 3, "%u %15s", &f->ifs[f->n_ifs].idx, f->ifs[f->n_ifs].name) == 2)
				f->n_ifs++;
		} else if (n) {
			return -EINVAL;
		}
		line = nl ? nl + 1 : NULL;
	}
	return ring[0] ? 0 : -EINVAL;
}

static bool in_any(const struct trace_filter *f, const union xp_addr6 *a)
{
	struct in6_addr x;

	memcpy(&x, a->a8, sizeof(x));
	for (unsigned i = 0; i < f->n_pfx; i++)
		if (xp_prefix_contains(&f->pfx[i], &x))
			return true;
	return false;
}

/*
 * --mn: a switch of that MN; a drop whose Ethernet source is one of its
 * interfaces, or whose outer or inner source or destination lies in one
 * of its prefixes (a spoofed uplink claiming its prefix from elsewhere
 * included: that source is in the prefix whatever the MAC).
 */
bool trace_match(const struct trace_filter *f, const struct xp_trace_event *e)
{
	if (!f->on)
		return true;
	if (e->kind == XP_TRACE_SWITCH)
		return f->has_mn_idx && e->sw.mn_idx == f->mn_idx;
	for (unsigned i = 0; i < f->n_mac; i++)
		if (!memcmp(f->mac[i], e->src_mac, sizeof(e->src_mac)))
			return true;
	if (in_any(f, &e->src) || in_any(f, &e->dst))
		return true;
	return (e->flags & XP_TRACE_F_INNER) && (in_any(f, &e->inner_src) || in_any(f, &e->inner_dst));
}

static const char *a6(const union xp_addr6 *a, char *buf)
{
	return inet_ntop(AF_INET6, a->a8, buf, INET6_ADDRSTRLEN);
}

static const char *const cause_names[] = {
	[XP_SW_DOWNLINK] = "downlink",
	[XP_SW_FLOW] = "flow",
	[XP_SW_PREFIX] = "prefix",
};

/* "HH:MM:SS.us SWITCH flow mn_idx 1 bid 1 -> 2 peer A -> B fid 7" */
static void print_switch(FILE *out, const struct xp_trace_event *e, long long t, const char *tb,
			 bool json)
{
	const struct xp_trace_switch *w = &e->sw;
	const char *cause = e->reason < sizeof(cause_names) / sizeof(cause_names[0]) &&
			    cause_names[e->reason] ? cause_names[e->reason] : "unknown";
	char op[INET6_ADDRSTRLEN], np[INET6_ADDRSTRLEN], pf[INET6_ADDRSTRLEN];

	a6(&w->old_peer, op);
	a6(&w->new_peer, np);
	a6(&w->prefix, pf);
	if (json) {
		fprintf(out, "{\"time_ns\":%lld,\"kind\":\"switch\",\"cause\":\"%s\",\"mn_idx\":%u,"
			"\"old_bid\":%u,\"new_bid\":%u,\"old_peer\":\"%s\",\"new_peer\":\"%s\"", t,
			cause, w->mn_idx, w->old_bid, w->new_bid, op, np);
		if (e->reason == XP_SW_FLOW)
			fprintf(out, ",\"fid\":%u", w->fid);
		if (e->reason == XP_SW_PREFIX)
			fprintf(out, ",\"prefix\":\"%s/%u\"", pf, w->plen);
		fprintf(out, "}\n");
		return;
	}
	fprintf(out, "%s.%06lld %-18s %-10s mn_idx %u bid %u -> %u peer %s -> %s", tb,
		(t % NS_PER_S) / NS_PER_US, "SWITCH", cause, w->mn_idx, w->old_bid, w->new_bid, op,
		np);
	if (e->reason == XP_SW_FLOW)
		fprintf(out, " fid %u", w->fid);
	if (e->reason == XP_SW_PREFIX)
		fprintf(out, " prefix %s/%u", pf, w->plen);
	fputc('\n', out);
}

void trace_print(FILE *out, const struct trace_filter *f, const struct xp_trace_event *e,
		 long long realtime_offset_ns, bool json)
{
	long long t = (long long)e->ts_ns + realtime_offset_ns;
	time_t sec = (time_t)(t / NS_PER_S);
	struct tm tm;
	char tb[32], ifn[IF_NAMESIZE] = "?", s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	char is[INET6_ADDRSTRLEN], id[INET6_ADDRSTRLEN], mac[18];
	const char *reason = e->reason < XP_R_MAX ? xp_reason_names[e->reason] : "UNKNOWN";

	localtime_r(&sec, &tm);
	strftime(tb, sizeof(tb), "%H:%M:%S", &tm);
	snprintf(ifn, sizeof(ifn), "if%u", e->ifindex);
	for (unsigned i = 0; i < f->n_ifs; i++)
		if (f->ifs[i].idx == e->ifindex)
			snprintf(ifn, sizeof(ifn), "%s", f->ifs[i].name);
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", e->src_mac[0], e->src_mac[1],
		 e->src_mac[2], e->src_mac[3], e->src_mac[4], e->src_mac[5]);
	if (e->kind == XP_TRACE_SWITCH) {
		print_switch(out, e, t, tb, json);
		return;
	}
	a6(&e->src, s);
	a6(&e->dst, d);
	a6(&e->inner_src, is);
	a6(&e->inner_dst, id);
	if (json) {
		fprintf(out, "{\"time_ns\":%lld,\"kind\":\"drop\",\"reason\":\"%s\",\"ifindex\":%u,"
			"\"ifname\":\"%s\",\"src_mac\":\"%s\",\"src\":\"%s\",\"dst\":\"%s\"", t, reason,
			e->ifindex, ifn, mac, s, d);
		if (e->flags & XP_TRACE_F_INNER)
			fprintf(out, ",\"inner_src\":\"%s\",\"inner_dst\":\"%s\"", is, id);
		fprintf(out, "}\n");
		return;
	}
	fprintf(out, "%s.%06lld %-18s %-10s %s -> %s", tb, (t % NS_PER_S) / NS_PER_US, reason, ifn,
		s, d);
	if (e->flags & XP_TRACE_F_INNER)
		fprintf(out, " inner %s -> %s", is, id);
	fprintf(out, " mac %s\n", mac);
}

struct trace_run {
	struct trace_filter f;
	long long offset_ns;
	bool json;
	long count, seen;
};

static volatile sig_atomic_t trace_stop;

static void on_signal(int sig)
{
	(void)sig;
	trace_stop = 1;
}

static int on_event(void *ctx, void *data, size_t len)
{
	struct trace_run *r = ctx;
	struct xp_trace_event e;

	if (len < sizeof(e))
		return 0;
	memcpy(&e, data, sizeof(e));
	if (!trace_match(&r->f, &e))
		return 0;
	trace_print(stdout, &r->f, &e, r->offset_ns, r->json);
	fflush(stdout);
	if (r->count && ++r->seen >= r->count)
		trace_stop = 1;
	return 0;
}

static long long now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (long long)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: xpmipctl [--instance NAME] trace [--mn MN-ID] [--count N] "
		"[--timeout S] [--json]\n"
		"  user-plane events as they happen: drops with their reason, handover\n"
		"  switches (LMA); Ctrl-C stops\n");
}

int ctl_trace_main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "mn", required_argument, NULL, 'm' },
		{ "count", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct trace_run r = { .json = false };
	char *start[3] = { "trace-start", NULL, NULL }, *stop[] = { "trace-stop", NULL };
	char ring[PATH_MAX_LEN], *body = NULL;
	struct ring_buffer *rb = NULL;
	double timeout_s = 0;
	long long deadline = 0;
	size_t len;
	int opt, st, fd = -1, rc = 1;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "m:c:t:jh", lo, NULL)) != -1) {
		switch (opt) {
		case 'm': start[1] = optarg; break;
		case 'c': r.count = strtol(optarg, NULL, 10); break;
		case 't': timeout_s = strtod(optarg, NULL); break;
		case 'j': r.json = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || r.count < 0 || timeout_s < 0) {
		usage(stderr);
		return 2;
	}
	st = ctl_daemon_fetch(start[1] ? 2 : 1, start, &body, &len);
	if (st) {
		if (st > 0)
			fprintf(stderr, "xpmipctl: trace: %s", body && len ? body : strerror(st));
		free(body);
		return 1;
	}
	if (trace_parse_start(body, ring, sizeof(ring), &r.f)) {
		fprintf(stderr, "xpmipctl: trace: unexpected answer from the daemon\n");
		goto out_stop;
	}
	fd = bpf_obj_get(ring);
	if (fd < 0) {
		fprintf(stderr, "xpmipctl: trace: %s: %s\n", ring, strerror(errno));
		goto out_stop;
	}
	rb = ring_buffer__new(fd, on_event, &r, NULL);
	if (!rb) {
		fprintf(stderr, "xpmipctl: trace: ring buffer %s: %s\n", ring, strerror(errno));
		goto out_stop;
	}
	r.offset_ns = now_ns(CLOCK_REALTIME) - now_ns(CLOCK_MONOTONIC);
	if (timeout_s > 0)
		deadline = now_ns(CLOCK_MONOTONIC) + (long long)(timeout_s * NS_PER_S);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (!r.json)
		fprintf(stderr, "tracing%s%s (Ctrl-C stops)\n", start[1] ? " MN " : "",
			start[1] ? start[1] : "");
	rc = 0;
	while (!trace_stop && (!deadline || now_ns(CLOCK_MONOTONIC) < deadline)) {
		int n = ring_buffer__poll(rb, POLL_MS);

		if (n < 0 && n != -EINTR) {
			fprintf(stderr, "xpmipctl: trace: %s\n", strerror(-n));
			rc = 1;
			break;
		}
	}
out_stop:
	ring_buffer__free(rb);
	if (fd >= 0)
		close(fd);
	free(body);
	body = NULL;
	if (ctl_daemon_fetch(1, stop, &body, &len))
		rc = 1;
	free(body);
	return rc;
}
