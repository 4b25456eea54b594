/* The fuzz target every engine runs. One source, chosen by defines:
 *   CF_FUZZ_LIBFUZZER   libFuzzer: behaviour features as extra counters, and the
 *                       op-level custom mutator and cross-over
 *   CF_FUZZ_AFL_MAIN    main() for AFL++: deferred forkserver, persistent loop,
 *                       input through shared memory (needs afl-clang-fast)
 *   CF_FUZZ_STANDALONE  main() runs the files and directories it is given
 *                       (gcc builds, ctest, reproducing an engine's crash)
 *   none of the mains   the engine brings main() ($LIB_FUZZING_ENGINE)
 * Built by afl-clang-fast (__AFL_COMPILER), features also go into the AFL++
 * coverage map. Environment: CF_SPEC=kernel|doc (default kernel),
 * CF_NO_FEEDBACK=1, CF_FEEDBACK_RACY=1, CF_STATS_FILE=PATH, CF_REUSE_RINGS=1
 * (docs/fuzzing.md).
 * A new oracle violation aborts (the engines' crash); known divergences do not.
 * io_uring unusable here: exit 77 at start in every build, so a CI job that
 * can test nothing is never green. */
#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "canonical_mutator.h"
#include "input.h"
#include "probe.h"
#include "racy.h"
#include "ring.h"
#include "stats.h"
#include "signature.h"
#include "target.h"
#include "text.h"

#if defined(CF_FUZZ_AFL_MAIN) && !defined(__AFL_COMPILER)
#error "CF_FUZZ_AFL_MAIN needs afl-clang-fast (or afl-clang-lto) as the compiler"
#endif
#if defined(CF_FUZZ_AFL_MAIN) + defined(CF_FUZZ_STANDALONE) + defined(CF_FUZZ_LIBFUZZER) > 1
#error "choose one of CF_FUZZ_LIBFUZZER, CF_FUZZ_AFL_MAIN, CF_FUZZ_STANDALONE"
#endif

#define CF_AFL_PERSISTENT_RUNS 10000 /* executions before AFL++ forks a fresh process */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct {
	int ready, usable, feedback, feed_racy, reuse_rings;
	enum cf_spec spec;
	struct cf_stats_page *stats;
	const char *input_name; /* set by our own drivers, for the replay hint */
	int harness_error_told;
} fz;

static struct cf_history history;
static struct cf_outcome outcome;

/* ---- behaviour feedback, only for the engine this was built for ---- */

#ifdef CF_FUZZ_LIBFUZZER
/* libFuzzer scans this section after every run and clears it before the next. */
static uint8_t extra_counters[1u << CF_FEATURE_BITS]
	__attribute__((section("__libfuzzer_extra_counters"), used));
#endif

#ifdef __AFL_COMPILER
/* Map entries of their own for the features: 64 Ki extra SanitizerCoverage
 * guards. At startup AFL++'s runtime numbers every guard in this section with
 * a map index and sizes the map to match, before the map size is reported to
 * afl-fuzz. A guard left 0 (afl-clang-lto, AFL_INST_RATIO) falls back to a
 * feature index modulo the edge count. The map pointer and the edge count are
 * looked up by name: C code that names __afl_area_ptr clashes with the
 * declaration the instrumentation pass adds. */
static uint32_t afl_feature_guards[1u << CF_FEATURE_BITS]
	__attribute__((section("__sancov_guards"), used));
static uint8_t **afl_area;
static uint32_t *afl_edges;

static void afl_map_find(void)
{
	afl_area = (uint8_t **)dlsym(RTLD_DEFAULT, "__afl_area_ptr");
	afl_edges = (uint32_t *)dlsym(RTLD_DEFAULT, "__afl_final_loc");
}
#endif

