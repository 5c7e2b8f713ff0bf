// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* ctl_watch.c - see ctl_watch.h */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl_daemon.h"
#include "ctl_watch.h"
#include "json.h"

#define MS_PER_S	1000.0
#define BITS_PER_BYTE	8.0
#define SI_STEP		1000.0
#define DEFAULT_INTERVAL_MS 1000
#define MIN_INTERVAL_MS	100
#define CLEAR_SCREEN	"\033[H\033[2J"

static void copy_field(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

int watch_parse(const char *body, struct watch_sample *s)
{
	char *copy, *line, *save = NULL;
	size_t cap = 0;
	int err = 0;

	memset(s, 0, sizeof(*s));
	if (!body)
		return -EINVAL;
	copy = strdup(body);
	if (!copy)
		return -ENOMEM;
	line = strtok_r(copy, "\n", &save);
	if (!line || sscanf(line, "time_ms\t%" SCNu64, &s->time_ms) != 1) {
		err = -EINVAL;
		goto out;
	}
	while ((line = strtok_r(NULL, "\n", &save))) {
		char *f[8], *fs = NULL;
		int nf = 0;
		struct watch_row *r;

		for (char *t = strtok_r(line, "\t", &fs); t && nf < 8; t = strtok_r(NULL, "\t", &fs))
			f[nf++] = t;
		if (nf != 8) {
			err = -EINVAL;
			goto out;
		}
		if (s->n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct watch_row *nr = realloc(s->rows, nc * sizeof(*nr));

			if (!nr) {
				err = -ENOMEM;
				goto out;
			}
			s->rows = nr;
			cap = nc;
		}
		r = &s->rows[s->n++];
		copy_field(r->mn_id, sizeof(r->mn_id), f[0]);
		r->bid = (unsigned)strtoul(f[1], NULL, 10);
		copy_field(r->state, sizeof(r->state), f[2]);
		copy_field(r->peer, sizeof(r->peer), f[3]);
		r->dl_packets = strtoull(f[4], NULL, 10);
		r->dl_bytes = strtoull(f[5], NULL, 10);
		r->ul_packets = strtoull(f[6], NULL, 10);
		r->ul_bytes = strtoull(f[7], NULL, 10);
	}
out:
	free(copy);
	if (err)
		watch_sample_free(s);
	return err;
}

void watch_sample_free(struct watch_sample *s)
{
	free(s->rows);
	s->rows = NULL;
	s->n = 0;
}

const char *watch_si(double v, char *buf, size_t len)
{
	static const char unit[] = " kMGT";
	int u = 0;

	while (v >= SI_STEP && u < (int)sizeof(unit) - 2) {
		v /= SI_STEP;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.2f%c", v, unit[u]);
	return buf;
}

static const struct watch_row *find_row(const struct watch_sample *s, const struct watch_row *r)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (s->rows[i].bid == r->bid && !strcmp(s->rows[i].mn_id, r->mn_id))
			return &s->rows[i];
	return NULL;
}

/* A counter that went backwards (the binding was re-created) restarts */
static double rate(uint64_t now, uint64_t before, double dt_s)
{
	return now >= before && dt_s > 0 ? (double)(now - before) / dt_s : 0;
}

void watch_render(FILE *out, const struct watch_sample *prev, const struct watch_sample *cur,
		  bool json)
{
	double dt = prev && cur->time_ms > prev->time_ms ?
		    (double)(cur->time_ms - prev->time_ms) / MS_PER_S : 0;

	if (json)
		fprintf(out, "{\"time_ms\":%" PRIu64 ",\"interval_s\":%.3f,\"bindings\":[",
			cur->time_ms, dt);
	else
		fprintf(out, "%-28s %5s %-13s %-26s %9s %10s %9s %10s %12s %12s\n", "MN-ID", "BID",
			"STATE", "PEER", "DL-PPS", "DL-BIT/S", "UL-PPS", "UL-BIT/S", "DL-BYTES",
			"UL-BYTES");
	for (size_t i = 0; i < cur->n; i++) {
		const struct watch_row *r = &cur->rows[i], *p = find_row(prev, r);
		double dpps = p ? rate(r->dl_packets, p->dl_packets, dt) : 0;
		double dbps = p ? rate(r->dl_bytes, p->dl_bytes, dt) * BITS_PER_BYTE : 0;
		double upps = p ? rate(r->ul_packets, p->ul_packets, dt) : 0;
		double ubps = p ? rate(r->ul_bytes, p->ul_bytes, dt) * BITS_PER_BYTE : 0;
		char a[16], b[16], c[16], d[16];

		if (json) {
			fprintf(out, "%s{\"mn_id\":", i ? "," : "");
			xp_json_str(out, r->mn_id);
			fprintf(out, ",\"bid\":%u,\"state\":\"%s\",\"peer\":\"%s\",\"dl_packets\":%" PRIu64
				",\"dl_bytes\":%" PRIu64 ",\"ul_packets\":%" PRIu64 ",\"ul_bytes\":%" PRIu64
				",\"dl_pps\":%.1f,\"dl_bps\":%.1f,\"ul_pps\":%.1f,\"ul_bps\":%.1f}",
				r->bid, r->state, r->peer, r->dl_packets, r->dl_bytes, r->ul_packets,
				r->ul_bytes, dpps, dbps, upps, ubps);
			continue;
		}
		if (!p || dt <= 0) {
			snprintf(a, sizeof(a), "-");
			snprintf(b, sizeof(b), "-");
			snprintf(c, sizeof(c), "-");
			snprintf(d, sizeof(d), "-");
		} else {
			watch_si(dpps, a, sizeof(a));
			watch_si(dbps, b, sizeof(b));
			watch_si(upps, c, sizeof(c));
			watch_si(ubps, d, sizeof(d));
		}
		fprintf(out, "%-28s %5u %-13s %-26s %9s %10s %9s %10s %12" PRIu64 " %12" PRIu64 "\n",
			r->mn_id, r->bid, r->state, r->peer, a, b, c, d, r->dl_bytes, r->ul_bytes);
	}
	if (json)
		fprintf(out, "],\"count\":%zu}\n", cur->n);
	else
		fprintf(out, "(%zu bindings%s)\n", cur->n, prev ? "" : "; rates from the next sample");
}

static volatile sig_atomic_t watch_stop;

static void on_sigint(int sig)
{
	(void)sig;
	watch_stop = 1;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: xpmipctl [--instance NAME] watch [--interval SECONDS] [--count N] "
		"[--json]\n"
		"  live bindings and per-binding traffic with rates; Ctrl-C stops\n"
		"  --count N   stop after N samples (scripts); --json one JSON object per sample\n");
}

