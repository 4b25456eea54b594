/* Replays every corpus program RUNS times (default 1000) and reports, per
 * program, how many distinct histories and verdicts it gave. Non-racy
 * programs must give one history; racy ones get a histogram. Not a test:
 * scripts/bench/bench_determinism.sh runs it and writes docs/benchmarks.md. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "executor.h"
#include "input.h"
#include "oracle.h"
#include "racy.h"
#include "ring.h"

#define MAX_OUTCOMES 32
#define MAX_FILES 256
#define BUDGET_S 20.0 /* per program: slow ones (SQPOLL stuck until teardown) get fewer runs */

struct outcome {
	uint64_t hash;
	unsigned count;
};

static struct cf_history h;

static uint64_t fnv64(const char *s, size_t n)
{
	uint64_t x = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		x = (x ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return x;
}

static int by_count(const void *a, const void *b)
{
	const struct outcome *x = a, *y = b;

	return (int)y->count - (int)x->count;
}

/* One program: prints its line, adds to the totals. Returns 0, or -1 when
 * it cannot run here. */
static int measure(const char *path, unsigned runs, unsigned long *det_runs,
		   unsigned long *det_same, unsigned *racy_programs)
{
	struct outcome seen[MAX_OUTCOMES];
	unsigned nseen = 0, other = 0, verdicts[3] = { 0 };
	struct cf_program prog;
	struct timespec t0, t;
	char err[256], why[256];
	int racy;

	if (cf_load_program(path, &prog, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	racy = cf_program_racy(&prog, why, sizeof(why));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned r = 0; r < runs; r++) {
		struct cf_judgement j;
		char *text = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&text, &len);
		uint64_t hash;
		unsigned k;

		if (cf_execute(&prog, &h, why, sizeof(why)) != CF_RUN_OK) {
			fclose(mem);
			free(text);
			printf("%s skipped: %s\n", path, why);
			return -1;
		}
		cf_oracle_check(&h, CF_SPEC_KERNEL, &j);
		/* An act's start and end (history version 3: programs with
		 * actors) are clock readings, different in every run: the
		 * outcome is the rest (the verdict above read them) */
		for (unsigned a = 0; a < h.nacts; a++)
			h.acts[a].t0 = h.acts[a].t1 = 0;
		cf_history_write(&h, mem);
		fclose(mem);
		hash = fnv64(text, len);
		free(text);
		verdicts[j.verdict]++;
		for (k = 0; k < nseen && seen[k].hash != hash; k++)
			;
		if (k < nseen)
			seen[k].count++;
		else if (nseen < MAX_OUTCOMES)
			seen[nseen++] = (struct outcome){ hash, 1 };
		else
			other++;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec + (t.tv_nsec - t0.tv_nsec) / 1e9 > BUDGET_S) {
			runs = r + 1;
			break;
		}
	}
	if (!racy) {
		*det_runs += runs;
		*det_same += seen[0].count; /* identical to the first run */
	} else {
		(*racy_programs)++;
	}
	qsort(seen, nseen, sizeof(seen[0]), by_count);
	printf("%s racy=%d runs=%u distinct=%u%s pass=%u known=%u violation=%u histogram=",
	       strrchr(path, '/') ? strrchr(path, '/') + 1 : path, racy, runs, nseen,
	       other ? "+" : "", verdicts[CF_VERDICT_PASS], verdicts[CF_VERDICT_KNOWN],
	       verdicts[CF_VERDICT_VIOLATION]);
	for (unsigned k = 0; k < nseen && k < 5; k++)
		printf("%s%u", k ? "/" : "", seen[k].count);
	if (nseen > 5 || other)
		printf("/...");
	printf("\n");
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	unsigned runs = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 1000;
	unsigned long det_runs = 0, det_same = 0;
	unsigned racy_programs = 0, programs = 0;
	char *files[MAX_FILES];
	unsigned nfiles = 0;

	if (runs == 0 || argc < 3) {
		fprintf(stderr, "usage: bench_determinism RUNS DIR...\n");
		return 2;
	}
	for (int d = 2; d < argc; d++) {
		DIR *dir = opendir(argv[d]);
		struct dirent *e;

		if (!dir) {
			perror(argv[d]);
			return 2;
		}
		while ((e = readdir(dir)) && nfiles < MAX_FILES) {
			size_t n = strlen(e->d_name);
			char *path;

			if (n < 5 || strcmp(e->d_name + n - 4, ".cfp") != 0)
				continue;
			if (asprintf(&path, "%s/%s", argv[d], e->d_name) < 0)
				return 3;
			files[nfiles++] = path;
		}
		closedir(dir);
	}
	qsort(files, nfiles, sizeof(files[0]), cmp_str);
	for (unsigned i = 0; i < nfiles; i++) {
		programs += measure(files[i], runs, &det_runs, &det_same, &racy_programs) == 0;
		free(files[i]);
	}
	cf_ring_release_all();
	printf("summary programs=%u racy=%u deterministic_runs=%lu identical=%lu share=%.4f\n",
	       programs, racy_programs, det_runs, det_same,
	       det_runs ? (double)det_same / det_runs : 0.0);
	return 0;
}
