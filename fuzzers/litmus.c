/* Litmus runs (litmus.h): a racing program run many times with its
 * offsets swept, its outcome classes counted and judged, and compared with
 * the outcomes of its sequential orders. */
#include "litmus.h"

#include <stdlib.h>
#include <string.h>

#include "run.h"

static struct cf_history hist; /* large: one litmus run at a time */

/* The releases of a program: for each `wait go` that releases ops, the
 * ops (program order). */
struct release {
	unsigned go, n;
	unsigned op[CF_ACTORS];
};

static unsigned releases_of(const struct cf_program *prog, struct release *rel, unsigned max)
{
	unsigned parked[CF_GROUPS][CF_ACTORS], np[CF_GROUPS] = { 0 }, nrel = 0;

	for (unsigned i = 0; i < prog->nops; i++) {
		const struct cf_op *op = &prog->ops[i];

		if (op->group) {
			parked[op->group][np[op->group]++] = i;
		} else if (cf_op_is_go(prog->mode, op) && op->a[CF_W_N] > 0 && op->a[CF_W_N] < CF_GROUPS) {
			unsigned g = op->a[CF_W_N];

			if (np[g] && nrel < max) {
				rel[nrel].go = i;
				rel[nrel].n = np[g];
				memcpy(rel[nrel].op, parked[g], np[g] * sizeof(unsigned));
				nrel++;
			}
			np[g] = 0;
		}
	}
	return nrel;
}

