// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* pfxmap.c - see pfxmap.h */
#include <errno.h>
#include <sched.h>
#include <string.h>

#include <bpf/bpf.h>

#include "pfxmap.h"
#include "xpmip_wire.h"

/*
 * The maps are BPF_F_NO_PREALLOC: their elements come from the BPF memory
 * allocator, which refills its per-CPU caches asynchronously, so a burst of
 * inserts can see ENOMEM long before the map is full. A few yields let the
 * refill run; a map that is really full keeps failing and the caller
 * answers 130 (insufficient resources).
 */
#define XP_PFX_ENOMEM_RETRIES	100

static int update(int fd, const void *k, const void *v)
{
	for (int i = 0; i < XP_PFX_ENOMEM_RETRIES; i++) {
		if (!bpf_map_update_elem(fd, k, v, BPF_ANY))
			return 0;
		if (errno != ENOMEM)
			return -errno;
		sched_yield();
	}
	return -ENOMEM;
}

static void key64(struct xp_prefix64_key *k, const struct in6_addr *p)
{
	memcpy(k->a32, p->s6_addr, sizeof(k->a32));
}

static void key_lpm(struct xp_prefix_key *k, const struct in6_addr *p, uint8_t plen)
{
	memset(k, 0, sizeof(*k));
	k->prefixlen = plen;
	memcpy(k->addr.a8, p->s6_addr, sizeof(k->addr.a8));
}

int xp_pfx_map_put(int lpm_fd, int h64_fd, const struct in6_addr *prefix, uint8_t plen,
		   const struct xp_prefix_val *v)
{
	struct xp_prefix_val val = *v;

	if (plen > XP_IPV6_PREFIX_MAX)
		return -EINVAL;
	if (plen == XP_PREFIX64_LEN) {
		struct xp_prefix64_key k;

		val.flags &= (__u8)~XP_PFXF_LONG;
		key64(&k, prefix);
		return update(h64_fd, &k, &val);
	} else {
		struct xp_prefix_key k;

		if (plen > XP_PREFIX64_LEN)
			val.flags |= XP_PFXF_LONG;
		else
			val.flags &= (__u8)~XP_PFXF_LONG;
		key_lpm(&k, prefix, plen);
		return update(lpm_fd, &k, &val);
	}
}

int xp_pfx_map_del(int lpm_fd, int h64_fd, const struct in6_addr *prefix, uint8_t plen)
{
	int err;

	if (plen == XP_PREFIX64_LEN) {
		struct xp_prefix64_key k;

		key64(&k, prefix);
		err = bpf_map_delete_elem(h64_fd, &k);
	} else {
		struct xp_prefix_key k;

		key_lpm(&k, prefix, plen);
		err = bpf_map_delete_elem(lpm_fd, &k);
	}
	return err && errno != ENOENT ? -errno : 0;
}
