// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* ifp.c - see ifp.h */
#include <errno.h>
#include <string.h>

#include "ifp.h"

#define EUI64_UL_BIT	0x02	/* universal/local bit, inverted (RFC 4291 2.5.1) */
#define EUI64_FF	0xff
#define EUI64_FE	0xfe
#define IID_OFF		8	/* the interface identifier is the low 64 bits */
#define IID_PLEN_MAX	64

static const char *const model_names[] = {
	[XP_AM_UNIQUE_PREFIX] = "unique-prefix",
	[XP_AM_UNIQUE_ADDRESS] = "unique-address",
	[XP_AM_SHARED_ADDRESS] = "shared-address",
};

int ifp_iid(const uint8_t *llid, uint8_t len, uint8_t iid[IFP_IID_LEN])
{
	if (!llid)
		return -EINVAL;
	if (len == IFP_IID_LEN) {
		memcpy(iid, llid, IFP_IID_LEN);
		return 0;
	}
	if (len != IFP_MAC_LEN)
		return -EINVAL;
	iid[0] = llid[0] ^ EUI64_UL_BIT;
	iid[1] = llid[1];
	iid[2] = llid[2];
	iid[3] = EUI64_FF;
	iid[4] = EUI64_FE;
	iid[5] = llid[3];
	iid[6] = llid[4];
	iid[7] = llid[5];
	return 0;
}

int ifp_hoa(const struct xp_prefix *pfx, const uint8_t *llid, uint8_t len,
	    struct in6_addr *hoa)
{
	uint8_t iid[IFP_IID_LEN];

	if (!pfx || pfx->plen > IID_PLEN_MAX || ifp_iid(llid, len, iid))
		return -EINVAL;
	memcpy(hoa->s6_addr, pfx->addr.s6_addr, IID_OFF);
	memcpy(hoa->s6_addr + IID_OFF, iid, IFP_IID_LEN);
	return 0;
}

void ifp_choose(const struct ifp_path *p, size_t n, const struct in6_addr *primary_hoa,
		struct xp_mn_val *out)
{
	uint8_t best = 0;

	memset(out, 0, sizeof(*out));
	if (primary_hoa)
		memcpy(out->primary_hoa.a8, primary_hoa->s6_addr, sizeof(out->primary_hoa.a8));
	for (size_t i = 0; i < n; i++)
		if (p[i].active && p[i].ifp > best)
			best = p[i].ifp;
	if (!best)
		return;
	/* two passes: the primary interface's binding first */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n && out->n_dl < XP_MAX_DL_BINDINGS; i++)
			if (p[i].active && p[i].ifp == best && p[i].primary == (pass == 0))
				out->dl_bid[out->n_dl++] = p[i].bid;
}

int ifp_model_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(model_names) / sizeof(model_names[0]); i++)
		if (s && !strcmp(s, model_names[i]))
			return (int)i;
	return -EINVAL;
}

const char *ifp_model_name(int model)
{
	if (model < 0 || (size_t)model >= sizeof(model_names) / sizeof(model_names[0]))
		return NULL;
	return model_names[model];
}
