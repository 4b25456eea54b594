/* Per-execution resources, created lazily so unused ones cost nothing.
 * All are blocking: io_uring returns -EAGAIN at once for an O_NONBLOCK file
 * instead of arming poll, and that is not the path we want to test. The
 * harness's own writes avoid blocking by other means (complete.c). */
#include "resources.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"

/* Keeps fds 0-2 taken (by /dev/null when the process started without
 * them), so no slot, ring or accepted socket ever gets one: the oracle
 * knows an accept's fd is at least 3 (campaign seed 62, 5a8e8aed). */
static void hold_stdio(void)
{
	static int held;

	for (int fd = 0; !held && fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF && open("/dev/null", O_RDWR) < 0)
			break;
	held = 1;
}

void cf_res_init(struct cf_resources *rs, struct cf_ring *ring)
{
	hold_stdio();
	memset(rs, 0, sizeof(*rs));
	rs->ring = ring;
	for (int i = 0; i < CF_SLOT__COUNT; i++)
		rs->fd[i] = -1;
	rs->child = -1;
	rs->child_gate = -1;
	rs->gate_r = -1;
	rs->child_pidfd = -1;
	rs->ring1_fd = -1;
}

static void set_linger0(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	/* RST on close: 100,000 executions must not fill TIME_WAIT. */
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
}

static int create_pair(struct cf_resources *rs, unsigned first, int is_socket)
{
	int fds[2], ret;

	if (is_socket)
		ret = socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds);
	else
		ret = pipe2(fds, O_CLOEXEC);
	if (ret < 0)
		return -errno;
	rs->fd[first] = fds[0];
	rs->fd[first + 1] = fds[1];
	rs->created[first] = rs->created[first + 1] = 1;
	return 0;
}

static int create_listener(struct cf_resources *rs)
{
	socklen_t len = sizeof(rs->listen_addr);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	memset(&rs->listen_addr, 0, sizeof(rs->listen_addr));
	rs->listen_addr.sin_family = AF_INET;
	rs->listen_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&rs->listen_addr, sizeof(rs->listen_addr)) < 0 ||
	    listen(fd, 16) < 0 ||
	    getsockname(fd, (struct sockaddr *)&rs->listen_addr, &len) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	rs->fd[CF_SLOT_LISTENER] = fd;
	rs->created[CF_SLOT_LISTENER] = 1;
	return 0;
}

static int create_single(struct cf_resources *rs, unsigned slot)
{
	static const char content[] = "cancelfuzz regular file content\n";
	int fd;

	switch (slot) {
	case CF_SLOT_CLIENT0:
	case CF_SLOT_CLIENT1:
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0)
			set_linger0(fd);
		break;
	case CF_SLOT_EVENTFD:
		fd = eventfd(0, EFD_CLOEXEC);
		break;
	case CF_SLOT_SIGNALFD: {
		/* SIGURG: nothing sends it, and its default action is to
		 * ignore it, so it needs no blocking */
		sigset_t mask;

		sigemptyset(&mask);
		sigaddset(&mask, SIGURG);
		fd = signalfd(-1, &mask, SFD_CLOEXEC);
		break;
	}
	case CF_SLOT_TIMERFD:
		fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); /* never armed */
		break;
	case CF_SLOT_FILE:
		fd = memfd_create("cancelfuzz-file", MFD_CLOEXEC);
		if (fd >= 0 && write(fd, content, sizeof(content) - 1) < 0) {
			close(fd);
			fd = -1;
		}
		break;
	default:
		return -EINVAL;
	}
	if (fd < 0)
		return -errno;
	rs->fd[slot] = fd;
	rs->created[slot] = 1;
	return 0;
}

