/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * mh_codec.h - encode and decode PMIPv6 Mobility Header messages.
 *
 * A message is a plain struct (struct mh_msg): the fixed body of its MH type
 * and the set of mobility options it carries. Decoding is strict and total:
 * it never reads outside the buffer it is given, and every defect returns a
 * distinct negative error code (enum mh_err) and the offset where it was
 * found. Unknown options are skipped and listed in mh_msg.opt.unknown,
 * never fatal (past MH_MAX_UNKNOWN they are skipped without a record);
 * they are not re-encoded. Unknown Flow-ID sub-options are skipped too. Encoding honours each option's alignment with Pad1/PadN and pads
 * the message to 8 octets; the checksum is left zero (the kernel fills it
 * through IPV6_CHECKSUM, or mh_checksum() does for tests and tools).
 *
 * Each message and option has one encode/decode function pair in
 * mh_codec.c; mh_encode()/mh_decode() drive them.
 */
#ifndef XPMIP_MH_CODEC_H
#define XPMIP_MH_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "xpmip_wire.h"

/* Per-message instance limits: more is a decode error, never a overflow */
#define MH_MAX_HNP		16
#define MH_MAX_BID		16
#define MH_MAX_FLOW_ID		16
#define MH_MAX_FLOW_SUMMARY	32
#define MH_MAX_BID_REF		16
#define MH_MAX_UNKNOWN		16
#define MH_MAX_LLID_LEN		32
#define MH_MAX_MSG_LEN		2048	/* (255 + 1) * 8 octets */

enum mh_err {
	MH_OK = 0,
	MH_E_SHORT = -1,		/* buffer shorter than a fixed field */
	MH_E_HDR_LEN = -2,		/* Header Len disagrees with the buffer */
	MH_E_PAYLOAD_PROTO = -3,	/* Payload Proto is not 59 */
	MH_E_UNKNOWN_TYPE = -4,		/* MH type we do not decode */
	MH_E_OPT_OVERRUN = -5,		/* option runs past the message */
	MH_E_OPT_LEN = -6,		/* wrong fixed length for the option */
	MH_E_OPT_DUP = -7,		/* single-instance option repeated */
	MH_E_OPT_TOO_MANY = -8,		/* more instances than MH_MAX_* */
	MH_E_MNID_SUBTYPE = -9,		/* MN-ID subtype not NAI / empty */
	MH_E_SUBOPT_OVERRUN = -10,	/* Flow-ID sub-option overruns */
	MH_E_SUBOPT_LEN = -11,		/* Flow-ID sub-option length wrong */
	MH_E_TS_FORMAT = -12,		/* traffic selector format unknown */
	MH_E_TS_LEN = -13,		/* selector length disagrees with flags */
	MH_E_TS_FLAGS = -14,		/* reserved selector flags set */
	MH_E_PREFIX_LEN = -15,		/* HNP / block prefix length > 128 */
	MH_E_NOSPACE = -16,		/* encode: output buffer too small */
	MH_E_INVAL = -17,		/* encode: message cannot be encoded */
	MH_E_SUBOPT_DUP = -18,		/* Flow-ID sub-option repeated */
	MH_E_SUBOPT_TOO_MANY = -19,	/* more BID references than MH_MAX_BID_REF */
	MH_E_BODY_SHORT = -20,		/* message shorter than its type's body */
	MH_E_MAX_ = -21
};

