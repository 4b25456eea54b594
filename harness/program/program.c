/* The program model's facts: names of every value, user_data pool, what
 * each io_uring request kind is submitted as. */
#include "program.h"

#include <string.h>

const char *const cf_mode_names[CF_MODE__COUNT] = {
	"default", "coop", "defer", "sqpoll", "smallcq", "aio", "posix",
};
const char *const cf_slot_names[CF_SLOT__COUNT] = {
	"pipe0.r", "pipe0.w", "pipe1.r", "pipe1.w",
	"sock0.a", "sock0.b", "sock1.a", "sock1.b",
	"listener", "client0", "client1",
	"eventfd", "file", "badfd",
	"signalfd", "timerfd", "ring0", "ring1",
};
const char *const cf_req_names[CF_REQ__COUNT] = {
#define URING(id, name, opcode, multishot, shape) [id] = name,
#include "requests.def"
#undef URING
};
const char *const cf_cancel_api_names[CF_CANCEL__COUNT] = {
	"sqe64", "sqe", "sqe_fd", "sync",
};
const char *const cf_complete_names[CF_DO__COUNT] = {
	"write", "connect", "futex_wake", "eventfd", "shutdown", "child_exit",
};
const char *const cf_wait_names[CF_WAIT__COUNT] = {
	"submit", "submit_wait", "getevents", "reap", "go", "exit",
};
const char *const cf_op_names[CF_OP__COUNT] = {
	"queue", "cancel", "complete", "wait", "close", "end",
};

uint64_t cf_ud_value(unsigned ud_index)
{
	static const uint64_t pool[CF_UD_POOL] = {
		1, 2, 3, 4, 5, 6, 0, UINT64_MAX,
	};
	return pool[ud_index % CF_UD_POOL];
}

unsigned cf_req_opcode(unsigned req)
{
	static const uint8_t opcode[CF_REQ__COUNT] = {
#define URING(id, name, op, multishot, shape) [id] = op,
#include "requests.def"
#undef URING
	};
	return req < CF_REQ__COUNT ? opcode[req] : 0;
}

int cf_req_is_multishot(unsigned req)
{
	static const uint8_t multi[CF_REQ__COUNT] = {
#define URING(id, name, op, multishot, shape) [id] = multishot,
#include "requests.def"
#undef URING
	};
	return req < CF_REQ__COUNT && multi[req];
}

unsigned cf_req_shape(unsigned req)
{
	static const uint8_t shape[CF_REQ__COUNT] = {
#define URING(id, name, op, multishot, shape) [id] = CF_SHAPE_##shape,
#include "requests.def"
#undef URING
	};
	return req < CF_REQ__COUNT ? shape[req] : CF_SHAPE_SLOT;
}

const char *const cf_duration_names[CF_DURATIONS] = {
	"1ns", "1us", "100us", "1ms", "10ms", "100ms", "500ms", "60s",
};
const char *const cf_clock_names[CF_CLOCK__COUNT] = { "mono", "boot", "real", "both" };

uint64_t cf_duration_ns(unsigned code)
{
	static const uint64_t ns[CF_DURATIONS] = {
		1, 1000, 100000, 1000000, 10000000, 100000000, 500000000, 60000000000ull,
	};
	return ns[code % CF_DURATIONS];
}

uint8_t cf_queue_canonical(unsigned req, unsigned pos, uint8_t b)
{
	unsigned shape = cf_req_shape(req);

	if (pos == CF_Q_FLAGS) /* timers: a count on top; updates: bad fields (cov3) */
		return shape == CF_SHAPE_TIMER || shape == CF_SHAPE_UPDATE ? b : (uint8_t)(b & CF_SQE__MASK);
	if (pos != CF_Q_SLOT)
		return b;
	switch (shape) {
	case CF_SHAPE_REMOVE:
		return b; /* target, CF_R_* (cov3 branch), CF_T_BAD */
	case CF_SHAPE_POLLUPD:
	case CF_SHAPE_UPDATE:
	case CF_SHAPE_TIMER:
		return b;
	default:
		return (uint8_t)(b % CF_SLOT__COUNT);
	}
}

/* An indefinite MULTISHOT timeout fires without end: one of 1 ns or 1 us
 * would post more CQEs in one wait than a history holds (8192), so its
 * period is at least 100 us. */
