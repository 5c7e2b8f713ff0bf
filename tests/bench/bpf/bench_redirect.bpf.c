// SPDX-License-Identifier: GPL-2.0
/*
 * bench_redirect.bpf.c - the harness's limit for tests/bench/throughput.sh:
 * xb_redirect rewrites the Ethernet addresses and redirects every frame to
 * one interface, nothing else (no parsing, no map); xb_drop drops every
 * frame (the MN end of the measured path, so that the MN's own stack is not
 * in the figures). Not part of `make all` (in a subdirectory because the
 * Makefile builds every C file of tests/bench as a benchmark binary);
 * throughput.sh compiles it with the interface index and MAC addresses of
 * the run as -D constants:
 *   XB_IFINDEX  egress ifindex
 *   XB_DST      next hop MAC as 0xa,0xb,0xc,0xd,0xe,0xf
 *   XB_SRC      egress MAC, same form
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#ifndef XB_IFINDEX
#define XB_IFINDEX 1
#endif
#ifndef XB_DST
#define XB_DST 0, 0, 0, 0, 0, 0
#endif
#ifndef XB_SRC
#define XB_SRC 0, 0, 0, 0, 0, 0
#endif

SEC("xdp")
int xb_redirect(struct xdp_md *ctx)
{
	unsigned char *d = (unsigned char *)(long)ctx->data;
	unsigned char *end = (unsigned char *)(long)ctx->data_end;
	static const unsigned char mac[12] = { XB_DST, XB_SRC };

	if (d + 14 > end)
		return XDP_DROP;
	__builtin_memcpy(d, mac, 12);
	return bpf_redirect(XB_IFINDEX, 0);
}

SEC("xdp")
int xb_drop(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_DROP;
}
