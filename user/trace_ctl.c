// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* trace_ctl.c - see trace_ctl.h */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>

#include <bpf/bpf.h>

#include "config.h"
#include "dataplane.h"
#include "log.h"
#include "trace_ctl.h"
#include "xpmip_maps.h"

static unsigned trace_clients;	/* trace-start minus trace-stop */
static int trace_emit_fd = -1;	/* xp_trace_emit (LMA), once a client traced */

static int set_trace_flag(struct xp_daemon *d, bool on)
{
	int fd = d->dp ? xp_dp_map_fd(d->dp, XP_MAP_CFG) : -ENODEV;
	__u32 zero = 0;
	struct xp_cfg c;

	if (fd < 0)
		return fd;
	if (bpf_map_lookup_elem(fd, &zero, &c))
		return -errno;
	c.flags = on ? c.flags | XP_CFG_F_TRACE : c.flags & ~XP_CFG_F_TRACE;
	if (bpf_map_update_elem(fd, &zero, &c, BPF_ANY))
		return -errno;
	return 0;
}

struct mn_match {
	const char *mn_id;
	FILE *out;
	unsigned found;
};

static void print_mn(void *ctx, const struct xp_binding_info *b)
{
	struct mn_match *m = ctx;

	if (strcmp(b->mn_id, m->mn_id))
		return;
	if (!m->found++)
		fprintf(m->out, "mnidx %u\n", b->mn_idx);
	for (uint8_t i = 0; i < b->n_hnp; i++) {
		char p[INET6_ADDRSTRLEN + 4];

		fprintf(m->out, "prefix %s\n", xp_prefix_str(&b->hnp[i], p, sizeof(p)));
	}
	if (b->mac)
		fprintf(m->out, "mac %02x:%02x:%02x:%02x:%02x:%02x\n", b->mac[0], b->mac[1],
			b->mac[2], b->mac[3], b->mac[4], b->mac[5]);
}

int xp_trace_ctl(struct xp_daemon *d, int argc, char **argv, FILE *out)
{
	int rc;

	if (!strcmp(argv[0], "trace-stop")) {
		if (trace_clients && --trace_clients == 0 && (rc = set_trace_flag(d, false))) {
			fprintf(out, "cannot clear the trace flag: %s\n", strerror(-rc));
			return rc;
		}
		if (!trace_clients)
			ev_info("trace-stopped", NULL, -1, NULL);
		return 0;
	}
	if (strcmp(argv[0], "trace-start"))
		return -ENOENT;
	if (argc > 2) {
		fprintf(out, "usage: trace-start [MN-ID]\n");
		return -EINVAL;
	}
	if (argc == 2) {
		struct mn_match m = { .mn_id = argv[1], .out = out };
		char *body = NULL;
		size_t len = 0;
		FILE *tmp = open_memstream(&body, &len);

		if (!tmp)
			return -ENOMEM;
		m.out = tmp;
		if (d->ops && d->ops->foreach_binding)
			d->ops->foreach_binding(d, print_mn, &m);
		fclose(tmp);
		if (!m.found) {
			free(body);
			fprintf(out, "no binding for MN-ID '%s'\n", argv[1]);
			return -ESRCH;
		}
		fprintf(out, "ring %s/%s/%s\n", d->cfg->pin_root, d->cfg->instance, XP_MAP_TRACE);
		fwrite(body, 1, len, out);
		free(body);
	} else {
		fprintf(out, "ring %s/%s/%s\n", d->cfg->pin_root, d->cfg->instance, XP_MAP_TRACE);
	}
	/* interface names of the daemon's namespace (xpmipctl may run elsewhere) */
	struct if_nameindex *ifs = if_nameindex();

	for (struct if_nameindex *i = ifs; i && i->if_index; i++)
		fprintf(out, "if %u %s\n", i->if_index, i->if_name);
	if (ifs)
		if_freenameindex(ifs);
	if ((rc = set_trace_flag(d, true))) {
		fprintf(out, "cannot set the trace flag: %s\n", strerror(-rc));
		return rc;
	}
	trace_emit_fd = xp_dp_prog_fd(d->dp, XP_PROG_TRACE_EMIT);
	if (trace_clients++ == 0)
		ev_info("trace-started", argc == 2 ? argv[1] : NULL, -1, NULL);
	return 0;
}

bool xp_trace_active(void)
{
	return trace_clients && trace_emit_fd >= 0;
}

int xp_trace_switch(enum xp_trace_cause cause, const struct xp_trace_switch *sw)
{
	struct xp_trace_event ev;
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = &ev, .data_size_in = sizeof(ev),
		    .repeat = 1);

	if (!trace_clients || trace_emit_fd < 0)
		return 0;
	memset(&ev, 0, sizeof(ev));
	ev.kind = XP_TRACE_SWITCH;
	ev.reason = cause;
	ev.sw = *sw;
	if (bpf_prog_test_run_opts(trace_emit_fd, &run))
		return -errno;
	return 0;
}
