/* What one execution did: every action with its result, every request the
 * program issued, when the kernel consumed its SQE, and every CQE with the
 * action after which it first became visible. The AIO families record their
 * io_events, io_cancel results, completions and notifications as CQE-like
 * events (source below). Text format: docs/history-format.md */
#ifndef CF_HISTORY_H
#define CF_HISTORY_H

#include <stdint.h>
#include <stdio.h>

#include "program.h"

#define CF_HISTORY_VERSION 2       /* written for the AIO families */
#define CF_HISTORY_VERSION_URING 1 /* io_uring histories keep version 1 */
#define CF_HISTORY_VERSION_ACTORS 3 /* io_uring and mode aio programs with actors (format 3) */
#define CF_TEARDOWN_ROUNDS 16 /* sync ANY|ALL cancel + drain, repeated while needed */
#define CF_MAX_REQS (CF_MAX_OPS + CF_TEARDOWN_ROUNDS) /* SQEs, cancels, teardown cancels */
#define CF_MAX_ACTS (CF_MAX_OPS + 1 + 2 * CF_TEARDOWN_ROUNDS) /* ops, then teardown */
#ifndef CF_MAX_CQES /* the oracle benchmark builds with a larger cap */
#define CF_MAX_CQES 8192
#endif
#define CF_MAX_SUBS CF_MAX_REQS
#define CF_FAULT_NAME_MAX 31 /* bytes of an injected fault's name */

/* user_data of the program's SQE cancels: CF_UD_CANCEL_BASE | op index, never in the pool */
#define CF_UD_CANCEL_BASE 0xcf00000000000000ull
/* user_data of the CQE a msg_ring request posts on the ring it names:
 * CF_UD_MSG_BASE | slot << 8 | op index (cf_msg_ud), never in the pool;
 * its res is CF_MSG_LEN_BASE | op index (the SQE's len). */
#define CF_UD_MSG_BASE 0xce00000000000000ull
#define CF_MSG_LEN_BASE 0x4d0000
static inline uint64_t cf_msg_ud(unsigned slot, unsigned op_index)
{
	return CF_UD_MSG_BASE | (uint64_t)(slot & 0xff) << 8 | (op_index & 0xff);
}
/* Is ud a msg_ring's message (a CQE that belongs to no request of its ring)? */
static inline int cf_is_msg_ud(uint64_t ud)
{
	return (ud & 0xffffffffffff0000ull) == CF_UD_MSG_BASE;
}

/* A request kind beyond enum cf_req: an async cancel (SQE or sync). */
#define CF_REQ_CANCEL CF_REQ__COUNT

/* Actions the harness adds after the program's ops. */
enum cf_act_kind {
	CF_ACT_OP,           /* one program op */
	CF_ACT_END_SUBMIT,   /* submit whatever the program left in the SQ */
	CF_ACT_END_CANCEL,   /* sync ANY|ALL cancel of everything still in flight */
	CF_ACT_END_DRAIN,    /* wait for final CQEs; res = how many are still missing */
	CF_ACT_END_DESTROY,  /* aio: io_destroy of the execution's context */
	CF_ACT__COUNT
};

struct cf_req_rec {
	uint8_t req;        /* enum cf_req or CF_REQ_CANCEL */
	uint8_t slot;       /* enum cf_slot the request (or the cancel key) names */
	uint8_t fixed;      /* the fd is a fixed-file index */
	uint8_t sqe_flags;  /* CF_SQE_* */
	uint8_t api;        /* cancels: enum cf_cancel_api */
	uint8_t opreq;      /* cancels: the request kind whose opcode CANCEL_OP names */
	uint8_t odd;        /* cancels: CF_ODD_* */
	uint8_t slot_closed;/* the slot's fd had been closed when this was queued */
	uint32_t cancel_flags;
	uint16_t act;       /* action that queued it */
	int16_t sub_act;    /* action during which the kernel consumed the SQE; -1 never */
	uint64_t user_data;
	uint64_t key_ud;    /* cancels: user_data to match */
	/* AIO families */
	int16_t target;     /* cancels: the request whose iocb/aiocb it names; -1 none */
	int8_t fd_id;       /* posix: the fd, numbered by first use in the execution; -1 bad */
	uint8_t cb_changed; /* posix cancel: it changed the aiocb's public fields */
	int32_t status_after; /* posix cancel: aio_error() of the named aiocb right after */
	uint8_t ring;       /* io_uring: 1 for a request on the second ring (cov3 branch), else 0 */
};

struct cf_act_rec {
	uint8_t kind;      /* enum cf_act_kind */
	uint8_t op_kind;   /* enum cf_op_kind when kind == CF_ACT_OP */
	uint8_t overflow;  /* IORING_SQ_CQ_OVERFLOW was set after the action */
	uint8_t a[CF_OP_ARGS];
	int16_t op_index;  /* program op, -1 for teardown phases */
	int16_t req;       /* request it created, -1 none */
	int32_t res;       /* syscall result, 0 or -errno convention */
	uint8_t unsettled; /* AIO families: the bounded wait for quiet ran out */
	uint8_t actor;     /* who made the call, 0..3 (version 3) */
	uint8_t group;     /* race group it was released in, 0 none */
	uint8_t at;        /* its spin offset after the release */
	int64_t t0, t1;    /* version 3: start and end, ns since the execution began (one monotonic clock) */
};

