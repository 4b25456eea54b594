/* The AIO families' lines of the history text (history_aio.c), for the
 * writer and the reader of the whole text. */
#ifndef CF_HISTORY_AIO_H
#define CF_HISTORY_AIO_H

#include <stdio.h>

#include "history.h"
#include "hreader.h"

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
