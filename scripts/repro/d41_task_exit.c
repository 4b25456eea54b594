/* D41 (docs/divergences.md): a task's exit and the requests it submitted.
 * A child process on the parent's ring submits a read of an empty pipe and
 * a plain 1 ms timeout, then exits; the parent writes the pipe and reaps.
 * Expected on 6.18: read -ECANCELED (its task work runs in a kworker after
 * the exit), timeout -ETIME (a timeout in no link survives its task), and
 * the pipe still holds the 3 bytes. Exit 1 when seen so (the divergence
 * reproduced, as export-c's programs exit), 0 otherwise, 77 no io_uring.
 * Build: gcc -O2 -o d41 d41_task_exit.c -luring */
#include <errno.h>
#include <liburing.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	struct __kernel_timespec ts = { 0, 1000000 };
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	int fds[2], res[3] = { 1, 1, 1 }, queued = 0;
	char buf[8];
	pid_t pid;

	if (io_uring_queue_init(8, &ring, 0) < 0 || pipe(fds) < 0)
		return 77;
	pid = fork();
	if (pid == 0) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		io_uring_prep_read(sqe, fds[0], buf, sizeof(buf), 0);
		sqe->user_data = 1;
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_timeout(sqe, &ts, 0, 0);
		sqe->user_data = 2;
		_exit(io_uring_submit(&ring) == 2 ? 0 : 1);
	}
	waitpid(pid, NULL, 0);
	if (write(fds[1], "abc", 3) != 3)
		return 77;
	for (int n = 0; n < 2; n++) {
		if (io_uring_wait_cqe(&ring, &cqe) < 0)
			return 0;
		if (cqe->user_data == 1 || cqe->user_data == 2)
			res[cqe->user_data] = cqe->res;
		io_uring_cqe_seen(&ring, cqe);
	}
	ioctl(fds[0], FIONREAD, &queued);
	printf("read %d, timeout %d, pipe holds %d bytes\n", res[1], res[2], queued);
	return res[1] == -ECANCELED && res[2] == -ETIME && queued == 3 ? 1 : 0;
}
