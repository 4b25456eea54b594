/* Decode, mutate or splice, encode canonically. */
#include "canonical_mutator.h"

#include <string.h>

#include "mutate.h"

static void seed_rng(struct cf_rng *r, uint64_t seed)
{
	/* splitmix64 step: nearby engine seeds give unrelated streams */
	uint64_t z = seed + 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	r->s = (z ^ (z >> 31)) | 1; /* xorshift state must not be 0 */
}

static size_t encode_within(struct cf_program *p, uint8_t *out, size_t max)
{
	uint8_t bytes[CF_MAX_ENCODED];
	size_t len = cf_encode(p, bytes, sizeof(bytes));

	cf_decode(bytes, len, p); /* canonical, group rules included */
	len = cf_encode(p, bytes, sizeof(bytes));
	while (len > max && p->nops > 0) {
		p->nops--;
		len = cf_encode(p, bytes, sizeof(bytes));
	}
	if (len > max)
		len = max;
	memcpy(out, bytes, len);
	return len;
}

size_t cf_canonical_bytes(const uint8_t *in, size_t len, uint8_t *out, size_t max)
{
	struct cf_program p;

	cf_decode(in, len, &p);
	return encode_within(&p, out, max);
}

size_t cf_mutate_bytes(const uint8_t *in, size_t len, uint8_t *out, size_t max, uint64_t seed)
{
	struct cf_program p;
	struct cf_swarm swarm;
	struct cf_rng r;

	seed_rng(&r, seed);
	cf_swarm_pick(&r, &swarm);
	cf_decode(in, len, &p);
	if (p.nops == 0 || cf_rng_below(&r, 16) == 0)
		cf_generate(&r, &swarm, &p);
	else
		cf_mutate(&r, &swarm, &p);
	return encode_within(&p, out, max);
}

static unsigned ops_before_end(const struct cf_program *p)
{
	for (unsigned i = 0; i < p->nops; i++)
		if (p->ops[i].kind == CF_OP_END)
			return i;
	return p->nops;
}

size_t cf_cross_over_bytes(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
			   uint8_t *out, size_t max, uint64_t seed)
{
	struct cf_program pa, pb, child;
	struct cf_rng r;
	unsigned na, cut_a, cut_b;
	uint8_t bytes[CF_MAX_ENCODED];
	size_t n;

	seed_rng(&r, seed);
	cf_decode(a, alen, &pa);
	cf_decode(b, blen, &pb);
	na = ops_before_end(&pa); /* an end in the first part would hide the second */
	cut_a = cf_rng_below(&r, na + 1);
	cut_b = cf_rng_below(&r, pb.nops + 1);
	child = cf_rng_below(&r, 2) ? pa : pb;
	child.nops = 0;
	for (unsigned i = 0; i < cut_a && child.nops < CF_MAX_OPS; i++)
		child.ops[child.nops++] = pa.ops[i];
	for (unsigned i = cut_b; i < pb.nops && child.nops < CF_MAX_OPS; i++)
		child.ops[child.nops++] = pb.ops[i];
	/* Re-decoding makes the splice canonical (truncated flag, reductions). */
	n = cf_encode(&child, bytes, sizeof(bytes));
	cf_decode(bytes, n, &child);
	return encode_within(&child, out, max);
}
