/* Description: history text format. Hand-built histories are written with
 * cf_history_write, compared with the exact expected text, read back with
 * cf_history_read field by field and written again byte for byte; malformed
 * texts each give their exact "line N: ..." error. No io_uring. */
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "history.h"
#include "program.h"

static struct cf_history h1, h2; /* large: keep them off the stack */

static char *write_history(const struct cf_history *h, size_t *len)
{
	char *buf = NULL;
	FILE *mem = open_memstream(&buf, len);

	if (!mem)
		return NULL;
	CHECK_EQ(cf_history_write(h, mem), 0);
	CHECK_EQ(fclose(mem), 0);
	return buf;
}

/* Read text; returns cf_history_read's result, err holds its message. */
static int read_history(const char *text, size_t len, struct cf_history *h, char *err, size_t errlen)
{
	FILE *in = fmemopen((void *)text, len, "r");
	int rc;

	err[0] = '\0';
	if (!in) {
		snprintf(err, errlen, "fmemopen failed");
		return -2;
	}
	rc = cf_history_read(in, h, err, errlen);
	fclose(in);
	return rc;
}

/* ---- field by field ---- */

#define SAME(field) CHECK_EQ(a->field, b->field)

static void compare_history(const struct cf_history *a, const struct cf_history *b)
{
	CHECK_STR(a->kernel, b->kernel);
	SAME(mode);
	SAME(entries);
	SAME(sq_entries);
	SAME(cq_entries);
	SAME(ring_features);
	SAME(cancel_flags_supported);
	SAME(has_futex);
	SAME(has_waitid);
	SAME(ring_reset);
	SAME(cqes_lost);
	SAME(program_len);
	CHECK_STR(a->fault, b->fault);
	if (a->fault[0])
		SAME(fault_act);
	SAME(nreqs);
	SAME(nacts);
	SAME(ncqes);
	CHECK(a->program_len == b->program_len &&
	      memcmp(a->program, b->program, a->program_len) == 0);
	for (unsigned i = 0; i < a->nreqs && i < b->nreqs; i++) {
		SAME(reqs[i].req);
		SAME(reqs[i].slot);
		SAME(reqs[i].fixed);
		SAME(reqs[i].sqe_flags);
		SAME(reqs[i].api);
		SAME(reqs[i].opreq);
		SAME(reqs[i].odd);
		SAME(reqs[i].slot_closed);
		SAME(reqs[i].cancel_flags);
		SAME(reqs[i].act);
		SAME(reqs[i].sub_act);
		CHECK(a->reqs[i].user_data == b->reqs[i].user_data);
		CHECK(a->reqs[i].key_ud == b->reqs[i].key_ud);
	}
	for (unsigned i = 0; i < a->nacts && i < b->nacts; i++) {
		SAME(acts[i].kind);
		SAME(acts[i].op_kind);
		SAME(acts[i].overflow);
		for (int k = 0; k < CF_OP_ARGS; k++)
			SAME(acts[i].a[k]);
		SAME(acts[i].op_index);
		SAME(acts[i].req);
		SAME(acts[i].res);
	}
	for (unsigned i = 0; i < a->ncqes && i < b->ncqes; i++) {
		CHECK(a->cqes[i].user_data == b->cqes[i].user_data);
		SAME(cqes[i].res);
		SAME(cqes[i].flags);
		SAME(cqes[i].act);
	}
}

/* Write h, maybe compare with the expected text, read back, compare, write again. */
static void round_trip(const char *name, const struct cf_history *h, const char *expected)
{
	static struct cf_history back;
	char err[512], *text, *text2;
	size_t len = 0, len2 = 0;
	int rc, before = cf_failures;

	text = write_history(h, &len);
	CHECK(text != NULL);
	if (!text)
		return;
	CHECK_EQ(strlen(text), len);
	if (expected)
		CHECK_STR(text, expected);
	memset(&back, 0x5a, sizeof(back));
	rc = read_history(text, len, &back, err, sizeof(err));
	if (rc != 0)
		fprintf(stderr, "%s: reading the written history failed: %s\n", name, err);
	CHECK_EQ(rc, 0);
	if (rc == 0) {
		compare_history(h, &back);
		text2 = write_history(&back, &len2);
		CHECK(text2 && len2 == len && memcmp(text, text2, len) == 0);
		free(text2);
	}
	if (cf_failures != before)
		fprintf(stderr, "  (in round trip '%s')\n", name);
	free(text);
}

/* ---- hand-built histories ---- */

static unsigned add_act(struct cf_history *h, unsigned kind, int op_index, unsigned op_kind,
			const uint8_t *args, int32_t res)
{
	struct cf_act_rec *a = &h->acts[h->nacts];

	memset(a, 0, sizeof(*a));
	a->kind = (uint8_t)kind;
	a->op_index = (int16_t)op_index;
	a->req = -1;
	a->res = res;
	if (kind == CF_ACT_OP) {
		a->op_kind = (uint8_t)op_kind;
		memcpy(a->a, args, (size_t)cf_op_nargs(op_kind));
	}
	return h->nacts++;
}

static struct cf_req_rec *add_req(struct cf_history *h, unsigned act, unsigned req, unsigned slot,
				  uint64_t ud)
{
	struct cf_req_rec *r = &h->reqs[h->nreqs];

	memset(r, 0, sizeof(*r));
	r->req = (uint8_t)req;
	r->slot = (uint8_t)slot;
	r->act = (uint16_t)act;
	r->sub_act = -1;
	r->user_data = ud;
	h->acts[act].req = (int16_t)h->nreqs++;
	return r;
}

static void add_cqe(struct cf_history *h, unsigned act, uint64_t ud, int32_t res, uint32_t flags)
{
	struct cf_cqe_rec *c = &h->cqes[h->ncqes++];

	c->act = (uint16_t)act;
	c->user_data = ud;
	c->res = res;
	c->flags = flags;
}

