/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* json.h - the one JSON string writer of the control commands' --json output */
#ifndef XPMIP_JSON_H
#define XPMIP_JSON_H

#include <stdio.h>

/* s as a quoted JSON string: quote, backslash and control characters escaped */
void xp_json_str(FILE *out, const char *s);

#endif /* XPMIP_JSON_H */
