/* The median of a benchmark's samples (sorts them in place). */
#ifndef CF_BENCH_MEDIAN_H
#define CF_BENCH_MEDIAN_H

#include <stdlib.h>

static int cf_by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static inline double cf_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(v[0]), cf_by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif
