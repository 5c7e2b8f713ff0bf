/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * pbu_send - build one Proxy Binding Update with the project's codec, send
 * it on a raw Mobility Header socket, wait for the PBA and print it.
 *
 *   pbu_send --src ADDR [--dst LMA] [options]
 *
 * Every option of the PBU can be set or left out, to provoke each status:
 *   --mnid NAI | --no-mnid        MN Identifier (default mn1@xpmip.example)
 *   --mnid-subtype N              MN-ID subtype (default 1, NAI)
 *   --hi N | --no-hi              Handoff Indicator (default 1)
 *   --att N | --no-att            Access Technology Type (default 4, 802.11)
 *   --hnp PREFIX/LEN (repeatable) | --no-hnp   (default one ::/0: "assign")
 *   --llid HEX                    MN Link-layer Identifier (no IFP/P flags)
 *   --timestamp now|none|SECONDS  Timestamp option (default now)
 *   --ts-offset-ms N              add N ms (negative: older) to the timestamp
 *   --seq N                       sequence number (default: from the clock)
 *   --lifetime S                  seconds (sent in 4 s units; 0 de-registers)
 *   --flags HEX                   BU flags (default A|H|P = 0xc200)
 *   --timeout MS                  how long to wait for the PBA (default 2000)
 *   --any-seq                     accept a PBA whatever its sequence number
 *   --json                        print the PBA as one JSON object
 *   --expect-status N             exit 3 if the PBA status is not N
 *
 * Output (text): "PBA status N NAME" then one line per decoded field.
 * Exit: 0 a PBA arrived (and matched --expect-status), 1 no PBA before the
 * timeout, 2 usage or socket error, 3 unexpected status.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mh_codec.h"
#include "xpmip_wire.h"

/* "PBA_ACCEPTED" for 0 keeps the output readable in test logs */
static const char *status_name(int s)
{
	return s == XP_PBA_ACCEPTED ? "PBA_ACCEPTED" : mh_pba_status_name((uint8_t)s);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: pbu_send --src ADDR [--dst LMA] [--mnid NAI|--no-mnid] [--mnid-subtype N]\n"
		"  [--hi N|--no-hi] [--att N|--no-att] [--hnp P/L ...|--no-hnp] [--llid HEX]\n"
		"  [--timestamp now|none|SECONDS] [--ts-offset-ms N] [--seq N] [--lifetime S]\n"
		"  [--flags HEX] [--timeout MS] [--any-seq] [--json] [--expect-status N]\n");
	exit(2);
}

