# CLI tests: bad inputs to the cancelfuzz binary (exact exit codes and messages),
# and the numbers it states for scripts.
# Meant to be include()d from the top-level CMakeLists.txt.
add_test(NAME cli_bad_input
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/cli_bad_input.sh $<TARGET_FILE:cancelfuzz>)
set_tests_properties(cli_bad_input PROPERTIES TIMEOUT 120)
add_test(NAME cli_limits
  COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/tests/cli_limits.py $<TARGET_FILE:cancelfuzz>)
# The kernel log after the exit-path seeds (replay --kmsg); skips (77) where
# /dev/kmsg cannot be read.
add_test(NAME kmsg_exit_paths
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/kmsg_exit_paths.sh $<TARGET_FILE:cancelfuzz>
          ${CMAKE_CURRENT_SOURCE_DIR} 3)
set_tests_properties(kmsg_exit_paths PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600
  ENVIRONMENT "CF_FAULT=")
# The race judge reports the order that needs only tagged behaviour: with
# the registry emptied, this race-group history (a close racing a by-fd
# sync cancel) must show D25's tag, not an untagged documented-errors.
add_test(NAME race_order_needs_only_tags
  COMMAND bash -c "out=$(CF_REGISTRY=empty \"$0\" check --spec doc \"$1\") ; echo \"$out\"; echo \"$out\" | grep -q 'NEW invalid-fields' && ! echo \"$out\" | grep -q 'NEW documented-errors'"
          $<TARGET_FILE:cancelfuzz> ${CMAKE_CURRENT_SOURCE_DIR}/tests/histories/pass-regress-race-order-needs-only-tags.history)
