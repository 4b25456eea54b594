/* An O_DIRECT file on a block device (cov3 branch, issue 15 item 6 / the
 * O_DIRECT rows of io-cancel.c): the readv_direct and writev_direct kinds
 * transfer CF_DIRECT_CHUNK bytes of it, which the block layer completes on
 * the device's time - neither poll-armed nor in io-wq, so no cancel list
 * holds them. tmpfs and memfds take O_DIRECT (since 6.6) but serve it from
 * the page cache, inline or in io-wq, so the file must be on a file system
 * with a block device under it. */
#ifndef CF_DIRECT_H
#define CF_DIRECT_H

#include <stddef.h>

#include "program.h"

#define CF_DIRECT_CHUNK CF_DIRECT_BYTES /* bytes per request: one iovec */
#define CF_DIRECT_CHUNKS 64         /* the file: request i uses chunk i % 64 */

/* The process's O_DIRECT file (made at first use: O_TMPFILE in
 * $CF_DIRECT_DIR, else /var/tmp, filled and synced), or -errno with why
 * filled: no directory on a block device, or O_DIRECT refused there. */
int cf_direct_fd(char *why, size_t whylen);
/* An aligned buffer of CF_DIRECT_CHUNK bytes for request id (one shared by
 * all: the data is never looked at). */
void *cf_direct_buf(unsigned id);

#endif
