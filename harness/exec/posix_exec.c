/* The POSIX AIO backend (mode posix, backend.h): aio_read, aio_write,
 * aio_fsync, aio_cancel, aio_error, aio_return and aio_suspend of the C
 * library on pipes and sockets the harness controls.
 *
 * glibc runs requests on helper threads, one fd's requests one after the
 * other. "In progress" is made deterministic by settling each act: it ends
 * only once every unfinished request's fd has a helper thread asleep in a
 * read/write on it (seen in /proc/self/task/T/syscall), and every finished
 * request has been recorded with its notification. The wait is bounded
 * (1 s); an act that runs out is marked unsettled.
 *
 * Notifications: SIGEV_SIGNAL uses CF_PX_SIGNO, whose handler stays
 * installed for the process's life (the default action would kill it);
 * SIGEV_THREAD runs a function. Both count, per request, with a generation
 * number so a late notification of an earlier execution is not counted.
 *
 * Actors (docs/program-format.md, "Actors in mode posix"): a0 records the
 * request and fills the aiocb (prepare); the actor makes the one C library
 * call and then notes which earlier requests aio_error says are done
 * (fire); a0 records those "done" events under the act that first saw them
 * (post). What the group left is recorded when it is settled, at the go. */
#include "backend.h"

#include <aio.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "aio_model.h"
#include "clock.h"
#include "complete.h"
#include "probe.h"
#include "resources.h"

#define PX_THREADS 32         /* aio_init: helper threads, more than fds can block */
#define PX_BUF 64             /* bytes an aio_read asks for */
#define MAX_FDS 64            /* distinct fds an execution numbers */
#define MAX_TASKS 256         /* threads looked at per settle round */
#define CF_PX_SIGNO (SIGRTMIN + 5)
#define PRIVATE_FD_MIN 512    /* the harness's own fds stay clear of the program's numbers */

/* aiocbs and buffers a helper thread may still write: freed only when no
 * request of theirs is in progress, deliberately leaked otherwise. */
struct px_memory {
	struct aiocb cb[CF_PX_CBS];
	uint8_t buf[CF_PX_CBS][PX_BUF];
};

struct px_state {
	struct cf_history *h;
	struct cf_resources *rs;
	struct px_memory *mem;
	int16_t cb_req[CF_PX_CBS];       /* request last made on each aiocb, -1 */
	/* Request i's notifications count in note_count[tok[i]]: the sigevent
	 * carries the number the request had when it was made, and a race
	 * group's requests are renumbered after their calls (executor.c). */
	uint8_t tok[CF_MAX_REQS];
	struct cf_call *call;            /* prepare of an op on an actor: fill it, make no call */
	uint8_t racing_cbs;              /* aiocbs an actor's submit is about to use (bit per aiocb) */
	int req_fd[CF_MAX_REQS];         /* the fd number a request went to, -1 */
	uint8_t done[CF_MAX_REQS];       /* its "done" event is recorded */
	uint16_t notes[CF_MAX_REQS][2];  /* notifications recorded: signal, thread */
	int fd_raw[MAX_FDS];             /* fd ids: index = id */
	int nfd;
	int eventfd_dup;                 /* the harness's own handle on the eventfd, -1 */
};

static struct px_state state; /* one execution at a time per process */
static atomic_uint generation;
static atomic_ushort note_count[CF_MAX_REQS][2];
static atomic_uint stray_notes; /* notifications of an earlier execution */

/* ---- notifications ---- */

static void count_note(int token, int kind)
{
	unsigned gen = (unsigned)token >> 8, req = (unsigned)token & 0xff;

	if (gen == atomic_load(&generation) && req < CF_MAX_REQS)
		atomic_fetch_add(&note_count[req][kind], 1);
	else
		atomic_fetch_add(&stray_notes, 1);
}

static _Atomic unsigned signals_handled;

unsigned cf_px_signals_handled(void)
{
	return atomic_load(&signals_handled);
}

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	atomic_fetch_add(&signals_handled, 1);
	count_note(si->si_value.sival_int, 0);
}

static void on_thread(union sigval v)
{
	count_note(v.sival_int, 1);
}

static pthread_once_t setup_once = PTHREAD_ONCE_INIT;
static int setup_errno;

static void setup_process(void)
{
	struct sigaction sa;
	struct aioinit init;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(CF_PX_SIGNO, &sa, NULL) < 0)
		setup_errno = errno;
	memset(&init, 0, sizeof(init));
	init.aio_threads = PX_THREADS;
	init.aio_num = 64;
	init.aio_idle_time = 1;
	aio_init(&init); /* only takes effect before the first request */
}

/* ---- history ---- */

static int8_t fd_id(struct px_state *x, int fd)
{
	if (fd < 0)
		return -1;
	for (int i = 0; i < x->nfd; i++)
		if (x->fd_raw[i] == fd)
			return (int8_t)i;
	if (x->nfd == MAX_FDS)
		return -1;
	x->fd_raw[x->nfd] = fd;
	return (int8_t)x->nfd++;
}

