/* Saving findings: minimized, deduplicated by signature, never half-written. */
#ifndef CF_FINDINGS_H
#define CF_FINDINGS_H

#include <stddef.h>

#include "target.h"

/* Minimize p while the same signature reproduces; returns the executions spent. */
unsigned cf_minimize_finding(struct cf_program *p, enum cf_spec spec, const char *sig,
			     unsigned budget);
/* Write DIR/<hash>.bin, .cfp and .verdict unless that signature is already
 * there. 1 written, 0 duplicate, -1 error (err filled). */
int cf_save_finding(const char *dir, const struct cf_program *p, const char *sig,
		    const struct cf_judgement *j, const char *engine, char *err, size_t errlen);

#endif
