// SPDX-License-Identifier: GPL-2.0
/*
 * pass.bpf.c - xp_pass: XDP_PASS and nothing else.
 *
 * Attached to the peer end of a veth that xp_* programs redirect into:
 * veth_xdp_xmit() drops redirected frames (and counts them as
 * xdp_xmit_err / peer_tq_xdp_xmit_err) unless the receiving peer has an XDP
 * program attached, which sets up its XDP rx queues (or, since 5.13, GRO
 * is enabled on it, see docs/maps.md). It touches no map.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("xdp")
int xp_pass(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}
