/* Description: what the harness sends and expects is keyed to the running
 * kernel, not to the one it was written on (issue 10: Debian's 6.1 and 6.12).
 * The sync cancel argument carries an opcode only when canceling by opcode;
 * on kernels before 6.6 that byte is padding, which must be zero. */
#include <string.h>

#include "abi.h"
#include "check.h"
#include "executor.h"
#include "probe.h"
#include "racy.h"

/* A kernel that has every feature the harness knows of. */
static void full_kernel(struct cf_features *f)
{
	memset(f, 0, sizeof(*f));
	f->usable = 1;
	for (unsigned i = 0; i <= IORING_OP_FUTEX_WAKE; i++)
		f->opcode[i] = 1;
	f->nr_opcodes = IORING_OP_FUTEX_WAKE + 1;
	f->cancel_flags = IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ANY |
			  IORING_ASYNC_CANCEL_FD_FIXED | IORING_ASYNC_CANCEL_USERDATA |
			  IORING_ASYNC_CANCEL_OP;
	f->sync_cancel = f->sync_cancel_op = 1;
}

static void op(struct cf_program *p, unsigned kind, unsigned a0, unsigned a1, unsigned a2)
{
	struct cf_op *o = &p->ops[p->nops++];

	memset(o, 0, sizeof(*o));
	o->kind = (uint8_t)kind;
	o->a[0] = (uint8_t)a0;
	o->a[1] = (uint8_t)a1;
	o->a[2] = (uint8_t)a2;
}

/* Requests, cancel flags and sync-cancel fields the kernel lacks make the
 * program UNSUPPORTED (6.1: futex_wait and waitid passed without testing). */
static void test_needs(void)
{
	struct cf_features f;
	struct cf_program p;
	char why[256] = "";

	memset(&p, 0, sizeof(p));
	p.mode = CF_MODE_DEFAULT;
	p.entries = 8;
	op(&p, CF_OP_QUEUE, CF_REQ_FUTEX_WAIT, 0, 0);
	op(&p, CF_OP_CANCEL, CF_CANCEL_SYNC, 0x01 /* ALL */, 0);
	full_kernel(&f);
	CHECK_EQ(cf_program_unsupported(&p, &f, why, sizeof(why)), 0);
	f.opcode[IORING_OP_FUTEX_WAIT] = 0;
	CHECK_EQ(cf_program_unsupported(&p, &f, why, sizeof(why)), 1);
	CHECK_STR(why, "op 0: this kernel has no IORING_OP 51 (futex_wait)");

	p.ops[0].a[CF_Q_REQ] = CF_REQ_WAITID;
	f.opcode[IORING_OP_WAITID] = 0;
	CHECK_EQ(cf_program_unsupported(&p, &f, why, sizeof(why)), 1);
	CHECK_STR(why, "op 0: this kernel has no IORING_OP 50 (waitid)");

	p.ops[0].a[CF_Q_REQ] = CF_REQ_READ;
	CHECK_EQ(cf_program_unsupported(&p, &f, why, sizeof(why)), 0);
	f.sync_cancel = 0;
	CHECK_EQ(cf_program_unsupported(&p, &f, why, sizeof(why)), 1);
	CHECK_STR(why, "op 1: this kernel has no IORING_REGISTER_SYNC_CANCEL");

	/* Canceling by opcode through the sync cancel needs its opcode field. */
	full_kernel(&f);
	p.ops[1].a[CF_C_FLAGS] = 0x20; /* OP */
	f.sync_cancel_op = 0;
	CHECK_EQ(cf_program_unsupported(&p, &f, why, sizeof(why)), 1);
	CHECK_STR(why, "op 1: this kernel's sync cancel has no opcode field (6.6)");
	p.ops[1].a[CF_C_API] = CF_CANCEL_SQE64; /* the SQE form keys on sqe->len */
	CHECK_EQ(cf_program_unsupported(&p, &f, why, sizeof(why)), 0);
	f.cancel_flags &= ~IORING_ASYNC_CANCEL_OP;
	CHECK_EQ(cf_program_unsupported(&p, &f, why, sizeof(why)), 1);
	CHECK_STR(why, "op 1: this kernel lacks cancel flags 0x20");

	/* Bits no kernel knows are the program's own test of -EINVAL. */
	full_kernel(&f);
	p.ops[1].a[CF_C_FLAGS] = 0xc0;
	CHECK_EQ(cf_program_unsupported(&p, &f, why, sizeof(why)), 0);

	/* The AIO families need no io_uring feature. */
	p.mode = CF_MODE_AIO;
	memset(&f, 0, sizeof(f));
	CHECK_EQ(cf_program_unsupported(&p, &f, why, sizeof(why)), 0);
}

