/* The fixed texts every reproducer is made of, embedded at build time by
 * embed.cmake (NUL-terminated): the checks (repro_check.h), the resources
 * (repro_slots.c.in), the io_uring or the native AIO machinery
 * (repro_runtime.c.in, repro_aio.c.in), the actors and race groups of an
 * io_uring program that has them (repro_actors.c.in) and main
 * (repro_main.c.in). */
#ifndef CF_REPRO_TEXT_H
#define CF_REPRO_TEXT_H

extern const char cf_repro_check_text[];
extern const char cf_repro_slots_text[];
extern const char cf_repro_runtime_text[];
extern const char cf_repro_aio_text[];
extern const char cf_repro_posix_text[];
extern const char cf_repro_actors_text[];
extern const char cf_repro_main_text[];

#endif
