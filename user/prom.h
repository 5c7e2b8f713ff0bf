/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * prom.h - a writer for the Prometheus text exposition format (0.0.4):
 *
 *   # HELP xpmip_packets_total Packets seen by the XDP programs, by verdict reason.
 *   # TYPE xpmip_packets_total counter
 *   xpmip_packets_total{reason="DL_FORWARD"} 42
 *
 * Label values are escaped (backslash, double quote, newline) here, so a
 * caller may pass any MN-ID. Labels are given as a NULL-terminated list of
 * name, value pairs.
 */
#ifndef XPMIP_PROM_H
#define XPMIP_PROM_H

#include <stdint.h>
#include <stdio.h>

#define PROM_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

enum prom_type { PROM_COUNTER, PROM_GAUGE };

/* "# HELP" and "# TYPE" lines: once per metric family, before its samples */
void prom_family(FILE *out, const char *name, enum prom_type type, const char *help);
/* One sample: name{l1="v1",l2="v2"} value. labels: name, value, ..., NULL */
void prom_sample(FILE *out, const char *name, uint64_t value, const char *const *labels);
/* The same with up to three labels inline (NULL ends the list early) */
void prom_sample3(FILE *out, const char *name, uint64_t value,
		  const char *k1, const char *v1, const char *k2, const char *v2,
		  const char *k3, const char *v3);
/* A label value with the format's escapes */
void prom_label_value(FILE *out, const char *v);

#endif /* XPMIP_PROM_H */
