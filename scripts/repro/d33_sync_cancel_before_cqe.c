/* D33 (docs/divergences.md): a sync cancel from another thread returns
 * before the canceled request's CQE is posted.
 * The main thread submits a read of an empty pipe, then spins in user
 * space; a second thread cancels it with io_uring_register_sync_cancel by
 * user_data and, as soon as that returns 0, reads the CQ tail. The read's
 * -ECANCELED is posted by task work of the thread that submitted it, which
 * runs only when that thread next enters or leaves the kernel: the CQ is
 * still empty. io_uring_register_sync_cancel(3): "This blocks until the
 * matching request is canceled". 200 rounds; exit 1 when some sync cancel
 * returned 0 with the CQE not yet posted, 0 when none did, 77 without
 * io_uring or sync cancel.
 * Build: gcc -O2 -o d33 d33_sync_cancel_before_cqe.c -luring -lpthread */
#include <errno.h>
#include <liburing.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define ROUNDS 200

static struct io_uring ring;
static atomic_int phase; /* 1: read submitted, cancel it; 2: canceled */
static int late, posted, other;

static void *canceler(void *arg)
{
	(void)arg;
	for (int round = 0; round < ROUNDS; round++) {
		struct io_uring_sync_cancel_reg reg;
		int res;

		while (atomic_load(&phase) != 1)
			;
		memset(&reg, 0, sizeof(reg));
		reg.addr = 1;
		reg.timeout.tv_sec = -1;
		reg.timeout.tv_nsec = -1;
		res = io_uring_register_sync_cancel(&ring, &reg);
		if (res != 0)
			other++;
		else if (io_uring_cq_ready(&ring) == 0)
			late++;
		else
			posted++;
		atomic_store(&phase, res == -EINVAL ? 3 : 2);
		if (res == -EINVAL)
			break;
	}
	return NULL;
}

int main(void)
{
	pthread_t thread;
	char buf[8];
	int fds[2];

	if (io_uring_queue_init(8, &ring, 0) < 0 || pipe(fds) < 0)
		return 77;
	if (pthread_create(&thread, NULL, canceler, NULL) != 0)
		return 77;
	for (int round = 0; round < ROUNDS; round++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		struct io_uring_cqe *cqe;

		io_uring_prep_read(sqe, fds[0], buf, sizeof(buf), 0);
		sqe->user_data = 1;
		io_uring_submit(&ring);
		atomic_store(&phase, 1);
		while (atomic_load(&phase) == 1) /* in user space: no task work runs here */
			;
		if (atomic_load(&phase) == 3)
			return 77;
		if (io_uring_wait_cqe(&ring, &cqe) < 0)
			return 0;
		io_uring_cqe_seen(&ring, cqe);
		atomic_store(&phase, 0);
	}
	pthread_join(thread, NULL);
	printf("of %d sync cancels that returned 0: %d before the read's CQE was posted, %d after; %d other results\n",
	       late + posted, late, posted, other);
	if (late) {
		printf("io_uring_register_sync_cancel(3): \"This blocks until the matching request is canceled\"\n");
		return 1;
	}
	return 0;
}
