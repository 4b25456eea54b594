/* The cancelfuzz command line: each command parses its arguments and calls
 * the layer below that does the work (docs/cli.md). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "builtin.h"
#include "corpus_min.h"
#include "export_c.h"
#include "history.h"
#include "input.h"
#include "kmsg.h"
#include "litmus.h"
#include "probe.h"
#include "program.h"
#include "run.h"
#include "ring.h"
#include "stats.h"
#include "text.h"
#include "triage.h"
#include "trace.h"
#include "version.h"

static const char usage[] =
	"usage: cancelfuzz COMMAND ...\n"
	"  replay [-q] [--history OUT] [--trace] [--kmsg] [--tries N] FILE|DIR...\n"
	"                                           run programs, print history and verdict;\n"
	"                                           --trace adds the kernel's view (tracefs);\n"
	"                                           --kmsg fails a run that left WARNING/BUG/KASAN/\n"
	"                                           lockdep lines in the kernel log (/dev/kmsg);\n"
	"                                           a race program runs until a violation (N, 1)\n"
	"  race FILE [--runs N] [--fixed] [--json]  run a program's race groups N times (default 200),\n"
	"                                           offsets swept; outcome histogram, allowed/forbidden\n"
	"  show FILE                                print a program as text\n"
	"  compile TEXT -o OUT                      turn program text into bytes\n"
	"  check HISTORY...                         judge recorded histories offline\n"
	"  probe                                    what this kernel's io_uring supports\n"
	"  divergences                              the registry of known doc/kernel disagreements\n"
	"  fuzz [--seconds N] [--seed S] ...        a campaign with the built-in engine (fuzz --help)\n"
	"  triage --out DIR FILE|DIR...             verdict, signature, minimized finding per input (JSON)\n"
	"  cmin --out DIR FILE|DIR...               keep the inputs that show distinct kernel behaviour\n"
	"  faults                                   the injectable faults and the invariant each must trip\n"
	"  limits                                   limits, exit codes and file layouts as JSON (for scripts)\n"
	"  export-c [-o OUT.c] FILE                 a self-contained C reproducer (docs/cli.md)\n"
	"  --version                                version and git commit of this build\n"
	"replay, check and export-c take --spec doc (the pages, default) or --spec kernel.\n"
	"replay and fuzz take --fault NAME (or CF_FAULT=NAME): break one recorded promise on purpose.\n"
	"Program files ending in " CF_TEXT_SUFFIX " are text, others binary.\n"
	"Exit: 0 pass, 1 invariant violation, 2 bad input or usage, 3 harness error,\n"
	"      77 unsupported here (io_uring blocked or setup mode missing).\n";

struct replay_opts {
	int quiet, trace;
	int kmsg;          /* --kmsg: scan the kernel log after each program; -1 unreadable */
	unsigned tries; /* a program with race groups: runs until a violation shows */
	const char *history_out;
	unsigned files, pass, violations, unsupported, errors;
};

static struct cf_history history; /* large: keep it off the stack */

static int save_history(const char *path, const struct cf_history *h)
{
	char *buf = NULL, err[512];
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	int ret;

	if (!mem || cf_history_write(h, mem) < 0 || fclose(mem) != 0) {
		fprintf(stderr, "%s: cannot format history\n", path);
		free(buf);
		return -1;
	}
	ret = cf_write_file_atomic(path, buf, len, err, sizeof(err));
	if (ret < 0)
		fprintf(stderr, "%s\n", err);
	free(buf);
	return ret;
}

static enum cf_spec spec = CF_SPEC_DOC;

static int judge_and_report(const char *name, const struct cf_history *h)
{
	struct cf_judgement j;
	int code = cf_run_judge(h, spec, &j);

	cf_judgement_print(&j, name, stdout);
	return code;
}

/* Takes --spec VALUE out of argv; returns the new argc, or -1 on a bad value. */
static int take_spec_option(int argc, char **argv)
{
	int out = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--spec") != 0) {
			argv[out++] = argv[i];
			continue;
		}
		if (i + 1 == argc || (strcmp(argv[i + 1], "doc") != 0 &&
				      strcmp(argv[i + 1], "kernel") != 0)) {
			fprintf(stderr, "--spec needs 'doc' or 'kernel'\n");
			return -1;
		}
		spec = strcmp(argv[++i], "doc") == 0 ? CF_SPEC_DOC : CF_SPEC_KERNEL;
	}
	return out;
}

