/* Reading inputs and writing outputs for the CLI: size limits, text or binary,
 * and writes that never leave a half-written file. */
#ifndef CF_INPUT_H
#define CF_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "program.h"

#define CF_MAX_TEXT_FILE (1u << 20) /* hand-written program text */

/* Text programs are files ending in this; anything else is binary. */
#define CF_TEXT_SUFFIX ".cfp"

int cf_is_text_path(const char *path);
/* Whole file into a malloc'd buffer, at most `limit` bytes. On error returns
 * -1 with err = "PATH: problem". */
int cf_read_file(const char *path, size_t limit, uint8_t **data, size_t *len,
		 char *err, size_t errlen);
/* A program from a file, text or binary by name. */
int cf_load_program(const char *path, struct cf_program *prog, char *err, size_t errlen);
/* Write to PATH.tmp, fsync, rename over PATH. -1 with err on failure. */
int cf_write_file_atomic(const char *path, const void *data, size_t len,
			 char *err, size_t errlen);

#endif