static void add_event(struct px_state *x, unsigned act, enum cf_event_source src, int req,
		      int32_t res, int64_t res2)
{
	struct cf_history *h = x->h;

	if (h->ncqes >= CF_MAX_CQES) {
		h->cqes_lost = 1;
		return;
	}
	h->cqes[h->ncqes++] = (struct cf_cqe_rec){
		.act = (uint16_t)act, .source = (uint8_t)src, .req = (int16_t)req,
		.res = res, .res2 = res2, .user_data = h->reqs[req].user_data,
	};
}

static int in_progress(const struct px_state *x, unsigned i)
{
	const struct cf_req_rec *r = &x->h->reqs[i];

	return r->req != CF_REQ_CANCEL && r->sub_act >= 0 && !x->done[i];
}

static struct aiocb *cb_of(struct px_state *x, unsigned i)
{
	return &x->mem->cb[x->h->reqs[i].user_data];
}

/* Finished requests whose notification has not arrived yet. */
static unsigned owed_notes(const struct px_state *x)
{
	unsigned owed = 0;

	for (unsigned i = 0; i < x->h->nreqs; i++)
		owed += x->done[i] && x->h->reqs[i].sqe_flags != CF_PXN_NONE &&
			x->notes[i][0] + x->notes[i][1] == 0;
	return owed;
}

/* Record finished requests (those on aiocbs in cbs, bit per aiocb) and,
 * with notes, arrived notifications. */
static void collect_some(struct px_state *x, unsigned act, unsigned cbs, int notes)
{
	for (unsigned i = 0; i < x->h->nreqs; i++) {
		if (in_progress(x, i) && (cbs & (1u << x->h->reqs[i].user_data))) {
			int err = aio_error(cb_of(x, i));

			if (err != EINPROGRESS) {
				x->done[i] = 1;
				add_event(x, act, CF_EV_DONE, (int)i, (int32_t)aio_return(cb_of(x, i)), err);
			}
		}
		for (int k = 0; k < 2 && notes && x->h->reqs[i].req != CF_REQ_CANCEL; k++) {
			unsigned seen = atomic_load(&note_count[x->tok[i]][k]);

			for (; x->notes[i][k] < seen; x->notes[i][k]++)
				add_event(x, act, k ? CF_EV_THREAD : CF_EV_SIGNAL, (int)i, 0, 0);
		}
	}
}

static void collect(struct px_state *x, unsigned act)
{
	collect_some(x, act, ~0u, 1);
}

/* ---- which fds a helper thread is asleep on ----
 *
 * The helper threads' /proc/self/task/T/{stat,syscall} files are opened once
 * and read with pread from then on; the task folder is read again only when
 * it may have changed: after a request was handed to the C library (it may
 * have started a thread) or when a thread's file says it is gone (idle
 * helpers exit after 1 s). Scanning the folder and opening two files per
 * thread on every look cost 25-300 us a settle. The files sit above
 * PRIVATE_FD_MIN, clear of the program's numbers, and are closed when the
 * execution finishes, so none outlives it. */

struct px_task {
	int tid, stat_fd, sys_fd;
};

static struct px_task tasks[MAX_TASKS];
static unsigned ntasks;
static int tasks_stale = 1;
static int self_stat_fd = -1; /* /proc/self/stat: the process's thread count */
static long threads_scanned = -1; /* the thread count read before the last scan */

static int private_fd(int fd)
{
	int high;

	if (fd < 0)
		return fd;
	high = fcntl(fd, F_DUPFD_CLOEXEC, PRIVATE_FD_MIN);
	close(fd);
	return high;
}

static void forget_tasks(void)
{
	for (unsigned i = 0; i < ntasks; i++) {
		close(tasks[i].stat_fd);
		close(tasks[i].sys_fd);
	}
	ntasks = 0;
	tasks_stale = 1;
	if (self_stat_fd >= 0)
		close(self_stat_fd);
	self_stat_fd = -1;
	threads_scanned = -1;
}

/* The process's thread count (field 20 of /proc/self/stat), -1 if unknown. */
static long thread_count(void)
{
	char line[512];
	const char *p;
	ssize_t n;
	long count = -1;

	if (self_stat_fd < 0)
		self_stat_fd = private_fd(open("/proc/self/stat", O_RDONLY | O_CLOEXEC));
	if (self_stat_fd < 0 || (n = pread(self_stat_fd, line, sizeof(line) - 1, 0)) <= 0)
		return -1;
	line[n] = '\0';
	p = strrchr(line, ')'); /* comm may hold spaces */
	for (int field = 2; p && field < 20; field++)
		p = strchr(p + 1, ' ');
	if (p && sscanf(p + 1, "%ld", &count) != 1)
		count = -1;
	return count;
}

/* A thread was made or has gone since the last scan: read the folder again.
 * A thread that went and one that came in its place leave the count as it
 * was, but the gone one's files say so (asleep_in_io -1). */
