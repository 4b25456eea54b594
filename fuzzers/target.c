/* One fuzz execution for every engine: bytes through the pipeline, then the
 * behaviour features of what ran. */
#include "target.h"

#include <string.h>

static struct cf_history own_history;

void cf_target_run(const uint8_t *data, size_t size, enum cf_spec spec,
		   struct cf_outcome *out, struct cf_history *h)
{
	struct cf_program prog;

	if (!h)
		h = &own_history;
	cf_decode(data, size, &prog);
	out->nfeatures = 0;
	out->why[0] = '\0';
	cf_run_program(&prog, spec, h, &out->j, &out->run, out->why, sizeof(out->why));
	if (out->run != CF_RUN_OK)
		return;
	out->nfeatures = cf_behaviour_features(h, out->features, CF_MAX_FEATURES);
}