/* Takes --fault NAME out of argv and selects it; returns the new argc, -1 on
 * an unknown name, -2 after "--fault list" printed the table. */
static int take_fault_option(int argc, char **argv)
{
	int out = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--fault") != 0) {
			argv[out++] = argv[i];
			continue;
		}
		if (i + 1 == argc) {
			fprintf(stderr, "--fault needs a fault name (or 'list')\n");
			return -1;
		}
		if (strcmp(argv[++i], "list") == 0) {
			cf_fault_list(stdout);
			return -2;
		}
		if (cf_fault_select(argv[i]) < 0) {
			cf_fault_print_unknown(stderr, argv[i]);
			return -1;
		}
	}
	return out;
}

/* replay --trace: the kernel's view, as text for the report (stdout, after
 * the history) and OUT.trace when --history OUT is given. Never fails the
 * replay; returns malloc'd text. */
static char *finish_trace(struct cf_trace *t, const struct replay_opts *o)
{
	char *buf = NULL, *text = NULL, why[256], err[512], out[4200];
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	int n = mem ? cf_trace_finish(t, mem, why, sizeof(why)) : -1;

	if (mem)
		fclose(mem);
	if (n >= 0 && o->history_out &&
	    snprintf(out, sizeof(out), "%s.trace", o->history_out) < (int)sizeof(out) &&
	    cf_write_file_atomic(out, buf, len, err, sizeof(err)) < 0)
		fprintf(stderr, "%s\n", err);
	if (n < 0 ? asprintf(&text, "# kernel trace: failed: %s\n", mem ? why : "out of memory")
		  : asprintf(&text, "# kernel trace: %d events (syscalls:sys_*_io_*, io_uring:*, POSIX AIO "
			     "helper threads' I/O; this process)\n%s", n, buf) < 0)
		text = NULL;
	free(buf);
	return text;
}

/* A program with race groups, given --tries N: run until the oracle
 * reports a violation (at most N runs), then show that run. Each try is a
 * cold run (cf_run_cold): a forked child with its own ring and actor
 * threads, as in the fresh process in which a finding's hit rate was
 * measured (fuzzers/findings.c); warm tries, one after another in one
 * process, showed some races several times less often than the measured
 * rate (docs/benchmarks.md, "race reproduction").
 * The child prints the run it ends on (a violation, or the last). */
#define TRY_SAVE_FAILED 0x40 /* or'ed into a try's status: --history could not be written */

struct race_try {
	const char *path;
	struct replay_opts *o;
	int last;
};

static int race_try(int code, enum cf_run run, const struct cf_history *h,
		    const struct cf_judgement *j, const char *why, void *arg)
{
	struct race_try *t = arg;
	int saved = 0;

	if (run == CF_RUN_UNSUPPORTED) {
		printf("UNSUPPORTED %s: %s\n", t->path, why);
		return CF_EXIT_UNSUPPORTED;
	}
	if (run != CF_RUN_OK) {
		printf("ERROR %s: %s\n", t->path, why);
		return CF_EXIT_HARNESS;
	}
	if (code != CF_EXIT_VIOLATION && !t->last)
		return CF_EXIT_PASS;
	if (!t->o->quiet)
		cf_history_write(h, stdout);
	if (t->o->history_out && save_history(t->o->history_out, h) < 0)
		saved = TRY_SAVE_FAILED;
	cf_judgement_print(j, t->path, stdout);
	return code | saved;
}