static int parse_addr(const char *s, struct in6_addr *a)
{
	if (inet_pton(AF_INET6, s, a) != 1) {
		fprintf(stderr, "pbu_send: bad IPv6 address '%s'\n", s);
		exit(2);
	}
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void ts_str(uint64_t ts, char *out, size_t n)
{
	snprintf(out, n, "%" PRIu64 ".%04" PRIu64, ts >> 16, ((ts & 0xffff) * 10000) >> 16);
}

static void print_pba(const struct mh_msg *m, const struct in6_addr *from, bool json)
{
	const struct mh_opts *o = &m->opt;
	char a[INET6_ADDRSTRLEN], tsb[64];
	int st = m->ba.status;

	inet_ntop(AF_INET6, from, a, sizeof(a));
	if (json) {
		printf("{\"status\":%d,\"status_name\":\"%s\",\"from\":\"%s\",\"seq\":%u,"
		       "\"lifetime_s\":%u,\"flags\":%u", st, status_name(st), a, m->ba.seq,
		       m->ba.lifetime * XP_LIFETIME_UNIT_S, m->ba.flags);
		if (o->present & MH_HAS_MN_ID)
			printf(",\"mn_id\":\"%s\"", (const char *)o->mnid);
		printf(",\"hnps\":[");
		for (int i = 0; i < o->n_hnp; i++) {
			inet_ntop(AF_INET6, &o->hnp[i].prefix, a, sizeof(a));
			printf("%s\"%s/%u\"", i ? "," : "", a, o->hnp[i].plen);
		}
		printf("]");
		if (o->present & MH_HAS_HI)
			printf(",\"hi\":%u", o->hi);
		if (o->present & MH_HAS_ATT)
			printf(",\"att\":%u", o->att);
		if (o->present & MH_HAS_TIMESTAMP) {
			ts_str(o->timestamp, tsb, sizeof(tsb));
			printf(",\"timestamp\":%s", tsb);
		}
		if (o->present & MH_HAS_MN_LLID) {
			printf(",\"mn_llid\":\"");
			for (int i = 0; i < o->llid_len; i++)
				printf("%02x", o->llid[i]);
			printf("\"");
		}
		printf("}\n");
		return;
	}
	printf("PBA status %d %s\n", st, status_name(st));
	printf("  from      %s\n", a);
	printf("  seq       %u\n", m->ba.seq);
	printf("  lifetime  %u s\n", m->ba.lifetime * XP_LIFETIME_UNIT_S);
	printf("  flags     0x%02x%s%s%s\n", m->ba.flags,
	       m->ba.flags & XP_BA_F_K ? " K" : "", m->ba.flags & XP_BA_F_R ? " R" : "",
	       m->ba.flags & XP_BA_F_P ? " P" : "");
	if (o->present & MH_HAS_MN_ID)
		printf("  mn-id     %s\n", (const char *)o->mnid);
	for (int i = 0; i < o->n_hnp; i++) {
		inet_ntop(AF_INET6, &o->hnp[i].prefix, a, sizeof(a));
		printf("  hnp       %s/%u\n", a, o->hnp[i].plen);
	}
	if (o->present & MH_HAS_HI)
		printf("  hi        %u\n", o->hi);
	if (o->present & MH_HAS_ATT)
		printf("  att       %u\n", o->att);
	if (o->present & MH_HAS_TIMESTAMP) {
		ts_str(o->timestamp, tsb, sizeof(tsb));
		printf("  timestamp %s\n", tsb);
	}
	if (o->present & MH_HAS_MN_LLID) {
		printf("  mn-ll-id  ");
		for (int i = 0; i < o->llid_len; i++)
			printf("%02x", o->llid[i]);
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	enum { O_NO_MNID = 256, O_NO_HI, O_NO_ATT, O_NO_HNP, O_TS_OFF, O_ANY_SEQ, O_JSON,
	       O_EXPECT, O_MNID_SUB };
	static const struct option opts[] = {
		{ "src", required_argument, 0, 's' },
		{ "dst", required_argument, 0, 'd' },
		{ "mnid", required_argument, 0, 'm' },
		{ "no-mnid", no_argument, 0, O_NO_MNID },
		{ "mnid-subtype", required_argument, 0, O_MNID_SUB },
		{ "hi", required_argument, 0, 'i' },
		{ "no-hi", no_argument, 0, O_NO_HI },
		{ "att", required_argument, 0, 'a' },
		{ "no-att", no_argument, 0, O_NO_ATT },
		{ "hnp", required_argument, 0, 'p' },
		{ "no-hnp", no_argument, 0, O_NO_HNP },
		{ "llid", required_argument, 0, 'L' },
		{ "timestamp", required_argument, 0, 'T' },
		{ "ts-offset-ms", required_argument, 0, O_TS_OFF },
		{ "seq", required_argument, 0, 'q' },
		{ "lifetime", required_argument, 0, 'l' },
		{ "flags", required_argument, 0, 'f' },
		{ "timeout", required_argument, 0, 't' },
		{ "any-seq", no_argument, 0, O_ANY_SEQ },
		{ "json", no_argument, 0, O_JSON },
		{ "expect-status", required_argument, 0, O_EXPECT },
		{ "help", no_argument, 0, 'h' },
		{ 0 }
	};
	struct in6_addr src, dst;
	bool have_src = false, any_seq = false, json = false, no_hnp = false;
	const char *mnid = "mn1@xpmip.example", *ts_arg = "now";
	int hi = XP_HI_NEW_IF, att = XP_ATT_80211, mnid_sub = XP_MNID_SUBTYPE_NAI;
	long ts_off_ms = 0, timeout_ms = 2000, expect = -1;
	long seq = -1, lifetime = 3600, flags = XP_BU_F_A | XP_BU_F_H | XP_BU_F_P;
	struct mh_msg m;
	int c;

	parse_addr("2001:db8:ff::1", &dst);
	mh_msg_init(&m, XP_MH_TYPE_BU);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': parse_addr(optarg, &src); have_src = true; break;
		case 'd': parse_addr(optarg, &dst); break;
		case 'm': mnid = optarg; break;
		case O_NO_MNID: mnid = NULL; break;
		case O_MNID_SUB: mnid_sub = atoi(optarg); break;
		case 'i': hi = atoi(optarg); break;
		case O_NO_HI: hi = -1; break;
		case 'a': att = atoi(optarg); break;
		case O_NO_ATT: att = -1; break;
		case 'p': {
			char buf[128], *slash;
			struct in6_addr p;

			snprintf(buf, sizeof(buf), "%s", optarg);
			slash = strchr(buf, '/');
			if (!slash)
				usage();
			*slash = '\0';
			parse_addr(buf, &p);
			if (mh_add_hnp(&m, &p, (uint8_t)atoi(slash + 1), 0) != MH_OK)
				usage();
			break;
		}
		case O_NO_HNP: no_hnp = true; break;
		case 'L': {
			size_t n = strlen(optarg) / 2;

			if (n == 0 || n > MH_MAX_LLID_LEN || strlen(optarg) % 2)
				usage();
			for (size_t i = 0; i < n; i++) {
				int hv = hexval(optarg[2 * i]), lv = hexval(optarg[2 * i + 1]);

				if (hv < 0 || lv < 0)
					usage();
				m.opt.llid[i] = (uint8_t)(hv << 4 | lv);
			}
			m.opt.llid_len = (uint8_t)n;
			m.opt.present |= MH_HAS_MN_LLID;
			break;
		}
		case 'T': ts_arg = optarg; break;
		case O_TS_OFF: ts_off_ms = strtol(optarg, NULL, 0); break;
		case 'q': seq = strtol(optarg, NULL, 0); break;
		case 'l': lifetime = strtol(optarg, NULL, 0); break;
		case 'f': flags = strtol(optarg, NULL, 16); break;
		case 't': timeout_ms = strtol(optarg, NULL, 0); break;
		case O_ANY_SEQ: any_seq = true; break;
		case O_JSON: json = true; break;
		case O_EXPECT: expect = strtol(optarg, NULL, 0); break;
		default: usage();
		}
	}
	if (!have_src || optind != argc)
		usage();

	if (seq < 0) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seq = (ts.tv_sec * 1000 + ts.tv_nsec / 1000000) & 0xffff;
	}
	m.bu.seq = (uint16_t)seq;
	m.bu.flags = (uint16_t)flags;
	m.bu.lifetime = (uint16_t)((lifetime + XP_LIFETIME_UNIT_S - 1) / XP_LIFETIME_UNIT_S);
	if (mnid) {
		if (mh_set_mnid(&m, mnid) != MH_OK) {
			fprintf(stderr, "pbu_send: bad MN-ID '%s'\n", mnid);
			return 2;
		}
		m.opt.mnid_subtype = (uint8_t)mnid_sub;
	}
	if (hi >= 0) {
		m.opt.present |= MH_HAS_HI;
		m.opt.hi = (uint8_t)hi;
	}
	if (att >= 0) {
		m.opt.present |= MH_HAS_ATT;
		m.opt.att = (uint8_t)att;
	}
	if (no_hnp) {
		m.opt.n_hnp = 0;
	} else if (m.opt.n_hnp == 0) {
		struct in6_addr any = IN6ADDR_ANY_INIT;

		mh_add_hnp(&m, &any, 0, 0);
	}
	if (strcmp(ts_arg, "none")) {
		uint64_t ts;

		if (!strcmp(ts_arg, "now")) {
			ts = mh_timestamp_now();
		} else {
			double s = atof(ts_arg);

			ts = ((uint64_t)s << 16) | (uint64_t)((s - (uint64_t)s) * 65536.0);
		}
		/* 48.16 fixed point: ms * 65536 / 1000 */
		ts += (uint64_t)(ts_off_ms * 65536 / 1000);
		m.opt.present |= MH_HAS_TIMESTAMP;
		m.opt.timestamp = ts;
	}

	uint8_t buf[MH_MAX_MSG_LEN];
	int len = mh_encode(&m, buf, sizeof(buf));

	if (len < 0) {
		fprintf(stderr, "pbu_send: encode failed: %s\n", mh_strerror(len));
		return 2;
	}

	int fd = socket(AF_INET6, SOCK_RAW, IPPROTO_MH);
	int off = XP_MH_CSUM_OFFSET;
	struct sockaddr_in6 la = { .sin6_family = AF_INET6, .sin6_addr = src };
	struct sockaddr_in6 da = { .sin6_family = AF_INET6, .sin6_addr = dst };

	if (fd < 0) {
		perror("pbu_send: socket(IPPROTO_MH)");
		return 2;
	}
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_CHECKSUM, &off, sizeof(off)) < 0) {
		perror("pbu_send: IPV6_CHECKSUM");
		return 2;
	}
	if (bind(fd, (struct sockaddr *)&la, sizeof(la)) < 0) {
		perror("pbu_send: bind source");
		return 2;
	}
	if (sendto(fd, buf, len, 0, (struct sockaddr *)&da, sizeof(da)) < 0) {
		perror("pbu_send: sendto");
		return 2;
	}
	if (!json) {
		char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, &src, s, sizeof(s));
		inet_ntop(AF_INET6, &dst, d, sizeof(d));
		printf("PBU sent %s -> %s: seq %u, lifetime %ld s, %d octets\n", s, d,
		       m.bu.seq, lifetime, len);
	}

	uint64_t deadline = mono_ms() + timeout_ms;

	for (;;) {
		uint64_t now = mono_ms();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint8_t rb[MH_MAX_MSG_LEN];
		struct sockaddr_in6 from;
		socklen_t fl = sizeof(from);
		struct mh_msg r;
		size_t eoff;
		ssize_t n;
		int err;

		if (now >= deadline)
			break;
		if (poll(&p, 1, (int)(deadline - now)) <= 0)
			continue;
		n = recvfrom(fd, rb, sizeof(rb), 0, (struct sockaddr *)&from, &fl);
		if (n <= 0)
			continue;
		err = mh_decode(rb, n, &r, &eoff);
		if (err != MH_OK) {
			fprintf(stderr, "pbu_send: undecodable MH (%s at %zu), ignored\n",
				mh_strerror(err), eoff);
			continue;
		}
		if (r.type != XP_MH_TYPE_BA)
			continue;
		if (!any_seq && r.ba.seq != m.bu.seq) {
			fprintf(stderr, "pbu_send: PBA with seq %u (ours %u), ignored\n",
				r.ba.seq, m.bu.seq);
			continue;
		}
		print_pba(&r, &from.sin6_addr, json);
		close(fd);
		if (expect >= 0 && r.ba.status != expect) {
			fprintf(stderr, "pbu_send: expected status %ld %s, got %d %s\n", expect,
				status_name((int)expect), r.ba.status, status_name(r.ba.status));
			return 3;
		}
		return 0;
	}
	close(fd);
	fprintf(stderr, "pbu_send: no PBA within %ld ms\n", timeout_ms);
	if (json)
		printf("{\"status\":null,\"status_name\":\"NO_PBA\"}\n");
	return 1;
}
