/* The skeleton of the AIO families' oracles (family.h): starting a
 * judgement, attributing events to accepted requests, counting them. */
#include "family.h"

#include <string.h>

void family_start(struct family *f, const struct cf_history *h, enum cf_spec spec,
		  struct cf_judgement *j)
{
	memset(j, 0, sizeof(*j));
	memset(f, 0, sizeof(*f));
	f->h = h;
	f->spec = spec;
	f->j = j;
	j->h = h;
	for (unsigned i = 0; i < CF_MAX_REQS; i++)
		f->first[i] = -1;
	for (unsigned a = 0; a < h->nacts; a++)
		f->unsettled |= h->acts[a].unsettled;
}

int family_submitted(const struct cf_req_rec *r)
{
	return r->req != CF_REQ_CANCEL && r->sub_act >= 0;
}

int family_event_owner(const struct family *f, const struct cf_cqe_rec *e)
{
	if (e->req < 0 || e->req >= (int)f->h->nreqs)
		return FAMILY_NO_REQUEST;
	if (!family_submitted(family_req(f, e->req)) || e->act < family_req(f, e->req)->sub_act)
		return FAMILY_NOT_ACCEPTED;
	return e->req;
}

void family_count_event(struct family *f, int i, unsigned e)
{
	if (f->first[i] < 0)
		f->first[i] = (int16_t)e;
	if (f->count[i] < 255)
		f->count[i]++;
}
