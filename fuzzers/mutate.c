/* Programs that mean something: cancels aim at user_data and fds the program
 * really queued, waits follow work, and swarm testing reshapes each run. */
#include "mutate.h"

#include <string.h>

#include "aio_model.h"

void cf_swarm_all(struct cf_swarm *s)
{
	memset(s, 1, sizeof(*s));
	for (int k = 0; k < CF_OP__COUNT; k++)
		s->op_weight[k] = 4;
	s->op_weight[CF_OP_END] = 0;
}

void cf_swarm_pick(struct cf_rng *r, struct cf_swarm *s)
{
	int any = 0;

	cf_swarm_all(s);
	for (int m = 0; m < CF_MODE__COUNT; m++)
		any |= s->mode_on[m] = cf_rng_below(r, 3) != 0;
	if (!any)
		s->mode_on[CF_MODE_DEFAULT] = 1;
	for (int k = 0; k < CF_OP_END; k++)
		s->op_weight[k] = (uint8_t)(cf_rng_below(r, 5) == 0 ? 0 : 1 + cf_rng_below(r, 8));
	s->op_weight[CF_OP_QUEUE] |= 1; /* a program without requests tests nothing */
	s->op_weight[CF_OP_CANCEL] |= 1;
	s->op_weight[CF_OP_WAIT] |= 1;
	any = 0;
	for (int q = 0; q < CF_REQ__COUNT; q++)
		any |= s->req_on[q] = cf_rng_below(r, 3) != 0;
	if (!any)
		s->req_on[CF_REQ_READ] = 1;
	any = 0;
	for (int a = 0; a < CF_CANCEL__COUNT; a++)
		any |= s->api_on[a] = cf_rng_below(r, 3) != 0;
	if (!any)
		s->api_on[CF_CANCEL_SQE64] = 1;
}

static unsigned pick_enabled(struct cf_rng *r, const uint8_t *on, unsigned n)
{
	unsigned k = cf_rng_below(r, n);

	for (unsigned i = 0; i < n; i++)
		if (on[(k + i) % n])
			return (k + i) % n;
	return 0;
}

/* A slot that suits the request kind most of the time. */
static uint8_t slot_for(struct cf_rng *r, unsigned req)
{
	static const uint8_t readable[] = { CF_SLOT_PIPE0_R, CF_SLOT_PIPE1_R, CF_SLOT_SOCK0_A,
					    CF_SLOT_SOCK1_A, CF_SLOT_EVENTFD, CF_SLOT_CLIENT0 };

	if (cf_rng_below(r, 8) == 0)
		return (uint8_t)cf_rng_below(r, CF_SLOT__COUNT);
	if (req == CF_REQ_ACCEPT || req == CF_REQ_ACCEPT_MULTI)
		return CF_SLOT_LISTENER;
	if (req == CF_REQ_MSG_RING || req == CF_REQ_MSG_RING_SKIP) /* a ring, now and then not */
		return cf_rng_below(r, 4) ? (uint8_t)(CF_SLOT_RING0 + cf_rng_below(r, 2))
					  : readable[cf_rng_below(r, sizeof(readable))];
	if (req == CF_REQ_CONNECT)
		return (uint8_t)(CF_SLOT_CLIENT0 + cf_rng_below(r, 2));
	if (req == CF_REQ_WRITE)
		return cf_rng_below(r, 2) ? CF_SLOT_PIPE0_W : CF_SLOT_SOCK0_B;
	return readable[cf_rng_below(r, sizeof(readable))];
}

/* The slot byte of a remove, update or timer kind (program.h): mostly a
 * queued request's user_data as the target, 60 s or 1 ms, the monotonic
 * clock; now and then the other durations, clocks and flags. */
