/* Description: cold runs (cf_run_cold), the way `replay --tries` runs each
 * try of a race and the way a race finding's hit rate is measured: a forked
 * child that forgets the ring, SQPOLL anchor and actor threads this process
 * keeps between executions, makes its own, and hands its outcome back as
 * its exit status; this process's ring and pool stay usable after it.
 * Exit 0 pass, 1 fail, 77 skip (io_uring unavailable). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "actors.h"
#include "check.h"
#include "executor.h"
#include "load_text.h"
#include "ring.h"
#include "run.h"

static const char race[] =
	"cancelfuzz program 3\n"
	"ring mode=default entries=8\n"
	"actors a1=thread a2=thread a3=thread\n"
	"queue read slot=pipe0.r ud=1 flags=0\n"
	"wait submit n=0\n"
	"cancel sync flags=0 ud=1 slot=pipe0.r op=nop odd=0 group=1 at=0 @a1\n"
	"complete write slot=pipe0.w len=2 group=1 at=0 @a2\n"
	"wait go n=1\n"
	"wait reap n=0\n"
	"end\n";

static struct cf_history h;

static unsigned threads_now(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	unsigned n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

/* In a forked child, after cf_execute_forget_parent: the parent's ring fd
 * is closed here, and the pool is made anew (3 threads more), not believed
 * to exist. Exit status: a bit per failed check. */
static int forget_in_child(int ring_fd)
{
	unsigned before;
	int bad = 0;

	cf_execute_forget_parent();
	if (fcntl(ring_fd, F_GETFD) != -1 || errno != EBADF)
		bad |= 1;
	before = threads_now();
	if (cf_actors_ready() != 0 || threads_now() != before + CF_ACTORS - 1)
		bad |= 2;
	return bad;
}

struct seen {
	int calls;
};

static int outcome(int code, enum cf_run run, const struct cf_history *hh,
		   const struct cf_judgement *j, const char *why, void *arg)
{
	struct seen *s = arg;
	unsigned go_res = 0;

	(void)j;
	(void)why;
	s->calls++; /* the child's copy: the parent's stays 0 when a child ran */
	if (run != CF_RUN_OK)
		return 100;
	for (unsigned a = 0; a < hh->nacts; a++)
		if (hh->acts[a].kind == CF_ACT_OP && hh->acts[a].op_index == 4) /* wait go */
			go_res = (unsigned)hh->acts[a].res;
	return go_res == 2 ? 10 + code : 101; /* both calls of the group ran */
}

int main(void)
{
	struct cf_program p;
	struct cf_judgement j;
	struct cf_ring *ring;
	struct seen s = { 0 };
	enum cf_run run;
	char why[512];
	int status, code;
	pid_t pid;

	if (load(race, &p) < 0)
		return 1;
	code = cf_run_program(&p, CF_SPEC_DOC, &h, &j, &run, why, sizeof(why));
	if (run == CF_RUN_UNSUPPORTED) {
		fprintf(stderr, "skip: %s\n", why);
		return 77;
	}
	CHECK_EQ(run, CF_RUN_OK);
	CHECK_EQ(code, CF_EXIT_PASS);
	/* the ring and the pool are now this process's, kept for later runs */
	CHECK_EQ(cf_ring_get(p.mode, p.entries, &ring), 0);
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(forget_in_child(ring->ring.ring_fd));
	CHECK(pid > 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0); /* 1: ring fd still open, 2: pool not remade */
	if (cf_failures) /* a child that trusts the parent's pool would hang below */
		TEST_EXIT();

	/* A whole cold run: the child's value comes back; the parent's state is untouched. */
	CHECK_EQ(cf_run_cold(&p, CF_SPEC_DOC, outcome, &s), 10 + CF_EXIT_PASS);
	CHECK_EQ(s.calls, 0);
	CHECK_EQ(cf_run_cold(&p, CF_SPEC_DOC, outcome, &s), 10 + CF_EXIT_PASS);
	/* ... and this process's kept ring and pool still run the race */
	code = cf_run_program(&p, CF_SPEC_DOC, &h, &j, &run, why, sizeof(why));
	CHECK_EQ(run, CF_RUN_OK);
	CHECK_EQ(code, CF_EXIT_PASS);
	TEST_EXIT();
}