/*
 * Error offsets (err_off of mh_decode), all from buf[0]:
 *   MH_E_SHORT            the buffer length (first missing octet)
 *   MH_E_PAYLOAD_PROTO    0;  MH_E_HDR_LEN 1;  MH_E_UNKNOWN_TYPE 2
 *   MH_E_BODY_SHORT       6 (start of the message data)
 *   MH_E_OPT_OVERRUN, MH_E_OPT_DUP, MH_E_OPT_TOO_MANY
 *                         the option's Type octet
 *   MH_E_OPT_LEN          the option's Length octet
 *   MH_E_MNID_SUBTYPE     the Subtype octet
 *   MH_E_PREFIX_LEN       the Prefix Length octet
 *   MH_E_SUBOPT_OVERRUN, MH_E_SUBOPT_DUP, MH_E_SUBOPT_TOO_MANY
 *                         the sub-option's Type octet
 *   MH_E_SUBOPT_LEN, MH_E_TS_LEN  the sub-option's Length octet
 *   MH_E_TS_FORMAT        the TS Format octet
 *   MH_E_TS_FLAGS         the first octet of the selector's flags
 */

/* Readable name of an mh_err ("MH_E_OPT_OVERRUN"), "MH_OK" for 0 */
const char *mh_strerror(int err);

/* Which single-instance options are present: bits of mh_opts.present */
enum mh_opt_bit {
	MH_HAS_MN_ID = 1u << 0,
	MH_HAS_HI = 1u << 1,
	MH_HAS_ATT = 1u << 2,
	MH_HAS_MN_LLID = 1u << 3,
	MH_HAS_LLA = 1u << 4,
	MH_HAS_TIMESTAMP = 1u << 5,
	MH_HAS_RESTART_CTR = 1u << 6,
	MH_HAS_GRE_KEY = 1u << 7,
	MH_HAS_FLOW_SUMMARY = 1u << 8,
	MH_HAS_MULTIHOMING = 1u << 9,
	MH_HAS_TPFX_BLOCK = 1u << 10,
};

struct mh_hnp {
	uint8_t flags;			/* XP_HNP_F_OFFLINK */
	uint8_t plen;
	struct in6_addr prefix;
};

struct mh_bid {
	uint16_t bid;
	uint8_t status;
	bool h;				/* XP_BID_F_H */
	uint8_t pri;			/* 7-bit BID-PRI */
	uint8_t coa_len;		/* 0, 4 or 16 */
	uint8_t coa[16];
};

/* RFC 6088 binary traffic selector; fields valid per flags (XP_TS6_* or
 * XP_TS4_*). Addresses, ports, SPI and flow label in host order except the
 * addresses, which stay in network order (4 or 16 octets used). */
struct mh_ts {
	uint8_t format;			/* XP_TS_FMT_IPV4 / XP_TS_FMT_IPV6 */
	uint16_t flags;
	uint8_t src_start[16], src_end[16];
	uint8_t dst_start[16], dst_end[16];
	uint32_t spi_start, spi_end;
	uint32_t fl_start, fl_end;	/* IPv6 only, low 20 bits */
	uint16_t sport_start, sport_end;
	uint16_t dport_start, dport_end;
	uint8_t tc_start, tc_end;	/* IPv6 traffic class / IPv4 DS */
	uint8_t nh_start, nh_end;	/* IPv6 next header / IPv4 protocol */
};

struct mh_flow_id {
	uint16_t fid;
	uint16_t fid_pri;
	uint8_t reserved;		/* XP_FID_F_REINSTANTIATED */
	uint8_t status;
	uint8_t n_bid_ref;
	uint16_t bid_ref[MH_MAX_BID_REF];
	bool has_ts;
	struct mh_ts ts;
	bool has_action;
	uint8_t action;			/* XP_FBA_* */
};

struct mh_unknown_opt {
	uint8_t type;
	uint8_t len;
	uint16_t offset;		/* offset of the Type octet in the message */
};

struct mh_opts {
	uint32_t present;		/* enum mh_opt_bit */

	uint8_t mnid_subtype;
	uint8_t mnid_len;
	uint8_t mnid[XP_MNID_MAX_LEN + 1];	/* NUL-terminated copy */

	uint8_t n_hnp;
	struct mh_hnp hnp[MH_MAX_HNP];

	uint8_t hi;
	uint8_t att;

	uint8_t llid_ifp;		/* 000 IFP octet */
	bool llid_primary;		/* 000 P flag */
	uint8_t llid_reserved;		/* the other 7 bits, kept for re-encode */
	uint8_t llid_len;
	uint8_t llid[MH_MAX_LLID_LEN];

