# export-c: the C reproducers, built with plain gcc and run (tests/export_c.sh).
# export_c_registry: every registry reproducer and corpora/findings/*.cfp;
# export_c_seeds: every seed (every op kind, mode, cancel API); export_c_random:
# random programs, each must compile warning-free; export_c_usage: bad input,
# usage, atomic output. Exit 77: io_uring unusable here.
foreach(what registry seeds random usage)
  add_test(NAME export_c_${what}
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/export_c.sh $<TARGET_FILE:cancelfuzz>
            ${CMAKE_CURRENT_SOURCE_DIR} ${what})
  set_tests_properties(export_c_${what} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 900 LABELS export)
endforeach()