static void test_sync_cancel_opcode_only_with_op(void)
{
	struct cf_sync_cancel_reg reg;
	const unsigned char *b = (const unsigned char *)&reg;

	/* Not by opcode: bytes 32..63 (the pre-6.6 pad[4]) are all zero. */
	cf_sync_cancel_fill(&reg, 7, -1, IORING_ASYNC_CANCEL_ALL, 22 /* READ */, 0);
	for (size_t i = offsetof(struct cf_sync_cancel_reg, opcode); i < sizeof(reg); i++)
		CHECK_EQ(b[i], 0);
	CHECK_EQ(reg.addr, 7);
	CHECK_EQ(reg.fd, -1);
	CHECK_EQ(reg.flags, IORING_ASYNC_CANCEL_ALL);
	CHECK_EQ(reg.timeout.tv_sec, 1);

	/* By opcode: the opcode byte is set, nothing else past the timeout. */
	cf_sync_cancel_fill(&reg, 7, -1, IORING_ASYNC_CANCEL_OP, 22, 0);
	CHECK_EQ(reg.opcode, 22);
	for (size_t i = offsetof(struct cf_sync_cancel_reg, opcode) + 1; i < sizeof(reg); i++)
		CHECK_EQ(b[i], 0);

	/* The odd fields still reach the kernel's pad checks. */
	cf_sync_cancel_fill(&reg, 7, -1, 0, 22, CF_ODD_OFF | CF_ODD_SPLICE_FD | CF_ODD_BUF_SELECT);
	CHECK_EQ(reg.opcode, 0);
	CHECK_EQ(reg.pad[0], 1);
	CHECK_EQ(reg.pad2[0], 1);
	CHECK_EQ(reg.timeout.tv_sec, 0);
}

/* A read of an empty pipe, then its cancel: poll-armed and exact where pipes
 * are NOWAIT (6.18), a race with an io-wq worker where they are not (6.1). */
static void test_racy_keyed_to_kernel(void)
{
	struct cf_program p;
	char why[256] = "";

	memset(&p, 0, sizeof(p));
	p.mode = CF_MODE_DEFAULT;
	p.entries = 8;
	op(&p, CF_OP_QUEUE, CF_REQ_READ, CF_SLOT_PIPE0_R, 0);
	op(&p, CF_OP_CANCEL, CF_CANCEL_SQE64, 0, 0);
	CHECK_EQ(cf_program_racy(&p, why, sizeof(why)), 0);
	CHECK_EQ(cf_program_racy_on(&p, CF_IOWQ_EVENTFD, why, sizeof(why)), 0);
	CHECK_EQ(cf_program_racy_on(&p, CF_IOWQ_PIPE, why, sizeof(why)), 1);
	CHECK_STR(why, "op 0: runs in an io-wq worker");
	/* A socket read stays poll-armed either way. */
	p.ops[0].a[CF_Q_SLOT] = CF_SLOT_SOCK0_A;
	CHECK_EQ(cf_program_racy_on(&p, CF_IOWQ_PIPE | CF_IOWQ_EVENTFD, why, sizeof(why)), 0);
	p.ops[0].a[CF_Q_SLOT] = CF_SLOT_EVENTFD;
	CHECK_EQ(cf_program_racy_on(&p, CF_IOWQ_PIPE, why, sizeof(why)), 0);
	CHECK_EQ(cf_program_racy_on(&p, CF_IOWQ_EVENTFD, why, sizeof(why)), 1);
}

int main(void)
{
	test_sync_cancel_opcode_only_with_op();
	test_needs();
	test_racy_keyed_to_kernel();
	TEST_EXIT();
}