static uint8_t multishot_period(uint8_t slot, uint8_t flags)
{
	if ((flags >> CF_SQE_COUNT_SHIFT) == 0 && (slot & CF_T_TIME_MASK) < 2)
		return (uint8_t)((slot & ~CF_T_TIME_MASK) | 2);
	return slot;
}

void cf_queue_canonicalize(struct cf_op *op)
{
	op->a[CF_Q_SLOT] = cf_queue_canonical(op->a[CF_Q_REQ], CF_Q_SLOT, op->a[CF_Q_SLOT]);
	op->a[CF_Q_FLAGS] = cf_queue_canonical(op->a[CF_Q_REQ], CF_Q_FLAGS, op->a[CF_Q_FLAGS]);
	if (op->a[CF_Q_REQ] == CF_REQ_TIMEOUT_MULTI)
		op->a[CF_Q_SLOT] = multishot_period(op->a[CF_Q_SLOT], op->a[CF_Q_FLAGS]);
}

int cf_op_timer_fires(const struct cf_op *op)
{
	unsigned req = op->a[CF_Q_REQ], b = op->a[CF_Q_SLOT];

	if (op->kind != CF_OP_QUEUE)
		return 0;
	switch (cf_req_shape(req)) {
	case CF_SHAPE_UPDATE: /* a new duration, relative or absolute */
		return ((b >> CF_T_UPD_TIME_SHIFT) & CF_T_TIME_MASK) != CF_DURATIONS - 1;
	case CF_SHAPE_TIMER:
		/* absolute: a realtime clock may be set; count: completions race */
		return (b & CF_T_TIME_MASK) != CF_DURATIONS - 1 || (b & CF_T_ABS) ||
		       (req == CF_REQ_TIMEOUT && cf_queue_count(op) > 0);
	default:
		return 0;
	}
}

/* The slot an io_uring op names, CF_SLOT__COUNT for none. */
unsigned cf_op_slot(const struct cf_op *op)
{
	switch (op->kind) {
	case CF_OP_QUEUE:
		return cf_req_shape(op->a[CF_Q_REQ]) == CF_SHAPE_SLOT ? op->a[CF_Q_SLOT] : CF_SLOT__COUNT;
	case CF_OP_CANCEL: return op->a[CF_C_SLOT];
	case CF_OP_COMPLETE: return op->a[CF_D_SLOT];
	case CF_OP_CLOSE: return op->a[CF_X_SLOT];
	}
	return CF_SLOT__COUNT;
}

int cf_op_version(const struct cf_op *op)
{
	if (cf_slot_is_ring(cf_op_slot(op)))
		return 3; /* the ring slots came with the actors branch */
	if (op->kind == CF_OP_CANCEL)
		return (op->a[CF_C_ODD] & CF_ODD_SKIP) ? 3 : 1;
	if (op->kind != CF_OP_QUEUE)
		return 1;
	return op->a[CF_Q_REQ] >= CF_REQ_POLL_REMOVE || (op->a[CF_Q_FLAGS] & CF_SQE_SKIP) ? 3 : 1;
}

int cf_lookup(const char *const *names, unsigned count, const char *word)
{
	for (unsigned i = 0; i < count; i++)
		if (strcmp(names[i], word) == 0)
			return (int)i;
	return -1;
}

#define NAME_OR_UNKNOWN(table, count, i) ((i) < (count) ? (table)[i] : "?")
const char *cf_mode_name(unsigned m) { return NAME_OR_UNKNOWN(cf_mode_names, CF_MODE__COUNT, m); }
const char *cf_slot_name(unsigned s) { return NAME_OR_UNKNOWN(cf_slot_names, CF_SLOT__COUNT, s); }
const char *cf_req_name(unsigned r) { return NAME_OR_UNKNOWN(cf_req_names, CF_REQ__COUNT, r); }
const char *cf_cancel_api_name(unsigned a) { return NAME_OR_UNKNOWN(cf_cancel_api_names, CF_CANCEL__COUNT, a); }
const char *cf_complete_name(unsigned w) { return NAME_OR_UNKNOWN(cf_complete_names, CF_DO__COUNT, w); }
const char *cf_wait_name(unsigned h) { return NAME_OR_UNKNOWN(cf_wait_names, CF_WAIT__COUNT, h); }
const char *cf_op_name(unsigned k) { return NAME_OR_UNKNOWN(cf_op_names, CF_OP__COUNT, k); }
