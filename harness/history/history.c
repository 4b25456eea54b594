/* History text format, versions 1 (io_uring) and 2 (AIO families): writer
 * and strict reader. The AIO families' own lines are in history_aio.c. */
#include "history.h"
#include "history_reader.h"

#include <errno.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *const act_kind_names[CF_ACT__COUNT] = {
	"op", "end_submit", "end_cancel", "end_drain", "end_destroy",
};

const char *cf_act_kind_name(unsigned kind)
{
	return kind < CF_ACT__COUNT ? act_kind_names[kind] : "?";
}

static const char *req_kind_name(unsigned req)
{
	return req == CF_REQ_CANCEL ? "cancel" : cf_req_name(req);
}

int cf_history_version(const struct cf_history *h)
{
	return cf_mode_family(h->mode) == CF_FAMILY_URING ? CF_HISTORY_VERSION_URING
							  : CF_HISTORY_VERSION;
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
	fputc('\n', out);
}

unsigned cf_history_begin_act(struct cf_history *h, unsigned kind, int op_index)
{
	struct cf_act_rec *a = &h->acts[h->nacts];

	memset(a, 0, sizeof(*a));
	a->kind = (uint8_t)kind;
	a->op_index = (int16_t)op_index;
	a->req = -1;
	return h->nacts++;
}

unsigned cf_history_begin_op(struct cf_history *h, unsigned i, const struct cf_op *op)
{
	unsigned act = cf_history_begin_act(h, CF_ACT_OP, (int)i);

	h->acts[act].op_kind = op->kind;
	memcpy(h->acts[act].a, op->a, sizeof(op->a));
	return act;
}

struct cf_req_rec *cf_history_new_req(struct cf_history *h, unsigned act, unsigned req)
{
	struct cf_req_rec *r = &h->reqs[h->nreqs];

	memset(r, 0, sizeof(*r));
	r->req = (uint8_t)req;
	r->act = (uint16_t)act;
	r->sub_act = -1;
	r->target = -1;
	r->fd_id = -1;
	h->acts[act].req = (int16_t)h->nreqs;
	h->nreqs++;
	return r;
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
	fputs("program ", out);
	for (unsigned i = 0; i < h->program_len; i++)
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
		fprintf(out, " res=%d ovf=%u%s\n", act->res, act->overflow,
			act->unsettled ? " unsettled=1" : "");
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
			fprintf(out, "cqe act=%u ud=0x%" PRIx64 " res=%d flags=0x%x\n",
				a, h->cqes[c].user_data, h->cqes[c].res, h->cqes[c].flags);
		}
	}
	fprintf(out, "reset %u\n", h->ring_reset);
	if (h->cqes_lost)
		fputs("cqes_lost 1\n", out);
	fputs("end\n", out);
	return ferror(out) ? -EIO : 0;
}

/* ---- reader ---- */

#define reader cf_hreader /* history_reader.h */

static int fail(struct reader *rd, const char *fmt, const char *what)
{
	char msg[200];

	snprintf(msg, sizeof(msg), fmt, what);
	snprintf(rd->err, rd->errlen, "line %u: %s", rd->line, msg);
	return -1;
}

/* Value of key=... among the tokens from index `from`, or NULL. */
static const char *field(struct reader *rd, int from, const char *key)
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

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || (*s == '0' && s[1] && number_base(s) == 10))
		return -1;
	errno = 0;
	*v = strtoull(s, &end, number_base(s));
	return (errno || *end) ? -1 : 0;
}

static int parse_i64(const char *s, long long *v)
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

static int need_u(struct reader *rd, int from, const char *key, uint64_t max, uint64_t *v)
{
	if (parse_u64(field(rd, from, key), v) < 0 || *v > max)
		return fail(rd, "missing or bad %s=", key);
	return 0;
}

static int need_name(struct reader *rd, int from, const char *key,
		     const char *const *names, unsigned count, unsigned *v)
{
	const char *s = field(rd, from, key);
	int i = s ? cf_lookup(names, count, s) : -1;

	if (i < 0)
		return fail(rd, "missing or unknown %s=", key);
	*v = (unsigned)i;
	return 0;
}