static int replay_race(const char *path, const struct cf_program *prog, struct replay_opts *o)
{
	struct race_try t = { path, o, 0 };
	unsigned n = 0, k = 0;
	int code = CF_EXIT_PASS;

	while (n < o->tries) {
		int r;

		t.last = ++n == o->tries;
		r = cf_run_cold(prog, spec, race_try, &t);
		if (r < 0) {
			printf("ERROR %s: no child for try %u: %s\n", path, n, strerror(-r));
			o->errors++;
			return CF_EXIT_HARNESS;
		}
		if (r & TRY_SAVE_FAILED)
			o->errors++;
		code = r & ~TRY_SAVE_FAILED;
		if (code == CF_EXIT_UNSUPPORTED) {
			o->unsupported++;
			return code;
		}
		if (code != CF_EXIT_PASS && code != CF_EXIT_VIOLATION) {
			o->errors++;
			return CF_EXIT_HARNESS;
		}
		if (code == CF_EXIT_VIOLATION) {
			k = 1;
			break;
		}
	}
	printf("race: reproduced %u of %u runs%s\n", k, n,
	       k ? " (replay stops at the first)" : "");
	if (code == CF_EXIT_PASS)
		o->pass++;
	else
		o->violations++;
	return code;
}

static int replay_file_run(const char *path, struct replay_opts *o);

/* replay --kmsg: the kernel log's new failure lines while path ran (and
 * its teardown, and the ring's exit) make it a violation. */
static int replay_file(const char *path, struct replay_opts *o)
{
	struct cf_kmsg k = { .fd = -1 };
	char why[256];
	unsigned found;
	int code;

	if (o->kmsg <= 0)
		return replay_file_run(path, o);
	if (cf_kmsg_open(&k, why, sizeof(why)) < 0) {
		fprintf(stderr, "replay --kmsg: the kernel log is not checked: %s\n", why);
		o->kmsg = -1;
		return replay_file_run(path, o);
	}
	code = replay_file_run(path, o);
	found = cf_kmsg_scan(&k, path, stdout);
	cf_kmsg_close(&k);
	if (found) {
		printf("KERNEL-LOG %s: %u new failure line(s) while it ran (the log is machine-wide: "
		       "another process may have caused them; replay again to confirm)\n", path, found);
		if (code == CF_EXIT_PASS) {
			o->pass--;
			o->violations++;
		}
		code = cf_exit_worse(code, CF_EXIT_VIOLATION);
	}
	return code;
}

static int replay_file_run(const char *path, struct replay_opts *o)
{
	char *trace_text = NULL;
	struct cf_program prog;
	char err[512];
	enum cf_run run;
	int code;

	o->files++;
	if (cf_load_program(path, &prog, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		o->errors++;
		return CF_EXIT_BAD_INPUT;
	}
	if (prog.truncated)
		fprintf(stderr, "note: %s: input ends inside an op; missing bytes read as 0\n", path);
	if (cf_program_has_groups(&prog) && o->tries > 1 && !o->trace)
		return replay_race(path, &prog, o);
	if (o->trace) {
		char why[256];
		struct cf_trace *trace = cf_trace_start(why, sizeof(why));

		run = cf_run_record(&prog, &history, err, sizeof(err));
		if (trace)
			trace_text = finish_trace(trace, o);
		else if (asprintf(&trace_text, "# kernel trace: not recorded: %s\n", why) < 0)
			trace_text = NULL;
	} else {
		run = cf_run_record(&prog, &history, err, sizeof(err));
	}
	if (run == CF_RUN_UNSUPPORTED) {
		free(trace_text);
		printf("UNSUPPORTED %s: %s\n", path, err);
		o->unsupported++;
		return CF_EXIT_UNSUPPORTED;
	}
	if (!o->quiet)
		cf_history_write(&history, stdout);
	if (trace_text)
		fputs(trace_text, stdout);
	free(trace_text);
	trace_text = NULL;
	if (o->history_out && save_history(o->history_out, &history) < 0) {
		o->errors++;
		return CF_EXIT_HARNESS;
	}
	if (run == CF_RUN_HARNESS_ERROR) {
		printf("ERROR %s: %s\n", path, err);
		o->errors++;
		return CF_EXIT_HARNESS;
	}
	code = judge_and_report(path, &history);
	if (code == CF_EXIT_PASS)
		o->pass++;
	else
		o->violations++;
	return code;
}

static int replay_path(const char *path, struct replay_opts *o, int depth);

static int replay_dir(const char *path, struct replay_opts *o, int depth)
{
	struct dirent **list;
	int n = scandir(path, &list, NULL, alphasort), code = CF_EXIT_PASS;

	if (n < 0) {
		fprintf(stderr, "%s: cannot read directory: %s\n", path, strerror(errno));
		return CF_EXIT_BAD_INPUT;
	}
	unsigned before = o->files;

	for (int i = 0; i < n; i++) {
		char child[4096];

		if (!cf_is_sidecar_name(list[i]->d_name) &&
		    snprintf(child, sizeof(child), "%s/%s", path, list[i]->d_name) < (int)sizeof(child))
			code = cf_exit_worse(code, replay_path(child, o, depth + 1));
		free(list[i]);
	}
	free(list);
	if (depth == 0 && o->files == before) {
		/* A folder given on the command line that holds nothing to run is a
		 * mistake (wrong path, empty corpus), not a pass. */
		fprintf(stderr, "replay: no programs in %s\n", path);
		return cf_exit_worse(code, CF_EXIT_BAD_INPUT);
	}
	return code;
}

static int replay_path(const char *path, struct replay_opts *o, int depth)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
		o->errors++;
		return CF_EXIT_BAD_INPUT;
	}
	if (S_ISDIR(st.st_mode)) {
		if (depth > 8) {
			fprintf(stderr, "%s: directories nested deeper than 8\n", path);
			return CF_EXIT_BAD_INPUT;
		}
		return replay_dir(path, o, depth);
	}
	return replay_file(path, o);
}

