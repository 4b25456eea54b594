/* Reading program files (the CLI's and the engines') and writing outputs:
 * size limits, text or binary, writes that never leave a half-written file. */
#ifndef CF_INPUT_H
#define CF_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "program.h"

#define CF_MAX_TEXT_FILE (1u << 20) /* hand-written program text */

/* Text programs are files ending in this; anything else is binary. */
#define CF_TEXT_SUFFIX ".cfp"

int cf_is_text_path(const char *path);
/* Errors: -1 with err = "PATH: problem". */
/* A program from a file, text or binary by name; a binary file over
 * CF_MAX_INPUT bytes is rejected. */
int cf_load_program(const char *path, struct cf_program *prog, char *err, size_t errlen);
/* An engine's input: the bytes the fuzz target would get, in buf (cap >=
 * CF_MAX_INPUT). Binary files as they are, rejected over CF_MAX_INPUT bytes
 * (as cf_load_program does); program text parsed and encoded canonically. */
int cf_load_engine_input(const char *path, uint8_t *buf, size_t cap, size_t *len,
			 char *err, size_t errlen);
/* Files in a corpus directory that are not inputs: sidecars and dot files. */
int cf_is_sidecar_name(const char *name);
/* Write to PATH.tmp, fsync, rename over PATH. -1 with err on failure. */
int cf_write_file_atomic(const char *path, const void *data, size_t len,
			 char *err, size_t errlen);

#endif
