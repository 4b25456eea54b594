/* Description: random programs run to their end, leave every ring clean, and
 * leak neither fds nor memory across many executions. */
#include <dirent.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "direct.h"
#include "rng.h"
#include "executor.h"
#include "probe.h"
#include "ring.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	return test_rng_next(&rng);
}

/* Walks the open fds: counts rings (rings=1) or the rest (rings=0), and
 * with list set also names each one on stderr. The ring cache keeps at most
 * one ring per mode and size, and whether one is alive at a given moment
 * depends on the last program (a ring that saw DRAIN or stayed unclean is
 * destroyed), so rings are counted apart. */
static int walk_fds(int rings, int list)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d))) {
		char path[300], target[256];
		ssize_t len;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		target[len > 0 ? len : 0] = '\0';
		n += (strcmp(target, "anon_inode:[io_uring]") == 0) == rings;
		if (list)
			fprintf(stderr, "  fd %s -> %s\n", e->d_name, target);
	}
	if (d)
		closedir(d);
	return n;
}

static int count_fds(void)
{
	return walk_fds(0, 0);
}

static long rss_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

static struct cf_history h;

/* Does the history have a request (or SQE cancel) with CQE_SKIP_SUCCESS? */
static int used_skip(const struct cf_history *hist)
{
	for (unsigned i = 0; i < hist->nreqs; i++) {
		const struct cf_req_rec *r = &hist->reqs[i];

		if (r->req == CF_REQ_CANCEL ? r->api != CF_CANCEL_SYNC && (r->odd & CF_ODD_SKIP)
					    : (r->sqe_flags & CF_SQE_SKIP))
			return 1;
	}
	return 0;
}

int main(void)
{
	const char *env = getenv("CF_RANDOM_EXECS");
	long total = env ? atol(env) : 3000, warm = total / 10;
	int fds_after_warmup = 0;
	long rss_after_warmup = 0;
	unsigned not_reset = 0, skip_unclean = 0, stuck = 0, harness_errors = 0;

	if (!cf_probe()->usable) {
		printf("skip: %s\n", cf_probe()->why);
		return 77;
	}
	/* Every cached ring (mode x size) exists before fds are counted. */
	for (unsigned m = 0; m < CF_MODE__COUNT; m++)
		for (unsigned e = 0; e < 4; e++) {
			uint8_t hdr[2] = { (uint8_t)m, (uint8_t)e };
			struct cf_program prog;
			char why[256];

			cf_decode(hdr, sizeof(hdr), &prog);
			cf_execute(&prog, &h, why, sizeof(why));
		}
	/* The O_DIRECT file is the process's, made at the first readv_direct
	 * or writev_direct (or never, where none can be): make it now. */
	(void)cf_direct_fd(NULL, 0);
	for (long i = 0; i < total; i++) {
		uint8_t bytes[160];
		size_t len = 2 + next() % (sizeof(bytes) - 2);
		struct cf_program prog;
		char why[256];
		enum cf_run run;

		for (size_t k = 0; k < len; k++)
			bytes[k] = (uint8_t)next();
		/* Short real timers and SQPOLL would make this slow; they have their own tests. */
		cf_decode(bytes, len, &prog);
		run = cf_execute(&prog, &h, why, sizeof(why));
		if (run == CF_RUN_HARNESS_ERROR) {
			fprintf(stderr, "execution %ld: %s\n", i, why);
			harness_errors++;
		}
		/* A ring may be discarded only when requests stayed in flight
		 * through every teardown round (a kernel finding such as F001). */
		if (run == CF_RUN_OK && !h.ring_reset) {
			/* A request with CQE_SKIP_SUCCESS may still post a failure
			 * after the teardown took it for a silent success (an io-wq
			 * remove on SQPOLL, 1 in about 100,000): its ring is
			 * discarded, which is safe; counted apart, not failed. */
			int skips = used_skip(&h);

			stuck += h.acts[h.nacts - 1].res > 0;
			skip_unclean += h.acts[h.nacts - 1].res == 0 && skips;
			not_reset += h.acts[h.nacts - 1].res == 0 && !skips;
			if (not_reset <= 3 && h.acts[h.nacts - 1].res == 0 && !skips) {
				fprintf(stderr, "execution %ld left its ring unclean:\n", i);
				cf_history_write(&h, stderr);
			}
		}
		if (i == warm) {
			fds_after_warmup = count_fds();
			rss_after_warmup = rss_kb();
		}
	}
	printf("executions=%ld not_reset=%u skip_success_unclean=%u stuck_in_kernel=%u harness_errors=%u fds %d->%d rss_kb %ld->%ld\n",
	       total, not_reset, skip_unclean, stuck, harness_errors, fds_after_warmup, count_fds(),
	       rss_after_warmup, rss_kb());
	CHECK_EQ(harness_errors, 0);
	CHECK_EQ(not_reset, 0);
	if (count_fds() != fds_after_warmup)
		walk_fds(0, 1); /* say what leaked */
	CHECK_EQ(count_fds(), fds_after_warmup);
	CHECK(walk_fds(1, 0) <= CF_MODE__COUNT * 4);
	/* RSS: allow 2 MiB of allocator noise, far below one leak per execution. */
	CHECK(rss_kb() - rss_after_warmup < 2048);
	cf_ring_release_all();
	TEST_EXIT();
}
