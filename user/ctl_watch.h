/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ctl_watch.h - `xpmipctl watch`: a live view of the bindings and their
 * traffic (xp_bstat_v2 through the daemon's `traffic --raw`), redrawn
 * every interval with packet and bit rates computed between two samples.
 */
#ifndef XPMIP_CTL_WATCH_H
#define XPMIP_CTL_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define WATCH_MNID_MAX	256

struct watch_row {
	char mn_id[WATCH_MNID_MAX];
	unsigned bid;
	char state[24];
	char peer[48];
	uint64_t dl_packets, dl_bytes, ul_packets, ul_bytes;
};

struct watch_sample {
	uint64_t time_ms;
	struct watch_row *rows;
	size_t n;
};

/* Parse the body of `traffic --raw`; 0 or -EINVAL / -ENOMEM */
int watch_parse(const char *body, struct watch_sample *s);
void watch_sample_free(struct watch_sample *s);
/* One frame: cur with rates against prev (NULL: no rates yet) */
void watch_render(FILE *out, const struct watch_sample *prev, const struct watch_sample *cur,
		  bool json);
/* "1.50M" for 1500000; buf of at least 16 octets */
const char *watch_si(double v, char *buf, size_t len);

int ctl_watch_main(int argc, char **argv);

#endif /* XPMIP_CTL_WATCH_H */
