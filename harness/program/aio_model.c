/* The program model of the AIO families: names, argument reduction and
 * request names per family. */
#include "aio_model.h"

const char *const cf_aio_cmd_names[CF_AIO_CMD__COUNT] = {
#define AIO(id, name, code) [id] = name,
#include "requests.def"
#undef AIO
};
const char *const cf_aio_target_names[CF_AIOT__COUNT] = {
	"iocb", "unsubmitted", "badptr", "copy",
};
const char *const cf_aio_wait_names[CF_AIOW__COUNT] = {
	"zero", "short", "null", "small", "inval",
};
const char *const cf_aio_close_names[CF_AIO_CLOSE__COUNT] = {
	"pipe0.r", "pipe0.w", "pipe1.r", "pipe1.w",
	"sock0.a", "sock0.b", "sock1.a", "sock1.b",
	"listener", "client0", "client1",
	"eventfd", "file", "badfd", "ctx", "setup",
};
const char *const cf_px_req_names[CF_PX_REQ__COUNT] = {
#define POSIX(id, name) [id] = name,
#include "requests.def"
#undef POSIX
};
const char *const cf_px_notify_names[CF_PXN__COUNT] = {
	"none", "signal", "thread",
};
const char *const cf_px_cancel_names[CF_PXC__COUNT] = {
	"cb", "null", "fd", "badfd",
};
const char *const cf_px_wait_names[CF_PXW__COUNT] = {
	"error", "return", "suspend_zero", "suspend_short", "suspend_all",
};
const char *const cf_fcomplete_names[CF_FDO__COUNT] = {
	"write", "connect", "eventfd", "shutdown",
};

_Static_assert(CF_AIO_CLOSE__COUNT == CF_AIO_SLOTS + 2, "close names: slots, ctx, setup");

/* Modulus per argument byte; 0 keeps the byte (masks below), 1 makes it 0. */
static const uint8_t aio_mod[CF_OP__COUNT][CF_OP_ARGS] = {
	[CF_OP_QUEUE] = { CF_AIO_CMD__COUNT, CF_AIO_SLOTS, CF_UD_POOL, 0, 1, 1 },
	[CF_OP_CANCEL] = { CF_AIOT__COUNT, 0, CF_UD_POOL, 1, 1, 1 },
	[CF_OP_COMPLETE] = { CF_FDO__COUNT, CF_AIO_SLOTS, 0, 1, 1, 1 },
	[CF_OP_WAIT] = { CF_AIOW__COUNT + 1 /* go */, 8, 1, 1, 1, 1 },
	[CF_OP_CLOSE] = { CF_AIO_CLOSE__COUNT, 1, 1, 1, 1, 1 },
};
static const uint8_t px_mod[CF_OP__COUNT][CF_OP_ARGS] = {
	[CF_OP_QUEUE] = { CF_PX_REQ__COUNT, CF_AIO_SLOTS, CF_PX_CBS, CF_PXN__COUNT, 1, 1 },
	[CF_OP_CANCEL] = { CF_PXC__COUNT, 1, CF_PX_CBS, CF_AIO_SLOTS, 1, 1 },
	[CF_OP_COMPLETE] = { CF_FDO__COUNT, CF_AIO_SLOTS, 0, 1, 1, 1 },
	[CF_OP_WAIT] = { CF_PXW__COUNT + 1 /* go */, CF_PX_CBS, 1, 1, 1, 1 },
	[CF_OP_CLOSE] = { CF_AIO_SLOTS, 1, 1, 1, 1, 1 },
};

uint8_t cf_aio_canonical_arg(enum cf_family fam, unsigned kind, unsigned pos, uint8_t b)
{
	const uint8_t (*mod)[CF_OP_ARGS] = fam == CF_FAMILY_POSIX ? px_mod : aio_mod;

	if (kind >= CF_OP_END || pos >= CF_OP_ARGS)
		return 0;
	if (fam == CF_FAMILY_AIO && kind == CF_OP_QUEUE && pos == CF_Q_FLAGS)
		return b & CF_AIOQ__MASK;
	if (fam == CF_FAMILY_AIO && kind == CF_OP_CANCEL && pos == CF_C_FLAGS)
		return b & CF_AIOC__MASK;
	return mod[kind][pos] ? (uint8_t)(b % mod[kind][pos]) : b;
}

unsigned cf_aio_cmd_code(unsigned cmd)
{
	static const uint8_t code[CF_AIO_CMD__COUNT] = {
#define AIO(id, name, cmd) [id] = cmd,
#include "requests.def"
#undef AIO
	};
	return cmd < CF_AIO_CMD__COUNT ? code[cmd] : 4;
}

const char *cf_family_req_name(enum cf_family fam, unsigned req)
{
	if (fam == CF_FAMILY_AIO)
		return req < CF_AIO_CMD__COUNT ? cf_aio_cmd_names[req] : "?";
	if (fam == CF_FAMILY_POSIX)
		return req < CF_PX_REQ__COUNT ? cf_px_req_names[req] : "?";
	return cf_req_name(req);
}
