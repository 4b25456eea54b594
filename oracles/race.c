/* Race groups, judged the way linearizability checkers judge concurrent
 * operations: acts of one race group that overlapped in time may have taken
 * effect in any order, so the history is judged once per order of them that
 * real time allows (an act that ended before another began stays ahead of
 * it), and the best judgement counts: the outcome is accepted if some
 * order explains it. Everything else is judged as before, by the family's
 * oracle (io_uring's or mode aio's), on each reordered copy.
 *
 * When no order passes, three more readings of what real time allows are
 * judged the same way: a submit another act overlapped split between two
 * of its SQEs; racing enters taking their SQEs in the order they began;
 * CQEs of a0's task work placed as early as they may have come.
 *
 * Cost: a group whose k acts all overlap has k! orders (k <= 4: at most
 * 24); groups multiply. The search stops at the first order that passes and
 * tries at most CF_RACE_MAX_ORDERS orders (docs/invariants.md, "Race
 * groups"). */
#include "race.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "families.h"
#include "model.h"

#define PX_MAX_MOVES 3 /* mode posix: "done" events placed per run; (n + 1)^3 <= 125 */

struct run_of_acts {
	unsigned first, n;
	unsigned norders, orders[24][CF_ACTORS];
	/* mode posix: the "done" events the run's calls or its go saw, and
	 * how many placements of them are tried (see place_done) */
	unsigned nmove, moves[PX_MAX_MOVES], nplace;
};

static struct cf_history copy, best_copy; /* large; one judgement at a time */

/* The oracle of the history's family (the families with race groups). */
static void family_oracle(const struct cf_history *h, enum cf_spec spec, struct cf_judgement *j)
{
	if (cf_mode_family(h->mode) == CF_FAMILY_AIO)
		cf_aio_oracle(h, spec, j);
	else if (cf_mode_family(h->mode) == CF_FAMILY_POSIX)
		cf_posix_oracle(h, spec, j);
	else
		cf_uring_oracle(h, spec, j);
}

/* Every order of the run's acts that keeps real-time precedence. */
static void orders_of(const struct cf_history *h, struct run_of_acts *run, unsigned *perm,
		      unsigned depth, unsigned used)
{
	if (depth == run->n) {
		if (run->norders < 24)
			memcpy(run->orders[run->norders++], perm, run->n * sizeof(*perm));
		return;
	}
	for (unsigned k = 0; k < run->n; k++) {
		int blocked = 0;

		if (used & (1u << k))
			continue;
		/* k may come next only if no unused act ended before k began */
		for (unsigned o = 0; o < run->n && !blocked; o++)
			blocked = o != k && !(used & (1u << o)) &&
				  h->acts[run->first + o].t1 < h->acts[run->first + k].t0;
		if (blocked)
			continue;
		perm[depth] = k;
		orders_of(h, run, perm, depth + 1, used | (1u << k));
	}
}

/* Is the run's one order the order its acts were recorded in? (A split
 * submit's halves are recorded around the acts that overlapped it.) */
static int in_order(const struct run_of_acts *run)
{
	for (unsigned k = 0; k < run->n; k++)
		if (run->orders[0][k] != k)
			return 0;
	return 1;
}

/* Mode posix: a request's "done" event is seen when a call of the run ends
 * (the actor asks aio_error) or at its go, but the helper thread may have
 * finished it at any point of the run before then. Which point is part of
 * the order: each such event gets a place after one act of the run, or
 * stays where it was seen (place_done). */
static void movable_done(const struct cf_history *h, struct run_of_acts *run)
{
	unsigned go = run->first + run->n;

	run->nmove = 0;
	run->nplace = 1;
	if (cf_mode_family(h->mode) != CF_FAMILY_POSIX)
		return;
	for (unsigned c = 0; c < h->ncqes && run->nmove < PX_MAX_MOVES; c++) {
		unsigned seen = h->cqes[c].act;

		if (h->cqes[c].source != CF_EV_DONE || seen < run->first || seen > go ||
		    (seen == go && (go >= h->nacts || h->acts[go].kind != CF_ACT_OP || h->acts[go].group)))
			continue;
		run->moves[run->nmove++] = c;
		run->nplace *= run->n + 1;
	}
}