static uint8_t spec_for(struct cf_rng *r, unsigned req, const struct cf_program *p,
			const int *queued, int nq)
{
	unsigned target = nq && cf_rng_below(r, 4) ? p->ops[queued[cf_rng_below(r, (unsigned)nq)]].a[CF_Q_UD]
						    : cf_rng_below(r, CF_UD_POOL);
	unsigned dur = cf_rng_below(r, 4) ? (cf_rng_below(r, 2) ? CF_DURATIONS - 1 : 3)
					  : cf_rng_below(r, CF_DURATIONS);
	unsigned bad = cf_rng_below(r, 16) == 0 ? CF_T_BAD : 0;

	switch (cf_req_shape(req)) {
	case CF_SHAPE_REMOVE: /* now and then a reserved field the prep checks (cov3) */
		return (uint8_t)(target | bad | (cf_rng_below(r, 16) == 0 ? 1u << (3 + cf_rng_below(r, 4)) : 0));
	case CF_SHAPE_UPDATE:
		return (uint8_t)(target | dur << CF_T_UPD_TIME_SHIFT |
				 (cf_rng_below(r, 8) == 0 ? CF_T_UPD_ABS : 0) | bad);
	case CF_SHAPE_POLLUPD: /* mostly a valid update of the events; now and then any bits */
		return (uint8_t)(target | (cf_rng_below(r, 4) ? CF_PU_EVENTS |
					   (cf_rng_below(r, 2) ? CF_PU_POLLOUT : 0) |
					   (cf_rng_below(r, 4) == 0 ? CF_PU_MULTI : 0) |
					   (cf_rng_below(r, 4) == 0 ? CF_PU_USER_DATA : 0)
					 : cf_rng_below(r, 16) << 3) | bad);
	default:
		return (uint8_t)(dur | (cf_rng_below(r, 8) == 0 ? cf_rng_below(r, CF_CLOCK__COUNT) << CF_T_CLOCK_SHIFT : 0) |
				 (cf_rng_below(r, 8) == 0 ? CF_T_ABS : 0) |
				 (cf_rng_below(r, 8) == 0 ? CF_T_ETIME_SUCCESS : 0) | bad);
	}
}

static void random_op(struct cf_rng *r, const struct cf_swarm *s, const struct cf_program *p,
		      struct cf_op *op)
{
	unsigned total = 0, pick, k;
	int queued[CF_MAX_OPS], nq = 0;

