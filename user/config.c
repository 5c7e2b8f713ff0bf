// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * config.c - parse xpmipd's libconfig file into struct xp_config.
 *
 * Every error is one line "FILE:LINE: KEY: problem" where KEY is the full
 * path of the setting ("lma.mns[2].id"). Unknown keys are errors too, so a
 * typo never silently falls back to a default.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libconfig.h>

#include "config.h"
#include "flowsel.h"
#include "ifp.h"
#include "log.h"
#include "metrics_http.h"

#define KEY_MAX		128
#define IFNAME_MAX	16	/* IFNAMSIZ */
#define MAC_LEN		6
#define PCT_MAX		99
#define LIFETIME_MAX_S	((uint32_t)UINT16_MAX * XP_LIFETIME_UNIT_S)
#define MS_MAX		(UINT32_MAX / 2)
#define HNP_PER_IF_MAX	XP_CFG_MAX_HNP
#define BYTE_BITS	8
#define UPN_MAX_RETRANSMITS	32	/* bounded: a doubling back-off past this is hours */

struct pctx {
	const char *file;
	char *err;
	int line;		/* fallback line for settings without one */
};

static int fail(struct pctx *c, const config_setting_t *s, const char *key,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(struct pctx *c, const config_setting_t *s, const char *key,
		const char *fmt, ...)
{
	char msg[XP_CFG_ERR_MAX];
	const char *file = s ? config_setting_source_file(s) : NULL;
	int line = s ? (int)config_setting_source_line(s) : 0;
	va_list ap;

	if (line <= 0)
		line = c->line;	/* the root group has no line of its own */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* truncation is acceptable: the line keeps its "FILE:LINE: KEY:" head */
	if (snprintf(c->err, XP_CFG_ERR_MAX, "%s:%d: %s: %s", file ? file : c->file,
		     line, key, msg) >= XP_CFG_ERR_MAX)
		c->err[XP_CFG_ERR_MAX - 1] = '\0';
	return -EINVAL;
}

static void keypath(char *out, const char *parent, const char *name)
{
	if (parent && *parent)
		snprintf(out, KEY_MAX, "%s.%s", parent, name);
	else
		snprintf(out, KEY_MAX, "%s", name);
}

/* ---- value helpers ---- */

bool xp_prefix_contains(const struct xp_prefix *p, const struct in6_addr *a)
{
	unsigned full = p->plen / BYTE_BITS, rem = p->plen % BYTE_BITS;

	if (p->plen > XP_IPV6_PREFIX_MAX)
		return false;
	if (memcmp(p->addr.s6_addr, a->s6_addr, full))
		return false;
	if (rem) {
		uint8_t mask = (uint8_t)(0xff << (BYTE_BITS - rem));

		if ((p->addr.s6_addr[full] & mask) != (a->s6_addr[full] & mask))
			return false;
	}
	return true;
}

int xp_prefix_parse(const char *s, struct xp_prefix *p)
{
	char buf[INET6_ADDRSTRLEN + 8];
	char *slash, *end;
	long plen = XP_IPV6_PREFIX_MAX;

	if (!s || strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		errno = 0;
		plen = strtol(slash + 1, &end, 10);
		if (errno || end == slash + 1 || *end || plen < 0 || plen > XP_IPV6_PREFIX_MAX)
			return -EINVAL;
	}
	if (inet_pton(AF_INET6, buf, &p->addr) != 1)
		return -EINVAL;
	p->plen = (uint8_t)plen;
	return 0;
}

const char *xp_prefix_str(const struct xp_prefix *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, &p->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, p->plen);
	return buf;
}

static bool prefix_host_bits_zero(const struct xp_prefix *p)
{
	for (unsigned bit = p->plen; bit < XP_IPV6_PREFIX_MAX; bit++)
		if (p->addr.s6_addr[bit / BYTE_BITS] & (0x80 >> (bit % BYTE_BITS)))
			return false;
	return true;
}

static void prefix_mask(struct xp_prefix *p)
{
	for (unsigned bit = p->plen; bit < XP_IPV6_PREFIX_MAX; bit++)
		p->addr.s6_addr[bit / BYTE_BITS] &= (uint8_t)~(0x80 >> (bit % BYTE_BITS));
}

int xp_mac_parse(const char *s, uint8_t mac[6])
{
	unsigned v[MAC_LEN];
	char tail;

	if (!s || sscanf(s, "%x:%x:%x:%x:%x:%x%c", &v[0], &v[1], &v[2], &v[3], &v[4],
			 &v[5], &tail) != MAC_LEN)
		return -EINVAL;
	for (int i = 0; i < MAC_LEN; i++) {
		if (v[i] > UINT8_MAX)
			return -EINVAL;
		mac[i] = (uint8_t)v[i];
	}
	return 0;
}

/* ---- setting helpers: each returns 0, 1 (absent, default kept) or -EINVAL ---- */

static int check_keys(struct pctx *c, const config_setting_t *group, const char *path,
		      const char *const *allowed)
{
	int n = config_setting_length(group);

	for (int i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(s);
		char key[KEY_MAX];
		bool ok = false;

		if (!name)
			continue;
		for (const char *const *a = allowed; *a; a++)
			if (!strcmp(*a, name))
				ok = true;
		if (!ok) {
			keypath(key, path, name);
			return fail(c, s, key, "unknown key");
		}
	}
	return 0;
}

static int get_group(struct pctx *c, const config_setting_t *parent, const char *path,
		     const char *name, bool required, config_setting_t **out)
{
	config_setting_t *s = config_setting_get_member(parent, name);
	char key[KEY_MAX];

	keypath(key, path, name);
	*out = NULL;
	if (!s) {
		if (required)
			return fail(c, parent, key, "missing (required section)");
		return 1;
	}
	if (!config_setting_is_group(s))
		return fail(c, s, key, "expected a group { ... }");
	*out = s;
	return 0;
}

