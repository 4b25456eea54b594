/* Description: loads the AFL++ custom mutator library with dlopen, as afl-fuzz
 * does, and feeds it random and corpus-like inputs, with and without a second
 * input for splicing. Every mutant must be a canonical program (decoding and
 * encoding it gives the same bytes), fit max_size, and be non-empty.
 * usage: afl_mutator_canonical PATH/TO/cancel_fuzzer_afl_mutator.so */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "program.h"
#include "rng.h"

#define ITERATIONS 20000

typedef void *(*init_fn)(void *afl, unsigned int seed);
typedef size_t (*fuzz_fn)(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
			  uint8_t *add_buf, size_t add_buf_size, size_t max_size);
typedef const char *(*describe_fn)(void *data, size_t max_len);
typedef void (*deinit_fn)(void *data);

static int canonical(const uint8_t *bytes, size_t len)
{
	struct cf_program p;
	uint8_t again[CF_MAX_ENCODED];

	cf_decode(bytes, len, &p);
	return cf_encode(&p, again, sizeof(again)) == len && memcmp(again, bytes, len) == 0;
}

int main(int argc, char **argv)
{
	uint64_t rng = 0x9e3779b97f4a7c15ull;
	void *lib, *m;
	init_fn init;
	fuzz_fn fuzz;
	describe_fn describe;
	deinit_fn deinit;
	uint8_t in[600], add[600], prev[CF_MAX_ENCODED];
	size_t prev_len = 0;
	unsigned bad = 0, changed = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s MUTATOR.so\n", argv[0]);
		return 2;
	}
	lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		fprintf(stderr, "dlopen: %s\n", dlerror());
		return 1;
	}
	init = (init_fn)dlsym(lib, "afl_custom_init");
	fuzz = (fuzz_fn)dlsym(lib, "afl_custom_fuzz");
	describe = (describe_fn)dlsym(lib, "afl_custom_describe");
	deinit = (deinit_fn)dlsym(lib, "afl_custom_deinit");
	CHECK(init && fuzz && describe && deinit);
	CHECK(dlsym(lib, "cf_decode") == NULL); /* only the afl_custom_* API is exported */
	if (!init || !fuzz || !describe || !deinit)
		TEST_EXIT();
	m = init(NULL, 7);
	CHECK(m != NULL);
	for (unsigned i = 0; i < ITERATIONS; i++) {
		size_t in_len, add_len = 0, max = i % 10 == 0 ? CF_HEADER_BYTES + test_rng_next(&rng) % 60 : 1u << 20;
		uint8_t *out = NULL;
		size_t n;

		/* Half random bytes, half the previous mutant (as a queue entry would be). */
		if (i % 2 == 0 || prev_len == 0) {
			in_len = test_rng_next(&rng) % sizeof(in);
			for (size_t k = 0; k < in_len; k++)
				in[k] = (uint8_t)test_rng_next(&rng);
		} else {
			memcpy(in, prev, prev_len);
			in_len = prev_len;
		}
		if (i % 3 == 0) {
			add_len = 1 + test_rng_next(&rng) % sizeof(add);
			for (size_t k = 0; k < add_len; k++)
				add[k] = (uint8_t)test_rng_next(&rng);
		}
		n = fuzz(m, in, in_len, &out, add_len ? add : NULL, add_len, max);
		if (n == 0 || n > max || !out || !canonical(out, n)) {
			if (bad++ < 5)
				fprintf(stderr, "iteration %u: %zu bytes (max %zu) %s\n", i, n, max,
					n && out ? "not canonical" : "empty or too long");
			continue;
		}
		changed += n != in_len || memcmp(out, in, n) != 0;
		memcpy(prev, out, n);
		prev_len = n;
		CHECK(describe(m, 64) != NULL);
	}
	CHECK_EQ(bad, 0);
	CHECK(changed > ITERATIONS / 2); /* it really mutates */
	deinit(m);
	dlclose(lib);
	printf("%u mutants, all canonical, %u differ from their input\n", ITERATIONS, changed);
	TEST_EXIT();
}
