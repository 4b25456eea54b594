/* D56 (docs/divergences.md): a sync cancel whose match is already running
 * in io-wq waits until it ends and returns 0, though the request completed
 * with its own result, not -ECANCELED.
 * Each round submits, with IOSQE_ASYNC, one buffered read of a 128 MiB
 * file (io-wq copies it from the page cache; the worker's cancel signal
 * does not stop the copy), waits 0 to 4.9 ms (a sweep: the copy must have
 * begun and not ended), then cancels it by user_data with io_uring_register_sync_cancel. The kernel
 * (io_sync_cancel) finds it running (-EALREADY), waits, retries until no
 * cancel finds it (-ENOENT), and turns that into 0.
 * io_uring_register_sync_cancel(3): "This blocks until the matching
 * request is canceled or the timeout expires"; 0 is its success.
 * 100 rounds; exit 1 when some sync cancel returned 0 and the read then
 * posted its full length, 0 when none did, 77 without io_uring, sync
 * cancel or room for the file.
 * Build: gcc -O2 -o d56 d56_sync_cancel_waits_for_running.c -luring */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ROUNDS 100
#define SIZE (128u << 20)

int main(void)
{
	char path[] = "/tmp/d56-XXXXXX";
	struct io_uring ring;
	int fd = mkstemp(path), waited = 0, canceled = 0, other = 0;
	char *buf = malloc(SIZE);

	if (fd < 0 || !buf)
		return 77;
	unlink(path);
	memset(buf, 'x', SIZE);
	if (write(fd, buf, SIZE) != (ssize_t)SIZE || io_uring_queue_init(8, &ring, 0) < 0)
		return 77;
	for (int round = 0; round < ROUNDS; round++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		struct io_uring_sync_cancel_reg reg;
		struct io_uring_cqe *cqe;
		int res;

		io_uring_prep_read(sqe, fd, buf, SIZE, 0);
		sqe->flags |= IOSQE_ASYNC;
		sqe->user_data = 1;
		io_uring_submit(&ring);
		usleep((useconds_t)(round % 50) * 100);
		memset(&reg, 0, sizeof(reg));
		reg.addr = 1;
		reg.timeout.tv_sec = -1;
		reg.timeout.tv_nsec = -1;
		res = io_uring_register_sync_cancel(&ring, &reg);
		if (res == -EINVAL)
			return 77;
		if (io_uring_wait_cqe(&ring, &cqe) < 0)
			return 77;
		if (res == 0 && cqe->res == (int)SIZE)
			waited++;
		else if (res == 0 && cqe->res == -ECANCELED)
			canceled++;
		else
			other++;
		io_uring_cqe_seen(&ring, cqe);
	}
	printf("of %d sync cancels: %d returned 0 and the read then posted all %u bytes, %d canceled it, %d other\n",
	       ROUNDS, waited, SIZE, canceled, other);
	if (waited) {
		printf("io_uring_register_sync_cancel(3): \"This blocks until the matching request is canceled\"\n");
		return 1;
	}
	return 0;
}
