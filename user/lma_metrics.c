// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * lma_metrics.c - the LMA's own Prometheus families: binding cache events
 * (struct lma_stats). Bindings by state, signalling and traffic are the
 * generic families of metrics.c.
 */
#include <stddef.h>

#include "lma.h"
#include "prom.h"

void lma_metrics(struct lma *l, FILE *out)
{
	static const struct { const char *event; size_t off; } ev[] = {
		{ "accepted", offsetof(struct lma_stats, accepted) },
		{ "rejected", offsetof(struct lma_stats, rejected) },
		{ "dereg", offsetof(struct lma_stats, dereg) },
		{ "expired", offsetof(struct lma_stats, expired) },
		{ "deleted", offsetof(struct lma_stats, deleted) },
		{ "malformed", offsetof(struct lma_stats, malformed) },
		{ "ignored", offsetof(struct lma_stats, ignored) },
	};
	const struct lma_stats *s = lma_stats(l);

	prom_family(out, "xpmip_lma_events_total", PROM_COUNTER,
		    "LMA binding cache events: PBUs accepted / rejected, de-registrations, "
		    "expiries, deletions, malformed and ignored messages.");
	for (size_t i = 0; i < sizeof(ev) / sizeof(ev[0]); i++)
		prom_sample3(out, "xpmip_lma_events_total",
			     *(const uint64_t *)((const char *)s + ev[i].off), "event", ev[i].event,
			     NULL, NULL, NULL, NULL);
}
