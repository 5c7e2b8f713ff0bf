/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * kfeat.h - what the running kernel must offer the user plane, probed at
 * start so that an unsupported kernel is one clear line, not a verifier
 * dump halfway through loading.
 *
 * The list is the program types, map types and helpers that bpf/ uses per
 * role (LMA and MAG: XDP and TC; MN: TC only), each probed with libbpf's
 * libbpf_probe_bpf_prog_type / _map_type / _helper, which load a tiny
 * program or create a tiny map: what is probed is what the kernel does.
 */
#ifndef XP_KFEAT_H
#define XP_KFEAT_H

#include <stddef.h>

#include "xpmip_maps.h"

#define XP_KFEAT_MSG_MAX	160

/*
 * 0: everything the role needs is there. Otherwise a negative errno and
 * msg holds one sentence naming the first thing missing (-EOPNOTSUPP), or
 * why the kernel could not be asked (-EPERM: no privilege for bpf()).
 */
int xp_kfeat_probe(enum xp_role role, char msg[XP_KFEAT_MSG_MAX]);

#endif