static struct cf_req_rec *add_cancel(struct cf_history *h, unsigned act, unsigned api, unsigned slot,
				     uint64_t ud, uint64_t key, uint32_t cflags, unsigned opreq,
				     unsigned odd)
{
	struct cf_req_rec *r = add_req(h, act, CF_REQ_CANCEL, slot, ud);

	r->api = (uint8_t)api;
	r->key_ud = key;
	r->cancel_flags = cflags;
	r->opreq = (uint8_t)opreq;
	r->odd = (uint8_t)odd;
	return r;
}

static void set_header(struct cf_history *h, const char *kernel, unsigned mode, unsigned entries)
{
	memset(h, 0, offsetof(struct cf_history, reqs));
	snprintf(h->kernel, sizeof(h->kernel), "%s", kernel);
	h->mode = (uint8_t)mode;
	h->entries = (uint8_t)entries;
	h->sq_entries = entries;
	h->cq_entries = 2 * entries;
}

/* The program H1 records (its bytes are in the history, not interpreted). */
static const struct cf_op h1_ops[] = {
	{ CF_OP_QUEUE, { CF_REQ_READ, CF_SLOT_PIPE0_R, 0, CF_SQE_LINK | CF_SQE_ASYNC } },
	{ CF_OP_WAIT, { CF_WAIT_SUBMIT, 0 } },
	{ CF_OP_CANCEL, { CF_CANCEL_SQE64, 0x10, 0, CF_SLOT_PIPE0_R, CF_REQ_NOP, 0x21 } },
	{ CF_OP_WAIT, { CF_WAIT_SUBMIT_N, 2 } },
	{ CF_OP_CLOSE, { CF_SLOT_FILE } },
	{ CF_OP_COMPLETE, { CF_DO_WRITE, CF_SLOT_PIPE1_W, 200 } },
	{ CF_OP_QUEUE, { CF_REQ_POLL_MULTI, CF_SLOT_SOCK0_A, 7, CF_SQE_FIXED } },
	{ CF_OP_WAIT, { CF_WAIT_REAP, 0 } },
	{ CF_OP_END, { 0 } },
};

static void build_h1(struct cf_history *h)
{
	struct cf_program prog;
	struct cf_req_rec *r;
	unsigned a;

	set_header(h, "6.18.0-test", CF_MODE_DEFER, 16);
	h->ring_features = 0x1fff;
	h->cancel_flags_supported = 0x3f;
	h->has_futex = 1;
	h->has_waitid = 0;
	memset(&prog, 0, sizeof(prog));
	prog.mode = CF_MODE_DEFER;
	prog.entries = 16;
	prog.nops = (uint8_t)(sizeof(h1_ops) / sizeof(h1_ops[0]));
	memcpy(prog.ops, h1_ops, sizeof(h1_ops));
	h->program_len = (uint16_t)cf_encode(&prog, h->program, sizeof(h->program));

	a = add_act(h, CF_ACT_OP, 0, CF_OP_QUEUE, h1_ops[0].a, 0);
	r = add_req(h, a, CF_REQ_READ, CF_SLOT_PIPE0_R, 1);
	r->sqe_flags = CF_SQE_LINK | CF_SQE_ASYNC;
	a = add_act(h, CF_ACT_OP, 1, CF_OP_WAIT, h1_ops[1].a, 1);
	h->reqs[0].sub_act = (int16_t)a;
	a = add_act(h, CF_ACT_OP, 2, CF_OP_CANCEL, h1_ops[2].a, 0);
	add_cancel(h, a, CF_CANCEL_SQE64, CF_SLOT_PIPE0_R, CF_UD_CANCEL_BASE | 2, 1, 0x10,
		   CF_REQ_NOP, 0x21);
	a = add_act(h, CF_ACT_OP, 3, CF_OP_WAIT, h1_ops[3].a, 1);
	h->reqs[1].sub_act = (int16_t)a;
	add_cqe(h, a, CF_UD_CANCEL_BASE | 2, 0, 0);
	add_cqe(h, a, 1, -125, 0);
	add_act(h, CF_ACT_OP, 4, CF_OP_CLOSE, h1_ops[4].a, 0);
	a = add_act(h, CF_ACT_OP, 5, CF_OP_COMPLETE, h1_ops[5].a, -32);
	h->acts[a].overflow = 1;
	a = add_act(h, CF_ACT_OP, 6, CF_OP_QUEUE, h1_ops[6].a, 0);
	r = add_req(h, a, CF_REQ_POLL_MULTI, CF_SLOT_SOCK0_A, UINT64_MAX);
	r->fixed = 1;
	r->slot_closed = 1;
	r->sqe_flags = CF_SQE_FIXED;
	a = add_act(h, CF_ACT_OP, 7, CF_OP_WAIT, h1_ops[7].a, 2);
	h->reqs[2].sub_act = (int16_t)a;
	add_cqe(h, a, UINT64_MAX, 1, CF_CQE_F_MORE);
	/* Teardown: submit, two cancel+drain rounds. */
	add_act(h, CF_ACT_END_SUBMIT, -1, 0, NULL, 0);
	a = add_act(h, CF_ACT_END_CANCEL, -1, 0, NULL, 0);
	add_cancel(h, a, CF_CANCEL_SYNC, 0, 0, 0, 0x5, 0, 0);
	add_cqe(h, a, UINT64_MAX, 2, CF_CQE_F_MORE);
	a = add_act(h, CF_ACT_END_DRAIN, -1, 0, NULL, 1);
	add_cqe(h, a, 0, INT32_MIN, 0xffffffffu);
	a = add_act(h, CF_ACT_END_CANCEL, -1, 0, NULL, 1);
	add_cancel(h, a, CF_CANCEL_SYNC, 0, 0, 0, 0x5, 0, 0);
	add_cqe(h, a, UINT64_MAX, -125, 0);
	a = add_act(h, CF_ACT_END_DRAIN, -1, 0, NULL, 0);
	add_cqe(h, a, 42, INT32_MAX, 0);
	h->ring_reset = 1;
}