	struct in6_addr lla;
	uint64_t timestamp;		/* 48.16 fixed point, host order */
	uint32_t restart_ctr;
	uint32_t gre_key;

	uint8_t n_bid;
	struct mh_bid bid[MH_MAX_BID];

	uint8_t n_flow_summary;
	uint16_t flow_summary[MH_MAX_FLOW_SUMMARY];

	uint8_t n_flow_id;
	struct mh_flow_id flow_id[MH_MAX_FLOW_ID];

	uint8_t mhgid;			/* Multihoming option */
	uint8_t mh_act;			/* XP_MH_ACT_* */

	uint8_t tpfx_plen;		/* temporal prefix block (001) */
	struct in6_addr tpfx;

	uint8_t n_unknown;
	struct mh_unknown_opt unknown[MH_MAX_UNKNOWN];
};

/* Option type numbers that the drafts left open (defaults in xpmip_wire.h) */
struct mh_codec_cfg {
	uint8_t multihoming_opt;	/* XP_MOPT_MULTIHOMING_DEFAULT */
	uint8_t tpfx_block_opt;		/* XP_MOPT_TPFX_BLOCK_DEFAULT */
};
extern struct mh_codec_cfg mh_codec_cfg;

struct mh_msg {
	uint8_t type;			/* XP_MH_TYPE_* */
	uint16_t checksum;		/* as received; 0 when encoding */
	union {
		struct { uint16_t seq, flags, lifetime; } bu;
		struct { uint8_t status, flags; uint16_t seq, lifetime; } ba;
		struct { uint8_t flags; uint32_t seq; } hb;
		struct { uint16_t seq; uint8_t reason, flags; } upn;
		struct { uint16_t seq; uint8_t status, reserved; } upa;
	};
	struct mh_opts opt;
};

/*
 * Decode one Mobility Header starting at buf[0] (the Payload Proto octet).
 * Returns MH_OK or an enum mh_err; on error *err_off (if not NULL) is the
 * offset of the offending octet.
 */
int mh_decode(const uint8_t *buf, size_t len, struct mh_msg *msg, size_t *err_off);

/* Encode msg into buf. Returns the message length (> 0) or an enum mh_err. */
int mh_encode(const struct mh_msg *msg, uint8_t *buf, size_t cap);

/* Compute the MH checksum over the IPv6 pseudo-header (src, dst, len, 135)
 * and the message; returns it in network order ready to store at offset 4. */
uint16_t mh_checksum(const struct in6_addr *src, const struct in6_addr *dst,
		     const uint8_t *mh, size_t len);

/* Helpers used by the daemon and the tests */
void mh_msg_init(struct mh_msg *msg, uint8_t type);
int mh_add_hnp(struct mh_msg *msg, const struct in6_addr *prefix, uint8_t plen, uint8_t flags);
int mh_set_mnid(struct mh_msg *msg, const char *nai);

/* Timestamp helpers: 48-bit seconds since 1970 + 16-bit 1/65536 fraction */
uint64_t mh_timestamp_now(void);

/* Readable name of an MH type ("PBU" when P is set is left to the caller):
 * "BU", "BA", "HB", "UPN", "UPA", or NULL */
const char *mh_type_name(uint8_t type);

/* RFC 5213 / IANA name of a PBA status ("MAG_NOT_AUTHORIZED_FOR_PROXY_REG"),
 * "ACCEPTED" for 0, "UNKNOWN" for a value we do not know */
const char *mh_pba_status_name(uint8_t status);

/* Field-by-field equality of two messages, as the codec sees them: the
 * checksum and the unknown-option records are not compared, selector fields
 * only where their flag is set. For round-trip tests and the fuzzer. */
bool mh_msg_equal(const struct mh_msg *a, const struct mh_msg *b);

#endif /* XPMIP_MH_CODEC_H */