static void note_new_threads(void)
{
	long n = thread_count();

	if (n < 0 || n != threads_scanned)
		tasks_stale = 1;
}

static void rescan_tasks(void)
{
	long self = syscall(SYS_gettid);
	struct dirent *e;
	DIR *d;

	for (unsigned i = 0; i < ntasks; i++) {
		close(tasks[i].stat_fd);
		close(tasks[i].sys_fd);
	}
	ntasks = 0;
	/* counted before the folder is read: a thread made in between shows
	 * as a changed count next time, never as one missed */
	threads_scanned = thread_count();
	d = opendir("/proc/self/task");
	while (d && (e = readdir(d)) && ntasks < MAX_TASKS) {
		char path[300];
		long tid = atol(e->d_name);
		struct px_task *t = &tasks[ntasks];

		if (tid <= 0 || tid == self)
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%ld/stat", tid);
		t->stat_fd = private_fd(open(path, O_RDONLY | O_CLOEXEC));
		snprintf(path, sizeof(path), "/proc/self/task/%ld/syscall", tid);
		t->sys_fd = private_fd(open(path, O_RDONLY | O_CLOEXEC));
		if (t->stat_fd < 0 || t->sys_fd < 0) {
			if (t->stat_fd >= 0)
				close(t->stat_fd);
			if (t->sys_fd >= 0)
				close(t->sys_fd);
			continue;
		}
		t->tid = (int)tid;
		ntasks++;
	}
	if (d)
		closedir(d);
	tasks_stale = 0;
}

/* 1 and *fd when the task sleeps in a read/write/sync, 0 when not, -1 when
 * it is gone. */
static int asleep_in_io(const struct px_task *t, int *fd)
{
	char line[256], run_state = '?';
	const char *p;
	ssize_t n = pread(t->stat_fd, line, sizeof(line) - 1, 0);
	long nr;
	unsigned long arg0;

	if (n <= 0)
		return -1;
	line[n] = '\0';
	p = strrchr(line, ')'); /* comm may hold spaces */
	if (p && p[1] == ' ')
		run_state = p[2];
	if (run_state != 'S')
		return 0;
	n = pread(t->sys_fd, line, sizeof(line) - 1, 0);
	if (n <= 0)
		return -1;
	line[n] = '\0';
	if (sscanf(line, "%ld %lx", &nr, &arg0) != 2)
		return 0;
	if (nr != SYS_read && nr != SYS_write && nr != SYS_pread64 && nr != SYS_pwrite64 &&
	    nr != SYS_fsync && nr != SYS_fdatasync)
		return 0;
	*fd = (int)arg0;
	return 1;
}

/* Has every fd in need[] a helper thread asleep in a read/write on it?
 * Threads are read until that is settled, not all of them: a thread found
 * asleep on a needed fd moves to the front, so the next look (the same
 * requests, mostly) reads those first and stops there. Reading every
 * thread's stat file on every look (32 idle helpers, the actors, the SQ
 * thread) was most of a POSIX execution's CPU. */
static int helpers_cover(const int *need, unsigned nneed)
{
	for (int pass = 0; pass < 2; pass++) {
		int gone = 0;
		unsigned covered = 0, front = 0;
		uint64_t seen = 0; /* bit k: need[k] has a helper (nneed <= 64) */

		if (tasks_stale)
			rescan_tasks();
		for (unsigned i = 0; i < ntasks && !gone; i++) {
			int fd, r = asleep_in_io(&tasks[i], &fd), hit = 0;

			gone = r < 0;
			for (unsigned k = 0; r > 0 && k < nneed; k++)
				if (need[k] == fd && !(seen & (1ull << k))) {
					seen |= 1ull << k;
					covered++;
					hit = 1;
				}
			if (hit) {
				struct px_task t = tasks[i];

				tasks[i] = tasks[front];
				tasks[front++] = t;
			}
			if (covered == nneed)
				return 1;
		}
		if (!gone)
			return 0;
		tasks_stale = 1; /* a helper exited: look again */
	}
	return 0;
}

/* Every unfinished request's fd has a helper thread asleep on it. */
static int all_blocked(struct px_state *x)
{
	int need[MAX_FDS];
	unsigned nneed = 0;

	for (unsigned i = 0; i < x->h->nreqs; i++) {
		unsigned k = 0;

		if (!in_progress(x, i))
			continue;
		while (k < nneed && need[k] != x->req_fd[i])
			k++;
		if (k == nneed && nneed < MAX_FDS)
			need[nneed++] = x->req_fd[i];
	}
	return nneed == 0 || helpers_cover(need, nneed);
}

static int by_source_then_req(const void *a, const void *b)
{
	const struct cf_cqe_rec *p = a, *q = b;

	return p->source != q->source ? p->source - q->source : p->req - q->req;
}

/* Wait until the act's effects are all visible (bounded), then put its
 * events in a fixed order: which thread ran first is not part of it. */
