/* cancelfuzz export-c: one program, turned into a self-contained C
 * reproducer (liburing, raw syscalls and libc; nothing of cancelfuzz) that
 * performs the same syscalls and checks the promise the finding broke.
 * What the output looks like and how it decides: docs/cli.md, export-c. */
#ifndef CF_EXPORT_C_H
#define CF_EXPORT_C_H

#include "oracle.h"

/* Runs the program in `path` (text or binary), judges it at spec and writes
 * the reproducer to `out` (atomically), or to stdout when out is NULL.
 * Returns the exit code: 0 written (every finding has an automatic check, or
 * there was none), 3 written but a finding's check is by hand (or the harness
 * failed: nothing written), 2 bad input or a family it cannot export, 77
 * io_uring unusable here. Messages go to stderr, one line, naming the file. */
int cf_export_c(const char *path, enum cf_spec spec, const char *out);

#endif
