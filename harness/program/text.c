/* Text form of a program: canonical printer and strict parser. */
#include "text.h"

#include "aio_model.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#define MAGIC_WORD1 "cancelfuzz"
#define MAGIC_WORD2 "program"
#define DEFAULT_ENTRIES 8
#define SHOW_MAX 40 /* longest piece of input quoted in an error */

/* Flag names, bit 0 first. */
static const char *const sqe_flag_names[] = {
	"link", "hardlink", "async", "drain", "fixed", "skip_success",
};
static const char *const bad_names[] = { "len", "buf_index", "splice_fd", "tflags", "ioprio" };
static const char *const update_bad_names[] = { "len", "allflags" };
static const char *const update_flag_names[] = { "abs", "ioprio" };
static const char *const timer_flag_names[] = { "abs", "etime_success", "ioprio" };
static const char *const poll_update_flag_names[] = { "events", "user_data", "multi", "pollout", "ioprio" };
static const char *const cancel_flag_names[] = {
	"all", "fd", "any", "fd_fixed", "userdata", "op", "bit6", "bit31",
};
static const char *const odd_flag_names[] = {
	"off", "splice_fd", "buf_select", "async", "link", "ioprio", "skip_success",
};
static const char *const aio_submit_flag_names[] = { "resfd", "reserved", "badrw" };
static const char *const aio_cancel_flag_names[] = { "nullresult", "badresult", "badctx" };
static const char *const px_fsync_op_names[] = { "sync", "dsync", "badop" };
static const char *const aio_go_names[] = { "go" };
static const char *const px_suspend_names[] = { "zero", "short", "all" };

_Static_assert(CF_SQE_LINK == 1 << 0 && CF_SQE_HARDLINK == 1 << 1 &&
	       CF_SQE_ASYNC == 1 << 2 && CF_SQE_DRAIN == 1 << 3 &&
	       CF_SQE_FIXED == 1 << 4 && CF_SQE_SKIP == 1 << 5 && CF_SQE__MASK == 0x3f,
	       "sqe_flag_names follows the CF_SQE_* bits");
_Static_assert(CF_AIOQ_RESFD == 1 << 0 && CF_AIOQ_RESERVED == 1 << 1 &&
	       CF_AIOQ_BADRW == 1 << 2 && CF_AIOQ__MASK == 0x7 &&
	       CF_AIOC_NULLRESULT == 1 << 0 && CF_AIOC_BADRESULT == 1 << 1 &&
	       CF_AIOC_BADCTX == 1 << 2 && CF_AIOC__MASK == 0x7,
	       "aio flag names follow the CF_AIOQ_* and CF_AIOC_* bits");
_Static_assert(CF_PX_FSYNC + 1 == CF_PX_FDATASYNC && CF_PX_FSYNC + 2 == CF_PX_FSYNC_BADOP &&
	       CF_PX_REQ__COUNT == CF_PX_FSYNC + 3 &&
	       CF_PXW_SUSPEND_ZERO + 1 == CF_PXW_SUSPEND_SHORT &&
	       CF_PXW_SUSPEND_ZERO + 2 == CF_PXW_SUSPEND_ALL && CF_PXW__COUNT == CF_PXW_SUSPEND_ZERO + 3,
	       "aio_fsync op and aio_suspend kind names follow the enums");
_Static_assert(CF_ODD_OFF == 1 << 0 && CF_ODD_SPLICE_FD == 1 << 1 &&
	       CF_ODD_BUF_SELECT == 1 << 2 && CF_ODD_ASYNC == 1 << 3 &&
	       CF_ODD_LINK == 1 << 4 && CF_ODD_IOPRIO == 1 << 5 &&
	       CF_ODD_SKIP == 1 << 6 && CF_ODD__MASK == 0x7f,
	       "odd_flag_names follows the CF_ODD_* bits");

_Static_assert(CF_PU_EVENTS == 1 << 3 && CF_PU_USER_DATA == 1 << 4 && CF_PU_MULTI == 1 << 5 &&
	       CF_PU_POLLOUT == 1 << 6 && CF_T_BAD == 1 << 7,
	       "poll_update_flag_names follows the CF_PU_* bits");
_Static_assert(CF_R_LEN == 1 << 3 && CF_R_BUF_INDEX == 1 << 4 && CF_R_SPLICE_FD == 1 << 5 &&
	       CF_R_TFLAGS == 1 << 6 && CF_T_BAD == 1 << 7 && CF_U_LEN == 1 << 6 && CF_U_ALLFLAGS == 1 << 7,
	       "bad_names and update_bad_names follow the CF_R_* and CF_U_* bits");
_Static_assert(CF_T_BAD == 1 << 7 && CF_T_UPD_ABS == 1 << 6 && CF_T_ABS == 1 << 5 &&
	       CF_T_ETIME_SUCCESS == 1 << 6 && CF_SQE_COUNT_SHIFT == 6,
	       "update_flag_names and timer_flag_names follow the CF_T_* bits");

#define COUNT(a) (unsigned)(sizeof(a) / sizeof((a)[0]))

enum value_kind {
	VAL_NAME,    /* index into a name table */
	VAL_UD,      /* user_data value, stored as its pool index */
	VAL_BITS,    /* "0" or '|'-joined bit names */
	VAL_UINT,    /* decimal or 0x-hex number 0..max */
	VAL_ENTRIES, /* ring size 4, 8, 16 or 32 */
};

struct value_spec {
	enum value_kind kind;
	const char *what;         /* noun for messages */
	const char *const *names; /* VAL_NAME, VAL_BITS */
	unsigned count;           /* names in the table */
	unsigned max;             /* VAL_UINT */
	unsigned base;            /* VAL_NAME: the value of the first name */
};

