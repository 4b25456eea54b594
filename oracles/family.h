/* The skeleton the two AIO families' oracles (aio_oracle.c, native AIO;
 * posix_oracle.c, POSIX AIO) share: a judgement in progress over one
 * history, which accepted request each event belongs to, and how many
 * events each request got. Internal to oracles/. */
#ifndef CF_FAMILY_H
#define CF_FAMILY_H

#include "history.h"
#include "verdict.h"

struct family {
	const struct cf_history *h;
	enum cf_spec spec;
	struct cf_judgement *j;
	int16_t first[CF_MAX_REQS]; /* index of a request's first counted event, -1 */
	uint8_t count[CF_MAX_REQS]; /* its counted events, up to 255 */
	int unsettled;              /* some act ran out of its settle budget */
};

/* For an oracle whose model embeds struct family as f: a finding, and
 * request i of the history. */
#define REPORT(m, inv, tag, allows, ...) \
	cf_judge_report((m)->f.j, (m)->f.spec, (inv), (tag), (allows), __VA_ARGS__)
/* A finding about cancel c and request t: a registered tag must meet its
 * registry condition (conditions.c). */
#define REPORT_ON(m, inv, tag, allows, c, t, ...) \
	cf_judge_report_on((m)->f.j, (m)->f.spec, (inv), (tag), (allows), (c), (t), __VA_ARGS__)
#define R(m, i) family_req(&(m)->f, (i))

/* Starts judging h into j (cleared): first[] -1, unsettled from the acts. */
void family_start(struct family *f, const struct cf_history *h, enum cf_spec spec,
		  struct cf_judgement *j);

static inline const struct cf_req_rec *family_req(const struct family *f, int i)
{
	return &f->h->reqs[i];
}

/* Accepted by the kernel or the C library (a submission, not a cancel). */
int family_submitted(const struct cf_req_rec *r);

enum family_owner {
	FAMILY_NO_REQUEST = -1,   /* the event names no request of the program */
	FAMILY_NOT_ACCEPTED = -2, /* its request was not accepted by then */
};
/* The request event e belongs to, or why it belongs to none. */
int family_event_owner(const struct family *f, const struct cf_cqe_rec *e);
/* Counts event e for request i (its owner): first[] and count[]. */
void family_count_event(struct family *f, int i, unsigned e);

#endif
