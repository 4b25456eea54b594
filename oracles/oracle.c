/* cf_oracle_check: hands a history to the oracle of its family. */
#include "oracle.h"

#include "families.h"
#include "race.h"

void cf_oracle_check(const struct cf_history *h, enum cf_spec spec, struct cf_judgement *j)
{
	switch (cf_mode_family(h->mode)) {
	default: cf_race_judge(h, spec, j, NULL); return; /* every family: race groups */
	}
}
