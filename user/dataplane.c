// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * dataplane.c - load the XDP programs through their skeletons, create or
 * reuse the pinned maps, attach to interfaces, read counters.
 * See dataplane.h for the contract; docs/maps.md for the maps.
 *
 * Map sharing: each object (lma, mag) declares all eight maps
 * (bpf/xp_maps.bpf.h). Before an object is loaded, each of its maps is
 * either pointed at an fd we already hold (bpf_map__reuse_fd), or at the
 * pinned map of a previous run after a compatibility check, or left for
 * libbpf to create and pinned by us after load. The expected layout is the
 * one compiled into this build's object (key/value sizes from xpmip_maps.h).
 *
 * veth redirect targets: XDP_REDIRECT into a veth is dropped by
 * veth_xdp_xmit() unless the peer device has XDP rx queues enabled: an XDP
 * program attached on the peer (XP_PROG_PASS works on every kernel) or, since
 * 5.13 (so on Debian 12's 6.1), GRO enabled on the peer
 * (`ethtool -K <peer> gro on`). Measured on 6.18 by
 * tests/bpf/test_veth_redirect; see docs/maps.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "dataplane.h"
#include "log.h"

#include "lma.skel.h"
#include "mag.skel.h"
#include "pass.skel.h"

enum {
	XP_M_CFG, XP_M_PFX, XP_M_BIND, XP_M_MN, XP_M_UL, XP_M_PEER, XP_M_CNT,
	XP_M_BSTAT, XP_M_PFX64, XP_M_TRACE, XP_M_FSEL, XP_M_FCACHE, XP_M_NH, XP_M_NHGEN,
	XP_NMAPS
};

static const char *const xp_map_names[XP_NMAPS] = {
	[XP_M_CFG] = XP_MAP_CFG,	[XP_M_PFX] = XP_MAP_PREFIX,
	[XP_M_BIND] = XP_MAP_BIND,	[XP_M_MN] = XP_MAP_MN,
	[XP_M_UL] = XP_MAP_UPLINK,	[XP_M_PEER] = XP_MAP_PEER,
	[XP_M_CNT] = XP_MAP_COUNTERS,	[XP_M_BSTAT] = XP_MAP_BSTATS,
	[XP_M_PFX64] = XP_MAP_PREFIX64,	[XP_M_TRACE] = XP_MAP_TRACE,
	[XP_M_FSEL] = XP_MAP_FLOWSEL,	[XP_M_FCACHE] = XP_MAP_FLOWCACHE,
	[XP_M_NH] = XP_MAP_NEXTHOP,	[XP_M_NHGEN] = XP_MAP_NHGEN,
};

/* max_entries is fixed by this build for these (the others follow opts) */
static bool xp_map_fixed_size(int i)
{
	return i == XP_M_CFG || i == XP_M_CNT || i == XP_M_PEER || i == XP_M_TRACE ||
	       i == XP_M_NH || i == XP_M_NHGEN;
}

struct xp_map_spec {
	__u32 type, key_size, value_size, max_entries, flags;
};

struct xp_attach {
	int ifindex;
	__u32 mode;		/* XDP_FLAGS_DRV_MODE or XDP_FLAGS_SKB_MODE */
};

struct xp_dp {
	enum xp_role role;
	char dir[PATH_MAX];
	struct xp_lma *lma;
	struct xp_mag *mag;
	struct xp_pass *pass;
	int map_fd[XP_NMAPS];
	int prog_fd[XP_PROG_MAX_];
	struct xp_attach *att;
	size_t n_att, cap_att;
};

static const char *const xp_prog_names[XP_PROG_MAX_] = {
	[XP_PROG_LMA_RX] = "xp_lma_rx",
	[XP_PROG_MAG_ACCESS] = "xp_mag_access",
	[XP_PROG_MAG_CORE] = "xp_mag_core",
	[XP_PROG_PASS] = "xp_pass",
	[XP_PROG_LMA_DUP] = "xp_lma_dup",
	[XP_PROG_TRACE_EMIT] = "xp_trace_emit",
};

static int xp_map_index(const char *name)
{
	for (int i = 0; i < XP_NMAPS; i++)
		if (!strcmp(name, xp_map_names[i]))
			return i;
	return -1;
}

static struct xp_dp *xp_dp_alloc(void)
{
	struct xp_dp *dp = calloc(1, sizeof(*dp));

	if (!dp)
		return NULL;
	for (int i = 0; i < XP_NMAPS; i++)
		dp->map_fd[i] = -1;
	for (int i = 0; i < XP_PROG_MAX_; i++)
		dp->prog_fd[i] = -1;
	return dp;
}

static int xp_mkdir_p(const char *path)
{
	char tmp[PATH_MAX];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(tmp, path, n + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

static int xp_set_dir(struct xp_dp *dp, const char *pin_root, const char *instance)
{
	int n;

	if (!instance || !*instance || strchr(instance, '/')) {
		ev_err("dp-open", NULL, -1, "err=bad-instance instance=%s",
		       instance ? instance : "(null)");
		return -EINVAL;
	}
	n = snprintf(dp->dir, sizeof(dp->dir), "%s/%s", pin_root ? pin_root : XP_PIN_ROOT,
		     instance);
	if (n < 0 || (size_t)n >= sizeof(dp->dir))
		return -ENAMETOOLONG;
	return 0;
}

static int xp_pin_path(const struct xp_dp *dp, int i, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s", dp->dir, xp_map_names[i]);

	return (n < 0 || (size_t)n >= len) ? -ENAMETOOLONG : 0;
}

/* Compare a pinned map with what this build expects; -EPROTO and one line */
static int xp_map_check(const char *path, int fd, const struct xp_map_spec *want,
			bool check_size)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	int err;

	err = bpf_obj_get_info_by_fd(fd, &info, &len);
	if (err) {
		err = -errno;
		ev_err("dp-map-check", NULL, -1, "map=%s err=%s", path, XP_LOGERR(-err));
		return err;
	}
	if (check_size && info.type == want->type && info.key_size == want->key_size &&
	    info.value_size == want->value_size && info.max_entries != want->max_entries) {
		ev_err("dp-map-capacity-mismatch", NULL, -1,
		       "map=%s pinned_max=%u want_max=%u "
		       "hint=\"max_bindings changed: set it back so that this map has %u "
		       "entries, or stop, remove the pin directory (the bindings are lost) "
		       "and start\"",
		       path, info.max_entries, want->max_entries, info.max_entries);
		return -ERANGE;
	}
	/* map_flags too: libbpf's bpf_map__reuse_fd takes the pinned map's
	 * flags without a word (BPF_F_NO_PREALLOC or not changes what the map
	 * costs per packet and per entry) */
	if (info.type != want->type || info.key_size != want->key_size ||
	    info.value_size != want->value_size || info.map_flags != want->flags ||
	    (check_size && info.max_entries != want->max_entries)) {
		ev_err("dp-map-mismatch", NULL, -1,
		       "map=%s pinned=type:%u,key:%u,value:%u,max:%u,flags:0x%x "
		       "want=type:%u,key:%u,value:%u,max:%u,flags:0x%x "
		       "hint=\"layout v%d changed or sizes differ: stop the old instance and "
		       "remove the pin directory, or restore the old sizes\"",
		       path, info.type, info.key_size, info.value_size, info.max_entries,
		       info.map_flags, want->type, want->key_size, want->value_size,
		       want->max_entries, want->flags, XP_MAP_LAYOUT_VERSION);
		return -EPROTO;
	}
	return 0;
}

static void xp_spec_of(const struct bpf_map *m, struct xp_map_spec *s)
{
	s->type = bpf_map__type(m);
	s->key_size = bpf_map__key_size(m);
	s->value_size = bpf_map__value_size(m);
	s->max_entries = bpf_map__max_entries(m);
	s->flags = bpf_map__map_flags(m);
}

static int xp_apply_sizes(struct bpf_map *m, int i, const struct xp_dp_opts *o)
{
	__u32 n = 0;

	switch (i) {
	case XP_M_MN:
		n = o->max_mns;
		break;
	case XP_M_BIND:
	case XP_M_UL:
	case XP_M_BSTAT:
		n = o->max_bindings;
		break;
	case XP_M_PFX:
	case XP_M_PFX64:
		n = o->max_prefixes;
		break;
	}
	return n ? bpf_map__set_max_entries(m, n) : 0;
}

/* Before load: point every map of obj at a held or pinned map */
static int xp_prepare_maps(struct xp_dp *dp, struct bpf_object *obj, const struct xp_dp_opts *o)
{
	struct bpf_map *m;
	char path[PATH_MAX];
	int err;

	bpf_object__for_each_map(m, obj) {
		int i = xp_map_index(bpf_map__name(m));
		struct xp_map_spec want;
		int fd;

		if (i < 0)
			continue;	/* internal map (.rodata ...), private to the object */
		err = xp_apply_sizes(m, i, o);
		if (err)
			return err;
		xp_spec_of(m, &want);
		if ((err = xp_pin_path(dp, i, path, sizeof(path))))
			return err;
		if (dp->map_fd[i] < 0) {
			fd = bpf_obj_get(path);
			if (fd < 0) {
				if (errno == ENOENT)
					continue;	/* created at load, pinned after */
				err = -errno;
				ev_err("dp-map-open", NULL, -1, "map=%s err=%s", path,
				       XP_LOGERR(-err));
				return err;
			}
			err = xp_map_check(path, fd, &want, true);
			if (err) {
				close(fd);
				return err;
			}
			ev_info("dp-map-reuse", NULL, -1, "map=%s", path);
			dp->map_fd[i] = fd;
		}
		err = bpf_map__reuse_fd(m, dp->map_fd[i]);
		if (err) {
			ev_err("dp-map-reuse", NULL, -1, "map=%s err=%s", path, XP_LOGERR(-err));
			return err;
		}
	}
	return 0;
}

/* After load: hold and pin the maps this object created */
static int xp_pin_new_maps(struct xp_dp *dp, struct bpf_object *obj)
{
	struct bpf_map *m;
	char path[PATH_MAX];
	int err;

	bpf_object__for_each_map(m, obj) {
		int i = xp_map_index(bpf_map__name(m));

		if (i < 0 || dp->map_fd[i] >= 0)
			continue;
		dp->map_fd[i] = dup(bpf_map__fd(m));
		if (dp->map_fd[i] < 0)
			return -errno;
		if ((err = xp_pin_path(dp, i, path, sizeof(path))))
			return err;
		if (bpf_obj_pin(dp->map_fd[i], path)) {
			err = -errno;
			ev_err("dp-map-pin", NULL, -1, "map=%s err=%s", path, XP_LOGERR(-err));
			return err;
		}
		ev_info("dp-map-pinned", NULL, -1, "map=%s max_entries=%u", path,
			bpf_map__max_entries(m));
	}
	return 0;
}

static int xp_load_obj(struct xp_dp *dp, struct bpf_object *obj, const struct xp_dp_opts *o,
		       const char *what)
{
	int err = xp_prepare_maps(dp, obj, o);

	if (err)
		return err;
	err = bpf_object__load(obj);
	if (err) {
		ev_err("dp-load", NULL, -1, "object=%s err=%s", what, XP_LOGERR(-err));
		return err;
	}
	return xp_pin_new_maps(dp, obj);
}

int xp_dp_open(const struct xp_dp_opts *opts, struct xp_dp **out)
{
	struct xp_dp *dp;
	int err;

	*out = NULL;
	if (!opts)
		return -EINVAL;
	if (opts->role != XP_ROLE_LMA && opts->role != XP_ROLE_MAG) {
		ev_err("dp-open", NULL, -1, "err=unsupported-role role=%d", opts->role);
		return -EINVAL;
	}
	dp = xp_dp_alloc();
	if (!dp)
		return -ENOMEM;
	dp->role = opts->role;
	err = xp_set_dir(dp, opts->pin_root, opts->instance);
	if (err)
		goto fail;
	err = xp_mkdir_p(dp->dir);
	if (err) {
		ev_err("dp-open", NULL, -1, "dir=%s err=%s hint=\"is bpffs mounted there?\"",
		       dp->dir, XP_LOGERR(-err));
		goto fail;
	}

	if (opts->role == XP_ROLE_LMA) {
		dp->lma = xp_lma__open();
		if (!dp->lma) {
			err = -errno;
			goto fail_open;
		}
		err = xp_load_obj(dp, dp->lma->obj, opts, "lma");
		if (err)
			goto fail;
		dp->prog_fd[XP_PROG_LMA_RX] = bpf_program__fd(dp->lma->progs.xp_lma_rx);
		dp->prog_fd[XP_PROG_LMA_DUP] = bpf_program__fd(dp->lma->progs.xp_lma_dup);
		dp->prog_fd[XP_PROG_TRACE_EMIT] = bpf_program__fd(dp->lma->progs.xp_trace_emit);
	} else {
		dp->mag = xp_mag__open();
		if (!dp->mag) {
			err = -errno;
			goto fail_open;
		}
		err = xp_load_obj(dp, dp->mag->obj, opts, "mag");
		if (err)
			goto fail;
		dp->prog_fd[XP_PROG_MAG_ACCESS] = bpf_program__fd(dp->mag->progs.xp_mag_access);
		dp->prog_fd[XP_PROG_MAG_CORE] = bpf_program__fd(dp->mag->progs.xp_mag_core);
	}
	dp->pass = xp_pass__open();
	if (!dp->pass) {
		err = -errno;
		goto fail_open;
	}
	err = xp_load_obj(dp, dp->pass->obj, opts, "pass");
	if (err)
		goto fail;
	dp->prog_fd[XP_PROG_PASS] = bpf_program__fd(dp->pass->progs.xp_pass);

	ev_info("dp-open", NULL, -1, "role=%s dir=%s", opts->role == XP_ROLE_LMA ? "lma" : "mag",
		dp->dir);
	*out = dp;
	return 0;
fail_open:
	ev_err("dp-open", NULL, -1, "reason=skeleton-open err=%s", XP_LOGERR(-err));
fail:
	xp_dp_close(dp, false);
	return err ? err : -EINVAL;
}

int xp_dp_prog_fd(struct xp_dp *dp, enum xp_prog prog)
{
	if (!dp || prog < 0 || prog >= XP_PROG_MAX_ || dp->prog_fd[prog] < 0)
		return -ENOENT;
	return dp->prog_fd[prog];
}

static void xp_att_forget(struct xp_dp *dp, int ifindex)
{
	for (size_t i = 0; i < dp->n_att; i++) {
		if (dp->att[i].ifindex == ifindex) {
			dp->att[i] = dp->att[--dp->n_att];
			return;
		}
	}
}

static int xp_att_remember(struct xp_dp *dp, int ifindex, __u32 mode)
{
	xp_att_forget(dp, ifindex);
	if (dp->n_att == dp->cap_att) {
		size_t cap = dp->cap_att ? dp->cap_att * 2 : 8;
		struct xp_attach *a = realloc(dp->att, cap * sizeof(*a));

		if (!a)
			return -ENOMEM;
		dp->att = a;
		dp->cap_att = cap;
	}
	dp->att[dp->n_att].ifindex = ifindex;
	dp->att[dp->n_att].mode = mode;
	dp->n_att++;
	return 0;
}

int xp_dp_attach_xdp(struct xp_dp *dp, enum xp_prog prog, int ifindex)
{
	int fd = xp_dp_prog_fd(dp, prog);
	__u32 mode = XDP_FLAGS_DRV_MODE;
	int err;

	if (fd < 0) {
		ev_err("dp-attach", NULL, -1, "ifindex=%d prog=%d err=not-loaded-for-this-role",
		       ifindex, prog);
		return -ENOENT;
	}
	err = bpf_xdp_attach(ifindex, fd, XDP_FLAGS_DRV_MODE, NULL);
	if (err == -EEXIST) {
		/* a generic-mode program (ours from an older run) blocks native mode */
		bpf_xdp_detach(ifindex, XDP_FLAGS_SKB_MODE, NULL);
		err = bpf_xdp_attach(ifindex, fd, XDP_FLAGS_DRV_MODE, NULL);
	}
	if (err) {
		ev_warn("dp-attach", NULL, -1, "ifindex=%d prog=%s mode=native err=%s fallback=skb",
			ifindex, xp_prog_names[prog], XP_LOGERR(-err));
		mode = XDP_FLAGS_SKB_MODE;
		err = bpf_xdp_attach(ifindex, fd, XDP_FLAGS_SKB_MODE, NULL);
		if (err == -EEXIST) {
			bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
			err = bpf_xdp_attach(ifindex, fd, XDP_FLAGS_SKB_MODE, NULL);
		}
	}
	if (err) {
		ev_err("dp-attach", NULL, -1, "ifindex=%d prog=%s err=%s", ifindex,
		       xp_prog_names[prog], XP_LOGERR(-err));
		return err;
	}
	ev_info("dp-attach", NULL, -1, "ifindex=%d prog=%s mode=%s", ifindex, xp_prog_names[prog],
		mode == XDP_FLAGS_DRV_MODE ? "native" : "skb");
	return xp_att_remember(dp, ifindex, mode);
}

int xp_tc_attach(int ifindex, bool egress, int prog_fd, const char *name)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = egress ? BPF_TC_EGRESS : BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = XP_TC_HANDLE, .priority = XP_TC_PRIO,
		    .prog_fd = prog_fd, .flags = BPF_TC_F_REPLACE);
	int err = bpf_tc_hook_create(&hook);

	if (err && err != -EEXIST) {
		ev_err("tc-attach", NULL, -1, "ifindex=%d prog=%s err=%s", ifindex, name,
		       XP_LOGERR(-err));
		return err;
	}
	if ((err = bpf_tc_attach(&hook, &opts))) {
		ev_err("tc-attach", NULL, -1, "ifindex=%d prog=%s err=%s", ifindex, name,
		       XP_LOGERR(-err));
		return err;
	}
	ev_info("tc-attach", NULL, -1, "ifindex=%d prog=%s dir=%s", ifindex, name,
		egress ? "egress" : "ingress");
	return 0;
}

