/* replay --trace: record this process's AIO syscalls and io_uring
 * tracepoints in a tracefs instance of its own (so the system's tracing
 * setup is not touched), then read the per-CPU raw ring buffers and decode
 * every event with the layout its "format" file gives.
 *
 * Raw buffer layout (events/header_page, events/header_event): each page is
 * a timestamp, a commit word (bytes used; the top bits are flags), then
 * events. An event starts with a 32-bit header: type_len (5 bits) and
 * time_delta (27 bits). type_len 1..28: 4*type_len data bytes follow; 0:
 * the length is in the next word; 29 padding, 30 time extend, 31 absolute
 * time stamp. Event data starts with common_type (the event's ID). */
#include "trace.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_TYPES 96
#define MAX_FIELDS 20
#define MAX_PAGE (64 * 1024)
#define TRACEFS "/sys/kernel/tracing"
#define DEBUGFS_TRACING "/sys/kernel/debug/tracing"

static const char *const aio_calls[] = {
	"io_setup", "io_submit", "io_cancel", "io_getevents", "io_pgetevents", "io_destroy",
};
/* What the C library's POSIX AIO helper threads do for a request, and how
 * they notify; traced for threads other than the main one (whose own reads
 * of /proc would drown them). */
static const char *const helper_calls[] = {
	"read", "write", "pread64", "pwrite64", "fsync", "fdatasync", "rt_sigqueueinfo",
};

struct field {
	char name[48];
	unsigned offset, size;
	int is_signed, data_loc, is_string, is_pointer;
};

struct event_type {
	unsigned id;
	char name[96]; /* system:event */
	unsigned nfields;
	struct field f[MAX_FIELDS];
};

struct record {
	uint64_t ts;
	uint32_t cpu, type, len;
	uint8_t *data;
};

struct cf_trace {
	char base[128], inst[256];
	int mounted;
	unsigned ntypes;
	struct event_type types[MAX_TYPES];
	struct record *rec;
	unsigned nrec, dropped;
	unsigned page_size, data_offset, commit_offset, commit_size;
};

static int write_str(const char *dir, const char *file, const char *value)
{
	char path[512];
	int fd, ok;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ok = write(fd, value, strlen(value)) == (ssize_t)strlen(value);
	close(fd);
	return ok ? 0 : -EIO;
}