static const char h1_text[] =
	"cancelfuzz-history 1\n"
	"kernel 6.18.0-test\n"
	"ring mode=defer entries=16 sq=16 cq=32 features=0x1fff\n"
	"supports cflags=0x3f futex=1 waitid=0\n"
	"program 020200010000050a000004001000000021" "0a01020d0c070003c800050407100a03000f\n"
	"act 0 queue op=0 args=1,0,0,5 res=0 ovf=0\n"
	"req 0 act=0 kind=read slot=pipe0.r fixed=0 closed=0 ud=0x1 sqeflags=0x5\n"
	"act 1 wait op=1 args=0,0 res=1 ovf=0\n"
	"sub 0 act=1\n"
	"act 2 cancel op=2 args=0,16,0,0,0,33 res=0 ovf=0\n"
	"req 1 act=2 kind=cancel slot=pipe0.r fixed=0 closed=0 ud=0xcf00000000000002 api=sqe64 key=0x1 cflags=0x10 op=nop odd=0x21\n"
	"act 3 wait op=3 args=1,2 res=1 ovf=0\n"
	"sub 1 act=3\n"
	"cqe act=3 ud=0xcf00000000000002 res=0 flags=0x0\n"
	"cqe act=3 ud=0x1 res=-125 flags=0x0\n"
	"act 4 close op=4 args=12 res=0 ovf=0\n"
	"act 5 complete op=5 args=0,3,200 res=-32 ovf=1\n"
	"act 6 queue op=6 args=5,4,7,16 res=0 ovf=0\n"
	"req 2 act=6 kind=poll_multi slot=sock0.a fixed=1 closed=1 ud=0xffffffffffffffff sqeflags=0x10\n"
	"act 7 wait op=7 args=3,0 res=2 ovf=0\n"
	"sub 2 act=7\n"
	"cqe act=7 ud=0xffffffffffffffff res=1 flags=0x2\n"
	"act 8 end_submit res=0 ovf=0\n"
	"act 9 end_cancel res=0 ovf=0\n"
	"req 3 act=9 kind=cancel slot=pipe0.r fixed=0 closed=0 ud=0x0 api=sync key=0x0 cflags=0x5 op=nop odd=0x0\n"
	"cqe act=9 ud=0xffffffffffffffff res=2 flags=0x2\n"
	"act 10 end_drain res=1 ovf=0\n"
	"cqe act=10 ud=0x0 res=-2147483648 flags=0xffffffff\n"
	"act 11 end_cancel res=1 ovf=0\n"
	"req 4 act=11 kind=cancel slot=pipe0.r fixed=0 closed=0 ud=0x0 api=sync key=0x0 cflags=0x5 op=nop odd=0x0\n"
	"cqe act=11 ud=0xffffffffffffffff res=-125 flags=0x0\n"
	"act 12 end_drain res=0 ovf=0\n"
	"cqe act=12 ud=0x2a res=2147483647 flags=0x0\n"
	"reset 1\n"
	"end\n";

/* Every table at its limit: 64 cancel ops, 16 teardown rounds, 8192 CQEs. */
static void build_full(struct cf_history *h)
{
	struct cf_program prog;
	unsigned a;

	set_header(h, "a-kernel-release-string-of-exactly-sixty-four-characters-0123456", CF_MODE_SQPOLL, 32);
	h->ring_features = 0xffffffffu;
	h->cancel_flags_supported = 0xffffffffu;
	h->has_futex = 1;
	h->has_waitid = 1;
	memset(&prog, 0, sizeof(prog));
	prog.mode = CF_MODE_SQPOLL;
	prog.entries = 32;
	prog.nops = CF_MAX_OPS;
	for (unsigned i = 0; i < CF_MAX_OPS; i++) {
		uint8_t *x = prog.ops[i].a;

		prog.ops[i].kind = CF_OP_CANCEL;
		x[CF_C_API] = (uint8_t)(i % CF_CANCEL__COUNT);
		x[CF_C_FLAGS] = (uint8_t)(i * 37);
		x[CF_C_UD] = (uint8_t)(i % CF_UD_POOL);
		x[CF_C_SLOT] = (uint8_t)(i % CF_SLOT__COUNT);
		x[CF_C_OPREQ] = (uint8_t)(i % CF_REQ__COUNT);
		x[CF_C_ODD] = (uint8_t)(i % (CF_ODD__MASK + 1));
	}
	h->program_len = (uint16_t)cf_encode(&prog, h->program, sizeof(h->program));
	CHECK_EQ(h->program_len, CF_HEADER_BYTES + CF_MAX_OPS * 7); /* no groups: 7 bytes an op */
	for (unsigned i = 0; i < CF_MAX_OPS; i++) {
		const uint8_t *x = prog.ops[i].a;
		struct cf_req_rec *r;

		a = add_act(h, CF_ACT_OP, (int)i, CF_OP_CANCEL, x, -(int32_t)i);
		r = add_cancel(h, a, x[CF_C_API], x[CF_C_SLOT], CF_UD_CANCEL_BASE | i,
			       cf_ud_value(x[CF_C_UD]), x[CF_C_FLAGS], x[CF_C_OPREQ], x[CF_C_ODD]);
		r->fixed = (uint8_t)(i & 1);
		r->slot_closed = (uint8_t)((i >> 1) & 1);
		if (i % 3)
			r->sub_act = (int16_t)a;
		h->acts[a].overflow = (uint8_t)(i % 5 == 0);
	}
	add_act(h, CF_ACT_END_SUBMIT, -1, 0, NULL, -16);
	for (unsigned round = 0; round < CF_TEARDOWN_ROUNDS; round++) {
		a = add_act(h, CF_ACT_END_CANCEL, -1, 0, NULL, (int32_t)round);
		add_cancel(h, a, CF_CANCEL_SYNC, 0, 0, 0, 0x5, 0, 0);
		add_act(h, CF_ACT_END_DRAIN, -1, 0, NULL, (int32_t)(CF_TEARDOWN_ROUNDS - round));
	}
	CHECK_EQ(h->nacts, CF_MAX_ACTS);
	CHECK_EQ(h->nreqs, CF_MAX_REQS);
	/* CQEs spread over the acts in order, as the recorder sees them. */
	for (unsigned i = 0; i < CF_MAX_CQES; i++)
		add_cqe(h, i * h->nacts / CF_MAX_CQES, (uint64_t)i * 0x9e3779b97f4a7c15ull,
			(int32_t)(i * 2654435761u), i * 7u);
	h->ring_reset = 0;
	h->cqes_lost = 1;
}

/* ---- malformed texts ---- */

/* A small valid history; the malformed ones are edits of it. */
static const char base[] =
	"cancelfuzz-history 1\n"                                               /* 1 */
	"kernel 6.18.0-test\n"                                                 /* 2 */
	"ring mode=default entries=8 sq=8 cq=16 features=0x3ffff\n"            /* 3 */
	"supports cflags=0x3f futex=1 waitid=1\n"                              /* 4 */
	"program 000101000000000f\n"                                           /* 5 */
	"act 0 queue op=0 args=1,0,0,0 res=0 ovf=0\n"                          /* 6 */
	"req 0 act=0 kind=read slot=pipe0.r fixed=0 closed=0 ud=0x1 sqeflags=0x0\n" /* 7 */
	"act 1 end_submit res=1 ovf=0\n"                                       /* 8 */
	"sub 0 act=1\n"                                                        /* 9 */
	"act 2 end_cancel res=1 ovf=0\n"                                       /* 10 */
	"req 1 act=2 kind=cancel slot=pipe0.r fixed=0 closed=0 ud=0x0 api=sync key=0x0 cflags=0x5 op=nop odd=0x0\n" /* 11 */
	"cqe act=2 ud=0x1 res=-125 flags=0x0\n"                                /* 12 */
	"act 3 end_drain res=0 ovf=0\n"                                        /* 13 */
	"reset 1\n"                                                            /* 14 */
	"end\n";                                                               /* 15 */

enum edit { REPLACE, DELETE, INSERT };

/* base with line `n` (1-based) replaced, deleted, or with text inserted before it
 * (n = 16 appends). Text must end in a newline if it is to be a whole line. */
static char *edited(enum edit how, unsigned n, const char *text)
{
	size_t cap = sizeof(base) + (text ? strlen(text) : 0) + 1, used = 0;
	char *out = malloc(cap);
	const char *p = base;

	for (unsigned line = 1; *p || line == n; line++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);

		if (line == n && text && how != DELETE) {
			memcpy(out + used, text, strlen(text));
			used += strlen(text);
		}
		if (!(line == n && how != INSERT)) {
			memcpy(out + used, p, len);
			used += len;
		}
		p += len;
		if (!*p && line >= n)
			break;
	}
	out[used] = '\0';
	return out;
}

static void expect_error_len(const char *name, const char *text, size_t len, const char *want)
{
	static struct cf_history h;
	char err[512];
	int rc = read_history(text, len, &h, err, sizeof(err));

	if (rc != -1 || strcmp(err, want) != 0) {
		fprintf(stderr, "malformed history '%s':\n  want -1 \"%s\"\n  got %d \"%s\"\n",
			name, want, rc, rc == 0 ? "(accepted)" : err);
		cf_failures++;
	}
}

static void expect_error(const char *name, const char *text, const char *want)
{
	expect_error_len(name, text, strlen(text), want);
}

static void expect_edit(const char *name, enum edit how, unsigned n, const char *text,
			const char *want)
{
	char *t = edited(how, n, text);

	expect_error(name, t, want);
	free(t);
}

static void expect_ok(const char *name, const char *text)
{
	static struct cf_history h;
	char err[512];
	int rc = read_history(text, strlen(text), &h, err, sizeof(err));

	if (rc != 0) {
		fprintf(stderr, "history '%s' should be accepted: %s\n", name, err);
		cf_failures++;
	}
}

