/* Description: the kernel-log filter of replay --kmsg (harness/exec/kmsg.c):
 * which records count as kernel failures. No io_uring, no /dev/kmsg. */
#include <string.h>

#include "check.h"
#include "kmsg.h"

int main(void)
{
	/* facility 0 (the kernel): the lines sanitizers, lockdep, WARN/BUG and
	 * the watchdogs print */
	CHECK(cf_kmsg_is_failure(0, "WARNING: CPU: 1 PID: 42 at io_uring/io_uring.c:123 io_ring_exit_work+0x1"));
	CHECK(cf_kmsg_is_failure(0, "BUG: KASAN: slab-use-after-free in io_req_task_work_add"));
	CHECK(cf_kmsg_is_failure(0, "WARNING: possible circular locking dependency detected"));
	CHECK(cf_kmsg_is_failure(0, "INFO: task iou-wrk-123:456 blocked for more than 120 seconds."));
	CHECK(cf_kmsg_is_failure(0, "general protection fault, probably for non-canonical address"));
	CHECK(cf_kmsg_is_failure(0, "refcount_t: underflow; use-after-free."));
	/* ordinary kernel lines, and user-space lines, are not */
	CHECK(!cf_kmsg_is_failure(0, "test_oracle_bou[6113]: segfault at 7f6c3a334ed8 ip 00005611c156bbb9"));
	CHECK(!cf_kmsg_is_failure(0, "loop0: detected capacity change from 0 to 2048"));
	CHECK(!cf_kmsg_is_failure(1, "WARNING: this came from a user process writing /dev/kmsg"));
	/* the canary, whatever its facility */
	CHECK(cf_kmsg_is_failure(1, "cancelfuzz: kmsg self-test marker (pid 12)"));
	CHECK(strlen(cf_kmsg_selftest_marker) > 10);
	TEST_EXIT();
}
