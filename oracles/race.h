/* Judging histories with race groups (race.c): some order of the acts
 * that overlapped must explain what the kernel did. */
#ifndef CF_RACE_H
#define CF_RACE_H

#include "history.h"
#include "verdict.h"

#define CF_RACE_MAX_ORDERS 1024 /* orders of overlapping acts tried per history */

/* Any act released in a race group? */
int cf_history_has_races(const struct cf_history *h);
/* The best judgement over the orders real time allows; j->h is then the
 * reordered history it was made on (valid until the next call).
 * orders_tried (may be NULL) gets how many orders were judged. */
void cf_race_judge(const struct cf_history *h, enum cf_spec spec, struct cf_judgement *j,
		   unsigned *orders_tried);

#endif
