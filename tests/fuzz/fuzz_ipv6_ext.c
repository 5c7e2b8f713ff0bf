// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * fuzz_ipv6_ext.c - libFuzzer target for the Primary HoA Destination
 * Options parser and the Type 2 Routing Header parser.
 *
 * The first input octet picks the option type the dstopt parser looks
 * for (so configured types are covered too); the rest is the header.
 * Both parsers must return a known code and never read outside the
 * buffer. What they accept must rebuild: a parsed HoA or RH2 address is
 * built again and parsed again to the same values.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipv6_ext.h"

static void die(const char *what, int err)
{
	fprintf(stderr, "fuzz_ipv6_ext: %s (%d %s)\n", what, err, xp_ext_strerror(err));
	abort();
}

static void check_dstopt(const uint8_t *buf, size_t len, uint8_t type)
{
	struct in6_addr hoa, hoa2;
	uint8_t nh, nh2, out[XP_DSTOPT_HOA_HDR_LEN];
	size_t hl = 0, hl2;
	int err = xp_dstopt_hoa_parse(buf, len, type, &nh, &hoa, &hl);

	if (err > 0 || err <= XP_EXT_E_MAX_)
		die("dstopt: code out of range", err);
	if (err)
		return;
	if (hl > len || hl % 8)
		die("dstopt: header length", (int)hl);
	if (type == XP_DSTOPT_PAD1 || type == XP_DSTOPT_PADN)
		die("dstopt: found a HoA option of a padding type", err);
	err = xp_dstopt_hoa_build(out, sizeof(out), nh, type, &hoa);
	if (err != XP_DSTOPT_HOA_HDR_LEN)
		die("dstopt: rebuild", err);
	err = xp_dstopt_hoa_parse(out, sizeof(out), type, &nh2, &hoa2, &hl2);
	if (err || nh2 != nh || memcmp(&hoa, &hoa2, sizeof(hoa)) || hl2 != sizeof(out))
		die("dstopt: rebuilt header differs", err);
}

static void check_rh2(const uint8_t *buf, size_t len)
{
	struct in6_addr a, a2;
	uint8_t nh, nh2, sl, sl2, out[XP_RH2_LEN];
	int err = xp_rh2_parse(buf, len, &nh, &a, &sl);

	if (err > 0 || err <= XP_EXT_E_MAX_)
		die("rh2: code out of range", err);
	if (err)
		return;
	if (sl > XP_RH2_SEGMENTS_LEFT)
		die("rh2: segments left", sl);
	err = xp_rh2_build(out, sizeof(out), nh, &a);
	if (err != XP_RH2_LEN)
		die("rh2: rebuild", err);
	err = xp_rh2_parse(out, sizeof(out), &nh2, &a2, &sl2);
	if (err || nh2 != nh || memcmp(&a, &a2, sizeof(a)) || sl2 != XP_RH2_SEGMENTS_LEFT)
		die("rh2: rebuilt header differs", err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf;
	size_t len;

	if (!size)
		return 0;
	len = size - 1;
	buf = malloc(len ? len : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, len);
	check_dstopt(buf, len, data[0]);
	check_rh2(buf, len);
	free(buf);
	return 0;
}
