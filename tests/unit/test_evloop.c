// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Event loop: timer ordering, cancel, re-arm, 100k timers, fds, signals. */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/epoll.h>

#include "evloop.h"

#define MANY_TIMERS	100000
#define SPREAD_MS	50

struct rec {
	struct evloop *ev;
	int order[16];
	int n;
	int stop_after;
};

struct tctx {
	struct rec *r;
	int id;
};

static void rec_cb(void *ctx)
{
	struct tctx *t = ctx;

	t->r->order[t->r->n++] = t->id;
	if (t->r->n == t->r->stop_after)
		evloop_stop(t->r->ev);
}

Test(evloop, timers_fire_in_deadline_order)
{
	struct evloop *ev;
	struct rec r = { .stop_after = 4 };
	struct tctx c[4];
	struct ev_timer t[4];
	const uint64_t delays[4] = { 40, 10, 30, 20 };

	cr_assert_eq(evloop_new(&ev), 0);
	r.ev = ev;
	uint64_t start = evloop_now_ms();
	for (int i = 0; i < 4; i++) {
		c[i] = (struct tctx){ &r, i };
		ev_timer_init(&t[i], rec_cb, &c[i]);
		cr_assert_not(ev_timer_armed(&t[i]));
		cr_assert_eq(evloop_timer_arm(ev, &t[i], delays[i]), 0);
		cr_assert(ev_timer_armed(&t[i]));
	}
	cr_assert_eq(evloop_run(ev), 0);
	cr_assert_geq(evloop_now_ms() - start, 40);
	cr_assert_eq(r.n, 4);
	cr_assert_eq(r.order[0], 1);
	cr_assert_eq(r.order[1], 3);
	cr_assert_eq(r.order[2], 2);
	cr_assert_eq(r.order[3], 0);
	for (int i = 0; i < 4; i++)
		cr_assert_not(ev_timer_armed(&t[i]));
	evloop_free(ev);
}

Test(evloop, cancel_and_rearm)
{
	struct evloop *ev;
	struct rec r = { .stop_after = 2 };
	struct tctx c[3];
	struct ev_timer t[3];

	cr_assert_eq(evloop_new(&ev), 0);
	r.ev = ev;
	for (int i = 0; i < 3; i++) {
		c[i] = (struct tctx){ &r, i };
		ev_timer_init(&t[i], rec_cb, &c[i]);
	}
	evloop_timer_arm(ev, &t[0], 10);
	evloop_timer_arm(ev, &t[1], 20);
	evloop_timer_arm(ev, &t[2], 30);
	cr_assert_eq(evloop_timers_armed(ev), 3);
	evloop_timer_cancel(ev, &t[0]);		/* cancelled: never fires */
	evloop_timer_cancel(ev, &t[0]);		/* twice is harmless */
	cr_assert_not(ev_timer_armed(&t[0]));
	evloop_timer_arm(ev, &t[1], 60);	/* re-armed later: fires last */
	cr_assert_eq(evloop_timers_armed(ev), 2);
	cr_assert_eq(evloop_run(ev), 0);
	cr_assert_eq(r.n, 2);
	cr_assert_eq(r.order[0], 2);
	cr_assert_eq(r.order[1], 1);
	evloop_free(ev);
}

Test(evloop, rearm_earlier_moves_up)
{
	struct evloop *ev;
	struct rec r = { .stop_after = 2 };
	struct tctx c[2];
	struct ev_timer t[2];

	cr_assert_eq(evloop_new(&ev), 0);
	r.ev = ev;
	for (int i = 0; i < 2; i++) {
		c[i] = (struct tctx){ &r, i };
		ev_timer_init(&t[i], rec_cb, &c[i]);
	}
	evloop_timer_arm(ev, &t[0], 20);
	evloop_timer_arm(ev, &t[1], 500);
	evloop_timer_arm(ev, &t[1], 5);
	cr_assert_eq(evloop_run(ev), 0);
	cr_assert_eq(r.order[0], 1);
	cr_assert_eq(r.order[1], 0);
	evloop_free(ev);
}

/* A callback re-arming itself: periodic timer */
struct periodic {
	struct evloop *ev;
	struct ev_timer t;
	int fired;
};

