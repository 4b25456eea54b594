/* The judge's front door: cf_oracle_check judges a history of any family
 * against the documented cancelation semantics. What a judgement holds,
 * and how it prints, is in verdict.h. */
#ifndef CF_ORACLE_H
#define CF_ORACLE_H

#include "history.h"
#include "verdict.h"

void cf_oracle_check(const struct cf_history *h, enum cf_spec spec, struct cf_judgement *j);

#endif
