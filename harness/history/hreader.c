/* The strict history reader's lexer: one line into tokens, key=value
 * fields, numbers and names, and "line N: what" errors. */
#include "hreader.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cf_hr_tokenize(struct cf_hreader *rd, char *line)
{
	char *save = NULL, *t = strchr(line, '#');

	if (t)
		*t = '\0';
	rd->ntok = 0;
	for (t = strtok_r(line, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
		if (rd->ntok == CF_HR_MAX_TOKENS)
			return cf_hr_fail(rd, "too many fields (%s)", "limit 24");
		rd->tok[rd->ntok++] = t;
	}
	return rd->ntok;
}

int cf_hr_fail(struct cf_hreader *rd, const char *fmt, const char *what)
{
	char msg[200];

	snprintf(msg, sizeof(msg), fmt, what);
	snprintf(rd->err, rd->errlen, "line %u: %s", rd->line, msg);
	return -1;
}

const char *cf_hr_field(struct cf_hreader *rd, int from, const char *key)
{
	size_t k = strlen(key);

	for (int i = from; i < rd->ntok; i++)
		if (strncmp(rd->tok[i], key, k) == 0 && rd->tok[i][k] == '=')
			return rd->tok[i] + k + 1;
	return NULL;
}

/* Decimal, or hex with 0x; no octal, no sign. */
static int number_base(const char *s)
{
	return (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10;
}

int cf_hr_parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || (*s == '0' && s[1] && number_base(s) == 10))
		return -1;
	errno = 0;
	*v = strtoull(s, &end, number_base(s));
	return (errno || *end) ? -1 : 0;
}

int cf_hr_parse_i64(const char *s, long long *v)
{
	char *end;

	const char *digits;

	if (!s || !*s || *s == '+')
		return -1;
	digits = *s == '-' ? s + 1 : s;
	if (*digits == '0' && digits[1] && number_base(digits) == 10)
		return -1;
	errno = 0;
	*v = strtoll(s, &end, number_base(digits));
	return (errno || *end) ? -1 : 0;
}

int cf_hr_need_u(struct cf_hreader *rd, int from, const char *key, uint64_t max, uint64_t *v)
{
	if (cf_hr_parse_u64(cf_hr_field(rd, from, key), v) < 0 || *v > max)
		return cf_hr_fail(rd, "missing or bad %s=", key);
	return 0;
}

int cf_hr_need_name(struct cf_hreader *rd, int from, const char *key,
		     const char *const *names, unsigned count, unsigned *v)
{
	const char *s = cf_hr_field(rd, from, key);
	int i = s ? cf_lookup(names, count, s) : -1;

	if (i < 0)
		return cf_hr_fail(rd, "missing or unknown %s=", key);
	*v = (unsigned)i;
	return 0;
}

int cf_hr_need_i(struct cf_hreader *rd, int from, const char *key, long long min,
		 long long max, long long *v)
{
	if (cf_hr_parse_i64(cf_hr_field(rd, from, key), v) < 0 || *v < min || *v > max)
		return cf_hr_fail(rd, "missing or bad %s=", key);
	return 0;
}
