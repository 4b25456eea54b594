/* A cancelfuzz program: a setup header and a bounded list of ops.
 * Binary encoding (format 3) is in docs/program-format.md and codec.c.
 * The header's mode picks the API family (io_uring, native AIO, POSIX AIO);
 * the ops' argument bytes are read per family (aio_model.h). */
#ifndef CF_PROGRAM_H
#define CF_PROGRAM_H

#include <stddef.h>
#include <stdint.h>

#define CF_FORMAT_VERSION 3
#define CF_FORMAT_VERSION_AIO 2   /* text of the AIO families' programs keeps version 2 */
#define CF_FORMAT_VERSION_URING 1 /* text of io_uring programs without actors keeps version 1 */
#define CF_MAX_OPS 64        /* ops after the header; decoding stops here */
#define CF_MAX_INPUT 4096    /* bytes a decoder looks at; the rest is ignored */
#define CF_UD_POOL 8         /* distinct user_data values requests draw from */
#define CF_OP_ARGS 6         /* most argument bytes any op takes */
#define CF_HEADER_BYTES 3 /* mode, entries, actor kinds */
#define CF_MAX_ENCODED (CF_HEADER_BYTES + CF_MAX_OPS * (2 + CF_OP_ARGS)) /* longest canonical program */

/* Actors (docs/program-format.md, "Actors and race groups"): a0 is the
 * harness thread; a1..a3 are declared by header byte 2, two bits each. */
#define CF_ACTORS 4
#define CF_GROUPS 4 /* group 0: not in a race group; 1..3 */
#define CF_ACTOR_KINDS_MASK 0x3f
/* Actors byte bit 6 (cov3 branch): the thread1 actors' ops outside race
 * groups are made by a0 itself (the thread that made both rings: the
 * second ring's submitter under SINGLE_ISSUER), not by their threads.
 * Text: `ring1=a0` on the actors line. */
#define CF_ACTORS_RING1_BY_A0 0x40
#define CF_ACTORS_MASK (CF_ACTOR_KINDS_MASK | CF_ACTORS_RING1_BY_A0)
enum cf_actor_kind {
	CF_ACTOR_THREAD,  /* a thread of the harness process, on ring 0 */
	CF_ACTOR_TASK,    /* a child process (clone3, CLONE_FILES) on ring 0 */
	CF_ACTOR_THREAD1, /* a thread on the second ring: its queues, cancels and waits go there */
	CF_ACTOR_TASK1,   /* a child process like a task, whose cancels and waits go to the second ring */
	CF_ACTOR__COUNT
};
/* A child process (task, task1)? One whose cancels and waits go to the
 * second ring (thread1, task1)? */
#define CF_ACTOR_IS_TASK(kind) ((kind) == CF_ACTOR_TASK || (kind) == CF_ACTOR_TASK1)
#define CF_ACTOR_ON_RING1(kind) ((kind) == CF_ACTOR_THREAD1 || (kind) == CF_ACTOR_TASK1)
/* Kind of actor a (1..3) in a program's actors byte. */
static inline unsigned cf_actor_kind(uint8_t actors, unsigned a)
{
	return a == 0 || a >= CF_ACTORS ? CF_ACTOR_THREAD : (actors >> (2 * (a - 1))) & 3;
}

enum cf_mode {
	CF_MODE_DEFAULT,
	CF_MODE_COOP,   /* IORING_SETUP_COOP_TASKRUN */
	CF_MODE_DEFER,  /* IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN */
	CF_MODE_SQPOLL, /* IORING_SETUP_SQPOLL */
	CF_MODE_SMALLCQ, /* IORING_SETUP_CQSIZE with cq_entries == sq_entries */
	CF_MODE_URING__COUNT, /* modes above: io_uring rings */
	CF_MODE_AIO = CF_MODE_URING__COUNT, /* Linux native AIO: io_setup .. io_destroy */
	CF_MODE_POSIX,  /* POSIX AIO as the C library implements it */
	CF_MODE__COUNT
};