/* Where a CQE-like event came from. */
enum cf_event_source {
	CF_EV_CQE,    /* io_uring CQE */
	CF_EV_RING,   /* aio: io_event in the context's ring */
	CF_EV_COPIED, /* aio: io_event io_cancel copied into its result argument */
	CF_EV_DONE,   /* posix: the request finished; res = aio_return, res2 = aio_error */
	CF_EV_SIGNAL, /* posix: SIGEV_SIGNAL notification */
	CF_EV_THREAD, /* posix: SIGEV_THREAD notification */
	CF_EV__COUNT
};

struct cf_cqe_rec {
	uint64_t user_data;
	int32_t res;
	uint32_t flags;
	uint16_t act;      /* first seen after this action */
	uint8_t source;    /* enum cf_event_source */
	int16_t req;       /* AIO families: the request it belongs to, -1 unknown */
	int64_t res2;      /* aio: io_event.res2; posix: aio_error() */
	uint8_t ring;      /* io_uring: 1 when read from the second ring's CQ (cov3 branch) */
};

struct cf_history {
	char kernel[65];
	uint8_t mode, entries;
	uint32_t sq_entries, cq_entries, ring_features;
	uint32_t cancel_flags_supported; /* IORING_ASYNC_CANCEL_* bits the kernel accepts */
	uint32_t aio_ring_nr;  /* aio: io_event slots the kernel gave the first context */
	uint32_t px_threads;   /* posix: aio_init() helper thread limit */
	char libc[24];         /* posix: the C library's version */
	uint8_t has_futex, has_waitid;
	uint8_t iowq_files;   /* CF_IOWQ_* (racy.h): files this kernel reads and writes in io-wq */
	uint8_t ring_reset;   /* 1: ring verified clean and kept; 0: discarded */
	uint8_t cqes_lost;    /* more CQEs than CF_MAX_CQES: history incomplete */
	uint16_t nreqs, nacts;
	uint32_t ncqes;
	uint16_t program_len;
	uint8_t program[CF_MAX_ENCODED];
	char fault[CF_FAULT_NAME_MAX + 1]; /* injected fault (oracles/faults/faults.h), "" none */
	int16_t fault_act;  /* act whose events the fault changed, -1 no opportunity */
	struct cf_req_rec reqs[CF_MAX_REQS];
	struct cf_act_rec acts[CF_MAX_ACTS];
	struct cf_cqe_rec cqes[CF_MAX_CQES];
};

const char *cf_act_kind_name(unsigned kind);
extern const char *const cf_act_kind_names[CF_ACT__COUNT];

/* Builders the executors share: the next act (res 0, no request yet) and
 * the next request record, queued by act (no SQE consumed, no target). */
unsigned cf_history_begin_act(struct cf_history *h, unsigned kind, int op_index);
struct cf_req_rec *cf_history_new_req(struct cf_history *h, unsigned act, unsigned req);
/* The act for program op i: its kind and canonical arguments copied in. */
unsigned cf_history_begin_op(struct cf_history *h, unsigned i, const struct cf_op *op);

/* Write as text. Returns 0 or -errno. */
int cf_history_write(const struct cf_history *h, FILE *out);
/* Strict reader: on error fills err ("line N: what") and returns -1. */
int cf_history_read(FILE *in, struct cf_history *h, char *err, size_t errlen);
/* The history format version h is written in. */
int cf_history_version(const struct cf_history *h);
/* Versions 1 and 2 carry format-2 program bytes (no header byte 2): the
 * reader inserts it, the writer leaves it out. */
int cf_history_has_actors(const struct cf_history *h);
/* Do acts a and b overlap in time (version 3; both ops with times)? */
int cf_acts_overlap(const struct cf_history *h, unsigned a, unsigned b);
/* Renumber acts first..first+n-1: the act at first+k becomes the one that
 * was at first+perm[k]; requests, SQE consumption and CQEs follow their
 * acts. Then every CQE seen under an act before that of the CQE ahead of
 * it in CQ order moves to that act (a CQE may be seen later than it was
 * posted, never earlier), so CQEs stay in act order. n <= CF_ACTORS + 1. */
void cf_history_reorder_acts(struct cf_history *h, unsigned first, unsigned n, const unsigned *perm);
/* Act a (that consumed SQEs) becomes two acts, a and a+1: the first
 * consumed the first k of its SQEs (in request order) and ends as it
 * began, the second consumed the rest and begins as it ended; its result
 * splits k and res-k. The CQEs seen under a are seen under a+1; later acts
 * move up one. Returns 0, or -1 (no room, or fewer than k+1 SQEs). */
int cf_history_split_act(struct cf_history *h, unsigned a, unsigned k);
/* After a reorder: renumber the requests those acts made so that request
 * numbers follow act order again (the text form lists them so). map (may
 * be NULL) gets each old number's new one, for all h->nreqs. */
void cf_history_renumber_reqs(struct cf_history *h, unsigned first, unsigned n, int16_t *map);

/* Is this CQE for a request whose final CQE it is (no IORING_CQE_F_MORE)? */
#define CF_CQE_F_MORE (1u << 1) /* IORING_CQE_F_MORE */
#define CF_CQE_FINAL(c) (!((c)->flags & CF_CQE_F_MORE))

#endif
