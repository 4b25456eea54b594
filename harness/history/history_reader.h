/* Pieces of the strict history reader (history.c) that the AIO families'
 * records (history_aio.c) share. Internal to the harness. */
#ifndef CF_HISTORY_READER_H
#define CF_HISTORY_READER_H

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

/* The AIO families' lines (history_aio.c). */
void cf_history_write_family_header(const struct cf_history *h, FILE *out);
void cf_history_write_family_req(const struct cf_history *h, unsigned id, FILE *out);
void cf_history_write_event(const struct cf_history *h, const struct cf_cqe_rec *c, FILE *out);
/* Header line 3 (after "kernel"): "aio ..." or "posix ...". */
int cf_history_read_family_header(struct cf_hreader *rd, struct cf_history *h);
/* The fields after "req ID act=N" of a family request into r. */
int cf_history_read_family_req(struct cf_hreader *rd, struct cf_history *h, struct cf_req_rec *r);
/* An "event", "copied", "done" or "notify" line; 1 if the line is not one. */
int cf_history_read_event(struct cf_hreader *rd, struct cf_history *h);

#endif
