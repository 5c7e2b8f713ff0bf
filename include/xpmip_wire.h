/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * xpmip_wire.h - every number that appears on the wire, defined once.
 *
 * Shared by the BPF programs (bpf/) and the agent, CLI and tests (user/,
 * tests/). Values come from ../shared/specs/wire-numbers.md: IANA-assigned
 * numbers for RFC 5213 / 5847 / 5648 / 6088 / 6089 / 7077 / 7864, and the
 * project's defaults for the numbers the drafts left "TBD" (those are marked
 * DEFAULT and can be overridden in the daemon's configuration; the constant
 * here is only the default).
 *
 * Only plain integer macros live here so the file compiles unchanged with
 * clang -target bpf and with the host compiler.
 */
#ifndef XPMIP_WIRE_H
#define XPMIP_WIRE_H

/* ---- IPv6 next-header values used by the data plane and the codec ---- */
#define XP_IPPROTO_HOPOPTS	0
#define XP_IPPROTO_TCP		6
#define XP_IPPROTO_UDP		17
#define XP_IPPROTO_IPV6		41	/* IPv6-in-IPv6 tunnel (RFC 2473) */
#define XP_IPPROTO_ROUTING	43
#define XP_IPPROTO_FRAGMENT	44
#define XP_IPPROTO_ESP		50
#define XP_IPPROTO_AH		51
#define XP_IPPROTO_ICMPV6	58
#define XP_IPPROTO_NONE		59
#define XP_IPPROTO_DSTOPTS	60
#define XP_IPPROTO_MH		135	/* Mobility Header (RFC 6275) */

#define XP_IPV6_HDR_LEN		40
#define XP_IPV6_MIN_MTU		1280

/* ICMPv6 types the data plane leaves to the stack or generates */
#define XP_ICMP6_PKT_TOO_BIG	2
#define XP_ICMP6_ECHO_REQUEST	128
#define XP_ICMP6_ECHO_REPLY	129
#define XP_ICMP6_ROUTER_SOL	133
#define XP_ICMP6_ROUTER_ADV	134
#define XP_ICMP6_NEIGH_SOL	135
#define XP_ICMP6_NEIGH_ADV	136
#define XP_ICMP6_REDIRECT	137

/* Neighbor Discovery option types (RFC 4861) */
#define XP_ND_OPT_SRC_LLADDR	1
#define XP_ND_OPT_TGT_LLADDR	2
#define XP_ND_OPT_PREFIX_INFO	3
#define XP_ND_OPT_MTU		5
#define XP_ND_PI_FLAG_ONLINK	0x80
#define XP_ND_PI_FLAG_AUTO	0x40

/* ---- Mobility Header (RFC 6275 section 6.1.1) ---- */
#define XP_MH_HDR_LEN		6	/* proto, len, type, reserved, checksum */
#define XP_MH_CSUM_OFFSET	4	/* for IPV6_CHECKSUM on a raw socket */
#define XP_MH_PAYLOAD_PROTO	XP_IPPROTO_NONE	/* payload proto must be 59 */
#define XP_MH_ALIGN		8	/* a message ends on an 8-octet boundary */

/* MH types */
#define XP_MH_TYPE_BU		5	/* PBU when the P flag is set */
#define XP_MH_TYPE_BA		6	/* PBA when the P flag is set */
#define XP_MH_TYPE_HB		13	/* Heartbeat (RFC 5847) */
#define XP_MH_TYPE_UPN		19	/* Update Notification (RFC 7077), FMI */
#define XP_MH_TYPE_UPA		20	/* Update Notification Ack, FMA */

/* Binding Update: Sequence (16), flags (16), Lifetime (16) */
#define XP_BU_BODY_LEN		6
#define XP_BU_F_A		0x8000
#define XP_BU_F_H		0x4000
#define XP_BU_F_L		0x2000
#define XP_BU_F_K		0x1000
#define XP_BU_F_M		0x0800
#define XP_BU_F_R		0x0400
#define XP_BU_F_P		0x0200
#define XP_BU_F_F		0x0100
#define XP_BU_F_T		0x0080