static int get_u32(struct pctx *c, const config_setting_t *g, const char *path,
		   const char *name, uint32_t min, uint32_t max, uint32_t *out)
{
	const config_setting_t *s = config_setting_get_member(g, name);
	char key[KEY_MAX];
	long long v;

	if (!s)
		return 1;
	keypath(key, path, name);
	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64)
		return fail(c, s, key, "expected an integer");
	v = config_setting_get_int64(s);
	if (v < (long long)min || v > (long long)max)
		return fail(c, s, key, "%lld is out of range [%u, %u]", v, min, max);
	*out = (uint32_t)v;
	return 0;
}

static int get_u8(struct pctx *c, const config_setting_t *g, const char *path,
		  const char *name, uint32_t min, uint32_t max, uint8_t *out)
{
	uint32_t v;
	int rc = get_u32(c, g, path, name, min, max, &v);

	if (!rc)
		*out = (uint8_t)v;
	return rc;
}

static int get_bool(struct pctx *c, const config_setting_t *g, const char *path,
		    const char *name, bool *out)
{
	const config_setting_t *s = config_setting_get_member(g, name);
	char key[KEY_MAX];

	if (!s)
		return 1;
	keypath(key, path, name);
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return fail(c, s, key, "expected true or false");
	*out = config_setting_get_bool(s);
	return 0;
}

static int str_value(struct pctx *c, const config_setting_t *s, const char *key,
		     char *buf, size_t cap)
{
	const char *v;

	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return fail(c, s, key, "expected a string");
	v = config_setting_get_string(s);
	if (!*v)
		return fail(c, s, key, "must not be empty");
	if (strlen(v) >= cap)
		return fail(c, s, key, "longer than %zu characters", cap - 1);
	strcpy(buf, v);
	return 0;
}

static int get_str(struct pctx *c, const config_setting_t *g, const char *path,
		   const char *name, bool required, char *buf, size_t cap)
{
	const config_setting_t *s = config_setting_get_member(g, name);
	char key[KEY_MAX];

	keypath(key, path, name);
	if (!s)
		return required ? fail(c, g, key, "missing (required)") : 1;
	return str_value(c, s, key, buf, cap);
}

static int get_addr(struct pctx *c, const config_setting_t *g, const char *path,
		    const char *name, bool required, struct in6_addr *out)
{
	char buf[INET6_ADDRSTRLEN];
	const config_setting_t *s = config_setting_get_member(g, name);
	char key[KEY_MAX];
	int rc;

	rc = get_str(c, g, path, name, required, buf, sizeof(buf));
	if (rc)
		return rc;
	keypath(key, path, name);
	if (inet_pton(AF_INET6, buf, out) != 1)
		return fail(c, s, key, "'%s' is not an IPv6 address", buf);
	return 0;
}

static int prefix_value(struct pctx *c, const config_setting_t *s, const char *key,
			bool strict, struct xp_prefix *out)
{
	char buf[INET6_ADDRSTRLEN + 8];
	int rc = str_value(c, s, key, buf, sizeof(buf));

	if (rc)
		return rc;
	if (xp_prefix_parse(buf, out))
		return fail(c, s, key, "'%s' is not an IPv6 prefix (ADDR/LEN)", buf);
	if (strict && !prefix_host_bits_zero(out))
		return fail(c, s, key, "'%s' has bits set past the prefix length", buf);
	prefix_mask(out);
	return 0;
}

static int get_prefix(struct pctx *c, const config_setting_t *g, const char *path,
		      const char *name, bool required, struct xp_prefix *out)
{
	const config_setting_t *s = config_setting_get_member(g, name);
	char key[KEY_MAX];

	keypath(key, path, name);
	if (!s)
		return required ? fail(c, g, key, "missing (required)") : 1;
	return prefix_value(c, s, key, true, out);
}

static int get_mac(struct pctx *c, const config_setting_t *g, const char *path,
		   const char *name, bool required, uint8_t mac[6])
{
	char buf[32];
	const config_setting_t *s = config_setting_get_member(g, name);
	char key[KEY_MAX];
	int rc = get_str(c, g, path, name, required, buf, sizeof(buf));

	if (rc)
		return rc;
	keypath(key, path, name);
	if (xp_mac_parse(buf, mac))
		return fail(c, s, key, "'%s' is not a MAC address (xx:xx:xx:xx:xx:xx)", buf);
	return 0;
}

/* An array (or list) of strings; n_out counts them */
static int get_str_array(struct pctx *c, const config_setting_t *g, const char *path,
			 const char *name, bool required, unsigned max,
			 config_setting_t **arr, unsigned *n_out)
{
	config_setting_t *s = config_setting_get_member(g, name);
	char key[KEY_MAX];
	int n;

	keypath(key, path, name);
	*n_out = 0;
	*arr = s;
	if (!s)
		return required ? fail(c, g, key, "missing (required)") : 1;
	if (!config_setting_is_array(s) && !config_setting_is_list(s))
		return fail(c, s, key, "expected an array [ \"...\", ... ]");
	n = config_setting_length(s);
	if (required && n == 0)
		return fail(c, s, key, "must not be empty");
	if ((unsigned)n > max)
		return fail(c, s, key, "more than %u entries", max);
	*n_out = (unsigned)n;
	return 0;
}

static int get_ifnames(struct pctx *c, const config_setting_t *g, const char *path,
		       const char *name, bool required, char (*ifs)[16], uint8_t *n)
{
	config_setting_t *arr;
	unsigned cnt;
	char key[KEY_MAX];
	int rc = get_str_array(c, g, path, name, required, XP_CFG_MAX_IFS, &arr, &cnt);

	if (rc)
		return rc;
	for (unsigned i = 0; i < cnt; i++) {
		config_setting_t *e = config_setting_get_elem(arr, i);

		snprintf(key, sizeof(key), "%s%s%s[%u]", path, *path ? "." : "", name, i);
		rc = str_value(c, e, key, ifs[i], IFNAME_MAX);
		if (rc)
			return rc;
		for (unsigned j = 0; j < i; j++)
			if (!strcmp(ifs[j], ifs[i]))
				return fail(c, e, key, "'%s' listed twice", ifs[i]);
	}
	*n = (uint8_t)cnt;
	return 0;
}

