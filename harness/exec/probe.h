/* What the running kernel is (its release) and supports, learned by trying it. */
#ifndef CF_PROBE_H
#define CF_PROBE_H

#include <stdint.h>
#include <stdio.h>

#include "program.h"

struct cf_features {
	int usable;              /* io_uring_setup works at all */
	int setup_errno;         /* why not, when !usable */
	char why[256];           /* plain words: disabled by sysctl, seccomp, ... */
	char release[65];
	uint8_t opcode[256];     /* IORING_REGISTER_PROBE: opcode supported */
	uint8_t nr_opcodes;
	int mode_errno[CF_MODE__COUNT]; /* 0: the setup mode works */
	uint32_t cancel_flags;   /* IORING_ASYNC_CANCEL_* bits accepted */
	int sync_cancel;         /* IORING_REGISTER_SYNC_CANCEL */
	int sync_cancel_op;      /* its opcode field (6.6): before, that byte is padding */
	unsigned iowq_files;     /* CF_IOWQ_* (racy.h): files whose reads block in io-wq */
	int files_sparse;        /* sparse fixed-file table */
	int buf_ring;            /* IORING_REGISTER_PBUF_RING */
	uint32_t ring_features;  /* IORING_FEAT_* from setup */
};

/* The running kernel's release (uname -r) into out; out is left as it was
 * when uname fails. A system call on every call: the probe keeps its own. */
void cf_kernel_release(char *out, size_t len);
/* Probe once per process; later calls return the cached result. */
const struct cf_features *cf_probe(void);
void cf_probe_print(const struct cf_features *f, FILE *out);

/* 1 when prog needs what the probed kernel lacks: an opcode, a cancel flag,
 * the sync cancel or its opcode field. why names the first such need. Such a
 * program is UNSUPPORTED here: run anyway it would pass without testing
 * anything, or fail for a reason that is no finding. */
int cf_program_unsupported(const struct cf_program *prog, const struct cf_features *f,
			   char *why, size_t whylen);

#endif
