/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * config.h - xpmipd's configuration, parsed from a libconfig file.
 *
 * The file has a common part and one section per role ("lma", "mag", and
 * later "mn"); only the section of the role being started is required.
 * Every error names the file, the line and the key, and the daemon refuses
 * to start. Defaults are the RFC 5213 protocol constants.
 */
#ifndef XPMIP_CONFIG_H
#define XPMIP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "mh_codec.h"
#include "xpmip_maps.h"
#include "xpmip_wire.h"

#define XP_CFG_NAME_MAX		64
#define XP_CFG_MAX_IFS		16
#define XP_CFG_MAX_AUTH		64
#define XP_CFG_MAX_HNP		8
#define XP_CFG_ERR_MAX		256
#define XP_CFG_MAX_FILTERS	8	/* 004 downlink filters per MN profile */

struct xp_prefix {
	struct in6_addr addr;
	uint8_t plen;
};

/* 000_2df5b7e7ec4cafcb.txt section 5: how an MN's interfaces are addressed */
enum xp_addr_model {
	XP_AM_UNIQUE_PREFIX = 0,	/* 5.1: a prefix per interface (default) */
	XP_AM_UNIQUE_ADDRESS = 1,	/* 5.2: one prefix, an address per interface */
	XP_AM_SHARED_ADDRESS = 2,	/* 5.3: one address on every interface */
};

/* Per-MN policy at the LMA (explicit entry, or the default policy) */
struct xp_lma_mn_policy {
	char mn_id[XP_MNID_MAX_LEN + 1];	/* empty for the default policy */
	bool allowed;				/* false: 129 admin prohibited */
	bool served_here;			/* false: 153 not LMA for this MN */
	uint8_t n_hnp;				/* fixed HNPs; 0: from the pool */
	struct xp_prefix hnp[XP_CFG_MAX_HNP];
	uint8_t hnps_per_if;			/* prefixes allocated per interface */
	uint32_t max_lifetime_s;
	uint8_t addr_model;			/* enum xp_addr_model */
	bool has_primary_hoa;			/* else from the P-flagged interface */
	struct in6_addr primary_hoa;		/* 000 primary HoA */
};

/* 001 2-level prefixes at the LMA (lma.two_level); off when !enabled */
struct xp_lma_two_level {
	bool enabled;
	struct xp_prefix temporal_pool;		/* blocks for the MAGs come from here */
	uint8_t block_len;			/* each MAG's block (level 1) */
	uint32_t ffho_hold_s;			/* Idle session kept after a full flow handover */
	uint8_t tpfx_opt;			/* PBA option carrying the block (202) */
};

struct xp_lma_config {
	struct in6_addr address;		/* LMA address (signalling, tunnel end) */
	char interfaces[XP_CFG_MAX_IFS][16];	/* where XP_PROG_LMA_RX attaches */
	uint8_t n_interfaces;
	struct xp_prefix authorized_mags[XP_CFG_MAX_AUTH];	/* else 154 */
	uint8_t n_authorized_mags;
	struct xp_prefix hnp_pool;		/* permanent pool */
	uint8_t hnp_len;			/* prefix length handed out (64) */
	bool use_timestamps;			/* true: 156/157; false: seq, 135 */
	uint32_t timestamp_window_ms;		/* TimestampValidityWindow */
	uint32_t max_lifetime_s;		/* granted lifetime cap */
	uint32_t min_delay_bce_delete_ms;	/* MinDelayBeforeBCEDelete */
	uint32_t max_delay_new_bce_ms;		/* MaxDelayBeforeNewBCEAssign */
	struct xp_lma_mn_policy default_policy;
	bool has_default_policy;		/* else unknown MNs get 153 */
	struct xp_lma_mn_policy *mns;		/* explicit MNs */
	uint32_t n_mns;
	uint16_t tunnel_mtu;			/* path MTU towards MAGs (1500) */
	struct xp_lma_two_level two_level;
	/* RFC 7864 UPN (Flow Mobility Initiate) retransmission, like a PBU's */
	uint32_t upn_timeout_ms;		/* first wait for the UPA */
	uint32_t upn_max_timeout_ms;		/* back-off cap */
	uint32_t upn_max_retransmits;
	bool upn_flow_info;			/* Flow Identification options in UPNs */
	bool multihoming;			/* 004; false: PBA 190 */
	bool mh_reinstantiation;		/* 004 keep filters; false: PBA 191 */
};

/* One MN interface known to a MAG, identified by its MAC */
struct xp_mag_mn_profile {
	uint8_t mac[6];
	char mn_id[XP_MNID_MAX_LEN + 1];
	uint8_t att;				/* XP_ATT_* */
	uint8_t ifp;				/* 000 interface priority, 0 = none */
	bool primary;				/* 000 P flag */
	uint8_t mhgid;				/* 004 multihoming group */
	bool share_prefixes;			/* RFC 7864 HI 6 on a new interface */
	bool multihoming;			/* 004: Multihoming option in the PBU */
	uint8_t mh_on_remove;			/* ACT on de-registration: XP_MH_ACT_* */
	uint8_t n_filters;
	struct mh_flow_id filters[XP_CFG_MAX_FILTERS];	/* 004 downlink filters */
};

/* 001 2-level prefixes at a MAG (mag.two_level); off when !enabled */
struct xp_mag_two_level {
	bool enabled;
	uint8_t prefixes_per_if;		/* level-2 /64s carved per MN interface */
	bool has_temporal_pool;			/* the domain's temporal range is known */
	struct xp_prefix temporal_pool;		/* = the LMA's: tells T from P in a PBA */
	uint8_t tpfx_opt;			/* PBA option carrying the block (202) */
};