static void settle(struct px_state *x, unsigned act, long long budget_ms)
{
	long long deadline = cf_now_ms() + budget_ms;
	unsigned first = x->h->ncqes;

	for (;;) {
		unsigned seen;

		collect(x, act);
		seen = x->h->ncqes;
		/* Quiet: every unfinished request's fd has a sleeping helper, and
		 * nothing finished meanwhile (a helper may have finished one and
		 * gone to sleep on the next request of the same fd). */
		if (owed_notes(x) == 0 && all_blocked(x)) {
			collect(x, act);
			if (x->h->ncqes == seen)
				break;
			continue;
		}
		note_new_threads(); /* not settled yet: a request may have started a thread */
		if (cf_now_ms() >= deadline) {
			x->h->acts[act].unsettled = 1;
			break;
		}
		cf_pause_briefly();
	}
	while (first > 0 && x->h->cqes[first - 1].act == act)
		first--; /* events the act recorded before settling */
	qsort(&x->h->cqes[first], x->h->ncqes - first, sizeof(x->h->cqes[0]), by_source_then_req);
}

/* ---- ops ---- */

static int result_of(int ret)
{
	return ret < 0 ? -errno : ret;
}

static int submit_call(struct aiocb *cb, unsigned req);
static void submitted(struct px_state *x, unsigned id, unsigned act, int fd, int ret);

static int do_submit(struct px_state *x, const struct cf_op *op, unsigned act)
{
	unsigned req = op->a[CF_Q_REQ], slot = op->a[CF_Q_SLOT], cbi = op->a[CF_Q_UD];
	unsigned notify = op->a[CF_Q_FLAGS], id = x->h->nreqs;
	struct aiocb *cb = &x->mem->cb[cbi];
	struct cf_req_rec *r;
	int fd, ret;

	/* POSIX: an aiocb in use must not be reused; glibc's queue would break.
	 * One another actor is about to submit in this group is in use too. */
	if ((x->cb_req[cbi] >= 0 && in_progress(x, (unsigned)x->cb_req[cbi])) ||
	    (x->racing_cbs & (1u << cbi)))
		return -EBUSY;
	fd = cf_res_fd(x->rs, slot);
	/* A helper blocked reading the eventfd can only be woken through it,
	 * and the program may close its fd: keep a handle of our own. */
	if (slot == CF_SLOT_EVENTFD && fd >= 0 && x->eventfd_dup < 0)
		x->eventfd_dup = fcntl(fd, F_DUPFD_CLOEXEC, PRIVATE_FD_MIN);
	r = cf_history_new_req(x->h, act, req);
	r->slot = (uint8_t)slot;
	r->slot_closed = x->rs->closed[slot];
	r->user_data = cbi;
	r->sqe_flags = (uint8_t)notify;
	r->fd_id = fd_id(x, fd);
	x->cb_req[cbi] = (int16_t)id;
	x->tok[id] = (uint8_t)id;
	memset(cb, 0, sizeof(*cb));
	cb->aio_fildes = fd;
	cb->aio_buf = x->mem->buf[cbi];
	cb->aio_nbytes = req == CF_PX_WRITE ? 1 : PX_BUF;
	if (req == CF_PX_WRITE)
		x->mem->buf[cbi][0] = 'w';
	cb->aio_sigevent.sigev_value.sival_int = (int)(atomic_load(&generation) << 8 | id);
	if (notify == CF_PXN_SIGNAL) {
		cb->aio_sigevent.sigev_notify = SIGEV_SIGNAL;
		cb->aio_sigevent.sigev_signo = CF_PX_SIGNO;
	} else if (notify == CF_PXN_THREAD) {
		cb->aio_sigevent.sigev_notify = SIGEV_THREAD;
		cb->aio_sigevent.sigev_notify_function = on_thread;
	} else {
		cb->aio_sigevent.sigev_notify = SIGEV_NONE;
	}
	if (x->call) { /* on an actor: submit_call() there, submitted() after */
		x->call->kind = CF_CALL_POSIX;
		x->call->fd = fd;
		x->racing_cbs |= (uint8_t)(1u << cbi);
		return 0;
	}
	ret = submit_call(cb, req);
	note_new_threads(); /* the C library may have started a helper thread */
	ret = result_of(ret);
	submitted(x, id, act, fd, ret);
	return ret;
}

static int submit_call(struct aiocb *cb, unsigned req)
{
	int ret;

	switch (req) {
	case CF_PX_READ: ret = aio_read(cb); break;
	case CF_PX_WRITE: ret = aio_write(cb); break;
	case CF_PX_FSYNC: ret = aio_fsync(O_SYNC, cb); break;
	case CF_PX_FDATASYNC: ret = aio_fsync(O_DSYNC, cb); break;
	default: ret = aio_fsync(0, cb); break; /* neither O_SYNC nor O_DSYNC */
	}
	return ret;
}

static void submitted(struct px_state *x, unsigned id, unsigned act, int fd, int ret)
{
	if (ret == 0) {
		x->h->reqs[id].sub_act = (int16_t)act;
		x->req_fd[id] = fd;
	}
}

