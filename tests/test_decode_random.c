/* Description: random byte strings through the decoder, encoder, text printer
 * and text parser. Every string must decode to a program within the canonical
 * ranges (checked against an independent reference decoder written from
 * docs/program-format.md), encoding must be a fixed point, and the text form
 * must round-trip. Pure decoding, no io_uring: meant for ASan/UBSan too.
 * CF_DECODE_ITERS overrides the number of random strings (default 200000). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rng.h"
#include "aio_model.h"
#include "program.h"
#include "text.h"

#define MAX_LEN 5000

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint64_t next(void)
{
	return test_rng_next(&rng);
}

/* ---- reference decoder, from the tables in docs/program-format.md ---- */

static unsigned ref_kind(uint8_t code)
{
	unsigned low = code & 15u;

	if (low <= 3) return CF_OP_QUEUE;
	if (low <= 6) return CF_OP_CANCEL;
	if (low <= 9) return CF_OP_COMPLETE;
	if (low <= 12) return CF_OP_WAIT;
	if (low <= 14) return CF_OP_CLOSE;
	return CF_OP_END;
}

static const int ref_nargs[CF_OP__COUNT] = { 4, 6, 3, 2, 1, 0 };

/* Modes 5 (aio) and 6 (posix): the tables of "AIO families" in the doc.
 * m = 0 keeps the byte, except the masked flag bytes; unused bytes read 0. */
static uint8_t ref_aio_arg(unsigned mode, unsigned kind, int pos, uint8_t b)
{
	static const unsigned aio[5][6] = {
		{ 9, 14, 8, 0, 1, 1 }, { 4, 0, 8, 1, 1, 1 }, { 4, 14, 0, 1, 1, 1 },
		{ 6, 8, 1, 1, 1, 1 } /* 5 io_getevents kinds and go */, { 16, 1, 1, 1, 1, 1 },
	};
	static const unsigned px[5][6] = {
		{ 5, 14, 8, 3, 1, 1 }, { 4, 1, 8, 14, 1, 1 }, { 4, 14, 0, 1, 1, 1 },
		{ 6, 8, 1, 1, 1, 1 } /* 5 status calls and go */, { 14, 1, 1, 1, 1, 1 },
	};
	unsigned m = mode == 5 ? aio[kind][pos] : px[kind][pos];

	if (mode == 5 && ((kind == CF_OP_QUEUE && pos == 3) || (kind == CF_OP_CANCEL && pos == 1)))
		return (uint8_t)(b & 7);
	return m ? (uint8_t)(b % m) : b;
}

/* Format 3: a queue op's slot and flags bytes by request kind: kinds 0-15
 * a slot % 18 (% 14 before the lang branch's signalfd and timerfd and the actors branch's ring0 and ring1) and flags & 0x3f; 16-17 (removes) target and bad bits (0x87)
 * and flags & 0x3f; 18-19 (updates) the whole slot byte, flags & 0x3f;
 * 20-22 (timers) both bytes whole; 23-25 as 0-15; lang branch: 26
 * (poll_update) the whole slot byte, flags & 0x3f; 27 (recvmsg_multi) as
 * 0-15; cov3 branch: removes keep the whole slot byte, updates the whole
 * flags byte, 28-31 (msg_ring and _direct kinds) as 0-15. */
static void ref_queue(struct cf_op *op)
{
	unsigned req = op->a[0];

	/* cov3 branch: a remove keeps all 8 bits of its slot byte (bad
	 * fields 3-6), an update its flags byte's top two (bad fields) */
	if (req < 16 || (req >= 23 && req != 26))
		op->a[1] = (uint8_t)(op->a[1] % 18);
	if (req < 18 || req >= 23)
		op->a[3] &= 0x3f;
	if (req == 21 && op->a[3] < 0x40 && (op->a[1] & 7) < 2) /* indefinite timeout_multi */
		op->a[1] = (uint8_t)((op->a[1] & ~7) | 2);
}