/* ---- common keys ---- */

static const char *const common_keys[] = {
	"instance", "log_level", "syslog", "pin_root", "heartbeat_interval_s",
	"heartbeat_missing_limit", "metrics_listen", "max_bindings", "lma", "mag", "mn", NULL
};

static int parse_common(struct pctx *c, const config_setting_t *root, struct xp_config *cfg)
{
	int rc;

	if ((rc = check_keys(c, root, "", common_keys)))
		return rc;
	if ((rc = get_str(c, root, "", "instance", false, cfg->instance,
			  sizeof(cfg->instance))) < 0)
		return rc;
	for (const char *p = cfg->instance; *p; p++)
		if (*p == '/' || (*p == '.' && p == cfg->instance))
			return fail(c, config_setting_get_member(root, "instance"), "instance",
				    "'%s' cannot name a directory", cfg->instance);
	if ((rc = get_str(c, root, "", "log_level", false, cfg->log_level,
			  sizeof(cfg->log_level))) < 0)
		return rc;
	if (xp_log_level_parse(cfg->log_level) < 0)
		return fail(c, config_setting_get_member(root, "log_level"), "log_level",
			    "'%s' is not one of err, warn, info, debug", cfg->log_level);
	if ((rc = get_bool(c, root, "", "syslog", &cfg->use_syslog)) < 0)
		return rc;
	if ((rc = get_str(c, root, "", "pin_root", false, cfg->pin_root,
			  sizeof(cfg->pin_root))) < 0)
		return rc;
	if (cfg->pin_root[0] != '/')
		return fail(c, config_setting_get_member(root, "pin_root"), "pin_root",
			    "'%s' is not an absolute path", cfg->pin_root);
	if ((rc = get_str(c, root, "", "metrics_listen", false, cfg->metrics_listen,
			  sizeof(cfg->metrics_listen))) < 0)
		return rc;
	if (cfg->metrics_listen[0]) {
		struct sockaddr_storage ss;
		socklen_t sl;

		if (xp_metrics_addr_parse(cfg->metrics_listen, &ss, &sl))
			return fail(c, config_setting_get_member(root, "metrics_listen"),
				    "metrics_listen", "'%s' is not ADDRESS:PORT (127.0.0.1:9477, "
				    "[::1]:9477)", cfg->metrics_listen);
	}
	if ((rc = get_u32(c, root, "", "heartbeat_interval_s", 0, UINT16_MAX,
			  &cfg->heartbeat_interval_s)) < 0)
		return rc;
	if ((rc = get_u32(c, root, "", "heartbeat_missing_limit", 1, UINT8_MAX,
			  &cfg->heartbeat_missing_limit)) < 0)
		return rc;
	/* sizes the binding maps when they are created (docs/configuration.md) */
	if ((rc = get_u32(c, root, "", "max_bindings", 1, XP_MAX_BINDINGS,
			  &cfg->max_bindings)) < 0)
		return rc;
	return 0;
}

/* ---- lma ---- */

static const char *const policy_keys[] = {
	"id", "allowed", "served_here", "hnps", "hnps_per_interface", "max_lifetime_s",
	"address_model", "primary_hoa", NULL
};

static int parse_policy(struct pctx *c, const config_setting_t *g, const char *path,
			const struct xp_lma_config *lma, bool need_id,
			struct xp_lma_mn_policy *p)
{
	config_setting_t *arr;
	unsigned n;
	char key[KEY_MAX];
	int rc;

	memset(p, 0, sizeof(*p));
	p->allowed = true;
	p->served_here = true;
	p->hnps_per_if = 1;
	p->max_lifetime_s = lma->max_lifetime_s;
	if ((rc = check_keys(c, g, path, policy_keys)))
		return rc;
	if (need_id) {
		if ((rc = get_str(c, g, path, "id", true, p->mn_id, sizeof(p->mn_id))))
			return rc;
	} else if (config_setting_get_member(g, "id")) {
		keypath(key, path, "id");
		return fail(c, config_setting_get_member(g, "id"), key,
			    "the default policy has no id");
	}
	if ((rc = get_bool(c, g, path, "allowed", &p->allowed)) < 0)
		return rc;
	if ((rc = get_bool(c, g, path, "served_here", &p->served_here)) < 0)
		return rc;
	if ((rc = get_u8(c, g, path, "hnps_per_interface", 1, HNP_PER_IF_MAX,
			 &p->hnps_per_if)) < 0)
		return rc;
	if ((rc = get_u32(c, g, path, "max_lifetime_s", 0, LIFETIME_MAX_S,
			  &p->max_lifetime_s)) < 0)
		return rc;
	{
		char model[XP_CFG_NAME_MAX];

		rc = get_str(c, g, path, "address_model", false, model, sizeof(model));
		if (rc < 0)
			return rc;
		if (rc == 0) {
			int m = ifp_model_parse(model);

			keypath(key, path, "address_model");
			if (m < 0)
				return fail(c, config_setting_get_member(g, "address_model"), key,
					    "'%s' is not unique-prefix, unique-address or shared-address",
					    model);
			p->addr_model = (uint8_t)m;
		}
	}
	rc = get_addr(c, g, path, "primary_hoa", false, &p->primary_hoa);
	if (rc < 0)
		return rc;
	p->has_primary_hoa = rc == 0;
	rc = get_str_array(c, g, path, "hnps", false, XP_CFG_MAX_HNP, &arr, &n);
	if (rc < 0)
		return rc;
	for (unsigned i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(arr, i);

		snprintf(key, sizeof(key), "%s.hnps[%u]", path, i);
		if ((rc = prefix_value(c, e, key, true, &p->hnp[i])))
			return rc;
		if (p->hnp[i].plen == 0)
			return fail(c, e, key, "a home network prefix cannot be ::/0");
	}
	p->n_hnp = (uint8_t)n;
	return 0;
}

