// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * evloop.c - epoll + one timerfd driving a binary min-heap of embedded
 * timers + signalfd for SIGTERM/SIGINT/SIGHUP.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

#include "evloop.h"
#include "log.h"

#define EV_MAX_EVENTS	64
#define EV_HEAP_MIN	64
#define EV_FDS_MIN	64
#define MS_PER_S	1000ull
#define NS_PER_MS	1000000ull

struct ev_fd_reg {
	ev_fd_cb cb;
	void *ctx;
};

struct evloop {
	int epfd;
	int tfd;
	int sfd;
	bool stop;
	sigset_t old_mask;

	struct ev_timer **heap;
	uint32_t n_heap, cap_heap;
	uint64_t programmed;		/* deadline the timerfd holds, 0 = none */

	struct ev_fd_reg *fds;		/* indexed by fd */
	int cap_fds;

	void (*on_hup)(void *ctx);
	void *hup_ctx;
};

uint64_t evloop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * MS_PER_S + (uint64_t)ts.tv_nsec / NS_PER_MS;
}

int evloop_new(struct evloop **out)
{
	struct evloop *ev = calloc(1, sizeof(*ev));
	struct epoll_event ee = { .events = EPOLLIN };
	sigset_t mask;
	int err;

	if (!ev)
		return -ENOMEM;
	ev->epfd = ev->tfd = ev->sfd = -1;
	ev->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (ev->epfd < 0)
		goto fail;
	ev->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (ev->tfd < 0)
		goto fail;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, &ev->old_mask) < 0)
		goto fail;
	ev->sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (ev->sfd < 0) {
		err = errno;
		sigprocmask(SIG_SETMASK, &ev->old_mask, NULL);
		errno = err;
		goto fail;
	}
	ee.data.fd = ev->tfd;
	if (epoll_ctl(ev->epfd, EPOLL_CTL_ADD, ev->tfd, &ee) < 0)
		goto fail_sig;
	ee.data.fd = ev->sfd;
	if (epoll_ctl(ev->epfd, EPOLL_CTL_ADD, ev->sfd, &ee) < 0)
		goto fail_sig;
	*out = ev;
	return 0;

fail_sig:
	err = errno;
	sigprocmask(SIG_SETMASK, &ev->old_mask, NULL);
	errno = err;
fail:
	err = -errno;
	if (ev->sfd >= 0)
		close(ev->sfd);
	if (ev->tfd >= 0)
		close(ev->tfd);
	if (ev->epfd >= 0)
		close(ev->epfd);
	free(ev);
	return err;
}

void evloop_free(struct evloop *ev)
{
	if (!ev)
		return;
	for (uint32_t i = 0; i < ev->n_heap; i++)
		ev->heap[i]->heap_idx = -1;
	close(ev->sfd);
	close(ev->tfd);
	close(ev->epfd);
	sigprocmask(SIG_SETMASK, &ev->old_mask, NULL);
	free(ev->heap);
	free(ev->fds);
	free(ev);
}

int evloop_add_fd(struct evloop *ev, int fd, uint32_t events, ev_fd_cb cb, void *ctx)
{
	struct epoll_event ee = { .events = events, .data.fd = fd };

	if (fd < 0 || !cb)
		return -EINVAL;
	if (fd >= ev->cap_fds) {
		int ncap = ev->cap_fds ? ev->cap_fds : EV_FDS_MIN;
		struct ev_fd_reg *n;

		while (ncap <= fd)
			ncap *= 2;
		n = realloc(ev->fds, (size_t)ncap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		memset(n + ev->cap_fds, 0, (size_t)(ncap - ev->cap_fds) * sizeof(*n));
		ev->fds = n;
		ev->cap_fds = ncap;
	}
	if (epoll_ctl(ev->epfd, EPOLL_CTL_ADD, fd, &ee) < 0)
		return -errno;
	ev->fds[fd].cb = cb;
	ev->fds[fd].ctx = ctx;
	return 0;
}

int evloop_del_fd(struct evloop *ev, int fd)
{
	if (fd < 0 || fd >= ev->cap_fds || !ev->fds[fd].cb)
		return -ENOENT;
	ev->fds[fd].cb = NULL;
	ev->fds[fd].ctx = NULL;
	if (epoll_ctl(ev->epfd, EPOLL_CTL_DEL, fd, NULL) < 0)
		return -errno;
	return 0;
}

void ev_timer_init(struct ev_timer *t, ev_timer_cb cb, void *ctx)
{
	t->deadline_ms = 0;
	t->cb = cb;
	t->ctx = ctx;
	t->heap_idx = -1;
}

/* ---- binary min-heap on deadline_ms ---- */

static void heap_set(struct evloop *ev, uint32_t i, struct ev_timer *t)
{
	ev->heap[i] = t;
	t->heap_idx = (int32_t)i;
}

static void heap_up(struct evloop *ev, uint32_t i)
{
	struct ev_timer *t = ev->heap[i];

	while (i > 0) {
		uint32_t p = (i - 1) / 2;

		if (ev->heap[p]->deadline_ms <= t->deadline_ms)
			break;
		heap_set(ev, i, ev->heap[p]);
		i = p;
	}
	heap_set(ev, i, t);
}

static void heap_down(struct evloop *ev, uint32_t i)
{
	struct ev_timer *t = ev->heap[i];

	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = l;

		if (l >= ev->n_heap)
			break;
		if (r < ev->n_heap && ev->heap[r]->deadline_ms < ev->heap[l]->deadline_ms)
			m = r;
		if (t->deadline_ms <= ev->heap[m]->deadline_ms)
			break;
		heap_set(ev, i, ev->heap[m]);
		i = m;
	}
	heap_set(ev, i, t);
}

