/* Findings: minimized by their signature, saved deduplicated and whole. */
#include "findings.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"
#include "minimize.h"
#include "signature.h"
#include "text.h"

struct wanted {
	enum cf_spec spec;
	const char *sig;
};

/* Does p still show the finding's signature? */
static int reproduces(const struct cf_program *p, void *ctx)
{
	static struct cf_outcome scratch;
	static struct cf_history h;
	const struct wanted *w = ctx;
	uint8_t bytes[CF_MAX_ENCODED];
	size_t len = cf_encode(p, bytes, sizeof(bytes));
	char got[256];

	cf_target_run(bytes, len, w->spec, &scratch, &h);
	if (scratch.run != CF_RUN_OK || scratch.j.verdict != CF_VERDICT_VIOLATION)
		return 0;
	cf_finding_signature(&h, &scratch.j, got, sizeof(got));
	return strcmp(got, w->sig) == 0;
}

unsigned cf_minimize_finding(struct cf_program *p, enum cf_spec spec, const char *sig,
			     unsigned budget)
{
	struct wanted w = { spec, sig };

	return cf_minimize(p, reproduces, &w, budget);
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
	fprintf(mem, "signature %s\nengine %s\nreplay: cancelfuzz replay%s%s %s.bin\n", sig, engine,
		j->fault[0] ? " --fault " : "", j->fault, base);
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