static void test_malformed(void)
{
	char *t, big[2400];

	expect_ok("base", base);
	/* The editor itself. */
	t = edited(DELETE, 16, NULL);
	CHECK_STR(t, base);
	free(t);

	/* Truncation. */
	expect_edit("no end line", DELETE, 15, NULL, "line 15: truncated: no 'end' line");
	expect_error_len("end without newline", base, sizeof(base) - 2,
			 "line 15: truncated: last line has no newline");
	expect_error_len("cut inside a cqe line", base, (size_t)(strstr(base, "cqe act=2") - base) + 12,
			 "line 12: truncated: last line has no newline");
	expect_error_len("cut after a whole line", base, (size_t)(strstr(base, "act 3") - base),
			 "line 13: truncated: no 'end' line");
	expect_error("empty", "", "line 1: incomplete header: no 'end' line");
	expect_error_len("header only", base, (size_t)(strstr(base, "supports") - base),
			 "line 4: incomplete header: no 'end' line");
	expect_error("comments only", "# nothing\n\n", "line 3: incomplete header: no 'end' line");

	/* Header. */
	expect_edit("bad magic", REPLACE, 1, "cancelfuzz-hist 1\n",
		    "line 1: not a cancelfuzz history (expected 'cancelfuzz-history 1')");
	expect_edit("magic without version", REPLACE, 1, "cancelfuzz-history\n",
		    "line 1: not a cancelfuzz history (expected 'cancelfuzz-history 1')");
	expect_edit("bad version", REPLACE, 1, "cancelfuzz-history 4\n",
		    "line 1: unsupported history version 4");
	expect_edit("missing kernel line", DELETE, 2, NULL, "line 2: expected kernel line");
	expect_edit("missing ring line", DELETE, 3, NULL, "line 3: expected ring line");
	expect_edit("missing supports line", DELETE, 4, NULL, "line 4: expected supports line");
	expect_edit("missing program line", DELETE, 5, NULL, "line 5: expected program line");
	expect_edit("header lines swapped", INSERT, 2, "ring mode=default entries=8 sq=8 cq=16 features=0\n",
		    "line 2: expected kernel line");
	expect_edit("unknown mode", REPLACE, 3, "ring mode=frob entries=8 sq=8 cq=16 features=0\n",
		    "line 3: missing or unknown mode=");
	expect_edit("bad entries", REPLACE, 3, "ring mode=default entries=5 sq=8 cq=16 features=0\n",
		    "line 3: bad entries=");
	expect_edit("entries too big", REPLACE, 3, "ring mode=default entries=64 sq=8 cq=16 features=0\n",
		    "line 3: missing or bad entries=");
	expect_edit("missing features", REPLACE, 3, "ring mode=default entries=8 sq=8 cq=16\n",
		    "line 3: missing or bad features=");
	expect_edit("futex=2", REPLACE, 4, "supports cflags=0x3f futex=2 waitid=1\n",
		    "line 4: missing or bad futex=");
	expect_edit("bad hex program", REPLACE, 5, "program zz01\n", "line 5: bad program hex");
	expect_edit("odd-length hex program", REPLACE, 5, "program 000\n", "line 5: bad program hex");
	/* BUG (reported): sscanf("%2x") takes "0g" as 0x0, "-1" as 0xff, "+f" as 0xf. */
	expect_edit("half-hex program byte", REPLACE, 5, "program 0001000g\n", "line 5: bad program hex");
	expect_edit("signed hex program byte", REPLACE, 5, "program 0001-1\n", "line 5: bad program hex");
	memset(big, 0, sizeof(big));
	strcpy(big, "program ");
	memset(big + 8, 'a', 2 * (sizeof(h1.program) + 1));
	strcat(big, "\n");
	expect_edit("program too long", REPLACE, 5, big, "line 5: bad program hex");

	/* Acts. */
	expect_edit("act out of sequence", REPLACE, 8, "act 2 end_submit res=1 ovf=0\n",
		    "line 8: act line out of sequence");
	expect_edit("act index repeated", REPLACE, 8, "act 0 end_submit res=1 ovf=0\n",
		    "line 8: act line out of sequence");
	expect_edit("unknown action", REPLACE, 8, "act 1 frob res=1 ovf=0\n",
		    "line 8: unknown action 'frob'");
	expect_edit("end is no action", REPLACE, 8, "act 1 end res=1 ovf=0\n",
		    "line 8: unknown action 'end'");
	expect_edit("act res too big", REPLACE, 8, "act 1 end_submit res=2147483648 ovf=0\n",
		    "line 8: missing or bad res=");
	expect_edit("act res too small", REPLACE, 8, "act 1 end_submit res=-2147483649 ovf=0\n",
		    "line 8: missing or bad res=");
	expect_edit("act without res", REPLACE, 8, "act 1 end_submit ovf=0\n",
		    "line 8: missing or bad res=");
	expect_edit("ovf=2", REPLACE, 8, "act 1 end_submit res=1 ovf=2\n",
		    "line 8: missing or bad ovf=");
	expect_edit("missing args", REPLACE, 6, "act 0 queue op=0 res=0 ovf=0\n",
		    "line 6: missing args=");
	expect_edit("too few args", REPLACE, 6, "act 0 queue op=0 args=1,0,0 res=0 ovf=0\n",
		    "line 6: bad args=");
	expect_edit("too many args", REPLACE, 6, "act 0 queue op=0 args=1,0,0,0,0 res=0 ovf=0\n",
		    "line 6: bad args=");
	expect_edit("arg above 255", REPLACE, 6, "act 0 queue op=0 args=1,0,0,256 res=0 ovf=0\n",
		    "line 6: bad args=");
	expect_edit("op index above 63", REPLACE, 6, "act 0 queue op=64 args=1,0,0,0 res=0 ovf=0\n",
		    "line 6: missing or bad op=");

	/* Requests. */
	expect_edit("req out of sequence", REPLACE, 7,
		    "req 3 act=0 kind=read slot=pipe0.r fixed=0 closed=0 ud=0x1 sqeflags=0x0\n",
		    "line 7: req line out of sequence");
	expect_edit("second req for one act", INSERT, 8,
		    "req 1 act=0 kind=read slot=pipe0.r fixed=0 closed=0 ud=0x1 sqeflags=0x0\n",
		    "line 8: req line does not follow its act line");
	expect_edit("req before any act", INSERT, 6,
		    "req 0 act=0 kind=read slot=pipe0.r fixed=0 closed=0 ud=0x1 sqeflags=0x0\n",
		    "line 6: req line does not follow its act line");
	expect_edit("req act= not the act above", REPLACE, 11,
		    "req 1 act=1 kind=cancel slot=pipe0.r fixed=0 closed=0 ud=0x0 api=sync key=0x0 cflags=0x5 op=nop odd=0x0\n",
		    "line 11: req act= is not the act line above");
	expect_edit("unknown req kind", REPLACE, 7,
		    "req 0 act=0 kind=frob slot=pipe0.r fixed=0 closed=0 ud=0x1 sqeflags=0x0\n",
		    "line 7: missing or unknown kind=");
	expect_edit("unknown slot", REPLACE, 7,
		    "req 0 act=0 kind=read slot=pipe9 fixed=0 closed=0 ud=0x1 sqeflags=0x0\n",
		    "line 7: missing or unknown slot=");
	expect_edit("sqeflags out of range", REPLACE, 7,
		    "req 0 act=0 kind=read slot=pipe0.r fixed=0 closed=0 ud=0x1 sqeflags=0x40\n",
		    "line 7: missing or bad sqeflags=");
	expect_edit("negative ud", REPLACE, 7,
		    "req 0 act=0 kind=read slot=pipe0.r fixed=0 closed=0 ud=-1 sqeflags=0x0\n",
		    "line 7: missing or bad ud=");
	expect_edit("cancel odd out of range", REPLACE, 11,
		    "req 1 act=2 kind=cancel slot=pipe0.r fixed=0 closed=0 ud=0x0 api=sync key=0x0 cflags=0x5 op=nop odd=0x80\n",
		    "line 11: missing or bad odd=");
	expect_edit("cancel without api", REPLACE, 11,
		    "req 1 act=2 kind=cancel slot=pipe0.r fixed=0 closed=0 ud=0x0 key=0x0 cflags=0x5 op=nop odd=0x0\n",
		    "line 11: missing or unknown api=");

	/* Submissions. */
	expect_edit("sub for unknown request", REPLACE, 9, "sub 5 act=1\n",
		    "line 9: sub names an unknown request");
	expect_edit("sub for a later request", REPLACE, 9, "sub 1 act=1\n",
		    "line 9: sub names an unknown request");
	expect_edit("duplicated sub", INSERT, 10, "sub 0 act=1\n",
		    "line 10: request submitted twice (sub)");
	expect_edit("sub act= not the act above", REPLACE, 9, "sub 0 act=0\n",
		    "line 9: sub act= is not the act line above");

	/* CQEs. */
	expect_edit("cqe act= not matching", REPLACE, 12, "cqe act=1 ud=0x1 res=-125 flags=0x0\n",
		    "line 12: cqe act= is not the act line above");
	expect_edit("cqe before any act", INSERT, 6, "cqe act=0 ud=0x1 res=0 flags=0x0\n",
		    "line 6: cqe line before any act line");
	expect_edit("cqe res out of range", REPLACE, 12, "cqe act=2 ud=0x1 res=2147483648 flags=0x0\n",
		    "line 12: missing or bad res=");
	expect_edit("cqe res not a number", REPLACE, 12, "cqe act=2 ud=0x1 res=-12x flags=0x0\n",
		    "line 12: missing or bad res=");
	expect_edit("cqe flags too big", REPLACE, 12, "cqe act=2 ud=0x1 res=0 flags=0x100000000\n",
		    "line 12: missing or bad flags=");

	/* Structure. */
	expect_edit("unknown line", INSERT, 10, "bogus 1 2\n", "line 10: unknown line 'bogus'");
	expect_edit("text after end", INSERT, 16, "reset 1\n", "line 16: text after the end line");
	expect_edit("end before reset", DELETE, 14, NULL, "line 14: end before the reset line");
	expect_edit("act after reset", INSERT, 15, "act 4 end_drain res=0 ovf=0\n",
		    "line 15: act after reset");
	expect_edit("bad reset", REPLACE, 14, "reset 2\n", "line 14: bad reset line");
	memset(big, 0, sizeof(big));
	memset(big, '#', 2100);
	big[2100] = '\n';
	expect_edit("line too long", INSERT, 10, big, "line 10: line longer than 2047 bytes");
	expect_edit("too many fields", INSERT, 10,
		    "bogus 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24\n",
		    "line 10: too many fields (limit 24)");

	/* Accepted variations: comments, blank lines, tabs, CRLF, lines after end
	 * that hold only a comment. */
	t = edited(INSERT, 6, "# a comment\n\n   \t\n");
	expect_ok("comments and blank lines", t);
	free(t);
	t = edited(INSERT, 16, "# trailing comment\n\n");
	expect_ok("comment after end", t);
	free(t);
	t = edited(REPLACE, 12, "cqe\tact=2 ud=0x1 res=-125 flags=0x0   # seen late\r\n");
	expect_ok("tabs, CR and a comment", t);
	free(t);
}