int ctl_watch_main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *req[] = { "traffic", "--raw", NULL };
	struct watch_sample prev = { 0 }, cur;
	bool have_prev = false, json = false, tty = isatty(STDOUT_FILENO);
	long interval_ms = DEFAULT_INTERVAL_MS, count = 0;
	int opt, rc = 0;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "i:c:jh", lo, NULL)) != -1) {
		switch (opt) {
		case 'i': interval_ms = (long)(strtod(optarg, NULL) * MS_PER_S); break;
		case 'c': count = strtol(optarg, NULL, 10); break;
		case 'j': json = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || interval_ms < MIN_INTERVAL_MS || count < 0) {
		usage(stderr);
		return 2;
	}
	signal(SIGINT, on_sigint);
	signal(SIGTERM, on_sigint);
	for (long n = 0; !watch_stop && (!count || n < count); n++) {
		char *body;
		size_t len;
		int st;

		if (n) {
			struct timespec ts = { .tv_sec = interval_ms / 1000,
					       .tv_nsec = (interval_ms % 1000) * 1000000L };

			nanosleep(&ts, NULL);
			if (watch_stop)
				break;
		}
		st = ctl_daemon_fetch(2, req, &body, &len);
		if (st) {
			if (st > 0)
				fprintf(stderr, "xpmipctl: watch: %s", body && len ? body : strerror(st));
			free(body);
			rc = 1;
			break;
		}
		st = watch_parse(body, &cur);
		free(body);
		if (st) {
			fprintf(stderr, "xpmipctl: watch: unexpected answer from the daemon\n");
			rc = 1;
			break;
		}
		if (tty && !json)
			fputs(CLEAR_SCREEN, stdout);
		if (!json) {
			time_t t = time(NULL);
			char tb[32];

			strftime(tb, sizeof(tb), "%Y-%m-%d %H:%M:%S", localtime(&t));
			printf("xpmipctl watch  %s  every %.1f s\n", tb, (double)interval_ms / MS_PER_S);
		}
		watch_render(stdout, have_prev ? &prev : NULL, &cur, json);
		fflush(stdout);
		if (have_prev)
			watch_sample_free(&prev);
		prev = cur;
		have_prev = true;
	}
	if (have_prev)
		watch_sample_free(&prev);
	return rc;
}
