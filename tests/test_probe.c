/* cf_probe(): exact expectations for the kernels cancelfuzz runs on.
 * Each expectation is gated on the kernel release that introduced the feature,
 * so on the target family (6.7 and newer) every one of them is checked. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "abi.h"
#include "check.h"
#include "probe.h"

static int rel_major, rel_minor;

static int at_least(int major, int minor)
{
	return rel_major > major || (rel_major == major && rel_minor >= minor);
}

/* The CQE res of an IORING_OP_ASYNC_CANCEL carrying `flags`, on an idle ring;
 * a large positive value when the test itself could not run. */
static int cancel_res(uint32_t flags)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int res;

	if (io_uring_queue_init(4, &ring, 0) < 0)
		return 1000;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_cancel64(sqe, 0x1234567ULL, 0);
	sqe->cancel_flags = flags;
	if (io_uring_submit_and_wait(&ring, 1) != 1 || io_uring_wait_cqe(&ring, &cqe) < 0) {
		io_uring_queue_exit(&ring);
		return 1001;
	}
	res = cqe->res;
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
	return res;
}

static void check_print(const struct cf_features *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	CHECK(out != NULL);
	if (!out)
		return;
	cf_probe_print(f, out);
	fclose(out);
	CHECK(buf != NULL);
	if (!buf)
		return;
	CHECK(strstr(buf, "io_uring: usable\n") != NULL);
	CHECK(strstr(buf, "kernel: ") == buf);
	CHECK(strstr(buf, f->release) != NULL);
	CHECK(strstr(buf, "setup modes: ") != NULL);
	CHECK(strstr(buf, "cancel flags: ") != NULL);
	CHECK(strstr(buf, " nop ") != NULL);
	CHECK(strstr(buf, " async_cancel ") != NULL);
	if (at_least(6, 7)) {
		CHECK(strstr(buf, "setup modes: default=yes coop=yes defer=yes sqpoll=yes smallcq=yes\n") != NULL);
		CHECK(strstr(buf, "cancel flags: all=yes fd=yes any=yes fd_fixed=yes userdata=yes op=yes\n") != NULL);
		CHECK(strstr(buf, "register: sync_cancel=yes files_sparse=yes buf_ring=yes sync_cancel_op=yes\n") != NULL);
		CHECK(strstr(buf, "futex_wait=yes waitid=yes\n") != NULL);
		CHECK(strstr(buf, " futex_wait ") != NULL);
		CHECK(strstr(buf, " waitid ") != NULL);
	}
	free(buf);
}

int main(void)
{
	const struct cf_features *f = cf_probe();
	struct utsname u;
	unsigned m;

	if (!f->usable) {
		printf("SKIP: io_uring is not usable here: %s\n", f->why);
		return 77;
	}
	cf_probe_print(f, stdout);

	CHECK(uname(&u) == 0);
	CHECK_STR(f->release, u.release);
	CHECK(sscanf(f->release, "%d.%d", &rel_major, &rel_minor) == 2);

	/* Cached: the same object, unchanged. */
	CHECK(cf_probe() == f);
	CHECK(cf_probe() == cf_probe());

	CHECK_EQ(f->setup_errno, 0);
	CHECK_STR(f->why, "");
	CHECK(f->ring_features & IORING_FEAT_SINGLE_MMAP);
	CHECK(f->ring_features & IORING_FEAT_NODROP);

	/* Opcodes the harness needs, in the kernel's numbering. */
	CHECK(f->nr_opcodes > IORING_OP_ASYNC_CANCEL);
	CHECK_EQ(f->opcode[IORING_OP_NOP], 1);
	CHECK_EQ(f->opcode[IORING_OP_ASYNC_CANCEL], 1);
	CHECK_EQ(f->opcode[IORING_OP_POLL_ADD], 1);
	CHECK_EQ(f->opcode[IORING_OP_TIMEOUT], 1);
	CHECK_EQ(f->opcode[IORING_OP_LINK_TIMEOUT], 1);
	CHECK_EQ(f->opcode[IORING_OP_ACCEPT], 1);
	CHECK_EQ(f->opcode[IORING_OP_READ], 1);
	CHECK_EQ(f->opcode[IORING_OP_RECV], 1);
	for (m = f->nr_opcodes; m < 256; m++)
		CHECK_EQ(f->opcode[m], 0);
	if (at_least(6, 7)) {
		CHECK(f->nr_opcodes > IORING_OP_FUTEX_WAKE);
		CHECK_EQ(f->opcode[IORING_OP_FUTEX_WAIT], 1);
		CHECK_EQ(f->opcode[IORING_OP_FUTEX_WAKE], 1);
		CHECK_EQ(f->opcode[IORING_OP_WAITID], 1);
	}

	/* Setup modes: DEFER_TASKRUN is the newest (6.1). */
	if (at_least(6, 1))
		for (m = 0; m < CF_MODE__COUNT; m++)
			CHECK_EQ(f->mode_errno[m], 0);

	/* Cancel flags: ALL/FD/ANY 5.19, FD_FIXED 6.0, USERDATA/OP 6.6. */
	if (at_least(5, 19)) {
		CHECK(f->cancel_flags & IORING_ASYNC_CANCEL_ALL);
		CHECK(f->cancel_flags & IORING_ASYNC_CANCEL_FD);
		CHECK(f->cancel_flags & IORING_ASYNC_CANCEL_ANY);
	}
	if (at_least(6, 0))
		CHECK(f->cancel_flags & IORING_ASYNC_CANCEL_FD_FIXED);
	if (at_least(6, 6)) {
		CHECK_EQ(f->cancel_flags,
			 IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ANY |
			 IORING_ASYNC_CANCEL_FD_FIXED | IORING_ASYNC_CANCEL_USERDATA |
			 IORING_ASYNC_CANCEL_OP);
	}

	/* Register operations: buf_ring 5.19, sync cancel 6.0, sparse files 5.19. */
	if (at_least(5, 19)) {
		CHECK_EQ(f->files_sparse, 1);
		CHECK_EQ(f->buf_ring, 1);
	}
	if (at_least(6, 0))
		CHECK_EQ(f->sync_cancel, 1);
	if (at_least(6, 6))
		CHECK_EQ(f->sync_cancel_op, 1);

	/* The kernel rejects cancel flag bits it does not know. Bit 6 is unused
	 * as of 6.18; if a future kernel defines it, this check needs revisiting. */
	if (at_least(5, 19))
		CHECK_EQ(cancel_res(1u << 6), -EINVAL);
	/* ... and the same path accepts a known one (nothing to find). */
	CHECK_EQ(cancel_res(0), -ENOENT);

	check_print(f);
	TEST_EXIT();
}
