/* The harness's version and the git commit it was built from, for
 * --version, reports and findings. Generated at build time (cmake/version.cmake):
 * the commit is `git describe --always --dirty`, or "unknown" outside git. */
#ifndef CF_VERSION_H
#define CF_VERSION_H

extern const char cf_version[];
extern const char cf_commit[];

#endif
