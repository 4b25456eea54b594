/* Description: the tries a race finding's replay prints (cf_race_tries):
 * enough to show it at least once in 95% of fresh replays when its rate
 * there is a tenth of the 95% lower bound of the rate measured after
 * minimizing (CF_RACE_DRIFT: bench_reproduce.py measured replays' rates
 * up to 8.6 times below that bound on a shared machine, and the bound
 * alone reached 88.5%). Exit 0 pass, 1 fail. */
#include "check.h"
#include "findings.h"

int main(void)
{
	CHECK_EQ(CF_RACE_DRIFT, 10);
	/* 20 of 20: lower bound 0.05^(1/20) = 0.861; p 0.0861, 0.9139^34 = 0.047 */
	CHECK_EQ(cf_race_tries(20, 20), 34u);
	/* 15 of 20: lower bound 0.544; p 0.0544, 0.9456^54 = 0.049 */
	CHECK_EQ(cf_race_tries(15, 20), 54u);
	/* 6 of 20: lower bound 0.140; p 0.0140, 0.986^214 = 0.0497 */
	CHECK_EQ(cf_race_tries(6, 20), 214u);
	/* 2 of 20: lower bound 0.0181; p 0.00181 needs 1654: the cap */
	CHECK_EQ(cf_race_tries(2, 20), CF_RACE_TRIES_MAX);
	CHECK_EQ(cf_race_tries(1, 20), CF_RACE_TRIES_MAX);
	CHECK_EQ(cf_race_tries(0, 20), CF_RACE_TRIES_MAX);
	CHECK_EQ(cf_race_tries(0, 0), CF_RACE_TRIES_MAX);
	CHECK_EQ(cf_race_tries(30, 20), 34u); /* hits beyond runs: as runs */
	TEST_EXIT();
}
