# Unit tests: every tests/test_*.c is one executable and one ctest test.
# Exit 0 pass, 1 fail, 77 skip (io_uring unavailable here).
file(GLOB CF_UNIT_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/tests/test_*.c)
foreach(src ${CF_UNIT_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_link_libraries(${name} PRIVATE cfcore)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600
    ENVIRONMENT "CF_SOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR};CF_CLI=$<TARGET_FILE:cancelfuzz>")
endforeach()
