/* Text form: exact printing, byte/text round trip, exact parse errors. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "history.h"
#include "rng.h"
#include "program.h"
#include "text.h"

/* Printed text of prog in a malloc'd string, or NULL if printing failed (*rc says why). */
static char *print_to_string(const struct cf_program *prog, int *rc)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);

	if (!out) {
		*rc = -errno;
		return NULL;
	}
	*rc = cf_text_print(prog, out);
	fclose(out);
	if (*rc) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int parse_str(const char *text, struct cf_program *prog, char *err, size_t errlen)
{
	return cf_text_parse(text, strlen(text), "t.cfp", prog, err, errlen);
}

/* ---- exact printing ---- */

static void check_prints(const struct cf_program *prog, const char *expected)
{
	int rc;
	char *text = print_to_string(prog, &rc);

	CHECK_EQ(rc, 0);
	if (text)
		CHECK_STR(text, expected);
	free(text);
}

static void test_print_exact(void)
{
	struct cf_program prog;

	memset(&prog, 0, sizeof(prog));
	prog.entries = 8;
	check_prints(&prog, "cancelfuzz program 1\nring mode=default entries=8\n");

	/* Every op kind, nontrivial values. */
	memset(&prog, 0, sizeof(prog));
	prog.mode = CF_MODE_SQPOLL;
	prog.entries = 32;
	prog.ops[0] = (struct cf_op){ CF_OP_QUEUE, { CF_REQ_READ, CF_SLOT_PIPE0_R, 0, 0 } };
	prog.ops[1] = (struct cf_op){ CF_OP_QUEUE, { CF_REQ_RECV_MULTI, CF_SLOT_SOCK1_B, 7,
						    CF_SQE_LINK | CF_SQE_ASYNC | CF_SQE_FIXED } };
	prog.ops[2] = (struct cf_op){ CF_OP_WAIT, { CF_WAIT_SUBMIT, 0 } };
	prog.ops[3] = (struct cf_op){ CF_OP_CANCEL, { CF_CANCEL_SYNC, 0xff, 6, CF_SLOT_BADFD,
						     CF_REQ_READ_FILE, CF_ODD__MASK & ~CF_ODD_SKIP } };
	prog.ops[4] = (struct cf_op){ CF_OP_CANCEL, { CF_CANCEL_SQE64, 0x11, 3, CF_SLOT_PIPE0_R,
						     CF_REQ_NOP, 0 } };
	prog.ops[5] = (struct cf_op){ CF_OP_COMPLETE, { CF_DO_WRITE, CF_SLOT_PIPE0_W, 255 } };
	prog.ops[6] = (struct cf_op){ CF_OP_WAIT, { CF_WAIT_SUBMIT_N, 7 } };
	prog.ops[7] = (struct cf_op){ CF_OP_CLOSE, { CF_SLOT_LISTENER } };
	prog.ops[8] = (struct cf_op){ CF_OP_END, { 0 } };
	prog.nops = 9;
	check_prints(&prog,
		"cancelfuzz program 1\n"
		"ring mode=sqpoll entries=32\n"
		"queue read slot=pipe0.r ud=1 flags=0\n"
		"queue recv_multi slot=sock1.b ud=0xffffffffffffffff flags=link|async|fixed\n"
		"wait submit n=0\n"
		"cancel sync flags=all|fd|any|fd_fixed|userdata|op|bit6|bit31 ud=0 slot=badfd "
		"op=read_file odd=off|splice_fd|buf_select|async|link|ioprio\n"
		"cancel sqe64 flags=all|userdata ud=4 slot=pipe0.r op=nop odd=0\n"
		"complete write slot=pipe0.w len=255\n"
		"wait submit_wait n=7\n"
		"close slot=listener\n"
		"end\n");

	/* From bytes: mode 9 % 7 = defer, entries code 0 = 4, no actors; close 26 % 18 (% 14 = file before the lang and actors branches); wait 7 % 6 (was % 5: getevents), 63 % 8. */
	const uint8_t bytes[] = { 9, 0, 0, 0x0d, 0x1a, 0x0a, 0x07, 0x3f };
	cf_decode(bytes, sizeof(bytes), &prog);
	CHECK_EQ(prog.truncated, 0);
	check_prints(&prog,
		"cancelfuzz program 1\n"
		"ring mode=defer entries=4\n"
		"close slot=listener\n"
		"wait submit_wait n=7\n");

	/* Truncated input: missing bytes read as 0 (0x0f is an argument here, not end). */
	const uint8_t short_bytes[] = { 0, 3, 0, 0x04, 2, 0xff, 0x0f, 0x00 };
	cf_decode(short_bytes, sizeof(short_bytes), &prog);
	CHECK_EQ(prog.truncated, 1);
	check_prints(&prog,
		"cancelfuzz program 1\n"
		"ring mode=default entries=32\n"
		"cancel sqe_fd flags=all|fd|any|fd_fixed|userdata|op|bit6|bit31 ud=0xffffffffffffffff "
		"slot=pipe0.r op=nop odd=0\n");

	/* Decoding stops after end; later bytes are ignored. */
	const uint8_t end_bytes[] = { 1, 1, 0, 0x0f, 0x00, 0x01 };
	cf_decode(end_bytes, sizeof(end_bytes), &prog);
	check_prints(&prog, "cancelfuzz program 1\nring mode=coop entries=8\nend\n");

	/* Format 3: actors byte 0x39 = a1 task1 (1), a2 thread1 (2), a3 task1 (3)... read
	 * as two bits each: 0x39 = 0b111001 -> a1=task, a2=thread1, a3=task1.
	 * 0x5a: wait (0xa) on a1 (bit 4), group 1 (bit 6): args 2 % 5, 9 % 8, offset 200;
	 * 0xa7: complete (0x7) on a2 (0x20), group 2 (0x80): args, offset 7;
	 * 0xda with how 4 = go: actor bits dropped (go is a0's), group bits too,
	 * but its offset byte 0x1f is still read. */
	const uint8_t actor_bytes[] = { 0, 1, 0x39, 0x5a, 2, 9, 200, 0xa7, 0, 1, 5, 7,
					0xda, 4, 1, 0x1f, 0x0f };
	cf_decode(actor_bytes, sizeof(actor_bytes), &prog);
	CHECK_EQ(prog.truncated, 0);
	CHECK_EQ(prog.nops, 4);
	check_prints(&prog,
		"cancelfuzz program 3\n"
		"ring mode=default entries=8\n"
		"actors a1=task a2=thread1 a3=task1\n"
		"wait getevents n=1 group=1 at=200 @a1\n"
		"complete write slot=pipe0.w len=5 group=2 at=7 @a2\n"
		"wait go n=1\n"
		"end\n");
	/* Added by the actors branch: how 5 = exit; 0x5a puts it in group 1,
	 * which it leaves (its offset byte 9 is still read). */
	const uint8_t exit_bytes[] = { 0, 1, 0x01, 0x5a, 5, 1, 9, 0x0f };
	cf_decode(exit_bytes, sizeof(exit_bytes), &prog);
	CHECK_EQ(prog.nops, 2);
	check_prints(&prog,
		"cancelfuzz program 3\n"
		"ring mode=default entries=8\n"
		"actors a1=task a2=thread a3=thread\n"
		"wait exit n=1 @a1\n"
		"end\n");
	/* Slot bytes % 18 in the io_uring modes (14 signalfd, 15 timerfd from
	 * the lang branch): 16 is ring0, 17 ring1, 34 ring0 again (it was
	 * pipe0.r under % 14); the AIO families keep % 14. */
	const uint8_t ring_bytes[] = { 0, 1, 0, 0x00, 4, 16, 0, 0, 0x0d, 34, 0x0f };
	cf_decode(ring_bytes, sizeof(ring_bytes), &prog);
	check_prints(&prog,
		"cancelfuzz program 3\n"
		"ring mode=default entries=8\n"
		"actors a1=thread a2=thread a3=thread\n"
		"queue poll slot=ring0 ud=1 flags=0\n"
		"close slot=ring0\n"
		"end\n");
	const uint8_t aio_ring_bytes[] = { 5, 1, 0, 0x0d, 15, 0x0f };
	cf_decode(aio_ring_bytes, sizeof(aio_ring_bytes), &prog);
	CHECK_EQ(prog.ops[0].a[CF_X_SLOT], 15); /* aio close code 15 is still "setup" */
	/* A second op of a1 in group 1 before its release leaves the group. */
	const uint8_t twice[] = { 0, 1, 0, 0x5a, 2, 0, 9, 0x5a, 3, 0, 8, 0x0a, 4, 1, 0x5a, 3, 0, 6 };
	cf_decode(twice, sizeof(twice), &prog);
	CHECK_EQ(prog.nops, 4);
	check_prints(&prog,
		"cancelfuzz program 3\n"
		"ring mode=default entries=8\n"
		"actors a1=thread a2=thread a3=thread\n"
		"wait getevents n=0 group=1 at=9 @a1\n"
		"wait reap n=0 @a1\n"
		"wait go n=1\n"
		"wait reap n=0 group=1 at=6 @a1\n");
	/* Mode aio's actors are threads: the actors byte reads as 0, the nibble
	 * counts (format 3, the aio actors); so in mode posix (the posixrace
	 * branch): wait byte 5 is its go. */
	const uint8_t aio_bytes[] = { 5, 1, 0xff, 0x5a, 0, 1, 77, 0x0a, 5, 1 };
	cf_decode(aio_bytes, sizeof(aio_bytes), &prog);
	CHECK_EQ(prog.actors, 0);
	check_prints(&prog,
		"cancelfuzz program 3\n"
		"ring mode=aio entries=8\n"
		"actors a1=thread a2=thread a3=thread\n"
		"io_getevents zero n=1 group=1 at=77 @a1\n"
		"wait go n=1\n");
	const uint8_t px_bytes[] = { 6, 1, 0xff, 0x5a, 0, 1, 77, 0x0a, 5, 1 };
	cf_decode(px_bytes, sizeof(px_bytes), &prog);
	CHECK_EQ(prog.actors, 0);
	check_prints(&prog,
		"cancelfuzz program 3\n"
		"ring mode=posix entries=8\n"
		"actors a1=thread a2=thread a3=thread\n"
		"aio_error cb=1 group=1 at=77 @a1\n"
		"wait go n=1\n");
}

