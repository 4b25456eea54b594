/* The strict history reader's lexer (hreader.c), shared by the io_uring
 * lines (history_read.c) and the AIO families' lines (history_aio.c). */
#ifndef CF_HREADER_H
#define CF_HREADER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "history.h"

#define CF_HR_MAX_TOKENS 24

struct cf_hreader {
	char *err;
	size_t errlen;
	unsigned line;
	char *tok[CF_HR_MAX_TOKENS];
	int ntok;
	int version; /* from the first header line */
};

/* Splits line (comments after '#' dropped) into rd->tok; returns the number
 * of tokens, or -1 past CF_HR_MAX_TOKENS. */
int cf_hr_tokenize(struct cf_hreader *rd, char *line);
/* Decimal, or hex with 0x; no octal, no sign: 0 or -1. */
int cf_hr_parse_u64(const char *s, uint64_t *v);
/* The same with an optional '-'. */
int cf_hr_parse_i64(const char *s, long long *v);
/* "line N: " + fmt with what; returns -1. */
int cf_hr_fail(struct cf_hreader *rd, const char *fmt, const char *what);
/* The value of key=... among the tokens from index `from`, or NULL. */
const char *cf_hr_field(struct cf_hreader *rd, int from, const char *key);
/* Decimal or 0x hex, at most max. -1 (with the message) if missing or bad. */
int cf_hr_need_u(struct cf_hreader *rd, int from, const char *key, uint64_t max, uint64_t *v);
/* A signed decimal (or -0x hex) within [min, max]. */
int cf_hr_need_i(struct cf_hreader *rd, int from, const char *key, long long min,
		 long long max, long long *v);
int cf_hr_need_name(struct cf_hreader *rd, int from, const char *key,
		    const char *const *names, unsigned count, unsigned *v);

#endif
