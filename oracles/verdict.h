/* What a judgement is, for every layer that reads one: spec levels,
 * invariants (invariants.def), findings, verdicts and their printing, the
 * divergence registry (divergences.def), and the two calls every oracle
 * builds its judgement with. Implemented by judge.c, registry.c, print.c. */
#ifndef CF_VERDICT_H
#define CF_VERDICT_H

#include <stdio.h>

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
	const char *divergence; /* registry id when the tag is registered and its condition held */
	int16_t cancel, other;  /* the cancel it is about and the other request it names, -1 */
	char detail[384];      /* the events involved, in words */
};

struct cf_judgement {
	enum cf_verdict verdict;
	unsigned nfindings, dropped; /* findings kept / beyond CF_MAX_FINDINGS */
	unsigned checks;             /* individual checks evaluated */
	struct cf_finding f[CF_MAX_FINDINGS];
	char fault[CF_FAULT_NAME_MAX + 1]; /* the history had an injected fault: not the kernel */
	const struct cf_history *h; /* the history judged: the registry's conditions read it */
};

/* One finding on invariant inv. tag: divergence tag or NULL; kernel_allows:
 * the kernel (or, for POSIX, the C library) means to do this, so --spec
 * kernel drops it. A tagged finding is kept once per invariant and tag. */
__attribute__((format(printf, 6, 7)))
void cf_judge_report(struct cf_judgement *j, enum cf_spec spec, unsigned inv, const char *tag,
		     int kernel_allows, const char *fmt, ...);
/* The same, about cancel c and the other request t it names (-1 when none):
 * a registered tag counts only when the registry's condition holds for
 * them in j->h (conditions.c); otherwise the finding is NEW at both levels,
 * and its detail says which condition failed. */
__attribute__((format(printf, 8, 9)))
void cf_judge_report_on(struct cf_judgement *j, enum cf_spec spec, unsigned inv, const char *tag,
			int kernel_allows, int c, int t, const char *fmt, ...);
/* The verdict from the findings: PASS, KNOWN-DIVERGENCE or VIOLATION. */
void cf_judge_verdict(struct cf_judgement *j);

/* "VERDICT name (N checks)", then each finding with its page and quote. */
void cf_judgement_print(const struct cf_judgement *j, const char *name, FILE *out);

const char *cf_invariant_name(unsigned inv);
const char *cf_invariant_file(unsigned inv);
const char *cf_invariant_quote(unsigned inv);
/* Registry lookup by tag: the id, or NULL when the tag is not registered. */
const char *cf_divergence_id(const char *tag);
/* The registry's condition for divergence id (conditions.c): NULL when what
 * history h shows of cancel c and request t (-1: not named) is that
 * divergence, else the condition that failed, in words. */
const char *cf_divergence_condition(const char *id, const struct cf_history *h, int c, int t);
int cf_divergence_has_condition(const char *id);
void cf_divergences_print(FILE *out);
/* The registry's entries by position, 0 .. count-1. */
unsigned cf_divergence_count(void);
const char *cf_divergence_id_at(unsigned i);

#endif
