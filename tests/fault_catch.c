/* Description: every injected fault is caught. `fault_catch NAME` replays the
 * seed corpus (the .cfp files of corpora/seeds) with fault NAME on and checks that at least
 * one seed gives a new finding on exactly the invariant faults.def maps NAME
 * to, under --spec doc and --spec kernel; that a seed where the fault found no
 * opportunity judges clean; that a faulted history of a non-racy seed is the
 * same run after run and reads back with the same verdict; and that
 * docs/faults.md names the same invariant. `fault_catch none` checks that with
 * no fault no seed gives a new finding and no history has a fault line.
 * Exit 0 pass, 1 fail, 2 usage, 77 io_uring unusable here. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "run.h"
#include "faults.h"
#include "input.h"
#include "probe.h"
#include "racy.h"

#define RACE_TRIES 20 /* runs of a race seed until a race fault fires */
#include "ring.h"

static struct cf_history hist, again; /* large: keep them off the stack */

static const enum cf_spec specs[] = { CF_SPEC_DOC, CF_SPEC_KERNEL };
static const char *const spec_names[] = { "doc", "kernel" };

static const char *source_dir(void)
{
	const char *env = getenv("CF_SOURCE_DIR");

	return env && *env ? env : ".";
}

static char *history_text(const struct cf_history *h, size_t *len)
{
	char *buf = NULL;
	FILE *mem = open_memstream(&buf, len);

	cf_history_write(h, mem);
	fclose(mem);
	return buf;
}

/* The faulted history, written and read back, must judge the same. */
static void check_round_trip(const char *name, enum cf_spec spec, const struct cf_judgement *j)
{
	static struct cf_history back;
	struct cf_judgement j2;
	char err[512], *text;
	size_t len = 0;
	FILE *in;

	text = history_text(&hist, &len);
	in = fmemopen(text, len, "r");
	CHECK(in != NULL);
	if (!in) {
		free(text);
		return;
	}
	if (cf_history_read(in, &back, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: faulted history does not read back: %s\n", name, err);
		cf_failures++;
	} else {
		cf_oracle_check(&back, spec, &j2);
		CHECK_EQ(j2.verdict, j->verdict);
		CHECK_EQ(j2.nfindings, j->nfindings);
		CHECK_STR(j2.fault, j->fault);
	}
	fclose(in);
	free(text);
}

/* Cut " t0=N t1=N" out of a history's text (as tests/same_runs.h does). */
static void strip_act_times(char *text, size_t *len)
{
	char *out = text, *p = text;

	while (*p) {
		if (strncmp(p, " t0=", 4) == 0) {
			while (*p && *p != '\n')
				p++;
			continue;
		}
		*out++ = *p++;
	}
	*out = '\0';
	*len = (size_t)(out - text);
}

/* Same program, same fault: the same history, when the program is not racy. */
static void check_deterministic(const char *name, const struct cf_program *prog)
{
	char why[256], *a, *b;
	size_t la = 0, lb = 0;

	if (cf_program_racy(prog, why, sizeof(why)))
		return;
	a = history_text(&hist, &la);
	if (cf_run_record(prog, &again, why, sizeof(why)) != CF_RUN_OK) {
		fprintf(stderr, "%s: second run failed: %s\n", name, why);
		cf_failures++;
		free(a);
		return;
	}
	b = history_text(&again, &lb);
	strip_act_times(a, &la); /* version 3: acts' times differ by nature (programs with actors) */
	strip_act_times(b, &lb);
	if (la != lb || memcmp(a, b, la) != 0) {
		fprintf(stderr, "%s: the faulted history differs between two runs\n--- run 1\n%s--- run 2\n%s",
			name, a, b);
		cf_failures++;
	}
	free(a);
	free(b);
}

/* The docs/faults.md table row for the fault must name its invariant. */
static void check_doc_row(unsigned fault)
{
	char path[4200], row[128], line[2048];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/docs/faults.md", source_dir());
	snprintf(row, sizeof(row), "| `%s` |", cf_fault_name(fault));
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: cannot open\n", path);
		cf_failures++;
		return;
	}
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, row, strlen(row)) == 0) {
			char inv[96];

			found = 1;
			snprintf(inv, sizeof(inv), "`%s`", cf_invariant_name(cf_fault_invariant(fault)));
			if (!strstr(line, inv)) {
				fprintf(stderr, "docs/faults.md: the row of %s does not name %s\n",
					cf_fault_name(fault), inv);
				cf_failures++;
			}
		}
	fclose(f);
	if (!found) {
		fprintf(stderr, "docs/faults.md has no row starting %s\n", row);
		cf_failures++;
	}
}

