// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * verifier_stats.c - load BPF objects and print, per program, the number of
 * instructions the verifier processed (bpf_prog_info.verified_insns, kernel
 * >= 5.16), the translated size, and the verifier's own statistics line.
 * Built and run by tests/verifier-stats.sh (make verifier-stats). Root.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

static int quiet(enum libbpf_print_level l, const char *f, va_list ap)
{
	return l == LIBBPF_WARN ? vfprintf(stderr, f, ap) : 0;
}

int main(int argc, char **argv)
{
	static char logs[8][1 << 16];
	int rc = 0;

	libbpf_set_print(quiet);
	printf("%-22s %-16s %9s %9s  %s\n", "object", "program", "verified", "xlated", "verifier");
	for (int a = 1; a < argc; a++) {
		struct bpf_object *obj = bpf_object__open_file(argv[a], NULL);
		struct bpf_program *p;
		int i = 0;

		if (!obj) {
			fprintf(stderr, "%s: open: %s\n", argv[a], strerror(errno));
			rc = 1;
			continue;
		}
		bpf_object__for_each_program(p, obj) {
			if (i < 8) {
				logs[i][0] = '\0';
				bpf_program__set_log_buf(p, logs[i], sizeof(logs[i]));
				bpf_program__set_log_level(p, 4);	/* BPF_LOG_STATS */
			}
			i++;
		}
		if (bpf_object__load(obj)) {
			fprintf(stderr, "%s: load failed\n", argv[a]);
			rc = 1;
			bpf_object__close(obj);
			continue;
		}
		i = 0;
		bpf_object__for_each_program(p, obj) {
			struct bpf_prog_info info = {};
			__u32 len = sizeof(info);
			const char *st = i < 8 ? strstr(logs[i], "processed") : NULL;
			char line[160] = "";

			if (st) {
				size_t n = strcspn(st, "\n");

				snprintf(line, sizeof(line), "%.*s", (int)(n < 150 ? n : 150), st);
			}
			bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len);
			printf("%-22s %-16s %9u %9u  %s\n", strrchr(argv[a], '/') ?
			       strrchr(argv[a], '/') + 1 : argv[a], bpf_program__name(p),
			       info.verified_insns, info.xlated_prog_len / 8, line);
			i++;
		}
		bpf_object__close(obj);
	}
	return rc;
}
