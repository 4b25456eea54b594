/* Saving findings: minimized, deduplicated by signature, never half-written. */
#ifndef CF_FINDINGS_H
#define CF_FINDINGS_H

#include <stddef.h>

#include "target.h"

/* Minimize p while the same signature reproduces; returns the executions spent. */
unsigned cf_minimize_finding(struct cf_program *p, enum cf_spec spec, const char *sig,
			     unsigned budget);
/* Did the finding cf_minimize_finding last minimized with signature sig
 * show in none of its cold runs after minimizing (20 for a race group, 5
 * otherwise)? Such a finding is saved and listed like any other, but not
 * counted as new: it showed once, under that moment's load. */
int cf_finding_unconfirmed(const char *sig);
/* Write DIR/<hash>.bin, .cfp and .verdict unless that signature is already
 * there. 1 written, 0 duplicate, -1 error (err filled). */
/* Tries a replay of a race finding shown in hits of runs runs needs to
 * show it at least once in 95% of replays, when each try shows it with a
 * CF_RACE_DRIFT-th of the 95% lower bound of its hit rate (at most
 * CF_RACE_TRIES_MAX; that when hits is 0). The runs are back to back and
 * share the machine's momentary load; a replay a minute later showed the
 * race up to 8.6 times less often than that bound on this shared 2-core
 * machine (docs/benchmarks.md, "race reproduction"). A replay stops at the
 * first hit, so a generous bound costs only when the race is gone. */
#define CF_RACE_TRIES_MAX 1000
#define CF_RACE_DRIFT 10
unsigned cf_race_tries(unsigned hits, unsigned runs);

int cf_save_finding(const char *dir, const struct cf_program *p, const char *sig,
		    const struct cf_judgement *j, const char *engine, char *err, size_t errlen);

/* Write DIR/<hash>.history, the history of the execution that first
 * showed the finding (before minimizing: for a racy finding that will not
 * replay, what happened), unless that signature is already saved. Call it
 * before cf_save_finding, whose .verdict marks a complete finding. 1
 * written, 0 duplicate, -1 error (err filled). */
int cf_save_finding_history(const char *dir, const char *sig, const struct cf_history *h,
			    char *err, size_t errlen);

/* Where a finding went (cf_save_finding_anywhere). */
struct cf_saved {
	int fallback;    /* 1: not in the folder asked for */
	char where[4096]; /* the folder it is in, or "stderr" (hex) */
	char err[512];    /* why the folder asked for failed (fallback only) */
};

/* cf_save_finding into DIR; if that fails, into the fallback folder
 * (cf_findings_fallback_dir), and if that fails too, as hex and text on
 * stderr. A finding is never dropped. 1 new, 0 saved before (in DIR or the
 * fallback); *out says where and why. */
int cf_save_finding_anywhere(const char *dir, const struct cf_program *p, const char *sig,
			     const struct cf_judgement *j, const char *engine, struct cf_saved *out);
/* $CF_FINDINGS_FALLBACK, else $TMPDIR (or /tmp) /cancelfuzz-findings-PID. */
const char *cf_findings_fallback_dir(void);
/* mkdir -p DIR, then check that it is a folder a file can be created in.
 * 0, or -1 with err = "DIR: problem". Warns on stderr (prefix WHO) when
 * less than 1 MiB is free there. */
int cf_prepare_out_dir(const char *who, const char *dir, char *err, size_t errlen);

#endif
