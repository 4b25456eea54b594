/* A statistics page shared by every process of a campaign: executions,
 * distinct behaviours, verdicts and which known divergences were hit. It is a
 * file mapped MAP_SHARED, so forked and parallel workers add to one page and
 * scripts/fuzz reads it for progress and the report (layout: docs/fuzzing.md). */
#ifndef CF_STATS_H
#define CF_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "target.h"

#define CF_STATS_MAGIC "cfstats1"
#define CF_STATS_DIVERGENCES 64 /* registry ids D01..D63; higher ids are not counted */

struct cf_stats_page {
	char magic[8];
	uint64_t execs;
	uint64_t violations; /* executions with a new (unregistered) finding */
	uint64_t known;      /* executions with only registered divergences */
	uint64_t unsupported;
	uint64_t harness_errors;
	uint64_t divergence_hits[CF_STATS_DIVERGENCES]; /* index n counts id Dnn */
	uint8_t behaviours[1u << (CF_FEATURE_BITS - 3)]; /* one bit per feature */
};

/* Map PATH (created and sized if needed). NULL with err filled on failure.
 * The descriptor is closed again; only the mapping stays. */
struct cf_stats_page *cf_stats_open(const char *path, char *err, size_t errlen);
/* Add one execution's outcome; safe across processes (atomic adds). */
void cf_stats_record(struct cf_stats_page *s, const struct cf_outcome *o);
void cf_stats_close(struct cf_stats_page *s);
/* The page's layout as a JSON object, for readers in other languages. */
void cf_stats_layout_json(FILE *out);

#endif
