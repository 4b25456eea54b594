/* D55 (docs/divergences.md): a fast MULTISHOT timeout no cancel can find.
 * On a DEFER_TASKRUN ring, an indefinite MULTISHOT timeout of 1 us. Ten
 * rounds: wait up to 2 ms for a CQE, then a sync ANY|ALL cancel. A fired
 * timeout leaves the timeout list until its task work (run only in the
 * next wait on such a ring) posts the CQE and re-arms it, so every cancel
 * counts 0 while every wait brings another CQE with IORING_CQE_F_MORE.
 * io_uring_prep_cancel(3): ANY "can be used to cancel any pending request
 * in the ring". Exit 1 when all ten cancels missed the live timeout, 0
 * when one took it, 77 when the kernel lacks DEFER_TASKRUN or MULTISHOT
 * timeouts.
 * Build: gcc -O2 -o d55 d55_multishot_timeout_uncancelable.c -luring */
#include <errno.h>
#include <liburing.h>
#include <stdio.h>
#include <string.h>

#ifndef IORING_TIMEOUT_MULTISHOT
#define IORING_TIMEOUT_MULTISHOT (1U << 6)
#endif
#ifndef IORING_SETUP_DEFER_TASKRUN
#define IORING_SETUP_DEFER_TASKRUN (1U << 13)
#endif

int main(void)
{
	struct __kernel_timespec period = { 0, 1000 };
	struct io_uring_params p;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int more = 0, ended = 0, missed = 0;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
	if (io_uring_queue_init_params(64, &ring, &p) < 0)
		return 77;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout(sqe, &period, 0, IORING_TIMEOUT_MULTISHOT);
	sqe->user_data = 1;
	if (io_uring_submit(&ring) != 1)
		return 77;
	for (int round = 0; round < 10 && !ended; round++) {
		struct __kernel_timespec wait = { 0, 2000000 };
		struct io_uring_sync_cancel_reg reg;
		struct io_uring_cqe *cqe;
		unsigned head, n = 0;
		int res;

		io_uring_wait_cqe_timeout(&ring, &cqe, &wait);
		io_uring_for_each_cqe(&ring, head, cqe) {
			n++;
			if (cqe->res == -EINVAL)
				return 77;
			if (cqe->flags & IORING_CQE_F_MORE)
				more++;
			else
				ended = 1;
		}
		io_uring_cq_advance(&ring, n);
		memset(&reg, 0, sizeof(reg));
		reg.flags = IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL;
		reg.timeout.tv_sec = -1;
		reg.timeout.tv_nsec = -1;
		res = io_uring_register_sync_cancel(&ring, &reg);
		if (res == -EINVAL)
			return 77;
		missed += res == 0;
		if (res > 0)
			break;
	}
	printf("%d CQEs with F_MORE, %d of 10 sync ANY|ALL cancels found nothing, %s\n", more, missed,
	       ended ? "then it ended" : "still armed");
	if (missed == 10 && !ended && more >= 10) {
		printf("io_uring_prep_cancel(3): ANY \"can be used to cancel any pending request in the ring\"\n");
		return 1;
	}
	return 0;
}
