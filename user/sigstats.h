/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * sigstats.h - signalling counters: every Mobility Header the daemon sends
 * or receives, by message kind, and the status of every acknowledgement
 * (PBA, UPA) it sends or receives.
 *
 * Counted where every message passes (mh_sock_send / mh_sock_recv), so a
 * new message type added by a role is counted without touching the role.
 * The counters are process-wide: one xpmipd process serves one instance.
 * Read by the metrics exposition (metrics.h).
 */
#ifndef XPMIP_SIGSTATS_H
#define XPMIP_SIGSTATS_H

#include <stddef.h>
#include <stdint.h>

enum xp_sig_dir {
	XP_SIG_RX = 0,
	XP_SIG_TX = 1,
	XP_SIG_DIR_MAX
};

/* Message kinds: the Mobility Header type, with PBU/PBA told apart from a
 * plain BU/BA by the P flag. */
#define XP_SIG_KIND_LIST(X)			\
	X(PBU,		"pbu")			\
	X(PBA,		"pba")			\
	X(BU,		"bu")			\
	X(BA,		"ba")			\
	X(HEARTBEAT,	"heartbeat")		\
	X(UPN,		"upn")			\
	X(UPA,		"upa")			\
	X(OTHER,	"other")		\
	X(RUNT,		"runt")	/* shorter than a Mobility Header */

enum xp_sig_kind {
#define XP_SIG_KIND_ENUM(n, s) XP_SIG_##n,
	XP_SIG_KIND_LIST(XP_SIG_KIND_ENUM)
#undef XP_SIG_KIND_ENUM
	XP_SIG_KIND_MAX
};

/* Acknowledgements whose status is counted */
enum xp_sig_ack {
	XP_SIG_ACK_PBA = 0,
	XP_SIG_ACK_UPA = 1,
	XP_SIG_ACK_MAX
};

#define XP_SIG_STATUS_MAX	256	/* status is one octet */

struct xp_sig_stats {
	uint64_t msgs[XP_SIG_DIR_MAX][XP_SIG_KIND_MAX];
	uint64_t status[XP_SIG_DIR_MAX][XP_SIG_ACK_MAX][XP_SIG_STATUS_MAX];
	uint64_t send_errors;		/* sendmsg failed */
};

/* Classify one encoded message (no validation beyond what the
 * classification reads; a malformed message is still counted). */
enum xp_sig_kind xp_sig_classify(const uint8_t *buf, size_t len);
/* Count one message in s (xp_sig_global() for the daemon's own) */
void xp_sig_count(struct xp_sig_stats *s, enum xp_sig_dir dir, const uint8_t *buf, size_t len);

struct xp_sig_stats *xp_sig_global(void);
const char *xp_sig_kind_name(enum xp_sig_kind k);
const char *xp_sig_dir_name(enum xp_sig_dir d);
const char *xp_sig_ack_name(enum xp_sig_ack a);
/* Readable status name ("PROXY_REG_NOT_ENABLED"), "UNKNOWN" when unnamed */
const char *xp_sig_status_name(enum xp_sig_ack a, uint8_t status);

#endif /* XPMIP_SIGSTATS_H */
