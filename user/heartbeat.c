// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * heartbeat.c - RFC 5847 failure and restart detection (see heartbeat.h).
 *
 * One timer per daemon ticks every interval and walks the peer table (a
 * small array: an LMA has one entry per MAG, a MAG one for its LMA). The
 * request of the previous tick still unanswered at the next tick counts
 * one missed heartbeat, so "down" is declared missing_limit intervals after
 * the last answer, give or take one interval.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "evloop.h"
#include "heartbeat.h"
#include "log.h"
#include "mh_codec.h"
#include "mh_sock.h"
#include "sigdrop.h"
#include "statemap.h"
#include "xpmip_hb_state.h"

#define HB_MS_PER_S		1000ull
#define HB_NS_PER_MS		1000000ull
#define HB_MSG_MAX		64	/* header + body + Restart Counter + padding */
#define HB_PEERS_INIT		4

struct hb_peer {
	struct in6_addr addr;
	enum hb_peer_state state;
	uint32_t missed;		/* requests unanswered in a row */
	uint32_t seq_sent;		/* of the outstanding request */
	bool awaiting;
	bool rc_known;
	uint32_t rc;			/* its Restart Counter, as last seen */
	uint64_t last_rx_ms;		/* CLOCK_MONOTONIC, 0: never */
	uint64_t grace_ms;		/* CLOCK_MONOTONIC end of a restart grace, 0: none */
	uint64_t detected_rt_ms;	/* CLOCK_REALTIME of the restart detection */
	uint64_t tx, rx, restarts, downs;
};

struct hb {
	struct hb_params p;
	struct hb_ops ops;
	struct ev_timer timer;
	struct hb_peer *peers;
	size_t n_peers, cap_peers;
	uint32_t next_seq;
};

static uint64_t realtime_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * HB_MS_PER_S + (uint64_t)ts.tv_nsec / HB_NS_PER_MS;
}

static const char *a2s(const struct in6_addr *a, char buf[INET6_ADDRSTRLEN])
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

/* ---- the pinned Restart Counter ---- */

int hb_restart_ctr_load(const char *dir, bool started_without_state, uint32_t *out)
{
	static const struct xp_state_map_spec spec = {
		.name = XP_MAP_HBRC, .key_size = sizeof(__u32),
		.value_size = sizeof(struct xp_hbrc_val), .max_entries = XP_HBRC_MAX_ENTRIES,
		.lost = "restart counter",
	};
	__u32 key = XP_HBRC_KEY;
	struct xp_hbrc_val v;
	const char *why;
	int fd, err = 0;

	fd = xp_state_map_open(dir, &spec);
	if (fd < 0)
		return fd;
	if (bpf_map_lookup_elem(fd, &key, &v)) {
		memset(&v, 0, sizeof(v));
		/* no counter of a previous run: one a peer cannot remember */
		v.restart_ctr = (__u32)(realtime_ms() / HB_MS_PER_S);
		v.changed_rt_ms = realtime_ms();
		why = "seeded";
	} else if (started_without_state) {
		v.restart_ctr++;
		v.changed_rt_ms = realtime_ms();
		why = "state-lost";
	} else {
		why = "state-restored";
	}
	v.starts++;
	if (bpf_map_update_elem(fd, &key, &v, BPF_ANY))
		err = -errno;
	close(fd);
	if (err)
		return err;
	ev_info("restart-counter", NULL, -1, "value=%u reason=%s starts=%u", v.restart_ctr, why,
		v.starts);
	*out = v.restart_ctr;
	return 0;
}

void hb_restart_ctr_unpin(const char *dir)
{
	char path[320];

	snprintf(path, sizeof(path), "%s/%s", dir, XP_MAP_HBRC);
	if (unlink(path) && errno != ENOENT)
		ev_warn("state-unpin-failed", NULL, -1, "map=%s err=%s", path, XP_LOGERR(errno));
}

/* ---- peers ---- */

