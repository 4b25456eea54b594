/* The program model of the two AIO families: what each op's argument bytes
 * mean in mode "aio" (Linux native AIO, raw syscalls) and mode "posix"
 * (POSIX AIO of the C library). Ops keep their kinds and byte counts; only
 * the reading of the bytes differs (docs/program-format.md, "AIO families"). */
#ifndef CF_AIO_MODEL_H
#define CF_AIO_MODEL_H

#include <stdint.h>

#include "program.h"

/* ---- mode aio: queue = io_submit of one iocb ---- */
enum cf_aio_cmd {
#define AIO(id, name, code) id,
#include "requests.def"
#undef AIO
	CF_AIO_CMD__COUNT
};

/* io_submit flags (queue byte 3). */
#define CF_AIOQ_RESFD    0x01 /* IOCB_FLAG_RESFD: also signal the eventfd slot */
#define CF_AIOQ_RESERVED 0x02 /* aio_reserved2 = 1, which the kernel must refuse */
#define CF_AIOQ_BADRW    0x04 /* an unknown RWF_* bit in aio_rw_flags */
#define CF_AIOQ__MASK    0x07

/* Which iocb pointer an io_cancel passes (cancel byte 0). */
enum cf_aio_target {
	CF_AIOT_IOCB,        /* the iocb of the latest submitted request with this ud */
	CF_AIOT_UNSUBMITTED, /* a valid iocb that was never submitted */
	CF_AIOT_BADPTR,      /* an address that is not mapped */
	CF_AIOT_COPY,        /* a copy of the latest request's iocb, at another address */
	CF_AIOT__COUNT
};

/* io_cancel flags (cancel byte 1). */
#define CF_AIOC_NULLRESULT 0x01 /* result = NULL */
#define CF_AIOC_BADRESULT  0x02 /* result points at unmapped memory */
#define CF_AIOC_BADCTX     0x04 /* ctx_id = 1, never a context */
#define CF_AIOC__MASK      0x07

/* io_getevents variants (wait byte 0); n is wait byte 1. */
enum cf_aio_wait {
	CF_AIOW_ZERO,  /* min_nr n, nr 8, timeout 0 */
	CF_AIOW_SHORT, /* min_nr n, nr 8, timeout 1 ms */
	CF_AIOW_NULL,  /* min_nr n, nr 8, no timeout (refused if it could block forever) */
	CF_AIOW_SMALL, /* min_nr 0, nr n, timeout 0: drain a small number */
	CF_AIOW_INVAL, /* min_nr n + 1 > nr n: the kernel must refuse */
	CF_AIOW__COUNT
};
/* wait byte 0 in mode aio also names `wait go n=G` (format 3): release race
 * group G, as in the io_uring modes. Not an io_getevents kind. */
#define CF_AIOW_GO CF_AIOW__COUNT

/* close byte 0 in mode aio: a slot, or the context itself. */
/* The slots the AIO families name: pipe0.r .. badfd. The lang branch's
 * signalfd and timerfd are io_uring's only, so these bytes keep their
 * meaning (a close target of 14 is io_destroy, as before). */
#define CF_AIO_SLOTS CF_SLOT_AIO_COUNT
#define CF_AIO_CLOSE_DESTROY CF_AIO_SLOTS       /* io_destroy */
#define CF_AIO_CLOSE_SETUP   (CF_AIO_SLOTS + 1) /* io_setup again */
#define CF_AIO_CLOSE__COUNT  (CF_AIO_SLOTS + 2)

#define CF_AIO_GETEVENTS_NR 8   /* nr of io_getevents, and its event buffer */
#define CF_AIO_SHORT_NS 1000000 /* "short" timeout: 1 ms */

/* ---- mode posix: queue = aio_read/aio_write/aio_fsync on an aiocb ---- */
enum cf_px_req {
#define POSIX(id, name) id,
#include "requests.def"
#undef POSIX
	CF_PX_REQ__COUNT
};

enum cf_px_notify {
	CF_PXN_NONE,   /* SIGEV_NONE */
	CF_PXN_SIGNAL, /* SIGEV_SIGNAL, CF_PX_SIGNO */
	CF_PXN_THREAD, /* SIGEV_THREAD */
	CF_PXN__COUNT
};

/* How aio_cancel is called (cancel byte 0); cb is byte 2, slot byte 3. */
enum cf_px_cancel {
	CF_PXC_CB,    /* aio_cancel(the aiocb's own fd, aiocb) */
	CF_PXC_NULL,  /* aio_cancel(slot's fd, NULL) */
	CF_PXC_FD,    /* aio_cancel(slot's fd, aiocb): mismatched unless the same fd */
	CF_PXC_BADFD, /* aio_cancel(-1, aiocb) */
	CF_PXC__COUNT
};

/* Status calls (wait byte 0); the aiocb is wait byte 1. */
enum cf_px_wait {
	CF_PXW_ERROR,         /* aio_error */
	CF_PXW_RETURN,        /* aio_return */
	CF_PXW_SUSPEND_ZERO,  /* aio_suspend on this aiocb, timeout 0 */
	CF_PXW_SUSPEND_SHORT, /* aio_suspend on this aiocb, timeout 1 ms */
	CF_PXW_SUSPEND_ALL,   /* aio_suspend on every submitted aiocb, timeout 0 */
	CF_PXW__COUNT
};
/* wait byte 0 in mode posix also names `wait go n=G` (format 3): release
 * race group G, as in mode aio. Not a status call. */
#define CF_PXW_GO CF_PXW__COUNT

#define CF_PX_CBS CF_UD_POOL /* aiocbs a program names (cb=0..7) */

/* ---- both AIO families: things done from outside ---- */
enum cf_fcomplete {
	CF_FDO_WRITE,    /* write len+1 bytes into a pipe or socket end */
	CF_FDO_CONNECT,  /* connect a client slot to the listener */
	CF_FDO_EVENTFD,  /* eventfd_write(1) */
	CF_FDO_SHUTDOWN, /* shutdown(SHUT_WR) a socket end */
	CF_FDO__COUNT
};

extern const char *const cf_aio_cmd_names[CF_AIO_CMD__COUNT];
extern const char *const cf_aio_target_names[CF_AIOT__COUNT];
extern const char *const cf_aio_wait_names[CF_AIOW__COUNT];
extern const char *const cf_aio_close_names[CF_AIO_CLOSE__COUNT];
extern const char *const cf_px_req_names[CF_PX_REQ__COUNT];
extern const char *const cf_px_notify_names[CF_PXN__COUNT];
extern const char *const cf_px_cancel_names[CF_PXC__COUNT];
extern const char *const cf_px_wait_names[CF_PXW__COUNT];
extern const char *const cf_fcomplete_names[CF_FDO__COUNT];

/* The canonical value of argument byte b at position pos of an op of this
 * kind, in an AIO family. Unused positions read as 0. */
uint8_t cf_aio_canonical_arg(enum cf_family fam, unsigned kind, unsigned pos, uint8_t b);

/* The uapi IOCB_CMD_* number a command is submitted as. */
unsigned cf_aio_cmd_code(unsigned cmd);
/* The request-kind name a history uses for a family's request. */
const char *cf_family_req_name(enum cf_family fam, unsigned req);

#endif