/* The optional fault line: only directly after the program line, once. */
static void test_fault_line(void)
{
	char *t = edited(INSERT, 6, "fault drop-cqe fired=1 act=2\n");

	expect_ok("fault fired", t);
	free(t);
	t = edited(INSERT, 6, "fault drop-cqe fired=0\n");
	expect_ok("fault not fired", t);
	free(t);
	t = edited(INSERT, 6, "# injected\n\nfault drop-cqe fired=1 act=3\n");
	expect_ok("fault after a comment", t);
	free(t);
	expect_edit("fault before the program line", INSERT, 5, "fault drop-cqe fired=0\n",
		    "line 5: expected program line");
	expect_edit("fault after an act", INSERT, 7, "fault drop-cqe fired=0\n",
		    "line 7: fault line must directly follow the program line");
	t = edited(INSERT, 6, "fault drop-cqe fired=0\nfault dup-cqe fired=0\n");
	expect_error("two fault lines", t, "line 7: fault line must directly follow the program line");
	free(t);
	expect_edit("fault without name", INSERT, 6, "fault\n", "line 6: bad fault name");
	expect_edit("fault name upper case", INSERT, 6, "fault Drop fired=0\n", "line 6: bad fault name");
	expect_edit("fault name too long", INSERT, 6, "fault a-name-of-exactly-thirty-two-chr fired=0\n",
		    "line 6: bad fault name");
	expect_edit("fault without fired", INSERT, 6, "fault drop-cqe\n", "line 6: missing or bad fired=");
	expect_edit("fault fired=2", INSERT, 6, "fault drop-cqe fired=2\n", "line 6: missing or bad fired=");
	expect_edit("fired without act", INSERT, 6, "fault drop-cqe fired=1\n", "line 6: bad fault line");
	expect_edit("not fired with act", INSERT, 6, "fault drop-cqe fired=0 act=1\n",
		    "line 6: bad fault line");
	expect_edit("fault act negative", INSERT, 6, "fault drop-cqe fired=1 act=-1\n",
		    "line 6: missing or bad act=");
	expect_edit("fault act beyond the acts", INSERT, 6, "fault drop-cqe fired=1 act=4\n",
		    "line 6: fault act=4 names no act (the history has 4)");
}