/* API families; a mode belongs to exactly one. */
enum cf_family {
	CF_FAMILY_URING,
	CF_FAMILY_AIO,
	CF_FAMILY_POSIX,
};

static inline enum cf_family cf_mode_family(unsigned mode)
{
	return mode == CF_MODE_AIO ? CF_FAMILY_AIO
	       : mode == CF_MODE_POSIX ? CF_FAMILY_POSIX : CF_FAMILY_URING;
}

/* Where a request or action points. Every slot is created fresh per execution. */
enum cf_slot {
	CF_SLOT_PIPE0_R, CF_SLOT_PIPE0_W, CF_SLOT_PIPE1_R, CF_SLOT_PIPE1_W,
	CF_SLOT_SOCK0_A, CF_SLOT_SOCK0_B, CF_SLOT_SOCK1_A, CF_SLOT_SOCK1_B,
	CF_SLOT_LISTENER, CF_SLOT_CLIENT0, CF_SLOT_CLIENT1,
	CF_SLOT_EVENTFD, CF_SLOT_FILE, CF_SLOT_BADFD,
	CF_SLOT_SIGNALFD, /* lang branch: a signalfd of SIGURG, which nothing sends: never readable */
	CF_SLOT_TIMERFD,  /* lang branch: a timerfd (CLOCK_MONOTONIC) never armed: never readable */
	/* Added by the actors branch (io_uring modes only): ring 0's fd, and
	 * the second ring's (made at first use). */
	CF_SLOT_RING0, CF_SLOT_RING1,
	CF_SLOT__COUNT
};
/* The AIO families' slots (their slot bytes are taken % 14, as before). */
#define CF_SLOT_AIO_COUNT (CF_SLOT_BADFD + 1)
static inline int cf_slot_is_ring(unsigned slot)
{
	return slot == CF_SLOT_RING0 || slot == CF_SLOT_RING1;
}

/* Request kinds: one per distinct path the kernel's cancel code takes. */
enum cf_req {
#define URING(id, name, opcode, multishot, shape) id,
#include "requests.def"
#undef URING
	CF_REQ__COUNT
};

/* SQE flag bits as the program stores them (mapped to IOSQE_* by the executor). */
#define CF_SQE_LINK     0x01
#define CF_SQE_HARDLINK 0x02
#define CF_SQE_ASYNC    0x04
#define CF_SQE_DRAIN    0x08
#define CF_SQE_FIXED    0x10 /* use the slot's fixed-file index */
#define CF_SQE_SKIP     0x20 /* IOSQE_CQE_SKIP_SUCCESS (format 3) */
#define CF_SQE__MASK    0x3f
#define CF_SQE_COUNT_SHIFT 6 /* timer kinds: the flags byte's top 2 bits are a count 0..3 */

/* What a queue op's slot byte means, by request kind (requests.def). */
enum cf_req_shape {
	CF_SHAPE_SLOT,   /* a slot (enum cf_slot) */
	CF_SHAPE_REMOVE, /* target ud index (bits 0-2), CF_R_* bad fields (bits 3-6), CF_T_BAD */
	CF_SHAPE_UPDATE, /* target (bits 0-2), new duration (bits 3-5), CF_T_UPD_ABS, CF_T_BAD */
	CF_SHAPE_TIMER,  /* duration (bits 0-2), clock (bits 3-4), CF_T_ABS, CF_T_ETIME_SUCCESS, CF_T_BAD */
	CF_SHAPE_POLLUPD, /* target (bits 0-2), CF_PU_* (bits 3-6), CF_T_BAD */
};
#define CF_T_TARGET_MASK   0x07
#define CF_T_UPD_TIME_SHIFT 3
#define CF_T_UPD_ABS       0x40 /* IORING_TIMEOUT_ABS on the update */
#define CF_T_TIME_MASK     0x07
#define CF_T_CLOCK_SHIFT   3
#define CF_T_ABS           0x20 /* IORING_TIMEOUT_ABS: now + duration on its clock */
#define CF_T_ETIME_SUCCESS 0x40 /* IORING_TIMEOUT_ETIME_SUCCESS */
#define CF_T_BAD           0x80 /* sqe->ioprio = 1, a field these opcodes reject (-EINVAL) */
/* poll_update: IORING_OP_POLL_REMOVE with sqe->len = IORING_POLL_UPDATE_*
 * (io_poll_remove_prep). Without EVENTS and USER_DATA it is a plain remove. */
