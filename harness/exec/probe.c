/* What the running kernel is (its release) and supports, learned by trying it.
 *
 * Nothing here trusts the headers: liburing 2.3 and the installed uapi headers
 * are older than the kernel, so every feature is decided by asking the kernel
 * (a ring setup, a register call, or an SQE whose result tells us whether the
 * kernel understood it). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "probe.h"
#include "direct.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "abi.h"
#include "racy.h"

#define CF_PROBE_KEY 0xcf0bcf0bcf0bcf0bULL /* a user_data nothing ever uses */

static struct cf_features cf_probed;
static pthread_once_t cf_probe_once = PTHREAD_ONCE_INIT;

/* ---- explaining a failed io_uring_setup ---- */

static const char *errno_name(int e)
{
	const char *n = strerrorname_np(e);
	return n ? n : "unknown errno";
}

/* First integer in a small file, or -1 when it cannot be read. */
static long read_long_file(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* The "Seccomp:" mode of this process: 0 none, 1 strict, 2 filter, -1 unknown. */
static int seccomp_mode(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	int mode = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "Seccomp:", 8) == 0) {
			if (sscanf(line + 8, "%d", &mode) != 1)
				mode = -1;
			break;
		}
	}
	fclose(f);
	return mode;
}

static void explain_setup_failure(struct cf_features *f, int e)
{
	int sc = seccomp_mode();

	if (e == ENOSYS) {
		if (sc == 2)
			snprintf(f->why, sizeof f->why,
				 "io_uring_setup returned ENOSYS while a seccomp filter is active: "
				 "probably blocked by a seccomp filter (Docker's default profile does this)");
		else
			snprintf(f->why, sizeof f->why,
				 "io_uring is not built into this kernel (io_uring_setup returned ENOSYS)");
		return;
	}
	if (e == EPERM) {
		long disabled = read_long_file("/proc/sys/kernel/io_uring_disabled");
		if (disabled == 2) {
			snprintf(f->why, sizeof f->why,
				 "disabled by sysctl kernel.io_uring_disabled=2");
			return;
		}
		if (disabled == 1) {
			snprintf(f->why, sizeof f->why,
				 "restricted by sysctl kernel.io_uring_disabled=1 to the io_uring_group and CAP_SYS_ADMIN");
			return;
		}
		if (sc == 2) {
			snprintf(f->why, sizeof f->why,
				 "blocked by a seccomp filter (Docker's default profile does this)");
			return;
		}
	}
	snprintf(f->why, sizeof f->why, "io_uring_setup failed with %s (%s)",
		 errno_name(e), strerror(e));
}

/* ---- setup modes ---- */

static int try_mode(enum cf_mode m)
{
	struct io_uring ring;
	struct io_uring_params p;
	int ret;

	memset(&p, 0, sizeof p);
	switch (m) {
	case CF_MODE_DEFAULT:
		break;
	case CF_MODE_COOP:
		p.flags = IORING_SETUP_COOP_TASKRUN;
		break;
	case CF_MODE_DEFER:
		p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
		break;
	case CF_MODE_SQPOLL:
		p.flags = IORING_SETUP_SQPOLL;
		p.sq_thread_idle = 10; /* ms */
		break;
	case CF_MODE_SMALLCQ:
		p.flags = IORING_SETUP_CQSIZE;
		p.cq_entries = 4;
		break;
	default:
		return EINVAL;
	}
	ret = io_uring_queue_init_params(4, &ring, &p);
	if (ret < 0)
		return -ret;
	io_uring_queue_exit(&ring);
	return 0;
}

/* ---- cancel flags ---- */

/* Submit one IORING_OP_ASYNC_CANCEL on an idle ring and wait for its CQE.
 * 1: the kernel accepted the flags (res is anything but -EINVAL, normally
 * -ENOENT or 0); 0: rejected, or no answer came back. */
