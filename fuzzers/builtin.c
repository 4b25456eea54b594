/* cancelfuzz fuzz: a time-boxed campaign on the running kernel. */
#include "builtin.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "faults.h"
#include "findings.h"
#include "input.h"
#include "mutate.h"
#include "probe.h"
#include "ring.h"
#include "stats.h"
#include "signature.h"
#include "target.h"
#include "version.h"

#define MAX_CORPUS 4096
#define SWARM_PERIOD 256
#define MINIMIZE_BUDGET 400

struct engine {
	double seconds;
	unsigned long long max_execs, seed;
	enum cf_spec spec;
	int feedback, stop_on_first, cost_aware;
	const char *out_dir, *corpus_dir, *stats_path;
	const char *seed_dirs[8];
	int nseed_dirs;
	/* state */
	struct cf_rng rng;
	struct cf_swarm swarm;
	struct cf_mode_cost cost;
	struct cf_stats_page *stats;
	struct cf_program *corpus;
	unsigned ncorpus;
	uint8_t seen[1u << (CF_FEATURE_BITS - 3)];
	unsigned behaviours, new_findings, known_hits, unsupported, errors;
	unsigned unconfirmed; /* new, but shown in none of their cold runs: saved, not counted */
	/* Writes that failed: counted apart from harness errors, exit 3 */
	unsigned corpus_write_failures, finding_write_failures;
	const char *fallback_dir; /* where findings went that --out refused */
	unsigned saved_elsewhere;
	unsigned long long execs;
	double started;  /* now() when fuzzing began */
	unsigned fault;  /* injected fault, CF_FAULT_NONE when off */
	int detected;    /* the first-detection line was printed */
	struct root_cause {
		char sig[256];
		unsigned hits;  /* executions that showed it */
		unsigned modes; /* bit per setup mode it was seen in */
		char also[512];  /* the other root causes its executions showed */
	} causes[64];
	unsigned ncauses;
	char known_ids[32][8];
	unsigned nknown;
};

static struct cf_history history;

/* SIGINT/SIGTERM: the first ends the campaign after the current execution,
 * with the summary and the exit code its findings call for; a second one
 * stops at once (the default action). */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	static const char msg[] = "\nfuzz: interrupted: finishing (interrupt again to stop at once)\n";

	if (stop_signal) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	stop_signal = sig;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		return;
}

static void stop_on_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sa.sa_flags = SA_RESTART; /* the execution in flight goes on */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static double cpu_now(void)
{
	struct timespec t;

	/* every thread of the process, io_uring's SQ pollers and workers too */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: cancelfuzz fuzz [--seconds N] [--execs N] [--seed S] [--spec doc|kernel]\n"
		"                       [--out DIR] [--corpus-dir DIR] [--seeds DIR]... [--no-feedback]\n"
		"                       [--stats FILE] [--fault NAME] [--stop-on-first] [--no-cost-aware]\n"
		"  --out DIR         findings go here (default fuzz-out/findings)\n"
		"  --corpus-dir DIR  load and grow a corpus kept between runs\n"
		"  --seeds DIR       programs to start from (default corpora/)\n"
		"  --no-feedback     do not keep inputs that show new kernel behaviour\n"
		"  --no-cost-aware   run every setup mode as often as the swarm picks it, not in\n"
		"                    proportion to the behaviours it finds per CPU second\n"
		"  --stats FILE      add every execution to a shared statistics page (scripts/fuzz)\n"
		"  --fault NAME      inject a fault (cancelfuzz faults); findings default to\n"
		"                    fuzz-out/fault-NAME, and the first one on the fault's\n"
		"                    invariant prints 'first-detection ...' on stdout\n"
		"  --stop-on-first   stop at the first new finding (with --fault: the first\n"
		"                    on the fault's invariant)\n"
		"Folders are created; one that cannot be written to is an error (exit 2) before\n"
		"anything runs. SIGINT/SIGTERM ends the run with its summary (again: at once).\n"
		"Exit: 0 no new finding, 1 new findings, 2 usage or unusable folder,\n"
		"      3 a corpus entry or finding could not be written, 77 io_uring unusable here.\n");
}