static void test_print_invalid(void)
{
	struct cf_program prog;
	char *text;
	int rc;

	memset(&prog, 0, sizeof(prog));
	prog.entries = 8;
	prog.mode = CF_MODE__COUNT;
	CHECK(print_to_string(&prog, &rc) == NULL);
	CHECK_EQ(rc, -EINVAL);

	prog.mode = 0;
	prog.entries = 5;
	CHECK(print_to_string(&prog, &rc) == NULL);
	CHECK_EQ(rc, -EINVAL);

	prog.entries = 8;
	prog.nops = 2;
	prog.ops[0].kind = CF_OP_END;
	prog.ops[1].kind = CF_OP_END;
	CHECK(print_to_string(&prog, &rc) == NULL); /* op after end */
	CHECK_EQ(rc, -EINVAL);

	prog.nops = 1;
	prog.ops[0] = (struct cf_op){ CF_OP_QUEUE, { 0, 0, 0, 0x40 } };
	CHECK(print_to_string(&prog, &rc) == NULL); /* unknown sqe flag bit */
	CHECK_EQ(rc, -EINVAL);

	/* a remove's slot byte has bit 3 (len) since the cov3 branch; a
	 * plain request's flags byte still has no bit 6 */
	prog.ops[0] = (struct cf_op){ CF_OP_QUEUE, { CF_REQ_POLL_REMOVE, 0x08, 0, 0 } };
	text = print_to_string(&prog, &rc);
	CHECK(text != NULL);
	CHECK_EQ(rc, 0);
	free(text);
	prog.ops[0] = (struct cf_op){ CF_OP_QUEUE, { CF_REQ_POLL_REMOVE, 0, 0, 0x40 } };
	CHECK(print_to_string(&prog, &rc) == NULL);
	CHECK_EQ(rc, -EINVAL);

	prog.ops[0] = (struct cf_op){ CF_OP_WAIT, { 0, 8 } };
	CHECK(print_to_string(&prog, &rc) == NULL);
	CHECK_EQ(rc, -EINVAL);
}

