// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * xpmipd - the PMIPv6 daemon: one binary, a role (lma | mag | mn, the MN
 * helper of 000_2df5b7e7ec4cafcb.txt: user/mn.c).
 *
 *   xpmipd --role lma|mag|mn --config FILE [--instance NAME] [--foreground]
 *          [--log-level err|warn|info|debug] [--flush]
 *
 * Opens the event loop, the configuration, the data plane (pinned maps
 * under pin_root/instance), the raw MH socket and the control socket, then
 * hands over to the role (daemon.h). SIGTERM/SIGINT stop it; the pinned
 * maps and XDP attachments stay (the user plane keeps forwarding) unless
 * --flush was given. Every startup error is one line and a non-zero exit.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/magic.h>
#include <sys/epoll.h>
#include <sys/statfs.h>

#include "config.h"
#include "ctl_sock.h"
#include "daemon.h"
#include "dataplane.h"
#include "evloop.h"
#include "heartbeat.h"
#include "kfeat.h"
#include "log.h"
#include "metrics.h"
#include "metrics_http.h"
#include "mh_codec.h"
#include "mh_sock.h"
#include "nhwatch.h"
#include "trace_ctl.h"
#include "sigdrop.h"

#define XPMIPD_VERSION	"0.1.0"
#define EXIT_USAGE	2
#define IDENT_MAX	96

static void usage(FILE *out)
{
	fprintf(out,
		"usage: xpmipd --role lma|mag|mn --config FILE [--instance NAME] [--foreground]\n"
		"              [--log-level err|warn|info|debug] [--flush]\n"
		"  --role        which agent to run\n"
		"  --config      libconfig file (see deploy/examples/)\n"
		"  --instance    pin directory and control socket name (default: config's)\n"
		"  --foreground  stay attached to the terminal (default: daemonize)\n"
		"  --log-level   overrides the config's log_level\n"
		"  --flush       on stop, remove the pinned maps and detach the programs\n"
		"  --check-config  parse and validate the configuration, then exit\n");
}

static const struct xp_role_ops *xpmipd_ops;

/*
 * Everything queued on the MH socket, MH_BATCH messages per recvmmsg; the
 * replies the role queues on d->mh_txq while handling a batch go out in one
 * sendmmsg after it (after the batch's data plane writes, so a PBA never
 * precedes its binding's entries).
 */
static void on_mh_ready(void *ctx, int fd, uint32_t events)
{
	static struct mh_msgbuf rx[MH_BATCH];
	struct xp_daemon *d = ctx;
	int n;

	(void)events;
	do {
		n = mh_sock_recv_batch(fd, rx, MH_BATCH);
		if (n == -EAGAIN || n == -EWOULDBLOCK || n == -EINTR)
			break;
		if (n < 0) {
			ev_warn("mh-recv-failed", NULL, -1, "err=%s", XP_LOGERR(-n));
			break;
		}
		for (int i = 0; i < n; i++) {
			uint32_t lost = mh_rx_drops_new(&d->mh_drops, &rx[i]);

			if (lost) {	/* no silent drops: count them, say so */
				xp_sigdrop_add(XP_SD_RX_OVERFLOW, lost);
				ev_warn("mh-rx-overflow", NULL, -1, "dropped=%u total=%u", lost,
					d->mh_drops.last);
			}
			xpmipd_ops->on_mh(d, rx[i].buf, rx[i].len, &rx[i].src, &rx[i].dst,
					  rx[i].ifindex);
		}
		if (d->mh_txq)
			for (unsigned f = mh_txq_flush(d->mh_txq, fd); f; f--)
				xp_sigdrop_count(XP_SD_SEND_FAILED);
	} while (n == MH_BATCH);
}

static int ctl_counters(struct xp_daemon *d, bool json, FILE *out)
{
	uint64_t c[XP_R_MAX];
	int rc;

	if ((rc = xp_read_counters(d, c))) {
		fprintf(out, "cannot read counters: %s\n", strerror(-rc));
		return rc;
	}
	if (json)
		fprintf(out, "{\"counters\":[");
	else
		fprintf(out, "%-20s %14s  %s\n", "REASON", "PACKETS", "MEANING");
	for (int i = 0; i < XP_R_MAX; i++) {
		if (json)
			fprintf(out, "%s{\"reason\":\"%s\",\"packets\":%llu,\"text\":\"%s\"}",
				i ? "," : "", xp_reason_names[i], (unsigned long long)c[i],
				xp_reason_text[i]);
		else
			fprintf(out, "%-20s %14llu  %s\n", xp_reason_names[i],
				(unsigned long long)c[i], xp_reason_text[i]);
	}
	/* then the signalling counters (sigdrop.h): hostile or broken
	 * Mobility Headers, accounted for like dropped packets */
	if (json) {
		fprintf(out, "],\"count\":%d,\"signalling\":[", (int)XP_R_MAX);
		xp_sigdrop_print(out, true);
		fprintf(out, "],\"signalling_count\":%d}\n", (int)XP_SD_MAX);
	} else {
		fprintf(out, "\n");
		xp_sigdrop_print(out, false);
	}
	return 0;
}

