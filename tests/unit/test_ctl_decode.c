// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_ctl_decode.c - `xpmipctl decode` from the outside: the real binary
 * (built by `make all` before the tests run) is run through popen on the
 * hand-written vectors; we check a few fields of the text layout, the
 * JSON (parsed by jq, so it must be valid JSON), and the exit codes:
 * 0 decoded, 1 malformed message (name and offset on stderr), 2 usage or
 * unreadable hex.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mh_codec.h"
#include "test_codec_vectors.h"

#define OUT_MAX		8192
#define VEC_ARGS(v)	(v), sizeof(v)
#define CMD_MAX		(2 * MH_MAX_MSG_LEN * 2 + 512)

static char ctl[256];

static void find_ctl(void)
{
	const char *b = getenv("BUILD_DIR");

	snprintf(ctl, sizeof(ctl), "%s/xpmipctl", b && *b ? b : "build");
	cr_assert_eq(access(ctl, X_OK), 0, "%s not built (make all)", ctl);
}

TestSuite(ctl_decode, .init = find_ctl);

static void hex(char *dst, const uint8_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(dst + 2 * i, "%02x", v[i]);
	dst[2 * n] = '\0';
}

/* Run a shell command, capture stdout+stderr; returns the exit status */
static int run(const char *cmd, char *out, size_t cap)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0, r;
	int st;

	cr_assert_not_null(p, "popen %s", cmd);
	while (n + 1 < cap && (r = fread(out + n, 1, cap - 1 - n, p)) > 0)
		n += r;
	out[n] = '\0';
	st = pclose(p);
	cr_assert(WIFEXITED(st), "%s: did not exit (signal?)", cmd);
	return WEXITSTATUS(st);
}

static int decode(const char *args, const uint8_t *v, size_t n, char *out, size_t cap)
{
	char h[2 * MH_MAX_MSG_LEN + 1], cmd[CMD_MAX];

	hex(h, v, n);
	snprintf(cmd, sizeof(cmd), "%s decode %s %s 2>&1", ctl, args, h);
	return run(cmd, out, cap);
}

#define HAS(out, s) cr_assert_not_null(strstr(out, s), "missing \"%s\" in:\n%s", s, out)

Test(ctl_decode, pbu_text)
{
	char out[OUT_MAX];

	cr_assert_eq(decode("", VEC_ARGS(v_pbu), out, sizeof(out)), 0, "%s", out);
	HAS(out, "PBU (MH type 5), 72 octets, Header Len 8");
	HAS(out, "Sequence: 42\n");
	HAS(out, "Flags: 0x8200 [AP]");
	HAS(out, "Lifetime: 150 (600 s)");
	HAS(out, "MN-ID: subtype 1 (NAI) \"mn1@xp\"");
	HAS(out, "HNP: 2001:db8:1::/64 flags 0x80 [L off-link]");
	HAS(out, "Handoff Indicator: 1 (attachment over a new interface)");
	HAS(out, "Access Technology Type: 4 (IEEE 802.11a/b/g)");
	HAS(out, "Timestamp: 0x00005f5e10008000 (1600000000 s + 32768/65536)");
}

Test(ctl_decode, pbu_json)
{
	char h[2 * MH_MAX_MSG_LEN + 1], cmd[CMD_MAX], out[OUT_MAX];

	hex(h, v_pbu, sizeof(v_pbu));
	/* jq -e fails on invalid JSON and on a false/null result */
	snprintf(cmd, sizeof(cmd),
		 "%s decode --json %s | jq -e -r '[.name, .bu.seq, .bu.p, .bu.lifetime_s, "
		 ".options.mn_id.id, .options.hnp[0].prefix, .options.hnp[0].plen, "
		 ".options.hnp[0].offlink, .options.hi, .options.att, "
		 ".options.timestamp.seconds] | map(tostring) | join(\" \")'", ctl, h);
	cr_assert_eq(run(cmd, out, sizeof(out)), 0, "%s", out);
	cr_assert_str_eq(out, "PBU 42 true 600 mn1@xp 2001:db8:1:: 64 true 1 4 1600000000\n");
}

Test(ctl_decode, every_vector_json_is_valid)
{
	for (size_t v = 0; v < N_CODEC_VECTORS; v++) {
		char h[2 * MH_MAX_MSG_LEN + 1], cmd[CMD_MAX], out[OUT_MAX];

		hex(h, codec_vectors[v].bytes, codec_vectors[v].len);
		snprintf(cmd, sizeof(cmd), "%s decode --json %s | jq -e -r .type", ctl, h);
		cr_assert_eq(run(cmd, out, sizeof(out)), 0, "%s: %s", codec_vectors[v].name, out);
		cr_assert_eq(atoi(out), codec_vectors[v].bytes[2], "%s", codec_vectors[v].name);
	}
}