static int create_slot(struct cf_resources *rs, unsigned slot)
{
	switch (slot) {
	case CF_SLOT_PIPE0_R: case CF_SLOT_PIPE0_W:
		return create_pair(rs, CF_SLOT_PIPE0_R, 0);
	case CF_SLOT_PIPE1_R: case CF_SLOT_PIPE1_W:
		return create_pair(rs, CF_SLOT_PIPE1_R, 0);
	case CF_SLOT_SOCK0_A: case CF_SLOT_SOCK0_B:
		return create_pair(rs, CF_SLOT_SOCK0_A, 1);
	case CF_SLOT_SOCK1_A: case CF_SLOT_SOCK1_B:
		return create_pair(rs, CF_SLOT_SOCK1_A, 1);
	case CF_SLOT_LISTENER:
		return create_listener(rs);
	default:
		return create_single(rs, slot);
	}
}

static void register_fixed(struct cf_resources *rs)
{
	if (!rs->ring)
		return; /* the AIO families have no ring */
	/* Fixed index == slot; a pair is created, and registered, both ends at
	 * once: one update for each run of new slots. */
	for (unsigned s = 0; s < CF_SLOT__COUNT; s++) {
		unsigned end = s;

		while (end < CF_SLOT__COUNT && rs->created[end] && !rs->registered[end])
			rs->registered[end++] = 1;
		if (end > s)
			io_uring_register_files_update(&rs->ring->ring, s, &rs->fd[s], end - s);
		s = end;
	}
}

int cf_res_fd(struct cf_resources *rs, unsigned slot)
{
	if (slot >= CF_SLOT__COUNT || slot == CF_SLOT_BADFD || rs->closed[slot])
		return -1;
	if (slot == CF_SLOT_RING0)
		return rs->ring ? rs->ring->ring.ring_fd : -1;
	if (slot == CF_SLOT_RING1)
		return rs->ring1_fd;
	if (!rs->created[slot]) {
		if (create_slot(rs, slot) < 0)
			return -1;
		register_fixed(rs);
	}
	return rs->fd[slot];
}

void cf_res_for_complete(struct cf_resources *rs, unsigned slot)
{
	cf_res_fd(rs, slot);
	cf_res_fd(rs, CF_SLOT_LISTENER);
	cf_res_fd(rs, CF_SLOT_EVENTFD);
}

static int make_gate(struct cf_resources *rs);

/* Creating an fd takes the lowest free number, and after a close that is a
 * number the program's requests may still resolve: an SQE prepared with
 * it, or a request io-wq has not yet issued, would get the new file
 * instead of -EBADF (a poll_multi with IOSQE_ASYNC on a closed pipe landed
 * on a socketpair created next: corpora/seeds/121). So before the first
 * close of an execution, every slot and the child's gate are created, and
 * nothing of ours is created after it; closed numbers stay free until
 * teardown. Only sockets the program's own accepts make can take them,
 * which the oracle allows for. */
static void create_all(struct cf_resources *rs)
{
	for (unsigned s = 0; s < CF_SLOT__COUNT; s++)
		if (s != CF_SLOT_BADFD && !cf_slot_is_ring(s) && !rs->created[s])
			create_slot(rs, s);
	register_fixed(rs);
	make_gate(rs);
}

int cf_res_close_begin(struct cf_resources *rs, unsigned slot)
{
	int fd;

	if (slot == CF_SLOT_RING0)
		return -EPERM; /* not -1 from cf_res_fd: that is the same number */
	fd = cf_res_fd(rs, slot);
	if (fd < 0)
		return -EBADF;
	if (!rs->any_closed) {
		create_all(rs);
		rs->any_closed = 1;
	}
	return fd;
}

void cf_res_close_end(struct cf_resources *rs, unsigned slot)
{
	rs->closed[slot] = 1;
	rs->fd[slot] = -1;
}

int cf_res_close(struct cf_resources *rs, unsigned slot)
{
	int fd = cf_res_close_begin(rs, slot);

	if (fd < 0)
		return fd;
	cf_res_close_end(rs, slot);
	return close(fd) < 0 ? -errno : 0;
}