static unsigned find_runs(const struct cf_history *h, struct run_of_acts *runs, unsigned max,
			  int keep_single)
{
	unsigned nruns = 0;

	for (unsigned a = 0; a < h->nacts && nruns < max;) {
		unsigned n = 0;
		unsigned perm[CF_ACTORS];

		while (a + n < h->nacts && n < CF_ACTORS && h->acts[a + n].kind == CF_ACT_OP &&
		       h->acts[a + n].group && h->acts[a + n].group == h->acts[a].group)
			n++;
		if (n < 2) {
			a += n ? n : 1;
			continue;
		}
		runs[nruns].first = a;
		runs[nruns].n = n;
		runs[nruns].norders = 0;
		orders_of(h, &runs[nruns], perm, 0, 0);
		movable_done(h, &runs[nruns]);
		if (runs[nruns].norders > 1 || !in_order(&runs[nruns]) || keep_single ||
		    runs[nruns].nmove)
			nruns++;
		a += n;
	}
	return nruns;
}

/* The request whose SQE carries ud, when exactly one does; -1 otherwise. */
static int owner_of(const struct cf_history *h, uint64_t ud)
{
	int found = -1;

	for (unsigned i = 0; i < h->nreqs; i++)
		if (h->reqs[i].sub_act >= 0 && h->reqs[i].user_data == ud &&
		    !(h->reqs[i].req == CF_REQ_CANCEL && h->acts[h->reqs[i].act].kind != CF_ACT_OP)) {
			if (found >= 0)
				return -1;
			found = (int)i;
		}
	return found;
}

/* Does SQE cancel c complete inside the enter that consumed it? Not when
 * it waits behind a link of that submit, goes to io-wq (IOSQE_ASYNC), or
 * is held back by a DRAIN, its own or one consumed before it (seeds 522,
 * 544): then it posts when it runs. */
static int completes_inline(const struct cf_history *h, int c)
{
	const struct cf_req_rec *r = &h->reqs[c];

	if ((r->odd & CF_ODD_ASYNC) || (r->sqe_flags & CF_SQE_DRAIN))
		return 0;
	for (int p = 0; p < c && r->sub_act >= 0; p++)
		if (h->reqs[p].sub_act >= 0 && h->reqs[p].sub_act <= r->sub_act &&
		    (h->reqs[p].sqe_flags & CF_SQE_DRAIN))
			return 0;
	for (int p = c - 1; p >= 0 && r->sub_act >= 0; p--)
		if (h->reqs[p].sub_act == r->sub_act)
			return !cf_links_next(&h->reqs[p]);
	return 1;
}

static void place_done(struct cf_history *out, const struct cf_history *h,
		       const struct run_of_acts *run, const unsigned *perm, unsigned place);

/* The run's acts in the order perm (position k: the act that was at
 * first + perm[k]), and each CQE first seen after one of them placed as
 * late as real time allows: after the last act, in the new order, that
 * had begun when the CQE was seen (any of those may have posted it) -
 * except the CQE of an SQE cancel that an enter of the run consumed: that
 * enter posted it (a cancel completes inline), so it goes right after it
 * when that enter had begun by then.
 * With early set, a CQE no act of the run posted itself is placed as
 * early as real time allows instead: right after the last act, in the new
 * order, that ended before the act whose end first saw it ended (its call
 * saw the CQ without it; seed 531), or, when no call missed it, right after
 * the first act of the order (seed 538). Task work of a0, woken by an act
 * of the run, may post it any time in between. */
