/* The history's text form, read back strictly: versions 1 (io_uring) and 2
 * (the AIO families' lines are read in history_aio.c). */
#include "history.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "history_aio.h"
#include "hreader.h"

/* cov3 branch: an optional ring=1 (a request or CQE of the second ring);
 * absent means ring 0, and ring=0 is never written. */
static int read_ring(struct cf_hreader *rd, int from, uint8_t *ring)
{
	uint64_t v;

	*ring = 0;
	if (!cf_hr_field(rd, from, "ring"))
		return 0;
	if (cf_hr_need_u(rd, from, "ring", 1, &v) < 0)
		return -1;
	if (v != 1)
		return cf_hr_fail(rd, "%s is written only when it is 1", "ring=");
	*ring = 1;
	return 0;
}

static int read_req(struct cf_hreader *rd, struct cf_history *h)
{
	struct cf_req_rec *r;
	uint64_t id, v;
	unsigned u;
	const char *kind;

	if (rd->ntok < 2 || cf_hr_parse_u64(rd->tok[1], &id) < 0 || id != h->nreqs ||
	    h->nreqs >= CF_MAX_REQS)
		return cf_hr_fail(rd, "%s line out of sequence", "req");
	if (h->nacts == 0 || h->acts[h->nacts - 1].req != -1)
		return cf_hr_fail(rd, "%s line does not follow its act line", "req");
	r = &h->reqs[h->nreqs];
	memset(r, 0, sizeof(*r));
	r->sub_act = -1;
	if (cf_hr_need_u(rd, 2, "act", h->nacts - 1, &v) < 0)
		return -1;
	if (v != h->nacts - 1u)
		return cf_hr_fail(rd, "%s act= is not the act line above", "req");
	r->act = (uint16_t)v;
	if (cf_mode_family(h->mode) != CF_FAMILY_URING) {
		if (cf_history_read_family_req(rd, h, r) < 0)
			return -1;
		h->acts[h->nacts - 1].req = (int16_t)h->nreqs;
		h->nreqs++;
		return 0;
	}
	kind = cf_hr_field(rd, 2, "kind");
	if (kind && strcmp(kind, "cancel") == 0)
		r->req = CF_REQ_CANCEL;
	else if (cf_hr_need_name(rd, 2, "kind", cf_req_names, CF_REQ__COUNT, &u) < 0)
		return -1;
	else
		r->req = (uint8_t)u;
	if (cf_hr_need_name(rd, 2, "slot", cf_slot_names, CF_SLOT__COUNT, &u) < 0)
		return -1;
	r->slot = (uint8_t)u;
	if (cf_hr_need_u(rd, 2, "fixed", 1, &v) < 0) return -1;
	r->fixed = (uint8_t)v;
	if (cf_hr_need_u(rd, 2, "closed", 1, &v) < 0) return -1;
	r->slot_closed = (uint8_t)v;
	if (cf_hr_need_u(rd, 2, "ud", UINT64_MAX, &r->user_data) < 0) return -1;
	if (r->req == CF_REQ_CANCEL) {
		if (cf_hr_need_name(rd, 2, "api", cf_cancel_api_names, CF_CANCEL__COUNT, &u) < 0)
			return -1;
		r->api = (uint8_t)u;
		if (cf_hr_need_u(rd, 2, "key", UINT64_MAX, &r->key_ud) < 0) return -1;
		if (cf_hr_need_u(rd, 2, "cflags", UINT32_MAX, &v) < 0) return -1;
		r->cancel_flags = (uint32_t)v;
		if (cf_hr_need_name(rd, 2, "op", cf_req_names, CF_REQ__COUNT, &u) < 0) return -1;
		r->opreq = (uint8_t)u;
		if (cf_hr_need_u(rd, 2, "odd", CF_ODD__MASK, &v) < 0) return -1;
		r->odd = (uint8_t)v;
	} else {
		if (cf_hr_need_u(rd, 2, "sqeflags", CF_SQE__MASK, &v) < 0) return -1;
		r->sqe_flags = (uint8_t)v;
	}
	/* cov3 branch: ring=1 on a request of the second ring, absent otherwise */
	if (read_ring(rd, 2, &r->ring) < 0)
		return -1;
	h->acts[h->nacts - 1].req = (int16_t)h->nreqs;
	h->nreqs++;
	return 0;
}

