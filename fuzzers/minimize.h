/* Shrinking a program while a predicate holds (minimize.c). */
#ifndef CF_MINIMIZE_H
#define CF_MINIMIZE_H

#include "program.h"

/* 1: keep this smaller program (it still shows what is wanted). */
typedef int (*cf_keep_fn)(const struct cf_program *p, void *ctx);

/* Drops chunks of ops, halving the chunk size, while keep() holds; at most
 * budget calls of keep(), which is never called on an empty program.
 * Returns the calls spent; p is the smallest program kept. */
unsigned cf_minimize(struct cf_program *p, cf_keep_fn keep, void *ctx, unsigned budget);

#endif
