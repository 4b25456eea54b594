/* Structure-aware generation and mutation of programs, op by op, with swarm
 * configurations that switch whole op kinds and modes off. */
#ifndef CF_MUTATE_H
#define CF_MUTATE_H

#include <stdint.h>

#include "program.h"

struct cf_rng {
	uint64_t s;
};

static inline uint64_t cf_rng_next(struct cf_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dull;
}

static inline unsigned cf_rng_below(struct cf_rng *r, unsigned n)
{
	return n ? (unsigned)(cf_rng_next(r) % n) : 0;
}

struct cf_swarm {
	uint8_t mode_on[CF_MODE__COUNT];
	uint8_t op_weight[CF_OP__COUNT]; /* 0 switches an op kind off */
	uint8_t req_on[CF_REQ__COUNT];
	uint8_t api_on[CF_CANCEL__COUNT];
};

void cf_swarm_all(struct cf_swarm *s);
void cf_swarm_pick(struct cf_rng *r, struct cf_swarm *s);
void cf_generate(struct cf_rng *r, const struct cf_swarm *s, struct cf_program *p);
/* 1 to 4 op-level edits; the result is canonical (encode/decode stable). */
void cf_mutate(struct cf_rng *r, const struct cf_swarm *s, struct cf_program *p);

/* Cost-aware scheduling: per setup mode, the CPU time its executions took
 * (every thread of the process: SQ pollers and io-wq workers too) and the
 * new behaviours they found. */
struct cf_mode_cost {
	double cpu_s[CF_MODE__COUNT];
	unsigned long long execs[CF_MODE__COUNT];
	unsigned found[CF_MODE__COUNT];
};

void cf_cost_note(struct cf_mode_cost *c, unsigned mode, double cpu_s, unsigned new_behaviours);
/* CPU a mode's executions caused outside them (the shared SQ thread's
 * polling after an SQPOLL execution): charged to it, no execution counted. */
void cf_cost_charge(struct cf_mode_cost *c, unsigned mode, double cpu_s);
/* Run a program of this mode now? Modes that find fewer behaviours per CPU
 * second than the best mode run proportionally less often, but at least one
 * time in CF_COST_FLOOR; every mode runs freely for its first
 * CF_COST_WARMUP executions. Draws from r. */
#define CF_COST_FLOOR 8
#define CF_COST_WARMUP 64
int cf_cost_admit(const struct cf_mode_cost *c, struct cf_rng *r, unsigned mode);

/* SQPOLL programs run CF_SQ_BATCH in a row: the shared SQ thread polls a
 * core for 4-8 ms after each one (sq_thread_idle is at least a clock
 * tick), so spread out they kept it polling most of a campaign. */
#ifndef CF_SQ_BATCH /* -DCF_SQ_BATCH=1: no batching (to measure it) */
#define CF_SQ_BATCH 8
#endif
struct cf_sq_batch {
	struct cf_program held[CF_SQ_BATCH];
	unsigned n, next; /* held; the next to run once full */
};
/* Hold p back if it is an SQPOLL program: 1 held, 0 run it now. */
int cf_sq_batch_hold(struct cf_sq_batch *b, const struct cf_program *p);
/* Once the batch is full, its programs in the order they came: 1 and *p
 * until none is left. */
int cf_sq_batch_next(struct cf_sq_batch *b, struct cf_program *p);

#endif