static void reorder(struct cf_history *out, const struct cf_history *h,
		    const struct run_of_acts *run, const unsigned *perm, int early, unsigned place)
{
	static uint16_t at_of[CF_MAX_CQES];
	uint16_t last = 0, next = UINT16_MAX;

	cf_history_reorder_acts(out, run->first, run->n, perm);
	cf_history_renumber_reqs(out, run->first, run->n, NULL);
	if (cf_mode_family(h->mode) == CF_FAMILY_POSIX) {
		place_done(out, h, run, perm, place);
		return;
	}
	for (unsigned c = 0; c < h->ncqes; c++) {
		unsigned seen = h->cqes[c].act;

		at_of[c] = out->cqes[c].act;
		if (seen >= run->first && seen < run->first + run->n && h->cqes[c].source == CF_EV_COPIED) {
			/* mode aio: the event io_cancel copied out is its own act's */
			for (unsigned k = 0; k < run->n; k++)
				if (run->first + perm[k] == seen)
					at_of[c] = (uint16_t)(run->first + k);
		} else if (seen >= run->first && seen < run->first + run->n) {
			int64_t when = h->acts[seen].t1;
			unsigned at = run->first;

			int own = owner_of(h, h->cqes[c].user_data);
			/* only a cancel's own CQE: other requests' may come from any act */
			int sub = own >= 0 && h->reqs[own].req == CF_REQ_CANCEL && completes_inline(h, own)
					  ? h->reqs[own].sub_act : -1;

			for (unsigned k = 0; k < run->n; k++)
				if (h->acts[run->first + perm[k]].t0 <= when)
					at = run->first + k;
			if (early && sub < 0) {
				int64_t before = INT64_MIN; /* the latest end of a call that missed it */
				unsigned e = run->first; /* none: after the order's first act */

				for (unsigned k = 0; k < run->n; k++)
					if (h->acts[run->first + k].t1 < when && h->acts[run->first + k].t1 > before)
						before = h->acts[run->first + k].t1;
				for (unsigned k = 0; before != INT64_MIN && k < run->n; k++)
					if (h->acts[run->first + perm[k]].t1 <= before)
						e = run->first + k;
				at = e < at ? e : at;
			}
			for (unsigned k = 0; sub >= (int)run->first && k < run->n; k++)
				if (run->first + perm[k] == (unsigned)sub && h->acts[sub].t0 <= when)
					at = run->first + k;
			at_of[c] = (uint16_t)at;
		}
	}
	/* CQ order holds: a CQE posted before another is placed no later than
	 * it (a cancel's own CQE pins the CQEs ahead of it in the CQ), then
	 * none earlier than the one before it. */
	for (unsigned c = h->ncqes; c-- > 0;) {
		unsigned seen = h->cqes[c].act;

		if (h->cqes[c].source == CF_EV_COPIED)
			continue; /* not in the ring: no ring order */
		if (seen >= run->first && seen < run->first + run->n) {
			if (at_of[c] > next)
				at_of[c] = next;
			next = at_of[c];
		} else if (seen < run->first) {
			break;
		}
	}
	int copied = 0;

	for (unsigned c = 0; c < h->ncqes; c++) {
		out->cqes[c].act = at_of[c];
		if (out->cqes[c].source == CF_EV_COPIED) {
			copied = 1;
			continue;
		}
		if (out->cqes[c].act < last)
			out->cqes[c].act = last;
		last = out->cqes[c].act;
	}
	/* A copied event stays with its io_cancel: the events stay in act
	 * order, the ring's among themselves as they were. */
	for (unsigned x = 1; copied && x < h->ncqes; x++)
		for (unsigned y = x; y > 0 && out->cqes[y].act < out->cqes[y - 1].act; y--) {
			struct cf_cqe_rec t = out->cqes[y];

			out->cqes[y] = out->cqes[y - 1];
			out->cqes[y - 1] = t;
		}
}

/* Mode posix: each movable "done" event (run->moves) goes to the act at
 * position d of the new order, d one digit of place in base n + 1, or stays
 * where it was seen (d = n); never to an act that began after it was seen.
 * An ECANCELED end is its cancel's, during the call; any other end came
 * after the call of the act it is placed at (CF_PX_DONE_AFTER_CALL): the
 * helper finishes a read some time after the write that feeds it. Other
 * events keep their act; the events are then put back in act order
 * (stable: a request's own events keep theirs). */
static void place_done(struct cf_history *out, const struct cf_history *h,
		       const struct run_of_acts *run, const unsigned *perm, unsigned place)
{
	for (unsigned m = 0; m < run->nmove; m++) {
		unsigned c = run->moves[m], d = place % (run->n + 1), seen = h->cqes[c].act;
		int64_t when = h->acts[seen].t1;

		place /= run->n + 1;
		if (h->cqes[c].res2 != ECANCELED)
			out->cqes[c].flags |= CF_PX_DONE_AFTER_CALL;
		if (d == run->n)
			continue; /* reorder_acts already moved it with its act */
		if (h->acts[run->first + perm[d]].t0 > when)
			continue; /* that act began after the event was seen: keep it */
		out->cqes[c].act = (uint16_t)(run->first + d);
	}
	for (unsigned x = 1; x < h->ncqes; x++)
		for (unsigned y = x; y > 0 && out->cqes[y].act < out->cqes[y - 1].act; y--) {
			struct cf_cqe_rec t = out->cqes[y];

			out->cqes[y] = out->cqes[y - 1];
			out->cqes[y - 1] = t;
		}
}

