// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* prom.c - see prom.h */
#include "prom.h"

void prom_family(FILE *out, const char *name, enum prom_type type, const char *help)
{
	fprintf(out, "# HELP %s ", name);
	/* HELP text escapes backslash and newline only */
	for (const char *p = help; *p; p++) {
		if (*p == '\\')
			fputs("\\\\", out);
		else if (*p == '\n')
			fputs("\\n", out);
		else
			fputc(*p, out);
	}
	fprintf(out, "\n# TYPE %s %s\n", name, type == PROM_COUNTER ? "counter" : "gauge");
}

void prom_label_value(FILE *out, const char *v)
{
	fputc('"', out);
	for (; *v; v++) {
		if (*v == '\\')
			fputs("\\\\", out);
		else if (*v == '"')
			fputs("\\\"", out);
		else if (*v == '\n')
			fputs("\\n", out);
		else
			fputc(*v, out);
	}
	fputc('"', out);
}

void prom_sample(FILE *out, const char *name, uint64_t value, const char *const *labels)
{
	fputs(name, out);
	if (labels && labels[0]) {
		fputc('{', out);
		for (int i = 0; labels[i] && labels[i + 1]; i += 2) {
			fprintf(out, "%s%s=", i ? "," : "", labels[i]);
			prom_label_value(out, labels[i + 1]);
		}
		fputc('}', out);
	}
	fprintf(out, " %llu\n", (unsigned long long)value);
}

void prom_sample3(FILE *out, const char *name, uint64_t value,
		  const char *k1, const char *v1, const char *k2, const char *v2,
		  const char *k3, const char *v3)
{
	const char *l[] = { k1, v1, k2, v2, k3, v3, NULL };

	prom_sample(out, name, value, l);
}