/* Limits of the tables: one CQE or act more than a history holds. */
static void test_limits(void)
{
	char *text, *more;
	size_t len = 0;
	const char *tail;

	build_full(&h2);
	text = write_history(&h2, &len);
	if (!text)
		return;
	/* Insert one more CQE before the reset line. */
	tail = strstr(text, "reset ");
	CHECK(tail != NULL);
	if (tail) {
		unsigned line = 1;
		size_t head = (size_t)(tail - text);

		for (size_t i = 0; i < head; i++)
			line += text[i] == '\n';
		more = malloc(len + 100);
		snprintf(more, len + 100, "%.*scqe act=%u ud=0x1 res=0 flags=0x0\n%s", (int)head, text,
			 CF_MAX_ACTS - 1, tail);
		{
			char want[80];

			snprintf(want, sizeof(want), "line %u: more than the 8192 CQEs a history holds", line);
			expect_error("8193 CQEs", more, want);
		}
		snprintf(more, len + 100, "%.*sact %u end_drain res=0 ovf=0\n%s", (int)head, text,
			 CF_MAX_ACTS, tail);
		{
			char want[80];

			snprintf(want, sizeof(want), "line %u: act line out of sequence", line);
			expect_error("one act too many", more, want);
		}
		free(more);
	}
	free(text);
}

/* Version 3: the program of seed 401, its race group's acts with actor,
 * group, offset and times, exactly as written; and the reader's checks. */
static const char v3_text[] =
	"cancelfuzz-history 3\nkernel z\nring mode=default entries=8 sq=8 cq=16 features=0x0\n"
	"supports cflags=0x0 futex=0 waitid=0\n"
	"program 00010000010000000a0000540300000000000067000102000a04010f\n"
	"act 0 queue op=0 args=1,0,0,0 res=0 ovf=0 actor=0 group=0 at=0 t0=10 t1=20\n"
	"req 0 act=0 kind=read slot=pipe0.r fixed=0 closed=0 ud=0x1 sqeflags=0x0\n"
	"act 1 wait op=1 args=0,0 res=1 ovf=0 actor=0 group=0 at=0 t0=30 t1=40\n"
	"sub 0 act=1\n"
	"act 2 complete op=3 args=0,1,2 res=3 ovf=0 actor=2 group=1 at=0 t0=100 t1=150\n"
	"act 3 cancel op=2 args=3,0,0,0,0,0 res=0 ovf=0 actor=1 group=1 at=0 t0=90 t1=160\n"
	"req 1 act=3 kind=cancel slot=pipe0.r fixed=0 closed=0 ud=0x0 api=sync key=0x1 cflags=0x0 op=nop odd=0x0\n"
	"cqe act=3 ud=0x1 res=-125 flags=0x0\n"
	"act 4 wait op=4 args=4,1 res=2 ovf=0 actor=0 group=0 at=0 t0=80 t1=170\n"
	"reset 1\nend\n";

static void test_version3(void)
{
	static struct cf_history h, back;
	static const uint8_t prog[] = { 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0a, 0x00,
					0x00, 0x54, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x67,
					0x00, 0x01, 0x02, 0x00, 0x0a, 0x04, 0x01, 0x0f };
	static const uint8_t q[] = { CF_REQ_READ, CF_SLOT_PIPE0_R, 0, 0 }, w[] = { 0, 0 },
			     d[] = { CF_DO_WRITE, CF_SLOT_PIPE0_W, 2 }, go[] = { CF_WAIT_GO, 1 },
			     c[] = { CF_CANCEL_SYNC, 0, 0, 0, 0, 0 };
	char err[256], *bad;
	unsigned a;

	set_header(&h, "z", CF_MODE_DEFAULT, 8);
	memcpy(h.program, prog, sizeof(prog));
	h.program_len = sizeof(prog);
	a = add_act(&h, CF_ACT_OP, 0, CF_OP_QUEUE, q, 0);
	h.acts[a].t0 = 10, h.acts[a].t1 = 20;
	add_req(&h, a, CF_REQ_READ, CF_SLOT_PIPE0_R, 1)->sqe_flags = 0;
	a = add_act(&h, CF_ACT_OP, 1, CF_OP_WAIT, w, 1);
	h.acts[a].t0 = 30, h.acts[a].t1 = 40;
	h.reqs[0].sub_act = 1;
	a = add_act(&h, CF_ACT_OP, 3, CF_OP_COMPLETE, d, 3);
	h.acts[a].actor = 2, h.acts[a].group = 1, h.acts[a].t0 = 100, h.acts[a].t1 = 150;
	a = add_act(&h, CF_ACT_OP, 2, CF_OP_CANCEL, c, 0);
	h.acts[a].actor = 1, h.acts[a].group = 1, h.acts[a].t0 = 90, h.acts[a].t1 = 160;
	add_cancel(&h, a, CF_CANCEL_SYNC, CF_SLOT_PIPE0_R, 0, 1, 0, 0, 0);
	add_cqe(&h, a, 1, -ECANCELED, 0);
	a = add_act(&h, CF_ACT_OP, 4, CF_OP_WAIT, go, 2);
	h.acts[a].t0 = 80, h.acts[a].t1 = 170;
	h.ring_reset = 1;
	CHECK_EQ(cf_history_version(&h), 3);
	round_trip("version 3", &h, v3_text);
	CHECK_EQ(read_history(v3_text, strlen(v3_text), &back, err, sizeof(err)), 0);
	CHECK_EQ(back.acts[3].actor, 1);
	CHECK_EQ(back.acts[3].group, 1);
	CHECK(back.acts[3].t0 == 90 && back.acts[3].t1 == 160);
	CHECK_EQ(cf_acts_overlap(&back, 2, 3), 1);
	CHECK_EQ(cf_acts_overlap(&back, 1, 3), 0);
	/* an act that ends before it starts; a missing actor field */
	bad = strdup(v3_text);
	memcpy(strstr(bad, "t1=150"), "t1=099", 6);
	expect_error("v3 t1 before t0", bad, "line 10: missing or bad t1=");
	free(bad);
	bad = strdup(v3_text);
	memcpy(strstr(bad, "actor=2"), "actxr=2", 7);
	expect_error("v3 no actor", bad, "line 10: missing or bad actor=");
	free(bad);
}