static struct hb_peer *peer_find(const struct hb *hb, const struct in6_addr *a)
{
	for (size_t i = 0; i < hb->n_peers; i++)
		if (!memcmp(&hb->peers[i].addr, a, sizeof(*a)))
			return &hb->peers[i];
	return NULL;
}

int hb_peer_add(struct hb *hb, const struct in6_addr *peer)
{
	struct hb_peer *p;
	char ab[INET6_ADDRSTRLEN];

	if (!hb || peer_find(hb, peer))
		return 0;
	if (hb->ops.authorized && !hb->ops.authorized(hb->ops.ctx, peer))
		return -EPERM;
	if (hb->n_peers >= HB_MAX_PEERS) {
		xp_sigdrop_count(XP_SD_HB_PEERS_FULL);
		return -ENOSPC;
	}
	if (hb->n_peers == hb->cap_peers) {
		size_t nc = hb->cap_peers ? hb->cap_peers * 2 : HB_PEERS_INIT;
		struct hb_peer *np = realloc(hb->peers, nc * sizeof(*np));

		if (!np)
			return -ENOMEM;
		hb->peers = np;
		hb->cap_peers = nc;
	}
	p = &hb->peers[hb->n_peers++];
	memset(p, 0, sizeof(*p));
	p->addr = *peer;
	ev_info("peer-added", NULL, -1, "peer=%s", a2s(peer, ab));
	return 0;
}

enum hb_peer_state hb_peer_state(const struct hb *hb, const struct in6_addr *peer)
{
	const struct hb_peer *p = hb ? peer_find(hb, peer) : NULL;

	return p ? p->state : HB_PEER_UNKNOWN;
}

uint32_t hb_restart_ctr(const struct hb *hb)
{
	return hb ? hb->p.restart_ctr : 0;
}

/* ---- messages ---- */

static int hb_send(struct hb *hb, struct hb_peer *p, uint8_t flags, uint32_t seq)
{
	static struct mh_msg m;		/* large (option arrays): not on the stack */
	uint8_t buf[HB_MSG_MAX];
	int n, err;

	mh_msg_init(&m, XP_MH_TYPE_HB);
	m.hb.flags = flags;
	m.hb.seq = seq;
	m.opt.present |= MH_HAS_RESTART_CTR;
	m.opt.restart_ctr = hb->p.restart_ctr;
	n = mh_encode(&m, buf, sizeof(buf));
	if (n < 0)
		return -EINVAL;
	if (hb->ops.send)
		err = hb->ops.send(hb->ops.ctx, &p->addr, buf, (size_t)n);
	else
		err = mh_sock_send(hb->p.mh_fd, &hb->p.local, &p->addr, buf, (size_t)n);
	if (err)
		xp_sigdrop_count(XP_SD_SEND_FAILED);
	else
		p->tx++;
	return err;
}

static void peer_alive(struct hb *hb, struct hb_peer *p, uint64_t now)
{
	char ab[INET6_ADDRSTRLEN];

	if (p->state != HB_PEER_UP)
		ev_info("peer-up", NULL, -1, "peer=%s was=%s", a2s(&p->addr, ab),
			p->state == HB_PEER_DOWN ? "down" : "unknown");
	p->state = HB_PEER_UP;
	p->missed = 0;
	p->last_rx_ms = now;
	(void)hb;
}

static void peer_restart_ctr(struct hb *hb, struct hb_peer *p, uint32_t rc, uint64_t now)
{
	char ab[INET6_ADDRSTRLEN];

	if (p->rc_known && p->rc != rc) {
		p->restarts++;
		p->detected_rt_ms = realtime_ms();
		p->grace_ms = now + (uint64_t)hb->p.interval_s * hb->p.missing_limit * HB_MS_PER_S;
		ev_warn("peer-restarted", NULL, -1, "peer=%s restart_counter=%u->%u grace_s=%u",
			a2s(&p->addr, ab), p->rc, rc, hb->p.interval_s * hb->p.missing_limit);
		p->rc = rc;
		if (hb->ops.restarted)
			hb->ops.restarted(hb->ops.ctx, &p->addr);
		return;
	}
	p->rc = rc;
	p->rc_known = true;
}