/* The fields of an aiocb a program sets (not glibc's private ones). */
static void public_fields(const struct aiocb *cb, struct aiocb *out)
{
	memset(out, 0, sizeof(*out));
	out->aio_fildes = cb->aio_fildes;
	out->aio_lio_opcode = cb->aio_lio_opcode;
	out->aio_reqprio = cb->aio_reqprio;
	out->aio_buf = cb->aio_buf;
	out->aio_nbytes = cb->aio_nbytes;
	out->aio_sigevent = cb->aio_sigevent;
	out->aio_offset = cb->aio_offset;
}

/* aio_cancel(fd, cb); whether the aiocb's public fields changed; with
 * want_status, aio_error(cb) right after (else -1). */
static int cancel_call(int fd, struct aiocb *cb, int want_status, int *changed, int *status)
{
	struct aiocb before, after;
	int ret;

	if (cb)
		public_fields(cb, &before);
	ret = result_of(aio_cancel(fd, cb));
	*changed = 0;
	if (cb) {
		public_fields(cb, &after);
		*changed = memcmp(&before, &after, sizeof(before)) != 0;
	}
	*status = want_status ? aio_error(cb) : -1;
	return ret;
}

static int do_cancel(struct px_state *x, const struct cf_op *op, unsigned act)
{
	unsigned how = op->a[CF_C_API], cbi = op->a[CF_C_UD], slot = op->a[CF_C_SLOT];
	int t = x->cb_req[cbi], fd, ret, changed, status;
	struct aiocb *cb = &x->mem->cb[cbi];
	struct cf_req_rec *r;

	/* An aiocb another actor of the group is about to submit is not one
	 * yet (its fields are being filled): refused, and no request made. */
	if (how != CF_PXC_NULL && (x->racing_cbs & (1u << cbi)))
		return -EBUSY;
	switch (how) {
	case CF_PXC_CB: fd = cb->aio_fildes; break;
	case CF_PXC_BADFD: fd = -1; break;
	default: fd = cf_res_fd(x->rs, slot); break;
	}
	r = cf_history_new_req(x->h, act, CF_REQ_CANCEL);
	r->api = (uint8_t)how;
	r->key_ud = cbi;
	r->slot = (uint8_t)slot;
	r->target = (int16_t)(how == CF_PXC_NULL ? -1 : t);
	r->fd_id = fd_id(x, fd);
	r->status_after = -1;
	if (x->call) { /* on an actor: cancel_call() there, canceled() after */
		x->call->kind = CF_CALL_POSIX;
		x->call->fd = fd;
		x->call->arg[0] = how != CF_PXC_NULL && t >= 0; /* read aio_error after */
		return 0;
	}
	ret = cancel_call(fd, how == CF_PXC_NULL ? NULL : cb, how != CF_PXC_NULL && t >= 0,
			  &changed, &status);
	r->cb_changed = (uint8_t)changed;
	r->status_after = status;
	return ret;
}

static int do_status(const struct px_state *x, const struct cf_op *op)
{
	unsigned cbi = op->a[CF_W_N];
	struct aiocb *cb = &x->mem->cb[cbi];
	const struct aiocb *list[CF_PX_CBS] = { 0 };
	struct timespec ts = { 0, 0 };
	int n = 1;

	switch (op->a[CF_W_HOW]) {
	case CF_PXW_ERROR:
		return result_of(aio_error(cb));
	case CF_PXW_RETURN:
		return (int)aio_return(cb); /* -1 is a value here, not an error */
	case CF_PXW_SUSPEND_SHORT:
		ts.tv_nsec = CF_AIO_SHORT_NS;
		/* fall through */
	case CF_PXW_SUSPEND_ZERO:
		list[0] = cb;
		break;
	default: /* every aiocb that has had a request */
		for (unsigned i = 0; i < CF_PX_CBS; i++)
			if (x->cb_req[i] >= 0 && x->h->reqs[x->cb_req[i]].sub_act >= 0)
				list[i] = &x->mem->cb[i];
		n = CF_PX_CBS;
		break;
	}
	return result_of(aio_suspend(list, n, &ts));
}

/* The other end of a socket pair, or -1. */
static int peer_of(unsigned slot)
{
	switch (slot) {
	case CF_SLOT_SOCK0_A: return CF_SLOT_SOCK0_B;
	case CF_SLOT_SOCK0_B: return CF_SLOT_SOCK0_A;
	case CF_SLOT_SOCK1_A: return CF_SLOT_SOCK1_B;
	case CF_SLOT_SOCK1_B: return CF_SLOT_SOCK1_A;
	}
	return -1;
}

static int busy(const struct px_state *x, unsigned slot)
{
	for (unsigned i = 0; i < x->h->nreqs; i++)
		if (in_progress(x, i) && x->h->reqs[i].slot == slot)
			return 1;
	return 0;
}

