/* Builds a judgement: findings in (filtered by spec level, tagged from the
 * registry, deduplicated), the verdict they add up to out. */
#include "verdict.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void vreport(struct cf_judgement *j, enum cf_spec spec, unsigned inv, const char *tag,
		    int kernel_allows, int c, int t, const char *fmt, va_list ap)
{
	const char *id = cf_divergence_id(tag), *failed = NULL;
	struct cf_finding *f;
	size_t used;

	if (id && j->h)
		failed = cf_divergence_condition(id, j->h, c, t);
	if (failed) /* the tag covers another behaviour: new, whatever the level */
		id = NULL;
	else if (kernel_allows && spec == CF_SPEC_KERNEL)
		return;
	/* One line per known divergence is enough: many cancels of one
	 * program hitting the same one must not crowd out a new finding. */
	for (unsigned i = 0; tag && i < j->nfindings; i++)
		if (j->f[i].tag && j->f[i].invariant == inv && strcmp(j->f[i].tag, tag) == 0 &&
		    !j->f[i].divergence == !id)
			return;
	if (j->nfindings == CF_MAX_FINDINGS) {
		j->dropped++;
		return;
	}
	f = &j->f[j->nfindings++];
	f->invariant = inv;
	f->tag = tag;
	f->divergence = id;
	f->cancel = (int16_t)c;
	f->other = (int16_t)t;
	vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
	used = strlen(f->detail);
	if (failed && used < sizeof(f->detail))
		snprintf(f->detail + used, sizeof(f->detail) - used, " [tag %s, but registry %s's condition failed: %s]",
			 tag, cf_divergence_id(tag), failed);
}

void cf_judge_report(struct cf_judgement *j, enum cf_spec spec, unsigned inv, const char *tag,
		     int kernel_allows, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(j, spec, inv, tag, kernel_allows, -1, -1, fmt, ap);
	va_end(ap);
}

void cf_judge_report_on(struct cf_judgement *j, enum cf_spec spec, unsigned inv, const char *tag,
			int kernel_allows, int c, int t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(j, spec, inv, tag, kernel_allows, c, t, fmt, ap);
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
