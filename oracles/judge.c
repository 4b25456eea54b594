/* Builds a judgement: findings in (filtered by spec level, tagged from the
 * registry, deduplicated), the verdict they add up to out. */
#include "verdict.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void cf_judge_report(struct cf_judgement *j, enum cf_spec spec, unsigned inv, const char *tag,
		     int kernel_allows, const char *fmt, ...)
{
	struct cf_finding *f;
	va_list ap;

	if (kernel_allows && spec == CF_SPEC_KERNEL)
		return;
	/* One line per known divergence is enough: many cancels of one
	 * program hitting the same one must not crowd out a new finding. */
	for (unsigned i = 0; tag && i < j->nfindings; i++)
		if (j->f[i].tag && j->f[i].invariant == inv && strcmp(j->f[i].tag, tag) == 0)
			return;
	if (j->nfindings == CF_MAX_FINDINGS) {
		j->dropped++;
		return;
	}
	f = &j->f[j->nfindings++];
	f->invariant = inv;
	f->tag = tag;
	f->divergence = cf_divergence_id(tag);
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
	va_end(ap);
}

void cf_judge_verdict(struct cf_judgement *j)
{
	j->verdict = CF_VERDICT_PASS;
	for (unsigned i = 0; i < j->nfindings; i++) {
		if (!j->f[i].divergence) {
			j->verdict = CF_VERDICT_VIOLATION;
			return;
		}
		j->verdict = CF_VERDICT_KNOWN;
	}
	if (j->dropped && j->verdict == CF_VERDICT_KNOWN)
		j->verdict = CF_VERDICT_VIOLATION; /* unseen findings may be new */
}