	for (unsigned i = 0; i < p->nops; i++)
		if (p->ops[i].kind == CF_OP_QUEUE)
			queued[nq++] = (int)i;
	for (k = 0; k < CF_OP_END; k++)
		total += s->op_weight[k];
	pick = cf_rng_below(r, total ? total : 1);
	for (k = 0; k < CF_OP_END; k++) {
		if (pick < s->op_weight[k])
			break;
		pick -= s->op_weight[k];
	}
	memset(op, 0, sizeof(*op));
	op->kind = (uint8_t)(k < CF_OP_END ? k : CF_OP_QUEUE);
	switch (op->kind) {
	case CF_OP_QUEUE: {
		unsigned req = pick_enabled(r, s->req_on, CF_REQ__COUNT);

		op->a[CF_Q_REQ] = (uint8_t)req;
		op->a[CF_Q_SLOT] = cf_req_shape(req) == CF_SHAPE_SLOT ? slot_for(r, req)
								       : spec_for(r, req, p, queued, nq);
		op->a[CF_Q_UD] = (uint8_t)(cf_rng_below(r, 4) ? cf_rng_below(r, 4) : cf_rng_below(r, CF_UD_POOL));
		if (cf_rng_below(r, 6) == 0)
			op->a[CF_Q_FLAGS] = (uint8_t)(1u << cf_rng_below(r, 6));
		if (cf_req_shape(req) == CF_SHAPE_TIMER && cf_rng_below(r, 4) == 0)
			op->a[CF_Q_FLAGS] |= (uint8_t)(cf_rng_below(r, 4) << CF_SQE_COUNT_SHIFT);
		if (cf_req_shape(req) == CF_SHAPE_UPDATE && cf_rng_below(r, 16) == 0) /* len, allflags (cov3) */
			op->a[CF_Q_FLAGS] |= (uint8_t)((1 + cf_rng_below(r, 3)) << 6);
		break;
	}
	case CF_OP_CANCEL: {
		static const uint8_t common[] = { 0, 0x01, 0x02, 0x03, 0x04, 0x05, 0x0a, 0x0b,
						  0x10, 0x12, 0x20, 0x30, 0x31 };
		const struct cf_op *target = nq ? &p->ops[queued[cf_rng_below(r, (unsigned)nq)]] : NULL;

		op->a[CF_C_API] = (uint8_t)pick_enabled(r, s->api_on, CF_CANCEL__COUNT);
		op->a[CF_C_FLAGS] = cf_rng_below(r, 10) ? common[cf_rng_below(r, sizeof(common))]
							: (uint8_t)cf_rng_next(r);
		op->a[CF_C_UD] = target ? target->a[CF_Q_UD] : (uint8_t)cf_rng_below(r, CF_UD_POOL);
		op->a[CF_C_SLOT] = target && cf_req_shape(target->a[CF_Q_REQ]) == CF_SHAPE_SLOT
					   ? target->a[CF_Q_SLOT] : (uint8_t)cf_rng_below(r, CF_SLOT__COUNT);
		op->a[CF_C_OPREQ] = target ? target->a[CF_Q_REQ] : (uint8_t)cf_rng_below(r, CF_REQ__COUNT);
		if (cf_rng_below(r, 10) == 0)
			op->a[CF_C_ODD] = (uint8_t)(1u << cf_rng_below(r, 7)); /* bit 6: skip_success */
		break;
	}
	case CF_OP_COMPLETE: {
		static const uint8_t writable[] = { CF_SLOT_PIPE0_W, CF_SLOT_PIPE1_W, CF_SLOT_SOCK0_B,
						    CF_SLOT_SOCK1_B };
		op->a[CF_D_WHAT] = (uint8_t)cf_rng_below(r, CF_DO__COUNT);
		op->a[CF_D_SLOT] = op->a[CF_D_WHAT] == CF_DO_CONNECT
					   ? (uint8_t)(CF_SLOT_CLIENT0 + cf_rng_below(r, 2))
					   : writable[cf_rng_below(r, sizeof(writable))];
		op->a[CF_D_LEN] = (uint8_t)cf_rng_next(r);
		/* now and then a write that arms the timerfd (io_uring only) */
		if (op->a[CF_D_WHAT] == CF_DO_WRITE && cf_mode_family(p->mode) == CF_FAMILY_URING &&
		    cf_rng_below(r, 16) == 0)
			op->a[CF_D_SLOT] = CF_SLOT_TIMERFD;
		break;
	}
	case CF_OP_WAIT:
		op->a[CF_W_HOW] = (uint8_t)(cf_rng_below(r, 2) ? CF_WAIT_SUBMIT
							: cf_rng_below(r, CF_WAIT__COUNT));
		op->a[CF_W_N] = (uint8_t)cf_rng_below(r, 3);
		break;
	case CF_OP_CLOSE:
		op->a[CF_X_SLOT] = nq ? p->ops[queued[cf_rng_below(r, (unsigned)nq)]].a[CF_Q_SLOT]
				      : (uint8_t)cf_rng_below(r, CF_SLOT__COUNT);
		break;
	}
}

static void canonicalize(struct cf_program *p)
{
	uint8_t bytes[CF_MAX_ENCODED];
	size_t len = cf_encode(p, bytes, sizeof(bytes));

	cf_decode(bytes, len, p);
}

void cf_generate(struct cf_rng *r, const struct cf_swarm *s, struct cf_program *p)
{
	unsigned n = 2 + cf_rng_below(r, 20);

	memset(p, 0, sizeof(*p));
	p->mode = (uint8_t)pick_enabled(r, s->mode_on, CF_MODE__COUNT);
	p->entries = cf_entries_from_code(cf_rng_below(r, 4));
	for (unsigned i = 0; i < n && p->nops < CF_MAX_OPS; i++) {
		random_op(r, s, p, &p->ops[p->nops++]);
		if (p->ops[p->nops - 1].kind != CF_OP_WAIT && cf_rng_below(r, 3) == 0 &&
		    p->nops < CF_MAX_OPS) {
			struct cf_op *w = &p->ops[p->nops++];
			memset(w, 0, sizeof(*w));
			w->kind = CF_OP_WAIT; /* submit what was queued */
		}
	}
	canonicalize(p);
}

