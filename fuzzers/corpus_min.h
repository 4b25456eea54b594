/* cancelfuzz cmin: shrink a corpus to inputs that each show a kernel
 * behaviour no smaller input showed (greedy, smallest first). */
#ifndef CF_CORPUS_MIN_H
#define CF_CORPUS_MIN_H

int cf_cmin_main(int argc, char **argv);

#endif
