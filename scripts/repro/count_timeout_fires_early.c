/* Kernel-bug suspect (campaign seed 82, finding 742e951d; not registered
 * yet): a TIMEOUT with a completion count of 3 completes (res 0) after one
 * CQE. Before it, one submit carries a link-timeout update that fails
 * (-ENOENT), a count-3 TIMEOUT of 1 ms with IOSQE_CQE_SKIP_SUCCESS, and a
 * cancel that matches nothing (0). A second submit then queues the 500 ms
 * count-3 TIMEOUT and a write to a pipe's read end (-EBADF): that one CQE
 * completes the count-3 timeout at once. Without the update or without
 * the cancel it stays pending, as io_uring_prep_timeout(3) says ("the
 * specified number of events to wait for have been posted to the CQ
 * ring"). A guess at the cause: io_flush_timeouts() subtracts
 * cq_last_tm_flush from a sequence that the silent count completion of the
 * first timeout has moved back (cq_timeouts), and the u32 difference wraps.
 * Exit 1 when the count-3 timeout completed early in some of 5 rounds, 0
 * when never, 77 without io_uring.
 * Build: gcc -O2 -o count_timeout_fires_early count_timeout_fires_early.c -luring */
#include <liburing.h>
#include <stdio.h>
#include <unistd.h>

#ifndef IORING_ASYNC_CANCEL_USERDATA
#define IORING_ASYNC_CANCEL_USERDATA (1U << 4)
#define IORING_ASYNC_CANCEL_OP (1U << 5)
#endif
#ifndef IORING_TIMEOUT_ETIME_SUCCESS
#define IORING_TIMEOUT_ETIME_SUCCESS (1U << 5)
#endif

static void drain(struct io_uring *ring, const char *when, int *early)
{
	struct io_uring_cqe *cqe;

	while (io_uring_peek_cqe(ring, &cqe) == 0) {
		printf("  %s: cqe user_data=%llu res=%d\n", when, (unsigned long long)cqe->user_data, cqe->res);
		if (early && cqe->user_data == 2)
			*early = 1;
		io_uring_cqe_seen(ring, cqe);
	}
}

/* 1: the count-3 timeout completed after one CQE; 0: it did not; -1: no ring */
static int round_once(void)
{
	struct __kernel_timespec ms1 = { 0, 1000000 }, ms500 = { 0, 500000000 }, s60 = { 60, 0 };
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int pfd[2], early = 0;

	if (pipe(pfd) < 0 || io_uring_queue_init(4, &ring, 0) < 0)
		return -1;
	sqe = io_uring_get_sqe(&ring); /* no link timeout of user_data 1: -ENOENT */
	io_uring_prep_timeout_update(sqe, &s60, 1, IORING_LINK_TIMEOUT_UPDATE);
	sqe->user_data = 3;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout(sqe, &ms1, 3, 0);
	sqe->flags |= IOSQE_CQE_SKIP_SUCCESS;
	sqe->user_data = 1;
	sqe = io_uring_get_sqe(&ring); /* ALL of user_data 1 and opcode NOP: none, 0 */
	io_uring_prep_cancel64(sqe, 1, IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_USERDATA | IORING_ASYNC_CANCEL_OP);
	sqe->len = IORING_OP_NOP;
	sqe->user_data = 7;
	io_uring_submit(&ring);
	drain(&ring, "first submit", NULL);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout(sqe, &ms500, 3, IORING_TIMEOUT_ETIME_SUCCESS);
	sqe->user_data = 2;
	sqe = io_uring_get_sqe(&ring); /* the read end: -EBADF, one CQE */
	io_uring_prep_write(sqe, pfd[0], "x", 1, 0);
	sqe->user_data = 9;
	io_uring_submit(&ring);
	usleep(3000); /* well before the 500 ms */
	drain(&ring, "second submit", &early);
	io_uring_queue_exit(&ring);
	close(pfd[0]);
	close(pfd[1]);
	return early;
}

int main(void)
{
	int hits = 0;

	for (int i = 0; i < 5; i++) {
		int r = round_once();

		if (r < 0) {
			printf("io_uring unusable here\n");
			return 77;
		}
		hits += r;
	}
	printf("count-3 timeout completed after one CQE in %d of 5 rounds\n", hits);
	return hits ? 1 : 0;
}
