/* An engine's input as a file: the bytes the target would get. Binary files
 * are read as they are (only the first CF_MAX_INPUT bytes matter to the
 * decoder, so only those are read; empty is fine); program text (.cfp) is
 * parsed and encoded canonically. */
#ifndef CF_ENGINE_INPUT_H
#define CF_ENGINE_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "program.h"

/* 0 and bytes in buf (cap >= CF_MAX_INPUT), or -1 with err = "PATH: problem". */
int cf_load_engine_input(const char *path, uint8_t *buf, size_t cap, size_t *len,
			 char *err, size_t errlen);
/* Files in a corpus directory that are not inputs: sidecars and dot files. */
int cf_is_sidecar_name(const char *name);

#endif
