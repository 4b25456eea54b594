/* Findings: minimized by their signature, saved deduplicated and whole. */
#include "findings.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "input.h"
#include "minimize.h"
#include "racy.h"
#include "run.h"
#include "signature.h"
#include "text.h"
#include "version.h"

struct wanted {
	enum cf_spec spec;
	const char *sig;
};

/* Does one run of p show the root cause (first or among the others)? */
static int shows(const struct cf_program *p, const struct wanted *w)
{
	static struct cf_outcome scratch;
	static struct cf_history h;
	uint8_t bytes[CF_MAX_ENCODED];
	size_t len = cf_encode(p, bytes, sizeof(bytes));
	char got[256], also[512];

	cf_target_run(bytes, len, w->spec, &scratch, &h);
	if (scratch.run != CF_RUN_OK || scratch.j.verdict != CF_VERDICT_VIOLATION)
		return 0;
	cf_finding_signature(&h, &scratch.j, got, sizeof(got));
	if (strcmp(got, w->sig) == 0)
		return 1;
	cf_finding_also(&h, &scratch.j, also, sizeof(also));
	return cf_word_in(also, w->sig);
}

/* Keep a smaller program only if it still shows the root cause; a racy one
 * must show it in RACY_KEEP of RACY_RUNS runs, so that minimizing does not
 * trade the finding for another one that happened to show once. */
#define RACY_RUNS 3
#define RACY_KEEP 2
static int reproduces(const struct cf_program *p, void *ctx)
{
	unsigned hits = 0;

	if (!shows(p, ctx))
		return 0;
	if (!cf_program_racy(p, NULL, 0))
		return 1;
	for (unsigned i = 1; i < RACY_RUNS && hits + 1 < RACY_KEEP; i++)
		hits += (unsigned)shows(p, ctx);
	return hits + 1 >= RACY_KEEP;
}

/* In a cold run's child (cf_run_cold): did it show the root cause? */
static int shows_cold(int code, enum cf_run run, const struct cf_history *h,
		      const struct cf_judgement *j, const char *why, void *arg)
{
	const struct wanted *w = arg;
	char got[256], also[512];

	(void)code;
	(void)why;
	if (run != CF_RUN_OK || j->verdict != CF_VERDICT_VIOLATION)
		return 0;
	cf_finding_signature(h, j, got, sizeof(got));
	if (strcmp(got, w->sig) == 0)
		return 1;
	cf_finding_also(h, j, also, sizeof(also));
	return cf_word_in(also, w->sig);
}

/* A race finding's hit rate, measured after minimizing, for its .verdict:
 * in cold runs (cf_run_cold), each a forked child with its own ring and
 * actor threads, which is how `replay --tries` runs each try. Measured in
 * this warm process instead, the rate was up to 20 times that of the
 * replay's tries, and the tries printed too few (docs/benchmarks.md). */
#define RACE_RATE_RUNS 20
/* Any other finding is confirmed by as many cold runs: one that shows in
 * none of them showed once, under that moment's load (the SQPOLL and
 * DRAIN teardown class of campaigns 35-60). */
#define CONFIRM_RUNS 5
static struct {
	char sig[256];
	unsigned hits, runs;
	uint8_t at[CF_ACTORS];
} race_rate;

/* P(at least `hits` of `runs` show) when each shows with probability p. */
static double at_least(unsigned hits, unsigned runs, double p)
{
	double term = 1, sum = 0; /* term: C(runs, k) p^k (1-p)^(runs-k), built up from k = 0 */

	for (unsigned k = 0; k < runs; k++)
		term *= 1 - p;
	for (unsigned k = 0; k <= runs; k++) {
		if (k >= hits)
			sum += term;
		if (k < runs)
			term *= (double)(runs - k) / (k + 1) * (p / (1 - p));
	}
	return sum;
}

unsigned cf_race_tries(unsigned hits, unsigned runs)
{
	double lo = 0, hi = 1, miss = 1;

	if (runs == 0 || hits == 0)
		return CF_RACE_TRIES_MAX;
	if (hits > runs)
		hits = runs;
	/* The one-sided 95% lower bound of p (Clopper-Pearson), the p at
	 * which `hits` of `runs` is a 5% chance. */
	for (int i = 0; i < 60; i++) {
		double mid = (lo + hi) / 2;

		if (at_least(hits, runs, mid) < 0.05)
			lo = mid;
		else
			hi = mid;
	}
	/* (1 - p)^T <= 0.05: T tries show it at least once in 95 of 100
	 * replays, at a rate that drifted CF_RACE_DRIFT times lower */
	lo /= CF_RACE_DRIFT;
	for (unsigned t = 1; t < CF_RACE_TRIES_MAX; t++) {
		miss *= 1 - lo;
		if (miss <= 0.05)
			return t;
	}
	return CF_RACE_TRIES_MAX;
}