/* Reordering a group's acts: requests, SQE consumption and CQEs follow
 * their acts, CQEs stay in act order, requests are renumbered in act order. */
static void test_reorder(void)
{
	static struct cf_history h;
	unsigned perm[2] = { 1, 0 };
	int16_t map[CF_MAX_REQS];
	char err[256];

	CHECK_EQ(read_history(v3_text, strlen(v3_text), &h, err, sizeof(err)), 0);
	cf_history_reorder_acts(&h, 2, 2, perm);
	CHECK_EQ(h.acts[2].op_index, 2); /* the cancel now first */
	CHECK_EQ(h.acts[3].op_index, 3);
	CHECK_EQ(h.reqs[1].act, 2);
	CHECK_EQ(h.cqes[0].act, 2);     /* with its act */
	cf_history_renumber_reqs(&h, 2, 2, map);
	CHECK_EQ(map[0], 0);
	CHECK_EQ(map[1], 1);
	CHECK_EQ(h.acts[2].req, 1);
	/* two requests made by the group: swapping the acts swaps their numbers */
	h.nreqs = 3;
	h.reqs[2] = h.reqs[1];
	h.reqs[2].act = 3;
	h.acts[3].req = 2;
	perm[0] = 1, perm[1] = 0;
	cf_history_reorder_acts(&h, 2, 2, perm);
	cf_history_renumber_reqs(&h, 2, 2, map);
	CHECK_EQ(map[1], 2);
	CHECK_EQ(map[2], 1);
	CHECK_EQ(h.acts[2].req, 1);
	CHECK_EQ(h.acts[3].req, 2);
	CHECK_EQ(h.reqs[1].act, 2);
	CHECK_EQ(h.reqs[2].act, 3);
	CHECK_EQ(h.cqes[0].act, 3);     /* back with the cancel */
}

int main(void)
{
	/* H1: ops of every kind, cancels, teardown rounds, extreme values. */
	build_h1(&h1);
	round_trip("h1", &h1, h1_text);

	/* Every table full, cqes_lost, ring not reset. */
	build_full(&h2);
	round_trip("full", &h2, NULL);

	/* Teardown only, nothing submitted. */
	set_header(&h2, "x", CF_MODE_SMALLCQ, 4);
	h2.program_len = 3; /* format 3: mode, entries, actors */
	h2.program[0] = CF_MODE_SMALLCQ;
	h2.program[1] = 0;
	h2.program[2] = 0;
	add_act(&h2, CF_ACT_END_SUBMIT, -1, 0, NULL, 0);
	add_act(&h2, CF_ACT_END_CANCEL, -1, 0, NULL, -2);
	add_cancel(&h2, 1, CF_CANCEL_SYNC, 0, 0, 0, 0x5, 0, 0);
	add_act(&h2, CF_ACT_END_DRAIN, -1, 0, NULL, 0);
	h2.ring_reset = 1;
	round_trip("teardown only", &h2, NULL);

	/* No acts at all, and an empty program (the writer prints "program -"). */
	set_header(&h2, "y", CF_MODE_DEFAULT, 8);
	round_trip("empty program", &h2,
		   "cancelfuzz-history 1\nkernel y\nring mode=default entries=8 sq=8 cq=16 features=0x0\n"
		   "supports cflags=0x0 futex=0 waitid=0\nprogram -\nreset 0\nend\n");

	/* An injected fault: the line after the program line, fired or not. */
	build_h1(&h1);
	snprintf(h1.fault, sizeof(h1.fault), "drop-cqe");
	h1.fault_act = 3;
	round_trip("fault fired", &h1, NULL);
	h1.fault_act = -1;
	round_trip("fault not fired", &h1, NULL);
	set_header(&h2, "y", CF_MODE_DEFAULT, 8);
	snprintf(h2.fault, sizeof(h2.fault), "a-name-of-exactly-31-characters");
	h2.fault_act = -1;
	round_trip("fault, no acts", &h2,
		   "cancelfuzz-history 1\nkernel y\nring mode=default entries=8 sq=8 cq=16 features=0x0\n"
		   "supports cflags=0x0 futex=0 waitid=0\nprogram -\n"
		   "fault a-name-of-exactly-31-characters fired=0\nreset 0\nend\n");

	test_version3();
	test_reorder();
	test_malformed();
	test_fault_line();
	test_limits();
	TEST_EXIT();
}
