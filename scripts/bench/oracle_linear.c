/* Oracle cost against history length: one multishot poll stream inflated to
 * N CQEs, read back with the strict reader and judged. Not a test: it prints
 * nanoseconds per event so scripts/bench/bench_oracle.sh can show the growth. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history.h"
#include "oracle.h"

static const char head[] =
	"cancelfuzz-history 1\n"
	"kernel synthetic\n"
	"ring mode=default entries=8 sq=8 cq=16 features=0x3ffff\n"
	"supports cflags=0x3f futex=1 waitid=1\n"
	"program 000100050000000a0000070001000a0300040000000000000a00000a03000f\n"
	"act 0 queue op=0 args=5,0,0,0 res=0 ovf=0\n"
	"req 0 act=0 kind=poll_multi slot=pipe0.r fixed=0 closed=0 ud=0x1 sqeflags=0x0\n"
	"act 1 wait op=1 args=0,0 res=1 ovf=0\n"
	"sub 0 act=1\n"
	"act 2 complete op=2 args=0,1,0 res=1 ovf=0\n";
static const char stream_cqe[] = "cqe act=2 ud=0x1 res=1 flags=0x2\n";
static const char tail[] =
	"act 3 wait op=3 args=3,0 res=1 ovf=0\n"
	"act 4 cancel op=4 args=0,0,0,0,0,0 res=0 ovf=0\n"
	"req 1 act=4 kind=cancel slot=pipe0.r fixed=0 closed=0 ud=0xcf00000000000004 api=sqe64 key=0x1 cflags=0x0 op=nop odd=0x0\n"
	"act 5 wait op=5 args=0,0 res=1 ovf=0\n"
	"sub 1 act=5\n"
	"cqe act=5 ud=0xcf00000000000004 res=0 flags=0x0\n"
	"cqe act=5 ud=0x1 res=-125 flags=0x0\n"
	"act 6 wait op=6 args=3,0 res=2 ovf=0\n"
	"act 7 end_submit res=0 ovf=0\n"
	"act 8 end_cancel res=0 ovf=0\n"
	"req 2 act=8 kind=cancel slot=pipe0.r fixed=0 closed=0 ud=0x0 api=sync key=0x0 cflags=0x5 op=nop odd=0x0\n"
	"act 9 end_drain res=0 ovf=0\n"
	"reset 1\n"
	"end\n";

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static char *make_text(unsigned stream, size_t *len)
{
	size_t cap = sizeof(head) + stream * (sizeof(stream_cqe) - 1) + sizeof(tail);
	char *text = malloc(cap), *p = text;

	if (!text)
		return NULL;
	p += sprintf(p, "%s", head);
	for (unsigned i = 0; i < stream; i++)
		p += sprintf(p, "%s", stream_cqe);
	p += sprintf(p, "%s", tail);
	*len = (size_t)(p - text);
	return text;
}

/* One length: returns 0, or 1 when the history does not read or pass. */
static int measure(unsigned stream, unsigned rounds)
{
	static struct cf_history h;
	struct cf_judgement j;
	char err[256];
	size_t len;
	char *text = make_text(stream, &len);
	double read_s = 0, check_s = 0;

	if (!text)
		return 1;
	for (unsigned r = 0; r < rounds; r++) {
		FILE *in = fmemopen(text, len, "r");
		double t0 = now(), t1;

		if (!in || cf_history_read(in, &h, err, sizeof(err)) < 0) {
			fprintf(stderr, "events=%u: history does not read: %s\n", stream + 2, err);
			free(text);
			return 1;
		}
		fclose(in);
		t1 = now();
		cf_oracle_check(&h, CF_SPEC_DOC, &j);
		check_s += now() - t1;
		read_s += t1 - t0;
		if (j.verdict != CF_VERDICT_PASS) {
			cf_judgement_print(&j, "synthetic", stderr);
			free(text);
			return 1;
		}
	}
	unsigned events = h.ncqes + h.nacts;
	printf("events=%u cqes=%u check_ms=%.3f check_ns_per_event=%.1f read_ms=%.3f\n",
	       events, h.ncqes, 1e3 * check_s / rounds, 1e9 * check_s / rounds / events,
	       1e3 * read_s / rounds);
	free(text);
	return 0;
}

int main(void)
{
	static const unsigned lengths[] = { 1000, 10000, 100000 };
	int bad = 0;

	for (unsigned i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++)
		bad |= measure(lengths[i], 5);
	return bad;
}