static uint8_t ref_arg(unsigned mode, unsigned kind, int pos, uint8_t b)
{
	if (mode >= 5)
		return ref_aio_arg(mode, kind, pos, b);
	switch (kind) {
	case CF_OP_QUEUE: {
		/* the slot and flags bytes are reduced by request kind (ref_queue);
		 * 32 kinds since the cov3 branch added msg_ring, msg_ring_skip,
		 * readv_direct and writev_direct */
		static const unsigned m[4] = { 32, 0, 8, 0 };
		return m[pos] ? (uint8_t)(b % m[pos]) : b;
	}
	case CF_OP_CANCEL: {
		static const unsigned m[6] = { 4, 0, 8, 18, 32, 0 };
		if (pos == 1)
			return b;
		return pos == 5 ? (uint8_t)(b & 0x7f) : (uint8_t)(b % m[pos]);
	}
	case CF_OP_COMPLETE:
		return pos == 0 ? (uint8_t)(b % 6) : pos == 1 ? (uint8_t)(b % 18) : b;
	case CF_OP_WAIT:
		return pos == 0 ? (uint8_t)(b % 6) : (uint8_t)(b % 8); /* 6 kinds: exit added by the actors branch */
	case CF_OP_CLOSE:
		return (uint8_t)(b % 18);
	}
	return 0xee;
}

static void ref_decode(const uint8_t *d, size_t n, struct cf_program *p)
{
	size_t pos = 3;
	unsigned parked[4] = { 0 }; /* format 3: actors with an op parked per group */

	memset(p, 0, sizeof(*p));
	if (n > 4096)
		n = 4096;
	p->mode = n > 0 ? (uint8_t)(d[0] % 7) : 0;
	p->entries = n > 1 ? (uint8_t)(4u << (d[1] % 4)) : 8;
	p->actors = n > 2 && p->mode < 5 ? (uint8_t)(d[2] & 0x7f) : 0; /* bit 6: ring1=a0 (cov3) */
	while (pos < n && p->nops < 64) {
		struct cf_op *op = &p->ops[p->nops++];
		uint8_t code = d[pos++];
		unsigned kind = ref_kind(code);
		int is_go, is_exit;

		op->kind = (uint8_t)kind;
		for (int i = 0; i < ref_nargs[kind]; i++) {
			if (pos < n) {
				op->a[i] = ref_arg(p->mode, kind, i, d[pos++]);
			} else {
				op->a[i] = ref_arg(p->mode, kind, i, 0);
				p->truncated = 1;
			}
		}
		/* high nibble: actor bits 4-5, group bits 6-7; grouped: one offset byte */
		if (code >> 6) {
			if (pos < n)
				op->at = d[pos++];
			else
				p->truncated = 1;
			op->group = (uint8_t)(code >> 6);
		}
		op->actor = (uint8_t)((code >> 4) & 3);
		/* go: wait kind 4 (io_uring), 5 (aio, posix) */
		is_go = kind == CF_OP_WAIT && ((p->mode < 5 && op->a[0] == 4) || (p->mode >= 5 && op->a[0] == 5));
		is_exit = p->mode < 5 && kind == CF_OP_WAIT && op->a[0] == 5;
		if (kind == CF_OP_END || is_go)
			op->actor = 0;
		if (kind == CF_OP_END || is_go || is_exit ||
		    (op->group && (parked[op->group] >> op->actor) & 1))
			op->group = op->at = 0;
		if (op->group)
			parked[op->group] |= 1u << op->actor;
		if (is_go && op->a[1] < 4)
			parked[op->a[1]] = 0;
		if (kind == CF_OP_QUEUE && p->mode < 5)
			ref_queue(op);
		if (kind == CF_OP_END)
			break;
	}
}

/* ---- canonical ranges, stated without the harness's tables ---- */

/* AIO families: value limits from aio_model.h's enums (1: must be 0). */
static int aio_arg_in_range(unsigned mode, unsigned kind, int pos, uint8_t v)
{
	static const unsigned aio[5][6] = {
		{ CF_AIO_CMD__COUNT, CF_SLOT__COUNT, CF_UD_POOL, CF_AIOQ__MASK + 1, 1, 1 },
		{ CF_AIOT__COUNT, CF_AIOC__MASK + 1, CF_UD_POOL, 1, 1, 1 },
		{ CF_FDO__COUNT, CF_SLOT__COUNT, 256, 1, 1, 1 },
		{ CF_AIOW_GO + 1, 8, 1, 1, 1, 1 },
		{ CF_AIO_CLOSE__COUNT, 1, 1, 1, 1, 1 },
	};
	static const unsigned px[5][6] = {
		{ CF_PX_REQ__COUNT, CF_SLOT__COUNT, CF_PX_CBS, CF_PXN__COUNT, 1, 1 },
		{ CF_PXC__COUNT, 1, CF_PX_CBS, CF_SLOT__COUNT, 1, 1 },
		{ CF_FDO__COUNT, CF_SLOT__COUNT, 256, 1, 1, 1 },
		{ CF_PXW_GO + 1, CF_PX_CBS, 1, 1, 1, 1 },
		{ CF_SLOT__COUNT, 1, 1, 1, 1, 1 },
	};
	return v < (mode == CF_MODE_AIO ? aio : px)[kind][pos];
}