/* Only programs the kernel runs the same way every time feed the engine
 * (harness/program/racy.c): a racy program's features change from run to run, and
 * AFL++ queued each change as new (120 s, one job: 3788 behaviours with every
 * program's features, 7009 with these only, 5431 with none; libFuzzer the
 * same either way). CF_FEEDBACK_RACY=1 feeds racy programs too. */
static int feeds_engine(const uint8_t *data, size_t size)
{
	struct cf_program p;
	char why[128];

	if (!fz.feedback)
		return 0;
	if (fz.feed_racy)
		return 1;
	cf_decode(data, size, &p);
	return !cf_program_racy_on(&p, cf_probe()->iowq_files, why, sizeof(why));
}

static void feed_engine(const struct cf_outcome *o, const uint8_t *data, size_t size)
{
	if (!feeds_engine(data, size))
		return;
#ifdef CF_FUZZ_LIBFUZZER
	for (unsigned i = 0; i < o->nfeatures; i++)
		extra_counters[o->features[i]] = 1;
#endif
#ifdef __AFL_COMPILER
	if (afl_area && *afl_area && afl_edges && *afl_edges)
		for (unsigned i = 0; i < o->nfeatures; i++) {
			uint32_t at = afl_feature_guards[o->features[i]];

			(*afl_area)[at ? at : o->features[i] % *afl_edges]++;
		}
#endif
	(void)o;
}

/* ---- the target ---- */

/* io_uring blocked (seccomp, kernel.io_uring_disabled, no kernel support):
 * every input would be skipped, and the engines would report thousands of
 * clean runs and exit 0. Exit 77 (skip) instead, before the engine starts;
 * an engine that calls neither LLVMFuzzerInitialize nor checks the status
 * still sees the process end at its first input. */
static void refuse_to_run(const char *why)
{
	fprintf(stderr, "cancel_fuzzer: io_uring is not usable here (%s); nothing can be tested, "
		"exit 77\n", why);
	fflush(stderr);
	exit(77);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *spec = getenv("CF_SPEC"), *nofb = getenv("CF_NO_FEEDBACK");
	const char *stats = getenv("CF_STATS_FILE"), *reuse = getenv("CF_REUSE_RINGS");
	const char *racy = getenv("CF_FEEDBACK_RACY");
	const struct cf_features *f;

	(void)argc;
	(void)argv;
	if (fz.ready)
		return 0;
	fz.ready = 1;
	if (spec && strcmp(spec, "kernel") != 0 && strcmp(spec, "doc") != 0) {
		fprintf(stderr, "cancel_fuzzer: CF_SPEC must be 'kernel' or 'doc', not '%s'\n", spec);
		exit(2);
	}
	if (cf_fault_active() < 0) { /* the target injects CF_FAULT: a bad name stops the engine */
		cf_fault_print_unknown(stderr, NULL);
		exit(2);
	}
	fz.spec = spec && strcmp(spec, "doc") == 0 ? CF_SPEC_DOC : CF_SPEC_KERNEL;
	fz.feedback = !(nofb && nofb[0] && strcmp(nofb, "0") != 0);
	fz.reuse_rings = reuse && reuse[0] && strcmp(reuse, "0") != 0;
	/* Rings kept from an earlier input change what the kernel does with this
	 * one (measured: 19 of 22 libFuzzer crashes did not replay alone); fresh
	 * rings cost about 30 % of the executions per second. */
	cf_execute_fresh_rings(!fz.reuse_rings);
	fz.feed_racy = racy && racy[0] && strcmp(racy, "0") != 0;
#ifdef __AFL_COMPILER
	afl_map_find();
#endif
	if (stats && stats[0]) {
		char err[512];

		fz.stats = cf_stats_open(stats, err, sizeof(err));
		if (!fz.stats) {
			fprintf(stderr, "cancel_fuzzer: CF_STATS_FILE: %s\n", err);
			exit(2);
		}
	}
	f = cf_probe();
	fz.usable = f->usable;
	if (!fz.usable)
		refuse_to_run(f->why);
	return 0;
}