static int read_act(struct cf_hreader *rd, struct cf_history *h)
{
	struct cf_act_rec *a;
	uint64_t idx, v;
	long long res;
	int k;

	if (rd->ntok < 3 || cf_hr_parse_u64(rd->tok[1], &idx) < 0 || idx != h->nacts ||
	    h->nacts >= CF_MAX_ACTS)
		return cf_hr_fail(rd, "%s line out of sequence", "act");
	a = &h->acts[h->nacts];
	memset(a, 0, sizeof(*a));
	a->req = -1;
	a->op_index = -1;
	k = cf_lookup(cf_op_names, CF_OP__COUNT, rd->tok[2]);
	if (k >= 0 && k != CF_OP_END) {
		const char *args = cf_hr_field(rd, 3, "args");
		int n = cf_op_nargs((unsigned)k);

		a->kind = CF_ACT_OP;
		a->op_kind = (uint8_t)k;
		if (cf_hr_need_u(rd, 3, "op", CF_MAX_OPS - 1, &v) < 0)
			return -1;
		a->op_index = (int16_t)v;
		if (!args)
			return cf_hr_fail(rd, "missing %s=", "args");
		for (int i = 0; i < n; i++) {
			char *end;
			unsigned long b = strtoul(args, &end, 10);

			if (end == args || b > 255 || (i + 1 < n ? *end != ',' : *end != '\0'))
				return cf_hr_fail(rd, "bad %s=", "args");
			a->a[i] = (uint8_t)b;
			args = end + (i + 1 < n);
		}
		if (n == 0 && strcmp(args, "-") != 0)
			return cf_hr_fail(rd, "bad %s=", "args");
	} else {
		k = cf_lookup(cf_act_kind_names, CF_ACT__COUNT, rd->tok[2]);
		if (k <= 0 || (k == CF_ACT_END_DESTROY && cf_mode_family(h->mode) != CF_FAMILY_AIO))
			return cf_hr_fail(rd, "unknown action '%s'", rd->tok[2]);
		a->kind = (uint8_t)k;
	}
	if (cf_hr_parse_i64(cf_hr_field(rd, 3, "res"), &res) < 0 || res < INT32_MIN || res > INT32_MAX)
		return cf_hr_fail(rd, "missing or bad %s=", "res");
	a->res = (int32_t)res;
	if (cf_hr_need_u(rd, 3, "ovf", 1, &v) < 0)
		return -1;
	a->overflow = (uint8_t)v;
	if (cf_hr_field(rd, 3, "unsettled")) {
		/* io_uring: only an end_drain that ran into the teardown's deadline */
		if ((cf_mode_family(h->mode) == CF_FAMILY_URING && a->kind != CF_ACT_END_DRAIN) ||
		    cf_hr_need_u(rd, 3, "unsettled", 1, &v) < 0)
			return cf_hr_fail(rd, "bad %s=", "unsettled");
		a->unsettled = (uint8_t)v;
	}
	if (rd->version == CF_HISTORY_VERSION_ACTORS && a->kind == CF_ACT_OP) {
		long long t;

		if (cf_hr_need_u(rd, 3, "actor", CF_ACTORS - 1, &v) < 0) return -1;
		a->actor = (uint8_t)v;
		if (cf_hr_need_u(rd, 3, "group", CF_GROUPS - 1, &v) < 0) return -1;
		a->group = (uint8_t)v;
		if (cf_hr_need_u(rd, 3, "at", 255, &v) < 0) return -1;
		a->at = (uint8_t)v;
		if (cf_hr_parse_i64(cf_hr_field(rd, 3, "t0"), &t) < 0)
			return cf_hr_fail(rd, "missing or bad %s=", "t0");
		a->t0 = t;
		if (cf_hr_parse_i64(cf_hr_field(rd, 3, "t1"), &t) < 0 || t < a->t0)
			return cf_hr_fail(rd, "missing or bad %s=", "t1");
		a->t1 = t;
	}
	h->nacts++;
	return 0;
}

static int read_cqe(struct cf_hreader *rd, struct cf_history *h)
{
	struct cf_cqe_rec *c;
	uint64_t v;
	long long res;

	if (cf_mode_family(h->mode) != CF_FAMILY_URING)
		return cf_hr_fail(rd, "'%s' line in a history of another family", "cqe");
	if (h->nacts == 0)
		return cf_hr_fail(rd, "%s line before any act line", "cqe");
	if (h->ncqes >= CF_MAX_CQES)
		return cf_hr_fail(rd, "more than the %s CQEs a history holds", "8192");
	c = &h->cqes[h->ncqes];
	memset(c, 0, sizeof(*c));
	c->req = -1;
	if (cf_hr_need_u(rd, 1, "act", UINT16_MAX, &v) < 0)
		return -1;
	if (v != h->nacts - 1u)
		return cf_hr_fail(rd, "%s act= is not the act line above", "cqe");
	c->act = (uint16_t)v;
	if (cf_hr_need_u(rd, 1, "ud", UINT64_MAX, &c->user_data) < 0) return -1;
	if (cf_hr_parse_i64(cf_hr_field(rd, 1, "res"), &res) < 0 || res < INT32_MIN || res > INT32_MAX)
		return cf_hr_fail(rd, "missing or bad %s=", "res");
	c->res = (int32_t)res;
	if (cf_hr_need_u(rd, 1, "flags", UINT32_MAX, &v) < 0) return -1;
	c->flags = (uint32_t)v;
	if (read_ring(rd, 1, &c->ring) < 0)
		return -1;
	h->ncqes++;
	return 0;
}