static const char *const lma_keys[] = {
	"address", "interfaces", "authorized_mags", "hnp_pool", "hnp_len", "timestamps",
	"timestamp_window_ms", "max_lifetime_s", "min_delay_before_bce_delete_ms",
	"max_delay_before_new_bce_assign_ms", "default_policy", "mns", "tunnel_mtu",
	"two_level",
	"upn_timeout_ms", "upn_max_timeout_ms", "upn_max_retransmits", "upn_flow_info",
	"multihoming", "mh_reinstantiation", NULL
};

static const char *const lma_tl_keys[] = {
	"temporal_pool", "block_len", "ffho_hold_s", "option_type", NULL
};

/* lma.two_level { temporal_pool; block_len; ffho_hold_s; option_type } (001) */
static int parse_lma_two_level(struct pctx *c, const config_setting_t *g,
			       struct xp_lma_config *lma)
{
	const char *P = "lma.two_level";
	struct xp_lma_two_level *t = &lma->two_level;
	uint32_t v;
	int rc;

	t->block_len = XP_CFG_DEF_TL_BLOCK_LEN;
	t->ffho_hold_s = XP_CFG_DEF_TL_FFHO_HOLD_S;
	t->tpfx_opt = XP_MOPT_TPFX_BLOCK_DEFAULT;
	if ((rc = check_keys(c, g, P, lma_tl_keys)))
		return rc;
	if ((rc = get_prefix(c, g, P, "temporal_pool", true, &t->temporal_pool)))
		return rc;
	if ((rc = get_u8(c, g, P, "block_len", 1, XP_PREFIX64_LEN, &t->block_len)) < 0)
		return rc;
	if (t->block_len < t->temporal_pool.plen)
		return fail(c, config_setting_get_member(g, "block_len") ?
			    config_setting_get_member(g, "block_len") : g, "lma.two_level.block_len",
			    "block_len %u is shorter than the temporal pool's /%u", t->block_len,
			    t->temporal_pool.plen);
	if (xp_prefix_contains(&lma->hnp_pool, &t->temporal_pool.addr) ||
	    xp_prefix_contains(&t->temporal_pool, &lma->hnp_pool.addr))
		return fail(c, config_setting_get_member(g, "temporal_pool"),
			    "lma.two_level.temporal_pool",
			    "overlaps hnp_pool: permanent and temporal prefixes are told apart "
			    "by range (001 section 3)");
	if ((rc = get_u32(c, g, P, "ffho_hold_s", 0, LIFETIME_MAX_S, &t->ffho_hold_s)) < 0)
		return rc;
	if ((rc = get_u32(c, g, P, "option_type", 1, UINT8_MAX, &v)) < 0)
		return rc;
	if (!rc)
		t->tpfx_opt = (uint8_t)v;
	t->enabled = true;
	return 0;
}

