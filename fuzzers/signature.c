/* A finding's signature, the name findings are deduplicated by, and the
 * hash that names its files. */
#include "signature.h"

#include <stdio.h>
#include <string.h>

uint64_t cf_hash64(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

int cf_word_in(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

static const char *family_name(unsigned mode)
{
	switch (cf_mode_family(mode)) {
	case CF_FAMILY_AIO: return "aio";
	case CF_FAMILY_POSIX: return "posix";
	default: return "uring";
	}
}

/* The root cause of finding f: an injected fault, its family's oracle,
 * invariant and tag. */
static void root_cause(const struct cf_history *h, const struct cf_finding *f, char *out,
		       size_t len)
{
	snprintf(out, len, "%s%s%s%s+%s%s%s", h->fault[0] ? "fault:" : "", h->fault,
		 h->fault[0] ? "+" : "", family_name(h->mode), cf_invariant_name(f->invariant),
		 f->tag ? ":" : "", f->tag ? f->tag : "");
}

void cf_finding_signature(const struct cf_history *h, const struct cf_judgement *j,
			  char *sig, size_t len)
{
	/* An injected fault leads the name: never deduplicated against, or
	 * mistaken for, a real finding. */
	sig[0] = '\0';
	for (unsigned i = 0; i < j->nfindings; i++)
		if (!j->f[i].divergence) {
			root_cause(h, &j->f[i], sig, len);
			return;
		}
}

void cf_finding_also(const struct cf_history *h, const struct cf_judgement *j, char *also,
		     size_t len)
{
	char first[256], one[256];
	size_t used = 0;
	int seen_first = 0;

	also[0] = '\0';
	first[0] = '\0';
	for (unsigned i = 0; i < j->nfindings; i++) {
		if (j->f[i].divergence)
			continue;
		root_cause(h, &j->f[i], one, sizeof(one));
		if (!seen_first) {
			snprintf(first, sizeof(first), "%s", one);
			seen_first = 1;
			continue;
		}
		if (strcmp(one, first) == 0 || cf_word_in(also, one))
			continue;
		if (used + strlen(one) + 2 < len)
			used += (size_t)snprintf(also + used, len - used, "%s%s", used ? " " : "", one);
	}
}