int xp_tc_detach(int ifindex, bool egress)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = egress ? BPF_TC_EGRESS : BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = XP_TC_HANDLE, .priority = XP_TC_PRIO);
	int err = bpf_tc_detach(&hook, &opts);

	if (err && err != -ENOENT && err != -EINVAL) {
		ev_warn("tc-detach", NULL, -1, "ifindex=%d err=%s", ifindex, XP_LOGERR(-err));
		return err;
	}
	return 0;
}

int xp_dp_attach_tc(struct xp_dp *dp, enum xp_prog prog, int ifindex, bool egress)
{
	int fd = xp_dp_prog_fd(dp, prog);

	if (fd < 0) {
		ev_err("tc-attach", NULL, -1, "ifindex=%d prog=%d err=not-loaded-for-this-role",
		       ifindex, prog);
		return -ENOENT;
	}
	return xp_tc_attach(ifindex, egress, fd, xp_prog_names[prog]);
}

int xp_dp_detach_xdp(struct xp_dp *dp, int ifindex)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int err, ret = 0;

	if (dp)
		xp_att_forget(dp, ifindex);
	if (dp && dp->role == XP_ROLE_LMA)
		xp_tc_detach(ifindex, false);
	err = bpf_xdp_query(ifindex, 0, &q);
	if (err) {
		ev_warn("dp-detach", NULL, -1, "ifindex=%d err=%s", ifindex, XP_LOGERR(-err));
		return err;
	}
	if (q.drv_prog_id && (err = bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL)))
		ret = err;
	if (q.skb_prog_id && (err = bpf_xdp_detach(ifindex, XDP_FLAGS_SKB_MODE, NULL)))
		ret = err;
	if (ret)
		ev_warn("dp-detach", NULL, -1, "ifindex=%d err=%s", ifindex, XP_LOGERR(-ret));
	else
		ev_info("dp-detach", NULL, -1, "ifindex=%d", ifindex);
	return ret;
}

