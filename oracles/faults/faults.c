/* Fault injection, the table (faults.def) and the choice: names and
 * invariants, which fault is in effect (--fault, else CF_FAULT), and whether
 * a judgement caught it. The rewriting itself is rewrite.c. Never exits: an
 * unknown name is returned to the front end, which says so and stops. */
#include "faults.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	unsigned invariant;
	const char *what;
} table[CF_FAULT__COUNT] = {
	{ "none", CF_INV__COUNT, "no fault" },
#define X(id, name, inv, what) { name, inv, what },
#include "faults.def"
#undef X
};

const char *cf_fault_name(unsigned fault)
{
	return fault < CF_FAULT__COUNT ? table[fault].name : "?";
}

unsigned cf_fault_invariant(unsigned fault)
{
	return fault < CF_FAULT__COUNT ? table[fault].invariant : CF_INV__COUNT;
}

const char *cf_fault_what(unsigned fault)
{
	return fault < CF_FAULT__COUNT ? table[fault].what : "?";
}

int cf_fault_lookup(const char *name)
{
	if (!name[0])
		return CF_FAULT_NONE;
	for (unsigned f = 0; f < CF_FAULT__COUNT; f++)
		if (strcmp(name, table[f].name) == 0)
			return (int)f;
	return -1;
}

void cf_fault_print_unknown(FILE *out, const char *name)
{
	if (!name) {
		fprintf(out, "%s: ", CF_FAULT_ENV);
		name = getenv(CF_FAULT_ENV) ? getenv(CF_FAULT_ENV) : "";
	}
	fprintf(out, "unknown fault '%s'; valid faults:", name);
	for (unsigned f = 1; f < CF_FAULT__COUNT; f++)
		fprintf(out, " %s", table[f].name);
	fputs(" (or none; 'cancelfuzz faults' describes them)\n", out);
}

static int selected = -1;  /* by the CLI; -1 not chosen */
static int env_fault = -2; /* CF_FAULT once read, -1 unknown; -2 not read yet */

int cf_fault_select(const char *name)
{
	int f = cf_fault_lookup(name);

	if (f < 0)
		return -1;
	selected = f;
	return 0;
}

int cf_fault_active(void)
{
	const char *env;

	if (selected >= 0)
		return selected;
	if (env_fault == -2) {
		env = getenv(CF_FAULT_ENV);
		env_fault = env ? cf_fault_lookup(env) : CF_FAULT_NONE;
	}
	return env_fault;
}

void cf_fault_list(FILE *out)
{
	fprintf(out, "%-22s %-28s %s\n", "fault", "must be caught by", "what the kernel would do");
	for (unsigned f = 1; f < CF_FAULT__COUNT; f++)
		fprintf(out, "%-22s %-28s %s\n", table[f].name,
			cf_invariant_name(table[f].invariant), table[f].what);
}

int cf_fault_caught(unsigned fault, const struct cf_judgement *j)
{
	for (unsigned i = 0; fault != CF_FAULT_NONE && i < j->nfindings; i++)
		if (!j->f[i].divergence && j->f[i].invariant == cf_fault_invariant(fault))
			return 1;
	return 0;
}