#define CF_PU_EVENTS    0x08 /* IORING_POLL_UPDATE_EVENTS: the new mask (CF_PU_POLLOUT) */
#define CF_PU_USER_DATA 0x10 /* IORING_POLL_UPDATE_USER_DATA, new user_data = the target's own */
#define CF_PU_MULTI     0x20 /* IORING_POLL_ADD_MULTI; alone: -EINVAL */
#define CF_PU_POLLOUT   0x40 /* poll32_events = POLLOUT, else POLLIN with EVENTS, 0 without:
			      * POLLOUT without EVENTS is -EINVAL */
#define CF_PU__MASK     0x78
/* remove kinds (cov3 branch): SQE fields the prep functions check, set to
 * something they refuse (io_timeout_remove_prep, io_poll_remove_prep) */
#define CF_R_LEN        0x08 /* sqe->len = 8 (a remove takes 0; 8 is no poll update flag) */
#define CF_R_BUF_INDEX  0x10 /* sqe->buf_index = 1 */
#define CF_R_SPLICE_FD  0x20 /* sqe->splice_fd_in = 1 */
#define CF_R_TFLAGS     0x40 /* sqe->timeout_flags = IORING_TIMEOUT_ABS: an update flag on a
			      * remove (the same word is a POLL_REMOVE's poll32_events) */
#define CF_R__MASK      0x78
/* update kinds (cov3 branch): the flags byte's top bits, bad fields */
#define CF_U_LEN        0x40 /* sqe->len = 1 */
#define CF_U_ALLFLAGS   0x80 /* sqe->timeout_flags = every bit (liburing timeout.c
			      * test_update_invalid_flags) */
#define CF_DURATIONS 8
enum cf_clock { CF_CLOCK_MONO, CF_CLOCK_BOOT, CF_CLOCK_REAL, CF_CLOCK_BOTH, CF_CLOCK__COUNT };

enum cf_cancel_api {
	CF_CANCEL_SQE64, /* io_uring_prep_cancel64 */
	CF_CANCEL_SQE,   /* io_uring_prep_cancel (pointer user_data) */
	CF_CANCEL_SQEFD, /* io_uring_prep_cancel_fd (adds CANCEL_FD) */
	CF_CANCEL_SYNC,  /* io_uring_register_sync_cancel */
	CF_CANCEL__COUNT
};

/* Odd fields a cancel can carry, so fuzzers reach the error paths. */
#define CF_ODD_OFF        0x01 /* sqe->off = 1            | sync: pad[0] = 1 */
#define CF_ODD_SPLICE_FD  0x02 /* sqe->splice_fd_in = 1   | sync: pad2[0] = 1 */
#define CF_ODD_BUF_SELECT 0x04 /* IOSQE_BUFFER_SELECT     | sync: timeout 0 */
#define CF_ODD_ASYNC      0x08 /* IOSQE_ASYNC on the cancel */
#define CF_ODD_LINK       0x10 /* IOSQE_IO_LINK on the cancel */
#define CF_ODD_IOPRIO     0x20 /* sqe->ioprio = 1 (rejected with -EINVAL by the kernel (seed 036)) */
#define CF_ODD_SKIP       0x40 /* IOSQE_CQE_SKIP_SUCCESS on the cancel (lang branch) | sync: none */
#define CF_ODD__MASK      0x7f