static void heap_remove(struct evloop *ev, struct ev_timer *t)
{
	uint32_t i = (uint32_t)t->heap_idx;
	struct ev_timer *last;

	t->heap_idx = -1;
	ev->n_heap--;
	if (i == ev->n_heap)
		return;
	last = ev->heap[ev->n_heap];
	heap_set(ev, i, last);
	if (i > 0 && ev->heap[(i - 1) / 2]->deadline_ms > last->deadline_ms)
		heap_up(ev, i);
	else
		heap_down(ev, i);
}

/* Point the timerfd at the earliest deadline (or disarm it) */
static int reprogram(struct evloop *ev)
{
	struct itimerspec its = { 0 };
	uint64_t want = ev->n_heap ? ev->heap[0]->deadline_ms : 0;

	if (want == ev->programmed)
		return 0;
	if (want) {
		/* 0 means "disarm" to timerfd: never program an absolute 0 */
		its.it_value.tv_sec = (time_t)(want / MS_PER_S);
		its.it_value.tv_nsec = (long)((want % MS_PER_S) * NS_PER_MS);
		if (!its.it_value.tv_sec && !its.it_value.tv_nsec)
			its.it_value.tv_nsec = 1;
	}
	if (timerfd_settime(ev->tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		return -errno;
	ev->programmed = want;
	return 0;
}

int evloop_timer_arm_at(struct evloop *ev, struct ev_timer *t, uint64_t deadline_ms)
{
	if (!t->cb)
		return -EINVAL;
	if (t->heap_idx >= 0) {
		uint64_t old = t->deadline_ms;

		t->deadline_ms = deadline_ms;
		if (deadline_ms < old)
			heap_up(ev, (uint32_t)t->heap_idx);
		else
			heap_down(ev, (uint32_t)t->heap_idx);
		return reprogram(ev);
	}
	if (ev->n_heap == ev->cap_heap) {
		uint32_t ncap = ev->cap_heap ? ev->cap_heap * 2 : EV_HEAP_MIN;
		struct ev_timer **n = realloc(ev->heap, (size_t)ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		ev->heap = n;
		ev->cap_heap = ncap;
	}
	t->deadline_ms = deadline_ms;
	heap_set(ev, ev->n_heap++, t);
	heap_up(ev, (uint32_t)t->heap_idx);
	return reprogram(ev);
}

int evloop_timer_arm(struct evloop *ev, struct ev_timer *t, uint64_t delay_ms)
{
	return evloop_timer_arm_at(ev, t, evloop_now_ms() + delay_ms);
}

void evloop_timer_cancel(struct evloop *ev, struct ev_timer *t)
{
	if (!t || t->heap_idx < 0 || (uint32_t)t->heap_idx >= ev->n_heap ||
	    ev->heap[t->heap_idx] != t)
		return;
	heap_remove(ev, t);
	reprogram(ev);
}

uint32_t evloop_timers_armed(const struct evloop *ev)
{
	return ev->n_heap;
}

void evloop_on_sighup(struct evloop *ev, void (*cb)(void *ctx), void *ctx)
{
	ev->on_hup = cb;
	ev->hup_ctx = ctx;
}

void evloop_stop(struct evloop *ev)
{
	ev->stop = true;
}

static void run_timers(struct evloop *ev)
{
	uint64_t tick;
	uint64_t now;

	/* drain the expiration count; spurious wakeups are harmless */
	while (read(ev->tfd, &tick, sizeof(tick)) > 0)
		;
	ev->programmed = 0;	/* the timerfd fired: it holds nothing now */
	now = evloop_now_ms();
	while (ev->n_heap && ev->heap[0]->deadline_ms <= now && !ev->stop) {
		struct ev_timer *t = ev->heap[0];

		heap_remove(ev, t);
		t->cb(t->ctx);
	}
	reprogram(ev);
}

static void run_signals(struct evloop *ev)
{
	struct signalfd_siginfo si;

	while (read(ev->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			ev_info("signal", NULL, -1, "sig=HUP");
			if (ev->on_hup)
				ev->on_hup(ev->hup_ctx);
		} else {
			ev_info("signal", NULL, -1, "sig=%s",
				si.ssi_signo == SIGTERM ? "TERM" : "INT");
			ev->stop = true;
		}
	}
}

int evloop_run_once(struct evloop *ev, int timeout_ms)
{
	struct epoll_event evs[EV_MAX_EVENTS];
	int n = epoll_wait(ev->epfd, evs, EV_MAX_EVENTS, timeout_ms);

	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n && !ev->stop; i++) {
		int fd = evs[i].data.fd;

		if (fd == ev->tfd)
			run_timers(ev);
		else if (fd == ev->sfd)
			run_signals(ev);
		else if (fd >= 0 && fd < ev->cap_fds && ev->fds[fd].cb)
			ev->fds[fd].cb(ev->fds[fd].ctx, fd, evs[i].events);
	}
	/* a timer armed in the past by a callback fires on the next round */
	if (ev->n_heap && ev->heap[0]->deadline_ms <= evloop_now_ms() && !ev->stop) {
		ev->programmed = 0;
		return reprogram(ev);
	}
	return n;
}

int evloop_run(struct evloop *ev)
{
	ev->stop = false;
	while (!ev->stop) {
		int rc = evloop_run_once(ev, -1);

		if (rc < 0) {
			ev_err("evloop-failed", NULL, -1, "err=%s", XP_LOGERR(-rc));
			return rc;
		}
	}
	return 0;
}
