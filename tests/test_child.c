/* Description: the waitid child, made by fork (instrumented builds) or by
 * clone: before the execution's first close it comes with a pidfd, so
 * child_exit polls once instead of looking every millisecond. */
#include <stdio.h>
#include <time.h>

#include "check.h"
#include "clock.h"
#include "resources.h"

static struct cf_resources rs;

static void one(int by_fork)
{
	long long t0;
	pid_t pid;

	cf_res_fork_children(by_fork);
	cf_res_init(&rs, NULL);
	pid = cf_res_child(&rs);
	CHECK(pid > 0);
	CHECK(rs.child_pidfd >= 0);
	t0 = cf_now_ns();
	CHECK_EQ(cf_res_child_exit(&rs), 0);
	printf("%s: child_exit took %lld us\n", by_fork ? "fork" : "clone",
	       (cf_now_ns() - t0) / 1000);
	CHECK_EQ(cf_res_teardown(&rs), 0);
	CHECK_EQ(rs.child_pidfd, -1);
}

int main(void)
{
	one(1);
	one(0);
	TEST_EXIT();
}
