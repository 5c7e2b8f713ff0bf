// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* statemap.c - see statemap.h */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "log.h"
#include "statemap.h"

int xp_state_map_open(const char *dir, const struct xp_state_map_spec *spec)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_NO_PREALLOC);
	struct bpf_map_info info;
	__u32 ilen = sizeof(info);
	char path[256];
	int fd, err;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, spec->name) >= sizeof(path))
		return -ENAMETOOLONG;
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &ilen) || info.type != BPF_MAP_TYPE_HASH ||
		    info.key_size != spec->key_size || info.value_size != spec->value_size) {
			ev_err("state-map-mismatch", NULL, -1,
			       "map=%s pinned=type:%u,key:%u,value:%u "
			       "want=type:%u,key:%u,value:%u hint=\"remove it (%s lost) or run "
			       "the matching xpmipd\"",
			       path, info.type, info.key_size, info.value_size, BPF_MAP_TYPE_HASH,
			       spec->key_size, spec->value_size, spec->lost);
			close(fd);
			return -EPROTO;
		}
		if (info.max_entries != spec->max_entries) {
			ev_err("state-map-capacity-mismatch", NULL, -1,
			       "map=%s pinned_max=%u want_max=%u "
			       "hint=\"set max_bindings = %u again, or stop, remove the pin "
			       "directory (%s lost) and start\"",
			       path, info.max_entries, spec->max_entries, info.max_entries,
			       spec->lost);
			close(fd);
			return -ERANGE;
		}
		return fd;
	}
	if (errno != ENOENT)
		return -errno;
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, spec->name, spec->key_size, spec->value_size,
			    spec->max_entries, &opts);
	if (fd < 0)
		return -errno;
	if (bpf_obj_pin(fd, path)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int xp_map_put(int fd, const void *k, const void *v, const char *name)
{
	if (fd < 0)
		return 0;
	if (bpf_map_update_elem(fd, k, v, BPF_ANY)) {
		int err = -errno;

		ev_err("map-write-failed", NULL, -1, "map=%s err=%s", name, XP_LOGERR(-err));
		return err;
	}
	return 0;
}

void xp_map_del(int fd, const void *k, const char *name)
{
	if (fd < 0)
		return;
	if (bpf_map_delete_elem(fd, k) && errno != ENOENT)
		ev_warn("map-delete-failed", NULL, -1, "map=%s err=%s", name, XP_LOGERR(errno));
}
