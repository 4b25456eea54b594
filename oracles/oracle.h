/* Judges a history against the documented cancelation semantics. */
#ifndef CF_ORACLE_H
#define CF_ORACLE_H

#include <stddef.h>

#include "history.h"

enum cf_verdict {
	CF_VERDICT_PASS,
	CF_VERDICT_VIOLATION,
};

struct cf_judgement {
	enum cf_verdict verdict;
	char invariant[48]; /* short name of the broken invariant */
	char detail[512];   /* events involved, in words */
};

void cf_oracle_check(const struct cf_history *h, struct cf_judgement *j);

#endif
