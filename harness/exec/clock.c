/* The exec folder's clock: monotonic time and short sleeps (clock.h). */
#include "clock.h"

#include <time.h>

long long cf_now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

long long cf_now_ms(void)
{
	return cf_now_ns() / 1000000;
}

void cf_pause_us(unsigned us)
{
	struct timespec ts = { us / 1000000, (long)(us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}

void cf_pause_briefly(void)
{
	cf_pause_us(CF_PAUSE_US);
}
