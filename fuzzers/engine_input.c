/* Reading engine inputs from files. */
#include "engine_input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"

int cf_load_engine_input(const char *path, uint8_t *buf, size_t cap, size_t *len,
			 char *err, size_t errlen)
{
	struct stat st;
	size_t got = 0, want = cap < CF_MAX_INPUT ? cap : CF_MAX_INPUT;
	int fd;

	*len = 0;
	if (cf_is_text_path(path)) {
		struct cf_program p;

		if (cap < cf_encoded_max()) {
			snprintf(err, errlen, "%s: no room to encode the program", path);
			return -1;
		}
		if (cf_load_program(path, &p, err, errlen) < 0)
			return -1;
		*len = cf_encode(&p, buf, cap);
		return 0;
	}
	/* O_NONBLOCK: a FIFO must not wait for a writer before we reject it */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	/* Rejected, not cut, exactly as replay does: a judgement of the first
	 * 4096 bytes would be taken for the whole file's. */
	if ((unsigned long long)st.st_size > CF_MAX_INPUT) {
		snprintf(err, errlen, "%s: oversized: %lld bytes, limit %u", path,
			 (long long)st.st_size, (unsigned)CF_MAX_INPUT);
		close(fd);
		return -1;
	}
	while (got < want) {
		ssize_t r = read(fd, buf + got, want - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "%s: read failed: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	*len = got;
	return 0;
}

int cf_is_sidecar_name(const char *name)
{
	static const char *const sidecars[] = { ".history", ".verdict", ".md", ".txt", ".json",
						".tmp" };
	size_t n = strlen(name);

	if (name[0] == '.' || strstr(name, ".tmp."))
		return 1;
	for (size_t i = 0; i < sizeof(sidecars) / sizeof(sidecars[0]); i++) {
		size_t k = strlen(sidecars[i]);

		if (n >= k && strcmp(name + n - k, sidecars[i]) == 0)
			return 1;
	}
	return 0;
}
