// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* bstat.c - see bstat.h */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bstat.h"

int xp_bstat_create(int fd, const struct xp_bind_key *k)
{
	int ncpu = libbpf_num_possible_cpus();
	struct xp_bind_stats *zero;
	int err = 0;

	if (fd < 0)
		return 0;
	if (ncpu <= 0)
		return ncpu < 0 ? ncpu : -EINVAL;
	/* a per-CPU value is one struct per possible CPU */
	zero = calloc((size_t)ncpu, sizeof(*zero));
	if (!zero)
		return -ENOMEM;
	if (bpf_map_update_elem(fd, k, zero, BPF_NOEXIST) && errno != EEXIST)
		err = -errno;
	free(zero);
	return err;
}

int xp_bstat_delete(int fd, const struct xp_bind_key *k)
{
	if (fd < 0)
		return 0;
	if (bpf_map_delete_elem(fd, k) && errno != ENOENT)
		return -errno;
	return 0;
}

int xp_bstat_read(int fd, const struct xp_bind_key *k, struct xp_bind_stats *sum)
{
	int ncpu = libbpf_num_possible_cpus();
	struct xp_bind_stats *v;
	int err = 0;

	memset(sum, 0, sizeof(*sum));
	if (fd < 0)
		return -ENOENT;
	if (ncpu <= 0)
		return ncpu < 0 ? ncpu : -EINVAL;
	v = calloc((size_t)ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(fd, k, v)) {
		err = -errno;
	} else {
		for (int i = 0; i < ncpu; i++) {
			sum->dl_packets += v[i].dl_packets;
			sum->dl_bytes += v[i].dl_bytes;
			sum->ul_packets += v[i].ul_packets;
			sum->ul_bytes += v[i].ul_bytes;
		}
	}
	free(v);
	return err;
}
