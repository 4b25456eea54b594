/* The tests' one PRNG: xorshift64 (13, 7, 17), fixed seeds, same sequence everywhere. */
#ifndef CF_TEST_RNG_H
#define CF_TEST_RNG_H

#include <stdint.h>

static inline uint64_t test_rng_next(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

#endif