/* ---- accepted spellings ---- */

static void check_parses_to(const char *text, const char *canonical)
{
	struct cf_program prog;
	char err[256];
	int rc = parse_str(text, &prog, err, sizeof(err));

	CHECK_EQ(rc, 0);
	if (rc) {
		fprintf(stderr, "  parse error: %s\n", err);
		return;
	}
	CHECK_EQ(prog.truncated, 0);
	check_prints(&prog, canonical);
}

static void test_parse_lenient_where_allowed(void)
{
	/* Magic only: default ring. */
	check_parses_to("cancelfuzz program 1\n",
			"cancelfuzz program 1\nring mode=default entries=8\n");
	/* Comments, blank lines, tabs, CRLF, no final newline, any key order, omitted keys. */
	check_parses_to(
		"# a comment\n"
		"\n"
		"  cancelfuzz\tprogram 1   # trailing comment\r\n"
		"ring entries=16\r\n"
		"queue poll flags=drain|link ud=0xffffffffffffffff\n"
		"queue read ud=18446744073709551615\n"
		"cancel sqe_fd odd=ioprio|off op=waitid slot=eventfd ud=0x5 flags=bit31|all\n"
		"complete child_exit\n"
		"wait reap\n"
		"close\n"
		"\t# indented comment\n"
		"end",
		"cancelfuzz program 1\n"
		"ring mode=default entries=16\n"
		"queue poll slot=pipe0.r ud=0xffffffffffffffff flags=link|drain\n"
		"queue read slot=pipe0.r ud=0xffffffffffffffff flags=0\n"
		"cancel sqe_fd flags=all|bit31 ud=5 slot=eventfd op=waitid odd=off|ioprio\n"
		"complete child_exit slot=pipe0.r len=0\n"
		"wait reap n=0\n"
		"close slot=pipe0.r\n"
		"end\n");
	/* Ring with omitted keys keeps the defaults; hex numbers. */
	check_parses_to("cancelfuzz program 1\nring mode=smallcq\ncomplete write len=0xff\n"
			"wait submit_wait n=0x7\n",
			"cancelfuzz program 1\nring mode=smallcq entries=8\n"
			"complete write slot=pipe0.r len=255\nwait submit_wait n=7\n");
	/* Format 3: actors line optional, keys in any order, @a0 never printed. */
	check_parses_to("cancelfuzz program 3\nqueue read\nwait submit\n"
			"cancel sync ud=1 @a2 at=9 group=3\ncomplete write slot=pipe0.w len=1 group=3 @a1\n"
			"wait go n=3\nwait go n=3\ncancel sync ud=1 @a2 group=3 at=0\n",
			"cancelfuzz program 3\nring mode=default entries=8\n"
			"actors a1=thread a2=thread a3=thread\n"
			"queue read slot=pipe0.r ud=1 flags=0\nwait submit n=0\n"
			"cancel sync flags=0 ud=1 slot=pipe0.r op=nop odd=0 group=3 at=9 @a2\n"
			"complete write slot=pipe0.w len=1 group=3 at=0 @a1\n"
			"wait go n=3\nwait go n=3\n"
			"cancel sync flags=0 ud=1 slot=pipe0.r op=nop odd=0 group=3 at=0 @a2\n");
	/* A version-3 program without actors prints as version 1, as before. */
	check_parses_to("cancelfuzz program 3\nwait submit\n",
			"cancelfuzz program 1\nring mode=default entries=8\nwait submit n=0\n");
	check_parses_to("cancelfuzz program 3\nring mode=defer\nactors a3=task1\n",
			"cancelfuzz program 3\nring mode=defer entries=8\n"
			"actors a1=thread a2=thread a3=task1\n");
	/* Exactly CF_MAX_OPS ops, the last one end. */
	char text[2048] = "cancelfuzz program 1\n";
	char expected[2048] = "cancelfuzz program 1\nring mode=default entries=8\n";
	for (int i = 0; i < CF_MAX_OPS - 1; i++) {
		strcat(text, "wait submit\n");
		strcat(expected, "wait submit n=0\n");
	}
	strcat(text, "end\n");
	strcat(expected, "end\n");
	check_parses_to(text, expected);
}

