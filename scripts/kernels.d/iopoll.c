/* Description: IOPOLL and cancel, as a guest's /init (scripts/iopoll_qemu.sh).
 *
 * Boots with an NVMe disk whose driver has a poll queue (QEMU `-device
 * nvme`, kernel `nvme.poll_queues=1`; Debian's cloud kernels build nvme in),
 * then on an IORING_SETUP_IOPOLL ring with O_DIRECT reads of /dev/nvme0n1:
 * each case prints "case NAME: ..." and "ok" or "MISMATCH" against the exact
 * values the kernel is expected to give. The host then reads the console.
 * Static: gcc -static -O2 -o init iopoll.c -luring */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEV "/dev/nvme0n1"
#define CHUNK 65536
#define NREADS 4

static int mismatches;
static void *bufs[NREADS];

static void expect(const char *what, long got, long want)
{
	printf("  %s: %ld (want %ld) %s\n", what, got, want, got == want ? "ok" : "MISMATCH");
	mismatches += got != want;
}

static void on_alarm(int sig)
{
	(void)sig;
}

static int ring_and_reads(struct io_uring *r, int *fd, unsigned sqe_flags)
{
	int ret = io_uring_queue_init(32, r, IORING_SETUP_IOPOLL);

	if (ret < 0)
		return ret;
	*fd = open(DEV, O_RDONLY | O_DIRECT);
	if (*fd < 0)
		return -errno;
	for (int i = 0; i < NREADS; i++) {
		struct io_uring_sqe *s = io_uring_get_sqe(r);

		io_uring_prep_read(s, *fd, bufs[i], CHUNK, (off_t)i * CHUNK);
		s->flags |= sqe_flags;
		io_uring_sqe_set_data64(s, i + 1);
	}
	return io_uring_submit(r);
}

/* Waits (polls) for one CQE; 3 s at most. Returns its res, or the wait's error. */
static int next_cqe(struct io_uring *r, unsigned long long *ud)
{
	struct io_uring_cqe *c;
	int ret, res;

	alarm(3);
	ret = io_uring_wait_cqe(r, &c);
	alarm(0);
	if (ret < 0)
		return *ud = 0, ret;
	*ud = c->user_data;
	res = c->res;
	io_uring_cqe_seen(r, c);
	return res;
}

static void reap_reads(struct io_uring *r, int want_res)
{
	for (int i = 0; i < NREADS; i++) {
		unsigned long long ud;
		int res = next_cqe(r, &ud);
		char what[64];

		snprintf(what, sizeof(what), "read ud=%llu res", ud);
		expect(what, res, want_res);
	}
}

static void done(struct io_uring *r, int fd)
{
	close(fd);
	io_uring_queue_exit(r);
}

static struct io_uring_sync_cancel_reg sync_reg(unsigned long long ud, int fd, unsigned flags)
{
	return (struct io_uring_sync_cancel_reg){ .addr = ud, .fd = fd, .flags = flags,
						  .timeout = { .tv_sec = -1, .tv_nsec = -1 } };
}