static int read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = 0, r;

	if (fd < 0)
		return -errno;
	while ((size_t)n + 1 < len && (r = read(fd, buf + n, len - 1 - (size_t)n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	return (int)n;
}

/* ---- format files ---- */

static void parse_field(struct event_type *e, const char *line)
{
	const char *decl = strstr(line, "field:"), *off = strstr(line, "offset:");
	const char *sz = strstr(line, "size:"), *sg = strstr(line, "signed:");
	struct field *f;
	const char *semi, *name;

	if (!decl || !off || !sz || e->nfields == MAX_FIELDS)
		return;
	decl += 6;
	semi = strchr(decl, ';');
	if (!semi)
		return;
	/* the name is the last word of the declaration, before any [..] */
	name = semi;
	while (name > decl && name[-1] != ' ')
		name--;
	f = &e->f[e->nfields];
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%.*s", (int)strcspn(name, "[;"), name);
	if (strncmp(f->name, "common_", 7) == 0)
		return;
	f->offset = (unsigned)strtoul(off + 7, NULL, 10);
	f->size = (unsigned)strtoul(sz + 5, NULL, 10);
	f->is_signed = sg && sg[7] == '1';
	f->data_loc = strstr(decl, "__data_loc") && strstr(decl, "__data_loc") < semi;
	f->is_string = !f->data_loc && strncmp(decl, "char ", 5) == 0 && memchr(decl, '[', (size_t)(semi - decl));
	f->is_pointer = memchr(decl, '*', (size_t)(semi - decl)) != NULL ||
			strncmp(decl, "aio_context_t", 13) == 0;
	e->nfields++;
}

static int load_format(struct cf_trace *t, const char *dir, const char *system, const char *event)
{
	char path[512], buf[8192], *line, *save = NULL;
	struct event_type *e;

	if (t->ntypes == MAX_TYPES)
		return -ENOSPC;
	snprintf(path, sizeof(path), "%s/events/%s/%s/format", dir, system, event);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return -ENOENT;
	e = &t->types[t->ntypes];
	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s:%s", system, event);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "ID:", 3) == 0)
			e->id = (unsigned)strtoul(line + 3, NULL, 10);
		else if (strstr(line, "field:"))
			parse_field(e, line);
	}
	if (!e->id)
		return -EINVAL;
	t->ntypes++;
	return 0;
}

static int enable(struct cf_trace *t, const char *system, const char *event, const char *filter)
{
	char dir[512];

	snprintf(dir, sizeof(dir), "%s/events/%s/%s", t->inst, system, event);
	if (filter && write_str(dir, "filter", filter) < 0)
		return -1;
	if (write_str(dir, "enable", "1") < 0)
		return -1;
	return load_format(t, t->inst, system, event);
}

static void enable_io_uring(struct cf_trace *t)
{
	char dir[512];
	struct dirent *d;
	DIR *dp;

	snprintf(dir, sizeof(dir), "%s/events/io_uring", t->inst);
	if (write_str(dir, "enable", "1") < 0 || !(dp = opendir(dir)))
		return;
	while ((d = readdir(dp)))
		if (d->d_name[0] != '.' && d->d_type == DT_DIR)
			load_format(t, t->inst, "io_uring", d->d_name);
	closedir(dp);
}

/* header_page: where the commit word and the data sit in a page. */
static void page_layout(struct cf_trace *t)
{
	char path[300], buf[2048], *p;

	t->commit_offset = 8;
	t->commit_size = 8;
	t->data_offset = 16;
	snprintf(path, sizeof(path), "%s/events/header_page", t->base);
	if (read_small(path, buf, sizeof(buf)) > 0) {
		if ((p = strstr(buf, "commit;")) && strstr(p, "offset:"))
			t->commit_offset = (unsigned)strtoul(strstr(p, "offset:") + 7, NULL, 10);
		if ((p = strstr(buf, "commit;")) && strstr(p, "size:"))
			t->commit_size = (unsigned)strtoul(strstr(p, "size:") + 5, NULL, 10);
		if ((p = strstr(buf, "data;")) && strstr(p, "offset:"))
			t->data_offset = (unsigned)strtoul(strstr(p, "offset:") + 7, NULL, 10);
	}
	t->page_size = (unsigned)getpagesize();
	snprintf(path, sizeof(path), "%s/buffer_subbuf_size_kb", t->inst);
	if (read_small(path, buf, sizeof(buf)) > 0 && atoi(buf) > 0 && atoi(buf) * 1024 <= MAX_PAGE)
		t->page_size = (unsigned)atoi(buf) * 1024;
}

/* ---- start / finish ---- */

static int find_tracefs(struct cf_trace *t, char *why, size_t whylen)
{
	struct stat st;

	if (stat(TRACEFS "/instances", &st) == 0) {
		snprintf(t->base, sizeof(t->base), "%s", TRACEFS);
		return 0;
	}
	if (mount("nodev", TRACEFS, "tracefs", 0, NULL) == 0) {
		t->mounted = 1;
		snprintf(t->base, sizeof(t->base), "%s", TRACEFS);
		return 0;
	}
	if (stat(DEBUGFS_TRACING "/instances", &st) == 0) {
		snprintf(t->base, sizeof(t->base), "%s", DEBUGFS_TRACING);
		return 0;
	}
	snprintf(why, whylen, "tracefs is not mounted at %s and mounting it failed: %s",
		 TRACEFS, strerror(errno));
	return -1;
}

/* Does the tracefs at base hold instances other than ours? */
static int others_use_it(const struct cf_trace *t)
{
	char dir[300];
	struct dirent *d;
	DIR *dp;
	int others = 0;

	snprintf(dir, sizeof(dir), "%s/instances", t->base);
	dp = opendir(dir);
	while (dp && (d = readdir(dp)))
		others |= d->d_name[0] != '.';
	if (dp)
		closedir(dp);
	return others;
}

static void undo(struct cf_trace *t)
{
	if (t->inst[0]) {
		write_str(t->inst, "tracing_on", "0");
		rmdir(t->inst); /* disables the instance's events and frees its buffers */
	}
	/* Mounted by us: unmount, unless another run has started using it. */
	if (t->mounted && !others_use_it(t))
		umount(TRACEFS);
}

struct cf_trace *cf_trace_start(char *why, size_t whylen)
{
	struct cf_trace *t;
	char pid[32], filter[64];

	if (geteuid() != 0) {
		snprintf(why, whylen, "tracing needs root (a tracefs instance); running as uid %u",
			 (unsigned)geteuid());
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	if (find_tracefs(t, why, whylen) < 0) {
		free(t);
		return NULL;
	}
	snprintf(t->inst, sizeof(t->inst), "%s/instances/cancelfuzz-%ld", t->base, (long)getpid());
	rmdir(t->inst); /* left over by a run that was killed */
	if (mkdir(t->inst, 0700) < 0) {
		snprintf(why, whylen, "cannot create the tracefs instance %s: %s", t->inst,
			 strerror(errno));
		t->inst[0] = '\0';
		undo(t);
		free(t);
		return NULL;
	}
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	write_str(t->inst, "tracing_on", "0");
	write_str(t->inst, "set_event_pid", pid);
	write_str(t->inst, "options/event-fork", "1"); /* threads it starts, too */
	for (size_t i = 0; i < sizeof(aio_calls) / sizeof(aio_calls[0]); i++) {
		char name[64];

		snprintf(name, sizeof(name), "sys_enter_%s", aio_calls[i]);
		enable(t, "syscalls", name, NULL);
		snprintf(name, sizeof(name), "sys_exit_%s", aio_calls[i]);
		enable(t, "syscalls", name, NULL);
	}
	snprintf(filter, sizeof(filter), "common_pid != %ld", (long)getpid());
	for (size_t i = 0; i < sizeof(helper_calls) / sizeof(helper_calls[0]); i++) {
		char name[64];

		snprintf(name, sizeof(name), "sys_enter_%s", helper_calls[i]);
		enable(t, "syscalls", name, filter);
		snprintf(name, sizeof(name), "sys_exit_%s", helper_calls[i]);
		enable(t, "syscalls", name, filter);
	}
	enable_io_uring(t);
	if (t->ntypes == 0) {
		snprintf(why, whylen, "no syscalls:sys_*_io_* or io_uring:* events in %s/events",
			 t->base);
		undo(t);
		free(t);
		return NULL;
	}
	page_layout(t);
	write_str(t->inst, "trace", "");
	write_str(t->inst, "tracing_on", "1");
	return t;
}

static const struct event_type *type_of(const struct cf_trace *t, unsigned id)
{
	for (unsigned i = 0; i < t->ntypes; i++)
		if (t->types[i].id == id)
			return &t->types[i];
	return NULL;
}

static void keep(struct cf_trace *t, uint64_t ts, unsigned cpu, const uint8_t *data, uint32_t len)
{
	struct record *r;

	if (len < 8 || !type_of(t, *(const uint16_t *)data))
		return;
	if (t->nrec == CF_TRACE_MAX_RECORDS) {
		t->dropped++;
		return;
	}
	r = &t->rec[t->nrec];
	r->data = malloc(len);
	if (!r->data) {
		t->dropped++;
		return;
	}
	memcpy(r->data, data, len);
	r->ts = ts;
	r->cpu = cpu;
	r->len = len;
	r->type = *(const uint16_t *)data;
	t->nrec++;
}

static void parse_page(struct cf_trace *t, const uint8_t *page, unsigned cpu)
{
	uint64_t ts, commit = 0;
	unsigned pos = t->data_offset, end;

	memcpy(&ts, page, 8);
	memcpy(&commit, page + t->commit_offset, t->commit_size < 8 ? t->commit_size : 8);
	end = t->data_offset + (unsigned)(commit & 0x3fffffffu); /* bits 30, 31: missed events */
	if (end > t->page_size)
		end = t->page_size;
	while (pos + 4 <= end) {
		uint32_t hdr, len;
		unsigned type_len, delta;

		memcpy(&hdr, page + pos, 4);
		type_len = hdr & 0x1f;
		delta = hdr >> 5;
		if (type_len == 29) { /* padding */
			if (delta == 0 || pos + 8 > end)
				break;
			memcpy(&len, page + pos + 4, 4);
			pos += 4 + len;
			continue;
		}
		if (type_len == 30 || type_len == 31) { /* time extend / absolute stamp */
			uint32_t hi;

			if (pos + 8 > end)
				break;
			memcpy(&hi, page + pos + 4, 4);
			ts = type_len == 30 ? ts + (delta | (uint64_t)hi << 27) : (delta | (uint64_t)hi << 27);
			pos += 8;
			continue;
		}
		ts += delta;
		if (type_len == 0) {
			if (pos + 8 > end)
				break;
			memcpy(&len, page + pos + 4, 4);
			if (len < 4 || pos + 4 + len > end)
				break;
			keep(t, ts, cpu, page + pos + 8, len - 4);
			pos += 4 + len;
		} else {
			len = type_len * 4;
			if (pos + 4 + len > end)
				break;
			keep(t, ts, cpu, page + pos + 4, len);
			pos += 4 + len;
		}
	}
}

static void read_cpus(struct cf_trace *t)
{
	static uint8_t page[MAX_PAGE];
	char dir[300], path[600];
	struct dirent *d;
	DIR *dp;

	snprintf(dir, sizeof(dir), "%s/per_cpu", t->inst);
	dp = opendir(dir);
	while (dp && (d = readdir(dp))) {
		unsigned cpu;
		int fd;

		if (sscanf(d->d_name, "cpu%u", &cpu) != 1)
			continue;
		snprintf(path, sizeof(path), "%s/%s/trace_pipe_raw", dir, d->d_name);
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;
		for (int pages = 0; pages < 4096; pages++) {
			ssize_t n = read(fd, page, t->page_size);

			if (n <= 0)
				break;
			if ((size_t)n < t->page_size)
				memset(page + n, 0, t->page_size - (size_t)n);
			parse_page(t, page, cpu);
		}
		close(fd);
	}
	if (dp)
		closedir(dp);
}

static int by_time(const void *a, const void *b)
{
	const struct record *p = a, *q = b;

	return p->ts < q->ts ? -1 : p->ts > q->ts ? 1 : (int)p->cpu - (int)q->cpu;
}

static void print_field(const struct field *f, const struct record *r, FILE *out)
{
	const uint8_t *d = r->data;
	uint64_t v = 0;

	if (f->offset + f->size > r->len)
		return;
	if (f->data_loc) {
		uint32_t loc;
		unsigned off, len;

		memcpy(&loc, d + f->offset, 4);
		off = loc & 0xffff;
		len = loc >> 16;
		if (off + len <= r->len)
			fprintf(out, " %s=%.*s", f->name, (int)strnlen((const char *)d + off, len), d + off);
		return;
	}
	if (f->is_string) {
		fprintf(out, " %s=%.*s", f->name, (int)strnlen((const char *)d + f->offset, f->size),
			d + f->offset);
		return;
	}
	if (f->size > 8)
		return;
	memcpy(&v, d + f->offset, f->size);
	if (f->is_signed && f->size < 8 && (v >> (f->size * 8 - 1)) & 1)
		v |= ~0ull << (f->size * 8); /* sign-extend */
	if (f->is_pointer)
		fprintf(out, " %s=0x%llx", f->name, (unsigned long long)v);
	else if (f->is_signed)
		fprintf(out, " %s=%lld", f->name, (long long)v);
	else
		fprintf(out, " %s=%llu", f->name, (unsigned long long)v);
}

int cf_trace_finish(struct cf_trace *t, FILE *out, char *why, size_t whylen)
{
	int n;

	write_str(t->inst, "tracing_on", "0");
	t->rec = calloc(CF_TRACE_MAX_RECORDS, sizeof(*t->rec));
	if (!t->rec) {
		snprintf(why, whylen, "out of memory");
		undo(t);
		free(t);
		return -1;
	}
	read_cpus(t);
	undo(t);
	qsort(t->rec, t->nrec, sizeof(t->rec[0]), by_time);
	for (unsigned i = 0; out && i < t->nrec; i++) {
		const struct record *r = &t->rec[i];
		const struct event_type *e = type_of(t, r->type);
		int32_t pid;

		memcpy(&pid, r->data + 4, 4);
		fprintf(out, "trace +%.6f cpu=%u pid=%d %s", (double)(r->ts - t->rec[0].ts) / 1e9,
			r->cpu, pid, e->name);
		for (unsigned k = 0; k < e->nfields; k++)
			print_field(&e->f[k], r, out);
		fputc('\n', out);
	}
	if (out && t->dropped)
		fprintf(out, "# %u more events not kept (limit %d)\n", t->dropped, CF_TRACE_MAX_RECORDS);
	n = (int)t->nrec;
	for (unsigned i = 0; i < t->nrec; i++)
		free(t->rec[i].data);
	free(t->rec);
	free(t);
	return n;
}
