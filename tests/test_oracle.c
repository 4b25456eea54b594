/* Description: oracle self-tests on stored histories (tests/histories/), each
 * judged under both --spec doc and --spec kernel. No io_uring.
 *   pass-*.history                 recorded on a real kernel: PASS or KNOWN, no new finding
 *   fail-<invariant>--<what>       a corrupted copy: VIOLATION with a new finding
 *                                  naming <invariant>
 *   xfail-<invariant>--<what>      a corruption the oracle does not yet name with
 *                                  <invariant> (a known gap); when it does, the file
 *                                  must be renamed fail-... (the test says so)
 *   malformed-*.history            cf_history_read refuses it with "line N: ...";
 *                                  "(expect: line N)" in its first line pins N
 * Every invariant of invariants.def needs a fail- or xfail- file. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "history.h"
#include "oracle.h"

#define MAX_FILES 512
#define SUFFIX ".history"

static struct cf_history hist; /* large: keep it off the stack */
static struct cf_judgement judge;

static const enum cf_spec specs[] = { CF_SPEC_DOC, CF_SPEC_KERNEL };
static const char *const spec_names[] = { "doc", "kernel" };

static unsigned n_pass, n_fail, n_xfail, n_malformed, n_judged;
static unsigned fail_cover[CF_INV__COUNT], xfail_cover[CF_INV__COUNT];

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Source root: CF_SOURCE_DIR (set by ctest), else the directory above this file. */
static void source_dir(char *out, size_t len)
{
	const char *env = getenv("CF_SOURCE_DIR");
	const char *slash;

	if (env && *env) {
		snprintf(out, len, "%s", env);
		return;
	}
	slash = strrchr(__FILE__, '/');
	if (!slash) {
		snprintf(out, len, "..");
		return;
	}
	snprintf(out, len, "%.*s/..", (int)(slash - __FILE__), __FILE__);
}

static int invariant_by_name(const char *name, size_t len)
{
	for (unsigned i = 0; i < CF_INV__COUNT; i++) {
		const char *n = cf_invariant_name(i);

		if (strlen(n) == len && strncmp(n, name, len) == 0)
			return (int)i;
	}
	return -1;
}

/* "fail-<invariant>--<what>.history": the invariant, or -1 with a complaint. */
static int invariant_of(const char *file, const char *prefix)
{
	const char *start = file + strlen(prefix), *sep = strstr(start, "--");
	int inv;

	if (!sep || sep == start || strlen(sep) <= 2 + strlen(SUFFIX)) {
		fprintf(stderr, "%s: name is not %s<invariant>--<what>%s\n", file, prefix, SUFFIX);
		cf_failures++;
		return -1;
	}
	inv = invariant_by_name(start, (size_t)(sep - start));
	if (inv < 0) {
		fprintf(stderr, "%s: '%.*s' is not an invariant of invariants.def\n", file,
			(int)(sep - start), start);
		cf_failures++;
	}
	return inv;
}

static void print_judgement(const char *file, unsigned s)
{
	fprintf(stderr, "  --spec %s: ", spec_names[s]);
	cf_judgement_print(&judge, file, stderr);
}

static unsigned new_findings(unsigned *with_inv, int inv)
{
	unsigned n = 0;

	*with_inv = 0;
	for (unsigned i = 0; i < judge.nfindings; i++) {
		if (judge.f[i].divergence)
			continue;
		n++;
		*with_inv += inv >= 0 && judge.f[i].invariant == (unsigned)inv;
	}
	return n;
}

/* The "line N" a malformed file pins in its first line, or 0. */
static unsigned expected_line(const char *text)
{
	const char *nl = strchr(text, '\n'), *p = strstr(text, "(expect: line ");

	if (!p || (nl && p > nl))
		return 0;
	return (unsigned)strtoul(p + strlen("(expect: line "), NULL, 10);
}

static void check_malformed(const char *file, FILE *in)
{
	char err[256] = "", first[512] = "", want[32];
	unsigned line;
	int rc;

	n_malformed++;
	if (!fgets(first, sizeof(first), in))
		first[0] = '\0';
	rewind(in);
	rc = cf_history_read(in, &hist, err, sizeof(err));
	if (rc != -1) {
		fprintf(stderr, "%s: malformed history was accepted (rc %d)\n", file, rc);
		cf_failures++;
		return;
	}
	if (strncmp(err, "line ", 5) != 0 || !isdigit((unsigned char)err[5]) ||
	    !strstr(err, ": ") || strlen(strstr(err, ": ")) < 3) {
		fprintf(stderr, "%s: error does not name the line: \"%s\"\n", file, err);
		cf_failures++;
		return;
	}
	line = expected_line(first);
	if (line) {
		snprintf(want, sizeof(want), "line %u: ", line);
		if (strncmp(err, want, strlen(want)) != 0) {
			fprintf(stderr, "%s: error \"%s\" does not start with \"%s\"\n", file, err, want);
			cf_failures++;
		}
	}
}