unsigned cf_minimize_finding(struct cf_program *p, enum cf_spec spec, const char *sig,
			     unsigned budget)
{
	struct wanted w = { spec, sig };
	unsigned execs = cf_minimize(p, reproduces, &w, budget);

	unsigned runs = cf_program_has_groups(p) ? RACE_RATE_RUNS : CONFIRM_RUNS;

	memset(&race_rate, 0, sizeof(race_rate));
	snprintf(race_rate.sig, sizeof(race_rate.sig), "%s", sig);
	for (unsigned i = 0; i < p->nops; i++)
		if (p->ops[i].group)
			race_rate.at[p->ops[i].actor] = p->ops[i].at;
	for (race_rate.runs = 0; race_rate.runs < runs; race_rate.runs++) {
		int shown = cf_run_cold(p, spec, shows_cold, &w);

		if (shown < 0) { /* no cold run here (fork failed): not measured */
			race_rate.runs = race_rate.hits = 0;
			break;
		}
		race_rate.hits += shown == 1;
		if (race_rate.hits && !cf_program_has_groups(p))
			break; /* confirmed; only a race's rate is worth the runs */
	}
	return execs + race_rate.runs;
}

int cf_finding_unconfirmed(const char *sig)
{
	return strcmp(race_rate.sig, sig) == 0 && race_rate.runs && !race_rate.hits;
}

