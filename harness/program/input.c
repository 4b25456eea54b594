/* Program files in, any file out: one reader for the CLI and the engines
 * (text or binary by name, size limits), writes that never leave a
 * half-written file. */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"

int cf_is_text_path(const char *path)
{
	size_t n = strlen(path), k = strlen(CF_TEXT_SUFFIX);

	return n >= k && strcmp(path + n - k, CF_TEXT_SUFFIX) == 0;
}

/* One regular file of at most limit bytes into a malloc'd, NUL-terminated
 * buffer. */
static int read_input(const char *path, size_t limit, uint8_t **data, size_t *len,
		      char *err, size_t errlen)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0, want;
	/* O_NONBLOCK: a FIFO must not wait for a writer before we reject it */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	*data = NULL;
	*len = 0;
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	want = (size_t)st.st_size;
	if (want > limit) {
		snprintf(err, errlen, "%s: oversized: %lld bytes, limit %zu", path,
			 (long long)st.st_size, limit);
		close(fd);
		return -1;
	}
	buf = malloc(want + 1);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		close(fd);
		return -1;
	}
	while (got < want) {
		ssize_t r = read(fd, buf + got, want - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			snprintf(err, errlen, "%s: read failed: %s", path,
				 r < 0 ? strerror(errno) : "file shrank while reading");
			free(buf);
			close(fd);
			return -1;
		}
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return 0;
}

int cf_load_program(const char *path, struct cf_program *prog, char *err, size_t errlen)
{
	uint8_t *data;
	size_t len;
	int text = cf_is_text_path(path), ret = 0;

	if (read_input(path, text ? CF_MAX_TEXT_FILE : CF_MAX_INPUT, &data, &len,
		       err, errlen) < 0)
		return -1;
	if (text && len == 0) {
		snprintf(err, errlen, "%s: empty file", path);
		ret = -1;
	} else if (text) {
		ret = cf_text_parse((const char *)data, len, path, prog, err, errlen);
	} else {
		cf_decode(data, len, prog); /* total: empty bytes are the empty program */
	}
	free(data);
	return ret < 0 ? -1 : 0;
}

int cf_load_engine_input(const char *path, uint8_t *buf, size_t cap, size_t *len,
			 char *err, size_t errlen)
{
	uint8_t *data;

	*len = 0;
	if (cf_is_text_path(path)) {
		struct cf_program p;

		if (cap < CF_MAX_ENCODED) {
			snprintf(err, errlen, "%s: no room to encode the program", path);
			return -1;
		}
		if (cf_load_program(path, &p, err, errlen) < 0)
			return -1;
		*len = cf_encode(&p, buf, cap);
		return 0;
	}
	/* Rejected, not cut, as replay does: a verdict on the first 4096 bytes
	 * would be taken for the whole file's. */
	if (read_input(path, cap < CF_MAX_INPUT ? cap : CF_MAX_INPUT, &data, len,
		       err, errlen) < 0)
		return -1;
	memcpy(buf, data, *len);
	free(data);
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

int cf_write_file_atomic(const char *path, const void *data, size_t len,
			 char *err, size_t errlen)
{
	char tmp[4096];
	const uint8_t *p = data;
	struct stat st;
	int fd;

	/* rename() would put a regular file in place of a device or FIFO. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: exists and is not a regular file: not replaced", path);
		return -1;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
		return -1;
	}
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			snprintf(err, errlen, "%s: write failed: %s", path, strerror(errno));
			close(fd);
			unlink(tmp);
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
		snprintf(err, errlen, "%s: cannot finish writing: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