enum cf_complete {
	CF_DO_WRITE,      /* write len bytes into a pipe or socket end */
	CF_DO_CONNECT,    /* connect client slot to the listener */
	CF_DO_FUTEX_WAKE, /* wake up to len waiters on the futex word */
	CF_DO_EVENTFD,    /* eventfd_write(1) */
	CF_DO_SHUTDOWN,   /* shutdown(SHUT_WR) a socket end */
	CF_DO_CHILD_EXIT, /* let the execution's child process exit */
	CF_DO__COUNT
};

enum cf_wait {
	CF_WAIT_SUBMIT,    /* io_uring_submit */
	CF_WAIT_SUBMIT_N,  /* io_uring_submit_and_wait_timeout(n, 1 ms) */
	CF_WAIT_GETEVENTS, /* io_uring_enter(GETEVENTS), min_complete 0 */
	CF_WAIT_REAP,      /* consume every CQE visible now */
	CF_WAIT_GO,        /* release race group n (1..3) */
	CF_WAIT_EXIT,      /* end the op's task actor: n & 1 ? SIGKILL from a0 : it exits */
	CF_WAIT__COUNT
};

enum cf_op_kind {
	CF_OP_QUEUE,    /* req, slot, ud, sqe_flags */
	CF_OP_CANCEL,   /* api, flags, ud, slot, opcode req, odd */
	CF_OP_COMPLETE, /* what, slot, len */
	CF_OP_WAIT,     /* how, n */
	CF_OP_CLOSE,    /* slot */
	CF_OP_END,
	CF_OP__COUNT
};

struct cf_op {
	uint8_t kind;
	uint8_t a[CF_OP_ARGS]; /* canonical argument values, meaning per kind */
	uint8_t actor;         /* 0..3: who makes the call */
	uint8_t group;         /* 0: runs when reached; 1..3: parked until `wait go n=group` */
	uint8_t at;            /* grouped: spin offset after the release, in CF_SPIN_UNIT spins */
};
#define CF_SPIN_UNIT 1024 /* spin iterations per unit of an op's offset */

/* Argument positions, by op kind. */
enum { CF_Q_REQ, CF_Q_SLOT, CF_Q_UD, CF_Q_FLAGS };
enum { CF_C_API, CF_C_FLAGS, CF_C_UD, CF_C_SLOT, CF_C_OPREQ, CF_C_ODD };
enum { CF_D_WHAT, CF_D_SLOT, CF_D_LEN };
enum { CF_W_HOW, CF_W_N };
enum { CF_X_SLOT };

struct cf_program {
	uint8_t mode;    /* enum cf_mode */
	uint8_t entries; /* SQ entries: 4, 8, 16 or 32 */
	uint8_t nops;
	uint8_t truncated; /* decoder filled missing argument bytes with 0 */
	uint8_t actors;  /* kinds of a1..a3, two bits each (enum cf_actor_kind) */
	struct cf_op ops[CF_MAX_OPS];
};

/* The byte form (codec.c). Total: every byte string gives a valid program. */
void cf_decode(const uint8_t *data, size_t size, struct cf_program *prog);
/* Canonical bytes; returns the length (at most CF_MAX_ENCODED), 0 when cap
 * is smaller than CF_MAX_ENCODED. */
size_t cf_encode(const struct cf_program *prog, uint8_t *out, size_t cap);
int cf_op_nargs(unsigned kind);
uint8_t cf_entries_from_code(unsigned code);
unsigned cf_entries_code(unsigned entries);

uint64_t cf_ud_value(unsigned ud_index);

/* Race groups (actors.c). An op may join group G only if no earlier op of
 * the same actor is parked in G (since G's last release); END and `wait go`
 * never join one and are always a0's; mode posix has no actors (mode aio's
 * are threads), and `at` is 0 outside a group: the index of the first op
 * breaking this, or -1. */