static int parse_lma(struct pctx *c, const config_setting_t *g, struct xp_lma_config *lma)
{
	const char *P = "lma";
	config_setting_t *arr, *dp;
	unsigned n;
	char key[KEY_MAX];
	uint32_t v;
	int rc;

	lma->hnp_len = XP_CFG_DEF_HNP_LEN;
	lma->use_timestamps = true;
	lma->timestamp_window_ms = XP_TIMESTAMP_VALIDITY_MS;
	lma->max_lifetime_s = XP_CFG_DEF_MAX_LIFETIME_S;
	lma->min_delay_bce_delete_ms = XP_MIN_DELAY_BCE_DELETE_MS;
	lma->max_delay_new_bce_ms = XP_CFG_DEF_MAX_DELAY_NEW_BCE_MS;
	lma->tunnel_mtu = XP_CFG_DEF_TUNNEL_MTU;
	lma->upn_timeout_ms = XP_INITIAL_BINDACK_TIMEOUT_MS;
	lma->upn_max_timeout_ms = XP_MAX_BINDACK_TIMEOUT_MS;
	lma->upn_max_retransmits = XP_CFG_DEF_MAX_RETRANSMITS;
	lma->multihoming = true;
	lma->mh_reinstantiation = true;

	if ((rc = check_keys(c, g, P, lma_keys)))
		return rc;
	if ((rc = get_addr(c, g, P, "address", true, &lma->address)))
		return rc;
	if ((rc = get_ifnames(c, g, P, "interfaces", true, lma->interfaces,
			      &lma->n_interfaces)))
		return rc;
	if ((rc = get_str_array(c, g, P, "authorized_mags", true, XP_CFG_MAX_AUTH, &arr, &n)))
		return rc;
	for (unsigned i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "lma.authorized_mags[%u]", i);
		if ((rc = prefix_value(c, config_setting_get_elem(arr, i), key, false,
				       &lma->authorized_mags[i])))
			return rc;
	}
	lma->n_authorized_mags = (uint8_t)n;
	if ((rc = get_prefix(c, g, P, "hnp_pool", true, &lma->hnp_pool)))
		return rc;
	if ((rc = get_u8(c, g, P, "hnp_len", 1, XP_IPV6_PREFIX_MAX, &lma->hnp_len)) < 0)
		return rc;
	if (lma->hnp_len < lma->hnp_pool.plen) {
		const config_setting_t *s = config_setting_get_member(g, "hnp_len");

		return fail(c, s ? s : config_setting_get_member(g, "hnp_pool"),
			    s ? "lma.hnp_len" : "lma.hnp_pool",
			    "hnp_len %u is shorter than the pool's /%u", lma->hnp_len,
			    lma->hnp_pool.plen);
	}
	if ((rc = get_bool(c, g, P, "timestamps", &lma->use_timestamps)) < 0)
		return rc;
	if ((rc = get_u32(c, g, P, "timestamp_window_ms", 1, MS_MAX,
			  &lma->timestamp_window_ms)) < 0)
		return rc;
	if ((rc = get_u32(c, g, P, "max_lifetime_s", XP_LIFETIME_UNIT_S, LIFETIME_MAX_S,
			  &lma->max_lifetime_s)) < 0)
		return rc;
	if ((rc = get_u32(c, g, P, "min_delay_before_bce_delete_ms", 0, MS_MAX,
			  &lma->min_delay_bce_delete_ms)) < 0)
		return rc;
	if ((rc = get_u32(c, g, P, "max_delay_before_new_bce_assign_ms", 0, MS_MAX,
			  &lma->max_delay_new_bce_ms)) < 0)
		return rc;
	if ((rc = get_u32(c, g, P, "tunnel_mtu", XP_IPV6_MIN_MTU + XP_IPV6_HDR_LEN,
			  UINT16_MAX, &v)) < 0)
		return rc;
	if (!rc)
		lma->tunnel_mtu = (uint16_t)v;
	/* RFC 7864 flow mobility signalling (UPN retransmission) and 004 */
	if ((rc = get_u32(c, g, P, "upn_timeout_ms", 1, MS_MAX, &lma->upn_timeout_ms)) < 0 ||
	    (rc = get_u32(c, g, P, "upn_max_timeout_ms", 1, MS_MAX,
			  &lma->upn_max_timeout_ms)) < 0 ||
	    (rc = get_u32(c, g, P, "upn_max_retransmits", 0, UPN_MAX_RETRANSMITS,
			  &lma->upn_max_retransmits)) < 0 ||
	    (rc = get_bool(c, g, P, "upn_flow_info", &lma->upn_flow_info)) < 0 ||
	    (rc = get_bool(c, g, P, "multihoming", &lma->multihoming)) < 0 ||
	    (rc = get_bool(c, g, P, "mh_reinstantiation", &lma->mh_reinstantiation)) < 0)
		return rc;
	if (lma->upn_max_timeout_ms < lma->upn_timeout_ms)
		return fail(c, config_setting_get_member(g, "upn_max_timeout_ms"),
			    "lma.upn_max_timeout_ms", "%u is below upn_timeout_ms %u",
			    lma->upn_max_timeout_ms, lma->upn_timeout_ms);

	rc = get_group(c, g, P, "two_level", false, &dp);
	if (rc < 0)
		return rc;
	if (dp && (rc = parse_lma_two_level(c, dp, lma)))
		return rc;

	rc = get_group(c, g, P, "default_policy", false, &dp);
	if (rc < 0)
		return rc;
	if (dp) {
		if ((rc = parse_policy(c, dp, "lma.default_policy", lma, false,
				       &lma->default_policy)))
			return rc;
		lma->has_default_policy = true;
	}

	arr = config_setting_get_member(g, "mns");
	if (arr) {
		int cnt;

		if (!config_setting_is_list(arr) && !config_setting_is_array(arr))
			return fail(c, arr, "lma.mns", "expected a list ( { ... }, ... )");
		cnt = config_setting_length(arr);
		if (cnt > 0) {
			lma->mns = calloc((size_t)cnt, sizeof(*lma->mns));
			if (!lma->mns)
				return fail(c, arr, "lma.mns", "out of memory");
		}
		for (int i = 0; i < cnt; i++) {
			config_setting_t *e = config_setting_get_elem(arr, (unsigned)i);
			char path[KEY_MAX];

			snprintf(path, sizeof(path), "lma.mns[%d]", i);
			if (!config_setting_is_group(e))
				return fail(c, e, path, "expected a group { id = ...; }");
			if ((rc = parse_policy(c, e, path, lma, true, &lma->mns[i])))
				return rc;
			for (int j = 0; j < i; j++)
				if (!strcmp(lma->mns[j].mn_id, lma->mns[i].mn_id)) {
					keypath(key, path, "id");
					return fail(c, config_setting_get_member(e, "id"), key,
						    "'%s' listed twice", lma->mns[i].mn_id);
				}
			lma->n_mns = (uint32_t)i + 1;
		}
	}
	return 0;
}

/* ---- mag ---- */

static const char *const profile_keys[] = {
	"mac", "id", "att", "ifp", "primary", "mhgid", "share_prefixes", "multihoming",
	"mh_on_remove", "filters", NULL
};

/* 004: mh_on_remove = "keep" | "remove"; filters = [ "fid 1 ... SELECTOR", ... ] */
static int parse_mh(struct pctx *c, const config_setting_t *g, const char *path,
		    struct xp_mag_mn_profile *p)
{
	char key[KEY_MAX], act[XP_CFG_NAME_MAX], err[FLOWSEL_ERR_MAX];
	config_setting_t *arr;
	unsigned n;
	int rc;

	p->mh_on_remove = XP_MH_ACT_KEEP;
	if ((rc = get_bool(c, g, path, "multihoming", &p->multihoming)) < 0)
		return rc;
	if ((rc = get_str(c, g, path, "mh_on_remove", false, act, sizeof(act))) < 0)
		return rc;
	if (rc == 0) {
		keypath(key, path, "mh_on_remove");
		if (!strcmp(act, "keep") || !strcmp(act, "remove"))
			p->mh_on_remove = !strcmp(act, "keep") ? XP_MH_ACT_KEEP : XP_MH_ACT_REMOVE;
		else
			return fail(c, config_setting_get_member(g, "mh_on_remove"), key,
				    "'%s' is not keep or remove", act);
	}
	rc = get_str_array(c, g, path, "filters", false, XP_CFG_MAX_FILTERS, &arr, &n);
	if (rc < 0)
		return rc;
	for (unsigned i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(arr, i);
		char text[FLOWSEL_ERR_MAX * 2];

		snprintf(key, sizeof(key), "%s.filters[%u]", path, i);
		if ((rc = str_value(c, e, key, text, sizeof(text))))
			return rc;
		if (flowsel_filter_parse_str(text, &p->filters[i], err))
			return fail(c, e, key, "%s", err);
		for (unsigned j = 0; j < i; j++)
			if (p->filters[j].fid == p->filters[i].fid)
				return fail(c, e, key, "fid %u listed twice", p->filters[i].fid);
	}
	p->n_filters = (uint8_t)n;
	if (n && !p->multihoming) {
		keypath(key, path, "filters");
		return fail(c, arr, key, "filters need multihoming = true");
	}
	return 0;
}

