# Fuzzing tests: the fuzz target, the AFL++ mutator library, the OSS-Fuzz
# build script and the fuzzing tools' command lines. Exit 77 skips.
if(NOT CF_LIBFUZZER)
  # The standalone (or AFL++) driver replays every seed and finding: a new
  # oracle violation aborts it.
  add_test(NAME fuzz_target_replays_corpus
    COMMAND cancel_fuzzer ${CMAKE_CURRENT_SOURCE_DIR}/corpora/seeds
            ${CMAKE_CURRENT_SOURCE_DIR}/corpora/findings)
  set_tests_properties(fuzz_target_replays_corpus PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300
    ENVIRONMENT "CF_SPEC=kernel")
endif()
if(TARGET cancel_fuzzer_afl_mutator)
  add_executable(afl_mutator_canonical tests/fuzzers/afl_mutator_canonical.c harness/program/program.c
    harness/program/codec.c harness/program/aio_model.c harness/program/actors.c)
  target_include_directories(afl_mutator_canonical PRIVATE harness/program tests)
  target_compile_options(afl_mutator_canonical PRIVATE ${CF_WARNINGS})
  target_link_libraries(afl_mutator_canonical PRIVATE ${CMAKE_DL_LIBS})
  add_dependencies(afl_mutator_canonical cancel_fuzzer_afl_mutator)
  add_test(NAME afl_mutator_canonical
    COMMAND afl_mutator_canonical $<TARGET_FILE:cancel_fuzzer_afl_mutator>)
  add_test(NAME oss_fuzz_build
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/fuzzers/oss_fuzz_build.sh ${CMAKE_CURRENT_SOURCE_DIR})
  set_tests_properties(oss_fuzz_build PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
  add_test(NAME fuzz_tools
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/fuzzers/fuzz_tools.sh
            ${CMAKE_CURRENT_SOURCE_DIR} $<TARGET_FILE:cancelfuzz>)
  set_tests_properties(fuzz_tools PROPERTIES TIMEOUT 120)
endif()
