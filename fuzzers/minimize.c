/* Op-level delta debugging of a program against any predicate; knows
 * nothing of how a program is run or judged. */
#include "minimize.h"

#include <string.h>

unsigned cf_minimize(struct cf_program *p, cf_keep_fn keep, void *ctx, unsigned budget)
{
	unsigned spent = 0;

	for (unsigned chunk = p->nops / 2 ? p->nops / 2 : 1; chunk >= 1 && spent < budget; chunk /= 2) {
		for (unsigned at = 0; at < p->nops && spent < budget;) {
			struct cf_program trial = *p;
			unsigned n = at + chunk > p->nops ? p->nops - at : chunk;

			memmove(&trial.ops[at], &trial.ops[at + n], (p->nops - at - n) * sizeof(trial.ops[0]));
			trial.nops = (uint8_t)(p->nops - n);
			spent++;
			if (trial.nops > 0 && keep(&trial, ctx))
				*p = trial; /* keep the smaller program, retry the same place */
			else
				at += n;
		}
		if (chunk == 1)
			break;
	}
	return spent;
}