static void check_judged(const char *file, FILE *in)
{
	char err[256] = "";
	int pass = strncmp(file, "pass-", 5) == 0, fail = strncmp(file, "fail-", 5) == 0;
	int inv = -1;

	if (!pass)
		inv = invariant_of(file, fail ? "fail-" : "xfail-");
	if (cf_history_read(in, &hist, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s: cannot be read: %s\n", file, err);
		cf_failures++;
		return;
	}
	if (pass)
		n_pass++;
	else if (fail)
		n_fail++;
	else
		n_xfail++;
	if (!pass && inv < 0)
		return;
	if (fail)
		fail_cover[inv]++;
	else if (!pass)
		xfail_cover[inv]++;
	for (unsigned s = 0; s < 2; s++) {
		unsigned with_inv, nnew;

		cf_oracle_check(&hist, specs[s], &judge);
		n_judged++;
		nnew = new_findings(&with_inv, inv);
		if (pass && (judge.verdict == CF_VERDICT_VIOLATION || nnew || judge.dropped)) {
			fprintf(stderr, "%s: recorded history judged a violation\n", file);
			print_judgement(file, s);
			cf_failures++;
		} else if (fail && (judge.verdict != CF_VERDICT_VIOLATION || !with_inv)) {
			fprintf(stderr, "%s: expected a new %s finding\n", file, cf_invariant_name(inv));
			print_judgement(file, s);
			cf_failures++;
		} else if (!pass && !fail && with_inv) {
			fprintf(stderr, "%s: the oracle now reports %s here: rename it fail-%s\n",
				file, cf_invariant_name(inv), file + strlen("xfail-"));
			print_judgement(file, s);
			cf_failures++;
		}
		CHECK(judge.checks > 0);
	}
}

int main(void)
{
	char root[4096], dir[4200], path[4600];
	char *files[MAX_FILES];
	unsigned nfiles = 0, uncovered = 0;
	struct dirent *e;
	DIR *d;

	source_dir(root, sizeof(root));
	snprintf(dir, sizeof(dir), "%s/tests/histories", root);
	d = opendir(dir);
	if (!d) {
		perror(dir);
		return 1;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		if (len <= strlen(SUFFIX) || strcmp(e->d_name + len - strlen(SUFFIX), SUFFIX) != 0) {
			fprintf(stderr, "%s/%s: not a %s file\n", dir, e->d_name, SUFFIX);
			cf_failures++;
			continue;
		}
		if (nfiles == MAX_FILES) {
			fprintf(stderr, "%s: more than %d histories\n", dir, MAX_FILES);
			cf_failures++;
			break;
		}
		files[nfiles] = strdup(e->d_name);
		if (!files[nfiles]) {
			perror("strdup");
			return 1;
		}
		nfiles++;
	}
	closedir(d);
	qsort(files, nfiles, sizeof(files[0]), by_name);

	for (unsigned i = 0; i < nfiles; i++) {
		const char *f = files[i];
		FILE *in;

		snprintf(path, sizeof(path), "%s/%s", dir, f);
		in = fopen(path, "r");
		if (!in) {
			perror(path);
			cf_failures++;
			continue;
		}
		if (strncmp(f, "malformed-", 10) == 0)
			check_malformed(f, in);
		else if (strncmp(f, "pass-", 5) == 0 || strncmp(f, "fail-", 5) == 0 ||
			 strncmp(f, "xfail-", 6) == 0)
			check_judged(f, in);
		else {
			fprintf(stderr, "%s: name starts with none of pass-, fail-, xfail-, malformed-\n", f);
			cf_failures++;
		}
		fclose(in);
		free(files[i]);
	}

	/* Every registered divergence carries a condition (conditions.c), and
	 * a condition refuses a history that shows nothing of it. */
	CHECK(cf_divergence_count() > 0);
	memset(&hist, 0, sizeof(hist));
	for (unsigned i = 0; i < cf_divergence_count(); i++) {
		const char *id = cf_divergence_id_at(i);

		if (!cf_divergence_has_condition(id)) {
			fprintf(stderr, "registry %s has no condition in oracles/conditions.c\n", id);
			cf_failures++;
		}
		CHECK(cf_divergence_condition(id, &hist, -1, -1) != NULL);
	}
	CHECK_STR(cf_divergence_condition("D99", &hist, -1, -1), "the registry entry has a condition");

	CHECK(n_pass > 0);
	CHECK(n_fail > 0);
	CHECK(n_malformed > 0);
	for (unsigned i = 0; i < CF_INV__COUNT; i++) {
		if (fail_cover[i])
			continue;
		if (xfail_cover[i]) {
			fprintf(stderr, "note: %s has only xfail- histories (oracle gap)\n",
				cf_invariant_name(i));
			continue;
		}
		fprintf(stderr, "%s: no fail- or xfail- history in tests/histories/\n",
			cf_invariant_name(i));
		uncovered++;
		cf_failures++;
	}
	{
		unsigned covered = 0;

		for (unsigned i = 0; i < CF_INV__COUNT; i++)
			covered += fail_cover[i] > 0;
		printf("test_oracle: %u pass, %u fail (%u/%u invariants), %u xfail, %u malformed; "
		       "%u judgements; %u uncovered; %d problem(s)\n",
		       n_pass, n_fail, covered, (unsigned)CF_INV__COUNT, n_xfail, n_malformed,
		       n_judged, uncovered, cf_failures);
	}
	TEST_EXIT();
}
