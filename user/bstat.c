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
	const struct xp_bind_stats zero = { 0 };

	if (fd < 0)
		return 0;
	if (bpf_map_update_elem(fd, k, &zero, BPF_NOEXIST) && errno != EEXIST)
		return -errno;
	return 0;
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
	memset(sum, 0, sizeof(*sum));
	if (fd < 0)
		return -ENOENT;
	if (bpf_map_lookup_elem(fd, k, sum)) {
		int err = -errno;

		memset(sum, 0, sizeof(*sum));
		return err;
	}
	return 0;
}
