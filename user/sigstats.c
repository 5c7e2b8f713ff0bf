// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* sigstats.c - see sigstats.h */
#include <string.h>

#include "mh_codec.h"
#include "sigstats.h"
#include "xpmip_wire.h"

/* Offsets into an encoded message (RFC 6275 6.1.1, RFC 7077 4.2):
 * the message data starts after the fixed Mobility Header. */
#define OFF_TYPE	2				/* MH Type */
#define OFF_BU_FLAGS	(XP_MH_HDR_LEN + 2)		/* after Sequence (16) */
#define OFF_BA_STATUS	(XP_MH_HDR_LEN)			/* Status (8) first */
#define OFF_BA_FLAGS	(XP_MH_HDR_LEN + 1)
#define OFF_UPA_STATUS	(XP_MH_HDR_LEN + 2)		/* after Sequence (16) */

static struct xp_sig_stats sig_global;

struct xp_sig_stats *xp_sig_global(void)
{
	return &sig_global;
}

enum xp_sig_kind xp_sig_classify(const uint8_t *buf, size_t len)
{
	if (!buf || len < XP_MH_HDR_LEN)
		return XP_SIG_RUNT;
	switch (buf[OFF_TYPE]) {
	case XP_MH_TYPE_BU:
		if (len < OFF_BU_FLAGS + 2)
			return XP_SIG_BU;
		return (((unsigned)buf[OFF_BU_FLAGS] << 8 | buf[OFF_BU_FLAGS + 1]) & XP_BU_F_P) ?
		       XP_SIG_PBU : XP_SIG_BU;
	case XP_MH_TYPE_BA:
		if (len < OFF_BA_FLAGS + 1)
			return XP_SIG_BA;
		return (buf[OFF_BA_FLAGS] & XP_BA_F_P) ? XP_SIG_PBA : XP_SIG_BA;
	case XP_MH_TYPE_HB:
		return XP_SIG_HEARTBEAT;
	case XP_MH_TYPE_UPN:
		return XP_SIG_UPN;
	case XP_MH_TYPE_UPA:
		return XP_SIG_UPA;
	}
	return XP_SIG_OTHER;
}

void xp_sig_count(struct xp_sig_stats *s, enum xp_sig_dir dir, const uint8_t *buf, size_t len)
{
	enum xp_sig_kind k = xp_sig_classify(buf, len);

	if (!s || (unsigned)dir >= XP_SIG_DIR_MAX)
		return;
	s->msgs[dir][k]++;
	if (k == XP_SIG_PBA)
		s->status[dir][XP_SIG_ACK_PBA][buf[OFF_BA_STATUS]]++;
	else if (k == XP_SIG_UPA && len > OFF_UPA_STATUS)
		s->status[dir][XP_SIG_ACK_UPA][buf[OFF_UPA_STATUS]]++;
}

const char *xp_sig_kind_name(enum xp_sig_kind k)
{
	static const char *const names[XP_SIG_KIND_MAX] = {
#define XP_SIG_KIND_NAME(n, s) [XP_SIG_##n] = s,
		XP_SIG_KIND_LIST(XP_SIG_KIND_NAME)
#undef XP_SIG_KIND_NAME
	};

	return (unsigned)k < XP_SIG_KIND_MAX ? names[k] : "?";
}

const char *xp_sig_dir_name(enum xp_sig_dir d)
{
	return d == XP_SIG_RX ? "rx" : d == XP_SIG_TX ? "tx" : "?";
}

const char *xp_sig_ack_name(enum xp_sig_ack a)
{
	return a == XP_SIG_ACK_PBA ? "pba" : a == XP_SIG_ACK_UPA ? "upa" : "?";
}

const char *xp_sig_status_name(enum xp_sig_ack a, uint8_t status)
{
	const char *n = NULL;

	if (a == XP_SIG_ACK_PBA) {
		n = mh_pba_status_name(status);
	} else if (a == XP_SIG_ACK_UPA) {
		switch (status) {
		case XP_UPA_S_SUCCESS: n = "SUCCESS"; break;
		case XP_UPA_S_FAILED_UPDATE: n = "FAILED_TO_UPDATE_SESSION_PARAMETERS"; break;
		case XP_UPA_S_UNSPECIFIED: n = "REASON_UNSPECIFIED"; break;
		case XP_UPA_S_MN_NOT_ATTACHED: n = "MN_NOT_ATTACHED"; break;
		}
	}
	return n && *n ? n : "UNKNOWN";
}
