/* The two texts every reproducer is made of, embedded at build time by
 * embed.cmake from repro_check.h and repro_runtime.c.in (NUL-terminated). */
#ifndef CF_REPRO_TEXT_H
#define CF_REPRO_TEXT_H

extern const char cf_repro_check_text[];
extern const char cf_repro_runtime_text[];

#endif
