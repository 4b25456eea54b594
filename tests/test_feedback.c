/* Description: behaviour feedback sees the remove, update and timer kinds.
 * From a recorded history (tests/histories/pass-timeout-update.history), a
 * change that only a remove/update kind's result, its duration, or a
 * timer's count shows must change the feature set; a change of the target
 * user_data alone (which request it names is not a behaviour) must not.
 * Exit 0 pass, 1 fail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "feedback.h"
#include "history.h"

#define MAXF 512

static struct cf_history base, h;

static int same_features(const struct cf_history *a, const struct cf_history *b)
{
	uint16_t fa[MAXF], fb[MAXF];
	unsigned na = cf_behaviour_features(a, fa, MAXF), nb = cf_behaviour_features(b, fb, MAXF);

	if (na != nb)
		return 0;
	for (unsigned i = 0; i < na; i++) {
		int found = 0;

		for (unsigned k = 0; k < nb && !found; k++)
			found = fa[i] == fb[k];
		if (!found)
			return 0;
	}
	return 1;
}

/* The act that queued the first request of kind req. */
static int act_of(unsigned req)
{
	for (unsigned i = 0; i < base.nreqs; i++)
		if (base.reqs[i].req == req)
			return base.reqs[i].act;
	return -1;
}

int main(void)
{
	const char *dir = getenv("CF_SOURCE_DIR");
	char path[512], err[128];
	FILE *f;
	int upd, tmo;

	snprintf(path, sizeof(path), "%s/tests/histories/pass-timeout-update.history", dir ? dir : "..");
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (!f)
		return 1;
	CHECK_EQ(cf_history_read(f, &base, err, sizeof(err)), 0);
	fclose(f);
	upd = act_of(CF_REQ_TIMEOUT_UPDATE);
	tmo = act_of(CF_REQ_TIMEOUT);
	CHECK(upd >= 0 && tmo >= 0);
	if (upd < 0 || tmo < 0)
		return 1;

	h = base;
	CHECK(same_features(&base, &h));

	/* the update's own result: 0 -> -ENOENT */
	for (unsigned c = 0; c < h.ncqes; c++)
		if (h.cqes[c].user_data == 2 && h.cqes[c].res == 0)
			h.cqes[c].res = -2;
	CHECK(!same_features(&base, &h));

	/* the update's new duration: 1 ms -> 500 ms */
	h = base;
	h.acts[upd].a[CF_Q_SLOT] = (uint8_t)((h.acts[upd].a[CF_Q_SLOT] & ~0x38) | 6 << CF_T_UPD_TIME_SHIFT);
	CHECK(!same_features(&base, &h));

	/* the timeout's clock and count */
	h = base;
	h.acts[tmo].a[CF_Q_SLOT] |= CF_CLOCK_BOOT << CF_T_CLOCK_SHIFT;
	CHECK(!same_features(&base, &h));
	h = base;
	h.acts[tmo].a[CF_Q_FLAGS] |= 1 << CF_SQE_COUNT_SHIFT;
	CHECK(!same_features(&base, &h));

	/* the target alone is not a behaviour */
	h = base;
	h.acts[upd].a[CF_Q_SLOT] ^= 1;
	CHECK(same_features(&base, &h));
	TEST_EXIT();
}
