/* Description: a finding's signature names its root cause, once.
 *
 * The same invariant and tag seen in five setup modes is one signature; the
 * family, the invariant, the tag and an injected fault each make another;
 * registered divergences take no part; the other new root causes of the same
 * history are listed, each once. Exit 0 pass, 1 fail. */
#include <string.h>

#include "check.h"
#include "signature.h"

static struct cf_history h;

static void finding(struct cf_judgement *j, unsigned inv, const char *tag, const char *div)
{
	struct cf_finding *f = &j->f[j->nfindings++];

	memset(f, 0, sizeof(*f));
	f->invariant = inv;
	f->tag = tag;
	f->divergence = div;
	j->verdict = CF_VERDICT_VIOLATION;
}

static const char *sig_of(unsigned mode, const struct cf_judgement *j)
{
	static char sig[256];

	h.mode = (uint8_t)mode;
	cf_finding_signature(&h, j, sig, sizeof(sig));
	return sig;
}

int main(void)
{
	struct cf_judgement j = { 0 };
	char first[256], also[512];

	finding(&j, INV_ALL_COUNT, NULL, NULL);
	snprintf(first, sizeof(first), "%s", sig_of(CF_MODE_DEFAULT, &j));
	CHECK_STR(first, "uring+all-count");
	for (unsigned m = 0; m < CF_MODE_URING__COUNT; m++)
		CHECK_STR(sig_of(m, &j), first);
	CHECK_STR(sig_of(CF_MODE_AIO, &j), "aio+all-count");
	CHECK_STR(sig_of(CF_MODE_POSIX, &j), "posix+all-count");

	/* A registered divergence first: the new finding still names it. */
	memset(&j, 0, sizeof(j));
	finding(&j, INV_FIRST_MATCH_ONLY, "any-without-all", "D01");
	finding(&j, INV_ALL_COUNT, "futex-waitid-all-undercount", NULL);
	finding(&j, INV_EXACTLY_ONCE, NULL, NULL);
	finding(&j, INV_ALL_COUNT, "futex-waitid-all-undercount", NULL);
	CHECK_STR(sig_of(CF_MODE_SQPOLL, &j), "uring+all-count:futex-waitid-all-undercount");
	cf_finding_also(&h, &j, also, sizeof(also));
	CHECK_STR(also, "uring+exactly-once");

	snprintf(h.fault, sizeof(h.fault), "more-on-final");
	CHECK_STR(sig_of(CF_MODE_SQPOLL, &j),
		  "fault:more-on-final+uring+all-count:futex-waitid-all-undercount");
	cf_finding_also(&h, &j, also, sizeof(also));
	CHECK_STR(also, "fault:more-on-final+uring+exactly-once");
	h.fault[0] = '\0';

	/* Only registered divergences: no root cause. */
	memset(&j, 0, sizeof(j));
	finding(&j, INV_FIRST_MATCH_ONLY, "any-without-all", "D01");
	CHECK_STR(sig_of(CF_MODE_DEFAULT, &j), "");

	CHECK(cf_word_in("a+b c+d", "c+d"));
	CHECK(!cf_word_in("a+b cc+d", "c+d"));
	TEST_EXIT();
}
