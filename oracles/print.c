/* Prints a judgement: the verdict line, then each finding with the page
 * and the words it breaks. */
#include <stdio.h>

#include "verdict.h"

void cf_judgement_print(const struct cf_judgement *j, const char *name, FILE *out)
{
	static const char *const verdicts[] = { "PASS", "KNOWN-DIVERGENCE", "VIOLATION" };

	fprintf(out, "%s %s (%u checks)", verdicts[j->verdict], name, j->checks);
	if (j->fault[0])
		fprintf(out, " INJECTED FAULT %s: not a kernel finding", j->fault);
	fputc('\n', out);
	for (unsigned i = 0; i < j->nfindings; i++) {
		const struct cf_finding *f = &j->f[i];

		fprintf(out, "  %s %s: %s\n", f->divergence ? f->divergence : "NEW",
			cf_invariant_name(f->invariant), f->detail);
		fprintf(out, "    page: %s: \"%s\"\n", cf_invariant_file(f->invariant),
			cf_invariant_quote(f->invariant));
	}
	if (j->dropped)
		fprintf(out, "  ... and %u more findings\n", j->dropped);
}
