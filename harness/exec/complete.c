/* The complete op, one implementation for the three families (complete.h).
 * The fds are blocking (resources.c), so every action here checks first
 * that it cannot block. */
#include "complete.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "aio_model.h"

#define PAYLOAD_MAX 64 /* a write sends 1 + len % PAYLOAD_MAX bytes */

/* What a complete op does, whatever code its family gives it. */
enum action {
	ACT_NONE, /* not a code of the family: -EINVAL */
	ACT_WRITE,
	ACT_CONNECT,
	ACT_EVENTFD,
	ACT_SHUTDOWN,
	ACT_FUTEX_WAKE,
	ACT_CHILD_EXIT,
};

static enum action action_of(enum cf_family family, unsigned what)
{
	static const enum action uring[CF_DO__COUNT] = {
		[CF_DO_WRITE] = ACT_WRITE,         [CF_DO_CONNECT] = ACT_CONNECT,
		[CF_DO_FUTEX_WAKE] = ACT_FUTEX_WAKE, [CF_DO_EVENTFD] = ACT_EVENTFD,
		[CF_DO_SHUTDOWN] = ACT_SHUTDOWN,   [CF_DO_CHILD_EXIT] = ACT_CHILD_EXIT,
	};
	static const enum action aio[CF_FDO__COUNT] = {
		[CF_FDO_WRITE] = ACT_WRITE,     [CF_FDO_CONNECT] = ACT_CONNECT,
		[CF_FDO_EVENTFD] = ACT_EVENTFD, [CF_FDO_SHUTDOWN] = ACT_SHUTDOWN,
	};

	if (family == CF_FAMILY_URING)
		return what < CF_DO__COUNT ? uring[what] : ACT_NONE;
	return what < CF_FDO__COUNT ? aio[what] : ACT_NONE;
}

static int is_socket_slot(unsigned slot)
{
	return slot >= CF_SLOT_SOCK0_A && slot <= CF_SLOT_CLIENT1 && slot != CF_SLOT_LISTENER;
}

/* Would a write of len bytes fit without blocking? Small writes merge into
 * pipe pages, so a byte count well under the capacity is enough. 1 for
 * anything but a pipe: write(2) then reports what it is. */
static int pipe_has_room(int fd, unsigned len)
{
	int queued = 0, cap = fcntl(fd, F_GETPIPE_SZ);

	if (cap < 0 || ioctl(fd, FIONREAD, &queued) < 0)
		return 1;
	return queued + (int)len + 4096 <= cap;
}

static int bump_eventfd(struct cf_resources *rs)
{
	uint64_t one = 1;
	int fd = cf_res_fd(rs, CF_SLOT_EVENTFD);

	/* 2^64-2 writes before it could block: never within one execution */
	return write(fd, &one, sizeof(one)) < 0 ? -errno : (int)sizeof(one);
}

/* The timerfd slot takes no write(2): `complete write` arms it instead,
 * one-shot, to expire len ms from now (len 0: 1 ns). */
static int arm_timerfd(struct cf_resources *rs, unsigned len)
{
	struct itimerspec its = { .it_value = { .tv_sec = len / 1000, .tv_nsec = len ? (long)(len % 1000) * 1000000 : 1 } };
	int fd = cf_res_fd(rs, CF_SLOT_TIMERFD);

	return fd < 0 ? -EBADF : timerfd_settime(fd, 0, &its, NULL) < 0 ? -errno : 0;
}

static int write_some(struct cf_resources *rs, unsigned slot, unsigned len)
{
	static const char payload[PAYLOAD_MAX] = "cancelfuzz payload";
	unsigned n = 1 + len % PAYLOAD_MAX;
	ssize_t ret;
	int fd;

	if (slot == CF_SLOT_EVENTFD)
		return bump_eventfd(rs);
	if (slot == CF_SLOT_TIMERFD)
		return arm_timerfd(rs, len);
	fd = cf_res_fd(rs, slot);
	if (is_socket_slot(slot))
		ret = send(fd, payload, n, MSG_NOSIGNAL | MSG_DONTWAIT);
	else if (fd >= 0 && !pipe_has_room(fd, n))
		return -EAGAIN;
	else
		ret = write(fd, payload, n);
	return ret < 0 ? -errno : (int)ret;
}

int cf_complete(struct cf_resources *rs, enum cf_family family, const struct cf_op *op)
{
	unsigned slot = op->a[CF_D_SLOT], len = op->a[CF_D_LEN];
	long ret;

	switch (action_of(family, op->a[CF_D_WHAT])) {
	case ACT_WRITE:
		return write_some(rs, slot, len);
	case ACT_CONNECT:
		return cf_res_connect(rs, slot);
	case ACT_EVENTFD:
		return bump_eventfd(rs);
	case ACT_SHUTDOWN:
		return shutdown(cf_res_fd(rs, slot), SHUT_WR) < 0 ? -errno : 0;
	case ACT_FUTEX_WAKE:
		ret = syscall(SYS_futex, &rs->futex_word, FUTEX_WAKE_PRIVATE, 1 + len % 4,
			      NULL, NULL, 0);
		return ret < 0 ? -errno : (int)ret;
	case ACT_CHILD_EXIT:
		return cf_res_child_exit(rs);
	case ACT_NONE:
		break;
	}
	return -EINVAL;
}