static int arg_in_range(unsigned mode, unsigned kind, int pos, uint8_t v)
{
	if (cf_mode_family(mode) != CF_FAMILY_URING)
		return aio_arg_in_range(mode, kind, pos, v);
	switch (kind) {
	case CF_OP_QUEUE: {
		static const unsigned lim[4] = { CF_REQ__COUNT, 256, CF_UD_POOL, 256 };
		return v < lim[pos];
	}
	case CF_OP_CANCEL: {
		static const unsigned lim[6] = { CF_CANCEL__COUNT, 256, CF_UD_POOL,
						 CF_SLOT__COUNT, CF_REQ__COUNT, CF_ODD__MASK + 1 };
		return v < lim[pos];
	}
	case CF_OP_COMPLETE:
		return pos == 0 ? v < CF_DO__COUNT : pos == 1 ? v < CF_SLOT__COUNT : 1;
	case CF_OP_WAIT:
		return pos == 0 ? v < CF_WAIT__COUNT : v < 8;
	case CF_OP_CLOSE:
		return v < CF_SLOT__COUNT;
	}
	return 0;
}

/* 0 if prog is canonical; else the number of the first rule it breaks. */
static int canonical_problem(const struct cf_program *p)
{
	if (p->mode >= CF_MODE__COUNT)
		return 1;
	if (p->entries != 4 && p->entries != 8 && p->entries != 16 && p->entries != 32)
		return 2;
	if (p->nops > CF_MAX_OPS)
		return 3;
	for (unsigned i = 0; i < p->nops; i++) {
		const struct cf_op *op = &p->ops[i];

		if (op->kind >= CF_OP__COUNT)
			return 4;
		if (op->kind == CF_OP_END && i + 1 != p->nops)
			return 5;
		if (cf_op_nargs(op->kind) != ref_nargs[op->kind])
			return 6;
		for (int a = 0; a < CF_OP_ARGS; a++) {
			if (a < ref_nargs[op->kind] ? !arg_in_range(p->mode, op->kind, a, op->a[a])
						    : op->a[a] != 0)
				return 7;
		}
		if (op->actor > 3 || op->group > 3 || (!op->group && op->at))
			return 9;
	}
	if (p->actors > 0x7f || (p->mode >= 5 && p->actors))
		return 10;
	for (unsigned i = p->nops; i < CF_MAX_OPS; i++)
		if (p->ops[i].kind || memcmp(p->ops[i].a, "\0\0\0\0\0\0", CF_OP_ARGS))
			return 8;
	return 0;
}

static int same_program(const struct cf_program *a, const struct cf_program *b)
{
	if (a->mode != b->mode || a->entries != b->entries || a->nops != b->nops ||
	    a->actors != b->actors)
		return 0;
	for (unsigned i = 0; i < a->nops; i++)
		if (a->ops[i].kind != b->ops[i].kind || a->ops[i].actor != b->ops[i].actor ||
		    a->ops[i].group != b->ops[i].group || a->ops[i].at != b->ops[i].at ||
		    memcmp(a->ops[i].a, b->ops[i].a, CF_OP_ARGS) != 0)
			return 0;
	return 1;
}

static char *print_text(const struct cf_program *p, size_t *len, int *rc)
{
	char *buf = NULL;
	FILE *mem = open_memstream(&buf, len);

	if (!mem) {
		*rc = -1;
		return NULL;
	}
	*rc = cf_text_print(p, mem);
	if (fclose(mem) != 0 && *rc == 0)
		*rc = -1;
	return buf;
}