/* Binding Acknowledgement: Status (8), flags (8), Sequence (16), Lifetime (16) */
#define XP_BA_BODY_LEN		6
#define XP_BA_F_K		0x80
#define XP_BA_F_R		0x40
#define XP_BA_F_P		0x20
#define XP_BA_F_T		0x10

/* Lifetimes in BU/BA are in units of 4 seconds */
#define XP_LIFETIME_UNIT_S	4

/* Heartbeat (RFC 5847 section 5.1): Reserved (8), then an octet of
 * Reserved (6 bits) U R, Sequence (32); the flags are octet 7 of the MH */
#define XP_HB_BODY_LEN		6
#define XP_HB_F_U		0x02	/* unsolicited */
#define XP_HB_F_R		0x01	/* response */

/* Update Notification (RFC 7077): Sequence (16), Reason (8), flags (8) */
#define XP_UPN_BODY_LEN		4
#define XP_UPN_F_A		0x80	/* acknowledgement requested */
#define XP_UPN_R_FORCE_REREG	1
#define XP_UPN_R_UPDATE_PARAMS	2
#define XP_UPN_R_FLOW_MOBILITY	8	/* RFC 7864 */

/* Update Notification Ack: Sequence (16), Status (8), Reserved (8) */
#define XP_UPA_BODY_LEN		4
#define XP_UPA_S_SUCCESS	0
#define XP_UPA_S_FAILED_UPDATE	128
#define XP_UPA_S_UNSPECIFIED	131	/* RFC 7864 */
#define XP_UPA_S_MN_NOT_ATTACHED 132	/* RFC 7864 */

/* ---- Mobility options ---- */
#define XP_MOPT_PAD1		0
#define XP_MOPT_PADN		1
#define XP_MOPT_MN_ID		8	/* RFC 4283 */
#define XP_MOPT_HNP		22
#define XP_MOPT_HI		23
#define XP_MOPT_ATT		24
#define XP_MOPT_MN_LLID		25
#define XP_MOPT_LLA		26
#define XP_MOPT_TIMESTAMP	27
#define XP_MOPT_RESTART_CTR	28	/* RFC 5847 */
#define XP_MOPT_GRE_KEY		33	/* RFC 5845 */
#define XP_MOPT_BID		35	/* RFC 5648 (+ BID-PRI, RFC 6089) */
#define XP_MOPT_FLOW_SUMMARY	44	/* RFC 6089 */
#define XP_MOPT_FLOW_ID		45	/* RFC 6089 */
#define XP_MOPT_MULTIHOMING_DEFAULT 201	/* DEFAULT: 004 section 4.1 */
#define XP_MOPT_TPFX_BLOCK_DEFAULT  202	/* DEFAULT: 001 section 3 */

/* Fixed option lengths (the Length octet: excludes Type and Length) */
#define XP_MOPT_HNP_LEN		18
#define XP_MOPT_HI_LEN		2
#define XP_MOPT_ATT_LEN		2
#define XP_MOPT_LLA_LEN		16
#define XP_MOPT_TIMESTAMP_LEN	8
#define XP_MOPT_RESTART_CTR_LEN	4	/* counter (32) only: RFC 5847 6.2; tshark agrees */
#define XP_MOPT_GRE_KEY_LEN	6
#define XP_MOPT_BID_LEN		4	/* without care-of address */
#define XP_MOPT_BID_LEN_V4	8	/* with an IPv4 care-of address */
#define XP_MOPT_BID_LEN_V6	20	/* with an IPv6 care-of address */
#define XP_MOPT_FLOW_ID_MIN_LEN	6	/* FID, FID-PRI, Reserved, Status */
#define XP_MOPT_MULTIHOMING_LEN	2
#define XP_MOPT_TPFX_BLOCK_LEN	18

