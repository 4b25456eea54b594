/* Findings and verdicts shared by the oracles (oracle.c, aio_oracle.c,
 * posix_oracle.c). */
#ifndef CF_JUDGE_H
#define CF_JUDGE_H

#include "oracle.h"

/* One finding on invariant inv. tag: divergence tag or NULL; kernel_allows:
 * the kernel (or, for POSIX, the C library) means to do this, so --spec
 * kernel drops it. A tagged finding is kept once per invariant and tag. */
__attribute__((format(printf, 6, 7)))
void cf_judge_report(struct cf_judgement *j, enum cf_spec spec, unsigned inv, const char *tag,
		     int kernel_allows, const char *fmt, ...);
/* The verdict from the findings: PASS, KNOWN-DIVERGENCE or VIOLATION. */
void cf_judge_verdict(struct cf_judgement *j);

/* The oracles of the AIO families; cf_oracle_check calls them by mode. */
void cf_aio_oracle_check(const struct cf_history *h, enum cf_spec spec, struct cf_judgement *j);
void cf_posix_oracle_check(const struct cf_history *h, enum cf_spec spec, struct cf_judgement *j);

#endif
