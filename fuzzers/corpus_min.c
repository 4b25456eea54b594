/* Corpus minimization by behaviour features, for the built-in engine's corpus. */
#include "corpus_min.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canonical_mutator.h"
#include "findings.h"
#include "input.h"
#include "probe.h"
#include "ring.h"
#include "signature.h"
#include "target.h"

#define CMIN_MAX_INPUTS 100000
#define CMIN_MAX_DEPTH 4

struct entry {
	char *path;
	off_t size;
};

struct cmin {
	struct entry *e;
	size_t n, cap;
	int bad;
};

static struct cf_outcome outcome;
static uint8_t covered[1u << (CF_FEATURE_BITS - 3)];

static int add_path(struct cmin *c, const char *path, int depth)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "cmin: %s: %s\n", path, strerror(errno));
		c->bad++;
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		struct dirent **list;
		int n = depth < CMIN_MAX_DEPTH ? scandir(path, &list, NULL, alphasort) : -1;

		if (n < 0) {
			fprintf(stderr, "cmin: %s: cannot read directory\n", path);
			c->bad++;
			return 0;
		}
		for (int i = 0; i < n; i++) {
			char child[4096];

			if (!cf_is_sidecar_name(list[i]->d_name) &&
			    snprintf(child, sizeof(child), "%s/%s", path, list[i]->d_name) < (int)sizeof(child) &&
			    add_path(c, child, depth + 1) < 0) {
				for (; i < n; i++)
					free(list[i]);
				free(list);
				return -1;
			}
			free(list[i]);
		}
		free(list);
		return 0;
	}
	if (c->n == CMIN_MAX_INPUTS) {
		fprintf(stderr, "cmin: more than %d inputs\n", CMIN_MAX_INPUTS);
		return -1;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct entry *e = realloc(c->e, cap * sizeof(*e));

		if (!e)
			return -1;
		c->e = e;
		c->cap = cap;
	}
	c->e[c->n].path = strdup(path);
	c->e[c->n].size = st.st_size;
	if (!c->e[c->n].path)
		return -1;
	c->n++;
	return 0;
}

static int by_size(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	return strcmp(x->path, y->path);
}

int cf_cmin_main(int argc, char **argv)
{
	struct cmin c = { 0 };
	const char *out = NULL;
	unsigned kept = 0, features = 0, ran = 0;
	int first = -1, code = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
			out = argv[++i];
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "cmin: unknown option %s\n", argv[i]);
			first = -1;
			out = NULL;
			break;
		} else {
			first = i;
			break;
		}
	}
	if (!out || first < 0) {
		fprintf(stderr, "usage: cancelfuzz cmin --out DIR FILE|DIR...\n"
			"  keeps, smallest first, every input that shows a behaviour feature no\n"
			"  kept input showed; writes them as canonical bytes to DIR (created).\n"
			"Exit: 0 done, 2 usage or unreadable input, 3 cannot write, 77 io_uring unusable.\n");
		return 2;
	}
	if (cf_fault_active() < 0) { /* CF_FAULT applies to the runs: check it first */
		cf_fault_print_unknown(stderr, NULL);
		return 2;
	}
	if (!cf_probe()->usable) {
		fprintf(stderr, "cmin: io_uring is not usable here: %s\n", cf_probe()->why);
		return 77;
	}
	if (mkdir(out, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "cmin: %s: cannot create: %s\n", out, strerror(errno));
		return 3;
	}
	for (int i = first; i < argc; i++)
		if (add_path(&c, argv[i], 0) < 0) {
			code = 2;
			goto done;
		}
	qsort(c.e, c.n, sizeof(*c.e), by_size);
	for (size_t i = 0; i < c.n; i++) {
		uint8_t raw[CF_MAX_INPUT], bytes[CF_MAX_ENCODED];
		size_t len;
		char err[512], path[4200];
		int fresh = 0;

		if (cf_load_engine_input(c.e[i].path, raw, sizeof(raw), &len, err, sizeof(err)) < 0) {
			fprintf(stderr, "cmin: %s\n", err);
			c.bad++;
			continue;
		}
		len = cf_canonical_bytes(raw, len, bytes, sizeof(bytes));
		cf_target_run(bytes, len, CF_SPEC_KERNEL, &outcome, NULL);
		ran++;
		for (unsigned k = 0; k < outcome.nfeatures; k++) {
			unsigned f = outcome.features[k];

			if (!(covered[f >> 3] & (1u << (f & 7)))) {
				covered[f >> 3] |= (uint8_t)(1u << (f & 7));
				features++;
				fresh = 1;
			}
		}
		if (!fresh)
			continue;
		snprintf(path, sizeof(path), "%s/%016llx", out,
			 (unsigned long long)cf_hash64(bytes, len));
		if (access(path, F_OK) == 0)
			continue; /* the same program, kept already under another name */
		if (cf_write_file_atomic(path, bytes, len, err, sizeof(err)) < 0) {
			fprintf(stderr, "cmin: %s\n", err);
			code = 3;
			goto done;
		}
		kept++;
	}
	printf("cmin: %u inputs ran, %u kept, %u behaviours, %d unreadable\n", ran, kept, features,
	       c.bad);
	code = c.bad ? 2 : 0;
done:
	for (size_t i = 0; i < c.n; i++)
		free(c.e[i].path);
	free(c.e);
	cf_ring_release_all();
	return code;
}
