/* Actors and race groups: the rules every program obeys, shared by the
 * decoder (which canonicalizes), the text parser (which reports) and the
 * executor (which relies on them). docs/program-format.md, "Actors and
 * race groups". */
#include "program.h"

const char *const cf_actor_kind_names[CF_ACTOR__COUNT] = {
	"thread", "task", "thread1", "task1",
};

const char *cf_actor_kind_name(unsigned kind)
{
	return kind < CF_ACTOR__COUNT ? cf_actor_kind_names[kind] : "?";
}

int cf_op_is_go(const struct cf_op *op)
{
	return op->kind == CF_OP_WAIT && op->a[CF_W_HOW] == CF_WAIT_GO;
}

int cf_op_is_exit(const struct cf_op *op)
{
	return op->kind == CF_OP_WAIT && op->a[CF_W_HOW] == CF_WAIT_EXIT;
}

int cf_group_conflict(const struct cf_program *prog)
{
	uint8_t parked[CF_GROUPS] = { 0 }; /* actors with an op parked in each group */
	int uring = cf_mode_family(prog->mode) == CF_FAMILY_URING;

	for (unsigned i = 0; i < prog->nops; i++) {
		const struct cf_op *op = &prog->ops[i];

		if (op->group >= CF_GROUPS || op->actor >= CF_ACTORS ||
		    (!uring && (op->group || op->actor || op->at)))
			return (int)i; /* the AIO families have no actors (yet) */
		if ((op->kind == CF_OP_END || (uring && cf_op_is_go(op))) && op->actor)
			return (int)i; /* end and the release are the harness thread's */
		if (op->group) {
			if (op->kind == CF_OP_END || cf_op_is_go(op) || (uring && cf_op_is_exit(op)) ||
			    (parked[op->group] & (1u << op->actor)))
				return (int)i;
			parked[op->group] |= (uint8_t)(1u << op->actor);
		} else if (op->at) {
			return (int)i; /* an offset only means something in a group */
		}
		if (uring && cf_op_is_go(op) && op->a[CF_W_N] < CF_GROUPS)
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
	if (cf_mode_family(prog->mode) != CF_FAMILY_URING)
		return 0;
	if (prog->actors)
		return 1;
	for (unsigned i = 0; i < prog->nops; i++)
		if (prog->ops[i].actor || prog->ops[i].group || cf_op_is_go(&prog->ops[i]) ||
		    cf_op_is_exit(&prog->ops[i]) || cf_slot_is_ring(cf_op_slot(&prog->ops[i])))
			return 1;
	return 0;
}
