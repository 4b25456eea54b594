/* The history's text form, written: versions 1 (io_uring) and 2 (the AIO
 * families, whose own lines are in history_aio.c); docs/history-format.md. */
#include "history.h"

#include <errno.h>
#include <inttypes.h>

#include "history_aio.h"

static const char *req_kind_name(unsigned req)
{
	return req == CF_REQ_CANCEL ? "cancel" : cf_req_name(req);
}

static void write_req(const struct cf_history *h, unsigned id, FILE *out)
{
	const struct cf_req_rec *r = &h->reqs[id];

	if (cf_mode_family(h->mode) != CF_FAMILY_URING) {
		cf_history_write_family_req(h, id, out);
		return;
	}
	fprintf(out, "req %u act=%u kind=%s slot=%s fixed=%u closed=%u ud=0x%" PRIx64,
		id, r->act, req_kind_name(r->req), cf_slot_name(r->slot), r->fixed,
		r->slot_closed, r->user_data);
	if (r->req == CF_REQ_CANCEL)
		fprintf(out, " api=%s key=0x%" PRIx64 " cflags=0x%x op=%s odd=0x%x",
			cf_cancel_api_name(r->api), r->key_ud, r->cancel_flags,
			cf_req_name(r->opreq), r->odd);
	else
		fprintf(out, " sqeflags=0x%x", r->sqe_flags);
	if (r->ring)
		fputs(" ring=1", out);
	fputc('\n', out);
}

int cf_history_write(const struct cf_history *h, FILE *out)
{
	unsigned c = 0;

	int uring = cf_mode_family(h->mode) == CF_FAMILY_URING;

	fprintf(out, "cancelfuzz-history %d\n", cf_history_version(h));
	fprintf(out, "kernel %s\n", h->kernel[0] ? h->kernel : "unknown");
	if (uring) {
		fprintf(out, "ring mode=%s entries=%u sq=%u cq=%u features=0x%x\n",
			cf_mode_name(h->mode), h->entries, h->sq_entries, h->cq_entries,
			h->ring_features);
		fprintf(out, "supports cflags=0x%x futex=%u waitid=%u",
			h->cancel_flags_supported, h->has_futex, h->has_waitid);
		/* Only where it is not 0, so that 6.18's histories read as before. */
		if (h->iowq_files)
			fprintf(out, " iowq=0x%x", h->iowq_files);
		fputc('\n', out);
	} else {
		cf_history_write_family_header(h, out);
	}
	int v3 = cf_history_version(h) == CF_HISTORY_VERSION_ACTORS;

	fputs("program ", out);
	for (unsigned i = 0; i < h->program_len; i++)
		if (v3 || i != 2) /* versions 1, 2: format-2 bytes, no actors byte */
			fprintf(out, "%02x", h->program[i]);
	if (h->program_len == 0)
		fputc('-', out);
	fputc('\n', out);
	if (h->fault[0]) {
		fprintf(out, "fault %s fired=%d", h->fault, h->fault_act >= 0);
		if (h->fault_act >= 0)
			fprintf(out, " act=%d", h->fault_act);
		fputc('\n', out);
	}
	for (unsigned a = 0; a < h->nacts; a++) {
		const struct cf_act_rec *act = &h->acts[a];

		fprintf(out, "act %u %s", a, act->kind == CF_ACT_OP ? cf_op_name(act->op_kind)
								 : cf_act_kind_name(act->kind));
		if (act->kind == CF_ACT_OP) {
			fprintf(out, " op=%d args=", act->op_index);
			for (int i = 0; i < cf_op_nargs(act->op_kind); i++)
				fprintf(out, "%s%u", i ? "," : "", act->a[i]);
			if (cf_op_nargs(act->op_kind) == 0)
				fputc('-', out);
		}
		fprintf(out, " res=%d ovf=%u%s", act->res, act->overflow,
			act->unsettled ? " unsettled=1" : "");
		if (v3 && act->kind == CF_ACT_OP)
			fprintf(out, " actor=%u group=%u at=%u t0=%lld t1=%lld", act->actor,
				act->group, act->at, (long long)act->t0, (long long)act->t1);
		fputc('\n', out);
		if (act->req >= 0)
			write_req(h, (unsigned)act->req, out);
		for (unsigned i = 0; i < h->nreqs; i++)
			if (h->reqs[i].sub_act == (int)a)
				fprintf(out, "sub %u act=%u\n", i, a);
		for (; c < h->ncqes && h->cqes[c].act == a; c++) {
			if (!uring) {
				cf_history_write_event(h, &h->cqes[c], out);
				continue;
			}
			fprintf(out, "cqe act=%u ud=0x%" PRIx64 " res=%d flags=0x%x%s\n",
				a, h->cqes[c].user_data, h->cqes[c].res, h->cqes[c].flags,
				h->cqes[c].ring ? " ring=1" : "");
		}
	}
	fprintf(out, "reset %u\n", h->ring_reset);
	if (h->cqes_lost)
		fputs("cqes_lost 1\n", out);
	fputs("end\n", out);
	return ferror(out) ? -EIO : 0;
}
