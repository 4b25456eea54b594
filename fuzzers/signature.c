/* A finding's signature, the name findings are deduplicated by, and the
 * hash that names its files. */
#include "signature.h"

#include <stdio.h>

uint64_t cf_hash64(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

void cf_finding_signature(const struct cf_history *h, const struct cf_judgement *j,
			  char *sig, size_t len)
{
	size_t used = 0;

	if (h->fault[0]) /* never deduplicated against (or mistaken for) a real finding */
		used += (size_t)snprintf(sig + used, len - used, "fault:%s+", h->fault);
	used += (size_t)snprintf(sig + used, len - used, "%s", cf_mode_name(h->mode));
	for (unsigned i = 0; i < j->nfindings && used < len; i++) {
		const struct cf_finding *f = &j->f[i];

		if (f->divergence)
			continue;
		used += (size_t)snprintf(sig + used, len - used, "+%s%s%s",
					 cf_invariant_name(f->invariant), f->tag ? ":" : "",
					 f->tag ? f->tag : "");
	}
}