static void periodic_cb(void *ctx)
{
	struct periodic *p = ctx;

	if (++p->fired == 5)
		evloop_stop(p->ev);
	else
		evloop_timer_arm(p->ev, &p->t, 2);
}

Test(evloop, callback_rearms_itself)
{
	struct periodic p = { 0 };

	cr_assert_eq(evloop_new(&p.ev), 0);
	ev_timer_init(&p.t, periodic_cb, &p);
	evloop_timer_arm(p.ev, &p.t, 1);
	cr_assert_eq(evloop_run(p.ev), 0);
	cr_assert_eq(p.fired, 5);
	evloop_free(p.ev);
}

struct many {
	struct evloop *ev;
	struct ev_timer *t;
	uint64_t last_deadline;
	int fired;
	int bad_order;
	int cancelled;
};

static struct many *g_many;

static void many_cb(void *ctx)
{
	struct ev_timer *t = ctx;
	struct many *m = g_many;

	if (t->deadline_ms < m->last_deadline)
		m->bad_order++;
	m->last_deadline = t->deadline_ms;
	if (++m->fired == MANY_TIMERS - m->cancelled)
		evloop_stop(m->ev);
}

Test(evloop, hundred_thousand_timers, .timeout = 30)
{
	struct many m = { 0 };

	g_many = &m;
	cr_assert_eq(evloop_new(&m.ev), 0);
	m.t = calloc(MANY_TIMERS, sizeof(*m.t));
	cr_assert_not_null(m.t);
	srand(42);
	for (int i = 0; i < MANY_TIMERS; i++) {
		ev_timer_init(&m.t[i], many_cb, &m.t[i]);
		cr_assert_eq(evloop_timer_arm(m.ev, &m.t[i], (uint64_t)(rand() % SPREAD_MS)), 0);
	}
	/* cancel every tenth one */
	for (int i = 0; i < MANY_TIMERS; i += 10) {
		evloop_timer_cancel(m.ev, &m.t[i]);
		m.cancelled++;
	}
	cr_assert_eq(evloop_timers_armed(m.ev), (uint32_t)(MANY_TIMERS - m.cancelled));
	cr_assert_eq(evloop_run(m.ev), 0);
	cr_assert_eq(m.fired, MANY_TIMERS - m.cancelled);
	cr_assert_eq(m.bad_order, 0);
	cr_assert_eq(evloop_timers_armed(m.ev), 0);
	free(m.t);
	evloop_free(m.ev);
}

struct fdctx {
	struct evloop *ev;
	int got;
	char buf[8];
};

static void fd_cb(void *ctx, int fd, uint32_t events)
{
	struct fdctx *f = ctx;

	cr_assert(events & EPOLLIN);
	f->got = (int)read(fd, f->buf, sizeof(f->buf));
	evloop_del_fd(f->ev, fd);
	evloop_stop(f->ev);
}

Test(evloop, fd_callback)
{
	struct fdctx f = { 0 };
	int p[2];

	cr_assert_eq(evloop_new(&f.ev), 0);
	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(evloop_add_fd(f.ev, p[0], EPOLLIN, fd_cb, &f), 0);
	cr_assert_eq(write(p[1], "hi", 2), 2);
	cr_assert_eq(evloop_run(f.ev), 0);
	cr_assert_eq(f.got, 2);
	cr_assert_eq(evloop_del_fd(f.ev, p[0]), -ENOENT);
	close(p[0]);
	close(p[1]);
	evloop_free(f.ev);
}

static int hups;
static void on_hup(void *ctx)
{
	(void)ctx;
	hups++;
}

Test(evloop, sighup_then_sigterm_stops)
{
	struct evloop *ev;

	cr_assert_eq(evloop_new(&ev), 0);
	evloop_on_sighup(ev, on_hup, NULL);
	kill(getpid(), SIGHUP);
	kill(getpid(), SIGTERM);
	cr_assert_eq(evloop_run(ev), 0);
	cr_assert_eq(hups, 1);
	evloop_free(ev);
}

Test(evloop, run_once_timeout_returns_zero)
{
	struct evloop *ev;

	cr_assert_eq(evloop_new(&ev), 0);
	cr_assert_eq(evloop_run_once(ev, 1), 0);
	evloop_free(ev);
}