static int parse_profile(struct pctx *c, const config_setting_t *g, const char *path,
			 bool explicit_mn, struct xp_mag_mn_profile *p)
{
	char key[KEY_MAX];
	int rc;

	memset(p, 0, sizeof(*p));
	p->att = XP_CFG_DEF_ATT;
	if ((rc = check_keys(c, g, path, profile_keys)))
		return rc;
	if (explicit_mn) {
		if ((rc = get_mac(c, g, path, "mac", true, p->mac)))
			return rc;
		if ((rc = get_str(c, g, path, "id", true, p->mn_id, sizeof(p->mn_id))))
			return rc;
	} else {
		static const char *const no[] = { "mac", "id" };

		for (unsigned i = 0; i < sizeof(no) / sizeof(no[0]); i++)
			if (config_setting_get_member(g, no[i])) {
				keypath(key, path, no[i]);
				return fail(c, config_setting_get_member(g, no[i]), key,
					    "not allowed in the default profile (derived from the MAC)");
			}
	}
	if ((rc = get_u8(c, g, path, "att", 1, UINT8_MAX, &p->att)) < 0)
		return rc;
	if ((rc = get_u8(c, g, path, "ifp", 0, UINT8_MAX, &p->ifp)) < 0)
		return rc;
	if ((rc = get_bool(c, g, path, "primary", &p->primary)) < 0)
		return rc;
	if ((rc = get_u8(c, g, path, "mhgid", 0, UINT8_MAX, &p->mhgid)) < 0)
		return rc;
	if ((rc = get_bool(c, g, path, "share_prefixes", &p->share_prefixes)) < 0)
		return rc;
	return parse_mh(c, g, path, p);
}

static const char *const ra_keys[] = {
	"link_local", "mac", "min_interval_ms", "max_interval_ms", "router_lifetime_s",
	"prefix_valid_s", "prefix_preferred_s", NULL
};

static int parse_ra(struct pctx *c, const config_setting_t *g, struct xp_mag_config *mag)
{
	const char *P = "mag.ra";
	int rc;

	if ((rc = check_keys(c, g, P, ra_keys)))
		return rc;
	if ((rc = get_addr(c, g, P, "link_local", false, &mag->ra_link_local)) < 0)
		return rc;
	if (!IN6_IS_ADDR_LINKLOCAL(&mag->ra_link_local))
		return fail(c, config_setting_get_member(g, "link_local"), "mag.ra.link_local",
			    "not a link-local (fe80::/10) address");
	if ((rc = get_mac(c, g, P, "mac", false, mag->ra_mac)) < 0)
		return rc;
	/* RFC 4861 section 6.2.1 bounds */
	if ((rc = get_u32(c, g, P, "min_interval_ms", 30, 1350000, &mag->ra_min_interval_ms)) < 0)
		return rc;
	if ((rc = get_u32(c, g, P, "max_interval_ms", 70, 1800000, &mag->ra_max_interval_ms)) < 0)
		return rc;
	if (mag->ra_min_interval_ms > mag->ra_max_interval_ms) {
		const config_setting_t *s = config_setting_get_member(g, "min_interval_ms");

		return fail(c, s ? s : g, "mag.ra.min_interval_ms",
			    "%u is larger than max_interval_ms %u", mag->ra_min_interval_ms,
			    mag->ra_max_interval_ms);
	}
	if ((rc = get_u32(c, g, P, "router_lifetime_s", 0, 9000, &mag->ra_router_lifetime_s)) < 0)
		return rc;
	if ((rc = get_u32(c, g, P, "prefix_valid_s", 0, UINT32_MAX, &mag->ra_prefix_valid_s)) < 0)
		return rc;
	if ((rc = get_u32(c, g, P, "prefix_preferred_s", 0, UINT32_MAX,
			  &mag->ra_prefix_preferred_s)) < 0)
		return rc;
	if (mag->ra_prefix_preferred_s > mag->ra_prefix_valid_s) {
		const config_setting_t *s = config_setting_get_member(g, "prefix_preferred_s");

		return fail(c, s ? s : g, "mag.ra.prefix_preferred_s",
			    "%u is larger than prefix_valid_s %u", mag->ra_prefix_preferred_s,
			    mag->ra_prefix_valid_s);
	}
	return 0;
}

static const char *const mag_keys[] = {
	"proxy_coa", "lma_address", "core_interface", "access_interfaces", "detect_link_up",
	"lifetime_s", "refresh_pct", "initial_bindack_timeout_ms", "max_bindack_timeout_ms",
	"max_retransmits", "ra", "mtu", "mns", "default_profile", "two_level", NULL
};

static const char *const mag_tl_keys[] = {
	"prefixes_per_interface", "temporal_pool", "option_type", NULL
};

/* mag.two_level { prefixes_per_interface; temporal_pool } (001) */
static int parse_mag_two_level(struct pctx *c, const config_setting_t *g,
			       struct xp_mag_config *mag)
{
	const char *P = "mag.two_level";
	struct xp_mag_two_level *t = &mag->two_level;
	uint32_t v;
	int rc;

	t->prefixes_per_if = XP_CFG_DEF_TL_PER_IF;
	t->tpfx_opt = XP_MOPT_TPFX_BLOCK_DEFAULT;
	if ((rc = check_keys(c, g, P, mag_tl_keys)))
		return rc;
	if ((rc = get_u8(c, g, P, "prefixes_per_interface", 1, XP_CFG_MAX_HNP,
			 &t->prefixes_per_if)) < 0)
		return rc;
	if ((rc = get_prefix(c, g, P, "temporal_pool", false, &t->temporal_pool)) < 0)
		return rc;
	t->has_temporal_pool = rc == 0;
	if ((rc = get_u32(c, g, P, "option_type", 1, UINT8_MAX, &v)) < 0)
		return rc;
	if (!rc)
		t->tpfx_opt = (uint8_t)v;
	t->enabled = true;
	return 0;
}