static int parse(struct engine *e, int argc, char **argv)
{
	e->seconds = 60;
	e->seed = (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 32);
	e->spec = CF_SPEC_DOC;
	e->feedback = 1;
	e->cost_aware = 1;
	e->out_dir = NULL;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end = NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return -1;
		if (strcmp(a, "--no-feedback") == 0) {
			e->feedback = 0;
			continue;
		}
		if (strcmp(a, "--no-cost-aware") == 0) {
			e->cost_aware = 0;
			continue;
		}
		if (strcmp(a, "--stop-on-first") == 0) {
			e->stop_on_first = 1;
			continue;
		}
		if (!v) {
			fprintf(stderr, "fuzz: %s needs a value\n", a);
			return -1;
		}
		i++;
		errno = 0;
		if (strcmp(a, "--seconds") == 0)
			e->seconds = strtod(v, &end);
		else if (strcmp(a, "--execs") == 0)
			e->max_execs = strtoull(v, &end, 10);
		else if (strcmp(a, "--seed") == 0)
			e->seed = strtoull(v, &end, 0);
		else if (strcmp(a, "--spec") == 0 && (strcmp(v, "doc") == 0 || strcmp(v, "kernel") == 0))
			e->spec = strcmp(v, "doc") == 0 ? CF_SPEC_DOC : CF_SPEC_KERNEL;
		else if (strcmp(a, "--out") == 0)
			e->out_dir = v;
		else if (strcmp(a, "--corpus-dir") == 0)
			e->corpus_dir = v;
		else if (strcmp(a, "--stats") == 0)
			e->stats_path = v;
		else if (strcmp(a, "--seeds") == 0 && e->nseed_dirs < 8)
			e->seed_dirs[e->nseed_dirs++] = v;
		else if (strcmp(a, "--fault") == 0) {
			if (cf_fault_select(v) < 0) {
				cf_fault_print_unknown(stderr, v);
				return -2;
			}
		}
		else {
			fprintf(stderr, "fuzz: unknown option or value: %s %s\n", a, v);
			return -1;
		}
		if (end && (*end || errno || end == v)) {
			fprintf(stderr, "fuzz: bad number for %s: %s\n", a, v);
			return -1;
		}
	}
	if (e->seconds <= 0 && !e->max_execs) {
		fprintf(stderr, "fuzz: --seconds must be positive\n");
		return -1;
	}
	if (cf_fault_active() < 0) {
		cf_fault_print_unknown(stderr, NULL);
		return -2;
	}
	e->fault = (unsigned)cf_fault_active(); /* --fault, else CF_FAULT */
	if (!e->out_dir && e->fault != CF_FAULT_NONE) {
		static char faulty[64]; /* never mixed with real findings */

		snprintf(faulty, sizeof(faulty), "fuzz-out/fault-%s", cf_fault_name(e->fault));
		e->out_dir = faulty;
	}
	if (!e->out_dir)
		e->out_dir = "fuzz-out/findings";
	return 0;
}

static void add_corpus(struct engine *e, const struct cf_program *p)
{
	if (e->ncorpus < MAX_CORPUS)
		e->corpus[e->ncorpus++] = *p;
	else
		e->corpus[cf_rng_below(&e->rng, MAX_CORPUS)] = *p;
}

/* Returns how many programs it loaded. */
static unsigned load_dir(struct engine *e, const char *dir, int depth)
{
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort);
	unsigned loaded = 0;

	for (int i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		char path[4096], err[512];
		struct cf_program p;
		size_t len = strlen(name);

		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (name[0] != '.' && list[i]->d_type == DT_DIR && depth < 3)
			loaded += load_dir(e, path, depth + 1);
		else if (name[0] != '.' && list[i]->d_type == DT_REG &&
			 !(len > 8 && strcmp(name + len - 8, ".verdict") == 0) &&
			 !(len > 3 && strcmp(name + len - 3, ".md") == 0) &&
			 cf_load_program(path, &p, err, sizeof(err)) == 0) {
			add_corpus(e, &p);
			loaded++;
		}
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	return loaded;
}

/* Seeds: a folder named with --seeds must exist (exit 2); the default,
 * corpora/ of the current directory, may be missing, but not silently. */