bool hb_on_mh(struct hb *hb, const uint8_t *buf, size_t len, const struct in6_addr *src)
{
	static struct mh_msg m;		/* large: not on the stack; read once below */
	struct hb_peer *p;
	char ab[INET6_ADDRSTRLEN];
	uint32_t seq, rc;
	uint8_t flags;
	bool has_rc;
	uint64_t now;
	size_t off = 0;
	int err;

	/* heartbeats off: the role's own decoder counts the message */
	if (!hb || len <= XP_MOPT_HDR_LEN || buf[2] != XP_MH_TYPE_HB)
		return false;
	if ((err = mh_decode(buf, len, &m, &off))) {
		xp_sigdrop_count(XP_SD_MALFORMED);
		ev_warn("mh-malformed", NULL, -1, "peer=%s type=HB err=%s offset=%zu", a2s(src, ab),
			mh_strerror(err), off);
		return true;
	}
	/* the answer below may re-enter (tests send back to back) */
	flags = m.hb.flags;
	seq = m.hb.seq;
	has_rc = m.opt.present & MH_HAS_RESTART_CTR;
	rc = m.opt.restart_ctr;
	if (hb->ops.authorized && !hb->ops.authorized(hb->ops.ctx, src)) {
		xp_sigdrop_count(XP_SD_HB_UNAUTH);
		ev_debug("hb-dropped", NULL, -1, "peer=%s reason=not-a-peer", a2s(src, ab));
		return true;
	}
	now = evloop_now_ms();
	p = peer_find(hb, src);
	if (!(flags & XP_HB_F_R)) {
		/* a request: a new peer may introduce itself this way */
		if (!p && !hb_peer_add(hb, src))
			p = peer_find(hb, src);
		if (!p)
			return true;	/* counted by hb_peer_add */
	} else if (!p || (!(flags & XP_HB_F_U) && (!p->awaiting || seq != p->seq_sent))) {
		xp_sigdrop_count(XP_SD_HB_UNMATCHED);
		ev_debug("hb-dropped", NULL, -1, "peer=%s seq=%u reason=no-outstanding-request",
			 a2s(src, ab), seq);
		return true;
	} else if (!(flags & XP_HB_F_U)) {
		p->awaiting = false;
	}
	p->rx++;
	peer_alive(hb, p, now);
	if (has_rc)
		peer_restart_ctr(hb, p, rc, now);
	if (!(flags & XP_HB_F_R))
		hb_send(hb, p, XP_HB_F_R, seq);
	return true;
}

void hb_tick(struct hb *hb, uint64_t now, uint64_t now_rt)
{
	char ab[INET6_ADDRSTRLEN];

	(void)now_rt;
	for (size_t i = 0; i < hb->n_peers; i++) {
		struct hb_peer *p = &hb->peers[i];

		if (p->grace_ms && now >= p->grace_ms) {
			p->grace_ms = 0;
			if (hb->ops.grace_over)
				hb->ops.grace_over(hb->ops.ctx, &p->addr, p->detected_rt_ms);
		}
		if (p->awaiting && ++p->missed >= hb->p.missing_limit && p->state != HB_PEER_DOWN) {
			p->state = HB_PEER_DOWN;
			p->downs++;
			ev_warn("peer-down", NULL, -1, "peer=%s missed=%u last_seen_ms_ago=%lld",
				a2s(&p->addr, ab), p->missed,
				p->last_rx_ms ? (long long)(now - p->last_rx_ms) : -1LL);
		}
		p->seq_sent = hb->next_seq++;
		p->awaiting = true;
		hb_send(hb, p, 0, p->seq_sent);
	}
}

static void on_timer(void *ctx)
{
	struct hb *hb = ctx;

	hb_tick(hb, evloop_now_ms(), realtime_ms());
	evloop_timer_arm(hb->p.ev, &hb->timer, (uint64_t)hb->p.interval_s * HB_MS_PER_S);
}