int cf_res_close_made(struct cf_resources *rs, unsigned slot)
{
	int fd;

	if (slot >= CF_SLOT__COUNT || !rs->created[slot] || rs->closed[slot] || rs->fd[slot] < 0)
		return -EBADF;
	fd = rs->fd[slot];
	cf_res_close_end(rs, slot);
	return close(fd) < 0 ? -errno : 0;
}

/* The child's gate must not reuse the number of a slot fd the program closed:
 * an SQE prepared with that number and submitted later would then hold the
 * gate's write end open, and the child would never see EOF (a hang, found by
 * fuzzing: corpora/findings/F003-child-gate-fd-reuse.cfp). Programs only name
 * slot fds, which take the lowest free numbers, so the gate moves above them. */
#define GATE_FD_FLOOR 512

static int out_of_program_range(int fd)
{
	int high = fcntl(fd, F_DUPFD_CLOEXEC, GATE_FD_FLOOR);

	if (high < 0)
		return fd; /* RLIMIT_NOFILE at or below the floor: keep the number */
	close(fd);
	return high;
}

/* The pipe the child will wait on, made once (before the first close, or
 * when the child is made), both ends above the program's numbers. */
static int make_gate(struct cf_resources *rs)
{
	int gate[2];

	if (rs->gate_r >= 0 || rs->child > 0)
		return 0;
	if (pipe2(gate, O_CLOEXEC) < 0)
		return -errno;
	rs->gate_r = out_of_program_range(gate[0]);
	rs->child_gate = out_of_program_range(gate[1]);
	return 0;
}

/* The child: it holds no copy of the execution's fds (EOF and close must
 * behave) and exits when the gate reads EOF. It shares our memory
 * (CLONE_VM), so it runs on its own small stack and only makes syscalls. */
static int child_main(void *arg)
{
	int gate = (int)(intptr_t)arg;
	char c;

	if (gate > 3)
		syscall(SYS_close_range, 3u, (unsigned)gate - 1, 0u);
	syscall(SYS_close_range, (unsigned)gate + 1, ~0u, 0u);
	while (syscall(SYS_read, gate, &c, 1) < 0)
		;
	syscall(SYS_exit, 0);
	return 0;
}

/* clone(CLONE_VM): no page tables copied (fork cost ~300 us here, this ~40
 * us), and with CLONE_PIDFD a pidfd to poll for the exit. A pidfd is an fd
 * we would create, so only before the execution's first close (create_all:
 * nothing of ours is created after it); after it, no pidfd, and
 * child_exit looks every millisecond as before. -EINVAL from a kernel
 * without CLONE_PIDFD (before 5.2): the caller forks instead. One child at
 * a time, so one stack. */
/* The child of the execution before: killed by its teardown, reaped by
 * the next teardown (or a new child's reuse of its number says it is gone),
 * so no execution waits for a child to die. A killed CLONE_VM child may
 * still run a few instructions on its stack before the signal lands, so
 * the next child takes the other of two stacks. */
static pid_t dying = -1;
static int dying_stack = -1, child_stack;

static void reap_dying(void)
{
	if (dying > 0)
		while (waitpid(dying, NULL, 0) < 0 && errno == EINTR)
			;
	dying = -1;
	dying_stack = -1;
}

static int clone_child(struct cf_resources *rs, int gate_r)
{
	static char stacks[2][64 * 1024] __attribute__((aligned(64)));
	int pidfd = -1, want_pidfd = !rs->any_closed;
	int k = dying_stack == 0 ? 1 : 0;
	pid_t pid = clone(child_main, stacks[k] + sizeof(stacks[k]),
			  CLONE_VM | SIGCHLD | (want_pidfd ? CLONE_PIDFD : 0),
			  (void *)(intptr_t)gate_r, &pidfd);

	if (pid < 0)
		return -errno;
	child_stack = k;
	rs->child = pid;
	rs->child_pidfd = want_pidfd ? out_of_program_range(pidfd) : -1;
	return 0;
}