static const struct value_spec v_req = { VAL_NAME, "request", cf_req_names, CF_REQ__COUNT, 0, 0 };
static const struct value_spec v_slot = { VAL_NAME, "slot", cf_slot_names, CF_SLOT__COUNT, 0, 0 };
/* the AIO families name the slots up to badfd (aio_model.h) */
static const struct value_spec v_aslot = { VAL_NAME, "slot", cf_slot_names, CF_AIO_SLOTS, 0, 0 };
static const struct value_spec v_api = { VAL_NAME, "cancel api", cf_cancel_api_names, CF_CANCEL__COUNT, 0, 0 };
static const struct value_spec v_what = { VAL_NAME, "completion", cf_complete_names, CF_DO__COUNT, 0, 0 };
static const struct value_spec v_how = { VAL_NAME, "wait kind", cf_wait_names, CF_WAIT__COUNT, 0, 0 };
static const struct value_spec v_mode = { VAL_NAME, "mode", cf_mode_names, CF_MODE__COUNT, 0, 0 };
static const struct value_spec v_ud = { VAL_UD, "ud", NULL, 0, 0, 0 };
static const struct value_spec v_sqe = { VAL_BITS, "sqe flag", sqe_flag_names, COUNT(sqe_flag_names), 0, 0 };
static const struct value_spec v_cflags = { VAL_BITS, "cancel flag", cancel_flag_names, COUNT(cancel_flag_names), 0, 0 };
static const struct value_spec v_odd = { VAL_BITS, "odd flag", odd_flag_names, COUNT(odd_flag_names), 0, 0 };
static const struct value_spec v_len = { VAL_UINT, "len", NULL, 0, 255, 0 };
static const struct value_spec v_time = { VAL_NAME, "duration", cf_duration_names, CF_DURATIONS, 0, 0 };
static const struct value_spec v_clock = { VAL_NAME, "clock", cf_clock_names, CF_CLOCK__COUNT, 0, 0 };
static const struct value_spec v_bad = { VAL_BITS, "bad field", bad_names, COUNT(bad_names), 0, 0 };
static const struct value_spec v_ubad = { VAL_BITS, "bad field", update_bad_names, COUNT(update_bad_names), 0, 0 };
static const struct value_spec v_uflags = { VAL_BITS, "update flag", update_flag_names, COUNT(update_flag_names), 0, 0 };
static const struct value_spec v_pflags = { VAL_BITS, "poll update flag", poll_update_flag_names, COUNT(poll_update_flag_names), 0, 0 };
static const struct value_spec v_tflags = { VAL_BITS, "timeout flag", timer_flag_names, COUNT(timer_flag_names), 0, 0 };
static const struct value_spec v_count = { VAL_UINT, "count", NULL, 0, 3, 0 };
static const struct value_spec v_n = { VAL_UINT, "n", NULL, 0, 7, 0 };
static const struct value_spec v_entries = { VAL_ENTRIES, "entries", NULL, 0, 0, 0 };
/* mode aio */
static const struct value_spec v_aio_cmd = { VAL_NAME, "aio command", cf_aio_cmd_names, CF_AIO_CMD__COUNT, 0, 0 };
static const struct value_spec v_aio_target = { VAL_NAME, "io_cancel target", cf_aio_target_names, CF_AIOT__COUNT, 0, 0 };
static const struct value_spec v_aio_wait = { VAL_NAME, "io_getevents kind", cf_aio_wait_names, CF_AIOW__COUNT, 0, 0 };
static const struct value_spec v_aio_go = { VAL_NAME, "wait kind", aio_go_names, 1, 0, CF_AIOW_GO };
static const struct value_spec v_px_go = { VAL_NAME, "wait kind", aio_go_names, 1, 0, CF_PXW_GO };
static const struct value_spec v_aioq = { VAL_BITS, "io_submit flag", aio_submit_flag_names, COUNT(aio_submit_flag_names), 0, 0 };
static const struct value_spec v_aioc = { VAL_BITS, "io_cancel flag", aio_cancel_flag_names, COUNT(aio_cancel_flag_names), 0, 0 };
static const struct value_spec v_fwhat = { VAL_NAME, "completion", cf_fcomplete_names, CF_FDO__COUNT, 0, 0 };
/* mode posix */
static const struct value_spec v_cb = { VAL_UINT, "cb", NULL, 0, CF_PX_CBS - 1, 0 };
static const struct value_spec v_notify = { VAL_NAME, "notify", cf_px_notify_names, CF_PXN__COUNT, 0, 0 };
static const struct value_spec v_fsync_op = { VAL_NAME, "aio_fsync op", px_fsync_op_names, COUNT(px_fsync_op_names), 0, CF_PX_FSYNC };
static const struct value_spec v_pxc = { VAL_NAME, "aio_cancel kind", cf_px_cancel_names, CF_PXC__COUNT, 0, 0 };
static const struct value_spec v_suspend = { VAL_NAME, "aio_suspend kind", px_suspend_names, COUNT(px_suspend_names), 0, CF_PXW_SUSPEND_ZERO };

struct key_spec {
	const char *key;
	unsigned pos; /* index into the argument bytes */
	const struct value_spec *val;
	uint8_t shift, width; /* the bits of the byte it sets; width 0: all 8 */
	uint8_t quiet;        /* printed only when not 0 (a key added after texts were written) */
};

#define MAX_KEYS 6
#define STMT_RING CF_OP__COUNT /* the ring line's kind, after the op kinds */
#define NO_FIXED 0xff
enum { RING_MODE, RING_ENTRIES };

/* One statement: keyword, the op kind it makes, optional leading name, keys
 * in canonical order. A keyword may stand for a range of one argument's
 * values (fixed_pos, fixed_lo..fixed_hi; fixed_lo unless a key says otherwise). */
struct stmt_spec {
	const char *keyword;
	unsigned kind;
	uint8_t fixed_pos, fixed_lo, fixed_hi;
	const struct value_spec *lead;
	unsigned lead_pos;
	unsigned nkeys;
	struct key_spec keys[MAX_KEYS];
};

#define FREE NO_FIXED, 0, 0
static const struct stmt_spec ring_stmt = { "ring", STMT_RING, FREE, NULL, 0, 2, {
	{ "mode", RING_MODE, &v_mode },
	{ "entries", RING_ENTRIES, &v_entries } } };

/* A queue statement's keys follow its request kind's shape (program.h);
 * requests.def keeps each shape's kinds together. */
