/* The model of POSIX AIO cancelation (mode posix). */
#include <string.h>

#include "judge.h"

void cf_posix_oracle_check(const struct cf_history *h, enum cf_spec spec, struct cf_judgement *j)
{
	(void)h;
	(void)spec;
	memset(j, 0, sizeof(*j));
	cf_judge_verdict(j);
}
