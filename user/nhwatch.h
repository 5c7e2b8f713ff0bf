/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * nhwatch.h - keep the user plane's next-hop cache honest.
 *
 * The LMA downlink and MAG uplink programs cache what bpf_fib_lookup
 * answered per tunnel peer (xp_nh_v1, bpf/xp_fib.h); an entry is used only
 * while its generation equals the one in xp_nhgen_v1. This module is the
 * only writer of that generation: it listens to rtnetlink in the daemon's
 * network namespace (links, neighbours, IPv6 routes and rules) and bumps
 * the generation once per burst of notifications, so that no next hop the
 * kernel changed is used again. Also bumped at open (the kernel may have
 * changed anything while no daemon ran) and when the kernel dropped
 * notifications (ENOBUFS: we cannot tell what changed).
 *
 * Every function returns 0 or a negative errno; nothing here aborts.
 */
#ifndef XPMIP_NHWATCH_H
#define XPMIP_NHWATCH_H

#include <stdint.h>

struct nh_watch;

/* Subscribe and bump the generation in gen_map_fd (xp_nhgen_v1) once */
int nh_watch_open(int gen_map_fd, struct nh_watch **out);
int nh_watch_fd(const struct nh_watch *w);
/* Read what is pending; bump once if anything relevant arrived. Never
 * -EAGAIN. */
int nh_watch_dispatch(struct nh_watch *w);
/* How many times this watch bumped the generation (for logs and tests) */
uint64_t nh_watch_bumps(const struct nh_watch *w);
void nh_watch_close(struct nh_watch *w);

/* Increment entry 0 of an xp_nhgen_v1 map: 0 or -errno */
int nh_gen_bump(int gen_map_fd);

#endif /* XPMIP_NHWATCH_H */