static void report_finding(const uint8_t *data, size_t size)
{
	char sig[256];
	struct cf_program p;

	cf_finding_signature(&history, &outcome.j, sig, sizeof(sig));
	cf_decode(data, size, &p);
	fprintf(stderr, "\ncancel_fuzzer: NEW FINDING signature=%s spec=%s\n", sig,
		fz.spec == CF_SPEC_DOC ? "doc" : "kernel");
	cf_judgement_print(&outcome.j, fz.input_name ? fz.input_name : "input", stderr);
	fputs("program:\n", stderr);
	cf_text_print(&p, stderr);
	fprintf(stderr, "reproduce: cancelfuzz replay %s --spec %s\n%s",
		fz.input_name ? fz.input_name : "FILE", fz.spec == CF_SPEC_DOC ? "doc" : "kernel",
		fz.input_name ? "" : "  (FILE: the input the engine saved: libFuzzer crash-*, "
				     "AFL++ crashes/id:*)\n");
	fflush(stderr);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!fz.ready)
		LLVMFuzzerInitialize(NULL, NULL);
	if (!fz.usable)
		return 0;
	cf_target_run(data, size, fz.spec, &outcome, &history);
	cf_stats_record(fz.stats, &outcome);
	if (outcome.run == CF_RUN_HARNESS_ERROR && !fz.harness_error_told) {
		fz.harness_error_told = 1;
		fprintf(stderr, "cancel_fuzzer: harness error (reported once): %s\n", outcome.why);
	}
	if (outcome.run != CF_RUN_OK)
		return 0;
	feed_engine(&outcome, data, size);
	if (outcome.j.verdict == CF_VERDICT_VIOLATION)
		report_finding(data, size);
	return 0;
}

/* ---- libFuzzer's structure-aware mutation ---- */

#ifdef CF_FUZZ_LIBFUZZER
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
				 size_t size2, uint8_t *out, size_t max_out_size, unsigned int seed);

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	uint8_t out[CF_MAX_ENCODED];
	size_t len;

	/* One in four: libFuzzer's byte-level mutation (dictionary, compare
	 * operands), made canonical again; else an op-level edit. */
	if (seed % 4 == 0 && max_size > 0) {
		size = LLVMFuzzerMutate(data, size, max_size);
		len = cf_canonical_bytes(data, size, out, max_size < sizeof(out) ? max_size : sizeof(out));
	} else {
		len = cf_mutate_bytes(data, size, out, max_size < sizeof(out) ? max_size : sizeof(out),
				      seed);
	}
	memcpy(data, out, len);
	return len;
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
				 size_t size2, uint8_t *out, size_t max_out_size, unsigned int seed)
{
	return cf_cross_over_bytes(data1, size1, data2, size2, out, max_out_size, seed);
}
#endif

/* ---- our own drivers ---- */

#if defined(CF_FUZZ_STANDALONE) || defined(CF_FUZZ_AFL_MAIN)
#define RUN_MAX_DEPTH 8

struct run_totals {
	unsigned inputs, bad;
	unsigned long runs; /* times each input runs (libFuzzer's -runs=N) */
};

static void run_path(const char *path, struct run_totals *t, int depth)
{
	struct stat st;
	uint8_t buf[CF_MAX_INPUT];
	size_t len;
	char err[512];

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		struct dirent **list;
		int n = depth < RUN_MAX_DEPTH ? scandir(path, &list, NULL, alphasort) : -1;

		if (n < 0) {
			fprintf(stderr, "%s: cannot read directory%s\n", path,
				depth < RUN_MAX_DEPTH ? "" : " (nested deeper than 8)");
			t->bad++;
			return;
		}
		for (int i = 0; i < n; i++) {
			char child[4096];

			if (!cf_is_sidecar_name(list[i]->d_name) &&
			    snprintf(child, sizeof(child), "%s/%s", path, list[i]->d_name) <
				    (int)sizeof(child))
				run_path(child, t, depth + 1);
			free(list[i]);
		}
		free(list);
		return;
	}
	if (cf_load_engine_input(path, buf, sizeof(buf), &len, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		t->bad++;
		return;
	}
	fz.input_name = path;
	for (unsigned long r = 0; r < t->runs; r++)
		LLVMFuzzerTestOneInput(buf, len);
	fz.input_name = NULL;
	t->inputs++;
}