static int parse_mag(struct pctx *c, const config_setting_t *g, struct xp_mag_config *mag)
{
	const char *P = "mag";
	config_setting_t *sub, *arr;
	uint32_t v;
	int rc;

	mag->lifetime_s = XP_CFG_DEF_MAG_LIFETIME_S;
	mag->refresh_pct = XP_CFG_DEF_REFRESH_PCT;
	mag->initial_bindack_timeout_ms = XP_INITIAL_BINDACK_TIMEOUT_MS;
	mag->max_bindack_timeout_ms = XP_MAX_BINDACK_TIMEOUT_MS;
	mag->max_retransmits = XP_CFG_DEF_MAX_RETRANSMITS;
	inet_pton(AF_INET6, XP_CFG_DEF_RA_LINK_LOCAL, &mag->ra_link_local);
	xp_mac_parse(XP_CFG_DEF_RA_MAC, mag->ra_mac);
	mag->ra_min_interval_ms = XP_CFG_DEF_RA_MIN_MS;
	mag->ra_max_interval_ms = XP_CFG_DEF_RA_MAX_MS;
	mag->ra_router_lifetime_s = XP_CFG_DEF_RA_ROUTER_LT_S;
	mag->ra_prefix_valid_s = XP_CFG_DEF_RA_VALID_S;
	mag->ra_prefix_preferred_s = XP_CFG_DEF_RA_PREFERRED_S;
	mag->mtu = XP_CFG_DEF_MAG_MTU;

	if ((rc = check_keys(c, g, P, mag_keys)))
		return rc;
	if ((rc = get_addr(c, g, P, "proxy_coa", true, &mag->proxy_coa)))
		return rc;
	if ((rc = get_addr(c, g, P, "lma_address", true, &mag->lma_address)))
		return rc;
	if ((rc = get_str(c, g, P, "core_interface", true, mag->core_interface,
			  sizeof(mag->core_interface))))
		return rc;
	if ((rc = get_ifnames(c, g, P, "access_interfaces", true, mag->access_interfaces,
			      &mag->n_access)))
		return rc;
	for (unsigned i = 0; i < mag->n_access; i++)
		if (!strcmp(mag->access_interfaces[i], mag->core_interface))
			return fail(c, config_setting_get_member(g, "access_interfaces"),
				    "mag.access_interfaces", "'%s' is also the core_interface",
				    mag->core_interface);
	if ((rc = get_bool(c, g, P, "detect_link_up", &mag->detect_link_up)) < 0)
		return rc;
	if ((rc = get_u32(c, g, P, "lifetime_s", XP_LIFETIME_UNIT_S, LIFETIME_MAX_S,
			  &mag->lifetime_s)) < 0)
		return rc;
	if ((rc = get_u32(c, g, P, "refresh_pct", 1, PCT_MAX, &mag->refresh_pct)) < 0)
		return rc;
	if ((rc = get_u32(c, g, P, "initial_bindack_timeout_ms", 1, MS_MAX,
			  &mag->initial_bindack_timeout_ms)) < 0)
		return rc;
	if ((rc = get_u32(c, g, P, "max_bindack_timeout_ms", 1, MS_MAX,
			  &mag->max_bindack_timeout_ms)) < 0)
		return rc;
	if (mag->max_bindack_timeout_ms < mag->initial_bindack_timeout_ms) {
		const config_setting_t *s = config_setting_get_member(g, "max_bindack_timeout_ms");

		return fail(c, s ? s : g, "mag.max_bindack_timeout_ms",
			    "%u is smaller than initial_bindack_timeout_ms %u",
			    mag->max_bindack_timeout_ms, mag->initial_bindack_timeout_ms);
	}
	if ((rc = get_u32(c, g, P, "max_retransmits", 0, UINT8_MAX, &mag->max_retransmits)) < 0)
		return rc;
	if ((rc = get_u32(c, g, P, "mtu", XP_IPV6_MIN_MTU, UINT16_MAX, &v)) < 0)
		return rc;
	if (!rc)
		mag->mtu = (uint16_t)v;
	if ((rc = get_group(c, g, P, "ra", false, &sub)) < 0)
		return rc;
	if (sub && (rc = parse_ra(c, sub, mag)))
		return rc;
	if ((rc = get_group(c, g, P, "two_level", false, &sub)) < 0)
		return rc;
	if (sub && (rc = parse_mag_two_level(c, sub, mag)))
		return rc;
	if ((rc = get_group(c, g, P, "default_profile", false, &sub)) < 0)
		return rc;
	if (sub) {
		if ((rc = parse_profile(c, sub, "mag.default_profile", false,
					&mag->default_profile)))
			return rc;
		mag->has_default_profile = true;
	}
	arr = config_setting_get_member(g, "mns");
	if (arr) {
		int cnt;

		if (!config_setting_is_list(arr) && !config_setting_is_array(arr))
			return fail(c, arr, "mag.mns", "expected a list ( { ... }, ... )");
		cnt = config_setting_length(arr);
		if (cnt > 0) {
			mag->mns = calloc((size_t)cnt, sizeof(*mag->mns));
			if (!mag->mns)
				return fail(c, arr, "mag.mns", "out of memory");
		}
		for (int i = 0; i < cnt; i++) {
			config_setting_t *e = config_setting_get_elem(arr, (unsigned)i);
			char path[KEY_MAX], key[KEY_MAX];

			snprintf(path, sizeof(path), "mag.mns[%d]", i);
			if (!config_setting_is_group(e))
				return fail(c, e, path, "expected a group { mac = ...; id = ...; }");
			if ((rc = parse_profile(c, e, path, true, &mag->mns[i])))
				return rc;
			for (int j = 0; j < i; j++)
				if (!memcmp(mag->mns[j].mac, mag->mns[i].mac, MAC_LEN)) {
					keypath(key, path, "mac");
					return fail(c, config_setting_get_member(e, "mac"), key,
						    "MAC listed twice");
				}
			mag->n_mns = (uint32_t)i + 1;
		}
	}
	return 0;
}

/* ---- mn ---- */

static const char *const mn_keys[] = { "primary_hoa", "hoa_option_type", "interfaces", NULL };
static const char *const mn_if_keys[] = { "name", "primary", "hoa", NULL };

