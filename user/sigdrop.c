// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* sigdrop.c - see sigdrop.h */
#include <string.h>

#include "sigdrop.h"

#define XP_SIGDROP_NAME(id, name, text) name,
#define XP_SIGDROP_TEXT(id, name, text) text,
static const char *const sd_names[XP_SD_MAX] = { XP_SIGDROP_LIST(XP_SIGDROP_NAME) };
static const char *const sd_text[XP_SD_MAX] = { XP_SIGDROP_LIST(XP_SIGDROP_TEXT) };

static uint64_t sd_count[XP_SD_MAX];

void xp_sigdrop_count(enum xp_sigdrop why)
{
	xp_sigdrop_add(why, 1);
}

void xp_sigdrop_add(enum xp_sigdrop why, uint64_t n)
{
	if ((unsigned int)why < XP_SD_MAX)
		sd_count[why] += n;
}

uint64_t xp_sigdrop_get(enum xp_sigdrop why)
{
	return (unsigned int)why < XP_SD_MAX ? sd_count[why] : 0;
}

void xp_sigdrop_reset(void)
{
	memset(sd_count, 0, sizeof(sd_count));
}

void xp_sigdrop_print(FILE *out, bool json)
{
	for (int i = 0; i < XP_SD_MAX; i++) {
		if (json)
			fprintf(out, "%s{\"reason\":\"%s\",\"packets\":%llu,\"text\":\"%s\"}",
				i ? "," : "", sd_names[i], (unsigned long long)sd_count[i], sd_text[i]);
		else
			fprintf(out, "%-20s %14llu  %s\n", sd_names[i],
				(unsigned long long)sd_count[i], sd_text[i]);
	}
}
