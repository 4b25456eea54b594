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

/* Did a thread other than a0 submit a request? Its completions then run
 * in that thread's task work, when that thread next leaves the kernel (an
 * idle actor: on its own time), so when its CQEs show says little: timing
 * checks are relaxed as for io-wq (issue 14's first campaigns). */
static int submitted_by_actor(const struct cf_history *h)
{
	for (unsigned i = 0; i < h->nreqs; i++) {
		int a = h->reqs[i].sub_act;

		if (h->reqs[i].req != CF_REQ_CANCEL && a >= 0 && (unsigned)a < h->nacts &&
		    h->acts[a].kind == CF_ACT_OP && h->acts[a].actor)
			return 1;
	}
	return 0;
}

/* Did cancel c, held back (behind its chain, io-wq or a DRAIN), run in
 * act a, the act that submitted it? */
static int held_in_its_submit(const struct model *m, int c, int a)
{
	return uring_cancel_deferred(m, c) && m->h->reqs[c].sub_act == a;
}

void cf_uring_oracle(const struct cf_history *h, enum cf_spec spec, struct cf_judgement *j)
{
	static struct model m; /* large; one judgement at a time */
	static struct cf_history stripped; /* h without messages and the second ring's records */
	const struct cf_history *full = h;
	struct cf_program prog;
	char why[128];

	if (uring_view_ring0(full, &stripped))
		h = &stripped;

	memset(j, 0, sizeof(*j));
	memset(&m, 0, sizeof(m));
	memcpy(j->fault, h->fault, sizeof(j->fault));
	m.h = h;
	m.full = full;
	j->h = h;
	m.spec = spec;
	m.j = j;
	cf_decode(h->program, h->program_len, &prog);
	m.racy = cf_program_kernel_racy_on(&prog, h->iowq_files, why, sizeof(why)) ||
		 submitted_by_actor(h);
	m.exact = !m.racy && (h->mode == CF_MODE_DEFAULT || h->mode == CF_MODE_COOP ||
			      h->mode == CF_MODE_SMALLCQ);
	note_closes_and_drains(&m);
	uring_attribute(&m);
	uring_mark_doomed_chains(&m);
	/* Cancels claim their targets in the order they ran, which is not the
	 * order they were queued: a sync cancel runs at once, an SQE cancel
	 * queued before it only at a later submit; within one submit a cancel
	 * held behind its chain, io-wq or a DRAIN runs after the others. One
	 * held since an earlier act may have run first (campaign seed 77,
	 * 1d0101d0: hardlinked behind a read a racing write ended). */
	for (int a = 0; a < (int)h->nacts; a++)
		for (unsigned i = 0; i < 2 * h->nreqs; i++)
			if (h->reqs[i % h->nreqs].req == CF_REQ_CANCEL &&
			    uring_run_act(&m, (int)(i % h->nreqs)) == a &&
			    held_in_its_submit(&m, (int)(i % h->nreqs), a) == (int)(i >= h->nreqs)) {
				/* Teardown's own cancels are the harness's tool: kernel level only. */
				m.spec = h->acts[h->reqs[i % h->nreqs].act].kind == CF_ACT_END_CANCEL ? CF_SPEC_KERNEL : spec;
				uring_check_cancel(&m, (int)(i % h->nreqs));
			}
	m.spec = spec;
	for (unsigned i = 0; i < h->nreqs; i++) /* never consumed: only the timing check */
		if (h->reqs[i].req == CF_REQ_CANCEL && cf_ran_at(&h->reqs[i]) < 0)
			uring_check_cancel(&m, (int)i);
	m.spec = spec;
	uring_check_removes(&m);
	uring_check_timers(&m);
	uring_check_fates(&m);
	uring_check_ring1(&m, full);
	uring_check_msgs(&m, full);
	cf_judge_verdict(j);
}