/* mkdir -p: the default directories (fuzz-out/...) may not exist yet. */
static int make_dirs(const char *dir)
{
	char path[4096];

	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = path + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(path, 0755) < 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	return mkdir(path, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

int cf_save_finding_history(const char *dir, const char *sig, const struct cf_history *h,
			    char *err, size_t errlen)
{
	char path[4200], *text = NULL;
	size_t tlen = 0;
	struct stat st;
	FILE *mem;
	int ret;

	if (make_dirs(dir) < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/finding-%016llx.verdict", dir,
		 (unsigned long long)cf_hash64(sig, strlen(sig)));
	if (stat(path, &st) == 0)
		return 0;
	mem = open_memstream(&text, &tlen);
	if (!mem || cf_history_write(h, mem) < 0 || fclose(mem) != 0) {
		snprintf(err, errlen, "the history of finding %s cannot be formatted", sig);
		free(text);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/finding-%016llx.history", dir,
		 (unsigned long long)cf_hash64(sig, strlen(sig)));
	ret = cf_write_file_atomic(path, text, tlen, err, errlen) < 0 ? -1 : 1;
	free(text);
	return ret;
}

int cf_save_finding(const char *dir, const struct cf_program *p, const char *sig,
		    const struct cf_judgement *j, const char *engine, char *err, size_t errlen)
{
	uint8_t bytes[CF_MAX_ENCODED];
	size_t len = cf_encode(p, bytes, sizeof(bytes));
	char base[4096], path[4200], *text = NULL;
	size_t tlen = 0;
	struct stat st;
	FILE *mem;

	if (make_dirs(dir) < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(base, sizeof(base), "%s/finding-%016llx", dir,
		 (unsigned long long)cf_hash64(sig, strlen(sig)));
	snprintf(path, sizeof(path), "%s.verdict", base);
	if (stat(path, &st) == 0)
		return 0; /* this signature was saved before */
	snprintf(path, sizeof(path), "%s.bin", base);
	if (cf_write_file_atomic(path, bytes, len, err, errlen) < 0)
		return -1;
	mem = open_memstream(&text, &tlen);
	cf_text_print(p, mem);
	fclose(mem);
	snprintf(path, sizeof(path), "%s.cfp", base);
	if (cf_write_file_atomic(path, text, tlen, err, errlen) < 0) {
		free(text);
		return -1;
	}
	free(text);
	mem = open_memstream(&text, &tlen);
	fprintf(mem, "signature %s\nengine %s\nharness cancelfuzz %s commit %s\n", sig, engine,
		cf_version, cf_commit);
	if (cf_program_has_groups(p) && strcmp(race_rate.sig, sig) == 0) {
		unsigned tries = cf_race_tries(race_rate.hits, race_rate.runs);

		fprintf(mem, "race: shown in %u of %u runs at offsets a0=%u a1=%u a2=%u a3=%u\n"
			"replay: cancelfuzz replay --tries %u%s%s %s.bin\n", race_rate.hits,
			race_rate.runs, race_rate.at[0], race_rate.at[1], race_rate.at[2],
			race_rate.at[3], tries, j->fault[0] ? " --fault " : "", j->fault, base);
	} else {
		if (cf_finding_unconfirmed(sig))
			fprintf(mem, "unconfirmed: shown in 0 of %u cold runs after the execution that found it\n",
				race_rate.runs);
		fprintf(mem, "replay: cancelfuzz replay%s%s %s.bin\n", j->fault[0] ? " --fault " : "",
			j->fault, base);
	}
	cf_judgement_print(j, "finding", mem);
	fclose(mem);
	/* The verdict goes last: its presence marks a complete finding. */
	snprintf(path, sizeof(path), "%s.verdict", base);
	if (cf_write_file_atomic(path, text, tlen, err, errlen) < 0) {
		free(text);
		return -1;
	}
	free(text);
	return 1;
}

const char *cf_findings_fallback_dir(void)
{
	static char dir[4096];
	const char *env = getenv("CF_FINDINGS_FALLBACK"), *tmp = getenv("TMPDIR");

	if (env && env[0])
		return env;
	snprintf(dir, sizeof(dir), "%s/cancelfuzz-findings-%d", tmp && tmp[0] ? tmp : "/tmp",
		 (int)getpid());
	return dir;
}

/* The last resort: the finding on stderr, as bytes in hex and as text. */
static void dump_finding(const struct cf_program *p, const char *sig, const struct cf_judgement *j)
{
	uint8_t bytes[CF_MAX_ENCODED];
	size_t len = cf_encode(p, bytes, sizeof(bytes));

	fprintf(stderr, "FINDING NOT SAVED TO DISK: signature %s, harness cancelfuzz %s commit %s\n"
		"bytes (hex; xxd -r -p turns them back into a .bin):\n", sig, cf_version, cf_commit);
	for (size_t i = 0; i < len; i++)
		fprintf(stderr, "%02x%s", bytes[i], i + 1 == len || i % 32 == 31 ? "\n" : "");
	fputs("program:\n", stderr);
	cf_text_print(p, stderr);
	cf_judgement_print(j, "finding", stderr);
	fflush(stderr);
}

int cf_save_finding_anywhere(const char *dir, const struct cf_program *p, const char *sig,
			     const struct cf_judgement *j, const char *engine, struct cf_saved *out)
{
	const char *fallback = cf_findings_fallback_dir();
	char err2[512];
	int saved;

	memset(out, 0, sizeof(*out));
	snprintf(out->where, sizeof(out->where), "%s", dir);
	saved = cf_save_finding(dir, p, sig, j, engine, out->err, sizeof(out->err));
	if (saved >= 0)
		return saved;
	out->fallback = 1;
	snprintf(out->where, sizeof(out->where), "%s", fallback);
	saved = cf_save_finding(fallback, p, sig, j, engine, err2, sizeof(err2));
	if (saved >= 0)
		return saved;
	snprintf(out->where, sizeof(out->where), "stderr");
	fprintf(stderr, "cannot save a finding in %s (%s) nor in %s (%s)\n", dir, out->err, fallback,
		err2);
	dump_finding(p, sig, j);
	return 1;
}

int cf_prepare_out_dir(const char *who, const char *dir, char *err, size_t errlen)
{
	char probe[4200];
	struct stat st;
	struct statvfs vfs;
	int fd;

	if (make_dirs(dir) < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", dir, strerror(errno));
		return -1;
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: not a directory", dir);
		return -1;
	}
	/* access(W_OK) says yes to root on a read-only mount: create a file. */
	snprintf(probe, sizeof(probe), "%s/.cf-write-probe.tmp.%d", dir, (int)getpid());
	fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "%s: not writable: %s", dir, strerror(errno));
		return -1;
	}
	close(fd);
	unlink(probe);
	if (statvfs(dir, &vfs) == 0 && (unsigned long long)vfs.f_bavail * vfs.f_frsize < (1u << 20))
		fprintf(stderr, "%s: warning: %s: only %llu KiB free\n", who, dir,
			(unsigned long long)vfs.f_bavail * vfs.f_frsize / 1024);
	return 0;
}