static void insert_at(struct cf_program *p, unsigned at, const struct cf_op *op)
{
	if (p->nops >= CF_MAX_OPS)
		return;
	memmove(&p->ops[at + 1], &p->ops[at], (p->nops - at) * sizeof(*op));
	p->ops[at] = *op;
	p->nops++;
}

/* Does op make a syscall an actor can race (docs/program-format.md)? */
static int races(unsigned mode, const struct cf_op *op)
{
	if (cf_mode_family(mode) != CF_FAMILY_URING) /* every op is one call */
		return op->kind != CF_OP_END && !cf_op_is_go(mode, op);
	switch (op->kind) {
	case CF_OP_CANCEL: return op->a[CF_C_API] == CF_CANCEL_SYNC;
	case CF_OP_COMPLETE:
	case CF_OP_CLOSE: return 1;
	case CF_OP_WAIT: return op->a[CF_W_HOW] <= CF_WAIT_GETEVENTS;
	}
	return 0;
}

/* Put op i on an actor in a race group, released by a `wait go` after it
 * (an existing one of that group, else a new one): actors and offsets are
 * bytes like any other, this only makes useful ones likely. */
static void make_race(struct cf_rng *r, struct cf_program *p, unsigned i)
{
	struct cf_op go;
	unsigned g = 1 + cf_rng_below(r, CF_GROUPS - 1);

	if (!cf_mode_has_actors(p->mode) || !races(p->mode, &p->ops[i]))
		return;
	p->ops[i].actor = (uint8_t)cf_rng_below(r, CF_ACTORS);
	p->ops[i].group = (uint8_t)g;
	p->ops[i].at = (uint8_t)(cf_rng_below(r, 2) ? 0 : cf_rng_next(r));
	for (unsigned k = i + 1; k < p->nops; k++)
		if (cf_op_is_go(p->mode, &p->ops[k]) && p->ops[k].a[CF_W_N] == g)
			return;
	memset(&go, 0, sizeof(go));
	go.kind = CF_OP_WAIT;
	go.a[CF_W_HOW] = cf_mode_family(p->mode) == CF_FAMILY_AIO	  ? CF_AIOW_GO
			 : cf_mode_family(p->mode) == CF_FAMILY_POSIX ? CF_PXW_GO
								      : CF_WAIT_GO;
	go.a[CF_W_N] = (uint8_t)g;
	insert_at(p, i + 1 + cf_rng_below(r, p->nops - i), &go);
}

/* The first queue op at or after i (wrapping), -1 none. */
static int queue_op_from(const struct cf_program *p, unsigned i)
{
	for (unsigned k = 0; k < p->nops; k++)
		if (p->ops[(i + k) % p->nops].kind == CF_OP_QUEUE)
			return (int)((i + k) % p->nops);
	return -1;
}

/* Link queued request q to a new link timeout right behind it, of its
 * user_data or another: a chain with a timer, which one byte flip rarely
 * makes (D05, D30, D31 need one). */
static void link_to_timeout(struct cf_rng *r, const struct cf_swarm *s, struct cf_program *p, int q)
{
	static const uint8_t kinds[] = { CF_REQ_LINK_TIMEOUT_SHORT, CF_REQ_LINK_TIMEOUT_LONG, CF_REQ_LINK_TIMEOUT };
	unsigned req = kinds[cf_rng_below(r, sizeof(kinds))];
	int queued[1] = { q };
	struct cf_op op;

	if (q < 0 || cf_mode_family(p->mode) != CF_FAMILY_URING || !s->req_on[req])
		return;
	memset(&op, 0, sizeof(op));
	op.kind = CF_OP_QUEUE;
	op.a[CF_Q_REQ] = (uint8_t)req;
	op.a[CF_Q_SLOT] = cf_req_shape(req) == CF_SHAPE_SLOT ? p->ops[q].a[CF_Q_SLOT] : spec_for(r, req, p, queued, 1);
	op.a[CF_Q_UD] = cf_rng_below(r, 2) ? p->ops[q].a[CF_Q_UD] : (uint8_t)cf_rng_below(r, CF_UD_POOL);
	p->ops[q].a[CF_Q_FLAGS] |= cf_rng_below(r, 4) ? CF_SQE_LINK : CF_SQE_HARDLINK;
	insert_at(p, (unsigned)q + 1, &op);
}