static int cmd_replay(int argc, char **argv)
{
	struct replay_opts o = { 0 };
	int code = CF_EXIT_PASS, nfiles = 0;

	argc = take_spec_option(argc, argv);
	if (argc >= 0)
		argc = take_fault_option(argc, argv);
	if (argc == -2)
		return CF_EXIT_PASS;
	if (argc < 0)
		return CF_EXIT_BAD_INPUT;
	if (cf_fault_active() < 0) { /* an unknown CF_FAULT stops here, before anything runs */
		cf_fault_print_unknown(stderr, NULL);
		return CF_EXIT_BAD_INPUT;
	}

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0) {
			o.quiet = 1;
		} else if (strcmp(argv[i], "--trace") == 0) {
			o.trace = 1;
		} else if (strcmp(argv[i], "--kmsg") == 0) {
			o.kmsg = 1;
		} else if (strcmp(argv[i], "--history") == 0) {
			if (++i == argc) {
				fprintf(stderr, "replay: --history needs a file name\n");
				return CF_EXIT_BAD_INPUT;
			}
			o.history_out = argv[i];
		} else if (strcmp(argv[i], "--tries") == 0) {
			char *end;
			unsigned long t;

			errno = 0;
			t = ++i < argc ? strtoul(argv[i], &end, 10) : 0;
			if (i == argc || errno || *end || end == argv[i] || argv[i][0] == '-' || t < 1 ||
			    t > 100000) {
				fprintf(stderr, "replay: --tries needs a number 1..100000\n");
				return CF_EXIT_BAD_INPUT;
			}
			o.tries = (unsigned)t;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "replay: unknown option %s\n%s", argv[i], usage);
			return CF_EXIT_BAD_INPUT;
		}
	}
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--history") == 0 || strcmp(argv[i], "--tries") == 0) {
			i++;
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1])
			continue;
		nfiles++;
		code = cf_exit_worse(code, replay_path(argv[i], &o, 0));
	}
	if (nfiles == 0) {
		fprintf(stderr, "replay: no FILE or DIR given\n%s", usage);
		return CF_EXIT_BAD_INPUT;
	}
	if (o.history_out && o.files != 1) {
		fprintf(stderr, "replay: --history needs exactly one program (got %u)\n", o.files);
		return cf_exit_worse(code, CF_EXIT_BAD_INPUT);
	}
	if (o.files > 1)
		printf("replayed %u programs: %u pass, %u violation, %u unsupported, %u error\n",
		       o.files, o.pass, o.violations, o.unsupported, o.errors);
	cf_ring_release_all();
	return code;
}

