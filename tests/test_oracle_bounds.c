/* Description: the io_uring oracle reads no request past the history's
 * nreqs. The history is read into memory followed by a PROT_NONE region,
 * and the unused request records point their act past the end of it: any
 * read of such a record's act as an index faults. The stored history is a
 * long chain of deferred cancels (a libFuzzer run crashed on it under
 * UBSan: uring_oracle.c indexed requests by i, not i % nreqs). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "check.h"
#include "history.h"
#include "oracle.h"

#define GUARD (8u << 20) /* past acts[65535] whatever the layout */

static struct cf_judgement judge;

int main(void)
{
	const char *src = getenv("CF_SOURCE_DIR");
	size_t size = (sizeof(struct cf_history) + 4095) & ~(size_t)4095;
	char path[4096], err[256];
	struct cf_history *h;
	FILE *f;
	char *map;

	snprintf(path, sizeof(path), "%s/tests/histories/pass-regress-oracle-reads-only-its-requests.history",
		 src ? src : ".");
	map = mmap(NULL, size + GUARD, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(map != MAP_FAILED);
	if (map == MAP_FAILED || mprotect(map, size, PROT_READ | PROT_WRITE) < 0)
		TEST_EXIT();
	h = (struct cf_history *)map;
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (!f)
		TEST_EXIT();
	CHECK_EQ(cf_history_read(f, h, err, sizeof(err)), 0);
	fclose(f);
	CHECK_EQ(h->nreqs, 48); /* the loop over 2 * nreqs goes past them */
	for (unsigned i = h->nreqs; i < CF_MAX_REQS; i++)
		h->reqs[i].act = 0xffff;
	cf_oracle_check(h, CF_SPEC_DOC, &judge);
	cf_oracle_check(h, CF_SPEC_KERNEL, &judge);
	printf("judged %u requests with the records after them poisoned\n", h->nreqs);
	TEST_EXIT();
}