static int read_req(struct reader *rd, struct cf_history *h)
{
	struct cf_req_rec *r;
	uint64_t id, v;
	unsigned u;
	const char *kind;

	if (rd->ntok < 2 || parse_u64(rd->tok[1], &id) < 0 || id != h->nreqs ||
	    h->nreqs >= CF_MAX_REQS)
		return fail(rd, "%s line out of sequence", "req");
	if (h->nacts == 0 || h->acts[h->nacts - 1].req != -1)
		return fail(rd, "%s line does not follow its act line", "req");
	r = &h->reqs[h->nreqs];
	memset(r, 0, sizeof(*r));
	r->sub_act = -1;
	if (need_u(rd, 2, "act", h->nacts - 1, &v) < 0)
		return -1;
	if (v != h->nacts - 1u)
		return fail(rd, "%s act= is not the act line above", "req");
	r->act = (uint16_t)v;
	if (cf_mode_family(h->mode) != CF_FAMILY_URING) {
		if (cf_history_read_family_req(rd, h, r) < 0)
			return -1;
		h->acts[h->nacts - 1].req = (int16_t)h->nreqs;
		h->nreqs++;
		return 0;
	}
	kind = field(rd, 2, "kind");
	if (kind && strcmp(kind, "cancel") == 0)
		r->req = CF_REQ_CANCEL;
	else if (need_name(rd, 2, "kind", cf_req_names, CF_REQ__COUNT, &u) < 0)
		return -1;
	else
		r->req = (uint8_t)u;
	if (need_name(rd, 2, "slot", cf_slot_names, CF_SLOT__COUNT, &u) < 0)
		return -1;
	r->slot = (uint8_t)u;
	if (need_u(rd, 2, "fixed", 1, &v) < 0) return -1;
	r->fixed = (uint8_t)v;
	if (need_u(rd, 2, "closed", 1, &v) < 0) return -1;
	r->slot_closed = (uint8_t)v;
	if (need_u(rd, 2, "ud", UINT64_MAX, &r->user_data) < 0) return -1;
	if (r->req == CF_REQ_CANCEL) {
		if (need_name(rd, 2, "api", cf_cancel_api_names, CF_CANCEL__COUNT, &u) < 0)
			return -1;
		r->api = (uint8_t)u;
		if (need_u(rd, 2, "key", UINT64_MAX, &r->key_ud) < 0) return -1;
		if (need_u(rd, 2, "cflags", UINT32_MAX, &v) < 0) return -1;
		r->cancel_flags = (uint32_t)v;
		if (need_name(rd, 2, "op", cf_req_names, CF_REQ__COUNT, &u) < 0) return -1;
		r->opreq = (uint8_t)u;
		if (need_u(rd, 2, "odd", CF_ODD__MASK, &v) < 0) return -1;
		r->odd = (uint8_t)v;
	} else {
		if (need_u(rd, 2, "sqeflags", CF_SQE__MASK, &v) < 0) return -1;
		r->sqe_flags = (uint8_t)v;
	}
	h->acts[h->nacts - 1].req = (int16_t)h->nreqs;
	h->nreqs++;
	return 0;
}

static int read_act(struct reader *rd, struct cf_history *h)
{
	struct cf_act_rec *a;
	uint64_t idx, v;
	long long res;
	int k;

	if (rd->ntok < 3 || parse_u64(rd->tok[1], &idx) < 0 || idx != h->nacts ||
	    h->nacts >= CF_MAX_ACTS)
		return fail(rd, "%s line out of sequence", "act");
	a = &h->acts[h->nacts];
	memset(a, 0, sizeof(*a));
	a->req = -1;
	a->op_index = -1;
	k = cf_lookup(cf_op_names, CF_OP__COUNT, rd->tok[2]);
	if (k >= 0 && k != CF_OP_END) {
		const char *args = field(rd, 3, "args");
		int n = cf_op_nargs((unsigned)k);

		a->kind = CF_ACT_OP;
		a->op_kind = (uint8_t)k;
		if (need_u(rd, 3, "op", CF_MAX_OPS - 1, &v) < 0)
			return -1;
		a->op_index = (int16_t)v;
		if (!args)
			return fail(rd, "missing %s=", "args");
		for (int i = 0; i < n; i++) {
			char *end;
			unsigned long b = strtoul(args, &end, 10);

			if (end == args || b > 255 || (i + 1 < n ? *end != ',' : *end != '\0'))
				return fail(rd, "bad %s=", "args");
			a->a[i] = (uint8_t)b;
			args = end + (i + 1 < n);
		}
		if (n == 0 && strcmp(args, "-") != 0)
			return fail(rd, "bad %s=", "args");
	} else {
		k = cf_lookup(act_kind_names, CF_ACT__COUNT, rd->tok[2]);
		if (k <= 0 || (k == CF_ACT_END_DESTROY && cf_mode_family(h->mode) != CF_FAMILY_AIO))
			return fail(rd, "unknown action '%s'", rd->tok[2]);
		a->kind = (uint8_t)k;
	}
	if (parse_i64(field(rd, 3, "res"), &res) < 0 || res < INT32_MIN || res > INT32_MAX)
		return fail(rd, "missing or bad %s=", "res");
	a->res = (int32_t)res;
	if (need_u(rd, 3, "ovf", 1, &v) < 0)
		return -1;
	a->overflow = (uint8_t)v;
	if (field(rd, 3, "unsettled")) {
		if (cf_mode_family(h->mode) == CF_FAMILY_URING || need_u(rd, 3, "unsettled", 1, &v) < 0)
			return fail(rd, "bad %s=", "unsettled");
		a->unsettled = (uint8_t)v;
	}
	h->nacts++;
	return 0;
}

