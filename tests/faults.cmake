# Fault injection tests: one ctest test per fault of oracles/faults/faults.def, each
# "fault_catch NAME" (the seed corpus must show the fault as a new finding on
# its mapped invariant), "fault_catch none" (no fault: no finding), and the
# CLI's handling of --fault / CF_FAULT. Included from tests/tests.cmake.
add_executable(fault_catch ${CMAKE_CURRENT_SOURCE_DIR}/tests/fault_catch.c)
target_link_libraries(fault_catch PRIVATE cf_run)

file(STRINGS ${CMAKE_CURRENT_SOURCE_DIR}/oracles/faults/faults.def CF_FAULT_LINES REGEX "^X\\(")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${CMAKE_CURRENT_SOURCE_DIR}/oracles/faults/faults.def)
set(CF_FAULT_NAMES none)
foreach(line ${CF_FAULT_LINES})
  string(REGEX MATCH "^X\\([A-Z_0-9]+, \"([a-z0-9-]+)\"" _ "${line}")
  list(APPEND CF_FAULT_NAMES ${CMAKE_MATCH_1})
endforeach()

foreach(fault ${CF_FAULT_NAMES})
  add_test(NAME fault/${fault} COMMAND fault_catch ${fault})
  set_tests_properties(fault/${fault} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS faults
    ENVIRONMENT "CF_SOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR};CF_FAULT=")
endforeach()

add_test(NAME cli_faults
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/cli_faults.sh $<TARGET_FILE:cancelfuzz>
          ${CMAKE_CURRENT_SOURCE_DIR})
set_tests_properties(cli_faults PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS faults
  ENVIRONMENT "CF_FAULT=")