static int read_sub(struct cf_hreader *rd, struct cf_history *h)
{
	uint64_t id, v;

	if (rd->ntok < 3 || cf_hr_parse_u64(rd->tok[1], &id) < 0 || id >= h->nreqs)
		return cf_hr_fail(rd, "%s names an unknown request", "sub");
	if (h->reqs[id].sub_act >= 0)
		return cf_hr_fail(rd, "request submitted twice (%s)", "sub");
	if (cf_hr_need_u(rd, 2, "act", UINT16_MAX, &v) < 0)
		return -1;
	if (v != h->nacts - 1u)
		return cf_hr_fail(rd, "%s act= is not the act line above", "sub");
	h->reqs[id].sub_act = (int16_t)v;
	return 0;
}

/* "fault NAME fired=0" or "fault NAME fired=1 act=N": an injected fault. */
static int read_fault(struct cf_hreader *rd, struct cf_history *h)
{
	uint64_t fired, act;
	size_t len = rd->ntok >= 2 ? strlen(rd->tok[1]) : 0;

	if (len == 0 || len > CF_FAULT_NAME_MAX ||
	    strspn(rd->tok[1], "abcdefghijklmnopqrstuvwxyz0123456789-") != len)
		return cf_hr_fail(rd, "bad %s name", "fault");
	snprintf(h->fault, sizeof(h->fault), "%s", rd->tok[1]);
	if (cf_hr_need_u(rd, 2, "fired", 1, &fired) < 0)
		return -1;
	h->fault_act = -1;
	if (rd->ntok != 3 + (int)fired)
		return cf_hr_fail(rd, "bad %s line", "fault");
	if (fired) {
		if (cf_hr_need_u(rd, 2, "act", CF_MAX_ACTS - 1, &act) < 0)
			return -1;
		h->fault_act = (int16_t)act;
	}
	return 0;
}

static int read_header(struct cf_hreader *rd, struct cf_history *h, unsigned n)
{
	uint64_t v;
	unsigned u;
	const char *p;

	switch (n) {
	case 0:
		if (rd->ntok != 2 || strcmp(rd->tok[0], "cancelfuzz-history") != 0)
			return cf_hr_fail(rd, "not a cancelfuzz history (%s)", "expected 'cancelfuzz-history 1'");
		if (strcmp(rd->tok[1], "1") != 0 && strcmp(rd->tok[1], "2") != 0 &&
		    strcmp(rd->tok[1], "3") != 0)
			return cf_hr_fail(rd, "unsupported history version %s", rd->tok[1]);
		rd->version = rd->tok[1][0] - '0';
		return 0;
	case 1:
		if (rd->ntok != 2 || strcmp(rd->tok[0], "kernel") != 0)
			return cf_hr_fail(rd, "expected %s line", "kernel");
		snprintf(h->kernel, sizeof(h->kernel), "%s", rd->tok[1]);
		return 0;
	case 2:
		if (rd->version == CF_HISTORY_VERSION ||
		    (rd->version == CF_HISTORY_VERSION_ACTORS && rd->ntok &&
		     (strcmp(rd->tok[0], "aio") == 0 || strcmp(rd->tok[0], "posix") == 0)))
			return cf_history_read_family_header(rd, h); /* aio or posix; version 3: with actors */
		if (strcmp(rd->tok[0], "ring") != 0)
			return cf_hr_fail(rd, "expected %s line", "ring");
		if (cf_hr_need_name(rd, 1, "mode", cf_mode_names, CF_MODE__COUNT, &u) < 0) return -1;
		if (cf_mode_family(u) != CF_FAMILY_URING)
			return cf_hr_fail(rd, "mode %s needs history version 2", cf_mode_name(u));
		h->mode = (uint8_t)u;
		if (cf_hr_need_u(rd, 1, "entries", 32, &v) < 0) return -1;
		if (cf_entries_from_code(cf_entries_code((unsigned)v)) != v)
			return cf_hr_fail(rd, "bad %s=", "entries");
		h->entries = (uint8_t)v;
		if (cf_hr_need_u(rd, 1, "sq", UINT32_MAX, &v) < 0) return -1;
		h->sq_entries = (uint32_t)v;
		if (cf_hr_need_u(rd, 1, "cq", UINT32_MAX, &v) < 0) return -1;
		h->cq_entries = (uint32_t)v;
		if (cf_hr_need_u(rd, 1, "features", UINT32_MAX, &v) < 0) return -1;
		h->ring_features = (uint32_t)v;
		return 0;
	case 3:
		if (strcmp(rd->tok[0], "supports") != 0)
			return cf_hr_fail(rd, "expected %s line", "supports");
		if (cf_hr_need_u(rd, 1, "cflags", UINT32_MAX, &v) < 0) return -1;
		h->cancel_flags_supported = (uint32_t)v;
		if (cf_hr_need_u(rd, 1, "futex", 1, &v) < 0) return -1;
		h->has_futex = (uint8_t)v;
		if (cf_hr_need_u(rd, 1, "waitid", 1, &v) < 0) return -1;
		h->has_waitid = (uint8_t)v;
		if (cf_hr_field(rd, 1, "iowq") && cf_hr_need_u(rd, 1, "iowq", 0xff, &v) < 0) return -1;
		h->iowq_files = cf_hr_field(rd, 1, "iowq") ? (uint8_t)v : 0;
		return 0;
	case 4:
		if (strcmp(rd->tok[0], "program") != 0 || rd->ntok != 2)
			return cf_hr_fail(rd, "expected %s line", "program");
		p = rd->tok[1];
		if (strcmp(p, "-") == 0)
			return 0; /* empty program */
		if (strlen(p) % 2 || strlen(p) / 2 > sizeof(h->program) ||
		    strspn(p, "0123456789abcdef") != strlen(p))
			return cf_hr_fail(rd, "bad %s hex", "program");
		for (size_t i = 0; p[2 * i]; i++) {
			char pair[3] = { p[2 * i], p[2 * i + 1], 0 };
			h->program[i] = (uint8_t)strtoul(pair, NULL, 16);
			h->program_len = (uint16_t)(i + 1);
		}
		/* Versions 1 and 2 hold format-2 bytes: insert the actors byte. */
		if (rd->version != CF_HISTORY_VERSION_ACTORS && h->program_len >= 2) {
			if (h->program_len >= sizeof(h->program))
				return cf_hr_fail(rd, "bad %s hex", "program");
			memmove(h->program + 3, h->program + 2, h->program_len - 2u);
			h->program[2] = 0;
			h->program_len++;
		}
		return 0;
	}
	return -1;
}