static int read_cqe(struct reader *rd, struct cf_history *h)
{
	struct cf_cqe_rec *c;
	uint64_t v;
	long long res;

	if (cf_mode_family(h->mode) != CF_FAMILY_URING)
		return fail(rd, "'%s' line in a history of another family", "cqe");
	if (h->nacts == 0)
		return fail(rd, "%s line before any act line", "cqe");
	if (h->ncqes >= CF_MAX_CQES)
		return fail(rd, "more than the %s CQEs a history holds", "8192");
	c = &h->cqes[h->ncqes];
	memset(c, 0, sizeof(*c));
	c->req = -1;
	if (need_u(rd, 1, "act", UINT16_MAX, &v) < 0)
		return -1;
	if (v != h->nacts - 1u)
		return fail(rd, "%s act= is not the act line above", "cqe");
	c->act = (uint16_t)v;
	if (need_u(rd, 1, "ud", UINT64_MAX, &c->user_data) < 0) return -1;
	if (parse_i64(field(rd, 1, "res"), &res) < 0 || res < INT32_MIN || res > INT32_MAX)
		return fail(rd, "missing or bad %s=", "res");
	c->res = (int32_t)res;
	if (need_u(rd, 1, "flags", UINT32_MAX, &v) < 0) return -1;
	c->flags = (uint32_t)v;
	h->ncqes++;
	return 0;
}

static int read_sub(struct reader *rd, struct cf_history *h)
{
	uint64_t id, v;

	if (rd->ntok < 3 || parse_u64(rd->tok[1], &id) < 0 || id >= h->nreqs)
		return fail(rd, "%s names an unknown request", "sub");
	if (h->reqs[id].sub_act >= 0)
		return fail(rd, "request submitted twice (%s)", "sub");
	if (need_u(rd, 2, "act", UINT16_MAX, &v) < 0)
		return -1;
	if (v != h->nacts - 1u)
		return fail(rd, "%s act= is not the act line above", "sub");
	h->reqs[id].sub_act = (int16_t)v;
	return 0;
}

/* "fault NAME fired=0" or "fault NAME fired=1 act=N": an injected fault. */
static int read_fault(struct reader *rd, struct cf_history *h)
{
	uint64_t fired, act;
	size_t len = rd->ntok >= 2 ? strlen(rd->tok[1]) : 0;

	if (len == 0 || len > CF_FAULT_NAME_MAX ||
	    strspn(rd->tok[1], "abcdefghijklmnopqrstuvwxyz0123456789-") != len)
		return fail(rd, "bad %s name", "fault");
	snprintf(h->fault, sizeof(h->fault), "%s", rd->tok[1]);
	if (need_u(rd, 2, "fired", 1, &fired) < 0)
		return -1;
	h->fault_act = -1;
	if (rd->ntok != 3 + (int)fired)
		return fail(rd, "bad %s line", "fault");
	if (fired) {
		if (need_u(rd, 2, "act", CF_MAX_ACTS - 1, &act) < 0)
			return -1;
		h->fault_act = (int16_t)act;
	}
	return 0;
}