/* Every TLV option starts with Type (8), Length (8) */
#define XP_MOPT_HDR_LEN		2
#define XP_MOPT_MAX_LEN		255	/* the Length octet */
#define XP_MOPT_MNID_MIN_LEN	2	/* Subtype + at least one octet */
#define XP_MOPT_MN_LLID_MIN_LEN	3	/* IFP, flags, at least one octet */
#define XP_MOPT_FLOW_SUMMARY_ELEM 2	/* one FID (16) */
#define XP_MH_HLEN_UNIT		8	/* Header Len counts 8-octet units */
#define XP_MH_HLEN_MAX		255

#define XP_IPV4_ADDR_LEN	4
#define XP_IPV6_ADDR_LEN	16
#define XP_IPV6_PREFIX_MAX	128

/* Alignment requirements, xn+y (RFC 6275 section 6.2 notation) */
#define XP_MOPT_HNP_ALIGN_X	8
#define XP_MOPT_HNP_ALIGN_Y	4
#define XP_MOPT_LLA_ALIGN_X	8
#define XP_MOPT_LLA_ALIGN_Y	6
#define XP_MOPT_TS_ALIGN_X	8
#define XP_MOPT_TS_ALIGN_Y	2
/*
 * Project choices for the options whose RFCs record no alignment
 * (wire-numbers.md '—'); receivers accept any alignment. Chosen so that
 * the 32-bit and 128-bit fields land on their natural boundaries.
 */
#define XP_MOPT_RC_ALIGN_X	4	/* Restart Counter: counter at 4n */
#define XP_MOPT_RC_ALIGN_Y	2
#define XP_MOPT_GRE_ALIGN_X	4	/* GRE Key: key at 4n */
#define XP_MOPT_GRE_ALIGN_Y	0
#define XP_MOPT_BID_ALIGN_X	8	/* BID: IPv6 care-of address at 8n */
#define XP_MOPT_BID_ALIGN_Y	2
#define XP_MOPT_FSUM_ALIGN_X	2	/* Flow Summary: FIDs at 2n */
#define XP_MOPT_FSUM_ALIGN_Y	0
#define XP_MOPT_FID_ALIGN_X	4	/* Flow Identification: FID at 4n */
#define XP_MOPT_FID_ALIGN_Y	2
#define XP_MOPT_TPFX_ALIGN_X	8	/* temporal block: prefix at 8n, as HNP */
#define XP_MOPT_TPFX_ALIGN_Y	4

/* MN Identifier subtype (RFC 4283) */
#define XP_MNID_SUBTYPE_NAI	1
#define XP_MNID_MAX_LEN		253	/* Length octet minus the subtype */

/* HNP option: top bit of the Reserved octet is the off-link flag (RFC 7864) */
#define XP_HNP_F_OFFLINK	0x80

/* MN-LL-ID option: 000_2df5b7e7ec4cafcb.txt Figure 3, IFP octet then P flag */
#define XP_LLID_F_PRIMARY	0x80

/* Binding Identifier option: H flag + 7-bit BID-PRI in the last fixed octet */
#define XP_BID_F_H		0x80
#define XP_BID_PRI_MASK		0x7f

/* Flow Identification sub-options (RFC 6089) */
#define XP_FSUB_PAD1		0
#define XP_FSUB_PADN		1
#define XP_FSUB_BID_REF		2
#define XP_FSUB_TS		3
#define XP_FSUB_ACTION		4

/* Flow Identification option Reserved octet: re-instantiated marker
 * (004 section 4.2 PRO = 2) - DEFAULT */
#define XP_FID_F_REINSTANTIATED	0x80

/* Flow Identification status (RFC 6089) */
#define XP_FID_S_SUCCESS	0
#define XP_FID_S_ADMIN_PROHIB	128
#define XP_FID_S_REJECTED	129
#define XP_FID_S_MALFORMED	130
#define XP_FID_S_BID_NOT_FOUND	131
#define XP_FID_S_FID_NOT_FOUND	132
#define XP_FID_S_TS_FMT_UNSUPP	133

