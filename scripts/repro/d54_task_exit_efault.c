/* D54 (docs/divergences.md): a request issued after its task exited.
 * A child process on the parent's ring submits a read of an empty pipe with
 * IOSQE_IO_LINK|IOSQE_IO_DRAIN, a plain 500 ms timeout and an ALL|ANY
 * cancel, then exits. The cancel waits behind the DRAIN; the exit cancels
 * the read, the drain lifts, and the cancel is issued from task work of
 * the exiting task, which fails it with -EFAULT (io_req_task_submit under
 * io_should_terminate_tw). io_uring_prep_cancel(3) lists no -EFAULT.
 * Exit 1 when the cancel posts -EFAULT, 0 when not, 77 when the kernel
 * lacks io_uring or ALL|ANY cancels.
 * Build: gcc -O2 -o d54 d54_task_exit_efault.c -luring */
#include <errno.h>
#include <liburing.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef IORING_ASYNC_CANCEL_ALL
#define IORING_ASYNC_CANCEL_ALL (1U << 0)
#endif
#ifndef IORING_ASYNC_CANCEL_ANY
#define IORING_ASYNC_CANCEL_ANY (1U << 2)
#endif

int main(void)
{
	struct __kernel_timespec ts = { 0, 500000000 };
	struct __kernel_timespec wait = { 2, 0 };
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	int fds[2], res[4] = { 1, 1, 1, 1 }, status;
	char buf[8];
	pid_t pid;

	if (io_uring_queue_init(8, &ring, 0) < 0 || pipe(fds) < 0)
		return 77;
	pid = fork();
	if (pid == 0) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		io_uring_prep_read(sqe, fds[0], buf, sizeof(buf), 0);
		sqe->flags = IOSQE_IO_LINK | IOSQE_IO_DRAIN;
		sqe->user_data = 1;
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_timeout(sqe, &ts, 0, 0);
		sqe->user_data = 2;
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_cancel64(sqe, 1, IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_ANY);
		sqe->user_data = 3;
		_exit(io_uring_submit(&ring) == 3 ? 0 : 1);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return 77;
	for (int n = 0; n < 3; n++) {
		if (io_uring_wait_cqe_timeout(&ring, &cqe, &wait) < 0)
			break;
		if (cqe->user_data >= 1 && cqe->user_data <= 3)
			res[cqe->user_data] = cqe->res;
		io_uring_cqe_seen(&ring, cqe);
	}
	printf("read %d, timeout %d, cancel %d\n", res[1], res[2], res[3]);
	if (res[3] == -EINVAL)
		return 77;
	if (res[3] == -EFAULT) {
		printf("io_uring_prep_cancel(3): \"These are the errors that are reported in the CQE res field.\" -EFAULT is not one of them\n");
		return 1;
	}
	return 0;
}
