// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* bstat.c - see bstat.h */
#include <errno.h>
#include <stdlib.h>

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
