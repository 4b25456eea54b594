# Corpus regression tests: one ctest test per program in corpora/.
#   corpora/seeds/*.cfp     hand-written text programs (see corpora/README.md)
#   corpora/findings/*      minimized fuzzer findings; their sidecars
#                           (*.verdict, *.history, *.md, *.txt) are not programs
# Each test is "cancelfuzz replay -q FILE": exit 0 pass, 1 invariant violation,
# 2 bad input, 3 harness error, 77 skip (io_uring or the ring mode unavailable).
# CONFIGURE_DEPENDS: adding or removing a file re-runs the configure step on
# the next build, so new seeds and findings are picked up without editing this.
file(GLOB CF_CORPUS_SEEDS LIST_DIRECTORIES false CONFIGURE_DEPENDS
  ${CMAKE_CURRENT_SOURCE_DIR}/corpora/seeds/*.cfp)
file(GLOB CF_CORPUS_FINDINGS LIST_DIRECTORIES false CONFIGURE_DEPENDS
  ${CMAKE_CURRENT_SOURCE_DIR}/corpora/findings/*)
list(FILTER CF_CORPUS_FINDINGS EXCLUDE REGEX "\\.(verdict|history|md|txt)$")
list(FILTER CF_CORPUS_FINDINGS EXCLUDE REGEX "/\\.[^/]*$") # dot files

foreach(prog ${CF_CORPUS_SEEDS} ${CF_CORPUS_FINDINGS})
  get_filename_component(name ${prog} NAME)
  add_test(NAME corpus/${name} COMMAND cancelfuzz replay -q ${prog})
  set_tests_properties(corpus/${name} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 60
    LABELS corpus)
endforeach()

# The whole corpus against the verdicts committed in corpora/verdicts.txt,
# each program 3 times: the teardown's contract with the oracle
# (docs/history-format.md, "What the teardown promises the oracle").
add_test(NAME corpus_verdicts COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/corpus_verdicts.sh
  $<TARGET_FILE:cancelfuzz> ${CMAKE_CURRENT_SOURCE_DIR} 3)
set_tests_properties(corpus_verdicts PROPERTIES TIMEOUT 600 LABELS corpus)