int main(int argc, char **argv)
{
	char dir[4200], path[8400], err[512];
	unsigned caught[2] = { 0, 0 }, fired = 0, seeds = 0;
	struct dirent **list;
	int fault, n;

	if (argc != 2 || (fault = cf_fault_lookup(argv[1])) < 0) {
		fprintf(stderr, "usage: fault_catch NAME|none\n");
		if (argc == 2)
			cf_fault_print_unknown(stderr, argv[1]);
		return 2;
	}
	if (!cf_probe()->usable) {
		printf("skip: %s\n", cf_probe()->why);
		return 77;
	}
	cf_fault_select(argv[1]);
	if (fault != CF_FAULT_NONE)
		check_doc_row((unsigned)fault);
	snprintf(dir, sizeof(dir), "%s/corpora/seeds", source_dir());
	n = scandir(dir, &list, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "%s: cannot read\n", dir);
		return 1;
	}
	printf("%s caught on:", argv[1]);
	for (int i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		struct cf_program prog;
		enum cf_run run;
		int hit[2] = { 0, 0 };

		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (!cf_is_text_path(path) || name[0] == '.') {
			free(list[i]);
			continue;
		}
		if (cf_load_program(path, &prog, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			cf_failures++;
			free(list[i]);
			continue;
		}
		if (fault == CF_FAULT_NONE ? cf_mode_family(prog.mode) != CF_FAMILY_URING
					   : !cf_fault_family((unsigned)fault, cf_mode_family(prog.mode))) {
			free(list[i]); /* a fault rewrites the histories of its family only */
			continue;
		}
		seeds++;
		run = cf_run_record(&prog, &hist, err, sizeof(err));
		/* A race seed shows a race fault only when its race went that way:
		 * up to RACE_TRIES runs until the fault fires. */
		for (int t = 1; t < RACE_TRIES && run == CF_RUN_OK && fault != CF_FAULT_NONE &&
				hist.fault_act < 0 && cf_program_has_groups(&prog); t++) {
			struct cf_program swept = prog;

			/* each try one grouped op late by a ramp, as `race` sweeps */
			for (unsigned k = 0, g = 0; k < swept.nops; k++)
				if (swept.ops[k].group)
					swept.ops[k].at = g++ % 2 == (unsigned)t % 2
								  ? (uint8_t)(t * 255 / RACE_TRIES) : 0;
			run = cf_run_record(&swept, &hist, err, sizeof(err));
		}
		if (run != CF_RUN_OK) {
			if (run != CF_RUN_UNSUPPORTED) {
				fprintf(stderr, "%s: %s\n", name, err);
				cf_failures++;
			}
			free(list[i]);
			continue;
		}
		CHECK_STR(hist.fault, fault == CF_FAULT_NONE ? "" : argv[1]);
		fired += hist.fault[0] && hist.fault_act >= 0;
		for (int s = 0; s < 2; s++) {
			struct cf_judgement j;

			cf_oracle_check(&hist, specs[s], &j);
			hit[s] = cf_fault_caught((unsigned)fault, &j);
			caught[s] += hit[s];
			/* No fault, or a fault that found nothing to break: a clean verdict. */
			if ((!hist.fault[0] || hist.fault_act < 0) && j.verdict == CF_VERDICT_VIOLATION) {
				fprintf(stderr, "%s (--spec %s): new finding with %s\n", name, spec_names[s],
					hist.fault[0] ? "a fault that did not fire" : "no fault");
				cf_judgement_print(&j, name, stderr);
				cf_failures++;
			}
			if (hit[s] && hist.fault_act < 0) {
				fprintf(stderr, "%s: caught although the fault says it did not fire\n", name);
				cf_failures++;
			}
			if (hist.fault[0])
				check_round_trip(name, specs[s], &j);
		}
		if (hit[0] || hit[1])
			printf(" %.3s%s", name, hit[0] && hit[1] ? "" : hit[0] ? "(doc only)" : "(kernel only)");
		if (hist.fault[0] && hist.fault_act >= 0)
			check_deterministic(name, &prog);
		free(list[i]);
	}
	free(list);
	printf("\n%u seeds, fault fired on %u, caught on %u (doc) and %u (kernel)\n", seeds, fired,
	       caught[0], caught[1]);
	if (fault != CF_FAULT_NONE && (caught[0] == 0 || caught[1] == 0)) {
		fprintf(stderr, "FAIL: no seed shows fault %s as a new %s finding under --spec %s\n",
			argv[1], cf_invariant_name(cf_fault_invariant((unsigned)fault)),
			caught[0] ? "kernel" : "doc");
		cf_failures++;
	}
	cf_ring_release_all();
	TEST_EXIT();
}
