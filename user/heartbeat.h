/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * heartbeat.h - RFC 5847 heartbeats between a MAG and its LMA: failure
 * detection and restart detection, for either role.
 *
 * Every heartbeat_interval_s the daemon sends a Heartbeat Request (MH type
 * 13, R = 0, a new 32-bit Sequence) to each peer and answers each request
 * it receives with a Response (R = 1, the request's Sequence). Both carry
 * the Restart Counter option with this daemon's counter (xpmip_hb_state.h).
 *
 *  - A peer that has not answered heartbeat_missing_limit requests in a
 *    row is declared down (one log line, event=peer-down); any valid
 *    heartbeat from it brings it back up (event=peer-up). Nothing else is
 *    done on "down": the user plane keeps forwarding, bindings run out by
 *    their lifetimes.
 *  - A peer whose Restart Counter differs from the one it sent before has
 *    restarted without its state (event=peer-restarted): ops->restarted is
 *    called at once, and ops->grace_over one grace period later
 *    (interval x missing_limit), with the CLOCK_REALTIME time of the
 *    detection, so that the role can drop what was not re-registered
 *    since then.
 *
 * Which peers: the MAG adds its LMA; the LMA adds every Proxy-CoA it
 * accepts a PBU from (and those of its restored bindings). Heartbeats from
 * a source that ops->authorized refuses are dropped and counted.
 */
#ifndef XPMIP_HEARTBEAT_H
#define XPMIP_HEARTBEAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

#define HB_MAX_PEERS		1024

struct evloop;
struct hb;

struct hb_ops {
	void *ctx;
	/* may this address be a heartbeat peer? */
	bool (*authorized)(void *ctx, const struct in6_addr *peer);
	/* the peer restarted without its state (may be NULL) */
	void (*restarted)(void *ctx, const struct in6_addr *peer);
	/* one grace period after a restart was detected at detected_rt_ms
	 * (may be NULL) */
	void (*grace_over)(void *ctx, const struct in6_addr *peer, uint64_t detected_rt_ms);
	/* send one message to peer; NULL: the MH socket (hb_params.mh_fd) */
	int (*send)(void *ctx, const struct in6_addr *peer, const uint8_t *buf, size_t len);
};

struct hb_params {
	struct evloop *ev;		/* NULL: no timer, the caller runs hb_tick */
	uint32_t interval_s;		/* 0: heartbeats off (hb_new gives NULL) */
	uint32_t missing_limit;
	int mh_fd;
	struct in6_addr local;		/* source of what we send */
	uint32_t restart_ctr;		/* from hb_restart_ctr_load() */
};

/* The pinned Restart Counter in dir: loaded (or seeded from the clock when
 * absent), incremented when started_without_state, stored. 0 or -errno
 * (the caller logs; -EPROTO: a pinned map of another layout). */
int hb_restart_ctr_load(const char *dir, bool started_without_state, uint32_t *out);
/* Unpin it (xpmipd --flush) */
void hb_restart_ctr_unpin(const char *dir);

/* *out = NULL and 0 when p->interval_s is 0 (heartbeats off) */
int hb_new(const struct hb_params *p, const struct hb_ops *ops, struct hb **out);
void hb_free(struct hb *hb);

/* Track peer (idempotent). 0, -EPERM (not authorised), -ENOSPC (table full) */
int hb_peer_add(struct hb *hb, const struct in6_addr *peer);

/* If buf is a Heartbeat and heartbeats are on (hb not NULL), handle it
 * (answer, liveness, restart detection) and return true; false: the
 * caller handles (and counts) the message. */
bool hb_on_mh(struct hb *hb, const uint8_t *buf, size_t len, const struct in6_addr *src);

/* One interval: count the unanswered, declare down, send the requests,
 * run the grace periods that are over. now_ms is CLOCK_MONOTONIC. */
void hb_tick(struct hb *hb, uint64_t now_ms, uint64_t now_rt_ms);

/* `xpmipctl peers [--json]` */
void hb_print(const struct hb *hb, FILE *out, bool json);

uint32_t hb_restart_ctr(const struct hb *hb);

enum hb_peer_state { HB_PEER_UNKNOWN = 0, HB_PEER_UP, HB_PEER_DOWN };
/* State of peer, HB_PEER_UNKNOWN when not tracked (tests) */
enum hb_peer_state hb_peer_state(const struct hb *hb, const struct in6_addr *peer);

#endif /* XPMIP_HEARTBEAT_H */
