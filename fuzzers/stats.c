/* The statistics page a campaign's processes share (stats.h). */
#include "stats.h"

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct cf_stats_page *cf_stats_open(const char *path, char *err, size_t errlen)
{
	struct cf_stats_page *s;
	struct stat st;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	/* Growing to the same size from several workers at once is harmless. */
	if ((size_t)st.st_size < sizeof(*s) && ftruncate(fd, (off_t)sizeof(*s)) < 0) {
		snprintf(err, errlen, "%s: cannot size: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (s == MAP_FAILED) {
		snprintf(err, errlen, "%s: cannot map: %s", path, strerror(errno));
		return NULL;
	}
	if (memcmp(s->magic, CF_STATS_MAGIC, sizeof(s->magic)) != 0) {
		int fresh = 1;

		for (size_t i = 0; i < sizeof(s->magic); i++)
			fresh &= s->magic[i] == 0;
		if (!fresh) {
			snprintf(err, errlen, "%s: not a cancelfuzz statistics file", path);
			munmap(s, sizeof(*s));
			return NULL;
		}
		memcpy(s->magic, CF_STATS_MAGIC, sizeof(s->magic));
	}
	return s;
}

static void count(uint64_t *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

void cf_stats_record(struct cf_stats_page *s, const struct cf_outcome *o)
{
	if (!s)
		return;
	count(&s->execs);
	if (o->run == CF_RUN_UNSUPPORTED) {
		count(&s->unsupported);
		return;
	}
	if (o->run == CF_RUN_HARNESS_ERROR) {
		count(&s->harness_errors);
		return;
	}
	for (unsigned i = 0; i < o->nfeatures; i++) {
		unsigned f = o->features[i];

		__atomic_fetch_or(&s->behaviours[f >> 3], (uint8_t)(1u << (f & 7)), __ATOMIC_RELAXED);
	}
	if (o->j.verdict == CF_VERDICT_VIOLATION)
		count(&s->violations);
	else if (o->j.verdict == CF_VERDICT_KNOWN)
		count(&s->known);
	for (unsigned i = 0; i < o->j.nfindings; i++) {
		const char *id = o->j.f[i].divergence;
		unsigned long n;
		char *end;

		if (!id || id[0] != 'D')
			continue;
		n = strtoul(id + 1, &end, 10);
		if (*end == '\0' && n < CF_STATS_DIVERGENCES)
			count(&s->divergence_hits[n]);
	}
}

void cf_stats_close(struct cf_stats_page *s)
{
	if (s)
		munmap(s, sizeof(*s));
}

/* The counters are read as one array of uint64_t, in this order. */
_Static_assert(offsetof(struct cf_stats_page, harness_errors) ==
	       offsetof(struct cf_stats_page, execs) + 4 * sizeof(uint64_t),
	       "stats counters: execs, violations, known, unsupported, harness_errors");

void cf_stats_layout_json(FILE *out)
{
	fprintf(out, "{\"magic\": \"%s\", \"size\": %zu, "
		"\"counters\": [\"execs\", \"violations\", \"known\", \"unsupported\", "
		"\"harness_errors\"], \"counters_offset\": %zu, "
		"\"divergences\": %d, \"divergences_offset\": %zu, "
		"\"behaviours_offset\": %zu, \"behaviours_bytes\": %zu}",
		CF_STATS_MAGIC, sizeof(struct cf_stats_page), offsetof(struct cf_stats_page, execs),
		CF_STATS_DIVERGENCES, offsetof(struct cf_stats_page, divergence_hits),
		offsetof(struct cf_stats_page, behaviours),
		sizeof(((struct cf_stats_page *)0)->behaviours));
}