int cf_history_read(FILE *in, struct cf_history *h, char *err, size_t errlen)
{
	struct cf_hreader rd = { .err = err, .errlen = errlen };
	char line[2048];
	unsigned header = 0, fault_line = 0;
	int ended = 0, have_reset = 0, ret;

	memset(h, 0, offsetof(struct cf_history, reqs));
	while (fgets(line, sizeof(line), in)) {
		size_t len = strlen(line);

		rd.line++;
		if (len && line[len - 1] != '\n' && !feof(in))
			return cf_hr_fail(&rd, "line longer than %s bytes", "2047");
		if (len && line[len - 1] != '\n')
			return cf_hr_fail(&rd, "%s: last line has no newline", "truncated");
		ret = cf_hr_tokenize(&rd, line);
		if (ret < 0)
			return -1;
		if (ret == 0)
			continue;
		if (ended)
			return cf_hr_fail(&rd, "text after the %s line", "end");
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
			return cf_hr_fail(&rd, "%s line must directly follow the program line", "fault");
		} else if (strcmp(rd.tok[0], "act") == 0) {
			if (have_reset)
				return cf_hr_fail(&rd, "%s after reset", "act");
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
				return cf_hr_fail(&rd, "second %s line", "reset");
			if (rd.ntok != 2 || cf_hr_parse_u64(rd.tok[1], &v) < 0 || v > 1)
				return cf_hr_fail(&rd, "bad %s line", "reset");
			h->ring_reset = (uint8_t)v;
			have_reset = 1;
		} else if (strcmp(rd.tok[0], "cqes_lost") == 0) {
			if (rd.ntok != 2 || strcmp(rd.tok[1], "1") != 0)
				return cf_hr_fail(&rd, "bad %s line", "cqes_lost");
			h->cqes_lost = 1;
		} else if (strcmp(rd.tok[0], "end") == 0) {
			if (rd.ntok != 1)
				return cf_hr_fail(&rd, "bad %s line", "end");
			if (!have_reset)
				return cf_hr_fail(&rd, "%s before the reset line", "end");
			ended = 1;
		} else {
			return cf_hr_fail(&rd, "unknown line '%s'", rd.tok[0]);
		}
	}
	if (ferror(in)) {
		snprintf(err, errlen, "read error: %s", strerror(errno));
		return -1;
	}
	if (!ended) {
		rd.line++;
		return cf_hr_fail(&rd, "%s: no 'end' line", header < 5 ? "incomplete header" : "truncated");
	}
	if (h->fault[0] && h->fault_act >= (int)h->nacts) {
		snprintf(err, errlen, "line %u: fault act=%d names no act (the history has %u)",
			 fault_line, h->fault_act, h->nacts);
		return -1;
	}
	return 0;
}
