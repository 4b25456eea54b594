/* The one clock of the exec folder: monotonic time for the bounded waits of
 * settling and teardown, and the short pause between two looks. */
#ifndef CF_CLOCK_H
#define CF_CLOCK_H

#define CF_PAUSE_US 50 /* a pause between two looks at the kernel's state */

/* CLOCK_MONOTONIC in nanoseconds and in milliseconds. */
long long cf_now_ns(void);
long long cf_now_ms(void);
/* Sleep about us microseconds; cf_pause_briefly() is cf_pause_us(CF_PAUSE_US). */
void cf_pause_us(unsigned us);
void cf_pause_briefly(void);

#endif
