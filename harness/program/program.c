/* Program model: total decoder, canonical encoder, names. */
#include "program.h"

#include <string.h>

#include "aio_model.h"

const char *const cf_mode_names[CF_MODE__COUNT] = {
	"default", "coop", "defer", "sqpoll", "smallcq", "aio", "posix",
};
const char *const cf_slot_names[CF_SLOT__COUNT] = {
	"pipe0.r", "pipe0.w", "pipe1.r", "pipe1.w",
	"sock0.a", "sock0.b", "sock1.a", "sock1.b",
	"listener", "client0", "client1",
	"eventfd", "file", "badfd",
};
const char *const cf_req_names[CF_REQ__COUNT] = {
	"nop", "read", "recv", "write", "poll", "poll_multi",
	"accept", "accept_multi", "recv_multi",
	"timeout_long", "timeout_short", "link_timeout_long", "link_timeout_short",
	"futex_wait", "waitid", "read_file",
};
const char *const cf_cancel_api_names[CF_CANCEL__COUNT] = {
	"sqe64", "sqe", "sqe_fd", "sync",
};
const char *const cf_complete_names[CF_DO__COUNT] = {
	"write", "connect", "futex_wake", "eventfd", "shutdown", "child_exit",
};
const char *const cf_wait_names[CF_WAIT__COUNT] = {
	"submit", "submit_wait", "getevents", "reap",
};
const char *const cf_op_names[CF_OP__COUNT] = {
	"queue", "cancel", "complete", "wait", "close", "end",
};

/* An op byte's low 4 bits pick its kind; END is rare so random inputs run long. */
static const uint8_t kind_of_code[16] = {
	CF_OP_QUEUE, CF_OP_QUEUE, CF_OP_QUEUE, CF_OP_QUEUE,
	CF_OP_CANCEL, CF_OP_CANCEL, CF_OP_CANCEL,
	CF_OP_COMPLETE, CF_OP_COMPLETE, CF_OP_COMPLETE,
	CF_OP_WAIT, CF_OP_WAIT, CF_OP_WAIT,
	CF_OP_CLOSE, CF_OP_CLOSE, CF_OP_END,
};
static const uint8_t code_of_kind[CF_OP__COUNT] = { 0, 4, 7, 10, 13, 15 };
static const uint8_t nargs_of_kind[CF_OP__COUNT] = { 4, 6, 3, 2, 1, 0 };

/* Modulus for each argument byte; 0 means the byte is kept as is (masked below). */
static const uint8_t arg_mod[CF_OP__COUNT][CF_OP_ARGS] = {
	[CF_OP_QUEUE] = { CF_REQ__COUNT, CF_SLOT__COUNT, CF_UD_POOL, 0 },
	[CF_OP_CANCEL] = { CF_CANCEL__COUNT, 0, CF_UD_POOL, CF_SLOT__COUNT,
			   CF_REQ__COUNT, 0 },
	[CF_OP_COMPLETE] = { CF_DO__COUNT, CF_SLOT__COUNT, 0 },
	[CF_OP_WAIT] = { CF_WAIT__COUNT, 8 },
	[CF_OP_CLOSE] = { CF_SLOT__COUNT },
};

static uint8_t canonical_arg(unsigned mode, unsigned kind, unsigned pos, uint8_t b)
{
	if (cf_mode_family(mode) != CF_FAMILY_URING)
		return cf_aio_canonical_arg(cf_mode_family(mode), kind, pos, b);
	if (kind == CF_OP_QUEUE && pos == CF_Q_FLAGS)
		return b & CF_SQE__MASK;
	if (kind == CF_OP_CANCEL && pos == CF_C_ODD)
		return b & CF_ODD__MASK;
	if (arg_mod[kind][pos])
		return b % arg_mod[kind][pos];
	return b;
}

int cf_op_nargs(unsigned kind)
{
	return kind < CF_OP__COUNT ? nargs_of_kind[kind] : -1;
}

uint8_t cf_entries_from_code(unsigned code)
{
	return (uint8_t)(4u << (code % 4));
}

unsigned cf_entries_code(unsigned entries)
{
	for (unsigned c = 0; c < 4; c++)
		if (cf_entries_from_code(c) == entries)
			return c;
	return 0;
}

void cf_decode(const uint8_t *data, size_t size, struct cf_program *prog)
{
	size_t pos = 0;

	memset(prog, 0, sizeof(*prog));
	if (size > CF_MAX_INPUT)
		size = CF_MAX_INPUT;
	prog->mode = size > 0 ? data[0] % CF_MODE__COUNT : CF_MODE_DEFAULT;
	prog->entries = cf_entries_from_code(size > 1 ? data[1] : 1);
	pos = 2;
	while (pos < size && prog->nops < CF_MAX_OPS) {
		struct cf_op *op = &prog->ops[prog->nops++];
		unsigned kind = kind_of_code[data[pos++] & 15];

		op->kind = (uint8_t)kind;
		for (int i = 0; i < nargs_of_kind[kind]; i++) {
			uint8_t b = 0;

			if (pos < size)
				b = data[pos++];
			else
				prog->truncated = 1;
			op->a[i] = canonical_arg(prog->mode, kind, (unsigned)i, b);
		}
		if (kind == CF_OP_END)
			break;
	}
}

size_t cf_encoded_max(void)
{
	return 2 + (size_t)CF_MAX_OPS * (1 + CF_OP_ARGS);
}

size_t cf_encode(const struct cf_program *prog, uint8_t *out, size_t cap)
{
	size_t n = 0;

	if (cap < cf_encoded_max())
		return 0;
	out[n++] = prog->mode;
	out[n++] = (uint8_t)cf_entries_code(prog->entries);
	for (unsigned i = 0; i < prog->nops; i++) {
		const struct cf_op *op = &prog->ops[i];

		out[n++] = code_of_kind[op->kind];
		for (int a = 0; a < nargs_of_kind[op->kind]; a++)
			out[n++] = op->a[a];
	}
	return n;
}

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
		[CF_REQ_NOP] = 0 /* NOP */, [CF_REQ_READ] = 22 /* READ */,
		[CF_REQ_RECV] = 27 /* RECV */, [CF_REQ_WRITE] = 23 /* WRITE */,
		[CF_REQ_POLL] = 6 /* POLL_ADD */, [CF_REQ_POLL_MULTI] = 6,
		[CF_REQ_ACCEPT] = 13 /* ACCEPT */, [CF_REQ_ACCEPT_MULTI] = 13,
		[CF_REQ_RECV_MULTI] = 27,
		[CF_REQ_TIMEOUT_LONG] = 11 /* TIMEOUT */, [CF_REQ_TIMEOUT_SHORT] = 11,
		[CF_REQ_LINK_TIMEOUT_LONG] = 15 /* LINK_TIMEOUT */,
		[CF_REQ_LINK_TIMEOUT_SHORT] = 15,
		[CF_REQ_FUTEX_WAIT] = 51 /* FUTEX_WAIT */, [CF_REQ_WAITID] = 50 /* WAITID */,
		[CF_REQ_READ_FILE] = 22,
	};
	return req < CF_REQ__COUNT ? opcode[req] : 0;
}

int cf_req_is_multishot(unsigned req)
{
	return req == CF_REQ_POLL_MULTI || req == CF_REQ_ACCEPT_MULTI ||
	       req == CF_REQ_RECV_MULTI;
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