Test(ctl_decode, upn_flow_id_text_and_json)
{
	char out[OUT_MAX], h[2 * MH_MAX_MSG_LEN + 1], cmd[CMD_MAX];

	cr_assert_eq(decode("", VEC_ARGS(v_upn), out, sizeof(out)), 0, "%s", out);
	HAS(out, "UPN (MH type 19)");
	HAS(out, "Notification Reason: 8");
	HAS(out, "Flow Identification: FID 1, FID-PRI 10");
	HAS(out, "BID Reference: 1\n");
	HAS(out, "Traffic Selector: format 2 (IPv6), flags 0x2022");
	HAS(out, "dst_start: 2001:db8:1::1");
	HAS(out, "dport_start: 443");
	HAS(out, "Flow Binding Action: 15 (move)");

	hex(h, v_upn, sizeof(v_upn));
	snprintf(cmd, sizeof(cmd), "%s decode --json %s | jq -e -r "
		 "'.options.flow_id[0] | [.fid, .ts.dst_start, .ts.dport_start, .action] "
		 "| map(tostring) | join(\" \")'", ctl, h);
	cr_assert_eq(run(cmd, out, sizeof(out)), 0, "%s", out);
	cr_assert_str_eq(out, "1 2001:db8:1::1 443 15\n");
}

Test(ctl_decode, unknown_options_reported)
{
	char out[OUT_MAX];

	cr_assert_eq(decode("", VEC_ARGS(v_pads_unknown), out, sizeof(out)), 0, "%s", out);
	HAS(out, "Unknown option: type 99, length 3, at offset 19 (skipped)");
	HAS(out, "Unknown option: type 200, length 0, at offset 28 (skipped)");
}

Test(ctl_decode, stdin_and_separators)
{
	char h[2 * MH_MAX_MSG_LEN + 1], cmd[CMD_MAX], out[OUT_MAX];

	/* `xxd -p` style (newlines) on stdin */
	hex(h, v_hb, sizeof(v_hb));
	snprintf(cmd, sizeof(cmd), "printf '%%s' %s | fold -w 10 | %s decode - 2>&1", h, ctl);
	cr_assert_eq(run(cmd, out, sizeof(out)), 0, "%s", out);
	HAS(out, "Heartbeat (MH type 13)");
	HAS(out, "Restart Counter: 5");
	/* Wireshark's colon form with a 0x prefix */
	snprintf(cmd, sizeof(cmd), "%s decode 0x3b:01:0d:00:00:00:00:01:ff:ff:ff:fe:01:02:00:00 2>&1",
		 ctl);
	cr_assert_eq(run(cmd, out, sizeof(out)), 0, "%s", out);
	HAS(out, "Sequence: 4294967294");
}

Test(ctl_decode, malformed_exit_1)
{
	char out[OUT_MAX];
	uint8_t b[sizeof(v_pbu)];

	/* Header Len disagrees: the name and the offset, exit 1 */
	memcpy(b, v_pbu, sizeof(b));
	b[1] = 9;
	cr_assert_eq(decode("", b, sizeof(b), out, sizeof(out)), 1, "%s", out);
	HAS(out, "MH_E_HDR_LEN at offset 1");
	/* HI repeated: offset of the second one's Type */
	{
		uint8_t d[] = { 0x3b, 0x02, 0x05, 0, 0, 0, 0, 1, 0x02, 0, 0, 1,
				0x17, 2, 0, 1, 0x17, 2, 0, 2, 0, 0, 0, 0 };

		cr_assert_eq(decode("--json", d, sizeof(d), out, sizeof(out)), 1, "%s", out);
		HAS(out, "MH_E_OPT_DUP at offset 16");
	}
	/* too short */
	cr_assert_eq(decode("", v_pbu, 4, out, sizeof(out)), 1, "%s", out);
	HAS(out, "MH_E_SHORT at offset 4");
}

Test(ctl_decode, usage_exit_2)
{
	char cmd[CMD_MAX], out[OUT_MAX];

	snprintf(cmd, sizeof(cmd), "%s decode 2>&1", ctl);
	cr_assert_eq(run(cmd, out, sizeof(out)), 2, "no argument: %s", out);
	HAS(out, "usage");
	snprintf(cmd, sizeof(cmd), "%s decode 3b0 2>&1", ctl);
	cr_assert_eq(run(cmd, out, sizeof(out)), 2, "odd digits: %s", out);
	snprintf(cmd, sizeof(cmd), "%s decode 3bzz 2>&1", ctl);
	cr_assert_eq(run(cmd, out, sizeof(out)), 2, "not hex: %s", out);
	snprintf(cmd, sizeof(cmd), "%s decode 3b 3b 2>&1", ctl);
	cr_assert_eq(run(cmd, out, sizeof(out)), 2, "two arguments: %s", out);
	/* longer than any Mobility Header */
	snprintf(cmd, sizeof(cmd), "head -c %d /dev/zero | xxd -p | %s decode - 2>&1",
		 MH_MAX_MSG_LEN + 1, ctl);
	cr_assert_eq(run(cmd, out, sizeof(out)), 2, "too long: %s", out);
	snprintf(cmd, sizeof(cmd), "%s decode --help", ctl);
	cr_assert_eq(run(cmd, out, sizeof(out)), 0);
	HAS(out, "usage");
}
