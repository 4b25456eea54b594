/* Byte-level entry points for the engines' custom mutators (libFuzzer,
 * AFL++): decode, mutate op by op or splice two programs, encode canonically
 * within the engine's size limit. Needs only program.c and mutate.c, so the
 * AFL++ mutator library links without the executor or liburing. */
#ifndef CF_CANONICAL_MUTATOR_H
#define CF_CANONICAL_MUTATOR_H

#include <stddef.h>
#include <stdint.h>

#include "program.h"

/* All three write canonical program bytes to out and return their length,
 * dropping ops from the end until the program fits max. A max below 2 (no
 * room for the header) gives a cut header, the one non-canonical result. */
size_t cf_canonical_bytes(const uint8_t *in, size_t len, uint8_t *out, size_t max);
/* 1..4 op-level edits (now and then a fresh program), all from seed. */
size_t cf_mutate_bytes(const uint8_t *in, size_t len, uint8_t *out, size_t max, uint64_t seed);
/* The ops of a up to a cut point, then the ops of b from another, header from either. */
size_t cf_cross_over_bytes(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
			   uint8_t *out, size_t max, uint64_t seed);

#endif
