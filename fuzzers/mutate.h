/* Structure-aware generation and mutation of programs, op by op, with swarm
 * configurations that switch whole op kinds and modes off. */
#ifndef CF_MUTATE_H
#define CF_MUTATE_H

#include <stdint.h>

#include "program.h"

struct cf_rng {
	uint64_t s;
};

static inline uint64_t cf_rng_next(struct cf_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dull;
}

static inline unsigned cf_rng_below(struct cf_rng *r, unsigned n)
{
	return n ? (unsigned)(cf_rng_next(r) % n) : 0;
}

struct cf_swarm {
	uint8_t mode_on[CF_MODE__COUNT];
	uint8_t op_weight[CF_OP__COUNT]; /* 0 switches an op kind off */
	uint8_t req_on[CF_REQ__COUNT];
	uint8_t api_on[CF_CANCEL__COUNT];
};

void cf_swarm_all(struct cf_swarm *s);
void cf_swarm_pick(struct cf_rng *r, struct cf_swarm *s);
void cf_generate(struct cf_rng *r, const struct cf_swarm *s, struct cf_program *p);
/* 1 to 4 op-level edits; the result is canonical (encode/decode stable). */
void cf_mutate(struct cf_rng *r, const struct cf_swarm *s, struct cf_program *p);

#endif