/* Closing both ends of a socket pair while a helper thread reads one of
 * them leaves it blocked for good: each blocked read holds its end open,
 * and no fd is left to shut it down with. Such a close is refused. */
static int do_close(struct px_state *x, unsigned slot)
{
	int peer = peer_of(slot);

	if (peer >= 0 && x->rs->closed[peer] && (busy(x, slot) || busy(x, (unsigned)peer)))
		return -EBUSY;
	return cf_res_close(x->rs, slot);
}

/* ---- teardown ---- */

static unsigned count_in_progress(const struct px_state *x)
{
	unsigned n = 0;

	for (unsigned i = 0; i < x->h->nreqs; i++)
		n += in_progress(x, i);
	return n;
}

static void wait_for_one(struct px_state *x, long long deadline_ms);

#define CLIENT_EOF_MS 200 /* a shut-down client's read returns within this */

static int client_read_in_progress(const struct px_state *x)
{
	for (unsigned i = 0; i < x->h->nreqs; i++)
		if (in_progress(x, i) && (x->h->reqs[i].slot == CF_SLOT_CLIENT0 ||
					  x->h->reqs[i].slot == CF_SLOT_CLIENT1))
			return 1;
	return 0;
}

/* Make every helper thread's read or write return: EOF on pipes and
 * sockets, a count on the eventfd. Only what the execution made is shut
 * down or closed: the end_cancel before canceled every queued request, so
 * what is left in progress has a helper in its syscall, holding its file,
 * and no request resolves a number any more. Creating every other slot
 * here (what a program's first close does, resources.c) cost about 25
 * closes, 7 opens and a socketpair or two per execution. */
static void unblock(struct px_state *x)
{
	static const unsigned pipes[] = { CF_SLOT_PIPE0_W, CF_SLOT_PIPE0_R, CF_SLOT_PIPE1_W,
					  CF_SLOT_PIPE1_R };
	static const unsigned sockets[] = { CF_SLOT_SOCK0_A, CF_SLOT_SOCK0_B, CF_SLOT_SOCK1_A,
					    CF_SLOT_SOCK1_B, CF_SLOT_CLIENT0, CF_SLOT_CLIENT1 };

	for (unsigned i = 0; i < sizeof(sockets) / sizeof(sockets[0]); i++)
		if (x->rs->created[sockets[i]] && !x->rs->closed[sockets[i]])
			shutdown(x->rs->fd[sockets[i]], SHUT_RDWR);
	for (unsigned i = 0; i < sizeof(pipes) / sizeof(pipes[0]); i++)
		if (x->rs->created[pipes[i]] && !x->rs->closed[pipes[i]])
			cf_res_close_made(x->rs, pipes[i]);
	if (x->rs->created[CF_SLOT_LISTENER] && !x->rs->closed[CF_SLOT_LISTENER]) {
		/* A client's read woken by its shutdown must return (EOF) before
		 * the listener's close resets the client: else it sometimes ends
		 * ECONNRESET instead (test_determinism, a random program whose
		 * aio_read on a connected client was left to the teardown). */
		long long until = cf_now_ms() + CLIENT_EOF_MS;

		while (client_read_in_progress(x) && cf_now_ms() < until)
			wait_for_one(x, until);
		cf_res_close_made(x->rs, CF_SLOT_LISTENER); /* resets connected clients */
	}
}

/* Until one request in progress finishes (aio_suspend: the C library's own
 * wake-up, no timer) or the deadline; a short pause when only notifications
 * are owed, which no call waits for. */
static void wait_for_one(struct px_state *x, long long deadline_ms)
{
	const struct aiocb *list[CF_MAX_REQS];
	long long left = deadline_ms - cf_now_ms();
	struct timespec ts = { left / 1000, (left % 1000) * 1000000 };
	int n = 0;

	for (unsigned i = 0; i < x->h->nreqs; i++)
		if (in_progress(x, i))
			list[n++] = cb_of(x, i);
	if (n == 0 || left <= 0) {
		cf_pause_briefly();
		return;
	}
	aio_suspend(list, n, &ts);
}

static void teardown(struct px_state *x)
{
	struct cf_history *h = x->h;
	unsigned act = cf_history_begin_act(h, CF_ACT_END_CANCEL, -1);
	long long deadline;
	int fds[MAX_FDS];
	unsigned nfds = 0;

	/* aio_cancel(fd, NULL) on every fd with requests still in progress */
	for (unsigned i = 0; i < h->nreqs; i++) {
		unsigned k = 0;

		if (!in_progress(x, i))
			continue;
		while (k < nfds && fds[k] != x->req_fd[i])
			k++;
		if (k == nfds && nfds < MAX_FDS)
			fds[nfds++] = x->req_fd[i];
	}
	for (unsigned k = 0; k < nfds; k++)
		aio_cancel(fds[k], NULL);
	collect(x, act);
	h->acts[act].res = (int32_t)count_in_progress(x);
	settle(x, act, CF_SETTLE_BUDGET_MS);

	act = cf_history_begin_act(h, CF_ACT_END_DRAIN, -1);
	deadline = cf_now_ms() + CF_DRAIN_BUDGET_MS;
	unblock(x);
	for (;;) {
		collect(x, act);
		if ((count_in_progress(x) == 0 && owed_notes(x) == 0) || cf_now_ms() >= deadline)
			break;
		if (x->eventfd_dup >= 0) {
			uint64_t one = 1;

			if (write(x->eventfd_dup, &one, sizeof(one)) < 0)
				break; /* cannot happen: far from the counter's limit */
		}
		wait_for_one(x, deadline);
	}
	settle(x, act, 0); /* only to order the events */
	h->acts[act].unsettled = 0;
	h->acts[act].res = (int32_t)(count_in_progress(x) + owed_notes(x));
	h->ring_reset = h->acts[act].res == 0;
}

