/* Description: programs free of SQPOLL, io-wq and short timers give byte-identical
 * histories run after run: every seed in corpora/seeds and random programs. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rng.h"
#include "executor.h"
#include "input.h"
#include "probe.h"
#include "racy.h"
#include "same_runs.h"
#include "ring.h"

#define RUNS 20

/* Returns 1 if deterministic, 0 if not; skips racy programs (-1). */
static int same_every_time(const struct cf_program *prog, const char *name)
{
	char why[128];

	if (cf_program_racy(prog, why, sizeof(why)))
		return -1;
	return same_every_run(prog, RUNS, name);
}

int main(void)
{
	const char *src = getenv("CF_SOURCE_DIR");
	char dir[4096], path[8192], err[512];
	unsigned seeds = 0, randoms = 0, racy = 0;
	uint64_t rng = 0x2545f4914f6cdd1dull;
	struct dirent **list;
	int n;

	if (!cf_probe()->usable) {
		printf("skip: %s\n", cf_probe()->why);
		return 77;
	}
	snprintf(dir, sizeof(dir), "%s/corpora/seeds", src ? src : ".");
	n = scandir(dir, &list, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		struct cf_program prog;

		snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
		if (cf_is_text_path(path)) {
			if (cf_load_program(path, &prog, err, sizeof(err)) < 0) {
				fprintf(stderr, "%s\n", err);
				cf_failures++;
			} else {
				int d = same_every_time(&prog, path);
				CHECK(d != 0);
				seeds += d == 1;
				racy += d < 0;
			}
		}
		free(list[i]);
	}
	if (n > 0)
		free(list);
	while (randoms < 300) {
		uint8_t bytes[120];
		struct cf_program prog;
		char name[64];
		int d;

		for (size_t k = 0; k < sizeof(bytes); k++)
			bytes[k] = (uint8_t)test_rng_next(&rng);
		cf_decode(bytes, 2 + rng % (sizeof(bytes) - 2), &prog);
		/* Race groups are racy by design (racy.c); ops on actors a1..a3
		 * outside groups are kept: they must be deterministic too. */
		for (unsigned i = 0; i < prog.nops; i++)
			prog.ops[i].group = prog.ops[i].at = 0;
		snprintf(name, sizeof(name), "random program %u", randoms);
		d = same_every_time(&prog, name);
		if (d < 0)
			continue;
		CHECK(d == 1);
		randoms++;
	}
	printf("deterministic: %u seeds and %u random programs x %d runs each; %u racy seeds skipped\n",
	       seeds, randoms, RUNS, racy);
	cf_ring_release_all();
	TEST_EXIT();
}