static const struct stmt_spec uring_stmts[] = {
	{ "queue", CF_OP_QUEUE, CF_Q_REQ, CF_REQ_NOP, CF_REQ_READ_FILE, &v_req, CF_Q_REQ, 3, {
		{ "slot", CF_Q_SLOT, &v_slot },
		{ "ud", CF_Q_UD, &v_ud },
		{ "flags", CF_Q_FLAGS, &v_sqe } } },
	{ "queue", CF_OP_QUEUE, CF_Q_REQ, CF_REQ_POLL_REMOVE, CF_REQ_TIMEOUT_REMOVE, &v_req, CF_Q_REQ, 4, {
		{ "target", CF_Q_SLOT, &v_ud, 0, 3 },
		{ "ud", CF_Q_UD, &v_ud },
		{ "flags", CF_Q_FLAGS, &v_sqe },
		{ "bad", CF_Q_SLOT, &v_bad, 3, 5 } } },
	{ "queue", CF_OP_QUEUE, CF_Q_REQ, CF_REQ_TIMEOUT_UPDATE, CF_REQ_LINK_TIMEOUT_UPDATE, &v_req, CF_Q_REQ, 6, {
		{ "target", CF_Q_SLOT, &v_ud, 0, 3 },
		{ "time", CF_Q_SLOT, &v_time, 3, 3 },
		{ "ud", CF_Q_UD, &v_ud },
		{ "flags", CF_Q_FLAGS, &v_sqe, 0, 6 },
		{ "tf", CF_Q_SLOT, &v_uflags, 6, 2 },
		/* cov3 branch: printed only when set, so older texts print as before */
		{ "bad", CF_Q_FLAGS, &v_ubad, 6, 2, 1 } } },
	{ "queue", CF_OP_QUEUE, CF_Q_REQ, CF_REQ_CONNECT, CF_REQ_WAITID_ALL, &v_req, CF_Q_REQ, 3, {
		{ "slot", CF_Q_SLOT, &v_slot },
		{ "ud", CF_Q_UD, &v_ud },
		{ "flags", CF_Q_FLAGS, &v_sqe } } },
	{ "queue", CF_OP_QUEUE, CF_Q_REQ, CF_REQ_TIMEOUT, CF_REQ_LINK_TIMEOUT, &v_req, CF_Q_REQ, 6, {
		{ "time", CF_Q_SLOT, &v_time, 0, 3 },
		{ "clock", CF_Q_SLOT, &v_clock, 3, 2 },
		{ "ud", CF_Q_UD, &v_ud },
		{ "flags", CF_Q_FLAGS, &v_sqe, 0, 6 },
		{ "count", CF_Q_FLAGS, &v_count, 6, 2 },
		{ "tf", CF_Q_SLOT, &v_tflags, 5, 3 } } },
	/* lang branch: appended kinds */
	{ "queue", CF_OP_QUEUE, CF_Q_REQ, CF_REQ_POLL_UPDATE, CF_REQ_POLL_UPDATE, &v_req, CF_Q_REQ, 4, {
		{ "target", CF_Q_SLOT, &v_ud, 0, 3 },
		{ "ud", CF_Q_UD, &v_ud },
		{ "flags", CF_Q_FLAGS, &v_sqe },
		{ "pf", CF_Q_SLOT, &v_pflags, 3, 5 } } },
	{ "queue", CF_OP_QUEUE, CF_Q_REQ, CF_REQ_RECVMSG_MULTI, CF_REQ_WRITEV_DIRECT, &v_req, CF_Q_REQ, 3, {
		{ "slot", CF_Q_SLOT, &v_slot },
		{ "ud", CF_Q_UD, &v_ud },
		{ "flags", CF_Q_FLAGS, &v_sqe } } },
	{ "cancel", CF_OP_CANCEL, FREE, &v_api, CF_C_API, 5, {
		{ "flags", CF_C_FLAGS, &v_cflags },
		{ "ud", CF_C_UD, &v_ud },
		{ "slot", CF_C_SLOT, &v_slot },
		{ "op", CF_C_OPREQ, &v_req },
		{ "odd", CF_C_ODD, &v_odd } } },
	{ "complete", CF_OP_COMPLETE, FREE, &v_what, CF_D_WHAT, 2, {
		{ "slot", CF_D_SLOT, &v_slot },
		{ "len", CF_D_LEN, &v_len } } },
	{ "wait", CF_OP_WAIT, FREE, &v_how, CF_W_HOW, 1, {
		{ "n", CF_W_N, &v_n } } },
	{ "close", CF_OP_CLOSE, FREE, NULL, 0, 1, {
		{ "slot", CF_X_SLOT, &v_slot } } },
	{ "end", CF_OP_END, FREE, NULL, 0, 0, { { NULL, 0, NULL } } },
};

static const struct stmt_spec aio_stmts[] = {
	{ "io_submit", CF_OP_QUEUE, FREE, &v_aio_cmd, CF_Q_REQ, 3, {
		{ "slot", CF_Q_SLOT, &v_aslot },
		{ "ud", CF_Q_UD, &v_ud },
		{ "flags", CF_Q_FLAGS, &v_aioq } } },
	{ "io_cancel", CF_OP_CANCEL, FREE, &v_aio_target, CF_C_API, 2, {
		{ "ud", CF_C_UD, &v_ud },
		{ "flags", CF_C_FLAGS, &v_aioc } } },
	{ "complete", CF_OP_COMPLETE, FREE, &v_fwhat, CF_D_WHAT, 2, {
		{ "slot", CF_D_SLOT, &v_aslot },
		{ "len", CF_D_LEN, &v_len } } },
	{ "io_getevents", CF_OP_WAIT, FREE, &v_aio_wait, CF_W_HOW, 1, {
		{ "n", CF_W_N, &v_n } } },
	/* format 3: release race group n, as in the io_uring modes */
	{ "wait", CF_OP_WAIT, FREE, &v_aio_go, CF_W_HOW, 1, {
		{ "n", CF_W_N, &v_n } } },
	{ "io_destroy", CF_OP_CLOSE, CF_X_SLOT, CF_AIO_CLOSE_DESTROY, CF_AIO_CLOSE_DESTROY,
	  NULL, 0, 0, { { NULL, 0, NULL } } },
	{ "io_setup", CF_OP_CLOSE, CF_X_SLOT, CF_AIO_CLOSE_SETUP, CF_AIO_CLOSE_SETUP,
	  NULL, 0, 0, { { NULL, 0, NULL } } },
	{ "close", CF_OP_CLOSE, FREE, NULL, 0, 1, {
		{ "slot", CF_X_SLOT, &v_aslot } } },
	{ "end", CF_OP_END, FREE, NULL, 0, 0, { { NULL, 0, NULL } } },
};

#define PX_QUEUE_KEYS { "slot", CF_Q_SLOT, &v_aslot }, { "cb", CF_Q_UD, &v_cb }, \
	{ "notify", CF_Q_FLAGS, &v_notify }
