/* D46 (docs/divergences.md): a cancel of an O_DIRECT read in flight on a
 * block device. Sixteen 64 KiB readv of an O_TMPFILE opened O_DIRECT in
 * DIR (default /var/tmp; it must be on a block device, not tmpfs), then a
 * cancel by user_data for each, in one submit; 20 rounds. Counts the
 * cancels that said -ENOENT before their read's CQE (the read was still in
 * flight: page 000 keeps -ENOENT for a request that "could not be
 * located"), and those that gave -EALREADY or 0.
 * Expected on 6.18 (ext4 on virtio): every cancel -ENOENT before its read.
 * Exit 1 when at least one in-flight -ENOENT was seen (the divergence
 * reproduced, as export-c's programs exit), 0 when none, 77 when the file
 * cannot be made here.
 * Build: gcc -O2 -o d46 d46_odirect_inflight_enoent.c -luring */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define NREQ 16
#define CHUNK (64 * 1024)
#define CANCEL_UD 0x1000

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/var/tmp";
	unsigned inflight_enoent = 0, late_enoent = 0, ealready = 0, canceled = 0;
	struct iovec iov[NREQ];
	struct io_uring ring;
	void *mem;
	int fd = open(dir, O_TMPFILE | O_RDWR | O_DIRECT, 0600);

	if (fd < 0 || posix_memalign(&mem, 4096, (size_t)NREQ * CHUNK) != 0 ||
	    io_uring_queue_init(2 * NREQ, &ring, 0) < 0) {
		fprintf(stderr, "setup: %s\n", strerror(errno));
		return 77;
	}
	memset(mem, 'd', (size_t)NREQ * CHUNK);
	if (pwrite(fd, mem, (size_t)NREQ * CHUNK, 0) != (ssize_t)NREQ * CHUNK || fsync(fd) < 0) {
		fprintf(stderr, "%s: O_DIRECT write: %s\n", dir, strerror(errno));
		return 77;
	}
	for (int round = 0; round < 20; round++) {
		int ended[NREQ] = { 0 };

		for (int i = 0; i < NREQ; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

			iov[i].iov_base = (char *)mem + (size_t)i * CHUNK;
			iov[i].iov_len = CHUNK;
			io_uring_prep_readv(sqe, fd, &iov[i], 1, (__u64)i * CHUNK);
			sqe->user_data = (__u64)i + 1;
		}
		io_uring_submit(&ring);
		for (int i = 0; i < NREQ; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

			io_uring_prep_cancel64(sqe, (__u64)i + 1, 0);
			sqe->user_data = CANCEL_UD + (__u64)i;
		}
		io_uring_submit(&ring);
		for (int k = 0; k < 2 * NREQ; k++) {
			struct io_uring_cqe *cqe;

			if (io_uring_wait_cqe(&ring, &cqe) < 0)
				return 0;
			if (cqe->user_data >= CANCEL_UD) {
				int i = (int)(cqe->user_data - CANCEL_UD);

				if (cqe->res == -ENOENT)
					ended[i] ? late_enoent++ : inflight_enoent++;
				else if (cqe->res == -EALREADY)
					ealready++;
				else if (cqe->res == 0)
					canceled++;
			} else {
				ended[cqe->user_data - 1] = 1;
			}
			io_uring_cqe_seen(&ring, cqe);
		}
	}
	printf("cancels: %u -ENOENT while the read was in flight, %u -ENOENT after it ended, %u -EALREADY, %u canceled\n",
	       inflight_enoent, late_enoent, ealready, canceled);
	return inflight_enoent ? 1 : 0;
}
