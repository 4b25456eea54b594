/* Description: run a command with io_uring blocked, as Docker's default
 * seccomp profile does: io_uring_setup, io_uring_enter and io_uring_register
 * fail with EPERM (or ENOSYS with -e ENOSYS); every other call is allowed.
 * usage: seccomp_block [-e EPERM|ENOSYS] CMD ARG...  (exit 127 when CMD cannot
 * run, 126 when the filter cannot be installed) */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#else
#error "add this architecture's AUDIT_ARCH_ value"
#endif

/* 425, 426, 427 on every architecture since the numbers were unified. */
#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup 425
#define __NR_io_uring_enter 426
#define __NR_io_uring_register 427
#endif

static int block_io_uring(unsigned err)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_enter, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_register, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (err & SECCOMP_RET_DATA)),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

int main(int argc, char **argv)
{
	unsigned err = EPERM;
	int first = 1;

	if (argc > 2 && strcmp(argv[1], "-e") == 0) {
		if (strcmp(argv[2], "ENOSYS") == 0)
			err = ENOSYS;
		else if (strcmp(argv[2], "EPERM") != 0) {
			fprintf(stderr, "seccomp_block: -e takes EPERM or ENOSYS\n");
			return 2;
		}
		first = 3;
	}
	if (first >= argc) {
		fprintf(stderr, "usage: seccomp_block [-e EPERM|ENOSYS] CMD ARG...\n");
		return 2;
	}
	if (block_io_uring(err) < 0) {
		fprintf(stderr, "seccomp_block: cannot install the filter: %s\n", strerror(errno));
		return 126;
	}
	execvp(argv[first], argv + first);
	fprintf(stderr, "seccomp_block: %s: %s\n", argv[first], strerror(errno));
	return 127;
}