static void dump(const char *what, const uint8_t *d, size_t n)
{
	fprintf(stderr, "%s (%zu bytes):", what, n);
	for (size_t i = 0; i < n && i < 64; i++)
		fprintf(stderr, " %02x", d[i]);
	fprintf(stderr, "%s\n", n > 64 ? " ..." : "");
}

static unsigned long with_end, at_max_ops, truncated, empty_ops;

/* Everything this test knows about one input; returns the failures it added. */
static int check_one(const uint8_t *data, size_t size)
{
	static struct cf_program p, ref, q, parsed;
	uint8_t enc[CF_MAX_ENCODED + 16], enc2[CF_MAX_ENCODED + 16];
	size_t len, len2, want_len, tlen = 0, tlen2 = 0;
	char err[512], *text, *text2;
	int before = cf_failures, rc, problem;

	memset(&p, 0xa5, sizeof(p)); /* decode must set every byte it defines */
	cf_decode(data, size, &p);
	ref_decode(data, size, &ref);
	CHECK(p.nops <= CF_MAX_OPS);
	problem = canonical_problem(&p);
	CHECK_EQ(problem, 0);
	CHECK(same_program(&p, &ref));
	CHECK_EQ(p.truncated, ref.truncated);
	if (problem)
		goto out;

	with_end += p.nops && p.ops[p.nops - 1].kind == CF_OP_END;
	at_max_ops += p.nops == CF_MAX_OPS;
	truncated += p.truncated;
	empty_ops += p.nops == 0;

	/* Encoding: exact length, a fixed point of decode∘encode. */
	want_len = 3;
	for (unsigned i = 0; i < p.nops; i++)
		want_len += 1 + (size_t)ref_nargs[p.ops[i].kind] + (p.ops[i].group != 0);
	len = cf_encode(&p, enc, sizeof(enc));
	CHECK_EQ(len, want_len);
	CHECK(len <= CF_MAX_ENCODED);
	CHECK_EQ(CF_MAX_ENCODED, CF_MAX_ENCODED);
	CHECK_EQ(cf_encode(&p, enc, CF_MAX_ENCODED - 1), 0); /* too small: refused */
	len = cf_encode(&p, enc, sizeof(enc));
	cf_decode(enc, len, &q);
	CHECK(same_program(&q, &p));
	CHECK_EQ(q.truncated, 0);
	len2 = cf_encode(&q, enc2, sizeof(enc2));
	CHECK_EQ(len2, len);
	CHECK(len2 == len && memcmp(enc, enc2, len) == 0);
	/* The canonical header and op codes. */
	CHECK(enc[0] < CF_MODE__COUNT && enc[1] < 4 && enc[2] < 128);
	CHECK_EQ(4u << enc[1], p.entries);

	/* Text: print, parse back, same program and same text. */
	text = print_text(&p, &tlen, &rc);
	CHECK_EQ(rc, 0);
	if (rc == 0 && text) {
		CHECK_EQ(strlen(text), tlen);
		rc = cf_text_parse(text, tlen, "r.cfp", &parsed, err, sizeof(err));
		if (rc != 0)
			fprintf(stderr, "parse of printed text failed: %s\n", err);
		CHECK_EQ(rc, 0);
		if (rc == 0) {
			CHECK(same_program(&parsed, &p));
			CHECK_EQ(parsed.truncated, 0);
			len2 = cf_encode(&parsed, enc2, sizeof(enc2));
			CHECK(len2 == len && memcmp(enc, enc2, len) == 0);
			text2 = print_text(&parsed, &tlen2, &rc);
			CHECK_EQ(rc, 0);
			CHECK(text2 && tlen2 == tlen && memcmp(text, text2, tlen) == 0);
			free(text2);
		}
	}
	free(text);
out:
	if (cf_failures != before)
		dump("failing input", data, size);
	return cf_failures - before;
}

static uint8_t buf[MAX_LEN + 1];

/* Random strings of four flavours: uniform bytes; no end codes (runs to 64
 * ops); only small op codes (mostly long cancels); and runs of 0x00 / 0xff. */