int xp_dp_map_fd(struct xp_dp *dp, const char *name)
{
	int i = name ? xp_map_index(name) : -1;

	if (!dp || i < 0 || dp->map_fd[i] < 0)
		return -ENOENT;
	return dp->map_fd[i];
}

int xp_dp_set_cfg(struct xp_dp *dp, const struct xp_cfg *cfg)
{
	__u32 zero = 0;

	if (!dp || !cfg || dp->map_fd[XP_M_CFG] < 0)
		return -EINVAL;
	if (cfg->tunnel_mtu && cfg->tunnel_mtu < XP_IPV6_MIN_MTU_TUNNEL)
		ev_warn("dp-cfg", NULL, -1,
			"tunnel_mtu=%u note=\"below 1320: the data plane uses 1320 "
			"(inner packets of 1280 bytes must fit)\"",
			cfg->tunnel_mtu);
	if (bpf_map_update_elem(dp->map_fd[XP_M_CFG], &zero, cfg, BPF_ANY)) {
		int err = -errno;

		ev_err("dp-cfg", NULL, -1, "err=%s", XP_LOGERR(-err));
		return err;
	}
	return 0;
}

int xp_read_reason_counters(int fd, uint64_t out[XP_R_MAX])
{
	int ncpu = libbpf_num_possible_cpus();
	__u64 *v;

	memset(out, 0, sizeof(uint64_t) * XP_R_MAX);
	if (fd < 0)
		return -EINVAL;
	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	v = calloc(ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (__u32 r = 0; r < XP_R_MAX; r++) {
		if (bpf_map_lookup_elem(fd, &r, v)) {
			int err = -errno;

			ev_err("dp-counters", NULL, -1, "err=%s", XP_LOGERR(-err));
			free(v);
			return err;
		}
		for (int c = 0; c < ncpu; c++)
			out[r] += v[c];
	}
	free(v);
	return 0;
}

int xp_dp_read_counters(struct xp_dp *dp, uint64_t out[XP_R_MAX])
{
	return xp_read_reason_counters(dp ? dp->map_fd[XP_M_CNT] : -1, out);
}

void xp_dp_close(struct xp_dp *dp, bool flush)
{
	char path[PATH_MAX];

	if (!dp)
		return;
	if (flush) {
		while (dp->n_att)
			xp_dp_detach_xdp(dp, dp->att[dp->n_att - 1].ifindex);
		for (int i = 0; i < XP_NMAPS; i++) {
			if (xp_pin_path(dp, i, path, sizeof(path)) == 0 && unlink(path) &&
			    errno != ENOENT)
				ev_warn("dp-unpin", NULL, -1, "map=%s err=%s", path,
					XP_LOGERR(errno));
		}
		if (dp->dir[0] && rmdir(dp->dir) && errno != ENOENT)
			ev_warn("dp-unpin", NULL, -1, "dir=%s err=%s%s", dp->dir, XP_LOGERR(errno),
				errno == ENOTEMPTY ? " hint=\"other pins remain there: remove "
				"them before xp_dp_close(flush)\"" : "");
		else if (dp->dir[0])
			ev_info("dp-flushed", NULL, -1, "dir=%s", dp->dir);
	}
	for (int i = 0; i < XP_NMAPS; i++)
		if (dp->map_fd[i] >= 0)
			close(dp->map_fd[i]);
	xp_lma__destroy(dp->lma);
	xp_mag__destroy(dp->mag);
	xp_pass__destroy(dp->pass);
	free(dp->att);
	free(dp);
}

int xp_dp_open_pinned(const char *instance, const char *pin_root, struct xp_dp **out)
{
	struct xp_lma *ref;
	struct bpf_map *m;
	char path[PATH_MAX];
	struct xp_dp *dp;
	int err = 0;

	*out = NULL;
	dp = xp_dp_alloc();
	if (!dp)
		return -ENOMEM;
	err = xp_set_dir(dp, pin_root, instance);
	if (err)
		goto out;
	/* the expected layouts: this build's object, opened but not loaded */
	ref = xp_lma__open();
	if (!ref) {
		err = -errno;
		ev_err("dp-open-pinned", NULL, -1, "reason=skeleton-open");
		goto out;
	}
	bpf_object__for_each_map(m, ref->obj) {
		int i = xp_map_index(bpf_map__name(m));
		struct xp_map_spec want;
		int fd;

		if (i < 0)
			continue;
		xp_spec_of(m, &want);
		if ((err = xp_pin_path(dp, i, path, sizeof(path))))
			break;
		fd = bpf_obj_get(path);
		if (fd < 0) {
			err = -errno;
			ev_err("dp-open-pinned", NULL, -1, "map=%s err=%s", path, XP_LOGERR(-err));
			break;
		}
		dp->map_fd[i] = fd;
		err = xp_map_check(path, fd, &want, xp_map_fixed_size(i));
		if (err)
			break;
	}
	xp_lma__destroy(ref);
out:
	if (err) {
		dp->dir[0] = '\0';
		xp_dp_close(dp, false);
		return err;
	}
	*out = dp;
	return 0;
}