static int cmd_race(int argc, char **argv)
{
	static struct cf_litmus l;
	struct cf_program prog;
	const char *path = NULL;
	unsigned long runs = 200;
	int json = 0, sweep = 1, run;
	char err[512];

	argc = take_spec_option(argc, argv);
	if (argc < 0)
		return CF_EXIT_BAD_INPUT;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = 1;
		} else if (strcmp(argv[i], "--fixed") == 0) {
			sweep = 0;
		} else if (strcmp(argv[i], "--runs") == 0) {
			char *end;

			if (++i == argc) {
				fprintf(stderr, "race: --runs needs a number\n");
				return CF_EXIT_BAD_INPUT;
			}
			errno = 0;
			runs = strtoul(argv[i], &end, 10);
			if (errno || *end || end == argv[i] || runs < 1 || runs > 1000000 || argv[i][0] == '-') {
				fprintf(stderr, "race: --runs must be 1..1000000, not '%s'\n", argv[i]);
				return CF_EXIT_BAD_INPUT;
			}
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "race: unknown option %s\n%s", argv[i], usage);
			return CF_EXIT_BAD_INPUT;
		} else if (path) {
			fprintf(stderr, "race: needs exactly one FILE\n%s", usage);
			return CF_EXIT_BAD_INPUT;
		} else {
			path = argv[i];
		}
	}
	if (!path) {
		fprintf(stderr, "race: needs exactly one FILE\n%s", usage);
		return CF_EXIT_BAD_INPUT;
	}
	if (cf_load_program(path, &prog, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return CF_EXIT_BAD_INPUT;
	}
	if (!cf_program_has_groups(&prog)) {
		fprintf(stderr, "race: %s has no race group (no op with group=G released by 'wait go n=G')\n",
			path);
		return CF_EXIT_BAD_INPUT;
	}
	run = cf_litmus_run(&prog, (unsigned)runs, sweep, spec, &l, err, sizeof(err));
	cf_ring_release_all();
	if (run == CF_RUN_UNSUPPORTED) {
		printf("UNSUPPORTED %s: %s\n", path, err);
		return CF_EXIT_UNSUPPORTED;
	}
	if (run != CF_RUN_OK) {
		printf("ERROR %s: %s\n", path, err);
		return CF_EXIT_HARNESS;
	}
	cf_litmus_print(&l, path, json, stdout);
	return cf_litmus_forbidden(&l) ? CF_EXIT_VIOLATION : CF_EXIT_PASS;
}

static int cmd_show(int argc, char **argv)
{
	struct cf_program prog;
	char err[512];

	if (argc != 1) {
		fprintf(stderr, "show: needs exactly one FILE\n%s", usage);
		return CF_EXIT_BAD_INPUT;
	}
	if (cf_load_program(argv[0], &prog, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return CF_EXIT_BAD_INPUT;
	}
	if (prog.truncated)
		printf("# note: the input ends inside an op; missing bytes read as 0\n");
	return cf_text_print(&prog, stdout) < 0 ? CF_EXIT_HARNESS : CF_EXIT_PASS;
}

static int cmd_compile(int argc, char **argv)
{
	struct cf_program prog;
	uint8_t bytes[CF_MAX_ENCODED];
	char err[512];
	size_t len;

	if (argc != 3 || strcmp(argv[1], "-o") != 0) {
		fprintf(stderr, "compile: usage: cancelfuzz compile TEXT -o OUT\n");
		return CF_EXIT_BAD_INPUT;
	}
	if (!cf_is_text_path(argv[0])) {
		fprintf(stderr, "%s: program text must end in %s\n", argv[0], CF_TEXT_SUFFIX);
		return CF_EXIT_BAD_INPUT;
	}
	if (cf_load_program(argv[0], &prog, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return CF_EXIT_BAD_INPUT;
	}
	len = cf_encode(&prog, bytes, sizeof(bytes));
	if (cf_write_file_atomic(argv[2], bytes, len, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return CF_EXIT_HARNESS;
	}
	return CF_EXIT_PASS;
}

static int cmd_check(int argc, char **argv)
{
	int code = CF_EXIT_PASS;

	argc = take_spec_option(argc, argv);
	if (argc < 0)
		return CF_EXIT_BAD_INPUT;

	if (argc < 1) {
		fprintf(stderr, "check: needs at least one HISTORY file\n%s", usage);
		return CF_EXIT_BAD_INPUT;
	}
	for (int i = 0; i < argc; i++) {
		char err[512];
		struct stat st;
		FILE *in = NULL;

		if (stat(argv[i], &st) == 0 && !S_ISREG(st.st_mode)) {
			fprintf(stderr, "%s: not a regular file\n", argv[i]);
			code = cf_exit_worse(code, CF_EXIT_BAD_INPUT);
			continue;
		}
		in = fopen(argv[i], "r");
		if (!in) {
			fprintf(stderr, "%s: cannot open: %s\n", argv[i], strerror(errno));
			code = cf_exit_worse(code, CF_EXIT_BAD_INPUT);
			continue;
		}
		if (cf_history_read(in, &history, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s: %s\n", argv[i], err);
			code = cf_exit_worse(code, CF_EXIT_BAD_INPUT);
		} else {
			code = cf_exit_worse(code, judge_and_report(argv[i], &history));
		}
		fclose(in);
	}
	return code;
}

static int cmd_divergences(int argc, char **argv)
{
	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "divergences: takes no arguments\n");
		return CF_EXIT_BAD_INPUT;
	}
	cf_divergences_print(stdout);
	return CF_EXIT_PASS;
}

static int cmd_faults(int argc, char **argv)
{
	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "faults: takes no arguments\n");
		return CF_EXIT_BAD_INPUT;
	}
	cf_fault_list(stdout);
	return CF_EXIT_PASS;
}

