/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * sigdrop.h - signalling counters per reason: every Mobility Header a
 * daemon did not act on (or answered with an error it had to rate-limit)
 * is counted here once, so that `xpmipctl counters` accounts for hostile
 * or broken input next to the data plane's verdict counters.
 *
 * One process-wide table (a daemon runs one role); the reasons, their
 * names and their meaning are listed once, in XP_SIGDROP_LIST.
 */
#ifndef XPMIP_SIGDROP_H
#define XPMIP_SIGDROP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define XP_SIGDROP_LIST(X)							\
	X(MALFORMED,      "sig_malformed",      "MH did not decode (truncated, length lie, bad option)") \
	X(UNHANDLED_TYPE, "sig_unhandled_type", "MH type this role does not act on")		\
	X(UNAUTH_PBU,     "sig_unauth_pbu",     "PBU from a source outside authorized_mags (154)") \
	X(ERR_RATELIMIT,  "sig_err_ratelimited", "error PBA not sent: the source's token bucket was empty") \
	X(PBA_UNMATCHED,  "sig_pba_unmatched",  "PBA/BA matching no pending PBU")		\
	X(NOT_OUR_LMA,    "sig_not_our_lma",    "PBA or Heartbeat from an address that is not our LMA") \
	X(HB_UNAUTH,      "sig_hb_unauth",      "Heartbeat from a source that may not be a peer")	\
	X(HB_UNMATCHED,   "sig_hb_unmatched",   "Heartbeat response to no outstanding request")	\
	X(HB_PEERS_FULL,  "sig_hb_peers_full",  "new heartbeat peer refused: peer table full")	\
	X(NOMEM,          "sig_nomem",          "message dropped: out of memory")		\
	X(SEND_FAILED,    "sig_send_failed",    "answer could not be sent")			\
	X(RX_OVERFLOW,    "sig_rx_overflow",    "MH dropped by the kernel: the socket's receive buffer was full")

#define XP_SIGDROP_ENUM(id, name, text) XP_SD_##id,
enum xp_sigdrop { XP_SIGDROP_LIST(XP_SIGDROP_ENUM) XP_SD_MAX };
#undef XP_SIGDROP_ENUM

void xp_sigdrop_count(enum xp_sigdrop why);
void xp_sigdrop_add(enum xp_sigdrop why, uint64_t n);
uint64_t xp_sigdrop_get(enum xp_sigdrop why);
void xp_sigdrop_reset(void);		/* tests */
/* Rows "name value meaning", or JSON objects {"reason","packets","text"}
 * separated by commas (first: no leading comma) */
void xp_sigdrop_print(FILE *out, bool json);

#endif /* XPMIP_SIGDROP_H */
