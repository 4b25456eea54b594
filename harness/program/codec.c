/* The byte form of a program: a total decoder and a canonical encoder
 * (docs/program-format.md). */
#include "program.h"

#include <string.h>

#include "aio_model.h"

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
	[CF_OP_QUEUE] = { CF_REQ__COUNT, 0 /* by request kind */, CF_UD_POOL, 0 },
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

/* Keep the group rules (cf_group_conflict): an op that breaks them leaves
 * its group and runs when reached, so every byte string stays a program. */
static void canonical_groups(struct cf_program *prog)
{
	int i;

	while ((i = cf_group_conflict(prog)) >= 0) {
		struct cf_op *op = &prog->ops[i];

		if (op->kind == CF_OP_END || cf_op_is_go(prog->mode, op) ||
		    !cf_mode_has_actors(prog->mode))
			op->actor = 0;
		op->group = 0;
		op->at = 0;
	}
}

void cf_decode(const uint8_t *data, size_t size, struct cf_program *prog)
{
	size_t pos = 0;
	int uring, actors;

	memset(prog, 0, sizeof(*prog));
	if (size > CF_MAX_INPUT)
		size = CF_MAX_INPUT;
	prog->mode = size > 0 ? data[0] % CF_MODE__COUNT : CF_MODE_DEFAULT;
	prog->entries = cf_entries_from_code(size > 1 ? data[1] : 1);
	uring = cf_mode_family(prog->mode) == CF_FAMILY_URING;
	actors = cf_mode_has_actors(prog->mode); /* mode aio: threads only, no kinds byte */
	prog->actors = uring && size > 2 ? data[2] & CF_ACTORS_MASK : 0;
	pos = CF_HEADER_BYTES;
	while (pos < size && prog->nops < CF_MAX_OPS) {
		struct cf_op *op = &prog->ops[prog->nops++];
		uint8_t code = data[pos++];
		unsigned kind = kind_of_code[code & 15];

		op->kind = (uint8_t)kind;
		for (int i = 0; i < nargs_of_kind[kind]; i++) {
			uint8_t b = 0;

			if (pos < size)
				b = data[pos++];
			else
				prog->truncated = 1;
			op->a[i] = canonical_arg(prog->mode, kind, (unsigned)i, b);
		}
		/* High nibble: actor (bits 4-5), group (bits 6-7); a grouped op
		 * has one more byte, its offset. */
		op->actor = actors ? (code >> 4) & 3 : 0;
		op->group = (code >> 6) & 3;
		if (op->group) {
			if (pos < size)
				op->at = data[pos++];
			else
				prog->truncated = 1;
		}
		if (!actors)
			op->group = op->at = 0;
		/* the slot and flags bytes mean what the request kind says */
		if (kind == CF_OP_QUEUE && cf_mode_family(prog->mode) == CF_FAMILY_URING) {
			cf_queue_canonicalize(op);
		}
		if (kind == CF_OP_END)
			break;
	}
	canonical_groups(prog);
}

size_t cf_encode(const struct cf_program *prog, uint8_t *out, size_t cap)
{
	size_t n = 0;

	if (cap < CF_MAX_ENCODED)
		return 0;
	out[n++] = prog->mode;
	out[n++] = (uint8_t)cf_entries_code(prog->entries);
	out[n++] = prog->actors & CF_ACTORS_MASK;
	for (unsigned i = 0; i < prog->nops; i++) {
		const struct cf_op *op = &prog->ops[i];

		out[n++] = (uint8_t)(code_of_kind[op->kind] | (op->actor & 3) << 4 |
				     (op->group & 3) << 6);
		for (int a = 0; a < nargs_of_kind[op->kind]; a++)
			out[n++] = op->a[a];
		if (op->group & 3)
			out[n++] = op->at;
	}
	return n;
}
