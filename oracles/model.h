/* What an io_uring request recorded in a history is, by the kernel's rules:
 * the predicates the oracle judges by and fault injection edits by. */
#ifndef CF_MODEL_H
#define CF_MODEL_H

#include "history.h"

/* Cancel flag bits as recorded (the uapi IORING_ASYNC_CANCEL_* values). */
#define CF_CANCEL_F_ALL      (1u << 0)
#define CF_CANCEL_F_FD       (1u << 1)
#define CF_CANCEL_F_ANY      (1u << 2)
#define CF_CANCEL_F_FD_FIXED (1u << 3)
#define CF_CANCEL_F_USERDATA (1u << 4)
#define CF_CANCEL_F_OP       (1u << 5)

/* Submitted as an SQE (every request but a sync cancel). */
int cf_has_sqe(const struct cf_req_rec *r);
/* Its SQE links the next one (IOSQE_IO_LINK or IO_HARDLINK). */
int cf_links_next(const struct cf_req_rec *r);
int cf_is_link_timeout(unsigned req);
/* Works on the slot's file, so CANCEL_FD can match it. */
int cf_uses_file(unsigned req);
/* A result that says "canceled": -ECANCELED, or -EINTR for the waits that
 * the kernel ends that way. */
int cf_canceled_res(int res);
/* Does cancel c match request t? io_cancel_req_match() for every list,
 * futex and waitid included. */
int cf_cancel_matches(const struct cf_req_rec *c, const struct cf_req_rec *t);

#endif
