/* Description: the tries a race finding's replay prints (cf_race_tries):
 * enough to show it at least once in 95% of fresh replays when its rate
 * there is the 95% lower bound of the rate measured after minimizing
 * (bench_reproduce.py measured the point estimate falling short: 93%).
 * Exit 0 pass, 1 fail. */
#include "check.h"
#include "findings.h"

int main(void)
{
	/* 20 of 20: lower bound 0.05^(1/20) = 0.861, (0.139)^2 <= 0.05 */
	CHECK_EQ(cf_race_tries(20, 20), 2u);
	/* 15 of 20: lower bound 0.544, (0.456)^4 = 0.043 */
	CHECK_EQ(cf_race_tries(15, 20), 4u);
	/* 6 of 20: lower bound 0.140, (0.860)^20 = 0.049 */
	CHECK_EQ(cf_race_tries(6, 20), 20u);
	/* 1 of 20: lower bound 0.00256 */
	CHECK_EQ(cf_race_tries(1, 20), CF_RACE_TRIES_MAX);
	CHECK_EQ(cf_race_tries(0, 20), CF_RACE_TRIES_MAX);
	CHECK_EQ(cf_race_tries(0, 0), CF_RACE_TRIES_MAX);
	CHECK_EQ(cf_race_tries(30, 20), 2u); /* hits beyond runs: as runs */
	TEST_EXIT();
}
