/* Description: the program model's tables agree with the kernel ABI constants. */
#include "abi.h"
#include "check.h"
#include "program.h"

int main(void)
{
	CHECK_EQ(cf_req_opcode(CF_REQ_NOP), IORING_OP_NOP);
	CHECK_EQ(cf_req_opcode(CF_REQ_READ), IORING_OP_READ);
	CHECK_EQ(cf_req_opcode(CF_REQ_RECV), IORING_OP_RECV);
	CHECK_EQ(cf_req_opcode(CF_REQ_WRITE), IORING_OP_WRITE);
	CHECK_EQ(cf_req_opcode(CF_REQ_POLL), IORING_OP_POLL_ADD);
	CHECK_EQ(cf_req_opcode(CF_REQ_POLL_MULTI), IORING_OP_POLL_ADD);
	CHECK_EQ(cf_req_opcode(CF_REQ_ACCEPT_MULTI), IORING_OP_ACCEPT);
	CHECK_EQ(cf_req_opcode(CF_REQ_RECV_MULTI), IORING_OP_RECV);
	CHECK_EQ(cf_req_opcode(CF_REQ_TIMEOUT_SHORT), IORING_OP_TIMEOUT);
	CHECK_EQ(cf_req_opcode(CF_REQ_LINK_TIMEOUT_LONG), IORING_OP_LINK_TIMEOUT);
	CHECK_EQ(cf_req_opcode(CF_REQ_FUTEX_WAIT), IORING_OP_FUTEX_WAIT);
	CHECK_EQ(cf_req_opcode(CF_REQ_WAITID), IORING_OP_WAITID);
	CHECK_EQ(cf_req_opcode(CF_REQ_READ_FILE), IORING_OP_READ);
	CHECK_EQ(cf_ud_value(6), 0);
	CHECK(cf_ud_value(7) == UINT64_MAX);
	CHECK_EQ(cf_req_is_multishot(CF_REQ_POLL), 0);
	CHECK_EQ(cf_req_is_multishot(CF_REQ_RECV_MULTI), 1);
	TEST_EXIT();
}
