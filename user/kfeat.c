// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* kfeat.c - see kfeat.h */
#include "kfeat.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

/* A role's needs; roles: bit (1 << enum xp_role) */
#define R_LMA	(1u << XP_ROLE_LMA)
#define R_MAG	(1u << XP_ROLE_MAG)
#define R_MN	(1u << XP_ROLE_MN)
#define R_AGENT	(R_LMA | R_MAG)
#define R_ALL	(R_AGENT | R_MN)

struct kfeat_prog {
	enum bpf_prog_type type;
	const char *name;
	unsigned roles;
};

struct kfeat_map {
	enum bpf_map_type type;
	const char *name;
	const char *since;
	unsigned roles;
};

struct kfeat_helper {
	enum bpf_prog_type prog;
	enum bpf_func_id id;
	const char *name;
	const char *since;
	unsigned roles;
};

static const struct kfeat_prog progs[] = {
	{ BPF_PROG_TYPE_XDP, "XDP", R_AGENT },
	{ BPF_PROG_TYPE_SCHED_CLS, "TC (sched_cls)", R_AGENT | R_MN },
};

/* every map type of bpf/xp_maps.bpf.h, which every object (the MN's too) creates */
static const struct kfeat_map maps[] = {
	{ BPF_MAP_TYPE_HASH, "hash", "3.19", R_ALL },
	{ BPF_MAP_TYPE_ARRAY, "array", "3.19", R_ALL },
	{ BPF_MAP_TYPE_PERCPU_ARRAY, "per-CPU array", "4.6", R_ALL },
	{ BPF_MAP_TYPE_PERCPU_HASH, "per-CPU hash", "4.6", R_ALL },
	{ BPF_MAP_TYPE_LPM_TRIE, "LPM trie", "4.11", R_ALL },
	{ BPF_MAP_TYPE_LRU_HASH, "LRU hash", "4.10", R_ALL },
	{ BPF_MAP_TYPE_RINGBUF, "ring buffer", "5.8", R_ALL },
};

/* the helpers bpf/ calls, with the program type that calls them */
static const struct kfeat_helper helpers[] = {
	{ BPF_PROG_TYPE_XDP, BPF_FUNC_fib_lookup, "bpf_fib_lookup", "4.18", R_AGENT },
	{ BPF_PROG_TYPE_XDP, BPF_FUNC_loop, "bpf_loop", "5.17", R_LMA },
	{ BPF_PROG_TYPE_XDP, BPF_FUNC_ringbuf_reserve, "bpf_ringbuf_reserve", "5.8", R_AGENT },
	{ BPF_PROG_TYPE_XDP, BPF_FUNC_xdp_adjust_head, "bpf_xdp_adjust_head", "4.10", R_AGENT },
	{ BPF_PROG_TYPE_XDP, BPF_FUNC_xdp_adjust_tail, "bpf_xdp_adjust_tail", "4.18", R_AGENT },
	{ BPF_PROG_TYPE_XDP, BPF_FUNC_redirect, "bpf_redirect", "4.14", R_AGENT },
	{ BPF_PROG_TYPE_XDP, BPF_FUNC_csum_diff, "bpf_csum_diff", "4.6", R_AGENT },
	{ BPF_PROG_TYPE_SCHED_CLS, BPF_FUNC_fib_lookup, "bpf_fib_lookup (TC)", "4.18", R_LMA },
	{ BPF_PROG_TYPE_SCHED_CLS, BPF_FUNC_clone_redirect, "bpf_clone_redirect", "4.2", R_LMA },
	{ BPF_PROG_TYPE_SCHED_CLS, BPF_FUNC_skb_adjust_room, "bpf_skb_adjust_room", "4.13",
	  R_LMA | R_MN },
	{ BPF_PROG_TYPE_SCHED_CLS, BPF_FUNC_skb_store_bytes, "bpf_skb_store_bytes", "4.1",
	  R_LMA | R_MN },
	{ BPF_PROG_TYPE_SCHED_CLS, BPF_FUNC_l4_csum_replace, "bpf_l4_csum_replace", "4.1", R_MN },
};

/* May this process use bpf()? A plain array map answers; a refusal other
 * than a privilege one is left to the probes, which name what is missing
 * (libbpf's probes answer "not supported" for a refusal of any kind). */
static int kfeat_may_bpf(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, sizeof(int), sizeof(int), 1, NULL);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return errno == EPERM || errno == EACCES ? -errno : 0;
}

int xp_kfeat_probe(enum xp_role role, char msg[XP_KFEAT_MSG_MAX])
{
	unsigned me = 1u << role;
	int rc;

	msg[0] = '\0';
	rc = kfeat_may_bpf();
	if (rc) {
		snprintf(msg, XP_KFEAT_MSG_MAX, "cannot use bpf(): %s (xpmipd needs CAP_BPF, "
			 "CAP_NET_ADMIN and CAP_PERFMON, or root)", strerror(-rc));
		return -EPERM;
	}
	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		if (!(progs[i].roles & me))
			continue;
		rc = libbpf_probe_bpf_prog_type(progs[i].type, NULL);
		if (rc <= 0) {
			snprintf(msg, XP_KFEAT_MSG_MAX, "the kernel does not support BPF program "
				 "type %s", progs[i].name);
			return -EOPNOTSUPP;
		}
	}
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		if (!(maps[i].roles & me))
			continue;
		rc = libbpf_probe_bpf_map_type(maps[i].type, NULL);
		if (rc <= 0) {
			snprintf(msg, XP_KFEAT_MSG_MAX, "the kernel does not support BPF %s maps "
				 "(Linux %s)", maps[i].name, maps[i].since);
			return -EOPNOTSUPP;
		}
	}
	for (size_t i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++) {
		if (!(helpers[i].roles & me))
			continue;
		rc = libbpf_probe_bpf_helper(helpers[i].prog, helpers[i].id, NULL);
		if (rc <= 0) {
			snprintf(msg, XP_KFEAT_MSG_MAX, "the kernel does not offer the BPF helper %s "
				 "(Linux %s)", helpers[i].name, helpers[i].since);
			return -EOPNOTSUPP;
		}
	}
	return 0;
}