int main(void)
{
	struct io_uring r;
	struct utsname u;
	int fd = -1, ret;
	char poll_flag[8] = "";

	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	setvbuf(stdout, NULL, _IONBF, 0);
	signal(SIGALRM, on_alarm);
	uname(&u);
	printf("iopoll: kernel %s %s\n", u.release, u.version);
	for (int i = 0; i < NREADS; i++)
		if (posix_memalign(&bufs[i], 4096, CHUNK))
			return 3;
	fd = open("/sys/block/nvme0n1/queue/io_poll", O_RDONLY);
	if (fd < 0 || read(fd, poll_flag, sizeof(poll_flag) - 1) < 1)
		strcpy(poll_flag, "none");
	if (fd >= 0)
		close(fd);
	poll_flag[strcspn(poll_flag, "\n")] = 0;
	printf("case device: io_poll %s\n", poll_flag);
	expect("nvme0n1 polls", poll_flag[0] == '1', 1);
	if (mismatches) /* no polling disk (nvme a module, or no poll queue): nothing to run */
		goto out;

	printf("case reads: four O_DIRECT reads of 64 KiB on an IOPOLL ring\n");
	expect("submit", ring_and_reads(&r, &fd, 0), NREADS);
	reap_reads(&r, CHUNK);
	done(&r, fd);

	printf("case sqe-cancel: IORING_OP_ASYNC_CANCEL by user_data on the IOPOLL ring\n");
	expect("submit", ring_and_reads(&r, &fd, 0), NREADS);
	{
		struct io_uring_sqe *s = io_uring_get_sqe(&r);
		unsigned long long ud;

		io_uring_prep_cancel64(s, 1, 0);
		io_uring_sqe_set_data64(s, 100);
		expect("submit cancel", io_uring_submit(&r), 1);
		/* in any order: polling may reap a read before the cancel's CQE */
		for (int i = 0; i <= NREADS; i++) {
			char what[64];

			ret = next_cqe(&r, &ud);
			snprintf(what, sizeof(what), "ud=%llu res", ud);
			expect(what, ret, ud == 100 ? -EINVAL : CHUNK);
		}
	}
	done(&r, fd);

	printf("case sync-cancel: IORING_REGISTER_SYNC_CANCEL by user_data of a read in flight\n");
	expect("submit", ring_and_reads(&r, &fd, 0), NREADS);
	{
		struct io_uring_sync_cancel_reg reg = sync_reg(1, 0, 0);

		expect("sync cancel ud 1 (-ENOENT: an issued IOPOLL read is on no cancel list)",
		       io_uring_register_sync_cancel(&r, &reg), -ENOENT);
	}
	reap_reads(&r, CHUNK);
	done(&r, fd);

	printf("case sync-cancel-all: FD|ALL of the reads in flight\n");
	expect("submit", ring_and_reads(&r, &fd, 0), NREADS);
	{
		struct io_uring_sync_cancel_reg reg = sync_reg(0, fd, IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ALL);

		expect("sync cancel FD|ALL count", io_uring_register_sync_cancel(&r, &reg), 0);
	}
	reap_reads(&r, CHUNK);
	done(&r, fd);

	printf("case poll-add: a non-IOPOLL opcode is refused and ends the submission\n");
	ret = io_uring_queue_init(8, &r, IORING_SETUP_IOPOLL);
	expect("setup", ret, 0);
	{
		struct io_uring_sqe *s = io_uring_get_sqe(&r);
		unsigned long long ud;

		io_uring_prep_poll_add(s, 0, POLLIN);
		io_uring_sqe_set_data64(s, 200);
		s = io_uring_get_sqe(&r);
		io_uring_prep_nop(s);
		io_uring_sqe_set_data64(s, 201);
		expect("submit (the poll only)", io_uring_submit(&r), 1);
		ret = next_cqe(&r, &ud);
		expect("CQE ud", (long)ud, 200);
		expect("poll res", ret, -EINVAL);
	}
	io_uring_queue_exit(&r);

	printf("case nop: IORING_OP_NOP on the IOPOLL ring (io_uring_enter(2) lists EINVAL for it)\n");
	ret = io_uring_queue_init(8, &r, IORING_SETUP_IOPOLL);
	{
		struct io_uring_sqe *s = io_uring_get_sqe(&r);
		unsigned long long ud;

		io_uring_prep_nop(s);
		io_uring_sqe_set_data64(s, 300);
		expect("submit", io_uring_submit(&r), 1);
		ret = next_cqe(&r, &ud);
		expect("CQE ud", (long)ud, 300);
		expect("nop res (the kernel's; the page says -EINVAL)", ret, 0);
	}
	io_uring_queue_exit(&r);

	printf("case readv: IORING_OP_READV on the IOPOLL ring (io_uring_enter(2) lists EINVAL for it)\n");
	ret = io_uring_queue_init(8, &r, IORING_SETUP_IOPOLL);
	fd = open(DEV, O_RDONLY | O_DIRECT);
	{
		struct io_uring_sqe *s = io_uring_get_sqe(&r);
		struct iovec v = { bufs[0], CHUNK };
		unsigned long long ud;

		io_uring_prep_readv(s, fd, &v, 1, 0);
		io_uring_sqe_set_data64(s, 301);
		expect("submit", io_uring_submit(&r), 1);
		ret = next_cqe(&r, &ud);
		expect("CQE ud", (long)ud, 301);
		expect("readv res (the kernel's; the page says -EINVAL)", ret, CHUNK);
	}
	done(&r, fd);

	printf("case async-reads: IOSQE_ASYNC reads, then a sync FD|ALL (io-wq: may cancel; printed only)\n");
	expect("submit", ring_and_reads(&r, &fd, IOSQE_ASYNC), NREADS);
	{
		struct io_uring_sync_cancel_reg reg = sync_reg(0, fd, IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ALL);

		printf("  sync cancel FD|ALL count: %d\n", io_uring_register_sync_cancel(&r, &reg));
		for (int i = 0; i < NREADS; i++) {
			unsigned long long ud;

			ret = next_cqe(&r, &ud);
			printf("  read ud=%llu res %d%s\n", ud, ret,
			       ret == CHUNK || ret == -ECANCELED ? "" : " MISMATCH");
			mismatches += ret != CHUNK && ret != -ECANCELED;
		}
	}
	done(&r, fd);

	printf("case iopoll-leak: a forked child submits one IOPOLL read and exits\n");
	{
		pid_t pid = fork();
		int st = -1;

		if (pid == 0) {
			if (ring_and_reads(&r, &fd, 0) != NREADS)
				_exit(2);
			_exit(0);
		}
		alarm(10);
		waitpid(pid, &st, 0);
		alarm(0);
		expect("child exit status", st, 0);
	}
out:
	printf("iopoll: %d mismatches\n", mismatches);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
