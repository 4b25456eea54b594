/* The io_uring oracle: builds the per-act facts of a history (closes,
 * DRAINs, accepts), then runs pass 1 (attribution, uring_attribute.c) and
 * pass 2 (each cancel, uring_cancels.c; each request's fate,
 * uring_fates.c). Linear in the history for a bounded number of requests
 * (CF_MAX_REQS). */
#include "uring.h"

#include <string.h>

#include "families.h"
#include "racy.h"

/* closed_at[] (first successful close of each slot) and drain_seen_by[]. */
static void note_closes_and_drains(struct model *m)
{
	const struct cf_history *h = m->h;

	cf_closes(h, m->closed_at);
	for (unsigned a = 0; a < h->nacts; a++)
		m->drain_seen_by[a] = (uint8_t)cf_drain_by(h, (int)a);
}

/* accepts_by[]: one pass over the CQEs, matched against the user_data of
 * the program's accepts. */
static void count_accepts(struct model *m)
{
	const struct cf_history *h = m->h;
	uint64_t uds[CF_MAX_REQS];
	unsigned nuds = 0, c = 0, count = 0;

	for (unsigned i = 0; i < h->nreqs; i++)
		if ((h->reqs[i].req == CF_REQ_ACCEPT || h->reqs[i].req == CF_REQ_ACCEPT_MULTI) &&
		    cf_has_sqe(&h->reqs[i]))
			uds[nuds++] = h->reqs[i].user_data;
	for (unsigned a = 0; a < h->nacts; a++) {
		for (; c < h->ncqes && h->cqes[c].act == a; c++)
			for (unsigned k = 0; k < nuds && h->cqes[c].res >= 0; k++)
				if (uds[k] == h->cqes[c].user_data) {
					count++;
					break;
				}
		m->accepts_by[a] = count;
	}
}

void cf_uring_oracle(const struct cf_history *h, enum cf_spec spec, struct cf_judgement *j)
{
	static struct model m; /* large; one judgement at a time */
	struct cf_program prog;
	char why[128];

	memset(j, 0, sizeof(*j));
	memset(&m, 0, sizeof(m));
	memcpy(j->fault, h->fault, sizeof(j->fault));
	m.h = h;
	j->h = h;
	m.spec = spec;
	m.j = j;
	cf_decode(h->program, h->program_len, &prog);
	m.racy = cf_program_racy_on(&prog, h->iowq_files, why, sizeof(why));
	m.exact = !m.racy && (h->mode == CF_MODE_DEFAULT || h->mode == CF_MODE_COOP ||
			      h->mode == CF_MODE_SMALLCQ);
	note_closes_and_drains(&m);
	uring_attribute(&m);
	uring_mark_doomed_chains(&m);
	count_accepts(&m);
	/* Cancels claim their targets in the order they ran, which is not the
	 * order they were queued: a sync cancel runs at once, an SQE cancel
	 * queued before it only at a later submit; within one submit a cancel
	 * held behind its chain, io-wq or a DRAIN runs after the others. */
	for (int a = 0; a < (int)h->nacts; a++)
		for (unsigned i = 0; i < 2 * h->nreqs; i++)
			if (h->reqs[i % h->nreqs].req == CF_REQ_CANCEL &&
			    uring_run_act(&m, (int)(i % h->nreqs)) == a &&
			    uring_cancel_deferred(&m, (int)(i % h->nreqs)) == (int)(i >= h->nreqs)) {
				/* Teardown's own cancels are the harness's tool: kernel level only. */
				m.spec = h->acts[h->reqs[i % h->nreqs].act].kind == CF_ACT_END_CANCEL ? CF_SPEC_KERNEL : spec;
				uring_check_cancel(&m, (int)(i % h->nreqs));
			}
	m.spec = spec;
	for (unsigned i = 0; i < h->nreqs; i++) /* never consumed: only the timing check */
		if (h->reqs[i].req == CF_REQ_CANCEL && cf_ran_at(&h->reqs[i]) < 0)
			uring_check_cancel(&m, (int)i);
	m.spec = spec;
	uring_check_fates(&m);
	cf_judge_verdict(j);
}