static int daemon_ctl(void *ctx, int argc, char **argv, FILE *out)
{
	struct xp_daemon *d = ctx;
	bool json = false;
	int rc;

	for (int i = 1; i < argc; i++)
		json |= !strcmp(argv[i], "--json");
	if (!strcmp(argv[0], "version")) {
		if (json)
			fprintf(out, "{\"version\":\"%s\",\"role\":\"%s\",\"instance\":\"%s\"}\n",
				XPMIPD_VERSION, xpmipd_ops->name, d->cfg->instance);
		else
			fprintf(out, "xpmipd %s role=%s instance=%s\n", XPMIPD_VERSION,
				xpmipd_ops->name, d->cfg->instance);
		return 0;
	}
	if (!strcmp(argv[0], "counters"))
		return ctl_counters(d, json, out);
	if (!strcmp(argv[0], "peers")) {
		hb_print(d->hb, out, json);
		return 0;
	}
	if (!strncmp(argv[0], "trace-", strlen("trace-")))
		return xp_trace_ctl(d, argc, argv, out);
	if (!strcmp(argv[0], "metrics"))
		return xp_metrics_write(d, XPMIPD_VERSION, out);
	if (!strcmp(argv[0], "traffic")) {
		bool raw = argc > 1 && !strcmp(argv[1], "--raw");

		return xp_traffic_write(d, raw ? XP_TRAFFIC_RAW : json ? XP_TRAFFIC_JSON :
					XP_TRAFFIC_TABLE, out);
	}
	rc = xpmipd_ops->ctl ? xpmipd_ops->ctl(d, argc, argv, out) : -ENOENT;
	if (rc == -ENOENT)
		fprintf(out, "unknown command '%s' for role %s\n", argv[0], xpmipd_ops->name);
	return rc;
}

static int metrics_body(void *ctx, FILE *out)
{
	return xp_metrics_write(ctx, XPMIPD_VERSION, out);
}

/* rtnetlink changes: the user plane's cached next hops are stale */
static void on_nh_ready(void *ctx, int fd, uint32_t events)
{
	int err;

	(void)fd;
	(void)events;
	if ((err = nh_watch_dispatch(ctx)))
		ev_err("nh-watch-failed", NULL, -1, "err=%s", XP_LOGERR(-err));
}

static void on_hup(void *ctx)
{
	(void)ctx;
	ev_info("sighup", NULL, -1,
		"action=none hint=\"restart xpmipd to apply a new configuration; "
		"bindings survive the restart\"");
}

/* pin_root (or its nearest existing parent) must be on a bpf filesystem */
static int check_bpffs(const char *pin_root)
{
	char path[sizeof(((struct xp_config *)0)->pin_root)];
	struct statfs sfs;

	snprintf(path, sizeof(path), "%s", pin_root);
	for (;;) {
		if (statfs(path, &sfs) == 0)
			return sfs.f_type == BPF_FS_MAGIC ? 0 : -ENOTSUP;
		if (errno != ENOENT)
			return -errno;
		char *slash = strrchr(path, '/');

		if (!slash || slash == path)
			return -ENOTSUP;
		*slash = '\0';
	}
}

/*
 * The LMA's interfaces must exist at start (a MAG waits for its core and
 * access links, which may appear later): checked before any map is pinned
 * or program attached, so a typo is one line and leaves nothing behind.
 */