/* fork, and (same rule as clone_child) before the first close a pidfd
 * from pidfd_open to poll: without it, child_exit looks every millisecond,
 * which cost the instrumented builds (AFL++, libFuzzer) 1 ms or more per
 * child_exit. */
static int fork_child(struct cf_resources *rs, int gate_r)
{
	pid_t pid = fork();
	long pidfd;

	if (pid < 0)
		return -errno;
	if (pid == 0)
		child_main((void *)(intptr_t)gate_r);
	rs->child = pid;
	if (!rs->any_closed) {
		pidfd = syscall(SYS_pidfd_open, pid, 0);
		if (pidfd >= 0)
			rs->child_pidfd = out_of_program_range((int)pidfd);
	}
	return 0;
}

/* Instrumented builds (libFuzzer, AFL++, sanitizers) fork: their hooks in
 * child_main would run on the parent's thread state in a CLONE_VM child
 * (a libFuzzer smoke crashed once with a SEGV there). */
#ifdef CF_CHILD_BY_FORK
#define CLONE_CHILD_OFF 1
#else
#define CLONE_CHILD_OFF 0
#endif

static int no_clone_pidfd = CLONE_CHILD_OFF;

void cf_res_fork_children(int on)
{
	no_clone_pidfd = !!on;
}

pid_t cf_res_child(struct cf_resources *rs)
{
	int ret = -EINVAL, gate_r;

	if (rs->child > 0)
		return rs->child;
	ret = make_gate(rs);
	if (ret < 0)
		return ret;
	gate_r = rs->gate_r;
	ret = -EINVAL;
	if (!no_clone_pidfd) {
		ret = clone_child(rs, gate_r);
		no_clone_pidfd = ret == -EINVAL;
	}
	if (no_clone_pidfd)
		ret = fork_child(rs, gate_r);
	if (ret < 0)
		return ret; /* the gate stays for a later try; teardown closes it */
	if (rs->child == dying) /* its number is free again: reaped already */
		dying = -1, dying_stack = -1;
	close(gate_r);
	rs->gate_r = -1;
	return rs->child;
}

/* Until the child is a zombie, or ms pass: 1, or 0 on timeout. With a
 * pidfd, one poll; without, a look every millisecond. */
static int child_exited_within(struct cf_resources *rs, int ms)
{
	siginfo_t info;

	if (rs->child_pidfd >= 0) {
		struct pollfd p = { .fd = rs->child_pidfd, .events = POLLIN };
		long long end = cf_now_ms() + ms;
		int n;

		while ((n = poll(&p, 1, (int)(end - cf_now_ms()))) < 0 && errno == EINTR)
			;
		return n > 0;
	}
	for (int waited = 0;; waited++) {
		memset(&info, 0, sizeof(info));
		if (waitid(P_PID, (id_t)rs->child, &info, WEXITED | WNOWAIT | WNOHANG) < 0)
			return errno != EINTR;
		if (info.si_pid == rs->child)
			return 1;
		if (waited == ms)
			return 0;
		cf_pause_us(1000);
	}
}

int cf_res_child_exit(struct cf_resources *rs)
{
	siginfo_t info;
	pid_t pid = cf_res_child(rs);

	if (pid < 0)
		return pid;
	/* Two actors may race to let it exit: one closes the gate. */
	int gate = __atomic_exchange_n(&rs->child_gate, -1, __ATOMIC_ACQ_REL);

	if (gate < 0)
		return -ECHILD;
	close(gate);
	/* Wait until it is a zombie, without reaping, so its exit is seen now.
	 * Bounded: the kernel can still hold the gate's write end (an SQE that
	 * names a reused fd number, consumed late by SQPOLL), and then the
	 * child never sees EOF. It is killed, and the op says -ETIMEDOUT. */
	if (!child_exited_within(rs, CF_CHILD_EXIT_MS)) {
		kill(pid, SIGKILL);
		while (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) < 0 && errno == EINTR)
			;
		return -ETIMEDOUT;
	}
	for (;;) {
		memset(&info, 0, sizeof(info));
		if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT | WNOHANG) == 0)
			return 0;
		if (errno != EINTR)
			return -errno; /* ECHILD: an io_uring waitid already reaped it */
	}
}