static int load_seeds(struct engine *e)
{
	struct stat st;
	unsigned total = 0;

	for (int i = 0; i < e->nseed_dirs; i++) {
		if (stat(e->seed_dirs[i], &st) < 0) {
			fprintf(stderr, "fuzz: --seeds %s: %s\n", e->seed_dirs[i], strerror(errno));
			return -1;
		}
		if (!S_ISDIR(st.st_mode)) {
			fprintf(stderr, "fuzz: --seeds %s: not a directory\n", e->seed_dirs[i]);
			return -1;
		}
	}
	if (e->nseed_dirs == 0) {
		e->seed_dirs[e->nseed_dirs++] = "corpora";
		if (stat("corpora", &st) < 0) {
			fprintf(stderr, "fuzz: note: no seeds: there is no corpora/ here (run from the "
				"repository, or give --seeds DIR); starting from generated programs\n");
			return 0;
		}
	}
	for (int i = 0; i < e->nseed_dirs; i++) {
		unsigned n = load_dir(e, e->seed_dirs[i], 0);

		if (n == 0)
			fprintf(stderr, "fuzz: note: no programs in %s\n", e->seed_dirs[i]);
		total += n;
	}
	if (total == 0)
		fprintf(stderr, "fuzz: note: no seeds; starting from generated programs\n");
	return 0;
}

/* A corpus entry that cannot be written: loud for the first few, counted
 * always, and the run exits 3 (never silently a "harness error"). */
static void corpus_write_failed(struct engine *e, const char *err)
{
	if (++e->corpus_write_failures <= 3)
		fprintf(stderr, "\nfuzz: CORPUS WRITE FAILED: %s%s\n", err,
			e->corpus_write_failures == 3 ? " (further failures are counted, not printed)"
						      : "");
}

static int new_behaviour(struct engine *e, const struct cf_outcome *o)
{
	int fresh = 0;

	for (unsigned i = 0; i < o->nfeatures; i++) {
		unsigned f = o->features[i];

		if (!(e->seen[f >> 3] & (1u << (f & 7)))) {
			e->seen[f >> 3] |= (uint8_t)(1u << (f & 7));
			e->behaviours++;
			fresh = 1;
		}
	}
	return fresh;
}

static void note_known(struct engine *e, const struct cf_judgement *j)
{
	e->known_hits++;
	for (unsigned i = 0; i < j->nfindings; i++) {
		unsigned k;

		if (!j->f[i].divergence)
			continue;
		for (k = 0; k < e->nknown; k++)
			if (strcmp(e->known_ids[k], j->f[i].divergence) == 0)
				break;
		if (k == e->nknown && e->nknown < 32)
			snprintf(e->known_ids[e->nknown++], 8, "%s", j->f[i].divergence);
	}
}

/* Adds the other root causes an execution showed, once each, to a cause's
 * list: a behaviour that only ever shows beside another (two pages that
 * disagree about one result) is still reported, as seen with it. */
static void add_also(struct root_cause *c, const struct cf_judgement *j)
{
	char also[512], *one, *rest;
	size_t used = strlen(c->also);

	cf_finding_also(&history, j, also, sizeof(also));
	for (one = strtok_r(also, " ", &rest); one; one = strtok_r(NULL, " ", &rest))
		if (!cf_word_in(c->also, one) && used + strlen(one) + 2 < sizeof(c->also))
			used += (size_t)snprintf(c->also + used, sizeof(c->also) - used, "%s%s",
						 used ? " " : "", one);
}

