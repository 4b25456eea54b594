/* Triage of engine findings for scripts/fuzz (format: docs/fuzzing.md). */
#include "triage.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "findings.h"
#include "input.h"
#include "probe.h"
#include "ring.h"
#include "signature.h"
#include "target.h"

#define TRIAGE_MAX_TRIES 100
#define TRIAGE_MAX_DEPTH 4

struct triage {
	enum cf_spec spec;
	const char *out_dir, *engine;
	unsigned tries, budget;
	int worst; /* exit code so far */
	unsigned inputs;
};

static struct cf_history history;
static struct cf_outcome outcome;

static void usage(void)
{
	fprintf(stderr,
		"usage: cancelfuzz triage --out DIR [--spec doc|kernel] [--engine NAME]\n"
		"                         [--tries N] [--budget N] FILE|DIR...\n"
		"  --out DIR     new findings are minimized and saved here, one per signature\n"
		"  --spec        oracle level (default kernel, as the fuzz targets use)\n"
		"  --engine NAME recorded in each finding's .verdict (default triage)\n"
		"  --tries N     runs before an input counts as not reproducing (1..%d, default 5)\n"
		"  --budget N    executions the minimizer may spend per finding (default 400)\n"
		"Prints one JSON object per input. Exit: 0 no violation, 1 violations,\n"
		"2 usage or unreadable input, 3 harness error, 77 io_uring unusable here.\n",
		TRIAGE_MAX_TRIES);
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_field(const char *key, const char *value, int last)
{
	json_string(key);
	putchar(':');
	json_string(value);
	fputs(last ? "}\n" : ",", stdout);
}

static void report_plain(struct triage *t, const char *path, const char *result,
			 const char *why, int code)
{
	t->worst = cf_exit_worse(t->worst, code);
	putchar('{');
	json_field("input", path, 0);
	json_field("result", result, 0);
	json_field("why", why, 1);
}

static void judgement_text(const struct cf_judgement *j, char *buf, size_t len)
{
	FILE *mem = fmemopen(buf, len, "w");

	buf[0] = '\0';
	if (!mem)
		return;
	cf_judgement_print(j, "input", mem);
	fclose(mem);
	buf[len - 1] = '\0';
}

static void triage_file(struct triage *t, const char *path)
{
	uint8_t bytes[CF_MAX_INPUT];
	size_t len;
	char err[512], sig[256] = "", also[512] = "", verdict[4096], finding[4200] = "", ids[256] = "";
	unsigned tried = 0;
	int saved = -1;
	struct cf_program p;
	struct cf_saved where = { 0 };

	t->inputs++;
	if (cf_load_engine_input(path, bytes, sizeof(bytes), &len, err, sizeof(err)) < 0) {
		report_plain(t, path, "bad-input", err, CF_EXIT_BAD_INPUT);
		return;
	}
	/* A racy violation may need several runs to show again. */
	do {
		cf_target_run(bytes, len, t->spec, &outcome, &history);
		tried++;
	} while (tried < t->tries && outcome.run == CF_RUN_OK &&
		 outcome.j.verdict != CF_VERDICT_VIOLATION);
	if (outcome.run == CF_RUN_UNSUPPORTED) {
		report_plain(t, path, "unsupported", outcome.why, CF_EXIT_UNSUPPORTED);
		return;
	}
	if (outcome.run == CF_RUN_HARNESS_ERROR) {
		report_plain(t, path, "harness-error", outcome.why, CF_EXIT_HARNESS);
		return;
	}
	for (unsigned i = 0; i < outcome.j.nfindings; i++) {
		const char *id = outcome.j.f[i].divergence;

		if (id && !strstr(ids, id) && strlen(ids) + strlen(id) + 2 < sizeof(ids)) {
			strcat(ids, ids[0] ? " " : "");
			strcat(ids, id);
		}
	}
	judgement_text(&outcome.j, verdict, sizeof(verdict));
	cf_decode(bytes, len, &p);
	if (outcome.j.verdict == CF_VERDICT_VIOLATION) {
		struct cf_judgement j = outcome.j;

		cf_finding_signature(&history, &outcome.j, sig, sizeof(sig));
		cf_finding_also(&history, &outcome.j, also, sizeof(also));
		cf_minimize_finding(&p, t->spec, sig, t->budget);
		/* Never lost: a finding --out refuses goes to the fallback folder
		 * (or stderr), and "write_error" says why. */
		saved = cf_save_finding_anywhere(t->out_dir, &p, sig, &j, t->engine, &where);
		if (strcmp(where.where, "stderr") != 0)
			snprintf(finding, sizeof(finding), "%s/finding-%016llx", where.where,
				 (unsigned long long)cf_hash64(sig, strlen(sig)));
		t->worst = cf_exit_worse(t->worst, CF_EXIT_VIOLATION);
	}
	putchar('{');
	json_field("input", path, 0);
	json_field("result", outcome.j.verdict == CF_VERDICT_VIOLATION ? "violation"
			     : outcome.j.verdict == CF_VERDICT_KNOWN ? "known" : "pass", 0);
	json_field("signature", sig, 0);
	json_field("also", also, 0);
	json_field("mode", cf_mode_name(history.mode), 0);
	json_field("divergences", ids, 0);
	json_field("finding", finding, 0);
	json_field("saved", saved == 1 ? "new" : saved == 0 ? "before" : "", 0);
	json_field("write_error", where.fallback ? where.err : "", 0);
	json_field("fault", outcome.j.fault, 0);
	printf("\"tries\":%u,\"ops\":%u,", tried, (unsigned)p.nops);
	json_field("verdict", verdict, 1);
	fflush(stdout);
}

static void triage_path(struct triage *t, const char *path, int depth)
{
	struct dirent **list;
	struct stat st;
	int n;

	if (stat(path, &st) < 0) {
		report_plain(t, path, "bad-input", strerror(errno), 2);
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		triage_file(t, path);
		return;
	}
	if (depth >= TRIAGE_MAX_DEPTH) {
		report_plain(t, path, "bad-input", "directories nested too deep", 2);
		return;
	}
	n = scandir(path, &list, NULL, alphasort);
	if (n < 0) {
		report_plain(t, path, "bad-input", strerror(errno), 2);
		return;
	}
	for (int i = 0; i < n; i++) {
		char child[4096];

		if (!cf_is_sidecar_name(list[i]->d_name) &&
		    snprintf(child, sizeof(child), "%s/%s", path, list[i]->d_name) < (int)sizeof(child))
			triage_path(t, child, depth + 1);
		free(list[i]);
	}
	free(list);
}

static int parse_count(const char *opt, const char *v, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || end == v || *end || n < lo || n > hi) {
		fprintf(stderr, "triage: %s needs a number from %u to %u, got '%s'\n", opt, lo, hi, v);
		return -1;
	}
	*out = (unsigned)n;
	return 0;
}

