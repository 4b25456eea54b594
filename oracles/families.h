/* The three oracles, one per family, that cf_oracle_check dispatches to by
 * the history's mode. Internal to oracles/. */
#ifndef CF_FAMILIES_H
#define CF_FAMILIES_H

#include "history.h"
#include "verdict.h"

/* io_uring (uring_*.c) */
void cf_uring_oracle(const struct cf_history *h, enum cf_spec spec, struct cf_judgement *j);
/* native AIO, io_cancel(2) (aio_oracle.c) */
void cf_aio_oracle(const struct cf_history *h, enum cf_spec spec, struct cf_judgement *j);
/* POSIX AIO, aio_cancel(3) (posix_oracle.c) */
void cf_posix_oracle(const struct cf_history *h, enum cf_spec spec, struct cf_judgement *j);
/* Mode posix, set only by the race judge on its reordered copies: this
 * "done" event came after its act's call returned (before the next act),
 * not during it (race.c, place_done). */
#define CF_PX_DONE_AFTER_CALL 1u

#endif