static void handle_finding(struct engine *e, struct cf_program *p, const struct cf_outcome *o)
{
	char sig[256];
	struct cf_judgement j = o->j;
	struct cf_saved where;
	int saved;

	cf_finding_signature(&history, &o->j, sig, sizeof(sig));
	for (unsigned i = 0; i < e->ncauses; i++)
		if (strcmp(e->causes[i].sig, sig) == 0) {
			e->causes[i].hits++;
			e->causes[i].modes |= 1u << history.mode;
			add_also(&e->causes[i], &o->j);
			return;
		}
	if (e->ncauses < sizeof(e->causes) / sizeof(e->causes[0])) {
		struct root_cause *c = &e->causes[e->ncauses++];

		snprintf(c->sig, sizeof(c->sig), "%s", sig);
		c->hits = 1;
		c->modes = 1u << history.mode;
		c->also[0] = '\0';
		add_also(c, &o->j);
	}
	/* What the first execution showed, before minimizing replaces it (a
	 * racy finding may never replay); a failure here loses only that. */
	if (cf_save_finding_history(e->out_dir, sig, &history, where.err, sizeof(where.err)) < 0)
		fprintf(stderr, "\nfuzz: the first history of finding %s was not saved: %s\n", sig,
			where.err);
	e->execs += cf_minimize_finding(p, e->spec, sig, MINIMIZE_BUDGET);
	saved = cf_save_finding_anywhere(e->out_dir, p, sig, &j, "builtin", &where);
	if (where.fallback) {
		e->finding_write_failures++;
		e->saved_elsewhere++;
		e->fallback_dir = cf_findings_fallback_dir();
		fprintf(stderr, "\nfuzz: FINDING WRITE FAILED: %s; saved in %s instead\n", where.err,
			where.where);
	}
	if (saved == 0)
		return; /* found in an earlier run */
	if (cf_finding_unconfirmed(sig)) {
		e->unconfirmed++;
		fprintf(stderr, "\nUNCONFIRMED FINDING %s at %.1f s: shown once, then in none of its cold runs; "
			"saved in %s (finding-%016llx), not counted as new\n", sig, now() - e->started,
			where.where, (unsigned long long)cf_hash64(sig, strlen(sig)));
		return;
	}
	e->new_findings++;
	if (strcmp(where.where, "stderr") == 0)
		fprintf(stderr, "\nNEW FINDING %s (%u ops after minimizing): on stderr above only\n",
			sig, p->nops);
	else
		fprintf(stderr, "\nNEW FINDING %s at %.1f s (%u ops after minimizing) saved in %s; "
			"replay: cancelfuzz replay%s%s %s/finding-%016llx.bin\n", sig,
			now() - e->started, p->nops, where.where,
			j.fault[0] ? " --fault " : "", j.fault, where.where,
			(unsigned long long)cf_hash64(sig, strlen(sig)));
}

/* Is this the detection a benchmark waits for: the fault's invariant, or
 * without a fault any new finding? */
static int detects(const struct engine *e, const struct cf_judgement *j)
{
	if (e->fault != CF_FAULT_NONE)
		return cf_fault_caught(e->fault, j);
	return j->verdict == CF_VERDICT_VIOLATION;
}

/* One machine-readable line on stdout, e.g. for scripts/bench/bench_detection.py. */
static void detection_line(const struct engine *e, const char *what, const struct cf_judgement *j,
			   double seconds)
{
	unsigned inv = cf_fault_invariant(e->fault);

	for (unsigned i = 0; e->fault == CF_FAULT_NONE && j && i < j->nfindings; i++)
		if (!j->f[i].divergence) {
			inv = j->f[i].invariant;
			break;
		}
	printf("%s fault=%s invariant=%s execs=%llu seconds=%.3f\n", what, cf_fault_name(e->fault),
	       inv < CF_INV__COUNT ? cf_invariant_name(inv) : "any", e->execs, seconds);
	fflush(stdout);
}

static void progress(const struct engine *e, double started, int final)
{
	double t = now() - started;
	int tty = isatty(2);

	fprintf(stderr, "%s[%6.1fs] execs %llu  exec/s %.0f  corpus %u  behaviours %u  new findings %u  known %u",
		tty && !final ? "\r" : "", t, e->execs, t > 0 ? (double)e->execs / t : 0.0,
		e->ncorpus, e->behaviours, e->new_findings, e->known_hits);
	if (e->unconfirmed)
		fprintf(stderr, "  unconfirmed %u", e->unconfirmed);
	fputs(tty && !final ? "   " : "\n", stderr);
}