struct xp_mag_config {
	struct in6_addr proxy_coa;		/* our address towards the LMA */
	struct in6_addr lma_address;
	char core_interface[16];		/* towards the LMA: XP_PROG_MAG_CORE */
	char access_interfaces[XP_CFG_MAX_IFS][16];	/* XP_PROG_MAG_ACCESS */
	uint8_t n_access;
	bool detect_link_up;			/* register on link-up, not only RS */
	uint32_t lifetime_s;			/* requested lifetime */
	uint32_t refresh_pct;			/* refresh at this % of the lifetime */
	uint32_t initial_bindack_timeout_ms;
	uint32_t max_bindack_timeout_ms;
	uint32_t max_retransmits;
	/* Router Advertisements: the same source on every MAG */
	struct in6_addr ra_link_local;		/* fe80::... */
	uint8_t ra_mac[6];
	uint32_t ra_min_interval_ms, ra_max_interval_ms;
	uint32_t ra_router_lifetime_s;
	uint32_t ra_prefix_valid_s, ra_prefix_preferred_s;
	uint16_t mtu;				/* inner MTU advertised to MNs */
	struct xp_mag_mn_profile default_profile;	/* for unknown MACs */
	bool has_default_profile;		/* MN-ID derived from the MAC */
	struct xp_mag_mn_profile *mns;
	uint32_t n_mns;
	struct xp_mag_two_level two_level;
};

/* The MN helper (xpmipd --role mn): 000 sections 2 and 4 on the MN */
struct xp_mn_if {
	char name[16];
	bool primary;				/* holds the primary HoA */
	bool has_hoa;				/* else the interface's global address */
	struct in6_addr hoa;
};

struct xp_mn_config {
	bool has_primary_hoa;			/* else the primary interface's HoA */
	struct in6_addr primary_hoa;
	uint8_t hoa_opt;			/* Primary HoA option type (0x1E) */
	struct xp_mn_if ifs[XP_CFG_MAX_IFS];
	uint8_t n_ifs;
};

struct xp_config {
	char path[256];
	char instance[XP_CFG_NAME_MAX];		/* default: the role name */
	char log_level[16];			/* "info" */
	bool use_syslog;
	char pin_root[128];			/* XP_PIN_ROOT */
	uint32_t heartbeat_interval_s;		/* RFC 5847, 0 = off */
	uint32_t heartbeat_missing_limit;
	uint32_t max_bindings;			/* binding map capacity, 0 = built-in */
	char metrics_listen[64];		/* "ADDR:PORT" of /metrics; "" = off */
	enum xp_role role;
	struct xp_lma_config lma;
	struct xp_mag_config mag;
	struct xp_mn_config mn;
};

/* Parse path for role. On error returns -EINVAL and writes
 * "FILE:LINE: KEY: what is wrong" to err. */
int xp_config_load(const char *path, enum xp_role role, struct xp_config *cfg,
		   char err[XP_CFG_ERR_MAX]);
void xp_config_free(struct xp_config *cfg);

/* Look up a profile by MAC (default profile if none and allowed), NULL if
 * the MN is unknown */
const struct xp_mag_mn_profile *xp_config_mag_profile(const struct xp_mag_config *mag,
						       const uint8_t mac[6],
						       struct xp_mag_mn_profile *scratch);
/* Policy for an MN-ID: explicit entry, else the default, else NULL */
const struct xp_lma_mn_policy *xp_config_lma_policy(const struct xp_lma_config *lma,
						    const char *mn_id);

bool xp_prefix_contains(const struct xp_prefix *p, const struct in6_addr *a);

/* "addr/len" (or a bare address, /128) -> p; 0 or -EINVAL. Host bits are
 * kept as written. */
int xp_prefix_parse(const char *s, struct xp_prefix *p);
/* "2001:db8::/64" into buf (INET6_ADDRSTRLEN + 4 octets suffice) */
const char *xp_prefix_str(const struct xp_prefix *p, char *buf, size_t len);
/* "02:00:00:00:01:01" -> mac; 0 or -EINVAL */
int xp_mac_parse(const char *s, uint8_t mac[6]);

/* Defaults (RFC 5213 section 12 and the project's choices) */
#define XP_CFG_DEF_HNP_LEN		64
#define XP_CFG_DEF_MAX_LIFETIME_S	3600
#define XP_CFG_DEF_MAX_DELAY_NEW_BCE_MS	1500	/* MaxDelayBeforeNewBCEAssign */
#define XP_CFG_DEF_TUNNEL_MTU		1500
#define XP_CFG_DEF_HB_MISSING		3
#define XP_CFG_DEF_MAG_LIFETIME_S	3600
#define XP_CFG_DEF_REFRESH_PCT		80
#define XP_CFG_DEF_MAX_RETRANSMITS	5
#define XP_CFG_DEF_RA_MIN_MS		3000
#define XP_CFG_DEF_RA_MAX_MS		10000
#define XP_CFG_DEF_RA_ROUTER_LT_S	1800
#define XP_CFG_DEF_RA_VALID_S		86400
#define XP_CFG_DEF_RA_PREFERRED_S	14400
#define XP_CFG_DEF_MAG_MTU		1460	/* 1500 minus the 40-octet tunnel */
#define XP_CFG_DEF_RA_LINK_LOCAL	"fe80::1"
#define XP_CFG_DEF_RA_MAC		"02:00:5e:00:53:01"
#define XP_CFG_DEF_ATT			XP_ATT_80211
#define XP_CFG_DEF_TL_BLOCK_LEN		56	/* 256 level-2 /64s per MAG */
#define XP_CFG_DEF_TL_FFHO_HOLD_S	30
#define XP_CFG_DEF_TL_PER_IF		1

#endif /* XPMIP_CONFIG_H */
