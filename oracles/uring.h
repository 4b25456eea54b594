/* The io_uring oracle's model of one history, shared by its passes
 * (uring_*.c): what each request's CQEs say, the per-act facts, and the
 * questions of reach the cancel and fate checks both ask. Internal to
 * oracles/. */
#ifndef CF_URING_H
#define CF_URING_H

#include "history.h"
#include "model.h"
#include "verdict.h"

struct req_state {
	uint8_t submitted, done, ambiguous, claimed;
	uint8_t doomed; /* its chain has a member that failed prep: never issued */
	uint8_t late_enter; /* consumed after an SQE of its act failed prep: by a later enter */
	uint8_t silent; /* no final CQE, and may post none: IOSQE_CQE_SKIP_SUCCESS on it
			 * (a success) or on a chain member ahead of it (a failure) */
	uint8_t maysilent; /* may post no CQE (as above), whether or not it posted one */
	int16_t final_act;
	int32_t final_res;
	int16_t chain_prev; /* the request it is linked behind in one submit (SQPOLL: any), -1 none */
	int16_t cqe;        /* its CQE for SQE cancels, -1 none */
};

struct model {
	const struct cf_history *h;
	const struct cf_history *full; /* h with msg_ring messages and the second ring's records */
	enum cf_spec spec;
	struct cf_judgement *j;
	struct req_state r[CF_MAX_REQS];
	int racy, exact; /* exact: counts are checked exactly */
	int16_t closed_at[CF_SLOT__COUNT]; /* act that closed the slot's fd, -1 */
	uint8_t drain_seen_by[CF_MAX_ACTS]; /* an IO_DRAIN request was submitted at or before */
};

#define report(m, ...) cf_judge_report((m)->j, (m)->spec, __VA_ARGS__)
/* report about cancel c and request t: a registered tag must meet its condition */
#define report_on(m, inv, tag, allows, c, t, ...) \
	cf_judge_report_on((m)->j, (m)->spec, (inv), (tag), (allows), (c), (t), __VA_ARGS__)

static inline const struct cf_req_rec *R(const struct model *m, int i)
{
	return &m->h->reqs[i];
}

/* ---- pass 1 (uring_attribute.c) ---- */

/* Gives every CQE to a request, links chains (chain_prev). */
void uring_attribute(struct model *m);
/* Errors a cancel's fields alone decide; 1 when its result must be one of
 * errs[] (kernel). */
int uring_field_errors(const struct model *m, const struct cf_req_rec *c, int errs[4], int *n);
/* Can request i not have posted CQE c (its result, its timing)? */
int uring_cannot_carry(const struct model *m, int i, const struct cf_cqe_rec *c);
/* Marks the members of chains that fail at submit (doomed). */
void uring_mark_doomed_chains(struct model *m);

/* ---- reach (uring_reach.c) ---- */

int uring_in_flight_at(const struct model *m, int t, int c, int n);
int uring_unsure_finished(const struct model *m, int p, int n);
int uring_cancel_deferred(const struct model *m, int c);
/* The act cancel c ran in as far as claims go: a deferred SQE cancel's CQE
 * act, else cf_ran_at. */
int uring_run_act(const struct model *m, int c);
/* Does cancel k run after cancel c (claim order)? */
int uring_runs_after(const struct model *m, int k, int c);
int uring_reachable_by(const struct model *m, int t, int c, int n);
int uring_held_cancel_matched(const struct model *m, int c, int t);
int uring_surely_in_flight(const struct model *m, int t, int n);
/* Act n, or for an act on an actor or in a race group, the next act of a0
 * outside any group: by its end, what act n caused has been posted. */
int uring_race_horizon(const struct model *m, int n);
int uring_target_deadline(const struct model *m, int n, int *defer_late);
/* A cancel's result; *known 0 when an SQE cancel got no final CQE. */
int uring_cancel_result(const struct model *m, int c, int *known);

/* ---- msg_ring (uring_msgs.c) ---- */

/* Each msg_ring's result and its messages, as recorded in full. */
void uring_check_msgs(struct model *m, const struct cf_history *full);

/* ---- the second ring (uring_ring1.c) ---- */

/* h without msg_ring messages and without the second ring's requests and
 * CQEs (out filled, 1), or 0 when it has none of them (out untouched). */
int uring_view_ring0(const struct cf_history *h, struct cf_history *out);
/* The second ring's requests, CQEs and cancels, as recorded in full. */
void uring_check_ring1(struct model *m, const struct cf_history *full);

/* ---- pass 2 (uring_cancels.c, uring_fates.c) ---- */

/* Every check of cancel c, at the spec level in m->spec. */
void uring_check_cancel(struct model *m, int c);
/* Every remove and update request (uring_removes.c); removes claim targets. */
void uring_check_removes(struct model *m);
/* Did an update that may have succeeded name request t? */
int uring_updated(const struct model *m, int t);
/* Does c head a chain left open at its submit (handed to io-wq when the
 * submit ends, so it runs later; uring_reach.c)? */
int uring_heads_open_chain(const struct model *m, int c);
/* Is request t a 60 s link timeout no update may have changed? It never
 * fires within an execution (uring_removes.c). */
int uring_long_link_timeout(const struct model *m, int t);
/* Is request i a MULTISHOT timeout that outlived the teardown (D55), or
 * held by one: in its chain (its link timeout too), or behind a DRAIN
 * that waits for it (uring_fates.c)? No cancel ends such a request. */
int uring_held_by_rearming_timeout(const struct model *m, unsigned i);
/* Timeouts: count, MULTISHOT (uring_timers.c). */
void uring_check_timers(struct model *m);
/* Is request t linked behind an ETIME_SUCCESS timeout that expired? */
int uring_behind_etime_success(const struct model *m, int t);
/* Every request's fate, once the cancels have claimed their targets. */
void uring_check_fates(struct model *m);
/* Cancels made on the second ring, which holds no request (thread1 actors). */

#endif
