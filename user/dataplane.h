/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * dataplane.h - load the xpmip BPF programs, create or reuse their pinned
 * maps, attach them to interfaces, read their counters.
 *
 * Contract:
 *  - maps are pinned under XP_PIN_ROOT/<instance>/ with the versioned names
 *    of xpmip_maps.h. xp_dp_open() reuses maps already pinned there (that is
 *    how a restarted daemon keeps the user plane's state) after checking that
 *    their type, key size, value size and max_entries match this build; a
 *    mismatch is refused with -EPROTO and one log line naming the map, or
 *    -ERANGE when only max_entries differs (max_bindings changed).
 *  - XDP attachments made by xp_dp_attach_xdp() outlive the process (they are
 *    netlink attachments, not bpf links), so a daemon that is killed leaves
 *    the user plane forwarding. A restarted daemon attaches again, replacing
 *    its own programs.
 *  - every function returns 0 or a negative errno and logs why it failed.
 */
#ifndef XPMIP_DATAPLANE_H
#define XPMIP_DATAPLANE_H

#include <stdbool.h>
#include <stdint.h>

#include "xpmip_maps.h"

/* The programs, by job; each is attached to one kind of interface */
enum xp_prog {
	XP_PROG_LMA_RX,		/* LMA, every interface: downlink encap + uplink decap */
	XP_PROG_MAG_ACCESS,	/* MAG access interface: uplink encap to the LMA */
	XP_PROG_MAG_CORE,	/* MAG core interface: downlink decap to the MN */
	XP_PROG_PASS,		/* XDP_PASS only: the peer end of a veth redirect target */
	XP_PROG_LMA_DUP,	/* LMA, TC ingress on every interface: equal-IFP copies */
	XP_PROG_TRACE_EMIT,	/* LMA, never attached: agent events to xp_trace_v1 */
	XP_PROG_MAX_
};

struct xp_dp_opts {
	enum xp_role role;
	const char *instance;		/* pin directory name, e.g. "lma" */
	const char *pin_root;		/* NULL: XP_PIN_ROOT */
	uint32_t max_mns;		/* 0: default capacities */
	uint32_t max_bindings;
	uint32_t max_prefixes;
};

struct xp_dp;

int xp_dp_open(const struct xp_dp_opts *opts, struct xp_dp **out);

/* Attach (or re-attach, replacing ours) a program in native XDP mode,
 * falling back to generic (skb) mode when the driver has no native XDP. */
int xp_dp_attach_xdp(struct xp_dp *dp, enum xp_prog prog, int ifindex);

/* Detach whatever XDP program is on ifindex (used on --flush and on
 * interface removal). */
int xp_dp_detach_xdp(struct xp_dp *dp, int ifindex);

/*
 * TC programs (libbpf 1.1 bpf_tc_*: a clsact qdisc, created when missing,
 * and one direct-action filter with a fixed handle and priority, so that a
 * restarted daemon replaces its own filter). Like XDP attachments they
 * outlive the process. Detach removes only our filter; ENOENT is success.
 */
#define XP_TC_HANDLE	0x7870		/* "xp" */
#define XP_TC_PRIO	1
int xp_tc_attach(int ifindex, bool egress, int prog_fd, const char *name);
int xp_tc_detach(int ifindex, bool egress);
int xp_dp_attach_tc(struct xp_dp *dp, enum xp_prog prog, int ifindex, bool egress);

/* fd of a loaded program (for tests and diagnostics), or -ENOENT when this
 * role does not load it. Owned by dp. */
int xp_dp_prog_fd(struct xp_dp *dp, enum xp_prog prog);

/* xp_dp_set_cfg warns below this tunnel MTU; the programs never use less
 * (a 1280-byte inner packet plus the 40-byte outer header must fit). */
#define XP_IPV6_MIN_MTU_TUNNEL	1320

/* fd of a map by its xpmip_maps.h name (XP_MAP_BIND ...), or -ENOENT */
int xp_dp_map_fd(struct xp_dp *dp, const char *name);

/* Write struct xp_cfg (entry 0 of xp_cfg_v1) */
int xp_dp_set_cfg(struct xp_dp *dp, const struct xp_cfg *cfg);

/* Sum the per-CPU reason counters into out[XP_R_MAX]: of dp's xp_cnt_v1,
 * or of the xp_cnt_v1 behind fd (the MN role's own skeleton) */
int xp_dp_read_counters(struct xp_dp *dp, uint64_t out[XP_R_MAX]);
int xp_read_reason_counters(int fd, uint64_t out[XP_R_MAX]);

/* Close: detach every interface we attached and remove the pin directory
 * when flush is true; otherwise leave attachments and pins in place. */
void xp_dp_close(struct xp_dp *dp, bool flush);

/* Open the pinned maps of a running instance read-only-ish for xpmipctl,
 * without loading programs. Same version check as xp_dp_open(). */
int xp_dp_open_pinned(const char *instance, const char *pin_root, struct xp_dp **out);

#endif /* XPMIP_DATAPLANE_H */
