/* The fixed texts every reproducer is made of, embedded at build time by
 * embed.cmake (NUL-terminated): the checks (repro_check.h), the resources
 * (repro_slots.c.in), the io_uring or the native AIO machinery
 * (repro_runtime.c.in, repro_aio.c.in, repro_posix.c.in), the actor
 * threads of a program that has actors or race groups (repro_pool.c.in),
 * io_uring's actors and race groups (repro_actors.c.in) or the AIO
 * families' (repro_aio_actors.c.in, over the calls their machinery
 * prepares) and main (repro_main.c.in). */
#ifndef CF_REPRO_TEXT_H
#define CF_REPRO_TEXT_H

extern const char cf_repro_check_text[];
extern const char cf_repro_slots_text[];
extern const char cf_repro_runtime_text[];
extern const char cf_repro_aio_text[];
extern const char cf_repro_posix_text[];
extern const char cf_repro_pool_text[];
extern const char cf_repro_actors_text[];
extern const char cf_repro_aio_actors_text[];
extern const char cf_repro_main_text[];

#endif
