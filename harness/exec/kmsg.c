/* /dev/kmsg, read from where it stood when a run began (kmsg.h). Each
 * read(2) returns one record, "prio,seq,ts,flags;text\n" followed by
 * continuation lines that start with a space; EAGAIN at the end; EPIPE when
 * the kernel overwrote records before we read them (counted, then the read
 * goes on from the oldest one left). */
#include "kmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char cf_kmsg_selftest_marker[] = "cancelfuzz: kmsg self-test marker";

/* Kernel lines that mean something went wrong in the kernel, as the
 * sanitizers, lockdep, the hung-task and RCU watchdogs and WARN()/BUG()
 * print them. */
static const char *const failure_words[] = {
	"WARNING:", "BUG:", "kernel BUG", "Oops", "general protection fault",
	"KASAN:", "UBSAN:", "KFENCE:", "kmemleak:", "unreferenced object",
	"possible circular locking dependency", "possible recursive locking",
	"inconsistent lock state", "lockdep", "suspicious RCU usage",
	"INFO: task", "blocked for more than", "rcu_sched self-detected stall",
	"rcu: INFO:", "detected stall", "refcount_t:", "list_add corruption",
	"list_del corruption", "stack-protector", "Kernel panic",
};

int cf_kmsg_is_failure(unsigned fac, const char *msg)
{
	if (strstr(msg, cf_kmsg_selftest_marker))
		return 1; /* the canary, from user space (facility 1) */
	if (fac != 0) /* LOG_KERN only: user space may write anything here */
		return 0;
	for (size_t i = 0; i < sizeof(failure_words) / sizeof(failure_words[0]); i++)
		if (strstr(msg, failure_words[i]))
			return 1;
	return 0;
}

int cf_kmsg_open(struct cf_kmsg *k, char *why, size_t whylen)
{
	const char *st = getenv("CF_KMSG_SELFTEST");

	k->records = k->lost = 0;
	k->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (k->fd < 0) {
		int err = errno;

		snprintf(why, whylen, "/dev/kmsg: %s", strerror(err));
		return -err;
	}
	if (lseek(k->fd, 0, SEEK_END) < 0) {
		int err = errno;

		snprintf(why, whylen, "/dev/kmsg: seek to the end: %s", strerror(err));
		close(k->fd);
		k->fd = -1;
		return -err;
	}
	if (st && strcmp(st, "1") == 0) {
		int w = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
		char line[128];
		int n = snprintf(line, sizeof(line), "<14>%s (pid %d)\n", cf_kmsg_selftest_marker, (int)getpid());

		if (w < 0 || write(w, line, (size_t)n) != n) {
			int err = errno;

			snprintf(why, whylen, "CF_KMSG_SELFTEST: cannot write /dev/kmsg: %s", strerror(err));
			if (w >= 0)
				close(w);
			close(k->fd);
			k->fd = -1;
			return -err;
		}
		close(w);
	}
	return 0;
}

unsigned cf_kmsg_scan(struct cf_kmsg *k, const char *name, FILE *out)
{
	char rec[8192];
	unsigned found = 0;

	if (k->fd < 0)
		return 0;
	for (;;) {
		ssize_t n = read(k->fd, rec, sizeof(rec) - 1);
		char *semi, *nl;
		unsigned long prio;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EPIPE) {
			k->lost++;
			continue;
		}
		if (n <= 0)
			break;
		rec[n] = '\0';
		k->records++;
		semi = strchr(rec, ';');
		if (!semi)
			continue;
		nl = strchr(semi + 1, '\n');
		if (nl)
			*nl = '\0';
		prio = strtoul(rec, NULL, 10);
		if (cf_kmsg_is_failure((unsigned)(prio >> 3), semi + 1)) {
			fprintf(out, "KERNEL-LOG %s: %s\n", name, semi + 1);
			found++;
		}
	}
	if (k->lost)
		fprintf(out, "# kernel log: %u times records were overwritten before they were read\n", k->lost);
	return found;
}

void cf_kmsg_close(struct cf_kmsg *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}