/*
 * Flow Binding Action sub-option (type 4). The sub-option number and its
 * value registry come from RFC 7109 (IANA "Flow Binding Action Values":
 * 11 add, 12 delete, 13 modify, 14 refresh, 15 move, 16 revoke); RFC 6089
 * itself defines no action sub-option. Layout (after Type, Length = 2):
 * Reserved (8), Action (8), as in the public pcapkit schema of RFC 7109.
 * The flow mobility cache's verdicts (forward / drop, 003 section 3.2)
 * have no IANA value: XP_FBA_FORWARD / XP_FBA_DROP are project DEFAULTs
 * chosen outside the RFC 7109 range so the two sets never collide.
 */
#define XP_FBA_DROP		1	/* DEFAULT: 003 flow mobility "drop" */
#define XP_FBA_FORWARD		2	/* DEFAULT: 003 flow mobility "forward" */
#define XP_FBA_ADD		11	/* RFC 7109 */
#define XP_FBA_DELETE		12	/* RFC 7109 */
#define XP_FBA_MODIFY		13	/* RFC 7109 */
#define XP_FBA_REFRESH		14	/* RFC 7109 */
#define XP_FBA_MOVE		15	/* RFC 7109 */
#define XP_FBA_REVOKE		16	/* RFC 7109 */
#define XP_FSUB_ACTION_LEN	2	/* Reserved (8), Action (8) */
#define XP_FSUB_HDR_LEN		2	/* sub-option Type, Length */
#define XP_FSUB_BID_REF_ELEM	2	/* one BID (16) */

/* Traffic Selector sub-option: TS Format (8), Reserved (8), then the
 * RFC 6088 selector: flags (16), reserved (16), fields per flag */
#define XP_TS_SUBHDR_LEN	2
#define XP_TS_FLAGS_LEN		4

/* Traffic selector formats (RFC 6088) */
#define XP_TS_FMT_IPV4		1
#define XP_TS_FMT_IPV6		2

/* IPv6 binary traffic selector flags A..P (RFC 6088 section 3.2) */
#define XP_TS6_A_SRC_START	0x8000
#define XP_TS6_B_SRC_END	0x4000
#define XP_TS6_C_DST_START	0x2000
#define XP_TS6_D_DST_END	0x1000
#define XP_TS6_E_SPI_START	0x0800
#define XP_TS6_F_SPI_END	0x0400
#define XP_TS6_G_FL_START	0x0200
#define XP_TS6_H_FL_END		0x0100
#define XP_TS6_I_SPORT_START	0x0080
#define XP_TS6_J_SPORT_END	0x0040
#define XP_TS6_K_DPORT_START	0x0020
#define XP_TS6_L_DPORT_END	0x0010
#define XP_TS6_M_TC_START	0x0008
#define XP_TS6_N_TC_END		0x0004
#define XP_TS6_O_NH_START	0x0002
#define XP_TS6_P_NH_END		0x0001
#define XP_TS_FLOW_LABEL_MASK	0x000fffff

/* IPv4 binary traffic selector flags A..N (RFC 6088 section 3.1) */
#define XP_TS4_A_SRC_START	0x8000
#define XP_TS4_B_SRC_END	0x4000
#define XP_TS4_C_DST_START	0x2000
#define XP_TS4_D_DST_END	0x1000
#define XP_TS4_E_SPI_START	0x0800
#define XP_TS4_F_SPI_END	0x0400
#define XP_TS4_G_SPORT_START	0x0200
#define XP_TS4_H_SPORT_END	0x0100
#define XP_TS4_I_DPORT_START	0x0080
#define XP_TS4_J_DPORT_END	0x0040
#define XP_TS4_K_DS_START	0x0020
#define XP_TS4_L_DS_END		0x0010
#define XP_TS4_M_PROTO_START	0x0008
#define XP_TS4_N_PROTO_END	0x0004
#define XP_TS4_RESERVED_MASK	0x0003

