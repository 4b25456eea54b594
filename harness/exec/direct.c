/* The O_DIRECT file (direct.h). One per process, made at first use and
 * kept for every execution (writing 4 MiB per execution would dominate a
 * campaign); nothing in a program can close it. */
#include "direct.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>


static int direct_fd = -1, direct_err;
static char direct_why[200];
/* One buffer for every request: what a read brings is never looked at,
 * and one 64 KiB buffer keeps the harness's memory flat. */
static unsigned char buf[CF_DIRECT_CHUNK] __attribute__((aligned(4096)));

void *cf_direct_buf(unsigned id)
{
	(void)id;
	return buf;
}

/* Anonymous devices (major 0) are tmpfs, overlay, proc and the like: no
 * block device serves them. */
static int on_block_device(const char *dir, char *why, size_t whylen)
{
	struct stat st;

	if (stat(dir, &st) < 0) {
		snprintf(why, whylen, "%s: %s", dir, strerror(errno));
		return 0;
	}
	if (!S_ISDIR(st.st_mode) || major(st.st_dev) == 0) {
		snprintf(why, whylen, "%s is on no block device (device %u:%u): its O_DIRECT I/O would complete from the page cache",
			 dir, major(st.st_dev), minor(st.st_dev));
		return 0;
	}
	return 1;
}

static int make_file(char *why, size_t whylen)
{
	const char *dir = getenv("CF_DIRECT_DIR");
	int fd;

	if (!dir || !*dir)
		dir = "/var/tmp";
	if (!on_block_device(dir, why, whylen))
		return -ENODEV;
	fd = open(dir, O_TMPFILE | O_RDWR | O_DIRECT | O_CLOEXEC, 0600);
	if (fd < 0) {
		int err = errno;

		snprintf(why, whylen, "%s: O_TMPFILE|O_DIRECT: %s", dir, strerror(err));
		return -err;
	}
	memset(buf, 'd', CF_DIRECT_CHUNK);
	for (unsigned i = 0; i < CF_DIRECT_CHUNKS; i++)
		if (pwrite(fd, buf, CF_DIRECT_CHUNK, (off_t)i * CF_DIRECT_CHUNK) != CF_DIRECT_CHUNK) {
			int err = errno ? errno : EIO;

			snprintf(why, whylen, "%s: O_DIRECT write: %s", dir, strerror(err));
			close(fd);
			return -err;
		}
	if (fsync(fd) < 0) {
		int err = errno;

		snprintf(why, whylen, "%s: fsync: %s", dir, strerror(err));
		close(fd);
		return -err;
	}
	/* far above the program's numbers, so no slot ever reuses it */
	int high = fcntl(fd, F_DUPFD_CLOEXEC, 700);

	if (high >= 0) {
		close(fd);
		fd = high;
	}
	return fd;
}

int cf_direct_fd(char *why, size_t whylen)
{
	if (direct_fd < 0 && !direct_err) {
		int fd = make_file(direct_why, sizeof(direct_why));

		if (fd < 0)
			direct_err = fd;
		else
			direct_fd = fd;
	}
	if (direct_fd < 0 && why)
		snprintf(why, whylen, "%s", direct_why);
	return direct_fd >= 0 ? direct_fd : direct_err;
}