static int check_interfaces(const struct xp_config *cfg, enum xp_role role, const char *path)
{
	if (role != XP_ROLE_LMA)
		return 0;
	for (unsigned i = 0; i < cfg->lma.n_interfaces; i++) {
		if (!if_nametoindex(cfg->lma.interfaces[i])) {
			fprintf(stderr, "xpmipd: %s: lma.interfaces: interface '%s' does not exist "
				"in this network namespace\n", path, cfg->lma.interfaces[i]);
			return -ENODEV;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "config", required_argument, NULL, 'c' },
		{ "instance", required_argument, NULL, 'i' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "flush", no_argument, NULL, 'F' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *role_s = NULL, *cfg_path = NULL, *instance = NULL, *level_s = NULL;
	bool foreground = false, flush = false, check_only = false;
	struct xp_config cfg;
	static struct mh_txq mh_txq;
	struct xp_daemon d = { .cfg = &cfg, .mh_fd = -1, .mh_txq = &mh_txq };
	struct metrics_http *mhttp = NULL;
	struct nh_watch *nhw = NULL;
	struct xp_dp_opts dpo;
	char err[XP_CFG_ERR_MAX], ident[IDENT_MAX], kmsg[XP_KFEAT_MSG_MAX];
	enum xp_role role;
	int opt, rc, level, status = EXIT_FAILURE;
	const struct in6_addr *local;

	while ((opt = getopt_long(argc, argv, "r:c:i:fl:FhV", lopts, NULL)) != -1) {
		switch (opt) {
		case 'r': role_s = optarg; break;
		case 'c': cfg_path = optarg; break;
		case 'i': instance = optarg; break;
		case 'f': foreground = true; break;
		case 'l': level_s = optarg; break;
		case 'F': flush = true; break;
		case 'C': check_only = true; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("xpmipd %s\n", XPMIPD_VERSION); return 0;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc || !role_s || !cfg_path) {
		fprintf(stderr, "xpmipd: %s\n", optind != argc ? "unexpected argument" :
			!role_s ? "--role is required" : "--config is required");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(role_s, "lma")) {
		role = XP_ROLE_LMA;
		xpmipd_ops = &xp_lma_ops;
	} else if (!strcmp(role_s, "mag")) {
		role = XP_ROLE_MAG;
		xpmipd_ops = &xp_mag_ops;
	} else if (!strcmp(role_s, "mn")) {
		role = XP_ROLE_MN;
		xpmipd_ops = &xp_mn_ops;
	} else {
		fprintf(stderr, "xpmipd: --role: '%s' is not lma, mag or mn\n", role_s);
		return EXIT_USAGE;
	}
	if (!xpmipd_ops->start || !xpmipd_ops->on_mh || !xpmipd_ops->stop) {
		fprintf(stderr, "xpmipd: %s role not built\n", role_s);
		return EXIT_FAILURE;
	}
	level = level_s ? xp_log_level_parse(level_s) : XP_LOG_INFO;
	if (level < 0) {
		fprintf(stderr, "xpmipd: --log-level: '%s' is not err, warn, info or debug\n", level_s);
		return EXIT_USAGE;
	}
	if (xp_config_load(cfg_path, role, &cfg, err)) {
		fprintf(stderr, "xpmipd: %s\n", err);
		return EXIT_FAILURE;
	}
	if (check_only) {	/* --check-config: parse and validate only */
		printf("%s: valid %s configuration\n", cfg_path, role_s);
		xp_config_free(&cfg);
		return EXIT_SUCCESS;
	}
	if (instance) {
		if (!*instance || strchr(instance, '/') || strlen(instance) >= sizeof(cfg.instance)) {
			fprintf(stderr, "xpmipd: --instance: '%s' cannot name a directory\n", instance);
			goto out_cfg;
		}
		snprintf(cfg.instance, sizeof(cfg.instance), "%s", instance);
	}
	if (!level_s)
		level = xp_log_level_parse(cfg.log_level);
	snprintf(ident, sizeof(ident), "xpmipd[%s]", cfg.instance);
	/* stderr until the daemon detaches, so start-up errors reach the operator */
	xp_log_init(ident, cfg.use_syslog, (enum xp_log_level)level);
	d.flush_on_stop = flush;
	d.ops = xpmipd_ops;

	if (role != XP_ROLE_MN && (rc = check_bpffs(cfg.pin_root))) {
		fprintf(stderr, "xpmipd: pin_root %s is not on a bpf filesystem (%s); "
			"mount one: mount -t bpf bpf /sys/fs/bpf\n", cfg.pin_root,
			rc == -ENOTSUP ? "wrong filesystem type" : strerror(-rc));
		goto out_cfg;
	}
	if (check_interfaces(&cfg, role, cfg_path))
		goto out_cfg;
	/* before anything is created: an unsupported kernel is one line */
	if ((rc = xp_kfeat_probe(role, kmsg))) {
		fprintf(stderr, "xpmipd: %s\n", kmsg);
		goto out_cfg;
	}
	signal(SIGPIPE, SIG_IGN);
	if ((rc = evloop_new(&d.ev))) {
		fprintf(stderr, "xpmipd: event loop: %s\n", strerror(-rc));
		goto out_cfg;
	}
	evloop_on_sighup(d.ev, on_hup, &d);
	if ((rc = ctl_sock_open(d.ev, cfg.instance, daemon_ctl, &d, &d.ctl))) {
		fprintf(stderr, "xpmipd: control socket %s/%s.sock: %s\n", ctl_sock_dir(),
			cfg.instance, rc == -EADDRINUSE ? "another xpmipd serves this instance" :
			strerror(-rc));
		goto out_ev;
	}
	if (role == XP_ROLE_MN)	/* no pinned maps, no Mobility Header: user/mn.c */
		goto start;
	memset(&dpo, 0, sizeof(dpo));
	dpo.role = role;
	dpo.instance = cfg.instance;
	dpo.pin_root = cfg.pin_root;
	/* max_bindings sizes the per-binding maps and the per-MN one (an MN
	 * has at least one binding); 0 keeps the built-in capacities */
	dpo.max_bindings = cfg.max_bindings;
	dpo.max_mns = cfg.max_bindings < XP_MAX_MNS ? cfg.max_bindings : XP_MAX_MNS;
	if ((rc = xp_dp_open(&dpo, &d.dp))) {
		fprintf(stderr, "xpmipd: data plane under %s/%s: %s\n", cfg.pin_root, cfg.instance,
			rc == -EPROTO ? "a pinned map has an incompatible layout (named above); "
			"refusing to reuse it" : rc == -ERANGE ? "a pinned map was created with "
			"another capacity (named above): max_bindings differs from the run that "
			"created it; refusing to resize it" : strerror(-rc));
		goto out_ctl;
	}
	/* before the role enables the programs: from then on every route or
	 * neighbour change invalidates the next-hop cache (nhwatch.h) */
	if ((rc = nh_watch_open(xp_dp_map_fd(d.dp, XP_MAP_NHGEN), &nhw)) ||
	    (rc = evloop_add_fd(d.ev, nh_watch_fd(nhw), EPOLLIN, on_nh_ready, nhw))) {
		fprintf(stderr, "xpmipd: rtnetlink watch for the next-hop cache: %s\n",
			strerror(-rc));
		goto out_dp;
	}
	local = role == XP_ROLE_LMA ? &cfg.lma.address : &cfg.mag.proxy_coa;
	d.mh_fd = mh_sock_open(local);
	if (d.mh_fd < 0) {
		char a[INET6_ADDRSTRLEN];

		fprintf(stderr, "xpmipd: Mobility Header socket on %s: %s%s\n",
			inet_ntop(AF_INET6, local, a, sizeof(a)), strerror(-d.mh_fd),
			d.mh_fd == -EADDRNOTAVAIL ? " (the address is not configured on this host)" : "");
		goto out_dp;
	}
	if ((rc = evloop_add_fd(d.ev, d.mh_fd, EPOLLIN, on_mh_ready, &d))) {
		fprintf(stderr, "xpmipd: event loop: %s\n", strerror(-rc));
		goto out_mh;
	}
start:
	if ((rc = xpmipd_ops->start(&d))) {
		fprintf(stderr, "xpmipd: %s role failed to start: %s (see the log above)\n",
			xpmipd_ops->name, strerror(-rc));
		xpmipd_ops->stop(&d);
		goto out_mh;
	}
	if (cfg.metrics_listen[0] &&
	    (rc = metrics_http_open(d.ev, cfg.metrics_listen, metrics_body, &d, &mhttp))) {
		fprintf(stderr, "xpmipd: metrics_listen %s: %s\n", cfg.metrics_listen, strerror(-rc));
		xpmipd_ops->stop(&d);
		goto out_mh;
	}
	if (!foreground) {
		if (daemon(0, 0)) {
			fprintf(stderr, "xpmipd: daemon: %s\n", strerror(errno));
			xpmipd_ops->stop(&d);
			goto out_http;
		}
		if (!cfg.use_syslog)	/* stderr is /dev/null from here on */
			xp_log_init(ident, true, (enum xp_log_level)level);
	}
	ev_info("started", NULL, -1, "role=%s instance=%s version=%s pid=%d metrics=%s",
		xpmipd_ops->name, cfg.instance, XPMIPD_VERSION, (int)getpid(),
		cfg.metrics_listen[0] ? cfg.metrics_listen : "off");
	rc = evloop_run(d.ev);
	ev_info("stopping", NULL, -1, "flush=%s", flush ? "yes" : "no");
	xpmipd_ops->stop(&d);
	status = rc ? EXIT_FAILURE : EXIT_SUCCESS;
out_http:
	metrics_http_close(mhttp);
out_mh:
	if (d.mh_fd >= 0)
		close(d.mh_fd);
out_dp:
	nh_watch_close(nhw);
	xp_dp_close(d.dp, flush);
out_ctl:
	ctl_sock_close(d.ctl);
out_ev:
	evloop_free(d.ev);
out_cfg:
	xp_config_free(&cfg);
	return status;
}