int hb_new(const struct hb_params *p, const struct hb_ops *ops, struct hb **out)
{
	struct hb *hb;

	*out = NULL;
	if (!p->interval_s)
		return 0;
	hb = calloc(1, sizeof(*hb));
	if (!hb)
		return -ENOMEM;
	hb->p = *p;
	if (!hb->p.missing_limit)
		hb->p.missing_limit = 1;
	if (ops)
		hb->ops = *ops;
	hb->next_seq = (uint32_t)realtime_ms() ^ (uint32_t)getpid();
	ev_timer_init(&hb->timer, on_timer, hb);
	if (hb->p.ev)
		evloop_timer_arm(hb->p.ev, &hb->timer, 0);
	ev_info("heartbeat-started", NULL, -1, "interval_s=%u missing_limit=%u restart_counter=%u",
		hb->p.interval_s, hb->p.missing_limit, hb->p.restart_ctr);
	*out = hb;
	return 0;
}

void hb_free(struct hb *hb)
{
	if (!hb)
		return;
	if (hb->p.ev)
		evloop_timer_cancel(hb->p.ev, &hb->timer);
	free(hb->peers);
	free(hb);
}

static const char *state_name(enum hb_peer_state s)
{
	return s == HB_PEER_UP ? "up" : s == HB_PEER_DOWN ? "down" : "unknown";
}

void hb_print(const struct hb *hb, FILE *out, bool json)
{
	uint64_t now = evloop_now_ms();
	char ab[INET6_ADDRSTRLEN];

	if (!hb) {
		if (json)
			fprintf(out, "{\"heartbeat\":\"off\",\"peers\":[],\"count\":0}\n");
		else
			fprintf(out, "heartbeats off (heartbeat_interval_s = 0)\n");
		return;
	}
	if (json)
		fprintf(out, "{\"heartbeat\":\"on\",\"interval_s\":%u,\"missing_limit\":%u,"
			"\"restart_counter\":%u,\"peers\":[", hb->p.interval_s, hb->p.missing_limit,
			hb->p.restart_ctr);
	else
		fprintf(out, "restart counter %u, interval %u s, down after %u missed\n"
			"%-40s %-7s %6s %12s %8s %5s %12s %8s %8s\n", hb->p.restart_ctr,
			hb->p.interval_s, hb->p.missing_limit, "PEER", "STATE", "MISSED",
			"RESTART-CTR", "RESTARTS", "DOWNS", "LAST-SEEN-MS", "TX", "RX");
	for (size_t i = 0; i < hb->n_peers; i++) {
		const struct hb_peer *p = &hb->peers[i];
		long long seen = p->last_rx_ms ? (long long)(now - p->last_rx_ms) : -1;

		a2s(&p->addr, ab);
		if (json) {
			fprintf(out, "%s{\"peer\":\"%s\",\"state\":\"%s\",\"missed\":%u,", i ? "," : "",
				ab, state_name(p->state), p->missed);
			if (p->rc_known)
				fprintf(out, "\"restart_counter\":%u,", p->rc);
			else
				fprintf(out, "\"restart_counter\":null,");
			fprintf(out, "\"restarts\":%llu,\"downs\":%llu,\"last_seen_ms_ago\":%lld,"
				"\"tx\":%llu,\"rx\":%llu}", (unsigned long long)p->restarts,
				(unsigned long long)p->downs, seen, (unsigned long long)p->tx,
				(unsigned long long)p->rx);
		} else {
			char rc[16];

			if (p->rc_known)
				snprintf(rc, sizeof(rc), "%u", p->rc);
			else
				snprintf(rc, sizeof(rc), "-");
			fprintf(out, "%-40s %-7s %6u %12s %8llu %5llu %12lld %8llu %8llu\n", ab,
				state_name(p->state), p->missed, rc, (unsigned long long)p->restarts,
				(unsigned long long)p->downs, seen, (unsigned long long)p->tx,
				(unsigned long long)p->rx);
		}
	}
	if (json)
		fprintf(out, "],\"count\":%zu}\n", hb->n_peers);
	else
		fprintf(out, "(%zu peers)\n", hb->n_peers);
}
