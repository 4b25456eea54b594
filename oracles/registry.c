/* Invariant table and divergence registry, both from their .def files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict.h"

static const struct {
	const char *name, *file, *quote;
} invariants[CF_INV__COUNT] = {
#define X(id, name, file, quote) [id] = { name, file, quote },
#include "invariants.def"
#undef X
};

static const struct {
	const char *id, *tag, *invariant, *looks_like, *reproducer, *kernels, *behaviour;
} divergences[] = {
#define X(id, tag, inv, like, repro, kernels, what) { id, tag, inv, like, repro, kernels, what },
#include "divergences.def"
#undef X
};

const char *cf_invariant_name(unsigned inv)
{
	return inv < CF_INV__COUNT ? invariants[inv].name : "?";
}

const char *cf_invariant_file(unsigned inv)
{
	return inv < CF_INV__COUNT ? invariants[inv].file : "?";
}

const char *cf_invariant_quote(unsigned inv)
{
	return inv < CF_INV__COUNT ? invariants[inv].quote : "?";
}

/* CF_REGISTRY=empty: judge as if nothing were registered, so every tagged
 * finding is new (scripts/bench/bench_rediscovery.py). */
static int registry_emptied(void)
{
	static int emptied = -1;

	if (emptied < 0) {
		const char *v = getenv("CF_REGISTRY");

		emptied = v && strcmp(v, "empty") == 0;
	}
	return emptied;
}

const char *cf_divergence_id(const char *tag)
{
	if (registry_emptied())
		return NULL;
	for (size_t i = 0; tag && i < sizeof(divergences) / sizeof(divergences[0]); i++)
		if (strcmp(divergences[i].tag, tag) == 0)
			return divergences[i].id;
	return NULL;
}

unsigned cf_divergence_count(void)
{
	return (unsigned)(sizeof(divergences) / sizeof(divergences[0]));
}

const char *cf_divergence_id_at(unsigned i)
{
	return i < cf_divergence_count() ? divergences[i].id : NULL;
}

void cf_divergences_print(FILE *out)
{
	fputs("id\ttag\tinvariant\tlooks like\treproducer\tkernels\tbehaviour\n", out);
	for (size_t i = 0; i < sizeof(divergences) / sizeof(divergences[0]); i++)
		fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", divergences[i].id, divergences[i].tag,
			divergences[i].invariant, divergences[i].looks_like,
			divergences[i].reproducer[0] ? divergences[i].reproducer : "-",
			divergences[i].kernels, divergences[i].behaviour);
}