static unsigned untagged(const struct cf_judgement *j)
{
	unsigned n = 0;

	for (unsigned i = 0; i < j->nfindings; i++)
		n += !j->f[i].tag;
	return n;
}

/* A better order: a better verdict; then fewer findings no tag explains
 * (with the registry emptied every tag is new, and an order that needs
 * only tagged behaviour is the reading to report: blind rediscovery run,
 * a614bf43); then fewer findings. */
static int better(const struct cf_judgement *a, const struct cf_judgement *b)
{
	if (a->verdict != b->verdict)
		return a->verdict < b->verdict;
	if (untagged(a) != untagged(b))
		return untagged(a) < untagged(b);
	return a->nfindings < b->nfindings;
}

int cf_history_has_races(const struct cf_history *h)
{
	for (unsigned a = 0; a < h->nacts; a++)
		if (h->acts[a].kind == CF_ACT_OP && h->acts[a].group)
			return 1;
	return 0;
}

/* Every order of h's runs, until one passes or the budget is spent; the
 * best judgement so far is in *j (its history in best_copy) once *have. */
static void search_orders(const struct cf_history *h, enum cf_spec spec, struct cf_judgement *j,
			  int *have, unsigned *tried, int early)
{
	static struct run_of_acts runs[CF_MAX_ACTS / 2];
	static struct cf_judgement jj;
	unsigned nruns = find_runs(h, runs, CF_MAX_ACTS / 2, early), pick[CF_MAX_ACTS / 2] = { 0 };
	size_t size = offsetof(struct cf_history, cqes) + h->ncqes * sizeof(h->cqes[0]);

	for (;;) {
		memcpy(&copy, h, size);
		for (unsigned r = 0; r < nruns; r++)
			reorder(&copy, h, &runs[r], runs[r].orders[pick[r] % runs[r].norders], early,
				pick[r] / runs[r].norders);
		family_oracle(&copy, spec, &jj);
		++*tried;
		if (!*have || better(&jj, j)) {
			memcpy(&best_copy, &copy, size);
			*j = jj;
			j->h = &best_copy;
			*have = 1;
		}
		if (j->verdict == CF_VERDICT_PASS || *tried >= CF_RACE_MAX_ORDERS)
			return;
		/* next combination, mixed radix */
		unsigned r = 0;
		while (r < nruns && ++pick[r] == runs[r].norders * runs[r].nplace)
			pick[r++] = 0;
		if (r == nruns)
			return;
	}
}

/* Two enters of one run that both consumed SQEs: the harness gives the
 * SQEs to the one whose call ended first, but the kernel serves enters in
 * the order they take the ring's lock. Give them out in the order the
 * calls began instead, each taking as many as it returned (seed 532).
 * When the enters (one or more) returned more than the harness gave the
 * run, the rest are the next SQEs it recorded later (the harness reads the
 * SQ head as each call ends; pass-regress-racing-enters-took-later-sqes,
 * pass-regress-racing-enter-took-a-later-sqe).
 * Returns 0 when nothing changed. */