static int cancel_accepted(struct io_uring *ring, uint32_t flags, int fd, uint32_t len)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct __kernel_timespec ts = { .tv_sec = 5, .tv_nsec = 0 };
	int res;

	sqe = io_uring_get_sqe(ring);
	if (!sqe)
		return 0;
	io_uring_prep_cancel64(sqe, CF_PROBE_KEY, 0);
	sqe->cancel_flags = flags;
	sqe->fd = fd;
	sqe->len = len;
	io_uring_sqe_set_data64(sqe, 0xcfcfULL);
	if (io_uring_submit(ring) != 1)
		return 0;
	if (io_uring_wait_cqe_timeout(ring, &cqe, &ts) < 0)
		return 0;
	res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return res != -EINVAL;
}

static uint32_t probe_cancel_flags(void)
{
	struct io_uring ring;
	int pfd[2] = { -1, -1 };
	uint32_t ok = 0;

	if (io_uring_queue_init(8, &ring, 0) < 0)
		return 0;
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		io_uring_queue_exit(&ring);
		return 0;
	}

	if (cancel_accepted(&ring, IORING_ASYNC_CANCEL_ALL, -1, 0))
		ok |= IORING_ASYNC_CANCEL_ALL;

	if (cancel_accepted(&ring, IORING_ASYNC_CANCEL_FD, pfd[0], 0))
		ok |= IORING_ASYNC_CANCEL_FD;

	if (cancel_accepted(&ring, IORING_ASYNC_CANCEL_ANY, -1, 0))
		ok |= IORING_ASYNC_CANCEL_ANY;

	/* FD_FIXED: a sparse table of 4 with slot 0 holding the pipe's read end. */
	if (io_uring_register_files_sparse(&ring, 4) == 0) {
		int one = pfd[0];
		if (io_uring_register_files_update(&ring, 0, &one, 1) == 1) {
			if (cancel_accepted(&ring, IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_FD_FIXED, 0, 0))
				ok |= IORING_ASYNC_CANCEL_FD_FIXED;
		}
		io_uring_unregister_files(&ring);
	}

	if (cancel_accepted(&ring, IORING_ASYNC_CANCEL_USERDATA, -1, 0))
		ok |= IORING_ASYNC_CANCEL_USERDATA;

	/* CANCEL_OP keys on the opcode, which travels in sqe->len. Tested alone
	 * so that the answer does not depend on CANCEL_USERDATA. */
	if (cancel_accepted(&ring, IORING_ASYNC_CANCEL_OP, -1, IORING_OP_NOP))
		ok |= IORING_ASYNC_CANCEL_OP;

	close(pfd[0]);
	close(pfd[1]);
	io_uring_queue_exit(&ring);
	return ok;
}

/* ---- register operations ---- */

static int probe_sync_cancel(void)
{
	struct io_uring ring;
	struct io_uring_sync_cancel_reg reg;
	int ret;

	if (io_uring_queue_init(4, &ring, 0) < 0)
		return 0;
	memset(&reg, 0, sizeof reg);
	reg.addr = CF_PROBE_KEY;
	reg.fd = -1;
	reg.flags = 0;
	reg.timeout.tv_sec = 0;
	reg.timeout.tv_nsec = 0;
	ret = io_uring_register_sync_cancel(&ring, &reg);
	io_uring_queue_exit(&ring);
	return ret != -EINVAL;
}

/* The opcode field: READ there (and CANCEL_OP) is -ENOENT on an idle ring
 * from 6.6 on; before, the byte is padding and the kernel says -EINVAL. */
static int probe_sync_cancel_op(void)
{
	struct io_uring ring;
	struct cf_sync_cancel_reg reg;
	int ret;

	if (io_uring_queue_init(4, &ring, 0) < 0)
		return 0;
	memset(&reg, 0, sizeof reg);
	reg.fd = -1;
	reg.flags = IORING_ASYNC_CANCEL_OP;
	reg.opcode = IORING_OP_READ;
	ret = io_uring_register_sync_cancel(&ring, (struct io_uring_sync_cancel_reg *)&reg);
	io_uring_queue_exit(&ring);
	return ret != -EINVAL;
}