/* ---- exact errors ---- */

static void check_error(const char *text, const char *expected)
{
	struct cf_program prog;
	char err[256];

	memset(&prog, 0xab, sizeof(prog));
	CHECK_EQ(parse_str(text, &prog, err, sizeof(err)), -1);
	CHECK_STR(err, expected);
	CHECK_EQ(prog.nops, 0xab); /* untouched on error */
}

#define M "cancelfuzz program 1\n"

static void test_parse_errors(void)
{
	check_error("", "t.cfp:1: empty input, expected 'cancelfuzz program 1'");
	check_error("# nothing\n\n   \n", "t.cfp:1: empty input, expected 'cancelfuzz program 1'");
	check_error("\nqueue read\n", "t.cfp:2: missing magic line 'cancelfuzz program 1'");
	check_error("ring mode=coop\n" M, "t.cfp:1: missing magic line 'cancelfuzz program 1'");
	check_error("cancelfuzz program 4\n", "t.cfp:1: unsupported program format version 4");
	/* actors and race groups */
	check_error(M "wait go n=1\n", "t.cfp:2: wait go needs 'cancelfuzz program 3'");
	check_error(M "wait submit @a1\n", "t.cfp:2: actors and race groups need 'cancelfuzz program 3'");
	check_error(M "actors a1=task\n", "t.cfp:2: actors and race groups need 'cancelfuzz program 3'");
	check_error("cancelfuzz program 3\nwait submit @a4\n",
		    "t.cfp:2: unknown actor '@a4' (a1, a2 or a3; no suffix is a0)");
	check_error("cancelfuzz program 3\nwait submit @a1 @a2\n", "t.cfp:2: duplicate actor '@a2'");
	check_error("cancelfuzz program 3\nwait submit at=3\n", "t.cfp:2: at= needs group=");
	check_error("cancelfuzz program 3\nwait submit group=0\n", "t.cfp:2: group 0 is no group (1..3)");
	check_error("cancelfuzz program 3\nwait submit group=4\n", "t.cfp:2: group 4 out of range 0..3");
	check_error("cancelfuzz program 3\nwait submit at=256 group=1\n", "t.cfp:2: at 256 out of range 0..255");
	check_error("cancelfuzz program 3\nwait submit group=1 group=2\n", "t.cfp:2: duplicate key 'group'");
	check_error("cancelfuzz program 3\nactors a1=robot\n", "t.cfp:2: unknown actor kind 'robot'");
	check_error("cancelfuzz program 3\nwait submit\nactors a1=task\n",
		    "t.cfp:3: actors must follow the ring line (or the magic line)");
	check_error("cancelfuzz program 3\nring mode=posix\nactors a1=task\n", "t.cfp:3: mode posix has thread actors only");
	check_error("cancelfuzz program 2\nring mode=posix\nwait go n=1\n", "t.cfp:3: wait go needs 'cancelfuzz program 3'");
	check_error("cancelfuzz program 3\nring mode=aio\nactors a1=task\n", "t.cfp:3: mode aio has thread actors only");
	check_error("cancelfuzz program 2\nring mode=aio\nwait go n=1\n", "t.cfp:3: wait go needs 'cancelfuzz program 3'");
	check_error("cancelfuzz program 3\nring mode=aio\nio_getevents go n=1\n", "t.cfp:3: unknown io_getevents kind 'go'");
	check_error("cancelfuzz program 3\nwait submit group=1 @a1\nwait reap group=1 @a2\n"
		    "wait getevents group=1 @a1\n",
		    "t.cfp:4: a1 already has an op in group 1 before its 'wait go n=1'");
	check_error("cancelfuzz program 3\nwait go n=1 @a1\n",
		    "t.cfp:2: wait go cannot join a race group or run on another actor");
	/* `wait exit` (added by the actors branch): version 3, never in a group */
	check_error(M "wait exit n=1\n", "t.cfp:2: wait exit needs 'cancelfuzz program 3'");
	check_error("cancelfuzz program 3\nactors a1=task\nwait exit n=0 group=1 @a1\n",
		    "t.cfp:3: wait exit cannot join a race group");
	/* ring slots (the actors branch): version 3, io_uring modes only */
	check_error(M "queue poll slot=ring0 ud=1\n", "t.cfp:2: queue slot=ring0 needs 'cancelfuzz program 3'");
	check_error(M "close slot=ring1\n", "t.cfp:2: close slot=ring1 needs 'cancelfuzz program 3'");
	check_error("cancelfuzz program 3\nring mode=aio\nclose slot=ring0\n", "t.cfp:3: unknown slot 'ring0'");
	check_error("cancelfuzz program 3\nend group=2\n",
		    "t.cfp:2: end cannot join a race group or run on another actor");
	check_error(M "queue poll_remove target=1 ud=2\n",
		    "t.cfp:2: queue poll_remove needs 'cancelfuzz program 3'");
	check_error(M "queue nop slot=pipe0.r ud=1 flags=skip_success\n",
		    "t.cfp:2: queue flags=skip_success needs 'cancelfuzz program 3'");
	check_error(M "queue poll_update target=1 ud=2 pf=events\n",
		    "t.cfp:2: queue poll_update needs 'cancelfuzz program 3'");
	check_error(M "cancel sqe64 flags=0 ud=1 odd=skip_success\n",
		    "t.cfp:2: cancel odd=skip_success needs 'cancelfuzz program 3'");
	check_error("cancelfuzz program 3\nqueue poll_update target=1 pf=pollin\n",
		    "t.cfp:2: unknown poll update flag 'pollin'");
	check_error("cancelfuzz program 3\nqueue poll_remove slot=pipe0.r\n",
		    "t.cfp:2: unknown key 'slot' for queue");
	check_error("cancelfuzz program 3\nqueue timeout time=2ms\n",
		    "t.cfp:2: unknown duration '2ms'");
	check_error("cancelfuzz program 3\nqueue timeout_multi time=1us\n",
		    "t.cfp:2: timeout_multi without a count needs time=100us or longer");
	check_error("cancelfuzz program 3\nqueue timeout count=4\n",
		    "t.cfp:2: count 4 out of range 0..3");
	check_error("cancelfuzz program 3\nqueue timeout_update tf=etime_success\n",
		    "t.cfp:2: unknown update flag 'etime_success'");
	check_error("cancelfuzz program\n", "t.cfp:1: missing program format version");
	check_error("cancelfuzz program one\n", "t.cfp:1: bad program format version 'one'");
	check_error("# hi\ncancelfuzz program 1 extra\n",
		    "t.cfp:2: unexpected 'extra' after magic line");
	check_error(M "wait submit\n" M, "t.cfp:3: magic line repeated");
	check_error(M "frob slot=pipe0.r\n", "t.cfp:2: unknown statement 'frob'");
	check_error(M "queue read color=red\n", "t.cfp:2: unknown key 'color' for queue");
	check_error(M "close fd=3\n", "t.cfp:2: unknown key 'fd' for close");
	check_error(M "queue read slot=pipe0.r slot=pipe0.w\n", "t.cfp:2: duplicate key 'slot'");
	check_error(M "queue read slot=\n", "t.cfp:2: missing value for 'slot'");
	check_error(M "queue reed\n", "t.cfp:2: unknown request 'reed'");
	check_error(M "queue slot=pipe0.r\n", "t.cfp:2: missing request name");
	check_error(M "cancel\n", "t.cfp:2: missing cancel api name");
	check_error(M "cancel sync op=frob\n", "t.cfp:2: unknown request 'frob'");
	check_error(M "close slot=pipe9.r\n", "t.cfp:2: unknown slot 'pipe9.r'");
	check_error(M "complete explode\n", "t.cfp:2: unknown completion 'explode'");
	check_error(M "wait forever\n", "t.cfp:2: unknown wait kind 'forever'");
	check_error(M "complete write len=256\n", "t.cfp:2: len 256 out of range 0..255");
	check_error(M "complete write len=99999999999999999999999\n",
		    "t.cfp:2: len 99999999999999999999999 out of range 0..255");
	check_error(M "wait submit n=8\n", "t.cfp:2: n 8 out of range 0..7");
	check_error(M "wait submit n=-1\n", "t.cfp:2: bad number '-1' for n");
	check_error(M "wait submit n=3x\n", "t.cfp:2: bad number '3x' for n");
	check_error(M "wait submit n=1 extra\n", "t.cfp:2: expected key=value, got 'extra'");
	check_error(M "queue read write\n", "t.cfp:2: expected key=value, got 'write'");
	check_error(M "queue read =1\n", "t.cfp:2: expected key=value, got '=1'");
	check_error(M "end now\n", "t.cfp:2: unexpected 'now' after end");
	check_error(M "end\nwait submit\n", "t.cfp:3: statement after end");
	check_error(M "end\nend\n", "t.cfp:3: statement after end");
	check_error(M "wait submit\nring mode=coop\n",
		    "t.cfp:3: ring must directly follow the magic line");
	check_error(M "ring\nring\n", "t.cfp:3: ring must directly follow the magic line");
	check_error(M "ring mode=fast\n", "t.cfp:2: unknown mode 'fast'");
	check_error(M "ring entries=64\n", "t.cfp:2: bad entries '64' (allowed: 4, 8, 16, 32)");
	check_error(M "ring entries\n", "t.cfp:2: expected key=value, got 'entries'");
	check_error(M "queue read ud=7\n",
		    "t.cfp:2: bad ud '7' (allowed: 1, 2, 3, 4, 5, 6, 0, 0xffffffffffffffff)");
	check_error(M "cancel sqe ud=18446744073709551616\n",
		    "t.cfp:2: bad ud '18446744073709551616' (allowed: 1, 2, 3, 4, 5, 6, 0, "
		    "0xffffffffffffffff)");
	check_error(M "queue read flags=link|bogus\n", "t.cfp:2: unknown sqe flag 'bogus'");
	check_error(M "queue read flags=0|link\n", "t.cfp:2: unknown sqe flag '0'");
	check_error(M "queue read flags=1\n", "t.cfp:2: unknown sqe flag '1'");
	check_error(M "cancel sync flags=all|all\n", "t.cfp:2: duplicate cancel flag 'all'");
	check_error(M "cancel sync odd=off||link\n", "t.cfp:2: empty odd flag in 'off||link'");
	check_error(M "cancel sync odd=off|\n", "t.cfp:2: empty odd flag in 'off|'");
	check_error(M "wait submit\x01\n", "t.cfp:2: invalid character 0x01");

	/* One op too many: the 65th op statement is reported. */
	char text[2048] = M;
	for (int i = 0; i < CF_MAX_OPS + 1; i++)
		strcat(text, "wait submit\n");
	check_error(text, "t.cfp:66: too many ops (limit 64)");

	/* NUL bytes are data, not end of text. */
	struct cf_program prog;
	char err[128];
	const char nul_text[] = M "wait submit\0\n";
	CHECK_EQ(cf_text_parse(nul_text, sizeof(nul_text) - 1, "nul.cfp", &prog, err, sizeof(err)),
		 -1);
	CHECK_STR(err, "nul.cfp:2: invalid character 0x00");

	/* No filename; short and absent error buffers. */
	CHECK_EQ(cf_text_parse("x", 1, NULL, &prog, err, sizeof(err)), -1);
	CHECK_STR(err, "<input>:1: missing magic line 'cancelfuzz program 1'");
	char tiny[8];
	CHECK_EQ(cf_text_parse("x", 1, "file.cfp", &prog, tiny, sizeof(tiny)), -1);
	CHECK_STR(tiny, "file.cf");
	CHECK_EQ(cf_text_parse("x", 1, "file.cfp", &prog, NULL, 0), -1);
	CHECK_EQ(cf_text_parse(NULL, 0, "file.cfp", &prog, err, sizeof(err)), -1);
	CHECK_STR(err, "file.cfp:1: empty input, expected 'cancelfuzz program 1'");
}

