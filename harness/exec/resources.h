/* The fds, futex word and child process one execution works on. Each is
 * created on first use and gone after cf_res_teardown(). */
#ifndef CF_RESOURCES_H
#define CF_RESOURCES_H

#include <netinet/in.h>
#include <stdint.h>
#include <sys/types.h>

#include "program.h"
#include "ring.h"

#define CF_MAX_ACCEPTED 64 /* sockets io_uring accepted for us, closed at teardown */
#define CF_CHILD_EXIT_MS 1000 /* child_exit waits at most this long, then kills it */

struct cf_resources {
	struct cf_ring *ring;
	int fd[CF_SLOT__COUNT];
	uint8_t created[CF_SLOT__COUNT];
	uint8_t closed[CF_SLOT__COUNT];
	uint8_t any_closed; /* a slot was closed: nothing more is created (create_all) */
	uint8_t registered[CF_SLOT__COUNT];
	struct sockaddr_in listen_addr;
	uint32_t futex_word;
	pid_t child;
	int child_gate; /* write end of the pipe the child waits on */
	int gate_r;     /* its read end until the child is forked, -1 */
	int child_pidfd; /* -1 without CLONE_PIDFD, or when made after a close */
	int accepted[CF_MAX_ACCEPTED];
	int naccepted;
	int ring1_fd;   /* the second ring's fd once the backend made it, -1 */
};

/* ring may be NULL (the AIO families): no fixed-file table then. */
void cf_res_init(struct cf_resources *rs, struct cf_ring *ring);
/* The slot's fd, creating the resource on first use; -1 once closed or for
 * badfd. The ring slots are the rings' fds (ring1: -1 until the backend
 * made the second ring); they are never created, registered or closed here,
 * and a close of ring0 is refused (-EPERM): the harness needs its ring. */
int cf_res_fd(struct cf_resources *rs, unsigned slot);
/* Make what a complete op on slot may use (the slot, the listener, the
 * eventfd) before an actor runs it: only a0 may make resources. */
void cf_res_for_complete(struct cf_resources *rs, unsigned slot);
/* Close the program's fd for a slot (fixed-file entry stays registered). */
int cf_res_close(struct cf_resources *rs, unsigned slot);
/* The same in two halves, for a close made on an actor's thread: begin (a0)
 * creates what a first close creates and returns the fd (or -EBADF); the
 * actor closes it; end (a0, afterwards) marks the slot closed. */
int cf_res_close_begin(struct cf_resources *rs, unsigned slot);
void cf_res_close_end(struct cf_resources *rs, unsigned slot);
/* A teardown's close of a slot the execution made: creates nothing (no
 * request of the program is left to resolve a number), -EBADF when the
 * slot was never made or is closed already. */
int cf_res_close_made(struct cf_resources *rs, unsigned slot);
/* Child process for waitid; created on first use. -errno on failure. */
pid_t cf_res_child(struct cf_resources *rs);
/* Make the child with fork from now on (as instrumented builds always do),
 * or (0) with clone(CLONE_VM) where the kernel has CLONE_PIDFD. For tests. */
void cf_res_fork_children(int on);
int cf_res_child_exit(struct cf_resources *rs);
int cf_res_connect(struct cf_resources *rs, unsigned slot);
/* A CQE res that may be an fd accepted from our listener: remember to close it. */
void cf_res_note_accepted(struct cf_resources *rs, int fd);
/* Close everything, reap the child, clear the fixed-file table. 0 or -errno. */
int cf_res_teardown(struct cf_resources *rs);

#endif