/* libFuzzer-style options, as reproduce scripts pass them (OSS-Fuzz:
 * -runs=100): -runs=N runs each input N times; any other -flag=value is
 * ignored with a note. Anything else starting with '-' is an error. */
static int driver_option(const char *arg, struct run_totals *t)
{
	const char *eq = strchr(arg, '=');
	char *end;

	if (arg[0] != '-' || arg[1] == '-' || !eq || eq == arg + 1) {
		fprintf(stderr, "cancel_fuzzer: this driver takes files, directories and "
			"libFuzzer's -flag=value options, not '%s'\n", arg);
		return -1;
	}
	if (strncmp(arg, "-runs=", 6) == 0) {
		long n = strtol(eq + 1, &end, 10);

		if (*end || end == eq + 1) {
			fprintf(stderr, "cancel_fuzzer: -runs needs a whole number, not '%s'\n", eq + 1);
			return -1;
		}
		t->runs = n < 1 ? 1 : (unsigned long)n; /* libFuzzer runs each file at least once */
		return 0;
	}
	fprintf(stderr, "cancel_fuzzer: note: ignoring %s (this driver only replays inputs)\n", arg);
	return 0;
}

/* Exit: 0 all ran (a new finding aborts instead), 2 bad argument or input,
 * 77 io_uring unusable here. */
static int run_files(int argc, char **argv)
{
	struct run_totals t = { .runs = 1 };
	int paths = 0;

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] != '-') {
			paths++;
			continue;
		}
		if (driver_option(argv[i], &t) < 0)
			return 2;
	}
	if (!paths) {
		fprintf(stderr, "usage: cancel_fuzzer [-runs=N] FILE|DIR...  (binary inputs or .cfp text)\n");
		return 2;
	}
	LLVMFuzzerInitialize(&argc, &argv); /* exits 77 when io_uring is unusable */
	for (int i = 1; i < argc; i++)
		if (argv[i][0] != '-')
			run_path(argv[i], &t, 0);
	cf_ring_release_all();
	fprintf(stderr, "cancel_fuzzer: ran %u inputs, %u unreadable, no new finding\n", t.inputs,
		t.bad);
	return t.bad ? 2 : 0;
}
#endif

#ifdef CF_FUZZ_STANDALONE
int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: cancel_fuzzer [-runs=N] FILE|DIR...  (binary inputs or .cfp text)\n");
		return 2;
	}
	return run_files(argc, argv);
}
#endif

#ifdef CF_FUZZ_AFL_MAIN
__AFL_FUZZ_INIT();

int main(int argc, char **argv)
{
	unsigned char *buf;

	if (argc > 1)
		return run_files(argc, argv); /* replay, as the standalone driver does */
	/* The probe runs once, before the forkserver; rings are made in each forked
	 * child, never shared with it (a SINGLE_ISSUER ring belongs to its maker). */
	LLVMFuzzerInitialize(&argc, &argv);
	/* Die with the parent, in the forkserver (parent: afl-fuzz) and in each
	 * persistent child (parent: the forkserver). The forkserver runs in a
	 * session of its own and its child sits stopped between inputs, so when
	 * afl-fuzz was killed the child was left stopped forever, with parent 1,
	 * out of reach of any process-group kill. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	__AFL_INIT();
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(CF_AFL_PERSISTENT_RUNS)) {
		int len = __AFL_FUZZ_TESTCASE_LEN;

		LLVMFuzzerTestOneInput(buf, (size_t)len);
	}
	cf_ring_release_all();
	return 0;
}
#endif