void cf_litmus_offsets(struct cf_program *prog, unsigned r, unsigned n)
{
	struct release rel[CF_MAX_OPS];
	unsigned nrel = releases_of(prog, rel, CF_MAX_OPS);

	for (unsigned k = 0; k < nrel; k++) {
		unsigned late = r % rel[k].n, step = r / rel[k].n;
		unsigned steps = (n + rel[k].n - 1) / rel[k].n;

		for (unsigned i = 0; i < rel[k].n; i++)
			prog->ops[rel[k].op[i]].at = 0;
		/* one op late by a ramp over the window, the others at once: run
		 * by run, each op in turn is the late one */
		prog->ops[rel[k].op[late]].at = (uint8_t)(steps > 1 ? step * 255 / (steps - 1) : 0);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Is ud an accept's? Its result is an fd, whose number says nothing. */
static int accepts(const struct cf_history *h, uint64_t ud)
{
	for (unsigned i = 0; i < h->nreqs; i++)
		if (h->reqs[i].user_data == ud &&
		    (h->reqs[i].req == CF_REQ_ACCEPT || h->reqs[i].req == CF_REQ_ACCEPT_MULTI))
			return 1;
	return 0;
}

/* map: the op index in the original program of each op of the program run
 * (NULL: the same); orig: the original program (which ops were grouped). */
static void key_of(const struct cf_history *h, const struct cf_program *orig, const unsigned *map,
		   char *key, size_t len)
{
	char words[CF_MAX_CQES < 128 ? CF_MAX_CQES : 128][32], *sorted[128];
	unsigned nw = 0, used = 0;
	int res_of[CF_MAX_OPS];
	uint8_t seen[CF_MAX_OPS] = { 0 };

	key[0] = '\0';
	for (unsigned a = 0; a < h->nacts; a++) {
		const struct cf_act_rec *act = &h->acts[a];
		unsigned i;

		if (act->kind != CF_ACT_OP || act->op_index < 0)
			continue;
		i = map ? map[act->op_index] : (unsigned)act->op_index;
		if (i < CF_MAX_OPS && orig->ops[i].group) {
			seen[i] = 1;
			res_of[i] = act->res;
		}
	}
	for (unsigned i = 0; i < CF_MAX_OPS && used + 24 < len; i++)
		if (seen[i])
			used += (unsigned)snprintf(key + used, len - used, "%so%u=%d", used ? " " : "",
						   i, res_of[i]);
	for (unsigned c = 0; c < h->ncqes && nw < 128; c++) {
		uint64_t ud = h->cqes[c].user_data;

		if ((ud & 0xff00000000000000ull) == CF_UD_CANCEL_BASE) {
			unsigned i = (unsigned)(ud & 0xff);

			snprintf(words[nw], sizeof(words[nw]), "c%u:%d", map && i < CF_MAX_OPS ? map[i] : i,
				 h->cqes[c].res);
		} else if (h->cqes[c].res > 0 && accepts(h, ud)) {
			snprintf(words[nw], sizeof(words[nw]), "%llu:fd", (unsigned long long)ud);
		} else if (ud == UINT64_MAX) {
			snprintf(words[nw], sizeof(words[nw]), "max:%d", h->cqes[c].res);
		} else {
			snprintf(words[nw], sizeof(words[nw]), "%llu:%d", (unsigned long long)ud,
				 h->cqes[c].res);
		}
		sorted[nw] = words[nw];
		nw++;
	}
	qsort(sorted, nw, sizeof(sorted[0]), cmp_str);
	if (used + 2 < len)
		used += (unsigned)snprintf(key + used, len - used, " |");
	for (unsigned w = 0; w < nw && used + strlen(sorted[w]) + 2 < len; w++)
		used += (unsigned)snprintf(key + used, len - used, " %s", sorted[w]);
}

void cf_litmus_key(const struct cf_history *h, char *key, size_t len)
{
	struct cf_program prog;

	cf_decode(h->program, h->program_len, &prog);
	key_of(h, &prog, NULL, key, len);
}

static struct cf_litmus_class *class_of(struct cf_litmus *l, const char *key)
{
	for (unsigned i = 0; i < l->nclasses; i++)
		if (strcmp(l->c[i].key, key) == 0)
			return &l->c[i];
	if (l->nclasses == CF_LITMUS_CLASSES)
		return NULL;
	memset(&l->c[l->nclasses], 0, sizeof(l->c[0]));
	snprintf(l->c[l->nclasses].key, sizeof(l->c[0].key), "%s", key);
	return &l->c[l->nclasses++];
}

static void note(struct cf_litmus_class *c, const struct cf_judgement *j)
{
	for (unsigned i = 0; i < j->nfindings; i++) {
		const char *id = j->f[i].divergence;
		size_t used = strlen(c->known);

		if (id && !strstr(c->known, id) && used + strlen(id) + 2 < sizeof(c->known))
			snprintf(c->known + used, sizeof(c->known) - used, "%s%s", used ? " " : "", id);
	}
	if (c->count + c->sequential == 0 || (int)j->verdict > c->verdict) {
		c->verdict = (int)j->verdict;
		for (unsigned i = 0; i < j->nfindings; i++)
			if (!j->f[i].divergence) { /* the first new one */
				snprintf(c->finding, sizeof(c->finding), "%s: %s",
					 cf_invariant_name(j->f[i].invariant), j->f[i].detail);
				break;
			}
	}
}

/* Sequential variant number v of prog: each release's ops one after
 * another, ungrouped, on their actors, in the v-th order (mixed radix over
 * the releases); map gets the original op index of each op. 0 when v is
 * past the last order. */
static int sequential_variant(const struct cf_program *prog, unsigned v, struct cf_program *out,
			      unsigned *map, char *label, size_t len)
{
	struct release rel[CF_MAX_OPS];
	unsigned nrel = releases_of(prog, rel, CF_MAX_OPS), used = 0;
	unsigned char released[CF_MAX_OPS] = { 0 };

	memset(out, 0, sizeof(*out));
	out->mode = prog->mode;
	out->entries = prog->entries;
	out->actors = prog->actors;
	label[0] = '\0';
	for (unsigned k = 0; k < nrel; k++) {
		/* the v-th permutation of rel[k] (factorial number system) */
		unsigned n = rel[k].n, fact = 1, pick[CF_ACTORS], rest[CF_ACTORS];

		for (unsigned i = 2; i <= n; i++)
			fact *= i;
		for (unsigned i = 0; i < n; i++)
			rest[i] = rel[k].op[i];
		unsigned x = v % fact;
		v /= fact;
		for (unsigned i = 0; i < n; i++) {
			unsigned f = 1, idx;

			for (unsigned t = 2; t < n - i; t++)
				f *= t;
			idx = x / f;
			x %= f;
			pick[i] = rest[idx];
			memmove(&rest[idx], &rest[idx + 1], (n - i - idx - 1) * sizeof(unsigned));
		}
		memcpy(rel[k].op, pick, sizeof(pick));
		used += (unsigned)snprintf(label + used, used < len ? len - used : 0, "%sg%u:",
					   k ? "; " : "", prog->ops[rel[k].go].a[CF_W_N]);
		for (unsigned i = 0; i < n; i++) {
			released[rel[k].op[i]] = 1;
			used += (unsigned)snprintf(label + used, used < len ? len - used : 0, " a%u",
						   prog->ops[rel[k].op[i]].actor);
		}
	}
	if (v)
		return 0;
	for (unsigned i = 0; i < prog->nops; i++) {
		const struct cf_op *op = &prog->ops[i];
		unsigned k;

		if (op->group)
			continue; /* emitted at its release, or never run */
		for (k = 0; k < nrel && rel[k].go != i; k++)
			;
		if (k < nrel) {
			for (unsigned t = 0; t < rel[k].n; t++) {
				out->ops[out->nops] = prog->ops[rel[k].op[t]];
				out->ops[out->nops].group = 0;
				out->ops[out->nops].at = 0;
				map[out->nops++] = rel[k].op[t];
			}
			continue;
		}
		out->ops[out->nops] = *op;
		map[out->nops++] = i;
	}
	(void)released;
	return 1;
}

int cf_litmus_run(const struct cf_program *prog, unsigned runs, int sweep, enum cf_spec spec,
		  struct cf_litmus *l, char *why, size_t whylen)
{
	static struct cf_judgement j;
	struct cf_program p;
	unsigned map[CF_MAX_OPS];
	char key[CF_LITMUS_KEY], label[48];

	memset(l, 0, sizeof(*l));
	l->sweep = sweep;
	for (unsigned r = 0; r < runs; r++) {
		enum cf_run run;
		struct cf_litmus_class *c;

		p = *prog;
		if (sweep)
			cf_litmus_offsets(&p, r, runs);
		run = cf_run_record(&p, &hist, why, whylen);
		if (run != CF_RUN_OK) {
			if (run == CF_RUN_UNSUPPORTED || r == 0)
				return (int)run;
			l->errors++;
			continue;
		}
		l->runs++;
		cf_run_judge(&hist, spec, &j);
		key_of(&hist, prog, NULL, key, sizeof(key));
		c = class_of(l, key);
		if (!c) {
			l->other++;
			continue;
		}
		if (c->count == 0)
			for (unsigned i = 0; i < p.nops; i++)
				if (p.ops[i].group)
					c->offsets[p.ops[i].actor] = p.ops[i].at;
		note(c, &j);
		c->count++;
	}
	for (unsigned v = 0; v < CF_LITMUS_ORDERS; v++) {
		struct cf_litmus_class *c;

		if (!sequential_variant(prog, v, &p, map, label, sizeof(label)))
			break;
		if (cf_run_record(&p, &hist, why, whylen) != CF_RUN_OK)
			continue;
		l->norders++;
		cf_run_judge(&hist, spec, &j);
		key_of(&hist, prog, map, key, sizeof(key));
		c = class_of(l, key);
		if (!c)
			continue;
		note(c, &j);
		if (c->sequential++ == 0)
			snprintf(c->order, sizeof(c->order), "%s", label);
	}
	return CF_RUN_OK;
}

unsigned cf_litmus_forbidden(const struct cf_litmus *l)
{
	unsigned n = 0;

	for (unsigned i = 0; i < l->nclasses; i++)
		n += l->c[i].count && l->c[i].verdict == CF_VERDICT_VIOLATION;
	return n;
}

unsigned cf_litmus_unseen(const struct cf_litmus *l)
{
	unsigned n = 0;

	for (unsigned i = 0; i < l->nclasses; i++)
		n += l->c[i].sequential && !l->c[i].count && l->c[i].verdict != CF_VERDICT_VIOLATION;
	return n;
}

static const char *judged(const struct cf_litmus_class *c)
{
	return c->verdict == CF_VERDICT_VIOLATION ? "forbidden"
	       : c->verdict == CF_VERDICT_KNOWN ? "known" : "allowed";
}

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		if ((unsigned char)*s < 0x20)
			fprintf(out, "\\u%04x", *s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

void cf_litmus_print(const struct cf_litmus *l, const char *name, int json, FILE *out)
{
	unsigned allowed = 0;

	for (unsigned i = 0; i < l->nclasses; i++)
		allowed += l->c[i].sequential > 0 && l->c[i].verdict != CF_VERDICT_VIOLATION;
	if (json) {
		fputs("{\"program\":", out);
		json_str(out, name);
		fprintf(out, ",\"runs\":%u,\"errors\":%u,\"sweep\":%s,\"sequential_orders\":%u,\"classes\":[",
			l->runs, l->errors, l->sweep ? "true" : "false", l->norders);
		for (unsigned i = 0; i < l->nclasses; i++) {
			const struct cf_litmus_class *c = &l->c[i];

			fputs(i ? ",{\"outcome\":" : "{\"outcome\":", out);
			json_str(out, c->key);
			fprintf(out, ",\"runs\":%u,\"judged\":\"%s\",\"sequential\":%u,\"order\":", c->count,
				judged(c), c->sequential);
			json_str(out, c->order);
			fprintf(out, ",\"offsets\":[%u,%u,%u,%u]", c->offsets[0], c->offsets[1],
				c->offsets[2], c->offsets[3]);
			if (c->known[0]) {
				fputs(",\"known\":", out);
				json_str(out, c->known);
			}
			if (c->finding[0]) {
				fputs(",\"finding\":", out);
				json_str(out, c->finding);
			}
			fputc('}', out);
		}
		fprintf(out, "],\"other\":%u,\"forbidden\":%u,\"allowed_unseen\":%u,\"allowed_sequential\":%u}\n",
			l->other, cf_litmus_forbidden(l), cf_litmus_unseen(l), allowed);
		return;
	}
	fprintf(out, "race %s: %u runs%s, offsets %s; %u sequential orders\n", name, l->runs,
		l->errors ? " (some failed)" : "",
		l->sweep ? "swept over 0..255 (x1024 spins)" : "fixed as written", l->norders);
	fprintf(out, "  %6s %6s  %-9s %-10s %s\n", "runs", "share", "judged", "sequential", "outcome");
	for (unsigned i = 0; i < l->nclasses; i++) {
		const struct cf_litmus_class *c = &l->c[i];

		fprintf(out, "  %6u %5.1f%%  %-9s %-10s %s%s\n", c->count,
			l->runs ? 100.0 * c->count / l->runs : 0.0, judged(c),
			c->order[0] ? c->order : "-", c->key, c->count ? "" : "  (never observed)");
		if (c->known[0])
			fprintf(out, "         known divergences: %s\n", c->known);
		if (c->count && c->verdict == CF_VERDICT_VIOLATION)
			fprintf(out, "         first at offsets a0=%u a1=%u a2=%u a3=%u: %s\n",
				c->offsets[0], c->offsets[1], c->offsets[2], c->offsets[3], c->finding);
	}
	if (l->other)
		fprintf(out, "  %6u runs in classes beyond the first %d\n", l->other, CF_LITMUS_CLASSES);
	fprintf(out, "forbidden outcomes observed: %u\n", cf_litmus_forbidden(l));
	fprintf(out, "allowed outcomes never observed: %u of %u from sequential orders\n",
		cf_litmus_unseen(l), allowed);
}
