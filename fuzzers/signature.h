/* Finding signatures (signature.c). */
#ifndef CF_SIGNATURE_H
#define CF_SIGNATURE_H

#include <stddef.h>
#include <stdint.h>

#include "oracle.h"

/* A finding's root cause, the name findings are deduplicated by:
 * "[fault:NAME+]FAMILY+INVARIANT[:TAG]" of the history's first new finding.
 * The setup mode is an attribute of the finding, not part of its name, so
 * one kernel behaviour seen in five modes is one finding. "" when j has no
 * new finding. */
void cf_finding_signature(const struct cf_history *h, const struct cf_judgement *j,
			  char *sig, size_t len);
/* The history's other new root causes, space-separated ("" for none): listed
 * with the finding so that none is lost behind the first. */
void cf_finding_also(const struct cf_history *h, const struct cf_judgement *j, char *also,
		     size_t len);
/* Is word one of the space-separated words of list? */
int cf_word_in(const char *list, const char *word);
uint64_t cf_hash64(const void *data, size_t len);

#endif
