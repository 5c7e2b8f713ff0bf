// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_ifp.c - user/ifp.c: interface identifiers, HoAs, the downlink
 * choice over IFPs (000_2df5b7e7ec4cafcb.txt section 3) and the address
 * model names.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "ifp.h"

static struct in6_addr A(const char *s)
{
	struct in6_addr a;

	cr_assert_eq(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

Test(ifp, iid_and_hoa_from_a_mac)
{
	const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x02 };
	struct xp_prefix p = { .addr = A("2001:db8:100:3::"), .plen = 64 };
	struct in6_addr h, want = A("2001:db8:100:3::ff:fe00:102");
	uint8_t iid[8];

	cr_assert_eq(ifp_iid(mac, 6, iid), 0);
	cr_assert_eq(iid[0], 0x00, "U/L bit inverted");
	cr_assert_eq(ifp_hoa(&p, mac, 6, &h), 0);
	cr_assert_eq(memcmp(&h, &want, 16), 0, "what Linux SLAAC configures (eui64)");
	cr_assert_eq(ifp_iid(mac, 5, iid), -EINVAL);
	cr_assert_eq(ifp_iid((const uint8_t *)"12345678", 8, iid), 0);
	cr_assert_eq(memcmp(iid, "12345678", 8), 0);
	p.plen = 72;
	cr_assert_eq(ifp_hoa(&p, mac, 6, &h), -EINVAL, "no room for a 64-bit IID");
}

Test(ifp, choose_highest_ifp_primary_first)
{
	struct in6_addr ph = A("2001:db8::1");
	struct ifp_path p[3] = {
		{ .bid = 1, .ifp = 2, .primary = false, .active = true },
		{ .bid = 2, .ifp = 2, .primary = true, .active = true },
		{ .bid = 3, .ifp = 9, .primary = false, .active = false },
	};
	struct xp_mn_val v;

	ifp_choose(p, 3, &ph, &v);
	cr_assert_eq(v.n_dl, 2, "inactive bindings do not count");
	cr_assert_eq(v.dl_bid[0], 2);
	cr_assert_eq(v.dl_bid[1], 1);
	cr_assert_eq(memcmp(v.primary_hoa.a8, &ph, 16), 0);

	p[1].ifp = 1;
	ifp_choose(p, 3, NULL, &v);
	cr_assert_eq(v.n_dl, 1);
	cr_assert_eq(v.dl_bid[0], 1);
	cr_assert(IN6_IS_ADDR_UNSPECIFIED((struct in6_addr *)v.primary_hoa.a8));

	p[0].ifp = p[1].ifp = 0;
	ifp_choose(p, 3, &ph, &v);
	cr_assert_eq(v.n_dl, 0, "no IFP anywhere: the prefix owners");
}

Test(ifp, choose_at_most_two_paths)
{
	struct ifp_path p[3] = {
		{ .bid = 1, .ifp = 5, .active = true },
		{ .bid = 2, .ifp = 5, .active = true },
		{ .bid = 3, .ifp = 5, .active = true },
	};
	struct xp_mn_val v;

	ifp_choose(p, 3, NULL, &v);
	cr_assert_eq(v.n_dl, XP_MAX_DL_BINDINGS);
	cr_assert_eq(v.dl_bid[0], 1);
	cr_assert_eq(v.dl_bid[1], 2);
}

Test(ifp, model_names)
{
	cr_assert_eq(ifp_model_parse("unique-prefix"), XP_AM_UNIQUE_PREFIX);
	cr_assert_eq(ifp_model_parse("unique-address"), XP_AM_UNIQUE_ADDRESS);
	cr_assert_eq(ifp_model_parse("shared-address"), XP_AM_SHARED_ADDRESS);
	cr_assert_eq(ifp_model_parse("shared"), -EINVAL);
	cr_assert_str_eq(ifp_model_name(XP_AM_SHARED_ADDRESS), "shared-address");
	cr_assert_null(ifp_model_name(7));
}