static void mutate_once(struct cf_rng *r, const struct cf_swarm *s, struct cf_program *p)
{
	unsigned i = cf_rng_below(r, p->nops ? p->nops : 1), j = cf_rng_below(r, p->nops ? p->nops : 1);
	struct cf_op op;
	int qi, qj;

	switch (cf_rng_below(r, 12)) {
	case 0: /* insert */
		random_op(r, s, p, &op);
		insert_at(p, cf_rng_below(r, p->nops + 1), &op);
		break;
	case 1: /* delete */
		if (p->nops > 1) {
			memmove(&p->ops[i], &p->ops[i + 1], (p->nops - i - 1) * sizeof(op));
			p->nops--;
		}
		break;
	case 2: /* duplicate */
		if (p->nops)
			insert_at(p, i, &p->ops[i]);
		break;
	case 3: /* swap */
		if (p->nops) {
			op = p->ops[i];
			p->ops[i] = p->ops[j];
			p->ops[j] = op;
		}
		break;
	case 4: /* change one argument */
		if (p->nops && cf_op_nargs(p->ops[i].kind) > 0)
			p->ops[i].a[cf_rng_below(r, (unsigned)cf_op_nargs(p->ops[i].kind))] =
				(uint8_t)cf_rng_next(r);
		break;
	case 5: /* retarget a cancel at a queued request's user_data or fd */
		if (p->nops && p->ops[i].kind == CF_OP_CANCEL && p->ops[j].kind == CF_OP_QUEUE) {
			p->ops[i].a[CF_C_UD] = p->ops[j].a[CF_Q_UD];
			p->ops[i].a[CF_C_SLOT] = p->ops[j].a[CF_Q_SLOT];
			p->ops[i].a[CF_C_OPREQ] = p->ops[j].a[CF_Q_REQ];
		}
		break;
	case 6: /* flip a flag bit */
		if (p->nops && p->ops[i].kind == CF_OP_CANCEL)
			p->ops[i].a[CF_C_FLAGS] ^= (uint8_t)(1u << cf_rng_below(r, 8));
		else if (p->nops && p->ops[i].kind == CF_OP_QUEUE)
			p->ops[i].a[CF_Q_FLAGS] ^= (uint8_t)(1u << cf_rng_below(r, 6));
		break;
	case 7: /* setup; now and then a0 takes over the thread1 actors' ring-1 calls (cov3) */
		if (cf_rng_below(r, 8) == 0 && cf_mode_family(p->mode) == CF_FAMILY_URING && p->actors)
			p->actors ^= CF_ACTORS_RING1_BY_A0;
		else if (cf_rng_below(r, 4) == 0 && cf_mode_has_actors(p->mode)) {
			/* an actor of another kind (thread, task, thread1, task1):
			 * task exits and execs need one (D47, D54) */
			unsigned a = cf_rng_below(r, 3), kind = cf_rng_below(r, 4);

			p->actors = (uint8_t)((p->actors & ~(3u << (2 * a))) | (kind << (2 * a)));
			/* a task ends by its `wait exit` (exit, kill or exec): one
			 * somewhere after its first op, now and then */
			if (CF_ACTOR_IS_TASK(kind) && cf_mode_family(p->mode) == CF_FAMILY_URING && cf_rng_below(r, 2)) {
				memset(&op, 0, sizeof(op));
				op.kind = CF_OP_WAIT;
				op.a[CF_W_HOW] = CF_WAIT_EXIT;
				op.a[CF_W_N] = (uint8_t)cf_rng_below(r, 3);
				op.actor = (uint8_t)(a + 1);
				insert_at(p, cf_rng_below(r, p->nops + 1), &op);
			}
		} else if (cf_rng_below(r, 2))
			p->mode = (uint8_t)pick_enabled(r, s->mode_on, CF_MODE__COUNT);
		else
			p->entries = cf_entries_from_code(cf_rng_below(r, 4));
		break;
	case 8: /* race: an op into a group on an actor */
		if (p->nops)
			make_race(r, p, i);
		break;
	case 9: /* move an op in its race window, or take it out of its group */
		if (p->nops && p->ops[i].group && cf_rng_below(r, 4))
			p->ops[i].at = (uint8_t)cf_rng_next(r);
		else if (p->nops)
			p->ops[i].group = p->ops[i].at = 0;
		break;
	case 10: /* a chain with a timer */
		if (p->nops)
			link_to_timeout(r, s, p, queue_op_from(p, i));
		break;
	case 11: /* two requests of one user_data: which does a cancel or a timeout take? */
		if (p->nops && (qi = queue_op_from(p, i)) >= 0 && (qj = queue_op_from(p, j)) >= 0)
			p->ops[qj].a[CF_Q_UD] = p->ops[qi].a[CF_Q_UD];
		break;
	}
}

