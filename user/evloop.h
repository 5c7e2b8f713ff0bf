/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * evloop.h - the daemon's single event loop: epoll for file descriptors,
 * one timerfd driving a binary heap of timers (so 1M binding lifetimes cost
 * one kernel timer), signalfd for SIGTERM/SIGINT/SIGHUP.
 *
 * Timers are embedded in their owner (struct ev_timer inside a binding);
 * the loop never allocates per timer. Times are CLOCK_MONOTONIC ms.
 */
#ifndef XPMIP_EVLOOP_H
#define XPMIP_EVLOOP_H

#include <stdbool.h>
#include <stdint.h>

struct evloop;

typedef void (*ev_fd_cb)(void *ctx, int fd, uint32_t events);
typedef void (*ev_timer_cb)(void *ctx);

struct ev_timer {
	uint64_t deadline_ms;
	ev_timer_cb cb;
	void *ctx;
	int32_t heap_idx;		/* -1 when not armed */
};

int evloop_new(struct evloop **out);
void evloop_free(struct evloop *ev);

/* events: EPOLLIN / EPOLLOUT ... */
int evloop_add_fd(struct evloop *ev, int fd, uint32_t events, ev_fd_cb cb, void *ctx);
int evloop_del_fd(struct evloop *ev, int fd);

void ev_timer_init(struct ev_timer *t, ev_timer_cb cb, void *ctx);
/* Arm (or re-arm) t to fire delay_ms from now / at an absolute deadline */
int evloop_timer_arm(struct evloop *ev, struct ev_timer *t, uint64_t delay_ms);
int evloop_timer_arm_at(struct evloop *ev, struct ev_timer *t, uint64_t deadline_ms);
void evloop_timer_cancel(struct evloop *ev, struct ev_timer *t);
static inline bool ev_timer_armed(const struct ev_timer *t) { return t->heap_idx >= 0; }

/* CLOCK_MONOTONIC in ms; CLOCK_REALTIME conversions are the caller's */
uint64_t evloop_now_ms(void);

/* Called on SIGHUP (reload request); NULL ignores it */
void evloop_on_sighup(struct evloop *ev, void (*cb)(void *ctx), void *ctx);

/* Run until evloop_stop() or SIGTERM/SIGINT. Returns 0, or -errno on a
 * loop failure. */
int evloop_run(struct evloop *ev);
void evloop_stop(struct evloop *ev);

/* One round: wait up to timeout_ms (-1 forever) and dispatch what is ready.
 * Returns the number of events handled (>= 0) or -errno. For tests. */
int evloop_run_once(struct evloop *ev, int timeout_ms);
/* Number of armed timers */
uint32_t evloop_timers_armed(const struct evloop *ev);

#endif /* XPMIP_EVLOOP_H */
