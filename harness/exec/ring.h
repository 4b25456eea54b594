/* Rings kept across executions, one per (setup mode, size), each with a
 * sparse fixed-file table and a provided-buffer ring; or a fresh ring for
 * every execution when asked. */
#ifndef CF_RING_H
#define CF_RING_H

#include <stdint.h>

#include "abi.h"
#include "program.h"

#define CF_BUF_GROUP 7
#define CF_BUF_COUNT 8   /* provided buffers per execution */
#define CF_BUF_SIZE 64
#define CF_SIGINFO_SIZE 128 /* sizeof(struct signalfd_siginfo): a read of the signalfd slot */
#define CF_FIXED_SLOTS CF_SLOT__COUNT /* fixed index i is slot i */

struct cf_ring {
	struct io_uring ring;
	int live;
	uint8_t mode, entries;
	uint32_t setup_flags;
	struct io_uring_buf_ring *bufs; /* NULL when the kernel lacks buffer rings */
	uint8_t buf_mem[CF_BUF_COUNT][CF_BUF_SIZE];
	int bufs_registered;
};

/* A clean ring for this mode and size, created on first use. -errno on failure. */
int cf_ring_get(uint8_t mode, uint8_t entries, struct cf_ring **out);
/* A new ring for every execution (on) or the cached one (off), and which of
 * the two is wanted. Default: off, or on when CF_FRESH_RING=1. */
void cf_ring_fresh_each_run(int on);
int cf_ring_fresh_wanted(void);
/* Destroy a ring that failed its reset check; the next get creates a new one. */
void cf_ring_discard(struct cf_ring *r);
/* Destroy every cached ring (tests, exit). */
void cf_ring_release_all(void);
/* In a child made by fork(2): forget the parent's cached rings and SQPOLL
 * anchor (unmap them and close this process's copies of their fds; the
 * parent's rings live on), so the next execution makes its own. */
void cf_ring_forget_all(void);
/* The second ring of an execution (docs/program-format.md, "Added by the
 * actors branch"): made fresh with ring 0's setup, its fd moved above the
 * program's numbers (at or above floor), and ended by closing its fd
 * (close_fd 1, unless the program closed it already) and unmapping it. */
int cf_ring_make_second(struct cf_ring *r, uint8_t mode, uint8_t entries, int floor);
void cf_ring_end_second(struct cf_ring *r, int close_fd);
/* (Re)register a full provided-buffer ring for this execution. */
int cf_ring_refill_buffers(struct cf_ring *r);

/* Make every prepared SQE visible to the kernel; returns how many it has not consumed. */
unsigned cf_ring_flush_sq(struct cf_ring *r);
/* Kernel's SQ head: SQEs consumed so far (free-running counter). */
unsigned cf_ring_sq_head(struct cf_ring *r);
unsigned cf_ring_cq_tail(struct cf_ring *r);
/* SQPOLL: wait until the poller has consumed every SQE made visible, waking
 * it when it sleeps and yielding the CPU between looks (never a timed
 * sleep). 0, or -ETIME at deadline_ns (CLOCK_MONOTONIC). */
int cf_ring_wait_sq_consumed(struct cf_ring *r, long long deadline_ns);
int cf_ring_cq_overflow(struct cf_ring *r);
/* CPU time (ns) the SQ thread all SQPOLL rings share has used so far, or
 * -1 when there is none (no SQPOLL ring made yet, CF_NO_SQ_ANCHOR, a kernel
 * that refused to share). It polls for a clock tick (4 ms at HZ=250) after
 * an SQPOLL execution's last submission, so most of it is spent while the
 * executions after it run, and is counted as theirs by a process clock. */
long long cf_ring_sq_thread_cpu_ns(void);
/* io_uring_enter(2) directly: the result or -errno. ts_ns > 0 adds an EXT_ARG timeout. */
int cf_ring_enter(struct cf_ring *r, unsigned to_submit, unsigned min_complete,
		  unsigned flags, long long ts_ns);
uint32_t cf_mode_setup_flags(uint8_t mode);

#endif