void cf_mutate(struct cf_rng *r, const struct cf_swarm *s, struct cf_program *p)
{
	unsigned n = 1 + cf_rng_below(r, 4);

	/* an end op would hide everything after it */
	for (unsigned i = 0; i < p->nops; i++)
		if (p->ops[i].kind == CF_OP_END)
			p->nops = (uint8_t)i;
	for (unsigned k = 0; k < n; k++)
		mutate_once(r, s, p);
	canonicalize(p);
}

void cf_cost_note(struct cf_mode_cost *c, unsigned mode, double cpu_s, unsigned new_behaviours)
{
	if (mode >= CF_MODE__COUNT)
		return;
	c->cpu_s[mode] += cpu_s > 0 ? cpu_s : 0;
	c->execs[mode]++;
	c->found[mode] += new_behaviours;
}

void cf_cost_charge(struct cf_mode_cost *c, unsigned mode, double cpu_s)
{
	if (mode < CF_MODE__COUNT && cpu_s > 0)
		c->cpu_s[mode] += cpu_s;
}

/* Behaviours per CPU second, with one behaviour and 50 ms as a prior so a
 * mode that found nothing yet is not written off. */
static double yield(const struct cf_mode_cost *c, unsigned m)
{
	return (c->found[m] + 1.0) / (c->cpu_s[m] + 0.05);
}

int cf_cost_admit(const struct cf_mode_cost *c, struct cf_rng *r, unsigned mode)
{
	double best = 0, share;

	if (mode >= CF_MODE__COUNT || c->execs[mode] < CF_COST_WARMUP)
		return 1;
	for (unsigned m = 0; m < CF_MODE__COUNT; m++)
		if (c->execs[m] >= CF_COST_WARMUP && yield(c, m) > best)
			best = yield(c, m);
	share = best > 0 ? yield(c, mode) / best : 1;
	if (share < 1.0 / CF_COST_FLOOR)
		share = 1.0 / CF_COST_FLOOR;
	return cf_rng_below(r, 1u << 20) < (unsigned)(share * (1u << 20));
}

int cf_sq_batch_hold(struct cf_sq_batch *b, const struct cf_program *p)
{
	if (p->mode != CF_MODE_SQPOLL || b->n == CF_SQ_BATCH)
		return 0;
	b->held[b->n++] = *p;
	return 1;
}

int cf_sq_batch_next(struct cf_sq_batch *b, struct cf_program *p)
{
	if (b->n < CF_SQ_BATCH)
		return 0;
	*p = b->held[b->next++];
	if (b->next == CF_SQ_BATCH)
		b->n = b->next = 0;
	return 1;
}
