/* Judges a history against the documented cancelation semantics.
 * Invariants: invariants.def; known disagreements: divergences.def. */
#ifndef CF_ORACLE_H
#define CF_ORACLE_H

#include <stddef.h>

#include "history.h"

enum cf_spec {
	CF_SPEC_DOC,    /* the pages, literally */
	CF_SPEC_KERNEL, /* what the kernel intends (io_uring/cancel.c and friends) */
};

enum cf_invariant {
#define X(id, name, file, quote) id,
#include "invariants.def"
#undef X
	CF_INV__COUNT
};

enum cf_verdict {
	CF_VERDICT_PASS,
	CF_VERDICT_KNOWN,     /* only registered divergences */
	CF_VERDICT_VIOLATION, /* at least one new finding */
};

#define CF_MAX_FINDINGS 8

struct cf_finding {
	unsigned invariant;    /* enum cf_invariant */
	const char *tag;       /* divergence tag, or NULL for a plain violation */
	const char *divergence; /* registry id when the tag is registered */
	char detail[384];      /* the events involved, in words */
};

struct cf_judgement {
	enum cf_verdict verdict;
	unsigned nfindings, dropped; /* findings kept / beyond CF_MAX_FINDINGS */
	unsigned checks;             /* individual checks evaluated */
	struct cf_finding f[CF_MAX_FINDINGS];
	char fault[CF_FAULT_NAME_MAX + 1]; /* the history had an injected fault: not the kernel */
};

void cf_oracle_check(const struct cf_history *h, enum cf_spec spec, struct cf_judgement *j);
void cf_judgement_print(const struct cf_judgement *j, const char *name, FILE *out);

const char *cf_invariant_name(unsigned inv);
const char *cf_invariant_file(unsigned inv);
const char *cf_invariant_quote(unsigned inv);
/* Registry lookup by tag: the id, or NULL when the tag is not registered. */
const char *cf_divergence_id(const char *tag);
void cf_divergences_print(FILE *out);

#endif