int cf_group_conflict(const struct cf_program *prog);
/* Does the program need format version 3: actor kinds, an op on a1..a3,
 * a race group, `wait go`, `wait exit`, or a ring slot (the rings are
 * actors' too: one notion, docs/program-format.md)? */
int cf_program_uses_actors(const struct cf_program *prog);
/* Does an op of the program belong to a race group? */
int cf_program_has_groups(const struct cf_program *prog);
/* Do the mode's programs have actors and race groups (io_uring modes and,
 * threads only, mode aio)? */
int cf_mode_has_actors(unsigned mode);
/* Is op a `wait go` in a program of this mode (its wait byte says so in
 * the io_uring modes and mode aio)? */
int cf_op_is_go(unsigned mode, const struct cf_op *op);
/* Is op a `wait exit` (io_uring modes only)? */
int cf_op_is_exit(unsigned mode, const struct cf_op *op);
const char *cf_actor_kind_name(unsigned kind);
extern const char *const cf_actor_kind_names[CF_ACTOR__COUNT];

/* Names used by the text form and the history. */
const char *cf_mode_name(unsigned mode);
const char *cf_slot_name(unsigned slot);
const char *cf_req_name(unsigned req);
const char *cf_cancel_api_name(unsigned api);
const char *cf_complete_name(unsigned what);
const char *cf_wait_name(unsigned how);
const char *cf_op_name(unsigned kind);
int cf_lookup(const char *const *names, unsigned count, const char *word);
extern const char *const cf_mode_names[CF_MODE__COUNT];
extern const char *const cf_slot_names[CF_SLOT__COUNT];
extern const char *const cf_req_names[CF_REQ__COUNT];
extern const char *const cf_cancel_api_names[CF_CANCEL__COUNT];
extern const char *const cf_complete_names[CF_DO__COUNT];
extern const char *const cf_wait_names[CF_WAIT__COUNT];
extern const char *const cf_op_names[CF_OP__COUNT];

/* The IORING_OP_* a request kind is submitted as (uapi numbers). */
unsigned cf_req_opcode(unsigned req);
/* True for requests that post more than one CQE (IORING_CQE_F_MORE). */
int cf_req_is_multishot(unsigned req);
/* readv_direct, writev_direct: the O_DIRECT file, not the slot (cov3);
 * each transfers CF_DIRECT_BYTES. */
#define CF_DIRECT_BYTES 65536
static inline int cf_req_is_direct(unsigned req)
{
	return req == CF_REQ_READV_DIRECT || req == CF_REQ_WRITEV_DIRECT;
}
/* enum cf_req_shape of a request kind. */
unsigned cf_req_shape(unsigned req);
/* A queue op's slot and flags bytes reduced to their canonical values for
 * its request kind (bits a shape does not use are 0). */
uint8_t cf_queue_canonical(unsigned req, unsigned pos, uint8_t b);
/* A timer or update op whose timer can fire within an execution (any
 * duration but 60 s relative, or a completion count): timing decides. */
int cf_op_timer_fires(const struct cf_op *op);
/* Both bytes of an io_uring queue op reduced for its kind, and an
 * indefinite timeout_multi's period raised to 100 us. */
void cf_queue_canonicalize(struct cf_op *op);
/* The slot an io_uring op names (a queue of the slot shape, a cancel, a
 * complete, a close), CF_SLOT__COUNT for none. */
unsigned cf_op_slot(const struct cf_op *op);
/* The lowest text format version that can say this io_uring op (1 or 3). */
int cf_op_version(const struct cf_op *op);
/* Durations a timer's duration code names, in ns, and their names. */
uint64_t cf_duration_ns(unsigned code);
extern const char *const cf_duration_names[CF_DURATIONS];
extern const char *const cf_clock_names[CF_CLOCK__COUNT];
/* A timer kind's count (flags byte, top 2 bits). */
static inline unsigned cf_queue_count(const struct cf_op *op)
{
	return op->a[CF_Q_FLAGS] >> CF_SQE_COUNT_SHIFT;
}

#endif