static int consume_in_begin_order(struct cf_history *h, const struct run_of_acts *run)
{
	unsigned enters[CF_ACTORS + 1], n = 0, total = 0, sum = 0, changed = 0, later = 0;
	int end = (int)(run->first + run->n);

	for (unsigned k = 0; k < run->n; k++) {
		unsigned a = run->first + k, j;

		if (h->acts[a].kind != CF_ACT_OP || h->acts[a].op_kind != CF_OP_WAIT || h->acts[a].res <= 0 ||
		    h->acts[a].a[CF_W_HOW] > CF_WAIT_GETEVENTS)
			continue;
		for (j = n++; j > 0 && h->acts[enters[j - 1]].t0 > h->acts[a].t0; j--)
			enters[j] = enters[j - 1];
		enters[j] = a;
		sum += (unsigned)h->acts[a].res;
	}
	for (unsigned i = 0; i < h->nreqs; i++)
		total += h->reqs[i].sub_act >= (int)run->first && h->reqs[i].sub_act < end;
	/* the next SQEs (ring 0, queued before the run ended) recorded as
	 * consumed after it */
	for (unsigned i = 0; i < h->nreqs && total + later < sum; i++)
		if (cf_has_sqe(&h->reqs[i]) && h->reqs[i].sub_act >= end && (int)h->reqs[i].act < end) {
			if (h->reqs[i].ring)
				return 0;
			later++;
		}
	/* (one enter too: the harness may have given its SQEs to another act
	 * of the run, one whose reading of the SQ head was stale: campaign
	 * seed 65, b6bc1b4b, a task1 actor's act) */
	if (n == 0 || sum != total + later)
		return 0;
	for (unsigned i = 0; i < h->nreqs && later; i++)
		if (cf_has_sqe(&h->reqs[i]) && h->reqs[i].sub_act >= end && (int)h->reqs[i].act < end) {
			h->reqs[i].sub_act = (int16_t)(end - 1); /* in the run: placed below */
			later--;
		}
	for (unsigned i = 0, e = 0, taken = 0; i < h->nreqs; i++) {
		if (h->reqs[i].sub_act < (int)run->first || h->reqs[i].sub_act >= end)
			continue;
		while (taken == (unsigned)h->acts[enters[e]].res)
			e++, taken = 0;
		changed += h->reqs[i].sub_act != (int)enters[e];
		h->reqs[i].sub_act = (int16_t)enters[e];
		taken++;
	}
	return changed != 0;
}

/* Does act a of a race group overlap another act of its group? */
static int overlapped(const struct cf_history *h, unsigned a)
{
	for (unsigned b = a > CF_ACTORS ? a - CF_ACTORS : 0; b < h->nacts && b <= a + CF_ACTORS; b++)
		if (cf_acts_overlap(h, a, b))
			return 1;
	return 0;
}

void cf_race_judge(const struct cf_history *h, enum cf_spec spec, struct cf_judgement *j,
		   unsigned *orders_tried)
{
	static struct run_of_acts runs[CF_MAX_ACTS / 2];
	static struct cf_history split;
	unsigned nruns = find_runs(h, runs, CF_MAX_ACTS / 2, 0);
	size_t size = offsetof(struct cf_history, cqes) + h->ncqes * sizeof(h->cqes[0]);
	unsigned tried = 0;
	int have = 0, moved = 0;

	search_orders(h, spec, j, &have, &tried, 0);
	/* The three readings below are io_uring's (SQEs, enters, a0's task
	 * work); mode aio's calls are one syscall each, its events a0's looks. */
	if (cf_mode_family(h->mode) != CF_FAMILY_URING) {
		if (orders_tried)
			*orders_tried = tried;
		return;
	}
	/* A submit of several SQEs is no atomic step: an act of another actor
	 * that overlapped it may have run between two of its SQEs (seed 516).
	 * Each such submit, split after each of its SQEs in turn, is judged
	 * the same way; the best judgement counts. */
	for (unsigned r = 0; r < nruns && j->verdict != CF_VERDICT_PASS; r++) {
		if (runs[r].n >= CF_ACTORS)
			continue; /* the split's run would not fit in an order */
		for (unsigned a = runs[r].first; a < runs[r].first + runs[r].n; a++) {
			for (unsigned k = 1; overlapped(h, a) && j->verdict != CF_VERDICT_PASS &&
					     tried < CF_RACE_MAX_ORDERS; k++) {
				memcpy(&split, h, size);
				if (cf_history_split_act(&split, a, k) < 0)
					break;
				search_orders(&split, spec, j, &have, &tried, 0);
			}
		}
	}
	/* Racing enters took the SQEs in the order they began (seed 532). */
	memcpy(&split, h, size);
	for (unsigned r = 0; r < nruns; r++)
		moved |= consume_in_begin_order(&split, &runs[r]);
	if (moved && j->verdict != CF_VERDICT_PASS && tried < CF_RACE_MAX_ORDERS)
		search_orders(&split, spec, j, &have, &tried, 0);
	/* A CQE that a0's task work posted may have come before an act of
	 * the run that began before the CQ showed it (seed 531). */
	if (j->verdict != CF_VERDICT_PASS && tried < CF_RACE_MAX_ORDERS)
		search_orders(h, spec, j, &have, &tried, 1);
	if (orders_tried)
		*orders_tried = tried;
}
