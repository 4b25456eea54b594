/* One fuzz execution, shared by every engine: decode, run on a real ring,
 * judge, and describe what the kernel did as behaviour features. */
#ifndef CF_TARGET_H
#define CF_TARGET_H

#include <stddef.h>
#include <stdint.h>

#include "run.h"

#define CF_FEATURE_BITS 16 /* features are indices into a 64 Ki map */
#define CF_MAX_FEATURES 512

struct cf_outcome {
	enum cf_run run;
	struct cf_judgement j;
	unsigned nfeatures;
	uint16_t features[CF_MAX_FEATURES];
	char why[256];
};

/* h may be NULL (an internal history is used). */
void cf_target_run(const uint8_t *data, size_t size, enum cf_spec spec,
		   struct cf_outcome *out, struct cf_history *h);
/* Kernel behaviour seen in a history: kind of request x cancel flags x result
 * class x when it became visible x setup mode, hashed to 16 bits. */
unsigned cf_behaviour_features(const struct cf_history *h, uint16_t *feat, unsigned max);
/* A stable name for a finding, for deduplication: injected fault, mode, invariants, tags. */
void cf_finding_signature(const struct cf_history *h, const struct cf_judgement *j,
			  char *sig, size_t len);

#endif
