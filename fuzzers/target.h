/* One fuzz execution, shared by every engine: decode, run on a real ring,
 * judge, and describe what the kernel did as behaviour features. */
#ifndef CF_TARGET_H
#define CF_TARGET_H

#include <stddef.h>
#include <stdint.h>

#include "feedback.h"
#include "run.h"

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

#endif
