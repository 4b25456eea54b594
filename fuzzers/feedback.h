/* Behaviour features of a history (feedback.c). */
#ifndef CF_FEEDBACK_H
#define CF_FEEDBACK_H

#include <stdint.h>

#include "history.h"

#define CF_FEATURE_BITS 16 /* features are indices into a 64 Ki map */
#define CF_MAX_FEATURES 512

/* Kernel behaviour seen in a history: kind of request x cancel flags x result
 * class x when it became visible x setup mode, hashed to 16 bits; for each
 * race group released, its outcome class (the order its calls ended in and
 * each one's result class). */
unsigned cf_behaviour_features(const struct cf_history *h, uint16_t *feat, unsigned max);

#endif