static const struct stmt_spec posix_stmts[] = {
	{ "aio_read", CF_OP_QUEUE, CF_Q_REQ, CF_PX_READ, CF_PX_READ, NULL, 0, 3, {
		PX_QUEUE_KEYS } },
	{ "aio_write", CF_OP_QUEUE, CF_Q_REQ, CF_PX_WRITE, CF_PX_WRITE, NULL, 0, 3, {
		PX_QUEUE_KEYS } },
	{ "aio_fsync", CF_OP_QUEUE, CF_Q_REQ, CF_PX_FSYNC, CF_PX_FSYNC_BADOP, NULL, 0, 4, {
		{ "op", CF_Q_REQ, &v_fsync_op }, PX_QUEUE_KEYS } },
	{ "aio_cancel", CF_OP_CANCEL, FREE, &v_pxc, CF_C_API, 2, {
		{ "cb", CF_C_UD, &v_cb },
		{ "slot", CF_C_SLOT, &v_aslot } } },
	{ "complete", CF_OP_COMPLETE, FREE, &v_fwhat, CF_D_WHAT, 2, {
		{ "slot", CF_D_SLOT, &v_aslot },
		{ "len", CF_D_LEN, &v_len } } },
	{ "aio_error", CF_OP_WAIT, CF_W_HOW, CF_PXW_ERROR, CF_PXW_ERROR, NULL, 0, 1, {
		{ "cb", CF_W_N, &v_cb } } },
	{ "aio_return", CF_OP_WAIT, CF_W_HOW, CF_PXW_RETURN, CF_PXW_RETURN, NULL, 0, 1, {
		{ "cb", CF_W_N, &v_cb } } },
	{ "aio_suspend", CF_OP_WAIT, CF_W_HOW, CF_PXW_SUSPEND_ZERO, CF_PXW_SUSPEND_ALL, NULL, 0, 2, {
		{ "how", CF_W_HOW, &v_suspend },
		{ "cb", CF_W_N, &v_cb } } },
	/* format 3: release race group n, as in mode aio */
	{ "wait", CF_OP_WAIT, FREE, &v_px_go, CF_W_HOW, 1, {
		{ "n", CF_W_N, &v_n } } },
	{ "close", CF_OP_CLOSE, FREE, NULL, 0, 1, {
		{ "slot", CF_X_SLOT, &v_aslot } } },
	{ "end", CF_OP_END, FREE, NULL, 0, 0, { { NULL, 0, NULL } } },
};

struct stmt_table {
	const struct stmt_spec *s;
	unsigned n;
};

static struct stmt_table family_stmts(unsigned mode)
{
	switch (cf_mode_family(mode)) {
	case CF_FAMILY_AIO: return (struct stmt_table){ aio_stmts, COUNT(aio_stmts) };
	case CF_FAMILY_POSIX: return (struct stmt_table){ posix_stmts, COUNT(posix_stmts) };
	default: return (struct stmt_table){ uring_stmts, COUNT(uring_stmts) };
	}
}

/* The text format version a mode needs: io_uring programs keep version 1,
 * the AIO families need 2. */
static int text_version(unsigned mode)
{
	return cf_mode_family(mode) == CF_FAMILY_URING ? CF_FORMAT_VERSION_URING : CF_FORMAT_VERSION_AIO;
}

/* The version a program's text is printed with: its mode's, or 3 once it
 * uses actors or an op needs it (remove/update and timer kinds,
 * skip_success). */
static int program_text_version(const struct cf_program *prog)
{
	int v = text_version(prog->mode);

	if (cf_program_uses_actors(prog))
		return CF_FORMAT_VERSION;
	for (unsigned i = 0; cf_mode_family(prog->mode) == CF_FAMILY_URING && i < prog->nops; i++)
		if (cf_op_version(&prog->ops[i]) > v)
			v = cf_op_version(&prog->ops[i]);
	return v;
}

/* The bits of args[pos] that key k sets. */
static unsigned key_get(const struct key_spec *k, const uint8_t *args)
{
	unsigned width = k->width ? k->width : 8;

	return (args[k->pos] >> k->shift) & ((1u << width) - 1);
}

/* ---- values ---- */

static int value_is_valid(const struct value_spec *v, unsigned x)
{
	switch (v->kind) {
	case VAL_NAME:
		return x >= v->base && x < v->base + v->count;
	case VAL_UD:
		return x < CF_UD_POOL;
	case VAL_BITS:
		return (x >> v->count) == 0;
	case VAL_UINT:
		return x <= v->max;
	case VAL_ENTRIES:
		return x == 4 || x == 8 || x == 16 || x == 32;
	}
	return 0;
}

static void format_ud(uint64_t ud, char *buf, size_t size)
{
	if (ud == UINT64_MAX)
		snprintf(buf, size, "0x%" PRIx64, ud);
	else
		snprintf(buf, size, "%" PRIu64, ud);
}

/* Canonical spelling of a valid value. */
static void format_value(const struct value_spec *v, unsigned x, char *buf, size_t size)
{
	size_t used = 0;

	switch (v->kind) {
	case VAL_NAME:
		snprintf(buf, size, "%s", v->names[x - v->base]);
		return;
	case VAL_UD:
		format_ud(cf_ud_value(x), buf, size);
		return;
	case VAL_BITS:
		snprintf(buf, size, "0");
		for (unsigned bit = 0; bit < v->count; bit++) {
			if (!(x & (1u << bit)))
				continue;
			int n = snprintf(buf + used, size - used, "%s%s",
					 used ? "|" : "", v->names[bit]);
			if (n > 0 && (size_t)n < size - used)
				used += (size_t)n;
		}
		return;
	case VAL_UINT:
	case VAL_ENTRIES:
		snprintf(buf, size, "%u", x);
		return;
	}
}

/* ---- printer ---- */

/* Does statement st print op's arguments (its fixed range, lead and keys)? */
static int stmt_fits(const struct stmt_spec *st, const struct cf_op *op)
{
	if (st->kind != op->kind)
		return 0;
	if (st->fixed_pos != NO_FIXED &&
	    (op->a[st->fixed_pos] < st->fixed_lo || op->a[st->fixed_pos] > st->fixed_hi))
		return 0;
	if (st->lead && !value_is_valid(st->lead, op->a[st->lead_pos]))
		return 0;
	for (unsigned k = 0; k < st->nkeys; k++)
		if (!value_is_valid(st->keys[k].val, key_get(&st->keys[k], op->a)))
			return 0;
	return 1;
}

