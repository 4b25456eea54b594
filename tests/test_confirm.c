/* Description: a new finding is confirmed by cold runs after minimizing
 * (cf_minimize_finding): one whose root cause shows in none of them is
 * unconfirmed (saved, not counted as new), one that shows again is not.
 * The shown case injects drop-cqe (cf_fault_select), which every run
 * shows; the other asks for a root cause the program never shows.
 * Exit 0 pass, 1 fail, 77 skip (io_uring unavailable). */
#include "check.h"
#include "faults.h"
#include "findings.h"
#include "load_text.h"
#include "run.h"
#include "signature.h"

static const char text[] =
	"cancelfuzz program 3\n"
	"ring mode=default entries=8\n"
	"queue read slot=pipe0.r ud=1 flags=0\n"
	"wait submit n=0\n"
	"cancel sqe64 flags=0 ud=1 slot=pipe0.r op=nop odd=0\n"
	"wait submit n=0\n"
	"end\n";

static struct cf_history h;

int main(void)
{
	static const char never[] = "uring+no-such-root-cause";
	struct cf_program p, q;
	struct cf_judgement j;
	enum cf_run run;
	char why[512], sig[256];
	int code;

	if (load(text, &p) < 0)
		return 1;
	q = p;
	code = cf_run_program(&p, CF_SPEC_KERNEL, &h, &j, &run, why, sizeof(why));
	if (run == CF_RUN_UNSUPPORTED) {
		fprintf(stderr, "skip: %s\n", why);
		return 77;
	}
	CHECK_EQ(code, CF_EXIT_PASS);
	/* shown once (so to speak), never again: unconfirmed */
	cf_minimize_finding(&q, CF_SPEC_KERNEL, never, 50);
	CHECK_EQ(cf_finding_unconfirmed(never), 1);

	/* a fault every run shows: confirmed, by the first cold run */
	CHECK_EQ(cf_fault_select("drop-cqe"), 0); /* forked cold runs inherit it */
	code = cf_run_program(&p, CF_SPEC_KERNEL, &h, &j, &run, why, sizeof(why));
	CHECK_EQ(run, CF_RUN_OK);
	CHECK_EQ(j.verdict, CF_VERDICT_VIOLATION);
	cf_finding_signature(&h, &j, sig, sizeof(sig));
	q = p;
	cf_minimize_finding(&q, CF_SPEC_KERNEL, sig, 50);
	CHECK_EQ(cf_finding_unconfirmed(sig), 0);
	/* the answer is about the last finding minimized, by signature */
	CHECK_EQ(cf_finding_unconfirmed(never), 0);
	TEST_EXIT();
}