static int read_header(struct reader *rd, struct cf_history *h, unsigned n)
{
	uint64_t v;
	unsigned u;
	const char *p;

	switch (n) {
	case 0:
		if (rd->ntok != 2 || strcmp(rd->tok[0], "cancelfuzz-history") != 0)
			return fail(rd, "not a cancelfuzz history (%s)", "expected 'cancelfuzz-history 1'");
		if (strcmp(rd->tok[1], "1") != 0 && strcmp(rd->tok[1], "2") != 0)
			return fail(rd, "unsupported history version %s", rd->tok[1]);
		rd->version = rd->tok[1][0] - '0';
		return 0;
	case 1:
		if (rd->ntok != 2 || strcmp(rd->tok[0], "kernel") != 0)
			return fail(rd, "expected %s line", "kernel");
		snprintf(h->kernel, sizeof(h->kernel), "%s", rd->tok[1]);
		return 0;
	case 2:
		if (rd->version == CF_HISTORY_VERSION)
			return cf_history_read_family_header(rd, h); /* aio or posix */
		if (strcmp(rd->tok[0], "ring") != 0)
			return fail(rd, "expected %s line", "ring");
		if (need_name(rd, 1, "mode", cf_mode_names, CF_MODE__COUNT, &u) < 0) return -1;
		if (cf_mode_family(u) != CF_FAMILY_URING)
			return fail(rd, "mode %s needs history version 2", cf_mode_name(u));
		h->mode = (uint8_t)u;
		if (need_u(rd, 1, "entries", 32, &v) < 0) return -1;
		if (cf_entries_from_code(cf_entries_code((unsigned)v)) != v)
			return fail(rd, "bad %s=", "entries");
		h->entries = (uint8_t)v;
		if (need_u(rd, 1, "sq", UINT32_MAX, &v) < 0) return -1;
		h->sq_entries = (uint32_t)v;
		if (need_u(rd, 1, "cq", UINT32_MAX, &v) < 0) return -1;
		h->cq_entries = (uint32_t)v;
		if (need_u(rd, 1, "features", UINT32_MAX, &v) < 0) return -1;
		h->ring_features = (uint32_t)v;
		return 0;
	case 3:
		if (strcmp(rd->tok[0], "supports") != 0)
			return fail(rd, "expected %s line", "supports");
		if (need_u(rd, 1, "cflags", UINT32_MAX, &v) < 0) return -1;
		h->cancel_flags_supported = (uint32_t)v;
		if (need_u(rd, 1, "futex", 1, &v) < 0) return -1;
		h->has_futex = (uint8_t)v;
		if (need_u(rd, 1, "waitid", 1, &v) < 0) return -1;
		h->has_waitid = (uint8_t)v;
		if (field(rd, 1, "iowq") && need_u(rd, 1, "iowq", 0xff, &v) < 0) return -1;
		h->iowq_files = field(rd, 1, "iowq") ? (uint8_t)v : 0;
		return 0;
	case 4:
		if (strcmp(rd->tok[0], "program") != 0 || rd->ntok != 2)
			return fail(rd, "expected %s line", "program");
		p = rd->tok[1];
		if (strcmp(p, "-") == 0)
			return 0; /* empty program */
		if (strlen(p) % 2 || strlen(p) / 2 > sizeof(h->program) ||
		    strspn(p, "0123456789abcdef") != strlen(p))
			return fail(rd, "bad %s hex", "program");
		for (size_t i = 0; p[2 * i]; i++) {
			char pair[3] = { p[2 * i], p[2 * i + 1], 0 };
			h->program[i] = (uint8_t)strtoul(pair, NULL, 16);
			h->program_len = (uint16_t)(i + 1);
		}
		return 0;
	}
	return -1;
}

