/* The complete op of every family: what a program does from outside the
 * kernel interface under test to make a request finish (write into a pipe
 * or socket, connect a client, bump the eventfd, shut a socket down; for
 * io_uring also wake the futex and let the child exit). */
#ifndef CF_COMPLETE_H
#define CF_COMPLETE_H

#include "program.h"
#include "resources.h"

/* Run one complete op of a program of this family (its CF_D_WHAT is a
 * CF_DO_* code for io_uring, a CF_FDO_* one for the AIO families). The
 * result or -errno. Never blocks: the fds are blocking (resources.c), so a
 * write that would fill a pipe is refused with -EAGAIN. */
int cf_complete(struct cf_resources *rs, enum cf_family family, const struct cf_op *op);

#endif