/* The statement that prints op, or NULL when no statement can. */
static const struct stmt_spec *stmt_for(unsigned mode, const struct cf_op *op)
{
	struct stmt_table t = family_stmts(mode);

	for (unsigned i = 0; i < t.n; i++)
		if (stmt_fits(&t.s[i], op))
			return &t.s[i];
	return NULL;
}

static void print_words(const struct stmt_spec *st, const uint8_t *args, FILE *out);

static int program_is_valid(const struct cf_program *prog)
{
	enum cf_family fam;

	if (prog->mode >= CF_MODE__COUNT || !value_is_valid(&v_entries, prog->entries) ||
	    prog->nops > CF_MAX_OPS || (prog->actors & ~CF_ACTORS_MASK) ||
	    (prog->actors && cf_mode_family(prog->mode) != CF_FAMILY_URING) ||
	    cf_group_conflict(prog) >= 0)
		return 0;
	fam = cf_mode_family(prog->mode);
	for (unsigned i = 0; i < prog->nops; i++) {
		const struct cf_op *op = &prog->ops[i];

		if (op->kind >= CF_OP__COUNT)
			return 0;
		if (op->kind == CF_OP_END && i + 1 != prog->nops)
			return 0; /* nothing may follow end */
		if (!stmt_for(prog->mode, op))
			return 0;
		if (fam == CF_FAMILY_URING && op->kind == CF_OP_QUEUE) {
			struct cf_op c = *op;

			cf_queue_canonicalize(&c);
			if (memcmp(c.a, op->a, sizeof(c.a)) != 0)
				return 0;
		}
		/* AIO families ignore some argument bytes: they must be 0 */
		for (int a = 0; fam != CF_FAMILY_URING && a < cf_op_nargs(op->kind); a++)
			if (op->a[a] != cf_aio_canonical_arg(fam, op->kind, (unsigned)a, op->a[a]))
				return 0;
	}
	return 1;
}

static void print_statement(const struct stmt_spec *st, const uint8_t *args, FILE *out)
{
	print_words(st, args, out);
	fputc('\n', out);
}

/* An op: its statement, then `group=G at=N` when grouped and `@aK` off a0. */
static void print_op(const struct stmt_spec *st, const struct cf_op *op, FILE *out)
{
	print_words(st, op->a, out);
	if (op->group)
		fprintf(out, " group=%u at=%u", op->group, op->at);
	if (op->actor)
		fprintf(out, " @a%u", op->actor);
	fputc('\n', out);
}

static void print_words(const struct stmt_spec *st, const uint8_t *args, FILE *out)
{
	char buf[96];

	fputs(st->keyword, out);
	if (st->lead) {
		format_value(st->lead, args[st->lead_pos], buf, sizeof(buf));
		fprintf(out, " %s", buf);
	}
	for (unsigned k = 0; k < st->nkeys; k++) {
		if (st->keys[k].quiet && key_get(&st->keys[k], args) == 0)
			continue;
		format_value(st->keys[k].val, key_get(&st->keys[k], args), buf, sizeof(buf));
		fprintf(out, " %s=%s", st->keys[k].key, buf);
	}
}

int cf_text_print(const struct cf_program *prog, FILE *out)
{
	uint8_t ring[CF_OP_ARGS] = { 0 };

	if (!program_is_valid(prog))
		return -EINVAL;
	ring[RING_MODE] = prog->mode;
	ring[RING_ENTRIES] = prog->entries;
	errno = 0;
	fprintf(out, "%s %s %d\n", MAGIC_WORD1, MAGIC_WORD2, program_text_version(prog));
	print_statement(&ring_stmt, ring, out);
	if (cf_program_uses_actors(prog))
		fprintf(out, "actors a1=%s a2=%s a3=%s%s\n",
			cf_actor_kind_name(cf_actor_kind(prog->actors, 1)),
			cf_actor_kind_name(cf_actor_kind(prog->actors, 2)),
			cf_actor_kind_name(cf_actor_kind(prog->actors, 3)),
			(prog->actors & CF_ACTORS_RING1_BY_A0) ? " ring1=a0" : "");
	for (unsigned i = 0; i < prog->nops; i++)
		print_op(stmt_for(prog->mode, &prog->ops[i]), &prog->ops[i], out);
	if (fflush(out) != 0 || ferror(out))
		return errno ? -errno : -EIO;
	return 0;
}

/* ---- lexer ---- */

struct word {
	const char *s;
	size_t len;
};

struct cursor {
	const char *p, *end;
};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Next space-separated word of the statement; 0 at its end. */
static int next_word(struct cursor *c, struct word *w)
{
	while (c->p < c->end && is_space(*c->p))
		c->p++;
	if (c->p == c->end)
		return 0;
	w->s = c->p;
	while (c->p < c->end && !is_space(*c->p))
		c->p++;
	w->len = (size_t)(c->p - w->s);
	return 1;
}

static int word_is(struct word w, const char *s)
{
	return strlen(s) == w.len && memcmp(w.s, s, w.len) == 0;
}

/* Statement part of the line starting at *p (comment cut off); moves *p to the next line. */
static struct cursor take_line(const char **p, const char *end)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	const char *line_end = nl ? nl : end;
	const char *hash = memchr(*p, '#', (size_t)(line_end - *p));
	struct cursor c = { *p, hash ? hash : line_end };

	*p = nl ? nl + 1 : end;
	return c;
}

/* 0 and *out for a decimal or 0x-hex number; -1 if not a number; -2 if above UINT64_MAX. */
static int parse_u64(struct word w, uint64_t *out)
{
	unsigned base = 10;
	size_t i = 0;
	uint64_t x = 0;

	if (w.len > 2 && w.s[0] == '0' && w.s[1] == 'x') {
		base = 16;
		i = 2;
	}
	if (i == w.len)
		return -1;
	for (; i < w.len; i++) {
		char c = w.s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -1;
		if (x > (UINT64_MAX - d) / base)
			return -2;
		x = x * base + d;
	}
	*out = x;
	return 0;
}

/* ---- parser ---- */

struct parser {
	const char *filename;
	size_t line;
	char *err;
	size_t errlen;
	unsigned version; /* from the magic line */
	size_t op_line[CF_MAX_OPS]; /* where each op was written, for group errors */
};

#define SHOW(w) (int)((w).len < SHOW_MAX ? (w).len : SHOW_MAX), (w).s

