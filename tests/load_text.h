/* Tests: a program from text in the test itself (cf_text_parse, as a .cfp
 * file would be read). 0, or -1 after printing why. */
#ifndef CF_TEST_LOAD_TEXT_H
#define CF_TEST_LOAD_TEXT_H

#include <stdio.h>
#include <string.h>

#include "text.h"

static int load(const char *text, struct cf_program *p)
{
	char err[256];

	if (cf_text_parse(text, strlen(text), "t.cfp", p, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

#endif
