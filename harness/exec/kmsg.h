/* The kernel log as a check (issue 15 item 4): what /dev/kmsg gained while
 * programs ran, filtered to the lines that mean the kernel went wrong
 * (WARNING:, BUG:, KASAN, lockdep, hung tasks, RCU stalls, Oops). liburing's
 * runtests.sh does the same after each test; here it is `replay --kmsg`.
 * The log is machine-wide: a line may come from anything else running then,
 * and the report says so. */
#ifndef CF_KMSG_H
#define CF_KMSG_H

#include <stddef.h>
#include <stdio.h>

struct cf_kmsg {
	int fd;           /* /dev/kmsg, positioned after the last record seen; -1 closed */
	unsigned records; /* records read by scans so far */
	unsigned lost;    /* times the kernel overwrote records before they were read */
};

/* Open /dev/kmsg at its end: 0, or -errno with why filled (not readable:
 * not root and dmesg_restrict, or no /dev/kmsg in this container). With
 * CF_KMSG_SELFTEST=1 in the environment it then writes one marker record
 * (cf_kmsg_selftest_marker) that the next scan must report: the check's own
 * canary. */
int cf_kmsg_open(struct cf_kmsg *k, char *why, size_t whylen);
/* Read every record logged since the open or the last scan; print each
 * that is a kernel failure line as "KERNEL-LOG <name>: <line>" to out.
 * Returns how many were printed. */
unsigned cf_kmsg_scan(struct cf_kmsg *k, const char *name, FILE *out);
void cf_kmsg_close(struct cf_kmsg *k);

/* Is this message (the text after "prio,seq,ts,flags;") of a record from
 * facility fac a failure line? Exposed for the unit test. */
int cf_kmsg_is_failure(unsigned fac, const char *msg);
extern const char cf_kmsg_selftest_marker[];

#endif
