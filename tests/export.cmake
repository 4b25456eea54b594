# export-c: the C reproducers, built with plain gcc and run (tests/export_c.sh).
# export_c_registry: every registry reproducer and corpora/findings/*.cfp;
# export_c_seeds: every seed (every op kind, mode, cancel API); export_c_random:
# random programs, each must compile warning-free; export_c_usage: bad input,
# usage, atomic output; export_c_checks: a fault per automatic check, and
# D19 (POSIX AIO) at both levels; export_c_kinds: the msg_ring, O_DIRECT and
# second-ring seeds exported and agreeing with replay, and the AIO families'
# actors (in program order, and races 441 and 443 with exact exit codes).
# Exit 77: io_uring unusable here.
foreach(what registry seeds random usage checks kinds)
  add_test(NAME export_c_${what}
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/export_c.sh $<TARGET_FILE:cancelfuzz>
            ${CMAKE_CURRENT_SOURCE_DIR} ${what})
  set_tests_properties(export_c_${what} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 900 LABELS export)
endforeach()
# export_checks: each check the reproducers run (harness/export/repro_check.h,
# copied into them) fires on an observation that breaks its promise and holds
# on one that keeps it.
add_executable(export_checks tests/export_checks.c)
target_include_directories(export_checks PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/harness/export)
add_test(NAME export_checks COMMAND export_checks)
set_tests_properties(export_checks PROPERTIES LABELS export)
# standalone_repros: scripts/repro/*.c, the reproducers export-c cannot write
# (task actors), build with plain gcc and reproduce their registry entries.
add_test(NAME standalone_repros
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/standalone_repros.sh ${CMAKE_CURRENT_SOURCE_DIR})
set_tests_properties(standalone_repros PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS export)
