# Robustness of the runners (issue 12): unusable and full folders, signals,
# orphans after kill -9, io_uring blocked by a seccomp filter. Exit 77 skips
# (io_uring unusable; full_disk also when tmpfs cannot be mounted).
add_executable(seccomp_block ${CMAKE_CURRENT_SOURCE_DIR}/tests/robust/seccomp_block.c)
target_link_libraries(seccomp_block PRIVATE cf_flags)
set(CF_ROBUST ${CMAKE_CURRENT_SOURCE_DIR}/tests/robust)
add_test(NAME robust_cli
  COMMAND bash ${CF_ROBUST}/cli.sh $<TARGET_FILE:cancelfuzz> $<TARGET_FILE:cancel_fuzzer>
          $<TARGET_FILE:seccomp_block> ${CMAKE_CURRENT_SOURCE_DIR})
add_test(NAME robust_full_disk
  COMMAND bash ${CF_ROBUST}/full_disk.sh $<TARGET_FILE:cancelfuzz> ${CMAKE_CURRENT_SOURCE_DIR})
add_test(NAME robust_runner
  COMMAND bash ${CF_ROBUST}/runner.sh $<TARGET_FILE:cancelfuzz> ${CMAKE_CURRENT_SOURCE_DIR})
set_tests_properties(robust_cli robust_full_disk robust_runner PROPERTIES
  SKIP_RETURN_CODE 77 TIMEOUT 180)