static size_t random_input(unsigned long i)
{
	size_t n = (size_t)(next() % (MAX_LEN + 1));
	unsigned flavour = (unsigned)(i % 4);

	for (size_t k = 0; k < n; k++) {
		uint8_t b = (uint8_t)next();

		if (flavour == 1 && (b & 15) == 15)
			b ^= 1;
		else if (flavour == 2)
			b = (uint8_t)(b & 0x97);
		else if (flavour == 3)
			b = (next() & 7) ? (uint8_t)(k & 1 ? 0xff : 0) : b;
		buf[k] = b;
	}
	/* Keep short inputs common: every 8th is at most 40 bytes. */
	if (i % 8 == 7 && n > 40)
		n %= 41;
	return n;
}

int main(void)
{
	const char *env = getenv("CF_DECODE_ITERS");
	unsigned long iters = env ? strtoul(env, NULL, 10) : 200000, bad = 0;
	static struct cf_program a, b;

	/* Fixed cases first: empty, header only, every single op code alone and
	 * cut after each argument byte. */
	check_one(buf, 0);
	buf[0] = 0xff;
	check_one(buf, 1);
	cf_decode(buf, 0, &a);
	CHECK_EQ(a.mode, CF_MODE_DEFAULT);
	CHECK_EQ(a.entries, 8);
	CHECK_EQ(a.nops, 0);
	CHECK_EQ(a.truncated, 0);
	for (unsigned code = 0; code < 256; code++) {
		for (size_t cut = 2; cut <= 2 + 1 + CF_OP_ARGS; cut++) {
			memset(buf, 0xff, sizeof(buf));
			buf[0] = (uint8_t)code;
			buf[1] = (uint8_t)(code * 7);
			buf[2] = (uint8_t)code;
			check_one(buf, cut);
		}
	}
	/* Only the first 4096 bytes are looked at: more input changes nothing. */
	for (int k = 0; k < 20; k++) {
		for (size_t j = 0; j < MAX_LEN; j++)
			buf[j] = (uint8_t)next();
		cf_decode(buf, CF_MAX_INPUT, &a);
		cf_decode(buf, MAX_LEN, &b);
		CHECK(same_program(&a, &b));
		CHECK_EQ(a.truncated, b.truncated);
	}
	/* 65 close ops: decoding stops at 64 and the rest is ignored. */
	memset(buf, 0, sizeof(buf));
	for (int k = 0; k < 65; k++)
		buf[3 + 2 * k] = 0x0e;
	cf_decode(buf, 3 + 2 * 65, &a);
	CHECK_EQ(a.nops, CF_MAX_OPS);
	CHECK_EQ(a.truncated, 0);
	check_one(buf, 3 + 2 * 65);
	/* 64 ops, the last cut short. */
	cf_decode(buf, 3 + 2 * 64 - 1, &a);
	CHECK_EQ(a.nops, CF_MAX_OPS);
	CHECK_EQ(a.truncated, 1);
	/* The documented example. */
	{
		static const uint8_t ex[] = { 0x02, 0x03, 0x00, 0x00, 0x01, 0x00, 0x07, 0x00, 0x0a, 0x00,
					      0x00, 0x04, 0x00, 0x10, 0x07, 0x00, 0x00, 0x00, 0x0f };
		uint8_t enc[CF_MAX_ENCODED];

		cf_decode(ex, sizeof(ex), &a);
		CHECK_EQ(a.nops, 4);
		CHECK_EQ(cf_encode(&a, enc, sizeof(enc)), sizeof(ex));
		CHECK(memcmp(enc, ex, sizeof(ex)) == 0);
		check_one(ex, sizeof(ex));
	}

	with_end = at_max_ops = truncated = empty_ops = 0; /* count the random ones only */
	for (unsigned long i = 0; i < iters; i++) {
		size_t n = random_input(i);

		if (check_one(buf, n) && ++bad >= 10) {
			fprintf(stderr, "stopping after 10 failing inputs\n");
			break;
		}
	}
	printf("%lu random inputs: %lu ended by end, %lu with %d ops, %lu truncated, %lu without ops\n",
	       iters, with_end, at_max_ops, CF_MAX_OPS, truncated, empty_ops);
	/* The flavours must have reached the interesting shapes. */
	CHECK(iters < 1000 || (with_end > iters / 10 && at_max_ops > iters / 10 &&
			       truncated > iters / 1000 && empty_ops > 0));
	TEST_EXIT();
}
