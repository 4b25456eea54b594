/* Foundation-level check: the program ran to its end and every request was
 * accounted for. The full model of the pages replaces this (issue 3). */
#include "oracle.h"

#include <stdio.h>
#include <string.h>

void cf_oracle_check(const struct cf_history *h, struct cf_judgement *j)
{
	memset(j, 0, sizeof(*j));
	if (h->nacts < 3 || h->acts[h->nacts - 1].kind != CF_ACT_END_DRAIN) {
		j->verdict = CF_VERDICT_VIOLATION;
		snprintf(j->invariant, sizeof(j->invariant), "ran-to-end");
		snprintf(j->detail, sizeof(j->detail), "the history stops before teardown");
	}
}