int cf_res_connect(struct cf_resources *rs, unsigned slot)
{
	int fd;

	if (slot != CF_SLOT_CLIENT0 && slot != CF_SLOT_CLIENT1)
		return -EINVAL;
	fd = cf_res_fd(rs, slot);
	if (fd < 0)
		return -EBADF;
	if (cf_res_fd(rs, CF_SLOT_LISTENER) < 0)
		return -EBADF;
	if (connect(fd, (struct sockaddr *)&rs->listen_addr, sizeof(rs->listen_addr)) < 0)
		return -errno;
	return 0;
}

void cf_res_note_accepted(struct cf_resources *rs, int fd)
{
	struct sockaddr_in local;
	socklen_t len = sizeof(local);

	if (fd < 0 || rs->naccepted >= CF_MAX_ACCEPTED || !rs->created[CF_SLOT_LISTENER])
		return;
	for (unsigned s = 0; s < CF_SLOT__COUNT; s++)
		if (rs->fd[s] == fd)
			return;
	for (int i = 0; i < rs->naccepted; i++)
		if (rs->accepted[i] == fd)
			return;
	/* Only sockets whose local end is our listener's address came from accept. */
	if (getsockname(fd, (struct sockaddr *)&local, &len) < 0 ||
	    local.sin_family != AF_INET || local.sin_port != rs->listen_addr.sin_port)
		return;
	set_linger0(fd);
	rs->accepted[rs->naccepted++] = fd;
}

int cf_res_teardown(struct cf_resources *rs)
{
	int clear[CF_FIXED_SLOTS];
	int any_fixed = 0, ret = 0;

	for (unsigned s = 0; s < CF_SLOT__COUNT; s++) {
		if (rs->created[s])
			any_fixed = 1;
		if (rs->created[s] && !rs->closed[s] && rs->fd[s] >= 0)
			close(rs->fd[s]);
		rs->fd[s] = -1;
		clear[s] = -1;
	}
	if (any_fixed && rs->ring && rs->ring->live) {
		int r = io_uring_register_files_update(&rs->ring->ring, 0, clear, CF_FIXED_SLOTS);
		if (r < 0)
			ret = r;
	}
	/* An accept with IOSQE_CQE_SKIP_SUCCESS that succeeded posted no CQE
	 * to learn its fd from: any socket whose local end is the listener's
	 * address came from an accept. Accepted fds take the lowest free
	 * numbers, far below 256. */
	for (int fd = 3; rs->created[CF_SLOT_LISTENER] && fd < 256; fd++)
		cf_res_note_accepted(rs, fd);
	for (int i = 0; i < rs->naccepted; i++)
		close(rs->accepted[i]);
	rs->naccepted = 0;
	if (rs->child > 0) {
		if (rs->child_gate >= 0)
			close(rs->child_gate);
		kill(rs->child, SIGKILL);
		reap_dying(); /* the one before: dead long ago */
		dying = rs->child;
		dying_stack = child_stack;
		rs->child = -1;
		rs->child_gate = -1;
	}
	if (rs->child_gate >= 0) /* a gate made before the first close, never used */
		close(rs->child_gate);
	if (rs->gate_r >= 0)
		close(rs->gate_r);
	rs->child_gate = rs->gate_r = -1;
	if (rs->child_pidfd >= 0)
		close(rs->child_pidfd);
	rs->child_pidfd = -1;
	return ret;
}