static void test_is_program(void)
{
	static const char binary[] = { 0, 1, 0x0f, 'c', '\n' };

	CHECK_EQ(cf_text_is_program(M, strlen(M)), 1);
	CHECK_EQ(cf_text_is_program("# c\n\n \tcancelfuzz program 1 # x\n", 30), 1);
	CHECK_EQ(cf_text_is_program("cancelfuzz program 7", 20), 1); /* parser rejects version */
	CHECK_EQ(cf_text_is_program("cancelfuzz\n", 11), 0);
	CHECK_EQ(cf_text_is_program("ring\n" M, 5 + strlen(M)), 0);
	CHECK_EQ(cf_text_is_program("", 0), 0);
	CHECK_EQ(cf_text_is_program(NULL, 0), 0);
	CHECK_EQ(cf_text_is_program(binary, sizeof(binary)), 0);
	CHECK_EQ(cf_text_is_program(M, 10), 0); /* "cancelfuzz" only */
}

/* ---- round trip over random bytes ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t xorshift64(void)
{
	return test_rng_next(&rng_state);
}

static void test_round_trip(void)
{
	enum { ROUNDS = 20000, MAX_LEN = 600 };
	uint8_t bytes[MAX_LEN];
	uint8_t enc1[1024], enc2[1024];
	unsigned failures = 0, with_end = 0, full = 0, truncated = 0;

	CHECK(CF_MAX_ENCODED <= sizeof(enc1));
	for (int round = 0; round < ROUNDS && failures < 5; round++) {
		size_t len = (size_t)(xorshift64() % (MAX_LEN + 1));
		struct cf_program p, p2;
		char err[256];
		int rc;

		for (size_t i = 0; i < len; i++)
			bytes[i] = (uint8_t)xorshift64();
		cf_decode(bytes, len, &p);
		with_end += p.nops && p.ops[p.nops - 1].kind == CF_OP_END;
		full += p.nops == CF_MAX_OPS;
		truncated += p.truncated;

		char *text = print_to_string(&p, &rc);
		if (!text) {
			fprintf(stderr, "round %d: print failed: %d\n", round, rc);
			failures++;
			continue;
		}
		if (cf_text_is_program(text, strlen(text)) != 1 ||
		    cf_text_parse(text, strlen(text), "rt", &p2, err, sizeof(err)) != 0) {
			fprintf(stderr, "round %d: parse failed: %s\n", round, err);
			failures++;
			free(text);
			continue;
		}
		size_t n1 = cf_encode(&p, enc1, sizeof(enc1));
		size_t n2 = cf_encode(&p2, enc2, sizeof(enc2));
		char *text2 = print_to_string(&p2, &rc);

		if (p2.truncated != 0 || n1 != n2 || memcmp(enc1, enc2, n1) != 0 || !text2 ||
		    strcmp(text, text2) != 0) {
			fprintf(stderr, "round %d: round trip differs:\n%s", round, text);
			failures++;
		}
		free(text);
		free(text2);
	}
	CHECK_EQ(failures, 0);
	printf("round trip: %d inputs, %u ending in end, %u at %d ops, %u truncated\n",
	       ROUNDS, with_end, full, CF_MAX_OPS, truncated);
	CHECK(with_end > 0 && full > 0 && truncated > 0);
}

/* lang branch: poll_update's slot byte, recvmsg_multi, a cancel's
 * skip_success, in bytes and in canonical text. */