/* io-wq workers of this process: threads named iou-wrk-PID (5.12 on). */
static int iowq_workers(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d))) {
		char path[300], comm[32] = "";
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (f && fgets(comm, sizeof(comm), f) && strncmp(comm, "iou-wrk", 7) == 0)
			n++;
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
	return n;
}

/* 1 when a read of fd with data ready still goes to an io-wq worker: the file
 * lacks FMODE_NOWAIT, so the kernel cannot try it inline. Such reads (and
 * writes) complete on a worker's time, and a cancel may find them running.
 * A worker appears for it; a NOWAIT read completes inline and makes none. */
static int read_runs_in_iowq(int fd, int poke)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	uint64_t buf = 0, one = 1;
	int before, iowq = 0;

	if (write(poke, &one, sizeof(one)) != sizeof(one))
		return 0;
	if (io_uring_queue_init(4, &ring, 0) < 0)
		return 0;
	before = iowq_workers();
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, fd, &buf, sizeof(buf), 0);
	if (io_uring_submit_and_wait(&ring, 1) == 1 && io_uring_peek_cqe(&ring, &cqe) == 0) {
		iowq = iowq_workers() > before;
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
	return iowq;
}

static unsigned probe_iowq_files(void)
{
	unsigned files = 0;
	int pfd[2], efd;

	if (pipe2(pfd, O_CLOEXEC) == 0) {
		if (read_runs_in_iowq(pfd[0], pfd[1]))
			files |= CF_IOWQ_PIPE;
		close(pfd[0]);
		close(pfd[1]);
	}
	efd = eventfd(0, EFD_CLOEXEC);
	if (efd >= 0) {
		if (read_runs_in_iowq(efd, efd))
			files |= CF_IOWQ_EVENTFD;
		close(efd);
	}
	return files;
}

static int probe_files_sparse(void)
{
	struct io_uring ring;
	int ret;

	if (io_uring_queue_init(4, &ring, 0) < 0)
		return 0;
	ret = io_uring_register_files_sparse(&ring, 4);
	if (ret == 0)
		io_uring_unregister_files(&ring);
	io_uring_queue_exit(&ring);
	return ret == 0;
}

static int probe_buf_ring(void)
{
	struct io_uring ring;
	struct io_uring_buf_reg reg;
	size_t len = (size_t)sysconf(_SC_PAGESIZE);
	void *mem;
	int ret;

	if (len < 8 * sizeof(struct io_uring_buf))
		len = 8 * sizeof(struct io_uring_buf);
	if (io_uring_queue_init(4, &ring, 0) < 0)
		return 0;
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		io_uring_queue_exit(&ring);
		return 0;
	}
	memset(&reg, 0, sizeof reg);
	reg.ring_addr = (uint64_t)(uintptr_t)mem;
	reg.ring_entries = 8;
	reg.bgid = 0;
	ret = io_uring_register_buf_ring(&ring, &reg, 0);
	if (ret == 0)
		io_uring_unregister_buf_ring(&ring, 0);
	io_uring_queue_exit(&ring);
	munmap(mem, len);
	return ret == 0;
}

/* ---- the probe ---- */

static void probe_opcodes(struct io_uring *ring, struct cf_features *f)
{
	struct io_uring_probe *p = io_uring_get_probe_ring(ring);
	unsigned op, last;

	if (!p)
		return;
	last = p->last_op;
	f->nr_opcodes = (uint8_t)(last + 1 > 255 ? 255 : last + 1);
	for (op = 0; op <= last && op < 256; op++)
		f->opcode[op] = io_uring_opcode_supported(p, (int)op) ? 1 : 0;
	io_uring_free_probe(p);
}

void cf_kernel_release(char *out, size_t len)
{
	struct utsname u;

	if (uname(&u) == 0)
		snprintf(out, len, "%s", u.release);
}