int cf_history_read(FILE *in, struct cf_history *h, char *err, size_t errlen)
{
	struct reader rd = { .err = err, .errlen = errlen };
	char line[1024];
	unsigned header = 0, fault_line = 0;
	int ended = 0, have_reset = 0, ret;

	memset(h, 0, offsetof(struct cf_history, reqs));
	while (fgets(line, sizeof(line), in)) {
		char *save = NULL, *t;
		size_t len = strlen(line);

		rd.line++;
		if (len && line[len - 1] != '\n' && !feof(in))
			return fail(&rd, "line longer than %s bytes", "1023");
		if (len && line[len - 1] != '\n')
			return fail(&rd, "%s: last line has no newline", "truncated");
		t = strchr(line, '#');
		if (t)
			*t = '\0';
		rd.ntok = 0;
		for (t = strtok_r(line, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
			if (rd.ntok == CF_HR_MAX_TOKENS)
				return fail(&rd, "too many fields (%s)", "limit 24");
			rd.tok[rd.ntok++] = t;
		}
		if (rd.ntok == 0)
			continue;
		if (ended)
			return fail(&rd, "text after the %s line", "end");
		if (header < 5) {
			if (header == 3 && cf_mode_family(h->mode) != CF_FAMILY_URING)
				header = 4; /* the AIO families have no supports line */
			if (read_header(&rd, h, header++) < 0)
				return -1;
			continue;
		}
		if (header == 5 && strcmp(rd.tok[0], "fault") == 0) {
			if (read_fault(&rd, h) < 0)
				return -1;
			fault_line = rd.line;
			header++;
			continue;
		}
		header = 6; /* past the one place a fault line may stand */
		if (strcmp(rd.tok[0], "fault") == 0) {
			return fail(&rd, "%s line must directly follow the program line", "fault");
		} else if (strcmp(rd.tok[0], "act") == 0) {
			if (have_reset)
				return fail(&rd, "%s after reset", "act");
			if (read_act(&rd, h) < 0) return -1;
		} else if (strcmp(rd.tok[0], "req") == 0) {
			if (read_req(&rd, h) < 0) return -1;
		} else if (strcmp(rd.tok[0], "sub") == 0) {
			if (read_sub(&rd, h) < 0) return -1;
		} else if (strcmp(rd.tok[0], "cqe") == 0) {
			if (read_cqe(&rd, h) < 0) return -1;
		} else if (cf_mode_family(h->mode) != CF_FAMILY_URING &&
			   (ret = cf_history_read_event(&rd, h)) <= 0) {
			if (ret < 0) return -1;
		} else if (strcmp(rd.tok[0], "reset") == 0) {
			uint64_t v;
			if (have_reset)
				return fail(&rd, "second %s line", "reset");
			if (rd.ntok != 2 || parse_u64(rd.tok[1], &v) < 0 || v > 1)
				return fail(&rd, "bad %s line", "reset");
			h->ring_reset = (uint8_t)v;
			have_reset = 1;
		} else if (strcmp(rd.tok[0], "cqes_lost") == 0) {
			if (rd.ntok != 2 || strcmp(rd.tok[1], "1") != 0)
				return fail(&rd, "bad %s line", "cqes_lost");
			h->cqes_lost = 1;
		} else if (strcmp(rd.tok[0], "end") == 0) {
			if (rd.ntok != 1)
				return fail(&rd, "bad %s line", "end");
			if (!have_reset)
				return fail(&rd, "%s before the reset line", "end");
			ended = 1;
		} else {
			return fail(&rd, "unknown line '%s'", rd.tok[0]);
		}
	}
	if (ferror(in)) {
		snprintf(err, errlen, "read error: %s", strerror(errno));
		return -1;
	}
	if (!ended) {
		rd.line++;
		return fail(&rd, "%s: no 'end' line", header < 5 ? "incomplete header" : "truncated");
	}
	if (h->fault[0] && h->fault_act >= (int)h->nacts) {
		snprintf(err, errlen, "line %u: fault act=%d names no act (the history has %u)",
			 fault_line, h->fault_act, h->nacts);
		return -1;
	}
	return 0;
}

/* ---- shared with history_aio.c (history_reader.h) ---- */

int cf_hr_fail(struct cf_hreader *rd, const char *fmt, const char *what)
{
	return fail(rd, fmt, what);
}

const char *cf_hr_field(struct cf_hreader *rd, int from, const char *key)
{
	return field(rd, from, key);
}

int cf_hr_need_u(struct cf_hreader *rd, int from, const char *key, uint64_t max, uint64_t *v)
{
	return need_u(rd, from, key, max, v);
}

int cf_hr_need_i(struct cf_hreader *rd, int from, const char *key, long long min,
		 long long max, long long *v)
{
	if (parse_i64(field(rd, from, key), v) < 0 || *v < min || *v > max)
		return fail(rd, "missing or bad %s=", key);
	return 0;
}

int cf_hr_need_name(struct cf_hreader *rd, int from, const char *key,
		    const char *const *names, unsigned count, unsigned *v)
{
	return need_name(rd, from, key, names, count, v);
}