__attribute__((format(printf, 2, 3)))
static int fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!ps->err || ps->errlen == 0)
		return -1;
	n = snprintf(ps->err, ps->errlen, "%s:%zu: ", ps->filename, ps->line);
	if (n >= 0 && (size_t)n < ps->errlen) {
		va_start(ap, fmt);
		vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int parse_name(struct parser *ps, const struct value_spec *v, struct word w, uint8_t *out)
{
	for (unsigned i = 0; i < v->count; i++) {
		if (word_is(w, v->names[i])) {
			*out = (uint8_t)(v->base + i);
			return 0;
		}
	}
	return fail(ps, "unknown %s '%.*s'", v->what, SHOW(w));
}

/* A name's value without reporting: 0, or -1 when it is not one. */
static int lookup_name(const struct value_spec *v, struct word w, uint8_t *out)
{
	for (unsigned i = 0; i < v->count; i++) {
		if (word_is(w, v->names[i])) {
			*out = (uint8_t)(v->base + i);
			return 0;
		}
	}
	return -1;
}

static int parse_bits(struct parser *ps, const struct value_spec *v, struct word w, uint8_t *out)
{
	const char *p = w.s, *end = w.s + w.len;
	unsigned bits = 0;

	if (word_is(w, "0")) {
		*out = 0;
		return 0;
	}
	for (;;) {
		const char *bar = memchr(p, '|', (size_t)(end - p));
		struct word part = { p, (size_t)((bar ? bar : end) - p) };
		uint8_t bit;

		if (part.len == 0)
			return fail(ps, "empty %s in '%.*s'", v->what, SHOW(w));
		if (parse_name(ps, v, part, &bit))
			return -1;
		if (bits & (1u << bit))
			return fail(ps, "duplicate %s '%.*s'", v->what, SHOW(part));
		bits |= 1u << bit;
		if (!bar)
			break;
		p = bar + 1;
	}
	*out = (uint8_t)bits;
	return 0;
}

static int parse_ud(struct parser *ps, struct word w, uint8_t *out)
{
	char allowed[160] = "", one[24];
	uint64_t x;

	if (parse_u64(w, &x) == 0) {
		for (unsigned i = 0; i < CF_UD_POOL; i++) {
			if (cf_ud_value(i) == x) {
				*out = (uint8_t)i;
				return 0;
			}
		}
	}
	for (unsigned i = 0; i < CF_UD_POOL; i++) {
		format_ud(cf_ud_value(i), one, sizeof(one));
		if (i)
			strcat(allowed, ", ");
		strcat(allowed, one);
	}
	return fail(ps, "bad ud '%.*s' (allowed: %s)", SHOW(w), allowed);
}

static int parse_value(struct parser *ps, const struct value_spec *v, struct word w, uint8_t *out)
{
	uint64_t x = 0;
	int rc;

	switch (v->kind) {
	case VAL_NAME:
		return parse_name(ps, v, w, out);
	case VAL_BITS:
		return parse_bits(ps, v, w, out);
	case VAL_UD:
		return parse_ud(ps, w, out);
	case VAL_UINT:
		rc = parse_u64(w, &x);
		if (rc == -1)
			return fail(ps, "bad number '%.*s' for %s", SHOW(w), v->what);
		if (rc == -2 || x > v->max)
			return fail(ps, "%s %.*s out of range 0..%u", v->what, SHOW(w), v->max);
		*out = (uint8_t)x;
		return 0;
	case VAL_ENTRIES:
		if (parse_u64(w, &x) != 0 || !value_is_valid(v, x > 255 ? 0 : (unsigned)x))
			return fail(ps, "bad entries '%.*s' (allowed: 4, 8, 16, 32)", SHOW(w));
		*out = (uint8_t)x;
		return 0;
	}
	return fail(ps, "internal: unknown value kind");
}

static int find_key(const struct stmt_spec *st, struct word name)
{
	for (unsigned k = 0; k < st->nkeys; k++)
		if (word_is(name, st->keys[k].key))
			return (int)k;
	return -1;
}

static const struct value_spec v_group = { VAL_UINT, "group", NULL, 0, CF_GROUPS - 1, 0 };
static const struct value_spec v_at = { VAL_UINT, "at", NULL, 0, 255, 0 };

/* The words every op may end with (version 3): `group=G`, `at=N`, `@aK`.
 * 1 if w was one of them (op filled), 0 if not, -1 on an error. */
static int parse_actor_word(struct parser *ps, struct word w, struct cf_op *op, unsigned *seen)
{
	struct word value;
	unsigned bit;
	const struct value_spec *v;
	uint8_t *dst;

	if (w.len > 0 && w.s[0] == '@') {
		if (*seen & 4)
			return fail(ps, "duplicate actor '%.*s'", SHOW(w));
		if (w.len != 3 || w.s[1] != 'a' || w.s[2] < '1' || w.s[2] > '3')
			return fail(ps, "unknown actor '%.*s' (a1, a2 or a3; no suffix is a0)", SHOW(w));
		op->actor = (uint8_t)(w.s[2] - '0');
		*seen |= 4;
	} else if (w.len > 6 && memcmp(w.s, "group=", 6) == 0) {
		bit = 1, v = &v_group, dst = &op->group, value = (struct word){ w.s + 6, w.len - 6 };
		goto key;
	} else if (w.len > 3 && memcmp(w.s, "at=", 3) == 0) {
		bit = 2, v = &v_at, dst = &op->at, value = (struct word){ w.s + 3, w.len - 3 };
		goto key;
	} else {
		return 0;
	}
	goto check;
key:
	if (*seen & bit)
		return fail(ps, "duplicate key '%s'", v->what);
	*seen |= bit;
	if (parse_value(ps, v, value, dst))
		return -1;
	if (dst == &op->group && op->group == 0)
		return fail(ps, "group 0 is no group (1..%d)", CF_GROUPS - 1);
check:
	if (ps->version < CF_FORMAT_VERSION)
		return fail(ps, "actors and race groups need '%s %s %d'", MAGIC_WORD1, MAGIC_WORD2,
			    CF_FORMAT_VERSION);
	return 1;
}

/* Leading name and key=value words of a statement into args[]; op, when
 * not NULL, also takes the actor words. */
static int parse_args_op(struct parser *ps, const struct stmt_spec *st, struct cursor *c,
			 uint8_t *args, struct cf_op *op)
{
	unsigned seen = 0, op_seen = 0;
	struct word w;

	if (st->lead) {
		if (!next_word(c, &w) || memchr(w.s, '=', w.len))
			return fail(ps, "missing %s name", st->lead->what);
		if (parse_value(ps, st->lead, w, &args[st->lead_pos]))
			return -1;
	}
	while (next_word(c, &w)) {
		const char *eq = memchr(w.s, '=', w.len);

		if (op) {
			int r = parse_actor_word(ps, w, op, &op_seen);

			if (r < 0)
				return -1;
			if (r > 0)
				continue;
		}
		if (st->nkeys == 0)
			return fail(ps, "unexpected '%.*s' after %s", SHOW(w), st->keyword);
		if (!eq || eq == w.s)
			return fail(ps, "expected key=value, got '%.*s'", SHOW(w));
		struct word name = { w.s, (size_t)(eq - w.s) };
		struct word value = { eq + 1, (size_t)(w.s + w.len - eq - 1) };
		int k = find_key(st, name);

		if (k < 0)
			return fail(ps, "unknown key '%.*s' for %s", SHOW(name), st->keyword);
		const struct key_spec *key = &st->keys[k];
		if (seen & (1u << k))
			return fail(ps, "duplicate key '%s'", key->key);
		seen |= 1u << k;
		if (value.len == 0)
			return fail(ps, "missing value for '%s'", key->key);
		if (key->width == 0) {
			if (parse_value(ps, key->val, value, &args[key->pos]))
				return -1;
		} else {
			uint8_t x;
			unsigned mask = ((1u << key->width) - 1) << key->shift;

			if (parse_value(ps, key->val, value, &x))
				return -1;
			args[key->pos] = (uint8_t)((args[key->pos] & ~mask) | ((unsigned)x << key->shift));
		}
	}
	if (op && op->at && !op->group)
		return fail(ps, "at= needs group=");
	return 0;
}

static int parse_args(struct parser *ps, const struct stmt_spec *st, struct cursor *c,
		      uint8_t *args)
{
	return parse_args_op(ps, st, c, args, NULL);
}

static int parse_magic(struct parser *ps, struct cursor *c, struct word first)
{
	struct word w;
	uint64_t version;

	if (!word_is(first, MAGIC_WORD1) || !next_word(c, &w) || !word_is(w, MAGIC_WORD2))
		return fail(ps, "missing magic line '%s %s %d'", MAGIC_WORD1, MAGIC_WORD2,
			    CF_FORMAT_VERSION_URING);
	if (!next_word(c, &w))
		return fail(ps, "missing program format version");
	if (parse_u64(w, &version) == -1)
		return fail(ps, "bad program format version '%.*s'", SHOW(w));
	if (version != CF_FORMAT_VERSION && version != CF_FORMAT_VERSION_AIO &&
	    version != CF_FORMAT_VERSION_URING)
		return fail(ps, "unsupported program format version %.*s", SHOW(w));
	ps->version = (unsigned)version;
	if (next_word(c, &w))
		return fail(ps, "unexpected '%.*s' after magic line", SHOW(w));
	return 0;
}

/* Reject control characters other than tab and CR in a statement. */
static int check_chars(struct parser *ps, struct cursor c)
{
	for (const char *p = c.p; p < c.end; p++) {
		unsigned char ch = (unsigned char)*p;

		if ((ch < 0x20 && ch != '\t' && ch != '\r') || ch == 0x7f)
			return fail(ps, "invalid character 0x%02x", ch);
	}
	return 0;
}

enum parse_state { WANT_MAGIC, AFTER_MAGIC, AFTER_RING, IN_OPS, AFTER_END };

static const struct value_spec v_actor_kind = { VAL_NAME, "actor kind", cf_actor_kind_names, CF_ACTOR__COUNT, 0, 0 };
static const char *const ring1_by_names[] = { "thread", "a0" };
static const struct value_spec v_ring1_by = { VAL_NAME, "ring1 caller", ring1_by_names, 2, 0, 0 };
static const struct stmt_spec actors_stmt = { "actors", STMT_RING, FREE, NULL, 0, 4, {
	{ "a1", 0, &v_actor_kind },
	{ "a2", 1, &v_actor_kind },
	{ "a3", 2, &v_actor_kind },
	{ "ring1", 3, &v_ring1_by, 0, 0, 1 } } };

/* For "unknown statement": the AIO families have their own keywords. */
static const char *family_hint(unsigned mode)
{
	switch (cf_mode_family(mode)) {
	case CF_FAMILY_AIO:
		return " (mode aio has io_submit, io_cancel, complete, io_getevents, wait go, close, io_destroy, io_setup, end)";
	case CF_FAMILY_POSIX:
		return " (mode posix has aio_read, aio_write, aio_fsync, aio_cancel, complete, aio_error, aio_return, aio_suspend, wait go, close, end)";
	default:
		return "";
	}
}

static int parse_statement(struct parser *ps, enum parse_state *state, struct cursor *c,
			   struct word first, struct cf_program *prog)
{
	if (*state == WANT_MAGIC) {
		if (parse_magic(ps, c, first))
			return -1;
		*state = AFTER_MAGIC;
		return 0;
	}
	if (*state == AFTER_END)
		return fail(ps, "statement after end");
	if (word_is(first, MAGIC_WORD1))
		return fail(ps, "magic line repeated");
	if (word_is(first, ring_stmt.keyword)) {
		uint8_t ring[CF_OP_ARGS] = { 0 };

		if (*state != AFTER_MAGIC)
			return fail(ps, "ring must directly follow the magic line");
		ring[RING_MODE] = CF_MODE_DEFAULT;
		ring[RING_ENTRIES] = DEFAULT_ENTRIES;
		if (parse_args(ps, &ring_stmt, c, ring))
			return -1;
		if ((unsigned)text_version(ring[RING_MODE]) > ps->version)
			return fail(ps, "mode %s needs '%s %s %d'", cf_mode_name(ring[RING_MODE]),
				    MAGIC_WORD1, MAGIC_WORD2, text_version(ring[RING_MODE]));
		prog->mode = ring[RING_MODE];
		prog->entries = ring[RING_ENTRIES];
		*state = AFTER_RING;
		return 0;
	}
	if (word_is(first, actors_stmt.keyword)) {
		uint8_t kinds[CF_OP_ARGS] = { 0 };

		if (*state != AFTER_MAGIC && *state != AFTER_RING)
			return fail(ps, "actors must follow the ring line (or the magic line)");
		if (ps->version < CF_FORMAT_VERSION)
			return fail(ps, "actors and race groups need '%s %s %d'", MAGIC_WORD1,
				    MAGIC_WORD2, CF_FORMAT_VERSION);
		if (!cf_mode_has_actors(prog->mode))
			return fail(ps, "mode %s has no actors", cf_mode_name(prog->mode));
		if (parse_args(ps, &actors_stmt, c, kinds))
			return -1;
		if (cf_mode_family(prog->mode) != CF_FAMILY_URING && (kinds[0] | kinds[1] | kinds[2] | kinds[3]))
			return fail(ps, "mode %s has thread actors only", cf_mode_name(prog->mode));
		prog->actors = (uint8_t)(kinds[0] | kinds[1] << 2 | kinds[2] << 4 |
					 (kinds[3] ? CF_ACTORS_RING1_BY_A0 : 0));
		*state = IN_OPS;
		return 0;
	}
	struct stmt_table t = family_stmts(prog->mode);

	for (unsigned i = 0; i < t.n; i++) {
		const struct stmt_spec *st = &t.s[i];

		if (!word_is(first, st->keyword))
			continue;
		if (prog->nops == CF_MAX_OPS)
			return fail(ps, "too many ops (limit %d)", CF_MAX_OPS);
		/* several specs share a keyword: the lead name picks one */
		if (st->lead && st->fixed_pos == st->lead_pos) {
			struct cursor peek = *c;
			struct word w;
			uint8_t lead = 0;

			if (next_word(&peek, &w) && !memchr(w.s, '=', w.len) &&
			    lookup_name(st->lead, w, &lead) == 0 &&
			    (lead < st->fixed_lo || lead > st->fixed_hi))
				continue;
		}
		struct cf_op *op = &prog->ops[prog->nops];

		memset(op, 0, sizeof(*op));
		op->kind = (uint8_t)st->kind;
		if (st->fixed_pos != NO_FIXED)
			op->a[st->fixed_pos] = st->fixed_lo;
		if (parse_args_op(ps, st, c, op->a, cf_mode_has_actors(prog->mode) ? op : NULL))
			return -1;
		if ((cf_op_is_go(prog->mode, op) || cf_op_is_exit(prog->mode, op)) &&
		    ps->version < CF_FORMAT_VERSION)
			return fail(ps, "wait %s needs '%s %s %d'", cf_op_is_go(prog->mode, op) ? "go" : "exit",
				    MAGIC_WORD1, MAGIC_WORD2, CF_FORMAT_VERSION);
		ps->op_line[prog->nops] = ps->line;
		if (cf_mode_family(prog->mode) == CF_FAMILY_URING && op->kind == CF_OP_QUEUE &&
		    op->a[CF_Q_REQ] == CF_REQ_TIMEOUT_MULTI && (op->a[CF_Q_FLAGS] >> CF_SQE_COUNT_SHIFT) == 0 &&
		    (op->a[CF_Q_SLOT] & CF_T_TIME_MASK) < 2)
			return fail(ps, "timeout_multi without a count needs time=100us or longer");
		if (cf_mode_family(prog->mode) == CF_FAMILY_URING && (unsigned)cf_op_version(op) > ps->version) {
			char what[32];

			if (cf_slot_is_ring(cf_op_slot(op)))
				snprintf(what, sizeof(what), "slot=%s", cf_slot_name(cf_op_slot(op)));
			else
				snprintf(what, sizeof(what), "%s", op->kind == CF_OP_CANCEL ? "odd=skip_success"
							   : op->a[CF_Q_REQ] >= CF_REQ_POLL_REMOVE ? cf_req_name(op->a[CF_Q_REQ])
												   : "flags=skip_success");
			return fail(ps, "%s %s needs '%s %s %d'", st->keyword, what, MAGIC_WORD1, MAGIC_WORD2,
				    cf_op_version(op));
		}
		prog->nops++;
		*state = st->kind == CF_OP_END ? AFTER_END : IN_OPS;
		return 0;
	}
	return fail(ps, "unknown statement '%.*s'%s", SHOW(first), family_hint(prog->mode));
}

int cf_text_parse(const char *text, size_t len, const char *filename,
		  struct cf_program *prog, char *err, size_t errlen)
{
	struct parser ps = { filename ? filename : "<input>", 0, err, errlen };
	enum parse_state state = WANT_MAGIC;
	const char *p = text, *end = text ? text + len : text;
	struct cf_program parsed;

	memset(&parsed, 0, sizeof(parsed));
	parsed.mode = CF_MODE_DEFAULT;
	parsed.entries = DEFAULT_ENTRIES;
	if (err && errlen)
		err[0] = '\0';
	while (p < end) {
		struct cursor c = take_line(&p, end);
		struct word first;

		ps.line++;
		if (check_chars(&ps, c))
			return -1;
		if (!next_word(&c, &first))
			continue;
		if (parse_statement(&ps, &state, &c, first, &parsed))
			return -1;
	}
	if (state == WANT_MAGIC) {
		ps.line = 1;
		return fail(&ps, "empty input, expected '%s %s %d'", MAGIC_WORD1, MAGIC_WORD2,
			    CF_FORMAT_VERSION_URING);
	}
	int bad = cf_group_conflict(&parsed);

	if (bad >= 0) {
		const struct cf_op *op = &parsed.ops[bad];

		ps.line = ps.op_line[bad];
		if (op->kind == CF_OP_END || cf_op_is_go(parsed.mode, op))
			return fail(&ps, "%s cannot join a race group or run on another actor",
				    op->kind == CF_OP_END ? "end" : "wait go");
		if (cf_op_is_exit(parsed.mode, op))
			return fail(&ps, "wait exit cannot join a race group");
		return fail(&ps, "a%u already has an op in group %u before its 'wait go n=%u'",
			    op->actor, op->group, op->group);
	}
	parsed.truncated = 0;
	*prog = parsed;
	return 0;
}

int cf_text_is_program(const char *text, size_t len)
{
	const char *p = text, *end = text ? text + len : text;

	while (p < end) {
		struct cursor c = take_line(&p, end);
		struct word w;

		if (!next_word(&c, &w))
			continue;
		if (!word_is(w, MAGIC_WORD1))
			return 0;
		return next_word(&c, &w) && word_is(w, MAGIC_WORD2);
	}
	return 0;
}