static void cf_probe_run(void)
{
	struct cf_features *f = &cf_probed;
	struct io_uring ring;
	struct io_uring_params p;
	int ret;
	unsigned m;

	memset(f, 0, sizeof *f);
	cf_kernel_release(f->release, sizeof f->release);

	memset(&p, 0, sizeof p);
	ret = io_uring_queue_init_params(4, &ring, &p);
	if (ret < 0) {
		f->usable = 0;
		f->setup_errno = -ret;
		explain_setup_failure(f, -ret);
		return;
	}
	f->usable = 1;
	f->ring_features = p.features;
	probe_opcodes(&ring, f);
	io_uring_queue_exit(&ring);

	for (m = 0; m < CF_MODE_URING__COUNT; m++) /* the AIO modes need no ring */
		f->mode_errno[m] = try_mode((enum cf_mode)m);
	f->cancel_flags = probe_cancel_flags();
	f->sync_cancel = probe_sync_cancel();
	f->sync_cancel_op = f->sync_cancel && probe_sync_cancel_op();
	f->iowq_files = probe_iowq_files();
	f->files_sparse = probe_files_sparse();
	f->buf_ring = probe_buf_ring();
}

const struct cf_features *cf_probe(void)
{
	pthread_once(&cf_probe_once, cf_probe_run);
	return &cf_probed;
}

/* ---- the report ---- */

/* enum io_uring_op, in the kernel's order (include/uapi/linux/io_uring.h). */
static const char *const cf_opcode_names[] = {
	"nop", "readv", "writev", "fsync", "read_fixed", "write_fixed",
	"poll_add", "poll_remove", "sync_file_range", "sendmsg", "recvmsg",
	"timeout", "timeout_remove", "accept", "async_cancel", "link_timeout",
	"connect", "fallocate", "openat", "close", "files_update", "statx",
	"read", "write", "fadvise", "madvise", "send", "recv", "openat2",
	"epoll_ctl", "splice", "provide_buffers", "remove_buffers", "tee",
	"shutdown", "renameat", "unlinkat", "mkdirat", "symlinkat", "linkat",
	"msg_ring", "fsetxattr", "setxattr", "fgetxattr", "getxattr", "socket",
	"uring_cmd", "send_zc", "sendmsg_zc", "read_multishot", "waitid",
	"futex_wait", "futex_wake", "futex_waitv", "fixed_fd_install",
	"ftruncate", "bind", "listen", "recv_zc", "epoll_wait", "readv_fixed",
	"writev_fixed", "pipe", "nop128", "uring_cmd128",
};
#define CF_NR_OPCODE_NAMES (sizeof cf_opcode_names / sizeof cf_opcode_names[0])

static const char *yes_no(int v) { return v ? "yes" : "no"; }

void cf_probe_print(const struct cf_features *f, FILE *out)
{
	static const struct { uint32_t bit; const char *name; } flags[] = {
		{ IORING_ASYNC_CANCEL_ALL, "all" },
		{ IORING_ASYNC_CANCEL_FD, "fd" },
		{ IORING_ASYNC_CANCEL_ANY, "any" },
		{ IORING_ASYNC_CANCEL_FD_FIXED, "fd_fixed" },
		{ IORING_ASYNC_CANCEL_USERDATA, "userdata" },
		{ IORING_ASYNC_CANCEL_OP, "op" },
	};
	unsigned i, n;

	fprintf(out, "kernel: %s\n", f->release[0] ? f->release : "(unknown)");
	if (!f->usable) {
		fprintf(out, "io_uring: NOT usable: %s\n", f->why);
		return;
	}
	fprintf(out, "io_uring: usable\n");
	fprintf(out, "ring features: 0x%x\n", f->ring_features);

	fprintf(out, "setup modes:");
	for (i = 0; i < CF_MODE_URING__COUNT; i++) {
		int e = f->mode_errno[i];
		if (e == 0)
			fprintf(out, " %s=yes", cf_mode_name(i));
		else
			fprintf(out, " %s=no (%s)", cf_mode_name(i), errno_name(e));
	}
	fprintf(out, "\n");

	fprintf(out, "cancel flags:");
	for (i = 0; i < sizeof flags / sizeof flags[0]; i++)
		fprintf(out, " %s=%s", flags[i].name, yes_no(f->cancel_flags & flags[i].bit));
	fprintf(out, "\n");

	fprintf(out, "register: sync_cancel=%s files_sparse=%s buf_ring=%s sync_cancel_op=%s\n",
		yes_no(f->sync_cancel), yes_no(f->files_sparse), yes_no(f->buf_ring),
		yes_no(f->sync_cancel_op));
	fprintf(out, "reads in io-wq: pipe=%s eventfd=%s\n", yes_no(f->iowq_files & CF_IOWQ_PIPE),
		yes_no(f->iowq_files & CF_IOWQ_EVENTFD));
	fprintf(out, "futex_wait=%s waitid=%s\n",
		yes_no(f->opcode[IORING_OP_FUTEX_WAIT]), yes_no(f->opcode[IORING_OP_WAITID]));

	for (i = 0, n = 0; i < 256; i++)
		n += f->opcode[i] ? 1 : 0;
	fprintf(out, "opcodes (%u):", n);
	for (i = 0; i < 256; i++) {
		if (!f->opcode[i])
			continue;
		if (i < CF_NR_OPCODE_NAMES)
			fprintf(out, " %s", cf_opcode_names[i]);
		else
			fprintf(out, " op%u", i);
	}
	fprintf(out, "\n");
}