static enum cf_status posix_start(const struct cf_program *prog, struct cf_history *h,
				   struct cf_resources *rs, char *why, size_t whylen)
{
	struct px_state *x = &state;

	(void)prog;
	signal(SIGPIPE, SIG_IGN);
	pthread_once(&setup_once, setup_process);
	cf_kernel_release(h->kernel, sizeof(h->kernel));
	snprintf(h->libc, sizeof(h->libc), "glibc-%s", gnu_get_libc_version());
	h->px_threads = PX_THREADS;
	if (setup_errno) {
		snprintf(why, whylen, "cannot install the SIGEV_SIGNAL handler: %s",
			 strerror(setup_errno));
		return CF_STATUS_FAILED;
	}
	memset(x, 0, sizeof(*x));
	x->h = h;
	x->rs = rs;
	x->eventfd_dup = -1;
	x->mem = calloc(1, sizeof(*x->mem));
	if (!x->mem) {
		snprintf(why, whylen, "out of memory");
		return CF_STATUS_FAILED;
	}
	for (unsigned i = 0; i < CF_MAX_REQS; i++)
		x->req_fd[i] = -1; /* until the request is submitted */
	for (unsigned i = 0; i < CF_PX_CBS; i++) {
		x->cb_req[i] = -1;
		x->mem->cb[i].aio_fildes = -1; /* an aiocb never used names no fd */
	}
	atomic_fetch_add(&generation, 1);
	for (unsigned i = 0; i < CF_MAX_REQS; i++)
		for (int k = 0; k < 2; k++)
			atomic_store(&note_count[i][k], 0);
	cf_res_init(rs, NULL);
	return CF_STATUS_OK;
}

static int posix_queue(const struct cf_op *op, unsigned act)
{
	return do_submit(&state, op, act);
}

static int posix_cancel(const struct cf_op *op, unsigned act, unsigned index)
{
	(void)index;
	return do_cancel(&state, op, act);
}

static int posix_wait(const struct cf_op *op, unsigned act)
{
	(void)act;
	return do_status(&state, op);
}

static int posix_close(const struct cf_op *op)
{
	return do_close(&state, op->a[CF_X_SLOT]);
}

static void posix_settle(unsigned act)
{
	settle(&state, act, CF_SETTLE_BUDGET_MS);
}

static void posix_teardown(void (*others)(void *arg), void *arg)
{
	(void)others; /* no actors in this family */
	(void)arg;
	teardown(&state);
}

/* ---- ops on actors (docs/program-format.md, "Actors in mode posix") ---- */

static void posix_prepare(const struct cf_op *op, unsigned act, unsigned index, struct cf_call *call)
{
	struct px_state *x = &state;

	(void)index;
	cf_call_begin(call, op, act);
	x->call = call;
	switch (op->kind) {
	case CF_OP_QUEUE:
		call->res = do_submit(x, op, act);
		break;
	case CF_OP_CANCEL:
		call->res = do_cancel(x, op, act);
		break;
	case CF_OP_WAIT:
		/* as do_cancel(): not on an aiocb another actor is submitting */
		if (op->a[CF_W_HOW] != CF_PXW_SUSPEND_ALL && (x->racing_cbs & (1u << op->a[CF_W_N])))
			call->res = -EBUSY;
		else
			call->kind = CF_CALL_POSIX; /* do_status() there */
		break;
	case CF_OP_COMPLETE:
		cf_res_for_complete(x->rs, op->a[CF_D_SLOT]);
		call->kind = CF_CALL_COMPLETE;
		break;
	case CF_OP_CLOSE: {
		int peer = peer_of(op->a[CF_X_SLOT]);

		call->slot = op->a[CF_X_SLOT];
		if (peer >= 0 && x->rs->closed[peer] && (busy(x, call->slot) || busy(x, (unsigned)peer))) {
			call->res = -EBUSY; /* as do_close() */
			break;
		}
		call->fd = cf_res_close_begin(x->rs, call->slot);
		if (call->fd < 0)
			call->res = call->fd;
		else
			call->kind = CF_CALL_CLOSE;
		break;
	}
	}
	x->call = NULL;
}

