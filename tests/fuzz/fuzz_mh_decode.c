// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * fuzz_mh_decode.c - libFuzzer target for the Mobility Header decoder.
 *
 * Any input: mh_decode must return, never read outside the buffer (ASan)
 * and never hit undefined behaviour (UBSan); an error offset must point
 * inside the input. A message it accepts must survive the round trip:
 * encode it, decode that, and get an equal message; encoding the second
 * decode must give the same octets (the encoding is canonical). A
 * mismatch aborts, which libFuzzer records as a crash.
 *
 * The input is copied into a buffer of exactly its size so that a read
 * one octet past the end lands in ASan's redzone.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mh_codec.h"

static struct mh_msg m1, m2, m3;
static uint8_t enc1[MH_MAX_MSG_LEN], enc2[MH_MAX_MSG_LEN];

static void die(const char *what, int err)
{
	fprintf(stderr, "fuzz_mh_decode: %s (%d %s)\n", what, err, mh_strerror(err));
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	size_t off = 0;
	int err, n1, n2;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	err = mh_decode(buf, size, &m1, &off);
	free(buf);
	if (err > 0 || err <= MH_E_MAX_)
		die("decode returned an out-of-range code", err);
	if (err) {
		if (off > size)
			die("error offset past the input", err);
		return 0;
	}

	/* accepted: the round trip must hold */
	n1 = mh_encode(&m1, enc1, sizeof(enc1));
	if (n1 <= 0)
		die("a decoded message does not encode", n1);
	err = mh_decode(enc1, (size_t)n1, &m2, &off);
	if (err)
		die("our own encoding does not decode", err);
	if (!mh_msg_equal(&m1, &m2))
		die("decode(encode(decode(x))) != decode(x)", 0);
	n2 = mh_encode(&m2, enc2, sizeof(enc2));
	if (n2 != n1 || memcmp(enc1, enc2, (size_t)n1))
		die("encoding is not canonical", n2);
	err = mh_decode(enc2, (size_t)n2, &m3, NULL);
	if (err || !mh_msg_equal(&m2, &m3))
		die("second round trip differs", err);
	return 0;
}
