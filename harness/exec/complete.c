/* The complete op of the AIO families. The fds are blocking (resources.c),
 * so every action here checks first that it cannot block. */
#include "complete.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "aio_model.h"

#define PAYLOAD_MAX 64

static int is_socket_slot(unsigned slot)
{
	return slot >= CF_SLOT_SOCK0_A && slot <= CF_SLOT_CLIENT1 && slot != CF_SLOT_LISTENER;
}

/* Room for len more bytes in a pipe, with a page to spare; 1 for non-pipes. */
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

int cf_family_complete(struct cf_resources *rs, unsigned what, unsigned slot, unsigned len)
{
	static const char payload[PAYLOAD_MAX] = "cancelfuzz payload";
	unsigned n = 1 + len % PAYLOAD_MAX;
	ssize_t ret;
	int fd;

	switch (what) {
	case CF_FDO_WRITE:
		if (slot == CF_SLOT_EVENTFD)
			return bump_eventfd(rs);
		fd = cf_res_fd(rs, slot);
		if (is_socket_slot(slot))
			ret = send(fd, payload, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		else if (fd >= 0 && !pipe_has_room(fd, n))
			return -EAGAIN;
		else
			ret = write(fd, payload, n);
		return ret < 0 ? -errno : (int)ret;
	case CF_FDO_CONNECT:
		return cf_res_connect(rs, slot);
	case CF_FDO_EVENTFD:
		return bump_eventfd(rs);
	case CF_FDO_SHUTDOWN:
		fd = cf_res_fd(rs, slot);
		return shutdown(fd, SHUT_WR) < 0 ? -errno : 0;
	}
	return -EINVAL;
}