static int cmd_limits(int argc, char **argv)
{
	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "limits: takes no arguments\n");
		return CF_EXIT_BAD_INPUT;
	}
	printf("{\"max_ops\": %d, \"max_input\": %d, \"max_encoded\": %d, \"max_text\": %u,\n",
	       CF_MAX_OPS, CF_MAX_INPUT, CF_MAX_ENCODED, CF_MAX_TEXT_FILE);
	printf(" \"exit\": {\"pass\": %d, \"violation\": %d, \"bad_input\": %d, \"harness\": %d, "
	       "\"unsupported\": %d},\n", CF_EXIT_PASS, CF_EXIT_VIOLATION, CF_EXIT_BAD_INPUT,
	       CF_EXIT_HARNESS, CF_EXIT_UNSUPPORTED);
	fputs(" \"stats\": ", stdout);
	cf_stats_layout_json(stdout);
	fputs("}\n", stdout);
	return CF_EXIT_PASS;
}

static int cmd_probe(int argc, char **argv)
{
	const struct cf_features *f;

	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "probe: takes no arguments\n");
		return CF_EXIT_BAD_INPUT;
	}
	f = cf_probe();
	cf_probe_print(f, stdout);
	return f->usable ? CF_EXIT_PASS : CF_EXIT_UNSUPPORTED;
}

/* export-c [--spec doc|kernel] [-o OUT.c] FILE */
static int cmd_export_c(int argc, char **argv)
{
	const char *out = NULL, *file = NULL;

	argc = take_spec_option(argc, argv);
	if (argc < 0)
		return CF_EXIT_BAD_INPUT;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc && !out)
			out = argv[++i];
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else
			file = out = NULL, i = argc;
	}
	if (!file) {
		fprintf(stderr, "export-c: usage: cancelfuzz export-c [--spec doc|kernel] [-o OUT.c] FILE\n");
		return CF_EXIT_BAD_INPUT;
	}
	return cf_export_c(file, spec, out);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int, char **);
	} cmds[] = {
		{ "replay", cmd_replay }, { "race", cmd_race }, { "show", cmd_show }, { "compile", cmd_compile },
		{ "check", cmd_check }, { "probe", cmd_probe },
		{ "divergences", cmd_divergences }, { "fuzz", cf_builtin_main },
		{ "triage", cf_triage_main }, { "cmin", cf_cmin_main },
		{ "faults", cmd_faults }, { "limits", cmd_limits },
		{ "export-c", cmd_export_c },
	};

	if (argc < 2) {
		fputs(usage, stderr);
		return CF_EXIT_BAD_INPUT;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("cancelfuzz %s (commit %s)\n", cf_version, cf_commit);
		return CF_EXIT_PASS;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		fputs(usage, stdout);
		return CF_EXIT_PASS;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].run(argc - 2, argv + 2);
	fprintf(stderr, "cancelfuzz: unknown command '%s'\n%s", argv[1], usage);
	return CF_EXIT_BAD_INPUT;
}