/* --out and --corpus-dir exist and take files, before anything runs. */
static int prepare_dirs(struct engine *e)
{
	char err[512];

	if (cf_prepare_out_dir("fuzz", e->out_dir, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz: --out %s\n", err);
		return -1;
	}
	if (e->corpus_dir && cf_prepare_out_dir("fuzz", e->corpus_dir, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz: --corpus-dir %s\n", err);
		return -1;
	}
	return 0;
}

/* The end of every campaign, interrupted or not; returns the exit code:
 * 1 new findings (wherever they were saved), else 3 when a write failed,
 * else 0. */
static int summary(const struct engine *e, double elapsed)
{
	unsigned failures = e->corpus_write_failures + e->finding_write_failures;

	fprintf(stderr, "fuzz: %s after %.1f s; %u new findings in %s; known divergences seen:",
		stop_signal ? "interrupted" : "done", elapsed, e->new_findings, e->out_dir);
	for (unsigned k = 0; k < e->nknown; k++)
		fprintf(stderr, " %s", e->known_ids[k]);
	fprintf(stderr, "%s\n", e->nknown ? "" : " none");
	for (unsigned i = 0; i < e->ncauses; i++) {
		fprintf(stderr, "fuzz: root cause %s: %u executions, modes", e->causes[i].sig,
			e->causes[i].hits);
		for (unsigned m = 0; m < CF_MODE__COUNT; m++)
			if (e->causes[i].modes & (1u << m))
				fprintf(stderr, " %s", cf_mode_name(m));
		fputc('\n', stderr);
		if (e->causes[i].also[0])
			fprintf(stderr, "fuzz: root cause %s also shows: %s\n", e->causes[i].sig,
				e->causes[i].also);
	}
	if (e->unconfirmed)
		fprintf(stderr, "fuzz: %u unconfirmed findings (shown once, in none of their cold runs; "
			"saved in %s with their first history, not counted as new)\n", e->unconfirmed, e->out_dir);
	if (e->saved_elsewhere)
		fprintf(stderr, "fuzz: %u findings could not be saved in %s and are in %s\n",
			e->saved_elsewhere, e->out_dir, e->fallback_dir);
	if (e->corpus_write_failures)
		fprintf(stderr, "fuzz: %u WRITE FAILURES of corpus entries in %s\n",
			e->corpus_write_failures, e->corpus_dir);
	if (e->finding_write_failures)
		fprintf(stderr, "fuzz: %u WRITE FAILURES of findings in %s\n",
			e->finding_write_failures, e->out_dir);
	fprintf(stderr, "fuzz: %u unsupported, %u harness errors; cancelfuzz %s commit %s; rerun "
		"this campaign with: cancelfuzz fuzz --seed %llu --seconds %g --spec %s%s%s\n",
		e->unsupported, e->errors, cf_version, cf_commit, e->seed, e->seconds,
		e->spec == CF_SPEC_DOC ? "doc" : "kernel", e->fault ? " --fault " : "",
		e->fault ? cf_fault_name(e->fault) : "");
	return e->new_findings ? 1 : failures ? 3 : 0;
}

int cf_builtin_main(int argc, char **argv)
{
	static struct engine eng;
	struct engine *e = &eng;
	double started, last_report;
	const struct cf_features *f;
	int code;

	memset(e, 0, sizeof(*e));
	switch (parse(e, argc, argv)) {
	case 0:
		break;
	case -1:
		usage();
		return 2;
	default:
		return 2;
	}
	f = cf_probe();
	if (!f->usable) {
		fprintf(stderr, "fuzz: io_uring is not usable here: %s\n", f->why);
		return 77;
	}
	if (prepare_dirs(e) < 0)
		return 2;
	if (e->stats_path) {
		char err[512];

		e->stats = cf_stats_open(e->stats_path, err, sizeof(err));
		if (!e->stats) {
			fprintf(stderr, "fuzz: --stats: %s\n", err);
			return 2;
		}
	}
	e->corpus = calloc(MAX_CORPUS, sizeof(*e->corpus));
	if (!e->corpus) {
		fprintf(stderr, "fuzz: out of memory\n");
		return 3;
	}
	e->rng.s = e->seed ? e->seed : 1;
	if (load_seeds(e) < 0) {
		free(e->corpus);
		return 2;
	}
	if (e->corpus_dir)
		load_dir(e, e->corpus_dir, 0);
	fprintf(stderr, "fuzz: cancelfuzz %s commit %s seed=%llu spec=%s feedback=%s corpus=%u "
		"kernel=%s%s%s\n", cf_version, cf_commit, e->seed,
		e->spec == CF_SPEC_DOC ? "doc" : "kernel", e->feedback ? "on" : "off", e->ncorpus,
		f->release, e->fault ? " INJECTED FAULT " : "", e->fault ? cf_fault_name(e->fault) : "");
	stop_on_signals();
	cf_swarm_pick(&e->rng, &e->swarm);
	started = last_report = e->started = now();
	static struct cf_sq_batch sq_batch;

	for (;;) {
		struct cf_program p;
		static struct cf_outcome o;
		uint8_t bytes[CF_MAX_ENCODED];
		size_t len;
		double t = now(), cpu;
		long long sq_cpu, sq_after;
		unsigned found;
		int fresh;

		if (stop_signal || (e->seconds > 0 && t - started >= e->seconds) ||
		    (e->max_execs && e->execs >= e->max_execs))
			break;
		if (e->execs % SWARM_PERIOD == 0)
			cf_swarm_pick(&e->rng, &e->swarm);
		if (!cf_sq_batch_next(&sq_batch, &p)) {
			if (e->ncorpus && cf_rng_below(&e->rng, 10) < 8) {
				p = e->corpus[cf_rng_below(&e->rng, e->ncorpus)];
				cf_mutate(&e->rng, &e->swarm, &p);
			} else {
				cf_generate(&e->rng, &e->swarm, &p);
			}
			/* Slow modes run in proportion to what they find per CPU second. */
			if (e->cost_aware && e->feedback && !cf_cost_admit(&e->cost, &e->rng, p.mode))
				continue;
			if (cf_sq_batch_hold(&sq_batch, &p))
				continue; /* runs with the next SQPOLL ones */
		}
		len = cf_encode(&p, bytes, sizeof(bytes));
		cpu = cpu_now();
		sq_cpu = cf_ring_sq_thread_cpu_ns();
		cf_target_run(bytes, len, e->spec, &o, &history);
		cpu = cpu_now() - cpu;
		/* The shared SQ thread polls on for a clock tick after an SQPOLL
		 * execution, mostly while later ones run: its CPU is SQPOLL's.
		 * Measured, it was most of the CPU a campaign spent, once
		 * charged to whatever mode ran next (a native AIO execution,
		 * which makes no io_uring thread, showed 518 us of process CPU
		 * against 144 us on its own thread). */
		sq_after = cf_ring_sq_thread_cpu_ns();
		if (sq_cpu >= 0 && sq_after >= sq_cpu) {
			double sq = (double)(sq_after - sq_cpu) / 1e9;

			cpu = cpu > sq ? cpu - sq : 0;
			cf_cost_charge(&e->cost, CF_MODE_SQPOLL, sq);
		}
		e->execs++;
		cf_stats_record(e->stats, &o);
		if (o.run == CF_RUN_UNSUPPORTED) {
			e->unsupported++;
			continue;
		}
		if (o.run == CF_RUN_HARNESS_ERROR) {
			if (!stop_signal) /* a wait the signal cut short is not the harness's fault */
				e->errors++;
			continue;
		}
		found = e->behaviours;
		fresh = new_behaviour(e, &o);
		cf_cost_note(&e->cost, p.mode, cpu, e->behaviours - found);
		if (fresh && e->feedback) {
			char err[512], path[4200];

			add_corpus(e, &p);
			if (e->corpus_dir) {
				snprintf(path, sizeof(path), "%s/%016llx", e->corpus_dir,
					 (unsigned long long)cf_hash64(bytes, len));
				/* no fsync: an fsync per new behaviour cost ~10% of
				 * a campaign; findings keep theirs */
				if (cf_write_file_replace(path, bytes, len, err, sizeof(err)) < 0)
					corpus_write_failed(e, err);
			}
		}
		if (o.j.verdict == CF_VERDICT_VIOLATION && !e->detected &&
		    (e->fault != CF_FAULT_NONE || e->stop_on_first) && detects(e, &o.j)) {
			e->detected = 1; /* timed before minimizing */
			detection_line(e, "first-detection", &o.j, now() - started);
		}
		if (o.j.verdict == CF_VERDICT_VIOLATION)
			handle_finding(e, &p, &o);
		else if (o.j.verdict == CF_VERDICT_KNOWN)
			note_known(e, &o.j);
		if (t - last_report >= (isatty(2) ? 0.25 : 5.0)) {
			progress(e, started, 0);
			last_report = t;
		}
		if (e->stop_on_first && e->detected)
			break;
	}
	if (e->fault != CF_FAULT_NONE && !e->detected)
		detection_line(e, "no-detection", NULL, now() - started);
	progress(e, started, 1);
	code = summary(e, now() - started);
	cf_ring_release_all();
	cf_stats_close(e->stats);
	free(e->corpus);
	return code;
}
