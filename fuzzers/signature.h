/* Finding signatures (signature.c). */
#ifndef CF_SIGNATURE_H
#define CF_SIGNATURE_H

#include <stddef.h>
#include <stdint.h>

#include "oracle.h"

/* A stable name for a finding, for deduplication: injected fault, mode, invariants, tags. */
void cf_finding_signature(const struct cf_history *h, const struct cf_judgement *j,
			  char *sig, size_t len);
uint64_t cf_hash64(const void *data, size_t len);

#endif
