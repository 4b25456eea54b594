/* Description: the waitid child, made by fork (instrumented builds) or by
 * clone: before the execution's first close it comes with a pidfd, so
 * child_exit polls once instead of looking every millisecond; a teardown
 * kills it without waiting for it to die, and the next teardown reaps it. */
#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>

#include "check.h"
#include "clock.h"
#include "resources.h"

static struct cf_resources rs;

/* 0 while pid is a child of ours (waits until it is a zombie, does not
 * reap), -ECHILD once it was reaped. */
static int still_ours(pid_t pid)
{
	siginfo_t info;

	while (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

static pid_t one(int by_fork)
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
	CHECK_EQ(still_ours(pid), 0); /* killed, not waited for */
	return pid;
}

int main(void)
{
	pid_t first = one(1), second = one(0), third;

	CHECK_EQ(still_ours(first), -ECHILD); /* the second teardown reaped it */
	third = one(0);
	CHECK_EQ(still_ours(second), -ECHILD);
	CHECK(third != second);
	TEST_EXIT();
}
