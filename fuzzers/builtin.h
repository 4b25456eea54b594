/* The built-in engine: generation, structure-aware mutation, swarm testing,
 * behaviour feedback; needs neither clang nor AFL++. */
#ifndef CF_BUILTIN_H
#define CF_BUILTIN_H

int cf_builtin_main(int argc, char **argv);

#endif