static int parse_mn(struct pctx *c, const config_setting_t *g, struct xp_mn_config *mn)
{
	config_setting_t *arr = config_setting_get_member(g, "interfaces");
	char path[KEY_MAX];
	unsigned n, n_primary = 0;
	int rc;

	mn->hoa_opt = XP_DSTOPT_PRIMARY_HOA_DEFAULT;
	if ((rc = check_keys(c, g, "mn", mn_keys)))
		return rc;
	rc = get_addr(c, g, "mn", "primary_hoa", false, &mn->primary_hoa);
	if (rc < 0)
		return rc;
	mn->has_primary_hoa = rc == 0;
	if ((rc = get_u8(c, g, "mn", "hoa_option_type", XP_DSTOPT_PADN + 1, UINT8_MAX,
			 &mn->hoa_opt)) < 0)
		return rc;
	if (!arr || !config_setting_is_list(arr))
		return fail(c, arr ? arr : g, "mn.interfaces",
			    arr ? "expected a list ( { name = ...; }, ... )" : "missing (required)");
	n = (unsigned)config_setting_length(arr);
	if (n == 0 || n > XP_CFG_MAX_IFS)
		return fail(c, arr, "mn.interfaces", "needs 1 to %d interfaces", XP_CFG_MAX_IFS);
	for (unsigned i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(arr, i);
		struct xp_mn_if *f = &mn->ifs[i];

		snprintf(path, sizeof(path), "mn.interfaces[%u]", i);
		if (!config_setting_is_group(e))
			return fail(c, e, path, "expected a group { name = ...; }");
		if ((rc = check_keys(c, e, path, mn_if_keys)))
			return rc;
		if ((rc = get_str(c, e, path, "name", true, f->name, sizeof(f->name))))
			return rc;
		if ((rc = get_bool(c, e, path, "primary", &f->primary)) < 0)
			return rc;
		rc = get_addr(c, e, path, "hoa", false, &f->hoa);
		if (rc < 0)
			return rc;
		f->has_hoa = rc == 0;
		n_primary += f->primary;
	}
	if (n_primary != 1)
		return fail(c, arr, "mn.interfaces", "exactly one interface must be primary");
	mn->n_ifs = (uint8_t)n;
	return 0;
}

/* ---- entry points ---- */

static const char *role_name(enum xp_role role)
{
	switch (role) {
	case XP_ROLE_LMA: return "lma";
	case XP_ROLE_MAG: return "mag";
	case XP_ROLE_MN: return "mn";
	default: return NULL;
	}
}

int xp_config_load(const char *path, enum xp_role role, struct xp_config *cfg,
		   char err[XP_CFG_ERR_MAX])
{
	struct pctx c = { .file = path, .err = err, .line = 0 };
	config_t lc;
	config_setting_t *root, *sec;
	const char *rname = role_name(role);
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	err[0] = '\0';
	snprintf(cfg->path, sizeof(cfg->path), "%s", path);
	cfg->role = role;
	snprintf(cfg->log_level, sizeof(cfg->log_level), "info");
	snprintf(cfg->pin_root, sizeof(cfg->pin_root), "%s", XP_PIN_ROOT);
	cfg->heartbeat_missing_limit = XP_CFG_DEF_HB_MISSING;
	if (!rname) {
		snprintf(err, XP_CFG_ERR_MAX, "%s:0: role: unknown role %d", path, (int)role);
		return -EINVAL;
	}
	snprintf(cfg->instance, sizeof(cfg->instance), "%s", rname);

	config_init(&lc);
	if (!config_read_file(&lc, path)) {
		if (config_error_type(&lc) == CONFIG_ERR_FILE_IO)
			snprintf(err, XP_CFG_ERR_MAX, "%s:0: file: cannot read: %s", path,
				 strerror(errno ? errno : ENOENT));
		else
			snprintf(err, XP_CFG_ERR_MAX, "%s:%d: syntax: %s",
				 config_error_file(&lc) ? config_error_file(&lc) : path,
				 config_error_line(&lc), config_error_text(&lc));
		config_destroy(&lc);
		return -EINVAL;
	}
	root = config_root_setting(&lc);
	c.line = 1;
	rc = parse_common(&c, root, cfg);
	if (!rc) {
		rc = get_group(&c, root, "", rname, true, &sec);
		if (!rc && role == XP_ROLE_LMA)
			rc = parse_lma(&c, sec, &cfg->lma);
		else if (!rc && role == XP_ROLE_MAG)
			rc = parse_mag(&c, sec, &cfg->mag);
		else if (!rc && role == XP_ROLE_MN)
			rc = parse_mn(&c, sec, &cfg->mn);
	}
	config_destroy(&lc);
	if (rc) {
		xp_config_free(cfg);
		return -EINVAL;
	}
	return 0;
}

void xp_config_free(struct xp_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->lma.mns);
	cfg->lma.mns = NULL;
	cfg->lma.n_mns = 0;
	free(cfg->mag.mns);
	cfg->mag.mns = NULL;
	cfg->mag.n_mns = 0;
}

const struct xp_mag_mn_profile *xp_config_mag_profile(const struct xp_mag_config *mag,
						       const uint8_t mac[6],
						       struct xp_mag_mn_profile *scratch)
{
	for (uint32_t i = 0; i < mag->n_mns; i++)
		if (!memcmp(mag->mns[i].mac, mac, MAC_LEN))
			return &mag->mns[i];
	if (!mag->has_default_profile || !scratch)
		return NULL;
	*scratch = mag->default_profile;
	memcpy(scratch->mac, mac, MAC_LEN);
	snprintf(scratch->mn_id, sizeof(scratch->mn_id),
		 "%02x:%02x:%02x:%02x:%02x:%02x@default", mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
	return scratch;
}

const struct xp_lma_mn_policy *xp_config_lma_policy(const struct xp_lma_config *lma,
						    const char *mn_id)
{
	if (!mn_id)
		return NULL;
	for (uint32_t i = 0; i < lma->n_mns; i++)
		if (!strcmp(lma->mns[i].mn_id, mn_id))
			return &lma->mns[i];
	return lma->has_default_policy ? &lma->default_policy : NULL;
}
