# docs/coverage-liburing.md: every seed its table names exists in
# corpora/seeds/ and replays at --spec kernel with exit 0 (or 77 where
# io_uring is unusable); each row says yes, partly or no, and a partly or no
# row names its gaps, each with why it cannot be said (in parentheses).
# The self-test proves the checker reports each kind of broken row.
add_test(NAME coverage_liburing
  COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/scripts/check_coverage.py
    --cancelfuzz $<TARGET_FILE:cancelfuzz>
    --doc ${CMAKE_CURRENT_SOURCE_DIR}/docs/coverage-liburing.md
    --seeds ${CMAKE_CURRENT_SOURCE_DIR}/corpora/seeds)
set_tests_properties(coverage_liburing PROPERTIES TIMEOUT 600)
add_test(NAME coverage_liburing_self_test
  COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/scripts/check_coverage.py --self-test)
