/* cancelfuzz triage: replay inputs that any engine flagged, get each one's
 * verdict and signature, minimize new findings op by op and save them
 * deduplicated by signature. One JSON object per input on stdout. */
#ifndef CF_TRIAGE_H
#define CF_TRIAGE_H

int cf_triage_main(int argc, char **argv);

#endif
