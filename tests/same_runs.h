/* Test helper: run one program several times and compare the histories
 * byte for byte. Header-only, like check.h. */
#ifndef CF_TEST_SAME_RUNS_H
#define CF_TEST_SAME_RUNS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "executor.h"
#include "rng.h"

static struct cf_history same_runs_history; /* large: keep it off the stack */

/* A random program of up to max bytes (at most 128) in the given mode. */
static inline void random_program_in_mode(uint64_t *rng, unsigned mode, size_t max, struct cf_program *p)
{
	uint8_t bytes[128];
	size_t len = 2 + test_rng_next(rng) % (max - 2);

	for (size_t k = 0; k < len; k++)
		bytes[k] = (uint8_t)test_rng_next(rng);
	bytes[0] = (uint8_t)mode;
	cf_decode(bytes, len, p);
}

/* The history as text (or why the run failed); malloc'd. */
static inline char *history_text(const struct cf_program *p, size_t *len)
{
	char why[256], *buf = NULL;
	FILE *mem = open_memstream(&buf, len);

	if (cf_execute(p, &same_runs_history, why, sizeof(why)) != CF_RUN_OK)
		fprintf(mem, "run failed: %s\n", why);
	else
		cf_history_write(&same_runs_history, mem);
	fclose(mem);
	return buf;
}

/* Acts' start and end times (history version 3) differ from run to run by
 * nature: cut " t0=N t1=N" out of the text. */
static inline void strip_times(char *text, size_t *len)
{
	char *out = text, *p = text;

	while (*p) {
		if (strncmp(p, " t0=", 4) == 0) {
			p += 4;
			while (*p && *p != '\n')
				p++;
			continue;
		}
		*out++ = *p++;
	}
	*out = '\0';
	*len = (size_t)(out - text);
}

/* 1 if `runs` runs give one history; else 0, and both texts on stderr. */
static inline int same_every_run(const struct cf_program *p, int runs, const char *name)
{
	size_t len0, len;
	char *first = history_text(p, &len0);
	int same = 1;

	strip_times(first, &len0);
	for (int r = 1; r < runs && same; r++) {
		char *again = history_text(p, &len);

		strip_times(again, &len);
		same = len == len0 && memcmp(first, again, len) == 0;
		if (!same)
			fprintf(stderr, "%s: run %d differs from run 0\n--- run 0\n%s--- run %d\n%s",
				name, r, first, r, again);
		free(again);
	}
	free(first);
	return same;
}

#endif
