/* Things the AIO families' programs do from outside: write into a pipe or
 * socket, connect a client, bump the eventfd, shut a socket down. */
#ifndef CF_COMPLETE_H
#define CF_COMPLETE_H

#include "resources.h"

/* One complete op (enum cf_fcomplete); the result or -errno. Never blocks:
 * a write that would fill a pipe is refused with -EAGAIN. */
int cf_family_complete(struct cf_resources *rs, unsigned what, unsigned slot, unsigned len);

#endif