static void test_lang_kinds(void)
{
	struct cf_program prog;
	uint8_t enc[CF_MAX_ENCODED];
	/* queue 26 (poll_update) slot byte 0x68 = target ud 1 | events |
	 * multi | pollout; queue 27 (recvmsg_multi) slot 5; cancel odd 0x40 */
	static const uint8_t bytes[] = { 0, 1, 0,  0, 26, 0x68, 1, 0,  0, 27, 5, 2, 0,
					 4, 0, 0, 0, 0, 0, 0x40,  15 };

	cf_decode(bytes, sizeof(bytes), &prog);
	CHECK_EQ(prog.nops, 4);
	CHECK_EQ(prog.ops[0].a[CF_Q_SLOT], 0x68);
	CHECK_EQ(prog.ops[2].a[CF_C_ODD], CF_ODD_SKIP);
	check_prints(&prog, "cancelfuzz program 3\nring mode=default entries=8\n"
			    "queue poll_update target=1 ud=2 flags=0 pf=events|multi|pollout\n"
			    "queue recvmsg_multi slot=sock0.b ud=3 flags=0\n"
			    "cancel sqe64 flags=0 ud=1 slot=pipe0.r op=nop odd=skip_success\n"
			    "end\n");
	CHECK_EQ(cf_encode(&prog, enc, sizeof(enc)), sizeof(bytes));
	CHECK(memcmp(enc, bytes, sizeof(bytes)) == 0);
	/* 0x7f: a cancel's odd byte keeps bit 6 now, never bit 7 */
	CHECK_EQ(CF_ODD__MASK, 0x7f);
	CHECK_EQ(cf_req_opcode(CF_REQ_POLL_UPDATE), 7);
	CHECK_EQ(cf_req_opcode(CF_REQ_RECVMSG_MULTI), 10);
	CHECK_EQ(cf_req_is_multishot(CF_REQ_RECVMSG_MULTI), 1);
}

