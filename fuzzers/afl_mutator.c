/* AFL++ custom mutator library (AFL_CUSTOM_MUTATOR_LIBRARY): op-level
 * mutation and splicing of cancelfuzz programs; every mutant is canonical.
 * API as documented in AFL++'s custom_mutators.md; afl_state_t stays opaque. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canonical_mutator.h"
#include "mutate.h"

#define SPLICE_ONE_IN 8 /* with a second input at hand, splice this often */
#define AFL_API __attribute__((visibility("default"))) /* the rest stays hidden */

struct afl_mutator {
	struct cf_rng rng;
	const char *last; /* what the last call did, for afl_custom_describe */
	uint8_t out[CF_MAX_ENCODED];
};

AFL_API void *afl_custom_init(void *afl, unsigned int seed);
AFL_API size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
			       uint8_t *add_buf, size_t add_buf_size, size_t max_size);
AFL_API const char *afl_custom_describe(void *data, size_t max_description_len);
AFL_API void afl_custom_deinit(void *data);

void *afl_custom_init(void *afl, unsigned int seed)
{
	struct afl_mutator *m = calloc(1, sizeof(*m));

	(void)afl;
	if (!m)
		return NULL; /* afl-fuzz stops with an error */
	m->rng.s = ((uint64_t)seed << 32 | seed) ^ 0x6a09e667f3bcc909ull;
	if (!m->rng.s)
		m->rng.s = 1;
	m->last = "cf-none";
	return m;
}

size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
		       uint8_t *add_buf, size_t add_buf_size, size_t max_size)
{
	struct afl_mutator *m = data;
	uint64_t seed = cf_rng_next(&m->rng);
	size_t cap = max_size < sizeof(m->out) ? max_size : sizeof(m->out), len;

	if (add_buf && add_buf_size && cf_rng_below(&m->rng, SPLICE_ONE_IN) == 0) {
		len = cf_cross_over_bytes(buf, buf_size, add_buf, add_buf_size, m->out, cap, seed);
		m->last = "cf-splice";
	} else {
		len = cf_mutate_bytes(buf, buf_size, m->out, cap, seed);
		m->last = "cf-mutate";
	}
	if (len == 0) { /* AFL++ needs a non-empty result: a lone default header */
		m->out[0] = 0;
		len = 1;
	}
	*out_buf = m->out;
	return len;
}

const char *afl_custom_describe(void *data, size_t max_description_len)
{
	const struct afl_mutator *m = data;

	return strlen(m->last) < max_description_len ? m->last : "cf";
}

void afl_custom_deinit(void *data)
{
	free(data);
}