/* Multihoming option (004 section 4.1) - DEFAULT layout: MHGID (8),
 * ACT (3 bits) + reserved (5) */
#define XP_MH_ACT_SHIFT		5
#define XP_MH_ACT_MASK		0x07
#define XP_MH_ACT_REMOVE	1
#define XP_MH_ACT_KEEP		2

/* ---- Handoff Indicator ---- */
#define XP_HI_NEW_IF		1
#define XP_HI_IIHO		2	/* between two interfaces of the MN */
#define XP_HI_IAHO		3	/* between MAGs, same interface */
#define XP_HI_UNKNOWN		4
#define XP_HI_NOT_CHANGED	5	/* re-registration; 001 flow handovers */
#define XP_HI_NEW_IF_SHARED	6	/* RFC 7864 */

/* ---- Access Technology Type ---- */
#define XP_ATT_VIRTUAL		1
#define XP_ATT_PPP		2
#define XP_ATT_8023		3
#define XP_ATT_80211		4
#define XP_ATT_80216E		5
#define XP_ATT_GERAN		6
#define XP_ATT_UTRAN		7
#define XP_ATT_EUTRAN		8

/* ---- PBA status ---- */
#define XP_PBA_ACCEPTED			0
#define XP_PBA_UNSPECIFIED		128
#define XP_PBA_ADMIN_PROHIBITED		129
#define XP_PBA_INSUFFICIENT_RESOURCES	130
#define XP_PBA_SEQ_OUT_OF_WINDOW	135
#define XP_PBA_PROXY_REG_NOT_ENABLED	152
#define XP_PBA_NOT_LMA_FOR_THIS_MN	153
#define XP_PBA_MAG_NOT_AUTHORIZED	154
#define XP_PBA_NOT_AUTHORIZED_FOR_HNP	155
#define XP_PBA_TIMESTAMP_MISMATCH	156
#define XP_PBA_TIMESTAMP_LOWER		157
#define XP_PBA_MISSING_HNP		158
#define XP_PBA_BCE_PREFIX_MISMATCH	159
#define XP_PBA_MISSING_MN_ID		160
#define XP_PBA_MISSING_HI		161
#define XP_PBA_MISSING_ATT		162
#define XP_PBA_MH_NOT_SUPPORTED_DEFAULT		190	/* DEFAULT: 004 s6.1 */
#define XP_PBA_MH_REINST_NOT_SUPPORTED_DEFAULT	191	/* DEFAULT: 004 s6.1 */

/* ---- IPv6 extension headers the data plane builds or parses ---- */
/* Primary HoA destination option (000 section 2.1) - DEFAULT type 0x1E */
#define XP_DSTOPT_PRIMARY_HOA_DEFAULT	0x1e
#define XP_DSTOPT_PRIMARY_HOA_LEN	16
#define XP_DSTOPT_PAD1		0
#define XP_DSTOPT_PADN		1

/* Type 2 Routing Header (RFC 6275 section 6.4, 000 section 2.2) */
#define XP_RH_TYPE2		2
#define XP_RH2_HDR_EXT_LEN	2	/* in 8-octet units after the first 8 */
#define XP_RH2_SEGMENTS_LEFT	1
#define XP_RH2_LEN		24

/* RFC 5213 section 9 protocol constants (defaults, configurable) */
#define XP_INITIAL_BINDACK_TIMEOUT_MS	1000	/* InitialBindackTimeoutFirstReg */
#define XP_MAX_BINDACK_TIMEOUT_MS	32000	/* MAX_BINDACK_TIMEOUT (RFC 6275) */
#define XP_MIN_DELAY_BCE_DELETE_MS	10000	/* MinDelayBeforeBCEDelete */
#define XP_MAX_DELAY_BCE_DELETE_MS	20000	/* MaxDelayBeforeNewBCEAssign */
#define XP_TIMESTAMP_VALIDITY_MS	300	/* TimestampValidityWindow */

#endif /* XPMIP_WIRE_H */
