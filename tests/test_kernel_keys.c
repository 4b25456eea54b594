/* Description: what the harness sends and expects is keyed to the running
 * kernel, not to the one it was written on (issue 10: Debian's 6.1 and 6.12).
 * The sync cancel argument carries an opcode only when canceling by opcode;
 * on kernels before 6.6 that byte is padding, which must be zero. */
#include <string.h>

#include "abi.h"
#include "check.h"
#include "executor.h"

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

int main(void)
{
	test_sync_cancel_opcode_only_with_op();
	TEST_EXIT();
}
