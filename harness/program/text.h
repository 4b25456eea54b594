/* Readable text form of a program, round-trippable with the binary form.
 * Syntax: docs/program-format.md. */
#ifndef CF_TEXT_H
#define CF_TEXT_H

#include <stddef.h>
#include <stdio.h>

#include "program.h"

/* Canonical text: magic line, ring line, one line per op.
 * Returns 0, -EINVAL if prog holds out-of-range values, or -errno on a write error. */
int cf_text_print(const struct cf_program *prog, FILE *out);

/* Strict parser. Returns 0 and fills *prog, or -1 with err set to
 * "FILENAME:LINE: what is wrong" (one line, no newline); *prog is untouched then. */
int cf_text_parse(const char *text, size_t len, const char *filename,
		  struct cf_program *prog, char *err, size_t errlen);

/* 1 if the first non-blank, non-comment line starts with "cancelfuzz program"
 * (the version is checked by cf_text_parse), else 0. */
int cf_text_is_program(const char *text, size_t len);

#endif
