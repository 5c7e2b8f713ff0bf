/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * bpf_deny - run a command under a seccomp filter that makes one bpf()
 * command fail with an errno, so the command sees a kernel that lacks
 * what that command would give (selftests/t_08_startup_errors.sh: "an
 * unsupported kernel" without another kernel).
 *
 *   bpf_deny --cmd prog_load|map_create [--errno EINVAL] -- COMMAND [ARG...]
 *
 * prog_load: every BPF program load fails, which is what a kernel without
 * the probed program type answers (libbpf's probes load a minimal program);
 * map_create: every map creation fails. Everything else runs as usual. The
 * filter is classic BPF on the syscall number and its first argument (the
 * bpf() command); no_new_privs is set, as seccomp requires.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define XP_AUDIT_ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define XP_AUDIT_ARCH	AUDIT_ARCH_AARCH64
#else
#error "bpf_deny: add this architecture's AUDIT_ARCH"
#endif

static int usage(void)
{
	fprintf(stderr, "usage: bpf_deny --cmd prog_load|map_create [--errno EINVAL|EPERM] "
		"-- COMMAND [ARG...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	unsigned cmd = ~0u, err = EINVAL;
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--cmd") && i + 1 < argc) {
			i++;
			cmd = !strcmp(argv[i], "prog_load") ? BPF_PROG_LOAD :
			      !strcmp(argv[i], "map_create") ? BPF_MAP_CREATE : ~0u;
		} else if (!strcmp(argv[i], "--errno") && i + 1 < argc) {
			i++;
			err = !strcmp(argv[i], "EPERM") ? EPERM : !strcmp(argv[i], "EINVAL") ?
			      EINVAL : 0;
		} else {
			return usage();
		}
	}
	if (cmd == ~0u || !err || i + 1 >= argc)
		return usage();

	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, XP_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_bpf, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, cmd, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (err & SECCOMP_RET_DATA)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		perror("bpf_deny: seccomp");
		return 1;
	}
	execvp(argv[i + 1], argv + i + 1);
	perror("bpf_deny: exec");
	return 127;
}
