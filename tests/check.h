/* Assertions for tests: print both expressions and both values, then fail. */
#ifndef CF_CHECK_H
#define CF_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cf_failures;

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
	cf_failures++; } } while (0)
#define CHECK_EQ(a, b) do { long long va_ = (long long)(a), vb_ = (long long)(b); \
	if (va_ != vb_) { fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", \
		__FILE__, __LINE__, #a, #b, va_, vb_); cf_failures++; } } while (0)
#define CHECK_STR(a, b) do { const char *sa_ = (a), *sb_ = (b); \
	if (strcmp(sa_, sb_) != 0) { fprintf(stderr, "%s:%d: %s == %s failed:\n  \"%s\"\n  \"%s\"\n", \
		__FILE__, __LINE__, #a, #b, sa_, sb_); cf_failures++; } } while (0)
#define TEST_EXIT() do { if (cf_failures) { fprintf(stderr, "%d check(s) failed\n", cf_failures); return 1; } return 0; } while (0)

#endif