/* ---- what a program needs ---- */

/* The IORING_ASYNC_CANCEL_* bits a kernel may lack; other bits a program
 * sets are invalid everywhere, and their -EINVAL is what it tests. */
#define CF_KNOWN_CANCEL_FLAGS (IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_FD | \
			       IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_FD_FIXED | \
			       IORING_ASYNC_CANCEL_USERDATA | IORING_ASYNC_CANCEL_OP)

int cf_program_unsupported(const struct cf_program *prog, const struct cf_features *f,
			   char *why, size_t whylen)
{
	if (cf_mode_family(prog->mode) != CF_FAMILY_URING)
		return 0;
	for (unsigned i = 0; i < prog->nops; i++) {
		const struct cf_op *op = &prog->ops[i];
		uint8_t b = op->a[CF_C_FLAGS];
		/* as the executor maps them: bits 0-6 as they are, bit 7 to bit 31 */
		uint32_t flags = (b & 0x7fu) | ((b & 0x80u) ? (1u << 31) : 0);
		uint32_t lacking;

		if (op->kind == CF_OP_END)
			break;
		if (op->kind == CF_OP_QUEUE) {
			unsigned opcode = cf_req_opcode(op->a[CF_Q_REQ]);

			if (f->nr_opcodes && !f->opcode[opcode]) { /* no probe (< 5.6): try it */
				snprintf(why, whylen, "op %u: this kernel has no IORING_OP %u (%s)", i,
					 opcode, cf_req_name(op->a[CF_Q_REQ]));
				return 1;
			}
			if (cf_req_is_direct(op->a[CF_Q_REQ])) {
				char dwhy[200];

				if (cf_direct_fd(dwhy, sizeof(dwhy)) < 0) {
					snprintf(why, whylen, "op %u: %s needs an O_DIRECT file on a block device: %s",
						 i, cf_req_name(op->a[CF_Q_REQ]), dwhy);
					return 1;
				}
			}
			continue;
		}
		if (op->kind != CF_OP_CANCEL)
			continue;
		if (op->a[CF_C_API] == CF_CANCEL_SQEFD)
			flags |= IORING_ASYNC_CANCEL_FD;
		lacking = flags & CF_KNOWN_CANCEL_FLAGS & ~f->cancel_flags;
		if (lacking) {
			snprintf(why, whylen, "op %u: this kernel lacks cancel flags 0x%x", i, lacking);
			return 1;
		}
		if (op->a[CF_C_API] == CF_CANCEL_SYNC && !f->sync_cancel) {
			snprintf(why, whylen, "op %u: this kernel has no IORING_REGISTER_SYNC_CANCEL", i);
			return 1;
		}
		if (op->a[CF_C_API] == CF_CANCEL_SYNC && (flags & IORING_ASYNC_CANCEL_OP) &&
		    !f->sync_cancel_op) {
			snprintf(why, whylen, "op %u: this kernel's sync cancel has no opcode field (6.6)", i);
			return 1;
		}
	}
	return 0;
}