/* cov3 branch: msg_ring and msg_ring_skip (kinds 28 and 29) take a slot,
 * the ring they post to; readv_direct and writev_direct (30, 31) too; the
 * request byte decodes % 32. */
static void test_msg_ring_kinds(void)
{
	struct cf_program prog;
	uint8_t enc[CF_MAX_ENCODED];
	/* queue 28 slot 16 (ring0) ud 1; queue 29 slot 17 (ring1) ud 2 with
	 * async; queue 60 (% 32: 28) slot 34 (% 18: 16) */
	static const uint8_t bytes[] = { 0, 1, 0,  0, 28, 16, 1, 0,  0, 29, 17, 2, 4,  0, 60, 34, 3, 0,  15 };

	cf_decode(bytes, sizeof(bytes), &prog);
	CHECK_EQ(prog.nops, 4);
	CHECK_EQ(prog.ops[2].a[CF_Q_REQ], CF_REQ_MSG_RING);
	CHECK_EQ(prog.ops[2].a[CF_Q_SLOT], CF_SLOT_RING0);
	check_prints(&prog, "cancelfuzz program 3\nring mode=default entries=8\n"
			    "actors a1=thread a2=thread a3=thread\n"
			    "queue msg_ring slot=ring0 ud=2 flags=0\n"
			    "queue msg_ring_skip slot=ring1 ud=3 flags=async\n"
			    "queue msg_ring slot=ring0 ud=4 flags=0\n"
			    "end\n");
	CHECK(cf_encode(&prog, enc, sizeof(enc)) > 0);
	CHECK_EQ(cf_req_opcode(CF_REQ_MSG_RING), 40);
	CHECK_EQ(cf_req_opcode(CF_REQ_MSG_RING_SKIP), 40);
	CHECK_EQ(cf_req_is_multishot(CF_REQ_MSG_RING), 0);
	CHECK_EQ(CF_REQ__COUNT, 32);
	CHECK_EQ(cf_req_opcode(CF_REQ_READV_DIRECT), 1);
	CHECK_EQ(cf_req_opcode(CF_REQ_WRITEV_DIRECT), 2);
	CHECK(cf_req_is_direct(CF_REQ_READV_DIRECT) && !cf_req_is_direct(CF_REQ_READ_FILE));
	/* a new kind needs format 3, even aimed at a slot version 1 has */
	check_error(M "queue msg_ring slot=pipe0.r ud=1 flags=0\n",
		    "t.cfp:2: queue msg_ring needs 'cancelfuzz program 3'");
	/* messages name their sender; no pool value is one */
	CHECK(cf_is_msg_ud(cf_msg_ud(CF_SLOT_RING1, 63)));
	for (unsigned i = 0; i < CF_UD_POOL; i++)
		CHECK(!cf_is_msg_ud(cf_ud_value(i)));
	CHECK(!cf_is_msg_ud(CF_UD_CANCEL_BASE | 5));
}

int main(void)
{
	test_lang_kinds();
	test_msg_ring_kinds();
	test_print_exact();
	test_print_invalid();
	test_parse_lenient_where_allowed();
	test_parse_errors();
	test_is_program();
	test_round_trip();
	TEST_EXIT();
}