/* The actor's call, then which requests accepted before the group aio_error
 * says are done (call->cq_tail, bit per aiocb). */
static int posix_fire(struct cf_call *call)
{
	struct px_state *x = &state;
	const struct cf_op *op = call->op;
	int ret = -EINVAL;

	switch (call->kind) {
	case CF_CALL_NONE:
		ret = call->res;
		break;
	case CF_CALL_POSIX:
		if (op->kind == CF_OP_QUEUE) {
			ret = result_of(submit_call(&x->mem->cb[op->a[CF_Q_UD]], op->a[CF_Q_REQ]));
		} else if (op->kind == CF_OP_CANCEL) {
			int changed, status;

			ret = cancel_call(call->fd, op->a[CF_C_API] == CF_PXC_NULL ? NULL : &x->mem->cb[op->a[CF_C_UD]],
					  (int)call->arg[0], &changed, &status);
			call->arg[1] = changed;
			call->arg[2] = status;
		} else {
			ret = do_status(x, op);
		}
		break;
	case CF_CALL_CLOSE:
		ret = close(call->fd) < 0 ? -errno : 0;
		break;
	case CF_CALL_COMPLETE:
		ret = cf_complete(x->rs, CF_FAMILY_POSIX, op);
		break;
	default: /* CF_CALL_ENTER: the executor's task-work turn, nothing here */
		ret = 0;
		break;
	}
	call->cq_tail = 0;
	for (unsigned i = 0; i < x->h->nreqs; i++)
		if (in_progress(x, i) && aio_error(cb_of(x, i)) != EINPROGRESS)
			call->cq_tail |= 1u << x->h->reqs[i].user_data;
	return ret;
}

static void posix_post(struct cf_call *call, int pass)
{
	struct px_state *x = &state;
	const struct cf_op *op = call->op;
	int req;

	if (pass == 0 || !op)
		return;
	req = x->h->acts[call->act].req;
	if (call->kind == CF_CALL_CLOSE)
		cf_res_close_end(x->rs, call->slot);
	if (call->kind == CF_CALL_POSIX && op->kind == CF_OP_QUEUE && req >= 0) {
		x->racing_cbs &= (uint8_t)~(1u << op->a[CF_Q_UD]);
		note_new_threads();
		submitted(x, (unsigned)req, call->act, call->fd, call->res);
	}
	if (call->kind == CF_CALL_POSIX && op->kind == CF_OP_CANCEL && req >= 0) {
		x->h->reqs[req].cb_changed = (uint8_t)call->arg[1];
		x->h->reqs[req].status_after = (int)call->arg[2];
	}
	if (call->kind != CF_CALL_NONE)
		collect_some(x, call->act, call->cq_tail, 0);
}

static void posix_renumbered(const int16_t *map)
{
	struct px_state *x = &state;
	int req_fd[CF_MAX_REQS];
	uint8_t done[CF_MAX_REQS], tok[CF_MAX_REQS];
	uint16_t notes[CF_MAX_REQS][2];

	for (unsigned i = 0; i < x->h->nreqs; i++) {
		req_fd[map[i]] = x->req_fd[i];
		done[map[i]] = x->done[i];
		tok[map[i]] = x->tok[i];
		memcpy(notes[map[i]], x->notes[i], sizeof(notes[0]));
	}
	memcpy(x->req_fd, req_fd, x->h->nreqs * sizeof(req_fd[0]));
	memcpy(x->done, done, x->h->nreqs);
	memcpy(x->tok, tok, x->h->nreqs);
	memcpy(x->notes, notes, x->h->nreqs * sizeof(notes[0]));
	for (unsigned c = 0; c < CF_PX_CBS; c++)
		if (x->cb_req[c] >= 0)
			x->cb_req[c] = map[x->cb_req[c]];
}

static enum cf_status posix_finish(char *why, size_t whylen)
{
	struct px_state *x = &state;

	/* The helpers' /proc files are the execution's: no fd outlives it. */
	forget_tasks();
	if (x->eventfd_dup >= 0)
		close(x->eventfd_dup);
	if (count_in_progress(x) > 0) {
		snprintf(why, whylen, "%u POSIX AIO requests still in progress after the teardown; "
			 "their aiocbs are left allocated", count_in_progress(x));
		x->mem = NULL; /* a helper thread may still write there */
		return CF_STATUS_FAILED;
	}
	free(x->mem);
	x->mem = NULL;
	return CF_STATUS_OK;
}

const struct cf_backend cf_posix_backend = {
	.family = CF_FAMILY_POSIX,
	.events = "events",
	.start = posix_start,
	.queue = posix_queue,
	.cancel = posix_cancel,
	.wait = posix_wait,
	.close = posix_close,
	.settle = posix_settle,
	.teardown = posix_teardown,
	.finish = posix_finish,
	.prepare = posix_prepare,
	.fire = posix_fire,
	.post = posix_post,
	.renumbered = posix_renumbered,
};
