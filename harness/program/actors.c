/* Actors and race groups: the rules every program obeys, shared by the
 * decoder (which canonicalizes), the text parser (which reports) and the
 * executor (which relies on them). docs/program-format.md, "Actors and
 * race groups". */
#include "program.h"

#include "aio_model.h"

const char *const cf_actor_kind_names[CF_ACTOR__COUNT] = {
	"thread", "task", "thread1", "task1",
};

const char *cf_actor_kind_name(unsigned kind)
{
	return kind < CF_ACTOR__COUNT ? cf_actor_kind_names[kind] : "?";
}

int cf_mode_has_actors(unsigned mode)
{
	return cf_mode_family(mode) == CF_FAMILY_URING || cf_mode_family(mode) == CF_FAMILY_AIO ||
	       cf_mode_family(mode) == CF_FAMILY_POSIX;
}

int cf_op_is_go(unsigned mode, const struct cf_op *op)
{
	if (op->kind != CF_OP_WAIT)
		return 0;
	switch (cf_mode_family(mode)) {
	case CF_FAMILY_URING: return op->a[CF_W_HOW] == CF_WAIT_GO;
	case CF_FAMILY_AIO: return op->a[CF_W_HOW] == CF_AIOW_GO;
	case CF_FAMILY_POSIX: return op->a[CF_W_HOW] == CF_PXW_GO;
	default: return 0;
	}
}

int cf_op_is_exit(unsigned mode, const struct cf_op *op)
{
	return cf_mode_family(mode) == CF_FAMILY_URING && op->kind == CF_OP_WAIT &&
	       op->a[CF_W_HOW] == CF_WAIT_EXIT;
}

int cf_group_conflict(const struct cf_program *prog)
{
	uint8_t parked[CF_GROUPS] = { 0 }; /* actors with an op parked in each group */
	int actors = cf_mode_has_actors(prog->mode);
	unsigned m = prog->mode;

	for (unsigned i = 0; i < prog->nops; i++) {
		const struct cf_op *op = &prog->ops[i];

		if (op->group >= CF_GROUPS || op->actor >= CF_ACTORS ||
		    (!actors && (op->group || op->actor || op->at)))
			return (int)i; /* mode posix has no actors (yet) */
		if ((op->kind == CF_OP_END || cf_op_is_go(m, op)) && op->actor)
			return (int)i; /* end and the release are the harness thread's */
		if (op->group) {
			if (op->kind == CF_OP_END || cf_op_is_go(m, op) || cf_op_is_exit(m, op) ||
			    (parked[op->group] & (1u << op->actor)))
				return (int)i;
			parked[op->group] |= (uint8_t)(1u << op->actor);
		} else if (op->at) {
			return (int)i; /* an offset only means something in a group */
		}
		if (cf_op_is_go(m, op) && op->a[CF_W_N] < CF_GROUPS)
			parked[op->a[CF_W_N]] = 0;
	}
	return -1;
}

int cf_program_has_groups(const struct cf_program *prog)
{
	for (unsigned i = 0; i < prog->nops; i++)
		if (prog->ops[i].group)
			return 1;
	return 0;
}

int cf_program_uses_actors(const struct cf_program *prog)
{
	int uring = cf_mode_family(prog->mode) == CF_FAMILY_URING;

	if (!cf_mode_has_actors(prog->mode))
		return 0;
	if (prog->actors)
		return 1;
	for (unsigned i = 0; i < prog->nops; i++)
		if (prog->ops[i].actor || prog->ops[i].group || cf_op_is_go(prog->mode, &prog->ops[i]) ||
		    cf_op_is_exit(prog->mode, &prog->ops[i]) ||
		    (uring && cf_slot_is_ring(cf_op_slot(&prog->ops[i]))))
			return 1;
	return 0;
}