int cf_triage_main(int argc, char **argv)
{
	struct triage t = { .spec = CF_SPEC_KERNEL, .engine = "triage", .tries = 5, .budget = 400 };
	const struct cf_features *f;
	int first_path = -1;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage();
			return 2;
		}
		if (a[0] != '-') {
			first_path = i;
			break;
		}
		if (!v) {
			fprintf(stderr, "triage: %s needs a value\n", a);
			return 2;
		}
		i++;
		if (strcmp(a, "--out") == 0) {
			t.out_dir = v;
		} else if (strcmp(a, "--engine") == 0) {
			t.engine = v;
		} else if (strcmp(a, "--spec") == 0 && (strcmp(v, "doc") == 0 || strcmp(v, "kernel") == 0)) {
			t.spec = strcmp(v, "doc") == 0 ? CF_SPEC_DOC : CF_SPEC_KERNEL;
		} else if (strcmp(a, "--tries") == 0) {
			if (parse_count(a, v, 1, TRIAGE_MAX_TRIES, &t.tries) < 0)
				return 2;
		} else if (strcmp(a, "--budget") == 0) {
			if (parse_count(a, v, 0, 100000, &t.budget) < 0)
				return 2;
		} else {
			fprintf(stderr, "triage: unknown option or value: %s %s\n", a, v);
			usage();
			return 2;
		}
	}
	if (!t.out_dir || first_path < 0) {
		fprintf(stderr, "triage: needs --out DIR and at least one FILE or DIR\n");
		usage();
		return 2;
	}
	if (cf_fault_active() < 0) { /* CF_FAULT applies to the runs: check it first */
		cf_fault_print_unknown(stderr, NULL);
		return 2;
	}
	f = cf_probe();
	if (!f->usable) {
		fprintf(stderr, "triage: io_uring is not usable here: %s\n", f->why);
		return 77;
	}
	for (int i = first_path; i < argc; i++)
		triage_path(&t, argv[i], 0);
	cf_ring_release_all();
	return t.worst;
}
